#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates the CMS / CAdES / e-seal test data with the OpenSSL 3.0 CLI.
# Run from this directory: ./make-cms-data.sh   (the outputs are committed)
#
# root (RSA-2048, self-signed) -> ca (RSA-2048) -> leaves:
#   signer-rsa     person, RSA-2048, nonRepudiation
#   signer-rsa2    same key as signer-rsa, other serial (the "swapped" cert)
#   signer-ec      person, ECDSA P-256, digitalSignature
#   signer-ed      device, Ed25519 (IoT profile)
#   signer-weak    RSA-1024 (refused by the default algorithm policy)
#   seal           organisation: O=, organizationIdentifier NTRJP-7000012050002,
#                  QC statements (QcCompliance, QcType eseal, legal-person semantics)
#   seal-badnum    organisation with a corporate number whose check digit is wrong
# Validity: ten years from the day the script runs (tests validate at notBefore + 1 day).
set -eu
umask 022
O="openssl"
days_opts="-days 3650"

cat > ext.cnf <<'CNF'
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[person_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ec_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[seal_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
# QCStatements: QcCompliance; QcType { id-etsi-qct-eseal };
# id-qcs-pkixQCSyntax-v2 { semanticsIdentifier id-etsi-qcs-semanticsId-Legal }
1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs
[qcs]
s1 = SEQUENCE:qc_compliance
s2 = SEQUENCE:qc_type
s3 = SEQUENCE:qc_semantics
[qc_compliance]
id = OID:0.4.0.1862.1.1
[qc_type]
id = OID:0.4.0.1862.1.6
types = SEQUENCE:qc_type_list
[qc_type_list]
t1 = OID:0.4.0.1862.1.6.2
[qc_semantics]
id = OID:1.3.6.1.5.5.7.11.2
sem = SEQUENCE:qc_sem_info
[qc_sem_info]
sid = OID:0.4.0.194121.1.2
CNF

key_rsa() { $O genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$2 -out $1.key 2>/dev/null; }

# Root and CA
key_rsa root 2048
$O req -new -x509 -key root.key -subj "/C=JP/O=TSVC Test/CN=TSVC Test Root" \
    -sha256 $days_opts -set_serial 1 -extensions ca_ext -config ext.cnf -out root.pem
key_rsa ca 2048
$O req -new -key ca.key -subj "/C=JP/O=TSVC Test/CN=TSVC Test Signing CA" -out ca.csr 2>/dev/null
$O x509 -req -in ca.csr -CA root.pem -CAkey root.key -set_serial 2 $days_opts -sha256 \
    -extfile ext.cnf -extensions ca_ext -out ca.pem 2>/dev/null

issue() { # name subj ext serial
    $O req -new -key $1.key -subj "$2" -out $1.csr 2>/dev/null
    $O x509 -req -in $1.csr -CA ca.pem -CAkey ca.key -set_serial $4 $days_opts -sha256 \
        -extfile ext.cnf -extensions $3 -out $1.pem 2>/dev/null
}

key_rsa signer-rsa 2048
issue signer-rsa "/C=JP/O=TSVC Test/GN=Hanako/SN=Yamada/CN=Hanako Yamada" person_ext 100
cp signer-rsa.key signer-rsa2.key
issue signer-rsa2 "/C=JP/O=TSVC Test/GN=Hanako/SN=Yamada/CN=Hanako Yamada" person_ext 101
rm signer-rsa2.key
$O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signer-ec.key
issue signer-ec "/C=JP/O=TSVC Test/CN=Taro Suzuki" ec_ext 102
$O genpkey -algorithm ED25519 -out signer-ed.key
issue signer-ed "/C=JP/O=TSVC Test/CN=Device 0001" ec_ext 103
key_rsa signer-weak 1024
issue signer-weak "/C=JP/O=TSVC Test/CN=Weak Key" person_ext 104
key_rsa seal 2048
issue seal "/C=JP/O=Example Trust KK/organizationIdentifier=NTRJP-7000012050002/CN=Example Trust e-Seal" seal_ext 105
cp seal.key seal-badnum.key
issue seal-badnum "/C=JP/O=Bad Number KK/organizationIdentifier=NTRJP-7000012050003/CN=Bad Number e-Seal" seal_ext 106
rm seal-badnum.key

cat ca.pem root.pem > chain.pem
rm -f *.csr *.srl ext.cnf
# Content used by the interop and unit tests.
printf 'libtrustsvc CAdES test content\n' > content.txt
# OpenSSL-made signatures read by the unit tests (the interop suite makes fresh ones).
$O cms -sign -cades -binary -nodetach -md sha256 -in content.txt -signer signer-rsa.pem \
    -inkey signer-rsa.key -certfile ca.pem -outform DER -out openssl-cades.der
$O cms -sign -cades -binary -nodetach -stream -md sha256 -in content.txt -signer signer-ec.pem \
    -inkey signer-ec.key -certfile ca.pem -outform DER -out openssl-cades-ber.der
$O cms -sign -cades -binary -md sha384 -in content.txt -signer signer-rsa.pem \
    -inkey signer-rsa.key -signer signer-ec.pem -inkey signer-ec.key -certfile ca.pem \
    -outform DER -out openssl-two-signers.der
echo done
