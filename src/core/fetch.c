/*
 * SPDX-License-Identifier: Apache-2.0
 * The context's fetch callback (trustsvc/fetch.h): the one way the library
 * reaches the network, through its caller.
 */
#include "core.h"
#include "trustsvc/fetch.h"

void tsvc_ctx_set_fetch(tsvc_ctx *ctx, tsvc_fetch_fn fetch, void *opaque)
{
    if (ctx == NULL)
        return;
    ctx->fetch = fetch;
    ctx->fetch_opaque = fetch != NULL ? opaque : NULL;
}

tsvc_status tsvc_fetch_response_set(const tsvc_ctx *ctx, tsvc_buf *response, const uint8_t *data,
                                    size_t len)
{
    if (response == NULL || (data == NULL && len != 0))
        return TSVC_ERR_INVALID_ARG;
    tsvc_buf_dispose(response);
    return tsvc__buf_set(ctx, response, data, len);
}
