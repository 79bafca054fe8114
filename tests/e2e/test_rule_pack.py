#!/usr/bin/env python3
"""End-to-end: the CIS rule pack against an independent evaluation in Python.

A generated corpus (a few MB) plus a hand-made NDJSON file with matching and near-miss records for every rule
(ConsoleLogin with and without MFA and failed, root usage with invokedBy and AwsServiceEvent, every IAM, CloudTrail,
S3, Config, EC2 and Organizations event name, AccessDenied*/...UnauthorizedOperation error codes, missing, null,
array and object fields under !=, escaped and duplicate keys) is scanned with `trailwatch scan --rule cis`. Every
rule's matched_events, datapoints and alarm windows must equal what the 15 patterns, translated by hand into Python
predicates below, give on the decoded records (docs/filter-patterns.md §5: a missing field, null, array or object
fails every comparison, != included; `*` is a glob; && binds tighter than ||). The hand-made records carry the rules
they must match, which checks the predicates themselves first.

`trailwatch rules --format json` must list the 15 rules with the patterns translated here, and `trailwatch rules
--lint` must exit 0 and show the three known defects of the published texts.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (Suite, alarm_windows, diff_lists, epoch, iso, num, read_tree, recount_records,  # noqa: E402
                        series_datapoints, tail)

CORPUS_OPTIONS = ["--seed", "20240610", "--target-bytes", "6M", "--edge-cases", "--jobs", "2"]

# ----------------------------------------------------------------------------------------------------------------
# the patterns, and the same patterns translated by hand
# ----------------------------------------------------------------------------------------------------------------
MISSING = object()


def get(rec, path):
    """The value at a dotted path, or MISSING when a step is not an object or lacks the key."""
    v = rec
    for key in path.split("."):
        if not isinstance(v, dict) or key not in v:
            return MISSING
        v = v[key]
    return v


def text_of(v):
    """The text of a value node (docs/filter-patterns.md §5.3), or None for null, arrays, objects and missing fields.
    Booleans compare as true/false (A21). Numbers would compare by their raw token; no glob in the pack can match a
    number whatever its spelling, so str() is enough here."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return str(v)
    return None


_GLOBS = {}


def glob(pattern, text):
    """`*` matches any run of characters (anywhere, A1); everything else is literal; the whole text must match."""
    rx = _GLOBS.get(pattern)
    if rx is None:
        rx = _GLOBS[pattern] = re.compile("".join(".*" if c == "*" else re.escape(c) for c in pattern), re.S)
    return rx.fullmatch(text) is not None


def eq(rec, path, pattern):
    t = text_of(get(rec, path))
    return t is not None and glob(pattern, t)


def ne(rec, path, pattern):
    t = text_of(get(rec, path))
    return t is not None and not glob(pattern, t)


def not_exists(rec, path):
    return get(rec, path) is MISSING


def any_name(rec, names):
    return any(eq(rec, "eventName", n) for n in names)


IAM_NAMES = ("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy",
             "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
             "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
             "DetachGroupPolicy")
TRAIL_NAMES = ("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")
S3_NAMES = ("PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
            "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication")
CONFIG_NAMES = ("StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder")
SG_NAMES = ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup", "ModifySecurityGroupRules")
NACL_NAMES = ("CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
              "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation")
GATEWAY_NAMES = ("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
                 "DeleteInternetGateway", "DetachInternetGateway")
ROUTE_NAMES = ("CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
               "DeleteRoute", "DisassociateRouteTable")
VPC_NAMES = ("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
             "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
             "DisableVpcClassicLink", "EnableVpcClassicLink")
ORG_NAMES = ("AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
             "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
             "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
             "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")

# id -> (metric name, the pattern text the pack must carry, its hand translation), in the pack's (CIS) order.
RULES = [
    ("unauthorized-api-calls", "UnauthorizedAPICalls",
     '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
     lambda r: eq(r, "errorCode", "*UnauthorizedOperation") or eq(r, "errorCode", "AccessDenied*")),
    ("console-signin-without-mfa", "ConsoleSignInWithoutMFA",
     '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
     lambda r: eq(r, "eventName", "ConsoleLogin") and ne(r, "additionalEventData.MFAUsed", "Yes")),
    ("root-account-usage", "RootAccountUsage",
     '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
     lambda r: (eq(r, "userIdentity.type", "Root") and not_exists(r, "userIdentity.invokedBy")
                and ne(r, "eventType", "AwsServiceEvent"))),
    ("iam-policy-changes", "IAMPolicyChanges",
     "{" + "||".join("($.eventName=%s)" % n for n in IAM_NAMES) + "}",
     lambda r: any_name(r, IAM_NAMES)),
    ("cloudtrail-config-changes", "CloudTrailConfigChanges",
     "{ " + " || ".join("($.eventName = %s)" % n for n in TRAIL_NAMES) + " }",
     lambda r: any_name(r, TRAIL_NAMES)),
    ("console-auth-failures", "ConsoleSignInFailures",
     '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
     lambda r: eq(r, "eventName", "ConsoleLogin") and eq(r, "errorMessage", "Failed authentication")),
    ("kms-cmk-disable-or-delete", "CMKEventCount",
     "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
     lambda r: eq(r, "eventSource", "kms.amazonaws.com") and any_name(r, ("DisableKey", "ScheduleKeyDeletion"))),
    ("s3-bucket-policy-changes", "S3BucketPolicyChanges",
     "{ ($.eventSource = s3.amazonaws.com) && (" + " || ".join("($.eventName = %s)" % n for n in S3_NAMES) + ") }",
     lambda r: eq(r, "eventSource", "s3.amazonaws.com") and any_name(r, S3_NAMES)),
    ("aws-config-changes", "AWSConfigChanges",
     "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||"
     "($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||"
     "($.eventName=PutConfigurationRecorder)) }",
     lambda r: eq(r, "eventSource", "config.amazonaws.com") and any_name(r, CONFIG_NAMES)),
    ("security-group-changes", "SecurityGroupChanges",
     "{ " + " || ".join("($.eventName = %s)" % n for n in SG_NAMES) + " }",
     lambda r: any_name(r, SG_NAMES)),
    ("nacl-changes", "NACLChanges",
     "{ " + " || ".join("($.eventName = %s)" % n for n in NACL_NAMES) + " }",
     lambda r: any_name(r, NACL_NAMES)),
    ("network-gateway-changes", "NetworkGatewayChanges",
     "{ " + " || ".join("($.eventName = %s)" % n for n in GATEWAY_NAMES) + " }",
     lambda r: any_name(r, GATEWAY_NAMES)),
    ("route-table-changes", "RouteTableChanges",
     "{ " + " || ".join("($.eventName = %s)" % n for n in ROUTE_NAMES) + " }",
     lambda r: any_name(r, ROUTE_NAMES)),
    ("vpc-changes", "VPCChanges",
     "{ " + " || ".join("($.eventName = %s)" % n for n in VPC_NAMES) + " }",
     lambda r: any_name(r, VPC_NAMES)),
    ("organizations-changes", "OrganizationsChanges",
     "{ ($.eventSource = organizations.amazonaws.com) && (" +
     " || ".join('($.eventName = "%s")' % n for n in ORG_NAMES) + ") }",
     lambda r: eq(r, "eventSource", "organizations.amazonaws.com") and any_name(r, ORG_NAMES)),
]
RULE_IDS = [r[0] for r in RULES]
PREDICATES = {r[0]: r[3] for r in RULES}

# ----------------------------------------------------------------------------------------------------------------
# the hand-made records
# ----------------------------------------------------------------------------------------------------------------
ACCOUNT = "111122223333"
HANDMADE_START = epoch("2024-06-10T00:00:00Z")
DROP = object()  # a key to leave out of the record


def identity(kind="IAMUser", **extra):
    if kind == "Root":
        ident = {"type": "Root", "principalId": ACCOUNT, "arn": "arn:aws:iam::%s:root" % ACCOUNT, "accountId": ACCOUNT}
    elif kind == "AssumedRole":
        ident = {"type": "AssumedRole", "principalId": "AROAEXAMPLE:alice@example.com",
                 "arn": "arn:aws:sts::%s:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com" % ACCOUNT,
                 "accountId": ACCOUNT}
    else:
        ident = {"type": kind, "principalId": "AIDAEXAMPLEALICE", "arn": "arn:aws:iam::%s:user/alice" % ACCOUNT,
                 "accountId": ACCOUNT, "userName": "alice"}
    ident.update(extra)
    return ident


def record(name, source, **fields):
    rec = {"eventVersion": "1.09", "userIdentity": identity(), "eventTime": None, "eventSource": source,
           "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
           "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.1", "requestParameters": None,
           "responseElements": None, "requestID": "0f6c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
           "eventID": "7e2d6a9c-1b3f-4c5d-9e8f-a0b1c2d3e4f5", "readOnly": False, "eventType": "AwsApiCall",
           "managementEvent": True, "recipientAccountId": ACCOUNT, "eventCategory": "Management"}
    for key, value in fields.items():
        if value is DROP:
            rec.pop(key, None)
        else:
            rec[key] = value
    return rec


def console_login(mfa="No", ok=True, ident=None, **fields):
    extra = {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No"}
    if mfa is not DROP:
        extra["MFAUsed"] = mfa
    fields.setdefault("additionalEventData", extra)
    fields.setdefault("responseElements", {"ConsoleLogin": "Success" if ok else "Failure"})
    if not ok:
        fields.setdefault("errorMessage", "Failed authentication")
    return record("ConsoleLogin", "signin.amazonaws.com", userIdentity=ident or identity(),
                  eventType="AwsConsoleSignIn",
                  userAgent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15", **fields)


def handmade_cases():
    """[(record, the rule ids it must match, a rewrite of its compact JSON text or None)]."""
    c = []

    def add(rec, expect, rewrite=None):
        c.append((rec, set(expect), rewrite))

    unauth, mfa, root, iam = "unauthorized-api-calls", "console-signin-without-mfa", "root-account-usage", \
        "iam-policy-changes"
    trail, fail, kms, s3 = "cloudtrail-config-changes", "console-auth-failures", "kms-cmk-disable-or-delete", \
        "s3-bucket-policy-changes"
    config, sg, nacl, gw = "aws-config-changes", "security-group-changes", "nacl-changes", "network-gateway-changes"
    route, vpc, org = "route-table-changes", "vpc-changes", "organizations-changes"

    # error codes
    for code, expect in (("AccessDenied", [unauth]), ("AccessDeniedException", [unauth]),
                         ("Client.UnauthorizedOperation", [unauth]), ("UnauthorizedOperation", [unauth]),
                         ("accessdenied", []), ("NoSuchKey", []), ("Client.UnauthorizedOperationX", []),
                         ("xAccessDenied", []), ("Access Denied", []), (["AccessDenied"], []),
                         ({"code": "AccessDenied"}, []), (None, []), (403, []), (True, [])):
        add(record("GetObject", "s3.amazonaws.com", errorCode=code, errorMessage="Access Denied"), expect)
    add(record("GetObject", "s3.amazonaws.com", errorCode="AccessDenied"), [unauth],
        lambda t: t.replace('"errorCode":"AccessDenied"', '"errorCode":"Access\\u0044enied"'))
    add(record("RunInstances", "ec2.amazonaws.com", errorCode="Client.UnauthorizedOperation",
               errorMessage="You are not authorized to perform this operation."), [unauth])
    add(record("HeadBucket", "s3.amazonaws.com", sourceIPAddress="delivery.logs.amazonaws.com",
               errorCode="AccessDenied"), [unauth])

    # console sign-in
    add(console_login("No"), [mfa])
    add(console_login("Yes"), [])
    add(console_login("yes"), [mfa])
    add(console_login(DROP, ident=identity("AssumedRole")), [])               # SSO: no MFAUsed at all
    add(console_login(DROP, additionalEventData=DROP), [])                      # no additionalEventData
    add(console_login(None), [])                                                # MFAUsed null
    add(console_login({"used": "No"}), [])                                      # MFAUsed an object
    add(console_login(True), [mfa])                                             # a boolean is a value node
    add(console_login("No", additionalEventData="MFAUsed=No"), [])              # additionalEventData a string
    add(console_login("No", ok=False), [mfa, fail])
    add(console_login("Yes", ok=False), [fail])
    add(console_login("Yes", ok=False, errorMessage="failed authentication"), [])
    add(console_login("Yes", ok=False, errorMessage="Failed authentication "), [])
    add(console_login(DROP, ok=False, ident=identity("AssumedRole")), [fail])
    add(console_login("No", ident=identity("Root")), [mfa, root])
    add(console_login("Yes", ident=identity("Root"), ok=False), [root, fail])
    add(record("consolelogin", "signin.amazonaws.com", additionalEventData={"MFAUsed": "No"},
               errorMessage="Failed authentication"), [])
    add(record("ConsoleLogin ", "signin.amazonaws.com", additionalEventData={"MFAUsed": "No"}), [])
    add(record("ConsoleLogin", "signin.amazonaws.com", additionalEventData={"MFAUsed": "No"}), [mfa],
        lambda t: t.replace('"eventName":"ConsoleLogin"', '"eventName":"Console\\u004cogin"'))

    # root
    add(record("GetAccountSummary", "iam.amazonaws.com", userIdentity=identity("Root")), [root])
    add(record("ListBuckets", "s3.amazonaws.com", userIdentity=identity("Root", invokedBy="support.amazonaws.com")), [])
    add(record("ListBuckets", "s3.amazonaws.com", userIdentity=identity("Root", invokedBy=None)), [])
    add(record("Decrypt", "kms.amazonaws.com", userIdentity=identity("Root"), eventType="AwsServiceEvent"), [])
    add(record("GetAccountSummary", "iam.amazonaws.com", userIdentity=identity("Root"), eventType=DROP), [])
    add(record("GetAccountSummary", "iam.amazonaws.com", userIdentity=identity("Root"), eventType=None), [])
    add(record("GetAccountSummary", "iam.amazonaws.com", userIdentity=identity("Root"), eventType="awsserviceevent"),
        [root])
    add(record("GetAccountSummary", "iam.amazonaws.com", userIdentity=identity("root")), [])
    add(record("GetAccountSummary", "iam.amazonaws.com", userIdentity="Root"), [])
    add(record("CreateTrail", "cloudtrail.amazonaws.com", userIdentity=identity("Root")), [root, trail])
    add(record("DeleteBucketPolicy", "s3.amazonaws.com", userIdentity=identity("Root"), errorCode="AccessDenied"),
        [root, s3, unauth])

    # IAM
    for name in IAM_NAMES:
        add(record(name, "iam.amazonaws.com", requestParameters={"policyName": "p"}), [iam])
    for name in ("GetPolicy", "ListPolicies", "GetRolePolicy", "CreatePolicyVersions", "createpolicy",
                 "AttachPolicy", "PutRolePermissionsBoundary"):
        add(record(name, "iam.amazonaws.com"), [])
    add(record("PutRolePolicy", "iam.amazonaws.com", errorCode="AccessDenied"), [iam, unauth])

    # CloudTrail
    for name in TRAIL_NAMES:
        add(record(name, "cloudtrail.amazonaws.com"), [trail])
    for name in ("DescribeTrails", "GetTrailStatus", "LookupEvents", "StopLoggingX", "PutEventSelectors"):
        add(record(name, "cloudtrail.amazonaws.com"), [])
    add(record("UpdateTrail", "cloudtrail.amazonaws.com", errorCode="TrailNotFoundException"), [trail])
    add(record("StopLogging", "cloudtrail.amazonaws.com", errorCode="AccessDenied"), [trail, unauth])

    # KMS
    for name in ("DisableKey", "ScheduleKeyDeletion"):
        add(record(name, "kms.amazonaws.com"), [kms])
        add(record(name, "cloudhsm.amazonaws.com"), [])
    for name in ("DisableKeyRotation", "CancelKeyDeletion", "EnableKey"):
        add(record(name, "kms.amazonaws.com"), [])
    add(record("ScheduleKeyDeletion", "kms.amazonaws.com", errorCode="AccessDenied"), [kms, unauth])

    # S3
    for name in S3_NAMES:
        add(record(name, "s3.amazonaws.com"), [s3])
    for name in ("GetBucketPolicy", "PutBucketPublicAccessBlock", "PutBucketTagging", "PutBucketPolicyStatus"):
        add(record(name, "s3.amazonaws.com"), [])
    add(record("PutBucketPolicy", "s3-outposts.amazonaws.com"), [])
    add(record("PutBucketAcl", "s3.amazonaws.com", eventSource=DROP), [])

    # Config
    for name in CONFIG_NAMES:
        add(record(name, "config.amazonaws.com"), [config])
    for name in ("PutConfigRule", "DescribeConfigurationRecorders", "StartConfigurationRecorder"):
        add(record(name, "config.amazonaws.com"), [])
    add(record("StopConfigurationRecorder", "configservice.amazonaws.com"), [])

    # EC2 networking
    for names, rule_id in ((SG_NAMES, sg), (NACL_NAMES, nacl), (GATEWAY_NAMES, gw), (ROUTE_NAMES, route),
                           (VPC_NAMES, vpc)):
        for name in names:
            add(record(name, "ec2.amazonaws.com"), [rule_id])
    for name in ("DescribeSecurityGroups", "ModifySecurityGroupRule", "DescribeNetworkAcls", "CreateNatGateway",
                 "AttachVpnGateway", "AssociateRouteTable", "CreateVpcEndpoint", "ModifyVpcEndpoint", "DescribeVpcs",
                 "createvpc"):
        add(record(name, "ec2.amazonaws.com"), [])
    add(record("CreateRoute", "ec2.amazonaws.com", errorCode="Client.UnauthorizedOperation"), [route, unauth])
    add(record("DeleteVpc", "ec2.amazonaws.com"), [vpc],
        lambda t: t.replace('"eventName":"DeleteVpc"', '"eventName":"Delete\\u0056pc"'))
    # duplicate keys: the last one wins
    add(record("DescribeVpcs", "ec2.amazonaws.com"), [vpc],
        lambda t: t[:-1] + ',"eventName":"CreateVpc"}')
    add(record("CreateVpc", "ec2.amazonaws.com"), [],
        lambda t: t[:-1] + ',"eventName":"DescribeVpcs"}')
    add(record(None, "ec2.amazonaws.com"), [])
    add(record(["CreateVpc"], "ec2.amazonaws.com"), [])
    add(record("CreateVpc", "ec2.amazonaws.com", eventName=DROP), [])

    # Organizations (CreatePolicy and DeletePolicy are IAM event names too, and the IAM text does not look at
    # the event source)
    for name in ORG_NAMES:
        add(record(name, "organizations.amazonaws.com"), [org] + ([iam] if name in IAM_NAMES else []))
    for name in ("ListAccounts", "DescribeOrganization", "acceptHandshake"):
        add(record(name, "organizations.amazonaws.com"), [])
    add(record("AcceptHandshake", "iam.amazonaws.com"), [])
    add(record("CreateAccount", "organizations.amazonaws.com.example"), [])
    return c


def write_handmade(path):
    """Writes the hand-made records as NDJSON, spread over a day of their own (gaps make several alarm windows).
    Returns [(decoded record, expected rule ids)]."""
    cases = handmade_cases()
    out = []
    lines = []
    for i, (rec, expect, rewrite) in enumerate(cases):
        rec["eventTime"] = iso(HANDMADE_START + i * 53 + (i // 40) * 1800)
        text = json.dumps(rec, separators=(",", ":"), ensure_ascii=False)
        if rewrite:
            text = rewrite(text)
        lines.append(text)
        out.append((json.loads(text), expect))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return out


# ----------------------------------------------------------------------------------------------------------------
# checks
# ----------------------------------------------------------------------------------------------------------------
def check_predicates(s, cases):
    """The Python translations agree with the labels of the hand-made records, and every rule has matches and
    near misses among them."""
    wrong = []
    for rec, expect in cases:
        got = {rid for rid in RULE_IDS if PREDICATES[rid](rec)}
        if got != expect:
            wrong.append("%s %s: labelled %s, predicates say %s" % (
                rec.get("eventName"), json.dumps({k: rec.get(k) for k in ("errorCode", "eventSource")}),
                sorted(expect), sorted(got)))
    s.check(not wrong, "the Python predicates agree with the labels of all %d hand-made records" % len(cases),
            "\n".join(wrong[:10]))
    for rid in RULE_IDS:
        n = sum(1 for _, expect in cases if rid in expect)
        s.check(n >= 2 and n < len(cases), "hand-made records: %s has matches (%d) and near misses" % (rid, n))


def run_json(s, args, label):
    proc = s.run(args, label=label)
    if proc is None:
        return None, None
    try:
        return proc, json.loads(proc.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        s.check(False, "%s: stdout is one JSON document" % label, "%s\n%s" % (e, tail(proc.stdout)))
        return proc, None


def check_rules_listing(s):
    proc, doc = run_json(s, ["rules", "--format", "json"], "rules --format json")
    if doc is None:
        return
    s.equal(proc.returncode, 0, "rules --format json: exit code 0")
    s.equal(doc.get("schema"), "trailwatch.rules/1", "rules --format json: schema")
    rules = doc.get("rules") or []
    s.equal(len(rules), 15, "rules --format json: 15 rules")
    s.equal([r.get("id") for r in rules], RULE_IDS, "rules --format json: the ids, in CIS order")
    s.equal([(r.get("metric") or {}).get("name") for r in rules], [r[1] for r in RULES],
            "rules --format json: the metric names")
    for (rid, _, pattern, _), r in zip(RULES, rules):
        s.equal(r.get("pattern"), pattern, "rules --format json: %s carries the pattern translated here" % rid)
    s.check(all((r.get("metric") or {}).get("namespace") == "CloudTrailMetrics" and
                (r.get("metric") or {}).get("value") == "1" for r in rules),
            "rules --format json: namespace CloudTrailMetrics, value 1")
    want_alarm = {"statistic": "Sum", "comparison_operator": "GreaterThanOrEqualToThreshold", "threshold": 1,
                  "period": 300, "evaluation_periods": 1, "datapoints_to_alarm": 1, "treat_missing_data": "missing"}
    s.check(all({k: num(v) for k, v in (r.get("alarm") or {}).items()} == want_alarm for r in rules),
            "rules --format json: every alarm is Sum >= 1 over 300 s, 1 of 1, missing",
            repr([r.get("alarm") for r in rules][:2]))
    by_id = {r.get("id"): r for r in rules}
    s.equal(by_id.get("unauthorized-api-calls", {}).get("cis"),
            [{"versions": "v1.2.0", "number": "3.1"}, {"versions": "v1.3.0-v5.0.0", "number": "4.1"},
             {"versions": "v6.0.0", "number": "5.1"}], "rules --format json: CIS numbers of unauthorized-api-calls")
    s.equal([by_id.get(i, {}).get("security_hub") for i in ("root-account-usage", "unauthorized-api-calls",
                                                            "console-signin-without-mfa", "vpc-changes",
                                                            "organizations-changes")],
            ["CloudWatch.1", "CloudWatch.2", "CloudWatch.3", "CloudWatch.14", None],
            "rules --format json: Security Hub controls")
    s.check("lint" not in doc, "rules --format json: no lint section without --lint")

    table = s.run(["rules"], label="rules")
    if table is not None:
        out = table.stdout.decode("utf-8", "replace")
        s.check(table.returncode == 0 and all(rid in out for rid in RULE_IDS),
                "rules: exit 0 and every id listed", tail(table.stdout) + tail(table.stderr))
    bad = s.run(["rules", "--format", "csv"], label="rules --format csv")
    if bad is not None:
        s.equal(bad.returncode, 64, "rules --format csv: usage error (exit 64)")
    helped = s.run(["rules", "--help"], label="rules --help")
    if helped is not None:
        out = helped.stdout.decode("utf-8", "replace")
        s.check(helped.returncode == 0 and "trailwatch.rules/1" in out and "--lint" in out and "Examples" in out,
                "rules --help: documents the JSON shape, --lint and examples", tail(helped.stdout))


def check_lint(s):
    proc = s.run(["rules", "--lint"], label="rules --lint")
    if proc is not None:
        out = proc.stdout.decode("utf-8", "replace")
        s.equal(proc.returncode, 0, "rules --lint: exit code 0 (findings are information)")
        for defect, source in (("matches-almost-everything", "CIS v1.4.0 4.1"),
                               ("or-and-precedence", "CIS v3.0.0 4.1"),
                               ("rejected-by-parser", "CIS v6.0.0 5.15")):
            s.check(defect in out and source in out, "rules --lint: shows %s (%s)" % (defect, source), tail(out, 3000))
        s.check('AcceptHandshake")' in out and re.search(r"\n\s+\^\n", out) is not None,
                "rules --lint: the stray quote is shown with a caret under it", tail(out, 3000))
        s.check(out.count("confirmed by behaviour") == 3, "rules --lint: all three are confirmed by behaviour",
                tail(out, 3000))
    proc, doc = run_json(s, ["rules", "--lint", "--format", "json"], "rules --lint --format json")
    if doc is None:
        return
    s.equal(proc.returncode, 0, "rules --lint --format json: exit code 0")
    lint = doc.get("lint") or []
    s.equal(sorted(f.get("defect") for f in lint),
            ["matches-almost-everything", "or-and-precedence", "rejected-by-parser"],
            "rules --lint --format json: the three defects")
    s.check(all(f.get("confirmed") is True for f in lint), "rules --lint --format json: each confirmed",
            repr([(f.get("defect"), f.get("confirmed")) for f in lint]))
    errors = {f.get("defect"): f.get("error") for f in lint}
    s.check(isinstance(errors.get("rejected-by-parser"), str) and "^" in errors["rejected-by-parser"] and
            errors.get("or-and-precedence") is None,
            "rules --lint --format json: only the rejected text carries the parser's caret message", repr(errors))


def check_scan(s, root, pairs, args, label, ids=None):
    """Runs scan ARGS ROOT and compares every selected rule with the Python evaluation of the same records."""
    ids = ids or RULE_IDS
    doc = s.scan_json(list(args) + [root], label)
    if doc is None:
        return
    inp = doc.get("input") or {}
    s.equal(num(inp.get("records")), len(pairs), "%s: input.records" % label)
    s.check(inp.get("errors") == [] and not inp.get("partial") and num(inp.get("records_failed")) == 0,
            "%s: no errors, no failed records, not partial" % label,
            "errors %r, records_failed %r" % (inp.get("errors"), inp.get("records_failed")))
    rules = doc.get("rules") or []
    s.equal([r.get("id") for r in rules], ids, "%s: rules[] in pack order" % label)
    metric_names = {r[0]: r[1] for r in RULES}
    for rule in rules:
        rid = rule.get("id")
        if rid not in PREDICATES:
            continue
        want = recount_records(pairs, predicate=PREDICATES[rid])
        s.equal((rule.get("metric") or {}).get("name"), metric_names[rid], "%s: %s metric name" % (label, rid))
        s.equal(num(rule.get("matched_events")), want["matched"], "%s: %s matched_events" % (label, rid))
        s.equal(num(rule.get("matched_oversize")), want["oversize"], "%s: %s matched_oversize" % (label, rid))
        got = series_datapoints(rule)
        s.check(got == want["datapoints"], "%s: %s all %d datapoints (timestamp, value, sample_count)" % (
            label, rid, len(want["datapoints"])), diff_lists(got, want["datapoints"]))
        got_w = alarm_windows(rule) or []
        s.check(got_w == want["windows"], "%s: %s all %d alarm windows" % (label, rid, len(want["windows"])),
                diff_lists(got_w, want["windows"]))


def main():
    s = Suite(__doc__)
    corpus = os.path.join(s.tmp, "corpus")
    s.generate(corpus, *CORPUS_OPTIONS, label="corpus (6M, edge cases)")
    cases = write_handmade(os.path.join(corpus, "handmade", "cis-cases.ndjson"))
    check_predicates(s, cases)

    tree = read_tree(corpus)
    pairs = tree["pairs"]
    counts = {rid: sum(1 for rec, _ in pairs if isinstance(rec, dict) and PREDICATES[rid](rec)) for rid in RULE_IDS}
    s.note("records: %d; matches per rule (Python): %s" % (len(pairs), counts))
    s.check(all(counts[rid] >= 2 for rid in RULE_IDS), "every rule matches records of the corpus", repr(counts))
    s.check(sum(1 for _, expect in cases if not expect) >= 40, "the corpus holds many near misses")

    check_rules_listing(s)
    check_lint(s)
    check_scan(s, corpus, pairs, ["--rule", "cis"], "scan --rule cis")
    check_scan(s, corpus, pairs, ["--rule", "cis", "--threads", "1"], "scan --rule cis --threads 1")
    picked = ["vpc-changes", "root-account-usage", "console-signin-without-mfa", "root-account-usage"]
    check_scan(s, corpus, pairs, sum((["--rule", r] for r in picked), []), "scan --rule (3 rules, one twice)",
               ids=[rid for rid in RULE_IDS if rid in picked])
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
