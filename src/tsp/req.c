/*
 * SPDX-License-Identifier: Apache-2.0
 * RFC 3161 TimeStampReq: building (random 64-bit nonce by default),
 * encoding, strict parsing (hash-algorithm parameters NULL or absent),
 * accessors, and posting through the context's fetch callback.
 *
 * Thread safety: a request belongs to the thread that builds it; once
 * built or parsed it may be read by many threads.
 */
#include <string.h>

#include "tsp/tsp.h"
#include "trustsvc/fetch.h"

size_t tsvc_tsq_max_size(void)
{
    return TSVC_TSQ_MAX_SIZE;
}

size_t tsvc_tsr_max_size(void)
{
    return TSVC_TSR_MAX_SIZE;
}

const char *tsvc_tsq_media_type(void)
{
    return TSVC_TSQ_MEDIA_TYPE;
}

const char *tsvc_tsr_media_type(void)
{
    return TSVC_TSR_MEDIA_TYPE;
}

const char *tsvc_pki_status_str(int status)
{
    switch (status) {
    case TSVC_PKI_GRANTED: return "granted";
    case TSVC_PKI_GRANTED_WITH_MODS: return "grantedWithMods";
    case TSVC_PKI_REJECTION: return "rejection";
    case TSVC_PKI_WAITING: return "waiting";
    case TSVC_PKI_REVOCATION_WARNING: return "revocationWarning";
    case TSVC_PKI_REVOCATION_NOTIFICATION: return "revocationNotification";
    default: return "unknown";
    }
}

bool tsvc__tsp_hash_default_ok(tsvc_hash_alg hash)
{
    return hash == TSVC_HASH_SHA256 || hash == TSVC_HASH_SHA384 || hash == TSVC_HASH_SHA512;
}

/* Encodes the MessageImprint of tsq (absent parameters, RFC 5754). */
static tsvc_status encode_imprint(tsvc_tsq *tsq)
{
    tsvc__cbb cbb;
    tsvc_buf b = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, tsq->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__hash_alg_encode(&cbb, tsq->hash);
    tsvc__cbb_add_octet_string(&cbb, tsq->digest, tsq->digest_len);
    tsvc__cbb_close(&cbb);
    tsvc_status st = tsvc__cbb_finish(&cbb, &b);
    if (st != TSVC_OK)
        return st;
    tsq->imprint = tsvc__memdup(tsq->ctx, b.data, b.len);
    tsq->imprint_len = b.len;
    tsvc_buf_dispose(&b);
    return tsq->imprint != NULL ? TSVC_OK : TSVC_ERR_NOMEM;
}

tsvc_status tsvc_tsq_new(tsvc_ctx *ctx, tsvc_tsq **out, tsvc_hash_alg hash,
                         const uint8_t *digest, size_t digest_len, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_tsq *tsq = NULL;
    uint8_t nonce[8];
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request", -1, "NULL argument");
    *out = NULL;
    if (ctx == NULL || (digest == NULL && digest_len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request", -1, "NULL argument");
    if (!tsvc__tsp_hash_default_ok(hash))
        return tsvc__err(err, TSVC_ERR_TSP_HASH, "tsp.request.hash", -1,
                         "message imprints use SHA-256, SHA-384 or SHA-512");
    if (digest_len != tsvc__hash_size(hash))
        return tsvc__err(err, TSVC_ERR_TSP_HASH, "tsp.request.digest", -1,
                         "digest of %zu bytes for a hash of %zu bytes", digest_len,
                         tsvc__hash_size(hash));
    tsq = tsvc__calloc(ctx, 1, sizeof(*tsq));
    if (tsq == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    tsq->ctx = ctx;
    tsq->hash = hash;
    memcpy(tsq->digest, digest, digest_len);
    tsq->digest_len = digest_len;
    if ((st = encode_imprint(tsq)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    if ((st = tsvc_random(ctx, nonce, sizeof(nonce), err)) != TSVC_OK)
        goto out;
    if ((st = tsvc_tsq_set_nonce(tsq, nonce, sizeof(nonce), err)) != TSVC_OK)
        goto out;
    *out = tsq;
    tsq = NULL;
out:
    tsvc_tsq_free(tsq);
    return st;
}

tsvc_status tsvc_tsq_new_data(tsvc_ctx *ctx, tsvc_tsq **out, tsvc_hash_alg hash,
                              const void *data, size_t len, tsvc_error **err)
{
    uint8_t md[TSVC_HASH_MAX_SIZE];
    if (out != NULL)
        *out = NULL;
    if (ctx == NULL || out == NULL || (data == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request", -1, "NULL argument");
    if (!tsvc__tsp_hash_default_ok(hash))
        return tsvc__err(err, TSVC_ERR_TSP_HASH, "tsp.request.hash", -1,
                         "message imprints use SHA-256, SHA-384 or SHA-512");
    tsvc_status st = tsvc__hash_oneshot(ctx, hash, data, len, md, err);
    if (st != TSVC_OK)
        return st;
    return tsvc_tsq_new(ctx, out, hash, md, tsvc__hash_size(hash), err);
}

tsvc_status tsvc_tsq_set_policy(tsvc_tsq *tsq, const char *oid, tsvc_error **err)
{
    if (tsq == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request.policy", -1, "NULL argument");
    if (oid == NULL) {
        tsq->has_policy = false;
        tsq->policy_len = 0;
        return TSVC_OK;
    }
    size_t len = 0;
    if (tsvc__oid_from_text(oid, tsq->policy, sizeof(tsq->policy), &len) != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_DER_OID, "tsp.request.policy", -1,
                         "malformed policy OID");
    tsq->policy_len = len;
    tsq->has_policy = true;
    return TSVC_OK;
}

tsvc_status tsvc_tsq_set_nonce(tsvc_tsq *tsq, const uint8_t *nonce, size_t nonce_len,
                               tsvc_error **err)
{
    if (tsq == NULL || (nonce == NULL && nonce_len != 0) || nonce_len > TSVC__TSP_MAX_NONCE)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request.nonce", -1,
                         "NULL argument or nonce longer than %d bytes", TSVC__TSP_MAX_NONCE);
    if (nonce == NULL) {
        tsq->has_nonce = false;
        tsq->nonce_len = 0;
        return TSVC_OK;
    }
    /* INTEGER contents of the positive value: strip zeros, add one if the
     * top bit is set, zero itself is one 00 octet. */
    while (nonce_len > 0 && nonce[0] == 0) {
        nonce++;
        nonce_len--;
    }
    size_t n = 0;
    if (nonce_len == 0 || (nonce[0] & 0x80) != 0)
        tsq->nonce[n++] = 0;
    if (nonce_len > 0)
        memcpy(tsq->nonce + n, nonce, nonce_len);
    tsq->nonce_len = n + nonce_len;
    tsq->has_nonce = true;
    return TSVC_OK;
}

void tsvc_tsq_set_cert_req(tsvc_tsq *tsq, int cert_req)
{
    if (tsq != NULL)
        tsq->cert_req = cert_req != 0;
}

tsvc_status tsvc_tsq_encode(const tsvc_tsq *tsq, tsvc_buf *out, tsvc_error **err)
{
    tsvc__cbb cbb;
    if (tsq == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request", -1, "NULL argument");
    tsvc__cbb_init(&cbb, tsq->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(&cbb, 1);
    tsvc__cbb_add_bytes(&cbb, tsq->imprint, tsq->imprint_len);
    if (tsq->has_policy)
        tsvc__cbb_add_oid(&cbb, tsq->policy, tsq->policy_len);
    if (tsq->has_nonce)
        tsvc__cbb_add_integer_raw(&cbb, 0, tsq->nonce, tsq->nonce_len);
    if (tsq->cert_req)
        tsvc__cbb_add_bool(&cbb, true);
    tsvc__cbb_close(&cbb);
    tsvc_status st = tsvc__cbb_finish(&cbb, out);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    return TSVC_OK;
}

static tsvc_status fmt_err(tsvc_error **err, const tsvc__cbs *at, const char *check,
                           const char *what)
{
    return tsvc__err(err, TSVC_ERR_TSP_FORMAT, check, at ? tsvc__cbs_offset(at) : -1, "%s", what);
}

/* Parses a MessageImprint element's contents: hash and digest. */
static tsvc_status parse_imprint(tsvc__cbs *cbs, tsvc__cbs *element, tsvc__cbs *alg,
                                 tsvc_hash_alg *hash, tsvc__cbs *digest, bool lenient_hash,
                                 tsvc_error **err)
{
    tsvc__cbs seq, algid;
    tsvc_status st;
    if ((st = tsvc__der_get_element(cbs, TSVC__TAG_SEQUENCE, element, err)) != TSVC_OK)
        return st;
    tsvc__cbs e = *element;
    if ((st = tsvc__der_get(&e, TSVC__TAG_SEQUENCE, &seq, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_element(&seq, TSVC__TAG_SEQUENCE, &algid, err)) != TSVC_OK ||
        (st = tsvc__der_get_octet_string(&seq, digest, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&seq, err)) != TSVC_OK)
        return st;
    *alg = algid;
    if (tsvc__hash_alg_parse(&algid, hash, NULL) != TSVC_OK) {
        if (!lenient_hash)
            return tsvc__err(err, TSVC_ERR_TSP_HASH, "tsp.imprint.hash", tsvc__cbs_offset(&algid),
                             "unknown message-imprint hash algorithm");
        *hash = TSVC_HASH_NONE;
        return TSVC_OK;
    }
    if (digest->len != tsvc__hash_size(*hash)) {
        if (!lenient_hash)
            return tsvc__err(err, TSVC_ERR_TSP_HASH, "tsp.imprint.digest",
                             tsvc__cbs_offset(digest), "digest of %zu bytes for a hash of %zu",
                             digest->len, tsvc__hash_size(*hash));
    }
    return TSVC_OK;
}

tsvc_status tsvc__tsp_parse_imprint(tsvc__cbs *cbs, tsvc__cbs *element, tsvc__cbs *alg,
                                    tsvc_hash_alg *hash, tsvc__cbs *digest, bool lenient,
                                    tsvc_error **err)
{
    return parse_imprint(cbs, element, alg, hash, digest, lenient, err);
}

tsvc_status tsvc_tsq_parse(const tsvc_ctx *ctx, tsvc_tsq **out, const uint8_t *data, size_t len,
                           tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_tsq *tsq = NULL;
    tsvc__cbs in, seq, imprint, alg, digest, f;
    uint64_t version = 0;
    bool present = false;
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request", -1, "NULL argument");
    *out = NULL;
    if (data == NULL && len != 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.request", -1, "NULL argument");
    if (len > TSVC_TSQ_MAX_SIZE || len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "tsp.request.size", -1,
                         "time-stamp request of %zu bytes (limit %d)", len, TSVC_TSQ_MAX_SIZE);
    tsvc__cbs_init(&in, data, len);
    if ((st = tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &seq, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&in, err)) != TSVC_OK)
        goto out;
    tsq = tsvc__calloc(ctx, 1, sizeof(*tsq));
    if (tsq == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    tsq->ctx = ctx;
    f = seq;
    if ((st = tsvc__der_get_u64(&seq, &version, err)) != TSVC_OK)
        goto out;
    if (version != 1) {
        st = tsvc__err(err, TSVC_ERR_TSP_VERSION, "tsp.request.version", tsvc__cbs_offset(&f),
                       "TimeStampReq version %llu (only 1 exists)", (unsigned long long)version);
        goto out;
    }
    if ((st = parse_imprint(&seq, &imprint, &alg, &tsq->hash, &digest, false, err)) != TSVC_OK)
        goto out;
    memcpy(tsq->digest, digest.data, digest.len);
    tsq->digest_len = digest.len;
    tsq->imprint = tsvc__memdup(ctx, imprint.data, imprint.len);
    if (tsq->imprint == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    tsq->imprint_len = imprint.len;
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_OID)) {
        tsvc__cbs oid;
        if ((st = tsvc__der_get_oid(&seq, &oid, err)) != TSVC_OK)
            goto out;
        memcpy(tsq->policy, oid.data, oid.len);
        tsq->policy_len = oid.len;
        tsq->has_policy = true;
    }
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_INTEGER)) {
        tsvc__cbs nonce;
        bool neg = false;
        if ((st = tsvc__der_get_integer(&seq, 0, &nonce, &neg, err)) != TSVC_OK)
            goto out;
        if (nonce.len > sizeof(tsq->nonce)) {
            st = fmt_err(err, &nonce, "tsp.request.nonce", "nonce longer than 65 octets");
            goto out;
        }
        memcpy(tsq->nonce, nonce.data, nonce.len);
        tsq->nonce_len = nonce.len;
        tsq->has_nonce = true;
    }
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_BOOLEAN)) {
        tsvc__cbs at = seq;
        bool b = false;
        if ((st = tsvc__der_get_bool(&seq, &b, err)) != TSVC_OK)
            goto out;
        if (!b) {
            /* DER: a DEFAULT value is never encoded. */
            st = fmt_err(err, &at, "tsp.request.cert_req", "certReq FALSE encoded (DEFAULT)");
            goto out;
        }
        tsq->cert_req = true;
    }
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(0), NULL, &present, err)) !=
        TSVC_OK)
        goto out;
    tsq->has_extensions = present;
    if ((st = tsvc__der_expect_end(&seq, err)) != TSVC_OK)
        goto out;
    *out = tsq;
    tsq = NULL;
out:
    tsvc_tsq_free(tsq);
    return st;
}

tsvc_hash_alg tsvc_tsq_hash_alg(const tsvc_tsq *tsq)
{
    return tsq ? tsq->hash : TSVC_HASH_NONE;
}

const uint8_t *tsvc_tsq_digest(const tsvc_tsq *tsq, size_t *len)
{
    if (len != NULL)
        *len = tsq ? tsq->digest_len : 0;
    return tsq ? tsq->digest : NULL;
}

tsvc_status tsvc_tsq_policy(const tsvc_tsq *tsq, char *out, size_t out_size)
{
    if (tsq == NULL || out == NULL)
        return TSVC_ERR_INVALID_ARG;
    if (!tsq->has_policy)
        return TSVC_ERR_NOT_FOUND;
    char text[TSVC__OID_TEXT_MAX];
    tsvc_status st = tsvc__oid_to_text(tsq->policy, tsq->policy_len, text, sizeof(text));
    if (st != TSVC_OK)
        return st;
    if (strlen(text) + 1 > out_size)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    memcpy(out, text, strlen(text) + 1);
    return TSVC_OK;
}

const uint8_t *tsvc_tsq_nonce(const tsvc_tsq *tsq, size_t *len)
{
    bool has = tsq != NULL && tsq->has_nonce;
    if (len != NULL)
        *len = has ? tsq->nonce_len : 0;
    return has ? tsq->nonce : NULL;
}

int tsvc_tsq_cert_req(const tsvc_tsq *tsq)
{
    return tsq != NULL && tsq->cert_req ? 1 : 0;
}

tsvc_status tsvc_tsq_fetch(tsvc_ctx *ctx, const tsvc_tsq *tsq, const char *url, tsvc_buf *out,
                           tsvc_error **err)
{
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    tsvc_status st = TSVC_OK;
    tsvc_error *ferr = NULL;
    if (ctx == NULL || tsq == NULL || url == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.fetch", -1, "NULL argument");
    if (ctx->fetch == NULL)
        return tsvc__err(err, TSVC_ERR_FETCH, "tsp.fetch", -1,
                         "no fetch callback is set on the context");
    if ((st = tsvc_tsq_encode(tsq, &req, err)) != TSVC_OK)
        goto out;
    st = ctx->fetch(ctx->fetch_opaque, url, TSVC_TSQ_MEDIA_TYPE, req.data, req.len, &resp, &ferr);
    if (st != TSVC_OK) {
        st = tsvc__err(err, TSVC_ERR_FETCH, "tsp.fetch", -1, "fetching %s failed: %s", url,
                       ferr ? tsvc_error_message(ferr) : tsvc_status_str(st));
        goto out;
    }
    if (resp.len > TSVC_TSR_MAX_SIZE) {
        st = tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "tsp.fetch.size", -1,
                       "time-stamp response of %zu bytes", resp.len);
        goto out;
    }
    *out = resp;
    resp.data = NULL;
    resp.len = 0;
out:
    tsvc_error_free(ferr);
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    return st;
}

void tsvc_tsq_free(tsvc_tsq *tsq)
{
    if (tsq == NULL)
        return;
    const tsvc_ctx *ctx = tsq->ctx;
    tsvc__free(ctx, tsq->imprint);
    tsvc__free(ctx, tsq);
}
