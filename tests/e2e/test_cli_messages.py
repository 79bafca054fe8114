#!/usr/bin/env python3
"""What the command line tells a person (issue: a command line that behaves as users expect): a mistyped command or
option gets the nearest known one; `trailwatch help COMMAND` is COMMAND --help; --format takes any case; input
errors reach stderr whatever the format and wherever the report went (CSV has no place for them); and when an
unreadable input's exit 2 wins over --fail-on-alarm's 1, stderr says an alarm fired."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, write  # noqa: E402


def main():
    s = Suite(__doc__)
    sample = os.path.join(s.source_dir, "testdata", "sample")

    def expect(args, code, needle, label, stream="stderr"):
        proc = s.run(args, label=label)
        if proc is None:
            return
        text = (proc.stderr if stream == "stderr" else proc.stdout).decode("utf-8", "replace")
        s.check(proc.returncode == code and needle in text, "%s: exit %d, says %r" % (label, code, needle),
                "exit %d\n%s" % (proc.returncode, text[-600:]))

    expect(["scna", sample], 64, "did you mean 'scan'?", "a mistyped command")
    expect(["scan", "--fromat", "json", sample], 64, "did you mean '--format'?", "a mistyped option")
    expect(["frobnicate"], 64, "commands: scan, merge", "an unknown command lists the commands")
    expect(["help", "scan"], 0, "Usage: trailwatch scan", "trailwatch help scan", stream="stdout")
    expect(["scan", "--format", "JSON", sample], 0, '"schema":"trailwatch.scan/1"', "--format JSON",
           stream="stdout")

    bad = os.path.join(s.tmp, "bad.json.gz")
    write(bad, b"not gzip, not json")
    report = os.path.join(s.tmp, "report.csv")
    expect(["scan", "--format", "csv", "-o", report, sample, bad], 2, "bad.json.gz", "csv with an unreadable input")
    expect(["scan", "--format", "csv", "-o", report, sample, bad], 2, "CSV has no place for them",
           "csv: stderr says where the errors are not")
    expect(["scan", "--format", "table", "-o", os.path.join(s.tmp, "r.txt"), sample, bad], 2, "bad.json.gz",
           "a table written to a file: the errors still reach the terminal")
    expect(["scan", "--fail-on-alarm", "--format", "json", "-o", os.path.join(s.tmp, "r.json"), sample, bad], 2,
           "an alarm window was found", "--fail-on-alarm with an unreadable input")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
