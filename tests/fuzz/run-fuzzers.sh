#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every libFuzzer target of a -Dfuzz=true build for SECONDS each.
#
#   tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS [TARGET...]
#   (./dev fuzz SECONDS builds build-fuzz with clang and calls this)
#
# Each target fuzz-NAME runs on a fresh copy of tests/fuzz/corpus/NAME
# (BUILD_DIR/fuzz-corpus/NAME; the committed corpus is never modified)
# with the OID/DER dictionary, a 10 s per-input timeout (a hang is a bug)
# and libFuzzer's final statistics. When a target crashes it is restarted
# on the same growing corpus copy for the rest of its time, so that one
# bug does not hide the next; crash, timeout, out-of-memory and leak
# inputs are kept in BUILD_DIR/crashes/NAME/. One line per target:
#
#   fuzz NAME: N execs, cov: C ft: F, K crashes
#
# and the exit status is non-zero if any target crashed.
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
    exit 2
fi
build="$(cd "$1" && pwd)"
seconds="$2"
shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dict="$here/oid.dict"
max_restarts=20

targets=()
if [ $# -gt 0 ]; then
    targets=("$@")
else
    for bin in "$build"/tests/fuzz/fuzz-*; do
        name="$(basename "$bin")"
        case "$name" in fuzz-replay-*) continue ;; esac
        [ -f "$bin" ] && [ -x "$bin" ] || continue
        targets+=("${name#fuzz-}")
    done
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "no fuzz targets in $build/tests/fuzz (configure with -Dfuzz=true)" >&2
    exit 2
fi

failed=0
for t in "${targets[@]}"; do
    bin="$build/tests/fuzz/fuzz-$t"
    if [ ! -x "$bin" ]; then
        echo "fuzz $t: no binary $bin" >&2
        failed=1
        continue
    fi
    corpus="$build/fuzz-corpus/$t"
    crashes="$build/crashes/$t"
    logdir="$build/fuzz-logs"
    rm -rf "$corpus"
    mkdir -p "$corpus" "$crashes" "$logdir"
    if [ -d "$here/corpus/$t" ]; then
        cp "$here/corpus/$t"/* "$corpus"/ 2>/dev/null || true
    fi
    before_list="$(find "$crashes" -type f | sort)"
    before=$(find "$crashes" -type f | wc -l)

    execs=0
    cov="?"
    ft="?"
    log="$logdir/$t.log"
    : > "$log"
    start=$(date +%s)
    restarts=0
    while :; do
        left=$(( seconds - ($(date +%s) - start) ))
        [ "$left" -ge 1 ] || break
        one="$logdir/$t.run.log"
        "$bin" -max_total_time="$left" -dict="$dict" -print_final_stats=1 -close_fd_mask=3 \
            -timeout=10 -artifact_prefix="$crashes/" "$corpus" > "$one" 2>&1
        rc=$?
        cat "$one" >> "$log"
        n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$one" | tail -1)
        execs=$(( execs + ${n:-0} ))
        line=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$one" | tail -1)
        if [ -n "$line" ]; then
            cov=$(sed -E 's/.*cov: ([0-9]+).*/\1/' <<<"$line")
            ft=$(sed -E 's/.*ft: ([0-9]+).*/\1/' <<<"$line")
        fi
        [ "$rc" -eq 0 ] && break
        restarts=$(( restarts + 1 ))
        if [ "$restarts" -ge "$max_restarts" ]; then
            echo "fuzz $t: stopped after $restarts crashes" >&2
            break
        fi
        # A failure that left no artifact (e.g. a broken binary) would loop.
        if [ "$(find "$crashes" -type f | wc -l)" -eq "$before" ]; then
            echo "fuzz $t: exit status $rc without a crash input; see $log" >&2
            failed=1
            break
        fi
    done
    after=$(find "$crashes" -type f | wc -l)
    found=$(( after - before ))
    [ "$found" -eq 0 ] || failed=1
    line="fuzz $t: $execs execs, cov: $cov ft: $ft, $found crashes"
    echo "$line"
    if [ "$found" -gt 0 ]; then
        comm -13 <(echo "$before_list") <(find "$crashes" -type f | sort) | sed 's/^/    /'
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "fuzzing found crashes (inputs under $build/crashes/; logs under $build/fuzz-logs/)" >&2
fi
exit "$failed"
