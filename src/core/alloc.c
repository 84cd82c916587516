/*
 * SPDX-License-Identifier: Apache-2.0
 * Allocation through the context's hooks, secret wiping and owned buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void *default_alloc(void *opaque, size_t size)
{
    (void)opaque;
    return malloc(size);
}

static void default_free(void *opaque, void *ptr)
{
    (void)opaque;
    free(ptr);
}

static const tsvc_allocator default_allocator = {default_alloc, default_free, NULL};

const tsvc_allocator *tsvc__ctx_allocator(const tsvc_ctx *ctx)
{
    return ctx ? &ctx->alloc : &default_allocator;
}

void tsvc_memzero(void *ptr, size_t len)
{
    if (ptr == NULL || len == 0)
        return;
#if defined(__STDC_LIB_EXT1__)
    memset_s(ptr, len, 0, len);
#elif defined(__GNUC__)
    /* memset at full speed; the barrier tells the compiler the zeros are read. */
    memset(ptr, 0, len);
    __asm__ __volatile__("" : : "r"(ptr) : "memory");
#else
    volatile unsigned char *p = ptr;
    while (len--)
        *p++ = 0;
#endif
}

void *tsvc__alloc(const tsvc_ctx *ctx, size_t size)
{
    const tsvc_allocator *a = tsvc__ctx_allocator(ctx);
    if (size == 0)
        size = 1;
    return a->alloc(a->opaque, size);
}

bool tsvc__mul_ok(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *out = a * b;
    return true;
}

void *tsvc__calloc(const tsvc_ctx *ctx, size_t n, size_t size)
{
    size_t total;
    if (!tsvc__mul_ok(n, size, &total))
        return NULL;
    void *p = tsvc__alloc(ctx, total);
    if (p != NULL)
        memset(p, 0, total);
    return p;
}

void tsvc__free(const tsvc_ctx *ctx, void *ptr)
{
    if (ptr == NULL)
        return;
    const tsvc_allocator *a = tsvc__ctx_allocator(ctx);
    a->free(a->opaque, ptr);
}

void tsvc__free_secret(const tsvc_ctx *ctx, void *ptr, size_t len)
{
    if (ptr == NULL)
        return;
    tsvc_memzero(ptr, len);
    tsvc__free(ctx, ptr);
}

void *tsvc__realloc(const tsvc_ctx *ctx, void *ptr, size_t old_size, size_t new_size)
{
    void *p = tsvc__alloc(ctx, new_size);
    if (p == NULL)
        return NULL;
    if (ptr != NULL) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        tsvc__free_secret(ctx, ptr, old_size);
    }
    return p;
}

void *tsvc__memdup(const tsvc_ctx *ctx, const void *src, size_t len)
{
    void *p = tsvc__alloc(ctx, len);
    if (p != NULL && len > 0)
        memcpy(p, src, len);
    return p;
}

char *tsvc__strdup(const tsvc_ctx *ctx, const char *s)
{
    return tsvc__memdup(ctx, s, strlen(s) + 1);
}

/*
 * A buffer's bytes are preceded by a header that records the allocator, so
 * tsvc_buf_dispose() needs no context.
 */
typedef struct buf_header {
    tsvc_allocator alloc;
    size_t len;
    size_t pad_; /* keeps the data 16-byte aligned on LP64 */
} buf_header;

tsvc_status tsvc__buf_alloc(const tsvc_ctx *ctx, tsvc_buf *out, size_t len)
{
    if (out == NULL)
        return TSVC_ERR_INVALID_ARG;
    out->data = NULL;
    out->len = 0;
    if (len > SIZE_MAX - sizeof(buf_header))
        return TSVC_ERR_NOMEM;
    const tsvc_allocator *a = tsvc__ctx_allocator(ctx);
    buf_header *h = a->alloc(a->opaque, sizeof(buf_header) + (len ? len : 1));
    if (h == NULL)
        return TSVC_ERR_NOMEM;
    h->alloc = *a;
    h->len = len;
    h->pad_ = 0;
    out->data = (uint8_t *)(h + 1);
    out->len = len;
    return TSVC_OK;
}

tsvc_status tsvc__buf_set(const tsvc_ctx *ctx, tsvc_buf *out, const void *data, size_t len)
{
    tsvc_status st = tsvc__buf_alloc(ctx, out, len);
    if (st == TSVC_OK && len > 0)
        memcpy(out->data, data, len);
    return st;
}

void tsvc_buf_init(tsvc_buf *buf)
{
    if (buf != NULL) {
        buf->data = NULL;
        buf->len = 0;
    }
}

void tsvc_buf_dispose(tsvc_buf *buf)
{
    if (buf == NULL || buf->data == NULL) {
        if (buf != NULL)
            buf->len = 0;
        return;
    }
    buf_header *h = (buf_header *)(void *)buf->data - 1;
    tsvc_allocator a = h->alloc;
    tsvc_memzero(buf->data, h->len);
    tsvc_memzero(h, sizeof(*h));
    a.free(a.opaque, h);
    buf->data = NULL;
    buf->len = 0;
}
