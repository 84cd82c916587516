/*
 * SPDX-License-Identifier: Apache-2.0
 * A small command-line driver of the signing and verification API, used
 * by the OpenSSL interop test (interop.sh) and by hand:
 *
 *   cms-tool sign KEY CERT CHAIN IN OUT [detached] [pss] [ski] [sha384] [sha512] [iot] [seal]
 *   cms-tool verify CMS ROOT [CONTENT] [iot] [seal]  -> JSON report on stdout;
 *                                                     exit 0 PASSED, 1 otherwise
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustsvc/algpolicy.h"
#include "trustsvc/seal.h"
#include "trustsvc/sign.h"
#include "trustsvc/verify.h"

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 4096, n = 0;
    unsigned char *b = malloc(cap);
    for (;;) {
        if (b == NULL)
            exit(2);
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        cap *= 2;
        b = realloc(b, cap);
    }
    fclose(f);
    *len = n;
    return b;
}

static int has_flag(int argc, char **argv, int from, const char *flag)
{
    for (int i = from; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return 1;
    return 0;
}

static int die(const char *what, tsvc_error *e)
{
    fprintf(stderr, "%s: %s\n", what, e ? tsvc_error_message(e) : "failed");
    tsvc_error_free(e);
    return 2;
}

static int do_sign(tsvc_ctx *ctx, int argc, char **argv)
{
    tsvc_error *e = NULL;
    size_t kl, cl, chl, il;
    unsigned char *kd = slurp(argv[2], &kl), *cd = slurp(argv[3], &cl);
    unsigned char *chd = slurp(argv[4], &chl), *in = slurp(argv[5], &il);
    tsvc_key *key = NULL;
    tsvc_cert *cert = NULL;
    tsvc_cert_list *chain = NULL;
    tsvc_signer *s = NULL;
    tsvc_algorithm_policy *ap = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_signer_options o = TSVC_SIGNER_OPTIONS_INIT;
    int rc = 2;
    if (tsvc_key_import(ctx, &key, kd, kl, &e) != TSVC_OK ||
        tsvc_cert_parse(ctx, &cert, cd, cl, &e) != TSVC_OK ||
        tsvc_cert_list_parse(ctx, &chain, chd, chl, &e) != TSVC_OK) {
        rc = die("load", e);
        goto out;
    }
    o.detached = has_flag(argc, argv, 7, "detached");
    if (has_flag(argc, argv, 7, "pss"))
        o.scheme = TSVC_SIG_RSA_PSS;
    if (has_flag(argc, argv, 7, "ski"))
        o.signer_id = TSVC_SIGNER_ID_SKI;
    if (has_flag(argc, argv, 7, "sha384"))
        o.digest = TSVC_HASH_SHA384;
    if (has_flag(argc, argv, 7, "sha512"))
        o.digest = TSVC_HASH_SHA512;
    if (has_flag(argc, argv, 7, "iot")) {
        if (tsvc_algorithm_policy_new(ctx, &ap, TSVC_ALGPOL_IOT, &e) != TSVC_OK) {
            rc = die("policy", e);
            goto out;
        }
        o.algorithm_policy = ap;
    }
    tsvc_status st = has_flag(argc, argv, 7, "seal")
                         ? tsvc_sealer_new(ctx, &s, key, cert, &o, 0, &e)
                         : tsvc_signer_new(ctx, &s, key, cert, &o, &e);
    if (st != TSVC_OK) {
        rc = die("signer", e);
        goto out;
    }
    for (size_t i = 0; i < tsvc_cert_list_count(chain); i++)
        if (tsvc_signer_add_cert(s, tsvc_cert_list_get(chain, i), &e) != TSVC_OK) {
            rc = die("chain", e);
            goto out;
        }
    if (tsvc_signer_update(s, in, il, &e) != TSVC_OK || tsvc_signer_finish(s, &out, &e) != TSVC_OK) {
        rc = die("sign", e);
        goto out;
    }
    FILE *f = fopen(argv[6], "wb");
    if (f == NULL || fwrite(out.data, 1, out.len, f) != out.len) {
        fprintf(stderr, "cannot write %s\n", argv[6]);
        if (f)
            fclose(f);
        goto out;
    }
    fclose(f);
    rc = 0;
out:
    tsvc_buf_dispose(&out);
    tsvc_signer_free(s);
    tsvc_algorithm_policy_free(ap);
    tsvc_cert_list_free(chain);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    free(kd);
    free(cd);
    free(chd);
    free(in);
    return rc;
}

static int do_verify(tsvc_ctx *ctx, int argc, char **argv)
{
    tsvc_error *e = NULL;
    size_t ml, rl, cl = 0;
    unsigned char *md = slurp(argv[2], &ml), *rd = slurp(argv[3], &rl), *cd = NULL;
    tsvc_cert *root = NULL;
    tsvc_store *store = NULL;
    tsvc_sig_report *r = NULL;
    tsvc_algorithm_policy *ap = NULL;
    tsvc_verify_options vo = TSVC_VERIFY_OPTIONS_INIT;
    tsvc_buf js = TSVC_BUF_INIT;
    int rc = 2;
    if (argc > 4 && strcmp(argv[4], "iot") != 0 && strcmp(argv[4], "seal") != 0)
        cd = slurp(argv[4], &cl);
    if (tsvc_cert_parse(ctx, &root, rd, rl, &e) != TSVC_OK ||
        tsvc_store_new(ctx, &store, &e) != TSVC_OK ||
        tsvc_store_add_anchor(store, root, &e) != TSVC_OK) {
        rc = die("load", e);
        goto out;
    }
    if (has_flag(argc, argv, 4, "iot")) {
        if (tsvc_algorithm_policy_new(ctx, &ap, TSVC_ALGPOL_IOT, &e) != TSVC_OK) {
            rc = die("policy", e);
            goto out;
        }
        vo.algorithm_policy = ap;
    }
    if (has_flag(argc, argv, 4, "seal"))
        vo.profile = TSVC_VERIFY_SEAL;
    if (tsvc_verify(ctx, &r, md, ml, cd, cl, store, NULL, &vo, &e) != TSVC_OK ||
        tsvc_sig_report_to_json(r, &js, &e) != TSVC_OK) {
        rc = die("verify", e);
        goto out;
    }
    printf("%s\n", (const char *)js.data);
    rc = tsvc_sig_report_indication(r) == TSVC_INDICATION_PASSED ? 0 : 1;
out:
    tsvc_buf_dispose(&js);
    tsvc_sig_report_free(r);
    tsvc_algorithm_policy_free(ap);
    tsvc_store_free(store);
    tsvc_cert_free(root);
    free(md);
    free(rd);
    free(cd);
    return rc;
}

int main(int argc, char **argv)
{
    tsvc_ctx *ctx = NULL;
    int rc;
    if (tsvc_ctx_new(&ctx, NULL, NULL) != TSVC_OK)
        return 2;
    if (argc >= 7 && strcmp(argv[1], "sign") == 0) {
        rc = do_sign(ctx, argc, argv);
    } else if (argc >= 4 && strcmp(argv[1], "verify") == 0) {
        rc = do_verify(ctx, argc, argv);
    } else {
        fprintf(stderr, "usage: cms-tool sign KEY CERT CHAIN IN OUT [detached] [pss] [ski] "
                        "[sha384] [sha512] [iot] [seal]\n"
                        "       cms-tool verify CMS ROOT [CONTENT] [iot] [seal]\n");
        rc = 2;
    }
    tsvc_ctx_free(ctx);
    return rc;
}
