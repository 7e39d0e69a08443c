#!/usr/bin/env python3
"""Instructions per ObjectPool create/destroy pair, counted exactly by callgrind, for one or more runtimes.

Builds tests/bench/pool_cost_loop.cpp against each given runtime source folder (the runtime/ folder
of a checkout: its include/ and pool/object_pool_core.cpp), with `c++ -std=c++20 -O2 -g -DNDEBUG`,
then runs it under `valgrind --tool=callgrind` with N and 2N iterations per shape and prints
(instructions of 2N - instructions of N) / N / pairs per iteration: the cost of one pair with start-up
and exit cancelled out. Shapes: one pool ("one"), two pools created 8 apart alternating ("apart8":
they shared a thread-cache entry before issue 14), nine live pools in turn ("nine": the ninth uses the
per-thread overflow cache). The first runtime is the baseline of the ratio columns. An older runtime:
`git archive COMMIT runtime | tar -x -C /tmp/before` and pass before=/tmp/before/runtime.

usage: pool_instructions.py LABEL=RUNTIME_DIR [LABEL=RUNTIME_DIR ...] [--iterations N] [--cxx COMPILER]
"""
import os
import subprocess
import sys
import tempfile

from bench_support import instructions_per_iteration

SHAPES = [("one", 1), ("apart8", 2), ("nine", 9)]
LOOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pool_cost_loop.cpp")


def option(argv, name, default):
    if name not in argv:
        return argv, default
    at = argv.index(name)
    return argv[:at] + argv[at + 2:], argv[at + 1]


def build(cxx, runtime, output):
    sources = [LOOP, os.path.join(runtime, "pool", "object_pool_core.cpp")]
    subprocess.run([cxx, "-std=c++20", "-O2", "-g", "-DNDEBUG", "-I", os.path.join(runtime, "include"), *sources,
                    "-pthread", "-o", output], check=True)


def main(argv):
    argv, iterations = option(argv, "--iterations", "100000")
    argv, cxx = option(argv, "--cxx", "c++")
    iterations = int(iterations)
    runtimes = [arg.split("=", 1) for arg in argv]
    if not runtimes or any(len(runtime) != 2 for runtime in runtimes):
        sys.exit(__doc__.strip().splitlines()[-1])
    per_pair = {}
    with tempfile.TemporaryDirectory() as workdir:
        for label, runtime in runtimes:
            build(cxx, runtime, os.path.join(workdir, f"loop_{label}"))
        for shape, pairs in SHAPES:
            for label, _ in runtimes:
                binary = os.path.join(workdir, f"loop_{label}")
                per_pair[(label, shape)] = instructions_per_iteration([binary, shape], iterations, workdir) / pairs
    baseline = runtimes[0][0]
    header = [f"{label} (instructions/pair)" for label, _ in runtimes]
    header += [f"{label} / {baseline}" for label, _ in runtimes[1:]]
    print("| shape | " + " | ".join(header) + " |")
    print("|---|" + "---:|" * len(header))
    for shape, _ in SHAPES:
        cells = [f"{per_pair[(label, shape)]:.1f}" for label, _ in runtimes]
        cells += [f"{per_pair[(label, shape)] / per_pair[(baseline, shape)]:.2f}x" for label, _ in runtimes[1:]]
        print(f"| {shape} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
