/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of base64 (RFC 4648 section 10 vectors) and PEM armour.
 */
#include "der_test_util.h"

/* ---- base64 ---- */

static const char *const rfc4648[][2] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static void base64_rfc4648_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
        const char *plain = rfc4648[i][0], *enc = rfc4648[i][1];
        tsvc_buf out = TSVC_BUF_INIT;
        assert_int_equal(tsvc__base64_encode(NULL, (const uint8_t *)plain, strlen(plain), &out),
                         TSVC_OK);
        assert_int_equal(out.len, strlen(enc));
        assert_string_equal((const char *)out.data, enc);
        tsvc_buf_dispose(&out);
        assert_int_equal(tsvc__base64_decode(NULL, enc, strlen(enc), &out, NULL), TSVC_OK);
        assert_buf_equal(&out, (const uint8_t *)plain, strlen(plain));
        tsvc_buf_dispose(&out);
    }
}

static void base64_ignores_whitespace(void **state)
{
    (void)state;
    const char *in = " Zm9v\r\nYmFy \t\n";
    tsvc_buf out = TSVC_BUF_INIT;
    assert_int_equal(tsvc__base64_decode(NULL, in, strlen(in), &out, NULL), TSVC_OK);
    assert_buf_equal(&out, (const uint8_t *)"foobar", 6);
    tsvc_buf_dispose(&out);
}

static void base64_bad(const char *in, int64_t off, const char *check)
{
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    expect_error(tsvc__base64_decode(NULL, in, strlen(in), &out, &err), &err, TSVC_ERR_BASE64, off,
                 check);
    assert_null(out.data);
}

static void base64_rejects_invalid_character(void **state)
{
    (void)state;
    base64_bad("Zm9v!mFy", 4, "base64.char");
    base64_bad("Zm9v-_==", 4, "base64.char"); /* the URL alphabet is not accepted */
}

static void base64_rejects_missing_padding(void **state)
{
    (void)state;
    base64_bad("Zg=", 2, "base64.length");
    base64_bad("Zm9vYg", 5, "base64.length");
}

static void base64_rejects_data_after_padding(void **state)
{
    (void)state;
    base64_bad("Zg==Zg==", 4, "base64.padding");
    base64_bad("Zm=v", 3, "base64.padding");
}

static void base64_rejects_misplaced_padding(void **state)
{
    (void)state;
    base64_bad("Z===", 1, "base64.padding");
    base64_bad("====", 0, "base64.padding");
}

static void base64_rejects_non_zero_trailing_bits(void **state)
{
    (void)state;
    base64_bad("Zh==", 3, "base64.bits");
    base64_bad("Zm9=", 3, "base64.bits");
}

/* ---- PEM ---- */

static void pem_two_blocks(void **state)
{
    (void)state;
    const char *text = "Subject: something\n"
                       "-----BEGIN CERTIFICATE-----\n"
                       "MAMCAQU=\n"
                       "-----END CERTIFICATE-----\n"
                       "text between blocks\n"
                       "-----BEGIN PRIVATE KEY-----\n"
                       "Zm9v\n"
                       "YmFy\n"
                       "-----END PRIVATE KEY-----\n"
                       "trailing text";
    size_t pos = 0;
    bool found = false;
    char label[32];
    tsvc_buf der = TSVC_BUF_INIT;
    const size_t len = strlen(text);

    assert_int_equal(tsvc__pem_next(NULL, text, len, &pos, &found, label, sizeof(label), &der,
                                    NULL),
                     TSVC_OK);
    assert_true(found);
    assert_string_equal(label, "CERTIFICATE");
    const uint8_t want1[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    assert_buf_equal(&der, want1, sizeof(want1));
    tsvc_buf_dispose(&der);
    assert_int_equal(pos, strlen("Subject: something\n-----BEGIN CERTIFICATE-----\nMAMCAQU=\n"
                                 "-----END CERTIFICATE-----\n"));

    assert_int_equal(tsvc__pem_next(NULL, text, len, &pos, &found, label, sizeof(label), &der,
                                    NULL),
                     TSVC_OK);
    assert_true(found);
    assert_string_equal(label, "PRIVATE KEY");
    assert_buf_equal(&der, (const uint8_t *)"foobar", 6);
    tsvc_buf_dispose(&der);

    const size_t end_pos = pos;
    tsvc_error *err = NULL;
    expect_error(tsvc__pem_next(NULL, text, len, &pos, &found, label, sizeof(label), &der, &err),
                 &err, TSVC_ERR_PEM, -2, "pem.none");
    assert_false(found);
    assert_int_equal(pos, end_pos);
}

static void pem_crlf(void **state)
{
    (void)state;
    const char *text = "-----BEGIN X-----\r\nZm9v\r\nYmFy\r\n-----END X-----\r\n";
    size_t pos = 0;
    bool found;
    char label[8];
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc__pem_next(NULL, text, strlen(text), &pos, &found, label, sizeof(label),
                                    &der, NULL),
                     TSVC_OK);
    assert_string_equal(label, "X");
    assert_buf_equal(&der, (const uint8_t *)"foobar", 6);
    assert_int_equal(pos, strlen(text));
    tsvc_buf_dispose(&der);
}

static void pem_wrong_end_label(void **state)
{
    (void)state;
    const char *text = "-----BEGIN CERTIFICATE-----\nZm9v\n-----END X509 CRL-----\n";
    size_t pos = 0;
    bool found = false;
    char label[32];
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    expect_error(tsvc__pem_next(NULL, text, strlen(text), &pos, &found, label, sizeof(label),
                                &der, &err),
                 &err, TSVC_ERR_PEM, 33, "pem.label");
    assert_true(found);
    assert_int_equal(pos, 0);
    assert_null(der.data);
}

static void pem_bad_base64(void **state)
{
    (void)state;
    const char *text = "-----BEGIN X-----\nZm9v\nYm$y\n-----END X-----\n";
    size_t pos = 0;
    bool found = false;
    char label[8];
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    /* The '$' is at offset 18 + 5 + 2. */
    expect_error(tsvc__pem_next(NULL, text, strlen(text), &pos, &found, label, sizeof(label),
                                &der, &err),
                 &err, TSVC_ERR_BASE64, 25, "base64.char");
    assert_int_equal(pos, 0);
    assert_null(der.data);
}

static void pem_missing_end(void **state)
{
    (void)state;
    const char *text = "junk\n-----BEGIN X-----\nZm9v\n";
    size_t pos = 0;
    bool found = false;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    expect_error(tsvc__pem_next(NULL, text, strlen(text), &pos, &found, NULL, 0, &der, &err),
                 &err, TSVC_ERR_PEM, 5, "pem.end");
    assert_true(found);
}

static void pem_refuses_encapsulated_headers(void **state)
{
    (void)state;
    const char *text = "-----BEGIN RSA PRIVATE KEY-----\n"
                       "Proc-Type: 4,ENCRYPTED\n"
                       "DEK-Info: AES-128-CBC,00000000000000000000000000000000\n"
                       "\n"
                       "Zm9v\n"
                       "-----END RSA PRIVATE KEY-----\n";
    size_t pos = 0;
    bool found = false;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    expect_error(tsvc__pem_next(NULL, text, strlen(text), &pos, &found, NULL, 0, &der, &err),
                 &err, TSVC_ERR_PEM, 41, "pem.headers");
}

static void pem_no_block(void **state)
{
    (void)state;
    const char *text = "nothing here\n----BEGIN X-----\n";
    size_t pos = 3;
    bool found = true;
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc__pem_next(NULL, text, strlen(text), &pos, &found, NULL, 0, &der, NULL),
                     TSVC_ERR_PEM);
    assert_false(found);
    assert_int_equal(pos, 3);
    assert_int_equal(tsvc__pem_next(NULL, "", 0, &pos, &found, NULL, 0, &der, NULL),
                     TSVC_ERR_PEM);
}

static void pem_not_nul_terminated(void **state)
{
    (void)state;
    /* The text ends exactly at the END line's last dash; nothing after it is read. */
    const char src[] = "-----BEGIN X-----\nZm9v\n-----END X-----";
    const size_t len = sizeof(src) - 1;
    char *text = malloc(len);
    assert_non_null(text);
    memcpy(text, src, len);
    size_t pos = 0;
    bool found;
    char label[4];
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc__pem_next(NULL, text, len, &pos, &found, label, sizeof(label), &der,
                                    NULL),
                     TSVC_OK);
    assert_int_equal(pos, len);
    assert_buf_equal(&der, (const uint8_t *)"foo", 3);
    tsvc_buf_dispose(&der);
    /* Cut inside the END line: no END line any more. */
    assert_int_equal(tsvc__pem_next(NULL, text, len - 1, &(size_t){0}, &found, label,
                                    sizeof(label), &der, NULL),
                     TSVC_ERR_PEM);
    free(text);
}

static void pem_label_is_truncated_to_buffer(void **state)
{
    (void)state;
    const char *text = "-----BEGIN CERTIFICATE REQUEST-----\nZm9v\n-----END CERTIFICATE REQUEST-----\n";
    size_t pos = 0;
    bool found;
    char label[5];
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc__pem_next(NULL, text, strlen(text), &pos, &found, label, sizeof(label),
                                    &der, NULL),
                     TSVC_OK);
    assert_string_equal(label, "CERT");
    tsvc_buf_dispose(&der);
}

static void pem_encode_round_trip(void **state)
{
    (void)state;
    uint8_t data[100];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7);
    tsvc_buf pem = TSVC_BUF_INIT, der = TSVC_BUF_INIT;
    assert_int_equal(tsvc__pem_encode(NULL, "CERTIFICATE", data, sizeof(data), &pem), TSVC_OK);
    const char *text = (const char *)pem.data;
    assert_int_equal(strlen(text), pem.len);
    /* 100 octets = 136 base64 characters: lines of 64, 64 and 8. */
    assert_int_equal(pem.len, 28 + 65 + 65 + 9 + 26);
    assert_memory_equal(text, "-----BEGIN CERTIFICATE-----\n", 28);
    assert_int_equal(text[28 + 64], '\n');
    assert_memory_equal(text + pem.len - 26, "-----END CERTIFICATE-----\n", 26);
    assert_true(tsvc__pem_looks_like(pem.data, pem.len));
    size_t pos = 0;
    bool found;
    char label[32];
    assert_int_equal(tsvc__pem_next(NULL, text, pem.len, &pos, &found, label, sizeof(label), &der,
                                    NULL),
                     TSVC_OK);
    assert_string_equal(label, "CERTIFICATE");
    assert_buf_equal(&der, data, sizeof(data));
    tsvc_buf_dispose(&der);
    tsvc_buf_dispose(&pem);
}

static void pem_looks_like(void **state)
{
    (void)state;
    const char *yes = " \r\n\t-----BEGIN X-----";
    const char *no = "x-----BEGIN X-----";
    assert_true(tsvc__pem_looks_like((const uint8_t *)yes, strlen(yes)));
    assert_false(tsvc__pem_looks_like((const uint8_t *)no, strlen(no)));
    assert_false(tsvc__pem_looks_like((const uint8_t *)"-----BEGIN", 10));
    const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    assert_false(tsvc__pem_looks_like(der, sizeof(der)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base64_rfc4648_vectors),
        cmocka_unit_test(base64_ignores_whitespace),
        cmocka_unit_test(base64_rejects_invalid_character),
        cmocka_unit_test(base64_rejects_missing_padding),
        cmocka_unit_test(base64_rejects_data_after_padding),
        cmocka_unit_test(base64_rejects_misplaced_padding),
        cmocka_unit_test(base64_rejects_non_zero_trailing_bits),
        cmocka_unit_test(pem_two_blocks),
        cmocka_unit_test(pem_crlf),
        cmocka_unit_test(pem_wrong_end_label),
        cmocka_unit_test(pem_bad_base64),
        cmocka_unit_test(pem_missing_end),
        cmocka_unit_test(pem_refuses_encapsulated_headers),
        cmocka_unit_test(pem_no_block),
        cmocka_unit_test(pem_not_nul_terminated),
        cmocka_unit_test(pem_label_is_truncated_to_buffer),
        cmocka_unit_test(pem_encode_round_trip),
        cmocka_unit_test(pem_looks_like),
    };
    return cmocka_run_group_tests_name("der-pem", tests, NULL, NULL);
}
