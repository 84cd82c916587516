#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sanitizer gates, run by .ci/run (or by hand from the repository root):
#
#   1. asan      build-asan with -Db_sanitize=address,undefined, in four steps,
#                each with its own line; leaks are detected and any
#                undefined behaviour is fatal in all of them:
#        asan-c       the unit, conformance, fuzz-replay, cli, interop, hsm
#                     and thread suites (every C suite);
#        asan-python  the Python bindings' pytest suite: the cffi extension
#                     built with the same -fsanitize flags against the ASan
#                     library, the interpreter run with gcc's libasan and
#                     libubsan preloaded and PYTHONMALLOC=malloc
#                     (bindings/python/run_tests.py does this for any ASan
#                     build tree); LeakSanitizer with .ci/lsan.supp, run
#                     after the tests and before the interpreter finalises,
#                     where only leaks whose whole stack is the
#                     interpreter's are not counted; the RSS test is
#                     skipped, LeakSanitizer takes its place;
#        asan-go      the Go bindings' `go vet` and `go test -asan` (Go 1.18
#                     or later, cgo with gcc: one ASan runtime;
#                     bindings/go/run_tests.sh); Go 1.25 and later scan the
#                     Go heap so leaks are detected, an older Go runs with
#                     detect_leaks=0; TestMemoryFlat is skipped (RSS under
#                     ASan's quarantine); SKIPPED without a Go toolchain;
#        asan-bench   the bench smoke run: tsvc-bench, bench-revoke,
#                     bench-tsp and bench-pkcs11 in their --short modes
#                     (meson suite 'bench') and bench-cms-stream over
#                     16 MiB (it has no short mode; --mib 16 --no-peer);
#                The python, go and bench logs are also searched for
#                sanitizer reports, so a report in a process whose exit
#                status is not checked still fails the step. The abi and
#                docs suites are not sanitised.
#   2. valgrind  memcheck over the unit suite of the normal build (build/,
#                or BUILD_DIR): every definite leak or invalid access fails;
#   3. tsan      build-tsan with -Db_sanitize=thread: tests/thread (8 threads
#                sharing one store, policy and key pair).
#
#   .ci/sanitizers.sh [asan|asan-c|asan-python|asan-go|asan-bench|valgrind|tsan]...
#                                              (default: asan valgrind tsan)
#
# Each step prints one line "sanitizers: STEP: ok|FAILED|SKIPPED (...)";
# the exit status is non-zero when any step failed (SKIPPED, printed
# loudly, is not a failure: the Python step without cffi/pytest, the Go
# step without a Go toolchain). Logs: build-asan.{test,python,go,bench}.log
# beside the build directories, and meson-logs/ inside them.
#
# Measured on 2 cores (machine shared with other builds): asan-c about 5
# minutes, asan-python 1 (most of it compiling the cffi extension),
# asan-go 0.5 (2.5 on a fresh clone: the Go standard library is compiled
# once with -asan into build-asan/bindings/go-cache), asan-bench 1.
#
# Slow tests under valgrind: the crypto tests and the demonstration (RSA
# key generation) run 20-50 times slower, so valgrind runs with a timeout
# multiplier of 10; the whole unit suite takes about 2 minutes on 2 cores.
# No test is skipped.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-2}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages only these gates need (./dev installs the rest).
SAN_PACKAGES=(valgrind clang libclang-rt-14-dev)
install_missing() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

vectors() {
    if [ -n "${TSVC_VECTORS:-}" ]; then
        echo "$TSVC_VECTORS"
    elif [ -d "$ROOT/../shared/vectors" ]; then
        (cd "$ROOT/../shared/vectors" && pwd)
    fi
}

werror=()
if [ -n "${CI:-}" ]; then werror=(-Dwerror=true); fi

# setup DIR ARGS...: configures DIR once.
setup() {
    local dir="$1"
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        log "configuring $dir"
        meson setup "$dir" "${werror[@]}" -Ddocs=disabled -Dvectors_dir="$(vectors)" "$@" \
            > "$dir.setup.log" 2>&1 || { cat "$dir.setup.log" >&2; return 1; }
    fi
}

# counts LOG.json...: "N passed, M failed, K skipped" from meson's JSON logs.
counts() {
    python3 - "$@" <<'EOF'
import json, sys
p = f = s = 0
for name in sys.argv[1:]:
    try:
        lines = open(name, encoding="utf-8").read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.strip():
            r = json.loads(line)["result"]
            if r in ("OK", "EXPECTEDFAIL"):
                p += 1
            elif r == "SKIP":
                s += 1
            else:
                f += 1
print(f"{p} passed, {f} failed, {s} skipped")
EOF
}

# build_suites DIR ITEM...: builds only the executables the suites named run
# (not the benchmarks or tools nothing here tests), and the targets named
# target:NAME (e.g. target:trustsvc, the library), quietly.
build_suites() {
    local dir="$1" targets
    shift
    # Regenerate first, so that tests added since the last configure count.
    ninja -C "$dir" build.ninja > "$dir.build.log" 2>&1 || { tail -40 "$dir.build.log" >&2; return 1; }
    targets="$(python3 - "$dir" "$@" <<'PYEOF'
import json, os, subprocess, sys
bdir = os.path.realpath(sys.argv[1])
suites = {a for a in sys.argv[2:] if not a.startswith("target:")}
names = {a[len("target:"):] for a in sys.argv[2:] if a.startswith("target:")}
def introspect(what):
    return json.loads(subprocess.run(["meson", "introspect", bdir, what], check=True,
                                     capture_output=True, text=True).stdout)
targets = introspect("--targets")
files = {t["id"]: t["filename"] for t in targets}
out = set()
for t in targets:
    if t["name"] in names:
        names.discard(t["name"])
        out.update(os.path.relpath(os.path.realpath(f), bdir) for f in t["filename"])
if names:
    sys.exit(f"build_suites: no target {', '.join(sorted(names))} in {bdir}")
for t in introspect("--tests"):
    if not suites & {s.split(":")[-1] for s in t["suite"]}:
        continue
    # The test's program and every target it depends on (e.g. a harness
    # a python script runs).
    paths = [t["cmd"][0]] + [f for d in t.get("depends", []) for f in files.get(d, [])]
    for p in paths:
        p = os.path.realpath(p)
        if p.startswith(bdir + os.sep):
            out.add(os.path.relpath(p, bdir))
print("\n".join(sorted(out)))
PYEOF
)" || return 1
    # shellcheck disable=SC2086
    ninja -C "$dir" -j"$JOBS" $targets >> "$dir.build.log" 2>&1 || { tail -40 "$dir.build.log" >&2; return 1; }
}

results=()
failed=0
report() { # report PART RC DETAIL   (RC 77: skipped, not a failure)
    local line
    if [ "$2" -eq 0 ]; then
        line="sanitizers: $1: ok ($3)"
    elif [ "$2" -eq 77 ]; then
        line="sanitizers: $1: SKIPPED ($3)"
    else
        line="sanitizers: $1: FAILED ($3)"
        failed=1
    fi
    results+=("$line")
    echo "$line"
}

# Sanitizer options of every asan step: ASan errors abort, leaks are
# detected (LSAN_SUPP: the suppression file), UBSan errors are fatal with a
# stack. fast_unwind_on_malloc=0 (full stacks, so that leaks inside loaded
# modules can be attributed) is added where allocations are few enough.
asan_env() { # asan_env SUPPRESSIONS COMMAND...
    local supp="$1"
    shift
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1${ASAN_EXTRA:+:$ASAN_EXTRA}" \
    LSAN_OPTIONS="suppressions=$supp:print_suppressions=0" \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$@"
}

# sanitizer_reports LOG: prints the sanitizer reports found in LOG (and
# fails when there is one), whatever the exit status of what wrote it.
sanitizer_reports() {
    ! grep -E -m 5 'ERROR: (AddressSanitizer|LeakSanitizer)|SUMMARY: UndefinedBehaviorSanitizer|: runtime error: ' "$1"
}

# finish_step PART RC LOG DETAIL: the report line of a step whose output is
# in LOG: SKIPPED on exit status 77 (the reason from LOG, printed loudly),
# FAILED on any other non-zero status or on a sanitizer report in LOG.
finish_step() {
    local part="$1" rc="$2" log="$3" detail="$4"
    if [ "$rc" -eq 77 ]; then
        local why
        why="$(grep -m1 -o 'SKIPPED.*' "$log" | sed 's/^SKIPPED:* *//')"
        echo "SKIPPED: $part: ${why:-exit status 77}" >&2
        report "$part" 77 "${why:-exit status 77}"
        return
    fi
    if ! sanitizer_reports "$log" >&2; then rc=1; fi
    [ "$rc" -eq 0 ] || tail -80 "$log" >&2
    report "$part" "$rc" "$detail"
}

asan_setup() {
    setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
}

part_asan_c() {
    local dir=build-asan rc=0 t0=$SECONDS
    asan_setup || { report asan-c 1 "configure"; return; }
    log "ASan+UBSan: building $dir"
    build_suites "$dir" unit conformance fuzz-replay cli interop hsm thread \
        || { report asan-c 1 "build"; return; }
    log "ASan+UBSan: unit, conformance, fuzz-replay, cli, interop, hsm and thread suites"
    # .ci/lsan.supp lists, with reasons, the leaks that are not ours.
    ASAN_EXTRA=fast_unwind_on_malloc=0 asan_env "$ROOT/.ci/lsan.supp" \
        meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$JOBS" \
        --timeout-multiplier 3 \
        --suite unit --suite conformance --suite fuzz-replay --suite cli --suite interop \
        --suite hsm --suite thread > "$dir.test.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || tail -60 "$dir.test.log" >&2
    report asan-c "$rc" "$(counts "$dir/meson-logs/testlog.json"), $((SECONDS - t0))s"
}

part_asan_python() {
    local dir=build-asan rc=0 t0=$SECONDS log=build-asan.python.log detail
    asan_setup || { report asan-python 1 "configure"; return; }
    log "ASan+UBSan: building the library in $dir"
    build_suites "$dir" target:trustsvc || { report asan-python 1 "build"; return; }
    log "ASan+UBSan: Python bindings (pytest, interpreter with libasan and libubsan preloaded)"
    # Python frames have no frame pointers, so the default fast unwinding
    # is kept (full unwinding of every interpreter allocation would take
    # minutes); the library's and the extension's frames are complete.
    asan_env "$ROOT/.ci/lsan.supp" \
        python3 bindings/python/run_tests.py "$dir" > "$log" 2>&1 || rc=$?
    detail="$(grep -E '^[0-9]+ (passed|failed|skipped|error)' "$log" | tail -1)"
    finish_step asan-python "$rc" "$log" "${detail:-no pytest summary}, $((SECONDS - t0))s"
}

part_asan_go() {
    local dir=build-asan rc=0 t0=$SECONDS log=build-asan.go.log
    asan_setup || { report asan-go 1 "configure"; return; }
    log "ASan+UBSan: building the library in $dir"
    build_suites "$dir" target:trustsvc || { report asan-go 1 "build"; return; }
    log "ASan+UBSan: Go bindings (go test -asan)"
    asan_env "$ROOT/.ci/lsan.supp" bindings/go/run_tests.sh "$dir" > "$log" 2>&1 || rc=$?
    finish_step asan-go "$rc" "$log" "$(grep -c '^--- PASS' "$log") passed, $(grep -c '^--- FAIL' "$log") failed, $(grep -c '^--- SKIP' "$log") skipped (and TestMemoryFlat left out), $(grep -m1 -o 'go[0-9][0-9.]*' "$log"), $((SECONDS - t0))s"
}

part_asan_bench() {
    local dir=build-asan rc=0 t0=$SECONDS log=build-asan.bench.log
    asan_setup || { report asan-bench 1 "configure"; return; }
    log "ASan+UBSan: building the benchmarks in $dir"
    build_suites "$dir" bench target:bench-cms-stream || { report asan-bench 1 "build"; return; }
    log "ASan+UBSan: bench smoke run (--short modes, bench-cms-stream over 16 MiB)"
    rm -f "$dir/meson-logs/asan-bench.json"
    ASAN_EXTRA=fast_unwind_on_malloc=0 asan_env "$ROOT/.ci/lsan.supp" \
        meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$JOBS" \
        --timeout-multiplier 3 --suite bench --logbase asan-bench > "$log" 2>&1 || rc=$?
    local cms=passed
    echo "== bench-cms-stream --mib 16 --no-peer" >> "$log"
    ASAN_EXTRA=fast_unwind_on_malloc=0 asan_env "$ROOT/.ci/lsan.supp" \
        "$dir/bench/cms/bench-cms-stream" --mib 16 --no-peer >> "$log" 2>&1 || { cms=failed; rc=1; }
    finish_step asan-bench "$rc" "$log" \
        "$(counts "$dir/meson-logs/asan-bench.json") + bench-cms-stream $cms, $((SECONDS - t0))s"
}

part_valgrind() {
    local dir="$BUILD_DIR" rc=0 t0=$SECONDS
    # The normal build, configured exactly as ./dev configures it (CI has
    # run ./dev test in it already).
    log "valgrind memcheck: building $dir"
    if [ ! -f "$dir/build.ninja" ]; then
        BUILD_DIR="$dir" ./dev build > "$dir.build.log" 2>&1 || { tail -40 "$dir.build.log" >&2; report valgrind 1 "build"; return; }
    fi
    build_suites "$dir" unit || { report valgrind 1 "build"; return; }
    log "valgrind memcheck: unit suite"
    # Each unit test runs on its own (meson test NAME, own log base), two
    # at a time, the slowest first (durations of the previous valgrind run
    # when there is one, else the demonstration and the crypto tests, which
    # generate RSA keys): that keeps the tail short.
    # --errors-for-leak-kinds=definite,indirect: reachable blocks at exit
    # (libsodium/wolfSSL/OpenSSL one-time initialisation) are not leaks.
    local logs="$dir/meson-logs" names
    names="$(meson introspect "$dir" --tests | python3 -c '
import glob, json, os, sys
logs = sys.argv[1]
prev = {}
for name in glob.glob(os.path.join(logs, "valgrind-*.json")):
    for line in open(name, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            prev[r["name"]] = r.get("duration", 0)
slow = ("demo", "crypto", "pkcs11", "builder")
tests = sorted({t["name"] for t in json.load(sys.stdin)
                if "unit" in {s.split(":")[-1] for s in t["suite"]}})
key = lambda n: (-prev.get(n, 1000 if any(w in n for w in slow) else 0), n)
print("\n".join(sorted(tests, key=key)))' "$logs")" || { report valgrind 1 "introspect"; return; }
    rm -f "$logs"/valgrind-*.json "$logs"/valgrind-*.txt "$logs"/valgrind-*.xml "$logs"/valgrind-*.out "$dir.valgrind.log"
    # shellcheck disable=SC2016
    printf '%s\n' $names | xargs -P "$JOBS" -I{} sh -c '
        meson test -C "$1" --no-rebuild --print-errorlogs --timeout-multiplier 10 --suite unit \
            --logbase "valgrind-$2" \
            --wrapper "valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
            "$2" > "$1/meson-logs/valgrind-$2.out" 2>&1 || echo "$2" >> "$1/meson-logs/valgrind-failed"
        ' sh "$dir" {}
    for n in $names; do cat "$logs/valgrind-$n.out" >> "$dir.valgrind.log" 2>/dev/null; done
    if [ -s "$logs/valgrind-failed" ]; then
        rc=1
        echo "valgrind: failed: $(tr '\n' ' ' < "$logs/valgrind-failed")" >&2
        while read -r n; do tail -40 "$logs/valgrind-$n.out" >&2; done < "$logs/valgrind-failed"
    fi
    rm -f "$logs/valgrind-failed"
    report valgrind "$rc" "$(counts "$dir"/meson-logs/valgrind-*.json), $((SECONDS - t0))s"
}

part_tsan() {
    local dir=build-tsan rc=0 t0=$SECONDS
    setup "$dir" -Db_sanitize=thread -Db_lundef=false || { report tsan 1 "configure"; return; }
    log "ThreadSanitizer: building the thread test in $dir"
    build_suites "$dir" thread || { report tsan 1 "build"; return; }
    log "ThreadSanitizer: 8 threads on shared objects"
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
        meson test -C "$dir" --no-rebuild --print-errorlogs --suite thread --timeout-multiplier 4 \
        > "$dir.test.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || tail -80 "$dir.test.log" >&2
    local detail
    detail="$(grep -h -o 'threads: .* failures' "$dir/meson-logs/testlog.txt" 2>/dev/null | tail -1)"
    report tsan "$rc" "${detail:-no result line}, $((SECONDS - t0))s"
}

parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then parts=(asan valgrind tsan); fi
install_missing "${SAN_PACKAGES[@]}"
for p in "${parts[@]}"; do
    case "$p" in
        asan) part_asan_c; part_asan_python; part_asan_go; part_asan_bench ;;
        asan-c) part_asan_c ;;
        asan-python) part_asan_python ;;
        asan-go) part_asan_go ;;
        asan-bench) part_asan_bench ;;
        valgrind) part_valgrind ;;
        tsan) part_tsan ;;
        *) echo "unknown part: $p (asan, asan-c, asan-python, asan-go, asan-bench, valgrind, tsan)" >&2; exit 2 ;;
    esac
done
exit "$failed"
