/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for public-key import: SubjectPublicKeyInfo in DER or PEM
 * (tsvc_pubkey_import). fuzz_key.c does the same for private keys.
 *
 * Invariants (abort() on violation):
 *  - import never crashes; a failure comes with error detail of the
 *    same status and leaves the output NULL;
 *  - an imported key exports (DER and PEM), the export re-imports, and the
 *    re-imported key exports byte-identically with the same type and size;
 *  - a signature made of the input bytes never verifies.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "fuzz.h"
#include "fuzz_key_util.h"
#include "fuzz_util.h"
#include "trustsvc/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_pubkey *pub = NULL;
    tsvc_error *err = NULL;
    const tsvc_status st = tsvc_pubkey_import(fuzz_ctx(), &pub, data, size, &err);
    if (st != TSVC_OK) {
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        fuzz_check(pub == NULL);
        tsvc_error_free(err);
        return 0;
    }
    fuzz_check(err == NULL && pub != NULL);
    fuzz_check(tsvc_pubkey_type(pub) != TSVC_KEY_NONE);
    pubkey_round_trip(pub);
    /* A verification with garbage never passes and never crashes. */
    tsvc__sig_params p;
    if (tsvc__sig_params_default(tsvc_pubkey_type(pub), &p) == TSVC_OK) {
        const uint8_t msg[] = "fuzz";
        fuzz_check(tsvc_pubkey_verify(pub, p.scheme, p.hash, msg, sizeof(msg), data, size, NULL) !=
              TSVC_OK);
    }
    tsvc_pubkey_free(pub);
    return 0;
}

