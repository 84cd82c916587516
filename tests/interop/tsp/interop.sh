#!/usr/bin/env bash
# RFC 3161 interop with the openssl CLI (suite 'interop'):
#   1. openssl ts -query -> our TSA (in process, and over HTTP) -> openssl ts -verify;
#   2. openssl ts -reply as the TSA (ESSCertIDv2 and ESSCertID) -> our verification;
#   3. refused with a clear reason, by us (and by openssl where it applies):
#      a tampered token, a wrong nonce, a wrong imprint, a TSA certificate
#      without the critical timeStamping EKU.
# Usage: interop.sh TSP_TOOL DATA_DIR
set -uo pipefail
TOOL="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
DATA="$2"
command -v openssl >/dev/null || { echo "openssl CLI missing: interop skipped"; exit 77; }
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    touch "$work/port.stop"
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 2
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
ko() { echo "FAILED: $*"; failed=$((failed + 1)); }

printf 'interop data %s\n' "$$" > data.txt
printf 'other data\n' > other.txt
echo 01 > serial.txt
export TSA_SERIAL="$work/serial.txt"

# ---- 1. openssl client, our TSA in process --------------------------------
for kind in ec rsa; do
  for h in sha256 sha384 sha512; do
    openssl ts -query -data data.txt -"$h" -cert -out "q-$kind-$h.tsq" 2>/dev/null
    if "$TOOL" respond "$DATA/tsa-$kind.key" "$DATA/tsa-$kind.pem" "q-$kind-$h.tsq" "r-$kind-$h.tsr" &&
       openssl ts -verify -queryfile "q-$kind-$h.tsq" -in "r-$kind-$h.tsr" -CAfile "$DATA/root.pem" >out.txt 2>&1; then
      ok "openssl ts -query ($h) -> our TSA ($kind) -> openssl ts -verify"
    else
      ko "openssl ts -query ($h) -> our TSA ($kind) -> openssl ts -verify: $(cat out.txt)"
    fi
  done
done
# Without certReq: openssl needs the TSA certificate given with -untrusted.
openssl ts -query -data data.txt -sha256 -out q-nocert.tsq 2>/dev/null
if "$TOOL" respond "$DATA/tsa-ec.key" "$DATA/tsa-ec.pem" q-nocert.tsq r-nocert.tsr &&
   openssl ts -verify -queryfile q-nocert.tsq -in r-nocert.tsr -CAfile "$DATA/root.pem" -untrusted "$DATA/tsa-ec.pem" >out.txt 2>&1; then
  ok "certReq false: token without certificates verifies with -untrusted"
else
  ko "certReq false: $(cat out.txt)"
fi
# openssl's own reading of the token.
if openssl ts -reply -in r-ec-sha256.tsr -text 2>/dev/null | grep -q "Status: Granted" &&
   openssl ts -reply -in r-ec-sha256.tsr -text 2>/dev/null | grep -q "Policy OID"; then
  ok "openssl ts -reply -text reads our response"
else
  ko "openssl ts -reply -text cannot read our response"
fi
# A request for the second policy, and one for an unknown policy.
openssl ts -query -data data.txt -sha256 -cert -tspolicy 1.2.3.4.5 -out q-pol.tsq 2>/dev/null
"$TOOL" respond "$DATA/tsa-ec.key" "$DATA/tsa-ec.pem" q-pol.tsq r-pol.tsr
if openssl ts -verify -queryfile q-pol.tsq -in r-pol.tsr -CAfile "$DATA/root.pem" >/dev/null 2>&1; then
  ok "requested policy 1.2.3.4.5 granted"
else
  ko "requested policy 1.2.3.4.5"
fi
openssl ts -query -data data.txt -sha256 -tspolicy 1.2.3.9 -out q-badpol.tsq 2>/dev/null
"$TOOL" respond "$DATA/tsa-ec.key" "$DATA/tsa-ec.pem" q-badpol.tsq r-badpol.tsr
if openssl ts -reply -in r-badpol.tsr -text 2>/dev/null | grep -qi "policy is not supported"; then
  ok "unknown policy rejected with unacceptedPolicy (read by openssl)"
else
  ko "unknown policy: $(openssl ts -reply -in r-badpol.tsr -text 2>&1 | head -5)"
fi
openssl ts -query -data data.txt -sha1 -out q-sha1.tsq 2>/dev/null
"$TOOL" respond "$DATA/tsa-ec.key" "$DATA/tsa-ec.pem" q-sha1.tsq r-sha1.tsr
if openssl ts -reply -in r-sha1.tsr -text 2>/dev/null | grep -qi "unrecognized or unsupported algorithm"; then
  ok "SHA-1 imprint rejected with badAlg (read by openssl)"
else
  ko "SHA-1 imprint: $(openssl ts -reply -in r-sha1.tsr -text 2>&1 | head -5)"
fi

# ---- 1b. openssl client, our TSA over HTTP --------------------------------
"$TOOL" serve "$DATA/tsa-ec.key" "$DATA/tsa-ec.pem" "$work/port" 60 &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
if [ -s "$work/port" ]; then
  port="$(cat "$work/port")"
  url="http://127.0.0.1:$port/tsa"
  all=1
  for i in 1 2 3 4; do
    openssl ts -query -data data.txt -sha256 -cert -out "qh$i.tsq" 2>/dev/null
    ( "$TOOL" fetch "$url" "qh$i.tsq" "rh$i.tsr" &&
      openssl ts -verify -queryfile "qh$i.tsq" -in "rh$i.tsr" -CAfile "$DATA/root.pem" >/dev/null 2>&1 ) &
  done
  for job in $(jobs -p); do
    [ "$job" = "$server_pid" ] && continue
    wait "$job" || all=0
  done
  if [ "$all" = 1 ]; then
    ok "openssl ts -query -> our TSA over HTTP (4 concurrent) -> openssl ts -verify"
  else
    ko "openssl ts -query -> our TSA over HTTP -> openssl ts -verify"
  fi
  touch "$work/port.stop"
  wait "$server_pid"
  server_pid=""
else
  ko "the HTTP TSA did not start"
fi

# ---- 2. openssl ts -reply as the TSA, our verification ---------------------
for section in tsa_v2 tsa_v1; do
  for kind in ec rsa; do
    "$TOOL" query data.txt sha256 1 "oq-$section-$kind.tsq"
    if openssl ts -reply -config "$DATA/openssl-tsa.cnf" -section "$section" -queryfile "oq-$section-$kind.tsq" \
         -signer "$DATA/tsa-$kind.pem" -inkey "$DATA/tsa-$kind.key" -chain "$DATA/root.pem" \
         -out "or-$section-$kind.tsr" 2>out.txt &&
       "$TOOL" verify "or-$section-$kind.tsr" "oq-$section-$kind.tsq" "$DATA/root.pem" >out.txt 2>&1; then
      ok "our query -> openssl ts -reply ($section, $kind) -> our verification: $(cat out.txt)"
    else
      ko "our query -> openssl ts -reply ($section, $kind) -> our verification: $(cat out.txt)"
    fi
  done
done
# openssl's query too (SHA-512), certReq false: the TSA certificate given by us.
openssl ts -query -data data.txt -sha512 -out oq-512.tsq 2>/dev/null
openssl ts -reply -config "$DATA/openssl-tsa.cnf" -queryfile oq-512.tsq -signer "$DATA/tsa-ec.pem" \
  -inkey "$DATA/tsa-ec.key" -out or-512.tsr 2>/dev/null
if "$TOOL" verify or-512.tsr oq-512.tsq "$DATA/root.pem" "$DATA/tsa-ec.pem" >out.txt 2>&1; then
  ok "openssl ts -query/-reply (SHA-512, no certificates) -> our verification"
else
  ko "openssl ts -query/-reply (SHA-512, no certificates): $(cat out.txt)"
fi

# ---- 3. refusals ------------------------------------------------------------
expect_refused() { # name pattern verify-args...
  local name="$1" pattern="$2"
  shift 2
  if "$TOOL" verify "$@" >out.txt 2>&1; then
    ko "$name was accepted"
  elif grep -qi -- "$pattern" out.txt; then
    ok "$name refused: $(cat out.txt)"
  else
    ko "$name refused without the expected reason ($pattern): $(cat out.txt)"
  fi
}
# Tampered: the last byte of the signature, and a byte inside the TSTInfo.
cp or-tsa_v2-ec.tsr tampered-sig.tsr
python3 - "$work/tampered-sig.tsr" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[-1] ^= 0x5a
open(p, 'wb').write(bytes(b))
PY
expect_refused "tampered signature" "signature" tampered-sig.tsr oq-tsa_v2-ec.tsq "$DATA/root.pem"
python3 - "$work/or-tsa_v2-ec.tsr" "$work/tampered-info.tsr" "$work/data.txt" <<'PY'
import hashlib, sys
b = bytearray(open(sys.argv[1], 'rb').read())
d = hashlib.sha256(open(sys.argv[3], 'rb').read()).digest()
i = b.find(d)  # the imprint's digest inside the TSTInfo
assert i > 0
b[i + 32 + 2] ^= 0x01  # the first octet of the serial number (02 len ...)
open(sys.argv[2], 'wb').write(bytes(b))
PY
expect_refused "tampered TSTInfo" "message-digest\|tampered" tampered-info.tsr oq-tsa_v2-ec.tsq "$DATA/root.pem"
if openssl ts -verify -queryfile oq-tsa_v2-ec.tsq -in tampered-info.tsr -CAfile "$DATA/root.pem" >/dev/null 2>&1; then
  ko "openssl accepted the tampered TSTInfo"
else
  ok "openssl refuses the tampered TSTInfo too"
fi
# Wrong nonce: the same data, another request.
"$TOOL" query data.txt sha256 1 other-nonce.tsq
expect_refused "wrong nonce" "nonce" or-tsa_v2-ec.tsr other-nonce.tsq "$DATA/root.pem"
# Wrong imprint: a request for other data (nonce copied over).
"$TOOL" query other.txt sha256 1 other-data.tsq
python3 - "$work/oq-tsa_v2-ec.tsq" "$work/other-data.tsq" "$work/wrong-imprint.tsq" <<'PY'
import sys
good = open(sys.argv[1], 'rb').read()
other = open(sys.argv[2], 'rb').read()
# Both are SEQUENCE { 1, imprint, nonce, TRUE } (short lengths): other's
# imprint, good's nonce; the imprints have the same length.
hdr = 2 + 3
n = 2 + good[hdr + 1]
assert other[hdr + 1] == good[hdr + 1]
out = good[:hdr] + other[hdr:hdr + n] + good[hdr + n:]
open(sys.argv[3], 'wb').write(out)
PY
expect_refused "wrong imprint" "imprint" or-tsa_v2-ec.tsr wrong-imprint.tsq "$DATA/root.pem"
# TSA certificate without the critical EKU: openssl refuses to sign with it,
# so the token is made with our signer; both sides refuse it.
if openssl ts -reply -config "$DATA/openssl-tsa.cnf" -queryfile oq-tsa_v2-ec.tsq -signer "$DATA/tsa-noncrit.pem" \
     -inkey "$DATA/tsa-noncrit.key" -out never.tsr >/dev/null 2>&1; then
  ko "openssl ts -reply signed with a non-critical timeStamping EKU"
else
  ok "openssl ts -reply refuses a TSA certificate with a non-critical EKU"
fi
"$TOOL" forge "$DATA/tsa-noncrit.key" "$DATA/tsa-noncrit.pem" oq-tsa_v2-ec.tsq forged.tsr
expect_refused "TSA certificate without the critical EKU" "critical" forged.tsr oq-tsa_v2-ec.tsq "$DATA/root.pem"
if openssl ts -verify -queryfile oq-tsa_v2-ec.tsq -in forged.tsr -CAfile "$DATA/root.pem" >/dev/null 2>&1; then
  ko "openssl accepted the non-critical EKU token"
else
  ok "openssl refuses the non-critical EKU token too"
fi
"$TOOL" forge "$DATA/tsa-ec.key" "$DATA/tsa-ec.pem" oq-tsa_v2-ec.tsq forged-ok.tsr
if "$TOOL" verify forged-ok.tsr oq-tsa_v2-ec.tsq "$DATA/root.pem" >out.txt 2>&1 &&
   openssl ts -verify -queryfile oq-tsa_v2-ec.tsq -in forged-ok.tsr -CAfile "$DATA/root.pem" >/dev/null 2>&1; then
  ok "control: the same signer path with the good certificate verifies on both sides"
else
  ko "control: $(cat out.txt)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
