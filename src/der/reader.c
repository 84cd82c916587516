/*
 * SPDX-License-Identifier: Apache-2.0
 * Strict DER reader: a non-owning cursor (after BoringSSL's CBS) and the
 * typed getters. Every getter advances the cursor only on success.
 *
 * Error offsets point at the first offending octet: the tag octet for tag
 * errors, the first length octet for length errors (and for a length that
 * runs past the end), the first contents octet for contents errors.
 */
#include <string.h>

#include "der.h"
#include "der_internal.h"

/* ------------------------------------------------------------------ */
/* Cursor                                                              */
/* ------------------------------------------------------------------ */

void tsvc__cbs_init(tsvc__cbs *cbs, const uint8_t *data, size_t len)
{
    cbs->data = data;
    cbs->len = len;
    cbs->base = data;
}

int64_t tsvc__cbs_offset(const tsvc__cbs *cbs)
{
    if (cbs->base == NULL || cbs->data == NULL)
        return 0;
    return (int64_t)(cbs->data - cbs->base);
}

tsvc_status tsvc__cbs_skip(tsvc__cbs *cbs, size_t n)
{
    if (n > cbs->len)
        return TSVC_ERR_DER_TRUNCATED;
    cbs->data += n;
    cbs->len -= n;
    return TSVC_OK;
}

tsvc_status tsvc__cbs_get_u8(tsvc__cbs *cbs, uint8_t *out)
{
    if (cbs->len < 1)
        return TSVC_ERR_DER_TRUNCATED;
    *out = cbs->data[0];
    cbs->data++;
    cbs->len--;
    return TSVC_OK;
}

tsvc_status tsvc__cbs_get_bytes(tsvc__cbs *cbs, tsvc__cbs *out, size_t n)
{
    if (n > cbs->len)
        return TSVC_ERR_DER_TRUNCATED;
    if (out != NULL) {
        out->data = cbs->data;
        out->len = n;
        out->base = cbs->base;
    }
    cbs->data += n;
    cbs->len -= n;
    return TSVC_OK;
}

bool tsvc__cbs_equal(const tsvc__cbs *a, const uint8_t *b, size_t b_len)
{
    if (a->len != b_len)
        return false;
    return b_len == 0 || memcmp(a->data, b, b_len) == 0;
}

/* ------------------------------------------------------------------ */
/* Headers                                                             */
/* ------------------------------------------------------------------ */

tsvc_status tsvc__der_parse_tag(const uint8_t *p, size_t len, uint32_t *out_tag,
                                size_t *out_used)
{
    if (len < 1)
        return TSVC_ERR_DER_TRUNCATED;
    const uint8_t b0 = p[0];
    uint32_t tag = ((uint32_t)(b0 & 0xe0u)) << 24;
    uint32_t number = b0 & 0x1fu;
    size_t i = 1;
    if (number == 0x1f) {
        /* High-tag-number form (X.690 8.1.2.4): base-128, minimal, >= 31. */
        number = 0;
        for (;;) {
            if (i >= len)
                return TSVC_ERR_DER_TRUNCATED;
            const uint8_t b = p[i];
            if (i == 1 && b == 0x80)
                return TSVC_ERR_DER_TAG; /* leading zero group */
            if (number > (TSVC__DER_NUMBER_MASK >> 7))
                return TSVC_ERR_DER_TAG; /* does not fit in 29 bits */
            number = (number << 7) | (b & 0x7fu);
            i++;
            if ((b & 0x80u) == 0)
                break;
        }
        if (number < 31)
            return TSVC_ERR_DER_TAG; /* should have used the low form */
    }
    *out_tag = tag | number;
    *out_used = i;
    return TSVC_OK;
}

/* Universal types whose DER encoding must be primitive. */
static bool universal_primitive_only(uint32_t number)
{
    switch (number) {
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 9: case 10:
    case 13: case 14:
        return true;
    default:
        return (number >= 12 && number <= 30 && number != 16 && number != 17);
    }
}

static tsvc_status der_header_err(tsvc_error **err, tsvc_status st, int64_t off)
{
    switch (st) {
    case TSVC_ERR_DER_TRUNCATED:
        return tsvc__err(err, st, "der.truncated", off, "DER element runs past the end of input");
    case TSVC_ERR_DER_INDEFINITE:
        return tsvc__err(err, st, "der.indefinite", off, "indefinite length is not DER");
    case TSVC_ERR_DER_LENGTH:
        return tsvc__err(err, st, "der.length", off, "length is not in minimal DER form");
    case TSVC_ERR_DER_TAG:
        return tsvc__err(err, st, "der.tag", off, "malformed tag");
    case TSVC_ERR_DER_CONSTRUCTED:
        return tsvc__err(err, st, "der.constructed", off,
                         "constructed encoding of a primitive-only type");
    default:
        return tsvc__err(err, st, "der", off, "malformed DER header");
    }
}

tsvc_status tsvc__der_get_any(tsvc__cbs *cbs, uint32_t *out_tag, tsvc__cbs *out_contents,
                              tsvc__cbs *out_element, tsvc_error **err)
{
    const int64_t off = tsvc__cbs_offset(cbs);
    uint32_t tag;
    size_t used;
    tsvc_status st = tsvc__der_parse_tag(cbs->data, cbs->len, &tag, &used);
    if (st != TSVC_OK)
        return der_header_err(err, st, off);
    const uint32_t number = tag & TSVC__DER_NUMBER_MASK;
    if ((tag & TSVC__DER_CLASS_MASK) == TSVC__DER_CLASS_UNIVERSAL) {
        if (number == 0)
            return tsvc__err(err, TSVC_ERR_DER_TAG, "der.tag", off,
                             "end-of-contents octets are not DER");
        if ((tag & TSVC__DER_CONSTRUCTED) && universal_primitive_only(number))
            return der_header_err(err, TSVC_ERR_DER_CONSTRUCTED, off);
        if (!(tag & TSVC__DER_CONSTRUCTED) && (number == 16 || number == 17))
            return tsvc__err(err, TSVC_ERR_DER_TAG, "der.tag", off,
                             "SEQUENCE or SET encoded as primitive");
    }

    const int64_t len_off = off + (int64_t)used;
    if (used >= cbs->len)
        return der_header_err(err, TSVC_ERR_DER_TRUNCATED, len_off);
    const uint8_t l0 = cbs->data[used++];
    size_t len;
    if (l0 < 0x80) {
        len = l0;
    } else if (l0 == 0x80) {
        return der_header_err(err, TSVC_ERR_DER_INDEFINITE, len_off);
    } else {
        const size_t n = l0 & 0x7fu;
        if (n > 4)
            return der_header_err(err, TSVC_ERR_DER_LENGTH, len_off);
        if (cbs->len - used < n)
            return der_header_err(err, TSVC_ERR_DER_TRUNCATED, len_off);
        if (cbs->data[used] == 0)
            return der_header_err(err, TSVC_ERR_DER_LENGTH, len_off);
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++)
            v = (v << 8) | cbs->data[used + i];
        used += n;
        if (v < 0x80)
            return der_header_err(err, TSVC_ERR_DER_LENGTH, len_off);
        if (v > SIZE_MAX)
            return der_header_err(err, TSVC_ERR_DER_TRUNCATED, len_off);
        len = (size_t)v;
    }
    if (len > cbs->len - used)
        return der_header_err(err, TSVC_ERR_DER_TRUNCATED, len_off);

    if (out_tag != NULL)
        *out_tag = tag;
    if (out_contents != NULL) {
        out_contents->data = cbs->data + used;
        out_contents->len = len;
        out_contents->base = cbs->base;
    }
    if (out_element != NULL) {
        out_element->data = cbs->data;
        out_element->len = used + len;
        out_element->base = cbs->base;
    }
    cbs->data += used + len;
    cbs->len -= used + len;
    return TSVC_OK;
}

static tsvc_status get_tagged(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out_contents,
                              tsvc__cbs *out_element, tsvc_error **err)
{
    tsvc__cbs copy = *cbs;
    uint32_t got;
    tsvc_status st = tsvc__der_get_any(&copy, &got, out_contents, out_element, err);
    if (st != TSVC_OK)
        return st;
    if (got != tag)
        return tsvc__err(err, TSVC_ERR_DER_TAG, "der.tag", tsvc__cbs_offset(cbs),
                         "expected tag 0x%08x, found 0x%08x", (unsigned)tag, (unsigned)got);
    *cbs = copy;
    return TSVC_OK;
}

tsvc_status tsvc__der_get(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out_contents,
                          tsvc_error **err)
{
    return get_tagged(cbs, tag, out_contents, NULL, err);
}

tsvc_status tsvc__der_get_element(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out_element,
                                  tsvc_error **err)
{
    return get_tagged(cbs, tag, NULL, out_element, err);
}

bool tsvc__der_peek_tag(const tsvc__cbs *cbs, uint32_t tag)
{
    uint32_t got;
    size_t used;
    if (tsvc__der_parse_tag(cbs->data, cbs->len, &got, &used) != TSVC_OK)
        return false;
    return got == tag;
}

tsvc_status tsvc__der_get_optional(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out_contents,
                                   bool *present, tsvc_error **err)
{
    if (!tsvc__der_peek_tag(cbs, tag)) {
        *present = false;
        return TSVC_OK;
    }
    tsvc_status st = get_tagged(cbs, tag, out_contents, NULL, err);
    *present = (st == TSVC_OK);
    return st;
}

tsvc_status tsvc__der_expect_end(const tsvc__cbs *cbs, tsvc_error **err)
{
    if (cbs->len != 0)
        return tsvc__err(err, TSVC_ERR_DER_TRAILING, "der.trailing", tsvc__cbs_offset(cbs),
                         "%zu unexpected octets after the value", cbs->len);
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Primitive values                                                    */
/* ------------------------------------------------------------------ */

static tsvc_status check_bool(const tsvc__cbs *c, bool *out, tsvc_error **err)
{
    if (c->len != 1 || (c->data[0] != 0x00 && c->data[0] != 0xff))
        return tsvc__err(err, TSVC_ERR_DER_BOOLEAN, "der.boolean", tsvc__cbs_offset(c),
                         "BOOLEAN must be one octet 00 or FF");
    if (out != NULL)
        *out = c->data[0] == 0xff;
    return TSVC_OK;
}

tsvc_status tsvc__der_get_bool(tsvc__cbs *cbs, bool *out, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    tsvc_status st = tsvc__der_get(&copy, TSVC__TAG_BOOLEAN, &c, err);
    if (st == TSVC_OK)
        st = check_bool(&c, out, err);
    if (st == TSVC_OK)
        *cbs = copy;
    return st;
}

static tsvc_status check_null(const tsvc__cbs *c, tsvc_error **err)
{
    if (c->len != 0)
        return tsvc__err(err, TSVC_ERR_DER_LENGTH, "der.null", tsvc__cbs_offset(c),
                         "NULL must have empty contents");
    return TSVC_OK;
}

tsvc_status tsvc__der_get_null(tsvc__cbs *cbs, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    tsvc_status st = tsvc__der_get(&copy, TSVC__TAG_NULL, &c, err);
    if (st == TSVC_OK)
        st = check_null(&c, err);
    if (st == TSVC_OK)
        *cbs = copy;
    return st;
}

tsvc_status tsvc__der_check_integer(const tsvc__cbs *contents, tsvc_error **err)
{
    const int64_t off = tsvc__cbs_offset(contents);
    if (contents->len == 0)
        return tsvc__err(err, TSVC_ERR_DER_INTEGER, "der.integer", off,
                         "INTEGER with empty contents");
    if (contents->len > 1) {
        const uint8_t a = contents->data[0], b = contents->data[1];
        if ((a == 0x00 && (b & 0x80) == 0) || (a == 0xff && (b & 0x80) != 0))
            return tsvc__err(err, TSVC_ERR_DER_INTEGER, "der.integer", off,
                             "INTEGER not minimally encoded");
    }
    return TSVC_OK;
}

tsvc_status tsvc__der_get_integer(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out, bool *negative,
                                  tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    tsvc_status st = tsvc__der_get(&copy, tag == 0 ? TSVC__TAG_INTEGER : tag, &c, err);
    if (st == TSVC_OK)
        st = tsvc__der_check_integer(&c, err);
    if (st != TSVC_OK)
        return st;
    if (out != NULL)
        *out = c;
    if (negative != NULL)
        *negative = (c.data[0] & 0x80) != 0;
    *cbs = copy;
    return TSVC_OK;
}

tsvc_status tsvc__der_get_u64(tsvc__cbs *cbs, uint64_t *out, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    bool neg;
    tsvc_status st = tsvc__der_get_integer(&copy, 0, &c, &neg, err);
    if (st != TSVC_OK)
        return st;
    if (neg)
        return tsvc__err(err, TSVC_ERR_DER_INTEGER, "der.integer.range", tsvc__cbs_offset(&c),
                         "negative INTEGER where a non-negative one is required");
    if (c.data[0] == 0x00 && c.len > 1) {
        c.data++;
        c.len--;
    }
    if (c.len > 8)
        return tsvc__err(err, TSVC_ERR_DER_INTEGER, "der.integer.range", tsvc__cbs_offset(&c),
                         "INTEGER does not fit in 64 bits");
    uint64_t v = 0;
    for (size_t i = 0; i < c.len; i++)
        v = (v << 8) | c.data[i];
    if (out != NULL)
        *out = v;
    *cbs = copy;
    return TSVC_OK;
}

tsvc_status tsvc__der_get_i64(tsvc__cbs *cbs, int64_t *out, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    bool neg;
    tsvc_status st = tsvc__der_get_integer(&copy, 0, &c, &neg, err);
    if (st != TSVC_OK)
        return st;
    if (c.len > 8)
        return tsvc__err(err, TSVC_ERR_DER_INTEGER, "der.integer.range", tsvc__cbs_offset(&c),
                         "INTEGER does not fit in 64 bits");
    uint64_t v = neg ? UINT64_MAX : 0;
    for (size_t i = 0; i < c.len; i++)
        v = (v << 8) | c.data[i];
    if (out != NULL) {
        /* Two's complement to int64 without implementation-defined casts. */
        if (v <= (uint64_t)INT64_MAX)
            *out = (int64_t)v;
        else
            *out = -(int64_t)(~v) - 1;
    }
    *cbs = copy;
    return TSVC_OK;
}

tsvc_status tsvc__der_get_unsigned(tsvc__cbs *cbs, tsvc__cbs *out_magnitude, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    bool neg;
    tsvc_status st = tsvc__der_get_integer(&copy, 0, &c, &neg, err);
    if (st != TSVC_OK)
        return st;
    if (neg)
        return tsvc__err(err, TSVC_ERR_DER_INTEGER, "der.integer.range", tsvc__cbs_offset(&c),
                         "negative INTEGER where an unsigned one is required");
    if (c.len > 1 && c.data[0] == 0x00) {
        c.data++;
        c.len--;
    }
    if (out_magnitude != NULL)
        *out_magnitude = c;
    *cbs = copy;
    return TSVC_OK;
}

static tsvc_status check_bit_string(const tsvc__cbs *c, tsvc_error **err)
{
    const int64_t off = tsvc__cbs_offset(c);
    if (c->len == 0)
        return tsvc__err(err, TSVC_ERR_DER_BIT_STRING, "der.bit_string", off,
                         "BIT STRING without the unused-bits octet");
    const unsigned unused = c->data[0];
    if (unused > 7)
        return tsvc__err(err, TSVC_ERR_DER_BIT_STRING, "der.bit_string", off,
                         "BIT STRING with %u unused bits", unused);
    if (c->len == 1 && unused != 0)
        return tsvc__err(err, TSVC_ERR_DER_BIT_STRING, "der.bit_string", off,
                         "empty BIT STRING with unused bits");
    if (unused != 0 && (c->data[c->len - 1] & ((1u << unused) - 1u)) != 0)
        return tsvc__err(err, TSVC_ERR_DER_BIT_STRING, "der.bit_string",
                         off + (int64_t)c->len - 1, "BIT STRING padding bits are not zero");
    return TSVC_OK;
}

tsvc_status tsvc__der_get_bit_string(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out,
                                     unsigned *unused_bits, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    tsvc_status st = tsvc__der_get(&copy, tag == 0 ? TSVC__TAG_BIT_STRING : tag, &c, err);
    if (st == TSVC_OK)
        st = check_bit_string(&c, err);
    if (st != TSVC_OK)
        return st;
    if (unused_bits != NULL)
        *unused_bits = c.data[0];
    if (out != NULL) {
        out->data = c.data + 1;
        out->len = c.len - 1;
        out->base = c.base;
    }
    *cbs = copy;
    return TSVC_OK;
}

tsvc_status tsvc__der_get_named_bits(tsvc__cbs *cbs, uint32_t tag, uint64_t *out, bool strict,
                                     tsvc_error **err)
{
    tsvc__cbs copy = *cbs, bits;
    unsigned unused;
    tsvc_status st = tsvc__der_get_bit_string(&copy, tag, &bits, &unused, err);
    if (st != TSVC_OK)
        return st;
    const int64_t off = tsvc__cbs_offset(&bits);
    if (strict && bits.len > 0 && (bits.data[bits.len - 1] & (1u << unused)) == 0)
        return tsvc__err(err, TSVC_ERR_DER_BIT_STRING, "der.bit_string.named",
                         off + (int64_t)bits.len - 1,
                         "named-bit BIT STRING with trailing zero bits");
    uint64_t v = 0;
    for (size_t i = 0; i < bits.len; i++) {
        const uint8_t b = bits.data[i];
        if (b == 0)
            continue;
        if (i >= 8)
            return tsvc__err(err, TSVC_ERR_DER_BIT_STRING, "der.bit_string.named",
                             off + (int64_t)i, "named bit beyond bit 63 is set");
        for (unsigned k = 0; k < 8; k++)
            if (b & (0x80u >> k))
                v |= (uint64_t)1 << (i * 8 + k);
    }
    if (out != NULL)
        *out = v;
    *cbs = copy;
    return TSVC_OK;
}

tsvc_status tsvc__der_get_octet_string(tsvc__cbs *cbs, tsvc__cbs *out, tsvc_error **err)
{
    return tsvc__der_get(cbs, TSVC__TAG_OCTET_STRING, out, err);
}

static tsvc_status check_oid(const tsvc__cbs *c, tsvc_error **err)
{
    if (!tsvc__oid_valid(c->data, c->len))
        return tsvc__err(err, TSVC_ERR_DER_OID, "der.oid", tsvc__cbs_offset(c),
                         "malformed OBJECT IDENTIFIER");
    return TSVC_OK;
}

tsvc_status tsvc__der_get_oid(tsvc__cbs *cbs, tsvc__cbs *out, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    tsvc_status st = tsvc__der_get(&copy, TSVC__TAG_OID, &c, err);
    if (st == TSVC_OK)
        st = check_oid(&c, err);
    if (st != TSVC_OK)
        return st;
    if (out != NULL)
        *out = c;
    *cbs = copy;
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* SET OF order and whole-value validation                              */
/* ------------------------------------------------------------------ */

int tsvc__der_compare_elements(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    const size_t n = a_len < b_len ? a_len : b_len;
    int c = n ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    /* The shorter one is padded with zero octets (X.690 11.6). */
    for (size_t i = n; i < a_len; i++)
        if (a[i] != 0)
            return 1;
    for (size_t i = n; i < b_len; i++)
        if (b[i] != 0)
            return -1;
    return 0;
}

tsvc_status tsvc__der_check_set_of_order(const tsvc__cbs *contents, tsvc_error **err)
{
    tsvc__cbs it = *contents, prev = {NULL, 0, contents->base};
    bool have_prev = false;
    while (it.len > 0) {
        tsvc__cbs el;
        tsvc_status st = tsvc__der_get_any(&it, NULL, NULL, &el, err);
        if (st != TSVC_OK)
            return st;
        if (have_prev && tsvc__der_compare_elements(prev.data, prev.len, el.data, el.len) > 0)
            return tsvc__err(err, TSVC_ERR_DER_SET_ORDER, "der.set_order",
                             tsvc__cbs_offset(&el), "SET OF elements are not in DER order");
        prev = el;
        have_prev = true;
    }
    return TSVC_OK;
}

tsvc_status tsvc__der_check_primitive(uint32_t tag, const tsvc__cbs *c, tsvc_error **err)
{
    if ((tag & (TSVC__DER_CLASS_MASK | TSVC__DER_CONSTRUCTED)) != TSVC__DER_CLASS_UNIVERSAL)
        return TSVC_OK;
    switch (tag) {
    case TSVC__TAG_BOOLEAN:
        return check_bool(c, NULL, err);
    case TSVC__TAG_INTEGER:
    case TSVC__TAG_ENUMERATED:
        return tsvc__der_check_integer(c, err);
    case TSVC__TAG_BIT_STRING:
        return check_bit_string(c, err);
    case TSVC__TAG_NULL:
        return check_null(c, err);
    case TSVC__TAG_OID:
        return check_oid(c, err);
    case TSVC__TAG_UTC_TIME:
    case TSVC__TAG_GENERALIZED_TIME: {
        /* GeneralizedTime may carry a fraction (TSTInfo genTime). */
        const tsvc__time_profile p =
            tag == TSVC__TAG_UTC_TIME ? TSVC__TIME_RFC5280 : TSVC__TIME_GENERALIZED_FRAC;
        int64_t secs;
        if (tsvc__der_parse_time(c->data, c->len, tag, p, &secs, NULL) != TSVC_OK)
            return tsvc__err(err, TSVC_ERR_DER_TIME, "der.time", tsvc__cbs_offset(c),
                             "malformed time value");
        return TSVC_OK;
    }
    default:
        return TSVC_OK;
    }
}

#define VALIDATE_DEPTH_CAP 256u

static tsvc_status validate_level(tsvc__cbs *cbs, unsigned depth, unsigned max_depth,
                                  tsvc_error **err)
{
    while (cbs->len > 0) {
        const int64_t off = tsvc__cbs_offset(cbs);
        uint32_t tag;
        tsvc__cbs contents;
        tsvc_status st = tsvc__der_get_any(cbs, &tag, &contents, NULL, err);
        if (st != TSVC_OK)
            return st;
        if (depth > max_depth)
            return tsvc__err(err, TSVC_ERR_LIMIT_DER_DEPTH, "der.depth", off,
                             "DER nesting deeper than %u", max_depth);
        if (tag & TSVC__DER_CONSTRUCTED) {
            if (tag == TSVC__TAG_SET) {
                st = tsvc__der_check_set_of_order(&contents, err);
                if (st != TSVC_OK)
                    return st;
            }
            st = validate_level(&contents, depth + 1, max_depth, err);
        } else {
            st = tsvc__der_check_primitive(tag, &contents, err);
        }
        if (st != TSVC_OK)
            return st;
    }
    return TSVC_OK;
}

tsvc_status tsvc__der_validate(const uint8_t *data, size_t len, unsigned max_depth,
                               tsvc_error **err)
{
    if (data == NULL && len != 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "der.validate", -1, "NULL input");
    if (max_depth == 0)
        max_depth = TSVC__DER_DEFAULT_DEPTH;
    if (max_depth > VALIDATE_DEPTH_CAP)
        max_depth = VALIDATE_DEPTH_CAP;
    tsvc__cbs cbs;
    tsvc__cbs_init(&cbs, data, len);
    if (len == 0)
        return tsvc__err(err, TSVC_ERR_DER_TRUNCATED, "der.truncated", 0, "empty input");
    uint32_t tag;
    tsvc__cbs whole = cbs;
    tsvc_status st = tsvc__der_get_any(&whole, &tag, NULL, NULL, err);
    if (st != TSVC_OK)
        return st;
    st = tsvc__der_expect_end(&whole, err);
    if (st != TSVC_OK)
        return st;
    return validate_level(&cbs, 1, max_depth, err);
}
