#!/usr/bin/env python3
"""End-to-end: a ~30 MB generated CloudTrail archive with every edge case, digests and insights.

trailwatch scan --format json (with --threads 1 and with the default thread count) must report exactly the
generator's ground truth: files, records, matched events, oversize matches, every datapoint and every alarm window,
the digest and insight trees as skipped, and a warning for the .json.gz that holds plain JSON. --format csv and
--format table must run too.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (CORPUS_OPTIONS, CORPUS_SIZE, RULE_ID, Suite, compare_rule_numbers, json_differences, num, path_listed,  # noqa: E402
                        tail, truth_datapoints, truth_windows, verify_truth)



def check_input(s, doc, truth, label):
    inp = doc.get("input") or {}
    s.equal(inp.get("mode"), "full", "%s: input.mode" % label)
    s.equal(num(inp.get("files")), truth["total_files"], "%s: input.files" % label)
    s.equal(num(inp.get("files_failed")), 0, "%s: input.files_failed" % label)
    s.equal(num(inp.get("records")), truth["total_records"], "%s: input.records" % label)
    s.equal(num(inp.get("records_failed")), 0, "%s: input.records_failed" % label)
    s.equal(num(inp.get("records_out_of_range")), 0, "%s: input.records_out_of_range" % label)
    s.equal(inp.get("partial"), False, "%s: input.partial" % label)
    s.check(inp.get("errors") == [], "%s: input.errors is empty" % label, "got %r" % (inp.get("errors"),))
    s.equal(num(inp.get("bytes_read")), truth["bytes_on_disk"],
            "%s: input.bytes_read = bytes of the files read" % label)
    s.equal(num(inp.get("bytes_inflated")), truth["bytes_inflated"],
            "%s: input.bytes_inflated = inflated bytes of the gzip files" % label)
    skipped = inp.get("skipped") or {}
    s.check(num(skipped.get("digest", 0)) > 0, "%s: input.skipped.digest > 0" % label,
            "got %r (the tree has %d digest files)" % (skipped.get("digest"), truth["skipped"]["digest"]))
    s.check(num(skipped.get("insight", 0)) > 0, "%s: input.skipped.insight > 0" % label,
            "got %r (the tree has %d insight files)" % (skipped.get("insight"), truth["skipped"]["insight"]))
    if num(skipped.get("digest", 0)) != truth["skipped"]["digest"] or \
            num(skipped.get("insight", 0)) != truth["skipped"]["insight"]:
        s.note("%s: skipped digest/insight = %r/%r, files in those trees = %d/%d" % (
            label, skipped.get("digest"), skipped.get("insight"), truth["skipped"]["digest"],
            truth["skipped"]["insight"]))
    s.equal(num(skipped.get("other_name")), truth["skipped"]["other_name"],
            "%s: input.skipped.other_name (a .txt beside the logs)" % label)
    warnings = inp.get("warnings") or []
    for rel in truth["warnings_expected"]:
        s.check(path_listed(warnings, rel), "%s: input.warnings names the .json.gz holding plain JSON" % label,
                "expected a warning for %s\ngot %r" % (rel, warnings))
    s.check(all(str(w.get("warning", "")).strip() for w in warnings), "%s: every warning has a text" % label,
            repr(warnings))
    others = [w for w in warnings if not any(path_listed([w], rel) for rel in truth["warnings_expected"])]
    if others:
        s.note("%s: other warnings: %r" % (label, others[:5]))


def check_generator_rule(s, doc, truth, label):
    """The generator (tools/gen_archive.py) keeps its own copy of the rule's id and pattern, written into its
    decoys and its ground truth: it must be the rule the binary runs by default (rules.hpp default_rule())."""
    rules = doc.get("rules") or []
    got = (rules[0].get("id"), rules[0].get("pattern")) if rules else None
    want = (truth["rule"]["id"], truth["rule"]["pattern"])
    s.equal(got, want, "%s: the generator's rule (id, pattern) is the binary's default rule" % label)


def check_rule_shape(s, doc, label):
    rules = doc.get("rules") or []
    s.equal([r.get("id") for r in rules], [RULE_ID], "%s: the default run has exactly the rule %s" % (label, RULE_ID))
    if not rules:
        return
    rule = rules[0]
    metric = rule.get("metric") or {}
    s.equal((metric.get("namespace"), metric.get("name"), metric.get("value"), metric.get("default_value"),
             metric.get("dimensions")), ("CloudTrailMetrics", "CMKEventCount", "1", None, {}),
            "%s: metric (namespace, name, value, default_value, dimensions)" % label)
    series = rule.get("series") or []
    s.check(len(series) == 1 and series[0].get("dimensions") == {},
            "%s: exactly one series, with dimensions {}" % label, "got %r" % [x.get("dimensions") for x in series])
    alarms = rule.get("alarms") or []
    s.equal(len(alarms), 1, "%s: one alarm" % label)
    if alarms:
        a = alarms[0]
        got = {k: num(a.get(k)) for k in ("period", "statistic", "comparison_operator", "threshold",
                                          "evaluation_periods", "datapoints_to_alarm", "treat_missing_data",
                                          "evaluation_range_periods")}
        s.equal(got, {"period": 300, "statistic": "Sum", "comparison_operator": "GreaterThanOrEqualToThreshold",
                      "threshold": 1, "evaluation_periods": 1, "datapoints_to_alarm": 1,
                      "treat_missing_data": "missing", "evaluation_range_periods": 3},
                "%s: the default alarm's settings" % label)


def without_timing(doc):
    """The document minus what may legitimately differ between two runs."""
    doc = dict(doc)
    inp = dict(doc.get("input") or {})
    inp.pop("seconds", None)
    inp.pop("threads", None)  # not in the contract, but naturally differs
    doc["input"] = inp
    return doc


def main():
    s = Suite(__doc__)
    corpus = os.path.join(s.tmp, "corpus")
    truth = s.generate(corpus, *CORPUS_OPTIONS, label="corpus (%s, edge cases)" % CORPUS_SIZE)
    verify_truth(s, corpus, truth)
    s.check(truth["matched_oversize"] >= 1 and len(truth["windows"]) >= 2 and truth["warnings_expected"],
            "the corpus holds oversize matches, several windows and a plain .json.gz")
    points = truth_datapoints(truth["datapoints"])
    windows = truth_windows(truth["windows"])

    docs = {}
    for label, extra in (("--threads 1", ["--threads", "1"]), ("default threads", [])):
        doc = s.scan_json(extra + [corpus], label)
        if doc is None:
            continue
        docs[label] = doc
        check_input(s, doc, truth, label)
        check_rule_shape(s, doc, label)
        check_generator_rule(s, doc, truth, label)
        compare_rule_numbers(s, doc, label, truth["matched_events"], truth["matched_oversize"], points, windows)
    if len(docs) == 2:
        a, b = (without_timing(d) for d in docs.values())
        s.check(a == b, "--threads 1 and the default thread count give the same document (but for input.seconds and .threads)",
                "\n".join(json_differences(a, b)))

    for fmt in ("csv", "table"):
        proc = s.run(["scan", "--format", fmt, corpus], label="--format " + fmt)
        if proc is None:
            continue
        s.check(proc.returncode == 0, "--format %s: exit code 0" % fmt,
                "got %d; stderr:\n%s" % (proc.returncode, tail(proc.stderr)))
        s.check(proc.stdout.strip() != b"", "--format %s: writes something to stdout" % fmt)
        if fmt == "csv":
            lines = proc.stdout.decode("utf-8", "replace").strip().splitlines()
            s.check(len(lines) >= 2 and all("," in line for line in lines[:2]),
                    "--format csv: a header and data rows, comma separated", tail(proc.stdout, 600))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
