#!/usr/bin/env python3
"""What responders hold besides CloudTrail's own files (docs/design.md "What is a record"): the same records as a
bare array, as `aws cloudtrail lookup-events` output (several pretty-printed pages back to back, and one compact
page), as `aws logs filter-log-events` output, as CloudWatch Logs export lines, and as an envelope whose "Records"
is not its first key (read, with a warning) give the same matches, datapoints and windows as the envelope form,
with --rule cis too. One pretty-printed record is one record. A pretty-printed object that is none of these is an
error naming its keys (exit 2); an unparsable CloudTrailEvent is a failed record, named."""
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, decode_file, is_match, json_differences, parse_records, write  # noqa: E402


def sample_records(source_dir):
    records = []
    root = os.path.join(source_dir, "testdata", "sample")
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith(".json.gz"):
                data, _ = decode_file(os.path.join(dirpath, name))
                records += [r for r, _ in parse_records(data)]
    return records


def forms(records):
    compact = [json.dumps(r, separators=(",", ":")) for r in records]
    pages = [records[i:i + 50] for i in range(0, len(records), 50)]

    def lookup_page(page, indent):
        events = [{"EventId": r.get("eventID"), "EventName": r.get("eventName"), "ReadOnly": "false",
                   "CloudTrailEvent": json.dumps(r, separators=(",", ":"))} for r in page]
        return json.dumps({"Events": events, "NextToken": "token"}, indent=indent)

    return {
        "envelope.json.gz": gzip.compress(json.dumps({"Records": records}).encode()),
        "bare-array.json": json.dumps(records, indent=1).encode(),
        "lookup-events-pages.json": "\n".join(lookup_page(p, 4) for p in pages).encode(),
        "lookup-events-compact.json": lookup_page(records, None).encode(),
        "filter-log-events.json": json.dumps({"events": [
            {"logStreamName": "s", "timestamp": 1, "message": c, "ingestionTime": 2, "eventId": str(i)}
            for i, c in enumerate(compact)], "searchedLogStreams": []}, indent=2).encode(),
        "export-to-s3.gz": gzip.compress("".join(
            "%s %s\n" % (r["eventTime"].replace("Z", ".000Z"), c) for r, c in zip(records, compact)).encode()),
        "other-keys.json": json.dumps({"fileVersion": 1, "Records": records}).encode(),
    }


def main():
    s = Suite(__doc__)
    records = sample_records(s.source_dir)
    s.check(len(records) > 100, "the bundled sample has records (%d)" % len(records))
    root = os.path.join(s.tmp, "forms")
    for name, data in forms(records).items():
        write(os.path.join(root, name), data)

    for rules in ([], ["--rule", "cis"]):
        label = " ".join(rules) or "default rule"
        expected = s.scan_json(rules + [os.path.join(root, "envelope.json.gz")], "%s: envelope form" % label)
        if expected is None:
            return s.finish()
        s.check(any(r["matched_events"] for r in expected["rules"]), "%s: the sample matches" % label)
        for name in sorted(forms(records)):
            if name.startswith("envelope"):
                continue
            doc = s.scan_json(rules + [os.path.join(root, name)], "%s: %s" % (label, name))
            if doc is None:
                continue
            s.equal(doc["input"]["records"], len(records), "%s: %s: every record read" % (label, name))
            s.equal(doc["input"]["errors"], [], "%s: %s: no error" % (label, name))
            diffs = json_differences(doc["rules"], expected["rules"])
            s.check(not diffs, "%s: %s: the same matches, datapoints and windows" % (label, name), "\n".join(diffs))
            warned = [w["warning"] for w in doc["input"]["warnings"]]
            if name == "other-keys.json":
                s.check(any("fileVersion" in w for w in warned), "other keys: a warning names them", repr(warned))
            else:
                s.equal(warned, [], "%s: %s: no warning" % (label, name))

    match = next(r for r in records if is_match(r))
    one = os.path.join(s.tmp, "one-record.json")
    write(one, json.dumps(match, indent=2).encode())
    doc = s.scan_json([one], "one pretty-printed record")
    if doc is not None:
        s.equal((doc["input"]["records"], doc["input"]["records_failed"], doc["rules"][0]["matched_events"]),
                (1, 0, 1), "one pretty-printed record: one record, matched")

    unknown = os.path.join(s.tmp, "unknown.json")
    write(unknown, json.dumps({"Items": [1, 2], "Count": 2}, indent=2).encode())
    doc = s.scan_json([unknown], "a pretty-printed object of another kind", expect_exit=2)
    if doc is not None:
        errors = doc["input"]["errors"]
        s.check(len(errors) == 1 and "Items, Count" in errors[0]["error"] and "lookup-events" in errors[0]["error"],
                "another kind of object: an error naming its keys and what is read instead", json.dumps(errors))

    broken = os.path.join(s.tmp, "broken-lookup.json")
    events = [{"EventId": "1", "CloudTrailEvent": json.dumps(match)}, {"EventId": "2", "CloudTrailEvent": "{not json"}]
    write(broken, json.dumps({"Events": events}, indent=2).encode())
    doc = s.scan_json([broken], "lookup-events with an unparsable CloudTrailEvent", expect_exit=2)
    if doc is not None:
        s.equal((doc["input"]["records"], doc["input"]["records_failed"], doc["rules"][0]["matched_events"]),
                (1, 1, 1), "unparsable CloudTrailEvent: one record read, one failed")
        s.check(any("Events 2" in e["error"] for e in doc["input"]["errors"]),
                "unparsable CloudTrailEvent: the error says which element", json.dumps(doc["input"]["errors"]))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
