/*
 * SPDX-License-Identifier: Apache-2.0
 * Encoding helpers shared by the certificate builder and the PKCS#10
 * request builder: subject names given as text or DER, subjectAltName
 * GeneralNames, and the Extension envelope.
 *
 * Thread safety: the functions keep no state; each works on the buffers
 * it is given.
 */
#include <stdbool.h>

#include "x509/x509.h"

tsvc_status tsvc__x509_check_name_der(const uint8_t *der, size_t len, tsvc_error **err)
{
    tsvc__cbs c, name;
    tsvc__cbs_init(&c, der, len);
    tsvc_status st = tsvc__der_get_element(&c, TSVC__TAG_SEQUENCE, &name, err);
    if (st == TSVC_OK)
        st = tsvc__der_expect_end(&c, err);
    if (st == TSVC_OK)
        st = tsvc__name_check(&name, err);
    return st;
}

tsvc_status tsvc__x509_set_name_text(const tsvc_ctx *ctx, tsvc_buf *name, const char *text,
                                     tsvc_error **err)
{
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_status st = tsvc_name_from_text(ctx, &der, text, err);
    if (st != TSVC_OK)
        return st;
    tsvc_buf_dispose(name);
    *name = der;
    return TSVC_OK;
}

tsvc_status tsvc__x509_set_name_der(const tsvc_ctx *ctx, tsvc_buf *name, const uint8_t *der,
                                    size_t len, tsvc_error **err)
{
    tsvc_status st = tsvc__x509_check_name_der(der, len, err);
    if (st != TSVC_OK)
        return st;
    tsvc_buf copy = TSVC_BUF_INIT;
    if ((st = tsvc__buf_set(ctx, &copy, der, len)) != TSVC_OK)
        return tsvc__err_code(err, st);
    tsvc_buf_dispose(name);
    *name = copy;
    return TSVC_OK;
}

bool tsvc__x509_printable_ascii(const uint8_t *v, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (v[i] < 0x20 || v[i] > 0x7e)
            return false;
    return true;
}

tsvc_status tsvc__x509_encode_general_name(const tsvc_ctx *ctx, tsvc_buf *out,
                                           tsvc_general_name_type type, const uint8_t *value,
                                           size_t len, const char *check, const char *where,
                                           tsvc_error **err)
{
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, ctx);
    switch (type) {
    case TSVC_GN_DNS:
    case TSVC_GN_EMAIL:
    case TSVC_GN_URI:
        if (!tsvc__x509_printable_ascii(value, len)) {
            tsvc__cbb_cleanup(&cbb);
            return tsvc__err(err, TSVC_ERR_INVALID_ARG, check, -1, "%s",
                             "DNS names, e-mail addresses and URIs must be printable ASCII");
        }
        tsvc__cbb_add_element(&cbb, TSVC__TAG_CONTEXT((uint32_t)type), value, len);
        break;
    case TSVC_GN_IP:
        if (len != 4 && len != 16) {
            tsvc__cbb_cleanup(&cbb);
            return tsvc__err(err, TSVC_ERR_INVALID_ARG, check, -1, "%s",
                             "an IP address has 4 or 16 bytes");
        }
        tsvc__cbb_add_element(&cbb, TSVC__TAG_CONTEXT(7), value, len);
        break;
    case TSVC_GN_DIRECTORY_NAME:
        if (tsvc__x509_check_name_der(value, len, NULL) != TSVC_OK) {
            tsvc__cbb_cleanup(&cbb);
            return tsvc__err(err, TSVC_ERR_INVALID_ARG, check, -1, "%s",
                             "a directoryName must be a DER Name");
        }
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(4));
        tsvc__cbb_add_bytes(&cbb, value, len);
        tsvc__cbb_close(&cbb);
        break;
    default:
        tsvc__cbb_cleanup(&cbb);
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, check, -1,
                         "subjectAltName type %d is not supported%s", (int)type, where);
    }
    tsvc_status st = tsvc__cbb_finish(&cbb, out);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    return TSVC_OK;
}

void tsvc__x509_ext_open(tsvc__cbb *cbb, const uint8_t *oid, size_t oid_len, bool critical)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(cbb, oid, oid_len);
    if (critical)
        tsvc__cbb_add_bool(cbb, true);
    tsvc__cbb_open(cbb, TSVC__TAG_OCTET_STRING);
}

void tsvc__x509_ext_close(tsvc__cbb *cbb)
{
    tsvc__cbb_close(cbb); /* OCTET STRING */
    tsvc__cbb_close(cbb); /* Extension */
}

void tsvc__x509_encode_san_ext(tsvc__cbb *cbb, const tsvc_buf *subject, const tsvc_buf *sans,
                               size_t num_sans)
{
    static const uint8_t oid_san[] = {0x55, 0x1d, 0x11};
    /* Critical when the subject is empty (RFC 5280 4.2.1.6). */
    tsvc__x509_ext_open(cbb, oid_san, sizeof(oid_san), subject->len <= 2);
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    for (size_t i = 0; i < num_sans; i++)
        tsvc__cbb_add_bytes(cbb, sans[i].data, sans[i].len);
    tsvc__cbb_close(cbb);
    tsvc__x509_ext_close(cbb);
}
