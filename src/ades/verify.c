/*
 * SPDX-License-Identifier: Apache-2.0
 * CAdES B-B / CMS signature verification: per signer the format of the
 * signed attributes, the signing certificate (SignerIdentifier and
 * ESSCertIDv2), the message digest, the signature value, the algorithm
 * policy, the path validation (nested report) and the seal profile; the
 * signature report and its JSON form.
 */
#include <stdio.h>
#include <string.h>

#include "ades/ades.h"
#include "ades/bt.h"
#include "ades/lt.h"
#include "cms/tst.h"
#include "crypto/algpolicy.h"
#include "path/path.h"
#include "path/report.h"

#define OID(lit) (const uint8_t *)(lit), TSVC__CMS_OID_LEN(lit)
#define MAX_HASHES 6

typedef struct signer_result {
    tsvc_indication ind;
    tsvc_subindication sub;
    char reason[640];
    tsvc_report *checks;
    tsvc_cert *cert;
    bool has_time;
    int64_t signing_time;
    char commitment[TSVC__OID_TEXT_MAX];
    char org[512];
    char org_id[256];
    uint32_t qc;
    tsvc_hash_alg digest;
    tsvc_sig_scheme scheme;
    size_t chain_len;    /* the signer's validated path: checks' chain [0, chain_len) */
    bool has_best;       /* a signature time-stamp verified */
    int64_t best_time;   /* its genTime: the signature's proven time */
} signer_result;

struct tsvc_sig_report {
    const tsvc_ctx *ctx;
    tsvc_indication ind;
    tsvc_subindication sub;
    char reason[700];
    int64_t when;
    signer_result *signers;
    size_t num;
};

struct tsvc_verifier {
    tsvc_ctx *ctx;
    tsvc__cms *cms;
    tsvc_status parse_status;
    char parse_msg[300];
    tsvc_store *store;
    tsvc_policy *policy;
    tsvc_verify_options opts;
    tsvc_hash *hashes[MAX_HASHES];
    tsvc_hash_alg algs[MAX_HASHES];
    uint8_t digests[MAX_HASHES][TSVC_HASH_MAX_SIZE];
    size_t num_hashes;
    bool content_given;
    bool finished;
    tsvc_cert **certs; /* parsed SignedData certificates (NULL when unparsable) */
    size_t num_certs;
};

void tsvc_verify_options_init(tsvc_verify_options *opts)
{
    static const tsvc_verify_options init = TSVC_VERIFY_OPTIONS_INIT;
    if (opts != NULL)
        *opts = init;
}

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

void tsvc_sig_report_free(tsvc_sig_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->num; i++) {
        tsvc_report_free(r->signers[i].checks);
        tsvc_cert_free(r->signers[i].cert);
    }
    tsvc__free(r->ctx, r->signers);
    tsvc__free(r->ctx, r);
}

static const signer_result *sr_at(const tsvc_sig_report *r, size_t i)
{
    return (r != NULL && i < r->num) ? &r->signers[i] : NULL;
}

tsvc_indication tsvc_sig_report_indication(const tsvc_sig_report *r)
{
    return r ? r->ind : TSVC_INDICATION_NONE;
}

tsvc_subindication tsvc_sig_report_subindication(const tsvc_sig_report *r)
{
    return r ? r->sub : TSVC_SUB_NONE;
}

const char *tsvc_sig_report_reason(const tsvc_sig_report *r)
{
    return r ? r->reason : "";
}

int64_t tsvc_sig_report_time(const tsvc_sig_report *r)
{
    return r ? r->when : 0;
}

size_t tsvc_sig_report_num_signers(const tsvc_sig_report *r)
{
    return r ? r->num : 0;
}

tsvc_indication tsvc_sig_report_signer_indication(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return s ? s->ind : TSVC_INDICATION_NONE;
}

tsvc_subindication tsvc_sig_report_signer_subindication(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return s ? s->sub : TSVC_SUB_NONE;
}

const char *tsvc_sig_report_signer_reason(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return s ? s->reason : "";
}

const tsvc_cert *tsvc_sig_report_signer_cert(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return s ? s->cert : NULL;
}

int tsvc_sig_report_signer_signing_time(const tsvc_sig_report *r, size_t i, int64_t *when)
{
    const signer_result *s = sr_at(r, i);
    if (s == NULL || !s->has_time)
        return 0;
    if (when != NULL)
        *when = s->signing_time;
    return 1;
}

const char *tsvc_sig_report_signer_commitment_type(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return (s && s->commitment[0]) ? s->commitment : NULL;
}

const char *tsvc_sig_report_signer_organization(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return (s && s->org[0]) ? s->org : NULL;
}

const char *tsvc_sig_report_signer_organization_id(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return (s && s->org_id[0]) ? s->org_id : NULL;
}

const tsvc_report *tsvc_sig_report_signer_checks(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return s ? s->checks : NULL;
}

size_t tsvc_sig_report_signer_chain_count(const tsvc_sig_report *r, size_t i)
{
    const signer_result *s = sr_at(r, i);
    return s ? s->chain_len : 0;
}

const tsvc_cert *tsvc_sig_report_signer_chain_cert(const tsvc_sig_report *r, size_t i,
                                                   size_t k)
{
    const signer_result *s = sr_at(r, i);
    if (s == NULL || k >= s->chain_len)
        return NULL;
    return tsvc_report_chain_cert(s->checks, k);
}

int tsvc_sig_report_signer_best_signature_time(const tsvc_sig_report *r, size_t i,
                                               int64_t *when)
{
    const signer_result *s = sr_at(r, i);
    if (s == NULL || !s->has_best)
        return 0;
    if (when != NULL)
        *when = s->best_time;
    return 1;
}

static void json_key(tsvc__json *j, const char *key, bool first)
{
    if (!first)
        tsvc__json_raw(j, ",", 1);
    tsvc__json_str(j, key);
    tsvc__json_raw(j, ":", 1);
}

static void json_time(tsvc__json *j, int64_t t)
{
    int64_t y;
    unsigned mo, d, h, mi, s;
    char tmp[48];
    tsvc__time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(tmp, sizeof(tmp), "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi, s);
    tsvc__json_str(j, tmp);
}

static const char *hash_text(tsvc_hash_alg h)
{
    switch (h) {
    case TSVC_HASH_SHA1: return "SHA-1";
    case TSVC_HASH_SHA224: return "SHA-224";
    case TSVC_HASH_SHA256: return "SHA-256";
    case TSVC_HASH_SHA384: return "SHA-384";
    case TSVC_HASH_SHA512: return "SHA-512";
    default: return NULL;
    }
}

static const char *scheme_text(tsvc_sig_scheme s)
{
    switch (s) {
    case TSVC_SIG_RSA_PKCS1: return "RSA-PKCS1-v1_5";
    case TSVC_SIG_RSA_PSS: return "RSA-PSS";
    case TSVC_SIG_ECDSA: return "ECDSA";
    case TSVC_SIG_ED25519: return "Ed25519";
    default: return NULL;
    }
}

static void json_sub(tsvc__json *j, tsvc_subindication sub)
{
    if (sub == TSVC_SUB_NONE)
        tsvc__json_raw(j, "null", 4);
    else
        tsvc__json_str(j, tsvc_subindication_str((int)sub));
}

tsvc_status tsvc_sig_report_to_json(const tsvc_sig_report *r, tsvc_buf *out, tsvc_error **err)
{
    tsvc__json j;
    tsvc_status st = TSVC_OK;
    if (r == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "report and out are required");
    out->data = NULL;
    out->len = 0;
    tsvc__json_init(&j, r->ctx);
    tsvc__json_raw(&j, "{", 1);
    json_key(&j, "kind", true);
    tsvc__json_str(&j, "signature-verification");
    json_key(&j, "indication", false);
    tsvc__json_str(&j, tsvc_indication_str((int)r->ind));
    json_key(&j, "subindication", false);
    json_sub(&j, r->sub);
    json_key(&j, "reason", false);
    tsvc__json_str(&j, r->reason);
    json_key(&j, "validation_time", false);
    json_time(&j, r->when);
    json_key(&j, "signers", false);
    tsvc__json_raw(&j, "[", 1);
    for (size_t i = 0; i < r->num; i++) {
        const signer_result *s = &r->signers[i];
        if (i > 0)
            tsvc__json_raw(&j, ",", 1);
        tsvc__json_raw(&j, "{", 1);
        json_key(&j, "index", true);
        tsvc__json_int(&j, (int64_t)i);
        json_key(&j, "indication", false);
        tsvc__json_str(&j, tsvc_indication_str((int)s->ind));
        json_key(&j, "subindication", false);
        json_sub(&j, s->sub);
        json_key(&j, "reason", false);
        tsvc__json_str(&j, s->reason);
        json_key(&j, "digest_algorithm", false);
        tsvc__json_str(&j, hash_text(s->digest));
        json_key(&j, "signature_algorithm", false);
        tsvc__json_str(&j, scheme_text(s->scheme));
        json_key(&j, "claimed_signing_time", false);
        if (s->has_time)
            json_time(&j, s->signing_time);
        else
            tsvc__json_raw(&j, "null", 4);
        json_key(&j, "best_signature_time", false);
        if (s->has_best)
            json_time(&j, s->best_time);
        else
            tsvc__json_raw(&j, "null", 4);
        json_key(&j, "commitment_type", false);
        tsvc__json_str(&j, s->commitment[0] ? s->commitment : NULL);
        json_key(&j, "signing_certificate", false);
        if (s->cert != NULL) {
            tsvc_buf subj = TSVC_BUF_INIT, iss = TSVC_BUF_INIT;
            char serial[2 * 20 + 1] = "";
            for (size_t k = 0; k < s->cert->serial.len && k < 20; k++)
                snprintf(serial + 2 * k, 3, "%02x", s->cert->serial.data[k]);
            (void)tsvc__name_to_text(r->ctx, &s->cert->subject, &subj, NULL);
            (void)tsvc__name_to_text(r->ctx, &s->cert->issuer, &iss, NULL);
            tsvc__json_raw(&j, "{", 1);
            json_key(&j, "subject", true);
            tsvc__json_strn(&j, subj.data ? (const char *)subj.data : "", subj.len);
            json_key(&j, "issuer", false);
            tsvc__json_strn(&j, iss.data ? (const char *)iss.data : "", iss.len);
            json_key(&j, "serial", false);
            tsvc__json_str(&j, serial);
            tsvc__json_raw(&j, "}", 1);
            tsvc_buf_dispose(&subj);
            tsvc_buf_dispose(&iss);
        } else {
            tsvc__json_raw(&j, "null", 4);
        }
        json_key(&j, "organization", false);
        if (s->org[0] || s->org_id[0]) {
            tsvc__json_raw(&j, "{", 1);
            json_key(&j, "name", true);
            tsvc__json_str(&j, s->org[0] ? s->org : NULL);
            json_key(&j, "identifier", false);
            tsvc__json_str(&j, s->org_id[0] ? s->org_id : NULL);
            json_key(&j, "qc_compliance", false);
            tsvc__json_raw(&j, (s->qc & TSVC_QC_COMPLIANCE) ? "true" : "false",
                           (s->qc & TSVC_QC_COMPLIANCE) ? 4 : 5);
            json_key(&j, "qc_type_eseal", false);
            tsvc__json_raw(&j, (s->qc & TSVC_QC_TYPE_ESEAL) ? "true" : "false",
                           (s->qc & TSVC_QC_TYPE_ESEAL) ? 4 : 5);
            json_key(&j, "legal_person", false);
            tsvc__json_raw(&j, (s->qc & TSVC_QC_LEGAL_PERSON) ? "true" : "false",
                           (s->qc & TSVC_QC_LEGAL_PERSON) ? 4 : 5);
            tsvc__json_raw(&j, "}", 1);
        } else {
            tsvc__json_raw(&j, "null", 4);
        }
        /* The signer's path is the first signer_chain_length certificates of
         * checks.chain; the rest belong to time-stamp authorities' paths. */
        json_key(&j, "signer_chain_length", false);
        {
            char num[32];
            int nl = snprintf(num, sizeof(num), "%zu", s->chain_len);
            tsvc__json_raw(&j, num, (size_t)nl);
        }
        json_key(&j, "checks", false);
        if (s->checks != NULL) {
            tsvc_buf cj = TSVC_BUF_INIT;
            st = tsvc_report_to_json(s->checks, &cj, NULL);
            if (st == TSVC_OK)
                tsvc__json_raw(&j, (const char *)cj.data, cj.len);
            else
                j.failed = true;
            tsvc_buf_dispose(&cj);
        } else {
            tsvc__json_raw(&j, "null", 4);
        }
        tsvc__json_raw(&j, "}", 1);
    }
    tsvc__json_raw(&j, "]", 1);
    tsvc__json_raw(&j, "}", 1);
    st = tsvc__json_finish(&j, out);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Verifier                                                            */
/* ------------------------------------------------------------------ */

void tsvc_verifier_free(tsvc_verifier *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->num_hashes; i++)
        tsvc_hash_free(v->hashes[i]);
    for (size_t i = 0; i < v->num_certs; i++)
        tsvc_cert_free(v->certs[i]);
    tsvc__free(v->ctx, v->certs);
    tsvc__cms_free(v->cms);
    tsvc_store_free(v->store);
    tsvc_policy_free(v->policy);
    tsvc__free(v->ctx, v);
}

static int hash_index(const tsvc_verifier *v, tsvc_hash_alg alg)
{
    for (size_t i = 0; i < v->num_hashes; i++)
        if (v->algs[i] == alg)
            return (int)i;
    return -1;
}

tsvc_status tsvc_verifier_new(tsvc_ctx *ctx, tsvc_verifier **out, const uint8_t *cms,
                              size_t cms_len, tsvc_store *store, tsvc_policy *policy,
                              const tsvc_verify_options *opts, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_verifier *v = NULL;
    tsvc_error *perr = NULL;
    if (out == NULL || (cms == NULL && cms_len > 0) || store == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out, cms and store are required");
    *out = NULL;
    if (opts != NULL && opts->version != TSVC_VERIFY_OPTIONS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, NULL, -1,
                         "unknown tsvc_verify_options version");
    v = tsvc__calloc(ctx, 1, sizeof(*v));
    if (v == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    v->ctx = ctx;
    v->store = tsvc_store_ref(store);
    v->policy = tsvc_policy_ref(policy);
    tsvc_verify_options_init(&v->opts);
    if (opts != NULL)
        v->opts = *opts;
    v->parse_status = tsvc__cms_parse(ctx, cms, cms_len, &v->cms, &perr);
    if (v->parse_status == TSVC_ERR_NOMEM) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    if (v->parse_status != TSVC_OK) {
        snprintf(v->parse_msg, sizeof(v->parse_msg), "%s (%s%s%lld)",
                 tsvc_error_message(perr), tsvc_error_check(perr) ? tsvc_error_check(perr) : "",
                 tsvc_error_check(perr) ? ", offset " : "offset ",
                 (long long)tsvc_error_offset(perr));
        goto done;
    }
    /* One running hash per distinct digest algorithm of the signers. */
    for (size_t i = 0; i < v->cms->num_signers; i++) {
        tsvc_hash_alg alg;
        if (tsvc__hash_alg_parse(&v->cms->signers[i].digest_alg, &alg, NULL) != TSVC_OK)
            continue;
        if (hash_index(v, alg) >= 0 || v->num_hashes >= MAX_HASHES)
            continue;
        if ((st = tsvc_hash_new(ctx, &v->hashes[v->num_hashes], alg, err)) != TSVC_OK) {
            if (st == TSVC_ERR_NOMEM)
                goto out;
            st = TSVC_OK; /* no backend for it: that signer will say so */
            continue;
        }
        v->algs[v->num_hashes++] = alg;
    }
    /* The SignedData's certificates, parsed once. */
    if (v->cms->num_certs > 0) {
        v->certs = tsvc__calloc(ctx, v->cms->num_certs, sizeof(tsvc_cert *));
        if (v->certs == NULL) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
        v->num_certs = v->cms->num_certs;
        for (size_t i = 0; i < v->num_certs; i++) {
            tsvc_status cs = tsvc__cert_parse_der(ctx, &v->certs[i], v->cms->certs[i].data,
                                                  v->cms->certs[i].len, NULL);
            if (cs == TSVC_ERR_NOMEM) {
                st = tsvc__err_code(err, cs);
                goto out;
            }
            if (cs != TSVC_OK)
                v->certs[i] = NULL;
        }
    }
done:
    *out = v;
    v = NULL;
out:
    tsvc_error_free(perr);
    tsvc_verifier_free(v);
    return st;
}

tsvc_status tsvc_verifier_update(tsvc_verifier *v, const void *data, size_t len,
                                 tsvc_error **err)
{
    tsvc_status st;
    if (v == NULL || (data == NULL && len > 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "verifier and data are required");
    if (v->finished)
        return tsvc__err(err, TSVC_ERR_STATE, NULL, -1, "the verifier has finished");
    v->content_given = true;
    for (size_t i = 0; i < v->num_hashes; i++)
        if ((st = tsvc_hash_update(v->hashes[i], data, len, err)) != TSVC_OK)
            return st;
    return TSVC_OK;
}

/* ---- one signer ---- */

typedef struct sctx {
    tsvc_verifier *v;
    size_t index;
    const tsvc__cms_signer *si;
    signer_result *sr;
    tsvc_report *r;
    int64_t when;
    const tsvc_algorithm_policy *ap;
    tsvc_store *path_store;
    bool decided;
    tsvc_status error; /* NOMEM or a backend/clock failure: the call fails */
} sctx;

static void decide(sctx *c, tsvc_indication ind, tsvc_subindication sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void decide(sctx *c, tsvc_indication ind, tsvc_subindication sub, const char *fmt, ...)
{
    va_list ap;
    if (c->decided)
        return;
    c->decided = true;
    c->sr->ind = ind;
    c->sr->sub = sub;
    va_start(ap, fmt);
    vsnprintf(c->sr->reason, sizeof(c->sr->reason), fmt, ap);
    va_end(ap);
}

#define FAIL_FORMAT(c, name, ...)                                                          \
    do {                                                                                   \
        tsvc__report_add((c)->r, -1, name, TSVC_CHECK_FAILED, -1, __VA_ARGS__);             \
        decide(c, TSVC_INDICATION_FAILED, TSVC_SUB_FORMAT_FAILURE, __VA_ARGS__);           \
    } while (0)

/* Format of the signed attributes; gives the message-digest value. */
static bool check_format(sctx *c, tsvc__cbs *md)
{
    const tsvc__cms_signer *si = c->si;
    const tsvc__cms *cms = c->v->cms;
    const tsvc__cms_attr *a;
    size_t n = 0;
    if (cms->num_digest_algs == 0) {
        FAIL_FORMAT(c, "format", "digestAlgorithms is empty");
        return false;
    }
    if (!si->has_signed_attrs) {
        FAIL_FORMAT(c, "format", "no signed attributes (CAdES requires them)");
        return false;
    }
    if (si->signed_attrs_not_der) {
        FAIL_FORMAT(c, "format",
                    "signed attributes are not DER-encoded (BER, or not in SET OF order)");
        return false;
    }
    for (size_t i = 0; i < si->num_sattrs; i++)
        for (size_t k = i + 1; k < si->num_sattrs; k++)
            if (tsvc__cbs_equal(&si->sattrs[i].type, si->sattrs[k].type.data,
                                si->sattrs[k].type.len)) {
                char oid[TSVC__OID_TEXT_MAX];
                tsvc__ades_oid_text(&si->sattrs[i].type, oid, sizeof(oid));
                FAIL_FORMAT(c, "format", "signed attribute %s appears more than once", oid);
                return false;
            }
    for (size_t i = 0; i < si->num_sattrs; i++)
        if (si->sattrs[i].num_values != 1) {
            char oid[TSVC__OID_TEXT_MAX];
            tsvc__ades_oid_text(&si->sattrs[i].type, oid, sizeof(oid));
            FAIL_FORMAT(c, "format", "signed attribute %s must have exactly one value", oid);
            return false;
        }
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_CONTENT_TYPE), &n);
    if (a == NULL) {
        FAIL_FORMAT(c, "content-type", "content-type signed attribute missing");
        return false;
    }
    {
        tsvc__cbs v = a->first, oid;
        if (tsvc__der_get_oid(&v, &oid, NULL) != TSVC_OK || v.len != 0) {
            FAIL_FORMAT(c, "content-type", "content-type value is not an OBJECT IDENTIFIER");
            return false;
        }
        if (!tsvc__cbs_equal(&oid, cms->econtent_type.data, cms->econtent_type.len)) {
            FAIL_FORMAT(c, "content-type", "content-type attribute differs from eContentType");
            return false;
        }
    }
    tsvc__report_add(c->r, -1, "content-type", TSVC_CHECK_PASSED, -1, "matches eContentType");
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_MESSAGE_DIGEST), &n);
    if (a == NULL) {
        FAIL_FORMAT(c, "message-digest", "message-digest signed attribute missing");
        return false;
    }
    {
        tsvc__cbs v = a->first;
        if (tsvc__der_get_octet_string(&v, md, NULL) != TSVC_OK || v.len != 0) {
            FAIL_FORMAT(c, "message-digest", "message-digest value is not an OCTET STRING");
            return false;
        }
    }
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_SIGNING_TIME), &n);
    if (a != NULL) {
        tsvc__cbs v = a->first;
        if (tsvc__der_get_time(&v, TSVC__TIME_RFC5280, &c->sr->signing_time, NULL, NULL) !=
                TSVC_OK ||
            v.len != 0) {
            FAIL_FORMAT(c, "signing-time", "signing-time value is not a valid Time");
            return false;
        }
        c->sr->has_time = true;
        int64_t y;
        unsigned mo, d, h, mi, sec;
        tsvc__time_to_civil(c->sr->signing_time, &y, &mo, &d, &h, &mi, &sec);
        tsvc__report_add(c->r, -1, "signing-time", TSVC_CHECK_INFO, -1,
                         "claimed signing time %04lld-%02u-%02uT%02u:%02u:%02uZ (a claim only at "
                         "level B-B)",
                         (long long)y, mo, d, h, mi, sec);
    } else {
        tsvc__report_add(c->r, -1, "signing-time", TSVC_CHECK_INFO, -1,
                         "no claimed signing time (CAdES B-B asks for one)");
    }
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_COMMITMENT_TYPE), &n);
    if (a != NULL) {
        tsvc__cbs v = a->first, seq, oid;
        if (tsvc__der_get(&v, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK ||
            tsvc__der_get_oid(&seq, &oid, NULL) != TSVC_OK) {
            FAIL_FORMAT(c, "commitment-type", "malformed commitment-type-indication");
            return false;
        }
        tsvc__ades_oid_text(&oid, c->sr->commitment, sizeof(c->sr->commitment));
        tsvc__report_add(c->r, -1, "commitment-type", TSVC_CHECK_INFO, -1, "%s",
                         c->sr->commitment);
    }
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_SIG_POLICY_ID), &n);
    if (a != NULL) {
        tsvc__cbs v = a->first, seq, oid;
        char text[TSVC__OID_TEXT_MAX];
        if (tsvc__der_peek_tag(&v, TSVC__TAG_NULL)) {
            tsvc__report_add(c->r, -1, "signature-policy", TSVC_CHECK_INFO, -1,
                             "implied signature policy");
        } else if (tsvc__der_get(&v, TSVC__TAG_SEQUENCE, &seq, NULL) == TSVC_OK &&
                   tsvc__der_get_oid(&seq, &oid, NULL) == TSVC_OK) {
            tsvc__ades_oid_text(&oid, text, sizeof(text));
            tsvc__report_add(c->r, -1, "signature-policy", TSVC_CHECK_INFO, -1,
                             "signature-policy-identifier %s (the policy document is not "
                             "checked)",
                             text);
        } else {
            FAIL_FORMAT(c, "signature-policy", "malformed signature-policy-identifier");
            return false;
        }
    }
    a = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_SIGNER_LOCATION), &n);
    if (a != NULL) {
        tsvc__cbs v = a->first, seq, f, str;
        char country[64] = "", locality[128] = "";
        uint32_t tag;
        if (tsvc__der_get(&v, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK) {
            FAIL_FORMAT(c, "signer-location", "malformed signer-location");
            return false;
        }
        while (seq.len > 0 && tsvc__der_get_any(&seq, &tag, &f, NULL, NULL) == TSVC_OK) {
            char *dst = tag == TSVC__TAG_CONTEXT_C(0)   ? country
                        : tag == TSVC__TAG_CONTEXT_C(1) ? locality
                                                        : NULL;
            size_t cap = tag == TSVC__TAG_CONTEXT_C(0) ? sizeof(country) : sizeof(locality);
            if (dst != NULL && tsvc__der_get_any(&f, NULL, &str, NULL, NULL) == TSVC_OK) {
                size_t k = str.len < cap - 1 ? str.len : cap - 1;
                memcpy(dst, str.data, k);
                dst[k] = '\0';
            }
        }
        tsvc__report_add(c->r, -1, "signer-location", TSVC_CHECK_INFO, -1,
                         "country \"%s\", locality \"%s\"", country, locality);
    }
    return true;
}

static bool sid_matches(const tsvc__cms_signer *si, const tsvc_cert *c)
{
    if (c == NULL)
        return false;
    if (si->sid_is_ski)
        return c->ski.present &&
               tsvc__cbs_equal(&si->sid_ski, c->ski.key_id.data, c->ski.key_id.len);
    return tsvc__cbs_equal(&si->sid_serial, c->serial.data, c->serial.len) &&
           tsvc__name_equal(&si->sid_issuer, &c->issuer);
}

/* Finds the signing certificate and binds it through signing-certificate(-v2). */
static bool check_signing_cert(sctx *c)
{
    const tsvc__cms_signer *si = c->si;
    tsvc_verifier *v = c->v;
    const tsvc__cms_attr *a2, *a1;
    size_t n2 = 0, n1 = 0;
    const tsvc_cert *cands[16];
    size_t nc = 0;
    const char *why = "the signing-certificate attribute names no candidate";
    for (size_t i = 0; i < v->num_certs && nc < 16; i++)
        if (sid_matches(si, v->certs[i]))
            cands[nc++] = v->certs[i];
    for (size_t i = 0; i < v->store->num_inter && nc < 16; i++)
        if (sid_matches(si, v->store->inter[i]))
            cands[nc++] = v->store->inter[i];
    for (size_t i = 0; i < v->store->num_anchors && nc < 16; i++)
        if (sid_matches(si, v->store->anchors[i].cert))
            cands[nc++] = v->store->anchors[i].cert;
    if (nc == 0) {
        tsvc__report_add(c->r, -1, "signing-certificate", TSVC_CHECK_FAILED, -1,
                         "no certificate matches the signer identifier");
        decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND,
               "no certificate matches the signer identifier (%s)",
               si->sid_is_ski ? "subjectKeyIdentifier" : "issuerAndSerialNumber");
        return false;
    }
    a2 = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_SIGNING_CERT_V2), &n2);
    a1 = tsvc__cms_find_attr(si->sattrs, si->num_sattrs, OID(TSVC__OID_AA_SIGNING_CERT), &n1);
    if (a2 == NULL && a1 == NULL) {
        c->sr->cert = tsvc_cert_ref((tsvc_cert *)cands[0]);
        tsvc__report_add(c->r, -1, "signing-certificate", TSVC_CHECK_FAILED, -1,
                         "no signing-certificate-v2 attribute: the certificate is not bound to "
                         "the signature");
        decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND,
               "signing-certificate-v2 attribute missing");
        return false;
    }
    for (size_t i = 0; i < nc; i++) {
        tsvc__ess_result res = TSVC__ESS_ABSENT;
        bool v2 = false;
        if (tsvc__cms_ess_check(v->ctx, si, cands[i], &res, &v2, NULL) != TSVC_OK) {
            why = "cannot hash the certificate for ESSCertID";
            continue;
        }
        if (res == TSVC__ESS_MALFORMED) {
            why = "malformed or duplicated signing-certificate attribute";
            break;
        }
        if (res == TSVC__ESS_MATCH) {
            c->sr->cert = tsvc_cert_ref((tsvc_cert *)cands[i]);
            tsvc__report_add(c->r, -1, "signing-certificate", TSVC_CHECK_PASSED, -1,
                             "found by %s, bound by %s",
                             si->sid_is_ski ? "subjectKeyIdentifier" : "issuerAndSerialNumber",
                             v2 ? "ESSCertIDv2" : "ESSCertID (SHA-1)");
            return true;
        }
        why = "the certificate's hash, issuer or serial number differs from the "
              "signing-certificate attribute";
    }
    c->sr->cert = tsvc_cert_ref((tsvc_cert *)cands[0]);
    tsvc__report_add(c->r, -1, "signing-certificate", TSVC_CHECK_FAILED, -1, "%s", why);
    decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND,
           "ESSCertIDv2 check failed: %s", why);
    return false;
}

/* The signature time-stamps of the SignerInfo (B-T), when it has any:
 * verified by the B-T check (imprint over this SignerInfo's signature
 * value, TSA path at genTime); the earliest verified genTime is the
 * signature's proven time. A malformed or tampered token fails the
 * signature, as tsvc_ltv_verify() does. */
static void signature_timestamps(sctx *c)
{
    tsvc_verifier *v = c->v;
    size_t n = 0;
    tsvc__bt_result bt;
    tsvc_tsp_verify_options o;
    if (c->path_store == NULL ||
        tsvc__cms_find_attr(c->si->uattrs, c->si->num_uattrs, OID(TSVC__OID_AA_TIMESTAMP_TOKEN),
                            &n) == NULL)
        return;
    tsvc_tsp_verify_options_init(&o);
    o.policy = v->policy;
    tsvc_status st =
        tsvc__ades_bt_check(v->ctx, c->r, -1, v->cms, c->index, c->path_store, &o, &bt, NULL);
    if (st != TSVC_OK) {
        c->error = st;
        return;
    }
    if (bt.num_verified > 0 && bt.proven_time <= c->when) {
        char t[32];
        c->sr->has_best = true;
        c->sr->best_time = bt.proven_time;
        tsvc__lt_fmt_time(bt.proven_time, t);
        tsvc__report_add(c->r, -1, "best-signature-time", TSVC_CHECK_PASSED, -1,
                         "the signature existed at %s (signature time-stamp)", t);
    }
    if (bt.indication == TSVC_INDICATION_FAILED)
        decide(c, TSVC_INDICATION_FAILED, bt.subindication, "%s", bt.reason);
}

/* A path that failed at the validation time for expiry or revocation,
 * judged again at the best signature time with the long-term validation's
 * rules (tsvc__lt_signer_at(), shared with tsvc_ltv_verify()): a
 * certificate that expired or was revoked after the proven time does not
 * fail the signature. Returns true when that judgement replaced the
 * outcome at the validation time. */
static bool judge_at_best_time(sctx *c, tsvc_subindication sub, int parent)
{
    tsvc_verifier *v = c->v;
    tsvc__lt_material *m = NULL;
    tsvc__lt_decision d;
    tsvc_status st = TSVC_OK;
    if (!c->sr->has_best || c->error != TSVC_OK)
        return false;
    if (sub != TSVC_SUB_EXPIRED && sub != TSVC_SUB_OUT_OF_BOUNDS_NO_POE &&
        sub != TSVC_SUB_OUT_OF_BOUNDS_NOT_REVOKED && sub != TSVC_SUB_REVOKED &&
        sub != TSVC_SUB_REVOKED_NO_POE && sub != TSVC_SUB_REVOKED_CA_NO_POE)
        return false;
    memset(&d, 0, sizeof(d));
    m = tsvc__calloc(v->ctx, 1, sizeof(*m));
    if (m == NULL) {
        c->error = TSVC_ERR_NOMEM;
        return false;
    }
    tsvc__lt_material_init(m, v->ctx);
    st = tsvc__lt_collect(m, v->cms, c->index);
    if (st == TSVC_OK)
        st = tsvc__lt_add_store(m, v->store);
    for (size_t i = 0; i < v->store->num_inter && st == TSVC_OK; i++)
        st = tsvc__lt_add_cert_der(m, v->store->inter[i]->der, v->store->inter[i]->der_len,
                                   NULL);
    if (st == TSVC_OK)
        st = tsvc__lt_signer_at(
            v->ctx, m, v->store, c->ap, c->sr->cert, c->sr->best_time, true,
            v->policy != NULL ? v->policy->rev_mode : TSVC_REVOCATION_NONE,
            v->policy != NULL && v->policy->rev_fetch != TSVC_REVOCATION_FETCH_NEVER, c->r,
            parent, &d, NULL);
    tsvc__lt_material_clear(m);
    tsvc__free(v->ctx, m);
    if (st == TSVC_ERR_LIMIT_COUNT)
        return false; /* too much material: the outcome at the validation time stands */
    if (st != TSVC_OK) {
        c->error = st;
        return false;
    }
    if (d.decided)
        decide(c, d.ind, d.sub, "at the best signature time: %s", d.reason);
    return true;
}

static void verify_signer(sctx *c)
{
    tsvc_verifier *v = c->v;
    const tsvc__cms_signer *si = c->si;
    tsvc__cbs md;
    tsvc_hash_alg dalg = TSVC_HASH_NONE;
    tsvc__sig_params params;
    tsvc_buf tbs = TSVC_BUF_INIT;
    uint8_t digest[TSVC_HASH_MAX_SIZE];
    memset(&params, 0, sizeof(params));

    /* 1. format */
    if (tsvc__hash_alg_parse(&si->digest_alg, &dalg, NULL) != TSVC_OK) {
        FAIL_FORMAT(c, "digest-algorithm", "unknown or malformed digestAlgorithm");
        return;
    }
    c->sr->digest = dalg;
    if (tsvc__cms_signer_sig_params(si, &params, NULL) != TSVC_OK) {
        FAIL_FORMAT(c, "signature-algorithm", "unknown or malformed signatureAlgorithm");
        return;
    }
    c->sr->scheme = params.scheme;
    if (!check_format(c, &md))
        return;
    tsvc__report_add(c->r, -1, "format", TSVC_CHECK_PASSED, -1,
                     "signed attributes well-formed (DER, each once)");

    /* 2. signing certificate */
    (void)check_signing_cert(c);
    if (c->sr->cert != NULL) {
        tsvc__ades_org_text(c->sr->cert, c->sr->org, sizeof(c->sr->org), c->sr->org_id,
                            sizeof(c->sr->org_id));
        c->sr->qc = tsvc_cert_qc_flags(c->sr->cert);
    }

    /* 3. message digest */
    if (v->cms->has_content) {
        if (tsvc__hash_oneshot(v->ctx, dalg, v->cms->content.data, v->cms->content.len, digest,
                               NULL) != TSVC_OK) {
            tsvc__report_add(c->r, -1, "message-digest", TSVC_CHECK_FAILED, -1,
                             "no backend computes %s", hash_text(dalg));
            decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE,
                   "digest algorithm not available");
            return;
        }
    } else if (v->content_given && hash_index(v, dalg) >= 0) {
        memcpy(digest, v->digests[hash_index(v, dalg)], tsvc__hash_size(dalg));
    } else {
        tsvc__report_add(c->r, -1, "message-digest", TSVC_CHECK_FAILED, -1,
                         "detached signature: the content was not given");
        decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_SIGNED_DATA_NOT_FOUND,
               "detached signature: the signed content was not given");
        return;
    }
    if (!tsvc__cbs_equal(&md, digest, tsvc__hash_size(dalg))) {
        tsvc__report_add(c->r, -1, "message-digest", TSVC_CHECK_FAILED, -1,
                         "the content's %s digest differs from the message-digest attribute",
                         hash_text(dalg));
        decide(c, TSVC_INDICATION_FAILED, TSVC_SUB_HASH_FAILURE,
               "message-digest does not match the content");
    } else {
        tsvc__report_add(c->r, -1, "message-digest", TSVC_CHECK_PASSED, -1, "%s matches",
                         hash_text(dalg));
    }

    /* 4. signature value */
    if (c->sr->cert != NULL && c->sr->cert->pubkey != NULL) {
        tsvc_status st = tsvc__cms_signed_attrs_tbs(v->ctx, si, &tbs);
        if (st == TSVC_OK)
            st = tsvc__verify(v->ctx, c->sr->cert->pubkey, &params, tbs.data, tbs.len,
                              si->sig_value.data, si->sig_value.len, NULL);
        if (st == TSVC_OK) {
            tsvc__report_add(c->r, -1, "signature", TSVC_CHECK_PASSED, -1,
                             "%s signature over the signed attributes verifies",
                             scheme_text(params.scheme));
        } else if (st == TSVC_ERR_NO_BACKEND || st == TSVC_ERR_NOMEM) {
            tsvc__report_add(c->r, -1, "signature", TSVC_CHECK_FAILED, -1,
                             "cannot verify: %s", tsvc_status_str(st));
            decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE,
                   "signature cannot be verified: %s", tsvc_status_str(st));
            } else {
            tsvc__report_add(c->r, -1, "signature", TSVC_CHECK_FAILED, -1,
                             "the signature value does not verify (%s)", tsvc_status_str(st));
            decide(c, TSVC_INDICATION_FAILED, TSVC_SUB_SIG_CRYPTO_FAILURE,
                   "the signature value does not verify with the signing certificate's key");
            }
    } else if (c->sr->cert != NULL) {
        tsvc__report_add(c->r, -1, "signature", TSVC_CHECK_SKIPPED, -1,
                         "the signing certificate's key type is not supported");
        decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE,
               "the signing certificate's key type is not supported");
    }
    tsvc_buf_dispose(&tbs);

    /* 5. algorithm policy at the validation time */
    {
        tsvc__algpol_family fam = TSVC__ALGPOL_FAMILY_NONE;
        unsigned bits = 0;
        char why[256];
        const char *rule = NULL;
        bool ok = tsvc__algpolicy_accepts(c->ap, TSVC_SIG_NONE, dalg, TSVC__ALGPOL_FAMILY_NONE,
                                          0, c->when, &rule, why, sizeof(why));
        if (ok)
            ok = tsvc__algpolicy_accepts(c->ap, params.scheme, params.hash,
                                         TSVC__ALGPOL_FAMILY_NONE, 0, c->when, &rule, why,
                                         sizeof(why));
        if (ok && c->sr->cert != NULL &&
            tsvc__algpolicy_spki_key(c->sr->cert->spki.data, c->sr->cert->spki.len, &fam, &bits))
            ok = tsvc__algpolicy_accepts(c->ap, TSVC_SIG_NONE, TSVC_HASH_NONE, fam, bits,
                                         c->when, &rule, why, sizeof(why));
        if (ok) {
            tsvc__report_add(c->r, -1, "crypto-constraints", TSVC_CHECK_PASSED, -1,
                             "%s with %s accepted at the validation time",
                             scheme_text(params.scheme), hash_text(dalg));
        } else {
            tsvc__report_add(c->r, -1, "crypto-constraints", TSVC_CHECK_FAILED, -1, "%s", why);
            decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE, "%s",
                   why);
        }
    }

    /* 6. path validation of the signing certificate at the validation
     *    time, then the signature time-stamps (B-T); with one verified, a
     *    path that failed for expiry or revocation is judged again at its
     *    genTime (EN 319 102-1 section 5.5). */
    if (c->sr->cert != NULL && c->path_store != NULL) {
        tsvc_report *pr = NULL;
        tsvc_status st = tsvc_validate(v->ctx, &pr, c->sr->cert, c->path_store, v->policy, NULL);
        if (st == TSVC_OK && pr != NULL) {
            int g = tsvc__report_add(c->r, -1, "certificate-validation",
                                     tsvc_report_indication(pr) == TSVC_INDICATION_PASSED
                                         ? TSVC_CHECK_PASSED
                                         : TSVC_CHECK_FAILED,
                                     -1, "%s", tsvc_report_reason(pr));
            tsvc__report_merge(c->r, g, pr, 0);
            /* Merged first: the signer's path is the start of the chain. */
            c->sr->chain_len = tsvc_report_chain_count(c->r);
            if (c->sr->chain_len > tsvc_report_chain_count(pr))
                c->sr->chain_len = tsvc_report_chain_count(pr);
            /* The chain's algorithms under the same policy. */
            size_t n = tsvc_report_chain_count(pr);
            for (size_t k = 0; k < n; k++) {
                const tsvc_cert *cc = tsvc_report_chain_cert(pr, k);
                char why[300];
                bool anchor = k + 1 == n && cc != NULL && cc->self_issued;
                if (cc != NULL &&
                    !tsvc__algpolicy_check_cert(c->ap, &cc->sig_params, !anchor, cc->spki.data,
                                                cc->spki.len, c->when, why, sizeof(why))) {
                    tsvc__report_add(c->r, g, "crypto-constraints", TSVC_CHECK_FAILED, (int)k,
                                     "%s", why);
                    decide(c, TSVC_INDICATION_INDETERMINATE,
                           TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE, "certificate %zu of the chain: %s",
                           k, why);
                }
            }
            signature_timestamps(c);
            if (tsvc_report_indication(pr) != TSVC_INDICATION_PASSED &&
                !judge_at_best_time(c, tsvc_report_subindication(pr), g))
                decide(c, tsvc_report_indication(pr), tsvc_report_subindication(pr),
                       "certificate validation: %s", tsvc_report_reason(pr));
        } else {
            tsvc__report_add(c->r, -1, "certificate-validation", TSVC_CHECK_FAILED, -1,
                             "path validation did not run: %s", tsvc_status_str(st));
            decide(c, TSVC_INDICATION_INDETERMINATE,
                   TSVC_SUB_CERTIFICATE_CHAIN_GENERAL_FAILURE, "path validation did not run: %s",
                   tsvc_status_str(st));
            if (st == TSVC_ERR_NOMEM)
                c->error = st;
        }
        tsvc_report_free(pr);
    } else {
        signature_timestamps(c);
    }

    /* 7. seal profile */
    if (v->opts.profile == TSVC_VERIFY_SEAL && c->sr->cert != NULL) {
        char why[400];
        if (tsvc__ades_seal_check(c->sr->cert, v->opts.seal_key_usage, why, sizeof(why)) ==
            TSVC_OK) {
            tsvc__report_add(c->r, -1, "seal-profile", TSVC_CHECK_PASSED, -1,
                             "sealed by %s (%s)", c->sr->org, c->sr->org_id);
        } else {
            tsvc__report_add(c->r, -1, "seal-profile", TSVC_CHECK_FAILED, -1, "%s", why);
            decide(c, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_SIG_CONSTRAINTS_FAILURE,
                   "seal profile: %s", why);
        }
    }
    if (!c->decided)
        decide(c, TSVC_INDICATION_PASSED, TSVC_SUB_NONE, "%s", "");
}

/* A store for path building: the caller's anchors, intermediates, CRLs and
 * OCSP responses plus the SignedData's certificates as (untrusted)
 * intermediates. */
static tsvc_status make_path_store(tsvc_verifier *v, tsvc_store **out)
{
    tsvc_store *s = NULL;
    tsvc_status st = tsvc_store_new(v->ctx, &s, NULL);
    if (st != TSVC_OK)
        return st;
    for (size_t i = 0; i < v->store->num_anchors && st == TSVC_OK; i++) {
        const tsvc__anchor *a = &v->store->anchors[i];
        if (a->cert != NULL) {
            st = tsvc_store_add_anchor(s, a->cert, NULL);
        } else {
            size_t spki_len = 0;
            const uint8_t *spki = tsvc__pubkey_spki(a->key, &spki_len);
            st = tsvc_store_add_anchor_key(s, spki, spki_len, a->name_der, a->name_len, NULL);
        }
    }
    for (size_t i = 0; i < v->store->num_inter && st == TSVC_OK; i++)
        st = tsvc_store_add_intermediate(s, v->store->inter[i], NULL);
    for (size_t i = 0; i < v->num_certs && st == TSVC_OK; i++)
        if (v->certs[i] != NULL)
            st = tsvc_store_add_intermediate(s, v->certs[i], NULL);
    /* The caller's revocation material, used as the caller's policy asks. */
    for (size_t i = 0; i < v->store->num_crls && st == TSVC_OK; i++)
        st = tsvc_store_add_crl(s, v->store->crls[i], NULL);
    for (size_t i = 0; i < v->store->num_ocsp && st == TSVC_OK; i++)
        st = tsvc_store_add_ocsp_response(s, v->store->ocsp[i], NULL);
    if (st != TSVC_OK) {
        tsvc_store_free(s);
        return st;
    }
    *out = s;
    return TSVC_OK;
}

tsvc_status tsvc_verifier_finish(tsvc_verifier *v, tsvc_sig_report **report, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_sig_report *r = NULL;
    tsvc_store *ps = NULL;
    if (v == NULL || report == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "verifier and report are required");
    *report = NULL;
    if (v->finished)
        return tsvc__err(err, TSVC_ERR_STATE, NULL, -1, "the verifier has finished");
    v->finished = true;
    r = tsvc__calloc(v->ctx, 1, sizeof(*r));
    if (r == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    r->ctx = v->ctx;
    if (v->policy != NULL && v->policy->has_time) {
        r->when = v->policy->when;
    } else if ((st = tsvc_ctx_now(v->ctx, &r->when, err)) != TSVC_OK) {
        goto out;
    }
    if (v->parse_status != TSVC_OK) {
        r->ind = TSVC_INDICATION_FAILED;
        r->sub = TSVC_SUB_FORMAT_FAILURE;
        snprintf(r->reason, sizeof(r->reason), "the SignedData cannot be decoded: %s",
                 v->parse_msg);
        goto done;
    }
    if (v->cms->num_signers == 0) {
        r->ind = TSVC_INDICATION_FAILED;
        r->sub = TSVC_SUB_FORMAT_FAILURE;
        snprintf(r->reason, sizeof(r->reason), "the SignedData has no signer");
        goto done;
    }
    for (size_t i = 0; i < v->num_hashes; i++) {
        size_t dl = 0;
        if ((st = tsvc_hash_final(v->hashes[i], v->digests[i], TSVC_HASH_MAX_SIZE, &dl, err)) !=
            TSVC_OK)
            goto out;
    }
    st = make_path_store(v, &ps);
    if (st == TSVC_ERR_NOMEM) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    st = TSVC_OK;
    r->signers = tsvc__calloc(v->ctx, v->cms->num_signers, sizeof(signer_result));
    if (r->signers == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    const tsvc_algorithm_policy *ap =
        v->opts.algorithm_policy ? v->opts.algorithm_policy : tsvc__algpolicy_default();
    if (v->opts.algorithm_policy == NULL && v->policy != NULL && v->policy->algpolicy != NULL)
        ap = v->policy->algpolicy;
    for (size_t i = 0; i < v->cms->num_signers; i++) {
        sctx c;
        memset(&c, 0, sizeof(c));
        c.v = v;
        c.index = i;
        c.si = &v->cms->signers[i];
        c.sr = &r->signers[i];
        c.when = r->when;
        c.ap = ap;
        c.path_store = ps;
        r->num++;
        if (tsvc__report_new(v->ctx, "signature", &c.sr->checks) != TSVC_OK) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
        c.r = c.sr->checks;
        tsvc__report_set_time(c.r, r->when);
        verify_signer(&c);
        if (c.error != TSVC_OK) {
            st = tsvc__err(err, c.error, "ades.verify", -1, "signer %zu: %s", i,
                           tsvc_status_str(c.error));
            goto out;
        }
        tsvc__report_set_outcome(c.r, c.sr->ind, c.sr->sub, "%s", c.sr->reason);
        if (tsvc__report_error(c.r) != TSVC_OK) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
    }
    /* Combine: PASSED only if every signer passed; else FAILED if any failed. */
    r->ind = TSVC_INDICATION_PASSED;
    r->sub = TSVC_SUB_NONE;
    for (size_t i = 0; i < r->num; i++) {
        const signer_result *s = &r->signers[i];
        if (s->ind == TSVC_INDICATION_PASSED)
            continue;
        if (r->ind == TSVC_INDICATION_PASSED) {
            r->sub = s->sub;
            snprintf(r->reason, sizeof(r->reason), "signer %zu: %s", i, s->reason);
        }
        if (s->ind == TSVC_INDICATION_FAILED || r->ind == TSVC_INDICATION_PASSED)
            r->ind = s->ind;
    }
done:
    *report = r;
    r = NULL;
out:
    tsvc_store_free(ps);
    tsvc_sig_report_free(r);
    return st;
}

tsvc_status tsvc_verify(tsvc_ctx *ctx, tsvc_sig_report **report, const uint8_t *cms,
                        size_t cms_len, const uint8_t *content, size_t content_len,
                        tsvc_store *store, tsvc_policy *policy, const tsvc_verify_options *opts,
                        tsvc_error **err)
{
    tsvc_verifier *v = NULL;
    tsvc_status st;
    if (report == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "report is required");
    *report = NULL;
    if (content == NULL && content_len > 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "content is NULL");
    st = tsvc_verifier_new(ctx, &v, cms, cms_len, store, policy, opts, err);
    if (st != TSVC_OK)
        return st;
    if (content != NULL) {
        if (v->cms != NULL && v->cms->has_content) {
            st = tsvc__err(err, TSVC_ERR_CMS_NO_CONTENT, "cms.content", -1,
                           "the content is embedded and was also given");
            goto out;
        }
        if ((st = tsvc_verifier_update(v, content, content_len, err)) != TSVC_OK)
            goto out;
    }
    st = tsvc_verifier_finish(v, report, err);
out:
    tsvc_verifier_free(v);
    return st;
}
