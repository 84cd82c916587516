#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the tsvc-limbo harness over limbo-format test cases with `crls`,
built from tests/data/revoke (the local x509-limbo snapshot has no CRL
cases). Each case gives the CRLs as PEM, like upstream's crl:: and
rfc5280::crl:: cases, and the harness must agree with every expectation.

Usage: crl_cases.py HARNESS DATA-DIR
"""
import base64
import json
import subprocess
import sys


def pem(data_dir, name):
    with open(f"{data_dir}/{name}", "rb") as f:
        raw = f.read()
    if raw.startswith(b"-----BEGIN"):
        return raw.decode()
    b64 = base64.encodebytes(raw).decode().replace("\n", "")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN X509 CRL-----\n" + "\n".join(lines) + "\n-----END X509 CRL-----\n"


def case(data_dir, cid, leaf, inter, crls, expected, desc):
    return {
        "id": f"tsvc-crl::{cid}",
        "features": ["has-crl"],
        "description": desc,
        "validation_kind": "CLIENT",
        "trusted_certs": [pem(data_dir, "root.pem")],
        "untrusted_intermediates": [pem(data_dir, inter)],
        "peer_certificate": pem(data_dir, leaf),
        "validation_time": "2026-01-15T00:00:00Z",
        "signature_algorithms": [],
        "key_usage": [],
        "extended_key_usage": [],
        "expected_result": expected,
        "expected_peer_name": None,
        "expected_peer_names": [],
        "crls": [pem(data_dir, c) for c in crls],
    }


def main():
    harness, data = sys.argv[1], sys.argv[2]
    R = "root-crl.der"  # the root's CRL: covers the intermediates (chain checking)
    cases = [
        case(data, "not-revoked", "leaf-good.pem", "ica.pem", [R, "ica-crl.der"], "SUCCESS",
             "leaf not on its issuer's current CRL"),
        case(data, "revoked", "leaf-revoked.pem", "ica.pem", [R, "ica-crl.der"], "FAILURE",
             "leaf revoked before the validation time"),
        case(data, "revoked-after-validation-time", "leaf-later.pem", "ica.pem",
             [R, "ica-crl.der"], "SUCCESS",
             "leaf revoked after the validation time: good at that time (upstream "
             "crl::revocation-date-in-future expects FAILURE; the project's rule is status at "
             "the validation time)"),
        case(data, "revoked-intermediate", "leaf-of-revoked-ica.pem", "ica-revoked.pem", [R],
             "FAILURE", "the intermediate CA is revoked"),
        case(data, "expired-crl", "leaf-good.pem", "ica.pem", [R, "ica-crl-expired.der"],
             "FAILURE", "nextUpdate before the validation time"),
        case(data, "crl-not-yet-valid", "leaf-good.pem", "ica.pem", [R, "ica-crl-notyet.der"],
             "FAILURE", "thisUpdate after the validation time"),
        case(data, "bad-signature", "leaf-good.pem", "ica.pem", [R, "ica-crl-badsig.der"],
             "FAILURE", "CRL signature does not verify"),
        case(data, "unknown-critical-extension", "leaf-good.pem", "ica.pem",
             [R, "ica-crl-critical.der"], "FAILURE", "unknown critical CRL extension"),
        case(data, "issuer-without-crlsign", "leaf-nocrlsign.pem", "ca-nocrlsign.pem",
             [R, "nocrlsign-crl.der"], "FAILURE", "CRL issuer's keyUsage lacks cRLSign"),
        case(data, "crl-of-another-issuer", "leaf-good.pem", "ica.pem", [R], "FAILURE",
             "no CRL covers the leaf"),
        case(data, "missing-crl-for-intermediate", "leaf-good.pem", "ica.pem", ["ica-crl.der"],
             "FAILURE", "no CRL covers the intermediate"),
        case(data, "idp-match", "leaf-good.pem", "ica.pem", [R, "ica-crl-idp.der"], "SUCCESS",
             "partitioned CRL whose distribution point is the leaf's"),
        case(data, "idp-other-partition", "leaf-good.pem", "ica.pem",
             [R, "ica-crl-idp-other.der"], "FAILURE", "partitioned CRL of another distribution "
             "point"),
        case(data, "idp-onlyuser-ca-target", "leaf-good.pem", "ica.pem",
             ["root-crl-onlyuser.der", "ica-crl.der"], "FAILURE",
             "the root's CRL covers user certificates only: not the intermediate"),
    ]
    suite = json.dumps({"version": 1, "testcases": cases}).encode()
    proc = subprocess.run([harness], input=suite, capture_output=True, timeout=60)
    if proc.returncode != 0:
        print(proc.stderr.decode(errors="replace"))
        return 1
    results = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
    bad = 0
    for c in cases:
        r = results.get(c["id"])
        got = r["actual_result"] if r else "(none)"
        ok = got == c["expected_result"]
        bad += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {c['id']}: expected {c['expected_result']}, got {got}"
              f" ({r['context'] if r else ''})")
    print(f"limbo crl cases: {len(cases) - bad} agree, {bad} disagree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
