/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * The issuing side of revocation: tsvc crl make and tsvc ocsp respond.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"
#include "keys.h"

#include <stdlib.h>
#include <string.h>

bool parse_reason(const char *t, tsvc_crl_reason *out)
{
    static const struct {
        const char *name;
        tsvc_crl_reason reason;
    } reasons[] = {
        {"unspecified", TSVC_REASON_UNSPECIFIED},
        {"keyCompromise", TSVC_REASON_KEY_COMPROMISE},
        {"cACompromise", TSVC_REASON_CA_COMPROMISE},
        {"affiliationChanged", TSVC_REASON_AFFILIATION_CHANGED},
        {"superseded", TSVC_REASON_SUPERSEDED},
        {"cessationOfOperation", TSVC_REASON_CESSATION_OF_OPERATION},
        {"certificateHold", TSVC_REASON_CERTIFICATE_HOLD},
        {"privilegeWithdrawn", TSVC_REASON_PRIVILEGE_WITHDRAWN},
        {"aACompromise", TSVC_REASON_AA_COMPROMISE},
        {"none", TSVC_REASON_NONE},
    };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(t, reasons[i].name) == 0) {
            *out = reasons[i].reason;
            return true;
        }
    return false;
}

/* Serial text (hex magnitude) -> INTEGER contents octets. */
static bool serial_from_hex(const char *hex, uint8_t *out, size_t *len)
{
    uint8_t mag[21];
    size_t n = 0;
    if (!hex_decode(hex, mag, 20, &n))
        return false;
    size_t i = 0;
    while (i + 1 < n && mag[i] == 0)
        i++;
    if (mag[i] == 0 && i + 1 == n)
        return false; /* zero */
    size_t o = 0;
    if (mag[i] & 0x80)
        out[o++] = 0;
    memcpy(out + o, mag + i, n - i);
    *len = o + n - i;
    return *len <= 20;
}

/* "SPEC[:REASON]": splits off the reason. */
static bool split_reason(const char *spec, char *head, size_t size, tsvc_crl_reason *reason)
{
    const char *colon = strrchr(spec, ':');
    *reason = TSVC_REASON_NONE;
    if (colon != NULL && parse_reason(colon + 1, reason)) {
        size_t n = (size_t)(colon - spec);
        if (n + 1 > size)
            return false;
        memcpy(head, spec, n);
        head[n] = '\0';
        return true;
    }
    if (strlen(spec) + 1 > size)
        return false;
    strcpy(head, spec);
    return true;
}

static bool parse_days(const char *s, long *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 1 || v > 3650)
        return false;
    *out = v;
    return true;
}

/* ------------------------------------------------------------------ */
/* crl make                                                             */
/* ------------------------------------------------------------------ */

static const opt_spec crl_opts[] = {
    {"ca-cert", 0, OPT_VALUE, "FILE", "the issuing CA's certificate"},
    {"ca-key", 0, OPT_VALUE, "FILE|URI", "the CA's private key (file or pkcs11: URI)"},
    {"revoke", 0, OPT_MULTI, "SERIAL[:REASON]",
     "revoke a serial number (hex), e.g. 1007:keyCompromise"},
    {"revoke-cert", 0, OPT_MULTI, "FILE[:REASON]", "revoke the certificate in FILE"},
    {"number", 0, OPT_VALUE, "N", "cRLNumber (default 1)"},
    {"days", 0, OPT_VALUE, "N", "nextUpdate = thisUpdate + N days (default 7)"},
    {"revoked-at", 0, OPT_VALUE, "TIME", "revocation date of the entries (default: now)"},
    {"out", 'o', OPT_VALUE, "FILE", "output file"},
    {"der", 0, OPT_FLAG, NULL, "write DER instead of PEM"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command crl_cmd = {
    "crl make", "--ca-cert C --ca-key K [--revoke SERIAL[:REASON]]... -o OUT",
    "Issues a certificate revocation list (X.509 v2 CRL, RFC 5280) signed by the CA.",
    "Reasons: unspecified, keyCompromise, cACompromise, affiliationChanged,\n"
    "superseded, cessationOfOperation, certificateHold, privilegeWithdrawn,\n"
    "aACompromise.",
    crl_opts, 0, 0};

int cmd_crl(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "make") != 0 && strcmp(argv[0], "--help") != 0 &&
                     strcmp(argv[0], "-h") != 0)) {
        fprintf(stderr, "usage: tsvc crl make --ca-cert C --ca-key K -o OUT (see tsvc crl make "
                        "--help)\n");
        return EXIT_USAGE;
    }
    if (strcmp(argv[0], "make") == 0) {
        argc--;
        argv++;
    }
    g_cmd = "tsvc crl make";
    opt_result r;
    bool help;
    int rc = opts_parse(&crl_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *cap = opt_get(&crl_cmd, &r, "ca-cert");
    const char *kp = opt_get(&crl_cmd, &r, "ca-key");
    const char *outp = opt_get(&crl_cmd, &r, "out");
    const char *num_s = opt_get(&crl_cmd, &r, "number");
    const char *days_s = opt_get(&crl_cmd, &r, "days");
    const char *at_s = opt_get(&crl_cmd, &r, "revoked-at");
    if (cap == NULL || kp == NULL || outp == NULL)
        return usage_error(&crl_cmd, "--ca-cert, --ca-key and --out are required");
    long days = 7;
    if (days_s != NULL && !parse_days(days_s, &days))
        return usage_error(&crl_cmd, "--days must be 1..3650");
    uint64_t number = 1;
    if (num_s != NULL) {
        char *end = NULL;
        unsigned long long v = strtoull(num_s, &end, 10);
        if (end == num_s || *end != '\0' || num_s[0] == '-')
            return usage_error(&crl_cmd, "--number must be a non-negative number");
        number = v;
    }
    int64_t now = now_seconds(), revoked_at = now;
    if (at_s != NULL && !parse_time(at_s, &revoked_at))
        return usage_error(&crl_cmd, "bad --revoked-at '%s'", at_s);
    for (int i = 0; i < opt_count(&crl_cmd, &r, "revoke"); i++) {
        char head[128];
        tsvc_crl_reason reason;
        uint8_t serial[21];
        size_t sl;
        if (!split_reason(opt_at(&crl_cmd, &r, "revoke", i), head, sizeof(head), &reason) ||
            !serial_from_hex(head, serial, &sl))
            return usage_error(&crl_cmd, "bad --revoke '%s' (hex serial, then :REASON)",
                               opt_at(&crl_cmd, &r, "revoke", i));
    }

    tsvc_cert *ca = NULL;
    tsvc_key *key = NULL;
    tsvc_crl_builder *b = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st;
    size_t entries = 0;
    if ((rc = load_cert(cap, &ca)) != 0 || (rc = load_key(kp, &key)) != 0)
        goto out;
    st = tsvc_crl_builder_new(cli_ctx(), &b, ca, key, &err);
    if (st == TSVC_OK)
        st = tsvc_crl_builder_set_times(b, now, now + (int64_t)days * 86400, &err);
    if (st == TSVC_OK)
        st = tsvc_crl_builder_set_number(b, number, &err);
    for (int i = 0; st == TSVC_OK && i < opt_count(&crl_cmd, &r, "revoke"); i++) {
        char head[128];
        tsvc_crl_reason reason;
        uint8_t serial[21];
        size_t sl = 0;
        (void)split_reason(opt_at(&crl_cmd, &r, "revoke", i), head, sizeof(head), &reason);
        (void)serial_from_hex(head, serial, &sl);
        st = tsvc_crl_builder_add(b, serial, sl, revoked_at, reason, &err);
        entries++;
    }
    for (int i = 0; st == TSVC_OK && i < opt_count(&crl_cmd, &r, "revoke-cert"); i++) {
        char head[4096];
        tsvc_crl_reason reason;
        tsvc_cert *c = NULL;
        if (!split_reason(opt_at(&crl_cmd, &r, "revoke-cert", i), head, sizeof(head), &reason)) {
            rc = usage_error(&crl_cmd, "bad --revoke-cert");
            goto out;
        }
        if ((rc = load_cert(head, &c)) != 0)
            goto out;
        size_t sl = 0;
        const uint8_t *s = tsvc_cert_serial(c, &sl);
        st = tsvc_crl_builder_add(b, s, sl, revoked_at, reason, &err);
        tsvc_cert_free(c);
        entries++;
    }
    if (st == TSVC_OK)
        st = tsvc_crl_builder_finish(b, &der, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot make the CRL");
        goto out;
    }
    if ((rc = write_der_or_pem(outp, "X509 CRL", der.data, der.len,
                               !opt_flag(&crl_cmd, &r, "der"))) != 0)
        goto out;
    char subj[512];
    cert_subject(ca, subj, sizeof(subj));
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "out", outp);
        jw_str(&w, "issuer", subj);
        jw_int(&w, "number", (int64_t)number);
        jw_int(&w, "entries", (int64_t)entries);
        jw_time(&w, "this_update", now);
        jw_time(&w, "next_update", now + (int64_t)days * 86400);
        jw_end_obj(&w);
        rc = jw_print(&w);
    } else {
        char nu[40];
        format_time(now + (int64_t)days * 86400, nu, sizeof(nu));
        printf("CRL #%llu of %s -> %s (%zu revoked, next update %s)\n",
               (unsigned long long)number, subj, outp, entries, nu);
    }
out:
    tsvc_buf_dispose(&der);
    tsvc_crl_builder_free(b);
    tsvc_key_free(key);
    tsvc_cert_free(ca);
    return rc;
}

/* ------------------------------------------------------------------ */
/* ocsp respond                                                         */
/* ------------------------------------------------------------------ */

static const opt_spec ocsp_opts[] = {
    {"issuer", 0, OPT_VALUE, "FILE", "the CA that issued the certificate"},
    {"cert", 0, OPT_VALUE, "FILE", "the certificate the response is about"},
    {"serial", 0, OPT_VALUE, "HEX", "or its serial number"},
    {"signer-cert", 0, OPT_VALUE, "FILE", "delegated responder's certificate (OCSPSigning)"},
    {"signer-key", 0, OPT_VALUE, "FILE|URI", "the responder's key (or the CA's, without --signer-cert)"},
    {"status", 0, OPT_VALUE, "STATUS", "good (default), revoked or unknown"},
    {"crl", 0, OPT_VALUE, "FILE", "take the status from this CRL instead"},
    {"revoked-at", 0, OPT_VALUE, "TIME", "revocation time (status revoked; default now)"},
    {"reason", 0, OPT_VALUE, "REASON", "revocation reason (status revoked)"},
    {"days", 0, OPT_VALUE, "N", "nextUpdate = thisUpdate + N days (default 7)"},
    {"nonce", 0, OPT_VALUE, "HEX", "nonce to echo (from the request)"},
    {"out", 'o', OPT_VALUE, "FILE", "output file (DER OCSPResponse)"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command ocsp_cmd = {
    "ocsp respond", "--issuer CA (--cert F | --serial HEX) --signer-key K [options] -o OUT",
    "Makes a signed OCSP response (RFC 6960) about one certificate, e.g. to serve\n"
    "pre-generated responses from a CDN or to staple them.",
    "Without --signer-cert the CA signs the response itself with --signer-key.",
    ocsp_opts, 0, 0};

int cmd_ocsp(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "respond") != 0 && strcmp(argv[0], "--help") != 0 &&
                     strcmp(argv[0], "-h") != 0)) {
        fprintf(stderr, "usage: tsvc ocsp respond --issuer CA --cert F --signer-key K -o OUT "
                        "(see tsvc ocsp respond --help)\n");
        return EXIT_USAGE;
    }
    if (strcmp(argv[0], "respond") == 0) {
        argc--;
        argv++;
    }
    g_cmd = "tsvc ocsp respond";
    opt_result r;
    bool help;
    int rc = opts_parse(&ocsp_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *issp = opt_get(&ocsp_cmd, &r, "issuer");
    const char *certp = opt_get(&ocsp_cmd, &r, "cert");
    const char *serial_s = opt_get(&ocsp_cmd, &r, "serial");
    const char *scp = opt_get(&ocsp_cmd, &r, "signer-cert");
    const char *skp = opt_get(&ocsp_cmd, &r, "signer-key");
    const char *status_s = opt_get(&ocsp_cmd, &r, "status");
    const char *crlp = opt_get(&ocsp_cmd, &r, "crl");
    const char *at_s = opt_get(&ocsp_cmd, &r, "revoked-at");
    const char *reason_s = opt_get(&ocsp_cmd, &r, "reason");
    const char *days_s = opt_get(&ocsp_cmd, &r, "days");
    const char *nonce_s = opt_get(&ocsp_cmd, &r, "nonce");
    const char *outp = opt_get(&ocsp_cmd, &r, "out");
    if (issp == NULL || skp == NULL || outp == NULL)
        return usage_error(&ocsp_cmd, "--issuer, --signer-key and --out are required");
    if ((certp == NULL) == (serial_s == NULL))
        return usage_error(&ocsp_cmd, "give exactly one of --cert and --serial");
    if (status_s != NULL && crlp != NULL)
        return usage_error(&ocsp_cmd, "give --status or --crl, not both");
    tsvc_cert_status status = TSVC_CERT_STATUS_GOOD;
    if (status_s != NULL) {
        if (strcmp(status_s, "good") == 0)
            status = TSVC_CERT_STATUS_GOOD;
        else if (strcmp(status_s, "revoked") == 0)
            status = TSVC_CERT_STATUS_REVOKED;
        else if (strcmp(status_s, "unknown") == 0)
            status = TSVC_CERT_STATUS_UNKNOWN;
        else
            return usage_error(&ocsp_cmd, "unknown --status '%s' (good, revoked, unknown)",
                               status_s);
    }
    tsvc_crl_reason reason = TSVC_REASON_NONE;
    if (reason_s != NULL && !parse_reason(reason_s, &reason))
        return usage_error(&ocsp_cmd, "unknown --reason '%s'", reason_s);
    long days = 7;
    if (days_s != NULL && !parse_days(days_s, &days))
        return usage_error(&ocsp_cmd, "--days must be 1..3650");
    int64_t now = now_seconds(), revoked_at = now;
    if (at_s != NULL && !parse_time(at_s, &revoked_at))
        return usage_error(&ocsp_cmd, "bad --revoked-at '%s'", at_s);
    uint8_t serial[21], nonce[64];
    size_t serial_len = 0, nonce_len = 0;
    if (serial_s != NULL && !serial_from_hex(serial_s, serial, &serial_len))
        return usage_error(&ocsp_cmd, "bad --serial '%s' (hexadecimal)", serial_s);
    if (nonce_s != NULL && !hex_decode(nonce_s, nonce, 32, &nonce_len))
        return usage_error(&ocsp_cmd, "bad --nonce (1 to 32 bytes of hexadecimal)");

    tsvc_cert *issuer = NULL, *signer = NULL, *subject = NULL;
    tsvc_key *key = NULL;
    tsvc_crl *crl = NULL;
    tsvc_ocsp_response_builder *b = NULL;
    tsvc_buf der = TSVC_BUF_INIT, crl_data = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st;
    if ((rc = load_cert(issp, &issuer)) != 0 || (rc = load_key(skp, &key)) != 0)
        goto out;
    if (scp != NULL && (rc = load_cert(scp, &signer)) != 0)
        goto out;
    if (certp != NULL) {
        if ((rc = load_cert(certp, &subject)) != 0)
            goto out;
        size_t sl = 0;
        const uint8_t *s = tsvc_cert_serial(subject, &sl);
        if (sl > sizeof(serial)) {
            rc = fail("the serial number of %s is too long", certp);
            goto out;
        }
        memcpy(serial, s, sl);
        serial_len = sl;
    }
    if (crlp != NULL) {
        if ((rc = read_file(crlp, &crl_data)) != 0)
            goto out;
        st = tsvc_crl_parse(cli_ctx(), &crl, crl_data.data, crl_data.len, &err);
        if (st == TSVC_OK)
            st = tsvc_crl_verify(cli_ctx(), crl, issuer, now, 300, &err);
        if (st != TSVC_OK) {
            rc = fail_lib(st, err, "%s is not a usable CRL of that issuer", crlp);
            goto out;
        }
        int64_t when = 0;
        tsvc_crl_reason rr = TSVC_REASON_NONE;
        st = tsvc_crl_lookup(crl, serial, serial_len, &when, &rr, NULL);
        if (st == TSVC_OK) {
            status = TSVC_CERT_STATUS_REVOKED;
            revoked_at = when;
            reason = rr;
        } else {
            status = TSVC_CERT_STATUS_GOOD;
        }
    }
    st = tsvc_ocsp_response_builder_new(cli_ctx(), &b, issuer, signer != NULL ? signer : issuer,
                                        key, &err);
    if (st == TSVC_OK)
        st = tsvc_ocsp_response_builder_set_times(b, now, now, now + (int64_t)days * 86400,
                                                  &err);
    if (st == TSVC_OK && nonce_len > 0)
        st = tsvc_ocsp_response_builder_set_nonce(b, nonce, nonce_len, &err);
    if (st == TSVC_OK)
        st = tsvc_ocsp_response_builder_add(
            b, serial, serial_len, status, status == TSVC_CERT_STATUS_REVOKED ? revoked_at : 0,
            status == TSVC_CERT_STATUS_REVOKED ? reason : TSVC_REASON_NONE, &err);
    if (st == TSVC_OK)
        st = tsvc_ocsp_response_builder_finish(b, &der, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot make the OCSP response");
        goto out;
    }
    if ((rc = write_file(outp, der.data, der.len, false)) != 0)
        goto out;
    char hex[64];
    hex_encode(serial, serial_len, hex, sizeof(hex), 0);
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "out", outp);
        jw_str(&w, "serial", hex);
        jw_str(&w, "status", tsvc_cert_status_str(status));
        if (status == TSVC_CERT_STATUS_REVOKED) {
            jw_time(&w, "revoked_at", revoked_at);
            jw_str(&w, "reason", tsvc_crl_reason_str(reason));
        }
        jw_time(&w, "next_update", now + (int64_t)days * 86400);
        jw_end_obj(&w);
        rc = jw_print(&w);
    } else {
        printf("OCSP response for serial %s: %s -> %s\n", hex, tsvc_cert_status_str(status),
               outp);
    }
out:
    tsvc_buf_dispose(&der);
    dispose_file(&crl_data);
    tsvc_ocsp_response_builder_free(b);
    tsvc_crl_free(crl);
    tsvc_cert_free(subject);
    tsvc_cert_free(signer);
    tsvc_cert_free(issuer);
    tsvc_key_free(key);
    return rc;
}
