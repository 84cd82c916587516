/*
 * SPDX-License-Identifier: Apache-2.0
 * Public-key round trip shared by fuzz_pubkey.c and fuzz_key.c.
 */
#ifndef TSVC_TESTS_FUZZ_KEY_UTIL_H
#define TSVC_TESTS_FUZZ_KEY_UTIL_H

#include "crypto/crypto.h"
#include "fuzz_util.h"
#include "trustsvc/crypto.h"

/* Exports DER and PEM; both re-import to a key exporting the same DER. */
static inline void pubkey_round_trip(const tsvc_pubkey *pub)
{
    tsvc_buf der = TSVC_BUF_INIT, pem = TSVC_BUF_INIT, der2 = TSVC_BUF_INIT,
             der3 = TSVC_BUF_INIT;
    tsvc_pubkey *again = NULL, *from_pem = NULL;

    fuzz_check(tsvc_pubkey_export(pub, &der, TSVC_FORMAT_DER, NULL) == TSVC_OK);
    fuzz_check(tsvc_pubkey_export(pub, &pem, TSVC_FORMAT_PEM, NULL) == TSVC_OK);
    fuzz_check(tsvc_pubkey_import(fuzz_ctx(), &again, der.data, der.len, NULL) == TSVC_OK);
    fuzz_check(tsvc_pubkey_export(again, &der2, TSVC_FORMAT_DER, NULL) == TSVC_OK);
    fuzz_check(fuzz_same(&der, &der2));
    fuzz_check(tsvc_pubkey_type(again) == tsvc_pubkey_type(pub));
    fuzz_check(tsvc_pubkey_bits(again) == tsvc_pubkey_bits(pub));
    fuzz_check(tsvc__pubkey_equal(again, pub));
    fuzz_check(tsvc_pubkey_import(fuzz_ctx(), &from_pem, pem.data, pem.len, NULL) == TSVC_OK);
    fuzz_check(tsvc_pubkey_export(from_pem, &der3, TSVC_FORMAT_DER, NULL) == TSVC_OK);
    fuzz_check(fuzz_same(&der, &der3));
    tsvc_pubkey_free(again);
    tsvc_pubkey_free(from_pem);
    tsvc_buf_dispose(&der);
    tsvc_buf_dispose(&pem);
    tsvc_buf_dispose(&der2);
    tsvc_buf_dispose(&der3);
}

#endif /* TSVC_TESTS_FUZZ_KEY_UTIL_H */
