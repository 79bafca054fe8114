#!/usr/bin/env python3
"""A scope that matches no logs is never a silent "never in ALARM" (docs/design.md "Nothing in scope"). On the bundled
sample (three accounts, eu-west-1 and us-east-1, logs of 2024-06-03):

- a typo'd --region, another account's --account, a --start after the logs and an --end before them, each with
  pruning (nothing read) and with --no-prune (everything read and dropped by the record scope): exit 0, a warning
  on stderr in every format naming the flag, the accounts and regions seen and the days of the logs, with a
  did-you-mean for a near region; the table says "nothing in scope" instead of "never in ALARM" and in its summary,
  the HTML page says it above its summary, and the JSON report's input.scope says empty, with what was seen; --fail-on-alarm changes nothing;
- a window with data and no match is a real "never in ALARM": no warning, input.scope.empty false;
- merge: parts of which one is empty and one not give no warning; parts that are both empty warn, their seen sets
  joined;
- --endpoint-url without a scheme is a usage error (64) for scan and verify, before anything is read."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

ACCOUNTS = ["223011557548", "315657972472", "403497667726"]
REGIONS = ["eu-west-1", "us-east-1"]
NEVER_MATCHES = ["--pattern", '{ $.eventName = "NoSuchEventEver" }']


def text(data):
    return data.decode("utf-8", "replace")


def scan(s, args, label, fmt="json", expect_exit=0):
    """Runs scan; returns (stdout text, stderr text), or (None, None) when it did not run."""
    proc = s.run(["scan", "--format", fmt] + list(args), label=label)
    if proc is None:
        return None, None
    s.check(proc.returncode == expect_exit, "%s: exit %d" % (label, expect_exit),
            "got %d; stderr:\n%s" % (proc.returncode, tail(proc.stderr)))
    return text(proc.stdout), text(proc.stderr)


def check_case(s, sample, flags, label, blamed, days, hint=None):
    """One scope that matches nothing, pruned and --no-prune, in every format. `days`: the first and last day the
    warning gives, pruned (from the folders passed over) and --no-prune (from the records dropped), or None."""
    for prune in ([], ["--no-prune"]):
        span = days[1 if prune else 0] if days else None
        name = "%s%s" % (label, " --no-prune" if prune else "")
        out, err = scan(s, flags + prune + [sample], name + " [json]")
        if out is None:
            continue
        warning = "trailwatch: warning: nothing in scope: %s" % blamed
        s.check(warning in err, "%s: stderr warns, naming %s" % (name, blamed), err)
        s.check("seen accounts %s" % ", ".join(ACCOUNTS) in err and "regions %s" % ", ".join(REGIONS) in err,
                "%s: the warning names the accounts and regions seen" % name, err)
        if span:
            said = "logs of %s" % span[0] if span[0] == span[1] else "logs %s..%s" % span
            s.check(said in err, "%s: the warning gives the days of the logs (%s)" % (name, said), err)
        if hint:
            s.check("did you mean %s?" % hint in err, "%s: did you mean %s" % (name, hint), err)
        try:
            doc = json.loads(out)
        except ValueError:
            s.check(False, "%s: a JSON report" % name, out[:300])
            continue
        inp = doc["input"]
        scope = inp.get("scope", {})
        s.equal(scope.get("empty"), True, "%s: input.scope.empty" % name)
        seen = scope.get("seen", {})
        s.equal(seen.get("accounts"), ACCOUNTS, "%s: input.scope.seen.accounts" % name)
        s.equal(seen.get("regions"), REGIONS, "%s: input.scope.seen.regions" % name)
        if prune:
            s.check(inp["records"] > 0 and inp["records"] == inp["records_out_of_scope"] +
                    inp["records_out_of_range"], "%s: records read and all dropped" % name, repr(inp))
        else:
            s.check(inp["files"] == 0 and inp["pruned"]["prefixes"] + inp["pruned"]["files"] > 0,
                    "%s: nothing read, something pruned" % name, repr(inp))
        if span:
            s.equal((seen.get("first_day"), seen.get("last_day")), span, "%s: input.scope.seen days" % name)
        s.equal(inp["errors"], [], "%s: no input error" % name)
        table, err = scan(s, flags + prune + [sample], name + " [table]", fmt="table")
        if table is not None:
            s.check("scope     nothing in scope: %s" % blamed in table, "%s: the table says nothing in scope" % name,
                    table[-1500:])
            s.check("never in ALARM" not in table and "never evaluated: nothing in scope" in table,
                    "%s: no bare 'never in ALARM' in the table" % name, table[-1500:])
            s.check("rule, nothing in scope" in table, "%s: the summary line says nothing in scope" % name,
                    table[-800:])
            s.check(warning in err, "%s [table]: stderr warns too" % name, err)
        for fmt in ("csv", "html"):
            page, err = scan(s, flags + prune + [sample], "%s [%s]" % (name, fmt), fmt=fmt)
            if err is not None:
                s.check(warning in err, "%s [%s]: stderr warns" % (name, fmt), err)
            if fmt == "html" and page is not None:
                s.check('<p class="alarm">nothing in scope: %s' % blamed in page,
                        "%s [html]: the page says nothing in scope" % name, page[:1500])
    _, err = scan(s, flags + ["--fail-on-alarm", sample], label + " --fail-on-alarm")
    if err is not None:
        s.check("nothing in scope" in err, "%s --fail-on-alarm: still a warning, exit 0" % label, err)


def check_real_quiet(s, sample):
    """Data in the window and no match: a real "never in ALARM"."""
    flags = NEVER_MATCHES + ["--region", "us-east-1", "--start", "2024-06-03", "--end", "2024-06-04"]
    for prune in ([], ["--no-prune"]):
        name = "a window with data and no match%s" % (" --no-prune" if prune else "")
        out, err = scan(s, flags + prune + [sample], name)
        if out is None:
            continue
        s.check("nothing in scope" not in err and "warning" not in err, "%s: no warning" % name, err)
        doc = json.loads(out)
        s.equal(doc["input"]["scope"]["empty"], False, "%s: input.scope.empty is false" % name)
        s.check(doc["input"]["records"] > doc["input"]["records_out_of_scope"] + doc["input"]["records_out_of_range"],
                "%s: records in scope were read" % name, repr(doc["input"]))
        table, _ = scan(s, flags + prune + [sample], name + " [table]", fmt="table")
        if table is not None:
            s.check("never in ALARM" in table and "nothing in scope" not in table,
                    "%s: the table says never in ALARM" % name, table[-800:])
    # No scope at all: input.scope is there, empty false, nothing seen.
    out, _ = scan(s, NEVER_MATCHES + [sample], "no scope")
    if out is not None:
        s.equal(json.loads(out)["input"]["scope"], {"empty": False, "seen": {
            "accounts": [], "regions": [], "first_day": None, "last_day": None}}, "no scope: input.scope")


def check_merge(s, sample, work):
    """Parts merged: empty only when no part read a record in scope; the seen sets joined."""
    east = os.path.join(work, "east")
    for account in ACCOUNTS:
        shutil.copytree(os.path.join(sample, "AWSLogs", account, "CloudTrail", "us-east-1"),
                        os.path.join(east, "AWSLogs", account, "CloudTrail", "us-east-1"))
    flags = NEVER_MATCHES + ["--region", "eu-west-1", "--no-prune"]
    parts = {}
    for name, shard, tree in (("sample-0", "0/2", sample), ("east-0", "0/2", east), ("east-1", "1/2", east)):
        path = os.path.join(work, name + ".json")
        out, _ = scan(s, flags + ["--shard", shard, "-o", path, tree], "part %s" % name)
        if out is None or not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            parts[name] = json.load(f)
    s.equal(parts["sample-0"]["input"]["scope"]["empty"], False, "part of the sample, shard 0: not empty")
    s.equal((parts["east-0"]["input"]["scope"]["empty"], parts["east-1"]["input"]["scope"]["empty"]),
            (True, True), "parts of the us-east-1 copy: both empty")
    for names, empty in ((("sample-0", "east-1"), False), (("east-0", "east-1"), True)):
        label = "merge of %s" % " and ".join(names)
        proc = s.run(["merge", "--format", "json"] + [os.path.join(work, n + ".json") for n in names], label=label)
        if proc is None:
            continue
        s.equal(proc.returncode, 0, "%s: exit 0" % label)
        err = text(proc.stderr)
        s.equal("nothing in scope" in err, empty, "%s: warns iff every part is empty" % label)
        doc = json.loads(text(proc.stdout))
        scope = doc["input"]["scope"]
        s.equal(scope["empty"], empty, "%s: input.scope.empty" % label)
        if empty:
            s.equal(scope["seen"]["regions"], ["us-east-1"], "%s: the seen regions joined" % label)
            s.equal(scope["seen"]["accounts"], ACCOUNTS, "%s: the seen accounts joined" % label)
            s.check("--region eu-west-1 matches no logs" in err, "%s: the warning names the flag" % label, err)
            table = s.run(["merge"] + [os.path.join(work, n + ".json") for n in names], label=label + " [table]")
            if table is not None:
                s.check("rule, nothing in scope" in text(table.stdout), "%s: the table summary" % label,
                        text(table.stdout)[-600:])


def check_endpoint_url(s, sample, work):
    """No scheme: refused before any work, as audit does."""
    for command in (["scan", sample], ["verify", sample]):
        out = os.path.join(work, "never-%s.json" % command[0])
        proc = s.run([command[0], "--endpoint-url", "localhost:4566", "-o", out] + command[1:])
        if proc is None:
            continue
        err = text(proc.stderr)
        s.check(proc.returncode == 64 and "--endpoint-url" in err and "http://" in err,
                "%s --endpoint-url localhost:4566: usage error 64 naming the flag" % command[0],
                "exit %d, stderr %s" % (proc.returncode, err))
        s.check(not os.path.exists(out), "%s --endpoint-url localhost:4566: nothing written" % command[0])


def main():
    s = Suite(__doc__)
    sample = os.path.join(s.source_dir, "testdata", "sample")
    check_case(s, sample, ["--region", "us-east1"], "a typo'd region", "--region us-east1 matches no logs",
               None, hint="--region us-east-1")
    check_case(s, sample, ["--account", "111122223333"], "another account",
               "--account 111122223333 matches no logs", None)
    check_case(s, sample, ["--start", "2024-07-01"], "--start after the logs",
               "--start 2024-07-01 matches no logs", (("2024-06-03",) * 2, ("2024-06-02", "2024-06-03")))
    check_case(s, sample, ["--end", "2024-06-01"], "--end before the logs",
               "--end 2024-06-01 matches no logs", (("2024-06-03",) * 2, ("2024-06-02", "2024-06-03")))
    check_real_quiet(s, sample)
    check_merge(s, sample, s.tmp)
    check_endpoint_url(s, sample, s.tmp)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
