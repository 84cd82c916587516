/*
 * SPDX-License-Identifier: Apache-2.0
 * UTCTime and GeneralizedTime: reading (RFC 5280 profile, and the RFC 3161
 * genTime profile with fractional seconds) and writing.
 */
#include <string.h>

#include "der.h"
#include "der_internal.h"

static bool digits(const uint8_t *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

tsvc_status tsvc__der_parse_time(const uint8_t *s, size_t len, uint32_t tag,
                                 tsvc__time_profile profile, int64_t *out_secs,
                                 uint32_t *out_nanos)
{
    unsigned year, month, day, hour, minute, second;
    uint32_t nanos = 0;
    size_t i;

    if (s == NULL && len != 0)
        return TSVC_ERR_DER_TIME;
    if (tag == TSVC__TAG_UTC_TIME) {
        if (profile != TSVC__TIME_RFC5280)
            return TSVC_ERR_DER_TIME;
        /* YYMMDDHHMMSSZ */
        if (len != 13 || !digits(s, 2, &year))
            return TSVC_ERR_DER_TIME;
        year += year >= 50 ? 1900 : 2000;
        i = 2;
    } else if (tag == TSVC__TAG_GENERALIZED_TIME) {
        /* YYYYMMDDHHMMSS[.f{1,9}]Z */
        if (len < 15 || !digits(s, 4, &year))
            return TSVC_ERR_DER_TIME;
        i = 4;
    } else {
        return TSVC_ERR_DER_TIME;
    }
    if (!digits(s + i, 2, &month) || !digits(s + i + 2, 2, &day) ||
        !digits(s + i + 4, 2, &hour) || !digits(s + i + 6, 2, &minute) ||
        !digits(s + i + 8, 2, &second))
        return TSVC_ERR_DER_TIME;
    i += 10;
    if (tag == TSVC__TAG_GENERALIZED_TIME && s[i] == '.') {
        if (profile != TSVC__TIME_GENERALIZED_FRAC)
            return TSVC_ERR_DER_TIME;
        i++;
        size_t nd = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (++nd > 9)
                return TSVC_ERR_DER_TIME;
            nanos = nanos * 10 + (uint32_t)(s[i] - '0');
            i++;
        }
        if (nd == 0 || s[i - 1] == '0')
            return TSVC_ERR_DER_TIME; /* empty fraction or trailing zero */
        for (; nd < 9; nd++)
            nanos *= 10;
    }
    if (i + 1 != len || s[i] != 'Z')
        return TSVC_ERR_DER_TIME;
    if (month < 1 || month > 12 || day < 1 || day > tsvc__days_in_month(year, month) ||
        hour > 23 || minute > 59 || second > 59)
        return TSVC_ERR_DER_TIME;
    if (out_secs != NULL)
        *out_secs = tsvc__time_from_civil(year, month, day, hour, minute, second);
    if (out_nanos != NULL)
        *out_nanos = nanos;
    return TSVC_OK;
}

tsvc_status tsvc__der_get_time(tsvc__cbs *cbs, tsvc__time_profile profile, int64_t *out_secs,
                               uint32_t *out_nanos, tsvc_error **err)
{
    tsvc__cbs copy = *cbs, c;
    uint32_t tag;
    const int64_t off = tsvc__cbs_offset(cbs);
    tsvc_status st;

    if (tsvc__der_peek_tag(cbs, TSVC__TAG_UTC_TIME) && profile == TSVC__TIME_RFC5280)
        tag = TSVC__TAG_UTC_TIME;
    else if (tsvc__der_peek_tag(cbs, TSVC__TAG_GENERALIZED_TIME))
        tag = TSVC__TAG_GENERALIZED_TIME;
    else if (cbs->len == 0)
        return tsvc__err(err, TSVC_ERR_DER_TRUNCATED, "der.truncated", off, "time expected");
    else
        return tsvc__err(err, TSVC_ERR_DER_TAG, "der.tag", off,
                         profile == TSVC__TIME_RFC5280 ? "UTCTime or GeneralizedTime expected"
                                                       : "GeneralizedTime expected");
    st = tsvc__der_get(&copy, tag, &c, err);
    if (st != TSVC_OK)
        return st;
    st = tsvc__der_parse_time(c.data, c.len, tag, profile, out_secs, out_nanos);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "der.time", tsvc__cbs_offset(&c), "malformed %s",
                         tag == TSVC__TAG_UTC_TIME ? "UTCTime" : "GeneralizedTime");
    *cbs = copy;
    return TSVC_OK;
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + (v / 10) % 10);
    p[1] = (char)('0' + v % 10);
}

static void add_time_tagged(tsvc__cbb *cbb, int64_t secs, uint32_t nanos, bool allow_utc)
{
    int64_t year;
    unsigned month, day, hour, minute, second;
    char s[32];
    size_t n = 0;
    uint32_t tag;

    if (cbb->error != TSVC_OK)
        return;
    if (nanos >= 1000000000u) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_TIME);
        return;
    }
    /* Years 0000..9999 only; checked before the calendar arithmetic, which
     * must not see values near the ends of int64. */
    if (secs < tsvc__time_from_civil(0, 1, 1, 0, 0, 0) ||
        secs > tsvc__time_from_civil(9999, 12, 31, 23, 59, 59)) {
        tsvc__cbb_fail(cbb, TSVC_ERR_DER_TIME);
        return;
    }
    tsvc__time_to_civil(secs, &year, &month, &day, &hour, &minute, &second);
    if (allow_utc && year >= 1950 && year <= 2049) {
        tag = TSVC__TAG_UTC_TIME;
        put2(s, (unsigned)(year % 100));
        n = 2;
    } else {
        tag = TSVC__TAG_GENERALIZED_TIME;
        put2(s, (unsigned)(year / 100));
        put2(s + 2, (unsigned)(year % 100));
        n = 4;
    }
    put2(s + n, month);
    put2(s + n + 2, day);
    put2(s + n + 4, hour);
    put2(s + n + 6, minute);
    put2(s + n + 8, second);
    n += 10;
    if (nanos != 0) {
        char f[9];
        uint32_t v = nanos;
        for (size_t i = 9; i-- > 0;) {
            f[i] = (char)('0' + v % 10);
            v /= 10;
        }
        size_t nd = 9;
        while (f[nd - 1] == '0')
            nd--;
        s[n++] = '.';
        memcpy(s + n, f, nd);
        n += nd;
    }
    s[n++] = 'Z';
    tsvc__cbb_add_element(cbb, tag, (const uint8_t *)s, n);
}

void tsvc__cbb_add_time(tsvc__cbb *cbb, int64_t secs)
{
    add_time_tagged(cbb, secs, 0, true);
}

void tsvc__cbb_add_generalized_time(tsvc__cbb *cbb, int64_t secs, uint32_t nanos)
{
    add_time_tagged(cbb, secs, nanos, false);
}
