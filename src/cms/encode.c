/*
 * SPDX-License-Identifier: Apache-2.0
 * CMS SignedData encoding: attribute sets (DER SET OF order), SignerInfos,
 * the SignedData itself, and re-encoding a decoded SignedData with one
 * SignerInfo's unsigned attributes changed, certificates or CRLs added,
 * every untouched element copied byte for byte.
 */
#include <string.h>

#include "cms/cms.h"

#define OID(lit) (const uint8_t *)(lit), TSVC__CMS_OID_LEN(lit)

tsvc_status tsvc__cms_attrs_encode(const tsvc_ctx *ctx, const tsvc__cms_attr_in *attrs,
                                   size_t num, tsvc_buf *out)
{
    tsvc__cbb cbb;
    if (num > TSVC__CMS_MAX_ATTRS)
        return TSVC_ERR_LIMIT_COUNT;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t i = 0; i < num; i++) {
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_oid(&cbb, attrs[i].type, attrs[i].type_len);
        tsvc__cbb_open(&cbb, TSVC__TAG_SET);
        tsvc__cbb_add_bytes(&cbb, attrs[i].value, attrs[i].value_len);
        tsvc__cbb_close(&cbb);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close_set_of(&cbb);
    return tsvc__cbb_finish(&cbb, out);
}

/* Writes a SET element's contents under another tag ([0] / [1] IMPLICIT). */
static void add_retagged(tsvc__cbb *cbb, uint32_t tag, const uint8_t *set, size_t len)
{
    tsvc__cbs c, contents;
    tsvc__cbs_init(&c, set, len);
    if (tsvc__der_get(&c, TSVC__TAG_SET, &contents, NULL) != TSVC_OK || c.len != 0) {
        tsvc__cbb_fail(cbb, TSVC_ERR_INVALID_ARG);
        return;
    }
    tsvc__cbb_add_element(cbb, tag, contents.data, contents.len);
}

void tsvc__cms_signer_encode(tsvc__cbb *cbb, const tsvc__cms_signer_in *s)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(cbb, s->sid_is_ski ? 3 : 1);
    if (s->sid_is_ski) {
        tsvc__cbb_add_element(cbb, TSVC__TAG_CONTEXT(0), s->ski, s->ski_len);
    } else {
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_bytes(cbb, s->issuer, s->issuer_len);
        tsvc__cbb_add_integer_raw(cbb, 0, s->serial, s->serial_len);
        tsvc__cbb_close(cbb);
    }
    tsvc__hash_alg_encode(cbb, s->digest);
    if (s->signed_attrs != NULL)
        add_retagged(cbb, TSVC__TAG_CONTEXT_C(0), s->signed_attrs, s->signed_attrs_len);
    tsvc__cbb_add_bytes(cbb, s->sig_alg, s->sig_alg_len);
    tsvc__cbb_add_octet_string(cbb, s->sig, s->sig_len);
    if (s->unsigned_attrs != NULL)
        add_retagged(cbb, TSVC__TAG_CONTEXT_C(1), s->unsigned_attrs, s->unsigned_attrs_len);
    tsvc__cbb_close(cbb);
}

tsvc_status tsvc__cms_encode(const tsvc_ctx *ctx, const tsvc__cms_sd_in *in, tsvc_buf *out)
{
    tsvc__cbb cbb;
    bool v3 = false;
    if (in->num_signers > TSVC__CMS_MAX_SIGNERS || in->num_certs > TSVC__CMS_MAX_CERTS ||
        in->num_digests > TSVC__CMS_MAX_DIGEST_ALGS)
        return TSVC_ERR_LIMIT_COUNT;
    /* RFC 5652 5.1: version 3 when eContentType is not id-data or a SignerInfo is v3. */
    if (in->content_type != NULL &&
        !(in->content_type_len == TSVC__CMS_OID_LEN(TSVC__OID_CMS_DATA) &&
          memcmp(in->content_type, TSVC__OID_CMS_DATA, in->content_type_len) == 0))
        v3 = true;
    for (size_t i = 0; i < in->num_signers; i++) {
        tsvc__cbs c, si;
        uint64_t ver = 0;
        tsvc__cbs_init(&c, in->signers[i].data, in->signers[i].len);
        if (tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &si, NULL) == TSVC_OK &&
            tsvc__der_get_u64(&si, &ver, NULL) == TSVC_OK && ver == 3)
            v3 = true;
    }
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(&cbb, OID(TSVC__OID_CMS_SIGNED_DATA));
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(&cbb, v3 ? 3 : 1);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t i = 0; i < in->num_digests; i++) {
        bool dup = false;
        for (size_t j = 0; j < i; j++)
            dup = dup || in->digests[j] == in->digests[i];
        if (!dup)
            tsvc__hash_alg_encode(&cbb, in->digests[i]);
    }
    tsvc__cbb_close_set_of(&cbb);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    if (in->content_type != NULL)
        tsvc__cbb_add_oid(&cbb, in->content_type, in->content_type_len);
    else
        tsvc__cbb_add_oid(&cbb, OID(TSVC__OID_CMS_DATA));
    if (in->attached) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
        tsvc__cbb_add_octet_string(&cbb, in->content, in->content_len);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close(&cbb);
    if (in->num_certs > 0) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
        for (size_t i = 0; i < in->num_certs; i++)
            tsvc__cbb_add_bytes(&cbb, in->certs[i].data, in->certs[i].len);
        tsvc__cbb_close_set_of(&cbb);
    }
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t i = 0; i < in->num_signers; i++)
        tsvc__cbb_add_bytes(&cbb, in->signers[i].data, in->signers[i].len);
    tsvc__cbb_close_set_of(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    return tsvc__cbb_finish(&cbb, out);
}

static void add_cbs(tsvc__cbb *cbb, const tsvc__cbs *c)
{
    tsvc__cbb_add_bytes(cbb, c->data, c->len);
}

static void add_field_plus(tsvc__cbb *cbb, uint32_t tag, const tsvc__cbs *items, size_t num,
                           const tsvc_buf *extra, size_t num_extra)
{
    tsvc__cbb_open(cbb, tag);
    for (size_t i = 0; i < num; i++)
        add_cbs(cbb, &items[i]);
    for (size_t i = 0; i < num_extra; i++)
        tsvc__cbb_add_bytes(cbb, extra[i].data, extra[i].len);
    tsvc__cbb_close(cbb);
}

/* The tag octet of element @p i of a field: the decoded @p items first,
 * then the edit's @p extra ones (-1 when empty). CertificateChoices and
 * RevocationInfoChoice are told apart by it. */
static int tag_at(const tsvc__cbs *items, size_t num, const tsvc_buf *extra, size_t i)
{
    const uint8_t *d = i < num ? items[i].data : extra[i - num].data;
    size_t len = i < num ? items[i].len : extra[i - num].len;
    return len > 0 ? d[0] : -1;
}

uint64_t tsvc__cms_signed_data_version(const tsvc__cms *cms, const tsvc__cms_edit *edit)
{
    bool other = false, attr_v2 = false, attr_v1 = false, v3 = false;
    size_t add_certs = edit ? edit->num_add_certs : 0, add_crls = edit ? edit->num_add_crls : 0;
    /* certificates: [1] v1AttrCert, [2] v2AttrCert, [3] other (constructed). */
    for (size_t i = 0; i < cms->num_certs + add_certs; i++) {
        int t = tag_at(cms->certs, cms->num_certs, edit ? edit->add_certs : NULL, i);
        other |= t == 0xa3;
        attr_v2 |= t == 0xa2;
        attr_v1 |= t == 0xa1;
    }
    /* crls: [1] other (e.g. id-ri-ocsp-response). */
    for (size_t i = 0; i < cms->num_crls + add_crls; i++)
        other |= tag_at(cms->crls, cms->num_crls, edit ? edit->add_crls : NULL, i) == 0xa1;
    for (size_t i = 0; i < cms->num_signers; i++)
        v3 |= cms->signers[i].version == 3;
    v3 |= !tsvc__cbs_equal(&cms->econtent_type, (const uint8_t *)TSVC__OID_CMS_DATA,
                           TSVC__CMS_OID_LEN(TSVC__OID_CMS_DATA));
    uint64_t v = other ? 5 : attr_v2 ? 4 : (attr_v1 || v3) ? 3 : 1;
    return v > cms->version ? v : cms->version;
}

tsvc_status tsvc__cms_rebuild(const tsvc__cms *cms, const tsvc__cms_edit *edit, tsvc_buf *out,
                              tsvc_error **err)
{
    tsvc__cbb cbb;
    tsvc_status st;
    if (cms == NULL || edit == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "cms, edit and out are required");
    if (edit->replace_unsigned && edit->signer >= cms->num_signers)
        return tsvc__err(err, TSVC_ERR_CMS_SIGNER_INDEX, NULL, -1, "no SignerInfo %zu",
                         edit->signer);
    if (cms->num_certs + edit->num_add_certs > TSVC__CMS_MAX_CERTS ||
        cms->num_crls + edit->num_add_crls > TSVC__CMS_MAX_CRLS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.rebuild", -1, "too many elements");
    if (edit->version != 0 && edit->version != 1 && edit->version != 3 && edit->version != 4 &&
        edit->version != 5)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "cms.rebuild", -1,
                         "SignedData version %llu", (unsigned long long)edit->version);
    uint64_t version =
        edit->version != 0 ? edit->version : tsvc__cms_signed_data_version(cms, edit);
    tsvc__cbb_init(&cbb, cms->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(&cbb, OID(TSVC__OID_CMS_SIGNED_DATA));
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(&cbb, version);
    tsvc__cbb_add_element(&cbb, TSVC__TAG_SET, cms->digest_algs.data, cms->digest_algs.len);
    add_cbs(&cbb, &cms->encap);
    if (edit->num_add_certs > 0)
        add_field_plus(&cbb, TSVC__TAG_CONTEXT_C(0), cms->certs, cms->num_certs, edit->add_certs,
                       edit->num_add_certs);
    else if (cms->has_certs)
        add_cbs(&cbb, &cms->certs_field);
    if (edit->num_add_crls > 0)
        add_field_plus(&cbb, TSVC__TAG_CONTEXT_C(1), cms->crls, cms->num_crls, edit->add_crls,
                       edit->num_add_crls);
    else if (cms->has_crls)
        add_cbs(&cbb, &cms->crls_field);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t i = 0; i < cms->num_signers; i++) {
        const tsvc__cms_signer *si = &cms->signers[i];
        if (!edit->replace_unsigned || i != edit->signer) {
            add_cbs(&cbb, &si->element);
            continue;
        }
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        add_cbs(&cbb, &si->head);
        if (edit->unsigned_attrs != NULL && edit->unsigned_attrs_len > 0)
            add_retagged(&cbb, TSVC__TAG_CONTEXT_C(1), edit->unsigned_attrs,
                         edit->unsigned_attrs_len);
        tsvc__cbb_close(&cbb);
    }
    /* The SignerInfos keep their order: a SignerInfo changed in place may
     * move in DER order, but reordering would change what others index. */
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    st = tsvc__cbb_finish(&cbb, out);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    return TSVC_OK;
}

tsvc_status tsvc__cms_add_unsigned_attr(const tsvc__cms *cms, size_t signer, const uint8_t *type,
                                        size_t type_len, const uint8_t *value, size_t value_len,
                                        tsvc_buf *out, tsvc_error **err)
{
    tsvc__cbb cbb;
    tsvc_buf set = TSVC_BUF_INIT;
    tsvc_status st;
    if (cms == NULL || type == NULL || value == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "missing argument");
    if (signer >= cms->num_signers)
        return tsvc__err(err, TSVC_ERR_CMS_SIGNER_INDEX, NULL, -1, "no SignerInfo %zu", signer);
    const tsvc__cms_signer *si = &cms->signers[signer];
    if (si->num_uattrs >= TSVC__CMS_MAX_ATTRS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "cms.attributes", -1,
                         "too many unsigned attributes");
    tsvc__cbb_init(&cbb, cms->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t i = 0; i < si->num_uattrs; i++)
        add_cbs(&cbb, &si->uattrs[i].element);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(&cbb, type, type_len);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    tsvc__cbb_add_bytes(&cbb, value, value_len);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close_set_of(&cbb);
    st = tsvc__cbb_finish(&cbb, &set);
    if (st != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    tsvc__cms_edit edit;
    memset(&edit, 0, sizeof(edit));
    edit.signer = signer;
    edit.replace_unsigned = true;
    edit.unsigned_attrs = set.data;
    edit.unsigned_attrs_len = set.len;
    st = tsvc__cms_rebuild(cms, &edit, out, err);
out:
    tsvc_buf_dispose(&set);
    return st;
}
