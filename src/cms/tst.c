/*
 * SPDX-License-Identifier: Apache-2.0
 * SignerInfo signature parameters and verification, and the ESS
 * signing-certificate attributes (ESSCertID, ESSCertIDv2), as the
 * time-stamp layer uses them (see tst.h).
 *
 * Thread safety: reentrant; no global state.
 */
#include <string.h>

#include "cms/tst.h"

#define OID(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

tsvc_status tsvc__cms_signer_sig_params(const tsvc__cms_signer *si, tsvc__sig_params *out,
                                        tsvc_error **err)
{
    tsvc__cbs algid = si->sig_alg, seq, oid;
    memset(out, 0, sizeof(*out));
    if (tsvc__der_get(&algid, TSVC__TAG_SEQUENCE, &seq, NULL) == TSVC_OK &&
        tsvc__der_get_oid(&seq, &oid, NULL) == TSVC_OK &&
        tsvc__oid_equal(&oid, OID(TSVC__OID_RSA_ENCRYPTION))) {
        /* rsaEncryption: PKCS#1 v1.5 with the digestAlgorithm (RFC 3370 3.2). */
        if (seq.len != 0 && (tsvc__der_get_null(&seq, NULL) != TSVC_OK || seq.len != 0))
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "cms.signature-algorithm",
                             tsvc__cbs_offset(&si->sig_alg), "rsaEncryption with parameters");
        out->scheme = TSVC_SIG_RSA_PKCS1;
        return tsvc__hash_alg_parse(&si->digest_alg, &out->hash, err);
    }
    return tsvc__sigalg_parse(&si->sig_alg, out, err);
}

tsvc_status tsvc__cms_signer_verify_sig(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                        const tsvc_pubkey *pub, tsvc_error **err)
{
    tsvc__sig_params p;
    tsvc_buf tbs = TSVC_BUF_INIT;
    tsvc_status st;
    if (!si->has_signed_attrs)
        return tsvc__err(err, TSVC_ERR_CMS_ATTRIBUTE, "cms.signed-attributes", -1,
                         "the SignerInfo has no signed attributes");
    if ((st = tsvc__cms_signer_sig_params(si, &p, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__cms_signed_attrs_tbs(ctx, si, &tbs)) != TSVC_OK)
        return tsvc__err_code(err, st);
    st = tsvc__verify(ctx, pub, &p, tbs.data, tbs.len, si->sig_value.data, si->sig_value.len, err);
    tsvc_buf_dispose(&tbs);
    return st;
}

tsvc_status tsvc__cms_ess_cert_v2_encode(const tsvc_ctx *ctx, tsvc__cbb *cbb, tsvc_hash_alg hash,
                                         const tsvc_cert *cert, tsvc_error **err)
{
    uint8_t h[TSVC_HASH_MAX_SIZE];
    tsvc_status st = hash == TSVC_HASH_SHA256
                         ? tsvc__cert_sha256(ctx, cert, h, err) /* kept in the certificate */
                         : tsvc__hash_oneshot(ctx, hash, cert->der, cert->der_len, h, err);
    if (st != TSVC_OK)
        return st;
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* SigningCertificateV2 */
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* certs */
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* ESSCertIDv2 */
    if (hash != TSVC_HASH_SHA256)
        tsvc__hash_alg_encode(cbb, hash);
    tsvc__cbb_add_octet_string(cbb, h, tsvc__hash_size(hash));
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* IssuerSerial */
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* GeneralNames */
    tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(4)); /* directoryName */
    tsvc__cbb_add_bytes(cbb, cert->issuer.data, cert->issuer.len);
    tsvc__cbb_close(cbb);
    tsvc__cbb_close(cbb);
    tsvc__cbb_add_integer_raw(cbb, 0, cert->serial.data, cert->serial.len);
    tsvc__cbb_close(cbb);
    tsvc__cbb_close(cbb);
    tsvc__cbb_close(cbb);
    tsvc__cbb_close(cbb);
    return TSVC_OK;
}

/* IssuerSerial contents against the certificate: some directoryName of
 * the GeneralNames equals its issuer, and the serial numbers are equal. */
static bool issuer_serial_matches(tsvc__cbs *is, const tsvc_cert *cert)
{
    tsvc__cbs names, serial;
    bool neg = false, name_ok = false;
    if (tsvc__der_get(is, TSVC__TAG_SEQUENCE, &names, NULL) != TSVC_OK ||
        tsvc__der_get_integer(is, 0, &serial, &neg, NULL) != TSVC_OK || is->len != 0)
        return false;
    while (names.len > 0) {
        tsvc__x509_gname gn;
        if (tsvc__x509_parse_general_name(&names, false, &gn, NULL) != TSVC_OK)
            return false;
        if (gn.type == TSVC_GN_DIRECTORY_NAME && tsvc__name_equal(&gn.value, &cert->issuer))
            name_ok = true;
    }
    return name_ok && tsvc__cbs_equal(&serial, cert->serial.data, cert->serial.len);
}

tsvc_status tsvc__cms_ess_check(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                const tsvc_cert *cert, tsvc__ess_result *result, bool *v2,
                                tsvc_error **err)
{
    size_t n1 = 0, n2 = 0;
    const tsvc__cms_attr *a1 =
        tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_SIGNING_CERT), &n1);
    const tsvc__cms_attr *a2 =
        tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_SIGNING_CERT_V2), &n2);
    const tsvc__cms_attr *a = a2 != NULL ? a2 : a1;
    tsvc__cbs v, sc, certs, id, hash_value;
    tsvc_hash_alg hash = a2 != NULL ? TSVC_HASH_SHA256 : TSVC_HASH_SHA1;
    uint8_t h[TSVC_HASH_MAX_SIZE];
    *result = TSVC__ESS_ABSENT;
    if (v2 != NULL)
        *v2 = a2 != NULL;
    if (a == NULL)
        return TSVC_OK;
    *result = TSVC__ESS_MALFORMED;
    if (n1 > 1 || n2 > 1 || a->num_values != 1)
        return TSVC_OK;
    v = a->first;
    if (tsvc__der_get(&v, TSVC__TAG_SEQUENCE, &sc, NULL) != TSVC_OK || v.len != 0 ||
        tsvc__der_get(&sc, TSVC__TAG_SEQUENCE, &certs, NULL) != TSVC_OK ||
        tsvc__der_get(&certs, TSVC__TAG_SEQUENCE, &id, NULL) != TSVC_OK)
        return TSVC_OK;
    if (a2 != NULL && tsvc__der_peek_tag(&id, TSVC__TAG_SEQUENCE)) {
        tsvc__cbs algid;
        if (tsvc__der_get_element(&id, TSVC__TAG_SEQUENCE, &algid, NULL) != TSVC_OK ||
            tsvc__hash_alg_parse(&algid, &hash, NULL) != TSVC_OK)
            return TSVC_OK;
    }
    if (tsvc__der_get_octet_string(&id, &hash_value, NULL) != TSVC_OK)
        return TSVC_OK;
    if (hash_value.len != tsvc__hash_size(hash))
        return TSVC_OK;
    if (id.len != 0) {
        tsvc__cbs is;
        if (tsvc__der_get(&id, TSVC__TAG_SEQUENCE, &is, NULL) != TSVC_OK || id.len != 0)
            return TSVC_OK;
        if (!issuer_serial_matches(&is, cert)) {
            *result = TSVC__ESS_MISMATCH;
            return TSVC_OK;
        }
    }
    tsvc_status st = hash == TSVC_HASH_SHA256
                         ? tsvc__cert_sha256(ctx, cert, h, err)
                         : tsvc__hash_oneshot(ctx, hash, cert->der, cert->der_len, h, err);
    if (st != TSVC_OK)
        return st;
    *result = tsvc__cbs_equal(&hash_value, h, hash_value.len) ? TSVC__ESS_MATCH
                                                                : TSVC__ESS_MISMATCH;
    return TSVC_OK;
}
