/*
 * SPDX-License-Identifier: Apache-2.0
 * PEM armour (RFC 7468): "-----BEGIN L-----", base64 lines, "-----END L-----".
 * Text around and between blocks is ignored; RFC 1421 encapsulated headers
 * are refused. The text is bounded by its length and need not end in NUL.
 */
#include <string.h>

#include "der.h"
#include "der_internal.h"

static const char begin_mark[] = "-----BEGIN ";
static const char end_mark[] = "-----END ";
static const char dashes[] = "-----";

#define BEGIN_LEN (sizeof(begin_mark) - 1)
#define END_LEN (sizeof(end_mark) - 1)
#define DASHES_LEN (sizeof(dashes) - 1)

static bool has_at(const char *text, size_t len, size_t pos, const char *s, size_t n)
{
    return pos <= len && len - pos >= n && memcmp(text + pos, s, n) == 0;
}

/* End of the line that starts at or contains @p pos: index of '\n' or len. */
static size_t line_end(const char *text, size_t len, size_t pos)
{
    const char *nl = pos < len ? memchr(text + pos, '\n', len - pos) : NULL;
    return nl ? (size_t)(nl - text) : len;
}

/*
 * Parses "<mark><label>-----" at @p pos up to the end of its line. Gives
 * the label span and the position after the line (past '\n').
 */
static bool armour_line(const char *text, size_t len, size_t pos, size_t mark_len,
                        size_t *label_at, size_t *label_len, size_t *next)
{
    const size_t eol = line_end(text, len, pos);
    size_t end = eol;
    while (end > pos && (text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t'))
        end--;
    if (end - pos < mark_len + DASHES_LEN)
        return false;
    if (memcmp(text + end - DASHES_LEN, dashes, DASHES_LEN) != 0)
        return false;
    *label_at = pos + mark_len;
    *label_len = end - DASHES_LEN - *label_at;
    for (size_t i = *label_at; i < *label_at + *label_len; i++) {
        const unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    *next = eol < len ? eol + 1 : len;
    return true;
}

tsvc_status tsvc__pem_next(const tsvc_ctx *ctx, const char *text, size_t len, size_t *pos,
                           bool *found, char *label, size_t label_size, tsvc_buf *der,
                           tsvc_error **err)
{
    size_t p, begin = 0, label_at = 0, label_len = 0, body = 0;
    bool have_begin = false;

    if (found != NULL)
        *found = false;
    if (der == NULL || pos == NULL || (text == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pem", -1, "NULL argument");
    der->data = NULL;
    der->len = 0;
    if (label != NULL && label_size > 0)
        label[0] = '\0';

    /* Find a BEGIN line: the mark at the start of a line. */
    for (p = *pos; p < len; p = line_end(text, len, p) + 1) {
        if (has_at(text, len, p, begin_mark, BEGIN_LEN) &&
            armour_line(text, len, p, BEGIN_LEN, &label_at, &label_len, &body)) {
            have_begin = true;
            begin = p;
            break;
        }
        if (line_end(text, len, p) >= len)
            break;
    }
    if (!have_begin)
        return tsvc__err(err, TSVC_ERR_PEM, "pem.none", (int64_t)*pos, "no further PEM block");
    if (found != NULL)
        *found = true;

    /* Find the END line; refuse encapsulated headers on the way. */
    size_t q = body, end_line = 0, after = 0, end_label_at = 0, end_label_len = 0;
    bool have_end = false;
    while (q < len) {
        const size_t eol = line_end(text, len, q);
        if (has_at(text, len, q, end_mark, END_LEN)) {
            if (!armour_line(text, len, q, END_LEN, &end_label_at, &end_label_len, &after))
                return tsvc__err(err, TSVC_ERR_PEM, "pem.end", (int64_t)q, "malformed END line");
            end_line = q;
            have_end = true;
            break;
        }
        if (has_at(text, len, q, begin_mark, BEGIN_LEN))
            return tsvc__err(err, TSVC_ERR_PEM, "pem.end", (int64_t)q,
                             "BEGIN line inside a PEM block");
        const char *colon = memchr(text + q, ':', eol - q);
        if (colon != NULL)
            return tsvc__err(err, TSVC_ERR_PEM, "pem.headers", (int64_t)(colon - text),
                             "encapsulated PEM headers are not supported");
        if (eol >= len)
            break;
        q = eol + 1;
    }
    if (!have_end)
        return tsvc__err(err, TSVC_ERR_PEM, "pem.end", (int64_t)begin,
                         "PEM block without an END line");
    if (end_label_len != label_len ||
        memcmp(text + end_label_at, text + label_at, label_len) != 0)
        return tsvc__err(err, TSVC_ERR_PEM, "pem.label", (int64_t)end_line,
                         "END label does not match the BEGIN label");

    tsvc_status st = tsvc__base64_decode_at(ctx, text + body, end_line - body, (int64_t)body, der,
                                            err);
    if (st != TSVC_OK)
        return st;
    if (label != NULL && label_size > 0) {
        const size_t n = label_len < label_size - 1 ? label_len : label_size - 1;
        memcpy(label, text + label_at, n);
        label[n] = '\0';
    }
    *pos = after;
    return TSVC_OK;
}

/* Writes "<mark><label>-----\n" at @p n; returns the new length. */
static size_t put_armour(char *o, size_t n, const char *mark, size_t mark_len, const char *label,
                         size_t llen)
{
    memcpy(o + n, mark, mark_len);
    n += mark_len;
    memcpy(o + n, label, llen);
    n += llen;
    memcpy(o + n, dashes, DASHES_LEN);
    n += DASHES_LEN;
    o[n++] = '\n';
    return n;
}

tsvc_status tsvc__pem_encode(const tsvc_ctx *ctx, const char *label, const uint8_t *der,
                             size_t len, tsvc_buf *out)
{
    tsvc_buf b64 = TSVC_BUF_INIT;
    tsvc_status st;

    if (out == NULL || label == NULL)
        return TSVC_ERR_INVALID_ARG;
    out->data = NULL;
    out->len = 0;
    const size_t llen = strlen(label);
    for (size_t i = 0; i < llen; i++)
        if ((unsigned char)label[i] < 0x20 || (unsigned char)label[i] > 0x7e)
            return TSVC_ERR_INVALID_ARG;
    st = tsvc__base64_encode(ctx, der, len, &b64);
    if (st != TSVC_OK)
        goto out;
    const size_t lines = (b64.len + 63) / 64;
    /* BEGIN and END lines, the base64 with one newline per line, a NUL. */
    if (llen > SIZE_MAX / 4 || b64.len > SIZE_MAX / 2) {
        st = TSVC_ERR_NOMEM;
        goto out;
    }
    const size_t total = (BEGIN_LEN + llen + DASHES_LEN + 1) + (END_LEN + llen + DASHES_LEN + 1) +
                         b64.len + lines;
    st = tsvc__buf_alloc(ctx, out, total + 1);
    if (st != TSVC_OK)
        goto out;
    char *o = (char *)out->data;
    size_t n = put_armour(o, 0, begin_mark, BEGIN_LEN, label, llen);
    for (size_t i = 0; i < b64.len; i += 64) {
        const size_t k = b64.len - i < 64 ? b64.len - i : 64;
        memcpy(o + n, b64.data + i, k);
        n += k;
        o[n++] = '\n';
    }
    n = put_armour(o, n, end_mark, END_LEN, label, llen);
    o[n] = '\0';
    out->len = n;
out:
    tsvc_buf_dispose(&b64);
    return st;
}

bool tsvc__pem_looks_like(const uint8_t *data, size_t len)
{
    size_t i = 0;
    if (data == NULL)
        return false;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return len - i >= BEGIN_LEN && memcmp(data + i, begin_mark, BEGIN_LEN) == 0;
}
