#!/usr/bin/env python3
"""An enabled zone's cost as "rdtsc pair + N ns", from profiling_bench, with the spread over rounds.

Runs profiling_bench (tests/bench/profiling_bench.cpp) ROUNDS times; each round measures, in one
process one after the other, a bare rdtsc pair (the floor of any TSC-timed zone: the two timestamp
reads), an enabled zone and a nested enabled zone. N is taken per round as zone minus rdtsc pair
(CPU time), so a round slowed by other load moves both terms; the median, minimum and maximum over
the rounds are printed. On a shared machine, say what the load was (uptime) next to the figures.

usage: zone_cost.py path/to/profiling_bench [ROUNDS]
"""
import statistics
import sys

from bench_support import benchmark_rows

NAMES = ["BM_RdtscPair", "BM_ZoneEnabled", "BM_ZoneEnabledNested"]
NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def main(argv):
    if not argv:
        sys.exit(__doc__.strip().splitlines()[-1])
    binary = argv[0]
    rounds = int(argv[1]) if len(argv) > 1 else 5
    samples = {name: [] for name in NAMES}
    for _ in range(rounds):
        rows = benchmark_rows([binary, "--benchmark_filter=^(" + "|".join(NAMES) + ")$", "--benchmark_min_time=0.2"])
        for row in rows:
            if row["name"] in samples:
                samples[row["name"]].append(row["cpu_time"] * NS_PER_UNIT[row["time_unit"]])
    rdtsc = samples["BM_RdtscPair"]
    print(f"rdtsc pair: median {statistics.median(rdtsc):.2f} ns (min {min(rdtsc):.2f}, max {max(rdtsc):.2f}), "
          f"{rounds} rounds")
    for name in NAMES[1:]:
        extra = [zone - floor for zone, floor in zip(samples[name], rdtsc)]
        print(f"{name}: rdtsc pair + {statistics.median(extra):.2f} ns "
              f"(min {min(extra):.2f}, max {max(extra):.2f}); whole zone median {statistics.median(samples[name]):.2f} ns")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
