/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for private-key import: PKCS#8 PrivateKeyInfo in DER or PEM,
 * and the legacy PEM forms (tsvc_key_import). fuzz_pubkey.c does the
 * same for SubjectPublicKeyInfo.
 *
 * Invariants (abort() on violation):
 *  - import never crashes; a failure comes with error detail of the
 *    same status and leaves the output NULL;
 *  - an imported key exports (DER and PEM), the export re-imports, and the
 *    re-imported key exports byte-identically with the same type and size;
 *  - the public half round-trips the same way;
 *  - a private key signs a fixed message with its default scheme and its
 *    public half (and the re-imported public half) verifies the signature.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "fuzz.h"
#include "fuzz_key_util.h"
#include "fuzz_util.h"
#include "trustsvc/crypto.h"

static void sign_and_verify(const tsvc_key *key, const tsvc_pubkey *pub)
{
    tsvc__sig_params p;
    tsvc_buf sig = TSVC_BUF_INIT;
    const uint8_t msg[] = "libtrustsvc fuzz message";
    fuzz_check(tsvc__sig_params_default(tsvc_pubkey_type(pub), &p) == TSVC_OK);
    fuzz_check(tsvc_key_sign(key, &sig, p.scheme, p.hash, msg, sizeof(msg), NULL) == TSVC_OK);
    fuzz_check(tsvc_pubkey_verify(pub, p.scheme, p.hash, msg, sizeof(msg), sig.data, sig.len,
                                  NULL) == TSVC_OK);
    tsvc_buf_dispose(&sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_key *key = NULL, *again = NULL, *from_pem = NULL;
    tsvc_pubkey *pub = NULL, *pub2 = NULL;
    tsvc_buf der = TSVC_BUF_INIT, pem = TSVC_BUF_INIT, der2 = TSVC_BUF_INIT,
             der3 = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    const tsvc_status st = tsvc_key_import(fuzz_ctx(), &key, data, size, &err);
    if (st != TSVC_OK) {
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        fuzz_check(key == NULL);
        tsvc_error_free(err);
        return 0;
    }
    fuzz_check(err == NULL && key != NULL);
    fuzz_check(tsvc_key_get_public(key, &pub, NULL) == TSVC_OK);
    fuzz_check(tsvc_pubkey_type(pub) != TSVC_KEY_NONE);
    pubkey_round_trip(pub);

    fuzz_check(tsvc_key_export(key, &der, TSVC_FORMAT_DER, NULL) == TSVC_OK);
    fuzz_check(tsvc_key_export(key, &pem, TSVC_FORMAT_PEM, NULL) == TSVC_OK);
    fuzz_check(tsvc_key_import(fuzz_ctx(), &again, der.data, der.len, NULL) == TSVC_OK);
    fuzz_check(tsvc_key_export(again, &der2, TSVC_FORMAT_DER, NULL) == TSVC_OK);
    fuzz_check(fuzz_same(&der, &der2));
    fuzz_check(tsvc_key_import(fuzz_ctx(), &from_pem, pem.data, pem.len, NULL) == TSVC_OK);
    fuzz_check(tsvc_key_export(from_pem, &der3, TSVC_FORMAT_DER, NULL) == TSVC_OK);
    fuzz_check(fuzz_same(&der, &der3));
    fuzz_check(tsvc_key_get_public(again, &pub2, NULL) == TSVC_OK);
    fuzz_check(tsvc__pubkey_equal(pub, pub2));

    sign_and_verify(key, pub);
    sign_and_verify(again, pub);

    tsvc_pubkey_free(pub);
    tsvc_pubkey_free(pub2);
    tsvc_key_free(key);
    tsvc_key_free(again);
    tsvc_key_free(from_pem);
    tsvc_buf_dispose(&der);
    tsvc_buf_dispose(&pem);
    tsvc_buf_dispose(&der2);
    tsvc_buf_dispose(&der3);
    return 0;
}

