/*
 * SPDX-License-Identifier: Apache-2.0
 * Tests of the HTTP helpers (tools/http): the libcurl fetch callback
 * against the libmicrohttpd time-stamp server, on 127.0.0.1 and an
 * ephemeral port: a request verified end to end, concurrent requests, and
 * the refusals 405 (method), 415 (content type) and 413 (body too large).
 * The server is stopped by each test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "trustsvc/fetch.h"
#include "trustsvc/tsp.h"
#include "trustsvc/validate.h"
#include "tsvc_http.h"

#ifndef TSVC_TSP_DATA
#define TSVC_TSP_DATA "tests/data/tsp"
#endif

static tsvc_ctx *g_ctx;
static tsvc_key *g_key;
static tsvc_cert *g_cert, *g_root;
static tsvc_tsa *g_tsa;
static tsvc_store *g_store;
static tsvc_http_tsa_server *g_srv;
static char g_url[64];

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
        return 0;
    size_t len = fread(buf, 1, size, f);
    fclose(f);
    return len;
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    (void)p;
    (void)u;
    return s * n;
}

/* Status code of one raw request with libcurl. */
static long raw_status(const char *method, const char *content_type, size_t body_len)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hd = NULL;
    char *body = calloc(1, body_len + 1);
    long code = 0;
    assert_non_null(h);
    curl_easy_setopt(h, CURLOPT_URL, g_url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (strcmp(method, "POST") == 0) {
        char line[128];
        snprintf(line, sizeof(line), "Content-Type: %s", content_type);
        hd = curl_slist_append(hd, line);
        hd = curl_slist_append(hd, "Expect:");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    free(body);
    return code;
}

static int one_round(void)
{
    tsvc_tsq *q = NULL;
    tsvc_buf resp = TSVC_BUF_INIT;
    tsvc_tsr *r = NULL;
    tsvc_report *rep = NULL;
    int ok = 0;
    static const char data[] = "over http";
    if (tsvc_tsq_new_data(g_ctx, &q, TSVC_HASH_SHA256, data, sizeof(data), NULL) == TSVC_OK) {
        tsvc_tsq_set_cert_req(q, 1);
        if (tsvc_tsq_fetch(g_ctx, q, g_url, &resp, NULL) == TSVC_OK &&
            tsvc_tsr_parse(g_ctx, &r, resp.data, resp.len, NULL) == TSVC_OK &&
            tsvc_tsr_verify(g_ctx, &rep, r, q, g_store, NULL, NULL) == TSVC_OK &&
            tsvc_report_indication(rep) == TSVC_INDICATION_PASSED)
            ok = 1;
    }
    tsvc_report_free(rep);
    tsvc_tsr_free(r);
    tsvc_buf_dispose(&resp);
    tsvc_tsq_free(q);
    return ok;
}

static void test_roundtrip(void **state)
{
    (void)state;
    assert_true(one_round());
    assert_int_equal(tsvc_http_tsa_server_num_answered(g_srv), 1);
}

static void *worker(void *arg)
{
    int *failures = arg;
    for (int i = 0; i < 10; i++)
        if (!one_round())
            (*failures)++;
    return NULL;
}

static void test_concurrent(void **state)
{
    (void)state;
    pthread_t th[6];
    int failures[6] = {0};
    for (int i = 0; i < 6; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, &failures[i]), 0);
    for (int i = 0; i < 6; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 6; i++)
        assert_int_equal(failures[i], 0);
}

static void test_refusals(void **state)
{
    (void)state;
    assert_int_equal(raw_status("GET", NULL, 0), 405);
    assert_int_equal(raw_status("PUT", NULL, 0), 405);
    assert_int_equal(raw_status("POST", "text/plain", 10), 415);
    assert_int_equal(raw_status("POST", "application/timestamp-query", TSVC_TSQ_MAX_SIZE + 1), 413);
    /* A malformed query still gets a (rejection) response. */
    assert_int_equal(raw_status("POST", "application/timestamp-query", 10), 200);
    /* The fetch callback reports the refusals as fetch failures. */
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_http_fetch_config cfg = {g_ctx, 5000, 0};
    assert_int_equal(tsvc_http_curl_fetch(&cfg, g_url, "text/plain", (const uint8_t *)"x", 1, &out,
                                          NULL),
                     TSVC_ERR_FETCH);
    assert_int_equal(tsvc_http_curl_fetch(&cfg, g_url, NULL, NULL, 0, &out, NULL), TSVC_ERR_FETCH);
    assert_int_equal(tsvc_http_curl_fetch(&cfg, "ftp://127.0.0.1/", NULL, NULL, 0, &out, NULL),
                     TSVC_ERR_FETCH);
    assert_null(out.data);
}

static int setup(void **state)
{
    (void)state;
    static uint8_t buf[64 * 1024];
    size_t len;
    if (tsvc_ctx_new(&g_ctx, NULL, NULL) != TSVC_OK)
        return -1;
    if ((len = load_file("tsa-ec.key", buf, sizeof(buf))) == 0 ||
        tsvc_key_import(g_ctx, &g_key, buf, len, NULL) != TSVC_OK)
        return -1;
    if ((len = load_file("tsa-ec.pem", buf, sizeof(buf))) == 0 ||
        tsvc_cert_parse(g_ctx, &g_cert, buf, len, NULL) != TSVC_OK)
        return -1;
    if ((len = load_file("root.pem", buf, sizeof(buf))) == 0 ||
        tsvc_cert_parse(g_ctx, &g_root, buf, len, NULL) != TSVC_OK)
        return -1;
    if (tsvc_tsa_new(g_ctx, &g_tsa, g_key, g_cert, "1.2.3.4.1", NULL) != TSVC_OK)
        return -1;
    if (tsvc_store_new(g_ctx, &g_store, NULL) != TSVC_OK ||
        tsvc_store_add_anchor(g_store, g_root, NULL) != TSVC_OK)
        return -1;
    tsvc_http_tsa_server_options o = {"127.0.0.1", 0, 0, 4, 5};
    if (tsvc_http_tsa_server_start(&g_srv, g_tsa, &o) != TSVC_OK)
        return -1;
    snprintf(g_url, sizeof(g_url), "http://127.0.0.1:%u/tsa", tsvc_http_tsa_server_port(g_srv));
    static tsvc_http_fetch_config cfg;
    cfg.ctx = g_ctx;
    cfg.timeout_ms = 10000;
    tsvc_ctx_set_fetch(g_ctx, tsvc_http_curl_fetch, &cfg);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_http_tsa_server_stop(g_srv);
    tsvc_store_free(g_store);
    tsvc_tsa_free(g_tsa);
    tsvc_cert_free(g_root);
    tsvc_cert_free(g_cert);
    tsvc_key_free(g_key);
    tsvc_ctx_free(g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests_name("tsp-http", tests, setup, teardown);
}
