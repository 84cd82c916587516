/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for TimeStampResp parsing (tsvc_tsr_parse, BER tolerated),
 * the token accessors and token verification against an empty store.
 * Invariants (abort() on violation):
 *  - a failure never leaves an object, and comes with error detail;
 *  - a granted response always has a token;
 *  - verification runs to a report (never an error) and never passes
 *    without a trust anchor.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trustsvc/tsp.h"

static tsvc_ctx *ctx;
static tsvc_store *store;

static void check(bool ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_tsr *r = NULL;
    tsvc_error *err = NULL;
    if (ctx == NULL) {
        check(tsvc_ctx_new(&ctx, NULL, NULL) == TSVC_OK);
        check(tsvc_store_new(ctx, &store, NULL) == TSVC_OK);
    }
    tsvc_status st = tsvc_tsr_parse(ctx, &r, data, size, &err);
    if (st != TSVC_OK) {
        check(r == NULL);
        check(err != NULL && tsvc_error_code(err) == st);
        tsvc_error_free(err);
        return 0;
    }
    int status = tsvc_tsr_status(r);
    const tsvc_tst *t = tsvc_tsr_token(r);
    check(status != TSVC_PKI_GRANTED || t != NULL);
    (void)tsvc_tsr_status_string(r);
    (void)tsvc_tsr_fail_info(r);
    if (t != NULL) {
        int64_t secs;
        uint32_t nanos, ms, us;
        uint64_t s;
        size_t n;
        char pol[512];
        tsvc_buf name = TSVC_BUF_INIT;
        check(tsvc_tst_gen_time(t, &secs, &nanos) == TSVC_OK && nanos < 1000000000u);
        check(tsvc_tst_policy(t, pol, sizeof(pol)) == TSVC_OK);
        (void)tsvc_tst_serial(t, &n);
        (void)tsvc_tst_nonce(t, &n);
        (void)tsvc_tst_accuracy(t, &s, &ms, &us);
        (void)tsvc_tst_ordering(t);
        (void)tsvc_tst_signer_cert(t);
        if (tsvc_tst_tsa_name_text(t, &name, NULL) == TSVC_OK)
            check(name.data != NULL && strlen((const char *)name.data) == name.len);
        tsvc_buf_dispose(&name);
        const uint8_t *d = tsvc_tst_digest(t, &n);
        tsvc_report *rep = NULL;
        check(tsvc_tst_verify(ctx, &rep, t, tsvc_tst_hash_alg(t), d, n, store, NULL, NULL) ==
              TSVC_OK);
        check(tsvc_report_indication(rep) != TSVC_INDICATION_PASSED);
        tsvc_report_free(rep);
    }
    tsvc_tsr_free(r);
    return 0;
}
