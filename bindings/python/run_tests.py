#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Builds trustsvc._native against a meson build tree into a temporary
directory and runs the pytest suite there (the meson test 'python' of the
suite 'bindings' calls this).

    run_tests.py BUILD_DIR [pytest arguments...]

Exit 77 (skipped, with the reason) when cffi or pytest is missing.

A build tree configured with -Db_sanitize=address or address,undefined
(build-asan of .ci/sanitizers.sh) is run under the same sanitizers: the
extension is compiled and linked with the same -fsanitize flags by the
build's own compiler, and the interpreter that runs pytest gets the
compiler's sanitizer runtimes preloaded (LD_PRELOAD; the runtime has to be
the first library of the process). The preload is taken out of the
environment again once the interpreter has started, so programs the tests
start (softhsm2-util) do not run under ASan. PYTHONMALLOC=malloc puts every
Python object on the ASan heap, so an overrun of a buffer Python hands to
the library is caught too. Sanitizer options the caller has not set get
these defaults: ASan errors abort, UBSan errors are fatal with a stack,
LeakSanitizer runs with .ci/lsan.supp, once the tests are done and before
the interpreter finalises (see _BOOTSTRAP). Exit 77 when
the compiler has no shared sanitizer runtime to preload (clang's default
static one).
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Under the sanitizers: runs pytest with the preload removed from the
# environment children get, and skips (with the reason, listed by -rs) the
# test whose bound does not hold under ASan: the RSS of a process under ASan
# grows by design (freed memory waits in ASan's quarantine, 256 MiB), so
# test_sign_verify_memory_is_flat runs in the normal build only; here
# LeakSanitizer checks for leaks instead, over the whole run.
#
# The leak check runs once pytest has finished and a full garbage
# collection has released every object the tests dropped, but before the
# interpreter finalises (__lsan_do_recoverable_leak_check, then os._exit so
# that no second check runs at exit). At that point what the interpreter
# and cffi allocate once and never free (module definitions, method tables)
# is still referenced. Each leak reported is printed; it counts as a
# failure unless every frame of its allocation stack (below the malloc
# interceptor) is the interpreter's own: a frame of libtrustsvc, of the
# extension, of a backend or of anything else makes it a failure. That
# leaves out the interpreter's own leaks only, such as the frame object
# that Debian's Python 3.11.2 loses during the run (176 bytes, PyFrame_Type,
# refcount 1, allocated by the interpreter).
_BOOTSTRAP = """
import os, sys
p = os.environ.pop('TSVC_ORIG_LD_PRELOAD', None)
if p:
    os.environ['LD_PRELOAD'] = p
else:
    os.environ.pop('LD_PRELOAD', None)
import ctypes, gc, re, tempfile
import pytest

class Sanitized:
    @staticmethod
    def pytest_collection_modifyitems(items):
        for item in items:
            if item.name == 'test_sign_verify_memory_is_flat':
                item.add_marker(pytest.mark.skip(reason='RSS bound not meaningful under ASan '
                    '(quarantine); LeakSanitizer checks leaks instead'))

INTERP = re.compile(r'\\(/\\S*/(python3[.0-9]*|libpython3[.0-9]*\\.so[.0-9]*)\\+0x'
                    r'| in \\S+ (Objects|Python|Modules|Include|Parser)/')

def ours(block):
    frames = [l for l in block if re.match(r'\\s+#[0-9]+ ', l)]
    return any(not INTERP.search(l) for l in frames[1:]) or len(frames) < 2

rc = pytest.main(sys.argv[1:], plugins=[Sanitized()])
if os.environ.get('TSVC_LSAN_CHECK') != '1':
    sys.exit(rc)
gc.collect()
check = getattr(ctypes.CDLL(None), '__lsan_do_recoverable_leak_check', None)
if check is None:
    print('run_tests.py: no LeakSanitizer in the process: leaks not checked', file=sys.stderr)
    sys.exit(1)
sys.stdout.flush()
sys.stderr.flush()
with tempfile.TemporaryFile(mode='w+') as out:
    saved = os.dup(2)
    os.dup2(out.fileno(), 2)
    found = check()
    os.dup2(saved, 2)
    out.seek(0)
    report = out.read()
blocks, cur = [], None
for line in report.splitlines():
    if re.match(r'(Direct|Indirect) leak of', line):
        cur = [line]
        blocks.append(cur)
    elif cur is not None:
        if line.strip():
            cur.append(line)
        else:
            cur = None
bad = [b for b in blocks if ours(b)]
if blocks and not bad:
    report = report.replace('ERROR: LeakSanitizer', 'note: LeakSanitizer (interpreter only, not counted)')
sys.stderr.write(report)
print(f'run_tests.py: LeakSanitizer after the tests: {len(blocks)} leak stack(s), '
      f'{len(blocks) - len(bad)} entirely inside the interpreter (not counted), '
      f'{len(bad)} counted', file=sys.stderr)
if found and not blocks:
    bad = ['unparsed report']
sys.stdout.flush()
sys.stderr.flush()
os._exit(23 if bad else rc)
"""


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
    sanitize = _sanitizers(build)
    with tempfile.TemporaryDirectory(prefix="tsvc-py-") as tmp:
        return _run(build, sanitize, tmp)


def _run(build: Path, sanitize: list[str], tmp: str) -> int:
    build_env = dict(os.environ, TSVC_BUILD_DIR=str(build))
    run_env = dict(os.environ)
    cmd = [sys.executable, "-m", "pytest"]
    if sanitize:
        cc = _compiler(build)
        runtimes = _runtimes(cc, sanitize)
        if isinstance(runtimes, str):
            print(f"SKIPPED: python bindings under {','.join(sanitize)}: {runtimes}", file=sys.stderr)
            return 77
        flags = "-fsanitize=" + ",".join(sanitize)
        build_env.update(
            CC=shlex.join(cc),
            CFLAGS=f"{os.environ.get('CFLAGS', '')} {flags} -fno-omit-frame-pointer".strip(),
            LDFLAGS=f"{os.environ.get('LDFLAGS', '')} {flags}".strip(),
        )
        _sanitizer_env(run_env, runtimes)
        cmd = [sys.executable, "-c", _BOOTSTRAP]
        print(f"python bindings under {','.join(sanitize)}: LD_PRELOAD={run_env['LD_PRELOAD']} "
              f"PYTHONMALLOC={run_env['PYTHONMALLOC']}\n  ASAN_OPTIONS={run_env.get('ASAN_OPTIONS')}"
              f"\n  LSAN_OPTIONS={run_env.get('LSAN_OPTIONS')}\n  UBSAN_OPTIONS={run_env.get('UBSAN_OPTIONS')}",
              file=sys.stderr)
    pkg = Path(tmp) / "trustsvc"
    shutil.copytree(HERE / "trustsvc", pkg, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    subprocess.run([sys.executable, str(HERE / "trustsvc_build.py"), tmp], check=True,
                   env=build_env, cwd=tmp)
    run_env["PYTHONPATH"] = tmp + os.pathsep + run_env.get("PYTHONPATH", "")
    run_env["PYTHONDONTWRITEBYTECODE"] = "1"
    run_env.setdefault("TSVC_TEST_DATA", str(ROOT / "tests" / "data"))
    cmd += ["-p", "no:cacheprovider", "-q", "-rs", "-s", str(HERE / "tests"), *sys.argv[2:]]
    return subprocess.run(cmd, env=run_env, cwd=tmp).returncode


def _missing(mod: str) -> bool:
    try:
        __import__(mod)
        return False
    except ImportError:
        return True


def _sanitizers(build: Path) -> list[str]:
    """The sanitizers of b_sanitize that need a runtime in the interpreter."""
    try:
        opts = json.loads((build / "meson-info" / "intro-buildoptions.json").read_text())
    except (OSError, ValueError):
        return []
    value = next((o["value"] for o in opts if o["name"] == "b_sanitize"), "none")
    return [s for s in str(value).split(",") if s in ("address", "undefined")]


def _compiler(build: Path) -> list[str]:
    """The C compiler of the build tree (its first compile command)."""
    try:
        first = json.loads((build / "compile_commands.json").read_text())[0]
        words = shlex.split(first["command"]) if "command" in first else first["arguments"]
    except (OSError, ValueError, IndexError, KeyError):
        return ["cc"]
    if Path(words[0]).name in ("ccache", "sccache"):
        words = words[1:]
    return words[:1]


def _runtimes(cc: list[str], sanitize: list[str]) -> list[str] | str:
    """Absolute paths of the shared runtimes, or why there are none."""
    out = []
    for s, lib in (("address", "libasan.so"), ("undefined", "libubsan.so")):
        if s not in sanitize:
            continue
        try:
            path = subprocess.run([*cc, f"-print-file-name={lib}"], check=True, capture_output=True,
                                  text=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError) as e:
            return f"cannot ask {shlex.join(cc)} for {lib}: {e}"
        if not os.path.isabs(path) or not os.path.exists(path):
            return f"{shlex.join(cc)} has no shared {lib} to preload (gcc's runtimes are needed)"
        out.append(os.path.realpath(path))
    return out


def _sanitizer_env(env: dict, runtimes: list[str]) -> None:
    if env.get("LD_PRELOAD"):
        env["TSVC_ORIG_LD_PRELOAD"] = env["LD_PRELOAD"]
    env["LD_PRELOAD"] = " ".join(runtimes + ([env["LD_PRELOAD"]] if env.get("LD_PRELOAD") else []))
    env["PYTHONMALLOC"] = "malloc"
    env["TSVC_LSAN_CHECK"] = "1" if any("libasan" in r for r in runtimes) else "0"
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    if "LSAN_OPTIONS" not in env:
        supp = ROOT / ".ci" / "lsan.supp"
        if supp.exists():
            env["LSAN_OPTIONS"] = f"suppressions={supp}:print_suppressions=0"


if __name__ == "__main__":
    sys.exit(main())
