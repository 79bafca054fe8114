#!/usr/bin/env python3
"""`trailwatch audit --from-dir` on the hand-written folders of testdata/audit: exit codes (0 pass, 1 fail, 2 could
not complete, 64 usage), JSON and table output, -o, and the --help that teaches the permissions and the layout."""
import json
import os
import stat
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402


def main():
    s = Suite(__doc__)
    root = os.path.join(s.source_dir, "testdata", "audit")

    def audit(*args):
        return s.run(["audit"] + list(args), timeout=60)

    expected = {"compliant": 0, "broader-pattern": 0, "organization-trail": 0, "narrower-pattern": 1,
                "threshold-2": 1, "two-regions-one-compliant": 1, "pending-confirmation": 1}
    for scenario, code in sorted(expected.items()):
        proc = audit("--from-dir", os.path.join(root, scenario), "--format", "json")
        if proc is None:
            continue
        s.equal(proc.returncode, code, "%s: exit code" % scenario)
        doc = json.loads(proc.stdout)
        s.equal(sorted(doc), ["account", "regions", "rule", "schema", "status"], "%s: top-level keys" % scenario)
        for r in doc["regions"]:
            s.equal(sorted(r), ["findings", "region", "remediation", "status"], "%s: region keys" % scenario)
            for f in r["findings"]:
                s.check(sorted(f) == ["check", "detail", "resources", "status"] and "\n" not in f["detail"],
                        "%s: finding shape, one-line detail" % scenario, repr(f))

    # A region the folder does not hold cannot be audited: ERROR, exit 2, naming the missing file.
    proc = audit("--from-dir", os.path.join(root, "narrower-pattern"), "--region", "us-east-1", "--region",
                 "eu-north-1", "--format", "json")
    if proc is not None:
        s.equal(proc.returncode, 2, "a region missing from the folder: exit 2 (wins over 1)")
        doc = json.loads(proc.stdout)
        s.equal([r["status"] for r in doc["regions"]], ["FAIL", "ERROR"], "region statuses FAIL, ERROR")
        s.equal(doc["status"], "ERROR", "account status ERROR")
        s.check("eu-north-1/sts.GetCallerIdentity.json" in doc["regions"][1]["findings"][0]["detail"],
                "the ERROR finding names the missing file", repr(doc["regions"][1]))

    # --all-regions from a folder lists regions from its ec2.DescribeRegions.json.
    proc = audit("--from-dir", os.path.join(root, "not-opted-in"), "--all-regions", "--format", "json")
    if proc is not None:
        s.equal(proc.returncode, 0, "not opted in: exit 0")
        doc = json.loads(proc.stdout)
        s.equal({r["region"]: r["status"] for r in doc["regions"]}, {"ap-east-1": "SKIPPED", "us-east-1": "PASS"},
                "not opted in: SKIPPED")

    # Table output and -o.
    out = os.path.join(s.tmp, "report.txt")
    proc = audit("--from-dir", os.path.join(root, "threshold-2"), "--format", "table", "-o", out)
    if proc is not None:
        s.equal(proc.returncode, 1, "table -o: exit 1")
        text = open(out, encoding="utf-8").read()
        s.check("us-east-1" in text and "FAIL  alarm" in text and "aws cloudwatch put-metric-alarm" in text,
                "table names the region, the failing link and its fix", text[:2000])

    # -o on a special file writes in place and leaves it special (a device made here, never the system's); a path
    # that cannot be written is a usage error before the audit runs.
    if os.geteuid() == 0:
        device = os.path.join(s.tmp, "null-device")
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        proc = audit("--from-dir", os.path.join(root, "compliant"), "--format", "json", "-o", device)
        if proc is not None:
            s.equal(proc.returncode, 0, "-o a character device: exit 0")
            s.check(stat.S_ISCHR(os.lstat(device).st_mode), "-o a character device: still a device afterwards")
    else:
        s.note("not root: the character-device case needs mknod (skipped)")
    fifo = os.path.join(s.tmp, "report.fifo")
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()))
    reader.start()
    proc = audit("--from-dir", os.path.join(root, "compliant"), "--format", "json", "-o", fifo)
    reader.join(timeout=60)
    s.check(proc is not None and proc.returncode == 0 and received and json.loads(received[0])["status"] == "PASS"
            and stat.S_ISFIFO(os.lstat(fifo).st_mode), "-o a FIFO: the report goes through it, the FIFO stays")
    proc = audit("--from-dir", os.path.join(root, "compliant"), "-o", os.path.join(s.tmp, "no-such-dir", "r.json"))
    if proc is not None:
        s.check(proc.returncode == 64 and b"no-such-dir" in proc.stderr, "-o in a missing folder: usage error 64",
                "exit %d, stderr %s" % (proc.returncode, tail(proc.stderr)))

    for args, label in ((["--from-dir", root, "--save-dir", s.tmp], "--from-dir with --save-dir"),
                        (["--from-dir", os.path.join(root, "compliant"), "--region", "us-east-1", "--all-regions"],
                         "--region with --all-regions"),
                        (["--from-dir", os.path.join(s.tmp, "nothing-here")], "a missing --from-dir"),
                        (["--from-dir", s.tmp], "a folder without region folders")):
        proc = audit(*args)
        if proc is not None:
            s.check(proc.returncode == 64 and proc.stderr, "%s: usage error 64 with a message" % label,
                    "exit %d, stderr %s" % (proc.returncode, tail(proc.stderr)))

    proc = audit("--help")
    if proc is not None:
        text = proc.stdout.decode()
        for needle in ("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
                       "logs:DescribeMetricFilters", "cloudwatch:DescribeAlarms", "sns:ListSubscriptionsByTopic",
                       "ec2:DescribeRegions", "sts:GetCallerIdentity", "DIR/<region>/<service>.<Operation>",
                       "DELEGATED", "Exit codes"):
            s.check(needle in text, "--help mentions %s" % needle)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
