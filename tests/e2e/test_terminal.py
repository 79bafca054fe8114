"""The table on a real terminal (issue 14; README "Colour"): --color auto|always|never against NO_COLOR and TERM=dumb,
escapes only around what they mark and never in JSON or CSV, audit's PASS/FAIL coloured, counts in the singular
("1 file", "1 thread"); and in tmux, at 80 and 160 columns, `scan --rule cis` over the bundled sample: no pattern
wrapped mid-word, the summary on screen when the scan ends, escapes only when asked or on the terminal under auto.

The tmux half starts a private server (its socket and an empty configuration in the test's temporary folder) and
kills it at the end. Without tmux that half is not run and the test is reported skipped (exit 77), never passed.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

ESC = "\x1b["
SGR = re.compile(r"\x1b\[[0-9;]*m")


def plain(text):
    return SGR.sub("", text)


def run_env(s, args, env_changes, label):
    """Runs trailwatch with the environment changed (None removes a variable); stdout and stderr are pipes."""
    env = dict(os.environ)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    proc = subprocess.run([s.binary] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, timeout=120)
    print("  ran: %s %s -> exit %d" % (label, " ".join(args), proc.returncode))
    return proc


def check_pipes(s, sample):
    """Colour decided without a terminal: always, never, NO_COLOR, formats that are never coloured."""
    no_env = {"NO_COLOR": None, "TERM": "xterm-256color"}
    always = run_env(s, ["scan", "--rule", "cis", "--color", "always", sample], no_env, "always")
    never = run_env(s, ["scan", "--rule", "cis", "--color", "never", sample], no_env, "never")
    auto = run_env(s, ["scan", "--rule", "cis", sample], no_env, "auto, a pipe")
    out = always.stdout.decode()
    s.check(ESC not in never.stdout.decode(), "--color never: no escape", tail(never.stdout))
    s.check(ESC not in auto.stdout.decode(), "auto on a pipe: no escape", tail(auto.stdout))
    # An ALARM window row is red from its first column; the summary's count of rules in ALARM too.
    rows = [line for line in out.splitlines() if re.match(r"^  \x1b\[1;31m\d{4}-\d\d-\d\dT", line)]
    s.check(rows and all(line.endswith("\x1b[0m") for line in rows),
            "--color always: ALARM window rows are red (%d)" % len(rows), tail(always.stdout))
    s.check(re.search(r"\x1b\[1;31m\d+ in ALARM\x1b\[0m", out) is not None,
            "--color always: the summary's 'N in ALARM' is red", tail(always.stdout))
    s.check("\x1b[32mnever in ALARM\x1b[0m" in out, "--color always: 'never in ALARM' is green")
    # Without the escapes it is the text of --color never (the timing aside).
    timing = re.compile(r"\d+\.\d\d s, ")
    s.equal(timing.sub("", plain(out)), timing.sub("", never.stdout.decode()),
            "--color always is --color never's text once the escapes are taken out")
    # --color always is always, for stderr's messages too; never is never.
    s.check(ESC in always.stderr.decode() or "logs are missing" not in always.stderr.decode(),
            "--color always also colours stderr's warnings", tail(always.stderr))
    s.check(ESC not in never.stderr.decode(), "--color never: stderr has no escape", tail(never.stderr))

    with_no_color = run_env(s, ["scan", "--rule", "cis", "--color", "always", sample], {"NO_COLOR": "1"},
                            "NO_COLOR=1 always")
    s.check(ESC in with_no_color.stdout.decode(), "--color always wins over NO_COLOR (no-color.org)")
    for fmt in ("json", "csv", "html"):
        proc = run_env(s, ["scan", "--rule", "cis", "--color", "always", "--format", fmt, sample], no_env,
                       "always, " + fmt)
        s.check(proc.returncode == 0 and ESC.encode() not in proc.stdout,
                "--format %s --color always: no escape in the report" % fmt, tail(proc.stderr))
    bad = run_env(s, ["scan", "--color", "sometimes", sample], no_env, "bad value")
    s.equal(bad.returncode, 64, "--color sometimes is a usage error")

    # merge writes the same table: coloured as scan's.
    part = os.path.join(s.tmp, "part-0.json")
    run_env(s, ["scan", "--rule", "cis", "--shard", "0/1", "--format", "json", "-o", part, sample], no_env, "shard")
    merged = run_env(s, ["merge", "--color", "always", part], no_env, "merge always")
    s.check(re.search(r"\x1b\[1;31m\d+ in ALARM", merged.stdout.decode()) is not None,
            "merge --color always: the summary's 'N in ALARM' is red", tail(merged.stdout))
    merged = run_env(s, ["merge", "--color", "never", part], no_env, "merge never")
    s.check(merged.returncode == 0 and ESC.encode() not in merged.stdout, "merge --color never: no escape",
            tail(merged.stderr))

    # Plurals: one file read by one thread.
    one = None
    for root, _, files in sorted(os.walk(sample)):
        for name in sorted(files):
            if name.endswith(".json.gz"):
                one = os.path.join(root, name)
                break
        if one:
            break
    proc = run_env(s, ["scan", "--threads", "1", "--color", "never", one], no_env, "one file")
    text = proc.stdout.decode()
    s.check("input     1 file (0 failed), " in text and ", 1 thread, " in text,
            "one file, one thread: '1 file', '1 thread'", text[:400])
    s.check("(s)" not in text, "no '(s)' in the table", text[:400])

    # audit from a recorded folder: PASS green, FAIL red, nothing without colour or in JSON.
    audit_root = os.path.join(s.source_dir, "testdata", "audit")
    passed = run_env(s, ["audit", "--from-dir", os.path.join(audit_root, "compliant"), "--format", "table",
                         "--color", "always"], no_env, "audit compliant")
    s.check("\x1b[32mPASS" in passed.stdout.decode(), "audit --color always: PASS is green", tail(passed.stdout))
    failed = run_env(s, ["audit", "--from-dir", os.path.join(audit_root, "narrower-pattern"), "--format", "table",
                         "--color", "always"], no_env, "audit narrower")
    s.check("\x1b[1;31mFAIL" in failed.stdout.decode(), "audit --color always: FAIL is red", tail(failed.stdout))
    s.equal(failed.returncode, 1, "audit narrower-pattern: exit 1 with colour as without")
    for args, what in ((["--format", "table", "--color", "never"], "--color never"),
                       (["--format", "table"], "auto on a pipe"),
                       (["--format", "json", "--color", "always"], "json --color always")):
        proc = run_env(s, ["audit", "--from-dir", os.path.join(audit_root, "narrower-pattern")] + args, no_env,
                       "audit " + what)
        s.check(ESC.encode() not in proc.stdout, "audit %s: no escape" % what, tail(proc.stdout))

    # test-pattern: MATCH in bold with colour, the same line without.
    events = b'{"eventName":"DisableKey"}\n{"eventName":"Other"}\n'
    env = dict(os.environ, TERM="xterm")
    env.pop("NO_COLOR", None)
    proc = subprocess.run([s.binary, "test-pattern", "--color", "always", "{ $.eventName = DisableKey }"],
                          input=events, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60)
    s.check(b"\x1b[1mMATCH\x1b[0m" in proc.stdout and b"1 of 2 events matched" in proc.stdout,
            "test-pattern --color always: MATCH in bold", tail(proc.stdout))


class Tmux:
    """A private tmux server: its socket and an empty configuration in `folder`."""

    def __init__(self, folder):
        self.folder = folder
        self.socket = os.path.join(folder, "tmux.sock")
        self.config = os.path.join(folder, "tmux.conf")
        with open(self.config, "w"):
            pass
        self.windows = 0

    def cmd(self, *args, check=True):
        proc = subprocess.run(["tmux", "-S", self.socket, "-f", self.config] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=30)
        if check and proc.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (" ".join(args), proc.stderr.decode(errors="replace")))
        return proc.stdout.decode(errors="replace")

    def start(self, width, command):
        """Runs `command` (a shell line) in a new session `width` x 24; returns the session's name."""
        self.windows += 1
        name = "tw%d" % self.windows
        # The marker ends the run; sleep keeps the pane (and what it shows) until the server is killed.
        line = "%s; echo \"[exit $?]\"; exec sleep 600" % command
        self.cmd("new-session", "-d", "-s", name, "-x", str(width), "-y", "24", "sh -c %s" % shlex.quote(line))
        return name

    def wait(self, name, timeout=120):
        end = time.time() + timeout
        while time.time() < end:
            if "[exit " in self.cmd("capture-pane", "-p", "-J", "-S", "-", "-t", name):
                return True
            time.sleep(0.2)
        return False

    def history(self, name, escapes):
        """Every line the pane showed, lines the terminal wrapped joined again (-J)."""
        return self.cmd("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", name, *(["-e"] if escapes else []))

    def screen(self, name):
        return self.cmd("capture-pane", "-p", "-t", name)

    def size(self, name):
        return self.cmd("display-message", "-p", "-t", name, "#{window_width}x#{window_height}").strip()

    def kill(self):
        self.cmd("kill-server", check=False)


def check_tmux(s, sample):
    tmux = Tmux(s.tmp)
    proc = s.run(["scan", "--rule", "cis", "--format", "json", sample], label="cis json")
    patterns = [r["pattern"] for r in json.loads(proc.stdout)["rules"]]
    binary = shlex.quote(s.binary)
    path = shlex.quote(sample)
    scan = "%s scan --rule cis %s" % (binary, path)
    clean = "env -u NO_COLOR TERM=tmux-256color "
    try:
        for width in (80, 160):
            cases = {
                "always": (clean + scan.replace(" scan ", " scan --color always ", 1), True),
                "auto": (clean + scan, True),
                "never": (clean + scan.replace(" scan ", " scan --color never ", 1), False),
                "NO_COLOR=1": ("env NO_COLOR=1 TERM=tmux-256color " + scan, False),
                "TERM=dumb": ("env -u NO_COLOR TERM=dumb " + scan, False),
                # -o naming the terminal itself, stdout a file: auto colours the -o target, a terminal.
                "auto, -o the terminal": (clean + scan.replace(" scan ", " scan -o \"$(tty)\" ", 1) + " > "
                                          + shlex.quote(os.path.join(s.tmp, "stdout-%d.txt" % width)), True),
                # stdout and stderr both piped: stderr's messages follow stderr's terminal, not stdout's.
                "auto, piped": (clean + scan + " 2>&1 | cat", False),
            }
            for what, (line, coloured) in cases.items():
                label = "tmux %d columns, %s" % (width, what)
                name = tmux.start(width, line)
                if not s.check(tmux.wait(name), "%s: the scan ends" % label, tmux.screen(name)):
                    continue
                s.equal(tmux.size(name), "%dx24" % width, "%s: the window is %d x 24" % (label, width))
                history = tmux.history(name, escapes=True)
                s.check(("\x1b[" in history) == coloured,
                        "%s: %s" % (label, "escapes present" if coloured else "no escape"),
                        "\n".join(history.splitlines()[-12:]))
                if coloured:
                    alarm_line = [l for l in history.splitlines() if "in ALARM" in plain(l) and "summary" in l]
                    s.check(alarm_line and ESC in alarm_line[0], "%s: the summary's 'in ALARM' is coloured" % label,
                            repr(alarm_line))
                check_layout(s, label, width, plain(tmux.history(name, escapes=False)), tmux.screen(name),
                             patterns)
    finally:
        tmux.kill()


def check_layout(s, label, width, history, screen, patterns):
    lines = history.splitlines()
    # Patterns: each line of a pattern fits the table's 80 columns (so the terminal never wrapped it), the lines
    # are the pattern again, and each break is at a space (dropped) or between a word and a sign, never inside a
    # word.
    blocks = []
    for i, line in enumerate(lines):
        if not line.startswith("pattern   "):
            continue
        block = [line[10:]]
        for more in lines[i + 1:]:
            if not more.startswith("          "):
                break
            block.append(more[10:])
        blocks.append(block)
        too_wide = [l for l in [line] + ["          " + b for b in block[1:]] if len(l) > 80]
        s.check(not too_wide, "%s: pattern lines fit 80 columns" % label, "\n".join(too_wide))
    if not s.equal(len(blocks), len(patterns), "%s: a pattern line per rule" % label):
        return
    for pattern, block in zip(patterns, blocks):
        pos, problems = 0, []
        for k, part in enumerate(block):
            if not pattern.startswith(part, pos):
                problems.append("line %r is not the pattern's text at %d" % (part, pos))
                break
            pos += len(part)
            if k + 1 < len(block):
                if pattern[pos:pos + 1] == " ":
                    pos += 1
                elif pattern[pos - 1].isalnum() and pattern[pos:pos + 1].isalnum():
                    problems.append("broken inside a word at %r|%r" % (part[-12:], pattern[pos:pos + 12]))
        if pos != len(pattern):
            problems.append("shown %d of its %d characters" % (pos, len(pattern)))
        s.check(not problems, "%s: pattern shown whole, broken between words (%d lines)" % (label, len(block)),
                "%s\n%s" % (pattern, "\n".join(problems)))
    s.check(any(len(p) > 70 for p in patterns), "%s: some pattern needed wrapping (the check tests something)"
            % label)
    # The screen when the scan ends: the summary is on it, and nothing but the summary follows it.
    shown = screen.rstrip("\n").splitlines()
    while shown and not shown[-1].strip():
        shown.pop()
    at = [i for i, l in enumerate(shown) if l.startswith("summary   ")]
    s.check(at and shown[-1].startswith("[exit "), "%s: the summary is on the screen at the end" % label, screen)
    if at:
        after = shown[at[0] + 1:-1]
        s.check(all(l.startswith("  ") for l in after), "%s: only the summary's rows follow it" % label, screen)
        s.check(all(len(l) <= width for l in shown), "%s: the screen's lines fit" % label, screen)


def main():
    s = Suite(__doc__)
    sample = os.path.join(s.source_dir, "testdata", "sample")
    check_pipes(s, sample)
    if not shutil.which("tmux"):
        s.note("SKIPPED: tmux is not installed (Debian package tmux; tools/install-deps.sh installs it)")
        code = s.finish()
        return 1 if code else 77
    check_tmux(s, sample)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
