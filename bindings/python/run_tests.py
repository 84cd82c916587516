#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Builds trustsvc._native against a meson build tree into a temporary
directory and runs the pytest suite there (the meson test 'python' of the
suite 'bindings' calls this).

    run_tests.py BUILD_DIR [pytest arguments...]

Exit 77 (skipped, with the reason) when cffi or pytest is missing.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = Path(sys.argv[1]).resolve()
    missing = [m for m in ("cffi", "pytest", "pycparser") if _missing(m)]
    if missing:
        print(f"SKIPPED: python bindings: {sys.executable} lacks {', '.join(missing)} "
              "(Debian: python3-cffi python3-pytest python3-dev)", file=sys.stderr)
        return 77
    with tempfile.TemporaryDirectory(prefix="tsvc-py-") as tmp:
        pkg = Path(tmp) / "trustsvc"
        shutil.copytree(HERE / "trustsvc", pkg, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        env = dict(os.environ, TSVC_BUILD_DIR=str(build))
        subprocess.run([sys.executable, str(HERE / "trustsvc_build.py"), tmp], check=True, env=env,
                       cwd=tmp)
        env["PYTHONPATH"] = tmp + os.pathsep + env.get("PYTHONPATH", "")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.setdefault("TSVC_TEST_DATA", str(HERE.parent.parent / "tests" / "data"))
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", "-s",
               str(HERE / "tests"), *sys.argv[2:]]
        return subprocess.run(cmd, env=env, cwd=tmp).returncode


def _missing(mod: str) -> bool:
    try:
        __import__(mod)
        return False
    except ImportError:
        return True


if __name__ == "__main__":
    sys.exit(main())
