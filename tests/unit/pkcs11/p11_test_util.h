/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the PKCS#11 tests (include after <cmocka.h>).
 */
#ifndef TSVC_TEST_P11_UTIL_H
#define TSVC_TEST_P11_UTIL_H

#include "trustsvc/crypto.h"

/* Asserts that two public keys are the same key (same SubjectPublicKeyInfo),
 * and releases both references. */
static inline void assert_same_pubkey_and_free(tsvc_pubkey *a, tsvc_pubkey *b)
{
    tsvc_buf da = TSVC_BUF_INIT, db = TSVC_BUF_INIT;
    assert_int_equal(tsvc_pubkey_export(a, &da, TSVC_FORMAT_DER, NULL), TSVC_OK);
    assert_int_equal(tsvc_pubkey_export(b, &db, TSVC_FORMAT_DER, NULL), TSVC_OK);
    assert_int_equal(da.len, db.len);
    assert_memory_equal(da.data, db.data, da.len);
    tsvc_buf_dispose(&da);
    tsvc_buf_dispose(&db);
    tsvc_pubkey_free(a);
    tsvc_pubkey_free(b);
}

#endif /* TSVC_TEST_P11_UTIL_H */
