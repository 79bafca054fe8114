#!/usr/bin/env python3
"""`scan --config`: a describe-metric-filters + describe-alarms export (testdata/config/) replayed over the bundled
sample. Every metric filter becomes a rule, every alarm on its metric is replayed with its own period, statistic,
threshold and dimensions, matches before the filter's creationTime are counted apart, and alarms that cannot be
replayed are listed with a reason. Expected values are computed here, independently, from the sample's records."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, epoch, iso, read_tree  # noqa: E402

SAMPLE = os.path.join("testdata", "sample")


def replay_one_of_one(values, period, breaches):
    """CloudWatch evaluation with N = M = 1, missing data 'missing', R = 3 (docs/alarm-semantics.md): the newest
    datapoint of the last 3 periods decides; none gives INSUFFICIENT_DATA. Returns the windows."""
    if not values:
        return []
    first, last = min(values), max(values)
    windows = []
    k = first
    while k <= last + 2 * period:
        recent = [values[p] for p in (k, k - period, k - 2 * period) if p in values]
        alarm = bool(recent) and breaches(recent[0])
        if alarm:
            if windows and windows[-1]["end"] == k:
                windows[-1]["end"] = k + period
            else:
                windows.append({"start": k, "end": k + period, "alarm_at": k + period})
        k += period
    for w in windows:
        w["peak"] = max(v for p, v in values.items() if w["start"] <= p < w["end"])
        w["open"] = False
    return [{"start": iso(w["start"]), "end": iso(w["end"]), "alarm_at": iso(w["alarm_at"]), "peak": w["peak"],
             "open": False} for w in windows]


def buckets(times, period):
    out = {}
    for t in times:
        p = t - t % period
        out[p] = out.get(p, 0) + 1
    return out


def main():
    s = Suite(__doc__)
    config = os.path.join(s.source_dir, "testdata", "config")
    records = [r for r, _ in read_tree(os.path.join(s.source_dir, SAMPLE))["pairs"]]
    kms = [r for r in records if r.get("eventSource") == "kms.amazonaws.com"]
    cmk = [epoch(r["eventTime"]) for r in kms if r.get("eventName") in ("DisableKey", "ScheduleKeyDeletion")]
    disable = [epoch(r["eventTime"]) for r in kms if r.get("eventName") == "DisableKey"]
    created = epoch("2024-06-03T10:00:00Z")

    doc = s.scan_json(["--config", os.path.join(config, "describe-metric-filters.json"),
                       "--config", os.path.join(config, "describe-alarms.json"), SAMPLE], "--config", cwd=s.source_dir)
    if doc is None:
        return s.finish()
    rules = {r["id"]: r for r in doc["rules"]}
    s.equal(sorted(rules), ["CIS-4.7-DisableOrDeleteCMK", "KmsCallsByName"], "one rule per metric filter")
    cis = rules.get("CIS-4.7-DisableOrDeleteCMK", {})
    s.equal(cis.get("matched_events"), len(cmk), "CIS filter: matched events")
    s.equal(cis.get("matched_before_creation"), sum(t < created for t in cmk),
            "CIS filter: matches before its creationTime are counted apart")
    alarms = {a["name"]: a for a in cis.get("alarms", [])}
    s.equal(sorted(alarms), ["CIS-4.7-CMK", "CMK-burst-15min"], "both alarms on the CIS metric are replayed")
    if "CIS-4.7-CMK" in alarms:
        got = alarms["CIS-4.7-CMK"]
        s.equal(got["treat_missing_data"], "notBreaching", "the alarm's own TreatMissingData is used")
        want = replay_one_of_one(buckets(cmk, 300), 300, lambda v: v >= 1)
        s.equal([{k: w[k] for k in ("start", "end", "alarm_at", "peak", "open")} for w in got["windows"]], want,
                "CIS-4.7-CMK windows")
    if "CMK-burst-15min" in alarms:
        got = alarms["CMK-burst-15min"]
        s.equal(got["period"], 900, "the 15-minute alarm keeps its period")
        want = replay_one_of_one(buckets(cmk, 900), 900, lambda v: v > 5)
        s.check(len(want) > 0, "the sample drives the 15-minute alarm into ALARM")
        s.equal([{k: w[k] for k in ("start", "end", "alarm_at", "peak", "open")} for w in got["windows"]], want,
                "CMK-burst-15min windows (datapoints re-bucketed to 900 s)")

    kms_rule = rules.get("KmsCallsByName", {})
    names = sorted({r["eventName"] for r in kms})
    s.equal(sorted(x["dimensions"].get("EventName") for x in kms_rule.get("series", [])), names,
            "a series per EventName dimension value")
    dim_alarms = kms_rule.get("alarms", [])
    s.equal([a["name"] for a in dim_alarms], ["DisableKey-calls"], "the dimensioned alarm is replayed")
    if dim_alarms:
        s.equal(dim_alarms[0]["dimensions"], {"EventName": "DisableKey"}, "it watches its own dimension value")
        want = replay_one_of_one(buckets(disable, 300), 300, lambda v: v >= 3)
        s.equal([{k: w[k] for k in ("start", "end", "alarm_at", "peak", "open")} for w in dim_alarms[0]["windows"]],
                want, "DisableKey-calls windows (SampleCount >= 3 on the DisableKey series only)")

    unreplayable = {u["name"]: u["reason"] for u in doc.get("unreplayable_alarms", [])}
    s.equal(sorted(unreplayable), ["math", "p99-latency", "wrong-namespace"], "alarms that cannot be replayed are listed")
    s.check("CloudTrailMetrics/DisableOrDeleteCMKEventCount" in unreplayable.get("wrong-namespace", ""),
            "an alarm on a metric no filter publishes says which metric", unreplayable.get("wrong-namespace", ""))

    bad = os.path.join(s.tmp, "bad.json")
    with open(bad, "w") as f:
        f.write('{"metricFilters":[{"filterName":"x","filterPattern":"{ $.a = ","metricTransformations":'
                '[{"metricName":"m","metricNamespace":"n","metricValue":"1"}]}]}')
    proc = s.run(["scan", "--config", bad, SAMPLE], label="--config with a broken pattern", cwd=s.source_dir)
    if proc is not None:
        s.equal(proc.returncode, 64, "a configuration with an invalid pattern is a usage error (64)")
        s.check(b"metric filter x" in proc.stderr, "the error names the filter", proc.stderr.decode()[-300:])
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
