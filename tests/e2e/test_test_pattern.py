#!/usr/bin/env python3
"""`trailwatch test-pattern`: every filter-pattern vector of testdata/filter-vectors.jsonl gives its documented
outcome through the real binary, the JSON output has TestMetricFilter's shape, and invalid patterns exit 64. The
table previews the fields the pattern read, --only-matching lists the matches alone, and `{ A && B || C }` gets the
warning `rules --lint` gives for the same trap."""
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

    check_table(s)
    check_precedence_warning(s)
    return s.finish()


def check_table(s):
    """The table: --only-matching lists the matches alone; each line previews the fields the pattern read."""
    records = [
        {"eventVersion": "1.08", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/alice"},
         "eventSource": "kms.amazonaws.com", "eventName": "DisableKey", "requestParameters": {"keyId": "k-1"}},
        {"eventVersion": "1.08", "userIdentity": {"type": "Root"}, "eventSource": "s3.amazonaws.com",
         "eventName": "GetObject"},
        {"eventVersion": "1.08", "userIdentity": {"type": "IAMUser"}, "eventSource": "kms.amazonaws.com",
         "eventName": "ScheduleKeyDeletion", "requestParameters": {"keyId": "k-2"}},
    ]
    events = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records) + "not json at all\n"
    pattern = "{ $.eventSource = kms.amazonaws.com && $.requestParameters.keyId = k-* }"
    proc = test_pattern(s, [pattern], events)
    if proc is None:
        return
    lines = proc.stdout.decode().rstrip("\n").split("\n")
    s.check(proc.returncode == 0 and len(lines) == 5 and lines[-1] == "2 of 4 events matched",
            "table: a line per event, then the count", proc.stdout.decode())
    if len(lines) == 5:
        s.check(lines[0].split()[:2] == ["1", "MATCH"] and lines[1].split()[:2] == ["2", "no"],
                "table: number and MATCH/no", "\n".join(lines))
        s.check('eventSource="kms.amazonaws.com" requestParameters.keyId="k-1"' in lines[0] and
                "eventVersion" not in lines[0] and "userIdentity" not in lines[0],
                "table: the preview shows the fields the pattern read, not the start of the record", lines[0])
        s.check('eventSource="s3.amazonaws.com" requestParameters.keyId=(missing)' in lines[1],
                "table: a field the event lacks shows as (missing)", lines[1])
        s.check("not a JSON object" in lines[3] and "not json at all" in lines[3],
                "table: a line that is not JSON is shown as text", lines[3])
    proc = test_pattern(s, ["--only-matching", pattern], events)
    if proc is not None:
        lines = proc.stdout.decode().rstrip("\n").split("\n")
        s.check(proc.returncode == 0 and [l.split()[:2] for l in lines[:-1]] == [["1", "MATCH"], ["3", "MATCH"]]
                and lines[-1] == "2 of 4 events matched",
                "--only-matching: the matching events only, numbered as in the input, then the count",
                proc.stdout.decode())
    proc = test_pattern(s, ["--only-matching", "--format", "json", pattern], events)
    if proc is not None:
        doc = json.loads(proc.stdout)
        s.check([m["eventNumber"] for m in doc["matches"]] == [1, 3] and doc["events"] == 4,
                "--only-matching --format json: the same JSON as without it")
    proc = test_pattern(s, ["kms"], events)
    if proc is not None:
        lines = proc.stdout.decode().split("\n")
        s.check(lines[0].split()[:2] == ["1", "MATCH"] and "  ..." in lines[0]
                and '"eventSource":"kms.amazonaws.com"' in lines[0]
                and "eventVersion" not in lines[0],
                "a term pattern reads the whole text: the preview starts a little before the term", lines[0])
        s.check(lines[1].split()[:2] == ["2", "no"] and '{"eventVersion"' in lines[1],
                "an event without the term: the preview is the start of its text", lines[1])


def check_precedence_warning(s):
    """{ A && B || C } gets the warning rules --lint gives for the CIS v3.0.0 4.1 text; parenthesised, none."""
    lint = s.run(["rules", "--lint", "--format", "json"], label="rules --lint --format json")
    finding = None
    if lint is not None and lint.returncode == 0:
        finding = next((f for f in json.loads(lint.stdout)["lint"] if f["defect"] == "or-and-precedence"), None)
    s.check(finding is not None, "rules --lint has the or-and-precedence finding")
    event = '{"errorCode":"Client.UnauthorizedOperation","eventName":"HeadBucket",' \
            '"sourceIPAddress":"delivery.logs.amazonaws.com"}\n'
    if finding:
        proc = test_pattern(s, [finding["pattern"]], event)
        err = proc.stderr.decode() if proc else ""
        s.check(proc is not None and proc.returncode == 0 and "or-and-precedence" in err and "rules --lint" in err
                and "&& binds tighter than ||" in err,
                "test-pattern on the CIS v3.0.0 4.1 text: the or-and-precedence warning, naming rules --lint", err)
        s.check('($.errorCode ="*UnauthorizedOperation") || (($.errorCode ="AccessDenied*") && ' in err,
                "the warning shows how the parser groups it: A || (B && C && D)", err)
        s.check(proc is not None and b"MATCH" in proc.stdout,
                "and the event the lint shows slipping through matches here too", tail(proc.stdout))
    proc = test_pattern(s, ["{ $.a = 1 && $.b = 2 || $.c = 3 }"], '{"c":3}\n')
    if proc is not None:
        s.check("($.a = 1 && $.b = 2) || $.c = 3" in proc.stderr.decode(), "{ A && B || C }: warned, grouped",
                proc.stderr.decode())
    for fine in ("{ ($.a = 1 && $.b = 2) || $.c = 3 }", "{ $.a = 1 && ($.b = 2 || $.c = 3) }",
                 '{ $.a = "x && y || z" }'):
        proc = test_pattern(s, [fine], '{"c":3}\n')
        if proc is not None:
            s.check(proc.returncode == 0 and b"warning" not in proc.stderr, "no warning for %s" % fine,
                    tail(proc.stderr))


if __name__ == "__main__":
    sys.exit(main())
