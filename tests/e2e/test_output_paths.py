#!/usr/bin/env python3
"""Where -o and --matches write (docs/design.md "Output"): "-" is stdout; a character device (made here with mknod,
never the system's /dev/null), a FIFO and a pipe handed over as /dev/fd/N (a process substitution) are written in
place and stay what they were; a symbolic link is followed, the link stays a link and its target gets the report; a
path that cannot be written fails before any input is read (exit 64); -o - with --matches - is a usage error."""
import json
import os
import stat
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

SAMPLE = os.path.join("testdata", "sample")


def same_report(a, b):
    """Two JSON reports equal but for the run time."""
    try:
        x, y = json.loads(a), json.loads(b)
    except ValueError:
        return False
    x["input"].pop("seconds"), y["input"].pop("seconds")
    return x == y


def drain(path, into):
    with open(path, "rb") as f:
        into.append(f.read())


def main():
    s = Suite(__doc__)
    sample = os.path.join(s.source_dir, SAMPLE)
    reference = s.run(["scan", "--format", "json", "--threads", "1", sample], label="reference report")
    if reference is None:
        return s.finish()
    size = len(reference.stdout)

    # A character device of our own: as root, a broken writer would replace it with a regular file.
    if os.geteuid() == 0:
        device = os.path.join(s.tmp, "null-device")
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        proc = s.run(["scan", "--format", "json", "-o", device, sample], label="-o character device")
        s.check(proc is not None and proc.returncode == 0, "-o a character device: exit 0")
        s.check(stat.S_ISCHR(os.stat(device).st_mode), "-o a character device: it is still a character device")
    else:
        s.note("not root: the character-device case needs mknod (skipped)")

    fifo = os.path.join(s.tmp, "fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=drain, args=(fifo, got))
    reader.start()
    proc = s.run(["scan", "--format", "json", "--threads", "1", "-o", fifo, sample], label="-o FIFO")
    reader.join(30)
    s.check(proc is not None and proc.returncode == 0 and got and same_report(got[0], reference.stdout),
            "-o a FIFO: the report comes through it")
    s.check(stat.S_ISFIFO(os.stat(fifo).st_mode), "-o a FIFO: it is still a FIFO")

    target = os.path.join(s.tmp, "target.json")
    link = os.path.join(s.tmp, "link.json")
    with open(target, "w") as f:
        f.write("old")
    os.symlink("target.json", link)
    proc = s.run(["scan", "--format", "json", "--threads", "1", "-o", link, sample], label="-o symlink")
    s.check(proc is not None and proc.returncode == 0 and os.path.islink(link), "-o a symbolic link: it stays a link")
    with open(target, "rb") as f:
        s.check(same_report(f.read(), reference.stdout), "-o a symbolic link: its target holds the report")

    # A process substitution: the child gets a pipe as /dev/fd/N.
    read_end, write_end = os.pipe()
    cmd = [s.binary, "scan", "--format", "json", "--threads", "1", "-o", "/dev/fd/%d" % write_end, sample]
    child = subprocess.Popen(cmd, pass_fds=(write_end,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        through_pipe = f.read()
    _, err = child.communicate(timeout=60)
    s.check(child.returncode == 0 and same_report(through_pipe, reference.stdout),
            "-o /dev/fd/N (a process substitution): the report comes through the pipe", tail(err))

    proc = s.run(["scan", "--format", "json", "--threads", "1", "-o", "-", sample], label="-o -")
    s.check(proc is not None and proc.returncode == 0 and same_report(proc.stdout, reference.stdout) and not os.path.exists(
        os.path.join(s.source_dir, "-")), "-o -: the report on stdout, no file named -")
    report = os.path.join(s.tmp, "report.json")
    proc = s.run(["scan", "--format", "json", "-o", report, "--matches", "-", sample], label="--matches -")
    s.check(proc is not None and proc.returncode == 0 and len(proc.stdout.splitlines()) > 0
            and all(line.startswith(b'{"rule":') for line in proc.stdout.splitlines()),
            "--matches -: the matches on stdout", tail(proc.stderr) if proc else "")
    proc = s.run(["scan", "-o", "-", "--matches", "-", sample], label="both -")
    s.check(proc is not None and proc.returncode == 64 and proc.stdout == b"", "-o - --matches -: usage error, 64")

    missing = os.path.join(s.tmp, "no-such-dir", "report.json")
    proc = s.run(["scan", "--progress", "-o", missing, sample], label="-o in a missing directory")
    s.check(proc is not None and proc.returncode == 64 and b"no-such-dir" in proc.stderr,
            "-o in a missing directory: exit 64, naming the path", tail(proc.stderr) if proc else "")
    s.check(proc is not None and b"files" not in proc.stderr,
            "-o in a missing directory: fails before any input is read (no progress line)")
    blocker = os.path.join(s.tmp, "blocker")
    with open(blocker, "w") as f:
        f.write("x")
    proc = s.run(["scan", "--matches", os.path.join(blocker, "m.ndjson"), sample], label="--matches under a file")
    s.check(proc is not None and proc.returncode == 64, "--matches under a regular file: exit 64")
    s.check(size > 0, "the reference report is not empty")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
