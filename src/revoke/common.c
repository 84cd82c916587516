/*
 * SPDX-License-Identifier: Apache-2.0
 * Pieces the CRL and OCSP code share: reading one Extension (strict DER,
 * duplicates and the per-list limit checked) and writing one.
 *
 * Thread safety: reentrant; no state.
 */
#include <string.h>

#include "revoke/revoke.h"

/* Wraps a DER error into @p code with the same message and offset. */
static tsvc_status wrap(tsvc_error **err, tsvc_status code, const char *check, tsvc_error *inner,
                        const tsvc__cbs *at)
{
    int64_t off = inner ? tsvc_error_offset(inner) : -1;
    tsvc__err(err, code, check, off >= 0 ? off : tsvc__cbs_offset(at), "%s: %s", check,
              inner ? tsvc_error_message(inner) : "malformed");
    tsvc_error_free(inner);
    return code;
}

tsvc_status tsvc__revoke_get_extension(tsvc__cbs *exts, tsvc__revoke_ext_list *seen,
                                       tsvc__cbs *oid, bool *critical, tsvc__cbs *value,
                                       tsvc_status code, const char *check, tsvc_error **err)
{
    tsvc__cbs ext, at = *exts;
    tsvc_error *inner = NULL;
    *critical = false;
    if (tsvc__der_get(exts, TSVC__TAG_SEQUENCE, &ext, &inner) != TSVC_OK ||
        tsvc__der_get_oid(&ext, oid, &inner) != TSVC_OK)
        return wrap(err, code, check, inner, &at);
    if (tsvc__der_peek_tag(&ext, TSVC__TAG_BOOLEAN)) {
        at = ext;
        if (tsvc__der_get_bool(&ext, critical, &inner) != TSVC_OK)
            return wrap(err, code, check, inner, &at);
        if (!*critical)
            return tsvc__err(err, code, check, tsvc__cbs_offset(&at),
                             "%s: critical FALSE must not be encoded (DER DEFAULT)", check);
    }
    at = ext;
    if (tsvc__der_get_octet_string(&ext, value, &inner) != TSVC_OK ||
        tsvc__der_expect_end(&ext, &inner) != TSVC_OK)
        return wrap(err, code, check, inner, &at);
    for (size_t i = 0; i < seen->num; i++)
        if (seen->oids[i].len == oid->len && memcmp(seen->oids[i].data, oid->data, oid->len) == 0)
            return tsvc__err(err, code, check, tsvc__cbs_offset(oid),
                             "%s: the same extension appears twice", check);
    if (seen->num == TSVC__REVOKE_MAX_EXTS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, check, tsvc__cbs_offset(oid),
                         "%s: more than %u extensions", check, (unsigned)TSVC__REVOKE_MAX_EXTS);
    seen->oids[seen->num++] = *oid;
    return TSVC_OK;
}

void tsvc__revoke_add_extension(tsvc__cbb *cbb, const uint8_t *oid, size_t oid_len,
                                bool critical, const uint8_t *value, size_t value_len)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(cbb, oid, oid_len);
    if (critical)
        tsvc__cbb_add_bool(cbb, true);
    tsvc__cbb_add_octet_string(cbb, value, value_len);
    tsvc__cbb_close(cbb);
}

void tsvc__revoke_add_nonce(tsvc__cbb *cbb, const uint8_t *nonce, size_t len)
{
    uint8_t v[2 + TSVC_OCSP_MAX_NONCE];
    if (len == 0 || len > TSVC_OCSP_MAX_NONCE) {
        tsvc__cbb_fail(cbb, TSVC_ERR_INVALID_ARG);
        return;
    }
    v[0] = TSVC__TAG_OCTET_STRING;
    v[1] = (uint8_t)len;
    memcpy(v + 2, nonce, len);
    tsvc__revoke_add_extension(cbb, (const uint8_t *)TSVC__OID_PKIX_OCSP_NONCE,
                               TSVC__OID_LEN(TSVC__OID_PKIX_OCSP_NONCE), false, v, len + 2);
}
