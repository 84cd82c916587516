/*
 * SPDX-License-Identifier: Apache-2.0
 * Growable DER builder (after BoringSSL's CBB): a sticky error, minimal
 * lengths written when an element is closed, and DER SET OF sorting.
 */
#include <stdlib.h>
#include <string.h>

#include "der.h"
#include "der_internal.h"

size_t tsvc__der_encode_tag(uint32_t tag, uint8_t *out)
{
    const uint8_t lead = (uint8_t)((tag >> 24) & 0xe0u);
    const uint32_t number = tag & TSVC__DER_NUMBER_MASK;
    if (number < 31) {
        out[0] = (uint8_t)(lead | number);
        return 1;
    }
    out[0] = (uint8_t)(lead | 0x1fu);
    size_t groups = 1;
    for (uint32_t v = number >> 7; v != 0; v >>= 7)
        groups++;
    for (size_t i = 0; i < groups; i++) {
        const unsigned shift = (unsigned)(7 * (groups - 1 - i));
        uint8_t b = (uint8_t)((number >> shift) & 0x7fu);
        if (i + 1 < groups)
            b |= 0x80u;
        out[1 + i] = b;
    }
    return 1 + groups;
}

size_t tsvc__der_encode_length(size_t len, uint8_t *out)
{
    if (len < 0x80) {
        out[0] = (uint8_t)len;
        return 1;
    }
    size_t n = 0;
    for (size_t v = len; v != 0; v >>= 8)
        n++;
    out[0] = (uint8_t)(0x80u | n);
    for (size_t i = 0; i < n; i++)
        out[1 + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    return 1 + n;
}

void tsvc__cbb_init(tsvc__cbb *cbb, const tsvc_ctx *ctx)
{
    memset(cbb, 0, sizeof(*cbb));
    cbb->ctx = ctx;
    cbb->error = TSVC_OK;
}

void tsvc__cbb_cleanup(tsvc__cbb *cbb)
{
    if (cbb == NULL)
        return;
    if (cbb->buf != NULL)
        tsvc__free_secret(cbb->ctx, cbb->buf, cbb->cap);
    cbb->buf = NULL;
    cbb->len = 0;
    cbb->cap = 0;
    cbb->depth = 0;
}

void tsvc__cbb_fail(tsvc__cbb *cbb, tsvc_status st)
{
    if (cbb->error == TSVC_OK)
        cbb->error = st == TSVC_OK ? TSVC_ERR_INTERNAL : st;
}

/* Makes room for @p n more bytes; false (and a sticky error) on failure. */
static bool cbb_reserve(tsvc__cbb *cbb, size_t n)
{
    if (cbb->error != TSVC_OK)
        return false;
    if (n > SIZE_MAX - cbb->len) {
        tsvc__cbb_fail(cbb, TSVC_ERR_NOMEM);
        return false;
    }
    const size_t need = cbb->len + n;
    if (need <= cbb->cap)
        return true;
    size_t cap = cbb->cap < 64 ? 64 : cbb->cap;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    uint8_t *p = tsvc__realloc(cbb->ctx, cbb->buf, cbb->cap, cap);
    if (p == NULL) {
        tsvc__cbb_fail(cbb, TSVC_ERR_NOMEM);
        return false;
    }
    cbb->buf = p;
    cbb->cap = cap;
    return true;
}

tsvc_status tsvc__cbb_finish(tsvc__cbb *cbb, tsvc_buf *out)
{
    tsvc_status st;
    out->data = NULL;
    out->len = 0;
    if (cbb->error == TSVC_OK && cbb->depth != 0)
        tsvc__cbb_fail(cbb, TSVC_ERR_STATE);
    st = cbb->error;
    if (st != TSVC_OK)
        goto out;
    st = tsvc__buf_set(cbb->ctx, out, cbb->buf, cbb->len);
out:
    tsvc__cbb_cleanup(cbb);
    return st;
}

void tsvc__cbb_add_bytes(tsvc__cbb *cbb, const uint8_t *data, size_t len)
{
    if (!cbb_reserve(cbb, len))
        return;
    if (len > 0)
        memcpy(cbb->buf + cbb->len, data, len);
    cbb->len += len;
}

void tsvc__cbb_add_u8(tsvc__cbb *cbb, uint8_t v)
{
    tsvc__cbb_add_bytes(cbb, &v, 1);
}

static void add_tag(tsvc__cbb *cbb, uint32_t tag)
{
    uint8_t t[8];
    tsvc__cbb_add_bytes(cbb, t, tsvc__der_encode_tag(tag, t));
}

static void add_length(tsvc__cbb *cbb, size_t len)
{
    uint8_t l[16];
    if (len > 0xffffffffu) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_LENGTH);
        return;
    }
    tsvc__cbb_add_bytes(cbb, l, tsvc__der_encode_length(len, l));
}

void tsvc__cbb_open(tsvc__cbb *cbb, uint32_t tag)
{
    if (cbb->error != TSVC_OK)
        return;
    if (cbb->depth >= TSVC__CBB_MAX_DEPTH) {
        tsvc__cbb_fail(cbb, TSVC_ERR_LIMIT_DER_DEPTH);
        return;
    }
    const size_t hdr = cbb->len;
    add_tag(cbb, tag);
    tsvc__cbb_add_u8(cbb, 0); /* placeholder for a short-form length */
    if (cbb->error != TSVC_OK)
        return;
    cbb->open_hdr[cbb->depth] = hdr;
    cbb->open[cbb->depth] = cbb->len;
    cbb->depth++;
}

/* Gives the contents offset of the innermost open element; false if none (or an error). */
static bool innermost(tsvc__cbb *cbb, size_t *start)
{
    if (cbb->error != TSVC_OK)
        return false;
    if (cbb->depth == 0) {
        tsvc__cbb_fail(cbb, TSVC_ERR_STATE);
        return false;
    }
    *start = cbb->open[cbb->depth - 1];
    return true;
}

void tsvc__cbb_close(tsvc__cbb *cbb)
{
    size_t start;
    if (!innermost(cbb, &start))
        return;
    const size_t clen = cbb->len - start;
    uint8_t l[16];
    if (clen > 0xffffffffu) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_LENGTH);
        return;
    }
    const size_t n = tsvc__der_encode_length(clen, l);
    if (n > 1) {
        /* Long form: move the contents to make room for the length octets. */
        if (!cbb_reserve(cbb, n - 1))
            return;
        memmove(cbb->buf + start + n - 1, cbb->buf + start, clen);
        cbb->len += n - 1;
    }
    memcpy(cbb->buf + start - 1, l, n);
    cbb->depth--;
}

typedef struct child {
    size_t off;
    size_t len;
    const uint8_t *base;
} child;

static int child_cmp(const void *pa, const void *pb)
{
    const child *a = pa, *b = pb;
    int c = tsvc__der_compare_elements(a->base + a->off, a->len, b->base + b->off, b->len);
    if (c != 0)
        return c;
    /* Equal encodings: keep the original order (qsort is not stable). */
    return a->off < b->off ? -1 : (a->off > b->off ? 1 : 0);
}

void tsvc__cbb_close_set_of(tsvc__cbb *cbb)
{
    child *kids = NULL;
    uint8_t *tmp = NULL;
    size_t num = 0, clen = 0, start;

    if (!innermost(cbb, &start))
        return;
    clen = cbb->len - start;
    tsvc__cbs it;
    tsvc__cbs_init(&it, cbb->buf + start, clen);
    while (it.len > 0) {
        if (tsvc__der_get_any(&it, NULL, NULL, NULL, NULL) != TSVC_OK) {
            tsvc__cbb_fail(cbb, TSVC_ERR_DER_TAG);
            goto out;
        }
        num++;
    }
    if (num > 1) {
        kids = tsvc__calloc(cbb->ctx, num, sizeof(*kids));
        tmp = tsvc__alloc(cbb->ctx, clen);
        if (kids == NULL || tmp == NULL) {
            tsvc__cbb_fail(cbb, TSVC_ERR_NOMEM);
            goto out;
        }
        tsvc__cbs_init(&it, cbb->buf + start, clen);
        for (size_t i = 0; i < num; i++) {
            tsvc__cbs el;
            (void)tsvc__der_get_any(&it, NULL, NULL, &el, NULL);
            kids[i].off = (size_t)(el.data - (cbb->buf + start));
            kids[i].len = el.len;
            kids[i].base = cbb->buf + start;
        }
        qsort(kids, num, sizeof(*kids), child_cmp);
        size_t pos = 0;
        for (size_t i = 0; i < num; i++) {
            memcpy(tmp + pos, cbb->buf + start + kids[i].off, kids[i].len);
            pos += kids[i].len;
        }
        memcpy(cbb->buf + start, tmp, clen);
    }
    tsvc__cbb_close(cbb);
out:
    if (tmp != NULL)
        tsvc__free_secret(cbb->ctx, tmp, clen);
    tsvc__free(cbb->ctx, kids);
}

void tsvc__cbb_add_element(tsvc__cbb *cbb, uint32_t tag, const uint8_t *contents, size_t len)
{
    add_tag(cbb, tag);
    add_length(cbb, len);
    tsvc__cbb_add_bytes(cbb, contents, len);
}

void tsvc__cbb_add_bool(tsvc__cbb *cbb, bool v)
{
    const uint8_t b = v ? 0xff : 0x00;
    tsvc__cbb_add_element(cbb, TSVC__TAG_BOOLEAN, &b, 1);
}

void tsvc__cbb_add_null(tsvc__cbb *cbb)
{
    tsvc__cbb_add_element(cbb, TSVC__TAG_NULL, NULL, 0);
}

void tsvc__cbb_add_unsigned(tsvc__cbb *cbb, const uint8_t *be, size_t len)
{
    while (len > 0 && be[0] == 0) {
        be++;
        len--;
    }
    if (len == 0) {
        const uint8_t zero = 0;
        tsvc__cbb_add_element(cbb, TSVC__TAG_INTEGER, &zero, 1);
        return;
    }
    const bool pad = (be[0] & 0x80) != 0;
    add_tag(cbb, TSVC__TAG_INTEGER);
    if (len > SIZE_MAX - 1) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_LENGTH);
        return;
    }
    add_length(cbb, len + (pad ? 1 : 0));
    if (pad)
        tsvc__cbb_add_u8(cbb, 0);
    tsvc__cbb_add_bytes(cbb, be, len);
}

void tsvc__cbb_add_u64(tsvc__cbb *cbb, uint64_t v)
{
    uint8_t be[8];
    for (size_t i = 0; i < 8; i++)
        be[i] = (uint8_t)(v >> (8 * (7 - i)));
    tsvc__cbb_add_unsigned(cbb, be, sizeof(be));
}

void tsvc__cbb_add_integer_raw(tsvc__cbb *cbb, uint32_t tag, const uint8_t *contents, size_t len)
{
    if (cbb->error != TSVC_OK)
        return;
    tsvc__cbs c;
    tsvc__cbs_init(&c, contents, len);
    if (tsvc__der_check_integer(&c, NULL) != TSVC_OK) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_INTEGER);
        return;
    }
    tsvc__cbb_add_element(cbb, tag == 0 ? TSVC__TAG_INTEGER : tag, contents, len);
}

void tsvc__cbb_add_oid(tsvc__cbb *cbb, const uint8_t *oid, size_t len)
{
    if (cbb->error != TSVC_OK)
        return;
    if (!tsvc__oid_valid(oid, len)) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_OID);
        return;
    }
    tsvc__cbb_add_element(cbb, TSVC__TAG_OID, oid, len);
}

void tsvc__cbb_add_octet_string(tsvc__cbb *cbb, const uint8_t *data, size_t len)
{
    tsvc__cbb_add_element(cbb, TSVC__TAG_OCTET_STRING, data, len);
}

static void add_bit_string_tagged(tsvc__cbb *cbb, uint32_t tag, const uint8_t *data, size_t len,
                                  unsigned unused_bits)
{
    if (cbb->error != TSVC_OK)
        return;
    if (unused_bits > 7 || (len == 0 && unused_bits != 0) ||
        (len > 0 && unused_bits != 0 &&
         (data[len - 1] & ((1u << unused_bits) - 1u)) != 0)) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_BIT_STRING);
        return;
    }
    if (len > SIZE_MAX - 1) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_LENGTH);
        return;
    }
    add_tag(cbb, tag);
    add_length(cbb, len + 1);
    tsvc__cbb_add_u8(cbb, (uint8_t)unused_bits);
    tsvc__cbb_add_bytes(cbb, data, len);
}

void tsvc__cbb_add_bit_string(tsvc__cbb *cbb, const uint8_t *data, size_t len, unsigned unused_bits)
{
    add_bit_string_tagged(cbb, TSVC__TAG_BIT_STRING, data, len, unused_bits);
}

void tsvc__cbb_add_named_bits(tsvc__cbb *cbb, uint32_t tag, uint64_t bits)
{
    uint8_t bytes[8] = {0};
    size_t len = 0;
    unsigned unused = 0;
    if (bits != 0) {
        unsigned highest = 0;
        for (unsigned i = 0; i < 64; i++) {
            if (bits & ((uint64_t)1 << i)) {
                bytes[i / 8] |= (uint8_t)(0x80u >> (i % 8));
                highest = i;
            }
        }
        len = highest / 8 + 1;
        unused = 7 - highest % 8;
    }
    add_bit_string_tagged(cbb, tag == 0 ? TSVC__TAG_BIT_STRING : tag, bytes, len, unused);
}
