#!/usr/bin/env python3
"""`hone vec`'s reasons on a public loop benchmark suite, against a reviewer's reading (issue 12).

The suite is TSVC (the Test Suite for Vectorizing Compilers, 151 kernels of loops written to exercise
vectorizers), as GCC ships it in its testsuite (gcc/testsuite/gcc.dg/vect/tsvc/, University of Illinois
licence); the script takes it from Debian bookworm's gcc-12 source package (fetched with
`apt-get source --download-only` through a private sources list, see pgo_projects.py). No file of it is
committed here.

Steps:
  1. unpack the kernels and tsvc.h into a scratch folder and write a compilation database: every kernel
     with `clang-19 -O2 -march=x86-64-v3` (a typical release build for AVX2 machines);
  2. run `hone vec -p BUILD --format json` over it;
  3. compare each missed loop in a kernel file with the review (tests/bench/vec_suite/tsvc_review.tsv:
     per loop, the reason and shape a reviewer gave after reading the loop and hone's hint, with a note);
     a finding is judged right when hone files it under the reviewed reason with the reviewed shape.
Printed: a Markdown table per reason (findings filed, judged right, share), then every disagreement and
every finding the review does not cover. Loops in tsvc.h (the suite's harness) are left out.

The review method (how the .tsv was written) is in docs/vec.md, "Reasons on a loop benchmark suite".

usage: vec_suite.py [--hone build/dev/bin/hone] [--sources /tmp/src] [--keep DIR] [-j N]
"""
import argparse
import collections
import csv
import glob
import json
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REVIEW = os.path.join(HERE, "vec_suite", "tsvc_review.tsv")
TSVC_PREFIX = "gcc/testsuite/gcc.dg/vect/tsvc/"
FLAGS = ["-O2", "-march=x86-64-v3"]

sys.path.insert(0, HERE)
from pgo_projects import fetch_sources  # noqa: E402  (one home for fetching Debian sources)


def gcc_tarball(sources):
    """The gcc-12 upstream tarball (it holds a second tarball, gcc-12.2.0-dfsg.tar.xz)."""
    pattern = os.path.join(sources, "gcc-12_12.2.0*.orig.tar.*")
    found = [f for f in sorted(glob.glob(pattern)) if not f.endswith(".asc")]
    if not found:
        fetch_sources(sources, "gcc-12")
        found = [f for f in sorted(glob.glob(pattern)) if not f.endswith(".asc")]
    if not found:
        sys.exit(f"vec_suite: no gcc-12 source tarball in {sources}")
    return found[0]


def unpack_tsvc(outer, folder):
    """The TSVC files of gcc-12's source into `folder`."""
    os.makedirs(folder, exist_ok=True)
    with tarfile.open(outer) as tar:
        inner = next(m for m in tar.getmembers() if m.name.endswith(".tar.xz") and "gcc-12" in m.name)
        with tar.extractfile(inner) as stream, tarfile.open(fileobj=stream, mode="r|xz") as gcc:
            for member in gcc:
                if TSVC_PREFIX in member.name and member.isfile():
                    member.name = os.path.basename(member.name)
                    gcc.extract(member, folder)
    kernels = sorted(glob.glob(os.path.join(folder, "vect-tsvc-*.c")))
    if len(kernels) < 100 or not os.path.exists(os.path.join(folder, "tsvc.h")):
        sys.exit(f"vec_suite: expected TSVC's kernels and tsvc.h in {folder}, found {len(kernels)} kernels")
    return kernels


def write_database(kernels, build):
    os.makedirs(build, exist_ok=True)
    entries = [{"directory": os.path.dirname(k), "file": k,
                "arguments": ["clang-19", *FLAGS, "-c", k, "-o", os.devnull]} for k in kernels]
    with open(os.path.join(build, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=1)


def shape_of(finding):
    """The reason and hone's shape of a finding, e.g. 'dependence/recurrence' or 'fp-reassociation'."""
    data = finding["data"]
    reason = finding["check"].removeprefix("hone-vec-")
    if reason == "fp-reassociation":  # only an induction changes this reason's hint
        return f"{reason}/induction" if data.get("scalar_shape") == "induction" else reason
    if reason not in ("dependence", "value-outside-loop"):
        return reason  # the shapes refine only these reasons' hints
    shape = data.get("dependence_kind") or data.get("scalar_shape")
    if data.get("dependence_kind") and "on one path of a branch" in (data.get("hint") or ""):
        shape = "conditional-store"
    if not shape and reason == "dependence":
        shape = "could-not-prove" if "could not prove" in (data.get("hint") or "") else "proved"
    return f"{reason}/{shape}" if shape else reason


def load_review():
    review = {}
    with open(REVIEW) as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            review[row["loop"]] = row
    return review


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hone", default=os.path.join(REPO, "build", "dev", "bin", "hone"))
    parser.add_argument("--sources", default="/tmp/src")
    parser.add_argument("--keep", help="unpack and build here (kept) instead of a temporary folder")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()

    scratch = args.keep or tempfile.mkdtemp(prefix="hone-vec-suite-")
    kernels = unpack_tsvc(gcc_tarball(args.sources), os.path.join(scratch, "tsvc"))
    build = os.path.join(scratch, "build")
    write_database(kernels, build)
    run = subprocess.run([args.hone, "vec", "-p", build, "--format", "json", "-j", str(args.jobs)],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"vec_suite: hone vec exited {run.returncode}:\n{run.stderr}")
    report = json.loads(run.stdout)

    review = load_review()
    filed = collections.Counter()
    right = collections.Counter()
    disagreements, unreviewed = [], []
    for finding in report["findings"]:
        name = os.path.basename(finding["file"])
        if not name.startswith("vect-tsvc-"):
            continue
        loop = f"{name.removeprefix('vect-tsvc-').removesuffix('.c')}:{finding['line']}"
        reason = finding["check"].removeprefix("hone-vec-")
        shape = shape_of(finding)
        filed[reason] += 1
        row = review.get(loop)
        if row is None:
            unreviewed.append(f"{loop} {shape}")
        elif row["expected"] == shape:
            right[reason] += 1
        else:
            disagreements.append(f"{loop}: hone {shape}, review {row['expected']} ({row['note']})")

    print(f"hone vec on TSVC ({len(kernels)} kernels, clang-19 {' '.join(FLAGS)}): "
          f"{report['summary']['loops']} loops, {report['summary']['missed']} missed (harness included)\n")
    print("| reason | findings in the kernels | judged right | share |")
    print("|---|---|---|---|")
    for reason in sorted(filed, key=lambda r: -filed[r]):
        print(f"| `{reason}` | {filed[reason]} | {right[reason]} | {100 * right[reason] / filed[reason]:.0f} % |")
    total, total_right = sum(filed.values()), sum(right.values())
    print(f"| all | {total} | {total_right} | {100 * total_right / max(total, 1):.0f} % |")
    for title, rows in (("disagreements", disagreements), ("not in the review", unreviewed)):
        if rows:
            print(f"\n{title}:")
            for line in rows:
                print(f"  {line}")
    if not args.keep:
        subprocess.run(["rm", "-rf", scratch])
    return 0 if not unreviewed else 1


if __name__ == "__main__":
    sys.exit(main())
