#!/usr/bin/env python3
"""`scan --shard I/N` and `merge`: for generated corpora (two seeds), several questions (the CIS pack, a --config with
Sum, Average, Minimum, Maximum and SampleCount alarms, M of N and every missing-data mode, --group-by
account,region, a transformation with dimensions and a fractional value, one with a default value, --fast) and N in
{1, 2, 3, 7}, merging the N parts gives the unsharded report field for field (except input.seconds, input.threads
and shard), whatever order the parts are given in (byte for byte). That includes the delivery coverage (its gaps,
which the merge intersects rather than concatenates, also with --gap and a --start/--end window) and the matched
events' span. Also: shards are disjoint and cover every file; a
file reached twice is read once; merge refuses parts that do not fit (exit 64) and names unreadable, truncated,
foreign and missing parts (exit 2)."""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, json_differences, tail, write  # noqa: E402

SHARD_COUNTS = (1, 2, 3, 7)


def config_files(tmp):
    """A describe-metric-filters and a describe-alarms export exercising every statistic and missing-data mode."""
    filters = {"metricFilters": [
        {"filterName": "CMK", "logGroupName": "trail",
         "filterPattern": "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
                          "($.eventName = ScheduleKeyDeletion)) }",
         "metricTransformations": [{"metricName": "CMK", "metricNamespace": "Test", "metricValue": "1"}]},
        {"filterName": "KmsByName", "logGroupName": "trail", "filterPattern": "{ $.eventSource = kms.amazonaws.com }",
         "metricTransformations": [{"metricName": "Kms", "metricNamespace": "Test", "metricValue": "1",
                                    "dimensions": {"EventName": "$.eventName"}}]},
        {"filterName": "S3Share", "logGroupName": "trail", "filterPattern": "{ $.eventSource = s3.amazonaws.com }",
         "metricTransformations": [{"metricName": "S3", "metricNamespace": "Test", "metricValue": "1",
                                    "defaultValue": 0}]},
    ]}

    def alarm(name, metric, statistic, op, threshold, n=1, m=1, missing="missing", dims=None, period=300):
        return {"AlarmName": name, "MetricName": metric, "Namespace": "Test", "Statistic": statistic,
                "Dimensions": [{"Name": k, "Value": v} for k, v in (dims or {}).items()], "Period": period,
                "EvaluationPeriods": n, "DatapointsToAlarm": m, "Threshold": threshold,
                "ComparisonOperator": op, "TreatMissingData": missing}

    alarms = {"MetricAlarms": [
        alarm("cmk-sum-2-of-3", "CMK", "Sum", "GreaterThanOrEqualToThreshold", 1, n=3, m=2, missing="missing"),
        alarm("cmk-max-breaching", "CMK", "Maximum", "GreaterThanOrEqualToThreshold", 1, missing="breaching",
              period=900),
        alarm("disablekey-count", "Kms", "SampleCount", "GreaterThanThreshold", 1,
              dims={"EventName": "DisableKey"}, missing="notBreaching"),
        alarm("s3-share-average", "S3", "Average", "LessThanThreshold", 0.3, n=2, m=2, missing="ignore"),
        alarm("s3-share-minimum", "S3", "Minimum", "LessThanOrEqualToThreshold", 0, missing="notBreaching",
              period=600),
    ]}
    paths = (os.path.join(tmp, "filters.json"), os.path.join(tmp, "alarms.json"))
    write(paths[0], json.dumps(filters).encode())
    write(paths[1], json.dumps(alarms).encode())
    return ["--config", paths[0], "--config", paths[1]]


def questions(tmp):
    return {
        "cis": ["--rule", "cis"],
        "config": config_files(tmp),
        "cis-grouped": ["--rule", "cis", "--group-by", "account,region"],
        "dimensions": ["--pattern", "{ $.eventSource = kms.amazonaws.com }", "--dimension", "name=$.eventName",
                       "--dimension", "region=$.awsRegion", "--metric-value", "2.5", "--statistic", "Average",
                       "--evaluation-periods", "3", "--datapoints-to-alarm", "2", "--treat-missing-data", "breaching"],
        "default-value": ["--pattern", "{ $.eventSource = s3.amazonaws.com }", "--default-value", "0",
                          "--statistic", "Minimum", "--comparison-operator", "LessThanThreshold", "--threshold", "1",
                          "--treat-missing-data", "ignore"],
        "fast": ["--fast"],
        # docs/design.md "Coverage": edge gaps from --start and to --end, and a --gap of its own.
        "window-gap": ["--rule", "cis", "--start", "2024-06-03T02:00", "--end", "2024-06-03T20:00", "--gap", "30m"],
        "gap-3h": ["--gap", "3h"],
    }


def comparable(doc):
    """The report without what may differ between one run and a merge of shards."""
    doc = json.loads(json.dumps(doc))
    doc["input"].pop("seconds", None)
    doc["input"].pop("threads", None)
    doc.pop("shard", None)
    return doc


class Runner:
    def __init__(self, suite):
        self.s = suite

    def scan(self, args, out, label):
        proc = self.s.run(["scan", "--format", "json", "--threads", "2", "-o", out] + args, label=label)
        if proc is None:
            return None, None
        try:
            with open(out, encoding="utf-8") as f:
                return proc.returncode, json.load(f)
        except (OSError, ValueError) as e:
            self.s.check(False, "%s: writes a JSON report" % label, "%s\nstderr:\n%s" % (e, tail(proc.stderr)))
            return proc.returncode, None

    def merge(self, parts, out=None, label="merge", extra=()):
        args = ["merge", "--format", "json"] + list(extra)
        if out:
            args += ["-o", out]
        proc = self.s.run(args + list(parts), label=label)
        return proc


# Set when some part's own gaps are not the merged gaps: the merge had to intersect, not concatenate.
NOT_CONCATENATED = []


def own_gaps(docs):
    return sorted((g["account"], g["region"], g["from"], g["to"]) for d in docs if d["input"]["delivery"]
                  for g in d["input"]["delivery"]["gaps"])


def check_question(s, r, corpus, name, args, work):
    whole_code, whole = r.scan(args + [corpus], os.path.join(work, "whole.json"), "%s unsharded" % name)
    if whole is None:
        return
    s.check(whole_code in (0, 2), "%s: unsharded run exits 0 or 2" % name, "got %r" % whole_code)
    s.check(whole["rules"] and any(rule["matched_events"] for rule in whole["rules"]),
            "%s: something matched (the comparison means something)" % name)
    delivery = whole["input"]["delivery"]
    s.check(delivery and delivery["streams"] and whole["input"]["coverage"],
            "%s: the report has a delivery coverage and a matched events' span to compare" % name,
            json.dumps(delivery)[:500])
    for n in SHARD_COUNTS:
        parts, docs, files = [], [], 0
        for i in range(n):
            part = os.path.join(work, "part-%d-of-%d.json" % (i, n))
            code, doc = r.scan(args + ["--shard", "%d/%d" % (i, n), corpus], part, "%s shard %d/%d" % (name, i, n))
            if doc is None:
                return
            s.equal(doc.get("shard"), {"index": i, "count": n}, "%s: part %d/%d says which shard it is" % (name, i, n))
            files += doc["input"]["files"]
            parts.append(part)
            docs.append(doc)
        if own_gaps(docs) != own_gaps([whole]):
            NOT_CONCATENATED.append("%s N=%d" % (name, n))
        s.equal(files, whole["input"]["files"], "%s N=%d: the shards' files add up to the unsharded run's" % (name, n))
        merged_path = os.path.join(work, "merged-%d.json" % n)
        proc = r.merge(parts, merged_path, label="%s merge N=%d" % (name, n))
        if proc is None:
            return
        s.equal(proc.returncode, whole_code, "%s N=%d: merge exits as the unsharded run did" % (name, n))
        with open(merged_path, encoding="utf-8") as f:
            merged = json.load(f)
        diffs = json_differences(comparable(merged), comparable(whole))
        s.check(not diffs, "%s N=%d: merge(shards) equals the unsharded report" % (name, n), "\n".join(diffs))
        s.equal(merged["input"]["threads"], 2 * n, "%s N=%d: merged threads are the parts' sum" % (name, n))
        if n > 1:
            shuffled = parts[:]
            random.Random(n).shuffle(shuffled)
            for order, label in ((list(reversed(parts)), "reversed"), (shuffled, "shuffled")):
                proc = r.merge(order, label="%s merge N=%d %s" % (name, n, label))
                with open(merged_path, "rb") as f:
                    s.check(proc is not None and proc.stdout == f.read(),
                            "%s N=%d: parts in %s order merge to the same bytes" % (name, n, label))


def check_refusals(s, r, corpus, work):
    plan_a = ["--rule", "cis"]
    plan_b = []
    a = [os.path.join(work, "a-%d.json" % i) for i in range(3)]
    for i, path in enumerate(a):
        r.scan(plan_a + ["--shard", "%d/3" % i, corpus], path, "refusals: cis shard %d/3" % i)
    b1 = os.path.join(work, "b-1.json")
    r.scan(plan_b + ["--shard", "1/3", corpus], b1, "refusals: default rule shard 1/3")
    c1 = os.path.join(work, "c-1.json")
    r.scan(plan_a + ["--shard", "1/4", corpus], c1, "refusals: cis shard 1/4")

    def refused(parts, label, *names):
        proc = r.merge(parts, label=label)
        if proc is None:
            return
        err = proc.stderr.decode("utf-8", "replace")
        s.check(proc.returncode == 64 and all(os.path.basename(n) in err for n in names),
                "%s: refused with exit 64, naming %s" % (label, ", ".join(os.path.basename(n) for n in names)),
                "exit %d, stderr: %s" % (proc.returncode, err))
        s.check(proc.stdout == b"", "%s: nothing is written" % label)

    refused([a[0], b1, a[2]], "parts of two plans", a[0], b1)
    refused([a[0], a[1], a[1], a[2]], "a shard given twice", a[1])
    refused([a[0], c1, a[2]], "parts of different counts", a[0], c1)
    g1 = os.path.join(work, "g-1.json")
    r.scan(plan_a + ["--gap", "2h", "--shard", "1/3", corpus], g1, "refusals: cis --gap 2h shard 1/3")
    refused([a[0], g1, a[2]], "parts of different --gap", a[0], g1)

    def partial(parts, label, expect_in_errors):
        proc = r.merge(parts, label=label)
        if proc is None:
            return
        try:
            doc = json.loads(proc.stdout.decode("utf-8"))
        except ValueError:
            s.check(False, "%s: the report is still written" % label, tail(proc.stderr))
            return
        errors = doc["input"]["errors"]
        s.check(proc.returncode == 2 and doc["input"]["partial"], "%s: exit 2, partial" % label,
                "exit %d" % proc.returncode)
        for path, text in expect_in_errors:
            s.check(any(e["path"] == path and text in e["error"] for e in errors),
                    "%s: input.errors names %s (%s)" % (label, path, text), json.dumps(errors))

    partial([a[0], a[2]], "a missing shard", [("shard 1/3", "shard 1 of 3")])
    foreign = os.path.join(work, "foreign.json")
    write(foreign, b'{"schema": "something.else/1", "rules": []}\n')
    partial([a[0], a[1], a[2], foreign], "a part that is not a trailwatch report",
            [(foreign, "not a whole trailwatch scan report")])
    truncated = os.path.join(work, "truncated.json")
    with open(a[1], "rb") as f:
        whole_text = f.read()
    write(truncated, whole_text[: len(whole_text) // 2])
    partial([a[0], truncated, a[2]], "a truncated part",
            [(truncated, "not a whole trailwatch scan report"), ("shard 1/3", "missing")])
    partial([a[0], os.path.join(work, "absent.json"), a[1], a[2]], "a part that cannot be read",
            [(os.path.join(work, "absent.json"), "cannot read")])


def check_duplicates(s, r, corpus, work):
    _, once = r.scan([corpus], os.path.join(work, "once.json"), "duplicates: the corpus once")
    _, twice = r.scan([corpus, corpus], os.path.join(work, "twice.json"), "duplicates: the corpus given twice")
    sub = os.path.join(corpus, sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d)))[0])
    _, nested = r.scan([corpus, sub], os.path.join(work, "nested.json"), "duplicates: a directory and one inside it")
    if None in (once, twice, nested):
        return
    files = once["input"]["files"]
    for doc, label in ((twice, "the corpus given twice"), (nested, "nested roots")):
        s.equal(doc["input"]["files"], files, "%s: every file read once" % label)
        s.check(doc["input"]["skipped"]["duplicate"] > 0, "%s: the extra copies are counted in skipped.duplicate"
                % label, json.dumps(doc["input"]["skipped"]))
        s.equal(doc["rules"], once["rules"], "%s: the same answer" % label)
    s.equal(twice["input"]["skipped"]["duplicate"], files, "the corpus given twice: one duplicate per file")


def main():
    s = Suite(__doc__)
    r = Runner(s)
    corpora = []
    for seed, extra in ((11, ["--edge-cases", "--digests"]), (29, ["--accounts", "3", "--regions", "3"])):
        out = os.path.join(s.tmp, "corpus-%d" % seed)
        s.generate(out, "--seed", str(seed), "--target-bytes", "3M", "--match-rate", "0.002", *extra,
                   label="corpus seed %d" % seed)
        corpora.append(os.path.join(out, "AWSLogs"))
    for corpus in corpora:
        for name, args in questions(s.tmp).items():
            work = os.path.join(s.tmp, "work-%s-%s" % (os.path.basename(os.path.dirname(corpus)), name))
            os.makedirs(work, exist_ok=True)
            check_question(s, r, corpus, name, args, work)
    s.check(NOT_CONCATENATED, "some shards' own gaps, put together, are not the unsharded gaps (so the merge's "
            "intersection was put to the test)")
    work = os.path.join(s.tmp, "refusals")
    os.makedirs(work, exist_ok=True)
    check_refusals(s, r, corpora[1], work)
    work = os.path.join(s.tmp, "duplicates")
    os.makedirs(work, exist_ok=True)
    check_duplicates(s, r, corpora[1], work)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
