/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the core layer: status codes, errors, buffers, allocator
 * hooks, limits, clock and calendar arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void status_strings_are_distinct(void **state)
{
    (void)state;
    assert_string_equal(tsvc_status_str(TSVC_OK), "success");
    assert_string_equal(tsvc_status_str(12345), "unknown status");
    assert_string_not_equal(tsvc_status_str(TSVC_ERR_DER_LENGTH),
                            tsvc_status_str(TSVC_ERR_DER_TRUNCATED));
    /* Every named status has its own text. */
    for (int a = -400; a <= 0; a++) {
        if (strcmp(tsvc_status_str(a), "unknown status") == 0)
            continue;
        for (int b = a + 1; b <= 0; b++)
            if (strcmp(tsvc_status_str(b), "unknown status") != 0)
                assert_string_not_equal(tsvc_status_str(a), tsvc_status_str(b));
    }
}

static void status_families(void **state)
{
    (void)state;
    assert_int_equal(tsvc_status_family(TSVC_OK), 0);
    assert_int_equal(tsvc_status_family(TSVC_ERR_NOMEM), 0);
    assert_int_equal(tsvc_status_family(TSVC_ERR_LIMIT_CHAIN_DEPTH), -100);
    assert_int_equal(tsvc_status_family(TSVC_ERR_DER_OID), -200);
    assert_int_equal(tsvc_status_family(TSVC_ERR_BACKEND), -300);
}

static void version_matches_macros(void **state)
{
    (void)state;
    assert_string_equal(tsvc_version_str(), TSVC_VERSION_STRING);
    assert_int_equal(tsvc_version_num(), TSVC_VERSION_NUMBER);
    assert_int_equal(TSVC_VERSION_NUMBER,
                     TSVC_VERSION_MAJOR * 10000 + TSVC_VERSION_MINOR * 100 + TSVC_VERSION_PATCH);
}

static void error_detail_is_filled_once(void **state)
{
    (void)state;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc__err(&err, TSVC_ERR_DER_LENGTH, "der.length", 17, "bad length %d", 3),
                     TSVC_ERR_DER_LENGTH);
    assert_non_null(err);
    assert_int_equal(tsvc_error_code(err), TSVC_ERR_DER_LENGTH);
    assert_string_equal(tsvc_error_message(err), "bad length 3");
    assert_string_equal(tsvc_error_check(err), "der.length");
    assert_int_equal(tsvc_error_offset(err), 17);
    /* The first error wins: a second report does not overwrite it. */
    tsvc__err(&err, TSVC_ERR_NOMEM, NULL, -1, "second");
    assert_int_equal(tsvc_error_code(err), TSVC_ERR_DER_LENGTH);
    tsvc_error_free(err);
    /* NULL is accepted everywhere. */
    assert_int_equal(tsvc__err(NULL, TSVC_ERR_NOMEM, NULL, -1, NULL), TSVC_ERR_NOMEM);
    assert_int_equal(tsvc_error_code(NULL), TSVC_OK);
    assert_null(tsvc_error_check(NULL));
    assert_int_equal(tsvc_error_offset(NULL), -1);
    tsvc_error_free(NULL);
}

typedef struct counting_alloc {
    size_t allocs;
    size_t frees;
    size_t fail_after; /* 0 = never fail */
} counting_alloc;

static void *count_alloc(void *opaque, size_t size)
{
    counting_alloc *c = opaque;
    if (c->fail_after && c->allocs >= c->fail_after)
        return NULL;
    c->allocs++;
    return malloc(size);
}

static void count_free(void *opaque, void *ptr)
{
    counting_alloc *c = opaque;
    if (ptr != NULL)
        c->frees++;
    free(ptr);
}

static void ctx_uses_allocator_and_buffers_wipe(void **state)
{
    (void)state;
    counting_alloc c = {0, 0, 0};
    tsvc_allocator a = {count_alloc, count_free, &c};
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc__ctx_create(&ctx, &a, NULL), TSVC_OK);
    assert_int_equal(c.allocs, 1);

    tsvc_buf buf = TSVC_BUF_INIT;
    assert_int_equal(tsvc__buf_set(ctx, &buf, "secret", 6), TSVC_OK);
    assert_int_equal(buf.len, 6);
    assert_memory_equal(buf.data, "secret", 6);
    assert_int_equal(c.allocs, 2);
    tsvc_buf_dispose(&buf);
    assert_null(buf.data);
    assert_int_equal(buf.len, 0);
    assert_int_equal(c.frees, 1);
    tsvc_buf_dispose(&buf); /* idempotent */
    tsvc_buf_dispose(NULL);

    tsvc__free(ctx, NULL);
    /* The context itself was allocated through the hooks. */
    const tsvc_allocator *ca = tsvc__ctx_allocator(ctx);
    ca->free(ca->opaque, ctx);
    assert_int_equal(c.frees, 2);
}

static void ctx_rejects_half_allocator_and_failed_alloc(void **state)
{
    (void)state;
    tsvc_allocator half = {count_alloc, NULL, NULL};
    tsvc_ctx *ctx = (tsvc_ctx *)0x1;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc__ctx_create(&ctx, &half, &err), TSVC_ERR_INVALID_ARG);
    assert_null(ctx);
    tsvc_error_free(err);

    counting_alloc c = {0, 0, 1};
    c.allocs = 1; /* next allocation fails */
    tsvc_allocator failing = {count_alloc, count_free, &c};
    assert_int_equal(tsvc__ctx_create(&ctx, &failing, NULL), TSVC_ERR_NOMEM);
    assert_null(ctx);
}

static void limits_defaults_and_bounds(void **state)
{
    (void)state;
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc__ctx_create(&ctx, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_CHAIN_DEPTH), 8);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_DER_DEPTH), 32);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_SIG_CHECKS), 100);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_PATH_ATTEMPTS), 10000);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_NC_COMPARISONS), 1u << 20);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_CHAIN_DEPTH, 32, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_CHAIN_DEPTH), 32);
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_CHAIN_DEPTH, 33, &err),
                     TSVC_ERR_INVALID_ARG);
    assert_non_null(strstr(tsvc_error_message(err), "chain depth"));
    tsvc_error_free(err);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CHECKS, 0, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_ctx_set_limit(ctx, (tsvc_limit)99, 1, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_ctx_get_limit(ctx, (tsvc_limit)99), 0);
    tsvc__free(ctx, ctx);
}

static tsvc_status fixed_clock(void *opaque, int64_t *now)
{
    *now = *(int64_t *)opaque;
    return TSVC_OK;
}

static tsvc_status broken_clock(void *opaque, int64_t *now)
{
    (void)opaque;
    (void)now;
    return TSVC_ERR_IO;
}

static void clock_callback(void **state)
{
    (void)state;
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc__ctx_create(&ctx, NULL, NULL), TSVC_OK);
    int64_t t = 0;
    assert_int_equal(tsvc_ctx_now(ctx, &t, NULL), TSVC_OK);
    assert_true(t > 1700000000); /* the system clock is after 2023 */
    int64_t fixed = 946684800;
    tsvc_ctx_set_clock(ctx, fixed_clock, &fixed);
    assert_int_equal(tsvc_ctx_now(ctx, &t, NULL), TSVC_OK);
    assert_int_equal(t, 946684800);
    tsvc_error *err = NULL;
    tsvc_ctx_set_clock(ctx, broken_clock, NULL);
    assert_int_equal(tsvc_ctx_now(ctx, &t, &err), TSVC_ERR_CLOCK);
    tsvc_error_free(err);
    tsvc_ctx_set_clock(ctx, NULL, NULL);
    assert_int_equal(tsvc_ctx_now(ctx, &t, NULL), TSVC_OK);
    tsvc__free(ctx, ctx);
}

static void calendar_round_trips(void **state)
{
    (void)state;
    /* Known points, computed independently (date -u -d ... +%s). */
    assert_int_equal(tsvc__time_from_civil(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(tsvc__time_from_civil(2000, 3, 1, 0, 0, 0), 951868800);
    assert_int_equal(tsvc__time_from_civil(2049, 12, 31, 23, 59, 59), 2524607999);
    assert_int_equal(tsvc__time_from_civil(1950, 1, 1, 0, 0, 0), -631152000);
    assert_int_equal(tsvc__time_from_civil(9999, 12, 31, 23, 59, 59), 253402300799);
    assert_int_equal(tsvc__days_in_month(2000, 2), 29);
    assert_int_equal(tsvc__days_in_month(1900, 2), 28);
    assert_int_equal(tsvc__days_in_month(2024, 13), 0);
    /* The extremes do not overflow (the result is only meaningful in range). */
    {
        int64_t y;
        unsigned mo, d, h, mi, s;
        tsvc__time_to_civil(INT64_MIN, &y, &mo, &d, &h, &mi, &s);
        assert_true(h < 24 && mi < 60 && s < 60);
        tsvc__time_to_civil(-1, &y, &mo, &d, &h, &mi, &s);
        assert_int_equal(y, 1969);
        assert_int_equal(mo, 12);
        assert_int_equal(d, 31);
        assert_int_equal(s, 59);
    }
    for (int64_t t = -2208988800; t < 253402300799; t += 86400 * 7 + 3661) {
        int64_t y;
        unsigned mo, d, h, mi, s;
        tsvc__time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
        assert_int_equal(tsvc__time_from_civil(y, mo, d, h, mi, s), t);
    }
}

static void memzero_wipes(void **state)
{
    (void)state;
    unsigned char b[16];
    memset(b, 0xAA, sizeof(b));
    tsvc_memzero(b, sizeof(b));
    for (size_t i = 0; i < sizeof(b); i++)
        assert_int_equal(b[i], 0);
    tsvc_memzero(NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_strings_are_distinct),
        cmocka_unit_test(status_families),
        cmocka_unit_test(version_matches_macros),
        cmocka_unit_test(error_detail_is_filled_once),
        cmocka_unit_test(ctx_uses_allocator_and_buffers_wipe),
        cmocka_unit_test(ctx_rejects_half_allocator_and_failed_alloc),
        cmocka_unit_test(limits_defaults_and_bounds),
        cmocka_unit_test(clock_callback),
        cmocka_unit_test(calendar_round_trips),
        cmocka_unit_test(memzero_wipes),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
