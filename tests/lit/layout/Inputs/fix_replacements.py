#!/usr/bin/env python3
"""Prints the replacements of one diagnostic of a clang-tidy fixes YAML file, one line each, sorted:
`FILE OFFSET LENGTH 'TEXT'`, FILE relative to the last `src/` in its path.

Clang's serializer lists a fix's files in the order of an llvm::StringMap (a hash of the path), so a
fix that edits two files lists them in an order that changes with the folder the test runs in; sorted,
the check does not depend on it.

usage: fix_replacements.py FIXES.yaml MESSAGE-SUBSTRING
"""
import re
import sys


def main():
    path, message = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    # One diagnostic runs from its "- DiagnosticName:" to the next one (or the end of the document).
    for diagnostic in re.split(r"\n  - DiagnosticName:", text):
        if message not in diagnostic:
            continue
        found = re.findall(r"- FilePath: +'[^']*/(src/[^']*)'\s+Offset: +(\d+)\s+Length: +(\d+)\s+"
                           r"ReplacementText: +('[^\n]*')", diagnostic)
        for file, offset, length, replacement in sorted(found, key=lambda m: (m[0], int(m[1]))):
            print(file, offset, length, replacement)
        return 0
    print(f"no diagnostic whose text contains {message!r} in {path}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
