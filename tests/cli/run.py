#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Tests of the tsvc command-line tool (suite 'cli').

usage: run.py TEST-NAME     (the tool is $TSVC, or build/tools/tsvc/tsvc)
       run.py --list

Each test runs the built tsvc binary in a fresh temporary directory and
checks exit statuses (0 success/PASSED, 1 FAILED/INDETERMINATE, 2 usage
error, 3 runtime error), the human output, and the JSON output. Where
openssl is installed, what tsvc makes is cross-checked with it. Exit
status: 0 passed, 77 skipped, 1 failed.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TSVC = os.path.abspath(os.environ.get("TSVC") or os.path.join(
    os.environ.get("TSVC_BUILD_ROOT", "build"), "tools", "tsvc", "tsvc"))
OPENSSL = shutil.which("openssl")
SKIP = 77


class Skip(Exception):
    pass


class Result:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError as e:
            raise AssertionError(f"tsvc {' '.join(self.args)}: not JSON ({e}):\n{self.out}")


def tsvc(*args, expect=0, stdin=None, env=None):
    """Runs tsvc; checks the exit status when expect is not None."""
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    proc = subprocess.run([TSVC, *args], capture_output=True, text=True, input=stdin,
                          env=e, timeout=120)
    r = Result(args, proc)
    if expect is not None and r.rc != expect:
        raise AssertionError(
            f"tsvc {' '.join(args)}: exit status {r.rc}, expected {expect}\n"
            f"--- stdout\n{r.out}\n--- stderr\n{r.err}")
    if "\033[" in r.out:
        raise AssertionError(f"tsvc {' '.join(args)}: colour codes written to a pipe")
    return r


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def contains(r, *texts, where="out"):
    s = r.out if where == "out" else r.err
    for t in texts:
        check(t in s, f"tsvc {' '.join(r.args)}: '{t}' not in its std{where}:\n{s}")


def openssl(*args, expect=0):
    if OPENSSL is None:
        return None
    proc = subprocess.run([OPENSSL, *args], capture_output=True, text=True, timeout=60)
    if expect is not None and proc.returncode != expect:
        raise AssertionError(f"openssl {' '.join(args)}: exit {proc.returncode}\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def pki():
    """A test PKI in ./pki (made once per test)."""
    if not os.path.exists("pki/root.pem"):
        tsvc("pki", "init", "pki")
    return "pki"


def write(path, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


CONTRACT = "SALES CONTRACT No. 2026-0042\nTotal price: JPY 1,200,000\n"
TRUST = ["--trust", "pki/root.pem", "--untrusted", "pki/chain.pem"]
REVOCATION = ["--crl", "pki/ca.crl", "--crl", "pki/root.crl"]

TESTS = {}


def test(fn):
    TESTS[fn.__name__[5:].replace("_", "-")] = fn
    return fn


# ---------------------------------------------------------------------------
# One test per subcommand
# ---------------------------------------------------------------------------

@test
def test_help():
    r = tsvc("--help")
    for cmd in ("keygen", "csr", "pki", "sign", "seal", "verify", "validate", "timestamp",
                "tsa", "inspect", "crl", "ocsp"):
        contains(r, cmd)
    contains(tsvc("--version"), "tsvc ", "libtrustsvc")
    for cmd in (["keygen"], ["csr"], ["pki", "init"], ["sign"], ["seal"], ["verify"],
                ["validate"], ["timestamp"], ["timestamp", "verify"], ["tsa", "serve"],
                ["inspect"], ["crl", "make"], ["ocsp", "respond"]):
        r = tsvc(*cmd, "--help")
        contains(r, "usage: tsvc " + " ".join(cmd), "exit status", "--json")


@test
def test_keygen():
    for alg in ("p256", "p384", "rsa2048", "ed25519"):
        r = tsvc("keygen", "--alg", alg, "--out", f"{alg}.key", "--pub", f"{alg}.pub")
        contains(r, "generated")
        check(os.stat(f"{alg}.key").st_mode & 0o077 == 0, "a key file is readable by others")
        check(b"PRIVATE KEY" in read(f"{alg}.key"), "not a PEM private key")
        if OPENSSL:
            openssl("pkey", "-in", f"{alg}.key", "-noout")
            openssl("pkey", "-pubin", "-in", f"{alg}.pub", "-noout")
    j = tsvc("keygen", "--alg", "p384", "-o", "j.key", "--json").json()
    check(j["type"] == "ECDSA P-384" and j["bits"] == 384 and j["storage"] == "software", j)
    # Never overwrites without --force.
    r = tsvc("keygen", "-o", "p256.key", expect=3)
    contains(r, "exists", where="err")
    tsvc("keygen", "-o", "p256.key", "--force")
    tsvc("keygen", "--alg", "dsa", "-o", "x.key", expect=2)
    tsvc("keygen", expect=2)
    check(not os.path.exists("x.key"), "a key was written despite the usage error")


@test
def test_csr():
    tsvc("keygen", "-o", "k.pem")
    r = tsvc("csr", "--key", "k.pem", "--subject", "CN=Hanako Yamada,O=Example KK,C=JP",
             "--san", "email:hanako@example.jp", "--san", "dns:example.jp",
             "--san", "ip:192.0.2.1", "--key-usage", "digitalSignature,nonRepudiation",
             "--eku", "emailProtection", "-o", "req.pem")
    contains(r, "certificate request", "req.pem")
    check(b"BEGIN CERTIFICATE REQUEST" in read("req.pem"), "not a PEM request")
    r = tsvc("inspect", "req.pem")
    contains(r, "Certificate request", "CN=Hanako Yamada", "email:hanako@example.jp",
             "ip:192.0.2.1", "nonRepudiation", "emailProtection")
    if OPENSSL:
        openssl("req", "-in", "req.pem", "-verify", "-noout")
    # To standard output, DER.
    r = subprocess.run([TSVC, "csr", "--key", "k.pem", "--subject", "CN=x", "--der"],
                       capture_output=True, timeout=60)
    check(r.returncode == 0 and r.stdout[:1] == b"\x30", "DER request on stdout expected")
    tsvc("csr", "--key", "k.pem", expect=2)
    tsvc("csr", "--key", "k.pem", "--subject", "CN=x", "--san", "fax:123", expect=2)
    tsvc("csr", "--key", "missing.pem", "--subject", "CN=x", expect=3)
    tsvc("csr", "--key", "k.pem", "--subject", "CN", expect=3)


@test
def test_pki_init():
    r = tsvc("pki", "init", "pki")
    contains(r, "root", "seal", "NTRJP-7000012050002", "tsa", "ocsp")
    for f in ("root", "ca", "signer", "seal", "tsa", "ocsp", "revoked"):
        check(os.path.exists(f"pki/{f}.pem") and os.path.exists(f"pki/{f}.key"), f)
        check(os.stat(f"pki/{f}.key").st_mode & 0o077 == 0, f"pki/{f}.key is not private")
    for f in ("chain.pem", "ca.crl", "root.crl", "signer.ocsp", "revoked.ocsp"):
        check(os.path.exists(f"pki/{f}"), f)
    # A second init refuses to overwrite.
    tsvc("pki", "init", "pki", expect=3)
    j = tsvc("pki", "init", "pki2", "--alg", "p384", "--org", "Sample GK",
             "--corporate-number", "7000012050002", "--json").json()
    check(len(j["certificates"]) == 7 and j["alg"] == "p384", j)
    r = tsvc("inspect", "pki2/seal.pem")
    contains(r, "organizationIdentifier=NTRJP-7000012050002", "Sample GK", "type=eseal",
             "legal-person", "ECDSA P-384")
    r = tsvc("inspect", "pki/tsa.pem")
    contains(r, "timeStamping (critical)")
    if OPENSSL:
        openssl("verify", "-CAfile", "pki/root.pem", "-untrusted", "pki/chain.pem",
                "pki/signer.pem", "pki/seal.pem", "pki/ocsp.pem")
        openssl("verify", "-purpose", "timestampsign", "-CAfile", "pki/root.pem",
                "-untrusted", "pki/chain.pem", "pki/tsa.pem")
        openssl("crl", "-in", "pki/ca.crl", "-CAfile", "pki/chain.pem", "-noout")
    # Bad corporate number (check digit), bad algorithm, no directory.
    r = tsvc("pki", "init", "pki3", "--corporate-number", "1000012050002", expect=2)
    contains(r, "corporate number", where="err")
    tsvc("pki", "init", "pki3", "--alg", "p999", expect=2)
    tsvc("pki", "init", expect=2)
    tsvc("pki", "frobnicate", "x", expect=2)


@test
def test_sign():
    pki()
    write("contract.txt", CONTRACT)
    r = tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--chain",
             "pki/chain.pem", "contract.txt", "contract.p7s")
    contains(r, "signed", "CAdES B-B", "CN=Hanako Yamada")
    r = tsvc("verify", *TRUST, "contract.p7s")
    contains(r, "PASSED", "CN=Hanako Yamada", "Time-stamp:   none")
    # Detached, SHA-384, commitment, B-T through the in-process TSA.
    r = tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--detached",
             "--chain", "pki/chain.pem", "--hash", "sha384", "--commitment", "approval", "--tsa-local", "pki",
             "contract.txt", "contract.bt.p7s")
    contains(r, "CAdES B-T", "detached")
    r = tsvc("verify", *TRUST, "--content", "contract.txt", "contract.bt.p7s")
    contains(r, "PASSED", "proof of approval", "Time-stamp:   verified",
             "CN=tsvc Test TSA")
    j = tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--json",
             "contract.txt", "c.p7s").json()
    check(j["level"] == "B-B" and j["profile"] == "signature", j)
    if OPENSSL:
        openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", "contract.bt.p7s",
                "-content", "contract.txt", "-CAfile", "pki/root.pem", "-purpose", "any",
                "-out", os.devnull)
        openssl("cms", "-verify", "-inform", "DER", "-in", "contract.p7s", "-CAfile",
                "pki/root.pem", "-purpose", "any", "-out", os.devnull)
        # One byte changed: OpenSSL refuses it too.
        write("altered.txt", CONTRACT.replace("1,200,000", "7,200,000"))
        openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", "contract.bt.p7s",
                "-content", "altered.txt", "-CAfile", "pki/root.pem", "-purpose", "any",
                "-out", os.devnull, expect=4)
    # Long-term levels need a TSA and trust anchors (see test_sign_lt).
    for level in ("B-LT", "B-LTA"):
        r = tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--level",
                 level, "contract.txt", "x.p7s", expect=2)
        contains(r, "needs a time-stamp authority", where="err")
    check(not os.path.exists("x.p7s"), "an output was written for an incomplete level")
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--level", "B-T",
         "contract.txt", "x.p7s", expect=2)
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--level", "B-X",
         "contract.txt", "x.p7s", expect=2)
    tsvc("sign", "--key", "pki/signer.key", "contract.txt", "x.p7s", expect=2)
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "contract.txt",
         expect=2)
    # The key does not fit the certificate.
    tsvc("sign", "--key", "pki/seal.key", "--cert", "pki/signer.pem", "contract.txt",
         "x.p7s", expect=3)
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "missing.txt",
         "x.p7s", expect=3)
    check(not os.path.exists("x.p7s"), "an output was written despite an error")


@test
def test_sign_lt():
    """B-LT and B-LTA: validation data and an archive time-stamp, checked by openssl."""
    pki()
    write("contract.txt", CONTRACT)
    lt = ["--key", "pki/signer.key", "--cert", "pki/signer.pem", "--chain", "pki/chain.pem",
          "--tsa-local", "pki", *TRUST, *REVOCATION]
    r = tsvc("sign", *lt, "--level", "B-LT", "contract.txt", "c.lt.p7s")
    contains(r, "CAdES B-LT")
    j = tsvc("sign", *lt, "--level", "B-LTA", "--json", "contract.txt", "c.lta.p7s").json()
    check(j["level"] == "B-LTA", j)
    j = tsvc("sign", *lt, "--level", "B-LTA", "--detached", "--json", "contract.txt",
             "c.lta.det.p7s").json()
    check(j["level"] == "B-LTA" and j["detached"], j)
    for f in ("c.lt.p7s", "c.lta.p7s"):
        r = tsvc("verify", *TRUST, f)
        contains(r, "PASSED")
    # Long-term validation: the level seen, the archive time-stamp, the renewal date.
    r = tsvc("verify", "--long-term", *TRUST, "c.lta.p7s")
    contains(r, "PASSED", "Level seen:    B-LTA", "Archive time-stamp 1", "v3", "Renew before")
    contains(tsvc("verify", "--long-term", *TRUST, "c.lt.p7s"), "Level seen:    B-LT")
    j = tsvc("verify", "--long-term", "--json", *TRUST, "--content", "contract.txt",
             "c.lta.det.p7s").json()
    check(j["indication"] == "PASSED" and j["long_term_report"]["level"] == "B-LTA", j)
    contains(tsvc("inspect", "c.lta.p7s"), "Level:        B-LTA")
    tsvc("verify", "--long-term", "--trust", "pki/signer.pem", "c.lta.p7s", expect=1)
    check(len(read("c.lta.p7s")) > len(read("c.lt.p7s")) > 0, "B-LTA should be larger")
    # Without the CRLs nothing proves the certificates' status: refused, nothing written.
    r = tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--chain",
             "pki/chain.pem", "--tsa-local", "pki", *TRUST, "--level", "B-LT", "contract.txt",
             "x.p7s", expect=3)
    contains(r, "validation data", where="err")
    check(not os.path.exists("x.p7s"), "an output was written without validation data")
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--tsa-local", "pki",
         "--level", "B-LT", "contract.txt", "x.p7s", expect=2)
    if OPENSSL:
        for f in ("c.lt.p7s", "c.lta.p7s"):
            openssl("cms", "-verify", "-inform", "DER", "-in", f, "-CAfile", "pki/root.pem",
                    "-purpose", "any", "-out", os.devnull)
            p = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", f)
            check("crls:" in p.stdout, f"{f}: no CRLs in the SignedData")
        openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", "c.lta.det.p7s",
                "-content", "contract.txt", "-CAfile", "pki/root.pem", "-purpose", "any",
                "-out", os.devnull)


@test
def test_sign_iot():
    """Ed25519 (the IoT profile): refused by the default algorithm policy."""
    tsvc("pki", "init", "dev", "--alg", "ed25519")
    write("firmware.bin", os.urandom(200000))
    tsvc("sign", "--key", "dev/signer.key", "--cert", "dev/signer.pem", "--detached",
         "firmware.bin", "fw.p7s", expect=3)
    tsvc("sign", "--algorithms", "iot", "--key", "dev/signer.key", "--cert",
         "dev/signer.pem", "--chain", "dev/chain.pem", "--detached", "firmware.bin",
         "fw.p7s")
    r = tsvc("verify", "--trust", "dev/root.pem", "--content", "firmware.bin", "fw.p7s",
             expect=1)
    contains(r, "CRYPTO_CONSTRAINTS_FAILURE")
    contains(tsvc("verify", "--algorithms", "iot", "--trust", "dev/root.pem", "--content",
                  "firmware.bin", "fw.p7s"), "PASSED")
    tsvc("validate", "--algorithms", "iot", "--trust", "dev/root.pem", "--untrusted",
         "dev/chain.pem", "dev/signer.pem")
    tsvc("validate", "--algorithms", "default", "--trust", "dev/root.pem", "--untrusted",
         "dev/chain.pem", "dev/signer.pem", expect=1)
    tsvc("verify", "--algorithms", "weak", "--trust", "dev/root.pem", "fw.p7s", expect=2)
    # (OpenSSL 3.0's cms -verify does not take Ed25519 SignerInfos, RFC 8419:
    # it fails with "invalid digest", so there is no cross-check here.)
    if OPENSSL:
        openssl("verify", "-CAfile", "dev/root.pem", "-untrusted", "dev/chain.pem",
                "dev/signer.pem")


@test
def test_seal():
    pki()
    write("contract.txt", CONTRACT)
    r = tsvc("seal", "--key", "pki/seal.key", "--cert", "pki/seal.pem", "--chain",
             "pki/chain.pem", "--tsa-local", "pki", "contract.txt", "contract.seal.p7s")
    contains(r, "sealed", "CAdES B-T", "Example KK (NTRJP-7000012050002)")
    r = tsvc("verify", "--seal", *TRUST, "contract.seal.p7s")
    contains(r, "Seal report", "PASSED", "Organisation: Example KK (NTRJP-7000012050002)",
             "Time-stamp:   verified")
    j = tsvc("verify", "--seal", *TRUST, "--json", "contract.seal.p7s").json()
    check(j["indication"] == "PASSED", j)
    signer = j["report"]["signers"][0]
    check(signer["organization"]["identifier"] == "NTRJP-7000012050002", signer)
    # A person's certificate is not a seal certificate.
    r = tsvc("seal", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "contract.txt",
             "x.p7s", expect=3)
    check(not os.path.exists("x.p7s"), "an output was written despite an error")
    tsvc("seal", "--cert", "pki/seal.pem", "contract.txt", "x.p7s", expect=2)
    # RSA keys, RSA-PSS signatures.
    tsvc("pki", "init", "rsa", "--alg", "rsa2048")
    r = tsvc("seal", "--pss", "--key", "rsa/seal.key", "--cert", "rsa/seal.pem", "--chain",
             "rsa/chain.pem", "--tsa-local", "rsa", "contract.txt", "rsa.p7s")
    contains(r, "RSA-2048 PSS")
    contains(tsvc("verify", "--seal", "--trust", "rsa/root.pem", "rsa.p7s"), "PASSED")
    if OPENSSL:
        openssl("cms", "-verify", "-inform", "DER", "-in", "rsa.p7s", "-CAfile", "rsa/root.pem",
                "-purpose", "any", "-out", os.devnull)


@test
def test_verify():
    pki()
    write("contract.txt", CONTRACT)
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--detached",
         "--tsa-local", "pki", "contract.txt", "s.p7s")
    r = tsvc("verify", *TRUST, *REVOCATION, "--content", "contract.txt", "s.p7s")
    contains(r, "PASSED", "Chain:", "CN=tsvc Test Root CA", "Revocation:", "good")
    r = tsvc("verify", *TRUST, "--ocsp", "pki/signer.ocsp", "--content", "contract.txt",
             "s.p7s")
    contains(r, "PASSED", "ocsp")
    # One byte changed: FAILED / HASH_FAILURE, exit 1.
    write("altered.txt", CONTRACT.replace("1,200,000", "7,200,000"))
    r = tsvc("verify", *TRUST, "--content", "altered.txt", "s.p7s", expect=1)
    contains(r, "FAILED", "HASH_FAILURE", "message-digest")
    j = tsvc("verify", *TRUST, "--content", "altered.txt", "--json", "s.p7s",
             expect=1).json()
    check(j["indication"] == "FAILED", j)
    # Detached without content: not PASSED.
    tsvc("verify", *TRUST, "s.p7s", expect=1)
    # Another trust anchor: no chain, INDETERMINATE.
    tsvc("pki", "init", "other")
    r = tsvc("verify", "--trust", "other/root.pem", "--content", "contract.txt", "s.p7s",
             expect=1)
    contains(r, "INDETERMINATE")
    # A revoked signer.
    tsvc("sign", "--key", "pki/revoked.key", "--cert", "pki/revoked.pem", "contract.txt",
         "r.p7s")
    r = tsvc("verify", *TRUST, *REVOCATION, "r.p7s", expect=1)
    contains(r, "REVOKED", "keyCompromise")
    tsvc("verify", *TRUST, "--ocsp", "pki/revoked.ocsp", "r.p7s", expect=1)
    # Validation time before the certificates existed.
    r = tsvc("verify", *TRUST, "--at", "2001-01-01", "--content", "contract.txt", "s.p7s",
             expect=1)
    # Usage and runtime errors.
    tsvc("verify", "s.p7s", expect=2)
    tsvc("verify", *TRUST, "--at", "yesterday", "s.p7s", expect=2)
    tsvc("verify", *TRUST, "--revocation", "maybe", "s.p7s", expect=2)
    tsvc("verify", *TRUST, "missing.p7s", expect=3)
    tsvc("verify", "--trust", "contract.txt", "s.p7s", expect=3)
    write("garbage.p7s", b"\x30\x03\x02\x01\x01")
    tsvc("verify", *TRUST, "garbage.p7s", expect=None)


@test
def test_validate():
    pki()
    r = tsvc("validate", *TRUST, *REVOCATION, "pki/signer.pem")
    contains(r, "PASSED", "CN=Hanako Yamada", "CN=tsvc Test Issuing CA", "(anchor")
    r = tsvc("validate", *TRUST, "--ocsp", "pki/signer.ocsp", "--revocation", "hard",
             "pki/signer.pem", expect=None)
    r = tsvc("validate", *TRUST, *REVOCATION, "pki/revoked.pem", expect=1)
    contains(r, "REVOKED", "keyCompromise")
    tsvc("validate", *TRUST, "--eku", "timeStamping", "pki/tsa.pem")
    r = tsvc("validate", *TRUST, "--eku", "timeStamping", "pki/signer.pem", expect=None)
    tsvc("validate", *TRUST, "--eku", "OCSPSigning", "pki/tsa.pem", expect=1)
    tsvc("validate", *TRUST, "--key-usage", "nonRepudiation", "pki/seal.pem")
    tsvc("validate", *TRUST, "--hostname", "www.example.jp", "pki/signer.pem", expect=1)
    tsvc("validate", "--trust", "pki/root.pem", "pki/signer.pem", expect=1)
    tsvc("validate", *TRUST, "--at", "2001-01-01T00:00:00Z", "pki/signer.pem", expect=1)
    r = tsvc("validate", *TRUST, "--all-checks", "pki/signer.pem")
    contains(r, "Checks:", "basic-constraints")
    j = tsvc("validate", *TRUST, "--json", "pki/signer.pem").json()
    check(j["indication"] == "PASSED" and len(j["report"]["chain"]) == 3, j)
    tsvc("validate", "pki/signer.pem", expect=2)
    tsvc("validate", *TRUST, "--eku", "not an oid", "pki/signer.pem", expect=2)
    tsvc("validate", *TRUST, "pki/missing.pem", expect=3)
    tsvc("validate", *TRUST, "pki/ca.crl", expect=3)


@test
def test_timestamp():
    pki()
    write("data.txt", CONTRACT)
    r = tsvc("timestamp", "--tsa-local", "pki", "data.txt", "-o", "data.tsr")
    contains(r, "granted", "genTime", TSA_POLICY)
    j = tsvc("timestamp", "--tsa-local", "pki", "--hash", "sha512", "data.txt", "-o",
             "data512.tsr", "--json").json()
    check(j["status"] == "granted" and j["token"]["hash"] == "sha512", j)
    if OPENSSL:
        openssl("ts", "-verify", "-data", "data.txt", "-in", "data.tsr", "-CAfile",
                "pki/root.pem", "-untrusted", "pki/chain.pem")
    # A policy the TSA does not have: refused, exit 3, nothing written.
    r = tsvc("timestamp", "--tsa-local", "pki", "--policy", "1.2.3.4", "data.txt", "-o",
             "x.tsr", expect=3)
    contains(r, "refused", where="err")
    check(not os.path.exists("x.tsr"), "a refused time-stamp was written")
    tsvc("timestamp", "data.txt", "-o", "x.tsr", expect=2)
    tsvc("timestamp", "--tsa-local", "pki", "--url", "http://x/", "data.txt", "-o", "x.tsr",
         expect=2)
    tsvc("timestamp", "--tsa-local", "pki", "data.txt", expect=2)
    tsvc("timestamp", "--tsa-local", "pki", "--hash", "md5", "data.txt", "-o", "x.tsr",
         expect=2)
    tsvc("timestamp", "--tsa-local", "nowhere", "data.txt", "-o", "x.tsr", expect=3)
    tsvc("timestamp", "--url", "http://127.0.0.1:9/", "data.txt", "-o", "x.tsr", expect=3)


TSA_POLICY = "2.999.3161.1"


@test
def test_timestamp_verify():
    pki()
    write("data.txt", CONTRACT)
    tsvc("timestamp", "--tsa-local", "pki", "data.txt", "-o", "data.tsr")
    r = tsvc("timestamp", "verify", *TRUST, "--data", "data.txt", "data.tsr")
    contains(r, "PASSED", "CN=tsvc Test TSA", "genTime")
    j = tsvc("timestamp", "verify", *TRUST, "--data", "data.txt", "data.tsr",
             "--json").json()
    check(j["indication"] == "PASSED", j)
    import hashlib
    digest = hashlib.sha256(CONTRACT.encode()).hexdigest()
    tsvc("timestamp", "verify", *TRUST, "--digest", digest, "--hash", "sha256", "data.tsr")
    tsvc("timestamp", "verify", *TRUST, "--policy", TSA_POLICY, "--data", "data.txt",
         "data.tsr")
    # Other data, other policy, other anchor: exit 1.
    write("other.txt", CONTRACT + "x")
    r = tsvc("timestamp", "verify", *TRUST, "--data", "other.txt", "data.tsr", expect=1)
    contains(r, "FAILED")
    tsvc("timestamp", "verify", *TRUST, "--policy", "1.2.3.4", "--data", "data.txt",
         "data.tsr", expect=1)
    tsvc("pki", "init", "other")
    tsvc("timestamp", "verify", "--trust", "other/root.pem", "--data", "data.txt",
         "data.tsr", expect=1)
    tsvc("timestamp", "verify", "--data", "data.txt", "data.tsr", expect=2)
    tsvc("timestamp", "verify", *TRUST, "data.tsr", expect=2)
    tsvc("timestamp", "verify", *TRUST, "--digest", "xyz", "data.tsr", expect=2)
    tsvc("timestamp", "verify", *TRUST, "--data", "data.txt", "data.txt", expect=3)


@test
def test_tsa_serve():
    pki()
    write("data.txt", CONTRACT)
    proc = subprocess.Popen([TSVC, "tsa", "serve", "--key", "pki/tsa.key", "--cert",
                             "pki/tsa.pem", "--chain", "pki/chain.pem", "--port", "0",
                             "--port-file", "port.txt"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            if os.path.exists("port.txt") or proc.poll() is not None:
                break
            time.sleep(0.05)
        if proc.poll() is not None:
            err = proc.stderr.read()
            if "built without" in err:
                raise Skip("tsvc was built without libcurl/libmicrohttpd")
            raise AssertionError(f"tsa serve exited {proc.returncode}: {err}")
        port = read("port.txt").decode().strip()
        url = f"http://127.0.0.1:{port}/"
        r = tsvc("timestamp", "--url", url, "data.txt", "-o", "data.tsr")
        contains(r, "granted")
        tsvc("timestamp", "verify", *TRUST, "--data", "data.txt", "data.tsr")
        tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--tsa", url,
             "data.txt", "data.p7s")
        contains(tsvc("verify", *TRUST, "data.p7s"), "Time-stamp:   verified")
        tsvc("timestamp", "--url", url, "--policy", "1.2.3.4", "data.txt", "-o", "x.tsr",
             expect=3)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    check(proc.returncode == 0, f"tsa serve exit {proc.returncode}: {err}")
    check("issuing 2 time-stamp" in out, out)
    tsvc("tsa", "serve", "--key", "pki/tsa.key", "--cert", "pki/tsa.pem", expect=2)
    tsvc("tsa", "serve", "--key", "pki/tsa.key", "--cert", "pki/tsa.pem", "--port", "99999",
         expect=2)
    tsvc("tsa", "serve", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--port",
         "0", expect=3)
    tsvc("tsa", expect=2)


@test
def test_inspect():
    pki()
    write("contract.txt", CONTRACT)
    tsvc("seal", "--key", "pki/seal.key", "--cert", "pki/seal.pem", "--tsa-local", "pki",
         "contract.txt", "s.p7s")
    tsvc("timestamp", "--tsa-local", "pki", "contract.txt", "-o", "c.tsr")
    tsvc("csr", "--key", "pki/signer.key", "--subject", "CN=x", "-o", "req.pem")
    cases = [
        ("pki/seal.pem", ["Certificate", "NTRJP-7000012050002", "SHA-256"], "certificate"),
        ("pki/ca.crl", ["Certificate revocation list", "Revoked:      1"], "crl"),
        ("pki/signer.ocsp", ["OCSP response", "successful"], "ocsp-response"),
        ("c.tsr", ["Time-stamp response", "granted", "genTime"], "timestamp-response"),
        ("s.p7s", ["CMS signature", "B-T", "NTRJP-7000012050002"], "cms-signature"),
        ("req.pem", ["Certificate request"], "certificate-request"),
        ("pki/signer.key", ["Private key", "ECDSA P-256"], "private-key"),
    ]
    for path, texts, kind in cases:
        r = tsvc("inspect", path)
        contains(r, *texts)
        j = tsvc("inspect", "--json", path).json()
        if isinstance(j, list):
            j = j[0]
        check(j["type"] == kind, (path, j))
    # CRL entries and OCSP single responses, per certificate.
    revoked_serial = tsvc("inspect", "--json", "pki/revoked.pem").json()[0]["serial"]
    signer_serial = tsvc("inspect", "--json", "pki/signer.pem").json()[0]["serial"]
    contains(tsvc("inspect", "pki/ca.crl"), f"serial {revoked_serial}  revoked ")
    j = tsvc("inspect", "--json", "pki/ca.crl").json()
    check([e["serial"] for e in j["revoked"]] == [revoked_serial], j)
    check(j["revoked"][0]["revocation_time"].endswith("Z"), j)
    contains(tsvc("inspect", "pki/signer.ocsp"), f"serial {signer_serial}  good")
    j = tsvc("inspect", "--json", "pki/signer.ocsp").json()
    check([(e["serial"], e["status"]) for e in j["single_responses"]] ==
          [(signer_serial, "good")], j)
    check("this_update" in j["single_responses"][0], j)
    contains(tsvc("inspect", "pki/revoked.ocsp"), f"serial {revoked_serial}  revoked at ")
    j = tsvc("inspect", "--json", "pki/revoked.ocsp").json()
    check([(e["serial"], e["status"]) for e in j["single_responses"]] ==
          [(revoked_serial, "revoked")], j)
    check("revocation_time" in j["single_responses"][0], j)
    # A bundle: every certificate.
    write("bundle.pem", read("pki/chain.pem") + read("pki/root.pem"))
    r = tsvc("inspect", "bundle.pem")
    contains(r, "Certificate 1 of 2", "Certificate 2 of 2")
    check(len(tsvc("inspect", "--json", "bundle.pem").json()) == 2, "two certificates")
    # A private key is never printed.
    r = tsvc("inspect", "--json", "pki/signer.key")
    check("BEGIN" not in r.out, "the private key was printed")
    write("junk.bin", b"\x00\x01\x02 not anything")
    tsvc("inspect", "junk.bin", expect=3)
    tsvc("inspect", "missing.bin", expect=3)
    tsvc("inspect", expect=2)
    tsvc("inspect", "a", "b", expect=2)


@test
def test_crl_make():
    pki()
    r = tsvc("crl", "make", "--ca-cert", "pki/ca.pem", "--ca-key", "pki/ca.key",
             "--revoke-cert", "pki/signer.pem:superseded", "--revoke", "0abc:keyCompromise",
             "--number", "7", "--days", "3", "-o", "new.crl")
    contains(r, "CRL #7", "2 revoked")
    r = tsvc("validate", *TRUST, "--crl", "new.crl", "--crl", "pki/root.crl",
             "pki/signer.pem", expect=1)
    contains(r, "REVOKED", "superseded")
    tsvc("validate", *TRUST, "--crl", "new.crl", "--crl", "pki/root.crl", "pki/seal.pem")
    j = tsvc("crl", "make", "--ca-cert", "pki/ca.pem", "--ca-key", "pki/ca.key", "--der",
             "-o", "empty.crl", "--json").json()
    check(j["entries"] == 0 and j["number"] == 1, j)
    check(read("empty.crl")[:1] == b"\x30", "DER CRL expected")
    if OPENSSL:
        openssl("crl", "-in", "new.crl", "-CAfile", "pki/chain.pem", "-noout")
    tsvc("crl", "make", "--ca-cert", "pki/ca.pem", "-o", "x.crl", expect=2)
    tsvc("crl", "make", "--ca-cert", "pki/ca.pem", "--ca-key", "pki/ca.key", "--revoke",
         "zz", "-o", "x.crl", expect=2)
    tsvc("crl", "make", "--ca-cert", "pki/ca.pem", "--ca-key", "pki/ca.key", "--days", "0",
         "-o", "x.crl", expect=2)
    tsvc("crl", "make", "--ca-cert", "pki/ca.pem", "--ca-key", "missing.key", "-o", "x.crl",
         expect=3)
    tsvc("crl", expect=2)
    check(not os.path.exists("x.crl"), "a CRL was written despite an error")


@test
def test_ocsp_respond():
    pki()
    r = tsvc("ocsp", "respond", "--issuer", "pki/ca.pem", "--signer-cert", "pki/ocsp.pem",
             "--signer-key", "pki/ocsp.key", "--cert", "pki/seal.pem", "-o", "seal.ocsp")
    contains(r, "good")
    tsvc("validate", *TRUST, "--ocsp", "seal.ocsp", "--revocation", "hard", "--eku", "any",
         "pki/seal.pem", expect=None)
    contains(tsvc("validate", *TRUST, "--ocsp", "seal.ocsp", "pki/seal.pem"), "PASSED")
    # Status from a CRL, signed by the CA itself.
    j = tsvc("ocsp", "respond", "--issuer", "pki/ca.pem", "--signer-key", "pki/ca.key",
             "--cert", "pki/revoked.pem", "--crl", "pki/ca.crl", "-o", "rev.ocsp",
             "--json").json()
    check(j["status"] == "revoked" and j["reason"] == "keyCompromise", j)
    contains(tsvc("validate", *TRUST, "--ocsp", "rev.ocsp", "pki/revoked.pem", expect=1),
             "REVOKED")
    tsvc("ocsp", "respond", "--issuer", "pki/ca.pem", "--signer-key", "pki/ca.key",
         "--serial", "1004", "--status", "unknown", "--nonce", "0102030405060708", "-o",
         "u.ocsp")
    if OPENSSL:
        openssl("ocsp", "-respin", "seal.ocsp", "-issuer", "pki/ca.pem", "-cert",
                "pki/seal.pem", "-CAfile", "pki/root.pem", "-VAfile", "pki/ocsp.pem")
    tsvc("ocsp", "respond", "--issuer", "pki/ca.pem", "--signer-key", "pki/ca.key", "-o",
         "x.ocsp", expect=2)
    tsvc("ocsp", "respond", "--issuer", "pki/ca.pem", "--signer-key", "pki/ca.key",
         "--serial", "10", "--status", "maybe", "-o", "x.ocsp", expect=2)
    tsvc("ocsp", "respond", "--issuer", "pki/ca.pem", "--signer-key", "pki/ca.key",
         "--serial", "10", "--crl", "pki/root.crl", "-o", "x.ocsp", expect=3)
    tsvc("ocsp", expect=2)
    check(not os.path.exists("x.ocsp"), "a response was written despite an error")


@test
def test_pki_issue():
    pki()
    tsvc("keygen", "--alg", "p384", "-o", "tsa2.key")
    tsvc("csr", "--key", "tsa2.key", "--subject", "CN=Second TSA,O=Example KK,C=JP",
         "--san", "dns:tsa2.example.jp", "-o", "tsa2.csr")
    r = tsvc("pki", "issue", "--ca", "pki", "--csr", "tsa2.csr", "--profile", "tsa",
             "-o", "tsa2.pem")
    contains(r, "issued a tsa certificate")
    contains(tsvc("inspect", "tsa2.pem"), "CN=Second TSA", "timeStamping (critical)",
             "dns:tsa2.example.jp", "ECDSA P-384")
    tsvc("validate", *TRUST, "--eku", "timeStamping", "tsa2.pem")
    # The new TSA works: a time-stamp through tsa serve would use it; check the
    # certificate with openssl's timestamp-signing purpose.
    if OPENSSL:
        openssl("verify", "-purpose", "timestampsign", "-CAfile", "pki/root.pem",
                "-untrusted", "pki/chain.pem", "tsa2.pem")
    tsvc("pki", "issue", "--ca-cert", "pki/ca.pem", "--ca-key", "pki/ca.key", "--csr",
         "tsa2.csr", "--profile", "tls-server", "--days", "30", "-o", "tls.pem")
    tsvc("pki", "issue", "--ca", "pki", "--csr", "tsa2.csr", "--profile", "king", "-o",
         "x.pem", expect=2)
    tsvc("pki", "issue", "--ca", "pki", "-o", "x.pem", expect=2)
    tsvc("pki", "issue", "--ca", "pki", "--csr", "pki/root.pem", "-o", "x.pem", expect=3)
    check(not os.path.exists("x.pem"), "a certificate was written despite an error")


@test
def test_hsm():
    """Keys in a PKCS#11 token (SoftHSM2): keygen, csr, issue, seal, time-stamp."""
    module = None
    for m in ("/usr/lib/softhsm/libsofthsm2.so",
              "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
              "/usr/lib64/pkcs11/libsofthsm2.so"):
        if os.path.exists(m):
            module = m
            break
    if module is None or shutil.which("softhsm2-util") is None:
        raise Skip("SoftHSM2 is not installed")
    os.mkdir("tokens")
    write("softhsm2.conf", f"directories.tokendir = {os.getcwd()}/tokens\n"
                           "objectstore.backend = file\nlog.level = ERROR\n")
    env = {"SOFTHSM2_CONF": os.path.abspath("softhsm2.conf")}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "cli", "--pin",
                    "1234", "--so-pin", "5678"], check=True, capture_output=True,
                   env={**os.environ, **env}, timeout=60)
    env_mod = {**env, "TSVC_PKCS11_MODULE": module, "TSVC_PKCS11_PIN": "1234"}
    uri = "pkcs11:token=cli;object=seal"
    pki()
    j = tsvc("keygen", "--alg", "p256", "--out", uri, "--json", env=env_mod).json()
    check(j["storage"] == "hsm", j)
    tsvc("csr", "--key", uri, "--subject",
         "CN=Token Seal,organizationIdentifier=NTRJP-7000012050002,O=Example KK,C=JP",
         "-o", "seal.csr", env=env_mod)
    tsvc("pki", "issue", "--ca", "pki", "--csr", "seal.csr", "--profile", "seal", "-o",
         "seal.pem")
    write("d.txt", CONTRACT)
    r = tsvc("seal", "--key", uri, "--cert", "seal.pem", "--chain", "pki/chain.pem",
             "--tsa-local", "pki", "d.txt", "d.p7s", env=env_mod)
    contains(r, "in an HSM token")
    contains(tsvc("verify", "--seal", *TRUST, "d.p7s"), "PASSED", "Token Seal")
    # The module path may also be in the URI; a wrong PIN is a runtime error.
    tsvc("sign", "--key", f"{uri}?module-path={module}", "--cert", "seal.pem", "d.txt",
         "e.p7s", env={**env, "TSVC_PKCS11_PIN": "1234"})
    tsvc("sign", "--key", uri, "--cert", "seal.pem", "d.txt", "x.p7s",
         env={**env_mod, "TSVC_PKCS11_PIN": "0000"}, expect=3)
    tsvc("sign", "--key", "pkcs11:token=cli;object=nothing", "--cert", "seal.pem", "d.txt",
         "x.p7s", env=env_mod, expect=3)
    check(not os.path.exists("x.p7s"), "a signature was written despite an error")


@test
def test_man():
    """docs/tsvc.1 documents every command and every option --help lists."""
    import re
    root = os.environ.get("TSVC_SOURCE_ROOT")
    if not root:
        raise Skip("TSVC_SOURCE_ROOT is not set")
    man = open(os.path.join(root, "docs", "tsvc.1"), encoding="utf-8").read()
    man_plain = man.replace("\\-", "-").replace("\\fP", "").replace("\\fI", "")
    missing = []
    for cmd in (["keygen"], ["csr"], ["pki", "init"], ["pki", "issue"], ["sign"], ["seal"],
                ["verify"], ["validate"], ["timestamp"], ["timestamp", "verify"],
                ["tsa", "serve"], ["inspect"], ["crl", "make"], ["ocsp", "respond"]):
        if ".B " + " ".join(cmd) not in man_plain:
            missing.append(" ".join(cmd))
        for opt in re.findall(r"--([a-z0-9-]+)", tsvc(*cmd, "--help").out):
            if opt in ("help", "json"):
                continue
            if "--" + opt not in man_plain:
                missing.append(f"{' '.join(cmd)} --{opt}")
    check(not missing, "not in docs/tsvc.1: " + ", ".join(sorted(set(missing))))


# ---------------------------------------------------------------------------
# One test per exit status
# ---------------------------------------------------------------------------

@test
def test_exit_0():
    pki()
    write("d.txt", "data")
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "d.txt", "d.p7s",
         expect=0)
    tsvc("verify", *TRUST, "d.p7s", expect=0)
    tsvc("validate", *TRUST, "pki/seal.pem", expect=0)
    tsvc("inspect", "d.p7s", expect=0)
    tsvc("--help", expect=0)


@test
def test_exit_1():
    """Validation FAILED or INDETERMINATE."""
    pki()
    write("d.txt", "data")
    tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--detached",
         "d.txt", "d.p7s")
    write("e.txt", "dat4")
    r = tsvc("verify", *TRUST, "--content", "e.txt", "d.p7s", expect=1)   # FAILED
    contains(r, "FAILED")
    r = tsvc("validate", "--trust", "pki/signer.pem", "pki/seal.pem", expect=1)  # INDETERMINATE
    contains(r, "INDETERMINATE")
    tsvc("validate", *TRUST, *REVOCATION, "pki/revoked.pem", expect=1)


@test
def test_exit_2():
    """Usage errors."""
    r = tsvc(expect=2)
    contains(r, "usage", where="err")
    tsvc("frobnicate", expect=2)
    r = tsvc("sign", "--no-such-option", expect=2)
    contains(r, "unknown option --no-such-option", where="err")
    tsvc("verify", "--trust", expect=2)          # option without its value
    tsvc("keygen", "--force=yes", expect=2)      # flag with a value
    tsvc("keygen", "-o", "a", "-o", "b", expect=2)  # a single-valued option twice
    tsvc("inspect", "a", "b", "c", expect=2)     # too many arguments
    tsvc("validate", "--trust", "x", expect=2)   # missing argument


@test
def test_exit_3():
    """Runtime errors: missing or malformed files, refusals by the library."""
    tsvc("inspect", "/nonexistent/file", expect=3)
    write("bad.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    tsvc("validate", "--trust", "bad.pem", "bad.pem", expect=3)
    write("bad.key", "not a key")
    write("d.txt", "data")
    tsvc("sign", "--key", "bad.key", "--cert", "bad.pem", "d.txt", "d.p7s", expect=3)
    pki()
    r = tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "--level",
             "B-LTA", "--tsa-local", "pki", *TRUST, "d.txt", "d.p7s", expect=3)
    contains(r, "validation data", where="err")
    r = tsvc("keygen", "-o", "pkcs11:token=none;object=k", expect=3,
             env={"TSVC_PKCS11_MODULE": ""})


@test
def test_json():
    """Every command with --json writes one JSON document."""
    pki()
    write("d.txt", "data")
    docs = [
        tsvc("keygen", "-o", "k.pem", "--json"),
        tsvc("csr", "--key", "k.pem", "--subject", "CN=x", "-o", "r.pem", "--json"),
        tsvc("sign", "--key", "pki/signer.key", "--cert", "pki/signer.pem", "d.txt", "d.p7s",
             "--json"),
        tsvc("seal", "--key", "pki/seal.key", "--cert", "pki/seal.pem", "d.txt", "s.p7s",
             "--json"),
        tsvc("verify", *TRUST, "d.p7s", "--json"),
        tsvc("validate", *TRUST, "pki/signer.pem", "--json"),
        tsvc("timestamp", "--tsa-local", "pki", "d.txt", "-o", "d.tsr", "--json"),
        tsvc("timestamp", "verify", *TRUST, "--data", "d.txt", "d.tsr", "--json"),
        tsvc("inspect", "d.tsr", "--json"),
        tsvc("crl", "make", "--ca-cert", "pki/ca.pem", "--ca-key", "pki/ca.key", "-o",
             "c.crl", "--json"),
        tsvc("ocsp", "respond", "--issuer", "pki/ca.pem", "--signer-key", "pki/ca.key",
             "--serial", "10", "-o", "o.ocsp", "--json"),
    ]
    for d in docs:
        d.json()


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(TESTS))
        return 0
    if len(sys.argv) != 2 or sys.argv[1] not in TESTS:
        print(__doc__, file=sys.stderr)
        return 2
    if not os.path.exists(TSVC):
        print(f"tsvc not built: {TSVC}", file=sys.stderr)
        return 1
    name = sys.argv[1]
    here = os.getcwd()
    tmp = tempfile.mkdtemp(prefix=f"tsvc-cli-{name}-")
    try:
        os.chdir(tmp)
        TESTS[name]()
        print(f"cli-{name}: passed")
        return 0
    except Skip as e:
        print(f"cli-{name}: SKIPPED: {e}")
        return SKIP
    except AssertionError as e:
        print(f"cli-{name}: FAILED: {e}")
        return 1
    finally:
        os.chdir(here)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
