/*
 * SPDX-License-Identifier: Apache-2.0
 * CAdES B-LT (ETSI EN 319 122-1) and JIS X 5092 ES-XL: the validation
 * material of a signature (certificates, CRLs, OCSP responses from the
 * SignedData, value attributes, time-stamp tokens, the store and the fetch
 * callback), path building over it, revocation status taken as evidence at
 * its issue time, and the writer that extends a B-T signature.
 *
 * Thread safety: reentrant; no global state.
 */
#include <stdio.h>
#include <string.h>

#include "ades/lt.h"
#include "revoke/revoke.h"
#include "tsp/tsp.h"
#include "x509/x509.h"

#define OID(lit) TSVC__LT_OID(lit)
#define SKEW 300

void tsvc__lt_fmt_time(int64_t t, char out[32])
{
    int64_t y;
    unsigned mo, d, h, mi, s;
    tsvc__time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, 32, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi, s);
}

void tsvc__lt_material_init(tsvc__lt_material *m, const tsvc_ctx *ctx)
{
    memset(m, 0, sizeof(*m));
    m->ctx = ctx;
}

void tsvc__lt_material_clear(tsvc__lt_material *m)
{
    for (size_t i = 0; i < m->num_certs; i++)
        tsvc_cert_free(m->certs[i]);
    for (size_t i = 0; i < m->num_crls; i++)
        tsvc_crl_free(m->crls[i]);
    for (size_t i = 0; i < m->num_ocsp; i++)
        tsvc_ocsp_response_free(m->ocsp[i]);
    m->num_certs = m->num_crls = m->num_ocsp = 0;
}

static bool same(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

tsvc_status tsvc__lt_add_cert_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                  tsvc_cert **added)
{
    tsvc_cert *c = NULL;
    if (added != NULL)
        *added = NULL;
    for (size_t i = 0; i < m->num_certs; i++) {
        if (same(m->certs[i]->der, m->certs[i]->der_len, der, len)) {
            if (added != NULL)
                *added = m->certs[i];
            return TSVC_OK;
        }
    }
    if (m->num_certs >= TSVC__LT_MAX_CERTS)
        return TSVC_ERR_LIMIT_COUNT;
    tsvc_status st = tsvc_cert_parse(m->ctx, &c, der, len, NULL);
    if (st == TSVC_ERR_NOMEM)
        return st;
    if (st != TSVC_OK)
        return TSVC_OK;
    m->certs[m->num_certs++] = c;
    if (added != NULL)
        *added = c;
    return TSVC_OK;
}

tsvc_status tsvc__lt_add_crl_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                 bool embedded)
{
    tsvc_crl *c = NULL;
    for (size_t i = 0; i < m->num_crls; i++) {
        if (same(m->crls[i]->der, m->crls[i]->der_len, der, len)) {
            m->crl_embedded[i] |= embedded;
            m->any_embedded_revocation |= embedded;
            return TSVC_OK;
        }
    }
    if (m->num_crls >= TSVC_LTV_MAX_REVOCATION_VALUES)
        return TSVC_ERR_LIMIT_COUNT;
    tsvc_status st = tsvc__crl_parse_der(m->ctx, &c, der, len, NULL);
    if (st == TSVC_ERR_NOMEM)
        return st;
    if (st != TSVC_OK)
        return TSVC_OK;
    m->crl_embedded[m->num_crls] = embedded;
    m->crls[m->num_crls++] = c;
    m->any_embedded_revocation |= embedded;
    return TSVC_OK;
}

tsvc_status tsvc__lt_add_ocsp_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                  bool embedded)
{
    tsvc_ocsp_response *r = NULL;
    for (size_t i = 0; i < m->num_ocsp; i++) {
        if (same(m->ocsp[i]->der, m->ocsp[i]->der_len, der, len)) {
            m->ocsp_embedded[i] |= embedded;
            m->any_embedded_revocation |= embedded;
            return TSVC_OK;
        }
    }
    if (m->num_ocsp >= TSVC_LTV_MAX_REVOCATION_VALUES)
        return TSVC_ERR_LIMIT_COUNT;
    tsvc_status st = tsvc_ocsp_response_parse(m->ctx, &r, der, len, NULL);
    if (st == TSVC_ERR_NOMEM)
        return st;
    if (st != TSVC_OK)
        return TSVC_OK;
    if (r->status != TSVC_OCSP_SUCCESSFUL) {
        tsvc_ocsp_response_free(r);
        return TSVC_OK;
    }
    m->ocsp_embedded[m->num_ocsp] = embedded;
    m->ocsp[m->num_ocsp++] = r;
    m->any_embedded_revocation |= embedded;
    return TSVC_OK;
}

tsvc_status tsvc__lt_add_basic_ocsp_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                        bool embedded)
{
    tsvc__cbb cbb;
    tsvc_buf buf = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, m->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_element(&cbb, TSVC__TAG_ENUMERATED, (const uint8_t *)"\x00", 1);
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(&cbb, OID(TSVC__OID_OCSP_BASIC));
    tsvc__cbb_add_octet_string(&cbb, der, len);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc_status st = tsvc__cbb_finish(&cbb, &buf);
    if (st == TSVC_OK)
        st = tsvc__lt_add_ocsp_der(m, buf.data, buf.len, embedded);
    tsvc_buf_dispose(&buf);
    return st;
}

tsvc_status tsvc__lt_add_store(tsvc__lt_material *m, const tsvc_store *store)
{
    tsvc_status st = TSVC_OK;
    if (store == NULL)
        return TSVC_OK;
    for (size_t i = 0; i < store->num_crls && st == TSVC_OK; i++)
        st = tsvc__lt_add_crl_der(m, store->crls[i]->der, store->crls[i]->der_len, false);
    for (size_t i = 0; i < store->num_ocsp && st == TSVC_OK; i++)
        st = tsvc__lt_add_ocsp_der(m, store->ocsp[i]->der, store->ocsp[i]->der_len, false);
    return st;
}

/* Each element of @p list as a CRL (or, for @p ocsp, a BasicOCSPResponse). */
static tsvc_status add_each(tsvc__lt_material *m, tsvc__cbs list, bool ocsp)
{
    tsvc_status st = TSVC_OK;
    while (list.len > 0 && st == TSVC_OK) {
        tsvc__cbs el;
        if (tsvc__der_get_any(&list, NULL, NULL, &el, NULL) != TSVC_OK)
            break;
        st = ocsp ? tsvc__lt_add_basic_ocsp_der(m, el.data, el.len, true)
                  : tsvc__lt_add_crl_der(m, el.data, el.len, true);
    }
    return st;
}

tsvc_status tsvc__lt_add_revocation_values(tsvc__lt_material *m, tsvc__cbs rv)
{
    tsvc_status st = TSVC_OK;
    for (uint32_t k = 0; k < 2 && st == TSVC_OK; k++) {
        tsvc__cbs c, inner;
        bool present = false;
        if (tsvc__der_get_optional(&rv, TSVC__TAG_CONTEXT_C(k), &c, &present, NULL) != TSVC_OK)
            return TSVC_OK;
        if (!present)
            continue;
        /* [k] EXPLICIT SEQUENCE OF (the TS 101 733 module); IMPLICIT tolerated. */
        tsvc__cbs probe = c;
        if (tsvc__der_get(&probe, TSVC__TAG_SEQUENCE, &inner, NULL) == TSVC_OK && probe.len == 0)
            st = add_each(m, inner, k == 1);
        if (st == TSVC_OK)
            st = add_each(m, c, k == 1);
    }
    return st;
}

static tsvc_status collect(tsvc__lt_material *m, const tsvc__cms *cms, size_t signer,
                           unsigned depth);

static tsvc_status collect_token(tsvc__lt_material *m, const tsvc__cbs *token, unsigned depth)
{
    tsvc__cms *t = NULL;
    tsvc_status st = tsvc__cms_parse(m->ctx, token->data, token->len, &t, NULL);
    if (st == TSVC_ERR_NOMEM)
        return st;
    if (st != TSVC_OK)
        return TSVC_OK;
    st = t->num_signers > 0 ? collect(m, t, 0, depth + 1) : TSVC_OK;
    tsvc__cms_free(t);
    return st;
}

static tsvc_status collect(tsvc__lt_material *m, const tsvc__cms *cms, size_t signer,
                           unsigned depth)
{
    tsvc_status st = TSVC_OK;
    for (size_t i = 0; i < cms->num_certs && st == TSVC_OK; i++)
        if (cms->certs[i].len > 0 && cms->certs[i].data[0] == 0x30)
            st = tsvc__lt_add_cert_der(m, cms->certs[i].data, cms->certs[i].len, NULL);
    for (size_t i = 0; i < cms->num_crls && st == TSVC_OK; i++) {
        tsvc__cbs el = cms->crls[i], contents, oid, value;
        uint32_t tag = 0;
        if (tsvc__der_get_any(&el, &tag, &contents, NULL, NULL) != TSVC_OK)
            continue;
        if (tag == TSVC__TAG_SEQUENCE) {
            st = tsvc__lt_add_crl_der(m, cms->crls[i].data, cms->crls[i].len, true);
        } else if (tag == TSVC__TAG_CONTEXT_C(1) &&
                   tsvc__der_get(&contents, TSVC__TAG_OID, &oid, NULL) == TSVC_OK &&
                   tsvc__oid_equal(&oid, OID(TSVC__OID_RI_OCSP_RESPONSE)) &&
                   tsvc__der_get_any(&contents, NULL, NULL, &value, NULL) == TSVC_OK) {
            st = tsvc__lt_add_ocsp_der(m, value.data, value.len, true);
        }
    }
    if (signer >= cms->num_signers)
        return st;
    const tsvc__cms_signer *si = &cms->signers[signer];
    for (size_t a = 0; a < si->num_uattrs && st == TSVC_OK; a++) {
        const tsvc__cms_attr *at = &si->uattrs[a];
        tsvc__cbs values = at->values;
        bool certv = tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_CERT_VALUES));
        bool revv = tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_REVOCATION_VALUES));
        bool token = tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_TIMESTAMP_TOKEN)) ||
                     tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_ATS_V2)) ||
                     tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_ATS_V3));
        while (values.len > 0 && st == TSVC_OK) {
            tsvc__cbs v, contents;
            if (tsvc__der_get_any(&values, NULL, &contents, &v, NULL) != TSVC_OK)
                break;
            if (certv) {
                while (contents.len > 0 && st == TSVC_OK) {
                    tsvc__cbs c;
                    if (tsvc__der_get_element(&contents, TSVC__TAG_SEQUENCE, &c, NULL) != TSVC_OK)
                        break;
                    st = tsvc__lt_add_cert_der(m, c.data, c.len, NULL);
                }
            } else if (revv) {
                st = tsvc__lt_add_revocation_values(m, contents);
            } else if (token && depth == 0) {
                st = collect_token(m, &v, depth);
            }
        }
    }
    return st;
}

tsvc_status tsvc__lt_collect(tsvc__lt_material *m, const tsvc__cms *cms, size_t signer)
{
    return collect(m, cms, signer, 0);
}

tsvc_status tsvc__lt_store(tsvc_ctx *ctx, const tsvc__lt_material *m, const tsvc_store *store,
                           tsvc_store **out)
{
    tsvc_store *s = NULL;
    tsvc_status st = tsvc_store_new(ctx, &s, NULL);
    if (st != TSVC_OK)
        return st;
    for (size_t i = 0; i < store->num_anchors && st == TSVC_OK; i++) {
        const tsvc__anchor *a = &store->anchors[i];
        if (a->cert != NULL) {
            st = tsvc_store_add_anchor(s, a->cert, NULL);
        } else {
            size_t spki_len = 0;
            const uint8_t *spki = tsvc__pubkey_spki(a->key, &spki_len);
            st = tsvc_store_add_anchor_key(s, spki, spki_len, a->name_der, a->name_len, NULL);
        }
    }
    for (size_t i = 0; i < store->num_inter && st == TSVC_OK; i++)
        st = tsvc_store_add_intermediate(s, store->inter[i], NULL);
    for (size_t i = 0; i < m->num_certs && st == TSVC_OK; i++)
        st = tsvc_store_add_intermediate(s, m->certs[i], NULL);
    if (st != TSVC_OK) {
        tsvc_store_free(s);
        return st;
    }
    *out = s;
    return TSVC_OK;
}

tsvc_status tsvc__lt_path(tsvc_ctx *ctx, const tsvc__lt_material *m, const tsvc_store *store,
                          const tsvc_cert *leaf, int64_t when, tsvc_report **out,
                          tsvc_error **err)
{
    tsvc_store *s = NULL;
    tsvc_policy *pol = NULL;
    tsvc_status st;
    *out = NULL;
    if ((st = tsvc__lt_store(ctx, m, store, &s)) != TSVC_OK ||
        (st = tsvc_policy_new(ctx, &pol, NULL)) != TSVC_OK ||
        (st = tsvc_policy_set_time(pol, when, NULL)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    st = tsvc_validate(ctx, out, leaf, s, pol, err);
out:
    tsvc_policy_free(pol);
    tsvc_store_free(s);
    return st;
}

/* ------------------------------------------------------------------ */
/* Revocation evidence                                                 */
/* ------------------------------------------------------------------ */

static void consider(tsvc__lt_rev *best, const tsvc__rev_result *res, int64_t issued,
                     const tsvc_cert *cert, int64_t when, bool is_ocsp, size_t index,
                     bool has_next, int64_t next)
{
    char it[32], rt[32], wt[32];
    tsvc__lt_fmt_time(issued, it);
    tsvc__lt_fmt_time(when, wt);
    if (res->status == TSVC_CERT_STATUS_REVOKED && res->revocation_time <= when) {
        if (best->state == TSVC__LT_REV_REVOKED && best->revocation_time <= res->revocation_time)
            return;
        best->state = TSVC__LT_REV_REVOKED;
        best->revocation_time = res->revocation_time;
        best->reason = (int)res->reason;
        best->issued = issued;
        best->is_ocsp = is_ocsp;
        best->index = index;
        best->later_revoked = false;
        tsvc__lt_fmt_time(res->revocation_time, rt);
        snprintf(best->text, sizeof(best->text), "revoked at %s (%s), not after %s; %s of %s", rt,
                 tsvc_crl_reason_str(res->reason), wt, is_ocsp ? "OCSP response" : "CRL", it);
        return;
    }
    if (best->state == TSVC__LT_REV_REVOKED)
        return;
    bool later = res->status == TSVC_CERT_STATUS_REVOKED;
    if (res->status != TSVC_CERT_STATUS_GOOD && !later)
        return;
    /* Evidence issued at or after the time (while the certificate was
     * valid: CRLs drop expired certificates), or current at the time. */
    bool usable = (issued >= when && issued <= cert->not_after) ||
                  (issued < when && has_next && next >= when);
    if (!usable)
        return;
    if (best->state == TSVC__LT_REV_GOOD && !later && !best->later_revoked &&
        best->issued <= issued)
        return;
    best->state = TSVC__LT_REV_GOOD;
    best->issued = issued;
    best->is_ocsp = is_ocsp;
    best->index = index;
    best->later_revoked = later;
    best->revocation_time = later ? res->revocation_time : 0;
    if (later) {
        tsvc__lt_fmt_time(res->revocation_time, rt);
        snprintf(best->text, sizeof(best->text),
                 "not revoked at %s: revoked later, at %s (%s); %s of %s", wt, rt,
                 tsvc_crl_reason_str(res->reason), is_ocsp ? "OCSP response" : "CRL", it);
    } else {
        snprintf(best->text, sizeof(best->text), "good at %s; %s of %s", wt,
                 is_ocsp ? "OCSP response" : "CRL", it);
    }
}

static tsvc_status evaluate(const tsvc_ctx *ctx, const tsvc__lt_material *m,
                            const tsvc_cert *cert, const tsvc__rev_issuer *iss, int64_t when,
                            tsvc__lt_rev *best)
{
    for (size_t i = 0; i < m->num_crls; i++) {
        const tsvc_crl *crl = m->crls[i];
        tsvc__rev_result res;
        memset(&res, 0, sizeof(res));
        tsvc_status cst = tsvc__crl_check(ctx, crl, cert, iss, crl->this_update, SKEW, &res, NULL);
        if (cst == TSVC_ERR_NOMEM)
            return cst;
        if (cst != TSVC_OK)
            continue;
        consider(best, &res, crl->this_update, cert, when, false, i, crl->has_next_update,
                 crl->next_update);
    }
    for (size_t i = 0; i < m->num_ocsp; i++) {
        const tsvc_ocsp_response *r = m->ocsp[i];
        tsvc__rev_result res;
        tsvc_ocsp_verify_options o;
        if (!tsvc__ocsp_mentions(r, cert))
            continue;
        memset(&res, 0, sizeof(res));
        tsvc_ocsp_verify_options_init(&o);
        tsvc_status cst = tsvc__ocsp_check(ctx, r, cert, iss, r->produced_at, &o, &res, NULL);
        if (cst == TSVC_ERR_NOMEM)
            return cst;
        if (cst != TSVC_OK)
            continue;
        consider(best, &res, r->produced_at, cert, when, true, i, res.has_next_update,
                 res.next_update);
    }
    return TSVC_OK;
}

static bool is_http(const char *url)
{
    return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

static tsvc_status fetch_one(tsvc_ctx *ctx, tsvc__lt_material *m, const char *url,
                             const char *ctype, const tsvc_buf *body, bool ocsp)
{
    tsvc_buf resp = TSVC_BUF_INIT;
    tsvc_error *e = NULL;
    if (ctx->fetch == NULL || m->fetches >= TSVC__LT_MAX_FETCHES || !is_http(url))
        return TSVC_OK;
    m->fetches++;
    tsvc_status st = ctx->fetch(ctx->fetch_opaque, url, ctype, body ? body->data : NULL,
                                body ? body->len : 0, &resp, &e);
    tsvc_error_free(e);
    if (st == TSVC_OK && resp.data != NULL)
        st = ocsp ? tsvc__lt_add_ocsp_der(m, resp.data, resp.len, false)
                  : tsvc__lt_add_crl_der(m, resp.data, resp.len, false);
    else
        st = TSVC_OK;
    tsvc_buf_dispose(&resp);
    return st == TSVC_ERR_NOMEM ? st : TSVC_OK;
}

tsvc_status tsvc__lt_revocation(tsvc_ctx *ctx, tsvc__lt_material *m, const tsvc_cert *cert,
                                const tsvc_cert *issuer, int64_t when, bool fetch,
                                tsvc__lt_rev *out)
{
    tsvc__rev_issuer iss;
    memset(out, 0, sizeof(*out));
    if (issuer == NULL || issuer->pubkey == NULL) {
        snprintf(out->text, sizeof(out->text), "the issuer's key is not supported");
        return TSVC_OK;
    }
    memset(&iss, 0, sizeof(iss));
    iss.name = &issuer->subject;
    iss.key = issuer->pubkey;
    iss.cert = issuer;
    tsvc_status st = evaluate(ctx, m, cert, &iss, when, out);
    if (st != TSVC_OK)
        return st;
    if (out->state != TSVC__LT_REV_NONE || !fetch)
        goto out;
    for (size_t u = 0; u < cert->aia.num_ocsp && u < 4; u++) {
        uint8_t nonce[16];
        tsvc_buf req = TSVC_BUF_INIT;
        if (tsvc_random(ctx, nonce, sizeof(nonce), NULL) == TSVC_OK &&
            tsvc__ocsp_request_build(ctx, &req, cert, issuer->pubkey, TSVC_HASH_SHA1, nonce,
                                     sizeof(nonce), NULL) == TSVC_OK) {
            st = fetch_one(ctx, m, cert->aia.ocsp[u], "application/ocsp-request", &req, true);
            tsvc_buf_dispose(&req);
            if (st != TSVC_OK)
                return st;
        }
    }
    for (size_t u = 0; u < cert->crldp.num_uris && u < 4; u++) {
        st = fetch_one(ctx, m, cert->crldp.uris[u], NULL, NULL, false);
        if (st != TSVC_OK)
            return st;
    }
    if ((st = evaluate(ctx, m, cert, &iss, when, out)) != TSVC_OK)
        return st;
out:
    if (out->state == TSVC__LT_REV_NONE && out->text[0] == '\0') {
        char wt[32];
        tsvc__lt_fmt_time(when, wt);
        snprintf(out->text, sizeof(out->text),
                 "no CRL or OCSP response proves its status at %s (none issued then or later "
                 "covers it)%s",
                 wt, fetch ? "" : "; fetching is not allowed");
    }
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* The B-LT / ES-XL writer                                             */
/* ------------------------------------------------------------------ */

typedef struct lt_out {
    const tsvc_cert *certs[TSVC__LT_MAX_CERTS]; /* borrowed from the material */
    size_t num_certs;
    bool crl_used[TSVC_LTV_MAX_REVOCATION_VALUES];
    bool ocsp_used[TSVC_LTV_MAX_REVOCATION_VALUES];
    /* the signer's path (leaf first), for the ES-C references */
    const tsvc_cert *signer_path[TSVC__LT_MAX_PATH];
    size_t signer_path_len;
    bool signer_path_anchor; /* last entry is the trust anchor */
    int signer_rev[TSVC__LT_MAX_PATH]; /* per certificate: index (crl: i, ocsp: 1000 + i), -1 */
} lt_out;

static bool is_anchor(const tsvc_store *store, const tsvc_cert *c)
{
    for (size_t i = 0; i < store->num_anchors; i++) {
        const tsvc_cert *a = store->anchors[i].cert;
        if (a != NULL && same(a->der, a->der_len, c->der, c->der_len))
            return true;
    }
    return false;
}

static void out_cert(lt_out *o, const tsvc_cert *c)
{
    for (size_t i = 0; i < o->num_certs; i++)
        if (same(o->certs[i]->der, o->certs[i]->der_len, c->der, c->der_len))
            return;
    if (o->num_certs < TSVC__LT_MAX_CERTS)
        o->certs[o->num_certs++] = c;
}

/* The material's own copy of a certificate (so that it outlives reports). */
static const tsvc_cert *own(const tsvc__lt_material *m, const tsvc_cert *c)
{
    for (size_t i = 0; i < m->num_certs; i++)
        if (same(m->certs[i]->der, m->certs[i]->der_len, c->der, c->der_len))
            return m->certs[i];
    return NULL;
}

/* Gathers the path of @p leaf and revocation evidence for each of its
 * certificates but the anchor; @p what names it in errors. */
static tsvc_status gather(tsvc_ctx *ctx, tsvc__lt_material *m, const tsvc_store *store,
                          const tsvc_cert *leaf, int64_t when, bool fetch, bool signer,
                          const char *what, lt_out *o, tsvc_error **err)
{
    tsvc_report *pr = NULL;
    tsvc_status st = tsvc__lt_path(ctx, m, store, leaf, when, &pr, err);
    if (st != TSVC_OK)
        return st;
    size_t n = tsvc_report_chain_count(pr);
    if (tsvc_report_status(pr) == TSVC_ERR_NOMEM) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    if (n == 0 || tsvc_report_indication(pr) != TSVC_INDICATION_PASSED) {
        st = tsvc__err(err, TSVC_ERR_ADES_VALIDATION_DATA, "ades.lt.path", -1,
                       "no valid path for the %s's certificate: %s", what,
                       tsvc_report_reason(pr));
        goto out;
    }
    if (n > TSVC__LT_MAX_PATH) {
        st = tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "ades.lt.path", -1, "path too long");
        goto out;
    }
    /* Keep the path's certificates in the material. */
    for (size_t k = 0; k < n; k++) {
        const tsvc_cert *c = tsvc_report_chain_cert(pr, k);
        if ((st = tsvc__lt_add_cert_der(m, c->der, c->der_len, NULL)) != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }
    }
    for (size_t k = 0; k < n; k++) {
        const tsvc_cert *c = own(m, tsvc_report_chain_cert(pr, k));
        bool anchor = k + 1 == n && is_anchor(store, c);
        out_cert(o, c);
        if (signer) {
            o->signer_path[k] = c;
            o->signer_path_len = k + 1;
            o->signer_path_anchor = anchor;
            o->signer_rev[k] = -1;
        }
        if (anchor || k + 1 >= n)
            continue;
        const tsvc_cert *issuer = own(m, tsvc_report_chain_cert(pr, k + 1));
        tsvc__lt_rev rev;
        if ((st = tsvc__lt_revocation(ctx, m, c, issuer, when, fetch, &rev)) != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }
        if (rev.state == TSVC__LT_REV_NONE) {
            char subj[256] = "";
            tsvc_buf t = TSVC_BUF_INIT;
            if (tsvc_cert_subject_text(c, &t, NULL) == TSVC_OK && t.data != NULL)
                snprintf(subj, sizeof(subj), "%.*s", (int)(t.len > 200 ? 200 : t.len),
                         (const char *)t.data);
            tsvc_buf_dispose(&t);
            st = tsvc__err(err, TSVC_ERR_ADES_VALIDATION_DATA, "ades.lt.revocation", -1,
                           "%s's path, certificate %zu (%s): %s", what, k, subj, rev.text);
            goto out;
        }
        if (rev.is_ocsp)
            o->ocsp_used[rev.index] = true;
        else
            o->crl_used[rev.index] = true;
        if (signer)
            o->signer_rev[k] = rev.is_ocsp ? 1000 + (int)rev.index : (int)rev.index;
        /* A delegated OCSP responder's certificate comes with the response. */
    }
out:
    tsvc_report_free(pr);
    return st;
}

static const tsvc__cms_signer *find_signer(const tsvc__cms *cms, size_t i)
{
    return i < cms->num_signers ? &cms->signers[i] : NULL;
}

const tsvc_cert *tsvc__lt_signer_cert(const tsvc__lt_material *m, const tsvc__cms_signer *si)
{
    for (size_t i = 0; i < m->num_certs; i++) {
        const tsvc_cert *c = m->certs[i];
        if (si->sid_is_ski) {
            if (c->ski.present && tsvc__cbs_equal(&c->ski.key_id, si->sid_ski.data,
                                                  si->sid_ski.len))
                return c;
        } else if (tsvc__cbs_equal(&c->serial, si->sid_serial.data, si->sid_serial.len) &&
                   tsvc__name_equal(&c->issuer, &si->sid_issuer)) {
            return c;
        }
    }
    return NULL;
}

static void add_other_hash(tsvc__cbb *cbb, const tsvc_ctx *ctx, tsvc_hash_alg h,
                           const uint8_t *data, size_t len)
{
    uint8_t md[TSVC_HASH_MAX_SIZE];
    tsvc_status st = tsvc__hash_oneshot(ctx, h, data, len, md, NULL);
    if (st != TSVC_OK) {
        tsvc__cbb_fail(cbb, st);
        return;
    }
    /* OtherHash: otherHash OtherHashAlgAndValue */
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__hash_alg_encode(cbb, h);
    tsvc__cbb_add_octet_string(cbb, md, tsvc__hash_size(h));
    tsvc__cbb_close(cbb);
}

static void add_issuer_serial(tsvc__cbb *cbb, const tsvc_cert *c)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);                     /* GeneralNames */
    tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(4));                 /* directoryName */
    tsvc__cbb_add_bytes(cbb, c->issuer.data, c->issuer.len);
    tsvc__cbb_close(cbb);
    tsvc__cbb_close(cbb);
    tsvc__cbb_add_integer_raw(cbb, TSVC__TAG_INTEGER, c->serial.data, c->serial.len);
    tsvc__cbb_close(cbb);
}

/* ResponderID and producedAt elements of an OCSP response's ResponseData. */
static bool ocsp_identifier(const tsvc_ocsp_response *r, tsvc__cbs *rid, tsvc__cbs *produced)
{
    tsvc__cbs tbs = r->tbs, c;
    if (tsvc__der_get(&tbs, TSVC__TAG_SEQUENCE, &c, NULL) != TSVC_OK)
        return false;
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT_C(0)) &&
        tsvc__der_get_any(&c, NULL, NULL, NULL, NULL) != TSVC_OK)
        return false;
    return tsvc__der_get_any(&c, NULL, NULL, rid, NULL) == TSVC_OK &&
           tsvc__der_get_element(&c, TSVC__TAG_GENERALIZED_TIME, produced, NULL) == TSVC_OK;
}

/* The BasicOCSPResponse element inside an OCSPResponse. */
static bool ocsp_basic(const tsvc_ocsp_response *r, tsvc__cbs *basic)
{
    tsvc__cbs in, c, rb, seq, oid, os;
    tsvc__cbs_init(&in, r->der, r->der_len);
    if (tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &c, NULL) != TSVC_OK ||
        tsvc__der_get_any(&c, NULL, NULL, NULL, NULL) != TSVC_OK ||
        tsvc__der_get(&c, TSVC__TAG_CONTEXT_C(0), &rb, NULL) != TSVC_OK ||
        tsvc__der_get(&rb, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK ||
        tsvc__der_get(&seq, TSVC__TAG_OID, &oid, NULL) != TSVC_OK ||
        tsvc__der_get(&seq, TSVC__TAG_OCTET_STRING, &os, NULL) != TSVC_OK)
        return false;
    *basic = os;
    return true;
}

static void encode_rev_values(tsvc__cbb *cbb, const tsvc__lt_material *m, const lt_out *o,
                              size_t *count)
{
    size_t ncrl = 0, nocsp = 0;
    for (size_t i = 0; i < m->num_crls; i++)
        ncrl += o->crl_used[i];
    for (size_t i = 0; i < m->num_ocsp; i++)
        nocsp += o->ocsp_used[i];
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    if (ncrl > 0) {
        tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(0));
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < m->num_crls; i++)
            if (o->crl_used[i])
                tsvc__cbb_add_bytes(cbb, m->crls[i]->der, m->crls[i]->der_len);
        tsvc__cbb_close(cbb);
        tsvc__cbb_close(cbb);
    }
    if (nocsp > 0) {
        tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(1));
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < m->num_ocsp; i++) {
            tsvc__cbs b;
            if (o->ocsp_used[i] && ocsp_basic(m->ocsp[i], &b))
                tsvc__cbb_add_bytes(cbb, b.data, b.len);
        }
        tsvc__cbb_close(cbb);
        tsvc__cbb_close(cbb);
    }
    tsvc__cbb_close(cbb);
    *count = ncrl + nocsp;
}

static void encode_cert_values(tsvc__cbb *cbb, const lt_out *o)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    for (size_t i = 0; i < o->num_certs; i++)
        tsvc__cbb_add_bytes(cbb, o->certs[i]->der, o->certs[i]->der_len);
    tsvc__cbb_close(cbb);
}

/* complete-certificate-references: the signer's path without the signer's certificate. */
static void encode_cert_refs(tsvc__cbb *cbb, const tsvc_ctx *ctx, const lt_out *o,
                             tsvc_hash_alg h)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    for (size_t k = 1; k < o->signer_path_len; k++) {
        const tsvc_cert *c = o->signer_path[k];
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* OtherCertID */
        add_other_hash(cbb, ctx, h, c->der, c->der_len);
        add_issuer_serial(cbb, c);
        tsvc__cbb_close(cbb);
    }
    tsvc__cbb_close(cbb);
}

/* complete-revocation-references: one CrlOcspRef per certificate of the signer's path. */
static void encode_rev_refs(tsvc__cbb *cbb, const tsvc_ctx *ctx, const tsvc__lt_material *m,
                            const lt_out *o, tsvc_hash_alg h)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    for (size_t k = 0; k < o->signer_path_len; k++) {
        int ri = o->signer_rev[k];
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* CrlOcspRef */
        if (ri >= 0 && ri < 1000) {
            const tsvc_crl *crl = m->crls[ri];
            tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(0));
            tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* CRLListID */
            tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* crls */
            tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* CrlValidatedID */
            add_other_hash(cbb, ctx, h, crl->der, crl->der_len);
            tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* CrlIdentifier */
            tsvc__cbb_add_bytes(cbb, crl->issuer.data, crl->issuer.len);
            tsvc__cbb_add_time(cbb, crl->this_update); /* UTCTime until 2049 */
            if (crl->has_number)
                tsvc__cbb_add_integer_raw(cbb, TSVC__TAG_INTEGER, crl->number.data,
                                          crl->number.len);
            tsvc__cbb_close(cbb);
            tsvc__cbb_close(cbb);
            tsvc__cbb_close(cbb);
            tsvc__cbb_close(cbb);
            tsvc__cbb_close(cbb);
        } else if (ri >= 1000) {
            const tsvc_ocsp_response *r = m->ocsp[ri - 1000];
            tsvc__cbs rid, produced;
            if (ocsp_identifier(r, &rid, &produced)) {
                tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(1));
                tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* OcspListID */
                tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* ocspResponses */
                tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* OcspResponsesID */
                tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE); /* OcspIdentifier */
                tsvc__cbb_add_bytes(cbb, rid.data, rid.len);
                tsvc__cbb_add_bytes(cbb, produced.data, produced.len);
                tsvc__cbb_close(cbb);
                add_other_hash(cbb, ctx, h, r->der, r->der_len);
                tsvc__cbb_close(cbb);
                tsvc__cbb_close(cbb);
                tsvc__cbb_close(cbb);
                tsvc__cbb_close(cbb);
            }
        }
        tsvc__cbb_close(cbb);
    }
    tsvc__cbb_close(cbb);
}

tsvc_status tsvc__lt_set_uattrs(const tsvc__cms *cms, size_t signer, const tsvc_buf *set,
                                tsvc_buf *out, tsvc_error **err)
{
    tsvc__cms_edit edit;
    memset(&edit, 0, sizeof(edit));
    edit.signer = signer;
    edit.replace_unsigned = true;
    edit.unsigned_attrs = set->data;
    edit.unsigned_attrs_len = set->len;
    return tsvc__cms_rebuild(cms, &edit, out, err);
}

/* Appends one Attribute { type, SET { value } } to @p cbb. */
static void add_attr(tsvc__cbb *cbb, const uint8_t *type, size_t type_len, const uint8_t *value,
                     size_t value_len)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(cbb, type, type_len);
    tsvc__cbb_open(cbb, TSVC__TAG_SET);
    tsvc__cbb_add_bytes(cbb, value, value_len);
    tsvc__cbb_close(cbb);
    tsvc__cbb_close(cbb);
}

static bool is_ats_type(const tsvc__cbs *type)
{
    return tsvc__oid_equal(type, OID(TSVC__OID_AA_ATS_V2)) ||
           tsvc__oid_equal(type, OID(TSVC__OID_AA_ATS_V3));
}

static bool is_lt_attr(const tsvc__cbs *type)
{
    return tsvc__oid_equal(type, OID(TSVC__OID_AA_COMPLETE_CERT_REFS)) ||
           tsvc__oid_equal(type, OID(TSVC__OID_AA_COMPLETE_REV_REFS)) ||
           tsvc__oid_equal(type, OID(TSVC__OID_AA_CERT_VALUES)) ||
           tsvc__oid_equal(type, OID(TSVC__OID_AA_REVOCATION_VALUES));
}

/* New unsigned attributes of @p si: its own but any earlier ES-XL
 * attributes, plus the ones in @p extra (Attribute elements). */
static tsvc_status merge_uattrs(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                const tsvc_buf *extra, tsvc_buf *out)
{
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SET);
    for (size_t a = 0; a < si->num_uattrs; a++)
        if (!is_lt_attr(&si->uattrs[a].type))
            tsvc__cbb_add_bytes(&cbb, si->uattrs[a].element.data, si->uattrs[a].element.len);
    tsvc__cbb_add_bytes(&cbb, extra->data, extra->len);
    tsvc__cbb_close_set_of(&cbb);
    return tsvc__cbb_finish(&cbb, out);
}

void tsvc_lt_options_init(tsvc_lt_options *opts)
{
    if (opts != NULL) {
        tsvc_lt_options d = TSVC_LT_OPTIONS_INIT;
        *opts = d;
    }
}

size_t tsvc_ltv_max_archive_timestamps(void)
{
    return TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS;
}

size_t tsvc_ltv_max_revocation_values(void)
{
    return TSVC_LTV_MAX_REVOCATION_VALUES;
}

/* Data for the TSAs of archive time-stamps, when it must go into the
 * newest archive time-stamp token (v2 present, or the JIS profile). */
static tsvc_status into_newest_ats(tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                   const tsvc__lt_material *m, const lt_out *o,
                                   const tsvc__cbs *newest, tsvc_buf *out, tsvc_error **err)
{
    tsvc__cms *tok = NULL;
    tsvc_buf attrs = TSVC_BUF_INIT, set = TSVC_BUF_INIT, newtok = TSVC_BUF_INIT;
    tsvc__cbb cbb;
    size_t nrev = 0;
    tsvc_status st = tsvc__cms_parse(ctx, newest->data, newest->len, &tok, err);
    if (st != TSVC_OK)
        goto out;
    if (tok->num_signers == 0) {
        st = tsvc__err(err, TSVC_ERR_CMS_FORMAT, "ades.lt.ats", -1, "archive time-stamp without signer");
        goto out;
    }
    tsvc__cbb_init(&cbb, ctx);
    {
        tsvc__cbb v;
        tsvc_buf cv = TSVC_BUF_INIT, rv = TSVC_BUF_INIT;
        tsvc__cbb_init(&v, ctx);
        encode_cert_values(&v, o);
        st = tsvc__cbb_finish(&v, &cv);
        if (st == TSVC_OK) {
            tsvc__cbb_init(&v, ctx);
            encode_rev_values(&v, m, o, &nrev);
            st = tsvc__cbb_finish(&v, &rv);
        }
        if (st == TSVC_OK) {
            add_attr(&cbb, OID(TSVC__OID_AA_CERT_VALUES), cv.data, cv.len);
            add_attr(&cbb, OID(TSVC__OID_AA_REVOCATION_VALUES), rv.data, rv.len);
        }
        tsvc_buf_dispose(&cv);
        tsvc_buf_dispose(&rv);
        if (st != TSVC_OK) {
            tsvc__cbb_cleanup(&cbb);
            st = tsvc__err_code(err, st);
            goto out;
        }
    }
    if ((st = tsvc__cbb_finish(&cbb, &attrs)) != TSVC_OK ||
        (st = merge_uattrs(ctx, &tok->signers[0], &attrs, &set)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    if ((st = tsvc__lt_set_uattrs(tok, 0, &set, &newtok, err)) != TSVC_OK)
        goto out;
    st = tsvc__lta_replace_uattr_value(cms, signer, newest, newtok.data, newtok.len, out, err);
out:
    tsvc__cms_free(tok);
    tsvc_buf_dispose(&attrs);
    tsvc_buf_dispose(&set);
    tsvc_buf_dispose(&newtok);
    return st;
}

tsvc_status tsvc_ades_extend_lt(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms_der,
                                size_t cms_len, size_t signer_index, tsvc_store *store,
                                const tsvc_lt_options *opts, tsvc_error **err)
{
    tsvc__cms *cms = NULL;
    tsvc__lt_material *m = NULL;
    lt_out *o = NULL;
    tsvc_buf extra = TSVC_BUF_INIT, set = TSVC_BUF_INIT;
    tsvc_buf *add_certs = NULL, *add_crls = NULL;
    size_t num_add_certs = 0, num_add_crls = 0;
    tsvc_lt_options op;
    tsvc_status st;
    if (out != NULL) {
        out->data = NULL;
        out->len = 0;
    }
    if (ctx == NULL || out == NULL || cms_der == NULL || store == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lt", -1, "NULL argument");
    tsvc_lt_options_init(&op);
    if (opts != NULL) {
        if (opts->version != TSVC_LT_OPTIONS_VERSION)
            return tsvc__err(err, TSVC_ERR_BAD_VERSION, "ades.lt.options", -1,
                             "unknown options version");
        op = *opts;
    }
    if (op.profile != TSVC_LT_PROFILE_EN && op.profile != TSVC_LT_PROFILE_JIS)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "ades.lt.options", -1, "unknown profile");
    if (op.ref_hash == TSVC_HASH_NONE)
        op.ref_hash = TSVC_HASH_SHA256;
    if (op.when == 0 && (st = tsvc_ctx_now(ctx, &op.when, err)) != TSVC_OK)
        return st;
    bool fetch = op.fetch != TSVC_REVOCATION_FETCH_NEVER;
    tsvc_store_freeze(store);

    if ((st = tsvc__cms_parse(ctx, cms_der, cms_len, &cms, err)) != TSVC_OK)
        goto out;
    const tsvc__cms_signer *si = find_signer(cms, signer_index);
    if (si == NULL) {
        st = tsvc__err(err, TSVC_ERR_CMS_SIGNER_INDEX, "ades.lt.signer", -1,
                       "no SignerInfo %zu (the signature has %zu)", signer_index,
                       cms->num_signers);
        goto out;
    }
    m = tsvc__calloc(ctx, 1, sizeof(*m));
    o = tsvc__calloc(ctx, 1, sizeof(*o));
    if (m == NULL || o == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    tsvc__lt_material_init(m, ctx);
    if ((st = tsvc__lt_collect(m, cms, signer_index)) != TSVC_OK ||
        (st = tsvc__lt_add_store(m, store)) != TSVC_OK) {
        st = st == TSVC_ERR_LIMIT_COUNT
                 ? tsvc__err(err, st, "ades.lt.limit", -1,
                             "more than %u certificates or %u revocation values",
                             (unsigned)TSVC__LT_MAX_CERTS,
                             (unsigned)TSVC_LTV_MAX_REVOCATION_VALUES)
                 : tsvc__err_code(err, st);
        goto out;
    }
    for (size_t i = 0; i < store->num_inter; i++)
        if ((st = tsvc__lt_add_cert_der(m, store->inter[i]->der, store->inter[i]->der_len,
                                        NULL)) != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }

    /* What the signature holds: signature and archive time-stamps. */
    size_t num_sig_tst = 0, num_ats = 0;
    bool any_v2 = false;
    tsvc__cbs newest_ats;
    int64_t newest_time = INT64_MIN;
    memset(&newest_ats, 0, sizeof(newest_ats));
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cms_attr *at = &si->uattrs[a];
        bool sig = tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_TIMESTAMP_TOKEN));
        bool v2 = tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_ATS_V2));
        bool v3 = tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_ATS_V3));
        if (!sig && !v2 && !v3)
            continue;
        tsvc__cbs values = at->values;
        while (values.len > 0) {
            tsvc__cbs tokel;
            int64_t t = 0;
            if (tsvc__der_get_any(&values, NULL, NULL, &tokel, NULL) != TSVC_OK)
                break;
            if (sig) {
                num_sig_tst++;
                continue;
            }
            num_ats++;
            any_v2 |= v2;
            if (tsvc__lta_token_time(ctx, tokel.data, tokel.len, &t) && t >= newest_time) {
                newest_time = t;
                newest_ats = tokel;
            }
        }
    }
    if (num_sig_tst == 0) {
        st = tsvc__err(err, TSVC_ERR_ADES_LEVEL, "ades.lt.level", -1,
                       "B-LT builds on B-T: the signature has no signature time-stamp");
        goto out;
    }
    bool renewal = num_ats > 0;
    if (renewal && newest_ats.data == NULL) {
        st = tsvc__err(err, TSVC_ERR_TSP_FORMAT, "ades.lt.timestamp", -1,
                       "an archive time-stamp of the signature is malformed");
        goto out;
    }

    /* The signer (not on renewal: its data is already protected). */
    if (!renewal) {
        const tsvc_cert *sc = tsvc__lt_signer_cert(m, si);
        if (sc == NULL) {
            st = tsvc__err(err, TSVC_ERR_ADES_VALIDATION_DATA, "ades.lt.signer-cert", -1,
                           "the signing certificate is neither in the signature nor in the "
                           "store");
            goto out;
        }
        if ((st = gather(ctx, m, store, sc, op.when, fetch, true, "signer", o, err)) != TSVC_OK)
            goto out;
    }

    /* The TSAs: of the signature time-stamps, or on renewal of the newest
     * archive time-stamp (the older ones are protected by it). */
    for (size_t a = 0; a < si->num_uattrs; a++) {
        const tsvc__cms_attr *at = &si->uattrs[a];
        bool sig = tsvc__oid_equal(&at->type, OID(TSVC__OID_AA_TIMESTAMP_TOKEN));
        if (renewal ? !is_ats_type(&at->type) : !sig)
            continue;
        tsvc__cbs values = at->values;
        while (values.len > 0) {
            tsvc__cbs tokel;
            tsvc_tst *tst = NULL;
            if (tsvc__der_get_any(&values, NULL, NULL, &tokel, NULL) != TSVC_OK)
                break;
            if (renewal && tokel.data != newest_ats.data)
                continue;
            st = tsvc_tst_parse(ctx, &tst, tokel.data, tokel.len, NULL);
            if (st == TSVC_ERR_NOMEM) {
                st = tsvc__err_code(err, st);
                goto out;
            }
            if (st != TSVC_OK) {
                st = tsvc__err(err, TSVC_ERR_TSP_FORMAT, "ades.lt.timestamp", -1,
                               "a time-stamp of the signature is malformed");
                goto out;
            }
            const tsvc_cert *tsa = tst->signer;
            if (tsa == NULL && tst->cms->num_signers > 0)
                tsa = tsvc__lt_signer_cert(m, &tst->cms->signers[0]); /* e.g. certReq was false */
            if (tsa != NULL) {
                tsvc_cert *mine = NULL;
                st = tsvc__lt_add_cert_der(m, tsa->der, tsa->der_len, &mine);
                for (size_t k = 0; k < tst->num_certs && st == TSVC_OK; k++)
                    st = tsvc__lt_add_cert_der(m, tst->certs[k]->der, tst->certs[k]->der_len,
                                               NULL);
                if (st == TSVC_OK && mine != NULL)
                    st = gather(ctx, m, store, mine, op.when, fetch, false,
                                sig ? "signature time-stamp TSA" : "archive time-stamp TSA", o,
                                err);
                else if (st != TSVC_OK)
                    st = tsvc__err_code(err, st);
            } else {
                st = tsvc__err(err, TSVC_ERR_ADES_VALIDATION_DATA, "ades.lt.tsa", -1,
                               "a time-stamp carries no TSA certificate");
            }
            tsvc_tst_free(tst);
            if (st != TSVC_OK)
                goto out;
        }
    }

    if (num_ats > 0 && (any_v2 || op.profile == TSVC_LT_PROFILE_JIS)) {
        /* Renewal of an archive: the TSAs' data goes into the newest
         * archive time-stamp token, leaving the fields earlier archive
         * time-stamps cover untouched. */
        st = into_newest_ats(ctx, cms, signer_index, m, o, &newest_ats, out, err);
        goto out;
    }

    if (op.profile == TSVC_LT_PROFILE_JIS) {
        tsvc__cbb cbb;
        tsvc_buf v = TSVC_BUF_INIT;
        size_t nrev = 0;
        tsvc__cbb_init(&cbb, ctx);
        for (int which = 0; which < 4; which++) {
            tsvc__cbb vb;
            tsvc__cbb_init(&vb, ctx);
            const char *type = NULL;
            size_t type_len = 0;
            switch (which) {
            case 0:
                encode_cert_refs(&vb, ctx, o, op.ref_hash);
                type = TSVC__OID_AA_COMPLETE_CERT_REFS;
                type_len = sizeof(TSVC__OID_AA_COMPLETE_CERT_REFS) - 1;
                break;
            case 1:
                encode_rev_refs(&vb, ctx, m, o, op.ref_hash);
                type = TSVC__OID_AA_COMPLETE_REV_REFS;
                type_len = sizeof(TSVC__OID_AA_COMPLETE_REV_REFS) - 1;
                break;
            case 2:
                encode_cert_values(&vb, o);
                type = TSVC__OID_AA_CERT_VALUES;
                type_len = sizeof(TSVC__OID_AA_CERT_VALUES) - 1;
                break;
            default:
                encode_rev_values(&vb, m, o, &nrev);
                type = TSVC__OID_AA_REVOCATION_VALUES;
                type_len = sizeof(TSVC__OID_AA_REVOCATION_VALUES) - 1;
                break;
            }
            if ((st = tsvc__cbb_finish(&vb, &v)) != TSVC_OK)
                break;
            add_attr(&cbb, (const uint8_t *)type, type_len, v.data, v.len);
            tsvc_buf_dispose(&v);
        }
        if (st != TSVC_OK) {
            tsvc__cbb_cleanup(&cbb);
            st = tsvc__err_code(err, st);
            goto out;
        }
        if ((st = tsvc__cbb_finish(&cbb, &extra)) != TSVC_OK ||
            (st = merge_uattrs(ctx, si, &extra, &set)) != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }
        st = tsvc__lt_set_uattrs(cms, signer_index, &set, out, err);
        goto out;
    }

    /* EN 319 122-1 B-LT: SignedData.certificates and crls. */
    add_certs = tsvc__calloc(ctx, TSVC__LT_MAX_CERTS, sizeof(tsvc_buf));
    add_crls = tsvc__calloc(ctx, 2 * TSVC_LTV_MAX_REVOCATION_VALUES, sizeof(tsvc_buf));
    if (add_certs == NULL || add_crls == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    for (size_t i = 0; i < o->num_certs; i++) {
        bool present = false;
        for (size_t k = 0; k < cms->num_certs && !present; k++)
            present = same(cms->certs[k].data, cms->certs[k].len, o->certs[i]->der,
                           o->certs[i]->der_len);
        if (present)
            continue;
        if (cms->num_certs + num_add_certs >= TSVC__CMS_MAX_CERTS) {
            st = tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "ades.lt.limit", -1,
                           "more than %u certificates in the SignedData",
                           (unsigned)TSVC__CMS_MAX_CERTS);
            goto out;
        }
        if ((st = tsvc__buf_set(ctx, &add_certs[num_add_certs], o->certs[i]->der,
                                o->certs[i]->der_len)) != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }
        num_add_certs++;
    }
    for (size_t i = 0; i < m->num_crls + m->num_ocsp; i++) {
        bool is_ocsp = i >= m->num_crls;
        size_t j = is_ocsp ? i - m->num_crls : i;
        if (!(is_ocsp ? o->ocsp_used[j] : o->crl_used[j]))
            continue;
        tsvc_buf el = TSVC_BUF_INIT;
        if (is_ocsp) {
            tsvc__cbb cbb;
            tsvc__cbb_init(&cbb, ctx);
            tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(1));
            tsvc__cbb_add_oid(&cbb, OID(TSVC__OID_RI_OCSP_RESPONSE));
            tsvc__cbb_add_bytes(&cbb, m->ocsp[j]->der, m->ocsp[j]->der_len);
            tsvc__cbb_close(&cbb);
            st = tsvc__cbb_finish(&cbb, &el);
        } else {
            st = tsvc__buf_set(ctx, &el, m->crls[j]->der, m->crls[j]->der_len);
        }
        if (st != TSVC_OK) {
            st = tsvc__err_code(err, st);
            goto out;
        }
        bool present = false;
        for (size_t k = 0; k < cms->num_crls && !present; k++)
            present = same(cms->crls[k].data, cms->crls[k].len, el.data, el.len);
        if (present || cms->num_crls + num_add_crls >= TSVC__CMS_MAX_CRLS) {
            tsvc_buf_dispose(&el);
            if (!present) {
                st = tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "ades.lt.limit", -1,
                               "more than %u revocation values in the SignedData",
                               (unsigned)TSVC__CMS_MAX_CRLS);
                goto out;
            }
            continue;
        }
        add_crls[num_add_crls++] = el;
    }
    {
        tsvc__cms_edit edit;
        memset(&edit, 0, sizeof(edit));
        edit.signer = signer_index;
        edit.replace_unsigned = false;
        edit.add_certs = add_certs;
        edit.num_add_certs = num_add_certs;
        edit.add_crls = add_crls;
        edit.num_add_crls = num_add_crls;
        edit.version = 0; /* RFC 5652 5.1: 5 with id-ri-ocsp-response in crls */
        st = tsvc__cms_rebuild(cms, &edit, out, err);
    }
out:
    if (add_certs != NULL) {
        for (size_t i = 0; i < num_add_certs; i++)
            tsvc_buf_dispose(&add_certs[i]);
        tsvc__free(ctx, add_certs);
    }
    if (add_crls != NULL) {
        for (size_t i = 0; i < num_add_crls; i++)
            tsvc_buf_dispose(&add_crls[i]);
        tsvc__free(ctx, add_crls);
    }
    tsvc_buf_dispose(&extra);
    tsvc_buf_dispose(&set);
    if (m != NULL) {
        tsvc__lt_material_clear(m);
        tsvc__free(ctx, m);
    }
    tsvc__free(ctx, o);
    tsvc__cms_free(cms);
    return st;
}
