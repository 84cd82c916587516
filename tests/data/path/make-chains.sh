#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generates the certificate chains of the path-validation unit tests
# (tests/unit/path) with the openssl command line. See README.md.
#
# All certificates use ECDSA P-256 with SHA-256. Default validity is
# 2020-01-01 .. 2040-01-01; the tests validate at 2025-01-01T00:00:00Z.
# Run from anywhere: ./make-chains.sh [output-dir] (default: this folder).
set -eu

# The work folder, the openssl ca database and ca.cnf (shared with make-webpki.sh).
. "$(dirname "$0")/ca-workdir.sh"

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
[ ca_pathlen0 ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca_nokcs ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca_false ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca_nc_dns_permit ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;DNS:example.com
[ ca_nc_dns_other ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;DNS:example.org
[ ca_nc_dns_exclude ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, excluded;DNS:example.com
[ ca_nc_email_permit ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;email:example.com
[ ca_nc_email_exclude ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, excluded;email:user@example.com
[ ca_nc_ip_permit ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;IP:192.0.2.0/255.255.255.0
[ ca_nc_ip_exclude ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, excluded;IP:192.0.2.0/255.255.255.0
[ ca_nc_dn_permit ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;dirName:dn_testorg
[ ca_nc_dn_exclude ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, excluded;dirName:dn_testorg
[ dn_testorg ]
O = Test Org
[ ca_policy_required ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 1.3.6.1.4.1.55555.1
policyConstraints = critical, requireExplicitPolicy:0
[ ca_nc_many ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, @nc_many
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:example.com
[ leaf_policy ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:example.com
certificatePolicies = 1.3.6.1.4.1.55555.1
[ leaf_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:example.com
[ leaf_email ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = email:user@example.com
[ leaf_ip ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:192.0.2.1
[ leaf_many ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = @san_many
[ leaf_unknown_critical ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:example.com
1.3.6.1.4.1.55555.99 = critical, DER:05:00
CNF

# 2048 SANs and 2048 permitted DNS subtrees that never match them: every
# pair is compared, which the comparison budget (2^20) must stop.
{
    echo "[ san_many ]"
    i=0
    while [ $i -lt 2048 ]; do echo "DNS.$i = h$i.example.net"; i=$((i + 1)); done
    echo "[ nc_many ]"
    i=0
    while [ $i -lt 2048 ]; do echo "permitted;DNS.$i = z$i.example.org"; i=$((i + 1)); done
} >> ext.cnf

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# issue NAME SUBJECT KEY ISSUER_NAME EXT [START END]
# ISSUER_NAME "self" makes a self-signed certificate.
issue() {
    name=$1 subj=$2 k=$3 issuer=$4 ext=$5 s=${6:-$START} e=${7:-$END}
    openssl req -new -config ca.cnf -key "$k.key" -subj "$subj" -out "$name.csr"
    if [ "$issuer" = self ]; then
        openssl ca -batch -config ca.cnf -selfsign -keyfile "$k.key" -in "$name.csr" \
            -out "$name.pem" -startdate "$s" -enddate "$e" -extfile ext.cnf \
            -extensions "$ext" -rand_serial -notext -preserveDN 2>ca.log || { cat ca.log >&2; exit 1; }
    else
        openssl ca -batch -config ca.cnf -cert "$issuer.pem" -keyfile "$(cat "$issuer.keyname").key" \
            -in "$name.csr" -out "$name.pem" -startdate "$s" -enddate "$e" -extfile ext.cnf \
            -extensions "$ext" -rand_serial -notext -preserveDN 2>ca.log || { cat ca.log >&2; exit 1; }
    fi
    echo "$k" > "$name.keyname"
}

for k in root root2 rootother ica ica2 icanew cyca cycb leaf; do key $k; done

issue root "/CN=Test Root" root self root
issue root2 "/CN=Test Root 2" root2 self root
issue root-otherkey "/CN=Test Root" rootother self root

issue ica "/CN=Test ICA" ica root ca
issue ica-expired "/CN=Test ICA" ica root ca 20200101000000Z 20210101000000Z
issue ica-notyet "/CN=Test ICA" ica root ca 20300101000000Z 20400101000000Z
issue ica-nokcs "/CN=Test ICA" ica root ca_nokcs
issue ica-cafalse "/CN=Test ICA" ica root ca_false
issue ica-pathlen0 "/CN=Test ICA" ica root ca_pathlen0
issue ica-nc-dns-permit "/CN=Test ICA" ica root ca_nc_dns_permit
issue ica-nc-dns-other "/CN=Test ICA" ica root ca_nc_dns_other
issue ica-nc-dns-exclude "/CN=Test ICA" ica root ca_nc_dns_exclude
issue ica-nc-email-permit "/CN=Test ICA" ica root ca_nc_email_permit
issue ica-nc-email-exclude "/CN=Test ICA" ica root ca_nc_email_exclude
issue ica-nc-ip-permit "/CN=Test ICA" ica root ca_nc_ip_permit
issue ica-nc-ip-exclude "/CN=Test ICA" ica root ca_nc_ip_exclude
issue ica-nc-dn-permit "/CN=Test ICA" ica root ca_nc_dn_permit
issue ica-nc-dn-exclude "/CN=Test ICA" ica root ca_nc_dn_exclude
issue ica-nc-many "/CN=Test ICA" ica root ca_nc_many
issue ica-policy-required "/CN=Test ICA" ica root ca_policy_required

# A cross-certificate: Test Root's key and name, issued by Test Root 2.
issue cross-root "/CN=Test Root" root root2 ca

# Below Test ICA: a second CA (pathLen test) and a self-issued key rollover.
issue ica2 "/CN=Test ICA 2" ica2 ica ca
issue ica-rollover "/CN=Test ICA" icanew ica ca

# Two CAs that certify each other: a cycle that never reaches a root.
issue cyca-tmp "/CN=Cycle A" cyca self root
issue cycb "/CN=Cycle B" cycb cyca-tmp ca
issue cyca "/CN=Cycle A" cyca cycb ca

issue leaf "/O=Test Org/CN=leaf" leaf ica leaf
issue leaf-expired "/O=Test Org/CN=leaf" leaf ica leaf 20200101000000Z 20210101000000Z
issue leaf-notyet "/O=Test Org/CN=leaf" leaf ica leaf 20300101000000Z 20400101000000Z
issue leaf-policy "/O=Test Org/CN=leaf" leaf ica leaf_policy
issue leaf-client "/O=Test Org/CN=leaf" leaf ica leaf_client
issue leaf-email "/O=Test Org/CN=leaf" leaf ica leaf_email
issue leaf-ip "/O=Test Org/CN=leaf" leaf ica leaf_ip
issue leaf-otherorg "/O=Other Org/CN=leaf" leaf ica leaf
issue leaf-many "/O=Test Org/CN=leaf" leaf ica leaf_many
issue leaf-critical "/O=Test Org/CN=leaf" leaf ica leaf_unknown_critical
issue leaf-ica2 "/O=Test Org/CN=leaf" leaf ica2 leaf
issue leaf-rollover "/O=Test Org/CN=leaf" leaf ica-rollover leaf
issue leaf-cycle "/O=Test Org/CN=leaf" leaf cyca leaf

# A leaf whose signature is damaged: the last byte of the DER (inside the
# ECDSA s value) is flipped.
openssl x509 -in leaf.pem -outform DER -out leaf.der
python3 - <<'PY'
data = bytearray(open("leaf.der", "rb").read())
data[-1] ^= 0x01
open("leaf-badsig.der", "wb").write(bytes(data))
PY
openssl x509 -inform DER -in leaf-badsig.der -out leaf-badsig.pem 2>/dev/null

for f in root root2 root-otherkey ica ica-expired ica-notyet ica-nokcs ica-cafalse \
         ica-pathlen0 ica-nc-dns-permit ica-nc-dns-other ica-nc-dns-exclude \
         ica-nc-email-permit ica-nc-email-exclude ica-nc-ip-permit ica-nc-ip-exclude \
         ica-nc-dn-permit ica-nc-dn-exclude ica-nc-many ica-policy-required cross-root \
         ica2 ica-rollover cycb cyca leaf leaf-expired leaf-notyet leaf-policy leaf-client \
         leaf-email leaf-ip leaf-otherorg leaf-many leaf-critical leaf-ica2 leaf-rollover \
         leaf-cycle leaf-badsig; do
    cp "$f.pem" "$OUT/$f.pem"
done
echo "wrote $(ls "$OUT"/*.pem | wc -l) certificates to $OUT"
