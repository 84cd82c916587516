/*
 * SPDX-License-Identifier: Apache-2.0
 * OBJECT IDENTIFIER checks and dotted-text conversion. Arcs of any size
 * that fit in TSVC__OID_MAX_LEN octets are supported (e.g. 2.25.<UUID>),
 * through a small unsigned big number kept in little-endian bytes.
 */
#include <string.h>

#include "der.h"
#include "der_internal.h"

/* 128 octets of 7 bits each: 896 bits = 112 bytes; keep some headroom. */
#define BIG_BYTES 120

typedef struct big {
    uint8_t d[BIG_BYTES]; /* little-endian */
    size_t n;             /* significant bytes; 0 means zero */
} big;

static void big_zero(big *b)
{
    memset(b, 0, sizeof(*b));
}

/* b = b * m + a; false if it no longer fits. */
static bool big_mul_add(big *b, unsigned m, unsigned a)
{
    unsigned carry = a;
    for (size_t i = 0; i < b->n; i++) {
        const unsigned v = (unsigned)b->d[i] * m + carry;
        b->d[i] = (uint8_t)(v & 0xffu);
        carry = v >> 8;
    }
    while (carry != 0) {
        if (b->n >= BIG_BYTES)
            return false;
        b->d[b->n++] = (uint8_t)(carry & 0xffu);
        carry >>= 8;
    }
    return true;
}

/* b = b / d; returns the remainder. */
static unsigned big_div(big *b, unsigned d)
{
    unsigned rem = 0;
    for (size_t i = b->n; i-- > 0;) {
        const unsigned v = (rem << 8) | b->d[i];
        b->d[i] = (uint8_t)(v / d);
        rem = v % d;
    }
    while (b->n > 0 && b->d[b->n - 1] == 0)
        b->n--;
    return rem;
}

/* b -= s, with b >= s. */
static void big_sub_small(big *b, unsigned s)
{
    unsigned borrow = s;
    for (size_t i = 0; i < b->n && borrow != 0; i++) {
        const unsigned cur = b->d[i];
        const unsigned low = borrow & 0xffu;
        borrow >>= 8;
        if (cur >= low) {
            b->d[i] = (uint8_t)(cur - low);
        } else {
            b->d[i] = (uint8_t)(cur + 256u - low);
            borrow++;
        }
    }
    while (b->n > 0 && b->d[b->n - 1] == 0)
        b->n--;
}

/* True if b < s (s < 2^16). */
static bool big_lt_small(const big *b, unsigned s)
{
    if (b->n > 2)
        return false;
    unsigned v = 0;
    for (size_t i = b->n; i-- > 0;)
        v = (v << 8) | b->d[i];
    return v < s;
}

static unsigned big_small(const big *b)
{
    unsigned v = 0;
    for (size_t i = b->n; i-- > 0;)
        v = (v << 8) | b->d[i];
    return v;
}

/* Appends the decimal digits of b (consumed) to out at *pos; false if no room. */
static bool big_to_decimal(big *b, char *out, size_t out_size, size_t *pos)
{
    char digits[BIG_BYTES * 3 + 1];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + big_div(b, 10));
    } while (b->n > 0);
    if (out_size - *pos <= nd)
        return false;
    while (nd > 0)
        out[(*pos)++] = digits[--nd];
    return true;
}

/* Octet rules only: non-empty, <= 128 octets, minimal arcs, last octet ends an arc. */
static bool octets_valid(const uint8_t *oid, size_t len)
{
    if (oid == NULL || len == 0 || len > TSVC__OID_MAX_LEN)
        return false;
    bool arc_start = true;
    for (size_t i = 0; i < len; i++) {
        if (arc_start && oid[i] == 0x80)
            return false;
        arc_start = (oid[i] & 0x80) == 0;
    }
    return arc_start; /* the last octet must end an arc */
}

static tsvc_status to_text(const uint8_t *oid, size_t len, char *out, size_t out_size);

bool tsvc__oid_valid(const uint8_t *oid, size_t len)
{
    if (!octets_valid(oid, len))
        return false;
    /* Every octet adds at most 4 characters of text ("127." for a
     * one-octet arc; "2.47" for the first), so only OIDs of 128 octets can
     * have text that does not fit in TSVC__OID_TEXT_MAX (128 one-octet
     * arcs of three digits: 512 characters). Those are refused, so that
     * the text of every valid OID fits: callers size buffers by it. */
    if (len * 4 < TSVC__OID_TEXT_MAX)
        return true;
    char text[TSVC__OID_TEXT_MAX];
    return to_text(oid, len, text, sizeof(text)) == TSVC_OK;
}

tsvc_status tsvc__oid_to_text(const uint8_t *oid, size_t len, char *out, size_t out_size)
{
    if (out == NULL || out_size == 0)
        return TSVC_ERR_DER_OID;
    out[0] = '\0';
    if (!tsvc__oid_valid(oid, len))
        return TSVC_ERR_DER_OID;
    return to_text(oid, len, out, out_size);
}

/* Dotted text of content octets that satisfy octets_valid(). */
static tsvc_status to_text(const uint8_t *oid, size_t len, char *out, size_t out_size)
{
    tsvc_status st = TSVC_ERR_DER_OID;
    size_t pos = 0;
    big b;
    bool first = true;

    out[0] = '\0';
    if (!octets_valid(oid, len))
        goto out;
    big_zero(&b);
    for (size_t i = 0; i < len; i++) {
        if (!big_mul_add(&b, 128, oid[i] & 0x7fu))
            goto out;
        if (oid[i] & 0x80)
            continue;
        if (first) {
            unsigned top;
            if (big_lt_small(&b, 40)) {
                top = 0;
            } else if (big_lt_small(&b, 80)) {
                top = 1;
                big_sub_small(&b, 40);
            } else {
                top = 2;
                big_sub_small(&b, 80);
            }
            if (out_size - pos < 3)
                goto out;
            out[pos++] = (char)('0' + top);
            out[pos++] = '.';
            first = false;
        } else {
            if (out_size - pos < 2)
                goto out;
            out[pos++] = '.';
        }
        if (!big_to_decimal(&b, out, out_size, &pos))
            goto out;
        big_zero(&b);
    }
    out[pos] = '\0';
    st = TSVC_OK;
out:
    if (st != TSVC_OK)
        out[0] = '\0';
    return st;
}

/* Appends the base-128 encoding of b (consumed) to out. */
static tsvc_status put_arc(big *b, uint8_t *out, size_t out_size, size_t *pos)
{
    uint8_t groups[BIG_BYTES * 2];
    size_t ng = 0;
    do {
        groups[ng++] = (uint8_t)big_div(b, 128);
    } while (b->n > 0);
    if (ng > TSVC__OID_MAX_LEN || *pos + ng > TSVC__OID_MAX_LEN)
        return TSVC_ERR_DER_OID;
    if (out_size < *pos || out_size - *pos < ng)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    while (ng > 0) {
        ng--;
        out[(*pos)++] = (uint8_t)(groups[ng] | (ng > 0 ? 0x80u : 0u));
    }
    return TSVC_OK;
}

tsvc_status tsvc__oid_from_text(const char *text, uint8_t *out, size_t out_size, size_t *out_len)
{
    size_t pos = 0, arcs = 0;
    unsigned first_arc = 0;
    const char *p = text;
    big b;

    if (out_len != NULL)
        *out_len = 0;
    if (text == NULL || out == NULL)
        return TSVC_ERR_DER_OID;
    for (;;) {
        /* One decimal arc: non-empty, no leading zeros. */
        const char *start = p;
        big_zero(&b);
        while (*p >= '0' && *p <= '9') {
            if (!big_mul_add(&b, 10, (unsigned)(*p - '0')))
                return TSVC_ERR_DER_OID;
            p++;
            if ((size_t)(p - text) >= TSVC__OID_TEXT_MAX)
                return TSVC_ERR_DER_OID;
        }
        if (p == start || (p - start > 1 && *start == '0'))
            return TSVC_ERR_DER_OID;
        if (*p != '.' && *p != '\0')
            return TSVC_ERR_DER_OID;
        if (arcs == 0) {
            if (!big_lt_small(&b, 3))
                return TSVC_ERR_DER_OID;
            first_arc = big_small(&b);
        } else {
            if (arcs == 1) {
                if (first_arc < 2 && !big_lt_small(&b, 40))
                    return TSVC_ERR_DER_OID;
                if (!big_mul_add(&b, 1, first_arc * 40))
                    return TSVC_ERR_DER_OID;
            }
            const tsvc_status st = put_arc(&b, out, out_size, &pos);
            if (st != TSVC_OK)
                return st;
        }
        arcs++;
        if (*p == '\0')
            break;
        p++; /* the dot */
    }
    if (arcs < 2)
        return TSVC_ERR_DER_OID;
    if (out_len != NULL)
        *out_len = pos;
    return TSVC_OK;
}

bool tsvc__oid_equal(const tsvc__cbs *cbs, const uint8_t *oid, size_t len)
{
    return cbs != NULL && tsvc__cbs_equal(cbs, oid, len);
}
