#!/usr/bin/env python3
"""The binary's malloc heap is offered for transparent huge pages (cli/heap_pages.hpp): on the virtual machines it
runs on, each first touch of a 4 KiB page costs about 10 microseconds, and a scan's small allocations touched
thousands. Checked on a running scan (it reads stdin, which this test keeps open): its [heap] mapping carries the
"hg" flag (madvise MADV_HUGEPAGE) in /proc/PID/smaps; the scan still reads what it is then given. Skipped where the
kernel has no transparent huge pages, for a sanitizer build and under valgrind (tools/valgrind_e2e.sh), whose
allocators are their own."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

THP = "/sys/kernel/mm/transparent_hugepage/enabled"


def heap_flags(pid):
    """The VmFlags lines of the process's [heap] mappings."""
    flags = []
    inside = False
    with open("/proc/%d/smaps" % pid, encoding="utf-8", errors="replace") as f:
        for line in f:
            first = line.split(" ", 1)[0]
            if "-" in first and ":" not in first:
                inside = line.rstrip().endswith("[heap]")
            elif inside and line.startswith("VmFlags:"):
                flags.append(line.split(":", 1)[1].split())
    return flags


def main():
    s = Suite(__doc__)
    if not os.path.exists(THP):
        print("SKIPPED: this kernel has no transparent huge pages (%s)" % THP)
        return 77
    if os.environ.get("TRAILWATCH_UNDER_VALGRIND"):
        print("SKIPPED: under valgrind, whose allocator replaces glibc's")
        return 77
    version = s.run(["--version"], label="--version")
    if version is None or b"with ASan" in version.stdout:
        print("SKIPPED: a sanitizer build allocates with its own allocator")
        return 77
    proc = subprocess.Popen([s.binary, "scan", "--format", "json", "--no-progress", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    flags = []
    deadline = time.time() + 20
    try:
        # The advice is given first thing in main, long before the scan blocks on stdin: poll until it shows.
        while time.time() < deadline:
            flags = heap_flags(proc.pid)
            if any("hg" in f for f in flags):
                break
            time.sleep(0.05)
        s.check(any("hg" in f for f in flags), "the running scan's heap is offered for huge pages (VmFlags hg)",
                "[heap] VmFlags: %r" % flags)
        out, err = proc.communicate(input=b'{"eventTime":"2024-03-01T00:00:00Z","eventSource":"kms.amazonaws.com",'
                                          b'"eventName":"DisableKey"}\n', timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    s.check(proc.returncode == 0 and b'"records":1' in out.replace(b" ", b""),
            "the scan then reads its record and exits 0", "exit %d\n%s" % (proc.returncode, tail(err)))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
