#!/usr/bin/env python3
"""End-to-end: NDJSON archives and stdin.

The corpus of test_ground_truth.py written as {"Records":[...]} .json.gz files, as plain NDJSON (.jsonl) and as gzipped NDJSON
(.jsonl.gz) must give the same numbers, equal to the ground truth. Piping to `trailwatch scan --format json -`
(a) the concatenation of every plain .jsonl file, (b) the bytes of one .json.gz file and (c) a pretty-printed plain
envelope must give the numbers of exactly that input.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (CORPUS_OPTIONS, CORPUS_SIZE, Suite, compare_rule_numbers, num,  # noqa: E402
                        numbers_from_truth_files, truth_datapoints, truth_windows, verify_truth)



def summary(truth):
    return (truth["total_files"], truth["total_records"], truth["matched_events"], truth["matched_oversize"],
            truth["datapoints"], truth["windows"])


def check_tree(s, root, truth, label):
    doc = s.scan_json([root], label)
    if doc is None:
        return
    inp = doc.get("input") or {}
    s.equal(num(inp.get("files")), truth["total_files"], "%s: input.files" % label)
    s.equal(num(inp.get("records")), truth["total_records"], "%s: input.records" % label)
    s.check(inp.get("errors") == [] and inp.get("partial") is False, "%s: no errors, not partial" % label,
            "errors %r, partial %r" % (inp.get("errors"), inp.get("partial")))
    compare_rule_numbers(s, doc, label, truth["matched_events"], truth["matched_oversize"],
                         truth_datapoints(truth["datapoints"]), truth_windows(truth["windows"]))


def check_stdin(s, data, expected, label):
    doc = s.scan_json(["-"], label, stdin_bytes=data)
    if doc is None:
        return
    inp = doc.get("input") or {}
    s.equal(num(inp.get("records")), expected["records"], "%s: input.records" % label)
    s.check(inp.get("errors") == [] and inp.get("partial") is False, "%s: no errors, not partial" % label,
            "errors %r, partial %r" % (inp.get("errors"), inp.get("partial")))
    compare_rule_numbers(s, doc, label, expected["matched"], expected["oversize"], expected["datapoints"],
                         expected["windows"])


def main():
    s = Suite(__doc__)
    common = list(CORPUS_OPTIONS)  # the corpus of test_ground_truth.py
    trees = {}
    for name, extra in (("envelope", []), ("ndjson", ["--ndjson"]), ("ndjson-gz", ["--ndjson-gz"])):
        out = os.path.join(s.tmp, name)
        trees[name] = (out, s.generate(out, *(common + extra), label="%s corpus (%s)" % (name, CORPUS_SIZE)))
    env_truth = trees["envelope"][1]
    for name, (out, truth) in trees.items():
        if name != "envelope":
            s.check(summary(truth) == summary(env_truth),
                    "generator: the %s corpus holds the same records as the envelope corpus" % name)
        verify_truth(s, out, truth, label="generator self-check (%s)" % name)
        check_tree(s, out, truth, "scan %s tree" % name)

    # (a) every plain NDJSON file, concatenated, on stdin
    nd_root, nd_truth = trees["ndjson"]
    entries = [f for f in nd_truth["files"] if f["path"].endswith(".jsonl") and f["format"] == "ndjson-plain"]
    chunks = []
    for f in sorted(entries, key=lambda e: e["path"]):
        with open(os.path.join(nd_root, f["path"]), "rb") as fh:
            data = fh.read()
        chunks.append(data if data.endswith(b"\n") else data + b"\n")
    blob = b"".join(chunks)
    expected = numbers_from_truth_files(entries)
    s.check(expected["matched"] > 0 and expected["oversize"] >= 1,
            "the concatenated NDJSON holds matches and the oversize match")
    print("  stdin (a): %d files, %.1f MiB, %d records, %d matches" % (len(entries), len(blob) / 2 ** 20,
                                                                        expected["records"], expected["matched"]))
    check_stdin(s, blob, expected, "stdin: concatenated NDJSON")

    # (b) one CloudTrail .json.gz (the one with the most matches) on stdin
    env_root = trees["envelope"][0]
    gz = [f for f in env_truth["files"] if f["format"] == "envelope-gz" and f["path"].endswith(".json.gz")]
    best = max(gz, key=lambda f: (len(f["matches"]), f["records"], f["path"]))
    with open(os.path.join(env_root, best["path"]), "rb") as fh:
        data = fh.read()
    s.check(data[:2] == b"\x1f\x8b" and best["matches"], "the chosen .json.gz is gzip and holds matches")
    check_stdin(s, data, numbers_from_truth_files([best]), "stdin: one .json.gz (%d records, %d matches)" % (
        best["records"], len(best["matches"])))

    # (c) a pretty-printed plain envelope on stdin
    pretty = [f for f in env_truth["files"] if f["format"] == "envelope-pretty"]
    if s.check(len(pretty) == 1, "the corpus has one pretty-printed .json file"):
        with open(os.path.join(env_root, pretty[0]["path"]), "rb") as fh:
            data = fh.read()
        check_stdin(s, data, numbers_from_truth_files(pretty), "stdin: a pretty-printed envelope")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
