/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the strict DER reader: every malformed form the reader
 * must refuse has its own test, with the status and the absolute offset.
 * Inputs are written by hand from X.690.
 */
#include "der_test_util.h"

/* tsvc__der_validate on @p in must fail with the same error as the reader. */
static void validate_fails(const uint8_t *in, size_t len, tsvc_status want, int64_t off,
                           const char *check)
{
    tsvc_error *err = NULL;
    expect_error(tsvc__der_validate(in, len, 0, &err), &err, want, off, check);
}

/* Runs tsvc__der_get_any on @p in and checks the error; the cursor must not move. */
static void any_fails(const uint8_t *in, size_t len, tsvc_status want, int64_t off,
                      const char *check)
{
    tsvc__cbs cbs, before;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, len);
    before = cbs;
    expect_error(tsvc__der_get_any(&cbs, NULL, NULL, NULL, &err), &err, want, off, check);
    assert_ptr_equal(cbs.data, before.data);
    assert_int_equal(cbs.len, before.len);
    /* tsvc__der_validate sees the same error. */
    validate_fails(in, len, want, off, check);
}

/* ---- lengths ---- */

static void rejects_length_past_end(void **state)
{
    (void)state;
    const uint8_t in[] = {0x04, 0x05, 0xaa, 0xbb};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TRUNCATED, 1, "der.truncated");
}

static void rejects_long_length_past_end(void **state)
{
    (void)state;
    const uint8_t in[] = {0x04, 0x82, 0x01, 0x00, 0xaa};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TRUNCATED, 1, "der.truncated");
}

static void rejects_truncated_header(void **state)
{
    (void)state;
    const uint8_t tag_only[] = {0x30};
    any_fails(tag_only, sizeof(tag_only), TSVC_ERR_DER_TRUNCATED, 1, "der.truncated");
    const uint8_t short_length[] = {0x30, 0x82, 0x01};
    any_fails(short_length, sizeof(short_length), TSVC_ERR_DER_TRUNCATED, 1, "der.truncated");
}

static void rejects_non_minimal_length(void **state)
{
    (void)state;
    uint8_t in[4 + 128];
    memset(in, 0, sizeof(in));
    in[0] = 0x04;
    in[1] = 0x82; /* two octets, but 0x0080 fits in one */
    in[2] = 0x00;
    in[3] = 0x80;
    any_fails(in, sizeof(in), TSVC_ERR_DER_LENGTH, 1, "der.length");
}

static void rejects_long_form_below_128(void **state)
{
    (void)state;
    const uint8_t in[] = {0x04, 0x81, 0x05, 1, 2, 3, 4, 5};
    any_fails(in, sizeof(in), TSVC_ERR_DER_LENGTH, 1, "der.length");
}

static void rejects_indefinite_length(void **state)
{
    (void)state;
    const uint8_t in[] = {0x30, 0x80, 0x05, 0x00, 0x00, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_INDEFINITE, 1, "der.indefinite");
}

static void rejects_five_length_octets(void **state)
{
    (void)state;
    const uint8_t in[] = {0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_LENGTH, 1, "der.length");
}

static void rejects_reserved_length_octet(void **state)
{
    (void)state;
    const uint8_t in[] = {0x04, 0xff, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_LENGTH, 1, "der.length");
}

static void accepts_long_form_lengths(void **state)
{
    (void)state;
    uint8_t in[3 + 200];
    memset(in, 0x5a, sizeof(in));
    in[0] = 0x04;
    in[1] = 0x81;
    in[2] = 200;
    tsvc__cbs cbs, c, el;
    uint32_t tag;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_any(&cbs, &tag, &c, &el, NULL), TSVC_OK);
    assert_int_equal(tag, TSVC__TAG_OCTET_STRING);
    assert_int_equal(c.len, 200);
    assert_int_equal(tsvc__cbs_offset(&c), 3);
    assert_int_equal(el.len, sizeof(in));
    assert_int_equal(cbs.len, 0);
}

/* ---- tags ---- */

static void accepts_high_tag_numbers(void **state)
{
    (void)state;
    /* [31] primitive, [128] constructed, [2^28] primitive. */
    const uint8_t in[] = {0x9f, 0x1f, 0x00, 0xbf, 0x81, 0x00, 0x00,
                          0x9f, 0x81, 0x80, 0x80, 0x80, 0x00, 0x00};
    tsvc__cbs cbs;
    uint32_t tag;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_any(&cbs, &tag, NULL, NULL, NULL), TSVC_OK);
    assert_int_equal(tag, TSVC__TAG_CONTEXT(31));
    assert_true(tsvc__der_peek_tag(&cbs, TSVC__TAG_CONTEXT_C(128)));
    assert_int_equal(tsvc__der_get_any(&cbs, &tag, NULL, NULL, NULL), TSVC_OK);
    assert_int_equal(tag, TSVC__TAG_CONTEXT_C(128));
    assert_int_equal(tsvc__der_get_any(&cbs, &tag, NULL, NULL, NULL), TSVC_OK);
    assert_int_equal(tag, TSVC__TAG_CONTEXT(1u << 28));
    assert_int_equal(cbs.len, 0);
}

static void rejects_high_tag_non_minimal(void **state)
{
    (void)state;
    const uint8_t in[] = {0x9f, 0x80, 0x1f, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TAG, 0, "der.tag");
}

static void rejects_high_tag_form_below_31(void **state)
{
    (void)state;
    const uint8_t in[] = {0x9f, 0x1e, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TAG, 0, "der.tag");
}

static void rejects_tag_number_too_large(void **state)
{
    (void)state;
    /* 2^35 - 1: more than the 29 bits a tag number may have here. */
    const uint8_t in[] = {0x9f, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TAG, 0, "der.tag");
}

static void rejects_truncated_high_tag(void **state)
{
    (void)state;
    const uint8_t in[] = {0x9f, 0x81};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TRUNCATED, 0, "der.truncated");
}

static void rejects_end_of_contents_tag(void **state)
{
    (void)state;
    const uint8_t in[] = {0x00, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TAG, 0, "der.tag");
}

static void rejects_constructed_octet_string(void **state)
{
    (void)state;
    const uint8_t in[] = {0x24, 0x03, 0x04, 0x01, 0xaa};
    any_fails(in, sizeof(in), TSVC_ERR_DER_CONSTRUCTED, 0, "der.constructed");
}

static void rejects_primitive_sequence(void **state)
{
    (void)state;
    const uint8_t in[] = {0x10, 0x00};
    any_fails(in, sizeof(in), TSVC_ERR_DER_TAG, 0, "der.tag");
}

static void rejects_wrong_tag(void **state)
{
    (void)state;
    const uint8_t in[] = {0x02, 0x01, 0x05};
    tsvc__cbs cbs, c;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get(&cbs, TSVC__TAG_SEQUENCE, &c, &err), &err, TSVC_ERR_DER_TAG, 0,
                 "der.tag");
    assert_int_equal(cbs.len, sizeof(in));
}

/* ---- nesting ---- */

/* n nested empty-ended SEQUENCEs: 30 2(n-1) 30 2(n-2) ... 30 00. */
static size_t nested(uint8_t *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = 0x30;
        out[2 * i + 1] = (uint8_t)(2 * (n - 1 - i));
    }
    return 2 * (size_t)n;
}

static void rejects_nesting_beyond_limit(void **state)
{
    (void)state;
    uint8_t in[66];
    tsvc_error *err = NULL;
    const size_t len = nested(in, 33);
    /* The 33rd SEQUENCE starts at offset 64. */
    expect_error(tsvc__der_validate(in, len, 32, &err), &err, TSVC_ERR_LIMIT_DER_DEPTH, 64,
                 "der.depth");
    err = NULL;
    expect_error(tsvc__der_validate(in, len, 0, &err), &err, TSVC_ERR_LIMIT_DER_DEPTH, 64,
                 "der.depth");
    assert_int_equal(tsvc__der_validate(in, len, 33, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_validate(in + 2, len - 2, 32, NULL), TSVC_OK);
    err = NULL;
    expect_error(tsvc__der_validate(in + 2, len - 2, 3, &err), &err, TSVC_ERR_LIMIT_DER_DEPTH, 6,
                 "der.depth");
}

/* ---- values ---- */

static void rejects_boolean_not_00_ff(void **state)
{
    (void)state;
    const uint8_t in[] = {0x01, 0x01, 0x01};
    tsvc__cbs cbs;
    bool v = false;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_bool(&cbs, &v, &err), &err, TSVC_ERR_DER_BOOLEAN, 2,
                 "der.boolean");
    assert_int_equal(cbs.len, sizeof(in));
    validate_fails(in, sizeof(in), TSVC_ERR_DER_BOOLEAN, 2, "der.boolean");
}

static void rejects_boolean_wrong_length(void **state)
{
    (void)state;
    const uint8_t in[] = {0x01, 0x02, 0xff, 0xff};
    tsvc__cbs cbs;
    bool v;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_bool(&cbs, &v, &err), &err, TSVC_ERR_DER_BOOLEAN, 2,
                 "der.boolean");
}

static void reads_booleans(void **state)
{
    (void)state;
    const uint8_t in[] = {0x01, 0x01, 0xff, 0x01, 0x01, 0x00};
    tsvc__cbs cbs;
    bool v = false;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_bool(&cbs, &v, NULL), TSVC_OK);
    assert_true(v);
    assert_int_equal(tsvc__der_get_bool(&cbs, &v, NULL), TSVC_OK);
    assert_false(v);
    assert_int_equal(tsvc__der_expect_end(&cbs, NULL), TSVC_OK);
}

static void rejects_null_with_contents(void **state)
{
    (void)state;
    const uint8_t in[] = {0x05, 0x01, 0x00};
    tsvc__cbs cbs;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_null(&cbs, &err), &err, TSVC_ERR_DER_LENGTH, 2, "der.null");
    assert_int_equal(cbs.len, sizeof(in));
    const uint8_t ok[] = {0x05, 0x00};
    tsvc__cbs_init(&cbs, ok, sizeof(ok));
    assert_int_equal(tsvc__der_get_null(&cbs, NULL), TSVC_OK);
    assert_int_equal(cbs.len, 0);
}

static void rejects_empty_integer(void **state)
{
    (void)state;
    const uint8_t in[] = {0x02, 0x00};
    tsvc__cbs cbs;
    uint64_t v;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_u64(&cbs, &v, &err), &err, TSVC_ERR_DER_INTEGER, 2,
                 "der.integer");
    assert_int_equal(cbs.len, sizeof(in));
    validate_fails(in, sizeof(in), TSVC_ERR_DER_INTEGER, 2, "der.integer");
}

static void rejects_non_minimal_integer(void **state)
{
    (void)state;
    const uint8_t positive[] = {0x02, 0x02, 0x00, 0x7f};
    const uint8_t negative[] = {0x02, 0x02, 0xff, 0x80};
    tsvc__cbs cbs, c;
    bool neg;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, positive, sizeof(positive));
    expect_error(tsvc__der_get_integer(&cbs, 0, &c, &neg, &err), &err, TSVC_ERR_DER_INTEGER, 2,
                 "der.integer");
    assert_int_equal(cbs.len, sizeof(positive));
    err = NULL;
    tsvc__cbs_init(&cbs, negative, sizeof(negative));
    int64_t v;
    expect_error(tsvc__der_get_i64(&cbs, &v, &err), &err, TSVC_ERR_DER_INTEGER, 2, "der.integer");
    validate_fails(negative, sizeof(negative), TSVC_ERR_DER_INTEGER, 2, "der.integer");
}

static void rejects_non_minimal_enumerated(void **state)
{
    (void)state;
    const uint8_t in[] = {0x0a, 0x02, 0x00, 0x01};
    tsvc_error *err = NULL;
    expect_error(tsvc__der_validate(in, sizeof(in), 0, &err), &err, TSVC_ERR_DER_INTEGER, 2,
                 "der.integer");
    tsvc__cbs cbs, c;
    err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_integer(&cbs, TSVC__TAG_ENUMERATED, &c, NULL, &err), &err,
                 TSVC_ERR_DER_INTEGER, 2, NULL);
}

static void reads_integer_values(void **state)
{
    (void)state;
    const uint8_t in[] = {
        0x02, 0x01, 0x00,                                           /* 0 */
        0x02, 0x01, 0x7f,                                           /* 127 */
        0x02, 0x02, 0x00, 0x80,                                     /* 128 */
        0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* 2^64-1 */
    };
    const uint64_t want[] = {0, 127, 128, UINT64_MAX};
    tsvc__cbs cbs;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    for (size_t i = 0; i < 4; i++) {
        uint64_t v = 1;
        assert_int_equal(tsvc__der_get_u64(&cbs, &v, NULL), TSVC_OK);
        assert_true(v == want[i]);
    }
    assert_int_equal(cbs.len, 0);

    const uint8_t sin[] = {
        0x02, 0x01, 0xff,                                     /* -1 */
        0x02, 0x01, 0x80,                                     /* -128 */
        0x02, 0x02, 0xff, 0x7f,                               /* -129 */
        0x02, 0x08, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* INT64_MIN */
        0x02, 0x08, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* INT64_MAX */
    };
    const int64_t swant[] = {-1, -128, -129, INT64_MIN, INT64_MAX};
    tsvc__cbs_init(&cbs, sin, sizeof(sin));
    for (size_t i = 0; i < 5; i++) {
        int64_t v = 0;
        assert_int_equal(tsvc__der_get_i64(&cbs, &v, NULL), TSVC_OK);
        assert_true(v == swant[i]);
    }
    assert_int_equal(cbs.len, 0);
}

static void rejects_integer_out_of_range(void **state)
{
    (void)state;
    const uint8_t neg[] = {0x02, 0x01, 0xff};
    const uint8_t big[] = {0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
    tsvc__cbs cbs;
    uint64_t u;
    int64_t s;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, neg, sizeof(neg));
    expect_error(tsvc__der_get_u64(&cbs, &u, &err), &err, TSVC_ERR_DER_INTEGER, 2,
                 "der.integer.range");
    assert_int_equal(cbs.len, sizeof(neg));
    err = NULL;
    tsvc__cbs_init(&cbs, big, sizeof(big));
    expect_error(tsvc__der_get_u64(&cbs, &u, &err), &err, TSVC_ERR_DER_INTEGER, 2,
                 "der.integer.range");
    err = NULL;
    tsvc__cbs_init(&cbs, big, sizeof(big));
    expect_error(tsvc__der_get_i64(&cbs, &s, &err), &err, TSVC_ERR_DER_INTEGER, 2,
                 "der.integer.range");
}

static void reads_unsigned_magnitude(void **state)
{
    (void)state;
    const uint8_t in[] = {0x02, 0x03, 0x00, 0x80, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x80};
    tsvc__cbs cbs, m;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_unsigned(&cbs, &m, NULL), TSVC_OK);
    const uint8_t want[] = {0x80, 0x01};
    assert_true(tsvc__cbs_equal(&m, want, sizeof(want)));
    assert_int_equal(tsvc__der_get_unsigned(&cbs, &m, NULL), TSVC_OK);
    assert_int_equal(m.len, 1); /* zero keeps its single octet */
    assert_int_equal(m.data[0], 0);
    expect_error(tsvc__der_get_unsigned(&cbs, &m, &err), &err, TSVC_ERR_DER_INTEGER, 10,
                 "der.integer.range");
    assert_int_equal(cbs.len, 3);
}

static void rejects_bit_string_padding_bits(void **state)
{
    (void)state;
    const uint8_t in[] = {0x03, 0x02, 0x03, 0x01};
    tsvc__cbs cbs, bits;
    unsigned unused;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_bit_string(&cbs, 0, &bits, &unused, &err), &err,
                 TSVC_ERR_DER_BIT_STRING, 3, "der.bit_string");
    assert_int_equal(cbs.len, sizeof(in));
    validate_fails(in, sizeof(in), TSVC_ERR_DER_BIT_STRING, 3, "der.bit_string");
}

static void rejects_bit_string_unused_over_7(void **state)
{
    (void)state;
    const uint8_t in[] = {0x03, 0x02, 0x08, 0x00};
    tsvc__cbs cbs, bits;
    unsigned unused;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_bit_string(&cbs, 0, &bits, &unused, &err), &err,
                 TSVC_ERR_DER_BIT_STRING, 2, "der.bit_string");
}

static void rejects_empty_bit_string_with_unused_bits(void **state)
{
    (void)state;
    const uint8_t in[] = {0x03, 0x01, 0x01};
    tsvc__cbs cbs, bits;
    unsigned unused;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_bit_string(&cbs, 0, &bits, &unused, &err), &err,
                 TSVC_ERR_DER_BIT_STRING, 2, "der.bit_string");
}

static void rejects_bit_string_without_unused_octet(void **state)
{
    (void)state;
    const uint8_t in[] = {0x03, 0x00};
    tsvc__cbs cbs, bits;
    unsigned unused;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_bit_string(&cbs, 0, &bits, &unused, &err), &err,
                 TSVC_ERR_DER_BIT_STRING, 2, "der.bit_string");
}

static void reads_bit_string(void **state)
{
    (void)state;
    const uint8_t in[] = {0x03, 0x03, 0x04, 0xab, 0xc0, 0x81, 0x01, 0x00};
    tsvc__cbs cbs, bits;
    unsigned unused = 9;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_bit_string(&cbs, 0, &bits, &unused, NULL), TSVC_OK);
    assert_int_equal(unused, 4);
    assert_int_equal(bits.len, 2);
    assert_int_equal(bits.data[0], 0xab);
    assert_int_equal(tsvc__der_get_bit_string(&cbs, TSVC__TAG_CONTEXT(1), &bits, &unused, NULL),
                     TSVC_OK);
    assert_int_equal(unused, 0);
    assert_int_equal(bits.len, 0);
}

static void reads_named_bits(void **state)
{
    (void)state;
    /* keyUsage digitalSignature (0) and keyCertSign (5): 03 02 02 84. */
    const uint8_t ku[] = {0x03, 0x02, 0x02, 0x84};
    tsvc__cbs cbs;
    uint64_t v = 0;
    tsvc__cbs_init(&cbs, ku, sizeof(ku));
    assert_int_equal(tsvc__der_get_named_bits(&cbs, 0, &v, true, NULL), TSVC_OK);
    assert_true(v == 0x21);
    /* decipherOnly (8): 03 03 07 00 80. */
    const uint8_t d8[] = {0x03, 0x03, 0x07, 0x00, 0x80};
    tsvc__cbs_init(&cbs, d8, sizeof(d8));
    assert_int_equal(tsvc__der_get_named_bits(&cbs, 0, &v, true, NULL), TSVC_OK);
    assert_true(v == 0x100);
    /* Empty set of bits: 03 01 00. */
    const uint8_t none[] = {0x03, 0x01, 0x00};
    tsvc__cbs_init(&cbs, none, sizeof(none));
    assert_int_equal(tsvc__der_get_named_bits(&cbs, 0, &v, true, NULL), TSVC_OK);
    assert_true(v == 0);
}

static void rejects_named_bits_trailing_zeros(void **state)
{
    (void)state;
    /* Same bits as 03 02 02 84, but with two trailing zero bits kept. */
    const uint8_t in[] = {0x03, 0x02, 0x00, 0x84};
    tsvc__cbs cbs;
    uint64_t v = 0;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_named_bits(&cbs, 0, &v, true, &err), &err, TSVC_ERR_DER_BIT_STRING,
                 3, "der.bit_string.named");
    assert_int_equal(cbs.len, sizeof(in));
    assert_int_equal(tsvc__der_get_named_bits(&cbs, 0, &v, false, NULL), TSVC_OK);
    assert_true(v == 0x21);
}

static void rejects_named_bits_beyond_63(void **state)
{
    (void)state;
    const uint8_t in[] = {0x03, 0x0a, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0x80};
    tsvc__cbs cbs;
    uint64_t v;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_named_bits(&cbs, 0, &v, true, &err), &err, TSVC_ERR_DER_BIT_STRING,
                 11, "der.bit_string.named");
}

static void rejects_oid_over_128_octets(void **state)
{
    (void)state;
    uint8_t in[3 + 129];
    memset(in, 0x01, sizeof(in));
    in[0] = 0x06;
    in[1] = 0x81;
    in[2] = 129;
    tsvc__cbs cbs, oid;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_oid(&cbs, &oid, &err), &err, TSVC_ERR_DER_OID, 3, "der.oid");
    assert_int_equal(cbs.len, sizeof(in));
    /* 128 octets are fine. */
    in[2] = 128;
    tsvc__cbs_init(&cbs, in, sizeof(in) - 1);
    assert_int_equal(tsvc__der_get_oid(&cbs, &oid, NULL), TSVC_OK);
    assert_int_equal(oid.len, 128);
}

static void rejects_oid_non_minimal_arc(void **state)
{
    (void)state;
    const uint8_t in[] = {0x06, 0x03, 0x2a, 0x80, 0x01};
    tsvc__cbs cbs, oid;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_oid(&cbs, &oid, &err), &err, TSVC_ERR_DER_OID, 2, "der.oid");
    validate_fails(in, sizeof(in), TSVC_ERR_DER_OID, 2, "der.oid");
    const uint8_t first[] = {0x06, 0x02, 0x80, 0x01};
    err = NULL;
    tsvc__cbs_init(&cbs, first, sizeof(first));
    expect_error(tsvc__der_get_oid(&cbs, &oid, &err), &err, TSVC_ERR_DER_OID, 2, "der.oid");
}

static void rejects_oid_truncated_last_arc(void **state)
{
    (void)state;
    const uint8_t in[] = {0x06, 0x02, 0x2a, 0x86};
    tsvc__cbs cbs, oid;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_oid(&cbs, &oid, &err), &err, TSVC_ERR_DER_OID, 2, "der.oid");
}

static void rejects_empty_oid(void **state)
{
    (void)state;
    const uint8_t in[] = {0x06, 0x00};
    tsvc__cbs cbs, oid;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_oid(&cbs, &oid, &err), &err, TSVC_ERR_DER_OID, 2, "der.oid");
}

/* ---- SET OF ---- */

static void rejects_unsorted_set_of(void **state)
{
    (void)state;
    /* SET OF INTEGER { 2, 1 }: 02 01 02 sorts after 02 01 01. */
    const uint8_t in[] = {0x31, 0x06, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01};
    tsvc__cbs cbs, contents;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SET, &contents, NULL), TSVC_OK);
    expect_error(tsvc__der_check_set_of_order(&contents, &err), &err, TSVC_ERR_DER_SET_ORDER, 5,
                 "der.set_order");
    validate_fails(in, sizeof(in), TSVC_ERR_DER_SET_ORDER, 5, "der.set_order");
}

static void rejects_unsorted_set_of_by_length(void **state)
{
    (void)state;
    /* 04 02 .. sorts after 04 01 .. whatever the contents. */
    const uint8_t in[] = {0x31, 0x07, 0x04, 0x02, 0x00, 0x00, 0x04, 0x01, 0xff};
    tsvc__cbs cbs, contents;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SET, &contents, NULL), TSVC_OK);
    expect_error(tsvc__der_check_set_of_order(&contents, &err), &err, TSVC_ERR_DER_SET_ORDER, 6,
                 "der.set_order");
}

static void accepts_sorted_set_of(void **state)
{
    (void)state;
    /* Sorted, with a duplicate: 01 01 ff, 02 01 01, 02 01 01, 04 00. */
    const uint8_t in[] = {0x31, 0x0b, 0x01, 0x01, 0xff, 0x02, 0x01, 0x01,
                          0x02, 0x01, 0x01, 0x04, 0x00};
    tsvc__cbs cbs, contents;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SET, &contents, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_check_set_of_order(&contents, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_validate(in, sizeof(in), 0, NULL), TSVC_OK);
}

/* ---- cursor behaviour ---- */

static void optional_and_peek(void **state)
{
    (void)state;
    const uint8_t in[] = {0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x05};
    tsvc__cbs cbs, c;
    bool present = true;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_true(tsvc__der_peek_tag(&cbs, TSVC__TAG_CONTEXT_C(0)));
    assert_false(tsvc__der_peek_tag(&cbs, TSVC__TAG_CONTEXT(0)));
    assert_int_equal(tsvc__der_get_optional(&cbs, TSVC__TAG_CONTEXT_C(1), &c, &present, NULL),
                     TSVC_OK);
    assert_false(present);
    assert_int_equal(cbs.len, sizeof(in));
    assert_int_equal(tsvc__der_get_optional(&cbs, TSVC__TAG_CONTEXT_C(0), &c, &present, NULL),
                     TSVC_OK);
    assert_true(present);
    assert_int_equal(tsvc__cbs_offset(&c), 2);
    uint64_t v;
    assert_int_equal(tsvc__der_get_u64(&c, &v, NULL), TSVC_OK);
    assert_true(v == 2);
    assert_int_equal(tsvc__der_get_u64(&cbs, &v, NULL), TSVC_OK);
    assert_true(v == 5);
    assert_false(tsvc__der_peek_tag(&cbs, TSVC__TAG_INTEGER));
}

static void error_offsets_are_absolute(void **state)
{
    (void)state;
    /* SEQUENCE { NULL, SEQUENCE { BOOLEAN 01 } }: the bad octet is at 8. */
    const uint8_t in[] = {0x30, 0x07, 0x05, 0x00, 0x30, 0x03, 0x01, 0x01, 0x01};
    tsvc__cbs cbs, seq, inner;
    bool b;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SEQUENCE, &seq, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_get_null(&seq, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_get(&seq, TSVC__TAG_SEQUENCE, &inner, NULL), TSVC_OK);
    expect_error(tsvc__der_get_bool(&inner, &b, &err), &err, TSVC_ERR_DER_BOOLEAN, 8,
                 "der.boolean");
}

static void expect_end_reports_trailing(void **state)
{
    (void)state;
    const uint8_t in[] = {0x05, 0x00, 0x05, 0x00};
    tsvc__cbs cbs;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_null(&cbs, NULL), TSVC_OK);
    expect_error(tsvc__der_expect_end(&cbs, &err), &err, TSVC_ERR_DER_TRAILING, 2,
                 "der.trailing");
    validate_fails(in, sizeof(in), TSVC_ERR_DER_TRAILING, 2, "der.trailing");
}

static void cursor_primitives(void **state)
{
    (void)state;
    const uint8_t in[] = {1, 2, 3, 4};
    tsvc__cbs cbs, part;
    uint8_t b;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__cbs_get_u8(&cbs, &b), TSVC_OK);
    assert_int_equal(b, 1);
    assert_int_equal(tsvc__cbs_get_bytes(&cbs, &part, 2), TSVC_OK);
    assert_int_equal(tsvc__cbs_offset(&part), 1);
    assert_true(tsvc__cbs_equal(&part, in + 1, 2));
    assert_int_equal(tsvc__cbs_get_bytes(&cbs, &part, 2), TSVC_ERR_DER_TRUNCATED);
    assert_int_equal(tsvc__cbs_skip(&cbs, 2), TSVC_ERR_DER_TRUNCATED);
    assert_int_equal(tsvc__cbs_skip(&cbs, 1), TSVC_OK);
    assert_int_equal(tsvc__cbs_get_u8(&cbs, &b), TSVC_ERR_DER_TRUNCATED);
    assert_int_equal(tsvc__cbs_offset(&cbs), 4);
}

static void validate_checks_times(void **state)
{
    (void)state;
    /* UTCTime 991301000000Z (month 13) inside a SEQUENCE. */
    const uint8_t in[] = {0x30, 0x0f, 0x17, 0x0d, '9', '9', '1', '3', '0', '1',
                          '0', '0', '0', '0', '0', '0', 'Z'};
    tsvc_error *err = NULL;
    expect_error(tsvc__der_validate(in, sizeof(in), 0, &err), &err, TSVC_ERR_DER_TIME, 4,
                 "der.time");
    /* A GeneralizedTime with a fraction is accepted (TSTInfo genTime). */
    const uint8_t frac[] = {0x18, 0x11, '2', '0', '2', '4', '0', '1', '0', '1', '0',
                            '0', '0', '0', '0', '0', '.', '5', 'Z'};
    assert_int_equal(tsvc__der_validate(frac, sizeof(frac), 0, NULL), TSVC_OK);
}

static void validate_rejects_empty_input(void **state)
{
    (void)state;
    tsvc_error *err = NULL;
    expect_error(tsvc__der_validate((const uint8_t *)"", 0, 0, &err), &err,
                 TSVC_ERR_DER_TRUNCATED, 0, "der.truncated");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rejects_length_past_end),
        cmocka_unit_test(rejects_long_length_past_end),
        cmocka_unit_test(rejects_truncated_header),
        cmocka_unit_test(rejects_non_minimal_length),
        cmocka_unit_test(rejects_long_form_below_128),
        cmocka_unit_test(rejects_indefinite_length),
        cmocka_unit_test(rejects_five_length_octets),
        cmocka_unit_test(rejects_reserved_length_octet),
        cmocka_unit_test(accepts_long_form_lengths),
        cmocka_unit_test(accepts_high_tag_numbers),
        cmocka_unit_test(rejects_high_tag_non_minimal),
        cmocka_unit_test(rejects_high_tag_form_below_31),
        cmocka_unit_test(rejects_tag_number_too_large),
        cmocka_unit_test(rejects_truncated_high_tag),
        cmocka_unit_test(rejects_end_of_contents_tag),
        cmocka_unit_test(rejects_constructed_octet_string),
        cmocka_unit_test(rejects_primitive_sequence),
        cmocka_unit_test(rejects_wrong_tag),
        cmocka_unit_test(rejects_nesting_beyond_limit),
        cmocka_unit_test(rejects_boolean_not_00_ff),
        cmocka_unit_test(rejects_boolean_wrong_length),
        cmocka_unit_test(reads_booleans),
        cmocka_unit_test(rejects_null_with_contents),
        cmocka_unit_test(rejects_empty_integer),
        cmocka_unit_test(rejects_non_minimal_integer),
        cmocka_unit_test(rejects_non_minimal_enumerated),
        cmocka_unit_test(reads_integer_values),
        cmocka_unit_test(rejects_integer_out_of_range),
        cmocka_unit_test(reads_unsigned_magnitude),
        cmocka_unit_test(rejects_bit_string_padding_bits),
        cmocka_unit_test(rejects_bit_string_unused_over_7),
        cmocka_unit_test(rejects_empty_bit_string_with_unused_bits),
        cmocka_unit_test(rejects_bit_string_without_unused_octet),
        cmocka_unit_test(reads_bit_string),
        cmocka_unit_test(reads_named_bits),
        cmocka_unit_test(rejects_named_bits_trailing_zeros),
        cmocka_unit_test(rejects_named_bits_beyond_63),
        cmocka_unit_test(rejects_oid_over_128_octets),
        cmocka_unit_test(rejects_oid_non_minimal_arc),
        cmocka_unit_test(rejects_oid_truncated_last_arc),
        cmocka_unit_test(rejects_empty_oid),
        cmocka_unit_test(rejects_unsorted_set_of),
        cmocka_unit_test(rejects_unsorted_set_of_by_length),
        cmocka_unit_test(accepts_sorted_set_of),
        cmocka_unit_test(optional_and_peek),
        cmocka_unit_test(error_offsets_are_absolute),
        cmocka_unit_test(expect_end_reports_trailing),
        cmocka_unit_test(cursor_primitives),
        cmocka_unit_test(validate_checks_times),
        cmocka_unit_test(validate_rejects_empty_input),
    };
    return cmocka_run_group_tests_name("der-reader", tests, NULL, NULL);
}
