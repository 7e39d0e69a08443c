"""Fails when a runtime source reads an environment variable with getenv instead of secure_getenv.

The runtime is linked into users' programs, some of which may be set-user-ID; getenv there would let any
caller steer the program's files (trace, allocation report) with its privileges. Prints each offending
line as file:line: text and exits 1; prints the number of secure_getenv calls and exits 0 otherwise.
"""
import pathlib
import re
import sys

plain = re.compile(r"(?<![\w])(?:std::)?getenv\s*\(")
secure = re.compile(r"\bsecure_getenv\s*\(")
root = pathlib.Path(sys.argv[1])
offences, secure_calls = [], 0
for path in sorted(root.rglob("*")):
    if path.suffix not in (".c", ".cc", ".cpp", ".h", ".hpp") or not path.is_file():
        continue
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        code = line.split("//", 1)[0]
        secure_calls += len(secure.findall(code))
        if plain.search(code):
            offences.append(f"{path}:{number}: {line.strip()}")
for offence in offences:
    print(offence)
if offences:
    print(f"{len(offences)} plain getenv call(s) in the runtime; use secure_getenv", file=sys.stderr)
    sys.exit(1)
print(f"{secure_calls} secure_getenv calls, no plain getenv")
