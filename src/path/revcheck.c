/*
 * SPDX-License-Identifier: Apache-2.0
 * Revocation checking in path validation: the store's CRLs and OCSP
 * responses, the policy's revocation settings, and the check of each
 * certificate of a validated path at the validation time, with fetching
 * through the context's callback when the policy allows it.
 *
 * Order for one certificate: the sources in the policy's order (OCSP
 * first by default); within a source, fetched data first under
 * FETCH_ALWAYS, the caller's material first otherwise (fetching only when
 * it gave no answer, under FETCH_WHEN_MISSING). A REVOKED answer ends the
 * search; so does GOOD (for CRLs limited to some reasons, once every reason
 * is covered). OCSP "unknown" is recorded and the search goes on.
 *
 * CRLs of the store (RFC 5280 6.3.3): a complete CRL of the certificate's
 * issuer, or an indirect CRL of a cRLIssuer named in the certificate's
 * distribution points; for each, the newest delta CRL of the store that
 * pairs with it (same issuer and scope, cRLNumber >= its BaseCRLNumber) is
 * applied, and when that delta is unusable the complete CRL is used alone
 * (the report says why). A delta CRL alone decides nothing. The issuer of
 * an indirect CRL must hold a certificate of the store (intermediates or
 * trust anchors) issued by the certificate's own CA, valid at the
 * validation time (the revocation of that CRL issuer certificate is not
 * checked). When fetching is allowed and the store has no pairing delta,
 * the delta is fetched from the complete CRL's freshestCRL URIs (RFC 5280
 * 5.2.6; not from the certificate's freshestCRL extension).
 *
 * Limits: at most TSVC__REV_MAX_FETCHES fetches per validation,
 * TSVC__REV_MAX_URLS URLs per certificate and source (and per freshestCRL),
 * freshestCRL URIs of at most TSVC__REV_MAX_URL_LEN - 1 octets, and
 * TSVC__REV_MAX_CRLS_PER_CERT store CRLs (complete and delta) examined
 * per certificate.
 */
#include <stdio.h>
#include <string.h>

#include "path/path.h"
#include "path/report.h"
#include "revoke/revoke.h"
#include "trustsvc/fetch.h"
#include "x509/x509.h"

#define TSVC__REV_MAX_FETCHES 16
#define TSVC__REV_MAX_URLS 4
#define TSVC__REV_MAX_URL_LEN 1024 /* longer freshestCRL URIs are skipped */
#define DEFAULT_SKEW 300
#define MAX_AGE_LIMIT (INT64_C(10) * 366 * 86400)
#define NONCE_LEN 16

/* ------------------------------------------------------------------ */
/* Store material                                                      */
/* ------------------------------------------------------------------ */

static tsvc_status grow_ptrs(const tsvc_ctx *ctx, void ***arr, size_t num, size_t *cap,
                             tsvc_error **err)
{
    if (num >= TSVC__STORE_MAX)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1,
                         "too many revocation objects in one store");
    if (num < *cap)
        return TSVC_OK;
    size_t ncap = *cap ? *cap * 2 : 8;
    void **n = tsvc__realloc(ctx, *arr, *cap * sizeof(void *), ncap * sizeof(void *));
    if (n == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    *arr = n;
    *cap = ncap;
    return TSVC_OK;
}

tsvc_status tsvc_store_add_crl(tsvc_store *store, const tsvc_crl *crl, tsvc_error **err)
{
    tsvc_status st = tsvc__store_check_mutable(store, err);
    if (st != TSVC_OK)
        return st;
    if (crl == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "crl is required");
    for (size_t i = 0; i < store->num_crls; i++)
        if (store->crls[i] == crl ||
            (store->crls[i]->der_len == crl->der_len &&
             memcmp(store->crls[i]->der, crl->der, crl->der_len) == 0))
            return TSVC_OK;
    void **arr = (void **)store->crls;
    st = grow_ptrs(store->ctx, &arr, store->num_crls, &store->cap_crls, err);
    store->crls = (tsvc_crl **)arr;
    if (st != TSVC_OK)
        return st;
    store->crls[store->num_crls++] = tsvc_crl_ref((tsvc_crl *)(uintptr_t)crl);
    return TSVC_OK;
}

tsvc_status tsvc_store_add_ocsp_response(tsvc_store *store, const tsvc_ocsp_response *resp,
                                         tsvc_error **err)
{
    tsvc_status st = tsvc__store_check_mutable(store, err);
    if (st != TSVC_OK)
        return st;
    if (resp == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "resp is required");
    for (size_t i = 0; i < store->num_ocsp; i++)
        if (store->ocsp[i] == resp ||
            (store->ocsp[i]->der_len == resp->der_len &&
             memcmp(store->ocsp[i]->der, resp->der, resp->der_len) == 0))
            return TSVC_OK;
    void **arr = (void **)store->ocsp;
    st = grow_ptrs(store->ctx, &arr, store->num_ocsp, &store->cap_ocsp, err);
    store->ocsp = (tsvc_ocsp_response **)arr;
    if (st != TSVC_OK)
        return st;
    store->ocsp[store->num_ocsp++] = tsvc_ocsp_response_ref((tsvc_ocsp_response *)(uintptr_t)resp);
    return TSVC_OK;
}

size_t tsvc_store_num_crls(const tsvc_store *store)
{
    return store ? store->num_crls : 0;
}

size_t tsvc_store_num_ocsp_responses(const tsvc_store *store)
{
    return store ? store->num_ocsp : 0;
}

void tsvc__store_free_revocation(struct tsvc_store *store)
{
    for (size_t i = 0; i < store->num_crls; i++)
        tsvc_crl_free(store->crls[i]);
    for (size_t i = 0; i < store->num_ocsp; i++)
        tsvc_ocsp_response_free(store->ocsp[i]);
    tsvc__free(store->ctx, (void *)store->crls);
    tsvc__free(store->ctx, (void *)store->ocsp);
    store->crls = NULL;
    store->ocsp = NULL;
    store->num_crls = store->num_ocsp = 0;
}

/* ------------------------------------------------------------------ */
/* Policy setters                                                      */
/* ------------------------------------------------------------------ */

tsvc_status tsvc_policy_set_revocation_mode(tsvc_policy *policy, tsvc_revocation_mode mode,
                                            tsvc_error **err)
{
    const bool valid = (unsigned)mode <= TSVC_REVOCATION_HARD_FAIL;
    tsvc_status st = tsvc__policy_check_setting(policy, valid, "unknown revocation mode", err);
    if (st == TSVC_OK)
        policy->rev_mode = mode;
    return st;
}

tsvc_status tsvc_policy_set_revocation_source(tsvc_policy *policy, tsvc_revocation_source source,
                                              tsvc_error **err)
{
    const bool valid = (unsigned)source <= TSVC_REVOCATION_CRL_ONLY;
    tsvc_status st = tsvc__policy_check_setting(policy, valid, "unknown revocation source", err);
    if (st == TSVC_OK)
        policy->rev_source = source;
    return st;
}

tsvc_status tsvc_policy_set_revocation_freshness(tsvc_policy *policy, int64_t max_age,
                                                 int64_t skew, tsvc_error **err)
{
    const bool valid = max_age >= 0 && max_age <= MAX_AGE_LIMIT && skew >= 0 && skew <= 86400;
    tsvc_status st = tsvc__policy_check_setting(
        policy, valid, "max_age must be 0 .. 10 years and skew 0 .. 86400 seconds", err);
    if (st == TSVC_OK) {
        policy->rev_has_freshness = true;
        policy->rev_max_age = max_age;
        policy->rev_skew = skew;
    }
    return st;
}

tsvc_status tsvc_policy_set_revocation_fetch(tsvc_policy *policy, tsvc_revocation_fetch fetch,
                                             tsvc_error **err)
{
    const bool valid = (unsigned)fetch <= TSVC_REVOCATION_FETCH_ALWAYS;
    tsvc_status st = tsvc__policy_check_setting(policy, valid, "unknown fetch setting", err);
    if (st == TSVC_OK)
        policy->rev_fetch = fetch;
    return st;
}

tsvc_status tsvc_policy_set_revocation_flags(tsvc_policy *policy, uint32_t flags,
                                             tsvc_error **err)
{
    const uint32_t known = TSVC_REVOCATION_LEAF_ONLY | TSVC_REVOCATION_TIME_IS_POE;
    const bool valid = (flags & ~known) == 0;
    tsvc_status st = tsvc__policy_check_setting(policy, valid, "unknown revocation flag", err);
    if (st == TSVC_OK)
        policy->rev_flags = flags;
    return st;
}

/* ------------------------------------------------------------------ */
/* Checking                                                            */
/* ------------------------------------------------------------------ */

typedef struct rcheck {
    const tsvc_ctx *ctx;
    const tsvc_policy *pol;
    const tsvc_store *store;
    tsvc_report *r;
    int64_t when, skew, max_age;
    unsigned fetches;
    bool nomem;
} rcheck;

/* Verdict for one certificate. */
typedef struct verdict {
    bool decided;
    tsvc_cert_status status;
    int64_t revocation_time;
    tsvc_crl_reason reason;
    uint32_t covered; /* CRL reasons covered by GOOD answers so far */
    char problem[256]; /* the last reason some data was not usable */
    char source[160];  /* what decided */
} verdict;

static void name_text(const tsvc_ctx *ctx, const tsvc__cbs *name, char *out, size_t size)
{
    tsvc_buf b = TSVC_BUF_INIT;
    if (tsvc__name_to_text(ctx, name, &b, NULL) == TSVC_OK && b.data != NULL)
        snprintf(out, size, "%.*s", (int)(b.len > 160 ? 160 : b.len), (const char *)b.data);
    else
        snprintf(out, size, "(unprintable name)");
    tsvc_buf_dispose(&b);
}

static void times_text(const tsvc__rev_result *res, bool ocsp, char *out, size_t size)
{
    char tu[40], nu[40] = "none", pa[40];
    tsvc__revoke_fmt_time(res->this_update, tu);
    if (res->has_next_update)
        tsvc__revoke_fmt_time(res->next_update, nu);
    if (ocsp) {
        tsvc__revoke_fmt_time(res->produced_at, pa);
        snprintf(out, size, "producedAt %s, thisUpdate %s, nextUpdate %s", pa, tu, nu);
    } else {
        snprintf(out, size, "thisUpdate %s, nextUpdate %s", tu, nu);
    }
}

/* Records one answer in the report and in the verdict. */
static void record(rcheck *rc, verdict *v, int group, int idx, bool ocsp, const char *origin,
                   const tsvc__rev_result *res, const char *extra)
{
    char times[200], rt[40];
    const char *kind = ocsp ? "ocsp" : "crl";
    times_text(res, ocsp, times, sizeof(times));
    if (res->status == TSVC_CERT_STATUS_REVOKED) {
        tsvc__revoke_fmt_time(res->revocation_time, rt);
        tsvc__report_add(rc->r, group, kind, TSVC_CHECK_FAILED, idx,
                         "%s from %s (%s)%s: revoked at %s, reason %s", ocsp ? "OCSP response" : "CRL",
                         origin, times, extra, rt, tsvc_crl_reason_str(res->reason));
        v->decided = true;
        v->status = TSVC_CERT_STATUS_REVOKED;
        v->revocation_time = res->revocation_time;
        v->reason = res->reason;
        snprintf(v->source, sizeof(v->source), "%s from %s", ocsp ? "OCSP response" : "CRL",
                 origin);
    } else if (res->status == TSVC_CERT_STATUS_UNKNOWN) {
        tsvc__report_add(rc->r, group, kind, TSVC_CHECK_INFO, idx,
                         "OCSP response from %s (%s)%s: status unknown to the responder", origin,
                         times, extra);
        snprintf(v->problem, sizeof(v->problem), "the OCSP responder does not know the certificate");
    } else {
        char later[120] = "";
        if (res->revoked_later) {
            tsvc__revoke_fmt_time(res->revocation_time, rt);
            snprintf(later, sizeof(later), " (revoked at %s, after the validation time)", rt);
        }
        v->covered |= res->reasons;
        bool complete = v->covered == TSVC__REASONS_ALL;
        tsvc__report_add(rc->r, group, kind, complete ? TSVC_CHECK_PASSED : TSVC_CHECK_INFO, idx,
                         "%s from %s (%s)%s: good at the validation time%s%s",
                         ocsp ? "OCSP response" : "CRL", origin, times, extra, later,
                         complete ? "" : "; covers only some reasons");
        if (!complete)
            snprintf(v->problem, sizeof(v->problem),
                     "the usable CRLs cover only some revocation reasons (onlySomeReasons)");
        if (complete) {
            v->decided = true;
            v->status = TSVC_CERT_STATUS_GOOD;
            snprintf(v->source, sizeof(v->source), "%s from %s", ocsp ? "OCSP response" : "CRL",
                     origin);
        }
    }
}

static void unusable(rcheck *rc, verdict *v, int group, int idx, bool ocsp, const char *origin,
                     const tsvc_error *e, tsvc_status st)
{
    const char *msg = e ? tsvc_error_message(e) : tsvc_status_str(st);
    tsvc__report_add(rc->r, group, ocsp ? "ocsp" : "crl", TSVC_CHECK_SKIPPED, idx,
                     "%s from %s not usable: %s", ocsp ? "OCSP response" : "CRL", origin, msg);
    snprintf(v->problem, sizeof(v->problem), "%s from %s not usable: %s",
             ocsp ? "OCSP response" : "CRL", origin, msg);
    if (st == TSVC_ERR_NOMEM)
        rc->nomem = true;
}

/* The status of a delegated responder certificate from the store's CRLs. */
static void check_responder(rcheck *rc, verdict *v, int group, int idx,
                            const tsvc__rev_result *res, const tsvc__rev_issuer *iss,
                            bool *revoked)
{
    *revoked = false;
    if (!res->delegated || res->responder == NULL)
        return;
    if (res->nocheck) {
        tsvc__report_add(rc->r, group, "ocsp-responder", TSVC_CHECK_INFO, idx,
                         "delegated responder carries id-pkix-ocsp-nocheck: its revocation is "
                         "not checked");
        return;
    }
    for (size_t i = 0; i < rc->store->num_crls; i++) {
        tsvc__rev_result cr;
        if (tsvc__crl_check(rc->ctx, rc->store->crls[i], res->responder, iss, rc->when, rc->skew,
                            &cr, NULL) != TSVC_OK)
            continue;
        if (cr.status == TSVC_CERT_STATUS_REVOKED) {
            *revoked = true;
            tsvc__report_add(rc->r, group, "ocsp-responder", TSVC_CHECK_FAILED, idx,
                             "the delegated responder certificate is revoked: its responses are "
                             "not used");
            snprintf(v->problem, sizeof(v->problem), "the delegated OCSP responder is revoked");
            return;
        }
        if (cr.reasons == TSVC__REASONS_ALL) {
            tsvc__report_add(rc->r, group, "ocsp-responder", TSVC_CHECK_PASSED, idx,
                             "delegated responder not revoked (CRL of the CA)");
            return;
        }
    }
    tsvc__report_add(rc->r, group, "ocsp-responder", TSVC_CHECK_INFO, idx,
                     "delegated responder without id-pkix-ocsp-nocheck; no CRL of the CA was "
                     "given to check it");
}

static void try_ocsp(rcheck *rc, verdict *v, int group, int idx, const tsvc_cert *cert,
                     const tsvc__rev_issuer *iss, const tsvc_ocsp_response *resp,
                     const char *origin, const uint8_t *nonce, size_t nonce_len)
{
    tsvc__rev_result res;
    tsvc_error *e = NULL;
    tsvc_ocsp_verify_options opts = TSVC_OCSP_VERIFY_OPTIONS_INIT;
    opts.skew = rc->skew;
    opts.max_age = rc->max_age;
    opts.nonce = nonce;
    opts.nonce_len = nonce_len;
    tsvc_status st = tsvc__ocsp_check(rc->ctx, resp, cert, iss, rc->when, &opts, &res, &e);
    if (st != TSVC_OK) {
        unusable(rc, v, group, idx, true, origin, e, st);
        tsvc_error_free(e);
        return;
    }
    bool responder_revoked = false;
    check_responder(rc, v, group, idx, &res, iss, &responder_revoked);
    if (responder_revoked)
        return;
    char extra[240] = ", signed by the CA";
    if (res.delegated) {
        char rn[170];
        name_text(rc->ctx, &res.responder->subject, rn, sizeof(rn));
        snprintf(extra, sizeof(extra), ", signed by delegated responder %s", rn);
    }
    record(rc, v, group, idx, true, origin, &res, extra);
}

static void try_crl(rcheck *rc, verdict *v, int group, int idx, const tsvc_cert *cert,
                    const tsvc__rev_issuer *iss, const tsvc__rev_issuer *signer,
                    const tsvc_crl *crl, const tsvc_crl *delta, const char *origin)
{
    tsvc__rev_result res;
    tsvc_error *e = NULL;
    tsvc_status st = tsvc__crl_check_full(rc->ctx, crl, delta, cert, iss, signer, rc->when,
                                          rc->skew, &res, &e);
    if (st == TSVC_ERR_CRL_DELTA && delta != NULL) {
        /* The complete CRL alone still answers; say why the delta is left out. */
        tsvc__report_add(rc->r, group, "crl-delta", TSVC_CHECK_SKIPPED, idx, "%s",
                         e ? tsvc_error_message(e) : tsvc_status_str(st));
        tsvc_error_free(e);
        e = NULL;
        delta = NULL;
        st = tsvc__crl_check_full(rc->ctx, crl, NULL, cert, iss, signer, rc->when, rc->skew,
                                  &res, &e);
    }
    int64_t newest = delta != NULL ? delta->this_update : crl->this_update;
    if (st == TSVC_OK && rc->max_age > 0 && rc->when - newest > rc->max_age) {
        char t[40];
        tsvc__revoke_fmt_time(newest, t);
        st = tsvc__err(&e, TSVC_ERR_CRL_STALE, "crl.max_age", -1,
                       "thisUpdate %s is more than %lld s before the validation time", t,
                       (long long)rc->max_age);
    }
    if (st != TSVC_OK) {
        unusable(rc, v, group, idx, false, origin, e, st);
        tsvc_error_free(e);
        return;
    }
    char extra[160] = "";
    size_t n = 0;
    if (crl->number_fits)
        n += (size_t)snprintf(extra, sizeof(extra), ", cRLNumber %llu",
                              (unsigned long long)crl->number_u64);
    if (delta != NULL && n < sizeof(extra))
        n += (size_t)snprintf(extra + n, sizeof(extra) - n, ", with delta CRL%s",
                              delta->number_fits ? " cRLNumber " : "");
    if (delta != NULL && delta->number_fits && n < sizeof(extra))
        n += (size_t)snprintf(extra + n, sizeof(extra) - n, "%llu",
                              (unsigned long long)delta->number_u64);
    if (signer != NULL && n < sizeof(extra))
        snprintf(extra + n, sizeof(extra) - n, ", indirect CRL");
    record(rc, v, group, idx, false, origin, &res, extra);
}

/* Calls the fetch callback; false (with a report entry) when it fails. */
static bool do_fetch(rcheck *rc, verdict *v, int group, int idx, const char *url,
                     const char *ctype, const tsvc_buf *body, tsvc_buf *resp)
{
    tsvc_error *e = NULL;
    if (rc->fetches >= TSVC__REV_MAX_FETCHES) {
        tsvc__report_add(rc->r, group, "fetch", TSVC_CHECK_SKIPPED, idx,
                         "fetch budget (%u per validation) exhausted: %s",
                         (unsigned)TSVC__REV_MAX_FETCHES, url);
        snprintf(v->problem, sizeof(v->problem), "fetch budget exhausted");
        return false;
    }
    rc->fetches++;
    tsvc_status st = rc->ctx->fetch(rc->ctx->fetch_opaque, url, ctype,
                                    body ? body->data : NULL, body ? body->len : 0, resp, &e);
    if (st != TSVC_OK || resp->data == NULL) {
        tsvc__report_add(rc->r, group, "fetch", TSVC_CHECK_SKIPPED, idx, "%s %s failed: %s",
                         body ? "POST" : "GET", url,
                         e ? tsvc_error_message(e) : tsvc_status_str(st != TSVC_OK ? st
                                                                       : TSVC_ERR_FETCH));
        snprintf(v->problem, sizeof(v->problem), "fetching %s failed", url);
        tsvc_error_free(e);
        tsvc_buf_dispose(resp);
        return false;
    }
    tsvc_error_free(e);
    return true;
}

static bool is_http(const char *url)
{
    return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

static bool can_fetch(const rcheck *rc)
{
    return rc->pol->rev_fetch != TSVC_REVOCATION_FETCH_NEVER && rc->ctx != NULL &&
           rc->ctx->fetch != NULL;
}

/*
 * A delta CRL for @p base fetched from the URIs of its freshestCRL
 * extension (RFC 5280 5.2.6), when fetching is allowed: the first that
 * parses and pairs with @p base (*owned takes the reference), or NULL.
 */
static const tsvc_crl *fetch_delta(rcheck *rc, verdict *v, int group, int idx,
                                   const tsvc_crl *base, tsvc_crl **owned)
{
    char url[TSVC__REV_MAX_URL_LEN];
    *owned = NULL;
    if (!can_fetch(rc) || base->is_delta)
        return NULL;
    for (size_t u = 0; u < TSVC__REV_MAX_URLS && !rc->nomem &&
                       tsvc__crl_freshest_uri(base, u, url, sizeof(url));
         u++) {
        tsvc_buf resp = TSVC_BUF_INIT;
        tsvc_crl *d = NULL;
        tsvc_error *e = NULL;
        if (!is_http(url) || !do_fetch(rc, v, group, idx, url, NULL, NULL, &resp))
            continue;
        tsvc_status st = tsvc_crl_parse(rc->ctx, &d, resp.data, resp.len, &e);
        if (st == TSVC_OK)
            st = tsvc__crl_delta_pairs(base, d, &e);
        tsvc_buf_dispose(&resp);
        if (st == TSVC_OK) {
            tsvc_error_free(e);
            *owned = d;
            return d;
        }
        if (st == TSVC_ERR_NOMEM)
            rc->nomem = true;
        tsvc__report_add(rc->r, group, "crl-delta", TSVC_CHECK_SKIPPED, idx,
                         "delta CRL from %s not used: %s", url,
                         e ? tsvc_error_message(e) : tsvc_status_str(st));
        tsvc_error_free(e);
        tsvc_crl_free(d);
    }
    return NULL;
}

static void fetch_ocsp(rcheck *rc, verdict *v, int group, int idx, const tsvc_cert *cert,
                       const tsvc__rev_issuer *iss)
{
    size_t n = cert->aia.num_ocsp < TSVC__REV_MAX_URLS ? cert->aia.num_ocsp : TSVC__REV_MAX_URLS;
    for (size_t u = 0; u < n && !v->decided && !rc->nomem; u++) {
        const char *url = cert->aia.ocsp[u];
        uint8_t nonce[NONCE_LEN];
        tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
        tsvc_ocsp_response *parsed = NULL;
        tsvc_error *e = NULL;
        if (!is_http(url))
            continue;
        if (tsvc_random((tsvc_ctx *)(uintptr_t)rc->ctx, nonce, sizeof(nonce), NULL) != TSVC_OK ||
            tsvc__ocsp_request_build(rc->ctx, &req, cert, iss->key, TSVC_HASH_SHA1, nonce,
                                     sizeof(nonce), NULL) != TSVC_OK) {
            snprintf(v->problem, sizeof(v->problem), "cannot build an OCSP request");
            continue;
        }
        if (do_fetch(rc, v, group, idx, url, "application/ocsp-request", &req, &resp)) {
            tsvc_status st = tsvc_ocsp_response_parse(rc->ctx, &parsed, resp.data, resp.len, &e);
            if (st != TSVC_OK)
                unusable(rc, v, group, idx, true, url, e, st);
            else
                try_ocsp(rc, v, group, idx, cert, iss, parsed, url, nonce, sizeof(nonce));
        }
        tsvc_error_free(e);
        tsvc_ocsp_response_free(parsed);
        tsvc_buf_dispose(&req);
        tsvc_buf_dispose(&resp);
    }
}

static void fetch_crl(rcheck *rc, verdict *v, int group, int idx, const tsvc_cert *cert,
                      const tsvc__rev_issuer *iss)
{
    size_t n = cert->crldp.num_uris < TSVC__REV_MAX_URLS ? cert->crldp.num_uris
                                                          : TSVC__REV_MAX_URLS;
    for (size_t u = 0; u < n && !v->decided && !rc->nomem; u++) {
        const char *url = cert->crldp.uris[u];
        tsvc_buf resp = TSVC_BUF_INIT;
        tsvc_crl *crl = NULL;
        tsvc_error *e = NULL;
        if (!is_http(url))
            continue;
        if (do_fetch(rc, v, group, idx, url, NULL, NULL, &resp)) {
            tsvc_status st = tsvc_crl_parse(rc->ctx, &crl, resp.data, resp.len, &e);
            if (st != TSVC_OK)
                unusable(rc, v, group, idx, false, url, e, st);
            else {
                tsvc_crl *fetched = NULL;
                const tsvc_crl *delta = fetch_delta(rc, v, group, idx, crl, &fetched);
                try_crl(rc, v, group, idx, cert, iss, NULL, crl, delta, url);
                tsvc_crl_free(fetched);
            }
        }
        tsvc_error_free(e);
        tsvc_crl_free(crl);
        tsvc_buf_dispose(&resp);
    }
}

static void stored_ocsp(rcheck *rc, verdict *v, int group, int idx, const tsvc_cert *cert,
                        const tsvc__rev_issuer *iss)
{
    for (size_t i = 0; i < rc->store->num_ocsp && !v->decided && !rc->nomem; i++) {
        const tsvc_ocsp_response *resp = rc->store->ocsp[i];
        if (resp->status == TSVC_OCSP_SUCCESSFUL && !tsvc__ocsp_mentions(resp, cert))
            continue;
        try_ocsp(rc, v, group, idx, cert, iss, resp, "the store", NULL, 0);
    }
}

/*
 * The certificate of an indirect CRL's issuer: a store certificate whose
 * subject is @p name, issued by the certificate's CA (its signature
 * verifies with the CA's key) and valid at the validation time.
 */
static const tsvc_cert *indirect_signer(rcheck *rc, const tsvc__cbs *name,
                                        const tsvc__rev_issuer *iss)
{
    const tsvc_store *s = rc->store;
    for (size_t i = 0; i < s->num_inter + s->num_anchors; i++) {
        const tsvc_cert *c = i < s->num_inter ? s->inter[i] : s->anchors[i - s->num_inter].cert;
        if (c == NULL || c->pubkey == NULL || !tsvc__name_equal(&c->subject, name) ||
            !tsvc__name_equal(&c->issuer, iss->name) || c->not_before > rc->when ||
            c->not_after < rc->when)
            continue;
        tsvc_status st = tsvc__cert_verify_signed_by(rc->ctx, c, iss->key, NULL);
        if (st == TSVC_ERR_NOMEM)
            rc->nomem = true;
        if (st == TSVC_OK)
            return c;
    }
    return NULL;
}

/*
 * The newest delta CRL of the store that pairs with @p base, or NULL (the
 * report then says why the first delta of that issuer does not pair).
 */
static const tsvc_crl *best_delta(rcheck *rc, int group, int idx, const tsvc_crl *base,
                                  size_t *examined)
{
    const tsvc_crl *best = NULL;
    tsvc_error *first = NULL;
    for (size_t i = 0; i < rc->store->num_crls; i++) {
        const tsvc_crl *d = rc->store->crls[i];
        tsvc_error *e = NULL;
        if (!d->is_delta || !tsvc__name_equal(&d->issuer, &base->issuer))
            continue;
        if (++*examined > TSVC__REV_MAX_CRLS_PER_CERT)
            break;
        if (tsvc__crl_delta_pairs(base, d, first == NULL ? &e : NULL) != TSVC_OK) {
            if (first == NULL)
                first = e;
            continue;
        }
        if (best == NULL || tsvc__crl_number_cmp(&d->number, &best->number) > 0)
            best = d;
    }
    if (best == NULL && first != NULL)
        tsvc__report_add(rc->r, group, "crl-delta", TSVC_CHECK_SKIPPED, idx,
                         "delta CRL of the store not used: %s", tsvc_error_message(first));
    tsvc_error_free(first);
    return best;
}

static void stored_crl(rcheck *rc, verdict *v, int group, int idx, const tsvc_cert *cert,
                       const tsvc__rev_issuer *iss)
{
    size_t examined = 0;
    bool saw_delta = false, saw_complete = false;
    for (size_t i = 0; i < rc->store->num_crls && !v->decided && !rc->nomem; i++) {
        const tsvc_crl *crl = rc->store->crls[i];
        tsvc__rev_issuer signer;
        const tsvc__rev_issuer *by = NULL;
        bool direct = tsvc__name_equal(&crl->issuer, &cert->issuer);
        if (!direct && !(crl->idp_indirect &&
                         tsvc__crl_issuer_named_by(rc->ctx, cert, &crl->issuer)))
            continue;
        if (++examined > TSVC__REV_MAX_CRLS_PER_CERT) {
            tsvc__report_add(rc->r, group, "crl", TSVC_CHECK_SKIPPED, idx,
                             "more than %u CRLs of the store apply to this certificate: the "
                             "others are not examined",
                             (unsigned)TSVC__REV_MAX_CRLS_PER_CERT);
            snprintf(v->problem, sizeof(v->problem),
                     "CRL limit reached (%u per certificate)",
                     (unsigned)TSVC__REV_MAX_CRLS_PER_CERT);
            return;
        }
        if (crl->is_delta) {
            saw_delta = true;
            continue;
        }
        saw_complete = true;
        if (!direct) {
            const tsvc_cert *sc = indirect_signer(rc, &crl->issuer, iss);
            if (sc == NULL) {
                char n[170];
                name_text(rc->ctx, &crl->issuer, n, sizeof(n));
                tsvc__report_add(rc->r, group, "crl", TSVC_CHECK_SKIPPED, idx,
                                 "indirect CRL of %s not usable: no certificate of that CRL "
                                 "issuer from the certificate's CA, valid at the validation "
                                 "time, in the store",
                                 n);
                snprintf(v->problem, sizeof(v->problem),
                         "no valid certificate of the indirect CRL's issuer %s", n);
                continue;
            }
            signer.cert = sc;
            signer.name = &sc->subject;
            signer.key = sc->pubkey;
            signer.webpki = iss->webpki;
            by = &signer;
        }
        tsvc_crl *fetched = NULL;
        const tsvc_crl *delta = best_delta(rc, group, idx, crl, &examined);
        if (delta == NULL)
            delta = fetch_delta(rc, v, group, idx, crl, &fetched);
        try_crl(rc, v, group, idx, cert, iss, by, crl, delta, "the store");
        tsvc_crl_free(fetched);
    }
    if (!v->decided && saw_delta && !saw_complete)
        snprintf(v->problem, sizeof(v->problem),
                 "only delta CRLs, without their complete CRL, were given");
}

static void one_source(rcheck *rc, verdict *v, int group, int idx, const tsvc_cert *cert,
                       const tsvc__rev_issuer *iss, bool ocsp)
{
    bool fetching = can_fetch(rc);
    if (fetching && rc->pol->rev_fetch == TSVC_REVOCATION_FETCH_ALWAYS) {
        if (ocsp)
            fetch_ocsp(rc, v, group, idx, cert, iss);
        else
            fetch_crl(rc, v, group, idx, cert, iss);
    }
    if (!v->decided) {
        if (ocsp)
            stored_ocsp(rc, v, group, idx, cert, iss);
        else
            stored_crl(rc, v, group, idx, cert, iss);
    }
    if (!v->decided && fetching && rc->pol->rev_fetch == TSVC_REVOCATION_FETCH_WHEN_MISSING) {
        if (ocsp)
            fetch_ocsp(rc, v, group, idx, cert, iss);
        else
            fetch_crl(rc, v, group, idx, cert, iss);
    }
}

int tsvc__path_revocation(const tsvc_ctx *ctx, const tsvc_policy *pol,
                          const struct tsvc_store *store, tsvc_report *r,
                          const struct tsvc_cert *const *path, size_t len,
                          const tsvc__anchor *anchor, int64_t when)
{
    rcheck rc;
    bool revoked = false, missing = false;
    tsvc_indication ind = TSVC_INDICATION_NONE;
    tsvc_subindication sub = TSVC_SUB_NONE;
    char reason[600] = "";
    if (pol->rev_mode == TSVC_REVOCATION_NONE || len == 0)
        return 0;
    memset(&rc, 0, sizeof(rc));
    rc.ctx = ctx;
    rc.pol = pol;
    rc.store = store;
    rc.r = r;
    rc.when = when;
    rc.skew = pol->rev_has_freshness ? pol->rev_skew : DEFAULT_SKEW;
    rc.max_age = pol->rev_has_freshness ? pol->rev_max_age : 0;
    size_t n = (pol->rev_flags & TSVC_REVOCATION_LEAF_ONLY) ? 1 : len;
    bool ocsp_first = pol->rev_source == TSVC_REVOCATION_OCSP_FIRST ||
                      pol->rev_source == TSVC_REVOCATION_OCSP_ONLY;
    bool use_ocsp = pol->rev_source != TSVC_REVOCATION_CRL_ONLY;
    bool use_crl = pol->rev_source != TSVC_REVOCATION_OCSP_ONLY;

    for (size_t i = 0; i < n && !rc.nomem; i++) {
        const tsvc_cert *cert = path[i];
        tsvc__cbs anchor_name;
        tsvc__rev_issuer iss;
        char subj[200];
        verdict v;
        memset(&v, 0, sizeof(v));
        if (i + 1 < len) {
            iss.cert = path[i + 1];
            iss.name = &path[i + 1]->subject;
            iss.key = path[i + 1]->pubkey;
        } else if (anchor->cert != NULL) {
            iss.cert = anchor->cert;
            iss.name = &anchor->cert->subject;
            iss.key = anchor->cert->pubkey;
        } else {
            tsvc__cbs_init(&anchor_name, anchor->name_der, anchor->name_len);
            iss.cert = NULL;
            iss.name = &anchor_name;
            iss.key = anchor->key;
        }
        iss.webpki = pol->profile != TSVC_PROFILE_GENERIC;
        name_text(ctx, &cert->subject, subj, sizeof(subj));
        int group = tsvc__report_add(r, -1, "revocation", TSVC_CHECK_PASSED, (int)i, "%s", subj);
        if (iss.key == NULL) {
            snprintf(v.problem, sizeof(v.problem), "the issuer's key is not supported");
        } else {
            if (ocsp_first) {
                if (use_ocsp)
                    one_source(&rc, &v, group, (int)i, cert, &iss, true);
                if (!v.decided && use_crl)
                    one_source(&rc, &v, group, (int)i, cert, &iss, false);
            } else {
                if (use_crl)
                    one_source(&rc, &v, group, (int)i, cert, &iss, false);
                if (!v.decided && use_ocsp)
                    one_source(&rc, &v, group, (int)i, cert, &iss, true);
            }
        }
        if (rc.nomem)
            break;
        if (v.decided && v.status == TSVC_CERT_STATUS_REVOKED) {
            char rt[40];
            tsvc__revoke_fmt_time(v.revocation_time, rt);
            tsvc__report_set_result(r, group, TSVC_CHECK_FAILED);
            if (!revoked) {
                revoked = true;
                if (pol->rev_flags & TSVC_REVOCATION_TIME_IS_POE) {
                    ind = TSVC_INDICATION_FAILED;
                    sub = TSVC_SUB_REVOKED;
                    snprintf(reason, sizeof(reason),
                             "revocation (certificate %zu): revoked at %s (%s), before the "
                             "validation time; %s",
                             i, rt, tsvc_crl_reason_str(v.reason), v.source);
                } else {
                    ind = TSVC_INDICATION_INDETERMINATE;
                    sub = i == 0 ? TSVC_SUB_REVOKED_NO_POE : TSVC_SUB_REVOKED_CA_NO_POE;
                    snprintf(reason, sizeof(reason),
                             "revocation (certificate %zu): revoked at %s (%s); %s; no proof of "
                             "existence before the revocation",
                             i, rt, tsvc_crl_reason_str(v.reason), v.source);
                }
            }
        } else if (!v.decided) {
            const char *why = v.problem[0] ? v.problem : "no CRL or OCSP response found";
            if (pol->rev_mode == TSVC_REVOCATION_HARD_FAIL) {
                tsvc__report_add(r, group, "revocation-status", TSVC_CHECK_FAILED, (int)i,
                                 "no usable revocation data (%s)", why);
                tsvc__report_set_result(r, group, TSVC_CHECK_FAILED);
                if (!missing && !revoked) {
                    missing = true;
                    ind = TSVC_INDICATION_INDETERMINATE;
                    sub = TSVC_SUB_TRY_LATER;
                    snprintf(reason, sizeof(reason),
                             "revocation (certificate %zu): no usable revocation data: %s", i,
                             why);
                }
            } else {
                tsvc__report_add(r, group, "revocation-status", TSVC_CHECK_INFO, (int)i,
                                 "no usable revocation data (%s); accepted by soft-fail", why);
            }
        }
    }
    if (rc.nomem)
        return -1;
    if (revoked || missing)
        tsvc__report_set_outcome(r, ind, sub, "%s", reason);
    if (rc.nomem || tsvc__report_error(r) != TSVC_OK)
        return -1;
    return revoked || missing ? 1 : 0;
}
