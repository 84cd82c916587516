#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Stands in for a test that this build cannot run (registered in its place
# by the meson.build files under tests/, see tests/meson.build): prints the
# capability that is missing and exits 77, which meson counts as skipped,
# never as passed.
#
#   skip-test.sh NAME REASON
printf '%s: SKIPPED (%s)\n' "$1" "$2"
exit 77
