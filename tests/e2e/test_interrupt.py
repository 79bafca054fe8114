#!/usr/bin/env python3
"""SIGINT stops a scan, which still prints a report marked interrupted and partial, and exits 130.

The scan reads stdin, which this test keeps open, so the worker is certainly blocked in read() when the signal
arrives: the check does not depend on timing, only on the scan reacting at all (a generous timeout)."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402


def main():
    s = Suite(__doc__)
    proc = subprocess.Popen([s.binary, "scan", "--format", "json", "--no-progress", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b'{"eventTime":"2024-03-01T00:00:00Z","eventSource":"kms.amazonaws.com","eventName":"DisableKey"}\n')
    proc.stdin.flush()
    time.sleep(0.5)  # let it start and block on stdin; an earlier signal would be just as valid, only less telling
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        s.check(False, "the scan stops within 30 s of SIGINT")
        return s.finish()
    s.equal(proc.returncode, 130, "exit code 130 after SIGINT")
    try:
        doc = json.loads(out)
    except ValueError as e:
        s.check(False, "a JSON report is still printed", "%s\nstderr:\n%s" % (e, tail(err)))
        return s.finish()
    inp = doc.get("input") or {}
    s.equal(inp.get("interrupted"), True, "input.interrupted is true")
    s.equal(inp.get("partial"), True, "input.partial is true")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
