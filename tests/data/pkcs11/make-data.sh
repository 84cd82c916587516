#!/bin/sh
# Makes the committed test data of tests/unit/pkcs11 with the openssl CLI.
# openssl-req.pem: a P-256 certificate request with subjectAltName (DNS,
# e-mail), keyUsage digitalSignature (critical) and extendedKeyUsage
# emailProtection, as `openssl req` writes it (the key is thrown away).
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/key.pem"
openssl req -new -key "$tmp/key.pem" -subj "/C=JP/O=Example KK/CN=openssl request" \
  -addext "subjectAltName=DNS:req.example.jp,email:req@example.jp" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=emailProtection" -out openssl-req.pem
