#!/usr/bin/env python3
"""`trailwatch completion bash|zsh|fish`: each script, loaded into its real shell, completes what the command line
defines. bash is driven through its programmable-completion variables (COMP_WORDS, COMP_CWORD, COMPREPLY), fish
through `complete -C`, zsh through a pseudo-terminal (zsh/zpty) with compadd captured. A shell that is not installed
is reported as skipped. The options offered for each command equal those its --help lists (no drift)."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

COMMANDS = ["scan", "merge", "rules", "test-pattern", "audit", "verify", "completion"]


def bash_quote(word):
    return "'" + word.replace("'", "'\\''") + "'"


def bash_complete(s, script, words, cwd):
    """What bash's completion function offers when the line holds `words` and the cursor ends the last one."""
    program = "source %s\n" % bash_quote(script)
    program += "COMP_WORDS=(%s)\n" % " ".join(bash_quote(w) for w in words)
    program += "COMP_CWORD=%d\n" % (len(words) - 1)
    program += "COMP_LINE=%s\nCOMP_POINT=${#COMP_LINE}\n" % bash_quote(" ".join(words))
    program += "spec=$(complete -p trailwatch) || exit 3\n"
    program += "func=${spec#*-F }; func=${func%% *}\n"
    program += "\"$func\" trailwatch %s %s\n" % (bash_quote(words[-1]), bash_quote(words[-2] if len(words) > 1 else ""))
    program += "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30)
    if proc.returncode != 0 or proc.stderr:
        s.check(False, "bash: completing %r runs cleanly" % words, "exit %d\n%s" % (proc.returncode, tail(proc.stderr)))
    return sorted(line for line in proc.stdout.decode().split("\n") if line)


def fish_complete(s, script, line, cwd):
    program = "source %s; complete -C %s" % (fish_quote(script), fish_quote(line))
    proc = subprocess.run(["fish", "--no-config", "-c", program], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30)
    if proc.returncode != 0:
        s.check(False, "fish: completing %r runs cleanly" % line, "exit %d\n%s" % (proc.returncode, tail(proc.stderr)))
    return sorted(set(row.split("\t")[0] for row in proc.stdout.decode().split("\n") if row))


def fish_quote(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


# Loads the script into an interactive zsh on a pseudo-terminal, replaces compadd by a function that prints every
# candidate it is given (after zsh's own matching against the word), types the line and a TAB, and prints what was
# captured between two marker lines.
ZSH_DRIVER = r'''
zmodload zsh/zpty || exit 5
zpty z zsh -f -i
zpty -w z 'PS1= ; PROMPT= ; RPROMPT= ; unsetopt zle_bracketed_paste 2>/dev/null'
if [[ $1 == fpath:* ]]; then
  # As installed: the function file in a folder of $fpath, found by compinit.
  zpty -w z "fpath=(${(q)1#fpath:} \$fpath); autoload -Uz compinit && compinit -u -D"
else
  zpty -w z 'autoload -Uz compinit && compinit -u -D'
  zpty -w z "source ${(q)1}"
fi
zpty -w z 'bindkey "^I" complete-word'
zpty -w z 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
zpty -w z '_tw_mark () { print -r -- "<<<mark>>>" }; compprefuncs=(_tw_mark); comppostfuncs=(_tw_mark)'
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  local -a __hits; builtin compadd -A __hits "$@"
  local h; for h in $__hits; do print -r -- "<<<hit>>>$h"; done
  builtin compadd "$@"
}'
zpty -w z 'print -r -- "<<<ready>>>"'
local line
while zpty -r z line; do [[ $line == *'<<<ready>>>'* && $line != *print* ]] && break; done
zpty -w -n z "$2"$'\t'
# Read until the mark after the completion, waiting up to 20 s for each line (a loaded machine is slow).
integer marks=0 idle=0
while (( marks < 2 && idle < 400 )); do
  if zpty -r -t z line; then
    idle=0
    if [[ $line == *'<<<mark>>>'* ]]; then (( ++marks )); continue; fi
    [[ $line == *'<<<hit>>>'* ]] && print -r -- "${line#*<<<hit>>>}"
  else
    (( ++idle ))
    sleep 0.05
  fi
done
(( marks == 2 )) || print -u2 "no completion seen"
zpty -d z
'''


def zsh_complete(s, script, line, cwd):
    driver = os.path.join(s.tmp, "zsh_driver.zsh")
    with open(driver, "w") as f:
        f.write(ZSH_DRIVER)
    try:
        proc = subprocess.run(["zsh", "-f", driver, script, line], cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60)
    except subprocess.TimeoutExpired:
        s.check(False, "zsh: completing %r finishes" % line)
        return []
    if b"no completion seen" in proc.stderr:
        s.check(False, "zsh: completing %r runs (the marks around the completion were seen)" % line,
                tail(proc.stderr))
    rows = (row.rstrip("\r") for row in proc.stdout.decode(errors="replace").split("\n"))
    return sorted(set(row for row in rows if row))


def help_options(s, command):
    """The long and short option names `trailwatch COMMAND --help` lists."""
    proc = s.run([command, "--help"])
    text = proc.stdout.decode() if proc else ""
    names = set()
    for line in text.split("\n"):
        m = re.match(r"^  ((?:-[A-Za-z0-9], )?--[A-Za-z0-9-]+|-[A-Za-z0-9])\b", line)
        if m:
            for name in m.group(1).split(", "):
                names.add(name)
    return names


def main():
    s = Suite(__doc__)
    work = os.path.join(s.tmp, "work")
    os.makedirs(os.path.join(work, "logs"))
    for name in ("events.ndjson", "report.json"):
        with open(os.path.join(work, name), "w") as f:
            f.write("{}\n")

    scripts = {}
    for shell in ("bash", "zsh", "fish"):
        proc = s.run(["completion", shell], label="completion " + shell)
        if proc is None:
            continue
        s.check(proc.returncode == 0 and proc.stdout.strip(), "completion %s: exit 0 and a script" % shell,
                "exit %d\n%s" % (proc.returncode, tail(proc.stderr)))
        path = os.path.join(s.tmp, "trailwatch." + shell)
        with open(path, "wb") as f:
            f.write(proc.stdout)
        scripts[shell] = path
    proc = s.run(["completion", "tcsh"], label="completion tcsh")
    if proc is not None:
        s.equal(proc.returncode, 64, "completion tcsh: a usage error")

    rule_ids = []
    proc = s.run(["rules", "--format", "json"], label="rules --format json")
    if proc is not None and proc.returncode == 0:
        import json
        rule_ids = [r["id"] for r in json.loads(proc.stdout)["rules"]]

    # What every shell must offer: (words typed, the last one being completed) -> expected candidates.
    cases = [
        (["trailwatch", "sc"], ["scan"], "a command"),
        (["trailwatch", "scan", "--for"], ["--format"], "an option"),
        (["trailwatch", "scan", "--format", ""], ["csv", "html", "json", "table"], "--format's values"),
        (["trailwatch", "audit", "--format", ""], ["csv", "json", "ocsf", "table"], "audit --format's values"),
        (["trailwatch", "scan", "--statistic", "S"], ["SampleCount", "Sum"], "--statistic's values"),
        (["trailwatch", "scan", "--rule", "ci"], ["cis"], "--rule takes the rule ids"),
        (["trailwatch", "scan", "-o", "rep"], ["report.json"], "-o FILE completes file names"),
        (["trailwatch", "scan", "lo"], ["logs"], "scan's PATH completes file names"),
        (["trailwatch", "test-pattern", "--format", ""], ["json", "table"], "test-pattern --format's values"),
        (["trailwatch", "test-pattern", "{ $.a = 1 }", "ev"], ["events.ndjson"],
         "test-pattern's FILE (after the pattern) completes file names"),
        (["trailwatch", "completion", ""], ["bash", "fish", "zsh"], "completion's shells"),
        (["trailwatch", "help", "te"], ["test-pattern"], "help COMMAND"),
    ]
    bash_only = [
        (["trailwatch", "scan", "--format", "=", "j"], ["json"], "--format=j (bash splits at '=')"),
        (["trailwatch", "scan", "--period", ""], [], "--period SECONDS offers nothing"),
        (["trailwatch", "test-pattern", ""], [], "test-pattern's PATTERN offers no file names"),
        (["trailwatch", "--ver"], ["--version"], "the program's own options"),
        (["trailwatch", ""], sorted(COMMANDS + ["help"]), "every command"),
    ]

    def matches(got, want):
        # file completion may add a trailing slash (zsh, fish) to directories
        return sorted(g.rstrip("/") for g in got) == sorted(want)

    # A shell that is not installed is not tested: the whole test is then reported skipped (exit 77), never
    # passed, even when the other shells' checks passed.
    missing = [shell for shell in ("bash", "fish", "zsh") if not shutil.which(shell)]

    # bash
    if not shutil.which("bash"):
        s.note("SKIPPED: bash is not installed")
    elif "bash" in scripts:
        for words, want, what in cases + bash_only:
            got = bash_complete(s, scripts["bash"], words, work)
            s.check(matches(got, want), "bash: %s: %r -> %r" % (what, " ".join(words), want), "got %r" % got)
        got = bash_complete(s, scripts["bash"], ["trailwatch", "scan", "--rule", ""], work)
        s.check(rule_ids and set(rule_ids) <= set(got) and "cis" in got,
                "bash: --rule offers every built-in rule id ('trailwatch rules') and cis", "got %r" % got)
        for command in COMMANDS:
            listed = help_options(s, command)
            got = set(bash_complete(s, scripts["bash"], ["trailwatch", command, "-"], work))
            s.check(listed and got == listed,
                    "bash: the options offered for %s are those its --help lists" % command,
                    "only offered: %r\nonly in help: %r" % (sorted(got - listed), sorted(listed - got)))

    # fish
    if not shutil.which("fish"):
        s.note("SKIPPED: fish is not installed (Debian package fish)")
    elif "fish" in scripts:
        for words, want, what in cases:
            line = " ".join(w if " " not in w else "'%s'" % w for w in words)
            got = fish_complete(s, scripts["fish"], line, work)
            s.check(matches(got, want), "fish: %s: %r -> %r" % (what, line, want), "got %r" % got)

    # zsh
    if not shutil.which("zsh"):
        s.note("SKIPPED: zsh is not installed (Debian package zsh)")
    elif "zsh" in scripts:
        proc = subprocess.run(["zsh", "-n", scripts["zsh"]], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        s.check(proc.returncode == 0, "zsh: the script parses (zsh -n)", tail(proc.stderr))
        for words, want, what in cases:
            line = " ".join(w if " " not in w else "'%s'" % w for w in words)
            got = zsh_complete(s, scripts["zsh"], line, work)
            s.check(matches(got, want), "zsh: %s: %r -> %r" % (what, line, want), "got %r" % got)
        # Installed as _trailwatch in a folder of $fpath (what cmake --install does), not sourced.
        zfunc = os.path.join(s.tmp, "zfunc")
        os.makedirs(zfunc)
        shutil.copy(scripts["zsh"], os.path.join(zfunc, "_trailwatch"))
        for words, want, what in cases[:3]:
            line = " ".join(words)
            got = zsh_complete(s, "fpath:" + zfunc, line, work)
            s.check(matches(got, want), "zsh, from $fpath: %s: %r -> %r" % (what, line, want), "got %r" % got)
    code = s.finish()
    if code == 0 and missing:
        print("SKIPPED: not installed: %s (tools/install-deps.sh installs them)" % ", ".join(missing))
        return 77
    return code


if __name__ == "__main__":
    sys.exit(main())
