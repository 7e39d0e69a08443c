#!/usr/bin/env python3
"""Start-up cost of the wrapper: `hone clang -c x.c` against `clang -c x.c` on a small file.

Runs the two commands interleaved (A, B, A, B, ...) so that machine noise hits both alike, after a
warm-up, and prints the median time of each, their ratio and the median of the per-pair added time.
Also measures the passthrough with a mode that does work (compile-db capture), hone's own start, and
the exec hop alone: hone in front of /bin/true against a minimal static program that only execs its
arguments, which is the least any launcher can cost.

Usage: tests/bench/wrapper_overhead.py [--hone build/bin/hone] [--compiler clang-19] [--rounds 300]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SOURCE = """#include <stdio.h>
static int square(int x) { return x * x; }
int main(void) { int s = 0; for (int i = 0; i < 10; ++i) s += square(i); printf("%d\\n", s); return 0; }
"""

# The floor for a launcher: a static program that does nothing but exec its arguments.
MINIMAL_LAUNCHER = """#include <unistd.h>
int main(int argc, char** argv) { (void)argc; execvp(argv[1], argv + 1); return 127; }
"""


def run(command, env):
    start = time.perf_counter_ns()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter_ns() - start) / 1e6


def compare(name, base, wrapped, rounds, base_env, wrapped_env):
    for _ in range(10):
        run(base, base_env)
        run(wrapped, wrapped_env)
    base_ms, wrapped_ms, added = [], [], []
    for i in range(rounds):
        # Alternate which goes first so neither always runs on a warmer cache.
        if i % 2 == 0:
            a = run(base, base_env)
            b = run(wrapped, wrapped_env)
        else:
            b = run(wrapped, wrapped_env)
            a = run(base, base_env)
        base_ms.append(a)
        wrapped_ms.append(b)
        added.append(b - a)
    mb, mw = statistics.median(base_ms), statistics.median(wrapped_ms)
    print(f"{name:<34} {mb:9.3f} {mw:9.3f} {mw / mb:7.4f} {statistics.median(added):+10.3f}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hone", default=os.path.join(here, "..", "..", "build", "bin", "hone"))
    parser.add_argument("--compiler", default="/usr/lib/llvm-19/bin/clang")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    hone = os.path.abspath(args.hone)
    if not os.access(hone, os.X_OK):
        sys.exit(f"wrapper_overhead: error: {hone} is not built; build hone first or pass --hone")
    compiler = shutil.which(args.compiler) or sys.exit(f"wrapper_overhead: error: no compiler {args.compiler}")

    work = tempfile.mkdtemp(prefix="hone-overhead-")
    try:
        source = os.path.join(work, "x.c")
        with open(source, "w") as f:
            f.write(SOURCE)
        obj = os.path.join(work, "x.o")
        env = {k: v for k, v in os.environ.items() if not k.startswith("HONE_")}
        db_env = dict(env, HONE_COMPILE_DB=os.path.join(work, "compile_commands.json"))
        print(f"{args.rounds} interleaved rounds; {compiler}; times in ms (median)")
        print(f"{'':<34} {'baseline':>9} {'hone':>9} {'ratio':>7} {'added ms':>10}")
        compare("compile, passthrough", [compiler, "-c", source, "-o", obj],
                [hone, compiler, "-c", source, "-o", obj], args.rounds, env, env)
        compare("compile, compile-db capture", [compiler, "-c", source, "-o", obj],
                [hone, compiler, "-c", source, "-o", obj], args.rounds, env, db_env)
        compare("start-up: hone --version vs true", ["/bin/true"], [hone, "--version"], args.rounds, env, env)
        # The wrapper's whole cost isolated from compiler noise: one extra exec hop in front of a
        # trivial program, next to the hop every `env VAR=x cc` build rule already pays.
        compare("exec hop: hone true vs true", ["/bin/true"], [hone, "/bin/true"], args.rounds, env, env)
        compare("exec hop: env true vs true", ["/bin/true"], ["/usr/bin/env", "/bin/true"], args.rounds, env, env)
        launcher = os.path.join(work, "minimal-launcher")
        with open(launcher + ".c", "w") as f:
            f.write(MINIMAL_LAUNCHER)
        built = subprocess.run([compiler, "-O2", "-static", launcher + ".c", "-o", launcher],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if built.returncode != 0:
            print("(no static libc to build the minimal launcher; its rows are skipped)")
            return
        compare("exec hop: minimal exec true vs true", ["/bin/true"], [launcher, "/bin/true"], args.rounds, env, env)
        # hone's own share of the hop: what it costs beyond the least a launcher can cost.
        compare("hone true vs minimal exec true", [launcher, "/bin/true"], [hone, "/bin/true"], args.rounds, env,
                env)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
