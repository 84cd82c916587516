/*
 * SPDX-License-Identifier: Apache-2.0
 * The demonstration behind `./dev demo`: for every crypto backend compiled
 * in, generate a key of each type it supports, sign a message, verify the
 * signature, and show that a one-byte change in the message is caught.
 * Uses the public API only. Exit status 0 when every check behaved.
 */
#include <stdio.h>
#include <string.h>

#include <trustsvc/trustsvc.h>
#include <trustsvc/sys/backend.h>

static const char message[] =
    "Contract No. 2026-0042: the parties agree to the terms of sale set out below.";

typedef struct demo_alg {
    const char *name;
    tsvc_key_type type;
    unsigned bits;
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;
} demo_alg;

static const demo_alg algs[] = {
    {"Ed25519", TSVC_KEY_ED25519, 0, TSVC_SIG_ED25519, TSVC_HASH_NONE},
    {"ECDSA P-256 / SHA-256", TSVC_KEY_ECDSA_P256, 0, TSVC_SIG_ECDSA, TSVC_HASH_SHA256},
    {"ECDSA P-384 / SHA-384", TSVC_KEY_ECDSA_P384, 0, TSVC_SIG_ECDSA, TSVC_HASH_SHA384},
    {"RSA-2048 PKCS#1 v1.5 / SHA-256", TSVC_KEY_RSA, 2048, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256},
    {"RSA-2048 PSS / SHA-256", TSVC_KEY_RSA, 2048, TSVC_SIG_RSA_PSS, TSVC_HASH_SHA256},
};

static void hex_prefix(const uint8_t *p, size_t len, char *out, size_t n)
{
    size_t i = 0;
    for (; i < len && 2 * i + 3 < n && i < 12; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
    out[2 * i] = '\0';
}

/* Returns 0 when the algorithm behaved (or is not offered), 1 otherwise. */
static int run_one(tsvc_ctx *ctx, const char *backend, const demo_alg *a)
{
    tsvc_key *key = NULL;
    tsvc_pubkey *pub = NULL;
    tsvc_buf sig = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    int bad = 0;

    tsvc_status st = tsvc_key_generate(ctx, &key, a->type, a->bits, &err);
    if (st == TSVC_ERR_NO_BACKEND || st == TSVC_ERR_UNSUPPORTED) {
        tsvc_error_free(err);
        return 0; /* this backend does not offer the algorithm */
    }
    if (st != TSVC_OK) {
        printf("  %-32s keygen failed: %s\n", a->name, tsvc_error_message(err));
        bad = 1;
        goto out;
    }
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    if (tsvc_key_get_info(key, &info) != TSVC_OK) {
        printf("  %-32s key information unavailable\n", a->name);
        bad = 1;
        goto out;
    }
    if (info.backend == NULL || strcmp(info.backend, backend) != 0)
        goto out; /* another backend made it: this one does not offer the algorithm */
    st = tsvc_key_sign(key, &sig, a->scheme, a->hash, (const uint8_t *)message,
                       sizeof(message) - 1, &err);
    if (st == TSVC_OK)
        st = tsvc_key_get_public(key, &pub, &err);
    if (st != TSVC_OK) {
        printf("  %-32s signing failed: %s\n", a->name, tsvc_error_message(err));
        bad = 1;
        goto out;
    }
    st = tsvc_pubkey_verify(pub, a->scheme, a->hash, (const uint8_t *)message,
                            sizeof(message) - 1, sig.data, sig.len, NULL);

    char tampered[sizeof(message)];
    memcpy(tampered, message, sizeof(message));
    tampered[14] ^= 0x01; /* "2026-0042" becomes "2026-0043" */
    tsvc_status st2 = tsvc_pubkey_verify(pub, a->scheme, a->hash, (const uint8_t *)tampered,
                                         sizeof(tampered) - 1, sig.data, sig.len, NULL);
    char hex[32];
    hex_prefix(sig.data, sig.len, hex, sizeof(hex));
    printf("  %-32s %4zu-byte signature %s...  verify: %s  one-byte change: %s\n", a->name,
           sig.len, hex, st == TSVC_OK ? "VALID" : "INVALID",
           st2 == TSVC_ERR_SIGNATURE_INVALID ? "caught" : "NOT CAUGHT");
    bad = !(st == TSVC_OK && st2 == TSVC_ERR_SIGNATURE_INVALID);
out:
    tsvc_buf_dispose(&sig);
    tsvc_pubkey_free(pub);
    tsvc_key_free(key);
    tsvc_error_free(err);
    return bad;
}

int main(void)
{
    tsvc_ctx *ctx = NULL;
    tsvc_error *err = NULL;
    int failures = 0;

    printf("libtrustsvc %s demonstration\n", tsvc_version_str());
    if (tsvc_init() != TSVC_OK || tsvc_ctx_new(&ctx, NULL, &err) != TSVC_OK) {
        fprintf(stderr, "cannot create a context: %s\n", tsvc_error_message(err));
        tsvc_error_free(err);
        return 3;
    }
    printf("message: \"%s\"\n", message);
    size_t n = tsvc_ctx_num_backends(ctx);
    for (size_t i = 0; i < n; i++) {
        const char *name = tsvc_ctx_backend_name(ctx, i);
        /* Route every new key to this backend by giving it the top priority. */
        if (tsvc_ctx_set_backend_priority(ctx, name, 1000 + (int)i, &err) != TSVC_OK) {
            fprintf(stderr, "cannot select backend %s: %s\n", name, tsvc_error_message(err));
            tsvc_error_free(err);
            err = NULL;
            failures++;
            continue;
        }
        printf("\nbackend %s:\n", name);
        for (size_t j = 0; j < sizeof(algs) / sizeof(algs[0]); j++)
            failures += run_one(ctx, name, &algs[j]);
    }
    tsvc_ctx_free(ctx);
    printf("\n%s\n", failures == 0 ? "all signatures verified and every change was caught"
                                   : "SOME CHECKS FAILED");
    return failures == 0 ? 0 : 1;
}
