# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Keys, public keys, certificates, hashing and their error paths."""
from __future__ import annotations

import io

import pytest

import trustsvc as t


@pytest.mark.parametrize("kt,bits", [(t.KeyType.ED25519, 0), (t.KeyType.ECDSA_P256, 0),
                                     (t.KeyType.ECDSA_P384, 0), (t.KeyType.RSA, 2048)])
def test_generate_sign_verify(kt, bits):
    with t.Key.generate(kt, bits) as k:
        pub = k.public_key()
        assert pub.type == kt
        sig = k.sign(b"message")
        assert pub.verify(sig, b"message")
        assert not pub.verify(sig, b"messagE")
        assert k.info()["storage"] == "SOFTWARE"


def test_export_import_roundtrip():
    k = t.Key.generate()
    pem = k.export(t.KeyFormat.PEM)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    k2 = t.Key.load(io.BytesIO(pem))
    sig = k2.sign(b"x")
    assert k.public_key().verify(sig, b"x")
    pub = t.PublicKey.load(k.public_key().export())
    assert pub.verify(sig, bytearray(b"x"))


def test_prehashed_ecdsa():
    k = t.Key.generate(t.KeyType.ECDSA_P256)
    d = t.hash_data(b"abc")
    sig = k.sign(d, prehashed=True)
    assert k.public_key().verify(sig, b"abc")
    assert k.public_key().verify(sig, d, prehashed=True)


def test_hash_inputs():
    want = bytes.fromhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert t.hash_data(b"abc") == want
    assert t.hash_data(memoryview(b"xabc")[1:]) == want
    assert t.hash_data(io.BytesIO(b"abc")) == want
    assert len(t.hash_data(b"", t.HashAlg.SHA512)) == 64
    assert len(t.random_bytes(17)) == 17


def test_bad_key_bytes():
    with pytest.raises(t.Error) as ei:
        t.Key.load(b"\x30\x03\x02\x01\x00")
    assert ei.value.code < 0 and ei.value.message
    with pytest.raises(TypeError):
        t.Key.load("not bytes")  # type: ignore[arg-type]


def test_wrong_scheme_for_key():
    k = t.Key.generate(t.KeyType.ED25519)
    with pytest.raises(t.CryptoError):
        k.sign(b"x", scheme=t.SigScheme.RSA_PSS, hash=t.HashAlg.SHA256)


def test_activation_callback():
    k = t.Key.generate()
    seen = []

    def allow(req: t.ActivationRequest):
        seen.append(req.scheme)
        return "PIN entered by the test"

    k.set_activation(allow)
    assert k.info()["has_activation"]
    k.sign(b"x")
    assert seen == [t.SigScheme.ED25519]
    k.set_activation(lambda req: False)
    with pytest.raises(t.KeyStoreError) as ei:
        k.sign(b"x")
    assert ei.value.status == t.Status.ERR_ACTIVATION_REFUSED

    def boom(req):
        raise RuntimeError("callback failed")

    k.set_activation(boom)
    with pytest.raises(t.KeyStoreError):
        k.sign(b"x")
    k.set_activation(None)
    k.sign(b"x")


def test_key_requirements():
    k = t.Key.generate()
    k.check_requirements()
    with pytest.raises(t.KeyStoreError) as ei:
        k.check_requirements(hsm=True)
    assert ei.value.status == t.Status.ERR_KEY_ASSURANCE


def test_certificate_properties(data, root, ca):
    c = t.Certificate.load((data / "cms" / "signer-rsa.pem").read_bytes())
    assert "C=JP" in c.subject
    assert c.issuer == ca.subject
    assert c.version == 3
    assert c.not_before < c.not_after
    assert len(c.fingerprint()) == 32
    assert c.public_key().type == t.KeyType.RSA
    assert root.is_self_issued and not c.is_self_issued
    assert c.key_usage is not None and c.key_usage & t.KeyUsage.NON_REPUDIATION
    assert ca.basic_constraints is not None and ca.basic_constraints[0]
    d = c.to_dict()
    assert d["serial"] == c.serial
    assert t.Certificate.load(memoryview(c.der)) == c


def test_certificate_from_file_and_bundle(data):
    with open(data / "cms" / "root.pem", "rb") as f:
        c = t.Certificate.load(f)
    chain = t.load_certificates((data / "cms" / "chain.pem").read_bytes())
    assert len(chain) == 2 and chain[1] == c


def test_certificate_errors():
    with pytest.raises(t.EncodingError) as ei:
        t.Certificate.load(b"\x30\x82\x01")
    assert ei.value.offset is not None
    with pytest.raises(t.Error):
        t.Certificate.load(b"")
    with pytest.raises(TypeError):
        t.Certificate.load(12)  # type: ignore[arg-type]


def test_closed_handle():
    k = t.Key.generate()
    k.close()
    assert k.closed
    with pytest.raises(ValueError):
        k.sign(b"x")
    k.close()  # twice is fine


def test_context_limits_and_clock():
    with t.Context() as ctx:
        ctx.set_limit(t.Limit.INPUT_SIZE, 100)
        assert ctx.get_limit(t.Limit.INPUT_SIZE) == 100
        with pytest.raises(t.LimitError):
            t.Certificate.load(b"\x30" + b"\x00" * 200, ctx=ctx)
        with pytest.raises(t.GeneralError):
            ctx.set_limit(t.Limit.INPUT_SIZE, 0)
        ctx.set_clock(lambda: 1234567)
        assert ctx.now() == 1234567
        ctx.set_clock(lambda: 1 / 0)
        with pytest.raises(t.GeneralError) as ei:
            ctx.now()
        assert ei.value.status == t.Status.ERR_CLOCK
        ctx.set_clock(None)
        assert ctx.now() > 1600000000
        assert {b["name"] for b in ctx.backends}


def test_signer_label_requirements_and_evidence(data):
    key = t.Key.load((data / "cms" / "signer-ec.key").read_bytes())
    cert = t.Certificate.load((data / "cms" / "signer-ec.pem").read_bytes())
    when = cert.not_before + __import__("datetime").timedelta(days=1)
    labels = []

    def approve(req):
        labels.append(req.label)
        return "approved by the test"

    key.set_activation(approve)
    with t.Signer(key, cert, signing_time=when, label="contract 2026-0042") as s:
        s.update(b"x")
        s.finish()
        ev = s.evidence()
    assert labels == ["contract 2026-0042"]
    assert ev is not None and "contract 2026-0042" in json_dumps(ev)
    assert "approved by the test" in json_dumps(ev)
    key.set_activation(None)
    with pytest.raises(t.KeyStoreError) as ei:
        t.Signer(key, cert, signing_time=when, key_requirements={"hsm": True})
    assert ei.value.status == t.Status.ERR_KEY_ASSURANCE


def json_dumps(o) -> str:
    import json
    return json.dumps(o)
