#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Writes the seed corpora of the DER and PEM fuzz targets, then runs
# make-seeds.py for the time, oid, name, pubkey, key, x509 and path targets.
#   tests/fuzz/make-seeds.sh            (from the repository root)
# The small DER/BER seeds are written byte by byte from X.690; the
# certificate-like seeds are made with the OpenSSL command line (fresh
# keys each run, so re-running changes those files; that is harmless).
set -eu
cd "$(dirname "$0")"
der=corpus/der
pem=corpus/pem
mkdir -p "$der" "$pem"

bytes() { printf "$1" > "$2"; }

# --- DER / BER ---------------------------------------------------------
bytes '\060\003\002\001\005'                       "$der/seq-int.der"
bytes '\061\017\001\001\377\002\001\001\002\001\005\002\002\001\054\004\000' "$der/set-of-sorted.der"
bytes '\061\006\002\001\002\002\001\001'           "$der/set-of-unsorted.der"
bytes '\006\011\052\206\110\206\367\015\001\001\013' "$der/oid-sha256-rsa.der"
bytes '\060\200\002\001\005\005\000\000\000'       "$der/ber-indefinite-seq.ber"
bytes '\044\200\004\002\252\273\004\001\314\000\000' "$der/ber-constructed-octets.ber"
bytes '\043\010\003\002\000\377\003\002\004\360'   "$der/ber-constructed-bits.ber"
bytes '\027\015491231235959Z'                      "$der/utctime.der"
bytes '\030\02220240229120000.12Z'                 "$der/gentime-frac.der"
bytes '\003\002\002\204\001\001\001\002\002\000\177' "$der/bad-values.der"
bytes '\237\037\000\277\201\000\000'               "$der/high-tags.der"
bytes '\060\204\000\000\000\003\002\001\005'       "$der/ber-long-length.ber"

# A self-signed Ed25519 certificate and a certificate request, as DER and PEM.
if command -v openssl >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    openssl genpkey -algorithm ed25519 -out "$tmp/key.pem" 2>/dev/null
    openssl req -x509 -key "$tmp/key.pem" -subj "/C=JP/O=Seed/CN=seed.example" \
        -days 1 -outform DER -out "$der/cert-ed25519.der" 2>/dev/null
    openssl req -new -key "$tmp/key.pem" -subj "/CN=seed" \
        -outform DER -out "$der/csr-ed25519.der" 2>/dev/null
    openssl x509 -inform DER -in "$der/cert-ed25519.der" -out "$pem/cert.pem"
    openssl req -inform DER -in "$der/csr-ed25519.der" -out "$pem/csr.pem"
    openssl pkey -in "$tmp/key.pem" -pubout -out "$pem/pubkey.pem"
    { echo "text before"; cat "$pem/cert.pem"; echo "between"; cat "$pem/pubkey.pem"; } \
        > "$pem/two-blocks.pem"
else
    echo "openssl not found: certificate seeds not written" >&2
fi

# --- PEM / base64 ------------------------------------------------------
printf -- '-----BEGIN X-----\nMAMCAQU=\n-----END X-----\n'          > "$pem/small.pem"
printf -- '-----BEGIN X-----\r\nZm9v\r\nYmFy\r\n-----END X-----\r\n'  > "$pem/crlf.pem"
printf -- '-----BEGIN A-----\nZm9v\n-----END B-----\n'               > "$pem/wrong-label.pem"
printf -- '-----BEGIN X-----\nZm9$\n-----END X-----\n'               > "$pem/bad-base64.pem"
printf -- '-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nZm9v\n-----END X-----\n' > "$pem/headers.pem"
printf -- '-----BEGIN X-----\nZm9v\n'                               > "$pem/no-end.pem"
printf -- 'Zm9vYmFy'                                                 > "$pem/base64.txt"
printf -- '-----BEGIN X-----\nZm9v\n-----END X-----'                 > "$pem/no-final-newline.pem"

# --- the other targets (time, oid, name, pubkey, key, x509, path) -------
# Deterministic, from the committed test data; see make-seeds.py.
python3 ./make-seeds.py
