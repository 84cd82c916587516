/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for TimeStampReq parsing (tsvc_tsq_parse) and the TSA's
 * answer to any request bytes (tsvc_tsa_respond). Invariants (abort() on
 * violation):
 *  - a failure never leaves an object, and comes with error detail;
 *  - a request without extensions that parses re-encodes to the input;
 *  - the TSA answers every input with a response that parses: granted
 *    with a token exactly when the request parsed (and is acceptable),
 *    a rejection with a failInfo otherwise.
 * The TSA key and certificate are tests/data/tsp/tsa-ec.* (test material).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trustsvc/tsp.h"
#include "tsp/tsp.h"

static tsvc_ctx *ctx;
static tsvc_key *key;
static tsvc_cert *cert;
static tsvc_tsa *tsa;

static const char TSA_KEY[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgv+3jFAhrZ8SmcLAJ\n"
    "+iKyr2ZOUPQixVYiczhLwTbU1MehRANCAASpEFn/jifZ79hpebdVo2VNubw9IZEX\n"
    "MUro1ocWAKeTqmGx/QtwUm30CjTVM/w4GcEqXMpJD/oFHBDSCQvU+1AR\n"
    "-----END PRIVATE KEY-----\n";
static const char TSA_CERT[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIB6TCCAZCgAwIBAgIBCjAKBggqhkjOPQQDAjBBMQswCQYDVQQGEwJKUDEaMBgG\n"
    "A1UECgwRbGlidHJ1c3RzdmMgdGVzdHMxFjAUBgNVBAMMDVRTUCBUZXN0IFJvb3Qw\n"
    "HhcNMjYxMTIyMDA0NTAxWhcNNDYxMTE3MDA0NTAxWjBCMQswCQYDVQQGEwJKUDEa\n"
    "MBgGA1UECgwRbGlidHJ1c3RzdmMgdGVzdHMxFzAVBgNVBAMMDlRlc3QgVFNBIFAt\n"
    "MjU2MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqRBZ/44n2e/YaXm3VaNlTbm8\n"
    "PSGRFzFK6NaHFgCnk6phsf0LcFJt9Ao01TP8OBnBKlzKSQ/6BRwQ0gkL1PtQEaN4\n"
    "MHYwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCBsAwFgYDVR0lAQH/BAwwCgYI\n"
    "KwYBBQUHAwgwHQYDVR0OBBYEFCQdHcajG5A6YRLuzD2t1d1AQvTiMB8GA1UdIwQY\n"
    "MBaAFGeCgYkN6Bx3HWW1UVVkybiZxiyMMAoGCCqGSM49BAMCA0cAMEQCIFVWtNK+\n"
    "lb9U6eSgVTk2VpRvBwP6m4rttc9kT+Fp1iNBAiATB1f5EhbvJ63ClRLR6N8leDC2\n"
    "8dU296XJcno3mpYscA==\n"
    "-----END CERTIFICATE-----\n";

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void init(void)
{
    if (ctx != NULL)
        return;
    check(tsvc_ctx_new(&ctx, NULL, NULL) == TSVC_OK);
    check(tsvc_key_import(ctx, &key, (const uint8_t *)TSA_KEY, sizeof(TSA_KEY) - 1, NULL) ==
          TSVC_OK);
    check(tsvc_cert_parse(ctx, &cert, (const uint8_t *)TSA_CERT, sizeof(TSA_CERT) - 1, NULL) ==
          TSVC_OK);
    check(tsvc_tsa_new(ctx, &tsa, key, cert, "1.2.3.4.1", NULL) == TSVC_OK);
    check(tsvc_tsa_add_policy(tsa, "1.2.3.4.5", NULL) == TSVC_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_tsq *q = NULL;
    tsvc_error *err = NULL;
    init();
    tsvc_status st = tsvc_tsq_parse(ctx, &q, data, size, &err);
    if (st != TSVC_OK) {
        check(q == NULL);
        check(err != NULL && tsvc_error_code(err) == st);
        tsvc_error_free(err);
    } else {
        tsvc_buf der = TSVC_BUF_INIT;
        size_t n = 0;
        check(tsvc_tsq_digest(q, &n) != NULL && n == tsvc_hash_size(tsvc_tsq_hash_alg(q)));
        check(tsvc_tsq_encode(q, &der, NULL) == TSVC_OK);
        if (!q->has_extensions)
            check(der.len == size && memcmp(der.data, data, size) == 0);
        tsvc_buf_dispose(&der);
    }
    tsvc_buf resp = TSVC_BUF_INIT;
    tsvc_tsr *r = NULL;
    check(tsvc_tsa_respond(tsa, &resp, data, size, NULL) == TSVC_OK);
    check(tsvc_tsr_parse(ctx, &r, resp.data, resp.len, NULL) == TSVC_OK);
    if (tsvc_tsr_status(r) == TSVC_PKI_GRANTED) {
        check(q != NULL && tsvc_tsr_token(r) != NULL);
        size_t n1 = 0, n2 = 0;
        const uint8_t *a = tsvc_tst_nonce(tsvc_tsr_token(r), &n1);
        const uint8_t *b = tsvc_tsq_nonce(q, &n2);
        check(n1 == n2 && (n1 == 0 || memcmp(a, b, n1) == 0));
    } else {
        check(tsvc_tsr_status(r) == TSVC_PKI_REJECTION && tsvc_tsr_fail_info(r) != 0);
    }
    tsvc_tsr_free(r);
    tsvc_buf_dispose(&resp);
    tsvc_tsq_free(q);
    return 0;
}
