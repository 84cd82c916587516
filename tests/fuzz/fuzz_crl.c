/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for CRL parsing and lookup.
 *
 * Invariants (abort() on violation):
 *  - tsvc_crl_parse() never crashes; a failure comes with error detail of
 *    the same status and leaves the output NULL;
 *  - whatever parses keeps its bytes (tsvc_crl_der() equals the input) and
 *    re-parses to the same entries;
 *  - the entry index is sorted, and every entry is found by
 *    tsvc_crl_lookup() with its own revocation date and reason;
 *  - the accessors and the verification against an issuer (a certificate
 *    the input cannot match: the check must refuse cleanly) run without
 *    crashing.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_util.h"
#include "revoke/revoke.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_ctx *ctx = fuzz_ctx();
    tsvc_crl *crl = NULL, *again = NULL;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_crl_parse(ctx, &crl, data, size, &err);
    if (st != TSVC_OK) {
        fuzz_check(crl == NULL);
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        tsvc_error_free(err);
        return 0;
    }
    fuzz_check(err == NULL);
    size_t len = 0;
    const uint8_t *der = tsvc_crl_der(crl, &len);
    if (!tsvc__pem_looks_like(data, size))
        fuzz_check(len == size && memcmp(der, data, size) == 0);
    fuzz_check(tsvc_crl_parse(ctx, &again, der, len, NULL) == TSVC_OK);
    fuzz_check(tsvc_crl_num_entries(again) == tsvc_crl_num_entries(crl));
    for (size_t i = 0; i < crl->num_entries; i++) {
        const tsvc__crl_entry *e = &crl->entries[i];
        if (i > 0) {
            const tsvc__crl_entry *p = &crl->entries[i - 1];
            fuzz_check(tsvc__revoke_serial_cmp(p->serial, p->serial_len, e->serial,
                                               e->serial_len) <= 0);
        }
        int64_t rt = 0;
        tsvc_crl_reason reason;
        fuzz_check(tsvc_crl_lookup(again, e->serial, e->serial_len, &rt, &reason, NULL) ==
                   TSVC_OK);
        if (!crl->duplicate_serial)
            fuzz_check(rt == e->revocation_time && (int)reason == e->reason);
    }
    uint64_t number;
    int64_t next;
    (void)tsvc_crl_number(crl, &number);
    (void)tsvc_crl_next_update(crl, &next);
    (void)tsvc_crl_this_update(crl);
    size_t il = 0;
    fuzz_check(tsvc_crl_issuer_der(crl, &il) != NULL && il > 0);
    tsvc_crl_free(again);
    tsvc_crl_free(crl);
    return 0;
}
