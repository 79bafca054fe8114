#!/usr/bin/env python3
"""Coverage (docs/design.md "Coverage"). A small CloudTrail tree, one account, two regions delivering every five
minutes from 00:00 to 08:00, where eu-west-1 delivered nothing from 02:00 to 05:00, and an independent Python model of
the documented gap rule:

- input.delivery names the silence (from the last delivery before it to the first after it), with first, last and
  the streams; input.coverage spans the matched events; stderr warns, the table shows a coverage block, CSV a gap
  row; the exit code is not changed by a gap;
- --gap 4h removes it (and is another question: another fingerprint); --start/--end add the edge gaps and clip to
  the window, with pruning or without it (--no-prune), as the model says for many windows and --gap values;
- a log file that cannot be read still counts as delivered (its error is named; exit 2);
- shards merge into the unsharded coverage (also with a window), and parts of different --gap are refused;
- files outside the layout give no delivery (null), a scan without matches no coverage (null); a bad --gap is a
  usage error."""
import calendar
import gzip
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, json_differences, tail, write  # noqa: E402

ACCOUNT = "111122223333"
REGIONS = ("eu-west-1", "us-east-1")
HOLE_REGION = "eu-west-1"
MINUTE = 60
HOUR = 3600


def epoch(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


DAY0 = epoch("2024-06-03T00:00")
HOLE = (epoch("2024-06-03T02:00"), epoch("2024-06-03T05:00"))
MATCHES = {("us-east-1", epoch("2024-06-03T01:10")): "DisableKey",
           (HOLE_REGION, epoch("2024-06-03T06:30")): "ScheduleKeyDeletion"}


def log_path(root, region, t, unique="ABCDEFGHIJKLMNOP"):
    day = time.strftime("%Y/%m/%d", time.gmtime(t))
    stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime(t))
    name = "%s_CloudTrail_%s_%s_%s.json.gz" % (ACCOUNT, region, stamp, unique)
    return os.path.join(root, "AWSLogs", ACCOUNT, "CloudTrail", region, day, name)


def record(region, t, name):
    return {"eventVersion": "1.08", "eventTime": iso(t), "eventSource": "kms.amazonaws.com", "eventName": name,
            "awsRegion": region, "recipientAccountId": ACCOUNT, "eventID": "%s-%d" % (region, t)}


def build_tree(root):
    """Returns {region: [delivery times]} of the files written."""
    deliveries = {r: [] for r in REGIONS}
    for region in REGIONS:
        for t in range(DAY0, DAY0 + 8 * HOUR, 5 * MINUTE):
            if region == HOLE_REGION and HOLE[0] <= t < HOLE[1]:
                continue
            name = MATCHES.get((region, t), "Encrypt")
            body = json.dumps({"Records": [record(region, t - 3 * MINUTE, name)]}).encode()
            write(log_path(root, region, t), gzip.compress(body, mtime=0))
            deliveries[region].append(t)
    return deliveries


def model_gaps(deliveries, gap, start=None, end=None, lead=15 * MINUTE, slack=None):
    """The documented rule, written again: per region, the free time between consecutive deliveries read, before
    the first and after the last, clipped to [start or first, end or last], kept when longer than gap. With pruning
    (slack given), only deliveries in [start - lead, end + slack) are read."""
    gaps = []
    for region in sorted(deliveries):
        times = sorted(deliveries[region])
        if slack is not None:
            times = [t for t in times if (start is None or t >= start - lead) and (end is None or t < end + slack)]
        if not times:
            continue
        lo = start if start is not None else times[0]
        hi = end if end is not None else times[-1]
        bounds = [None] + times + [None]
        for a, b in zip(bounds, bounds[1:]):
            a = lo if a is None else max(a, lo)
            b = hi if b is None else min(b, hi)
            if b - a > gap:
                gaps.append({"account": ACCOUNT, "region": region, "from": iso(a), "to": iso(b)})
    return gaps


def comparable(doc):
    doc = json.loads(json.dumps(doc))
    doc["input"].pop("seconds", None)
    doc["input"].pop("threads", None)
    doc.pop("shard", None)
    return doc


def main():
    s = Suite(__doc__)
    root = os.path.join(s.tmp, "archive")
    deliveries = build_tree(root)
    logs = os.path.join(root, "AWSLogs")
    hole_gap = {"account": ACCOUNT, "region": HOLE_REGION, "from": "2024-06-03T01:55:00Z",
                "to": "2024-06-03T05:00:00Z"}
    hole_line = ("no logs for %s %s from 2024-06-03T01:55:00Z to 2024-06-03T05:00:00Z (3h5m)"
                 % (ACCOUNT, HOLE_REGION))

    # ---- the gap, in every output ----------------------------------------------------------------------------------
    proc = s.run(["scan", "--format", "json", logs], label="json")
    doc = json.loads(proc.stdout)
    s.equal(proc.returncode, 0, "a gap does not change the exit code")
    delivery = doc["input"]["delivery"]
    s.equal(delivery["gaps"], [hole_gap], "json: the three hours missing in eu-west-1 are one gap")
    s.equal(delivery["gaps"], model_gaps(deliveries, HOUR), "json: the gaps are the model's")
    s.equal((delivery["first"], delivery["last"]), ("2024-06-03T00:00:00Z", "2024-06-03T07:55:00Z"),
            "json: first and last delivery")
    s.equal(delivery["streams"],
            [{"account": ACCOUNT, "region": r, "first": "2024-06-03T00:00:00Z", "last": "2024-06-03T07:55:00Z",
              "files": len(deliveries[r])} for r in sorted(REGIONS)], "json: one stream per account and region")
    s.equal(doc["input"]["coverage"], {"first_event": "2024-06-03T01:07:00Z", "last_event": "2024-06-03T06:27:00Z"},
            "json: coverage spans the matched events")
    s.equal(doc["plan"]["settings"].get("gap"), 3600, "plan.settings carries --gap (1h by default)")
    err = proc.stderr.decode()
    s.check("logs are missing" in err and hole_line in err, "stderr warns, naming the gap", err)

    proc = s.run(["scan", logs], label="table")
    out = proc.stdout.decode()
    s.check("coverage  logs from 2024-06-03T00:00:00Z to 2024-06-03T07:55:00Z" in out and hole_line in out,
            "table: the coverage block names the gap", out)
    s.check("matched events from 2024-06-03T01:07:00Z to 2024-06-03T06:27:00Z" in out,
            "table: and the matched events' span", out)
    s.check(out.index("coverage") < out.index("rule "), "table: the coverage block comes before the rules", out)
    proc = s.run(["scan", "--format", "csv", logs], label="csv")
    rows = proc.stdout.decode().splitlines()
    s.equal([r for r in rows if r.startswith("gap,")],
            ["gap,,,account=%s region=%s,2024-06-03T01:55:00Z,2024-06-03T05:00:00Z,,,,," % (ACCOUNT, HOLE_REGION)],
            "csv: one gap row")

    proc = s.run(["scan", "--format", "json", "--gap", "4h", logs], label="--gap 4h")
    relaxed = json.loads(proc.stdout)
    s.equal(relaxed["input"]["delivery"]["gaps"], [], "--gap 4h: no gap")
    s.check("logs are missing" not in proc.stderr.decode(), "--gap 4h: no warning", tail(proc.stderr))
    s.check(relaxed["plan"]["fingerprint"] != doc["plan"]["fingerprint"], "--gap 4h is another question")
    proc = s.run(["scan", "--gap", "4h", logs], label="table --gap 4h")
    s.check("no gap over 4h" in proc.stdout.decode(), "table --gap 4h: says there is no gap", tail(proc.stdout))
    s.equal(json.loads(s.run(["scan", "--format", "json", "--gap", "184m", logs]).stdout)["input"]["delivery"]["gaps"],
            [hole_gap], "--gap 184m: the 185-minute silence is still a gap")

    # ---- windows: edge gaps and clipping, with and without pruning -------------------------------------------------
    windows = [("2024-06-02T22:00", "2024-06-03T10:00"), ("2024-06-03T00:30", "2024-06-03T07:00"),
               ("2024-06-03T03:00", "2024-06-03T04:30"), ("2024-06-03T03:00", None), (None, "2024-06-03T04:30"),
               ("2024-06-03T06:00", "2024-06-03T09:30"), ("2024-06-02T20:00", "2024-06-02T23:00")]
    for start, end in windows:
        for gap_text, gap in (("1h", HOUR), ("30m", 30 * MINUTE), ("2h", 2 * HOUR)):
            for prune in (True, False):
                args = ["scan", "--format", "json", "--gap", gap_text, "--delivery-slack", "30m"]
                if start:
                    args += ["--start", start]
                if end:
                    args += ["--end", end]
                if not prune:
                    args.append("--no-prune")
                label = "window %s..%s --gap %s%s" % (start, end, gap_text, "" if prune else " --no-prune")
                proc = s.run(args + [logs], label=label)
                got = json.loads(proc.stdout)["input"]["delivery"]
                expected = model_gaps(deliveries, gap, epoch(start) if start else None, epoch(end) if end else None,
                                      slack=30 * MINUTE if prune else None)
                s.equal(got["gaps"] if got else [], expected, "%s: the model's gaps" % label)
    proc = s.run(["scan", "--format", "json", "--start", "2024-06-02T22:00", "--end", "2024-06-03T10:00", logs])
    s.equal(len(json.loads(proc.stdout)["input"]["delivery"]["gaps"]), 5,
            "a window wider than the deliveries: both regions' edges at both ends, and the hole")

    # ---- a file that cannot be read was still delivered -------------------------------------------------------------
    damaged = os.path.join(s.tmp, "damaged")
    shutil.copytree(root, damaged)
    write(log_path(damaged, HOLE_REGION, epoch("2024-06-03T03:30")), b"")
    proc = s.run(["scan", "--format", "json", os.path.join(damaged, "AWSLogs")], label="damaged")
    got = json.loads(proc.stdout)
    s.equal(proc.returncode, 2, "damaged: an empty log file is an error (exit 2)")
    s.equal(got["input"]["delivery"]["gaps"],
            [dict(hole_gap, to="2024-06-03T03:30:00Z"), dict(hole_gap, **{"from": "2024-06-03T03:30:00Z"})],
            "damaged: its name still counts as a delivery, splitting the silence")

    # ---- shards ----------------------------------------------------------------------------------------------------
    for extra in ([], ["--start", "2024-06-02T22:00", "--end", "2024-06-03T10:00", "--gap", "30m"]):
        whole = comparable(json.loads(s.run(["scan", "--format", "json", "--threads", "2"] + extra + [logs]).stdout))
        for n in (2, 3, 5):
            parts = []
            for i in range(n):
                part = os.path.join(s.tmp, "part-%d-%d.json" % (n, i))
                s.run(["scan", "--format", "json", "--threads", "1", "--shard", "%d/%d" % (i, n), "-o", part]
                      + extra + [logs], label="shard %d/%d" % (i, n))
                parts.append(part)
            proc = s.run(["merge", "--format", "json"] + parts, label="merge N=%d" % n)
            merged = comparable(json.loads(proc.stdout))
            diffs = json_differences(merged, whole)
            s.check(not diffs, "%s N=%d: merge(shards) equals the unsharded report" % (" ".join(extra) or "default", n),
                    "\n".join(diffs))
            s.check(("logs are missing" in proc.stderr.decode()) == bool(whole["input"]["delivery"]["gaps"]),
                    "merge N=%d: warns on stderr as the scan does" % n, tail(proc.stderr))
    other = os.path.join(s.tmp, "part-other-gap.json")
    # The last parts above were written with the window and --gap 30m: this one differs only in --gap.
    s.run(["scan", "--format", "json", "--shard", "1/2", "--start", "2024-06-02T22:00", "--end", "2024-06-03T10:00",
           "--gap", "2h", "-o", other, logs])
    proc = s.run(["merge", os.path.join(s.tmp, "part-2-0.json"), other], label="merge of different --gap")
    s.check(proc.returncode == 64 and "part-other-gap.json" in proc.stderr.decode(),
            "parts of different --gap are refused (exit 64), naming the part", tail(proc.stderr))

    # ---- nothing to say ------------------------------------------------------------------------------------------
    loose = os.path.join(s.tmp, "loose", "export.json")
    write(loose, json.dumps({"Records": [record("us-east-1", DAY0, "Encrypt")]}).encode())
    doc = s.scan_json([os.path.dirname(loose)], "outside the layout")
    if doc:
        s.equal((doc["input"]["delivery"], doc["input"]["coverage"]), (None, None),
                "outside the layout and without matches: delivery and coverage are null")
    moved = os.path.join(s.tmp, "flat", os.path.basename(log_path(root, "us-east-1", DAY0)))
    os.makedirs(os.path.dirname(moved))
    shutil.copy(log_path(root, "us-east-1", DAY0), moved)
    doc = s.scan_json([moved], "a log file taken out of its folders")
    if doc:
        s.equal(doc["input"]["delivery"], None, "a log file's name alone, out of its folders, is not the layout")
    rel = os.path.relpath(log_path(root, "us-east-1", DAY0), os.path.dirname(log_path(root, "us-east-1", DAY0)))
    doc = s.scan_json([rel], "a relative file argument in the layout", cwd=os.path.dirname(log_path(root, "us-east-1",
                                                                                                    DAY0)))
    if doc:
        s.equal(doc["input"]["delivery"] and doc["input"]["delivery"]["streams"][0]["region"], "us-east-1",
                "a file argument named relative to its day folder is placed in the layout")
    for bad in ("0", "5", "1w", "-1h"):
        proc = s.run(["scan", "--gap", bad, logs], label="--gap %s" % bad)
        s.check(proc.returncode == 64 and "--gap" in proc.stderr.decode(), "--gap %s is a usage error" % bad,
                tail(proc.stderr))
    proc = s.run(["scan", "--help"])
    s.check("--gap" in proc.stdout.decode(), "scan --help lists --gap")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
