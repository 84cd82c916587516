/*
 * SPDX-License-Identifier: Apache-2.0
 * Verification of time-stamp tokens and responses (RFC 3161 section 2.4.2,
 * RFC 5816): the SignedData's content type, message digest and signature,
 * the ESSCertID(v2) naming the signer, the TSA certificate's critical
 * timeStamping-only EKU, the imprint, nonce and policy, and the TSA's path
 * validated at genTime and, reported separately, now. Every outcome goes
 * into a report (kind "timestamp"); only misuse and resource failures are
 * errors.
 *
 * Thread safety: reentrant; the store is frozen by the call and only read.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cms/tst.h"
#include "path/path.h"
#include "path/report.h"
#include "tsp/tsp.h"
#include "x509/x509.h"

#define OID(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

void tsvc_tsp_verify_options_init(tsvc_tsp_verify_options *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->version = TSVC_TSP_VERIFY_OPTIONS_VERSION;
}

tsvc_status tsvc__tsp_opts_load(const tsvc_tsp_verify_options *in, tsvc_tsp_verify_options *out,
                                tsvc_error **err)
{
    tsvc_tsp_verify_options_init(out);
    if (in == NULL)
        return TSVC_OK;
    if (in->version == 1) {
        /* A version 1 structure ends after @c now. */
        memcpy(out, in, offsetof(tsvc_tsp_verify_options, now) + sizeof(in->now));
        out->policy = NULL;
    } else if (in->version == TSVC_TSP_VERIFY_OPTIONS_VERSION) {
        *out = *in;
    } else {
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, "tsp.verify.options", -1,
                         "unknown options version %u", (unsigned)in->version);
    }
    out->version = TSVC_TSP_VERIFY_OPTIONS_VERSION;
    return TSVC_OK;
}

/* Records the first failure as the report's outcome. */
typedef struct vstate {
    tsvc_report *r;
    bool decided;
} vstate;

static void fail(vstate *v, tsvc_indication ind, tsvc_subindication sub, const char *reason)
{
    if (v->decided)
        return;
    tsvc__report_set_outcome(v->r, ind, sub, "%s", reason);
    v->decided = true;
}

/* A store with the caller's anchors and intermediates, the token's
 * certificates and the options' certificates as intermediates. */
static tsvc_status make_store(tsvc_ctx *ctx, tsvc_store *store, const tsvc_tst *tst,
                              const tsvc_cert_list *extra, tsvc_store **out, tsvc_error **err)
{
    tsvc_store *s = NULL;
    tsvc_status st = tsvc_store_new(ctx, &s, err);
    if (st != TSVC_OK)
        return st;
    for (size_t i = 0; st == TSVC_OK && i < store->num_anchors; i++) {
        const tsvc__anchor *a = &store->anchors[i];
        if (a->cert != NULL) {
            st = tsvc_store_add_anchor(s, a->cert, err);
        } else {
            size_t spki_len = 0;
            const uint8_t *spki = tsvc__pubkey_spki(a->key, &spki_len);
            st = tsvc_store_add_anchor_key(s, spki, spki_len, a->name_der, a->name_len, err);
        }
    }
    for (size_t i = 0; st == TSVC_OK && i < store->num_inter; i++)
        st = tsvc_store_add_intermediate(s, store->inter[i], err);
    for (size_t i = 0; st == TSVC_OK && i < tst->num_certs; i++)
        st = tsvc_store_add_intermediate(s, tst->certs[i], err);
    for (size_t i = 0; st == TSVC_OK && extra != NULL && i < tsvc_cert_list_count(extra); i++)
        st = tsvc_store_add_intermediate(s, tsvc_cert_list_get(extra, i), err);
    for (size_t i = 0; st == TSVC_OK && i < store->num_crls; i++)
        st = tsvc_store_add_crl(s, store->crls[i], err);
    for (size_t i = 0; st == TSVC_OK && i < store->num_ocsp; i++)
        st = tsvc_store_add_ocsp_response(s, store->ocsp[i], err);
    if (st != TSVC_OK) {
        tsvc_store_free(s);
        return st;
    }
    *out = s;
    return TSVC_OK;
}

/* Validates the TSA path at @p when (0: the context's clock), under the
 * caller's policy @p base (NULL: none) for everything but the time and the
 * extended key usage. */
static tsvc_status validate_at(tsvc_ctx *ctx, const tsvc_cert *cert, tsvc_store *store,
                               int64_t when, const tsvc_policy *base, tsvc_report **out,
                               tsvc_error **err)
{
    tsvc_policy *pol = NULL;
    tsvc_status st = tsvc_policy_new(ctx, &pol, err);
    if (st != TSVC_OK)
        return st;
    if (base != NULL) {
        pol->flags = base->flags;
        memcpy(pol->initial, base->initial, sizeof(pol->initial));
        pol->num_initial = base->num_initial;
        pol->has_max_depth = base->has_max_depth;
        pol->max_depth = base->max_depth;
        pol->rev_mode = base->rev_mode;
        pol->rev_source = base->rev_source;
        pol->rev_fetch = base->rev_fetch;
        pol->rev_has_freshness = base->rev_has_freshness;
        pol->rev_max_age = base->rev_max_age;
        pol->rev_skew = base->rev_skew;
        pol->rev_flags = base->rev_flags;
        if (base->algpolicy != NULL)
            st = tsvc_policy_set_algorithm_policy(pol, base->algpolicy, err);
    }
    if (st == TSVC_OK && when != 0)
        st = tsvc_policy_set_time(pol, when, err);
    if (st == TSVC_OK)
        st = tsvc_policy_add_eku(pol, TSVC_EKU_TIME_STAMPING, err);
    if (st == TSVC_OK)
        st = tsvc_validate(ctx, out, cert, store, pol, err);
    tsvc_policy_free(pol);
    return st;
}

static bool sid_matches(const tsvc__cms_signer *si, const tsvc_cert *c)
{
    if (si->sid_is_ski)
        return c->ski.present &&
               tsvc__cbs_equal(&si->sid_ski, c->ski.key_id.data, c->ski.key_id.len);
    return tsvc__cbs_equal(&si->sid_serial, c->serial.data, c->serial.len) &&
           tsvc__name_equal(&si->sid_issuer, &c->issuer);
}

/* The signer certificate: the SignerInfo's sid among the token's
 * certificates, the caller's, the store's intermediates and anchors. */
static const tsvc_cert *find_signer(const tsvc_tst *tst, const tsvc_store *store,
                                    const tsvc_cert_list *extra)
{
    const tsvc__cms_signer *si = &tst->cms->signers[0];
    if (tst->signer != NULL)
        return tst->signer;
    for (size_t i = 0; extra != NULL && i < tsvc_cert_list_count(extra); i++) {
        const tsvc_cert *c = tsvc_cert_list_get(extra, i);
        if (sid_matches(si, c))
            return c;
    }
    for (size_t i = 0; i < store->num_inter; i++) {
        if (sid_matches(si, store->inter[i]))
            return store->inter[i];
    }
    for (size_t i = 0; i < store->num_anchors; i++) {
        const tsvc_cert *c = store->anchors[i].cert;
        if (c != NULL && sid_matches(si, c))
            return c;
    }
    return NULL;
}

tsvc_status tsvc__tsp_verify_token(tsvc_ctx *ctx, tsvc_report *r, int parent,
                                   const tsvc_tst *tst, tsvc_hash_alg hash,
                                   const uint8_t *digest, size_t digest_len, tsvc_store *store,
                                   const tsvc_tsp_verify_options *opts, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    vstate v = {r, false};
    const tsvc__cms *cms = tst->cms;
    const tsvc__cms_signer *si = &cms->signers[0];
    const tsvc__tstinfo *ti = &tst->info;
    const tsvc__cms_attr *a;
    tsvc_store *vstore = NULL;
    tsvc_report *sub = NULL;
    size_t n = 0;
    tsvc_tsp_verify_options oo;
    if (opts != NULL) {
        /* Only the fields of the caller's version are read. */
        if ((st = tsvc__tsp_opts_load(opts, &oo, err)) != TSVC_OK)
            return st;
        opts = &oo;
    }
    const tsvc_cert *signer = NULL;
    char reason[512];

    tsvc_store_freeze(store);
    tsvc__report_set_time(r, ti->gen_time);

    /* content-type and message-digest (RFC 5652 section 11). */
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_CONTENT_TYPE), &n);
    {
        tsvc__cbs val, oid;
        bool ok = a != NULL && n == 1 && a->num_values == 1;
        if (ok) {
            val = a->first;
            ok = tsvc__der_get_oid(&val, &oid, NULL) == TSVC_OK && val.len == 0 &&
                 tsvc__oid_equal(&oid, OID(TSVC__OID_CT_TSTINFO));
        }
        tsvc__report_add(r, parent, "content-type", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED,
                         -1, ok ? "signed content-type is id-ct-TSTInfo"
                                : "signed content-type attribute missing or not id-ct-TSTInfo");
        if (!ok)
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE,
                 "the token's content-type attribute is missing or not id-ct-TSTInfo");
    }
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_MESSAGE_DIGEST), &n);
    {
        tsvc__cbs val, md;
        tsvc_hash_alg dalg = TSVC_HASH_NONE;
        uint8_t h[TSVC_HASH_MAX_SIZE];
        bool ok = a != NULL && n == 1 && a->num_values == 1 &&
                  tsvc__hash_alg_parse(&si->digest_alg, &dalg, NULL) == TSVC_OK;
        if (ok) {
            val = a->first;
            ok = tsvc__der_get_octet_string(&val, &md, NULL) == TSVC_OK && val.len == 0;
        }
        if (ok) {
            if ((st = tsvc__hash_oneshot(ctx, dalg, cms->content.data, cms->content.len, h,
                                         err)) != TSVC_OK)
                goto out;
            ok = md.len == tsvc__hash_size(dalg) && tsvc__cbs_equal(&md, h, md.len);
        }
        tsvc__report_add(r, parent, "message-digest", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED,
                         -1, ok ? "message-digest matches the TSTInfo"
                                : "message-digest attribute missing or does not match the TSTInfo");
        if (!ok)
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_HASH_FAILURE,
                 "the token's message-digest does not match its TSTInfo (tampered token)");
    }

    /* The signer certificate and the signature. */
    signer = find_signer(tst, store, opts ? opts->certs : NULL);
    if (signer == NULL) {
        tsvc__report_add(r, parent, "signer-certificate", TSVC_CHECK_FAILED, -1,
                         "the TSA certificate is neither in the token nor given");
        fail(&v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND,
             "the TSA certificate is neither in the token nor given (certReq was false?)");
        goto decide;
    }
    tsvc__report_add(r, parent, "signer-certificate", TSVC_CHECK_PASSED, -1,
                     "the SignerInfo's identifier names a certificate");
    if (signer->pubkey == NULL) {
        tsvc__report_add(r, parent, "signature", TSVC_CHECK_FAILED, -1,
                         "the TSA certificate's key is not supported");
        fail(&v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE,
             "the TSA certificate's key algorithm is not supported");
    } else {
        tsvc_error *serr = NULL;
        tsvc_status vs = tsvc__cms_signer_verify_sig(ctx, si, signer->pubkey, &serr);
        if (vs == TSVC_OK) {
            tsvc__report_add(r, parent, "signature", TSVC_CHECK_PASSED, -1,
                             "the token's signature verifies with the TSA key");
        } else if (vs == TSVC_ERR_NOMEM) {
            tsvc_error_free(serr);
            st = tsvc__err_code(err, vs);
            goto out;
        } else {
            tsvc__report_add(r, parent, "signature", TSVC_CHECK_FAILED, -1, "%s",
                             serr ? tsvc_error_message(serr) : tsvc_status_str(vs));
            if (vs == TSVC_ERR_SIGNATURE_INVALID)
                fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_SIG_CRYPTO_FAILURE,
                     "the token's signature does not verify (tampered token)");
            else
                fail(&v, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE,
                     "the token's signature algorithm is not supported");
        }
        tsvc_error_free(serr);
    }

    /* ESSCertID / ESSCertIDv2: the first entry names the signer. */
    {
        tsvc__ess_result er = TSVC__ESS_ABSENT;
        bool v2 = false;
        if ((st = tsvc__cms_ess_check(ctx, si, signer, &er, &v2, err)) != TSVC_OK)
            goto out;
        const char *which = v2 ? "ESSCertIDv2" : "ESSCertID";
        switch (er) {
        case TSVC__ESS_MATCH:
            tsvc__report_add(r, parent, "ess-cert-id", TSVC_CHECK_PASSED, -1,
                             "the first %s names the TSA certificate", which);
            break;
        case TSVC__ESS_ABSENT:
            tsvc__report_add(r, parent, "ess-cert-id", TSVC_CHECK_FAILED, -1,
                             "no signingCertificate or signingCertificateV2 attribute");
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE,
                 "the token has no ESSCertID or ESSCertIDv2 (RFC 3161 and RFC 5816 require one)");
            break;
        case TSVC__ESS_MISMATCH:
            tsvc__report_add(r, parent, "ess-cert-id", TSVC_CHECK_FAILED, -1,
                             "the first %s names another certificate", which);
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_SIG_CONSTRAINTS_FAILURE,
                 "the token's ESSCertID names another certificate than its signer");
            break;
        default:
            tsvc__report_add(r, parent, "ess-cert-id", TSVC_CHECK_FAILED, -1,
                             "malformed or duplicated signing-certificate attribute");
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE,
                 "the token's signing-certificate attribute is malformed");
            break;
        }
    }

    /* The TSA certificate's extended key usage (RFC 3161 section 2.3). */
    {
        const char *why = NULL;
        bool ok = tsvc__tsp_cert_eku_ok(signer, &why);
        tsvc__report_add(r, parent, "tsa-eku", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED, 0,
                         "%s", ok ? "extendedKeyUsage is critical and only id-kp-timeStamping"
                                  : why);
        if (!ok)
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE, why);
    }

decide:
    /* The imprint. */
    {
        bool ok = ti->hash == hash && ti->hash != TSVC_HASH_NONE && digest != NULL &&
                  tsvc__cbs_equal(&ti->digest, digest, digest_len);
        tsvc__report_add(r, parent, "imprint", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED, -1,
                         ok ? "the message imprint equals the expected digest"
                            : "the message imprint differs from the expected digest");
        if (!ok)
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_HASH_FAILURE,
                 "the token's message imprint does not match the time-stamped data");
    }
    if (opts != NULL && opts->nonce != NULL) {
        bool ok = ti->has_nonce && tsvc__cbs_equal(&ti->nonce, opts->nonce, opts->nonce_len);
        tsvc__report_add(r, parent, "nonce", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED, -1,
                         ok ? "the request's nonce is echoed"
                            : ti->has_nonce ? "the nonce differs from the request's"
                                            : "the token carries no nonce");
        if (!ok)
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_SIG_CONSTRAINTS_FAILURE,
                 "the token does not echo the request's nonce (replayed or foreign response)");
    }
    if (opts != NULL && opts->num_policies > 0) {
        bool ok = false, bad = false;
        for (size_t i = 0; i < opts->num_policies && !ok; i++) {
            uint8_t oid[TSVC__OID_MAX_LEN];
            size_t oid_len = 0;
            if (opts->policies[i] == NULL ||
                tsvc__oid_from_text(opts->policies[i], oid, sizeof(oid), &oid_len) != TSVC_OK)
                bad = true;
            else if (tsvc__oid_equal(&ti->policy, oid, oid_len))
                ok = true;
        }
        if (bad && !ok) {
            st = tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.verify.policies", -1,
                           "malformed accepted-policy OID");
            goto out;
        }
        char text[TSVC__OID_TEXT_MAX] = "?";
        (void)tsvc__oid_to_text(ti->policy.data, ti->policy.len, text, sizeof(text));
        tsvc__report_add(r, parent, "policy", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED, -1,
                         "TSA policy %s %s", text, ok ? "is accepted" : "is not accepted");
        if (!ok) {
            snprintf(reason, sizeof(reason), "the token's TSA policy %s is not accepted", text);
            fail(&v, TSVC_INDICATION_FAILED, TSVC_SUB_SIG_CONSTRAINTS_FAILURE, reason);
        }
    }
    if (signer == NULL)
        goto finish;

    /* The TSA path at genTime, then (reported only) now. */
    if ((st = make_store(ctx, store, tst, opts ? opts->certs : NULL, &vstore, err)) != TSVC_OK)
        goto out;
    if ((st = validate_at(ctx, signer, vstore, ti->gen_time, opts ? opts->policy : NULL, &sub,
                          err)) != TSVC_OK)
        goto out;
    {
        bool ok = tsvc_report_indication(sub) == TSVC_INDICATION_PASSED;
        int e = tsvc__report_add(r, parent, "tsa-path", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_FAILED,
                                 -1, "TSA certificate path at genTime: %s",
                                 ok ? "valid" : tsvc_report_reason(sub));
        if (e >= 0)
            tsvc__report_merge(r, e, sub, 0); /* carries the TSA's chain over */
        if (tsvc_report_status(sub) != TSVC_OK)
            tsvc__report_set_status(r, tsvc_report_status(sub));
        if (!ok) {
            snprintf(reason, sizeof(reason), "the TSA certificate path is not valid at genTime: %s",
                     tsvc_report_reason(sub));
            fail(&v, tsvc_report_indication(sub), tsvc_report_subindication(sub), reason);
        }
    }
    tsvc_report_free(sub);
    sub = NULL;
    if ((st = validate_at(ctx, signer, vstore, opts ? opts->now : 0,
                          opts ? opts->policy : NULL, &sub, err)) != TSVC_OK)
        goto out;
    {
        bool ok = tsvc_report_indication(sub) == TSVC_INDICATION_PASSED;
        int e = tsvc__report_add(r, parent, "tsa-path-now", ok ? TSVC_CHECK_PASSED : TSVC_CHECK_INFO,
                                 -1, "TSA certificate path now (for information): %s",
                                 ok ? "valid" : tsvc_report_reason(sub));
        if (e >= 0)
            tsvc__report_merge(r, e, sub, -1);
    }

finish:
    if (!v.decided) {
        int64_t secs = ti->gen_time;
        int64_t y;
        unsigned mo, d, h, mi, s;
        tsvc__time_to_civil(secs, &y, &mo, &d, &h, &mi, &s);
        tsvc__report_set_outcome(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE,
                                 "time-stamp token verified: genTime %04lld-%02u-%02uT%02u:%02u:%02uZ",
                                 (long long)y, mo, d, h, mi, s);
    }
    if ((st = tsvc__report_error(r)) != TSVC_OK)
        st = tsvc__err_code(err, st);
out:
    tsvc_report_free(sub);
    tsvc_store_free(vstore);
    return st;
}

static tsvc_status check_opts(const tsvc_tsp_verify_options *opts, tsvc_error **err)
{
    if (opts != NULL && opts->version != 1 && opts->version != TSVC_TSP_VERIFY_OPTIONS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, "tsp.verify.options", -1,
                         "unknown options version %u", (unsigned)opts->version);
    if (opts != NULL && ((opts->policies == NULL && opts->num_policies != 0) ||
                         (opts->nonce == NULL && opts->nonce_len != 0)))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.verify.options", -1,
                         "NULL list with a non-zero count");
    return TSVC_OK;
}

tsvc_status tsvc_tst_verify(tsvc_ctx *ctx, tsvc_report **report, const tsvc_tst *tst,
                            tsvc_hash_alg hash, const uint8_t *digest, size_t digest_len,
                            tsvc_store *store, const tsvc_tsp_verify_options *opts,
                            tsvc_error **err)
{
    tsvc_report *r = NULL;
    tsvc_status st;
    if (report == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.verify", -1, "NULL argument");
    *report = NULL;
    if (ctx == NULL || tst == NULL || store == NULL || (digest == NULL && digest_len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.verify", -1, "NULL argument");
    if ((st = check_opts(opts, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__report_new(ctx, "timestamp", &r)) != TSVC_OK)
        return tsvc__err_code(err, st);
    st = tsvc__tsp_verify_token(ctx, r, -1, tst, hash, digest, digest_len, store, opts, err);
    if (st != TSVC_OK) {
        tsvc_report_free(r);
        return st;
    }
    *report = r;
    return TSVC_OK;
}

tsvc_status tsvc_tsr_verify(tsvc_ctx *ctx, tsvc_report **report, const tsvc_tsr *tsr,
                            const tsvc_tsq *tsq, tsvc_store *store,
                            const tsvc_tsp_verify_options *opts, tsvc_error **err)
{
    tsvc_report *r = NULL;
    tsvc_status st;
    tsvc_tsp_verify_options o;
    char policy[TSVC__OID_TEXT_MAX];
    const char *policies[1] = {policy};
    if (report == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.verify", -1, "NULL argument");
    *report = NULL;
    if (ctx == NULL || tsr == NULL || tsq == NULL || store == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.verify", -1, "NULL argument");
    if ((st = check_opts(opts, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__report_new(ctx, "timestamp", &r)) != TSVC_OK)
        return tsvc__err_code(err, st);
    if ((st = tsvc__tsp_opts_load(opts, &o, err)) != TSVC_OK) {
        tsvc_report_free(r);
        return st;
    }
    o.nonce = tsvc_tsq_nonce(tsq, &o.nonce_len);
    if (o.num_policies == 0 && tsvc_tsq_policy(tsq, policy, sizeof(policy)) == TSVC_OK) {
        o.policies = policies;
        o.num_policies = 1;
    }
    int status = tsvc_tsr_status(tsr);
    const tsvc_tst *tst = tsvc_tsr_token(tsr);
    if (status != TSVC_PKI_GRANTED && status != TSVC_PKI_GRANTED_WITH_MODS) {
        char why[256];
        uint32_t fi = tsvc_tsr_fail_info(tsr);
        static const struct {
            uint32_t bit;
            const char *name;
        } names[] = {{TSVC_TSP_FAIL_BAD_ALG, "badAlg"},
                     {TSVC_TSP_FAIL_BAD_REQUEST, "badRequest"},
                     {TSVC_TSP_FAIL_BAD_DATA_FORMAT, "badDataFormat"},
                     {TSVC_TSP_FAIL_TIME_NOT_AVAILABLE, "timeNotAvailable"},
                     {TSVC_TSP_FAIL_UNACCEPTED_POLICY, "unacceptedPolicy"},
                     {TSVC_TSP_FAIL_UNACCEPTED_EXTENSION, "unacceptedExtension"},
                     {TSVC_TSP_FAIL_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable"},
                     {TSVC_TSP_FAIL_SYSTEM_FAILURE, "systemFailure"}};
        size_t used = 0;
        why[0] = 0;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if ((fi & names[i].bit) != 0 && used < sizeof(why)) {
                int k = snprintf(why + used, sizeof(why) - used, "%s%s", used ? "," : "",
                                 names[i].name);
                if (k > 0)
                    used += (size_t)k;
            }
        }
        tsvc__report_add(r, -1, "status", TSVC_CHECK_FAILED, -1, "%s%s%s%s%s",
                         tsvc_pki_status_str(status), why[0] ? " (failInfo " : "", why,
                         why[0] ? ")" : "", "");
        tsvc__report_set_outcome(r, TSVC_INDICATION_INDETERMINATE,
                                 status == TSVC_PKI_WAITING ? TSVC_SUB_TRY_LATER : TSVC_SUB_NO_POE,
                                 "the TSA did not grant the request: %s%s%s%s%s%s",
                                 tsvc_pki_status_str(status), why[0] ? ", failInfo " : "", why,
                                 tsvc_tsr_status_string(tsr)[0] ? " (\"" : "",
                                 tsvc_tsr_status_string(tsr),
                                 tsvc_tsr_status_string(tsr)[0] ? "\")" : "");
        /* A token beside another status is not taken as evidence. */
        goto done;
    } else {
        tsvc__report_add(r, -1, "status", TSVC_CHECK_PASSED, -1, "%s",
                         tsvc_pki_status_str(status));
    }
    if (tst == NULL)
        goto done;
    st = tsvc__tsp_verify_token(ctx, r, -1, tst, tsvc_tsq_hash_alg(tsq), tsq->digest,
                                tsq->digest_len, store, &o, err);
    if (st != TSVC_OK) {
        tsvc_report_free(r);
        return st;
    }
done:
    if ((st = tsvc__report_error(r)) != TSVC_OK) {
        tsvc_report_free(r);
        return tsvc__err_code(err, st);
    }
    *report = r;
    return TSVC_OK;
}
