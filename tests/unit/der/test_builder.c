/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the DER builder: exact encodings written by hand from
 * X.690, SET OF sorting, the sticky error, limits and the allocator.
 */
#include "der_test_util.h"

#include "core/core.h"

static void finish_equals(tsvc__cbb *cbb, const uint8_t *want, size_t want_len)
{
    tsvc_buf out = TSVC_BUF_INIT;
    assert_int_equal(tsvc__cbb_finish(cbb, &out), TSVC_OK);
    assert_buf_equal(&out, want, want_len);
    assert_int_equal(tsvc__der_validate(out.data, out.len, 0, NULL), TSVC_OK);
    tsvc_buf_dispose(&out);
}

static void integer_writer_is_minimal(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(&cbb, 0);
    tsvc__cbb_add_u64(&cbb, 127);
    tsvc__cbb_add_u64(&cbb, 128);
    tsvc__cbb_add_u64(&cbb, 256);
    tsvc__cbb_add_u64(&cbb, UINT64_MAX);
    const uint8_t lead_zeros[] = {0x00, 0x00, 0x80};
    tsvc__cbb_add_unsigned(&cbb, lead_zeros, sizeof(lead_zeros));
    tsvc__cbb_add_unsigned(&cbb, NULL, 0);
    const uint8_t minus_one[] = {0xff};
    tsvc__cbb_add_integer_raw(&cbb, 0, minus_one, 1);
    tsvc__cbb_close(&cbb);
    const uint8_t want[] = {
        0x30, 0x23,
        0x02, 0x01, 0x00,
        0x02, 0x01, 0x7f,
        0x02, 0x02, 0x00, 0x80,
        0x02, 0x02, 0x01, 0x00,
        0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x02, 0x02, 0x00, 0x80,
        0x02, 0x01, 0x00,
        0x02, 0x01, 0xff,
    };
    finish_equals(&cbb, want, sizeof(want));
}

static void builder_round_trip(void **state)
{
    (void)state;
    const uint8_t sha256_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
    const uint8_t octets[] = {0xde, 0xad, 0xbe, 0xef};
    const uint8_t bits[] = {0xa0};
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;

    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_bool(&cbb, true);
    tsvc__cbb_add_null(&cbb);
    tsvc__cbb_add_oid(&cbb, sha256_rsa, sizeof(sha256_rsa));
    tsvc__cbb_add_octet_string(&cbb, octets, sizeof(octets));
    tsvc__cbb_add_bit_string(&cbb, bits, sizeof(bits), 5);
    tsvc__cbb_add_named_bits(&cbb, 0, 0x21);
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    tsvc__cbb_add_u64(&cbb, 2);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_add_element(&cbb, TSVC__TAG_CONTEXT(200), octets, 2);
    tsvc__cbb_close(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);

    const uint8_t want[] = {
        0x30, 0x29,
        0x01, 0x01, 0xff,
        0x05, 0x00,
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
        0x04, 0x04, 0xde, 0xad, 0xbe, 0xef,
        0x03, 0x02, 0x05, 0xa0,
        0x03, 0x02, 0x02, 0x84,
        0xa0, 0x03, 0x02, 0x01, 0x02,
        0x9f, 0x81, 0x48, 0x02, 0xde, 0xad,
    };
    assert_buf_equal(&out, want, sizeof(want));

    tsvc__cbs cbs, seq, c;
    bool b = false, present = false;
    uint64_t v = 0;
    unsigned unused = 0;
    tsvc__cbs_init(&cbs, out.data, out.len);
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SEQUENCE, &seq, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_expect_end(&cbs, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_get_bool(&seq, &b, NULL), TSVC_OK);
    assert_true(b);
    assert_int_equal(tsvc__der_get_null(&seq, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_get_oid(&seq, &c, NULL), TSVC_OK);
    assert_true(tsvc__oid_equal(&c, sha256_rsa, sizeof(sha256_rsa)));
    assert_int_equal(tsvc__der_get_octet_string(&seq, &c, NULL), TSVC_OK);
    assert_true(tsvc__cbs_equal(&c, octets, sizeof(octets)));
    assert_int_equal(tsvc__der_get_bit_string(&seq, 0, &c, &unused, NULL), TSVC_OK);
    assert_int_equal(unused, 5);
    assert_true(tsvc__cbs_equal(&c, bits, sizeof(bits)));
    assert_int_equal(tsvc__der_get_named_bits(&seq, 0, &v, true, NULL), TSVC_OK);
    assert_true(v == 0x21);
    assert_int_equal(tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(0), &c, &present, NULL),
                     TSVC_OK);
    assert_true(present);
    assert_int_equal(tsvc__der_get_u64(&c, &v, NULL), TSVC_OK);
    assert_true(v == 2);
    assert_int_equal(tsvc__der_get(&seq, TSVC__TAG_CONTEXT(200), &c, NULL), TSVC_OK);
    assert_true(tsvc__cbs_equal(&c, octets, 2));
    assert_int_equal(tsvc__der_expect_end(&seq, NULL), TSVC_OK);
    tsvc_buf_dispose(&out);
}

static void long_length_moves_contents(void **state)
{
    (void)state;
    uint8_t data[300];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)i;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;

    /* 200 octets: one length octet after 0x81. */
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_open(&cbb, TSVC__TAG_OCTET_STRING);
    tsvc__cbb_add_bytes(&cbb, data, 200);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    assert_int_equal(out.len, 3 + 3 + 200);
    const uint8_t hdr200[] = {0x30, 0x81, 0xcb, 0x04, 0x81, 0xc8};
    assert_memory_equal(out.data, hdr200, sizeof(hdr200));
    assert_memory_equal(out.data + 6, data, 200);
    tsvc_buf_dispose(&out);

    /* 300 octets: two length octets. */
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_octet_string(&cbb, data, 300);
    tsvc__cbb_close(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    assert_int_equal(out.len, 4 + 4 + 300);
    const uint8_t hdr300[] = {0x30, 0x82, 0x01, 0x30, 0x04, 0x82, 0x01, 0x2c};
    assert_memory_equal(out.data, hdr300, sizeof(hdr300));
    assert_memory_equal(out.data + 8, data, 300);
    tsvc_buf_dispose(&out);
}

static void set_of_is_sorted(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    tsvc__cbb_add_u64(&cbb, 300);           /* 02 02 01 2c */
    tsvc__cbb_add_u64(&cbb, 5);             /* 02 01 05 */
    tsvc__cbb_add_bool(&cbb, true);         /* 01 01 ff */
    tsvc__cbb_add_octet_string(&cbb, NULL, 0); /* 04 00 */
    tsvc__cbb_add_u64(&cbb, 1);             /* 02 01 01 */
    tsvc__cbb_close_set_of(&cbb);
    /* X.690 11.6: ascending order of the encodings as octet strings. */
    const uint8_t want[] = {0x31, 0x0f, 0x01, 0x01, 0xff, 0x02, 0x01, 0x01, 0x02,
                            0x01, 0x05, 0x02, 0x02, 0x01, 0x2c, 0x04, 0x00};
    finish_equals(&cbb, want, sizeof(want));
}

static void set_of_sorting_nested_and_long(void **state)
{
    (void)state;
    /* An RDN-like SET OF two AttributeTypeAndValue, given in the wrong order,
     * inside a SEQUENCE; plus a long element that forces a long-form length. */
    uint8_t big[130];
    memset(big, 0x11, sizeof(big));
    const uint8_t cn[] = {0x55, 0x04, 0x03};
    const uint8_t c[] = {0x55, 0x04, 0x06};
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    tsvc__cbb_add_octet_string(&cbb, big, sizeof(big)); /* 04 81 82 ... */
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(&cbb, c, sizeof(c));
    tsvc__cbb_add_element(&cbb, TSVC__TAG_PRINTABLE_STRING, (const uint8_t *)"JP", 2);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(&cbb, cn, sizeof(cn));
    tsvc__cbb_add_element(&cbb, TSVC__TAG_UTF8_STRING, (const uint8_t *)"a", 1);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close_set_of(&cbb);
    tsvc__cbb_close(&cbb);

    tsvc_buf out = TSVC_BUF_INIT;
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    /* 04 81 82 (133 octets) < 30 08 06 03 55 04 03 0c 01 61 < 30 09 06 03 55 04 06 13 02 4a 50 */
    const uint8_t head[] = {0x30, 0x81, 0x9d, 0x31, 0x81, 0x9a, 0x04, 0x81, 0x82};
    const uint8_t tail[] = {0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x61,
                            0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x4a, 0x50};
    assert_int_equal(out.len, sizeof(head) + sizeof(big) + sizeof(tail));
    assert_memory_equal(out.data, head, sizeof(head));
    assert_memory_equal(out.data + sizeof(head), big, sizeof(big));
    assert_memory_equal(out.data + sizeof(head) + sizeof(big), tail, sizeof(tail));
    assert_int_equal(tsvc__der_validate(out.data, out.len, 0, NULL), TSVC_OK);
    tsvc_buf_dispose(&out);
}

static void sticky_error(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_null(&cbb);
    tsvc__cbb_close(&cbb); /* nothing open */
    assert_int_equal(cbb.error, TSVC_ERR_STATE);
    const size_t len = cbb.len;
    tsvc__cbb_add_u64(&cbb, 7);
    tsvc__cbb_fail(&cbb, TSVC_ERR_NOMEM); /* the first error stays */
    assert_int_equal(cbb.len, len);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_STATE);
    assert_null(out.data);
    assert_int_equal(out.len, 0);
    tsvc__cbb_cleanup(&cbb); /* safe after finish */
}

static void finish_with_open_element_fails(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_null(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_STATE);
    assert_null(out.data);
}

static void rejects_depth_beyond_limit(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, NULL);
    for (unsigned i = 0; i < TSVC__CBB_MAX_DEPTH; i++)
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    assert_int_equal(cbb.error, TSVC_OK);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    assert_int_equal(cbb.error, TSVC_ERR_LIMIT_DER_DEPTH);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_LIMIT_DER_DEPTH);
    assert_null(out.data);
}

static void rejects_invalid_values(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;

    const uint8_t non_minimal[] = {0x00, 0x01};
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_integer_raw(&cbb, 0, non_minimal, sizeof(non_minimal));
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_INTEGER);

    const uint8_t bad_oid[] = {0x2a, 0x80, 0x01};
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_oid(&cbb, bad_oid, sizeof(bad_oid));
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_OID);

    const uint8_t padded[] = {0x01};
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_bit_string(&cbb, padded, sizeof(padded), 1);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_BIT_STRING);

    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_bit_string(&cbb, NULL, 0, 3);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_BIT_STRING);
}

static void named_bits_writer(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_named_bits(&cbb, 0, 0);     /* 03 01 00 */
    tsvc__cbb_add_named_bits(&cbb, 0, 0x100); /* 03 03 07 00 80 */
    tsvc__cbb_add_named_bits(&cbb, TSVC__TAG_CONTEXT(1), 0x80); /* 81 02 00 01 */
    tsvc__cbb_close(&cbb);
    const uint8_t want[] = {0x30, 0x0c, 0x03, 0x01, 0x00, 0x03, 0x03, 0x07,
                            0x00, 0x80, 0x81, 0x02, 0x00, 0x01};
    finish_equals(&cbb, want, sizeof(want));
}

/* ---- allocator: every byte goes through the context and comes back ---- */

typedef struct counting {
    size_t allocs;
    size_t frees;
    size_t fail_after; /* 0: never fail */
} counting;

static void *count_alloc(void *opaque, size_t size)
{
    counting *c = opaque;
    if (c->fail_after != 0 && c->allocs >= c->fail_after)
        return NULL;
    c->allocs++;
    return malloc(size);
}

static void count_free(void *opaque, void *ptr)
{
    counting *c = opaque;
    if (ptr != NULL)
        c->frees++;
    free(ptr);
}

static void uses_context_allocator(void **state)
{
    (void)state;
    counting cnt = {0, 0, 0};
    tsvc_allocator a = {count_alloc, count_free, &cnt};
    /* A bare context with only the allocator set (struct from core.h). */
    tsvc_ctx bare;
    memset(&bare, 0, sizeof(bare));
    bare.alloc = a;
    const tsvc_ctx *ctx = &bare;
    const size_t base_allocs = cnt.allocs, base_frees = cnt.frees;

    uint8_t data[1000];
    memset(data, 0x42, sizeof(data));
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (int i = 0; i < 5; i++)
        tsvc__cbb_add_octet_string(&cbb, data, sizeof(data) - (size_t)i);
    tsvc__cbb_close_set_of(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    assert_true(cnt.allocs > base_allocs);
    tsvc_buf_dispose(&out);
    assert_int_equal(cnt.allocs - base_allocs, cnt.frees - base_frees);

    /* Failing allocations give a sticky NOMEM and leak nothing. */
    for (size_t k = 1; k <= 6; k++) {
        const size_t a0 = cnt.allocs, f0 = cnt.frees;
        cnt.fail_after = a0 + k;
        tsvc__cbb_init(&cbb, ctx);
        tsvc__cbb_open(&cbb, TSVC__TAG_SET);
        for (int i = 0; i < 5; i++)
            tsvc__cbb_add_octet_string(&cbb, data, sizeof(data) - (size_t)i);
        tsvc__cbb_close_set_of(&cbb);
        const tsvc_status st = tsvc__cbb_finish(&cbb, &out);
        assert_true(st == TSVC_OK || st == TSVC_ERR_NOMEM);
        tsvc_buf_dispose(&out);
        cnt.fail_after = 0;
        assert_int_equal(cnt.allocs - a0, cnt.frees - f0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integer_writer_is_minimal),
        cmocka_unit_test(builder_round_trip),
        cmocka_unit_test(long_length_moves_contents),
        cmocka_unit_test(set_of_is_sorted),
        cmocka_unit_test(set_of_sorting_nested_and_long),
        cmocka_unit_test(sticky_error),
        cmocka_unit_test(finish_with_open_element_fails),
        cmocka_unit_test(rejects_depth_beyond_limit),
        cmocka_unit_test(rejects_invalid_values),
        cmocka_unit_test(named_bits_writer),
        cmocka_unit_test(uses_context_allocator),
    };
    return cmocka_run_group_tests_name("der-builder", tests, NULL, NULL);
}
