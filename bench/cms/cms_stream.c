/*
 * SPDX-License-Identifier: Apache-2.0
 * CMS streaming measurement: signs a large content stream (default 4 GiB,
 * generated in memory chunk by chunk, never stored) as a detached CAdES
 * B-B signature with tsvc_signer_update(), then verifies it with
 * tsvc_verifier_update(), and reports the time of each and the process's
 * peak resident set size. The peer (OpenSSL's `openssl cms -sign -binary`,
 * fed the same stream through a pipe) is timed in the same run unless
 * --no-peer is given.
 *
 *   ./build/bench/cms/bench-cms-stream [--mib N] [--no-peer] [--data DIR]
 *
 * Run by hand; not part of the test suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "trustsvc/sign.h"
#include "trustsvc/verify.h"

#define CHUNK (1u << 20)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static unsigned char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n);
    if (b == NULL || fread(b, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void fill(unsigned char *buf, uint64_t chunk_no)
{
    uint64_t x = chunk_no * 0x9e3779b97f4a7c15u + 1;
    for (size_t i = 0; i < CHUNK; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(buf + i, &x, 8);
    }
}

static int fail(const char *what, tsvc_error *e)
{
    fprintf(stderr, "%s: %s\n", what, e ? tsvc_error_message(e) : "failed");
    return 1;
}

int main(int argc, char **argv)
{
    uint64_t mib = 4096;
    int peer = 1;
    const char *data = TSVC_BENCH_DATA;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mib") == 0 && i + 1 < argc)
            mib = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--no-peer") == 0)
            peer = 0;
        else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
    }
    tsvc_ctx *ctx = NULL;
    tsvc_error *e = NULL;
    size_t kl, cl, al, rl;
    unsigned char *kd = slurp(data, "signer-ec.key", &kl), *cd = slurp(data, "signer-ec.pem", &cl);
    unsigned char *ad = slurp(data, "ca.pem", &al), *rd = slurp(data, "root.pem", &rl);
    tsvc_key *key = NULL;
    tsvc_cert *cert = NULL, *ca = NULL, *root = NULL;
    tsvc_store *store = NULL;
    if (tsvc_ctx_new(&ctx, NULL, &e) != TSVC_OK || tsvc_key_import(ctx, &key, kd, kl, &e) != TSVC_OK ||
        tsvc_cert_parse(ctx, &cert, cd, cl, &e) != TSVC_OK ||
        tsvc_cert_parse(ctx, &ca, ad, al, &e) != TSVC_OK ||
        tsvc_cert_parse(ctx, &root, rd, rl, &e) != TSVC_OK ||
        tsvc_store_new(ctx, &store, &e) != TSVC_OK ||
        tsvc_store_add_anchor(store, root, &e) != TSVC_OK)
        return fail("setup", e);
    unsigned char *buf = malloc(CHUNK);
    if (buf == NULL)
        return 1;
    printf("content: %llu MiB, detached, ECDSA P-256 / SHA-256, chunks of 1 MiB\n",
           (unsigned long long)mib);
    printf("peak RSS before: %ld KiB\n", peak_rss_kib());

    /* Sign. */
    tsvc_signer *s = NULL;
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    tsvc_buf cms = TSVC_BUF_INIT;
    o.detached = 1;
    double t0 = now(), fill_time = 0;
    if (tsvc_signer_new(ctx, &s, key, cert, &o, &e) != TSVC_OK ||
        tsvc_signer_add_cert(s, ca, &e) != TSVC_OK)
        return fail("signer", e);
    for (uint64_t i = 0; i < mib; i++) {
        double f0 = now();
        fill(buf, i);
        fill_time += now() - f0;
        if (tsvc_signer_update(s, buf, CHUNK, &e) != TSVC_OK)
            return fail("update", e);
    }
    if (tsvc_signer_finish(s, &cms, &e) != TSVC_OK)
        return fail("finish", e);
    tsvc_signer_free(s);
    double t_sign = now() - t0;
    printf("sign:   %.2f s (%.2f s of it generating the content), %.1f MiB/s, CMS %zu bytes\n",
           t_sign, fill_time, (double)mib / (t_sign - fill_time), cms.len);
    printf("peak RSS after signing: %ld KiB\n", peak_rss_kib());

    /* Verify. */
    tsvc_verifier *v = NULL;
    tsvc_sig_report *r = NULL;
    t0 = now();
    fill_time = 0;
    if (tsvc_verifier_new(ctx, &v, cms.data, cms.len, store, NULL, NULL, &e) != TSVC_OK)
        return fail("verifier", e);
    for (uint64_t i = 0; i < mib; i++) {
        double f0 = now();
        fill(buf, i);
        fill_time += now() - f0;
        if (tsvc_verifier_update(v, buf, CHUNK, &e) != TSVC_OK)
            return fail("verify update", e);
    }
    if (tsvc_verifier_finish(v, &r, &e) != TSVC_OK)
        return fail("verify finish", e);
    tsvc_verifier_free(v);
    double t_verify = now() - t0;
    printf("verify: %.2f s (%.2f s of it generating the content), %.1f MiB/s, indication %s %s\n",
           t_verify, fill_time, (double)mib / (t_verify - fill_time),
           tsvc_indication_str(tsvc_sig_report_indication(r)), tsvc_sig_report_reason(r));
    int rc = tsvc_sig_report_indication(r) == TSVC_INDICATION_PASSED ? 0 : 1;
    tsvc_sig_report_free(r);
    printf("peak RSS (whole run, libtrustsvc): %ld KiB = %.1f MiB\n", peak_rss_kib(),
           (double)peak_rss_kib() / 1024.0);

    if (peer) {
        char cmd[4096];
        snprintf(cmd, sizeof(cmd),
                 "openssl cms -sign -binary -md sha256 -signer %s/signer-ec.pem -inkey "
                 "%s/signer-ec.key -outform DER -out /dev/null",
                 data, data);
        t0 = now();
        FILE *p = popen(cmd, "w");
        if (p != NULL) {
            fill_time = 0;
            for (uint64_t i = 0; i < mib; i++) {
                double f0 = now();
                fill(buf, i);
                fill_time += now() - f0;
                if (fwrite(buf, 1, CHUNK, p) != CHUNK)
                    break;
            }
            int prc = pclose(p);
            double t_peer = now() - t0;
            printf("peer (openssl cms -sign -binary, detached, via a pipe): %.2f s "
                   "(%.2f s generating), exit %d; ratio libtrustsvc/openssl %.2f\n",
                   t_peer, fill_time, prc, (t_sign - fill_time) / (t_peer - fill_time));
        }
    }
    tsvc_buf_dispose(&cms);
    free(buf);
    free(kd);
    free(cd);
    free(ad);
    free(rd);
    tsvc_store_free(store);
    tsvc_cert_free(cert);
    tsvc_cert_free(ca);
    tsvc_cert_free(root);
    tsvc_key_free(key);
    tsvc_ctx_free(ctx);
    return rc;
}
