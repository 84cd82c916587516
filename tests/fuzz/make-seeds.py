#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpora of the time, oid, name, pubkey, key, x509 and
path fuzz targets (tests/fuzz/corpus/<target>/).

    python3 tests/fuzz/make-seeds.py       (make-seeds.sh runs it too)

Deterministic: the certificates and keys come from the committed test data
in tests/data/x509 and tests/data/path (PEM is decoded here; no openssl),
the rest is written byte by byte. Re-running rewrites the same files.
"""
import base64
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
X509 = os.path.join(ROOT, "tests", "data", "x509")
PATH = os.path.join(ROOT, "tests", "data", "path")
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def pem_blocks(path):
    text = open(path, encoding="ascii", errors="replace").read()
    out = []
    for m in re.finditer(r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", text, re.S):
        body = "".join(l for l in m.group(2).splitlines() if l and ":" not in l)
        out.append((m.group(1), base64.b64decode(body)))
    return out


def pem_cert(path):
    return next(d for (label, d) in pem_blocks(path) if label == "CERTIFICATE")


# --- a minimal DER walker, enough to pick fields out of a certificate ---
def tlv(b, i):
    """(tag byte, header length, contents length) of the element at i."""
    tag = b[i]
    n = b[i + 1]
    if n < 0x80:
        return tag, 2, n
    k = n & 0x7F
    return tag, 2 + k, int.from_bytes(b[i + 2:i + 2 + k], "big")


def children(b, start, end):
    i = start
    while i < end:
        tag, h, n = tlv(b, i)
        yield tag, b[i:i + h + n], i + h, i + h + n
        i += h + n


def cert_fields(der):
    """issuer, subject and SubjectPublicKeyInfo elements of a certificate."""
    _, h, n = tlv(der, 0)
    tbs_tag, tbs, tbs_start, tbs_end = next(children(der, h, h + n))
    els = [e for (t, e, _, _) in children(der, tbs_start, tbs_end) if t != 0xA0]
    # serial, signature, issuer, validity, subject, spki, ...
    return {"issuer": els[2], "subject": els[4], "spki": els[5]}


def time_seeds():
    utc, gen = b"\x00", b"\x01"
    seeds = {
        "utc-2049.bin": utc + b"491231235959Z",
        "utc-1950.bin": utc + b"500101000000Z",
        "utc-leap-day.bin": utc + b"240229120000Z",
        "gen-2050.bin": gen + b"20500101000000Z",
        "gen-before-2050.bin": gen + b"19991231235959Z",
        "gen-year-0.bin": gen + b"00000101000000Z",
        "gen-year-9999-frac.bin": gen + b"99991231235959.999999999Z",
        "gen-frac.bin": gen + b"20240229120000.123Z",
        "gen-frac-1.bin": gen + b"20240229120000.5Z",
        "bad-utc-second-60.bin": utc + b"491231235960Z",
        "bad-gen-feb-29.bin": gen + b"20230229120000Z",
        "bad-gen-trailing-zero.bin": gen + b"20240229120000.10Z",
        "bad-gen-offset.bin": gen + b"20240229120000+0900",
        "bad-gen-10-digits.bin": gen + b"20240229120000.1234567891Z",
        "bad-gen-dot-only.bin": gen + b"20240229120000.Z",
        "bad-utc-no-z.bin": utc + b"4912312359590",
        "der-utctime.der": b"\x17\x0d" + b"491231235959Z",
        "der-gentime.der": b"\x18\x0f" + b"20500101000000Z",
        "der-gentime-frac.der": b"\x18\x13" + b"20240229120000.123Z",
    }
    for name, data in seeds.items():
        write("time", name, data)


def oid_seeds():
    texts = {
        "text-sha256-rsa.txt": "1.2.840.113549.1.1.11",
        "text-uuid.txt": "2.25.329800735698586629295641978511506172918",
        "text-0-39.txt": "0.39",
        "text-2-999.txt": "2.999.1",
        "text-zero-arc.txt": "1.2.0",
        "text-org-id.txt": "2.5.4.97",
        "text-eseal.txt": "0.4.0.1862.1.6.2",
        "bad-text-1-40.txt": "1.40",
        "bad-text-leading-zero.txt": "1.02",
        "bad-text-trailing-dot.txt": "1.2.",
        "bad-text-one-arc.txt": "1",
    }
    octets = {
        "der-sha256-rsa.bin": b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b",
        "der-any-policy.bin": b"\x55\x1d\x20\x00",
        "der-2-999.bin": b"\x88\x37",
        "der-tst-info.bin": b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04",
        "bad-der-non-minimal.bin": b"\x80\x01",
        "bad-der-unterminated.bin": b"\x2a\x86",
        # Regression: 128 three-digit arcs, text one character too long.
        "bad-der-text-too-long.bin": b"\x42" + b"\x68" * 127,
        "der-127-octets.bin": b"\x42" + b"\x68" * 126,
    }
    for name, data in {**texts, **octets}.items():
        write("oid", name, data)


def name_seeds():
    texts = {
        "text-simple.txt": "CN=Alice,O=Example,C=JP",
        "text-multi-valued.txt": "CN=a+OU=b,O=Example",
        "text-escapes.txt": "CN=\\#foo\\, bar\\+\\;\\00\\ ",
        "text-org-id.txt": "2.5.4.97=NTRJP-1234567890123,O=Seal Co.,C=JP",
        "text-hex-value.txt": "CN=#0c03616263",
        "text-hex-bmp.txt": "CN=#1e0400410042",
        "text-email-dc.txt": "E=a@example.com,DC=example,DC=com",
        "text-utf8.txt": "CN=\u5c71\u7530\u592a\u90ce,O=\u682a\u5f0f\u4f1a\u793e",
        "text-oid-prefix.txt": "OID.2.5.4.3=x,serialNumber=42",
        "text-empty.txt": "",
        "bad-text-unescaped.txt": "CN=a;b",
        "bad-text-no-equals.txt": "CN",
        # Regressions: non-ASCII values of IA5String attributes.
        "text-email-bmp.txt": "E=#1e0402630042",
        "text-dc-utf8-hex.txt": "DC=#0c02c3a9",
    }
    for name, data in texts.items():
        write("name", name, data)
    for f in ("names.der", "ec-leaf.der", "rsa-leaf.der", "name-nul.der"):
        p = os.path.join(X509, f)
        if not os.path.exists(p):
            continue
        flds = cert_fields(open(p, "rb").read())
        base = f[:-4]
        write("name", "der-%s-subject.der" % base, flds["subject"])
        write("name", "der-%s-issuer.der" % base, flds["issuer"])
    write("name", "der-empty.der", b"\x30\x00")
    # Regression: emailAddress as T61String with a byte >= 0x80.
    write("name", "der-email-t61.der", b"\x30\x13\x31\x11\x30\x0f\x06\x09\x2a\x86\x48"
          b"\x86\xf7\x0d\x01\x09\x01\x14\x02\x61\xbf")


def key_seeds():
    for f in ("ec-leaf.der", "rsa-leaf.der", "rsa-pss-leaf.der", "ed25519-leaf.der",
              "bad-explicit-curve.der", "bad-rsa-16400.der"):
        p = os.path.join(X509, f)
        if os.path.exists(p):
            write("pubkey", "spki-" + f, cert_fields(open(p, "rb").read())["spki"])
    spki = cert_fields(open(os.path.join(X509, "ec-root.der"), "rb").read())["spki"]
    b64 = base64.b64encode(spki).decode()
    write("pubkey", "spki-ec-root.pem", "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n"
          % "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)))
    for f in sorted(os.listdir(X509)):
        if not f.endswith(".key"):
            continue
        p = os.path.join(X509, f)
        write("key", f[:-4] + ".pem", open(p, "rb").read())
        for label, der in pem_blocks(p):
            if label == "PRIVATE KEY":
                write("key", f[:-4] + ".p8.der", der)


def x509_seeds():
    for f in sorted(os.listdir(X509)):
        p = os.path.join(X509, f)
        if f.endswith(".der") and os.path.getsize(p) <= 8192:
            write("x509", f, open(p, "rb").read())
    write("x509", "ec-leaf.pem", open(os.path.join(X509, "ec-leaf.pem"), "rb").read())


def chain(selector, *names):
    out = bytes([selector])
    for n in names:
        der = pem_cert(os.path.join(PATH, n + ".pem"))
        out += struct.pack(">H", len(der)) + der
    return out


def path_seeds():
    chains = {
        "good.bin": (0, "leaf", "ica", "root"),
        "good-server.bin": (1, "leaf", "ica", "root"),
        "good-two-levels.bin": (0, "leaf-ica2", "ica2", "ica", "root"),
        "cross-root.bin": (0, "leaf", "ica", "cross-root", "root2"),
        "rollover.bin": (0, "leaf-rollover", "ica-rollover", "ica", "root"),
        "cycle.bin": (0, "leaf-cycle", "cyca", "cycb", "root"),
        "expired-ica.bin": (0, "leaf", "ica-expired", "root"),
        "notyet-leaf.bin": (0, "leaf-notyet", "ica", "root"),
        "pathlen0.bin": (0, "leaf-ica2", "ica2", "ica-pathlen0", "root"),
        "ca-false.bin": (0, "leaf", "ica-cafalse", "root"),
        "no-kcs.bin": (0, "leaf", "ica-nokcs", "root"),
        "nc-dns-permit.bin": (1, "leaf", "ica-nc-dns-permit", "root"),
        "nc-dns-exclude.bin": (1, "leaf", "ica-nc-dns-exclude", "root"),
        "nc-dns-other.bin": (0, "leaf", "ica-nc-dns-other", "root"),
        "nc-email.bin": (2, "leaf-email", "ica-nc-email-permit", "ica-nc-email-exclude", "root"),
        "nc-ip.bin": (0x80, "leaf-ip", "ica-nc-ip-permit", "ica-nc-ip-exclude", "root"),
        "nc-dn.bin": (0, "leaf-otherorg", "ica-nc-dn-permit", "ica-nc-dn-exclude", "root"),
        "policy-required.bin": (0x24, "leaf-policy", "ica-policy-required", "root"),
        "policy-explicit.bin": (0x04, "leaf", "ica", "root"),
        "critical-ext.bin": (0, "leaf-critical", "ica", "root"),
        "bad-signature.bin": (0, "leaf-badsig", "ica", "root"),
        "client-eku.bin": (2, "leaf-client", "ica", "root"),
        "timestamping-eku.bin": (3, "leaf", "ica", "root"),
        "wrong-root-key.bin": (0, "leaf", "ica", "root-otherkey"),
        "self-anchor.bin": (0, "root", "root"),
        "many-intermediates.bin": (0x40, "leaf-ica2", "ica2", "ica-rollover", "ica", "ica-expired",
                                   "ica-notyet", "ica-nokcs", "ica-cafalse", "ica-pathlen0",
                                   "cross-root", "cyca", "cycb", "ica-policy-required",
                                   "root"),
    }
    for name, (sel, *names) in chains.items():
        write("path", name, chain(sel, *names))
    # Unparseable anchor, truncated blob, a single blob.
    good = chain(0, "leaf", "ica")
    write("path", "bad-anchor.bin", good + b"\x00\x03\x30\x01\x00")
    write("path", "truncated.bin", good[:-10])
    write("path", "one-blob.bin", chain(0, "leaf"))


if __name__ == "__main__":
    time_seeds()
    oid_seeds()
    name_seeds()
    key_seeds()
    x509_seeds()
    path_seeds()
