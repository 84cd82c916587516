/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * tsvc pki init DIR: a test PKI to try things with (root, intermediate,
 * a person's signing certificate, an e-seal certificate, a TSA, an OCSP
 * responder, a revoked certificate, CRLs and OCSP responses).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"
#include "keys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* qcStatements of an e-seal: QcCompliance, QcType eseal, semantics legal person. */
static const uint8_t qc_eseal[] = {
    0x30, 0x36, 0x30, 0x08, 0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x01, 0x30, 0x13,
    0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x06, 0x30, 0x09, 0x06, 0x07, 0x04, 0x00,
    0x8e, 0x46, 0x01, 0x06, 0x02, 0x30, 0x15, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05,
    0x07, 0x0b, 0x02, 0x30, 0x09, 0x06, 0x07, 0x04, 0x00, 0x8b, 0xec, 0x49, 0x01, 0x02};
/* id-pkix-ocsp-nocheck value: NULL. */
static const uint8_t der_null[] = {0x05, 0x00};

#define DEFAULT_CORPORATE_NUMBER "7000012050002"

typedef struct pki_cert {
    const char *name;  /* file stem */
    const char *role;  /* for the listing */
    char subject[512];
    int issuer;        /* index of the issuer, -1: self-signed */
    bool ca;
    int64_t path_len;
    uint32_t ku;
    const char *eku;
    bool eku_critical;
    bool qc;
    bool ocsp_nocheck;
    tsvc_key *key;
    tsvc_cert *cert;
} pki_cert;

enum { ROOT, CA, SIGNER, SEAL, TSA, OCSP, REVOKED, NUM_CERTS };

static int issue(pki_cert *certs, int i, int64_t nb, int64_t na, const char *base_uri)
{
    pki_cert *c = &certs[i];
    tsvc_cert_builder *b = NULL;
    tsvc_pubkey *pub = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_cert_builder_new(cli_ctx(), &b, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_subject(b, c->subject, &err);
    if (st == TSVC_OK)
        st = tsvc_key_get_public(c->key, &pub, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_public_key(b, pub, &err);
    if (st == TSVC_OK && c->issuer >= 0)
        st = tsvc_cert_builder_set_issuer_cert(b, certs[c->issuer].cert, &err);
    if (st == TSVC_OK) {
        uint8_t serial[2] = {0x10, (uint8_t)(i + 1)};
        st = tsvc_cert_builder_set_serial(b, serial, sizeof(serial), &err);
    }
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_validity(b, nb, na, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_basic_constraints(b, c->ca, c->path_len, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_key_usage(b, c->ku, 1, &err);
    if (st == TSVC_OK && c->eku != NULL) {
        st = tsvc_cert_builder_add_eku(b, c->eku, &err);
        tsvc_cert_builder_set_eku_critical(b, c->eku_critical);
    }
    if (st == TSVC_OK && c->qc)
        st = tsvc_cert_builder_add_extension(b, "1.3.6.1.5.5.7.1.3", 0, qc_eseal,
                                             sizeof(qc_eseal), &err);
    if (st == TSVC_OK && c->ocsp_nocheck)
        st = tsvc_cert_builder_add_extension(b, "1.3.6.1.5.5.7.48.1.5", 0, der_null,
                                             sizeof(der_null), &err);
    if (st == TSVC_OK && !c->ca && i != OCSP && i != TSA) {
        char uri[256];
        snprintf(uri, sizeof(uri), "%s/ca.crl", base_uri);
        st = tsvc_cert_builder_add_crl_uri(b, uri, &err);
        snprintf(uri, sizeof(uri), "%s/ocsp", base_uri);
        if (st == TSVC_OK)
            st = tsvc_cert_builder_add_ocsp_uri(b, uri, &err);
    }
    const tsvc_key *signer = c->issuer >= 0 ? certs[c->issuer].key : c->key;
    if (st == TSVC_OK)
        st = tsvc_cert_builder_sign(b, signer, TSVC_SIG_NONE, TSVC_HASH_NONE, TSVC_FORMAT_DER,
                                    &der, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_parse(cli_ctx(), &c->cert, der.data, der.len, &err);
    tsvc_buf_dispose(&der);
    tsvc_pubkey_free(pub);
    tsvc_cert_builder_free(b);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot issue the %s certificate", c->role);
    return 0;
}

static int save_cert(const char *dir, const pki_cert *c)
{
    char path[4096];
    size_t len = 0;
    const uint8_t *der = tsvc_cert_der(c->cert, &len);
    snprintf(path, sizeof(path), "%s/%s.pem", dir, c->name);
    int rc = write_der_or_pem(path, "CERTIFICATE", der, len, true);
    if (rc == 0) {
        snprintf(path, sizeof(path), "%s/%s.key", dir, c->name);
        rc = save_key(c->key, path);
    }
    return rc;
}

static int make_crl(const char *dir, const char *file, const pki_cert *issuer,
                    const tsvc_cert *revoked, int64_t now, int64_t next)
{
    tsvc_crl_builder *b = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_crl_builder_new(cli_ctx(), &b, issuer->cert, issuer->key, &err);
    if (st == TSVC_OK)
        st = tsvc_crl_builder_set_times(b, now - 60, next, &err);
    if (st == TSVC_OK && revoked != NULL) {
        size_t sl = 0;
        const uint8_t *s = tsvc_cert_serial(revoked, &sl);
        st = tsvc_crl_builder_add(b, s, sl, now - 60, TSVC_REASON_KEY_COMPROMISE, &err);
    }
    if (st == TSVC_OK)
        st = tsvc_crl_builder_finish(b, &der, &err);
    tsvc_crl_builder_free(b);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot make %s", file);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    int rc = write_der_or_pem(path, "X509 CRL", der.data, der.len, true);
    tsvc_buf_dispose(&der);
    return rc;
}

static int make_ocsp(const char *dir, const char *file, const pki_cert *ca,
                     const pki_cert *responder, const tsvc_cert *subject,
                     tsvc_cert_status status, int64_t now, int64_t next)
{
    tsvc_ocsp_response_builder *b = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st =
        tsvc_ocsp_response_builder_new(cli_ctx(), &b, ca->cert, responder->cert, responder->key,
                                       &err);
    if (st == TSVC_OK)
        st = tsvc_ocsp_response_builder_set_times(b, now, now - 60, next, &err);
    if (st == TSVC_OK) {
        size_t sl = 0;
        const uint8_t *s = tsvc_cert_serial(subject, &sl);
        st = tsvc_ocsp_response_builder_add(
            b, s, sl, status, status == TSVC_CERT_STATUS_REVOKED ? now - 60 : 0,
            status == TSVC_CERT_STATUS_REVOKED ? TSVC_REASON_KEY_COMPROMISE : TSVC_REASON_NONE,
            &err);
    }
    if (st == TSVC_OK)
        st = tsvc_ocsp_response_builder_finish(b, &der, &err);
    tsvc_ocsp_response_builder_free(b);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot make %s", file);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    int rc = write_file(path, der.data, der.len, false);
    tsvc_buf_dispose(&der);
    return rc;
}

static const opt_spec pki_opts[] = {
    {"alg", 'a', OPT_VALUE, "ALG", "key algorithm: p256 (default), p384, rsa2048, rsa3072, ed25519"},
    {"org", 0, OPT_VALUE, "NAME", "organisation name (default \"Example KK\")"},
    {"corporate-number", 0, OPT_VALUE, "N",
     "13-digit Japanese corporate number of the e-seal (default " DEFAULT_CORPORATE_NUMBER ")"},
    {"days", 0, OPT_VALUE, "N", "validity of the end-entity certificates in days (default 730)"},
    {"base-uri", 0, OPT_VALUE, "URI",
     "base of the CRL and OCSP URIs written in certificates (default http://127.0.0.1:8080)"},
    {"force", 'f', OPT_FLAG, NULL, "write into a directory that already holds a PKI"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command pki_cmd = {
    "pki init", "DIR [--alg ALG] [--org NAME] [--corporate-number N]",
    "Makes a test PKI in DIR (created if needed). NOT for production use.",
    "Files (NAME.pem certificate, NAME.key private key, mode 0600):\n"
    "  root        self-signed root CA (the trust anchor: --trust DIR/root.pem)\n"
    "  ca          intermediate CA that issues everything below (chain.pem holds it)\n"
    "  signer      a person's signing certificate (nonRepudiation)\n"
    "  seal        an organisation's e-seal certificate: organizationIdentifier NTRJP-<number>,\n"
    "              qcStatements QcType eseal and legal-person semantics\n"
    "  tsa         time-stamp authority (critical extendedKeyUsage timeStamping only)\n"
    "  ocsp        OCSP responder (OCSPSigning, ocsp-nocheck)\n"
    "  revoked     a person's certificate that ca.crl lists as revoked (keyCompromise)\n"
    "  ca.crl, root.crl          CRLs of the intermediate and of the root (30 days)\n"
    "  signer.ocsp, revoked.ocsp OCSP responses for signer (good) and revoked (revoked)",
    pki_opts, 1, 1};

static int pki_issue(int argc, char **argv);

int cmd_pki(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "issue") == 0) {
        g_cmd = "tsvc pki issue";
        return pki_issue(argc - 1, argv + 1);
    }
    if (argc < 1 || (strcmp(argv[0], "init") != 0 && strcmp(argv[0], "--help") != 0 &&
                     strcmp(argv[0], "-h") != 0)) {
        fprintf(stderr, "usage: tsvc pki init DIR [options]   (a test PKI)\n"
                        "       tsvc pki issue --ca DIR --csr FILE --profile P -o FILE\n"
                        "(see tsvc pki init --help, tsvc pki issue --help)\n");
        return EXIT_USAGE;
    }
    if (strcmp(argv[0], "init") == 0) {
        argc--;
        argv++;
    }
    g_cmd = "tsvc pki init";
    opt_result r;
    bool help;
    int rc = opts_parse(&pki_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *dir = r.pos[0];
    const char *alg = opt_get(&pki_cmd, &r, "alg");
    const char *org = opt_get(&pki_cmd, &r, "org");
    const char *corp = opt_get(&pki_cmd, &r, "corporate-number");
    const char *days_s = opt_get(&pki_cmd, &r, "days");
    const char *base = opt_get(&pki_cmd, &r, "base-uri");
    tsvc_key_type type;
    unsigned bits;
    if (alg == NULL)
        alg = "p256";
    if (!parse_alg(alg, &type, &bits))
        return usage_error(&pki_cmd, "unknown --alg '%s'", alg);
    if (org == NULL)
        org = "Example KK";
    if (corp == NULL)
        corp = DEFAULT_CORPORATE_NUMBER;
    if (base == NULL)
        base = "http://127.0.0.1:8080";
    if (!tsvc_corporate_number_valid(corp, strlen(corp)))
        return usage_error(&pki_cmd,
                           "'%s' is not a valid Japanese corporate number (13 digits, the "
                           "first a check digit)",
                           corp);
    long days = 730;
    if (days_s != NULL) {
        char *end = NULL;
        days = strtol(days_s, &end, 10);
        if (end == days_s || *end != '\0' || days < 1 || days > 36500)
            return usage_error(&pki_cmd, "--days must be a number of days (1..36500)");
    }
    if (strpbrk(org, ",+\"\\<>;=#") != NULL)
        return usage_error(&pki_cmd, "--org must not hold any of , + \" \\ < > ; = #");

    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return fail("cannot create %s: %s", dir, strerror(errno));
    char probe[4096];
    snprintf(probe, sizeof(probe), "%s/root.pem", dir);
    if (file_exists(probe) && !opt_flag(&pki_cmd, &r, "force"))
        return fail("%s already holds a PKI (use --force to replace it)", dir);

    pki_cert certs[NUM_CERTS] = {
        {"root", "root CA", "", -1, true, -1, TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN, NULL,
         false, false, false, NULL, NULL},
        {"ca", "issuing CA", "", ROOT, true, 0, TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN, NULL,
         false, false, false, NULL, NULL},
        {"signer", "person (signature)", "", CA, false, -1,
         TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION, NULL, false, false, false, NULL,
         NULL},
        {"seal", "organisation (e-seal)", "", CA, false, -1,
         TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION, NULL, false, true, false, NULL,
         NULL},
        {"tsa", "time-stamp authority", "", CA, false, -1,
         TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION, "1.3.6.1.5.5.7.3.8", true, false,
         false, NULL, NULL},
        {"ocsp", "OCSP responder", "", CA, false, -1, TSVC_KU_DIGITAL_SIGNATURE,
         "1.3.6.1.5.5.7.3.9", false, false, true, NULL, NULL},
        {"revoked", "person (revoked)", "", CA, false, -1,
         TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION, NULL, false, false, false, NULL,
         NULL},
    };
    snprintf(certs[ROOT].subject, sizeof(certs[ROOT].subject), "CN=tsvc Test Root CA,O=%s,C=JP",
             org);
    snprintf(certs[CA].subject, sizeof(certs[CA].subject), "CN=tsvc Test Issuing CA,O=%s,C=JP",
             org);
    snprintf(certs[SIGNER].subject, sizeof(certs[SIGNER].subject),
             "CN=Hanako Yamada,O=%s,C=JP", org);
    snprintf(certs[SEAL].subject, sizeof(certs[SEAL].subject),
             "CN=%s e-seal,organizationIdentifier=NTRJP-%s,O=%s,C=JP", org, corp, org);
    snprintf(certs[TSA].subject, sizeof(certs[TSA].subject), "CN=tsvc Test TSA,O=%s,C=JP", org);
    snprintf(certs[OCSP].subject, sizeof(certs[OCSP].subject),
             "CN=tsvc Test OCSP Responder,O=%s,C=JP", org);
    snprintf(certs[REVOKED].subject, sizeof(certs[REVOKED].subject),
             "CN=Taro Revoked,O=%s,C=JP", org);

    int64_t now = now_seconds();
    int64_t nb = now - 3600;
    for (int i = 0; i < NUM_CERTS && rc == 0; i++) {
        if ((rc = generate_key(type, bits, &certs[i].key)) != 0)
            break;
        int64_t na = nb + (i == ROOT ? 20 : i == CA ? 10 : 0) * 365 * 86400 +
                     (i >= SIGNER ? (int64_t)days * 86400 : 0);
        rc = issue(certs, i, nb, na, base);
    }
    for (int i = 0; i < NUM_CERTS && rc == 0; i++)
        rc = save_cert(dir, &certs[i]);
    char path[4096];
    if (rc == 0) {
        size_t len = 0;
        const uint8_t *der = tsvc_cert_der(certs[CA].cert, &len);
        snprintf(path, sizeof(path), "%s/chain.pem", dir);
        rc = write_der_or_pem(path, "CERTIFICATE", der, len, true);
    }
    int64_t next = now + 30 * 86400;
    if (rc == 0)
        rc = make_crl(dir, "ca.crl", &certs[CA], certs[REVOKED].cert, now, next);
    if (rc == 0)
        rc = make_crl(dir, "root.crl", &certs[ROOT], NULL, now, next);
    if (rc == 0)
        rc = make_ocsp(dir, "signer.ocsp", &certs[CA], &certs[OCSP], certs[SIGNER].cert,
                       TSVC_CERT_STATUS_GOOD, now, next);
    if (rc == 0)
        rc = make_ocsp(dir, "revoked.ocsp", &certs[CA], &certs[OCSP], certs[REVOKED].cert,
                       TSVC_CERT_STATUS_REVOKED, now, next);

    if (rc == 0) {
        if (g_json) {
            jw w = {0};
            jw_obj(&w, NULL);
            jw_str(&w, "dir", dir);
            jw_str(&w, "alg", alg);
            jw_arr(&w, "certificates");
            for (int i = 0; i < NUM_CERTS; i++) {
                char p1[4096], p2[4096];
                snprintf(p1, sizeof(p1), "%s/%s.pem", dir, certs[i].name);
                snprintf(p2, sizeof(p2), "%s/%s.key", dir, certs[i].name);
                jw_obj(&w, NULL);
                jw_str(&w, "name", certs[i].name);
                jw_str(&w, "role", certs[i].role);
                jw_str(&w, "subject", certs[i].subject);
                jw_str(&w, "cert", p1);
                jw_str(&w, "key", p2);
                jw_time(&w, "not_after", tsvc_cert_not_after(certs[i].cert));
                jw_end_obj(&w);
            }
            jw_end_arr(&w);
            jw_arr(&w, "crls");
            jw_str(&w, NULL, "ca.crl");
            jw_str(&w, NULL, "root.crl");
            jw_end_arr(&w);
            jw_arr(&w, "ocsp");
            jw_str(&w, NULL, "signer.ocsp");
            jw_str(&w, NULL, "revoked.ocsp");
            jw_end_arr(&w);
            jw_str(&w, "tsa_policy", TSVC_CLI_TSA_POLICY);
            jw_end_obj(&w);
            rc = jw_print(&w);
        } else {
            printf("%stest PKI in %s%s (%s keys; not for production use)\n", c_bold(), dir,
                   c_off(), alg);
            for (int i = 0; i < NUM_CERTS; i++)
                printf("  %-8s %-22s %s\n", certs[i].name, certs[i].role, certs[i].subject);
            printf("  CRLs: ca.crl (lists 'revoked'), root.crl; OCSP: signer.ocsp (good), "
                   "revoked.ocsp (revoked)\n");
            printf("  trust anchor: %s/root.pem   intermediate: %s/chain.pem\n", dir, dir);
        }
    }
    for (int i = 0; i < NUM_CERTS; i++) {
        tsvc_cert_free(certs[i].cert);
        tsvc_key_free(certs[i].key);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* pki issue: a certificate from a request, by the test PKI's CA       */
/* ------------------------------------------------------------------ */

static const opt_spec issue_opts[] = {
    {"ca", 0, OPT_VALUE, "DIR", "the test PKI whose issuing CA signs (DIR/ca.pem, DIR/ca.key)"},
    {"ca-cert", 0, OPT_VALUE, "FILE", "or: the issuing CA's certificate"},
    {"ca-key", 0, OPT_VALUE, "FILE|URI", "and its key (file or pkcs11: URI)"},
    {"csr", 0, OPT_VALUE, "FILE", "the PKCS#10 request (its signature is checked)"},
    {"profile", 0, OPT_VALUE, "P",
     "signer (default), seal (with e-seal QC statements), tsa (critical EKU timeStamping), "
     "ocsp (OCSPSigning), tls-client, tls-server"},
    {"days", 0, OPT_VALUE, "N", "validity in days (default 365)"},
    {"out", 'o', OPT_VALUE, "FILE", "the certificate (PEM)"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command issue_cmd = {
    "pki issue", "(--ca DIR | --ca-cert C --ca-key K) --csr FILE [--profile P] -o FILE",
    "Issues a certificate for a certificate request (for example for a key generated\n"
    "in a token), with the subject, key and subjectAltNames of the request.",
    "For test PKIs only: nothing of the request is vetted.", issue_opts, 0, 0};

static int pki_issue(int argc, char **argv)
{
    opt_result r;
    bool help;
    int rc = opts_parse(&issue_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *dir = opt_get(&issue_cmd, &r, "ca");
    const char *cap = opt_get(&issue_cmd, &r, "ca-cert");
    const char *kp = opt_get(&issue_cmd, &r, "ca-key");
    const char *csrp = opt_get(&issue_cmd, &r, "csr");
    const char *prof = opt_get(&issue_cmd, &r, "profile");
    const char *days_s = opt_get(&issue_cmd, &r, "days");
    const char *outp = opt_get(&issue_cmd, &r, "out");
    char cbuf[4096], kbuf[4096];
    if (dir != NULL) {
        if (cap != NULL || kp != NULL)
            return usage_error(&issue_cmd, "give --ca DIR or --ca-cert and --ca-key");
        snprintf(cbuf, sizeof(cbuf), "%s/ca.pem", dir);
        snprintf(kbuf, sizeof(kbuf), "%s/ca.key", dir);
        cap = cbuf;
        kp = kbuf;
    }
    if (cap == NULL || kp == NULL || csrp == NULL || outp == NULL)
        return usage_error(&issue_cmd, "a CA (--ca, or --ca-cert and --ca-key), --csr and "
                                       "--out are required");
    if (prof == NULL)
        prof = "signer";
    uint32_t ku = TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION;
    const char *eku = NULL;
    bool eku_critical = false, qc = false;
    if (strcmp(prof, "signer") == 0) {
    } else if (strcmp(prof, "seal") == 0) {
        qc = true;
    } else if (strcmp(prof, "tsa") == 0) {
        eku = "1.3.6.1.5.5.7.3.8";
        eku_critical = true;
    } else if (strcmp(prof, "ocsp") == 0) {
        ku = TSVC_KU_DIGITAL_SIGNATURE;
        eku = "1.3.6.1.5.5.7.3.9";
    } else if (strcmp(prof, "tls-client") == 0) {
        ku = TSVC_KU_DIGITAL_SIGNATURE;
        eku = "1.3.6.1.5.5.7.3.2";
    } else if (strcmp(prof, "tls-server") == 0) {
        ku = TSVC_KU_DIGITAL_SIGNATURE;
        eku = "1.3.6.1.5.5.7.3.1";
    } else {
        return usage_error(&issue_cmd, "unknown --profile '%s'", prof);
    }
    long days = 365;
    if (days_s != NULL) {
        char *end = NULL;
        days = strtol(days_s, &end, 10);
        if (end == days_s || *end != '\0' || days < 1 || days > 36500)
            return usage_error(&issue_cmd, "--days must be 1..36500");
    }

    tsvc_cert *ca = NULL;
    tsvc_key *key = NULL;
    tsvc_csr *csr = NULL;
    tsvc_pubkey *pub = NULL;
    tsvc_cert_builder *b = NULL;
    tsvc_buf data = TSVC_BUF_INIT, out = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st;
    if ((rc = load_cert(cap, &ca)) != 0 || (rc = load_key(kp, &key)) != 0 ||
        (rc = read_file(csrp, &data)) != 0)
        goto done;
    if ((st = tsvc_csr_parse(cli_ctx(), &csr, data.data, data.len, &err)) != TSVC_OK) {
        rc = fail_lib(st, err, "%s is not a valid certificate request", csrp);
        goto done;
    }
    size_t sl = 0;
    const uint8_t *subj = tsvc_csr_subject_der(csr, &sl);
    int64_t now = now_seconds();
    st = tsvc_csr_pubkey(csr, &pub, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_new(cli_ctx(), &b, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_subject_der(b, subj, sl, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_issuer_cert(b, ca, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_public_key(b, pub, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_validity(b, now - 3600, now + (int64_t)days * 86400, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_basic_constraints(b, 0, -1, &err);
    if (st == TSVC_OK)
        st = tsvc_cert_builder_set_key_usage(b, ku, 1, &err);
    if (st == TSVC_OK && eku != NULL) {
        st = tsvc_cert_builder_add_eku(b, eku, &err);
        tsvc_cert_builder_set_eku_critical(b, eku_critical);
    }
    if (st == TSVC_OK && qc)
        st = tsvc_cert_builder_add_extension(b, "1.3.6.1.5.5.7.1.3", 0, qc_eseal,
                                             sizeof(qc_eseal), &err);
    for (size_t i = 0; st == TSVC_OK && i < tsvc_csr_num_sans(csr); i++) {
        tsvc_general_name_type t;
        const uint8_t *v;
        size_t vl;
        st = tsvc_csr_san(csr, i, &t, &v, &vl);
        if (st == TSVC_OK)
            st = tsvc_cert_builder_add_san(b, t, v, vl, &err);
    }
    if (st == TSVC_OK)
        st = tsvc_cert_builder_sign(b, key, TSVC_SIG_NONE, TSVC_HASH_NONE, TSVC_FORMAT_PEM, &out,
                                    &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot issue the certificate");
        goto done;
    }
    if ((rc = write_file(outp, out.data, out.len, false)) != 0)
        goto done;
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "out", outp);
        jw_str(&w, "profile", prof);
        jw_time(&w, "not_after", now + (int64_t)days * 86400);
        jw_end_obj(&w);
        rc = jw_print(&w);
    } else {
        printf("issued a %s certificate -> %s\n", prof, outp);
    }
done:
    tsvc_buf_dispose(&out);
    dispose_file(&data);
    tsvc_cert_builder_free(b);
    tsvc_pubkey_free(pub);
    tsvc_csr_free(csr);
    tsvc_key_free(key);
    tsvc_cert_free(ca);
    return rc;
}
