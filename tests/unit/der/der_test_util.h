/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the DER unit tests.
 */
#ifndef TSVC_TESTS_DER_TEST_UTIL_H
#define TSVC_TESTS_DER_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "der/der.h"

/* Asserts the status (of a call that filled *errp), the error's code, offset (-2: do not check) and check name (NULL: any). */
static inline void expect_error(tsvc_status got, tsvc_error **errp, tsvc_status want,
                                int64_t offset, const char *check)
{
    /* Taken by address: the error must be read after the call has run. */
    tsvc_error *err = *errp;
    *errp = NULL;
    assert_int_equal(got, want);
    assert_non_null(err);
    assert_int_equal(tsvc_error_code(err), want);
    if (offset != -2)
        assert_int_equal(tsvc_error_offset(err), offset);
    if (check != NULL) {
        assert_non_null(tsvc_error_check(err));
        assert_string_equal(tsvc_error_check(err), check);
    }
    tsvc_error_free(err);
}

static inline void assert_buf_equal(const tsvc_buf *b, const uint8_t *want, size_t want_len)
{
    assert_int_equal(b->len, want_len);
    if (want_len > 0)
        assert_memory_equal(b->data, want, want_len);
}

#endif /* TSVC_TESTS_DER_TEST_UTIL_H */
