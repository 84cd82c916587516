/*
 * SPDX-License-Identifier: Apache-2.0
 * OCSP (RFC 6960): request building, strict response parsing, and the
 * verification of a BasicOCSPResponse about one certificate (CA-signed or
 * by a delegated responder; responder ID by name or key hash; times with
 * skew and maximum age; nonce).
 *
 * Thread safety: a parsed response is immutable; its reference count is atomic.
 */
#include <stdio.h>
#include <string.h>

#include "revoke/revoke.h"

size_t tsvc_ocsp_max_nonce(void)
{
    return TSVC_OCSP_MAX_NONCE;
}

size_t tsvc_ocsp_max_single(void)
{
    return TSVC_OCSP_MAX_SINGLE;
}

void tsvc_ocsp_verify_options_init(tsvc_ocsp_verify_options *opts)
{
    if (opts == NULL)
        return;
    tsvc_ocsp_verify_options d = TSVC_OCSP_VERIFY_OPTIONS_INIT;
    *opts = d;
}

static tsvc_status fail(tsvc_error **err, const char *check, const tsvc__cbs *at, const char *msg)
{
    return tsvc__err(err, TSVC_ERR_OCSP_FORMAT, check, at ? tsvc__cbs_offset(at) : -1, "%s", msg);
}

static tsvc_status wrap(tsvc_error **err, const char *check, tsvc_error *inner,
                        const tsvc__cbs *at)
{
    if (inner != NULL) {
        int64_t off = tsvc_error_offset(inner);
        tsvc_status code = tsvc_error_code(inner) == TSVC_ERR_NOMEM ? TSVC_ERR_NOMEM
                                                                     : TSVC_ERR_OCSP_FORMAT;
        tsvc__err(err, code, check, off >= 0 ? off : tsvc__cbs_offset(at), "%s: %s", check,
                  tsvc_error_message(inner));
        tsvc_error_free(inner);
        return code;
    }
    return fail(err, check, at, "malformed");
}

#define READ(expr, check, at)                                                                  \
    do {                                                                                       \
        tsvc_error *inner_ = NULL;                                                             \
        tsvc__cbs at_ = (at);                                                                  \
        if ((expr) != TSVC_OK) {                                                               \
            st = wrap(err, (check), inner_, &at_);                                             \
            goto out;                                                                          \
        }                                                                                      \
        tsvc_error_free(inner_);                                                               \
    } while (0)
#define E (&inner_)

/* ------------------------------------------------------------------ */
/* CertID                                                              */
/* ------------------------------------------------------------------ */

/* The CertID hashes of an issuer: of its Name element and of its key bits. */
static tsvc_status certid_hashes(const tsvc_ctx *ctx, tsvc_hash_alg alg, const tsvc__cbs *name,
                                 const tsvc_pubkey *key, uint8_t *name_hash, uint8_t *key_hash,
                                 tsvc_error **err)
{
    size_t bits_len = 0;
    const uint8_t *bits = tsvc__pubkey_bits(key, &bits_len);
    tsvc_status st = tsvc__hash_oneshot(ctx, alg, name->data, name->len, name_hash, err);
    if (st == TSVC_OK)
        st = tsvc__hash_oneshot(ctx, alg, bits, bits_len, key_hash, err);
    return st;
}

tsvc_status tsvc_ocsp_request_build(const tsvc_ctx *ctx, tsvc_buf *out, const tsvc_cert *cert,
                                    const tsvc_cert *issuer, tsvc_hash_alg hash,
                                    const uint8_t *nonce, size_t nonce_len, tsvc_error **err)
{
    if (out == NULL || cert == NULL || issuer == NULL || issuer->pubkey == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "output, certificate and issuer (with a supported key) are required");
    return tsvc__ocsp_request_build(ctx, out, cert, issuer->pubkey, hash, nonce, nonce_len, err);
}

tsvc_status tsvc__ocsp_request_build(const tsvc_ctx *ctx, tsvc_buf *out, const tsvc_cert *cert,
                                     const tsvc_pubkey *issuer_key, tsvc_hash_alg hash,
                                     const uint8_t *nonce, size_t nonce_len, tsvc_error **err)
{
    uint8_t nh[64], kh[64];
    tsvc__cbb cbb;
    out->data = NULL;
    out->len = 0;
    if ((nonce == NULL) != (nonce_len == 0) || nonce_len > TSVC_OCSP_MAX_NONCE)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "nonce must be 1 .. %u bytes",
                         (unsigned)TSVC_OCSP_MAX_NONCE);
    if (hash != TSVC_HASH_SHA1 && hash != TSVC_HASH_SHA256)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "ocsp.certid", -1,
                         "CertID hash must be SHA-1 or SHA-256");
    /* issuerNameHash is over the issuer name as the certificate encodes it. */
    tsvc_status st = certid_hashes(ctx, hash, &cert->issuer, issuer_key, nh, kh, err);
    if (st != TSVC_OK)
        return st;
    size_t hl = tsvc__hash_size(hash);
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);     /* OCSPRequest */
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);     /* TBSRequest */
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);     /* requestList */
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);     /* Request */
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);     /* CertID */
    tsvc__hash_alg_encode(&cbb, hash);
    tsvc__cbb_add_octet_string(&cbb, nh, hl);
    tsvc__cbb_add_octet_string(&cbb, kh, hl);
    tsvc__cbb_add_integer_raw(&cbb, 0, cert->serial.data, cert->serial.len);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    if (nonce != NULL) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(2));
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__revoke_add_nonce(&cbb, nonce, nonce_len);
        tsvc__cbb_close(&cbb);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    st = tsvc__cbb_finish(&cbb, out);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Response parsing                                                    */
/* ------------------------------------------------------------------ */

static bool is_known_status(uint64_t v)
{
    return v <= 6 && v != 4;
}

/* Walks an Extensions SEQUENCE contents: nonce noted, unknown critical ones flagged. */
static tsvc_status parse_extensions(tsvc__cbs exts, bool *unknown_critical, bool *has_nonce,
                                    tsvc__cbs *nonce, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__revoke_ext_list seen;
    seen.num = 0;
    if (exts.len == 0) {
        st = fail(err, "ocsp.extensions", &exts, "empty Extensions");
        goto out;
    }
    while (exts.len > 0) {
        tsvc__cbs oid, value;
        bool critical = false;
        st = tsvc__revoke_get_extension(&exts, &seen, &oid, &critical, &value,
                                        TSVC_ERR_OCSP_FORMAT, "ocsp.extension", err);
        if (st != TSVC_OK)
            goto out;
        if (has_nonce != NULL &&
            tsvc__oid_equal(&oid, (const uint8_t *)TSVC__OID_PKIX_OCSP_NONCE,
                            TSVC__OID_LEN(TSVC__OID_PKIX_OCSP_NONCE))) {
            *has_nonce = true;
            *nonce = value;
        } else if (critical) {
            *unknown_critical = true;
        }
    }
out:
    return st;
}

static tsvc_status get_gtime(tsvc__cbs *cbs, int64_t *out, tsvc_error **e)
{
    return tsvc__der_get_time(cbs, TSVC__TIME_GENERALIZED_FRAC, out, NULL, e);
}

static tsvc_status parse_single(tsvc_ocsp_response *r, tsvc__cbs *list, tsvc__ocsp_single *s,
                                tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__cbs sr, certid, algid;
    uint32_t tag = 0;
    tsvc__cbs status;
    (void)r;
    READ(tsvc__der_get(list, TSVC__TAG_SEQUENCE, &sr, E), "ocsp.single", *list);
    READ(tsvc__der_get(&sr, TSVC__TAG_SEQUENCE, &certid, E), "ocsp.certid", sr);
    READ(tsvc__der_get_element(&certid, TSVC__TAG_SEQUENCE, &algid, E), "ocsp.certid.alg",
         certid);
    {
        tsvc_error *inner = NULL;
        s->hash_status = tsvc__hash_alg_parse(&algid, &s->hash, &inner);
        tsvc_error_free(inner);
    }
    READ(tsvc__der_get_octet_string(&certid, &s->name_hash, E), "ocsp.certid.name", certid);
    READ(tsvc__der_get_octet_string(&certid, &s->key_hash, E), "ocsp.certid.key", certid);
    READ(tsvc__der_get_integer(&certid, 0, &s->serial, NULL, E), "ocsp.certid.serial", certid);
    READ(tsvc__der_expect_end(&certid, E), "ocsp.certid", certid);

    READ(tsvc__der_get_any(&sr, &tag, &status, NULL, E), "ocsp.cert_status", sr);
    s->reason = TSVC_REASON_NONE;
    if (tag == TSVC__TAG_CONTEXT(0) || tag == TSVC__TAG_CONTEXT(2)) {
        if (status.len != 0) {
            st = fail(err, "ocsp.cert_status", &status, "good/unknown must be an empty NULL");
            goto out;
        }
        s->status = tag == TSVC__TAG_CONTEXT(0) ? TSVC_CERT_STATUS_GOOD : TSVC_CERT_STATUS_UNKNOWN;
    } else if (tag == TSVC__TAG_CONTEXT_C(1)) {
        s->status = TSVC_CERT_STATUS_REVOKED;
        READ(get_gtime(&status, &s->revocation_time, E), "ocsp.revocation_time", status);
        if (status.len > 0) {
            tsvc__cbs rr, rc;
            uint64_t code = 0;
            READ(tsvc__der_get(&status, TSVC__TAG_CONTEXT_C(0), &rr, E), "ocsp.reason", status);
            READ(tsvc__der_get_integer(&rr, TSVC__TAG_ENUMERATED, &rc, NULL, E), "ocsp.reason",
                 rr);
            READ(tsvc__der_expect_end(&rr, E), "ocsp.reason", rr);
            if (rc.len != 1 || rc.data[0] > 10 || rc.data[0] == 7) {
                st = fail(err, "ocsp.reason", &rc, "unknown CRLReason value");
                goto out;
            }
            code = rc.data[0];
            s->reason = (int)code;
        }
        READ(tsvc__der_expect_end(&status, E), "ocsp.cert_status", status);
    } else {
        st = fail(err, "ocsp.cert_status", &sr, "unknown CertStatus choice");
        goto out;
    }
    READ(get_gtime(&sr, &s->this_update, E), "ocsp.this_update", sr);
    if (tsvc__der_peek_tag(&sr, TSVC__TAG_CONTEXT_C(0))) {
        tsvc__cbs nu;
        READ(tsvc__der_get(&sr, TSVC__TAG_CONTEXT_C(0), &nu, E), "ocsp.next_update", sr);
        READ(get_gtime(&nu, &s->next_update, E), "ocsp.next_update", nu);
        READ(tsvc__der_expect_end(&nu, E), "ocsp.next_update", nu);
        s->has_next_update = true;
        if (s->next_update < s->this_update) {
            st = fail(err, "ocsp.next_update", &nu, "nextUpdate is before thisUpdate");
            goto out;
        }
    }
    if (tsvc__der_peek_tag(&sr, TSVC__TAG_CONTEXT_C(1))) {
        tsvc__cbs eo, exts;
        READ(tsvc__der_get(&sr, TSVC__TAG_CONTEXT_C(1), &eo, E), "ocsp.single.extensions", sr);
        READ(tsvc__der_get(&eo, TSVC__TAG_SEQUENCE, &exts, E), "ocsp.single.extensions", eo);
        READ(tsvc__der_expect_end(&eo, E), "ocsp.single.extensions", eo);
        st = parse_extensions(exts, &s->unknown_critical, NULL, NULL, err);
        if (st != TSVC_OK)
            goto out;
    }
    READ(tsvc__der_expect_end(&sr, E), "ocsp.single", sr);
out:
    return st;
}

static tsvc_status parse_basic(tsvc_ocsp_response *r, tsvc__cbs basic_octets, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__cbs basic, rd, rid, list;
    READ(tsvc__der_get(&basic_octets, TSVC__TAG_SEQUENCE, &basic, E), "ocsp.basic", basic_octets);
    READ(tsvc__der_expect_end(&basic_octets, E), "ocsp.basic", basic_octets);
    READ(tsvc__der_get_element(&basic, TSVC__TAG_SEQUENCE, &r->tbs, E), "ocsp.tbs", basic);
    READ(tsvc__der_get_element(&basic, TSVC__TAG_SEQUENCE, &r->sigalg, E), "ocsp.sigalg", basic);
    {
        tsvc_error *inner = NULL;
        r->sigalg_status = tsvc__sigalg_parse(&r->sigalg, &r->sig_params, &inner);
        tsvc_error_free(inner);
        if (r->sigalg_status != TSVC_OK)
            r->sig_params.scheme = TSVC_SIG_NONE;
    }
    {
        unsigned unused = 0;
        READ(tsvc__der_get_bit_string(&basic, 0, &r->sig_value, &unused, E), "ocsp.signature",
             basic);
        if (unused != 0) {
            st = fail(err, "ocsp.signature", &r->sig_value, "signature with unused bits");
            goto out;
        }
    }
    if (basic.len > 0) {
        tsvc__cbs co, certs, walk;
        size_t n = 0;
        READ(tsvc__der_get(&basic, TSVC__TAG_CONTEXT_C(0), &co, E), "ocsp.certs", basic);
        READ(tsvc__der_get(&co, TSVC__TAG_SEQUENCE, &certs, E), "ocsp.certs", co);
        READ(tsvc__der_expect_end(&co, E), "ocsp.certs", co);
        walk = certs;
        while (walk.len > 0) {
            READ(tsvc__der_get_any(&walk, NULL, NULL, NULL, E), "ocsp.certs", walk);
            if (++n > TSVC__OCSP_MAX_CERTS) {
                st = tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "ocsp.certs", tsvc__cbs_offset(&walk),
                               "more than %u certificates in an OCSP response",
                               (unsigned)TSVC__OCSP_MAX_CERTS);
                goto out;
            }
        }
        if (n > 0) {
            r->certs = tsvc__calloc(r->ctx, n, sizeof(*r->certs));
            if (r->certs == NULL) {
                st = tsvc__err_code(err, TSVC_ERR_NOMEM);
                goto out;
            }
        }
        for (size_t i = 0; i < n; i++) {
            tsvc__cbs el;
            READ(tsvc__der_get_element(&certs, TSVC__TAG_SEQUENCE, &el, E), "ocsp.certs", certs);
            tsvc_error *inner = NULL;
            st = tsvc__cert_parse_der(r->ctx, &r->certs[i], el.data, el.len, &inner);
            if (st != TSVC_OK) {
                st = wrap(err, "ocsp.certs", inner, &el);
                goto out;
            }
            tsvc_error_free(inner);
            r->num_certs = i + 1;
        }
    }
    READ(tsvc__der_expect_end(&basic, E), "ocsp.basic", basic);

    /* ResponseData */
    {
        tsvc__cbs whole = r->tbs;
        READ(tsvc__der_get(&whole, TSVC__TAG_SEQUENCE, &rd, E), "ocsp.tbs", whole);
    }
    if (tsvc__der_peek_tag(&rd, TSVC__TAG_CONTEXT_C(0))) {
        tsvc__cbs vo;
        uint64_t v = 0;
        tsvc__cbs at = rd;
        READ(tsvc__der_get(&rd, TSVC__TAG_CONTEXT_C(0), &vo, E), "ocsp.version", rd);
        READ(tsvc__der_get_u64(&vo, &v, E), "ocsp.version", vo);
        READ(tsvc__der_expect_end(&vo, E), "ocsp.version", vo);
        (void)v;
        st = fail(err, "ocsp.version", &at, "version must be absent (v1 is the DER DEFAULT)");
        goto out;
    }
    {
        uint32_t tag = 0;
        READ(tsvc__der_get_any(&rd, &tag, &rid, NULL, E), "ocsp.responder_id", rd);
        if (tag == TSVC__TAG_CONTEXT_C(1)) {
            tsvc__cbs nm = rid;
            READ(tsvc__der_get_element(&nm, TSVC__TAG_SEQUENCE, &r->responder, E),
                 "ocsp.responder_id", rid);
            READ(tsvc__der_expect_end(&nm, E), "ocsp.responder_id", nm);
            tsvc_error *inner = NULL;
            if (tsvc__name_check(&r->responder, &inner) != TSVC_OK) {
                st = wrap(err, "ocsp.responder_id", inner, &r->responder);
                goto out;
            }
        } else if (tag == TSVC__TAG_CONTEXT_C(2)) {
            tsvc__cbs kh = rid;
            r->by_key = true;
            READ(tsvc__der_get_octet_string(&kh, &r->responder, E), "ocsp.responder_id", rid);
            READ(tsvc__der_expect_end(&kh, E), "ocsp.responder_id", kh);
            if (r->responder.len != 20) {
                st = fail(err, "ocsp.responder_id", &r->responder,
                          "responderID byKey must be a 20-byte SHA-1 hash");
                goto out;
            }
        } else {
            st = fail(err, "ocsp.responder_id", &rd, "unknown ResponderID choice");
            goto out;
        }
    }
    READ(get_gtime(&rd, &r->produced_at, E), "ocsp.produced_at", rd);
    READ(tsvc__der_get(&rd, TSVC__TAG_SEQUENCE, &list, E), "ocsp.responses", rd);
    {
        size_t n = 0;
        tsvc__cbs walk = list;
        while (walk.len > 0) {
            READ(tsvc__der_get_any(&walk, NULL, NULL, NULL, E), "ocsp.responses", walk);
            if (++n > TSVC_OCSP_MAX_SINGLE) {
                st = tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "ocsp.responses",
                               tsvc__cbs_offset(&walk), "more than %u SingleResponses",
                               (unsigned)TSVC_OCSP_MAX_SINGLE);
                goto out;
            }
        }
        if (n == 0) {
            st = fail(err, "ocsp.responses", &list, "no SingleResponse");
            goto out;
        }
        r->singles = tsvc__calloc(r->ctx, n, sizeof(*r->singles));
        if (r->singles == NULL) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            st = parse_single(r, &list, &r->singles[i], err);
            if (st != TSVC_OK)
                goto out;
            r->num_singles = i + 1;
        }
    }
    if (tsvc__der_peek_tag(&rd, TSVC__TAG_CONTEXT_C(1))) {
        tsvc__cbs eo, exts;
        READ(tsvc__der_get(&rd, TSVC__TAG_CONTEXT_C(1), &eo, E), "ocsp.extensions", rd);
        READ(tsvc__der_get(&eo, TSVC__TAG_SEQUENCE, &exts, E), "ocsp.extensions", eo);
        READ(tsvc__der_expect_end(&eo, E), "ocsp.extensions", eo);
        st = parse_extensions(exts, &r->unknown_critical, &r->has_nonce, &r->nonce, err);
        if (st != TSVC_OK)
            goto out;
    }
    READ(tsvc__der_expect_end(&rd, E), "ocsp.tbs", rd);
out:
    return st;
}

static tsvc_status parse_response(tsvc_ocsp_response *r, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__cbs input, outer, status;
    tsvc__cbs_init(&input, r->der, r->der_len);
    READ(tsvc__der_get(&input, TSVC__TAG_SEQUENCE, &outer, E), "ocsp.response", input);
    READ(tsvc__der_expect_end(&input, E), "ocsp.trailing", input);
    READ(tsvc__der_get_integer(&outer, TSVC__TAG_ENUMERATED, &status, NULL, E), "ocsp.status",
         outer);
    if (status.len != 1 || !is_known_status(status.data[0])) {
        st = fail(err, "ocsp.status", &status, "unknown OCSPResponseStatus");
        goto out;
    }
    r->status = (tsvc_ocsp_response_status)status.data[0];
    if (r->status != TSVC_OCSP_SUCCESSFUL) {
        if (outer.len != 0) {
            st = fail(err, "ocsp.response", &outer,
                      "an unsuccessful response must not carry responseBytes");
            goto out;
        }
        goto out;
    }
    {
        tsvc__cbs rbo, rb, type, octets;
        READ(tsvc__der_get(&outer, TSVC__TAG_CONTEXT_C(0), &rbo, E), "ocsp.response_bytes", outer);
        READ(tsvc__der_expect_end(&outer, E), "ocsp.response", outer);
        READ(tsvc__der_get(&rbo, TSVC__TAG_SEQUENCE, &rb, E), "ocsp.response_bytes", rbo);
        READ(tsvc__der_expect_end(&rbo, E), "ocsp.response_bytes", rbo);
        READ(tsvc__der_get_oid(&rb, &type, E), "ocsp.response_type", rb);
        if (!tsvc__oid_equal(&type, (const uint8_t *)TSVC__OID_PKIX_OCSP_BASIC,
                             TSVC__OID_LEN(TSVC__OID_PKIX_OCSP_BASIC))) {
            st = tsvc__err(err, TSVC_ERR_OCSP_FORMAT, "ocsp.response_type",
                           tsvc__cbs_offset(&type), "response type is not id-pkix-ocsp-basic");
            goto out;
        }
        READ(tsvc__der_get_octet_string(&rb, &octets, E), "ocsp.response_bytes", rb);
        READ(tsvc__der_expect_end(&rb, E), "ocsp.response_bytes", rb);
        st = parse_basic(r, octets, err);
    }
out:
    return st;
}

tsvc_status tsvc_ocsp_response_parse(const tsvc_ctx *ctx, tsvc_ocsp_response **out,
                                     const uint8_t *data, size_t len, tsvc_error **err)
{
    tsvc_status st;
    tsvc_ocsp_response *r = NULL;
    if (out == NULL || data == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out and data are required");
    *out = NULL;
    if (len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "ocsp.size", -1,
                         "input exceeds the size limit");
    if (len == 0)
        return tsvc__err(err, TSVC_ERR_OCSP_FORMAT, "ocsp.response", 0, "empty input");
    r = tsvc__calloc(ctx, 1, sizeof(*r));
    if (r == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    r->ctx = ctx;
    atomic_init(&r->refs, 1u);
    r->der = tsvc__memdup(ctx, data, len);
    if (r->der == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    r->der_len = len;
    st = parse_response(r, err);
    if (st != TSVC_OK)
        goto out;
    *out = r;
    r = NULL;
out:
    tsvc_ocsp_response_free(r);
    return st;
}

tsvc_ocsp_response *tsvc_ocsp_response_ref(tsvc_ocsp_response *resp)
{
    if (resp != NULL)
        atomic_fetch_add_explicit(&resp->refs, 1, memory_order_relaxed);
    return resp;
}

void tsvc_ocsp_response_free(tsvc_ocsp_response *resp)
{
    if (resp == NULL)
        return;
    if (atomic_fetch_sub_explicit(&resp->refs, 1, memory_order_acq_rel) != 1)
        return;
    const tsvc_ctx *ctx = resp->ctx;
    for (size_t i = 0; i < resp->num_certs; i++)
        tsvc_cert_free(resp->certs[i]);
    tsvc__free(ctx, resp->certs);
    tsvc__free(ctx, resp->singles);
    tsvc__free(ctx, resp->der);
    tsvc__free(ctx, resp);
}

tsvc_ocsp_response_status tsvc_ocsp_response_get_status(const tsvc_ocsp_response *resp)
{
    return resp ? resp->status : TSVC_OCSP_INTERNAL_ERROR;
}

int64_t tsvc_ocsp_response_produced_at(const tsvc_ocsp_response *resp)
{
    return resp && resp->status == TSVC_OCSP_SUCCESSFUL ? resp->produced_at : 0;
}

size_t tsvc_ocsp_response_num_single(const tsvc_ocsp_response *resp)
{
    return resp ? resp->num_singles : 0;
}

tsvc_status tsvc_ocsp_response_single_at(const tsvc_ocsp_response *resp, size_t index,
                                         const uint8_t **serial, size_t *serial_len,
                                         tsvc_cert_status *status, int64_t *revocation_time,
                                         tsvc_crl_reason *reason)
{
    if (resp == NULL || index >= resp->num_singles)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__ocsp_single *s = &resp->singles[index];
    bool revoked = s->status == TSVC_CERT_STATUS_REVOKED;
    if (serial != NULL)
        *serial = s->serial.data;
    if (serial_len != NULL)
        *serial_len = s->serial.len;
    if (status != NULL)
        *status = s->status;
    if (revocation_time != NULL)
        *revocation_time = revoked ? s->revocation_time : 0;
    if (reason != NULL)
        *reason = revoked ? (tsvc_crl_reason)s->reason : TSVC_REASON_NONE;
    return TSVC_OK;
}

tsvc_status tsvc_ocsp_response_single_times(const tsvc_ocsp_response *resp, size_t index,
                                            int64_t *this_update, int64_t *next_update)
{
    if (resp == NULL || index >= resp->num_singles)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__ocsp_single *s = &resp->singles[index];
    if (this_update != NULL)
        *this_update = s->this_update;
    if (next_update != NULL)
        *next_update = s->has_next_update ? s->next_update : 0;
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Verification                                                        */
/* ------------------------------------------------------------------ */

static const char *status_name(tsvc_ocsp_response_status s)
{
    switch (s) {
    case TSVC_OCSP_SUCCESSFUL: return "successful";
    case TSVC_OCSP_MALFORMED_REQUEST: return "malformedRequest";
    case TSVC_OCSP_INTERNAL_ERROR: return "internalError";
    case TSVC_OCSP_TRY_LATER: return "tryLater";
    case TSVC_OCSP_SIG_REQUIRED: return "sigRequired";
    case TSVC_OCSP_UNAUTHORIZED: return "unauthorized";
    default: return "unknown";
    }
}

bool tsvc__ocsp_mentions(const tsvc_ocsp_response *resp, const tsvc_cert *cert)
{
    for (size_t i = 0; i < resp->num_singles; i++)
        if (tsvc__cbs_equal(&resp->singles[i].serial, cert->serial.data, cert->serial.len))
            return true;
    return false;
}

/* True if the responderID names @p c (by name, or by SHA-1 of its key). */
static bool responder_is(const tsvc_ctx *ctx, const tsvc_ocsp_response *r, const tsvc__cbs *name,
                         const tsvc_pubkey *key)
{
    if (!r->by_key)
        return tsvc__name_equal(&r->responder, name);
    uint8_t h[20];
    size_t bl = 0;
    const uint8_t *bits = tsvc__pubkey_bits(key, &bl);
    if (tsvc__hash_oneshot(ctx, TSVC_HASH_SHA1, bits, bl, h, NULL) != TSVC_OK)
        return false;
    return tsvc__cbs_equal(&r->responder, h, sizeof(h));
}

static bool has_ext(const tsvc_cert *c, const char *oid, size_t len)
{
    return tsvc__cert_find_ext(c, (const uint8_t *)oid, len) != NULL;
}

static bool eku_lists(const tsvc_cert *c, const char *oid, size_t len)
{
    if (!c->eku.present)
        return false;
    for (size_t i = 0; i < c->eku.num; i++)
        if (tsvc__oid_equal(&c->eku.oids[i], (const uint8_t *)oid, len))
            return true;
    return false;
}

tsvc_status tsvc__ocsp_check(const tsvc_ctx *ctx, const tsvc_ocsp_response *r,
                             const tsvc_cert *cert, const tsvc__rev_issuer *iss, int64_t when,
                             const tsvc_ocsp_verify_options *opts, tsvc__rev_result *res,
                             tsvc_error **err)
{
    tsvc_ocsp_verify_options defaults = TSVC_OCSP_VERIFY_OPTIONS_INIT;
    const tsvc__ocsp_single *single = NULL;
    bool serial_seen = false;
    tsvc_status hash_failure = TSVC_OK;
    char t[40];
    tsvc_status st;

    memset(res, 0, sizeof(*res));
    res->reason = TSVC_REASON_NONE;
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != TSVC_OCSP_VERIFY_OPTIONS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, NULL, -1, "unknown options version");
    if (opts->skew < 0 || opts->skew > 86400 || opts->max_age < 0 ||
        (opts->nonce == NULL && opts->nonce_len != 0) || opts->nonce_len > TSVC_OCSP_MAX_NONCE)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "invalid OCSP verify options");
    if (r->status != TSVC_OCSP_SUCCESSFUL)
        return tsvc__err(err, TSVC_ERR_OCSP_STATUS, "ocsp.status", -1,
                         "the responder answered %s", status_name(r->status));

    /* 1. The SingleResponse about this certificate. */
    for (size_t i = 0; i < r->num_singles && single == NULL; i++) {
        const tsvc__ocsp_single *s = &r->singles[i];
        uint8_t nh[64], kh[64];
        if (!tsvc__cbs_equal(&s->serial, cert->serial.data, cert->serial.len))
            continue;
        serial_seen = true;
        if (s->hash_status != TSVC_OK)
            continue;
        size_t hl = tsvc__hash_size(s->hash);
        if (hl == 0 || s->name_hash.len != hl || s->key_hash.len != hl)
            continue;
        st = certid_hashes(ctx, s->hash, &cert->issuer, iss->key, nh, kh, NULL);
        if (st == TSVC_ERR_NOMEM)
            return tsvc__err_code(err, st);
        if (st != TSVC_OK) {
            hash_failure = st; /* e.g. no backend hashes SHA-1 in this build */
            continue;
        }
        if (tsvc__cbs_equal(&s->name_hash, nh, hl) && tsvc__cbs_equal(&s->key_hash, kh, hl))
            single = s;
    }
    if (single == NULL && hash_failure != TSVC_OK)
        return tsvc__err(err, hash_failure, "ocsp.certid", -1,
                         "cannot compute the CertID hashes of the response: %s",
                         tsvc_status_str(hash_failure));
    if (single == NULL)
        return tsvc__err(err, TSVC_ERR_OCSP_CERT_MISMATCH, "ocsp.certid", -1, "%s",
                         serial_seen ? "the response names this serial number under another "
                                       "issuer (issuer name or key hash differs)"
                                     : "the response is about other certificates (no CertID "
                                       "with this serial number)");

    /* 2. The signer: the CA itself, or a delegated responder it issued. */
    const tsvc_pubkey *signer_key = NULL;
    if (responder_is(ctx, r, iss->name, iss->key)) {
        signer_key = iss->key;
    } else {
        const tsvc_cert *cand = NULL;
        for (size_t i = 0; i < r->num_certs && cand == NULL; i++) {
            const tsvc_cert *c = r->certs[i];
            if (c->pubkey != NULL && responder_is(ctx, r, &c->subject, c->pubkey))
                cand = c;
        }
        if (cand == NULL)
            return tsvc__err(err, TSVC_ERR_OCSP_RESPONDER_ID, "ocsp.responder_id", -1,
                             "neither the CA nor a certificate in the response matches the "
                             "responderID");
        if (!tsvc__name_equal(&cand->issuer, iss->name) ||
            tsvc__cert_verify_signed_by(ctx, cand, iss->key, NULL) != TSVC_OK)
            return tsvc__err(err, TSVC_ERR_OCSP_RESPONDER, "ocsp.responder", -1,
                             "the responder certificate was not issued by the CA");
        if (!eku_lists(cand, TSVC__OID_KP_OCSP_SIGNING, TSVC__OID_LEN(TSVC__OID_KP_OCSP_SIGNING)))
            return tsvc__err(err, TSVC_ERR_OCSP_RESPONDER, "ocsp.responder.eku", -1,
                             "the delegated responder certificate lacks id-kp-OCSPSigning");
        if (cand->ku.present && !(cand->ku.bits & (TSVC_KU_DIGITAL_SIGNATURE |
                                                   TSVC_KU_NON_REPUDIATION)))
            return tsvc__err(err, TSVC_ERR_OCSP_RESPONDER, "ocsp.responder.key_usage", -1,
                             "the delegated responder's keyUsage forbids signatures");
        if (cand->flags & TSVC_CERT_FLAG_UNKNOWN_CRITICAL_EXTENSION)
            return tsvc__err(err, TSVC_ERR_OCSP_RESPONDER, "ocsp.responder.critical", -1,
                             "the delegated responder certificate has an unknown critical "
                             "extension");
        if (when < cand->not_before - opts->skew || when > cand->not_after + opts->skew)
            return tsvc__err(err, TSVC_ERR_OCSP_RESPONDER, "ocsp.responder.validity", -1,
                             "the delegated responder certificate is not valid at the "
                             "validation time");
        signer_key = cand->pubkey;
        res->delegated = true;
        res->responder = cand;
        res->nocheck = has_ext(cand, TSVC__OID_PKIX_OCSP_NOCHECK,
                               TSVC__OID_LEN(TSVC__OID_PKIX_OCSP_NOCHECK));
    }
    if (r->sigalg_status != TSVC_OK || r->sig_params.scheme == TSVC_SIG_NONE)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "ocsp.sigalg", -1,
                         "unsupported OCSP signature algorithm");
    {
        tsvc_error *inner = NULL;
        st = tsvc__verify(ctx, signer_key, &r->sig_params, r->tbs.data, r->tbs.len,
                          r->sig_value.data, r->sig_value.len, &inner);
        if (st == TSVC_ERR_SIGNATURE_INVALID || st == TSVC_ERR_KEY_MISMATCH) {
            tsvc_error_free(inner);
            return tsvc__err(err, TSVC_ERR_OCSP_SIGNATURE, "ocsp.signature", -1,
                             "the response signature does not verify with the %s key",
                             res->delegated ? "delegated responder's" : "CA's");
        }
        if (st != TSVC_OK) {
            tsvc__err(err, st, "ocsp.signature", -1, "%s", tsvc_error_message(inner));
            tsvc_error_free(inner);
            return st;
        }
        tsvc_error_free(inner);
    }

    /* 3. Extensions, nonce, times. */
    if (r->unknown_critical || single->unknown_critical)
        return tsvc__err(err, TSVC_ERR_OCSP_UNKNOWN_CRITICAL, "ocsp.critical", -1,
                         "the response has an unknown critical extension");
    if (opts->nonce != NULL) {
        bool ok = false;
        if (r->has_nonce) {
            /* RFC 8954 form (OCTET STRING inside extnValue) or the raw bytes. */
            ok = tsvc__cbs_equal(&r->nonce, opts->nonce, opts->nonce_len) ||
                 (r->nonce.len == opts->nonce_len + 2 && r->nonce.data[0] == 0x04 &&
                  r->nonce.data[1] == opts->nonce_len &&
                  memcmp(r->nonce.data + 2, opts->nonce, opts->nonce_len) == 0);
        }
        if (!ok)
            return tsvc__err(err, TSVC_ERR_OCSP_NONCE, "ocsp.nonce", -1, "%s",
                             r->has_nonce ? "the response's nonce differs from the request's"
                                          : "the response carries no nonce");
    }
    if (r->produced_at > when + opts->skew) {
        tsvc__revoke_fmt_time(r->produced_at, t);
        return tsvc__err(err, TSVC_ERR_OCSP_NOT_YET_VALID, "ocsp.produced_at", -1,
                         "producedAt %s is after the validation time", t);
    }
    if (single->this_update > when + opts->skew) {
        tsvc__revoke_fmt_time(single->this_update, t);
        return tsvc__err(err, TSVC_ERR_OCSP_NOT_YET_VALID, "ocsp.this_update", -1,
                         "thisUpdate %s is after the validation time", t);
    }
    if (single->has_next_update && single->next_update < when - opts->skew) {
        tsvc__revoke_fmt_time(single->next_update, t);
        return tsvc__err(err, TSVC_ERR_OCSP_STALE, "ocsp.next_update", -1,
                         "nextUpdate %s is before the validation time", t);
    }
    if (opts->max_age > 0 && when - single->this_update > opts->max_age) {
        tsvc__revoke_fmt_time(single->this_update, t);
        return tsvc__err(err, TSVC_ERR_OCSP_STALE, "ocsp.max_age", -1,
                         "thisUpdate %s is more than %lld s before the validation time", t,
                         (long long)opts->max_age);
    }

    res->this_update = single->this_update;
    res->has_next_update = single->has_next_update;
    res->next_update = single->next_update;
    res->produced_at = r->produced_at;
    res->reasons = TSVC__REASONS_ALL;
    res->status = single->status;
    if (single->status == TSVC_CERT_STATUS_REVOKED) {
        res->revocation_time = single->revocation_time;
        res->reason = (tsvc_crl_reason)single->reason;
        if (single->revocation_time > when) {
            res->status = TSVC_CERT_STATUS_GOOD;
            res->revoked_later = true;
        }
    }
    return TSVC_OK;
}

tsvc_status tsvc_ocsp_response_verify(const tsvc_ctx *ctx, tsvc_cert_status *status,
                                      int64_t *revocation_time, tsvc_crl_reason *reason,
                                      const tsvc_ocsp_response *resp, const tsvc_cert *cert,
                                      const tsvc_cert *issuer, int64_t when,
                                      const tsvc_ocsp_verify_options *opts, tsvc_error **err)
{
    tsvc__rev_result res;
    if (status == NULL || resp == NULL || cert == NULL || issuer == NULL ||
        issuer->pubkey == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "status, response, certificate and issuer (with a supported key) are "
                         "required");
    tsvc__rev_issuer iss = {&issuer->subject, issuer->pubkey, issuer, false};
    tsvc_status st = tsvc__ocsp_check(ctx, resp, cert, &iss, when, opts, &res, err);
    if (st != TSVC_OK)
        return st;
    *status = res.status;
    if (revocation_time != NULL)
        *revocation_time = res.status == TSVC_CERT_STATUS_REVOKED ? res.revocation_time : 0;
    if (reason != NULL)
        *reason = res.status == TSVC_CERT_STATUS_REVOKED ? res.reason : TSVC_REASON_NONE;
    return TSVC_OK;
}
