#!/usr/bin/env python3
"""Pruning by the CloudTrail layout (docs/design.md "Pruning by the layout"). Over 30 days of deliveries (an account
trail under a prefix and an organisation trail, a few accounts and regions) and a loose .json beside them:

- a one-hour window with --account/--region gives the same rules as --no-prune (two questions: the CIS pack and a
  pattern every record matches, by event source), reads a small fraction of the tree, and input.files and
  input.pruned are what an independent Python model of the documented rules says; the loose .json is still read;
- the delivery slack is part of the question: with slack 1d the answer equals --no-prune's, with slack 0 the
  records delivered after --end are lost (and the fingerprints differ);
- sharded runs with pruning merge (trailwatch merge) into the unsharded pruned report, pruned counts added;
- a scope that prunes everything is reported like one whose records are all out of scope: no error, no warning in
  the report (stderr says "nothing in scope" for both: test_nothing_in_scope.py);
- a bad --delivery-slack is a usage error (64), and scan --help teaches both flags."""
import calendar
import json
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, json_differences, tail, write  # noqa: E402

ORG_ID = "o-7k2m9x4q1z"
LEAD = 15 * 60
DAY = 86400
SKIPPED_TREES = ("CloudTrail-Digest", "CloudTrail-Insight", "CloudTrail-Lake")
LOG_SUFFIXES = (".json.gz", ".json", ".jsonl", ".ndjson", ".gz")
EVERY_RECORD = ["--pattern", "{ $.eventTime = * }", "--dimension", "source=$.eventSource"]
CIS = ["--rule", "cis"]

ORG_RE = re.compile(r"o-[a-z0-9]{10,32}\Z")
ACCOUNT_RE = re.compile(r"[0-9]{12}\Z")
REGION_RE = re.compile(r"[a-z0-9-]+\Z")
NAME_RE = re.compile(r"([0-9]{12})_CloudTrail_([a-z0-9-]+)_([0-9]{8}T[0-9]{4}Z)_[A-Za-z0-9]{16}\.json\.gz\Z")


# ----------------------------------------------------------------------------------------------------------------
# an independent model of the documented rules
# ----------------------------------------------------------------------------------------------------------------
def date_start(year, month=1, day=1):
    return calendar.timegm((year, month, day, 0, 0, 0))


def real_date(year, month, day):
    try:
        return time.strptime("%04d-%02d-%02d" % (year, month, day), "%Y-%m-%d") is not None and year >= 1
    except ValueError:
        return False


def layout(path, is_file):
    """Where an absolute path stands in the layout: a dict, or None when it does not follow it."""
    parts = [p for p in path.split("/") if p]
    folders = parts[:-1] if is_file else parts
    if "AWSLogs" not in folders:
        return None
    rest = folders[len(folders) - 1 - folders[::-1].index("AWSLogs") + 1:]
    where = {"level": "logs"}
    if rest and ORG_RE.match(rest[0]):
        rest = rest[1:]
    steps = ["account", "trail", "region", "year", "month", "day"]
    if len(rest) > len(steps):
        return None
    for step, part in zip(steps, rest):
        if step == "account" and not ACCOUNT_RE.match(part):
            return None
        if step == "trail" and part != "CloudTrail":
            return None
        if step == "region" and not REGION_RE.match(part):
            return None
        if step in ("year", "month", "day"):
            if not re.match(r"[0-9]{%d}\Z" % (4 if step == "year" else 2), part):
                return None
            where[step] = int(part)
            if step == "year" and where["year"] < 1:
                return None
            if step == "month" and not 1 <= where["month"] <= 12:
                return None
            if step == "day" and not real_date(where["year"], where["month"], where["day"]):
                return None
        else:
            where[step] = part
        where["level"] = step
    if not is_file:
        return where
    m = NAME_RE.match(parts[-1])
    if where["level"] != "day" or not m:
        return None
    t = calendar.timegm(time.strptime(m.group(3), "%Y%m%dT%H%MZ"))
    if (m.group(1), m.group(2)) != (where["account"], where["region"]) or \
            t // DAY * DAY != date_start(where["year"], where["month"], where["day"]):
        return None
    where["level"], where["t"] = "file", t
    return where


class Scope:
    def __init__(self, accounts=(), regions=(), start=None, end=None, slack=DAY, prune=True):
        self.accounts, self.regions = set(accounts), set(regions)
        self.first = None if start is None else start - LEAD
        self.last = None if end is None else end + slack
        self.prune = prune

    def in_window(self, t):
        return (self.first is None or t >= self.first) and (self.last is None or t < self.last)

    def can_hold(self, a, b):
        """Some whole minute in [a, b) is in the window."""
        first = a if self.first is None else max(a, -(-self.first // 60) * 60)
        return first < b and (self.last is None or first < self.last)

    def keeps(self, where):
        if not self.prune or where is None:
            return True
        if "account" in where and self.accounts and where["account"] not in self.accounts:
            return False
        if "region" in where and self.regions and where["region"] not in self.regions:
            return False
        if where["level"] == "file":
            return self.in_window(where["t"])
        if where["level"] == "day":
            a = date_start(where["year"], where["month"], where["day"])
            return self.can_hold(a, a + DAY)
        if where["level"] == "month":
            y, m = where["year"], where["month"]
            return self.can_hold(date_start(y, m), date_start(y + (m == 12), 1 if m == 12 else m + 1))
        if where["level"] == "year":
            return self.can_hold(date_start(where["year"]), date_start(where["year"] + 1))
        return True


def model_walk(root, scope):
    """What the walk of `root` reads and prunes under `scope`: (files read, pruned prefixes, pruned files)."""
    read, prefixes, files = [], 0, 0
    root = os.path.abspath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d in SKIPPED_TREES:
                dirnames.remove(d)
            elif not scope.keeps(layout(full, False)):
                prefixes += 1
                dirnames.remove(d)
        for name in filenames:
            full = os.path.join(dirpath, name)
            if not name.endswith(LOG_SUFFIXES):
                continue
            if scope.keeps(layout(full, True)):
                read.append(full)
            else:
                files += 1
    return read, prefixes, files


# ----------------------------------------------------------------------------------------------------------------
# the corpus
# ----------------------------------------------------------------------------------------------------------------
def name_time(path):
    return calendar.timegm(time.strptime(NAME_RE.search(path).group(3), "%Y%m%dT%H%MZ"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def build_tree(s):
    """tree/plain/AWSLogs/<acct>/... (a prefix before AWSLogs), tree/org/AWSLogs/o-.../<acct>/..., tree/loose.json.
    Returns (tree, truths by part, every log file path)."""
    tree = os.path.join(s.tmp, "tree")
    truths = {}
    for part, options in (("plain", ["--seed", "31", "--target-bytes", "40M", "--accounts", "3"]),
                          ("org", ["--seed", "32", "--target-bytes", "12M", "--accounts", "2", "--regions",
                                   "us-east-1,eu-central-1", "--org-id", ORG_ID])):
        out = os.path.join(s.tmp, "gen-" + part)
        truths[part] = s.generate(out, "--days", "30", "--start", "2024-06-03", "--jobs", "2", *options,
                                  label="%s trail, 30 days" % part)
        # The ground truth is written beside the generated tree; only the tree goes under the scanned folder.
        os.makedirs(os.path.join(tree, part))
        shutil.move(os.path.join(out, "AWSLogs"), os.path.join(tree, part, "AWSLogs"))
    return tree, truths


def loose_file(tree, account, region, t):
    """A .json beside the trails, outside the layout: a DisableKey of `account` in `region` at time t."""
    record = {"eventVersion": "1.09", "eventTime": iso(t), "eventSource": "kms.amazonaws.com",
              "eventName": "DisableKey", "awsRegion": region, "recipientAccountId": account,
              "eventID": "loose-0001", "requestParameters": {"keyId": "k"}}
    path = os.path.join(tree, "loose.json")
    write(path, json.dumps({"Records": [record]}).encode())
    return path


def stream_files(truth, part, account, region):
    prefix = "AWSLogs/%s%s/CloudTrail/%s/" % (ORG_ID + "/" if part == "org" else "", account, region)
    return sorted((name_time(f["path"]), f["path"]) for f in truth["files"] if f["path"].startswith(prefix))


# ----------------------------------------------------------------------------------------------------------------
# checks
# ----------------------------------------------------------------------------------------------------------------
def comparable(doc):
    doc = json.loads(json.dumps(doc))
    doc["input"].pop("seconds", None)
    doc["input"].pop("threads", None)
    doc.pop("shard", None)
    return doc


def check_model(s, doc, tree, scope, label):
    read, prefixes, files = model_walk(tree, scope)
    s.equal(doc["input"]["files"], len(read), "%s: input.files is the model's" % label)
    s.equal(doc["input"]["pruned"], {"prefixes": prefixes, "files": files}, "%s: input.pruned is the model's" % label)
    return read


def check_window(s, tree, total, label, accounts, regions, start, end, matches_path=None, files_pruned=True):
    """One window and filter: pruned and --no-prune answer alike, for both questions; pruning reads little."""
    scope_args = ["--start", iso(start), "--end", iso(end)]
    for a in accounts:
        scope_args += ["--account", a]
    for r in regions:
        scope_args += ["--region", r]
    docs = {}
    for question, q_args in (("every record", EVERY_RECORD), ("cis", CIS)):
        extra = ["--matches", matches_path] if matches_path and question == "cis" else []
        pruned = s.scan_json(q_args + scope_args + extra + [tree], "%s, %s, pruned" % (label, question))
        whole = s.scan_json(q_args + scope_args + ["--no-prune", tree], "%s, %s, --no-prune" % (label, question))
        if pruned is None or whole is None:
            return None
        diffs = json_differences(pruned["rules"], whole["rules"])
        s.check(not diffs, "%s, %s: the rules equal --no-prune's" % (label, question), "\n".join(diffs))
        s.equal(whole["input"]["files"], total, "%s, %s: --no-prune reads every file" % (label, question))
        s.equal(whole["input"]["pruned"], {"prefixes": 0, "files": 0}, "%s, %s: --no-prune prunes nothing" % (
            label, question))
        s.equal(pruned["plan"]["settings"]["pruning"], {"delivery_slack": DAY},
                "%s, %s: the plan says the default slack" % (label, question))
        s.equal(whole["plan"]["settings"]["pruning"], None, "%s, %s: --no-prune's plan says null" % (label, question))
        s.check(pruned["plan"]["fingerprint"] != whole["plan"]["fingerprint"],
                "%s, %s: pruning is part of the fingerprint" % (label, question))
        docs[question] = (pruned, whole)
    pruned, whole = docs["every record"]
    matched = pruned["rules"][0]["matched_events"]
    s.check(matched > 0, "%s: the window holds records of the scope (%d), so the comparison means something" % (
        label, matched))
    files = pruned["input"]["files"]
    s.check(0 < files < total / 10, "%s: pruning reads a small fraction of the tree (%d of %d files)" % (
        label, files, total))
    s.check(pruned["input"]["pruned"]["prefixes"] > 0 and (pruned["input"]["pruned"]["files"] > 0 or not files_pruned),
            "%s: folders%s were pruned (%r)" % (label, " and files" if files_pruned else "", pruned["input"]["pruned"]))
    s.check(pruned["input"]["errors"] == [] and pruned["input"]["warnings"] == [],
            "%s: no error, no warning" % label, json.dumps(pruned["input"]["errors"])[:500])
    s.note("%s: %d files read of %d (pruned %r), %d records in scope" % (label, files, total,
                                                                          pruned["input"]["pruned"], matched))
    check_model(s, pruned, tree, Scope(accounts, regions, start, end), label)
    return pruned


def window_around(times, fraction):
    """A one-hour window half an hour either side of a delivery of the stream, from around `fraction` of it."""
    t = times[int(len(times) * fraction)][0]
    start = t // 3600 * 3600 - 1800
    return start, start + 3600


def main():
    s = Suite(__doc__)
    tree, truths = build_tree(s)
    plain, org = truths["plain"], truths["org"]
    account, region = plain["params"]["accounts"][0], "us-east-1"
    stream = stream_files(plain, "plain", account, region)
    start, end = window_around(stream, 0.5)
    loose = loose_file(tree, account, region, start + 600)
    total = plain["total_files"] + org["total_files"] + 1
    s.note("%d files in the tree, %d in the stream %s/%s" % (total, len(stream), account, region))

    # 1. a one-hour window and an account/region filter
    matches = os.path.join(s.tmp, "matches.ndjson")
    pruned = check_window(s, tree, total, "plain trail", [account], [region], start, end, matches)
    if pruned is not None:
        with open(matches, encoding="utf-8") as f:
            files = [json.loads(line)["file"] for line in f]
        s.check(loose in files, "a loose .json outside the layout is still read (its match is in --matches)",
                "files with matches: %r" % sorted(set(files)))

    # 2. the same in an organisation trail
    org_account = org["params"]["accounts"][0]
    org_stream = stream_files(org, "org", org_account, "eu-central-1")
    o_start, o_end = window_around(org_stream, 0.4)
    # A quieter stream: its kept days may hold no file out of the window.
    check_window(s, tree, total, "organisation trail", [org_account], ["eu-central-1"], o_start, o_end,
                 files_pruned=False)

    # 3. the slack: a window ending at the delivery minute of a file F, with another file G delivered in it
    every = sorted(name_time(f["path"]) for f in plain["files"] + org["files"])
    middle = len(every) // 2
    e = next(t for t in every[middle:] if any(t - 3000 <= u <= t - 300 for u in every))
    s_start = e - 3600
    runs = {}
    for label, args in (("slack 0", ["--delivery-slack", "0"]), ("slack 1d", ["--delivery-slack", "1d"]),
                        ("--no-prune", ["--no-prune"])):
        runs[label] = s.scan_json(EVERY_RECORD + ["--start", iso(s_start), "--end", iso(e)] + args + [tree],
                                  "window to %s, %s" % (iso(e), label))
    if all(runs.values()):
        diffs = json_differences(runs["slack 1d"]["rules"], runs["--no-prune"]["rules"])
        s.check(not diffs, "with slack 1d the rules equal --no-prune's", "\n".join(diffs))
        lost = runs["slack 0"]["rules"][0]["matched_events"]
        kept = runs["slack 1d"]["rules"][0]["matched_events"]
        s.check(0 < lost < kept, "with slack 0 the records delivered after --end are not counted (%d of %d)" % (
            lost, kept))
        s.equal(runs["slack 0"]["plan"]["settings"]["pruning"], {"delivery_slack": 0}, "slack 0 is in the plan")
        s.check(runs["slack 0"]["plan"]["fingerprint"] != runs["slack 1d"]["plan"]["fingerprint"],
                "slack 0 and 1d are different questions (fingerprints)")
        s.check(runs["slack 0"]["input"]["files"] < runs["slack 1d"]["input"]["files"],
                "slack 0 reads fewer files than 1d (%d, %d)" % (runs["slack 0"]["input"]["files"],
                                                               runs["slack 1d"]["input"]["files"]))
        check_model(s, runs["slack 0"], tree, Scope(start=s_start, end=e, slack=0), "slack 0")
        check_model(s, runs["slack 1d"], tree, Scope(start=s_start, end=e, slack=DAY), "slack 1d")

    # 3b. the 15 minutes before --start: a file delivered 5 minutes before the window is read (it may hold records
    # of the window's first minutes, if its clock is behind)
    t = stream[int(len(stream) * 0.6)][0]
    lead_args = ["--start", iso(t + 300), "--end", iso(t + 300 + 3600), "--account", account, "--region", region]
    lead = s.scan_json(EVERY_RECORD + lead_args + [tree], "a window starting 5 minutes after a delivery")
    if lead is not None:
        read = check_model(s, lead, tree, Scope([account], [region], t + 300, t + 3900), "lead")
        s.check(any(name_time(p) == t for p in read if NAME_RE.search(p)),
                "the model reads the file delivered 5 minutes before --start")

    # 4. shards with pruning merge into the unsharded pruned run
    scope_args = ["--start", iso(start), "--end", iso(end), "--account", account, "--region", region]
    whole_path = os.path.join(s.tmp, "whole.json")
    proc = s.run(["scan", "--format", "json", "--threads", "2", "-o", whole_path] + EVERY_RECORD + scope_args + [tree])
    if proc is not None and proc.returncode == 0:
        with open(whole_path, encoding="utf-8") as f:
            whole = json.load(f)
        for n in (2, 3):
            parts, pruned_sum = [], {"prefixes": 0, "files": 0}
            for i in range(n):
                part = os.path.join(s.tmp, "part-%d-of-%d.json" % (i, n))
                proc = s.run(["scan", "--format", "json", "--threads", "2", "--shard", "%d/%d" % (i, n), "-o", part]
                             + EVERY_RECORD + scope_args + [tree])
                if proc is None or proc.returncode != 0:
                    s.check(False, "shard %d/%d runs" % (i, n), tail(proc.stderr) if proc else "timeout")
                    break
                with open(part, encoding="utf-8") as f:
                    doc = json.load(f)
                for k in pruned_sum:
                    pruned_sum[k] += doc["input"]["pruned"][k]
                parts.append(part)
            else:
                s.equal(pruned_sum, whole["input"]["pruned"], "N=%d: the shards' pruned counts add up" % n)
                merged_path = os.path.join(s.tmp, "merged-%d.json" % n)
                proc = s.run(["merge", "--format", "json", "-o", merged_path] + parts)
                if s.check(proc is not None and proc.returncode == 0, "N=%d: merge exits 0" % n,
                           tail(proc.stderr) if proc else "timeout"):
                    with open(merged_path, encoding="utf-8") as f:
                        merged = json.load(f)
                    diffs = json_differences(comparable(merged), comparable(whole))
                    s.check(not diffs, "N=%d: merge(pruned shards) equals the unsharded pruned report" % n,
                            "\n".join(diffs))
    else:
        s.check(False, "the unsharded pruned run exits 0", tail(proc.stderr) if proc else "timeout")

    # 5. a scope that prunes everything: reported like records all out of scope
    other = os.path.join(tree, "plain", "AWSLogs", plain["params"]["accounts"][1])
    nothing = s.scan_json(["--account", account, other], "another account's folder, pruned")
    everything = s.scan_json(["--account", account, "--no-prune", other], "another account's folder, --no-prune")
    if nothing and everything:
        s.equal(nothing["input"]["files"], 0, "pruned everything: nothing is read")
        s.equal(nothing["input"]["pruned"]["prefixes"], 1, "pruned everything: its CloudTrail folder is pruned")
        s.check(everything["input"]["records_out_of_scope"] > 0 and everything["input"]["records"] ==
                everything["input"]["records_out_of_scope"], "--no-prune: every record is out of scope")
        for key in ("errors", "warnings", "partial"):
            s.equal(nothing["input"][key], everything["input"][key],
                    "pruned everything: input.%s as when every record is out of scope" % key)
        s.equal(json_differences(nothing["rules"], everything["rules"]), [],
                "pruned everything: the rules as when every record is out of scope")
    later = s.scan_json(["--start", "2030-01-01", tree], "a window years after the archive")
    if later:
        s.equal(later["input"]["files"], 1, "a window years later reads only the file outside the layout")
        s.equal(later["input"]["errors"], [], "a window years later: no error")

    # 6. the flags
    for bad in ("5", "1w", "-1h", "3651d"):
        proc = s.run(["scan", "--delivery-slack", bad, tree])
        if proc is not None:
            err = proc.stderr.decode("utf-8", "replace")
            s.check(proc.returncode == 64 and "--delivery-slack" in err and bad in err,
                    "--delivery-slack %s: usage error 64 naming the flag and the value" % bad,
                    "exit %d, stderr %s" % (proc.returncode, err))
    proc = s.run(["scan", "--help"])
    if proc is not None:
        text = proc.stdout.decode("utf-8", "replace")
        s.check(proc.returncode == 0 and "--delivery-slack" in text and "--no-prune" in text,
                "scan --help teaches --delivery-slack and --no-prune")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
