#!/usr/bin/env python3
"""`trailwatch test-pattern`: every filter-pattern vector of testdata/filter-vectors.jsonl gives its documented
outcome through the real binary, the JSON output has TestMetricFilter's shape, and invalid patterns exit 64."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402


def test_pattern(s, args, stdin_text):
    return s.run(["test-pattern"] + args, stdin_bytes=stdin_text.encode("utf-8"), timeout=30,
                 label="test-pattern " + " ".join(args)[:80])


def main():
    s = Suite(__doc__)
    vectors_path = os.path.join(s.source_dir, "testdata", "filter-vectors.jsonl")
    with open(vectors_path, encoding="utf-8") as f:
        vectors = [json.loads(line) for line in f if line.strip()]
    s.check(len(vectors) >= 100, "the vector file holds the shared vectors (%d)" % len(vectors))
    wrong = []
    for i, v in enumerate(vectors, 1):
        proc = test_pattern(s, ["--format", "json", "--", v["pattern"]], v["event"] + "\n")
        if proc is None:
            wrong.append((i, v, "no result"))
            continue
        try:
            doc = json.loads(proc.stdout)
            matched = len(doc["matches"]) == 1
        except (ValueError, KeyError) as e:
            wrong.append((i, v, "exit %d, %s, stderr %s" % (proc.returncode, e, tail(proc.stderr, 300))))
            continue
        if proc.returncode != 0 or matched != v["match"]:
            wrong.append((i, v, "exit %d, matched %s" % (proc.returncode, matched)))
    s.check(not wrong, "all %d vectors give their documented outcome" % len(vectors),
            "\n".join("#%d %r on %r: expected %s, %s (source: %s)" % (i, v["pattern"], v["event"][:120], v["match"],
                                                                   why, v.get("source", "?")[:80])
                      for i, v, why in wrong[:20]))

    events = "\n".join([
        '{"eventName":"DisableKey","n":5,"user":"alice"}',
        'plain text, not JSON',
        '',
        '{"eventName":"EnableKey","n":1}',
        '{"eventName":"DisableKey","n":"2.5","user":"bob"}',
    ]) + "\n"
    proc = test_pattern(s, ["--format", "json", "--metric-value", "$.n", "--dimension", "who=$.user",
                            "{ $.eventName = DisableKey }"], events)
    if proc is not None:
        s.equal(proc.returncode, 0, "a valid pattern exits 0")
        doc = json.loads(proc.stdout)
        s.equal(doc.get("events"), 4, "events counts non-empty lines")
        s.equal(doc.get("matches"), [
            {"eventNumber": 1, "eventMessage": '{"eventName":"DisableKey","n":5,"user":"alice"}', "value": 5,
             "dimensions": {"who": "alice"}},
            {"eventNumber": 4, "eventMessage": '{"eventName":"DisableKey","n":"2.5","user":"bob"}', "value": 2.5,
             "dimensions": {"who": "bob"}}], "matches: 1-based numbers, the message, the value, the dimensions")

    proc = test_pattern(s, ["{ $.eventName = Nothing }"], events)
    if proc is not None:
        s.equal(proc.returncode, 0, "a valid pattern that matches nothing still exits 0")
        s.check(b"0 of 4 events matched" in proc.stdout, "the table says how many matched", tail(proc.stdout))

    proc = test_pattern(s, ["{ ($.eventName = DisableKey }"], events)
    if proc is not None:
        s.equal(proc.returncode, 64, "an invalid pattern exits 64")
        s.check(b"^" in proc.stderr, "and shows a caret", tail(proc.stderr))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
