/*
 * SPDX-License-Identifier: Apache-2.0
 * The issuing side: CRL builder and OCSP response builder.
 *
 * Thread safety: a builder belongs to one thread at a time. The key it
 * signs with may be shared if its backend allows concurrent signing.
 */
#include <stdlib.h>
#include <string.h>

#include "revoke/revoke.h"

#define DEFAULT_VALIDITY (7 * 86400)
#define MAX_EXTRA_EXTS 8
#define MAX_SERIAL 20

typedef struct bentry {
    uint8_t serial[MAX_SERIAL + 1];
    size_t serial_len;
    int64_t when;
    int reason;
    tsvc_cert_status status;
} bentry;

static int bentry_cmp(const void *pa, const void *pb)
{
    const bentry *a = pa, *b = pb;
    return tsvc__revoke_serial_cmp(a->serial, a->serial_len, b->serial, b->serial_len);
}

static tsvc_status check_serial(const uint8_t *serial, size_t len, tsvc_error **err)
{
    tsvc__cbs c;
    if (serial == NULL || len == 0 || len > MAX_SERIAL + 1)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "serial number must be 1 .. 20 octets of INTEGER contents");
    tsvc__cbs_init(&c, serial, len);
    if (tsvc__der_check_integer(&c, NULL) != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "serial number is not minimal INTEGER contents");
    return TSVC_OK;
}

static bool valid_reason(int r)
{
    return r == TSVC_REASON_NONE || (r >= 0 && r <= 10 && r != 7);
}

/* Signature parameters for @p key, after checking it matches @p cert's key. */
static tsvc_status signer_params(const tsvc_key *key, const tsvc_cert *cert,
                                 tsvc__sig_params *params, tsvc_error **err)
{
    tsvc_pubkey *pub = NULL;
    tsvc_status st = tsvc_key_get_public(key, &pub, err);
    if (st != TSVC_OK)
        return st;
    if (cert->pubkey == NULL || !tsvc__pubkey_equal(pub, cert->pubkey)) {
        st = tsvc__err(err, TSVC_ERR_KEY_MISMATCH, "revoke.signer", -1,
                       "the private key does not belong to the signer's certificate");
        goto out;
    }
    st = tsvc__sig_params_default(tsvc__pubkey_type(pub), params);
    if (st != TSVC_OK)
        st = tsvc__err(err, st, "revoke.signer", -1, "no default signature for this key type");
out:
    tsvc_pubkey_free(pub);
    return st;
}

/* Signs @p tbs and writes SEQUENCE { tbs, sigalg, BIT STRING sig [, extra] } parts. */
static tsvc_status sign_into(tsvc__cbb *cbb, const tsvc_key *key, const tsvc__sig_params *p,
                             const tsvc_buf *tbs, tsvc_error **err)
{
    tsvc_buf sig = TSVC_BUF_INIT;
    tsvc_status st = tsvc__sign(key, p, tbs->data, tbs->len, &sig, err);
    if (st != TSVC_OK)
        return st;
    tsvc__cbb_add_bytes(cbb, tbs->data, tbs->len);
    tsvc__sigalg_encode(cbb, p);
    tsvc__cbb_add_bit_string(cbb, sig.data, sig.len, 0);
    tsvc_buf_dispose(&sig);
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* CRL builder                                                         */
/* ------------------------------------------------------------------ */

typedef struct xext {
    uint8_t oid[TSVC__OID_MAX_LEN];
    size_t oid_len;
    bool critical;
    uint8_t *value;
    size_t value_len;
} xext;

struct tsvc_crl_builder {
    const tsvc_ctx *ctx;
    const tsvc_cert *issuer;
    const tsvc_key *key;
    tsvc__sig_params params;
    int64_t this_update, next_update; /* next_update -1: none */
    uint64_t number;
    bentry *entries;
    size_t num, cap;
    xext exts[MAX_EXTRA_EXTS];
    size_t num_exts;
};

tsvc_status tsvc_crl_builder_new(tsvc_ctx *ctx, tsvc_crl_builder **out, const tsvc_cert *issuer,
                                 const tsvc_key *key, tsvc_error **err)
{
    tsvc_status st;
    tsvc_crl_builder *b = NULL;
    if (out == NULL || issuer == NULL || key == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out, issuer and key are required");
    *out = NULL;
    b = tsvc__calloc(ctx, 1, sizeof(*b));
    if (b == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    b->ctx = ctx;
    b->key = key;
    b->number = 1;
    st = signer_params(key, issuer, &b->params, err);
    if (st != TSVC_OK)
        goto out;
    st = tsvc_ctx_now(ctx, &b->this_update, err);
    if (st != TSVC_OK)
        goto out;
    b->next_update = b->this_update + DEFAULT_VALIDITY;
    b->issuer = tsvc_cert_ref((tsvc_cert *)(uintptr_t)issuer);
    *out = b;
    b = NULL;
out:
    tsvc_crl_builder_free(b);
    return st;
}

void tsvc_crl_builder_free(tsvc_crl_builder *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->num_exts; i++)
        tsvc__free(b->ctx, b->exts[i].value);
    tsvc__free(b->ctx, b->entries);
    tsvc_cert_free((tsvc_cert *)(uintptr_t)b->issuer);
    tsvc__free(b->ctx, b);
}

tsvc_status tsvc_crl_builder_set_times(tsvc_crl_builder *b, int64_t this_update,
                                       int64_t next_update, tsvc_error **err)
{
    if (b == NULL || (next_update != -1 && next_update < this_update))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "nextUpdate must be -1 or not before thisUpdate");
    b->this_update = this_update;
    b->next_update = next_update;
    return TSVC_OK;
}

tsvc_status tsvc_crl_builder_set_number(tsvc_crl_builder *b, uint64_t number, tsvc_error **err)
{
    if (b == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "builder is required");
    b->number = number;
    return TSVC_OK;
}

static tsvc_status grow(const tsvc_ctx *ctx, bentry **arr, size_t *num, size_t *cap, size_t max,
                        tsvc_error **err)
{
    if (*num >= max)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1, "too many entries (at most %zu)",
                         max);
    if (*num < *cap)
        return TSVC_OK;
    size_t ncap = *cap ? *cap * 2 : 64, bytes;
    if (ncap > max)
        ncap = max;
    if (!tsvc__mul_ok(ncap, sizeof(bentry), &bytes))
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    bentry *n = tsvc__realloc(ctx, *arr, *cap * sizeof(bentry), bytes);
    if (n == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    *arr = n;
    *cap = ncap;
    return TSVC_OK;
}

tsvc_status tsvc_crl_builder_add(tsvc_crl_builder *b, const uint8_t *serial, size_t serial_len,
                                 int64_t revocation_time, tsvc_crl_reason reason,
                                 tsvc_error **err)
{
    if (b == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "builder is required");
    tsvc_status st = check_serial(serial, serial_len, err);
    if (st != TSVC_OK)
        return st;
    if (!valid_reason((int)reason))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "invalid CRL reason");
    st = grow(b->ctx, &b->entries, &b->num, &b->cap, TSVC_CRL_MAX_ENTRIES, err);
    if (st != TSVC_OK)
        return st;
    bentry *e = &b->entries[b->num++];
    memcpy(e->serial, serial, serial_len);
    e->serial_len = serial_len;
    e->when = revocation_time;
    e->reason = (int)reason;
    e->status = TSVC_CERT_STATUS_REVOKED;
    return TSVC_OK;
}

tsvc_status tsvc_crl_builder_add_extension(tsvc_crl_builder *b, const char *oid, int critical,
                                           const uint8_t *value, size_t value_len,
                                           tsvc_error **err)
{
    if (b == NULL || oid == NULL || (value == NULL && value_len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "builder and OID are required");
    if (b->num_exts == MAX_EXTRA_EXTS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1, "at most 8 extra extensions");
    xext *x = &b->exts[b->num_exts];
    if (tsvc__oid_from_text(oid, x->oid, sizeof(x->oid), &x->oid_len) != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_DER_OID, NULL, -1, "malformed OID text");
    tsvc__cbs o;
    tsvc__cbs_init(&o, x->oid, x->oid_len);
    if (tsvc__oid_equal(&o, (const uint8_t *)TSVC__OID_CE_CRL_NUMBER,
                        TSVC__OID_LEN(TSVC__OID_CE_CRL_NUMBER)) ||
        tsvc__oid_equal(&o, (const uint8_t *)TSVC__OID_CE_AUTHORITY_KEY_ID,
                        TSVC__OID_LEN(TSVC__OID_CE_AUTHORITY_KEY_ID)))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "the builder writes cRLNumber and authorityKeyIdentifier itself");
    for (size_t i = 0; i < b->num_exts; i++)
        if (b->exts[i].oid_len == x->oid_len && memcmp(b->exts[i].oid, x->oid, x->oid_len) == 0)
            return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "extension added twice");
    x->value = value_len ? tsvc__memdup(b->ctx, value, value_len) : NULL;
    if (value_len && x->value == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    x->value_len = value_len;
    x->critical = critical != 0;
    b->num_exts++;
    return TSVC_OK;
}

static void add_ext_header(tsvc__cbb *cbb, const char *oid, size_t len)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(cbb, (const uint8_t *)oid, len);
    tsvc__cbb_open(cbb, TSVC__TAG_OCTET_STRING);
}

static void add_ext_footer(tsvc__cbb *cbb)
{
    tsvc__cbb_close(cbb);
    tsvc__cbb_close(cbb);
}

tsvc_status tsvc_crl_builder_finish(tsvc_crl_builder *b, tsvc_buf *out, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbb cbb;
    tsvc_buf tbs = TSVC_BUF_INIT;
    if (b == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "builder and output are required");
    out->data = NULL;
    out->len = 0;
    if (b->num > 1)
        qsort(b->entries, b->num, sizeof(*b->entries), bentry_cmp);
    for (size_t i = 1; i < b->num; i++)
        if (bentry_cmp(&b->entries[i - 1], &b->entries[i]) == 0)
            return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                             "a serial number was added twice");
    bool delta = false;
    for (size_t i = 0; i < b->num_exts && !delta; i++)
        delta = b->exts[i].oid_len == TSVC__OID_LEN(TSVC__OID_CE_DELTA_CRL_INDICATOR) &&
                memcmp(b->exts[i].oid, TSVC__OID_CE_DELTA_CRL_INDICATOR, b->exts[i].oid_len) == 0;
    for (size_t i = 0; i < b->num && !delta; i++)
        if (b->entries[i].reason == TSVC_REASON_REMOVE_FROM_CRL)
            return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                             "removeFromCRL belongs in delta CRLs only (RFC 5280 5.3.1): add "
                             "the deltaCRLIndicator extension");

    tsvc__cbb_init(&cbb, b->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* TBSCertList */
    tsvc__cbb_add_u64(&cbb, 1);
    tsvc__sigalg_encode(&cbb, &b->params);
    tsvc__cbb_add_bytes(&cbb, b->issuer->subject.data, b->issuer->subject.len);
    tsvc__cbb_add_time(&cbb, b->this_update);
    if (b->next_update != -1)
        tsvc__cbb_add_time(&cbb, b->next_update);
    if (b->num > 0) {
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < b->num && cbb.error == TSVC_OK; i++) {
            const bentry *e = &b->entries[i];
            tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
            tsvc__cbb_add_integer_raw(&cbb, 0, e->serial, e->serial_len);
            tsvc__cbb_add_time(&cbb, e->when);
            if (e->reason > 0) {
                uint8_t r = (uint8_t)e->reason;
                tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
                add_ext_header(&cbb, TSVC__OID_CE_REASON_CODE,
                               TSVC__OID_LEN(TSVC__OID_CE_REASON_CODE));
                tsvc__cbb_add_element(&cbb, TSVC__TAG_ENUMERATED, &r, 1);
                add_ext_footer(&cbb);
                tsvc__cbb_close(&cbb);
            }
            tsvc__cbb_close(&cbb);
        }
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    if (b->issuer->ski.present) {
        add_ext_header(&cbb, TSVC__OID_CE_AUTHORITY_KEY_ID,
                       TSVC__OID_LEN(TSVC__OID_CE_AUTHORITY_KEY_ID));
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_element(&cbb, TSVC__TAG_CONTEXT(0), b->issuer->ski.key_id.data,
                              b->issuer->ski.key_id.len);
        tsvc__cbb_close(&cbb);
        add_ext_footer(&cbb);
    }
    add_ext_header(&cbb, TSVC__OID_CE_CRL_NUMBER, TSVC__OID_LEN(TSVC__OID_CE_CRL_NUMBER));
    tsvc__cbb_add_u64(&cbb, b->number);
    add_ext_footer(&cbb);
    for (size_t i = 0; i < b->num_exts; i++) {
        const xext *x = &b->exts[i];
        tsvc__revoke_add_extension(&cbb, x->oid, x->oid_len, x->critical, x->value,
                                   x->value_len);
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    st = tsvc__cbb_finish(&cbb, &tbs);
    if (st != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    tsvc__cbb_init(&cbb, b->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    st = sign_into(&cbb, b->key, &b->params, &tbs, err);
    if (st != TSVC_OK) {
        tsvc__cbb_cleanup(&cbb);
        goto out;
    }
    tsvc__cbb_close(&cbb);
    st = tsvc__cbb_finish(&cbb, out);
    if (st != TSVC_OK)
        st = tsvc__err_code(err, st);
out:
    tsvc_buf_dispose(&tbs);
    return st;
}

/* ------------------------------------------------------------------ */
/* OCSP response builder                                               */
/* ------------------------------------------------------------------ */

struct tsvc_ocsp_response_builder {
    const tsvc_ctx *ctx;
    const tsvc_cert *ca;
    const tsvc_cert *signer;
    const tsvc_key *key;
    tsvc__sig_params params;
    tsvc_hash_alg hash;
    uint8_t name_hash[64], key_hash[64];
    bool by_key;
    uint8_t signer_key_sha1[20];
    int64_t produced_at, this_update, next_update;
    uint8_t nonce[TSVC_OCSP_MAX_NONCE];
    size_t nonce_len;
    bentry *entries;
    size_t num, cap;
};

static tsvc_status compute_ids(tsvc_ocsp_response_builder *b, tsvc_error **err)
{
    size_t bl = 0;
    const uint8_t *bits = tsvc__pubkey_bits(b->ca->pubkey, &bl);
    tsvc_status st = tsvc__hash_oneshot(b->ctx, b->hash, b->ca->subject.data, b->ca->subject.len,
                                        b->name_hash, err);
    if (st == TSVC_OK)
        st = tsvc__hash_oneshot(b->ctx, b->hash, bits, bl, b->key_hash, err);
    if (st == TSVC_OK && b->by_key) {
        bits = tsvc__pubkey_bits(b->signer->pubkey, &bl);
        st = tsvc__hash_oneshot(b->ctx, TSVC_HASH_SHA1, bits, bl, b->signer_key_sha1, err);
    }
    return st;
}

tsvc_status tsvc_ocsp_response_builder_new(tsvc_ctx *ctx, tsvc_ocsp_response_builder **out,
                                           const tsvc_cert *ca, const tsvc_cert *signer,
                                           const tsvc_key *key, tsvc_error **err)
{
    tsvc_status st;
    tsvc_ocsp_response_builder *b = NULL;
    if (out == NULL || ca == NULL || signer == NULL || key == NULL || ca->pubkey == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "out, CA (with a supported key), signer and key are required");
    *out = NULL;
    b = tsvc__calloc(ctx, 1, sizeof(*b));
    if (b == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    b->ctx = ctx;
    b->key = key;
    /* A build without SHA-1 (libsodium only) makes SHA-256 CertIDs. */
    b->hash = tsvc__hash_available(ctx, TSVC_HASH_SHA1) ? TSVC_HASH_SHA1 : TSVC_HASH_SHA256;
    b->ca = tsvc_cert_ref((tsvc_cert *)(uintptr_t)ca);
    b->signer = tsvc_cert_ref((tsvc_cert *)(uintptr_t)signer);
    st = signer_params(key, signer, &b->params, err);
    if (st != TSVC_OK)
        goto out;
    st = compute_ids(b, err);
    if (st != TSVC_OK)
        goto out;
    st = tsvc_ctx_now(ctx, &b->produced_at, err);
    if (st != TSVC_OK)
        goto out;
    b->this_update = b->produced_at;
    b->next_update = b->this_update + DEFAULT_VALIDITY;
    *out = b;
    b = NULL;
out:
    tsvc_ocsp_response_builder_free(b);
    return st;
}

void tsvc_ocsp_response_builder_free(tsvc_ocsp_response_builder *b)
{
    if (b == NULL)
        return;
    tsvc__free(b->ctx, b->entries);
    tsvc_cert_free((tsvc_cert *)(uintptr_t)b->ca);
    tsvc_cert_free((tsvc_cert *)(uintptr_t)b->signer);
    tsvc__free(b->ctx, b);
}

tsvc_status tsvc_ocsp_response_builder_set_times(tsvc_ocsp_response_builder *b,
                                                 int64_t produced_at, int64_t this_update,
                                                 int64_t next_update, tsvc_error **err)
{
    if (b == NULL || (next_update != -1 && next_update < this_update))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "nextUpdate must be -1 or not before thisUpdate");
    b->produced_at = produced_at;
    b->this_update = this_update;
    b->next_update = next_update;
    return TSVC_OK;
}

tsvc_status tsvc_ocsp_response_builder_set_ids(tsvc_ocsp_response_builder *b, tsvc_hash_alg hash,
                                               int by_key, tsvc_error **err)
{
    if (b == NULL || (hash != TSVC_HASH_SHA1 && hash != TSVC_HASH_SHA256))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "CertID hash must be SHA-1 or SHA-256");
    b->hash = hash;
    b->by_key = by_key != 0;
    return compute_ids(b, err);
}

tsvc_status tsvc_ocsp_response_builder_set_nonce(tsvc_ocsp_response_builder *b,
                                                 const uint8_t *nonce, size_t nonce_len,
                                                 tsvc_error **err)
{
    if (b == NULL || (nonce != NULL && (nonce_len == 0 || nonce_len > TSVC_OCSP_MAX_NONCE)))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "nonce must be 1 .. 32 bytes");
    b->nonce_len = nonce != NULL ? nonce_len : 0;
    if (nonce != NULL)
        memcpy(b->nonce, nonce, nonce_len);
    return TSVC_OK;
}

tsvc_status tsvc_ocsp_response_builder_add(tsvc_ocsp_response_builder *b, const uint8_t *serial,
                                           size_t serial_len, tsvc_cert_status status,
                                           int64_t revocation_time, tsvc_crl_reason reason,
                                           tsvc_error **err)
{
    if (b == NULL || (status != TSVC_CERT_STATUS_GOOD && status != TSVC_CERT_STATUS_REVOKED &&
                      status != TSVC_CERT_STATUS_UNKNOWN))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "builder and a status are required");
    tsvc_status st = check_serial(serial, serial_len, err);
    if (st != TSVC_OK)
        return st;
    if (!valid_reason((int)reason))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "invalid CRL reason");
    st = grow(b->ctx, &b->entries, &b->num, &b->cap, TSVC_OCSP_MAX_SINGLE, err);
    if (st != TSVC_OK)
        return st;
    bentry *e = &b->entries[b->num++];
    memcpy(e->serial, serial, serial_len);
    e->serial_len = serial_len;
    e->status = status;
    e->when = revocation_time;
    e->reason = (int)reason;
    return TSVC_OK;
}

tsvc_status tsvc_ocsp_response_builder_finish(tsvc_ocsp_response_builder *b, tsvc_buf *out,
                                              tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbb cbb;
    tsvc_buf tbs = TSVC_BUF_INIT;
    size_t hl;
    if (b == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "builder and output are required");
    out->data = NULL;
    out->len = 0;
    if (b->num == 0)
        return tsvc__err(err, TSVC_ERR_STATE, NULL, -1, "no SingleResponse was added");
    hl = tsvc__hash_size(b->hash);

    tsvc__cbb_init(&cbb, b->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* ResponseData */
    if (b->by_key) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(2));
        tsvc__cbb_add_octet_string(&cbb, b->signer_key_sha1, sizeof(b->signer_key_sha1));
    } else {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(1));
        tsvc__cbb_add_bytes(&cbb, b->signer->subject.data, b->signer->subject.len);
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_add_generalized_time(&cbb, b->produced_at, 0);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    for (size_t i = 0; i < b->num; i++) {
        const bentry *e = &b->entries[i];
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* SingleResponse */
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* CertID */
        tsvc__hash_alg_encode(&cbb, b->hash);
        tsvc__cbb_add_octet_string(&cbb, b->name_hash, hl);
        tsvc__cbb_add_octet_string(&cbb, b->key_hash, hl);
        tsvc__cbb_add_integer_raw(&cbb, 0, e->serial, e->serial_len);
        tsvc__cbb_close(&cbb);
        if (e->status == TSVC_CERT_STATUS_GOOD) {
            tsvc__cbb_add_element(&cbb, TSVC__TAG_CONTEXT(0), NULL, 0);
        } else if (e->status == TSVC_CERT_STATUS_UNKNOWN) {
            tsvc__cbb_add_element(&cbb, TSVC__TAG_CONTEXT(2), NULL, 0);
        } else {
            tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(1));
            tsvc__cbb_add_generalized_time(&cbb, e->when, 0);
            if (e->reason >= 0) {
                uint8_t r = (uint8_t)e->reason;
                tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
                tsvc__cbb_add_element(&cbb, TSVC__TAG_ENUMERATED, &r, 1);
                tsvc__cbb_close(&cbb);
            }
            tsvc__cbb_close(&cbb);
        }
        tsvc__cbb_add_generalized_time(&cbb, b->this_update, 0);
        if (b->next_update != -1) {
            tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
            tsvc__cbb_add_generalized_time(&cbb, b->next_update, 0);
            tsvc__cbb_close(&cbb);
        }
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close(&cbb);
    if (b->nonce_len > 0) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(1));
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__revoke_add_nonce(&cbb, b->nonce, b->nonce_len);
        tsvc__cbb_close(&cbb);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close(&cbb);
    st = tsvc__cbb_finish(&cbb, &tbs);
    if (st != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }

    tsvc__cbb_init(&cbb, b->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* OCSPResponse */
    tsvc__cbb_add_element(&cbb, TSVC__TAG_ENUMERATED, (const uint8_t *)"\x00", 1);
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(&cbb, (const uint8_t *)TSVC__OID_PKIX_OCSP_BASIC,
                      TSVC__OID_LEN(TSVC__OID_PKIX_OCSP_BASIC));
    tsvc__cbb_open(&cbb, TSVC__TAG_OCTET_STRING);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* BasicOCSPResponse */
    st = sign_into(&cbb, b->key, &b->params, &tbs, err);
    if (st != TSVC_OK) {
        tsvc__cbb_cleanup(&cbb);
        goto out;
    }
    if (b->signer != b->ca && !(b->signer->der_len == b->ca->der_len &&
                                memcmp(b->signer->der, b->ca->der, b->ca->der_len) == 0)) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_bytes(&cbb, b->signer->der, b->signer->der_len);
        tsvc__cbb_close(&cbb);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    st = tsvc__cbb_finish(&cbb, out);
    if (st != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    b->num = 0;
out:
    tsvc_buf_dispose(&tbs);
    return st;
}

tsvc_status tsvc_ocsp_error_response_build(const tsvc_ctx *ctx, tsvc_buf *out,
                                           tsvc_ocsp_response_status status, tsvc_error **err)
{
    tsvc__cbb cbb;
    uint8_t v = (uint8_t)status;
    if (out == NULL || status == TSVC_OCSP_SUCCESSFUL || (unsigned)status > 6 ||
        (unsigned)status == 4)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "an unsuccessful response status is required");
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_element(&cbb, TSVC__TAG_ENUMERATED, &v, 1);
    tsvc__cbb_close(&cbb);
    tsvc_status st = tsvc__cbb_finish(&cbb, out);
    return st == TSVC_OK ? TSVC_OK : tsvc__err_code(err, st);
}
