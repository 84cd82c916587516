#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generates the certificates of the key and signature-algorithm tests of
# the server/client profiles (tests/unit/path, webpki_keys_and_hashes)
# with the openssl command line: what the library's own certificate
# builder refuses to make (RSA keys under 2048 bits or of an odd size,
# SHA-1 signatures). See README.md.
#
# Validity 2020-01-01 .. 2040-01-01; the tests validate at 2025-01-01.
# Run from anywhere: ./make-webpki.sh [output-dir] (default: this folder).
set -eu

# The work folder, the openssl ca database and ca.cnf (shared with make-chains.sh).
. "$(dirname "$0")/ca-workdir.sh"

cat > ext.cnf <<'CNF'
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:example.com
CNF

rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" -out "$1.key" 2>/dev/null; }
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# issue NAME SUBJECT KEY ISSUER ISSUER_KEY EXT DIGEST (ISSUER "self": self-signed)
issue() {
    openssl req -new -config ca.cnf -key "$3.key" -subj "$2" -out "$1.csr"
    if [ "$4" = self ]; then
        set -- "$@" -selfsign
    else
        set -- "$@" -cert "$4.pem"
    fi
    name=$1 k=$5 ext=$6 md=$7
    shift 7
    openssl ca -batch -config ca.cnf "$@" -keyfile "$k.key" -in "$name.csr" -out "$name.pem" \
        -startdate "$START" -enddate "$END" -extfile ext.cnf -extensions "$ext" -md "$md" \
        -rand_serial -notext -preserveDN 2>ca.log || { cat ca.log >&2; exit 1; }
}

rsa rsaroot 2048
rsa weakroot 1024
rsa rsa1024 1024
rsa rsa2052 2052
ec ecleaf

issue rsa-root "/CN=Test RSA Root" rsaroot self rsaroot root sha256
issue rsa1024-root "/CN=Test Weak RSA Root" weakroot self weakroot root sha256

issue leaf-rsa-ok "/CN=leaf" ecleaf rsa-root rsaroot leaf sha256
issue leaf-rsa1024 "/CN=leaf" rsa1024 rsa-root rsaroot leaf sha256
issue leaf-rsa2052 "/CN=leaf" rsa2052 rsa-root rsaroot leaf sha256
issue leaf-sha1 "/CN=leaf" ecleaf rsa-root rsaroot leaf sha1
issue leaf-weakroot "/CN=leaf" ecleaf rsa1024-root weakroot leaf sha256

for f in rsa-root rsa1024-root leaf-rsa-ok leaf-rsa1024 leaf-rsa2052 leaf-sha1 leaf-weakroot; do
    cp "$f.pem" "$OUT/$f.pem"
done
echo "wrote 7 certificates to $OUT"
