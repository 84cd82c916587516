/*
 * SPDX-License-Identifier: Apache-2.0
 * Calendar arithmetic (proleptic Gregorian, UTC), after H. Hinnant's
 * days_from_civil / civil_from_days algorithms.
 */
#include "core.h"

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned tsvc__days_in_month(int64_t year, unsigned month)
{
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && is_leap(year))
        return 29;
    return days[month - 1];
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t mp = (int64_t)((m + 9) % 12);
    const int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t tsvc__time_from_civil(int64_t year, unsigned month, unsigned day, unsigned hour,
                              unsigned minute, unsigned second)
{
    return days_from_civil(year, month, day) * 86400 + (int64_t)hour * 3600 +
           (int64_t)minute * 60 + (int64_t)second;
}

void tsvc__time_to_civil(int64_t t, int64_t *year, unsigned *month, unsigned *day,
                         unsigned *hour, unsigned *minute, unsigned *second)
{
    /* Floor division without the overflow of (t - 86399) near INT64_MIN. */
    int64_t z = t / 86400;
    int64_t secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        z -= 1;
    }
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    *year = y;
    *month = (unsigned)m;
    *day = (unsigned)d;
    *hour = (unsigned)(secs / 3600);
    *minute = (unsigned)((secs % 3600) / 60);
    *second = (unsigned)(secs % 60);
}
