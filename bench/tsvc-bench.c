/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * tsvc-bench: times libtrustsvc and OpenSSL's own APIs on the same work in
 * the same run, and prints one table:
 *
 *   operation | ours | OpenSSL | bare (ops/s) | ours/OSSL | ours/bare | OSSL/bare | bare is
 *
 * "bare" is the limit the primitives set for the operation, measured in
 * the same run, in the same turns as the row, with the leanest OpenSSL
 * calls (a reused, initialised EVP_PKEY_CTX; EVP_DigestUpdate); the last
 * column names it: for a signature, hashing the message plus one
 * EVP_PKEY_sign/verify; for CAdES signing and TSA issuance, one bare
 * signature with the same key; for path validation of a 3-certificate
 * chain, two P-256 signature verifications; for CMS verification with that
 * chain, three; for OCSP response verification, one; for SHA-256, the same
 * EVP calls `openssl dgst` makes. The peers: EVP_DigestSign/Verify,
 * X509_verify_cert, CMS_sign (CMS_CADES), CMS_verify,
 * TS_RESP_create_response, OCSP_basic_verify. Streamed detached CAdES
 * signing and verification are timed against SHA-256 through EVP (their
 * bare limit) and give the peak RSS. After the table, the goals of the
 * OpenSSL backend are checked against the ratios (informative: the exit
 * status does not depend on them).
 *
 * Rates are operations per CPU-second of this process
 * (CLOCK_PROCESS_CPUTIME_ID), so that other processes on a busy machine do
 * not lower them (wall-clock rates on a loaded machine are a fraction of
 * the machine's; they still share its caches). The CPU share the run got
 * is printed at the end.
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

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "trustsvc/revoke.h"
#include "trustsvc/sign.h"
#include "trustsvc/trustsvc.h"
#include "trustsvc/tsp.h"
#include "trustsvc/verify.h"

static bool g_short;
static const char *g_only; /* --only TEXT: only the rows whose name contains TEXT */
static double g_min_seconds = 1.0;
static int g_rounds = 2;

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: what the rates are measured in. */
static double now_s(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
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

/* Releases bytes that came out of a tsvc_buf. */
static void tsvc_free_bytes(uint8_t *data, size_t len)
{
    tsvc_buf b = {data, len};
    tsvc_buf_dispose(&b);
}

/* One timed operation: returns 0 on success. */
typedef int (*op_fn)(void *arg);

/*
 * Rates of up to three variants of one operation (ops/s). The variants run
 * in turns of g_min_seconds / 10 each, until each has run g_min_seconds *
 * g_rounds in all (and at least g_rounds turns), so that what other
 * processes do to the caches falls on them alike. Within a turn the
 * clock is read after groups of operations that grow to about 1/64 of the
 * turn, so that reading it costs the fast operations nothing measurable.
 */
static void measure3(op_fn ours, void *oa, op_fn peer, void *pa, op_fn bare, void *ba,
                     double *r_ours, double *r_peer, double *r_bare)
{
    op_fn fn[3] = {ours, peer, bare};
    void *arg[3] = {oa, pa, ba};
    double n[3] = {0, 0, 0}, t[3] = {0, 0, 0};
    unsigned long group[3] = {1, 1, 1};
    for (int i = 0; i < 3; i++) /* warm-up, and a check that each works */
        if (fn[i] != NULL && fn[i](arg[i]) != 0)
            die("warm-up");
    double slice = g_min_seconds / 10, total = g_min_seconds * g_rounds;
    for (int round = 0;; round++) {
        bool more = round + 1 < g_rounds;
        for (int i = 0; i < 3; i++) {
            if (fn[i] == NULL)
                continue;
            double t0 = now_s(), dt;
            unsigned long k = 0;
            do {
                for (unsigned long q = 0; q < group[i]; q++)
                    if (fn[i](arg[i]) != 0)
                        die("operation");
                k += group[i];
                dt = now_s() - t0;
                if (dt < slice / 64 && group[i] < 65536)
                    group[i] *= 2;
            } while (dt < slice);
            n[i] += (double)k;
            t[i] += dt;
            if (t[i] < total)
                more = true;
        }
        if (!more)
            break;
    }
    *r_ours = t[0] > 0 ? n[0] / t[0] : 0;
    *r_peer = t[1] > 0 ? n[1] / t[1] : 0;
    *r_bare = t[2] > 0 ? n[2] / t[2] : 0;
}

static bool want(const char *name)
{
    return g_only == NULL || strstr(name, g_only) != NULL;
}

/* The rows measured, for the goals after the table. */
#define MAX_ROWS 32
static struct {
    char name[64];
    double ours, peer, bare;
} g_rows[MAX_ROWS];
static size_t g_num_rows;

static void row_header(void)
{
    printf("%-50s %11s %11s %11s %9s %9s %9s  %s\n", "operation (ops/s; peer)", "ours",
           "OpenSSL", "bare", "ours/OSSL", "ours/bare", "OSSL/bare", "bare is");
    printf("%-50s %11s %11s %11s %9s %9s %9s  %s\n", "-----------------------", "----",
           "-------", "----", "---------", "---------", "---------", "-------");
}

static void ratio(char *out, size_t size, double a, double b)
{
    if (a > 0 && b > 0)
        snprintf(out, size, "%.2f", a / b);
    else
        snprintf(out, size, "-");
}

static void rate(char *out, size_t size, double r)
{
    if (r > 0)
        snprintf(out, size, "%.1f", r);
    else
        snprintf(out, size, "-");
}

/* One line of the table: the rates of ours, the peer (0: none) and the
 * bare limit, measured in the same turns, and what the bare limit is. */
static void row(const char *name, double ours, double peer, double bare, const char *bare_is)
{
    char o[32], p[32], b[32], op[32], ob[32], pb[32];
    rate(o, sizeof(o), ours);
    rate(p, sizeof(p), peer);
    rate(b, sizeof(b), bare);
    ratio(op, sizeof(op), ours, peer);
    ratio(ob, sizeof(ob), ours, bare);
    ratio(pb, sizeof(pb), peer, bare);
    printf("%-50s %11s %11s %11s %9s %9s %9s  %s\n", name, o, p, b, op, ob, pb, bare_is);
    fflush(stdout);
    if (g_num_rows < MAX_ROWS) {
        snprintf(g_rows[g_num_rows].name, sizeof(g_rows[g_num_rows].name), "%s", name);
        g_rows[g_num_rows].ours = ours;
        g_rows[g_num_rows].peer = peer;
        g_rows[g_num_rows].bare = bare;
        g_num_rows++;
    }
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
    EVP_PKEY_CTX *bare_sign, *bare_verify; /* initialised once, reused */
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
             EVP_PKEY_sign(j->bare_sign, sig, &len, d, dl) == 1);
}

static int verify_bare(void *arg)
{
    sig_job *j = arg;
    uint8_t d[32];
    unsigned dl = 0;
    return !(EVP_Digest(j->msg, MSG_LEN, d, &dl, EVP_sha256(), NULL) == 1 &&
             EVP_PKEY_verify(j->bare_verify, j->der_sig, j->der_sig_len, d, dl) == 1);
}

static void sig_job_init(tsvc_ctx *ctx, sig_job *j)
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
    for (int sign = 0; sign < 2; sign++) {
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, j->pkey, NULL);
        if (c == NULL || (sign ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c)) != 1 ||
            EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) != 1)
            die("EVP_PKEY_CTX set-up");
        if (j->type == TSVC_KEY_RSA && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) != 1)
            die("EVP_PKEY_CTX padding");
        *(sign ? &j->bare_sign : &j->bare_verify) = c;
    }
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
    /* to issue more certificates */
    EVP_PKEY *root_key, *inter_key;
    X509 *root_x, *inter_x;
} chain_job;

enum cert_kind { CERT_CA, CERT_SIGNER, CERT_TSA };

static void add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, v3, nid, value);
    if (e == NULL || X509_add_ext(x, e, -1) != 1)
        die("X509 extension");
    X509_EXTENSION_free(e);
}

static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                       enum cert_kind kind, long serial)
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
    int ca = kind == CERT_CA;
    add_ext(x, &v3, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_ext(x, &v3, NID_key_usage,
            ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation");
    if (kind == CERT_TSA)
        add_ext(x, &v3, NID_ext_key_usage, "critical,timeStamping");
    add_ext(x, &v3, NID_subject_key_identifier, "hash");
    if (issuer != NULL)
        add_ext(x, &v3, NID_authority_key_identifier, "keyid:always");
    if (X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) <= 0)
        die("X509_sign");
    return x;
}

/* Root and intermediate CA (P-256), and a leaf for @p leaf_key. */
static void chain_init(chain_job *j, tsvc_ctx *ctx, EVP_PKEY *leaf_key)
{
    memset(j, 0, sizeof(*j));
    j->ctx = ctx;
    j->when = (int64_t)time(NULL);
    j->root_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    j->inter_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (j->root_key == NULL || j->inter_key == NULL)
        die("chain key generation");
    j->root_x = make_cert(j->root_key, "bench root", NULL, NULL, CERT_CA, 1);
    j->inter_x = make_cert(j->inter_key, "bench intermediate", j->root_x, j->root_key, CERT_CA, 2);
    X509 *leaf = make_cert(leaf_key, "bench leaf", j->inter_x, j->inter_key, CERT_SIGNER, 3);
    X509 *xs[3] = {j->root_x, j->inter_x, leaf};
    for (int i = 0; i < 3; i++) {
        j->der[i] = NULL;
        j->der_len[i] = i2d_X509(xs[i], &j->der[i]);
        if (j->der_len[i] <= 0)
            die("i2d_X509");
    }
    X509_free(leaf);
}

static void chain_free(chain_job *j)
{
    EVP_PKEY_free(j->root_key);
    EVP_PKEY_free(j->inter_key);
    X509_free(j->root_x);
    X509_free(j->inter_x);
    for (int i = 0; i < 3; i++)
        OPENSSL_free(j->der[i]);
}

/* A certificate issued by the intermediate, in both libraries' forms. */
static X509 *issue(chain_job *j, EVP_PKEY *key, const char *cn, enum cert_kind kind, long serial,
                   tsvc_cert **ours)
{
    X509 *x = make_cert(key, cn, j->inter_x, j->inter_key, kind, serial);
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    if (len <= 0)
        die("i2d_X509");
    tsvc_error *err = NULL;
    check(tsvc_cert_parse(j->ctx, ours, der, (size_t)len, &err), err, "certificate");
    OPENSSL_free(der);
    return x;
}

static tsvc_cert *parse_der(chain_job *j, int i)
{
    tsvc_cert *c = NULL;
    tsvc_error *err = NULL;
    check(tsvc_cert_parse(j->ctx, &c, j->der[i], (size_t)j->der_len[i], &err), err,
          "certificate");
    return c;
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
/* CAdES B-B signing                                                   */
/* ------------------------------------------------------------------ */

typedef struct cades_job {
    tsvc_ctx *ctx;
    sig_job *sj;
    tsvc_cert *cert; /* signer certificate, ours */
    X509 *x;         /* the same, OpenSSL's */
    tsvc_signer_options opts;
} cades_job;

static int cades_ours(void *arg)
{
    cades_job *j = arg;
    tsvc_buf out = TSVC_BUF_INIT;
    int rc = tsvc_sign(j->ctx, &out, j->sj->key, j->cert, j->sj->msg, MSG_LEN, &j->opts, NULL) !=
             TSVC_OK;
    tsvc_buf_dispose(&out);
    return rc;
}

/* CMS_sign with CMS_CADES (signing-certificate-v2), serialised to DER. */
static int cades_peer(void *arg)
{
    cades_job *j = arg;
    BIO *in = BIO_new_mem_buf(j->sj->msg, MSG_LEN);
    CMS_ContentInfo *cms =
        in ? CMS_sign(j->x, j->sj->pkey, NULL, in, CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP)
           : NULL;
    unsigned char *der = NULL;
    int len = cms ? i2d_CMS_ContentInfo(cms, &der) : 0;
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    return len <= 0;
}

/* ------------------------------------------------------------------ */
/* CMS verification with a 3-certificate chain                         */
/* ------------------------------------------------------------------ */

typedef struct cmsv_job {
    chain_job *cj;
    uint8_t *cms; /* made by us: leaf and intermediate embedded */
    size_t cms_len;
    /* repeated: kept between runs */
    tsvc_store *store;
    tsvc_policy *policy;
    X509_STORE *xstore;
} cmsv_job;

static int cmsv_build_ours(cmsv_job *j, tsvc_store **store, tsvc_policy **policy)
{
    tsvc_cert *root = NULL;
    if (tsvc_cert_parse(j->cj->ctx, &root, j->cj->der[0], (size_t)j->cj->der_len[0], NULL) !=
            TSVC_OK ||
        tsvc_store_new(j->cj->ctx, store, NULL) != TSVC_OK ||
        tsvc_store_add_anchor(*store, root, NULL) != TSVC_OK ||
        tsvc_policy_new(j->cj->ctx, policy, NULL) != TSVC_OK ||
        tsvc_policy_set_time(*policy, j->cj->when, NULL) != TSVC_OK) {
        tsvc_cert_free(root);
        return 1;
    }
    tsvc_cert_free(root);
    return 0;
}

static int cmsv_once(cmsv_job *j, tsvc_store *store, tsvc_policy *policy)
{
    tsvc_sig_report *rep = NULL;
    if (tsvc_verify(j->cj->ctx, &rep, j->cms, j->cms_len, NULL, 0, store, policy, NULL, NULL) !=
        TSVC_OK)
        return 1;
    int rc = tsvc_sig_report_indication(rep) != TSVC_INDICATION_PASSED;
    if (rc)
        fprintf(stderr, "tsvc-bench: CMS verification: %s\n", tsvc_sig_report_reason(rep));
    tsvc_sig_report_free(rep);
    return rc;
}

static int cmsv_ours_cold(void *arg)
{
    cmsv_job *j = arg;
    tsvc_store *store = NULL;
    tsvc_policy *policy = NULL;
    int rc = cmsv_build_ours(j, &store, &policy);
    if (rc == 0)
        rc = cmsv_once(j, store, policy);
    tsvc_store_free(store);
    tsvc_policy_free(policy);
    return rc;
}

static int cmsv_ours_repeated(void *arg)
{
    cmsv_job *j = arg;
    if (j->store == NULL && cmsv_build_ours(j, &j->store, &j->policy) != 0)
        return 1;
    return cmsv_once(j, j->store, j->policy);
}

static X509_STORE *cmsv_build_peer(cmsv_job *j)
{
    const unsigned char *p = j->cj->der[0];
    X509 *root = d2i_X509(NULL, &p, j->cj->der_len[0]);
    X509_STORE *st = X509_STORE_new();
    if (root == NULL || st == NULL || X509_STORE_add_cert(st, root) != 1) {
        X509_free(root);
        X509_STORE_free(st);
        return NULL;
    }
    X509_free(root);
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(st), (time_t)j->cj->when);
    return st;
}

static int cmsv_peer_once(cmsv_job *j, X509_STORE *st)
{
    const unsigned char *p = j->cms;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)j->cms_len);
    int ok = cms != NULL && CMS_verify(cms, NULL, st, NULL, NULL, CMS_BINARY) == 1;
    CMS_ContentInfo_free(cms);
    return !ok;
}

static int cmsv_peer_cold(void *arg)
{
    cmsv_job *j = arg;
    X509_STORE *st = cmsv_build_peer(j);
    int rc = st == NULL || cmsv_peer_once(j, st);
    X509_STORE_free(st);
    return rc;
}

static int cmsv_peer_repeated(void *arg)
{
    cmsv_job *j = arg;
    if (j->xstore == NULL && (j->xstore = cmsv_build_peer(j)) == NULL)
        return 1;
    return cmsv_peer_once(j, j->xstore);
}

/* ------------------------------------------------------------------ */
/* TSA response creation                                               */
/* ------------------------------------------------------------------ */

#define TSA_POLICY "1.3.6.1.4.1.99999.1"

typedef struct tsa_job {
    tsvc_tsa *tsa;
    TS_RESP_CTX *rctx;
    uint8_t *req;
    size_t req_len;
} tsa_job;

static int tsa_ours(void *arg)
{
    tsa_job *j = arg;
    tsvc_buf out = TSVC_BUF_INIT;
    int rc = tsvc_tsa_respond(j->tsa, &out, j->req, j->req_len, NULL) != TSVC_OK;
    tsvc_buf_dispose(&out);
    return rc;
}

static int tsa_peer(void *arg)
{
    tsa_job *j = arg;
    BIO *in = BIO_new_mem_buf(j->req, (int)j->req_len);
    TS_RESP *resp = in ? TS_RESP_create_response(j->rctx, in) : NULL;
    unsigned char *der = NULL;
    int len = resp ? i2d_TS_RESP(resp, &der) : 0;
    int granted = resp && ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(
                              resp))) == TS_STATUS_GRANTED;
    OPENSSL_free(der);
    TS_RESP_free(resp);
    BIO_free(in);
    return len <= 0 || !granted;
}

/* ------------------------------------------------------------------ */
/* OCSP response verification                                          */
/* ------------------------------------------------------------------ */

typedef struct ocsp_job {
    tsvc_ctx *ctx;
    int64_t when;
    uint8_t *resp;
    size_t resp_len;
    tsvc_cert *leaf, *issuer;
    X509 *xleaf, *xissuer;
    STACK_OF(X509) *xcerts; /* the issuer, trusted as the responder */
    X509_STORE *xstore;
} ocsp_job;

static int ocsp_ours(void *arg)
{
    ocsp_job *j = arg;
    tsvc_ocsp_response *r = NULL;
    tsvc_cert_status status = TSVC_CERT_STATUS_UNKNOWN;
    if (tsvc_ocsp_response_parse(j->ctx, &r, j->resp, j->resp_len, NULL) != TSVC_OK)
        return 1;
    tsvc_status st = tsvc_ocsp_response_verify(j->ctx, &status, NULL, NULL, r, j->leaf,
                                               j->issuer, j->when, NULL, NULL);
    tsvc_ocsp_response_free(r);
    return st != TSVC_OK || status != TSVC_CERT_STATUS_GOOD;
}

/* The same checks with OpenSSL: the responder is the issuer, trusted as
 * given (OCSP_TRUSTOTHER: no chain building, like ours), the signature,
 * the CertID, the validity period. */
static int ocsp_peer(void *arg)
{
    ocsp_job *j = arg;
    const unsigned char *p = j->resp;
    OCSP_RESPONSE *r = d2i_OCSP_RESPONSE(NULL, &p, (long)j->resp_len);
    OCSP_BASICRESP *bs = r ? OCSP_response_get1_basic(r) : NULL;
    OCSP_CERTID *id = OCSP_cert_to_id(NULL, j->xleaf, j->xissuer);
    int status = -1, reason = 0;
    ASN1_GENERALIZEDTIME *rev = NULL, *thisu = NULL, *nextu = NULL;
    int ok = bs != NULL && id != NULL &&
             OCSP_response_status(r) == OCSP_RESPONSE_STATUS_SUCCESSFUL &&
             OCSP_basic_verify(bs, j->xcerts, j->xstore, OCSP_TRUSTOTHER) == 1 &&
             OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisu, &nextu) == 1 &&
             OCSP_check_validity(thisu, nextu, 300, -1) == 1 && status == V_OCSP_CERTSTATUS_GOOD;
    OCSP_CERTID_free(id);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(r);
    return !ok;
}

/* ------------------------------------------------------------------ */
/* streamed signing and verification                                   */
/* ------------------------------------------------------------------ */

typedef struct stream_job {
    tsvc_ctx *ctx;
    const tsvc_key *key;
    tsvc_cert *cert, *inter;
    tsvc_store *store;
    tsvc_policy *policy;
    uint8_t *buf;
    size_t total;
    tsvc_buf cms;
} stream_job;

static int stream_sign(void *arg)
{
    stream_job *j = arg;
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    o.detached = 1;
    tsvc_signer *sg = NULL;
    if (tsvc_signer_new(j->ctx, &sg, j->key, j->cert, &o, NULL) != TSVC_OK)
        return 1;
    int rc = tsvc_signer_add_cert(sg, j->inter, NULL) != TSVC_OK;
    for (size_t done = 0; rc == 0 && done < j->total; done += CHUNK)
        rc = tsvc_signer_update(sg, j->buf, CHUNK, NULL) != TSVC_OK;
    tsvc_buf_dispose(&j->cms);
    if (rc == 0)
        rc = tsvc_signer_finish(sg, &j->cms, NULL) != TSVC_OK;
    tsvc_signer_free(sg);
    return rc;
}

static int stream_verify(void *arg)
{
    stream_job *j = arg;
    tsvc_verifier *v = NULL;
    if (tsvc_verifier_new(j->ctx, &v, j->cms.data, j->cms.len, j->store, j->policy, NULL,
                          NULL) != TSVC_OK)
        return 1;
    int rc = 0;
    for (size_t done = 0; rc == 0 && done < j->total; done += CHUNK)
        rc = tsvc_verifier_update(v, j->buf, CHUNK, NULL) != TSVC_OK;
    tsvc_sig_report *rep = NULL;
    if (rc == 0)
        rc = tsvc_verifier_finish(v, &rep, NULL) != TSVC_OK ||
             tsvc_sig_report_indication(rep) != TSVC_INDICATION_PASSED;
    if (rep != NULL && tsvc_sig_report_indication(rep) != TSVC_INDICATION_PASSED)
        fprintf(stderr, "tsvc-bench: streamed verification: %s\n",
                tsvc_sig_report_reason(rep));
    tsvc_sig_report_free(rep);
    tsvc_verifier_free(v);
    return rc;
}

/* ------------------------------------------------------------------ */
/* what the CAdES rows compare                                         */
/* ------------------------------------------------------------------ */

/* "N bytes, signed attributes a, b, c, k certificate(s), content
 * embedded/detached" of a CMS signature, read back with OpenSSL, so that
 * the table shows both CAdES rows make the same thing. */
static void cms_describe(const unsigned char *der, long len, char *out, size_t size)
{
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, len);
    STACK_OF(CMS_SignerInfo) *sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
    CMS_SignerInfo *si = sis && sk_CMS_SignerInfo_num(sis) == 1 ? sk_CMS_SignerInfo_value(sis, 0)
                                                                : NULL;
    size_t at = 0;
    if (si == NULL) {
        snprintf(out, size, "not one SignerInfo");
        CMS_ContentInfo_free(cms);
        return;
    }
    at += (size_t)snprintf(out, size, "%ld bytes; signed attributes", len);
    for (int k = 0; k < CMS_signed_get_attr_count(si) && at < size; k++) {
        const ASN1_OBJECT *o = X509_ATTRIBUTE_get0_object(CMS_signed_get_attr(si, k));
        char name[64];
        int nid = OBJ_obj2nid(o);
        if (nid != NID_undef)
            snprintf(name, sizeof(name), "%s", OBJ_nid2sn(nid));
        else
            OBJ_obj2txt(name, sizeof(name), o, 1);
        at += (size_t)snprintf(out + at, size - at, "%s %s", k == 0 ? "" : ",", name);
    }
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    if (at < size)
        snprintf(out + at, size - at, "; %d certificate(s); content %s",
                 certs ? sk_X509_num(certs) : 0,
                 content != NULL && *content != NULL ? "embedded" : "detached");
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
}

/* ------------------------------------------------------------------ */
/* goals                                                               */
/* ------------------------------------------------------------------ */

static bool g_goal_missed;

/* Prints whether row @p name has ours/bare (@p of_peer false) or
 * ours/OpenSSL (@p of_peer true) of at least @p min. */
static void goal(const char *name, bool of_peer, double min)
{
    for (size_t i = 0; i < g_num_rows; i++) {
        if (strcmp(g_rows[i].name, name) != 0)
            continue;
        double d = of_peer ? g_rows[i].peer : g_rows[i].bare;
        if (g_rows[i].ours <= 0 || d <= 0)
            break;
        double r = g_rows[i].ours / d;
        printf("  %-50s %-9s %6.2f >= %.2f  %s\n", name, of_peer ? "ours/OSSL" : "ours/bare", r,
               min, r >= min ? "met" : "NOT MET");
        if (r < min)
            g_goal_missed = true;
        return;
    }
}

/* ------------------------------------------------------------------ */

#define ROW_SHA "SHA-256 streamed (MB/s; openssl dgst's EVP calls)"
#define ROW_PATH_COLD "path, 3-cert chain, cold (X509_verify_cert)"
#define ROW_PATH_REP "path, 3-cert chain, repeated (X509_verify_cert)"
#define ROW_CMSV_COLD "CMS verify, 3-cert chain, cold (CMS_verify)"
#define ROW_CMSV_REP "CMS verify, 3-cert chain, repeated (CMS_verify)"
#define ROW_OCSP "OCSP response verify (OCSP_basic_verify)"
#define ROW_STREAM_SIGN "CAdES sign, detached, streamed (MB/s)"
#define ROW_STREAM_VERIFY "CMS verify, detached, streamed (MB/s)"

static void sig_row_names(const sig_job *j, char sign[64], char verify[64], char cades[64],
                          char tsa[64])
{
    snprintf(sign, 64, "%s sign 1 KiB (EVP_DigestSign)", j->label);
    snprintf(verify, 64, "%s verify 1 KiB (EVP_DigestVerify)", j->label);
    snprintf(cades, 64, "CAdES B-B sign 1 KiB, %s (CMS_sign)", j->label);
    snprintf(tsa, 64, "TSA response, %s (TS_RESP_create_response)", j->label);
}

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
    double wall0 = clock_s(CLOCK_MONOTONIC), cpu0 = now_s();
    tsvc_ctx *ctx = NULL;
    tsvc_error *err = NULL;
    check(tsvc_ctx_new(&ctx, NULL, &err), err, "context");
    printf("libtrustsvc %s vs %s; backends:", tsvc_version_str(),
           OpenSSL_version(OPENSSL_VERSION));
    for (size_t i = 0; i < tsvc_ctx_num_backends(ctx); i++)
        printf(" %s(%d)", tsvc_ctx_backend_name(ctx, i), tsvc_ctx_backend_priority(ctx, i));
    printf("%s\n", g_short ? "; short mode" : "");
    printf("rates per CPU-second of this process; ratios of rates measured in the same "
           "turns\n\n");
    row_header();

    /* SHA-256 streamed: ops/s are MB/s (10^6 bytes). */
    hash_job hj = {ctx, malloc(CHUNK), (size_t)(g_short ? 64 : 1024) * 1024 * 1024};
    if (hj.buf == NULL)
        die("malloc");
    memset(hj.buf, 0x5a, CHUNK);
    double o, p, b;
    if (want(ROW_SHA)) {
        double saved = g_min_seconds;
        g_min_seconds = 0; /* one pass per round: the pass is long enough */
        measure3(sha_ours, &hj, sha_peer, &hj, NULL, NULL, &o, &p, &b);
        g_min_seconds = saved;
        double mb = (double)hj.total / 1e6;
        char what[64];
        snprintf(what, sizeof(what), "the peer: EVP SHA-256 over %zu MiB", hj.total >> 20);
        row(ROW_SHA, o * mb, p * mb, p * mb, what); /* bare = the same EVP calls */
    }
    long rss_stream = peak_rss_kib();

    sig_job jobs[2] = {
        {.label = "P-256", .type = TSVC_KEY_ECDSA_P256, .scheme = TSVC_SIG_ECDSA},
        {.label = "RSA-2048", .type = TSVC_KEY_RSA, .scheme = TSVC_SIG_RSA_PKCS1},
    };
    char n_sign[2][64], n_verify[2][64], n_cades[2][64], n_tsa[2][64];
    for (int i = 0; i < 2; i++)
        sig_row_names(&jobs[i], n_sign[i], n_verify[i], n_cades[i], n_tsa[i]);
    for (int i = 0; i < 2; i++) {
        sig_job *j = &jobs[i];
        /* RSA key generation is slow: only when a row needs the key. */
        if (j->type == TSVC_KEY_RSA && !want(n_sign[i]) && !want(n_verify[i]) &&
            !want(n_cades[i]) && !want(n_tsa[i]))
            continue;
        sig_job_init(ctx, j);
        if (want(n_sign[i])) {
            measure3(sign_ours, j, sign_peer, j, sign_bare, j, &o, &p, &b);
            row(n_sign[i], o, p, b, "SHA-256 + EVP_PKEY_sign");
        }
        if (want(n_verify[i])) {
            measure3(verify_ours, j, verify_peer, j, verify_bare, j, &o, &p, &b);
            row(n_verify[i], o, p, b, "SHA-256 + EVP_PKEY_verify");
        }
    }
    /* The bare limits of the composite rows are measured in the same
     * turns as the row itself: k P-256 verifications or one signature. */
    sig_job *p256 = &jobs[0];

    /* Root and intermediate CA; the P-256 key's certificate is the leaf. */
    chain_job cj;
    chain_init(&cj, ctx, jobs[0].pkey);
    /* Bare limit: two P-256 verifications per chain (the anchor's own
     * signature is not checked by either side). */
    /* The cold rows run on a context without the verified-signature cache,
     * so every signature is really verified, as on a first validation. */
    tsvc_ctx *cold_ctx = NULL;
    check(tsvc_ctx_new(&cold_ctx, NULL, &err), err, "context");
    check(tsvc_ctx_set_limit(cold_ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES, 0, &err), err,
          "signature cache off");
    chain_job cold = cj;
    cold.ctx = cold_ctx;
    if (want(ROW_PATH_COLD)) {
        measure3(path_ours_cold, &cold, path_peer_cold, &cj, verify_bare, p256, &o, &p, &b);
        row(ROW_PATH_COLD, o, p, b / 2, "2 P-256 verifications");
    }
    if (want(ROW_PATH_REP)) {
        measure3(path_ours_repeated, &cj, path_peer_repeated, &cj, verify_bare, p256, &o, &p,
                 &b);
        row(ROW_PATH_REP, o, p, b / 2, "2 P-256 verifications");
    }

    /* CAdES B-B, embedded content, signer certificate included. */
    tsvc_cert *leaf = parse_der(&cj, 2), *inter = parse_der(&cj, 1);
    tsvc_cert *rsa_cert = NULL;
    X509 *rsa_x = jobs[1].pkey == NULL ? NULL
                                       : issue(&cj, jobs[1].pkey, "bench RSA signer",
                                               CERT_SIGNER, 4, &rsa_cert);
    const unsigned char *dp = cj.der[2];
    X509 *leaf_x = d2i_X509(NULL, &dp, cj.der_len[2]);
    if (leaf_x == NULL)
        die("d2i_X509");
    char notes[4][640];
    size_t num_notes = 0;
    for (int i = 0; i < 2; i++) {
        if (jobs[i].pkey == NULL || !want(n_cades[i]))
            continue;
        cades_job caj = {ctx, &jobs[i], i == 0 ? leaf : rsa_cert, i == 0 ? leaf_x : rsa_x,
                         TSVC_SIGNER_OPTIONS_INIT};
        caj.opts.certs = TSVC_SIGN_CERTS_SIGNER;
        measure3(cades_ours, &caj, cades_peer, &caj, sign_bare, &jobs[i], &o, &p, &b);
        char what[64];
        snprintf(what, sizeof(what), "1 %s signature (as its sign row)", jobs[i].label);
        row(n_cades[i], o, p, b, what);
        if (i == 0) {
            /* What each side makes, for the note after the table. */
            tsvc_buf ours = TSVC_BUF_INIT;
            check(tsvc_sign(ctx, &ours, caj.sj->key, caj.cert, caj.sj->msg, MSG_LEN, &caj.opts,
                            &err),
                  err, "signing");
            BIO *in = BIO_new_mem_buf(caj.sj->msg, MSG_LEN);
            CMS_ContentInfo *cms =
                in ? CMS_sign(caj.x, caj.sj->pkey, NULL, in,
                              CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP)
                   : NULL;
            unsigned char *der = NULL;
            int len = cms ? i2d_CMS_ContentInfo(cms, &der) : 0;
            if (len <= 0)
                die("CMS_sign");
            char d[400];
            cms_describe(ours.data, (long)ours.len, d, sizeof(d));
            snprintf(notes[num_notes++], sizeof(notes[0]), "CAdES P-256, ours:     %s", d);
            cms_describe(der, len, d, sizeof(d));
            snprintf(notes[num_notes++], sizeof(notes[0]),
                     "CAdES P-256, CMS_sign: %s (flags CMS_BINARY | CMS_CADES | "
                     "CMS_NOSMIMECAP: no SMIMECapabilities, which ours does not write either)",
                     d);
            OPENSSL_free(der);
            CMS_ContentInfo_free(cms);
            BIO_free(in);
            tsvc_buf_dispose(&ours);
        }
    }

    /* CMS verification: our P-256 signature with leaf and intermediate
     * embedded, the root in the store. Bare: three verifications. */
    cmsv_job vj = {&cj, NULL, 0, NULL, NULL, NULL};
    {
        tsvc_signer *sg = NULL;
        tsvc_buf cms = TSVC_BUF_INIT;
        tsvc_signer_options so = TSVC_SIGNER_OPTIONS_INIT;
        check(tsvc_signer_new(ctx, &sg, jobs[0].key, leaf, &so, &err), err, "signer");
        check(tsvc_signer_add_cert(sg, inter, &err), err, "signer chain");
        check(tsvc_signer_update(sg, jobs[0].msg, MSG_LEN, &err), err, "signer update");
        check(tsvc_signer_finish(sg, &cms, &err), err, "signer finish");
        tsvc_signer_free(sg);
        vj.cms = cms.data;
        vj.cms_len = cms.len;
    }
    if (want(ROW_CMSV_COLD)) {
        cmsv_job vcold = vj;
        vcold.cj = &cold;
        measure3(cmsv_ours_cold, &vcold, cmsv_peer_cold, &vj, verify_bare, p256, &o, &p, &b);
        row(ROW_CMSV_COLD, o, p, b / 3, "3 P-256 verifications");
    }
    if (want(ROW_CMSV_REP)) {
        measure3(cmsv_ours_repeated, &vj, cmsv_peer_repeated, &vj, verify_bare, p256, &o, &p,
                 &b);
        row(ROW_CMSV_REP, o, p, b / 3, "3 P-256 verifications");
    }

    /* TSA: SHA-256 imprint, certReq, ESSCertIDv2 on both sides; a P-256
     * and an RSA-2048 TSA, each with its certificate from the intermediate. */
    tsa_job tj[2];
    memset(tj, 0, sizeof(tj));
    tsvc_cert *tsa_cert[2] = {NULL, NULL};
    X509 *tsa_x[2] = {NULL, NULL};
    if (want(n_tsa[0]) || want(n_tsa[1])) {
        uint8_t digest[32];
        memset(digest, 0x42, sizeof(digest));
        tsvc_tsq *q = NULL;
        tsvc_buf req = TSVC_BUF_INIT;
        check(tsvc_tsq_new(ctx, &q, TSVC_HASH_SHA256, digest, sizeof(digest), &err), err,
              "request");
        tsvc_tsq_set_cert_req(q, 1);
        check(tsvc_tsq_encode(q, &req, &err), err, "request encoding");
        tsvc_tsq_free(q);
        for (int i = 0; i < 2; i++) {
            if (jobs[i].pkey == NULL || !want(n_tsa[i]))
                continue;
            char cn[32];
            snprintf(cn, sizeof(cn), "bench %s TSA", jobs[i].label);
            tsa_x[i] = issue(&cj, jobs[i].pkey, cn, CERT_TSA, 5 + i, &tsa_cert[i]);
            check(tsvc_tsa_new(ctx, &tj[i].tsa, jobs[i].key, tsa_cert[i], TSA_POLICY, &err), err,
                  "TSA");
            tj[i].req = req.data;
            tj[i].req_len = req.len;
            ASN1_OBJECT *pol = OBJ_txt2obj(TSA_POLICY, 1);
            tj[i].rctx = TS_RESP_CTX_new();
            if (tj[i].rctx == NULL || pol == NULL ||
                TS_RESP_CTX_set_signer_cert(tj[i].rctx, tsa_x[i]) != 1 ||
                TS_RESP_CTX_set_signer_key(tj[i].rctx, jobs[i].pkey) != 1 ||
                TS_RESP_CTX_set_def_policy(tj[i].rctx, pol) != 1 ||
                TS_RESP_CTX_add_md(tj[i].rctx, EVP_sha256()) != 1 ||
                TS_RESP_CTX_set_signer_digest(tj[i].rctx, EVP_sha256()) != 1 ||
                TS_RESP_CTX_set_ess_cert_id_digest(tj[i].rctx, EVP_sha256()) != 1)
                die("TS_RESP_CTX set-up");
            ASN1_OBJECT_free(pol);
            measure3(tsa_ours, &tj[i], tsa_peer, &tj[i], sign_bare, &jobs[i], &o, &p, &b);
            char what[64];
            snprintf(what, sizeof(what), "1 %s signature (as its sign row)", jobs[i].label);
            row(n_tsa[i], o, p, b, what);
        }
        tsvc_free_bytes(req.data, req.len);
    }

    /* OCSP: a response about the leaf signed by the intermediate CA. */
    ocsp_job oj = {ctx, cj.when, NULL, 0, leaf, inter, leaf_x, cj.inter_x, NULL, NULL};
    if (want(ROW_OCSP)) {
        PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(cj.inter_key);
        unsigned char *kd = NULL;
        int kl = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &kd) : 0;
        PKCS8_PRIV_KEY_INFO_free(p8);
        if (kl <= 0)
            die("PKCS#8 of the CA key");
        tsvc_key *ca_key = NULL;
        check(tsvc_key_import(ctx, &ca_key, kd, (size_t)kl, &err), err, "CA key import");
        OPENSSL_clear_free(kd, (size_t)kl);
        tsvc_ocsp_response_builder *ob = NULL;
        tsvc_buf resp = TSVC_BUF_INIT;
        size_t sl = 0;
        const uint8_t *serial = tsvc_cert_serial(leaf, &sl);
        check(tsvc_ocsp_response_builder_new(ctx, &ob, inter, inter, ca_key, &err), err,
              "OCSP builder");
        check(tsvc_ocsp_response_builder_add(ob, serial, sl, TSVC_CERT_STATUS_GOOD, 0,
                                             TSVC_REASON_NONE, &err),
              err, "OCSP builder add");
        check(tsvc_ocsp_response_builder_finish(ob, &resp, &err), err, "OCSP response");
        tsvc_ocsp_response_builder_free(ob);
        tsvc_key_free(ca_key);
        oj.resp = resp.data;
        oj.resp_len = resp.len;
        oj.xcerts = sk_X509_new_null();
        oj.xstore = X509_STORE_new();
        if (oj.xcerts == NULL || oj.xstore == NULL || sk_X509_push(oj.xcerts, cj.inter_x) <= 0)
            die("OCSP peer set-up");
        measure3(ocsp_ours, &oj, ocsp_peer, &oj, verify_bare, p256, &o, &p, &b);
        row(ROW_OCSP, o, p, b, "1 P-256 verification");
    }

    /* Streamed detached signing and verification: MB/s; bare = SHA-256
     * through EVP (the digest is all the work that grows with the input). */
    long rss_cades = -1;
    if (want(ROW_STREAM_SIGN) || want(ROW_STREAM_VERIFY)) {
        stream_job sj = {ctx,  jobs[0].key, leaf,     inter,
                         NULL, NULL,        hj.buf,   hj.total, TSVC_BUF_INIT};
        if (cmsv_build_ours(&vj, &sj.store, &sj.policy) != 0)
            die("store");
        double saved = g_min_seconds;
        g_min_seconds = 0;
        double mb = (double)hj.total / 1e6;
        char what[64];
        snprintf(what, sizeof(what), "EVP SHA-256 over %zu MiB", hj.total >> 20);
        measure3(stream_sign, &sj, NULL, NULL, sha_peer, &hj, &o, &p, &b);
        row(ROW_STREAM_SIGN, o * mb, 0, b * mb, what);
        measure3(stream_verify, &sj, NULL, NULL, sha_peer, &hj, &o, &p, &b);
        row(ROW_STREAM_VERIFY, o * mb, 0, b * mb, what);
        g_min_seconds = saved;
        rss_cades = peak_rss_kib();
        tsvc_buf_dispose(&sj.cms);
        tsvc_store_free(sj.store);
        tsvc_policy_free(sj.policy);
    }
    free(hj.buf);

    printf("\n");
    for (size_t i = 0; i < num_notes; i++)
        printf("%s\n", notes[i]);
    printf("peak RSS after SHA-256 over %zu MiB streamed: %ld KiB\n", hj.total >> 20,
           rss_stream);
    if (rss_cades >= 0)
        printf("peak RSS after streamed CAdES signing and verification of %zu MiB: %ld KiB "
               "(goal: < 16384)\n",
               hj.total >> 20, rss_cades);
    printf("peak RSS of the whole run: %ld KiB\n", peak_rss_kib());
    double wall = clock_s(CLOCK_MONOTONIC) - wall0, cpu = now_s() - cpu0;
    printf("run: %.1f s CPU in %.1f s: this process had %.0f%% of a core\n", cpu, wall,
           wall > 0 ? 100 * cpu / wall : 0);

    printf("\ngoals of the OpenSSL backend%s:\n",
           g_short ? " (short mode: too brief to judge them)" : "");
    goal(ROW_SHA, false, 0.9);
    for (int i = 0; i < 2; i++) {
        goal(n_cades[i], false, 0.85);
        goal(n_tsa[i], false, 0.85);
    }
    for (int i = 0; i < 2; i++)
        goal(n_verify[i], false, 0.8);
    goal(ROW_PATH_COLD, false, 0.8);
    goal(ROW_CMSV_COLD, false, 0.8);
    goal(ROW_OCSP, false, 0.8);
    goal(ROW_PATH_REP, true, 3.0);
    goal(ROW_CMSV_REP, true, 3.0);
    if (rss_cades >= 0 && !g_short)
        printf("  %-50s %-9s %6ld <  16384 KiB  %s\n", "peak RSS, streamed 1 GiB sign + verify",
               "", rss_cades, rss_cades < 16384 ? "met" : "NOT MET");
    if (g_goal_missed)
        printf("(a goal not met does not change the exit status)\n");

    for (int i = 0; i < 2; i++) {
        EVP_PKEY_CTX_free(jobs[i].bare_sign);
        EVP_PKEY_CTX_free(jobs[i].bare_verify);
        EVP_PKEY_free(jobs[i].pkey);
        tsvc_pubkey_free(jobs[i].pub);
        tsvc_key_free(jobs[i].key);
        tsvc_tsa_free(tj[i].tsa);
        TS_RESP_CTX_free(tj[i].rctx);
        X509_free(tsa_x[i]);
        tsvc_cert_free(tsa_cert[i]);
    }
    free_ours(cj.cert, cj.store, cj.policy);
    free_peer(cj.x, cj.xstore, cj.untrusted);
    tsvc_store_free(vj.store);
    tsvc_policy_free(vj.policy);
    X509_STORE_free(vj.xstore);
    tsvc_free_bytes(vj.cms, vj.cms_len);
    tsvc_free_bytes(oj.resp, oj.resp_len);
    sk_X509_free(oj.xcerts);
    X509_STORE_free(oj.xstore);
    X509_free(rsa_x);
    X509_free(leaf_x);
    tsvc_cert_free(rsa_cert);
    tsvc_cert_free(leaf);
    tsvc_cert_free(inter);
    chain_free(&cj);
    tsvc_ctx_free(cold_ctx);
    tsvc_ctx_free(ctx);
    return 0;
}
