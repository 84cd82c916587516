# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""CAdES signing, e-seals, verification, path validation and reports."""
from __future__ import annotations

import datetime
import io
import json

import pytest

import trustsvc as t
from conftest import signer


def _algs(kind, iot):
    return iot if kind == "ed" else None


def test_sign_verify_each_key_type(any_signer, ca, store, policy, when, iot):
    kind, key, cert = any_signer
    cms = t.sign(b"contract", key, cert, signing_time=when, chain=[ca], algorithm_policy=_algs(kind, iot))
    r = t.verify(cms, store, policy, algorithm_policy=_algs(kind, iot))
    assert r.passed and bool(r)
    (s,) = r.signers
    assert s.indication == t.Indication.PASSED
    assert s.certificate == cert
    assert s.signing_time == when.replace(microsecond=0)
    d = r.to_dict()
    assert d["indication"] == "PASSED"
    assert json.loads(r.to_json()) == d
    assert s.checks is not None and isinstance(s.checks.to_dict(), dict)
    assert s.chain[0] == cert and s.chain[-1].is_self_issued
    assert s.best_signature_time is None  # B-B: no signature time-stamp


def test_detached_streamed(ec_signer, store, policy, when):
    key, cert = ec_signer
    content = b"0123456789" * 50000
    with t.Signer(key, cert, detached=True, signing_time=when) as s:
        s.update(io.BytesIO(content))
        cms = s.finish()
    assert len(cms) < 4000
    assert t.verify(cms, store, policy, content=io.BytesIO(content)).passed
    assert t.verify(cms, store, policy, content=memoryview(content)).passed
    bad = t.verify(cms, store, policy, content=content[:-1] + b"X")
    assert bad.indication == t.Indication.FAILED
    assert bad.signers[0].subindication == t.Subindication.HASH_FAILURE
    r = t.verify(cms, store, policy)  # detached, and no content given
    assert not r.passed


def test_external_signing(ec_signer, store, policy, when):
    key, cert = ec_signer
    s = t.Signer(None, cert, detached=True, signing_time=when)
    s.update(b"external")
    digest, alg = s.digest_to_sign()
    assert alg == t.HashAlg.SHA256 and len(digest) == 32
    s.set_signature(key.sign(digest, prehashed=True))
    cms = s.finish()
    s.close()
    assert t.verify(cms, store, policy, content=b"external").passed


def test_untrusted_and_expired(ec_signer, root, ca, when):
    key, cert = ec_signer
    cms = t.sign(b"x", key, cert, signing_time=when)
    r = t.verify(cms, t.Store([ca]), t.Policy(time=when))
    assert r.passed  # the CA itself as anchor
    other = t.Store([t.Certificate.load(t.CertificateBuilder()
                                        .subject("CN=Other").issuer("CN=Other").serial(1)
                                        .validity(0, 2**31).public_key(t.Key.generate().public_key())
                                        .ca().sign(t.Key.generate()).der)])
    r = t.verify(cms, other, t.Policy(time=when))
    assert r.indication == t.Indication.INDETERMINATE
    assert r.signers[0].subindication == t.Subindication.NO_CERTIFICATE_CHAIN_FOUND
    late = cert.not_after + datetime.timedelta(days=2)
    r = t.validate(cert, t.Store([root], [ca]), t.Policy(time=late))
    assert not r.passed
    assert r.subindication in (t.Subindication.EXPIRED, t.Subindication.OUT_OF_BOUNDS_NO_POE,
                               t.Subindication.OUT_OF_BOUNDS_NOT_REVOKED)


def test_tampered_signature(ec_signer, store, policy, when):
    key, cert = ec_signer
    cms = bytearray(t.sign(b"payload", key, cert, signing_time=when))
    i = cms.find(b"payload")
    cms[i] ^= 1
    r = t.verify(bytes(cms), store, policy)
    assert r.indication == t.Indication.FAILED


def test_malformed_cms(store, policy):
    # A signature that cannot be decoded is a verification outcome, not an error.
    for bad in (b"\x30\x03\x02\x01\x01", b"\x30\x82\xff", b"junk"):
        r = t.verify(bad, store, policy)
        assert r.indication != t.Indication.PASSED
        assert r.to_dict()["indication"] != "PASSED"
    with pytest.raises(TypeError):
        t.verify("text", store, policy)  # type: ignore[arg-type]


def test_ed25519_refused_by_default_policy(store, policy, when):
    key, cert = signer("ed")
    with pytest.raises(t.CMSError) as ei:
        t.sign(b"x", key, cert, signing_time=when)
    assert ei.value.status == t.Status.ERR_ALGORITHM_POLICY
    assert ei.value.check


def test_weak_key_refused(when):
    key, cert = signer("weak")
    with pytest.raises(t.CMSError):
        t.sign(b"x", key, cert, signing_time=when)


def test_key_and_certificate_mismatch(when):
    key, _ = signer("ec")
    _, cert = signer("rsa")
    with pytest.raises(t.CMSError) as ei:
        t.sign(b"x", key, cert, signing_time=when)
    assert ei.value.status == t.Status.ERR_SIGNER_CERT


def test_signer_state_errors(ec_signer, when):
    key, cert = ec_signer
    s = t.Signer(key, cert, signing_time=when)
    s.update(b"a")
    s.finish()
    with pytest.raises(t.Error):
        s.update(b"b")


def test_validate_report(data, root, ca, when):
    cert = t.Certificate.load((data / "cms" / "signer-rsa.pem").read_bytes())
    r = t.validate(cert, t.Store([root], [ca]), t.Policy(time=when))
    assert r.passed
    assert [c.subject for c in r.chain] == [cert.subject, ca.subject, root.subject]
    assert r.checks and all(c["result"] in ("PASSED", "INFO", "SKIPPED", "FAILED") for c in r.checks)
    assert r.to_dict()["indication"] == "PASSED"
    r2 = t.validate(cert, t.Store([root]), t.Policy(time=when))
    assert r2.indication == t.Indication.INDETERMINATE


def test_store_rules(root, ca):
    s = t.Store([root])
    s.freeze()
    assert s.frozen and s.num_anchors == 1
    with pytest.raises(t.PathError) as ei:
        s.add_intermediate(ca)
    assert ei.value.status == t.Status.ERR_STORE_FROZEN
    with pytest.raises(t.PathError):
        t.Store().add_anchor(root, sha256=b"\x00" * 32)


def test_seal(data, store, policy, when):
    key = t.Key.load((data / "cms" / "seal.key").read_bytes())
    cert = t.Certificate.load((data / "cms" / "seal.pem").read_bytes())
    assert cert.organization() == ("Example Trust KK", "NTRJP-7000012050002")
    assert cert.qc_flags & t.QcFlag.TYPE_ESEAL
    cert.check_seal()
    cms = t.seal(b"invoice", key, cert, signing_time=when)
    r = t.verify(cms, store, policy, profile=t.VerifyProfile.SEAL)
    assert r.passed
    assert r.signers[0].organization_id == "NTRJP-7000012050002"
    bad = t.Certificate.load((data / "cms" / "seal-badnum.pem").read_bytes())
    with pytest.raises(t.CMSError):
        t.seal(b"invoice", key, bad, signing_time=when)
    # a natural person's certificate is not a seal certificate
    k2, c2 = signer("rsa")
    with pytest.raises(t.CMSError) as ei:
        t.seal(b"x", k2, c2, signing_time=when)
    assert ei.value.status in (t.Status.ERR_SEAL_CERT, t.Status.ERR_ORG_IDENTIFIER)


def test_corporate_numbers():
    assert t.corporate_number_valid("7000012050002")
    assert not t.corporate_number_valid("7000012050003")
    t.check_org_identifier("NTRJP-7000012050002")
    with pytest.raises(t.CMSError):
        t.check_org_identifier("NTRJP-7000012050003")


def test_threads_share_key_store_policy(ec_signer, store, policy, when):
    """Keys, certificates, stores and policies are shared; signers are per thread
    (cffi releases the GIL around C calls, so the threads really overlap)."""
    import threading

    key, cert = ec_signer
    errors: list = []

    def work() -> None:
        try:
            for _ in range(40):
                cms = t.sign(b"shared", key, cert, signing_time=when)
                if not t.verify(cms, store, policy).passed:
                    errors.append("not passed")
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
