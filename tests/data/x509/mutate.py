#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Makes the malformed-certificate catalogue of the x509 unit tests.

Each case starts from a certificate that make-certs.sh issued with the
openssl command line (ec-leaf.der, issued by ec-int), edits its DER with the
small TLV helpers below, and re-signs the TBSCertificate with ec-int.key
(python `cryptography`), so that the edit is the only defect. Cases the
parser must refuse before any signature check are re-signed all the same.

usage: mutate.py DIRECTORY   (the directory holding ec-leaf.der, ec-int.key)
"""
import pathlib
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

# ---------------------------------------------------------------- DER helpers


def enc_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + enc_len(len(content)) + content


def read(data: bytes, off: int = 0):
    """One element at off: (tag, content, end offset). Single-byte tags only."""
    tag = data[off]
    l0 = data[off + 1]
    p = off + 2
    if l0 < 0x80:
        n = l0
    else:
        k = l0 & 0x7F
        n = int.from_bytes(data[p:p + k], "big")
        p += k
    return tag, data[p:p + n], p + n


def children(content: bytes) -> list:
    out, off = [], 0
    while off < len(content):
        _, _, end = read(content, off)
        out.append(content[off:end])
        off = end
    return out


def content_of(element: bytes) -> bytes:
    return read(element)[1]


OID_SAN = bytes.fromhex("0603551d11")
OID_SKI = bytes.fromhex("0603551d0e")
OID_ECDSA_SHA256 = bytes.fromhex("06082a8648ce3d040302")
OID_ECDSA_SHA384 = bytes.fromhex("06082a8648ce3d040303")
OID_RSA = bytes.fromhex("06092a864886f70d010101")
OID_KU = bytes.fromhex("0603551d0f")
OID_BC = bytes.fromhex("0603551d13")
OID_NC = bytes.fromhex("0603551d1e")
OID_CP = bytes.fromhex("0603551d20")


class Cert:
    def __init__(self, der: bytes):
        outer = children(content_of(der))
        self.tbs = children(content_of(outer[0]))
        self.alg = outer[1]
        self.outer_alg = outer[1]

    # field positions in the TBS (version present in the base certificates)
    def idx(self, name: str) -> int:
        base = 1 if self.tbs[0][0] == 0xA0 else 0
        return base + ["serial", "sigalg", "issuer", "validity", "subject", "spki"].index(name)

    def extensions(self) -> list:
        wrapper = self.tbs[-1]
        assert wrapper[0] == 0xA3
        return children(content_of(content_of(wrapper)))

    def set_extensions(self, exts: list):
        self.tbs[-1] = tlv(0xA3, tlv(0x30, b"".join(exts)))

    def der(self, key) -> bytes:
        tbs = tlv(0x30, b"".join(self.tbs))
        sig = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
        return tlv(0x30, tbs + self.outer_alg + tlv(0x03, b"\x00" + sig))


def ext_oid(ext: bytes) -> bytes:
    return children(content_of(ext))[0]


def make_ext(oid: bytes, value: bytes, critical: bool = False) -> bytes:
    return tlv(0x30, oid + (b"\x01\x01\xff" if critical else b"") + tlv(0x04, value))


def replace_ext(c: Cert, oid: bytes, new: bytes):
    c.set_extensions([new if ext_oid(e) == oid else e for e in c.extensions()])


# ---------------------------------------------------------------- the cases


def main() -> int:
    d = pathlib.Path(sys.argv[1])
    base = (d / "ec-leaf.der").read_bytes()
    key = serialization.load_pem_private_key((d / "ec-int.key").read_bytes(), None)
    out = {}

    # Extensions in a v1 certificate: the [0] version field removed.
    c = Cert(base)
    c.tbs = c.tbs[1:]
    out["bad-v1-extensions"] = c.der(key)

    # Extensions in a v2 certificate.
    c = Cert(base)
    c.tbs[0] = tlv(0xA0, tlv(0x02, b"\x01"))
    out["bad-v2-extensions"] = c.der(key)

    # Version 5 (INTEGER 4).
    c = Cert(base)
    c.tbs[0] = tlv(0xA0, tlv(0x02, b"\x04"))
    out["bad-version5"] = c.der(key)

    # v1 explicitly encoded (DER forbids encoding the DEFAULT).
    c = Cert(base)
    c.tbs[0] = tlv(0xA0, tlv(0x02, b"\x00"))
    out["bad-version1-explicit"] = c.der(key)

    # Serial numbers: negative, zero, 21 octets (parsed, flagged).
    for name, serial in (("serial-negative", b"\xff\x01"), ("serial-zero", b"\x00"),
                         ("serial-21-octets", bytes([0x01] + list(range(1, 21))))):
        c = Cert(base)
        c.tbs[c.idx("serial")] = tlv(0x02, serial)
        out[name] = c.der(key)

    # Outer signatureAlgorithm differs from the TBS one.
    c = Cert(base)
    c.outer_alg = tlv(0x30, OID_ECDSA_SHA384)
    out["bad-sigalg-mismatch"] = c.der(key)

    # Unknown signature algorithm, inner and outer alike (parsed, flagged).
    c = Cert(base)
    unknown = tlv(0x30, tlv(0x06, bytes.fromhex("2b0601040183b2030101")))
    c.tbs[c.idx("sigalg")] = unknown
    c.outer_alg = unknown
    out["sigalg-unknown"] = c.der(key)

    # The same extension twice (subjectKeyIdentifier).
    c = Cert(base)
    exts = c.extensions()
    ski = [e for e in exts if ext_oid(e) == OID_SKI][0]
    c.set_extensions(exts + [ski])
    out["bad-duplicate-extension"] = c.der(key)

    # Empty extensions SEQUENCE.
    c = Cert(base)
    c.set_extensions([])
    out["bad-extensions-empty"] = c.der(key)

    # dNSName with a NUL inside.
    c = Cert(base)
    san = tlv(0x30, tlv(0x82, b"leaf.example.com\x00.evil.example"))
    replace_ext(c, OID_SAN, make_ext(OID_SAN, san))
    out["bad-san-dns-nul"] = c.der(key)

    # Subject CN with a NUL inside (parsed; text escapes it as \00).
    c = Cert(base)
    subj = tlv(0x30, tlv(0x31, tlv(0x30, bytes.fromhex("0603550403") +
                                   tlv(0x0C, b"evil.example.com\x00.attacker.example"))))
    c.tbs[c.idx("subject")] = subj
    out["name-nul"] = c.der(key)

    # RSA key with a 16400-bit modulus (over the 16384-bit limit).
    c = Cert(base)
    modulus = b"\x00" + b"\xc5" + bytes(range(256)) * 8 + b"\x01"  # 2050 octets, odd
    rsa_key = tlv(0x30, tlv(0x02, modulus) + tlv(0x02, b"\x01\x00\x01"))
    spki = tlv(0x30, tlv(0x30, OID_RSA + b"\x05\x00") + tlv(0x03, b"\x00" + rsa_key))
    c.tbs[c.idx("spki")] = spki
    out["bad-rsa-16400"] = c.der(key)

    # certificatePolicies naming the same policy twice.
    c = Cert(base)
    pol = tlv(0x30, tlv(0x06, bytes.fromhex("2b0601040183b2030101")))
    c.set_extensions(c.extensions() + [make_ext(OID_CP, tlv(0x30, pol + pol))])
    c.set_extensions([e for i, e in enumerate(c.extensions())
                      if ext_oid(e) != OID_CP or i == len(c.extensions()) - 1])
    out["bad-duplicate-policy"] = c.der(key)

    # keyUsage with no bit set.
    c = Cert(base)
    replace_ext(c, OID_KU, make_ext(OID_KU, b"\x03\x01\x00", True))
    out["bad-ku-no-bits"] = c.der(key)

    # basicConstraints with cA FALSE encoded (DER DEFAULT).
    c = Cert(base)
    replace_ext(c, OID_BC, make_ext(OID_BC, tlv(0x30, b"\x01\x01\x00"), True))
    out["bad-bc-ca-false-encoded"] = c.der(key)

    # Extension with critical FALSE encoded (DER DEFAULT).
    c = Cert(base)
    exts = c.extensions()
    ski = [e for e in exts if ext_oid(e) == OID_SKI][0]
    parts = children(content_of(ski))
    ski_false = tlv(0x30, parts[0] + b"\x01\x01\x00" + parts[1])
    c.set_extensions([ski_false if e == ski else e for e in exts])
    out["bad-ext-critical-false"] = c.der(key)

    # nameConstraints iPAddress with a non-contiguous mask.
    c = Cert(base)
    sub = tlv(0x30, tlv(0x87, bytes([192, 0, 2, 0, 255, 0, 255, 0])))
    c.set_extensions(c.extensions() + [make_ext(OID_NC, tlv(0x30, tlv(0xA0, sub)), True)])
    out["bad-nc-ip-mask"] = c.der(key)

    # 1000 non-critical unknown extensions (parsing stays fast: duplicate
    # detection is O(n log n)).
    c = Cert(base)
    many = [make_ext(tlv(0x06, bytes.fromhex("2b0601040183b2030264") +
                         bytes([0x80 | ((i >> 7) + 1), i & 0x7F])), b"\x05\x00")
            for i in range(1000)]
    c.set_extensions(c.extensions() + many)
    out["many-extensions"] = c.der(key)

    # Trailing garbage after the certificate.
    out["bad-trailing-data"] = base + b"\x00"

    # Truncated certificate.
    out["bad-truncated"] = base[:-10]

    for name, der in out.items():
        (d / (name + ".der")).write_bytes(der)
    print("mutate.py: wrote %d files" % len(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
