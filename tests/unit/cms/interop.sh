#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# OpenSSL interop, both ways (suite 'interop'):
#   our signatures verify with `openssl cms -verify` (attached, detached with
#   -binary, RSA PKCS#1 v1.5, RSA-PSS, ECDSA, subjectKeyIdentifier, SHA-384/512,
#   seal), and `openssl cms -sign -cades` output (attached, detached, -stream
#   BER, ECDSA, two signers) verifies with ours; tampering is caught.
# Usage: interop.sh CMS-TOOL SOURCE-ROOT
set -eu
TOOL=$1
D=$2/tests/data/cms
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
OSSL=${OPENSSL:-openssl}
if ! command -v "$OSSL" >/dev/null 2>&1; then
    echo "openssl not found: skipped"; exit 77
fi
fails=0
ok() { echo "ok   - $1"; }
bad() { echo "FAIL - $1"; fails=$((fails + 1)); }
C=$D/content.txt

ossl_verify() { # name cms [detached]
    if [ "${3:-}" = detached ]; then
        set -- "$1" "$2" -content "$C"
    else
        set -- "$1" "$2"
    fi
    name=$1; f=$2; shift 2
    if "$OSSL" cms -verify -inform DER -in "$f" -binary -CAfile "$D/root.pem" "$@" \
        -out "$W/out.txt" 2>"$W/err.txt" && cmp -s "$W/out.txt" "$C"; then
        ok "openssl verifies ours: $name"
    else
        bad "openssl verifies ours: $name ($(cat "$W/err.txt" | head -3))"
    fi
}

ours_sign() { # name key cert out flags...
    name=$1; k=$2; c=$3; o=$4; shift 4
    "$TOOL" sign "$D/$k" "$D/$c" "$D/ca.pem" "$C" "$W/$o" "$@" || bad "ours signs: $name"
}

ours_sign rsa signer-rsa.key signer-rsa.pem rsa.der
ossl_verify "RSA PKCS#1 attached" "$W/rsa.der"
ours_sign rsa-det signer-rsa.key signer-rsa.pem rsa-det.der detached
ossl_verify "RSA PKCS#1 detached" "$W/rsa-det.der" detached
ours_sign pss signer-rsa.key signer-rsa.pem pss.der pss sha384
ossl_verify "RSA-PSS SHA-384 attached" "$W/pss.der"
ours_sign ec signer-ec.key signer-ec.pem ec.der ski detached
ossl_verify "ECDSA P-256 SKI detached" "$W/ec.der" detached
ours_sign ec512 signer-ec.key signer-ec.pem ec512.der sha512
ossl_verify "ECDSA SHA-512 attached" "$W/ec512.der"
ours_sign seal seal.key seal.pem seal.der seal
ossl_verify "e-seal attached" "$W/seal.der"
# Ed25519 (RFC 8419: digest SHA-512, id-Ed25519 without parameters): OpenSSL
# 3.0's CMS cannot sign or verify it ("no default digest" / "invalid digest"),
# so only the structure is checked here; our own round trip is a unit test.
ours_sign ed signer-ed.key signer-ed.pem ed.der iot
if "$OSSL" cms -cmsout -print -inform DER -in "$W/ed.der" 2>/dev/null |
    grep -q "ED25519"; then
    ok "openssl reads ours: Ed25519 (IoT policy) structure"
else
    bad "openssl reads ours: Ed25519 structure"
fi

ossl_sign() { # name out signer key flags...
    name=$1; o=$2; s=$3; k=$4; shift 4
    "$OSSL" cms -sign -cades -binary -in "$C" -signer "$D/$s" -inkey "$D/$k" \
        -certfile "$D/ca.pem" -outform DER -out "$W/$o" "$@" 2>"$W/err.txt" ||
        bad "openssl signs: $name"
}
ours_verify() { # name cms [content] [flags]
    name=$1; shift
    if "$TOOL" verify "$@" >"$W/report.json"; then
        ok "ours verifies openssl: $name"
    else
        bad "ours verifies openssl: $name ($(head -c 300 "$W/report.json"))"
    fi
}

ossl_sign attached o-att.der signer-rsa.pem signer-rsa.key -nodetach
ours_verify "RSA attached" "$W/o-att.der" "$D/root.pem"
ossl_sign detached o-det.der signer-rsa.pem signer-rsa.key
ours_verify "RSA detached" "$W/o-det.der" "$D/root.pem" "$C"
ossl_sign stream o-ber.der signer-ec.pem signer-ec.key -nodetach -stream
ours_verify "ECDSA -stream (BER)" "$W/o-ber.der" "$D/root.pem"
ossl_sign pss o-pss.der signer-rsa.pem signer-rsa.key -nodetach -md sha512 \
    -keyopt rsa_padding_mode:pss
ours_verify "RSA-PSS SHA-512" "$W/o-pss.der" "$D/root.pem"
ossl_sign ski o-ski.der signer-ec.pem signer-ec.key -keyid -md sha384
ours_verify "ECDSA keyid SHA-384 detached" "$W/o-ski.der" "$D/root.pem" "$C"
ossl_sign seal o-seal.der seal.pem seal.key -nodetach
ours_verify "e-seal profile" "$W/o-seal.der" "$D/root.pem" seal
"$OSSL" cms -sign -cades -binary -in "$C" -signer "$D/signer-rsa.pem" \
    -inkey "$D/signer-rsa.key" -signer "$D/signer-ec.pem" -inkey "$D/signer-ec.key" \
    -certfile "$D/ca.pem" -outform DER -out "$W/o-two.der" 2>/dev/null || bad "openssl two signers"
ours_verify "two signers detached" "$W/o-two.der" "$D/root.pem" "$C"

# Tampering, caught by ours.
printf 'tampered' > "$W/other.txt"
if "$TOOL" verify "$W/o-det.der" "$D/root.pem" "$W/other.txt" >"$W/report.json"; then
    bad "ours refuses openssl's signature over other content"
elif grep -q '"HASH_FAILURE"' "$W/report.json"; then
    ok "ours: other content gives HASH_FAILURE"
else
    bad "ours: other content ($(head -c 300 "$W/report.json"))"
fi
# ...and by OpenSSL on ours.
if "$OSSL" cms -verify -inform DER -in "$W/rsa-det.der" -content "$W/other.txt" -binary \
    -CAfile "$D/root.pem" -out /dev/null 2>/dev/null; then
    bad "openssl refuses ours over other content"
else
    ok "openssl refuses ours over other content"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all interop checks passed"
