#!/usr/bin/env python3
"""Overhead of allocation tracking, side by side with untracked new/delete in the same run.

Runs, interleaved ROUNDS times so machine noise hits every variant alike:
  untracked      BIN_DIR/alloc_bench            (the C++ runtime's operator new/delete, glibc malloc)
  tracked        BIN_DIR/alloc_bench_tracked    (linked with hone::alloc_tracking), call-stack
                 sampling off (HONE_ALLOC_SAMPLE=0)
  sampled        the same with sampling at its default (one stack per 512 KiB on average)
  preload        BIN_DIR/alloc_bench with LD_PRELOAD=LIB_DIR/libhone_alloc_preload.so, sampling off
  preload+sampled  the same with sampling at its default
and prints, per benchmark, the median time per item, the overhead of each variant over the untracked
one (target for hone::alloc_tracking: <= 10%; with sampling <= 15%) and, with --spread, the range of
the per-round ratios (each round's variant divided by the same round's untracked run).

usage: alloc_overhead.py BUILD_DIR [ROUNDS] [--spread] [extra benchmark args...]
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
    rest = argv[2:]
    spread = "--spread" in rest
    rest = [arg for arg in rest if arg != "--spread"]
    extra = rest or ["--benchmark_min_time=0.2"]
    bench = os.path.join(build, "bin", "alloc_bench")
    preload = os.path.join(build, "lib", "libhone_alloc_preload.so")
    quiet = dict(os.environ, HONE_ALLOC_REPORT="0")
    quiet.pop("HONE_ALLOC_SAMPLE", None)
    unsampled = dict(quiet, HONE_ALLOC_SAMPLE="0")
    variants = [
        ("untracked", [bench, *extra], quiet),
        ("tracked", [bench + "_tracked", *extra], unsampled),
        ("sampled", [bench + "_tracked", *extra], quiet),
        ("preload", [bench, *extra], dict(unsampled, LD_PRELOAD=preload)),
        ("preload+sampled", [bench, *extra], dict(quiet, LD_PRELOAD=preload)),
    ]
    samples = {}
    for _ in range(rounds):
        for label, command, env in variants:
            for row in benchmark_rows(command, env):
                per_item = 1e9 / row["items_per_second"]
                samples.setdefault((row["name"], label), []).append(per_item)
    if spread:
        print_spread(samples, rounds, [label for label, _, _ in variants])
        return 0
    names = []
    for name, _ in samples:
        if name not in names:
            names.append(name)
    print(f"medians of {rounds} interleaved rounds, ns per allocation+free (per item)")
    print("| benchmark | untracked | hone::alloc_tracking | overhead | + sampling | overhead | LD_PRELOAD | overhead "
          "| + sampling | overhead |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        base = statistics.median(samples[(name, "untracked")])
        cells = []
        for label in ("tracked", "sampled", "preload", "preload+sampled"):
            value = statistics.median(samples[(name, label)])
            cells.append(f"{value:.2f} | {100 * (value / base - 1):+.1f}%")
        print(f"| {name} | {base:.2f} | " + " | ".join(cells) + " |")
    return 0


def print_spread(samples, rounds, labels):
    """Per benchmark and variant: the median of the per-round ratios to the same round's untracked run,
    with their range, and the median ratio of sampled to tracked (what sampling itself adds)."""
    names = []
    for name, _ in samples:
        if name not in names:
            names.append(name)

    def ratios(name, label, base_label):
        return [v / b for v, b in zip(samples[(name, label)], samples[(name, base_label)])]

    def cell(values):
        return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"

    print(f"{rounds} interleaved rounds; per-round ratio to untracked glibc: median (min-max)")
    print("| benchmark | untracked ns | " + " | ".join(labels[1:]) + " | sampled / tracked |")
    print("|---|---:|" + "---:|" * (len(labels) - 1) + "---:|")
    for name in names:
        base = statistics.median(samples[(name, "untracked")])
        cells = [cell(ratios(name, label, "untracked")) for label in labels[1:]]
        print(f"| {name} | {base:.2f} | " + " | ".join(cells) + f" | {cell(ratios(name, 'sampled', 'tracked'))} |")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
