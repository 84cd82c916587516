/*
 * SPDX-License-Identifier: Apache-2.0
 * CMS SignedData (RFC 5652): decoding into views of one owned DER copy.
 * BER is accepted on the outer layers through the normaliser; the signed
 * attributes must have been DER in the input (they are what was signed).
 */
#include <string.h>

#include "cms/cms.h"

#define OID(lit) (const uint8_t *)(lit), TSVC__CMS_OID_LEN(lit)

/* Contents of an element already read and checked. */
static tsvc__cbs inner(const tsvc__cbs *element)
{
    tsvc__cbs e = *element, contents;
    memset(&contents, 0, sizeof(contents));
    contents.base = element->base;
    (void)tsvc__der_get_any(&e, NULL, &contents, NULL, NULL);
    return contents;
}

static tsvc_status fmt(tsvc_error **err, const tsvc__cbs *at, const char *check, const char *what)
{
    return tsvc__err(err, TSVC_ERR_CMS_FORMAT, check, at ? tsvc__cbs_offset(at) : -1, "%s", what);
}

/* Reads a SET OF Attribute's contents into attrs. */
static tsvc_status parse_attrs(const tsvc__cbs *contents, tsvc__cms_attr *attrs, size_t *num,
                               tsvc_error **err)
{
    tsvc__cbs c = *contents;
    tsvc_status st = TSVC_OK;
    *num = 0;
    if (c.len == 0)
        return fmt(err, &c, "cms.attributes", "empty attribute set");
    while (c.len > 0) {
        tsvc__cbs el, body, values;
        if (*num >= TSVC__CMS_MAX_ATTRS)
            return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.attributes", tsvc__cbs_offset(&c),
                             "more than %d attributes", TSVC__CMS_MAX_ATTRS);
        st = tsvc__der_get_element(&c, TSVC__TAG_SEQUENCE, &el, err);
        if (st != TSVC_OK)
            return st;
        body = inner(&el);
        tsvc__cms_attr *a = &attrs[*num];
        memset(a, 0, sizeof(*a));
        a->element = el;
        if ((st = tsvc__der_get_oid(&body, &a->type, err)) != TSVC_OK ||
            (st = tsvc__der_get(&body, TSVC__TAG_SET, &values, err)) != TSVC_OK ||
            (st = tsvc__der_expect_end(&body, err)) != TSVC_OK)
            return st;
        a->values = values;
        while (values.len > 0) {
            tsvc__cbs v;
            if (a->num_values >= TSVC__CMS_MAX_ATTR_VALUES)
                return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.attribute-values",
                                 tsvc__cbs_offset(&values), "too many attribute values");
            if ((st = tsvc__der_get_any(&values, NULL, NULL, &v, err)) != TSVC_OK)
                return st;
            if (a->num_values == 0)
                a->first = v;
            a->num_values++;
        }
        (*num)++;
    }
    return TSVC_OK;
}

static tsvc_status parse_signer(tsvc__cms *cms, tsvc__cbs *set, tsvc__cms_signer *si,
                                tsvc_error **err)
{
    tsvc__cbs el, c, sid;
    tsvc_status st;
    bool present = false;
    uint32_t tag = 0;
    memset(si, 0, sizeof(*si));
    if ((st = tsvc__der_get_element(set, TSVC__TAG_SEQUENCE, &el, err)) != TSVC_OK)
        return st;
    si->element = el;
    c = inner(&el);
    const uint8_t *start = c.data;
    if ((st = tsvc__der_get_u64(&c, &si->version, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_any(&c, &tag, &sid, NULL, err)) != TSVC_OK)
        return st;
    if (tag == TSVC__TAG_SEQUENCE) {
        if (si->version != 1)
            return tsvc__err(err, TSVC_ERR_CMS_VERSION, "cms.signer-version", -1,
                             "SignerInfo with issuerAndSerialNumber must be version 1");
        if ((st = tsvc__der_get_element(&sid, TSVC__TAG_SEQUENCE, &si->sid_issuer, err)) !=
                TSVC_OK ||
            (st = tsvc__der_get_integer(&sid, 0, &si->sid_serial, &present, err)) != TSVC_OK ||
            (st = tsvc__der_expect_end(&sid, err)) != TSVC_OK)
            return st;
    } else if (tag == TSVC__TAG_CONTEXT(0)) {
        if (si->version != 3)
            return tsvc__err(err, TSVC_ERR_CMS_VERSION, "cms.signer-version", -1,
                             "SignerInfo with subjectKeyIdentifier must be version 3");
        si->sid_is_ski = true;
        si->sid_ski = sid;
    } else {
        return fmt(err, &sid, "cms.sid", "unknown SignerIdentifier form");
    }
    if ((st = tsvc__der_get_element(&c, TSVC__TAG_SEQUENCE, &si->digest_alg, err)) != TSVC_OK)
        return st;
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT_C(0))) {
        tsvc__cbs contents;
        if ((st = tsvc__der_get_element(&c, TSVC__TAG_CONTEXT_C(0), &si->signed_attrs, err)) !=
            TSVC_OK)
            return st;
        si->has_signed_attrs = true;
        contents = inner(&si->signed_attrs);
        if ((st = parse_attrs(&contents, si->sattrs, &si->num_sattrs, err)) != TSVC_OK)
            return st;
        if (tsvc__der_check_set_of_order(&contents, NULL) != TSVC_OK)
            si->signed_attrs_not_der = true;
    }
    if ((st = tsvc__der_get_element(&c, TSVC__TAG_SEQUENCE, &si->sig_alg, err)) != TSVC_OK ||
        (st = tsvc__der_get_octet_string(&c, &si->sig_value, err)) != TSVC_OK)
        return st;
    si->head.data = start;
    si->head.len = (size_t)(c.data - start);
    si->head.base = c.base;
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT_C(1))) {
        tsvc__cbs contents;
        if ((st = tsvc__der_get_element(&c, TSVC__TAG_CONTEXT_C(1), &si->unsigned_attrs, err)) !=
            TSVC_OK)
            return st;
        si->has_unsigned_attrs = true;
        contents = inner(&si->unsigned_attrs);
        if ((st = parse_attrs(&contents, si->uattrs, &si->num_uattrs, err)) != TSVC_OK)
            return st;
    }
    (void)cms;
    return tsvc__der_expect_end(&c, err);
}

static tsvc_status parse_der(tsvc__cms *cms, tsvc_error **err)
{
    tsvc__cbs in, ci, sd, oid, c, encap, tmp;
    tsvc_status st;
    tsvc__cbs_init(&in, cms->der, cms->der_len);
    (void)tmp;
    if ((st = tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &ci, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&in, err)) != TSVC_OK ||
        (st = tsvc__der_get_oid(&ci, &oid, err)) != TSVC_OK)
        return st;
    if (!tsvc__oid_equal(&oid, OID(TSVC__OID_CMS_SIGNED_DATA)))
        return tsvc__err(err, TSVC_ERR_CMS_CONTENT_TYPE, "cms.content-type",
                         tsvc__cbs_offset(&oid), "ContentInfo does not hold a SignedData");
    if ((st = tsvc__der_get(&ci, TSVC__TAG_CONTEXT_C(0), &sd, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&ci, err)) != TSVC_OK ||
        (st = tsvc__der_get(&sd, TSVC__TAG_SEQUENCE, &c, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&sd, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_u64(&c, &cms->version, err)) != TSVC_OK)
        return st;
    if (cms->version != 1 && cms->version != 3 && cms->version != 4 && cms->version != 5)
        return tsvc__err(err, TSVC_ERR_CMS_VERSION, "cms.version", -1,
                         "SignedData version %llu", (unsigned long long)cms->version);
    if ((st = tsvc__der_get(&c, TSVC__TAG_SET, &cms->digest_algs, err)) != TSVC_OK)
        return st;
    {
        tsvc__cbs d = cms->digest_algs, a;
        while (d.len > 0) {
            if (cms->num_digest_algs >= TSVC__CMS_MAX_DIGEST_ALGS)
                return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.digest-algorithms", -1,
                                 "too many digest algorithms");
            if ((st = tsvc__der_get_element(&d, TSVC__TAG_SEQUENCE, &a, err)) != TSVC_OK)
                return st;
            cms->num_digest_algs++;
        }
    }
    if ((st = tsvc__der_get_element(&c, TSVC__TAG_SEQUENCE, &cms->encap, err)) != TSVC_OK)
        return st;
    encap = inner(&cms->encap);
    if ((st = tsvc__der_get_oid(&encap, &cms->econtent_type, err)) != TSVC_OK)
        return st;
    if (encap.len > 0) {
        tsvc__cbs ec;
        if ((st = tsvc__der_get(&encap, TSVC__TAG_CONTEXT_C(0), &ec, err)) != TSVC_OK ||
            (st = tsvc__der_get_octet_string(&ec, &cms->content, err)) != TSVC_OK ||
            (st = tsvc__der_expect_end(&ec, err)) != TSVC_OK ||
            (st = tsvc__der_expect_end(&encap, err)) != TSVC_OK)
            return st;
        cms->has_content = true;
    }
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT_C(0))) {
        tsvc__cbs certs;
        if ((st = tsvc__der_get_element(&c, TSVC__TAG_CONTEXT_C(0), &cms->certs_field, err)) !=
            TSVC_OK)
            return st;
        cms->has_certs = true;
        certs = inner(&cms->certs_field);
        while (certs.len > 0) {
            if (cms->num_certs >= TSVC__CMS_MAX_CERTS)
                return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.certificates", -1,
                                 "more than %d certificates", TSVC__CMS_MAX_CERTS);
            uint32_t t = 0;
            tsvc__cbs at = certs;
            if ((st = tsvc__der_get_any(&certs, &t, NULL, &cms->certs[cms->num_certs], err)) !=
                TSVC_OK)
                return st;
            /* CertificateChoices: Certificate, or [0]..[3] IMPLICIT (RFC 5652 10.2.2). */
            if (t != TSVC__TAG_SEQUENCE && t != TSVC__TAG_CONTEXT_C(0) &&
                t != TSVC__TAG_CONTEXT_C(1) && t != TSVC__TAG_CONTEXT_C(2) &&
                t != TSVC__TAG_CONTEXT_C(3))
                return fmt(err, &at, "cms.certificates", "unknown CertificateChoices form");
            cms->num_certs++;
        }
    }
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT_C(1))) {
        tsvc__cbs crls;
        if ((st = tsvc__der_get_element(&c, TSVC__TAG_CONTEXT_C(1), &cms->crls_field, err)) !=
            TSVC_OK)
            return st;
        cms->has_crls = true;
        crls = inner(&cms->crls_field);
        while (crls.len > 0) {
            if (cms->num_crls >= TSVC__CMS_MAX_CRLS)
                return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.crls", -1,
                                 "more than %d revocation entries", TSVC__CMS_MAX_CRLS);
            uint32_t t = 0;
            tsvc__cbs at = crls;
            if ((st = tsvc__der_get_any(&crls, &t, NULL, &cms->crls[cms->num_crls], err)) !=
                TSVC_OK)
                return st;
            /* RevocationInfoChoice: CertificateList, or [1] IMPLICIT (RFC 5652 10.2.1). */
            if (t != TSVC__TAG_SEQUENCE && t != TSVC__TAG_CONTEXT_C(1))
                return fmt(err, &at, "cms.crls", "unknown RevocationInfoChoice form");
            cms->num_crls++;
        }
    }
    if ((st = tsvc__der_get_element(&c, TSVC__TAG_SET, &cms->signer_infos, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&c, err)) != TSVC_OK)
        return st;
    {
        tsvc__cbs set = inner(&cms->signer_infos), probe;
        size_t n = 0;
        probe = set;
        while (probe.len > 0) {
            if (n >= TSVC__CMS_MAX_SIGNERS)
                return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.signers", -1,
                                 "more than %d signers", TSVC__CMS_MAX_SIGNERS);
            if ((st = tsvc__der_get_any(&probe, NULL, NULL, NULL, err)) != TSVC_OK)
                return st;
            n++;
        }
        if (n > 0) {
            cms->signers = tsvc__calloc(cms->ctx, n, sizeof(tsvc__cms_signer));
            if (cms->signers == NULL)
                return tsvc__err_code(err, TSVC_ERR_NOMEM);
        }
        for (size_t i = 0; i < n; i++) {
            if ((st = parse_signer(cms, &set, &cms->signers[i], err)) != TSVC_OK)
                return st;
            cms->num_signers++;
        }
    }
    /* RFC 5652 5.1: the version is fixed by what the SignedData holds. One
     * lower than that is refused; a rebuild would raise it and change the
     * bytes. (tsvc__cms_signed_data_version() never goes below cms->version.) */
    if (tsvc__cms_signed_data_version(cms, NULL) != cms->version)
        return tsvc__err(err, TSVC_ERR_CMS_VERSION, "cms.version", -1,
                         "SignedData version %llu is lower than its contents require",
                         (unsigned long long)cms->version);
    return TSVC_OK;
}

/* True for the statuses a BER (not DER) encoding produces in the strict reader. */
static bool ber_only(tsvc_status st)
{
    return st == TSVC_ERR_DER_INDEFINITE || st == TSVC_ERR_DER_LENGTH ||
           st == TSVC_ERR_DER_CONSTRUCTED;
}

tsvc_status tsvc__cms_parse(const tsvc_ctx *ctx, const uint8_t *data, size_t len, tsvc__cms **out,
                            tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__cms *cms = NULL;
    tsvc_buf norm = TSVC_BUF_INIT;
    if (out == NULL || (data == NULL && len > 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "data and out are required");
    *out = NULL;
    if (len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "cms.size", -1,
                         "CMS object larger than the input limit");
    cms = tsvc__calloc(ctx, 1, sizeof(*cms));
    if (cms == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    cms->ctx = ctx;
    if ((st = tsvc__buf_set(ctx, &cms->der_buf, data, len)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    cms->der = cms->der_buf.data;
    cms->der_len = len;
    st = parse_der(cms, NULL);
    if (st != TSVC_OK && ber_only(st)) {
        /* BER on the outer layers: normalise, then read strictly. */
        st = tsvc__ber_to_der(ctx, data, len, (unsigned)tsvc__limit(ctx, TSVC_LIMIT_DER_DEPTH),
                              &norm, err);
        if (st != TSVC_OK)
            goto out;
        tsvc__free(ctx, cms->signers);
        tsvc_buf_dispose(&cms->der_buf);
        memset(cms, 0, sizeof(*cms));
        cms->ctx = ctx;
        cms->der_buf = norm;
        cms->der = norm.data;
        cms->der_len = norm.len;
        norm.data = NULL;
        norm.len = 0;
        cms->was_ber = true;
        st = parse_der(cms, err);
        if (st != TSVC_OK)
            goto out;
        /* Signed attributes that were DER in the input appear there unchanged. */
        for (size_t i = 0; i < cms->num_signers; i++) {
            tsvc__cms_signer *si = &cms->signers[i];
            if (si->has_signed_attrs &&
                memmem(data, len, si->signed_attrs.data, si->signed_attrs.len) == NULL)
                si->signed_attrs_not_der = true;
        }
    } else if (st != TSVC_OK) {
        /* Read again to give the caller the error detail. */
        tsvc__free(ctx, cms->signers);
        cms->signers = NULL;
        cms->num_signers = 0;
        cms->num_certs = cms->num_crls = cms->num_digest_algs = 0;
        st = parse_der(cms, err);
        if (st == TSVC_OK)
            st = tsvc__err(err, TSVC_ERR_INTERNAL, NULL, -1, "inconsistent CMS parse");
        goto out;
    }
    *out = cms;
    cms = NULL;
out:
    tsvc_buf_dispose(&norm);
    tsvc__cms_free(cms);
    return st;
}

void tsvc__cms_free(tsvc__cms *cms)
{
    if (cms == NULL)
        return;
    tsvc__free(cms->ctx, cms->signers);
    tsvc_buf_dispose(&cms->der_buf);
    tsvc__free(cms->ctx, cms);
}

const tsvc__cms_attr *tsvc__cms_find_attr(const tsvc__cms_attr *attrs, size_t num,
                                          const uint8_t *type, size_t type_len, size_t *count)
{
    const tsvc__cms_attr *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < num; i++) {
        if (tsvc__oid_equal(&attrs[i].type, type, type_len)) {
            if (first == NULL)
                first = &attrs[i];
            n++;
        }
    }
    if (count != NULL)
        *count = n;
    return first;
}

tsvc_status tsvc__cms_signed_attrs_tbs(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                       tsvc_buf *out)
{
    tsvc_status st;
    if (!si->has_signed_attrs || si->signed_attrs.len == 0)
        return TSVC_ERR_INVALID_ARG;
    st = tsvc__buf_set(ctx, out, si->signed_attrs.data, si->signed_attrs.len);
    if (st == TSVC_OK)
        out->data[0] = 0x31; /* [0] IMPLICIT SET -> SET */
    return st;
}
