#!/usr/bin/env python3
"""`scan s3://BUCKET[/PREFIX]` against a real S3-compatible server: moto_server on 127.0.0.1, buckets in eu-west-1
(so the bucket's region must be discovered: the scan's default region is us-east-1), generated corpora uploaded with
boto3. docs/design.md "Reading from S3" is the contract checked here:

- an s3:// scan of a corpus (every CIS rule, --matches) equals the local scan of the same tree, paths aside; an
  organisation-trail layout under a prefix before AWSLogs/; s3:// and local paths mixed in one scan;
- pruning by the layout (--account/--region/--start/--end): only the folders on the way are listed and only the
  files the window needs are read, with the local walk's answer and counts;
- --shard over s3:// keys: the parts merged equal the unsharded s3:// scan;
- a scope that matches no key (a typo'd --region) warns "nothing in scope" as a local scan does, naming the accounts
  and regions of the prefixes passed over (docs/design.md "Nothing in scope"), exit 0;
- an empty bucket, a missing bucket and a prefix with no logs are errors naming the argument (exit 2);
- a corrupt object and an object deleted between the listing and the reading are named, everything else is exact;
- through a fault-injecting proxy (503 SlowDown, 500, connection resets, bodies cut short, on first attempts): the
  scan retries and stays exact, GetObject requests in flight never exceed --s3-concurrency; an object that keeps
  failing is named with the reason (exit 2).

Skipped (exit 77) when moto_server is not installed."""
import gzip
import hashlib
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, json_differences, tail  # noqa: E402
from aws_moto import MotoMissing, MotoServer  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

SKIP = 77
REGION = "eu-west-1"
ORG = "o-7k2m9x4q1z"


def boto3_or_skip():
    """boto3 from this interpreter, else from moto_server's own (the test re-runs itself there)."""
    try:
        import boto3  # noqa: F401
        return
    except ImportError:
        pass
    exe = shutil.which("moto_server")
    if exe and not os.environ.get("TRAILWATCH_S3_TEST_REEXEC"):
        if "/shims/" in exe and shutil.which("pyenv"):
            import subprocess
            exe = subprocess.run(["pyenv", "which", "moto_server"], capture_output=True, text=True).stdout.strip()
        with open(exe, "rb") as f:
            first = f.readline().decode("utf-8", "replace")
        if first.startswith("#!"):
            interpreter = first[2:].strip().split()[0]
            os.environ["TRAILWATCH_S3_TEST_REEXEC"] = "1"
            os.execv(interpreter, [interpreter] + sys.argv)
    print("SKIP: boto3 is not installed (it uploads the corpora to moto_server)")
    sys.exit(SKIP)


def upload_tree(client, bucket, root, prefix=""):
    """Every file under root as an object whose key is prefix + its path relative to root."""
    count = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            key = prefix + os.path.relpath(path, root).replace(os.sep, "/")
            client.upload_file(path, bucket, key)
            count += 1
    return count


def make_bucket(client, name):
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})


def comparable(doc, prefix):
    """The report with `prefix` cut from every path, without seconds and the inputs as given."""
    doc = json.loads(json.dumps(doc))
    doc["input"].pop("seconds", None)
    doc.pop("inputs", None)
    for entry in doc["input"].get("errors", []) + doc["input"].get("warnings", []):
        if entry["path"].startswith(prefix):
            entry["path"] = entry["path"][len(prefix):]
    return doc


def matches_lines(path, prefix):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["file"].startswith(prefix):
                d["file"] = d["file"][len(prefix):]
            out.append(json.dumps(d, sort_keys=True))
    return out


class Scans:
    def __init__(self, suite, work):
        self.s = suite
        self.work = work
        self.n = 0

    def scan(self, args, label, expect_exit=0, endpoint=None, matches=False):
        """Runs scan --format json; returns (document, matches file or None)."""
        self.n += 1
        out = os.path.join(self.work, "report-%d.json" % self.n)
        m = os.path.join(self.work, "matches-%d.ndjson" % self.n) if matches else None
        cmd = ["scan", "--format", "json", "--threads", "2", "-o", out]
        if endpoint:
            cmd += ["--endpoint-url", endpoint]
        if m:
            cmd += ["--matches", m]
        proc = self.s.run(cmd + list(args), label=label, timeout=300)
        if proc is None:
            return None, None
        self.s.check(proc.returncode == expect_exit, "%s: exit code %d" % (label, expect_exit),
                     "got %d; stderr:\n%s" % (proc.returncode, tail(proc.stderr)))
        try:
            with open(out, encoding="utf-8") as f:
                return json.load(f), m
        except (OSError, ValueError) as e:
            self.s.check(False, "%s: writes a JSON report" % label, "%s\nstderr:\n%s" % (e, tail(proc.stderr)))
            return None, None

    def same(self, s3_doc, s3_prefix, local_doc, local_prefix, label):
        if s3_doc is None or local_doc is None:
            return
        diffs = json_differences(comparable(s3_doc, s3_prefix), comparable(local_doc, local_prefix))
        self.s.check(not diffs, "%s: the s3:// report equals the local one, paths aside" % label, "\n".join(diffs))


def check_equal_to_local(s, scans, moto, corpus):
    label = "s3:// = local (CIS, --matches)"
    local, local_m = scans.scan(["--rule", "cis", os.path.join(corpus, "AWSLogs")], label + " [local]", matches=True)
    remote, remote_m = scans.scan(["--rule", "cis", "s3://trail-archive/AWSLogs"], label + " [s3]",
                                  endpoint=moto.endpoint, matches=True)
    if local is None or remote is None:
        return
    s.check(local["input"]["files"] > 50 and local["rules"][0]["matched_events"] > 0,
            "%s: the corpus is not trivial" % label, json.dumps(local["input"])[:300])
    s.check(sum(local["input"]["skipped"].values()) > 0 and local["input"]["warnings"],
            "%s: the corpus has skipped files and warnings to compare" % label)
    scans.same(remote, "s3://trail-archive/", local, corpus + "/", label)
    s.equal(remote["inputs"], ["s3://trail-archive/AWSLogs"], "%s: inputs as given" % label)
    s.check(all(w["path"].startswith("s3://trail-archive/AWSLogs/") for w in remote["input"]["warnings"]),
            "%s: objects are named s3://BUCKET/KEY" % label, repr(remote["input"]["warnings"][:2]))
    a, b = matches_lines(remote_m, "s3://trail-archive/"), matches_lines(local_m, corpus + "/")
    s.check(len(a) > 0 and a == b, "%s: --matches lines equal, in the same order (%d)" % (label, len(b)),
            "s3 %d lines, local %d; first difference at %s" % (
                len(a), len(b), next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))))

    # Filters on awsRegion and recipientAccountId: --region is the records' region, not the bucket's.
    accounts = sorted(os.listdir(os.path.join(corpus, "AWSLogs")))
    accounts = [a for a in accounts if a.isdigit()]
    args = ["--region", "us-east-1", "--account", accounts[0], "--start", "2024-06-03T06:00:00Z"]
    local, _ = scans.scan(args + [os.path.join(corpus, "AWSLogs")], "filters [local]")
    remote, _ = scans.scan(args + ["s3://trail-archive/AWSLogs"], "filters [s3]", endpoint=moto.endpoint)
    scans.same(remote, "s3://trail-archive/", local, corpus + "/", "--region/--account/--start")

    # s3:// and local paths in one scan: the first account from S3, the others from disk.
    local_args = [os.path.join(corpus, "AWSLogs", a) for a in accounts[1:]]
    local, _ = scans.scan(["--rule", "cis", os.path.join(corpus, "AWSLogs", accounts[0])] + local_args,
                          "mixed [all local]")
    mixed, _ = scans.scan(["--rule", "cis", "s3://trail-archive/AWSLogs/" + accounts[0]] + local_args,
                          "mixed [s3 + local]", endpoint=moto.endpoint)
    if local is not None and mixed is not None:
        s.equal(mixed["rules"], local["rules"], "mixed: s3:// and local paths give the all-local answer")
        for k in ("files", "records", "bytes_read", "bytes_inflated", "skipped"):
            s.equal(mixed["input"][k], local["input"][k], "mixed: input.%s" % k)


def check_pruning(s, scans, moto, corpus):
    """--account/--region/--start/--end list only the folders the layout allows and read only the files whose
    delivery time can hold the window: the same answer and counts as the local walk, and as --no-prune, with
    far fewer requests."""
    accounts = sorted(a for a in os.listdir(os.path.join(corpus, "AWSLogs")) if a.isdigit())
    scope = ["--rule", "cis", "--account", accounts[1], "--region", "us-east-1",
             "--start", "2024-06-03T10:00:00Z", "--end", "2024-06-03T11:00:00Z"]
    local, _ = scans.scan(scope + [os.path.join(corpus, "AWSLogs")], "pruning [local]")
    unpruned, _ = scans.scan(scope + ["--no-prune", "s3://trail-archive/AWSLogs"], "pruning [s3, --no-prune]",
                             endpoint=moto.endpoint)
    with FaultProxy(moto.endpoint) as proxy:
        remote, _ = scans.scan(scope + ["s3://trail-archive/AWSLogs"], "pruning [s3]", endpoint=proxy.endpoint)
        gets = [r for r in proxy.requests if r[0] == "GET" and "list-type=2" not in r[1]]
        lists = [r for r in proxy.requests if "list-type=2" in r[1]]
    if local is None or remote is None or unpruned is None:
        return
    scans.same(remote, "s3://trail-archive/", local, corpus + "/", "pruning")
    s.equal(remote["rules"], unpruned["rules"], "pruning: the answer equals --no-prune's")
    s.check(remote["input"]["pruned"]["prefixes"] > 0 and remote["input"]["pruned"]["files"] > 0,
            "pruning: folders and files were pruned", repr(remote["input"]["pruned"]))
    s.equal(len(gets), remote["input"]["files"], "pruning: one GetObject per file read")
    s.check(remote["input"]["files"] * 5 < unpruned["input"]["files"],
            "pruning: a small fraction of the objects is read (%d of %d)" % (
                remote["input"]["files"], unpruned["input"]["files"]))
    s.check(len(lists) < 40, "pruning: only the folders on the way are listed (%d ListObjectsV2)" % len(lists))


def check_nothing_in_scope(s, moto, client):
    """--region us-east1 (a typo) over the bundled sample: nothing listed below the region folders, a warning naming
    what was seen, and the same input.scope as the local walk's."""
    sample = os.path.join(s.source_dir, "testdata", "sample")
    make_bucket(client, "sample-archive")
    upload_tree(client, "sample-archive", sample)
    docs = {}
    for name, args in (("local", [os.path.join(sample, "AWSLogs")]),
                       ("s3", ["--endpoint-url", moto.endpoint, "s3://sample-archive/AWSLogs"])):
        proc = s.run(["scan", "--format", "json", "--region", "us-east1"] + args, label="nothing in scope [%s]" % name)
        if proc is None:
            return
        err = proc.stderr.decode("utf-8", "replace")
        s.check(proc.returncode == 0 and "warning: nothing in scope: --region us-east1 matches no logs" in err and
                "did you mean --region us-east-1?" in err, "nothing in scope [%s]: exit 0 and a warning" % name,
                "exit %d, stderr %s" % (proc.returncode, err))
        docs[name] = json.loads(proc.stdout.decode("utf-8"))
    s.equal(docs["s3"]["input"]["scope"], docs["local"]["input"]["scope"],
            "nothing in scope: input.scope of s3:// equals the local walk's")
    s.equal(docs["s3"]["input"]["scope"]["empty"], True, "nothing in scope [s3]: input.scope.empty")


def check_shards(s, scans, moto):
    whole, _ = scans.scan(["--rule", "cis", "s3://trail-archive/AWSLogs"], "shards [unsharded]",
                          endpoint=moto.endpoint)
    parts = []
    files = 0
    for i in range(3):
        doc, _ = scans.scan(["--rule", "cis", "--shard", "%d/3" % i, "s3://trail-archive/AWSLogs"],
                            "shard %d/3" % i, endpoint=moto.endpoint)
        if doc is None:
            return
        files += doc["input"]["files"]
        parts.append(os.path.join(scans.work, "report-%d.json" % scans.n))
    if whole is None:
        return
    s.equal(files, whole["input"]["files"], "shards: the parts read every object once")
    merged_path = os.path.join(scans.work, "merged.json")
    proc = s.run(["merge", "--format", "json", "-o", merged_path] + parts, label="merge of s3:// shards")
    if proc is None:
        return
    s.equal(proc.returncode, 0, "shards: merge exit code")
    with open(merged_path, encoding="utf-8") as f:
        merged = json.load(f)

    def strip(doc):
        doc = json.loads(json.dumps(doc))
        for k in ("seconds", "threads"):
            doc["input"].pop(k, None)
        doc.pop("shard", None)
        return doc
    diffs = json_differences(strip(merged), strip(whole))
    s.check(not diffs, "shards: merge(3 s3:// parts) equals the unsharded s3:// scan", "\n".join(diffs))


def check_org_layout(s, scans, moto, org_corpus):
    client = moto.client("s3", REGION)
    make_bucket(client, "org-archive")
    n = upload_tree(client, "org-archive", org_corpus, prefix="logs/prod/")
    s.note("uploaded %d objects under s3://org-archive/logs/prod/" % n)
    local, _ = scans.scan(["--rule", "cis", org_corpus], "org trail [local]")
    for arg, prefix in (("s3://org-archive/logs/prod", "s3://org-archive/logs/prod/"),
                        ("s3://org-archive/logs/prod/", "s3://org-archive/logs/prod/"),
                        ("s3://org-archive", "s3://org-archive/logs/prod/")):
        remote, _ = scans.scan(["--rule", "cis", arg], "org trail [%s]" % arg, endpoint=moto.endpoint)
        scans.same(remote, prefix, local, org_corpus + "/", "org trail under a prefix (%s)" % arg)


def check_argument_errors(s, scans, moto):
    client = moto.client("s3", REGION)
    make_bucket(client, "empty-archive")
    cases = (("s3://empty-archive", "the bucket is empty"),
             ("s3://no-such-archive", "the bucket does not exist (NoSuchBucket)"),
             ("s3://trail-archive/no-logs-here", "no object under no-logs-here/"))
    for arg, error in cases:
        doc, _ = scans.scan([arg], "argument error %s" % arg, expect_exit=2, endpoint=moto.endpoint)
        if doc is None:
            continue
        s.equal(doc["input"]["errors"], [{"path": arg, "error": error}], "%s: the argument is named" % arg)
        s.equal(doc["input"]["files"], 0, "%s: nothing read" % arg)


def check_damage(s, scans, moto, corpus, work):
    """A corrupt object and an object deleted between listing and reading: named, the rest exact."""
    client = moto.client("s3", REGION)
    make_bucket(client, "damaged-archive")
    accounts = sorted(a for a in os.listdir(os.path.join(corpus, "AWSLogs")) if a.isdigit())
    tree = os.path.join(work, "damaged")
    shutil.copytree(os.path.join(corpus, "AWSLogs", accounts[0]), os.path.join(tree, accounts[0]))
    logs = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs
                  if f.endswith(".json.gz") and "CloudTrail-" not in d)
    corrupt, deleted = logs[3], logs[7]
    with open(corrupt, "rb") as f:
        data = f.read()
    with open(corrupt, "wb") as f:
        f.write(data[: len(data) // 2])  # a download cut in the middle
    upload_tree(client, "damaged-archive", tree)
    deleted_key = os.path.relpath(deleted, tree)
    os.remove(deleted)  # the local copy the answer must equal: without it

    def delete_first(method, path, attempt):
        if method == "GET" and path.endswith("/" + deleted_key) and attempt == 1:
            return lambda: client.delete_object(Bucket="damaged-archive", Key=deleted_key)
        return None

    local, _ = scans.scan(["--rule", "cis", tree], "damage [local]", expect_exit=2)
    with FaultProxy(moto.endpoint, delete_first) as proxy:
        remote, _ = scans.scan(["--rule", "cis", "s3://damaged-archive"], "damage [s3]", expect_exit=2,
                               endpoint=proxy.endpoint)
    if local is None or remote is None:
        return
    errors = {e["path"]: e["error"] for e in remote["input"]["errors"]}
    local_errors = {e["path"]: e["error"] for e in local["input"]["errors"]}
    corrupt_key = os.path.relpath(corrupt, tree)
    s.equal(errors.get("s3://damaged-archive/" + deleted_key), "deleted after it was listed (NoSuchKey)",
            "damage: the deleted object is named")
    s.equal(errors.get("s3://damaged-archive/" + corrupt_key), local_errors.get(os.path.join(tree, corrupt_key)),
            "damage: the corrupt object is named as its local copy is")
    s.equal(len(errors), 2, "damage: nothing else is an error")
    s.equal(remote["rules"], local["rules"], "damage: every rule's answer equals the local copy's")
    for k in ("records", "records_failed"):
        s.equal(remote["input"][k], local["input"][k], "damage: input.%s" % k)
    s.equal(remote["input"]["files_failed"], local["input"]["files_failed"] + 1, "damage: files_failed")


def check_faults(s, scans, moto, corpus):
    """503 SlowDown, 500, resets and cut bodies on first attempts: retried, exact; a lasting failure is named."""
    local, _ = scans.scan(["--rule", "cis", os.path.join(corpus, "AWSLogs")], "faults [local]")
    kinds = ("slowdown", "500", "reset", "cut") + (None,) * 6  # about 40% of first attempts fail

    def flaky(method, path, attempt):
        if attempt > 1 or method not in ("GET", "HEAD"):
            return None
        return kinds[int(hashlib.sha1(path.encode()).hexdigest(), 16) % len(kinds)]

    with FaultProxy(moto.endpoint, flaky) as proxy:
        remote, _ = scans.scan(["--rule", "cis", "--s3-concurrency", "3", "s3://trail-archive/AWSLogs"],
                               "faults on first attempts", endpoint=proxy.endpoint)
        scans.same(remote, "s3://trail-archive/", local, corpus + "/", "faults on first attempts")
        for kind in ("slowdown", "500", "reset", "cut"):
            s.check(len(proxy.faults(kind)) > 3, "faults: %s was injected (%d times)" % (kind, len(proxy.faults(kind))))
        s.check(proxy.max_in_flight <= 3, "faults: at most --s3-concurrency 3 GetObject in flight (saw %d)" %
                proxy.max_in_flight)

    broken = None

    def lasting(method, path, attempt):
        return "slowdown" if method == "GET" and path == broken else None

    accounts = sorted(a for a in os.listdir(os.path.join(corpus, "AWSLogs")) if a.isdigit())
    first = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(corpus, "AWSLogs", accounts[0]))
                   for f in fs if f.endswith(".json.gz") and "CloudTrail-" not in d)[0]
    key = os.path.relpath(first, corpus).replace(os.sep, "/")
    broken = "/trail-archive/" + key
    with FaultProxy(moto.endpoint, lasting) as proxy:
        remote, _ = scans.scan(["--rule", "cis", "s3://trail-archive/AWSLogs/" + accounts[0]], "lasting SlowDown",
                               expect_exit=2, endpoint=proxy.endpoint)
        tries = len(proxy.faults("slowdown"))
    if remote is not None:
        s.equal(remote["input"]["errors"],
                [{"path": "s3://trail-archive/" + key,
                  "error": "s3:GetObject failed: SlowDown (HTTP 503): Please reduce your request rate. "
                           "(gave up after 5 attempts)"}],
                "lasting SlowDown: the object is named with the reason")
        s.equal(tries, 5, "lasting SlowDown: five attempts")


def main():
    s = Suite(__doc__)
    if shutil.which("moto_server") is None:
        print("SKIP: moto_server is not installed (pip install 'moto[server]')")
        return SKIP
    boto3_or_skip()
    work = os.path.join(s.tmp, "work")
    os.makedirs(work)
    corpus = os.path.join(s.tmp, "corpus")
    org_corpus = os.path.join(s.tmp, "org")
    size = os.environ.get("TRAILWATCH_E2E_S3_CORPUS_SIZE", "6M")
    s.generate(corpus, "--seed", "61", "--target-bytes", size, "--edge-cases", "--digests", "--insights",
               "--jobs", "2", label="corpus")
    s.generate(org_corpus, "--seed", "62", "--target-bytes", "2M", "--org-id", ORG, "--digests", "--jobs", "2",
               label="org corpus")
    try:
        with MotoServer() as moto:
            # trailwatch inherits this: dummy credentials, no user profile, a region other than the buckets'.
            env = moto.env(AWS_DEFAULT_REGION="us-east-1")
            os.environ.clear()
            os.environ.update(env)
            client = moto.client("s3", REGION)
            make_bucket(client, "trail-archive")
            s.note("uploaded %d objects to s3://trail-archive" % upload_tree(client, "trail-archive", corpus))
            scans = Scans(s, work)
            check_equal_to_local(s, scans, moto, corpus)
            check_pruning(s, scans, moto, corpus)
            check_nothing_in_scope(s, moto, client)
            check_shards(s, scans, moto)
            check_org_layout(s, scans, moto, org_corpus)
            check_argument_errors(s, scans, moto)
            check_damage(s, scans, moto, corpus, work)
            check_faults(s, scans, moto, corpus)
    except MotoMissing as e:
        print("SKIP: %s" % e)
        return SKIP
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
