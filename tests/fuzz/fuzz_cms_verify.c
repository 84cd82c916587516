/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for CMS / CAdES verification against a fixed store: the
 * test root of tests/data/cms (copied below) as the only trust anchor, a
 * fixed validation time, the default algorithm policy, the signature and
 * the seal profiles, embedded content or a fixed detached content.
 * Invariants (abort() on violation): tsvc_verify() runs (TSVC_OK) on any
 * input, every signer gets an indication, PASSED signers have a
 * certificate, and the JSON report is produced.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "trustsvc/verify.h"

static const char root_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDMTCCAhmgAwIBAgIBATANBgkqhkiG9w0BAQsFADA6MQswCQYDVQQGEwJKUDES\n"
    "MBAGA1UECgwJVFNWQyBUZXN0MRcwFQYDVQQDDA5UU1ZDIFRlc3QgUm9vdDAeFw0y\n"
    "NjExMjIwMDM2NDNaFw0zNjExMTkwMDM2NDNaMDoxCzAJBgNVBAYTAkpQMRIwEAYD\n"
    "VQQKDAlUU1ZDIFRlc3QxFzAVBgNVBAMMDlRTVkMgVGVzdCBSb290MIIBIjANBgkq\n"
    "hkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAl1gO4QpYwauDYHxcurKJrLTwHPnIjd9h\n"
    "Fkr6CrLtBAZCSyUGqlRjd3RkVY37bxyDR7SOdZGBmJ2rN/IHxlhEbg7GNFvkVN7a\n"
    "IYG8qEP2JjsifgFBUquDuH0EG/7aUsjjNUT9KkPns+QeoKOxZ5/2g8OMrduQ1c4a\n"
    "9SAyWV4u6aAj7xMgTrHrtQ7p4aTceV1Ew42gtsp6I2u8gpOkjp0cSkWxuIYOKV4l\n"
    "kEfofHaHfSJvJRC1FvSsanAsFmtMHkviHAy2KKbFy6VYQSCKy8rfzd66RUolXAQa\n"
    "Z1yHafDeON8hbPh2zK/O66618AflH+t9hNmh6QLnAkb4P1wJizjS9QIDAQABo0Iw\n"
    "QDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUZQ5I\n"
    "9v3/LzvQP16Iotk7u7bKQb0wDQYJKoZIhvcNAQELBQADggEBACu6nxIbj5LD6lsB\n"
    "5OmaFlUbjgqdh2HK7fb0xD0WA/rMNLQYykfJmvXJs1jHn95OOLA7uaUuHIEpbW0b\n"
    "vqaX2oxgARvYEdVOM97ah4lLMS1BR8dHA4QqbClNyqLA6Clw3D0sRnXbuQGFAr7L\n"
    "vbNxAgWsjPW3Zke8WW1aoIg1ZjLjqpsfnPpu1j1HOCw/Vr1wpiVlft3cmId/B17i\n"
    "Fk4GgGGhZSYjtd3atxa0FvwHTFx4tONmyIiyUqumNgOAjeThl9LiK5o1yI9d3Qh8\n"
    "7ge4opWuzF+7xDqzvPcOGUy0DMhOGWagnC4yh5SUZAJTYOUeoJZ3rn7upKUvUltJ\n"
    "Qt96AUA=\n"
    "-----END CERTIFICATE-----\n";

static const char content[] = "libtrustsvc CAdES test content\n";

static void check(bool ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tsvc_ctx *ctx;
    static tsvc_store *store;
    static tsvc_policy *policy;
    if (ctx == NULL) {
        tsvc_cert *root = NULL;
        if (tsvc_ctx_new(&ctx, NULL, NULL) != TSVC_OK ||
            tsvc_cert_parse(ctx, &root, (const uint8_t *)root_pem, sizeof(root_pem) - 1, NULL) !=
                TSVC_OK ||
            tsvc_store_new(ctx, &store, NULL) != TSVC_OK ||
            tsvc_store_add_anchor(store, root, NULL) != TSVC_OK ||
            tsvc_policy_new(ctx, &policy, NULL) != TSVC_OK ||
            tsvc_policy_set_time(policy, tsvc_cert_not_before(root) + 86400, NULL) != TSVC_OK)
            abort();
        tsvc_cert_free(root);
    }
    for (int round = 0; round < 2; round++) {
        tsvc_sig_report *r = NULL;
        tsvc_verify_options vo = TSVC_VERIFY_OPTIONS_INIT;
        tsvc_buf js = TSVC_BUF_INIT;
        vo.profile = round == 0 ? TSVC_VERIFY_SIGNATURE : TSVC_VERIFY_SEAL;
        tsvc_status st = tsvc_verify(ctx, &r, data, size, NULL, 0, store, policy, &vo, NULL);
        if (st == TSVC_ERR_NOMEM)
            return 0;
        check(st == TSVC_OK && r != NULL);
        for (size_t i = 0; i < tsvc_sig_report_num_signers(r); i++) {
            tsvc_indication ind = tsvc_sig_report_signer_indication(r, i);
            check(ind != TSVC_INDICATION_NONE);
            if (ind == TSVC_INDICATION_PASSED)
                check(tsvc_sig_report_signer_cert(r, i) != NULL);
        }
        check(tsvc_sig_report_to_json(r, &js, NULL) == TSVC_OK && js.data != NULL);
        tsvc_buf_dispose(&js);
        tsvc_sig_report_free(r);
        /* Detached content given: only when none is embedded. */
        st = tsvc_verify(ctx, &r, data, size, (const uint8_t *)content, sizeof(content) - 1, store,
                         policy, &vo, NULL);
        check(st == TSVC_OK || st == TSVC_ERR_CMS_NO_CONTENT || st == TSVC_ERR_NOMEM);
        tsvc_sig_report_free(r);
    }
    return 0;
}
