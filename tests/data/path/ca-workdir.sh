# SPDX-License-Identifier: Apache-2.0
# Sourced by make-chains.sh and make-webpki.sh (with their arguments):
# sets OUT (the output folder: $1, or the folder of the script), makes a
# work folder WORK (removed on exit) and enters it, sets the default
# validity START..END, and writes an `openssl ca` database and ca.cnf there.
OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

START=20200101000000Z
END=20400101000000Z

mkdir -p db/new
: > db/index.txt
echo "unique_subject = no" > db/index.txt.attr

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = testca
[ testca ]
dir = db
database = db/index.txt
new_certs_dir = db/new
serial = db/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
commonName = optional
organizationName = optional
countryName = optional
[ req ]
distinguished_name = dn
[ dn ]
CNF
