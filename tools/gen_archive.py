#!/usr/bin/env python3
r"""Generate a realistic CloudTrail S3 archive together with its exact ground truth.

The tree looks like what `aws s3 sync s3://<bucket>/AWSLogs ./AWSLogs` leaves on disk:

  OUT/AWSLogs/[o-orgid/]<acct>/CloudTrail/<region>/YYYY/MM/DD/
      <acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz     one gzip member, compact {"Records":[...]}
  OUT/AWSLogs/[o-orgid/]<acct>/CloudTrail-Digest/...                     with --digests (must be skipped)
  OUT/AWSLogs/[o-orgid/]<acct>/CloudTrail-Insight/...                    with --insights (must be skipped)

With --ndjson the log files are written as <name>.jsonl (one record per line, plain) or, with --ndjson-gz,
<name>.jsonl.gz. The records are the same for a given seed whatever the output format. (With --edge-cases, the
pretty-printed .json and the {"Records":[]} .json.gz keep their envelope form in NDJSON mode too, and the plain file
with a gzip name becomes a .jsonl.gz holding plain NDJSON.)

--edge-cases adds: a match spelled "Disable\u004bey", a match whose eventSource has \u escapes, an eventName
"disablekey" from kms (not a match), a ~390 KB match (matched_oversize), duplicate eventName keys both ways (the last
wins), matches at HH:05:00 and HH:04:59 (and HH:05:00 of the same hour: adjacent periods), a match by a user with a
non-ASCII name on a non-ASCII alias, a pretty-printed plain .json file, a .json.gz holding {"Records":[]}, a
.json.gz holding plain JSON (a reader warns), a file whose records span three days, and AWSLogs/sync-notes.txt (a
name a reader passes over).

The ground truth (default OUT/../<basename of OUT>.truth.json, i.e. outside the scanned tree) is for the CIS
rule "CMK disabled or scheduled for deletion":
    { ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }
with values compared after JSON decoding (escapes decoded, the last of duplicate keys wins, case-sensitive),
failed calls (errorCode present) included. It lists the files that a reader must read, their records and matches,
the per-5-minute datapoints (Sum and SampleCount of the value 1 per match, bucketed on eventTime, periods aligned
to the Unix epoch) and the alarm windows of the default CIS alarm (Sum >= 1 over 300 s, 1 of 1, treat missing
data as missing, evaluation range 3 periods) replayed as docs/alarm-semantics.md describes.

Output is a pure function of the options (the seed included); --jobs only changes the speed. (The compressed bytes
also depend on the zlib build; the records, and so every count in the ground truth but the byte sizes, do not.)
Python 3 standard library only.
"""
import argparse
import calendar
import hashlib
import json
import multiprocessing
import os
import random
import sys
import time
import zlib

PERIOD = 300
OVERSIZE_BYTES = 256 * 1024
MIN_RECORDS_PER_FILE = 40
RULE_ID = "kms-cmk-disable-or-delete"
RULE_PATTERN = ("{ ($.eventSource = kms.amazonaws.com) && "
                "(($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }")
RULE_SOURCE = "kms.amazonaws.com"
RULE_NAMES = ("DisableKey", "ScheduleKeyDeletion")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
HEX = "0123456789abcdef"


# ----------------------------------------------------------------------------------------------------------------
# time, sizes, seeds
# ----------------------------------------------------------------------------------------------------------------
def iso(epoch):
    """Epoch seconds -> 'YYYY-MM-DDTHH:MM:SSZ'."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def parse_iso(text):
    """'YYYY-MM-DD', 'YYYY-MM-DDTHH:MM[:SS][Z]' -> epoch seconds (UTC)."""
    s = text.strip().rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return calendar.timegm(time.strptime(s, fmt))
        except ValueError:
            continue
    raise argparse.ArgumentTypeError("cannot read time %r (want YYYY-MM-DD[THH:MM[:SS]Z])" % text)


def parse_bytes(text):
    """'30M', '512K', '1.5G', '1000' -> bytes (powers of 1024)."""
    s = text.strip().upper()
    for suffix in ("IB", "B"):
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(s[-1:], 1)
    if scale != 1:
        s = s[:-1]
    try:
        return int(float(s) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError("cannot read size %r" % text)


def derive_seed(*labels):
    """A 64-bit seed from any labels; stable across processes and Python versions."""
    digest = hashlib.blake2b("/".join(str(x) for x in labels).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def rand_text(rng, n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def rand_uuid(rng):
    v = rng.getrandbits(128)
    h = "%032x" % v
    return "%s-%s-4%s-%s%s-%s" % (h[0:8], h[8:12], h[13:16], "89ab"[v & 3], h[17:20], h[20:32])


def gzip_member(data, level):
    """One gzip member whose header looks like CloudTrail's: no name, mtime 0, OS byte 0 (FAT)."""
    deflater = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    payload = deflater.compress(data) + deflater.flush()
    header = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0])
    trailer = (zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "little") + (len(data) & 0xFFFFFFFF).to_bytes(4, "little")
    return header + payload + trailer


def java_style_date(epoch, variant=0):
    """KMS renders dates (deletionDate, expiration) the Java way, not as ISO 8601."""
    t = time.gmtime(epoch)
    hour = t.tm_hour % 12 or 12
    mark = "AM" if t.tm_hour < 12 else "PM"
    sep = ", " if variant == 0 else " "
    return "%s %d, %d%s%d:%02d:%02d %s" % (time.strftime("%b", t), t.tm_mday, t.tm_year, sep, hour, t.tm_min,
                                          t.tm_sec, mark)


# ----------------------------------------------------------------------------------------------------------------
# vocabulary
# ----------------------------------------------------------------------------------------------------------------
PEOPLE = ["maria.santos", "devops-ci", "k8s-admin", "li.wei", "renée.dubois", "ops-automation", "jürgen.klein",
          "さくら", "oğuz.yılmaz", "svc-backup", "nadia", "Ægir.Þórsson", "tf-apply", "security-audit"]
ROLES = ["OrganizationAccountAccessRole", "gha-deploy-prod", "lambda-orders-exec", "eks-nodes",
         "AWSReservedSSO_PowerUserAccess_7c1e0a9b2d3f4e56", "AWSReservedSSO_ViewOnly_0f1e2d3c4b5a6978",
         "ecs-task-runtime", "glue-crawler", "ReadOnlyAuditor", "dr-restore", "función-informes"]
SESSIONS = ["i-04c9d2e8a1b3f5067", "botocore-session-1717400000", "GitHubActions", "maria.santos@example.org",
            "aws-go-sdk-1717400123456789000", "cli-session", "terraform-20240603", "łukasz@example.org",
            "1717400000321", "karpenter", "nightly-backup"]
SERVICES_INVOKING = ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "glue.amazonaws.com",
                     "autoscaling.amazonaws.com", "ssm.amazonaws.com", "config.amazonaws.com",
                     "elasticloadbalancing.amazonaws.com", "cloudformation.amazonaws.com"]
AGENTS = [
    "aws-cli/2.17.1 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.94-99.176.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.8 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off md/command#{cmd}",
    "aws-cli/2.15.58 Python/3.11.8 Darwin/23.5.0 exe/arm64 prompt/off command/{cmd}",
    "Boto3/1.34.120 md/Botocore#1.34.120 ua/2.0 os/linux#5.10.217-205.860.amzn2.x86_64 md/arch#x86_64 "
    "lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.120",
    "aws-sdk-go-v2/1.27.1 os/linux lang/go#1.22.3 md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.32.2",
    "aws-sdk-java/2.25.64 Linux/6.1.92-99.174.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 "
    "vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard",
    "APN/1.0 HashiCorp/1.0 Terraform/1.8.4 (+https://www.terraform.io) terraform-provider-aws/5.53.0 "
    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.27.1 os/linux lang/go#1.22.3 "
    "md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.32.2",
    "aws-sdk-js/3.592.0 ua/2.0 os/linux#5.10.216-225.855.amzn2.x86_64 lang/js md/nodejs#20.13.1 "
    "api/{svc}#3.592.0 exec-env/AWS_Lambda_nodejs20.x",
    "AWS Internal",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 "
    "Safari/537.36",
]
CONSOLE_AGENT = AGENTS[-1]
PUBLIC_IPS = ["198.51.100.14", "198.51.100.202", "203.0.113.9", "203.0.113.77", "203.0.113.150", "192.0.2.33",
              "192.0.2.240", "2001:db8:1f70::999:de8:7648:6e8", "2001:db8:ac10:fe01::2a"]
OBJECT_KEYS = ["raw/events/2024/06/03/part-00042.snappy.parquet", "exports/orders-2024-06-03.csv.gz",
               "ml/checkpoints/epoch-17/model.safetensors", "uploads/顧客/見積書 6月.pdf", "menus/crème brûlée 🍮.jpg",
               "state/prod/network/terraform.tfstate", "archive/évènements/2024-06-03.json",
               "db/snapshots/pgdump_20240603T0100Z.sql.gz", "web/assets/main.8c1f0e.js", "docs/Überblick (final).docx",
               "logs/AWSLogs/DisableKey-ScheduleKeyDeletion-report.txt"]
EC2_READS = ["DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes", "DescribeSubnets", "DescribeVpcs",
             "DescribeNetworkInterfaces", "DescribeImages", "DescribeInstanceStatus", "DescribeLaunchTemplates",
             "DescribeRouteTables", "DescribeSnapshots", "DescribeAvailabilityZones"]
EVENT_VERSIONS = {"kms": "1.08", "s3": "1.10", "sts": "1.08", "ec2": "1.09", "iam": "1.09", "signin": "1.08",
                  "lambda": "1.08", "dynamodb": "1.09", "logs": "1.08", "events": "1.08", "cloudtrail": "1.10",
                  "monitoring": "1.08", "ssm": "1.08", "secretsmanager": "1.09", "cloudhsm": "1.08",
                  "payment-cryptography": "1.09", "ecr": "1.08", "config": "1.09"}
TLS_CHOICES = [("TLSv1.3", "TLS_AES_128_GCM_SHA256"), ("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
               ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")]


class Account:
    """Everything about one account that stays the same over the archive (principals, keys, buckets)."""

    def __init__(self, seed, acct, regions, peers):
        rng = random.Random(derive_seed(seed, "account", acct))
        self.id = acct
        self.peers = [p for p in peers if p != acct] or ["210987654321"]
        self.users = [(name, "AIDA" + rand_text(rng, 17, B32), "AKIA" + rand_text(rng, 16, B32)) for name in PEOPLE]
        self.roles = [(name, "AROA" + rand_text(rng, 17, B32)) for name in ROLES]
        self.sessions = [(rng.choice(self.roles), rng.choice(SESSIONS), "ASIA" + rand_text(rng, 16, B32),
                          rng.randrange(3600)) for _ in range(48)]
        self.keys = {r: [rand_uuid(rng) for _ in range(10)] for r in regions}
        self.mrk = {r: "mrk-" + "%032x" % rng.getrandbits(128) for r in regions}
        self.aliases = ["alias/orders-db", "alias/aws/s3", "alias/ledger", "alias/backup-vault", "alias/clé-données"]
        self.buckets = ["%s-%s" % (b, acct) for b in ("lake-raw", "web-assets", "tfstate", "db-backups", "ml-data")]
        self.instances = ["i-%017x" % rng.getrandbits(68) for _ in range(24)]
        self.private_ips = ["10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(2, 255))
                            for _ in range(16)]
        self.vpce = "vpce-%017x" % rng.getrandbits(68)
        self.root_key = "ASIA" + rand_text(rng, 16, B32)


# ----------------------------------------------------------------------------------------------------------------
# records
# ----------------------------------------------------------------------------------------------------------------
class Entry:
    """One record as written: its JSON text and what a JSON parser would decode from it."""
    __slots__ = ("t", "text", "source", "name", "event_id", "dict_ok")

    def __init__(self, t, text, source, name, event_id, dict_ok=True):
        self.t = t
        self.text = text
        self.source = source
        self.name = name
        self.event_id = event_id
        self.dict_ok = dict_ok  # False: text has duplicate keys or escapes a re-serialisation would lose

    def matches(self):
        return self.source == RULE_SOURCE and self.name in RULE_NAMES


class RecordFactory:
    """Builds records for one account and region from a random generator."""

    def __init__(self, rng, account, region, global_region, ascii_only=False):
        self.rng = rng
        self.a = account
        self.region = region
        self.global_region = global_region
        self.ascii_only = ascii_only
        self.now = 0

    def entry(self, rec):
        text = json.dumps(rec, separators=(",", ":"), ensure_ascii=self.ascii_only)
        return Entry(self.now, text, rec.get("eventSource"), rec.get("eventName"), rec.get("eventID"))

    # ---- identities ------------------------------------------------------------------------------------------
    def iam_user(self, console=False, name=None):
        rng = self.rng
        uname, pid, akid = rng.choice(self.a.users)
        if name:
            uname = name
        ident = {"type": "IAMUser", "principalId": pid, "arn": "arn:aws:iam::%s:user/%s" % (self.a.id, uname),
                 "accountId": self.a.id, "accessKeyId": akid, "userName": uname}
        if console:
            ident["accessKeyId"] = "ASIA" + akid[4:]
            ident["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {}, "attributes": {
                "creationDate": iso(self.now - rng.randrange(60, 7200)), "mfaAuthenticated": "true"}}
        return ident

    def assumed_role(self, invoked_by=None, acct=None):
        rng = self.rng
        acct = acct or self.a.id
        (rname, rid), session, akid, age = rng.choice(self.a.sessions)
        context = {"sessionIssuer": {"type": "Role", "principalId": rid, "arn": "arn:aws:iam::%s:role/%s" % (acct, rname),
                                     "accountId": acct, "userName": rname},
                   "webIdFederationData": {},
                   "attributes": {"creationDate": iso(self.now - self.now % 3600 - age), "mfaAuthenticated": "false"}}
        if session.startswith("i-"):
            context["ec2RoleDelivery"] = "2.0"
        ident = {"type": "AssumedRole", "principalId": "%s:%s" % (rid, session),
                 "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (acct, rname, session), "accountId": acct,
                 "accessKeyId": akid, "sessionContext": context}
        if invoked_by:
            ident["invokedBy"] = invoked_by
        return ident

    def root(self):
        return {"type": "Root", "principalId": self.a.id, "arn": "arn:aws:iam::%s:root" % self.a.id,
                "accountId": self.a.id, "accessKeyId": self.a.root_key,
                "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                                   "attributes": {"creationDate": iso(self.now - 900), "mfaAuthenticated": "true"}}}

    def federated(self):
        rng = self.rng
        if rng.random() < 0.5:
            return {"type": "FederatedUser", "principalId": "%s:%s" % (self.a.id, "fed-" + rand_text(rng, 6).lower()),
                    "arn": "arn:aws:sts::%s:federated-user/fed-portal" % self.a.id, "accountId": self.a.id,
                    "accessKeyId": "ASIA" + rand_text(rng, 16, B32),
                    "sessionContext": {"sessionIssuer": {"type": "IAMUser", "principalId": self.a.users[0][1],
                                                         "arn": "arn:aws:iam::%s:user/%s" % (self.a.id, self.a.users[0][0]),
                                                         "accountId": self.a.id, "userName": self.a.users[0][0]},
                                       "attributes": {"creationDate": iso(self.now - 300), "mfaAuthenticated": "false"}}}
        return {"type": "WebIdentityUser", "principalId": "token.actions.githubusercontent.com:sts.amazonaws.com:"
                "repo:example/app:ref:refs/heads/main", "userName": "repo:example/app:ref:refs/heads/main",
                "identityProvider": "token.actions.githubusercontent.com"}

    def service(self, name):
        return {"type": "AWSService", "invokedBy": name}

    def anyone(self):
        x = self.rng.random()
        if x < 0.66:
            return self.assumed_role()
        if x < 0.88:
            return self.iam_user()
        if x < 0.95:
            return self.iam_user(console=True)
        if x < 0.98:
            return self.federated()
        return self.root()

    # ---- the common envelope -----------------------------------------------------------------------------------
    def _origin(self, ident):
        invoked = ident.get("invokedBy")
        if invoked:
            return invoked, invoked
        rng = self.rng
        anchor = zlib.crc32((ident.get("arn") or ident.get("principalId") or "").encode())
        if rng.random() < 0.8:
            ip = self.a.private_ips[anchor % len(self.a.private_ips)] if anchor & 8 else \
                PUBLIC_IPS[anchor % len(PUBLIC_IPS)]
        else:
            ip = rng.choice(PUBLIC_IPS + self.a.private_ips)
        agent = AGENTS[(anchor >> 4) % len(AGENTS)] if rng.random() < 0.85 else rng.choice(AGENTS)
        return ip, agent

    def make(self, svc, name, ident, params, response=None, *, read_only=True, data=False, error=None, extra=None,
             resources=None, region=None, agent=None, ip=None, event_type="AwsApiCall", version=None,
             api_version=None, shared=False, recipient=None):
        rng = self.rng
        region = region or self.region
        origin_ip, origin_agent = self._origin(ident)
        agent = agent or origin_agent
        rec = {"eventVersion": version or EVENT_VERSIONS.get(svc, "1.08"), "userIdentity": ident,
               "eventTime": iso(self.now), "eventSource": svc + ".amazonaws.com", "eventName": name,
               "awsRegion": region, "sourceIPAddress": ip or origin_ip,
               "userAgent": agent.replace("{svc}", svc).replace("{cmd}", "%s.%s" % (svc, name.lower()))}
        if error:
            rec["errorCode"], rec["errorMessage"] = error
        rec["requestParameters"] = params
        rec["responseElements"] = response
        if extra is not None:
            rec["additionalEventData"] = extra
        rec["requestID"] = rand_text(rng, 16, "0123456789ABCDEF") if svc == "s3" else rand_uuid(rng)
        rec["eventID"] = rand_uuid(rng)
        rec["readOnly"] = read_only
        if resources is not None:
            rec["resources"] = resources
        rec["eventType"] = event_type
        if api_version:
            rec["apiVersion"] = api_version
        rec["managementEvent"] = not data
        rec["recipientAccountId"] = recipient or self.a.id
        if shared:
            rec["sharedEventID"] = rand_uuid(rng)
        if rng.random() < 0.05 and svc in ("kms", "s3", "sts", "ssm", "secretsmanager"):
            rec["vpcEndpointId"] = self.a.vpce
        rec["eventCategory"] = "Data" if data else "Management"
        if not ident.get("invokedBy") and ident.get("type") != "AWSService" and event_type == "AwsApiCall":
            version_tls, suite = TLS_CHOICES[rng.randrange(len(TLS_CHOICES))]
            host = "%s.%s.amazonaws.com" % (svc, region) if svc not in ("iam", "sts", "signin") or \
                region != self.global_region else "%s.amazonaws.com" % svc
            rec["tlsDetails"] = {"tlsVersion": version_tls, "cipherSuite": suite, "clientProvidedHostHeader": host}
        if ident.get("type") == "IAMUser" and ident.get("sessionContext") and rng.random() < 0.6:
            rec["sessionCredentialFromConsole"] = "true"
        return rec

    def key_arn(self, key=None):
        key = key or self.rng.choice(self.a.keys[self.region])
        return "arn:aws:kms:%s:%s:key/%s" % (self.region, self.a.id, key)

    def key_resources(self, arn):
        return [{"accountId": self.a.id, "type": "AWS::KMS::Key", "ARN": arn}]

    # ---- routine traffic --------------------------------------------------------------------------------------
    def kms_crypto(self):
        rng = self.rng
        name = rng.choices(["Decrypt", "GenerateDataKey", "Encrypt", "GenerateDataKeyWithoutPlaintext"],
                           [55, 35, 7, 3])[0]
        arn = self.key_arn()
        via = rng.choice(["s3", "secretsmanager", "lambda", "ebs", "dynamodb", "sqs", None])
        if via == "s3":
            context = {"aws:s3:arn": "arn:aws:s3:::%s/%s" % (rng.choice(self.a.buckets), rng.choice(OBJECT_KEYS))}
        elif via == "secretsmanager":
            context = {"SecretARN": "arn:aws:secretsmanager:%s:%s:secret:prod/orders-db-%s" % (
                self.region, self.a.id, rand_text(rng, 6)), "SecretVersionId": rand_uuid(rng)}
        elif via == "lambda":
            context = {"aws:lambda:FunctionArn": "arn:aws:lambda:%s:%s:function:orders-api" % (self.region, self.a.id)}
        elif via == "ebs":
            context = {"aws:ebs:id": "vol-%017x" % rng.getrandbits(68)}
        elif via == "dynamodb":
            context = {"aws:dynamodb:tableName": "orders", "aws:dynamodb:subscriberId": self.a.id}
        else:
            context = {}
        params = {}
        if context:
            params["encryptionContext"] = context
        if name == "Decrypt":
            params["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT"
            if rng.random() < 0.4:
                params["keyId"] = arn
        else:
            params["keyId"] = arn if rng.random() < 0.7 else rng.choice(self.a.aliases)
            if name != "Encrypt":
                params["keySpec" if rng.random() < 0.85 else "numberOfBytes"] = "AES_256"
        if via and via != "sqs":
            svc_name = ("ec2" if via == "ebs" else via) + ".amazonaws.com"
            ident = self.assumed_role(invoked_by=svc_name) if rng.random() < 0.6 else self.service(svc_name)
        else:
            ident = self.anyone()
        error = None
        if rng.random() < 0.012:
            error = ("AccessDenied", "User: %s is not authorized to perform: kms:%s on resource: %s because no "
                     "identity-based policy allows the kms:%s action" % (ident.get("arn", "unknown"), name, arn, name))
        shared = False
        if rng.random() < 0.03:
            ident = self.assumed_role(acct=rng.choice(self.a.peers))
            shared = True
        return self.make("kms", name, ident, params, None, error=error, resources=self.key_resources(arn),
                         shared=shared)

    def s3_object(self):
        rng = self.rng
        name = rng.choices(["GetObject", "PutObject", "HeadObject", "DeleteObject", "CopyObject"], [58, 22, 14, 3, 3])[0]
        bucket = rng.choice(self.a.buckets)
        key = rng.choice(OBJECT_KEYS)
        params = {"bucketName": bucket, "Host": "%s.s3.%s.amazonaws.com" % (bucket, self.region), "key": key}
        if name == "CopyObject":
            params["x-amz-copy-source"] = "%s/%s" % (rng.choice(self.a.buckets), rng.choice(OBJECT_KEYS))
        extra = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                 "bytesTransferredIn": rng.randrange(1, 8 << 20) if name == "PutObject" else 0,
                 "AuthenticationMethod": "AuthHeader", "x-amz-id-2": rand_text(rng, 76, ALNUM + "+/") + "=",
                 "bytesTransferredOut": rng.randrange(1, 16 << 20) if name == "GetObject" else 0}
        if rng.random() < 0.35:
            extra["SSEApplied"] = "SSE_KMS"
        resources = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (bucket, key)},
                     {"accountId": self.a.id, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % bucket}]
        ident = self.anyone() if rng.random() < 0.75 else self.assumed_role(invoked_by="athena.amazonaws.com")
        error = None
        if rng.random() < 0.02:
            error = ("AccessDenied", "Access Denied")
        elif name in ("GetObject", "HeadObject") and rng.random() < 0.03:
            error = ("NoSuchKey", "The specified key does not exist.")
        response = None
        if name == "PutObject" and not error:
            response = {"x-amz-server-side-encryption": "aws:kms",
                        "x-amz-server-side-encryption-aws-kms-key-id": self.key_arn(),
                        "x-amz-version-id": rand_text(rng, 32, ALNUM + "._")}
        return self.make("s3", name, ident, params, response, read_only=name in ("GetObject", "HeadObject"), data=True,
                         extra=extra, error=error, resources=resources)

    def sts_call(self):
        rng = self.rng
        if rng.random() < 0.3:
            return self.make("sts", "GetCallerIdentity", self.anyone(), None, None)
        (rname, rid) = rng.choice(self.a.roles)
        session = rng.choice(SESSIONS)
        x = rng.random()
        if x < 0.45:
            ident = self.service(rng.choice(SERVICES_INVOKING))
        elif x < 0.8:
            ident = self.assumed_role()
        elif x < 0.93:
            ident = self.iam_user()
        else:
            ident = {"type": "AWSAccount", "principalId": "AIDA" + rand_text(rng, 17, B32),
                     "accountId": rng.choice(self.a.peers)}
        role_arn = "arn:aws:iam::%s:role/%s" % (self.a.id, rname)
        params = {"roleArn": role_arn, "roleSessionName": session}
        if rng.random() < 0.3:
            params["durationSeconds"] = rng.choice([900, 3600, 43200])
        response = {"credentials": {"accessKeyId": "ASIA" + rand_text(rng, 16, B32),
                                    "sessionToken": "IQoJb3JpZ2luX2VjEJ" + rand_text(rng, 48) + "...",
                                    "expiration": java_style_date(self.now + 3600)},
                    "assumedRoleUser": {"assumedRoleId": "%s:%s" % (rid, session),
                                        "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (self.a.id, rname, session)}}
        return self.make("sts", "AssumeRole", ident, params, response,
                         resources=[{"accountId": self.a.id, "type": "AWS::IAM::Role", "ARN": role_arn}],
                         shared=ident.get("type") == "AWSAccount")

    def ec2_read(self):
        rng = self.rng
        name = rng.choice(EC2_READS)
        if name == "DescribeInstances":
            params = {"instancesSet": {"items": [{"instanceId": rng.choice(self.a.instances)}]}, "filterSet": {}}
        elif name == "DescribeSecurityGroups":
            params = {"securityGroupSet": {}, "securityGroupIdSet": {}, "filterSet": {"items": [
                {"name": "vpc-id", "valueSet": {"items": [{"value": "vpc-%017x" % rng.getrandbits(68)}]}}]}}
        else:
            params = {"filterSet": {}} if rng.random() < 0.6 else {"maxResults": 1000}
        ident = self.anyone() if rng.random() < 0.55 else self.assumed_role(
            invoked_by=rng.choice(["autoscaling.amazonaws.com", "eks.amazonaws.com", "config.amazonaws.com"]))
        error = None
        if rng.random() < 0.02:
            error = ("Client.RequestLimitExceeded", "Request limit exceeded.")
        return self.make("ec2", name, ident, params, None, error=error)

    def ec2_run_instances(self):
        rng = self.rng
        count = rng.randint(1, 3)
        items = []
        for _ in range(count):
            ip = rng.choice(self.a.private_ips)
            items.append({
                "instanceId": "i-%017x" % rng.getrandbits(68), "imageId": "ami-0e001c9271cf7f3b9",
                "instanceState": {"code": 0, "name": "pending"},
                "privateDnsName": "ip-%s.ec2.internal" % ip.replace(".", "-"), "amiLaunchIndex": 0,
                "productCodes": {}, "instanceType": rng.choice(["m7i.large", "c7g.xlarge", "t3.small"]),
                "launchTime": self.now * 1000, "placement": {"availabilityZone": self.region + "b", "tenancy": "default"},
                "monitoring": {"state": "disabled"}, "subnetId": "subnet-0f1e2d3c4b5a69788", "vpcId": "vpc-0a1b2c3d4e5f60718",
                "privateIpAddress": ip, "stateReason": {"code": "pending", "message": "pending"}, "architecture": "x86_64",
                "rootDeviceType": "ebs", "rootDeviceName": "/dev/xvda", "blockDeviceMapping": {},
                "virtualizationType": "hvm", "clientToken": rand_uuid(rng),
                "tagSet": {"items": [{"key": "Name", "value": rng.choice(["batch-worker", "ワーカー", "nœud-calcul"])},
                                     {"key": "karpenter.sh/nodepool", "value": "default"}]},
                "groupSet": {"items": [{"groupId": "sg-0123abcd4567ef890", "groupName": "nodes"}]},
                "sourceDestCheck": True, "hypervisor": "xen",
                "networkInterfaceSet": {"items": [{
                    "networkInterfaceId": "eni-%017x" % rng.getrandbits(68), "subnetId": "subnet-0f1e2d3c4b5a69788",
                    "vpcId": "vpc-0a1b2c3d4e5f60718", "ownerId": self.a.id, "status": "in-use",
                    "macAddress": ":".join("%02x" % rng.randrange(256) for _ in range(6)), "privateIpAddress": ip,
                    "sourceDestCheck": True, "interfaceType": "interface",
                    "attachment": {"attachmentId": "eni-attach-%017x" % rng.getrandbits(68), "deviceIndex": 0,
                                   "networkCardIndex": 0, "status": "attaching", "attachTime": self.now * 1000,
                                   "deleteOnTermination": True},
                    "privateIpAddressesSet": {"item": [{"privateIpAddress": ip, "primary": True}]},
                    "ipv6AddressesSet": {}, "tagSet": {}}]},
                "ebsOptimized": True, "enaSupport": True, "cpuOptions": {"coreCount": 1, "threadsPerCore": 2},
                "metadataOptions": {"state": "pending", "httpTokens": "required", "httpPutResponseHopLimit": 2,
                                    "httpEndpoint": "enabled", "instanceMetadataTags": "disabled"}})
        params = {"instancesSet": {"items": [{"minCount": count, "maxCount": count}]}, "clientToken": rand_uuid(rng),
                  "launchTemplate": {"launchTemplateId": "lt-0abc1234def567890", "version": "12"},
                  "disableApiTermination": False}
        response = {"requestId": rand_uuid(rng), "reservationId": "r-%017x" % rng.getrandbits(68),
                    "ownerId": self.a.id, "groupSet": {}, "instancesSet": {"items": items}}
        return self.make("ec2", "RunInstances", self.assumed_role(invoked_by="autoscaling.amazonaws.com"), params,
                         response, read_only=False)

    def misc(self):
        rng = self.rng
        x = rng.randrange(11)
        if x == 0:
            p = rng.choice(["/prod/orders/db-password", "/prod/api/stripe-key", "/shared/flags", "/dev/señal/config"])
            return self.make("ssm", "GetParameter", self.assumed_role(), {"name": p, "withDecryption": True}, None,
                             resources=[{"accountId": self.a.id, "ARN": "arn:aws:ssm:%s:%s:parameter%s" % (
                                 self.region, self.a.id, p)}])
        if x == 1:
            return self.make("ssm", "UpdateInstanceInformation", self.assumed_role(), {
                "instanceId": rng.choice(self.a.instances), "agentVersion": "3.3.484.0", "agentStatus": "Active",
                "platformType": "Linux", "platformName": "Amazon Linux", "platformVersion": "2023",
                "iPAddress": rng.choice(self.a.private_ips), "computerName": "ip-10-1-2-3.ec2.internal",
                "agentName": "amazon-ssm-agent", "availabilityZone": self.region + "a"}, None, read_only=False)
        if x == 2:
            secret = "arn:aws:secretsmanager:%s:%s:secret:prod/orders-db-%s" % (self.region, self.a.id, rand_text(rng, 6))
            return self.make("secretsmanager", "GetSecretValue", self.assumed_role(), {"secretId": secret}, None)
        if x == 3:
            table = rng.choice(["orders", "sessions", "clientes-ñ", "idempotency"])
            return self.make("dynamodb", rng.choice(["GetItem", "Query", "PutItem", "UpdateItem"]), self.assumed_role(),
                             {"tableName": table, "key": {"pk": "HIDDEN_DUE_TO_SECURITY_REASONS"}}, None, data=True,
                             resources=[{"accountId": self.a.id, "type": "AWS::DynamoDB::Table",
                                         "ARN": "arn:aws:dynamodb:%s:%s:table/%s" % (self.region, self.a.id, table)}])
        if x == 4:
            fn = rng.choice(["orders-api", "thumbnailer", "nightly-export", "authorizer"])
            fn_arn = "arn:aws:lambda:%s:%s:function:%s" % (self.region, self.a.id, fn)
            return self.make("lambda", "Invoke", self.assumed_role(invoked_by="apigateway.amazonaws.com"),
                             {"functionName": fn_arn, "invocationType": "RequestResponse"}, None, data=True,
                             extra={"functionVersion": fn_arn + ":$LATEST"}, api_version="2015-03-31",
                             resources=[{"accountId": self.a.id, "type": "AWS::Lambda::Function", "ARN": fn_arn}])
        if x == 5:
            arn = self.key_arn()
            return self.make("kms", rng.choice(["DescribeKey", "ListAliases", "GetKeyPolicy", "ListGrants",
                                                "GetKeyRotationStatus"]),
                             self.anyone(), {"keyId": arn}, None, resources=self.key_resources(arn))
        if x == 6:
            return self.make("logs", "CreateLogStream", self.assumed_role(), {
                "logGroupName": "/aws/lambda/orders-api",
                "logStreamName": "2024/06/03/[$LATEST]%032x" % rng.getrandbits(128)}, None, read_only=False)
        if x == 7:
            return self.make("monitoring", rng.choice(["GetMetricData", "DescribeAlarms", "ListMetrics"]),
                             self.anyone(), {"startTime": iso(self.now - 3600), "endTime": iso(self.now)}, None)
        if x == 8:
            return self.make("ecr", "GetAuthorizationToken", self.assumed_role(), {}, None)
        if x == 9:
            return self.make("s3", rng.choice(["GetBucketAcl", "GetBucketLocation", "GetBucketPolicy"]),
                             self.service("config.amazonaws.com") if rng.random() < 0.5 else self.anyone(),
                             {"bucketName": rng.choice(self.a.buckets), "Host": "s3.amazonaws.com"}, None)
        return self.make("cloudtrail", "DescribeTrails", self.anyone(), {"trailNameList": []}, None)

    def global_event(self):
        """IAM, sign-in: recorded in the global region only."""
        rng = self.rng
        x = rng.randrange(5)
        r = self.global_region
        if x == 0:
            ident = self.iam_user()
            agent = CONSOLE_AGENT
            ok = rng.random() < 0.9
            return self.make("signin", "ConsoleLogin", ident, None, {"ConsoleLogin": "Success" if ok else "Failure"},
                             read_only=False, region=r, agent=agent, event_type="AwsConsoleSignIn",
                             extra={"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No",
                                    "MFAUsed": "Yes" if ok else "No"})
        if x == 1:
            return self.make("iam", "CreateAccessKey", self.iam_user(), {"userName": rng.choice(PEOPLE)},
                             {"accessKey": {"userName": rng.choice(PEOPLE), "accessKeyId": "AKIA" + rand_text(rng, 16, B32),
                                            "status": "Active", "createDate": java_style_date(self.now, 1)}},
                             read_only=False, region=r)
        return self.make("iam", rng.choice(["GetRole", "ListRoles", "ListAttachedRolePolicies", "GetUser",
                                            "ListPolicies"]), self.anyone(),
                         {"roleName": rng.choice(ROLES)}, None, region=r)

    # ---- decoys: the words of the pattern, but not a match ------------------------------------------------------
    def decoy(self):
        rng = self.rng
        kind = rng.randrange(9)
        arn = self.key_arn()
        if kind == 0:  # other KMS write calls, some with DisableKey as a prefix
            name = rng.choice(["DisableKeyRotation", "EnableKey", "CancelKeyDeletion", "EnableKeyRotation",
                               "CreateGrant", "PutKeyPolicy", "TagResource", "DeleteAlias", "UpdateKeyDescription"])
            response = {"keyId": arn} if name == "CancelKeyDeletion" else None
            return self.make("kms", name, self.anyone(), {"keyId": arn}, response, read_only=False,
                             resources=self.key_resources(arn))
        if kind == 1:  # KMS deleting a key itself when the waiting period ends: a service event, not the API call
            return self.make("kms", "DeleteKey", self.service("kms.amazonaws.com"), None, None, read_only=False,
                             event_type="AwsServiceEvent", agent="kms.amazonaws.com", ip="kms.amazonaws.com",
                             extra={"keyId": arn}, resources=self.key_resources(arn))
        if kind == 2:  # the same event names from another service (synthetic; checks eventSource is compared)
            svc = rng.choice(["cloudhsm", "payment-cryptography"])
            name = rng.choice(RULE_NAMES)
            return self.make(svc, name, self.anyone(), {"keyIdentifier": "arn:aws:%s:%s:%s:key/%s" % (
                svc, self.region, self.a.id, rand_text(rng, 16).lower())}, None, read_only=False)
        if kind == 3:  # kms.amazonaws.com acting for the caller: in invokedBy, sourceIPAddress and userAgent
            name = rng.choice(["CreateGrant", "RetireGrant", "DisableKey"]) if rng.random() < 0.5 else "CreateNetworkInterface"
            svc = "ec2" if name == "CreateNetworkInterface" else rng.choice(["cloudhsm", "ec2"])
            return self.make(svc, name, self.assumed_role(invoked_by="kms.amazonaws.com"),
                             {"description": "kms.amazonaws.com custom key store " + arn}, None, read_only=False)
        if kind == 4:  # the CIS set-up itself: the metric filter text
            return self.make("logs", "PutMetricFilter", self.anyone(), {
                "logGroupName": "aws-cloudtrail-logs-%s" % self.a.id, "filterName": "CMKDisableOrDeletion",
                "filterPattern": RULE_PATTERN,
                "metricTransformations": [{"metricName": "CMKEventCount", "metricNamespace": "CloudTrailMetrics",
                                           "metricValue": "1"}]}, None, read_only=False)
        if kind == 5:  # an EventBridge rule for the same thing
            return self.make("events", "PutRule", self.anyone(), {
                "name": "kms-key-deletion", "eventPattern": json.dumps({
                    "source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"],
                    "detail": {"eventSource": ["kms.amazonaws.com"],
                               "eventName": ["DisableKey", "ScheduleKeyDeletion"]}}),
                "state": "ENABLED"}, {"ruleArn": "arn:aws:events:%s:%s:rule/kms-key-deletion" % (self.region, self.a.id)},
                read_only=False)
        if kind == 6:  # an IAM policy naming the actions
            doc = json.dumps({"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyKeyDestruction", "Effect": "Deny",
                 "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"], "Resource": "*"}]})
            return self.make("iam", rng.choice(["PutRolePolicy", "CreatePolicy"]), self.anyone(), {
                "roleName": rng.choice(ROLES), "policyName": "deny-kms-destruction", "policyDocument": doc}, None,
                read_only=False, region=self.global_region)
        if kind == 7:  # somebody looking for the events
            return self.make("cloudtrail", "LookupEvents", self.anyone(), {
                "lookupAttributes": [{"attributeKey": "EventName", "attributeValue": rng.choice(RULE_NAMES)}],
                "startTime": iso(self.now - 86400), "endTime": iso(self.now)}, None)
        # an S3 object whose key names the events, fetched by a KMS-looking agent
        bucket = rng.choice(self.a.buckets)
        key = "reports/kms.amazonaws.com/DisableKey/ScheduleKeyDeletion-%d.json" % rng.randrange(1000)
        return self.make("s3", "GetObject", self.anyone(), {"bucketName": bucket, "key": key,
                                                            "Host": "%s.s3.%s.amazonaws.com" % (bucket, self.region)},
                         None, data=True, resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (bucket, key)}])

    # ---- the matches ----------------------------------------------------------------------------------------------
    def match(self, name=None, failed=None, ident=None):
        rng = self.rng
        name = name or rng.choice(RULE_NAMES)
        key = rng.choice(self.a.keys[self.region])
        arn = self.key_arn(key)
        form = rng.random()
        params = {"keyId": key if form < 0.5 else (arn if form < 0.85 else rng.choice(self.a.aliases))}
        if ident is None:
            x = rng.random()
            ident = (self.assumed_role() if x < 0.5 else self.iam_user(console=rng.random() < 0.5) if x < 0.8
                     else self.root() if x < 0.9 else self.assumed_role(invoked_by="cloudformation.amazonaws.com"))
        if failed is None:
            failed = rng.random() < 0.25
        error = None
        response = None
        if name == "ScheduleKeyDeletion" and rng.random() < 0.7:
            params["pendingWindowInDays"] = rng.choice([7, 10, 14, 30])
        if failed:
            who = ident.get("arn", "arn:aws:iam::%s:root" % self.a.id)
            e = rng.random()
            if e < 0.5:
                error = ("AccessDenied", "User: %s is not authorized to perform: kms:%s on resource: %s because no "
                         "identity-based policy allows the kms:%s action" % (who, name, arn, name))
            elif e < 0.75:
                error = ("NotFoundException", "Key '%s' does not exist" % arn)
            else:
                error = ("KMSInvalidStateException", "%s is pending deletion." % arn)
        elif name == "ScheduleKeyDeletion":
            days = params.get("pendingWindowInDays", 30)
            if rng.random() < 0.2:
                params["keyId"] = self.a.mrk[self.region]
                arn = "arn:aws:kms:%s:%s:key/%s" % (self.region, self.a.id, self.a.mrk[self.region])
                response = {"keyId": arn, "keyState": "PendingReplicaDeletion", "pendingWindowInDays": days}
            else:
                response = {"keyId": arn, "deletionDate": java_style_date(self.now + days * 86400, rng.randrange(2)),
                            "keyState": "PendingDeletion", "pendingWindowInDays": days}
        agent = None
        if rng.random() < 0.5:
            agent = AGENTS[0].replace("{cmd}", "kms.disable-key" if name == "DisableKey" else "kms.schedule-key-deletion")
        return self.make("kms", name, ident, params, response, read_only=False, error=error,
                         resources=self.key_resources(arn), agent=agent,
                         version=rng.choice(["1.08", "1.09", "1.10", "1.11"]))

    def routine(self):
        x = self.rng.random()
        if x < 0.40:
            return self.kms_crypto()
        if x < 0.62:
            return self.s3_object()
        if x < 0.72:
            return self.sts_call()
        if x < 0.82:
            return self.ec2_read()
        if x < 0.825:
            return self.ec2_run_instances()
        if x < 0.96 or self.region != self.global_region:
            return self.misc()
        return self.global_event()


# ----------------------------------------------------------------------------------------------------------------
# edge-case records (written as raw JSON text, so that escapes and duplicate keys survive)
# ----------------------------------------------------------------------------------------------------------------
def edge_entry(factory, kind, t):
    """Returns an Entry for one edge case, at eventTime t."""
    rng = factory.rng
    factory.now = t
    if kind in ("boundary", "multiday"):
        return factory.entry(factory.match())
    if kind == "unicode":
        rec = factory.match(name="DisableKey", failed=False, ident=factory.iam_user(name="Zoë.Ångström-李"))
        rec["requestParameters"]["keyId"] = "alias/clé-primaire-🔑"
        return factory.entry(rec)
    if kind == "escaped_name":
        rec = factory.match(name="DisableKey")
        text = json.dumps(rec, separators=(",", ":"), ensure_ascii=False)
        text = text.replace('"eventName":"DisableKey"', '"eventName":"Disable\\u004bey"', 1)
        return Entry(t, text, RULE_SOURCE, "DisableKey", rec["eventID"], dict_ok=False)
    if kind == "escaped_source":
        rec = factory.match(name="ScheduleKeyDeletion")
        text = json.dumps(rec, separators=(",", ":"), ensure_ascii=False)
        text = text.replace('"eventSource":"kms.amazonaws.com"', '"eventSource":"\\u006bms.amazonaws\\u002ecom"', 1)
        return Entry(t, text, RULE_SOURCE, "ScheduleKeyDeletion", rec["eventID"], dict_ok=False)
    if kind == "lowercase_name":
        rec = factory.match(name="DisableKey")
        rec["eventName"] = "disablekey"
        return factory.entry(rec)
    if kind == "oversize":
        rec = factory.match(name="ScheduleKeyDeletion", failed=False)
        # A custom key store key with an enormous backing-key list (CloudTrail does not forward this to CloudWatch).
        backing = [{"backingKeyId": "%064x" % rng.getrandbits(256), "creationDate": iso(t - i * 3600)}
                   for i in range(2900)]
        rec["additionalEventData"] = {"customKeyStoreId": "cks-%017x" % rng.getrandbits(68),
                                      "clusterId": "cluster-%s" % rand_text(rng, 11).lower(),
                                      "backingKeys": json.dumps(backing)}
        return factory.entry(rec)
    if kind in ("duplicate_last_wins", "duplicate_first_only"):
        rec = factory.match(name="DisableKey")
        text = json.dumps(rec, separators=(",", ":"), ensure_ascii=False)
        head, sep, tail = text.rpartition("}")
        if kind == "duplicate_last_wins":
            text = text.replace('"eventName":"DisableKey"', '"eventName":"DescribeKey"', 1)
            text = head + ',"eventName":"DisableKey"' + sep + tail
            name = "DisableKey"
        else:
            text = head + ',"eventName":"ListAliases"' + sep + tail
            name = "ListAliases"
        return Entry(t, text, RULE_SOURCE, name, rec["eventID"], dict_ok=False)
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------------------------
# one log file: generation runs in worker processes
# ----------------------------------------------------------------------------------------------------------------
_CFG = None
_ACCOUNTS = None


def _init_worker(cfg):
    global _CFG, _ACCOUNTS
    _CFG = cfg
    _ACCOUNTS = {a: Account(cfg["seed"], a, cfg["regions"], cfg["accounts"]) for a in cfg["accounts"]}


def file_entries(spec):
    """The records of one file, in file order."""
    cfg = _CFG
    rng = random.Random(spec["seed"])
    factory = RecordFactory(rng, _ACCOUNTS[spec["acct"]], spec["region"], cfg["global_region"],
                            ascii_only=spec.get("ascii", False))
    deliver = spec["deliver"]
    times = []
    for _ in range(spec["n"]):
        if spec.get("kind") == "multiday":
            times.append(deliver - rng.randrange(60, spec["span"]))
        elif rng.random() < cfg["late_rate"]:
            times.append(deliver - rng.randrange(3600, 6 * 3600))  # delivered hours late
        else:
            times.append(deliver - rng.randrange(30, 330))
    times.sort()
    entries = []
    for t in times:
        factory.now = t
        x = rng.random()
        if x < cfg["match_rate"]:
            rec = factory.match()
        elif x < cfg["match_rate"] + cfg["decoy_rate"]:
            rec = factory.decoy()
        else:
            rec = factory.routine()
        entries.append(factory.entry(rec))
    burst = spec.get("burst", 0)
    if burst:
        t0 = deliver - rng.randrange(120, 600)
        for _ in range(burst):
            factory.now = t0 + rng.randrange(0, 240)
            entries.append(factory.entry(factory.match(failed=rng.random() < 0.15)))
    for kind, t in spec.get("edges", []):
        entries.append(edge_entry(factory, kind, t))
    entries.sort(key=lambda e: e.t)
    # near-sorted: CloudTrail's files are roughly, not strictly, in eventTime order
    for i in range(len(entries) - 1):
        if rng.random() < 0.06:
            entries[i], entries[i + 1] = entries[i + 1], entries[i]
    return entries


def render(spec, entries):
    """(content bytes written to disk, uncompressed bytes, format label)."""
    cfg = _CFG
    kind = spec.get("kind")
    if kind == "pretty":
        doc = {"Records": [json.loads(e.text) for e in entries]}
        raw = json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
        return raw, raw, "envelope-pretty"
    if kind == "empty":
        raw = b'{"Records":[]}'
        return gzip_member(raw, cfg["level"]), raw, "envelope-gz"
    if cfg["ndjson"]:
        raw = ("\n".join(e.text for e in entries) + "\n").encode("utf-8")
        if kind == "plain_gz_name" or not cfg["ndjson_gz"]:
            return raw, raw, "ndjson-plain"
        return gzip_member(raw, cfg["level"]), raw, "ndjson-gz"
    raw = ('{"Records":[' + ",".join(e.text for e in entries) + "]}").encode("utf-8")
    if kind == "plain_gz_name":
        return raw, raw, "envelope-plain"
    return gzip_member(raw, cfg["level"]), raw, "envelope-gz"


def build_file(spec):
    entries = file_entries(spec)
    content, raw, fmt = render(spec, entries)
    path = os.path.join(_CFG["out"], spec["path"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content)
    matches = []
    names = {}
    for e in entries:
        if e.name in RULE_NAMES:
            names[e.name] = names.get(e.name, 0) + 1
        if e.matches():
            matches.append([iso(e.t), len(e.text.encode("utf-8")) > OVERSIZE_BYTES, e.name, e.event_id])
    times = [e.t for e in entries]
    return {"idx": spec["idx"], "path": spec["path"], "acct": spec["acct"], "region": spec["region"],
            "format": fmt, "records": len(entries), "bytes": len(content), "raw_bytes": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(), "oldest": iso(min(times)) if times else None,
            "newest": iso(max(times)) if times else None, "deliver": spec["deliver"], "matches": matches,
            "name_counts": names, "warning": spec.get("kind") == "plain_gz_name"}


# ----------------------------------------------------------------------------------------------------------------
# planning (in the main process, deterministic)
# ----------------------------------------------------------------------------------------------------------------
def account_root(cfg, acct):
    parts = ["AWSLogs"] + ([cfg["org_id"]] if cfg["org_id"] else []) + [acct]
    return "/".join(parts)


def log_path(cfg, acct, region, deliver, rng, tree="CloudTrail", suffix=None):
    t = time.gmtime(deliver)
    folder = "%s/%s/%s/%04d/%02d/%02d" % (account_root(cfg, acct), tree, region, t.tm_year, t.tm_mon, t.tm_mday)
    name = "%s_%s_%s_%s_%s" % (acct, tree, region, time.strftime("%Y%m%dT%H%MZ", t), rand_text(rng, 16))
    if suffix is None:
        suffix = (".jsonl.gz" if cfg["ndjson_gz"] else ".jsonl") if cfg["ndjson"] else ".json.gz"
    return folder + "/" + name + suffix


def estimate_record_bytes(cfg):
    _init_worker(cfg)
    rng = random.Random(derive_seed(cfg["seed"], "estimate"))
    total = count = 0
    for i in range(600):
        f = RecordFactory(rng, _ACCOUNTS[cfg["accounts"][i % len(cfg["accounts"])]],
                          cfg["regions"][i % len(cfg["regions"])], cfg["global_region"])
        f.now = cfg["start"] + 3600
        total += len(f.entry(f.routine()).text.encode("utf-8")) + 1
        count += 1
    return total / count


def plan_files(cfg, target_bytes):
    rng = random.Random(derive_seed(cfg["seed"], "plan"))
    per_record = estimate_record_bytes(cfg)
    want = max(1, int(target_bytes / per_record))
    start, end = cfg["start"], cfg["end"]
    slots = max(1, (end - start) // PERIOD)
    streams = []
    for ai, acct in enumerate(cfg["accounts"]):
        for ri, region in enumerate(cfg["regions"]):
            weight = (1.0 / (1 + 0.6 * ai)) * (3.0 if ri == 0 else 1.0 / (1 + 0.5 * ri))
            streams.append((acct, region, weight))
    total_weight = sum(w for _, _, w in streams)
    specs = []
    for acct, region, weight in streams:
        share = want * weight / total_weight
        # A file every `step` 5-minute slots, so that files hold tens to hundreds of records (quieter streams
        # deliver less often here than CloudTrail would; it keeps the file count realistic for the volume).
        step = max(1, -(-MIN_RECORDS_PER_FILE * slots // max(1, int(share))))
        per_file = share * step / slots
        for s in range(rng.randrange(step), slots, step):
            n = max(1, int(round(per_file * rng.uniform(0.3, 1.7))))
            pieces = 1 + n // 800  # busy intervals are split over several files, as CloudTrail does
            for _ in range(pieces):
                specs.append({"acct": acct, "region": region, "n": max(1, n // pieces),
                              "deliver": start + s * PERIOD + rng.randrange(PERIOD)})
    specs.sort(key=lambda s: (s["deliver"], s["acct"], s["region"]))
    bursts = cfg["bursts"] if cfg["bursts"] is not None else max(2, min(30, len(specs) // 40))
    for _ in range(bursts):
        specs[rng.randrange(len(specs))]["burst"] = rng.randint(2, 9)
    if cfg["edge_cases"]:
        add_edge_cases(cfg, specs, rng)
    specs.sort(key=lambda s: (s["deliver"], s["acct"], s["region"], s.get("kind") or ""))
    taken = set()
    for i, s in enumerate(specs):
        s["idx"] = i
        s["seed"] = derive_seed(cfg["seed"], "file", i)
        if "path" not in s:
            suffix = None
            if s.get("kind") == "pretty":
                suffix = ".json"
            elif s.get("kind") == "empty":
                suffix = ".json.gz"
            elif s.get("kind") == "plain_gz_name":
                suffix = ".jsonl.gz" if cfg["ndjson"] else ".json.gz"
            s["path"] = log_path(cfg, s["acct"], s["region"], s["deliver"], rng, suffix=suffix)
        assert s["path"] not in taken
        taken.add(s["path"])
        s["ascii"] = rng.random() < 0.05  # some writers escape every non-ASCII character
    return specs


def add_edge_cases(cfg, specs, rng):
    acct, region = cfg["accounts"][0], cfg["regions"][0]
    start = cfg["start"]
    span = cfg["end"] - start

    def host(t):
        """The first regular file of the busiest stream delivered 1..15 minutes after t, or a new file."""
        for s in specs:
            if s["acct"] == acct and s["region"] == region and not s.get("kind") and t + 60 <= s["deliver"] <= t + 900:
                return s
        s = {"acct": acct, "region": region, "n": 3, "deliver": t + 240}
        specs.append(s)
        return s

    def at(fraction, second_of_hour):
        base = start + int(span * fraction) // 3600 * 3600
        return base + second_of_hour

    placements = [("escaped_name", at(0.15, 1234)), ("escaped_source", at(0.22, 2222)),
                  ("lowercase_name", at(0.3, 700)), ("oversize", at(0.4, 1500)),
                  ("duplicate_last_wins", at(0.5, 2900)), ("duplicate_first_only", at(0.55, 100)),
                  ("boundary", at(0.6, 300)),    # HH:05:00 exactly: the first second of a period
                  ("boundary", at(0.7, 299)),    # HH:04:59: the last second of a period
                  ("boundary", at(0.7, 300)),    # and the next second: adjacent periods, one window
                  ("unicode", at(0.8, 3000))]
    for kind, t in placements:
        host(t).setdefault("edges", []).append((kind, t))
    # files whose shape is the edge case
    specs.append({"acct": acct, "region": region, "n": 25, "deliver": at(0.33, 1800), "kind": "pretty",
                  "edges": [("boundary", at(0.33, 1500))]})
    specs.append({"acct": acct, "region": cfg["regions"][-1], "n": 0, "deliver": at(0.45, 600), "kind": "empty"})
    specs.append({"acct": cfg["accounts"][-1], "region": region, "n": 40, "deliver": at(0.65, 2000),
                  "kind": "plain_gz_name", "edges": [("boundary", at(0.65, 1700))]})
    # a late delivery holding records from the three days before it (as after an outage)
    specs.append({"acct": acct, "region": cfg["regions"][-1], "n": 60, "deliver": at(0.25, 1000),
                  "kind": "multiday", "span": 3 * 86400,
                  "edges": [("multiday", at(0.25, 1000) - 2 * 86400 - 777), ("multiday", at(0.25, 1000) - 86400 - 5)]})


# ----------------------------------------------------------------------------------------------------------------
# digests, insights and other files a reader must pass over
# ----------------------------------------------------------------------------------------------------------------
def write_digests(cfg, results):
    streams = {}
    for r in results:
        streams.setdefault((r["acct"], r["region"]), []).append(r)
    count = 0
    for (acct, region), files in sorted(streams.items()):
        rng = random.Random(derive_seed(cfg["seed"], "digest", acct, region))
        fingerprint = "%032x" % rng.getrandbits(128)
        files.sort(key=lambda r: r["deliver"])
        previous = None
        t = cfg["start"] // 3600 * 3600 + rng.randrange(60, 3500)
        i = 0
        while t < cfg["end"] + 3600:
            stop = t + 3600
            chunk = []
            while i < len(files) and files[i]["deliver"] < stop:
                chunk.append(files[i])
                i += 1
            g = time.gmtime(stop)
            folder = "%s/CloudTrail-Digest/%s/%04d/%02d/%02d" % (account_root(cfg, acct), region, g.tm_year, g.tm_mon,
                                                                 g.tm_mday)
            name = "%s_CloudTrail-Digest_%s_%s_%s_%s.json.gz" % (acct, region, "management-events",
                                                                 cfg["global_region"],
                                                                 time.strftime("%Y%m%dT%H%M%SZ", g))
            newest = [f["newest"] for f in chunk if f["newest"]]
            oldest = [f["oldest"] for f in chunk if f["oldest"]]
            digest = {"awsAccountId": acct, "digestStartTime": iso(t), "digestEndTime": iso(stop),
                      "digestS3Bucket": "cloudtrail-archive-" + acct, "digestS3Object": folder + "/" + name,
                      "digestPublicKeyFingerprint": fingerprint, "digestSignatureAlgorithm": "SHA256withRSA",
                      "newestEventTime": max(newest) if newest else None,
                      "oldestEventTime": min(oldest) if oldest else None,
                      "previousDigestS3Bucket": previous and "cloudtrail-archive-" + acct,
                      "previousDigestS3Object": previous and previous[0],
                      "previousDigestHashValue": previous and previous[1],
                      "previousDigestHashAlgorithm": previous and "SHA-256",
                      "previousDigestSignature": previous and previous[2],
                      "logFiles": [{"s3Bucket": "cloudtrail-archive-" + acct, "s3Object": f["path"],
                                    "hashValue": f["sha256"], "hashAlgorithm": "SHA-256",
                                    "newestEventTime": f["newest"], "oldestEventTime": f["oldest"]} for f in chunk]}
            body = json.dumps(digest, separators=(",", ":")).encode()
            digest_hash = hashlib.sha256(body).hexdigest()
            signature = "%0512x" % rng.getrandbits(2048)  # not a real RSA signature: we hold no AWS key
            os.makedirs(os.path.join(cfg["out"], folder), exist_ok=True)
            with open(os.path.join(cfg["out"], folder, name), "wb") as f:
                f.write(gzip_member(body, cfg["level"]))
            count += 1
            previous = (folder + "/" + name, digest_hash, signature)
            t = stop
    return count


def write_insights(cfg):
    count = 0
    for acct in cfg["accounts"]:
        rng = random.Random(derive_seed(cfg["seed"], "insight", acct))
        region = cfg["regions"][0]
        begin = cfg["start"] + rng.randrange(3600, max(3601, cfg["end"] - cfg["start"] - 7200))
        shared = rand_uuid(rng)
        for state, t in (("Start", begin), ("End", begin + rng.randrange(900, 3600))):
            details = {"state": state, "eventSource": RULE_SOURCE, "eventName": "ScheduleKeyDeletion",
                       "insightType": "ApiCallRateInsight",
                       "insightContext": {"statistics": {"baseline": {"average": round(rng.uniform(0.0001, 0.05), 8)},
                                                         "insight": {"average": rng.randint(4, 30)}},
                                          "attributions": [{"attribute": "userIdentityArn", "insight": [
                                              {"value": "arn:aws:sts::%s:assumed-role/gha-deploy-prod/GitHubActions" % acct,
                                               "average": rng.randint(4, 30)}], "baseline": []}]}}
            if state == "End":
                details["insightContext"]["statistics"]["insightDuration"] = (t - begin) // 60
            rec = {"eventVersion": "1.08", "eventTime": iso(t), "awsRegion": region, "eventID": rand_uuid(rng),
                   "eventType": "AwsCloudTrailInsight", "recipientAccountId": acct, "sharedEventID": shared,
                   "insightDetails": details, "eventCategory": "Insight"}
            deliver = t + rng.randrange(600, 1800)
            path = log_path(cfg, acct, region, deliver, rng, tree="CloudTrail-Insight", suffix=".json.gz")
            full = os.path.join(cfg["out"], path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(gzip_member(json.dumps({"Records": [rec]}, separators=(",", ":")).encode(), cfg["level"]))
            count += 1
    return count


# ----------------------------------------------------------------------------------------------------------------
# datapoints and the alarm replay (docs/alarm-semantics.md)
# ----------------------------------------------------------------------------------------------------------------
def datapoints_from_times(times, period=PERIOD):
    """eventTimes (epoch) of matched records -> sorted [(period start, count)]."""
    buckets = {}
    for t in times:
        b = t // period * period
        buckets[b] = buckets.get(b, 0) + 1
    return sorted(buckets.items())


def _breaches(value, threshold, op):
    return {"GreaterThanOrEqualToThreshold": value >= threshold, "GreaterThanThreshold": value > threshold,
            "LessThanThreshold": value < threshold, "LessThanOrEqualToThreshold": value <= threshold}[op]


def replay_alarm(points, period=PERIOD, threshold=1.0, op="GreaterThanOrEqualToThreshold", n=1, m=1,
                 treat_missing="missing", r=None, end=None):
    """Replays a CloudWatch alarm over [(period start, value)] and returns its ALARM windows.

    Each window is {start, end, alarm_at, peak, open}. `end` (epoch, exclusive) cuts the replay as --end does.
    """
    r = r or n + 2
    values = {t // period: v for t, v in points}
    if not values:
        return []
    first, last = min(values), max(values)
    stop = last + r - 1 if end is None else end // period - 1  # the last period evaluated
    state = "INSUFFICIENT_DATA"
    states = []
    for k in range(first, stop + 1):
        real = [values[p] for p in range(k, k - r, -1) if p in values]  # newest first
        if len(real) >= n:
            state = "ALARM" if sum(_breaches(v, threshold, op) for v in real[:n]) >= m else "OK"
        elif treat_missing in ("breaching", "notBreaching"):
            hits = sum(_breaches(v, threshold, op) for v in real) + (n - len(real) if treat_missing == "breaching" else 0)
            state = "ALARM" if hits >= m else "OK"
        else:
            hits = sum(_breaches(v, threshold, op) for v in real)
            if treat_missing == "ignore" and (not real or (hits == len(real) and hits < m)):
                pass  # keep the current state
            elif not real:
                state = "INSUFFICIENT_DATA"
            elif hits >= m:
                state = "ALARM"
            elif hits < len(real):
                state = "OK"
            else:
                newest = next(p for p in range(k, k - r, -1) if p in values)
                state = "ALARM" if newest <= k - n else "INSUFFICIENT_DATA"
        states.append((k, state))
    after_empty = {"missing": "INSUFFICIENT_DATA", "notBreaching": "OK", "breaching": "ALARM"}.get(treat_missing, state)
    windows = []
    for k, s in states:
        if s != "ALARM":
            continue
        if windows and windows[-1][1] == k - 1:
            windows[-1][1] = k
        else:
            windows.append([k, k])
    out = []
    for a, b in windows:
        peak = max([values[p] for p in range(a, b + 1) if p in values], default=None)
        cut = end is not None and stop < last + r - 1
        is_open = b == stop and (after_empty == "ALARM" or cut)
        out.append({"start": iso(a * period), "end": iso((b + 1) * period), "alarm_at": iso((a + 1) * period),
                    "peak": peak, "open": is_open})
    return out


# ----------------------------------------------------------------------------------------------------------------
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="directory to write AWSLogs/ into")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target-bytes", type=parse_bytes, default=parse_bytes("30M"),
                    help="approximate total uncompressed size of the log files, e.g. 4M, 30M (default 30M)")
    ap.add_argument("--accounts", default="3",
                    help="number of accounts, or a comma list of 12-digit account ids (default 3)")
    ap.add_argument("--regions", default="us-east-1,eu-west-1,ap-southeast-2",
                    help="comma list; the first is the busiest and records global events (default %(default)s)")
    ap.add_argument("--start", type=parse_iso, default=parse_iso("2024-06-03"), help="UTC start of deliveries")
    ap.add_argument("--days", type=float, default=1.0, help="length of the delivery span in days (default 1)")
    ap.add_argument("--match-rate", type=float, default=0.0015,
                    help="probability that a record is a DisableKey/ScheduleKeyDeletion call (default 0.0015)")
    ap.add_argument("--decoy-rate", type=float, default=0.004,
                    help="probability that a record is a near miss for the rule (default 0.004)")
    ap.add_argument("--late-rate", type=float, default=0.01,
                    help="probability that a record is delivered hours after its eventTime (default 0.01)")
    ap.add_argument("--bursts", type=int, default=None, help="number of files with a burst of matches")
    ap.add_argument("--org-id", default=None, help="organization trail layout AWSLogs/<org-id>/<acct>/...")
    ap.add_argument("--ndjson", action="store_true", help="write log files as NDJSON (*.jsonl), one record a line")
    ap.add_argument("--ndjson-gz", action="store_true", help="with --ndjson: gzip them (*.jsonl.gz)")
    ap.add_argument("--edge-cases", action="store_true", help="inject the edge-case records and files")
    ap.add_argument("--digests", action="store_true", help="write CloudTrail-Digest files (to be skipped)")
    ap.add_argument("--insights", action="store_true", help="write CloudTrail-Insight files (to be skipped)")
    ap.add_argument("--level", type=int, default=6, help="gzip level (default 6)")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="worker processes (speed only)")
    ap.add_argument("--ground-truth", default=None,
                    help="where to write the ground truth (default OUT/../<basename of OUT>.truth.json)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.ndjson_gz:
        args.ndjson = True
    out = os.path.abspath(args.out)
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    if args.accounts.isdigit() and len(args.accounts) < 12:
        rng = random.Random(derive_seed(args.seed, "account-ids"))
        accounts = []
        while len(accounts) < int(args.accounts):
            a = "%012d" % rng.randrange(10 ** 11, 10 ** 12)
            if a not in accounts:
                accounts.append(a)
    else:
        accounts = [a.strip() for a in args.accounts.split(",") if a.strip()]
    if not accounts or not regions:
        ap.error("need at least one account and one region")
    cfg = {"seed": args.seed, "out": out, "accounts": accounts, "regions": regions,
           "global_region": "us-east-1" if "us-east-1" in regions else regions[0],
           "start": args.start, "end": args.start + int(args.days * 86400), "match_rate": args.match_rate,
           "decoy_rate": args.decoy_rate, "late_rate": args.late_rate, "bursts": args.bursts, "org_id": args.org_id,
           "ndjson": args.ndjson, "ndjson_gz": args.ndjson_gz, "edge_cases": args.edge_cases, "level": args.level}
    began = time.time()
    os.makedirs(out, exist_ok=True)
    specs = plan_files(cfg, args.target_bytes)
    if args.jobs > 1 and len(specs) > 50:
        with multiprocessing.Pool(args.jobs, initializer=_init_worker, initargs=(cfg,)) as pool:
            results = list(pool.imap_unordered(build_file, specs, chunksize=16))
    else:
        _init_worker(cfg)
        results = [build_file(s) for s in specs]
    results.sort(key=lambda r: r["idx"])

    skipped = {"digest": write_digests(cfg, results) if args.digests else 0,
               "insight": write_insights(cfg) if args.insights else 0, "other_name": 0}
    if args.edge_cases:  # something else people keep beside their logs
        with open(os.path.join(out, "AWSLogs", "sync-notes.txt"), "w", encoding="utf-8") as f:
            f.write("aws s3 sync s3://cloudtrail-archive/AWSLogs ./AWSLogs --exact-timestamps\n")
        skipped["other_name"] = 1

    match_times = []
    oversize = 0
    name_counts = {n: 0 for n in RULE_NAMES}
    for r in results:
        for when, big, _, _ in r["matches"]:
            match_times.append(parse_iso(when))
            oversize += bool(big)
        for n, c in r["name_counts"].items():
            name_counts[n] += c
    points = datapoints_from_times(match_times)
    truth = {
        "generator": "tools/gen_archive.py",
        "schema": "trailwatch.truth/1",
        "argv": list(sys.argv[1:] if argv is None else argv),
        "params": {"seed": args.seed, "target_bytes": args.target_bytes, "accounts": accounts, "regions": regions,
                   "start": iso(cfg["start"]), "end": iso(cfg["end"]), "match_rate": args.match_rate,
                   "decoy_rate": args.decoy_rate, "late_rate": args.late_rate, "bursts": args.bursts,
                   "org_id": args.org_id, "ndjson": args.ndjson, "ndjson_gz": args.ndjson_gz,
                   "edge_cases": args.edge_cases, "digests": args.digests, "insights": args.insights,
                   "level": args.level},
        "rule": {"id": RULE_ID, "pattern": RULE_PATTERN,
                 "semantics": "decoded eventSource == 'kms.amazonaws.com' and decoded eventName in "
                              "('DisableKey','ScheduleKeyDeletion'); errorCode does not matter; last duplicate key wins",
                 "alarm": {"period": PERIOD, "statistic": "Sum", "threshold": 1,
                           "comparison_operator": "GreaterThanOrEqualToThreshold", "evaluation_periods": 1,
                           "datapoints_to_alarm": 1, "treat_missing_data": "missing", "evaluation_range_periods": 3}},
        "paths_relative_to": "the --out directory",
        "total_files": len(results),
        "total_records": sum(r["records"] for r in results),
        "bytes_on_disk": sum(r["bytes"] for r in results),
        "bytes_uncompressed": sum(r["raw_bytes"] for r in results),
        "bytes_inflated": sum(r["raw_bytes"] for r in results if r["format"] in ("envelope-gz", "ndjson-gz")),
        "matched_events": len(match_times),
        "matched_oversize": oversize,
        "event_name_counts_any_source": name_counts,
        "datapoints": [{"timestamp": iso(t), "value": v, "sample_count": v} for t, v in points],
        "windows": replay_alarm(points),
        "warnings_expected": [r["path"] for r in results if r["warning"]],
        "skipped": skipped,
        "files": [{"path": r["path"], "format": r["format"], "records": r["records"], "bytes": r["bytes"],
                   "raw_bytes": r["raw_bytes"], "matches": r["matches"]} for r in results],
    }
    truth_path = args.ground_truth or os.path.join(os.path.dirname(out), os.path.basename(out) + ".truth.json")
    with open(truth_path, "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
        f.write("\n")
    if not args.quiet:
        print("gen_archive: %d files, %d records, %.1f MiB raw, %.1f MiB on disk, %d matches (%d oversize), "
              "%d datapoints, %d windows, %d digest + %d insight files, %.1fs -> %s" % (
                  truth["total_files"], truth["total_records"], truth["bytes_uncompressed"] / 2 ** 20,
                  truth["bytes_on_disk"] / 2 ** 20, truth["matched_events"], oversize, len(points),
                  len(truth["windows"]), skipped["digest"], skipped["insight"], time.time() - began, truth_path),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
