/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * tsvc validate: certificate path validation with CRL/OCSP.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"
#include "keys.h"

#include <string.h>

static const opt_spec validate_opts[] = {
    {"trust", 't', OPT_VALUE, "FILE", "trust anchors (PEM bundle or DER certificate)"},
    {"untrusted", 'u', OPT_MULTI, "FILE", "intermediate certificates for path building"},
    {"crl", 0, OPT_MULTI, "FILE", "CRL to check revocation with"},
    {"ocsp", 0, OPT_MULTI, "FILE", "OCSP response to check revocation with"},
    {"revocation", 0, OPT_VALUE, "MODE",
     "none, soft or hard (default: soft when --crl/--ocsp are given, else none)"},
    {"fetch", 0, OPT_FLAG, NULL, "fetch missing CRLs/OCSP responses over HTTP"},
    {"at", 0, OPT_VALUE, "TIME", "validation time (default: now)"},
    {"eku", 0, OPT_MULTI, "OID",
     "required extended key usage: an OID or serverAuth, clientAuth, codeSigning, "
     "emailProtection, timeStamping, OCSPSigning"},
    {"key-usage", 0, OPT_VALUE, "LIST", "required key usages, e.g. nonRepudiation"},
    {"hostname", 0, OPT_VALUE, "H", "the leaf must be valid for this DNS name or IP address"},
    {"algorithms", 0, OPT_VALUE, "SET",
     "check algorithms and key sizes: default (ETSI TS 119 312), iot (also Ed25519), any"},
    {"all-checks", 0, OPT_FLAG, NULL, "print every check, not only the failed ones"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command validate_cmd = {
    "validate", "--trust ANCHORS [options] CERT",
    "Validates a certificate: builds a path to a trust anchor and checks it (RFC 5280).",
    "Exit status 0 when PASSED, 1 when FAILED or INDETERMINATE.", validate_opts, 1, 1};

int cmd_validate(int argc, char **argv)
{
    opt_result r;
    bool help;
    int rc = opts_parse(&validate_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *trust = opt_get(&validate_cmd, &r, "trust");
    const char *host = opt_get(&validate_cmd, &r, "hostname");
    const char *kul = opt_get(&validate_cmd, &r, "key-usage");
    if (trust == NULL)
        return usage_error(&validate_cmd, "--trust is required (the trust anchors)");
    for (int i = 0; i < opt_count(&validate_cmd, &r, "eku"); i++) {
        const char *oid;
        if (!parse_eku(opt_at(&validate_cmd, &r, "eku", i), &oid))
            return usage_error(&validate_cmd, "bad --eku '%s'",
                               opt_at(&validate_cmd, &r, "eku", i));
    }
    uint32_t ku = 0;
    if (kul != NULL && !parse_key_usage(kul, &ku))
        return usage_error(&validate_cmd, "unknown key usage in '%s'", kul);

    tsvc_policy *policy = NULL;
    tsvc_algorithm_policy *algs = NULL;
    tsvc_store *store = NULL;
    tsvc_cert *leaf = NULL;
    tsvc_report *rep = NULL;
    tsvc_error *err = NULL;
    tsvc_status st = TSVC_OK;
    bool rev_on = false;
    if ((rc = policy_from_options(&validate_cmd, &r, &policy, &rev_on)) != 0)
        goto out;
    if ((rc = algorithm_policy_from_options(&validate_cmd, &r, &algs)) != 0)
        goto out;
    for (int i = 0; st == TSVC_OK && i < opt_count(&validate_cmd, &r, "eku"); i++) {
        const char *oid = NULL;
        (void)parse_eku(opt_at(&validate_cmd, &r, "eku", i), &oid);
        st = tsvc_policy_add_eku_oid(policy, oid, &err);
    }
    if (st == TSVC_OK && ku != 0)
        st = tsvc_policy_set_key_usage(policy, ku, &err);
    if (st == TSVC_OK && host != NULL) {
        bool ip = strchr(host, ':') != NULL || strspn(host, "0123456789.") == strlen(host);
        st = tsvc_policy_add_peer_name(policy, ip ? TSVC_PEER_IP : TSVC_PEER_DNS, host, &err);
    }
    if (st == TSVC_OK && algs != NULL)
        st = tsvc_policy_set_algorithm_policy(policy, algs, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot set the validation policy");
        goto out;
    }
    if ((rc = build_store(&validate_cmd, &r, &store)) != 0)
        goto out;
    if ((rc = load_cert(r.pos[0], &leaf)) != 0)
        goto out;
    st = tsvc_validate(cli_ctx(), &rep, leaf, store, policy, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot validate %s", r.pos[0]);
        goto out;
    }
    int ind = tsvc_report_indication(rep);
    if (g_json) {
        tsvc_buf js = TSVC_BUF_INIT;
        if ((st = tsvc_report_to_json(rep, &js, &err)) != TSVC_OK) {
            rc = fail_lib(st, err, "cannot write the report as JSON");
            goto out;
        }
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "file", r.pos[0]);
        jw_str(&w, "indication", tsvc_indication_str(ind));
        jw_raw(&w, "report", (const char *)js.data, js.len);
        jw_end_obj(&w);
        tsvc_buf_dispose(&js);
        if ((rc = jw_print(&w)) != 0)
            goto out;
    } else {
        char subj[512], when[40];
        cert_subject(leaf, subj, sizeof(subj));
        printf("%sCertificate validation: %s%s\n", c_bold(), r.pos[0], c_off());
        printf("  Certificate:  %s\n", subj);
        printf("  Indication:   %s%s%s%s", c_bold(), indication_colour(ind),
               tsvc_indication_str(ind), c_off());
        if (ind != TSVC_INDICATION_PASSED)
            printf(" / %s", tsvc_subindication_str(tsvc_report_subindication(rep)));
        printf("\n");
        format_time(tsvc_report_time(rep), when, sizeof(when));
        printf("  Validated at: %s\n", when);
        printf("  Chain:\n");
        print_chain(rep, "    ");
        printf("  Revocation:\n");
        if (rev_on)
            print_revocation(rep, "    ");
        else
            printf("    not checked (give --crl or --ocsp files)\n");
        if (ind != TSVC_INDICATION_PASSED) {
            printf("  %sReason:       %s%s\n", indication_colour(ind), tsvc_report_reason(rep),
                   c_off());
            printf("  Failed checks:\n");
            print_checks(rep, "    ", true);
        }
        if (opt_flag(&validate_cmd, &r, "all-checks")) {
            printf("  Checks:\n");
            print_checks(rep, "    ", false);
        }
    }
    rc = ind == TSVC_INDICATION_PASSED ? EXIT_OK : EXIT_INVALID;
out:
    tsvc_report_free(rep);
    tsvc_cert_free(leaf);
    tsvc_store_free(store);
    tsvc_policy_free(policy);
    tsvc_algorithm_policy_free(algs);
    return rc;
}
