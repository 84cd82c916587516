/*
 * SPDX-License-Identifier: Apache-2.0
 * The context: allocator, limits and clock. Backends are registered by the
 * crypto layer (src/crypto/context.c), which also implements tsvc_ctx_new().
 */
#include <pthread.h>
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
    1024,                /* TSVC_LIMIT_SIG_CACHE_ENTRIES */
};

static const uint64_t limit_max[TSVC__NUM_LIMITS] = {
    UINT64_C(1) << 40, /* 1 TiB: inputs held in memory */
    256,
    32,
    UINT64_C(1) << 32,
    UINT64_C(1) << 32,
    UINT64_C(1) << 40,
    UINT64_C(1) << 20,
};

/* Limits for which 0 is allowed (it switches the feature off). */
static const bool limit_zero_ok[TSVC__NUM_LIMITS] = {
    false, false, false, false, false, false, true,
};

static const char *const limit_name[TSVC__NUM_LIMITS] = {
    "input size", "DER depth", "chain depth", "signature checks", "path attempts",
    "name-constraint comparisons", "signature cache entries",
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
    unsigned low = limit_zero_ok[limit] ? 0u : 1u;
    if (value < low || value > limit_max[limit])
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "%s limit must be between %u and %llu", limit_name[limit], low,
                         (unsigned long long)limit_max[limit]);
    if (limit == TSVC_LIMIT_SIG_CACHE_ENTRIES) {
        /* New storage first, so that a failure keeps the old cache. */
        tsvc__sigcache *old = ctx->sigcache;
        uint64_t old_value = ctx->limits[limit];
        ctx->sigcache = NULL;
        ctx->limits[limit] = value;
        tsvc_status st = tsvc__ctx_sigcache_init(ctx);
        if (st != TSVC_OK) {
            ctx->sigcache = old;
            ctx->limits[limit] = old_value;
            return tsvc__err(err, st, NULL, -1, "no memory for %llu signature cache entries",
                             (unsigned long long)value);
        }
        tsvc__sigcache *fresh = ctx->sigcache;
        ctx->sigcache = old;
        tsvc__ctx_sigcache_release(ctx);
        ctx->sigcache = fresh;
        return TSVC_OK;
    }
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

/* ------------------------------------------------------------------ */
/* Verified-signature cache                                            */
/* ------------------------------------------------------------------ */

/*
 * 2-way set-associative (1-way when there is a single entry): a key goes
 * to the set named by its first eight bytes (keys are digests, so any
 * bytes will do); a full set evicts the way that was not used last. One
 * mutex guards everything: a lookup or an insert is a few comparisons of
 * 32 bytes, far shorter than the signature verification it saves.
 */
typedef struct sigcache_entry {
    uint8_t key[TSVC__SIGCACHE_KEY_SIZE];
    bool used;
    bool recent; /* the way of its set used last */
} sigcache_entry;

struct tsvc__sigcache {
    pthread_mutex_t lock;
    size_t num_sets;
    size_t ways;
    sigcache_entry entries[];
};

tsvc_status tsvc__ctx_sigcache_init(tsvc_ctx *ctx)
{
    if (ctx == NULL)
        return TSVC_ERR_INVALID_ARG;
    if (ctx->sigcache != NULL)
        return TSVC_OK;
    uint64_t n = ctx->limits[TSVC_LIMIT_SIG_CACHE_ENTRIES];
    if (n == 0)
        return TSVC_OK;
    size_t ways = n >= 2 ? 2 : 1;
    size_t num_sets = (size_t)n / ways;
    size_t bytes = 0;
    if (!tsvc__mul_ok(num_sets * ways, sizeof(sigcache_entry), &bytes) ||
        bytes > SIZE_MAX - sizeof(tsvc__sigcache))
        return TSVC_ERR_NOMEM;
    bytes += sizeof(tsvc__sigcache);
    tsvc__sigcache *c = ctx->alloc.alloc(ctx->alloc.opaque, bytes);
    if (c == NULL)
        return TSVC_ERR_NOMEM;
    memset(c, 0, bytes);
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        ctx->alloc.free(ctx->alloc.opaque, c);
        return TSVC_ERR_NOMEM;
    }
    c->num_sets = num_sets;
    c->ways = ways;
    ctx->sigcache = c;
    return TSVC_OK;
}

void tsvc__ctx_sigcache_release(tsvc_ctx *ctx)
{
    if (ctx == NULL || ctx->sigcache == NULL)
        return;
    tsvc__sigcache *c = ctx->sigcache;
    ctx->sigcache = NULL;
    pthread_mutex_destroy(&c->lock);
    ctx->alloc.free(ctx->alloc.opaque, c);
}

bool tsvc__sigcache_enabled(const tsvc_ctx *ctx)
{
    return ctx != NULL && ctx->sigcache != NULL;
}

static sigcache_entry *sigcache_set(tsvc__sigcache *c, const uint8_t *key)
{
    uint64_t h = 0;
    for (size_t i = 0; i < 8; i++)
        h = (h << 8) | key[i];
    return &c->entries[(size_t)(h % c->num_sets) * c->ways];
}

static void sigcache_touch(tsvc__sigcache *c, sigcache_entry *set, size_t way)
{
    for (size_t i = 0; i < c->ways; i++)
        set[i].recent = i == way;
}

bool tsvc__sigcache_lookup(const tsvc_ctx *ctx, const uint8_t key[TSVC__SIGCACHE_KEY_SIZE])
{
    if (ctx == NULL || ctx->sigcache == NULL)
        return false;
    tsvc__sigcache *c = ctx->sigcache;
    bool hit = false;
    pthread_mutex_lock(&c->lock);
    sigcache_entry *set = sigcache_set(c, key);
    for (size_t i = 0; i < c->ways; i++) {
        if (set[i].used && memcmp(set[i].key, key, TSVC__SIGCACHE_KEY_SIZE) == 0) {
            sigcache_touch(c, set, i);
            hit = true;
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void tsvc__sigcache_insert(const tsvc_ctx *ctx, const uint8_t key[TSVC__SIGCACHE_KEY_SIZE])
{
    if (ctx == NULL || ctx->sigcache == NULL)
        return;
    tsvc__sigcache *c = ctx->sigcache;
    pthread_mutex_lock(&c->lock);
    sigcache_entry *set = sigcache_set(c, key);
    size_t way = c->ways; /* none chosen yet */
    for (size_t i = 0; i < c->ways; i++) {
        if (set[i].used && memcmp(set[i].key, key, TSVC__SIGCACHE_KEY_SIZE) == 0) {
            way = i; /* another thread put it there meanwhile */
            break;
        }
    }
    if (way == c->ways) {
        for (size_t i = 0; i < c->ways && way == c->ways; i++)
            if (!set[i].used)
                way = i;
        for (size_t i = 0; i < c->ways && way == c->ways; i++)
            if (!set[i].recent)
                way = i;
        if (way == c->ways)
            way = 0;
        memcpy(set[way].key, key, TSVC__SIGCACHE_KEY_SIZE);
        set[way].used = true;
    }
    sigcache_touch(c, set, way);
    pthread_mutex_unlock(&c->lock);
}
