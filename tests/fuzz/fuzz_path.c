/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for certificate path validation over structured input.
 *
 * Input layout:
 *   byte 0         policy selector (profile, initial policy flags, EKU,
 *                  peer name; see make_policy())
 *   then blobs     each a 2-byte big-endian length and that many bytes
 *                  of certificate DER: the leaf first, then up to 12
 *                  intermediates, the trust anchor last (at least two
 *                  blobs; extra blobs are ignored).
 * Blobs that do not parse are skipped (the leaf must parse). The
 * validation time is fixed (2025-01-01T00:00:00Z, the time the chains of
 * tests/data/path are valid at) and the context carries tight budgets, so
 * every input finishes quickly.
 *
 * Invariants (abort() on violation): tsvc_validate() returns TSVC_OK with
 * a report; the indication is one of PASSED / FAILED / INDETERMINATE and
 * PASSED comes with sub-indication NONE, a chain that starts with the
 * leaf, has at most 14 certificates and ends with the anchor; every check
 * of the report is readable; the report serialises to JSON. The same
 * input validated twice against the same frozen store gives the same
 * indication (no hidden state).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_util.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"
#include "trustsvc/x509.h"

#define MAX_INTERMEDIATES 12
/* 2025-01-01T00:00:00Z */
#define WHEN INT64_C(1735689600)

static tsvc_ctx *path_ctx(void)
{
    static tsvc_ctx *c;
    if (c == NULL) {
        if (tsvc_ctx_new(&c, NULL, NULL) != TSVC_OK)
            abort();
        /* Budgets: enough for the committed chains, small enough that a
         * hostile mesh of cross-certificates finishes fast. */
        if (tsvc_ctx_set_limit(c, TSVC_LIMIT_CHAIN_DEPTH, 16, NULL) != TSVC_OK ||
            tsvc_ctx_set_limit(c, TSVC_LIMIT_SIG_CHECKS, 64, NULL) != TSVC_OK ||
            tsvc_ctx_set_limit(c, TSVC_LIMIT_PATH_ATTEMPTS, 512, NULL) != TSVC_OK ||
            tsvc_ctx_set_limit(c, TSVC_LIMIT_NC_COMPARISONS, 65536, NULL) != TSVC_OK ||
            tsvc_ctx_set_limit(c, TSVC_LIMIT_INPUT_SIZE, 1u << 20, NULL) != TSVC_OK)
            abort();
    }
    return c;
}

static tsvc_policy *make_policy(tsvc_ctx *ctx, uint8_t sel)
{
    tsvc_policy *pol = NULL;
    fuzz_check(tsvc_policy_new(ctx, &pol, NULL) == TSVC_OK);
    fuzz_check(tsvc_policy_set_time(pol, WHEN, NULL) == TSVC_OK);
    switch (sel & 3) {
    case 1:
        fuzz_check(tsvc_policy_set_profile(pol, TSVC_PROFILE_SERVER, NULL) == TSVC_OK);
        fuzz_check(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "www.example.com", NULL) ==
                   TSVC_OK);
        break;
    case 2:
        fuzz_check(tsvc_policy_set_profile(pol, TSVC_PROFILE_CLIENT, NULL) == TSVC_OK);
        break;
    case 3:
        fuzz_check(tsvc_policy_add_eku(pol, TSVC_EKU_TIME_STAMPING, NULL) == TSVC_OK);
        break;
    default:
        break;
    }
    const uint32_t flags = (sel >> 2) & 7u;
    if (flags != 0)
        fuzz_check(tsvc_policy_set_flags(pol, flags, NULL) == TSVC_OK);
    if (sel & 0x20)
        fuzz_check(tsvc_policy_add_initial_policy(pol, "2.23.140.1.2.1", NULL) == TSVC_OK);
    if (sel & 0x40)
        fuzz_check(tsvc_policy_set_key_usage(pol, TSVC_KU_DIGITAL_SIGNATURE, NULL) == TSVC_OK);
    if (sel & 0x80)
        fuzz_check(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "192.0.2.1", NULL) == TSVC_OK);
    return pol;
}

/* Splits the blobs; returns how many were found (at most max). */
static size_t split(const uint8_t *data, size_t size, const uint8_t **blob, size_t *blob_len,
                    size_t max)
{
    size_t n = 0, pos = 0;
    while (n < max && size - pos >= 2) {
        const size_t len = ((size_t)data[pos] << 8) | data[pos + 1];
        pos += 2;
        if (len > size - pos)
            break;
        blob[n] = data + pos;
        blob_len[n] = len;
        n++;
        pos += len;
    }
    return n;
}

static void check_report(const tsvc_report *r, const tsvc_cert *leaf, const tsvc_cert *anchor)
{
    const tsvc_indication ind = tsvc_report_indication(r);
    fuzz_check(ind == TSVC_INDICATION_PASSED || ind == TSVC_INDICATION_FAILED ||
               ind == TSVC_INDICATION_INDETERMINATE);
    fuzz_check(tsvc_indication_str((int)ind) != NULL);
    fuzz_check(tsvc_subindication_str((int)tsvc_report_subindication(r)) != NULL);
    (void)tsvc_report_status(r);
    (void)tsvc_report_reason(r);
    fuzz_check(tsvc_report_time(r) == WHEN);
    const size_t n = tsvc_report_chain_count(r);
    fuzz_check(n <= MAX_INTERMEDIATES + 2);
    for (size_t i = 0; i < n; i++)
        fuzz_check(tsvc_report_chain_cert(r, i) != NULL);
    fuzz_check(tsvc_report_chain_cert(r, n) == NULL);
    if (ind == TSVC_INDICATION_PASSED) {
        fuzz_check(tsvc_report_subindication(r) == TSVC_SUB_NONE);
        fuzz_check(n >= 1);
        size_t a = 0, b = 0;
        const uint8_t *pa = tsvc_cert_der(tsvc_report_chain_cert(r, 0), &a);
        const uint8_t *pb = tsvc_cert_der(leaf, &b);
        fuzz_check(a == b && memcmp(pa, pb, a) == 0);
        fuzz_check(anchor != NULL);
        pa = tsvc_cert_der(tsvc_report_chain_cert(r, n - 1), &a);
        pb = tsvc_cert_der(anchor, &b);
        fuzz_check(a == b && memcmp(pa, pb, a) == 0);
    }
    const size_t nc = tsvc_report_num_checks(r);
    for (size_t i = 0; i < nc; i++) {
        fuzz_check(tsvc_report_check_name(r, i) != NULL);
        fuzz_check(tsvc_check_result_str((int)tsvc_report_check_result(r, i)) != NULL);
        (void)tsvc_report_check_message(r, i);
        const int c = tsvc_report_check_cert(r, i);
        fuzz_check(c >= -1);
        (void)tsvc_report_check_parent(r, i);
    }
    tsvc_buf json = TSVC_BUF_INIT;
    fuzz_check(tsvc_report_to_json(r, &json, NULL) == TSVC_OK);
    fuzz_check(json.len > 0 && json.data[0] == '{' && json.data[json.len] == '\0');
    tsvc_buf_dispose(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *blob[MAX_INTERMEDIATES + 3];
    size_t blob_len[MAX_INTERMEDIATES + 3];
    tsvc_cert *certs[MAX_INTERMEDIATES + 3] = {NULL};
    tsvc_ctx *ctx = path_ctx();
    tsvc_store *store = NULL;
    tsvc_policy *pol = NULL;
    tsvc_report *r1 = NULL, *r2 = NULL;

    if (size < 1)
        return 0;
    const size_t n = split(data + 1, size - 1, blob, blob_len, MAX_INTERMEDIATES + 2);
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tsvc_cert_parse(ctx, &certs[i], blob[i], blob_len[i], NULL) != TSVC_OK)
            certs[i] = NULL;
    tsvc_cert *leaf = certs[0], *anchor = certs[n - 1];
    if (leaf == NULL)
        goto out;

    fuzz_check(tsvc_store_new(ctx, &store, NULL) == TSVC_OK);
    if (anchor != NULL && tsvc_store_add_anchor(store, anchor, NULL) != TSVC_OK)
        anchor = NULL;
    for (size_t i = 1; i + 1 < n; i++)
        if (certs[i] != NULL)
            (void)tsvc_store_add_intermediate(store, certs[i], NULL);
    tsvc_store_freeze(store);
    fuzz_check(tsvc_store_is_frozen(store));

    pol = make_policy(ctx, data[0]);
    fuzz_check(tsvc_validate(ctx, &r1, leaf, store, pol, NULL) == TSVC_OK && r1 != NULL);
    check_report(r1, leaf, anchor);
    /* Again, against the same frozen store and policy: same outcome. */
    fuzz_check(tsvc_validate(ctx, &r2, leaf, store, pol, NULL) == TSVC_OK && r2 != NULL);
    fuzz_check(tsvc_report_indication(r1) == tsvc_report_indication(r2));
    fuzz_check(tsvc_report_subindication(r1) == tsvc_report_subindication(r2));
    fuzz_check(tsvc_report_chain_count(r1) == tsvc_report_chain_count(r2));

out:
    tsvc_report_free(r1);
    tsvc_report_free(r2);
    tsvc_policy_free(pol);
    tsvc_store_free(store);
    for (size_t i = 0; i < n; i++)
        tsvc_cert_free(certs[i]);
    return 0;
}
