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
