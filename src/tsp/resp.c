/*
 * SPDX-License-Identifier: Apache-2.0
 * RFC 3161 TimeStampResp parsing: PKIStatusInfo (status, statusString,
 * failInfo, the latter tolerated in BER: constructed or with trailing zero
 * bits), and the token (see token.c). A BER response is normalised first.
 *
 * Thread safety: a parsed response is immutable; reentrant.
 */
#include <string.h>

#include "tsp/tsp.h"

struct tsvc_tsr {
    const tsvc_ctx *ctx;
    int status;
    char *status_text; /* NUL-terminated, owned */
    uint32_t fail_info;
    tsvc_tst *token;   /* owned, or NULL */
};

static tsvc_status fmt_err(tsvc_error **err, const tsvc__cbs *at, const char *check,
                           const char *what)
{
    return tsvc__err(err, TSVC_ERR_TSP_FORMAT, check, at ? tsvc__cbs_offset(at) : -1, "%s", what);
}

/* statusString: SEQUENCE SIZE (1..MAX) OF UTF8String, joined with "; ". */
static tsvc_status parse_free_text(tsvc_tsr *tsr, tsvc__cbs *seq, tsvc_error **err)
{
    tsvc__cbs at = *seq, texts;
    tsvc_status st = tsvc__der_get(seq, TSVC__TAG_SEQUENCE, &texts, err);
    size_t used = 0, n = 0;
    if (st != TSVC_OK)
        return st;
    if (texts.len == 0)
        return fmt_err(err, &at, "tsp.response.status-string", "empty statusString");
    tsr->status_text = tsvc__calloc(tsr->ctx, 1, TSVC__TSP_MAX_STATUS_TEXT);
    if (tsr->status_text == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    while (texts.len > 0) {
        tsvc__cbs s;
        if ((st = tsvc__der_get(&texts, TSVC__TAG_UTF8_STRING, &s, err)) != TSVC_OK)
            return st;
        if (++n > TSVC__TSP_MAX_STATUS_STRINGS)
            continue;
        for (size_t i = 0; i < s.len; i++) {
            if (s.data[i] == 0)
                return fmt_err(err, &s, "tsp.response.status-string", "NUL in statusString");
        }
        const char *sep = used > 0 ? "; " : "";
        size_t sep_len = strlen(sep);
        if (used + sep_len + s.len + 1 > TSVC__TSP_MAX_STATUS_TEXT)
            continue; /* kept short: later texts are dropped */
        memcpy(tsr->status_text + used, sep, sep_len);
        used += sep_len;
        memcpy(tsr->status_text + used, s.data, s.len);
        used += s.len;
    }
    tsr->status_text[used] = 0;
    return TSVC_OK;
}

static tsvc_status parse_der(tsvc_tsr *tsr, const uint8_t *data, size_t len, tsvc_error **err)
{
    tsvc__cbs in, seq, si, at;
    tsvc_status st;
    uint64_t status = 0;
    tsvc__cbs_init(&in, data, len);
    if ((st = tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &seq, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&in, err)) != TSVC_OK ||
        (st = tsvc__der_get(&seq, TSVC__TAG_SEQUENCE, &si, err)) != TSVC_OK)
        return st;
    at = si;
    if ((st = tsvc__der_get_u64(&si, &status, err)) != TSVC_OK)
        return st;
    if (status > 5)
        return fmt_err(err, &at, "tsp.response.status", "unknown PKIStatus");
    tsr->status = (int)status;
    if (tsvc__der_peek_tag(&si, TSVC__TAG_SEQUENCE)) {
        if ((st = parse_free_text(tsr, &si, err)) != TSVC_OK)
            return st;
    }
    if (tsvc__der_peek_tag(&si, TSVC__TAG_BIT_STRING)) {
        uint64_t bits = 0;
        at = si;
        /* Non-minimal named bits (trailing zero bits) are tolerated. */
        if ((st = tsvc__der_get_named_bits(&si, 0, &bits, false, err)) != TSVC_OK)
            return st;
        if (bits > UINT32_MAX)
            return fmt_err(err, &at, "tsp.response.fail-info", "unknown failInfo bits");
        tsr->fail_info = (uint32_t)bits;
    }
    if ((st = tsvc__der_expect_end(&si, err)) != TSVC_OK)
        return st;
    bool granted = status == TSVC_PKI_GRANTED || status == TSVC_PKI_GRANTED_WITH_MODS;
    if (seq.len == 0) {
        if (granted)
            return tsvc__err(err, TSVC_ERR_TSP_NO_TOKEN, "tsp.response.token", -1,
                             "a granted time-stamp response without a token");
        return TSVC_OK;
    }
    tsvc__cbs token;
    at = seq;
    if ((st = tsvc__der_get_element(&seq, TSVC__TAG_SEQUENCE, &token, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&seq, err)) != TSVC_OK)
        return st;
    if (!granted && status != TSVC_PKI_REVOCATION_WARNING &&
        status != TSVC_PKI_REVOCATION_NOTIFICATION)
        return fmt_err(err, &at, "tsp.response.token",
                       "a token in a response that was not granted");
    return tsvc_tst_parse(tsr->ctx, &tsr->token, token.data, token.len, err);
}

static void tsr_clear(tsvc_tsr *tsr)
{
    tsvc__free(tsr->ctx, tsr->status_text);
    tsvc_tst_free(tsr->token);
    tsr->status_text = NULL;
    tsr->token = NULL;
    tsr->status = 0;
    tsr->fail_info = 0;
}

tsvc_status tsvc_tsr_parse(const tsvc_ctx *ctx, tsvc_tsr **out, const uint8_t *data, size_t len,
                           tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_tsr *tsr = NULL;
    tsvc_buf norm = TSVC_BUF_INIT;
    tsvc_error *first = NULL;
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.response", -1, "NULL argument");
    *out = NULL;
    if (data == NULL && len != 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsp.response", -1, "NULL argument");
    if (len > TSVC_TSR_MAX_SIZE || len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "tsp.response.size", -1,
                         "time-stamp response of %zu bytes (limit %d)", len, TSVC_TSR_MAX_SIZE);
    tsr = tsvc__calloc(ctx, 1, sizeof(*tsr));
    if (tsr == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    tsr->ctx = ctx;
    st = parse_der(tsr, data, len, &first);
    if (st != TSVC_OK) {
        tsvc_status st1 = st;
        /* BER (e.g. a constructed failInfo BIT STRING, indefinite lengths):
         * when normalising changes the bytes, read the DER form. */
        tsr_clear(tsr);
        if (tsvc__ber_to_der(ctx, data, len, (unsigned)tsvc__limit(ctx, TSVC_LIMIT_DER_DEPTH),
                             &norm, NULL) == TSVC_OK &&
            (norm.len != len || memcmp(norm.data, data, len) != 0))
            st = parse_der(tsr, norm.data, norm.len, err);
        else
            st = tsvc__err(err, st1, tsvc_error_check(first),
                           tsvc_error_offset(first), "%s", tsvc_error_message(first));
    }
    if (st != TSVC_OK)
        goto out;
    if (tsr->status_text == NULL) {
        tsr->status_text = tsvc__calloc(ctx, 1, 1);
        if (tsr->status_text == NULL) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
    }
    *out = tsr;
    tsr = NULL;
out:
    tsvc_error_free(first);
    tsvc_buf_dispose(&norm);
    tsvc_tsr_free(tsr);
    return st;
}

int tsvc_tsr_status(const tsvc_tsr *tsr)
{
    return tsr ? tsr->status : TSVC_PKI_REJECTION;
}

const char *tsvc_tsr_status_string(const tsvc_tsr *tsr)
{
    return tsr && tsr->status_text ? tsr->status_text : "";
}

uint32_t tsvc_tsr_fail_info(const tsvc_tsr *tsr)
{
    return tsr ? tsr->fail_info : 0;
}

const tsvc_tst *tsvc_tsr_token(const tsvc_tsr *tsr)
{
    return tsr ? tsr->token : NULL;
}

void tsvc_tsr_free(tsvc_tsr *tsr)
{
    if (tsr == NULL)
        return;
    tsr_clear(tsr);
    tsvc__free(tsr->ctx, tsr);
}
