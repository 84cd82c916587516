/*
 * SPDX-License-Identifier: Apache-2.0
 * tsvc-wycheproof: runs the Wycheproof signature-verification vectors
 * through every registered backend that supports each group's algorithm.
 *
 * Vectors: every *_test.json in the directory given as the first argument,
 * else $TSVC_VECTORS/wycheproof, else
 * $TSVC_SOURCE_ROOT/../shared/vectors/wycheproof. They are read in place,
 * never copied into the repository. When the directory is absent (or holds
 * no *_test.json) the run is reported as SKIPPED and exits with 77.
 *
 * Dispatch: on the file's "schema" first (a schema that is not one of the
 * signature verifications below makes the whole file skipped), then on each
 * group's "type", which must be the schema's own group type:
 *     ecdsa_verify_schema[_v1].json          EcdsaVerify        DER r,s
 *     ecdsa_p1363_verify_schema[_v1].json    EcdsaP1363Verify   raw r||s
 *     eddsa_verify_schema[_v1].json          EddsaVerify
 *     rsassa_pkcs1_verify_schema[_v1].json   RsassaPkcs1Verify
 *     rsassa_pss_verify_schema[_v1].json     RsassaPssVerify
 *     rsassa_pss_with_parameters_verify_schema[_v1].json
 *                                            RsassaPssWithParametersVerify
 *
 * Accounting is per group and backend (see README.md):
 *  - a group libtrustsvc cannot express (unknown schema or group type,
 *    curve, hash, mask generation function) is skipped once, with its
 *    reason;
 *  - a group it can express runs on every backend that says it supports
 *    the algorithm (tsvc_ctx_backend_supports); a backend whose own limits
 *    refuse the group's key size (tsvc__pubkey_fits_backend gives
 *    TSVC_ERR_KEY_SIZE) skips that group, with its reason; when no backend
 *    supports the algorithm the group is skipped once;
 *  - a group run passes when every one of its vectors gives the expected
 *    verdict, and fails otherwise; a group whose fields are malformed (no
 *    key, no sLen, ...) fails.
 *
 * Output:
 *     wycheproof <file> <backend>: N passed, M failed (G groups)
 *     wycheproof <file>[ <backend>]: SKIPPED K group(s) (<reason>)
 * failing vectors on stderr, and at the end
 *     wycheproof: V vectors passed, W failed
 *     wycheproof: SKIPPED (no group could run in this build)   (only then)
 *     wycheproof: N passed, M failed, K skipped (groups)
 * Exit status: 1 when any group failed, 77 when none ran, 0 otherwise.
 *
 * Verdicts: "valid" must verify; "invalid" must not; "acceptable" is held
 * strictly and passes only when it does NOT verify (README.md says why).
 */
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#ifndef TSVC_SOURCE_ROOT_DEFAULT
#define TSVC_SOURCE_ROOT_DEFAULT "."
#endif

#define MAX_REPORTED_FAILURES 10
#define MAX_BACKENDS 16
#define MAX_REASONS 32
#define REASON_LEN 200

/* ---- small helpers ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes a hex string into a fresh buffer (free() it). NULL on bad hex. */
static uint8_t *unhex(const char *hex, size_t *len)
{
    if (hex == NULL)
        return NULL;
    size_t n = strlen(hex);
    if (n % 2 != 0)
        return NULL;
    uint8_t *out = malloc(n / 2 + 1);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return out;
}

/* Decodes unpadded base64url (RFC 7515 appendix C) into out, through our
 * strict base64 decoder; false when it is not that or does not fit. */
static bool b64url_decode(const tsvc_ctx *ctx, const char *s, uint8_t *out, size_t out_size,
                          size_t *out_len)
{
    size_t n = strlen(s);
    char *std = malloc(n + 4);
    if (std == NULL)
        return false;
    size_t i;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+' || c == '/' || c == '=') {
            free(std);
            return false; /* standard base64, not base64url */
        }
        std[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    while (i % 4 != 0)
        std[i++] = '=';
    tsvc_buf buf = TSVC_BUF_INIT;
    bool ok = tsvc__base64_decode(ctx, std, i, &buf, NULL) == TSVC_OK && buf.len <= out_size;
    if (ok) {
        memcpy(out, buf.data, buf.len);
        *out_len = buf.len;
    }
    tsvc_buf_dispose(&buf);
    free(std);
    return ok;
}

static const char *str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static tsvc_hash_alg hash_by_name(const char *name)
{
    static const struct {
        const char *name;
        tsvc_hash_alg alg;
    } hashes[] = {{"SHA-1", TSVC_HASH_SHA1},     {"SHA-224", TSVC_HASH_SHA224},
                  {"SHA-256", TSVC_HASH_SHA256}, {"SHA-384", TSVC_HASH_SHA384},
                  {"SHA-512", TSVC_HASH_SHA512}};
    for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
        if (strcmp(name, hashes[i].name) == 0)
            return hashes[i].alg;
    return TSVC_HASH_NONE;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- what a file and a group ask for ---- */

typedef enum sig_form {
    FORM_ECDSA_DER,
    FORM_ECDSA_P1363,
    FORM_EDDSA,
    FORM_RSA_PKCS1,
    FORM_RSA_PSS
} sig_form;

typedef struct schema_info {
    const char *schema;     /* the file's "schema" */
    const char *group_type; /* the "type" its groups must have */
    sig_form form;
} schema_info;

static const schema_info SCHEMAS[] = {
    {"ecdsa_verify_schema.json", "EcdsaVerify", FORM_ECDSA_DER},
    {"ecdsa_verify_schema_v1.json", "EcdsaVerify", FORM_ECDSA_DER},
    {"ecdsa_p1363_verify_schema.json", "EcdsaP1363Verify", FORM_ECDSA_P1363},
    {"ecdsa_p1363_verify_schema_v1.json", "EcdsaP1363Verify", FORM_ECDSA_P1363},
    {"eddsa_verify_schema.json", "EddsaVerify", FORM_EDDSA},
    {"eddsa_verify_schema_v1.json", "EddsaVerify", FORM_EDDSA},
    {"rsassa_pkcs1_verify_schema.json", "RsassaPkcs1Verify", FORM_RSA_PKCS1},
    {"rsassa_pkcs1_verify_schema_v1.json", "RsassaPkcs1Verify", FORM_RSA_PKCS1},
    {"rsassa_pss_verify_schema.json", "RsassaPssVerify", FORM_RSA_PSS},
    {"rsassa_pss_verify_schema_v1.json", "RsassaPssVerify", FORM_RSA_PSS},
    {"rsassa_pss_with_parameters_verify_schema.json", "RsassaPssWithParametersVerify",
     FORM_RSA_PSS},
    {"rsassa_pss_with_parameters_verify_schema_v1.json", "RsassaPssWithParametersVerify",
     FORM_RSA_PSS},
};

static const schema_info *schema_find(const char *schema)
{
    for (size_t i = 0; i < sizeof(SCHEMAS) / sizeof(SCHEMAS[0]); i++)
        if (strcmp(schema, SCHEMAS[i].schema) == 0)
            return &SCHEMAS[i];
    return NULL;
}

typedef enum plan_kind { PLAN_RUN, PLAN_SKIP, PLAN_MALFORMED } plan_kind;

/* What one group asks for, decided from its fields alone (never from
 * whether our parser takes its key). */
typedef struct plan {
    plan_kind kind;
    char why[REASON_LEN]; /* PLAN_SKIP / PLAN_MALFORMED */
    sig_form form;
    tsvc_key_type type;
    tsvc__sig_params p;
    size_t coord_len;     /* ECDSA: bytes per half of a raw signature */
    char alg[96];         /* what a backend must verify, e.g. "ECDSA P-256 with SHA-256" */
} plan;

static void plan_set(plan *pl, plan_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl->kind = kind;
    vsnprintf(pl->why, sizeof(pl->why), fmt, ap);
    va_end(ap);
}

typedef struct curve_info {
    const char *name;
    tsvc_key_type type;
    size_t coord_len;
    const char *label;
} curve_info;

static const curve_info CURVES[] = {
    {"secp256r1", TSVC_KEY_ECDSA_P256, 32, "P-256"},
    {"secp384r1", TSVC_KEY_ECDSA_P384, 48, "P-384"},
    {"secp521r1", TSVC_KEY_ECDSA_P521, 66, "P-521"},
};

/* The group's hash ("sha"); PLAN_SKIP when libtrustsvc has no such hash. */
static bool plan_hash(plan *pl, const json_t *g, const char *field, tsvc_hash_alg *out)
{
    const char *name = str(g, field);
    if (name[0] == '\0') {
        plan_set(pl, PLAN_MALFORMED, "no \"%s\"", field);
        return false;
    }
    *out = hash_by_name(name);
    if (*out == TSVC_HASH_NONE) {
        plan_set(pl, PLAN_SKIP, "hash %s not supported by libtrustsvc", name);
        return false;
    }
    return true;
}

static plan group_plan(const schema_info *si, const json_t *g)
{
    plan pl;
    memset(&pl, 0, sizeof(pl));
    pl.kind = PLAN_RUN;
    pl.form = si->form;
    const char *type = str(g, "type");
    if (strcmp(type, si->group_type) != 0) {
        plan_set(&pl, PLAN_SKIP, "group type \"%s\" is not %s's %s", type, si->schema,
                 si->group_type);
        return pl;
    }
    const json_t *pk = json_object_get(g, "publicKey");
    const json_t *curve = json_object_get(pk, "curve");
    switch (si->form) {
    case FORM_ECDSA_DER:
    case FORM_ECDSA_P1363: {
        if (json_is_object(curve)) {
            plan_set(&pl, PLAN_SKIP, "unnamed curve (explicit parameters) not supported");
            return pl;
        }
        const char *cname = json_string_value(curve);
        if (cname == NULL) {
            plan_set(&pl, PLAN_MALFORMED, "no publicKey.curve");
            return pl;
        }
        const curve_info *ci = NULL;
        for (size_t i = 0; i < sizeof(CURVES) / sizeof(CURVES[0]); i++)
            if (strcmp(cname, CURVES[i].name) == 0)
                ci = &CURVES[i];
        if (ci == NULL) {
            plan_set(&pl, PLAN_SKIP, "curve %s not supported by libtrustsvc", cname);
            return pl;
        }
        if (!plan_hash(&pl, g, "sha", &pl.p.hash))
            return pl;
        pl.type = ci->type;
        pl.coord_len = ci->coord_len;
        pl.p.scheme = TSVC_SIG_ECDSA;
        snprintf(pl.alg, sizeof(pl.alg), "ECDSA %s with %s%s", ci->label, str(g, "sha"),
                 si->form == FORM_ECDSA_P1363 ? " (P1363)" : "");
        return pl;
    }
    case FORM_EDDSA: {
        const char *cname = json_string_value(curve);
        if (cname == NULL) {
            plan_set(&pl, PLAN_MALFORMED, "no publicKey.curve");
            return pl;
        }
        if (strcmp(cname, "edwards25519") != 0) {
            plan_set(&pl, PLAN_SKIP, "EdDSA on %s not supported by libtrustsvc, only Ed25519",
                     cname);
            return pl;
        }
        pl.type = TSVC_KEY_ED25519;
        pl.p.scheme = TSVC_SIG_ED25519;
        pl.p.hash = TSVC_HASH_NONE;
        snprintf(pl.alg, sizeof(pl.alg), "Ed25519");
        return pl;
    }
    case FORM_RSA_PKCS1:
        if (!plan_hash(&pl, g, "sha", &pl.p.hash))
            return pl;
        pl.type = TSVC_KEY_RSA;
        pl.p.scheme = TSVC_SIG_RSA_PKCS1;
        snprintf(pl.alg, sizeof(pl.alg), "RSA PKCS#1 v1.5 with %s", str(g, "sha"));
        return pl;
    case FORM_RSA_PSS: {
        const char *mgf = str(g, "mgf");
        if (strcmp(mgf, "MGF1") != 0) {
            plan_set(&pl, PLAN_SKIP, "mask generation function \"%s\" not supported", mgf);
            return pl;
        }
        if (!plan_hash(&pl, g, "sha", &pl.p.hash) ||
            !plan_hash(&pl, g, "mgfSha", &pl.p.mgf1_hash))
            return pl;
        const json_t *slen = json_object_get(g, "sLen");
        if (!json_is_integer(slen) || json_integer_value(slen) < 0 ||
            json_integer_value(slen) > (json_int_t)UINT32_MAX) {
            plan_set(&pl, PLAN_MALFORMED, "no valid \"sLen\"");
            return pl;
        }
        pl.type = TSVC_KEY_RSA;
        pl.p.scheme = TSVC_SIG_RSA_PSS;
        pl.p.salt_len = (uint32_t)json_integer_value(slen);
        snprintf(pl.alg, sizeof(pl.alg), "RSA-PSS with %s", str(g, "sha"));
        return pl;
    }
    }
    plan_set(&pl, PLAN_SKIP, "unknown form");
    return pl;
}

/* ---- the group's key ---- */

/* Checks the group's JWK (when it has one) against the key: EC x and y,
 * or the Ed25519 x, must be the key's point. NULL when they agree. */
static const char *jwk_mismatch(const tsvc_ctx *ctx, const json_t *jwk, const tsvc_pubkey *pub)
{
    if (jwk == NULL)
        return NULL;
    size_t bits_len = 0;
    const uint8_t *bits = tsvc__pubkey_bits(pub, &bits_len);
    const char *kty = str(jwk, "kty");
    uint8_t buf[2 * 66 + 1];
    size_t xl = 0, yl = 0;
    if (strcmp(kty, "EC") == 0) {
        if (bits_len < 1 || bits_len > sizeof(buf) || bits_len % 2 == 0)
            return "publicKeyJwk is EC, the key is not";
        size_t cl = (bits_len - 1) / 2;
        buf[0] = 0x04;
        if (!b64url_decode(ctx, str(jwk, "x"), buf + 1, cl, &xl) || xl != cl ||
            !b64url_decode(ctx, str(jwk, "y"), buf + 1 + cl, cl, &yl) || yl != cl)
            return "publicKeyJwk x or y is not a coordinate of the key's size";
        return memcmp(buf, bits, bits_len) == 0 ? NULL
                                                : "publicKeyJwk is not the publicKeyDer key";
    }
    if (strcmp(kty, "OKP") == 0) {
        if (strcmp(str(jwk, "crv"), "Ed25519") != 0)
            return "publicKeyJwk is not an Ed25519 key";
        if (!b64url_decode(ctx, str(jwk, "x"), buf, sizeof(buf), &xl) || xl != bits_len ||
            memcmp(buf, bits, bits_len) != 0)
            return "publicKeyJwk is not the publicKeyDer key";
        return NULL;
    }
    return NULL; /* RSA JWKs are not compared */
}

/* Loads the group's key through our SubjectPublicKeyInfo parser
 * (publicKeyDer), and checks that publicKeyPem (tsvc_pubkey_import) and
 * publicKeyJwk give the same key. A refusal comes back in *err. */
static tsvc_status group_key(tsvc_ctx *ctx, const json_t *g, tsvc_pubkey **out,
                             tsvc_error **err)
{
    *out = NULL;
    const char *der_hex = str(g, "publicKeyDer");
    const char *pem = str(g, "publicKeyPem");
    tsvc_pubkey *pub = NULL;
    tsvc_status st;
    if (der_hex[0] != '\0') {
        size_t der_len = 0;
        uint8_t *der = unhex(der_hex, &der_len);
        st = der ? tsvc__pubkey_from_spki(ctx, der, der_len, &pub, err)
                 : tsvc__err(err, TSVC_ERR_KEY_FORMAT, NULL, -1, "publicKeyDer is not hex");
        free(der);
    } else if (pem[0] != '\0') {
        st = tsvc_pubkey_import(ctx, &pub, (const uint8_t *)pem, strlen(pem), err);
    } else {
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, NULL, -1,
                         "the group has neither publicKeyDer nor publicKeyPem");
    }
    if (st != TSVC_OK)
        return st;
    if (der_hex[0] != '\0' && pem[0] != '\0') {
        tsvc_pubkey *pem_pub = NULL;
        bool same = tsvc_pubkey_import(ctx, &pem_pub, (const uint8_t *)pem, strlen(pem),
                                       NULL) == TSVC_OK &&
                    tsvc__pubkey_equal(pub, pem_pub);
        tsvc_pubkey_free(pem_pub);
        if (!same) {
            tsvc_pubkey_free(pub);
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, NULL, -1,
                             "publicKeyPem does not give the publicKeyDer key");
        }
    }
    const char *why = jwk_mismatch(ctx, json_object_get(g, "publicKeyJwk"), pub);
    if (why != NULL) {
        tsvc_pubkey_free(pub);
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, NULL, -1, "%s", why);
    }
    *out = pub;
    return TSVC_OK;
}

/* ---- accounting ---- */

typedef struct reason {
    int backend; /* -1: the group is skipped for every backend */
    unsigned groups;
    char text[REASON_LEN];
} reason;

typedef struct file_counts {
    unsigned vec_passed[MAX_BACKENDS], vec_failed[MAX_BACKENDS], groups[MAX_BACKENDS];
    unsigned reported[MAX_BACKENDS], keys_refused;
    reason reasons[MAX_REASONS];
    size_t num_reasons;
} file_counts;

typedef struct totals {
    unsigned groups_passed, groups_failed, groups_skipped;
    unsigned long vec_passed, vec_failed;
} totals;

static void add_reason(file_counts *fc, int backend, const char *fmt, ...)
{
    char text[REASON_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < fc->num_reasons; i++) {
        if (fc->reasons[i].backend == backend && strcmp(fc->reasons[i].text, text) == 0) {
            fc->reasons[i].groups++;
            return;
        }
    }
    reason *r = &fc->reasons[fc->num_reasons < MAX_REASONS ? fc->num_reasons : MAX_REASONS - 1];
    if (fc->num_reasons < MAX_REASONS - 1) {
        fc->num_reasons++;
        r->backend = backend;
        snprintf(r->text, sizeof(r->text), "%s", text);
    } else {
        /* The table is full: its last entry gathers whatever does not fit. */
        fc->num_reasons = MAX_REASONS;
        r->backend = -1;
        snprintf(r->text, sizeof(r->text), "more reasons than this report lists");
    }
    r->groups++;
}

static void vector_failed(file_counts *fc, size_t b, const char *file, const char *bname,
                          json_int_t gi, json_int_t id, const char *result, const char *why)
{
    fc->vec_failed[b]++;
    if (fc->reported[b]++ < MAX_REPORTED_FAILURES)
        fprintf(stderr, "  %s %s: group %lld tcId %lld (%s) failed: %s\n", file, bname,
                (long long)gi, (long long)id, result, why);
}

/* Verifies one vector's signature on one backend; true when it verified.
 * *why gets the reason of a rejection. */
static bool verify_one(tsvc_ctx *ctx, size_t b, const plan *pl, const tsvc_pubkey *pub,
                       const uint8_t *msg, size_t ml, const uint8_t *sig, size_t sl,
                       char *why, size_t why_size)
{
    tsvc_error *err = NULL;
    tsvc_status st;
    if (pl->form == FORM_ECDSA_P1363) {
        /* IEEE P1363: exactly r||s, each half the curve's size. The
         * conversion refuses every other length (TSVC_ERR_INVALID_ARG),
         * which is the raw verifier's own length check. */
        tsvc_buf der = TSVC_BUF_INIT;
        st = tsvc__ecdsa_raw_to_der(ctx, sig, sl, pl->coord_len, &der);
        if (st == TSVC_ERR_INVALID_ARG) {
            snprintf(why, why_size, "rejected (P1363 signature of %zu bytes, not 2 x %zu)", sl,
                     pl->coord_len);
            return false;
        }
        if (st != TSVC_OK) {
            snprintf(why, why_size, "rejected (raw to DER conversion: %s)",
                     tsvc_status_str(st));
            return false;
        }
        st = tsvc__verify_on_backend(ctx, b, pub, &pl->p, msg, ml, der.data, der.len, &err);
        tsvc_buf_dispose(&der);
    } else {
        st = tsvc__verify_on_backend(ctx, b, pub, &pl->p, msg, ml, sig, sl, &err);
    }
    if (st == TSVC_OK)
        snprintf(why, why_size, "verified");
    else
        snprintf(why, why_size, "rejected (%s)", tsvc_error_message(err));
    tsvc_error_free(err);
    return st == TSVC_OK;
}

/* Runs one group on one backend; true when every vector gave its verdict. */
static bool run_group(tsvc_ctx *ctx, size_t b, const char *file, json_int_t gi,
                      const json_t *g, const plan *pl, const tsvc_pubkey *pub,
                      const tsvc_error *kerr, file_counts *fc)
{
    const char *bname = tsvc_ctx_backend_name(ctx, b);
    const json_t *tests = json_object_get(g, "tests");
    unsigned failed_before = fc->vec_failed[b];
    if (!json_is_array(tests)) {
        vector_failed(fc, b, file, bname, gi, -1, "-", "the group has no \"tests\" array");
        return false;
    }
    for (size_t ti = 0; ti < json_array_size(tests); ti++) {
        const json_t *t = json_array_get(tests, ti);
        const char *result = str(t, "result");
        json_int_t id = json_integer_value(json_object_get(t, "tcId"));
        bool want_valid = strcmp(result, "valid") == 0;
        if (!want_valid && strcmp(result, "invalid") != 0 && strcmp(result, "acceptable") != 0) {
            vector_failed(fc, b, file, bname, gi, id, result, "unknown result");
            continue;
        }
        if (pub == NULL) {
            /* Our parser refused the key: right only for vectors that must not verify. */
            if (want_valid)
                vector_failed(fc, b, file, bname, gi, id, result, tsvc_error_message(kerr));
            else
                fc->vec_passed[b]++;
            continue;
        }
        size_t ml = 0, sl = 0;
        uint8_t *msg = unhex(str(t, "msg"), &ml);
        uint8_t *sig = unhex(str(t, "sig"), &sl);
        if (msg == NULL || sig == NULL) {
            vector_failed(fc, b, file, bname, gi, id, result, "bad hex in the vector file");
        } else {
            char why[320];
            bool verified = verify_one(ctx, b, pl, pub, msg, ml, sig, sl, why, sizeof(why));
            /* valid must verify; invalid and acceptable (strict) must not. */
            if (want_valid == verified)
                fc->vec_passed[b]++;
            else
                vector_failed(fc, b, file, bname, gi, id, result, why);
        }
        free(msg);
        free(sig);
    }
    return fc->vec_failed[b] == failed_before;
}

/* ---- one file ---- */

static void run_file(tsvc_ctx *ctx, const char *dir, const char *name, totals *tot)
{
    char path[8192];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL) {
        printf("wycheproof %s: FAILED (cannot parse JSON: %s)\n", name, jerr.text);
        tot->groups_failed++;
        return;
    }
    const json_t *groups = json_object_get(root, "testGroups");
    const char *schema = str(root, "schema");
    const schema_info *si = schema_find(schema);
    if (!json_is_array(groups)) {
        printf("wycheproof %s: FAILED (no \"testGroups\" array)\n", name);
        tot->groups_failed++;
        json_decref(root);
        return;
    }
    size_t ng = json_array_size(groups);
    if (si == NULL) {
        /* Not a signature verification we run (AEAD, ECDH, DSA, ...). */
        printf("wycheproof %s: SKIPPED %zu group%s (schema \"%s\" is not a signature "
               "verification libtrustsvc runs)\n",
               name, ng, ng == 1 ? "" : "s", schema[0] ? schema : "(none)");
        tot->groups_skipped += (unsigned)ng;
        json_decref(root);
        return;
    }
    size_t nb = tsvc_ctx_num_backends(ctx);
    if (nb > MAX_BACKENDS)
        nb = MAX_BACKENDS;
    file_counts *fc = calloc(1, sizeof(*fc));
    if (fc == NULL) {
        printf("wycheproof %s: FAILED (out of memory)\n", name);
        tot->groups_failed++;
        json_decref(root);
        return;
    }
    for (size_t gi = 0; gi < ng; gi++) {
        const json_t *g = json_array_get(groups, gi);
        plan pl = group_plan(si, g);
        if (pl.kind == PLAN_MALFORMED) {
            printf("wycheproof %s group %zu: FAILED (malformed group: %s)\n", name, gi, pl.why);
            tot->groups_failed++;
            continue;
        }
        if (pl.kind == PLAN_SKIP) {
            add_reason(fc, -1, "%s", pl.why);
            tot->groups_skipped++;
            continue;
        }
        tsvc_pubkey *pub = NULL;
        tsvc_error *kerr = NULL;
        if (group_key(ctx, g, &pub, &kerr) != TSVC_OK)
            fc->keys_refused++;
        unsigned claimed = 0;
        for (size_t b = 0; b < nb; b++) {
            if (!tsvc_ctx_backend_supports(ctx, b, TSVC_OP_VERIFY, pl.type, pl.p.scheme,
                                           pl.p.hash))
                continue;
            claimed++;
            if (pub != NULL) {
                tsvc_error *ferr = NULL;
                tsvc_status fst = tsvc__pubkey_fits_backend(ctx, b, pub, &ferr);
                tsvc_error_free(ferr);
                if (fst == TSVC_ERR_KEY_SIZE) {
                    add_reason(fc, (int)b, "%u-bit %s key beyond the backend's limit",
                               tsvc__pubkey_size_bits(pub),
                               pl.type == TSVC_KEY_RSA ? "RSA" : "public");
                    tot->groups_skipped++;
                    continue;
                }
            }
            fc->groups[b]++;
            if (run_group(ctx, b, name, (json_int_t)gi, g, &pl, pub, kerr, fc))
                tot->groups_passed++;
            else
                tot->groups_failed++;
        }
        if (claimed == 0) {
            add_reason(fc, -1, "no backend of this build verifies %s", pl.alg);
            tot->groups_skipped++;
        }
        tsvc_error_free(kerr);
        tsvc_pubkey_free(pub);
    }
    for (size_t b = 0; b < nb; b++) {
        if (fc->groups[b] == 0)
            continue;
        printf("wycheproof %s %s: %u passed, %u failed (%u group%s)\n", name,
               tsvc_ctx_backend_name(ctx, b), fc->vec_passed[b], fc->vec_failed[b],
               fc->groups[b], fc->groups[b] == 1 ? "" : "s");
        tot->vec_passed += fc->vec_passed[b];
        tot->vec_failed += fc->vec_failed[b];
    }
    for (size_t i = 0; i < fc->num_reasons; i++) {
        const reason *r = &fc->reasons[i];
        printf("wycheproof %s%s%s: SKIPPED %u group%s (%s)\n", name, r->backend >= 0 ? " " : "",
               r->backend >= 0 ? tsvc_ctx_backend_name(ctx, (size_t)r->backend) : "", r->groups,
               r->groups == 1 ? "" : "s", r->text);
    }
    if (fc->keys_refused != 0)
        fprintf(stderr, "  %s: %u group keys refused by our SPKI parser\n", name,
                fc->keys_refused);
    fflush(stdout);
    free(fc);
    json_decref(root);
}

int main(int argc, char **argv)
{
    char dir[4096];
    const char *vec = getenv("TSVC_VECTORS");
    const char *src = getenv("TSVC_SOURCE_ROOT");
    if (argc > 1)
        snprintf(dir, sizeof(dir), "%s", argv[1]);
    else if (vec != NULL && vec[0] != '\0')
        snprintf(dir, sizeof(dir), "%s/wycheproof", vec);
    else
        snprintf(dir, sizeof(dir), "%s/../shared/vectors/wycheproof",
                 src && src[0] ? src : TSVC_SOURCE_ROOT_DEFAULT);

    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("wycheproof: SKIPPED (vectors not found at %s)\n", dir);
        return 77;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!ends_with(e->d_name, "_test.json"))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **tmp = realloc(names, cap * sizeof(*names));
            if (tmp == NULL) {
                closedir(d);
                fprintf(stderr, "wycheproof: out of memory\n");
                return 2;
            }
            names = tmp;
        }
        if ((names[n] = strdup(e->d_name)) == NULL) {
            closedir(d);
            fprintf(stderr, "wycheproof: out of memory\n");
            return 2;
        }
        n++;
    }
    closedir(d);
    if (n == 0) {
        printf("wycheproof: SKIPPED (no *_test.json vectors at %s)\n", dir);
        free(names);
        return 77;
    }
    qsort(names, n, sizeof(*names), cmp_str);

    tsvc_ctx *ctx = NULL;
    tsvc_error *err = NULL;
    if (tsvc_ctx_new(&ctx, NULL, &err) != TSVC_OK) {
        fprintf(stderr, "wycheproof: cannot create a context: %s\n", tsvc_error_message(err));
        tsvc_error_free(err);
        return 2;
    }
    totals tot;
    memset(&tot, 0, sizeof(tot));
    for (size_t i = 0; i < n; i++) {
        run_file(ctx, dir, names[i], &tot);
        free(names[i]);
    }
    free(names);
    tsvc_ctx_free(ctx);
    printf("wycheproof: %lu vectors passed, %lu failed\n", tot.vec_passed, tot.vec_failed);
    bool none_ran = tot.groups_passed == 0 && tot.groups_failed == 0;
    if (none_ran)
        printf("wycheproof: SKIPPED (no group could run in this build)\n");
    printf("wycheproof: %u passed, %u failed, %u skipped (groups)\n", tot.groups_passed,
           tot.groups_failed, tot.groups_skipped);
    if (tot.groups_failed != 0)
        return 1;
    return none_ran ? 77 : 0;
}
