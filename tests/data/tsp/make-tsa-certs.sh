#!/usr/bin/env bash
# Makes the TSA test certificates and keys of tests/data/tsp with the
# openssl CLI (run from anywhere; writes next to this script):
#
#   root.pem / root.key              test root CA (P-256)
#   tsa-ec.pem / tsa-ec.key          TSA, P-256, EKU critical, only id-kp-timeStamping
#   tsa-rsa.pem / tsa-rsa.key        TSA, RSA-2048, EKU critical, only id-kp-timeStamping
#   tsa-noncrit.pem / .key           TSA whose EKU timeStamping is NOT critical (must be refused)
#   tsa-multi.pem / .key             TSA whose critical EKU also lists serverAuth (must be refused)
#   tsa-noeku.pem / .key             TSA without any EKU (must be refused)
#   other-root.pem                   an unrelated root (for "no chain" tests)
#
# Validity: 20 years from the day the script runs (the unit tests use
# times inside 2026-11-01 .. 2045-01-01, so regenerate only with care).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

days=7300
subj_root="/C=JP/O=libtrustsvc tests/CN=TSP Test Root"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key
cat > "$tmp/root.cnf" <<'CNF'
[req]
distinguished_name = dn
[dn]
[v3_root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
openssl req -new -x509 -key root.key -subj "$subj_root" -days "$days" -sha256 \
  -config "$tmp/root.cnf" -extensions v3_root -set_serial 1 -out root.pem

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/other.key"
openssl req -new -x509 -key "$tmp/other.key" -subj "/C=JP/O=libtrustsvc tests/CN=Other Root" \
  -days "$days" -sha256 -config "$tmp/root.cnf" -extensions v3_root -set_serial 1 -out other-root.pem

cat > "$tmp/tsa.cnf" <<'CNF'
[good]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[noncrit]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[multi]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping, serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[noeku]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

serial=10
issue() { # name keyalg-args section cn
  local name="$1" section="$3" cn="$4"
  # shellcheck disable=SC2086
  openssl genpkey $2 -out "$name.key"
  openssl req -new -key "$name.key" -subj "/C=JP/O=libtrustsvc tests/CN=$cn" -out "$tmp/$name.csr"
  openssl x509 -req -in "$tmp/$name.csr" -CA root.pem -CAkey root.key -set_serial "$serial" \
    -days "$days" -sha256 -extfile "$tmp/tsa.cnf" -extensions "$section" -out "$name.pem"
  serial=$((serial + 1))
}
issue tsa-ec "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" good "Test TSA P-256"
issue tsa-rsa "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" good "Test TSA RSA"
issue tsa-noncrit "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" noncrit "Test TSA non-critical EKU"
issue tsa-multi "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" multi "Test TSA two EKUs"
issue tsa-noeku "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" noeku "Test TSA no EKU"
echo "made the TSA test certificates in $(pwd)"
