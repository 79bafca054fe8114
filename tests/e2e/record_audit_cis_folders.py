#!/usr/bin/env python3
"""Records testdata/audit/cis-compliant, cis-defects and cis-broader, the export folders
test_audit_rules_from_dir.py audits: a moto_server account (as test_audit_rules_moto.py builds it) with a filter and an
alarm for every built-in rule, audited with `--rule cis --save-dir`. Not a test; run it by hand to re-record:

    tests/e2e/record_audit_cis_folders.py --binary build/trailwatch --out testdata/audit
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_moto import MotoServer  # noqa: E402
from test_audit_rules_moto import Account, BROADER_UNAUTHORIZED, NARROWER  # noqa: E402

# CIS v6.0.0 5.15 as published: a quote is missing before AcceptHandshake, so no parser takes it.
V6_ORGANIZATIONS = (
    '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake") || ($.eventName = '
    '"AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = '
    '"CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = '
    '"DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = '
    '"DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || '
    '($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = '
    '"RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }')
FOLDERS = {
    "cis-compliant": {},
    "cis-defects": {"security-group-changes": NARROWER["security-group-changes"][0],
                    "organizations-changes": V6_ORGANIZATIONS},
    # Apart: a filter that matches nearly every event catches every other rule's events too, so its alarm
    # monitors them all (broadly) and would hide the defects above.
    "cis-broader": {"unauthorized-api-calls": BROADER_UNAUTHORIZED},
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rules = {r["id"]: r for r in json.loads(subprocess.run([args.binary, "rules", "--format", "json"],
                                                           check=True, stdout=subprocess.PIPE).stdout)["rules"]}
    with MotoServer() as moto:
        env = moto.env(AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
        for name, patterns in FOLDERS.items():
            moto.reset()
            Account(moto, rules).chain(patterns)
            out = os.path.join(args.out, name)
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([args.binary, "audit", "--rule", "cis", "--region", "us-east-1", "--endpoint-url",
                            moto.endpoint, "--save-dir", out, "--format", "json", "-o", os.devnull], env=env)
            print("recorded", out)


if __name__ == "__main__":
    main()
