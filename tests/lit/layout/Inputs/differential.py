#!/usr/bin/env python3
"""Differential test of `hone layout --fix`: a fix must never change what a program prints.

For each seed, a C++ file is generated with records whose fields (plain, bit-fields, and unnamed
bit-fields reserving bits) have every kind of initializer the order-use analysis must judge: constants, reads of other fields (declared before or after), free
functions with no effect, functions that bump or read a global counter, functions that print, member
calls (which may read any field), lambdas capturing `this`, default member initializers and
mem-initializer lists, defaulted operator<=> (compared through a std::set), positional aggregate
initialization. Every object has static storage, so a field read before its initialization reads zero
and the program is deterministic. The program prints every field of every object (by name, not by
declaration order) and the iteration order of the sets; sizeof goes to a separate stream.

The file is compiled and run, `hone layout --fix --min-savings 1` rewrites it, and it is compiled and run
again: the printed values must be identical whenever hone applied a fix, and every record hone says it
reordered must have the size hone claimed. Exit 0 when every seed agrees, 1 on the first disagreement
(the generated file and both outputs are kept in the work folder and named).

Usage: differential.py --hone HONE --clangxx CLANGXX --work DIR [--seeds N] [--first-seed S] [--records R]
"""
import argparse
import os
import random
import re
import subprocess
import sys

TYPES = [("char", 1), ("short", 2), ("int", 4), ("long", 8), ("double", 8)]
BIT_FIELD_TYPES = [("unsigned char", 8), ("unsigned short", 16), ("unsigned", 32), ("unsigned long", 64)]

PRELUDE = """#include <compare>
#include <cstdio>
#include <set>
int counter = 0;
int next_id() { return ++counter; }
int peek() { return counter; }
int twice(int value) { return 2 * value; }
int logged(int value) { std::printf("log %d\\n", value); return value; }
"""


def initializer(rng, index, count, style_member_call):
    """An initializer for field `index` of `count`, as C++ source text."""
    other = rng.randrange(count)
    choices = [
        lambda: str(rng.randint(1, 90)),
        lambda: "f%d + %d" % (other, rng.randint(1, 9)),
        lambda: "twice(%d)" % rng.randint(1, 40),
        lambda: "next_id()",
        lambda: "peek()",
        lambda: "logged(%d)" % rng.randint(1, 99),
        lambda: "twice(f%d)" % other,
    ]
    if style_member_call:
        choices.append(lambda: "sum()")
        choices.append(lambda: "[this] { return f%d + 1; }()" % other)
    weights = [6, 2, 2, 1, 1, 1, 1] + ([1, 1] if style_member_call else [])
    return rng.choices(choices, weights)[0]()


def generate_record(rng, name):
    """Returns (definition, object declarations, print statements, set statements)."""
    count = rng.randint(3, 7)
    kind = rng.choice(["default", "default", "ctor", "aggregate", "plain"])
    spaceship = rng.random() < 0.25
    fields = [rng.choice(TYPES) for _ in range(count)]
    # Some fields are bit-fields (width after the name), some followed by an unnamed one (reserved bits).
    widths = [None] * count
    reserved = [None] * count
    for i in range(count):
        if rng.random() < 0.3 and not spaceship:  # <=> on a bit-field narrows: not valid C++
            type_name, bits = rng.choice(BIT_FIELD_TYPES)
            fields[i] = (type_name, bits // 8)
            widths[i] = rng.randint(1, bits)
        if rng.random() < 0.1:
            type_name, bits = rng.choice(BIT_FIELD_TYPES)
            reserved[i] = "  %s : %d;" % (type_name, rng.randint(1, bits))
    member_call = kind in ("default", "ctor") and rng.random() < 0.3
    lines = ["struct %s {" % name]
    inits = [initializer(rng, i, count, member_call) for i in range(count)]
    for i, (type_name, _) in enumerate(fields):
        width = "" if widths[i] is None else " : %d" % widths[i]
        if kind == "default":
            lines.append("  %s f%d%s = %s;" % (type_name, i, width, inits[i]))
        else:
            lines.append("  %s f%d%s;" % (type_name, i, width))
        if reserved[i]:
            lines.append(reserved[i])
    if kind == "ctor":
        written = ", ".join("f%d(%s)" % (i, inits[i]) for i in range(count))
        lines.append("  %s() : %s {}" % (name, written))
    if member_call:
        lines.append("  int sum() const { return %s; }" % " + ".join("int(f%d)" % i for i in range(count)))
    if spaceship:
        lines.append("  auto operator<=>(const %s&) const = default;" % name)
    lines.append("};")
    objects = []
    if kind == "aggregate":
        values = ", ".join(str(rng.randint(1, 50)) for _ in range(count))
        objects.append("%s %s_a{%s};" % (name, name, values))
    else:
        objects.append("%s %s_a;" % (name, name))
    prints = []
    for i in range(count):
        prints.append('  std::printf("%s.f%d %%g\\n", double(%s_a.f%d));' % (name, i, name, i))
    sets = []
    if spaceship:
        sets.append("  {")
        sets.append("    std::set<%s> ordered;" % name)
        for copy in range(4):
            sets.append("    { %s value = %s_a;" % (name, name))
            for i in range(count):
                sets.append("      value.f%d = %d;" % (i, rng.randint(0, 3)))
            sets.append("      ordered.insert(value); }")
        key = " ".join("%d=%%g" % i for i in range(count))
        args = ", ".join("double(item.f%d)" % i for i in range(count))
        sets.append('    for (const %s& item : ordered) std::printf("%s set %s\\n", %s);' % (name, name, key, args))
        sets.append("  }")
    sizes = ['  std::fprintf(stderr, "sizeof %s %%zu\\n", sizeof(%s));' % (name, name)]
    return "\n".join(lines), objects, prints, sets, sizes


def generate(seed, records):
    rng = random.Random(seed)
    parts = [PRELUDE]
    body = []
    for r in range(records):
        definition, objects, prints, sets, sizes = generate_record(rng, "R%d" % r)
        parts.append(definition)
        parts.extend(objects)
        body.extend(prints + sets + sizes)
    parts.append("int main() {")
    parts.extend(body)
    parts.append("}")
    return "\n".join(parts) + "\n"


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def build_and_run(clangxx, source, binary):
    built = run([clangxx, "-std=c++20", "-w", source, "-o", binary])
    if built.returncode != 0:
        raise RuntimeError("%s does not compile:\n%s" % (source, built.stderr))
    ran = run([binary])
    if ran.returncode != 0:
        raise RuntimeError("%s exited with %d" % (binary, ran.returncode))
    return ran.stdout, ran.stderr


def one_seed(args, seed):
    """Returns (fixed records, refused records); raises on a disagreement."""
    folder = os.path.join(args.work, "seed%d" % seed)
    os.makedirs(folder, exist_ok=True)
    source = os.path.join(folder, "prog.cpp")
    with open(source, "w") as out:
        out.write(generate(seed, args.records))
    with open(os.path.join(folder, "prog.before.cpp"), "w") as out:
        out.write(generate(seed, args.records))
    before, before_sizes = build_and_run(args.clangxx, source, os.path.join(folder, "before"))
    fixed = run([args.hone, "layout", "--fix", "--min-savings", "1", source, "--", "-std=c++20"])
    if fixed.returncode != 0:
        raise RuntimeError("seed %d: hone layout --fix exited with %d:\n%s" % (seed, fixed.returncode, fixed.stderr))
    claims = dict(re.findall(r"reordered the fields of '(\w+)' \(\d+ -> (\d+) bytes\)", fixed.stdout))
    refused = len(re.findall(r"\[hone-padding-keep-order\]", fixed.stdout))
    after, after_sizes = build_and_run(args.clangxx, source, os.path.join(folder, "after"))
    if claims and before != after:
        with open(os.path.join(folder, "before.txt"), "w") as out:
            out.write(before)
        with open(os.path.join(folder, "after.txt"), "w") as out:
            out.write(after)
        raise RuntimeError("seed %d: the output changed after --fix (%s); see %s" % (seed, ", ".join(sorted(claims)),
                                                                                   folder))
    sizes = dict(re.findall(r"sizeof (\w+) (\d+)", after_sizes))
    for record, claimed in claims.items():
        if sizes.get(record) != claimed:
            raise RuntimeError("seed %d: hone claimed %s bytes for %s, the rebuilt program says %s" %
                               (seed, claimed, record, sizes.get(record)))
    return len(claims), refused


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hone", required=True)
    parser.add_argument("--clangxx", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--records", type=int, default=12)
    args = parser.parse_args()
    total_fixed = total_refused = 0
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        try:
            fixed, refused = one_seed(args, seed)
        except RuntimeError as error:
            print("differential: FAIL: %s" % error)
            return 1
        total_fixed += fixed
        total_refused += refused
    print("differential: %d seeds, %d records, %d reordered, %d kept (order observed), 0 disagreements" %
          (args.seeds, args.seeds * args.records, total_fixed, total_refused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
