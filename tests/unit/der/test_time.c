/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of UTCTime / GeneralizedTime reading and writing. Expected
 * epoch seconds were computed independently with
 * `date -u -d 'YYYY-MM-DD HH:MM:SS' +%s`.
 */
#include "der_test_util.h"

static tsvc_status parse(const char *s, uint32_t tag, tsvc__time_profile p, int64_t *secs,
                         uint32_t *nanos)
{
    return tsvc__der_parse_time((const uint8_t *)s, strlen(s), tag, p, secs, nanos);
}

static void utc_ok(const char *s, int64_t want)
{
    int64_t secs = 0;
    assert_int_equal(parse(s, TSVC__TAG_UTC_TIME, TSVC__TIME_RFC5280, &secs, NULL), TSVC_OK);
    assert_true(secs == want);
}

static void gen_ok(const char *s, tsvc__time_profile p, int64_t want, uint32_t want_nanos)
{
    int64_t secs = 0;
    uint32_t nanos = 99;
    assert_int_equal(parse(s, TSVC__TAG_GENERALIZED_TIME, p, &secs, &nanos), TSVC_OK);
    assert_true(secs == want);
    assert_int_equal(nanos, want_nanos);
}

static void utc_bad(const char *s)
{
    int64_t secs;
    assert_int_equal(parse(s, TSVC__TAG_UTC_TIME, TSVC__TIME_RFC5280, &secs, NULL),
                     TSVC_ERR_DER_TIME);
}

static void gen_bad(const char *s, tsvc__time_profile p)
{
    int64_t secs;
    assert_int_equal(parse(s, TSVC__TAG_GENERALIZED_TIME, p, &secs, NULL), TSVC_ERR_DER_TIME);
}

static void utctime_known_values(void **state)
{
    (void)state;
    utc_ok("491231235959Z", 2524607999);  /* 2049-12-31 23:59:59 */
    utc_ok("500101000000Z", -631152000);  /* 1950-01-01 00:00:00 */
    utc_ok("700101000000Z", 0);
    utc_ok("000101000000Z", 946684800);   /* 2000-01-01 */
    utc_ok("240229120000Z", 1709208000);  /* 2024-02-29 12:00:00 */
    utc_ok("190701102030Z", 1561976430);  /* 2019-07-01 10:20:30 */
}

static void generalized_time_known_values(void **state)
{
    (void)state;
    gen_ok("20500101000000Z", TSVC__TIME_RFC5280, 2524608000, 0);
    gen_ok("19491231235959Z", TSVC__TIME_RFC5280, -631152001, 0);
    gen_ok("99991231235959Z", TSVC__TIME_RFC5280, 253402300799, 0);
    gen_ok("00010101000000Z", TSVC__TIME_RFC5280, -62135596800, 0);
    gen_ok("20240229120000Z", TSVC__TIME_GENERALIZED_FRAC, 1709208000, 0);
}

static void generalized_time_fractions(void **state)
{
    (void)state;
    gen_ok("20240229120000.123Z", TSVC__TIME_GENERALIZED_FRAC, 1709208000, 123000000);
    gen_ok("20240229120000.5Z", TSVC__TIME_GENERALIZED_FRAC, 1709208000, 500000000);
    gen_ok("20240229120000.000000001Z", TSVC__TIME_GENERALIZED_FRAC, 1709208000, 1);
    gen_ok("20240229120000.999999999Z", TSVC__TIME_GENERALIZED_FRAC, 1709208000, 999999999);
}

static void generalized_fraction_trailing_zero(void **state)
{
    (void)state;
    gen_bad("20240229120000.120Z", TSVC__TIME_GENERALIZED_FRAC);
    gen_bad("20240229120000.0Z", TSVC__TIME_GENERALIZED_FRAC);
}

static void generalized_fraction_empty(void **state)
{
    (void)state;
    gen_bad("20240229120000.Z", TSVC__TIME_GENERALIZED_FRAC);
}

static void generalized_fraction_ten_digits(void **state)
{
    (void)state;
    gen_bad("20240229120000.1234567891Z", TSVC__TIME_GENERALIZED_FRAC);
}

static void generalized_fraction_refused_in_rfc5280(void **state)
{
    (void)state;
    gen_bad("20240229120000.5Z", TSVC__TIME_RFC5280);
}

static void utctime_seconds_60(void **state)
{
    (void)state;
    utc_bad("161231235960Z");
    gen_bad("20161231235960Z", TSVC__TIME_RFC5280);
}

static void month_13(void **state)
{
    (void)state;
    utc_bad("241301000000Z");
    gen_bad("20241301000000Z", TSVC__TIME_RFC5280);
}

static void month_00(void **state)
{
    (void)state;
    utc_bad("240001000000Z");
}

static void day_00(void **state)
{
    (void)state;
    utc_bad("240100000000Z");
}

static void day_32(void **state)
{
    (void)state;
    utc_bad("240132000000Z");
    utc_bad("240431000000Z"); /* April has 30 days */
}

static void feb_30(void **state)
{
    (void)state;
    utc_bad("240230000000Z");
}

static void feb_29_non_leap_year(void **state)
{
    (void)state;
    utc_bad("230229000000Z");
    gen_bad("21000229000000Z", TSVC__TIME_RFC5280); /* 2100 is not a leap year */
    gen_ok("20000229000000Z", TSVC__TIME_RFC5280, 951782400, 0); /* 2000 is */
}

static void hour_24(void **state)
{
    (void)state;
    utc_bad("240101240000Z");
}

static void minute_60(void **state)
{
    (void)state;
    utc_bad("240101006000Z");
}

static void utctime_offset_refused(void **state)
{
    (void)state;
    utc_bad("240101000000+0100");
    gen_bad("20240101000000-0500", TSVC__TIME_GENERALIZED_FRAC);
}

static void utctime_missing_seconds(void **state)
{
    (void)state;
    utc_bad("2401010000Z");
}

static void missing_z(void **state)
{
    (void)state;
    utc_bad("240101000000");
    gen_bad("20240101000000", TSVC__TIME_RFC5280);
    utc_bad("240101000000z");
    utc_bad("240101000000ZZ");
}

static void non_digits(void **state)
{
    (void)state;
    utc_bad("2401O1000000Z");
    utc_bad(" 40101000000Z");
    gen_bad("2024-1-1000000Z", TSVC__TIME_RFC5280);
}

static void utctime_refused_in_fraction_profile(void **state)
{
    (void)state;
    int64_t secs;
    assert_int_equal(parse("240101000000Z", TSVC__TAG_UTC_TIME, TSVC__TIME_GENERALIZED_FRAC,
                           &secs, NULL),
                     TSVC_ERR_DER_TIME);
    /* Through the cursor: a UTCTime where only GeneralizedTime is allowed. */
    const uint8_t in[] = {0x17, 0x0d, '2', '4', '0', '1', '0', '1',
                          '0', '0', '0', '0', '0', '0', 'Z'};
    tsvc__cbs cbs;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    expect_error(tsvc__der_get_time(&cbs, TSVC__TIME_GENERALIZED_FRAC, &secs, NULL, &err), &err,
                 TSVC_ERR_DER_TAG, 0, "der.tag");
    assert_int_equal(cbs.len, sizeof(in));
}

static void get_time_reads_both_types(void **state)
{
    (void)state;
    const uint8_t in[] = {
        0x17, 0x0d, '4', '9', '1', '2', '3', '1', '2', '3', '5', '9', '5', '9', 'Z',
        0x18, 0x0f, '2', '0', '5', '0', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z',
        0x18, 0x12, '2', '0', '2', '4', '0', '2', '2', '9', '1', '2', '0', '0', '0', '0',
        '.', '1', '2', 'Z',
    };
    tsvc__cbs cbs;
    int64_t secs = 0;
    uint32_t nanos = 1;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get_time(&cbs, TSVC__TIME_RFC5280, &secs, &nanos, NULL), TSVC_OK);
    assert_true(secs == 2524607999);
    assert_int_equal(nanos, 0);
    assert_int_equal(tsvc__der_get_time(&cbs, TSVC__TIME_RFC5280, &secs, NULL, NULL), TSVC_OK);
    assert_true(secs == 2524608000);
    assert_int_equal(tsvc__der_get_time(&cbs, TSVC__TIME_GENERALIZED_FRAC, &secs, &nanos, NULL),
                     TSVC_OK);
    assert_true(secs == 1709208000);
    assert_int_equal(nanos, 120000000);
    assert_int_equal(cbs.len, 0);
}

static void get_time_error_offset(void **state)
{
    (void)state;
    /* SEQUENCE { UTCTime 161231235960Z }: contents at offset 4. */
    const uint8_t in[] = {0x30, 0x0f, 0x17, 0x0d, '1', '6', '1', '2', '3', '1',
                          '2', '3', '5', '9', '6', '0', 'Z'};
    tsvc__cbs cbs, seq;
    int64_t secs;
    tsvc_error *err = NULL;
    tsvc__cbs_init(&cbs, in, sizeof(in));
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SEQUENCE, &seq, NULL), TSVC_OK);
    expect_error(tsvc__der_get_time(&seq, TSVC__TIME_RFC5280, &secs, NULL, &err), &err,
                 TSVC_ERR_DER_TIME, 4, "der.time");
    assert_int_equal(seq.len, 15);
}

static void writer_picks_utctime_for_1950_to_2049(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_time(&cbb, 2524607999);  /* 2049-12-31 23:59:59 */
    tsvc__cbb_add_time(&cbb, 2524608000);  /* 2050-01-01 */
    tsvc__cbb_add_time(&cbb, -631152000);  /* 1950-01-01 */
    tsvc__cbb_add_time(&cbb, -631152001);  /* 1949-12-31 23:59:59 */
    tsvc__cbb_close(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    const char *want = "\x30\x40"
                       "\x17\x0d" "491231235959Z"
                       "\x18\x0f" "20500101000000Z"
                       "\x17\x0d" "500101000000Z"
                       "\x18\x0f" "19491231235959Z";
    assert_buf_equal(&out, (const uint8_t *)want, 2 + 15 + 17 + 15 + 17);

    /* And back. */
    const int64_t back[] = {2524607999, 2524608000, -631152000, -631152001};
    tsvc__cbs cbs, seq;
    tsvc__cbs_init(&cbs, out.data, out.len);
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SEQUENCE, &seq, NULL), TSVC_OK);
    for (size_t i = 0; i < 4; i++) {
        int64_t secs = 0;
        assert_int_equal(tsvc__der_get_time(&seq, TSVC__TIME_RFC5280, &secs, NULL, NULL),
                         TSVC_OK);
        assert_true(secs == back[i]);
    }
    tsvc_buf_dispose(&out);
}

static void writer_generalized_fraction(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_generalized_time(&cbb, 1709208000, 120000000);
    tsvc__cbb_add_generalized_time(&cbb, 1709208000, 0);
    tsvc__cbb_add_generalized_time(&cbb, 0, 1);
    tsvc__cbb_close(&cbb);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    const char *want = "\x30\x40"
                       "\x18\x12" "20240229120000.12Z"
                       "\x18\x0f" "20240229120000Z"
                       "\x18\x19" "19700101000000.000000001Z";
    assert_buf_equal(&out, (const uint8_t *)want, 2 + 20 + 17 + 27);
    tsvc__cbs cbs, seq;
    int64_t secs;
    uint32_t nanos;
    tsvc__cbs_init(&cbs, out.data, out.len);
    assert_int_equal(tsvc__der_get(&cbs, TSVC__TAG_SEQUENCE, &seq, NULL), TSVC_OK);
    assert_int_equal(tsvc__der_get_time(&seq, TSVC__TIME_GENERALIZED_FRAC, &secs, &nanos, NULL),
                     TSVC_OK);
    assert_true(secs == 1709208000);
    assert_int_equal(nanos, 120000000);
    tsvc_buf_dispose(&out);
}

static void writer_rejects_out_of_range(void **state)
{
    (void)state;
    tsvc__cbb cbb;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_time(&cbb, 253402300800); /* year 10000 */
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_TIME);
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_generalized_time(&cbb, 0, 1000000000);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_TIME);
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_time(&cbb, -62135596801); /* year 0 is fine ... */
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_OK);
    tsvc_buf_dispose(&out);
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_time(&cbb, -62167219201); /* ... but not year -1 */
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_TIME);
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_time(&cbb, INT64_MIN);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_TIME);
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_generalized_time(&cbb, INT64_MAX, 0);
    assert_int_equal(tsvc__cbb_finish(&cbb, &out), TSVC_ERR_DER_TIME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utctime_known_values),
        cmocka_unit_test(generalized_time_known_values),
        cmocka_unit_test(generalized_time_fractions),
        cmocka_unit_test(generalized_fraction_trailing_zero),
        cmocka_unit_test(generalized_fraction_empty),
        cmocka_unit_test(generalized_fraction_ten_digits),
        cmocka_unit_test(generalized_fraction_refused_in_rfc5280),
        cmocka_unit_test(utctime_seconds_60),
        cmocka_unit_test(month_13),
        cmocka_unit_test(month_00),
        cmocka_unit_test(day_00),
        cmocka_unit_test(day_32),
        cmocka_unit_test(feb_30),
        cmocka_unit_test(feb_29_non_leap_year),
        cmocka_unit_test(hour_24),
        cmocka_unit_test(minute_60),
        cmocka_unit_test(utctime_offset_refused),
        cmocka_unit_test(utctime_missing_seconds),
        cmocka_unit_test(missing_z),
        cmocka_unit_test(non_digits),
        cmocka_unit_test(utctime_refused_in_fraction_profile),
        cmocka_unit_test(get_time_reads_both_types),
        cmocka_unit_test(get_time_error_offset),
        cmocka_unit_test(writer_picks_utctime_for_1950_to_2049),
        cmocka_unit_test(writer_generalized_fraction),
        cmocka_unit_test(writer_rejects_out_of_range),
    };
    return cmocka_run_group_tests_name("der-time", tests, NULL, NULL);
}
