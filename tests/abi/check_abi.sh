#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Compares the built libtrustsvc.so.0 with the committed abidw baseline.
# Fails on removed or changed symbols and types (abidiff exit bits 4 and 8);
# additions are reported but allowed. Exit 77 (skipped) without abidiff.
#
# usage: check_abi.sh BASELINE.abi SHARED_LIBRARY PUBLIC_HEADERS_DIR
#        check_abi.sh --update BASELINE.abi SHARED_LIBRARY PUBLIC_HEADERS_DIR
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
baseline="$1"; lib="$2"; headers="$3"
if ! command -v abidiff >/dev/null 2>&1; then
  echo "abi: SKIPPED (abidiff not installed: apt-get install abigail-tools)"
  exit 77
fi
if [ "$update" = 1 ]; then
  abidw --headers-dir "$headers" --no-corpus-path "$lib" > "$baseline"
  echo "abi: baseline written to $baseline"
  exit 0
fi
if [ ! -f "$baseline" ]; then
  echo "abi: FAILED (no baseline at $baseline)"
  exit 1
fi
abidiff --headers-dir2 "$headers" "$baseline" "$lib"
rc=$?
# abidiff: bit 1 error, bit 2 usage, bit 4 ABI change, bit 8 incompatible change.
if [ $((rc & 3)) -ne 0 ]; then echo "abi: abidiff failed to run ($rc)"; exit 1; fi
if [ $((rc & 8)) -ne 0 ]; then echo "abi: FAILED: incompatible change (removed or changed symbols/types)"; exit 1; fi
if [ $((rc & 4)) -ne 0 ]; then
  # Changes that are not incompatible (additions) still need a look.
  if abidiff --no-added-syms --headers-dir2 "$headers" "$baseline" "$lib" >/dev/null; then
    echo "abi: OK (only additions; update the baseline on purpose with ./dev abi-update)"
    exit 0
  fi
  echo "abi: FAILED: ABI changed"
  exit 1
fi
echo "abi: OK (identical to the baseline)"
exit 0
