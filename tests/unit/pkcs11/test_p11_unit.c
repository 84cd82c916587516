/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests without a token: RFC 7512 URI parsing (good and malformed
 * URIs), module loading errors (missing file, a library that is not a
 * PKCS#11 module), signature activation and signing evidence with
 * software keys, key information versions 1 and 2, key requirements, and
 * PKCS#10 requests built and parsed with software keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tsvc_config.h"
#include "trustsvc/csr.h"
#include "trustsvc/pkcs11.h"
#include "trustsvc/x509.h"
#include "p11_test_util.h"
#if TSVC_HAVE_PKCS11
#include "backends/pkcs11/p11.h"
#endif

static tsvc_ctx *new_ctx(void)
{
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    return ctx;
}

/* ------------------------------------------------------------------ */
/* URIs                                                                 */
/* ------------------------------------------------------------------ */

#if TSVC_HAVE_PKCS11
static void test_uri_full(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    tsvc__p11_uri u;
    tsvc_error *err = NULL;
    assert_int_equal(
        tsvc__p11_uri_parse(ctx,
                            "pkcs11:token=My%20Token;manufacturer=SoftHSM%20project;"
                            "serial=1234;object=seal-2024;id=%01%02%ff;type=private;slot-id=7;"
                            "x-vendor=1?module-path=/usr/lib/softhsm/libsofthsm2.so&"
                            "pin-value=12%2634&unknown=ignored",
                            &u, &err),
        TSVC_OK);
    assert_null(err);
    assert_string_equal(u.token, "My Token");
    assert_string_equal(u.manufacturer, "SoftHSM project");
    assert_string_equal(u.serial, "1234");
    assert_string_equal(u.object, "seal-2024");
    assert_string_equal(u.type, "private");
    assert_true(u.has_id);
    assert_int_equal(u.id_len, 3);
    assert_memory_equal(u.id, "\x01\x02\xff", 3);
    assert_true(u.has_slot_id);
    assert_int_equal(u.slot_id, 7);
    assert_string_equal(u.module_path, "/usr/lib/softhsm/libsofthsm2.so");
    assert_string_equal(u.pin_value, "12&34");
    assert_int_equal(u.pin_value_len, 5);
    tsvc__p11_uri_clear(ctx, &u);
    assert_null(u.pin_value);
    /* Scheme is case-insensitive; an empty path is allowed. */
    assert_int_equal(tsvc__p11_uri_parse(ctx, "PKCS11:", &u, NULL), TSVC_OK);
    tsvc__p11_uri_clear(ctx, &u);
    assert_int_equal(tsvc__p11_uri_parse(ctx, "pkcs11:?pin-source=file:/tmp/pin", &u, NULL),
                     TSVC_OK);
    assert_string_equal(u.pin_source, "file:/tmp/pin");
    tsvc__p11_uri_clear(ctx, &u);
    tsvc_ctx_free(ctx);
}

static void test_uri_malformed(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const char *bad[] = {
        "",
        "pkcs12:token=a",
        "file:/etc/passwd",
        "pkcs11:token=a;token=b",          /* duplicate */
        "pkcs11:token=a;;object=b",        /* empty attribute */
        "pkcs11:token",                    /* no '=' */
        "pkcs11:=x",                       /* no name */
        "pkcs11:colour=red",               /* unknown path attribute */
        "pkcs11:token=a%2",                /* truncated escape */
        "pkcs11:token=a%zz",               /* bad escape */
        "pkcs11:token=a%00b",              /* NUL in a string */
        "pkcs11:token=a b",                /* space */
        "pkcs11:token=a#frag",             /* fragment */
        "pkcs11:type=secret",              /* unknown type */
        "pkcs11:slot-id=12a",              /* not a number */
        "pkcs11:slot-id=",                 /* empty number */
        "pkcs11:id=%01;id=%02",            /* duplicate id */
        "pkcs11:?pin-value=1&pin-value=2", /* duplicate pin */
        "pkcs11:?pin-value=1&pin-source=/x", /* both PIN sources */
        "pkcs11:token=\x01",               /* control character */
        "pkcs11:token=\xc3\xa9",           /* raw non-ASCII (must be encoded) */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tsvc__p11_uri u;
        tsvc_error *err = NULL;
        tsvc_status st = tsvc__p11_uri_parse(ctx, bad[i], &u, &err);
        if (st != TSVC_ERR_PKCS11_URI)
            fail_msg("URI %zu \"%s\" gave %d", i, bad[i], (int)st);
        assert_non_null(err);
        assert_int_equal(tsvc_error_code(err), TSVC_ERR_PKCS11_URI);
        tsvc_error_free(err);
        assert_null(u.token);
    }
    /* Percent-encoded UTF-8 is fine. */
    tsvc__p11_uri u;
    assert_int_equal(tsvc__p11_uri_parse(ctx, "pkcs11:object=%C3%A9t%C3%A9", &u, NULL), TSVC_OK);
    assert_string_equal(u.object, "\xc3\xa9t\xc3\xa9");
    tsvc__p11_uri_clear(ctx, &u);
    /* Too long. */
    char *longuri = malloc(TSVC__P11_URI_MAX + 64);
    assert_non_null(longuri);
    strcpy(longuri, "pkcs11:object=");
    memset(longuri + 14, 'a', TSVC__P11_URI_MAX);
    longuri[14 + TSVC__P11_URI_MAX] = '\0';
    assert_int_equal(tsvc__p11_uri_parse(ctx, longuri, &u, NULL), TSVC_ERR_PKCS11_URI);
    free(longuri);
    /* The PIN never shows in an error message. */
    tsvc_error *err = NULL;
    assert_int_equal(tsvc__p11_uri_parse(ctx, "pkcs11:bogus=1?pin-value=S3cr3tPIN", &u, &err),
                     TSVC_ERR_PKCS11_URI);
    assert_null(strstr(tsvc_error_message(err), "S3cr3tPIN"));
    tsvc_error_free(err);
    tsvc_ctx_free(ctx);
}

static void test_uri_append(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    tsvc_buf b = TSVC_BUF_INIT;
    assert_int_equal(tsvc__p11_uri_append(ctx, &b, "pkcs11:token=", (const uint8_t *)"a b;c", 5),
                     TSVC_OK);
    assert_string_equal((const char *)b.data, "pkcs11:token=a%20b%3Bc");
    tsvc__p11_uri u;
    assert_int_equal(tsvc__p11_uri_parse(ctx, (const char *)b.data, &u, NULL), TSVC_OK);
    assert_string_equal(u.token, "a b;c");
    tsvc__p11_uri_clear(ctx, &u);
    tsvc_buf_dispose(&b);
    tsvc_ctx_free(ctx);
}
#endif

static void test_module_errors(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    tsvc_pkcs11_module *mod = NULL;
    tsvc_error *err = NULL;
    if (!tsvc_pkcs11_available()) {
        assert_int_equal(tsvc_pkcs11_module_load(ctx, &mod, "/nonexistent.so", NULL),
                         TSVC_ERR_UNSUPPORTED);
        tsvc_ctx_free(ctx);
        return;
    }
    assert_int_equal(tsvc_pkcs11_module_load(ctx, &mod, "/nonexistent/libnothing.so", &err),
                     TSVC_ERR_PKCS11_MODULE);
    assert_null(mod);
    assert_non_null(strstr(tsvc_error_message(err), "/nonexistent/libnothing.so"));
    tsvc_error_free(err);
    err = NULL;
    /* A file that is not a shared library at all. */
    char path[4096];
    const char *src = getenv("TSVC_SOURCE_ROOT");
    snprintf(path, sizeof(path), "%s/meson.build", src != NULL ? src : ".");
    assert_int_equal(tsvc_pkcs11_module_load(ctx, &mod, path, &err), TSVC_ERR_PKCS11_MODULE);
    tsvc_error_free(err);
    err = NULL;
    /* A shared library without C_GetFunctionList: libtrustsvc itself. */
    const char *bld = getenv("TSVC_BUILD_ROOT");
    snprintf(path, sizeof(path), "%s/libtrustsvc.so", bld != NULL ? bld : ".");
    assert_int_equal(tsvc_pkcs11_module_load(ctx, &mod, path, &err), TSVC_ERR_PKCS11_MODULE);
    /* (Under sanitizers dlopen may refuse the instrumented library outright.) */
    if (strstr(tsvc_error_message(err), "C_GetFunctionList") == NULL &&
        strstr(tsvc_error_message(err), "cannot be") == NULL)
        fail_msg("unexpected message: %s", tsvc_error_message(err));
    tsvc_error_free(err);
    err = NULL;
    /* tsvc_key_from_uri: a URI without module-path, a malformed URI. */
    tsvc_key *key = NULL;
    assert_int_equal(tsvc_key_from_uri(ctx, &key, "pkcs11:token=x;object=y", &err),
                     TSVC_ERR_PKCS11_URI);
    tsvc_error_free(err);
    assert_int_equal(tsvc_key_from_uri(ctx, &key, "pkcs11:token=x;object", NULL),
                     TSVC_ERR_PKCS11_URI);
    assert_int_equal(
        tsvc_key_from_uri(ctx, &key, "pkcs11:object=y?module-path=/nonexistent.so", NULL),
        TSVC_ERR_PKCS11_MODULE);
    assert_null(key);
    assert_int_equal(tsvc_key_from_uri(ctx, &key, NULL, NULL), TSVC_ERR_INVALID_ARG);
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* Activation, evidence, key information, requirements                  */
/* ------------------------------------------------------------------ */

typedef struct approver {
    int calls;
    int refuse;
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;
    size_t digest_len;
    size_t msg_len;
    char label[64];
} approver;

static tsvc_status approve(void *opaque, tsvc_activation_request *req)
{
    approver *a = opaque;
    a->calls++;
    a->scheme = tsvc_activation_request_scheme(req);
    a->hash = tsvc_activation_request_hash(req);
    (void)tsvc_activation_request_digest(req, &a->digest_len);
    (void)tsvc_activation_request_message(req, &a->msg_len);
    snprintf(a->label, sizeof(a->label), "%s", tsvc_activation_request_label(req));
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    assert_int_equal(tsvc_key_get_info(tsvc_activation_request_key(req), &info), TSVC_OK);
    if (a->refuse)
        return TSVC_ERR_ACTIVATION_REFUSED;
    assert_int_equal(tsvc_activation_request_set_evidence(req, "otp ok \"user\"=alice"),
                     TSVC_OK);
    return TSVC_OK;
}

static void test_activation_software(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const tsvc_key_type types[] = {TSVC_KEY_ECDSA_P256, TSVC_KEY_ED25519};
    for (size_t t = 0; t < 2; t++) {
        tsvc_key *key = NULL;
        assert_int_equal(tsvc_key_generate(ctx, &key, types[t], 0, NULL), TSVC_OK);
        approver a;
        memset(&a, 0, sizeof(a));
        assert_int_equal(tsvc_key_set_activation(key, approve, &a), TSVC_OK);
        tsvc_buf sig = TSVC_BUF_INIT;
        const uint8_t msg[] = "contract 2024-117";
        tsvc_sign_options o = TSVC_SIGN_OPTIONS_INIT;
        o.label = "contract 2024-117";
        tsvc_sign_evidence *ev = NULL;
        assert_int_equal(tsvc_key_sign_ex(key, &sig, &ev, &o, msg, sizeof(msg), NULL), TSVC_OK);
        assert_int_equal(a.calls, 1);
        assert_string_equal(a.label, "contract 2024-117");
        if (types[t] == TSVC_KEY_ED25519) {
            assert_int_equal(a.scheme, TSVC_SIG_ED25519);
            assert_int_equal(a.msg_len, sizeof(msg));
            assert_int_equal(a.hash, TSVC_HASH_SHA512);
            assert_int_equal(a.digest_len, 64);
        } else {
            assert_int_equal(a.scheme, TSVC_SIG_ECDSA);
            assert_int_equal(a.hash, TSVC_HASH_SHA256);
            assert_int_equal(a.digest_len, 32);
            assert_int_equal(a.msg_len, 0);
        }
        tsvc_pubkey *pub = NULL;
        assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
        assert_int_equal(tsvc_pubkey_verify(pub, a.scheme,
                                            types[t] == TSVC_KEY_ED25519 ? TSVC_HASH_NONE
                                                                         : TSVC_HASH_SHA256,
                                            msg, sizeof(msg), sig.data, sig.len, NULL),
                         TSVC_OK);
        tsvc_pubkey_free(pub);
        tsvc_buf_dispose(&sig);
        assert_int_equal(tsvc_sign_evidence_activated(ev), 1);
        assert_string_equal(tsvc_sign_evidence_activation(ev), "otp ok \"user\"=alice");
        assert_string_equal(tsvc_sign_evidence_label(ev), "contract 2024-117");
        assert_true(tsvc_sign_evidence_time(ev) > 1600000000);
        tsvc_key_info info = TSVC_KEY_INFO_INIT;
        assert_int_equal(tsvc_sign_evidence_key_info(ev, &info), TSVC_OK);
        assert_int_equal(info.storage, TSVC_STORAGE_SOFTWARE);
        assert_int_equal(info.has_activation, 1);
        assert_int_equal(info.extractable, 1);
        tsvc_buf json = TSVC_BUF_INIT;
        assert_int_equal(tsvc_sign_evidence_to_json(ev, &json, NULL), TSVC_OK);
        assert_int_equal(strlen((const char *)json.data), json.len);
        assert_non_null(strstr((const char *)json.data, "\"evidence\":\"otp ok \\\"user\\\"=alice\""));
        assert_non_null(strstr((const char *)json.data, "\"storage\":\"software\""));
        tsvc_buf_dispose(&json);
        tsvc_sign_evidence_free(ev);

        /* Every other path goes through the callback too. */
        if (types[t] != TSVC_KEY_ED25519) {
            uint8_t digest[32] = {1, 2, 3};
            assert_int_equal(tsvc_key_sign_digest(key, &sig, TSVC_SIG_ECDSA, TSVC_HASH_SHA256,
                                                  digest, 32, NULL),
                             TSVC_OK);
            tsvc_buf_dispose(&sig);
            assert_int_equal(a.calls, 2);
        }
        /* Refusal: its own status; no signature. */
        a.refuse = 1;
        tsvc_error *err = NULL;
        assert_int_equal(tsvc_key_sign(key, &sig, a.scheme,
                                       types[t] == TSVC_KEY_ED25519 ? TSVC_HASH_NONE
                                                                    : TSVC_HASH_SHA256,
                                       msg, sizeof(msg), &err),
                         TSVC_ERR_ACTIVATION_REFUSED);
        assert_null(sig.data);
        assert_int_equal(tsvc_error_code(err), TSVC_ERR_ACTIVATION_REFUSED);
        tsvc_error_free(err);
        /* Export is a private-key operation too. */
        tsvc_buf pk = TSVC_BUF_INIT;
        assert_int_equal(tsvc_key_export(key, &pk, TSVC_FORMAT_DER, NULL),
                         TSVC_ERR_ACTIVATION_REFUSED);
        a.refuse = 0;
        int before = a.calls;
        assert_int_equal(tsvc_key_export(key, &pk, TSVC_FORMAT_DER, NULL), TSVC_OK);
        assert_int_equal(a.calls, before + 1);
        assert_string_equal(a.label, "key-export");
        tsvc_buf_dispose(&pk);
        /* Removing the callback. */
        assert_int_equal(tsvc_key_set_activation(key, NULL, NULL), TSVC_OK);
        assert_int_equal(tsvc_key_sign_ex(key, &sig, &ev, NULL, msg, sizeof(msg), NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_sign_evidence_activated(ev), 0);
        assert_null(tsvc_sign_evidence_activation(ev));
        tsvc_sign_evidence_free(ev);
        tsvc_buf_dispose(&sig);
        tsvc_key_free(key);
    }
    tsvc_ctx_free(ctx);
}

static void test_key_info_versions(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    tsvc_key *key = NULL;
    assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ECDSA_P256, 0, NULL), TSVC_OK);
    /* A version-1 caller has the short structure: nothing past storage is written. */
    struct {
        uint32_t version;
        tsvc_key_type type;
        unsigned bits;
        const char *backend;
        tsvc_key_storage storage;
    } v1;
    unsigned char guard[sizeof(tsvc_key_info)];
    memset(guard, 0xa5, sizeof(guard));
    memcpy(guard, &v1, 0);
    v1.version = 1;
    memcpy(guard, &v1, sizeof(v1));
    assert_int_equal(tsvc_key_get_info(key, (tsvc_key_info *)(void *)guard), TSVC_OK);
    memcpy(&v1, guard, sizeof(v1));
    assert_int_equal(v1.type, TSVC_KEY_ECDSA_P256);
    assert_int_equal(v1.bits, 256);
    for (size_t i = sizeof(v1); i < sizeof(guard); i++)
        assert_int_equal(guard[i], 0xa5);
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    assert_int_equal(info.version, 2);
    assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
    assert_null(info.token_label);
    assert_int_equal(info.sensitive, 0);
    assert_int_equal(info.extractable, 1);
    assert_int_equal(info.certification_status, TSVC_HSM_CERT_NONE);
    info.version = 3;
    assert_int_equal(tsvc_key_get_info(key, &info), TSVC_ERR_BAD_VERSION);
    tsvc_key_info init2;
    tsvc_key_info_init(&init2);
    assert_int_equal(init2.version, TSVC_KEY_INFO_VERSION);

    tsvc_key_requirements req = TSVC_KEY_REQUIREMENTS_INIT;
    assert_int_equal(tsvc_key_check_requirements(key, &req, NULL), TSVC_OK);
    req.require_hsm = 1;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_key_check_requirements(key, &req, &err), TSVC_ERR_KEY_ASSURANCE);
    assert_string_equal(tsvc_error_check(err), "crypto.assurance.hsm");
    tsvc_error_free(err);
    tsvc_key_requirements_init(&req);
    req.require_activation = 1;
    assert_int_equal(tsvc_key_check_requirements(key, &req, NULL), TSVC_ERR_KEY_ASSURANCE);
    req.version = 9;
    assert_int_equal(tsvc_key_check_requirements(key, &req, NULL), TSVC_ERR_BAD_VERSION);
    tsvc_sign_options o;
    tsvc_sign_options_init(&o);
    o.version = 7;
    tsvc_buf sig = TSVC_BUF_INIT;
    assert_int_equal(tsvc_key_sign_ex(key, &sig, NULL, &o, (const uint8_t *)"x", 1, NULL),
                     TSVC_ERR_BAD_VERSION);
    tsvc_key_free(key);
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* Certificate requests                                                 */
/* ------------------------------------------------------------------ */

static void make_csr(tsvc_ctx *ctx, const tsvc_key *key, tsvc_sig_scheme scheme,
                     tsvc_key_format fmt, tsvc_buf *out)
{
    tsvc_csr_builder *b = NULL;
    assert_int_equal(tsvc_csr_builder_new(ctx, &b, NULL), TSVC_OK);
    assert_int_equal(tsvc_csr_builder_sign(b, key, scheme, TSVC_HASH_NONE, fmt, out, NULL),
                     TSVC_ERR_STATE);
    assert_int_equal(tsvc_csr_builder_set_subject(
                         b, "CN=Seal of Example KK,organizationIdentifier=NTRJP-1234567890123,C=JP",
                         NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_csr_builder_add_san(b, TSVC_GN_DNS, (const uint8_t *)"seal.example.jp",
                                              15, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_csr_builder_add_san(b, TSVC_GN_EMAIL,
                                              (const uint8_t *)"seal@example.jp", 15, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_csr_builder_add_san(b, TSVC_GN_IP, (const uint8_t *)"\xc0\x00\x02\x01",
                                              4, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_csr_builder_add_san(b, TSVC_GN_DNS, (const uint8_t *)"bad\x01", 4, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_csr_builder_add_san(b, TSVC_GN_IP, (const uint8_t *)"\x01", 1, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_csr_builder_set_key_usage(
                         b, TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION, 1, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_csr_builder_add_eku(b, "1.3.6.1.5.5.7.3.4", NULL), TSVC_OK);
    assert_int_equal(tsvc_csr_builder_add_eku(b, "1.3.6.1.4.1.311.10.3.12", NULL), TSVC_OK);
    assert_int_equal(tsvc_csr_builder_add_eku(b, "not.an.oid", NULL), TSVC_ERR_DER_OID);
    assert_int_equal(tsvc_csr_builder_sign(b, key, scheme, TSVC_HASH_NONE, fmt, out, NULL),
                     TSVC_OK);
    tsvc_csr_builder_free(b);
}

static void check_csr(tsvc_ctx *ctx, const tsvc_key *key, const tsvc_buf *enc,
                      tsvc_sig_scheme scheme)
{
    tsvc_csr *csr = NULL;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_csr_parse(ctx, &csr, enc->data, enc->len, &err);
    if (st != TSVC_OK)
        fail_msg("csr parse: %s", tsvc_error_message(err));
    tsvc_buf text = TSVC_BUF_INIT;
    assert_int_equal(tsvc_csr_subject_text(csr, &text, NULL), TSVC_OK);
    assert_non_null(strstr((const char *)text.data, "CN=Seal of Example KK"));
    assert_non_null(strstr((const char *)text.data, "NTRJP-1234567890123"));
    tsvc_buf_dispose(&text);
    assert_int_equal(tsvc_csr_sig_scheme(csr), scheme);
    uint32_t ku = 0;
    assert_int_equal(tsvc_csr_key_usage(csr, &ku), 1);
    assert_int_equal(ku, TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION);
    assert_int_equal(tsvc_csr_num_ekus(csr), 2);
    char oid[128];
    assert_int_equal(tsvc_csr_eku(csr, 0, oid, sizeof(oid)), TSVC_OK);
    assert_string_equal(oid, "1.3.6.1.5.5.7.3.4");
    assert_int_equal(tsvc_csr_eku(csr, 2, oid, sizeof(oid)), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_csr_num_sans(csr), 3);
    tsvc_general_name_type gt;
    const uint8_t *v;
    size_t vl;
    assert_int_equal(tsvc_csr_san(csr, 0, &gt, &v, &vl), TSVC_OK);
    assert_int_equal(gt, TSVC_GN_DNS);
    assert_memory_equal(v, "seal.example.jp", vl);
    assert_int_equal(tsvc_csr_san(csr, 2, &gt, &v, &vl), TSVC_OK);
    assert_int_equal(gt, TSVC_GN_IP);
    assert_int_equal(vl, 4);
    tsvc_pubkey *a = NULL, *b = NULL;
    assert_int_equal(tsvc_csr_pubkey(csr, &a, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_get_public(key, &b, NULL), TSVC_OK);
    assert_same_pubkey_and_free(a, b);
    tsvc_csr_free(csr);
}

static void test_csr_software(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const struct {
        tsvc_key_type type;
        unsigned bits;
        tsvc_sig_scheme scheme, expect;
    } cases[] = {
        {TSVC_KEY_ECDSA_P256, 0, TSVC_SIG_NONE, TSVC_SIG_ECDSA},
        {TSVC_KEY_ECDSA_P384, 0, TSVC_SIG_NONE, TSVC_SIG_ECDSA},
        {TSVC_KEY_ED25519, 0, TSVC_SIG_NONE, TSVC_SIG_ED25519},
        {TSVC_KEY_RSA, 2048, TSVC_SIG_RSA_PSS, TSVC_SIG_RSA_PSS},
        {TSVC_KEY_RSA, 2048, TSVC_SIG_NONE, TSVC_SIG_RSA_PKCS1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tsvc_key *key = NULL;
        assert_int_equal(tsvc_key_generate(ctx, &key, cases[i].type, cases[i].bits, NULL),
                         TSVC_OK);
        approver ap;
        memset(&ap, 0, sizeof(ap));
        assert_int_equal(tsvc_key_set_activation(key, approve, &ap), TSVC_OK);
        tsvc_buf der = TSVC_BUF_INIT, pem = TSVC_BUF_INIT;
        make_csr(ctx, key, cases[i].scheme, TSVC_FORMAT_DER, &der);
        assert_int_equal(ap.calls, 1);
        assert_string_equal(ap.label, "csr");
        make_csr(ctx, key, cases[i].scheme, TSVC_FORMAT_PEM, &pem);
        assert_non_null(strstr((const char *)pem.data, "-----BEGIN CERTIFICATE REQUEST-----"));
        check_csr(ctx, key, &der, cases[i].expect);
        check_csr(ctx, key, &pem, cases[i].expect);

        /* A flipped signature bit: the signature check fails. */
        tsvc_csr *csr = NULL;
        der.data[der.len - 3] ^= 0x01;
        tsvc_status st = tsvc_csr_parse(ctx, &csr, der.data, der.len, NULL);
        assert_true(st == TSVC_ERR_CSR_SIGNATURE);
        der.data[der.len - 3] ^= 0x01;
        /* Truncations: never a crash, always an error. */
        for (size_t cut = 0; cut < der.len; cut += 7) {
            assert_int_not_equal(tsvc_csr_parse(ctx, &csr, der.data, cut, NULL), TSVC_OK);
            assert_null(csr);
        }
        /* A certificate-request-looking PEM of the wrong label. */
        static const char wrong[] = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        assert_int_equal(tsvc_csr_parse(ctx, &csr, (const uint8_t *)wrong, sizeof(wrong) - 1,
                                        NULL),
                         TSVC_ERR_CSR_FORMAT);
        tsvc_buf_dispose(&der);
        tsvc_buf_dispose(&pem);
        /* Refused activation: no request. */
        ap.refuse = 1;
        tsvc_csr_builder *b = NULL;
        assert_int_equal(tsvc_csr_builder_new(ctx, &b, NULL), TSVC_OK);
        assert_int_equal(tsvc_csr_builder_set_subject(b, "CN=x", NULL), TSVC_OK);
        assert_int_equal(tsvc_csr_builder_sign(b, key, TSVC_SIG_NONE, TSVC_HASH_NONE,
                                               TSVC_FORMAT_DER, &der, NULL),
                         TSVC_ERR_ACTIVATION_REFUSED);
        assert_null(der.data);
        tsvc_csr_builder_free(b);
        tsvc_key_free(key);
    }
    tsvc_ctx_free(ctx);
}

/* A request made by `openssl req` (tests/data/pkcs11/openssl-req.pem, see
 * the README there) parses, and its extensions come out. */
static void test_csr_openssl(void **state)
{
    (void)state;
    char path[4096];
    const char *src = getenv("TSVC_SOURCE_ROOT");
    snprintf(path, sizeof(path), "%s/tests/data/pkcs11/openssl-req.pem", src != NULL ? src : ".");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t buf[8192];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    tsvc_ctx *ctx = new_ctx();
    tsvc_csr *csr = NULL;
    tsvc_error *err = NULL;
    if (tsvc_csr_parse(ctx, &csr, buf, n, &err) != TSVC_OK)
        fail_msg("%s", tsvc_error_message(err));
    assert_int_equal(tsvc_csr_num_sans(csr), 2);
    assert_int_equal(tsvc_csr_num_ekus(csr), 1);
    uint32_t ku = 0;
    assert_int_equal(tsvc_csr_key_usage(csr, &ku), 1);
    assert_int_equal(ku, TSVC_KU_DIGITAL_SIGNATURE);
    tsvc_csr_free(csr);
    tsvc_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#if TSVC_HAVE_PKCS11
        cmocka_unit_test(test_uri_full),
        cmocka_unit_test(test_uri_malformed),
        cmocka_unit_test(test_uri_append),
#endif
        cmocka_unit_test(test_module_errors),
        cmocka_unit_test(test_activation_software),
        cmocka_unit_test(test_key_info_versions),
        cmocka_unit_test(test_csr_software),
        cmocka_unit_test(test_csr_openssl),
    };
    return cmocka_run_group_tests_name("pkcs11-unit", tests, NULL, NULL);
}
