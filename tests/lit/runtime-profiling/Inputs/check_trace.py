#!/usr/bin/env python3
"""Checks that a trace file hone wrote is well-formed Trace Event Format, beyond parsing as JSON.

Every event has the fields its phase needs ("X": name, ts, dur >= 0, pid, tid; "C": numeric
args.value; "i": scope g, p or t; "M": args.name), and on each thread the complete ("X") events nest
properly: a zone that starts inside another ends inside it too (to within 0.002 us of rounding, the
precision of the file's microseconds). Prints one summary line, or every problem and exits 1.

usage: check_trace.py TRACE.json
"""
import collections
import json
import sys

SLACK_US = 0.002


def problems_of(trace):
    problems = []
    by_thread = collections.defaultdict(list)
    for index, event in enumerate(trace.get("traceEvents", [])):
        phase = event.get("ph")
        where = f"event {index} ({event.get('name')!r}, ph {phase!r})"
        if not isinstance(event.get("name"), str) or "pid" not in event or "tid" not in event:
            problems.append(f"{where}: no name, pid or tid")
            continue
        if phase == "X":
            if not isinstance(event.get("ts"), (int, float)) or not isinstance(event.get("dur"), (int, float)) \
                    or event["dur"] < 0:
                problems.append(f"{where}: ts/dur missing or negative")
                continue
            by_thread[event["tid"]].append((event["ts"], event["ts"] + event["dur"], event["name"]))
        elif phase == "C":
            if not isinstance(event.get("args", {}).get("value"), (int, float)):
                problems.append(f"{where}: counter without a numeric args.value")
        elif phase == "i":
            if event.get("s") not in ("g", "p", "t") or not isinstance(event.get("ts"), (int, float)):
                problems.append(f"{where}: instant without scope or ts")
        elif phase == "M":
            if not isinstance(event.get("args", {}).get("name"), str):
                problems.append(f"{where}: metadata without args.name")
        else:
            problems.append(f"{where}: unexpected phase")
    for tid, spans in by_thread.items():
        spans.sort(key=lambda span: (span[0], -span[1]))
        open_spans = []
        for start, end, name in spans:
            while open_spans and open_spans[-1][1] <= start + SLACK_US:
                open_spans.pop()
            if open_spans and end > open_spans[-1][1] + SLACK_US:
                problems.append(f"tid {tid}: {name!r} [{start}, {end}] overlaps {open_spans[-1][2]!r} "
                                f"[{open_spans[-1][0]}, {open_spans[-1][1]}] without nesting in it")
            open_spans.append((start, end, name))
    return problems, by_thread


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__.strip().splitlines()[-1])
    with open(argv[0], encoding="utf-8") as file:
        trace = json.load(file)
    problems, by_thread = problems_of(trace)
    for problem in problems:
        print(f"{argv[0]}: {problem}")
    if problems:
        return 1
    phases = collections.Counter(event["ph"] for event in trace["traceEvents"])
    counts = ", ".join(f"{phase} {phases[phase]}" for phase in sorted(phases))
    print(f"trace well-formed: {counts}; {len(by_thread)} threads with zones")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
