/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for TimeStampReq parsing (tsvc_tsq_parse). Invariants (abort() on violation):
 *  - a failure never leaves an object, and comes with error detail;
 *  - a request without extensions that parses re-encodes to the input.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trustsvc/tsp.h"
#include "tsp/tsp.h"

static tsvc_ctx *ctx;

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void init(void)
{
    if (ctx == NULL)
        check(tsvc_ctx_new(&ctx, NULL, NULL) == TSVC_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_tsq *q = NULL;
    tsvc_error *err = NULL;
    init();
    tsvc_status st = tsvc_tsq_parse(ctx, &q, data, size, &err);
    if (st != TSVC_OK) {
        check(q == NULL);
        check(err != NULL && tsvc_error_code(err) == st);
        tsvc_error_free(err);
    } else {
        tsvc_buf der = TSVC_BUF_INIT;
        size_t n = 0;
        check(tsvc_tsq_digest(q, &n) != NULL && n == tsvc_hash_size(tsvc_tsq_hash_alg(q)));
        check(tsvc_tsq_encode(q, &der, NULL) == TSVC_OK);
        if (!q->has_extensions)
            check(der.len == size && memcmp(der.data, data, size) == 0);
        tsvc_buf_dispose(&der);
        tsvc_tsq_free(q);
    }
    return 0;
}
