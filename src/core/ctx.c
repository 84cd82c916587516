/*
 * SPDX-License-Identifier: Apache-2.0
 * The context: allocator, limits and clock. Backends are registered by the
 * crypto layer (src/crypto/context.c), which also implements tsvc_ctx_new().
 */
#include <string.h>
#include <time.h>

#include "core.h"

static const uint64_t limit_default[TSVC__NUM_LIMITS] = {
    64u * 1024u * 1024u, /* TSVC_LIMIT_INPUT_SIZE */
    32,                  /* TSVC_LIMIT_DER_DEPTH */
    8,                   /* TSVC_LIMIT_CHAIN_DEPTH */
    100,                 /* TSVC_LIMIT_SIG_CHECKS */
    10000,               /* TSVC_LIMIT_PATH_ATTEMPTS */
    1u << 20,            /* TSVC_LIMIT_NC_COMPARISONS */
};

static const uint64_t limit_max[TSVC__NUM_LIMITS] = {
    UINT64_C(1) << 40, /* 1 TiB: inputs held in memory */
    256,
    32,
    UINT64_C(1) << 32,
    UINT64_C(1) << 32,
    UINT64_C(1) << 40,
};

static const char *const limit_name[TSVC__NUM_LIMITS] = {
    "input size", "DER depth", "chain depth", "signature checks", "path attempts",
    "name-constraint comparisons",
};

static tsvc_status system_clock(void *opaque, int64_t *now)
{
    (void)opaque;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return TSVC_ERR_CLOCK;
    *now = (int64_t)ts.tv_sec;
    return TSVC_OK;
}

tsvc_status tsvc__ctx_create(tsvc_ctx **out, const tsvc_allocator *alloc, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out is NULL");
    *out = NULL;
    if (alloc != NULL && (alloc->alloc == NULL || alloc->free == NULL))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "allocator needs both alloc and free");
    const tsvc_allocator *a = alloc ? alloc : tsvc__ctx_allocator(NULL);
    tsvc_ctx *ctx = a->alloc(a->opaque, sizeof(*ctx));
    if (ctx == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    memset(ctx, 0, sizeof(*ctx));
    ctx->alloc = *a;
    memcpy(ctx->limits, limit_default, sizeof(limit_default));
    ctx->clock = system_clock;
    *out = ctx;
    return TSVC_OK;
}

uint64_t tsvc__limit(const tsvc_ctx *ctx, tsvc_limit limit)
{
    if ((unsigned)limit >= TSVC__NUM_LIMITS)
        return 0;
    return ctx ? ctx->limits[limit] : limit_default[limit];
}

tsvc_status tsvc_ctx_set_limit(tsvc_ctx *ctx, tsvc_limit limit, uint64_t value, tsvc_error **err)
{
    if (ctx == NULL || (unsigned)limit >= TSVC__NUM_LIMITS)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown limit");
    if (value < 1 || value > limit_max[limit])
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "%s limit must be between 1 and %llu", limit_name[limit],
                         (unsigned long long)limit_max[limit]);
    ctx->limits[limit] = value;
    return TSVC_OK;
}

uint64_t tsvc_ctx_get_limit(const tsvc_ctx *ctx, tsvc_limit limit)
{
    if (ctx == NULL)
        return 0;
    return tsvc__limit(ctx, limit);
}

void tsvc_ctx_set_clock(tsvc_ctx *ctx, tsvc_clock_fn clock, void *opaque)
{
    if (ctx == NULL)
        return;
    ctx->clock = clock ? clock : system_clock;
    ctx->clock_opaque = clock ? opaque : NULL;
}

tsvc_status tsvc_ctx_now(const tsvc_ctx *ctx, int64_t *now, tsvc_error **err)
{
    if (ctx == NULL || now == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "ctx and now are required");
    tsvc_status st = ctx->clock(ctx->clock_opaque, now);
    if (st != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_CLOCK, "clock", -1, "clock callback failed: %s",
                         tsvc_status_str(st));
    return TSVC_OK;
}
