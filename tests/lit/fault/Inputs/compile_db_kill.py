#!/usr/bin/env python3
"""SIGKILL of the wrapper at random moments while it records compiles with several sources each.

Runs CALLS wrapper calls, PARALLEL at a time, each `hone FAKE_CC -c c<i>_0.c ... c<i>_<K-1>.c` with
HONE_COMPILE_DB set; FAKE_CC is a script that only leaves a marker file (the wrapper execs it once its
entries are recorded, so a marker means "this call's compile ran"). Most calls are sent SIGKILL after a
random delay of 0 to 1.5 ms (the wrapper takes about 1 ms), which lands anywhere in the wrapper: before its fragment, between its
temporary and the rename, while it waits for the lock, in the middle of a merge (claimed fragments,
half a new database), or after exec. One last call without a kill then merges whatever is pending.

Checks, printing one line per failed check and 'ok' otherwise:
- the database is a valid JSON array of entries (never half written);
- every call has all of its K entries or none of them (never half a call);
- every call whose compile ran has all of its entries (nothing recorded was lost);
- no fragment is left pending after the last call.

Usage: compile_db_kill.py HONE WORK_FOLDER [--calls N] [--sources K] [--parallel P] [--seed S]
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("hone")
    parser.add_argument("work")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--sources", type=int, default=6)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    options = parser.parse_args()
    random.seed(options.seed)
    options.hone = os.path.abspath(options.hone)

    os.makedirs(options.work, exist_ok=True)
    markers = os.path.join(options.work, "ran")
    os.makedirs(markers, exist_ok=True)
    fake_cc = os.path.join(options.work, "fake-cc")
    with open(fake_cc, "w") as script:
        # The call's id is the first source's prefix: c<i>_0.c -> c<i>.
        script.write('#!/bin/sh\nfirst=$2\ntouch "%s/${first%%_0.c}"\n' % markers)
    os.chmod(fake_cc, 0o755)
    database = os.path.join(options.work, "db.json")
    env = dict(os.environ, HONE_COMPILE_DB=database)

    def start(index):
        sources = [f"c{index}_{k}.c" for k in range(options.sources)]
        return subprocess.Popen([options.hone, fake_cc, "-c"] + sources, cwd=options.work, env=env,
                                stderr=subprocess.DEVNULL)

    killed = 0
    for batch in range(0, options.calls, options.parallel):
        running = [start(i) for i in range(batch, min(batch + options.parallel, options.calls))]
        for process in running:
            if random.random() < 0.8:
                time.sleep(random.uniform(0, 0.0015))
                process.send_signal(signal.SIGKILL)
                killed += 1
        for process in running:
            process.wait()
    final = start(options.calls)
    final.wait()

    failures = []
    try:
        with open(database) as file:
            entries = json.load(file)
    except (OSError, ValueError) as error:
        print(f"the database is not valid JSON: {error}")
        return 1
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("file"), str) and isinstance(e.get("arguments"), list)
            for e in entries):
        failures.append("the database holds something that is not an entry")
    per_call = {}
    for entry in entries:
        call = entry["file"].split("_")[0]
        per_call.setdefault(call, set()).add(entry["file"])
    for call, files in sorted(per_call.items()):
        if len(files) != options.sources:
            failures.append(f"half a call: {call} has {len(files)} of {options.sources} entries")
    for call in sorted(os.listdir(markers)):
        if len(per_call.get(call, ())) != options.sources:
            failures.append(f"lost: {call}'s compile ran but it has {len(per_call.get(call, ()))} entries")
    pending = [n for n in os.listdir(database + ".d") if not n.endswith(".tmp")]
    if pending:
        failures.append(f"fragments left pending: {pending}")
    for failure in failures:
        print(failure)
    print(f"{options.calls + 1} calls, {killed} killed, {len(os.listdir(markers))} compiles ran, "
          f"{len(per_call)} calls recorded")
    if not failures:
        print("ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
