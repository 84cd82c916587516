# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Keys in a PKCS#11 token (SoftHSM2), end to end: generate in the token,
certify, sign CAdES, verify, key assurance, URIs and errors. Skipped with a
reason when SoftHSM2 or PKCS#11 support is missing."""
from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import trustsvc as t

PIN = "1234"


def _module() -> str | None:
    cands = [os.environ.get("TSVC_SOFTHSM_MODULE", ""), "/usr/lib/softhsm/libsofthsm2.so",
             "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
             "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so"]
    return next((c for c in cands if c and os.path.exists(c)), None)


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    if not t.Pkcs11Module.available():
        pytest.skip("libtrustsvc was built without PKCS#11 support")
    mod_path = _module()
    if mod_path is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 is not installed (softhsm2 package)")
    d = tmp_path_factory.mktemp("softhsm")
    (d / "tokens").mkdir()
    conf = d / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {d / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "bindings",
                    "--pin", PIN, "--so-pin", "5678"], check=True, capture_output=True)
    mod = t.Pkcs11Module(mod_path, pin=PIN)
    yield mod, mod_path
    mod.close()


def _certify(key: t.Key, data: Path, when: datetime.datetime) -> t.Certificate:
    ca = t.Certificate.load((data / "cms" / "ca.pem").read_bytes())
    ca_key = t.Key.load((data / "cms" / "ca.key").read_bytes())
    return (t.CertificateBuilder().subject("CN=HSM Signer,O=TSVC Test,C=JP").issuer_cert(ca)
            .serial(0x4853) .validity(when - datetime.timedelta(hours=1), when + datetime.timedelta(days=30))
            .public_key(key.public_key()).key_usage(t.KeyUsage.NON_REPUDIATION | t.KeyUsage.DIGITAL_SIGNATURE)
            .sign(ca_key))


@pytest.mark.parametrize("kt", [t.KeyType.ECDSA_P256, t.KeyType.RSA])
def test_token_key_signs_cades(token, kt, data, store, when):
    mod, _ = token
    label = f"signer-{kt.name.lower()}"
    key = mod.generate_key(f"pkcs11:token=bindings;object={label}", kt, 2048 if kt == t.KeyType.RSA else 0)
    info = key.info()
    assert info["storage"] == "HSM"
    assert info["token_label"] == "bindings" and info["key_label"] == label
    assert info["sensitive"] and not info["extractable"]
    key.check_requirements(hsm=True, non_extractable=True)
    with pytest.raises(t.Error):
        key.export()
    cert = _certify(key, data, when)
    cms = t.sign(b"signed in the token", key, cert, signing_time=when, chain=[])
    r = t.verify(cms, store, t.Policy(time=when))
    assert r.passed, r.to_json()
    sig = key.sign(b"raw")
    assert key.public_key().verify(sig, b"raw")
    assert key.uri().startswith("pkcs11:")


def test_open_by_uri(token):
    mod, path = token
    mod.generate_key("pkcs11:token=bindings;object=by-uri", t.KeyType.ECDSA_P256)
    k = mod.open_key("pkcs11:token=bindings;object=by-uri;type=private")
    assert k.info()["storage"] == "HSM"
    k2 = t.Key.from_uri(f"pkcs11:token=bindings;object=by-uri?module-path={path}&pin-value={PIN}")
    assert k2.public_key().verify(k2.sign(b"m"), b"m")


def test_token_errors(token, tmp_path):
    mod, _ = token
    with pytest.raises(t.KeyStoreError) as ei:
        mod.open_key("pkcs11:token=bindings;object=does-not-exist")
    assert ei.value.status == t.Status.ERR_PKCS11_OBJECT_NOT_FOUND
    with pytest.raises(t.KeyStoreError) as ei:
        mod.open_key("pkcs11:token=no-such-token;object=x")
    assert ei.value.status == t.Status.ERR_PKCS11_TOKEN_NOT_FOUND
    with pytest.raises(t.KeyStoreError) as ei:
        mod.open_key("pkcs12:token=x")
    assert ei.value.status == t.Status.ERR_PKCS11_URI
    with pytest.raises(t.KeyStoreError) as ei:
        t.Pkcs11Module(str(tmp_path / "missing.so"))
    assert ei.value.status == t.Status.ERR_PKCS11_MODULE
