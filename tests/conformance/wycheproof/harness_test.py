#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Test of the Wycheproof runner itself (meson test 'wycheproof-harness').

usage: harness_test.py TSVC-WYCHEPROOF BACKENDS

BACKENDS is the comma-separated list of the backends this build has
(sodium, wolfssl, openssl), given by meson. The script writes synthetic
vector files into temporary directories, runs the runner on them and
checks its lines, its counts and its exit status against what the files
were built to contain:

  good/   - ecdsa_secp256r1_sha256_p1363_test.json: EcdsaP1363Verify groups
            made from the DER vectors (each valid DER signature turned into
            raw r||s), plus malformed raw signatures marked invalid
            (63, 65 and 66 bytes, empty, the DER form itself, a bit
            flipped, r = s = 0, r and s swapped); run as DER these would
            fail; each group carries the publicKeyJwk of its key;
          - ed25519_test.json: two Ed25519 groups, as published, so that
            something runs in every build;
          - files the runner must skip, with their reason, each holding a
            vector with a wrong verdict that would fail if it ran: an AEAD
            schema, curve secp256k1, hash SHA3-256, Ed448, a group type that
            is not the schema's;
          - rsa_signature_8192_sha256_test.json: an 8192-bit RSA key (above
            the wolfSSL backend's 4096-bit limit, within OpenSSL's) with an
            invalid signature: OpenSSL runs it, wolfSSL skips it.
  wrong/  - deliberately wrong verdicts (a valid ECDSA and a valid Ed25519
            signature marked invalid), a P1363 group whose publicKeyJwk is
            not its key, and a malformed RSA-PSS group (no sLen): each must
            be counted as failed, and the exit status 1;
  skip-only/ - only a file to skip: exit status 77, never a pass.

What each backend supports is this test's own table (BACKEND_CAN below),
not something asked from the library. The DER and Ed25519 vectors are read
from $TSVC_VECTORS/wycheproof (or ../shared/vectors/wycheproof beside the
source tree); without them the test is SKIPPED (exit 77).
"""
import base64
import copy
import json
import os
import random
import re
import subprocess
import sys
import tempfile

SKIP = 77

# What each backend verifies, as documented by the backends
# (src/backends/*/): libsodium only Ed25519; wolfSSL RSA up to 4096 bits
# (WOLF_RSA_MAX_BYTES); OpenSSL RSA up to 16384 bits.
BACKEND_CAN = {
    "sodium": {"ecdsa": False, "ed25519": True, "rsa_max_bits": 0},
    "wolfssl": {"ecdsa": True, "ed25519": True, "rsa_max_bits": 4096},
    "openssl": {"ecdsa": True, "ed25519": True, "rsa_max_bits": 16384},
}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def vectors_dir():
    v = os.environ.get("TSVC_VECTORS")
    if v:
        return os.path.join(v, "wycheproof")
    src = os.environ.get("TSVC_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    return os.path.join(src, "..", "shared", "vectors", "wycheproof")


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_int(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
    return b"\x02" + der_len(len(b)) + b


def der_seq(*parts):
    body = b"".join(parts)
    return b"\x30" + der_len(len(body)) + body


def parse_ecdsa_der(sig):
    """(r, s) from a DER Ecdsa-Sig-Value the vectors call valid."""
    assert sig[0] == 0x30
    pos = 2 if sig[1] < 0x80 else 2 + (sig[1] & 0x7F)
    out = []
    for _ in range(2):
        assert sig[pos] == 0x02
        n = sig[pos + 1]
        out.append(int.from_bytes(sig[pos + 2:pos + 2 + n], "big"))
        pos += 2 + n
    assert pos == len(sig)
    return out


def test(tc_id, msg, sig, result, comment=""):
    return {"tcId": tc_id, "comment": comment, "flags": [], "msg": msg, "sig": sig,
            "result": result}


def write(dirname, name, obj):
    with open(os.path.join(dirname, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)


def sig_file(algorithm, schema, groups):
    n = sum(len(g["tests"]) for g in groups)
    return {"algorithm": algorithm, "schema": schema, "numberOfTests": n, "testGroups": groups}


def p1363_groups(der_file, count):
    """EcdsaP1363Verify groups from the first DER groups that have a valid vector."""
    groups, made = [], 0
    tc = 1
    for g in der_file["testGroups"]:
        valid = [t for t in g["tests"] if t["result"] == "valid"]
        if not valid:
            continue
        ng = copy.deepcopy(g)
        ng["type"] = "EcdsaP1363Verify"
        ng["publicKeyJwk"] = ec_jwk(g)  # as in the *_webcrypto files; must be the same key
        ng["tests"] = []
        for t in valid:
            r, s = parse_ecdsa_der(bytes.fromhex(t["sig"]))
            raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
            ng["tests"].append(test(tc, t["msg"], raw.hex(), "valid", "from DER tcId %d" % t["tcId"]))
            tc += 1
        t = valid[0]
        r, s = parse_ecdsa_der(bytes.fromhex(t["sig"]))
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        flipped = bytearray(raw)
        flipped[-1] ^= 1
        bad = [
            (raw[:-1], "63 bytes"),
            (raw + b"\x00", "65 bytes, trailing zero"),
            (b"\x00" + raw, "65 bytes, leading zero"),
            (r.to_bytes(33, "big") + s.to_bytes(33, "big"), "halves of 33 bytes"),
            (b"", "empty"),
            (bytes.fromhex(t["sig"]), "the DER form"),
            (bytes(flipped), "a bit flipped"),
            (bytes(64), "r = s = 0"),
            (s.to_bytes(32, "big") + r.to_bytes(32, "big"), "r and s swapped"),
        ]
        for sig, why in bad:
            ng["tests"].append(test(tc, t["msg"], sig.hex(), "invalid", why))
            tc += 1
        groups.append(ng)
        made += 1
        if made == count:
            break
    return groups


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def ec_jwk(g):
    """The JWK of a P-256 group's key, from its uncompressed point."""
    point = bytes.fromhex(g["publicKey"]["uncompressed"])
    return {"kty": "EC", "crv": "P-256", "x": b64url(point[1:33]), "y": b64url(point[33:65]),
            "kid": "none"}


def wrong_verdict_group(g):
    """A copy of a group holding one valid vector, marked invalid."""
    ng = copy.deepcopy(g)
    t = next(t for t in ng["tests"] if t["result"] == "valid")
    t["result"] = "invalid"
    ng["tests"] = [t]
    return ng


def rsa_8192_group():
    rnd = random.Random(8192)
    n = rnd.getrandbits(8192) | (1 << 8191) | 1
    rsa_key = der_seq(der_int(n), der_int(65537))
    alg = der_seq(b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", b"\x05\x00")
    spki = der_seq(alg, b"\x03" + der_len(len(rsa_key) + 1) + b"\x00" + rsa_key)
    sig = (rnd.getrandbits(8190) | 1).to_bytes(1024, "big")
    return {"type": "RsassaPkcs1Verify", "keySize": 8192, "sha": "SHA-256",
            "publicKeyDer": spki.hex(),
            "tests": [test(1, "313233343030", sig.hex(), "invalid", "random signature")]}


def run(exe, d):
    p = subprocess.run([exe, d], capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def totals(out):
    m = re.search(r"^wycheproof: (\d+) passed, (\d+) failed, (\d+) skipped \(groups\)$", out, re.M)
    return tuple(int(x) for x in m.groups()) if m else None


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    exe, backends = sys.argv[1], [b for b in sys.argv[2].split(",") if b]
    unknown = [b for b in backends if b not in BACKEND_CAN]
    if unknown:
        print("wycheproof-harness: no table entry for backend(s) %s" % ", ".join(unknown))
        return 1
    src = vectors_dir()
    der_path = os.path.join(src, "ecdsa_secp256r1_sha256_test.json")
    ed_path = os.path.join(src, "ed25519_test.json")
    if not (os.path.isfile(der_path) and os.path.isfile(ed_path)):
        print("wycheproof-harness: SKIPPED (vectors not found at %s)" % src)
        return SKIP
    with open(der_path, encoding="utf-8") as f:
        der_file = json.load(f)
    with open(ed_path, encoding="utf-8") as f:
        ed_file = json.load(f)

    ec = [b for b in backends if BACKEND_CAN[b]["ecdsa"]]
    ed = [b for b in backends if BACKEND_CAN[b]["ed25519"]]
    rsa = [b for b in backends if BACKEND_CAN[b]["rsa_max_bits"] > 0]
    rsa_8192 = [b for b in rsa if BACKEND_CAN[b]["rsa_max_bits"] >= 8192]
    rsa_too_small = [b for b in rsa if b not in rsa_8192]

    with tempfile.TemporaryDirectory(prefix="tsvc-wycheproof-") as tmp:
        good = os.path.join(tmp, "good")
        wrong = os.path.join(tmp, "wrong")
        os.mkdir(good)
        os.mkdir(wrong)

        # --- good/: what runs, and what must be skipped ---
        p1363 = p1363_groups(der_file, 3)
        check(len(p1363) == 3, "three DER groups with valid vectors to convert")
        p1363_vectors = sum(len(g["tests"]) for g in p1363)
        write(good, "ecdsa_secp256r1_sha256_p1363_test.json",
              sig_file("ECDSA", "ecdsa_p1363_verify_schema_v1.json", p1363))
        ed_groups = ed_file["testGroups"][:2]
        ed_vectors = sum(len(g["tests"]) for g in ed_groups)
        write(good, "ed25519_test.json", sig_file("EDDSA", ed_file["schema"], ed_groups))

        der_g = wrong_verdict_group(der_file["testGroups"][0])
        ed_g = wrong_verdict_group(ed_file["testGroups"][0])
        write(good, "aes_gcm_test.json", {
            "algorithm": "AES-GCM", "schema": "aead_test_schema_v1.json", "numberOfTests": 2,
            "testGroups": [{"type": "AeadTest", "tests": [test(1, "", "", "valid")]},
                           {"type": "AeadTest", "tests": [test(2, "", "", "valid")]}]})
        k1 = copy.deepcopy(der_g)
        k1["publicKey"]["curve"] = "secp256k1"
        write(good, "ecdsa_secp256k1_sha256_test.json",
              sig_file("ECDSA", "ecdsa_verify_schema_v1.json", [k1]))
        sha3 = copy.deepcopy(der_g)
        sha3["sha"] = "SHA3-256"
        write(good, "ecdsa_secp256r1_sha3_256_test.json",
              sig_file("ECDSA", "ecdsa_verify_schema_v1.json", [sha3]))
        e448 = copy.deepcopy(ed_g)
        e448["publicKey"]["curve"] = "edwards448"
        write(good, "ed448_test.json", sig_file("EDDSA", "eddsa_verify_schema_v1.json", [e448]))
        mixed = copy.deepcopy(der_g)
        mixed["type"] = "EcdsaP1363Verify"
        write(good, "ecdsa_mixed_types_test.json",
              sig_file("ECDSA", "ecdsa_verify_schema_v1.json", [mixed]))
        write(good, "rsa_signature_8192_sha256_test.json",
              sig_file("RSASSA-PKCS1-v1_5", "rsassa_pkcs1_verify_schema_v1.json",
                       [rsa_8192_group()]))
        # Not a *_test.json: never read.
        write(good, "ecdsa_secp256r1_sha256_notes.json",
              sig_file("ECDSA", "ecdsa_verify_schema_v1.json", [der_g]))

        rc, out, err = run(exe, good)
        sys.stdout.write(out)
        sys.stderr.write(err)

        def has(line):
            check(re.search("^" + re.escape(line) + "$", out, re.M) is not None,
                  "good/: line %r" % line)

        passed = skipped = 0
        for b in ec:
            has("wycheproof ecdsa_secp256r1_sha256_p1363_test.json %s: %d passed, 0 failed "
                "(3 groups)" % (b, p1363_vectors))
            passed += 3
        if not ec:
            has("wycheproof ecdsa_secp256r1_sha256_p1363_test.json: SKIPPED 3 groups "
                "(no backend of this build verifies ECDSA P-256 with SHA-256 (P1363))")
            skipped += 3
        for b in ed:
            has("wycheproof ed25519_test.json %s: %d passed, 0 failed (2 groups)" % (b, ed_vectors))
            passed += 2
        has("wycheproof aes_gcm_test.json: SKIPPED 2 groups (schema \"aead_test_schema_v1.json\" "
            "is not a signature verification libtrustsvc runs)")
        has("wycheproof ecdsa_secp256k1_sha256_test.json: SKIPPED 1 group "
            "(curve secp256k1 not supported by libtrustsvc)")
        has("wycheproof ecdsa_secp256r1_sha3_256_test.json: SKIPPED 1 group "
            "(hash SHA3-256 not supported by libtrustsvc)")
        has("wycheproof ed448_test.json: SKIPPED 1 group "
            "(EdDSA on edwards448 not supported by libtrustsvc, only Ed25519)")
        has("wycheproof ecdsa_mixed_types_test.json: SKIPPED 1 group (group type "
            "\"EcdsaP1363Verify\" is not ecdsa_verify_schema_v1.json's EcdsaVerify)")
        skipped += 2 + 1 + 1 + 1 + 1
        for b in rsa_8192:
            has("wycheproof rsa_signature_8192_sha256_test.json %s: 1 passed, 0 failed (1 group)" % b)
            passed += 1
        for b in rsa_too_small:
            has("wycheproof rsa_signature_8192_sha256_test.json %s: SKIPPED 1 group "
                "(8192-bit RSA key beyond the backend's limit)" % b)
            skipped += 1
        if not rsa:
            has("wycheproof rsa_signature_8192_sha256_test.json: SKIPPED 1 group "
                "(no backend of this build verifies RSA PKCS#1 v1.5 with SHA-256)")
            skipped += 1
        check("notes.json" not in out, "good/: a file not named *_test.json was read")
        check(" 0 failed" in out and not re.search(r" [1-9]\d* failed", out),
              "good/: no vector failed")
        check(totals(out) == (passed, 0, skipped),
              "good/: totals %r, expected %r" % (totals(out), (passed, 0, skipped)))
        check(rc == 0, "good/: exit status %d, expected 0" % rc)

        # --- wrong/: deliberately wrong verdicts and a malformed group ---
        write(wrong, "ecdsa_secp256r1_sha256_test.json",
              sig_file("ECDSA", "ecdsa_verify_schema_v1.json", [der_g]))
        write(wrong, "ed25519_test.json", sig_file("EDDSA", ed_file["schema"], [ed_g]))
        pss = {"type": "RsassaPssVerify", "sha": "SHA-256", "mgf": "MGF1", "mgfSha": "SHA-256",
               "publicKeyDer": rsa_8192_group()["publicKeyDer"], "tests": []}
        write(wrong, "rsa_pss_2048_sha256_mgf1_32_test.json",
              sig_file("RSASSA-PSS", "rsassa_pss_verify_schema_v1.json", [pss]))
        jwk_g = copy.deepcopy(p1363[0])
        jwk_g["tests"] = [t for t in jwk_g["tests"] if t["result"] == "valid"][:1]
        y = bytearray(base64.urlsafe_b64decode(jwk_g["publicKeyJwk"]["y"] + "="))
        y[-1] ^= 1
        jwk_g["publicKeyJwk"]["y"] = b64url(bytes(y))
        write(wrong, "ecdsa_secp256r1_sha256_p1363_test.json",
              sig_file("ECDSA", "ecdsa_p1363_verify_schema_v1.json", [jwk_g]))
        rc, out, err = run(exe, wrong)
        sys.stdout.write(out)
        sys.stderr.write(err)
        failed = 2 * len(ec) + len(ed) + 1
        for b in ec:
            check(re.search(r"^wycheproof ecdsa_secp256r1_sha256_test.json %s: 0 passed, 1 failed "
                            r"\(1 group\)$" % b, out, re.M) is not None,
                  "wrong/: the ECDSA wrong verdict counted as failed on %s" % b)
            check(re.search(r"ecdsa_secp256r1_sha256_test.json %s: group 0 tcId %d \(invalid\) "
                            r"failed: verified" % (b, der_g["tests"][0]["tcId"]), err) is not None,
                  "wrong/: the ECDSA failure named on stderr for %s" % b)
            check(re.search(r"^wycheproof ecdsa_secp256r1_sha256_p1363_test.json %s: 0 passed, "
                            r"1 failed \(1 group\)$" % b, out, re.M) is not None,
                  "wrong/: a publicKeyJwk that is not the key fails its valid vector on %s" % b)
            check("failed: publicKeyJwk is not the publicKeyDer key" in err,
                  "wrong/: the JWK mismatch named on stderr")
        for b in ed:
            check(re.search(r"^wycheproof ed25519_test.json %s: 0 passed, 1 failed \(1 group\)$" % b,
                            out, re.M) is not None,
                  "wrong/: the Ed25519 wrong verdict counted as failed on %s" % b)
        check(re.search(r"^wycheproof rsa_pss_2048_sha256_mgf1_32_test.json group 0: FAILED "
                        r"\(malformed group: no valid \"sLen\"\)$", out, re.M) is not None,
              "wrong/: the group without sLen counted as failed")
        skipped = 0 if ec else 2  # the ECDSA groups, when no backend verifies ECDSA
        check(totals(out) == (0, failed, skipped),
              "wrong/: totals %r, expected %r" % (totals(out), (0, failed, skipped)))
        check(rc == 1, "wrong/: exit status %d, expected 1" % rc)

        # --- only files to skip: skipped (77), never passed; totals last ---
        only = os.path.join(tmp, "skip-only")
        os.mkdir(only)
        os.rename(os.path.join(good, "aes_gcm_test.json"), os.path.join(only, "aes_gcm_test.json"))
        rc, out, _ = run(exe, only)
        lines = out.strip().splitlines()
        check(rc == SKIP, "skip-only/: exit status %d, expected 77" % rc)
        check(len(lines) >= 2 and lines[-2] == "wycheproof: SKIPPED (no group could run in this build)"
              and lines[-1] == "wycheproof: 0 passed, 0 failed, 2 skipped (groups)",
              "skip-only/: the SKIPPED line, then the totals as the last line")

        # --- an empty directory: skipped, never passed ---
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        rc, out, _ = run(exe, empty)
        check(rc == SKIP and "SKIPPED" in out, "empty/: exit status %d, expected 77" % rc)

    if failures:
        for f in failures:
            print("wycheproof-harness: FAILED: " + f)
        return 1
    print("wycheproof-harness: all checks passed (backends: %s)" % (", ".join(backends) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
