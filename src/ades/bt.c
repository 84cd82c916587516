/*
 * SPDX-License-Identifier: Apache-2.0
 * CAdES B-T: signature time-stamps (ETSI EN 319 122-1 section 5.3,
 * RFC 3161 appendix A). A request over the signature value of one
 * SignerInfo, adding the token as the unsigned attribute
 * id-aa-signatureTimeStampToken (through the CMS layer's re-encoder, every
 * other byte kept), fetching it through the context's callback, and
 * verifying it: imprint over that SignerInfo's own signature value, TSA
 * validated at genTime, genTime as the proven time of the signature.
 *
 * Thread safety: reentrant; no global state.
 */
#include <stdio.h>
#include <string.h>

#include "ades/bt.h"
#include "tsp/tsp.h"

#define OID(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

static tsvc_status get_signer(const tsvc__cms *cms, size_t index, const tsvc__cms_signer **out,
                              tsvc_error **err)
{
    if (index >= cms->num_signers)
        return tsvc__err(err, TSVC_ERR_CMS_SIGNER_INDEX, "ades.bt.signer", -1,
                         "no SignerInfo %zu (the signature has %zu)", index, cms->num_signers);
    *out = &cms->signers[index];
    return TSVC_OK;
}

/* Hash of a SignerInfo's signature value (the OCTET STRING contents). */
static tsvc_status signature_digest(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                    tsvc_hash_alg hash, uint8_t *out, tsvc_error **err)
{
    return tsvc__hash_oneshot(ctx, hash, si->sig_value.data, si->sig_value.len, out, err);
}

tsvc_status tsvc_tsq_new_for_signature(tsvc_ctx *ctx, tsvc_tsq **out, const uint8_t *cms_der,
                                       size_t cms_len, size_t signer_index, tsvc_hash_alg hash,
                                       tsvc_error **err)
{
    tsvc__cms *cms = NULL;
    const tsvc__cms_signer *si = NULL;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    tsvc_status st;
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.bt", -1, "NULL argument");
    *out = NULL;
    if (ctx == NULL || cms_der == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.bt", -1, "NULL argument");
    if (!tsvc__tsp_hash_default_ok(hash))
        return tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.bt.hash", -1,
                         "message imprints use SHA-256, SHA-384 or SHA-512");
    if ((st = tsvc__cms_parse(ctx, cms_der, cms_len, &cms, err)) != TSVC_OK)
        goto out;
    if ((st = get_signer(cms, signer_index, &si, err)) != TSVC_OK ||
        (st = signature_digest(ctx, si, hash, md, err)) != TSVC_OK)
        goto out;
    if ((st = tsvc_tsq_new(ctx, out, hash, md, tsvc__hash_size(hash), err)) != TSVC_OK)
        goto out;
    tsvc_tsq_set_cert_req(*out, 1);
out:
    tsvc__cms_free(cms);
    return st;
}

tsvc_status tsvc_tst_add_to_signature(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms_der,
                                      size_t cms_len, size_t signer_index, const uint8_t *tsr_der,
                                      size_t tsr_len, const tsvc_tsq *tsq, tsvc_error **err)
{
    tsvc__cms *cms = NULL;
    tsvc_tsr *tsr = NULL;
    const tsvc__cms_signer *si = NULL;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    tsvc_status st;
    if (ctx == NULL || out == NULL || cms_der == NULL || tsr_der == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.bt", -1, "NULL argument");
    out->data = NULL;
    out->len = 0;
    if ((st = tsvc_tsr_parse(ctx, &tsr, tsr_der, tsr_len, err)) != TSVC_OK)
        goto out;
    const tsvc_tst *tst = tsvc_tsr_token(tsr);
    int status = tsvc_tsr_status(tsr);
    if ((status != TSVC_PKI_GRANTED && status != TSVC_PKI_GRANTED_WITH_MODS) || tst == NULL) {
        st = tsvc__err(err, TSVC_ERR_TSP_NOT_GRANTED, "ades.bt.status", -1,
                       "the TSA did not grant the request: %s (failInfo 0x%x) %s",
                       tsvc_pki_status_str(status), (unsigned)tsvc_tsr_fail_info(tsr),
                       tsvc_tsr_status_string(tsr));
        goto out;
    }
    if ((st = tsvc__cms_parse(ctx, cms_der, cms_len, &cms, err)) != TSVC_OK ||
        (st = get_signer(cms, signer_index, &si, err)) != TSVC_OK)
        goto out;
    tsvc_hash_alg hash = tst->info.hash;
    if (hash == TSVC_HASH_NONE) {
        st = tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.bt.imprint", -1,
                       "the token's imprint hash is unknown");
        goto out;
    }
    if ((st = signature_digest(ctx, si, hash, md, err)) != TSVC_OK)
        goto out;
    if (!tsvc__cbs_equal(&tst->info.digest, md, tsvc__hash_size(hash))) {
        st = tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.bt.imprint", -1,
                       "the token's imprint is not over this signature value");
        goto out;
    }
    if (tsq != NULL) {
        size_t nl = 0;
        const uint8_t *n = tsvc_tsq_nonce(tsq, &nl);
        if (n != NULL && !(tst->info.has_nonce && tsvc__cbs_equal(&tst->info.nonce, n, nl))) {
            st = tsvc__err(err, TSVC_ERR_TSP_HASH, "ades.bt.nonce", -1,
                           "the response does not echo the request's nonce");
            goto out;
        }
    }
    st = tsvc__cms_add_unsigned_attr(cms, signer_index, OID(TSVC__OID_AA_TIMESTAMP_TOKEN),
                                     tst->cms->der, tst->cms->der_len, out, err);
out:
    tsvc__cms_free(cms);
    tsvc_tsr_free(tsr);
    return st;
}

tsvc_status tsvc_tst_timestamp_signature(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms,
                                         size_t cms_len, size_t signer_index, const char *url,
                                         tsvc_hash_alg hash, tsvc_error **err)
{
    tsvc_tsq *tsq = NULL;
    tsvc_buf resp = TSVC_BUF_INIT;
    tsvc_status st;
    if (out == NULL || url == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.bt", -1, "NULL argument");
    if ((st = tsvc_tsq_new_for_signature(ctx, &tsq, cms, cms_len, signer_index, hash, err)) !=
            TSVC_OK ||
        (st = tsvc_tsq_fetch(ctx, tsq, url, &resp, err)) != TSVC_OK)
        goto out;
    st = tsvc_tst_add_to_signature(ctx, out, cms, cms_len, signer_index, resp.data, resp.len, tsq,
                                   err);
out:
    tsvc_buf_dispose(&resp);
    tsvc_tsq_free(tsq);
    return st;
}

tsvc_status tsvc__ades_bt_check(tsvc_ctx *ctx, tsvc_report *r, int parent, const tsvc__cms *cms,
                                size_t signer_index, tsvc_store *store,
                                const tsvc_tsp_verify_options *opts, tsvc__bt_result *res,
                                tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_report *sub = NULL;
    tsvc_tst *tst = NULL;
    const tsvc__cms_signer *si = NULL;
    tsvc_tsp_verify_options o;
    memset(res, 0, sizeof(*res));
    res->indication = TSVC_INDICATION_INDETERMINATE;
    res->subindication = TSVC_SUB_NO_POE;
    if ((st = get_signer(cms, signer_index, &si, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__tsp_opts_load(opts, &o, err)) != TSVC_OK)
        return st;
    o.nonce = NULL;
    o.nonce_len = 0;
    bool failed = false;
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cms_attr *attr = &si->uattrs[a];
        if (!tsvc__oid_equal(&attr->type, OID(TSVC__OID_AA_TIMESTAMP_TOKEN)))
            continue;
        tsvc__cbs values = attr->values;
        while (values.len > 0) {
            tsvc__cbs token;
            tsvc_error *perr = NULL;
            size_t k = res->num_tokens++;
            if (tsvc__der_get_any(&values, NULL, NULL, &token, NULL) != TSVC_OK)
                break;
            st = tsvc_tst_parse(ctx, &tst, token.data, token.len, &perr);
            if (st == TSVC_ERR_NOMEM) {
                tsvc_error_free(perr);
                st = tsvc__err_code(err, st);
                goto out;
            }
            if (st != TSVC_OK) {
                tsvc__report_add(r, parent, "signature-timestamp", TSVC_CHECK_FAILED, -1,
                                 "time-stamp %zu is malformed: %s", k,
                                 perr ? tsvc_error_message(perr) : tsvc_status_str(st));
                tsvc_error_free(perr);
                if (!failed)
                    snprintf(res->reason, sizeof(res->reason),
                             "signature time-stamp %zu is malformed", k);
                if (!failed) {
                    res->indication = TSVC_INDICATION_FAILED;
                    res->subindication = TSVC_SUB_FORMAT_FAILURE;
                }
                failed = true;
                st = TSVC_OK;
                continue;
            }
            uint8_t md[TSVC_HASH_MAX_SIZE];
            size_t md_len = 0;
            tsvc_hash_alg hash = tst->info.hash;
            if (hash != TSVC_HASH_NONE) {
                if ((st = signature_digest(ctx, si, hash, md, err)) != TSVC_OK)
                    goto out;
                md_len = tsvc__hash_size(hash);
            }
            if ((st = tsvc__report_new(ctx, "timestamp", &sub)) != TSVC_OK) {
                st = tsvc__err_code(err, st);
                goto out;
            }
            if ((st = tsvc__tsp_verify_token(ctx, sub, -1, tst, hash, md_len ? md : NULL, md_len,
                                             store, &o, err)) != TSVC_OK)
                goto out;
            bool ok = tsvc_report_indication(sub) == TSVC_INDICATION_PASSED;
            int e = tsvc__report_add(r, parent, "signature-timestamp",
                                     ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED, -1,
                                     "time-stamp %zu: %s", k, tsvc_report_reason(sub));
            if (e >= 0)
                tsvc__report_merge(r, e, sub, -1);
            if (ok) {
                if (res->num_verified == 0 || tst->info.gen_time < res->proven_time)
                    res->proven_time = tst->info.gen_time;
                res->num_verified++;
            } else if (!failed) {
                failed = true;
                res->indication = tsvc_report_indication(sub);
                res->subindication = tsvc_report_subindication(sub);
                snprintf(res->reason, sizeof(res->reason), "signature time-stamp %zu: %s", k,
                         tsvc_report_reason(sub));
            }
            tsvc_report_free(sub);
            sub = NULL;
            tsvc_tst_free(tst);
            tst = NULL;
        }
    }
    if (res->num_tokens == 0) {
        snprintf(res->reason, sizeof(res->reason), "the signature has no signature time-stamp");
        tsvc__report_add(r, parent, "signature-timestamp", TSVC_CHECK_SKIPPED, -1, "%s",
                         res->reason);
    } else if (!failed) {
        int64_t y;
        unsigned mo, d, h, mi, s;
        tsvc__time_to_civil(res->proven_time, &y, &mo, &d, &h, &mi, &s);
        res->indication = TSVC_INDICATION_PASSED;
        res->subindication = TSVC_SUB_NONE;
        snprintf(res->reason, sizeof(res->reason),
                 "the signature existed at %04lld-%02u-%02uT%02u:%02u:%02uZ (signature time-stamp)",
                 (long long)y, mo, d, h, mi, s);
    }
out:
    tsvc_report_free(sub);
    tsvc_tst_free(tst);
    return st;
}

tsvc_status tsvc_tst_verify_signature(tsvc_ctx *ctx, tsvc_report **report, const uint8_t *cms_der,
                                      size_t cms_len, size_t signer_index, tsvc_store *store,
                                      const tsvc_tsp_verify_options *opts, tsvc_error **err)
{
    tsvc__cms *cms = NULL;
    tsvc_report *r = NULL;
    tsvc__bt_result res;
    tsvc_status st;
    if (report == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.bt", -1, "NULL argument");
    *report = NULL;
    if (ctx == NULL || cms_der == NULL || store == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.bt", -1, "NULL argument");
    if (opts != NULL && opts->version != 1 && opts->version != TSVC_TSP_VERIFY_OPTIONS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, "ades.bt.options", -1,
                         "unknown options version");
    if ((st = tsvc__cms_parse(ctx, cms_der, cms_len, &cms, err)) != TSVC_OK)
        goto out;
    if ((st = tsvc__report_new(ctx, "signature-timestamp", &r)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    if ((st = tsvc__ades_bt_check(ctx, r, -1, cms, signer_index, store, opts, &res, err)) !=
        TSVC_OK)
        goto out;
    tsvc__report_set_outcome(r, res.indication, res.subindication, "%s", res.reason);
    if (res.num_verified > 0 && res.indication == TSVC_INDICATION_PASSED)
        tsvc__report_set_time(r, res.proven_time);
    if ((st = tsvc__report_error(r)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    *report = r;
    r = NULL;
out:
    tsvc_report_free(r);
    tsvc__cms_free(cms);
    return st;
}
