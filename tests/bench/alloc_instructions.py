#!/usr/bin/env python3
"""Instructions per operator new + delete pair, untracked vs hone::alloc_tracking, counted by callgrind.

Runs BIN_DIR/alloc_pair_loop and BIN_DIR/alloc_pair_loop_tracked under `valgrind --tool=callgrind`
with N and 2N iterations each and prints (instructions of the 2N run - those of the N run) / N: the
exact cost of one pair with start-up and exit cancelled out, and the difference tracking makes.
alloc_overhead.py gives the same comparison in nanoseconds.

usage: alloc_instructions.py BIN_DIR [iterations]
"""
import os
import sys
import tempfile

from bench_support import instructions_per_iteration


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    bin_dir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 100000
    per_pair = {}
    with tempfile.TemporaryDirectory() as workdir:
        for name in ("alloc_pair_loop", "alloc_pair_loop_tracked"):
            per_pair[name] = instructions_per_iteration([os.path.join(bin_dir, name)], n, workdir)
    base = per_pair["alloc_pair_loop"]
    tracked = per_pair["alloc_pair_loop_tracked"]
    print("instructions per operator new(32) + sized delete")
    print(f"untracked             {base:8.1f}")
    print(f"hone::alloc_tracking  {tracked:8.1f}  ({tracked - base:+.1f}, {100 * (tracked / base - 1):+.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
