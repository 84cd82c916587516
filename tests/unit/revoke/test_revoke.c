/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the revoke layer and of revocation in path validation:
 * CRLs and OCSP responses made by the openssl command line
 * (tests/data/revoke/make-revocation.sh) and by our own builders, every
 * verdict and refusal with its exact status, and the sub-indications of
 * tsvc_validate() in soft-fail and hard-fail modes, with store material
 * and with a fake fetch callback that serves files (no network).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include "core/core.h"
#include "revoke/revoke.h"
#include "trustsvc/fetch.h"
#include "trustsvc/revoke.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"
#include "trustsvc/x509.h"

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

static tsvc_ctx *g_ctx;

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

static blob load(const char *name)
{
    blob b = {NULL, 0};
    const char *root = getenv("TSVC_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/revoke/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(n > 0);
    b.data = malloc((size_t)n);
    assert_non_null(b.data);
    b.len = fread(b.data, 1, (size_t)n, f);
    fclose(f);
    assert_int_equal(b.len, (size_t)n);
    return b;
}

static tsvc_cert *cert(const char *name)
{
    blob b = load(name);
    tsvc_cert *c = NULL;
    assert_int_equal(tsvc_cert_parse(g_ctx, &c, b.data, b.len, NULL), TSVC_OK);
    free(b.data);
    return c;
}

static tsvc_key *key(const char *name)
{
    blob b = load(name);
    tsvc_key *k = NULL;
    assert_int_equal(tsvc_key_import(g_ctx, &k, b.data, b.len, NULL), TSVC_OK);
    free(b.data);
    return k;
}

static tsvc_crl *crl_file(const char *name)
{
    blob b = load(name);
    tsvc_crl *c = NULL;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_crl_parse(g_ctx, &c, b.data, b.len, &err);
    if (st != TSVC_OK)
        fail_msg("%s: %s", name, tsvc_error_message(err));
    free(b.data);
    return c;
}

static tsvc_ocsp_response *ocsp_file(const char *name)
{
    blob b = load(name);
    tsvc_ocsp_response *r = NULL;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_ocsp_response_parse(g_ctx, &r, b.data, b.len, &err);
    if (st != TSVC_OK)
        fail_msg("%s: %s", name, tsvc_error_message(err));
    free(b.data);
    return r;
}

/* The PKI of make-revocation.sh, loaded once. */
static tsvc_cert *root, *ica, *ica_revoked, *leaf_good, *leaf_revoked, *leaf_later,
    *leaf_unknown, *responder, *responder_noeku, *responder_plain, *other, *other_leaf, *ca_nocrlsign,
    *leaf_nocrlsign, *leaf_of_revoked_ica;
static tsvc_key *root_key, *ica_key, *responder_key, *responder_noeku_key, *responder_plain_key;

static int64_t T_CRL; /* 2026-01-15T00:00:00Z: the openssl CRLs are current */

static int setup(void **state)
{
    (void)state;
    if (tsvc_ctx_new(&g_ctx, NULL, NULL) != TSVC_OK)
        return -1;
    T_CRL = tsvc__time_from_civil(2026, 1, 15, 0, 0, 0);
    root = cert("root.pem");
    ica = cert("ica.pem");
    ica_revoked = cert("ica-revoked.pem");
    leaf_good = cert("leaf-good.pem");
    leaf_revoked = cert("leaf-revoked.pem");
    leaf_later = cert("leaf-later.pem");
    leaf_unknown = cert("leaf-unknown.pem");
    responder = cert("responder.pem");
    responder_noeku = cert("responder-noeku.pem");
    responder_plain = cert("responder-plain.pem");
    other = cert("other.pem");
    other_leaf = cert("other-leaf.pem");
    ca_nocrlsign = cert("ca-nocrlsign.pem");
    leaf_nocrlsign = cert("leaf-nocrlsign.pem");
    leaf_of_revoked_ica = cert("leaf-of-revoked-ica.pem");
    root_key = key("root.key");
    ica_key = key("ica.key");
    responder_key = key("responder.key");
    responder_noeku_key = key("responder-noeku.key");
    responder_plain_key = key("responder-plain.key");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_cert *all[] = {root, ica, ica_revoked, leaf_good, leaf_revoked, leaf_later,
                        leaf_unknown, responder, responder_noeku, responder_plain, other,
                        other_leaf,
                        ca_nocrlsign, leaf_nocrlsign, leaf_of_revoked_ica};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        tsvc_cert_free(all[i]);
    tsvc_key_free(root_key);
    tsvc_key_free(ica_key);
    tsvc_key_free(responder_key);
    tsvc_key_free(responder_noeku_key);
    tsvc_key_free(responder_plain_key);
    tsvc_ctx_free(g_ctx);
    return 0;
}

/* Status of @p c by @p crl at @p when, expecting @p want_st. */
static tsvc_cert_status crl_status(const char *file, const tsvc_cert *c, const tsvc_cert *iss,
                                   int64_t when, tsvc_status want_st)
{
    tsvc_crl *crl = crl_file(file);
    tsvc_cert_status s = TSVC_CERT_STATUS_UNKNOWN;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_crl_check(g_ctx, &s, NULL, NULL, crl, c, iss, when, 0, &err);
    if (st != want_st)
        fail_msg("%s: got %d (%s), want %d", file, st, err ? tsvc_error_message(err) : "",
                 want_st);
    tsvc_error_free(err);
    tsvc_crl_free(crl);
    return s;
}

/* ------------------------------------------------------------------ */
/* CRLs made by openssl ca -gencrl                                     */
/* ------------------------------------------------------------------ */

static void crl_parse_openssl(void **state)
{
    (void)state;
    tsvc_crl *der = crl_file("ica-crl.der");
    tsvc_crl *pem = crl_file("ica-crl.pem");
    size_t a, b;
    const uint8_t *da = tsvc_crl_der(der, &a), *db = tsvc_crl_der(pem, &b);
    assert_int_equal(a, b);
    assert_memory_equal(da, db, a);
    assert_int_equal(tsvc_crl_num_entries(der), 3);
    uint64_t number = 0;
    assert_int_equal(tsvc_crl_number(der, &number), 1);
    assert_int_equal(number, 1);
    assert_int_equal(tsvc_crl_this_update(der), tsvc__time_from_civil(2026, 1, 1, 0, 0, 0));
    int64_t nu = 0;
    assert_int_equal(tsvc_crl_next_update(der, &nu), 1);
    assert_int_equal(nu, tsvc__time_from_civil(2026, 2, 1, 0, 0, 0));

    size_t sl;
    const uint8_t *serial = tsvc_cert_serial(leaf_revoked, &sl);
    int64_t rt = 0, inv = -1;
    tsvc_crl_reason reason = TSVC_REASON_NONE;
    assert_int_equal(tsvc_crl_lookup(der, serial, sl, &rt, &reason, &inv), TSVC_OK);
    assert_int_equal(rt, tsvc__time_from_civil(2025, 12, 1, 0, 0, 0));
    assert_int_equal(reason, TSVC_REASON_KEY_COMPROMISE);
    assert_int_equal(inv, tsvc__time_from_civil(2025, 11, 30, 0, 0, 0));
    serial = tsvc_cert_serial(leaf_good, &sl);
    assert_int_equal(tsvc_crl_lookup(der, serial, sl, NULL, NULL, NULL), TSVC_ERR_NOT_FOUND);
    assert_int_equal(tsvc_crl_verify(g_ctx, der, ica, T_CRL, 0, NULL), TSVC_OK);
    tsvc_crl_free(der);
    tsvc_crl_free(pem);
}

static void crl_good_revoked_later(void **state)
{
    (void)state;
    assert_int_equal(crl_status("ica-crl.der", leaf_good, ica, T_CRL, TSVC_OK),
                     TSVC_CERT_STATUS_GOOD);
    assert_int_equal(crl_status("ica-crl.der", leaf_revoked, ica, T_CRL, TSVC_OK),
                     TSVC_CERT_STATUS_REVOKED);
    /* Revoked 2026-01-20, after the validation time: good at that time. */
    assert_int_equal(crl_status("ica-crl.der", leaf_later, ica, T_CRL, TSVC_OK),
                     TSVC_CERT_STATUS_GOOD);
    assert_int_equal(crl_status("ica-crl.der", leaf_later, ica,
                                tsvc__time_from_civil(2026, 1, 25, 0, 0, 0), TSVC_OK),
                     TSVC_CERT_STATUS_REVOKED);
    assert_int_equal(crl_status("root-crl.der", ica_revoked, root, T_CRL, TSVC_OK),
                     TSVC_CERT_STATUS_REVOKED);
    assert_int_equal(crl_status("root-crl.der", ica, root, T_CRL, TSVC_OK),
                     TSVC_CERT_STATUS_GOOD);
}

static void crl_expired(void **state)
{
    (void)state;
    crl_status("ica-crl-expired.der", leaf_good, ica, T_CRL, TSVC_ERR_CRL_EXPIRED);
}

static void crl_not_yet_valid(void **state)
{
    (void)state;
    crl_status("ica-crl-notyet.der", leaf_good, ica, T_CRL, TSVC_ERR_CRL_NOT_YET_VALID);
}

static void crl_bad_signature(void **state)
{
    (void)state;
    crl_status("ica-crl-badsig.der", leaf_good, ica, T_CRL, TSVC_ERR_CRL_SIGNATURE);
    /* Signed by ICA, checked as if issued by Other Root: wrong issuer. */
    crl_status("ica-crl.der", other_leaf, other, T_CRL, TSVC_ERR_CRL_ISSUER);
}

static void crl_unknown_critical_extension(void **state)
{
    (void)state;
    crl_status("ica-crl-critical.der", leaf_good, ica, T_CRL, TSVC_ERR_CRL_UNKNOWN_CRITICAL);
}

static void crl_issuing_distribution_point(void **state)
{
    (void)state;
    assert_int_equal(crl_status("ica-crl-idp.der", leaf_good, ica, T_CRL, TSVC_OK),
                     TSVC_CERT_STATUS_GOOD);
    assert_int_equal(crl_status("ica-crl-idp.der", leaf_revoked, ica, T_CRL, TSVC_OK),
                     TSVC_CERT_STATUS_REVOKED);
    crl_status("ica-crl-idp-other.der", leaf_good, ica, T_CRL, TSVC_ERR_CRL_SCOPE);
    crl_status("root-crl-onlyuser.der", ica, root, T_CRL, TSVC_ERR_CRL_SCOPE);
}

static void crl_issuer_without_crlsign(void **state)
{
    (void)state;
    crl_status("nocrlsign-crl.der", leaf_nocrlsign, ca_nocrlsign, T_CRL, TSVC_ERR_CRL_KEY_USAGE);
}

static void crl_malformed_inputs(void **state)
{
    (void)state;
    blob b = load("ica-crl.der");
    tsvc_crl *c = NULL;
    /* Every truncation fails cleanly. */
    for (size_t n = 0; n < b.len; n++) {
        tsvc_status st = tsvc_crl_parse(g_ctx, &c, b.data, n, NULL);
        assert_int_not_equal(st, TSVC_OK);
        assert_null(c);
    }
    /* Trailing data. */
    uint8_t *longer = malloc(b.len + 1);
    memcpy(longer, b.data, b.len);
    longer[b.len] = 0;
    assert_int_equal(tsvc_crl_parse(g_ctx, &c, longer, b.len + 1, NULL), TSVC_ERR_CRL_FORMAT);
    /* Every single-byte flip: no crash, and either refused or parsed. */
    for (size_t i = 0; i < b.len; i++) {
        memcpy(longer, b.data, b.len);
        longer[i] ^= 0x41;
        if (tsvc_crl_parse(g_ctx, &c, longer, b.len, NULL) == TSVC_OK) {
            tsvc_cert_status s;
            tsvc_status st = tsvc_crl_check(g_ctx, &s, NULL, NULL, c, leaf_good, ica, T_CRL, 0,
                                            NULL);
            assert_true(st <= 0);
            tsvc_crl_free(c);
            c = NULL;
        }
    }
    free(longer);
    free(b.data);
}

/* ------------------------------------------------------------------ */
/* CRLs made by our builder                                            */
/* ------------------------------------------------------------------ */

static tsvc_crl *build_crl(tsvc_crl_builder *b)
{
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_crl *c = NULL;
    tsvc_error *err = NULL;
    if (tsvc_crl_builder_finish(b, &out, &err) != TSVC_OK)
        fail_msg("finish: %s", tsvc_error_message(err));
    if (tsvc_crl_parse(g_ctx, &c, out.data, out.len, &err) != TSVC_OK)
        fail_msg("parse: %s", tsvc_error_message(err));
    tsvc_buf_dispose(&out);
    return c;
}

static void crl_builder_roundtrip(void **state)
{
    (void)state;
    tsvc_crl_builder *b = NULL;
    size_t sl;
    const uint8_t *s;
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b, ica, ica_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_times(b, T_CRL - 86400, T_CRL + 86400, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_number(b, 42, NULL), TSVC_OK);
    s = tsvc_cert_serial(leaf_revoked, &sl);
    assert_int_equal(tsvc_crl_builder_add(b, s, sl, T_CRL - 3600, TSVC_REASON_KEY_COMPROMISE,
                                          NULL),
                     TSVC_OK);
    s = tsvc_cert_serial(leaf_later, &sl);
    assert_int_equal(tsvc_crl_builder_add(b, s, sl, T_CRL + 3600, TSVC_REASON_NONE, NULL),
                     TSVC_OK);
    /* A key that is not the issuer's. */
    tsvc_crl_builder *bad = NULL;
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &bad, ica, root_key, NULL),
                     TSVC_ERR_KEY_MISMATCH);
    tsvc_crl *c = build_crl(b);
    uint64_t num = 0;
    assert_int_equal(tsvc_crl_number(c, &num), 1);
    assert_int_equal(num, 42);
    tsvc_cert_status st;
    int64_t rt = 0;
    tsvc_crl_reason reason;
    assert_int_equal(tsvc_crl_check(g_ctx, &st, &rt, &reason, c, leaf_revoked, ica, T_CRL, 0,
                                    NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_REVOKED);
    assert_int_equal(rt, T_CRL - 3600);
    assert_int_equal(reason, TSVC_REASON_KEY_COMPROMISE);
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_later, ica, T_CRL, 0, NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_GOOD);
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_good, ica, T_CRL, 0, NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_GOOD);
    /* Expired / not yet valid relative to the validation time. */
    assert_int_equal(tsvc_crl_verify(g_ctx, c, ica, T_CRL + 2 * 86400, 0, NULL),
                     TSVC_ERR_CRL_EXPIRED);
    assert_int_equal(tsvc_crl_verify(g_ctx, c, ica, T_CRL - 2 * 86400, 0, NULL),
                     TSVC_ERR_CRL_NOT_YET_VALID);
    tsvc_crl_free(c);

    /* An unknown critical extension makes the CRL unusable; a non-critical one does not. */
    assert_int_equal(tsvc_crl_builder_add_extension(b, "1.3.6.1.4.1.55738.666.2", 0,
                                                    (const uint8_t *)"\x05\x00", 2, NULL),
                     TSVC_OK);
    c = build_crl(b);
    assert_int_equal(tsvc_crl_verify(g_ctx, c, ica, T_CRL, 0, NULL), TSVC_OK);
    tsvc_crl_free(c);
    assert_int_equal(tsvc_crl_builder_add_extension(b, "1.3.6.1.4.1.55738.666.1", 1,
                                                    (const uint8_t *)"\x05\x00", 2, NULL),
                     TSVC_OK);
    c = build_crl(b);
    assert_int_equal(tsvc_crl_verify(g_ctx, c, ica, T_CRL, 0, NULL),
                     TSVC_ERR_CRL_UNKNOWN_CRITICAL);
    tsvc_crl_free(c);
    tsvc_crl_builder_free(b);
}

/* A CRL of @p iss valid around T_CRL with one extra critical extension. */
static tsvc_crl *crl_with_ext(const tsvc_cert *iss, const tsvc_key *k, const char *oid,
                              const uint8_t *value, size_t len)
{
    tsvc_crl_builder *b = NULL;
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b, iss, k, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_times(b, T_CRL - 86400, T_CRL + 86400, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_add_extension(b, oid, 1, value, len, NULL), TSVC_OK);
    tsvc_crl *c = build_crl(b);
    tsvc_crl_builder_free(b);
    return c;
}

static void crl_builder_scope_delta_indirect(void **state)
{
    (void)state;
    tsvc_crl *c;
    tsvc_cert_status st;
    /* issuingDistributionPoint { onlyContainsUserCerts TRUE }, critical. */
    static const uint8_t idp_user[] = {0x30, 0x03, 0x81, 0x01, 0xff};
    static const uint8_t idp_ca[] = {0x30, 0x03, 0x82, 0x01, 0xff};
    static const uint8_t idp_indirect[] = {0x30, 0x03, 0x84, 0x01, 0xff};
    static const uint8_t idp_reasons[] = {0x30, 0x04, 0x83, 0x02, 0x06, 0x40}; /* keyCompromise */
    static const uint8_t delta[] = {0x02, 0x01, 0x05};

    c = crl_with_ext(ica, ica_key, "2.5.29.28", idp_user, sizeof(idp_user));
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_good, ica, T_CRL, 0, NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_GOOD);
    tsvc_crl_free(c);

    /* ICA is a CA: a user-certificates-only CRL does not cover it. */
    c = crl_with_ext(root, root_key, "2.5.29.28", idp_user, sizeof(idp_user));
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, ica, root, T_CRL, 0, NULL),
                     TSVC_ERR_CRL_SCOPE);
    tsvc_crl_free(c);

    c = crl_with_ext(ica, ica_key, "2.5.29.28", idp_ca, sizeof(idp_ca));
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_good, ica, T_CRL, 0, NULL),
                     TSVC_ERR_CRL_SCOPE);
    tsvc_crl_free(c);

    /* Only some reasons: not a complete answer on its own. */
    c = crl_with_ext(ica, ica_key, "2.5.29.28", idp_reasons, sizeof(idp_reasons));
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_good, ica, T_CRL, 0, NULL),
                     TSVC_ERR_CRL_SCOPE);
    tsvc_crl_free(c);

    /* An indirect CRL of the CA itself covers the CA's certificates (the
     * entries without certificateIssuer are the CRL issuer's). */
    c = crl_with_ext(ica, ica_key, "2.5.29.28", idp_indirect, sizeof(idp_indirect));
    assert_int_equal(tsvc_crl_verify(g_ctx, c, ica, T_CRL, 0, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_good, ica, T_CRL, 0, NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_GOOD);
    tsvc_crl_free(c);

    /* A delta CRL verifies as a CRL but decides nothing alone. */
    c = crl_with_ext(ica, ica_key, "2.5.29.27", delta, sizeof(delta));
    assert_int_equal(tsvc_crl_verify(g_ctx, c, ica, T_CRL, 0, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_good, ica, T_CRL, 0, NULL),
                     TSVC_ERR_CRL_DELTA);
    tsvc_crl_free(c);
}

static void crl_large_lookup(void **state)
{
    (void)state;
    tsvc_crl_builder *b = NULL;
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b, ica, ica_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_times(b, T_CRL - 86400, T_CRL + 86400, NULL), TSVC_OK);
    /* 20000 entries added in descending order (the builder sorts them). */
    for (uint32_t i = 20000; i > 0; i--) {
        uint8_t s[4] = {0x10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        assert_int_equal(tsvc_crl_builder_add(b, s, 4, T_CRL - 10, TSVC_REASON_SUPERSEDED,
                                              NULL),
                         TSVC_OK);
    }
    tsvc_crl *c = build_crl(b);
    assert_int_equal(tsvc_crl_num_entries(c), 20000);
    for (uint32_t i = 1; i <= 20000; i += 997) {
        uint8_t s[4] = {0x10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        tsvc_crl_reason r;
        assert_int_equal(tsvc_crl_lookup(c, s, 4, NULL, &r, NULL), TSVC_OK);
        assert_int_equal(r, TSVC_REASON_SUPERSEDED);
    }
    uint8_t absent[4] = {0x10, 0x7f, 0, 0};
    assert_int_equal(tsvc_crl_lookup(c, absent, 4, NULL, NULL, NULL), TSVC_ERR_NOT_FOUND);
    tsvc_crl_free(c);
    /* Serials sharing their first seven octets (the index key): 200 of them. */
    tsvc_crl_builder *b2 = NULL;
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b2, ica, ica_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_times(b2, T_CRL - 86400, T_CRL + 86400, NULL),
                     TSVC_OK);
    for (uint32_t i = 0; i < 200; i += 2) {
        uint8_t s10[10] = {0x11, 1, 2, 3, 4, 5, 6, 7, (uint8_t)(i >> 8), (uint8_t)i};
        assert_int_equal(tsvc_crl_builder_add(b2, s10, 10, T_CRL - 10, TSVC_REASON_NONE, NULL),
                         TSVC_OK);
    }
    c = build_crl(b2);
    for (uint32_t i = 0; i < 200; i++) {
        uint8_t s10[10] = {0x11, 1, 2, 3, 4, 5, 6, 7, (uint8_t)(i >> 8), (uint8_t)i};
        assert_int_equal(tsvc_crl_lookup(c, s10, 10, NULL, NULL, NULL),
                         i % 2 == 0 ? TSVC_OK : TSVC_ERR_NOT_FOUND);
    }
    tsvc_crl_builder_free(b2);
    tsvc_crl_free(c);
    /* The same serial twice is refused by the builder. */
    uint8_t s[4] = {0x10, 0, 0, 1};
    assert_int_equal(tsvc_crl_builder_add(b, s, 4, T_CRL, TSVC_REASON_NONE, NULL), TSVC_OK);
    tsvc_buf out = TSVC_BUF_INIT;
    assert_int_equal(tsvc_crl_builder_finish(b, &out, NULL), TSVC_ERR_INVALID_ARG);
    tsvc_crl_builder_free(b);
}

/* ------------------------------------------------------------------ */
/* OCSP responses made by openssl ocsp -index                          */
/* ------------------------------------------------------------------ */

static tsvc_status ocsp_status(const char *file, const tsvc_cert *c, int64_t offset,
                               const tsvc_ocsp_verify_options *opts, tsvc_cert_status *out)
{
    tsvc_ocsp_response *r = ocsp_file(file);
    tsvc_error *err = NULL;
    tsvc_cert_status s = (tsvc_cert_status)-1;
    int64_t when = tsvc_ocsp_response_produced_at(r) + offset;
    tsvc_status st = tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, c, ica, when, opts, &err);
    if (st != TSVC_OK)
        assert_int_equal(tsvc_error_code(err), st);
    tsvc_error_free(err);
    tsvc_ocsp_response_free(r);
    if (out != NULL)
        *out = s;
    return st;
}

static void ocsp_openssl_statuses(void **state)
{
    (void)state;
    tsvc_cert_status s;
    assert_int_equal(ocsp_status("ocsp-good.der", leaf_good, 60, NULL, &s), TSVC_OK);
    assert_int_equal(s, TSVC_CERT_STATUS_GOOD);
    assert_int_equal(ocsp_status("ocsp-revoked.der", leaf_revoked, 60, NULL, &s), TSVC_OK);
    assert_int_equal(s, TSVC_CERT_STATUS_REVOKED);
    assert_int_equal(ocsp_status("ocsp-unknown.der", leaf_unknown, 60, NULL, &s), TSVC_OK);
    assert_int_equal(s, TSVC_CERT_STATUS_UNKNOWN);
    assert_int_equal(ocsp_status("ocsp-good-by-ca.der", leaf_good, 60, NULL, &s), TSVC_OK);
    assert_int_equal(s, TSVC_CERT_STATUS_GOOD);
    assert_int_equal(ocsp_status("ocsp-good-bykey.der", leaf_good, 60, NULL, &s), TSVC_OK);
    assert_int_equal(s, TSVC_CERT_STATUS_GOOD);
    assert_int_equal(ocsp_status("ocsp-sha256.der", leaf_good, 60, NULL, &s), TSVC_OK);
    assert_int_equal(s, TSVC_CERT_STATUS_GOOD);

    tsvc_ocsp_response *r = ocsp_file("ocsp-revoked.der");
    int64_t rt = 0;
    tsvc_crl_reason reason;
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, &rt, &reason, r, leaf_revoked, ica,
                                               tsvc_ocsp_response_produced_at(r), NULL, NULL),
                     TSVC_OK);
    assert_int_equal(rt, tsvc__time_from_civil(2025, 12, 1, 0, 0, 0));
    assert_int_equal(reason, TSVC_REASON_KEY_COMPROMISE);
    /* At a time before the revocation, the same response says good. */
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_revoked, ica,
                                               tsvc__time_from_civil(2025, 11, 1, 0, 0, 0),
                                               NULL, NULL),
                     TSVC_ERR_OCSP_NOT_YET_VALID);
    tsvc_ocsp_response_free(r);
}

static void ocsp_openssl_refusals(void **state)
{
    (void)state;
    /* Delegated responder without id-kp-OCSPSigning. */
    assert_int_equal(ocsp_status("ocsp-noeku.der", leaf_good, 60, NULL, NULL),
                     TSVC_ERR_OCSP_RESPONDER);
    /* Responder certificate left out: nothing matches the responderID. */
    assert_int_equal(ocsp_status("ocsp-nocerts.der", leaf_good, 60, NULL, NULL),
                     TSVC_ERR_OCSP_RESPONDER_ID);
    /* Same serial under another issuer: wrong issuer key hash. */
    assert_int_equal(ocsp_status("ocsp-otherissuer.der", leaf_revoked, 60, NULL, NULL),
                     TSVC_ERR_OCSP_CERT_MISMATCH);
    /* A response about another certificate is reported as such, not "unknown". */
    assert_int_equal(ocsp_status("ocsp-good.der", leaf_revoked, 60, NULL, NULL),
                     TSVC_ERR_OCSP_CERT_MISMATCH);
    /* Stale: nextUpdate (7 days) passed; max age exceeded; not yet valid. */
    assert_int_equal(ocsp_status("ocsp-good.der", leaf_good, 8 * 86400, NULL, NULL),
                     TSVC_ERR_OCSP_STALE);
    tsvc_ocsp_verify_options o;
    tsvc_ocsp_verify_options_init(&o);
    o.max_age = 600;
    assert_int_equal(ocsp_status("ocsp-good.der", leaf_good, 3600, &o, NULL),
                     TSVC_ERR_OCSP_STALE);
    assert_int_equal(ocsp_status("ocsp-good.der", leaf_good, -3600, NULL, NULL),
                     TSVC_ERR_OCSP_NOT_YET_VALID);
    o.max_age = 0;
    o.version = 99;
    assert_int_equal(ocsp_status("ocsp-good.der", leaf_good, 60, &o, NULL), TSVC_ERR_BAD_VERSION);
}

/* The nonce of an OpenSSL request: the octets after the nonce OID and its wrappers. */
static size_t request_nonce(const blob *req, uint8_t *out)
{
    static const uint8_t oid[] = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05,
                                  0x07, 0x30, 0x01, 0x02};
    for (size_t i = 0; i + sizeof(oid) + 4 <= req->len; i++) {
        if (memcmp(req->data + i, oid, sizeof(oid)) != 0)
            continue;
        const uint8_t *p = req->data + i + sizeof(oid);
        /* 04 len1 04 len2 nonce */
        if (p[0] != 0x04 || p[2] != 0x04 || p[3] > TSVC_OCSP_MAX_NONCE)
            return 0;
        memcpy(out, p + 4, p[3]);
        return p[3];
    }
    return 0;
}

static void ocsp_openssl_nonce(void **state)
{
    (void)state;
    blob req = load("req-nonce.der");
    uint8_t nonce[TSVC_OCSP_MAX_NONCE];
    size_t n = request_nonce(&req, nonce);
    free(req.data);
    assert_true(n > 0);
    tsvc_ocsp_verify_options o = TSVC_OCSP_VERIFY_OPTIONS_INIT;
    o.nonce = nonce;
    o.nonce_len = n;
    tsvc_cert_status s;
    assert_int_equal(ocsp_status("ocsp-nonce.der", leaf_good, 60, &o, &s), TSVC_OK);
    assert_int_equal(s, TSVC_CERT_STATUS_GOOD);
    nonce[0] ^= 1;
    assert_int_equal(ocsp_status("ocsp-nonce.der", leaf_good, 60, &o, NULL), TSVC_ERR_OCSP_NONCE);
    /* A response without a nonce when one was sent. */
    assert_int_equal(ocsp_status("ocsp-good.der", leaf_good, 60, &o, NULL), TSVC_ERR_OCSP_NONCE);
}

static void ocsp_malformed_inputs(void **state)
{
    (void)state;
    blob b = load("ocsp-good.der");
    tsvc_ocsp_response *r = NULL;
    for (size_t n = 0; n < b.len; n++) {
        assert_int_not_equal(tsvc_ocsp_response_parse(g_ctx, &r, b.data, n, NULL), TSVC_OK);
        assert_null(r);
    }
    uint8_t *copy = malloc(b.len);
    for (size_t i = 0; i < b.len; i++) {
        memcpy(copy, b.data, b.len);
        copy[i] ^= 0x41;
        if (tsvc_ocsp_response_parse(g_ctx, &r, copy, b.len, NULL) == TSVC_OK) {
            tsvc_cert_status s;
            tsvc_status st = tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica,
                                                       tsvc_ocsp_response_produced_at(r), NULL,
                                                       NULL);
            assert_true(st <= 0);
            tsvc_ocsp_response_free(r);
            r = NULL;
        }
    }
    free(copy);
    free(b.data);
    /* Error responses carry no body. */
    tsvc_buf e = TSVC_BUF_INIT;
    assert_int_equal(tsvc_ocsp_error_response_build(g_ctx, &e, TSVC_OCSP_TRY_LATER, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_parse(g_ctx, &r, e.data, e.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_get_status(r), TSVC_OCSP_TRY_LATER);
    tsvc_cert_status s;
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica, 0, NULL,
                                               NULL),
                     TSVC_ERR_OCSP_STATUS);
    tsvc_ocsp_response_free(r);
    tsvc_buf_dispose(&e);
}

/* ------------------------------------------------------------------ */
/* OCSP responses and requests made by our builders                    */
/* ------------------------------------------------------------------ */

static tsvc_ocsp_response *build_ocsp(tsvc_ocsp_response_builder *b)
{
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_ocsp_response *r = NULL;
    tsvc_error *err = NULL;
    if (tsvc_ocsp_response_builder_finish(b, &out, &err) != TSVC_OK)
        fail_msg("finish: %s", tsvc_error_message(err));
    if (tsvc_ocsp_response_parse(g_ctx, &r, out.data, out.len, &err) != TSVC_OK)
        fail_msg("parse: %s", tsvc_error_message(err));
    tsvc_buf_dispose(&out);
    return r;
}

static void add_serial(tsvc_ocsp_response_builder *b, const tsvc_cert *c, tsvc_cert_status s,
                       int64_t when, tsvc_crl_reason reason)
{
    size_t sl;
    const uint8_t *serial = tsvc_cert_serial(c, &sl);
    assert_int_equal(tsvc_ocsp_response_builder_add(b, serial, sl, s, when, reason, NULL),
                     TSVC_OK);
}

static void ocsp_builder_roundtrip(void **state)
{
    (void)state;
    const int64_t T = T_CRL;
    tsvc_cert_status s;
    int64_t rt;
    tsvc_crl_reason reason;
    for (int by_key = 0; by_key <= 1; by_key++) {
        for (int delegated = 0; delegated <= 1; delegated++) {
            tsvc_ocsp_response_builder *b = NULL;
            assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica,
                                                            delegated ? responder : ica,
                                                            delegated ? responder_key : ica_key,
                                                            NULL),
                             TSVC_OK);
            assert_int_equal(tsvc_ocsp_response_builder_set_times(b, T - 60, T - 60,
                                                                  T + 86400, NULL),
                             TSVC_OK);
            assert_int_equal(tsvc_ocsp_response_builder_set_ids(
                                 b, by_key ? TSVC_HASH_SHA256 : TSVC_HASH_SHA1, by_key, NULL),
                             TSVC_OK);
            add_serial(b, leaf_good, TSVC_CERT_STATUS_GOOD, 0, TSVC_REASON_NONE);
            add_serial(b, leaf_revoked, TSVC_CERT_STATUS_REVOKED, T - 3600,
                       TSVC_REASON_KEY_COMPROMISE);
            add_serial(b, leaf_later, TSVC_CERT_STATUS_REVOKED, T + 3600, TSVC_REASON_SUPERSEDED);
            add_serial(b, leaf_unknown, TSVC_CERT_STATUS_UNKNOWN, 0, TSVC_REASON_NONE);
            tsvc_ocsp_response *r = build_ocsp(b);
            assert_int_equal(tsvc_ocsp_response_num_single(r), 4);
            assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica,
                                                       T, NULL, NULL),
                             TSVC_OK);
            assert_int_equal(s, TSVC_CERT_STATUS_GOOD);
            assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, &rt, &reason, r, leaf_revoked,
                                                       ica, T, NULL, NULL),
                             TSVC_OK);
            assert_int_equal(s, TSVC_CERT_STATUS_REVOKED);
            assert_int_equal(rt, T - 3600);
            assert_int_equal(reason, TSVC_REASON_KEY_COMPROMISE);
            /* Revocation after the validation time: good at that time. */
            assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_later, ica,
                                                       T, NULL, NULL),
                             TSVC_OK);
            assert_int_equal(s, TSVC_CERT_STATUS_GOOD);
            assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_unknown,
                                                       ica, T, NULL, NULL),
                             TSVC_OK);
            assert_int_equal(s, TSVC_CERT_STATUS_UNKNOWN);
            /* Checked against the wrong issuer. */
            assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, other_leaf,
                                                       other, T, NULL, NULL),
                             TSVC_ERR_OCSP_CERT_MISMATCH);
            tsvc_ocsp_response_free(r);
            tsvc_ocsp_response_builder_free(b);
        }
    }
}

static void ocsp_builder_refusals(void **state)
{
    (void)state;
    const int64_t T = T_CRL;
    tsvc_cert_status s;
    tsvc_ocsp_response_builder *b = NULL;
    /* Delegated responder without OCSPSigning. */
    assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica, responder_noeku,
                                                    responder_noeku_key, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_set_times(b, T, T, T + 600, NULL), TSVC_OK);
    add_serial(b, leaf_good, TSVC_CERT_STATUS_GOOD, 0, TSVC_REASON_NONE);
    tsvc_ocsp_response *r = build_ocsp(b);
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica, T, NULL,
                                               NULL),
                     TSVC_ERR_OCSP_RESPONDER);
    tsvc_ocsp_response_free(r);
    tsvc_ocsp_response_builder_free(b);

    /* A response signed by another CA's key for our CA's certificates: the
     * responderID (Other Root) matches no certificate that may answer. */
    assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica, root, root_key, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_set_times(b, T, T, T + 600, NULL), TSVC_OK);
    add_serial(b, leaf_good, TSVC_CERT_STATUS_GOOD, 0, TSVC_REASON_NONE);
    r = build_ocsp(b);
    /* Root is not the issuer and, although it is included, it is not issued by ICA. */
    tsvc_status st = tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica, T, NULL,
                                               NULL);
    assert_true(st == TSVC_ERR_OCSP_RESPONDER || st == TSVC_ERR_OCSP_RESPONDER_ID);
    tsvc_ocsp_response_free(r);
    tsvc_ocsp_response_builder_free(b);

    /* Nonce echoed / missing / wrong; stale; nothing added. */
    uint8_t nonce[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica, ica, ica_key, NULL), TSVC_OK);
    tsvc_buf empty = TSVC_BUF_INIT;
    assert_int_equal(tsvc_ocsp_response_builder_finish(b, &empty, NULL), TSVC_ERR_STATE);
    assert_int_equal(tsvc_ocsp_response_builder_set_times(b, T, T, T + 600, NULL), TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_set_nonce(b, nonce, sizeof(nonce), NULL),
                     TSVC_OK);
    add_serial(b, leaf_good, TSVC_CERT_STATUS_GOOD, 0, TSVC_REASON_NONE);
    r = build_ocsp(b);
    tsvc_ocsp_verify_options o = TSVC_OCSP_VERIFY_OPTIONS_INIT;
    o.nonce = nonce;
    o.nonce_len = sizeof(nonce);
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica, T, &o,
                                               NULL),
                     TSVC_OK);
    nonce[3] = 0;
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica, T, &o,
                                               NULL),
                     TSVC_ERR_OCSP_NONCE);
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica,
                                               T + 3600, NULL, NULL),
                     TSVC_ERR_OCSP_STALE);
    tsvc_ocsp_response_free(r);
    tsvc_ocsp_response_builder_free(b);
}

static void ocsp_request_build(void **state)
{
    (void)state;
    tsvc_buf req = TSVC_BUF_INIT;
    uint8_t nonce[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    assert_int_equal(tsvc_ocsp_request_build(g_ctx, &req, leaf_good, ica, TSVC_HASH_SHA1, NULL, 0,
                                             NULL),
                     TSVC_OK);
    assert_true(req.len > 50);
    tsvc_buf_dispose(&req);
    assert_int_equal(tsvc_ocsp_request_build(g_ctx, &req, leaf_good, ica, TSVC_HASH_SHA256, nonce,
                                             sizeof(nonce), NULL),
                     TSVC_OK);
    blob b = {req.data, req.len};
    uint8_t got[TSVC_OCSP_MAX_NONCE];
    assert_int_equal(request_nonce(&b, got), sizeof(nonce));
    assert_memory_equal(got, nonce, sizeof(nonce));
    tsvc_buf_dispose(&req);
    assert_int_equal(tsvc_ocsp_request_build(g_ctx, &req, leaf_good, ica, TSVC_HASH_SHA384, NULL,
                                             0, NULL),
                     TSVC_ERR_ALGORITHM);
}

/* ------------------------------------------------------------------ */
/* Revocation in path validation                                       */
/* ------------------------------------------------------------------ */

typedef struct vcase {
    tsvc_revocation_mode mode;
    tsvc_revocation_source source;
    tsvc_revocation_fetch fetch;
    uint32_t flags;
    int64_t max_age;
    int64_t when;
} vcase;

/* Validates @p leaf under the test root with @p num_inters intermediates. */
static tsvc_report *validate_with(const tsvc_cert *leaf, const tsvc_cert *const *inters,
                                  size_t num_inters, tsvc_crl **crls, size_t num_crls,
                                  tsvc_ocsp_response **resps, size_t num_resps, const vcase *vc)
{
    tsvc_store *store = NULL;
    tsvc_policy *pol = NULL;
    tsvc_report *rep = NULL;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    for (size_t i = 0; i < num_inters; i++)
        assert_int_equal(tsvc_store_add_intermediate(store, inters[i], NULL), TSVC_OK);
    for (size_t i = 0; i < num_crls; i++)
        assert_int_equal(tsvc_store_add_crl(store, crls[i], NULL), TSVC_OK);
    for (size_t i = 0; i < num_resps; i++)
        assert_int_equal(tsvc_store_add_ocsp_response(store, resps[i], NULL), TSVC_OK);
    assert_int_equal(tsvc_store_num_crls(store), num_crls);
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, vc->when, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_mode(pol, vc->mode, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_source(pol, vc->source, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_fetch(pol, vc->fetch, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_flags(pol, vc->flags, NULL), TSVC_OK);
    if (vc->max_age > 0)
        assert_int_equal(tsvc_policy_set_revocation_freshness(pol, vc->max_age, 300, NULL),
                         TSVC_OK);
    if (tsvc_validate(g_ctx, &rep, leaf, store, pol, &err) != TSVC_OK)
        fail_msg("validate: %s", tsvc_error_message(err));
    /* Frozen now. */
    assert_int_equal(tsvc_policy_set_revocation_mode(pol, TSVC_REVOCATION_NONE, NULL),
                     TSVC_ERR_POLICY_FROZEN);
    assert_int_equal(tsvc_store_add_crl(store, crls ? crls[0] : NULL, NULL),
                     crls ? TSVC_ERR_STORE_FROZEN : TSVC_ERR_STORE_FROZEN);
    tsvc_policy_free(pol);
    tsvc_store_free(store);
    return rep;
}

static tsvc_report *validate(const tsvc_cert *leaf, const tsvc_cert *inter, tsvc_crl **crls,
                             size_t num_crls, tsvc_ocsp_response **resps, size_t num_resps,
                             const vcase *vc)
{
    return validate_with(leaf, &inter, inter ? 1 : 0, crls, num_crls, resps, num_resps, vc);
}

static void expect(tsvc_report *rep, tsvc_indication ind, tsvc_subindication sub)
{
    if (tsvc_report_indication(rep) != ind || tsvc_report_subindication(rep) != sub) {
        tsvc_buf js = TSVC_BUF_INIT;
        (void)tsvc_report_to_json(rep, &js, NULL);
        fail_msg("got %s/%s (%s), want %s/%s\n%s",
                 tsvc_indication_str(tsvc_report_indication(rep)),
                 tsvc_subindication_str(tsvc_report_subindication(rep)), tsvc_report_reason(rep),
                 tsvc_indication_str(ind), tsvc_subindication_str(sub),
                 js.data ? (const char *)js.data : "");
    }
}

/* True if some check named @p name has a message containing @p text. */
static bool report_has(const tsvc_report *rep, const char *name, const char *text)
{
    for (size_t i = 0; i < tsvc_report_num_checks(rep); i++)
        if (strcmp(tsvc_report_check_name(rep, i), name) == 0 &&
            strstr(tsvc_report_check_message(rep, i), text) != NULL)
            return true;
    return false;
}

static void path_crl_hard_fail(void **state)
{
    (void)state;
    tsvc_crl *crls[2] = {crl_file("ica-crl.der"), crl_file("root-crl.der")};
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_FIRST,
                TSVC_REVOCATION_FETCH_NEVER, 0, 0, T_CRL};
    tsvc_report *rep = validate(leaf_good, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(report_has(rep, "crl", "thisUpdate 2026-01-01T00:00:00Z"));
    assert_true(report_has(rep, "crl", "good at the validation time"));
    tsvc_report_free(rep);

    rep = validate(leaf_revoked, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    assert_true(report_has(rep, "crl", "revoked at 2025-12-01T00:00:00Z, reason keyCompromise"));
    tsvc_report_free(rep);

    vc.flags = TSVC_REVOCATION_TIME_IS_POE;
    rep = validate(leaf_revoked, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_FAILED, TSVC_SUB_REVOKED);
    tsvc_report_free(rep);
    vc.flags = 0;

    /* Revoked after the validation time: good at that time. */
    rep = validate(leaf_later, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(report_has(rep, "crl", "after the validation time"));
    tsvc_report_free(rep);

    /* A revoked intermediate CA (its leaf has no CRL: revoked wins over TRY_LATER). */
    rep = validate(leaf_of_revoked_ica, ica_revoked, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_CA_NO_POE);
    tsvc_report_free(rep);

    /* The ICA's CRL is missing: no usable data for the leaf. */
    rep = validate(leaf_good, ica, &crls[1], 1, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    tsvc_report_free(rep);

    /* Leaf only. */
    vc.flags = TSVC_REVOCATION_LEAF_ONLY;
    rep = validate(leaf_good, ica, crls, 1, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(rep);

    /* Freshness: CRL issued 14 days before the validation time, max age 1 day. */
    vc.max_age = 86400;
    rep = validate(leaf_good, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "crl", "more than 86400 s before the validation time"));
    tsvc_report_free(rep);
    tsvc_crl_free(crls[0]);
    tsvc_crl_free(crls[1]);
}

static void path_crl_unusable(void **state)
{
    (void)state;
    const char *files[] = {"ica-crl-expired.der", "ica-crl-notyet.der", "ica-crl-badsig.der",
                           "ica-crl-critical.der"};
    const char *why[] = {"nextUpdate", "thisUpdate", "signature", "critical"};
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_ONLY,
                TSVC_REVOCATION_FETCH_NEVER, TSVC_REVOCATION_LEAF_ONLY, 0, T_CRL};
    for (size_t i = 0; i < 4; i++) {
        tsvc_crl *c = crl_file(files[i]);
        tsvc_report *rep = validate(leaf_good, ica, &c, 1, NULL, 0, &vc);
        expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
        assert_true(report_has(rep, "crl", why[i]));
        tsvc_report_free(rep);
        /* Soft-fail accepts the chain and says why. */
        vc.mode = TSVC_REVOCATION_SOFT_FAIL;
        rep = validate(leaf_good, ica, &c, 1, NULL, 0, &vc);
        expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
        assert_true(report_has(rep, "revocation-status", "soft-fail"));
        tsvc_report_free(rep);
        vc.mode = TSVC_REVOCATION_HARD_FAIL;
        tsvc_crl_free(c);
    }
    /* No revocation data at all. */
    tsvc_report *rep = validate(leaf_good, ica, NULL, 0, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    tsvc_report_free(rep);
    vc.mode = TSVC_REVOCATION_NONE;
    rep = validate(leaf_good, ica, NULL, 0, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(rep);
}

static tsvc_ocsp_response *ocsp_at(int64_t when, const tsvc_cert *c, tsvc_cert_status s,
                                   int64_t rev)
{
    tsvc_ocsp_response_builder *b = NULL;
    assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica, responder, responder_key,
                                                    NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_set_times(b, when - 60, when - 60, when + 3600,
                                                          NULL),
                     TSVC_OK);
    add_serial(b, c, s, rev, s == TSVC_CERT_STATUS_REVOKED ? TSVC_REASON_KEY_COMPROMISE
                                                            : TSVC_REASON_NONE);
    tsvc_ocsp_response *r = build_ocsp(b);
    tsvc_ocsp_response_builder_free(b);
    return r;
}

static void path_ocsp_and_preference(void **state)
{
    (void)state;
    tsvc_crl *crls[2] = {crl_file("ica-crl.der"), crl_file("root-crl.der")};
    /* OCSP says good for the revoked leaf (made up): the preferred source decides. */
    tsvc_ocsp_response *good = ocsp_at(T_CRL, leaf_revoked, TSVC_CERT_STATUS_GOOD, 0);
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_OCSP_FIRST,
                TSVC_REVOCATION_FETCH_NEVER, 0, 0, T_CRL};
    tsvc_report *rep = validate(leaf_revoked, ica, crls, 2, &good, 1, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(report_has(rep, "ocsp", "signed by delegated responder CN=ICA OCSP Responder"));
    assert_true(report_has(rep, "ocsp-responder", "nocheck"));
    tsvc_report_free(rep);
    vc.source = TSVC_REVOCATION_CRL_FIRST;
    rep = validate(leaf_revoked, ica, crls, 2, &good, 1, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    tsvc_report_free(rep);
    tsvc_ocsp_response_free(good);

    /* OCSP revoked; OCSP "unknown" falls back to the CRL; OCSP only with unknown. */
    tsvc_ocsp_response *rev = ocsp_at(T_CRL, leaf_good, TSVC_CERT_STATUS_REVOKED, T_CRL - 100);
    vc.source = TSVC_REVOCATION_OCSP_ONLY;
    vc.flags = TSVC_REVOCATION_LEAF_ONLY;
    rep = validate(leaf_good, ica, NULL, 0, &rev, 1, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    tsvc_report_free(rep);
    tsvc_ocsp_response_free(rev);
    tsvc_ocsp_response *unk = ocsp_at(T_CRL, leaf_good, TSVC_CERT_STATUS_UNKNOWN, 0);
    rep = validate(leaf_good, ica, NULL, 0, &unk, 1, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "ocsp", "unknown"));
    tsvc_report_free(rep);
    vc.source = TSVC_REVOCATION_OCSP_FIRST;
    rep = validate(leaf_good, ica, crls, 1, &unk, 1, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(rep);
    tsvc_ocsp_response_free(unk);

    /* A stale OCSP response (nextUpdate an hour after T - 60) is not used. */
    tsvc_ocsp_response *stale = ocsp_at(T_CRL - 86400, leaf_good, TSVC_CERT_STATUS_GOOD, 0);
    vc.source = TSVC_REVOCATION_OCSP_ONLY;
    rep = validate(leaf_good, ica, NULL, 0, &stale, 1, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "ocsp", "nextUpdate"));
    tsvc_report_free(rep);
    tsvc_ocsp_response_free(stale);

    /* A response about another certificate is reported as such. */
    tsvc_ocsp_response *otherr = ocsp_at(T_CRL, leaf_later, TSVC_CERT_STATUS_GOOD, 0);
    rep = validate(leaf_good, ica, NULL, 0, &otherr, 1, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    tsvc_report_free(rep);
    tsvc_ocsp_response_free(otherr);
    tsvc_crl_free(crls[0]);
    tsvc_crl_free(crls[1]);
}

static void path_ocsp_responder_without_nocheck(void **state)
{
    (void)state;
    /* A delegated responder without id-pkix-ocsp-nocheck: its own status is
     * checked with the CA's CRLs from the store; it was revoked 2025-12-15. */
    tsvc_ocsp_response_builder *b = NULL;
    assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica, responder_plain,
                                                    responder_plain_key, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_set_times(b, T_CRL - 60, T_CRL - 60,
                                                          T_CRL + 3600, NULL),
                     TSVC_OK);
    add_serial(b, leaf_good, TSVC_CERT_STATUS_GOOD, 0, TSVC_REASON_NONE);
    tsvc_ocsp_response *r = build_ocsp(b);
    tsvc_ocsp_response_builder_free(b);
    /* On its own, the response verifies (the responder is authorised). */
    tsvc_cert_status s;
    assert_int_equal(tsvc_ocsp_response_verify(g_ctx, &s, NULL, NULL, r, leaf_good, ica, T_CRL,
                                               NULL, NULL),
                     TSVC_OK);
    tsvc_crl *crl = crl_file("ica-crl.der");
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_OCSP_ONLY,
                TSVC_REVOCATION_FETCH_NEVER, TSVC_REVOCATION_LEAF_ONLY, 0, T_CRL};
    tsvc_report *rep = validate(leaf_good, ica, &crl, 1, &r, 1, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "ocsp-responder", "revoked"));
    tsvc_report_free(rep);
    /* Without a CRL to check it, the response is used and the report says so. */
    rep = validate(leaf_good, ica, NULL, 0, &r, 1, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(report_has(rep, "ocsp-responder", "without id-pkix-ocsp-nocheck"));
    tsvc_report_free(rep);
    tsvc_crl_free(crl);
    tsvc_ocsp_response_free(r);
}

/* A fake network: URLs map to files or to responses built on the fly. */
typedef struct fake_net {
    int calls;
    int posts;
    bool echo_nonce; /* answer OCSP POSTs with a response echoing the request's nonce */
    const char *crl_file;
} fake_net;

static tsvc_status fake_fetch(void *opaque, const char *url, const char *content_type,
                              const uint8_t *body, size_t body_len, tsvc_buf *response,
                              tsvc_error **err)
{
    fake_net *net = opaque;
    (void)err;
    net->calls++;
    if (strcmp(url, "http://crl.example/leaf.crl") == 0 && body == NULL && net->crl_file) {
        blob b = load(net->crl_file);
        tsvc_status st = tsvc_fetch_response_set(g_ctx, response, b.data, b.len);
        free(b.data);
        return st;
    }
    if (strcmp(url, "http://ocsp.example/ica") == 0 && body != NULL) {
        net->posts++;
        assert_string_equal(content_type, "application/ocsp-request");
        blob req = {(uint8_t *)(uintptr_t)body, body_len};
        uint8_t nonce[TSVC_OCSP_MAX_NONCE];
        size_t n = request_nonce(&req, nonce);
        tsvc_ocsp_response_builder *b = NULL;
        tsvc_buf out = TSVC_BUF_INIT;
        assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica, responder,
                                                        responder_key, NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_ocsp_response_builder_set_times(b, T_CRL - 60, T_CRL - 60,
                                                              T_CRL + 3600, NULL),
                         TSVC_OK);
        if (net->echo_nonce && n > 0)
            assert_int_equal(tsvc_ocsp_response_builder_set_nonce(b, nonce, n, NULL), TSVC_OK);
        add_serial(b, leaf_good, TSVC_CERT_STATUS_GOOD, 0, TSVC_REASON_NONE);
        tsvc_status st = tsvc_ocsp_response_builder_finish(b, &out, NULL);
        tsvc_ocsp_response_builder_free(b);
        if (st == TSVC_OK)
            st = tsvc_fetch_response_set(g_ctx, response, out.data, out.len);
        tsvc_buf_dispose(&out);
        return st;
    }
    return TSVC_ERR_NOT_FOUND;
}

static void path_fetch(void **state)
{
    (void)state;
    fake_net net = {0, 0, true, "ica-crl.der"};
    tsvc_ctx_set_fetch(g_ctx, fake_fetch, &net);
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_OCSP_FIRST,
                TSVC_REVOCATION_FETCH_WHEN_MISSING, TSVC_REVOCATION_LEAF_ONLY, 0, T_CRL};
    tsvc_report *rep = validate(leaf_good, ica, NULL, 0, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(net.posts, 1);
    assert_true(report_has(rep, "ocsp", "http://ocsp.example/ica"));
    tsvc_report_free(rep);

    /* The responder does not echo the nonce: the OCSP answer is refused and
     * the CRL from the distribution point decides. */
    net.echo_nonce = false;
    net.calls = 0;
    rep = validate(leaf_good, ica, NULL, 0, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(net.calls, 2);
    assert_true(report_has(rep, "ocsp", "nonce"));
    assert_true(report_has(rep, "crl", "http://crl.example/leaf.crl"));
    tsvc_report_free(rep);

    /* CRL first, fetched: the revoked leaf. */
    vc.source = TSVC_REVOCATION_CRL_FIRST;
    rep = validate(leaf_revoked, ica, NULL, 0, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    tsvc_report_free(rep);

    /* Caller material is enough: no fetch when the store answers. */
    tsvc_crl *c = crl_file("ica-crl.der");
    net.calls = 0;
    rep = validate(leaf_good, ica, &c, 1, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(net.calls, 0);
    tsvc_report_free(rep);
    /* Always fetch. */
    vc.fetch = TSVC_REVOCATION_FETCH_ALWAYS;
    rep = validate(leaf_good, ica, &c, 1, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(net.calls, 1);
    tsvc_report_free(rep);
    /* Fetch allowed by the policy, but the network fails: hard-fail says TRY_LATER. */
    net.crl_file = NULL;
    vc.fetch = TSVC_REVOCATION_FETCH_WHEN_MISSING;
    rep = validate(leaf_good, ica, NULL, 0, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "fetch", "failed"));
    tsvc_report_free(rep);
    /* Never fetch. */
    vc.fetch = TSVC_REVOCATION_FETCH_NEVER;
    net.calls = 0;
    rep = validate(leaf_good, ica, NULL, 0, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_int_equal(net.calls, 0);
    tsvc_report_free(rep);
    tsvc_crl_free(c);
    tsvc_ctx_set_fetch(g_ctx, NULL, NULL);
}

/* One store and one policy (CRLs and an OCSP response) shared by threads. */
typedef struct shared_run {
    tsvc_store *store;
    tsvc_policy *pol;
    const tsvc_cert *leaf;
    tsvc_subindication want;
    int failures;
} shared_run;

static void *validate_many(void *arg)
{
    shared_run *sr = arg;
    for (int i = 0; i < 25; i++) {
        tsvc_report *rep = NULL;
        if (tsvc_validate(g_ctx, &rep, sr->leaf, sr->store, sr->pol, NULL) != TSVC_OK ||
            tsvc_report_subindication(rep) != sr->want)
            sr->failures++;
        tsvc_report_free(rep);
    }
    return NULL;
}

static void path_shared_between_threads(void **state)
{
    (void)state;
    tsvc_store *store = NULL;
    tsvc_policy *pol = NULL;
    tsvc_crl *crls[2] = {crl_file("ica-crl.der"), crl_file("root-crl.der")};
    tsvc_ocsp_response *good = ocsp_at(T_CRL, leaf_good, TSVC_CERT_STATUS_GOOD, 0);
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, ica, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_crl(store, crls[0], NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_crl(store, crls[1], NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_ocsp_response(store, good, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_num_ocsp_responses(store), 1);
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, T_CRL, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_mode(pol, TSVC_REVOCATION_HARD_FAIL, NULL),
                     TSVC_OK);
    tsvc_store_freeze(store);
    shared_run runs[4] = {
        {store, pol, leaf_good, TSVC_SUB_NONE, 0},
        {store, pol, leaf_revoked, TSVC_SUB_REVOKED_NO_POE, 0},
        {store, pol, leaf_later, TSVC_SUB_NONE, 0},
        {store, pol, leaf_good, TSVC_SUB_NONE, 0},
    };
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, validate_many, &runs[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(runs[i].failures, 0);
    }
    tsvc_policy_free(pol);
    tsvc_store_free(store);
    tsvc_ocsp_response_free(good);
    tsvc_crl_free(crls[0]);
    tsvc_crl_free(crls[1]);
}

static void policy_setters(void **state)
{
    (void)state;
    tsvc_policy *p = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &p, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_mode(p, (tsvc_revocation_mode)7, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_revocation_source(p, (tsvc_revocation_source)9, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_revocation_fetch(p, (tsvc_revocation_fetch)3, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_revocation_freshness(p, -1, 0, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_revocation_freshness(p, 0, 90000, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_revocation_flags(p, 0x80, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_revocation_mode(NULL, TSVC_REVOCATION_NONE, NULL),
                     TSVC_ERR_INVALID_ARG);
    tsvc_policy_free(p);
    assert_string_equal(tsvc_crl_reason_str(TSVC_REASON_KEY_COMPROMISE), "keyCompromise");
    assert_string_equal(tsvc_cert_status_str(TSVC_CERT_STATUS_UNKNOWN), "unknown");
    assert_string_equal(tsvc_status_str(TSVC_ERR_OCSP_CERT_MISMATCH),
                        "OCSP response is about a different certificate");
    assert_int_equal(tsvc_status_family(TSVC_ERR_CRL_DELTA), -600);
}

/* Listing a CRL's entries (tsvc_crl_entry_at): serial, time, reason,
 * invalidity date, in ascending serial order; out of range refused. */
static void crl_entry_listing(void **state)
{
    (void)state;
    tsvc_crl_builder *b = NULL;
    size_t sl_rev = 0, sl_later = 0;
    const uint8_t *s_rev = tsvc_cert_serial(leaf_revoked, &sl_rev);
    const uint8_t *s_later = tsvc_cert_serial(leaf_later, &sl_later);
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b, ica, ica_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_times(b, T_CRL - 86400, T_CRL + 86400, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_add(b, s_later, sl_later, T_CRL + 3600, TSVC_REASON_NONE,
                                          NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_crl_builder_add(b, s_rev, sl_rev, T_CRL - 3600,
                                          TSVC_REASON_KEY_COMPROMISE, NULL),
                     TSVC_OK);
    tsvc_crl *c = build_crl(b);
    assert_int_equal(tsvc_crl_num_entries(c), 2);
    bool seen_rev = false, seen_later = false;
    const uint8_t *prev = NULL;
    size_t prev_len = 0;
    for (size_t i = 0; i < tsvc_crl_num_entries(c); i++) {
        const uint8_t *serial = NULL;
        size_t len = 0;
        int64_t when = 0, inval = -1;
        tsvc_crl_reason reason = TSVC_REASON_UNSPECIFIED;
        assert_int_equal(tsvc_crl_entry_at(c, i, &serial, &len, &when, &reason, &inval),
                         TSVC_OK);
        assert_non_null(serial);
        assert_int_equal(inval, 0);
        if (prev != NULL)
            assert_true(prev_len < len || (prev_len == len && memcmp(prev, serial, len) < 0));
        prev = serial;
        prev_len = len;
        if (len == sl_rev && memcmp(serial, s_rev, len) == 0) {
            seen_rev = true;
            assert_int_equal(when, T_CRL - 3600);
            assert_int_equal(reason, TSVC_REASON_KEY_COMPROMISE);
        } else if (len == sl_later && memcmp(serial, s_later, len) == 0) {
            seen_later = true;
            assert_int_equal(when, T_CRL + 3600);
            assert_int_equal(reason, TSVC_REASON_NONE);
        } else {
            fail_msg("entry %zu names neither certificate", i);
        }
        /* Every output may be NULL. */
        assert_int_equal(tsvc_crl_entry_at(c, i, NULL, NULL, NULL, NULL, NULL), TSVC_OK);
    }
    assert_true(seen_rev && seen_later);
    const uint8_t *untouched = (const uint8_t *)"x";
    assert_int_equal(tsvc_crl_entry_at(c, 2, &untouched, NULL, NULL, NULL, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_memory_equal(untouched, "x", 1);
    assert_int_equal(tsvc_crl_entry_at(NULL, 0, NULL, NULL, NULL, NULL, NULL),
                     TSVC_ERR_INVALID_ARG);
    tsvc_crl_free(c);
    tsvc_crl_builder_free(b);
}

/* Listing an OCSP response's SingleResponses (tsvc_ocsp_response_single_at,
 * tsvc_ocsp_response_single_times), in the order of the encoding. */
static void ocsp_single_listing(void **state)
{
    (void)state;
    const int64_t T = T_CRL;
    tsvc_ocsp_response_builder *b = NULL;
    assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, ica, ica, ica_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_set_times(b, T - 60, T - 120, T + 86400, NULL),
                     TSVC_OK);
    add_serial(b, leaf_good, TSVC_CERT_STATUS_GOOD, 0, TSVC_REASON_NONE);
    add_serial(b, leaf_revoked, TSVC_CERT_STATUS_REVOKED, T - 3600, TSVC_REASON_KEY_COMPROMISE);
    add_serial(b, leaf_unknown, TSVC_CERT_STATUS_UNKNOWN, 0, TSVC_REASON_NONE);
    tsvc_ocsp_response *r = build_ocsp(b);
    const tsvc_cert *certs[3] = {leaf_good, leaf_revoked, leaf_unknown};
    const tsvc_cert_status want[3] = {TSVC_CERT_STATUS_GOOD, TSVC_CERT_STATUS_REVOKED,
                                      TSVC_CERT_STATUS_UNKNOWN};
    assert_int_equal(tsvc_ocsp_response_num_single(r), 3);
    for (size_t i = 0; i < 3; i++) {
        const uint8_t *serial = NULL;
        size_t len = 0, cl = 0;
        tsvc_cert_status st = TSVC_CERT_STATUS_UNKNOWN;
        int64_t rt = -1, tu = 0, nu = 0;
        tsvc_crl_reason reason = TSVC_REASON_UNSPECIFIED;
        const uint8_t *cs = tsvc_cert_serial(certs[i], &cl);
        assert_int_equal(tsvc_ocsp_response_single_at(r, i, &serial, &len, &st, &rt, &reason),
                         TSVC_OK);
        assert_int_equal(len, cl);
        assert_memory_equal(serial, cs, cl);
        assert_int_equal(st, want[i]);
        assert_int_equal(rt, want[i] == TSVC_CERT_STATUS_REVOKED ? T - 3600 : 0);
        assert_int_equal(reason, want[i] == TSVC_CERT_STATUS_REVOKED ? TSVC_REASON_KEY_COMPROMISE
                                                                     : TSVC_REASON_NONE);
        assert_int_equal(tsvc_ocsp_response_single_times(r, i, &tu, &nu), TSVC_OK);
        assert_int_equal(tu, T - 120);
        assert_int_equal(nu, T + 86400);
        assert_int_equal(tsvc_ocsp_response_single_at(r, i, NULL, NULL, NULL, NULL, NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_ocsp_response_single_times(r, i, NULL, NULL), TSVC_OK);
    }
    assert_int_equal(tsvc_ocsp_response_single_at(r, 3, NULL, NULL, NULL, NULL, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_ocsp_response_single_times(r, 3, NULL, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_ocsp_response_single_at(NULL, 0, NULL, NULL, NULL, NULL, NULL),
                     TSVC_ERR_INVALID_ARG);
    tsvc_ocsp_response_free(r);
    tsvc_ocsp_response_builder_free(b);
}

/* ------------------------------------------------------------------ */
/* Indirect and delta CRLs (RFC 5280 5.2.4, 5.3.3, 6.3.3)              */
/* ------------------------------------------------------------------ */

static tsvc__rev_issuer rev_issuer(const tsvc_cert *c, bool webpki)
{
    tsvc__rev_issuer r = {&c->subject, c->pubkey, c, webpki};
    return r;
}

/* tsvc__crl_check_full() must succeed with @p want (and @p reason when revoked). */
static void check_full(const tsvc_crl *crl, const tsvc_crl *delta, const tsvc_cert *cert,
                       const tsvc_cert *issuer, const tsvc_cert *signer, tsvc_cert_status want,
                       tsvc_crl_reason reason)
{
    tsvc__rev_result res;
    tsvc_error *err = NULL;
    tsvc__rev_issuer iss = rev_issuer(issuer, false), sig;
    if (signer != NULL)
        sig = rev_issuer(signer, false);
    tsvc_status st = tsvc__crl_check_full(g_ctx, crl, delta, cert, &iss, signer ? &sig : NULL,
                                          T_CRL, 0, &res, &err);
    if (st != TSVC_OK)
        fail_msg("check: %s", tsvc_error_message(err));
    assert_int_equal(res.status, want);
    if (want == TSVC_CERT_STATUS_REVOKED)
        assert_int_equal(res.reason, reason);
}

/* tsvc__crl_check_full() must fail with @p want and a message containing @p text. */
static void check_full_fails(const tsvc_crl *crl, const tsvc_crl *delta, const tsvc_cert *cert,
                             const tsvc_cert *issuer, const tsvc_cert *signer, bool webpki,
                             tsvc_status want, const char *text)
{
    tsvc__rev_result res;
    tsvc_error *err = NULL;
    tsvc__rev_issuer iss = rev_issuer(issuer, webpki), sig;
    if (signer != NULL)
        sig = rev_issuer(signer, webpki);
    tsvc_status st = tsvc__crl_check_full(g_ctx, crl, delta, cert, &iss, signer ? &sig : NULL,
                                          T_CRL, 0, &res, &err);
    if (st != want || strstr(tsvc_error_message(err), text) == NULL)
        fail_msg("got %d (%s), want %d with \"%s\"", st, err ? tsvc_error_message(err) : "",
                 want, text);
    tsvc_error_free(err);
}

static void crl_indirect_of_the_ca(void **state)
{
    (void)state;
    tsvc_crl *c = crl_file("ica-crl-indirect.der");
    tsvc_cert_status st;
    tsvc_crl_reason reason;
    /* 0x3001 has no certificateIssuer: the ICA's (the CRL issuer's). */
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, &reason, c, leaf_revoked, ica, T_CRL, 0,
                                    NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_REVOKED);
    assert_int_equal(reason, TSVC_REASON_KEY_COMPROMISE);
    /* 0x3000 is listed for Other Root, not for the ICA. */
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_good, ica, T_CRL, 0, NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_GOOD);
    /* 0x3003 follows the Other Root entry and inherits its certificateIssuer. */
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf_unknown, ica, T_CRL, 0,
                                    NULL),
                     TSVC_OK);
    assert_int_equal(st, TSVC_CERT_STATUS_GOOD);
    /* TLS profiles refuse indirect CRLs (CA/B Forum 7.2.2.1). */
    check_full_fails(c, NULL, leaf_good, ica, NULL, true, TSVC_ERR_CRL_INDIRECT, "CA/B Forum");
    tsvc_crl_free(c);
}

static tsvc_report *validate_indirect(const tsvc_cert *leaf, tsvc_crl **crls, size_t n,
                                      const tsvc_cert *crl_signer)
{
    const tsvc_cert *inters[2] = {ica, crl_signer};
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_ONLY, TSVC_REVOCATION_FETCH_NEVER,
                0, 0, T_CRL};
    return validate_with(leaf, inters, crl_signer ? 2 : 1, crls, n, NULL, 0, &vc);
}

static void crl_indirect_of_a_crl_issuer(void **state)
{
    (void)state;
    tsvc_cert *signer = cert("crl-issuer.pem");
    tsvc_cert *leaf = cert("leaf-indirect.pem");
    tsvc_cert *leaf_ok = cert("leaf-indirect-good.pem");
    tsvc_crl *c = crl_file("indirect-crl.der");
    tsvc_crl *noflag = crl_file("indirect-crl-noflag.der");
    tsvc_crl *ica_direct = crl_file("ica-crl.der");
    tsvc_cert_status st;

    check_full(c, NULL, leaf, ica, signer, TSVC_CERT_STATUS_REVOKED,
               TSVC_REASON_KEY_COMPROMISE);
    /* 0x3401 is listed for Other Root only. */
    check_full(c, NULL, leaf_ok, ica, signer, TSVC_CERT_STATUS_GOOD, TSVC_REASON_NONE);
    /* certificateIssuer in a CRL without indirectCRL. */
    check_full_fails(noflag, NULL, leaf, ica, signer, false, TSVC_ERR_CRL_INDIRECT,
                     "not marked indirectCRL");
    assert_int_equal(tsvc_crl_verify(g_ctx, noflag, signer, T_CRL, 0, NULL),
                     TSVC_ERR_CRL_INDIRECT);
    /* Checked against the ICA as the CRL's signer: not the CRL issuer. */
    assert_int_equal(tsvc_crl_check(g_ctx, &st, NULL, NULL, c, leaf, ica, T_CRL, 0, NULL),
                     TSVC_ERR_CRL_ISSUER);
    /* The leaf's distribution point names another CRL issuer: the ICA's own
     * CRL is not in scope (6.3.3 (b)(1)). */
    check_full_fails(ica_direct, NULL, leaf, ica, NULL, false, TSVC_ERR_CRL_ISSUER,
                     "name another CRL issuer");
    /* An indirect CRL for a certificate that names no cRLIssuer. */
    check_full_fails(c, NULL, leaf_good, ica, signer, false, TSVC_ERR_CRL_ISSUER,
                     "neither the certificate issuer nor a cRLIssuer");
    check_full_fails(c, NULL, leaf, ica, signer, true, TSVC_ERR_CRL_INDIRECT, "CA/B Forum");

    /* Path validation finds the CRL issuer's certificate in the store. */
    tsvc_crl *crls[2] = {crl_file("root-crl.der"), c};
    tsvc_report *rep = validate_indirect(leaf, crls, 2, signer);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    assert_true(report_has(rep, "crl", "indirect CRL"));
    tsvc_report_free(rep);
    rep = validate_indirect(leaf_ok, crls, 2, signer);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(rep);
    /* Without that certificate the indirect CRL cannot be verified. */
    rep = validate_indirect(leaf, crls, 2, NULL);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "crl", "no certificate of that CRL issuer"));
    tsvc_report_free(rep);

    tsvc_crl_free(crls[0]);
    tsvc_crl_free(c);
    tsvc_crl_free(noflag);
    tsvc_crl_free(ica_direct);
    tsvc_cert_free(signer);
    tsvc_cert_free(leaf);
    tsvc_cert_free(leaf_ok);
}

/* A CRL of the ICA: number, delta base (-1: complete CRL), entries and
 * one optional extra extension. */
typedef struct dentry {
    const tsvc_cert *cert;
    tsvc_crl_reason reason;
} dentry;

static tsvc_crl *ica_crl(uint64_t number, int base, const dentry *entries, size_t n,
                         const char *ext_oid, int critical, const uint8_t *ext, size_t ext_len,
                         int64_t this_update, int64_t next_update)
{
    tsvc_crl_builder *b = NULL;
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b, ica, ica_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_times(b, this_update, next_update, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_number(b, number, NULL), TSVC_OK);
    if (base >= 0) {
        const uint8_t v[] = {0x02, 0x01, (uint8_t)base};
        assert_int_equal(tsvc_crl_builder_add_extension(b, "2.5.29.27", 1, v, sizeof(v), NULL),
                         TSVC_OK);
    }
    if (ext_oid != NULL)
        assert_int_equal(tsvc_crl_builder_add_extension(b, ext_oid, critical, ext, ext_len,
                                                        NULL),
                         TSVC_OK);
    for (size_t i = 0; i < n; i++) {
        size_t sl;
        const uint8_t *s = tsvc_cert_serial(entries[i].cert, &sl);
        assert_int_equal(tsvc_crl_builder_add(b, s, sl, T_CRL - 20 * 86400, entries[i].reason,
                                              NULL),
                         TSVC_OK);
    }
    tsvc_crl *c = build_crl(b);
    tsvc_crl_builder_free(b);
    return c;
}

#define NOW_TIMES T_CRL - 86400, T_CRL + 86400

static void crl_delta(void **state)
{
    (void)state;
    static const uint8_t unknown[] = {0x05, 0x00};
    static const uint8_t idp_user[] = {0x30, 0x03, 0x81, 0x01, 0xff};
    /* freshestCRL { DistributionPoint { fullName URI "http://d" } } */
    static const uint8_t freshest[] = {0x30, 0x0c, 0x30, 0x0a, 0xa0, 0x08, 0xa0, 0x06,
                                       0x86, 0x04, 'h', 't', 't', 'p'};
    const dentry hold[] = {{leaf_good, TSVC_REASON_CERTIFICATE_HOLD}};
    const dentry changes[] = {{leaf_good, TSVC_REASON_REMOVE_FROM_CRL},
                              {leaf_unknown, TSVC_REASON_KEY_COMPROMISE}};
    /* The builder writes removeFromCRL only in a delta CRL. */
    tsvc_crl_builder *b = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    size_t sl;
    const uint8_t *serial = tsvc_cert_serial(leaf_good, &sl);
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b, ica, ica_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_add(b, serial, sl, T_CRL, TSVC_REASON_REMOVE_FROM_CRL,
                                          NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_crl_builder_finish(b, &out, NULL), TSVC_ERR_INVALID_ARG);
    assert_null(out.data);
    tsvc_crl_builder_free(b);

    tsvc_crl *base = ica_crl(10, -1, hold, 1, NULL, 0, NULL, 0, NOW_TIMES);
    tsvc_crl *delta = ica_crl(11, 10, changes, 2, NULL, 0, NULL, 0, NOW_TIMES);

    /* The complete CRL alone: on hold. With the delta: released, and
     * 0x3003 revoked by the delta. */
    check_full(base, NULL, leaf_good, ica, NULL, TSVC_CERT_STATUS_REVOKED,
               TSVC_REASON_CERTIFICATE_HOLD);
    check_full(base, delta, leaf_good, ica, NULL, TSVC_CERT_STATUS_GOOD, TSVC_REASON_NONE);
    check_full(base, delta, leaf_unknown, ica, NULL, TSVC_CERT_STATUS_REVOKED,
               TSVC_REASON_KEY_COMPROMISE);
    check_full(base, delta, leaf_revoked, ica, NULL, TSVC_CERT_STATUS_GOOD, TSVC_REASON_NONE);
    /* A delta alone, or a delta as the complete CRL. */
    check_full_fails(delta, NULL, leaf_good, ica, NULL, false, TSVC_ERR_CRL_DELTA,
                     "only together with a complete CRL");
    check_full_fails(base, base, leaf_good, ica, NULL, false, TSVC_ERR_CRL_DELTA,
                     "no deltaCRLIndicator");

    /* Bad deltas. */
    tsvc_crl *bad[7];
    const char *why[7] = {"BaseCRLNumber",    "does not verify",  "unknown or misused critical",
                          "not above",        "another scope",    "freshestCRL",
                          "before the validation time"};
    bad[0] = ica_crl(12, 11, changes, 2, NULL, 0, NULL, 0, NOW_TIMES); /* base too new */
    bad[1] = crl_file("ica-delta-otherkey.der");                        /* another key */
    bad[2] = ica_crl(11, 10, changes, 2, "1.3.6.1.4.1.55738.666.1", 1, unknown, sizeof(unknown),
                     NOW_TIMES);
    bad[3] = ica_crl(10, 10, changes, 2, NULL, 0, NULL, 0, NOW_TIMES); /* not newer */
    bad[4] = ica_crl(11, 10, changes, 2, "2.5.29.28", 1, idp_user, sizeof(idp_user), NOW_TIMES);
    bad[5] = ica_crl(11, 10, changes, 2, "2.5.29.46", 0, freshest, sizeof(freshest), NOW_TIMES);
    bad[6] = ica_crl(11, 10, changes, 2, NULL, 0, NULL, 0, T_CRL - 10 * 86400,
                     T_CRL - 5 * 86400);
    for (size_t i = 0; i < 7; i++) {
        check_full_fails(base, bad[i], leaf_unknown, ica, NULL, false, TSVC_ERR_CRL_DELTA,
                         why[i]);
        /* Path validation leaves the delta out and uses the complete CRL. */
        tsvc_crl *crls[3] = {crl_file("root-crl.der"), base, bad[i]};
        vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_ONLY,
                    TSVC_REVOCATION_FETCH_NEVER, 0, 0, T_CRL};
        tsvc_report *rep = validate(leaf_unknown, ica, crls, 3, NULL, 0, &vc);
        expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
        if (!report_has(rep, "crl-delta", why[i]))
            fail_msg("delta %zu: the report does not say \"%s\"", i, why[i]);
        tsvc_report_free(rep);
        tsvc_crl_free(crls[0]);
    }

    /* Path validation with the pair; the newest pairing delta wins. */
    tsvc_crl *newer = ica_crl(12, 10, hold, 1, NULL, 0, NULL, 0, NOW_TIMES);
    tsvc_crl *crls[4] = {crl_file("root-crl.der"), base, delta, newer};
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_ONLY, TSVC_REVOCATION_FETCH_NEVER,
                0, 0, T_CRL};
    tsvc_report *rep = validate(leaf_unknown, ica, crls, 3, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    assert_true(report_has(rep, "crl", "with delta CRL cRLNumber 11"));
    tsvc_report_free(rep);
    rep = validate(leaf_good, ica, crls, 3, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(rep);
    /* Delta 12 (leaf_good on hold again, nothing about 0x3003) is newer than 11. */
    rep = validate(leaf_good, ica, crls, 4, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    assert_true(report_has(rep, "crl", "with delta CRL cRLNumber 12"));
    tsvc_report_free(rep);
    /* A delta without its complete CRL decides nothing. */
    tsvc_crl *only[2] = {crls[0], delta};
    rep = validate(leaf_good, ica, only, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "revocation-status", "only delta CRLs"));
    tsvc_report_free(rep);

    for (size_t i = 0; i < 7; i++)
        tsvc_crl_free(bad[i]);
    tsvc_crl_free(crls[0]);
    tsvc_crl_free(base);
    tsvc_crl_free(delta);
    tsvc_crl_free(newer);
}

/* At most TSVC__REV_MAX_CRLS_PER_CERT CRLs of the store are examined per certificate. */
static void crl_limit_per_certificate(void **state)
{
    (void)state;
    enum { N = TSVC__REV_MAX_CRLS_PER_CERT + 2 };
    tsvc_crl *crls[N];
    crls[0] = crl_file("root-crl.der");
    /* Expired CRLs of the ICA, numbers 1 .. N-2, then a current one. */
    for (size_t i = 1; i < N - 1; i++)
        crls[i] = ica_crl(i, -1, NULL, 0, NULL, 0, NULL, 0, T_CRL - 10 * 86400,
                          T_CRL - 5 * 86400);
    crls[N - 1] = ica_crl(1000, -1, NULL, 0, NULL, 0, NULL, 0, NOW_TIMES);
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_ONLY, TSVC_REVOCATION_FETCH_NEVER,
                0, 0, T_CRL};
    /* 63 expired + the current one: the 64th is examined. */
    tsvc_crl *within[TSVC__REV_MAX_CRLS_PER_CERT + 1];
    within[0] = crls[0];
    for (size_t i = 1; i < TSVC__REV_MAX_CRLS_PER_CERT; i++)
        within[i] = crls[i];
    within[TSVC__REV_MAX_CRLS_PER_CERT] = crls[N - 1];
    tsvc_report *rep = validate(leaf_good, ica, within, TSVC__REV_MAX_CRLS_PER_CERT + 1, NULL, 0,
                                &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(rep);
    /* 64 expired before it: the current one is the 65th, not examined. */
    rep = validate(leaf_good, ica, crls, N, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "crl", "more than 64 CRLs"));
    tsvc_report_free(rep);
    for (size_t i = 0; i < N; i++)
        tsvc_crl_free(crls[i]);
}

static void crl_time_encoding(void **state)
{
    (void)state;
    blob b = load("ica-crl-gentime.der");
    tsvc_crl *c = NULL;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_crl_parse(g_ctx, &c, b.data, b.len, &err), TSVC_ERR_CRL_FORMAT);
    assert_non_null(strstr(tsvc_error_message(err), "GeneralizedTime for a date before 2050"));
    assert_null(c);
    tsvc_error_free(err);
    free(b.data);
}

static void crl_scope_points(void **state)
{
    (void)state;
    tsvc_cert *reasons = cert("leaf-dp-reasons.pem");
    tsvc_cert *relative = cert("leaf-dp-relative.pem");
    tsvc_cert *nocdp = cert("leaf-nocdp.pem");
    tsvc_crl *kc = crl_file("ica-crl-kc.der");
    tsvc_crl *rest = crl_file("ica-crl-rest.der");
    tsvc_crl *rel = crl_file("ica-crl-relative.der");
    tsvc_crl *rel_other = crl_file("ica-crl-relative-other.der");
    tsvc_crl *dirname = crl_file("ica-crl-idp-dirname.der");
    tsvc_crl *plain = crl_file("ica-crl.der");
    tsvc__rev_result res;
    tsvc__rev_issuer iss = rev_issuer(ica, false);

    /* (d) the interim reasons mask: onlySomeReasons and the point's reasons. */
    assert_int_equal(tsvc__crl_check_full(g_ctx, kc, NULL, reasons, &iss, NULL, T_CRL, 0, &res,
                                          NULL),
                     TSVC_OK);
    assert_int_equal(res.reasons, (1u << 1) | (1u << 2));
    assert_int_equal(tsvc__crl_check_full(g_ctx, rest, NULL, reasons, &iss, NULL, T_CRL, 0, &res,
                                          NULL),
                     TSVC_OK);
    assert_int_equal(res.reasons, 0x1f8u);
    /* A complete CRL without IDP matches both points: every reason. */
    assert_int_equal(tsvc__crl_check_full(g_ctx, plain, NULL, reasons, &iss, NULL, T_CRL, 0,
                                          &res, NULL),
                     TSVC_OK);
    assert_int_equal(res.reasons, 0x1feu);
    /* In path validation the two partitions together cover every reason. */
    tsvc_crl *crls[3] = {crl_file("root-crl.der"), kc, rest};
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_ONLY, TSVC_REVOCATION_FETCH_NEVER,
                0, 0, T_CRL};
    tsvc_report *rep = validate(reasons, ica, crls, 3, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(rep);
    rep = validate(reasons, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_true(report_has(rep, "revocation-status", "only some revocation reasons"));
    tsvc_report_free(rep);
    tsvc_crl_free(crls[0]);

    /* Names relative to the CRL issuer: compared with the point's (generic
     * profile), refused by TLS profiles. */
    check_full(rel, NULL, relative, ica, NULL, TSVC_CERT_STATUS_GOOD, TSVC_REASON_NONE);
    check_full_fails(rel_other, NULL, relative, ica, NULL, false, TSVC_ERR_CRL_SCOPE,
                     "not one of the certificate's");
    check_full_fails(rel, NULL, relative, ica, NULL, true, TSVC_ERR_CRL_SCOPE, "CA/B Forum");
    check_full_fails(rel, NULL, leaf_good, ica, NULL, false, TSVC_ERR_CRL_SCOPE,
                     "not one of the certificate's");

    /* Without cRLDistributionPoints the implied point has the certificate
     * issuer as its name: an IDP naming that directoryName covers it. */
    check_full(dirname, NULL, nocdp, ica, NULL, TSVC_CERT_STATUS_GOOD, TSVC_REASON_NONE);
    check_full_fails(dirname, NULL, nocdp, ica, NULL, true, TSVC_ERR_CRL_SCOPE,
                     "no cRLDistributionPoints");
    check_full_fails(kc, NULL, nocdp, ica, NULL, false, TSVC_ERR_CRL_SCOPE,
                     "no cRLDistributionPoints");
    check_full(plain, NULL, nocdp, ica, NULL, TSVC_CERT_STATUS_GOOD, TSVC_REASON_NONE);

    tsvc_crl *all[] = {kc, rest, rel, rel_other, dirname, plain};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        tsvc_crl_free(all[i]);
    tsvc_cert_free(reasons);
    tsvc_cert_free(relative);
    tsvc_cert_free(nocdp);
}

/* Limits: the input size of one CRL and its number of entries. */
static void crl_size_and_entry_limits(void **state)
{
    (void)state;
    /* Size: a context whose input limit is below the CRL's length. */
    blob b = load("ica-crl.der");
    tsvc_ctx *small = NULL;
    tsvc_crl *c = NULL;
    assert_int_equal(tsvc_ctx_new(&small, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(small, TSVC_LIMIT_INPUT_SIZE, b.len - 1, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_parse(small, &c, b.data, b.len, NULL), TSVC_ERR_LIMIT_INPUT_SIZE);
    assert_null(c);
    assert_int_equal(tsvc_ctx_set_limit(small, TSVC_LIMIT_INPUT_SIZE, b.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_parse(small, &c, b.data, b.len, NULL), TSVC_OK);
    tsvc_crl_free(c);
    c = NULL;
    tsvc_ctx_free(small);
    free(b.data);

    /* Entries: revokedCertificates holding TSVC_CRL_MAX_ENTRIES + 1
     * elements (two-octet NULLs: they are counted before being parsed). */
    assert_int_equal(tsvc_crl_max_entries(), TSVC_CRL_MAX_ENTRIES);
    const size_t n = (size_t)TSVC_CRL_MAX_ENTRIES + 1, list_len = 2 * n;
    static const uint8_t head[] = {
        0x02, 0x01, 0x01,                                           /* version v2 */
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, /* ecdsa-sha256 */
        0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 'X',
        0x17, 0x0d, '2', '6', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z'};
    static const uint8_t tail[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04,
                                   0x03, 0x02, 0x03, 0x01, 0x00};
    /* Every length here is at least 2^24: four length octets (DER). */
    const size_t tbs_len = sizeof(head) + 6 + list_len, outer_len = 6 + tbs_len + sizeof(tail),
                 total = 6 + outer_len;
    uint8_t *der = malloc(total);
    assert_non_null(der);
    uint8_t *p = der;
#define LEN4(tag, l)                                                                           \
    do {                                                                                       \
        *p++ = (tag);                                                                          \
        *p++ = 0x84;                                                                           \
        *p++ = (uint8_t)((l) >> 24);                                                           \
        *p++ = (uint8_t)((l) >> 16);                                                           \
        *p++ = (uint8_t)((l) >> 8);                                                            \
        *p++ = (uint8_t)(l);                                                                   \
    } while (0)
    LEN4(0x30, outer_len);
    LEN4(0x30, tbs_len);
    memcpy(p, head, sizeof(head));
    p += sizeof(head);
    LEN4(0x30, list_len);
    for (size_t i = 0; i < n; i++) {
        *p++ = 0x05;
        *p++ = 0x00;
    }
    memcpy(p, tail, sizeof(tail));
    p += sizeof(tail);
    assert_int_equal((size_t)(p - der), total);
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_crl_parse(g_ctx, &c, der, total, &err), TSVC_ERR_LIMIT_COUNT);
    assert_non_null(strstr(tsvc_error_message(err), "CRL entries"));
    assert_null(c);
    tsvc_error_free(err);
    free(der);
#undef LEN4
}

/* The delta CRL named by a complete CRL's freshestCRL, fetched. */
typedef struct delta_server {
    int calls;
    const uint8_t *der;
    size_t len;
} delta_server;

static tsvc_status serve_delta(void *opaque, const char *url, const char *content_type,
                               const uint8_t *body, size_t body_len, tsvc_buf *response,
                               tsvc_error **err)
{
    delta_server *srv = opaque;
    (void)content_type;
    (void)body_len;
    (void)err;
    srv->calls++;
    if (strcmp(url, "http://crl.example/delta.crl") != 0 || body != NULL)
        return TSVC_ERR_NOT_FOUND;
    return tsvc_fetch_response_set(g_ctx, response, srv->der, srv->len);
}

static void crl_delta_fetched(void **state)
{
    (void)state;
    /* freshestCRL { DistributionPoint { fullName URI "http://crl.example/delta.crl" } } */
    static const uint8_t freshest[] = {0x30, 0x24, 0x30, 0x22, 0xa0, 0x20, 0xa0, 0x1e, 0x86, 0x1c,
                                       'h', 't', 't', 'p', ':', '/', '/', 'c', 'r', 'l', '.',
                                       'e', 'x', 'a', 'm', 'p', 'l', 'e', '/', 'd', 'e', 'l',
                                       't', 'a', '.', 'c', 'r', 'l'};
    const dentry revoked[] = {{leaf_unknown, TSVC_REASON_KEY_COMPROMISE}};
    tsvc_crl *base = ica_crl(10, -1, NULL, 0, "2.5.29.46", 0, freshest, sizeof(freshest),
                             NOW_TIMES);
    tsvc_crl *delta = ica_crl(11, 10, revoked, 1, NULL, 0, NULL, 0, NOW_TIMES);
    char url[64];
    assert_true(tsvc__crl_freshest_uri(base, 0, url, sizeof(url)));
    assert_string_equal(url, "http://crl.example/delta.crl");
    assert_false(tsvc__crl_freshest_uri(base, 1, url, sizeof(url)));
    assert_false(tsvc__crl_freshest_uri(base, 0, url, 28)); /* does not fit */

    delta_server srv = {0, NULL, 0};
    srv.der = tsvc_crl_der(delta, &srv.len);
    tsvc_ctx_set_fetch(g_ctx, serve_delta, &srv);
    tsvc_crl *crls[2] = {crl_file("root-crl.der"), base};
    vcase vc = {TSVC_REVOCATION_HARD_FAIL, TSVC_REVOCATION_CRL_ONLY,
                TSVC_REVOCATION_FETCH_WHEN_MISSING, 0, 0, T_CRL};
    tsvc_report *rep = validate(leaf_unknown, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    assert_true(report_has(rep, "crl", "with delta CRL cRLNumber 11"));
    assert_int_equal(srv.calls, 1);
    tsvc_report_free(rep);
    /* Not fetched when fetching is not allowed: the complete CRL alone. */
    vc.fetch = TSVC_REVOCATION_FETCH_NEVER;
    srv.calls = 0;
    rep = validate(leaf_unknown, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(srv.calls, 0);
    tsvc_report_free(rep);
    /* What is served is not a delta CRL: left out, and said. */
    vc.fetch = TSVC_REVOCATION_FETCH_WHEN_MISSING;
    srv.der = tsvc_crl_der(base, &srv.len);
    rep = validate(leaf_unknown, ica, crls, 2, NULL, 0, &vc);
    expect(rep, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(report_has(rep, "crl-delta", "no deltaCRLIndicator"));
    tsvc_report_free(rep);
    tsvc_ctx_set_fetch(g_ctx, NULL, NULL);
    tsvc_crl_free(crls[0]);
    tsvc_crl_free(base);
    tsvc_crl_free(delta);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crl_parse_openssl),
        cmocka_unit_test(crl_good_revoked_later),
        cmocka_unit_test(crl_expired),
        cmocka_unit_test(crl_not_yet_valid),
        cmocka_unit_test(crl_bad_signature),
        cmocka_unit_test(crl_unknown_critical_extension),
        cmocka_unit_test(crl_issuer_without_crlsign),
        cmocka_unit_test(crl_issuing_distribution_point),
        cmocka_unit_test(crl_malformed_inputs),
        cmocka_unit_test(crl_builder_roundtrip),
        cmocka_unit_test(crl_builder_scope_delta_indirect),
        cmocka_unit_test(crl_large_lookup),
        cmocka_unit_test(ocsp_openssl_statuses),
        cmocka_unit_test(ocsp_openssl_refusals),
        cmocka_unit_test(ocsp_openssl_nonce),
        cmocka_unit_test(ocsp_malformed_inputs),
        cmocka_unit_test(ocsp_builder_roundtrip),
        cmocka_unit_test(ocsp_builder_refusals),
        cmocka_unit_test(ocsp_request_build),
        cmocka_unit_test(path_crl_hard_fail),
        cmocka_unit_test(path_crl_unusable),
        cmocka_unit_test(path_ocsp_and_preference),
        cmocka_unit_test(path_ocsp_responder_without_nocheck),
        cmocka_unit_test(path_fetch),
        cmocka_unit_test(path_shared_between_threads),
        cmocka_unit_test(policy_setters),
        cmocka_unit_test(crl_entry_listing),
        cmocka_unit_test(ocsp_single_listing),
        cmocka_unit_test(crl_indirect_of_the_ca),
        cmocka_unit_test(crl_indirect_of_a_crl_issuer),
        cmocka_unit_test(crl_delta),
        cmocka_unit_test(crl_limit_per_certificate),
        cmocka_unit_test(crl_time_encoding),
        cmocka_unit_test(crl_scope_points),
        cmocka_unit_test(crl_size_and_entry_limits),
        cmocka_unit_test(crl_delta_fetched),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
