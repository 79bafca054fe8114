#!/usr/bin/env python3
"""The report a person reads (docs/design.md "HTML output" and "who"): `--format html` is one self-contained page (no
script, nothing fetched), and a real browser (headless Chromium) renders one timeline per rule with data, one shaded
window per alarm window of the JSON report, one row per delivery gap and one per matched event up to 1,000 per rule; a screenshot is
written next to the test's output. The JSON report's "who" counts agree with the matched records of --matches,
recounted here, and add up to each rule's matched events. Without Chromium the browser half is skipped (exit 77),
never passed."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

EVENT_ROW_LIMIT = 1000


def actor_of(record):
    identity = record.get("userIdentity") or {}
    if not isinstance(identity, dict):
        return "(none)"
    for value in (identity.get("arn"),
                  "AWSService " + identity["invokedBy"] if isinstance(identity.get("invokedBy"), str) and
                  identity["invokedBy"] else None,
                  identity.get("type")):
        if isinstance(value, str) and value:
            return value
    return "(none)"


def recount_who(matches_path):
    """Per rule: Counter-like dicts of actors and source IPs, from the --matches lines."""
    who = {}
    with open(matches_path, encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            if "time_error" in m:
                continue  # in no datapoint, and in no who-count
            record = m["record"]
            rule = who.setdefault(m["rule"], {"actors": {}, "source_ips": {}})
            actor = actor_of(record)
            ip = record.get("sourceIPAddress")
            ip = ip if isinstance(ip, str) and ip else "(none)"
            rule["actors"][actor] = rule["actors"].get(actor, 0) + 1
            rule["source_ips"][ip] = rule["source_ips"].get(ip, 0) + 1
    return who


class Dom(html.parser.HTMLParser):
    """Counts what the test looks for in the DOM Chromium dumps, per rule section."""

    def __init__(self):
        super().__init__()
        self.sections = {}
        self.current = None
        self.timelines = 0
        self.windows = 0
        self.scripts = 0
        self.gap_rows = 0
        self.coverage = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "section" and "rule" in classes:
            self.current = a.get("id", "")[len("rule-"):]
            self.sections[self.current] = {"timelines": 0, "windows": 0, "events": 0}
        if tag == "script":
            self.scripts += 1
        if tag == "h2" and a.get("id") == "coverage":
            self.coverage += 1
        if tag == "tr" and "gap" in classes:
            self.gap_rows += 1
        if self.current is None:
            return
        if tag == "svg" and "timeline" in classes:
            self.sections[self.current]["timelines"] += 1
        if tag == "rect" and "window" in classes:
            self.sections[self.current]["windows"] += 1
        if tag == "tr" and "event" in classes:
            self.sections[self.current]["events"] += 1


def event_rows(page_text):
    return re.findall(r'<tr class="event">.*?</tr>', page_text, re.S)


def check_merge_matches_from(s, single_page, parts, shard_matches):
    """merge --matches-from: the merged page's events table is the single scan's; a missing shard's file is a
    warning, a damaged line or a foreign rule an error (exit 2)."""
    def merge_page(name, matches, expect_exit):
        page = os.path.join(s.tmp, name)
        args = ["merge", "--format", "html", "-o", page]
        for m in matches:
            args += ["--matches-from", m]
        proc = s.run(args + parts, label=name)
        ok = s.check(proc is not None and proc.returncode == expect_exit,
                     "%s: exit %d" % (name, expect_exit), tail(proc.stderr) if proc else "")
        if not ok:
            return None, ""
        with open(page, encoding="utf-8") as f:
            return f.read(), proc.stderr.decode("utf-8", "replace")

    expected = event_rows(single_page)
    s.check(len(expected) > 0, "the single scan's page has matched events to compare", str(len(expected)))
    merged, err = merge_page("merged-events.html", shard_matches, 0)
    if merged is not None:
        s.equal(event_rows(merged), expected, "merge --matches-from: the same events table as one scan")
        s.check("Not in this report" not in merged, "merge --matches-from: no 'not in this report' note")
        s.check("--matches-from" not in err, "merge --matches-from: no warning when every shard's file is given",
                err)
    merged, err = merge_page("merged-missing.html", shard_matches[:2], 0)
    if merged is not None:
        s.check(len(event_rows(merged)) < len(expected) and "is missing or given twice" in err
                and "is missing or given twice" in merged,
                "a shard's --matches file missing: fewer rows, and a warning on stderr and in the page", err)
    damaged = os.path.join(s.tmp, "damaged.ndjson")
    with open(shard_matches[0], encoding="utf-8") as f:
        lines = f.read().splitlines()
    with open(damaged, "w", encoding="utf-8") as f:
        f.write("\n".join(lines + ['{"rule": "no-such-rule", "file": "x", "record": {}}', "{not json"]) + "\n")
    merged, err = merge_page("merged-damaged.html", [damaged] + shard_matches[1:], 2)
    if merged is not None:
        s.check("2 lines of this --matches-from file could not be used; first: line %d: rule no-such-rule is not "
                "in the merged report" % (len(lines) + 1) in merged,
                "a damaged --matches-from file: named in the page's errors with its first bad line",
                merged[merged.find("could not be used") - 200:][:400])
        s.equal(event_rows(merged), expected, "a damaged --matches-from file: its good lines still count")
    merged, err = merge_page("merged-unreadable.html", [os.path.join(s.tmp, "no-such.ndjson")], 2)
    if merged is not None:
        s.check("cannot read this --matches-from file" in merged, "an unreadable --matches-from file is an error")


def main():
    s = Suite(__doc__)
    corpus = os.path.join(s.tmp, "corpus")
    s.generate(corpus, "--seed", "31", "--target-bytes", "8M", "--match-rate", "0.02", "--edge-cases",
               label="corpus")
    matches = os.path.join(s.tmp, "matches.ndjson")
    doc = s.scan_json(["--rule", "cis", "--matches", matches, corpus], "--rule cis --format json")
    if doc is None:
        return s.finish()

    # who: every rule's counts add up to its matched events, and agree with the records --matches wrote.
    recounted = recount_who(matches)
    for rule in doc["rules"]:
        who = rule["who"]
        for key in ("actors", "source_ips", "resources"):
            s.equal(sum(who[key].values()), rule["matched_events"],
                    "%s: who.%s adds up to the matched events" % (rule["id"], key))
        expected = recounted.get(rule["id"], {"actors": {}, "source_ips": {}})
        s.equal(who["actors"], expected["actors"], "%s: who.actors as recounted from --matches" % rule["id"])
        s.equal(who["source_ips"], expected["source_ips"],
                "%s: who.source_ips as recounted from --matches" % rule["id"])
    kms = next(r for r in doc["rules"] if r["id"] == "kms-cmk-disable-or-delete")
    s.check(kms["matched_events"] > 0 and all(k.startswith(("arn:aws:kms:", "alias/")) or k == "(none)" or len(k) == 36
                                               for k in kms["who"]["resources"]),
            "the KMS rule's resources are keys", repr(list(kms["who"]["resources"])[:5]))

    # merge: who-counts of shards add up to the unsharded ones.
    parts = []
    shard_matches = []
    for i in range(3):
        part = os.path.join(s.tmp, "part-%d.json" % i)
        part_matches = os.path.join(s.tmp, "matches-%d.ndjson" % i)
        proc = s.run(["scan", "--rule", "cis", "--shard", "%d/3" % i, "--format", "json", "-o", part,
                      "--matches", part_matches, corpus])
        s.check(proc is not None and proc.returncode == 0, "shard %d/3 runs" % i)
        parts.append(part)
        shard_matches.append(part_matches)
    proc = s.run(["merge", "--format", "json"] + parts)
    merged = json.loads(proc.stdout) if proc is not None and proc.returncode == 0 else {"rules": []}
    s.equal([r["who"] for r in merged["rules"]], [r["who"] for r in doc["rules"]],
            "merged shards: the same who-counts as one scan")

    page = os.path.join(s.tmp, "report.html")
    proc = s.run(["scan", "--rule", "cis", "--format", "html", "-o", page, corpus], label="--format html")
    if not s.check(proc is not None and proc.returncode == 0, "--format html: exit 0",
                   tail(proc.stderr) if proc else ""):
        return s.finish()
    with open(page, encoding="utf-8") as f:
        text = f.read()
    s.check(text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>"), "one whole HTML document")
    lowered = text.lower()
    s.check("<script" not in lowered and " src=" not in lowered and "url(" not in lowered and
            "@import" not in lowered, "self-contained: no script, no fetched resource")
    merged_page = os.path.join(s.tmp, "merged.html")
    proc = s.run(["merge", "--format", "html", "-o", merged_page] + parts)
    s.check(proc is not None and proc.returncode == 0 and os.path.getsize(merged_page) > 0,
            "merge --format html writes a page")
    with open(merged_page, encoding="utf-8") as f:
        plain_merge = f.read()
    s.check(not event_rows(plain_merge) and "with --matches-from for this table" in plain_merge,
            "a merge without --matches-from: no event rows, and the page says how to get them")
    check_merge_matches_from(s, text, parts, shard_matches)

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("SKIP: chromium is not installed; the rendering checks did not run")
        s.finish()
        return 1 if s.failed else 77
    profile = os.path.join(s.tmp, "chromium-profile")
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
            "--allow-file-access-from-files"]
    env = dict(os.environ, HOME=s.tmp)
    try:
        dump = subprocess.run(base + ["--dump-dom", "file://" + page], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=180, env=env)
    except subprocess.TimeoutExpired:
        s.check(False, "chromium renders the page within 180 s")
        return s.finish()
    if not s.check(dump.returncode == 0 and b"</html>" in dump.stdout, "chromium renders the page",
                   tail(dump.stderr)):
        return s.finish()
    dom = Dom()
    dom.feed(dump.stdout.decode("utf-8"))
    s.equal(sorted(dom.sections), sorted(r["id"] for r in doc["rules"]), "one section per rule")
    s.equal(dom.scripts, 0, "no script in the rendered DOM")
    s.equal(dom.coverage, 1, "a coverage section")
    delivery = doc["input"].get("delivery") or {"gaps": []}
    s.equal(dom.gap_rows, len(delivery["gaps"]), "one row per delivery gap of the JSON (%d)" % len(delivery["gaps"]))
    for rule in doc["rules"]:
        got = dom.sections.get(rule["id"], {})
        has_data = any(series["datapoints"] for series in rule["series"])
        s.equal(got.get("timelines"), 1 if has_data else 0,
                "%s: %s" % (rule["id"], "one timeline" if has_data else "no timeline without data"))
        windows = sum(len(a["windows"]) for a in rule["alarms"])
        s.equal(got.get("windows"), windows, "%s: one shaded window per alarm window (%d)" % (rule["id"], windows))
        s.equal(got.get("events"), min(rule["matched_events"], EVENT_ROW_LIMIT),
                "%s: one row per matched event (%d)" % (rule["id"], rule["matched_events"]))

    shots = os.path.join(os.path.dirname(s.binary), "test-output")
    os.makedirs(shots, exist_ok=True)
    shot = os.path.join(shots, "html-report.png")
    try:
        subprocess.run(base + ["--screenshot=" + shot, "--window-size=1280,2400", "--hide-scrollbars",
                               "file://" + page], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180,
                       env=env)
    except subprocess.TimeoutExpired:
        pass
    s.check(os.path.isfile(shot) and os.path.getsize(shot) > 10000, "a screenshot is written: %s" % shot)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
