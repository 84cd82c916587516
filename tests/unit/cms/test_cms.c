/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the CMS layer (src/cms): decoding OpenSSL-made SignedData
 * in DER and BER (-stream), every truncation and single-byte corruption
 * handled without a crash, limits, re-encoding byte-identical, unsigned
 * attributes added. Test data: tests/data/cms (see its README).
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

#define OID(lit) (const uint8_t *)(lit), TSVC__CMS_OID_LEN(lit)

static tsvc_ctx *g_ctx;

static int setup(void **state)
{
    (void)state;
    return tsvc_ctx_new(&g_ctx, NULL, NULL) == TSVC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_ctx_free(g_ctx);
    return 0;
}

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

static blob load(const char *name)
{
    blob b = {NULL, 0};
    const char *root = getenv("TSVC_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/cms/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.data = malloc((size_t)n);
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b.len = (size_t)n;
    return b;
}

static void test_parse_openssl_der(void **state)
{
    (void)state;
    blob b = load("openssl-cades.der");
    tsvc__cms *m = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, b.data, b.len, &m, NULL), TSVC_OK);
    assert_false(m->was_ber);
    assert_int_equal(m->version, 1);
    assert_true(m->has_content);
    assert_int_equal(m->content.len, 31);
    assert_true(tsvc__oid_equal(&m->econtent_type, OID(TSVC__OID_CMS_DATA)));
    assert_int_equal(m->num_certs, 2);
    assert_int_equal(m->num_signers, 1);
    const tsvc__cms_signer *si = &m->signers[0];
    assert_false(si->sid_is_ski);
    assert_true(si->has_signed_attrs);
    assert_false(si->signed_attrs_not_der);
    size_t n = 0;
    assert_non_null(tsvc__cms_find_attr(si->sattrs, si->num_sattrs,
                                        OID(TSVC__OID_AA_SIGNING_CERT_V2), &n));
    assert_int_equal(n, 1);
    assert_non_null(tsvc__cms_find_attr(si->sattrs, si->num_sattrs,
                                        OID(TSVC__OID_AA_MESSAGE_DIGEST), NULL));
    /* Re-encoding without changes gives the same bytes. */
    tsvc__cms_edit ed;
    tsvc_buf out = TSVC_BUF_INIT;
    memset(&ed, 0, sizeof(ed));
    assert_int_equal(tsvc__cms_rebuild(m, &ed, &out, NULL), TSVC_OK);
    assert_int_equal(out.len, b.len);
    assert_memory_equal(out.data, b.data, b.len);
    tsvc_buf_dispose(&out);
    /* The bytes a signature covers start with the SET tag. */
    assert_int_equal(tsvc__cms_signed_attrs_tbs(g_ctx, si, &out), TSVC_OK);
    assert_int_equal(out.data[0], 0x31);
    assert_int_equal(out.len, si->signed_attrs.len);
    tsvc_buf_dispose(&out);
    tsvc__cms_free(m);
    free(b.data);
}

static void test_parse_openssl_ber_stream(void **state)
{
    (void)state;
    blob b = load("openssl-cades-ber.der");
    tsvc__cms *m = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, b.data, b.len, &m, NULL), TSVC_OK);
    assert_true(m->was_ber);
    assert_true(m->has_content);
    assert_int_equal(m->num_signers, 1);
    /* OpenSSL keeps the signed attributes DER inside the BER outer layers. */
    assert_false(m->signers[0].signed_attrs_not_der);
    tsvc__cms_free(m);
    free(b.data);
}

static void test_parse_two_signers_detached(void **state)
{
    (void)state;
    blob b = load("openssl-two-signers.der");
    tsvc__cms *m = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, b.data, b.len, &m, NULL), TSVC_OK);
    assert_false(m->has_content);
    assert_int_equal(m->num_signers, 2);
    tsvc__cms_free(m);
    free(b.data);
}

/* Every prefix and every single-byte corruption: no crash, no leak. */
static void test_truncations_and_corruptions(void **state)
{
    (void)state;
    const char *files[] = {"openssl-cades.der", "openssl-cades-ber.der"};
    for (size_t f = 0; f < 2; f++) {
        blob b = load(files[f]);
        for (size_t n = 0; n < b.len; n++) {
            tsvc__cms *m = NULL;
            tsvc_error *e = NULL;
            assert_int_not_equal(tsvc__cms_parse(g_ctx, b.data, n, &m, &e), TSVC_OK);
            assert_null(m);
            assert_non_null(e);
            tsvc_error_free(e);
        }
        for (size_t i = 0; i < b.len; i += 3) {
            tsvc__cms *m = NULL;
            uint8_t old = b.data[i];
            b.data[i] = (uint8_t)(old ^ 0x5a);
            if (tsvc__cms_parse(g_ctx, b.data, b.len, &m, NULL) == TSVC_OK)
                tsvc__cms_free(m);
            b.data[i] = old;
        }
        free(b.data);
    }
}

static void test_not_signed_data(void **state)
{
    (void)state;
    /* ContentInfo { id-data, [0] OCTET STRING "x" } */
    static const uint8_t data_ci[] = {0x30, 0x12, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                      0x0d, 0x01, 0x07, 0x01, 0xa0, 0x03, 0x04, 0x01, 'x'};
    tsvc__cms *m = NULL;
    tsvc_error *e = NULL;
    /* The length byte above covers 18 octets: fix to the real 16. */
    uint8_t buf[sizeof(data_ci)];
    memcpy(buf, data_ci, sizeof(buf));
    buf[1] = (uint8_t)(sizeof(buf) - 2);
    assert_int_equal(tsvc__cms_parse(g_ctx, buf, sizeof(buf), &m, &e), TSVC_ERR_CMS_CONTENT_TYPE);
    assert_string_equal(tsvc_error_check(e), "cms.content-type");
    tsvc_error_free(e);
}

static void test_input_limit(void **state)
{
    (void)state;
    blob b = load("openssl-cades.der");
    tsvc_ctx *small = NULL;
    tsvc__cms *m = NULL;
    assert_int_equal(tsvc_ctx_new(&small, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(small, TSVC_LIMIT_INPUT_SIZE, 100, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_parse(small, b.data, b.len, &m, NULL), TSVC_ERR_LIMIT_INPUT_SIZE);
    tsvc_ctx_free(small);
    free(b.data);
}

static void test_add_unsigned_attr_twice(void **state)
{
    (void)state;
    blob b = load("openssl-cades.der");
    tsvc__cms *m = NULL, *m2 = NULL, *m3 = NULL;
    tsvc_buf one = TSVC_BUF_INIT, two = TSVC_BUF_INIT;
    const uint8_t v1[] = {0x04, 0x01, 0x01}, v2[] = {0x04, 0x01, 0x02};
    assert_int_equal(tsvc__cms_parse(g_ctx, b.data, b.len, &m, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_add_unsigned_attr(m, 0, OID(TSVC__OID_AA_TIMESTAMP_TOKEN), v1,
                                                 sizeof(v1), &one, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc__cms_parse(g_ctx, one.data, one.len, &m2, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_add_unsigned_attr(m2, 0, OID(TSVC__OID_AA_COUNTER_SIGNATURE), v2,
                                                 sizeof(v2), &two, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc__cms_parse(g_ctx, two.data, two.len, &m3, NULL), TSVC_OK);
    assert_int_equal(m3->signers[0].num_uattrs, 2);
    /* The signed part and the certificates are unchanged. */
    assert_memory_equal(m3->signers[0].head.data, m->signers[0].head.data, m->signers[0].head.len);
    assert_memory_equal(m3->encap.data, m->encap.data, m->encap.len);
    tsvc__cms_free(m);
    tsvc__cms_free(m2);
    tsvc__cms_free(m3);
    tsvc_buf_dispose(&one);
    tsvc_buf_dispose(&two);
    free(b.data);
}

/* Regression: tsvc__cms_rebuild() kept the old version, so a SignedData that
 * gained an id-ri-ocsp-response ("other" RevocationInfoChoice) had to be
 * patched in place; the version now follows RFC 5652 section 5.1. */
static void test_rebuild_version(void **state)
{
    (void)state;
    blob b = load("openssl-cades.der");
    tsvc__cms *m = NULL, *m2 = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cms_edit ed;
    assert_int_equal(tsvc__cms_parse(g_ctx, b.data, b.len, &m, NULL), TSVC_OK);
    assert_int_equal(m->version, 1);
    memset(&ed, 0, sizeof(ed));
    assert_int_equal(tsvc__cms_signed_data_version(m, NULL), 1);
    assert_int_equal(tsvc__cms_signed_data_version(m, &ed), 1);
    /* A CertificateList in crls: still version 1. */
    static const uint8_t crl_el[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    /* [1] { id-ri-ocsp-response, OCSPResponse } (contents not looked at). */
    static const uint8_t other_el[] = {0xa1, 0x0f, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05,
                                       0x07, 0x10, 0x02, 0x30, 0x03, 0x0a, 0x01, 0x00};
    tsvc_buf crl = {(uint8_t *)(uintptr_t)crl_el, sizeof(crl_el)};
    tsvc_buf other = {(uint8_t *)(uintptr_t)other_el, sizeof(other_el)};
    ed.add_crls = &crl;
    ed.num_add_crls = 1;
    assert_int_equal(tsvc__cms_signed_data_version(m, &ed), 1);
    assert_int_equal(tsvc__cms_rebuild(m, &ed, &out, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_parse(g_ctx, out.data, out.len, &m2, NULL), TSVC_OK);
    assert_int_equal(m2->version, 1);
    tsvc__cms_free(m2);
    m2 = NULL;
    tsvc_buf_dispose(&out);
    /* An "other" revocation element: version 5, written by the rebuild. */
    ed.add_crls = &other;
    assert_int_equal(tsvc__cms_signed_data_version(m, &ed), 5);
    assert_int_equal(tsvc__cms_rebuild(m, &ed, &out, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_parse(g_ctx, out.data, out.len, &m2, NULL), TSVC_OK);
    assert_int_equal(m2->version, 5);
    assert_int_equal(m2->num_crls, 1);
    assert_int_equal(m2->crls[0].data[0], 0xa1);
    /* Rebuilt again without changes: the version stays 5 (computed, not lowered). */
    tsvc_buf again = TSVC_BUF_INIT;
    tsvc__cms_edit none;
    memset(&none, 0, sizeof(none));
    assert_int_equal(tsvc__cms_rebuild(m2, &none, &again, NULL), TSVC_OK);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.data, out.data, out.len);
    tsvc_buf_dispose(&again);
    tsvc__cms_free(m2);
    m2 = NULL;
    tsvc_buf_dispose(&out);
    /* Attribute certificates and "other" certificates. */
    static const uint8_t v1attr_el[] = {0xa1, 0x00}, v2attr_el[] = {0xa2, 0x00},
                         ocert_el[] = {0xa3, 0x00};
    tsvc_buf c1 = {(uint8_t *)(uintptr_t)v1attr_el, sizeof(v1attr_el)};
    tsvc_buf c2 = {(uint8_t *)(uintptr_t)v2attr_el, sizeof(v2attr_el)};
    tsvc_buf c3 = {(uint8_t *)(uintptr_t)ocert_el, sizeof(ocert_el)};
    memset(&ed, 0, sizeof(ed));
    ed.num_add_certs = 1;
    ed.add_certs = &c1;
    assert_int_equal(tsvc__cms_signed_data_version(m, &ed), 3);
    ed.add_certs = &c2;
    assert_int_equal(tsvc__cms_signed_data_version(m, &ed), 4);
    ed.add_certs = &c3;
    assert_int_equal(tsvc__cms_signed_data_version(m, &ed), 5);
    /* An explicit version is written as given; an impossible one is refused. */
    memset(&ed, 0, sizeof(ed));
    ed.version = 3;
    assert_int_equal(tsvc__cms_rebuild(m, &ed, &out, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_parse(g_ctx, out.data, out.len, &m2, NULL), TSVC_OK);
    assert_int_equal(m2->version, 3);
    /* ... and a version the producer wrote higher than needed is kept. */
    assert_int_equal(tsvc__cms_signed_data_version(m2, NULL), 3);
    tsvc__cms_free(m2);
    tsvc_buf_dispose(&out);
    ed.version = 2;
    assert_int_equal(tsvc__cms_rebuild(m, &ed, &out, NULL), TSVC_ERR_INVALID_ARG);
    tsvc__cms_free(m);
    free(b.data);
}

/* Minimal SignedData values (no signers) for the regressions below; the
 * version is the octet at SD_VERSION_AT. */
#define SD_VERSION_AT 19
/* version 1, eContentType id-ct-TSTInfo */
static const uint8_t sd_v1_tstinfo[] = {
    0x30, 0x25, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
    0x18, 0x30, 0x16, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0d, 0x06, 0x0b, 0x2a, 0x86,
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04, 0x31, 0x00};
/* version 1, certificates [0] { INTEGER 5 } */
static const uint8_t sd_cert_integer[] = {
    0x30, 0x28, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
    0x1b, 0x30, 0x19, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86,
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x03, 0x02, 0x01, 0x05, 0x31, 0x00};
/* version 1, crls [1] { INTEGER 5 } */
static const uint8_t sd_crl_integer[] = {
    0x30, 0x28, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
    0x1b, 0x30, 0x19, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86,
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa1, 0x03, 0x02, 0x01, 0x05, 0x31, 0x00};
/* version 1, certificates [0] { [3] other } */
static const uint8_t sd_v1_other_cert[] = {
    0x30, 0x27, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
    0x1a, 0x30, 0x18, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86,
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x02, 0xa3, 0x00, 0x31, 0x00};

static void assert_refused(const uint8_t *der, size_t len, tsvc_status want, const char *check)
{
    tsvc__cms *m = NULL;
    tsvc_error *e = NULL;
    assert_int_equal(tsvc__cms_parse(g_ctx, der, len, &m, &e), want);
    assert_null(m);
    assert_non_null(e);
    assert_string_equal(tsvc_error_check(e), check);
    tsvc_error_free(e);
}

/* @p der with its version octet set to @p version parses and re-encodes
 * byte for byte. */
static void assert_round_trip_as(const uint8_t *der, size_t len, uint8_t version)
{
    uint8_t buf[64];
    tsvc__cms *m = NULL;
    tsvc__cms_edit none;
    tsvc_buf out = TSVC_BUF_INIT;
    assert_true(len <= sizeof(buf));
    memcpy(buf, der, len);
    buf[SD_VERSION_AT] = version;
    memset(&none, 0, sizeof(none));
    assert_int_equal(tsvc__cms_parse(g_ctx, buf, len, &m, NULL), TSVC_OK);
    assert_int_equal(tsvc__cms_rebuild(m, &none, &out, NULL), TSVC_OK);
    assert_int_equal(out.len, len);
    assert_memory_equal(out.data, buf, len);
    tsvc_buf_dispose(&out);
    tsvc__cms_free(m);
}

/* Regression (fuzz_cms, corpus regress-v1-non-data-econtent.der): a
 * version 1 SignedData whose eContentType is not id-data was accepted, and
 * re-encoding it wrote version 3 (RFC 5652 5.1), so the bytes changed. */
static void test_regress_version_below_contents(void **state)
{
    (void)state;
    assert_refused(sd_v1_tstinfo, sizeof(sd_v1_tstinfo), TSVC_ERR_CMS_VERSION, "cms.version");
    assert_refused(sd_v1_other_cert, sizeof(sd_v1_other_cert), TSVC_ERR_CMS_VERSION,
                   "cms.version");
    assert_round_trip_as(sd_v1_tstinfo, sizeof(sd_v1_tstinfo), 3);
    assert_round_trip_as(sd_v1_other_cert, sizeof(sd_v1_other_cert), 5);
}

/* Regression (fuzz_cms, corpus regress-cert-choice-tag-*.der): any element
 * was accepted as a CertificateChoices or RevocationInfoChoice, so a
 * corrupted certificate read as several stray elements, among them an
 * [3] "other" one that made a re-encoding raise the version. */
static void test_regress_unknown_choice_in_certs_and_crls(void **state)
{
    (void)state;
    assert_refused(sd_cert_integer, sizeof(sd_cert_integer), TSVC_ERR_CMS_FORMAT,
                   "cms.certificates");
    assert_refused(sd_crl_integer, sizeof(sd_crl_integer), TSVC_ERR_CMS_FORMAT, "cms.crls");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_openssl_der),
        cmocka_unit_test(test_parse_openssl_ber_stream),
        cmocka_unit_test(test_parse_two_signers_detached),
        cmocka_unit_test(test_truncations_and_corruptions),
        cmocka_unit_test(test_not_signed_data),
        cmocka_unit_test(test_input_limit),
        cmocka_unit_test(test_add_unsigned_attr_twice),
        cmocka_unit_test(test_rebuild_version),
        cmocka_unit_test(test_regress_version_below_contents),
        cmocka_unit_test(test_regress_unknown_choice_in_certs_and_crls),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
