/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the unit tests; see test_util.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "test_util.h"

#ifndef TSVC_TEST_SOURCE_ROOT
#define TSVC_TEST_SOURCE_ROOT "."
#endif

uint8_t *tsvc_test_read_file(const char *dir, const char *name, size_t *len)
{
    const char *root = getenv("TSVC_SOURCE_ROOT");
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s/%s", root != NULL ? root : TSVC_TEST_SOURCE_ROOT, dir,
             name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (is TSVC_SOURCE_ROOT set?)", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    uint8_t *data = malloc((size_t)n + 1);
    assert_non_null(data);
    *len = fread(data, 1, (size_t)n, f);
    fclose(f);
    assert_int_equal(*len, (size_t)n);
    data[*len] = 0;
    return data;
}

tsvc_cert *tsvc_test_load_cert(tsvc_ctx *ctx, const char *dir, const char *name)
{
    size_t len = 0;
    uint8_t *data = tsvc_test_read_file(dir, name, &len);
    tsvc_cert *cert = NULL;
    tsvc_error *err = NULL;
    if (tsvc_cert_parse(ctx, &cert, data, len, &err) != TSVC_OK)
        fail_msg("cannot parse %s: %s", name, tsvc_error_message(err));
    tsvc_error_free(err);
    free(data);
    return cert;
}

void tsvc_test_require_verify(tsvc_key_type type, tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                              const char *what)
{
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    bool found = false;
    for (size_t i = 0; i < tsvc_ctx_num_backends(ctx) && !found; i++)
        found = tsvc_ctx_backend_supports(ctx, i, TSVC_OP_VERIFY, type, scheme, hash) != 0;
    tsvc_ctx_free(ctx);
    if (!found) {
        print_message("SKIPPED (missing capability: no backend of this build verifies %s)\n",
                      what);
        skip();
    }
}

static void *counting_alloc(void *opaque, size_t n)
{
    tsvc_test_counter *c = opaque;
    if (c->budget == 0)
        return NULL;
    if (c->budget > 0)
        c->budget--;
    void *p = malloc(n);
    if (p != NULL)
        c->live++;
    return p;
}

static void counting_free(void *opaque, void *p)
{
    tsvc_test_counter *c = opaque;
    if (p != NULL) {
        c->live--;
        free(p);
    }
}

tsvc_allocator tsvc_test_counting_allocator(tsvc_test_counter *counter)
{
    tsvc_allocator a = {counting_alloc, counting_free, counter};
    return a;
}
