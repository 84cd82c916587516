#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compiles every public header on its own, as C11 (-Wall -Wextra -Wpedantic
-Werror) and, when a C++ compiler is present, as C++11, so that each header
is self-contained and usable from C++.

usage: check_headers.py SOURCE_ROOT C_COMPILER
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    cc = sys.argv[2]
    cxx = shutil.which("c++") or shutil.which("g++")
    inc = root / "include"
    headers = sorted(p.relative_to(inc) for p in (inc / "trustsvc").rglob("*.h"))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "h.c"
        for h in headers:
            src.write_text(f"#include <{h.as_posix()}>\n#include <{h.as_posix()}>\n"
                           "int tsvc_header_check_dummy;\n")
            runs = [[cc, "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]]
            if cxx:
                runs.append([cxx, "-x", "c++", "-std=c++11", "-Wall", "-Wextra", "-Werror"])
            for cmd in runs:
                r = subprocess.run(cmd + ["-I", str(inc), "-fsyntax-only", str(src)],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    failures += 1
                    print(f"FAIL {h} ({cmd[0]}):\n{r.stderr}")
    print(f"headers: {len(headers)} checked, {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
