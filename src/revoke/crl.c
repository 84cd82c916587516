/*
 * SPDX-License-Identifier: Apache-2.0
 * X.509 v2 CRLs (RFC 5280 section 5): strict parsing, an index of the
 * entries for O(log n) serial lookup, verification against the issuer and
 * the validation time, and the status of one certificate.
 *
 * Thread safety: a parsed CRL is immutable; its reference count is atomic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revoke/revoke.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

void tsvc__revoke_fmt_time(int64_t t, char out[40])
{
    int64_t y;
    unsigned mo, d, h, mi, s;
    tsvc__time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, 40, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi, s);
}

int tsvc__revoke_serial_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    if (a_len != b_len)
        return a_len < b_len ? -1 : 1;
    return a_len ? memcmp(a, b, a_len) : 0;
}

static uint64_t search_key(const uint8_t *serial, size_t len)
{
    uint64_t k = (uint64_t)len << 56;
    for (size_t i = 0; i < 7 && i < len; i++)
        k |= (uint64_t)serial[i] << (8 * (6 - i));
    return k;
}

/* Serial order, then (indirect CRLs) the certificateIssuer bytes, so that
 * entries of one serial are adjacent and exact duplicates neighbours. */
static int entry_cmp(const void *pa, const void *pb)
{
    const tsvc__crl_entry *a = pa, *b = pb;
    int c = tsvc__revoke_serial_cmp(a->serial, a->serial_len, b->serial, b->serial_len);
    if (c != 0)
        return c;
    return tsvc__revoke_serial_cmp(a->cert_issuer.data, a->cert_issuer.len, b->cert_issuer.data,
                                   b->cert_issuer.len);
}

int tsvc__crl_number_cmp(const tsvc__cbs *a, const tsvc__cbs *b)
{
    const uint8_t *pa = a->data, *pb = b->data;
    size_t la = a->len, lb = b->len;
    while (la > 0 && pa[0] == 0) {
        pa++;
        la--;
    }
    while (lb > 0 && pb[0] == 0) {
        pb++;
        lb--;
    }
    return tsvc__revoke_serial_cmp(pa, la, pb, lb);
}

const char *tsvc_crl_reason_str(int reason)
{
    switch (reason) {
    case TSVC_REASON_NONE: return "none";
    case TSVC_REASON_UNSPECIFIED: return "unspecified";
    case TSVC_REASON_KEY_COMPROMISE: return "keyCompromise";
    case TSVC_REASON_CA_COMPROMISE: return "cACompromise";
    case TSVC_REASON_AFFILIATION_CHANGED: return "affiliationChanged";
    case TSVC_REASON_SUPERSEDED: return "superseded";
    case TSVC_REASON_CESSATION_OF_OPERATION: return "cessationOfOperation";
    case TSVC_REASON_CERTIFICATE_HOLD: return "certificateHold";
    case TSVC_REASON_REMOVE_FROM_CRL: return "removeFromCRL";
    case TSVC_REASON_PRIVILEGE_WITHDRAWN: return "privilegeWithdrawn";
    case TSVC_REASON_AA_COMPROMISE: return "aACompromise";
    default: return "unknown";
    }
}

const char *tsvc_cert_status_str(int status)
{
    switch (status) {
    case TSVC_CERT_STATUS_GOOD: return "good";
    case TSVC_CERT_STATUS_REVOKED: return "revoked";
    case TSVC_CERT_STATUS_UNKNOWN: return "unknown";
    default: return "invalid";
    }
}

size_t tsvc_crl_max_entries(void)
{
    return TSVC_CRL_MAX_ENTRIES;
}

/* Non-negative INTEGER contents that fit in 64 bits. */
static bool int_to_u64(const tsvc__cbs *c, uint64_t *out)
{
    if (c->len == 0 || (c->data[0] & 0x80u))
        return false;
    size_t i = c->data[0] == 0 ? 1 : 0;
    if (c->len - i > 8)
        return false;
    uint64_t v = 0;
    for (; i < c->len; i++)
        v = (v << 8) | c->data[i];
    *out = v;
    return true;
}

static bool valid_reason(uint64_t r)
{
    return r <= 10 && r != 7;
}

static tsvc_status fail(tsvc_error **err, const char *check, const tsvc__cbs *at, const char *msg)
{
    return tsvc__err(err, TSVC_ERR_CRL_FORMAT, check, at ? tsvc__cbs_offset(at) : -1, "%s", msg);
}

/* Wraps a DER error as a CRL format error with the same message and offset. */
static tsvc_status wrap(tsvc_error **err, const char *check, tsvc_error *inner,
                        const tsvc__cbs *at)
{
    if (inner != NULL) {
        int64_t off = tsvc_error_offset(inner);
        tsvc__err(err, TSVC_ERR_CRL_FORMAT, check, off >= 0 ? off : tsvc__cbs_offset(at), "%s: %s",
                  check, tsvc_error_message(inner));
        tsvc_error_free(inner);
        return TSVC_ERR_CRL_FORMAT;
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
/* Inside READ the expression passes &inner_ as its error slot. */
#define E (&inner_)

/* 2050-01-01T00:00:00Z: the first date CRL issuers encode as GeneralizedTime. */
#define UTC_TIME_END INT64_C(2524608000)

/* Reads an RFC 5280 Time: UTCTime through 2049, GeneralizedTime from 2050
 * (5.1.2.4, 5.1.2.5, 5.1.2.6). */
static tsvc_status get_time(tsvc__cbs *cbs, int64_t *out, tsvc_error **e)
{
    bool generalized = tsvc__der_peek_tag(cbs, TSVC__TAG_GENERALIZED_TIME);
    tsvc__cbs at = *cbs;
    tsvc_status st = tsvc__der_get_time(cbs, TSVC__TIME_RFC5280, out, NULL, e);
    if (st == TSVC_OK && generalized && *out < UTC_TIME_END)
        return tsvc__err(e, TSVC_ERR_CRL_FORMAT, "crl.time", tsvc__cbs_offset(&at),
                         "GeneralizedTime for a date before 2050 (RFC 5280: UTCTime)");
    return st;
}

static bool peek_time(const tsvc__cbs *cbs)
{
    return tsvc__der_peek_tag(cbs, TSVC__TAG_UTC_TIME) ||
           tsvc__der_peek_tag(cbs, TSVC__TAG_GENERALIZED_TIME);
}

static void note_unknown(tsvc_crl *crl, const tsvc__cbs *oid)
{
    if (crl->unknown_critical)
        return;
    crl->unknown_critical = true;
    if (tsvc__oid_to_text(oid->data, oid->len, crl->unknown_oid, sizeof(crl->unknown_oid)) !=
        TSVC_OK)
        snprintf(crl->unknown_oid, sizeof(crl->unknown_oid), "?");
}

/* IMPLICIT [n] BOOLEAN whose DEFAULT is FALSE: only TRUE may be encoded. */
static tsvc_status get_true_flag(tsvc__cbs *cbs, unsigned n, bool *out, tsvc_error **err)
{
    tsvc__cbs c;
    bool present = false;
    tsvc_status st = tsvc__der_get_optional(cbs, TSVC__TAG_CONTEXT(n), &c, &present, err);
    if (st != TSVC_OK)
        return st;
    if (!present)
        return TSVC_OK;
    if (c.len != 1 || c.data[0] != 0xff)
        return fail(err, "crl.idp", &c, "issuingDistributionPoint flag must be TRUE if encoded");
    *out = true;
    return TSVC_OK;
}

/* Checks GeneralNames contents (at least one valid name) for @p check. */
static tsvc_status check_general_names(tsvc_crl *crl, const tsvc__cbs *names, const char *check,
                                       tsvc_error **err)
{
    tsvc__x509_gname *gn = NULL;
    size_t num = 0;
    tsvc_error *inner = NULL;
    tsvc_status st = tsvc__x509_parse_general_names(crl->ctx, names, false, &gn, &num, &inner);
    tsvc__free(crl->ctx, gn);
    if (st == TSVC_ERR_NOMEM) {
        tsvc_error_free(inner);
        return tsvc__err_code(err, st);
    }
    if (st != TSVC_OK || num == 0)
        return wrap(err, check, inner, names);
    tsvc_error_free(inner);
    return TSVC_OK;
}

static tsvc_status parse_idp(tsvc_crl *crl, const tsvc__cbs *value, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs in = *value, seq, dpn;
    bool present = false;
    READ(tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &seq, E), "crl.idp", in);
    READ(tsvc__der_expect_end(&in, E), "crl.idp", in);
    READ(tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(0), &dpn, &present, E), "crl.idp",
         seq);
    if (present) {
        tsvc__cbs names;
        bool full = false, rel = false;
        READ(tsvc__der_get_optional(&dpn, TSVC__TAG_CONTEXT_C(0), &names, &full, E),
             "crl.idp.name", dpn);
        if (!full)
            READ(tsvc__der_get_optional(&dpn, TSVC__TAG_CONTEXT_C(1), &names, &rel, E),
                 "crl.idp.name", dpn);
        if ((!full && !rel) || dpn.len != 0) {
            st = fail(err, "crl.idp.name", &dpn, "malformed distributionPoint name");
            goto out;
        }
        if (full) {
            st = check_general_names(crl, &names, "crl.idp.name", err);
            if (st != TSVC_OK)
                goto out;
            crl->idp_has_full_name = true;
            crl->idp_full_name = names;
        } else {
            if (names.len == 0) {
                st = fail(err, "crl.idp.name", &names, "empty nameRelativeToCRLIssuer");
                goto out;
            }
            crl->idp_has_relative_name = true;
            crl->idp_relative_name = names;
        }
    }
    READ(get_true_flag(&seq, 1, &crl->idp_only_user, E), "crl.idp", seq);
    READ(get_true_flag(&seq, 2, &crl->idp_only_ca, E), "crl.idp", seq);
    if (tsvc__der_peek_tag(&seq, TSVC__TAG_CONTEXT(3))) {
        uint64_t bits = 0;
        READ(tsvc__der_get_named_bits(&seq, TSVC__TAG_CONTEXT(3), &bits, true, E),
             "crl.idp.reasons", seq);
        crl->idp_has_reasons = true;
        crl->idp_reasons = (uint32_t)(bits & TSVC__REASONS_ALL);
    }
    READ(get_true_flag(&seq, 4, &crl->idp_indirect, E), "crl.idp", seq);
    READ(get_true_flag(&seq, 5, &crl->idp_only_attr, E), "crl.idp", seq);
    READ(tsvc__der_expect_end(&seq, E), "crl.idp", seq);
    if ((crl->idp_only_user ? 1 : 0) + (crl->idp_only_ca ? 1 : 0) + (crl->idp_only_attr ? 1 : 0) >
        1) {
        st = fail(err, "crl.idp", value, "more than one of onlyContainsUserCerts, "
                                        "onlyContainsCACerts, onlyContainsAttributeCerts");
        goto out;
    }
    st = TSVC_OK;
out:
    return st;
}

static tsvc_status parse_crl_extensions(tsvc_crl *crl, tsvc__cbs exts, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__revoke_ext_list seen;
    seen.num = 0;
    if (exts.len == 0) {
        st = fail(err, "crl.extensions", &exts, "empty crlExtensions");
        goto out;
    }
    while (exts.len > 0) {
        tsvc__cbs oid, value;
        bool critical = false;
        st = tsvc__revoke_get_extension(&exts, &seen, &oid, &critical, &value,
                                        TSVC_ERR_CRL_FORMAT, "crl.extension", err);
        if (st != TSVC_OK)
            goto out;

#define IS(o) tsvc__oid_equal(&oid, (const uint8_t *)(o), TSVC__OID_LEN(o))
        if (IS(TSVC__OID_CE_CRL_NUMBER)) {
            tsvc__cbs v = value, n;
            bool neg = false;
            READ(tsvc__der_get_integer(&v, 0, &n, &neg, E), "crl.number", value);
            READ(tsvc__der_expect_end(&v, E), "crl.number", v);
            if (neg || n.len > 21) {
                st = fail(err, "crl.number", &n, "cRLNumber must be 0 .. 2^159");
                goto out;
            }
            crl->has_number = true;
            crl->number_critical = critical;
            crl->number = n;
            crl->number_fits = int_to_u64(&n, &crl->number_u64);
        } else if (IS(TSVC__OID_CE_AUTHORITY_KEY_ID)) {
            tsvc__cbs v = value, seq, kid;
            bool present = false;
            READ(tsvc__der_get(&v, TSVC__TAG_SEQUENCE, &seq, E), "crl.aki", value);
            READ(tsvc__der_expect_end(&v, E), "crl.aki", v);
            READ(tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT(0), &kid, &present, E),
                 "crl.aki", seq);
            if (present) {
                crl->has_aki_key_id = true;
                crl->aki_key_id = kid;
            }
            /* authorityCertIssuer [1] and serial [2]: checked for form only. */
            while (seq.len > 0)
                READ(tsvc__der_get_any(&seq, NULL, NULL, NULL, E), "crl.aki", seq);
            if (critical)
                note_unknown(crl, &oid); /* RFC 5280: MUST be non-critical */
        } else if (IS(TSVC__OID_CE_ISSUING_DIST_POINT)) {
            crl->has_idp = true;
            crl->idp_value = value;
            st = parse_idp(crl, &value, err);
            if (st != TSVC_OK)
                goto out;
        } else if (IS(TSVC__OID_CE_DELTA_CRL_INDICATOR)) {
            tsvc__cbs v = value, n;
            bool neg = false;
            READ(tsvc__der_get_integer(&v, 0, &n, &neg, E), "crl.delta", value);
            READ(tsvc__der_expect_end(&v, E), "crl.delta", v);
            if (neg || n.len > 21) {
                st = fail(err, "crl.delta", &n, "BaseCRLNumber must be 0 .. 2^159");
                goto out;
            }
            crl->is_delta = true;
            crl->base_number = n;
        } else if (IS(TSVC__OID_CE_ISSUER_ALT_NAME) || IS(TSVC__OID_CE_FRESHEST_CRL) ||
                   IS(TSVC__OID_PE_AIA)) {
            if (IS(TSVC__OID_CE_FRESHEST_CRL)) {
                crl->has_freshest = true;
                crl->freshest = value;
            }
            /* Informational; understood as long as they are not critical
             * (RFC 5280 requires them non-critical). */
            if (critical)
                note_unknown(crl, &oid);
        } else if (critical) {
            note_unknown(crl, &oid);
        }
#undef IS
    }
out:
    return st;
}

/* Parses one revokedCertificates entry (no allocation). */
static tsvc_status parse_entry(tsvc_crl *crl, tsvc__cbs *list, tsvc__crl_entry *e,
                               const tsvc__cbs *inherited, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__cbs ent, serial;
    READ(tsvc__der_get(list, TSVC__TAG_SEQUENCE, &ent, E), "crl.entry", *list);
    READ(tsvc__der_get_integer(&ent, 0, &serial, NULL, E), "crl.entry.serial", ent);
    e->serial = serial.data;
    e->serial_len = serial.len;
    e->reason = TSVC_REASON_NONE;
    e->invalidity_date = 0;
    e->cert_issuer = *inherited;
    READ(get_time(&ent, &e->revocation_time, E), "crl.entry.date", ent);
    if (ent.len > 0) {
        tsvc__cbs exts;
        tsvc__revoke_ext_list seen;
        seen.num = 0;
        READ(tsvc__der_get(&ent, TSVC__TAG_SEQUENCE, &exts, E), "crl.entry.extensions", ent);
        READ(tsvc__der_expect_end(&ent, E), "crl.entry", ent);
        if (exts.len == 0) {
            st = fail(err, "crl.entry.extensions", &exts, "empty crlEntryExtensions");
            goto out;
        }
        while (exts.len > 0) {
            tsvc__cbs oid, value;
            bool critical = false;
            st = tsvc__revoke_get_extension(&exts, &seen, &oid, &critical, &value,
                                            TSVC_ERR_CRL_FORMAT, "crl.entry.extension", err);
            if (st != TSVC_OK)
                goto out;
            if (tsvc__oid_equal(&oid, (const uint8_t *)TSVC__OID_CE_REASON_CODE,
                                TSVC__OID_LEN(TSVC__OID_CE_REASON_CODE))) {
                tsvc__cbs v = value, r;
                uint64_t code = 0;
                READ(tsvc__der_get_integer(&v, TSVC__TAG_ENUMERATED, &r, NULL, E),
                     "crl.entry.reason", value);
                READ(tsvc__der_expect_end(&v, E), "crl.entry.reason", v);
                if (!int_to_u64(&r, &code) || !valid_reason(code)) {
                    st = fail(err, "crl.entry.reason", &r, "unknown CRLReason value");
                    goto out;
                }
                e->reason = (int)code;
            } else if (tsvc__oid_equal(&oid, (const uint8_t *)TSVC__OID_CE_INVALIDITY_DATE,
                                       TSVC__OID_LEN(TSVC__OID_CE_INVALIDITY_DATE))) {
                tsvc__cbs v = value;
                READ(tsvc__der_get_time(&v, TSVC__TIME_RFC5280, &e->invalidity_date, NULL, E),
                     "crl.entry.invalidity_date", value);
                READ(tsvc__der_expect_end(&v, E), "crl.entry.invalidity_date", v);
            } else if (tsvc__oid_equal(&oid, (const uint8_t *)TSVC__OID_CE_CERTIFICATE_ISSUER,
                                       TSVC__OID_LEN(TSVC__OID_CE_CERTIFICATE_ISSUER))) {
                tsvc__cbs v = value, names;
                READ(tsvc__der_get(&v, TSVC__TAG_SEQUENCE, &names, E), "crl.entry.issuer", value);
                READ(tsvc__der_expect_end(&v, E), "crl.entry.issuer", v);
                st = check_general_names(crl, &names, "crl.entry.issuer", err);
                if (st != TSVC_OK)
                    goto out;
                crl->entry_cert_issuer = true;
                e->cert_issuer = names;
            } else if (critical) {
                note_unknown(crl, &oid);
            }
        }
    }
out:
    return st;
}

static tsvc_status parse_crl(tsvc_crl *crl, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__cbs input, outer, tbs, sigalg2, list;
    uint64_t version = 0;
    bool has_list = false;
    tsvc__cbs_init(&input, crl->der, crl->der_len);

    READ(tsvc__der_get(&input, TSVC__TAG_SEQUENCE, &outer, E), "crl", input);
    READ(tsvc__der_expect_end(&input, E), "crl.trailing", input);
    READ(tsvc__der_get_element(&outer, TSVC__TAG_SEQUENCE, &crl->tbs, E), "crl.tbs", outer);
    READ(tsvc__der_get_element(&outer, TSVC__TAG_SEQUENCE, &crl->sigalg, E), "crl.sigalg", outer);
    {
        unsigned unused = 0;
        READ(tsvc__der_get_bit_string(&outer, 0, &crl->sig_value, &unused, E), "crl.signature",
             outer);
        if (unused != 0) {
            st = fail(err, "crl.signature", &crl->sig_value, "signature with unused bits");
            goto out;
        }
    }
    READ(tsvc__der_expect_end(&outer, E), "crl", outer);

    {
        tsvc__cbs whole = crl->tbs;
        READ(tsvc__der_get(&whole, TSVC__TAG_SEQUENCE, &tbs, E), "crl.tbs", whole);
    }
    if (!tsvc__der_peek_tag(&tbs, TSVC__TAG_INTEGER)) {
        st = fail(err, "crl.version", &tbs, "v1 CRL (no version): only v2 CRLs are accepted");
        goto out;
    }
    READ(tsvc__der_get_u64(&tbs, &version, E), "crl.version", tbs);
    if (version != 1) {
        st = fail(err, "crl.version", &tbs, "CRL version must be v2 (1)");
        goto out;
    }
    READ(tsvc__der_get_element(&tbs, TSVC__TAG_SEQUENCE, &sigalg2, E), "crl.tbs.sigalg", tbs);
    if (!tsvc__cbs_equal(&sigalg2, crl->sigalg.data, crl->sigalg.len)) {
        st = fail(err, "crl.sigalg_mismatch", &sigalg2,
                  "inner and outer signature algorithms differ");
        goto out;
    }
    {
        tsvc_error *inner = NULL;
        crl->sigalg_status = tsvc__sigalg_parse(&crl->sigalg, &crl->sig_params, &inner);
        tsvc_error_free(inner);
        if (crl->sigalg_status != TSVC_OK)
            crl->sig_params.scheme = TSVC_SIG_NONE;
    }
    READ(tsvc__der_get_element(&tbs, TSVC__TAG_SEQUENCE, &crl->issuer, E), "crl.issuer", tbs);
    {
        tsvc_error *inner = NULL;
        if (tsvc__name_check(&crl->issuer, &inner) != TSVC_OK) {
            st = wrap(err, "crl.issuer", inner, &crl->issuer);
            goto out;
        }
        if (tsvc__name_is_empty(&crl->issuer)) {
            st = fail(err, "crl.issuer", &crl->issuer, "empty CRL issuer name");
            goto out;
        }
    }
    READ(get_time(&tbs, &crl->this_update, E), "crl.this_update", tbs);
    if (peek_time(&tbs)) {
        READ(get_time(&tbs, &crl->next_update, E), "crl.next_update", tbs);
        crl->has_next_update = true;
        if (crl->next_update < crl->this_update) {
            st = fail(err, "crl.next_update", &tbs, "nextUpdate is before thisUpdate");
            goto out;
        }
    }
    READ(tsvc__der_get_optional(&tbs, TSVC__TAG_SEQUENCE, &list, &has_list, E),
         "crl.revoked", tbs);
    if (has_list) {
        size_t n = 0;
        tsvc__cbs walk = list;
        if (list.len == 0) {
            st = fail(err, "crl.revoked", &list,
                      "empty revokedCertificates (RFC 5280: absent when empty)");
            goto out;
        }
        while (walk.len > 0) {
            READ(tsvc__der_get_any(&walk, NULL, NULL, NULL, E), "crl.entry", walk);
            if (++n > TSVC_CRL_MAX_ENTRIES) {
                st = tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "crl.entries", tsvc__cbs_offset(&walk),
                               "more than %u CRL entries", (unsigned)TSVC_CRL_MAX_ENTRIES);
                goto out;
            }
        }
        crl->entries = tsvc__calloc(crl->ctx, n, sizeof(*crl->entries));
        if (crl->entries == NULL) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
        bool sorted = true;
        tsvc__cbs inherited;
        memset(&inherited, 0, sizeof(inherited));
        for (size_t i = 0; i < n; i++) {
            st = parse_entry(crl, &list, &crl->entries[i], &inherited, err);
            if (st != TSVC_OK)
                goto out;
            crl->num_entries = i + 1;
            inherited = crl->entries[i].cert_issuer;
            if (i > 0 && sorted &&
                entry_cmp(&crl->entries[i - 1], &crl->entries[i]) >= 0)
                sorted = false;
        }
        if (!sorted)
            qsort(crl->entries, n, sizeof(*crl->entries), entry_cmp);
        for (size_t i = 1; i < n && !sorted; i++)
            if (entry_cmp(&crl->entries[i - 1], &crl->entries[i]) == 0)
                crl->duplicate_serial = true;
        /* A compact search key per entry (8 octets, cache-friendly); the
         * order of the keys is that of the entries while lengths stay
         * below 255 octets, which every real serial number does. */
        bool small = true;
        for (size_t i = 0; i < n && small; i++)
            small = crl->entries[i].serial_len < 255;
        if (small && n >= 64) {
            crl->keys = tsvc__calloc(crl->ctx, n, sizeof(*crl->keys));
            if (crl->keys == NULL) {
                st = tsvc__err_code(err, TSVC_ERR_NOMEM);
                goto out;
            }
            for (size_t i = 0; i < n; i++)
                crl->keys[i] = search_key(crl->entries[i].serial, crl->entries[i].serial_len);
        }
    }
    if (tbs.len > 0) {
        tsvc__cbs exts_outer, exts;
        READ(tsvc__der_get(&tbs, TSVC__TAG_CONTEXT_C(0), &exts_outer, E), "crl.extensions", tbs);
        READ(tsvc__der_get(&exts_outer, TSVC__TAG_SEQUENCE, &exts, E), "crl.extensions",
             exts_outer);
        READ(tsvc__der_expect_end(&exts_outer, E), "crl.extensions", exts_outer);
        st = parse_crl_extensions(crl, exts, err);
        if (st != TSVC_OK)
            goto out;
    }
    READ(tsvc__der_expect_end(&tbs, E), "crl.tbs", tbs);
    st = TSVC_OK;
out:
    return st;
}

tsvc_status tsvc__crl_parse_der(const tsvc_ctx *ctx, tsvc_crl **out, const uint8_t *der,
                                size_t len, tsvc_error **err)
{
    tsvc_status st;
    tsvc_crl *crl = NULL;
    if (out == NULL || (der == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out and data are required");
    *out = NULL;
    if (len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "crl.size", -1,
                         "CRL of %zu bytes exceeds the input size limit", len);
    if (len == 0)
        return tsvc__err(err, TSVC_ERR_CRL_FORMAT, "crl", 0, "empty input");
    crl = tsvc__calloc(ctx, 1, sizeof(*crl));
    if (crl == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    crl->ctx = ctx;
    atomic_init(&crl->refs, 1u);
    crl->der = tsvc__memdup(ctx, der, len);
    if (crl->der == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    crl->der_len = len;
    /* The parser reads a fixed structure (no recursion), so nesting is
     * bounded by construction; names are checked by the x509 layer. */
    st = parse_crl(crl, err);
    if (st != TSVC_OK)
        goto out;
    *out = crl;
    crl = NULL;
out:
    tsvc_crl_free(crl);
    return st;
}

tsvc_status tsvc_crl_parse(const tsvc_ctx *ctx, tsvc_crl **out, const uint8_t *data, size_t len,
                           tsvc_error **err)
{
    if (out == NULL || data == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out and data are required");
    *out = NULL;
    if (len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "crl.size", -1,
                         "input exceeds the size limit");
    if (tsvc__pem_looks_like(data, len)) {
        size_t pos = 0;
        for (;;) {
            bool found = false;
            char label[32];
            tsvc_buf der = TSVC_BUF_INIT;
            tsvc_status st = tsvc__pem_next(ctx, (const char *)data, len, &pos, &found, label,
                                            sizeof(label), &der, err);
            if (!found)
                return tsvc__err(err, TSVC_ERR_PEM, "crl.pem", -1, "no X509 CRL PEM block");
            if (st != TSVC_OK)
                return st;
            if (strcmp(label, "X509 CRL") == 0) {
                st = tsvc__crl_parse_der(ctx, out, der.data, der.len, err);
                tsvc_buf_dispose(&der);
                return st;
            }
            tsvc_buf_dispose(&der);
        }
    }
    return tsvc__crl_parse_der(ctx, out, data, len, err);
}

tsvc_crl *tsvc_crl_ref(tsvc_crl *crl)
{
    if (crl != NULL)
        atomic_fetch_add_explicit(&crl->refs, 1, memory_order_relaxed);
    return crl;
}

void tsvc_crl_free(tsvc_crl *crl)
{
    if (crl == NULL)
        return;
    if (atomic_fetch_sub_explicit(&crl->refs, 1, memory_order_acq_rel) != 1)
        return;
    const tsvc_ctx *ctx = crl->ctx;
    tsvc__free(ctx, crl->entries);
    tsvc__free(ctx, crl->keys);
    tsvc__free(ctx, crl->der);
    tsvc__free(ctx, crl);
}

/* ------------------------------------------------------------------ */
/* Accessors and lookup                                                */
/* ------------------------------------------------------------------ */

const uint8_t *tsvc_crl_der(const tsvc_crl *crl, size_t *len)
{
    if (len != NULL)
        *len = crl ? crl->der_len : 0;
    return crl ? crl->der : NULL;
}

const uint8_t *tsvc_crl_issuer_der(const tsvc_crl *crl, size_t *len)
{
    if (len != NULL)
        *len = crl ? crl->issuer.len : 0;
    return crl ? crl->issuer.data : NULL;
}

int64_t tsvc_crl_this_update(const tsvc_crl *crl)
{
    return crl ? crl->this_update : 0;
}

int tsvc_crl_next_update(const tsvc_crl *crl, int64_t *when)
{
    if (crl == NULL || !crl->has_next_update)
        return 0;
    if (when != NULL)
        *when = crl->next_update;
    return 1;
}

int tsvc_crl_number(const tsvc_crl *crl, uint64_t *number)
{
    if (crl == NULL || !crl->has_number || !crl->number_fits)
        return 0;
    if (number != NULL)
        *number = crl->number_u64;
    return 1;
}

size_t tsvc_crl_num_entries(const tsvc_crl *crl)
{
    return crl ? crl->num_entries : 0;
}

tsvc_status tsvc_crl_entry_at(const tsvc_crl *crl, size_t index, const uint8_t **serial,
                              size_t *serial_len, int64_t *revocation_time,
                              tsvc_crl_reason *reason, int64_t *invalidity_date)
{
    if (crl == NULL || index >= crl->num_entries)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__crl_entry *e = &crl->entries[index];
    if (serial != NULL)
        *serial = e->serial;
    if (serial_len != NULL)
        *serial_len = e->serial_len;
    if (revocation_time != NULL)
        *revocation_time = e->revocation_time;
    if (reason != NULL)
        *reason = (tsvc_crl_reason)e->reason;
    if (invalidity_date != NULL)
        *invalidity_date = e->invalidity_date;
    return TSVC_OK;
}

const tsvc__crl_entry *tsvc__crl_find(const tsvc_crl *crl, const uint8_t *serial, size_t len)
{
    size_t lo = 0, hi = crl->num_entries;
    if (crl->keys != NULL) {
        if (len >= 255)
            return NULL; /* every listed serial is shorter */
        uint64_t k = search_key(serial, len);
        while (lo < hi) { /* first key >= k */
            size_t mid = lo + (hi - lo) / 2;
            if (crl->keys[mid] < k)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < crl->num_entries && crl->keys[lo] == k; lo++) {
            const tsvc__crl_entry *e = &crl->entries[lo];
            if (tsvc__revoke_serial_cmp(e->serial, e->serial_len, serial, len) == 0)
                return e;
        }
        return NULL;
    }
    while (lo < hi) { /* first entry >= serial: the first of its run */
        size_t mid = lo + (hi - lo) / 2;
        const tsvc__crl_entry *e = &crl->entries[mid];
        if (tsvc__revoke_serial_cmp(e->serial, e->serial_len, serial, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < crl->num_entries &&
        tsvc__revoke_serial_cmp(crl->entries[lo].serial, crl->entries[lo].serial_len, serial,
                                len) == 0)
        return &crl->entries[lo];
    return NULL;
}

tsvc_status tsvc_crl_lookup(const tsvc_crl *crl, const uint8_t *serial, size_t serial_len,
                            int64_t *revocation_time, tsvc_crl_reason *reason,
                            int64_t *invalidity_date)
{
    if (crl == NULL || serial == NULL || serial_len == 0)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__crl_entry *e = tsvc__crl_find(crl, serial, serial_len);
    if (e == NULL)
        return TSVC_ERR_NOT_FOUND;
    if (revocation_time != NULL)
        *revocation_time = e->revocation_time;
    if (reason != NULL)
        *reason = (tsvc_crl_reason)e->reason;
    if (invalidity_date != NULL)
        *invalidity_date = e->invalidity_date;
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Verification                                                        */
/* ------------------------------------------------------------------ */

tsvc_status tsvc__crl_verify(const tsvc_ctx *ctx, const tsvc_crl *crl,
                             const tsvc__rev_issuer *iss, int64_t when, int64_t skew,
                             tsvc_error **err)
{
    char t[40];
    if (crl == NULL || iss == NULL || iss->name == NULL || iss->key == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "CRL and issuer are required");
    if (!tsvc__name_equal(&crl->issuer, iss->name))
        return tsvc__err(err, TSVC_ERR_CRL_ISSUER, "crl.issuer", -1,
                         "the CRL issuer name differs from the certificate issuer");
    if (iss->cert != NULL && crl->has_aki_key_id && iss->cert->ski.present &&
        !tsvc__cbs_equal(&crl->aki_key_id, iss->cert->ski.key_id.data,
                         iss->cert->ski.key_id.len))
        return tsvc__err(err, TSVC_ERR_CRL_ISSUER, "crl.aki", -1,
                         "the CRL authorityKeyIdentifier does not match the issuer's key");
    if (iss->cert != NULL && iss->cert->ku.present && !(iss->cert->ku.bits & TSVC_KU_CRL_SIGN))
        return tsvc__err(err, TSVC_ERR_CRL_KEY_USAGE, "crl.issuer.key_usage", -1,
                         "the CRL issuer's keyUsage does not assert cRLSign");
    if (crl->unknown_critical)
        return tsvc__err(err, TSVC_ERR_CRL_UNKNOWN_CRITICAL, "crl.critical", -1,
                         "unknown or misused critical extension %s", crl->unknown_oid);
    if (crl->is_delta && crl->has_freshest)
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta", -1,
                         "a delta CRL carries freshestCRL (RFC 5280 5.2.6 forbids it)");
    if (crl->entry_cert_issuer && !crl->idp_indirect)
        return tsvc__err(err, TSVC_ERR_CRL_INDIRECT, "crl.indirect", -1,
                         "an entry has certificateIssuer but the CRL is not marked indirectCRL "
                         "(RFC 5280 5.3.3)");
    if (crl->duplicate_serial)
        return tsvc__err(err, TSVC_ERR_CRL_DUPLICATE_ENTRY, "crl.duplicate", -1,
                         "a serial number is listed more than once");
    if (!crl->has_number)
        return tsvc__err(err, TSVC_ERR_CRL_NUMBER, "crl.number", -1,
                         "the cRLNumber extension is missing (RFC 5280 5.2.3)");
    if (crl->number_critical)
        return tsvc__err(err, TSVC_ERR_CRL_NUMBER, "crl.number", -1,
                         "the cRLNumber extension is critical (RFC 5280 5.2.3: non-critical)");
    if (crl->this_update > when + skew) {
        tsvc__revoke_fmt_time(crl->this_update, t);
        return tsvc__err(err, TSVC_ERR_CRL_NOT_YET_VALID, "crl.this_update", -1,
                         "thisUpdate %s is after the validation time", t);
    }
    if (crl->has_next_update && crl->next_update < when - skew) {
        tsvc__revoke_fmt_time(crl->next_update, t);
        return tsvc__err(err, TSVC_ERR_CRL_EXPIRED, "crl.next_update", -1,
                         "nextUpdate %s is before the validation time", t);
    }
    if (crl->sigalg_status != TSVC_OK || crl->sig_params.scheme == TSVC_SIG_NONE)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crl.sigalg", -1,
                         "unsupported CRL signature algorithm");
    tsvc_error *inner = NULL;
    tsvc_status st = tsvc__verify(ctx, iss->key, &crl->sig_params, crl->tbs.data, crl->tbs.len,
                                  crl->sig_value.data, crl->sig_value.len, &inner);
    if (st == TSVC_ERR_SIGNATURE_INVALID || st == TSVC_ERR_KEY_MISMATCH) {
        tsvc_error_free(inner);
        return tsvc__err(err, TSVC_ERR_CRL_SIGNATURE, "crl.signature", -1,
                         "the CRL signature does not verify with the issuer's key");
    }
    if (st != TSVC_OK) {
        tsvc__err(err, st, "crl.signature", -1, "%s", tsvc_error_message(inner));
        tsvc_error_free(inner);
        return st;
    }
    tsvc_error_free(inner);
    return TSVC_OK;
}

tsvc_status tsvc_crl_verify(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_cert *issuer,
                            int64_t when, int64_t skew, tsvc_error **err)
{
    if (crl == NULL || issuer == NULL || issuer->pubkey == NULL || skew < 0 || skew > 86400)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "a CRL, an issuer with a supported key and a skew of 0 .. 86400 are "
                         "required");
    tsvc__rev_issuer iss = {&issuer->subject, issuer->pubkey, issuer, false};
    return tsvc__crl_verify(ctx, crl, &iss, when, skew, err);
}

/* ------------------------------------------------------------------ */
/* Scope (RFC 5280 6.3.3 (b), (d))                                     */
/* ------------------------------------------------------------------ */

/* Result of comparing general names: 1 match, 0 no match, -1 out of memory. */
static int gn_parse(const tsvc_ctx *ctx, const tsvc__cbs *contents, tsvc__x509_gname **out,
                    size_t *num)
{
    tsvc_status st = tsvc__x509_parse_general_names(ctx, contents, false, out, num, NULL);
    if (st == TSVC_ERR_NOMEM)
        return -1;
    if (st != TSVC_OK) {
        *out = NULL;
        *num = 0;
    }
    return 0;
}

static bool gn_equal(const tsvc__x509_gname *a, const tsvc__x509_gname *b)
{
    if (a->type == TSVC_GN_DIRECTORY_NAME && b->type == TSVC_GN_DIRECTORY_NAME)
        return tsvc__name_equal(&a->value, &b->value);
    return a->element.len == b->element.len &&
           memcmp(a->element.data, b->element.data, a->element.len) == 0;
}

/*
 * 1 if some name of GeneralNames @p a equals one of @p b (directoryName by
 * RFC 5280 7.1 comparison, other forms byte for byte); with @p uri_only
 * (CA/B Forum 7.2.2.1) every name on both sides must be a URI.
 */
static int gn_lists_match(const tsvc_ctx *ctx, const tsvc__cbs *a, const tsvc__cbs *b,
                          bool uri_only)
{
    tsvc__x509_gname *na = NULL, *nb = NULL;
    size_t ca = 0, cb = 0;
    int r = 0;
    if (gn_parse(ctx, a, &na, &ca) < 0 || gn_parse(ctx, b, &nb, &cb) < 0) {
        r = -1;
        goto out;
    }
    for (size_t i = 0; i < ca && uri_only; i++)
        if (na[i].type != TSVC_GN_URI)
            goto out;
    for (size_t k = 0; k < cb && uri_only; k++)
        if (nb[k].type != TSVC_GN_URI)
            goto out;
    for (size_t i = 0; i < ca && r == 0; i++)
        for (size_t k = 0; k < cb && r == 0; k++)
            if (gn_equal(&na[i], &nb[k]))
                r = 1;
out:
    tsvc__free(ctx, na);
    tsvc__free(ctx, nb);
    return r;
}

/* 1 if GeneralNames @p names holds a directoryName equal to @p name. */
static int gn_has_dirname(const tsvc_ctx *ctx, const tsvc__cbs *names, const tsvc__cbs *name)
{
    tsvc__x509_gname *gn = NULL;
    size_t num = 0;
    int r = 0;
    if (gn_parse(ctx, names, &gn, &num) < 0)
        return -1;
    for (size_t i = 0; i < num && r == 0; i++)
        if (gn[i].type == TSVC_GN_DIRECTORY_NAME && tsvc__name_equal(&gn[i].value, name))
            r = 1;
    tsvc__free(ctx, gn);
    return r;
}

bool tsvc__crl_freshest_uri(const tsvc_crl *crl, size_t index, char *out, size_t size)
{
    tsvc__cbs in = crl->freshest, list;
    size_t k = 0;
    if (!crl->has_freshest || size == 0 ||
        tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &list, NULL) != TSVC_OK)
        return false;
    while (list.len > 0) {
        tsvc__cbs dp, dpn, names;
        bool present = false;
        if (tsvc__der_get(&list, TSVC__TAG_SEQUENCE, &dp, NULL) != TSVC_OK)
            return false;
        if (tsvc__der_get_optional(&dp, TSVC__TAG_CONTEXT_C(0), &dpn, &present, NULL) !=
                TSVC_OK ||
            !present)
            continue;
        if (tsvc__der_get_optional(&dpn, TSVC__TAG_CONTEXT_C(0), &names, &present, NULL) !=
                TSVC_OK ||
            !present)
            continue;
        while (names.len > 0) {
            tsvc__x509_gname gn;
            if (tsvc__x509_parse_general_name(&names, false, &gn, NULL) != TSVC_OK)
                break;
            if (gn.type != TSVC_GN_URI || k++ != index)
                continue;
            if (gn.value.len >= size)
                return false;
            memcpy(out, gn.value.data, gn.value.len);
            out[gn.value.len] = '\0';
            return true;
        }
    }
    return false;
}

bool tsvc__crl_issuer_named_by(const tsvc_ctx *ctx, const tsvc_cert *cert,
                               const tsvc__cbs *crl_issuer)
{
    for (size_t p = 0; p < cert->crldp.num; p++) {
        const tsvc__x509_dist_point *dp = &cert->crldp.points[p];
        if (dp->has_crl_issuer && gn_has_dirname(ctx, &dp->crl_issuer, crl_issuer) == 1)
            return true;
    }
    return false;
}

/* 1 if the IDP's distribution point name matches @p dp (6.3.3 (b)(2)(i)). */
static int idp_name_matches(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_cert *cert,
                            const tsvc__x509_dist_point *dp, bool webpki)
{
    if (crl->idp_has_full_name) {
        if (dp->has_full_name)
            return gn_lists_match(ctx, &crl->idp_full_name, &dp->full_name, webpki);
        if (dp->has_relative_name || webpki)
            return 0; /* a relative point name is not compared with full names */
        if (dp->has_crl_issuer)
            return gn_lists_match(ctx, &crl->idp_full_name, &dp->crl_issuer, false);
        return gn_has_dirname(ctx, &crl->idp_full_name, &cert->issuer);
    }
    if (crl->idp_has_relative_name) {
        /* Both relative to the same CRL issuer (checked by the caller). */
        return !webpki && dp->has_relative_name &&
               tsvc__cbs_equal(&dp->relative_name, crl->idp_relative_name.data,
                               crl->idp_relative_name.len);
    }
    return 1;
}

/*
 * 6.3.3 (b): the CRL issuer and the IDP name against the certificate's
 * distribution points; *reasons gets the union of the matching points'
 * reasons.
 */
static tsvc_status match_points(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_cert *cert,
                                bool webpki, uint32_t *reasons, tsvc_error **err)
{
    const bool direct = tsvc__name_equal(&crl->issuer, &cert->issuer);
    bool issuer_ok = false, matched = false;
    *reasons = 0;
    if (cert->crldp.num == 0) {
        /* The implied point: no name, every reason, the certificate issuer
         * as CRL issuer. */
        tsvc__x509_dist_point implied;
        memset(&implied, 0, sizeof(implied));
        if (!direct)
            return tsvc__err(err, TSVC_ERR_CRL_ISSUER, "crl.issuer", -1,
                             "the CRL issuer differs from the certificate issuer and the "
                             "certificate names no cRLIssuer");
        int m = idp_name_matches(ctx, crl, cert, &implied, webpki);
        if (m < 0)
            return tsvc__err_code(err, TSVC_ERR_NOMEM);
        if (m == 0)
            return tsvc__err(err, TSVC_ERR_CRL_SCOPE, "crl.scope", -1, "%s",
                             crl->idp_has_relative_name && webpki
                                 ? "distribution point names relative to the CRL issuer are "
                                   "not allowed (TLS profiles: CA/B Forum 7.2.2.1)"
                                 : "the CRL is a partition (issuingDistributionPoint names a "
                                   "distribution point) and the certificate has no "
                                   "cRLDistributionPoints");
        *reasons = TSVC__REASONS_ALL;
        return TSVC_OK;
    }
    for (size_t p = 0; p < cert->crldp.num; p++) {
        const tsvc__x509_dist_point *dp = &cert->crldp.points[p];
        if (dp->has_crl_issuer) {
            int h = gn_has_dirname(ctx, &dp->crl_issuer, &crl->issuer);
            if (h < 0)
                return tsvc__err_code(err, TSVC_ERR_NOMEM);
            if (h == 0 || !crl->idp_indirect)
                continue;
        } else if (!direct) {
            continue;
        }
        issuer_ok = true;
        int m = idp_name_matches(ctx, crl, cert, dp, webpki);
        if (m < 0)
            return tsvc__err_code(err, TSVC_ERR_NOMEM);
        if (m == 0)
            continue;
        matched = true;
        *reasons |= dp->has_reasons ? (uint32_t)(dp->reasons & TSVC__REASONS_ALL)
                                    : TSVC__REASONS_ALL;
    }
    if (!issuer_ok)
        return tsvc__err(err, TSVC_ERR_CRL_ISSUER, "crl.issuer", -1, "%s",
                         direct ? "the certificate's distribution points name another CRL "
                                  "issuer (cRLIssuer)"
                                : "the CRL issuer is neither the certificate issuer nor a "
                                  "cRLIssuer of its distribution points with an indirect CRL");
    if (!matched)
        return tsvc__err(err, TSVC_ERR_CRL_SCOPE, "crl.scope", -1, "%s",
                         crl->idp_has_relative_name && webpki
                             ? "distribution point names relative to the CRL issuer are not "
                               "allowed (TLS profiles: CA/B Forum 7.2.2.1)"
                         : webpki ? "the CRL's distribution point is not one of the "
                                    "certificate's (TLS profiles: URIs only, byte for byte)"
                                  : "the CRL's distribution point is not one of the "
                                    "certificate's");
    return TSVC_OK;
}

tsvc_status tsvc__crl_delta_pairs(const tsvc_crl *base, const tsvc_crl *delta, tsvc_error **err)
{
    if (!delta->is_delta)
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta", -1,
                         "the CRL given as delta has no deltaCRLIndicator");
    if (base->is_delta)
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta", -1,
                         "a delta CRL cannot serve as the complete CRL");
    if (!tsvc__name_equal(&base->issuer, &delta->issuer))
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta.issuer", -1,
                         "the delta CRL has another issuer than the complete CRL");
    if (base->has_idp != delta->has_idp ||
        (base->has_idp && !tsvc__cbs_equal(&base->idp_value, delta->idp_value.data,
                                           delta->idp_value.len)))
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta.scope", -1,
                         "the delta CRL's issuingDistributionPoint differs from the complete "
                         "CRL's (another scope)");
    if (base->has_aki_key_id && delta->has_aki_key_id &&
        !tsvc__cbs_equal(&base->aki_key_id, delta->aki_key_id.data, delta->aki_key_id.len))
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta.aki", -1,
                         "the delta CRL's authorityKeyIdentifier differs from the complete CRL's");
    if (!base->has_number || !delta->has_number)
        return tsvc__err(err, TSVC_ERR_CRL_NUMBER, "crl.number", -1,
                         "the cRLNumber extension is missing (RFC 5280 5.2.3)");
    if (tsvc__crl_number_cmp(&base->number, &delta->base_number) < 0)
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta.base", -1,
                         "the complete CRL's cRLNumber is below the delta's BaseCRLNumber "
                         "(RFC 5280 5.2.4: the delta needs a newer complete CRL)");
    if (tsvc__crl_number_cmp(&delta->number, &base->number) <= 0)
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta.number", -1,
                         "the delta CRL's cRLNumber is not above the complete CRL's (it adds "
                         "nothing newer)");
    return TSVC_OK;
}

/* True if entry @p e of @p crl is about a certificate issued by @p issuer. */
static int entry_for_issuer(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc__crl_entry *e,
                            const tsvc__cbs *issuer)
{
    if (e->cert_issuer.len == 0)
        return tsvc__name_equal(&crl->issuer, issuer) ? 1 : 0;
    return gn_has_dirname(ctx, &e->cert_issuer, issuer);
}

/* The entry of @p crl for @p cert (serial and, in indirect CRLs, issuer). */
static tsvc_status find_entry(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_cert *cert,
                              const tsvc__crl_entry **out, tsvc_error **err)
{
    *out = NULL;
    const tsvc__crl_entry *e = tsvc__crl_find(crl, cert->serial.data, cert->serial.len);
    if (e == NULL)
        return TSVC_OK;
    const tsvc__crl_entry *end = crl->entries + crl->num_entries;
    for (; e < end && tsvc__revoke_serial_cmp(e->serial, e->serial_len, cert->serial.data,
                                              cert->serial.len) == 0;
         e++) {
        int m = entry_for_issuer(ctx, crl, e, &cert->issuer);
        if (m < 0)
            return tsvc__err_code(err, TSVC_ERR_NOMEM);
        if (m == 1) {
            *out = e;
            return TSVC_OK;
        }
    }
    return TSVC_OK;
}

tsvc_status tsvc__crl_check_full(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_crl *delta,
                                 const tsvc_cert *cert, const tsvc__rev_issuer *iss,
                                 const tsvc__rev_issuer *signer, int64_t when, int64_t skew,
                                 tsvc__rev_result *res, tsvc_error **err)
{
    memset(res, 0, sizeof(*res));
    res->reason = TSVC_REASON_NONE;
    if (cert == NULL || crl == NULL || iss == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "CRL, certificate and issuer are required");
    const tsvc__rev_issuer *by = signer != NULL ? signer : iss;
    if (crl->is_delta)
        return tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta", -1,
                         "a delta CRL is used only together with a complete CRL of the same "
                         "scope (RFC 5280 5.2.4)");
    if (crl->entry_cert_issuer && !crl->idp_indirect)
        return tsvc__err(err, TSVC_ERR_CRL_INDIRECT, "crl.indirect", -1,
                         "an entry has certificateIssuer but the CRL is not marked indirectCRL "
                         "(RFC 5280 5.3.3)");
    if (iss->webpki && (crl->idp_indirect || crl->entry_cert_issuer))
        return tsvc__err(err, TSVC_ERR_CRL_INDIRECT, "crl.indirect", -1,
                         "indirect CRLs are not allowed (TLS profiles: CA/B Forum 7.2.2.1)");
    uint32_t dp_reasons = 0;
    tsvc_status st = match_points(ctx, crl, cert, iss->webpki, &dp_reasons, err);
    if (st != TSVC_OK)
        return st;
    st = tsvc__crl_verify(ctx, crl, by, when, skew, err);
    if (st != TSVC_OK)
        return st;
    bool is_ca = cert->bc.present && cert->bc.ca;
    if (crl->idp_only_user && is_ca)
        return tsvc__err(err, TSVC_ERR_CRL_SCOPE, "crl.scope", -1,
                         "the CRL covers only end-entity certificates (onlyContainsUserCerts)");
    if (crl->idp_only_ca && !is_ca)
        return tsvc__err(err, TSVC_ERR_CRL_SCOPE, "crl.scope", -1,
                         "the CRL covers only CA certificates (onlyContainsCACerts)");
    if (crl->idp_only_attr)
        return tsvc__err(err, TSVC_ERR_CRL_SCOPE, "crl.scope", -1,
                         "the CRL covers only attribute certificates");
    uint32_t reasons = (crl->idp_has_reasons ? crl->idp_reasons : TSVC__REASONS_ALL) & dp_reasons;
    if (reasons == 0)
        return tsvc__err(err, TSVC_ERR_CRL_SCOPE, "crl.scope", -1,
                         "the CRL's onlySomeReasons and the distribution point's reasons have "
                         "no reason in common");
    if (delta != NULL) {
        tsvc_error *inner = NULL;
        st = tsvc__crl_delta_pairs(crl, delta, &inner);
        if (st == TSVC_OK)
            st = tsvc__crl_verify(ctx, delta, by, when, skew, &inner);
        if (st == TSVC_ERR_NOMEM) {
            tsvc_error_free(inner);
            return tsvc__err_code(err, st);
        }
        if (st != TSVC_OK) {
            tsvc__err(err, TSVC_ERR_CRL_DELTA, "crl.delta", -1, "delta CRL not usable: %s",
                      inner ? tsvc_error_message(inner) : tsvc_status_str(st));
            tsvc_error_free(inner);
            return TSVC_ERR_CRL_DELTA;
        }
        tsvc_error_free(inner);
    }
    res->reasons = reasons;
    res->this_update = crl->this_update;
    res->has_next_update = crl->has_next_update;
    res->next_update = crl->next_update;
    if (delta != NULL) {
        /* The delta is the newer information: its dates describe the pair. */
        res->this_update = delta->this_update;
        res->has_next_update = delta->has_next_update;
        res->next_update = delta->next_update;
    }
    res->status = TSVC_CERT_STATUS_GOOD;
    const tsvc__crl_entry *e = NULL;
    if (delta != NULL) {
        st = find_entry(ctx, delta, cert, &e, err);
        if (st != TSVC_OK)
            return st;
    }
    if (e == NULL) {
        st = find_entry(ctx, crl, cert, &e, err);
        if (st != TSVC_OK)
            return st;
    }
    if (e != NULL) {
        res->revocation_time = e->revocation_time;
        res->reason = (tsvc_crl_reason)e->reason;
        if (e->reason == TSVC_REASON_REMOVE_FROM_CRL) {
            /* 6.3.3 (k): released from hold (a delta entry wins over the
             * complete CRL's certificateHold). */
            res->revocation_time = 0;
            res->reason = TSVC_REASON_NONE;
        } else if (e->revocation_time <= when) {
            res->status = TSVC_CERT_STATUS_REVOKED;
        } else {
            res->revoked_later = true;
        }
    }
    return TSVC_OK;
}

tsvc_status tsvc__crl_check(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_cert *cert,
                            const tsvc__rev_issuer *iss, int64_t when, int64_t skew,
                            tsvc__rev_result *res, tsvc_error **err)
{
    return tsvc__crl_check_full(ctx, crl, NULL, cert, iss, NULL, when, skew, res, err);
}

tsvc_status tsvc_crl_check(const tsvc_ctx *ctx, tsvc_cert_status *status, int64_t *revocation_time,
                           tsvc_crl_reason *reason, const tsvc_crl *crl, const tsvc_cert *cert,
                           const tsvc_cert *issuer, int64_t when, int64_t skew, tsvc_error **err)
{
    tsvc__rev_result res;
    if (status == NULL || crl == NULL || cert == NULL || issuer == NULL ||
        issuer->pubkey == NULL || skew < 0 || skew > 86400)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "status, CRL, certificate and issuer (with a supported key) are "
                         "required; skew 0 .. 86400");
    tsvc__rev_issuer iss = {&issuer->subject, issuer->pubkey, issuer, false};
    tsvc_status st = tsvc__crl_check(ctx, crl, cert, &iss, when, skew, &res, err);
    if (st != TSVC_OK)
        return st;
    if (res.status == TSVC_CERT_STATUS_GOOD && res.reasons != TSVC__REASONS_ALL)
        return tsvc__err(err, TSVC_ERR_CRL_SCOPE, "crl.scope", -1,
                         "the CRL covers only some revocation reasons (onlySomeReasons)");
    *status = res.status;
    if (revocation_time != NULL)
        *revocation_time = res.status == TSVC_CERT_STATUS_REVOKED ? res.revocation_time : 0;
    if (reason != NULL)
        *reason = res.status == TSVC_CERT_STATUS_REVOKED ? res.reason : TSVC_REASON_NONE;
    return TSVC_OK;
}
