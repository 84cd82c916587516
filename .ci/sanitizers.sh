#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sanitizer gates, run by .ci/run (or by hand from the repository root):
#
#   1. asan      build-asan with -Db_sanitize=address,undefined: the unit,
#                conformance, fuzz-replay, cli, interop, hsm and thread
#                suites (every C suite; the Python/Go bindings, bench, abi and
#                docs suites are not sanitised), leaks detected, any
#                undefined behaviour fatal;
#   2. valgrind  memcheck over the unit suite of the normal build (build/,
#                or BUILD_DIR): every definite leak or invalid access fails;
#   3. tsan      build-tsan with -Db_sanitize=thread: tests/thread (8 threads
#                sharing one store, policy and key pair).
#
#   .ci/sanitizers.sh [asan|valgrind|tsan]...   (default: all three)
#
# Each part prints one line "sanitizers: PART: ok|FAILED (...)"; the exit
# status is non-zero when any part failed. Logs stay in the build
# directories (meson-logs/testlog.txt).
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

# build_suites DIR SUITE...: builds only the executables those suites run
# (not the benchmarks or tools nothing here tests), quietly.
build_suites() {
    local dir="$1" targets
    shift
    # Regenerate first, so that tests added since the last configure count.
    ninja -C "$dir" build.ninja > "$dir.build.log" 2>&1 || { tail -40 "$dir.build.log" >&2; return 1; }
    targets="$(python3 - "$dir" "$@" <<'PYEOF'
import json, os, subprocess, sys
bdir, suites = os.path.realpath(sys.argv[1]), set(sys.argv[2:])
def introspect(what):
    return json.loads(subprocess.run(["meson", "introspect", bdir, what], check=True,
                                     capture_output=True, text=True).stdout)
files = {t["id"]: t["filename"] for t in introspect("--targets")}
out = set()
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
report() { # report PART RC DETAIL
    local line
    if [ "$2" -eq 0 ]; then line="sanitizers: $1: ok ($3)"; else line="sanitizers: $1: FAILED ($3)"; failed=1; fi
    results+=("$line")
    echo "$line"
}

part_asan() {
    local dir=build-asan rc=0 t0=$SECONDS
    setup "$dir" -Db_sanitize=address,undefined -Db_lundef=false || { report asan 1 "configure"; return; }
    log "ASan+UBSan: building $dir"
    build_suites "$dir" unit conformance fuzz-replay cli interop hsm thread \
        || { report asan 1 "build"; return; }
    log "ASan+UBSan: unit, conformance, fuzz-replay, cli, interop, hsm and thread suites"
    # Full stacks (fast_unwind_on_malloc=0) so that leaks inside loaded
    # modules can be attributed; .ci/lsan.supp lists, with reasons, the
    # leaks that are not ours.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
    LSAN_OPTIONS="suppressions=$ROOT/.ci/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$JOBS" \
        --timeout-multiplier 3 \
        --suite unit --suite conformance --suite fuzz-replay --suite cli --suite interop \
        --suite hsm --suite thread > "$dir.test.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || tail -60 "$dir.test.log" >&2
    report asan "$rc" "$(counts "$dir/meson-logs/testlog.json"), $((SECONDS - t0))s"
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
        asan) part_asan ;;
        valgrind) part_valgrind ;;
        tsan) part_tsan ;;
        *) echo "unknown part: $p (asan, valgrind, tsan)" >&2; exit 2 ;;
    esac
done
exit "$failed"
