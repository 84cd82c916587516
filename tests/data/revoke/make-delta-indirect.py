#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates the indirect-CRL unit-test data of tests/unit/revoke with
crlgen.py (signatures by the openssl command line), under the ICA of
make-revocation.sh (its key ica.key). See README.md.

Run from anywhere: ./make-delta-indirect.py [output-dir] (default: here).
Every signature changes on each run; the tests depend on names, serials,
extensions and dates only. Most delta CRLs need no files: the unit tests
issue them with tsvc_crl_builder (deltaCRLIndicator as an extension); only
the one signed by a key other than the ICA's is made here.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import crlgen as g  # noqa: E402

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else HERE


def read_pem_cert(path):
    import base64
    text = open(path).read()
    body = text.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return base64.b64decode("".join(body.split()))


def write(name, data):
    with open(os.path.join(OUT, name), "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def main(tmp):
    ica_name = g.cert_subject(read_pem_cert(os.path.join(HERE, "ica.pem")))
    other_name = g.cert_subject(read_pem_cert(os.path.join(HERE, "other.pem")))
    ica_key = g.Key(os.path.join(HERE, "ica.key"))
    # Fresh keys for the CRL issuer and the leaves (not kept: nothing else signs
    # with them).
    signer_key = g.Key(os.path.join(tmp, "crl-issuer.key"))
    leaf_key = g.Key(os.path.join(tmp, "leaf.key"))

    NB, NA = "2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"
    TU, NU = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"
    URI = "http://crl.example/indirect.crl"
    KEY_COMPROMISE = 1

    signer_name = g.name("Revocation Test CRL Issuer")
    write("crl-issuer.pem", g.pem(g.certificate(signer_name, ica_name, signer_key, ica_key, 0x3300,
                                                ku_bits=[6], eku=None, san=None, not_before=NB,
                                                not_after=NA), "CERTIFICATE"))
    cdp = [{"full": [g.gn_uri(URI)], "crl_issuer": [g.gn_dir(signer_name)]}]
    for serial, label in ((0x3400, "leaf-indirect.pem"), (0x3401, "leaf-indirect-good.pem")):
        write(label, g.pem(g.certificate(g.name(label[:-4]), ica_name, leaf_key, ica_key, serial,
                                         cdp=cdp, eku="1.3.6.1.5.5.7.3.2", san=None, not_before=NB,
                                         not_after=NA), "CERTIFICATE"))

    # The CRL issuer's indirect CRL: 0x3400 of the ICA is revoked; 0x3401 is
    # listed for Other Root (another issuer), not for the ICA.
    entries = [g.entry(0x3400, "2025-12-01T00:00:00Z", reason=KEY_COMPROMISE,
                       cert_issuer=[g.gn_dir(ica_name)]),
               g.entry(0x3401, "2025-12-01T00:00:00Z", cert_issuer=[g.gn_dir(other_name)])]
    write("indirect-crl.der", g.crl(signer_name, signer_key, entries=entries, this_update=TU,
                                    next_update=NU, extra=[g.ext("2.5.29.28", g.idp(
                                        full=[g.gn_uri(URI)], indirect=True), critical=True)]))
    write("indirect-crl-noflag.der", g.crl(signer_name, signer_key, entries=entries,
                                           this_update=TU, next_update=NU,
                                           extra=[g.ext("2.5.29.28", g.idp(full=[g.gn_uri(URI)]),
                                                        critical=True)]))
    # The ICA's own indirect CRL: 0x3001 (no certificateIssuer: the ICA's),
    # then 0x3000 for Other Root, then 0x3003 inheriting Other Root.
    write("ica-crl-indirect.der", g.crl(ica_name, ica_key, this_update=TU, next_update=NU, entries=[
        g.entry(0x3001, "2025-12-01T00:00:00Z", reason=KEY_COMPROMISE),
        g.entry(0x3000, "2025-12-01T00:00:00Z", cert_issuer=[g.gn_dir(other_name)]),
        g.entry(0x3003, "2025-12-01T00:00:00Z"),
    ], extra=[g.ext("2.5.29.28", g.idp(indirect=True), critical=True)]))
    # A delta CRL (base 10, number 11) under the ICA's name and key
    # identifier, signed by another key.
    stray = g.Key(os.path.join(tmp, "stray.key"))
    write("ica-delta-otherkey.der", g.crl(
        ica_name, stray, this_update=TU, next_update=NU, number=11, aki=False,
        entries=[g.entry(0x3003, "2025-12-01T00:00:00Z", reason=KEY_COMPROMISE)],
        extra=[g.ext("2.5.29.35", g.seq(g.tlv(0x80, ica_key.ski))),
               g.ext("2.5.29.27", g.integer(10), critical=True)]))
    # Scope (RFC 5280 6.3.3 (b), (d)): distribution points with reasons,
    # with a name relative to the CRL issuer, and none at all.
    kc, rest = "http://crl.example/kc.crl", "http://crl.example/rest.crl"
    write("leaf-dp-reasons.pem", g.pem(g.certificate(
        g.name("leaf-dp-reasons"), ica_name, leaf_key, ica_key, 0x3500, eku="1.3.6.1.5.5.7.3.2",
        san=None, not_before=NB, not_after=NA,
        cdp=[{"full": [g.gn_uri(kc)], "reasons": [1, 2]},
             {"full": [g.gn_uri(rest)], "reasons": [3, 4, 5, 6, 7, 8]}]), "CERTIFICATE"))
    for label, uri, reasons in (("ica-crl-kc.der", kc, [1, 2]),
                                ("ica-crl-rest.der", rest, [3, 4, 5, 6, 7, 8])):
        write(label, g.crl(ica_name, ica_key, this_update=TU, next_update=NU, extra=[
            g.ext("2.5.29.28", g.idp(full=[g.gn_uri(uri)], reasons=reasons), critical=True)]))
    part1 = g.seq(g.oid("2.5.4.11"), g.tlv(0x0C, b"part1"))
    part2 = g.seq(g.oid("2.5.4.11"), g.tlv(0x0C, b"part2"))
    write("leaf-dp-relative.pem", g.pem(g.certificate(
        g.name("leaf-dp-relative"), ica_name, leaf_key, ica_key, 0x3501, eku="1.3.6.1.5.5.7.3.2",
        san=None, not_before=NB, not_after=NA, cdp=[{"relative": part1}]), "CERTIFICATE"))
    for label, rdn in (("ica-crl-relative.der", part1), ("ica-crl-relative-other.der", part2)):
        write(label, g.crl(ica_name, ica_key, this_update=TU, next_update=NU, extra=[
            g.ext("2.5.29.28", g.idp(relative=rdn), critical=True)]))
    write("leaf-nocdp.pem", g.pem(g.certificate(
        g.name("leaf-nocdp"), ica_name, leaf_key, ica_key, 0x3502, eku="1.3.6.1.5.5.7.3.2",
        san=None, not_before=NB, not_after=NA), "CERTIFICATE"))
    write("ica-crl-idp-dirname.der", g.crl(ica_name, ica_key, this_update=TU, next_update=NU,
                                           extra=[g.ext("2.5.29.28", g.idp(
                                               full=[g.gn_dir(ica_name)]), critical=True)]))
    # thisUpdate and nextUpdate in 2026 as GeneralizedTime (RFC 5280: UTCTime).
    write("ica-crl-gentime.der", g.crl(ica_name, ica_key, this_update=TU, next_update=NU,
                                       generalized=True))


with tempfile.TemporaryDirectory() as work:
    main(work)
