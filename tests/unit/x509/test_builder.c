/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the certificate builder (include/trustsvc/certbuilder.h):
 * a root, an intermediate and leaves (person, e-seal, TSA) are built,
 * parsed back by our own parser with every extension read, validated as
 * a chain, and, when the openssl command is installed, printed with
 * `openssl x509 -text` and checked with `openssl verify`. Also every
 * refusal of the builder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "trustsvc/certbuilder.h"
#include "trustsvc/seal.h"
#include "trustsvc/validate.h"
#include "trustsvc/x509.h"

static tsvc_ctx *g_ctx;

static int setup(void **state)
{
    (void)state;
    return tsvc_ctx_new(&g_ctx, NULL, NULL) == TSVC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_ctx_free(g_ctx);
    g_ctx = NULL;
    return 0;
}

static const int64_t T0 = 1767225600; /* 2026-01-01T00:00:00Z */
static const int64_t YEAR = 365 * 86400;

static tsvc_key *gen(tsvc_key_type type, unsigned bits)
{
    tsvc_key *k = NULL;
    assert_int_equal(tsvc_key_generate(g_ctx, &k, type, bits, NULL), TSVC_OK);
    return k;
}

static tsvc_pubkey *pub_of(const tsvc_key *k)
{
    tsvc_pubkey *p = NULL;
    assert_int_equal(tsvc_key_get_public(k, &p, NULL), TSVC_OK);
    return p;
}

static tsvc_cert *parse(const tsvc_buf *der)
{
    tsvc_cert *c = NULL;
    tsvc_error *e = NULL;
    tsvc_status st = tsvc_cert_parse(g_ctx, &c, der->data, der->len, &e);
    if (st != TSVC_OK)
        fail_msg("parse: %s", tsvc_error_message(e));
    return c;
}

/* A self-signed CA. */
static tsvc_cert *make_root(tsvc_key *key)
{
    tsvc_cert_builder *b = NULL;
    assert_int_equal(tsvc_cert_builder_new(g_ctx, &b, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_subject(b, "CN=Test Root,O=Example,C=JP", NULL),
                     TSVC_OK);
    tsvc_pubkey *p = pub_of(key);
    assert_int_equal(tsvc_cert_builder_set_public_key(b, p, NULL), TSVC_OK);
    tsvc_pubkey_free(p);
    assert_int_equal(tsvc_cert_builder_set_validity(b, T0, T0 + 10 * YEAR, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_basic_constraints(b, 1, -1, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_key_usage(
                         b, TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN, 1, NULL),
                     TSVC_OK);
    const uint8_t serial[] = {0x01};
    assert_int_equal(tsvc_cert_builder_set_serial(b, serial, 1, NULL), TSVC_OK);
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *e = NULL;
    if (tsvc_cert_builder_sign(b, key, TSVC_SIG_NONE, TSVC_HASH_NONE, TSVC_FORMAT_DER, &der,
                               &e) != TSVC_OK)
        fail_msg("sign: %s", tsvc_error_message(e));
    tsvc_cert *c = parse(&der);
    tsvc_buf_dispose(&der);
    tsvc_cert_builder_free(b);
    return c;
}

static tsvc_cert *make_child(const tsvc_cert *issuer, const tsvc_key *issuer_key,
                             const tsvc_key *key, const char *subject, int ca,
                             void (*more)(tsvc_cert_builder *), tsvc_key_format fmt,
                             tsvc_buf *keep)
{
    tsvc_cert_builder *b = NULL;
    assert_int_equal(tsvc_cert_builder_new(g_ctx, &b, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_subject(b, subject, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_issuer_cert(b, issuer, NULL), TSVC_OK);
    tsvc_pubkey *p = pub_of(key);
    assert_int_equal(tsvc_cert_builder_set_public_key(b, p, NULL), TSVC_OK);
    tsvc_pubkey_free(p);
    assert_int_equal(tsvc_cert_builder_set_validity(b, T0, T0 + 5 * YEAR, NULL), TSVC_OK);
    if (ca) {
        assert_int_equal(tsvc_cert_builder_set_basic_constraints(b, 1, 0, NULL), TSVC_OK);
        assert_int_equal(tsvc_cert_builder_set_key_usage(
                             b, TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN, 1, NULL),
                         TSVC_OK);
    }
    if (more != NULL)
        more(b);
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *e = NULL;
    if (tsvc_cert_builder_sign(b, issuer_key, TSVC_SIG_NONE, TSVC_HASH_NONE, fmt, &der, &e) !=
        TSVC_OK)
        fail_msg("sign: %s", tsvc_error_message(e));
    tsvc_cert *c = parse(&der);
    if (keep != NULL)
        *keep = der;
    else
        tsvc_buf_dispose(&der);
    tsvc_cert_builder_free(b);
    return c;
}

/* qcStatements: QcCompliance, QcType eseal, semantics legal person. */
static const uint8_t qc_eseal[] = {
    0x30, 0x36, 0x30, 0x08, 0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x01,       /* QcCompliance */
    0x30, 0x13, 0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x06, 0x30, 0x09, 0x06, /* QcType */
    0x07, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x06, 0x02,                               /* eseal */
    0x30, 0x15, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x0b, 0x02,       /* pkixQCSyntax-v2 */
    0x30, 0x09, 0x06, 0x07, 0x04, 0x00, 0x8b, 0xec, 0x49, 0x01, 0x02};            /* legal person */

static void leaf_extensions(tsvc_cert_builder *b)
{
    assert_int_equal(tsvc_cert_builder_set_basic_constraints(b, 0, -1, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_key_usage(b, TSVC_KU_NON_REPUDIATION, 1, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_eku(b, "1.3.6.1.5.5.7.3.4", NULL), TSVC_OK);
    const char *dns = "seal.example.jp";
    assert_int_equal(tsvc_cert_builder_add_san(b, TSVC_GN_DNS, (const uint8_t *)dns,
                                               strlen(dns), NULL),
                     TSVC_OK);
    const uint8_t ip[4] = {192, 0, 2, 7};
    assert_int_equal(tsvc_cert_builder_add_san(b, TSVC_GN_IP, ip, 4, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_crl_uri(b, "http://crl.example.jp/ca.crl", NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_ocsp_uri(b, "http://ocsp.example.jp/", NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_ca_issuers_uri(b, "http://ca.example.jp/ca.cer",
                                                          NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_policy(b, "1.2.392.200091.100.901.4", NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_extension(b, "1.3.6.1.5.5.7.1.3", 0, qc_eseal,
                                                     sizeof(qc_eseal), NULL),
                     TSVC_OK);
}

static void tsa_extensions(tsvc_cert_builder *b)
{
    assert_int_equal(tsvc_cert_builder_set_key_usage(
                         b, TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION, 1, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_eku(b, "1.3.6.1.5.5.7.3.8", NULL), TSVC_OK);
    tsvc_cert_builder_set_eku_critical(b, 1);
}

static int have_openssl(void)
{
    return system("openssl version >/dev/null 2>&1") == 0;
}

static void write_file(const char *path, const tsvc_buf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
}

static void write_cert_pem(const char *path, const tsvc_cert *c)
{
    /* DER is enough for openssl with -inform DER; keep PEM for verify. */
    size_t len = 0;
    const uint8_t *der = tsvc_cert_der(c, &len);
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("-----BEGIN CERTIFICATE-----\n", f);
    size_t col = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)der[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)der[i + 1] << 8;
        if (i + 2 < len)
            v |= der[i + 2];
        char q[4] = {tbl[(v >> 18) & 63], tbl[(v >> 12) & 63],
                     i + 1 < len ? tbl[(v >> 6) & 63] : '=', i + 2 < len ? tbl[v & 63] : '='};
        fwrite(q, 1, 4, f);
        col += 4;
        if (col == 64) {
            fputc('\n', f);
            col = 0;
        }
    }
    if (col)
        fputc('\n', f);
    fputs("-----END CERTIFICATE-----\n", f);
    fclose(f);
}

static void test_chain_round_trip(void **state)
{
    (void)state;
    tsvc_key *rk = gen(TSVC_KEY_ECDSA_P384, 0);
    tsvc_key *ik = gen(TSVC_KEY_ECDSA_P256, 0);
    tsvc_key *lk = gen(TSVC_KEY_ECDSA_P256, 0);
    tsvc_key *tk = gen(TSVC_KEY_ECDSA_P256, 0);
    tsvc_cert *root = make_root(rk);
    tsvc_cert *inter = make_child(root, rk, ik, "CN=Test Issuing CA,O=Example,C=JP", 1, NULL,
                                  TSVC_FORMAT_DER, NULL);
    tsvc_buf leaf_pem = TSVC_BUF_INIT;
    tsvc_cert *leaf = make_child(
        inter, ik, lk,
        "CN=Example Seal,organizationIdentifier=NTRJP-7000012050002,O=Example KK,C=JP", 0,
        leaf_extensions, TSVC_FORMAT_PEM, &leaf_pem);
    tsvc_cert *tsa = make_child(inter, ik, tk, "CN=Test TSA,O=Example,C=JP", 0, tsa_extensions,
                                TSVC_FORMAT_DER, NULL);
    assert_non_null(strstr((const char *)leaf_pem.data, "-----BEGIN CERTIFICATE-----"));

    /* Root: self-signed, v3, serial 1, CA, SKI == AKI. */
    assert_true(tsvc_cert_is_self_issued(root));
    assert_int_equal(tsvc_cert_version(root), 3);
    size_t slen = 0;
    const uint8_t *ser = tsvc_cert_serial(root, &slen);
    assert_int_equal(slen, 1);
    assert_int_equal(ser[0], 1);
    int ca = 0;
    int64_t pl = 0;
    assert_true(tsvc_cert_basic_constraints(root, &ca, &pl));
    assert_true(ca);
    assert_int_equal(pl, -1);
    size_t ski_len = 0, aki_len = 0;
    const uint8_t *ski = tsvc_cert_subject_key_id(root, &ski_len);
    const uint8_t *aki = tsvc_cert_authority_key_id(root, &aki_len);
    assert_non_null(ski);
    assert_non_null(aki);
    assert_int_equal(ski_len, 20);
    assert_memory_equal(ski, aki, 20);
    assert_int_equal(tsvc_cert_not_before(root), T0);
    assert_int_equal(tsvc_cert_not_after(root), T0 + 10 * YEAR);
    assert_int_equal(tsvc_cert_flags(root), 0);

    /* Intermediate: path length 0, AKI = root's SKI. */
    assert_true(tsvc_cert_basic_constraints(inter, &ca, &pl));
    assert_true(ca);
    assert_int_equal(pl, 0);
    aki = tsvc_cert_authority_key_id(inter, &aki_len);
    assert_int_equal(aki_len, 20);
    assert_memory_equal(aki, ski, 20);

    /* Leaf: every extension read back. */
    assert_true(tsvc_cert_basic_constraints(leaf, &ca, &pl));
    assert_false(ca);
    uint32_t ku = 0;
    assert_true(tsvc_cert_key_usage(leaf, &ku));
    assert_int_equal(ku, TSVC_KU_NON_REPUDIATION);
    assert_int_equal(tsvc_cert_num_ekus(leaf), 1);
    assert_true(tsvc_cert_has_eku(leaf, "1.3.6.1.5.5.7.3.4"));
    assert_int_equal(tsvc_cert_num_sans(leaf), 2);
    assert_true(tsvc_cert_match_host(leaf, "seal.example.jp"));
    assert_true(tsvc_cert_match_host(leaf, "192.0.2.7"));
    assert_int_equal(tsvc_cert_num_crl_uris(leaf), 1);
    assert_string_equal(tsvc_cert_crl_uri(leaf, 0), "http://crl.example.jp/ca.crl");
    assert_int_equal(tsvc_cert_num_ocsp_uris(leaf), 1);
    assert_string_equal(tsvc_cert_ocsp_uri(leaf, 0), "http://ocsp.example.jp/");
    assert_int_equal(tsvc_cert_num_ca_issuers_uris(leaf), 1);
    assert_string_equal(tsvc_cert_ca_issuers_uri(leaf, 0), "http://ca.example.jp/ca.cer");
    assert_int_equal(tsvc_cert_num_policies(leaf), 1);
    char oid[64];
    assert_int_equal(tsvc_cert_policy(leaf, 0, oid, sizeof(oid), NULL, NULL), TSVC_OK);
    assert_string_equal(oid, "1.2.392.200091.100.901.4");
    size_t qc_len = 0;
    const uint8_t *qc = tsvc_cert_qc_statements(leaf, &qc_len);
    assert_non_null(qc);
    assert_int_equal(tsvc_cert_qc_flags(leaf) & (TSVC_QC_TYPE_ESEAL | TSVC_QC_LEGAL_PERSON),
                     TSVC_QC_TYPE_ESEAL | TSVC_QC_LEGAL_PERSON);
    tsvc_buf org = TSVC_BUF_INIT, orgid = TSVC_BUF_INIT;
    assert_int_equal(tsvc_cert_organization(leaf, &org, &orgid, NULL), TSVC_OK);
    assert_memory_equal(org.data, "Example KK", 10);
    assert_memory_equal(orgid.data, "NTRJP-7000012050002", 19);
    tsvc_buf_dispose(&org);
    tsvc_buf_dispose(&orgid);
    assert_int_equal(tsvc_seal_check_cert(leaf, 0, NULL), TSVC_OK);
    tsvc_buf subj = TSVC_BUF_INIT;
    assert_int_equal(tsvc_cert_subject_text(leaf, &subj, NULL), TSVC_OK);
    assert_non_null(strstr((const char *)subj.data, "organizationIdentifier=NTRJP-7000012050002"));
    tsvc_buf_dispose(&subj);

    /* TSA: EKU critical and only timeStamping. */
    int crit = 0;
    const uint8_t *v = NULL;
    size_t vlen = 0;
    assert_int_equal(tsvc_cert_extension(tsa, &crit, &v, &vlen, "2.5.29.37"), TSVC_OK);
    assert_true(crit);
    assert_int_equal(tsvc_cert_num_ekus(tsa), 1);

    /* Path validation: leaf -> intermediate -> root. */
    tsvc_store *store = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, inter, NULL), TSVC_OK);
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, T0 + YEAR, NULL), TSVC_OK);
    tsvc_report *rep = NULL;
    assert_int_equal(tsvc_validate(g_ctx, &rep, leaf, store, pol, NULL), TSVC_OK);
    if (tsvc_report_indication(rep) != TSVC_INDICATION_PASSED)
        fail_msg("validation: %s", tsvc_report_reason(rep));
    assert_int_equal(tsvc_report_chain_count(rep), 3);
    tsvc_report_free(rep);
    assert_int_equal(tsvc_validate(g_ctx, &rep, tsa, store, pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    tsvc_report_free(rep);
    tsvc_policy_free(pol);
    tsvc_store_free(store);

    /* OpenSSL agrees. */
    if (have_openssl()) {
        char dir[] = "/tmp/tsvc-builder-XXXXXX";
        assert_non_null(mkdtemp(dir));
        char p_root[128], p_inter[128], p_leaf[128], p_tsa[128], cmd[1024];
        snprintf(p_root, sizeof(p_root), "%s/root.pem", dir);
        snprintf(p_inter, sizeof(p_inter), "%s/inter.pem", dir);
        snprintf(p_leaf, sizeof(p_leaf), "%s/leaf.pem", dir);
        snprintf(p_tsa, sizeof(p_tsa), "%s/tsa.pem", dir);
        write_cert_pem(p_root, root);
        write_cert_pem(p_inter, inter);
        write_file(p_leaf, &leaf_pem);
        write_cert_pem(p_tsa, tsa);
        snprintf(cmd, sizeof(cmd), "openssl x509 -in %s -noout -text >/dev/null", p_leaf);
        assert_int_equal(system(cmd), 0);
        snprintf(cmd, sizeof(cmd),
                 "openssl verify -attime %lld -CAfile %s -untrusted %s %s %s >/dev/null",
                 (long long)(T0 + YEAR), p_root, p_inter, p_leaf, p_inter);
        assert_int_equal(system(cmd), 0);
        snprintf(cmd, sizeof(cmd),
                 "openssl verify -attime %lld -purpose timestampsign -CAfile %s -untrusted %s "
                 "%s >/dev/null",
                 (long long)(T0 + YEAR), p_root, p_inter, p_tsa);
        assert_int_equal(system(cmd), 0);
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        assert_int_equal(system(cmd), 0);
    } else {
        print_message("openssl not installed: the OpenSSL cross-check was skipped\n");
    }

    tsvc_buf_dispose(&leaf_pem);
    tsvc_cert_free(tsa);
    tsvc_cert_free(leaf);
    tsvc_cert_free(inter);
    tsvc_cert_free(root);
    tsvc_key_free(tk);
    tsvc_key_free(lk);
    tsvc_key_free(ik);
    tsvc_key_free(rk);
}

static void test_other_algorithms(void **state)
{
    (void)state;
    struct {
        tsvc_key_type type;
        unsigned bits;
        tsvc_sig_scheme scheme;
        tsvc_hash_alg hash;
    } cases[] = {
        {TSVC_KEY_RSA, 2048, TSVC_SIG_NONE, TSVC_HASH_NONE},
        {TSVC_KEY_RSA, 2048, TSVC_SIG_RSA_PSS, TSVC_HASH_SHA256},
        {TSVC_KEY_ED25519, 0, TSVC_SIG_NONE, TSVC_HASH_NONE},
        {TSVC_KEY_ECDSA_P256, 0, TSVC_SIG_ECDSA, TSVC_HASH_SHA384},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tsvc_key *k = NULL;
        if (tsvc_key_generate(g_ctx, &k, cases[i].type, cases[i].bits, NULL) != TSVC_OK)
            continue; /* no backend for this key type in this build */
        tsvc_cert_builder *b = NULL;
        assert_int_equal(tsvc_cert_builder_new(g_ctx, &b, NULL), TSVC_OK);
        assert_int_equal(tsvc_cert_builder_set_subject(b, "CN=Algorithm test", NULL), TSVC_OK);
        tsvc_pubkey *p = pub_of(k);
        assert_int_equal(tsvc_cert_builder_set_public_key(b, p, NULL), TSVC_OK);
        tsvc_buf der = TSVC_BUF_INIT;
        tsvc_error *e = NULL;
        if (tsvc_cert_builder_sign(b, k, cases[i].scheme, cases[i].hash, TSVC_FORMAT_DER, &der,
                                   &e) != TSVC_OK)
            fail_msg("case %zu: %s", i, tsvc_error_message(e));
        tsvc_cert *c = parse(&der);
        if (cases[i].scheme != TSVC_SIG_NONE)
            assert_int_equal(tsvc_cert_sig_scheme(c), cases[i].scheme);
        /* Self-signed: its own key verifies it (a store with it as anchor). */
        tsvc_store *store = NULL;
        assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
        assert_int_equal(tsvc_store_add_anchor(store, c, NULL), TSVC_OK);
        tsvc_policy *pol = NULL;
        assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
        tsvc_report *rep = NULL;
        assert_int_equal(tsvc_validate(g_ctx, &rep, c, store, pol, NULL), TSVC_OK);
        assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
        tsvc_report_free(rep);
        tsvc_policy_free(pol);
        tsvc_store_free(store);
        tsvc_cert_free(c);
        tsvc_buf_dispose(&der);
        tsvc_pubkey_free(p);
        tsvc_cert_builder_free(b);
        tsvc_key_free(k);
    }
}

static void test_refusals(void **state)
{
    (void)state;
    tsvc_key *k = gen(TSVC_KEY_ECDSA_P256, 0);
    tsvc_key *other = gen(TSVC_KEY_ECDSA_P256, 0);
    tsvc_pubkey *p = pub_of(k);
    tsvc_cert_builder *b = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc_cert_builder_new(NULL, &b, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_new(g_ctx, &b, NULL), TSVC_OK);

    /* No subject, then no key. */
    assert_int_equal(tsvc_cert_builder_sign(b, k, TSVC_SIG_NONE, TSVC_HASH_NONE,
                                            TSVC_FORMAT_DER, &der, NULL),
                     TSVC_ERR_STATE);
    assert_int_equal(tsvc_cert_builder_set_subject(b, "CN=x", NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_sign(b, k, TSVC_SIG_NONE, TSVC_HASH_NONE,
                                            TSVC_FORMAT_DER, &der, NULL),
                     TSVC_ERR_STATE);
    assert_int_equal(tsvc_cert_builder_set_public_key(b, p, NULL), TSVC_OK);
    /* Self-signed with another key. */
    assert_int_equal(tsvc_cert_builder_sign(b, other, TSVC_SIG_NONE, TSVC_HASH_NONE,
                                            TSVC_FORMAT_DER, &der, NULL),
                     TSVC_ERR_KEY_MISMATCH);
    assert_null(der.data);

    /* Bad values. */
    assert_int_not_equal(tsvc_cert_builder_set_subject(b, "CN", NULL), TSVC_OK);
    const uint8_t zero[2] = {0, 0}, big[21] = {1};
    assert_int_equal(tsvc_cert_builder_set_serial(b, zero, 2, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_set_serial(b, big, 21, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_set_validity(b, 100, 99, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_set_basic_constraints(b, 0, 2, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_set_key_usage(b, 0, 1, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_add_eku(b, "1..2", NULL), TSVC_ERR_DER_OID);
    const uint8_t ip3[3] = {1, 2, 3};
    assert_int_equal(tsvc_cert_builder_add_san(b, TSVC_GN_IP, ip3, 3, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_add_san(b, TSVC_GN_DNS, (const uint8_t *)"a\nb", 3, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_builder_add_crl_uri(b, "http://x/\x01", NULL),
                     TSVC_ERR_INVALID_ARG);
    const uint8_t null_el[] = {0x05, 0x00}, trailing[] = {0x05, 0x00, 0x00};
    assert_int_equal(tsvc_cert_builder_add_extension(b, "2.5.29.19", 1, null_el, 2, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_not_equal(tsvc_cert_builder_add_extension(b, "1.2.3.4", 0, trailing, 3, NULL),
                         TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_extension(b, "1.2.3.4", 0, null_el, 2, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_cert_builder_add_extension(b, "1.2.3.4", 0, null_el, 2, NULL),
                     TSVC_ERR_CERT_DUPLICATE_EXTENSION);

    /* Without key identifiers, still a good certificate. */
    tsvc_cert_builder_set_key_ids(b, 0, 0);
    assert_int_equal(tsvc_cert_builder_sign(b, k, TSVC_SIG_NONE, TSVC_HASH_NONE,
                                            TSVC_FORMAT_DER, &der, NULL),
                     TSVC_OK);
    tsvc_cert *c = parse(&der);
    size_t len = 0;
    assert_null(tsvc_cert_subject_key_id(c, &len));
    /* A random serial: positive, 16 bytes. */
    const uint8_t *serial = tsvc_cert_serial(c, &len);
    assert_int_equal(len, 16);
    assert_true((serial[0] & 0x80) == 0);
    tsvc_cert_free(c);
    tsvc_buf_dispose(&der);

    tsvc_cert_builder_free(b);
    tsvc_cert_builder_free(NULL);
    tsvc_pubkey_free(p);
    tsvc_key_free(other);
    tsvc_key_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_round_trip),
        cmocka_unit_test(test_other_algorithms),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests_name("x509-builder", tests, setup, teardown);
}
