# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Fixtures: the repository's committed test PKI (tests/data/cms, tests/data/tsp)."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

import trustsvc as t

DATA = Path(os.environ.get("TSVC_TEST_DATA")
            or Path(__file__).resolve().parents[3] / "tests" / "data")


def _read(rel: str) -> bytes:
    return (DATA / rel).read_bytes()


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def root() -> t.Certificate:
    return t.Certificate.load(_read("cms/root.pem"))


@pytest.fixture(scope="session")
def ca() -> t.Certificate:
    return t.Certificate.load(_read("cms/ca.pem"))


@pytest.fixture(scope="session")
def store(root: t.Certificate, ca: t.Certificate) -> t.Store:
    s = t.Store([root], [ca])
    s.freeze()
    return s


def signer(kind: str) -> tuple[t.Key, t.Certificate]:
    return t.Key.load(_read(f"cms/signer-{kind}.key")), t.Certificate.load(_read(f"cms/signer-{kind}.pem"))


@pytest.fixture(scope="session", params=["rsa", "ec", "ed"])
def any_signer(request: pytest.FixtureRequest) -> tuple[str, t.Key, t.Certificate]:
    k, c = signer(request.param)
    return request.param, k, c


@pytest.fixture(scope="session")
def ec_signer() -> tuple[t.Key, t.Certificate]:
    return signer("ec")


@pytest.fixture(scope="session")
def when(root: t.Certificate) -> datetime.datetime:
    """The tests validate one day after the test certificates were made."""
    return root.not_before + datetime.timedelta(days=1)


@pytest.fixture(scope="session")
def policy(when: datetime.datetime) -> t.Policy:
    return t.Policy(time=when)


@pytest.fixture(scope="session")
def iot() -> t.AlgorithmPolicy:
    return t.AlgorithmPolicy(t.AlgpolPreset.IOT)


@pytest.fixture(scope="session")
def tsa_pki() -> dict:
    return {
        "root": t.Certificate.load(_read("tsp/root.pem")),
        "cert": t.Certificate.load(_read("tsp/tsa-ec.pem")),
        "key": t.Key.load(_read("tsp/tsa-ec.key")),
    }
