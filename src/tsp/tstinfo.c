/*
 * SPDX-License-Identifier: Apache-2.0
 * TSTInfo (RFC 3161 section 2.4.2): strict DER parsing (genTime with
 * fractional seconds, accuracy, ordering, nonce, tsa name, extensions),
 * encoding, and the PKIStatusInfo encoder.
 *
 * Thread safety: reentrant; no global state.
 */
#include <string.h>

#include "tsp/tsp.h"
#include "x509/x509.h"

static tsvc_status fmt_err(tsvc_error **err, const tsvc__cbs *at, const char *check,
                           const char *what)
{
    return tsvc__err(err, TSVC_ERR_TSP_FORMAT, check, at ? tsvc__cbs_offset(at) : -1, "%s", what);
}

/* A small non-negative INTEGER (universal or implicitly tagged) into *out. */
static tsvc_status get_small(tsvc__cbs *cbs, uint32_t tag, uint64_t max, uint64_t *out,
                             const char *check, tsvc_error **err)
{
    tsvc__cbs at = *cbs, c;
    bool neg = false;
    tsvc_status st = tsvc__der_get_integer(cbs, tag, &c, &neg, err);
    if (st != TSVC_OK)
        return st;
    uint64_t v = 0;
    if (neg || c.len > 9 || (c.len == 9 && c.data[0] != 0)) {
        *cbs = at;
        return fmt_err(err, &at, check, "value out of range");
    }
    for (size_t i = 0; i < c.len; i++)
        v = (v << 8) | c.data[i];
    if (v > max) {
        *cbs = at;
        return fmt_err(err, &at, check, "value out of range");
    }
    *out = v;
    return TSVC_OK;
}

tsvc_status tsvc__tsp_tstinfo_parse(const uint8_t *der, size_t len, tsvc__tstinfo *out,
                                    tsvc_error **err)
{
    tsvc__cbs in, seq, at;
    tsvc_status st;
    uint64_t version = 0;
    bool neg = false, present = false;
    memset(out, 0, sizeof(*out));
    tsvc__cbs_init(&in, der, len);
    if ((st = tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &seq, err)) != TSVC_OK ||
        (st = tsvc__der_expect_end(&in, err)) != TSVC_OK)
        return st;
    at = seq;
    if ((st = tsvc__der_get_u64(&seq, &version, err)) != TSVC_OK)
        return st;
    if (version != 1)
        return tsvc__err(err, TSVC_ERR_TSP_VERSION, "tsp.tstinfo.version", tsvc__cbs_offset(&at),
                         "TSTInfo version %llu (only 1 exists)", (unsigned long long)version);
    if ((st = tsvc__der_get_oid(&seq, &out->policy, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__tsp_parse_imprint(&seq, &out->imprint, &out->imprint_alg, &out->hash,
                                      &out->digest, true, err)) != TSVC_OK)
        return st;
    at = seq;
    if ((st = tsvc__der_get_integer(&seq, 0, &out->serial, &neg, err)) != TSVC_OK)
        return st;
    if (out->serial.len > TSVC__TSP_MAX_SERIAL)
        return fmt_err(err, &at, "tsp.tstinfo.serial", "serial number longer than 64 octets");
    if ((st = tsvc__der_get_time(&seq, TSVC__TIME_GENERALIZED_FRAC, &out->gen_time,
                                 &out->gen_nanos, err)) != TSVC_OK)
        return st;
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_SEQUENCE)) {
        tsvc__cbs acc;
        uint64_t v = 0;
        if ((st = tsvc__der_get(&seq, TSVC__TAG_SEQUENCE, &acc, err)) != TSVC_OK)
            return st;
        out->has_accuracy = true;
        if (tsvc__der_peek_tag(&acc, TSVC__TAG_INTEGER)) {
            if ((st = get_small(&acc, 0, UINT32_MAX, &out->acc_seconds, "tsp.tstinfo.accuracy",
                                err)) != TSVC_OK)
                return st;
        }
        if (tsvc__der_peek_tag(&acc, TSVC__TAG_CONTEXT(0))) {
            if ((st = get_small(&acc, TSVC__TAG_CONTEXT(0), 999, &v, "tsp.tstinfo.accuracy",
                                err)) != TSVC_OK)
                return st;
            out->acc_millis = (uint32_t)v;
        }
        if (tsvc__der_peek_tag(&acc, TSVC__TAG_CONTEXT(1))) {
            if ((st = get_small(&acc, TSVC__TAG_CONTEXT(1), 999, &v, "tsp.tstinfo.accuracy",
                                err)) != TSVC_OK)
                return st;
            out->acc_micros = (uint32_t)v;
        }
        if ((st = tsvc__der_expect_end(&acc, err)) != TSVC_OK)
            return st;
    }
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_BOOLEAN)) {
        /* DER leaves out DEFAULT FALSE; an explicit FALSE is tolerated. */
        if ((st = tsvc__der_get_bool(&seq, &out->ordering, err)) != TSVC_OK)
            return st;
    }
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_INTEGER)) {
        at = seq;
        if ((st = tsvc__der_get_integer(&seq, 0, &out->nonce, &neg, err)) != TSVC_OK)
            return st;
        if (out->nonce.len > TSVC__TSP_MAX_NONCE + 1)
            return fmt_err(err, &at, "tsp.tstinfo.nonce", "nonce longer than 65 octets");
        out->has_nonce = true;
    }
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_CONTEXT_C(0))) {
        tsvc__cbs tsa;
        tsvc__x509_gname gn;
        if ((st = tsvc__der_get(&seq, TSVC__TAG_CONTEXT_C(0), &tsa, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__x509_parse_general_name(&tsa, false, &gn, err)) != TSVC_OK ||
            (st = tsvc__der_expect_end(&tsa, err)) != TSVC_OK)
            return st;
        out->tsa = gn.element;
        out->has_tsa = true;
    }
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(1), NULL, &present, err)) !=
        TSVC_OK)
        return st;
    out->has_extensions = present;
    return tsvc__der_expect_end(&seq, err);
}

void tsvc__tsp_tstinfo_encode(tsvc__cbb *cbb, const tsvc__tstinfo_in *in)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(cbb, 1);
    tsvc__cbb_add_oid(cbb, in->policy, in->policy_len);
    tsvc__cbb_add_bytes(cbb, in->imprint, in->imprint_len);
    tsvc__cbb_add_unsigned(cbb, in->serial, in->serial_len);
    tsvc__cbb_add_generalized_time(cbb, in->gen_time, in->gen_nanos);
    if (in->acc_seconds != 0 || in->acc_millis != 0 || in->acc_micros != 0) {
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        if (in->acc_seconds != 0)
            tsvc__cbb_add_u64(cbb, in->acc_seconds);
        if (in->acc_millis != 0) {
            uint8_t b[2] = {(uint8_t)(in->acc_millis >> 8), (uint8_t)in->acc_millis};
            tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT(0));
            /* Minimal INTEGER contents of 1..999. */
            if (b[0] == 0 && b[1] < 0x80)
                tsvc__cbb_add_u8(cbb, b[1]);
            else
                tsvc__cbb_add_bytes(cbb, b, 2);
            tsvc__cbb_close(cbb);
        }
        if (in->acc_micros != 0) {
            uint8_t b[2] = {(uint8_t)(in->acc_micros >> 8), (uint8_t)in->acc_micros};
            tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT(1));
            if (b[0] == 0 && b[1] < 0x80)
                tsvc__cbb_add_u8(cbb, b[1]);
            else
                tsvc__cbb_add_bytes(cbb, b, 2);
            tsvc__cbb_close(cbb);
        }
        tsvc__cbb_close(cbb);
    }
    if (in->ordering)
        tsvc__cbb_add_bool(cbb, true);
    if (in->nonce != NULL)
        tsvc__cbb_add_integer_raw(cbb, 0, in->nonce, in->nonce_len);
    if (in->tsa_name != NULL) {
        tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(0));
        tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(4)); /* directoryName: EXPLICIT (Name is a CHOICE) */
        tsvc__cbb_add_bytes(cbb, in->tsa_name, in->tsa_name_len);
        tsvc__cbb_close(cbb);
        tsvc__cbb_close(cbb);
    }
    tsvc__cbb_close(cbb);
}

void tsvc__tsp_status_encode(tsvc__cbb *cbb, int status, const char *text, uint32_t fail)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(cbb, (uint64_t)status);
    if (text != NULL) {
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_element(cbb, TSVC__TAG_UTF8_STRING, (const uint8_t *)text, strlen(text));
        tsvc__cbb_close(cbb);
    }
    if (fail != 0)
        tsvc__cbb_add_named_bits(cbb, 0, fail);
    tsvc__cbb_close(cbb);
}
