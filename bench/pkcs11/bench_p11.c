/*
 * SPDX-License-Identifier: Apache-2.0
 * bench-pkcs11: signatures per second through SoftHSM2 (PKCS#11, keys
 * generated in the token) against the same algorithms on the software
 * backend chosen by the context, in the same run; and SoftHSM2 with four
 * threads signing at once (the session pool).
 *
 * usage: bench-pkcs11 [--short]
 * Makes its own token directory under /tmp; exits 77 when SoftHSM2
 * (/usr/lib/softhsm/libsofthsm2.so, softhsm2-util) is missing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "trustsvc/pkcs11.h"

#define MODULE "/usr/lib/softhsm/libsofthsm2.so"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct job {
    const tsvc_key *key;
    tsvc_sig_scheme scheme;
    double seconds;
    long count;
    int failed;
} job;

static void *sign_for(void *arg)
{
    job *j = arg;
    static const uint8_t msg[] = "benchmark message: 64 bytes of contract text to be signed.....";
    double end = now() + j->seconds;
    while (now() < end) {
        tsvc_buf sig = TSVC_BUF_INIT;
        tsvc_hash_alg h = j->scheme == TSVC_SIG_ED25519 ? TSVC_HASH_NONE : TSVC_HASH_SHA256;
        if (tsvc_key_sign(j->key, &sig, j->scheme, h, msg, sizeof(msg) - 1, NULL) != TSVC_OK) {
            j->failed = 1;
            return NULL;
        }
        tsvc_buf_dispose(&sig);
        j->count++;
    }
    return NULL;
}

static double rate(const tsvc_key *key, tsvc_sig_scheme scheme, double seconds, int threads)
{
    pthread_t th[8];
    job jobs[8];
    double t0 = now();
    for (int i = 0; i < threads; i++) {
        jobs[i] = (job){key, scheme, seconds, 0, 0};
        if (pthread_create(&th[i], NULL, sign_for, &jobs[i]) != 0)
            return -1;
    }
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        if (jobs[i].failed)
            return -1;
        total += jobs[i].count;
    }
    return (double)total / (now() - t0);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 && strcmp(argv[1], "--short") == 0 ? 0.2 : 2.0;
    if (access(MODULE, R_OK) != 0 || system("command -v softhsm2-util >/dev/null 2>&1") != 0) {
        printf("bench-pkcs11: SKIPPED (SoftHSM2 is not installed: apt-get install softhsm2)\n");
        return 77;
    }
    char dir[] = "/tmp/tsvc-bench-p11-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char path[512], cmd[1024];
    snprintf(path, sizeof(path), "%s/tokens", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/softhsm2.conf", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return 1;
    fprintf(f, "directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n",
            dir);
    fclose(f);
    setenv("SOFTHSM2_CONF", path, 1);
    snprintf(cmd, sizeof(cmd),
             "softhsm2-util --init-token --free --label bench --so-pin 12345678 --pin 1234 "
             ">/dev/null");
    if (system(cmd) != 0)
        return 1;
    tsvc_ctx *ctx = NULL;
    tsvc_pkcs11_module *mod = NULL;
    tsvc_error *err = NULL;
    if (tsvc_ctx_new(&ctx, NULL, NULL) != TSVC_OK ||
        tsvc_pkcs11_module_load(ctx, &mod, MODULE, &err) != TSVC_OK) {
        fprintf(stderr, "bench-pkcs11: %s\n", tsvc_error_message(err));
        return 1;
    }
    static const struct {
        const char *name;
        tsvc_key_type type;
        unsigned bits;
        tsvc_sig_scheme scheme;
    } algs[] = {
        {"ECDSA P-256 SHA-256", TSVC_KEY_ECDSA_P256, 0, TSVC_SIG_ECDSA},
        {"RSA-2048 PKCS#1 SHA-256", TSVC_KEY_RSA, 2048, TSVC_SIG_RSA_PKCS1},
        {"Ed25519", TSVC_KEY_ED25519, 0, TSVC_SIG_ED25519},
    };
    int rc = 0;
    printf("bench-pkcs11: signatures per second, SoftHSM2 %s vs software (%.1f s per row)\n",
           MODULE, seconds);
    for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
        char uri[128];
        snprintf(uri, sizeof(uri), "pkcs11:token=bench;object=k%zu?pin-value=1234", i);
        tsvc_key *hsm = NULL, *soft = NULL;
        if (tsvc_pkcs11_key_generate(mod, &hsm, uri, algs[i].type, algs[i].bits, &err) !=
                TSVC_OK ||
            tsvc_key_generate(ctx, &soft, algs[i].type, algs[i].bits, NULL) != TSVC_OK) {
            fprintf(stderr, "bench-pkcs11: %s: %s\n", algs[i].name, tsvc_error_message(err));
            tsvc_error_free(err);
            err = NULL;
            tsvc_key_free(hsm);
            tsvc_key_free(soft);
            continue;
        }
        tsvc_key_info info = TSVC_KEY_INFO_INIT;
        tsvc_key_get_info(soft, &info);
        double h1 = rate(hsm, algs[i].scheme, seconds, 1);
        double h4 = rate(hsm, algs[i].scheme, seconds, 4);
        double s1 = rate(soft, algs[i].scheme, seconds, 1);
        if (h1 < 0 || h4 < 0 || s1 < 0) {
            printf("bench-pkcs11: %s: signing failed\n", algs[i].name);
            rc = 1;
        } else {
            printf("%-24s SoftHSM2 %9.0f sig/s (4 threads %9.0f)   software/%-8s %9.0f sig/s   "
                   "ratio %.2f\n",
                   algs[i].name, h1, h4, info.backend, s1, h1 / s1);
        }
        tsvc_key_free(hsm);
        tsvc_key_free(soft);
    }
    tsvc_pkcs11_module_free(mod);
    tsvc_ctx_free(ctx);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench-pkcs11: could not remove %s\n", dir);
    return rc;
}
