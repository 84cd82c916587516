# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""CRLs and OCSP responses (tests/data/revoke: validated at 2026-01-15)."""
from __future__ import annotations

import datetime

import pytest

import trustsvc as t

WHEN = datetime.datetime(2026, 1, 15, tzinfo=datetime.timezone.utc)


@pytest.fixture(scope="module")
def rv(data):
    d = data / "revoke"
    load = lambda n: t.Certificate.load((d / n).read_bytes())  # noqa: E731
    return {"root": load("root.pem"), "ica": load("ica.pem"), "good": load("leaf-good.pem"),
            "revoked": load("leaf-revoked.pem"), "later": load("leaf-later.pem"),
            "crl": t.Crl.load((d / "ica-crl.der").read_bytes()), "dir": d}


def test_crl_properties_and_check(rv):
    crl = rv["crl"]
    assert len(crl) == 3 and crl.number == 1
    entries = {e["serial"]: e for e in crl.entries}
    assert set(entries) == {0x3001, 0x3002, 0x3102}
    assert entries[0x3001]["reason"] == t.CrlReason.KEY_COMPROMISE
    assert entries[0x3001]["invalidity_date"] == datetime.datetime(2025, 11, 30, tzinfo=datetime.timezone.utc)
    assert crl.this_update < WHEN < crl.next_update
    crl.verify(rv["ica"], WHEN)
    st, when, reason = crl.check(rv["revoked"], rv["ica"], WHEN)
    assert st == t.CertStatus.REVOKED and reason == t.CrlReason.KEY_COMPROMISE
    assert when == datetime.datetime(2025, 12, 1, tzinfo=datetime.timezone.utc)
    assert crl.check(rv["good"], rv["ica"], WHEN)[0] == t.CertStatus.GOOD


def test_crl_errors(rv):
    d = rv["dir"]
    with pytest.raises(t.RevocationError) as ei:
        t.Crl.load((d / "ica-crl-expired.der").read_bytes()).verify(rv["ica"], WHEN)
    assert ei.value.status == t.Status.ERR_CRL_EXPIRED
    with pytest.raises(t.RevocationError) as ei:
        t.Crl.load((d / "ica-crl-badsig.der").read_bytes()).verify(rv["ica"], WHEN)
    assert ei.value.status == t.Status.ERR_CRL_SIGNATURE
    with pytest.raises(t.RevocationError) as ei:
        t.Crl.load((d / "ica-crl-critical.der").read_bytes()).verify(rv["ica"], WHEN)
    assert ei.value.status == t.Status.ERR_CRL_UNKNOWN_CRITICAL
    with pytest.raises(t.Error):
        t.Crl.load(b"\x30\x00")


def test_ocsp(rv):
    d = rv["dir"]
    good = t.OcspResponse.load((d / "ocsp-good.der").read_bytes())
    assert good.response_status == t.OcspResponseStatus.SUCCESSFUL
    at = good.produced_at + datetime.timedelta(minutes=1)
    assert good.verify(rv["good"], rv["ica"], at)[0] == t.CertStatus.GOOD
    assert [r["status"] for r in good.responses] == [t.CertStatus.GOOD]
    revoked = t.OcspResponse.load((d / "ocsp-revoked.der").read_bytes())
    st, when, reason = revoked.verify(rv["revoked"], rv["ica"], at)
    assert st == t.CertStatus.REVOKED and when is not None
    noeku = t.OcspResponse.load((d / "ocsp-noeku.der").read_bytes())
    with pytest.raises(t.RevocationError) as ei:
        noeku.verify(rv["good"], rv["ica"], at)
    assert ei.value.status == t.Status.ERR_OCSP_RESPONDER


def test_validation_with_crls(rv):
    root_crl = t.Crl.load((rv["dir"] / "root-crl.der").read_bytes())
    store = t.Store([rv["root"]], [rv["ica"]], crls=[rv["crl"], root_crl])
    policy = t.Policy(time=WHEN, revocation=t.RevocationMode.HARD_FAIL,
                      revocation_source=t.RevocationSource.CRL_ONLY)
    assert t.validate(rv["good"], store, policy).passed
    r = t.validate(rv["revoked"], store, policy)
    assert r.indication != t.Indication.PASSED
    assert r.subindication in (t.Subindication.REVOKED, t.Subindication.REVOKED_NO_POE)
    assert t.validate(rv["later"], store, policy).passed  # revoked after the validation time
    assert any(c["name"].startswith("revocation") or "crl" in c["name"] for c in r.checks)


def test_ocsp_responder_side(rv):
    ica_key = t.Key.load((rv["dir"] / "ica.key").read_bytes())
    at = WHEN
    der = (t.OcspResponseBuilder(rv["ica"], rv["ica"], ica_key).times(at, at, at + datetime.timedelta(days=7))
           .add(rv["good"].serial)
           .add(rv["revoked"].serial, t.CertStatus.REVOKED, at - datetime.timedelta(days=1), t.CrlReason.KEY_COMPROMISE)
           .finish())
    resp = t.OcspResponse.load(der)
    assert resp.verify(rv["good"], rv["ica"], at)[0] == t.CertStatus.GOOD
    st, when, reason = resp.verify(rv["revoked"], rv["ica"], at)
    assert st == t.CertStatus.REVOKED and reason == t.CrlReason.KEY_COMPROMISE
    req = t.ocsp_request(rv["good"], rv["ica"], nonce=b"\x01\x02\x03\x04")
    assert req[0] == 0x30
    err = t.OcspResponse.load(t.ocsp_error_response(t.OcspResponseStatus.TRY_LATER))
    assert err.response_status == t.OcspResponseStatus.TRY_LATER


def test_crl_issuing(rv):
    ica_key = t.Key.load((rv["dir"] / "ica.key").read_bytes())
    crl = (t.CrlBuilder(rv["ica"], ica_key).times(WHEN, WHEN + datetime.timedelta(days=7)).number(42)
           .revoke(rv["revoked"].serial, WHEN - datetime.timedelta(days=1)).finish())
    assert len(crl) == 1 and crl.number == 42
    assert crl.check(rv["revoked"], rv["ica"], WHEN)[0] == t.CertStatus.REVOKED


def test_certificate_requests():
    key = t.Key.generate(t.KeyType.ECDSA_P256)
    der = (t.CsrBuilder("CN=device-0001,O=TSVC Test,C=JP").san(t.GeneralNameType.DNS, "device.example")
           .key_usage(t.KeyUsage.DIGITAL_SIGNATURE).eku("1.3.6.1.5.5.7.3.2").sign(key))
    csr = t.Csr.load(der)
    assert csr.subject == "CN=device-0001,O=TSVC Test,C=JP"
    assert csr.public_key().export() == key.public_key().export()
    assert csr.extended_key_usages == ["1.3.6.1.5.5.7.3.2"]
    assert csr.key_usage == t.KeyUsage.DIGITAL_SIGNATURE
    bad = bytearray(der)
    bad[-1] ^= 1
    with pytest.raises(t.Error):
        t.Csr.load(bytes(bad))
