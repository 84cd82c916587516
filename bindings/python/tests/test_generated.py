# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""The generated layers agree with the compiled library."""
from __future__ import annotations

import json
import os
from pathlib import Path

import trustsvc as t
from trustsvc import _enums
from trustsvc._native import ffi, lib

API = Path(__file__).resolve().parents[2] / "gen" / "api.json"


def test_every_enum_value_matches_the_library():
    api = json.loads(API.read_text())
    n = 0
    for e in api["enums"]:
        for v in e["values"]:
            assert getattr(lib, v["name"]) == v["value"], v["name"]
            n += 1
    assert n > 200


def test_python_enums_match_api_json():
    api = json.loads(API.read_text())
    for e in api["enums"]:
        cls = getattr(_enums, "".join(w.capitalize() for w in e["name"][5:].split("_")))
        assert sorted(int(m) for m in cls) == sorted({v["value"] for v in e["values"]})


def test_every_function_is_bound():
    api = json.loads(API.read_text())
    for f in api["functions"]:
        assert hasattr(lib, f["name"]), f["name"]


def test_constants_and_twins():
    assert t.HASH_MAX_SIZE == lib.tsvc_hash_max_size() == 64
    assert t.FINGERPRINT_SIZE == lib.tsvc_fingerprint_size()
    assert t.version() == ffi.string(lib.tsvc_version_str()).decode()


def test_status_strings_and_families():
    assert t.status_str(t.Status.ERR_NOMEM)
    assert t.error_class(t.Status.ERR_DER_TRUNCATED) is t.EncodingError
    assert t.error_class(t.Status.ERR_SIGNATURE_INVALID) is t.CryptoError
    assert t.error_class(t.Status.ERR_TSP_FORMAT) is t.TimeStampError
    assert t.error_class(t.Status.ERR_PKCS11_URI) is t.KeyStoreError
    assert t.error_class(t.Status.ERR_INVALID_ARG) is t.GeneralError
    for cls in (t.GeneralError, t.LimitError, t.EncodingError, t.CryptoError, t.CertificateError,
                t.PathError, t.RevocationError, t.CMSError, t.TimeStampError, t.KeyStoreError):
        assert issubclass(cls, t.Error)


def test_indication_names():
    assert t.Indication.PASSED.name == "PASSED"
    assert t.Subindication(15) is t.Subindication.NO_CERTIFICATE_CHAIN_FOUND
