#!/usr/bin/env python3
"""`--matches` comes in a deterministic order (docs/design.md "Matched records"): inputs in sorted path order, records
in file order, whatever the thread count and however the workers' timing falls: runs with 1 and 2 threads, repeated,
write the same bytes, and the files named by the lines never go backwards."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite  # noqa: E402
import json  # noqa: E402


def main():
    s = Suite(__doc__)
    corpus = os.path.join(s.tmp, "corpus")
    truth = s.generate(corpus, "--seed", "5", "--target-bytes", "6M", "--match-rate", "0.01", "--edge-cases",
                       label="corpus")
    outputs = []
    for threads in ("1", "2", "2", "2"):
        out = os.path.join(s.tmp, "matches-%d.ndjson" % len(outputs))
        doc = s.scan_json(["--rule", "cis", "--threads", threads, "--matches", out, corpus],
                          "--rule cis --matches, %s thread(s)" % threads)
        if doc is None:
            return s.finish()
        with open(out, "rb") as f:
            outputs.append(f.read())
    lines = [json.loads(line) for line in outputs[0].splitlines()]
    s.check(len(lines) >= truth["matched_events"] > 0, "the matches file holds the matches (%d lines)" % len(lines))
    s.check(all(o == outputs[0] for o in outputs), "1 and 2 threads, three times: the same bytes")
    files = [line["file"] for line in lines]
    s.check(all(a <= b for a, b in zip(files, files[1:])), "the lines' files are in sorted order")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
