#!/usr/bin/env python3
"""Compares hone layout's JSON report with pahole's reading of the same structs in a -g object.

usage: compare_pahole.py PAHOLE_OUTPUT HONE_JSON MIN_STRUCTS

For every named struct both tools describe: sizeof, the number and total of byte holes between
members, and the tail padding must agree; for structs with bit-fields the totals of bit holes and
of tail bit padding too.
Prints one line per disagreement and a summary; exits 1 on any disagreement or when fewer than
MIN_STRUCTS structs were compared (so the test cannot pass by comparing nothing).
"""
import json
import re
import sys


def pahole_structs(text):
    structs = {}
    name = None
    for line in text.splitlines():
        opening = re.match(r"^struct (\w+) \{$", line)
        if opening:
            name = opening.group(1)
            structs[name] = {"size": None, "holes": 0, "sum_holes": 0, "padding": 0, "bit_holes": 0, "bit_padding": 0}
            continue
        if line == "};":
            name = None
            continue
        if name is None or not line.startswith("\t/*") or line.startswith("\t\t"):
            continue  # only the struct's own summary lines, not those of nested anonymous members
        entry = structs[name]
        if m := re.search(r"size: (\d+), cachelines", line):
            entry["size"] = int(m.group(1))
        if m := re.search(r"holes: (\d+), sum holes: (\d+)", line):
            entry["holes"], entry["sum_holes"] = int(m.group(1)), int(m.group(2))
        if m := re.match(r"\t/\* padding: (\d+) \*/", line):
            entry["padding"] = int(m.group(1))
        if m := re.search(r"sum bit holes: (\d+) bits", line):
            entry["bit_holes"] = int(m.group(1))
        if m := re.search(r"bit_padding: (\d+) bits", line):
            entry["bit_padding"] = int(m.group(1))
    return structs


def hone_structs(report):
    structs = {}
    for finding in report["findings"]:
        data = finding["data"]
        if data["kind"] != "struct":
            continue
        byte_holes = [h for h in data["holes"] if not h["tail"] and not h["bit_hole"]]
        bit_holes = [h for h in data["holes"] if not h["tail"] and h["bit_hole"]]
        tail = [h for h in data["holes"] if h["tail"] and not h["bit_hole"]]
        structs[data["record"]] = {
            "size": data["size"],
            "holes": len(byte_holes),
            "sum_holes": sum(h["size_bits"] for h in byte_holes) // 8,
            "padding": sum(h["size_bits"] for h in tail) // 8,
            "bit_holes": sum(h["size_bits"] for h in bit_holes),
            "bit_padding": sum(h["size_bits"] for h in data["holes"] if h["tail"] and h["bit_hole"]),
            "bit_fields": any(item.get("bit_field") for item in data["items"]),
        }
    return structs


def main():
    pahole = pahole_structs(open(sys.argv[1]).read())
    hone = hone_structs(json.load(open(sys.argv[2])))
    minimum = int(sys.argv[3])
    compared = mismatches = with_holes = 0
    for name in sorted(set(pahole) & set(hone)):
        p, h = pahole[name], hone[name]
        keys = ["size", "holes", "sum_holes", "padding"] + (["bit_holes", "bit_padding"] if h["bit_fields"] else [])
        compared += 1
        with_holes += p["holes"] > 0
        for key in keys:
            if p[key] != h[key]:
                mismatches += 1
                print(f"MISMATCH struct {name}: {key} pahole={p[key]} hone={h[key]}")
    print(f"compared {compared} structs ({with_holes} with holes), {mismatches} mismatches")
    if compared < minimum:
        print(f"too few structs compared: {compared} < {minimum}")
        return 1
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
