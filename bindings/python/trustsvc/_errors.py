# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Exceptions: one class per status family, all derived from Error."""
from __future__ import annotations

from typing import Any

from ._enums import Status
from ._native import ffi, lib


class Error(Exception):
    """A libtrustsvc call failed.

    Attributes: ``code`` (the numeric status), ``status`` (a :class:`Status`
    when the value is known), ``message``, ``check`` (the name of the failing
    check, or None) and ``offset`` (byte offset in the input, or None).
    """

    family = None  # type: int | None

    def __init__(self, code: int, message: str = "", check: str | None = None,
                 offset: int | None = None) -> None:
        self.code = int(code)
        try:
            self.status: Status | int = Status(self.code)
        except ValueError:
            self.status = self.code
        self.message = message or ffi.string(lib.tsvc_status_str(self.code)).decode()
        self.check = check
        self.offset = offset
        name = self.status.name if isinstance(self.status, Status) else str(self.code)
        text = f"{name}: {self.message}"
        if check:
            text += f" [{check}]"
        if offset is not None:
            text += f" at offset {offset}"
        super().__init__(text)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "status": str(getattr(self.status, "name", self.status)),
                "message": self.message, "check": self.check, "offset": self.offset}


class GeneralError(Error):
    """General failures (-1 .. -99): bad arguments, memory, state, I/O."""
    family = 0


class LimitError(Error):
    """A configured limit was exceeded (-100 family)."""
    family = -100


class EncodingError(Error):
    """Malformed DER, BER, PEM, base64, OID or time (-200 family)."""
    family = -200


class CryptoError(Error):
    """Backends, algorithms, keys and signatures (-300 family)."""
    family = -300


class CertificateError(Error):
    """Malformed certificates and names (-400 family)."""
    family = -400


class PathError(Error):
    """Stores, anchors, policies and peer names (-500 family)."""
    family = -500


class RevocationError(Error):
    """CRLs, OCSP and the fetch callback (-600 family)."""
    family = -600


class CMSError(Error):
    """CMS structures, signers, algorithm policy and e-seals (-700 family)."""
    family = -700


class TimeStampError(Error):
    """RFC 3161 requests, responses, tokens and the TSA (-800 family)."""
    family = -800


class KeyStoreError(Error):
    """PKCS#11 tokens, key assurance, signature activation, CSRs (-900 family)."""
    family = -900


_FAMILIES: dict[int, type[Error]] = {
    c.family: c for c in (GeneralError, LimitError, EncodingError, CryptoError, CertificateError,
                          PathError, RevocationError, CMSError, TimeStampError, KeyStoreError)
}


def error_class(code: int) -> type[Error]:
    """The exception class of a status code."""
    return _FAMILIES.get(int(lib.tsvc_status_family(int(code))), Error)


def make_error(code: int, err: Any = None) -> Error:
    """Builds the exception for a status and an optional tsvc_error (freed here)."""
    message, check, offset = "", None, None
    if err is not None and err != ffi.NULL:
        message = ffi.string(lib.tsvc_error_message(err)).decode("utf-8", "replace")
        c = lib.tsvc_error_check(err)
        check = ffi.string(c).decode() if c != ffi.NULL else None
        off = int(lib.tsvc_error_offset(err))
        offset = off if off >= 0 else None
        code = int(lib.tsvc_error_code(err)) or code
        lib.tsvc_error_free(err)
    return error_class(code)(code, message, check, offset)


def call(fn: Any, *args: Any) -> None:
    """Calls a function whose last parameter is ``tsvc_error **err``; raises on failure."""
    errp = ffi.new("tsvc_error **")
    st = fn(*args, errp)
    if st != 0:
        raise make_error(st, errp[0])
    if errp[0] != ffi.NULL:  # never on success, but do not leak if it happens
        lib.tsvc_error_free(errp[0])


def check(st: int) -> None:
    """Raises for a status of a function without an error parameter."""
    if st != 0:
        raise make_error(st)
