#!/usr/bin/env python3
"""`trailwatch verify` on archives built here (docs/design.md "verify"): RSA keys of the test's own (openssl CLI),
public keys in both forms (PKCS#1 and SubjectPublicKeyInfo), chains of several digests over generated logs in two
regions, an organisation trail's member account and a re-signed backfill chain, the newest signature of each chain
saved as `--signatures` wants it. Then each tamper case of the research file, one at a time on a fresh copy:
changed log byte, appended gzip member, deleted log, deleted middle digest, changed digest byte, moved digest,
restart gap, backfill chain, log in no digest, wrong key, newest digest without a signature. Each must be reported
as what it is, on the file it is about, with nothing else flagged, and exit as DESIGN says (0 intact or only
reported, 1 tampering, 2 not checkable, 64 usage).

The builder (Archive) is also used by test_verify_s3.py. Skipped (exit 77) without the openssl CLI."""
import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, tail  # noqa: E402

SKIP = 77
ACCT, ORG, ORG_ACCT = "111122223333", "o-abc123def4", "222233334444"
BUCKET = "trail-bucket"


def gz(data):
    return gzip.compress(data, mtime=0)


class Archive:
    """Keys and a writer of CloudTrail-like archives: logs, digests chained and signed as CloudTrail does."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.keydir = os.path.join(tmp, "keys")
        os.makedirs(self.keydir, exist_ok=True)
        self._openssl("genrsa", "-out", "priv.pem", "2048")
        self._openssl("rsa", "-in", "priv.pem", "-RSAPublicKey_out", "-outform", "DER", "-out", "pkcs1.der")
        self._openssl("rsa", "-in", "priv.pem", "-pubout", "-outform", "DER", "-out", "spki.der")
        self._openssl("genrsa", "-out", "other.pem", "2048")
        self._openssl("rsa", "-in", "other.pem", "-RSAPublicKey_out", "-outform", "DER", "-out", "other.der")

    def _openssl(self, *a):
        subprocess.run(["openssl", *a], check=True, capture_output=True, cwd=self.keydir)

    def der(self, name):
        with open(os.path.join(self.keydir, name), "rb") as f:
            return f.read()

    def keys_file(self, name, ders):
        """An `aws cloudtrail list-public-keys --output json` file holding these DER keys."""
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump({"PublicKeyList": [{"Value": base64.b64encode(d).decode(), "ValidityStartTime": 1764806400.0,
                                          "ValidityEndTime": 1767398400.0, "Fingerprint": hashlib.md5(d).hexdigest()}
                                         for d in ders]}, f)
        return path

    def signatures_file(self, name, heads):
        """A --signatures file: digest key -> its S3 metadata, as `aws s3api head-object --query Metadata` prints."""
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump({k: {"signature": s, "signature-algorithm": "SHA256withRSA"} for k, s in heads.items()}, f)
        return path

    def sign(self, text, key="priv.pem"):
        with open(os.path.join(self.keydir, "tosign"), "wb") as f:
            f.write(text.encode())
        self._openssl("dgst", "-sha256", "-sign", key, "-out", "sig.bin", "tosign")
        return self.der("sig.bin").hex()

    def chain(self, root, account=ACCT, region="us-east-1", trail="main", digests=3, first_hour=0, hour_step=1,
              logs_per_digest=2, backfill=False, restart_at=None, other_key_at=None, spki=False, org=None,
              prefix="", bucket=BUCKET):
        """Writes a chain of digests on 2026-12-04 (one every `hour_step` hours), each listing its own logs.
        Returns {"digests": [key...], "logs": [[key...]...], "signatures": [hex...]}, oldest first."""
        fp = hashlib.md5(self.der("spki.der" if spki else "pkcs1.der")).hexdigest()
        base = "%sAWSLogs/%s%s" % (prefix, org + "/" if org else "", account)
        out = {"digests": [], "logs": [], "signatures": []}
        prev = None
        for i in range(digests):
            h = first_hour + i * hour_step
            start, end = "2026-12-04T%02d:00:00Z" % h, "2026-12-04T%02d:00:00Z" % (h + 1)
            if i == restart_at:
                prev = None
                start = "2026-12-04T%02d:20:00Z" % h  # logging was off for a while
            entries, logs = [], []
            for n in range(logs_per_digest):
                key = "%s/CloudTrail/%s/2026/12/04/%s_CloudTrail_%s_20261204T%02d%02dZ_%s%d.json.gz" % (
                    base, region, account, region, h, 5 + 7 * n, "bf" if backfill else "lg", n)
                records = [{"eventVersion": "1.08", "eventTime": "2026-12-04T%02d:%02d:00Z" % (h, 7 * n + k),
                            "eventSource": "kms.amazonaws.com", "eventName": "DisableKey" if k == 0 else "Decrypt",
                            "awsRegion": region, "recipientAccountId": account, "eventID": "%s-%d-%d-%d" % (
                                trail, h, n, k)} for k in range(3)]
                body = json.dumps({"Records": records}).encode()
                self.write(root, key, gz(body))
                entries.append({"s3Bucket": bucket, "s3Object": key, "hashValue": hashlib.sha256(body).hexdigest(),
                                "hashAlgorithm": "SHA-256", "newestEventTime": end, "oldestEventTime": start})
                logs.append(key)
            dkey = "%s/CloudTrail-Digest/%s/2026/12/04/%s_CloudTrail-Digest_%s_%s_%s_20261204T%02d0000Z%s.json.gz" % (
                base, region, account, region, trail, "us-east-1", h + 1, "_backfill" if backfill else "")
            digest = {"awsAccountId": account, "digestStartTime": start, "digestEndTime": end,
                      "digestS3Bucket": bucket, "digestS3Object": dkey, "digestPublicKeyFingerprint": fp,
                      "digestSignatureAlgorithm": "SHA256withRSA", "newestEventTime": end, "oldestEventTime": start,
                      "previousDigestS3Bucket": bucket if prev else None,
                      "previousDigestS3Object": prev[0] if prev else None,
                      "previousDigestHashValue": prev[1] if prev else None,
                      "previousDigestHashAlgorithm": "SHA-256" if prev else None,
                      "previousDigestSignature": prev[2] if prev else None, "logFiles": entries}
            raw = json.dumps(digest).encode()
            digest_hash = hashlib.sha256(raw).hexdigest()
            text = "%s\n%s/%s\n%s\n%s" % (end, bucket, dkey, digest_hash, prev[2] if prev else "null")
            sig = self.sign(text, "other.pem" if i == other_key_at else "priv.pem")
            self.write(root, dkey, gz(raw))
            prev = (dkey, digest_hash, sig)
            out["digests"].append(dkey)
            out["logs"].append(logs)
            out["signatures"].append(sig)
        return out

    @staticmethod
    def write(root, key, data):
        path = os.path.join(root, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    def standard(self, root, prefix="", bucket=BUCKET):
        """The archive every case starts from: us-east-1 (4 digests) and eu-west-1 (3) of one account, a re-signed
        backfill chain in us-east-1 (2 digests, hours apart), an organisation trail's member account (3). Returns
        the chains by name and the --signatures map of their newest digests."""
        kw = {"prefix": prefix, "bucket": bucket}
        chains = {"east": self.chain(root, digests=4, **kw),
                  "west": self.chain(root, region="eu-west-1", **kw),
                  "backfill": self.chain(root, backfill=True, digests=2, first_hour=1, hour_step=3, **kw),
                  "org": self.chain(root, account=ORG_ACCT, trail="org-trail", org=ORG, **kw)}
        heads = {c["digests"][-1]: c["signatures"][-1] for c in chains.values()}
        return chains, heads


def findings_of(doc):
    return sorted((f["kind"], f["path"]) for f in doc["findings"])


class Cases:
    def __init__(self, s, archive):
        self.s = s
        self.archive = archive
        self.pristine = os.path.join(s.tmp, "pristine")
        self.chains, heads = archive.standard(self.pristine)
        self.heads = archive.signatures_file("sigs.json", heads)
        self.keys = archive.keys_file("keys.json", [archive.der("pkcs1.der")])
        self.count = 0

    def copy(self):
        self.count += 1
        root = os.path.join(self.s.tmp, "case%02d" % self.count)
        shutil.copytree(self.pristine, root)
        return root

    def verify(self, root, label, keys=True, heads=True, extra=(), expect_exit=0):
        args = ["verify", "--format", "json"]
        if keys:
            args += ["--public-keys", keys if isinstance(keys, str) else self.keys]
        if heads:
            args += ["--signatures", heads if isinstance(heads, str) else self.heads]
        proc = self.s.run(args + list(extra) + [root], label=label)
        if proc is None:
            return None
        self.s.check(proc.returncode == expect_exit, "%s: exit %d" % (label, expect_exit),
                     "got %d; stdout:\n%s\nstderr:\n%s" % (proc.returncode, proc.stdout.decode()[:3000],
                                                          tail(proc.stderr)))
        try:
            doc = json.loads(proc.stdout)
        except ValueError as e:
            self.s.check(False, "%s: JSON on stdout" % label, "%s: %r" % (e, proc.stdout[:300]))
            return None
        self.s.equal(doc.get("schema"), "trailwatch.verify/1", "%s: schema" % label)
        return doc

    def expect(self, doc, label, findings):
        """Exactly these (kind, path) findings, paths relative to the case's root or s3 keys as given."""
        if doc is None:
            return
        self.s.equal(findings_of(doc), sorted(findings), "%s: findings" % label)

    def at(self, root, key):
        return os.path.join(root, key)


def main():
    s = Suite(__doc__)
    if not shutil.which("openssl"):
        print("SKIP: the openssl command is needed to build the fixtures")
        sys.exit(SKIP)
    archive = Archive(s.tmp)
    c = Cases(s, archive)
    east, west, backfill, org = (c.chains[k] for k in ("east", "west", "backfill", "org"))
    total_digests = 4 + 3 + 2 + 3
    total_logs = 2 * total_digests

    # --- intact -------------------------------------------------------------------------------------------------
    root = c.copy()
    doc = c.verify(root, "intact")
    c.expect(doc, "intact", [])
    if doc:
        s.equal(doc["digests"], {"total": total_digests, "valid": total_digests, "invalid": 0,
                                 "unverified_signature": 0}, "intact: digest counts")
        s.equal(doc["log_files"], {"total": total_logs, "valid": total_logs, "modified": 0, "missing": 0,
                                   "not_in_any_digest": 0, "unreadable": 0}, "intact: log counts")
        s.equal(sorted((ch["account"], ch["region"], ch["trail"], ch["first"], ch["last"], ch["restarts"])
                       for ch in doc["chains"]),
                sorted([(ACCT, "eu-west-1", "main", "2026-12-04T00:00:00Z", "2026-12-04T03:00:00Z", 0),
                        (ACCT, "us-east-1", "main", "2026-12-04T00:00:00Z", "2026-12-04T04:00:00Z", 0),
                        (ACCT, "us-east-1", "main_backfill", "2026-12-04T01:00:00Z", "2026-12-04T05:00:00Z", 0),
                        (ORG_ACCT, "us-east-1", "org-trail", "2026-12-04T00:00:00Z", "2026-12-04T03:00:00Z", 0)]),
                "intact: the chains, the backfill chain its own")
        s.equal(doc["gaps"], [], "intact: no gap")
    proc = s.run(["verify", "--public-keys", c.keys, "--signatures", c.heads, root], label="intact table")
    if proc:
        s.check(proc.returncode == 0 and b"intact" in proc.stdout and b"(backfill)" in proc.stdout,
                "intact: the table says so and shows the backfill chain", proc.stdout.decode()[:2000])
    out = os.path.join(s.tmp, "report.json")
    proc = s.run(["verify", "--format", "json", "-o", out, "--threads", "1", root], label="-o")
    if proc:
        with open(out) as f:
            written = json.load(f)
        s.check(proc.returncode == 0 and proc.stdout == b"" and written["digests"]["total"] == total_digests,
                "-o FILE holds the report, stdout is empty")

    # --- key forms and signatures -----------------------------------------------------------------------------
    spki_root = os.path.join(s.tmp, "spki")
    spki_chain = archive.chain(spki_root, spki=True, digests=3)
    spki_keys = archive.keys_file("spki-keys.json", [archive.der("spki.der")])
    spki_heads = archive.signatures_file("spki-sigs.json", {spki_chain["digests"][-1]: spki_chain["signatures"][-1]})
    doc = c.verify(spki_root, "SPKI key", keys=spki_keys, heads=spki_heads)
    c.expect(doc, "SPKI key", [])
    if doc:
        s.equal(doc["digests"]["valid"], 3, "SPKI key: every digest valid")

    doc = c.verify(root, "no keys", keys=False, heads=False)
    c.expect(doc, "no keys", [])
    if doc:
        s.equal(doc["digests"]["unverified_signature"], total_digests, "no keys: every signature counted unverified")

    doc = c.verify(root, "newest without a signature", heads=False)
    c.expect(doc, "newest without a signature",
             [("signature_unverified", c.at(root, ch["digests"][-1])) for ch in (east, west, backfill, org)])
    if doc:
        s.equal(doc["digests"]["unverified_signature"], 4, "newest without a signature: one per chain")

    root = os.path.join(s.tmp, "wrongkey")
    wrong = archive.chain(root, other_key_at=1, digests=3)
    doc = c.verify(root, "wrong key", heads=archive.signatures_file(
        "wrong-sigs.json", {wrong["digests"][-1]: wrong["signatures"][-1]}), expect_exit=1)
    c.expect(doc, "wrong key", [("signature_invalid", c.at(root, wrong["digests"][1]))])

    # --- tampering with logs ----------------------------------------------------------------------------------
    root = c.copy()
    log = c.at(root, east["logs"][1][0])
    with open(log, "rb") as f:
        body = gzip.decompress(f.read())
    with open(log, "wb") as f:
        f.write(gz(body.replace(b'"DisableKey"', b'"EnableKey"', 1)))
    doc = c.verify(root, "changed log byte", expect_exit=1)
    c.expect(doc, "changed log byte", [("modified", log)])
    if doc:
        s.equal((doc["log_files"]["modified"], doc["log_files"]["valid"]), (1, total_logs - 1),
                "changed log byte: counted modified")

    root = c.copy()
    log = c.at(root, west["logs"][2][1])
    with open(log, "ab") as f:
        f.write(gz(b'{"Records":[{"eventName":"Hidden"}]}'))
    doc = c.verify(root, "appended gzip member", expect_exit=1)
    c.expect(doc, "appended gzip member", [("extra_gzip_data", log)])
    if doc:
        s.equal(doc["log_files"]["modified"], 1, "appended gzip member: counted modified")

    root = c.copy()
    os.remove(c.at(root, org["logs"][0][1]))
    doc = c.verify(root, "deleted log", expect_exit=1)
    c.expect(doc, "deleted log", [("missing", org["logs"][0][1])])
    if doc:
        s.equal(doc["log_files"]["missing"], 1, "deleted log: counted missing")

    root = c.copy()
    late = "AWSLogs/%s/CloudTrail/us-east-1/2026/12/04/%s_CloudTrail_us-east-1_20261204T0455Z_late.json.gz" % (
        ACCT, ACCT)
    Archive.write(root, late, gz(b'{"Records":[]}'))
    doc = c.verify(root, "log in no digest")
    c.expect(doc, "log in no digest", [("not_in_any_digest", c.at(root, late))])
    if doc:
        s.equal(doc["log_files"]["not_in_any_digest"], 1, "log in no digest: counted")

    # --- tampering with digests -------------------------------------------------------------------------------
    root = c.copy()
    os.remove(c.at(root, east["digests"][1]))
    doc = c.verify(root, "deleted middle digest", expect_exit=1)
    # Its logs are then in no digest, and the digest before it, whose signature it carried, cannot be checked.
    c.expect(doc, "deleted middle digest",
             [("previous_digest_missing", c.at(root, east["digests"][2])),
              ("signature_unverified", c.at(root, east["digests"][0]))] +
             [("not_in_any_digest", c.at(root, k)) for k in east["logs"][1]])

    root = c.copy()
    path = c.at(root, west["digests"][0])
    with open(path, "rb") as f:
        body = gzip.decompress(f.read())
    with open(path, "wb") as f:
        f.write(gz(body.replace(b'"newestEventTime": "2026', b'"newestEventTime": "2027', 1)))
    doc = c.verify(root, "changed digest byte", expect_exit=1)
    c.expect(doc, "changed digest byte", [("chain_hash_mismatch", path), ("signature_invalid", path)])
    if doc:
        s.equal(doc["digests"]["invalid"], 1, "changed digest byte: one digest invalid")

    root = c.copy()
    src = c.at(root, east["digests"][3])
    moved = src.replace("/2026/12/04/", "/2026/12/05/")
    os.makedirs(os.path.dirname(moved), exist_ok=True)
    shutil.move(src, moved)
    doc = c.verify(root, "moved digest", expect_exit=1)
    c.expect(doc, "moved digest", [("digest_moved", moved)])

    root = os.path.join(s.tmp, "restart")
    restarted = archive.chain(root, digests=4, restart_at=2)
    heads = archive.signatures_file("restart-sigs.json", {restarted["digests"][i]: restarted["signatures"][i]
                                                          for i in (1, 3)})
    doc = c.verify(root, "restart gap", heads=heads)
    c.expect(doc, "restart gap", [("restart", c.at(root, restarted["digests"][2]))])
    if doc:
        s.equal(doc["gaps"], [{"account": ACCT, "region": "us-east-1", "trail": "main", "from": "2026-12-04T02:00:00Z",
                               "to": "2026-12-04T02:20:00Z"}], "restart gap: the gap")
        s.equal([ch["restarts"] for ch in doc["chains"]], [1], "restart gap: one chain, one restart")

    root = c.copy()
    path = c.at(root, backfill["logs"][1][0])
    with open(path, "ab") as f:
        f.write(b"\0\0\0")
    doc = c.verify(root, "backfill chain: its logs are checked too", expect_exit=1)
    c.expect(doc, "backfill chain: its logs are checked too", [("extra_gzip_data", path)])

    # --- what cannot be checked: exit 2 -----------------------------------------------------------------------
    root = c.copy()
    path = c.at(root, org["digests"][1])
    with open(path, "r+b") as f:
        f.truncate(40)
    doc = c.verify(root, "unreadable digest", expect_exit=2)
    c.expect(doc, "unreadable digest", [("unreadable", path), ("signature_unverified", c.at(root, org["digests"][0]))] +
             [("not_in_any_digest", c.at(root, k)) for k in org["logs"][1]])

    bad_keys = os.path.join(s.tmp, "bad-keys.json")
    with open(bad_keys, "w") as f:
        f.write('{"PublicKeyList": [{"Value": "bm90IGEga2V5"}]}')
    doc = c.verify(c.pristine, "a keys file that holds no key", keys=bad_keys, expect_exit=2)
    if doc:
        s.check(("unreadable", bad_keys) in findings_of(doc), "a keys file that holds no key: named")

    empty = os.path.join(s.tmp, "empty")
    Archive.write(empty, "AWSLogs/%s/CloudTrail/us-east-1/2026/12/04/x.json.gz" % ACCT, gz(b'{"Records":[]}'))
    doc = c.verify(empty, "no digest", keys=False, heads=False, expect_exit=2)
    c.verify(os.path.join(s.tmp, "does-not-exist"), "no such path", keys=False, heads=False, expect_exit=2)

    # --- usage ----------------------------------------------------------------------------------------------------
    proc = s.run(["verify", "--public-keys", os.path.join(s.tmp, "nope.json"), c.pristine], label="usage")
    if proc:
        s.equal(proc.returncode, 64, "a --public-keys file that does not exist: exit 64")
    proc = s.run(["verify", "--format", "xml", c.pristine], label="usage")
    if proc:
        s.equal(proc.returncode, 64, "an unknown --format: exit 64")

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
