#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# usage: interop.sh TEST_LTV
# Runs the long-term unit test with TSVC_LTV_OUT so that it writes its
# signatures (B-LT with CRLs in SignedData.crls, B-LTA with archive
# time-stamps v3, ES-XL with ES-C references and value attributes, ES-A
# with archive time-stamps v2, each renewed once), then checks each with
# openssl cms -verify against the test root, at a time inside the signer's
# validity (the timeline starts 2026-01-01).
set -euo pipefail
gen="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
TSVC_LTV_OUT="$dir" "$gen" > "$dir/test.log" 2>&1 || { cat "$dir/test.log"; exit 1; }
openssl x509 -inform DER -in "$dir/root.der" -out "$dir/root.pem"
attime=1767312000 # 2026-01-02T00:00:00Z
fail=0
check() {
    local name="$1" expect="$2"
    if [ ! -s "$dir/$name" ]; then
        echo "FAIL $name: not written"; fail=1; return
    fi
    if openssl cms -verify -binary -inform DER -in "$dir/$name" -CAfile "$dir/root.pem" \
        -purpose any -attime "$attime" -out "$dir/$name.txt" 2> "$dir/$name.err"; then
        if [ "$(cat "$dir/$name.txt")" = "$expect" ]; then
            echo "ok   $name"
        else
            echo "FAIL $name: content differs"; fail=1
        fi
    else
        echo "FAIL $name:"; cat "$dir/$name.err"; fail=1
    fi
}
check b-lt.p7s "revoked after"
check b-lta-1.p7s "archive"
check b-lta.p7s "archive"
check b-lt-ocsp.p7s "ocsp"
check es-xl.p7s "jis"
check es-a.p7s "archive"
# The archive's own structure as openssl sees it: CRLs and unsigned attributes.
openssl cms -cmsout -print -inform DER -in "$dir/b-lt.p7s" > "$dir/b-lt.print"
grep -q "crls:" "$dir/b-lt.print" || { echo "FAIL b-lt: no crls field"; fail=1; }
openssl cms -cmsout -print -inform DER -in "$dir/b-lta.p7s" > "$dir/b-lta.print"
[ "$(grep -c 'object: 0.4.0.1733.2.4\|object: id-aa-ets-archiveTimestampV3\|0.4.0.1733.2.4' "$dir/b-lta.print")" -ge 2 ] ||
    { echo "FAIL b-lta: two archive-time-stamp-v3 attributes expected"; fail=1; }
exit $fail
