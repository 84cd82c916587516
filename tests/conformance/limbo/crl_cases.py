#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the tsvc-limbo harness over limbo-format test cases with `crls`
(the local x509-limbo snapshot has no CRL cases), and checks that the
harness agrees with every expectation:

- cases built from the files of tests/data/revoke (made by openssl ca);
- the CRL cases of the current upstream x509-limbo suite (crl::*,
  rfc5280::crl::*, webpki::crl::*), reproduced case by case at test time
  with tests/data/revoke/crlgen.py (a DER writer, signatures by the openssl
  command line): same certificates and CRLs in shape, our own keys;
- delta and indirect CRL cases of this project (tsvc-crl::*).

Where this library deliberately disagrees with upstream, the case says so
("upstream" and "note"); the expectation checked is this library's.

Usage: crl_cases.py HARNESS DATA-DIR
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile


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


def file_cases(data):
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
    return cases


# ------------------------------------------------------------------ upstream shapes

VT = "2024-01-01T00:00:00Z"
DAY_BEFORE = "2023-12-31T00:00:00Z"
CERT_PEM, CRL_PEM = "CERTIFICATE", "X509 CRL"
KEY_CERT_SIGN, CRL_SIGN, DIGITAL_SIGNATURE = 5, 6, 0
KEY_COMPROMISE, CERTIFICATE_HOLD, REMOVE_FROM_CRL = 1, 6, 8
UNKNOWN_OID = "1.3.6.1.4.1.55738.666.1"


class Gen:
    """Keys and certificates for the generated cases (one temporary folder)."""

    def __init__(self, g, work):
        self.g = g
        self.work = work
        self.keys = {}
        self.serial = 0x7000

    def key(self, label):
        if label not in self.keys:
            self.keys[label] = self.g.Key(os.path.join(self.work, label + ".key"))
        return self.keys[label]

    def next_serial(self):
        self.serial += 1
        return self.serial

    def root(self, cn="x509-limbo-root", label="root", **kw):
        g = self.g
        n = g.name(cn)
        k = self.key(label)
        return {"name": n, "key": k,
                "der": g.certificate(n, n, k, k, self.next_serial(), ca=True, **kw)}

    def inter(self, parent, cn, label, **kw):
        g = self.g
        n = g.name(cn)
        k = self.key(label)
        return {"name": n, "key": k,
                "der": g.certificate(n, parent["name"], k, parent["key"], self.next_serial(),
                                     ca=True, **kw)}

    def leaf(self, parent, cdp=None, **kw):
        g = self.g
        serial = self.next_serial()
        der = g.certificate(g.name("example.com"), parent["name"], self.key("leaf"),
                            parent["key"], serial, cdp=cdp, **kw)
        return {"serial": serial, "der": der}

    def crl(self, issuer, **kw):
        return self.g.crl(issuer["name"], issuer["key"], **kw)


def gcase(g, cid, expected, desc, trusted, peer, crls, *, inters=(), vt=VT, kind="SERVER",
          upstream=None, note=None):
    c = {
        "id": cid,
        "features": ["has-crl"],
        "description": desc,
        "validation_kind": kind,
        "trusted_certs": [g.pem(t["der"], CERT_PEM) for t in trusted],
        "untrusted_intermediates": [g.pem(i["der"], CERT_PEM) for i in inters],
        "peer_certificate": g.pem(peer["der"], CERT_PEM),
        "validation_time": vt,
        "signature_algorithms": [],
        "key_usage": [],
        "extended_key_usage": [],
        "expected_result": expected,
        "expected_peer_name": {"kind": "DNS", "value": "example.com"} if kind == "SERVER"
        else None,
        "expected_peer_names": [],
        "crls": [g.pem(c, CRL_PEM) for c in crls],
    }
    if upstream is not None:
        c["upstream"] = upstream
        c["note"] = note
    return c


def generated_cases(data, work):
    sys.path.insert(0, data)
    import crlgen as g  # tests/data/revoke/crlgen.py
    G = Gen(g, work)
    cases = []

    def add(*a, **kw):
        cases.append(gcase(g, *a, **kw))

    def other_entry():
        return g.entry(0x1234567, DAY_BEFORE)

    uri = "http://example.com/partition.crl"

    # crl:: and rfc5280::crl:: basics
    r = G.root()
    lf = G.leaf(r)
    add("crl::revoked-certificate-with-crl", "FAILURE", "leaf listed on the root's CRL",
        [r], lf, [G.crl(r, entries=[g.entry(lf["serial"], DAY_BEFORE)])])
    add("crl::crlnumber-missing", "FAILURE", "CRL without cRLNumber (RFC 5280 5.2.3)",
        [r], lf, [G.crl(r, entries=[other_entry()], number=None)])
    add("crl::certificate-not-on-crl", "SUCCESS", "leaf not listed",
        [r], lf, [G.crl(r, entries=[other_entry(), g.entry(0x7654321, DAY_BEFORE)])])
    r1 = G.root("Root CA 1", "root1")
    r2 = G.root("Root CA 2", "root2")
    lf1 = G.leaf(r1)
    add("crl::certificate-serial-on-crl-different-issuer", "SUCCESS",
        "the leaf's serial on another CA's CRL", [r1, r2], lf1,
        [G.crl(r1), G.crl(r2, entries=[g.entry(lf1["serial"], DAY_BEFORE)])])
    add("crl::crlnumber-critical", "FAILURE", "critical cRLNumber (RFC 5280 5.2.3)",
        [r], lf, [G.crl(r, entries=[other_entry()], number=12345, number_critical=True)])
    rn = G.root("x509-limbo-root-nocrlsign", "rootn", crl_sign=False)
    lfn = G.leaf(rn)
    add("crl::issuer-missing-crlsign", "FAILURE", "issuer keyUsage without cRLSign",
        [rn], lfn, [G.crl(rn, entries=[other_entry()])])
    rk = G.root("x509-limbo-root-noku", "rootk", ku=False)
    lfk = G.leaf(rk)
    add("crl::issuer-no-keyusage-extension", "SUCCESS",
        "issuer without keyUsage (RFC 5280 6.3.3 (f) checks cRLSign only when present)",
        [rk], lfk, [G.crl(rk, entries=[other_entry()])])
    add("crl::issuer-valid-crlsign-and-keycertsign", "SUCCESS", "keyCertSign and cRLSign",
        [r], lf, [G.crl(r, entries=[other_entry()])])

    # crl::structure
    bad = g.crl(r["name"], G.key("stray"), entries=[other_entry()], aki=False,
                extra=[g.ext("2.5.29.35", g.seq(g.tlv(0x80, r["key"].ski)))])
    add("crl::crl-invalid-signature", "FAILURE",
        "issuer name and AKI of the root, signed by another key", [r], lf, [bad])
    add("crl::crl-wrong-signing-key", "FAILURE", "Root CA 1's name, Root CA 2's signature",
        [r1, r2], lf1, [g.crl(r1["name"], r2["key"], entries=[other_entry()])])
    add("crl::crl-empty", "SUCCESS", "no entries", [r], lf, [G.crl(r)])
    big = [g.entry(0x10000000 + i, "1970-01-01T00:00:00Z") for i in range(10000)]
    add("crl::crl-very-large", "SUCCESS", "10,000 entries", [r], lf, [G.crl(r, entries=big)])
    add("crl::crl-unknown-critical-extension", "FAILURE", "unknown critical CRL extension",
        [r], lf, [G.crl(r, entries=[other_entry()],
                        extra=[g.ext(UNKNOWN_OID, b"", critical=True)])])
    add("crl::crl-unknown-noncritical-extension", "SUCCESS",
        "unknown non-critical CRL extension", [r], lf,
        [G.crl(r, entries=[other_entry()], extra=[g.ext(UNKNOWN_OID, b"")])])
    add("crl::crl-duplicate-revoked-serial", "FAILURE", "one serial listed twice",
        [r], lf, [G.crl(r, entries=[other_entry(), other_entry()])])
    add("rfc5280::crl::entry-unknown-critical-extension", "FAILURE",
        "the leaf's entry has an unknown critical extension", [r], lf,
        [G.crl(r, entries=[g.entry(lf["serial"], DAY_BEFORE,
                                   extra=[g.ext(UNKNOWN_OID, b"", critical=True)])])])
    add("rfc5280::crl::entry-unknown-noncritical-extension", "FAILURE",
        "the leaf's entry has an unknown non-critical extension: revoked", [r], lf,
        [G.crl(r, entries=[g.entry(lf["serial"], DAY_BEFORE,
                                   extra=[g.ext(UNKNOWN_OID, b"")])])])

    # crl::temporal
    add("crl::this-update-in-future", "FAILURE", "thisUpdate after the validation time",
        [r], lf, [G.crl(r, this_update="2024-01-02T00:00:00Z",
                        next_update="2024-01-31T00:00:00Z")])
    add("crl::next-update-in-past", "FAILURE", "nextUpdate before the validation time",
        [r], lf, [G.crl(r, this_update="2023-11-02T00:00:00Z",
                        next_update="2023-12-02T00:00:00Z")])
    add("crl::revocation-date-in-future", "SUCCESS",
        "the leaf's entry has revocationDate after the validation time", [r], lf,
        [G.crl(r, entries=[g.entry(lf["serial"], "2024-01-02T00:00:00Z")])],
        upstream="FAILURE",
        note="this library gives the status at the validation time (validation in the "
             "past, ETSI EN 319 102-1); RFC 5280 6.3.3 (i) does not look at the date")
    lfy = G.leaf(r, not_before="2023-12-02T00:00:00Z")
    add("crl::revocation-date-before-not-before", "FAILURE",
        "revocationDate before the leaf's notBefore: still revoked", [r], lfy,
        [G.crl(r, entries=[g.entry(lfy["serial"], "2023-11-02T00:00:00Z")])])
    lfo = G.leaf(r, not_before="2023-12-02T00:00:00Z", not_after="2024-01-31T00:00:00Z")
    add("crl::crl-validity-no-overlap", "FAILURE",
        "the only CRL expired before the leaf was issued", [r], lfo,
        [G.crl(r, this_update="2023-01-01T00:00:00Z", next_update="2023-07-05T00:00:00Z")])

    # crl::cabf (TLS profiles, CA/B Forum 7.2.2.1)
    lfp = G.leaf(r, cdp=[{"full": [g.gn_uri(uri)]}])
    rdn = g.seq(g.oid("2.5.4.3"), g.tlv(0x0C, b"partition"))
    add("crl::idp-name-relative-to-crl-issuer", "FAILURE",
        "partitioned CRL with nameRelativeToCRLIssuer", [r], lf,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(relative=rdn), critical=True)])])
    add("crl::idp-fullname-non-uri-generalname", "FAILURE",
        "IDP fullName with a dNSName besides the URI", [r], lfp,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri), g.gn_dns("example.com")]),
                               critical=True)])])
    add("crl::idp-indirect-crl", "FAILURE", "partitioned CRL asserting indirectCRL", [r], lfp,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri)], indirect=True),
                               critical=True)])])
    add("crl::idp-only-some-reasons-no-complete-crl", "FAILURE",
        "onlySomeReasons keyCompromise and no CRL for the other reasons", [r], lfp,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri)],
                                                  reasons=[KEY_COMPROMISE]), critical=True)])])
    lfu = G.leaf(r, cdp=[{"full": [g.gn_uri("http://example.com/crls/%73hard.crl")]}])
    add("crl::idp-uri-not-byte-identical", "FAILURE",
        "IDP URI equal to the CDP URI only after percent-decoding", [r], lfu,
        [G.crl(r, extra=[g.ext("2.5.29.28",
                               g.idp(full=[g.gn_uri("http://example.com/crls/shard.crl")]),
                               critical=True)])])

    # crl::idp
    lfc = G.leaf(r, cdp=[{"full": [g.gn_uri("http://example.com/cdp.crl")]}])
    add("crl::idp-cdp-scope-mismatch", "FAILURE", "IDP names another distribution point",
        [r], lfc, [G.crl(r, extra=[g.ext("2.5.29.28",
                                         g.idp(full=[g.gn_uri("http://example.com/other.crl")]),
                                         critical=True)])])
    add("crl::idp-cdp-scope-match", "SUCCESS", "IDP name equals the CDP URI", [r], lfp,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri)]), critical=True)])])
    ica = G.inter(r, "x509-limbo-intermediate", "ica")
    lfi = G.leaf(ica)
    add("crl::idp-only-contains-user-certs-ca-target", "FAILURE",
        "the root's CRL covers user certificates only: not the intermediate", [r], lfi,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(only_user=True), critical=True)]),
         G.crl(ica)], inters=[ica])
    add("crl::idp-only-contains-ca-certs-ee-target", "FAILURE",
        "CRL of CA certificates only, end-entity target", [r], lf,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(only_ca=True), critical=True)])])
    add("crl::idp-present-certificate-missing-cdp", "FAILURE",
        "partitioned CRL, certificate without cRLDistributionPoints", [r], lf,
        [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri)]), critical=True)])])
    lfd = G.leaf(r, cdp=[{"full": [g.gn_uri(uri), g.gn_dns("example.com")]}])
    add("crl::idp-present-certificate-cdp-non-uri-generalname", "FAILURE",
        "the certificate's CDP has a dNSName besides the URI (CA/B Forum 7.1.2.11.2)",
        [r], lfd, [G.crl(r, extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri)]),
                                         critical=True)])])
    add("crl::idp-only-contains-attribute-certs", "FAILURE",
        "CRL of attribute certificates only", [r], lf,
        [G.crl(r, entries=[other_entry()],
               extra=[g.ext("2.5.29.28", g.idp(only_attr=True), critical=True)])])

    # crl::external shapes (upstream ships fixed files signed by its own key)
    ext_vt = "2025-01-15T00:00:00Z"
    lfx = G.leaf(r)
    rev = [g.entry(lfx["serial"], "2025-01-02T06:00:00Z")]
    hard = ("with hard-fail and the given CRLs only, a CRL that cannot be used leaves the "
            "leaf without revocation data: FAILURE (upstream expects the invalid CRL to be "
            "ignored and the leaf accepted, unlike crl::crlnumber-missing)")
    add("crl::crl-invalid-version", "FAILURE", "CRL version 3 (INTEGER 2)", [r], lfx,
        [G.crl(r, entries=rev, version=2, this_update="2025-01-01T06:00:00Z",
               next_update="2025-01-30T06:00:00Z")], vt=ext_vt, upstream="SUCCESS", note=hard)
    add("crl::crl-update-generalizedtime-2025", "FAILURE",
        "thisUpdate and nextUpdate in 2025 as GeneralizedTime", [r], lfx,
        [G.crl(r, entries=rev, generalized=True, this_update="2025-01-01T06:00:00Z",
               next_update="2025-01-30T06:00:00Z")], vt=ext_vt, upstream="SUCCESS", note=hard)
    add("crl::crl-missing-next-update", "FAILURE", "no nextUpdate; the CRL lists the leaf",
        [r], lfx, [G.crl(r, entries=rev, this_update="2025-01-01T06:00:00Z",
                         next_update=None)], vt=ext_vt, upstream="SUCCESS",
        note="RFC 5280 5.1.2.5 binds CRL issuers; this library accepts a CRL without "
             "nextUpdate, which revokes the leaf: FAILURE either way")

    # tsvc-crl:: delta CRLs (RFC 5280 5.2.4), TLS profile
    def delta(issuer, base, number, entries=(), key=None, **kw):
        extra = [g.ext("2.5.29.27", g.integer(base), critical=True)] + list(kw.pop("extra", []))
        return g.crl(issuer["name"], key or issuer["key"], entries=entries, number=number,
                     extra=extra, **kw)

    full1 = G.crl(r, number=1)
    hold1 = G.crl(r, number=1, entries=[g.entry(lf["serial"], DAY_BEFORE,
                                                 reason=CERTIFICATE_HOLD)])
    on_delta = [g.entry(lf["serial"], DAY_BEFORE, reason=KEY_COMPROMISE)]
    add("tsvc-crl::delta-revokes", "FAILURE", "complete CRL 1 + delta 2 (base 1) listing the leaf",
        [r], lf, [full1, delta(r, 1, 2, on_delta)])
    add("tsvc-crl::delta-remove-from-crl", "SUCCESS",
        "complete CRL 1 holds the leaf, delta 2 removes it (removeFromCRL)", [r], lf,
        [hold1, delta(r, 1, 2, [g.entry(lf["serial"], DAY_BEFORE, reason=REMOVE_FROM_CRL)])])
    add("tsvc-crl::delta-hold-not-released", "FAILURE",
        "complete CRL 1 holds the leaf, delta 2 says nothing about it", [r], lf,
        [hold1, delta(r, 1, 2, [other_entry()])])
    add("tsvc-crl::delta-base-too-new", "SUCCESS",
        "delta 3 needs a complete CRL >= 2; only CRL 1 is given: the delta is left out",
        [r], lf, [full1, delta(r, 2, 3, on_delta)])
    add("tsvc-crl::delta-not-newer", "SUCCESS",
        "delta 1 (base 1) is not newer than complete CRL 1: left out", [r], lf,
        [full1, delta(r, 1, 1, on_delta)])
    add("tsvc-crl::delta-other-key", "SUCCESS",
        "delta signed by another key under the root's name: left out", [r], lf,
        [full1, delta(r, 1, 2, on_delta, key=G.key("stray"))])
    add("tsvc-crl::delta-unknown-critical", "SUCCESS",
        "delta with an unknown critical extension: left out", [r], lf,
        [full1, delta(r, 1, 2, on_delta, extra=[g.ext(UNKNOWN_OID, b"", critical=True)])])
    add("tsvc-crl::delta-expired", "SUCCESS",
        "delta whose nextUpdate is before the validation time: left out", [r], lf,
        [full1, delta(r, 1, 2, on_delta, this_update="2023-12-01T00:00:00Z",
                      next_update="2023-12-02T00:00:00Z")])
    add("tsvc-crl::delta-other-scope", "SUCCESS",
        "delta with an issuingDistributionPoint the complete CRL lacks: left out", [r], lf,
        [full1, delta(r, 1, 2, on_delta,
                      extra=[g.ext("2.5.29.28", g.idp(only_user=True), critical=True)])])
    add("tsvc-crl::delta-alone", "FAILURE", "only a delta CRL: no complete CRL", [r], lf,
        [delta(r, 1, 2)])
    add("tsvc-crl::delta-newest-wins", "SUCCESS",
        "deltas 2 (revokes) and 3 (removeFromCRL) of complete CRL 1: delta 3 applies", [r], lf,
        [full1, delta(r, 1, 2, on_delta),
         delta(r, 1, 3, [g.entry(lf["serial"], DAY_BEFORE, reason=REMOVE_FROM_CRL)])])

    # tsvc-crl:: indirect CRLs refused by TLS profiles
    signer = G.inter(r, "x509-limbo-crl-issuer", "crlsigner")
    lfn2 = G.leaf(r, cdp=[{"full": [g.gn_uri(uri)], "crl_issuer": [g.gn_dir(signer["name"])]}])
    ind = g.crl(signer["name"], signer["key"],
                extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri)], indirect=True),
                             critical=True)])
    add("tsvc-crl::indirect-refused-tls", "FAILURE",
        "indirect CRL of a CRL issuer named by the certificate: refused in TLS profiles",
        [r], lfn2, [ind], inters=[signer])
    return cases


def run(harness, cases):
    suite = json.dumps({"version": 1, "testcases": cases}).encode()
    proc = subprocess.run([harness], input=suite, capture_output=True, timeout=120)
    if proc.returncode != 0:
        print(proc.stderr.decode(errors="replace"))
        return None
    return {r["id"]: r for r in json.loads(proc.stdout)["results"]}


def main():
    harness, data = sys.argv[1], sys.argv[2]
    if shutil.which("openssl") is None:
        print("SKIPPED: the openssl command line is needed to build the CRL cases")
        return 77
    work = tempfile.mkdtemp(prefix="tsvc-crl-cases-")
    try:
        cases = file_cases(data) + generated_cases(data, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = run(harness, cases)
    if results is None:
        return 1
    bad = 0
    differ = []
    for c in cases:
        r = results.get(c["id"])
        got = r["actual_result"] if r else "(none)"
        ok = got == c["expected_result"]
        bad += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {c['id']}: expected {c['expected_result']}, got {got}"
              f" ({r['context'] if r else ''})")
        if c.get("upstream") and c["upstream"] != c["expected_result"]:
            differ.append(c)
    for c in differ:
        print(f"note {c['id']}: upstream expects {c['upstream']}: {c['note']}")
    print(f"limbo crl cases: {len(cases) - bad} agree, {bad} disagree "
          f"({len(differ)} deliberately differ from upstream)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
