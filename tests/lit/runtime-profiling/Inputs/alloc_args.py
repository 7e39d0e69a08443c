#!/usr/bin/env python3
"""Prints the allocation figures of a trace hone wrote, one line each, for FileCheck.

For every complete ("X") zone event, in file order: "zone NAME: ARGS", ARGS being "no args" or the
args as key=value pairs sorted by key; then for every counter track whose name starts with "bytes
held", "counter NAME: N samples, first V, thread THREAD" (the thread named by the metadata).

usage: alloc_args.py TRACE.json
"""
import collections
import json
import sys


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__.strip().splitlines()[-1])
    with open(argv[0], encoding="utf-8") as file:
        events = json.load(file)["traceEvents"]
    thread_names = {event["tid"]: event["args"]["name"] for event in events
                    if event.get("ph") == "M" and event.get("name") == "thread_name"}
    counters = collections.OrderedDict()
    for event in events:
        if event.get("ph") == "X":
            args = event.get("args")
            text = "no args" if not args else " ".join(f"{key}={args[key]}" for key in sorted(args))
            print(f"zone {event['name']}: {text}")
        elif event.get("ph") == "C" and event["name"].startswith("bytes held"):
            counters.setdefault(event["name"], []).append(event)
    for name, samples in counters.items():
        thread = thread_names.get(samples[0]["tid"], "?")
        print(f"counter {name}: {len(samples)} samples, first {samples[0]['args']['value']}, thread {thread}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
