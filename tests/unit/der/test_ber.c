/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the BER to DER normaliser, on hand-written BER inputs
 * with their expected DER.
 */
#include "der_test_util.h"

static void converts_to(const uint8_t *in, size_t len, const uint8_t *want, size_t want_len)
{
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    const tsvc_status st = tsvc__ber_to_der(NULL, in, len, 0, &out, &err);
    if (st != TSVC_OK)
        fail_msg("ber_to_der: %s", tsvc_error_message(err));
    assert_buf_equal(&out, want, want_len);
    assert_int_equal(tsvc__der_validate(out.data, out.len, 0, NULL), TSVC_OK);
    tsvc_buf_dispose(&out);
}

static void fails_with(const uint8_t *in, size_t len, tsvc_status want, int64_t off,
                       const char *check)
{
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    expect_error(tsvc__ber_to_der(NULL, in, len, 0, &out, &err), &err, want, off, check);
    assert_null(out.data);
    assert_int_equal(out.len, 0);
}

static void ber_indefinite_sequence(void **state)
{
    (void)state;
    const uint8_t in[] = {0x30, 0x80, 0x02, 0x01, 0x05, 0x05, 0x00, 0x00, 0x00};
    const uint8_t want[] = {0x30, 0x05, 0x02, 0x01, 0x05, 0x05, 0x00};
    converts_to(in, sizeof(in), want, sizeof(want));
}

static void ber_nested_indefinite(void **state)
{
    (void)state;
    /* SEQUENCE { [0] { SEQUENCE { } } } all indefinite. */
    const uint8_t in[] = {0x30, 0x80, 0xa0, 0x80, 0x30, 0x80, 0x00, 0x00,
                          0x00, 0x00, 0x00, 0x00};
    const uint8_t want[] = {0x30, 0x04, 0xa0, 0x02, 0x30, 0x00};
    converts_to(in, sizeof(in), want, sizeof(want));
}

static void ber_constructed_octet_string(void **state)
{
    (void)state;
    const uint8_t in[] = {0x24, 0x80, 0x04, 0x02, 0xaa, 0xbb, 0x04, 0x01, 0xcc, 0x00, 0x00};
    const uint8_t want[] = {0x04, 0x03, 0xaa, 0xbb, 0xcc};
    converts_to(in, sizeof(in), want, sizeof(want));
}

static void ber_nested_constructed_octet_string(void **state)
{
    (void)state;
    /* Definite lengths, a constructed segment inside a constructed string. */
    const uint8_t in[] = {0x24, 0x09, 0x24, 0x04, 0x04, 0x02, 0xaa, 0xbb, 0x04, 0x01, 0xcc};
    const uint8_t want[] = {0x04, 0x03, 0xaa, 0xbb, 0xcc};
    converts_to(in, sizeof(in), want, sizeof(want));
}

static void ber_constructed_string_grows_long_form(void **state)
{
    (void)state;
    /* Two 100-octet segments become one 200-octet OCTET STRING (04 81 c8). */
    uint8_t in[2 + 2 * 102 + 2];
    uint8_t want[3 + 200];
    size_t n = 0;
    in[n++] = 0x24;
    in[n++] = 0x80;
    for (int s = 0; s < 2; s++) {
        in[n++] = 0x04;
        in[n++] = 100;
        for (int i = 0; i < 100; i++)
            in[n++] = (uint8_t)(s * 100 + i);
    }
    in[n++] = 0x00;
    in[n++] = 0x00;
    want[0] = 0x04;
    want[1] = 0x81;
    want[2] = 200;
    for (int i = 0; i < 200; i++)
        want[3 + i] = (uint8_t)i;
    converts_to(in, n, want, sizeof(want));
}

static void ber_constructed_bit_string(void **state)
{
    (void)state;
    /* Only the last segment has unused bits. */
    const uint8_t in[] = {0x23, 0x08, 0x03, 0x02, 0x00, 0xff, 0x03, 0x02, 0x04, 0xf0};
    const uint8_t want[] = {0x03, 0x03, 0x04, 0xff, 0xf0};
    converts_to(in, sizeof(in), want, sizeof(want));
}

static void ber_rejects_unused_bits_in_middle_segment(void **state)
{
    (void)state;
    const uint8_t in[] = {0x23, 0x08, 0x03, 0x02, 0x04, 0xf0, 0x03, 0x02, 0x00, 0xff};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 6, "ber");
}

static void ber_constructed_character_string(void **state)
{
    (void)state;
    /* IA5String "ab" + "c", inside an indefinite SEQUENCE. */
    const uint8_t in[] = {0x30, 0x80, 0x36, 0x80, 0x16, 0x02, 'a', 'b', 0x16, 0x01, 'c',
                          0x00, 0x00, 0x00, 0x00};
    const uint8_t want[] = {0x30, 0x05, 0x16, 0x03, 'a', 'b', 'c'};
    converts_to(in, sizeof(in), want, sizeof(want));
}

static void ber_non_minimal_lengths(void **state)
{
    (void)state;
    const uint8_t in[] = {0x30, 0x84, 0x00, 0x00, 0x00, 0x06, 0x04, 0x81, 0x01, 0xaa,
                          0x05, 0x00};
    const uint8_t want[] = {0x30, 0x05, 0x04, 0x01, 0xaa, 0x05, 0x00};
    converts_to(in, sizeof(in), want, sizeof(want));
}

static void ber_der_input_is_unchanged(void **state)
{
    (void)state;
    /* A DER value with a long-form length, high tag number, SET, times. */
    tsvc__cbb cbb;
    tsvc_buf der = TSVC_BUF_INIT;
    uint8_t blob[300];
    memset(blob, 0x33, sizeof(blob));
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_octet_string(&cbb, blob, sizeof(blob));
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    tsvc__cbb_add_u64(&cbb, 3);
    tsvc__cbb_add_u64(&cbb, 1);
    tsvc__cbb_close_set_of(&cbb);
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(77));
    tsvc__cbb_add_time(&cbb, 1709208000);
    tsvc__cbb_add_generalized_time(&cbb, 1709208000, 5);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &der), TSVC_OK);
    converts_to(der.data, der.len, der.data, der.len);
    tsvc_buf_dispose(&der);
}

static void ber_rejects_garbage(void **state)
{
    (void)state;
    const uint8_t in[] = {0xff, 0xff, 0xff};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 0, "ber");
}

static void ber_rejects_missing_end_of_contents(void **state)
{
    (void)state;
    const uint8_t in[] = {0x30, 0x80, 0x02, 0x01, 0x05};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 5, "ber");
}

static void ber_rejects_indefinite_primitive(void **state)
{
    (void)state;
    const uint8_t in[] = {0x30, 0x80, 0x04, 0x80, 0x00, 0x00, 0x00, 0x00};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 2, "ber");
}

static void ber_rejects_stray_end_of_contents(void **state)
{
    (void)state;
    const uint8_t top[] = {0x00, 0x00};
    fails_with(top, sizeof(top), TSVC_ERR_BER, 0, "ber");
    const uint8_t inside[] = {0x30, 0x02, 0x00, 0x00};
    fails_with(inside, sizeof(inside), TSVC_ERR_BER, 2, "ber");
}

static void ber_rejects_length_past_end(void **state)
{
    (void)state;
    const uint8_t in[] = {0x30, 0x80, 0x04, 0x05, 0xaa, 0x00, 0x00};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 2, "ber");
}

static void ber_rejects_trailing_data(void **state)
{
    (void)state;
    const uint8_t in[] = {0x05, 0x00, 0x05, 0x00};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 2, "ber");
}

static void ber_rejects_mixed_segment_type(void **state)
{
    (void)state;
    const uint8_t in[] = {0x24, 0x80, 0x03, 0x01, 0x00, 0x00, 0x00};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 2, "ber");
}

static void ber_rejects_constructed_integer(void **state)
{
    (void)state;
    const uint8_t in[] = {0x22, 0x03, 0x02, 0x01, 0x01};
    fails_with(in, sizeof(in), TSVC_ERR_BER, 0, "ber");
}

static void ber_refuses_values_it_does_not_reencode(void **state)
{
    (void)state;
    /* BOOLEAN 01 is TRUE in BER, but is not re-encoded. */
    const uint8_t b[] = {0x30, 0x80, 0x01, 0x01, 0x01, 0x00, 0x00};
    fails_with(b, sizeof(b), TSVC_ERR_DER_BOOLEAN, 4, "der.boolean");
    /* An unsorted SET is not re-sorted. */
    const uint8_t set[] = {0x31, 0x80, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01, 0x00, 0x00};
    fails_with(set, sizeof(set), TSVC_ERR_DER_SET_ORDER, 0, "ber.set_order");
    /* Padding bits of a flattened BIT STRING. */
    const uint8_t bits[] = {0x23, 0x80, 0x03, 0x02, 0x04, 0xf1, 0x00, 0x00};
    fails_with(bits, sizeof(bits), TSVC_ERR_DER_BIT_STRING, 0, "ber.value");
}

static void ber_rejects_nesting_beyond_limit(void **state)
{
    (void)state;
    /* 33 nested indefinite SEQUENCEs. */
    uint8_t in[33 * 4];
    size_t n = 0;
    for (int i = 0; i < 33; i++) {
        in[n++] = 0x30;
        in[n++] = 0x80;
    }
    for (int i = 0; i < 33; i++) {
        in[n++] = 0x00;
        in[n++] = 0x00;
    }
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    expect_error(tsvc__ber_to_der(NULL, in, n, 32, &out, &err), &err, TSVC_ERR_LIMIT_DER_DEPTH,
                 64, "ber.depth");
    assert_int_equal(tsvc__ber_to_der(NULL, in, n, 33, &out, NULL), TSVC_OK);
    assert_int_equal(out.len, 66);
    assert_int_equal(tsvc__der_validate(out.data, out.len, 33, NULL), TSVC_OK);
    tsvc_buf_dispose(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ber_indefinite_sequence),
        cmocka_unit_test(ber_nested_indefinite),
        cmocka_unit_test(ber_constructed_octet_string),
        cmocka_unit_test(ber_nested_constructed_octet_string),
        cmocka_unit_test(ber_constructed_string_grows_long_form),
        cmocka_unit_test(ber_constructed_bit_string),
        cmocka_unit_test(ber_rejects_unused_bits_in_middle_segment),
        cmocka_unit_test(ber_constructed_character_string),
        cmocka_unit_test(ber_non_minimal_lengths),
        cmocka_unit_test(ber_der_input_is_unchanged),
        cmocka_unit_test(ber_rejects_garbage),
        cmocka_unit_test(ber_rejects_missing_end_of_contents),
        cmocka_unit_test(ber_rejects_indefinite_primitive),
        cmocka_unit_test(ber_rejects_stray_end_of_contents),
        cmocka_unit_test(ber_rejects_length_past_end),
        cmocka_unit_test(ber_rejects_trailing_data),
        cmocka_unit_test(ber_rejects_mixed_segment_type),
        cmocka_unit_test(ber_rejects_constructed_integer),
        cmocka_unit_test(ber_refuses_values_it_does_not_reencode),
        cmocka_unit_test(ber_rejects_nesting_beyond_limit),
    };
    return cmocka_run_group_tests_name("der-ber", tests, NULL, NULL);
}
