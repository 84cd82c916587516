#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
#
# Runs `go vet` and `go test` on the Go bindings against a meson build tree
# (the meson test 'bindings-go' of the suite 'bindings'):
#
#   bindings/go/run_tests.sh BUILD_DIR [go test arguments...]
#
# The `#cgo pkg-config: trustsvc` line finds the build tree through
# BUILD_DIR/meson-uninstalled/trustsvc-uninstalled.pc; the library is found
# at run time through an rpath and LD_LIBRARY_PATH. Exits 77 (skipped) when
# no Go toolchain is installed (Debian: golang-go).
#
# A build tree whose library is built with AddressSanitizer (build-asan of
# .ci/sanitizers.sh: libtrustsvc.so needs libasan) is tested with
# `go test -asan` (Go 1.18 or later; cgo's C compiler, gcc by default, must
# be the one that built the library, so that there is one ASan runtime):
# the test binary then links the ASan runtime first, and the UBSan runtime
# comes in with libtrustsvc.so. Go 1.25 and later also scan the Go heap for
# LeakSanitizer at exit; with an older Go, leak detection is turned off
# (detect_leaks=0: LeakSanitizer would not see the Go objects that hold the
# library's handles, so every live handle would be reported). TestMemoryFlat
# is left out under ASan (said so on stderr): the RSS of an ASan process
# grows by design (freed memory waits in ASan's quarantine). LSAN_OPTIONS,
# when not set, use .ci/lsan.supp. Exits 77 when the Go toolchain has no
# -asan.
set -eu
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)

go=""
for g in "${GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go /usr/lib/go/bin/go; do
  if [ -n "$g" ] && [ -x "$g" ]; then go=$g; break; fi
done
if [ -z "$go" ]; then
  echo "SKIPPED: Go bindings: no go toolchain (Debian: golang-go)" >&2
  exit 77
fi

export PKG_CONFIG_PATH="$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export CGO_ENABLED=1
export CGO_LDFLAGS="-Wl,-rpath,$build ${CGO_LDFLAGS:-}"
export LD_LIBRARY_PATH="$build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=mod" GOPROXY=off GO111MODULE=on
export GOCACHE="${GOCACHE:-$build/bindings/go-cache}"
export GOPATH="${GOPATH:-$build/bindings/go-path}"
export TSVC_TEST_DATA="${TSVC_TEST_DATA:-$here/../../tests/data}"
cd "$here"
"$go" version
if command -v readelf >/dev/null 2>&1 &&
   readelf -d "$build/libtrustsvc.so" 2>/dev/null | grep -q 'NEEDED.*\[libasan\.so'; then
  minor=$("$go" env GOVERSION | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p')
  if [ "${minor:-0}" -lt 18 ]; then
    echo "SKIPPED: Go bindings: $build is an ASan build and $("$go" env GOVERSION) has no -asan (Go 1.18 or later)" >&2
    exit 77
  fi
  if [ -z "${LSAN_OPTIONS:-}" ] && [ -f "$here/../../.ci/lsan.supp" ]; then
    export LSAN_OPTIONS="suppressions=$(cd "$here/../../.ci" && pwd)/lsan.supp:print_suppressions=0"
  fi
  if [ "$minor" -lt 25 ]; then
    echo "note: Go before 1.25 does not scan its heap for LeakSanitizer: detect_leaks=0" >&2
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  fi
  list=$("$go" test -asan -list '.*' ./...)
  tests=$(printf '%s\n' "$list" | grep -E '^(Test|Example|Fuzz)' | grep -v -x 'TestMemoryFlat' | paste -s -d '|')
  if [ -z "$tests" ]; then
    echo "go test -list found no tests:" >&2
    printf '%s\n' "$list" >&2
    exit 1
  fi
  echo "SKIPPED under ASan: TestMemoryFlat (its RSS bound does not hold with ASan's quarantine; LeakSanitizer checks leaks at exit instead)" >&2
  set -- -asan -run "^($tests)\$" "$@"
fi
gofmt="$(dirname "$go")/gofmt"
if [ -x "$gofmt" ]; then
  unformatted=$("$gofmt" -l .)
  if [ -n "$unformatted" ]; then
    echo "gofmt: not formatted: $unformatted" >&2
    exit 1
  fi
fi
"$go" vet ./...
exec "$go" test -count=1 -v "$@" ./...
