"""What the measurement scripts in tests/bench share.

Exact instruction counts under callgrind (start-up and exit cancelled by running N and 2N iterations),
CPU time of child processes, Google Benchmark's JSON rows, and compile commands from a compilation
database rewritten for clang 19. The scripts import it from their own folder.
"""
import json
import os
import re
import resource
import shlex
import subprocess
import sys

LLVM_BIN = "/usr/lib/llvm-19/bin"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fail(message):
    print(f"hone: error: {message}", file=sys.stderr)
    sys.exit(2)


def callgrind_instructions(command, out_file):
    """Instructions `command` executes from start to exit, counted by callgrind (exact, load-independent)."""
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", *command], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out_file) as f:
        for line in f:
            match = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if match:
                return int(match.group(1))
    raise RuntimeError(f"no instruction total in {out_file}")


def instructions_per_iteration(command, iterations, workdir):
    """Instructions of one iteration of `command ITERATIONS`: the runs with 2N and N iterations subtracted."""
    tag = re.sub(r"[^A-Za-z0-9]+", "_", " ".join(os.path.basename(part) for part in command))

    def total(n):
        return callgrind_instructions([*command, str(n)], os.path.join(workdir, f"cg.{tag}.{n}"))

    return (total(2 * iterations) - total(iterations)) / iterations


def children_cpu_seconds():
    """User + system CPU seconds of all finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def benchmark_rows(command, env=None):
    """The `benchmarks` rows of a Google Benchmark executable's JSON output."""
    out = subprocess.run([*command, "--benchmark_format=json"], check=True, stdout=subprocess.PIPE, text=True,
                         env=env).stdout
    return json.loads(out)["benchmarks"]


def entry_arguments(entry):
    """A compilation database entry's argv, from `arguments` or `command`."""
    if "arguments" in entry:
        return list(entry["arguments"])
    return shlex.split(entry["command"])


def clang19_command(entry, drop_with_value, drop):
    """The entry's compile with its compiler swapped for clang 19 (clang++ for C++), leaving out the
    options in `drop_with_value` with their value, those in `drop`, and glued `-oFILE`; returns
    (argv, directory)."""
    args = entry_arguments(entry)
    is_cxx = "++" in os.path.basename(args[0]) or entry["file"].endswith((".cc", ".cpp", ".cxx", ".C"))
    out = [f"{LLVM_BIN}/clang++" if is_cxx else f"{LLVM_BIN}/clang"]
    skip = False
    for arg in args[1:]:
        if skip:
            skip = False
            continue
        if arg in drop_with_value:
            skip = True
            continue
        if arg in drop or (arg.startswith("-o") and len(arg) > 2):
            continue
        out.append(arg)
    return out, entry.get("directory", ".")
