#!/usr/bin/env python3
"""End-to-end: `scan --fast` gives the same matches, datapoints and windows as the default mode.

On the edge-case corpus (a match spelled "Disable\\u004bey", one with \\u escapes in its eventSource, duplicate
keys both ways, a 390 KB match, pretty-printed and NDJSON files), --fast must report mode "fast", null record
counts, some skipped buffers, and rules identical to the default run; --matches must list the same records. A
corpus with no match must be mostly skipped. Where the prefilter cannot apply (--start/--end, a default
value, a pattern with no literal text) --fast says so on stderr and reads everything.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import CORPUS_OPTIONS, CORPUS_SIZE, Suite, json_differences, num  # noqa: E402


def sorted_matches(path):
    with open(path, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return sorted(json.dumps(x, sort_keys=True) for x in lines)


def main():
    s = Suite(__doc__)
    corpus = os.path.join(s.tmp, "corpus")
    truth = s.generate(corpus, *CORPUS_OPTIONS, label="corpus (%s, edge cases)" % CORPUS_SIZE)

    full_matches = os.path.join(s.tmp, "full.ndjson")
    fast_matches = os.path.join(s.tmp, "fast.ndjson")
    full = s.scan_json(["--matches", full_matches, corpus], "default mode")
    fast = s.scan_json(["--fast", "--matches", fast_matches, corpus], "--fast")
    if full and fast:
        inp = fast["input"]
        s.equal(inp.get("mode"), "fast", "--fast: input.mode")
        s.equal((inp.get("records"), inp.get("records_failed")), (None, None),
                "--fast: input.records and input.records_failed are null")
        s.check(num(inp.get("buffers_skipped")) > 0 and num(inp.get("bytes_skipped")) > 0,
                "--fast: some buffers were skipped", "got %r / %r" % (inp.get("buffers_skipped"),
                                                                      inp.get("bytes_skipped")))
        s.check(num(inp.get("buffers_skipped")) < truth["total_files"],
                "--fast: the files holding matches were not skipped", "skipped %r of %d" % (
                    inp.get("buffers_skipped"), truth["total_files"]))
        s.equal(num(full["input"].get("buffers_skipped")), 0, "default mode: nothing skipped")
        s.equal(num(inp.get("files")), num(full["input"].get("files")), "--fast: input.files as in the default mode")
        s.check(fast["rules"] == full["rules"], "--fast: rules (matches, series, alarm windows) identical",
                "\n".join(json_differences(fast["rules"], full["rules"])))
        s.equal(fast["rules"][0]["matched_events"], truth["matched_events"], "--fast: matched events = ground truth")
        s.check(sorted_matches(fast_matches) == sorted_matches(full_matches),
                "--fast: --matches lists the same records")

    # Nothing to find: every buffer is skipped, the answer is still exact.
    quiet = os.path.join(s.tmp, "quiet")
    quiet_truth = s.generate(quiet, "--seed", "7", "--target-bytes", "3M", "--match-rate", "0", "--decoy-rate", "0",
                             "--bursts", "0", "--jobs", "2", label="corpus without matches")
    doc = s.scan_json(["--fast", quiet], "--fast on a corpus without matches")
    if doc:
        s.equal(quiet_truth["matched_events"], 0, "the quiet corpus has no match")
        # Only buffers holding both the source and a name are parsed (the generator writes the names into S3
        # keys too, to defeat text search).
        s.check(num(doc["input"].get("buffers_skipped")) > quiet_truth["total_files"] // 4,
                "--fast: most buffers of the quiet corpus skipped",
                "skipped %r of %d" % (doc["input"].get("buffers_skipped"), quiet_truth["total_files"]))
        s.equal(doc["rules"][0]["matched_events"], 0, "--fast: no match")

    # Where the prefilter cannot apply, --fast falls back to reading everything, and says so.
    proc = s.run(["scan", "--fast", "--format", "json", "--start", "2000-01-01T00:00:00Z", corpus],
                 label="--fast --start")
    if proc:
        s.check(b"--fast has no effect" in proc.stderr, "--fast --start: stderr says --fast has no effect",
                proc.stderr[-500:])
        doc = json.loads(proc.stdout)
        s.equal(doc["input"]["mode"], "full", "--fast --start: input.mode is full")
        s.equal(num(doc["input"]["records"]), truth["total_records"], "--fast --start: every record counted")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
