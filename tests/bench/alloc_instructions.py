#!/usr/bin/env python3
"""Instructions per operator new + delete pair, untracked vs hone::alloc_tracking, counted by callgrind.

Runs BIN_DIR/alloc_pair_loop and BIN_DIR/alloc_pair_loop_tracked under `valgrind --tool=callgrind`
with N and 2N iterations each and prints (instructions of the 2N run - those of the N run) / N: the
exact cost of one pair with start-up and exit cancelled out, and the difference tracking makes.
alloc_overhead.py gives the same comparison in nanoseconds.

usage: alloc_instructions.py BIN_DIR [iterations]
"""
import os
import re
import subprocess
import sys
import tempfile


def instructions(binary, iterations, workdir):
    out = os.path.join(workdir, f"cg.{os.path.basename(binary)}.{iterations}")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, str(iterations)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    bin_dir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 100000
    per_pair = {}
    with tempfile.TemporaryDirectory() as workdir:
        for name in ("alloc_pair_loop", "alloc_pair_loop_tracked"):
            binary = os.path.join(bin_dir, name)
            per_pair[name] = (instructions(binary, 2 * n, workdir) - instructions(binary, n, workdir)) / n
    base = per_pair["alloc_pair_loop"]
    tracked = per_pair["alloc_pair_loop_tracked"]
    print("instructions per operator new(32) + sized delete")
    print(f"untracked             {base:8.1f}")
    print(f"hone::alloc_tracking  {tracked:8.1f}  ({tracked - base:+.1f}, {100 * (tracked / base - 1):+.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
