/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the time-stamp layer: requests, TSTInfo, responses,
 * rejections with their failInfo, tolerated interop quirks (BER failInfo,
 * NULL vs absent hash parameters, rejection without a token), token
 * verification failures (tampered token, wrong nonce, wrong imprint, TSA
 * certificate without the critical EKU, ESSCertID naming another
 * certificate), the TSA's configuration rules and its use from many threads.
 * Certificates come from tests/data/tsp (see make-tsa-certs.sh there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cms/tst.h"
#include "path/report.h"
#include "test_util.h"
#include "trustsvc/fetch.h"
#include "trustsvc/tsp.h"
#include "tsp/tsp.h"
#include "x509/x509.h"

#ifndef TSVC_TSP_DATA
#define TSVC_TSP_DATA "tests/data/tsp"
#endif

/* 2027-06-01T12:00:00Z: inside the test certificates' validity. */
#define WHEN INT64_C(1811851200)
/* 2020-01-01T00:00:00Z: before it. */
#define BEFORE INT64_C(1577836800)

#define POLICY "1.2.3.4.1"
#define POLICY2 "1.2.3.4.5"

static tsvc_ctx *g_ctx;

/* ---- helpers ---- */

static size_t load_file(const char *name, uint8_t *buf, size_t size)
{
    char path[1024];
    const char *root = getenv("TSVC_SOURCE_ROOT");
    if (root != NULL)
        snprintf(path, sizeof(path), "%s/tests/data/tsp/%s", root, name);
    else
        snprintf(path, sizeof(path), "%s/%s", TSVC_TSP_DATA, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    size_t len = fread(buf, 1, size, f);
    fclose(f);
    return len;
}

static tsvc_cert *load_cert(const char *name)
{
    static uint8_t buf[64 * 1024];
    char file[256];
    snprintf(file, sizeof(file), "%s.pem", name);
    size_t len = load_file(file, buf, sizeof(buf));
    tsvc_cert *cert = NULL;
    tsvc_error *err = NULL;
    if (tsvc_cert_parse(g_ctx, &cert, buf, len, &err) != TSVC_OK)
        fail_msg("cannot parse %s: %s", name, tsvc_error_message(err));
    return cert;
}

static tsvc_key *load_key(const char *name)
{
    static uint8_t buf[64 * 1024];
    char file[256];
    snprintf(file, sizeof(file), "%s.key", name);
    size_t len = load_file(file, buf, sizeof(buf));
    tsvc_key *key = NULL;
    tsvc_error *err = NULL;
    if (tsvc_key_import(g_ctx, &key, buf, len, &err) != TSVC_OK)
        fail_msg("cannot import %s: %s", name, tsvc_error_message(err));
    return key;
}

static tsvc_status fixed_clock(void *opaque, int64_t *secs, uint32_t *nanos)
{
    const int64_t *t = opaque;
    *secs = t ? *t : WHEN;
    *nanos = 123000000u; /* .123 */
    return TSVC_OK;
}

static tsvc_status failing_clock(void *opaque, int64_t *secs, uint32_t *nanos)
{
    (void)opaque;
    (void)secs;
    (void)nanos;
    return TSVC_ERR_CLOCK;
}

static tsvc_status ctx_clock(void *opaque, int64_t *now)
{
    (void)opaque;
    *now = WHEN + 3600;
    return TSVC_OK;
}

typedef struct fixture {
    tsvc_key *key;
    tsvc_cert *cert;
    tsvc_cert *root;
    tsvc_tsa *tsa;
    tsvc_store *store;
} fixture;

static void fixture_open(fixture *f, const char *name)
{
    memset(f, 0, sizeof(*f));
    f->key = load_key(name);
    f->cert = load_cert(name);
    f->root = load_cert("root");
    assert_int_equal(tsvc_tsa_new(g_ctx, &f->tsa, f->key, f->cert, POLICY, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_set_clock(f->tsa, fixed_clock, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_new(g_ctx, &f->store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(f->store, f->root, NULL), TSVC_OK);
}

static void fixture_close(fixture *f)
{
    tsvc_store_free(f->store);
    tsvc_tsa_free(f->tsa);
    tsvc_cert_free(f->root);
    tsvc_cert_free(f->cert);
    tsvc_key_free(f->key);
}

static const uint8_t DATA[] = "the data to time-stamp";

static tsvc_tsq *make_req(tsvc_hash_alg hash, int cert_req)
{
    tsvc_tsq *q = NULL;
    assert_int_equal(tsvc_tsq_new_data(g_ctx, &q, hash, DATA, sizeof(DATA), NULL), TSVC_OK);
    tsvc_tsq_set_cert_req(q, cert_req);
    return q;
}

static tsvc_tsr *respond(tsvc_tsa *tsa, const tsvc_tsq *q)
{
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    tsvc_tsr *r = NULL;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_respond(tsa, &resp, req.data, req.len, NULL), TSVC_OK);
    if (tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, &err) != TSVC_OK)
        fail_msg("response does not parse: %s", tsvc_error_message(err));
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    return r;
}

static tsvc_tsr *respond_raw(tsvc_tsa *tsa, const uint8_t *req, size_t len)
{
    tsvc_buf resp = TSVC_BUF_INIT;
    tsvc_tsr *r = NULL;
    assert_int_equal(tsvc_tsa_respond(tsa, &resp, req, len, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, NULL), TSVC_OK);
    tsvc_buf_dispose(&resp);
    return r;
}

static int has_check(const tsvc_report *r, const char *name, tsvc_check_result result)
{
    for (size_t i = 0; i < tsvc_report_num_checks(r); i++) {
        if (strcmp(tsvc_report_check_name(r, i), name) == 0 &&
            tsvc_report_check_result(r, i) == result)
            return 1;
    }
    return 0;
}

static void print_report(const tsvc_report *r)
{
    tsvc_buf j = TSVC_BUF_INIT;
    if (tsvc_report_to_json(r, &j, NULL) == TSVC_OK)
        print_message("%s\n", (const char *)j.data);
    tsvc_buf_dispose(&j);
}

/* ---- requests ---- */

static void test_request_roundtrip(void **state)
{
    (void)state;
    static const tsvc_hash_alg algs[] = {TSVC_HASH_SHA256, TSVC_HASH_SHA384, TSVC_HASH_SHA512};
    for (size_t i = 0; i < 3; i++) {
        tsvc_tsq *q = make_req(algs[i], 1), *p = NULL;
        tsvc_buf der = TSVC_BUF_INIT;
        char pol[64];
        size_t nlen = 0, dlen = 0, dlen2 = 0;
        assert_int_equal(tsvc_tsq_set_policy(q, POLICY2, NULL), TSVC_OK);
        assert_non_null(tsvc_tsq_nonce(q, &nlen));
        assert_true(nlen >= 1 && nlen <= 9);
        assert_int_equal(tsvc_tsq_encode(q, &der, NULL), TSVC_OK);
        assert_int_equal(tsvc_tsq_parse(g_ctx, &p, der.data, der.len, NULL), TSVC_OK);
        assert_int_equal(tsvc_tsq_hash_alg(p), algs[i]);
        const uint8_t *d1 = tsvc_tsq_digest(q, &dlen), *d2 = tsvc_tsq_digest(p, &dlen2);
        assert_int_equal(dlen, tsvc_hash_size(algs[i]));
        assert_int_equal(dlen, dlen2);
        assert_memory_equal(d1, d2, dlen);
        assert_int_equal(tsvc_tsq_cert_req(p), 1);
        assert_int_equal(tsvc_tsq_policy(p, pol, sizeof(pol)), TSVC_OK);
        assert_string_equal(pol, POLICY2);
        size_t n2 = 0;
        const uint8_t *nonce2 = tsvc_tsq_nonce(p, &n2);
        assert_int_equal(n2, nlen);
        assert_memory_equal(nonce2, tsvc_tsq_nonce(q, NULL), nlen);
        tsvc_buf_dispose(&der);
        tsvc_tsq_free(p);
        tsvc_tsq_free(q);
    }
}

static void test_request_nonce_random(void **state)
{
    (void)state;
    tsvc_tsq *a = make_req(TSVC_HASH_SHA256, 0), *b = make_req(TSVC_HASH_SHA256, 0);
    size_t la = 0, lb = 0;
    const uint8_t *na = tsvc_tsq_nonce(a, &la), *nb = tsvc_tsq_nonce(b, &lb);
    assert_false(la == lb && memcmp(na, nb, la) == 0);
    /* Explicit nonce with the top bit set gets a leading zero; NULL removes it. */
    static const uint8_t n[2] = {0x80, 0x01};
    assert_int_equal(tsvc_tsq_set_nonce(a, n, 2, NULL), TSVC_OK);
    na = tsvc_tsq_nonce(a, &la);
    assert_int_equal(la, 3);
    assert_int_equal(na[0], 0);
    assert_int_equal(tsvc_tsq_set_nonce(a, NULL, 0, NULL), TSVC_OK);
    assert_null(tsvc_tsq_nonce(a, &la));
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tsq_encode(a, &der, NULL), TSVC_OK);
    tsvc_tsq *p = NULL;
    assert_int_equal(tsvc_tsq_parse(g_ctx, &p, der.data, der.len, NULL), TSVC_OK);
    assert_null(tsvc_tsq_nonce(p, NULL));
    assert_int_equal(tsvc_tsq_cert_req(p), 0);
    tsvc_buf_dispose(&der);
    tsvc_tsq_free(p);
    tsvc_tsq_free(a);
    tsvc_tsq_free(b);
}

/* TimeStampReq { 1, { sha256 [params], 32 bytes } } by hand. */
static size_t hand_request(uint8_t *out, int version, bool null_params, size_t digest_len,
                           const uint8_t *tail, size_t tail_len)
{
    static const uint8_t sha256[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
                                     0x03, 0x04, 0x02, 0x01};
    uint8_t imprint[128];
    size_t n = 0;
    imprint[n++] = 0x30;
    imprint[n++] = (uint8_t)(2 + sizeof(sha256) + (null_params ? 2 : 0) + 2 + digest_len);
    imprint[n++] = 0x30;
    imprint[n++] = (uint8_t)(sizeof(sha256) + (null_params ? 2 : 0));
    memcpy(imprint + n, sha256, sizeof(sha256));
    n += sizeof(sha256);
    if (null_params) {
        imprint[n++] = 0x05;
        imprint[n++] = 0x00;
    }
    imprint[n++] = 0x04;
    imprint[n++] = (uint8_t)digest_len;
    memset(imprint + n, 0xab, digest_len);
    n += digest_len;
    size_t body = 3 + n + tail_len, m = 0;
    out[m++] = 0x30;
    out[m++] = (uint8_t)body;
    out[m++] = 0x02;
    out[m++] = 0x01;
    out[m++] = (uint8_t)version;
    memcpy(out + m, imprint, n);
    m += n;
    if (tail_len > 0)
        memcpy(out + m, tail, tail_len);
    return m + tail_len;
}

/* Tolerated: the hash AlgorithmIdentifier with NULL parameters, or none. */
static void test_request_null_vs_absent_params(void **state)
{
    (void)state;
    uint8_t a[160], b[160];
    size_t la = hand_request(a, 1, false, 32, NULL, 0);
    size_t lb = hand_request(b, 1, true, 32, NULL, 0);
    tsvc_tsq *qa = NULL, *qb = NULL;
    assert_int_equal(tsvc_tsq_parse(g_ctx, &qa, a, la, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsq_parse(g_ctx, &qb, b, lb, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsq_hash_alg(qa), TSVC_HASH_SHA256);
    assert_int_equal(tsvc_tsq_hash_alg(qb), TSVC_HASH_SHA256);
    tsvc_tsq_free(qa);
    tsvc_tsq_free(qb);

    /* Both are answered, and the token echoes the imprint as it was sent. */
    fixture f;
    fixture_open(&f, "tsa-ec");
    tsvc_tsr *r = respond_raw(f.tsa, b, lb);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_GRANTED);
    size_t il = 0;
    const uint8_t *info = tsvc_tst_info_der(tsvc_tsr_token(r), &il);
    assert_non_null(memmem(info, il, b + 2 + 3, lb - 5));
    assert_int_equal(tsvc_tst_hash_alg(tsvc_tsr_token(r)), TSVC_HASH_SHA256);
    tsvc_tsr_free(r);
    fixture_close(&f);
}

static void test_request_malformed(void **state)
{
    (void)state;
    uint8_t b[200];
    tsvc_tsq *q = NULL;
    size_t l = hand_request(b, 2, false, 32, NULL, 0);
    assert_int_equal(tsvc_tsq_parse(g_ctx, &q, b, l, NULL), TSVC_ERR_TSP_VERSION);
    l = hand_request(b, 1, false, 20, NULL, 0);
    assert_int_equal(tsvc_tsq_parse(g_ctx, &q, b, l, NULL), TSVC_ERR_TSP_HASH);
    static const uint8_t false_bool[] = {0x01, 0x01, 0x00};
    l = hand_request(b, 1, false, 32, false_bool, sizeof(false_bool));
    assert_int_equal(tsvc_tsq_parse(g_ctx, &q, b, l, NULL), TSVC_ERR_TSP_FORMAT);
    static const uint8_t junk[] = {0x04, 0x00};
    l = hand_request(b, 1, false, 32, junk, sizeof(junk));
    assert_int_not_equal(tsvc_tsq_parse(g_ctx, &q, b, l, NULL), TSVC_OK);
    assert_null(q);
    /* Truncations of a good request never parse, never crash. */
    l = hand_request(b, 1, false, 32, NULL, 0);
    for (size_t i = 0; i < l; i++) {
        assert_int_not_equal(tsvc_tsq_parse(g_ctx, &q, b, i, NULL), TSVC_OK);
        assert_null(q);
    }
    static uint8_t big[TSVC_TSQ_MAX_SIZE + 1];
    assert_int_equal(tsvc_tsq_parse(g_ctx, &q, big, sizeof(big), NULL), TSVC_ERR_LIMIT_INPUT_SIZE);
    assert_int_equal(tsvc_tsq_new(g_ctx, &q, TSVC_HASH_SHA1, b, 20, NULL), TSVC_ERR_TSP_HASH);
    assert_int_equal(tsvc_tsq_new(g_ctx, &q, TSVC_HASH_SHA256, b, 20, NULL), TSVC_ERR_TSP_HASH);
}

/* ---- the TSA and verification ---- */

static void verify_ok(const char *name)
{
    fixture f;
    fixture_open(&f, name);
    assert_int_equal(tsvc_tsa_set_accuracy(f.tsa, 1, 500, 100, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_set_ordering(f.tsa, 1, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_set_include_name(f.tsa, 1, NULL), TSVC_OK);
    tsvc_tsq *q = make_req(TSVC_HASH_SHA384, 1);
    tsvc_tsr *r = respond(f.tsa, q);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_GRANTED);
    const tsvc_tst *t = tsvc_tsr_token(r);
    assert_non_null(t);

    int64_t secs = 0;
    uint32_t nanos = 0;
    assert_int_equal(tsvc_tst_gen_time(t, &secs, &nanos), TSVC_OK);
    assert_int_equal(secs, WHEN);
    assert_int_equal(nanos, 123000000u);
    char pol[64];
    assert_int_equal(tsvc_tst_policy(t, pol, sizeof(pol)), TSVC_OK);
    assert_string_equal(pol, POLICY);
    size_t sl = 0, nl = 0, ql = 0;
    assert_non_null(tsvc_tst_serial(t, &sl));
    assert_true(sl >= 1 && sl <= 17); /* 128 random bits, positive */
    uint64_t as = 0;
    uint32_t am = 0, au = 0;
    assert_int_equal(tsvc_tst_accuracy(t, &as, &am, &au), 1);
    assert_int_equal(as, 1);
    assert_int_equal(am, 500);
    assert_int_equal(au, 100);
    assert_int_equal(tsvc_tst_ordering(t), 1);
    const uint8_t *n = tsvc_tst_nonce(t, &nl);
    assert_memory_equal(n, tsvc_tsq_nonce(q, &ql), nl);
    assert_int_equal(nl, ql);
    tsvc_buf tsa_name = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tst_tsa_name_text(t, &tsa_name, NULL), TSVC_OK);
    assert_non_null(strstr((const char *)tsa_name.data, "Test TSA"));
    tsvc_buf_dispose(&tsa_name);
    assert_non_null(tsvc_tst_signer_cert(t));
    assert_int_equal(tsvc_tst_hash_alg(t), TSVC_HASH_SHA384);

    tsvc_report *rep = NULL;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
    if (tsvc_report_indication(rep) != TSVC_INDICATION_PASSED)
        print_report(rep);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    assert_int_equal(tsvc_report_time(rep), WHEN);
    assert_true(has_check(rep, "ess-cert-id", TSVC_CHECK_PASSED));
    assert_true(has_check(rep, "tsa-eku", TSVC_CHECK_PASSED));
    assert_true(has_check(rep, "nonce", TSVC_CHECK_PASSED));
    assert_true(has_check(rep, "tsa-path", TSVC_CHECK_PASSED));
    assert_true(has_check(rep, "tsa-path-now", TSVC_CHECK_PASSED));
    assert_int_equal(tsvc_report_chain_count(rep), 2);
    tsvc_report_free(rep);
    assert_int_equal(tsvc_tsa_num_issued(f.tsa), 1);

    tsvc_tsr_free(r);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

static void test_verify_ec(void **state)
{
    (void)state;
    verify_ok("tsa-ec");
}

static void test_verify_rsa(void **state)
{
    (void)state;
    verify_ok("tsa-rsa");
}

static tsvc_tsr *reject_of(tsvc_tsa *tsa, const uint8_t *req, size_t len, uint32_t fail)
{
    tsvc_tsr *r = respond_raw(tsa, req, len);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_REJECTION);
    assert_null(tsvc_tsr_token(r));
    assert_int_equal(tsvc_tsr_fail_info(r), fail);
    assert_true(strlen(tsvc_tsr_status_string(r)) > 0);
    return r;
}

static void test_tsa_rejections(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-ec");
    uint8_t b[200];
    size_t l;

    l = hand_request(b, 2, false, 32, NULL, 0);
    tsvc_tsr_free(reject_of(f.tsa, b, l, TSVC_TSP_FAIL_BAD_REQUEST));
    l = hand_request(b, 1, false, 31, NULL, 0);
    tsvc_tsr_free(reject_of(f.tsa, b, l, TSVC_TSP_FAIL_BAD_DATA_FORMAT));
    static const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01};
    tsvc_tsr_free(reject_of(f.tsa, garbage, sizeof(garbage), TSVC_TSP_FAIL_BAD_DATA_FORMAT));
    static const uint8_t unknown_policy[] = {0x06, 0x03, 0x2a, 0x03, 0x09};
    l = hand_request(b, 1, false, 32, unknown_policy, sizeof(unknown_policy));
    tsvc_tsr_free(reject_of(f.tsa, b, l, TSVC_TSP_FAIL_UNACCEPTED_POLICY));
    static const uint8_t extensions[] = {0xa0, 0x00};
    l = hand_request(b, 1, false, 32, extensions, sizeof(extensions));
    tsvc_tsr_free(reject_of(f.tsa, b, l, TSVC_TSP_FAIL_UNACCEPTED_EXTENSION));

    /* SHA-1 (known, not accepted) and an unknown hash: badAlg. */
    tsvc_tsq *q = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    q = make_req(TSVC_HASH_SHA256, 0);
    assert_int_equal(tsvc_tsq_encode(q, &der, NULL), TSVC_OK);
    tsvc_tsq_free(q);
    der.data[8 + 10] ^= 0x7f; /* last OID arc of sha256 in the imprint */
    tsvc_tsr_free(reject_of(f.tsa, der.data, der.len, TSVC_TSP_FAIL_BAD_ALG));
    tsvc_buf_dispose(&der);
    fixture_close(&f);

    fixture_open(&f, "tsa-ec");
    assert_int_equal(tsvc_tsa_set_hash_accepted(f.tsa, TSVC_HASH_SHA256, 0, NULL), TSVC_OK);
    q = make_req(TSVC_HASH_SHA256, 0);
    assert_int_equal(tsvc_tsq_encode(q, &der, NULL), TSVC_OK);
    tsvc_tsr_free(reject_of(f.tsa, der.data, der.len, TSVC_TSP_FAIL_BAD_ALG));
    /* Configuration is frozen once the TSA answered. */
    assert_int_equal(tsvc_tsa_set_hash_accepted(f.tsa, TSVC_HASH_SHA256, 1, NULL), TSVC_ERR_STATE);
    assert_int_equal(tsvc_tsa_add_policy(f.tsa, POLICY2, NULL), TSVC_ERR_STATE);
    tsvc_buf_dispose(&der);
    tsvc_tsq_free(q);
    fixture_close(&f);

    fixture_open(&f, "tsa-ec");
    assert_int_equal(tsvc_tsa_set_clock(f.tsa, failing_clock, NULL, NULL), TSVC_OK);
    q = make_req(TSVC_HASH_SHA256, 0);
    assert_int_equal(tsvc_tsq_encode(q, &der, NULL), TSVC_OK);
    tsvc_tsr_free(reject_of(f.tsa, der.data, der.len, TSVC_TSP_FAIL_TIME_NOT_AVAILABLE));
    tsvc_buf_dispose(&der);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

static tsvc_status failing_serial(void *opaque, uint8_t out[20], size_t *len)
{
    (void)opaque;
    (void)out;
    (void)len;
    return TSVC_ERR_BACKEND;
}

static tsvc_status counter_serial(void *opaque, uint8_t out[20], size_t *len)
{
    unsigned *n = opaque;
    (*n)++;
    out[0] = 0x01;
    out[1] = (uint8_t)*n;
    *len = 2;
    return TSVC_OK;
}

static void test_tsa_serials(void **state)
{
    (void)state;
    fixture f;
    unsigned counter = 0;
    fixture_open(&f, "tsa-ec");
    assert_int_equal(tsvc_tsa_set_serial_fn(f.tsa, counter_serial, &counter, NULL), TSVC_OK);
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 0);
    tsvc_tsr *r = respond(f.tsa, q);
    size_t sl = 0;
    const uint8_t *s = tsvc_tst_serial(tsvc_tsr_token(r), &sl);
    assert_int_equal(sl, 2);
    assert_int_equal(s[0], 1);
    assert_int_equal(s[1], 1);
    tsvc_tsr_free(r);
    fixture_close(&f);

    fixture_open(&f, "tsa-ec");
    assert_int_equal(tsvc_tsa_set_serial_fn(f.tsa, failing_serial, NULL, NULL), TSVC_OK);
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tsq_encode(q, &der, NULL), TSVC_OK);
    tsvc_tsr_free(reject_of(f.tsa, der.data, der.len, TSVC_TSP_FAIL_SYSTEM_FAILURE));
    tsvc_buf_dispose(&der);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

typedef struct serial_no {
    uint8_t b[20];
    size_t len;
} serial_no;

static serial_no serial_of(tsvc_tsa *tsa, const tsvc_tsq *q)
{
    serial_no out;
    memset(&out, 0, sizeof(out));
    tsvc_tsr *r = respond(tsa, q);
    const uint8_t *s = tsvc_tst_serial(tsvc_tsr_token(r), &out.len);
    assert_true(out.len > 0 && out.len <= sizeof(out.b));
    memcpy(out.b, s, out.len);
    tsvc_tsr_free(r);
    return out;
}

static bool same_serial(const serial_no *a, const serial_no *b)
{
    return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* Default serial numbers come from a pool of random bytes drawn several at
 * a time: all differ, across refills, and a forked child does not reuse
 * the parent's pool. */
static void test_tsa_default_serials(void **state)
{
    (void)state;
    enum { N = 101 };
    static serial_no seen[N];
    fixture f;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 0);
    for (size_t i = 0; i < N; i++) {
        seen[i] = serial_of(f.tsa, q);
        for (size_t j = 0; j < i; j++)
            assert_false(same_serial(&seen[i], &seen[j]));
    }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        serial_no c = serial_of(f.tsa, q);
        ssize_t w = write(fds[1], &c, sizeof(c));
        _exit(w == (ssize_t)sizeof(c) ? 0 : 1);
    }
    serial_no mine = serial_of(f.tsa, q), child;
    assert_int_equal(read(fds[0], &child, sizeof(child)), (ssize_t)sizeof(child));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(fds[0]);
    close(fds[1]);
    assert_false(same_serial(&mine, &child));
    tsvc_tsq_free(q);
    fixture_close(&f);
}

/* Tolerated: a rejection response without a token (and only a status). */
static void test_rejection_without_token(void **state)
{
    (void)state;
    /* { { 2, { "no" }, badAlg } } */
    static const uint8_t resp[] = {0x30, 0x0f, 0x30, 0x0d, 0x02, 0x01, 0x02, 0x30, 0x04,
                                   0x0c, 0x02, 'n',  'o',  0x03, 0x02, 0x07, 0x80};
    tsvc_tsr *r = NULL;
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, resp, sizeof(resp), NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_REJECTION);
    assert_int_equal(tsvc_tsr_fail_info(r), TSVC_TSP_FAIL_BAD_ALG);
    assert_string_equal(tsvc_tsr_status_string(r), "no");
    assert_null(tsvc_tsr_token(r));
    fixture f;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 0);
    tsvc_report *rep = NULL;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_INDETERMINATE);
    assert_non_null(strstr(tsvc_report_reason(rep), "badAlg"));
    tsvc_report_free(rep);
    tsvc_tsq_free(q);
    fixture_close(&f);
    tsvc_tsr_free(r);

    /* Only the status: { { 3 } } (waiting). */
    static const uint8_t waiting[] = {0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x03};
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, waiting, sizeof(waiting), NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_WAITING);
    assert_string_equal(tsvc_tsr_status_string(r), "");
    tsvc_tsr_free(r);
    /* A granted status without a token is refused. */
    static const uint8_t granted[] = {0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00};
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, granted, sizeof(granted), NULL),
                     TSVC_ERR_TSP_NO_TOKEN);
    assert_null(r);
}

/* Tolerated: failInfo BIT STRING in BER (constructed; trailing zero bits). */
static void test_ber_fail_info(void **state)
{
    (void)state;
    tsvc_tsr *r = NULL;
    /* unacceptedPolicy (bit 15) with a whole trailing zero octet: 03 04 00 00 01 00. */
    static const uint8_t nonmin[] = {0x30, 0x0b, 0x30, 0x09, 0x02, 0x01, 0x02, 0x03,
                                     0x04, 0x00, 0x00, 0x01, 0x00};
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, nonmin, sizeof(nonmin), NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_fail_info(r), TSVC_TSP_FAIL_UNACCEPTED_POLICY);
    tsvc_tsr_free(r);
    /* badDataFormat (bit 5), constructed: 23 80 03 02 02 04 00 00 (indefinite length). */
    static const uint8_t constructed[] = {0x30, 0x80, 0x30, 0x80, 0x02, 0x01, 0x02, 0x23, 0x80,
                                          0x03, 0x02, 0x02, 0x04, 0x00, 0x00, 0x00, 0x00,
                                          0x00, 0x00};
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, constructed, sizeof(constructed), NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_REJECTION);
    assert_int_equal(tsvc_tsr_fail_info(r), TSVC_TSP_FAIL_BAD_DATA_FORMAT);
    tsvc_tsr_free(r);
    /* Unknown status value and garbage are refused. */
    static const uint8_t bad[] = {0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x09};
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, bad, sizeof(bad), NULL), TSVC_ERR_TSP_FORMAT);
}

/* The signing-certificate-v2 value is made ahead of the responses: tokens
 * made after tsvc_tsa_set_signer_hash() carry the ESSCertIDv2 of the new
 * hash, and verify. */
static void test_tsa_signer_hash(void **state)
{
    (void)state;
    static const tsvc_hash_alg hashes[] = {TSVC_HASH_SHA384, TSVC_HASH_SHA512,
                                           TSVC_HASH_SHA256};
    for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
        fixture f;
        fixture_open(&f, "tsa-ec");
        assert_int_equal(tsvc_tsa_set_signer_hash(f.tsa, TSVC_HASH_SHA512, NULL), TSVC_OK);
        assert_int_equal(tsvc_tsa_set_signer_hash(f.tsa, hashes[i], NULL), TSVC_OK);
        tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
        tsvc_tsr *r = respond(f.tsa, q);
        /* The certificate's digest with that hash is in the token. */
        size_t cl = 0, tl = 0;
        const uint8_t *cd = tsvc_cert_der(f.cert, &cl);
        const uint8_t *td = tsvc_tst_der(tsvc_tsr_token(r), &tl);
        uint8_t h[64];
        size_t hl = 0;
        assert_int_equal(tsvc_hash_oneshot(g_ctx, hashes[i], cd, cl, h, sizeof(h), &hl, NULL),
                         TSVC_OK);
        assert_non_null(memmem(td, tl, h, hl));
        tsvc_report *rep = NULL;
        assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
        if (tsvc_report_indication(rep) != TSVC_INDICATION_PASSED)
            print_report(rep);
        assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
        assert_int_equal(tsvc_tsa_set_signer_hash(f.tsa, TSVC_HASH_SHA256, NULL), TSVC_ERR_STATE);
        tsvc_report_free(rep);
        tsvc_tsr_free(r);
        tsvc_tsq_free(q);
        fixture_close(&f);
    }
}

static void test_cert_req_false(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 0);
    tsvc_tsr *r = respond(f.tsa, q);
    assert_null(tsvc_tst_signer_cert(tsvc_tsr_token(r)));
    tsvc_report *rep = NULL;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_INDETERMINATE);
    assert_int_equal(tsvc_report_subindication(rep), TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND);
    tsvc_report_free(rep);
    /* With the TSA certificate given by the caller it verifies. */
    tsvc_cert_list *list = NULL;
    assert_int_equal(tsvc_cert_list_new(g_ctx, &list, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_list_add(list, f.cert, NULL), TSVC_OK);
    tsvc_tsp_verify_options o = TSVC_TSP_VERIFY_OPTIONS_INIT;
    o.certs = list;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, &o, NULL), TSVC_OK);
    if (tsvc_report_indication(rep) != TSVC_INDICATION_PASSED)
        print_report(rep);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    tsvc_report_free(rep);
    /* The TSA certificate found among the store's anchors and intermediates. */
    tsvc_store *s2 = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &s2, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s2, f.root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(s2, f.cert, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, s2, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    tsvc_report_free(rep);
    tsvc_store_free(s2);
    assert_int_equal(tsvc_store_new(g_ctx, &s2, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s2, f.cert, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, s2, NULL, NULL), TSVC_OK);
    assert_true(has_check(rep, "signer-certificate", TSVC_CHECK_PASSED));
    assert_true(has_check(rep, "signature", TSVC_CHECK_PASSED));
    tsvc_report_free(rep);
    tsvc_store_free(s2);
    /* Unknown options version. */
    o.version = 99;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, &o, NULL), TSVC_ERR_BAD_VERSION);
    tsvc_cert_list_free(list);
    tsvc_tsr_free(r);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

/* A response bytes with one byte changed at the first occurrence of @p what. */
static tsvc_tsr *tampered(tsvc_tsa *tsa, const tsvc_tsq *q, int where)
{
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    tsvc_tsr *r = NULL;
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_respond(tsa, &resp, req.data, req.len, NULL), TSVC_OK);
    /* where 0: the last byte of the signature (end of the response);
     * where 1: a byte of the TSTInfo's serial number (after the imprint). */
    if (where == 0) {
        resp.data[resp.len - 1] ^= 0x01;
    } else {
        size_t dl = 0;
        const uint8_t *d = tsvc_tsq_digest(q, &dl);
        uint8_t *p = memmem(resp.data, resp.len, d, dl);
        assert_non_null(p);
        p[dl + 4] ^= 0x01; /* 02 len serial... */
    }
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, NULL), TSVC_OK);
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    return r;
}

static void test_tampered_token(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-rsa");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
    tsvc_report *rep = NULL;

    tsvc_tsr *r = tampered(f.tsa, q, 1);
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_FAILED);
    assert_int_equal(tsvc_report_subindication(rep), TSVC_SUB_HASH_FAILURE);
    assert_true(has_check(rep, "message-digest", TSVC_CHECK_FAILED));
    tsvc_report_free(rep);
    tsvc_tsr_free(r);

    r = tampered(f.tsa, q, 0);
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_FAILED);
    assert_int_equal(tsvc_report_subindication(rep), TSVC_SUB_SIG_CRYPTO_FAILURE);
    assert_non_null(strstr(tsvc_report_reason(rep), "signature"));
    tsvc_report_free(rep);
    tsvc_tsr_free(r);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

static void test_wrong_nonce_and_imprint(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
    tsvc_tsq *other = make_req(TSVC_HASH_SHA256, 1); /* same digest, another nonce */
    tsvc_tsr *r = respond(f.tsa, q);
    tsvc_report *rep = NULL;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, other, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_FAILED);
    assert_true(has_check(rep, "nonce", TSVC_CHECK_FAILED));
    assert_non_null(strstr(tsvc_report_reason(rep), "nonce"));
    tsvc_report_free(rep);

    tsvc_tsq *diff = NULL;
    assert_int_equal(tsvc_tsq_new_data(g_ctx, &diff, TSVC_HASH_SHA256, "x", 1, NULL), TSVC_OK);
    size_t nl = 0;
    const uint8_t *n = tsvc_tsq_nonce(q, &nl);
    uint8_t nonce[16];
    memcpy(nonce, n, nl);
    assert_int_equal(tsvc_tsq_set_nonce(diff, nonce[0] == 0 ? nonce + 1 : nonce,
                                        nonce[0] == 0 ? nl - 1 : nl, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, diff, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_FAILED);
    assert_int_equal(tsvc_report_subindication(rep), TSVC_SUB_HASH_FAILURE);
    assert_true(has_check(rep, "imprint", TSVC_CHECK_FAILED));
    assert_true(has_check(rep, "nonce", TSVC_CHECK_PASSED));
    tsvc_report_free(rep);

    /* Policy: a request for POLICY2 is refused by a TSA without it; a token
     * whose policy is not among the accepted ones fails. */
    const char *accepted[] = {POLICY2};
    tsvc_tsp_verify_options o;
    tsvc_tsp_verify_options_init(&o);
    o.policies = accepted;
    o.num_policies = 1;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, &o, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_FAILED);
    assert_true(has_check(rep, "policy", TSVC_CHECK_FAILED));
    tsvc_report_free(rep);

    tsvc_tsq_free(diff);
    tsvc_tsr_free(r);
    tsvc_tsq_free(other);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

static void test_tsa_cert_rules(void **state)
{
    (void)state;
    static const char *const bad[] = {"tsa-noncrit", "tsa-multi", "tsa-noeku"};
    for (size_t i = 0; i < 3; i++) {
        tsvc_key *k = load_key(bad[i]);
        tsvc_cert *c = load_cert(bad[i]);
        tsvc_tsa *tsa = NULL;
        tsvc_error *err = NULL;
        assert_int_equal(tsvc_tsa_new(g_ctx, &tsa, k, c, POLICY, &err), TSVC_ERR_TSA_CERT);
        assert_null(tsa);
        tsvc_error_free(err);

        /* A token signed with such a certificate anyway is refused by name. */
        uint8_t info[256];
        tsvc__cbb cbb;
        tsvc_buf ti = TSVC_BUF_INIT, tok = TSVC_BUF_INIT;
        uint8_t md[32], serial[1] = {7}, pol[16];
        size_t pol_len = 0;
        (void)info;
        assert_int_equal(tsvc_hash_oneshot(g_ctx, TSVC_HASH_SHA256, DATA, sizeof(DATA), md,
                                           sizeof(md), NULL, NULL), TSVC_OK);
        assert_int_equal(tsvc__oid_from_text(POLICY, pol, sizeof(pol), &pol_len), TSVC_OK);
        tsvc__cbb_init(&cbb, g_ctx);
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__hash_alg_encode(&cbb, TSVC_HASH_SHA256);
        tsvc__cbb_add_octet_string(&cbb, md, 32);
        tsvc__cbb_close(&cbb);
        tsvc_buf imprint = TSVC_BUF_INIT;
        assert_int_equal(tsvc__cbb_finish(&cbb, &imprint), TSVC_OK);
        tsvc__tstinfo_in in;
        memset(&in, 0, sizeof(in));
        in.policy = pol;
        in.policy_len = pol_len;
        in.imprint = imprint.data;
        in.imprint_len = imprint.len;
        in.serial = serial;
        in.serial_len = 1;
        in.gen_time = WHEN;
        tsvc__cbb_init(&cbb, g_ctx);
        tsvc__tsp_tstinfo_encode(&cbb, &in);
        assert_int_equal(tsvc__cbb_finish(&cbb, &ti), TSVC_OK);
        const tsvc_cert *certs[1] = {c};
        assert_int_equal(tsvc__tsp_token_sign(g_ctx, k, c, TSVC_HASH_SHA256, ti.data, ti.len,
                                              certs, 1, &tok, NULL), TSVC_OK);
        tsvc_tst *t = NULL;
        assert_int_equal(tsvc_tst_parse(g_ctx, &t, tok.data, tok.len, NULL), TSVC_OK);
        tsvc_cert *root = load_cert("root");
        tsvc_store *store = NULL;
        assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
        assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
        tsvc_report *rep = NULL;
        assert_int_equal(tsvc_tst_verify(g_ctx, &rep, t, TSVC_HASH_SHA256, md, 32, store, NULL,
                                         NULL), TSVC_OK);
        assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_FAILED);
        assert_true(has_check(rep, "tsa-eku", TSVC_CHECK_FAILED));
        assert_non_null(strstr(tsvc_report_reason(rep), "extendedKeyUsage"));
        tsvc_report_free(rep);
        tsvc_store_free(store);
        tsvc_cert_free(root);
        tsvc_tst_free(t);
        tsvc_buf_dispose(&imprint);
        tsvc_buf_dispose(&ti);
        tsvc_buf_dispose(&tok);
        tsvc_cert_free(c);
        tsvc_key_free(k);
    }
    /* The certificate must be the key's. */
    tsvc_key *k = load_key("tsa-ec");
    tsvc_cert *c = load_cert("tsa-rsa");
    tsvc_tsa *tsa = NULL;
    assert_int_equal(tsvc_tsa_new(g_ctx, &tsa, k, c, POLICY, NULL), TSVC_ERR_TSA_CERT);
    tsvc_cert_free(c);
    c = load_cert("tsa-ec");
    assert_int_equal(tsvc_tsa_new(g_ctx, &tsa, k, c, "not an oid", NULL), TSVC_ERR_TSA_POLICY);
    tsvc_cert_free(c);
    tsvc_key_free(k);
}

/* The ESSCertIDv2 names the TSA certificate; another certificate fails. */
static void test_ess_mismatch(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
    tsvc_tsr *r = respond(f.tsa, q);
    const tsvc_tst *t = tsvc_tsr_token(r);
    tsvc__ess_result er = TSVC__ESS_ABSENT;
    bool v2 = false;
    assert_int_equal(tsvc__cms_ess_check(g_ctx, &t->cms->signers[0], f.cert, &er, &v2, NULL),
                     TSVC_OK);
    assert_int_equal(er, TSVC__ESS_MATCH);
    assert_true(v2);
    tsvc_cert *other = load_cert("tsa-rsa");
    assert_int_equal(tsvc__cms_ess_check(g_ctx, &t->cms->signers[0], other, &er, &v2, NULL),
                     TSVC_OK);
    assert_int_equal(er, TSVC__ESS_MISMATCH);
    tsvc_cert_free(other);
    tsvc_tsr_free(r);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

/* The TSA path is validated at genTime; "now" is reported separately. */
static void test_path_at_gen_time(void **state)
{
    (void)state;
    fixture f;
    int64_t before = BEFORE;
    fixture_open(&f, "tsa-ec");
    assert_int_equal(tsvc_tsa_set_clock(f.tsa, fixed_clock, &before, NULL), TSVC_OK);
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
    tsvc_tsr *r = respond(f.tsa, q);
    tsvc_report *rep = NULL;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_FAILED);
    assert_true(has_check(rep, "tsa-path", TSVC_CHECK_FAILED));
    /* Valid now (the context's clock), which does not change the outcome. */
    assert_true(has_check(rep, "tsa-path-now", TSVC_CHECK_PASSED));
    assert_non_null(strstr(tsvc_report_reason(rep), "genTime"));
    tsvc_report_free(rep);
    /* Another trust anchor: no chain. */
    tsvc_cert *other = load_cert("other-root");
    tsvc_store *s = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &s, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s, other, NULL), TSVC_OK);
    tsvc_tsr_free(r);
    assert_int_equal(tsvc_tsa_num_issued(f.tsa), 1);
    fixture_close(&f);
    fixture_open(&f, "tsa-ec");
    r = respond(f.tsa, q);
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, s, NULL, NULL), TSVC_OK);
    assert_int_not_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    assert_true(has_check(rep, "tsa-path", TSVC_CHECK_FAILED));
    tsvc_report_free(rep);
    tsvc_store_free(s);
    tsvc_cert_free(other);
    tsvc_tsr_free(r);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

/* ---- many threads on one TSA ---- */

#define THREADS 4
#define PER_THREAD 25

typedef struct worker {
    tsvc_tsa *tsa;
    uint8_t serials[PER_THREAD][20];
    size_t serial_lens[PER_THREAD];
    int failures;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        tsvc_tsq *q = NULL;
        tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
        tsvc_tsr *r = NULL;
        if (tsvc_tsq_new_data(g_ctx, &q, TSVC_HASH_SHA256, &i, sizeof(i), NULL) != TSVC_OK ||
            tsvc_tsq_encode(q, &req, NULL) != TSVC_OK ||
            tsvc_tsa_respond(w->tsa, &resp, req.data, req.len, NULL) != TSVC_OK ||
            tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, NULL) != TSVC_OK ||
            tsvc_tsr_status(r) != TSVC_PKI_GRANTED) {
            w->failures++;
        } else {
            size_t sl = 0;
            const uint8_t *s = tsvc_tst_serial(tsvc_tsr_token(r), &sl);
            if (sl > 20)
                sl = 20;
            memcpy(w->serials[i], s, sl);
            w->serial_lens[i] = sl;
        }
        tsvc_tsr_free(r);
        tsvc_buf_dispose(&req);
        tsvc_buf_dispose(&resp);
        tsvc_tsq_free(q);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-ec");
    static worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof(w[i]));
        w[i].tsa = f.tsa;
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(w[i].failures, 0);
    assert_int_equal(tsvc_tsa_num_issued(f.tsa), THREADS * PER_THREAD);
    /* Serial numbers are unique. */
    for (int a = 0; a < THREADS * PER_THREAD; a++) {
        for (int b = a + 1; b < THREADS * PER_THREAD; b++) {
            const worker *wa = &w[a / PER_THREAD], *wb = &w[b / PER_THREAD];
            size_t la = wa->serial_lens[a % PER_THREAD], lb = wb->serial_lens[b % PER_THREAD];
            assert_false(la == lb &&
                         memcmp(wa->serials[a % PER_THREAD], wb->serials[b % PER_THREAD], la) == 0);
        }
    }
    fixture_close(&f);
}

/* ---- fetch through the context's callback ---- */

typedef struct fake_tsa {
    tsvc_tsa *tsa;
    int calls;
    char content_type[64];
} fake_tsa;

static tsvc_status fake_fetch(void *opaque, const char *url, const char *content_type,
                              const uint8_t *body, size_t body_len, tsvc_buf *response,
                              tsvc_error **err)
{
    fake_tsa *fk = opaque;
    tsvc_buf out = TSVC_BUF_INIT;
    (void)url;
    fk->calls++;
    snprintf(fk->content_type, sizeof(fk->content_type), "%s", content_type ? content_type : "");
    tsvc_status st = tsvc_tsa_respond(fk->tsa, &out, body, body_len, err);
    if (st == TSVC_OK)
        st = tsvc_fetch_response_set(g_ctx, response, out.data, out.len);
    tsvc_buf_dispose(&out);
    return st;
}

static void test_fetch(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-ec");
    fake_tsa fk = {f.tsa, 0, ""};
    tsvc_tsq *q = make_req(TSVC_HASH_SHA512, 1);
    tsvc_buf resp = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tsq_fetch(g_ctx, q, "http://tsa.invalid/", &resp, NULL), TSVC_ERR_FETCH);
    tsvc_ctx_set_fetch(g_ctx, fake_fetch, &fk);
    assert_int_equal(tsvc_tsq_fetch(g_ctx, q, "http://tsa.invalid/", &resp, NULL), TSVC_OK);
    tsvc_ctx_set_fetch(g_ctx, NULL, NULL);
    assert_int_equal(fk.calls, 1);
    assert_string_equal(fk.content_type, tsvc_tsq_media_type());
    assert_string_equal(tsvc_tsr_media_type(), "application/timestamp-reply");
    assert_string_equal(tsvc_pki_status_str(TSVC_PKI_GRANTED_WITH_MODS), "grantedWithMods");
    assert_int_equal(tsvc_tsq_max_size(), TSVC_TSQ_MAX_SIZE);
    assert_int_equal(tsvc_tsr_max_size(), TSVC_TSR_MAX_SIZE);
    tsvc_tsr *r = NULL;
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, NULL), TSVC_OK);
    tsvc_report *rep = NULL;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    tsvc_report_free(rep);
    tsvc_tsr_free(r);
    tsvc_buf_dispose(&resp);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

/* Every prefix and every one-byte change of a good response is handled. */
static void test_response_mutations(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_respond(f.tsa, &resp, req.data, req.len, NULL), TSVC_OK);
    for (size_t i = 0; i < resp.len; i++) {
        tsvc_tsr *r = NULL;
        (void)tsvc_tsr_parse(g_ctx, &r, resp.data, i, NULL);
        tsvc_tsr_free(r);
    }
    for (size_t i = 0; i < resp.len; i += 7) {
        tsvc_tsr *r = NULL;
        resp.data[i] ^= 0x55;
        if (tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, NULL) == TSVC_OK &&
            tsvc_tsr_token(r) != NULL) {
            tsvc_report *rep = NULL;
            assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, NULL, NULL), TSVC_OK);
            tsvc_report_free(rep);
        }
        tsvc_tsr_free(r);
        resp.data[i] ^= 0x55;
    }
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    tsvc_tsq_free(q);
    fixture_close(&f);
}


/* ---- allocation failures: every one is reported, nothing leaks ---- */

static void test_allocation_failures(void **state)
{
    (void)state;
    tsvc_test_counter cnt = {-1, 0};
    tsvc_allocator a = tsvc_test_counting_allocator(&cnt);
    tsvc_ctx *ctx = NULL;
    static uint8_t buf[65536];
    assert_int_equal(tsvc_ctx_new(&ctx, &a, NULL), TSVC_OK);
    tsvc_ctx_set_clock(ctx, ctx_clock, NULL);
    tsvc_key *key = NULL;
    tsvc_cert *cert = NULL, *root = NULL;
    size_t len = load_file("tsa-ec.key", buf, sizeof(buf));
    assert_int_equal(tsvc_key_import(ctx, &key, buf, len, NULL), TSVC_OK);
    len = load_file("tsa-ec.pem", buf, sizeof(buf));
    assert_int_equal(tsvc_cert_parse(ctx, &cert, buf, len, NULL), TSVC_OK);
    len = load_file("root.pem", buf, sizeof(buf));
    assert_int_equal(tsvc_cert_parse(ctx, &root, buf, len, NULL), TSVC_OK);
    tsvc_store *store = NULL;
    assert_int_equal(tsvc_store_new(ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    tsvc_tsa *tsa = NULL;
    assert_int_equal(tsvc_tsa_new(ctx, &tsa, key, cert, POLICY, NULL), TSVC_OK);
    tsvc_tsq *q = NULL;
    tsvc_buf req = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tsq_new_data(ctx, &q, TSVC_HASH_SHA256, DATA, sizeof(DATA), NULL),
                     TSVC_OK);
    tsvc_tsq_set_cert_req(q, 1);
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);

    /* One full run first: the store and certificates build their lazy
     * caches (kept until they are freed) on first use. */
    {
        tsvc_buf resp = TSVC_BUF_INIT;
        tsvc_tsr *r = NULL;
        tsvc_report *rep = NULL;
        assert_int_equal(tsvc_tsa_respond(tsa, &resp, req.data, req.len, NULL), TSVC_OK);
        assert_int_equal(tsvc_tsr_parse(ctx, &r, resp.data, resp.len, NULL), TSVC_OK);
        assert_int_equal(tsvc_tsr_verify(ctx, &rep, r, q, store, NULL, NULL), TSVC_OK);
        assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
        tsvc_report_free(rep);
        tsvc_tsr_free(r);
        tsvc_buf_dispose(&resp);
    }
    bool done = false;
    for (long n = 0; n < 5000 && !done; n++) {
        tsvc_buf resp = TSVC_BUF_INIT;
        tsvc_tsr *r = NULL;
        tsvc_report *rep = NULL;
        tsvc_error *err = NULL;
        long before = cnt.live;
        cnt.budget = n;
        tsvc_status st = tsvc_tsa_respond(tsa, &resp, req.data, req.len, &err);
        if (st == TSVC_OK)
            st = tsvc_tsr_parse(ctx, &r, resp.data, resp.len, NULL);
        if (st == TSVC_OK)
            st = tsvc_tsr_verify(ctx, &rep, r, q, store, NULL, NULL);
        cnt.budget = -1;
        if (st == TSVC_OK && tsvc_tsr_status(r) == TSVC_PKI_GRANTED &&
            tsvc_report_indication(rep) == TSVC_INDICATION_PASSED)
            done = true;
        else if (st != TSVC_OK)
            assert_int_equal(st, TSVC_ERR_NOMEM);
        tsvc_error_free(err);
        tsvc_report_free(rep);
        tsvc_tsr_free(r);
        tsvc_buf_dispose(&resp);
        if (cnt.live != before)
            print_message("n=%ld st=%d live %ld before %ld\n", n, (int)st, cnt.live, before);
        assert_int_equal(cnt.live, before);
    }
    assert_true(done);
    tsvc_buf_dispose(&req);
    tsvc_tsq_free(q);
    tsvc_tsa_free(tsa);
    tsvc_store_free(store);
    tsvc_cert_free(root);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    tsvc_ctx_free(ctx);
    assert_int_equal(cnt.live, 0);
}

/* Regression: a certificate of the token whose parsing ran out of memory was
 * dropped (the token parsed without it) instead of failing with NOMEM. */
static void test_tst_parse_cert_nomem(void **state)
{
    (void)state;
    tsvc_test_counter cnt = {-1, 0};
    tsvc_allocator a = tsvc_test_counting_allocator(&cnt);
    tsvc_ctx *ctx = NULL;
    static uint8_t buf[65536];
    tsvc_key *key = NULL;
    tsvc_cert *cert = NULL;
    tsvc_tsa *tsa = NULL;
    tsvc_tsq *q = NULL;
    tsvc_tsr *r = NULL;
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    size_t len = load_file("tsa-ec.key", buf, sizeof(buf));
    assert_int_equal(tsvc_key_import(g_ctx, &key, buf, len, NULL), TSVC_OK);
    len = load_file("tsa-ec.pem", buf, sizeof(buf));
    assert_int_equal(tsvc_cert_parse(g_ctx, &cert, buf, len, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_new(g_ctx, &tsa, key, cert, POLICY, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsq_new_data(g_ctx, &q, TSVC_HASH_SHA256, DATA, sizeof(DATA), NULL),
                     TSVC_OK);
    tsvc_tsq_set_cert_req(q, 1);
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsa_respond(tsa, &resp, req.data, req.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, NULL), TSVC_OK);
    size_t tl = 0;
    const uint8_t *td = tsvc_tst_der(tsvc_tsr_token(r), &tl);
    assert_non_null(td);
    assert_non_null(tsvc_tst_signer_cert(tsvc_tsr_token(r)));

    assert_int_equal(tsvc_ctx_new(&ctx, &a, NULL), TSVC_OK);
    bool done = false;
    long failures = 0;
    for (long n = 0; n < 5000 && !done; n++) {
        tsvc_tst *t = NULL;
        long before = cnt.live;
        cnt.budget = n;
        tsvc_status st = tsvc_tst_parse(ctx, &t, td, tl, NULL);
        cnt.budget = -1;
        if (st == TSVC_OK) {
            /* Parsed: then with its certificate, never without. */
            assert_non_null(tsvc_tst_signer_cert(t));
            done = true;
        } else {
            assert_int_equal(st, TSVC_ERR_NOMEM);
            assert_null(t);
            failures++;
        }
        tsvc_tst_free(t);
        assert_int_equal(cnt.live, before);
    }
    assert_true(done);
    assert_true(failures > 0);
    tsvc_ctx_free(ctx);
    assert_int_equal(cnt.live, 0);
    tsvc_tsr_free(r);
    tsvc_buf_dispose(&resp);
    tsvc_buf_dispose(&req);
    tsvc_tsq_free(q);
    tsvc_tsa_free(tsa);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
}

/* ---- the TSA key: activation label, key requirements ---- */

typedef struct activation_log {
    int calls;
    char label[32];
} activation_log;

static tsvc_status record_activation(void *opaque, tsvc_activation_request *req)
{
    activation_log *log = opaque;
    const char *l = tsvc_activation_request_label(req);
    log->calls++;
    snprintf(log->label, sizeof(log->label), "%s", l ? l : "(null)");
    return TSVC_OK;
}

static tsvc_status respond_status(tsvc_tsa *tsa, const tsvc_tsq *q, tsvc_tsr **r,
                                  tsvc_error **err)
{
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    assert_int_equal(tsvc_tsq_encode(q, &req, NULL), TSVC_OK);
    tsvc_status st = tsvc_tsa_respond(tsa, &resp, req.data, req.len, err);
    *r = NULL;
    if (resp.data != NULL)
        assert_int_equal(tsvc_tsr_parse(g_ctx, r, resp.data, resp.len, NULL), TSVC_OK);
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    return st;
}

/* The TSA signs through the key's activation callback with the label "tsa". */
static void test_tsa_activation_label(void **state)
{
    (void)state;
    fixture f;
    activation_log log = {0, ""};
    fixture_open(&f, "tsa-ec");
    assert_int_equal(tsvc_key_set_activation(f.key, record_activation, &log), TSVC_OK);
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
    tsvc_tsr *r = respond(f.tsa, q);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_GRANTED);
    assert_int_equal(log.calls, 1);
    assert_string_equal(log.label, "tsa");
    tsvc_tsr_free(r);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

/* tsvc_tsa_set_key_requirements(): checked when set and before every
 * signature; a key that falls short gives systemFailure responses and
 * TSVC_ERR_KEY_ASSURANCE to the operator. */
static void test_tsa_key_requirements(void **state)
{
    (void)state;
    fixture f;
    activation_log log = {0, ""};
    tsvc_key_requirements req = TSVC_KEY_REQUIREMENTS_INIT;
    tsvc_error *err = NULL;
    tsvc_tsr *r = NULL;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 0);
    /* Argument checks. */
    assert_int_equal(tsvc_tsa_set_key_requirements(NULL, &req, NULL), TSVC_ERR_INVALID_ARG);
    req.version = 99;
    assert_int_equal(tsvc_tsa_set_key_requirements(f.tsa, &req, NULL), TSVC_ERR_BAD_VERSION);
    req.version = TSVC_KEY_REQUIREMENTS_VERSION;
    assert_int_equal(tsvc_tsa_set_key_requirements(f.tsa, &req, NULL), TSVC_OK); /* nothing */
    /* A software key in a TSA that demands an HSM. */
    req.require_hsm = 1;
    assert_int_equal(tsvc_tsa_set_key_requirements(f.tsa, &req, &err), TSVC_ERR_KEY_ASSURANCE);
    assert_non_null(strstr(tsvc_error_message(err), "key requirements"));
    tsvc_error_free(err);
    err = NULL;
    /* Removed again: the TSA signs. */
    assert_int_equal(tsvc_tsa_set_key_requirements(f.tsa, NULL, NULL), TSVC_OK);
    /* Demand an activation callback the key does not have yet. */
    req.require_hsm = 0;
    req.require_activation = 1;
    assert_int_equal(tsvc_tsa_set_key_requirements(f.tsa, &req, NULL), TSVC_ERR_KEY_ASSURANCE);
    assert_int_equal(respond_status(f.tsa, q, &r, &err), TSVC_ERR_KEY_ASSURANCE);
    assert_non_null(r);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_REJECTION);
    assert_int_equal(tsvc_tsr_fail_info(r), TSVC_TSP_FAIL_SYSTEM_FAILURE);
    assert_null(tsvc_tsr_token(r));
    assert_non_null(err);
    tsvc_error_free(err);
    err = NULL;
    tsvc_tsr_free(r);
    assert_int_equal(tsvc_tsa_num_issued(f.tsa), 0);
    /* Checked again before the next signature: with the callback, it signs. */
    assert_int_equal(tsvc_key_set_activation(f.key, record_activation, &log), TSVC_OK);
    assert_int_equal(respond_status(f.tsa, q, &r, NULL), TSVC_OK);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_GRANTED);
    assert_string_equal(log.label, "tsa");
    tsvc_tsr_free(r);
    /* And refused again when the callback goes. */
    assert_int_equal(tsvc_key_set_activation(f.key, NULL, NULL), TSVC_OK);
    assert_int_equal(respond_status(f.tsa, q, &r, NULL), TSVC_ERR_KEY_ASSURANCE);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_REJECTION);
    tsvc_tsr_free(r);
    assert_int_equal(tsvc_tsa_num_issued(f.tsa), 1);
    /* A TSA that has answered is no longer configurable. */
    assert_int_equal(tsvc_tsa_set_key_requirements(f.tsa, NULL, NULL), TSVC_ERR_STATE);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

/* tsvc_tsp_verify_options version 2: the caller's policy for the TSA's path
 * (here hard-fail revocation without any revocation data); version 1
 * structures are still read (without the policy field), others refused. */
static void test_verify_options_policy(void **state)
{
    (void)state;
    fixture f;
    tsvc_policy *pol = NULL;
    tsvc_report *rep = NULL;
    fixture_open(&f, "tsa-ec");
    tsvc_tsq *q = make_req(TSVC_HASH_SHA256, 1);
    tsvc_tsr *r = respond(f.tsa, q);
    assert_int_equal(tsvc_tsr_status(r), TSVC_PKI_GRANTED);
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_revocation_mode(pol, TSVC_REVOCATION_HARD_FAIL, NULL),
                     TSVC_OK);
    tsvc_tsp_verify_options o = TSVC_TSP_VERIFY_OPTIONS_INIT;
    assert_int_equal(o.version, 2);
    o.policy = pol;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, &o, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_INDETERMINATE);
    assert_int_equal(tsvc_report_subindication(rep), TSVC_SUB_TRY_LATER);
    assert_true(has_check(rep, "tsa-path", TSVC_CHECK_FAILED));
    tsvc_report_free(rep);
    /* The same through tsvc_tst_verify(). */
    const uint8_t *dg = NULL;
    size_t dl = 0;
    dg = tsvc_tst_digest(tsvc_tsr_token(r), &dl);
    assert_int_equal(tsvc_tst_verify(g_ctx, &rep, tsvc_tsr_token(r), TSVC_HASH_SHA256, dg, dl,
                                     f.store, &o, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_report_subindication(rep), TSVC_SUB_TRY_LATER);
    tsvc_report_free(rep);
    /* Without a policy: passes. */
    o.policy = NULL;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, &o, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    tsvc_report_free(rep);
    /* A version 1 structure: the field after @c now is not read. */
    o.version = 1;
    o.policy = (const tsvc_policy *)(uintptr_t)1; /* would crash if read */
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, &o, NULL), TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    tsvc_report_free(rep);
    assert_int_equal(tsvc_tst_verify(g_ctx, &rep, tsvc_tsr_token(r), TSVC_HASH_SHA256, dg, dl,
                                     f.store, &o, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_report_indication(rep), TSVC_INDICATION_PASSED);
    tsvc_report_free(rep);
    o.version = 3;
    assert_int_equal(tsvc_tsr_verify(g_ctx, &rep, r, q, f.store, &o, NULL),
                     TSVC_ERR_BAD_VERSION);
    assert_null(rep);
    tsvc_policy_free(pol);
    tsvc_tsr_free(r);
    tsvc_tsq_free(q);
    fixture_close(&f);
}

static int setup(void **state)
{
    (void)state;
    if (tsvc_ctx_new(&g_ctx, NULL, NULL) != TSVC_OK)
        return -1;
    tsvc_ctx_set_clock(g_ctx, ctx_clock, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_roundtrip),
        cmocka_unit_test(test_request_nonce_random),
        cmocka_unit_test(test_request_null_vs_absent_params),
        cmocka_unit_test(test_request_malformed),
        cmocka_unit_test(test_verify_ec),
        cmocka_unit_test(test_verify_rsa),
        cmocka_unit_test(test_tsa_rejections),
        cmocka_unit_test(test_tsa_serials),
        cmocka_unit_test(test_rejection_without_token),
        cmocka_unit_test(test_ber_fail_info),
        cmocka_unit_test(test_cert_req_false),
        cmocka_unit_test(test_tsa_signer_hash),
        cmocka_unit_test(test_tsa_default_serials),
        cmocka_unit_test(test_tampered_token),
        cmocka_unit_test(test_wrong_nonce_and_imprint),
        cmocka_unit_test(test_tsa_cert_rules),
        cmocka_unit_test(test_ess_mismatch),
        cmocka_unit_test(test_path_at_gen_time),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_fetch),
        cmocka_unit_test(test_response_mutations),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_tst_parse_cert_nomem),
        cmocka_unit_test(test_tsa_activation_label),
        cmocka_unit_test(test_tsa_key_requirements),
        cmocka_unit_test(test_verify_options_policy),
    };
    return cmocka_run_group_tests_name("tsp", tests, setup, teardown);
}
