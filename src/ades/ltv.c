/*
 * SPDX-License-Identifier: Apache-2.0
 * Long-term validation of CAdES signatures (ETSI EN 319 102-1 section 5.6,
 * "validation in the past"): the basic signature checks, every signature
 * and archive time-stamp (v2 and v3), proofs of existence propagated from
 * the newest time-stamp to the oldest, the signer's path, revocation and
 * algorithms judged at the best signature time, and the renewal date of
 * an archive. See trustsvc/ltv.h for the rules.
 *
 * Thread safety: reentrant; no global state.
 */
#include <stdio.h>
#include <string.h>

#include "ades/lt.h"
#include "cms/tst.h"
#include "crypto/algpolicy.h"
#include "revoke/revoke.h"
#include "tsp/tsp.h"
#include "x509/x509.h"

#define OID(lit) TSVC__LT_OID(lit)

typedef enum ts_kind { TS_SIG = 0, TS_ATS_V2 = 2, TS_ATS_V3 = 3 } ts_kind;

typedef struct ts_info {
    ts_kind kind;
    tsvc__cbs value;     /* the token element inside the signature */
    tsvc__cbs type_el;   /* the attribute's attrType element */
    tsvc_tst *tst;
    int64_t gen_time;
    bool verified;       /* imprint, token signature and TSA path at genTime */
    bool usable;         /* verified and acceptable at its proof of existence */
    int64_t poe;
    tsvc_indication ind;
    tsvc_subindication sub;
    char reason[512];
    int entry;
    const uint8_t *index; /* v3: the ATSHashIndexV3 element (in the token) */
    size_t index_len;
} ts_info;

struct tsvc_ltv_report {
    const tsvc_ctx *ctx;
    tsvc_indication ind;
    tsvc_subindication sub;
    char reason[1024];
    int64_t when;
    int64_t best;
    bool has_poe;
    const char *level;
    size_t num_ats;
    tsvc_ats_version ats_version[TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS];
    int64_t ats_time[TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS];
    tsvc_indication ats_ind[TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS];
    bool has_renewal;
    int64_t renewal;
    tsvc_report *checks;
};

typedef struct vctx {
    tsvc_ctx *ctx;
    tsvc_ltv_report *r;
    const tsvc_ltv_options *o;
    const tsvc_algorithm_policy *ap;
    tsvc__lt_material *m;
    tsvc_store *store;   /* the caller's */
    tsvc_store *tsstore; /* anchors + intermediates + material */
    tsvc__cms *cms;
    size_t signer;
    const uint8_t *content;
    size_t content_len;
    bool fetch;
    bool decided;
    ts_info ts[TSVC__LT_MAX_TOKENS];
    size_t num_ts;
} vctx;

static void decide(vctx *v, tsvc_indication ind, tsvc_subindication sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void decide(vctx *v, tsvc_indication ind, tsvc_subindication sub, const char *fmt, ...)
{
    va_list ap;
    if (v->decided)
        return;
    v->decided = true;
    v->r->ind = ind;
    v->r->sub = sub;
    va_start(ap, fmt);
    vsnprintf(v->r->reason, sizeof(v->r->reason), fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Report accessors                                                    */
/* ------------------------------------------------------------------ */

void tsvc_ltv_options_init(tsvc_ltv_options *opts)
{
    if (opts != NULL) {
        tsvc_ltv_options d = TSVC_LTV_OPTIONS_INIT;
        *opts = d;
    }
}

void tsvc_ltv_report_free(tsvc_ltv_report *r)
{
    if (r == NULL)
        return;
    tsvc_report_free(r->checks);
    tsvc__free(r->ctx, r);
}

tsvc_indication tsvc_ltv_report_indication(const tsvc_ltv_report *r)
{
    return r ? r->ind : TSVC_INDICATION_NONE;
}

tsvc_subindication tsvc_ltv_report_subindication(const tsvc_ltv_report *r)
{
    return r ? r->sub : TSVC_SUB_NONE;
}

const char *tsvc_ltv_report_reason(const tsvc_ltv_report *r)
{
    return r ? r->reason : "";
}

int64_t tsvc_ltv_report_time(const tsvc_ltv_report *r)
{
    return r ? r->when : 0;
}

int tsvc_ltv_report_best_signature_time(const tsvc_ltv_report *r, int64_t *when)
{
    if (r == NULL)
        return 0;
    if (when != NULL)
        *when = r->best;
    return r->has_poe ? 1 : 0;
}

const char *tsvc_ltv_report_level(const tsvc_ltv_report *r)
{
    return r && r->level ? r->level : "";
}

size_t tsvc_ltv_report_num_archive_timestamps(const tsvc_ltv_report *r)
{
    return r ? r->num_ats : 0;
}

tsvc_ats_version tsvc_ltv_report_archive_timestamp_version(const tsvc_ltv_report *r, size_t i)
{
    return r && i < r->num_ats ? r->ats_version[i] : TSVC_ATS_NONE;
}

int64_t tsvc_ltv_report_archive_timestamp_time(const tsvc_ltv_report *r, size_t i)
{
    return r && i < r->num_ats ? r->ats_time[i] : 0;
}

tsvc_indication tsvc_ltv_report_archive_timestamp_indication(const tsvc_ltv_report *r, size_t i)
{
    return r && i < r->num_ats ? r->ats_ind[i] : TSVC_INDICATION_NONE;
}

int tsvc_ltv_report_renewal_date(const tsvc_ltv_report *r, int64_t *when)
{
    if (r == NULL || !r->has_renewal)
        return 0;
    if (when != NULL)
        *when = r->renewal;
    return 1;
}

const tsvc_report *tsvc_ltv_report_checks(const tsvc_ltv_report *r)
{
    return r ? r->checks : NULL;
}

static void json_time(tsvc__json *j, int64_t t)
{
    char s[32];
    tsvc__lt_fmt_time(t, s);
    tsvc__json_str(j, s);
}

tsvc_status tsvc_ltv_report_to_json(const tsvc_ltv_report *r, tsvc_buf *out, tsvc_error **err)
{
    tsvc__json j;
    tsvc_buf checks = TSVC_BUF_INIT;
    tsvc_status st;
    if (r == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "report and out are required");
    if ((st = tsvc_report_to_json(r->checks, &checks, err)) != TSVC_OK)
        return st;
    tsvc__json_init(&j, r->ctx);
    tsvc__json_raw(&j, "{\"indication\":", 14);
    tsvc__json_str(&j, tsvc_indication_str((int)r->ind));
    tsvc__json_raw(&j, ",\"subindication\":", 17);
    tsvc__json_str(&j, tsvc_subindication_str((int)r->sub));
    tsvc__json_raw(&j, ",\"reason\":", 10);
    tsvc__json_str(&j, r->reason);
    tsvc__json_raw(&j, ",\"time\":", 8);
    json_time(&j, r->when);
    tsvc__json_raw(&j, ",\"best_signature_time\":", 23);
    json_time(&j, r->best);
    tsvc__json_raw(&j, ",\"proven\":", 10);
    tsvc__json_raw(&j, r->has_poe ? "true" : "false", r->has_poe ? 4 : 5);
    tsvc__json_raw(&j, ",\"level\":", 9);
    tsvc__json_str(&j, tsvc_ltv_report_level(r));
    tsvc__json_raw(&j, ",\"archive_timestamps\":[", 23);
    for (size_t i = 0; i < r->num_ats; i++) {
        if (i > 0)
            tsvc__json_raw(&j, ",", 1);
        tsvc__json_raw(&j, "{\"version\":", 11);
        tsvc__json_int(&j, (int64_t)r->ats_version[i]);
        tsvc__json_raw(&j, ",\"time\":", 8);
        json_time(&j, r->ats_time[i]);
        tsvc__json_raw(&j, ",\"indication\":", 14);
        tsvc__json_str(&j, tsvc_indication_str((int)r->ats_ind[i]));
        tsvc__json_raw(&j, "}", 1);
    }
    tsvc__json_raw(&j, "],\"renewal_date\":", 17);
    if (r->has_renewal)
        json_time(&j, r->renewal);
    else
        tsvc__json_raw(&j, "null", 4);
    tsvc__json_raw(&j, ",\"checks\":", 10);
    tsvc__json_raw(&j, (const char *)checks.data, checks.len);
    tsvc__json_raw(&j, "}", 1);
    tsvc_buf_dispose(&checks);
    st = tsvc__json_finish(&j, out);
    return st == TSVC_OK ? TSVC_OK : tsvc__err_code(err, st);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *kind_name(ts_kind k)
{
    switch (k) {
    case TS_SIG:
        return "signature-timestamp";
    case TS_ATS_V2:
        return "archive-timestamp-v2";
    default:
        return "archive-timestamp-v3";
    }
}

static void cert_text(const tsvc_cert *c, char *out, size_t size)
{
    tsvc_buf t = TSVC_BUF_INIT;
    out[0] = '\0';
    if (c != NULL && tsvc_cert_subject_text(c, &t, NULL) == TSVC_OK && t.data != NULL)
        snprintf(out, size, "%.*s", (int)(t.len > 200 ? 200 : t.len), (const char *)t.data);
    tsvc_buf_dispose(&t);
}

static bool is_store_anchor(const tsvc_store *store, const tsvc_cert *c)
{
    for (size_t i = 0; i < store->num_anchors; i++) {
        const tsvc_cert *a = store->anchors[i].cert;
        if (a != NULL && a->der_len == c->der_len && memcmp(a->der, c->der, c->der_len) == 0)
            return true;
    }
    return false;
}

/* Algorithms of a SignerInfo (digest, signature scheme and hash) and a key at @p when. */
static bool algs_ok(const tsvc_algorithm_policy *ap, const tsvc__cms_signer *si,
                    const tsvc_cert *cert, int64_t when, char *why, size_t why_size)
{
    tsvc_hash_alg dalg = TSVC_HASH_NONE;
    tsvc__sig_params params;
    tsvc__algpol_family fam = TSVC__ALGPOL_FAMILY_NONE;
    unsigned bits = 0;
    memset(&params, 0, sizeof(params));
    if (tsvc__hash_alg_parse(&si->digest_alg, &dalg, NULL) != TSVC_OK ||
        tsvc__cms_signer_sig_params(si, &params, NULL) != TSVC_OK) {
        snprintf(why, why_size, "unknown digest or signature algorithm");
        return false;
    }
    if (!tsvc__algpolicy_accepts(ap, TSVC_SIG_NONE, dalg, TSVC__ALGPOL_FAMILY_NONE, 0, when,
                                 NULL, why, why_size) ||
        !tsvc__algpolicy_accepts(ap, params.scheme, params.hash, TSVC__ALGPOL_FAMILY_NONE, 0,
                                 when, NULL, why, why_size))
        return false;
    if (cert != NULL && tsvc__algpolicy_spki_key(cert->spki.data, cert->spki.len, &fam, &bits) &&
        !tsvc__algpolicy_accepts(ap, TSVC_SIG_NONE, TSVC_HASH_NONE, fam, bits, when, NULL, why,
                                 why_size))
        return false;
    return true;
}

/* First time >= @p from at which algs_ok() fails (INT64_MAX: never before year 9999). */
static int64_t algs_expiry(const tsvc_algorithm_policy *ap, const tsvc__cms_signer *si,
                           const tsvc_cert *cert, int64_t from)
{
    char why[16];
    int64_t lo = from, hi = INT64_C(253402300799); /* 9999-12-31T23:59:59Z */
    if (!algs_ok(ap, si, cert, lo, why, sizeof(why)))
        return from;
    if (algs_ok(ap, si, cert, hi, why, sizeof(why)))
        return INT64_MAX;
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (algs_ok(ap, si, cert, mid, why, sizeof(why)))
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* ------------------------------------------------------------------ */
/* Time-stamps                                                         */
/* ------------------------------------------------------------------ */

static tsvc_status find_tokens(vctx *v)
{
    const tsvc__cms_signer *si = &v->cms->signers[v->signer];
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cms_attr *at = &si->uattrs[a];
        ts_kind kind;
        if (tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_TIMESTAMP_TOKEN)))
            kind = TS_SIG;
        else if (tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_ATS_V2)))
            kind = TS_ATS_V2;
        else if (tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_ATS_V3)))
            kind = TS_ATS_V3;
        else
            continue;
        tsvc__cbs el = at->element, c, type_el, values = at->values;
        if (tsvc__der_get(&el, TSVC__TAG_SEQUENCE, &c, NULL) != TSVC_OK ||
            tsvc__der_get_element(&c, TSVC__TAG_OID, &type_el, NULL) != TSVC_OK)
            continue;
        while (values.len > 0) {
            tsvc__cbs tok;
            if (tsvc__der_get_any(&values, NULL, NULL, &tok, NULL) != TSVC_OK)
                break;
            size_t num_ats = 0;
            for (size_t k = 0; k < v->num_ts; k++)
                num_ats += v->ts[k].kind != TS_SIG;
            if (v->num_ts >= TSVC__LT_MAX_TOKENS ||
                (kind != TS_SIG && num_ats >= TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS))
                return TSVC_ERR_LIMIT_COUNT;
            ts_info *t = &v->ts[v->num_ts++];
            memset(t, 0, sizeof(*t));
            t->kind = kind;
            t->value = tok;
            t->type_el = type_el;
            t->entry = -1;
            t->ind = TSVC_INDICATION_INDETERMINATE;
            t->sub = TSVC_SUB_NO_POE;
        }
    }
    return TSVC_OK;
}

/* Verifies one token: the imprint its kind calls for, its signature, the
 * TSA at genTime. */
static tsvc_status verify_token(vctx *v, ts_info *t, tsvc_error **err)
{
    tsvc_report *sub = NULL;
    tsvc_error *perr = NULL;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    size_t md_len = 0;
    char why[300] = "";
    tsvc_status st = tsvc_tst_parse(v->ctx, &t->tst, t->value.data, t->value.len, &perr);
    if (st == TSVC_ERR_NOMEM) {
        tsvc_error_free(perr);
        return tsvc__err_code(err, st);
    }
    if (st != TSVC_OK) {
        t->ind = TSVC_INDICATION_FAILED;
        t->sub = TSVC_SUB_FORMAT_FAILURE;
        snprintf(t->reason, sizeof(t->reason), "malformed token: %s",
                 perr ? tsvc_error_message(perr) : tsvc_status_str(st));
        tsvc_error_free(perr);
        t->entry = tsvc__report_add(v->r->checks, -1, kind_name(t->kind), TSVC_CHECK_FAILED, -1,
                                    "%s", t->reason);
        return TSVC_OK;
    }
    t->gen_time = t->tst->info.gen_time;
    tsvc_hash_alg hash = t->tst->info.hash;
    bool imprint_ready = hash != TSVC_HASH_NONE;
    if (imprint_ready) {
        const tsvc__cms_signer *si = &v->cms->signers[v->signer];
        md_len = tsvc__hash_size(hash);
        if (t->kind == TS_SIG) {
            st = tsvc__hash_oneshot(v->ctx, hash, si->sig_value.data, si->sig_value.len, md,
                                    NULL);
        } else if (t->kind == TS_ATS_V2) {
            st = tsvc__lta_imprint_v2(v->ctx, v->cms, v->signer, v->content, v->content_len, hash,
                                      &t->value, t->gen_time, md, NULL);
        } else {
            const tsvc__cms_signer *tsi =
                t->tst->cms->num_signers > 0 ? &t->tst->cms->signers[0] : NULL;
            size_t count = 0;
            const tsvc__cms_attr *ix =
                tsi ? tsvc__cms_find_attr(tsi->uattrs, tsi->num_uattrs,
                                          OID(TSVC__OID_AA_ATS_HASH_INDEX_V3), &count)
                    : NULL;
            bool ok = false;
            tsvc_hash_alg ih = TSVC_HASH_NONE;
            if (ix == NULL || count != 1 || ix->num_values != 1) {
                t->ind = TSVC_INDICATION_FAILED;
                t->sub = TSVC_SUB_FORMAT_FAILURE;
                snprintf(t->reason, sizeof(t->reason),
                         "archive-time-stamp-v3 without exactly one ats-hash-index-v3");
            } else if ((st = tsvc__lta_check_index_v3(v->ctx, v->cms, v->signer, ix->first.data,
                                                      ix->first.len, &ih, &ok, why,
                                                      sizeof(why))) != TSVC_OK) {
                if (st == TSVC_ERR_NOMEM)
                    return tsvc__err_code(err, st);
                t->ind = TSVC_INDICATION_INDETERMINATE;
                t->sub = TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE;
                snprintf(t->reason, sizeof(t->reason), "the hash index cannot be computed: %s",
                         tsvc_status_str(st));
            } else if (!ok) {
                t->ind = TSVC_INDICATION_FAILED;
                t->sub = TSVC_SUB_HASH_FAILURE;
                snprintf(t->reason, sizeof(t->reason), "ats-hash-index-v3: %s", why);
            } else {
                t->index = ix->first.data;
                t->index_len = ix->first.len;
                st = tsvc__lta_imprint_v3(v->ctx, v->cms, v->signer, v->content,
                                          v->content_len, hash, ix->first.data, ix->first.len,
                                          md, NULL);
            }
            if (t->index == NULL) {
                t->entry = tsvc__report_add(v->r->checks, -1, kind_name(t->kind),
                                            TSVC_CHECK_FAILED, -1, "%s", t->reason);
                return TSVC_OK;
            }
        }
        if (st == TSVC_ERR_NOMEM)
            return tsvc__err_code(err, st);
        if (st != TSVC_OK) {
            /* No backend for the hash, or the content is missing. */
            t->ind = TSVC_INDICATION_INDETERMINATE;
            t->sub = TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE;
            snprintf(t->reason, sizeof(t->reason), "the imprint cannot be computed: %s",
                     tsvc_status_str(st));
            t->entry = tsvc__report_add(v->r->checks, -1, kind_name(t->kind), TSVC_CHECK_FAILED,
                                        -1, "%s", t->reason);
            return TSVC_OK;
        }
    }
    if ((st = tsvc__report_new(v->ctx, "timestamp", &sub)) != TSVC_OK)
        return tsvc__err_code(err, st);
    tsvc_tsp_verify_options o;
    tsvc_tsp_verify_options_init(&o);
    o.policies = v->o->tsa_policies;
    o.num_policies = v->o->num_tsa_policies;
    o.now = v->r->when;
    st = tsvc__tsp_verify_token(v->ctx, sub, -1, t->tst, hash, imprint_ready ? md : NULL, md_len,
                                v->tsstore, &o, err);
    if (st != TSVC_OK) {
        tsvc_report_free(sub);
        return st;
    }
    char gt[32];
    tsvc__lt_fmt_time(t->gen_time, gt);
    t->verified = tsvc_report_indication(sub) == TSVC_INDICATION_PASSED;
    if (!t->verified) {
        t->ind = tsvc_report_indication(sub);
        t->sub = tsvc_report_subindication(sub);
        snprintf(t->reason, sizeof(t->reason), "%s", tsvc_report_reason(sub));
    }
    t->entry = tsvc__report_add(v->r->checks, -1, kind_name(t->kind),
                                t->verified ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED, -1,
                                "genTime %s: %s", gt,
                                t->verified ? "token verified" : tsvc_report_reason(sub));
    if (t->entry >= 0)
        tsvc__report_merge(v->r->checks, t->entry, sub, -1);
    tsvc_report_free(sub);
    return TSVC_OK;
}

/* Whether archive time-stamp @p j covers time-stamp @p k. */
static bool covers(const vctx *v, const ts_info *j, const ts_info *k)
{
    if (k->gen_time > j->gen_time)
        return false;
    if (j->kind == TS_ATS_V2)
        return true;
    return j->index != NULL &&
           tsvc__lta_index_lists_value(v->ctx, j->index, j->index_len, &k->type_el, &k->value);
}

/* The TSA certificate of a token: the one it carries, or the one its
 * SignerIdentifier names among the material (certReq false). */
static const tsvc_cert *tsa_cert(const vctx *v, const ts_info *t)
{
    if (t->tst->signer != NULL)
        return t->tst->signer;
    if (t->tst->cms->num_signers == 0)
        return NULL;
    return tsvc__lt_signer_cert(v->m, &t->tst->cms->signers[0]);
}

/* Is a verified token usable at its proof of existence t->poe: its TSA's
 * path not expired, not revoked then, its algorithms accepted then. */
static tsvc_status judge(vctx *v, ts_info *t, tsvc_error **err)
{
    tsvc_report *pr = NULL;
    char pt[32], why[300];
    tsvc__lt_fmt_time(t->poe, pt);
    const tsvc_cert *tsa = tsa_cert(v, t);
    if (tsa == NULL) {
        t->usable = false;
        t->ind = TSVC_INDICATION_INDETERMINATE;
        t->sub = TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND;
        snprintf(t->reason, sizeof(t->reason), "the TSA certificate was not found");
        tsvc__report_add(v->r->checks, t->entry, "proof-of-existence", TSVC_CHECK_FAILED, -1,
                         "%s", t->reason);
        return TSVC_OK;
    }
    tsvc_status st = tsvc__lt_path(v->ctx, v->m, v->store, tsa, t->gen_time, &pr, err);
    if (st != TSVC_OK)
        return st;
    size_t n = tsvc_report_chain_count(pr);
    t->usable = true;
    for (size_t k = 0; k < n && t->usable; k++) {
        const tsvc_cert *c = tsvc_report_chain_cert(pr, k);
        bool anchor = k + 1 == n && is_store_anchor(v->store, c);
        char subj[220];
        if (anchor)
            break;
        cert_text(c, subj, sizeof(subj));
        if (c->not_after < t->poe) {
            char et[32];
            tsvc__lt_fmt_time(c->not_after, et);
            t->usable = false;
            t->ind = TSVC_INDICATION_INDETERMINATE;
            t->sub = TSVC_SUB_OUT_OF_BOUNDS_NO_POE;
            snprintf(t->reason, sizeof(t->reason),
                     "TSA path certificate %zu (%s) expired at %s, before the proof of "
                     "existence of the time-stamp (%s)",
                     k, subj, et, pt);
            break;
        }
        if (k + 1 >= n)
            break;
        tsvc__lt_rev rev;
        if ((st = tsvc__lt_revocation(v->ctx, v->m, c, tsvc_report_chain_cert(pr, k + 1), t->poe,
                                      v->fetch, &rev)) != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }
        tsvc__report_add(v->r->checks, t->entry, "tsa-revocation",
                         rev.state == TSVC__LT_REV_GOOD ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED,
                         -1, "certificate %zu (%s): %s", k, subj, rev.text);
        if (rev.state == TSVC__LT_REV_REVOKED) {
            t->usable = false;
            t->ind = TSVC_INDICATION_INDETERMINATE;
            t->sub = TSVC_SUB_REVOKED_NO_POE;
            snprintf(t->reason, sizeof(t->reason), "TSA path certificate %zu (%.180s): %.280s", k, subj,
                     rev.text);
        } else if (rev.state == TSVC__LT_REV_NONE) {
            t->usable = false;
            t->ind = TSVC_INDICATION_INDETERMINATE;
            t->sub = TSVC_SUB_TRY_LATER;
            snprintf(t->reason, sizeof(t->reason), "TSA path certificate %zu (%.180s): %.280s", k, subj,
                     rev.text);
        }
    }
    if (t->usable && t->tst->cms->num_signers > 0 &&
        (!algs_ok(v->ap, &t->tst->cms->signers[0], tsa, t->poe, why, sizeof(why)) ||
         !tsvc__algpolicy_accepts(v->ap, TSVC_SIG_NONE, t->tst->info.hash,
                                  TSVC__ALGPOL_FAMILY_NONE, 0, t->poe, NULL, why,
                                  sizeof(why)))) {
        t->usable = false;
        t->ind = TSVC_INDICATION_INDETERMINATE;
        t->sub = TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE;
        snprintf(t->reason, sizeof(t->reason), "the time-stamp's algorithms at %s: %s", pt, why);
    }
    if (t->usable) {
        t->ind = TSVC_INDICATION_PASSED;
        t->sub = TSVC_SUB_NONE;
        t->reason[0] = '\0';
        tsvc__report_add(v->r->checks, t->entry, "proof-of-existence", TSVC_CHECK_PASSED, -1,
                         "usable: TSA valid, not revoked and algorithms accepted at %s", pt);
    } else {
        if (t->entry >= 0)
            tsvc__report_set_result(v->r->checks, t->entry, TSVC_CHECK_FAILED);
        tsvc__report_add(v->r->checks, t->entry, "proof-of-existence", TSVC_CHECK_FAILED, -1,
                         "%s", t->reason);
    }
out:
    tsvc_report_free(pr);
    return st;
}

/* ------------------------------------------------------------------ */
/* ES-C references (JIS X 5092 ES-XL, ETSI TS 101 733)                 */
/* ------------------------------------------------------------------ */

/* Whether an OtherHash names @p data (SHA-1 octets, or an algorithm and a value). */
static bool other_hash_names(const tsvc_ctx *ctx, tsvc__cbs oh, const uint8_t *data, size_t len)
{
    tsvc__cbs c, alg, value;
    tsvc_hash_alg h = TSVC_HASH_SHA1;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    if (tsvc__der_peek_tag(&oh, TSVC__TAG_OCTET_STRING)) {
        if (tsvc__der_get(&oh, TSVC__TAG_OCTET_STRING, &value, NULL) != TSVC_OK)
            return false;
    } else if (tsvc__der_get(&oh, TSVC__TAG_SEQUENCE, &c, NULL) != TSVC_OK ||
               tsvc__der_get_element(&c, TSVC__TAG_SEQUENCE, &alg, NULL) != TSVC_OK ||
               tsvc__hash_alg_parse(&alg, &h, NULL) != TSVC_OK ||
               tsvc__der_get(&c, TSVC__TAG_OCTET_STRING, &value, NULL) != TSVC_OK) {
        return false;
    }
    return tsvc__hash_oneshot(ctx, h, data, len, md, NULL) == TSVC_OK &&
           tsvc__cbs_equal(&value, md, tsvc__hash_size(h));
}

/* Counts the references that name nothing in the material. */
static size_t missing_refs(const vctx *v, tsvc__cbs refs, bool revocation, size_t *total)
{
    size_t missing = 0;
    const tsvc__lt_material *m = v->m;
    while (refs.len > 0) {
        tsvc__cbs item, oh;
        if (tsvc__der_get(&refs, TSVC__TAG_SEQUENCE, &item, NULL) != TSVC_OK)
            return missing + 1;
        if (!revocation) {
            bool found = false;
            (*total)++;
            if (tsvc__der_get_any(&item, NULL, NULL, &oh, NULL) != TSVC_OK)
                return missing + 1;
            for (size_t i = 0; i < m->num_certs && !found; i++)
                found = other_hash_names(v->ctx, oh, m->certs[i]->der, m->certs[i]->der_len);
            missing += !found;
            continue;
        }
        /* CrlOcspRef: [0] CRLListID, [1] OcspListID (EXPLICIT). */
        for (uint32_t k = 0; k < 2; k++) {
            tsvc__cbs tagged, list, ids;
            bool present = false;
            if (tsvc__der_get_optional(&item, TSVC__TAG_CONTEXT_C(k), &tagged, &present, NULL) !=
                TSVC_OK)
                return missing + 1;
            if (!present)
                continue;
            if (tsvc__der_get(&tagged, TSVC__TAG_SEQUENCE, &list, NULL) != TSVC_OK ||
                tsvc__der_get(&list, TSVC__TAG_SEQUENCE, &ids, NULL) != TSVC_OK)
                return missing + 1;
            while (ids.len > 0) {
                tsvc__cbs id, first;
                bool found = false;
                if (tsvc__der_get(&ids, TSVC__TAG_SEQUENCE, &id, NULL) != TSVC_OK ||
                    tsvc__der_get_any(&id, NULL, NULL, &first, NULL) != TSVC_OK)
                    return missing + 1;
                (*total)++;
                if (k == 0) { /* CrlValidatedID: crlHash first */
                    for (size_t i = 0; i < m->num_crls && !found; i++)
                        found = other_hash_names(v->ctx, first, m->crls[i]->der,
                                                 m->crls[i]->der_len);
                } else { /* OcspResponsesID: OcspIdentifier, then ocspRepHash (optional) */
                    tsvc__cbs h;
                    if (id.len == 0) {
                        found = true; /* no hash to check */
                    } else if (tsvc__der_get_any(&id, NULL, NULL, &h, NULL) == TSVC_OK) {
                        for (size_t i = 0; i < m->num_ocsp && !found; i++)
                            found = other_hash_names(v->ctx, h, m->ocsp[i]->der,
                                                     m->ocsp[i]->der_len);
                    }
                }
                missing += !found;
            }
        }
    }
    return missing;
}

/* Reports whether the ES-C references name values the signature (or the
 * store) holds. Informational: the values themselves are what validation uses. */
static void check_es_c(vctx *v)
{
    const tsvc__cms_signer *si = &v->cms->signers[v->signer];
    for (int which = 0; which < 2; which++) {
        size_t count = 0, total = 0;
        const tsvc__cms_attr *a = tsvc__cms_find_attr(
            si->uattrs, si->num_uattrs,
            which == 0 ? (const uint8_t *)TSVC__OID_AA_COMPLETE_CERT_REFS
                       : (const uint8_t *)TSVC__OID_AA_COMPLETE_REV_REFS,
            which == 0 ? sizeof(TSVC__OID_AA_COMPLETE_CERT_REFS) - 1
                       : sizeof(TSVC__OID_AA_COMPLETE_REV_REFS) - 1,
            &count);
        if (a == NULL)
            continue;
        tsvc__cbs refs, f = a->first;
        size_t missing = 1;
        if (count == 1 && a->num_values == 1 &&
            tsvc__der_get(&f, TSVC__TAG_SEQUENCE, &refs, NULL) == TSVC_OK)
            missing = missing_refs(v, refs, which == 1, &total);
        const char *name =
            which == 0 ? "complete-certificate-references" : "complete-revocation-references";
        if (missing == 0)
            tsvc__report_add(v->r->checks, -1, name, TSVC_CHECK_PASSED, -1,
                             "each of the %zu references names a value present", total);
        else
            tsvc__report_add(v->r->checks, -1, name, TSVC_CHECK_FAILED, -1,
                             "%zu of the references name no value present (or the attribute is "
                             "malformed or repeated)",
                             missing);
    }
}

/* ------------------------------------------------------------------ */
/* The signer at the best signature time                               */
/* ------------------------------------------------------------------ */

static void at_decide(tsvc__lt_decision *d, tsvc_indication ind, tsvc_subindication sub,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void at_decide(tsvc__lt_decision *d, tsvc_indication ind, tsvc_subindication sub,
                      const char *fmt, ...)
{
    va_list ap;
    if (d->decided)
        return;
    d->decided = true;
    d->ind = ind;
    d->sub = sub;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
    va_end(ap);
}

tsvc_status tsvc__lt_signer_at(tsvc_ctx *ctx, tsvc__lt_material *m, const tsvc_store *store,
                               const tsvc_algorithm_policy *ap, const tsvc_cert *sc,
                               int64_t best, bool proven, tsvc_revocation_mode rev_mode,
                               bool fetch, tsvc_report *r, int parent, tsvc__lt_decision *d,
                               tsvc_error **err)
{
    tsvc_report *pr = NULL;
    char bt[32], why[300];
    tsvc__lt_fmt_time(best, bt);
    tsvc_status st = tsvc__lt_path(ctx, m, store, sc, best, &pr, err);
    if (st != TSVC_OK)
        return st;
    int g = tsvc__report_add(r, parent, "certificate-validation",
                             tsvc_report_indication(pr) == TSVC_INDICATION_PASSED
                                 ? TSVC_CHECK_PASSED
                                 : TSVC_CHECK_FAILED,
                             -1, "the signer's path at the best signature time %s: %s", bt,
                             tsvc_report_reason(pr));
    if (g >= 0)
        tsvc__report_merge(r, g, pr, 0);
    if (tsvc_report_indication(pr) != TSVC_INDICATION_PASSED) {
        tsvc_subindication s = tsvc_report_subindication(pr);
        if (s == TSVC_SUB_EXPIRED)
            at_decide(d, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_OUT_OF_BOUNDS_NO_POE,
                      "a certificate of the signer's path had expired at the best signature "
                      "time %s (%s): no proof that the signature existed before",
                      bt, tsvc_report_reason(pr));
        else
            at_decide(d, tsvc_report_indication(pr), s,
                      "the signer's path at the best signature time %s: %s", bt,
                      tsvc_report_reason(pr));
        goto out;
    }
    size_t n = tsvc_report_chain_count(pr);
    for (size_t k = 0; k + 1 < n && rev_mode != TSVC_REVOCATION_NONE; k++) {
        const tsvc_cert *c = tsvc_report_chain_cert(pr, k);
        char subj[220];
        cert_text(c, subj, sizeof(subj));
        tsvc__lt_rev rev;
        if ((st = tsvc__lt_revocation(ctx, m, c, tsvc_report_chain_cert(pr, k + 1), best, fetch,
                                      &rev)) != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }
        tsvc__report_add(r, g, "revocation",
                         rev.state == TSVC__LT_REV_GOOD ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED,
                         (int)k, "certificate %zu (%s): %s", k, subj, rev.text);
        if (rev.state == TSVC__LT_REV_REVOKED) {
            if (proven)
                at_decide(d, TSVC_INDICATION_FAILED, TSVC_SUB_REVOKED,
                          "certificate %zu of the signer's path (%s) was %s: before the best "
                          "signature time %s",
                          k, subj, rev.text, bt);
            else
                at_decide(d, TSVC_INDICATION_INDETERMINATE,
                          k == 0 ? TSVC_SUB_REVOKED_NO_POE : TSVC_SUB_REVOKED_CA_NO_POE,
                          "certificate %zu of the signer's path (%s) is %s; no time-stamp "
                          "proves the signature existed before",
                          k, subj, rev.text);
        } else if (rev.state == TSVC__LT_REV_NONE && rev_mode == TSVC_REVOCATION_HARD_FAIL) {
            at_decide(d, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TRY_LATER,
                      "no revocation data for certificate %zu of the signer's path (%s) at the "
                      "best signature time %s: %s%s",
                      k, subj, bt, rev.text,
                      m->any_embedded_revocation
                          ? ""
                          : "; the signature carries no revocation values (it is not B-LT) and "
                            "the store has none that apply");
        }
    }
    /* Algorithms of the path at the best signature time. */
    for (size_t k = 0; k < n; k++) {
        const tsvc_cert *cc = tsvc_report_chain_cert(pr, k);
        bool anchor = k + 1 == n && cc->self_issued;
        if (!tsvc__algpolicy_check_cert(ap, &cc->sig_params, !anchor, cc->spki.data,
                                        cc->spki.len, best, why, sizeof(why))) {
            tsvc__report_add(r, g, "crypto-constraints", TSVC_CHECK_FAILED, (int)k, "%s", why);
            at_decide(d, TSVC_INDICATION_INDETERMINATE,
                      TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
                      "certificate %zu of the signer's path at the best signature time %s: %s",
                      k, bt, why);
        }
    }
out:
    tsvc_report_free(pr);
    return st;
}

static tsvc_status signer_in_the_past(vctx *v, const tsvc_cert *sc, int64_t best, bool proven,
                                      tsvc_error **err)
{
    tsvc__lt_decision d;
    memset(&d, 0, sizeof(d));
    tsvc_status st = tsvc__lt_signer_at(v->ctx, v->m, v->store, v->ap, sc, best, proven,
                                        TSVC_REVOCATION_HARD_FAIL, v->fetch, v->r->checks, -1,
                                        &d, err);
    if (d.decided)
        decide(v, d.ind, d.sub, "%s", d.reason);
    return st;
}

/* Copies the basic signature checks under @p parent, leaving out those
 * made at the validation time that the long-term rules judge again at the
 * best signature time (the signer's path, algorithms, the signature
 * time-stamps). */
static void copy_basic(tsvc_report *dst, int parent, const tsvc_report *src)
{
    size_t n = tsvc_report_num_checks(src);
    int map[TSVC__REPORT_MAX_CHECKS];
    if (n > TSVC__REPORT_MAX_CHECKS)
        n = TSVC__REPORT_MAX_CHECKS;
    for (size_t k = 0; k < n; k++) {
        int p = tsvc_report_check_parent(src, k);
        const char *name = tsvc_report_check_name(src, k);
        map[k] = -1;
        if (p < 0 && (strcmp(name, "certificate-validation") == 0 ||
                      strcmp(name, "crypto-constraints") == 0 ||
                      strcmp(name, "signature-timestamp") == 0 ||
                      strcmp(name, "best-signature-time") == 0))
            continue;
        if (p >= 0 && ((size_t)p >= k || map[p] < 0))
            continue;
        const char *msg = tsvc_report_check_message(src, k);
        map[k] = tsvc__report_add(dst, p < 0 ? parent : map[p], name,
                                  tsvc_report_check_result(src, k), -1, "%s", msg ? msg : "");
    }
}

/* The level a SignerInfo has, from its structure: archive time-stamps
 * (B-LTA), revocation values in SignedData.crls or a revocation-values
 * attribute (B-LT), a signature time-stamp (B-T), else B-B. */
static const char *level_of(const tsvc__cms *cms, size_t signer)
{
    const tsvc__cms_signer *si = &cms->signers[signer];
    bool ats = false, values = cms->num_crls > 0, ts = false;
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cbs *t = &si->uattrs[a].type;
        ats |= tsvc__oid_equal(t, OID(TSVC__OID_AA_ATS_V2)) ||
               tsvc__oid_equal(t, OID(TSVC__OID_AA_ATS_V3));
        values |= tsvc__oid_equal(t, OID(TSVC__OID_AA_REVOCATION_VALUES));
        ts |= tsvc__oid_equal(t, OID(TSVC__OID_AA_TIMESTAMP_TOKEN));
    }
    return ats ? "B-LTA" : values ? "B-LT" : ts ? "B-T" : "B-B";
}

static bool entry_passed(const tsvc_report *r, const char *name)
{
    size_t n = tsvc_report_num_checks(r);
    for (size_t k = 0; k < n; k++)
        if (tsvc_report_check_parent(r, k) == -1 &&
            strcmp(tsvc_report_check_name(r, k), name) == 0)
            return tsvc_report_check_result(r, k) == TSVC_CHECK_PASSED;
    return false;
}

/* ------------------------------------------------------------------ */
/* tsvc_ltv_verify                                                     */
/* ------------------------------------------------------------------ */

/*
 * The SignedData the basic checks (tsvc_verify()) run on: v->cms as it
 * is when the signer has no signature time-stamp, else a copy without the
 * signer's signature-time-stamp attributes (every other byte kept;
 * unsigned attributes are not signed). The long-term pass verifies each
 * of those tokens itself, with the validation data the signature carries,
 * and copy_basic() never took tsvc_verify()'s "signature-timestamp" and
 * "best-signature-time" entries: checking the tokens there too only
 * repeated the work (token signature, TSA path). On success *data and
 * *len point into v->cms or into @p copy, which the caller disposes.
 */
static tsvc_status basic_input(const vctx *v, tsvc_buf *copy, const uint8_t **data, size_t *len,
                               tsvc_error **err)
{
    const tsvc__cms_signer *si = &v->cms->signers[v->signer];
    size_t n = 0;
    *data = v->cms->der;
    *len = v->cms->der_len;
    if (tsvc__cms_find_attr(si->uattrs, si->num_uattrs, OID(TSVC__OID_AA_TIMESTAMP_TOKEN), &n) ==
        NULL)
        return TSVC_OK;
    tsvc__cbb cbb;
    tsvc_buf set = TSVC_BUF_INIT;
    size_t kept = 0;
    tsvc__cbb_init(&cbb, v->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cms_attr *at = &si->uattrs[a];
        if (tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_TIMESTAMP_TOKEN)))
            continue;
        /* The others in their order (a subset of a DER SET OF stays sorted). */
        tsvc__cbb_add_bytes(&cbb, at->element.data, at->element.len);
        kept++;
    }
    tsvc__cbb_close(&cbb);
    tsvc_status st = tsvc__cbb_finish(&cbb, &set);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    tsvc__cms_edit edit;
    memset(&edit, 0, sizeof(edit));
    edit.signer = v->signer;
    edit.replace_unsigned = true;
    edit.unsigned_attrs = kept > 0 ? set.data : NULL;
    edit.unsigned_attrs_len = kept > 0 ? set.len : 0;
    st = tsvc__cms_rebuild(v->cms, &edit, copy, err);
    tsvc_buf_dispose(&set);
    if (st != TSVC_OK)
        return st;
    *data = copy->data;
    *len = copy->len;
    return TSVC_OK;
}

static tsvc_status run(vctx *v, tsvc_error **err)
{
    tsvc_ltv_report *r = v->r;
    tsvc_sig_report *sr = NULL;
    tsvc_policy *pol = NULL;
    tsvc_cert *sc = NULL;
    tsvc_status st;
    char why[300];

    /* 1. The signature itself. */
    tsvc_verify_options vo;
    tsvc_verify_options_init(&vo);
    vo.profile = v->o->profile;
    vo.algorithm_policy = v->o->algorithm_policy;
    if ((st = tsvc_policy_new(v->ctx, &pol, err)) != TSVC_OK ||
        (st = tsvc_policy_set_time(pol, r->when, err)) != TSVC_OK)
        goto out;
    {
        tsvc_buf copy = TSVC_BUF_INIT;
        const uint8_t *basic = NULL;
        size_t basic_len = 0;
        st = basic_input(v, &copy, &basic, &basic_len, err);
        if (st == TSVC_OK)
            st = tsvc_verify(v->ctx, &sr, basic, basic_len, v->content, v->content_len, v->store,
                             pol, &vo, err);
        tsvc_buf_dispose(&copy);
        if (st != TSVC_OK)
            goto out;
    }
    const tsvc_report *bc = tsvc_sig_report_signer_checks(sr, v->signer);
    if (bc == NULL) {
        decide(v, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE, "%s",
               tsvc_sig_report_reason(sr));
        goto out;
    }
    bool crypto_ok = entry_passed(bc, "message-digest") && entry_passed(bc, "signature");
    int g = tsvc__report_add(r->checks, -1, "signature",
                             crypto_ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED, -1, "%s",
                             crypto_ok ? "format, signing certificate, message digest and "
                                         "signature value verified"
                                       : tsvc_sig_report_signer_reason(sr, v->signer));
    if (g >= 0)
        copy_basic(r->checks, g, bc);
    if (!crypto_ok) {
        decide(v, tsvc_sig_report_signer_indication(sr, v->signer),
               tsvc_sig_report_signer_subindication(sr, v->signer), "%s",
               tsvc_sig_report_signer_reason(sr, v->signer));
        goto out;
    }
    sc = tsvc_cert_ref((tsvc_cert *)(uintptr_t)tsvc_sig_report_signer_cert(sr, v->signer));
    if (sc == NULL) {
        decide(v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND,
               "the signing certificate was not found");
        goto out;
    }

    /* 2. Material and time-stamps. */
    st = tsvc__lt_collect(v->m, v->cms, v->signer);
    if (st == TSVC_OK)
        st = tsvc__lt_add_store(v->m, v->store);
    for (size_t i = 0; i < v->store->num_inter && st == TSVC_OK; i++)
        st = tsvc__lt_add_cert_der(v->m, v->store->inter[i]->der, v->store->inter[i]->der_len,
                                   NULL);
    if (st == TSVC_OK)
        st = find_tokens(v);
    if (st == TSVC_ERR_LIMIT_COUNT) {
        decide(v, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE,
               "the signature holds more validation data or time-stamps than the limits (%u "
               "archive time-stamps, %u revocation values, %u certificates)",
               (unsigned)TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS,
               (unsigned)TSVC_LTV_MAX_REVOCATION_VALUES, (unsigned)TSVC__LT_MAX_CERTS);
        st = TSVC_OK;
        goto out;
    }
    if (st != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    if ((st = tsvc__lt_store(v->ctx, v->m, v->store, &v->tsstore)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    check_es_c(v);
    for (size_t i = 0; i < v->num_ts; i++)
        if ((st = verify_token(v, &v->ts[i], err)) != TSVC_OK)
            goto out;

    /* Archive time-stamps in genTime order, for the report. */
    size_t order[TSVC__LT_MAX_TOKENS], n_order = 0;
    for (size_t i = 0; i < v->num_ts; i++) {
        size_t k = n_order++;
        order[k] = i;
        while (k > 0 && v->ts[order[k - 1]].gen_time > v->ts[order[k]].gen_time) {
            size_t tmp = order[k - 1];
            order[k - 1] = order[k];
            order[k] = tmp;
            k--;
        }
    }

    /* A tampered or malformed time-stamp fails the signature. */
    for (size_t i = 0; i < v->num_ts; i++) {
        const ts_info *t = &v->ts[i];
        if (t->ind == TSVC_INDICATION_FAILED) {
            char gt[32];
            tsvc__lt_fmt_time(t->gen_time, gt);
            decide(v, TSVC_INDICATION_FAILED, t->sub, "%s (genTime %s): %s", kind_name(t->kind),
                   t->tst ? gt : "unknown", t->reason);
        }
    }

    /* Order: archive time-stamps after signature time-stamps; the claimed
     * signing time not after the signature time-stamps. */
    {
        int64_t max_sig = INT64_MIN, min_sig = INT64_MAX, min_ats = INT64_MAX;
        for (size_t i = 0; i < v->num_ts; i++) {
            const ts_info *t = &v->ts[i];
            if (!t->verified)
                continue;
            if (t->kind == TS_SIG) {
                max_sig = t->gen_time > max_sig ? t->gen_time : max_sig;
                min_sig = t->gen_time < min_sig ? t->gen_time : min_sig;
            } else if (t->gen_time < min_ats) {
                min_ats = t->gen_time;
            }
        }
        int64_t claimed = 0;
        if (min_ats != INT64_MAX && max_sig != INT64_MIN && min_ats < max_sig) {
            tsvc__report_add(r->checks, -1, "timestamp-order", TSVC_CHECK_FAILED, -1,
                             "an archive time-stamp is earlier than a signature time-stamp");
            decide(v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TIMESTAMP_ORDER_FAILURE,
                   "an archive time-stamp is earlier than a signature time-stamp");
        } else if (min_sig != INT64_MAX &&
                   tsvc_sig_report_signer_signing_time(sr, v->signer, &claimed) &&
                   claimed > min_sig) {
            tsvc__report_add(r->checks, -1, "timestamp-order", TSVC_CHECK_FAILED, -1,
                             "the claimed signing time is after the signature time-stamp");
            decide(v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_TIMESTAMP_ORDER_FAILURE,
                   "the claimed signing time is after the signature time-stamp");
        } else if (v->num_ts > 0) {
            tsvc__report_add(r->checks, -1, "timestamp-order", TSVC_CHECK_PASSED, -1,
                             "signing time, signature time-stamps and archive time-stamps in "
                             "order");
        }
    }

    /* 3. Proofs of existence, newest first. */
    for (size_t q = n_order; q-- > 0;) {
        ts_info *t = &v->ts[order[q]];
        if (!t->verified)
            continue;
        t->poe = r->when;
        for (size_t p = q + 1; p < n_order; p++) {
            const ts_info *j = &v->ts[order[p]];
            if (j->usable && j->kind != TS_SIG && covers(v, j, t) && j->gen_time < t->poe)
                t->poe = j->gen_time;
        }
        if ((st = judge(v, t, err)) != TSVC_OK)
            goto out;
    }
    for (size_t q = 0; q < n_order; q++) {
        const ts_info *t = &v->ts[order[q]];
        if (t->kind == TS_SIG || r->num_ats >= TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS)
            continue;
        r->ats_version[r->num_ats] = t->kind == TS_ATS_V2 ? TSVC_ATS_V2 : TSVC_ATS_V3;
        r->ats_time[r->num_ats] = t->gen_time;
        r->ats_ind[r->num_ats] = t->ind;
        r->num_ats++;
    }

    /* 4. Best signature time. */
    int64_t best = r->when;
    bool proven = false;
    for (int pass = 0; pass < 2 && !proven; pass++) {
        for (size_t i = 0; i < v->num_ts; i++) {
            const ts_info *t = &v->ts[i];
            if (!t->usable || (pass == 0) != (t->kind == TS_SIG))
                continue;
            if (!proven || t->gen_time < best)
                best = t->gen_time;
            proven = true;
        }
    }
    r->best = best;
    r->has_poe = proven;
    {
        char bt[32];
        tsvc__lt_fmt_time(best, bt);
        tsvc__report_add(r->checks, -1, "best-signature-time",
                         proven ? TSVC_CHECK_PASSED : TSVC_CHECK_INFO, -1,
                         proven ? "the signature existed at %s (time-stamp)"
                                : "no usable time-stamp: the validation time %s is used",
                         bt);
    }

    /* The signer's path, revocation and algorithms at that time. */
    if ((st = signer_in_the_past(v, sc, best, proven, err)) != TSVC_OK)
        goto out;
    if (!algs_ok(v->ap, &v->cms->signers[v->signer], sc, best, why, sizeof(why))) {
        char bt[32];
        tsvc__lt_fmt_time(best, bt);
        tsvc__report_add(r->checks, -1, "crypto-constraints", TSVC_CHECK_FAILED, -1,
                         "at the best signature time %s: %s", bt, why);
        decide(v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
               "the signature's algorithms are refused at the best signature time %s: %s", bt,
               why);
    } else {
        tsvc__report_add(r->checks, -1, "crypto-constraints", TSVC_CHECK_PASSED, -1,
                         "the signature's algorithms are accepted at the best signature time");
    }

    /* 5. Renewal date: the newest usable time-stamp's TSA path and algorithms. */
    {
        const ts_info *newest = NULL;
        for (size_t q = n_order; q-- > 0 && newest == NULL;)
            if (v->ts[order[q]].usable)
                newest = &v->ts[order[q]];
        if (newest != NULL) {
            tsvc_report *pr = NULL;
            const tsvc_cert *ntsa = tsa_cert(v, newest); /* not NULL: it was usable */
            if ((st = tsvc__lt_path(v->ctx, v->m, v->store, ntsa, newest->gen_time, &pr,
                                    err)) != TSVC_OK)
                goto out;
            int64_t until = INT64_MAX;
            for (size_t k = 0; k < tsvc_report_chain_count(pr); k++) {
                const tsvc_cert *c = tsvc_report_chain_cert(pr, k);
                if (c->not_after < until)
                    until = c->not_after;
            }
            tsvc_report_free(pr);
            if (newest->tst->cms->num_signers > 0) {
                int64_t a = algs_expiry(v->ap, &newest->tst->cms->signers[0], ntsa,
                                        newest->gen_time);
                if (a < until)
                    until = a;
            }
            r->has_renewal = until != INT64_MAX;
            r->renewal = until;
            if (r->has_renewal) {
                char ut[32];
                tsvc__lt_fmt_time(until, ut);
                tsvc__report_add(r->checks, -1, "renewal", TSVC_CHECK_INFO, -1,
                                 "add a further archive time-stamp before %s (expiry of the "
                                 "newest time-stamp's TSA path or algorithms)",
                                 ut);
            }
        }
    }

    if (!v->decided)
        decide(v, TSVC_INDICATION_PASSED, TSVC_SUB_NONE, "%s", "");
out:
    if (r->level == NULL)
        r->level = "B-B";
    tsvc_cert_free(sc);
    tsvc_policy_free(pol);
    tsvc_sig_report_free(sr);
    return st;
}

tsvc_status tsvc_ltv_verify(tsvc_ctx *ctx, tsvc_ltv_report **report, const uint8_t *cms,
                            size_t cms_len, const uint8_t *content, size_t content_len,
                            tsvc_store *store, const tsvc_ltv_options *opts, tsvc_error **err)
{
    tsvc_ltv_options o;
    tsvc_ltv_report *r = NULL;
    vctx *v = NULL;
    tsvc_status st = TSVC_OK;
    if (report == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "report is required");
    *report = NULL;
    if (ctx == NULL || cms == NULL || store == NULL || (content == NULL && content_len > 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "NULL argument");
    tsvc_ltv_options_init(&o);
    if (opts != NULL) {
        if (opts->version != TSVC_LTV_OPTIONS_VERSION)
            return tsvc__err(err, TSVC_ERR_BAD_VERSION, "ades.ltv.options", -1,
                             "unknown options version");
        o = *opts;
    }
    tsvc_store_freeze(store);
    r = tsvc__calloc(ctx, 1, sizeof(*r));
    if (r != NULL)
        r->ctx = ctx;
    v = tsvc__calloc(ctx, 1, sizeof(*v));
    if (r == NULL || v == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    r->ctx = ctx;
    r->ind = TSVC_INDICATION_NONE;
    if (o.when != 0)
        r->when = o.when;
    else if ((st = tsvc_ctx_now(ctx, &r->when, err)) != TSVC_OK)
        goto out;
    r->best = r->when;
    if ((st = tsvc__report_new(ctx, "long-term-validation", &r->checks)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    tsvc__report_set_time(r->checks, r->when);
    v->m = tsvc__calloc(ctx, 1, sizeof(*v->m));
    if (v->m == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    tsvc__lt_material_init(v->m, ctx);
    v->ctx = ctx;
    v->r = r;
    v->o = &o;
    v->ap = o.algorithm_policy ? o.algorithm_policy : tsvc__algpolicy_default();
    v->store = store;
    v->signer = o.signer_index;
    v->content = content;
    v->content_len = content_len;
    v->fetch = o.fetch != TSVC_REVOCATION_FETCH_NEVER;

    tsvc_error *perr = NULL;
    st = tsvc__cms_parse(ctx, cms, cms_len, &v->cms, &perr);
    if (st == TSVC_ERR_NOMEM) {
        tsvc_error_free(perr);
        st = tsvc__err_code(err, st);
        goto out;
    }
    if (st != TSVC_OK) {
        decide(v, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE,
               "the SignedData cannot be decoded: %s",
               perr ? tsvc_error_message(perr) : tsvc_status_str(st));
        tsvc_error_free(perr);
        st = TSVC_OK;
    } else if (v->signer >= v->cms->num_signers) {
        decide(v, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE,
               "no SignerInfo %zu (the signature has %zu)", v->signer, v->cms->num_signers);
    } else if ((r->level = level_of(v->cms, v->signer)) == NULL ||
               (v->cms->has_content ? 1 : 0) + (content != NULL ? 1 : 0) != 1) {
        decide(v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_SIGNED_DATA_NOT_FOUND,
               v->cms->has_content ? "the content is embedded and was also given"
                                   : "detached signature: the signed content was not given");
    } else if ((st = run(v, err)) != TSVC_OK) {
        goto out;
    }
    tsvc__report_set_outcome(r->checks, r->ind, r->sub, "%s", r->reason);
    if (r->has_poe)
        tsvc__report_set_time(r->checks, r->when);
    if ((st = tsvc__report_error(r->checks)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    if (r->level == NULL)
        r->level = "B-B";
    *report = r;
    r = NULL;
out:
    if (v != NULL) {
        for (size_t i = 0; i < v->num_ts; i++)
            tsvc_tst_free(v->ts[i].tst);
        if (v->m != NULL) {
            tsvc__lt_material_clear(v->m);
            tsvc__free(ctx, v->m);
        }
        tsvc_store_free(v->tsstore);
        tsvc__cms_free(v->cms);
        tsvc__free(ctx, v);
    }
    tsvc_ltv_report_free(r);
    return st;
}
