"""A check of OCSF findings against the attribute table of the pinned schema version
(testdata/ocsf/ocsf-<version>-required.json, extracted from github.com/ocsf/ocsf-schema by
tools/ocsf_required.py; docs/ocsf.md). Standard library only.

check_findings(findings, table) returns a list of problems, empty when every finding:
  - has every attribute the table calls required, in the class and in every object it holds;
  - has only attributes the class or object defines (a misspelt name is not silently ignored by consumers);
  - holds each value in the JSON kind of its OCSF type (an array where the schema says is_array), datetimes in
    RFC 3339, enum values among the schema's;
  - satisfies the objects' constraints (at_least_one of name, uid);
  - is of the table's class and category, type_uid = class_uid * 100 + activity_id, metadata.version the table's.
check_against_audit(findings, doc) compares them with the same run's trailwatch.audit/1 or /2 document: one
finding per region and rule, status_code equal to that region's status.
"""
import json
import os
import re

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?([Zz]|[\+-]\d{2}:\d{2})?$")


def load_table(source_dir, version="1.5.0"):
    with open(os.path.join(source_dir, "testdata", "ocsf", "ocsf-%s-required.json" % version)) as f:
        return json.load(f)


def _kind_ok(value, kind):
    if kind == "any":
        return True
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    return False


def _check_object(value, spec, table, where, problems):
    attributes = spec["attributes"]
    for name, a in sorted(attributes.items()):
        if a["requirement"] == "required" and name not in value:
            problems.append("%s: required attribute %s is missing" % (where, name))
    for name in sorted(value):
        a = attributes.get(name)
        if a is None:
            problems.append("%s: %s is not an attribute of this class or object" % (where, name))
            continue
        _check_value(value[name], a, table, "%s.%s" % (where, name), problems)
    at_least_one = spec.get("constraints", {}).get("at_least_one")
    if at_least_one and not any(n in value for n in at_least_one):
        problems.append("%s: needs at least one of %s" % (where, ", ".join(at_least_one)))


def _check_value(value, a, table, where, problems):
    if a["array"]:
        if not isinstance(value, list):
            problems.append("%s: should be an array of %s" % (where, a["type"]))
            return
        for i, item in enumerate(value):
            _check_scalar(item, a, table, "%s[%d]" % (where, i), problems)
    else:
        _check_scalar(value, a, table, where, problems)


def _check_scalar(value, a, table, where, problems):
    if not _kind_ok(value, a["kind"]):
        problems.append("%s: should be %s (%s), is %s" % (where, a["kind"], a["type"], json.dumps(value)[:80]))
        return
    if "enum" in a and value not in a["enum"]:
        problems.append("%s: %r is not among the enum values %s" % (where, value, a["enum"]))
    if a["type"] == "datetime_t" and not DATETIME.match(value):
        problems.append("%s: %r is not an RFC 3339 date-time" % (where, value))
    if a["kind"] == "object" and a["type"] != "object":
        spec = table["objects"].get(a["type"])
        if spec is None:
            problems.append("%s: object type %s is not in the table" % (where, a["type"]))
        else:
            _check_object(value, spec, table, where, problems)


def check_finding(finding, table, where="finding"):
    problems = []
    if not isinstance(finding, dict):
        return ["%s: not a JSON object" % where]
    cls = table["class"]
    _check_object(finding, cls, table, where, problems)
    if finding.get("class_uid") != cls["class_uid"]:
        problems.append("%s: class_uid %r is not %d" % (where, finding.get("class_uid"), cls["class_uid"]))
    if finding.get("category_uid") != cls["category_uid"]:
        problems.append("%s: category_uid %r is not %d" % (where, finding.get("category_uid"), cls["category_uid"]))
    activity = finding.get("activity_id")
    if isinstance(activity, int) and finding.get("type_uid") != cls["class_uid"] * 100 + activity:
        problems.append("%s: type_uid %r is not class_uid * 100 + activity_id (%d)" %
                        (where, finding.get("type_uid"), cls["class_uid"] * 100 + activity))
    metadata = finding.get("metadata") if isinstance(finding.get("metadata"), dict) else {}
    if metadata.get("version") != table["ocsf_version"]:
        problems.append("%s: metadata.version %r is not %s" % (where, metadata.get("version"), table["ocsf_version"]))
    if not set(table["profiles"]) <= set(metadata.get("profiles", [])):
        problems.append("%s: metadata.profiles should declare %s (the table's requirements assume them)" %
                        (where, table["profiles"]))
    return problems


def check_findings(findings, table):
    if not isinstance(findings, list):
        return ["the output is not a JSON array"]
    problems = []
    for i, f in enumerate(findings):
        problems += check_finding(f, table, "finding[%d]" % i)
    uids = [f.get("finding_info", {}).get("uid") for f in findings if isinstance(f, dict)]
    if len(set(uids)) != len(uids):
        problems.append("finding_info.uid values are not unique")
    return problems


def audit_regions(doc):
    """{(region, rule): status} of a trailwatch.audit/1 or /2 document."""
    entries = doc["rules"] if "rules" in doc else [{"rule": doc["rule"], "regions": doc["regions"]}]
    return {(r["region"], e["rule"]): r["status"] for e in entries for r in e["regions"]}


def check_against_audit(findings, doc):
    problems = []
    want = audit_regions(doc)
    got = {}
    for i, f in enumerate(findings):
        key = (f.get("cloud", {}).get("region"), f.get("metadata", {}).get("event_code"))
        if key in got:
            problems.append("finding[%d]: a second finding for region %s, rule %s" % (i, key[0], key[1]))
        got[key] = f.get("status_code")
    if set(got) != set(want):
        problems.append("findings for %s, the audit has %s" % (sorted(got), sorted(want)))
    for key in sorted(set(got) & set(want)):
        if got[key] != want[key]:
            problems.append("region %s, rule %s: status_code %s, the audit says %s" % (key + (got[key], want[key])))
    order = [(f.get("cloud", {}).get("region"), f.get("metadata", {}).get("event_code")) for f in findings]
    rules = doc["rules"] if "rules" in doc else [{"rule": doc["rule"]}]
    rank = {e["rule"]: i for i, e in enumerate(rules)}
    if order != sorted(order, key=lambda k: (k[0], rank.get(k[1], -1))):
        problems.append("findings are not sorted by region, then rule")
    return problems
