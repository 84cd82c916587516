/*
 * SPDX-License-Identifier: Apache-2.0
 * CAdES B-B signing: the signer object, the signed attributes (content-type,
 * message-digest, signing-time, signing-certificate-v2, and optionally
 * commitment-type-indication, signer-location, signature-policy-identifier),
 * the external two-step flow and the SignedData output. The key signs
 * through tsvc__sign_ex with the signer's label, after the key
 * requirements (if any) were checked, and its evidence is kept.
 */
#include <string.h>

#include "ades/ades.h"
#include "cms/tst.h"
#include "crypto/algpolicy.h"

#define OID(lit) (const uint8_t *)(lit), TSVC__CMS_OID_LEN(lit)
#define MAX_SIGN_ATTRS 8
#define TSVC__SIGNER_DEFAULT_LABEL "cades"

typedef enum sstate { S_CONTENT = 0, S_TBS = 1, S_SIGNED = 2, S_DONE = 3 } sstate;

struct tsvc_signer {
    tsvc_ctx *ctx;
    const tsvc_key *key;
    tsvc_cert *cert;
    tsvc_cert *chain[TSVC__ADES_MAX_CHAIN];
    size_t num_chain;
    tsvc_signer_options opts; /* strings below are our copies */
    uint8_t ct_oid[TSVC__OID_MAX_LEN];
    size_t ct_len;
    uint8_t commit_oid[TSVC__OID_MAX_LEN];
    size_t commit_len;
    uint8_t pol_oid[TSVC__OID_MAX_LEN];
    size_t pol_len;
    uint8_t pol_hash[TSVC_HASH_MAX_SIZE];
    char *loc_country;
    char *loc_locality;
    tsvc__sig_params params;
    tsvc_hash_alg digest;
    int64_t signing_time;
    bool detached;
    tsvc_hash *hash;
    uint64_t fed;
    bool digest_given;
    uint8_t *content;
    size_t content_len, content_cap;
    uint8_t md[TSVC_HASH_MAX_SIZE];
    size_t md_len;
    sstate state;
    tsvc_buf tbs;
    tsvc_buf sig;
    char *label;                 /* shown to the activation callback; NULL: "cades" */
    tsvc_key_requirements req;   /* checked before the key signs */
    bool has_req;
    tsvc_sign_evidence *evidence; /* from the key's signature; NULL when injected */
};

void tsvc_signer_options_init(tsvc_signer_options *opts)
{
    static const tsvc_signer_options init = TSVC_SIGNER_OPTIONS_INIT;
    if (opts != NULL)
        *opts = init;
}

static tsvc_status parse_oid(const char *text, uint8_t *out, size_t *len, const char *what,
                             tsvc_error **err)
{
    if (tsvc__oid_from_text(text, out, TSVC__OID_MAX_LEN, len) != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "%s is not a dotted OID", what);
    return TSVC_OK;
}

void tsvc_signer_free(tsvc_signer *s)
{
    if (s == NULL)
        return;
    tsvc_hash_free(s->hash);
    tsvc_cert_free(s->cert);
    for (size_t i = 0; i < s->num_chain; i++)
        tsvc_cert_free(s->chain[i]);
    tsvc__free(s->ctx, s->loc_country);
    tsvc__free(s->ctx, s->loc_locality);
    if (s->content != NULL)
        tsvc__free_secret(s->ctx, s->content, s->content_cap);
    tsvc_buf_dispose(&s->tbs);
    tsvc_buf_dispose(&s->sig);
    tsvc_memzero(s->md, sizeof(s->md));
    tsvc__free(s->ctx, s->label);
    tsvc_sign_evidence_free(s->evidence);
    tsvc__free(s->ctx, s);
}

tsvc_status tsvc_signer_new(tsvc_ctx *ctx, tsvc_signer **out, const tsvc_key *key,
                            tsvc_cert *cert, const tsvc_signer_options *opts, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_signer *s = NULL;
    tsvc_pubkey *kpub = NULL;
    tsvc_signer_options defaults = TSVC_SIGNER_OPTIONS_INIT;
    if (out == NULL || cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out and cert are required");
    *out = NULL;
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != TSVC_SIGNER_OPTIONS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, NULL, -1, "unknown tsvc_signer_options version");
    if (cert->pubkey == NULL)
        return tsvc__err(err, TSVC_ERR_SIGNER_CERT, "sign.certificate", -1,
                         "the certificate's public key is not supported");
    s = tsvc__calloc(ctx, 1, sizeof(*s));
    if (s == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    s->ctx = ctx;
    s->key = key;
    s->cert = tsvc_cert_ref(cert);
    s->opts = *opts;
    s->opts.content_type = s->opts.commitment_type = NULL;
    s->opts.location_country = s->opts.location_locality = s->opts.policy_oid = NULL;
    s->opts.policy_hash = NULL;
    s->detached = opts->detached != 0;

    if (key != NULL) {
        if ((st = tsvc_key_get_public(key, &kpub, err)) != TSVC_OK)
            goto out;
        if (!tsvc__pubkey_equal(kpub, cert->pubkey)) {
            st = tsvc__err(err, TSVC_ERR_SIGNER_CERT, "sign.key-mismatch", -1,
                           "the private key does not belong to the certificate");
            goto out;
        }
    }
    /* Scheme and digest. */
    tsvc_key_type kt = tsvc__pubkey_type(cert->pubkey);
    s->digest = opts->digest == TSVC_HASH_NONE ? TSVC_HASH_SHA256 : opts->digest;
    if (s->digest != TSVC_HASH_SHA256 && s->digest != TSVC_HASH_SHA384 &&
        s->digest != TSVC_HASH_SHA512) {
        st = tsvc__err(err, TSVC_ERR_ALGORITHM, "sign.digest", -1,
                       "digest must be SHA-256, SHA-384 or SHA-512");
        goto out;
    }
    memset(&s->params, 0, sizeof(s->params));
    switch (kt) {
    case TSVC_KEY_RSA:
        s->params.scheme = opts->scheme == TSVC_SIG_RSA_PSS ? TSVC_SIG_RSA_PSS : TSVC_SIG_RSA_PKCS1;
        if (opts->scheme != TSVC_SIG_NONE && opts->scheme != TSVC_SIG_RSA_PSS &&
            opts->scheme != TSVC_SIG_RSA_PKCS1)
            st = TSVC_ERR_KEY_MISMATCH;
        break;
    case TSVC_KEY_ECDSA_P256:
    case TSVC_KEY_ECDSA_P384:
    case TSVC_KEY_ECDSA_P521:
        s->params.scheme = TSVC_SIG_ECDSA;
        if (opts->scheme != TSVC_SIG_NONE && opts->scheme != TSVC_SIG_ECDSA)
            st = TSVC_ERR_KEY_MISMATCH;
        break;
    case TSVC_KEY_ED25519:
        s->params.scheme = TSVC_SIG_ED25519;
        s->digest = TSVC_HASH_SHA512; /* RFC 8419 section 3.1 */
        if (opts->scheme != TSVC_SIG_NONE && opts->scheme != TSVC_SIG_ED25519)
            st = TSVC_ERR_KEY_MISMATCH;
        break;
    default: st = TSVC_ERR_KEY_MISMATCH; break;
    }
    if (st != TSVC_OK) {
        st = tsvc__err(err, st, "sign.scheme", -1, "signature scheme does not fit the key");
        goto out;
    }
    if (s->params.scheme != TSVC_SIG_ED25519) {
        s->params.hash = s->digest;
        s->params.mgf1_hash = s->digest;
        s->params.salt_len = (uint32_t)tsvc__hash_size(s->digest);
    }
    /* Signing time. */
    s->signing_time = opts->signing_time;
    if (s->signing_time == 0 && (st = tsvc_ctx_now(ctx, &s->signing_time, err)) != TSVC_OK)
        goto out;
    /* Algorithm policy at the signing time. */
    {
        const tsvc_algorithm_policy *ap =
            opts->algorithm_policy ? opts->algorithm_policy : tsvc__algpolicy_default();
        tsvc__algpol_family fam;
        unsigned bits;
        const char *rule = NULL;
        char why[200];
        if (!tsvc__algpolicy_spki_key(cert->spki.data, cert->spki.len, &fam, &bits))
            fam = TSVC__ALGPOL_FAMILY_NONE;
        if (!tsvc__algpolicy_accepts(ap, s->params.scheme, s->digest, fam, bits, s->signing_time,
                                     &rule, why, sizeof(why))) {
            st = tsvc__err(err, TSVC_ERR_ALGORITHM_POLICY, rule, -1, "%s", why);
            goto out;
        }
    }
    if (opts->signer_id == TSVC_SIGNER_ID_SKI && !cert->ski.present) {
        st = tsvc__err(err, TSVC_ERR_SIGNER_CERT, "sign.ski", -1,
                       "the certificate has no subjectKeyIdentifier");
        goto out;
    }
    if (opts->signer_id != TSVC_SIGNER_ID_SKI && opts->signer_id != TSVC_SIGNER_ID_ISSUER_SERIAL) {
        st = tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown signer_id");
        goto out;
    }
    /* Optional attributes. */
    if (opts->content_type != NULL &&
        (st = parse_oid(opts->content_type, s->ct_oid, &s->ct_len, "content_type", err)) != TSVC_OK)
        goto out;
    if (opts->commitment_type != NULL &&
        (st = parse_oid(opts->commitment_type, s->commit_oid, &s->commit_len, "commitment_type",
                        err)) != TSVC_OK)
        goto out;
    if (opts->policy_oid != NULL) {
        if ((st = parse_oid(opts->policy_oid, s->pol_oid, &s->pol_len, "policy_oid", err)) !=
            TSVC_OK)
            goto out;
        if (opts->policy_hash == NULL || tsvc__hash_size(opts->policy_hash_alg) == 0 ||
            opts->policy_hash_len != tsvc__hash_size(opts->policy_hash_alg)) {
            st = tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                           "policy_hash must be a digest with policy_hash_alg");
            goto out;
        }
        memcpy(s->pol_hash, opts->policy_hash, opts->policy_hash_len);
    }
    if (opts->location_country != NULL &&
        (s->loc_country = tsvc__strdup(ctx, opts->location_country)) == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    if (opts->location_locality != NULL &&
        (s->loc_locality = tsvc__strdup(ctx, opts->location_locality)) == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    if ((st = tsvc_hash_new(ctx, &s->hash, s->digest, err)) != TSVC_OK)
        goto out;
    *out = s;
    s = NULL;
out:
    tsvc_pubkey_free(kpub);
    tsvc_signer_free(s);
    return st;
}

tsvc_status tsvc_signer_add_cert(tsvc_signer *s, tsvc_cert *cert, tsvc_error **err)
{
    if (s == NULL || cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer and cert are required");
    if (s->state != S_CONTENT)
        return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1, "the signature is already made");
    if (s->num_chain >= TSVC__ADES_MAX_CHAIN)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "sign.chain", -1,
                         "more than %d chain certificates", TSVC__ADES_MAX_CHAIN);
    s->chain[s->num_chain++] = tsvc_cert_ref(cert);
    return TSVC_OK;
}

tsvc_status tsvc_signer_update(tsvc_signer *s, const void *data, size_t len, tsvc_error **err)
{
    tsvc_status st;
    if (s == NULL || (data == NULL && len > 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer and data are required");
    if (s->state != S_CONTENT || s->digest_given)
        return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1,
                         "content can no longer be added");
    if (!s->detached) {
        uint64_t limit = tsvc__limit(s->ctx, TSVC_LIMIT_INPUT_SIZE);
        if ((uint64_t)s->content_len + len > limit)
            return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "sign.content", -1,
                             "attached content larger than the input limit (sign detached to stream)");
        if (s->content_len + len > s->content_cap) {
            size_t cap = s->content_cap ? s->content_cap : 4096;
            while (cap < s->content_len + len)
                cap *= 2;
            uint8_t *n = tsvc__realloc(s->ctx, s->content, s->content_cap, cap);
            if (n == NULL)
                return tsvc__err_code(err, TSVC_ERR_NOMEM);
            s->content = n;
            s->content_cap = cap;
        }
        if (len > 0)
            memcpy(s->content + s->content_len, data, len);
        s->content_len += len;
    }
    if ((st = tsvc_hash_update(s->hash, data, len, err)) != TSVC_OK)
        return st;
    s->fed += len;
    return TSVC_OK;
}

tsvc_status tsvc_signer_set_digest(tsvc_signer *s, const uint8_t *digest, size_t digest_len,
                                   tsvc_error **err)
{
    if (s == NULL || digest == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer and digest are required");
    if (s->state != S_CONTENT || s->fed > 0 || s->digest_given)
        return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1,
                         "a digest can only replace the content, before any content");
    if (digest_len != tsvc__hash_size(s->digest))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "digest length %zu does not fit the digest algorithm", digest_len);
    memcpy(s->md, digest, digest_len);
    s->md_len = digest_len;
    s->digest_given = true;
    s->detached = true;
    return TSVC_OK;
}

/* ---- signed attribute values ---- */

static tsvc_status finish_value(tsvc__cbb *cbb, tsvc_buf *vals, size_t *n)
{
    tsvc_status st = tsvc__cbb_finish(cbb, &vals[*n]);
    if (st == TSVC_OK)
        (*n)++;
    return st;
}

static tsvc_status build_tbs(tsvc_signer *s, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_buf vals[MAX_SIGN_ATTRS];
    tsvc__cms_attr_in attrs[MAX_SIGN_ATTRS];
    size_t nv = 0, na = 0;
    tsvc__cbb cbb;
    size_t out_len = 0;
    memset(vals, 0, sizeof(vals));
    if (!s->digest_given) {
        if ((st = tsvc_hash_final(s->hash, s->md, sizeof(s->md), &out_len, err)) != TSVC_OK)
            goto out;
        s->md_len = out_len;
    }
    /* content-type */
    tsvc__cbb_init(&cbb, s->ctx);
    if (s->ct_len > 0)
        tsvc__cbb_add_oid(&cbb, s->ct_oid, s->ct_len);
    else
        tsvc__cbb_add_oid(&cbb, OID(TSVC__OID_CMS_DATA));
    if ((st = finish_value(&cbb, vals, &nv)) != TSVC_OK)
        goto nomem;
    attrs[na++] = (tsvc__cms_attr_in){OID(TSVC__OID_AA_CONTENT_TYPE), NULL, 0};
    /* message-digest */
    tsvc__cbb_init(&cbb, s->ctx);
    tsvc__cbb_add_octet_string(&cbb, s->md, s->md_len);
    if ((st = finish_value(&cbb, vals, &nv)) != TSVC_OK)
        goto nomem;
    attrs[na++] = (tsvc__cms_attr_in){OID(TSVC__OID_AA_MESSAGE_DIGEST), NULL, 0};
    /* signing-time */
    tsvc__cbb_init(&cbb, s->ctx);
    tsvc__cbb_add_time(&cbb, s->signing_time);
    if ((st = finish_value(&cbb, vals, &nv)) != TSVC_OK)
        goto nomem;
    attrs[na++] = (tsvc__cms_attr_in){OID(TSVC__OID_AA_SIGNING_TIME), NULL, 0};
    /* signing-certificate-v2 */
    tsvc__cbb_init(&cbb, s->ctx);
    if ((st = tsvc__cms_ess_cert_v2_encode(s->ctx, &cbb, TSVC_HASH_SHA256, s->cert, err)) !=
        TSVC_OK) {
        tsvc__cbb_cleanup(&cbb);
        goto out;
    }
    if ((st = finish_value(&cbb, vals, &nv)) != TSVC_OK)
        goto nomem;
    attrs[na++] = (tsvc__cms_attr_in){OID(TSVC__OID_AA_SIGNING_CERT_V2), NULL, 0};
    if (s->commit_len > 0) {
        tsvc__cbb_init(&cbb, s->ctx);
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_oid(&cbb, s->commit_oid, s->commit_len);
        tsvc__cbb_close(&cbb);
        if ((st = finish_value(&cbb, vals, &nv)) != TSVC_OK)
            goto nomem;
        attrs[na++] = (tsvc__cms_attr_in){OID(TSVC__OID_AA_COMMITMENT_TYPE), NULL, 0};
    }
    if (s->loc_country != NULL || s->loc_locality != NULL) {
        tsvc__cbb_init(&cbb, s->ctx);
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        if (s->loc_country != NULL) {
            tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
            tsvc__cbb_add_element(&cbb, TSVC__TAG_UTF8_STRING, (const uint8_t *)s->loc_country,
                                  strlen(s->loc_country));
            tsvc__cbb_close(&cbb);
        }
        if (s->loc_locality != NULL) {
            tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(1));
            tsvc__cbb_add_element(&cbb, TSVC__TAG_UTF8_STRING, (const uint8_t *)s->loc_locality,
                                  strlen(s->loc_locality));
            tsvc__cbb_close(&cbb);
        }
        tsvc__cbb_close(&cbb);
        if ((st = finish_value(&cbb, vals, &nv)) != TSVC_OK)
            goto nomem;
        attrs[na++] = (tsvc__cms_attr_in){OID(TSVC__OID_AA_SIGNER_LOCATION), NULL, 0};
    }
    if (s->pol_len > 0) {
        tsvc__cbb_init(&cbb, s->ctx);
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* SignaturePolicyId */
        tsvc__cbb_add_oid(&cbb, s->pol_oid, s->pol_len);
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* OtherHashAlgAndValue */
        tsvc__hash_alg_encode(&cbb, s->opts.policy_hash_alg);
        tsvc__cbb_add_octet_string(&cbb, s->pol_hash, s->opts.policy_hash_len);
        tsvc__cbb_close(&cbb);
        tsvc__cbb_close(&cbb);
        if ((st = finish_value(&cbb, vals, &nv)) != TSVC_OK)
            goto nomem;
        attrs[na++] = (tsvc__cms_attr_in){OID(TSVC__OID_AA_SIG_POLICY_ID), NULL, 0};
    }
    for (size_t i = 0; i < na; i++) {
        attrs[i].value = vals[i].data;
        attrs[i].value_len = vals[i].len;
    }
    st = tsvc__cms_attrs_encode(s->ctx, attrs, na, &s->tbs);
    if (st != TSVC_OK)
        st = tsvc__err_code(err, st);
    else
        s->state = S_TBS;
    goto out;
nomem:
    st = tsvc__err_code(err, st);
out:
    for (size_t i = 0; i < nv; i++)
        tsvc_buf_dispose(&vals[i]);
    return st;
}

static tsvc_status ensure_tbs(tsvc_signer *s, tsvc_error **err)
{
    if (s->state == S_CONTENT)
        return build_tbs(s, err);
    if (s->state == S_DONE)
        return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1, "the signer has finished");
    return TSVC_OK;
}

tsvc_status tsvc_signer_data_to_sign(tsvc_signer *s, tsvc_buf *out, tsvc_error **err)
{
    tsvc_status st;
    if (s == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer and out are required");
    if ((st = ensure_tbs(s, err)) != TSVC_OK)
        return st;
    st = tsvc__buf_set(s->ctx, out, s->tbs.data, s->tbs.len);
    return st == TSVC_OK ? st : tsvc__err_code(err, st);
}

tsvc_status tsvc_signer_digest_to_sign(tsvc_signer *s, tsvc_buf *out, tsvc_hash_alg *hash,
                                       tsvc_error **err)
{
    tsvc_status st;
    uint8_t d[TSVC_HASH_MAX_SIZE];
    if (s == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer and out are required");
    if (s->params.scheme == TSVC_SIG_ED25519)
        return tsvc__err(err, TSVC_ERR_UNSUPPORTED, NULL, -1,
                         "Ed25519 signs the whole message, not a digest");
    if ((st = ensure_tbs(s, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__hash_oneshot(s->ctx, s->params.hash, s->tbs.data, s->tbs.len, d, err)) !=
        TSVC_OK)
        return st;
    st = tsvc__buf_set(s->ctx, out, d, tsvc__hash_size(s->params.hash));
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    if (hash != NULL)
        *hash = s->params.hash;
    return TSVC_OK;
}

/* Whether key requirements that demand anything are set. */
static bool req_demands(const tsvc_signer *s)
{
    return s->has_req && (s->req.require_hsm || s->req.require_non_extractable ||
                          s->req.require_active_certification || s->req.require_activation);
}

tsvc_status tsvc_signer_set_signature(tsvc_signer *s, const uint8_t *sig, size_t sig_len,
                                      tsvc_error **err)
{
    tsvc_status st;
    if (s == NULL || sig == NULL || sig_len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer and sig are required");
    if (s->state != S_TBS)
        return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1,
                         "take the data to be signed first (and only once inject)");
    if (req_demands(s))
        return tsvc__err(err, TSVC_ERR_KEY_ASSURANCE, "sign.key-requirements", -1,
                         "key requirements are set: an injected signature carries no key "
                         "assurance; let the signer's key sign");
    st = tsvc__verify(s->ctx, s->cert->pubkey, &s->params, s->tbs.data, s->tbs.len, sig, sig_len,
                      NULL);
    if (st != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_SIGNATURE_INVALID, "sign.inject", -1,
                         "the injected signature does not verify with the certificate's key");
    if ((st = tsvc__buf_set(s->ctx, &s->sig, sig, sig_len)) != TSVC_OK)
        return tsvc__err_code(err, st);
    s->state = S_SIGNED;
    return TSVC_OK;
}

/* ---- label, key requirements, evidence ---- */

tsvc_status tsvc_signer_set_label(tsvc_signer *s, const char *label, tsvc_error **err)
{
    if (s == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer is required");
    if (s->state == S_SIGNED || s->state == S_DONE)
        return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1,
                         "the signature is already made: the label comes too late");
    char *copy = NULL;
    if (label != NULL && (copy = tsvc__strdup(s->ctx, label)) == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    tsvc__free(s->ctx, s->label);
    s->label = copy;
    return TSVC_OK;
}

static tsvc_status check_requirements(const tsvc_signer *s, tsvc_error **err)
{
    tsvc_error *inner = NULL;
    tsvc_status st = tsvc_key_check_requirements(s->key, &s->req, err != NULL ? &inner : NULL);
    if (st == TSVC_OK)
        return TSVC_OK;
    if (st == TSVC_ERR_KEY_ASSURANCE)
        st = tsvc__err(err, st, tsvc_error_check(inner), -1,
                       "the signer's key does not meet the key requirements: %s",
                       tsvc_error_message(inner));
    else
        st = tsvc__err(err, st, tsvc_error_check(inner), -1, "%s", tsvc_error_message(inner));
    tsvc_error_free(inner);
    return st;
}

tsvc_status tsvc_signer_set_key_requirements(tsvc_signer *s, const tsvc_key_requirements *req,
                                             tsvc_error **err)
{
    if (s == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer is required");
    if (s->state == S_SIGNED || s->state == S_DONE)
        return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1,
                         "the signature is already made: the requirements come too late");
    if (req == NULL) {
        s->has_req = false;
        return TSVC_OK;
    }
    if (req->version != TSVC_KEY_REQUIREMENTS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, NULL, -1,
                         "unknown tsvc_key_requirements version %u", (unsigned)req->version);
    /* Kept even when the key falls short, so that such a signer never signs. */
    s->req = *req;
    s->has_req = true;
    if (s->key == NULL) {
        if (!req_demands(s))
            return TSVC_OK;
        return tsvc__err(err, TSVC_ERR_KEY_ASSURANCE, "sign.key-requirements", -1,
                         "the signer has no key (external flow): its assurance cannot be "
                         "checked against the key requirements");
    }
    return check_requirements(s, err);
}

const tsvc_sign_evidence *tsvc_signer_evidence(const tsvc_signer *s)
{
    return s != NULL ? s->evidence : NULL;
}

static void add_sigalg(tsvc__cbb *cbb, const tsvc__sig_params *p)
{
    if (p->scheme == TSVC_SIG_RSA_PKCS1) {
        /* As OpenSSL writes it: rsaEncryption, the hash is the digestAlgorithm. */
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_oid(cbb, OID(TSVC__OID_RSA_ENCRYPTION));
        tsvc__cbb_add_null(cbb);
        tsvc__cbb_close(cbb);
        return;
    }
    tsvc__sigalg_encode(cbb, p);
}

tsvc_status tsvc_signer_finish(tsvc_signer *s, tsvc_buf *out, tsvc_error **err)
{
    tsvc_status st;
    tsvc_buf sigalg = TSVC_BUF_INIT, si = TSVC_BUF_INIT;
    tsvc_buf certs[TSVC__ADES_MAX_CHAIN + 1];
    size_t ncerts = 0;
    tsvc__cbb cbb;
    if (s == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "signer and out are required");
    if ((st = ensure_tbs(s, err)) != TSVC_OK)
        return st;
    if (s->state == S_TBS) {
        if (s->key == NULL)
            return tsvc__err(err, TSVC_ERR_SIGNER_STATE, NULL, -1,
                             "no key: inject the signature with tsvc_signer_set_signature()");
        if (s->has_req && (st = check_requirements(s, err)) != TSVC_OK)
            return st;
        /* On any failure (a refusal included) nothing is kept: the state
         * stays S_TBS, s->sig and s->evidence stay empty. */
        if ((st = tsvc__sign_ex(s->key, &s->params, s->tbs.data, s->tbs.len, false,
                                s->label != NULL ? s->label : TSVC__SIGNER_DEFAULT_LABEL,
                                &s->sig, &s->evidence, err)) != TSVC_OK)
            return st;
        s->state = S_SIGNED;
    }
    tsvc__cbb_init(&cbb, s->ctx);
    add_sigalg(&cbb, &s->params);
    if ((st = tsvc__cbb_finish(&cbb, &sigalg)) != TSVC_OK)
        goto out;
    tsvc__cms_signer_in in;
    memset(&in, 0, sizeof(in));
    in.sid_is_ski = s->opts.signer_id == TSVC_SIGNER_ID_SKI;
    in.issuer = s->cert->issuer.data;
    in.issuer_len = s->cert->issuer.len;
    in.serial = s->cert->serial.data;
    in.serial_len = s->cert->serial.len;
    in.ski = s->cert->ski.key_id.data;
    in.ski_len = s->cert->ski.key_id.len;
    in.digest = s->digest;
    in.signed_attrs = s->tbs.data;
    in.signed_attrs_len = s->tbs.len;
    in.sig_alg = sigalg.data;
    in.sig_alg_len = sigalg.len;
    in.sig = s->sig.data;
    in.sig_len = s->sig.len;
    tsvc__cbb_init(&cbb, s->ctx);
    tsvc__cms_signer_encode(&cbb, &in);
    if ((st = tsvc__cbb_finish(&cbb, &si)) != TSVC_OK)
        goto out;
    memset(certs, 0, sizeof(certs));
    if (s->opts.certs != TSVC_SIGN_CERTS_NONE) {
        certs[ncerts].data = s->cert->der; /* borrowed views, not disposed */
        certs[ncerts++].len = s->cert->der_len;
        if (s->opts.certs == TSVC_SIGN_CERTS_CHAIN)
            for (size_t i = 0; i < s->num_chain; i++) {
                certs[ncerts].data = s->chain[i]->der;
                certs[ncerts++].len = s->chain[i]->der_len;
            }
    }
    tsvc__cms_sd_in sd;
    memset(&sd, 0, sizeof(sd));
    sd.digests = &s->digest;
    sd.num_digests = 1;
    if (s->ct_len > 0) {
        sd.content_type = s->ct_oid;
        sd.content_type_len = s->ct_len;
    }
    sd.attached = !s->detached;
    sd.content = s->content;
    sd.content_len = s->content_len;
    sd.certs = certs;
    sd.num_certs = ncerts;
    sd.signers = &si;
    sd.num_signers = 1;
    st = tsvc__cms_encode(s->ctx, &sd, out);
    if (st == TSVC_OK)
        s->state = S_DONE;
out:
    tsvc_buf_dispose(&sigalg);
    tsvc_buf_dispose(&si);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    return TSVC_OK;
}

tsvc_status tsvc_sign(tsvc_ctx *ctx, tsvc_buf *out, const tsvc_key *key, tsvc_cert *cert,
                      const void *data, size_t len, const tsvc_signer_options *opts,
                      tsvc_error **err)
{
    tsvc_signer *s = NULL;
    tsvc_status st = tsvc_signer_new(ctx, &s, key, cert, opts, err);
    if (st == TSVC_OK)
        st = tsvc_signer_update(s, data, len, err);
    if (st == TSVC_OK)
        st = tsvc_signer_finish(s, out, err);
    tsvc_signer_free(s);
    return st;
}
