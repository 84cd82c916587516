/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * tsvc inspect: prints certificates, CRLs, OCSP responses, certificate
 * requests, keys (never their secret part), CMS signatures, time-stamp
 * responses and tokens, with the type detected from the contents.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <trustsvc/ltv.h>

#include <stdlib.h>
#include <string.h>

static const opt_spec inspect_opts[] = {
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command inspect_cmd = {
    "inspect", "FILE",
    "Prints a certificate (or PEM bundle), CRL, OCSP response, certificate request,\n"
    "public or private key, CMS signature, time-stamp response or token, readably.",
    "The type is detected from the contents (PEM or DER). Nothing is validated:\n"
    "use 'tsvc verify', 'tsvc validate' or 'tsvc timestamp verify' for that.\n"
    "Private keys are described (type, size), never printed.",
    inspect_opts, 1, 1};

/* ---- PEM bodies the library does not read itself (CMS) ---- */

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes the first PEM block with one of the labels into @p out (malloc). */
static bool pem_decode(const uint8_t *data, size_t len, const char *label, tsvc_buf *out)
{
    char begin[96], end[96];
    snprintf(begin, sizeof(begin), "-----BEGIN %s-----", label);
    snprintf(end, sizeof(end), "-----END %s-----", label);
    const char *text = (const char *)data;
    size_t bl = strlen(begin), el = strlen(end);
    size_t start = SIZE_MAX;
    for (size_t i = 0; i + bl <= len; i++)
        if (memcmp(text + i, begin, bl) == 0) {
            start = i + bl;
            break;
        }
    if (start == SIZE_MAX)
        return false;
    size_t stop = SIZE_MAX;
    for (size_t i = start; i + el <= len; i++)
        if (memcmp(text + i, end, el) == 0) {
            stop = i;
            break;
        }
    if (stop == SIZE_MAX)
        return false;
    uint8_t *buf = malloc((stop - start) / 4 * 3 + 3);
    if (buf == NULL)
        return false;
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = start; i < stop; i++) {
        int c = (unsigned char)text[i];
        if (c == '=')
            break;
        int v = b64val(c);
        if (v < 0)
            continue;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[n++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    out->data = buf;
    out->len = n;
    return n > 0;
}

/* ---- certificates ---- */

/* Type and size of a public key; releases it. */
static void describe_key(tsvc_pubkey *pub, const char **type, unsigned *bits)
{
    *type = key_type_name(tsvc_pubkey_type(pub));
    *bits = tsvc_pubkey_bits(pub);
    tsvc_pubkey_free(pub);
}

static const char *gn_type(tsvc_general_name_type t)
{
    switch (t) {
    case TSVC_GN_EMAIL: return "email";
    case TSVC_GN_DNS: return "dns";
    case TSVC_GN_URI: return "uri";
    case TSVC_GN_IP: return "ip";
    case TSVC_GN_DIRECTORY_NAME: return "dirname";
    default: return "other";
    }
}

static void gn_text(tsvc_general_name_type t, const uint8_t *v, size_t len, char *out,
                    size_t size)
{
    if (t == TSVC_GN_IP && len == 4)
        snprintf(out, size, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
    else if (t == TSVC_GN_IP && len == 16)
        hex_encode(v, len, out, size, ':');
    else if (t == TSVC_GN_DNS || t == TSVC_GN_EMAIL || t == TSVC_GN_URI)
        snprintf(out, size, "%.*s", (int)len, (const char *)v);
    else
        hex_encode(v, len, out, size, 0);
}

static void ku_text(uint32_t ku, char *out, size_t size)
{
    static const char *names[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                  "dataEncipherment", "keyAgreement",   "keyCertSign",
                                  "cRLSign",          "encipherOnly",   "decipherOnly"};
    out[0] = '\0';
    for (unsigned i = 0; i < 9; i++)
        if (ku & (1u << i)) {
            size_t l = strlen(out);
            snprintf(out + l, size - l, "%s%s", l ? ", " : "", names[i]);
        }
}

static const char *eku_name(const char *oid)
{
    static const struct {
        const char *oid, *name;
    } names[] = {
        {"1.3.6.1.5.5.7.3.1", "serverAuth"},   {"1.3.6.1.5.5.7.3.2", "clientAuth"},
        {"1.3.6.1.5.5.7.3.3", "codeSigning"},  {"1.3.6.1.5.5.7.3.4", "emailProtection"},
        {"1.3.6.1.5.5.7.3.8", "timeStamping"}, {"1.3.6.1.5.5.7.3.9", "OCSPSigning"},
        {"2.5.29.37.0", "anyExtendedKeyUsage"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(oid, names[i].oid) == 0)
            return names[i].name;
    return oid;
}

static void show_cert(const tsvc_cert *c, jw *w, size_t index, size_t count)
{
    char subj[1024], iss[1024], buf[1024], t1[40], t2[40];
    cert_subject(c, subj, sizeof(subj));
    cert_issuer(c, iss, sizeof(iss));
    size_t sl = 0;
    const uint8_t *serial = tsvc_cert_serial(c, &sl);
    char ser[128];
    hex_encode(serial, sl, ser, sizeof(ser), 0);
    tsvc_buf fp = TSVC_BUF_INIT;
    char fph[128] = "";
    if (tsvc_cert_fingerprint(c, &fp, TSVC_HASH_SHA256, NULL) == TSVC_OK)
        hex_encode(fp.data, fp.len, fph, sizeof(fph), ':');
    tsvc_buf_dispose(&fp);
    tsvc_pubkey *pub = NULL;
    const char *ktype = "unknown";
    unsigned kbits = 0;
    if (tsvc_cert_pubkey(c, &pub, NULL) == TSVC_OK)
        describe_key(pub, &ktype, &kbits);
    int ca = 0;
    int64_t pl = -1;
    bool has_bc = tsvc_cert_basic_constraints(c, &ca, &pl) != 0;
    uint32_t ku = 0;
    bool has_ku = tsvc_cert_key_usage(c, &ku) != 0;
    tsvc_buf org = TSVC_BUF_INIT, orgid = TSVC_BUF_INIT;
    (void)tsvc_cert_organization(c, &org, &orgid, NULL);
    uint32_t qc = tsvc_cert_qc_flags(c);
    int64_t now = now_seconds();
    const char *state = now < tsvc_cert_not_before(c)  ? "not yet valid"
                        : now > tsvc_cert_not_after(c) ? "expired"
                                                       : "within its validity period";
    format_time(tsvc_cert_not_before(c), t1, sizeof(t1));
    format_time(tsvc_cert_not_after(c), t2, sizeof(t2));

    if (w != NULL) {
        jw_obj(w, NULL);
        jw_str(w, "type", "certificate");
        jw_str(w, "subject", subj);
        jw_str(w, "issuer", iss);
        jw_str(w, "serial", ser);
        jw_int(w, "version", tsvc_cert_version(c));
        jw_time(w, "not_before", tsvc_cert_not_before(c));
        jw_time(w, "not_after", tsvc_cert_not_after(c));
        jw_str(w, "key", ktype);
        jw_int(w, "key_bits", kbits);
        jw_str(w, "signature", scheme_name(tsvc_cert_sig_scheme(c)));
        jw_str(w, "signature_hash", hash_name(tsvc_cert_sig_hash(c)));
        jw_bool(w, "self_issued", tsvc_cert_is_self_issued(c) != 0);
        jw_str(w, "sha256", fph);
        if (has_bc) {
            jw_bool(w, "ca", ca != 0);
            if (pl >= 0)
                jw_int(w, "path_len", pl);
        }
        if (has_ku) {
            ku_text(ku, buf, sizeof(buf));
            jw_str(w, "key_usage", buf);
        }
        jw_arr(w, "extended_key_usage");
        for (size_t i = 0; i < tsvc_cert_num_ekus(c); i++)
            if (tsvc_cert_eku(c, i, buf, sizeof(buf)) == TSVC_OK)
                jw_str(w, NULL, buf);
        jw_end_arr(w);
        jw_arr(w, "subject_alt_names");
        for (size_t i = 0; i < tsvc_cert_num_sans(c); i++) {
            tsvc_general_name_type t;
            const uint8_t *v;
            size_t vl;
            if (tsvc_cert_san(c, i, &t, &v, &vl) != TSVC_OK)
                continue;
            char txt[600];
            gn_text(t, v, vl, txt, sizeof(txt));
            snprintf(buf, sizeof(buf), "%s:%s", gn_type(t), txt);
            jw_str(w, NULL, buf);
        }
        jw_end_arr(w);
        jw_arr(w, "crl_uris");
        for (size_t i = 0; i < tsvc_cert_num_crl_uris(c); i++)
            jw_str(w, NULL, tsvc_cert_crl_uri(c, i));
        jw_end_arr(w);
        jw_arr(w, "ocsp_uris");
        for (size_t i = 0; i < tsvc_cert_num_ocsp_uris(c); i++)
            jw_str(w, NULL, tsvc_cert_ocsp_uri(c, i));
        jw_end_arr(w);
        jw_arr(w, "policies");
        for (size_t i = 0; i < tsvc_cert_num_policies(c); i++)
            if (tsvc_cert_policy(c, i, buf, sizeof(buf), NULL, NULL) == TSVC_OK)
                jw_str(w, NULL, buf);
        jw_end_arr(w);
        if (org.data != NULL)
            jw_strn(w, "organization", (const char *)org.data, org.len);
        if (orgid.data != NULL)
            jw_strn(w, "organization_identifier", (const char *)orgid.data, orgid.len);
        if (qc & TSVC_QC_PRESENT) {
            jw_obj(w, "qc_statements");
            jw_bool(w, "compliance", (qc & TSVC_QC_COMPLIANCE) != 0);
            jw_bool(w, "sscd", (qc & TSVC_QC_SSCD) != 0);
            jw_bool(w, "type_esign", (qc & TSVC_QC_TYPE_ESIGN) != 0);
            jw_bool(w, "type_eseal", (qc & TSVC_QC_TYPE_ESEAL) != 0);
            jw_bool(w, "type_web", (qc & TSVC_QC_TYPE_WEB) != 0);
            jw_bool(w, "natural_person", (qc & TSVC_QC_NATURAL_PERSON) != 0);
            jw_bool(w, "legal_person", (qc & TSVC_QC_LEGAL_PERSON) != 0);
            jw_end_obj(w);
        }
        jw_end_obj(w);
    } else {
        if (count > 1)
            printf("%sCertificate %zu of %zu%s\n", c_bold(), index + 1, count, c_off());
        else
            printf("%sCertificate%s\n", c_bold(), c_off());
        printf("  Subject:      %s\n", subj);
        printf("  Issuer:       %s%s\n", iss,
               tsvc_cert_is_self_issued(c) ? " (self-issued)" : "");
        printf("  Serial:       %s\n", ser);
        printf("  Validity:     %s .. %s (%s)\n", t1, t2, state);
        printf("  Public key:   %s, %u bits\n", ktype, kbits);
        printf("  Signature:    %s with %s\n", scheme_name(tsvc_cert_sig_scheme(c)),
               hash_name(tsvc_cert_sig_hash(c)));
        if (has_bc)
            printf("  CA:           %s%s\n", ca ? "yes" : "no",
                   ca && pl >= 0 ? (pl == 0 ? ", no CA below it" : ", path length limited")
                                 : "");
        if (has_ku) {
            ku_text(ku, buf, sizeof(buf));
            printf("  Key usage:    %s\n", buf);
        }
        for (size_t i = 0; i < tsvc_cert_num_ekus(c); i++)
            if (tsvc_cert_eku(c, i, buf, sizeof(buf)) == TSVC_OK) {
                int crit = 0;
                const uint8_t *v;
                size_t vl;
                (void)tsvc_cert_extension(c, &crit, &v, &vl, "2.5.29.37");
                printf("  %s %s%s\n", i == 0 ? "Ext. key use:" : "             ",
                       eku_name(buf), i == 0 && crit ? " (critical)" : "");
            }
        for (size_t i = 0; i < tsvc_cert_num_sans(c); i++) {
            tsvc_general_name_type t;
            const uint8_t *v;
            size_t vl;
            if (tsvc_cert_san(c, i, &t, &v, &vl) != TSVC_OK)
                continue;
            char txt[600];
            gn_text(t, v, vl, txt, sizeof(txt));
            printf("  %s %s:%s\n", i == 0 ? "Alt. names:  " : "             ", gn_type(t),
                   txt);
        }
        if (org.data != NULL || orgid.data != NULL)
            printf("  Organisation: %.*s%s%.*s%s\n", (int)org.len,
                   org.data ? (const char *)org.data : "", orgid.data ? " (" : "",
                   (int)orgid.len, orgid.data ? (const char *)orgid.data : "",
                   orgid.data ? ")" : "");
        if (qc & TSVC_QC_PRESENT)
            printf("  QC statements:%s%s%s%s%s%s%s\n",
                   qc & TSVC_QC_COMPLIANCE ? " QcCompliance" : "",
                   qc & TSVC_QC_SSCD ? " QcSSCD" : "",
                   qc & TSVC_QC_TYPE_ESIGN ? " type=esign" : "",
                   qc & TSVC_QC_TYPE_ESEAL ? " type=eseal" : "",
                   qc & TSVC_QC_TYPE_WEB ? " type=web" : "",
                   qc & TSVC_QC_NATURAL_PERSON ? " natural-person" : "",
                   qc & TSVC_QC_LEGAL_PERSON ? " legal-person" : "");
        for (size_t i = 0; i < tsvc_cert_num_policies(c); i++)
            if (tsvc_cert_policy(c, i, buf, sizeof(buf), NULL, NULL) == TSVC_OK)
                printf("  %s %s\n", i == 0 ? "Policies:    " : "             ", buf);
        for (size_t i = 0; i < tsvc_cert_num_crl_uris(c); i++)
            printf("  CRL:          %s\n", tsvc_cert_crl_uri(c, i));
        for (size_t i = 0; i < tsvc_cert_num_ocsp_uris(c); i++)
            printf("  OCSP:         %s\n", tsvc_cert_ocsp_uri(c, i));
        size_t kl = 0;
        const uint8_t *kid = tsvc_cert_subject_key_id(c, &kl);
        if (kid != NULL) {
            hex_encode(kid, kl, buf, sizeof(buf), ':');
            printf("  Subject key:  %s\n", buf);
        }
        kid = tsvc_cert_authority_key_id(c, &kl);
        if (kid != NULL) {
            hex_encode(kid, kl, buf, sizeof(buf), ':');
            printf("  Authority key:%s\n", buf);
        }
        printf("  SHA-256:      %s\n", fph);
    }
    tsvc_buf_dispose(&org);
    tsvc_buf_dispose(&orgid);
}

/* ---- CMS signatures ---- */

static void show_cms(const uint8_t *cms, size_t len, tsvc_sig_report *rep, bool detached,
                     jw *w)
{
    size_t n = tsvc_sig_report_num_signers(rep);
    if (w != NULL) {
        jw_obj(w, NULL);
        jw_str(w, "type", "cms-signature");
        jw_bool(w, "detached", detached);
        jw_arr(w, "signers");
    } else {
        printf("%sCMS signature (CAdES)%s\n", c_bold(), c_off());
        printf("  Content:      %s\n", detached ? "detached (not inside the file)" : "embedded");
        printf("  Signers:      %zu\n", n);
    }
    for (size_t i = 0; i < n; i++) {
        const tsvc_cert *sc = tsvc_sig_report_signer_cert(rep, i);
        char subj[1024] = "";
        if (sc != NULL)
            cert_subject(sc, subj, sizeof(subj));
        int64_t t = 0;
        bool has_t = tsvc_sig_report_signer_signing_time(rep, i, &t) != 0;
        const char *org = tsvc_sig_report_signer_organization(rep, i);
        const char *orgid = tsvc_sig_report_signer_organization_id(rep, i);
        const char *ct = tsvc_sig_report_signer_commitment_type(rep, i);
        /* Signature time-stamps: reported by a verification with no trust anchor. */
        tsvc_store *empty = NULL;
        tsvc_report *tr = NULL;
        size_t num_ts = 0;
        if (tsvc_store_new(cli_ctx(), &empty, NULL) == TSVC_OK &&
            tsvc_tst_verify_signature(cli_ctx(), &tr, cms, len, i, empty, NULL, NULL) ==
                TSVC_OK) {
            bool none = tsvc_report_indication(tr) == TSVC_INDICATION_INDETERMINATE &&
                        tsvc_report_subindication(tr) == TSVC_SUB_NO_POE;
            for (size_t k = 0; !none && k < tsvc_report_num_checks(tr); k++)
                if (tsvc_report_check_parent(tr, k) < 0 &&
                    strcmp(tsvc_report_check_name(tr, k), "signature-timestamp") == 0)
                    num_ts++;
        }
        /* The level, as long-term validation sees it (no anchor needed for that). */
        tsvc_ltv_report *lr = NULL;
        tsvc_ltv_options lo = TSVC_LTV_OPTIONS_INIT;
        lo.signer_index = i;
        const char *level = NULL;
        if (empty != NULL && tsvc_ltv_verify(cli_ctx(), &lr, cms, len, NULL, 0, empty, &lo,
                                             NULL) == TSVC_OK)
            level = tsvc_ltv_report_level(lr);
        if (level != NULL && strcmp(level, "B-B") == 0 && num_ts > 0)
            level = NULL; /* (detached content missing: the time-stamp count decides) */
        if (w != NULL) {
            jw_obj(w, NULL);
            jw_str(w, "signer", sc ? subj : NULL);
            jw_str(w, "level", level != NULL ? level : num_ts > 0 ? "B-T" : "B-B");
            if (has_t)
                jw_time(w, "claimed_signing_time", t);
            jw_str(w, "organization", org);
            jw_str(w, "organization_identifier", orgid);
            jw_str(w, "commitment_type", ct);
            jw_int(w, "signature_timestamps", (int64_t)num_ts);
            jw_end_obj(w);
        } else {
            printf("  %sSigner %zu%s\n", c_bold(), i + 1, c_off());
            printf("    Certificate:  %s\n", sc ? subj : "(not embedded)");
            if (org != NULL || orgid != NULL)
                printf("    Organisation: %s%s%s%s\n", org ? org : "", orgid ? " (" : "",
                       orgid ? orgid : "", orgid ? ")" : "");
            if (has_t) {
                char when[40];
                format_time(t, when, sizeof(when));
                printf("    Signing time: %s (claimed)\n", when);
            }
            if (ct != NULL)
                printf("    Commitment:   %s\n", commitment_name(ct));
            if (level != NULL)
                printf("    Level:        %s%s\n", level,
                       strcmp(level, "B-LTA") == 0  ? " (archive time-stamp present)"
                       : strcmp(level, "B-LT") == 0 ? " (validation data present)"
                       : strcmp(level, "B-T") == 0  ? " (signature time-stamp present)"
                                                    : " (no signature time-stamp)");
            else
                printf("    Level:        %s\n", num_ts > 0 ? "B-T (signature time-stamp present)"
                                                            : "B-B (no signature time-stamp)");
            if (num_ts > 0)
                printf("    Time-stamps:  %zu (checked by tsvc verify --trust ANCHORS)\n",
                       num_ts);
        }
        tsvc_ltv_report_free(lr);
        tsvc_report_free(tr);
        tsvc_store_free(empty);
    }
    if (w != NULL) {
        jw_end_arr(w);
        jw_end_obj(w);
    } else {
        printf("  (not validated: use tsvc verify --trust ANCHORS)\n");
    }
}

/* ---- the rest ---- */

static void show_token(const tsvc_tst *tst, jw *w)
{
    int64_t secs = 0;
    uint32_t nanos = 0;
    char policy[256] = "", serial[128] = "", dig[160] = "", when[40] = "";
    (void)tsvc_tst_gen_time(tst, &secs, &nanos);
    (void)tsvc_tst_policy(tst, policy, sizeof(policy));
    size_t len = 0;
    const uint8_t *p = tsvc_tst_serial(tst, &len);
    hex_encode(p, len, serial, sizeof(serial), 0);
    p = tsvc_tst_digest(tst, &len);
    hex_encode(p, len, dig, sizeof(dig), 0);
    const tsvc_cert *tc = tsvc_tst_signer_cert(tst);
    char tsa[1024] = "";
    if (tc != NULL)
        cert_subject(tc, tsa, sizeof(tsa));
    format_time(secs, when, sizeof(when));
    if (w != NULL) {
        jw_obj(w, "token");
        jw_time(w, "gen_time", secs);
        jw_str(w, "policy", policy);
        jw_str(w, "serial", serial);
        jw_str(w, "hash", hash_name(tsvc_tst_hash_alg(tst)));
        jw_str(w, "digest", dig);
        jw_str(w, "tsa", tc ? tsa : NULL);
        jw_end_obj(w);
    } else {
        printf("  genTime:      %s\n", when);
        printf("  Policy:       %s\n", policy);
        printf("  Serial:       %s\n", serial);
        printf("  Imprint:      %s %s\n", hash_name(tsvc_tst_hash_alg(tst)), dig);
        printf("  TSA:          %s\n", tc ? tsa : "(certificate not included)");
        uint64_t as = 0;
        uint32_t ams = 0, aus = 0;
        if (tsvc_tst_accuracy(tst, &as, &ams, &aus))
            printf("  Accuracy:     %llu s %u ms %u us\n", (unsigned long long)as, ams, aus);
        size_t nl = 0;
        const uint8_t *nonce = tsvc_tst_nonce(tst, &nl);
        if (nonce != NULL) {
            char nh[100];
            hex_encode(nonce, nl, nh, sizeof(nh), 0);
            printf("  Nonce:        %s\n", nh);
        }
    }
}

/* A CRL's entries: JSON objects into @p w, or text lines when @p w is NULL. */
static void crl_entries(jw *w, const tsvc_crl *crl)
{
    for (size_t i = 0; i < tsvc_crl_num_entries(crl); i++) {
        const uint8_t *sp = NULL;
        size_t sl = 0;
        int64_t rt = 0, inv = 0;
        tsvc_crl_reason rr = TSVC_REASON_NONE;
        char ser[2 * 64 + 1], when[40], invt[40];
        if (tsvc_crl_entry_at(crl, i, &sp, &sl, &rt, &rr, &inv) != TSVC_OK)
            break;
        hex_encode(sp, sl, ser, sizeof(ser), 0);
        const char *reason = rr == TSVC_REASON_NONE ? NULL : tsvc_crl_reason_str(rr);
        if (w != NULL) {
            jw_obj(w, NULL);
            jw_str(w, "serial", ser);
            jw_time(w, "revocation_time", rt);
            jw_str(w, "reason", reason);
            if (inv != 0)
                jw_time(w, "invalidity_date", inv);
            jw_end_obj(w);
            continue;
        }
        format_time(rt, when, sizeof(when));
        printf("    serial %s  revoked %s", ser, when);
        if (reason != NULL)
            printf("  reason %s", reason);
        if (inv != 0) {
            format_time(inv, invt, sizeof(invt));
            printf("  invalid since %s", invt);
        }
        printf("\n");
    }
}

/* An OCSP response's SingleResponses: JSON objects into @p w, or text lines
 * when @p w is NULL. */
static void ocsp_singles(jw *w, const tsvc_ocsp_response *ocsp)
{
    for (size_t i = 0; i < tsvc_ocsp_response_num_single(ocsp); i++) {
        const uint8_t *sp = NULL;
        size_t sl = 0;
        tsvc_cert_status cs = TSVC_CERT_STATUS_UNKNOWN;
        int64_t rt = 0, tu = 0, nu = 0;
        tsvc_crl_reason rr = TSVC_REASON_NONE;
        char ser[2 * 64 + 1], t1[40], t2[40] = "none", rtt[40];
        if (tsvc_ocsp_response_single_at(ocsp, i, &sp, &sl, &cs, &rt, &rr) != TSVC_OK ||
            tsvc_ocsp_response_single_times(ocsp, i, &tu, &nu) != TSVC_OK)
            break;
        hex_encode(sp, sl, ser, sizeof(ser), 0);
        bool revoked = cs == TSVC_CERT_STATUS_REVOKED;
        const char *reason = rr == TSVC_REASON_NONE ? NULL : tsvc_crl_reason_str(rr);
        if (w != NULL) {
            jw_obj(w, NULL);
            jw_str(w, "serial", ser);
            jw_str(w, "status", tsvc_cert_status_str(cs));
            if (revoked) {
                jw_time(w, "revocation_time", rt);
                jw_str(w, "reason", reason);
            }
            jw_time(w, "this_update", tu);
            if (nu != 0)
                jw_time(w, "next_update", nu);
            jw_end_obj(w);
            continue;
        }
        format_time(tu, t1, sizeof(t1));
        if (nu != 0)
            format_time(nu, t2, sizeof(t2));
        printf("    serial %s  %s", ser, tsvc_cert_status_str(cs));
        if (revoked) {
            format_time(rt, rtt, sizeof(rtt));
            printf(" at %s", rtt);
            if (reason != NULL)
                printf(" (%s)", reason);
        }
        printf("  this update %s  next update %s\n", t1, t2);
    }
}

int cmd_inspect(int argc, char **argv)
{
    opt_result r;
    bool help;
    int rc = opts_parse(&inspect_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *path = r.pos[0];
    tsvc_buf data = TSVC_BUF_INIT, cmsbuf = TSVC_BUF_INIT;
    if ((rc = read_file(path, &data)) != 0)
        return rc;
    tsvc_ctx *ctx = cli_ctx();
    jw w = {0};
    jw *wp = g_json ? &w : NULL;
    const uint8_t *d = data.data;
    size_t n = data.len;
    bool pem = false;
    for (size_t i = 0; i + 11 <= n && !pem; i++)
        pem = memcmp(d + i, "-----BEGIN ", 11) == 0;

    /* Certificates (one, or a PEM bundle). */
    tsvc_cert_list *certs = NULL;
    if ((!pem || is_pem(d, n, "CERTIFICATE")) &&
        tsvc_cert_list_parse(ctx, &certs, d, n, NULL) == TSVC_OK &&
        tsvc_cert_list_count(certs) > 0) {
        size_t cnt = tsvc_cert_list_count(certs);
        if (wp != NULL)
            jw_arr(wp, NULL);
        for (size_t i = 0; i < cnt; i++) {
            if (wp == NULL && i > 0)
                printf("\n");
            show_cert(tsvc_cert_list_get(certs, i), wp, i, cnt);
        }
        if (wp != NULL)
            jw_end_arr(wp);
        tsvc_cert_list_free(certs);
        goto done;
    }
    tsvc_cert_list_free(certs);

    tsvc_crl *crl = NULL;
    if (tsvc_crl_parse(ctx, &crl, d, n, NULL) == TSVC_OK) {
        char iss[1024] = "?", t1[40], t2[40] = "none";
        size_t il = 0;
        const uint8_t *idn = tsvc_crl_issuer_der(crl, &il);
        tsvc_buf t = TSVC_BUF_INIT;
        if (tsvc_name_to_text(ctx, &t, idn, il, NULL) == TSVC_OK)
            snprintf(iss, sizeof(iss), "%.*s", (int)t.len, (const char *)t.data);
        tsvc_buf_dispose(&t);
        int64_t nu = 0;
        bool has_nu = tsvc_crl_next_update(crl, &nu) != 0;
        uint64_t num = 0;
        bool has_num = tsvc_crl_number(crl, &num) != 0;
        format_time(tsvc_crl_this_update(crl), t1, sizeof(t1));
        if (has_nu)
            format_time(nu, t2, sizeof(t2));
        if (wp != NULL) {
            jw_obj(wp, NULL);
            jw_str(wp, "type", "crl");
            jw_str(wp, "issuer", iss);
            jw_time(wp, "this_update", tsvc_crl_this_update(crl));
            if (has_nu)
                jw_time(wp, "next_update", nu);
            if (has_num)
                jw_int(wp, "number", (int64_t)num);
            jw_int(wp, "entries", (int64_t)tsvc_crl_num_entries(crl));
            jw_arr(wp, "revoked");
            crl_entries(wp, crl);
            jw_end_arr(wp);
            jw_end_obj(wp);
        } else {
            printf("%sCertificate revocation list%s\n", c_bold(), c_off());
            printf("  Issuer:       %s\n", iss);
            printf("  This update:  %s\n", t1);
            printf("  Next update:  %s%s\n", t2,
                   has_nu && nu < now_seconds() ? " (expired: fetch a newer one)" : "");
            if (has_num)
                printf("  CRL number:   %llu\n", (unsigned long long)num);
            printf("  Revoked:      %zu certificate(s)\n", tsvc_crl_num_entries(crl));
            crl_entries(NULL, crl);
        }
        tsvc_crl_free(crl);
        goto done;
    }

    tsvc_csr *csr = NULL;
    if (tsvc_csr_parse(ctx, &csr, d, n, NULL) == TSVC_OK) {
        tsvc_buf s = TSVC_BUF_INIT;
        char subj[1024] = "";
        if (tsvc_csr_subject_text(csr, &s, NULL) == TSVC_OK && s.data != NULL)
            snprintf(subj, sizeof(subj), "%.*s", (int)s.len, (const char *)s.data);
        tsvc_buf_dispose(&s);
        tsvc_pubkey *pub = NULL;
        const char *kt = "unknown";
        unsigned kb = 0;
        if (tsvc_csr_pubkey(csr, &pub, NULL) == TSVC_OK)
            describe_key(pub, &kt, &kb);
        if (wp != NULL) {
            jw_obj(wp, NULL);
            jw_str(wp, "type", "certificate-request");
            jw_str(wp, "subject", subj);
            jw_str(wp, "key", kt);
            jw_int(wp, "key_bits", kb);
            jw_str(wp, "signature", scheme_name(tsvc_csr_sig_scheme(csr)));
            jw_bool(wp, "signature_valid", true);
            jw_end_obj(wp);
        } else {
            printf("%sCertificate request (PKCS#10)%s\n", c_bold(), c_off());
            printf("  Subject:      %s\n", subj);
            printf("  Public key:   %s, %u bits\n", kt, kb);
            printf("  Signature:    %s (verifies with the requested key)\n",
                   scheme_name(tsvc_csr_sig_scheme(csr)));
            uint32_t ku = 0;
            if (tsvc_csr_key_usage(csr, &ku)) {
                char buf[256];
                ku_text(ku, buf, sizeof(buf));
                printf("  Key usage:    %s\n", buf);
            }
            for (size_t i = 0; i < tsvc_csr_num_ekus(csr); i++) {
                char buf[256];
                if (tsvc_csr_eku(csr, i, buf, sizeof(buf)) == TSVC_OK)
                    printf("  Ext. key use: %s\n", eku_name(buf));
            }
            for (size_t i = 0; i < tsvc_csr_num_sans(csr); i++) {
                tsvc_general_name_type t;
                const uint8_t *v;
                size_t vl;
                char txt[600];
                if (tsvc_csr_san(csr, i, &t, &v, &vl) == TSVC_OK) {
                    gn_text(t, v, vl, txt, sizeof(txt));
                    printf("  Alt. name:    %s:%s\n", gn_type(t), txt);
                }
            }
        }
        tsvc_csr_free(csr);
        goto done;
    }

    tsvc_pubkey *pub = NULL;
    if (tsvc_pubkey_import(ctx, &pub, d, n, NULL) == TSVC_OK) {
        if (wp != NULL) {
            jw_obj(wp, NULL);
            jw_str(wp, "type", "public-key");
            jw_str(wp, "key", key_type_name(tsvc_pubkey_type(pub)));
            jw_int(wp, "key_bits", tsvc_pubkey_bits(pub));
            jw_end_obj(wp);
        } else {
            printf("%sPublic key%s\n  Type:         %s, %u bits\n", c_bold(), c_off(),
                   key_type_name(tsvc_pubkey_type(pub)), tsvc_pubkey_bits(pub));
        }
        tsvc_pubkey_free(pub);
        goto done;
    }

    tsvc_key *key = NULL;
    if (tsvc_key_import(ctx, &key, d, n, NULL) == TSVC_OK) {
        tsvc_key_info info = TSVC_KEY_INFO_INIT;
        (void)tsvc_key_get_info(key, &info);
        if (wp != NULL) {
            jw_obj(wp, NULL);
            jw_str(wp, "type", "private-key");
            jw_str(wp, "key", key_type_name(info.type));
            jw_int(wp, "key_bits", info.bits);
            jw_end_obj(wp);
        } else {
            printf("%sPrivate key%s (its secret part is not printed)\n  Type:         %s, %u "
                   "bits\n",
                   c_bold(), c_off(), key_type_name(info.type), info.bits);
        }
        tsvc_key_free(key);
        goto done;
    }

    if (!pem) {
        tsvc_ocsp_response *ocsp = NULL;
        if (tsvc_ocsp_response_parse(ctx, &ocsp, d, n, NULL) == TSVC_OK) {
            int st = tsvc_ocsp_response_get_status(ocsp);
            static const char *names[] = {"successful", "malformedRequest", "internalError",
                                          "tryLater",   "?",                "sigRequired",
                                          "unauthorized"};
            const char *sn = st >= 0 && st <= 6 ? names[st] : "?";
            if (wp != NULL) {
                jw_obj(wp, NULL);
                jw_str(wp, "type", "ocsp-response");
                jw_str(wp, "status", sn);
                if (st == TSVC_OCSP_SUCCESSFUL) {
                    jw_time(wp, "produced_at", tsvc_ocsp_response_produced_at(ocsp));
                    jw_int(wp, "responses", (int64_t)tsvc_ocsp_response_num_single(ocsp));
                    jw_arr(wp, "single_responses");
                    ocsp_singles(wp, ocsp);
                    jw_end_arr(wp);
                }
                jw_end_obj(wp);
            } else {
                printf("%sOCSP response%s\n  Status:       %s\n", c_bold(), c_off(), sn);
                if (st == TSVC_OCSP_SUCCESSFUL) {
                    char when[40];
                    format_time(tsvc_ocsp_response_produced_at(ocsp), when, sizeof(when));
                    printf("  Produced at:  %s\n  Responses:    %zu (check one with tsvc "
                           "validate --ocsp FILE)\n",
                           when, tsvc_ocsp_response_num_single(ocsp));
                    ocsp_singles(NULL, ocsp);
                }
            }
            tsvc_ocsp_response_free(ocsp);
            goto done;
        }
        tsvc_tsr *tsr = NULL;
        if (tsvc_tsr_parse(ctx, &tsr, d, n, NULL) == TSVC_OK) {
            int st = tsvc_tsr_status(tsr);
            const tsvc_tst *tst = tsvc_tsr_token(tsr);
            if (wp != NULL) {
                jw_obj(wp, NULL);
                jw_str(wp, "type", "timestamp-response");
                jw_str(wp, "status", tsvc_pki_status_str(st));
                jw_int(wp, "fail_info", tsvc_tsr_fail_info(tsr));
                if (tst != NULL)
                    show_token(tst, wp);
                jw_end_obj(wp);
            } else {
                printf("%sTime-stamp response (RFC 3161)%s\n  Status:       %s\n", c_bold(),
                       c_off(), tsvc_pki_status_str(st));
                if (tsvc_tsr_fail_info(tsr) != 0)
                    printf("  Failure info: 0x%x\n", tsvc_tsr_fail_info(tsr));
                if (tsvc_tsr_status_string(tsr) != NULL && tsvc_tsr_status_string(tsr)[0])
                    printf("  Status text:  %s\n", tsvc_tsr_status_string(tsr));
                if (tst != NULL)
                    show_token(tst, NULL);
            }
            tsvc_tsr_free(tsr);
            goto done;
        }
        tsvc_tst *tst = NULL;
        if (tsvc_tst_parse(ctx, &tst, d, n, NULL) == TSVC_OK) {
            if (wp != NULL) {
                jw_obj(wp, NULL);
                jw_str(wp, "type", "timestamp-token");
                show_token(tst, wp);
                jw_end_obj(wp);
            } else {
                printf("%sTime-stamp token (RFC 3161)%s\n", c_bold(), c_off());
                show_token(tst, NULL);
            }
            tsvc_tst_free(tst);
            goto done;
        }
    }

    /* CMS: DER, or PEM "CMS" / "PKCS7". */
    const uint8_t *cms = d;
    size_t cms_len = n;
    if (pem) {
        if (pem_decode(d, n, "CMS", &cmsbuf) || pem_decode(d, n, "PKCS7", &cmsbuf)) {
            cms = cmsbuf.data;
            cms_len = cmsbuf.len;
        } else {
            rc = fail("%s: PEM of a kind tsvc does not know", path);
            goto out;
        }
    }
    {
        tsvc_store *empty = NULL;
        tsvc_policy *pol = NULL;
        tsvc_sig_report *rep = NULL;
        tsvc_verifier *v = NULL;
        bool detached = false;
        tsvc_status st = tsvc_store_new(ctx, &empty, NULL);
        if (st == TSVC_OK)
            st = tsvc_policy_new(ctx, &pol, NULL);
        if (st == TSVC_OK)
            st = tsvc_verify(ctx, &rep, cms, cms_len, NULL, 0, empty, pol, NULL, NULL);
        if (st == TSVC_ERR_CMS_NO_CONTENT) {
            detached = true;
            st = tsvc_verifier_new(ctx, &v, cms, cms_len, empty, pol, NULL, NULL);
            if (st == TSVC_OK)
                st = tsvc_verifier_finish(v, &rep, NULL);
            tsvc_verifier_free(v);
        }
        if (st == TSVC_OK && tsvc_sig_report_num_signers(rep) > 0 &&
            tsvc_sig_report_signer_subindication(rep, 0) == TSVC_SUB_SIGNED_DATA_NOT_FOUND)
            detached = true;
        if (st == TSVC_OK && tsvc_sig_report_num_signers(rep) == 0)
            st = TSVC_ERR_CMS_FORMAT; /* not a signature at all */
        if (st == TSVC_OK)
            show_cms(cms, cms_len, rep, detached, wp);
        tsvc_sig_report_free(rep);
        tsvc_policy_free(pol);
        tsvc_store_free(empty);
        if (st == TSVC_OK)
            goto done;
    }
    rc = fail("%s: not a certificate, CRL, OCSP response, certificate request, key, CMS "
              "signature or time-stamp",
              path);
    goto out;
done:
    if (wp != NULL)
        rc = jw_print(wp);
out:
    if (cmsbuf.data != NULL)
        free(cmsbuf.data);
    free(w.buf);
    dispose_file(&data);
    return rc;
}
