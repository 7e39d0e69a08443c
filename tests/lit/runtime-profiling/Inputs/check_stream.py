#!/usr/bin/env python3
"""Checks the files of a streamed trace together: PATH, PATH.1, PATH.2, ... (as many as exist).

Each must parse as JSON on its own, say "streamed": true, and carry the next segment number after the
older file's; no complete ("X") event may appear in two files (same tid, ts, dur and name). Prints
one summary line, or every problem and exits 1.

usage: check_stream.py PATH
"""
import json
import os
import sys


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__.strip().splitlines()[-1])
    path = argv[0]
    files = [path]
    while os.path.exists(f"{path}.{len(files)}"):
        files.append(f"{path}.{len(files)}")
    problems = []
    seen = set()
    segment = None
    events = 0
    for name in reversed(files):  # oldest first
        with open(name, encoding="utf-8") as file:
            trace = json.load(file)
        other = trace.get("otherData", {})
        if other.get("streamed") is not True:
            problems.append(f"{name}: otherData.streamed is not true")
        if segment is not None and other.get("segment") != segment + 1:
            problems.append(f"{name}: segment {other.get('segment')} does not follow {segment}")
        segment = other.get("segment")
        for event in trace["traceEvents"]:
            if event.get("ph") != "X":
                continue
            key = (event["tid"], event["ts"], event["dur"], event["name"])
            if key in seen:
                problems.append(f"{name}: {key} is also in a newer file")
            seen.add(key)
            events += 1
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"stream well-formed: {len(files)} files, {events} zones, each once")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
