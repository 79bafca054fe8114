#!/usr/bin/env python3
"""`trailwatch verify s3://BUCKET[/PREFIX]` against moto_server (docs/design.md "verify"): the archive of
test_verify.py (signed with a key of the test's own) under a prefix of a bucket in eu-west-1, each digest uploaded
with the S3 metadata CloudTrail gives it. Checked:

- the bucket itself and its prefix verify intact, with the same counts as the local copy of the same tree;
- a changed log object, a deleted one and a digest moved to another prefix of the same bucket (which only the real
  key can show: a local copy compares from AWSLogs/ on) are each reported as what they are, on their s3:// paths;
- a copy in another bucket under another prefix (a responder's evidence bucket) verifies intact;
- a bucket that does not exist is named, exit 2.

Skipped (exit 77) when moto_server, boto3 or the openssl CLI is missing."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402
from aws_moto import MotoMissing, MotoServer  # noqa: E402
from test_s3_scan import boto3_or_skip, upload_tree  # noqa: E402
from test_verify import BUCKET, Archive, findings_of, gz  # noqa: E402

SKIP = 77
REGION = "eu-west-1"
PREFIX = "cloudtrail/"


def main():
    boto3_or_skip()
    s = Suite(__doc__)
    if not shutil.which("openssl"):
        print("SKIP: the openssl command is needed to build the fixtures")
        sys.exit(SKIP)
    archive = Archive(s.tmp)
    local = os.path.join(s.tmp, "local")
    chains, heads = archive.standard(local, prefix=PREFIX)
    keys = archive.keys_file("keys.json", [archive.der("pkcs1.der")])
    sigs = archive.signatures_file("sigs.json", heads)
    signatures = {}
    for chain in chains.values():
        signatures.update(zip(chain["digests"], chain["signatures"]))

    try:
        moto = MotoServer().start()
    except MotoMissing as e:
        print("SKIP: %s" % e)
        sys.exit(SKIP)
    try:
        client = moto.client("s3", region_name=REGION)
        for bucket in (BUCKET, "evidence"):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        for dirpath, _, names in os.walk(local):
            for name in names:
                path = os.path.join(dirpath, name)
                key = os.path.relpath(path, local).replace(os.sep, "/")
                extra = {}
                if key in signatures:  # as CloudTrail delivers a digest: its signature in the user metadata
                    extra = {"Metadata": {"signature": signatures[key], "signature-algorithm": "SHA256withRSA"}}
                client.upload_file(path, BUCKET, key, ExtraArgs=extra)
        upload_tree(client, "evidence", local, "case-42/")

        def verify(label, paths, expect_exit=0):
            args = ["verify", "--format", "json", "--public-keys", keys, "--signatures", sigs,
                    "--endpoint-url", moto.endpoint] + paths
            proc = run(s, args, moto.env(AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true"))
            s.check(proc.returncode == expect_exit, "%s: exit %d" % (label, expect_exit),
                    "got %d; stdout:\n%s\nstderr:\n%s" % (proc.returncode, proc.stdout[:3000], tail(proc.stderr)))
            try:
                return json.loads(proc.stdout)
            except ValueError:
                s.check(False, "%s: JSON on stdout" % label, repr(proc.stdout[:300]))
                return None

        local_doc = verify("local copy", [local])
        for label, arg in (("the prefix", "s3://%s/cloudtrail" % BUCKET), ("the bucket", "s3://%s" % BUCKET)):
            doc = verify(label, [arg])
            if doc and local_doc:
                s.equal(findings_of(doc), [], "%s: intact" % label)
                for part in ("digests", "log_files", "chains", "gaps"):
                    s.equal(doc[part], local_doc[part], "%s: %s as the local copy's" % (label, part))

        east = chains["east"]
        log = east["logs"][0][1]
        body = client.get_object(Bucket=BUCKET, Key=log)["Body"].read()
        client.put_object(Bucket=BUCKET, Key=log, Body=gz(gzip.decompress(body).replace(b"Decrypt", b"Encrypt", 1)))
        gone = chains["west"]["logs"][1][0]
        client.delete_object(Bucket=BUCKET, Key=gone)
        newest = east["digests"][-1]
        client.copy_object(Bucket=BUCKET, Key="old/" + newest, CopySource={"Bucket": BUCKET, "Key": newest})
        client.delete_object(Bucket=BUCKET, Key=newest)
        doc = verify("tampered bucket", ["s3://%s" % BUCKET], expect_exit=1)
        if doc:
            s.equal(findings_of(doc), sorted([("modified", "s3://%s/%s" % (BUCKET, log)), ("missing", gone),
                                              ("digest_moved", "s3://%s/old/%s" % (BUCKET, newest))]),
                    "tampered bucket: a changed log, a deleted log and a digest moved to another prefix")

        doc = verify("evidence bucket", ["s3://evidence/case-42/"])
        if doc:
            s.equal(findings_of(doc), [], "a copy in another bucket under another prefix: intact")
            s.equal(doc["digests"]["valid"], local_doc["digests"]["valid"] if local_doc else None,
                    "evidence bucket: every digest valid")

        doc = verify("no such bucket", ["s3://no-such-bucket-here/AWSLogs"], expect_exit=2)
        if doc:
            s.check(any(f["kind"] == "unreadable" and f["path"] == "s3://no-such-bucket-here/AWSLogs"
                        for f in doc["findings"]), "no such bucket: named", json.dumps(doc["findings"]))
    finally:
        moto.stop()
    sys.exit(s.finish())


def run(s, args, env):
    """trailwatch with `env` (the moto endpoint's dummy credentials); stdout decoded."""
    began = time.time()
    proc = subprocess.run([s.binary] + args, stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=300)
    print("  ran: %s -> exit %d in %.2fs" % (" ".join(args), proc.returncode, time.time() - began))
    proc.stdout = proc.stdout.decode("utf-8", "replace")
    return proc


if __name__ == "__main__":
    main()
