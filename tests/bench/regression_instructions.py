#!/usr/bin/env python3
"""Instructions per RegressionMonitor::record(), new against the issue 8 monitor, counted by callgrind.

Runs regression_record_loop under `valgrind --tool=callgrind` with N and 2N calls per variant and prints
(instructions of the 2N run - instructions of the N run) / N: one record() with start-up, warm-up and
exit cancelled out, amortised over the folds (new) or the U tests every 50 samples (v1). "empty" is the
loop that only makes the values. The count does not move with the machine's load, unlike nanoseconds.

usage: regression_instructions.py path/to/regression_record_loop [iterations]
"""
import sys
import tempfile

from bench_support import instructions_per_iteration

VARIANTS = ["empty", "v1", "new"]


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 100000
    with tempfile.TemporaryDirectory() as workdir:
        per_call = {v: instructions_per_iteration([binary, v], n, workdir) for v in VARIANTS}
    empty = per_call["empty"]
    print(f"{'variant':<8} {'instructions/record':>20} {'minus empty loop':>18}")
    for variant in VARIANTS:
        print(f"{variant:<8} {per_call[variant]:>20.1f} {per_call[variant] - empty:>18.1f}")
    new, old = per_call["new"] - empty, per_call["v1"] - empty
    print(f"v1 / new: {old / new:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
