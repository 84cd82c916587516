/*
 * SPDX-License-Identifier: Apache-2.0
 * tsvc-wycheproof: runs the Wycheproof signature-verification vectors
 * through every registered backend that supports each file's algorithm.
 *
 * Vectors: every *_test.json in $TSVC_VECTORS/wycheproof, else
 * $TSVC_SOURCE_ROOT/../shared/vectors/wycheproof (or a directory given as
 * the first argument). They are read in place, never copied into the
 * repository. When the directory is absent the run is reported as SKIPPED
 * and exits with 77 (meson's skip code).
 *
 * Output, one line per file and backend:
 *     wycheproof <file> <backend>: N passed, M failed
 * and, for a file no backend supports:
 *     wycheproof <file>: SKIPPED (no backend supports <algorithm>)
 * Failing test ids go to stderr. The exit status is 1 when any vector
 * failed.
 *
 * Policy (see README.md):
 *  - "valid" must verify; "invalid" must not.
 *  - "acceptable" is handled strictly: it passes only when it does NOT
 *    verify. In the files used the only acceptable vectors are PKCS#1 v1.5
 *    signatures whose DigestInfo omits the NULL hash parameters
 *    ("MissingNull"); libtrustsvc compares the DigestInfo with the single
 *    DER encoding RFC 8017 defines, so it rejects them on purpose.
 *  - Public keys go through our own SubjectPublicKeyInfo parser
 *    (tsvc__pubkey_from_spki). If it refuses a group's key, each "valid"
 *    vector of the group counts as failed and each "invalid" or
 *    "acceptable" one as passed. The group's publicKeyPem must give the same
 *    key through tsvc_pubkey_import, or the key counts as refused.
 *  - RSA-PSS groups are verified with the group's hash, MGF1 hash and salt
 *    length (tsvc__verify with tsvc__sig_params), whatever our defaults.
 *  - A backend takes part in a file when it supports the algorithm of at
 *    least one group; a group it cannot verify counts all its vectors as
 *    failed for that backend.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/crypto.h"

#ifndef TSVC_SOURCE_ROOT_DEFAULT
#define TSVC_SOURCE_ROOT_DEFAULT "."
#endif

#define MAX_REPORTED_FAILURES 10

typedef struct counts {
    unsigned passed, failed, reported, keys_refused;
} counts;

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

static const char *str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static tsvc_hash_alg hash_by_name(const char *name)
{
    if (strcmp(name, "SHA-1") == 0)
        return TSVC_HASH_SHA1;
    if (strcmp(name, "SHA-224") == 0)
        return TSVC_HASH_SHA224;
    if (strcmp(name, "SHA-256") == 0)
        return TSVC_HASH_SHA256;
    if (strcmp(name, "SHA-384") == 0)
        return TSVC_HASH_SHA384;
    if (strcmp(name, "SHA-512") == 0)
        return TSVC_HASH_SHA512;
    return TSVC_HASH_NONE;
}

/* What a group asks for. ok = false when we cannot even name it. */
typedef struct group_alg {
    bool ok;
    tsvc_key_type type;
    tsvc__sig_params p;
} group_alg;

static tsvc_key_type ec_type(const char *curve)
{
    if (strcmp(curve, "secp256r1") == 0)
        return TSVC_KEY_ECDSA_P256;
    if (strcmp(curve, "secp384r1") == 0)
        return TSVC_KEY_ECDSA_P384;
    if (strcmp(curve, "secp521r1") == 0)
        return TSVC_KEY_ECDSA_P521;
    return TSVC_KEY_NONE;
}

static group_alg group_algorithm(const char *algorithm, const json_t *g)
{
    group_alg a;
    memset(&a, 0, sizeof(a));
    const json_t *pk = json_object_get(g, "publicKey");
    if (strcmp(algorithm, "ECDSA") == 0) {
        a.type = ec_type(str(pk, "curve"));
        a.p.scheme = TSVC_SIG_ECDSA;
        a.p.hash = hash_by_name(str(g, "sha"));
        a.ok = a.type != TSVC_KEY_NONE && a.p.hash != TSVC_HASH_NONE;
    } else if (strcmp(algorithm, "EDDSA") == 0) {
        a.type = TSVC_KEY_ED25519;
        a.p.scheme = TSVC_SIG_ED25519;
        a.p.hash = TSVC_HASH_NONE;
        a.ok = strcmp(str(pk, "curve"), "edwards25519") == 0;
    } else if (strcmp(algorithm, "RSASSA-PKCS1-v1_5") == 0) {
        a.type = TSVC_KEY_RSA;
        a.p.scheme = TSVC_SIG_RSA_PKCS1;
        a.p.hash = hash_by_name(str(g, "sha"));
        a.ok = a.p.hash != TSVC_HASH_NONE;
    } else if (strcmp(algorithm, "RSASSA-PSS") == 0) {
        a.type = TSVC_KEY_RSA;
        a.p.scheme = TSVC_SIG_RSA_PSS;
        a.p.hash = hash_by_name(str(g, "sha"));
        a.p.mgf1_hash = hash_by_name(str(g, "mgfSha"));
        json_int_t slen = json_integer_value(json_object_get(g, "sLen"));
        a.p.salt_len = (uint32_t)slen;
        a.ok = strcmp(str(g, "mgf"), "MGF1") == 0 && a.p.hash != TSVC_HASH_NONE &&
               a.p.mgf1_hash != TSVC_HASH_NONE && slen >= 0;
    }
    return a;
}

static bool backend_can(const tsvc_ctx *ctx, size_t b, const group_alg *a)
{
    return a->ok && tsvc_ctx_backend_supports(ctx, b, TSVC_OP_VERIFY, a->type, a->p.scheme,
                                              a->p.hash);
}

static void record(counts *c, bool pass, const char *file, const char *backend, json_int_t id,
                   const char *result, const char *why)
{
    if (pass) {
        c->passed++;
        return;
    }
    c->failed++;
    if (c->reported++ < MAX_REPORTED_FAILURES)
        fprintf(stderr, "  %s %s: tcId %lld (%s) failed: %s\n", file, backend, (long long)id,
                result, why);
}

/* Runs one file on one backend. */
static void run_file_backend(tsvc_ctx *ctx, size_t b, const char *file, const json_t *root,
                             counts *c)
{
    const char *algorithm = str(root, "algorithm");
    const char *bname = tsvc_ctx_backend_name(ctx, b);
    const json_t *groups = json_object_get(root, "testGroups");
    for (size_t gi = 0; gi < json_array_size(groups); gi++) {
        const json_t *g = json_array_get(groups, gi);
        const json_t *tests = json_object_get(g, "tests");
        group_alg a = group_algorithm(algorithm, g);
        size_t der_len = 0;
        uint8_t *der = unhex(str(g, "publicKeyDer"), &der_len);
        tsvc_pubkey *pub = NULL;
        tsvc_error *kerr = NULL;
        tsvc_status kst = der ? tsvc__pubkey_from_spki(ctx, der, der_len, &pub, &kerr)
                              : TSVC_ERR_KEY_FORMAT;
        free(der);
        if (kst == TSVC_OK) {
            /* The PEM form must give the same key through tsvc_pubkey_import. */
            const char *pem = str(g, "publicKeyPem");
            tsvc_pubkey *pem_pub = NULL;
            if (pem[0] != '\0' &&
                (tsvc_pubkey_import(ctx, &pem_pub, (const uint8_t *)pem, strlen(pem), NULL) !=
                     TSVC_OK ||
                 !tsvc__pubkey_equal(pub, pem_pub))) {
                tsvc_pubkey_free(pub);
                pub = NULL;
                kst = tsvc__err(&kerr, TSVC_ERR_KEY_FORMAT, NULL, -1,
                                "publicKeyPem does not give the publicKeyDer key");
            }
            tsvc_pubkey_free(pem_pub);
        }
        if (kst != TSVC_OK)
            c->keys_refused++;
        bool can = backend_can(ctx, b, &a);
        for (size_t ti = 0; ti < json_array_size(tests); ti++) {
            const json_t *t = json_array_get(tests, ti);
            const char *result = str(t, "result");
            json_int_t id = json_integer_value(json_object_get(t, "tcId"));
            bool want_valid = strcmp(result, "valid") == 0;
            if (kst != TSVC_OK) {
                record(c, !want_valid, file, bname, id, result, tsvc_error_message(kerr));
                continue;
            }
            if (!can) {
                record(c, false, file, bname, id, result, "backend cannot verify this group");
                continue;
            }
            size_t ml = 0, sl = 0;
            uint8_t *msg = unhex(str(t, "msg"), &ml);
            uint8_t *sig = unhex(str(t, "sig"), &sl);
            if (msg == NULL || sig == NULL) {
                record(c, false, file, bname, id, result, "bad hex in the vector file");
            } else {
                tsvc_error *err = NULL;
                tsvc_status st = tsvc__verify_on_backend(ctx, b, pub, &a.p, msg, ml, sig, sl,
                                                         &err);
                bool verified = st == TSVC_OK;
                char why[320];
                snprintf(why, sizeof(why), "%s (%s)", verified ? "verified" : "rejected",
                         verified ? "" : tsvc_error_message(err));
                /* valid must verify; invalid and acceptable (strict) must not. */
                record(c, want_valid ? verified : !verified, file, bname, id, result, why);
                tsvc_error_free(err);
            }
            free(msg);
            free(sig);
        }
        tsvc_error_free(kerr);
        tsvc_pubkey_free(pub);
    }
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
            cap = cap ? 2 * cap : 32;
            char **tmp = realloc(names, cap * sizeof(*names));
            if (tmp == NULL)
                return 2;
            names = tmp;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n == 0) {
        printf("wycheproof: SKIPPED (vectors not found at %s)\n", dir);
        free(names);
        return 77;
    }
    qsort(names, n, sizeof(*names), cmp_str);

    tsvc_ctx *ctx = NULL;
    tsvc_error *err = NULL;
    if (tsvc_ctx_new(&ctx, NULL, &err) != TSVC_OK) {
        fprintf(stderr, "wycheproof: cannot create a context: %s\n", tsvc_error_message(err));
        return 2;
    }
    unsigned total_failed = 0;
    for (size_t i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        json_error_t jerr;
        json_t *root = json_load_file(path, 0, &jerr);
        if (root == NULL) {
            printf("wycheproof %s: ERROR (cannot parse JSON: %s)\n", names[i], jerr.text);
            total_failed++;
            free(names[i]);
            continue;
        }
        const char *algorithm = str(root, "algorithm");
        const json_t *groups = json_object_get(root, "testGroups");
        bool any = false;
        for (size_t b = 0; b < tsvc_ctx_num_backends(ctx); b++) {
            bool takes_part = false;
            for (size_t gi = 0; gi < json_array_size(groups) && !takes_part; gi++) {
                group_alg a = group_algorithm(algorithm, json_array_get(groups, gi));
                takes_part = backend_can(ctx, b, &a);
            }
            if (!takes_part)
                continue;
            any = true;
            counts c = {0, 0, 0, 0};
            run_file_backend(ctx, b, names[i], root, &c);
            printf("wycheproof %s %s: %u passed, %u failed\n", names[i],
                   tsvc_ctx_backend_name(ctx, b), c.passed, c.failed);
            if (c.keys_refused != 0)
                fprintf(stderr, "  %s %s: %u group keys refused by our SPKI parser\n",
                        names[i], tsvc_ctx_backend_name(ctx, b), c.keys_refused);
            total_failed += c.failed;
        }
        if (!any) {
            const json_t *g0 = json_array_get(groups, 0);
            const char *curve = str(json_object_get(g0, "publicKey"), "curve");
            printf("wycheproof %s: SKIPPED (no backend supports %s%s%s)\n", names[i], algorithm,
                   curve[0] ? " " : "", curve);
        }
        fflush(stdout);
        json_decref(root);
        free(names[i]);
    }
    free(names);
    tsvc_ctx_free(ctx);
    return total_failed == 0 ? 0 : 1;
}
