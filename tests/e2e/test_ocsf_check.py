#!/usr/bin/env python3
"""The OCSF check (ocsf_check.py) itself: a hand-written Detection Finding that meets OCSF 1.5.0's required
attributes passes, and each defect the check exists for is caught: a required attribute missing (in the class
and in an object), a value of the wrong type, an enum value out of range, an inconsistent type_uid, a misspelt
attribute, an object with neither name nor uid, a bad date-time, a second finding for the same region and rule,
a status that disagrees with the audit's JSON. Needs no binary run."""
import copy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite  # noqa: E402
import ocsf_check  # noqa: E402

GOOD = {
    "activity_id": 1,
    "category_uid": 2,
    "class_uid": 2004,
    "cloud": {"provider": "AWS", "region": "us-east-1", "account": {"uid": "123456789012", "type_id": 10}},
    "finding_info": {"uid": "f-1", "title": "t", "analytic": {"uid": "r", "type_id": 1},
                     "created_time_dt": "2025-12-04T17:50:47.123Z"},
    "metadata": {"version": "1.5.0", "product": {"name": "trailwatch"}, "event_code": "vpc-changes",
                 "profiles": ["cloud", "datetime"]},
    "resources": [{"uid": "arn:aws:logs:us-east-1:123456789012:log-group:CT", "region": "us-east-1"}],
    "remediation": {"desc": "d", "references": ["aws ..."]},
    "severity_id": 3,
    "status_code": "FAIL",
    "status_id": 1,
    "time": 1764870647123,
    "type_uid": 200401,
    "unmapped": {"anything": [1, "x"]},
}


def mutated(change):
    f = copy.deepcopy(GOOD)
    change(f)
    return f


def main():
    s = Suite(__doc__)
    table = ocsf_check.load_table(s.source_dir)
    s.equal(ocsf_check.check_findings([GOOD], table), [], "a finding with every required attribute passes")

    def caught(change, fragment, label):
        problems = ocsf_check.check_findings([mutated(change)], table)
        s.check(any(fragment in p for p in problems), label, "problems: %r" % problems)

    caught(lambda f: f.pop("finding_info"), "required attribute finding_info is missing",
           "a finding without finding_info fails")
    caught(lambda f: f.pop("time"), "required attribute time is missing", "a finding without time fails")
    caught(lambda f: f["cloud"].pop("provider"), "finding[0].cloud: required attribute provider is missing",
           "a missing required attribute of an object (cloud.provider) fails")
    caught(lambda f: f["metadata"]["product"].pop("name"), "needs at least one of name, uid",
           "metadata.product with neither name nor uid fails")
    caught(lambda f: f["remediation"].pop("desc"), "required attribute desc is missing",
           "remediation without desc fails")
    caught(lambda f: f.update(severity_id="3"), "severity_id: should be integer", "a string severity_id fails")
    caught(lambda f: f.update(severity_id=7), "7 is not among the enum values", "severity_id 7 fails")
    caught(lambda f: f.update(status_id=6), "6 is not among the enum values", "status_id 6 fails")
    caught(lambda f: f.update(type_uid=200402), "type_uid 200402 is not class_uid * 100 + activity_id",
           "a type_uid that disagrees with activity_id fails")
    caught(lambda f: f.update(class_uid=2003, type_uid=200301), "class_uid 2003 is not 2004",
           "another class fails")
    caught(lambda f: f.update(serverity_id=3), "serverity_id is not an attribute", "a misspelt attribute fails")
    caught(lambda f: f["finding_info"].update(types="CIS"), "types: should be an array",
           "a scalar where the schema has an array fails")
    caught(lambda f: f["finding_info"].update(created_time_dt="04/12/2025"), "not an RFC 3339 date-time",
           "a date-time not in RFC 3339 fails")
    caught(lambda f: f["metadata"].update(version="1.4.0"), "metadata.version '1.4.0' is not 1.5.0",
           "another OCSF version fails")
    caught(lambda f: f["metadata"].update(profiles=[]), "metadata.profiles should declare",
           "undeclared profiles fail")
    caught(lambda f: f.update(device={"uid": "x"}), "object type device is not in the table",
           "an object the table does not describe fails")

    twice = ocsf_check.check_findings([GOOD, GOOD], table)
    s.check(any("not unique" in p for p in twice), "two findings with one finding_info.uid fail", repr(twice))

    doc = {"schema": "trailwatch.audit/1", "rule": "vpc-changes",
           "regions": [{"region": "us-east-1", "status": "FAIL"}]}
    s.equal(ocsf_check.check_against_audit([GOOD], doc), [], "a finding that agrees with the audit passes")
    disagree = ocsf_check.check_against_audit([mutated(lambda f: f.update(status_code="PASS"))], doc)
    s.check(any("status_code PASS, the audit says FAIL" in p for p in disagree),
            "a status_code that disagrees with the audit fails", repr(disagree))
    extra = ocsf_check.check_against_audit([GOOD, GOOD], doc)
    s.check(any("a second finding for region us-east-1" in p for p in extra),
            "two findings for one region and rule fail", repr(extra))
    missing = ocsf_check.check_against_audit([], doc)
    s.check(missing != [], "a region and rule without a finding fails", repr(missing))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
