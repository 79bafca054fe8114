"""Shared helpers of the end-to-end tests (Python 3 standard library only).

Every test script is run by ctest as
    python3 tests/e2e/test_X.py --binary PATH/trailwatch --source-dir REPO
and exits 0 when every check passed. Checks never stop at the first failure: each one prints PASS or FAIL with
enough context to see what differed, and the script ends with "N passed, M failed".
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PERIOD = 300
OVERSIZE_BYTES = 256 * 1024
RULE_ID = "kms-cmk-disable-or-delete"
RULE_SOURCE = "kms.amazonaws.com"
RULE_NAMES = ("DisableKey", "ScheduleKeyDeletion")
LOG_SUFFIXES = (".json.gz", ".json", ".jsonl", ".ndjson", ".gz")
# The corpus of test_ground_truth.py; test_ndjson_stdin.py writes the same records as NDJSON.
CORPUS_SIZE = os.environ.get("TRAILWATCH_E2E_CORPUS_SIZE", "30M")
CORPUS_OPTIONS = ["--seed", "20240603", "--target-bytes", CORPUS_SIZE, "--edge-cases", "--digests", "--insights",
                  "--org-id", "o-7k2m9x4q1z", "--jobs", "2"]
SKIPPED_TREES = {"CloudTrail-Digest": "digest", "CloudTrail-Insight": "insight", "CloudTrail-Lake": "lake"}

# No test reaches for the EC2 instance metadata service (169.254.169.254), whoever runs it and however: every
# trailwatch started by a test inherits this. test_credentials.py clears it where it serves metadata itself.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


# ----------------------------------------------------------------------------------------------------------------
# the test runner
# ----------------------------------------------------------------------------------------------------------------
class Suite:
    """Parses the common arguments and counts checks."""

    def __init__(self, description):
        ap = argparse.ArgumentParser(description=description)
        ap.add_argument("--binary", required=True, help="path of the trailwatch executable")
        ap.add_argument("--source-dir", required=True, help="the repository root")
        ap.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
        ap.add_argument("--work-dir", default=None, help="use this directory instead of a temporary one")
        self.args = ap.parse_args()
        self.binary = os.path.abspath(self.args.binary)
        self.source_dir = os.path.abspath(self.args.source_dir)
        self.passed = 0
        self.failed = []
        self.began = time.time()
        if self.args.work_dir:
            self.tmp = os.path.abspath(self.args.work_dir)
            os.makedirs(self.tmp, exist_ok=True)
        else:
            self.tmp = tempfile.mkdtemp(prefix="trailwatch-e2e-")
        if not (os.path.isfile(self.binary) and os.access(self.binary, os.X_OK)):
            print("FAIL: the trailwatch binary is missing or not executable: %s\n"
                  "      build it with: cmake -S %s -B build && cmake --build build -j2" % (self.binary,
                                                                                        self.source_dir))
            print("0 passed, 1 failed")
            sys.exit(1)

    # ---- checks -------------------------------------------------------------------------------------------------
    def check(self, ok, label, detail=""):
        if ok:
            self.passed += 1
            print("PASS: %s" % label)
        else:
            self.failed.append(label)
            print("FAIL: %s%s" % (label, ("\n      " + detail.replace("\n", "\n      ")) if detail else ""))
        sys.stdout.flush()
        return bool(ok)

    def equal(self, actual, expected, label):
        return self.check(actual == expected, label, "expected %r\n got      %r" % (expected, actual))

    def note(self, text):
        print("NOTE: %s" % text)

    def finish(self):
        if self.args.keep or self.args.work_dir:
            print("work directory kept: %s" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        print("%d passed, %d failed (%.1fs)" % (self.passed, len(self.failed), time.time() - self.began))
        if self.failed:
            print("failed checks:\n  " + "\n  ".join(self.failed))
        return 1 if self.failed else 0

    # ---- running things -----------------------------------------------------------------------------------------
    def run(self, args, stdin_bytes=None, timeout=180, label=None, cwd=None):
        """Runs trailwatch with `args`; returns a CompletedProcess (stdout/stderr as bytes), or None on timeout."""
        cmd = [self.binary] + list(args)
        began = time.time()
        try:
            if stdin_bytes is not None:
                proc = subprocess.run(cmd, input=stdin_bytes, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      timeout=timeout, cwd=cwd)
            else:
                proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      timeout=timeout, cwd=cwd)
        except subprocess.TimeoutExpired:
            self.check(False, "%s finishes within %ds" % (label or " ".join(args), timeout),
                       "command: %s" % " ".join(cmd))
            return None
        print("  ran: %s -> exit %d in %.2fs" % (" ".join(cmd), proc.returncode, time.time() - began))
        return proc

    def run_json(self, args, label, timeout=180):
        """Runs trailwatch with `args` (which ask for JSON on stdout); returns (exit code, document), the document
        None when stdout is not one JSON document (a failure is recorded), (None, None) on timeout."""
        proc = self.run(args, timeout=timeout, label=label)
        if proc is None:
            return None, None
        try:
            return proc.returncode, json.loads(proc.stdout.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            self.check(False, "%s: stdout is one JSON document" % label, "%s\n%s" % (e, tail(proc.stderr)))
            return proc.returncode, None

    def scan_json(self, args, label, stdin_bytes=None, timeout=180, expect_exit=0, cwd=None):
        """Runs `trailwatch scan --format json ARGS`, checks the exit code and parses stdout. Returns the document
        or None (and records a failure)."""
        proc = self.run(["scan", "--format", "json"] + list(args), stdin_bytes=stdin_bytes, timeout=timeout,
                        label=label, cwd=cwd)
        if proc is None:
            return None
        self.check(proc.returncode == expect_exit, "%s: exit code %d" % (label, expect_exit),
                   "got %d; stderr:\n%s" % (proc.returncode, tail(proc.stderr)))
        try:
            doc = json.loads(proc.stdout.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            self.check(False, "%s: stdout is one JSON document" % label,
                       "%s\nstdout starts: %r\nstderr:\n%s" % (e, proc.stdout[:300], tail(proc.stderr)))
            return None
        self.check(isinstance(doc, dict) and doc.get("schema") == "trailwatch.scan/1",
                   "%s: schema is trailwatch.scan/1" % label, "got %r" % (doc.get("schema") if isinstance(doc, dict)
                                                                        else type(doc)))
        return doc

    def generate(self, out, *options, label=None):
        """Runs tools/gen_archive.py --out OUT OPTIONS and returns the ground truth."""
        tool = os.path.join(self.source_dir, "tools", "gen_archive.py")
        truth_path = out.rstrip("/") + ".truth.json"
        cmd = [sys.executable, tool, "--out", out, "--ground-truth", truth_path, "--quiet"] + list(options)
        began = time.time()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        if proc.returncode != 0:
            print("FAIL: generator failed: %s\n%s" % (" ".join(cmd), tail(proc.stderr)))
            print("%d passed, %d failed" % (self.passed, len(self.failed) + 1))
            sys.exit(1)
        with open(truth_path, encoding="utf-8") as f:
            truth = json.load(f)
        print("  generated %s: %d files, %d records, %.1f MiB raw, %d matches, %d windows in %.1fs" % (
            label or out, truth["total_files"], truth["total_records"], truth["bytes_uncompressed"] / 2 ** 20,
            truth["matched_events"], len(truth["windows"]), time.time() - began))
        return truth


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def tail(data, limit=1500):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    return text if len(text) <= limit else "..." + text[-limit:]


# ----------------------------------------------------------------------------------------------------------------
# reading the scan output
# ----------------------------------------------------------------------------------------------------------------
def find_rule(doc, rule_id=RULE_ID, pattern=None):
    """The rules[] entry for rule_id (or the one whose pattern is `pattern`); None if absent."""
    rules = (doc or {}).get("rules") or []
    for r in rules:
        if pattern is not None and r.get("pattern") == pattern:
            return r
    for r in rules:
        if r.get("id") == rule_id:
            return r
    if pattern is not None:
        others = [r for r in rules if r.get("id") != RULE_ID]
        if len(others) == 1:
            return others[0]
    return None


def series_datapoints(rule):
    """[(timestamp, value, sample_count)] of the rule's dimensionless series."""
    series = rule.get("series") or []
    if not series:
        return []
    return [(d.get("timestamp"), num(d.get("value")), num(d.get("sample_count"))) for d in series[0].get("datapoints", [])]


def alarm_windows(rule):
    alarms = rule.get("alarms") or []
    if not alarms:
        return None
    return [(w.get("start"), w.get("end"), w.get("alarm_at"), num(w.get("peak")), w.get("open"))
            for w in alarms[0].get("windows", [])]


def num(v):
    """JSON numbers compare as numbers whether written 3 or 3.0."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def truth_datapoints(truth_points):
    return [(d["timestamp"], num(d["value"]), num(d["sample_count"])) for d in truth_points]


def truth_windows(windows):
    return [(w["start"], w["end"], w["alarm_at"], num(w["peak"]), w["open"]) for w in windows]


def diff_lists(actual, expected, limit=8):
    """A short description of how two sorted lists differ."""
    a, e = set(actual), set(expected)
    missing = sorted(e - a)[:limit]
    extra = sorted(a - e)[:limit]
    lines = ["expected %d items, got %d" % (len(expected), len(actual))]
    if missing:
        lines.append("missing (expected, not reported): %s" % missing)
    if extra:
        lines.append("unexpected (reported, not expected): %s" % extra)
    if not missing and not extra and list(actual) != list(expected):
        lines.append("same items, different order or multiplicity")
    return "\n".join(lines)


def compare_rule_numbers(suite, doc, label, matched, oversize, points, windows, check_windows=True):
    """Checks the default rule's matched_events, matched_oversize, datapoints and windows."""
    rule = find_rule(doc)
    if not suite.check(rule is not None, "%s: rules[] has %s" % (label, RULE_ID),
                       "rules: %r" % [r.get("id") for r in (doc or {}).get("rules", [])]):
        return
    suite.equal(num(rule.get("matched_events")), matched, "%s: matched_events" % label)
    if oversize is not None:
        suite.equal(num(rule.get("matched_oversize")), oversize, "%s: matched_oversize" % label)
    got = series_datapoints(rule)
    suite.check(got == points, "%s: all %d datapoints (timestamp, value, sample_count)" % (label, len(points)),
                diff_lists(got, points))
    if check_windows:
        got_w = alarm_windows(rule)
        suite.check(got_w == windows, "%s: all %d alarm windows (start, end, alarm_at, peak, open)" % (
            label, len(windows)), diff_lists(got_w or [], windows))


def json_differences(a, b, where="$", limit=10):
    """Paths (like $.input.files) where two JSON values differ, with both values; at most `limit`."""
    out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s: only in %s" % (where, k, "first" if k in a else "second"))
            else:
                out.extend(json_differences(a[k], b[k], "%s.%s" % (where, k), limit))
            if len(out) >= limit:
                break
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            out.extend(json_differences(x, y, "%s[%d]" % (where, i), limit))
            if len(out) >= limit:
                break
    elif num(a) != num(b) or type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        out.append("%s: %s vs %s" % (where, json.dumps(a)[:200], json.dumps(b)[:200]))
    return out[:limit]


def path_listed(entries, rel_path):
    """True when some {path: ...} entry names rel_path (trailwatch reports paths as it reached them)."""
    rel = rel_path.replace(os.sep, "/")
    for e in entries or []:
        p = str(e.get("path", "")).replace(os.sep, "/")
        if p == rel or p.endswith("/" + rel):
            return True
    return False


# ----------------------------------------------------------------------------------------------------------------
# an independent recount of a tree (what the ground truth claims, derived from the bytes on disk)
# ----------------------------------------------------------------------------------------------------------------
def parse_records(data):
    """Records of one decoded buffer: the {"Records": [...]} envelope (any whitespace) or NDJSON.
    Returns [(record, size of its compact JSON text in bytes)]."""
    text = data.decode("utf-8")
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty")
    try:
        doc = json.loads(stripped)
    except ValueError:
        doc = None
    if isinstance(doc, dict) and isinstance(doc.get("Records"), list):
        return [(r, len(json.dumps(r, separators=(",", ":"), ensure_ascii=False).encode("utf-8")))
                for r in doc["Records"]]
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            out.append((json.loads(line), len(line.encode("utf-8"))))
    return out


def decode_file(path):
    """(bytes after gzip if any, was it gzip)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data), True
    return data, False


def is_match(record):
    return isinstance(record, dict) and record.get("eventSource") == RULE_SOURCE and record.get("eventName") in RULE_NAMES


def epoch(iso_text):
    import calendar
    return calendar.timegm(time.strptime(iso_text, "%Y-%m-%dT%H:%M:%SZ"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def recount_records(pairs, start=None, end=None, predicate=is_match):
    """Numbers for a list of (record, size): records, out_of_range, matched, oversize, datapoints, windows.
    start/end (epoch seconds, start inclusive, end exclusive) restrict on eventTime as --start/--end do."""
    matched_times = []
    oversize = 0
    out_of_range = 0
    for rec, size in pairs:
        if start is not None or end is not None:
            t = epoch(rec["eventTime"])
            if (start is not None and t < start) or (end is not None and t >= end):
                out_of_range += 1
                continue
        if predicate(rec):
            matched_times.append(epoch(rec["eventTime"]))
            oversize += size > OVERSIZE_BYTES
    points = points_from_times(matched_times)
    return {"records": len(pairs), "out_of_range": out_of_range, "matched": len(matched_times),
            "oversize": oversize, "datapoints": points, "windows": default_alarm_windows(points)}


def points_from_times(times):
    buckets = {}
    for t in times:
        buckets[t // PERIOD * PERIOD] = buckets.get(t // PERIOD * PERIOD, 0) + 1
    return [(iso(t), v, v) for t, v in sorted(buckets.items())]


def numbers_from_truth_files(entries):
    """Expected numbers for a subset of the ground truth's files[] (e.g. what is piped to stdin)."""
    times = [epoch(m[0]) for e in entries for m in e["matches"]]
    points = points_from_times(times)
    return {"records": sum(e["records"] for e in entries), "matched": len(times),
            "oversize": sum(1 for e in entries for m in e["matches"] if m[1]), "datapoints": points,
            "windows": default_alarm_windows(points)}


def default_alarm_windows(points):
    """Windows of the default CIS alarm, computed the short way: for Sum >= 1, 1 of 1, missing, R = 3 every
    datapoint at period p makes p, p+1, p+2 ALARM and nothing else does; runs of ALARM periods are windows."""
    alarm = {}
    values = {epoch(ts) // PERIOD: v for ts, v, _ in points}
    for p in values:
        for k in (p, p + 1, p + 2):
            alarm[k] = True
    windows = []
    for k in sorted(alarm):
        if windows and windows[-1][1] == k - 1:
            windows[-1][1] = k
        else:
            windows.append([k, k])
    return [(iso(a * PERIOD), iso((b + 1) * PERIOD), iso((a + 1) * PERIOD),
             max(values[p] for p in range(a, b + 1) if p in values), False) for a, b in windows]


def read_tree(root):
    """Walks `root` the way docs/design.md "Reading input" says a directory is walked and parses every file it would
    read. Returns {pairs: [(record, size)], files: [(rel path, records)], skipped: {...}, warnings: [rel path]}."""
    files = []
    skipped = {"digest": 0, "insight": 0, "lake": 0, "symlink": 0, "not_regular": 0, "other_name": 0}
    warnings = []
    pairs = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        reason = next((SKIPPED_TREES[p] for p in rel_dir.split("/") if p in SKIPPED_TREES), None)
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                skipped["symlink"] += 1
                dirnames.remove(d)
        dirnames.sort()
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if reason:
                skipped[reason] += 1
                continue
            if not name.endswith(LOG_SUFFIXES):
                skipped["other_name"] += 1
                continue
            data, was_gzip = decode_file(full)
            if not was_gzip and name.endswith(".gz"):
                warnings.append(rel)
            recs = parse_records(data)
            files.append((rel, len(recs)))
            pairs.extend(recs)
    return {"pairs": pairs, "files": files, "skipped": skipped, "warnings": warnings}


def recount_tree(root):
    """Recounts everything the ground truth claims from the bytes under `root`."""
    tree = read_tree(root)
    numbers = recount_records(tree["pairs"])
    numbers.update({"files": len(tree["files"]), "skipped": tree["skipped"], "warnings": tree["warnings"]})
    return numbers


def verify_truth(suite, root, truth, label="generator self-check"):
    """Checks the generator's ground truth against an independent recount of the bytes on disk, so that a failure
    later is the binary's, not the generator's."""
    began = time.time()
    rc = recount_tree(root)
    problems = []
    for what, got, want in (("files", rc["files"], truth["total_files"]),
                            ("records", rc["records"], truth["total_records"]),
                            ("matched", rc["matched"], truth["matched_events"]),
                            ("oversize", rc["oversize"], truth["matched_oversize"]),
                            ("datapoints", rc["datapoints"], truth_datapoints(truth["datapoints"])),
                            ("windows", rc["windows"], truth_windows(truth["windows"])),
                            ("warnings", sorted(rc["warnings"]), sorted(truth["warnings_expected"])),
                            ("skipped.digest", rc["skipped"]["digest"], truth["skipped"]["digest"]),
                            ("skipped.insight", rc["skipped"]["insight"], truth["skipped"]["insight"]),
                            ("skipped.other_name", rc["skipped"]["other_name"], truth["skipped"]["other_name"])):
        if got != want:
            problems.append("%s: recount %r, ground truth %r" % (what, got if not isinstance(got, list) else len(got),
                                                                   want if not isinstance(want, list) else len(want)))
    ok = suite.check(not problems, "%s: ground truth equals a Python recount of the tree (%.1fs)" % (
        label, time.time() - began), "\n".join(problems))
    return ok
