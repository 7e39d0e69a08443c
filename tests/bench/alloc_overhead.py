#!/usr/bin/env python3
"""Overhead of allocation tracking, side by side with untracked new/delete in the same run.

Runs, interleaved ROUNDS times so machine noise hits every variant alike:
  untracked  BIN_DIR/alloc_bench                (the C++ runtime's operator new/delete, glibc malloc)
  tracked    BIN_DIR/alloc_bench_tracked        (linked with hone::alloc_tracking)
  preload    BIN_DIR/alloc_bench with LD_PRELOAD=LIB_DIR/libhone_alloc_preload.so
and prints, per benchmark, the median time per item and the overhead of each tracked variant over
the untracked one (target for hone::alloc_tracking: <= 10%).

usage: alloc_overhead.py BUILD_DIR [ROUNDS] [extra benchmark args...]
"""
import os
import statistics
import sys

from bench_support import benchmark_rows


def main(argv):
    if not argv:
        sys.exit(__doc__)
    build = argv[0]
    rounds = int(argv[1]) if len(argv) > 1 else 5
    extra = argv[2:] or ["--benchmark_min_time=0.2"]
    bench = os.path.join(build, "bin", "alloc_bench")
    preload = os.path.join(build, "lib", "libhone_alloc_preload.so")
    quiet = dict(os.environ, HONE_ALLOC_REPORT="0")
    variants = [
        ("untracked", [bench, *extra], quiet),
        ("tracked", [bench + "_tracked", *extra], quiet),
        ("preload", [bench, *extra], dict(quiet, LD_PRELOAD=preload)),
    ]
    samples = {}
    for _ in range(rounds):
        for label, command, env in variants:
            for row in benchmark_rows(command, env):
                per_item = 1e9 / row["items_per_second"]
                samples.setdefault((row["name"], label), []).append(per_item)
    names = []
    for name, _ in samples:
        if name not in names:
            names.append(name)
    print(f"medians of {rounds} interleaved rounds, ns per allocation+free (per item)")
    print("| benchmark | untracked | hone::alloc_tracking | overhead | LD_PRELOAD | overhead |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in names:
        base = statistics.median(samples[(name, "untracked")])
        tracked = statistics.median(samples[(name, "tracked")])
        pre = statistics.median(samples[(name, "preload")])
        print(f"| {name} | {base:.2f} | {tracked:.2f} | {100 * (tracked / base - 1):+.1f}% | "
              f"{pre:.2f} | {100 * (pre / base - 1):+.1f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
