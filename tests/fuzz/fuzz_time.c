/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for UTCTime and GeneralizedTime, both profiles
 * (TSVC__TIME_RFC5280 and TSVC__TIME_GENERALIZED_FRAC).
 *
 * Input: the first byte selects the tag (bit 0: UTCTime or
 * GeneralizedTime); the rest is the time's contents octets. The whole
 * input is also read as one DER element with tsvc__der_get_time().
 *
 * Invariants (abort() on violation):
 *  - a time either profile accepts is written back by the builder
 *    (tsvc__cbb_add_time for RFC 5280, tsvc__cbb_add_generalized_time for
 *    the fractional profile) and read again to the same seconds and
 *    nanoseconds;
 *  - the written form is byte-identical to the input whenever the input
 *    was already in the writer's canonical form (UTCTime for 1950..2049,
 *    GeneralizedTime otherwise; fractions without trailing zeros);
 *  - every accepted time has a valid calendar date: it converts back to
 *    civil fields with month 1..12, day within the month, and no leap
 *    second;
 *  - tsvc__der_get_time() agrees with tsvc__der_parse_time() and leaves
 *    the cursor untouched when it fails.
 */
#include <stdlib.h>
#include <string.h>

#include "der/der.h"
#include "fuzz.h"
#include "fuzz_util.h"

/* Writes the time back with the profile's writer; returns the element. */
static bool write_back(tsvc__time_profile profile, int64_t secs, uint32_t nanos, tsvc_buf *out)
{
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, NULL);
    if (profile == TSVC__TIME_RFC5280)
        tsvc__cbb_add_time(&cbb, secs);
    else
        tsvc__cbb_add_generalized_time(&cbb, secs, nanos);
    return tsvc__cbb_finish(&cbb, out) == TSVC_OK;
}

static void one(const uint8_t *s, size_t len, uint32_t tag, tsvc__time_profile profile)
{
    int64_t secs = 0;
    uint32_t nanos = 0;
    if (tsvc__der_parse_time(s, len, tag, profile, &secs, &nanos) != TSVC_OK)
        return;
    fuzz_check(nanos < 1000000000u);
    fuzz_check(profile == TSVC__TIME_GENERALIZED_FRAC || nanos == 0);
    fuzz_check(tag == TSVC__TAG_GENERALIZED_TIME || profile == TSVC__TIME_RFC5280);

    /* The calendar fields are sane. */
    int64_t year;
    unsigned month, day, hour, minute, second;
    tsvc__time_to_civil(secs, &year, &month, &day, &hour, &minute, &second);
    fuzz_check(year >= 0 && year <= 9999);
    fuzz_check(month >= 1 && month <= 12 && day >= 1 && day <= tsvc__days_in_month(year, month));
    fuzz_check(hour < 24 && minute < 60 && second < 60);
    fuzz_check(tsvc__time_from_civil(year, month, day, hour, minute, second) == secs);

    /* Same result without the optional outputs. */
    fuzz_check(tsvc__der_parse_time(s, len, tag, profile, NULL, NULL) == TSVC_OK);

    tsvc_buf buf = TSVC_BUF_INIT;
    fuzz_check(write_back(profile, secs, nanos, &buf));
    tsvc__cbs r, contents;
    uint32_t wtag = 0;
    tsvc__cbs_init(&r, buf.data, buf.len);
    fuzz_check(tsvc__der_get_any(&r, &wtag, &contents, NULL, NULL) == TSVC_OK && r.len == 0);

    /* Reads back to the same instant. */
    int64_t secs2 = -1;
    uint32_t nanos2 = 1;
    const tsvc_status st = tsvc__der_parse_time(contents.data, contents.len, wtag, profile,
                                                &secs2, &nanos2);
    fuzz_check(st == TSVC_OK);
    fuzz_check(secs2 == secs && nanos2 == nanos);

    /* Byte-identical when the input was canonical for the writer. */
    const bool utc_range = year >= 1950 && year <= 2049;
    bool canonical;
    if (profile == TSVC__TIME_RFC5280)
        canonical = (tag == TSVC__TAG_UTC_TIME) == utc_range;
    else
        canonical = true;
    if (canonical) {
        fuzz_check(wtag == tag);
        fuzz_check(contents.len == len && memcmp(contents.data, s, len) == 0);
    }
    tsvc_buf_dispose(&buf);
}

static void as_element(const uint8_t *data, size_t size, tsvc__time_profile profile)
{
    tsvc__cbs c, before;
    int64_t secs = 0;
    uint32_t nanos = 0;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&c, data, size);
    before = c;
    const tsvc_status st = tsvc__der_get_time(&c, profile, &secs, &nanos, &err);
    if (st != TSVC_OK) {
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        fuzz_check(c.data == before.data && c.len == before.len);
        tsvc_error_free(err);
        return;
    }
    fuzz_check(err == NULL);
    /* Agrees with the contents parser. */
    tsvc__cbs e = before, contents;
    uint32_t tag = 0;
    fuzz_check(tsvc__der_get_any(&e, &tag, &contents, NULL, NULL) == TSVC_OK);
    fuzz_check(e.data == c.data && e.len == c.len);
    int64_t secs2 = 0;
    uint32_t nanos2 = 0;
    const tsvc_status st2 = tsvc__der_parse_time(contents.data, contents.len, tag, profile,
                                                 &secs2, &nanos2);
    fuzz_check(st2 == TSVC_OK);
    fuzz_check(secs2 == secs && nanos2 == nanos);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint32_t tag = (data[0] & 1) ? TSVC__TAG_GENERALIZED_TIME : TSVC__TAG_UTC_TIME;
    /* Exact-size copy of the contents so that overreads are caught. */
    const size_t len = size - 1;
    uint8_t *s = malloc(len ? len : 1);
    if (s == NULL)
        return 0;
    if (len > 0)
        memcpy(s, data + 1, len);
    one(s, len, tag, TSVC__TIME_RFC5280);
    one(s, len, tag, TSVC__TIME_GENERALIZED_FRAC);
    /* An unknown tag is always refused. */
    fuzz_check(tsvc__der_parse_time(s, len, TSVC__TAG_OCTET_STRING, TSVC__TIME_RFC5280, NULL,
                                    NULL) != TSVC_OK);
    free(s);

    as_element(data, size, TSVC__TIME_RFC5280);
    as_element(data, size, TSVC__TIME_GENERALIZED_FRAC);
    return 0;
}
