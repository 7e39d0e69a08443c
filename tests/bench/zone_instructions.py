#!/usr/bin/env python3
"""Instructions per profiling zone, counted exactly by callgrind.

Runs zone_cost_loop under `valgrind --tool=callgrind` twice per mode (N and 2N iterations) and prints
(instructions of the 2N run - instructions of the N run) / N: the cost of one iteration with
start-up, registration and exit cancelled out. Unlike nanoseconds on a shared VM this figure does not
move between runs; it is the part of a zone's cost that hone controls (callgrind counts rdtsc as one
instruction, so the timestamps' own latency is not in it -- profiling_bench gives the nanoseconds).

usage: zone_instructions.py path/to/zone_cost_loop [iterations]
"""
import os
import re
import subprocess
import sys
import tempfile

MODES = ["empty", "rdtsc", "steady", "enabled", "nested", "disabled"]


def instructions(binary, mode, iterations, workdir):
    out = os.path.join(workdir, f"cg.{mode}.{iterations}")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, mode,
                    str(iterations)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        for line in f:
            match = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if match:
                return int(match.group(1))
    raise RuntimeError(f"no instruction total in {out}")


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 100000
    with tempfile.TemporaryDirectory() as workdir:
        per_iteration = {}
        for mode in MODES:
            per_iteration[mode] = (instructions(binary, mode, 2 * n, workdir) -
                                   instructions(binary, mode, n, workdir)) / n
    empty = per_iteration["empty"]
    print(f"{'region':<10} {'instructions/iteration':>24} {'minus empty loop':>18}")
    for mode in MODES:
        print(f"{mode:<10} {per_iteration[mode]:>24.1f} {per_iteration[mode] - empty:>18.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
