#!/usr/bin/env python3
"""Runs a long-lived program until it says it is ready, stops it with a signal, and prints how it ended.

usage: run_until_signal.py SIGNAL READY_FILE -- program [args...]

SIGNAL is a name such as TERM or INT. The program signals readiness by creating READY_FILE (removed
here first). Its stdout and stderr pass through; the last line printed is "status: killed by SIGTERM"
or "status: exit N", which is what a supervisor (systemd, a shell, Kubernetes) would see. The program
starts with SIGINT and SIGTERM at their default actions, whatever this script inherited (a shell runs
background jobs with SIGINT ignored). Exits 2 if the program is not ready, or does not end, in time.
"""
import os
import signal
import subprocess
import sys
import time


def reset_signals():
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        sys.exit(__doc__)
    number = getattr(signal, "SIG" + argv[0])
    ready = argv[1]
    if os.path.exists(ready):
        os.remove(ready)
    child = subprocess.Popen(argv[3:], preexec_fn=reset_signals)
    deadline = time.monotonic() + 120
    while not os.path.exists(ready):
        if child.poll() is not None:
            print(f"run_until_signal: the program ended before it was ready (status {child.returncode})")
            return 2
        if time.monotonic() > deadline:
            child.kill()
            print("run_until_signal: the program was not ready within 120 s")
            return 2
        time.sleep(0.01)
    child.send_signal(number)
    try:
        status = child.wait(timeout=120)
    except subprocess.TimeoutExpired:
        child.kill()
        print("run_until_signal: the program did not end within 120 s of the signal")
        return 2
    sys.stdout.flush()
    if status < 0:
        print(f"status: killed by {signal.Signals(-status).name}")
    else:
        print(f"status: exit {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
