/*
 * SPDX-License-Identifier: Apache-2.0
 * Time-stamp tokens: decoding a ContentInfo/SignedData whose content is a
 * TSTInfo (through the CMS layer's decoder), the TSTInfo accessors, and
 * signing a TSTInfo into a token with the CMS layer's encoders and an
 * RFC 5816 signing-certificate-v2 attribute.
 *
 * Thread safety: a token is immutable after parsing; reentrant.
 */
#include <string.h>

#include "cms/tst.h"
#include "tsp/tsp.h"
#include "x509/x509.h"

#define OID(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

void tsvc__tsp_token_clear(struct tsvc_tst *tst)
{
    if (tst == NULL)
        return;
    const tsvc_ctx *ctx = tst->ctx;
    for (size_t i = 0; i < tst->num_certs; i++)
        tsvc_cert_free(tst->certs[i]);
    tsvc__free(ctx, tst->certs);
    tsvc__free(ctx, tst->info_der);
    tsvc__cms_free(tst->cms);
    tst->certs = NULL;
    tst->num_certs = 0;
    tst->info_der = NULL;
    tst->cms = NULL;
    tst->signer = NULL;
}

static bool sid_matches(const tsvc__cms_signer *si, const tsvc_cert *c)
{
    if (si->sid_is_ski)
        return c->ski.present && tsvc__cbs_equal(&si->sid_ski, c->ski.key_id.data,
                                                 c->ski.key_id.len);
    return tsvc__cbs_equal(&si->sid_serial, c->serial.data, c->serial.len) &&
           tsvc__name_equal(&si->sid_issuer, &c->issuer);
}

tsvc_status tsvc__tsp_token_parse(const tsvc_ctx *ctx, struct tsvc_tst *tst, const uint8_t *data,
                                  size_t len, tsvc_error **err)
{
    tsvc_status st;
    tsvc_buf norm = TSVC_BUF_INIT;
    tst->ctx = ctx;
    if ((st = tsvc__cms_parse(ctx, data, len, &tst->cms, err)) != TSVC_OK)
        return st;
    const tsvc__cms *cms = tst->cms;
    if (!tsvc__oid_equal(&cms->econtent_type, OID(TSVC__OID_CT_TSTINFO)))
        return tsvc__err(err, TSVC_ERR_TSP_NO_TOKEN, "tsp.token.content-type",
                         tsvc__cbs_offset(&cms->econtent_type),
                         "the SignedData content is not a TSTInfo");
    if (!cms->has_content)
        return tsvc__err(err, TSVC_ERR_TSP_NO_TOKEN, "tsp.token.content", -1,
                         "the token's SignedData has no content");
    if (cms->num_signers != 1)
        return tsvc__err(err, TSVC_ERR_TSP_FORMAT, "tsp.token.signers", -1,
                         "a time-stamp token has exactly one SignerInfo (found %zu)",
                         cms->num_signers);
    /* The TSTInfo: strict DER, or BER normalised (the digest covers the
     * content as it was sent, which the CMS view keeps). */
    st = tsvc__der_validate(cms->content.data, cms->content.len,
                            (unsigned)tsvc__limit(ctx, TSVC_LIMIT_DER_DEPTH), NULL);
    if (st == TSVC_OK) {
        tst->info_der = tsvc__memdup(ctx, cms->content.data, cms->content.len ? cms->content.len : 1);
        tst->info_len = cms->content.len;
    } else {
        st = tsvc__ber_to_der(ctx, cms->content.data, cms->content.len,
                              (unsigned)tsvc__limit(ctx, TSVC_LIMIT_DER_DEPTH), &norm, err);
        if (st != TSVC_OK)
            goto out;
        tst->info_der = tsvc__memdup(ctx, norm.data, norm.len ? norm.len : 1);
        tst->info_len = norm.len;
    }
    if (tst->info_der == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    if ((st = tsvc__tsp_tstinfo_parse(tst->info_der, tst->info_len, &tst->info, err)) != TSVC_OK)
        goto out;
    /* The certificates that parse; the others are ignored (but running out
     * of memory is an error, not a certificate that does not parse). */
    if (cms->num_certs > 0) {
        tst->certs = tsvc__calloc(ctx, cms->num_certs, sizeof(*tst->certs));
        if (tst->certs == NULL) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
        for (size_t i = 0; i < cms->num_certs; i++) {
            tsvc_cert *c = NULL;
            if (!tsvc__der_peek_tag(&cms->certs[i], TSVC__TAG_SEQUENCE))
                continue;
            tsvc_status cs = tsvc__cert_parse_der(ctx, &c, cms->certs[i].data, cms->certs[i].len,
                                                  NULL);
            if (cs == TSVC_ERR_NOMEM) {
                st = tsvc__err(err, TSVC_ERR_NOMEM, "tsp.token.certs", -1,
                               "out of memory parsing certificate %zu of the token", i);
                goto out;
            }
            if (cs != TSVC_OK)
                continue;
            tst->certs[tst->num_certs++] = c;
            if (tst->signer == NULL && sid_matches(&cms->signers[0], c))
                tst->signer = c;
        }
    }
    st = TSVC_OK;
out:
    tsvc_buf_dispose(&norm);
    return st;
}

tsvc_status tsvc_tst_parse(const tsvc_ctx *ctx, tsvc_tst **out, const uint8_t *data, size_t len,
                           tsvc_error **err)
{
    tsvc_status st;
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.token", -1, "NULL argument");
    *out = NULL;
    if (data == NULL && len != 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.token", -1, "NULL argument");
    if (len > TSVC_TSR_MAX_SIZE)
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "tsp.token.size", -1,
                         "time-stamp token of %zu bytes", len);
    tsvc_tst *tst = tsvc__calloc(ctx, 1, sizeof(*tst));
    if (tst == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    st = tsvc__tsp_token_parse(ctx, tst, data, len, err);
    if (st != TSVC_OK) {
        tsvc_tst_free(tst);
        return st;
    }
    *out = tst;
    return TSVC_OK;
}

void tsvc_tst_free(tsvc_tst *tst)
{
    if (tst == NULL)
        return;
    const tsvc_ctx *ctx = tst->ctx;
    tsvc__tsp_token_clear(tst);
    tsvc__free(ctx, tst);
}

const uint8_t *tsvc_tst_der(const tsvc_tst *tst, size_t *len)
{
    if (len != NULL)
        *len = tst && tst->cms ? tst->cms->der_len : 0;
    return tst && tst->cms ? tst->cms->der : NULL;
}

const uint8_t *tsvc_tst_info_der(const tsvc_tst *tst, size_t *len)
{
    if (len != NULL)
        *len = tst ? tst->info_len : 0;
    return tst ? tst->info_der : NULL;
}

tsvc_status tsvc_tst_gen_time(const tsvc_tst *tst, int64_t *secs, uint32_t *nanos)
{
    if (tst == NULL)
        return TSVC_ERR_INVALID_ARG;
    if (secs != NULL)
        *secs = tst->info.gen_time;
    if (nanos != NULL)
        *nanos = tst->info.gen_nanos;
    return TSVC_OK;
}

const uint8_t *tsvc_tst_serial(const tsvc_tst *tst, size_t *len)
{
    if (len != NULL)
        *len = tst ? tst->info.serial.len : 0;
    return tst ? tst->info.serial.data : NULL;
}

tsvc_status tsvc_tst_policy(const tsvc_tst *tst, char *out, size_t out_size)
{
    char text[TSVC__OID_TEXT_MAX];
    if (tst == NULL || out == NULL)
        return TSVC_ERR_INVALID_ARG;
    tsvc_status st =
        tsvc__oid_to_text(tst->info.policy.data, tst->info.policy.len, text, sizeof(text));
    if (st != TSVC_OK)
        return st;
    size_t n = strlen(text) + 1;
    if (n > out_size)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    memcpy(out, text, n);
    return TSVC_OK;
}

tsvc_hash_alg tsvc_tst_hash_alg(const tsvc_tst *tst)
{
    return tst ? tst->info.hash : TSVC_HASH_NONE;
}

const uint8_t *tsvc_tst_digest(const tsvc_tst *tst, size_t *len)
{
    if (len != NULL)
        *len = tst ? tst->info.digest.len : 0;
    return tst ? tst->info.digest.data : NULL;
}

int tsvc_tst_accuracy(const tsvc_tst *tst, uint64_t *seconds, uint32_t *millis,
                      uint32_t *micros)
{
    bool has = tst != NULL && tst->info.has_accuracy;
    if (seconds != NULL)
        *seconds = has ? tst->info.acc_seconds : 0;
    if (millis != NULL)
        *millis = has ? tst->info.acc_millis : 0;
    if (micros != NULL)
        *micros = has ? tst->info.acc_micros : 0;
    return has ? 1 : 0;
}

int tsvc_tst_ordering(const tsvc_tst *tst)
{
    return tst != NULL && tst->info.ordering ? 1 : 0;
}

const uint8_t *tsvc_tst_nonce(const tsvc_tst *tst, size_t *len)
{
    bool has = tst != NULL && tst->info.has_nonce;
    if (len != NULL)
        *len = has ? tst->info.nonce.len : 0;
    return has ? tst->info.nonce.data : NULL;
}

const uint8_t *tsvc_tst_tsa_name(const tsvc_tst *tst, size_t *len)
{
    bool has = tst != NULL && tst->info.has_tsa;
    if (len != NULL)
        *len = has ? tst->info.tsa.len : 0;
    return has ? tst->info.tsa.data : NULL;
}

tsvc_status tsvc_tst_tsa_name_text(const tsvc_tst *tst, tsvc_buf *out, tsvc_error **err)
{
    tsvc__x509_gname gn;
    tsvc__cbs c;
    if (tst == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.tsa-name", -1, "NULL argument");
    if (!tst->info.has_tsa)
        return tsvc__err(err, TSVC_ERR_NOT_FOUND, "tsp.tsa-name", -1, "the token names no TSA");
    c = tst->info.tsa;
    tsvc_status st = tsvc__x509_parse_general_name(&c, false, &gn, err);
    if (st != TSVC_OK)
        return st;
    switch (gn.type) {
    case TSVC_GN_DIRECTORY_NAME: return tsvc__name_to_text(tst->ctx, &gn.value, out, err);
    case TSVC_GN_DNS:
    case TSVC_GN_URI:
    case TSVC_GN_EMAIL: {
        st = tsvc__buf_alloc(tst->ctx, out, gn.value.len + 1);
        if (st != TSVC_OK)
            return tsvc__err_code(err, st);
        memcpy(out->data, gn.value.data, gn.value.len);
        out->data[gn.value.len] = 0;
        out->len = gn.value.len;
        return TSVC_OK;
    }
    default:
        return tsvc__err(err, TSVC_ERR_UNSUPPORTED, "tsp.tsa-name", -1,
                         "TSA name of a form without a text representation");
    }
}

const tsvc_cert *tsvc_tst_signer_cert(const tsvc_tst *tst)
{
    return tst ? tst->signer : NULL;
}

/* ------------------------------------------------------------------ */
/* The TSA certificate's extended key usage (RFC 3161 section 2.3)     */
/* ------------------------------------------------------------------ */

bool tsvc__tsp_cert_eku_ok(const tsvc_cert *cert, const char **why)
{
    const char *w = NULL;
    if (!cert->eku.present)
        w = "the TSA certificate has no extendedKeyUsage extension";
    else if (!cert->eku.critical)
        w = "the TSA certificate's extendedKeyUsage is not critical";
    else if (cert->eku.num != 1 ||
             !tsvc__oid_equal(&cert->eku.oids[0], OID(TSVC__OID_KP_TIME_STAMPING)))
        w = "the TSA certificate's extendedKeyUsage is not only id-kp-timeStamping";
    if (why != NULL)
        *why = w;
    return w == NULL;
}

/* ------------------------------------------------------------------ */
/* Signing                                                             */
/* ------------------------------------------------------------------ */

static tsvc_status enc_fail(tsvc_error **err, tsvc_status st)
{
    return tsvc__err(err, st, "tsp.sign", -1, "encoding the token failed: %s",
                     tsvc_status_str(st));
}

tsvc_status tsvc__tsp_ess_value(const tsvc_ctx *ctx, tsvc_hash_alg hash, const tsvc_cert *cert,
                                tsvc_buf *out, tsvc_error **err)
{
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, ctx);
    tsvc_status st = tsvc__cms_ess_cert_v2_encode(ctx, &cbb, hash, cert, err);
    if (st != TSVC_OK) {
        tsvc__cbb_cleanup(&cbb);
        return st;
    }
    if ((st = tsvc__cbb_finish(&cbb, out)) != TSVC_OK)
        return enc_fail(err, st);
    return TSVC_OK;
}

tsvc_status tsvc__tsp_token_sign(const tsvc_ctx *ctx, const tsvc_key *key, const tsvc_cert *cert,
                                 tsvc_hash_alg hash, const uint8_t *tstinfo, size_t tstinfo_len,
                                 const tsvc_cert *const *certs, size_t num_certs, tsvc_buf *out,
                                 tsvc_error **err)
{
    return tsvc__tsp_token_sign_ess(ctx, key, cert, hash, NULL, 0, tstinfo, tstinfo_len, certs,
                                    num_certs, out, err);
}

tsvc_status tsvc__tsp_token_sign_ess(const tsvc_ctx *ctx, const tsvc_key *key,
                                     const tsvc_cert *cert, tsvc_hash_alg hash,
                                     const uint8_t *ess_value, size_t ess_value_len,
                                     const uint8_t *tstinfo, size_t tstinfo_len,
                                     const tsvc_cert *const *certs, size_t num_certs,
                                     tsvc_buf *out, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbb cbb;
    tsvc_buf ct = TSVC_BUF_INIT, md = TSVC_BUF_INIT, ess = TSVC_BUF_INIT, sattrs = TSVC_BUF_INIT;
    tsvc_buf sig = TSVC_BUF_INIT, sigalg = TSVC_BUF_INIT, signer = TSVC_BUF_INIT;
    tsvc_buf cert_views[16];
    tsvc_buf *cert_bufs = NULL;
    uint8_t digest[TSVC_HASH_MAX_SIZE];
    tsvc__sig_params p;
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    if ((st = tsvc_key_get_info(key, &info)) != TSVC_OK)
        return tsvc__err(err, st, "tsp.sign.key", -1, "key information unavailable");
    tsvc_key_type type = info.type;

    if ((st = tsvc__sig_params_default(type, &p)) != TSVC_OK) {
        st = tsvc__err(err, st, "tsp.sign.key", -1, "key type not usable for tokens");
        goto out;
    }
    /* Ed25519 (RFC 8419) uses SHA-512 for the message digest. */
    tsvc_hash_alg dalg = type == TSVC_KEY_ED25519 ? TSVC_HASH_SHA512 : hash;
    if (type != TSVC_KEY_ED25519)
        p.hash = hash;
    if (p.scheme == TSVC_SIG_RSA_PSS) {
        p.mgf1_hash = hash;
        p.salt_len = (uint32_t)tsvc__hash_size(hash);
    }
    if ((st = tsvc__hash_oneshot(ctx, dalg, tstinfo, tstinfo_len, digest, err)) != TSVC_OK)
        goto out;

    /* Attribute values. */
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_add_oid(&cbb, OID(TSVC__OID_CT_TSTINFO));
    if ((st = tsvc__cbb_finish(&cbb, &ct)) != TSVC_OK) {
        st = enc_fail(err, st);
        goto out;
    }
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_add_octet_string(&cbb, digest, tsvc__hash_size(dalg));
    if ((st = tsvc__cbb_finish(&cbb, &md)) != TSVC_OK) {
        st = enc_fail(err, st);
        goto out;
    }
    if (ess_value == NULL) {
        if ((st = tsvc__tsp_ess_value(ctx, hash, cert, &ess, err)) != TSVC_OK)
            goto out;
        ess_value = ess.data;
        ess_value_len = ess.len;
    }

    const tsvc__cms_attr_in attrs[3] = {
        {OID(TSVC__OID_AA_CONTENT_TYPE), ct.data, ct.len},
        {OID(TSVC__OID_AA_MESSAGE_DIGEST), md.data, md.len},
        {OID(TSVC__OID_AA_SIGNING_CERT_V2), ess_value, ess_value_len},
    };
    if ((st = tsvc__cms_attrs_encode(ctx, attrs, 3, &sattrs)) != TSVC_OK) {
        st = enc_fail(err, st);
        goto out;
    }
    /* Through the key's activation callback, with the label "tsa". */
    if ((st = tsvc__sign_ex(key, &p, sattrs.data, sattrs.len, false, "tsa", &sig, NULL, err)) !=
        TSVC_OK)
        goto out;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__sigalg_encode(&cbb, &p);
    if ((st = tsvc__cbb_finish(&cbb, &sigalg)) != TSVC_OK) {
        st = enc_fail(err, st);
        goto out;
    }

    tsvc__cms_signer_in si;
    memset(&si, 0, sizeof(si));
    si.issuer = cert->issuer.data;
    si.issuer_len = cert->issuer.len;
    si.serial = cert->serial.data;
    si.serial_len = cert->serial.len;
    si.digest = dalg;
    si.signed_attrs = sattrs.data;
    si.signed_attrs_len = sattrs.len;
    si.sig_alg = sigalg.data;
    si.sig_alg_len = sigalg.len;
    si.sig = sig.data;
    si.sig_len = sig.len;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cms_signer_encode(&cbb, &si);
    if ((st = tsvc__cbb_finish(&cbb, &signer)) != TSVC_OK) {
        st = enc_fail(err, st);
        goto out;
    }

    if (num_certs > 0) {
        cert_bufs = num_certs <= sizeof(cert_views) / sizeof(cert_views[0])
                        ? cert_views
                        : tsvc__calloc(ctx, num_certs, sizeof(*cert_bufs));
        if (cert_bufs == NULL) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
        /* Views, not copies: tsvc__cms_encode only reads them. */
        for (size_t i = 0; i < num_certs; i++) {
            cert_bufs[i].data = certs[i]->der;
            cert_bufs[i].len = certs[i]->der_len;
        }
    }
    tsvc__cms_sd_in sd;
    memset(&sd, 0, sizeof(sd));
    sd.digests = &dalg;
    sd.num_digests = 1;
    sd.content_type = (const uint8_t *)TSVC__OID_CT_TSTINFO;
    sd.content_type_len = sizeof(TSVC__OID_CT_TSTINFO) - 1;
    sd.attached = true;
    sd.content = tstinfo;
    sd.content_len = tstinfo_len;
    sd.certs = cert_bufs;
    sd.num_certs = num_certs;
    sd.signers = &signer;
    sd.num_signers = 1;
    if ((st = tsvc__cms_encode(ctx, &sd, out)) != TSVC_OK) {
        st = enc_fail(err, st);
        goto out;
    }
    st = TSVC_OK;
out:
    if (cert_bufs != cert_views)
        tsvc__free(ctx, cert_bufs);
    tsvc_buf_dispose(&ct);
    tsvc_buf_dispose(&md);
    tsvc_buf_dispose(&ess);
    tsvc_buf_dispose(&sattrs);
    tsvc_buf_dispose(&sig);
    tsvc_buf_dispose(&sigalg);
    tsvc_buf_dispose(&signer);
    return st;
}
