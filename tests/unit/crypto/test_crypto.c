/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the crypto layer: hash known answers, sign/verify round
 * trips per algorithm and backend, key import/export (keys made by the
 * openssl command line, see data/README.md), rejected inputs, dispatch and
 * priorities, the backend table checks, algorithm identifiers and the
 * ECDSA raw <-> DER conversion.
 *
 * Usage: test-crypto [backend-name]. With a name, the per-backend tests
 * run only on that backend and the contexts have the others disabled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pthread.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"
#include "test_util.h"
#include "trustsvc/sys/backend.h"

static const char *g_only; /* backend restriction from argv[1], or NULL */

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static size_t unhex(const char *hex, uint8_t *out, size_t out_size)
{
    size_t n = strlen(hex) / 2;
    assert_true(n <= out_size);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static tsvc_ctx *new_ctx(void)
{
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    if (g_only != NULL) {
        for (size_t i = 0; i < tsvc_ctx_num_backends(ctx); i++) {
            const char *name = tsvc_ctx_backend_name(ctx, i);
            assert_int_equal(tsvc_ctx_set_backend_enabled(ctx, name, strcmp(name, g_only) == 0,
                                                          NULL),
                             TSVC_OK);
        }
    }
    return ctx;
}

static bool backend_selected(const tsvc_ctx *ctx, size_t i)
{
    return g_only == NULL || strcmp(tsvc_ctx_backend_name(ctx, i), g_only) == 0;
}

/* Makes backend @p i the highest-priority one. */
static void prefer(tsvc_ctx *ctx, size_t i)
{
    for (size_t j = 0; j < tsvc_ctx_num_backends(ctx); j++)
        assert_int_equal(tsvc_ctx_set_backend_priority(ctx, tsvc_ctx_backend_name(ctx, j),
                                                       j == i ? 1000 : 1, NULL),
                         TSVC_OK);
}

static uint8_t *read_data(const char *name, size_t *len)
{
    return tsvc_test_read_file("tests/unit/crypto/data", name, len);
}

/* PEM file -> DER bytes through our PEM decoder. */
static void pem_to_der(tsvc_ctx *ctx, const char *name, tsvc_buf *der)
{
    size_t len, pos = 0;
    uint8_t *pem = read_data(name, &len);
    bool found = false;
    char label[64];
    assert_int_equal(tsvc__pem_next(ctx, (const char *)pem, len, &pos, &found, label,
                                    sizeof(label), der, NULL),
                     TSVC_OK);
    free(pem);
}

static void tamper_check(tsvc_pubkey *pub, tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                         const uint8_t *msg, size_t msg_len, const tsvc_buf *sig)
{
    uint8_t *bad = malloc(sig->len);
    assert_non_null(bad);
    memcpy(bad, sig->data, sig->len);
    bad[sig->len / 2] ^= 0x01;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_pubkey_verify(pub, scheme, hash, msg, msg_len, bad, sig->len, &err),
                     TSVC_ERR_SIGNATURE_INVALID);
    assert_int_equal(tsvc_error_code(err), TSVC_ERR_SIGNATURE_INVALID);
    tsvc_error_free(err);
    /* Wrong message. */
    assert_int_equal(tsvc_pubkey_verify(pub, scheme, hash, msg, msg_len - 1, sig->data,
                                        sig->len, NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    /* Truncated signature. */
    assert_int_equal(tsvc_pubkey_verify(pub, scheme, hash, msg, msg_len, sig->data,
                                        sig->len - 1, NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    free(bad);
}

/* ------------------------------------------------------------------ */
/* hashing                                                             */
/* ------------------------------------------------------------------ */

typedef struct kat {
    tsvc_hash_alg alg;
    const char *msg;
    const char *hex;
} kat;

/* FIPS 180-2 appendix examples. */
static const kat kats[] = {
    {TSVC_HASH_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {TSVC_HASH_SHA224, "abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
    {TSVC_HASH_SHA256, "abc",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {TSVC_HASH_SHA384, "abc",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
     "8086072ba1e7cc2358baeca134c825a7"},
    {TSVC_HASH_SHA512, "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {TSVC_HASH_SHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {TSVC_HASH_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
};

static void hash_known_answers(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    size_t checked = 0;
    for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
        if (!backend_selected(ctx, b))
            continue;
        prefer(ctx, b);
        for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
            const kat *k = &kats[i];
            if (!tsvc_ctx_backend_supports(ctx, b, TSVC_OP_HASH, TSVC_KEY_NONE, TSVC_SIG_NONE,
                                           k->alg))
                continue;
            uint8_t want[64], got[64];
            size_t wl = unhex(k->hex, want, sizeof(want)), gl = 0;
            assert_int_equal(wl, tsvc_hash_size(k->alg));
            size_t ml = strlen(k->msg);
            assert_int_equal(tsvc_hash_oneshot(ctx, k->alg, k->msg, ml, got, sizeof(got), &gl,
                                               NULL),
                             TSVC_OK);
            assert_int_equal(gl, wl);
            assert_memory_equal(got, want, wl);
            /* Streaming, one byte at a time. */
            tsvc_hash *h = NULL;
            assert_int_equal(tsvc_hash_new(ctx, &h, k->alg, NULL), TSVC_OK);
            for (size_t j = 0; j < ml; j++)
                assert_int_equal(tsvc_hash_update(h, k->msg + j, 1, NULL), TSVC_OK);
            memset(got, 0, sizeof(got));
            assert_int_equal(tsvc_hash_final(h, got, sizeof(got), &gl, NULL), TSVC_OK);
            assert_memory_equal(got, want, wl);
            assert_int_equal(tsvc_hash_update(h, "x", 1, NULL), TSVC_ERR_STATE);
            tsvc_hash_free(h);
            checked++;
        }
    }
    assert_true(checked >= 3);
    uint8_t small[16];
    assert_int_equal(tsvc_hash_oneshot(ctx, TSVC_HASH_SHA256, "abc", 3, small, sizeof(small),
                                       NULL, NULL),
                     TSVC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(tsvc_hash_oneshot(ctx, TSVC_HASH_NONE, "abc", 3, small, sizeof(small),
                                       NULL, NULL),
                     TSVC_ERR_ALGORITHM);
    assert_int_equal(tsvc_hash_size(TSVC_HASH_SHA384), 48);
    assert_int_equal(tsvc_hash_max_size(), TSVC_HASH_MAX_SIZE);
    tsvc_hash_free(NULL);
    tsvc_ctx_free(ctx);
}

static void random_bytes(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    uint8_t a[64], b[64];
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    assert_int_equal(tsvc_random(ctx, a, sizeof(a), NULL), TSVC_OK);
    assert_int_equal(tsvc_random(ctx, b, sizeof(b), NULL), TSVC_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_int_equal(tsvc_random(ctx, NULL, 0, NULL), TSVC_OK);
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* sign / verify round trips                                           */
/* ------------------------------------------------------------------ */

typedef struct algo {
    tsvc_key_type type;
    unsigned bits;
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;
} algo;

static const algo algos[] = {
    {TSVC_KEY_ED25519, 0, TSVC_SIG_ED25519, TSVC_HASH_NONE},
    {TSVC_KEY_ECDSA_P256, 0, TSVC_SIG_ECDSA, TSVC_HASH_SHA256},
    {TSVC_KEY_ECDSA_P384, 0, TSVC_SIG_ECDSA, TSVC_HASH_SHA384},
    {TSVC_KEY_ECDSA_P521, 0, TSVC_SIG_ECDSA, TSVC_HASH_SHA512},
    {TSVC_KEY_ECDSA_P256, 0, TSVC_SIG_ECDSA, TSVC_HASH_SHA512},
    {TSVC_KEY_RSA, 2048, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256},
    {TSVC_KEY_RSA, 2048, TSVC_SIG_RSA_PSS, TSVC_HASH_SHA384},
};

static void roundtrip_one(tsvc_ctx *ctx, size_t b, const algo *a, tsvc_key *key)
{
    static const uint8_t msg[] = "to be signed, sealed and time-stamped";
    tsvc_buf sig = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_key_sign(key, &sig, a->scheme, a->hash, msg, sizeof(msg), &err);
    if (st != TSVC_OK)
        fail_msg("sign failed: %s", tsvc_error_message(err));
    tsvc_pubkey *pub = NULL;
    assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
    assert_int_equal(tsvc_pubkey_verify(pub, a->scheme, a->hash, msg, sizeof(msg), sig.data,
                                        sig.len, NULL),
                     TSVC_OK);
    if (a->scheme == TSVC_SIG_ECDSA)
        assert_int_equal(sig.data[0], 0x30); /* DER in the public API */
    /* Every backend that can verify agrees. */
    tsvc__sig_params p;
    memset(&p, 0, sizeof(p));
    p.scheme = a->scheme;
    p.hash = a->hash;
    if (a->scheme == TSVC_SIG_RSA_PSS) {
        p.mgf1_hash = a->hash;
        p.salt_len = (uint32_t)tsvc_hash_size(a->hash);
    }
    for (size_t j = 0; j < tsvc_ctx_num_backends(ctx); j++) {
        if (!tsvc_ctx_backend_supports(ctx, j, TSVC_OP_VERIFY, a->type, a->scheme, a->hash))
            continue;
        assert_int_equal(tsvc__verify_on_backend(ctx, j, pub, &p, msg, sizeof(msg), sig.data,
                                                 sig.len, NULL),
                         TSVC_OK);
    }
    /* Digest variants. */
    if (a->scheme != TSVC_SIG_ED25519) {
        uint8_t d[64];
        size_t dl = 0;
        assert_int_equal(tsvc_hash_oneshot(ctx, a->hash, msg, sizeof(msg), d, sizeof(d), &dl,
                                           NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_pubkey_verify_digest(pub, a->scheme, a->hash, d, dl, sig.data,
                                                   sig.len, NULL),
                         TSVC_OK);
        tsvc_buf sig2 = TSVC_BUF_INIT;
        assert_int_equal(tsvc_key_sign_digest(key, &sig2, a->scheme, a->hash, d, dl, NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_pubkey_verify(pub, a->scheme, a->hash, msg, sizeof(msg),
                                            sig2.data, sig2.len, NULL),
                         TSVC_OK);
        tsvc_buf_dispose(&sig2);
        assert_int_equal(tsvc_key_sign_digest(key, &sig2, a->scheme, a->hash, d, dl - 1, NULL),
                         TSVC_ERR_INVALID_ARG);
        assert_null(sig2.data);
    }
    tamper_check(pub, a->scheme, a->hash, msg, sizeof(msg), &sig);
    (void)b;
    tsvc_pubkey_free(pub);
    tsvc_buf_dispose(&sig);
}

static void sign_verify_round_trips(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    size_t done = 0;
    for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
        if (!backend_selected(ctx, b))
            continue;
        prefer(ctx, b);
        const char *bname = tsvc_ctx_backend_name(ctx, b);
        tsvc_key *rsa = NULL;
        for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
            const algo *a = &algos[i];
            if (!tsvc_ctx_backend_supports(ctx, b, TSVC_OP_KEYGEN, a->type, TSVC_SIG_NONE,
                                           TSVC_HASH_NONE) ||
                !tsvc_ctx_backend_supports(ctx, b, TSVC_OP_SIGN, a->type, a->scheme, a->hash))
                continue;
            tsvc_key *key = NULL;
            if (a->type == TSVC_KEY_RSA && rsa != NULL) {
                key = rsa;
            } else {
                tsvc_error *err = NULL;
                if (tsvc_key_generate(ctx, &key, a->type, a->bits, &err) != TSVC_OK)
                    fail_msg("keygen on %s: %s", bname, tsvc_error_message(err));
            }
            tsvc_key_info info = TSVC_KEY_INFO_INIT;
            assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
            assert_string_equal(info.backend, bname);
            assert_int_equal(info.type, a->type);
            assert_int_equal(info.storage, TSVC_STORAGE_SOFTWARE);
            roundtrip_one(ctx, b, a, key);
            done++;
            if (a->type == TSVC_KEY_RSA)
                rsa = key;
            else
                tsvc_key_free(key);
        }
        tsvc_key_free(rsa);
    }
    assert_true(done >= 1);
    tsvc_ctx_free(ctx);
}

/* Export to PKCS#8 (DER and PEM), import again, same public key and it signs. */
static void export_import_round_trip(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const tsvc_key_type types[] = {TSVC_KEY_ED25519, TSVC_KEY_ECDSA_P256,
                                          TSVC_KEY_ECDSA_P384, TSVC_KEY_ECDSA_P521};
    for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
        if (!backend_selected(ctx, b))
            continue;
        prefer(ctx, b);
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
            if (!tsvc_ctx_backend_supports(ctx, b, TSVC_OP_KEYGEN, types[i], TSVC_SIG_NONE,
                                           TSVC_HASH_NONE))
                continue;
            tsvc_key *key = NULL, *back = NULL;
            assert_int_equal(tsvc_key_generate(ctx, &key, types[i], 0, NULL), TSVC_OK);
            for (int fmt = 0; fmt < 2; fmt++) {
                tsvc_buf out = TSVC_BUF_INIT;
                tsvc_error *err = NULL;
                if (tsvc_key_export(key, &out, (tsvc_key_format)fmt, &err) != TSVC_OK)
                    fail_msg("export: %s", tsvc_error_message(err));
                if (tsvc_key_import(ctx, &back, out.data, out.len, &err) != TSVC_OK)
                    fail_msg("import: %s", tsvc_error_message(err));
                assert_true(tsvc__pubkey_equal(key->pub, back->pub));
                tsvc_key_free(back);
                back = NULL;
                tsvc_buf_dispose(&out);
            }
            /* Public key: DER and PEM. */
            tsvc_pubkey *pub = NULL, *pub2 = NULL;
            assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
            for (int fmt = 0; fmt < 2; fmt++) {
                tsvc_buf out = TSVC_BUF_INIT;
                assert_int_equal(tsvc_pubkey_export(pub, &out, (tsvc_key_format)fmt, NULL),
                                 TSVC_OK);
                assert_int_equal(tsvc_pubkey_import(ctx, &pub2, out.data, out.len, NULL),
                                 TSVC_OK);
                assert_true(tsvc__pubkey_equal(pub, pub2));
                assert_int_equal(tsvc_pubkey_type(pub2), types[i]);
                tsvc_pubkey_free(pub2);
                tsvc_buf_dispose(&out);
            }
            assert_ptr_equal(tsvc_pubkey_ref(pub), pub);
            tsvc_pubkey_free(pub);
            tsvc_pubkey_free(pub);
            tsvc_key_free(key);
        }
    }
    tsvc_key_free(NULL);
    tsvc_pubkey_free(NULL);
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* keys made by openssl (data/README.md)                               */
/* ------------------------------------------------------------------ */

typedef struct ossl_case {
    const char *key, *pub, *sig;
    tsvc_key_type type;
    unsigned bits;
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;
} ossl_case;

static const ossl_case ossl_cases[] = {
    {"ed25519.pem", "ed25519-pub.pem", "msg.ed25519.sig", TSVC_KEY_ED25519, 256,
     TSVC_SIG_ED25519, TSVC_HASH_NONE},
    {"p256.pem", "p256-pub.pem", "msg.p256.sha256.sig", TSVC_KEY_ECDSA_P256, 256,
     TSVC_SIG_ECDSA, TSVC_HASH_SHA256},
    {"p256-legacy.pem", "p256-pub.pem", "msg.p256.sha256.sig", TSVC_KEY_ECDSA_P256, 256,
     TSVC_SIG_ECDSA, TSVC_HASH_SHA256},
    {"p384.pem", NULL, "msg.p384.sha384.sig", TSVC_KEY_ECDSA_P384, 384, TSVC_SIG_ECDSA,
     TSVC_HASH_SHA384},
    {"rsa2048.pem", "rsa2048-pub.pem", "msg.rsa2048.sha256.sig", TSVC_KEY_RSA, 2048,
     TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256},
    {"rsa2048-legacy.pem", "rsa2048-pub.pem", "msg.rsa2048.pss.sha256.sig", TSVC_KEY_RSA, 2048,
     TSVC_SIG_RSA_PSS, TSVC_HASH_SHA256},
};

static bool have_openssl(void)
{
    return system("command -v openssl >/dev/null 2>&1") == 0;
}

/* Optional interop: openssl verifies our signature (only if openssl exists). */
static void openssl_verifies(const ossl_case *c, const tsvc_buf *sig)
{
    if (c->pub == NULL || !have_openssl())
        return;
    char tmpl[] = "/tmp/tsvc-sig-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, sig->data, sig->len), (ssize_t)sig->len);
    close(fd);
    const char *root = getenv("TSVC_SOURCE_ROOT");
    char cmd[16384], dir[2048];
    snprintf(dir, sizeof(dir), "%s/tests/unit/crypto/data", root ? root : ".");
    if (c->scheme == TSVC_SIG_ED25519)
        snprintf(cmd, sizeof(cmd),
                 "openssl pkeyutl -verify -pubin -inkey %s/%s -rawin -in %s/msg.txt "
                 "-sigfile %s >/dev/null 2>&1",
                 dir, c->pub, dir, tmpl);
    else if (c->scheme == TSVC_SIG_RSA_PSS)
        snprintf(cmd, sizeof(cmd),
                 "openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 "
                 "-verify %s/%s -signature %s %s/msg.txt >/dev/null 2>&1",
                 dir, c->pub, tmpl, dir);
    else
        snprintf(cmd, sizeof(cmd),
                 "openssl dgst -%s -verify %s/%s -signature %s %s/msg.txt >/dev/null 2>&1",
                 c->hash == TSVC_HASH_SHA384 ? "sha384" : "sha256", dir, c->pub, tmpl, dir);
    int rc = system(cmd);
    unlink(tmpl);
    assert_int_equal(rc, 0);
}

static void openssl_keys(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    size_t msg_len;
    uint8_t *msg = read_data("msg.txt", &msg_len);
    for (size_t i = 0; i < sizeof(ossl_cases) / sizeof(ossl_cases[0]); i++) {
        const ossl_case *c = &ossl_cases[i];
        size_t len;
        uint8_t *pem = read_data(c->key, &len);
        tsvc_key *key = NULL;
        tsvc_error *err = NULL;
        tsvc_status st = tsvc_key_import(ctx, &key, pem, len, &err);
        free(pem);
        if (st == TSVC_ERR_NO_BACKEND) { /* e.g. ECDSA with libsodium only */
            tsvc_error_free(err);
            continue;
        }
        if (st != TSVC_OK)
            fail_msg("%s: %s", c->key, tsvc_error_message(err));
        tsvc_key_info info = TSVC_KEY_INFO_INIT;
        assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
        assert_int_equal(info.type, c->type);
        assert_int_equal(info.bits, c->bits);
        tsvc_pubkey *pub = NULL;
        assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
        if (c->pub != NULL) {
            uint8_t *pp = read_data(c->pub, &len);
            tsvc_pubkey *file_pub = NULL;
            assert_int_equal(tsvc_pubkey_import(ctx, &file_pub, pp, len, NULL), TSVC_OK);
            assert_true(tsvc__pubkey_equal(pub, file_pub));
            tsvc_pubkey_free(file_pub);
            free(pp);
        }
        /* openssl's signature verifies with our code. */
        size_t sl;
        uint8_t *osig = read_data(c->sig, &sl);
        assert_int_equal(tsvc_pubkey_verify(pub, c->scheme, c->hash, msg, msg_len, osig, sl,
                                            NULL),
                         TSVC_OK);
        free(osig);
        /* Our signature verifies with our code, and with openssl if present. */
        tsvc_buf sig = TSVC_BUF_INIT;
        assert_int_equal(tsvc_key_sign(key, &sig, c->scheme, c->hash, msg, msg_len, NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_pubkey_verify(pub, c->scheme, c->hash, msg, msg_len, sig.data,
                                            sig.len, NULL),
                         TSVC_OK);
        openssl_verifies(c, &sig);
        tsvc_buf_dispose(&sig);
        tsvc_pubkey_free(pub);
        tsvc_key_free(key);
    }
    free(msg);
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* rejected inputs                                                     */
/* ------------------------------------------------------------------ */

static void import_rejects(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    size_t len;
    uint8_t *data;
    tsvc_key *key = NULL;
    tsvc_pubkey *pub = NULL;
    tsvc_error *err = NULL;

    /* Explicit curve parameters, private and public. */
    data = read_data("p256-explicit.pem", &len);
    assert_int_equal(tsvc_key_import(ctx, &key, data, len, &err), TSVC_ERR_KEY_FORMAT);
    assert_string_equal(tsvc_error_check(err), "crypto.ec.explicit_params");
    tsvc_error_free(err);
    err = NULL;
    assert_null(key);
    free(data);
    data = read_data("p256-explicit-pub.pem", &len);
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, data, len, NULL), TSVC_ERR_KEY_FORMAT);
    assert_null(pub);
    free(data);

    /* A point off the curve: the last byte of y changed. */
    tsvc_buf der = TSVC_BUF_INIT;
    pem_to_der(ctx, "p256-pub.pem", &der);
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, der.data, der.len, NULL), TSVC_OK);
    tsvc_pubkey_free(pub);
    pub = NULL;
    der.data[der.len - 1] ^= 0x01;
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, der.data, der.len, &err),
                     TSVC_ERR_KEY_FORMAT);
    assert_string_equal(tsvc_error_check(err), "crypto.ec.point");
    tsvc_error_free(err);
    err = NULL;
    /* Compressed point (02 prefix). */
    der.data[der.len - 65] = 0x02;
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, der.data, der.len, NULL),
                     TSVC_ERR_KEY_FORMAT);
    tsvc_buf_dispose(&der);

    /* Truncated PKCS#8, at every length. */
    pem_to_der(ctx, "p256.pem", &der);
    for (size_t cut = 1; cut < der.len; cut++) {
        assert_int_not_equal(tsvc_key_import(ctx, &key, der.data, cut, NULL), TSVC_OK);
        assert_null(key);
    }
    /* Trailing garbage. */
    uint8_t *longer = malloc(der.len + 1);
    memcpy(longer, der.data, der.len);
    longer[der.len] = 0;
    assert_int_not_equal(tsvc_key_import(ctx, &key, longer, der.len + 1, NULL), TSVC_OK);
    free(longer);
    tsvc_buf_dispose(&der);

    /* A public key where a private key is expected, and the reverse. */
    data = read_data("p256-pub.pem", &len);
    assert_int_equal(tsvc_key_import(ctx, &key, data, len, NULL), TSVC_ERR_KEY_FORMAT);
    free(data);
    data = read_data("p256.pem", &len);
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, data, len, NULL), TSVC_ERR_KEY_FORMAT);
    free(data);

    /* Ed25519 SPKI with parameters, and with a 31-byte key. */
    static const uint8_t ed_params[] = {0x30, 0x2c, 0x30, 0x07, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                        0x05, 0x00, 0x03, 0x21, 0x00, 1,    2,    3,    4,
                                        5,    6,    7,    8,    9,    10,   11,   12,   13,
                                        14,   15,   16,   17,   18,   19,   20,   21,   22,
                                        23,   24,   25,   26,   27,   28,   29,   30,   31,
                                        32};
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, ed_params, sizeof(ed_params), NULL),
                     TSVC_ERR_KEY_FORMAT);
    static const uint8_t ed_short[] = {0x30, 0x29, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                       0x03, 0x20, 0x00, 1,    2,    3,    4,    5,    6,
                                       7,    8,    9,    10,   11,   12,   13,   14,   15,
                                       16,   17,   18,   19,   20,   21,   22,   23,   24,
                                       25,   26,   27,   28,   29,   30,   31};
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, ed_short, sizeof(ed_short), NULL),
                     TSVC_ERR_KEY_FORMAT);
    assert_null(pub);
    tsvc_ctx_free(ctx);
}

/* Writes a DER header with a minimal length. */
static uint8_t *put_hdr(uint8_t *o, uint8_t tag, size_t len)
{
    *o++ = tag;
    if (len < 0x80) {
        *o++ = (uint8_t)len;
    } else if (len < 0x100) {
        *o++ = 0x81;
        *o++ = (uint8_t)len;
    } else {
        *o++ = 0x82;
        *o++ = (uint8_t)(len >> 8);
        *o++ = (uint8_t)len;
    }
    return o;
}

static size_t hdr_len(size_t len)
{
    return len < 0x80 ? 2 : len < 0x100 ? 3 : 4;
}

/* An RSA SPKI whose modulus has @p bytes bytes (top byte 0x80, odd). */
static uint8_t *rsa_spki(size_t bytes, size_t *out_len)
{
    static const uint8_t alg[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                  0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    size_t int_len = bytes + 1; /* leading 00 */
    size_t seq_len = hdr_len(int_len) + int_len + 5;
    size_t bit_len = 1 + hdr_len(seq_len) + seq_len;
    size_t body = sizeof(alg) + hdr_len(bit_len) + bit_len;
    size_t total = hdr_len(body) + body;
    uint8_t *p = malloc(total), *o = p;
    o = put_hdr(o, 0x30, body);
    memcpy(o, alg, sizeof(alg));
    o += sizeof(alg);
    o = put_hdr(o, 0x03, bit_len);
    *o++ = 0x00;
    o = put_hdr(o, 0x30, seq_len);
    o = put_hdr(o, 0x02, int_len);
    *o++ = 0x00;
    *o++ = 0x80;
    memset(o, 0x5a, bytes - 2);
    o += bytes - 2;
    *o++ = 0x01;
    *o++ = 0x02, *o++ = 0x03, *o++ = 0x01, *o++ = 0x00, *o++ = 0x01;
    assert_int_equal((size_t)(o - p), total);
    *out_len = total;
    return p;
}

static void rsa_size_limits(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    size_t len;
    tsvc_pubkey *pub = NULL;
    uint8_t *spki = rsa_spki(2048, &len); /* 16384 bits: accepted */
    assert_int_equal(tsvc__pubkey_from_spki(ctx, spki, len, &pub, NULL), TSVC_OK);
    assert_int_equal(tsvc_pubkey_bits(pub), 16384);
    tsvc_pubkey_free(pub);
    pub = NULL;
    free(spki);
    spki = rsa_spki(2049, &len); /* 16392 bits: refused */
    assert_int_equal(tsvc__pubkey_from_spki(ctx, spki, len, &pub, NULL), TSVC_ERR_KEY_SIZE);
    assert_null(pub);
    free(spki);
    spki = rsa_spki(32, &len); /* 256 bits: refused */
    assert_int_equal(tsvc__pubkey_from_spki(ctx, spki, len, &pub, NULL), TSVC_ERR_KEY_SIZE);
    free(spki);

    tsvc_key *key = NULL;
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_RSA, 1024, &err), TSVC_ERR_KEY_SIZE);
    assert_int_equal(tsvc_error_code(err), TSVC_ERR_KEY_SIZE);
    tsvc_error_free(err);
    assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_RSA, 8192, NULL), TSVC_ERR_KEY_SIZE);
    assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_RSA, 2047, NULL), TSVC_ERR_KEY_SIZE);
    assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ECDSA_P256, 384, NULL),
                     TSVC_ERR_KEY_SIZE);
    assert_null(key);
    tsvc_ctx_free(ctx);
}

static void signing_policy(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const uint8_t msg[] = "m";
    tsvc_buf sig = TSVC_BUF_INIT;
    tsvc_key *ed = NULL, *ec = NULL;
    assert_int_equal(tsvc_key_generate(ctx, &ed, TSVC_KEY_ED25519, 0, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_sign(ed, &sig, TSVC_SIG_ED25519, TSVC_HASH_SHA256, msg, 1, NULL),
                     TSVC_ERR_ALGORITHM);
    assert_int_equal(tsvc_key_sign(ed, &sig, TSVC_SIG_ECDSA, TSVC_HASH_SHA256, msg, 1, NULL),
                     TSVC_ERR_KEY_MISMATCH);
    uint8_t d[32] = {0};
    assert_int_equal(tsvc_key_sign_digest(ed, &sig, TSVC_SIG_ED25519, TSVC_HASH_NONE, d, 32,
                                          NULL),
                     TSVC_ERR_ALGORITHM);
    tsvc_key_info info;
    tsvc_key_info_init(&info);
    info.version = 99;
    assert_int_equal(tsvc_key_get_info(ed, &info), TSVC_ERR_BAD_VERSION);
    tsvc_key_free(ed);
    if (tsvc_key_generate(ctx, &ec, TSVC_KEY_ECDSA_P256, 0, NULL) == TSVC_OK) {
        tsvc_error *err = NULL;
        assert_int_equal(tsvc_key_sign(ec, &sig, TSVC_SIG_ECDSA, TSVC_HASH_SHA1, msg, 1, &err),
                         TSVC_ERR_ALGORITHM);
        assert_string_equal(tsvc_error_check(err), "crypto.sig.hash_policy");
        tsvc_error_free(err);
        assert_int_equal(tsvc_key_sign(ec, &sig, TSVC_SIG_ECDSA, TSVC_HASH_SHA224, msg, 1,
                                       NULL),
                         TSVC_ERR_ALGORITHM);
        assert_int_equal(tsvc_key_sign(ec, &sig, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256, msg, 1,
                                       NULL),
                         TSVC_ERR_KEY_MISMATCH);
        /* SHA-1 is still accepted for verification (of a SHA-256 signature it fails). */
        assert_int_equal(tsvc_key_sign(ec, &sig, TSVC_SIG_ECDSA, TSVC_HASH_SHA256, msg, 1, NULL),
                         TSVC_OK);
        tsvc_pubkey *pub = NULL;
        assert_int_equal(tsvc_key_get_public(ec, &pub, NULL), TSVC_OK);
        assert_int_equal(tsvc_pubkey_verify(pub, TSVC_SIG_ECDSA, TSVC_HASH_SHA1, msg, 1,
                                            sig.data, sig.len, NULL),
                         TSVC_ERR_SIGNATURE_INVALID);
        tsvc_pubkey_free(pub);
        tsvc_buf_dispose(&sig);
        tsvc_key_free(ec);
    }
    assert_null(sig.data);
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* dispatch, priorities, backend table checks                          */
/* ------------------------------------------------------------------ */

static size_t index_of(const tsvc_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < tsvc_ctx_num_backends(ctx); i++)
        if (strcmp(tsvc_ctx_backend_name(ctx, i), name) == 0)
            return i;
    return SIZE_MAX;
}

static void dispatch_and_priorities(void **state)
{
    (void)state;
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    assert_true(tsvc_ctx_num_backends(ctx) >= 1);
    assert_null(tsvc_ctx_backend_name(ctx, 99));
    size_t sd = index_of(ctx, "sodium"), wf = index_of(ctx, "wolfssl");
    tsvc_key *key = NULL;
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    if (sd != SIZE_MAX) {
        assert_true(tsvc_ctx_backend_supports(ctx, sd, TSVC_OP_SIGN, TSVC_KEY_ED25519,
                                              TSVC_SIG_ED25519, TSVC_HASH_NONE));
        assert_false(tsvc_ctx_backend_supports(ctx, sd, TSVC_OP_KEYGEN, TSVC_KEY_RSA,
                                               TSVC_SIG_NONE, TSVC_HASH_NONE));
        assert_false(tsvc_ctx_backend_supports(ctx, sd, TSVC_OP_HASH, TSVC_KEY_NONE,
                                               TSVC_SIG_NONE, TSVC_HASH_SHA384));
    }
    if (wf != SIZE_MAX)
        assert_true(tsvc_ctx_backend_supports(ctx, wf, TSVC_OP_VERIFY, TSVC_KEY_RSA,
                                              TSVC_SIG_RSA_PSS, TSVC_HASH_SHA256));
    size_t os = index_of(ctx, "openssl");
    if (os != SIZE_MAX) {
        /* OpenSSL, when built, has the highest default priority and does
         * everything; the checks below are about the others, without it. */
        for (size_t i = 0; i < tsvc_ctx_num_backends(ctx); i++)
            if (i != os)
                assert_true(tsvc_ctx_backend_priority(ctx, os) >
                            tsvc_ctx_backend_priority(ctx, i));
        static const tsvc_key_type all[] = {TSVC_KEY_ED25519, TSVC_KEY_ECDSA_P256};
        for (size_t i = 0; i < 2; i++) {
            assert_int_equal(tsvc_key_generate(ctx, &key, all[i], 0, NULL), TSVC_OK);
            assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
            assert_string_equal(info.backend, "openssl");
            tsvc_key_free(key);
            key = NULL;
        }
        assert_true(tsvc_ctx_backend_supports(ctx, os, TSVC_OP_VERIFY, TSVC_KEY_RSA,
                                              TSVC_SIG_RSA_PSS, TSVC_HASH_SHA224));
        assert_true(tsvc_ctx_backend_supports(ctx, os, TSVC_OP_HASH, TSVC_KEY_NONE,
                                              TSVC_SIG_NONE, TSVC_HASH_SHA1));
        assert_int_equal(tsvc_ctx_set_backend_enabled(ctx, "openssl", 0, NULL), TSVC_OK);
    }
    if (sd != SIZE_MAX && wf != SIZE_MAX) {
        /* Default: libsodium above wolfSSL for Ed25519. */
        assert_true(tsvc_ctx_backend_priority(ctx, sd) > tsvc_ctx_backend_priority(ctx, wf));
        assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ED25519, 0, NULL), TSVC_OK);
        assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
        assert_string_equal(info.backend, "sodium");
        tsvc_key_free(key);
        /* Raise wolfSSL: new keys go there. */
        assert_int_equal(tsvc_ctx_set_backend_priority(ctx, "wolfssl", 100, NULL), TSVC_OK);
        assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ED25519, 0, NULL), TSVC_OK);
        assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
        assert_string_equal(info.backend, "wolfssl");
        /* The key keeps its backend when priorities change again. */
        assert_int_equal(tsvc_ctx_set_backend_priority(ctx, "wolfssl", 1, NULL), TSVC_OK);
        tsvc_buf sig = TSVC_BUF_INIT;
        assert_int_equal(tsvc_key_sign(key, &sig, TSVC_SIG_ED25519, TSVC_HASH_NONE,
                                       (const uint8_t *)"x", 1, NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
        assert_string_equal(info.backend, "wolfssl");
        tsvc_pubkey *pub = NULL;
        assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
        assert_int_equal(tsvc_pubkey_verify(pub, TSVC_SIG_ED25519, TSVC_HASH_NONE,
                                            (const uint8_t *)"x", 1, sig.data, sig.len, NULL),
                         TSVC_OK);
        tsvc_pubkey_free(pub);
        tsvc_buf_dispose(&sig);
        tsvc_key_free(key);
        key = NULL;
        /* ECDSA only on wolfSSL, whatever the priorities; disabled -> no backend. */
        assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ECDSA_P256, 0, NULL), TSVC_OK);
        assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
        assert_string_equal(info.backend, "wolfssl");
        tsvc_key_free(key);
        key = NULL;
        assert_int_equal(tsvc_ctx_set_backend_enabled(ctx, "wolfssl", 0, NULL), TSVC_OK);
        assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ECDSA_P256, 0, NULL),
                         TSVC_ERR_NO_BACKEND);
        uint8_t out[48];
        assert_int_equal(tsvc_hash_oneshot(ctx, TSVC_HASH_SHA384, "abc", 3, out, sizeof(out),
                                           NULL, NULL),
                         TSVC_ERR_NO_BACKEND);
        assert_int_equal(tsvc_ctx_set_backend_enabled(ctx, "wolfssl", 1, NULL), TSVC_OK);
    }
    assert_int_equal(tsvc_ctx_set_backend_priority(ctx, "nonesuch", 1, NULL),
                     TSVC_ERR_NO_BACKEND);
    assert_int_equal(tsvc_ctx_set_backend_priority(ctx, NULL, 1, NULL), TSVC_ERR_INVALID_ARG);
    tsvc_ctx_free(ctx);
    tsvc_ctx_free(NULL);
}

static int fake_random_calls;

static int fake_supports(void *st, tsvc_crypto_op op, tsvc_key_type type,
                         tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    (void)st, (void)type, (void)scheme, (void)hash;
    return op == TSVC_OP_RANDOM;
}

static tsvc_status fake_random(void *st, uint8_t *out, size_t len)
{
    (void)st;
    fake_random_calls++;
    memset(out, 0xab, len);
    return TSVC_OK;
}

static void fake_backend_table_checks(void **state)
{
    (void)state;
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    size_t n0 = tsvc_ctx_num_backends(ctx);
    tsvc_backend fake;
    memset(&fake, 0, sizeof(fake));
    fake.version = TSVC_BACKEND_VERSION;
    fake.struct_size = sizeof(fake);
    fake.name = "fake";
    fake.supports = fake_supports;
    fake.random = fake_random;
    tsvc_error *err = NULL;

    /* Too small a table. */
    fake.struct_size = tsvc_backend_min_size() - 1;
    assert_int_equal(tsvc_ctx_add_backend(ctx, &fake, 500, &err), TSVC_ERR_BACKEND_VERSION);
    assert_int_equal(tsvc_error_code(err), TSVC_ERR_BACKEND_VERSION);
    tsvc_error_free(err);
    err = NULL;
    /* A newer table version than the library knows. */
    fake.struct_size = sizeof(fake);
    fake.version = TSVC_BACKEND_VERSION + 1;
    assert_int_equal(tsvc_ctx_add_backend(ctx, &fake, 500, NULL), TSVC_ERR_BACKEND_VERSION);
    fake.version = TSVC_BACKEND_VERSION;
    /* No name / no capability query. */
    fake.name = NULL;
    assert_int_equal(tsvc_ctx_add_backend(ctx, &fake, 500, NULL), TSVC_ERR_BACKEND_VERSION);
    fake.name = "fake";
    assert_int_equal(tsvc_ctx_num_backends(ctx), n0);

    /* A table that ends at `supports`: it registers, but its random method,
     * beyond struct_size, is never called. */
    tsvc_backend short_fake = fake;
    short_fake.name = "short-fake";
    short_fake.struct_size = tsvc_backend_min_size();
    assert_int_equal(tsvc_ctx_add_backend(ctx, &short_fake, 500, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_num_backends(ctx), n0 + 1);
    assert_false(tsvc_ctx_backend_supports(ctx, n0, TSVC_OP_RANDOM, TSVC_KEY_NONE,
                                           TSVC_SIG_NONE, TSVC_HASH_NONE));
    uint8_t buf[16];
    fake_random_calls = 0;
    assert_int_equal(tsvc_random(ctx, buf, sizeof(buf), NULL), TSVC_OK);
    assert_int_equal(fake_random_calls, 0);

    /* The full table wins the random generator by priority. */
    assert_int_equal(tsvc_ctx_add_backend(ctx, &fake, 500, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_add_backend(ctx, &fake, 500, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_random(ctx, buf, sizeof(buf), NULL), TSVC_OK);
    assert_int_equal(fake_random_calls, 1);
    assert_int_equal(buf[0], 0xab);
    /* Lower it: a built-in backend serves again. */
    assert_int_equal(tsvc_ctx_set_backend_priority(ctx, "fake", -5, NULL), TSVC_OK);
    assert_int_equal(tsvc_random(ctx, buf, sizeof(buf), NULL), TSVC_OK);
    assert_int_equal(fake_random_calls, 1);
    /* It cannot generate keys: the built-ins still do. */
    tsvc_key *key = NULL;
    assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ED25519, 0, NULL), TSVC_OK);
    tsvc_key_free(key);
    assert_int_equal(tsvc_backend_version(), TSVC_BACKEND_VERSION);
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* algorithm identifiers and curves                                    */
/* ------------------------------------------------------------------ */

static void sigalg_check(const char *hex, tsvc_status want, tsvc__sig_params *out)
{
    uint8_t buf[256];
    size_t n = unhex(hex, buf, sizeof(buf));
    tsvc__cbs c;
    tsvc__cbs_init(&c, buf, n);
    assert_int_equal(tsvc__sigalg_parse(&c, out, NULL), want);
}

static void algorithm_identifiers(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    tsvc__sig_params p;
    /* sha256WithRSAEncryption: NULL and absent parameters. */
    sigalg_check("300d06092a864886f70d01010b0500", TSVC_OK, &p);
    assert_int_equal(p.scheme, TSVC_SIG_RSA_PKCS1);
    assert_int_equal(p.hash, TSVC_HASH_SHA256);
    sigalg_check("300b06092a864886f70d01010b", TSVC_OK, &p);
    sigalg_check("300d06092a864886f70d0101050500", TSVC_OK, &p);
    assert_int_equal(p.hash, TSVC_HASH_SHA1);
    /* RSA with other parameters. */
    sigalg_check("300e06092a864886f70d01010b020100", TSVC_ERR_ALGORITHM, &p);
    /* ecdsa-with-SHA384; with NULL parameters refused. */
    sigalg_check("300a06082a8648ce3d040303", TSVC_OK, &p);
    assert_int_equal(p.scheme, TSVC_SIG_ECDSA);
    assert_int_equal(p.hash, TSVC_HASH_SHA384);
    sigalg_check("300c06082a8648ce3d0403030500", TSVC_ERR_ALGORITHM, &p);
    sigalg_check("300906072a8648ce3d0401", TSVC_OK, &p);
    assert_int_equal(p.hash, TSVC_HASH_SHA1);
    /* Ed25519; with parameters refused. */
    sigalg_check("300506032b6570", TSVC_OK, &p);
    assert_int_equal(p.scheme, TSVC_SIG_ED25519);
    sigalg_check("300706032b65700500", TSVC_ERR_ALGORITHM, &p);
    /* RSASSA-PSS SHA-256, MGF1 SHA-256, salt 32. */
    sigalg_check("304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a"
                 "06092a864886f70d010108300d06096086480165030402010500a203020120",
                 TSVC_OK, &p);
    assert_int_equal(p.scheme, TSVC_SIG_RSA_PSS);
    assert_int_equal(p.hash, TSVC_HASH_SHA256);
    assert_int_equal(p.mgf1_hash, TSVC_HASH_SHA256);
    assert_int_equal(p.salt_len, 32);
    /* Defaults (empty parameters): SHA-1, MGF1-SHA-1, 20. */
    sigalg_check("300d06092a864886f70d01010a3000", TSVC_OK, &p);
    assert_int_equal(p.hash, TSVC_HASH_SHA1);
    assert_int_equal(p.salt_len, 20);
    /* trailerField 2 refused; missing parameters refused. */
    sigalg_check("301206092a864886f70d01010a3005a303020102", TSVC_ERR_ALGORITHM, &p);
    sigalg_check("300b06092a864886f70d01010a", TSVC_ERR_ALGORITHM, &p);
    /* Unknown OID (md5WithRSAEncryption). */
    sigalg_check("300d06092a864886f70d0101040500", TSVC_ERR_ALGORITHM, &p);

    /* Encode -> parse round trips; RSA written with NULL. */
    tsvc__sig_params all[] = {
        {TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256, TSVC_HASH_NONE, 0},
        {TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA512, TSVC_HASH_NONE, 0},
        {TSVC_SIG_RSA_PSS, TSVC_HASH_SHA384, TSVC_HASH_SHA384, 48},
        {TSVC_SIG_ECDSA, TSVC_HASH_SHA256, TSVC_HASH_NONE, 0},
        {TSVC_SIG_ED25519, TSVC_HASH_NONE, TSVC_HASH_NONE, 0},
    };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        tsvc__cbb cbb;
        tsvc_buf out = TSVC_BUF_INIT;
        tsvc__cbb_init(&cbb, ctx);
        tsvc__sigalg_encode(&cbb, &all[i]);
        assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
        if (all[i].scheme == TSVC_SIG_RSA_PKCS1)
            assert_memory_equal(out.data + out.len - 2, "\x05\x00", 2);
        tsvc__cbs c;
        tsvc__cbs_init(&c, out.data, out.len);
        assert_int_equal(tsvc__sigalg_parse(&c, &p, NULL), TSVC_OK);
        assert_int_equal(p.scheme, all[i].scheme);
        assert_int_equal(p.hash, all[i].hash);
        assert_int_equal(p.mgf1_hash, all[i].mgf1_hash);
        assert_int_equal(p.salt_len, all[i].salt_len);
        tsvc_buf_dispose(&out);
    }
    /* Hash AlgorithmIdentifiers: absent when written, NULL accepted. */
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__hash_alg_encode(&cbb, TSVC_HASH_SHA512);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    uint8_t want[32];
    size_t wl = unhex("300b0609608648016503040203", want, sizeof(want));
    assert_int_equal(out.len, wl);
    assert_memory_equal(out.data, want, wl);
    tsvc_buf_dispose(&out);
    uint8_t nul[32];
    size_t nl = unhex("300d06096086480165030402010500", nul, sizeof(nul));
    tsvc__cbs c;
    tsvc__cbs_init(&c, nul, nl);
    tsvc_hash_alg h;
    assert_int_equal(tsvc__hash_alg_parse(&c, &h, NULL), TSVC_OK);
    assert_int_equal(h, TSVC_HASH_SHA256);
    size_t ol;
    assert_non_null(tsvc__hash_oid(TSVC_HASH_SHA384, &ol));
    assert_int_equal(ol, 9);
    assert_null(tsvc__hash_oid(TSVC_HASH_NONE, &ol));
    tsvc__sig_params d;
    assert_int_equal(tsvc__sig_params_default(TSVC_KEY_ECDSA_P384, &d), TSVC_OK);
    assert_int_equal(d.hash, TSVC_HASH_SHA384);
    assert_int_equal(tsvc__sig_params_default(TSVC_KEY_RSA, &d), TSVC_OK);
    assert_int_equal(d.scheme, TSVC_SIG_RSA_PKCS1);
    tsvc_ctx_free(ctx);
}

/* The generators of the three NIST curves (FIPS 186-4, D.1.2). */
static const struct {
    tsvc_key_type type;
    const char *gx, *gy;
} gens[] = {
    {TSVC_KEY_ECDSA_P256, "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
     "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"},
    {TSVC_KEY_ECDSA_P384,
     "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38"
     "5502f25dbf55296c3a545e3872760ab7",
     "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0"
     "0a60b1ce1d7e819d7a431d7c90ea0e5f"},
    {TSVC_KEY_ECDSA_P521,
     "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d"
     "3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
     "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e"
     "662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650"},
};

/* The generator of gens[i] as an uncompressed point; returns its length. */
static size_t generator_point(size_t i, uint8_t pt[1 + 2 * 66])
{
    pt[0] = 0x04;
    size_t xl = unhex(gens[i].gx, pt + 1, 66);
    size_t yl = unhex(gens[i].gy, pt + 1 + xl, 66);
    assert_int_equal(xl, yl);
    return 1 + xl + yl;
}

/* The generators of the three curves are on their curves (this checks the
 * curve constants of ec.c); a neighbour point is not. */
static void curve_points(void **state)
{
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        uint8_t pt[1 + 2 * 66];
        size_t xl = (generator_point(i, pt) - 1) / 2, yl = xl;
        assert_true(tsvc__crypto_ec_point_valid(gens[i].type, pt, 1 + xl + yl));
        pt[xl + yl] ^= 1;
        assert_false(tsvc__crypto_ec_point_valid(gens[i].type, pt, 1 + xl + yl));
        pt[xl + yl] ^= 1;
        pt[0] = 0x02;
        assert_false(tsvc__crypto_ec_point_valid(gens[i].type, pt, 1 + xl + yl));
    }
    /* The point at infinity and x = p are refused. */
    uint8_t zero[65] = {0x04};
    assert_false(tsvc__crypto_ec_point_valid(TSVC_KEY_ECDSA_P256, zero, sizeof(zero)));
    /* (0, sqrt(b)) is on P-256; the same point written with x = p is not
     * a valid encoding, nor is y + p. */
    uint8_t pt[65];
    pt[0] = 0x04;
    unhex("0000000000000000000000000000000000000000000000000000000000000000"
          "66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4",
          pt + 1, 64);
    assert_true(tsvc__crypto_ec_point_valid(TSVC_KEY_ECDSA_P256, pt, sizeof(pt)));
    unhex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", pt + 1, 32);
    assert_false(tsvc__crypto_ec_point_valid(TSVC_KEY_ECDSA_P256, pt, sizeof(pt)));
    /* Wrong length, NULL, and a type that is not a NIST curve. */
    assert_false(tsvc__crypto_ec_point_valid(TSVC_KEY_ECDSA_P256, pt, sizeof(pt) - 1));
    assert_false(tsvc__crypto_ec_point_valid(TSVC_KEY_ECDSA_P256, NULL, sizeof(pt)));
    assert_false(tsvc__crypto_ec_point_valid(TSVC_KEY_ED25519, pt, 33));
}

/*
 * Backends that refuse an EC point off its curve by themselves at import.
 * The wolfSSL backend does not (wc_ecc_import_x963_ex takes the point as
 * it is): it relies on the SPKI parser's check (ec.c), which every public
 * key passes before any backend sees it (import_rejects, run with each
 * backend alone).
 */
static bool backend_checks_points(const char *name)
{
    return strcmp(name, "openssl") == 0;
}

/*
 * The backends that check EC points by themselves refuse a point that is
 * not on its curve (the backends are called directly here, without the
 * SPKI parser), also when they import into a recycled handle (the OpenSSL
 * backend keeps released EC public-key handles for the next import): a
 * valid point is imported and released before each refused one, and after
 * it a valid point is still imported.
 */
static void backend_refuses_off_curve_point(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    size_t tested = 0;
    for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
        const tsvc__backend_slot *slot = &ctx->backends[b];
        if (!backend_selected(ctx, b) || !backend_checks_points(slot->ops->name) ||
            !TSVC__BACKEND_HAS(slot->ops, pubkey_import) ||
            !TSVC__BACKEND_HAS(slot->ops, pubkey_free))
            continue;
        for (size_t i = 0; i < 3; i++) {
            if (!tsvc_ctx_backend_supports(ctx, b, TSVC_OP_VERIFY, gens[i].type, TSVC_SIG_ECDSA,
                                           TSVC_HASH_SHA256))
                continue;
            uint8_t pt[1 + 2 * 66];
            size_t len = generator_point(i, pt);
            tsvc_key_part part = {TSVC_PART_EC_POINT, pt, len};
            for (int round = 0; round < 3; round++) {
                void *h = NULL;
                assert_int_equal(slot->ops->pubkey_import(slot->state, gens[i].type, &part, 1, &h),
                                 TSVC_OK);
                slot->ops->pubkey_free(slot->state, h);
                h = NULL;
                pt[len - 1] ^= 0x01; /* y + 1 or y - 1: off the curve */
                tsvc_status st = slot->ops->pubkey_import(slot->state, gens[i].type, &part, 1, &h);
                if (st == TSVC_OK) {
                    slot->ops->pubkey_free(slot->state, h);
                    fail_msg("backend %s took an off-curve point (curve %zu, round %d)",
                             slot->ops->name, i, round);
                }
                pt[len - 1] ^= 0x01;
            }
            void *h = NULL;
            assert_int_equal(slot->ops->pubkey_import(slot->state, gens[i].type, &part, 1, &h),
                             TSVC_OK);
            slot->ops->pubkey_free(slot->state, h);
            tested++;
        }
    }
    if (tested == 0) {
        tsvc_ctx_free(ctx);
        print_message("no backend of this run checks EC points at import: skipped\n");
        skip();
    }
    tsvc_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* ECDSA raw <-> DER, bytes written by hand                            */
/* ------------------------------------------------------------------ */

static void raw_der_case(const char *raw_hex, size_t coord, const char *der_hex)
{
    uint8_t raw[2 * 66], der[200], back[2 * 66];
    size_t rl = unhex(raw_hex, raw, sizeof(raw));
    size_t dl = unhex(der_hex, der, sizeof(der));
    assert_int_equal(rl, 2 * coord);
    tsvc_buf out = TSVC_BUF_INIT;
    assert_int_equal(tsvc__ecdsa_raw_to_der(NULL, raw, rl, coord, &out), TSVC_OK);
    assert_int_equal(out.len, dl);
    assert_memory_equal(out.data, der, dl);
    tsvc_buf_dispose(&out);
    assert_int_equal(tsvc__ecdsa_der_to_raw(der, dl, coord, back, sizeof(back)), TSVC_OK);
    assert_memory_equal(back, raw, rl);
}

static void ecdsa_raw_der(void **state)
{
    (void)state;
    /* High bit set in r: 33-byte INTEGER with a leading 00; s = 1. */
    raw_der_case("8000000000000000000000000000000000000000000000000000000000000000"
                 "0000000000000000000000000000000000000000000000000000000000000001",
                 32,
                 "3026"
                 "022100" "80000000000000000000000000000000"
                 "00000000000000000000000000000000"
                 "020101");
    /* Leading zeros stripped from r; s keeps one 00 for its high bit. */
    raw_der_case("00000005" "00800001", 4, "3009" "020105" "020400800001");
    /* Zero is a single 00 octet. */
    raw_der_case("00000000" "7fffffff", 4, "3009" "020100" "02047fffffff");
    /* Both halves with the high bit set. */
    raw_der_case("ff000001" "80000000", 4, "300e" "020500ff000001" "02050080000000");
    /* P-521 size: the SEQUENCE needs a long-form length (0x81 0x88). */
    {
        uint8_t raw[132], back[132];
        for (size_t i = 0; i < 132; i++)
            raw[i] = (i % 66 == 0) ? 0x01 : 0xff;
        tsvc_buf out = TSVC_BUF_INIT;
        assert_int_equal(tsvc__ecdsa_raw_to_der(NULL, raw, 132, 66, &out), TSVC_OK);
        assert_int_equal(out.len, 139);
        assert_memory_equal(out.data, "\x30\x81\x88\x02\x42\x01\xff", 7);
        assert_int_equal(tsvc__ecdsa_der_to_raw(out.data, out.len, 66, back, sizeof(back)),
                         TSVC_OK);
        assert_memory_equal(back, raw, 132);
        tsvc_buf_dispose(&out);
    }
    /* Rejected encodings. */
    static const char *bad[] = {
        ("3009" "02020005" "020400800001"), /* non-minimal r */
        ("3008" "020185" "020400800001"),   /* negative r */
        ("300a" "020105" "020400800001" "00"), /* trailing byte inside */
        ("3009" "020105" "020400800001" "00"), /* trailing byte outside */
        ("308109" "020105" "020400800001"), /* long-form length below 128 */
        ("3109" "020105" "020400800001"),   /* SET, not SEQUENCE */
        ("300a" "020105" "02050100000000"), /* s longer than the coordinate */
        ("3005" "020105" "0200"),           /* empty INTEGER */
        ("3003" "020105"),                  /* s missing */
        "",
    };
    uint8_t raw[8];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t der[32];
        size_t dl = unhex(bad[i], der, sizeof(der));
        assert_int_equal(tsvc__ecdsa_der_to_raw(der, dl, 4, raw, sizeof(raw)),
                         TSVC_ERR_SIGNATURE_INVALID);
    }
    /* Wrong sizes given by the caller. */
    tsvc_buf out = TSVC_BUF_INIT;
    assert_int_equal(tsvc__ecdsa_raw_to_der(NULL, raw, 7, 4, &out), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc__ecdsa_der_to_raw((const uint8_t *)"\x30\x00", 2, 4, raw, 7),
                     TSVC_ERR_INVALID_ARG);
}

/* Regressions from Wycheproof: Ed25519 signatures with S >= L (ed25519_test
 * tcId 85) and RSA signatures not reduced mod n (rsa_signature_* tcId 244)
 * were accepted by wolfCrypt 5.5.4; the crypto layer now refuses them for
 * every backend. */
static void malleable_signatures_refused(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const uint8_t msg[] = "malleable";
    static const uint8_t order[32] = {
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
        0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
    tsvc_key *key = NULL;
    tsvc_pubkey *pub = NULL;
    tsvc_buf sig = TSVC_BUF_INIT;
    assert_int_equal(tsvc_key_generate(ctx, &key, TSVC_KEY_ED25519, 0, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_sign(key, &sig, TSVC_SIG_ED25519, TSVC_HASH_NONE, msg,
                                   sizeof(msg), NULL),
                     TSVC_OK);
    /* S + L, little-endian. */
    unsigned carry = 0;
    for (size_t i = 0; i < 32; i++) {
        unsigned v = sig.data[32 + i] + order[i] + carry;
        sig.data[32 + i] = (uint8_t)v;
        carry = v >> 8;
    }
    assert_int_equal(carry, 0);
    tsvc__sig_params p = {TSVC_SIG_ED25519, TSVC_HASH_NONE, TSVC_HASH_NONE, 0};
    for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
        if (!tsvc_ctx_backend_supports(ctx, b, TSVC_OP_VERIFY, TSVC_KEY_ED25519,
                                       TSVC_SIG_ED25519, TSVC_HASH_NONE))
            continue;
        assert_int_equal(tsvc__verify_on_backend(ctx, b, pub, &p, msg, sizeof(msg), sig.data,
                                                 sig.len, NULL),
                         TSVC_ERR_SIGNATURE_INVALID);
    }
    tsvc_buf_dispose(&sig);
    tsvc_pubkey_free(pub);
    pub = NULL;
    tsvc_key_free(key);

    /* RSA: a signature equal to n, and one above n. */
    if (tsvc__crypto_pick(ctx, TSVC_OP_VERIFY, TSVC_KEY_RSA, TSVC_SIG_RSA_PSS,
                          TSVC_HASH_SHA256) == NULL) {
        tsvc_ctx_free(ctx);
        return;
    }
    tsvc_buf der = TSVC_BUF_INIT;
    pem_to_der(ctx, "rsa2048-pub.pem", &der);
    assert_int_equal(tsvc_pubkey_import(ctx, &pub, der.data, der.len, NULL), TSVC_OK);
    size_t nl = 0;
    const uint8_t *bits = tsvc__pubkey_bits(pub, &nl);
    /* RSAPublicKey: 30 82 01 0a 02 82 01 01 00 <256 bytes of n> ... */
    assert_true(nl > 9 + 256);
    uint8_t bad[256];
    memcpy(bad, bits + 9, 256);
    assert_int_equal(tsvc_pubkey_verify(pub, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256, msg,
                                        sizeof(msg), bad, sizeof(bad), NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    memset(bad, 0xff, sizeof(bad));
    assert_int_equal(tsvc_pubkey_verify(pub, TSVC_SIG_RSA_PSS, TSVC_HASH_SHA256, msg,
                                        sizeof(msg), bad, sizeof(bad), NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    tsvc_pubkey_free(pub);
    tsvc_buf_dispose(&der);
    tsvc_ctx_free(ctx);
}

/* Every allocation of keys, public keys, hashes, buffers and backend states
 * goes through the context's allocator and is released. */
static size_t g_allocs, g_frees;

static void *count_alloc(void *opaque, size_t size)
{
    (void)opaque;
    g_allocs++;
    return malloc(size);
}

static void count_free(void *opaque, void *ptr)
{
    (void)opaque;
    if (ptr != NULL)
        g_frees++;
    free(ptr);
}

/* A context whose allocations are counted (g_allocs and g_frees reset). */
static tsvc_ctx *new_counting_ctx(void)
{
    static const tsvc_allocator a = {count_alloc, count_free, NULL};
    g_allocs = g_frees = 0;
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, &a, NULL), TSVC_OK);
    return ctx;
}

/* Generates a key of @p type (false if no backend can) and signs "abc" with it. */
static bool key_and_signature(tsvc_ctx *ctx, tsvc_key_type type, tsvc_key **key,
                              tsvc__sig_params *p, tsvc_buf *sig)
{
    if (tsvc_key_generate(ctx, key, type, 0, NULL) != TSVC_OK)
        return false;
    assert_int_equal(tsvc__sig_params_default(type, p), TSVC_OK);
    assert_int_equal(tsvc__sign(*key, p, (const uint8_t *)"abc", 3, sig, NULL), TSVC_OK);
    return true;
}

static void context_allocator_is_used(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_counting_ctx();
    static const tsvc_key_type types[] = {TSVC_KEY_ED25519, TSVC_KEY_ECDSA_P384};
    for (size_t i = 0; i < 2; i++) {
        tsvc_key *key = NULL;
        tsvc__sig_params p;
        tsvc_buf sig = TSVC_BUF_INIT, pkcs8 = TSVC_BUF_INIT;
        if (!key_and_signature(ctx, types[i], &key, &p, &sig))
            continue;
        tsvc_pubkey *pub = NULL;
        assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
        assert_int_equal(tsvc__verify(ctx, pub, &p, (const uint8_t *)"abc", 3, sig.data,
                                      sig.len, NULL),
                         TSVC_OK);
        assert_int_equal(tsvc_key_export(key, &pkcs8, TSVC_FORMAT_PEM, NULL), TSVC_OK);
        tsvc_key *back = NULL;
        assert_int_equal(tsvc_key_import(ctx, &back, pkcs8.data, pkcs8.len, NULL), TSVC_OK);
        tsvc_key_free(back);
        tsvc_buf_dispose(&pkcs8);
        tsvc_buf_dispose(&sig);
        tsvc_pubkey_free(pub);
        tsvc_key_free(key);
    }
    tsvc_hash *h = NULL;
    assert_int_equal(tsvc_hash_new(ctx, &h, TSVC_HASH_SHA256, NULL), TSVC_OK);
    tsvc_hash_free(h);
    assert_true(g_allocs > 0);
    tsvc_ctx_free(ctx);
    assert_int_equal(g_allocs, g_frees);
}

/* A public key makes its backend handle on its first verification and
 * keeps it: verifying with it leaves no allocation behind beyond that handle
 * (allocation-failure tests of the layers above rely on that), and the
 * handle is released with the key. */
static void verify_keeps_allocations_balanced(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_counting_ctx();
    static const tsvc_key_type types[] = {TSVC_KEY_ECDSA_P256, TSVC_KEY_ED25519};
    for (size_t i = 0; i < 2; i++) {
        tsvc_key *key = NULL;
        tsvc__sig_params p;
        tsvc_buf sig = TSVC_BUF_INIT, spki = TSVC_BUF_INIT;
        if (!key_and_signature(ctx, types[i], &key, &p, &sig))
            continue;
        tsvc_pubkey *pub = NULL, *pub2 = NULL;
        assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
        assert_int_equal(tsvc_pubkey_export(pub, &spki, TSVC_FORMAT_DER, NULL), TSVC_OK);
        assert_int_equal(tsvc_pubkey_import(ctx, &pub2, spki.data, spki.len, NULL), TSVC_OK);
        /* The first verification makes the key's own handle. */
        assert_int_equal(tsvc__verify(ctx, pub2, &p, (const uint8_t *)"abc", 3, sig.data,
                                      sig.len, NULL),
                         TSVC_OK);
        size_t live = g_allocs - g_frees;
        for (int n = 0; n < 3; n++) {
            assert_int_equal(tsvc__verify(ctx, pub2, &p, (const uint8_t *)"abc", 3, sig.data,
                                          sig.len, NULL),
                             TSVC_OK);
            assert_int_equal(tsvc__verify(ctx, pub2, &p, (const uint8_t *)"abd", 3, sig.data,
                                          sig.len, NULL),
                             TSVC_ERR_SIGNATURE_INVALID);
            /* On every backend that can, also the ones that did not make the handle. */
            for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++)
                if (tsvc_ctx_backend_supports(ctx, b, TSVC_OP_VERIFY, types[i], p.scheme,
                                              p.hash))
                    assert_int_equal(tsvc__verify_on_backend(ctx, b, pub2, &p,
                                                             (const uint8_t *)"abc", 3,
                                                             sig.data, sig.len, NULL),
                                     TSVC_OK);
            assert_int_equal(g_allocs - g_frees, live);
        }
        tsvc_pubkey_free(pub2);
        tsvc_pubkey_free(pub);
        tsvc_buf_dispose(&spki);
        tsvc_buf_dispose(&sig);
        tsvc_key_free(key);
    }
    tsvc_ctx_free(ctx);
    assert_int_equal(g_allocs, g_frees);
}

/* Two keys of one type, their signatures of "abc" and their SPKIs. */
typedef struct key_pair_job {
    tsvc_ctx *ctx;
    size_t backend;
    tsvc_key *key[2];
    tsvc__sig_params p;
    tsvc_buf sig[2], spki[2];
    int rounds;
    int failures;
} key_pair_job;

static bool key_pair_init(key_pair_job *j, tsvc_ctx *ctx, tsvc_key_type type)
{
    memset(j, 0, sizeof(*j));
    j->ctx = ctx;
    if (!key_and_signature(ctx, type, &j->key[0], &j->p, &j->sig[0]))
        return false;
    assert_true(key_and_signature(ctx, type, &j->key[1], &j->p, &j->sig[1]));
    for (int k = 0; k < 2; k++)
        assert_int_equal(tsvc_pubkey_export(j->key[k]->pub, &j->spki[k], TSVC_FORMAT_DER, NULL),
                         TSVC_OK);
    return true;
}

static void key_pair_free(key_pair_job *j)
{
    for (int k = 0; k < 2; k++) {
        tsvc_buf_dispose(&j->spki[k]);
        tsvc_buf_dispose(&j->sig[k]);
        tsvc_key_free(j->key[k]);
    }
}

/* Imports the two public keys in turn on j->ctx, each verifying (twice, on
 * j->backend) its own signature and refusing the other's; counts failures. */
static void *key_pair_turns(void *arg)
{
    key_pair_job *j = arg;
    for (int n = 0; n < j->rounds; n++) {
        int k = n % 2;
        tsvc_pubkey *pub = NULL;
        if (tsvc_pubkey_import(j->ctx, &pub, j->spki[k].data, j->spki[k].len, NULL) != TSVC_OK) {
            j->failures++;
            continue;
        }
        for (int twice = 0; twice < 2; twice++) {
            if (tsvc__verify_on_backend(j->ctx, j->backend, pub, &j->p, (const uint8_t *)"abc",
                                        3, j->sig[k].data, j->sig[k].len, NULL) != TSVC_OK ||
                tsvc__verify_on_backend(j->ctx, j->backend, pub, &j->p, (const uint8_t *)"abc",
                                        3, j->sig[1 - k].data, j->sig[1 - k].len,
                                        NULL) != TSVC_ERR_SIGNATURE_INVALID)
                j->failures++;
        }
        tsvc_pubkey_free(pub);
    }
    return NULL;
}

/*
 * Public keys imported, used and released one after the other on each
 * backend (the OpenSSL backend gives a released EC handle to the next
 * import), first by one thread, then by four at once on the same context:
 * each verifies its own signature and refuses the other key's.
 */
static void pubkey_handles_reused_in_turn(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const tsvc_key_type types[] = {TSVC_KEY_ECDSA_P256, TSVC_KEY_ECDSA_P384};
    size_t tested = 0;
    for (size_t t = 0; t < 2; t++) {
        key_pair_job base;
        if (!key_pair_init(&base, ctx, types[t]))
            continue;
        for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
            if (!backend_selected(ctx, b) ||
                !tsvc_ctx_backend_supports(ctx, b, TSVC_OP_VERIFY, types[t], base.p.scheme,
                                           base.p.hash))
                continue;
            base.backend = b;
            base.rounds = 6;
            base.failures = 0;
            key_pair_turns(&base);
            assert_int_equal(base.failures, 0);
            key_pair_job jobs[4];
            pthread_t th[4];
            for (int i = 0; i < 4; i++) {
                jobs[i] = base;
                jobs[i].rounds = 10;
                assert_int_equal(pthread_create(&th[i], NULL, key_pair_turns, &jobs[i]), 0);
            }
            for (int i = 0; i < 4; i++) {
                pthread_join(th[i], NULL);
                assert_int_equal(jobs[i].failures, 0);
            }
            tested++;
        }
        key_pair_free(&base);
    }
    tsvc_ctx_free(ctx);
    if (tested == 0) {
        print_message("no backend of this run makes and verifies ECDSA keys: skipped\n");
        skip();
    }
}

/* One key and one public key used by several threads at once. */
typedef struct thread_job {
    const tsvc_key *key;
    const tsvc_pubkey *pub;
    tsvc__sig_params p;
    int failures;
} thread_job;

static void *sign_loop(void *arg)
{
    thread_job *job = arg;
    for (int i = 0; i < 25; i++) {
        uint8_t msg[8] = {(uint8_t)i, 1, 2, 3, 4, 5, 6, 7};
        tsvc_buf sig = TSVC_BUF_INIT;
        if (tsvc__sign(job->key, &job->p, msg, sizeof(msg), &sig, NULL) != TSVC_OK ||
            tsvc__verify(NULL, job->pub, &job->p, msg, sizeof(msg), sig.data, sig.len, NULL) !=
                TSVC_OK)
            job->failures++;
        tsvc_buf_dispose(&sig);
    }
    return NULL;
}

static void shared_key_across_threads(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    static const tsvc_key_type types[] = {TSVC_KEY_ED25519, TSVC_KEY_ECDSA_P256};
    for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
        if (!backend_selected(ctx, b))
            continue;
        prefer(ctx, b);
        for (size_t t = 0; t < 2; t++) {
            if (!tsvc_ctx_backend_supports(ctx, b, TSVC_OP_KEYGEN, types[t], TSVC_SIG_NONE,
                                           TSVC_HASH_NONE))
                continue;
            tsvc_key *key = NULL;
            tsvc_pubkey *pub = NULL;
            assert_int_equal(tsvc_key_generate(ctx, &key, types[t], 0, NULL), TSVC_OK);
            assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
            thread_job jobs[4];
            pthread_t th[4];
            for (int i = 0; i < 4; i++) {
                jobs[i].key = key;
                jobs[i].pub = pub;
                jobs[i].failures = 0;
                assert_int_equal(tsvc__sig_params_default(types[t], &jobs[i].p), TSVC_OK);
                assert_int_equal(pthread_create(&th[i], NULL, sign_loop, &jobs[i]), 0);
            }
            for (int i = 0; i < 4; i++) {
                pthread_join(th[i], NULL);
                assert_int_equal(jobs[i].failures, 0);
            }
            tsvc_pubkey_free(pub);
            tsvc_key_free(key);
        }
    }
    tsvc_ctx_free(ctx);
}

/* OneAsymmetricKey (PKCS#8 v2) with attributes and a public key: the
 * example of RFC 8410 section 10.3. The public key must match the seed. */
static void pkcs8_v2_public_key_checked(void **state)
{
    (void)state;
    static const char pem[] =
        "-----BEGIN PRIVATE KEY-----\n"
        "MHICAQEwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
        "oB8wHQYKKoZIhvcNAQkJFDEPDA1DdXJkbGUgQ2hhaXJzgSEAGb9ECWmEzf6FQbrB\n"
        "Z9w7lshQhqowtrbLDFw4rXAxZuE=\n"
        "-----END PRIVATE KEY-----\n";
    tsvc_ctx *ctx = new_ctx();
    tsvc_key *key = NULL;
    tsvc_error *err = NULL;
    if (tsvc_key_import(ctx, &key, (const uint8_t *)pem, sizeof(pem) - 1, &err) != TSVC_OK)
        fail_msg("RFC 8410 key: %s", tsvc_error_message(err));
    tsvc_pubkey *pub = NULL;
    assert_int_equal(tsvc_key_get_public(key, &pub, NULL), TSVC_OK);
    uint8_t want[32];
    unhex("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1", want, 32);
    size_t bl;
    const uint8_t *bits = tsvc__pubkey_bits(pub, &bl);
    assert_int_equal(bl, 32);
    assert_memory_equal(bits, want, 32);
    tsvc_pubkey_free(pub);
    tsvc_key_free(key);
    key = NULL;

    /* The same with the public key's last byte changed. */
    tsvc_buf der = TSVC_BUF_INIT;
    size_t pos = 0;
    bool found;
    char label[32];
    assert_int_equal(tsvc__pem_next(ctx, pem, sizeof(pem) - 1, &pos, &found, label,
                                    sizeof(label), &der, NULL),
                     TSVC_OK);
    der.data[der.len - 1] ^= 0x01;
    assert_int_equal(tsvc_key_import(ctx, &key, der.data, der.len, NULL), TSVC_ERR_KEY_MISMATCH);
    assert_null(key);
    tsvc_buf_dispose(&der);

    /* EC: a PKCS#8 carrying another key's (valid) public point. */
    tsvc_key *a = NULL, *b = NULL;
    if (tsvc_key_generate(ctx, &a, TSVC_KEY_ECDSA_P256, 0, NULL) == TSVC_OK) {
        assert_int_equal(tsvc_key_generate(ctx, &b, TSVC_KEY_ECDSA_P256, 0, NULL), TSVC_OK);
        tsvc_buf da = TSVC_BUF_INIT, db = TSVC_BUF_INIT;
        assert_int_equal(tsvc_key_export(a, &da, TSVC_FORMAT_DER, NULL), TSVC_OK);
        assert_int_equal(tsvc_key_export(b, &db, TSVC_FORMAT_DER, NULL), TSVC_OK);
        assert_int_equal(da.len, db.len);
        /* Our export ends with [1] { BIT STRING { 00 04 X Y } }. */
        memcpy(da.data + da.len - 65, db.data + db.len - 65, 65);
        assert_int_equal(tsvc_key_import(ctx, &key, da.data, da.len, NULL),
                         TSVC_ERR_KEY_MISMATCH);
        tsvc_buf_dispose(&da);
        tsvc_buf_dispose(&db);
        tsvc_key_free(a);
        tsvc_key_free(b);
    }
    tsvc_ctx_free(ctx);
}

/* `openssl ecparam -genkey` output: an "EC PARAMETERS" block, then the
 * legacy "EC PRIVATE KEY". And an RSA key whose CRT parts do not fit. */
static void legacy_pem_forms(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx();
    size_t len;
    uint8_t *legacy = read_data("p256-legacy.pem", &len);
    static const char params[] = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
                                 "-----END EC PARAMETERS-----\n";
    uint8_t *both = malloc(sizeof(params) - 1 + len);
    memcpy(both, params, sizeof(params) - 1);
    memcpy(both + sizeof(params) - 1, legacy, len);
    tsvc_key *key = NULL;
    tsvc_status st = tsvc_key_import(ctx, &key, both, sizeof(params) - 1 + len, NULL);
    assert_true(st == TSVC_OK || st == TSVC_ERR_NO_BACKEND);
    if (st == TSVC_OK) {
        tsvc_key_info info = TSVC_KEY_INFO_INIT;
        assert_int_equal(tsvc_key_get_info(key, &info), TSVC_OK);
        assert_int_equal(info.type, TSVC_KEY_ECDSA_P256);
    }
    tsvc_key_free(key);
    key = NULL;
    free(both);
    free(legacy);

    /* RSA PKCS#8 with one CRT exponent changed. */
    tsvc_buf der = TSVC_BUF_INIT;
    pem_to_der(ctx, "rsa2048.pem", &der);
    st = tsvc_key_import(ctx, &key, der.data, der.len, NULL);
    if (st == TSVC_OK) {
        tsvc_key_free(key);
        key = NULL;
        /* qinv is the last INTEGER: change its last byte. */
        der.data[der.len - 1] ^= 0x01;
        assert_int_equal(tsvc_key_import(ctx, &key, der.data, der.len, NULL),
                         TSVC_ERR_KEY_FORMAT);
        assert_null(key);
    }
    tsvc_buf_dispose(&der);
    tsvc_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_only = argv[1];
    assert_int_equal(tsvc_init(), TSVC_OK);
    assert_int_equal(tsvc_init(), TSVC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_known_answers),
        cmocka_unit_test(random_bytes),
        cmocka_unit_test(sign_verify_round_trips),
        cmocka_unit_test(export_import_round_trip),
        cmocka_unit_test(openssl_keys),
        cmocka_unit_test(import_rejects),
        cmocka_unit_test(rsa_size_limits),
        cmocka_unit_test(signing_policy),
        cmocka_unit_test(dispatch_and_priorities),
        cmocka_unit_test(fake_backend_table_checks),
        cmocka_unit_test(algorithm_identifiers),
        cmocka_unit_test(curve_points),
        cmocka_unit_test(backend_refuses_off_curve_point),
        cmocka_unit_test(pubkey_handles_reused_in_turn),
        cmocka_unit_test(ecdsa_raw_der),
        cmocka_unit_test(malleable_signatures_refused),
        cmocka_unit_test(context_allocator_is_used),
        cmocka_unit_test(verify_keeps_allocations_balanced),
        cmocka_unit_test(shared_key_across_threads),
        cmocka_unit_test(pkcs8_v2_public_key_checked),
        cmocka_unit_test(legacy_pem_forms),
    };
    char name[64];
    snprintf(name, sizeof(name), "crypto%s%s", g_only ? "-" : "", g_only ? g_only : "");
    return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
