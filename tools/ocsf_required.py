#!/usr/bin/env python3
"""Extracts, from an OCSF schema git repository (github.com/ocsf/ocsf-schema) at one tag, the attribute table
that tests/e2e/ocsf_check.py checks `trailwatch audit --format ocsf` against: for the Detection Finding class
and every object trailwatch writes, each attribute's requirement (required, recommended, optional), its OCSF
type and the JSON kind that type is written as, whether it is an array, and its enum values.

The schema is not a flat file: a class extends finding, which extends base_event, each level overriding the
requirement or adding enum values; objects extend _entity or _resource; profiles (cloud, datetime) add
attributes. This walks those chains the way the schema server compiles them (a child's requirement wins, enum
values are merged, a profile's attributes count only when the event declares it in metadata.profiles).

Usage: tools/ocsf_required.py --git-dir PATH/ocsf-schema/.git --tag 1.5.0 > tests/data/ocsf-1.5.0-required.json
Standard library and the git CLI only.
"""
import argparse
import json
import subprocess
import sys

# The class trailwatch writes and the objects reachable from the attributes it fills (docs/ocsf.md).
CLASS = ("events/findings/detection_finding.json", "finding", "base_event")
OBJECTS = ["metadata", "product", "finding_info", "analytic", "cloud", "account", "resource_details",
           "remediation", "group"]
PROFILES = ["cloud", "datetime"]  # what audit --format ocsf declares in metadata.profiles

# How each OCSF scalar type is written in JSON.
KIND = {"boolean_t": "boolean", "integer_t": "integer", "long_t": "integer", "float_t": "number",
        "string_t": "string", "json_t": "any"}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--git-dir", required=True)
    p.add_argument("--tag", required=True)
    a = p.parse_args()

    def show(path):
        return json.loads(subprocess.run(["git", "--git-dir", a.git_dir, "show", "%s:%s" % (a.tag, path)],
                                         check=True, capture_output=True).stdout)

    commit = subprocess.run(["git", "--git-dir", a.git_dir, "rev-parse", a.tag + "^{commit}"], check=True,
                            capture_output=True, text=True).stdout.strip()
    dictionary = show("dictionary.json")
    types = dictionary["types"]["attributes"]

    def kind(ocsf_type):
        while ocsf_type not in KIND:
            if ocsf_type not in types:
                return "object"  # an object type's name
            ocsf_type = types[ocsf_type]["type"]
        return KIND[ocsf_type]

    def profile_attributes(names):
        out = {}
        for name in names:
            if name in PROFILES:
                out.update(show("profiles/%s.json" % name)["attributes"])
        return out

    def merge(chain):
        """chain: the schema documents, base first. Returns {attribute: merged definition}."""
        merged = {}
        for doc in chain:
            attrs = dict(doc.get("attributes", {}))
            includes = attrs.pop("$include", [])
            for inc in includes:
                name = inc.split("/")[-1].removesuffix(".json")
                attrs = {**profile_attributes([name]), **attrs}
            for name, spec in attrs.items():
                if spec.get("profile") and spec["profile"] not in PROFILES:
                    continue
                m = merged.setdefault(name, {"requirement": "optional", "enum": {}})
                if spec.get("requirement"):
                    m["requirement"] = spec["requirement"]
                m["enum"].update(spec.get("enum", {}))
        return merged

    def table(merged, constraints):
        out = {}
        for name in sorted(merged):
            d = dictionary["attributes"].get(name)
            if d is None:
                continue
            enum = {**d.get("enum", {}), **merged[name]["enum"]}
            row = {"requirement": merged[name]["requirement"], "type": d["type"], "kind": kind(d["type"]),
                   "array": bool(d.get("is_array", False))}
            if enum:
                row["enum"] = sorted(int(k) for k in enum)
            out[name] = row
            # The datetime profile gives every timestamp a sibling <name>_dt, an RFC 3339 string.
            if "datetime" in PROFILES and d["type"] == "timestamp_t":
                out[name + "_dt"] = {"requirement": "optional", "type": "datetime_t", "kind": "string",
                                     "array": False}
        return {"attributes": out, **({"constraints": constraints} if constraints else {})}

    # The class chain: base_event <- finding <- detection_finding.
    cls = show(CLASS[0])
    chain = [show("events/base_event.json"), show("events/findings/finding.json"), cls]
    merged = merge(chain)
    category = next(v for k, v in show("categories.json")["attributes"].items() if k == "findings")
    class_uid = category["uid"] * 1000 + cls["uid"]
    result = {
        "ocsf_version": a.tag,
        "source": "https://github.com/ocsf/ocsf-schema at tag %s, commit %s: dictionary.json, "
                  "categories.json, events/base_event.json, events/findings/finding.json, %s, objects/*.json, "
                  "profiles/cloud.json, profiles/datetime.json; extracted by tools/ocsf_required.py"
                  % (a.tag, commit, CLASS[0]),
        "profiles": PROFILES,
        "class": {"name": cls["name"], "caption": cls["caption"], "class_uid": class_uid,
                  "category_uid": category["uid"], "category_name": category["caption"],
                  **table(merged, cls.get("constraints"))},
        "objects": {},
    }
    # The schema server replaces base_event's placeholder enums (0) of these with the class's own values:
    # type_uid = class_uid * 100 + activity_id.
    attrs = result["class"]["attributes"]
    attrs["class_uid"]["enum"] = [class_uid]
    attrs["category_uid"]["enum"] = [category["uid"]]
    attrs["type_uid"]["enum"] = [class_uid * 100 + v for v in attrs["activity_id"]["enum"]]
    for name in OBJECTS:
        docs = []
        doc = show("objects/%s.json" % name)
        while True:
            docs.insert(0, doc)
            parent = doc.get("extends")
            if not parent or parent == "object":
                break
            doc = show("objects/%s.json" % parent)
        constraints = {}
        for d in docs:
            constraints.update(d.get("constraints", {}))
        result["objects"][name] = table(merge(docs), constraints)
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
