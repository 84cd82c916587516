# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""The idiomatic layer over trustsvc._native (see the package docstring)."""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import threading
from typing import IO, Any, Callable, Iterable, Optional, Sequence, TypeVar, Union

from ._enums import (AtsVersion, LtProfile, CheckResult, CertStatus, CrlReason, Eku, GeneralNameType, HashAlg, Indication,
                     KeyFormat, KeyStorage, KeyType, Limit, PkiStatus, Profile, RevocationFetch,
                     RevocationMode, RevocationSource, SigScheme, SignCerts, SignerId, Status,
                     Subindication, VerifyProfile, AlgpolPreset, AlgpolKey, PeerKind, HsmCertification,
                     OcspResponseStatus)
from ._errors import Error, call, check, make_error
from ._native import ffi, lib

BytesLike = Union[bytes, bytearray, memoryview]
Source = Union[bytes, bytearray, memoryview, IO[bytes]]
Time = Union[int, float, _dt.datetime]

CHUNK = 1 << 16

__all__ = [
    "Context", "default_context", "Key", "PublicKey", "Certificate", "load_certificates",
    "Store", "Policy", "AlgorithmPolicy", "Report", "SignatureReport", "SignerReport",
    "validate", "Signer", "sign", "seal", "verify", "Verifier", "hash_data", "random_bytes",
    "Crl", "OcspResponse", "TimeStampRequest", "TimeStampToken", "TimeStampResponse",
    "TimeStampAuthority", "Pkcs11Module", "CertificateBuilder", "version", "status_str",
    "corporate_number_valid", "check_org_identifier", "CrlBuilder", "LongTermReport",
    "add_signature_timestamp", "timestamp_signature", "verify_signature_timestamps",
    "extend_lt", "archive_timestamp", "add_archive_timestamp", "verify_long_term",
    "signature_timestamp_request", "archive_timestamp_request",
    "OcspResponseBuilder", "ocsp_request", "ocsp_error_response", "CsrBuilder", "Csr",
]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def _buf_in(data: Any) -> tuple[Any, int]:
    """A (uint8_t pointer, length) pair over bytes-like input, without copying."""
    if isinstance(data, str):
        raise TypeError("expected bytes, bytearray or memoryview, not str")
    if isinstance(data, memoryview) and not data.contiguous:
        data = data.tobytes()
    if isinstance(data, memoryview) and data.format not in ("B", "b", "c"):
        data = data.cast("B")
    try:
        p = ffi.from_buffer("uint8_t[]", data)
    except TypeError:
        raise TypeError(f"expected a bytes-like object, not {type(data).__name__}") from None
    return p, len(p)


def _read_all(src: Source) -> BytesLike:
    if hasattr(src, "read"):
        return src.read()
    if isinstance(src, (str, os.PathLike)):
        raise TypeError("pass bytes or a binary file object (open(path, 'rb'))")
    return src


def _chunks(src: Source) -> Iterable[BytesLike]:
    if hasattr(src, "readinto") or hasattr(src, "read"):
        while True:
            b = src.read(CHUNK)  # type: ignore[union-attr]
            if not b:
                return
            if isinstance(b, str):
                raise TypeError("the file must be opened in binary mode")
            yield b
    else:
        yield _read_all(src)


def _take_buf(buf: Any) -> bytes:
    try:
        return bytes(ffi.buffer(buf.data, buf.len)) if buf.data != ffi.NULL else b""
    finally:
        lib.tsvc_buf_dispose(buf)


def _buf_call(fn: Any, *args: Any, at: int = 1) -> bytes:
    """Calls fn with a tsvc_buf output inserted at position ``at``; returns its bytes."""
    buf = ffi.new("tsvc_buf *")
    try:
        call(fn, *args[:at], buf, *args[at:])
    except BaseException:
        lib.tsvc_buf_dispose(buf)
        raise
    return _take_buf(buf)


def _borrowed_bytes(fn: Any, obj: Any) -> bytes | None:
    n = ffi.new("size_t *")
    p = fn(obj, n)
    if p == ffi.NULL:
        return None
    return bytes(ffi.buffer(p, n[0]))


def _str(p: Any) -> str | None:
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8", "replace")


def _cstr(s: str | None, keep: list) -> Any:
    if s is None:
        return ffi.NULL
    c = ffi.new("char[]", s.encode("utf-8"))
    keep.append(c)
    return c


def _epoch(t: Time | None) -> int:
    if t is None:
        return 0
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        return int(t.timestamp())
    return int(t)


def _dt_of(secs: int) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(secs, tz=_dt.timezone.utc)


def _oid_out(fn: Any, *args: Any) -> str | None:
    out = ffi.new("char[]", 256)
    st = fn(*args, out, 256)
    if st == Status.ERR_NOT_FOUND:
        return None
    check(st)
    return ffi.string(out).decode()


def version() -> str:
    """The version of the C library that is running."""
    return ffi.string(lib.tsvc_version_str()).decode()


def status_str(code: int) -> str:
    """The C library's description of a status code."""
    return ffi.string(lib.tsvc_status_str(int(code))).decode()


# --------------------------------------------------------------------------
# handles
# --------------------------------------------------------------------------

# Lifetimes. The garbage collector may release objects of a reference cycle
# in any order, so the order C needs (a context after everything made with
# it, a key after the signer that borrows it, callback handles as long as
# the C object that calls them) is kept here, by address, outside any
# object the collector could clear: a C object that others still depend on
# is released only when the last of them has been.
_reg_lock = threading.RLock()
_dependents: dict[int, int] = {}                   # address -> live objects that keep it
_deferred: dict[int, list] = {}                    # address -> [(free, raw)] waiting for them
_kept_by: dict[tuple[int, int], list] = {}         # (free id, address) -> stack of kept addresses
_callbacks: dict[int, list] = {}                   # address -> callback handles it may call


def _addr(p: Any) -> int:
    return int(ffi.cast("uintptr_t", p))


def _register(free: Any, raw: Any, kept: Iterable[Any]) -> None:
    ks = [_addr(k) for k in kept]
    with _reg_lock:
        for k in ks:
            _dependents[k] = _dependents.get(k, 0) + 1
        _kept_by.setdefault((id(free), _addr(raw)), []).append(ks)


def _release(free: Any, raw: Any) -> None:
    """Releases one reference, now or when nothing depends on it any more."""
    with _reg_lock:
        a = _addr(raw)
        if _dependents.get(a, 0) > 0:
            _deferred.setdefault(a, []).append((free, raw))
            return
    _really_free(free, raw)


def _really_free(free: Any, raw: Any) -> None:
    a = _addr(raw)
    free(raw)
    later: list = []
    with _reg_lock:
        stack = _kept_by.get((id(free), a))
        ks = stack.pop() if stack else []
        if not stack:
            # the last handle of this object: its callbacks can go
            _kept_by.pop((id(free), a), None)
            _callbacks.pop(a, None)
        for k in ks:
            n = _dependents.get(k, 1) - 1
            if n <= 0:
                _dependents.pop(k, None)
                later += _deferred.pop(k, [])
            else:
                _dependents[k] = n
    for f, r in later:
        _really_free(f, r)


def _keep_callback(owner: Any, handle: Any) -> None:
    """Keeps a cffi handle alive as long as the C object owner."""
    with _reg_lock:
        _callbacks.setdefault(_addr(owner), []).append(handle)


_H = TypeVar("_H", bound="_Handle")


class _Handle:
    """An owned C object released by close(), by ``with`` or by the GC."""

    _free: Any = None
    _destroy: Any = None

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        free = cls.__dict__.get("_free")
        if free is not None:
            cls._destroy = staticmethod(lambda p, _f=free: _release(_f, p))

    def __init__(self, ptr: Any, ctx: Optional["Context"] = None, owner: Any = None,
                 owned: bool = True, keep: Iterable[Any] = ()) -> None:
        kept = [ctx._p] if ctx is not None else []
        kept += [k._p for k in keep if k is not None]
        if owner is not None:
            kept.append(owner._p)
        self._keep: list = kept
        if owned and self._free is not None:
            _register(self._free, ptr, kept)
            ptr = ffi.gc(ptr, self._destroy)
        self._ptr = ptr
        self._ctx = ctx        # the Python context (for objects made from this one)
        self._owner = owner    # keeps a parent alive for borrowed objects
        self._owned = owned

    @property
    def _p(self) -> Any:
        if self._ptr is None:
            raise ValueError(f"{type(self).__name__} is closed")
        return self._ptr

    def close(self) -> None:
        """Releases the C object now (later uses raise ValueError)."""
        p, self._ptr = self._ptr, None
        if p is not None and self._owned and self._free is not None:
            ffi.release(p)

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _quiet(exc_type: Any, exc: Any, tb: Any) -> None:
    """Callback exceptions become the callback's error status (no traceback printed)."""
    return None


class Context(_Handle):
    """Configuration: crypto backends, limits, clock and fetch callback.

    Configure a context before sharing it: the setters are not thread-safe,
    everything else is. Objects keep their context alive.
    """

    _free = lib.tsvc_ctx_free

    def __init__(self) -> None:
        out = ffi.new("tsvc_ctx **")
        call(lib.tsvc_ctx_new, out, ffi.NULL)
        super().__init__(out[0])

    def set_limit(self, limit: Limit, value: int) -> None:
        call(lib.tsvc_ctx_set_limit, self._p, int(limit), int(value))

    def get_limit(self, limit: Limit) -> int:
        return int(lib.tsvc_ctx_get_limit(self._p, int(limit)))

    @property
    def backends(self) -> list[dict[str, Any]]:
        """Registered backends, best first: name and priority."""
        return [{"name": _str(lib.tsvc_ctx_backend_name(self._p, i)),
                 "priority": int(lib.tsvc_ctx_backend_priority(self._p, i))}
                for i in range(lib.tsvc_ctx_num_backends(self._p))]

    def set_backend_priority(self, name: str, priority: int) -> None:
        call(lib.tsvc_ctx_set_backend_priority, self._p, name.encode(), int(priority))

    def set_backend_enabled(self, name: str, enabled: bool) -> None:
        call(lib.tsvc_ctx_set_backend_enabled, self._p, name.encode(), 1 if enabled else 0)

    def now(self) -> int:
        """The context clock's current time, in seconds since the epoch."""
        t = ffi.new("int64_t *")
        call(lib.tsvc_ctx_now, self._p, t)
        return int(t[0])

    def set_clock(self, clock: Optional[Callable[[], Time]]) -> None:
        """Replaces the clock with a callable returning epoch seconds or a datetime (None: system clock)."""
        if clock is None:
            lib.tsvc_ctx_set_clock(self._p, ffi.NULL, ffi.NULL)
            return
        h = ffi.new_handle(clock)
        _keep_callback(self._p, h)
        lib.tsvc_ctx_set_clock(self._p, lib._tsvc_py_clock_fn, h)

    def set_fetch(self, fetch: Optional[Callable[[str, str, bytes], bytes]]) -> None:
        """Sets the network callback: fetch(url, content_type, body) -> response bytes.

        ``content_type`` and ``body`` are empty for a GET. Raise an exception to fail.
        """
        if fetch is None:
            lib.tsvc_ctx_set_fetch(self._p, ffi.NULL, ffi.NULL)
            return
        h = ffi.new_handle((ffi.cast("tsvc_ctx *", self._p), fetch))
        _keep_callback(self._p, h)
        lib.tsvc_ctx_set_fetch(self._p, lib._tsvc_py_fetch_fn, h)


@ffi.def_extern(name="_tsvc_py_clock_fn", error=int(Status.ERR_CLOCK), onerror=_quiet)
def _clock_trampoline(opaque: Any, now: Any) -> int:
    now[0] = _epoch(ffi.from_handle(opaque)())
    return 0


@ffi.def_extern(name="_tsvc_py_fetch_fn", error=int(Status.ERR_FETCH), onerror=_quiet)
def _fetch_trampoline(opaque: Any, url: Any, ctype: Any, body: Any, body_len: int,
                      response: Any, err: Any) -> int:
    cctx, fn = ffi.from_handle(opaque)
    data = fn(_str(url) or "", _str(ctype) or "",
              bytes(ffi.buffer(body, body_len)) if body != ffi.NULL else b"")
    p, n = _buf_in(data)
    return int(lib.tsvc_fetch_response_set(cctx, response, p, n))


_default_lock = threading.Lock()
_default: Optional[Context] = None


def default_context() -> Context:
    """The shared context used when none is given (never configured by the library)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Context()
        return _default


def _ctx(ctx: Optional[Context]) -> Context:
    return ctx if ctx is not None else default_context()


# --------------------------------------------------------------------------
# hashing, random
# --------------------------------------------------------------------------

def hash_data(data: Source, alg: HashAlg = HashAlg.SHA256, ctx: Optional[Context] = None) -> bytes:
    """Hashes bytes or a binary file object."""
    c = _ctx(ctx)
    out = ffi.new("tsvc_hash **")
    call(lib.tsvc_hash_new, c._p, out, int(alg))
    h = ffi.gc(out[0], lib.tsvc_hash_free)
    for chunk in _chunks(data):
        p, n = _buf_in(chunk)
        call(lib.tsvc_hash_update, h, p, n)
    res = ffi.new("uint8_t[]", lib.TSVC_HASH_MAX_SIZE)
    n = ffi.new("size_t *")
    call(lib.tsvc_hash_final, h, res, lib.TSVC_HASH_MAX_SIZE, n)
    ffi.release(h)
    return bytes(ffi.buffer(res, n[0]))


def random_bytes(n: int, ctx: Optional[Context] = None) -> bytes:
    out = ffi.new("uint8_t[]", max(n, 1))
    call(lib.tsvc_random, _ctx(ctx)._p, out, n)
    return bytes(ffi.buffer(out, n))


# --------------------------------------------------------------------------
# keys
# --------------------------------------------------------------------------

def _default_scheme(kt: int) -> SigScheme:
    if kt == KeyType.ED25519:
        return SigScheme.ED25519
    if kt == KeyType.RSA:
        return SigScheme.RSA_PKCS1
    return SigScheme.ECDSA


def _key_info(info: Any) -> dict[str, Any]:
    return {
        "type": KeyType(info.type).name, "bits": int(info.bits), "backend": _str(info.backend),
        "storage": KeyStorage(info.storage).name,
        "token_manufacturer": _str(info.token_manufacturer), "token_model": _str(info.token_model),
        "token_serial": _str(info.token_serial), "token_label": _str(info.token_label),
        "key_label": _str(info.key_label), "sensitive": bool(info.sensitive),
        "extractable": bool(info.extractable), "always_sensitive": bool(info.always_sensitive),
        "never_extractable": bool(info.never_extractable),
        "certification_status": HsmCertification(info.certification_status).name,
        "certification": _str(info.certification), "has_activation": bool(info.has_activation),
    }


class ActivationRequest:
    """What a signature-activation callback is asked to authorise."""

    def __init__(self, req: Any) -> None:
        self._req = req

    @property
    def digest(self) -> bytes | None:
        return _borrowed_bytes(lib.tsvc_activation_request_digest, self._req)

    @property
    def message(self) -> bytes | None:
        return _borrowed_bytes(lib.tsvc_activation_request_message, self._req)

    @property
    def hash(self) -> HashAlg:
        return HashAlg(lib.tsvc_activation_request_hash(self._req))

    @property
    def scheme(self) -> SigScheme:
        return SigScheme(lib.tsvc_activation_request_scheme(self._req))

    @property
    def label(self) -> str | None:
        return _str(lib.tsvc_activation_request_label(self._req))

    def set_evidence(self, text: str) -> None:
        check(lib.tsvc_activation_request_set_evidence(self._req, text.encode()))


@ffi.def_extern(name="_tsvc_py_activation_fn", error=int(Status.ERR_ACTIVATION_REFUSED), onerror=_quiet)
def _activation_trampoline(opaque: Any, req: Any) -> int:
    fn = ffi.from_handle(opaque)
    r = fn(ActivationRequest(req))
    if r is False:
        return int(Status.ERR_ACTIVATION_REFUSED)
    if isinstance(r, str):
        check(lib.tsvc_activation_request_set_evidence(req, r.encode()))
    return 0


class PublicKey(_Handle):
    """A public key (immutable, shareable)."""

    _free = lib.tsvc_pubkey_free
    _type: Optional[KeyType] = None

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "PublicKey":
        """Imports a SubjectPublicKeyInfo (DER or PEM)."""
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_pubkey **")
        call(lib.tsvc_pubkey_import, c._p, out, p, n)
        return cls(out[0], c)

    @property
    def type(self) -> KeyType:
        if self._type is None:
            self._type = KeyType(lib.tsvc_pubkey_type(self._p))
        return self._type

    @property
    def bits(self) -> int:
        return int(lib.tsvc_pubkey_bits(self._p))

    def export(self, format: KeyFormat = KeyFormat.DER) -> bytes:
        return _buf_call(lib.tsvc_pubkey_export, self._p, int(format))

    def verify(self, signature: BytesLike, data: BytesLike, scheme: Optional[SigScheme] = None,
               hash: Optional[HashAlg] = None, prehashed: bool = False) -> bool:
        """True when the signature verifies; False for a bad signature; raises for other errors."""
        scheme = _default_scheme(self.type) if scheme is None else scheme
        if hash is None:
            hash = HashAlg.NONE if scheme == SigScheme.ED25519 else HashAlg.SHA256
        m, mn = _buf_in(data)
        s, sn = _buf_in(signature)
        errp = ffi.new("tsvc_error **")
        fn = lib.tsvc_pubkey_verify_digest if prehashed else lib.tsvc_pubkey_verify
        st = fn(self._p, int(scheme), int(hash), m, mn, s, sn, errp)
        if st == Status.ERR_SIGNATURE_INVALID:
            if errp[0] != ffi.NULL:
                lib.tsvc_error_free(errp[0])
            return False
        if st != 0:
            raise make_error(st, errp[0])
        return True


class Key(_Handle):
    """A private key: in software, in a PKCS#11 token or at a remote service.

    A key may sign from several threads at once.
    """

    _free = lib.tsvc_key_free

    def __init__(self, ptr: Any, ctx: Optional[Context] = None, owner: Any = None) -> None:
        super().__init__(ptr, ctx, owner)
        self._type: Optional[KeyType] = None

    @classmethod
    def generate(cls, type: KeyType = KeyType.ED25519, bits: int = 0,
                 ctx: Optional[Context] = None) -> "Key":
        """Generates a software key (bits: RSA only; 0 for the default)."""
        c = _ctx(ctx)
        out = ffi.new("tsvc_key **")
        call(lib.tsvc_key_generate, c._p, out, int(type), bits)
        return cls(out[0], c)

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "Key":
        """Imports a PKCS#8 private key (DER or PEM) from bytes or a binary file."""
        c = _ctx(ctx)
        raw = _read_all(data)
        p, n = _buf_in(raw)
        out = ffi.new("tsvc_key **")
        call(lib.tsvc_key_import, c._p, out, p, n)
        return cls(out[0], c)

    @classmethod
    def from_uri(cls, uri: str, ctx: Optional[Context] = None) -> "Key":
        """Opens a key named by a PKCS#11 URI that carries its module-path."""
        c = _ctx(ctx)
        out = ffi.new("tsvc_key **")
        call(lib.tsvc_key_from_uri, c._p, out, uri.encode())
        return cls(out[0], c)

    def public_key(self) -> PublicKey:
        out = ffi.new("tsvc_pubkey **")
        call(lib.tsvc_key_get_public, self._p, out)
        return PublicKey(out[0], self._ctx)

    def info(self) -> dict[str, Any]:
        """Where the key lives and what it is (type, bits, backend, storage, token, flags)."""
        info = ffi.new("tsvc_key_info *")
        lib.tsvc_key_info_init(info)
        check(lib.tsvc_key_get_info(self._p, info))
        return _key_info(info)

    @property
    def type(self) -> KeyType:
        if self._type is None:
            info = ffi.new("tsvc_key_info *")
            lib.tsvc_key_info_init(info)
            check(lib.tsvc_key_get_info(self._p, info))
            self._type = KeyType(info.type)
        return self._type

    def export(self, format: KeyFormat = KeyFormat.DER) -> bytes:
        """PKCS#8 bytes of a software key."""
        return _buf_call(lib.tsvc_key_export, self._p, int(format))

    def sign(self, data: BytesLike, scheme: Optional[SigScheme] = None,
             hash: Optional[HashAlg] = None, prehashed: bool = False) -> bytes:
        """Signs a message (or, with prehashed=True, a digest)."""
        scheme = _default_scheme(self.type) if scheme is None else scheme
        if hash is None:
            hash = HashAlg.NONE if scheme == SigScheme.ED25519 else HashAlg.SHA256
        p, n = _buf_in(data)
        fn = lib.tsvc_key_sign_digest if prehashed else lib.tsvc_key_sign
        buf = ffi.new("tsvc_buf *")
        try:
            call(fn, self._p, buf, int(scheme), int(hash), p, n)
        except BaseException:
            lib.tsvc_buf_dispose(buf)
            raise
        return _take_buf(buf)

    def set_activation(self, fn: Optional[Callable[[ActivationRequest], Any]]) -> None:
        """Sets the signature-activation callback, asked before every private-key operation.

        Return False to refuse, a str to record it as evidence, anything else to allow.
        """
        if fn is None:
            check(lib.tsvc_key_set_activation(self._p, ffi.NULL, ffi.NULL))
            return
        h = ffi.new_handle(fn)
        _keep_callback(self._p, h)
        check(lib.tsvc_key_set_activation(self._p, lib._tsvc_py_activation_fn, h))

    def check_requirements(self, *, hsm: bool = False, non_extractable: bool = False,
                           active_certification: bool = False, activation: bool = False) -> None:
        """Raises KeyStoreError when the key does not meet the requirements."""
        r = ffi.new("tsvc_key_requirements *")
        lib.tsvc_key_requirements_init(r)
        r.require_hsm, r.require_non_extractable = int(hsm), int(non_extractable)
        r.require_active_certification, r.require_activation = int(active_certification), int(activation)
        call(lib.tsvc_key_check_requirements, self._p, r)

    # PKCS#11 keys
    def uri(self) -> str:
        """The RFC 7512 URI of a token key."""
        return _buf_call(lib.tsvc_pkcs11_key_uri, self._p).decode()

    def token_certificate(self) -> "Certificate":
        """The certificate stored on the token next to the key."""
        return Certificate.load(_buf_call(lib.tsvc_pkcs11_key_certificate, self._p), self._ctx)

    def store_token_certificate(self, cert: "Certificate") -> None:
        p, n = _buf_in(cert.der)
        call(lib.tsvc_pkcs11_key_store_certificate, self._p, p, n)


@ffi.def_extern(name="_tsvc_py_pkcs11_pin_fn", error=int(Status.ERR_PKCS11_PIN_REQUIRED), onerror=_quiet)
def _pin_trampoline(opaque: Any, label: Any, serial: Any, ctx_specific: int, pin: Any,
                    pin_size: int, pin_len: Any) -> int:
    fn = ffi.from_handle(opaque)
    value = fn(_str(label), _str(serial), bool(ctx_specific))
    if value is None:
        return int(Status.ERR_PKCS11_PIN_REQUIRED)
    b = value.encode() if isinstance(value, str) else bytes(value)
    if len(b) > pin_size:
        return int(Status.ERR_INVALID_ARG)
    ffi.memmove(pin, b, len(b))
    pin_len[0] = len(b)
    return 0


class Pkcs11Module(_Handle):
    """A loaded PKCS#11 module (usable from several threads)."""

    _free = lib.tsvc_pkcs11_module_free

    def __init__(self, path: str, ctx: Optional[Context] = None,
                 pin: Union[str, Callable[[Optional[str], Optional[str], bool], Optional[str]], None] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_pkcs11_module **")
        call(lib.tsvc_pkcs11_module_load, c._p, out, os.fsencode(path))
        super().__init__(out[0], c)
        if pin is not None:
            self.set_pin_callback((lambda *a: pin) if isinstance(pin, str) else pin)

    @staticmethod
    def available() -> bool:
        return bool(lib.tsvc_pkcs11_available())

    def set_pin_callback(self, fn: Callable[[Optional[str], Optional[str], bool], Optional[str]]) -> None:
        """fn(token_label, token_serial, context_specific) -> PIN (str) or None."""
        h = ffi.new_handle(fn)
        _keep_callback(self._p, h)
        check(lib.tsvc_pkcs11_module_set_pin_callback(self._p, lib._tsvc_py_pkcs11_pin_fn, h))

    def set_certification(self, token_uri: str, status: HsmCertification, text: str = "") -> None:
        call(lib.tsvc_pkcs11_module_set_certification, self._p, token_uri.encode(), int(status),
             text.encode())

    def open_key(self, uri: str) -> Key:
        out = ffi.new("tsvc_key **")
        call(lib.tsvc_pkcs11_key_open, self._p, out, uri.encode())
        return Key(out[0], self._ctx, owner=self)

    def generate_key(self, uri: str, type: KeyType = KeyType.ECDSA_P256, bits: int = 0) -> Key:
        out = ffi.new("tsvc_key **")
        call(lib.tsvc_pkcs11_key_generate, self._p, out, uri.encode(), int(type), bits)
        return Key(out[0], self._ctx, owner=self)


# --------------------------------------------------------------------------
# certificates
# --------------------------------------------------------------------------

class Certificate(_Handle):
    """A parsed X.509 certificate (immutable, shareable between threads)."""

    _free = lib.tsvc_cert_free

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "Certificate":
        """Parses DER or PEM (the first CERTIFICATE block) from bytes or a binary file."""
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_cert **")
        call(lib.tsvc_cert_parse, c._p, out, p, n)
        return cls(out[0], c)

    @classmethod
    def _borrow(cls, p: Any, ctx: Optional[Context]) -> "Certificate":
        """Takes a reference to a certificate borrowed from another object."""
        return cls(lib.tsvc_cert_ref(ffi.cast("tsvc_cert *", p)), ctx)

    @property
    def der(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_cert_der, self._p) or b""

    @property
    def subject(self) -> str:
        return _buf_call(lib.tsvc_cert_subject_text, self._p).decode()

    @property
    def issuer(self) -> str:
        return _buf_call(lib.tsvc_cert_issuer_text, self._p).decode()

    @property
    def subject_der(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_cert_subject_der, self._p) or b""

    @property
    def serial(self) -> int:
        return int.from_bytes(_borrowed_bytes(lib.tsvc_cert_serial, self._p) or b"", "big", signed=True)

    @property
    def version(self) -> int:
        return int(lib.tsvc_cert_version(self._p))

    @property
    def not_before(self) -> _dt.datetime:
        return _dt_of(lib.tsvc_cert_not_before(self._p))

    @property
    def not_after(self) -> _dt.datetime:
        return _dt_of(lib.tsvc_cert_not_after(self._p))

    @property
    def spki(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_cert_spki, self._p) or b""

    def public_key(self) -> PublicKey:
        out = ffi.new("tsvc_pubkey **")
        call(lib.tsvc_cert_pubkey, self._p, out)
        return PublicKey(out[0], self._ctx)

    def fingerprint(self, alg: HashAlg = HashAlg.SHA256) -> bytes:
        return _buf_call(lib.tsvc_cert_fingerprint, self._p, int(alg))

    @property
    def is_self_issued(self) -> bool:
        return bool(lib.tsvc_cert_is_self_issued(self._p))

    @property
    def key_usage(self) -> int | None:
        bits = ffi.new("uint32_t *")
        return int(bits[0]) if lib.tsvc_cert_key_usage(self._p, bits) else None

    @property
    def basic_constraints(self) -> tuple[bool, int | None] | None:
        ca, pl = ffi.new("int *"), ffi.new("int64_t *")
        if not lib.tsvc_cert_basic_constraints(self._p, ca, pl):
            return None
        return bool(ca[0]), (int(pl[0]) if pl[0] >= 0 else None)

    @property
    def extended_key_usages(self) -> list[str]:
        out = ffi.new("char[]", 256)
        res = []
        for i in range(lib.tsvc_cert_num_ekus(self._p)):
            check(lib.tsvc_cert_eku(self._p, i, out, 256))
            res.append(ffi.string(out).decode())
        return res

    @property
    def subject_alt_names(self) -> list[tuple[GeneralNameType, bytes]]:
        t = ffi.new("tsvc_general_name_type *")
        v, n = ffi.new("uint8_t **"), ffi.new("size_t *")
        res = []
        for i in range(lib.tsvc_cert_num_sans(self._p)):
            check(lib.tsvc_cert_san(self._p, i, t, v, n))
            res.append((GeneralNameType(t[0]), bytes(ffi.buffer(v[0], n[0]))))
        return res

    @property
    def crl_uris(self) -> list[str]:
        return [_str(lib.tsvc_cert_crl_uri(self._p, i)) or ""
                for i in range(lib.tsvc_cert_num_crl_uris(self._p))]

    @property
    def ocsp_uris(self) -> list[str]:
        return [_str(lib.tsvc_cert_ocsp_uri(self._p, i)) or ""
                for i in range(lib.tsvc_cert_num_ocsp_uris(self._p))]

    def match_host(self, host: str) -> bool:
        return bool(lib.tsvc_cert_match_host(self._p, host.encode()))

    def organization(self) -> tuple[str, str]:
        """(organisation name, organizationIdentifier) of a seal certificate."""
        name, ident = ffi.new("tsvc_buf *"), ffi.new("tsvc_buf *")
        try:
            call(lib.tsvc_cert_organization, self._p, name, ident)
        except BaseException:
            lib.tsvc_buf_dispose(name)
            lib.tsvc_buf_dispose(ident)
            raise
        return _take_buf(name).decode(), _take_buf(ident).decode()

    @property
    def qc_flags(self) -> int:
        return int(lib.tsvc_cert_qc_flags(self._p))

    def check_seal(self, key_usage: int = 0) -> None:
        """Raises CMSError unless this is an organisation's seal certificate."""
        call(lib.tsvc_seal_check_cert, self._p, key_usage)

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "issuer": self.issuer, "serial": self.serial,
                "not_before": self.not_before.isoformat(), "not_after": self.not_after.isoformat(),
                "fingerprint_sha256": self.fingerprint().hex()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"<Certificate {self.subject!r}>" if self._ptr is not None else "<Certificate closed>"


def load_certificates(data: Source, ctx: Optional[Context] = None) -> list[Certificate]:
    """Parses every certificate of a PEM bundle (or one DER certificate)."""
    c = _ctx(ctx)
    p, n = _buf_in(_read_all(data))
    out = ffi.new("tsvc_cert_list **")
    call(lib.tsvc_cert_list_parse, c._p, out, p, n)
    lst = ffi.gc(out[0], lib.tsvc_cert_list_free)
    try:
        return [Certificate._borrow(lib.tsvc_cert_list_get(lst, i), c)
                for i in range(lib.tsvc_cert_list_count(lst))]
    finally:
        ffi.release(lst)


class _CertList:
    """A temporary tsvc_cert_list built from Python certificates."""

    def __init__(self, ctx: Context, certs: Sequence[Certificate]) -> None:
        out = ffi.new("tsvc_cert_list **")
        call(lib.tsvc_cert_list_new, ctx._p, out)
        self.ptr = ffi.gc(out[0], lib.tsvc_cert_list_free)
        for cert in certs:
            call(lib.tsvc_cert_list_add, self.ptr, cert._p)


# --------------------------------------------------------------------------
# revocation
# --------------------------------------------------------------------------

class Crl(_Handle):
    """A certificate revocation list."""

    _free = lib.tsvc_crl_free

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "Crl":
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_crl **")
        call(lib.tsvc_crl_parse, c._p, out, p, n)
        return cls(out[0], c)

    @property
    def der(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_crl_der, self._p) or b""

    @property
    def this_update(self) -> _dt.datetime:
        return _dt_of(lib.tsvc_crl_this_update(self._p))

    def __len__(self) -> int:
        return int(lib.tsvc_crl_num_entries(self._p))

    @property
    def next_update(self) -> _dt.datetime | None:
        t = ffi.new("int64_t *")
        return _dt_of(t[0]) if lib.tsvc_crl_next_update(self._p, t) else None

    @property
    def entries(self) -> list[dict[str, Any]]:
        """Every entry: serial, revocation time, reason, invalidity date (or None)."""
        ser, sn = ffi.new("uint8_t **"), ffi.new("size_t *")
        t, r, inv = ffi.new("int64_t *"), ffi.new("tsvc_crl_reason *"), ffi.new("int64_t *")
        out = []
        for i in range(lib.tsvc_crl_num_entries(self._p)):
            check(lib.tsvc_crl_entry_at(self._p, i, ser, sn, t, r, inv))
            out.append({"serial": int.from_bytes(bytes(ffi.buffer(ser[0], sn[0])), "big", signed=True),
                        "revocation_time": _dt_of(t[0]), "reason": CrlReason(r[0]),
                        "invalidity_date": _dt_of(inv[0]) if inv[0] else None})
        return out

    @property
    def number(self) -> int | None:
        n = ffi.new("uint64_t *")
        return int(n[0]) if lib.tsvc_crl_number(self._p, n) else None

    def verify(self, issuer: Certificate, when: Time, skew: int = 0) -> None:
        """Raises RevocationError unless the CRL is issuer's, signed by it and current at when."""
        assert self._ctx is not None
        call(lib.tsvc_crl_verify, self._ctx._p, self._p, issuer._p, _epoch(when), skew)

    def check(self, cert: Certificate, issuer: Certificate, when: Time,
              skew: int = 0) -> tuple[CertStatus, _dt.datetime | None, CrlReason]:
        """Verifies the CRL, then gives cert's status: (status, revocation time, reason)."""
        assert self._ctx is not None
        st, t, r = ffi.new("tsvc_cert_status *"), ffi.new("int64_t *"), ffi.new("tsvc_crl_reason *")
        call(lib.tsvc_crl_check, self._ctx._p, st, t, r, self._p, cert._p, issuer._p, _epoch(when), skew)
        status = CertStatus(st[0])
        return status, (_dt_of(t[0]) if status == CertStatus.REVOKED else None), CrlReason(r[0])


class OcspResponse(_Handle):
    """An OCSP response."""

    _free = lib.tsvc_ocsp_response_free

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "OcspResponse":
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_ocsp_response **")
        call(lib.tsvc_ocsp_response_parse, c._p, out, p, n)
        return cls(out[0], c)

    @property
    def produced_at(self) -> _dt.datetime:
        return _dt_of(lib.tsvc_ocsp_response_produced_at(self._p))

    @property
    def response_status(self) -> OcspResponseStatus:
        return OcspResponseStatus(lib.tsvc_ocsp_response_get_status(self._p))

    @property
    def responses(self) -> list[dict[str, Any]]:
        """Every SingleResponse (unverified): serial, status, revocation time, reason."""
        ser, sn = ffi.new("uint8_t **"), ffi.new("size_t *")
        st, t, r = ffi.new("tsvc_cert_status *"), ffi.new("int64_t *"), ffi.new("tsvc_crl_reason *")
        out = []
        for i in range(lib.tsvc_ocsp_response_num_single(self._p)):
            check(lib.tsvc_ocsp_response_single_at(self._p, i, ser, sn, st, t, r))
            status = CertStatus(st[0])
            out.append({"serial": int.from_bytes(bytes(ffi.buffer(ser[0], sn[0])), "big", signed=True),
                        "status": status, "reason": CrlReason(r[0]),
                        "revocation_time": _dt_of(t[0]) if status == CertStatus.REVOKED else None})
        return out

    def verify(self, cert: Certificate, issuer: Certificate, when: Time, *, skew: int = 300,
               max_age: int = 0, nonce: Optional[BytesLike] = None
               ) -> tuple[CertStatus, _dt.datetime | None, CrlReason]:
        """Verifies the response (responder, signature, freshness) and gives
        cert's status: (status, revocation time, reason)."""
        assert self._ctx is not None
        opts = ffi.new("tsvc_ocsp_verify_options *")
        lib.tsvc_ocsp_verify_options_init(opts)
        opts.skew, opts.max_age = skew, max_age
        if nonce is not None:
            np_, nn = _buf_in(nonce)
            opts.nonce, opts.nonce_len = np_, nn
        st, t, r = ffi.new("tsvc_cert_status *"), ffi.new("int64_t *"), ffi.new("tsvc_crl_reason *")
        call(lib.tsvc_ocsp_response_verify, self._ctx._p, st, t, r, self._p, cert._p, issuer._p,
             _epoch(when), opts)
        status = CertStatus(st[0])
        return status, (_dt_of(t[0]) if status == CertStatus.REVOKED else None), CrlReason(r[0])


# --------------------------------------------------------------------------
# stores, policies, validation
# --------------------------------------------------------------------------

class Store(_Handle):
    """Trust anchors, intermediates, CRLs and OCSP responses.

    Build it in one thread, freeze() it, then share it (validation freezes it too).
    """

    _free = lib.tsvc_store_free

    def __init__(self, anchors: Iterable[Certificate] = (), intermediates: Iterable[Certificate] = (),
                 crls: Iterable[Crl] = (), ocsp_responses: Iterable[OcspResponse] = (),
                 ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_store **")
        call(lib.tsvc_store_new, c._p, out)
        super().__init__(out[0], c)
        for a in anchors:
            self.add_anchor(a)
        for i in intermediates:
            self.add_intermediate(i)
        for crl in crls:
            self.add_crl(crl)
        for r in ocsp_responses:
            self.add_ocsp_response(r)

    def add_anchor(self, cert: Certificate, sha256: Optional[BytesLike] = None) -> None:
        """Adds a trust anchor; with sha256, pinned to that fingerprint."""
        if sha256 is None:
            call(lib.tsvc_store_add_anchor, self._p, cert._p)
        else:
            p, n = _buf_in(sha256)
            call(lib.tsvc_store_add_anchor_pinned, self._p, cert._p, p, n)

    def add_intermediate(self, cert: Certificate) -> None:
        call(lib.tsvc_store_add_intermediate, self._p, cert._p)

    def add_crl(self, crl: Crl) -> None:
        call(lib.tsvc_store_add_crl, self._p, crl._p)

    def add_ocsp_response(self, resp: OcspResponse) -> None:
        call(lib.tsvc_store_add_ocsp_response, self._p, resp._p)

    def freeze(self) -> None:
        lib.tsvc_store_freeze(self._p)

    @property
    def frozen(self) -> bool:
        return bool(lib.tsvc_store_is_frozen(self._p))

    @property
    def num_anchors(self) -> int:
        return int(lib.tsvc_store_num_anchors(self._p))

    @property
    def num_intermediates(self) -> int:
        return int(lib.tsvc_store_num_intermediates(self._p))


class AlgorithmPolicy(_Handle):
    """Accepted hashes, schemes and key sizes, with dates."""

    _free = lib.tsvc_algorithm_policy_free

    def __init__(self, preset: AlgpolPreset = AlgpolPreset.DEFAULT, ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_algorithm_policy **")
        call(lib.tsvc_algorithm_policy_new, c._p, out, int(preset))
        super().__init__(out[0], c)

    def set_hash(self, hash: HashAlg, refused_from: Time | None = None) -> None:
        call(lib.tsvc_algorithm_policy_set_hash, self._p, int(hash), _epoch(refused_from))

    def set_scheme(self, scheme: SigScheme, refused_from: Time | None = None) -> None:
        call(lib.tsvc_algorithm_policy_set_scheme, self._p, int(scheme), _epoch(refused_from))

    def set_min_bits(self, family: AlgpolKey, bits: int, refused_from: Time | None = None) -> None:
        call(lib.tsvc_algorithm_policy_set_min_bits, self._p, int(family), bits, _epoch(refused_from))

    def accepts(self, scheme: SigScheme, hash: HashAlg, key_type: KeyType, bits: int,
                when: Time) -> bool:
        errp = ffi.new("tsvc_error **")
        st = lib.tsvc_algorithm_policy_check(self._p, int(scheme), int(hash), int(key_type), bits,
                                             _epoch(when), errp)
        if errp[0] != ffi.NULL:
            lib.tsvc_error_free(errp[0])
        if st == Status.ERR_ALGORITHM_POLICY:
            return False
        check(st)
        return True


class Policy(_Handle):
    """Validation rules: time, profile, key usages, EKUs, revocation, algorithms.

    A policy in use is frozen; configure it first (keyword arguments or setters).
    """

    _free = lib.tsvc_policy_free

    def __init__(self, *, time: Time | None = None, profile: Optional[Profile] = None,
                 key_usage: Optional[int] = None, ekus: Iterable[Union[Eku, str]] = (),
                 revocation: Optional[RevocationMode] = None,
                 revocation_source: Optional[RevocationSource] = None,
                 revocation_fetch: Optional[RevocationFetch] = None,
                 algorithm_policy: Optional[AlgorithmPolicy] = None,
                 max_depth: Optional[int] = None, ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_policy **")
        call(lib.tsvc_policy_new, c._p, out)
        super().__init__(out[0], c)
        if time is not None:
            self.set_time(time)
        if profile is not None:
            call(lib.tsvc_policy_set_profile, self._p, int(profile))
        if key_usage is not None:
            call(lib.tsvc_policy_set_key_usage, self._p, int(key_usage))
        for e in ekus:
            self.add_eku(e)
        if revocation is not None:
            call(lib.tsvc_policy_set_revocation_mode, self._p, int(revocation))
        if revocation_source is not None:
            call(lib.tsvc_policy_set_revocation_source, self._p, int(revocation_source))
        if revocation_fetch is not None:
            call(lib.tsvc_policy_set_revocation_fetch, self._p, int(revocation_fetch))
        if algorithm_policy is not None:
            self.set_algorithm_policy(algorithm_policy)
        if max_depth is not None:
            call(lib.tsvc_policy_set_max_depth, self._p, max_depth)

    def set_time(self, when: Time) -> None:
        call(lib.tsvc_policy_set_time, self._p, _epoch(when))

    def add_eku(self, eku: Union[Eku, str]) -> None:
        if isinstance(eku, str):
            call(lib.tsvc_policy_add_eku_oid, self._p, eku.encode())
        else:
            call(lib.tsvc_policy_add_eku, self._p, int(eku))

    def add_peer_name(self, kind: PeerKind, value: str) -> None:
        call(lib.tsvc_policy_add_peer_name, self._p, int(kind), value.encode())

    def set_revocation(self, mode: RevocationMode, source: Optional[RevocationSource] = None,
                       max_age: int = 0, skew: int = 0, flags: int = 0) -> None:
        call(lib.tsvc_policy_set_revocation_mode, self._p, int(mode))
        if source is not None:
            call(lib.tsvc_policy_set_revocation_source, self._p, int(source))
        if max_age or skew:
            call(lib.tsvc_policy_set_revocation_freshness, self._p, max_age, skew)
        if flags:
            call(lib.tsvc_policy_set_revocation_flags, self._p, flags)

    def set_algorithm_policy(self, algs: AlgorithmPolicy) -> None:
        call(lib.tsvc_policy_set_algorithm_policy, self._p, algs._p)
        self._keep.append(algs._p)


class _ReportBase(_Handle):
    """What every report has: indication, sub-indication, reason, time, JSON."""

    _indication: Any = None
    _subindication: Any = None
    _reason: Any = None
    _time: Any = None
    _json: Any = None

    @property
    def indication(self) -> Indication:
        return Indication(type(self)._indication(self._p))

    @property
    def subindication(self) -> Subindication:
        return Subindication(type(self)._subindication(self._p))

    @property
    def passed(self) -> bool:
        return self.indication == Indication.PASSED

    @property
    def reason(self) -> str | None:
        return _str(type(self)._reason(self._p))

    @property
    def time(self) -> _dt.datetime:
        return _dt_of(type(self)._time(self._p))

    def to_json(self) -> str:
        return _buf_call(type(self)._json, self._p).decode()

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self.to_json())

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.indication.name} {self.subindication.name}>"


class Report(_ReportBase):
    """A validation report: indication, sub-indication, chain and checks."""

    _free = lib.tsvc_report_free
    _indication = lib.tsvc_report_indication
    _subindication = lib.tsvc_report_subindication
    _reason = lib.tsvc_report_reason
    _time = lib.tsvc_report_time
    _json = lib.tsvc_report_to_json

    @property
    def status(self) -> int:
        return int(lib.tsvc_report_status(self._p))

    @property
    def chain(self) -> list[Certificate]:
        return [Certificate._borrow(lib.tsvc_report_chain_cert(self._p, i), self._ctx)
                for i in range(lib.tsvc_report_chain_count(self._p))]

    @property
    def checks(self) -> list[dict[str, Any]]:
        res = []
        for i in range(lib.tsvc_report_num_checks(self._p)):
            res.append({"name": _str(lib.tsvc_report_check_name(self._p, i)),
                        "result": CheckResult(lib.tsvc_report_check_result(self._p, i)).name,
                        "message": _str(lib.tsvc_report_check_message(self._p, i)),
                        "cert": int(lib.tsvc_report_check_cert(self._p, i))})
        return res



def validate(cert: Certificate, store: Store, policy: Optional[Policy] = None,
             ctx: Optional[Context] = None) -> Report:
    """Builds and validates a path from cert to an anchor of store."""
    c = _ctx(ctx)
    out = ffi.new("tsvc_report **")
    call(lib.tsvc_validate, c._p, out, cert._p, store._p,
         policy._p if policy is not None else ffi.NULL)
    return Report(out[0], c)


# --------------------------------------------------------------------------
# signing and verification (CAdES, e-seals)
# --------------------------------------------------------------------------

class Signer(_Handle):
    """Streams content into a CAdES signature (or an e-seal with seal=True).

    Use one signer per thread.
    """

    _free = lib.tsvc_signer_free

    def __init__(self, key: Optional[Key], cert: Certificate, *, digest: HashAlg = HashAlg.SHA256,
                 scheme: SigScheme = SigScheme.NONE, detached: bool = False,
                 signer_id: SignerId = SignerId.ISSUER_SERIAL, certs: SignCerts = SignCerts.CHAIN,
                 signing_time: Time | None = None, content_type: Optional[str] = None,
                 commitment_type: Optional[str] = None, location_country: Optional[str] = None,
                 location_locality: Optional[str] = None, policy_oid: Optional[str] = None,
                 algorithm_policy: Optional[AlgorithmPolicy] = None,
                 chain: Iterable[Certificate] = (), seal: bool = False, seal_key_usage: int = 0,
                 label: Optional[str] = None, key_requirements: Optional[dict[str, bool]] = None,
                 ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        keep: list = []
        opts = ffi.new("tsvc_signer_options *")
        lib.tsvc_signer_options_init(opts)
        opts.digest, opts.scheme, opts.detached = int(digest), int(scheme), int(detached)
        opts.signer_id, opts.certs, opts.signing_time = int(signer_id), int(certs), _epoch(signing_time)
        opts.content_type = _cstr(content_type, keep)
        opts.commitment_type = _cstr(commitment_type, keep)
        opts.location_country = _cstr(location_country, keep)
        opts.location_locality = _cstr(location_locality, keep)
        opts.policy_oid = _cstr(policy_oid, keep)
        if algorithm_policy is not None:
            opts.algorithm_policy = algorithm_policy._p
        out = ffi.new("tsvc_signer **")
        kp = key._p if key is not None else ffi.NULL
        if seal:
            call(lib.tsvc_sealer_new, c._p, out, kp, cert._p, opts, seal_key_usage)
        else:
            call(lib.tsvc_signer_new, c._p, out, kp, cert._p, opts)
        super().__init__(out[0], c, keep=(key, algorithm_policy))  # borrowed by the C signer
        for x in chain:
            call(lib.tsvc_signer_add_cert, self._p, x._p)
        if label is not None:
            call(lib.tsvc_signer_set_label, self._p, label.encode())
        if key_requirements is not None:
            r = ffi.new("tsvc_key_requirements *")
            lib.tsvc_key_requirements_init(r)
            r.require_hsm = int(key_requirements.get("hsm", False))
            r.require_non_extractable = int(key_requirements.get("non_extractable", False))
            r.require_active_certification = int(key_requirements.get("active_certification", False))
            r.require_activation = int(key_requirements.get("activation", False))
            call(lib.tsvc_signer_set_key_requirements, self._p, r)

    def evidence(self) -> dict[str, Any] | None:
        """After finish(): what the key's signing involved (activation,
        label, key assurance) as a dict, or None (no key signed)."""
        ev = lib.tsvc_signer_evidence(self._p)
        if ev == ffi.NULL:
            return None
        return json.loads(_buf_call(lib.tsvc_sign_evidence_to_json, ev).decode())

    def add_cert(self, cert: Certificate) -> None:
        call(lib.tsvc_signer_add_cert, self._p, cert._p)

    def update(self, data: Source) -> "Signer":
        """Adds content: bytes-like or a binary file object (read in chunks)."""
        for chunk in _chunks(data):
            p, n = _buf_in(chunk)
            call(lib.tsvc_signer_update, self._p, p, n)
        return self

    def set_digest(self, digest: BytesLike) -> None:
        """Signs a digest computed by the caller (detached signatures)."""
        p, n = _buf_in(digest)
        call(lib.tsvc_signer_set_digest, self._p, p, n)

    def digest_to_sign(self) -> tuple[bytes, HashAlg]:
        """External signing: the digest of the signed attributes and its algorithm."""
        h = ffi.new("tsvc_hash_alg *")
        buf = ffi.new("tsvc_buf *")
        call(lib.tsvc_signer_digest_to_sign, self._p, buf, h)
        return _take_buf(buf), HashAlg(h[0])

    def data_to_sign(self) -> bytes:
        """External signing: the DER of the signed attributes."""
        return _buf_call(lib.tsvc_signer_data_to_sign, self._p)

    def set_signature(self, sig: BytesLike) -> None:
        p, n = _buf_in(sig)
        call(lib.tsvc_signer_set_signature, self._p, p, n)

    def finish(self) -> bytes:
        """The CMS SignedData bytes (DER)."""
        return _buf_call(lib.tsvc_signer_finish, self._p)


def sign(data: Source, key: Key, cert: Certificate, **options: Any) -> bytes:
    """Signs bytes or a binary file; options as for :class:`Signer`."""
    with Signer(key, cert, **options) as s:
        return s.update(data).finish()


def seal(data: Source, key: Key, cert: Certificate, **options: Any) -> bytes:
    """Seals bytes or a binary file with an organisation's seal certificate."""
    options["seal"] = True
    return sign(data, key, cert, **options)


class SignerReport:
    """The result for one SignerInfo of a signature report."""

    def __init__(self, parent: "SignatureReport", index: int) -> None:
        self._parent, self._i = parent, index

    @property
    def _r(self) -> Any:
        return self._parent._p

    @property
    def indication(self) -> Indication:
        return Indication(lib.tsvc_sig_report_signer_indication(self._r, self._i))

    @property
    def subindication(self) -> Subindication:
        return Subindication(lib.tsvc_sig_report_signer_subindication(self._r, self._i))

    @property
    def reason(self) -> str | None:
        return _str(lib.tsvc_sig_report_signer_reason(self._r, self._i))

    @property
    def certificate(self) -> Certificate | None:
        p = lib.tsvc_sig_report_signer_cert(self._r, self._i)
        return None if p == ffi.NULL else Certificate._borrow(p, self._parent._ctx)

    @property
    def signing_time(self) -> _dt.datetime | None:
        t = ffi.new("int64_t *")
        return _dt_of(t[0]) if lib.tsvc_sig_report_signer_signing_time(self._r, self._i, t) else None

    @property
    def commitment_type(self) -> str | None:
        return _str(lib.tsvc_sig_report_signer_commitment_type(self._r, self._i))

    @property
    def organization(self) -> str | None:
        return _str(lib.tsvc_sig_report_signer_organization(self._r, self._i))

    @property
    def organization_id(self) -> str | None:
        return _str(lib.tsvc_sig_report_signer_organization_id(self._r, self._i))

    @property
    def chain(self) -> list[Certificate]:
        """The signer's validated path, leaf first."""
        return [Certificate._borrow(lib.tsvc_sig_report_signer_chain_cert(self._r, self._i, k),
                                    self._parent._ctx)
                for k in range(lib.tsvc_sig_report_signer_chain_count(self._r, self._i))]

    @property
    def best_signature_time(self) -> _dt.datetime | None:
        """The earliest genTime of a verified signature time-stamp (B-T), or None."""
        t = ffi.new("int64_t *")
        ok = lib.tsvc_sig_report_signer_best_signature_time(self._r, self._i, t)
        return _dt_of(t[0]) if ok else None

    @property
    def checks(self) -> Report | None:
        p = lib.tsvc_sig_report_signer_checks(self._r, self._i)
        if p == ffi.NULL:
            return None
        return Report(ffi.cast("tsvc_report *", p), self._parent._ctx, owner=self._parent, owned=False)


class SignatureReport(_ReportBase):
    """The report of a signature verification: overall and per signer."""

    _free = lib.tsvc_sig_report_free
    _indication = lib.tsvc_sig_report_indication
    _subindication = lib.tsvc_sig_report_subindication
    _reason = lib.tsvc_sig_report_reason
    _time = lib.tsvc_sig_report_time
    _json = lib.tsvc_sig_report_to_json

    @property
    def signers(self) -> list[SignerReport]:
        return [SignerReport(self, i) for i in range(lib.tsvc_sig_report_num_signers(self._p))]



def _verify_opts(profile: VerifyProfile, algorithm_policy: Optional[AlgorithmPolicy],
                 seal_key_usage: int) -> Any:
    opts = ffi.new("tsvc_verify_options *")
    lib.tsvc_verify_options_init(opts)
    opts.profile = int(profile)
    opts.seal_key_usage = seal_key_usage
    if algorithm_policy is not None:
        opts.algorithm_policy = algorithm_policy._p
    return opts


class Verifier(_Handle):
    """Streams detached content into the verification of a signature."""

    _free = lib.tsvc_verifier_free

    def __init__(self, cms: BytesLike, store: Store, policy: Optional[Policy] = None, *,
                 profile: VerifyProfile = VerifyProfile.SIGNATURE,
                 algorithm_policy: Optional[AlgorithmPolicy] = None, seal_key_usage: int = 0,
                 ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        p, n = _buf_in(cms)
        out = ffi.new("tsvc_verifier **")
        opts = _verify_opts(profile, algorithm_policy, seal_key_usage)
        call(lib.tsvc_verifier_new, c._p, out, p, n, store._p,
             policy._p if policy is not None else ffi.NULL, opts)
        super().__init__(out[0], c, keep=(store, policy, algorithm_policy))

    def update(self, data: Source) -> "Verifier":
        for chunk in _chunks(data):
            p, n = _buf_in(chunk)
            call(lib.tsvc_verifier_update, self._p, p, n)
        return self

    def finish(self) -> SignatureReport:
        out = ffi.new("tsvc_sig_report **")
        call(lib.tsvc_verifier_finish, self._p, out)
        return SignatureReport(out[0], self._ctx)


def verify(cms: Source, store: Store, policy: Optional[Policy] = None, *,
           content: Optional[Source] = None, profile: VerifyProfile = VerifyProfile.SIGNATURE,
           algorithm_policy: Optional[AlgorithmPolicy] = None, seal_key_usage: int = 0,
           ctx: Optional[Context] = None) -> SignatureReport:
    """Verifies a CAdES signature or e-seal; content for detached signatures.

    Returns a report (a failed signature is a report whose indication is
    FAILED, not an exception); raises only when verification could not run.
    """
    c = _ctx(ctx)
    raw = _read_all(cms)
    if content is not None and hasattr(content, "read"):
        with Verifier(raw, store, policy, profile=profile, algorithm_policy=algorithm_policy,
                      seal_key_usage=seal_key_usage, ctx=c) as v:
            return v.update(content).finish()
    p, n = _buf_in(raw)
    cp, cn = _buf_in(content) if content is not None else (ffi.NULL, 0)
    out = ffi.new("tsvc_sig_report **")
    opts = _verify_opts(profile, algorithm_policy, seal_key_usage)
    call(lib.tsvc_verify, c._p, out, p, n, cp, cn, store._p,
         policy._p if policy is not None else ffi.NULL, opts)
    return SignatureReport(out[0], c)


def corporate_number_valid(number: str) -> bool:
    """Whether a 13-digit Japanese corporate number has a correct check digit."""
    b = number.encode()
    return bool(lib.tsvc_corporate_number_valid(b, len(b)))


def check_org_identifier(ident: str) -> None:
    """Raises CMSError for a malformed organizationIdentifier (e.g. NTRJP-…)."""
    b = ident.encode()
    call(lib.tsvc_org_identifier_check, b, len(b))


# --------------------------------------------------------------------------
# time-stamping (RFC 3161)
# --------------------------------------------------------------------------

class TimeStampRequest(_Handle):
    """A TimeStampReq: message imprint, policy, nonce, certReq."""

    _free = lib.tsvc_tsq_free

    def __init__(self, *, data: Optional[Source] = None, digest: Optional[BytesLike] = None,
                 hash: HashAlg = HashAlg.SHA256, policy: Optional[str] = None,
                 nonce: Union[BytesLike, bool, None] = True, cert_req: bool = True,
                 ctx: Optional[Context] = None, _ptr: Any = None) -> None:
        c = _ctx(ctx)
        if _ptr is not None:
            super().__init__(_ptr, c)
            return
        if (data is None) == (digest is None):
            raise TypeError("give exactly one of data= or digest=")
        if data is not None:
            digest = hash_data(data, hash, c)
        p, n = _buf_in(digest)
        out = ffi.new("tsvc_tsq **")
        call(lib.tsvc_tsq_new, c._p, out, int(hash), p, n)
        super().__init__(out[0], c)
        if policy is not None:
            call(lib.tsvc_tsq_set_policy, self._p, policy.encode())
        if nonce is True:
            nonce = random_bytes(8, c)
        if nonce:
            np_, nn = _buf_in(nonce)
            call(lib.tsvc_tsq_set_nonce, self._p, np_, nn)
        lib.tsvc_tsq_set_cert_req(self._p, int(cert_req))

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "TimeStampRequest":
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_tsq **")
        call(lib.tsvc_tsq_parse, c._p, out, p, n)
        return cls(ctx=c, _ptr=out[0])

    def encode(self) -> bytes:
        return _buf_call(lib.tsvc_tsq_encode, self._p)

    @property
    def hash(self) -> HashAlg:
        return HashAlg(lib.tsvc_tsq_hash_alg(self._p))

    @property
    def digest(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_tsq_digest, self._p) or b""

    @property
    def nonce(self) -> bytes | None:
        return _borrowed_bytes(lib.tsvc_tsq_nonce, self._p)

    @property
    def policy(self) -> str | None:
        return _oid_out(lib.tsvc_tsq_policy, self._p)

    @property
    def cert_req(self) -> bool:
        return bool(lib.tsvc_tsq_cert_req(self._p))

    def fetch(self, url: str) -> "TimeStampResponse":
        """Posts the request through the context's fetch callback."""
        assert self._ctx is not None
        body = _buf_call(lib.tsvc_tsq_fetch, self._ctx._p, self._p, url.encode(), at=3)
        return TimeStampResponse.load(body, self._ctx)


def _tsp_opts(policies: Sequence[str], certs: Optional[_CertList], nonce: Optional[BytesLike],
              now: Time | None, keep: list, policy: Optional["Policy"] = None) -> Any:
    opts = ffi.new("tsvc_tsp_verify_options *")
    lib.tsvc_tsp_verify_options_init(opts)
    if policy is not None:  # validation rules for the TSA's path (revocation, ...)
        opts.policy = policy._p
        keep.append(policy)
    if policies:
        arr = ffi.new("char *[]", [_cstr(s, keep) for s in policies])
        keep.append(arr)
        opts.policies = arr
        opts.num_policies = len(policies)
    if certs is not None:
        opts.certs = certs.ptr
        keep.append(certs)
    if nonce is not None:
        p, n = _buf_in(nonce)
        keep.append(p)
        opts.nonce, opts.nonce_len = p, n
    opts.now = _epoch(now)
    return opts


class TimeStampToken(_Handle):
    """A time-stamp token (a CMS SignedData over a TSTInfo)."""

    _free = lib.tsvc_tst_free

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "TimeStampToken":
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_tst **")
        call(lib.tsvc_tst_parse, c._p, out, p, n)
        return cls(out[0], c)

    @property
    def der(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_tst_der, self._p) or b""

    @property
    def gen_time(self) -> _dt.datetime:
        s, ns = ffi.new("int64_t *"), ffi.new("uint32_t *")
        check(lib.tsvc_tst_gen_time(self._p, s, ns))
        return _dt_of(s[0]) + _dt.timedelta(microseconds=ns[0] // 1000)

    @property
    def serial(self) -> int:
        return int.from_bytes(_borrowed_bytes(lib.tsvc_tst_serial, self._p) or b"", "big")

    @property
    def policy(self) -> str | None:
        return _oid_out(lib.tsvc_tst_policy, self._p)

    @property
    def hash(self) -> HashAlg:
        return HashAlg(lib.tsvc_tst_hash_alg(self._p))

    @property
    def digest(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_tst_digest, self._p) or b""

    @property
    def nonce(self) -> bytes | None:
        return _borrowed_bytes(lib.tsvc_tst_nonce, self._p)

    @property
    def ordering(self) -> bool:
        return bool(lib.tsvc_tst_ordering(self._p))

    @property
    def accuracy(self) -> tuple[int, int, int] | None:
        s, ms, us = ffi.new("uint64_t *"), ffi.new("uint32_t *"), ffi.new("uint32_t *")
        if not lib.tsvc_tst_accuracy(self._p, s, ms, us):
            return None
        return int(s[0]), int(ms[0]), int(us[0])

    @property
    def tsa_name(self) -> str | None:
        if _borrowed_bytes(lib.tsvc_tst_tsa_name, self._p) is None:
            return None
        return _buf_call(lib.tsvc_tst_tsa_name_text, self._p).decode()

    @property
    def signer_certificate(self) -> Certificate | None:
        p = lib.tsvc_tst_signer_cert(self._p)
        return None if p == ffi.NULL else Certificate._borrow(p, self._ctx)

    def verify(self, store: Store, *, data: Optional[Source] = None,
               digest: Optional[BytesLike] = None, hash: Optional[HashAlg] = None,
               policies: Sequence[str] = (), certs: Sequence[Certificate] = (),
               nonce: Optional[BytesLike] = None, now: Time | None = None,
               policy: Optional["Policy"] = None) -> Report:
        """Checks the token over data (or a digest of it) and validates the TSA
        (with policy's rules, e.g. revocation, when given)."""
        assert self._ctx is not None
        hash = self.hash if hash is None else hash
        if data is not None:
            digest = hash_data(data, hash, self._ctx)
        if digest is None:
            raise TypeError("give data= or digest=")
        keep: list = []
        cl = _CertList(self._ctx, certs) if certs else None
        opts = _tsp_opts(policies, cl, nonce, now, keep, policy)
        p, n = _buf_in(digest)
        out = ffi.new("tsvc_report **")
        call(lib.tsvc_tst_verify, self._ctx._p, out, self._p, int(hash), p, n, store._p, opts)
        return Report(out[0], self._ctx)


class TimeStampResponse(_Handle):
    """A TimeStampResp: status, failInfo and (when granted) the token."""

    _free = lib.tsvc_tsr_free

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "TimeStampResponse":
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_tsr **")
        call(lib.tsvc_tsr_parse, c._p, out, p, n)
        return cls(out[0], c)

    @property
    def status(self) -> PkiStatus:
        return PkiStatus(lib.tsvc_tsr_status(self._p))

    @property
    def status_string(self) -> str | None:
        return _str(lib.tsvc_tsr_status_string(self._p))

    @property
    def fail_info(self) -> int:
        return int(lib.tsvc_tsr_fail_info(self._p))

    @property
    def granted(self) -> bool:
        return self.status in (PkiStatus.GRANTED, PkiStatus.GRANTED_WITH_MODS)

    @property
    def token(self) -> TimeStampToken | None:
        p = lib.tsvc_tsr_token(self._p)
        if p == ffi.NULL:
            return None
        return TimeStampToken(ffi.cast("tsvc_tst *", p), self._ctx, owner=self, owned=False)

    def verify(self, request: TimeStampRequest, store: Store, *, policies: Sequence[str] = (),
               certs: Sequence[Certificate] = (), now: Time | None = None,
               policy: Optional["Policy"] = None) -> Report:
        """Checks status, imprint, nonce, TSA certificate and path against the request."""
        assert self._ctx is not None
        keep: list = []
        cl = _CertList(self._ctx, certs) if certs else None
        opts = _tsp_opts(policies, cl, None, now, keep, policy)
        out = ffi.new("tsvc_report **")
        call(lib.tsvc_tsr_verify, self._ctx._p, out, self._p, request._p, store._p, opts)
        return Report(out[0], self._ctx)


@ffi.def_extern(name="_tsvc_py_tsa_clock_fn", error=int(Status.ERR_CLOCK), onerror=_quiet)
def _tsa_clock_trampoline(opaque: Any, secs: Any, nanos: Any) -> int:
    t = ffi.from_handle(opaque)()
    if isinstance(t, _dt.datetime):
        secs[0] = _epoch(t)
        nanos[0] = t.microsecond * 1000
    else:
        secs[0] = int(t)
        nanos[0] = int(round((float(t) - int(t)) * 1e9)) if isinstance(t, float) else 0
    return 0


@ffi.def_extern(name="_tsvc_py_tsa_serial_fn", error=int(Status.ERR_TSA_SERIAL), onerror=_quiet)
def _tsa_serial_trampoline(opaque: Any, out: Any, n: Any) -> int:
    v = ffi.from_handle(opaque)()
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big") if isinstance(v, int) else bytes(v)
    if len(b) > 20:
        return int(Status.ERR_TSA_SERIAL)
    ffi.memmove(out, b, len(b))
    n[0] = len(b)
    return 0


class TimeStampAuthority(_Handle):
    """The issuing side of RFC 3161: answers TimeStampReq bytes with TimeStampResp bytes."""

    _free = lib.tsvc_tsa_free

    def __init__(self, key: Key, cert: Certificate, policy: str, *, chain: Iterable[Certificate] = (),
                 accuracy: Optional[tuple[int, int, int]] = None, ordering: bool = False,
                 include_name: bool = False, signer_hash: Optional[HashAlg] = None,
                 clock: Optional[Callable[[], Time]] = None,
                 serial: Optional[Callable[[], Union[int, bytes]]] = None,
                 key_requirements: Optional[dict[str, bool]] = None,
                 ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_tsa **")
        call(lib.tsvc_tsa_new, c._p, out, key._p, cert._p, policy.encode())
        super().__init__(out[0], c, keep=(key,))
        for x in chain:
            call(lib.tsvc_tsa_add_chain_cert, self._p, x._p)
        if accuracy is not None:
            call(lib.tsvc_tsa_set_accuracy, self._p, *accuracy)
        if ordering:
            call(lib.tsvc_tsa_set_ordering, self._p, 1)
        if include_name:
            call(lib.tsvc_tsa_set_include_name, self._p, 1)
        if signer_hash is not None:
            call(lib.tsvc_tsa_set_signer_hash, self._p, int(signer_hash))
        if clock is not None:
            h = ffi.new_handle(clock)
            _keep_callback(self._p, h)
            call(lib.tsvc_tsa_set_clock, self._p, lib._tsvc_py_tsa_clock_fn, h)
        if serial is not None:
            h = ffi.new_handle(serial)
            _keep_callback(self._p, h)
            call(lib.tsvc_tsa_set_serial_fn, self._p, lib._tsvc_py_tsa_serial_fn, h)
        if key_requirements is not None:
            r = ffi.new("tsvc_key_requirements *")
            lib.tsvc_key_requirements_init(r)
            r.require_hsm = int(key_requirements.get("hsm", False))
            r.require_non_extractable = int(key_requirements.get("non_extractable", False))
            r.require_active_certification = int(key_requirements.get("active_certification", False))
            r.require_activation = int(key_requirements.get("activation", False))
            call(lib.tsvc_tsa_set_key_requirements, self._p, r)

    def add_policy(self, policy: str) -> None:
        call(lib.tsvc_tsa_add_policy, self._p, policy.encode())

    def accept_hash(self, hash: HashAlg, accepted: bool = True) -> None:
        call(lib.tsvc_tsa_set_hash_accepted, self._p, int(hash), int(accepted))

    def respond(self, request: Union[BytesLike, TimeStampRequest]) -> bytes:
        """TimeStampResp bytes for request bytes (a rejection for a bad request)."""
        if isinstance(request, TimeStampRequest):
            request = request.encode()
        p, n = _buf_in(request)
        return _buf_call(lib.tsvc_tsa_respond, self._p, p, n)

    @property
    def num_issued(self) -> int:
        return int(lib.tsvc_tsa_num_issued(self._p))


# --------------------------------------------------------------------------
# certificate builder
# --------------------------------------------------------------------------

class CertificateBuilder(_Handle):
    """Builds and signs an X.509 certificate (test PKIs, private CAs)."""

    _free = lib.tsvc_cert_builder_free

    def __init__(self, ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_cert_builder **")
        call(lib.tsvc_cert_builder_new, c._p, out)
        super().__init__(out[0], c)

    def subject(self, text: str) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_set_subject, self._p, text.encode())
        return self

    def issuer(self, text: str) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_set_issuer, self._p, text.encode())
        return self

    def issuer_cert(self, cert: Certificate) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_set_issuer_cert, self._p, cert._p)
        return self

    def serial(self, serial: int) -> "CertificateBuilder":
        b = serial.to_bytes(max(1, (serial.bit_length() + 8) // 8), "big")
        p, n = _buf_in(b)
        call(lib.tsvc_cert_builder_set_serial, self._p, p, n)
        return self

    def validity(self, not_before: Time, not_after: Time) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_set_validity, self._p, _epoch(not_before), _epoch(not_after))
        return self

    def public_key(self, pub: PublicKey) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_set_public_key, self._p, pub._p)
        return self

    def ca(self, path_len: int = -1) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_set_basic_constraints, self._p, 1, path_len)
        return self

    def key_usage(self, bits: int, critical: bool = True) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_set_key_usage, self._p, bits, int(critical))
        return self

    def eku(self, oid: str, critical: bool = False) -> "CertificateBuilder":
        call(lib.tsvc_cert_builder_add_eku, self._p, oid.encode())
        if critical:
            lib.tsvc_cert_builder_set_eku_critical(self._p, 1)
        return self

    def sign(self, issuer_key: Key, scheme: SigScheme = SigScheme.NONE,
             hash: HashAlg = HashAlg.SHA256) -> Certificate:
        der = _buf_call(lib.tsvc_cert_builder_sign, self._p, issuer_key._p, int(scheme), int(hash),
                        int(KeyFormat.DER), at=5)
        return Certificate.load(der, self._ctx)


def _serial_bytes(serial: int) -> bytes:
    return serial.to_bytes(max(1, (serial.bit_length() + 8) // 8), "big")


class CrlBuilder(_Handle):
    """Issues a CRL (the issuing side: a CA, or test data)."""

    _free = lib.tsvc_crl_builder_free

    def __init__(self, issuer: Certificate, key: Key, ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_crl_builder **")
        call(lib.tsvc_crl_builder_new, c._p, out, issuer._p, key._p)
        super().__init__(out[0], c, keep=(key,))

    def times(self, this_update: Time, next_update: Time) -> "CrlBuilder":
        call(lib.tsvc_crl_builder_set_times, self._p, _epoch(this_update), _epoch(next_update))
        return self

    def number(self, n: int) -> "CrlBuilder":
        call(lib.tsvc_crl_builder_set_number, self._p, n)
        return self

    def revoke(self, serial: int, when: Time,
               reason: CrlReason = CrlReason.UNSPECIFIED) -> "CrlBuilder":
        p, n = _buf_in(_serial_bytes(serial))
        call(lib.tsvc_crl_builder_add, self._p, p, n, _epoch(when), int(reason))
        return self

    def finish(self) -> Crl:
        return Crl.load(_buf_call(lib.tsvc_crl_builder_finish, self._p), self._ctx)


# --------------------------------------------------------------------------
# CAdES B-T, B-LT, B-LTA and long-term validation
# --------------------------------------------------------------------------

def _content(content: Optional[BytesLike]) -> tuple[Any, int]:
    return _buf_in(content) if content is not None else (ffi.NULL, 0)


def _request_for(fn: Any, ctx: Optional[Context], *args: Any) -> TimeStampRequest:
    c = _ctx(ctx)
    out = ffi.new("tsvc_tsq **")
    call(fn, c._p, out, *args)
    return TimeStampRequest(ctx=c, _ptr=out[0])


def signature_timestamp_request(cms: BytesLike, signer_index: int = 0,
                                hash: HashAlg = HashAlg.SHA256,
                                ctx: Optional[Context] = None) -> TimeStampRequest:
    """A request whose imprint is the hash of a SignerInfo's signature value (for B-T)."""
    p, n = _buf_in(cms)
    return _request_for(lib.tsvc_tsq_new_for_signature, ctx, p, n, signer_index, int(hash))


def add_signature_timestamp(cms: BytesLike, response: Union[BytesLike, TimeStampResponse, None] = None,
                            request: Optional[TimeStampRequest] = None, signer_index: int = 0,
                            tsa: Optional["TimeStampAuthority"] = None,
                            ctx: Optional[Context] = None) -> bytes:
    """Makes a B-B signature B-T with a time-stamp response over its signature value.

    Give the response bytes (and the request, for the nonce), or an in-process
    ``tsa`` to ask directly.
    """
    c = _ctx(ctx)
    if tsa is not None:
        request = signature_timestamp_request(cms, signer_index, ctx=c)
        response = tsa.respond(request)
    if response is None:
        raise TypeError("give response= or tsa=")
    if isinstance(response, TimeStampResponse):
        raise TypeError("give the response bytes")
    p, n = _buf_in(cms)
    rp, rn = _buf_in(response)
    return _buf_call(lib.tsvc_tst_add_to_signature, c._p, p, n, signer_index, rp, rn,
                     request._p if request is not None else ffi.NULL, at=1)


def timestamp_signature(cms: BytesLike, url: str, signer_index: int = 0,
                        hash: HashAlg = HashAlg.SHA256, ctx: Optional[Context] = None) -> bytes:
    """B-B to B-T through the context's fetch callback and the TSA at url."""
    c = _ctx(ctx)
    p, n = _buf_in(cms)
    return _buf_call(lib.tsvc_tst_timestamp_signature, c._p, p, n, signer_index, url.encode(),
                     int(hash), at=1)


def verify_signature_timestamps(cms: BytesLike, store: Store, signer_index: int = 0, *,
                                policies: Sequence[str] = (), certs: Sequence[Certificate] = (),
                                now: Time | None = None, policy: Optional[Policy] = None,
                                ctx: Optional[Context] = None) -> Report:
    """Verifies the signature time-stamps of a SignerInfo; the report's time is
    the earliest genTime (PASSED), or INDETERMINATE / NO_POE without any."""
    c = _ctx(ctx)
    keep: list = []
    cl = _CertList(c, certs) if certs else None
    opts = _tsp_opts(policies, cl, None, now, keep, policy)
    p, n = _buf_in(cms)
    out = ffi.new("tsvc_report **")
    call(lib.tsvc_tst_verify_signature, c._p, out, p, n, signer_index, store._p, opts)
    return Report(out[0], c)


def extend_lt(cms: BytesLike, store: Store, signer_index: int = 0, *,
              profile: LtProfile = LtProfile.EN, fetch: RevocationFetch = RevocationFetch.NEVER,
              ref_hash: HashAlg = HashAlg.NONE, when: Time | None = None,
              ctx: Optional[Context] = None) -> bytes:
    """B-T to B-LT (or ES-XL with profile=LtProfile.JIS): embeds the paths and
    revocation data of the signer and of every TSA, from the store (and the
    fetch callback when allowed)."""
    c = _ctx(ctx)
    opts = ffi.new("tsvc_lt_options *")
    lib.tsvc_lt_options_init(opts)
    opts.profile, opts.fetch, opts.ref_hash, opts.when = int(profile), int(fetch), int(ref_hash), _epoch(when)
    p, n = _buf_in(cms)
    return _buf_call(lib.tsvc_ades_extend_lt, c._p, p, n, signer_index, store._p, opts, at=1)


def archive_timestamp_request(cms: BytesLike, content: Optional[BytesLike] = None,
                              version: AtsVersion = AtsVersion.V3, signer_index: int = 0,
                              hash: HashAlg = HashAlg.SHA256,
                              ctx: Optional[Context] = None) -> TimeStampRequest:
    """The request for an archive time-stamp (B-LTA v3, or ES-A v2)."""
    p, n = _buf_in(cms)
    cp, cn = _content(content)
    return _request_for(lib.tsvc_tsq_new_for_archive, ctx, p, n, signer_index, cp, cn,
                        int(version), int(hash))


def add_archive_timestamp(cms: BytesLike, response: BytesLike, request: Optional[TimeStampRequest],
                          content: Optional[BytesLike] = None, version: AtsVersion = AtsVersion.V3,
                          signer_index: int = 0, ctx: Optional[Context] = None) -> bytes:
    """Adds an archive time-stamp from a response to archive_timestamp_request()."""
    c = _ctx(ctx)
    p, n = _buf_in(cms)
    cp, cn = _content(content)
    rp, rn = _buf_in(response)
    return _buf_call(lib.tsvc_ats_add_to_signature, c._p, p, n, signer_index, cp, cn, int(version),
                     rp, rn, request._p if request is not None else ffi.NULL, at=1)


def archive_timestamp(cms: BytesLike, url: Optional[str] = None, *,
                      tsa: Optional["TimeStampAuthority"] = None, content: Optional[BytesLike] = None,
                      version: AtsVersion = AtsVersion.V3, signer_index: int = 0,
                      hash: HashAlg = HashAlg.SHA256, ctx: Optional[Context] = None) -> bytes:
    """B-LT to B-LTA (archive time-stamp v3; v2 for ES-A) from the TSA at url
    (through the fetch callback) or an in-process tsa."""
    c = _ctx(ctx)
    if tsa is not None:
        q = archive_timestamp_request(cms, content, version, signer_index, hash, c)
        return add_archive_timestamp(cms, tsa.respond(q), q, content, version, signer_index, c)
    if url is None:
        raise TypeError("give url= or tsa=")
    p, n = _buf_in(cms)
    cp, cn = _content(content)
    return _buf_call(lib.tsvc_ats_timestamp_signature, c._p, p, n, signer_index, cp, cn,
                     int(version), url.encode(), int(hash), at=1)


class LongTermReport(_ReportBase):
    """The report of a long-term validation (validation in the past)."""

    _free = lib.tsvc_ltv_report_free
    _indication = lib.tsvc_ltv_report_indication
    _subindication = lib.tsvc_ltv_report_subindication
    _reason = lib.tsvc_ltv_report_reason
    _time = lib.tsvc_ltv_report_time
    _json = lib.tsvc_ltv_report_to_json

    @property
    def best_signature_time(self) -> _dt.datetime | None:
        t = ffi.new("int64_t *")
        return _dt_of(t[0]) if lib.tsvc_ltv_report_best_signature_time(self._p, t) else None

    @property
    def level(self) -> str | None:
        """"B-B", "B-T", "B-LT", "B-LTA", "ES-XL", "ES-A", ..."""
        return _str(lib.tsvc_ltv_report_level(self._p))

    @property
    def archive_timestamps(self) -> list[dict[str, Any]]:
        return [{"version": AtsVersion(lib.tsvc_ltv_report_archive_timestamp_version(self._p, i)),
                 "time": _dt_of(lib.tsvc_ltv_report_archive_timestamp_time(self._p, i)),
                 "indication": Indication(lib.tsvc_ltv_report_archive_timestamp_indication(self._p, i))}
                for i in range(lib.tsvc_ltv_report_num_archive_timestamps(self._p))]

    @property
    def renewal_date(self) -> _dt.datetime | None:
        """When a further archive time-stamp should be added."""
        t = ffi.new("int64_t *")
        return _dt_of(t[0]) if lib.tsvc_ltv_report_renewal_date(self._p, t) else None

    @property
    def checks(self) -> Report | None:
        p = lib.tsvc_ltv_report_checks(self._p)
        if p == ffi.NULL:
            return None
        return Report(ffi.cast("tsvc_report *", p), self._ctx, owner=self, owned=False)



def verify_long_term(cms: BytesLike, store: Store, *, content: Optional[BytesLike] = None,
                     when: Time | None = None, signer_index: int = 0,
                     profile: VerifyProfile = VerifyProfile.SIGNATURE,
                     algorithm_policy: Optional[AlgorithmPolicy] = None,
                     fetch: RevocationFetch = RevocationFetch.NEVER,
                     tsa_policies: Sequence[str] = (), ctx: Optional[Context] = None) -> LongTermReport:
    """Validates a B-T/B-LT/B-LTA (ES-T/ES-XL/ES-A) signature at when (default:
    now), using the time-stamps as proofs of existence."""
    c = _ctx(ctx)
    keep: list = []
    opts = ffi.new("tsvc_ltv_options *")
    lib.tsvc_ltv_options_init(opts)
    opts.signer_index, opts.when, opts.profile, opts.fetch = signer_index, _epoch(when), int(profile), int(fetch)
    if algorithm_policy is not None:
        opts.algorithm_policy = algorithm_policy._p
    if tsa_policies:
        arr = ffi.new("char *[]", [_cstr(x, keep) for x in tsa_policies])
        keep.append(arr)
        opts.tsa_policies, opts.num_tsa_policies = arr, len(tsa_policies)
    p, n = _buf_in(cms)
    cp, cn = _content(content)
    out = ffi.new("tsvc_ltv_report **")
    call(lib.tsvc_ltv_verify, c._p, out, p, n, cp, cn, store._p, opts)
    return LongTermReport(out[0], c)


# --------------------------------------------------------------------------
# OCSP responder side, certificate requests
# --------------------------------------------------------------------------

def ocsp_request(cert: Certificate, issuer: Certificate, hash: HashAlg = HashAlg.SHA1,
                 nonce: Optional[BytesLike] = None, ctx: Optional[Context] = None) -> bytes:
    """An OCSPRequest for cert (DER)."""
    c = _ctx(ctx)
    np_, nn = _buf_in(nonce) if nonce is not None else (ffi.NULL, 0)
    return _buf_call(lib.tsvc_ocsp_request_build, c._p, cert._p, issuer._p, int(hash), np_, nn)


def ocsp_error_response(status: OcspResponseStatus, ctx: Optional[Context] = None) -> bytes:
    """An unsigned OCSP error response (malformedRequest, tryLater, ...)."""
    c = _ctx(ctx)
    return _buf_call(lib.tsvc_ocsp_error_response_build, c._p, int(status))


class OcspResponseBuilder(_Handle):
    """Issues OCSP responses (a CA or its delegated responder; pre-generated
    responses served from a CDN)."""

    _free = lib.tsvc_ocsp_response_builder_free

    def __init__(self, ca: Certificate, signer: Certificate, key: Key,
                 ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_ocsp_response_builder **")
        call(lib.tsvc_ocsp_response_builder_new, c._p, out, ca._p, signer._p, key._p)
        super().__init__(out[0], c, keep=(key,))

    def times(self, produced_at: Time, this_update: Time, next_update: Time | None = None) -> "OcspResponseBuilder":
        call(lib.tsvc_ocsp_response_builder_set_times, self._p, _epoch(produced_at),
             _epoch(this_update), _epoch(next_update))
        return self

    def ids(self, hash: HashAlg = HashAlg.SHA1, by_key: bool = False) -> "OcspResponseBuilder":
        call(lib.tsvc_ocsp_response_builder_set_ids, self._p, int(hash), int(by_key))
        return self

    def nonce(self, nonce: BytesLike) -> "OcspResponseBuilder":
        p, n = _buf_in(nonce)
        call(lib.tsvc_ocsp_response_builder_set_nonce, self._p, p, n)
        return self

    def add(self, serial: int, status: CertStatus = CertStatus.GOOD, revoked_at: Time | None = None,
            reason: CrlReason = CrlReason.NONE) -> "OcspResponseBuilder":
        p, n = _buf_in(_serial_bytes(serial))
        call(lib.tsvc_ocsp_response_builder_add, self._p, p, n, int(status), _epoch(revoked_at), int(reason))
        return self

    def finish(self) -> bytes:
        return _buf_call(lib.tsvc_ocsp_response_builder_finish, self._p)


class Csr(_Handle):
    """A parsed PKCS#10 certificate request (its signature checked)."""

    _free = lib.tsvc_csr_free

    @classmethod
    def load(cls, data: Source, ctx: Optional[Context] = None) -> "Csr":
        c = _ctx(ctx)
        p, n = _buf_in(_read_all(data))
        out = ffi.new("tsvc_csr **")
        call(lib.tsvc_csr_parse, c._p, out, p, n)
        return cls(out[0], c)

    @property
    def der(self) -> bytes:
        return _borrowed_bytes(lib.tsvc_csr_der, self._p) or b""

    @property
    def subject(self) -> str:
        return _buf_call(lib.tsvc_csr_subject_text, self._p).decode()

    def public_key(self) -> PublicKey:
        out = ffi.new("tsvc_pubkey **")
        call(lib.tsvc_csr_pubkey, self._p, out)
        return PublicKey(out[0], self._ctx)

    @property
    def key_usage(self) -> int | None:
        bits = ffi.new("uint32_t *")
        return int(bits[0]) if lib.tsvc_csr_key_usage(self._p, bits) else None

    @property
    def extended_key_usages(self) -> list[str]:
        out = ffi.new("char[]", 256)
        res = []
        for i in range(lib.tsvc_csr_num_ekus(self._p)):
            check(lib.tsvc_csr_eku(self._p, i, out, 256))
            res.append(ffi.string(out).decode())
        return res


class CsrBuilder(_Handle):
    """Builds a PKCS#10 request signed by any key (software or token)."""

    _free = lib.tsvc_csr_builder_free

    def __init__(self, subject: str, ctx: Optional[Context] = None) -> None:
        c = _ctx(ctx)
        out = ffi.new("tsvc_csr_builder **")
        call(lib.tsvc_csr_builder_new, c._p, out)
        super().__init__(out[0], c)
        call(lib.tsvc_csr_builder_set_subject, self._p, subject.encode())

    def san(self, type: GeneralNameType, value: Union[str, BytesLike]) -> "CsrBuilder":
        b = value.encode() if isinstance(value, str) else value
        p, n = _buf_in(b)
        call(lib.tsvc_csr_builder_add_san, self._p, int(type), p, n)
        return self

    def key_usage(self, bits: int, critical: bool = True) -> "CsrBuilder":
        call(lib.tsvc_csr_builder_set_key_usage, self._p, bits, int(critical))
        return self

    def eku(self, oid: str) -> "CsrBuilder":
        call(lib.tsvc_csr_builder_add_eku, self._p, oid.encode())
        return self

    def sign(self, key: Key, scheme: SigScheme = SigScheme.NONE, hash: HashAlg = HashAlg.SHA256,
             format: KeyFormat = KeyFormat.DER) -> bytes:
        return _buf_call(lib.tsvc_csr_builder_sign, self._p, key._p, int(scheme), int(hash),
                         int(format), at=5)
