/*
 * SPDX-License-Identifier: Apache-2.0
 * BER to DER normaliser: definite minimal lengths, constructed strings
 * flattened. Values are not re-encoded: a value that is valid BER but not
 * DER (BOOLEAN 01, BIT STRING padding bits, an unsorted SET) is refused
 * with its DER status, so that whatever comes out passes tsvc__der_validate.
 */
#include <string.h>

#include "der.h"
#include "der_internal.h"

#define BER_DEPTH_CAP 256u

typedef struct ber_state {
    const tsvc_ctx *ctx;
    uint8_t *buf;
    size_t len;
    size_t cap;
    unsigned max_depth;
    tsvc_error **err;
} ber_state;

static tsvc_status ber_err(ber_state *s, int64_t off, const char *what)
{
    return tsvc__err(s->err, TSVC_ERR_BER, "ber", off, "malformed BER: %s", what);
}

static tsvc_status out_reserve(ber_state *s, size_t n)
{
    if (n > SIZE_MAX - s->len)
        return TSVC_ERR_NOMEM;
    const size_t need = s->len + n;
    if (need <= s->cap)
        return TSVC_OK;
    size_t cap = s->cap < 256 ? 256 : s->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    uint8_t *p = tsvc__realloc(s->ctx, s->buf, s->cap, cap);
    if (p == NULL)
        return TSVC_ERR_NOMEM;
    s->buf = p;
    s->cap = cap;
    return TSVC_OK;
}

static tsvc_status out_add(ber_state *s, const uint8_t *p, size_t n)
{
    tsvc_status st = out_reserve(s, n);
    if (st != TSVC_OK)
        return tsvc__err_code(s->err, st);
    if (n > 0)
        memcpy(s->buf + s->len, p, n);
    s->len += n;
    return TSVC_OK;
}

/* Writes the minimal length of the contents that start at @p start, behind a one-octet slot. */
static tsvc_status out_fix_length(ber_state *s, size_t start, int64_t in_off)
{
    const size_t clen = s->len - start;
    uint8_t l[16];
    if (clen > 0xffffffffu)
        return ber_err(s, in_off, "element too long");
    const size_t n = tsvc__der_encode_length(clen, l);
    if (n > 1) {
        tsvc_status st = out_reserve(s, n - 1);
        if (st != TSVC_OK)
            return tsvc__err_code(s->err, st);
        memmove(s->buf + start + n - 1, s->buf + start, clen);
        s->len += n - 1;
    }
    memcpy(s->buf + start - 1, l, n);
    return TSVC_OK;
}

/* One BER header. */
typedef struct ber_hdr {
    uint32_t tag;
    bool indefinite;
    bool eoc;
    size_t len; /* when definite */
    int64_t off;
} ber_hdr;

static tsvc_status read_header(ber_state *s, tsvc__cbs *in, ber_hdr *h)
{
    size_t used;
    h->off = tsvc__cbs_offset(in);
    if (tsvc__der_parse_tag(in->data, in->len, &h->tag, &used) != TSVC_OK)
        return ber_err(s, h->off, "bad or truncated tag");
    if (used >= in->len)
        return ber_err(s, h->off, "truncated length");
    const uint8_t l0 = in->data[used++];
    h->indefinite = false;
    h->eoc = false;
    h->len = 0;
    if (l0 < 0x80) {
        h->len = l0;
    } else if (l0 == 0x80) {
        if (!(h->tag & TSVC__DER_CONSTRUCTED))
            return ber_err(s, h->off, "indefinite length on a primitive element");
        h->indefinite = true;
    } else if (l0 == 0xff) {
        return ber_err(s, h->off, "reserved length octet 0xff");
    } else {
        const size_t n = l0 & 0x7fu;
        if (in->len - used < n)
            return ber_err(s, h->off, "truncated length");
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) {
            if (v > (UINT64_MAX >> 8))
                return ber_err(s, h->off, "length too large");
            v = (v << 8) | in->data[used + i];
        }
        used += n;
        if (v > in->len - used)
            return ber_err(s, h->off, "length runs past the end of input");
        h->len = (size_t)v;
    }
    if (!h->indefinite && h->len > in->len - used)
        return ber_err(s, h->off, "length runs past the end of input");
    if (h->tag == 0 && !h->indefinite) {
        if (h->len != 0)
            return ber_err(s, h->off, "end-of-contents octets with contents");
        h->eoc = true;
    }
    in->data += used;
    in->len -= used;
    return TSVC_OK;
}

/*
 * Reads the next element header of a level. *done is set (and TSVC_OK
 * returned) at the end of a definite level or at the end-of-contents of
 * an indefinite one. Checks the depth of the element found.
 */
static tsvc_status next_header(ber_state *s, tsvc__cbs *in, unsigned depth, bool until_eoc,
                               ber_hdr *h, bool *done)
{
    *done = false;
    if (in->len == 0) {
        if (until_eoc)
            return ber_err(s, tsvc__cbs_offset(in), "missing end-of-contents");
        *done = true;
        return TSVC_OK;
    }
    tsvc_status st = read_header(s, in, h);
    if (st != TSVC_OK)
        return st;
    if (h->eoc) {
        if (!until_eoc)
            return ber_err(s, h->off, "unexpected end-of-contents");
        *done = true;
        return TSVC_OK;
    }
    if ((h->tag & ~TSVC__DER_CONSTRUCTED) == 0)
        return ber_err(s, h->off, "misplaced end-of-contents or universal tag 0");
    if (depth > s->max_depth)
        return tsvc__err(s->err, TSVC_ERR_LIMIT_DER_DEPTH, "ber.depth", h->off,
                         "BER nesting deeper than %u", s->max_depth);
    return TSVC_OK;
}

static bool flattenable(uint32_t tag)
{
    if ((tag & TSVC__DER_CLASS_MASK) != TSVC__DER_CLASS_UNIVERSAL)
        return false;
    const uint32_t n = tag & TSVC__DER_NUMBER_MASK;
    return n == 3 || n == 4 || n == 7 || n == 12 || (n >= 18 && n <= 30);
}

static bool primitive_only(uint32_t n)
{
    return (n >= 1 && n <= 7) || n == 9 || n == 10 || (n >= 12 && n <= 30 && n != 16 && n != 17);
}

typedef struct flat {
    bool bit;        /* BIT STRING */
    bool pending;    /* a segment with unused bits was seen: it must be the last */
    unsigned unused; /* unused bits of the last segment */
} flat;

/*
 * Appends the contents of the segments of a constructed string. @p in is
 * the contents (definite) or the rest of the input (indefinite, ends at
 * end-of-contents).
 */
static tsvc_status flatten(ber_state *s, tsvc__cbs *in, uint32_t number, unsigned depth,
                           bool until_eoc, flat *f)
{
    tsvc_status st;
    for (;;) {
        ber_hdr h;
        bool done;
        st = next_header(s, in, depth, until_eoc, &h, &done);
        if (st != TSVC_OK || done)
            return st;
        if ((h.tag & ~TSVC__DER_CONSTRUCTED) != number)
            return ber_err(s, h.off, "segment of a constructed string has another type");
        if (h.tag & TSVC__DER_CONSTRUCTED) {
            if (h.indefinite) {
                st = flatten(s, in, number, depth + 1, true, f);
            } else {
                tsvc__cbs sub;
                (void)tsvc__cbs_get_bytes(in, &sub, h.len);
                st = flatten(s, &sub, number, depth + 1, false, f);
            }
            if (st != TSVC_OK)
                return st;
            continue;
        }
        tsvc__cbs c;
        (void)tsvc__cbs_get_bytes(in, &c, h.len);
        if (f->bit) {
            if (c.len == 0)
                return ber_err(s, h.off, "BIT STRING segment without the unused-bits octet");
            if (f->pending)
                return ber_err(s, h.off, "unused bits in a BIT STRING segment that is not the last");
            f->unused = c.data[0];
            f->pending = c.data[0] != 0;
            st = out_add(s, c.data + 1, c.len - 1);
        } else {
            st = out_add(s, c.data, c.len);
        }
        if (st != TSVC_OK)
            return st;
    }
}

static tsvc_status convert(ber_state *s, tsvc__cbs *in, unsigned depth, bool until_eoc,
                           bool one);

static tsvc_status convert_element(ber_state *s, tsvc__cbs *in, const ber_hdr *h,
                                   unsigned depth)
{
    uint8_t t[8];
    tsvc_status st;
    const uint32_t number = h->tag & TSVC__DER_NUMBER_MASK;
    const bool universal = (h->tag & TSVC__DER_CLASS_MASK) == TSVC__DER_CLASS_UNIVERSAL;
    const bool constructed = (h->tag & TSVC__DER_CONSTRUCTED) != 0;
    tsvc__cbs sub = {NULL, 0, in->base};

    if (!h->indefinite)
        (void)tsvc__cbs_get_bytes(in, &sub, h->len);

    if (!constructed) {
        if (universal && (number == 16 || number == 17))
            return ber_err(s, h->off, "SEQUENCE or SET encoded as primitive");
        st = tsvc__der_check_primitive(h->tag, &sub, s->err);
        if (st != TSVC_OK)
            return st;
        uint8_t l[16];
        if (sub.len > 0xffffffffu)
            return ber_err(s, h->off, "element too long");
        st = out_add(s, t, tsvc__der_encode_tag(h->tag, t));
        if (st == TSVC_OK)
            st = out_add(s, l, tsvc__der_encode_length(sub.len, l));
        if (st == TSVC_OK)
            st = out_add(s, sub.data, sub.len);
        return st;
    }

    if (flattenable(h->tag)) {
        const uint32_t prim = h->tag & ~TSVC__DER_CONSTRUCTED;
        flat f = {number == 3, false, 0};
        st = out_add(s, t, tsvc__der_encode_tag(prim, t));
        if (st == TSVC_OK)
            st = out_add(s, (const uint8_t *)"\0", 1);
        if (st != TSVC_OK)
            return st;
        const size_t start = s->len;
        if (f.bit) {
            st = out_add(s, (const uint8_t *)"\0", 1);
            if (st != TSVC_OK)
                return st;
        }
        if (h->indefinite)
            st = flatten(s, in, prim, depth + 1, true, &f);
        else
            st = flatten(s, &sub, prim, depth + 1, false, &f);
        if (st != TSVC_OK)
            return st;
        if (f.bit)
            s->buf[start] = (uint8_t)f.unused;
        tsvc__cbs c;
        tsvc__cbs_init(&c, s->buf + start, s->len - start);
        st = tsvc__der_check_primitive(prim, &c, NULL);
        if (st != TSVC_OK)
            return tsvc__err(s->err, st, "ber.value", h->off,
                             "flattened string value is not valid DER");
        return out_fix_length(s, start, h->off);
    }

    if (universal && primitive_only(number))
        return ber_err(s, h->off, "constructed encoding of a primitive-only type");
    st = out_add(s, t, tsvc__der_encode_tag(h->tag, t));
    if (st == TSVC_OK)
        st = out_add(s, (const uint8_t *)"\0", 1);
    if (st != TSVC_OK)
        return st;
    const size_t start = s->len;
    if (h->indefinite)
        st = convert(s, in, depth + 1, true, false);
    else
        st = convert(s, &sub, depth + 1, false, false);
    if (st != TSVC_OK)
        return st;
    if (h->tag == TSVC__TAG_SET) {
        tsvc__cbs c;
        tsvc__cbs_init(&c, s->buf + start, s->len - start);
        if (tsvc__der_check_set_of_order(&c, NULL) != TSVC_OK)
            return tsvc__err(s->err, TSVC_ERR_DER_SET_ORDER, "ber.set_order", h->off,
                             "SET elements are not in DER order (not re-sorted)");
    }
    return out_fix_length(s, start, h->off);
}

/* Converts elements until the end of @p in, or its end-of-contents, or after one element. */
static tsvc_status convert(ber_state *s, tsvc__cbs *in, unsigned depth, bool until_eoc, bool one)
{
    for (;;) {
        ber_hdr h;
        bool done;
        tsvc_status st = next_header(s, in, depth, until_eoc, &h, &done);
        if (st != TSVC_OK || done)
            return st;
        st = convert_element(s, in, &h, depth);
        if (st != TSVC_OK)
            return st;
        if (one)
            return TSVC_OK;
    }
}

tsvc_status tsvc__ber_to_der(const tsvc_ctx *ctx, const uint8_t *in, size_t len,
                             unsigned max_depth, tsvc_buf *out, tsvc_error **err)
{
    ber_state s = {ctx, NULL, 0, 0, max_depth, err};
    tsvc__cbs cbs;
    tsvc_status st;

    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ber", -1, "NULL output");
    out->data = NULL;
    out->len = 0;
    if (in == NULL && len != 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ber", -1, "NULL input");
    if (s.max_depth == 0)
        s.max_depth = TSVC__DER_DEFAULT_DEPTH;
    if (s.max_depth > BER_DEPTH_CAP)
        s.max_depth = BER_DEPTH_CAP;
    tsvc__cbs_init(&cbs, in, len);
    if (len == 0) {
        st = ber_err(&s, 0, "empty input");
        goto out;
    }
    st = convert(&s, &cbs, 1, false, true);
    if (st != TSVC_OK)
        goto out;
    if (cbs.len != 0) {
        st = ber_err(&s, tsvc__cbs_offset(&cbs), "data after the end of the value");
        goto out;
    }
    st = tsvc__buf_set(ctx, out, s.buf, s.len);
    if (st != TSVC_OK)
        tsvc__err_code(err, st);
out:
    if (s.buf != NULL)
        tsvc__free_secret(ctx, s.buf, s.cap);
    return st;
}
