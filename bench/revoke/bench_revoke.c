/*
 * SPDX-License-Identifier: Apache-2.0
 * Revocation benchmark: libtrustsvc and OpenSSL's libcrypto doing the same
 * work in the same run, with the ratio printed.
 *
 *  1. A CRL of N entries (default 1,000,000; random 16-octet serials, each
 *     with a reasonCode) is signed by our CRL builder, then loaded
 *     (tsvc_crl_parse vs d2i_X509_CRL) and queried with N random lookups,
 *     half of them listed (tsvc_crl_lookup vs X509_CRL_get0_by_serial,
 *     whose first call sorts the entries: that is counted in its time).
 *  2. M OCSP responses (default 100,000), one per serial, signed by a
 *     delegated responder (ECDSA P-256), as a CA pre-generating responses
 *     for a CDN would (tsvc_ocsp_response_builder vs OCSP_basic_sign +
 *     OCSP_response_create + i2d_OCSP_RESPONSE).
 *
 * Usage: bench-revoke [--short] [--entries N] [--responses M]
 * --short: 20,000 entries and 2,000 responses (checks that it still runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "trustsvc/common.h"
#include "trustsvc/revoke.h"
#include "trustsvc/x509.h"

#ifndef TSVC_REVOKE_DATA
#define TSVC_REVOKE_DATA "tests/data/revoke"
#endif

#define SERIAL_LEN 16

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A random positive minimal serial of SERIAL_LEN octets (first octet 0x01..0x7f). */
static void random_serial(uint8_t *s)
{
    for (size_t i = 0; i < SERIAL_LEN; i += 8) {
        uint64_t r = next_rand();
        for (size_t k = 0; k < 8 && i + k < SERIAL_LEN; k++)
            s[i + k] = (uint8_t)(r >> (8 * k));
    }
    s[0] = (uint8_t)((s[0] & 0x7f) | 0x01);
}

static unsigned char *read_file(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", TSVC_REVOKE_DATA, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "bench-revoke: cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)n + 1);
    *len = fread(d, 1, (size_t)n, f);
    fclose(f);
    d[*len] = 0;
    return d;
}

#define CHECK(expr)                                                                            \
    do {                                                                                       \
        tsvc_error *e_ = NULL;                                                                 \
        if ((expr) != TSVC_OK) {                                                               \
            fprintf(stderr, "bench-revoke: %s:%d: %s\n", __FILE__, __LINE__,                   \
                    tsvc_error_message(e_));                                                   \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)
#define ERR (&e_)

static tsvc_cert *our_cert(tsvc_ctx *ctx, const char *name)
{
    size_t n;
    unsigned char *d = read_file(name, &n);
    tsvc_cert *c = NULL;
    CHECK(tsvc_cert_parse(ctx, &c, d, n, ERR));
    free(d);
    return c;
}

static tsvc_key *our_key(tsvc_ctx *ctx, const char *name)
{
    size_t n;
    unsigned char *d = read_file(name, &n);
    tsvc_key *k = NULL;
    CHECK(tsvc_key_import(ctx, &k, d, n, ERR));
    free(d);
    return k;
}

static X509 *ossl_cert(const char *name)
{
    size_t n;
    unsigned char *d = read_file(name, &n);
    BIO *b = BIO_new_mem_buf(d, (int)n);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    free(d);
    if (x == NULL)
        exit(1);
    return x;
}

static EVP_PKEY *ossl_key(const char *name)
{
    size_t n;
    unsigned char *d = read_file(name, &n);
    BIO *b = BIO_new_mem_buf(d, (int)n);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
    BIO_free(b);
    free(d);
    if (k == NULL)
        exit(1);
    return k;
}

int main(int argc, char **argv)
{
    size_t entries = 1000000, responses = 100000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--short") == 0) {
            entries = 20000;
            responses = 2000;
        } else if (strcmp(argv[i], "--entries") == 0 && i + 1 < argc) {
            entries = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--responses") == 0 && i + 1 < argc) {
            responses = strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: %s [--short] [--entries N] [--responses M]\n", argv[0]);
            return 2;
        }
    }
    if (entries < 2 || responses < 1)
        return 2;

    tsvc_ctx *ctx = NULL;
    CHECK(tsvc_ctx_new(&ctx, NULL, ERR));
    CHECK(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_INPUT_SIZE, 1ull << 30, ERR));
    tsvc_cert *ica = our_cert(ctx, "ica.pem"), *responder = our_cert(ctx, "responder.pem");
    tsvc_key *ica_key = our_key(ctx, "ica.key"), *responder_key = our_key(ctx, "responder.key");
    int64_t t = 0;
    CHECK(tsvc_ctx_now(ctx, &t, ERR));

    /* ---- 1. large CRL ---- */
    uint8_t *serials = malloc(entries * SERIAL_LEN);
    for (size_t i = 0; i < entries; i++)
        random_serial(serials + i * SERIAL_LEN);
    tsvc_crl_builder *cb = NULL;
    CHECK(tsvc_crl_builder_new(ctx, &cb, ica, ica_key, ERR));
    CHECK(tsvc_crl_builder_set_times(cb, t - 60, t + 86400, ERR));
    double t0 = now_s();
    for (size_t i = 0; i < entries; i++)
        CHECK(tsvc_crl_builder_add(cb, serials + i * SERIAL_LEN, SERIAL_LEN, t - 3600,
                                   (tsvc_crl_reason)(i % 6), ERR));
    tsvc_buf der = TSVC_BUF_INIT;
    CHECK(tsvc_crl_builder_finish(cb, &der, ERR));
    double build_s = now_s() - t0;
    tsvc_crl_builder_free(cb);
    printf("CRL: %zu entries, %.1f MB DER, signed by our builder in %.2f s\n", entries,
           (double)der.len / 1e6, build_s);

    /* Load: best of three. */
    double ours_load = 1e9, theirs_load = 1e9;
    tsvc_crl *crl = NULL;
    X509_CRL *xcrl = NULL;
    for (int rep = 0; rep < 3; rep++) {
        tsvc_crl_free(crl);
        crl = NULL;
        t0 = now_s();
        CHECK(tsvc_crl_parse(ctx, &crl, der.data, der.len, ERR));
        double d = now_s() - t0;
        if (d < ours_load)
            ours_load = d;
        X509_CRL_free(xcrl);
        const unsigned char *p = der.data;
        t0 = now_s();
        xcrl = d2i_X509_CRL(NULL, &p, (long)der.len);
        d = now_s() - t0;
        if (xcrl == NULL) {
            fprintf(stderr, "bench-revoke: OpenSSL refused our CRL\n");
            return 1;
        }
        if (d < theirs_load)
            theirs_load = d;
    }
    if (tsvc_crl_num_entries(crl) != entries)
        return 1;
    {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
            printf("CRL memory:  our parsed CRL = its DER copy (%.0f MB) + a 48-byte index entry "
                   "per serial (%.0f MB); peak RSS so far %.0f MB (both libraries' copies)\n",
                   (double)der.len / 1e6, (double)entries * 48.0 / 1e6,
                   (double)ru.ru_maxrss / 1024.0);
    }

    /* Lookups: half listed, half random (absent). */
    size_t nl = entries;
    uint8_t *q = malloc(nl * SERIAL_LEN);
    for (size_t i = 0; i < nl; i++) {
        if (i % 2 == 0)
            memcpy(q + i * SERIAL_LEN, serials + (next_rand() % entries) * SERIAL_LEN,
                   SERIAL_LEN);
        else
            random_serial(q + i * SERIAL_LEN);
    }
    ASN1_INTEGER **aq = malloc(nl * sizeof(*aq));
    for (size_t i = 0; i < nl; i++) {
        BIGNUM *bn = BN_bin2bn(q + i * SERIAL_LEN, SERIAL_LEN, NULL);
        aq[i] = BN_to_ASN1_INTEGER(bn, NULL);
        BN_free(bn);
    }
    size_t found_ours = 0, found_theirs = 0;
    t0 = now_s();
    for (size_t i = 0; i < nl; i++)
        if (tsvc_crl_lookup(crl, q + i * SERIAL_LEN, SERIAL_LEN, NULL, NULL, NULL) == TSVC_OK)
            found_ours++;
    double ours_lookup = now_s() - t0;
    /* OpenSSL sorts the entries on the first lookup: timed on its own. */
    t0 = now_s();
    {
        X509_REVOKED *rev = NULL;
        (void)X509_CRL_get0_by_serial(xcrl, &rev, aq[0]);
    }
    double theirs_sort = now_s() - t0;
    t0 = now_s();
    for (size_t i = 0; i < nl; i++) {
        X509_REVOKED *rev = NULL;
        if (X509_CRL_get0_by_serial(xcrl, &rev, aq[i]) == 1)
            found_theirs++;
    }
    double theirs_lookup = now_s() - t0;
    if (found_ours != found_theirs || found_ours < nl / 2) {
        fprintf(stderr, "bench-revoke: lookups disagree (%zu vs %zu)\n", found_ours,
                found_theirs);
        return 1;
    }
    printf("CRL load:    libtrustsvc %8.3f s   OpenSSL d2i_X509_CRL %8.3f s   ratio %.2fx\n",
           ours_load, theirs_load, theirs_load / ours_load);
    printf("CRL lookups: libtrustsvc %8.0f /s  OpenSSL get0_by_serial %8.0f /s  ratio %.2fx "
           "(%zu lookups, %zu found)\n",
           (double)nl / ours_lookup, (double)nl / theirs_lookup,
           ((double)nl / ours_lookup) / ((double)nl / theirs_lookup), nl, found_ours);
    printf("             OpenSSL's first lookup sorts the entries: %.3f s (not in the rate "
           "above); load + sort %.3f s vs our load (index included) %.3f s: ratio %.2fx\n",
           theirs_sort, theirs_load + theirs_sort, ours_load,
           (theirs_load + theirs_sort) / ours_load);
    for (size_t i = 0; i < nl; i++)
        ASN1_INTEGER_free(aq[i]);
    free(aq);
    free(q);
    X509_CRL_free(xcrl);
    tsvc_crl_free(crl);
    tsvc_buf_dispose(&der);
    free(serials);

    /* ---- 2. OCSP pre-generation ---- */
    tsvc_ocsp_response_builder *ob = NULL;
    CHECK(tsvc_ocsp_response_builder_new(ctx, &ob, ica, responder, responder_key, ERR));
    CHECK(tsvc_ocsp_response_builder_set_times(ob, t, t, t + 7 * 86400, ERR));
    uint8_t s[SERIAL_LEN];
    size_t total = 0;
    t0 = now_s();
    for (size_t i = 0; i < responses; i++) {
        random_serial(s);
        CHECK(tsvc_ocsp_response_builder_add(ob, s, SERIAL_LEN,
                                             i % 10 == 0 ? TSVC_CERT_STATUS_REVOKED
                                                         : TSVC_CERT_STATUS_GOOD,
                                             t - 3600, TSVC_REASON_KEY_COMPROMISE, ERR));
        tsvc_buf out = TSVC_BUF_INIT;
        CHECK(tsvc_ocsp_response_builder_finish(ob, &out, ERR));
        total += out.len;
        tsvc_buf_dispose(&out);
    }
    double ours_ocsp = now_s() - t0;
    tsvc_ocsp_response_builder_free(ob);
    tsvc_key_info info;
    tsvc_key_info_init(&info);
    const char *backend = tsvc_key_get_info(responder_key, &info) == TSVC_OK && info.backend
                              ? info.backend
                              : "?";

    X509 *x_ica = ossl_cert("ica.pem"), *x_resp = ossl_cert("responder.pem");
    EVP_PKEY *x_key = ossl_key("responder.key");
    STACK_OF(X509) *extra = sk_X509_new_null();
    size_t total_theirs = 0;
    t0 = now_s();
    for (size_t i = 0; i < responses; i++) {
        random_serial(s);
        BIGNUM *bn = BN_bin2bn(s, SERIAL_LEN, NULL);
        ASN1_INTEGER *ai = BN_to_ASN1_INTEGER(bn, NULL);
        OCSP_CERTID *id = OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(x_ica),
                                           X509_get0_pubkey_bitstr(x_ica), ai);
        OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
        ASN1_TIME *thisupd = ASN1_TIME_set(NULL, (time_t)t);
        ASN1_TIME *nextupd = ASN1_TIME_set(NULL, (time_t)(t + 7 * 86400));
        ASN1_TIME *revt = ASN1_TIME_set(NULL, (time_t)(t - 3600));
        int revoked = i % 10 == 0;
        OCSP_basic_add1_status(bs, id, revoked ? V_OCSP_CERTSTATUS_REVOKED : V_OCSP_CERTSTATUS_GOOD,
                               revoked ? OCSP_REVOKED_STATUS_KEYCOMPROMISE : 0,
                               revoked ? revt : NULL, thisupd, nextupd);
        if (OCSP_basic_sign(bs, x_resp, x_key, EVP_sha256(), extra, 0) != 1)
            return 1;
        OCSP_RESPONSE *resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
        unsigned char *enc = NULL;
        int n = i2d_OCSP_RESPONSE(resp, &enc);
        if (n <= 0)
            return 1;
        total_theirs += (size_t)n;
        OPENSSL_free(enc);
        OCSP_RESPONSE_free(resp);
        OCSP_BASICRESP_free(bs);
        OCSP_CERTID_free(id);
        ASN1_TIME_free(thisupd);
        ASN1_TIME_free(nextupd);
        ASN1_TIME_free(revt);
        ASN1_INTEGER_free(ai);
        BN_free(bn);
    }
    double theirs_ocsp = now_s() - t0;
    printf("OCSP pre-generation of %zu responses (delegated ECDSA P-256 responder, "
           "responder certificate included; our signing backend: %s):\n", responses, backend);
    printf("             libtrustsvc %8.0f /s  (%.1f s, %zu B avg)   OpenSSL %8.0f /s  (%.1f s, "
           "%zu B avg)   ratio %.2fx\n",
           (double)responses / ours_ocsp, ours_ocsp, total / responses,
           (double)responses / theirs_ocsp, theirs_ocsp, total_theirs / responses,
           theirs_ocsp / ours_ocsp);
    sk_X509_free(extra);
    X509_free(x_ica);
    X509_free(x_resp);
    EVP_PKEY_free(x_key);
    tsvc_cert_free(ica);
    tsvc_cert_free(responder);
    tsvc_key_free(ica_key);
    tsvc_key_free(responder_key);
    tsvc_ctx_free(ctx);
    return 0;
}
