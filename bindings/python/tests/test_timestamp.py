# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""RFC 3161: requests, the TSA, responses, tokens and the fetch callback."""
from __future__ import annotations

import datetime

import pytest

import trustsvc as t

POLICY = "1.2.3.4.1"


@pytest.fixture()
def tsa(tsa_pki):
    when = tsa_pki["cert"].not_before + datetime.timedelta(days=1)
    serials = iter(range(1000, 2000))
    with t.TimeStampAuthority(tsa_pki["key"], tsa_pki["cert"], POLICY, clock=lambda: when,
                              serial=lambda: next(serials), accuracy=(1, 0, 0),
                              ordering=True) as a:
        a.when = when  # type: ignore[attr-defined]
        yield a


def test_round_trip(tsa, tsa_pki):
    q = t.TimeStampRequest(data=b"document", policy=POLICY)
    assert t.TimeStampRequest.load(q.encode()).digest == q.digest == t.hash_data(b"document")
    resp = t.TimeStampResponse.load(tsa.respond(q))
    assert resp.granted and resp.status == t.PkiStatus.GRANTED
    tok = resp.token
    assert tok is not None
    assert tok.serial == 1000 and tok.policy == POLICY
    assert tok.gen_time == tsa.when.replace(microsecond=0)
    assert tok.accuracy == (1, 0, 0) and tok.ordering
    assert tok.nonce == q.nonce
    assert tok.signer_certificate == tsa_pki["cert"]
    store = t.Store([tsa_pki["root"]])
    assert resp.verify(q, store, now=tsa.when).passed
    assert resp.verify(q, store, now=tsa.when, policy=t.Policy(time=tsa.when)).passed
    assert tok.verify(store, data=b"document", now=tsa.when).passed
    r = tok.verify(store, data=b"other", now=tsa.when)
    assert r.indication == t.Indication.FAILED and r.subindication == t.Subindication.HASH_FAILURE
    tok2 = t.TimeStampToken.load(tok.der)
    assert tok2.serial == 1000
    assert tsa.num_issued == 1


def test_nonce_mismatch(tsa, tsa_pki):
    q1 = t.TimeStampRequest(data=b"a", nonce=b"\x01\x02\x03")
    q2 = t.TimeStampRequest(data=b"a", nonce=b"\x09\x09\x09")
    resp = t.TimeStampResponse.load(tsa.respond(q1))
    r = resp.verify(q2, t.Store([tsa_pki["root"]]), now=tsa.when)
    assert not r.passed


def test_rejections(tsa):
    resp = t.TimeStampResponse.load(tsa.respond(b"\x30\x00"))
    assert resp.status == t.PkiStatus.REJECTION and resp.token is None
    assert resp.fail_info & (t.TspFailInfo.BAD_REQUEST | t.TspFailInfo.BAD_DATA_FORMAT)
    q = t.TimeStampRequest(data=b"a", policy="1.2.3.9.9")
    resp = t.TimeStampResponse.load(tsa.respond(q))
    assert resp.fail_info & t.TspFailInfo.UNACCEPTED_POLICY
    with pytest.raises(t.TimeStampError) as ei:
        t.TimeStampRequest(data=b"a", hash=t.HashAlg.SHA1)
    assert ei.value.status == t.Status.ERR_TSP_HASH
    assert ei.value.check


def test_tsa_certificate_without_eku(data):
    key = t.Key.load((data / "tsp" / "tsa-noeku.key").read_bytes())
    cert = t.Certificate.load((data / "tsp" / "tsa-noeku.pem").read_bytes())
    with pytest.raises(t.TimeStampError) as ei:
        t.TimeStampAuthority(key, cert, POLICY)
    assert ei.value.status == t.Status.ERR_TSA_CERT


def test_tsa_key_requirements(tsa_pki):
    with pytest.raises(t.KeyStoreError) as ei:
        t.TimeStampAuthority(tsa_pki["key"], tsa_pki["cert"], POLICY, key_requirements={"hsm": True})
    assert ei.value.status == t.Status.ERR_KEY_ASSURANCE


def test_malformed_inputs():
    with pytest.raises(t.Error):
        t.TimeStampResponse.load(b"\x30\x01")
    with pytest.raises(t.Error):
        t.TimeStampToken.load(b"garbage")
    with pytest.raises(TypeError):
        t.TimeStampRequest()


def test_fetch_callback(tsa, tsa_pki):
    ctx = t.Context()
    calls = []

    def fetch(url: str, ctype: str, body: bytes) -> bytes:
        calls.append((url, ctype))
        return tsa.respond(body)

    ctx.set_fetch(fetch)
    q = t.TimeStampRequest(data=b"net", ctx=ctx)
    resp = q.fetch("http://tsa.example/")
    assert calls == [("http://tsa.example/", t.TSQ_MEDIA_TYPE)]
    assert resp.verify(q, t.Store([tsa_pki["root"]], ctx=ctx), now=tsa.when).passed

    def failing(url, ctype, body):
        raise OSError("network down")

    ctx.set_fetch(failing)
    with pytest.raises(t.RevocationError) as ei:
        q.fetch("http://tsa.example/")
    assert ei.value.status == t.Status.ERR_FETCH
