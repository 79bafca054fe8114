#!/usr/bin/env python3
"""`scan --dedup-events`: an organisation trail and an account trail that recorded the same calls, in one tree. With
the flag each event counts once (the answer equals the organisation trail's alone, for any thread count, also for
a rule whose default value makes every record publish), input.duplicate_events says how many records were left out,
and --matches holds each event once, in input order, identically for 1 and 2 threads. Without the flag the overlap
counts twice. Refused with --shard; part of the plan's settings."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, decode_file, is_match, json_differences, parse_records  # noqa: E402

ORG = "o-abc123"


def copy_account_trail(org_root, account_root, limit):
    """Copies `limit` log files of the organisation trail to where the account's own trail would write them."""
    copied = []
    base = os.path.join(org_root, "AWSLogs", ORG)
    for dirpath, _, names in sorted(os.walk(base)):
        for name in sorted(names):
            if len(copied) >= limit or "/CloudTrail/" not in dirpath + "/" or not name.endswith(".json.gz"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), base)
            target = os.path.join(account_root, "AWSLogs", rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(dirpath, name), target)
            copied.append(target)
    return copied


def publishing_records(path):
    """Records of one copied file that match the default rule."""
    records = [record for record, _ in parse_records(decode_file(path)[0])]
    return sum(1 for r in records if is_match(r))


def main():
    s = Suite(__doc__)
    org = os.path.join(s.tmp, "org")
    acct = os.path.join(s.tmp, "acct")
    s.generate(org, "--seed", "7", "--target-bytes", "3M", "--match-rate", "0.01", "--org-id", ORG,
               label="organisation trail")
    copied = copy_account_trail(org, acct, 25)
    overlap = sum(publishing_records(p) for p in copied)
    s.check(overlap > 0, "the account trail repeats some matches of the organisation trail (%d)" % overlap)

    alone = s.scan_json([org], "organisation trail alone")
    twice = s.scan_json([org, acct], "both trails, without --dedup-events")
    if alone is None or twice is None:
        return s.finish()
    s.equal(twice["rules"][0]["matched_events"], alone["rules"][0]["matched_events"] + overlap,
            "without the flag the overlap counts twice")
    s.equal(twice["input"]["duplicate_events"], None, "without the flag input.duplicate_events is null")

    matches = {}
    for threads in ("1", "2"):
        out = os.path.join(s.tmp, "matches-%s.ndjson" % threads)
        doc = s.scan_json(["--dedup-events", "--threads", threads, "--matches", out, org, acct],
                          "both trails, --dedup-events, %s thread(s)" % threads)
        if doc is None:
            return s.finish()
        diffs = json_differences(doc["rules"], alone["rules"])
        s.check(not diffs, "%s thread(s): the rules equal the organisation trail's alone" % threads, "\n".join(diffs))
        s.equal(doc["input"]["duplicate_events"], overlap, "%s thread(s): input.duplicate_events" % threads)
        with open(out, "rb") as f:
            matches[threads] = f.read()
        lines = [json.loads(line) for line in matches[threads].splitlines()]
        s.equal(len(lines), alone["rules"][0]["matched_events"], "%s thread(s): --matches holds each event once"
                % threads)
        # Inputs are read in path order and ".../acct/..." sorts before ".../org/...": of each event recorded
        # twice, the account trail's copy comes first and is the one kept.
        s.equal(sum(1 for line in lines if line["file"].startswith(acct + "/")), overlap,
                "%s thread(s): the copy kept is the first in input order" % threads)
    s.check(matches["1"] == matches["2"], "--matches is the same for 1 and 2 threads (input order)")

    # A default value makes every record publish: each record of the overlap is then left out.
    rule = ["--pattern", "{ $.eventSource = kms.amazonaws.com }", "--default-value", "0"]
    alone_all = s.scan_json(rule + [org], "default value, organisation trail alone")
    dedup_all = s.scan_json(rule + ["--dedup-events", org, acct], "default value, both trails, --dedup-events")
    if alone_all is not None and dedup_all is not None:
        diffs = json_differences(dedup_all["rules"], alone_all["rules"])
        s.check(not diffs, "default value: the rules equal the organisation trail's alone", "\n".join(diffs))
        s.equal(dedup_all["input"]["duplicate_events"],
                dedup_all["input"]["records"] - alone_all["input"]["records"],
                "default value: every record of the account trail's copies is a duplicate")

    proc = s.run(["scan", "--dedup-events", "--shard", "0/2", org], label="--dedup-events with --shard")
    s.check(proc is not None and proc.returncode == 64 and b"--dedup-events" in proc.stderr,
            "--dedup-events with --shard is a usage error naming the flag")
    plain = s.scan_json([org], "fingerprint without the flag")
    flagged = s.scan_json(["--dedup-events", org], "fingerprint with the flag")
    if plain is not None and flagged is not None:
        s.check(flagged["plan"]["settings"]["dedup_events"] is True
                and plain["plan"]["fingerprint"] != flagged["plan"]["fingerprint"],
                "--dedup-events is in plan.settings and changes the fingerprint")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
