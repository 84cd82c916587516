/*
 * SPDX-License-Identifier: Apache-2.0
 * Distinguished names: structure checks, RFC 5280 §7.1 comparison (with
 * RFC 4518 mapping and insignificant-space handling, and case folding of
 * the Latin, Greek and Cyrillic scripts; no full NFKC), a hash that equal
 * names share, directoryName subtrees, RFC 4514 text output and parsing.
 *
 * Thread safety: every function is reentrant and touches only its
 * arguments.
 */
#include <stdio.h>
#include <string.h>

#include "x509/x509_int.h"

/* ------------------------------------------------------------------ */
/* Structure                                                           */
/* ------------------------------------------------------------------ */

/* Reads one AttributeTypeAndValue from the contents of an RDN SET. */
static tsvc_status get_atv(tsvc__cbs *set, tsvc__x509_attr *out, tsvc_error **err)
{
    tsvc__cbs atv, at = *set;
    tsvc_error *inner = NULL;
    tsvc_status st = tsvc__der_get(set, TSVC__TAG_SEQUENCE, &atv, &inner);
    if (st == TSVC_OK)
        st = tsvc__der_get_oid(&atv, &out->type, &inner);
    if (st == TSVC_OK)
        st = tsvc__der_get_any(&atv, &out->tag, &out->value, &out->element, &inner);
    if (st == TSVC_OK)
        st = tsvc__der_expect_end(&atv, &inner);
    if (st != TSVC_OK)
        return tsvc__x509_wrap(err, TSVC_ERR_NAME, "x509.name.attribute", inner,
                               tsvc__cbs_offset(&at));
    return TSVC_OK;
}

/* Splits off the next RDN (SET contents). */
static tsvc_status get_rdn(tsvc__cbs *rdns, tsvc__cbs *set, tsvc_error **err)
{
    tsvc__cbs at = *rdns;
    tsvc_error *inner = NULL;
    tsvc_status st = tsvc__der_get(rdns, TSVC__TAG_SET, set, &inner);
    if (st != TSVC_OK)
        return tsvc__x509_wrap(err, TSVC_ERR_NAME, "x509.name.rdn", inner,
                               tsvc__cbs_offset(&at));
    if (set->len == 0)
        return tsvc__err(err, TSVC_ERR_NAME, "x509.name.rdn", tsvc__cbs_offset(&at),
                         "empty RelativeDistinguishedName");
    return TSVC_OK;
}

/* Gives the RDN sequence contents of a Name element. */
static tsvc_status name_rdns(const tsvc__cbs *name, tsvc__cbs *rdns, tsvc_error **err)
{
    tsvc__cbs el = *name;
    tsvc_error *inner = NULL;
    tsvc_status st = tsvc__der_get(&el, TSVC__TAG_SEQUENCE, rdns, &inner);
    if (st == TSVC_OK)
        st = tsvc__der_expect_end(&el, &inner);
    if (st != TSVC_OK)
        return tsvc__x509_wrap(err, TSVC_ERR_NAME, "x509.name", inner, tsvc__cbs_offset(name));
    return TSVC_OK;
}

static tsvc_status walk_name(const tsvc__cbs *name, tsvc__x509_attr *out, size_t *num,
                             tsvc_error **err)
{
    tsvc__cbs rdns, set;
    size_t n = 0, rdn = 0;
    tsvc_status st = name_rdns(name, &rdns, err);
    if (st != TSVC_OK)
        return st;
    while (rdns.len > 0) {
        st = get_rdn(&rdns, &set, err);
        if (st != TSVC_OK)
            return st;
        while (set.len > 0) {
            tsvc__x509_attr a;
            st = get_atv(&set, &a, err);
            if (st != TSVC_OK)
                return st;
            a.rdn = rdn;
            if (out != NULL)
                out[n] = a;
            n++;
        }
        rdn++;
    }
    *num = n;
    return TSVC_OK;
}

tsvc_status tsvc__name_check(const tsvc__cbs *name, tsvc_error **err)
{
    size_t n = 0;
    return walk_name(name, NULL, &n, err);
}

tsvc_status tsvc__name_parse(const tsvc_ctx *ctx, const tsvc__cbs *name, tsvc__x509_attr **out,
                             size_t *num, tsvc_error **err)
{
    size_t n = 0;
    *out = NULL;
    *num = 0;
    tsvc_status st = walk_name(name, NULL, &n, err);
    if (st != TSVC_OK || n == 0)
        return st;
    tsvc__x509_attr *attrs = tsvc__calloc(ctx, n, sizeof(*attrs));
    if (attrs == NULL)
        return tsvc__err(err, TSVC_ERR_NOMEM, "x509.name", -1, "out of memory");
    st = walk_name(name, attrs, &n, err);
    if (st != TSVC_OK) {
        tsvc__free(ctx, attrs);
        return st;
    }
    *out = attrs;
    *num = n;
    return TSVC_OK;
}

bool tsvc__name_is_empty(const tsvc__cbs *name)
{
    tsvc__cbs rdns;
    return name_rdns(name, &rdns, NULL) == TSVC_OK && rdns.len == 0;
}

/* ------------------------------------------------------------------ */
/* Comparison (RFC 5280 §7.1)                                          */
/* ------------------------------------------------------------------ */

bool tsvc__x509_is_folded_string(uint32_t tag)
{
    return tag == TSVC__TAG_PRINTABLE_STRING || tag == TSVC__TAG_UTF8_STRING ||
           tag == TSVC__TAG_BMP_STRING || tag == TSVC__TAG_UNIVERSAL_STRING;
}

/* Decodes the next code point of a string value of type @p tag at *pos;
 * -1 at the end, -2 when the encoding is invalid. */
static int32_t next_code_point(uint32_t tag, const uint8_t *p, size_t len, size_t *pos)
{
    size_t i = *pos;
    if (i >= len)
        return -1;
    if (tag == TSVC__TAG_BMP_STRING) {
        if (len - i < 2)
            return -2;
        uint32_t c = ((uint32_t)p[i] << 8) | p[i + 1];
        if (c >= 0xd800 && c <= 0xdfff)
            return -2;
        *pos = i + 2;
        return (int32_t)c;
    }
    if (tag == TSVC__TAG_UNIVERSAL_STRING) {
        if (len - i < 4)
            return -2;
        uint32_t c = ((uint32_t)p[i] << 24) | ((uint32_t)p[i + 1] << 16) |
                     ((uint32_t)p[i + 2] << 8) | p[i + 3];
        if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return -2;
        *pos = i + 4;
        return (int32_t)c;
    }
    if (tag != TSVC__TAG_UTF8_STRING) { /* PrintableString: ASCII */
        if (p[i] >= 0x80)
            return -2;
        *pos = i + 1;
        return p[i];
    }
    /* UTF-8, shortest form only. */
    uint8_t b = p[i];
    uint32_t c, min;
    size_t n;
    if (b < 0x80) {
        *pos = i + 1;
        return b;
    } else if ((b & 0xe0) == 0xc0) {
        c = b & 0x1fu, n = 1, min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
        c = b & 0x0fu, n = 2, min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
        c = b & 0x07u, n = 3, min = 0x10000;
    } else {
        return -2;
    }
    if (len - i - 1 < n)
        return -2;
    for (size_t k = 1; k <= n; k++) {
        if ((p[i + k] & 0xc0) != 0x80)
            return -2;
        c = (c << 6) | (p[i + k] & 0x3fu);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return -2;
    *pos = i + 1 + n;
    return (int32_t)c;
}

/* RFC 4518 section 2.2, the common part: characters mapped to nothing
 * (0), to SPACE (' '), and case folding of the Latin, Greek and Cyrillic
 * letters and of the full-width ASCII forms (which NFKC maps to ASCII). */
static int32_t fold_code_point(int32_t c)
{
    if (c == 0x00ad || c == 0x034f || c == 0x200b || c == 0xfeff || (c >= 0x180b && c <= 0x180d) ||
        (c >= 0xfe00 && c <= 0xfe0f) || c < 0x09 || (c >= 0x0e && c <= 0x1f) ||
        (c >= 0x7f && c <= 0x84) || (c >= 0x86 && c <= 0x9f))
        return 0;
    if ((c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
        c == 0x205f || c == 0x3000)
        return ' ';
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0x80)
        return c;
    if (c >= 0xff01 && c <= 0xff5e) /* full-width ASCII */
        return fold_code_point(c - 0xff01 + 0x21);
    if (c >= 0xc0 && c <= 0xde && c != 0xd7)
        return c + 32;
    if (c == 0x178)
        return 0xff;
    if ((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
        return c | 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
        return (c & 1) ? c + 1 : c;
    if ((c >= 0x391 && c <= 0x3a1) || (c >= 0x3a3 && c <= 0x3ab))
        return c + 32;
    if (c == 0x3c2) /* final sigma */
        return 0x3c3;
    if (c >= 0x410 && c <= 0x42f)
        return c + 32;
    if (c >= 0x400 && c <= 0x40f)
        return c + 80;
    return c;
}

/* Iterator over a value with insignificant spaces removed and case folded
 * (RFC 4518: map, then insignificant space handling). */
typedef struct fold_iter {
    uint32_t tag;
    const uint8_t *p;
    size_t len, pos;
    int32_t held; /* a code point read after a pending space, or -1 */
    bool started, pending_space;
} fold_iter;

static void fold_init(fold_iter *it, const tsvc__x509_attr *a)
{
    memset(it, 0, sizeof(*it));
    it->tag = a->tag;
    it->p = a->value.data;
    it->len = a->value.len;
    it->held = -1;
}

/* The next folded code point; -1 at the end; -2 when the value is not a
 * valid encoding of its string type. */
static int32_t fold_next(fold_iter *it)
{
    if (it->held >= 0) {
        int32_t c = it->held;
        it->held = -1;
        return c;
    }
    for (;;) {
        int32_t c = next_code_point(it->tag, it->p, it->len, &it->pos);
        if (c < 0)
            return c; /* the end (trailing spaces are dropped), or invalid */
        c = fold_code_point(c);
        if (c == 0)
            continue;
        if (c == ' ') {
            if (it->started)
                it->pending_space = true;
            continue;
        }
        it->started = true;
        if (it->pending_space) {
            it->pending_space = false;
            it->held = c;
            return ' ';
        }
        return c;
    }
}

static bool value_equal(const tsvc__x509_attr *a, const tsvc__x509_attr *b)
{
    if (a->tag == b->tag && a->value.len == b->value.len &&
        (a->value.len == 0 || memcmp(a->value.data, b->value.data, a->value.len) == 0))
        return true;
    if (tsvc__x509_is_folded_string(a->tag) && tsvc__x509_is_folded_string(b->tag)) {
        fold_iter ia, ib;
        fold_init(&ia, a);
        fold_init(&ib, b);
        for (;;) {
            const int32_t ca = fold_next(&ia), cb = fold_next(&ib);
            if (ca == -2 || cb == -2)
                return false; /* invalid encodings are equal only byte for byte */
            if (ca != cb)
                return false;
            if (ca < 0)
                return true;
        }
    }
    return false;
}

static bool atv_equal(const tsvc__x509_attr *a, const tsvc__x509_attr *b)
{
    return a->type.len == b->type.len && memcmp(a->type.data, b->type.data, a->type.len) == 0 &&
           value_equal(a, b);
}

/* Every attribute of set `a` has an equal one in set `b`. */
static bool set_covered(const tsvc__cbs *a, const tsvc__cbs *b)
{
    tsvc__cbs wa = *a;
    while (wa.len > 0) {
        tsvc__x509_attr x;
        if (get_atv(&wa, &x, NULL) != TSVC_OK)
            return false;
        bool found = false;
        tsvc__cbs wb = *b;
        while (wb.len > 0 && !found) {
            tsvc__x509_attr y;
            if (get_atv(&wb, &y, NULL) != TSVC_OK)
                return false;
            found = atv_equal(&x, &y);
        }
        if (!found)
            return false;
    }
    return true;
}

static size_t count_atvs(const tsvc__cbs *set)
{
    size_t n = 0;
    tsvc__cbs w = *set;
    while (w.len > 0 && tsvc__der_get_any(&w, NULL, NULL, NULL, NULL) == TSVC_OK)
        n++;
    return n;
}

/* Multi-valued RDNs larger than this compare bytewise only (the matching
 * is quadratic in the number of attributes of one RDN). */
#define RDN_MATCH_MAX 32

static bool rdn_equal(const tsvc__cbs *a, const tsvc__cbs *b)
{
    if (a->len == b->len && memcmp(a->data, b->data, a->len) == 0)
        return true;
    const size_t na = count_atvs(a);
    if (na != count_atvs(b) || na > RDN_MATCH_MAX)
        return false;
    return set_covered(a, b) && set_covered(b, a);
}

/* Compares the first RDNs of `a` with all RDNs of `prefix`. */
static bool rdns_prefix(const tsvc__cbs *name, const tsvc__cbs *prefix, bool whole)
{
    tsvc__cbs ra, rb;
    if (name_rdns(name, &ra, NULL) != TSVC_OK || name_rdns(prefix, &rb, NULL) != TSVC_OK ||
        tsvc__name_check(name, NULL) != TSVC_OK || tsvc__name_check(prefix, NULL) != TSVC_OK)
        return false;
    while (rb.len > 0) {
        tsvc__cbs sa, sb;
        if (ra.len == 0)
            return false;
        if (get_rdn(&ra, &sa, NULL) != TSVC_OK || get_rdn(&rb, &sb, NULL) != TSVC_OK)
            return false;
        if (!rdn_equal(&sa, &sb))
            return false;
    }
    return !whole || ra.len == 0;
}

bool tsvc__name_equal(const tsvc__cbs *a, const tsvc__cbs *b)
{
    if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
        return true;
    return rdns_prefix(a, b, true);
}

bool tsvc__name_equal_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    tsvc__cbs ca, cb;
    tsvc__cbs_init(&ca, a, a_len);
    tsvc__cbs_init(&cb, b, b_len);
    return tsvc__name_equal(&ca, &cb);
}

/* FNV-1a, 64 bits. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv_bytes(uint64_t h, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint64_t atv_hash(const tsvc__x509_attr *a)
{
    uint64_t h = fnv_bytes(FNV_OFFSET, a->type.data, a->type.len);
    if (tsvc__x509_is_folded_string(a->tag)) {
        fold_iter it;
        uint64_t hv = h;
        int32_t c;
        fold_init(&it, a);
        while ((c = fold_next(&it)) >= 0) {
            uint8_t cp[4] = {(uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c};
            hv = fnv_bytes(hv, cp, sizeof(cp));
        }
        if (c == -1)
            return hv;
        /* An invalid encoding equals only the same tag and bytes. */
    }
    uint8_t tag[4] = {(uint8_t)(a->tag >> 24), (uint8_t)(a->tag >> 16), (uint8_t)(a->tag >> 8),
                      (uint8_t)a->tag};
    h = fnv_bytes(h ^ 0x5a, tag, sizeof(tag));
    return fnv_bytes(h, a->value.data, a->value.len);
}

uint64_t tsvc__name_hash(const tsvc__cbs *name)
{
    tsvc__cbs rdns, set;
    if (tsvc__name_check(name, NULL) != TSVC_OK || name_rdns(name, &rdns, NULL) != TSVC_OK)
        return fnv_bytes(FNV_OFFSET ^ 1u, name->data, name->len);
    uint64_t h = FNV_OFFSET;
    while (rdns.len > 0 && get_rdn(&rdns, &set, NULL) == TSVC_OK) {
        /* The attributes of one RDN are a set: their hashes are added. */
        uint64_t r = 0;
        while (set.len > 0) {
            tsvc__x509_attr a;
            if (get_atv(&set, &a, NULL) != TSVC_OK)
                break;
            r += atv_hash(&a);
        }
        h = (h ^ r) * FNV_PRIME;
        h ^= h >> 29;
    }
    return h;
}

bool tsvc__name_in_subtree(const tsvc__cbs *name, const tsvc__cbs *base)
{
    return rdns_prefix(name, base, false);
}

int tsvc_name_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    if ((a == NULL && a_len != 0) || (b == NULL && b_len != 0))
        return 0;
    return tsvc__name_equal_bytes(a, a_len, b, b_len);
}

/* ------------------------------------------------------------------ */
/* RFC 4514 text                                                       */
/* ------------------------------------------------------------------ */

typedef struct attr_name {
    const char *oid; /* contents octets */
    size_t oid_len;
    const char *name;
    uint32_t tag; /* preferred string type when parsing text */
} attr_name;

#define A(oid, name, tag) {oid, sizeof(oid) - 1, name, tag}
#define PS TSVC__TAG_PRINTABLE_STRING
#define U8 TSVC__TAG_UTF8_STRING
#define I5 TSVC__TAG_IA5_STRING
static const attr_name attr_names[] = {
    A("\x55\x04\x03", "CN", U8),
    A("\x55\x04\x04", "SN", U8),
    A("\x55\x04\x05", "serialNumber", PS),
    A("\x55\x04\x06", "C", PS),
    A("\x55\x04\x07", "L", U8),
    A("\x55\x04\x08", "ST", U8),
    A("\x55\x04\x09", "STREET", U8),
    A("\x55\x04\x0a", "O", U8),
    A("\x55\x04\x0b", "OU", U8),
    A("\x55\x04\x0c", "title", U8),
    A("\x55\x04\x0f", "businessCategory", U8),
    A("\x55\x04\x11", "postalCode", U8),
    A("\x55\x04\x2a", "GN", U8),
    A("\x55\x04\x2b", "initials", U8),
    A("\x55\x04\x2c", "generationQualifier", U8),
    A("\x55\x04\x2e", "dnQualifier", PS),
    A("\x55\x04\x41", "pseudonym", U8),
    A("\x55\x04\x61", "organizationIdentifier", U8),
    A("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", "DC", I5),
    A("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", "UID", U8),
    A("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", "emailAddress", I5),
};
#undef A
#undef PS
#undef U8
#undef I5

static const attr_name *attr_by_oid(const tsvc__cbs *oid)
{
    for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
        if (tsvc__oid_equal(oid, (const uint8_t *)attr_names[i].oid, attr_names[i].oid_len))
            return &attr_names[i];
    return NULL;
}

/* Growable text. */
typedef struct sbuf {
    const tsvc_ctx *ctx;
    char *p;
    size_t len, cap;
    bool failed;
} sbuf;

static void sb_add(sbuf *sb, const char *s, size_t n)
{
    if (sb->failed)
        return;
    if (sb->cap - sb->len < n + 1) {
        size_t cap = sb->cap ? sb->cap : 64;
        while (cap - sb->len < n + 1) {
            if (cap > SIZE_MAX / 2) {
                sb->failed = true;
                return;
            }
            cap *= 2;
        }
        char *q = tsvc__realloc(sb->ctx, sb->p, sb->cap, cap);
        if (q == NULL) {
            sb->failed = true;
            return;
        }
        sb->p = q;
        sb->cap = cap;
    }
    if (n > 0)
        memcpy(sb->p + sb->len, s, n);
    sb->len += n;
    sb->p[sb->len] = '\0';
}

static void sb_str(sbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

static void sb_hex(sbuf *sb, uint8_t c, bool backslash)
{
    static const char hex[] = "0123456789ABCDEF";
    char t[3] = {'\\', hex[c >> 4], hex[c & 15]};
    if (backslash)
        sb_add(sb, t, 3);
    else
        sb_add(sb, t + 1, 2);
}

/* Appends one code point as UTF-8. */
static void sb_utf8(sbuf *sb, uint32_t cp)
{
    char t[4];
    size_t n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xc0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xe0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        t[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        t[0] = (char)(0xf0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        t[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    sb_add(sb, t, n);
}

/* Decodes one UTF-8 code point; false when malformed (overlong, surrogate, > U+10FFFF). */
static bool utf8_next(const uint8_t *s, size_t len, size_t *pos, uint32_t *cp)
{
    const uint8_t c = s[*pos];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        (*pos)++;
        return true;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2, v = c & 0x1fu, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, v = c & 0x0fu, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return false;
    }
    if (len - *pos < n)
        return false;
    for (size_t i = 1; i < n; i++) {
        const uint8_t d = s[*pos + i];
        if ((d & 0xc0) != 0x80)
            return false;
        v = (v << 6) | (d & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return false;
    *cp = v;
    *pos += n;
    return true;
}

/* Converts a string value to code points; false when it cannot be decoded. */
static bool decode_string(uint32_t tag, const tsvc__cbs *v, uint32_t *out, size_t *num)
{
    size_t n = 0, pos = 0;
    switch (tag) {
    case TSVC__TAG_UTF8_STRING:
        while (pos < v->len) {
            if (!utf8_next(v->data, v->len, &pos, &out[n]))
                return false;
            n++;
        }
        break;
    case TSVC__TAG_PRINTABLE_STRING:
    case TSVC__TAG_IA5_STRING:
    case TSVC__TAG_NUMERIC_STRING:
    case TSVC__TAG_VISIBLE_STRING:
        for (; pos < v->len; pos++) {
            if (v->data[pos] >= 0x80)
                return false;
            out[n++] = v->data[pos];
        }
        break;
    case TSVC__TAG_T61_STRING: /* taken as ISO 8859-1, as most software does */
        for (; pos < v->len; pos++)
            out[n++] = v->data[pos];
        break;
    case TSVC__TAG_BMP_STRING:
        if (v->len % 2)
            return false;
        for (; pos < v->len; pos += 2) {
            const uint32_t c = ((uint32_t)v->data[pos] << 8) | v->data[pos + 1];
            if (c >= 0xd800 && c <= 0xdfff)
                return false;
            out[n++] = c;
        }
        break;
    case TSVC__TAG_UNIVERSAL_STRING:
        if (v->len % 4)
            return false;
        for (; pos < v->len; pos += 4) {
            const uint32_t c = ((uint32_t)v->data[pos] << 24) |
                               ((uint32_t)v->data[pos + 1] << 16) |
                               ((uint32_t)v->data[pos + 2] << 8) | v->data[pos + 3];
            if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                return false;
            out[n++] = c;
        }
        break;
    default:
        return false;
    }
    *num = n;
    return true;
}

/* True if every code point is ASCII. */
static bool all_ascii(const uint32_t *cps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cps[i] >= 0x80)
            return false;
    return true;
}

/*
 * Writes one value. @p an is the attribute's entry in attr_names (NULL for
 * a dotted OID): its text is read back as an->tag, so a value that type
 * cannot hold (non-ASCII for the IA5String types emailAddress and DC) is
 * written as '#' and the hex of its element, which reads back unchanged.
 */
static bool printable_char(uint8_t c);

/* The string type tsvc__name_from_text() gives a text value of @p an
 * (NULL: a dotted OID) made of the code points @p cps. */
static uint32_t text_value_tag(const attr_name *an, const uint32_t *cps, size_t n)
{
    if (an == NULL)
        return TSVC__TAG_UTF8_STRING;
    if (an->tag == TSVC__TAG_PRINTABLE_STRING)
        for (size_t i = 0; i < n; i++)
            if (cps[i] >= 0x80 || !printable_char((uint8_t)cps[i]))
                return TSVC__TAG_UTF8_STRING;
    return an->tag;
}

/*
 * @p keep_type: the value is one of several in its RDN, whose DER order
 * depends on the string types; a value whose text would read back as
 * another type is then written as '#' and hex too, so that the text reads
 * back to the same RDN in the same order.
 */
static void append_value(sbuf *sb, const tsvc__x509_attr *a, const attr_name *an,
                         bool keep_type)
{
    size_t n = 0;
    uint32_t *cps = NULL;
    size_t bytes;
    if (tsvc__mul_ok(a->value.len + 1, sizeof(uint32_t), &bytes))
        cps = tsvc__alloc(sb->ctx, bytes);
    if (cps == NULL) {
        sb->failed = true;
        return;
    }
    if (!decode_string(a->tag, &a->value, cps, &n) ||
        (an != NULL && an->tag == TSVC__TAG_IA5_STRING && !all_ascii(cps, n)) ||
        (keep_type && text_value_tag(an, cps, n) != a->tag)) {
        /* Not a string this layer knows, or not one the attribute's text
         * form can carry: '#' and the hex of the element. */
        sb_add(sb, "#", 1);
        for (size_t i = 0; i < a->element.len; i++)
            sb_hex(sb, a->element.data[i], false);
        tsvc__free(sb->ctx, cps);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const uint32_t c = cps[i];
        if (c < 0x20 || c == 0x7f) {
            sb_hex(sb, (uint8_t)c, true);
        } else if (c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' ||
                   c == '\\' || (i == 0 && (c == ' ' || c == '#')) ||
                   (i + 1 == n && c == ' ')) {
            char t[2] = {'\\', (char)c};
            sb_add(sb, t, 2);
        } else {
            sb_utf8(sb, c);
        }
    }
    tsvc__free(sb->ctx, cps);
}

tsvc_status tsvc__name_to_text(const tsvc_ctx *ctx, const tsvc__cbs *name, tsvc_buf *out,
                               tsvc_error **err)
{
    tsvc_status st;
    tsvc__x509_attr *attrs = NULL;
    size_t num = 0;
    sbuf sb = {ctx, NULL, 0, 0, false};
    out->data = NULL;
    out->len = 0;
    st = tsvc__name_parse(ctx, name, &attrs, &num, err);
    if (st != TSVC_OK)
        goto out;
    sb_add(&sb, "", 0);
    /* Last RDN first; attributes of one RDN in encoding order. */
    size_t end = num;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && attrs[start - 1].rdn == attrs[end - 1].rdn)
            start--;
        if (end != num)
            sb_add(&sb, ",", 1);
        for (size_t i = start; i < end; i++) {
            if (i != start)
                sb_add(&sb, "+", 1);
            const attr_name *an = attr_by_oid(&attrs[i].type);
            if (an != NULL) {
                sb_str(&sb, an->name);
            } else {
                char text[TSVC__OID_TEXT_MAX];
                if (tsvc__oid_to_text(attrs[i].type.data, attrs[i].type.len, text,
                                      sizeof(text)) != TSVC_OK)
                    snprintf(text, sizeof(text), "?");
                sb_str(&sb, text);
            }
            sb_add(&sb, "=", 1);
            append_value(&sb, &attrs[i], an, end - start > 1);
        }
        end = start;
    }
    if (sb.failed) {
        st = tsvc__err(err, TSVC_ERR_NOMEM, "x509.name.text", -1, "out of memory");
        goto out;
    }
    /* tsvc_buf memory carries a header: copy into one, NUL included. */
    st = tsvc__buf_set(ctx, out, sb.p, sb.len + 1);
    if (st != TSVC_OK) {
        st = tsvc__err(err, st, "x509.name.text", -1, "out of memory");
        goto out;
    }
    out->len = sb.len;
out:
    tsvc__free(ctx, sb.p);
    tsvc__free(ctx, attrs);
    return st;
}

tsvc_status tsvc_name_to_text(const tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *der, size_t len,
                              tsvc_error **err)
{
    if (out == NULL || (der == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.name.text", -1, "NULL argument");
    out->data = NULL;
    out->len = 0;
    tsvc_status st = tsvc__der_validate(der, len, (unsigned)tsvc__limit(ctx, TSVC_LIMIT_DER_DEPTH),
                                        err);
    if (st != TSVC_OK)
        return st;
    tsvc__cbs name;
    tsvc__cbs_init(&name, der, len);
    return tsvc__name_to_text(ctx, &name, out, err);
}

/* ------------------------------------------------------------------ */
/* RFC 4514 parsing                                                    */
/* ------------------------------------------------------------------ */

int tsvc__x509_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool printable_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == ' ' || c == '\'' || c == '(' || c == ')' || c == '+' || c == ',' || c == '-' ||
           c == '.' || c == '/' || c == ':' || c == '=' || c == '?';
}

static bool ascii_ieq(const char *a, size_t a_len, const char *b)
{
    size_t b_len = strlen(b);
    if (a_len != b_len)
        return false;
    for (size_t i = 0; i < a_len; i++)
        if (tsvc__x509_lower((uint8_t)a[i]) != tsvc__x509_lower((uint8_t)b[i]))
            return false;
    return true;
}

typedef struct dn_parser {
    const char *s;
    size_t len, pos;
    tsvc__cbb *cbb;
    uint8_t *val; /* scratch for one unescaped value */
} dn_parser;

static tsvc_status name_err(tsvc_error **err, const dn_parser *p, const char *msg)
{
    return tsvc__err(err, TSVC_ERR_NAME, "x509.name.parse", (int64_t)p->pos, "%s", msg);
}

static void skip_spaces(dn_parser *p)
{
    while (p->pos < p->len && p->s[p->pos] == ' ')
        p->pos++;
}

/* Parses "type=value" at p->pos and writes the AttributeTypeAndValue. */
static tsvc_status parse_atv(dn_parser *p, tsvc_error **err)
{
    uint8_t oid[TSVC__OID_MAX_LEN];
    size_t oid_len = 0;
    uint32_t tag = TSVC__TAG_UTF8_STRING;
    char type[TSVC__OID_TEXT_MAX];

    skip_spaces(p);
    const size_t tstart = p->pos;
    while (p->pos < p->len && p->s[p->pos] != '=' && p->s[p->pos] != ' ' &&
           p->s[p->pos] != ',' && p->s[p->pos] != '+')
        p->pos++;
    const size_t tlen = p->pos - tstart;
    skip_spaces(p);
    if (tlen == 0 || tlen >= sizeof(type) || p->pos >= p->len || p->s[p->pos] != '=')
        return name_err(err, p, "expected attributeType=value");
    memcpy(type, p->s + tstart, tlen);
    type[tlen] = '\0';
    p->pos++; /* '=' */
    skip_spaces(p);

    const attr_name *an = NULL;
    for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
        if (ascii_ieq(type, tlen, attr_names[i].name))
            an = &attr_names[i];
    if (an == NULL && ascii_ieq(type, tlen, "E"))
        an = &attr_names[sizeof(attr_names) / sizeof(attr_names[0]) - 1];
    if (an != NULL) {
        memcpy(oid, an->oid, an->oid_len);
        oid_len = an->oid_len;
        tag = an->tag;
    } else {
        const char *t = type;
        if (tlen > 4 && ascii_ieq(type, 4, "OID."))
            t += 4;
        if (tsvc__oid_from_text(t, oid, sizeof(oid), &oid_len) != TSVC_OK)
            return name_err(err, p, "unknown attribute type");
    }

    tsvc__cbb_open(p->cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(p->cbb, oid, oid_len);

    if (p->pos < p->len && p->s[p->pos] == '#') {
        /* #hex: the BER/DER of the value, taken as it is. */
        p->pos++;
        size_t n = 0;
        while (p->pos + 1 < p->len && tsvc__x509_hex_digit(p->s[p->pos]) >= 0 &&
               tsvc__x509_hex_digit(p->s[p->pos + 1]) >= 0) {
            p->val[n++] = (uint8_t)(tsvc__x509_hex_digit(p->s[p->pos]) * 16 +
                                    tsvc__x509_hex_digit(p->s[p->pos + 1]));
            p->pos += 2;
        }
        skip_spaces(p);
        if (n == 0 || (p->pos < p->len && p->s[p->pos] != ',' && p->s[p->pos] != '+'))
            return name_err(err, p, "malformed #hex value");
        tsvc__cbs el;
        tsvc__cbs_init(&el, p->val, n);
        if (tsvc__der_get_any(&el, NULL, NULL, NULL, NULL) != TSVC_OK || el.len != 0 ||
            tsvc__der_validate(p->val, n, 0, NULL) != TSVC_OK)
            return name_err(err, p, "#hex value is not one DER element");
        tsvc__cbb_add_bytes(p->cbb, p->val, n);
        tsvc__cbb_close(p->cbb);
        return TSVC_OK;
    }

    /* String value with RFC 4514 escapes; unescaped trailing spaces dropped. */
    size_t n = 0, keep = 0;
    while (p->pos < p->len) {
        const char c = p->s[p->pos];
        if (c == ',' || c == '+')
            break;
        if (c == '\\') {
            if (p->pos + 1 >= p->len)
                return name_err(err, p, "dangling escape");
            const char d = p->s[p->pos + 1];
            if (tsvc__x509_hex_digit(d) >= 0 && p->pos + 2 < p->len &&
                tsvc__x509_hex_digit(p->s[p->pos + 2]) >= 0) {
                p->val[n++] = (uint8_t)(tsvc__x509_hex_digit(d) * 16 +
                                        tsvc__x509_hex_digit(p->s[p->pos + 2]));
                p->pos += 3;
            } else if (strchr(" \"#+,;<=>\\", d) != NULL) {
                p->val[n++] = (uint8_t)d;
                p->pos += 2;
            } else {
                return name_err(err, p, "invalid escape");
            }
            keep = n;
            continue;
        }
        if (c == '"' || c == ';' || c == '<' || c == '>' || c == '\0')
            return name_err(err, p, "character must be escaped");
        p->val[n++] = (uint8_t)c;
        if (c != ' ')
            keep = n;
        p->pos++;
    }
    n = keep;

    /* Check the value fits its type. */
    size_t upos = 0;
    uint32_t cp;
    while (upos < n)
        if (!utf8_next(p->val, n, &upos, &cp))
            return name_err(err, p, "value is not valid UTF-8");
    if (tag == TSVC__TAG_PRINTABLE_STRING) {
        for (size_t i = 0; i < n; i++)
            if (!printable_char(p->val[i])) {
                tag = TSVC__TAG_UTF8_STRING;
                break;
            }
    } else if (tag == TSVC__TAG_IA5_STRING) {
        for (size_t i = 0; i < n; i++)
            if (p->val[i] >= 0x80)
                return name_err(err, p, "value must be ASCII (IA5String)");
    }
    tsvc__cbb_add_element(p->cbb, tag, p->val, n);
    tsvc__cbb_close(p->cbb);
    return TSVC_OK;
}

/* Byte ranges of the RDNs of the text, in text order. */
typedef struct span {
    size_t start, end;
} span;

tsvc_status tsvc_name_from_text(const tsvc_ctx *ctx, tsvc_buf *out, const char *text,
                                tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbb cbb;
    span *rdns = NULL;
    uint8_t *val = NULL;
    size_t num = 0;
    tsvc__cbb_init(&cbb, ctx);
    if (out == NULL || text == NULL) {
        st = tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.name.parse", -1, "NULL argument");
        goto out;
    }
    out->data = NULL;
    out->len = 0;
    const size_t len = strlen(text);
    if ((uint64_t)len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE)) {
        st = tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "limit.input_size", -1,
                       "name text too long");
        goto out;
    }
    /* Split at unescaped commas. */
    rdns = tsvc__calloc(ctx, len + 2, sizeof(*rdns)); /* at most one RDN per comma, plus one */
    val = tsvc__alloc(ctx, len + 1);
    if (rdns == NULL || val == NULL) {
        st = tsvc__err(err, TSVC_ERR_NOMEM, "x509.name.parse", -1, "out of memory");
        goto out;
    }
    size_t i = 0, start = 0;
    bool blank = true;
    for (; i < len; i++) {
        if (text[i] == '\\') {
            i++;
            blank = false;
            continue;
        }
        if (text[i] != ' ')
            blank = false;
        if (text[i] == ',') {
            rdns[num].start = start;
            rdns[num].end = i;
            num++;
            start = i + 1;
        }
    }
    if (!blank || num > 0) {
        rdns[num].start = start;
        rdns[num].end = len;
        num++;
    }

    dn_parser p = {text, 0, 0, &cbb, val};
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    for (size_t r = num; r > 0; r--) {
        p.pos = rdns[r - 1].start;
        p.len = rdns[r - 1].end;
        tsvc__cbb_open(&cbb, TSVC__TAG_SET);
        for (;;) {
            st = parse_atv(&p, err);
            if (st != TSVC_OK)
                goto out;
            if (p.pos < p.len && p.s[p.pos] == '+') {
                p.pos++;
                continue;
            }
            break;
        }
        if (p.pos != p.len) {
            st = name_err(err, &p, "unexpected character");
            goto out;
        }
        tsvc__cbb_close_set_of(&cbb);
    }
    tsvc__cbb_close(&cbb);
    st = tsvc__cbb_finish(&cbb, out);
    if (st != TSVC_OK)
        st = tsvc__err(err, st, "x509.name.parse", -1, "cannot encode the name");
out:
    tsvc__cbb_cleanup(&cbb);
    tsvc__free(ctx, rdns);
    tsvc__free(ctx, val);
    return st;
}
