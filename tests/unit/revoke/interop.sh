#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Interop in both directions with the openssl command line:
#  - our CRL passes `openssl crl -verify` and lists the revoked serial;
#  - our OCSP responses (by the CA and by a delegated responder) pass
#    `openssl ocsp -respin ... -CAfile / -verify_other` with the right status;
#  - openssl's responder answers our OCSP request and we verify its answer.
# (openssl-made CRLs and responses are verified by the unit tests.)
# Usage: interop.sh GENERATOR DATA-DIR
set -eu
GEN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$(cd "$2" && pwd)
if ! command -v openssl >/dev/null 2>&1; then
    echo "interop: SKIPPED -- no openssl command"
    exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$GEN" "$DATA" "$WORK"
cd "$WORK"
cat "$DATA/root.pem" "$DATA/ica.pem" > chain.pem
fail() { echo "interop: FAIL: $*"; exit 1; }

openssl crl -inform DER -in ours-crl.der -CAfile "$DATA/ica.pem" -noout -verify 2>&1 |
    grep -q "verify OK" || fail "openssl crl -verify refused our CRL"
openssl crl -inform DER -in ours-crl.der -noout -text > crl.txt
grep -q "Serial Number: 3001" crl.txt || fail "revoked serial not in our CRL"
grep -q "Key Compromise" crl.txt || fail "reason not in our CRL"
grep -q "X509v3 CRL Number" crl.txt || fail "no CRL number"
echo "interop: openssl crl -verify accepts our CRL"

check_ocsp() { # RESP CERT EXPECTED [extra args]
    r=$1; c=$2; want=$3; shift 3
    out=$(openssl ocsp -respin "$r" -issuer "$DATA/ica.pem" "$@" -cert "$DATA/$c" \
          -CAfile chain.pem -no_nonce 2>&1) || fail "openssl ocsp failed on $r: $out"
    echo "$out" | grep -q "Response verify OK" || fail "$r: no 'Response verify OK': $out"
    echo "$out" | grep -q "$c: $want" || fail "$r: expected $want: $out"
    echo "interop: openssl ocsp verifies $r ($want)"
}
check_ocsp ours-ocsp-good-ca.der leaf-good.pem good
check_ocsp ours-ocsp-revoked-ca.der leaf-revoked.pem revoked
# The delegated responses use SHA-256 CertIDs and a responderID by key.
check_ocsp ours-ocsp-good-delegated.der leaf-good.pem good \
    -verify_other "$DATA/responder.pem" -sha256
check_ocsp ours-ocsp-revoked-delegated.der leaf-revoked.pem revoked \
    -verify_other "$DATA/responder.pem" -sha256
openssl ocsp -respin ours-ocsp-revoked-ca.der -resp_text -noverify 2>/dev/null |
    grep -q "keyCompromise" || fail "reason missing in our OCSP response"

# openssl's responder answers our request.
printf 'V\t350101000000Z\t\t3000\tunknown\t/CN=Good Leaf\n' > index.txt
openssl ocsp -index index.txt -CA "$DATA/ica.pem" -rsigner "$DATA/responder.pem" \
    -rkey "$DATA/responder.key" -reqin ours-req.der -respout theirs.der -ndays 1 \
    >/dev/null 2>&1 || fail "openssl ocsp could not answer our request"
openssl ocsp -reqin ours-req.der -req_text 2>/dev/null | grep -q "Serial Number: 3000" ||
    fail "openssl cannot read our request"
"$GEN" "$DATA" check theirs.der || fail "we refused openssl's answer to our request"
echo "interop: PASS"
