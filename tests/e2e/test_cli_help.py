#!/usr/bin/env python3
"""Help that teaches and a version that says what was built (issue: a command line that behaves as users expect).

--help is wrapped to COLUMNS, to the terminal's width (a pseudo-terminal of known size), or to 80 when stdout is
not a terminal; it shows `--period SECONDS ... (default 300)`, never CLI11's type names; scan's options come in
groups. --version gives the version, the commit (the source tree's HEAD; "unknown" outside git), the compiler and
whether the AVX2 kernel runs on this CPU (also under TRAILWATCH_KERNEL=fallback, and under qemu as a CPU without AVX2
when qemu-user is installed). `rules` stays aligned from CloudWatch.10 on; counts of one are singular."""
import fcntl
import os
import platform
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

COMMANDS = ["scan", "merge", "rules", "test-pattern", "audit", "verify", "completion"]


def run(s, args, env=None, stdin=None):
    e = dict(os.environ)
    e.pop("COLUMNS", None)
    e.update(env or {})
    return subprocess.run([s.binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, input=stdin,
                          timeout=60)


def run_on_terminal(s, args, columns):
    """stdout on a pseudo-terminal `columns` wide, COLUMNS unset: what a person sees."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    proc = subprocess.Popen([s.binary] + args, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(master)
    return out.decode("utf-8", "replace").replace("\r\n", "\n")


def too_wide(text, width):
    """Lines longer than `width`, leaving out those kept as typed (examples, to stay copyable; sketches of JSON and
    patterns, starting with '{', '[' or '"') and a single word longer than the room left."""
    wide = []
    in_examples = False
    for line in text.split("\n"):
        if not line.startswith(" "):
            in_examples = line.endswith("Examples:")
        kept = in_examples or line.lstrip(" ")[:1] in ("{", "[", '"') or " " not in line.strip(" ")
        if not kept and len(line) > width:
            wide.append(line)
    return wide


def check_help(s):
    for command in [None] + COMMANDS:
        args = ([command] if command else []) + ["--help"]
        label = "trailwatch " + " ".join(args)
        for width in (50, 80, 120):
            proc = run(s, args, env={"COLUMNS": str(width)})
            text = proc.stdout.decode()
            wide = too_wide(text, width)
            s.check(proc.returncode == 0 and not wide, "%s, COLUMNS=%d: exit 0, every line fits" % (label, width),
                    "exit %d; too wide:\n%s" % (proc.returncode, "\n".join(wide[:5])))
        noise = [m for m in re.findall(r"\b(?:INT|UINT|TEXT|FLOAT)\b[:=]?\S*|\[\d+ - \d+\]|=\d+\b", text)]
        s.check(not noise, "%s: no CLI11 type names" % label, "found %r" % noise[:5])

    proc = run(s, [])
    s.check(proc.returncode == 64 and b"Commands:" in proc.stderr and b"  scan " in proc.stderr,
            "trailwatch alone: exit 64, the help (its commands) on stderr", tail(proc.stderr))

    proc = run(s, ["scan", "--help"])
    text = proc.stdout.decode()
    s.check(not too_wide(text, 80) and any(len(l) > 70 for l in text.split("\n")),
            "scan --help, not a terminal and no COLUMNS: wrapped to 80 columns")
    s.check(re.search(r"^  --period SECONDS +Seconds per datapoint.*\(default 300\)", text, re.M | re.S) is not None,
            "scan --help: '--period SECONDS ... (default 300)'", tail(text, 3000))
    s.check("--format table|json|csv" in text, "scan --help: --format shows its values")
    headings = [h for h in re.findall(r"^([A-Z][A-Za-z ]+):$", text, re.M)]
    want = ["Arguments", "Input", "Rules", "Metric and alarm", "Scope", "Output", "Limits", "Other options"]
    s.check([h for h in headings if h in want] == want, "scan --help: options grouped, in order %r" % want,
            "headings: %r" % headings)
    sections = re.split(r"^([A-Z][A-Za-z ]+):$", text, flags=re.M)
    groups = dict(zip(sections[1::2], sections[2::2]))
    for group, options in (("Input", ["--threads", "--shard", "--profile", "--fast"]),
                           ("Rules", ["--rule", "--config", "--pattern"]),
                           ("Metric and alarm", ["--period", "--statistic", "--threshold", "--metric-name"]),
                           ("Scope", ["--start", "--end", "--account", "--region"]),
                           ("Output", ["--format", "--output", "--matches", "--fail-on-alarm"]),
                           ("Limits", ["--max-record-size", "--max-depth"])):
        body = groups.get(group, "")
        s.check(all(re.search(r"^  (?:-o, )?%s\b" % o, body, re.M) for o in options),
                "scan --help: %s holds %s" % (group, ", ".join(options)), body[:600])

    columns = 70
    text = run_on_terminal(s, ["scan", "--help"], columns)
    wide = too_wide(text, columns)
    s.check(text and not wide and any(len(l) > 62 for l in text.split("\n")),
            "scan --help on a %d-column terminal: wrapped to its width" % columns, "\n".join(wide[:5]) or text[:500])


def check_version(s):
    proc = run(s, ["--version"])
    lines = proc.stdout.decode().rstrip("\n").split("\n")
    s.check(proc.returncode == 0 and len(lines) == 5, "--version: exit 0, five lines", proc.stdout.decode())
    if len(lines) != 5:
        return
    with open(os.path.join(s.source_dir, "CMakeLists.txt"), encoding="utf-8") as f:
        version = re.search(r"project\(trailwatch VERSION ([0-9.]+)", f.read()).group(1)
    s.equal(lines[0], "trailwatch " + version, "--version: the project version")

    commit = lines[1].split()[1] if lines[1].startswith("commit:") and len(lines[1].split()) > 1 else None
    head = None
    if shutil.which("git"):
        top = subprocess.run(["git", "-C", s.source_dir, "rev-parse", "--show-toplevel"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        if top.returncode == 0 and os.path.realpath(top.stdout.decode().strip()) == os.path.realpath(s.source_dir):
            head = subprocess.run(["git", "-C", s.source_dir, "rev-parse", "HEAD"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL).stdout.decode().strip()
    if head:
        s.check(commit and len(commit) >= 7 and head.startswith(commit),
                "--version: the commit is the source tree's HEAD (%s)" % head[:12],
                "%s (rebuild if HEAD moved since the build)" % lines[1])
    else:
        s.equal(commit, "unknown", "--version: the commit is 'unknown' outside a git checkout")
    s.check(re.match(r"compiler: +(GCC|Clang) \d+\.\d+\.\d+, C\+\+\d\d, \S+ build", lines[2]) is not None,
            "--version: the compiler", lines[2])

    avx2 = lines[3]
    avx512 = lines[4]
    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64"):
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            flags = set(next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), []))
        able = {"avx2", "bmi1", "bmi2", "pclmulqdq"} <= flags
        able512 = able and {"avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_vbmi2"} <= flags
        if able512:
            s.equal(avx512, "AVX-512 kernel: available on this CPU (scans use it)",
                    "--version: the AVX-512 kernel runs here")
            s.equal(avx2, "AVX2 kernel: available on this CPU (scans use the AVX-512 kernel)",
                    "--version: the AVX2 kernel is there, the AVX-512 one runs")
            capped = run(s, ["--version"], env={"TRAILWATCH_KERNEL": "haswell"}).stdout.decode()
            s.check("AVX2 kernel: available on this CPU (scans use it)" in capped and
                    "TRAILWATCH_KERNEL=haswell: scans use the AVX2 kernel" in capped,
                    "--version under TRAILWATCH_KERNEL=haswell: the AVX2 kernel runs", capped)
        elif able:
            s.equal(avx2, "AVX2 kernel: available on this CPU (scans use it)", "--version: the AVX2 kernel runs here")
            s.check(avx512.startswith("AVX-512 kernel: not available: this CPU lacks AVX-512"),
                    "--version: this CPU has no AVX-512 and it says so", avx512)
        else:
            s.check("this CPU lacks AVX2" in avx2, "--version: this CPU has no AVX2 and it says so", avx2)
        if able:
            forced = run(s, ["--version"], env={"TRAILWATCH_KERNEL": "fallback"}).stdout.decode()
            s.check("TRAILWATCH_KERNEL=fallback: scans use the portable kernel" in forced,
                    "--version under TRAILWATCH_KERNEL=fallback: says the portable kernel runs", forced)
        qemu = shutil.which("qemu-x86_64")
        if "ASan" in lines[2]:
            # AddressSanitizer's shadow memory does not work under qemu-user.
            s.note("SKIPPED: --version under qemu (a sanitized build does not run under qemu-user)")
        elif qemu:
            try:
                proc = subprocess.run([qemu, "-cpu", "Westmere", s.binary, "--version"], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, timeout=300)
                s.check(b"not available: this CPU lacks AVX2" in proc.stdout,
                        "--version under qemu as a CPU without AVX2 (Westmere): not available",
                        tail(proc.stdout + proc.stderr))
            except subprocess.TimeoutExpired:
                s.check(False, "--version under qemu as a CPU without AVX2 finishes within 300 s")
        else:
            s.note("SKIPPED: qemu-x86_64 not installed: --version on a CPU without AVX2 not checked")
    else:
        s.check("not built in" in avx2, "--version: no AVX2 kernel off x86-64", avx2)

    # The build step itself: a tree outside git gives "unknown"; -DTRAILWATCH_GIT_COMMIT (a tarball) wins.
    cmake = shutil.which("cmake")
    script = os.path.join(s.source_dir, "cmake", "build_info.cmake")
    if cmake:
        empty = os.path.join(s.tmp, "not-a-checkout")
        os.makedirs(empty, exist_ok=True)
        for commit_arg, want in (("", '"unknown"'), ("1a2b3c4d5e6f", '"1a2b3c4d5e6f"')):
            out = os.path.join(s.tmp, "build_info.cpp")
            proc = subprocess.run([cmake, "-DSOURCE_DIR=" + empty, "-DOUTPUT=" + out, "-DVERSION=1.2.3",
                                   "-DBUILD_TYPE=Release", "-DSANITIZED=OFF", "-DCOMMIT=" + commit_arg, "-P", script],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=empty)
            text = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
            s.check(proc.returncode == 0 and ("kCommit = %s;" % want) in text,
                    "cmake/build_info.cmake %s: commit %s" % ("with COMMIT" if commit_arg else "outside git", want),
                    tail(proc.stderr) + text)
    else:
        s.note("cmake not on PATH: cmake/build_info.cmake not run outside git")


def check_rules_alignment(s):
    proc = run(s, ["rules"])
    lines = proc.stdout.decode().split("\n")
    table = lines[:lines.index("")] if "" in lines else lines
    header = table[0]
    starts = [header.index(h) for h in ("CIS", "SECURITY HUB", "METRIC")]
    bad = []
    for row in table[1:]:
        for start in starts:
            if start > len(row) or row[start - 1] != " " or row[start] == " ":
                bad.append(row)
                break
    s.check(len(table) > 10 and any("CloudWatch.1" in r for r in table) and not bad,
            "rules: every column starts under its heading, CloudWatch.10 and later included",
            "\n".join([header] + bad[:5]))
    s.check("1 of 1 period," in proc.stdout.decode() and "1 of 1 periods" not in proc.stdout.decode(),
            "rules: '1 of 1 period', not '1 of 1 periods'")


def check_plurals(s):
    proc = run(s, ["test-pattern", "{ $.eventName = X }"], stdin=b'{"eventName":"X"}\n')
    s.check(b"1 of 1 event matched" in proc.stdout, "test-pattern: '1 of 1 event matched'", tail(proc.stdout))
    proc = run(s, ["scan", "--help"])
    s.check(b"1 of 1 period" in proc.stdout and b"1 of 1 periods" not in proc.stdout,
            "scan --help: the default alarm reads '1 of 1 period'")
    bad = os.path.join(s.tmp, "bad.json.gz")
    with open(bad, "wb") as f:
        f.write(b"not gzip")
    proc = run(s, ["scan", "--format", "csv", "-o", os.path.join(s.tmp, "r.csv"),
                   os.path.join(s.source_dir, "testdata", "sample"), bad])
    s.check(b"trailwatch: 1 error (" in proc.stderr and b"error(s)" not in proc.stderr,
            "scan with one unreadable input: stderr says '1 error'", tail(proc.stderr))


def main():
    s = Suite(__doc__)
    check_help(s)
    check_version(s)
    check_rules_alignment(s)
    check_plurals(s)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
