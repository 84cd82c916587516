/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the core layer: allocation, errors, buffers, context
 * internals and calendar arithmetic. Every other layer may include it.
 */
#ifndef TSVC_CORE_CORE_H
#define TSVC_CORE_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustsvc/common.h"

struct tsvc_backend; /* include/trustsvc/sys/backend.h */

/** Most backends one context can hold. */
#define TSVC__MAX_BACKENDS 8
/** Number of ::tsvc_limit values. */
#define TSVC__NUM_LIMITS 7
/** Size of a key of the verified-signature cache (a SHA-256 digest). */
#define TSVC__SIGCACHE_KEY_SIZE 32

/** The verified-signature cache of a context (ctx.c). */
typedef struct tsvc__sigcache tsvc__sigcache;

/** One registered backend of a context. */
typedef struct tsvc__backend_slot {
    const struct tsvc_backend *ops; /* function table (not owned) */
    void *state;                    /* backend instance state (owned by the backend) */
    int priority;                   /* higher wins */
    bool enabled;
} tsvc__backend_slot;

struct tsvc_ctx {
    tsvc_allocator alloc;
    uint64_t limits[TSVC__NUM_LIMITS];
    tsvc_clock_fn clock;
    void *clock_opaque;
    tsvc_status (*fetch)(void *opaque, const char *url, const char *content_type,
                         const uint8_t *body, size_t body_len, tsvc_buf *response,
                         tsvc_error **err); /* tsvc_fetch_fn (trustsvc/fetch.h); NULL: none */
    void *fetch_opaque;
    tsvc__backend_slot backends[TSVC__MAX_BACKENDS];
    size_t num_backends;
    /* Verified-signature cache (owned; NULL: none). The only part of a
     * shared context that changes: it has its own lock. */
    tsvc__sigcache *sigcache;
};

/* ---- allocation (ctx may be NULL: then malloc/free) ---- */
const tsvc_allocator *tsvc__ctx_allocator(const tsvc_ctx *ctx);
void *tsvc__alloc(const tsvc_ctx *ctx, size_t size);
void *tsvc__calloc(const tsvc_ctx *ctx, size_t n, size_t size);
/** Grows or shrinks a block; the old block is wiped before it is freed. */
void *tsvc__realloc(const tsvc_ctx *ctx, void *ptr, size_t old_size, size_t new_size);
void tsvc__free(const tsvc_ctx *ctx, void *ptr);
/** Wipes @p len bytes of @p ptr, then frees it. */
void tsvc__free_secret(const tsvc_ctx *ctx, void *ptr, size_t len);
void *tsvc__memdup(const tsvc_ctx *ctx, const void *src, size_t len);
char *tsvc__strdup(const tsvc_ctx *ctx, const char *s);
/** Overflow-checked a * b; false on overflow. */
bool tsvc__mul_ok(size_t a, size_t b, size_t *out);

/* ---- errors ---- */
/**
 * Fills *err (when err is non-NULL and *err is NULL) with code, message,
 * check name (may be NULL) and offset (-1 for none). Returns @p code so a
 * caller can write `return tsvc__err(...)`. Messages must never contain
 * secrets.
 */
tsvc_status tsvc__err(tsvc_error **err, tsvc_status code, const char *check, int64_t offset,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/** Same as tsvc__err() with the status text as message. */
tsvc_status tsvc__err_code(tsvc_error **err, tsvc_status code);

/* ---- buffers ---- */
/**
 * Gives @p out a fresh allocation of @p len bytes through the context's
 * allocator (any previous content of @p out is NOT freed). The bytes are
 * uninitialised. tsvc_buf_dispose() releases it with the same allocator.
 */
tsvc_status tsvc__buf_alloc(const tsvc_ctx *ctx, tsvc_buf *out, size_t len);
/** tsvc__buf_alloc() followed by a copy of @p data. */
tsvc_status tsvc__buf_set(const tsvc_ctx *ctx, tsvc_buf *out, const void *data, size_t len);

/* ---- context ---- */
/** Creates a bare context (no backends). */
tsvc_status tsvc__ctx_create(tsvc_ctx **out, const tsvc_allocator *alloc, tsvc_error **err);
/** Limit value, or the default when ctx is NULL. */
uint64_t tsvc__limit(const tsvc_ctx *ctx, tsvc_limit limit);

/* ---- verified-signature cache (ctx.c) ----
 * A bounded, 2-way set-associative set of keys (digests the caller makes
 * over everything a verification depends on), allocated once: by
 * tsvc_ctx_new() through tsvc__ctx_sigcache_init(), and again when
 * TSVC_LIMIT_SIG_CACHE_ENTRIES is set. A bare context from
 * tsvc__ctx_create() has none. Lookups and inserts take the cache's mutex
 * and never allocate, so they are safe on a context shared by threads. */
/** Allocates the cache at the size of the context's limit (none for 0). */
tsvc_status tsvc__ctx_sigcache_init(tsvc_ctx *ctx);
/** Releases the cache (tsvc_ctx_free()). */
void tsvc__ctx_sigcache_release(tsvc_ctx *ctx);
/** True if the context has a cache (not disabled, not a bare context). */
bool tsvc__sigcache_enabled(const tsvc_ctx *ctx);
/** True if @p key is in the cache (false without a cache). */
bool tsvc__sigcache_lookup(const tsvc_ctx *ctx, const uint8_t key[TSVC__SIGCACHE_KEY_SIZE]);
/** Adds @p key, evicting the older entry of its set when both are in use. */
void tsvc__sigcache_insert(const tsvc_ctx *ctx, const uint8_t key[TSVC__SIGCACHE_KEY_SIZE]);

/* ---- calendar (proleptic Gregorian, UTC) ---- */
/** Seconds since the epoch for a civil date and time; no range checks. */
int64_t tsvc__time_from_civil(int64_t year, unsigned month, unsigned day, unsigned hour,
                              unsigned minute, unsigned second);
/** Inverse of tsvc__time_from_civil(). */
void tsvc__time_to_civil(int64_t t, int64_t *year, unsigned *month, unsigned *day,
                         unsigned *hour, unsigned *minute, unsigned *second);
/** Days in @p month (1..12) of @p year. */
unsigned tsvc__days_in_month(int64_t year, unsigned month);

#endif /* TSVC_CORE_CORE_H */
