/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of signature activation, signing evidence and key requirements
 * in the CAdES signer and the e-seal sealer, with software keys: the
 * activation callback sees the signer's label and the digest of the signed
 * attributes, its evidence string comes back in the signer's evidence; a
 * refusal is TSVC_ERR_ACTIVATION_REFUSED with nothing written; requirements
 * that demand an HSM key refuse a software key with TSVC_ERR_KEY_ASSURANCE.
 * Test data: tests/data/cms (see its README).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trustsvc/algpolicy.h"
#include "trustsvc/crypto.h"
#include "trustsvc/seal.h"
#include "trustsvc/sign.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"
#include "trustsvc/verify.h"
#include "trustsvc/x509.h"

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

static tsvc_ctx *g_ctx;
static tsvc_store *g_store;
static tsvc_policy *g_policy;
static int64_t g_when;

enum { C_ROOT, C_CA, C_RSA, C_EC, C_ED, C_SEAL, NUM_CERTS };
static const char *const cert_files[NUM_CERTS] = {"root.pem",      "ca.pem",
                                                  "signer-rsa.pem", "signer-ec.pem",
                                                  "signer-ed.pem", "seal.pem"};
static tsvc_cert *g_cert[NUM_CERTS];
enum { K_RSA, K_EC, K_ED, K_SEAL, NUM_KEYS };
static const char *const key_files[NUM_KEYS] = {"signer-rsa.key", "signer-ec.key",
                                                "signer-ed.key", "seal.key"};
static tsvc_key *g_key[NUM_KEYS];

static const char content[] = "libtrustsvc activation and evidence test content\n";
#define CONTENT content, sizeof(content) - 1

static uint8_t *load(const char *name, size_t *len)
{
    const char *root = getenv("TSVC_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/cms/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n > 0 ? malloc((size_t)n) : NULL;
    if (b == NULL || fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int setup(void **state)
{
    (void)state;
    if (tsvc_ctx_new(&g_ctx, NULL, NULL) != TSVC_OK)
        return -1;
    for (int i = 0; i < NUM_CERTS; i++) {
        size_t n = 0;
        uint8_t *b = load(cert_files[i], &n);
        if (b == NULL || tsvc_cert_parse(g_ctx, &g_cert[i], b, n, NULL) != TSVC_OK) {
            fprintf(stderr, "cannot load %s\n", cert_files[i]);
            free(b);
            return -1;
        }
        free(b);
    }
    for (int i = 0; i < NUM_KEYS; i++) {
        size_t n = 0;
        uint8_t *b = load(key_files[i], &n);
        if (b == NULL || tsvc_key_import(g_ctx, &g_key[i], b, n, NULL) != TSVC_OK) {
            fprintf(stderr, "cannot load %s\n", key_files[i]);
            free(b);
            return -1;
        }
        free(b);
    }
    if (tsvc_store_new(g_ctx, &g_store, NULL) != TSVC_OK ||
        tsvc_store_add_anchor(g_store, g_cert[C_ROOT], NULL) != TSVC_OK)
        return -1;
    g_when = tsvc_cert_not_before(g_cert[C_RSA]) + 86400;
    if (tsvc_policy_new(g_ctx, &g_policy, NULL) != TSVC_OK ||
        tsvc_policy_set_time(g_policy, g_when, NULL) != TSVC_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < NUM_CERTS; i++)
        tsvc_cert_free(g_cert[i]);
    for (int i = 0; i < NUM_KEYS; i++)
        tsvc_key_free(g_key[i]);
    tsvc_store_free(g_store);
    tsvc_policy_free(g_policy);
    tsvc_ctx_free(g_ctx);
    return 0;
}

/* Clears every key's activation callback after each test. */
static int reset_keys(void **state)
{
    (void)state;
    for (int i = 0; i < NUM_KEYS; i++)
        if (tsvc_key_set_activation(g_key[i], NULL, NULL) != TSVC_OK)
            return -1;
    return 0;
}

/* What the activation callback saw, and what it answers. */
typedef struct approver {
    int calls;
    int refuse;             /* non-zero: refuse with this status */
    const char *evidence;   /* attached when approving (NULL: none) */
    char label[128];
    uint8_t digest[TSVC_HASH_MAX_SIZE];
    size_t digest_len;
    tsvc_hash_alg hash;
    tsvc_sig_scheme scheme;
    size_t msg_len;
    const tsvc_key *key;
} approver;

static tsvc_status approve_cb(void *opaque, tsvc_activation_request *req)
{
    approver *a = opaque;
    a->calls++;
    snprintf(a->label, sizeof(a->label), "%s", tsvc_activation_request_label(req));
    size_t dl = 0;
    const uint8_t *d = tsvc_activation_request_digest(req, &dl);
    a->digest_len = 0;
    if (d != NULL && dl <= sizeof(a->digest)) {
        memcpy(a->digest, d, dl);
        a->digest_len = dl;
    }
    a->hash = tsvc_activation_request_hash(req);
    a->scheme = tsvc_activation_request_scheme(req);
    a->msg_len = 0;
    (void)tsvc_activation_request_message(req, &a->msg_len);
    a->key = tsvc_activation_request_key(req);
    if (a->refuse != 0)
        return (tsvc_status)a->refuse;
    if (a->evidence != NULL)
        return tsvc_activation_request_set_evidence(req, a->evidence);
    return TSVC_OK;
}

static tsvc_signer *new_signer(int key, int cert)
{
    tsvc_signer *s = NULL;
    tsvc_error *e = NULL;
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    o.signing_time = g_when;
    if (tsvc_signer_new(g_ctx, &s, g_key[key], g_cert[cert], &o, &e) != TSVC_OK)
        fail_msg("signer_new: %s", tsvc_error_message(e));
    assert_int_equal(tsvc_signer_add_cert(s, g_cert[C_CA], NULL), TSVC_OK);
    return s;
}

static void expect_verifies(const tsvc_buf *cms, const tsvc_verify_options *vo)
{
    tsvc_sig_report *r = NULL;
    tsvc_error *e = NULL;
    if (tsvc_verify(g_ctx, &r, cms->data, cms->len, NULL, 0, g_store, g_policy, vo, &e) !=
        TSVC_OK)
        fail_msg("verify: %s", tsvc_error_message(e));
    if (tsvc_sig_report_indication(r) != TSVC_INDICATION_PASSED)
        fail_msg("not passed: %s", tsvc_sig_report_reason(r));
    tsvc_sig_report_free(r);
}

static char *evidence_json(const tsvc_signer *s)
{
    tsvc_buf js = TSVC_BUF_INIT;
    const tsvc_sign_evidence *ev = tsvc_signer_evidence(s);
    assert_non_null(ev);
    assert_int_equal(tsvc_sign_evidence_to_json(ev, &js, NULL), TSVC_OK);
    char *copy = malloc(js.len + 1);
    assert_non_null(copy);
    memcpy(copy, js.data, js.len);
    copy[js.len] = '\0';
    tsvc_buf_dispose(&js);
    return copy;
}

/* ------------------------------------------------------------------ */
/* Activation approves                                                 */
/* ------------------------------------------------------------------ */

/* The callback sees the label and the SHA-256 of the signed attributes;
 * its evidence comes back with the signer. */
static void test_activation_approves_with_label(void **state)
{
    (void)state;
    approver a = {0};
    a.evidence = "otp ok user=alice 2026-11-22T01:00:00Z";
    assert_int_equal(tsvc_key_set_activation(g_key[K_RSA], approve_cb, &a), TSVC_OK);
    tsvc_signer *s = new_signer(K_RSA, C_RSA);
    assert_int_equal(tsvc_signer_set_label(s, "contract 2026-0042", NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    /* The bytes the signature covers, to check the digest shown. */
    tsvc_buf tbs = TSVC_BUF_INIT, cms = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_data_to_sign(s, &tbs, NULL), TSVC_OK);
    uint8_t md[TSVC_HASH_MAX_SIZE];
    size_t mdl = 0;
    assert_int_equal(tsvc_hash_oneshot(g_ctx, TSVC_HASH_SHA256, tbs.data, tbs.len, md,
                                       sizeof(md), &mdl, NULL),
                     TSVC_OK);
    assert_null(tsvc_signer_evidence(s)); /* not signed yet */
    assert_int_equal(a.calls, 0);
    tsvc_error *e = NULL;
    if (tsvc_signer_finish(s, &cms, &e) != TSVC_OK)
        fail_msg("finish: %s", tsvc_error_message(e));
    assert_int_equal(a.calls, 1);
    assert_string_equal(a.label, "contract 2026-0042");
    assert_int_equal(a.hash, TSVC_HASH_SHA256);
    assert_int_equal(a.scheme, TSVC_SIG_RSA_PKCS1);
    assert_int_equal(a.digest_len, mdl);
    assert_memory_equal(a.digest, md, mdl);
    assert_ptr_equal(a.key, g_key[K_RSA]);

    const tsvc_sign_evidence *ev = tsvc_signer_evidence(s);
    assert_non_null(ev);
    assert_int_equal(tsvc_sign_evidence_activated(ev), 1);
    assert_string_equal(tsvc_sign_evidence_activation(ev), a.evidence);
    assert_string_equal(tsvc_sign_evidence_label(ev), "contract 2026-0042");
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    assert_int_equal(tsvc_sign_evidence_key_info(ev, &info), TSVC_OK);
    assert_int_equal(info.storage, TSVC_STORAGE_SOFTWARE);
    assert_int_equal(info.type, TSVC_KEY_RSA);
    assert_int_equal(info.has_activation, 1);
    char *j = evidence_json(s);
    assert_non_null(strstr(j, "\"label\":\"contract 2026-0042\""));
    assert_non_null(strstr(j, "\"activation\":{\"approved\":true,"
                              "\"evidence\":\"otp ok user=alice 2026-11-22T01:00:00Z\"}"));
    assert_non_null(strstr(j, "\"storage\":\"software\""));
    assert_non_null(strstr(j, "\"status\":\"none\""));
    free(j);
    /* Too late for a label or requirements once signed. */
    assert_int_equal(tsvc_signer_set_label(s, "other", NULL), TSVC_ERR_SIGNER_STATE);
    assert_int_equal(tsvc_signer_set_key_requirements(s, NULL, NULL), TSVC_ERR_SIGNER_STATE);
    tsvc_signer_free(s);
    expect_verifies(&cms, NULL);
    tsvc_buf_dispose(&tbs);
    tsvc_buf_dispose(&cms);
}

/* Without a label the approver is shown "cades"; a key without a callback
 * still gives evidence (not activated). */
static void test_default_label_and_no_callback(void **state)
{
    (void)state;
    approver a = {0};
    assert_int_equal(tsvc_key_set_activation(g_key[K_EC], approve_cb, &a), TSVC_OK);
    tsvc_signer *s = new_signer(K_EC, C_EC);
    tsvc_buf cms = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    assert_int_equal(a.calls, 1);
    assert_string_equal(a.label, "cades");
    assert_int_equal(a.scheme, TSVC_SIG_ECDSA);
    assert_int_equal(a.digest_len, 32);
    /* Approved without evidence text: "evidence" is null in the JSON. */
    char *j = evidence_json(s);
    assert_non_null(strstr(j, "\"activation\":{\"approved\":true,\"evidence\":null}"));
    free(j);
    tsvc_signer_free(s);
    expect_verifies(&cms, NULL);
    tsvc_buf_dispose(&cms);

    /* A label set and removed again falls back to the default. */
    assert_int_equal(tsvc_key_set_activation(g_key[K_EC], NULL, NULL), TSVC_OK);
    s = new_signer(K_EC, C_EC);
    assert_int_equal(tsvc_signer_set_label(s, "temporary", NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_set_label(s, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    const tsvc_sign_evidence *ev = tsvc_signer_evidence(s);
    assert_non_null(ev);
    assert_int_equal(tsvc_sign_evidence_activated(ev), 0);
    assert_null(tsvc_sign_evidence_activation(ev));
    assert_string_equal(tsvc_sign_evidence_label(ev), "cades");
    j = evidence_json(s);
    assert_non_null(strstr(j, "\"activation\":null"));
    free(j);
    tsvc_signer_free(s);
    tsvc_buf_dispose(&cms);
    assert_int_equal(tsvc_signer_set_label(NULL, "x", NULL), TSVC_ERR_INVALID_ARG);
    assert_null(tsvc_signer_evidence(NULL));
}

/* Ed25519 signs the whole message: the approver sees the SHA-512 of the
 * signed attributes and the message itself. */
static void test_ed25519_activation_digest(void **state)
{
    (void)state;
    approver a = {0};
    a.evidence = "consent ed25519";
    assert_int_equal(tsvc_key_set_activation(g_key[K_ED], approve_cb, &a), TSVC_OK);
    /* The default algorithm policy refuses EdDSA; the IoT one accepts it. */
    tsvc_algorithm_policy *iot = NULL;
    assert_int_equal(tsvc_algorithm_policy_new(g_ctx, &iot, TSVC_ALGPOL_IOT, NULL), TSVC_OK);
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    o.signing_time = g_when;
    o.algorithm_policy = iot;
    tsvc_signer *s = NULL;
    assert_int_equal(tsvc_signer_new(g_ctx, &s, g_key[K_ED], g_cert[C_ED], &o, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_set_label(s, "invoice 7", NULL), TSVC_OK);
    tsvc_buf tbs = TSVC_BUF_INIT, cms = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_data_to_sign(s, &tbs, NULL), TSVC_OK);
    uint8_t md[TSVC_HASH_MAX_SIZE];
    size_t mdl = 0;
    assert_int_equal(tsvc_hash_oneshot(g_ctx, TSVC_HASH_SHA512, tbs.data, tbs.len, md,
                                       sizeof(md), &mdl, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    assert_int_equal(a.calls, 1);
    assert_string_equal(a.label, "invoice 7");
    assert_int_equal(a.scheme, TSVC_SIG_ED25519);
    assert_int_equal(a.hash, TSVC_HASH_SHA512);
    assert_int_equal(a.digest_len, 64);
    assert_memory_equal(a.digest, md, 64);
    assert_int_equal(a.msg_len, tbs.len);
    assert_string_equal(tsvc_sign_evidence_activation(tsvc_signer_evidence(s)),
                        "consent ed25519");
    tsvc_signer_free(s);
    tsvc_algorithm_policy_free(iot);
    tsvc_buf_dispose(&tbs);
    tsvc_buf_dispose(&cms);
}

/* ------------------------------------------------------------------ */
/* Activation refuses                                                  */
/* ------------------------------------------------------------------ */

/* A refusal is its own status; nothing is written, no evidence; a later
 * approval (the consent given on a second try) signs. */
static void test_activation_refused(void **state)
{
    (void)state;
    approver a = {0};
    a.refuse = TSVC_ERR_ACTIVATION_REFUSED;
    assert_int_equal(tsvc_key_set_activation(g_key[K_RSA], approve_cb, &a), TSVC_OK);
    tsvc_signer *s = new_signer(K_RSA, C_RSA);
    assert_int_equal(tsvc_signer_set_label(s, "contract 2026-0043", NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    tsvc_buf cms = TSVC_BUF_INIT;
    tsvc_error *e = NULL;
    assert_int_equal(tsvc_signer_finish(s, &cms, &e), TSVC_ERR_ACTIVATION_REFUSED);
    assert_int_equal(tsvc_error_code(e), TSVC_ERR_ACTIVATION_REFUSED);
    assert_non_null(strstr(tsvc_error_message(e), "refused"));
    tsvc_error_free(e);
    e = NULL;
    assert_int_equal(a.calls, 1);
    assert_string_equal(a.label, "contract 2026-0043");
    assert_null(cms.data);
    assert_int_equal(cms.len, 0);
    assert_null(tsvc_signer_evidence(s));
    /* Any other status from the callback is a refusal too. */
    a.refuse = TSVC_ERR_INVALID_ARG;
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_ERR_ACTIVATION_REFUSED);
    assert_null(cms.data);
    assert_int_equal(a.calls, 2);
    /* Approved on the next try. */
    a.refuse = 0;
    a.evidence = "second factor ok";
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    assert_int_equal(a.calls, 3);
    assert_string_equal(tsvc_sign_evidence_activation(tsvc_signer_evidence(s)),
                        "second factor ok");
    tsvc_signer_free(s);
    expect_verifies(&cms, NULL);
    tsvc_buf_dispose(&cms);
}

/* The external two-step flow with a key: data to sign taken, the key's
 * signature refused in finish. */
static void test_activation_refused_two_step(void **state)
{
    (void)state;
    approver a = {0};
    a.refuse = TSVC_ERR_ACTIVATION_REFUSED;
    assert_int_equal(tsvc_key_set_activation(g_key[K_EC], approve_cb, &a), TSVC_OK);
    tsvc_signer *s = new_signer(K_EC, C_EC);
    tsvc_buf dig = TSVC_BUF_INIT, cms = TSVC_BUF_INIT;
    tsvc_hash_alg h = TSVC_HASH_NONE;
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_digest_to_sign(s, &dig, &h, NULL), TSVC_OK);
    assert_int_equal(a.calls, 0);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_ERR_ACTIVATION_REFUSED);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.digest_len, dig.len);
    assert_memory_equal(a.digest, dig.data, dig.len);
    assert_null(cms.data);
    assert_int_equal(cms.len, 0);
    assert_null(tsvc_signer_evidence(s));
    tsvc_signer_free(s);
    tsvc_buf_dispose(&dig);

    /* The one-shot tsvc_sign() gives the same status and no output. */
    assert_int_equal(tsvc_sign(g_ctx, &cms, g_key[K_EC], g_cert[C_EC], CONTENT, NULL, NULL),
                     TSVC_ERR_ACTIVATION_REFUSED);
    assert_null(cms.data);
    assert_int_equal(cms.len, 0);
}

/* The sealer: label "e-seal" by default, a refusal stops the seal. */
static void test_sealer_activation(void **state)
{
    (void)state;
    approver a = {0};
    a.evidence = "seal operator bob";
    assert_int_equal(tsvc_key_set_activation(g_key[K_SEAL], approve_cb, &a), TSVC_OK);
    tsvc_signer *s = NULL;
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    o.signing_time = g_when;
    assert_int_equal(tsvc_sealer_new(g_ctx, &s, g_key[K_SEAL], g_cert[C_SEAL], &o, 0, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_signer_add_cert(s, g_cert[C_CA], NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    tsvc_buf cms = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    assert_string_equal(a.label, "e-seal");
    char *j = evidence_json(s);
    assert_non_null(strstr(j, "\"label\":\"e-seal\""));
    assert_non_null(strstr(j, "\"evidence\":\"seal operator bob\""));
    free(j);
    tsvc_signer_free(s);
    tsvc_verify_options vo = TSVC_VERIFY_OPTIONS_INIT;
    vo.profile = TSVC_VERIFY_SEAL;
    expect_verifies(&cms, &vo);
    tsvc_buf_dispose(&cms);

    /* A label of the caller's own, and a refusal. */
    a.refuse = TSVC_ERR_ACTIVATION_REFUSED;
    assert_int_equal(tsvc_sealer_new(g_ctx, &s, g_key[K_SEAL], g_cert[C_SEAL], &o, 0, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_signer_set_label(s, "invoice batch 2026-11", NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_ERR_ACTIVATION_REFUSED);
    assert_string_equal(a.label, "invoice batch 2026-11");
    assert_null(cms.data);
    assert_null(tsvc_signer_evidence(s));
    tsvc_signer_free(s);
}

/* ------------------------------------------------------------------ */
/* Key requirements                                                    */
/* ------------------------------------------------------------------ */

/* A policy demanding an HSM key refuses a software key, before anything
 * is signed: the callback is never asked. */
static void test_requirements_hsm_refuse_software_key(void **state)
{
    (void)state;
    approver a = {0};
    assert_int_equal(tsvc_key_set_activation(g_key[K_RSA], approve_cb, &a), TSVC_OK);
    tsvc_key_requirements req = TSVC_KEY_REQUIREMENTS_INIT;
    req.require_hsm = 1;
    tsvc_signer *s = new_signer(K_RSA, C_RSA);
    tsvc_error *e = NULL;
    assert_int_equal(tsvc_signer_set_key_requirements(s, &req, &e), TSVC_ERR_KEY_ASSURANCE);
    assert_non_null(strstr(tsvc_error_message(e), "HSM"));
    assert_non_null(strstr(tsvc_error_message(e), "software"));
    assert_string_equal(tsvc_error_check(e), "crypto.assurance.hsm");
    tsvc_error_free(e);
    e = NULL;
    /* The requirements stay: finish refuses too, and writes nothing. */
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    tsvc_buf cms = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_finish(s, &cms, &e), TSVC_ERR_KEY_ASSURANCE);
    assert_non_null(strstr(tsvc_error_message(e), "key requirements"));
    tsvc_error_free(e);
    assert_null(cms.data);
    assert_int_equal(cms.len, 0);
    assert_int_equal(a.calls, 0);
    assert_null(tsvc_signer_evidence(s));
    /* Nor can a signature made elsewhere be injected under them. */
    tsvc_buf tbs = TSVC_BUF_INIT, sig = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_data_to_sign(s, &tbs, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_set_activation(g_key[K_RSA], NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_sign(g_key[K_RSA], &sig, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256,
                                   tbs.data, tbs.len, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_signer_set_signature(s, sig.data, sig.len, NULL),
                     TSVC_ERR_KEY_ASSURANCE);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_ERR_KEY_ASSURANCE);
    assert_null(cms.data);
    tsvc_signer_free(s);
    tsvc_buf_dispose(&tbs);
    tsvc_buf_dispose(&sig);

    /* The sealer likewise. */
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    o.signing_time = g_when;
    assert_int_equal(tsvc_sealer_new(g_ctx, &s, g_key[K_SEAL], g_cert[C_SEAL], &o, 0, NULL),
                     TSVC_OK);
    req.require_active_certification = 1;
    assert_int_equal(tsvc_signer_set_key_requirements(s, &req, NULL), TSVC_ERR_KEY_ASSURANCE);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_ERR_KEY_ASSURANCE);
    assert_null(cms.data);
    tsvc_signer_free(s);

    /* A signer without a key (external flow): no key to check. */
    assert_int_equal(tsvc_signer_new(g_ctx, &s, NULL, g_cert[C_RSA], &o, NULL), TSVC_OK);
    e = NULL;
    assert_int_equal(tsvc_signer_set_key_requirements(s, &req, &e), TSVC_ERR_KEY_ASSURANCE);
    assert_non_null(strstr(tsvc_error_message(e), "no key"));
    tsvc_error_free(e);
    tsvc_signer_free(s);
}

/* Requirements a software key meets; removing requirements; bad input. */
static void test_requirements_met_and_errors(void **state)
{
    (void)state;
    approver a = {0};
    a.evidence = "pin pad ok";
    tsvc_key_requirements req;
    tsvc_key_requirements_init(&req);
    tsvc_signer *s = new_signer(K_EC, C_EC);
    /* Nothing demanded: fine. */
    assert_int_equal(tsvc_signer_set_key_requirements(s, &req, NULL), TSVC_OK);
    /* Activation demanded: only once the key carries a callback. */
    req.require_activation = 1;
    tsvc_error *e = NULL;
    assert_int_equal(tsvc_signer_set_key_requirements(s, &req, &e), TSVC_ERR_KEY_ASSURANCE);
    assert_string_equal(tsvc_error_check(e), "crypto.assurance.activation");
    tsvc_error_free(e);
    assert_int_equal(tsvc_key_set_activation(g_key[K_EC], approve_cb, &a), TSVC_OK);
    assert_int_equal(tsvc_signer_set_key_requirements(s, &req, NULL), TSVC_OK);
    /* Unknown version refused; NULL arguments. */
    tsvc_key_requirements bad = req;
    bad.version = 99;
    assert_int_equal(tsvc_signer_set_key_requirements(s, &bad, NULL), TSVC_ERR_BAD_VERSION);
    assert_int_equal(tsvc_signer_set_key_requirements(NULL, &req, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    tsvc_buf cms = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    assert_int_equal(a.calls, 1);
    assert_string_equal(tsvc_sign_evidence_activation(tsvc_signer_evidence(s)), "pin pad ok");
    tsvc_signer_free(s);
    tsvc_buf_dispose(&cms);

    /* Requirements that fail, then removed with NULL: the key signs. */
    s = new_signer(K_EC, C_EC);
    tsvc_key_requirements hsm = TSVC_KEY_REQUIREMENTS_INIT;
    hsm.require_non_extractable = 1;
    assert_int_equal(tsvc_signer_set_key_requirements(s, &hsm, NULL), TSVC_ERR_KEY_ASSURANCE);
    assert_int_equal(tsvc_signer_set_key_requirements(s, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    tsvc_signer_free(s);
    expect_verifies(&cms, NULL);
    tsvc_buf_dispose(&cms);

    /* An injected signature carries no evidence. */
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    o.signing_time = g_when;
    assert_int_equal(tsvc_signer_new(g_ctx, &s, NULL, g_cert[C_EC], &o, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_set_key_requirements(s, &hsm, NULL), TSVC_ERR_KEY_ASSURANCE);
    assert_int_equal(tsvc_signer_set_key_requirements(s, NULL, NULL), TSVC_OK);
    tsvc_buf tbs = TSVC_BUF_INIT, sig = TSVC_BUF_INIT;
    assert_int_equal(tsvc_signer_update(s, CONTENT, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_data_to_sign(s, &tbs, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_set_activation(g_key[K_EC], NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_sign(g_key[K_EC], &sig, TSVC_SIG_ECDSA, TSVC_HASH_SHA256, tbs.data,
                                   tbs.len, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_signer_set_signature(s, sig.data, sig.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_signer_finish(s, &cms, NULL), TSVC_OK);
    assert_null(tsvc_signer_evidence(s));
    tsvc_signer_free(s);
    tsvc_buf_dispose(&tbs);
    tsvc_buf_dispose(&sig);
    tsvc_buf_dispose(&cms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_activation_approves_with_label, reset_keys),
        cmocka_unit_test_teardown(test_default_label_and_no_callback, reset_keys),
        cmocka_unit_test_teardown(test_ed25519_activation_digest, reset_keys),
        cmocka_unit_test_teardown(test_activation_refused, reset_keys),
        cmocka_unit_test_teardown(test_activation_refused_two_step, reset_keys),
        cmocka_unit_test_teardown(test_sealer_activation, reset_keys),
        cmocka_unit_test_teardown(test_requirements_hsm_refuse_software_key, reset_keys),
        cmocka_unit_test_teardown(test_requirements_met_and_errors, reset_keys),
    };
    return cmocka_run_group_tests_name("ades-evidence", tests, setup, teardown);
}
