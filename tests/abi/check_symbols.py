#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that three lists of public symbols agree:

1. functions declared with TSVC_API in include/trustsvc/**/*.h,
2. symbols listed in the version script libtrustsvc.map,
3. dynamic symbols the shared library exports (nm -D --defined-only).

Also checks that every exported symbol is bound to a TRUSTSVC_x.y version
node and that no internal (tsvc__) symbol escapes.

usage: check_symbols.py SOURCE_ROOT SHARED_LIBRARY
       check_symbols.py --add-new SOURCE_ROOT
           adds every TSVC_API function missing from the version script to
           its newest node (do this only for a release not yet published).
"""
import pathlib
import re
import subprocess
import sys


def header_symbols(root: pathlib.Path) -> set[str]:
    syms = set()
    decl = re.compile(r"\bTSVC_API\b[^;{]*?\b(tsvc_[a-z0-9_]+)\s*\(", re.S)
    for h in sorted((root / "include" / "trustsvc").rglob("*.h")):
        text = h.read_text(encoding="utf-8")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"#define[^\n]*(\\\n[^\n]*)*", "", text)
        syms.update(decl.findall(text))
    return syms


def map_symbols(root: pathlib.Path) -> tuple[set[str], list[str]]:
    text = (root / "libtrustsvc.map").read_text(encoding="utf-8")
    text = re.sub(r"#[^\n]*", "", text)
    syms, globs = set(), []
    for node in re.finditer(r"(TRUSTSVC_[0-9.]+)\s*\{(.*?)\}", text, re.S):
        body = node.group(2)
        g = re.search(r"global:(.*?)(local:|$)", body, re.S)
        for name in re.findall(r"([A-Za-z0-9_*]+)\s*;", g.group(1) if g else ""):
            if "*" in name:
                globs.append(name)
            else:
                syms.add(name)
    return syms, globs


def library_symbols(lib: str) -> dict[str, str]:
    out = subprocess.run(["nm", "-D", "--defined-only", "--with-symbol-versions", lib],
                         check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[1] not in ("T", "D", "B", "R", "W"):
            continue
        name, _, version = parts[2].partition("@")
        syms[name] = version.lstrip("@")
    return syms


def add_new(root: pathlib.Path) -> int:
    path = root / "libtrustsvc.map"
    text = path.read_text(encoding="utf-8")
    mapped, _ = map_symbols(root)
    new = sorted(header_symbols(root) - mapped)
    if not new:
        print("version script: nothing to add")
        return 0
    nodes = list(re.finditer(r"(TRUSTSVC_[0-9.]+)\s*\{\s*global:\n", text))
    last = nodes[-1]
    # Keep the node's list sorted: rebuild the global block of the newest node.
    start = last.end()
    end = text.index("  local:", start) if "  local:" in text[start:] else text.index("}", start)
    names = sorted(set(re.findall(r"([A-Za-z0-9_]+);", text[start:end])) | set(new))
    text = text[:start] + "".join(f"    {n};\n" for n in names) + text[end:]
    path.write_text(text, encoding="utf-8")
    print(f"version script: added {len(new)} symbol(s) to {last.group(1)}")
    return 0


def main() -> int:
    if sys.argv[1] == "--add-new":
        return add_new(pathlib.Path(sys.argv[2]))
    root = pathlib.Path(sys.argv[1])
    lib = sys.argv[2]
    headers = header_symbols(root)
    mapped, globs = map_symbols(root)
    exported = library_symbols(lib)
    problems = []
    if globs:
        problems.append(f"version script uses wildcards {globs}: list every symbol")
    for name in sorted(headers - mapped):
        problems.append(f"declared TSVC_API but not in libtrustsvc.map: {name}")
    for name in sorted(mapped - headers):
        problems.append(f"in libtrustsvc.map but not declared TSVC_API: {name}")
    for name in sorted(headers - set(exported)):
        problems.append(f"declared TSVC_API but not exported: {name}")
    for name, version in sorted(exported.items()):
        if name.startswith("tsvc__"):
            problems.append(f"internal symbol exported: {name}")
        elif name not in headers:
            problems.append(f"exported but not declared TSVC_API: {name}")
        elif not version.startswith("TRUSTSVC_"):
            problems.append(f"exported without a TRUSTSVC_ version node: {name} ({version})")
    for p in problems:
        print(p)
    print(f"symbols: {len(headers)} declared, {len(mapped)} in the version script, "
          f"{sum(1 for n in exported if n.startswith('tsvc_'))} exported; "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
