#!/usr/bin/env python3
"""Checks a SARIF log against the SARIF 2.1.0 properties code-scanning consumers rely on.

usage: check_sarif.py LOG.sarif

Required by the 2.1.0 schema: version "2.1.0", runs[], run.tool.driver.name, result.message (text),
invocation.executionSuccessful, notification.message. Checked as well: levels from the schema's enum,
informationUri absent or an absolute URI, rule ids unique and every result's ruleId among them,
locations (and fixes' artifact changes) with an absolute file:// artifact URI, or a relative one whose
uriBaseId the run declares in originalUriBaseIds as an absolute folder URI, a 1-based region, and fixes
with a description and byte-range replacements. Prints "ok: N results" or one
line per problem, and exits 1 on any problem.
"""
import json
import sys
import urllib.parse

LEVELS = {"none", "note", "warning", "error"}


def check(log):
    problems = []
    if log.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    runs = log.get("runs")
    if not isinstance(runs, list) or not runs:
        return problems + ["runs is missing or empty"], 0
    count = 0
    for run in runs:
        driver = run.get("tool", {}).get("driver", {})
        if not isinstance(driver.get("name"), str) or not driver["name"]:
            problems.append("tool.driver.name is missing")
        uri = driver.get("informationUri")
        if uri is not None and not urllib.parse.urlparse(uri).scheme:
            problems.append(f"informationUri {uri!r} is not an absolute URI")
        rule_ids = [rule.get("id") for rule in driver.get("rules", [])]
        if len(rule_ids) != len(set(rule_ids)) or not all(rule_ids):
            problems.append("rule ids are missing or not unique")
        for invocation in run.get("invocations", []):
            if not isinstance(invocation.get("executionSuccessful"), bool):
                problems.append("invocation.executionSuccessful is missing")
            for notification in invocation.get("toolExecutionNotifications", []):
                if not notification.get("message", {}).get("text"):
                    problems.append("notification without message text")
        for result in run.get("results", []):
            count += 1
            if not result.get("message", {}).get("text"):
                problems.append("result without message text")
            if result.get("level", "warning") not in LEVELS:
                problems.append(f"level {result.get('level')!r} is not in the schema's enum")
            if result.get("ruleId") not in rule_ids:
                problems.append(f"ruleId {result.get('ruleId')!r} is not among tool.driver.rules")
            artifacts = [location.get("physicalLocation", {}).get("artifactLocation", {})
                         for location in result.get("locations", []) + result.get("relatedLocations", [])]
            for fix in result.get("fixes", []):
                if not fix.get("description", {}).get("text"):
                    problems.append("fix without a description")
                for change in fix.get("artifactChanges", []):
                    artifacts.append(change.get("artifactLocation", {}))
                    for replacement in change.get("replacements", []):
                        region = replacement.get("deletedRegion", {})
                        if region.get("charOffset", -1) < 0 or region.get("charLength", -1) < 0:
                            problems.append("replacement without a byte range")
            for artifact in artifacts:
                uri = artifact.get("uri", "")
                base = artifact.get("uriBaseId")
                if base is not None:
                    # A relative reference resolved against a base the run declares with an absolute URI.
                    base_uri = run.get("originalUriBaseIds", {}).get(base, {}).get("uri", "")
                    if not base_uri.startswith("file:///") or not base_uri.endswith("/"):
                        problems.append(f"uriBaseId {base!r} is not declared as an absolute folder URI")
                    if urllib.parse.urlparse(uri).scheme or uri.startswith("/"):
                        problems.append(f"artifact uri {uri!r} with a uriBaseId is not relative")
                elif not uri.startswith("file:///"):
                    problems.append(f"artifact uri {uri!r} is not an absolute file URI")
            for location in result.get("locations", []) + result.get("relatedLocations", []):
                physical = location.get("physicalLocation", {})
                if physical.get("region", {}).get("startLine", 0) < 1:
                    problems.append("region.startLine is not 1-based")
    return problems, count


def main():
    problems, count = check(json.load(open(sys.argv[1])))
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if not problems:
        print(f"ok: {count} results")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
