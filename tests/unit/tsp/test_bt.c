/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of CAdES B-T (src/ades/bt.c): a signature time-stamp over the
 * signature value of its own SignerInfo, added from a response or through
 * the fetch callback, verified with its TSA at genTime and genTime as the
 * proven time; a time-stamp copied from another signature fails; the B-B
 * signature still verifies after the upgrade.
 * Signer certificates come from tests/data/cms, the TSA's from tests/data/tsp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cms/cms.h"
#include "trustsvc/fetch.h"
#include "trustsvc/sign.h"
#include "trustsvc/tsp.h"
#include "trustsvc/verify.h"

/* 2027-06-01T12:00:00Z */
#define WHEN INT64_C(1811851200)

static tsvc_ctx *g_ctx;
static tsvc_key *g_signer_key, *g_tsa_key;
static tsvc_cert *g_signer, *g_ca, *g_cms_root, *g_tsa_cert, *g_tsa_root;
static tsvc_tsa *g_tsa;
static tsvc_store *g_tsa_store;
static int64_t g_tsa_time = WHEN;

static size_t load(const char *dir, const char *name, uint8_t *buf, size_t size)
{
    char path[1024];
    const char *root = getenv("TSVC_SOURCE_ROOT");
    snprintf(path, sizeof(path), "%s/tests/data/%s/%s", root ? root : ".", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    size_t len = fread(buf, 1, size, f);
    fclose(f);
    return len;
}

static tsvc_cert *cert(const char *dir, const char *name)
{
    static uint8_t buf[65536];
    size_t len = load(dir, name, buf, sizeof(buf));
    tsvc_cert *c = NULL;
    if (tsvc_cert_parse(g_ctx, &c, buf, len, NULL) != TSVC_OK)
        fail_msg("cannot parse %s", name);
    return c;
}

static tsvc_key *key(const char *dir, const char *name)
{
    static uint8_t buf[65536];
    size_t len = load(dir, name, buf, sizeof(buf));
    tsvc_key *k = NULL;
    if (tsvc_key_import(g_ctx, &k, buf, len, NULL) != TSVC_OK)
        fail_msg("cannot import %s", name);
    return k;
}

static tsvc_status tsa_clock(void *opaque, int64_t *secs, uint32_t *nanos)
{
    (void)opaque;
    *secs = g_tsa_time;
    *nanos = 0;
    return TSVC_OK;
}

static tsvc_status ctx_clock(void *opaque, int64_t *now)
{
    (void)opaque;
    *now = WHEN + 86400;
    return TSVC_OK;
}

static void sign(const char *text, tsvc_buf *out)
{
    tsvc_error *err = NULL;
    if (tsvc_sign(g_ctx, out, g_signer_key, g_signer, text, strlen(text), NULL, &err) != TSVC_OK)
        fail_msg("signing failed: %s", tsvc_error_message(err));
}

/* Time-stamps signer 0 of @p cms through our TSA (no network). */
static void timestamp(const tsvc_buf *cms, tsvc_buf *out)
{
    tsvc_tsq *q = NULL;
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_tsq_new_for_signature(g_ctx, &q, cms->data, cms->len, 0,
                                                TSVC_HASH_SHA256, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_respond(g_tsa, &resp, req.data, req.len, NULL), TSVC_OK);
    if (tsvc_tst_add_to_signature(g_ctx, out, cms->data, cms->len, 0, resp.data, resp.len, q,
                                  &err) != TSVC_OK)
        fail_msg("adding the time-stamp failed: %s", tsvc_error_message(err));
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    tsvc_tsq_free(q);
}

static void test_bt_roundtrip(void **state)
{
    (void)state;
    tsvc_buf bb = TSVC_BUF_INIT, bt = TSVC_BUF_INIT;
    sign("contract", &bb);
    timestamp(&bb, &bt);
    assert_true(bt.len > bb.len);

    tsvc_report *r = NULL;
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &r, bt.data, bt.len, 0, g_tsa_store, NULL,
                                               NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(r), TSVC_INDICATION_PASSED);
    assert_int_equal(tsvc_report_time(r), WHEN);
    assert_non_null(strstr(tsvc_report_reason(r), "2027-06-01T12:00:00Z"));
    tsvc_report_free(r);

    /* The B-B signature still verifies: only an unsigned attribute was added. */
    tsvc_store *s = NULL;
    tsvc_sig_report *sr = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &s, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s, g_cms_root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(s, g_ca, NULL), TSVC_OK);
    assert_int_equal(tsvc_verify(g_ctx, &sr, bt.data, bt.len, NULL, 0, s, NULL, NULL, NULL),
                     TSVC_OK);
    if (tsvc_sig_report_indication(sr) != TSVC_INDICATION_PASSED)
        print_message("B-B verification: %s\n", tsvc_sig_report_reason(sr));
    assert_int_equal(tsvc_sig_report_indication(sr), TSVC_INDICATION_PASSED);
    tsvc_sig_report_free(sr);
    tsvc_store_free(s);

    /* A second, earlier time-stamp: the proven time is the earliest. */
    tsvc_buf bt2 = TSVC_BUF_INIT;
    g_tsa_time = WHEN - 3600;
    timestamp(&bt, &bt2);
    g_tsa_time = WHEN;
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &r, bt2.data, bt2.len, 0, g_tsa_store, NULL,
                                               NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(r), TSVC_INDICATION_PASSED);
    assert_int_equal(tsvc_report_time(r), WHEN - 3600);
    tsvc_report_free(r);
    tsvc_buf_dispose(&bt2);
    tsvc_buf_dispose(&bb);
    tsvc_buf_dispose(&bt);
}

static void test_bt_absent(void **state)
{
    (void)state;
    tsvc_buf bb = TSVC_BUF_INIT;
    tsvc_report *r = NULL;
    sign("no time-stamp", &bb);
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &r, bb.data, bb.len, 0, g_tsa_store, NULL,
                                               NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(r), TSVC_INDICATION_INDETERMINATE);
    assert_int_equal(tsvc_report_subindication(r), TSVC_SUB_NO_POE);
    tsvc_report_free(r);
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &r, bb.data, bb.len, 3, g_tsa_store, NULL,
                                               NULL), TSVC_ERR_CMS_SIGNER_INDEX);
    assert_null(r);
    tsvc_buf_dispose(&bb);
}

/* A time-stamp copied from another signature must fail. */
static void test_bt_copied(void **state)
{
    (void)state;
    tsvc_buf a = TSVC_BUF_INIT, b = TSVC_BUF_INIT, at = TSVC_BUF_INIT, forged = TSVC_BUF_INIT;
    sign("signature A", &a);
    sign("signature B", &b);
    timestamp(&a, &at);

    /* Through the API: refused. */
    tsvc_tsq *q = NULL;
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tsq_new_for_signature(g_ctx, &q, a.data, a.len, 0, TSVC_HASH_SHA256,
                                                NULL), TSVC_OK);
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_respond(g_tsa, &resp, req.data, req.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_tst_add_to_signature(g_ctx, &forged, b.data, b.len, 0, resp.data,
                                               resp.len, NULL, NULL), TSVC_ERR_TSP_HASH);

    /* By hand: A's token put on B verifies as a token, but not for B. */
    tsvc__cms *cms_a = NULL, *cms_b = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, at.data, at.len, &cms_a, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_parse(g_ctx, b.data, b.len, &cms_b, NULL), TSVC_OK);
    const tsvc__cms_attr *tok = tsvc__cms_find_attr(
        cms_a->signers[0].uattrs, cms_a->signers[0].num_uattrs,
        (const uint8_t *)TSVC__OID_AA_TIMESTAMP_TOKEN, sizeof(TSVC__OID_AA_TIMESTAMP_TOKEN) - 1,
        NULL);
    assert_non_null(tok);
    assert_int_equal(tsvc__cms_add_unsigned_attr(cms_b, 0,
                                                 (const uint8_t *)TSVC__OID_AA_TIMESTAMP_TOKEN,
                                                 sizeof(TSVC__OID_AA_TIMESTAMP_TOKEN) - 1,
                                                 tok->first.data, tok->first.len, &forged, NULL),
                     TSVC_OK);
    tsvc_report *r = NULL;
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &r, forged.data, forged.len, 0,
                                               g_tsa_store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(r), TSVC_INDICATION_FAILED);
    assert_int_equal(tsvc_report_subindication(r), TSVC_SUB_HASH_FAILURE);
    assert_non_null(strstr(tsvc_report_reason(r), "imprint"));
    tsvc_report_free(r);

    tsvc__cms_free(cms_a);
    tsvc__cms_free(cms_b);
    tsvc_tsq_free(q);
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    tsvc_buf_dispose(&a);
    tsvc_buf_dispose(&b);
    tsvc_buf_dispose(&at);
    tsvc_buf_dispose(&forged);
}

/* The TSA is validated at genTime: a genTime before its certificate fails. */
static void test_bt_tsa_at_gen_time(void **state)
{
    (void)state;
    tsvc_buf bb = TSVC_BUF_INIT, bt = TSVC_BUF_INIT;
    sign("early", &bb);
    g_tsa_time = INT64_C(1577836800); /* 2020 */
    timestamp(&bb, &bt);
    g_tsa_time = WHEN;
    tsvc_report *r = NULL;
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &r, bt.data, bt.len, 0, g_tsa_store, NULL,
                                               NULL), TSVC_OK);
    assert_int_not_equal(tsvc_report_indication(r), TSVC_INDICATION_PASSED);
    assert_non_null(strstr(tsvc_report_reason(r), "genTime"));
    tsvc_report_free(r);
    tsvc_buf_dispose(&bb);
    tsvc_buf_dispose(&bt);
}

static tsvc_status fake_fetch(void *opaque, const char *url, const char *content_type,
                              const uint8_t *body, size_t body_len, tsvc_buf *response,
                              tsvc_error **err)
{
    tsvc_buf out = TSVC_BUF_INIT;
    (void)opaque;
    (void)url;
    (void)content_type;
    tsvc_status st = tsvc_tsa_respond(g_tsa, &out, body, body_len, err);
    if (st == TSVC_OK)
        st = tsvc_fetch_response_set(g_ctx, response, out.data, out.len);
    tsvc_buf_dispose(&out);
    return st;
}

static void test_bt_fetch(void **state)
{
    (void)state;
    tsvc_buf bb = TSVC_BUF_INIT, bt = TSVC_BUF_INIT;
    sign("fetched", &bb);
    tsvc_ctx_set_fetch(g_ctx, fake_fetch, NULL);
    assert_int_equal(tsvc_tst_timestamp_signature(g_ctx, &bt, bb.data, bb.len, 0,
                                                  "http://tsa.invalid/", TSVC_HASH_SHA384, NULL),
                     TSVC_OK);
    tsvc_ctx_set_fetch(g_ctx, NULL, NULL);
    tsvc_report *r = NULL;
    assert_int_equal(tsvc_tst_verify_signature(g_ctx, &r, bt.data, bt.len, 0, g_tsa_store, NULL,
                                               NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(r), TSVC_INDICATION_PASSED);
    tsvc_report_free(r);
    /* Without a callback: a fetch error. */
    tsvc_buf none = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tst_timestamp_signature(g_ctx, &none, bb.data, bb.len, 0,
                                                  "http://tsa.invalid/", TSVC_HASH_SHA256, NULL),
                     TSVC_ERR_FETCH);
    tsvc_buf_dispose(&bb);
    tsvc_buf_dispose(&bt);
}

static int setup(void **state)
{
    (void)state;
    if (tsvc_ctx_new(&g_ctx, NULL, NULL) != TSVC_OK)
        return -1;
    tsvc_ctx_set_clock(g_ctx, ctx_clock, NULL);
    g_signer_key = key("cms", "signer-ec.key");
    g_signer = cert("cms", "signer-ec.pem");
    g_ca = cert("cms", "ca.pem");
    g_cms_root = cert("cms", "root.pem");
    g_tsa_key = key("tsp", "tsa-ec.key");
    g_tsa_cert = cert("tsp", "tsa-ec.pem");
    g_tsa_root = cert("tsp", "root.pem");
    if (tsvc_tsa_new(g_ctx, &g_tsa, g_tsa_key, g_tsa_cert, "1.2.3.4.1", NULL) != TSVC_OK ||
        tsvc_tsa_set_clock(g_tsa, tsa_clock, NULL, NULL) != TSVC_OK)
        return -1;
    if (tsvc_store_new(g_ctx, &g_tsa_store, NULL) != TSVC_OK ||
        tsvc_store_add_anchor(g_tsa_store, g_tsa_root, NULL) != TSVC_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_store_free(g_tsa_store);
    tsvc_tsa_free(g_tsa);
    tsvc_cert_free(g_tsa_root);
    tsvc_cert_free(g_tsa_cert);
    tsvc_key_free(g_tsa_key);
    tsvc_cert_free(g_cms_root);
    tsvc_cert_free(g_ca);
    tsvc_cert_free(g_signer);
    tsvc_key_free(g_signer_key);
    tsvc_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bt_roundtrip),
        cmocka_unit_test(test_bt_absent),
        cmocka_unit_test(test_bt_copied),
        cmocka_unit_test(test_bt_tsa_at_gen_time),
        cmocka_unit_test(test_bt_fetch),
    };
    return cmocka_run_group_tests_name("cades-bt", tests, setup, teardown);
}
