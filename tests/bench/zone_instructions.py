#!/usr/bin/env python3
"""Instructions per profiling zone, counted exactly by callgrind.

Runs zone_cost_loop under `valgrind --tool=callgrind` twice per mode (N and 2N iterations) and prints
(instructions of the 2N run - instructions of the N run) / N: the cost of one iteration with
start-up, registration and exit cancelled out. Unlike nanoseconds on a shared VM this figure does not
move between runs; it is the part of a zone's cost that hone controls (callgrind counts rdtsc as one
instruction, so the timestamps' own latency is not in it -- profiling_bench gives the nanoseconds).

usage: zone_instructions.py path/to/zone_cost_loop [iterations]
"""
import sys
import tempfile

from bench_support import instructions_per_iteration

MODES = ["empty", "rdtsc", "steady", "enabled", "nested", "disabled", "dynamic"]


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 100000
    with tempfile.TemporaryDirectory() as workdir:
        per_iteration = {}
        for mode in MODES:
            per_iteration[mode] = instructions_per_iteration([binary, mode], n, workdir)
    empty = per_iteration["empty"]
    print(f"{'region':<10} {'instructions/iteration':>24} {'minus empty loop':>18}")
    for mode in MODES:
        print(f"{mode:<10} {per_iteration[mode]:>24.1f} {per_iteration[mode] - empty:>18.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
