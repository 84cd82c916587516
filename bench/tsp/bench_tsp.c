/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * bench-tsp: time-stamp authority throughput, per core (one thread), with
 * P-256 and RSA-2048 keys (tests/data/tsp), in one run:
 *
 *   - ours:     tsvc_tsa_respond() on a SHA-256 request with certReq
 *               (parse, validate, TSTInfo, ESSCertIDv2, SignedData, sign);
 *   - raw sign: tsvc_key_sign() of a 112-byte message (the size of a
 *               token's signed attributes), SHA-256, with the same key and
 *               backend: the limit the primitive sets;
 *   - OpenSSL:  TS_RESP_create_response() on the same request, same key,
 *               policy, digests and ESSCertIDv2.
 *
 * It prints responses per second and the ratios ours/raw and ours/OpenSSL.
 * Also, with --threads N (default: the number of online CPUs), the
 * aggregate rate of one shared tsvc_tsa answering from N threads.
 *
 * The three single-thread rates are measured in three interleaved rounds
 * (best of each), so that load from elsewhere slows them alike.
 *
 * Usage: bench-tsp [--short] [--threads N]   (--short: 0.2 s per
 * measurement, one round; the meson test 'bench-tsp-short' runs it, no
 * thresholds).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "trustsvc/trustsvc.h"
#include "trustsvc/tsp.h"

#ifndef TSVC_TSP_DATA
#define TSVC_TSP_DATA "tests/data/tsp"
#endif

#define POLICY "1.2.3.4.1"

static double g_seconds = 1.0;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, tsvc_error *err)
{
    fprintf(stderr, "bench-tsp: %s failed%s%s\n", what, err ? ": " : "",
            err ? tsvc_error_message(err) : "");
    exit(1);
}

static uint8_t *read_file(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", TSVC_TSP_DATA, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        die(path, NULL);
    uint8_t *buf = malloc(1 << 16);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

typedef int (*op_fn)(void *arg);

/* Operations per second of @p fn over at least g_seconds. */
static double rate_once(op_fn fn, void *arg)
{
    long n = 0;
    double t0 = now_s(), t;
    do {
        for (int i = 0; i < 8; i++) {
            if (fn(arg) != 0)
                die("operation", NULL);
        }
        n += 8;
        t = now_s() - t0;
    } while (t < g_seconds);
    return (double)n / t;
}

/* Best rates of @p num functions measured in interleaved rounds, so that a
 * busy machine slows each of them alike. */
static void rates(op_fn *fns, void *arg, double *out, int num, int rounds)
{
    for (int i = 0; i < num; i++)
        out[i] = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < num; i++) {
            double x = rate_once(fns[i], arg);
            if (x > out[i])
                out[i] = x;
        }
    }
}

typedef struct job {
    tsvc_tsa *tsa;
    tsvc_key *key;
    uint8_t msg[112];
    const uint8_t *req;
    size_t req_len;
    TS_RESP_CTX *rctx;
} job;

static int ours(void *arg)
{
    job *j = arg;
    tsvc_buf out = TSVC_BUF_INIT;
    int rc = tsvc_tsa_respond(j->tsa, &out, j->req, j->req_len, NULL) != TSVC_OK || out.len < 200;
    tsvc_buf_dispose(&out);
    return rc;
}

static int raw_sign(void *arg)
{
    job *j = arg;
    tsvc_buf sig = TSVC_BUF_INIT;
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    if (tsvc_key_get_info(j->key, &info) != TSVC_OK)
        return 1;
    tsvc_sig_scheme scheme = info.type == TSVC_KEY_RSA ? TSVC_SIG_RSA_PKCS1 : TSVC_SIG_ECDSA;
    /* A message the size of a token's signed attributes (~110 bytes). */
    int rc = tsvc_key_sign(j->key, &sig, scheme, TSVC_HASH_SHA256, j->msg, sizeof(j->msg), NULL) !=
             TSVC_OK;
    tsvc_buf_dispose(&sig);
    return rc;
}

static int peer(void *arg)
{
    job *j = arg;
    BIO *in = BIO_new_mem_buf(j->req, (int)j->req_len);
    TS_RESP *resp = in ? TS_RESP_create_response(j->rctx, in) : NULL;
    int ok = resp != NULL &&
             ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp))) == 0;
    unsigned char *der = NULL;
    int len = ok ? i2d_TS_RESP(resp, &der) : 0;
    OPENSSL_free(der);
    TS_RESP_free(resp);
    BIO_free(in);
    return !(ok && len > 200);
}

typedef struct mt {
    job *j;
    long n;
    volatile bool *stop;
} mt;

static void *mt_worker(void *arg)
{
    mt *m = arg;
    while (!*m->stop) {
        if (ours(m->j) != 0)
            die("threaded respond", NULL);
        m->n++;
    }
    return NULL;
}

static double threaded_rate(job *j, int threads)
{
    pthread_t th[64];
    mt ms[64];
    volatile bool stop = false;
    if (threads > 64)
        threads = 64;
    double t0 = now_s();
    for (int i = 0; i < threads; i++) {
        ms[i] = (mt){j, 0, &stop};
        if (pthread_create(&th[i], NULL, mt_worker, &ms[i]) != 0)
            die("pthread_create", NULL);
    }
    struct timespec d = {(time_t)g_seconds, (long)((g_seconds - (double)(time_t)g_seconds) * 1e9)};
    nanosleep(&d, NULL);
    stop = true;
    long n = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        n += ms[i].n;
    }
    return (double)n / (now_s() - t0);
}

static void run(tsvc_ctx *ctx, const char *label, const char *name, int threads)
{
    job j;
    tsvc_error *err = NULL;
    size_t kl, cl;
    char file[64];
    memset(&j, 0, sizeof(j));
    snprintf(file, sizeof(file), "%s.key", name);
    uint8_t *kd = read_file(file, &kl);
    snprintf(file, sizeof(file), "%s.pem", name);
    uint8_t *cd = read_file(file, &cl);
    tsvc_cert *cert = NULL;
    if (tsvc_key_import(ctx, &j.key, kd, kl, &err) != TSVC_OK)
        die("key import", err);
    if (tsvc_cert_parse(ctx, &cert, cd, cl, &err) != TSVC_OK)
        die("certificate", err);
    if (tsvc_tsa_new(ctx, &j.tsa, j.key, cert, POLICY, &err) != TSVC_OK)
        die("tsvc_tsa_new", err);

    /* The request: SHA-256 imprint, nonce, certReq. */
    tsvc_tsq *q = NULL;
    tsvc_buf req = TSVC_BUF_INIT;
    static const char data[] = "benchmark document";
    if (tsvc_tsq_new_data(ctx, &q, TSVC_HASH_SHA256, data, sizeof(data), &err) != TSVC_OK)
        die("request", err);
    tsvc_tsq_set_cert_req(q, 1);
    if (tsvc_tsq_encode(q, &req, &err) != TSVC_OK)
        die("request", err);
    j.req = req.data;
    j.req_len = req.len;
    memset(j.msg, 0x5a, sizeof(j.msg));

    /* OpenSSL's TSA with the same key and certificate. */
    BIO *kb = BIO_new_mem_buf(kd, (int)kl), *cb = BIO_new_mem_buf(cd, (int)cl);
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL);
    X509 *x = PEM_read_bio_X509(cb, NULL, NULL, NULL);
    ASN1_OBJECT *pol = OBJ_txt2obj(POLICY, 1);
    j.rctx = TS_RESP_CTX_new();
    if (pkey == NULL || x == NULL || pol == NULL || j.rctx == NULL ||
        TS_RESP_CTX_set_signer_cert(j.rctx, x) != 1 ||
        TS_RESP_CTX_set_signer_key(j.rctx, pkey) != 1 ||
        TS_RESP_CTX_set_def_policy(j.rctx, pol) != 1 ||
        TS_RESP_CTX_add_md(j.rctx, EVP_sha256()) != 1 ||
        TS_RESP_CTX_set_signer_digest(j.rctx, EVP_sha256()) != 1 ||
        TS_RESP_CTX_set_ess_cert_id_digest(j.rctx, EVP_sha256()) != 1)
        die("TS_RESP_CTX set-up", NULL);

    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    (void)tsvc_key_get_info(j.key, &info);
    op_fn fns[3] = {ours, raw_sign, peer};
    double r[3];
    rates(fns, &j, r, 3, g_seconds < 0.5 ? 1 : 3);
    double r_ours = r[0], r_raw = r[1], r_peer = r[2];
    double r_mt = threads > 1 ? threaded_rate(&j, threads) : 0;
    printf("%-9s %-10s %12.1f %12.1f %12.1f %10.2f %10.2f", label,
           info.backend ? info.backend : "?", r_ours, r_raw, r_peer, r_ours / r_raw,
           r_ours / r_peer);
    if (threads > 1)
        printf(" %12.1f (%d threads)", r_mt, threads);
    printf("\n");
    fflush(stdout);

    TS_RESP_CTX_free(j.rctx);
    ASN1_OBJECT_free(pol);
    X509_free(x);
    EVP_PKEY_free(pkey);
    BIO_free(kb);
    BIO_free(cb);
    tsvc_buf_dispose(&req);
    tsvc_tsq_free(q);
    tsvc_tsa_free(j.tsa);
    tsvc_cert_free(cert);
    tsvc_key_free(j.key);
    free(kd);
    free(cd);
}

int main(int argc, char **argv)
{
    int threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--short") == 0)
            g_seconds = 0.2;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench-tsp [--short] [--threads N]\n");
            return 2;
        }
    }
    if (threads < 1)
        threads = 1;
    tsvc_ctx *ctx = NULL;
    if (tsvc_ctx_new(&ctx, NULL, NULL) != TSVC_OK)
        die("context", NULL);
    printf("TSA responses per second per core (SHA-256 imprint, certReq, ESSCertIDv2)\n");
    printf("%-9s %-10s %12s %12s %12s %10s %10s %12s\n", "key", "backend", "ours/s", "raw sign/s",
           "OpenSSL TS/s", "ours/raw", "ours/OSSL", "ours, all");
    run(ctx, "P-256", "tsa-ec", threads);
    run(ctx, "RSA-2048", "tsa-rsa", threads);
    tsvc_ctx_free(ctx);
    return 0;
}
