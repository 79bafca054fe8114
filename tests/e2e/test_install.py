#!/usr/bin/env python3
"""`cmake --install BUILD --prefix DIR` puts the binary, the man page and the three completion scripts where each is
looked for (bin, share/man/man1, share/bash-completion/completions, share/zsh/site-functions,
share/fish/vendor_completions.d), and the HTTPS module (LIBDIR/trailwatch/libtrailwatch-curl.so), which the installed
binary finds, which alone needs libcurl, and without which s3:// fails naming it; the installed scripts are what `trailwatch completion SHELL` prints; the man page
renders with `man -l` (and without a warning from groff), and holds every command and every option of scan."""
import os
import re
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402


def cmake_of(build_dir):
    """The cmake that configured the build (CMakeCache.txt), else the one on PATH."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("CMAKE_COMMAND:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return shutil.which("cmake")


def cache_value(build_dir, name, default):
    """A variable of the build's CMakeCache.txt."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return default


def needed_libraries(path):
    """The NEEDED entries of an ELF file (readelf -d), or None without readelf."""
    if not shutil.which("readelf"):
        return None
    proc = subprocess.run(["readelf", "-d", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", proc.stdout.decode())


def plain_c_library(binary):
    """Where a C library the binary needs anyway is (ldd: zlib or libdeflate), or None. One whose loading allocates
    nothing: the C++ runtime, loaded a second time and closed, leaves its exception pool behind, which
    LeakSanitizer reports."""
    if not shutil.which("ldd"):
        return None
    proc = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    found = re.search(r"(?:libz|libdeflate)\.so\S* => (\S+)", proc.stdout.decode())
    return found.group(1) if found else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_https_module(s, binary, module):
    """The binary itself needs no libcurl; the module does; the installed binary loads it (a refused connection is
    reported as such), and a copy of the binary without it says what is missing."""
    for path, what, wanted in ((binary, "the binary", False), (module, "the HTTPS module", True)):
        needed = needed_libraries(path) if os.path.isfile(path) else None
        if needed is None:
            s.note("readelf is not installed (or %s is missing): the libraries %s needs are not checked" % (path, what))
            continue
        s.check(any(n.startswith("libcurl") for n in needed) == wanted,
                "%s %s libcurl" % (what, "needs" if wanted else "does not need"), "NEEDED: %r" % needed)
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
               AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.path.join(s.tmp, "no-config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(s.tmp, "no-credentials"))
    endpoint = "http://127.0.0.1:%d" % free_port()
    lone = os.path.join(s.tmp, "lone")
    os.makedirs(lone, exist_ok=True)
    shutil.copy2(binary, os.path.join(lone, "trailwatch"))
    # Beside another copy, a library that is not the module (one the binary loads anyway).
    stranger = os.path.join(s.tmp, "stranger")
    os.makedirs(stranger, exist_ok=True)
    shutil.copy2(binary, os.path.join(stranger, "trailwatch"))
    other = plain_c_library(binary)
    if other:
        shutil.copy(other, os.path.join(stranger, "libtrailwatch-curl.so"))
        proc = subprocess.run([os.path.join(stranger, "trailwatch"), "scan", "s3://bucket/AWSLogs", "--endpoint-url",
                               endpoint], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, timeout=120)
        err = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        s.check(proc.returncode == 2 and "not from this build of trailwatch" in err,
                "a library beside the binary that is not its module is refused by name, not called",
                "exit %d\n%s" % (proc.returncode, tail(proc.stdout + proc.stderr)))
    else:
        s.note("ldd names neither zlib nor libdeflate: the refusal of a foreign module is not checked")
    for path, with_module in ((binary, True), (os.path.join(lone, "trailwatch"), False)):
        proc = subprocess.run([path, "scan", "s3://bucket/AWSLogs", "--endpoint-url", endpoint],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              timeout=120)
        err = (proc.stdout + proc.stderr).decode("utf-8", "replace")  # the report names the error too
        if with_module:
            s.check(proc.returncode == 2 and "s3:ListBucket failed" in err and "libtrailwatch-curl" not in err,
                    "the installed binary loads its HTTPS module (a refused connection is named as such)",
                    "exit %d\n%s" % (proc.returncode, tail(proc.stdout + proc.stderr)))
        else:
            s.check(proc.returncode == 2 and "libtrailwatch-curl.so" in err and "cmake --install" in err,
                    "a binary without its HTTPS module names it and how to get it, and exits 2",
                    "exit %d\n%s" % (proc.returncode, tail(proc.stdout + proc.stderr)))


def main():
    s = Suite(__doc__)
    build = os.path.dirname(s.binary)
    cmake = cmake_of(build)
    if not cmake or not os.path.exists(os.path.join(build, "cmake_install.cmake")):
        print("SKIPPED: no cmake, or %s is not a CMake build directory" % build)
        return 77
    prefix = os.path.join(s.tmp, "prefix")
    proc = subprocess.run([cmake, "--install", build, "--prefix", prefix], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)
    s.check(proc.returncode == 0, "cmake --install --prefix: exit 0", tail(proc.stdout + proc.stderr))

    installed = {
        "binary": os.path.join(prefix, "bin", "trailwatch"),
        "man": os.path.join(prefix, "share", "man", "man1", "trailwatch.1"),
        "bash": os.path.join(prefix, "share", "bash-completion", "completions", "trailwatch"),
        "zsh": os.path.join(prefix, "share", "zsh", "site-functions", "_trailwatch"),
        "fish": os.path.join(prefix, "share", "fish", "vendor_completions.d", "trailwatch.fish"),
        "HTTPS module": os.path.join(prefix, cache_value(build, "CMAKE_INSTALL_LIBDIR", "lib"), "trailwatch",
                                     "libtrailwatch-curl.so"),
    }
    for what, path in installed.items():
        s.check(os.path.isfile(path), "installed: %s at %s" % (what, os.path.relpath(path, prefix)),
                "files under the prefix:\n" + "\n".join(os.path.relpath(os.path.join(d, f), prefix)
                                                         for d, _, fs in os.walk(prefix) for f in fs))
    if os.path.isfile(installed["binary"]):
        s.check(os.access(installed["binary"], os.X_OK), "the installed binary is executable")
        proc = subprocess.run([installed["binary"], "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        s.check(proc.returncode == 0 and proc.stdout.startswith(b"trailwatch "),
                "the installed binary runs (--version)", tail(proc.stdout + proc.stderr))
        check_https_module(s, installed["binary"], installed["HTTPS module"])

    for shell in ("bash", "zsh", "fish"):
        proc = s.run(["completion", shell], label="completion " + shell)
        if proc is None or not os.path.isfile(installed[shell]):
            continue
        with open(installed[shell], "rb") as f:
            s.check(f.read() == proc.stdout, "the installed %s script is what 'trailwatch completion %s' prints" %
                    (shell, shell))

    page = installed["man"]
    if not os.path.isfile(page):
        return s.finish()
    with open(page, encoding="utf-8") as f:
        roff = f.read()
    help_proc = s.run(["scan", "--help"], label="scan --help")
    scan_options = set(re.findall(r"^  (?:-[a-z], )?(--[a-z0-9-]+)", help_proc.stdout.decode(), re.M)) if help_proc \
        else set()
    s.check(len(scan_options) > 30, "scan --help lists its options (%d)" % len(scan_options))

    env = dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat", LC_ALL="C.UTF-8")
    env.pop("MANOPT", None)
    rendered = None
    if shutil.which("man"):
        proc = subprocess.run(["man", "-l", page], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              timeout=60)
        s.check(proc.returncode == 0 and b"SYNOPSIS" in proc.stdout, "man -l renders the page",
                "exit %d\n%s" % (proc.returncode, tail(proc.stdout + proc.stderr)))
        rendered = proc.stdout.decode("utf-8", "replace")
    else:
        s.note("man is not installed: rendering with man -l not checked")
    if shutil.which("groff"):
        proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, timeout=60)
        s.check(proc.returncode == 0 and not proc.stderr.strip(), "groff -man -ww: no warning",
                tail(proc.stderr))
        if rendered is None:
            proc = subprocess.run(["groff", "-man", "-Tutf8", "-rLL=80n", page], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env, timeout=60)
            rendered = proc.stdout.decode("utf-8", "replace")
    if rendered is None:
        # Neither man nor groff: at least every request line is a man macro or a basic request.
        known = {"TH", "SH", "SS", "PP", "TP", "RS", "RE", "nf", "fi", "nh", "ad", "B", "I", "br", "\\\""}
        bad = [l for l in roff.split("\n") if l.startswith(".") and l[1:].split(" ")[0] not in known]
        s.check(not bad, "the page uses only man macros (syntax check: neither man nor groff is installed)",
                "\n".join(bad[:10]))
        rendered = re.sub(r"\\f[BIR]", "", roff).replace("\\-", "-")
    # man may render ASCII or UTF-8 hyphens; the page writes \- so they stay ASCII and copy into a shell.
    plain = re.sub(r".\x08", "", rendered)
    for command in ("scan", "merge", "rules", "test-pattern", "audit", "verify", "completion"):
        s.check("trailwatch " + command in plain, "the page describes trailwatch %s" % command)
    missing = sorted(o for o in scan_options if o not in plain)
    s.check(not missing, "the page lists every option of scan, with ASCII hyphens", "missing: %r" % missing)
    s.check("--period SECONDS" in plain and "(default 300)" in plain,
            "the page shows '--period SECONDS ... (default 300)', as the help does")
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
