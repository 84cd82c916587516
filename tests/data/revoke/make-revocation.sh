#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generates the revocation test data (tests/unit/revoke, tests/interop
# scripts) with the openssl command line: a small PKI, CRLs made by
# `openssl ca -gencrl` and OCSP responses made by `openssl ocsp -index`.
# See README.md. Run: ./make-revocation.sh [output-dir] (default: here).
#
# Keys: ECDSA P-256, signatures ECDSA with SHA-256. Certificates are valid
# 2025-01-01 .. 2035-01-01. The CRLs are current 2026-01-01 .. 2026-02-01
# (the tests validate CRLs at 2026-01-15); OCSP responses carry the time
# they were generated (tests validate them relative to producedAt).
set -eu

OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

START=20250101000000Z
END=20350101000000Z

cat > ext.cnf <<'CNF'
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/ica.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example/root
[ ca_nocrlsign ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/leaf.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example/ica
[ responder ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ responder_plain ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ responder_noeku ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# make_ca NAME: a CA database directory with its own config.
make_ca() {
    mkdir -p "$1/new"
    : > "$1/index.txt"
    echo "unique_subject = no" > "$1/index.txt.attr"
    echo 1000 > "$1/serial"
    echo 01 > "$1/crlnumber"
    cat > "$1/ca.cnf" <<CNF
[ ca ]
default_ca = testca
[ testca ]
dir = $1
database = $1/index.txt
new_certs_dir = $1/new
serial = $1/serial
crlnumber = $1/crlnumber
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
commonName = optional
organizationName = optional
[ req ]
distinguished_name = dn
[ dn ]
[ crl_ext ]
authorityKeyIdentifier = keyid
[ crl_ext_critical ]
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55738.666.1 = critical, ASN1:NULL
[ crl_ext_idp_match ]
authorityKeyIdentifier = keyid
issuingDistributionPoint = critical, @idp_match
[ idp_match ]
fullname = URI:http://crl.example/leaf.crl
onlyuser = TRUE
[ crl_ext_idp_other ]
authorityKeyIdentifier = keyid
issuingDistributionPoint = critical, @idp_other
[ idp_other ]
fullname = URI:http://crl.example/other.crl
[ crl_ext_idp_onlyuser ]
authorityKeyIdentifier = keyid
issuingDistributionPoint = critical, @idp_onlyuser
[ idp_onlyuser ]
onlyuser = TRUE
CNF
}

key() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
}

# issue NAME SUBJECT CA-DIR CA-NAME EXT-SECTION [SERIAL]
issue() {
    key "$1"
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
    [ -n "${6:-}" ] && echo "$6" > "$3/serial"
    openssl ca -batch -config "$3/ca.cnf" -cert "$4.pem" -keyfile "$4.key" \
        -in "$1.csr" -out "$1.pem" -notext -startdate $START -enddate $END \
        -extfile ext.cnf -extensions "$5" 2>/dev/null
}

make_ca rootdb
make_ca icadb
make_ca otherdb
make_ca nocrldb

key root
openssl req -new -key root.key -subj "/CN=Revocation Test Root" -out root.csr 2>/dev/null
openssl ca -batch -selfsign -config rootdb/ca.cnf -keyfile root.key -in root.csr \
    -out root.pem -notext -startdate $START -enddate $END -extfile ext.cnf -extensions root \
    2>/dev/null

issue ica "/CN=Revocation Test ICA" rootdb root ca 2000
issue ica-revoked "/CN=Revoked ICA" rootdb root ca 2001
issue leaf-good "/CN=Good Leaf" icadb ica leaf 3000
issue leaf-revoked "/CN=Revoked Leaf" icadb ica leaf 3001
issue leaf-later "/CN=Later Revoked Leaf" icadb ica leaf 3002
issue leaf-unknown "/CN=Unknown Leaf" icadb ica leaf 3003
issue responder "/CN=ICA OCSP Responder" icadb ica responder 3100
issue responder-noeku "/CN=ICA Responder Without EKU" icadb ica responder_noeku 3101
issue responder-plain "/CN=ICA Responder Without noCheck" icadb ica responder_plain 3102
issue leaf-of-revoked-ica "/CN=Leaf Of Revoked ICA" nocrldb ica-revoked leaf 5000

# A second root (same serials exist under it: wrong issuer key hash).
key other
openssl req -new -key other.key -subj "/CN=Other Root" -out other.csr 2>/dev/null
openssl ca -batch -selfsign -config otherdb/ca.cnf -keyfile other.key -in other.csr \
    -out other.pem -notext -startdate $START -enddate $END -extfile ext.cnf -extensions root \
    2>/dev/null
issue other-leaf "/CN=Other Leaf" otherdb other leaf 3001

# A CA whose keyUsage lacks cRLSign.
issue ca-nocrlsign "/CN=CA Without cRLSign" rootdb root ca_nocrlsign 2002
issue leaf-nocrlsign "/CN=Leaf Of CA Without cRLSign" nocrldb ca-nocrlsign leaf 4000

# Revocations, written into the databases with fixed dates:
# 3001 revoked 2025-12-01 keyCompromise (key compromised 2025-11-30: an
# invalidityDate); 3002 revoked 2026-01-20 (after the
# CRL validation time 2026-01-15); root revokes ICA 2001 on 2025-11-01.
revoke() { # DB SERIAL DATE REASON
    awk -v s="$2" -v d="$3" -v r="$4" 'BEGIN{FS=OFS="\t"}
        $4==s {$1="R"; $3=d (r!="" ? "," r : "")} {print}' "$1/index.txt" > "$1/index.new"
    mv "$1/index.new" "$1/index.txt"
}
revoke icadb 3001 251201000000Z keyTime,20251130000000Z
revoke icadb 3002 260120000000Z superseded
revoke icadb 3102 251215000000Z keyCompromise
revoke rootdb 2001 251101000000Z cACompromise
# 3003 is removed from the responder's index: the responder does not know it.
grep -v "	3003	" icadb/index.txt > icadb/index.new; mv icadb/index.new icadb/index.txt

gencrl() { # DB CA OUT LAST NEXT [EXTSECTION]
    openssl ca -batch -gencrl -config "$1/ca.cnf" -cert "$2.pem" -keyfile "$2.key" \
        -crl_lastupdate "$4" -crl_nextupdate "$5" -crlexts "${6:-crl_ext}" \
        -out "$3.pem" 2>/dev/null
    openssl crl -in "$3.pem" -outform DER -out "$3.der"
}
gencrl icadb ica ica-crl 20260101000000Z 20260201000000Z
gencrl rootdb root root-crl 20260101000000Z 20260201000000Z
gencrl icadb ica ica-crl-expired 20251101000000Z 20251201000000Z
gencrl icadb ica ica-crl-notyet 20260201000000Z 20260301000000Z
gencrl icadb ica ica-crl-critical 20260101000000Z 20260201000000Z crl_ext_critical
gencrl nocrldb ca-nocrlsign nocrlsign-crl 20260101000000Z 20260201000000Z
# Partitioned CRLs (issuingDistributionPoint): the leaves' distribution
# point (user certificates only); another partition; the root's CRL for
# user certificates only (does not cover the ICA).
gencrl icadb ica ica-crl-idp 20260101000000Z 20260201000000Z crl_ext_idp_match
gencrl icadb ica ica-crl-idp-other 20260101000000Z 20260201000000Z crl_ext_idp_other
gencrl rootdb root root-crl-onlyuser 20260101000000Z 20260201000000Z crl_ext_idp_onlyuser
# Bad signature: the last octet (inside the ECDSA s value) is changed.
cp ica-crl.der ica-crl-badsig.der
size=$(wc -c < ica-crl-badsig.der)
last=$(od -An -tu1 -j $((size - 1)) ica-crl-badsig.der | tr -d ' ')
printf "$(printf '\\%03o' $(( (last + 1) % 256 )))" |
    dd of=ica-crl-badsig.der bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null

# OCSP: requests by the openssl client, responses by the openssl responder.
ocsp_req() { # CERT ISSUER OUT [extra args]
    c=$1; i=$2; o=$3; shift 3
    openssl ocsp "$@" -issuer "$i.pem" -cert "$c.pem" -reqout "$o" 2>/dev/null
}
ocsp_resp() { # REQ DB CA SIGNER OUT [extra args]
    r=$1; db=$2; ca=$3; s=$4; o=$5; shift 5
    openssl ocsp -index "$db/index.txt" -CA "$ca.pem" -rsigner "$s.pem" -rkey "$s.key" \
        -reqin "$r" -respout "$o" -ndays 7 "$@" 2>/dev/null
}
ocsp_req leaf-good ica req-good.der -no_nonce
ocsp_req leaf-revoked ica req-revoked.der -no_nonce
ocsp_req leaf-unknown ica req-unknown.der -no_nonce
ocsp_req leaf-good ica req-nonce.der -nonce
ocsp_req leaf-good ica req-sha256.der -no_nonce -sha256
ocsp_req other-leaf other req-otherissuer.der -no_nonce
ocsp_resp req-good.der icadb ica responder ocsp-good.der
ocsp_resp req-revoked.der icadb ica responder ocsp-revoked.der
ocsp_resp req-unknown.der icadb ica responder ocsp-unknown.der
ocsp_resp req-nonce.der icadb ica responder ocsp-nonce.der
ocsp_resp req-sha256.der icadb ica responder ocsp-sha256.der
ocsp_resp req-good.der icadb ica ica ocsp-good-by-ca.der
ocsp_resp req-good.der icadb ica responder ocsp-good-bykey.der -resp_key_id
ocsp_resp req-good.der icadb ica responder-noeku ocsp-noeku.der
ocsp_resp req-good.der icadb ica responder ocsp-nocerts.der -resp_no_certs
# The request names Other Root's 3001: the response's CertID carries Other
# Root's name and key hashes; checked against Test ICA's 3001 it is about a
# different certificate.
ocsp_resp req-otherissuer.der icadb ica responder ocsp-otherissuer.der

for f in root ica ica-revoked leaf-good leaf-revoked leaf-later leaf-unknown responder \
         responder-noeku responder-plain other other-leaf ca-nocrlsign leaf-nocrlsign \
         leaf-of-revoked-ica; do
    cp "$f.pem" "$OUT/$f.pem"
done
for f in root ica responder responder-noeku responder-plain; do
    openssl pkcs8 -topk8 -nocrypt -in "$f.key" -out "$OUT/$f.key"
done
for f in ica-crl root-crl ica-crl-expired ica-crl-notyet ica-crl-critical nocrlsign-crl \
         ica-crl-badsig ica-crl-idp ica-crl-idp-other root-crl-onlyuser; do
    cp "$f.der" "$OUT/$f.der"
done
cp ica-crl.pem "$OUT/ica-crl.pem"
for f in ocsp-good ocsp-revoked ocsp-unknown ocsp-nonce ocsp-sha256 ocsp-good-by-ca \
         ocsp-good-bykey ocsp-noeku ocsp-nocerts ocsp-otherissuer req-nonce; do
    cp "$f.der" "$OUT/$f.der"
done
echo "revocation test data written to $OUT"
