#!/usr/bin/env python3
"""Checks a SARIF log against the SARIF 2.1.0 properties code-scanning consumers rely on.

usage: check_sarif.py LOG.sarif

Required by the 2.1.0 schema: version "2.1.0", runs[], run.tool.driver.name, result.message (text),
invocation.executionSuccessful, notification.message. Checked as well: levels from the schema's enum,
informationUri absent or an absolute URI, rule ids unique and every result's ruleId among them,
locations with an absolute file:// artifact URI and a 1-based region. Prints "ok: N results" or one
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
            for location in result.get("locations", []) + result.get("relatedLocations", []):
                physical = location.get("physicalLocation", {})
                uri = physical.get("artifactLocation", {}).get("uri", "")
                if not uri.startswith("file:///"):
                    problems.append(f"artifact uri {uri!r} is not an absolute file URI")
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
