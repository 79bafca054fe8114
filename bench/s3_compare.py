#!/usr/bin/env python3
"""Reading a CloudTrail archive where it lives: `trailwatch scan s3://...` against downloading the bucket first and
scanning the copy, on one S3-compatible server (moto_server on 127.0.0.1, started here). Runs alternate, each round
runs every system once, medians are reported with peak RSS (GNU time). Both answers must be equal before any
figure is printed.

  bench/s3_compare.py --size 200M                  generate a corpus (tools/gen_archive.py), upload, compare
  bench/s3_compare.py --corpus DIR                 an existing corpus (DIR holds AWSLogs/)
  bench/s3_compare.py --sweep 1,2,4,8,16,32        also --s3-concurrency against scan time
  bench/s3_compare.py --sweep ... --latency-ms 20  ... with every request delayed by 20 ms (a proxy in front of
                                                   moto), as a remote S3 endpoint's first byte is

The download is `aws s3 sync` itself when the AWS CLI is on PATH (--no-aws-cli: what it does, with boto3:
ListObjectsV2, then every object with download_file on 10 threads, the CLI's default max_concurrent_requests).
boto3 and moto_server must be installed.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from aws_moto import MotoServer  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

BUCKET = "bench-archive"
REGION = "eu-west-1"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "trailwatch"))
    ap.add_argument("--size", default="200M", help="uncompressed size of a generated corpus")
    ap.add_argument("--corpus", help="use (or generate and keep) this corpus directory")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sweep", default="", help="comma list of --s3-concurrency values to time")
    ap.add_argument("--latency-ms", type=float, default=0.0, help="delay every request by this much in a proxy")
    ap.add_argument("--no-compare", action="store_true", help="only the sweep")
    ap.add_argument("--no-aws-cli", action="store_true", help="download with boto3 even when `aws` is installed")
    return ap.parse_args()


def timed(cmd, env):
    """(seconds, peak RSS in KB, stdout) of one run under GNU time."""
    rss_file = tempfile.mktemp()
    began = time.time()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    seconds = time.time() - began
    with open(rss_file) as f:
        rss = int(f.read().split()[-1])
    os.remove(rss_file)
    if proc.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr.decode()[-2000:]))
    return seconds, rss, proc.stdout


def answer(report_bytes):
    doc = json.loads(report_bytes)
    return {"rules": doc["rules"], "records": doc["input"]["records"], "files": doc["input"]["files"]}


def download(client, target):
    """ListObjectsV2 then every object, 10 at a time: what `aws s3 sync s3://BUCKET target` does."""
    keys = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        keys.extend(o["Key"] for o in page.get("Contents", []))

    def one(key):
        path = os.path.join(target, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        client.download_file(BUCKET, key, path)
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        list(pool.map(one, keys))
    return len(keys)


def main():
    a = parse_args()
    work = tempfile.mkdtemp(prefix="trailwatch-s3-bench-")
    corpus = a.corpus or os.path.join(work, "corpus")
    if not os.path.isdir(os.path.join(corpus, "AWSLogs")):
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_archive.py"), "--out", corpus, "--seed", "11",
                        "--target-bytes", a.size, "--jobs", "2", "--quiet"], check=True)
    with MotoServer() as moto:
        env = moto.env(AWS_DEFAULT_REGION="us-east-1")
        client = moto.client("s3", REGION)
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        began = time.time()
        n = 0
        for dirpath, _, names in os.walk(corpus):
            for name in names:
                path = os.path.join(dirpath, name)
                client.upload_file(path, BUCKET, os.path.relpath(path, corpus).replace(os.sep, "/"))
                n += 1
        print("uploaded %d objects in %.1fs" % (n, time.time() - began))
        base = [a.binary, "scan", "--format", "json", "--threads", str(a.threads)]

        if a.sweep:
            delay = a.latency_ms / 1000.0

            def slow(method, path, attempt):
                return (lambda: time.sleep(delay)) if delay > 0 else None
            with FaultProxy(moto.endpoint, slow) as proxy:
                endpoint = proxy.endpoint if delay > 0 else moto.endpoint
                values = [int(v) for v in a.sweep.split(",")]
                times = {v: [] for v in values}
                rss = {v: [] for v in values}
                for r in range(a.rounds):
                    for v in values:
                        s, m, _ = timed(base + ["--s3-concurrency", str(v), "--endpoint-url", endpoint,
                                                "s3://%s/AWSLogs" % BUCKET], env)
                        times[v].append(s)
                        rss[v].append(m)
                print("--s3-concurrency sweep (%s, latency %g ms, %d rounds, medians):" % (
                    "through a proxy" if delay > 0 else "moto directly", a.latency_ms, a.rounds))
                for v in values:
                    print("  %3d: %6.2f s  (runs %s)  peak RSS %.1f MB" % (
                        v, statistics.median(times[v]), " ".join("%.2f" % t for t in times[v]),
                        max(rss[v]) / 1024))

        if not a.no_compare:
            sync_cli = None if a.no_aws_cli else shutil.which("aws")
            print("download with %s" % ("`aws s3 sync`" if sync_cli else "boto3 (as `aws s3 sync`)"))
            runs = {"s3": [], "sync": []}
            peak = {"s3": [], "sync": []}
            answers = {}
            for r in range(a.rounds):
                s, m, out = timed(base + ["--endpoint-url", moto.endpoint, "s3://%s/AWSLogs" % BUCKET], env)
                runs["s3"].append(s)
                peak["s3"].append(m)
                answers["s3"] = answer(out)
                copy = os.path.join(work, "copy")
                shutil.rmtree(copy, ignore_errors=True)
                began = time.time()
                if sync_cli:
                    subprocess.run([sync_cli, "s3", "sync", "s3://%s" % BUCKET, copy, "--endpoint-url",
                                    moto.endpoint, "--only-show-errors"], env=env, check=True)
                else:
                    download(client, copy)
                fetched = time.time() - began
                s, m, out = timed(base + [os.path.join(copy, "AWSLogs")], env)
                runs["sync"].append(fetched + s)
                peak["sync"].append(m)
                answers["sync"] = answer(out)
                print("  round %d: s3:// %.2f s; download %.2f s + local scan %.2f s" % (
                    r + 1, runs["s3"][-1], fetched, s))
            if answers["s3"] != answers["sync"]:
                sys.exit("the answers differ: s3:// and the downloaded copy")
            print("same answer (%d files, %d records)" % (answers["s3"]["files"], answers["s3"]["records"]))
            print("s3:// scan:             median %.2f s, peak RSS %.1f MB" % (
                statistics.median(runs["s3"]), max(peak["s3"]) / 1024))
            print("download + local scan:  median %.2f s, peak RSS of the scan %.1f MB" % (
                statistics.median(runs["sync"]), max(peak["sync"]) / 1024))
    if not a.corpus:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
