/*
 * SPDX-License-Identifier: Apache-2.0
 * Strict standard base64 (RFC 4648 section 4) with padding. Decoding
 * ignores whitespace (space, tab, CR, LF) and refuses anything else that
 * is not in the alphabet, wrong padding, data after the padding, and
 * non-zero bits left over in the last quantum (non-canonical encodings).
 */
#include <string.h>

#include "der.h"
#include "der_internal.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

tsvc_status tsvc__base64_decode_at(const tsvc_ctx *ctx, const char *in, size_t len,
                                   int64_t base_off, tsvc_buf *out, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    uint8_t *tmp = NULL;
    size_t n = 0, cap = 0;
    unsigned quad[4];
    size_t q = 0, pad = 0;
    int64_t last_off = base_off;

    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "base64", -1, "NULL output");
    out->data = NULL;
    out->len = 0;
    if (in == NULL && len != 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "base64", -1, "NULL input");
    cap = len / 4 * 3 + 3;
    tmp = tsvc__alloc(ctx, cap);
    if (tmp == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    for (size_t i = 0; i < len; i++) {
        const char c = in[i];
        const int64_t off = base_off + (int64_t)i;
        if (is_space(c))
            continue;
        if (c == '=') {
            /* Padding: only in the last two positions of a quantum. */
            if (q < 2) {
                st = tsvc__err(err, TSVC_ERR_BASE64, "base64.padding", off, "misplaced '='");
                goto out;
            }
            pad++;
            quad[q++] = 0;
        } else {
            const int v = b64_value(c);
            if (v < 0) {
                st = tsvc__err(err, TSVC_ERR_BASE64, "base64.char", off,
                               "invalid base64 character 0x%02x", (unsigned)(unsigned char)c);
                goto out;
            }
            if (pad > 0) {
                st = tsvc__err(err, TSVC_ERR_BASE64, "base64.padding", off,
                               "data after base64 padding");
                goto out;
            }
            quad[q++] = (unsigned)v;
        }
        last_off = off;
        if (q == 4) {
            const unsigned v = (quad[0] << 18) | (quad[1] << 12) | (quad[2] << 6) | quad[3];
            if ((pad == 1 && (v & 0xffu) != 0) || (pad == 2 && (v & 0xffffu) != 0)) {
                st = tsvc__err(err, TSVC_ERR_BASE64, "base64.bits", off,
                               "non-zero bits after the last base64 byte");
                goto out;
            }
            tmp[n++] = (uint8_t)(v >> 16);
            if (pad < 2)
                tmp[n++] = (uint8_t)(v >> 8);
            if (pad < 1)
                tmp[n++] = (uint8_t)v;
            q = 0;
            if (pad > 0) {
                /* Only whitespace may follow the padding. */
                for (size_t j = i + 1; j < len; j++) {
                    if (!is_space(in[j])) {
                        st = tsvc__err(err, TSVC_ERR_BASE64, "base64.padding",
                                       base_off + (int64_t)j, "data after base64 padding");
                        goto out;
                    }
                }
                break;
            }
        }
    }
    if (q != 0) {
        st = tsvc__err(err, TSVC_ERR_BASE64, "base64.length", last_off,
                       "base64 text is not a multiple of four characters");
        goto out;
    }
    st = tsvc__buf_set(ctx, out, tmp, n);
    if (st != TSVC_OK)
        tsvc__err_code(err, st);
out:
    if (tmp != NULL)
        tsvc__free_secret(ctx, tmp, cap);
    return st;
}

tsvc_status tsvc__base64_decode(const tsvc_ctx *ctx, const char *in, size_t len, tsvc_buf *out,
                                tsvc_error **err)
{
    return tsvc__base64_decode_at(ctx, in, len, 0, out, err);
}

tsvc_status tsvc__base64_encode(const tsvc_ctx *ctx, const uint8_t *in, size_t len,
                                tsvc_buf *out)
{
    if (out == NULL)
        return TSVC_ERR_INVALID_ARG;
    out->data = NULL;
    out->len = 0;
    if (in == NULL && len != 0)
        return TSVC_ERR_INVALID_ARG;
    if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
        return TSVC_ERR_NOMEM;
    const size_t olen = (len + 2) / 3 * 4;
    tsvc_status st = tsvc__buf_alloc(ctx, out, olen + 1);
    if (st != TSVC_OK)
        return st;
    char *o = (char *)out->data;
    size_t j = 0;
    for (size_t i = 0; i < len; i += 3) {
        const size_t rem = len - i;
        const unsigned v = ((unsigned)in[i] << 16) | (rem > 1 ? (unsigned)in[i + 1] << 8 : 0u) |
                           (rem > 2 ? (unsigned)in[i + 2] : 0u);
        o[j++] = alphabet[(v >> 18) & 63u];
        o[j++] = alphabet[(v >> 12) & 63u];
        o[j++] = rem > 1 ? alphabet[(v >> 6) & 63u] : '=';
        o[j++] = rem > 2 ? alphabet[v & 63u] : '=';
    }
    o[j] = '\0';
    out->len = olen;
    return TSVC_OK;
}
