#!/usr/bin/env python3
"""End-to-end: damaged inputs beside good ones.

A tree of good CloudTrail files gets, one by one: a truncated .json.gz, a .json.gz with a flipped CRC byte, a .json.gz
with trailing garbage, an empty .json.gz, a .json.gz whose JSON is cut inside its first record, a .json with invalid
JSON and a .json that is not JSON at all (an S3 error page). trailwatch must exit 2, list every bad file in
input.errors with a message, mark the run partial and still report the good files' numbers exactly (the damaged
copies are made from files full of matches, so counting any of their records shows). A symbolic link to a directory
and a FIFO inside the tree must be skipped (input.skipped.symlink / not_regular), not reported as errors, and the
FIFO must not be opened (the scan would hang).

Decided here, before docs/design.md "Reading input" said that a damaged file counts none of its records, not even
those before the damage: the JSON-level damage sits inside the first record, so no complete record precedes it and
the expected numbers are the same under either reading; the gzip-level damage (CRC, length, truncation, trailing
bytes) is in files full of records and matches, none of which may be counted, since those checks cover the whole
member.
"""
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (write, Suite, compare_rule_numbers, find_rule, num, numbers_from_truth_files, path_listed,  # noqa: E402
                        truth_datapoints, truth_windows, verify_truth)


def main():
    s = Suite(__doc__)
    tree = os.path.join(s.tmp, "tree")
    truth = s.generate(tree, "--seed", "5150", "--target-bytes", "1M", "--accounts", "1",
                       "--regions", "us-east-1,eu-central-1", "--match-rate", "0.01", label="good files")
    verify_truth(s, tree, truth)
    points, windows = truth_datapoints(truth["datapoints"]), truth_windows(truth["windows"])
    good = [f for f in truth["files"] if f["format"] == "envelope-gz"]
    donor = max(good, key=lambda f: (len(f["matches"]), f["records"]))  # damaged copies are made from this one
    with open(os.path.join(tree, donor["path"]), "rb") as f:
        donor_gz = f.read()
    donor_json = gzip.decompress(donor_gz)
    s.check(len(donor["matches"]) > 0, "the donor file of the damaged copies holds matches (%d)" % len(donor["matches"]))

    # things the walk must pass over: a symlink to a directory (outside the tree, full of matches) and a FIFO
    acct_dir = os.path.join(tree, os.path.dirname(donor["path"]))
    outside = os.path.join(s.tmp, "outside", "more-logs")
    write(os.path.join(outside, os.path.basename(donor["path"])), donor_gz)
    os.symlink(outside, os.path.join(acct_dir, "linked-logs"))
    fifo = os.path.join(acct_dir, "000000000000_CloudTrail_us-east-1_20240603T0000Z_FIFOFIFOFIFOFIFO.json.gz")
    os.mkfifo(fifo)

    doc = s.scan_json([tree], "good files + symlink + FIFO", timeout=30)
    if doc is not None:
        inp = doc.get("input") or {}
        skipped = inp.get("skipped") or {}
        s.check(num(skipped.get("symlink", 0)) >= 1, "input.skipped.symlink counts the directory link",
                "skipped: %r" % skipped)
        s.check(num(skipped.get("not_regular", 0)) >= 1, "input.skipped.not_regular counts the FIFO",
                "skipped: %r" % skipped)
        s.check(inp.get("errors") == [], "the symlink and the FIFO are not errors", "errors: %r" % inp.get("errors"))
        s.equal(num(inp.get("files")), truth["total_files"], "good tree: input.files")
        s.equal(num(inp.get("records")), truth["total_records"], "good tree: input.records (link not followed)")
        compare_rule_numbers(s, doc, "good tree", truth["matched_events"], 0, points, windows)

    # the damaged files, in a day folder of their own
    bad_dir = os.path.join(tree, os.path.dirname(donor["path"]), "..", "..", "05", "31")
    bad_dir = os.path.normpath(bad_dir)
    prefix = os.path.basename(donor["path"]).split("_CloudTrail_")[0] + "_CloudTrail_us-east-1_20240531T23"
    first_record_end = donor_json.index(b'"eventID"')  # well inside the first record
    bad = {
        "truncated": (prefix + "01Z_TRUNCATEDxxxxxxx.json.gz", donor_gz[: len(donor_gz) // 2]),
        "bad CRC": (prefix + "02Z_BADCRCxxxxxxxxxx.json.gz",
                    donor_gz[:-8] + bytes([donor_gz[-8] ^ 0x5A]) + donor_gz[-7:]),
        "trailing garbage": (prefix + "03Z_TRAILINGxxxxxxxx.json.gz", donor_gz + b"GARBAGE AFTER THE MEMBER\n"),
        "empty": (prefix + "04Z_EMPTYxxxxxxxxxxx.json.gz", b""),
        "JSON cut mid-record": (prefix + "05Z_CUTJSONxxxxxxxxx.json.gz", gzip.compress(donor_json[:first_record_end])),
        "invalid JSON": (prefix + "06Z_INVALIDxxxxxxxxx.json",
                         b'{"Records":[{"eventVersion":"1.08" "eventTime":"2024-05-31T23:01:00Z",'
                         b'"eventSource":"kms.amazonaws.com","eventName":"DisableKey"}]}'),
        "not JSON": (prefix + "07Z_NOTJSONxxxxxxxxx.json",
                     b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
                     b'<Message>Access Denied</Message><RequestId>4E5F6A7B8C9D0E1F</RequestId></Error>'),
    }
    try:
        json.loads(bad["invalid JSON"][1])
        s.check(False, "the invalid JSON file is invalid")
    except ValueError:
        pass
    for what, (name, data) in bad.items():
        write(os.path.join(bad_dir, name), data)
    rel = {what: os.path.relpath(os.path.join(bad_dir, name), tree) for what, (name, _) in bad.items()}

    doc = s.scan_json([tree], "tree with damaged files", timeout=30, expect_exit=2)
    if doc is not None:
        inp = doc.get("input") or {}
        errors = inp.get("errors") or []
        for what, path in rel.items():
            listed = [e for e in errors if path_listed([e], path)]
            s.check(len(listed) == 1 and str(listed[0].get("error", "")).strip(),
                    "input.errors lists the %s file with a message" % what,
                    "looking for %s in\n%s" % (path, json.dumps(errors, indent=1)[:3000]))
        s.check(len(errors) == len(bad), "input.errors has exactly the %d damaged files" % len(bad),
                "got %d: %r" % (len(errors), [e.get("path") for e in errors]))
        s.equal(num(inp.get("files_failed")), len(bad), "input.files_failed")
        s.equal(inp.get("partial"), True, "input.partial")
        files = num(inp.get("files"))
        s.check(files in (truth["total_files"], truth["total_files"] + len(bad)),
                "input.files counts the good files (with or without the failed ones)",
                "got %r; good %d, damaged %d" % (files, truth["total_files"], len(bad)))
        s.equal(num(inp.get("records")), truth["total_records"], "damaged tree: input.records = the good files' records")
        skipped = inp.get("skipped") or {}
        s.check(num(skipped.get("symlink", 0)) >= 1 and num(skipped.get("not_regular", 0)) >= 1,
                "damaged tree: symlink and FIFO still skipped", "skipped: %r" % skipped)
        compare_rule_numbers(s, doc, "damaged tree", truth["matched_events"], 0, points, windows)

    # one damaged file named on the command line
    doc = s.scan_json([os.path.join(bad_dir, bad["truncated"][0])], "a truncated file as the argument",
                      timeout=30, expect_exit=2)
    if doc is not None:
        errors = (doc.get("input") or {}).get("errors") or []
        s.check(path_listed(errors, rel["truncated"]), "the truncated argument is listed in input.errors",
                repr(errors))

    # a realistic cut: the JSON of a file full of matches ends in the middle of a record half way through; whatever
    # is read before the cut, the file must be an error and the run partial
    cut_at = donor_json.index(b'{"eventVersion"', len(donor_json) // 2) + 200
    mid_cut = os.path.join(s.tmp, "midcut", prefix + "08Z_MIDCUTxxxxxxxxxx.json.gz")
    write(mid_cut, gzip.compress(donor_json[:cut_at]))
    doc = s.scan_json([mid_cut], "JSON cut half way through a file", timeout=30, expect_exit=2)
    if doc is not None:
        inp = doc.get("input") or {}
        s.check(path_listed(inp.get("errors"), mid_cut) and inp.get("partial") is True,
                "JSON cut half way: listed in input.errors, run partial", repr(inp.get("errors")))
        rule = find_rule(doc)
        s.note("JSON cut half way: records %r, matched_events %r reported from the %d complete records before the cut"
               % (inp.get("records"), rule and rule.get("matched_events"), donor_json[:cut_at].count(b'{"eventVersion"') - 1))

    # several gzip members: read as one stream (as zcat does), with a warning for a CloudTrail log file
    # (docs/design.md "Reading input"); the envelope's bytes are split at an arbitrary point between the two
    # members
    split = len(donor_json) // 3
    multi_rel = os.path.join(os.path.dirname(donor["path"]), prefix.replace("20240531T23", "20240603T12") +
                             "00Z_MULTIMEMBERxxxxx.json.gz")
    multi_dir = os.path.join(s.tmp, "multi")
    write(os.path.join(multi_dir, multi_rel), gzip.compress(donor_json[:split]) + gzip.compress(donor_json[split:]))
    doc = s.scan_json([multi_dir], "a log file of two gzip members", timeout=30)
    if doc is not None:
        inp = doc.get("input") or {}
        s.equal(num(inp.get("records")), donor["records"], "two gzip members: every record of both members")
        s.check(path_listed(inp.get("warnings"), multi_rel), "two gzip members: a warning names the file",
                "warnings: %r" % inp.get("warnings"))
        expected = numbers_from_truth_files([donor])
        compare_rule_numbers(s, doc, "two gzip members", expected["matched"], expected["oversize"],
                             expected["datapoints"], expected["windows"])
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
