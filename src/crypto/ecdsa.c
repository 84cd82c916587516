/*
 * SPDX-License-Identifier: Apache-2.0
 * The one place where ECDSA signatures change form: raw r||s (backends,
 * PKCS#11) <-> DER Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 * (X.509, CMS). The size of each half is the curve's field size, given by
 * the caller; it is never guessed from the bytes.
 */
#include <string.h>

#include "crypto_int.h"

/* Writes a minimal DER length; returns the bytes written. */
static size_t put_len(uint8_t *out, size_t len)
{
    if (len < 0x80) {
        out[0] = (uint8_t)len;
        return 1;
    }
    /* An Ecdsa-Sig-Value for coordinates up to 66 bytes stays below 256. */
    out[0] = 0x81;
    out[1] = (uint8_t)len;
    return 2;
}

/* Contents length of the INTEGER for a magnitude (leading zeros skipped). */
static size_t int_contents(const uint8_t *m, size_t len, size_t *skip)
{
    size_t i = 0;
    while (i < len && m[i] == 0)
        i++;
    *skip = i;
    if (i == len)
        return 1; /* zero is encoded as a single 00 */
    return (len - i) + ((m[i] & 0x80) ? 1 : 0);
}

static size_t put_int(uint8_t *out, const uint8_t *m, size_t len)
{
    size_t skip;
    size_t clen = int_contents(m, len, &skip);
    size_t o = 0;
    out[o++] = 0x02;
    o += put_len(out + o, clen);
    if (skip == len) {
        out[o++] = 0x00;
        return o;
    }
    if (m[skip] & 0x80)
        out[o++] = 0x00;
    memcpy(out + o, m + skip, len - skip);
    return o + (len - skip);
}

tsvc_status tsvc__ecdsa_raw_to_der(const tsvc_ctx *ctx, const uint8_t *raw, size_t raw_len,
                                   size_t coord_len, tsvc_buf *der)
{
    if (der == NULL)
        return TSVC_ERR_INVALID_ARG;
    der->data = NULL;
    der->len = 0;
    if (raw == NULL || coord_len == 0 || coord_len > 66 || raw_len != 2 * coord_len)
        return TSVC_ERR_INVALID_ARG;
    size_t skip;
    size_t rl = int_contents(raw, coord_len, &skip);
    size_t sl = int_contents(raw + coord_len, coord_len, &skip);
    size_t body = 2 + rl + 2 + sl; /* each INTEGER header is 2 bytes (contents < 128) */
    uint8_t tmp[2 + 2 + 2 * (2 + 67)];
    size_t o = 0;
    tmp[o++] = 0x30;
    o += put_len(tmp + o, body);
    o += put_int(tmp + o, raw, coord_len);
    o += put_int(tmp + o, raw + coord_len, coord_len);
    return tsvc__buf_set(ctx, der, tmp, o);
}

/* Reads a DER length (definite, minimal); returns 0 on error. */
static bool get_len(const uint8_t *in, size_t in_len, size_t *pos, size_t *len)
{
    if (*pos >= in_len)
        return false;
    uint8_t b = in[(*pos)++];
    if (b < 0x80) {
        *len = b;
        return true;
    }
    if (b == 0x81) {
        if (*pos >= in_len)
            return false;
        uint8_t l = in[(*pos)++];
        if (l < 0x80)
            return false; /* not minimal */
        *len = l;
        return true;
    }
    return false; /* longer lengths never occur in a valid Ecdsa-Sig-Value */
}

/* Reads one positive, minimal INTEGER into a coord_len-byte big-endian field. */
static bool get_int(const uint8_t *in, size_t in_len, size_t *pos, size_t coord_len,
                    uint8_t *out)
{
    size_t len;
    if (*pos >= in_len || in[(*pos)++] != 0x02)
        return false;
    if (!get_len(in, in_len, pos, &len) || len == 0 || len > in_len - *pos)
        return false;
    const uint8_t *c = in + *pos;
    *pos += len;
    if (c[0] & 0x80)
        return false; /* negative */
    if (len > 1 && c[0] == 0x00 && !(c[1] & 0x80))
        return false; /* non-minimal */
    if (c[0] == 0x00 && len > 1) {
        c++;
        len--;
    }
    if (len > coord_len)
        return false;
    memset(out, 0, coord_len - len);
    memcpy(out + (coord_len - len), c, len);
    return true;
}

tsvc_status tsvc__ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t coord_len,
                                   uint8_t *raw, size_t raw_size)
{
    if (der == NULL || raw == NULL || coord_len == 0 || raw_size < 2 * coord_len)
        return TSVC_ERR_INVALID_ARG;
    size_t pos = 0, len;
    if (der_len < 2 || der[pos++] != 0x30 || !get_len(der, der_len, &pos, &len) ||
        len != der_len - pos)
        goto bad;
    if (!get_int(der, der_len, &pos, coord_len, raw) ||
        !get_int(der, der_len, &pos, coord_len, raw + coord_len) || pos != der_len)
        goto bad;
    return TSVC_OK;
bad:
    tsvc_memzero(raw, 2 * coord_len);
    return TSVC_ERR_SIGNATURE_INVALID;
}
