/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of OBJECT IDENTIFIER checks and dotted-text conversion.
 * Expected encodings are from X.690 8.19 and the PKIX registrations.
 */
#include "der_test_util.h"

typedef struct oid_vector {
    const char *text;
    uint8_t der[24];
    size_t len;
} oid_vector;

static const oid_vector vectors[] = {
    /* sha256WithRSAEncryption */
    {"1.2.840.113549.1.1.11", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}, 9},
    /* id-ce-basicConstraints */
    {"2.5.29.19", {0x55, 0x1d, 0x13}, 3},
    /* X.690 8.19.5 example: {2 999 3} */
    {"2.999.3", {0x88, 0x37, 0x03}, 3},
    /* 99999999999 = 0x174876E7FF, more than 32 bits: 2a 82 f4 c3 db cf 7f */
    {"1.2.99999999999", {0x2a, 0x82, 0xf4, 0xc3, 0xdb, 0xcf, 0x7f}, 7},
    /* first-arc edge cases */
    {"0.0", {0x00}, 1},
    {"0.39", {0x27}, 1},
    {"1.0", {0x28}, 1},
    {"2.0", {0x50}, 1},
    /* id-kp-timeStamping */
    {"1.3.6.1.5.5.7.3.8", {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08}, 8},
    /* ETSI legal-person semantics 0.4.0.194121.1.2 (arc 194121 = 0b 6c 49 -> 8b ec 49) */
    {"0.4.0.194121.1.2", {0x04, 0x00, 0x8b, 0xec, 0x49, 0x01, 0x02}, 7},
};

static void oid_text_known_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        uint8_t der[TSVC__OID_MAX_LEN];
        size_t len = 0;
        char text[TSVC__OID_TEXT_MAX];
        assert_int_equal(tsvc__oid_from_text(vectors[i].text, der, sizeof(der), &len), TSVC_OK);
        assert_int_equal(len, vectors[i].len);
        assert_memory_equal(der, vectors[i].der, len);
        assert_true(tsvc__oid_valid(vectors[i].der, vectors[i].len));
        assert_int_equal(tsvc__oid_to_text(vectors[i].der, vectors[i].len, text, sizeof(text)),
                         TSVC_OK);
        assert_string_equal(text, vectors[i].text);
    }
}

static void oid_uuid_arc_beyond_64_bits(void **state)
{
    (void)state;
    /* 2.25.<128-bit UUID> (ITU-T X.667) round-trips through text. */
    const char *text = "2.25.329800735698586629295641978511506172918";
    uint8_t der[TSVC__OID_MAX_LEN];
    size_t len = 0;
    char back[TSVC__OID_TEXT_MAX];
    assert_int_equal(tsvc__oid_from_text(text, der, sizeof(der), &len), TSVC_OK);
    assert_int_equal(der[0], 0x69); /* 2*40 + 25 */
    assert_int_equal(len, 20);      /* 1 + ceil(128 / 7) */
    assert_true(tsvc__oid_valid(der, len));
    assert_int_equal(tsvc__oid_to_text(der, len, back, sizeof(back)), TSVC_OK);
    assert_string_equal(back, text);
}

static void oid_from_text_rejects_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "1", "3.1", "1.40", "0.40", "1..2", "1.2.", ".1.2", "01.2", "1.02",
        "a.b", "1.2.x", "1 .2", "-1.2", "1.2.3 ",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t der[TSVC__OID_MAX_LEN];
        size_t len = 99;
        assert_int_equal(tsvc__oid_from_text(bad[i], der, sizeof(der), &len), TSVC_ERR_DER_OID);
        assert_int_equal(len, 0);
    }
}

static void oid_from_text_rejects_over_128_octets(void **state)
{
    (void)state;
    /* 1.2 followed by 128 arcs of 1: 129 octets. */
    char text[8 + 2 * 128];
    size_t n = 0;
    text[n++] = '1';
    text[n++] = '.';
    text[n++] = '2';
    for (int i = 0; i < 128; i++) {
        text[n++] = '.';
        text[n++] = '1';
    }
    text[n] = '\0';
    uint8_t der[256];
    size_t len = 0;
    assert_int_equal(tsvc__oid_from_text(text, der, sizeof(der), &len), TSVC_ERR_DER_OID);
    text[n - 2] = '\0'; /* 128 octets: fine */
    assert_int_equal(tsvc__oid_from_text(text, der, sizeof(der), &len), TSVC_OK);
    assert_int_equal(len, 128);
}

static void oid_from_text_small_buffer(void **state)
{
    (void)state;
    uint8_t der[4];
    size_t len = 0;
    assert_int_equal(tsvc__oid_from_text("1.2.840.113549", der, sizeof(der), &len),
                     TSVC_ERR_BUFFER_TOO_SMALL);
}

static void oid_to_text_small_buffer(void **state)
{
    (void)state;
    const uint8_t der[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d};
    char text[8];
    assert_int_equal(tsvc__oid_to_text(der, sizeof(der), text, sizeof(text)), TSVC_ERR_DER_OID);
    assert_string_equal(text, "");
    char exact[15]; /* "1.2.840.113549" + NUL */
    assert_int_equal(tsvc__oid_to_text(der, sizeof(der), exact, sizeof(exact)), TSVC_OK);
    assert_string_equal(exact, "1.2.840.113549");
    assert_int_equal(tsvc__oid_to_text(der, sizeof(der), exact, sizeof(exact) - 1),
                     TSVC_ERR_DER_OID);
}

static void oid_valid_rules(void **state)
{
    (void)state;
    const uint8_t non_minimal[] = {0x2a, 0x80, 0x01};
    const uint8_t truncated[] = {0x2a, 0x86};
    const uint8_t leading[] = {0x80, 0x01};
    uint8_t long_oid[129];
    memset(long_oid, 0x01, sizeof(long_oid));
    assert_false(tsvc__oid_valid(non_minimal, sizeof(non_minimal)));
    assert_false(tsvc__oid_valid(truncated, sizeof(truncated)));
    assert_false(tsvc__oid_valid(leading, sizeof(leading)));
    assert_false(tsvc__oid_valid(long_oid, 0));
    assert_false(tsvc__oid_valid(long_oid, 129));
    assert_true(tsvc__oid_valid(long_oid, 128));
    char text[TSVC__OID_TEXT_MAX];
    assert_int_equal(tsvc__oid_to_text(non_minimal, sizeof(non_minimal), text, sizeof(text)),
                     TSVC_ERR_DER_OID);
    /* The longest OID's text fits in TSVC__OID_TEXT_MAX. */
    memset(long_oid, 0xff, 128);
    long_oid[127] = 0x7f;
    assert_int_equal(tsvc__oid_to_text(long_oid, 128, text, sizeof(text)), TSVC_OK);
}

/*
 * Regression (found by tests/fuzz/fuzz_oid.c, input 0x42 then 127 octets
 * 0x68): 128 one-octet arcs of three digits have 512 characters of text,
 * one more than TSVC__OID_TEXT_MAX holds with its NUL, so a valid OID had
 * no text. Such OIDs are now refused; one octet fewer, or smaller arcs,
 * still pass, and every valid OID's text fits.
 */
static void oid_text_always_fits(void **state)
{
    (void)state;
    uint8_t oid[TSVC__OID_MAX_LEN];
    char text[TSVC__OID_TEXT_MAX];
    oid[0] = 0x42; /* 1.26 */
    memset(oid + 1, 0x68, sizeof(oid) - 1); /* .104 each */
    assert_false(tsvc__oid_valid(oid, 128));
    assert_int_equal(tsvc__oid_to_text(oid, 128, text, sizeof(text)), TSVC_ERR_DER_OID);
    uint8_t el[2 + TSVC__OID_MAX_LEN];
    el[0] = 0x06;
    el[1] = 0x7f; /* 127 octets: fits */
    memcpy(el + 2, oid, 127);
    tsvc__cbs cbs, out;
    tsvc__cbs_init(&cbs, el, 2 + 127);
    assert_int_equal(tsvc__der_get_oid(&cbs, &out, NULL), TSVC_OK);
    assert_true(tsvc__oid_valid(oid, 127));
    assert_int_equal(tsvc__oid_to_text(oid, 127, text, sizeof(text)), TSVC_OK);
    assert_int_equal(strlen(text), 4 + 126 * 4);
    uint8_t back[TSVC__OID_MAX_LEN];
    size_t len = 0;
    assert_int_equal(tsvc__oid_from_text(text, back, sizeof(back), &len), TSVC_OK);
    assert_int_equal(len, 127);
    assert_memory_equal(back, oid, 127);
    /* 128 octets with two-digit arcs: valid, text fits. */
    memset(oid + 1, 0x63, sizeof(oid) - 1); /* .99 each */
    assert_true(tsvc__oid_valid(oid, 128));
    assert_int_equal(tsvc__oid_to_text(oid, 128, text, sizeof(text)), TSVC_OK);
    assert_int_equal(strlen(text), 4 + 127 * 3);
}

static void oid_equal(void **state)
{
    (void)state;
    const uint8_t in[] = {0x06, 0x03, 0x55, 0x1d, 0x13};
    const uint8_t bc[] = {0x55, 0x1d, 0x13};
    const uint8_t ku[] = {0x55, 0x1d, 0x0f};
    tsvc__cbs cbs, oid;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_oid(&cbs, &oid, NULL), TSVC_OK);
    assert_true(tsvc__oid_equal(&oid, bc, sizeof(bc)));
    assert_false(tsvc__oid_equal(&oid, ku, sizeof(ku)));
    assert_false(tsvc__oid_equal(&oid, bc, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(oid_text_known_values),
        cmocka_unit_test(oid_uuid_arc_beyond_64_bits),
        cmocka_unit_test(oid_from_text_rejects_malformed),
        cmocka_unit_test(oid_from_text_rejects_over_128_octets),
        cmocka_unit_test(oid_from_text_small_buffer),
        cmocka_unit_test(oid_to_text_small_buffer),
        cmocka_unit_test(oid_valid_rules),
        cmocka_unit_test(oid_equal),
        cmocka_unit_test(oid_text_always_fits),
    };
    return cmocka_run_group_tests_name("der-oid", tests, NULL, NULL);
}
