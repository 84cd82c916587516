# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""CAdES B-T, B-LT and B-LTA (ES-T, ES-XL, ES-A) and long-term validation,
over a PKI made here: a root, a signer and a TSA (critical id-kp-timeStamping),
the root's CRLs, and an in-process TSA reached through the fetch callback."""
from __future__ import annotations

import datetime as dt

import pytest

import trustsvc as t

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 3, 1, tzinfo=UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
SIGNER_SERIAL = 0x51


class World:
    def __init__(self) -> None:
        self.ctx = t.Context()
        self.now = T0
        self.ctx.set_clock(lambda: self.now)
        self.root_key = t.Key.generate(t.KeyType.ECDSA_P256, ctx=self.ctx)
        self.root = (t.CertificateBuilder(self.ctx).subject("CN=LT Root,O=TSVC Test,C=JP")
                     .issuer("CN=LT Root,O=TSVC Test,C=JP").serial(1)
                     .validity(T0 - 30 * DAY, T0 + 3 * 365 * DAY)
                     .public_key(self.root_key.public_key()).ca()
                     .key_usage(t.KeyUsage.KEY_CERT_SIGN | t.KeyUsage.CRL_SIGN).sign(self.root_key))
        self.key = t.Key.generate(t.KeyType.ECDSA_P256, ctx=self.ctx)
        self.cert = self._issue("CN=LT Signer,O=TSVC Test,C=JP", self.key, SIGNER_SERIAL,
                                t.KeyUsage.DIGITAL_SIGNATURE | t.KeyUsage.NON_REPUDIATION)
        self.tsa_key = t.Key.generate(t.KeyType.ECDSA_P256, ctx=self.ctx)
        self.tsa_cert = self._issue("CN=LT TSA,O=TSVC Test,C=JP", self.tsa_key, 0x52,
                                    t.KeyUsage.DIGITAL_SIGNATURE, eku="1.3.6.1.5.5.7.3.8")
        self.tsa_time = T0
        self.tsa = t.TimeStampAuthority(self.tsa_key, self.tsa_cert, "1.2.3.4.1",
                                        clock=lambda: self.tsa_time, ctx=self.ctx)
        self.ctx.set_fetch(self._fetch)
        self.crl_number = 1

    def _issue(self, subject, key, serial, ku, eku=None):
        b = (t.CertificateBuilder(self.ctx).subject(subject).issuer_cert(self.root).serial(serial)
             .validity(T0 - DAY, T0 + 2 * 365 * DAY).public_key(key.public_key()).key_usage(ku))
        if eku:
            b.eku(eku, critical=True)
        return b.sign(self.root_key)

    def _fetch(self, url: str, content_type: str, body: bytes) -> bytes:
        assert url == "http://tsa.test/"
        return self.tsa.respond(body)

    def crl(self, at, revoked_at=None):
        b = t.CrlBuilder(self.root, self.root_key, self.ctx).times(at, at + 7 * DAY).number(self.crl_number)
        self.crl_number += 1
        if revoked_at is not None and revoked_at <= at:
            b.revoke(SIGNER_SERIAL, revoked_at, t.CrlReason.KEY_COMPROMISE)
        return b.finish()

    def store(self, *crls):
        return t.Store([self.root], crls=crls, ctx=self.ctx)

    def bt(self, text=b"long-term document"):
        self.now = T0
        bb = t.sign(text, self.key, self.cert, signing_time=T0, ctx=self.ctx)
        self.now = self.tsa_time = T0 + HOUR
        return t.timestamp_signature(bb, "http://tsa.test/", ctx=self.ctx)


@pytest.fixture()
def w() -> World:
    return World()


def test_b_t(w):
    bb = t.sign(b"x", w.key, w.cert, signing_time=T0, ctx=w.ctx)
    r = t.verify_signature_timestamps(bb, w.store(), ctx=w.ctx)
    assert r.indication == t.Indication.INDETERMINATE and r.subindication == t.Subindication.NO_POE
    w.tsa_time = T0 + HOUR
    bt = t.add_signature_timestamp(bb, tsa=w.tsa, ctx=w.ctx)
    r = t.verify_signature_timestamps(bt, w.store(), ctx=w.ctx)
    assert r.passed and r.time == T0 + HOUR
    v = t.verify(bt, w.store(), t.Policy(time=T0 + 2 * HOUR, ctx=w.ctx), ctx=w.ctx)
    assert v.passed
    assert v.signers[0].best_signature_time == T0 + HOUR
    # the two-step form, with the request's nonce checked
    q = t.signature_timestamp_request(bb, ctx=w.ctx)
    bt2 = t.add_signature_timestamp(bb, w.tsa.respond(q), q, ctx=w.ctx)
    assert t.verify_signature_timestamps(bt2, w.store(), ctx=w.ctx).passed
    with pytest.raises(t.TimeStampError):
        t.add_signature_timestamp(bb, w.tsa.respond(t.TimeStampRequest(data=b"other", ctx=w.ctx)),
                                  ctx=w.ctx)


@pytest.mark.parametrize("profile,level", [(t.LtProfile.EN, "B-LTA"), (t.LtProfile.JIS, "B-LTA")])
def test_lt_lta_and_validation_in_the_past(w, profile, level):
    bt = w.bt()
    at = T0 + 2 * HOUR
    lt = t.extend_lt(bt, w.store(w.crl(at)), profile=profile, when=at, ctx=w.ctx)
    assert len(lt) > len(bt)
    version = t.AtsVersion.V3 if profile == t.LtProfile.EN else t.AtsVersion.V2
    w.now = w.tsa_time = T0 + 3 * HOUR
    lta = t.archive_timestamp(lt, "http://tsa.test/", version=version, ctx=w.ctx)
    later = T0 + 365 * DAY
    r = t.verify_long_term(lta, w.store(w.crl(later - DAY)), when=later, ctx=w.ctx)
    assert r.passed, r.to_json()
    assert r.level == level
    assert r.best_signature_time == T0 + HOUR
    (ats,) = r.archive_timestamps
    assert ats["version"] == version and ats["indication"] == t.Indication.PASSED
    assert r.to_dict()["indication"] == "PASSED"
    assert r.checks is None or isinstance(r.checks.to_dict(), dict)


def test_revoked_after_the_time_stamp_still_passes(w):
    lt = t.extend_lt(w.bt(), w.store(w.crl(T0 + 2 * HOUR)), when=T0 + 2 * HOUR, ctx=w.ctx)
    later = T0 + 365 * DAY
    r = t.verify_long_term(lt, w.store(w.crl(later - DAY, revoked_at=T0 + 30 * DAY)), when=later,
                           ctx=w.ctx)
    assert r.passed and r.level == "B-LT"


def test_revoked_before_the_time_stamp_fails(w):
    bt = w.bt()
    at = T0 + 2 * HOUR
    lt = t.extend_lt(bt, w.store(w.crl(at, revoked_at=T0 + 30 * dt.timedelta(minutes=1))), when=at,
                     ctx=w.ctx)
    r = t.verify_long_term(lt, w.store(w.crl(at, revoked_at=T0 + 30 * dt.timedelta(minutes=1))),
                           when=at + DAY, ctx=w.ctx)
    assert not r.passed


def test_level_errors(w):
    bb = t.sign(b"x", w.key, w.cert, signing_time=T0, ctx=w.ctx)
    with pytest.raises(t.CMSError) as ei:
        t.extend_lt(bb, w.store(w.crl(T0 + HOUR)), ctx=w.ctx)
    assert ei.value.status == t.Status.ERR_ADES_LEVEL
    with pytest.raises(t.CMSError):
        t.extend_lt(w.bt(), w.store(w.crl(T0 + 2 * HOUR)), signer_index=5, ctx=w.ctx)
    r = t.verify_long_term(b"junk", w.store(), ctx=w.ctx)  # an outcome, not an error
    assert not r.passed
