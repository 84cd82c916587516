/*
 * SPDX-License-Identifier: Apache-2.0
 * CAdES B-LTA and JIS X 5092 ES-A: archive time-stamps.
 *
 * archive-time-stamp-v3 (ETSI EN 319 122-1 section 5.5.3): the message
 * imprint is the hash of the concatenation of
 *   1. SignedData.encapContentInfo.eContentType (the OID element),
 *   2. the hash of the signed content (eContent's value octets, or the
 *      detached content), with the imprint's hash algorithm,
 *   3. the SignerInfo fields version, sid, digestAlgorithm, signedAttrs,
 *      signatureAlgorithm and signature, as encoded,
 *   4. the ATSHashIndexV3 element (section 5.5.2) that the token carries
 *      as its unsigned attribute ats-hash-index-v3: hashIndAlgorithm, then
 *      the hash of every CertificateChoices of SignedData.certificates, of
 *      every RevocationInfoChoice of SignedData.crls, and of every
 *      (attrType element || AttributeValue element) of the SignerInfo's
 *      unsigned attributes, as present when the time-stamp is requested.
 *
 * archive-time-stamp v2 (ETSI TS 101 733 section 6.4.1, JIS X 5092 ES-A):
 * the hash of the concatenation of encapContentInfo (the element), the
 * external content when eContent is absent, the certificates and crls
 * fields (elements, when present), and every field of the SignerInfo as
 * it appears, the unsignedAttrs [1] element included; the archive
 * time-stamp being computed (and any added after it) is left out.
 *
 * Thread safety: reentrant; no global state.
 */
#include <stdio.h>
#include <string.h>

#include "ades/lt.h"
#include "tsp/tsp.h"

#define OID(lit) TSVC__LT_OID(lit)
/* Most hash entries of one index list. */
#define MAX_INDEX_ENTRIES (TSVC__CMS_MAX_ATTRS * TSVC__CMS_MAX_ATTR_VALUES + TSVC__CMS_MAX_CERTS)

static tsvc_ctx *mut(const tsvc_ctx *ctx)
{
    return (tsvc_ctx *)(uintptr_t)ctx;
}

/* The attrType OID element of an Attribute element. */
static bool attr_type_element(const tsvc__cms_attr *a, tsvc__cbs *type)
{
    tsvc__cbs el = a->element, c;
    return tsvc__der_get(&el, TSVC__TAG_SEQUENCE, &c, NULL) == TSVC_OK &&
           tsvc__der_get_element(&c, TSVC__TAG_OID, type, NULL) == TSVC_OK;
}

static tsvc_status hash2(const tsvc_ctx *ctx, tsvc_hash_alg h, const tsvc__cbs *a,
                         const tsvc__cbs *b, uint8_t *md)
{
    tsvc_hash *hs = NULL;
    size_t n = 0;
    tsvc_status st = tsvc_hash_new(mut(ctx), &hs, h, NULL);
    if (st == TSVC_OK)
        st = tsvc_hash_update(hs, a->data, a->len, NULL);
    if (st == TSVC_OK && b != NULL)
        st = tsvc_hash_update(hs, b->data, b->len, NULL);
    if (st == TSVC_OK)
        st = tsvc_hash_final(hs, md, TSVC_HASH_MAX_SIZE, &n, NULL);
    tsvc_hash_free(hs);
    return st;
}

tsvc_status tsvc__lta_hash_index_v3(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                    tsvc_hash_alg hash, tsvc_buf *out, tsvc_error **err)
{
    tsvc__cbb cbb;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    size_t hl = tsvc__hash_size(hash);
    tsvc_status st = TSVC_OK;
    if (signer >= cms->num_signers)
        return tsvc__err(err, TSVC_ERR_CMS_SIGNER_INDEX, "ades.lta.signer", -1,
                         "no SignerInfo %zu", signer);
    const tsvc__cms_signer *si = &cms->signers[signer];
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__hash_alg_encode(&cbb, hash);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    for (size_t i = 0; i < cms->num_certs && st == TSVC_OK; i++)
        if ((st = hash2(ctx, hash, &cms->certs[i], NULL, md)) == TSVC_OK)
            tsvc__cbb_add_octet_string(&cbb, md, hl);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    for (size_t i = 0; i < cms->num_crls && st == TSVC_OK; i++)
        if ((st = hash2(ctx, hash, &cms->crls[i], NULL, md)) == TSVC_OK)
            tsvc__cbb_add_octet_string(&cbb, md, hl);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    for (size_t a = 0; a < si->num_uattrs && st == TSVC_OK; a++) {
        tsvc__cbs type, values = si->uattrs[a].values;
        if (!attr_type_element(&si->uattrs[a], &type))
            continue;
        while (values.len > 0 && st == TSVC_OK) {
            tsvc__cbs v;
            if (tsvc__der_get_any(&values, NULL, NULL, &v, NULL) != TSVC_OK)
                break;
            if ((st = hash2(ctx, hash, &type, &v, md)) == TSVC_OK)
                tsvc__cbb_add_octet_string(&cbb, md, hl);
        }
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    if (st != TSVC_OK) {
        tsvc__cbb_cleanup(&cbb);
        return st == TSVC_ERR_NOMEM ? tsvc__err_code(err, st)
                                    : tsvc__err(err, st, "ades.lta.hash", -1,
                                                "cannot compute the hash index");
    }
    st = tsvc__cbb_finish(&cbb, out);
    return st == TSVC_OK ? TSVC_OK : tsvc__err_code(err, st);
}

/* Reads an ATSHashIndexV3: its hash and the three lists (contents). */
static bool read_index(const uint8_t *index, size_t len, tsvc_hash_alg *hash, tsvc__cbs lists[3])
{
    tsvc__cbs in, c;
    tsvc__cbs_init(&in, index, len);
    if (tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &c, NULL) != TSVC_OK || in.len != 0)
        return false;
    *hash = TSVC_HASH_SHA256; /* DEFAULT {algorithm id-sha256} in clause 5.5.2 */
    tsvc__cbs probe = c, first, inner;
    if (tsvc__der_get_element(&probe, TSVC__TAG_SEQUENCE, &first, NULL) != TSVC_OK)
        return false;
    inner = first;
    tsvc__cbs fc;
    if (tsvc__der_get(&inner, TSVC__TAG_SEQUENCE, &fc, NULL) == TSVC_OK &&
        tsvc__der_peek_tag(&fc, TSVC__TAG_OID)) {
        if (tsvc__hash_alg_parse(&first, hash, NULL) != TSVC_OK)
            return false;
        c = probe;
    }
    for (int k = 0; k < 3; k++)
        if (tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &lists[k], NULL) != TSVC_OK)
            return false;
    return c.len == 0;
}

static bool list_has(tsvc__cbs list, const uint8_t *md, size_t hl)
{
    while (list.len > 0) {
        tsvc__cbs os;
        if (tsvc__der_get(&list, TSVC__TAG_OCTET_STRING, &os, NULL) != TSVC_OK)
            return false;
        if (tsvc__cbs_equal(&os, md, hl))
            return true;
    }
    return false;
}

bool tsvc__lta_index_lists_value(const tsvc_ctx *ctx, const uint8_t *index, size_t index_len,
                                 const tsvc__cbs *type_element, const tsvc__cbs *value)
{
    tsvc_hash_alg h;
    tsvc__cbs lists[3];
    uint8_t md[TSVC_HASH_MAX_SIZE];
    if (!read_index(index, index_len, &h, lists) ||
        hash2(ctx, h, type_element, value, md) != TSVC_OK)
        return false;
    return list_has(lists[2], md, tsvc__hash_size(h));
}

tsvc_status tsvc__lta_check_index_v3(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                     const uint8_t *index, size_t index_len, tsvc_hash_alg *hash,
                                     bool *ok, char *why, size_t why_size)
{
    tsvc__cbs lists[3];
    uint8_t *present[3] = {NULL, NULL, NULL}; /* the hashes of what is there, per list */
    size_t num[3] = {0, 0, 0};
    tsvc_status st = TSVC_OK;
    static const char *const names[3] = {"certificatesHashIndex", "crlsHashIndex",
                                         "unsignedAttrValuesHashIndex"};
    *ok = false;
    if (!read_index(index, index_len, hash, lists)) {
        snprintf(why, why_size, "malformed ats-hash-index-v3");
        return TSVC_OK;
    }
    size_t hl = tsvc__hash_size(*hash);
    const tsvc__cms_signer *si = &cms->signers[signer];

    /* Each element is hashed once. */
    size_t cap[3] = {cms->num_certs, cms->num_crls, 0};
    for (size_t a = 0; a < si->num_uattrs; a++)
        cap[2] += si->uattrs[a].num_values;
    for (int k = 0; k < 3 && st == TSVC_OK; k++) {
        if (cap[k] == 0)
            continue;
        present[k] = tsvc__alloc(ctx, cap[k] * TSVC_HASH_MAX_SIZE);
        if (present[k] == NULL) {
            st = TSVC_ERR_NOMEM;
            break;
        }
        if (k < 2) {
            const tsvc__cbs *els = k == 0 ? cms->certs : cms->crls;
            for (size_t i = 0; i < cap[k] && st == TSVC_OK; i++)
                st = hash2(ctx, *hash, &els[i], NULL, present[k] + num[k]++ * TSVC_HASH_MAX_SIZE);
            continue;
        }
        for (size_t a = 0; a < si->num_uattrs && st == TSVC_OK; a++) {
            tsvc__cbs type, values = si->uattrs[a].values;
            if (!attr_type_element(&si->uattrs[a], &type))
                continue;
            while (values.len > 0 && num[2] < cap[2] && st == TSVC_OK) {
                tsvc__cbs v;
                if (tsvc__der_get_any(&values, NULL, NULL, &v, NULL) != TSVC_OK)
                    break;
                st = hash2(ctx, *hash, &type, &v, present[2] + num[2]++ * TSVC_HASH_MAX_SIZE);
            }
        }
    }
    if (st != TSVC_OK)
        goto out;

    for (int k = 0; k < 3; k++) {
        tsvc__cbs list = lists[k];
        size_t entry = 0;
        while (list.len > 0) {
            tsvc__cbs os;
            bool found = false;
            if (entry >= MAX_INDEX_ENTRIES ||
                tsvc__der_get(&list, TSVC__TAG_OCTET_STRING, &os, NULL) != TSVC_OK ||
                os.len != hl) {
                snprintf(why, why_size, "malformed %s (or more than %u entries)", names[k],
                         (unsigned)MAX_INDEX_ENTRIES);
                goto out;
            }
            for (size_t i = 0; i < num[k] && !found; i++)
                found = memcmp(os.data, present[k] + i * TSVC_HASH_MAX_SIZE, hl) == 0;
            if (!found) {
                snprintf(why, why_size,
                         "entry %zu of %s names nothing the signature holds (an element was "
                         "changed or removed)",
                         entry, names[k]);
                goto out;
            }
            entry++;
        }
    }
    *ok = true;
out:
    for (int k = 0; k < 3; k++)
        tsvc__free(ctx, present[k]);
    return st;
}

/* Hash of the signed content: eContent's value octets or the detached content. */
static tsvc_status content_hash(const tsvc_ctx *ctx, const tsvc__cms *cms,
                                const uint8_t *content, size_t content_len, tsvc_hash_alg h,
                                uint8_t *md, tsvc_error **err)
{
    tsvc__cbs c;
    if (cms->has_content && content != NULL)
        return tsvc__err(err, TSVC_ERR_CMS_NO_CONTENT, "ades.lta.content", -1,
                         "the content is embedded and was also given");
    if (!cms->has_content && content == NULL)
        return tsvc__err(err, TSVC_ERR_CMS_NO_CONTENT, "ades.lta.content", -1,
                         "detached signature: the content is needed");
    if (cms->has_content)
        c = cms->content;
    else
        tsvc__cbs_init(&c, content, content_len);
    tsvc_status st = hash2(ctx, h, &c, NULL, md);
    return st == TSVC_OK ? TSVC_OK : tsvc__err_code(err, st);
}

tsvc_status tsvc__lta_imprint_v3(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                 const uint8_t *content, size_t content_len, tsvc_hash_alg hash,
                                 const uint8_t *index, size_t index_len, uint8_t *md,
                                 tsvc_error **err)
{
    uint8_t cmd[TSVC_HASH_MAX_SIZE];
    tsvc__cbb cbb;
    tsvc_buf buf = TSVC_BUF_INIT;
    tsvc_status st = content_hash(ctx, cms, content, content_len, hash, cmd, err);
    if (st != TSVC_OK)
        return st;
    const tsvc__cms_signer *si = &cms->signers[signer];
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_add_oid(&cbb, cms->econtent_type.data, cms->econtent_type.len);
    tsvc__cbb_add_bytes(&cbb, cmd, tsvc__hash_size(hash));
    tsvc__cbb_add_bytes(&cbb, si->head.data, si->head.len);
    tsvc__cbb_add_bytes(&cbb, index, index_len);
    if ((st = tsvc__cbb_finish(&cbb, &buf)) != TSVC_OK)
        return tsvc__err_code(err, st);
    st = tsvc__hash_oneshot(ctx, hash, buf.data, buf.len, md, err);
    tsvc_buf_dispose(&buf);
    return st;
}

bool tsvc__lta_token_time(const tsvc_ctx *ctx, const uint8_t *der, size_t len, int64_t *when)
{
    tsvc_tst *t = NULL;
    if (tsvc_tst_parse(ctx, &t, der, len, NULL) != TSVC_OK)
        return false;
    *when = t->info.gen_time;
    tsvc_tst_free(t);
    return true;
}

static bool is_ats(const tsvc__cbs *type)
{
    return tsvc__oid_equal(type, OID(TSVC__OID_AA_ATS_V2)) ||
           tsvc__oid_equal(type, OID(TSVC__OID_AA_ATS_V3));
}

tsvc_status tsvc__lta_imprint_v2(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                 const uint8_t *content, size_t content_len, tsvc_hash_alg hash,
                                 const tsvc__cbs *exclude, int64_t exclude_time, uint8_t *md,
                                 tsvc_error **err)
{
    tsvc_hash *hs = NULL;
    tsvc__cbb cbb;
    tsvc_buf ua = TSVC_BUF_INIT;
    size_t n = 0;
    tsvc_status st;
    if (cms->has_content && content != NULL)
        return tsvc__err(err, TSVC_ERR_CMS_NO_CONTENT, "ades.lta.content", -1,
                         "the content is embedded and was also given");
    if (!cms->has_content && content == NULL)
        return tsvc__err(err, TSVC_ERR_CMS_NO_CONTENT, "ades.lta.content", -1,
                         "detached signature: the content is needed");
    const tsvc__cms_signer *si = &cms->signers[signer];

    /* The unsignedAttrs as they were: archive time-stamps from the excluded
     * one on are left out; the others keep their order and bytes. */
    tsvc__cbb_init(&cbb, ctx);
    size_t kept = 0;
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(1));
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cms_attr *at = &si->uattrs[a];
        if (!is_ats(&at->type) || exclude == NULL) {
            tsvc__cbb_add_bytes(&cbb, at->element.data, at->element.len);
            kept++;
            continue;
        }
        tsvc__cbs values = at->values, type;
        tsvc__cbs keep[TSVC__CMS_MAX_ATTR_VALUES];
        size_t nk = 0, total = 0;
        while (values.len > 0 && nk < TSVC__CMS_MAX_ATTR_VALUES) {
            tsvc__cbs v;
            int64_t t = 0;
            if (tsvc__der_get_any(&values, NULL, NULL, &v, NULL) != TSVC_OK)
                break;
            total++;
            bool same_value = v.data == exclude->data && v.len == exclude->len;
            if (same_value || !tsvc__lta_token_time(ctx, v.data, v.len, &t) ||
                t >= exclude_time)
                continue;
            keep[nk++] = v;
        }
        if (nk == total) {
            tsvc__cbb_add_bytes(&cbb, at->element.data, at->element.len);
            kept++;
        } else if (nk > 0 && attr_type_element(at, &type)) {
            tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
            tsvc__cbb_add_bytes(&cbb, type.data, type.len);
            tsvc__cbb_open(&cbb, TSVC__TAG_SET);
            for (size_t k = 0; k < nk; k++)
                tsvc__cbb_add_bytes(&cbb, keep[k].data, keep[k].len);
            tsvc__cbb_close_set_of(&cbb);
            tsvc__cbb_close(&cbb);
            kept++;
        }
    }
    tsvc__cbb_close(&cbb);
    if ((st = tsvc__cbb_finish(&cbb, &ua)) != TSVC_OK)
        return tsvc__err_code(err, st);

    st = tsvc_hash_new(mut(ctx), &hs, hash, NULL);
    if (st == TSVC_OK)
        st = tsvc_hash_update(hs, cms->encap.data, cms->encap.len, NULL);
    if (st == TSVC_OK && !cms->has_content)
        st = tsvc_hash_update(hs, content, content_len, NULL);
    if (st == TSVC_OK && cms->has_certs)
        st = tsvc_hash_update(hs, cms->certs_field.data, cms->certs_field.len, NULL);
    if (st == TSVC_OK && cms->has_crls)
        st = tsvc_hash_update(hs, cms->crls_field.data, cms->crls_field.len, NULL);
    if (st == TSVC_OK)
        st = tsvc_hash_update(hs, si->head.data, si->head.len, NULL);
    if (st == TSVC_OK && kept > 0)
        st = tsvc_hash_update(hs, ua.data, ua.len, NULL);
    if (st == TSVC_OK)
        st = tsvc_hash_final(hs, md, TSVC_HASH_MAX_SIZE, &n, NULL);
    tsvc_hash_free(hs);
    tsvc_buf_dispose(&ua);
    return st == TSVC_OK ? TSVC_OK : tsvc__err_code(err, st);
}

tsvc_status tsvc__lta_replace_uattr_value(const tsvc__cms *cms, size_t signer,
                                          const tsvc__cbs *old, const uint8_t *value,
                                          size_t value_len, tsvc_buf *out, tsvc_error **err)
{
    tsvc__cbb cbb;
    tsvc_buf set = TSVC_BUF_INIT;
    tsvc_status st;
    const tsvc__cms_signer *si = &cms->signers[signer];
    tsvc__cbb_init(&cbb, cms->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cms_attr *at = &si->uattrs[a];
        tsvc__cbs type;
        bool inside = old->data >= at->values.data &&
                      old->data + old->len <= at->values.data + at->values.len;
        if (!inside || !attr_type_element(at, &type)) {
            tsvc__cbb_add_bytes(&cbb, at->element.data, at->element.len);
            continue;
        }
        tsvc__cbs values = at->values;
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_bytes(&cbb, type.data, type.len);
        tsvc__cbb_open(&cbb, TSVC__TAG_SET);
        while (values.len > 0) {
            tsvc__cbs v;
            if (tsvc__der_get_any(&values, NULL, NULL, &v, NULL) != TSVC_OK)
                break;
            if (v.data == old->data && v.len == old->len)
                tsvc__cbb_add_bytes(&cbb, value, value_len);
            else
                tsvc__cbb_add_bytes(&cbb, v.data, v.len);
        }
        tsvc__cbb_close_set_of(&cbb);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close_set_of(&cbb);
    if ((st = tsvc__cbb_finish(&cbb, &set)) != TSVC_OK)
        return tsvc__err_code(err, st);
    st = tsvc__lt_set_uattrs(cms, signer, &set, out, err);
    tsvc_buf_dispose(&set);
    return st;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

static size_t count_ats(const tsvc__cms_signer *si)
{
    size_t n = 0;
    for (size_t a = 0; a < si->num_uattrs; a++)
        if (is_ats(&si->uattrs[a].type))
            n += si->uattrs[a].num_values;
    return n;
}

/* The imprint a new archive time-stamp of @p version must carry. */
static tsvc_status new_imprint(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                               const uint8_t *content, size_t content_len,
                               tsvc_ats_version version, tsvc_hash_alg hash, uint8_t *md,
                               tsvc_buf *index, tsvc_error **err)
{
    tsvc_status st;
    if (signer >= cms->num_signers)
        return tsvc__err(err, TSVC_ERR_CMS_SIGNER_INDEX, "ades.lta.signer", -1,
                         "no SignerInfo %zu (the signature has %zu)", signer, cms->num_signers);
    if (count_ats(&cms->signers[signer]) >= TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "ades.lta.limit", -1,
                         "the signature already has %u archive time-stamps",
                         (unsigned)TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS);
    if (version == TSVC_ATS_V2)
        return tsvc__lta_imprint_v2(ctx, cms, signer, content, content_len, hash, NULL, 0, md,
                                    err);
    if ((st = tsvc__lta_hash_index_v3(ctx, cms, signer, hash, index, err)) != TSVC_OK)
        return st;
    return tsvc__lta_imprint_v3(ctx, cms, signer, content, content_len, hash, index->data,
                                index->len, md, err);
}

tsvc_status tsvc_tsq_new_for_archive(tsvc_ctx *ctx, tsvc_tsq **out, const uint8_t *cms_der,
                                     size_t cms_len, size_t signer_index,
                                     const uint8_t *content, size_t content_len,
                                     tsvc_ats_version version, tsvc_hash_alg hash,
                                     tsvc_error **err)
{
    tsvc__cms *cms = NULL;
    tsvc_buf index = TSVC_BUF_INIT;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    tsvc_status st;
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lta", -1, "NULL argument");
    *out = NULL;
    if (ctx == NULL || cms_der == NULL || (content == NULL && content_len > 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lta", -1, "NULL argument");
    if (version != TSVC_ATS_V2 && version != TSVC_ATS_V3)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lta.version", -1,
                         "archive time-stamp version 2 or 3");
    if (!tsvc__tsp_hash_default_ok(hash))
        return tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.lta.hash", -1,
                         "message imprints use SHA-256, SHA-384 or SHA-512");
    if ((st = tsvc__cms_parse(ctx, cms_der, cms_len, &cms, err)) != TSVC_OK ||
        (st = new_imprint(ctx, cms, signer_index, content, content_len, version, hash, md,
                          &index, err)) != TSVC_OK ||
        (st = tsvc_tsq_new(ctx, out, hash, md, tsvc__hash_size(hash), err)) != TSVC_OK)
        goto out;
    tsvc_tsq_set_cert_req(*out, 1);
out:
    tsvc_buf_dispose(&index);
    tsvc__cms_free(cms);
    return st;
}

tsvc_status tsvc_ats_add_to_signature(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms_der,
                                      size_t cms_len, size_t signer_index,
                                      const uint8_t *content, size_t content_len,
                                      tsvc_ats_version version, const uint8_t *tsr_der,
                                      size_t tsr_len, const tsvc_tsq *tsq, tsvc_error **err)
{
    tsvc__cms *cms = NULL;
    tsvc_tsr *tsr = NULL;
    tsvc_buf index = TSVC_BUF_INIT, token = TSVC_BUF_INIT;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    tsvc_status st;
    if (ctx == NULL || out == NULL || cms_der == NULL || tsr_der == NULL ||
        (content == NULL && content_len > 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lta", -1, "NULL argument");
    out->data = NULL;
    out->len = 0;
    if (version != TSVC_ATS_V2 && version != TSVC_ATS_V3)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lta.version", -1,
                         "archive time-stamp version 2 or 3");
    if ((st = tsvc_tsr_parse(ctx, &tsr, tsr_der, tsr_len, err)) != TSVC_OK)
        goto out;
    const tsvc_tst *tst = tsvc_tsr_token(tsr);
    int status = tsvc_tsr_status(tsr);
    if ((status != TSVC_PKI_GRANTED && status != TSVC_PKI_GRANTED_WITH_MODS) || tst == NULL) {
        st = tsvc__err(err, TSVC_ERR_TSP_NOT_GRANTED, "ades.lta.status", -1,
                       "the TSA did not grant the request: %s (failInfo 0x%x) %s",
                       tsvc_pki_status_str(status), (unsigned)tsvc_tsr_fail_info(tsr),
                       tsvc_tsr_status_string(tsr));
        goto out;
    }
    tsvc_hash_alg hash = tst->info.hash;
    if (!tsvc__tsp_hash_default_ok(hash)) {
        st = tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.lta.imprint", -1,
                       "the token's imprint hash is not SHA-256, SHA-384 or SHA-512");
        goto out;
    }
    if ((st = tsvc__cms_parse(ctx, cms_der, cms_len, &cms, err)) != TSVC_OK ||
        (st = new_imprint(ctx, cms, signer_index, content, content_len, version, hash, md,
                          &index, err)) != TSVC_OK)
        goto out;
    if (!tsvc__cbs_equal(&tst->info.digest, md, tsvc__hash_size(hash))) {
        st = tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.lta.imprint", -1,
                       "the token's imprint is not the archive time-stamp v%d imprint of this "
                       "signature as it is now",
                       (int)version);
        goto out;
    }
    if (tsq != NULL) {
        size_t nl = 0;
        const uint8_t *n = tsvc_tsq_nonce(tsq, &nl);
        if (n != NULL && !(tst->info.has_nonce && tsvc__cbs_equal(&tst->info.nonce, n, nl))) {
            st = tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.lta.nonce", -1,
                           "the response does not echo the request's nonce");
            goto out;
        }
    }
    if (version == TSVC_ATS_V3) {
        if (tst->cms->num_signers != 1) {
            st = tsvc__err(err, TSVC_ERR_TSP_FORMAT, "ades.lta.token", -1,
                           "the token must have one SignerInfo");
            goto out;
        }
        if ((st = tsvc__cms_add_unsigned_attr(tst->cms, 0, OID(TSVC__OID_AA_ATS_HASH_INDEX_V3),
                                              index.data, index.len, &token, err)) != TSVC_OK)
            goto out;
        st = tsvc__cms_add_unsigned_attr(cms, signer_index, OID(TSVC__OID_AA_ATS_V3),
                                         token.data, token.len, out, err);
    } else {
        st = tsvc__cms_add_unsigned_attr(cms, signer_index, OID(TSVC__OID_AA_ATS_V2),
                                         tst->cms->der, tst->cms->der_len, out, err);
    }
out:
    tsvc_buf_dispose(&index);
    tsvc_buf_dispose(&token);
    tsvc__cms_free(cms);
    tsvc_tsr_free(tsr);
    return st;
}

tsvc_status tsvc_ats_timestamp_signature(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms,
                                         size_t cms_len, size_t signer_index,
                                         const uint8_t *content, size_t content_len,
                                         tsvc_ats_version version, const char *url,
                                         tsvc_hash_alg hash, tsvc_error **err)
{
    tsvc_tsq *tsq = NULL;
    tsvc_buf resp = TSVC_BUF_INIT;
    tsvc_status st;
    if (out == NULL || url == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lta", -1, "NULL argument");
    out->data = NULL;
    out->len = 0;
    if ((st = tsvc_tsq_new_for_archive(ctx, &tsq, cms, cms_len, signer_index, content,
                                       content_len, version, hash, err)) != TSVC_OK ||
        (st = tsvc_tsq_fetch(ctx, tsq, url, &resp, err)) != TSVC_OK)
        goto out;
    st = tsvc_ats_add_to_signature(ctx, out, cms, cms_len, signer_index, content, content_len,
                                   version, resp.data, resp.len, tsq, err);
out:
    tsvc_buf_dispose(&resp);
    tsvc_tsq_free(tsq);
    return st;
}
