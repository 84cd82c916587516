#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Small DER writer for test certificates and CRLs, signed with the openssl
command line (ECDSA P-256 with SHA-256). Used by
tests/conformance/limbo/crl_cases.py at test time and by
make-delta-indirect.py for the committed unit-test data.

It encodes exactly what it is asked for (no checks): that is the point, the
cases need CRLs no ordinary tool issues (duplicate entries, critical
cRLNumber, certificateIssuer entries, future revocation dates, ...).
"""
import datetime
import hashlib
import os
import subprocess
import tempfile

# ---------------------------------------------------------------- DER


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + content


def seq(*items):
    return tlv(0x30, b"".join(items))


def set_of(*items):
    return tlv(0x31, b"".join(sorted(items)))


def integer(v, tag=0x02):
    if v == 0:
        body = b"\x00"
    else:
        body = v.to_bytes((v.bit_length() + 8) // 8, "big")  # room for the sign bit
    return tlv(tag, body)


def enumerated(v):
    return integer(v, 0x0A)


def boolean(v):
    return tlv(0x01, b"\xff" if v else b"\x00")


def octets(b):
    return tlv(0x04, b)


def oid(text):
    parts = [int(p) for p in text.split(".")]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, out)


def bits(named):
    """A named-bit BIT STRING (DER: trailing zero bits removed)."""
    if not named:
        return tlv(0x03, b"\x00")
    top = max(named)
    nbytes = top // 8 + 1
    val = bytearray(nbytes)
    for b in named:
        val[b // 8] |= 0x80 >> (b % 8)
    unused = 7 - (top % 8)
    return tlv(0x03, bytes([unused]) + bytes(val))


def ctx(n, content, constructed=True):
    return tlv((0xA0 if constructed else 0x80) | n, content)


def time(t, generalized=False):
    if 1950 <= t.year < 2050 and not generalized:
        return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, t.strftime("%Y%m%d%H%M%SZ").encode())


def when(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def name(cn, org=None):
    rdns = []
    if org:
        rdns.append(set_of(seq(oid("2.5.4.10"), tlv(0x0C, org.encode()))))
    rdns.append(set_of(seq(oid("2.5.4.3"), tlv(0x0C, cn.encode()))))
    return seq(*rdns)


# GeneralName forms
def gn_uri(u):
    return tlv(0x86, u.encode())


def gn_dns(d):
    return tlv(0x82, d.encode())


def gn_dir(name_der):
    return ctx(4, name_der)


def ext(oid_text, value, critical=False):
    return seq(oid(oid_text), *( [boolean(True)] if critical else [] ), octets(value))


def read_tlv(b, pos):
    tag = b[pos]
    n = b[pos + 1]
    hdr = 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[pos + 2:pos + 2 + k], "big")
        hdr = 2 + k
    return tag, pos + hdr, pos + hdr + n  # tag, content start, end


def cert_subject(der):
    """The subject Name element of a certificate (DER)."""
    _, c, _ = read_tlv(der, 0)
    _, t, tend = read_tlv(der, c)  # tbsCertificate
    pos = t
    fields = []
    while pos < tend:
        tag, s, e = read_tlv(der, pos)
        fields.append((tag, pos, e))
        pos = e
    i = 1 if fields[0][0] == 0xA0 else 0
    _, s, e = fields[i + 4]  # serial, signature, issuer, validity, subject
    return der[s:e]


# ---------------------------------------------------------------- keys and signing

SIGALG = seq(oid("1.2.840.10045.4.3.2"))  # ecdsa-with-SHA256


class Key:
    """A P-256 key in a PEM file (made with openssl genpkey when missing)."""

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-out", path], check=True,
                           capture_output=True)
        self.spki = subprocess.run(["openssl", "pkey", "-in", path, "-pubout", "-outform",
                                    "DER"], check=True, capture_output=True).stdout
        # subjectKeyIdentifier method 1: SHA-1 of the subjectPublicKey bits
        _, c, _ = read_tlv(self.spki, 0)
        _, _, e = read_tlv(self.spki, c)
        _, s, end = read_tlv(self.spki, e)
        self.ski = hashlib.sha1(self.spki[s + 1:end]).digest()

    def sign(self, data):
        with tempfile.NamedTemporaryFile() as f:
            f.write(data)
            f.flush()
            return subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.path, f.name],
                                  check=True, capture_output=True).stdout


def signed(tbs, key):
    return seq(tbs, SIGALG, tlv(0x03, b"\x00" + key.sign(tbs)))


# ---------------------------------------------------------------- certificates


def dist_points(points):
    """cRLDistributionPoints / freshestCRL value: points are dicts with
    'full' (list of GeneralName DER), 'relative' (RDN SET contents),
    'reasons' (bit numbers) and 'crl_issuer' (list of GeneralName DER)."""
    out = []
    for p in points:
        parts = []
        if "full" in p:
            parts.append(ctx(0, ctx(0, b"".join(p["full"]))))
        elif "relative" in p:
            parts.append(ctx(0, ctx(1, p["relative"])))
        if "reasons" in p:
            parts.append(tlv(0x81, bits(p["reasons"])[2:]))
        if "crl_issuer" in p:
            parts.append(ctx(2, b"".join(p["crl_issuer"])))
        out.append(seq(*parts))
    return seq(*out)


def certificate(subject, issuer, key, issuer_key, serial, *, ca=False, crl_sign=True, ku=True,
                ku_bits=None,
                cdp=None, not_before="2020-01-01T00:00:00Z", not_after="2040-01-01T00:00:00Z",
                san="example.com", eku="1.3.6.1.5.5.7.3.1", extra=()):
    exts = []
    if ca:
        exts.append(ext("2.5.29.19", seq(boolean(True)), critical=True))
        if ku:
            exts.append(ext("2.5.29.15", bits([5, 6] if crl_sign else [5]), critical=True))
    else:
        exts.append(ext("2.5.29.15", bits(ku_bits if ku_bits is not None else [0]),
                        critical=True))
        if eku:
            exts.append(ext("2.5.29.37", seq(oid(eku))))
        if san:
            exts.append(ext("2.5.29.17", seq(gn_dns(san))))
    exts.append(ext("2.5.29.14", octets(key.ski)))
    exts.append(ext("2.5.29.35", seq(tlv(0x80, issuer_key.ski))))
    if cdp is not None:
        exts.append(ext("2.5.29.31", dist_points(cdp)))
    exts.extend(extra)
    tbs = seq(ctx(0, integer(2)), integer(serial), SIGALG, issuer,
              seq(time(when(not_before)), time(when(not_after))), subject, key.spki,
              ctx(3, seq(*exts)))
    return signed(tbs, issuer_key)


# ---------------------------------------------------------------- CRLs


def entry(serial, date, *, reason=None, cert_issuer=None, extra=()):
    exts = []
    if reason is not None:
        exts.append(ext("2.5.29.21", enumerated(reason)))
    if cert_issuer is not None:
        exts.append(ext("2.5.29.29", seq(*cert_issuer), critical=True))
    exts.extend(extra)
    parts = [integer(serial), time(when(date))]
    if exts:
        parts.append(seq(*exts))
    return seq(*parts)


def idp(*, full=None, relative=None, only_user=False, only_ca=False, reasons=None,
        indirect=False, only_attr=False):
    parts = []
    if full is not None:
        parts.append(ctx(0, ctx(0, b"".join(full))))
    elif relative is not None:
        parts.append(ctx(0, ctx(1, relative)))
    if only_user:
        parts.append(tlv(0x81, b"\xff"))
    if only_ca:
        parts.append(tlv(0x82, b"\xff"))
    if reasons is not None:
        parts.append(tlv(0x83, bits(reasons)[2:]))
    if indirect:
        parts.append(tlv(0x84, b"\xff"))
    if only_attr:
        parts.append(tlv(0x85, b"\xff"))
    return seq(*parts)


def crl(issuer, key, *, entries=(), this_update="2023-12-31T00:00:00Z",
        next_update="2024-01-30T00:00:00Z", number=1, number_critical=False, aki=True,
        extra=(), version=1, generalized=False):
    exts = []
    if aki:
        exts.append(ext("2.5.29.35", seq(tlv(0x80, key.ski))))
    if number is not None:
        exts.append(ext("2.5.29.20", integer(number), critical=number_critical))
    exts.extend(extra)
    parts = []
    if version is not None:
        parts.append(integer(version))
    parts += [SIGALG, issuer, time(when(this_update), generalized)]
    if next_update is not None:
        parts.append(time(when(next_update), generalized))
    if entries:
        parts.append(seq(*entries))
    if exts:
        parts.append(ctx(0, seq(*exts)))
    return signed(seq(*parts), key)


def pem(der, label):
    import base64
    b64 = base64.encodebytes(der).decode().replace("\n", "")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
