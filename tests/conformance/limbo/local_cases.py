#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the tsvc-limbo harness over limbo-format test cases made at test
time with the openssl command line, for behaviours the local x509-limbo
snapshot (2023) does not cover but the current upstream suite does:

- tsvc-webpki::*  the server profile: an intermediate's extendedKeyUsage,
                  purposes a TLS server leaf must not have, commonName rules
                  (CA/B Forum BR 7.1.2.10.6, 7.1.2.7.10, 7.1.4.3);
- tsvc-smime::*   CLIENT cases asking for emailProtection run under the
                  S/MIME profile (upstream smime::*);
- tsvc-nc::*      a wildcard dNSName that can stand for an excluded host
                  (upstream cve::cve-2025-61727);
- tsvc-names::*   issuer names equal per RFC 5280 7.1 / RFC 4518 but
                  encoded differently;
- tsvc-pathological::*  many intermediates with the same subject: each
                  case must finish in under one second, with a budget
                  status when no chain is found;
- tsvc-bettertls::*  an IP address given as a DNS peer name;
- tsvc-rfc9881::* a has-mldsa case must be SKIPPED (ML-DSA is not
                  implemented), never answered.

Every expectation is this library's reading of the standards cited in the
case's description, not output of the library. When openssl is missing the
script prints SKIPPED and exits 77.

Usage: local_cases.py HARNESS
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The certificates are valid from now for 20 years: validate tomorrow.
VT = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).strftime(
    "%Y-%m-%dT%H:%M:%SZ")
BUDGET = 1.0  # seconds per pathological case

CA_KU = "critical, keyCertSign, cRLSign"
EE_KU = "critical, digitalSignature"


def section(name, ca, ku=None, eku=None, san=None, aki=True, extra=()):
    """One openssl extension section: basicConstraints, keyUsage (KU None:
    none), extendedKeyUsage, subjectAltName, key identifiers, EXTRA lines."""
    lines = [f"[ {name} ]", f"basicConstraints = critical, CA:{'TRUE' if ca else 'FALSE'}"]
    if ku is not None:
        lines.append(f"keyUsage = {ku}")
    if eku is not None:
        lines.append(f"extendedKeyUsage = {eku}")
    lines.append("subjectKeyIdentifier = hash")
    if aki:
        lines.append("authorityKeyIdentifier = keyid")
    if san is not None:
        lines.append(f"subjectAltName = {san}")
    return "\n".join(lines + list(extra)) + "\n"


EXT = "".join([
    section("root", True, CA_KU, aki=False),
    section("ca", True, CA_KU),
    section("ca_noaki", True, CA_KU, aki=False),
    section("ca_eku_client", True, CA_KU, eku="clientAuth"),
    section("ca_eku_server", True, CA_KU, eku="serverAuth"),
    section("ca_eku_any", True, CA_KU, eku="anyExtendedKeyUsage"),
    section("ca_eku_email", True, CA_KU, eku="emailProtection"),
    section("ca_eku_email_server", True, CA_KU, eku="emailProtection, serverAuth"),
    section("ca_email_nocrlsign", True, "critical, keyCertSign", eku="emailProtection"),
    section("ca_nc_wild", True, CA_KU, extra=[
        "nameConstraints = critical, permitted;DNS:example.com, excluded;DNS:bar.example.com"]),
    section("ca_san", True, CA_KU, san="DNS:ca.example.com"),
    section("tls", False, EE_KU, "serverAuth", "DNS:example.com"),
    section("tls_noaki", False, EE_KU, "serverAuth", "DNS:example.com", aki=False),
    section("tls_precert", False, EE_KU, "serverAuth, 1.3.6.1.4.1.11129.2.4.4",
            "DNS:example.com"),
    section("tls_codesign", False, EE_KU, "serverAuth, codeSigning", "DNS:example.com"),
    section("tls_ip", False, EE_KU, "serverAuth", "IP:192.168.1.1"),
    section("tls_wild", False, EE_KU, "serverAuth", "DNS:*.example.com"),
    section("mail", False, EE_KU, "emailProtection", "email:user@example.com"),
    section("mail_server", False, EE_KU, "emailProtection, serverAuth", "email:user@example.com"),
    section("mail_noeku", False, EE_KU, None, "email:user@example.com"),
    section("mail_noku", False, None, "emailProtection", "email:user@example.com"),
    section("mail_dns", False, EE_KU, "emailProtection", "DNS:example.com"),
])


WHY = {}


class Pki:
    def __init__(self, work):
        self.work = work
        with open(os.path.join(work, "ext.cnf"), "w") as f:
            f.write(EXT)
        with open(os.path.join(work, "req.cnf"), "w") as f:
            f.write("[ req ]\ndistinguished_name = dn\n[ dn ]\n")
        self.serial = 0x1000

    def run(self, *args):
        subprocess.run(args, cwd=self.work, check=True, capture_output=True)

    def key(self, name):
        self.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                 "ec_paramgen_curve:P-256", "-out", f"{name}.key")
        return name

    def cert(self, name, subj, key, issuer, issuer_key, ext, utf8=False):
        """Issues NAME (subject SUBJ, KEY) with ISSUER's key; ISSUER None: self-signed."""
        self.serial += 1
        req = ["openssl", "req", "-new", "-config", "req.cnf", "-key", f"{key}.key",
               "-subj", subj, "-out", f"{name}.csr"]
        if utf8:
            req += ["-utf8"]
        self.run(*req)
        x509 = ["openssl", "x509", "-req", "-in", f"{name}.csr", "-days", "7300",
                "-set_serial", str(self.serial), "-extfile", "ext.cnf", "-extensions", ext,
                "-sha256", "-out", f"{name}.pem"]
        if issuer is None:
            x509 += ["-signkey", f"{key}.key"]
        else:
            x509 += ["-CA", f"{issuer}.pem", "-CAkey", f"{issuer_key}.key"]
        self.run(*x509)
        with open(os.path.join(self.work, f"{name}.pem")) as f:
            return f.read()


def case(cid, desc, kind, trusted, inter, peer, expected, peer_name=None, ekus=(),
         features=(), why=None, conflicts=()):
    """A limbo test case; WHY (kept out of the suite) is a text the harness's
    context must hold, so that a FAILURE for another reason does not pass."""
    tc = {
        "id": cid,
        "features": list(features),
        "description": desc,
        "validation_kind": kind,
        "trusted_certs": trusted,
        "untrusted_intermediates": inter,
        "peer_certificate": peer,
        "validation_time": None,
        "signature_algorithms": [],
        "key_usage": [],
        "extended_key_usage": list(ekus),
        "expected_result": expected,
        "expected_peer_name": None,
        "expected_peer_names": [],
        "conflicts_with": list(conflicts),
    }
    if why is not None:
        WHY[cid] = why
    if peer_name is not None:
        kind_, value = peer_name
        if kind == "SERVER":
            tc["expected_peer_name"] = {"kind": kind_, "value": value}
        else:
            tc["expected_peer_names"] = [{"kind": kind_, "value": value}]
    return tc


def build_cases(p):
    cases = []
    rk = p.key("root")
    root = p.cert("root", "/CN=Local Root", rk, None, None, "root")
    ik = p.key("ica")
    lk = p.key("leaf")
    DNS = ("DNS", "example.com")
    MAIL = ("RFC822", "user@example.com")

    def chain(cid, desc, ica_ext, leaf_ext, kind, expected, peer_name, ekus=(),
              leaf_subj="/CN=leaf", why=None):
        ica = p.cert(f"{cid}-ica", "/CN=Local ICA", ik, "root", rk, ica_ext)
        leaf = p.cert(f"{cid}-leaf", leaf_subj, lk, f"{cid}-ica", ik, leaf_ext)
        cases.append(case(cid, desc, kind, [root], [ica], leaf, expected, peer_name, ekus,
                          why=why))

    # ---- server profile: intermediate EKU, leaf purposes
    chain("tsvc-webpki::ica-eku-clientauth-only",
          "An intermediate whose extendedKeyUsage is clientAuth only cannot issue a TLS "
          "server certificate (CA/B Forum BR 7.1.2.10.6; as browsers enforce it).",
          "ca_eku_client", "tls", "SERVER", "FAILURE", DNS, why="extended-key-usage (certificate 1)")
    chain("tsvc-webpki::ica-eku-serverauth",
          "An intermediate with serverAuth in its extendedKeyUsage.",
          "ca_eku_server", "tls", "SERVER", "SUCCESS", DNS)
    chain("tsvc-webpki::ica-eku-any",
          "anyExtendedKeyUsage in an intermediate allows every purpose (RFC 5280 4.2.1.12).",
          "ca_eku_any", "tls", "SERVER", "SUCCESS", DNS)
    chain("tsvc-webpki::ica-eku-clientauth-client-validation",
          "The same clientAuth-only intermediate under TLS client validation.",
          "ca_eku_client", "tls", "CLIENT", "FAILURE", None, why="clientAuth not in extendedKeyUsage")
    chain("tsvc-webpki::ee-precertificate-eku",
          "The CT precertificate signing purpose must not be in a server certificate "
          "(CA/B Forum BR 7.1.2.7.10, RFC 6962 3.1).",
          "ca", "tls_precert", "SERVER", "FAILURE", DNS, why="precertificate")
    chain("tsvc-webpki::ee-codesigning-eku",
          "codeSigning must not be in a server certificate (CA/B Forum BR 7.1.2.7.10).",
          "ca", "tls_codesign", "SERVER", "FAILURE", DNS, why="codeSigning")
    chain("tsvc-webpki::cn-ipv4-leading-zeros",
          "A commonName IPv4 address must be the RFC 3986 text of an iPAddress entry "
          "(CA/B Forum BR 7.1.4.3).",
          "ca", "tls_ip", "SERVER", "FAILURE", ("IP", "192.168.1.1"),
          leaf_subj="/CN=192.168.001.001", why="common-name")
    chain("tsvc-webpki::cn-ipv4-canonical",
          "A commonName that is the RFC 3986 text of the iPAddress entry.",
          "ca", "tls_ip", "SERVER", "SUCCESS", ("IP", "192.168.1.1"),
          leaf_subj="/CN=192.168.1.1")
    chain("tsvc-bettertls::ip-peer-name-given-as-dns",
          "Upstream's bettertls:: cases give an IP address as a DNS peer name: the harness "
          "matches it against the iPAddress entries.",
          "ca", "tls_ip", "SERVER", "SUCCESS", ("DNS", "192.168.1.1"))
    chain("tsvc-webpki::cn-case-mismatch",
          "A commonName must be a character-for-character copy of the dNSName "
          "(CA/B Forum BR 7.1.4.3).",
          "ca", "tls", "SERVER", "FAILURE", DNS, leaf_subj="/CN=Example.COM", why="common-name")

    # ---- a CA certificate as the end entity: the profile follows the case
    ca_leaf = p.cert("ca-as-leaf", "/CN=CA as leaf", ik, "root", rk, "ca_san")
    CA = ("DNS", "ca.example.com")
    cases.append(case("tsvc-webpki::ca-as-leaf",
                      "A CA certificate as the end entity: refused in the server profile "
                      "(CA/B Forum BR 7.1.2.7.8; upstream webpki::ca-as-leaf).",
                      "SERVER", [root], [], ca_leaf, "FAILURE", CA,
                      why="end-entity certificate is a CA"))
    cases.append(case("tsvc-rfc5280::ca-as-leaf",
                      "The same chain in a case that conflicts with a webpki:: one: the "
                      "harness validates it with the RFC 5280 profile, which allows a CA "
                      "certificate at the end of a path (RFC 5280 4.2.1.9; upstream "
                      "rfc5280::ca-as-leaf).",
                      "SERVER", [root], [], ca_leaf, "SUCCESS", CA,
                      conflicts=["tsvc-webpki::ca-as-leaf", "webpki::ca-as-leaf"]))

    # ---- S/MIME profile (CLIENT cases asking for emailProtection)
    E = ["emailProtection"]
    chain("tsvc-smime::ee-email-protection", "A valid S/MIME chain (S/MIME BR 7.1.2.3).",
          "ca_eku_email", "mail", "CLIENT", "SUCCESS", MAIL, E)
    chain("tsvc-smime::ee-has-server-auth",
          "serverAuth must not be in an S/MIME certificate (S/MIME BR 7.1.2.3 f).",
          "ca_eku_email", "mail_server", "CLIENT", "FAILURE", MAIL, E, why="serverAuth in the extendedKeyUsage of an S/MIME")
    chain("tsvc-smime::ee-without-eku",
          "An S/MIME certificate must have extendedKeyUsage (S/MIME BR 7.1.2.3 f).",
          "ca_eku_email", "mail_noeku", "CLIENT", "FAILURE", MAIL, E, why="no extendedKeyUsage")
    chain("tsvc-smime::ee-missing-key-usage",
          "An S/MIME certificate must have keyUsage (S/MIME BR 7.1.2.3 e).",
          "ca_eku_email", "mail_noku", "CLIENT", "FAILURE", MAIL, E, why="no keyUsage")
    chain("tsvc-smime::san-without-rfc822name",
          "An S/MIME certificate must name a mailbox (S/MIME BR 7.1.4.2.1).",
          "ca_eku_email", "mail_dns", "CLIENT", "FAILURE", MAIL, E, why="no rfc822Name")
    chain("tsvc-smime::intermediate-has-server-auth",
          "serverAuth must not be in an S/MIME CA's extendedKeyUsage (S/MIME BR 7.1.2.2 g).",
          "ca_eku_email_server", "mail", "CLIENT", "FAILURE", MAIL, E, why="extended-key-usage (certificate 1)")
    chain("tsvc-smime::intermediate-missing-email-protection",
          "An S/MIME CA's extendedKeyUsage must allow emailProtection (S/MIME BR 7.1.2.2 g).",
          "ca_eku_server", "mail", "CLIENT", "FAILURE", MAIL, E, why="extended-key-usage (certificate 1)")
    chain("tsvc-smime::intermediate-missing-crl-sign",
          "An S/MIME CA's keyUsage must assert cRLSign (S/MIME BR 7.1.2.2 e).",
          "ca_email_nocrlsign", "mail", "CLIENT", "FAILURE", MAIL, E, why="cRLSign")

    # ---- name constraints and wildcards
    chain("tsvc-nc::wildcard-reaches-excluded",
          "*.example.com can stand for the excluded bar.example.com: refused "
          "(upstream cve::cve-2025-61727).",
          "ca_nc_wild", "tls_wild", "SERVER", "FAILURE", ("DNS", "bar.example.com"), why="name-constraints")
    chain("tsvc-nc::wildcard-permitted",
          "The same chain for foo.example.com is refused too: the certificate, not the peer "
          "name, is constrained.",
          "ca_nc_wild", "tls_wild", "SERVER", "FAILURE", ("DNS", "foo.example.com"), why="name-constraints")

    # ---- issuer names equal per RFC 5280 7.1 / RFC 4518, encoded differently
    nk = p.key("nameca")
    nroot = p.cert("nameroot", "/CN=Name Root", nk, None, None, "root")
    # The intermediate's subject is UTF8String "Ünïcode ICA"; the leaf names its issuer
    # in upper case with extra spaces (issued with -set_issuer is not available in
    # openssl x509, so the leaf is made by a CA certificate whose subject is the
    # differently written name and whose key is the intermediate's).
    nik = p.key("nameica")
    nica = p.cert("nameica", "/CN=\u00dcn\u00efcode ICA/O=Example", nik, "nameroot", nk, "ca",
                  utf8=True)
    p.cert("nameica-alias", "/CN=  \u00dcN\u00cfCODE   ica /O=EXAMPLE", nik, None, None,
           "ca_noaki", utf8=True)
    nleaf = p.cert("nameleaf", "/CN=leaf", lk, "nameica-alias", nik, "tls_noaki")
    cases.append(case("tsvc-names::issuer-case-and-spaces",
                      "The leaf's issuer differs from the intermediate's subject in letter "
                      "case (Latin-1 letters too) and insignificant spaces: equal names "
                      "(RFC 5280 7.1, RFC 4518 2.6).",
                      "SERVER", [nroot], [nica], nleaf, "SUCCESS", DNS))

    # ---- many intermediates with the same subject
    pk = p.key("pathroot")
    proot = p.cert("pathroot", "/CN=Path Root", pk, None, None, "root")
    inters = []
    last = None
    for i in range(120):
        k = p.key(f"same{i}")
        inters.append(p.cert(f"same{i}", "/CN=Same Name ICA", k, "pathroot", pk, "ca"))
        last = k
    leaf_aki = p.cert("same-leaf-aki", "/CN=leaf", lk, f"same{119}", last, "tls")
    # A leaf whose issuer is none of them (no AKI): every candidate fails.
    sk = p.key("stranger")
    p.cert("stranger", "/CN=Same Name ICA", sk, None, None, "ca_noaki")
    leaf_none = p.cert("same-leaf-none", "/CN=leaf", lk, "stranger", sk, "tls_noaki")
    cases.append(case("tsvc-pathological::same-name-intermediates-aki",
                      "120 intermediates share a subject; the leaf's authorityKeyIdentifier "
                      "picks its issuer first.",
                      "SERVER", [proot], inters, leaf_aki, "SUCCESS", DNS))
    cases.append(case("tsvc-pathological::same-name-intermediates-none",
                      "120 intermediates share a subject and none issued the leaf: the "
                      "signature-check budget ends the search.",
                      "SERVER", [proot], inters, leaf_none, "FAILURE", DNS,
                      why="signature-check budget exhausted"))

    # ---- upstream pathological::nc-dos-1: 1027 constraints against 514 names
    with open(os.path.join(p.work, "ext.cnf"), "a") as f:
        permitted = [f"t{i}.test" for i in range(513)] + [".test"]
        excluded = [f"x{i}.test" for i in range(513)]
        f.write(section("ca_nc_many", True, CA_KU, aki=False,
                        extra=["nameConstraints = critical, @nc_many"]))
        f.write("[ nc_many ]\n")
        f.writelines(f"permitted;DNS.{i} = {n}\n" for i, n in enumerate(permitted))
        f.writelines(f"excluded;DNS.{i} = {n}\n" for i, n in enumerate(excluded))
        f.write(section("tls_many", False, EE_KU, "serverAuth", "@san_many"))
        f.write("[ san_many ]\n")
        f.writelines(f"DNS.{i} = {n}\n" for i, n in enumerate(permitted))
    dk = p.key("dosroot")
    droot = p.cert("dosroot", "/CN=Many Constraints Root", dk, None, None, "ca_nc_many")
    dleaf = p.cert("dosleaf", "/CN=leaf", lk, "dosroot", dk, "tls_many")
    cases.append(case("tsvc-pathological::nc-dos",
                      "A root with 1027 name constraints and a leaf with 514 dNSNames "
                      "(upstream pathological::nc-dos-1): the comparison budget refuses the "
                      "quadratic work.",
                      "SERVER", [droot], [], dleaf, "FAILURE", ("DNS", "t0.test"),
                      why="name-constraint comparison budget"))

    # ---- ML-DSA: not implemented, must be SKIPPED whatever the certificates
    leaf = p.cert("mldsa-leaf", "/CN=leaf", lk, "root", rk, "tls")
    cases.append(case("tsvc-rfc9881::has-mldsa-is-skipped",
                      "A case with the has-mldsa feature is SKIPPED.",
                      "SERVER", [root], [], leaf, "SKIPPED", DNS, features=["has-mldsa"]))
    return cases


def main():
    if len(sys.argv) != 2:
        print("usage: local_cases.py HARNESS", file=sys.stderr)
        return 2
    harness = sys.argv[1]
    if shutil.which("openssl") is None:
        print("*" * 72)
        print("limbo-local: SKIPPED -- the openssl command line is needed to make the cases")
        print("*" * 72)
        return 77
    with tempfile.TemporaryDirectory() as work:
        cases = build_cases(Pki(work))
    for tc in cases:
        tc["validation_time"] = VT
    suite = json.dumps({"version": 1, "testcases": cases}).encode()
    proc = subprocess.run([harness], input=suite, capture_output=True, timeout=120)
    if proc.returncode != 0:
        print(f"limbo-local: harness failed with status {proc.returncode}")
        print(proc.stderr.decode(errors="replace")[-4000:])
        return 1
    results = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
    bad = 0
    for tc in cases:
        r = results.get(tc["id"])
        got = r["actual_result"] if r else "(no result)"
        why = WHY.get(tc["id"])
        if got == tc["expected_result"] and why is not None and why not in r.get("context", ""):
            bad += 1
            print(f"WRONG-REASON {tc['id']}: {got} without \"{why}\": {r.get('context', '')}")
        elif got != tc["expected_result"]:
            bad += 1
            print(f"DISAGREE {tc['id']}: expected {tc['expected_result']}, got {got}: "
                  f"{r.get('context', '') if r else ''}")
        else:
            print(f"ok {tc['id']}: {got} ({r.get('context', '')[:120]})")
    for tc in cases:
        if not tc["id"].startswith("tsvc-pathological::"):
            continue
        one = json.dumps({"version": 1, "testcases": [tc]}).encode()
        start = time.monotonic()
        p = subprocess.run([harness], input=one, capture_output=True, timeout=60)
        elapsed = time.monotonic() - start
        ctx = json.loads(p.stdout)["results"][0]["context"] if p.returncode == 0 else ""
        print(f"time {tc['id']}: {elapsed:.3f}s ({ctx[:100]})")
        if p.returncode != 0 or elapsed >= BUDGET:
            bad += 1
            print(f"SLOW {tc['id']}: {elapsed:.3f}s, budget {BUDGET}s")
    print(f"limbo-local: {len(cases) - bad} of {len(cases)} as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
