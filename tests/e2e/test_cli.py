#!/usr/bin/env python3
"""End-to-end: the command line on the bundled sample (testdata/sample, truth in testdata/sample.truth.json).

Help texts; an invalid --pattern (exit 64, a caret under the offending character); an ad-hoc --pattern; -o FILE;
--matches FILE; --fail-on-alarm; --start/--end; a path that does not exist; the README's first command;
--max-record-size and --max-depth.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (RULE_ID, is_match, Suite, compare_rule_numbers, epoch, find_rule, num, path_listed,  # noqa: E402
                        read_tree, recount_records, series_datapoints, tail, truth_datapoints, truth_windows)

SAMPLE = os.path.join("testdata", "sample")
DISABLE_ONLY = "{ $.eventName = DisableKey }"
BAD_PATTERN = "{ $.eventName @ DisableKey }"  # '@' where an operator must be


def text(data):
    return data.decode("utf-8", "replace")


def check_help(s):
    for args in (["--help"], ["scan", "--help"]):
        label = "trailwatch " + " ".join(args)
        proc = s.run(args, label=label, timeout=30)
        if proc is None:
            continue
        s.check(proc.returncode == 0, "%s: exit code 0" % label, "got %d\n%s" % (proc.returncode, tail(proc.stderr)))
        out = text(proc.stdout + proc.stderr)
        if args == ["--help"]:
            s.check("scan" in out, "%s: mentions the scan command" % label, tail(out))
        else:
            for flag in ("--pattern", "--format", "--threads"):
                s.check(flag in out, "%s: mentions %s" % (label, flag), tail(out))


def check_bad_pattern(s):
    proc = s.run(["scan", "--pattern", BAD_PATTERN, SAMPLE], label="invalid --pattern", cwd=s.source_dir, timeout=30)
    if proc is None:
        return
    s.equal(proc.returncode, 64, "invalid --pattern: exit code 64")
    err = text(proc.stderr)
    lines = err.splitlines()
    want = BAD_PATTERN.index("@")
    carets = []
    for i, line in enumerate(lines):
        start = line.find(BAD_PATTERN)
        if start < 0:
            continue
        for below in lines[i + 1:i + 3]:
            if "^" in below:
                carets.append(below.index("^") - start)
                break
    s.check(carets and carets[0] == want,
            "invalid --pattern: stderr shows the pattern with a caret under the offending '@' (column %d)" % want,
            "caret columns relative to the pattern: %r\nstderr:\n%s" % (carets, tail(err)))


def check_record_limits(s, corpus):
    """Records over --max-record-size fail alone, each file naming the first; --max-depth fails deep records."""
    sizes = [size for _record, size in read_tree(corpus)["pairs"]]
    limit = sorted(sizes)[len(sizes) // 2]  # about half the records are larger
    doc = s.scan_json(["--max-record-size", str(limit), corpus], "--max-record-size %d" % limit, expect_exit=2)
    if doc:
        inp = doc["input"]
        s.check(0 < num(inp["records_failed"]) < len(sizes) and num(inp["records"]) + num(inp["records_failed"]) ==
                len(sizes), "--max-record-size: larger records fail, the others are read",
                "records %r, failed %r of %d" % (inp["records"], inp["records_failed"], len(sizes)))
        s.check(any("--max-record-size" in e["error"] for e in inp["errors"]),
                "--max-record-size: input.errors names the limit", repr(inp["errors"][:2]))
    doc = s.scan_json(["--max-depth", "2", corpus], "--max-depth 2", expect_exit=2)
    if doc:
        s.check(any("deeper than the limit" in e["error"] for e in doc["input"]["errors"]),
                "--max-depth 2: CloudTrail records (userIdentity is an object) are too deep",
                repr(doc["input"]["errors"][:2]))
    proc = s.run(["scan", "--max-record-size", "lots", corpus], label="--max-record-size lots")
    if proc:
        s.equal(proc.returncode, 64, "--max-record-size lots: usage error")


def main():
    s = Suite(__doc__)
    sample_abs = os.path.join(s.source_dir, SAMPLE)
    with open(os.path.join(s.source_dir, "testdata", "sample.truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    tree = read_tree(sample_abs)
    pairs = tree["pairs"]
    full = recount_records(pairs)
    s.check(full["matched"] == truth["matched_events"] and full["datapoints"] == truth_datapoints(truth["datapoints"])
            and full["windows"] == truth_windows(truth["windows"]) and full["records"] == truth["total_records"],
            "the bundled sample matches its ground truth (Python recount)")
    s.check(len(truth["windows"]) >= 2, "the sample has at least 2 alarm windows (%d)" % len(truth["windows"]))

    check_help(s)
    check_bad_pattern(s)
    check_record_limits(s, os.path.join(s.source_dir, SAMPLE))

    # the README's first command
    proc = s.run(["scan", SAMPLE], label="README: trailwatch scan testdata/sample", cwd=s.source_dir, timeout=60)
    if proc is not None:
        s.check(proc.returncode == 0 and proc.stdout.strip(), "trailwatch scan testdata/sample: exit 0 and a report",
                "exit %d\nstderr:\n%s" % (proc.returncode, tail(proc.stderr)))

    # an ad-hoc pattern: DisableKey from any eventSource, and nothing else
    doc = s.scan_json(["--pattern", DISABLE_ONLY, SAMPLE], "--pattern '%s'" % DISABLE_ONLY, cwd=s.source_dir)
    if doc is not None:
        expected = recount_records(pairs, predicate=lambda r: isinstance(r, dict) and r.get("eventName") == "DisableKey")
        s.check(expected["matched"] == truth["event_name_counts_any_source"]["DisableKey"] != truth["matched_events"],
                "the sample's DisableKey count (%d, any source) differs from the rule's count (%d)" % (
                    expected["matched"], truth["matched_events"]))
        rule = find_rule(doc, pattern=DISABLE_ONLY)
        if s.check(rule is not None, "--pattern: a rules[] entry for the pattern",
                   "rules: %r" % [(r.get("id"), r.get("pattern")) for r in doc.get("rules", [])]):
            s.equal(num(rule.get("matched_events")), expected["matched"], "--pattern: matched_events = DisableKey records")
            got = series_datapoints(rule)
            s.equal(got, expected["datapoints"], "--pattern: datapoints")

    # -o FILE
    out_file = os.path.join(s.tmp, "report.json")
    proc = s.run(["scan", "--format", "json", "-o", out_file, SAMPLE], label="-o FILE", cwd=s.source_dir)
    if proc is not None:
        s.equal(proc.returncode, 0, "-o FILE: exit code 0")
        try:
            with open(out_file, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            doc = None
            s.check(False, "-o FILE: FILE holds the JSON report", str(e))
        if doc is not None:
            s.equal(doc.get("schema"), "trailwatch.scan/1", "-o FILE: schema")
            compare_rule_numbers(s, doc, "-o FILE", truth["matched_events"], truth["matched_oversize"],
                                 truth_datapoints(truth["datapoints"]), truth_windows(truth["windows"]))

    # --matches FILE
    matches_file = os.path.join(s.tmp, "matches.ndjson")
    proc = s.run(["scan", "--format", "json", "--matches", matches_file, SAMPLE], label="--matches FILE",
                 cwd=s.source_dir)
    if proc is not None:
        s.equal(proc.returncode, 0, "--matches FILE: exit code 0")
        lines = []
        try:
            with open(matches_file, encoding="utf-8") as f:
                lines = [json.loads(line) for line in f if line.strip()]
        except (OSError, ValueError) as e:
            s.check(False, "--matches FILE: FILE is NDJSON", str(e))
        s.equal(len(lines), truth["matched_events"], "--matches FILE: one line per matched record")
        s.check(all(isinstance(x, dict) and set(x) >= {"rule", "file", "oversize", "record"} for x in lines),
                "--matches FILE: every line has rule, file, oversize, record",
                repr(sorted(set(k for x in lines for k in x)))[:500])
        s.check(all(x.get("rule") == RULE_ID and x.get("oversize") is False for x in lines),
                "--matches FILE: rule is %s and oversize false" % RULE_ID)
        want_ids = sorted(m[3] for f in truth["files"] for m in f["matches"])
        got_ids = sorted(str((x.get("record") or {}).get("eventID")) for x in lines)
        s.equal(got_ids, want_ids, "--matches FILE: exactly the matched records (by eventID)")
        by_id = {m[3]: f["path"] for f in truth["files"] for m in f["matches"]}
        s.check(all(path_listed([{"path": x.get("file")}], by_id.get((x.get("record") or {}).get("eventID"), "?"))
                    for x in lines), "--matches FILE: file names the file each record came from")

    # --fail-on-alarm
    proc = s.run(["scan", "--fail-on-alarm", SAMPLE], label="--fail-on-alarm", cwd=s.source_dir)
    if proc is not None:
        s.equal(proc.returncode, 1, "--fail-on-alarm on the sample (which has alarm windows): exit code 1")
    proc = s.run(["scan", "--fail-on-alarm", "--pattern", "{ $.eventName = NoSuchCall }", SAMPLE],
                 label="--fail-on-alarm, nothing matches", cwd=s.source_dir)
    if proc is not None:
        s.equal(proc.returncode, 0, "--fail-on-alarm with no window: exit code 0")

    # --start / --end: chosen on period boundaries, away from any window edge
    start, end = "2024-06-03T06:00:00Z", "2024-06-03T18:00:00Z"
    ranged = recount_records(pairs, start=epoch(start), end=epoch(end))
    s.check(0 < ranged["matched"] < full["matched"] and ranged["out_of_range"] > 0,
            "the --start/--end range holds some, not all, matches (%d of %d)" % (ranged["matched"], full["matched"]))
    s.check(all(w[1] <= end for w in ranged["windows"]), "no window in the range is cut by --end")
    # With --no-prune every record is read and counted; by default the files delivered out of the window are not
    # read at all (docs/design.md "Pruning by the layout"), and the answer is the same.
    for label, extra in (("--start/--end --no-prune", ["--no-prune"]), ("--start/--end", [])):
        doc = s.scan_json(["--start", start, "--end", end] + extra + [SAMPLE], label, cwd=s.source_dir)
        if doc is None:
            continue
        inp = doc.get("input") or {}
        if extra:
            s.equal(num(inp.get("records")), truth["total_records"], "%s: input.records counts every record" % label)
            s.equal(num(inp.get("records_out_of_range")), ranged["out_of_range"],
                    "%s: input.records_out_of_range" % label)
        else:
            s.check(inp.get("pruned", {}).get("files", 0) > 0 and num(inp.get("records")) < truth["total_records"],
                    "%s: the files delivered before the window are not read" % label, json.dumps(inp.get("pruned")))
        compare_rule_numbers(s, doc, label, ranged["matched"], 0, ranged["datapoints"], ranged["windows"])

    # --account / --region: repeatable, each taking one value (the path after them stays a path)
    account = next(r["recipientAccountId"] for r, _ in pairs if is_match(r))
    in_scope = [(r, n) for r, n in pairs if r.get("recipientAccountId") == account and r.get("awsRegion") in
                ("us-east-1", "eu-west-1")]
    scoped = recount_records(in_scope)
    for label, extra in (("--account/--region --no-prune", ["--no-prune"]), ("--account/--region", [])):
        doc = s.scan_json(["--account", account, "--region", "us-east-1", "--region", "eu-west-1"] + extra + [SAMPLE],
                          label, cwd=s.source_dir)
        if doc is None:
            continue
        inp = doc.get("input") or {}
        if extra:
            s.equal(num(inp.get("records")), truth["total_records"], "%s: input.records counts every record" % label)
            s.equal(num(inp.get("records_out_of_scope")), len(pairs) - len(in_scope),
                    "%s: input.records_out_of_scope" % label)
        else:
            s.check(inp.get("pruned", {}).get("prefixes", 0) > 0 and num(inp.get("records_out_of_scope")) == 0,
                    "%s: the other account's folder is not entered" % label, json.dumps(inp.get("pruned")))
        compare_rule_numbers(s, doc, label, scoped["matched"], 0, scoped["datapoints"], scoped["windows"])

    # a path that does not exist, alone and beside the sample
    missing = os.path.join(s.tmp, "no-such-dir", "AWSLogs")
    for label, args in (("a missing path", [missing]), ("the sample and a missing path", [SAMPLE, missing])):
        proc = s.run(["scan", "--format", "json"] + args, label=label, cwd=s.source_dir, timeout=60)
        if proc is None:
            continue
        s.equal(proc.returncode, 2, "%s: exit code 2" % label)
        try:
            doc = json.loads(proc.stdout)
        except ValueError:
            doc = None
        errors = ((doc or {}).get("input") or {}).get("errors") or []
        s.check(path_listed(errors, missing) or missing in text(proc.stderr),
                "%s: an error names the missing path" % label,
                "input.errors %r\nstderr:\n%s" % (errors, tail(proc.stderr)))
        if doc is not None and SAMPLE in args:
            s.equal((doc.get("input") or {}).get("partial"), True, "%s: input.partial" % label)
            compare_rule_numbers(s, doc, label, truth["matched_events"], truth["matched_oversize"],
                                 truth_datapoints(truth["datapoints"]), truth_windows(truth["windows"]))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
