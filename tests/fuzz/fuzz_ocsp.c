/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for OCSP response parsing and verification.
 *
 * Invariants (abort() on violation):
 *  - tsvc_ocsp_response_parse() never crashes; a failure comes with error
 *    detail of the same status and leaves the output NULL;
 *  - whatever parses re-parses from its own bytes to the same status and
 *    number of SingleResponses;
 *  - verification against the certificates the response carries (used as
 *    both subject and issuer) runs without crashing, and fails with error
 *    detail of the same status, or determines a status.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_util.h"
#include "revoke/revoke.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_ctx *ctx = fuzz_ctx();
    tsvc_ocsp_response *r = NULL, *again = NULL;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_ocsp_response_parse(ctx, &r, data, size, &err);
    if (st != TSVC_OK) {
        fuzz_check(r == NULL);
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        tsvc_error_free(err);
        return 0;
    }
    fuzz_check(r->der_len == size && memcmp(r->der, data, size) == 0);
    fuzz_check(tsvc_ocsp_response_parse(ctx, &again, r->der, r->der_len, NULL) == TSVC_OK);
    fuzz_check(tsvc_ocsp_response_get_status(again) == tsvc_ocsp_response_get_status(r));
    fuzz_check(tsvc_ocsp_response_num_single(again) == tsvc_ocsp_response_num_single(r));
    for (size_t i = 0; i < r->num_certs; i++) {
        for (size_t k = 0; k < r->num_certs; k++) {
            tsvc_cert_status s;
            if (r->certs[k]->pubkey == NULL)
                continue;
            st = tsvc_ocsp_response_verify(ctx, &s, NULL, NULL, r, r->certs[i], r->certs[k],
                                           r->produced_at, NULL, &err);
            if (st != TSVC_OK)
                fuzz_check(err != NULL && tsvc_error_code(err) == st);
            else
                fuzz_check(s == TSVC_CERT_STATUS_GOOD || s == TSVC_CERT_STATUS_REVOKED ||
                           s == TSVC_CERT_STATUS_UNKNOWN);
            tsvc_error_free(err);
            err = NULL;
        }
        (void)tsvc__ocsp_mentions(r, r->certs[i]);
    }
    tsvc_ocsp_response_free(again);
    tsvc_ocsp_response_free(r);
    return 0;
}
