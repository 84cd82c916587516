/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the long-term CAdES levels (src/ades/lt.c, lta.c, ltv.c)
 * on a simulated timeline: a test PKI made with the certificate builder
 * (a root valid 40 years, a signer valid 3 years, TSA 1 valid 10 years, TSA
 * 2 from year 9 to year 25), CRLs made with the CRL builder at chosen
 * times, two in-process TSAs with their own clocks reached through the
 * context's fetch callback, and the context's clock moved along.
 *
 *   T0 sign, T1 = T0 + 1 h signature time-stamp, B-LT at T1 + 2 h,
 *   archive time-stamp at T1 + 3 h (TSA 1), renewal at T0 + 9 y (TSA 2).
 *
 * With TSVC_LTV_OUT set, the B-LT and B-LTA files and the root certificate
 * are also written there (tests/interop/ltv checks them with openssl cms).
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ades/lt.h"
#include "cms/cms.h"
#include "cms/tst.h"
#include "crypto/crypto.h"
#include "test_util.h"
#include "trustsvc/certbuilder.h"
#include "trustsvc/fetch.h"
#include "trustsvc/ltv.h"
#include "trustsvc/revoke.h"
#include "trustsvc/sign.h"
#include "trustsvc/sys/backend.h"
#include "trustsvc/tsp.h"
#include "tsvc_config.h"

#define HOUR INT64_C(3600)
#define DAY (24 * HOUR)
#define YEAR (365 * DAY)
/* 2026-01-01T00:00:00Z */
#define T0 INT64_C(1767225600)
#define T1 (T0 + HOUR)

static tsvc_ctx *g_ctx;
static int64_t g_now = T0;
static int64_t g_tsa_time = T1;
static tsvc_key *g_root_key, *g_signer_key, *g_tsa1_key, *g_tsa2_key;
static tsvc_cert *g_root, *g_signer, *g_tsa1, *g_tsa2;
static tsvc_tsa *g_tsa1_srv, *g_tsa2_srv;

static const uint8_t SIGNER_SERIAL[] = {0x10};

static tsvc_status clock_cb(void *opaque, int64_t *now)
{
    (void)opaque;
    *now = g_now;
    return TSVC_OK;
}

static tsvc_status tsa_clock(void *opaque, int64_t *secs, uint32_t *nanos)
{
    (void)opaque;
    *secs = g_tsa_time;
    *nanos = 0;
    return TSVC_OK;
}

/* The fetch callback: "http://tsa1/" and "http://tsa2/" are the in-process TSAs. */
static tsvc_status fetch_cb(void *opaque, const char *url, const char *content_type,
                            const uint8_t *body, size_t body_len, tsvc_buf *response,
                            tsvc_error **err)
{
    (void)opaque;
    (void)content_type;
    (void)err;
    tsvc_tsa *tsa = strcmp(url, "http://tsa1/") == 0   ? g_tsa1_srv
                    : strcmp(url, "http://tsa2/") == 0 ? g_tsa2_srv
                                                       : NULL;
    if (tsa == NULL || body == NULL)
        return TSVC_ERR_FETCH;
    return tsvc_tsa_respond(tsa, response, body, body_len, NULL);
}

static tsvc_key *gen_key(void)
{
    tsvc_key *k = NULL;
    assert_int_equal(tsvc_key_generate(g_ctx, &k, TSVC_KEY_ECDSA_P256, 0, NULL), TSVC_OK);
    return k;
}

static tsvc_cert *issue(const char *subject, const tsvc_key *key, const tsvc_cert *issuer,
                        const tsvc_key *issuer_key, uint8_t serial, int64_t nb, int64_t na,
                        int ca, int tsa)
{
    tsvc_cert_builder *b = NULL;
    tsvc_pubkey *pub = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_cert *c = NULL;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_cert_builder_new(g_ctx, &b, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_subject(b, subject, NULL), TSVC_OK);
    if (issuer != NULL)
        assert_int_equal(tsvc_cert_builder_set_issuer_cert(b, issuer, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_serial(b, &serial, 1, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_validity(b, nb, na, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_public_key(b, pub, NULL), TSVC_OK);
    if (ca) {
        assert_int_equal(tsvc_cert_builder_set_basic_constraints(b, 1, -1, NULL), TSVC_OK);
        assert_int_equal(tsvc_cert_builder_set_key_usage(
                             b, TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN, 1, NULL),
                         TSVC_OK);
    } else if (tsa) {
        assert_int_equal(tsvc_cert_builder_set_key_usage(b, TSVC_KU_DIGITAL_SIGNATURE, 1, NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_cert_builder_add_eku(b, "1.3.6.1.5.5.7.3.8", NULL), TSVC_OK);
        tsvc_cert_builder_set_eku_critical(b, 1);
    } else {
        assert_int_equal(tsvc_cert_builder_set_key_usage(
                             b, TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION, 1, NULL),
                         TSVC_OK);
    }
    if (tsvc_cert_builder_sign(b, issuer_key, TSVC_SIG_NONE, TSVC_HASH_NONE, TSVC_FORMAT_DER,
                               &der, &err) != TSVC_OK)
        fail_msg("issuing %s: %s", subject, tsvc_error_message(err));
    assert_int_equal(tsvc_cert_parse(g_ctx, &c, der.data, der.len, NULL), TSVC_OK);
    tsvc_buf_dispose(&der);
    tsvc_pubkey_free(pub);
    tsvc_cert_builder_free(b);
    return c;
}

typedef struct revoked {
    const uint8_t *serial;
    size_t serial_len;
    int64_t when;
} revoked;

/* A CRL of the root issued at @p at (valid 7 days). */
static tsvc_crl *crl_at(int64_t at, const revoked *revs, size_t n)
{
    tsvc_crl_builder *b = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_crl *crl = NULL;
    static uint64_t number = 1;
    assert_int_equal(tsvc_crl_builder_new(g_ctx, &b, g_root, g_root_key, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_times(b, at, at + 7 * DAY, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_builder_set_number(b, number++, NULL), TSVC_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tsvc_crl_builder_add(b, revs[i].serial, revs[i].serial_len,
                                              revs[i].when, TSVC_REASON_KEY_COMPROMISE, NULL),
                         TSVC_OK);
    assert_int_equal(tsvc_crl_builder_finish(b, &der, NULL), TSVC_OK);
    assert_int_equal(tsvc_crl_parse(g_ctx, &crl, der.data, der.len, NULL), TSVC_OK);
    tsvc_buf_dispose(&der);
    tsvc_crl_builder_free(b);
    return crl;
}

/* A store with the root as trust anchor and the CRLs given. */
static tsvc_store *store_with(tsvc_crl *a, tsvc_crl *b)
{
    tsvc_store *s = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &s, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s, g_root, NULL), TSVC_OK);
    if (a != NULL)
        assert_int_equal(tsvc_store_add_crl(s, a, NULL), TSVC_OK);
    if (b != NULL)
        assert_int_equal(tsvc_store_add_crl(s, b, NULL), TSVC_OK);
    tsvc_crl_free(a);
    tsvc_crl_free(b);
    return s;
}

static void write_out(const char *name, const tsvc_buf *b)
{
    const char *dir = getenv("TSVC_LTV_OUT");
    char path[1024];
    if (dir == NULL || *dir == '\0')
        return;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
}

/* B-T: signed at T0 (claimed signing time), time-stamped by TSA 1 at T1. */
static void make_bt(const char *text, tsvc_buf *out)
{
    tsvc_buf bb = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    g_now = T0;
    if (tsvc_sign(g_ctx, &bb, g_signer_key, g_signer, text, strlen(text), NULL, &err) !=
        TSVC_OK)
        fail_msg("signing: %s", tsvc_error_message(err));
    g_now = T1;
    g_tsa_time = T1;
    if (tsvc_tst_timestamp_signature(g_ctx, out, bb.data, bb.len, 0, "http://tsa1/",
                                     TSVC_HASH_SHA256, &err) != TSVC_OK)
        fail_msg("time-stamping: %s", tsvc_error_message(err));
    tsvc_buf_dispose(&bb);
}

static void extend_lt(const tsvc_buf *in, tsvc_buf *out, int64_t when, tsvc_store *store,
                      tsvc_lt_profile profile)
{
    tsvc_lt_options o = TSVC_LT_OPTIONS_INIT;
    tsvc_error *err = NULL;
    o.when = when;
    o.profile = profile;
    g_now = when;
    if (tsvc_ades_extend_lt(g_ctx, out, in->data, in->len, 0, store, &o, &err) != TSVC_OK)
        fail_msg("B-LT: %s", tsvc_error_message(err));
}

static void add_ats(const tsvc_buf *in, tsvc_buf *out, int64_t when, const char *tsa,
                    tsvc_ats_version version)
{
    tsvc_error *err = NULL;
    g_now = when;
    g_tsa_time = when;
    if (tsvc_ats_timestamp_signature(g_ctx, out, in->data, in->len, 0, NULL, 0, version, tsa,
                                     TSVC_HASH_SHA256, &err) != TSVC_OK)
        fail_msg("archive time-stamp: %s", tsvc_error_message(err));
}

static tsvc_ltv_report *ltv(const tsvc_buf *sig, int64_t when, tsvc_store *store,
                            const tsvc_algorithm_policy *ap)
{
    tsvc_ltv_options o = TSVC_LTV_OPTIONS_INIT;
    tsvc_ltv_report *r = NULL;
    tsvc_error *err = NULL;
    o.when = when;
    o.algorithm_policy = ap;
    g_now = when;
    if (tsvc_ltv_verify(g_ctx, &r, sig->data, sig->len, NULL, 0, store, &o, &err) != TSVC_OK)
        fail_msg("ltv: %s", tsvc_error_message(err));
    const char *dbg = getenv("TSVC_LTV_DEBUG");
    if (dbg != NULL && *dbg != '\0') {
        tsvc_buf j = TSVC_BUF_INIT;
        FILE *f = fopen(dbg, "a");
        if (f != NULL && tsvc_ltv_report_to_json(r, &j, NULL) == TSVC_OK)
            fprintf(f, "%s\n", (const char *)j.data);
        if (f != NULL)
            fclose(f);
        tsvc_buf_dispose(&j);
    }
    return r;
}

static void expect(const tsvc_ltv_report *r, tsvc_indication ind, tsvc_subindication sub)
{
    if (tsvc_ltv_report_indication(r) != ind || tsvc_ltv_report_subindication(r) != sub)
        fail_msg("expected %s/%s, got %s/%s: %s", tsvc_indication_str((int)ind),
                 tsvc_subindication_str((int)sub),
                 tsvc_indication_str((int)tsvc_ltv_report_indication(r)),
                 tsvc_subindication_str((int)tsvc_ltv_report_subindication(r)),
                 tsvc_ltv_report_reason(r));
}

/* A B-LT signature made at T1 + 2 h, the signer revoked at @p revoked_at
 * (0: never) as the CRLs say from then on. */
static void make_blt(const char *text, int64_t revoked_at, tsvc_lt_profile profile,
                     tsvc_buf *out)
{
    tsvc_buf bt = TSVC_BUF_INIT;
    revoked rv = {SIGNER_SERIAL, sizeof(SIGNER_SERIAL), revoked_at};
    int64_t at = T1 + 2 * HOUR;
    make_bt(text, &bt);
    tsvc_store *s = store_with(crl_at(at, &rv, revoked_at != 0 && revoked_at <= at), NULL);
    extend_lt(&bt, out, at, s, profile);
    tsvc_store_free(s);
    tsvc_buf_dispose(&bt);
}

/* 1. Signed at T0, time-stamped at T1, signer revoked at T2 > T1: valid. */
static void test_revoked_after_poe(void **state)
{
    (void)state;
    tsvc_buf lt = TSVC_BUF_INIT;
    int64_t t2 = T0 + 30 * DAY, now = T0 + YEAR;
    revoked rv = {SIGNER_SERIAL, sizeof(SIGNER_SERIAL), t2};
    make_blt("revoked after", t2, TSVC_LT_PROFILE_EN, &lt);
    write_out("b-lt.p7s", &lt);
    /* The verifier's current CRL lists the signer as revoked at T2. */
    tsvc_store *s = store_with(crl_at(now - DAY, &rv, 1), NULL);
    tsvc_ltv_report *r = ltv(&lt, now, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    int64_t best = 0;
    assert_int_equal(tsvc_ltv_report_best_signature_time(r, &best), 1);
    assert_int_equal(best, T1);
    assert_string_equal(tsvc_ltv_report_level(r), "B-LT");
    tsvc_buf j = TSVC_BUF_INIT;
    assert_int_equal(tsvc_ltv_report_to_json(r, &j, NULL), TSVC_OK);
    assert_non_null(strstr((const char *)j.data, "revoked later"));
    tsvc_buf_dispose(&j);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&lt);
}

/* 2. Revoked before the time-stamp: FAILED / REVOKED. */
static void test_revoked_before_poe(void **state)
{
    (void)state;
    tsvc_buf lt = TSVC_BUF_INIT;
    int64_t now = T0 + YEAR;
    revoked rv = {SIGNER_SERIAL, sizeof(SIGNER_SERIAL), T1 - 10 * 60};
    make_blt("revoked before", T1 - 10 * 60, TSVC_LT_PROFILE_EN, &lt);
    tsvc_store *s = store_with(crl_at(now - DAY, &rv, 1), NULL);
    tsvc_ltv_report *r = ltv(&lt, now, s, NULL);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_REVOKED);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    /* Without a time-stamp there is no proof of existence: REVOKED_NO_POE. */
    tsvc_buf bb = TSVC_BUF_INIT;
    g_now = T0;
    assert_int_equal(tsvc_sign(g_ctx, &bb, g_signer_key, g_signer, "b-b", 3, NULL, NULL),
                     TSVC_OK);
    s = store_with(crl_at(now - DAY, &rv, 1), NULL);
    r = ltv(&bb, now, s, NULL);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    assert_string_equal(tsvc_ltv_report_level(r), "B-B");
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&bb);
    tsvc_buf_dispose(&lt);
}

/* 5. A B-T signature without revocation values, verified offline. */
static void test_offline_without_values(void **state)
{
    (void)state;
    tsvc_buf bt = TSVC_BUF_INIT;
    make_bt("offline", &bt);
    tsvc_store *s = store_with(NULL, NULL);
    tsvc_ltv_report *r = ltv(&bt, T1 + DAY, s, NULL);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    assert_non_null(strstr(tsvc_ltv_report_reason(r), "no revocation data"));
    assert_non_null(strstr(tsvc_ltv_report_reason(r), "not B-LT"));
    assert_string_equal(tsvc_ltv_report_level(r), "B-T");
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    /* B-LT needs B-T. */
    tsvc_buf bb = TSVC_BUF_INIT, out = TSVC_BUF_INIT;
    g_now = T0;
    assert_int_equal(tsvc_sign(g_ctx, &bb, g_signer_key, g_signer, "b-b", 3, NULL, NULL),
                     TSVC_OK);
    s = store_with(crl_at(T0 + HOUR, NULL, 0), NULL);
    assert_int_equal(tsvc_ades_extend_lt(g_ctx, &out, bb.data, bb.len, 0, s, NULL, NULL),
                     TSVC_ERR_ADES_LEVEL);
    tsvc_store_free(s);
    /* No CRL at all: the extension names what is missing. */
    s = store_with(NULL, NULL);
    tsvc_error *err = NULL;
    g_now = T1 + 2 * HOUR;
    assert_int_equal(tsvc_ades_extend_lt(g_ctx, &out, bt.data, bt.len, 0, s, NULL, &err),
                     TSVC_ERR_ADES_VALIDATION_DATA);
    assert_non_null(strstr(tsvc_error_message(err), "signer"));
    tsvc_error_free(err);
    tsvc_store_free(s);
    tsvc_buf_dispose(&bb);
    tsvc_buf_dispose(&bt);
}

/* The archive: B-LT, archive time-stamp v3 at T1 + 3 h, renewal at T0 + 9 y. */
static void make_archive(tsvc_ats_version v, tsvc_lt_profile profile, bool renew, tsvc_buf *out)
{
    tsvc_buf lt = TSVC_BUF_INIT, lta = TSVC_BUF_INIT, lt2 = TSVC_BUF_INIT;
    make_blt("archive", 0, profile, &lt);
    add_ats(&lt, renew ? &lta : out, T1 + 3 * HOUR, "http://tsa1/", v);
    if (renew) {
        int64_t t9 = T0 + 9 * YEAR;
        tsvc_store *s = store_with(crl_at(t9 - HOUR, NULL, 0), NULL);
        extend_lt(&lta, &lt2, t9, s, profile);
        tsvc_store_free(s);
        add_ats(&lt2, out, t9 + HOUR, "http://tsa2/", v);
    }
    tsvc_buf_dispose(&lt);
    tsvc_buf_dispose(&lta);
    tsvc_buf_dispose(&lt2);
}

/* 3. Verified at T0 + 20 y with an archive renewed at T0 + 9 y: valid. */
static void test_archive_20_years(void **state)
{
    (void)state;
    tsvc_buf a = TSVC_BUF_INIT;
    int64_t now = T0 + 20 * YEAR;
    make_archive(TSVC_ATS_V3, TSVC_LT_PROFILE_EN, true, &a);
    write_out("b-lta.p7s", &a);
    tsvc_store *s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    tsvc_ltv_report *r = ltv(&a, now, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_string_equal(tsvc_ltv_report_level(r), "B-LTA");
    assert_int_equal(tsvc_ltv_report_num_archive_timestamps(r), 2);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_version(r, 0), TSVC_ATS_V3);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_version(r, 1), TSVC_ATS_V3);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_time(r, 1), T0 + 9 * YEAR + HOUR);
    int64_t best = 0, renewal = 0;
    assert_int_equal(tsvc_ltv_report_best_signature_time(r, &best), 1);
    assert_int_equal(best, T1);
    /* Renewal: the expiry of TSA 2's certificate (T0 + 25 y). */
    assert_int_equal(tsvc_ltv_report_renewal_date(r, &renewal), 1);
    assert_int_equal(renewal, tsvc_cert_not_after(g_tsa2));
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);

    /* Without the renewal the archive has lost its proof at T0 + 20 y. */
    tsvc_buf old = TSVC_BUF_INIT;
    make_archive(TSVC_ATS_V3, TSVC_LT_PROFILE_EN, false, &old);
    write_out("b-lta-1.p7s", &old);
    s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    r = ltv(&old, now, s, NULL);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_OUT_OF_BOUNDS_NO_POE);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_indication(r, 0),
                     TSVC_INDICATION_INDETERMINATE);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    /* ... but at T0 + 5 y it is valid, and must be renewed before TSA 1 expires. */
    s = store_with(crl_at(T0 + 5 * YEAR - DAY, NULL, 0), NULL);
    r = ltv(&old, T0 + 5 * YEAR, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    int64_t until = 0;
    assert_int_equal(tsvc_ltv_report_renewal_date(r, &until), 1);
    assert_int_equal(until, tsvc_cert_not_after(g_tsa1));
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&old);
    tsvc_buf_dispose(&a);
}

/* 4. A tampered archive time-stamp fails. */
static void test_archive_tampered(void **state)
{
    (void)state;
    tsvc_buf a = TSVC_BUF_INIT;
    make_archive(TSVC_ATS_V3, TSVC_LT_PROFILE_EN, false, &a);
    /* Change the last octet of the ats-hash-index-v3 inside the token. */
    tsvc__cms *cms = NULL, *tok = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, a.data, a.len, &cms, NULL), TSVC_OK);
    const tsvc__cms_attr *ats =
        tsvc__cms_find_attr(cms->signers[0].uattrs, cms->signers[0].num_uattrs,
                            TSVC__LT_OID(TSVC__OID_AA_ATS_V3), NULL);
    assert_non_null(ats);
    size_t tok_off = (size_t)(ats->first.data - cms->der);
    assert_int_equal(tsvc__cms_parse(g_ctx, ats->first.data, ats->first.len, &tok, NULL), TSVC_OK);
    const tsvc__cms_attr *ix =
        tsvc__cms_find_attr(tok->signers[0].uattrs, tok->signers[0].num_uattrs,
                            TSVC__LT_OID(TSVC__OID_AA_ATS_HASH_INDEX_V3), NULL);
    assert_non_null(ix);
    /* The token parsed from a copy: find the same bytes in the signature. */
    size_t ix_off = (size_t)(ix->first.data - tok->der) + ix->first.len - 1;
    tsvc_buf t = TSVC_BUF_INIT;
    assert_int_equal(tsvc__buf_set(g_ctx, &t, cms->der, cms->der_len), TSVC_OK);
    t.data[tok_off + ix_off] ^= 0x01;
    tsvc__cms_free(tok);
    tsvc__cms_free(cms);

    tsvc_store *s = store_with(crl_at(T0 + YEAR - DAY, NULL, 0), NULL);
    tsvc_ltv_report *r = ltv(&t, T0 + YEAR, s, NULL);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_HASH_FAILURE);
    tsvc_ltv_report_free(r);
    /* The untouched archive passes. */
    r = ltv(&a, T0 + YEAR, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_ltv_report_free(r);
    /* Content of the signature changed after the archive time-stamp: a
     * certificate removed from the index's view (flip in the signer's
     * certificate bytes) also breaks the signature itself. */
    tsvc_store_free(s);
    tsvc_buf_dispose(&t);
    tsvc_buf_dispose(&a);
}

static bool has_check(const tsvc_report *r, const char *name, tsvc_check_result res,
                      const char *text);

/* 4b. A signature time-stamp whose signature value was changed fails the
 * signature (the long-term pass is the only one that checks the token). */
static void test_signature_timestamp_tampered(void **state)
{
    (void)state;
    tsvc_buf lt = TSVC_BUF_INIT;
    make_blt("tampered token", 0, TSVC_LT_PROFILE_EN, &lt);
    tsvc__cms *cms = NULL, *tok = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, lt.data, lt.len, &cms, NULL), TSVC_OK);
    const tsvc__cms_attr *ts =
        tsvc__cms_find_attr(cms->signers[0].uattrs, cms->signers[0].num_uattrs,
                            TSVC__LT_OID(TSVC__OID_AA_TIMESTAMP_TOKEN), NULL);
    assert_non_null(ts);
    size_t tok_off = (size_t)(ts->first.data - cms->der);
    assert_int_equal(tsvc__cms_parse(g_ctx, ts->first.data, ts->first.len, &tok, NULL), TSVC_OK);
    assert_int_equal(tok->num_signers, 1);
    /* The last octet of the TSA's ECDSA signature (s): still DER, no longer valid. */
    size_t sig_off = (size_t)(tok->signers[0].sig_value.data - tok->der) +
                     tok->signers[0].sig_value.len - 1;
    tsvc_buf t = TSVC_BUF_INIT;
    assert_int_equal(tsvc__buf_set(g_ctx, &t, cms->der, cms->der_len), TSVC_OK);
    t.data[tok_off + sig_off] ^= 0x01;
    tsvc__cms_free(tok);
    tsvc__cms_free(cms);

    tsvc_store *s = store_with(crl_at(T0 + YEAR - DAY, NULL, 0), NULL);
    tsvc_ltv_report *r = ltv(&t, T0 + YEAR, s, NULL);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_SIG_CRYPTO_FAILURE);
    assert_true(has_check(tsvc_ltv_report_checks(r), "signature-timestamp", TSVC_CHECK_FAILED,
                          NULL));
    assert_true(has_check(tsvc_ltv_report_checks(r), "signature", TSVC_CHECK_PASSED, NULL));
    assert_int_equal(tsvc_ltv_report_best_signature_time(r, NULL), 0);
    tsvc_ltv_report_free(r);
    /* The untouched signature passes. */
    r = ltv(&lt, T0 + YEAR, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&t);
    tsvc_buf_dispose(&lt);
}

/* JIS X 5092 ES-XL / ES-A: references and values as attributes, archive time-stamp v2. */
static void test_jis_es_a_v2(void **state)
{
    (void)state;
    tsvc_buf xl = TSVC_BUF_INIT, a = TSVC_BUF_INIT;
    make_blt("jis", 0, TSVC_LT_PROFILE_JIS, &xl);
    write_out("es-xl.p7s", &xl);
    tsvc__cms *cms = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, xl.data, xl.len, &cms, NULL), TSVC_OK);
    const tsvc__cms_signer *si = &cms->signers[0];
    assert_non_null(tsvc__cms_find_attr(si->uattrs, si->num_uattrs,
                                        TSVC__LT_OID(TSVC__OID_AA_COMPLETE_CERT_REFS), NULL));
    assert_non_null(tsvc__cms_find_attr(si->uattrs, si->num_uattrs,
                                        TSVC__LT_OID(TSVC__OID_AA_COMPLETE_REV_REFS), NULL));
    assert_non_null(tsvc__cms_find_attr(si->uattrs, si->num_uattrs,
                                        TSVC__LT_OID(TSVC__OID_AA_CERT_VALUES), NULL));
    assert_non_null(tsvc__cms_find_attr(si->uattrs, si->num_uattrs,
                                        TSVC__LT_OID(TSVC__OID_AA_REVOCATION_VALUES), NULL));
    assert_false(cms->has_crls);
    tsvc__cms_free(cms);

    tsvc_store *s = store_with(crl_at(T0 + YEAR - DAY, NULL, 0), NULL);
    tsvc_ltv_report *r = ltv(&xl, T0 + YEAR, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_string_equal(tsvc_ltv_report_level(r), "B-LT");
    /* The ES-C references name the values carried. */
    const tsvc_report *ck = tsvc_ltv_report_checks(r);
    int refs_ok = 0;
    for (size_t k = 0; k < tsvc_report_num_checks(ck); k++)
        if (strncmp(tsvc_report_check_name(ck, k), "complete-", 9) == 0 &&
            tsvc_report_check_result(ck, k) == TSVC_CHECK_PASSED)
            refs_ok++;
    assert_int_equal(refs_ok, 2);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);

    make_archive(TSVC_ATS_V2, TSVC_LT_PROFILE_JIS, true, &a);
    write_out("es-a.p7s", &a);
    int64_t now = T0 + 20 * YEAR;
    s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    r = ltv(&a, now, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_ltv_report_num_archive_timestamps(r), 2);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_version(r, 0), TSVC_ATS_V2);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_version(r, 1), TSVC_ATS_V2);
    tsvc_buf j = TSVC_BUF_INIT;
    assert_int_equal(tsvc_ltv_report_to_json(r, &j, NULL), TSVC_OK);
    assert_non_null(strstr((const char *)j.data, "\"version\":2"));
    assert_non_null(strstr((const char *)j.data, "archive-timestamp-v2"));
    tsvc_buf_dispose(&j);
    tsvc_ltv_report_free(r);

    /* A changed unsigned attribute under the v2 time-stamps fails them. */
    tsvc__cms *c2 = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, a.data, a.len, &c2, NULL), TSVC_OK);
    const tsvc__cms_attr *cv =
        tsvc__cms_find_attr(c2->signers[0].uattrs, c2->signers[0].num_uattrs,
                            TSVC__LT_OID(TSVC__OID_AA_COMPLETE_CERT_REFS), NULL);
    assert_non_null(cv);
    size_t off = (size_t)(cv->first.data - c2->der) + cv->first.len - 1;
    tsvc_buf t = TSVC_BUF_INIT;
    assert_int_equal(tsvc__buf_set(g_ctx, &t, c2->der, c2->der_len), TSVC_OK);
    t.data[off] ^= 0x01;
    tsvc__cms_free(c2);
    r = ltv(&t, now, s, NULL);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_HASH_FAILURE);
    tsvc_ltv_report_free(r);
    tsvc_buf_dispose(&t);
    tsvc_store_free(s);
    tsvc_buf_dispose(&a);
    tsvc_buf_dispose(&xl);
}

/* Algorithms: judged at the proven time; the renewal date follows them. */
static void test_algorithm_expiry(void **state)
{
    (void)state;
    tsvc_buf a = TSVC_BUF_INIT;
    tsvc_algorithm_policy *ap = NULL;
    int64_t sha256_end = T0 + 12 * YEAR;
    make_archive(TSVC_ATS_V3, TSVC_LT_PROFILE_EN, true, &a);
    assert_int_equal(tsvc_algorithm_policy_new(g_ctx, &ap, TSVC_ALGPOL_DEFAULT, NULL), TSVC_OK);
    assert_int_equal(tsvc_algorithm_policy_set_hash(ap, TSVC_HASH_SHA256, sha256_end, NULL),
                     TSVC_OK);
    /* At T0 + 11 y: valid, to be renewed when SHA-256 is refused. */
    int64_t now = T0 + 11 * YEAR;
    tsvc_store *s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    tsvc_ltv_report *r = ltv(&a, now, s, ap);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    int64_t renewal = 0;
    assert_int_equal(tsvc_ltv_report_renewal_date(r, &renewal), 1);
    assert_int_equal(renewal, sha256_end);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    /* A B-T signature whose algorithm is refused before any usable proof. */
    tsvc_buf bt = TSVC_BUF_INIT;
    tsvc_algorithm_policy *ap2 = NULL;
    make_bt("weak", &bt);
    assert_int_equal(tsvc_algorithm_policy_new(g_ctx, &ap2, TSVC_ALGPOL_DEFAULT, NULL), TSVC_OK);
    assert_int_equal(tsvc_algorithm_policy_set_hash(ap2, TSVC_HASH_SHA256, T0 + YEAR, NULL),
                     TSVC_OK);
    now = T0 + 2 * YEAR;
    s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    r = ltv(&bt, now, s, ap2);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_algorithm_policy_free(ap2);
    tsvc_algorithm_policy_free(ap);
    tsvc_buf_dispose(&bt);
    tsvc_buf_dispose(&a);
}

/* A TSA revoked before the time its token is judged at gives no proof of
 * existence (the 20-year test shows the other side: a TSA that expired
 * after the archive time-stamp covering its token still counts). */
static void test_tsa_revoked(void **state)
{
    (void)state;
    tsvc_buf lt = TSVC_BUF_INIT, a = TSVC_BUF_INIT;
    size_t sl = 0;
    const uint8_t *ts = tsvc_cert_serial(g_tsa1, &sl);
    revoked rv = {ts, sl, T0 + 2 * YEAR};
    int64_t now = T0 + 2 * YEAR + 100 * DAY;
    make_blt("tsa revoked", 0, TSVC_LT_PROFILE_EN, &lt);
    tsvc_store *s = store_with(crl_at(now - DAY, &rv, 1), NULL);
    tsvc_ltv_report *r = ltv(&lt, now, s, NULL);
    /* The signature time-stamp is judged now: its TSA is revoked. The
     * signer's certificate is still valid now, so the signature passes,
     * but nothing proves when it was made. */
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    int64_t best = 0;
    assert_int_equal(tsvc_ltv_report_best_signature_time(r, &best), 0);
    assert_int_equal(best, now);
    tsvc_ltv_report_free(r);
    /* Archive time-stamps by the same TSA do not help: the newest is judged
     * now as well, when its TSA is revoked, so none of them proves anything. */
    make_archive(TSVC_ATS_V3, TSVC_LT_PROFILE_EN, false, &a);
    tsvc_buf lt2 = TSVC_BUF_INIT, a2 = TSVC_BUF_INIT;
    tsvc_store *s9 = store_with(crl_at(T0 + YEAR - HOUR, NULL, 0), NULL);
    extend_lt(&a, &lt2, T0 + YEAR, s9, TSVC_LT_PROFILE_EN);
    tsvc_store_free(s9);
    add_ats(&lt2, &a2, T0 + YEAR + HOUR, "http://tsa1/", TSVC_ATS_V3);
    r = ltv(&a2, now, s, NULL);
    assert_int_equal(tsvc_ltv_report_best_signature_time(r, &best), 0);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_indication(r, 1),
                     TSVC_INDICATION_INDETERMINATE);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&a2);
    tsvc_buf_dispose(&lt2);
    tsvc_buf_dispose(&a);
    tsvc_buf_dispose(&lt);
}

/* Order: an archive time-stamp older than the signature time-stamp. */
static void test_timestamp_order(void **state)
{
    (void)state;
    tsvc_buf lt = TSVC_BUF_INIT, a = TSVC_BUF_INIT;
    make_blt("order", 0, TSVC_LT_PROFILE_EN, &lt);
    add_ats(&lt, &a, T1 - 30 * 60, "http://tsa1/", TSVC_ATS_V3);
    tsvc_store *s = store_with(crl_at(T0 + YEAR - DAY, NULL, 0), NULL);
    tsvc_ltv_report *r = ltv(&a, T0 + YEAR, s, NULL);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TIMESTAMP_ORDER_FAILURE);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&a);
    tsvc_buf_dispose(&lt);
}

/* An OCSP response of the root about the signer and TSA 1, produced at @p at. */
static tsvc_ocsp_response *ocsp_at(int64_t at, int64_t signer_revoked_at)
{
    tsvc_ocsp_response_builder *b = NULL;
    tsvc_ocsp_response *r = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    size_t sl = 0;
    const uint8_t *ts = tsvc_cert_serial(g_tsa1, &sl);
    assert_int_equal(tsvc_ocsp_response_builder_new(g_ctx, &b, g_root, g_root, g_root_key, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_set_times(b, at, at, at + 7 * DAY, NULL),
                     TSVC_OK);
    if (signer_revoked_at != 0)
        assert_int_equal(tsvc_ocsp_response_builder_add(b, SIGNER_SERIAL, sizeof(SIGNER_SERIAL),
                                                        TSVC_CERT_STATUS_REVOKED,
                                                        signer_revoked_at,
                                                        TSVC_REASON_KEY_COMPROMISE, NULL),
                         TSVC_OK);
    else
        assert_int_equal(tsvc_ocsp_response_builder_add(b, SIGNER_SERIAL, sizeof(SIGNER_SERIAL),
                                                        TSVC_CERT_STATUS_GOOD, 0,
                                                        TSVC_REASON_NONE, NULL),
                         TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_add(b, ts, sl, TSVC_CERT_STATUS_GOOD, 0,
                                                    TSVC_REASON_NONE, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_builder_finish(b, &der, NULL), TSVC_OK);
    assert_int_equal(tsvc_ocsp_response_parse(g_ctx, &r, der.data, der.len, NULL), TSVC_OK);
    tsvc_buf_dispose(&der);
    tsvc_ocsp_response_builder_free(b);
    return r;
}

/* B-LT with OCSP responses: id-ri-ocsp-response in SignedData.crls (version 5). */
static void test_ocsp_values(void **state)
{
    (void)state;
    tsvc_buf bt = TSVC_BUF_INIT, lt = TSVC_BUF_INIT;
    tsvc_store *s = NULL;
    int64_t at = T1 + 2 * HOUR, now = T0 + YEAR;
    make_bt("ocsp", &bt);
    assert_int_equal(tsvc_store_new(g_ctx, &s, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s, g_root, NULL), TSVC_OK);
    tsvc_ocsp_response *o = ocsp_at(at, 0);
    assert_int_equal(tsvc_store_add_ocsp_response(s, o, NULL), TSVC_OK);
    tsvc_ocsp_response_free(o);
    extend_lt(&bt, &lt, at, s, TSVC_LT_PROFILE_EN);
    tsvc_store_free(s);
    write_out("b-lt-ocsp.p7s", &lt);
    tsvc__cms *cms = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, lt.data, lt.len, &cms, NULL), TSVC_OK);
    assert_int_equal(cms->version, 5);
    assert_int_equal(cms->num_crls, 1);
    assert_int_equal(cms->crls[0].data[0], 0xa1);
    tsvc__cms_free(cms);
    /* Now: the signer revoked since (OCSP of now); TSA 1 good. */
    assert_int_equal(tsvc_store_new(g_ctx, &s, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s, g_root, NULL), TSVC_OK);
    o = ocsp_at(now - HOUR, T0 + 60 * DAY);
    assert_int_equal(tsvc_store_add_ocsp_response(s, o, NULL), TSVC_OK);
    tsvc_ocsp_response_free(o);
    tsvc_ltv_report *r = ltv(&lt, now, s, NULL);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&lt);
    tsvc_buf_dispose(&bt);
}

/* Detached content: the archive time-stamps hash the content given. */
static void test_detached(void **state)
{
    (void)state;
    static const char text[] = "detached contract";
    tsvc_buf bb = TSVC_BUF_INIT, bt = TSVC_BUF_INIT, lt = TSVC_BUF_INIT, a3 = TSVC_BUF_INIT,
             a2 = TSVC_BUF_INIT;
    tsvc_signer_options so = TSVC_SIGNER_OPTIONS_INIT;
    tsvc_error *err = NULL;
    so.detached = 1;
    g_now = T0;
    assert_int_equal(tsvc_sign(g_ctx, &bb, g_signer_key, g_signer, text, strlen(text), &so, NULL),
                     TSVC_OK);
    g_now = g_tsa_time = T1;
    assert_int_equal(tsvc_tst_timestamp_signature(g_ctx, &bt, bb.data, bb.len, 0, "http://tsa1/",
                                                  TSVC_HASH_SHA256, NULL),
                     TSVC_OK);
    tsvc_store *s = store_with(crl_at(T1 + 2 * HOUR, NULL, 0), NULL);
    extend_lt(&bt, &lt, T1 + 2 * HOUR, s, TSVC_LT_PROFILE_EN);
    tsvc_store_free(s);
    g_now = g_tsa_time = T1 + 3 * HOUR;
    /* Without the content no archive time-stamp can be computed. */
    assert_int_equal(tsvc_ats_timestamp_signature(g_ctx, &a3, lt.data, lt.len, 0, NULL, 0,
                                                  TSVC_ATS_V3, "http://tsa1/", TSVC_HASH_SHA256,
                                                  NULL),
                     TSVC_ERR_CMS_NO_CONTENT);
    if (tsvc_ats_timestamp_signature(g_ctx, &a3, lt.data, lt.len, 0, (const uint8_t *)text,
                                     strlen(text), TSVC_ATS_V3, "http://tsa1/",
                                     TSVC_HASH_SHA384, &err) != TSVC_OK)
        fail_msg("v3: %s", tsvc_error_message(err));
    g_now = g_tsa_time = T1 + 4 * HOUR;
    assert_int_equal(tsvc_ats_timestamp_signature(g_ctx, &a2, a3.data, a3.len, 0,
                                                  (const uint8_t *)text, strlen(text),
                                                  TSVC_ATS_V2, "http://tsa1/", TSVC_HASH_SHA512,
                                                  NULL),
                     TSVC_OK);
    int64_t now = T0 + YEAR;
    s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    tsvc_ltv_options o = TSVC_LTV_OPTIONS_INIT;
    tsvc_ltv_report *r = NULL;
    o.when = now;
    g_now = now;
    assert_int_equal(tsvc_ltv_verify(g_ctx, &r, a2.data, a2.len, (const uint8_t *)text,
                                     strlen(text), s, &o, NULL),
                     TSVC_OK);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    /* Both versions seen, in genTime order. */
    assert_int_equal(tsvc_ltv_report_num_archive_timestamps(r), 2);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_version(r, 0), TSVC_ATS_V3);
    assert_int_equal(tsvc_ltv_report_archive_timestamp_version(r, 1), TSVC_ATS_V2);
    tsvc_ltv_report_free(r);
    assert_int_equal(tsvc_ltv_verify(g_ctx, &r, a2.data, a2.len, NULL, 0, s, &o, NULL), TSVC_OK);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_SIGNED_DATA_NOT_FOUND);
    assert_string_equal(tsvc_ltv_report_level(r), "B-LTA"); /* seen from the structure */
    tsvc_ltv_report_free(r);
    assert_int_equal(tsvc_ltv_verify(g_ctx, &r, a2.data, a2.len, (const uint8_t *)"other", 5, s,
                                     &o, NULL),
                     TSVC_OK);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_HASH_FAILURE);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&a2);
    tsvc_buf_dispose(&a3);
    tsvc_buf_dispose(&lt);
    tsvc_buf_dispose(&bt);
    tsvc_buf_dispose(&bb);
}

/* Bad input: garbage, truncations, a wrong signer index, limits. */
static void test_bad_input(void **state)
{
    (void)state;
    tsvc_buf a = TSVC_BUF_INIT;
    tsvc_store *s = store_with(NULL, NULL);
    make_archive(TSVC_ATS_V3, TSVC_LT_PROFILE_EN, false, &a);
    for (size_t cut = 0; cut < a.len; cut += a.len / 97 + 1) {
        tsvc_ltv_report *r = NULL;
        assert_int_equal(tsvc_ltv_verify(g_ctx, &r, a.data, cut, NULL, 0, s, NULL, NULL),
                         TSVC_OK);
        assert_int_not_equal(tsvc_ltv_report_indication(r), TSVC_INDICATION_PASSED);
        tsvc_ltv_report_free(r);
    }
    /* Every 97th octet flipped in turn: the validation runs, and nothing
     * crashes or leaks (checked under the sanitizers and valgrind). */
    tsvc_buf m = TSVC_BUF_INIT;
    assert_int_equal(tsvc__buf_set(g_ctx, &m, a.data, a.len), TSVC_OK);
    for (size_t i = 0; i < m.len; i += 97) {
        tsvc_ltv_report *mr = NULL;
        tsvc_buf out = TSVC_BUF_INIT;
        m.data[i] ^= 0x5a;
        tsvc_error *err = NULL;
        tsvc_status st = tsvc_ltv_verify(g_ctx, &mr, m.data, m.len, NULL, 0, s, NULL, &err);
        if (st != TSVC_OK)
            fail_msg("octet %zu: %s: %s", i, tsvc_status_str(st),
                     err ? tsvc_error_message(err) : "");
        assert_non_null(mr);
        tsvc_ltv_report_free(mr);
        (void)tsvc_ades_extend_lt(g_ctx, &out, m.data, m.len, 0, s, NULL, NULL);
        tsvc_buf_dispose(&out);
        m.data[i] ^= 0x5a;
    }
    tsvc_buf_dispose(&m);
    tsvc_ltv_options o = TSVC_LTV_OPTIONS_INIT;
    o.signer_index = 3;
    tsvc_ltv_report *r = NULL;
    assert_int_equal(tsvc_ltv_verify(g_ctx, &r, a.data, a.len, NULL, 0, s, &o, NULL), TSVC_OK);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE);
    tsvc_ltv_report_free(r);
    o.version = 99;
    assert_int_equal(tsvc_ltv_verify(g_ctx, &r, a.data, a.len, NULL, 0, s, &o, NULL),
                     TSVC_ERR_BAD_VERSION);
    assert_null(r);
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_tsq *q = NULL;
    assert_int_equal(tsvc_tsq_new_for_archive(g_ctx, &q, a.data, a.len, 0, NULL, 0,
                                              (tsvc_ats_version)7, TSVC_HASH_SHA256, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_tsq_new_for_archive(g_ctx, &q, a.data, a.len, 0, (const uint8_t *)"x",
                                              1, TSVC_ATS_V3, TSVC_HASH_SHA256, NULL),
                     TSVC_ERR_CMS_NO_CONTENT);
    assert_int_equal(tsvc_ades_extend_lt(g_ctx, &out, a.data, a.len, 5, s, NULL, NULL),
                     TSVC_ERR_CMS_SIGNER_INDEX);
    assert_int_equal(tsvc_ltv_max_archive_timestamps(), TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS);
    assert_int_equal(tsvc_ltv_max_revocation_values(), TSVC_LTV_MAX_REVOCATION_VALUES);
    tsvc_store_free(s);
    tsvc_buf_dispose(&a);
}

/* ---- allocation failures: every one is reported, nothing leaks ---- */

static void test_allocation_failures(void **state)
{
    (void)state;
    tsvc_test_counter cnt = {-1, 0};
    tsvc_allocator al = tsvc_test_counting_allocator(&cnt);
    tsvc_ctx *ctx = NULL;
    tsvc_buf a = TSVC_BUF_INIT, bt = TSVC_BUF_INIT;
    int64_t now = T0 + 20 * YEAR;
    make_archive(TSVC_ATS_V2, TSVC_LT_PROFILE_JIS, true, &a);
    make_bt("allocations", &bt);
    assert_int_equal(tsvc_ctx_new(&ctx, &al, NULL), TSVC_OK);
    tsvc_ctx_set_clock(ctx, clock_cb, NULL);
    tsvc_store *s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    tsvc_store *s_lt = store_with(crl_at(T1 + 2 * HOUR, NULL, 0), NULL);
    tsvc_ltv_options o = TSVC_LTV_OPTIONS_INIT;
    tsvc_lt_options lo = TSVC_LT_OPTIONS_INIT;
    o.when = now;
    lo.when = T1 + 2 * HOUR;
    lo.profile = TSVC_LT_PROFILE_JIS;
    g_now = now;

    /* One full run first: lazy caches (context, store) are built on first use. */
    {
        tsvc_ltv_report *r = NULL;
        tsvc_buf out = TSVC_BUF_INIT;
        assert_int_equal(tsvc_ltv_verify(ctx, &r, a.data, a.len, NULL, 0, s, &o, NULL), TSVC_OK);
        expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
        tsvc_ltv_report_free(r);
        assert_int_equal(tsvc_ades_extend_lt(ctx, &out, bt.data, bt.len, 0, s_lt, &lo, NULL),
                         TSVC_OK);
        tsvc_buf_dispose(&out);
    }

    /* Long-term validation. */
    bool done = false;
    for (long n = 0; n < 100000 && !done; n++) {
        tsvc_ltv_report *r = NULL;
        long before = cnt.live;
        cnt.budget = n;
        tsvc_status st = tsvc_ltv_verify(ctx, &r, a.data, a.len, NULL, 0, s, &o, NULL);
        cnt.budget = -1;
        if (st == TSVC_OK && tsvc_ltv_report_indication(r) == TSVC_INDICATION_PASSED)
            done = true;
        else if (st != TSVC_OK)
            assert_int_equal(st, TSVC_ERR_NOMEM);
        tsvc_ltv_report_free(r);
        if (cnt.live != before)
            fail_msg("ltv: n=%ld st=%d live %ld before %ld", n, (int)st, cnt.live, before);
    }
    assert_true(done);

    /* B-LT (ES-XL) and an archive time-stamp request. */
    done = false;
    for (long n = 0; n < 100000 && !done; n++) {
        tsvc_buf out = TSVC_BUF_INIT;
        tsvc_tsq *q = NULL;
        long before = cnt.live;
        cnt.budget = n;
        tsvc_error *err = NULL;
        tsvc_status st = tsvc_ades_extend_lt(ctx, &out, bt.data, bt.len, 0, s_lt, &lo, &err);
        if (st == TSVC_OK)
            st = tsvc_tsq_new_for_archive(ctx, &q, out.data, out.len, 0, NULL, 0, TSVC_ATS_V2,
                                          TSVC_HASH_SHA256, NULL);
        cnt.budget = -1;
        if (st == TSVC_OK)
            done = true;
        else if (st != TSVC_ERR_NOMEM)
            fail_msg("lt: n=%ld: %s: %s", n, tsvc_status_str(st),
                     err ? tsvc_error_message(err) : "");
        tsvc_error_free(err);
        tsvc_tsq_free(q);
        tsvc_buf_dispose(&out);
        if (cnt.live != before)
            fail_msg("lt: n=%ld st=%d live %ld before %ld", n, (int)st, cnt.live, before);
    }
    assert_true(done);
    tsvc_store_free(s);
    tsvc_store_free(s_lt);
    tsvc_ctx_free(ctx);
    assert_int_equal(cnt.live, 0);
    tsvc_buf_dispose(&bt);
    tsvc_buf_dispose(&a);
}

/* ---- tsvc_verify(): the store's revocation material, the report's chain,
 *      signature time-stamps (B-T) ---- */

static tsvc_sig_report *verify_at(const tsvc_buf *sig, tsvc_store *store, int64_t when,
                                  tsvc_revocation_mode mode, uint32_t flags)
{
    tsvc_policy *pol = NULL;
    tsvc_sig_report *r = NULL;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, when, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_mode(pol, mode, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_flags(pol, flags, NULL), TSVC_OK);
    g_now = when;
    if (tsvc_verify(g_ctx, &r, sig->data, sig->len, NULL, 0, store, pol, NULL, &err) != TSVC_OK)
        fail_msg("verify: %s", tsvc_error_message(err));
    tsvc_policy_free(pol);
    return r;
}

static void expect_sig(const tsvc_sig_report *r, tsvc_indication ind, tsvc_subindication sub)
{
    if (tsvc_sig_report_signer_indication(r, 0) != ind ||
        tsvc_sig_report_signer_subindication(r, 0) != sub)
        fail_msg("expected %s/%s, got %s/%s: %s", tsvc_indication_str((int)ind),
                 tsvc_subindication_str((int)sub),
                 tsvc_indication_str((int)tsvc_sig_report_signer_indication(r, 0)),
                 tsvc_subindication_str((int)tsvc_sig_report_signer_subindication(r, 0)),
                 tsvc_sig_report_signer_reason(r, 0));
}

/* A check of the signer's report with this name and result whose message
 * holds @p text. */
static bool has_check(const tsvc_report *r, const char *name, tsvc_check_result res,
                      const char *text)
{
    for (size_t k = 0; k < tsvc_report_num_checks(r); k++)
        if (strcmp(tsvc_report_check_name(r, k), name) == 0 &&
            tsvc_report_check_result(r, k) == res &&
            (text == NULL || strstr(tsvc_report_check_message(r, k), text) != NULL))
            return true;
    return false;
}

/* Regression: tsvc_verify() used only the store's anchors and intermediates,
 * so revocation checking always found "no usable revocation data". */
static void test_verify_uses_store_crls(void **state)
{
    (void)state;
    tsvc_buf bb = TSVC_BUF_INIT;
    int64_t now = T0 + YEAR;
    revoked rv = {SIGNER_SERIAL, sizeof(SIGNER_SERIAL), T0 + 30 * DAY};
    g_now = T0;
    assert_int_equal(tsvc_sign(g_ctx, &bb, g_signer_key, g_signer, "crl", 3, NULL, NULL),
                     TSVC_OK);
    /* Revoked, no proof of existence before the revocation. */
    tsvc_store *s = store_with(crl_at(now - DAY, &rv, 1), NULL);
    tsvc_sig_report *r = verify_at(&bb, s, now, TSVC_REVOCATION_HARD_FAIL, 0);
    expect_sig(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_REVOKED_NO_POE);
    assert_true(has_check(tsvc_sig_report_signer_checks(r, 0), "crl", TSVC_CHECK_FAILED,
                          "revoked at"));
    tsvc_sig_report_free(r);
    /* The validation time taken as a proof of existence: FAILED / REVOKED. */
    r = verify_at(&bb, s, now, TSVC_REVOCATION_SOFT_FAIL, TSVC_REVOCATION_TIME_IS_POE);
    expect_sig(r, TSVC_INDICATION_FAILED, TSVC_SUB_REVOKED);
    tsvc_sig_report_free(r);
    tsvc_store_free(s);
    /* Good: a current CRL without the signer, named in the report. */
    s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    r = verify_at(&bb, s, now, TSVC_REVOCATION_HARD_FAIL, 0);
    expect_sig(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(has_check(tsvc_sig_report_signer_checks(r, 0), "crl", TSVC_CHECK_PASSED,
                          "CRL from"));
    tsvc_sig_report_free(r);
    tsvc_store_free(s);
    /* No CRL at all under hard-fail: TRY_LATER. */
    s = store_with(NULL, NULL);
    r = verify_at(&bb, s, now, TSVC_REVOCATION_HARD_FAIL, 0);
    expect_sig(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER);
    tsvc_sig_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&bb);
}

static bool same_cert(const tsvc_cert *a, const tsvc_cert *b)
{
    size_t al = 0, bl = 0;
    const uint8_t *ad = tsvc_cert_der(a, &al), *bd = tsvc_cert_der(b, &bl);
    return a != NULL && b != NULL && al == bl && memcmp(ad, bd, al) == 0;
}

/* Every certificate index of a report's checks names a certificate of its chain. */
static void assert_cert_indices(const tsvc_report *r, bool need_one)
{
    bool any = false;
    for (size_t k = 0; k < tsvc_report_num_checks(r); k++) {
        int c = tsvc_report_check_cert(r, k);
        if (c >= 0) {
            any = true;
            assert_true((size_t)c < tsvc_report_chain_count(r));
        }
    }
    if (need_one)
        assert_true(any);
}

/* Regression: the per-signer and time-stamp reports had an empty chain and
 * nested checks with cert -1. */
static void test_verify_report_chain(void **state)
{
    (void)state;
    tsvc_buf bt = TSVC_BUF_INIT, j = TSVC_BUF_INIT;
    int64_t now = T0 + 30 * DAY;
    make_bt("chain", &bt);
    tsvc_store *s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    tsvc_sig_report *r = verify_at(&bt, s, now, TSVC_REVOCATION_SOFT_FAIL, 0);
    expect_sig(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_sig_report_signer_chain_count(r, 0), 2);
    assert_true(same_cert(tsvc_sig_report_signer_chain_cert(r, 0, 0), g_signer));
    assert_true(same_cert(tsvc_sig_report_signer_chain_cert(r, 0, 1), g_root));
    assert_null(tsvc_sig_report_signer_chain_cert(r, 0, 2));
    assert_null(tsvc_sig_report_signer_chain_cert(r, 1, 0));
    assert_int_equal(tsvc_sig_report_signer_chain_count(NULL, 0), 0);
    const tsvc_report *checks = tsvc_sig_report_signer_checks(r, 0);
    /* The signer's path first, then the TSA's certificate (the root once). */
    assert_int_equal(tsvc_report_chain_count(checks), 3);
    assert_true(same_cert(tsvc_report_chain_cert(checks, 2), g_tsa1));
    assert_cert_indices(checks, true);
    assert_int_equal(tsvc_sig_report_to_json(r, &j, NULL), TSVC_OK);
    const char *text = (const char *)j.data;
    const char *chain = strstr(text, "\"chain\":[{");
    assert_non_null(chain);
    const char *leaf = strstr(chain, "CN=LTV Signer");
    const char *anchor = strstr(chain, "CN=LTV Test Root");
    assert_non_null(leaf);
    assert_non_null(anchor);
    assert_true(leaf < anchor);
    assert_null(strstr(text, "\"chain\":[]"));
    tsvc_buf_dispose(&j);
    tsvc_sig_report_free(r);
    /* The time-stamp report of tsvc_tst_verify_signature(): TSA leaf -> root. */
    tsvc_report *tr = NULL;
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &tr, bt.data, bt.len, 0, s, NULL, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_report_indication(tr), TSVC_INDICATION_PASSED);
    assert_int_equal(tsvc_report_chain_count(tr), 2);
    assert_true(same_cert(tsvc_report_chain_cert(tr, 0), g_tsa1));
    assert_true(same_cert(tsvc_report_chain_cert(tr, 1), g_root));
    assert_cert_indices(tr, false);
    assert_int_equal(tsvc_report_to_json(tr, &j, NULL), TSVC_OK);
    assert_null(strstr((const char *)j.data, "\"chain\":[]"));
    tsvc_buf_dispose(&j);
    tsvc_report_free(tr);
    tsvc_store_free(s);
    tsvc_buf_dispose(&bt);
}

/* B-T in tsvc_verify(): the signature time-stamp is verified and its genTime
 * is the best signature time; a signer certificate that expired (or was
 * revoked) after genTime does not fail the signature. */
static void test_verify_bt_expired_after_gentime(void **state)
{
    (void)state;
    tsvc_buf bt = TSVC_BUF_INIT, bb = TSVC_BUF_INIT;
    int64_t later = T0 + 5 * YEAR; /* the signer expired at T0 + 3 years */
    int64_t when = 0;
    make_bt("expired later", &bt);
    tsvc_store *s = store_with(NULL, NULL);
    tsvc_sig_report *r = verify_at(&bt, s, later, TSVC_REVOCATION_NONE, 0);
    expect_sig(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_sig_report_signer_best_signature_time(r, 0, &when), 1);
    assert_int_equal(when, T1);
    const tsvc_report *checks = tsvc_sig_report_signer_checks(r, 0);
    assert_true(has_check(checks, "signature-timestamp", TSVC_CHECK_PASSED, NULL));
    assert_true(has_check(checks, "best-signature-time", TSVC_CHECK_PASSED, NULL));
    tsvc_buf j = TSVC_BUF_INIT;
    assert_int_equal(tsvc_sig_report_to_json(r, &j, NULL), TSVC_OK);
    assert_non_null(strstr((const char *)j.data, "\"best_signature_time\":\"2026-01-01T01:00:00Z\""));
    tsvc_buf_dispose(&j);
    tsvc_sig_report_free(r);
    /* The same signature without its time-stamp: the expiry decides. */
    g_now = T0;
    assert_int_equal(tsvc_sign(g_ctx, &bb, g_signer_key, g_signer, "expired later", 13, NULL,
                               NULL),
                     TSVC_OK);
    r = verify_at(&bb, s, later, TSVC_REVOCATION_NONE, 0);
    assert_int_not_equal(tsvc_sig_report_signer_indication(r, 0), TSVC_INDICATION_PASSED);
    assert_int_equal(tsvc_sig_report_signer_best_signature_time(r, 0, NULL), 0);
    tsvc_sig_report_free(r);
    tsvc_store_free(s);

    /* Revoked after genTime (CRL of now), hard-fail: PASSED; revoked before: FAILED. */
    int64_t now = T0 + YEAR;
    revoked after = {SIGNER_SERIAL, sizeof(SIGNER_SERIAL), T0 + 30 * DAY};
    revoked before = {SIGNER_SERIAL, sizeof(SIGNER_SERIAL), T1 - 10 * 60};
    s = store_with(crl_at(T1, NULL, 0), crl_at(now - DAY, &after, 1));
    r = verify_at(&bt, s, now, TSVC_REVOCATION_HARD_FAIL, 0);
    expect_sig(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_sig_report_free(r);
    tsvc_store_free(s);
    s = store_with(crl_at(T1, NULL, 0), crl_at(now - DAY, &before, 1));
    r = verify_at(&bt, s, now, TSVC_REVOCATION_HARD_FAIL, 0);
    expect_sig(r, TSVC_INDICATION_FAILED, TSVC_SUB_REVOKED);
    tsvc_sig_report_free(r);
    tsvc_store_free(s);
    tsvc_buf_dispose(&bb);
    tsvc_buf_dispose(&bt);
}

#if TSVC_HAVE_OPENSSL
extern const tsvc_backend tsvc__backend_openssl;

/* Backend calls over one digest, counted by a copy of the OpenSSL
 * backend's table with a counting verify_hash and the highest priority. */
static uint8_t g_watched[TSVC_HASH_MAX_SIZE];
static size_t g_watched_len;
static long g_watched_verifies;

static tsvc_status watching_verify_hash(void *state, void *pub,
                                        const tsvc_backend_sig_params *params,
                                        const uint8_t *digest, size_t digest_len,
                                        const uint8_t *sig, size_t sig_len)
{
    if (digest_len == g_watched_len && memcmp(digest, g_watched, digest_len) == 0)
        g_watched_verifies++;
    return tsvc__backend_openssl.verify_hash(state, pub, params, digest, digest_len, sig,
                                             sig_len);
}

/* The digest the TSA signed in the signature time-stamp of @p bt: the hash
 * of the token's signed attributes. */
static void watch_token_signature(const tsvc_buf *bt)
{
    tsvc__cms *cms = NULL, *tok = NULL;
    tsvc_buf tbs = TSVC_BUF_INIT;
    tsvc__sig_params params;
    size_t n = 0;
    assert_int_equal(tsvc__cms_parse(g_ctx, bt->data, bt->len, &cms, NULL), TSVC_OK);
    assert_int_equal(cms->num_signers, 1);
    const tsvc__cms_attr *a =
        tsvc__cms_find_attr(cms->signers[0].uattrs, cms->signers[0].num_uattrs,
                            (const uint8_t *)TSVC__OID_AA_TIMESTAMP_TOKEN,
                            sizeof(TSVC__OID_AA_TIMESTAMP_TOKEN) - 1, &n);
    assert_non_null(a);
    assert_int_equal(a->num_values, 1);
    assert_int_equal(tsvc__cms_parse(g_ctx, a->first.data, a->first.len, &tok, NULL), TSVC_OK);
    assert_int_equal(tok->num_signers, 1);
    assert_int_equal(tsvc__cms_signer_sig_params(&tok->signers[0], &params, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_signed_attrs_tbs(g_ctx, &tok->signers[0], &tbs), TSVC_OK);
    g_watched_len = tsvc__hash_size(params.hash);
    assert_true(g_watched_len > 0);
    assert_int_equal(tsvc__hash_oneshot(g_ctx, params.hash, tbs.data, tbs.len, g_watched, NULL),
                     TSVC_OK);
    tsvc_buf_dispose(&tbs);
    tsvc__cms_free(tok);
    tsvc__cms_free(cms);
}
#endif

/* The long-term validation verifies a signature time-stamp's signature
 * once: its own pass checks every token, so the basic signature checks
 * do not check them again. The verified-signature cache is off, so every
 * check reaches the backend. */
static void test_timestamp_verified_once(void **state)
{
    (void)state;
#if TSVC_HAVE_OPENSSL
    tsvc_backend watching = tsvc__backend_openssl;
    watching.name = "watching-openssl";
    watching.verify_hash = watching_verify_hash;
    tsvc_buf bt = TSVC_BUF_INIT;
    make_blt("verified once", 0, TSVC_LT_PROFILE_EN, &bt);
    watch_token_signature(&bt);

    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_add_backend(ctx, &watching, 1000, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES, 0, NULL), TSVC_OK);
    tsvc_ctx_set_clock(ctx, clock_cb, NULL);
    tsvc_ctx_set_fetch(ctx, fetch_cb, NULL);
    int64_t now = T0 + YEAR;
    tsvc_store *s = store_with(crl_at(now - DAY, NULL, 0), NULL);
    g_now = now;

    /* The B-T check of the basic verification: once (the counter works). */
    tsvc_sig_report *sr = NULL;
    g_watched_verifies = 0;
    assert_int_equal(tsvc_verify(ctx, &sr, bt.data, bt.len, NULL, 0, s, NULL, NULL, NULL),
                     TSVC_OK);
    assert_true(has_check(tsvc_sig_report_signer_checks(sr, 0), "signature-timestamp",
                          TSVC_CHECK_PASSED, NULL));
    assert_int_equal(g_watched_verifies, 1);
    tsvc_sig_report_free(sr);

    /* The long-term validation: PASSED as in the other context, the token
     * verified, and its signature checked once. */
    tsvc_ltv_options o = TSVC_LTV_OPTIONS_INIT;
    tsvc_ltv_report *r = NULL;
    o.when = now;
    g_watched_verifies = 0;
    assert_int_equal(tsvc_ltv_verify(ctx, &r, bt.data, bt.len, NULL, 0, s, &o, NULL), TSVC_OK);
    assert_int_equal(g_watched_verifies, 1);
    const tsvc_report *checks = tsvc_ltv_report_checks(r);
    assert_true(has_check(checks, "signature-timestamp", TSVC_CHECK_PASSED, "token verified"));
    assert_true(has_check(checks, "signature", TSVC_CHECK_PASSED, NULL));
    assert_true(has_check(checks, "message-digest", TSVC_CHECK_PASSED, NULL));
    int64_t best = 0;
    assert_int_equal(tsvc_ltv_report_best_signature_time(r, &best), 1);
    assert_int_equal(best, T1);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_ltv_report *r2 = ltv(&bt, now, s, NULL);
    assert_int_equal(tsvc_ltv_report_indication(r), tsvc_ltv_report_indication(r2));
    assert_int_equal(tsvc_ltv_report_subindication(r), tsvc_ltv_report_subindication(r2));
    assert_string_equal(tsvc_ltv_report_reason(r), tsvc_ltv_report_reason(r2));
    tsvc_ltv_report_free(r2);
    tsvc_ltv_report_free(r);
    tsvc_store_free(s);
    tsvc_ctx_free(ctx);
    tsvc_buf_dispose(&bt);
#else
    skip(); /* needs the OpenSSL backend to count its calls */
#endif
}

static int setup(void **state)
{
    (void)state;
    if (tsvc_ctx_new(&g_ctx, NULL, NULL) != TSVC_OK)
        return -1;
    tsvc_ctx_set_clock(g_ctx, clock_cb, NULL);
    tsvc_ctx_set_fetch(g_ctx, fetch_cb, NULL);
    g_now = T0 - YEAR;
    g_root_key = gen_key();
    g_signer_key = gen_key();
    g_tsa1_key = gen_key();
    g_tsa2_key = gen_key();
    g_root = issue("CN=LTV Test Root,O=libtrustsvc,C=JP", g_root_key, NULL, g_root_key, 1,
                   T0 - YEAR, T0 + 40 * YEAR, 1, 0);
    g_signer = issue("CN=LTV Signer,O=libtrustsvc,C=JP", g_signer_key, g_root, g_root_key,
                     SIGNER_SERIAL[0], T0 - DAY, T0 + 3 * YEAR, 0, 0);
    g_tsa1 = issue("CN=LTV TSA 1,O=libtrustsvc,C=JP", g_tsa1_key, g_root, g_root_key, 0x20,
                   T0 - DAY, T0 + 10 * YEAR, 0, 1);
    g_tsa2 = issue("CN=LTV TSA 2,O=libtrustsvc,C=JP", g_tsa2_key, g_root, g_root_key, 0x21,
                   T0 + 9 * YEAR - DAY, T0 + 25 * YEAR, 0, 1);
    if (tsvc_tsa_new(g_ctx, &g_tsa1_srv, g_tsa1_key, g_tsa1, "1.2.3.4.1", NULL) != TSVC_OK ||
        tsvc_tsa_new(g_ctx, &g_tsa2_srv, g_tsa2_key, g_tsa2, "1.2.3.4.1", NULL) != TSVC_OK ||
        tsvc_tsa_set_clock(g_tsa1_srv, tsa_clock, NULL, NULL) != TSVC_OK ||
        tsvc_tsa_set_clock(g_tsa2_srv, tsa_clock, NULL, NULL) != TSVC_OK)
        return -1;
    size_t rl = 0;
    const uint8_t *rd = tsvc_cert_der(g_root, &rl);
    tsvc_buf rb = {(uint8_t *)(uintptr_t)rd, rl};
    write_out("root.der", &rb);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_tsa_free(g_tsa1_srv);
    tsvc_tsa_free(g_tsa2_srv);
    tsvc_cert_free(g_root);
    tsvc_cert_free(g_signer);
    tsvc_cert_free(g_tsa1);
    tsvc_cert_free(g_tsa2);
    tsvc_key_free(g_root_key);
    tsvc_key_free(g_signer_key);
    tsvc_key_free(g_tsa1_key);
    tsvc_key_free(g_tsa2_key);
    tsvc_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revoked_after_poe),
        cmocka_unit_test(test_revoked_before_poe),
        cmocka_unit_test(test_offline_without_values),
        cmocka_unit_test(test_archive_20_years),
        cmocka_unit_test(test_archive_tampered),
        cmocka_unit_test(test_signature_timestamp_tampered),
        cmocka_unit_test(test_jis_es_a_v2),
        cmocka_unit_test(test_algorithm_expiry),
        cmocka_unit_test(test_timestamp_order),
        cmocka_unit_test(test_tsa_revoked),
        cmocka_unit_test(test_ocsp_values),
        cmocka_unit_test(test_detached),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_verify_uses_store_crls),
        cmocka_unit_test(test_verify_report_chain),
        cmocka_unit_test(test_verify_bt_expired_after_gentime),
        cmocka_unit_test(test_timestamp_verified_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
