/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * tsvc-bench: times libtrustsvc and OpenSSL's own APIs on the same work in
 * the same run, and prints one table:
 *
 *   operation | ours ops/s | OpenSSL ops/s | ours/OpenSSL | ours/bare
 *
 * "bare" is the limit the primitives set for the operation, measured in
 * the same run with the leanest OpenSSL calls (a reused, initialised
 * EVP_PKEY_CTX; EVP_DigestUpdate): for a signature, hashing the message
 * plus one EVP_PKEY_sign/verify; for path validation of a 3-certificate
 * chain, two signature verifications; for SHA-256, the same EVP calls
 * `openssl dgst` makes. Operations whose libtrustsvc API does not exist
 * yet are printed as "n/a (API not yet available)".
 *
 * Usage: tsvc-bench [--short] [--only TEXT]   (--short: 64 MiB hashed,
 * 0.15 s per measurement; used by the meson test 'bench-short', no
 * thresholds. --only: only the rows whose name contains TEXT, e.g. for a
 * profiler).
 * Peak RSS comes from getrusage(RUSAGE_SELF).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "trustsvc/trustsvc.h"

static bool g_short;
static const char *g_only; /* --only TEXT: only the rows whose name contains TEXT */
static double g_min_seconds = 1.0;
static int g_rounds = 2;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss; /* KiB on Linux */
}

static void die(const char *what)
{
    fprintf(stderr, "tsvc-bench: %s failed\n", what);
    exit(1);
}

static void check(tsvc_status st, tsvc_error *err, const char *what)
{
    if (st != TSVC_OK) {
        fprintf(stderr, "tsvc-bench: %s: %s (%s)\n", what, tsvc_status_str(st),
                err ? tsvc_error_message(err) : "");
        exit(1);
    }
}

/* One timed operation: returns 0 on success. */
typedef int (*op_fn)(void *arg);

/* Runs @p fn until at least g_min_seconds have passed; gives ops/s. */
static double rate_of(op_fn fn, void *arg)
{
    if (fn(arg) != 0) /* warm-up, and a check that it works */
        die("warm-up");
    unsigned long n = 0, batch = 1;
    double t0 = now_s(), t;
    do {
        for (unsigned long i = 0; i < batch; i++)
            if (fn(arg) != 0)
                die("operation");
        n += batch;
        t = now_s() - t0;
        if (t < g_min_seconds / 8)
            batch *= 2;
    } while (t < g_min_seconds);
    return (double)n / t;
}

/* Best of g_rounds rounds, the three variants interleaved so that noise
 * from other processes hits them alike. */
static void measure3(op_fn ours, void *oa, op_fn peer, void *pa, op_fn bare, void *ba,
                     double *r_ours, double *r_peer, double *r_bare)
{
    *r_ours = *r_peer = *r_bare = 0;
    for (int r = 0; r < g_rounds; r++) {
        double x;
        if (ours != NULL && (x = rate_of(ours, oa)) > *r_ours)
            *r_ours = x;
        if (peer != NULL && (x = rate_of(peer, pa)) > *r_peer)
            *r_peer = x;
        if (bare != NULL && (x = rate_of(bare, ba)) > *r_bare)
            *r_bare = x;
    }
}

static bool want(const char *name)
{
    return g_only == NULL || strstr(name, g_only) != NULL;
}

static void row_header(void)
{
    printf("%-44s %14s %14s %10s %10s\n", "operation", "ours ops/s", "OpenSSL ops/s",
           "ours/OSSL", "ours/bare");
    printf("%-44s %14s %14s %10s %10s\n", "---------", "----------", "-------------",
           "---------", "---------");
}

static void row(const char *name, double ours, double peer, double bare)
{
    char b[32];
    if (bare > 0)
        snprintf(b, sizeof(b), "%.2f", ours / bare);
    else
        snprintf(b, sizeof(b), "-");
    printf("%-44s %14.1f %14.1f %10.2f %10s\n", name, ours, peer, peer > 0 ? ours / peer : 0,
           b);
    fflush(stdout);
}

static void row_na(const char *name)
{
    printf("%-44s n/a (API not yet available)\n", name);
    fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* SHA-256 streamed                                                    */
/* ------------------------------------------------------------------ */

#define CHUNK (64 * 1024)

typedef struct hash_job {
    tsvc_ctx *ctx;
    uint8_t *buf;
    size_t total;
} hash_job;

static int sha_ours(void *arg)
{
    hash_job *j = arg;
    tsvc_hash *h = NULL;
    uint8_t d[32];
    if (tsvc_hash_new(j->ctx, &h, TSVC_HASH_SHA256, NULL) != TSVC_OK)
        return 1;
    for (size_t done = 0; done < j->total; done += CHUNK)
        if (tsvc_hash_update(h, j->buf, CHUNK, NULL) != TSVC_OK)
            return 1;
    int rc = tsvc_hash_final(h, d, sizeof(d), NULL, NULL) != TSVC_OK;
    tsvc_hash_free(h);
    return rc;
}

/* What `openssl dgst -sha256` does: EVP_DigestUpdate over the stream. */
static int sha_peer(void *arg)
{
    hash_job *j = arg;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    uint8_t d[32];
    unsigned n = 0;
    int ok = m != NULL && EVP_DigestInit_ex(m, EVP_sha256(), NULL) == 1;
    for (size_t done = 0; ok && done < j->total; done += CHUNK)
        ok = EVP_DigestUpdate(m, j->buf, CHUNK) == 1;
    ok = ok && EVP_DigestFinal_ex(m, d, &n) == 1;
    EVP_MD_CTX_free(m);
    return !ok;
}

/* ------------------------------------------------------------------ */
/* signatures                                                          */
/* ------------------------------------------------------------------ */

#define MSG_LEN 1024

typedef struct sig_job {
    const char *label;
    tsvc_key_type type;
    tsvc_sig_scheme scheme;
    tsvc_key *key;
    tsvc_pubkey *pub;
    EVP_PKEY *pkey;         /* the same key, loaded into OpenSSL */
    EVP_PKEY_CTX *bare_ctx; /* initialised once, reused */
    uint8_t msg[MSG_LEN];
    uint8_t sig[1024];
    size_t sig_len;
    uint8_t der_sig[1024]; /* OpenSSL form (DER for ECDSA, like ours) */
    size_t der_sig_len;
} sig_job;

static int sign_ours(void *arg)
{
    sig_job *j = arg;
    tsvc_buf sig = TSVC_BUF_INIT;
    int rc = tsvc_key_sign(j->key, &sig, j->scheme, TSVC_HASH_SHA256, j->msg, MSG_LEN, NULL) !=
             TSVC_OK;
    tsvc_buf_dispose(&sig);
    return rc;
}

static int verify_ours(void *arg)
{
    sig_job *j = arg;
    return tsvc_pubkey_verify(j->pub, j->scheme, TSVC_HASH_SHA256, j->msg, MSG_LEN, j->sig,
                              j->sig_len, NULL) != TSVC_OK;
}

/* An application's EVP_DigestSign: a fresh EVP_MD_CTX per signature. */
static int sign_peer(void *arg)
{
    sig_job *j = arg;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    uint8_t sig[1024];
    size_t len = sizeof(sig);
    int ok = m != NULL &&
             EVP_DigestSignInit_ex(m, NULL, "SHA256", NULL, NULL, j->pkey, NULL) == 1 &&
             EVP_DigestSign(m, sig, &len, j->msg, MSG_LEN) == 1;
    EVP_MD_CTX_free(m);
    return !ok;
}

static int verify_peer(void *arg)
{
    sig_job *j = arg;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    int ok = m != NULL &&
             EVP_DigestVerifyInit_ex(m, NULL, "SHA256", NULL, NULL, j->pkey, NULL) == 1 &&
             EVP_DigestVerify(m, j->der_sig, j->der_sig_len, j->msg, MSG_LEN) == 1;
    EVP_MD_CTX_free(m);
    return !ok;
}

/* The floor: SHA-256 of the message, then one EVP_PKEY_sign/verify on a
 * context initialised once. */
static int sign_bare(void *arg)
{
    sig_job *j = arg;
    uint8_t d[32], sig[1024];
    unsigned dl = 0;
    size_t len = sizeof(sig);
    return !(EVP_Digest(j->msg, MSG_LEN, d, &dl, EVP_sha256(), NULL) == 1 &&
             EVP_PKEY_sign(j->bare_ctx, sig, &len, d, dl) == 1);
}

static int verify_bare(void *arg)
{
    sig_job *j = arg;
    uint8_t d[32];
    unsigned dl = 0;
    return !(EVP_Digest(j->msg, MSG_LEN, d, &dl, EVP_sha256(), NULL) == 1 &&
             EVP_PKEY_verify(j->bare_ctx, j->der_sig, j->der_sig_len, d, dl) == 1);
}

static void sig_job_init(tsvc_ctx *ctx, sig_job *j, int sign)
{
    tsvc_error *err = NULL;
    for (size_t i = 0; i < MSG_LEN; i++)
        j->msg[i] = (uint8_t)(i * 7 + 1);
    if (j->key == NULL) {
        check(tsvc_key_generate(ctx, &j->key, j->type, j->type == TSVC_KEY_RSA ? 2048u : 0u,
                                &err),
              err, "key generation");
        check(tsvc_key_get_public(j->key, &j->pub, &err), err, "public key");
        tsvc_buf pk = TSVC_BUF_INIT;
        check(tsvc_key_export(j->key, &pk, TSVC_FORMAT_DER, &err), err, "key export");
        const unsigned char *p = pk.data;
        j->pkey = d2i_AutoPrivateKey(NULL, &p, (long)pk.len);
        tsvc_buf_dispose(&pk);
        if (j->pkey == NULL)
            die("loading the key into OpenSSL");
        tsvc_buf sig = TSVC_BUF_INIT;
        check(tsvc_key_sign(j->key, &sig, j->scheme, TSVC_HASH_SHA256, j->msg, MSG_LEN, &err),
              err, "signing");
        memcpy(j->sig, sig.data, sig.len);
        j->sig_len = sig.len;
        memcpy(j->der_sig, sig.data, sig.len); /* ECDSA: DER in our public API too */
        j->der_sig_len = sig.len;
        tsvc_buf_dispose(&sig);
    }
    EVP_PKEY_CTX_free(j->bare_ctx);
    j->bare_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, j->pkey, NULL);
    if (j->bare_ctx == NULL || (sign ? EVP_PKEY_sign_init(j->bare_ctx)
                                     : EVP_PKEY_verify_init(j->bare_ctx)) != 1 ||
        EVP_PKEY_CTX_set_signature_md(j->bare_ctx, EVP_sha256()) != 1)
        die("EVP_PKEY_CTX set-up");
    if (j->type == TSVC_KEY_RSA &&
        EVP_PKEY_CTX_set_rsa_padding(j->bare_ctx, RSA_PKCS1_PADDING) != 1)
        die("EVP_PKEY_CTX padding");
}

/* ------------------------------------------------------------------ */
/* path validation of a 3-certificate chain                            */
/* ------------------------------------------------------------------ */

typedef struct chain_job {
    tsvc_ctx *ctx;
    int64_t when;
    unsigned char *der[3]; /* root, intermediate, leaf */
    int der_len[3];
    /* repeated: objects kept between runs */
    tsvc_cert *cert[3];
    tsvc_store *store;
    tsvc_policy *policy;
    X509 *x[3];
    X509_STORE *xstore;
    STACK_OF(X509) *untrusted;
} chain_job;

static void add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, v3, nid, value);
    if (e == NULL || X509_add_ext(x, e, -1) != 1)
        die("X509 extension");
    X509_EXTENSION_free(e);
}

static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, int ca,
                       long serial)
{
    X509 *x = X509_new();
    if (x == NULL || X509_set_version(x, 2) != 1 ||
        ASN1_INTEGER_set(X509_get_serialNumber(x), serial) != 1 ||
        X509_gmtime_adj(X509_getm_notBefore(x), -86400) == NULL ||
        X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365) == NULL)
        die("X509 set-up");
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"tsvc-bench", -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
    X509_set_pubkey(x, key);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
    add_ext(x, &v3, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_ext(x, &v3, NID_key_usage,
            ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    add_ext(x, &v3, NID_subject_key_identifier, "hash");
    if (issuer != NULL)
        add_ext(x, &v3, NID_authority_key_identifier, "keyid:always");
    if (X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) <= 0)
        die("X509_sign");
    return x;
}

static void chain_init(chain_job *j, tsvc_ctx *ctx)
{
    memset(j, 0, sizeof(*j));
    j->ctx = ctx;
    j->when = (int64_t)time(NULL);
    EVP_PKEY *k[3];
    for (int i = 0; i < 3; i++)
        if ((k[i] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL)
            die("chain key generation");
    X509 *root = make_cert(k[0], "bench root", NULL, NULL, 1, 1);
    X509 *inter = make_cert(k[1], "bench intermediate", root, k[0], 1, 2);
    X509 *leaf = make_cert(k[2], "bench leaf", inter, k[1], 0, 3);
    X509 *xs[3] = {root, inter, leaf};
    for (int i = 0; i < 3; i++) {
        j->der[i] = NULL;
        j->der_len[i] = i2d_X509(xs[i], &j->der[i]);
        if (j->der_len[i] <= 0)
            die("i2d_X509");
        X509_free(xs[i]);
        EVP_PKEY_free(k[i]);
    }
}

/* Ours, cold: parse the three certificates, build the store, validate. */
static int validate_once(chain_job *j, tsvc_cert **cert, tsvc_store *store, tsvc_policy *policy)
{
    tsvc_report *rep = NULL;
    if (tsvc_validate(j->ctx, &rep, cert[2], store, policy, NULL) != TSVC_OK)
        return 1;
    int rc = tsvc_report_indication(rep) != TSVC_INDICATION_PASSED;
    if (rc)
        fprintf(stderr, "tsvc-bench: validation: %s\n", tsvc_report_reason(rep));
    tsvc_report_free(rep);
    return rc;
}

static int build_ours(chain_job *j, tsvc_cert **cert, tsvc_store **store, tsvc_policy **policy)
{
    for (int i = 0; i < 3; i++)
        if (tsvc_cert_parse(j->ctx, &cert[i], j->der[i], (size_t)j->der_len[i], NULL) !=
            TSVC_OK)
            return 1;
    if (tsvc_store_new(j->ctx, store, NULL) != TSVC_OK ||
        tsvc_store_add_anchor(*store, cert[0], NULL) != TSVC_OK ||
        tsvc_store_add_intermediate(*store, cert[1], NULL) != TSVC_OK ||
        tsvc_policy_new(j->ctx, policy, NULL) != TSVC_OK ||
        tsvc_policy_set_time(*policy, j->when, NULL) != TSVC_OK)
        return 1;
    return 0;
}

static void free_ours(tsvc_cert **cert, tsvc_store *store, tsvc_policy *policy)
{
    for (int i = 0; i < 3; i++) {
        tsvc_cert_free(cert[i]);
        cert[i] = NULL;
    }
    tsvc_store_free(store);
    tsvc_policy_free(policy);
}

static int path_ours_cold(void *arg)
{
    chain_job *j = arg;
    tsvc_cert *cert[3] = {NULL};
    tsvc_store *store = NULL;
    tsvc_policy *policy = NULL;
    int rc = build_ours(j, cert, &store, &policy);
    if (rc == 0)
        rc = validate_once(j, cert, store, policy);
    free_ours(cert, store, policy);
    return rc;
}

static int path_ours_repeated(void *arg)
{
    chain_job *j = arg;
    if (j->store == NULL && build_ours(j, j->cert, &j->store, &j->policy) != 0)
        return 1;
    return validate_once(j, j->cert, j->store, j->policy);
}

static int ossl_verify(chain_job *j, X509 *leaf, X509_STORE *store, STACK_OF(X509) *untrusted)
{
    X509_STORE_CTX *c = X509_STORE_CTX_new();
    int ok = c != NULL && X509_STORE_CTX_init(c, store, leaf, untrusted) == 1;
    if (ok) {
        X509_STORE_CTX_set_time(c, 0, (time_t)j->when);
        ok = X509_verify_cert(c) == 1;
        if (!ok)
            fprintf(stderr, "tsvc-bench: X509_verify_cert: %s\n",
                    X509_verify_cert_error_string(X509_STORE_CTX_get_error(c)));
    }
    X509_STORE_CTX_free(c);
    return !ok;
}

static int build_peer(chain_job *j, X509 **x, X509_STORE **store, STACK_OF(X509) **untrusted)
{
    for (int i = 0; i < 3; i++) {
        const unsigned char *p = j->der[i];
        if ((x[i] = d2i_X509(NULL, &p, j->der_len[i])) == NULL)
            return 1;
    }
    *store = X509_STORE_new();
    *untrusted = sk_X509_new_null();
    if (*store == NULL || *untrusted == NULL || X509_STORE_add_cert(*store, x[0]) != 1 ||
        sk_X509_push(*untrusted, x[1]) <= 0)
        return 1;
    return 0;
}

static void free_peer(X509 **x, X509_STORE *store, STACK_OF(X509) *untrusted)
{
    sk_X509_free(untrusted);
    X509_STORE_free(store);
    for (int i = 0; i < 3; i++) {
        X509_free(x[i]);
        x[i] = NULL;
    }
}

static int path_peer_cold(void *arg)
{
    chain_job *j = arg;
    X509 *x[3] = {NULL};
    X509_STORE *store = NULL;
    STACK_OF(X509) *untrusted = NULL;
    int rc = build_peer(j, x, &store, &untrusted);
    if (rc == 0)
        rc = ossl_verify(j, x[2], store, untrusted);
    free_peer(x, store, untrusted);
    return rc;
}

static int path_peer_repeated(void *arg)
{
    chain_job *j = arg;
    if (j->xstore == NULL && build_peer(j, j->x, &j->xstore, &j->untrusted) != 0)
        return 1;
    return ossl_verify(j, j->x[2], j->xstore, j->untrusted);
}

/* ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--short") == 0) {
            g_short = true;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            g_only = argv[++i];
        } else {
            fprintf(stderr, "usage: %s [--short] [--only TEXT]\n", argv[0]);
            return 2;
        }
    }
    if (g_short) {
        g_min_seconds = 0.15;
        g_rounds = 1;
    }
    tsvc_ctx *ctx = NULL;
    tsvc_error *err = NULL;
    check(tsvc_ctx_new(&ctx, NULL, &err), err, "context");
    printf("libtrustsvc %s vs %s; backends:", tsvc_version_str(),
           OpenSSL_version(OPENSSL_VERSION));
    for (size_t i = 0; i < tsvc_ctx_num_backends(ctx); i++)
        printf(" %s(%d)", tsvc_ctx_backend_name(ctx, i), tsvc_ctx_backend_priority(ctx, i));
    printf("%s\n\n", g_short ? "; short mode" : "");
    row_header();

    /* SHA-256 streamed: ops/s are MB/s (10^6 bytes). */
    hash_job hj = {ctx, malloc(CHUNK), (size_t)(g_short ? 64 : 1024) * 1024 * 1024};
    if (hj.buf == NULL)
        die("malloc");
    memset(hj.buf, 0x5a, CHUNK);
    double o, p, b;
    if (want("SHA-256")) {
        double saved = g_min_seconds;
        g_min_seconds = 0; /* one pass per round: the pass is long enough */
        measure3(sha_ours, &hj, sha_peer, &hj, NULL, NULL, &o, &p, &b);
        g_min_seconds = saved;
        double mb = (double)hj.total / 1e6;
        char name[64];
        snprintf(name, sizeof(name), "SHA-256 streamed %zu MiB (MB/s)", hj.total >> 20);
        row(name, o * mb, p * mb, p * mb); /* bare = the same EVP calls */
    }
    long rss_stream = peak_rss_kib();
    free(hj.buf);

    sig_job jobs[2] = {
        {.label = "P-256", .type = TSVC_KEY_ECDSA_P256, .scheme = TSVC_SIG_ECDSA},
        {.label = "RSA-2048", .type = TSVC_KEY_RSA, .scheme = TSVC_SIG_RSA_PKCS1},
    };
    double verify_bare_p256 = 0;
    for (int i = 0; i < 2; i++) {
        sig_job *j = &jobs[i];
        char name[64];
        sig_job_init(ctx, j, 1);
        snprintf(name, sizeof(name), "%s sign 1 KiB (SHA-256)", j->label);
        if (want(name)) {
            measure3(sign_ours, j, sign_peer, j, sign_bare, j, &o, &p, &b);
            row(name, o, p, b);
        }
        sig_job_init(ctx, j, 0);
        snprintf(name, sizeof(name), "%s verify 1 KiB (SHA-256)", j->label);
        /* The path rows need the bare P-256 verification rate. */
        if (want(name) || (j->type == TSVC_KEY_ECDSA_P256 && want("path validation"))) {
            bool w = want(name);
            measure3(w ? verify_ours : NULL, j, w ? verify_peer : NULL, j, verify_bare, j, &o,
                     &p, &b);
            if (w)
                row(name, o, p, b);
            if (j->type == TSVC_KEY_ECDSA_P256)
                verify_bare_p256 = b;
        }
    }

    chain_job cj;
    chain_init(&cj, ctx);
    /* Bare limit: two P-256 verifications per chain (the anchor's own
     * signature is not checked by either side). */
    if (want("path validation, 3-cert P-256 chain, cold")) {
        measure3(path_ours_cold, &cj, path_peer_cold, &cj, NULL, NULL, &o, &p, &b);
        row("path validation, 3-cert P-256 chain, cold", o, p, verify_bare_p256 / 2);
    }
    if (want("path validation, 3-cert chain, repeated")) {
        measure3(path_ours_repeated, &cj, path_peer_repeated, &cj, NULL, NULL, &o, &p, &b);
        row("path validation, 3-cert chain, repeated", o, p, verify_bare_p256 / 2);
    }

    row_na("CAdES B-B sign 1 KiB, P-256 (CMS_sign)");
    row_na("CAdES B-B sign 1 KiB, RSA-2048 (CMS_sign)");
    row_na("CMS verify, 3-cert chain, cold (CMS_verify)");
    row_na("CMS verify, 3-cert chain, repeated");
    row_na("TSA response (TS_RESP_create_response)");
    row_na("OCSP response verification");

    printf("\npeak RSS after SHA-256 over %zu MiB streamed: %ld KiB\n", hj.total >> 20,
           rss_stream);
    printf("peak RSS streamed CAdES signing/verification of 1 GiB: n/a (API not yet "
           "available)\n");
    printf("peak RSS of the whole run: %ld KiB\n", peak_rss_kib());

    for (int i = 0; i < 2; i++) {
        EVP_PKEY_CTX_free(jobs[i].bare_ctx);
        EVP_PKEY_free(jobs[i].pkey);
        tsvc_pubkey_free(jobs[i].pub);
        tsvc_key_free(jobs[i].key);
    }
    free_ours(cj.cert, cj.store, cj.policy);
    free_peer(cj.x, cj.xstore, cj.untrusted);
    for (int i = 0; i < 3; i++)
        OPENSSL_free(cj.der[i]);
    tsvc_ctx_free(ctx);
    return 0;
}
