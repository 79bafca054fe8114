#!/usr/bin/env python3
"""End-to-end throughput of trailwatch against the limit (inflating the same files) and the tools a responder
would use instead (zcat | jq, DuckDB), in one invocation: systems alternate, each round runs every system once,
medians are reported. The machines here are small and noisy: read the ratios, not the seconds.

Before any figure is printed, every system's answer (matches per 5-minute period of the CIS rule "CMK disabled
or scheduled for deletion") must agree with trailwatch's default mode and with the generator's ground truth.

  bench/compare.py                          1 GB corpus from tools/gen_archive.py (default match rate)
  bench/compare.py --realistic              rare matches (--match-rate 0.00001 --decoy-rate 0.00001 --bursts 1)
  bench/compare.py --corpus DIR             an existing corpus (kept; DIR/ground_truth.json or DIR.truth.json used
                                            when present), e.g. one written by another generator
  bench/compare.py --rules                  also the 15-rule CIS pack (--rule cis), default and --fast
  bench/compare.py --config 40              also an account setup of 40 metric filters (--config), default and
                                            --fast: the 15 CIS patterns and 25 of the shapes accounts use, drawn
                                            with a fixed seed (answers: --fast agrees, and so does --rule cis on
                                            the CIS filters)

DuckDB runs through @duckdb/node-api, installed with npm into ~/.cache/trailwatch-bench/duckdb when absent
(--no-duckdb skips it); jq runs on a subset (--jq-mb) because it is two orders of magnitude slower.
"""
import argparse
import collections
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "trailwatch-bench")
JQ_FILTER = ('.Records[] | select(.eventSource == "kms.amazonaws.com" and '
             '(.eventName == "DisableKey" or .eventName == "ScheduleKeyDeletion")) | .eventTime')
DUCKDB_SCRIPT = r"""
const { DuckDBInstance } = require(process.env.DUCKDB_DIR + '/node_modules/@duckdb/node-api');
(async () => {
  const instance = await DuckDBInstance.create(':memory:', { threads: process.env.DUCKDB_THREADS });
  const con = await instance.connect();
  const files = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
  const list = '[' + files.map(f => "'" + f.replace(/'/g, "''") + "'").join(',') + ']';
  const reader = await con.runAndReadAll(`
    SELECT CAST(floor(epoch(CAST(r.eventTime AS TIMESTAMP)) / 300) * 300 AS BIGINT) AS period, count(*) AS n
    FROM (SELECT unnest(Records) AS r FROM read_json(${list},
          columns = {Records: 'STRUCT(eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR)[]'},
          format = 'auto', compression = 'gzip', maximum_object_size = 1073741824))
    WHERE r.eventSource = 'kms.amazonaws.com' AND r.eventName IN ('DisableKey', 'ScheduleKeyDeletion')
    GROUP BY 1 ORDER BY 1`);
  const out = {};
  for (const [period, n] of reader.getRows()) out[String(period)] = Number(n);
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e.message); process.exit(1); });
"""


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="1G", help="uncompressed size of a generated corpus (default 1G)")
    ap.add_argument("--match-rate", type=float, default=None, help="gen_archive --match-rate")
    ap.add_argument("--realistic", action="store_true", help="rare matches: 1e-5 match and decoy rate, one burst")
    ap.add_argument("--corpus", help="use (or generate and keep) this corpus directory")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "trailwatch"))
    ap.add_argument("--baseline", default=os.path.join(ROOT, "build", "bench", "trailwatch_inflate_only"))
    ap.add_argument("--rules", action="store_true", help="also the CIS rule pack (--rule cis)")
    ap.add_argument("--config", type=int, default=0, metavar="N",
                    help="also an account config of N metric filters (the CIS pack first)")
    ap.add_argument("--no-duckdb", action="store_true")
    ap.add_argument("--no-jq", action="store_true")
    ap.add_argument("--jq-mb", type=float, default=100, help="inflated MiB of the jq subset (default 100)")
    return ap.parse_args()


def log(text):
    print(text, file=sys.stderr, flush=True)


def measured(cmd, env=None, shell=False):
    """Wall seconds, CPU seconds (user and system, all threads) and peak RSS (MiB) of one run. The peak comes
    from GNU time (Debian package `time`): a process forked from Python would report Python's own pages as its
    high-water mark. The CPU time is what the run's children used (GNU time waits for its own)."""
    gnu_time = "/usr/bin/time"
    report = tempfile.NamedTemporaryFile(prefix="rss-", delete=False)
    report.close()
    if shell:
        cmd = ["sh", "-c", cmd]
    if os.access(gnu_time, os.X_OK):
        cmd = [gnu_time, "-f", "%M", "-o", report.name] + cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if proc.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), proc.stderr.decode("utf-8", "replace")[-800:]))
    with open(report.name, encoding="utf-8") as f:
        text = f.read().strip().splitlines()
    os.unlink(report.name)
    peak = int(text[-1]) / 1024 if text and text[-1].isdigit() else float("nan")
    return wall, cpu, peak


def gz_files(corpus):
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = [d for d in dirnames if d not in ("CloudTrail-Digest", "CloudTrail-Insight")]
        out.extend(os.path.join(dirpath, f) for f in filenames if f.endswith(".json.gz"))
    return sorted(out)


def isize(path):
    with open(path, "rb") as f:
        f.seek(-4, os.SEEK_END)
        return int.from_bytes(f.read(4), "little")


def ensure_corpus(args, work):
    corpus = args.corpus or os.path.join(work, "corpus")
    if not (os.path.isdir(corpus) and os.listdir(corpus)):
        options = ["--target-bytes", args.size, "--seed", "42", "--jobs", str(args.threads), "--quiet"]
        if args.realistic:
            options += ["--match-rate", "0.00001", "--decoy-rate", "0.00001", "--bursts", "1"]
        elif args.match_rate is not None:
            options += ["--match-rate", str(args.match_rate)]
        log("generating a %s corpus in %s ..." % (args.size, corpus))
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_archive.py"), "--out", corpus] + options,
                       check=True)
    return corpus


def truth_periods(corpus):
    """Matches per period from the generator's ground truth, if there is one (gen_archive or gen_corpus)."""
    parent = os.path.dirname(os.path.abspath(corpus))  # gen_corpus writes OUT/ground_truth.json beside AWSLogs
    for path in (corpus.rstrip("/") + ".truth.json", os.path.join(corpus, "ground_truth.json"),
                 os.path.join(parent, "ground_truth.json")):
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            truth = json.load(f)
        if "datapoints" in truth:  # gen_archive
            return {epoch(p["timestamp"]): int(p["value"]) for p in truth["datapoints"]}, path
        # A corpus written by another generator (e.g. the project's shared gen_corpus.py).
        if "counts_per_5min" in truth:
            return {epoch(k): int(v) for k, v in truth["counts_per_5min"].items()}, path
    return None, None


def epoch(text):
    if isinstance(text, (int, float)):
        return int(text)
    import calendar
    return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))


def trailwatch_periods(args, extra, paths, rule=None):
    """Matches per period of `rule`, or of the one rule a run without --rule has (the binary's default rule)."""
    proc = subprocess.run([args.binary, "scan", "--format", "json", "--no-progress"] + extra + paths,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise RuntimeError("trailwatch %s exited %d: %s" % (" ".join(extra), proc.returncode, proc.stderr[-800:]))
    doc = json.loads(proc.stdout)
    found = [r for r in doc["rules"] if rule is None or r["id"] == rule]
    points = found[0]["series"][0]["datapoints"] if found and found[0]["series"] else []
    return {epoch(p["timestamp"]): int(p["value"]) for p in points}, doc


# The shapes of the filters accounts write besides the CIS pack, each drawn from these lists.
CONFIG_SOURCES = {
    "ec2.amazonaws.com": ["RunInstances", "TerminateInstances", "StopInstances", "CreateSnapshot", "CreateImage",
                          "ModifyInstanceAttribute", "CreateKeyPair", "ImportKeyPair"],
    "iam.amazonaws.com": ["CreateUser", "DeleteUser", "CreateAccessKey", "AttachUserPolicy", "PutUserPolicy",
                          "CreateLoginProfile", "UpdateAssumeRolePolicy", "AddUserToGroup"],
    "s3.amazonaws.com": ["PutBucketPublicAccessBlock", "DeletePublicAccessBlock", "PutBucketEncryption",
                         "DeleteBucket", "PutBucketWebsite"],
    "lambda.amazonaws.com": ["CreateFunction20150331", "UpdateFunctionCode20150331v2", "AddPermission20150331v2"],
    "sts.amazonaws.com": ["GetFederationToken", "AssumeRoleWithSAML", "GetSessionToken"],
    "secretsmanager.amazonaws.com": ["GetSecretValue", "DeleteSecret", "PutResourcePolicy"],
    "rds.amazonaws.com": ["DeleteDBInstance", "ModifyDBInstance", "RestoreDBInstanceFromDBSnapshot"],
    "guardduty.amazonaws.com": ["DeleteDetector", "DisassociateFromMasterAccount", "UpdateDetector"],
    "cloudtrail.amazonaws.com": ["PutEventSelectors", "DeleteEventDataStore"],
    "sso.amazonaws.com": ["CreatePermissionSet", "AttachManagedPolicyToPermissionSet"],
}
CONFIG_ERRORS = ["*NotFound", "Throttling*", "*LimitExceeded", "ValidationException", "*Malformed*", "Invalid*"]
CONFIG_IDENTITIES = ["IAMUser", "AssumedRole", "FederatedUser", "WebIdentityUser", "AWSService", "SAMLUser"]
CONFIG_NUMERIC = ["$.requestParameters.maxResults", "$.requestParameters.durationSeconds",
                  "$.responseElements.credentials.expiration", "$.requestParameters.minCount"]
CONFIG_DIMENSIONS = ["$.eventSource", "$.awsRegion", "$.userIdentity.type", "$.recipientAccountId"]


def config_filters(args, count):
    """The --config N filters: the CIS pack's patterns (as `trailwatch rules` prints them, each under its
    rule id), then filters of the shapes accounts use, drawn with a fixed seed."""
    import random
    rng = random.Random(1616)
    rules = json.loads(subprocess.run([args.binary, "rules", "--format", "json"], stdout=subprocess.PIPE,
                                      check=True).stdout)["rules"]
    filters = [(r["id"], r["pattern"], None) for r in rules][:count]
    shapes = ["name", "source-names", "error", "identity", "numeric", "dimension"]
    while len(filters) < count:
        shape = shapes[len(filters) % len(shapes)]
        source = rng.choice(sorted(CONFIG_SOURCES))
        names = CONFIG_SOURCES[source]
        dimension = None
        if shape == "name":
            pattern = '{ $.eventName = "%s" }' % rng.choice(names)
        elif shape == "source-names":
            picked = rng.sample(names, min(len(names), rng.randint(2, 5)))
            pattern = "{ ($.eventSource = %s) && (%s) }" % (
                source, " || ".join("($.eventName = %s)" % n for n in picked))
        elif shape == "error":
            pattern = '{ ($.eventSource = "%s") && ($.errorCode = "%s") }' % (source, rng.choice(CONFIG_ERRORS))
        elif shape == "identity":
            pattern = '{ ($.userIdentity.type = "%s") && ($.eventName = "%s") }' % (
                rng.choice(CONFIG_IDENTITIES), rng.choice(names))
        elif shape == "numeric":
            pattern = '{ ($.eventName = "%s") && (%s > %d) }' % (rng.choice(names), rng.choice(CONFIG_NUMERIC),
                                                                 rng.randint(1, 5000))
        else:
            pattern = '{ $.eventName = "%s" }' % rng.choice(names)
            dimension = rng.choice(CONFIG_DIMENSIONS)
        filters.append(("account-%02d-%s" % (len(filters), shape), pattern, dimension))
    return filters


def write_config(args, work, count):
    """An export of `aws logs describe-metric-filters` holding the --config N filters; returns its path."""
    out = []
    for name, pattern, dimension in config_filters(args, count):
        transformation = {"metricName": name, "metricNamespace": "Bench", "metricValue": "1"}
        if dimension:
            transformation["dimensions"] = {"Dimension": dimension}
        out.append({"filterName": name, "logGroupName": "CloudTrail/Bench", "filterPattern": pattern,
                    "metricTransformations": [transformation]})
    path = os.path.join(work, "filters-%d.json" % count)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"metricFilters": out}, f, indent=1)
    return path


def rule_series(doc):
    """Every rule's series (dimensions and datapoints), for comparing whole answers."""
    return {r["id"]: json.dumps(r["series"], sort_keys=True) for r in doc["rules"]}


def jq_periods(files):
    cmd = "cat %s | gzip -dc | jq -r '%s'" % (" ".join(quote(f) for f in files), JQ_FILTER)
    proc = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, check=True)
    counts = collections.Counter(epoch(t) // 300 * 300 for t in proc.stdout.decode().split())
    return dict(counts), cmd


def quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def ensure_duckdb():
    folder = os.path.join(CACHE, "duckdb")
    if not os.path.isdir(os.path.join(folder, "node_modules", "@duckdb", "node-api")):
        if not shutil.which("npm"):
            return None, "npm not found"
        log("installing @duckdb/node-api into %s ..." % folder)
        os.makedirs(folder, exist_ok=True)
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", folder, "@duckdb/node-api"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if proc.returncode != 0:
            return None, "npm install failed: " + proc.stdout.decode("utf-8", "replace")[-400:]
    script = os.path.join(folder, "trailwatch_query.js")
    with open(script, "w", encoding="utf-8") as f:
        f.write(DUCKDB_SCRIPT)
    with open(os.path.join(folder, "node_modules", "@duckdb", "node-api", "package.json"), encoding="utf-8") as f:
        version = json.load(f).get("version", "?")
    return script, version


def main():
    args = parse_args()
    for path, what in ((args.binary, "trailwatch"), (args.baseline, "the inflate-only baseline")):
        if not os.access(path, os.X_OK):
            sys.exit("no %s at %s: build first (cmake --build build -j2)" % (what, path))
    work = tempfile.mkdtemp(prefix="trailwatch-bench-")
    try:
        return run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work):
    corpus = ensure_corpus(args, work)
    files = gz_files(corpus)
    compressed = sum(os.path.getsize(f) for f in files)
    inflated = sum(isize(f) for f in files)
    threads = str(args.threads)
    env = dict(os.environ)

    # Same answer first: a fast wrong tool is no benchmark.
    reference, reference_doc = trailwatch_periods(args, ["--threads", threads], [corpus])
    default_rule = reference_doc["rules"][0]["id"]  # the rule a run without --rule has
    answers = {"trailwatch scan": reference}
    answers["trailwatch scan --fast"], fast_doc = trailwatch_periods(args, ["--fast", "--threads", threads], [corpus])
    if args.rules:
        answers["trailwatch scan --rule cis"], _ = trailwatch_periods(args, ["--rule", "cis"], [corpus],
                                                                      default_rule)
        answers["trailwatch scan --rule cis --fast"], _ = trailwatch_periods(args, ["--rule", "cis", "--fast"],
                                                                             [corpus], default_rule)
    config = None
    if args.config:
        config = write_config(args, work, args.config)
        _, config_doc = trailwatch_periods(args, ["--config", config, "--threads", threads], [corpus])
        _, config_fast_doc = trailwatch_periods(args, ["--config", config, "--fast", "--threads", threads],
                                                [corpus])
        if rule_series(config_doc) != rule_series(config_fast_doc):
            sys.exit("--config %d: --fast disagrees with the default mode: no figures printed" % args.config)
        _, cis_doc = trailwatch_periods(args, ["--rule", "cis", "--threads", threads], [corpus])
        cis = rule_series(cis_doc)
        mismatched = [rule for rule, series in rule_series(config_doc).items()
                      if rule in cis and json.loads(series) and json.loads(cis[rule]) and
                      [p for s in json.loads(series) for p in s["datapoints"]] !=
                      [p for s in json.loads(cis[rule]) for p in s["datapoints"]]]
        if mismatched:
            sys.exit("--config %d disagrees with --rule cis on %s: no figures printed" % (args.config, mismatched))
        log("--config %d: %d rules, default and --fast agree, and with --rule cis on the CIS filters"
            % (args.config, len(config_doc["rules"])))
    truth, truth_path = truth_periods(corpus)
    if truth is not None:
        answers["ground truth (%s)" % os.path.basename(truth_path)] = truth
    duck_script = None
    if not args.no_duckdb:
        duck_script, duck_version = ensure_duckdb()
        if duck_script is None:
            log("DuckDB skipped: %s" % duck_version)
        else:
            list_path = os.path.join(work, "files.json")
            with open(list_path, "w", encoding="utf-8") as f:
                json.dump(files, f)
            env.update(DUCKDB_DIR=os.path.dirname(duck_script), DUCKDB_THREADS=threads)
            proc = subprocess.run(["node", duck_script, list_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=env)
            if proc.returncode != 0:
                sys.exit("DuckDB failed: %s" % proc.stderr.decode("utf-8", "replace")[-800:])
            answers["DuckDB %s" % duck_version] = {int(k): v for k, v in json.loads(proc.stdout).items()}
    disagree = [name for name, got in answers.items() if got != reference]
    for name in disagree:
        diff = sorted(set(answers[name].items()) ^ set(reference.items()))[:6]
        log("DISAGREES: %s vs trailwatch scan; first differing (period, count): %s" % (name, diff))
    if disagree:
        sys.exit("the systems do not agree: no figures printed")
    matches = sum(reference.values())
    log("answers agree: %d matches in %d periods (%s)" % (matches, len(reference), ", ".join(answers)))

    systems = collections.OrderedDict()
    systems["inflate only (libdeflate)"] = ([args.baseline, "--threads", threads, corpus], False)
    tw = [args.binary, "scan", "--format", "json", "--no-progress", "--threads", threads]
    systems["trailwatch scan"] = (tw + [corpus], False)
    systems["trailwatch scan --fast"] = (tw + ["--fast", corpus], False)
    if args.rules:
        systems["trailwatch scan --rule cis"] = (tw + ["--rule", "cis", corpus], False)
        systems["trailwatch scan --rule cis --fast"] = (tw + ["--rule", "cis", "--fast", corpus], False)
    if config:
        systems["trailwatch scan --config %d" % args.config] = (tw + ["--config", config, corpus], False)
        systems["trailwatch scan --config %d --fast" % args.config] = (tw + ["--config", config, "--fast", corpus],
                                                                       False)
    if duck_script:
        systems["DuckDB (read_json, 3 columns)"] = (["node", duck_script, os.path.join(work, "files.json")], False)

    times = collections.defaultdict(list)
    cpu_times = collections.defaultdict(list)
    peaks = collections.defaultdict(float)
    for r in range(args.rounds):
        log("round %d/%d" % (r + 1, args.rounds))
        for name, (cmd, shell) in systems.items():
            wall, cpu, peak = measured(cmd, env=env, shell=shell)
            times[name].append(wall)
            cpu_times[name].append(cpu)
            peaks[name] = max(peaks[name], peak)

    jq_row = None
    if not args.no_jq and shutil.which("jq"):
        subset, size = [], 0
        for f in files:
            if size >= args.jq_mb * 2 ** 20:
                break
            subset.append(f)
            size += isize(f)
        want, _ = trailwatch_periods(args, ["--threads", threads], subset)
        got, cmd = jq_periods(subset)
        if got != want:
            sys.exit("jq disagrees with trailwatch on the subset: no figures printed")
        wall, cpu, peak = measured(cmd, shell=True)
        jq_row = (wall, cpu, peak, size)

    base = statistics.median(times["inflate only (libdeflate)"])
    base_cpu = statistics.median(cpu_times["inflate only (libdeflate)"])
    mib = inflated / 2 ** 20
    print("corpus: %s, %d files, %.1f MiB gzip, %.1f MiB JSON, %d matches; %d threads; %d rounds alternating, medians"
          % (corpus, len(files), compressed / 2 ** 20, mib, matches, args.threads, args.rounds))
    if fast_doc:
        i = fast_doc["input"]
        print("--fast skipped %d of %d files (%.1f%% of the JSON)" % (
            i["buffers_skipped"], len(files), 100.0 * i["bytes_skipped"] / max(1, inflated)))
    # "vs inflate" is the ratio of wall times, the figure the targets are stated in; "CPU vs" the ratio of CPU
    # times (all threads, user and system): the same comparison without what a run does on one thread while
    # the other cores wait (start-up, listing, the report), and steadier on a shared machine.
    print("%-36s %9s %9s %10s %8s %9s" % ("system", "seconds", "MiB/s", "vs inflate", "CPU vs", "peak RSS"))
    for name in systems:
        m = statistics.median(times[name])
        c = statistics.median(cpu_times[name])
        print("%-36s %9.2f %9.0f %10.2f %8.2f %8.0fM" % (name, m, mib / m, base / m, base_cpu / c, peaks[name]))
    if jq_row:
        wall, cpu, peak, size = jq_row
        rate = size / 2 ** 20 / wall
        share = size / 2 ** 20 / mib  # the subset's share of the corpus
        print("%-36s %9.2f %9.0f %10.3f %8.3f %8.0fM   (one run on the first %.0f MiB)" % (
            "gzip -dc | jq", wall, rate, rate / (mib / base), base_cpu * share / cpu, peak, size / 2 ** 20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
