/*
 * SPDX-License-Identifier: Apache-2.0
 * CAdES B-T (signature time-stamps): the check the signature verifier and
 * tsvc_tst_verify_signature() share. A verifier calls tsvc__ades_bt_check()
 * for a SignerInfo; it adds one "signature-timestamp" entry per token
 * (with the token's checks nested) and gives the proven time: the
 * earliest genTime of the tokens that verified.
 *
 * Thread safety: reentrant; the store is only read (and frozen).
 */
#ifndef TSVC_ADES_BT_H
#define TSVC_ADES_BT_H

#include <stdbool.h>

#include "cms/cms.h"
#include "path/report.h"
#include "trustsvc/tsp.h"

/** Outcome of the signature time-stamps of one SignerInfo. */
typedef struct tsvc__bt_result {
    size_t num_tokens;     /* signatureTimeStampToken values found */
    size_t num_verified;   /* of which verified */
    int64_t proven_time;   /* earliest genTime of a verified token (valid if num_verified) */
    tsvc_indication indication;    /* PASSED when num_tokens > 0 and all verified */
    tsvc_subindication subindication;
    char reason[512];      /* of the first token that did not verify, or of the outcome */
} tsvc__bt_result;

/**
 * Verifies every signature time-stamp of SignerInfo @p signer_index of
 * @p cms (imprint: the hash of that SignerInfo's signature value; TSA at
 * genTime), adding entries under @p parent of @p r. Errors: only
 * TSVC_ERR_NOMEM and backend/clock failures.
 */
tsvc_status tsvc__ades_bt_check(tsvc_ctx *ctx, tsvc_report *r, int parent, const tsvc__cms *cms,
                                size_t signer_index, tsvc_store *store,
                                const tsvc_tsp_verify_options *opts, tsvc__bt_result *out,
                                tsvc_error **err);

#endif /* TSVC_ADES_BT_H */
