#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Makes the x509 layer's test certificates with the openssl command line
# (OpenSSL 3.0), then the malformed catalogue with mutate.py.
#
# Keys (*.key) are made only when missing, so re-running the script keeps
# every field the unit tests check (names, serials, key identifiers,
# dates); only the ECDSA/RSA-PSS signature values change. Validity is fixed
# at 2020-01-01T00:00:00Z .. 2049-12-31T23:59:59Z through `openssl ca`
# -startdate/-enddate, so the certificates never expire in tests.
#
# usage: tests/data/x509/make-certs.sh   (from anywhere; writes beside itself)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

START=20200101000000Z
END=20491231235959Z

cat > "$work/ca.cnf" <<'CNF'
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = $ENV::TSVC_CA_DB
new_certs_dir = $ENV::TSVC_CA_NEW
serial = $ENV::TSVC_CA_SERIAL
default_md = default
policy = policy_any
unique_subject = no
email_in_dn = yes
[ policy_any ]
commonName = optional
CNF
cp "$here/extensions.cnf" "$work/ext.cnf"
mkdir -p "$work/new"
: > "$work/index.txt"
export TSVC_CA_DB="$work/index.txt" TSVC_CA_NEW="$work/new" TSVC_CA_SERIAL="$work/serial"

genkey() { # name algorithm
    [ -f "$1.key" ] && return 0
    case "$2" in
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ed25519 -out "$1.key" 2>/dev/null ;;
    esac
}

# issue OUT SUBJECT KEY SERIAL EXTSECTION [ISSUER_CERT ISSUER_KEY] ; ISSUER empty = self-signed
issue() {
    out=$1 subj=$2 key=$3 serial=$4 ext=$5 icert=${6:-} ikey=${7:-}
    echo "$serial" > "$work/serial"
    openssl req -new -key "$key" -subj "$subj" -multivalue-rdn -out "$work/req.csr"
    set -- -batch -config "$work/ca.cnf" -in "$work/req.csr" -out "$work/out.pem" \
        -startdate $START -enddate $END -preserveDN -notext ${SIGOPTS:-}
    if [ -n "$ext" ]; then
        set -- "$@" -extfile "$work/ext.cnf" -extensions "$ext"
    fi
    if [ -z "$icert" ]; then
        openssl ca "$@" -selfsign -keyfile "$key" 2> "$work/ca.log" || { cat "$work/ca.log"; exit 1; }
    else
        openssl ca "$@" -cert "$icert" -keyfile "$ikey" 2> "$work/ca.log" || { cat "$work/ca.log"; exit 1; }
    fi
    openssl x509 -in "$work/out.pem" -out "$out.pem"
    openssl x509 -in "$work/out.pem" -outform DER -out "$out.der"
}

for alg in ec rsa ed25519; do
    genkey $alg-root $alg
    genkey $alg-int $alg
    genkey $alg-leaf $alg
done

# ---- good chains -----------------------------------------------------------
issue ec-root "/C=JP/O=libtrustsvc/CN=TSVC Test ECDSA Root" ec-root.key 1001 v3_root
issue ec-int "/C=JP/O=libtrustsvc/OU=Testing/CN=TSVC Test ECDSA Intermediate" ec-int.key 1002 v3_int ec-root.pem ec-root.key
issue ec-leaf "/C=JP/ST=Tokyo/L=Chiyoda-ku/O=Example Seal KK/organizationIdentifier=NTRJP-1234567890123/CN=leaf.example.com" ec-leaf.key 1003 v3_leaf ec-int.pem ec-int.key

issue rsa-root "/C=JP/O=libtrustsvc/CN=TSVC Test RSA Root" rsa-root.key 2001 v3_root
issue rsa-int "/C=JP/O=libtrustsvc/CN=TSVC Test RSA Intermediate" rsa-int.key 2002 v3_int rsa-root.pem rsa-root.key
issue rsa-leaf "/C=JP/O=libtrustsvc/CN=rsa.example.com" rsa-leaf.key 2003 v3_leaf_simple rsa-int.pem rsa-int.key

issue ed25519-root "/C=JP/O=libtrustsvc/CN=TSVC Test Ed25519 Root" ed25519-root.key 3001 v3_root
issue ed25519-int "/C=JP/O=libtrustsvc/CN=TSVC Test Ed25519 Intermediate" ed25519-int.key 3002 v3_int ed25519-root.pem ed25519-root.key
issue ed25519-leaf "/C=JP/O=libtrustsvc/CN=device-0001" ed25519-leaf.key 3003 v3_leaf_simple ed25519-int.pem ed25519-int.key

cat ec-leaf.pem ec-int.pem ec-root.pem > ec-chain.pem
# A bundle with text before and between the blocks, and a non-certificate block.
{
    echo "# Test bundle: comments and openssl -text output before the blocks"
    echo "# Issuer: CN=TSVC Test ECDSA Root"
    openssl x509 -in ec-int.pem -text
    echo
    openssl x509 -in ec-root.pem -pubkey -noout
    cat ec-root.pem
} > bundle-with-text.pem

# RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) signed by the RSA intermediate.
SIGOPTS="-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32" \
    issue rsa-pss-leaf "/C=JP/O=libtrustsvc/CN=pss.example.com" rsa-leaf.key 2004 v3_leaf_simple rsa-int.pem rsa-int.key

# A v1 certificate (no extensions section: `openssl ca` makes v1).
issue v1-good "/C=JP/O=libtrustsvc/CN=Version One" ec-leaf.key 1004 "" ec-int.pem ec-int.key

# Special names: multi-valued RDN, characters that RFC 4514 escapes, DC/UID/email.
issue names "/DC=org/DC=example/O=Foo, Inc. \"Quoted\"+OU=R&D <lab>/CN=#hash;semi\\\\back /emailAddress=alice@example.com" ec-leaf.key 1005 v3_leaf_simple ec-int.pem ec-int.key

# ---- catalogue: what the openssl command line can make ----------------------
issue bad-unknown-critical "/C=JP/O=libtrustsvc/CN=Unknown Critical" ec-leaf.key 1010 v3_unknown_critical ec-int.pem ec-int.key
issue many-sans "/C=JP/O=libtrustsvc/CN=many.example.com" ec-leaf.key 1011 v3_many_sans ec-int.pem ec-int.key

# Explicit curve parameters in the subject key.
if [ ! -f ec-explicit.key ]; then
    openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out ec-explicit.key
fi
issue bad-explicit-curve "/C=JP/O=libtrustsvc/CN=Explicit Curve" ec-explicit.key 1012 v3_leaf_simple ec-int.pem ec-int.key

# ---- catalogue: edited DER (mutate.py re-signs with the intermediate) -------
python3 "$here/mutate.py" "$here"

echo "done: $(ls "$here"/*.der | wc -l) DER files"
