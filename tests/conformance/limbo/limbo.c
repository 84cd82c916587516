/*
 * SPDX-License-Identifier: Apache-2.0
 * x509-limbo harness: reads a limbo suite (JSON, schema version 1) on
 * stdin, validates every test case with tsvc_validate(), and writes a
 * LimboResult on stdout:
 *   {"version":1,"harness":"libtrustsvc-<version>",
 *    "results":[{"id":...,"actual_result":"SUCCESS|FAILURE|SKIPPED","context":...}]}
 *
 * Cases with "crls" are validated with revocation checking of the chain
 * (hard-fail, the given CRLs only). The profile follows validation_kind:
 * SERVER is TSVC_PROFILE_SERVER; CLIENT is TSVC_PROFILE_CLIENT, or
 * TSVC_PROFILE_SMIME when the case asks for emailProtection. A case that
 * is not a webpki:: one and states an RFC 5280 expectation the Web PKI
 * contradicts (feature rfc5280-incompatible-with-webpki, or a webpki::
 * case in conflicts_with) is validated with TSVC_PROFILE_GENERIC and the
 * kind's purpose (serverAuth/clientAuth) instead. Cases with the
 * has-mldsa feature are SKIPPED (ML-DSA is not implemented). The
 * name-constraint comparison budget is 250000 (see NC_COMPARISONS).
 *
 * Usage: tsvc-limbo [--id TESTCASE-ID] [--verbose] < limbo.json > results.json
 * With --id only that test case is run (the comparison script times the
 * pathological cases one by one this way). --verbose writes each case's
 * report as JSON to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "der/der.h"
#include "path/path.h"
#include "x509/x509.h"
#include "trustsvc/revoke.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"

#define MAX_INPUT (512u * 1024u * 1024u)

/* Name-constraint comparisons per validation: the budget Go and
 * rustls-webpki use (the library's default, 2^20, is larger). Upstream's
 * pathological::nc-dos-1 (1027 constraints against 514 names) expects
 * the quadratic work to be refused. */
#define NC_COMPARISONS 250000u

/* ---- adapter to the certificate layer ---- */

static tsvc_status cert_parse(tsvc_ctx *ctx, tsvc_cert **out, const uint8_t *der, size_t len,
                              tsvc_error **err)
{
    return tsvc__cert_parse_der(ctx, out, der, len, err);
}

static void cert_free(tsvc_cert *cert)
{
    tsvc_cert_free(cert);
}

/* The limbo SignatureAlgorithm name of a certificate's signature. */
static const char *sigalg_name(const tsvc_cert *cert)
{
    if (cert == NULL)
        return NULL;
    const tsvc__sig_params *p = &cert->sig_params;
    switch (p->scheme) {
    case TSVC_SIG_ED25519:
        return "ED25519";
    case TSVC_SIG_RSA_PSS:
        return "RSASSA_PSS";
    case TSVC_SIG_ECDSA:
        switch (p->hash) {
        case TSVC_HASH_SHA1: return "ECDSA_WITH_SHA1";
        case TSVC_HASH_SHA256: return "ECDSA_WITH_SHA256";
        case TSVC_HASH_SHA384: return "ECDSA_WITH_SHA384";
        case TSVC_HASH_SHA512: return "ECDSA_WITH_SHA512";
        default: return NULL;
        }
    case TSVC_SIG_RSA_PKCS1:
        switch (p->hash) {
        case TSVC_HASH_SHA1: return "RSA_WITH_SHA1";
        case TSVC_HASH_SHA256: return "RSA_WITH_SHA256";
        case TSVC_HASH_SHA384: return "RSA_WITH_SHA384";
        case TSVC_HASH_SHA512: return "RSA_WITH_SHA512";
        default: return NULL;
        }
    default:
        return NULL;
    }
}

static char *read_stdin(size_t *out_len)
{
    size_t cap = 1u << 20, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    for (;;) {
        if (len == cap) {
            if (cap >= MAX_INPUT) {
                free(buf);
                return NULL;
            }
            char *n = realloc(buf, cap * 2);
            if (n == NULL) {
                free(buf);
                return NULL;
            }
            buf = n;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, stdin);
        len += got;
        if (got == 0)
            break;
    }
    *out_len = len;
    return buf;
}

/* "2022-01-01T00:00:00+00:00", "...Z", optional fraction (ignored). */
static bool parse_rfc3339(const char *s, int64_t *out)
{
    unsigned y, mo, d, h, mi, sec;
    int used = 0;
    if (sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6)
        return false;
    const char *p = s + used;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int64_t offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        unsigned oh, om;
        int n2 = 0;
        if (sscanf(p + 1, "%2u:%2u%n", &oh, &om, &n2) != 2)
            return false;
        offset = (int64_t)oh * 3600 + (int64_t)om * 60;
        if (*p == '-')
            offset = -offset;
        p += 1 + n2;
    } else {
        return false;
    }
    if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    *out = tsvc__time_from_civil(y, mo, d, h, mi, sec > 59 ? 59 : sec) - offset;
    return true;
}

static const struct {
    const char *name;
    uint32_t bit;
} ku_names[] = {
    {"digitalSignature", TSVC_KU_DIGITAL_SIGNATURE}, {"contentCommitment", TSVC_KU_NON_REPUDIATION},
    {"keyEncipherment", TSVC_KU_KEY_ENCIPHERMENT},   {"dataEncipherment", TSVC_KU_DATA_ENCIPHERMENT},
    {"keyAgreement", TSVC_KU_KEY_AGREEMENT},         {"keyCertSign", TSVC_KU_KEY_CERT_SIGN},
    {"cRLSign", TSVC_KU_CRL_SIGN},                   {"encipherOnly", TSVC_KU_ENCIPHER_ONLY},
    {"decipherOnly", TSVC_KU_DECIPHER_ONLY},
};

static const struct {
    const char *name;
    tsvc_eku eku;
} eku_names[] = {
    {"anyExtendedKeyUsage", TSVC_EKU_ANY},    {"serverAuth", TSVC_EKU_SERVER_AUTH},
    {"clientAuth", TSVC_EKU_CLIENT_AUTH},     {"codeSigning", TSVC_EKU_CODE_SIGNING},
    {"emailProtection", TSVC_EKU_EMAIL_PROTECTION}, {"timeStamping", TSVC_EKU_TIME_STAMPING},
    {"OCSPSigning", TSVC_EKU_OCSP_SIGNING},
};

typedef struct outcome {
    const char *result; /* SUCCESS, FAILURE, SKIPPED */
    char context[1024];
} outcome;

static void set_outcome(outcome *o, const char *result, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void set_outcome(outcome *o, const char *result, const char *fmt, ...)
{
    va_list ap;
    o->result = result;
    va_start(ap, fmt);
    vsnprintf(o->context, sizeof(o->context), fmt, ap);
    va_end(ap);
}

/* Parses every PEM certificate of @p pem into the array. */
static tsvc_status parse_pem_certs(tsvc_ctx *ctx, const char *pem, tsvc_cert ***certs,
                                   size_t *num, tsvc_error **err)
{
    size_t pos = 0, len = strlen(pem);
    tsvc_status st = TSVC_OK;
    for (;;) {
        bool found = false;
        char label[64];
        tsvc_buf der = TSVC_BUF_INIT;
        st = tsvc__pem_next(ctx, pem, len, &pos, &found, label, sizeof(label), &der, err);
        if (!found) {
            st = TSVC_OK;
            break;
        }
        if (st != TSVC_OK)
            break;
        if (strcmp(label, "CERTIFICATE") != 0) {
            tsvc_buf_dispose(&der);
            continue;
        }
        tsvc_cert *cert = NULL;
        st = cert_parse(ctx, &cert, der.data, der.len, err);
        tsvc_buf_dispose(&der);
        if (st != TSVC_OK)
            break;
        tsvc_cert **n = realloc(*certs, (*num + 1) * sizeof(*n));
        if (n == NULL) {
            cert_free(cert);
            st = TSVC_ERR_NOMEM;
            break;
        }
        *certs = n;
        (*certs)[(*num)++] = cert;
    }
    return st;
}

static bool features_has(json_t *tc, const char *feature)
{
    json_t *f = json_object_get(tc, "features");
    size_t i;
    json_t *v;
    json_array_foreach(f, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), feature) == 0)
            return true;
    }
    return false;
}

/*
 * Whether a case states an RFC 5280 expectation that the Web PKI rules
 * contradict: it has the rfc5280-incompatible-with-webpki feature, or it
 * lists a webpki:: case in conflicts_with.
 */
static bool conflicts_with_webpki(json_t *tc)
{
    if (features_has(tc, "rfc5280-incompatible-with-webpki"))
        return true;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(tc, "conflicts_with"), i, v) {
        const char *other = json_string_value(v);
        if (other != NULL && strncmp(other, "webpki::", 8) == 0)
            return true;
    }
    return false;
}

static tsvc_status add_peer(tsvc_policy *policy, json_t *pn, tsvc_error **err)
{
    const char *kind = json_string_value(json_object_get(pn, "kind"));
    const char *value = json_string_value(json_object_get(pn, "value"));
    if (kind == NULL || value == NULL)
        return TSVC_ERR_INVALID_ARG;
    tsvc_peer_kind k;
    uint8_t ip[16];
    size_t ip_len = 0;
    if (strcmp(kind, "DNS") == 0 && tsvc__x509_parse_ip(value, strlen(value), ip, &ip_len))
        k = TSVC_PEER_IP; /* upstream's bettertls:: cases give IP addresses as DNS names */
    else if (strcmp(kind, "DNS") == 0)
        k = TSVC_PEER_DNS;
    else if (strcmp(kind, "IP") == 0)
        k = TSVC_PEER_IP;
    else if (strcmp(kind, "RFC822") == 0)
        k = TSVC_PEER_EMAIL;
    else
        return TSVC_ERR_UNSUPPORTED;
    return tsvc_policy_add_peer_name(policy, k, value, err);
}

static void run_case(json_t *tc, bool verbose, outcome *o)
{
    tsvc_ctx *ctx = NULL;
    tsvc_store *store = NULL;
    tsvc_policy *policy = NULL;
    tsvc_report *report = NULL;
    tsvc_error *err = NULL;
    tsvc_cert **certs = NULL;
    size_t num = 0;
    tsvc_cert **peer = NULL;
    size_t num_peer = 0;
    tsvc_status st;
    size_t i;
    json_t *v;

    o->result = "FAILURE";
    o->context[0] = '\0';

    json_t *crls = json_object_get(tc, "crls");
    bool has_crls = json_is_array(crls) && json_array_size(crls) > 0;

    st = tsvc_ctx_new(&ctx, NULL, &err);
    if (st == TSVC_OK)
        st = tsvc_ctx_set_limit(ctx, TSVC_LIMIT_NC_COMPARISONS, NC_COMPARISONS, &err);
    if (st != TSVC_OK) {
        set_outcome(o, "SKIPPED", "context: %s", tsvc_error_message(err));
        goto out;
    }
    st = tsvc_store_new(ctx, &store, &err);
    if (st == TSVC_OK)
        st = tsvc_policy_new(ctx, &policy, &err);
    if (st != TSVC_OK) {
        set_outcome(o, "SKIPPED", "setup: %s", tsvc_error_message(err));
        goto out;
    }

    /* ML-DSA (RFC 9881) is not implemented: such a case can be neither
     * accepted nor refused for the right reason. */
    if (features_has(tc, "has-mldsa")) {
        set_outcome(o, "SKIPPED", "ML-DSA (RFC 9881) keys and signatures are not supported");
        goto out;
    }

    /* Validation kind and profile: SERVER is the TLS server profile;
     * CLIENT is the TLS client profile, or the S/MIME profile when the
     * case asks for emailProtection (upstream's smime:: cases). */
    const char *kind = json_string_value(json_object_get(tc, "validation_kind"));
    bool email = false;
    json_array_foreach(json_object_get(tc, "extended_key_usage"), i, v) {
        const char *name = json_string_value(v);
        if (name != NULL && (strcmp(name, "emailProtection") == 0 ||
                             strcmp(name, "1.3.6.1.5.5.7.3.4") == 0))
            email = true;
    }
    const char *id = json_string_value(json_object_get(tc, "id"));
    bool rfc5280 = id != NULL && strncmp(id, "webpki::", 8) != 0 && conflicts_with_webpki(tc);
    if (kind == NULL || (strcmp(kind, "CLIENT") != 0 && strcmp(kind, "SERVER") != 0)) {
        set_outcome(o, "SKIPPED", "unknown validation_kind %s", kind ? kind : "(none)");
        goto out;
    }
    bool client = strcmp(kind, "CLIENT") == 0;
    if (rfc5280) {
        /* An RFC 5280 expectation the Web PKI contradicts: the generic
         * (RFC 5280) profile, with the purpose of the validation kind. */
        st = tsvc_policy_set_profile(policy, TSVC_PROFILE_GENERIC, &err);
        if (st == TSVC_OK && !email)
            st = tsvc_policy_add_eku(policy,
                                     client ? TSVC_EKU_CLIENT_AUTH : TSVC_EKU_SERVER_AUTH, &err);
    } else if (client) {
        st = tsvc_policy_set_profile(policy, email ? TSVC_PROFILE_SMIME : TSVC_PROFILE_CLIENT,
                                     &err);
    } else {
        st = tsvc_policy_set_profile(policy, TSVC_PROFILE_SERVER, &err);
    }
    if (st != TSVC_OK)
        goto policy_error;

    /* Validation time (default: now). */
    json_t *vt = json_object_get(tc, "validation_time");
    if (json_is_string(vt)) {
        int64_t when;
        if (!parse_rfc3339(json_string_value(vt), &when)) {
            set_outcome(o, "SKIPPED", "unparsable validation_time %s", json_string_value(vt));
            goto out;
        }
        st = tsvc_policy_set_time(policy, when, &err);
        if (st != TSVC_OK)
            goto policy_error;
    }

    /* Key usages. */
    uint32_t ku = 0;
    json_array_foreach(json_object_get(tc, "key_usage"), i, v) {
        const char *name = json_string_value(v);
        bool known = false;
        for (size_t k = 0; name && k < sizeof(ku_names) / sizeof(ku_names[0]); k++)
            if (strcmp(name, ku_names[k].name) == 0) {
                ku |= ku_names[k].bit;
                known = true;
            }
        if (!known) {
            set_outcome(o, "SKIPPED", "unknown key usage %s", name);
            goto out;
        }
    }
    if (ku != 0 && (st = tsvc_policy_set_key_usage(policy, ku, &err)) != TSVC_OK)
        goto policy_error;

    /* Extended key usages: well-known names or dotted OIDs. */
    json_array_foreach(json_object_get(tc, "extended_key_usage"), i, v) {
        const char *name = json_string_value(v);
        bool known = false;
        if (name == NULL)
            continue;
        for (size_t k = 0; k < sizeof(eku_names) / sizeof(eku_names[0]); k++)
            if (strcmp(name, eku_names[k].name) == 0) {
                st = tsvc_policy_add_eku(policy, eku_names[k].eku, &err);
                known = true;
            }
        if (!known && name[0] >= '0' && name[0] <= '9') {
            st = tsvc_policy_add_eku_oid(policy, name, &err);
            known = true;
        }
        if (!known) {
            set_outcome(o, "SKIPPED", "unknown extended key usage %s", name);
            goto out;
        }
        if (st != TSVC_OK)
            goto policy_error;
    }

    /* Peer names: one for SERVER validation, a list for CLIENT validation. */
    json_t *pn = json_object_get(tc, "expected_peer_name");
    json_t *pns = json_object_get(tc, "expected_peer_names");
    size_t num_pn = json_is_array(pns) ? json_array_size(pns) : 0;
    for (size_t k = 0; k < num_pn + 1; k++) {
        json_t *one = k < num_pn ? json_array_get(pns, k) : pn;
        if (!json_is_object(one))
            continue;
        st = add_peer(policy, one, &err);
        if (st == TSVC_ERR_UNSUPPORTED) {
            set_outcome(o, "SKIPPED", "unknown peer name kind");
            goto out;
        }
        if (st == TSVC_ERR_PEER_NAME) {
            /* A name that is not a valid DNS name, address or mailbox
             * cannot be matched by any certificate. */
            set_outcome(o, "FAILURE", "peer name rejected: %s", tsvc_error_message(err));
            goto out;
        }
        if (st != TSVC_OK)
            goto policy_error;
    }

    /* Maximum chain depth (intermediates); larger than ours is ours. */
    json_t *mcd = json_object_get(tc, "max_chain_depth");
    if (json_is_integer(mcd)) {
        json_int_t d = json_integer_value(mcd);
        if (d < 0) {
            set_outcome(o, "SKIPPED", "negative max_chain_depth");
            goto out;
        }
        st = tsvc_policy_set_max_depth(policy, d > 31 ? 31u : (unsigned)d, &err);
        if (st != TSVC_OK)
            goto policy_error;
    }

    /* Certificates. A trusted or intermediate certificate this library
     * refuses to parse cannot be part of a valid chain: leave it out. */
    json_array_foreach(json_object_get(tc, "trusted_certs"), i, v) {
        size_t before = num;
        tsvc_error *e2 = NULL;
        if (json_is_string(v) &&
            parse_pem_certs(ctx, json_string_value(v), &certs, &num, &e2) == TSVC_OK)
            for (size_t k = before; k < num; k++)
                tsvc_store_add_anchor(store, certs[k], NULL);
        tsvc_error_free(e2);
    }
    json_array_foreach(json_object_get(tc, "untrusted_intermediates"), i, v) {
        size_t before = num;
        tsvc_error *e2 = NULL;
        if (json_is_string(v) &&
            parse_pem_certs(ctx, json_string_value(v), &certs, &num, &e2) == TSVC_OK)
            for (size_t k = before; k < num; k++)
                tsvc_store_add_intermediate(store, certs[k], NULL);
        tsvc_error_free(e2);
    }
    const char *peer_pem = json_string_value(json_object_get(tc, "peer_certificate"));
    if (peer_pem == NULL) {
        set_outcome(o, "SKIPPED", "no peer_certificate");
        goto out;
    }
    st = parse_pem_certs(ctx, peer_pem, &peer, &num_peer, &err);
    if (st != TSVC_OK || num_peer != 1) {
        set_outcome(o, "FAILURE", "peer certificate rejected: %s",
                    err ? tsvc_error_message(err) : "not exactly one certificate");
        goto out;
    }
    /* CRLs: revocation checking of every certificate below the trust
     * anchor, hard-fail, with the given CRLs only (upstream's cases give a
     * CRL for each CA of the chain). A CRL this library refuses to parse is
     * left out: the certificate then has no usable CRL and fails. */
    if (has_crls) {
        json_array_foreach(crls, i, v) {
            const char *pem = json_string_value(v);
            tsvc_crl *crl = NULL;
            if (pem != NULL &&
                tsvc_crl_parse(ctx, &crl, (const uint8_t *)pem, strlen(pem), NULL) == TSVC_OK)
                tsvc_store_add_crl(store, crl, NULL);
            tsvc_crl_free(crl);
        }
        if ((st = tsvc_policy_set_revocation_mode(policy, TSVC_REVOCATION_HARD_FAIL, &err)) !=
                TSVC_OK ||
            (st = tsvc_policy_set_revocation_source(policy, TSVC_REVOCATION_CRL_ONLY, &err)) !=
                TSVC_OK)
            goto policy_error;
    }
    tsvc_store_freeze(store);

    st = tsvc_validate(ctx, &report, peer[0], store, policy, &err);
    if (st != TSVC_OK) {
        set_outcome(o, "FAILURE", "validation error: %s", tsvc_error_message(err));
        goto out;
    }
    if (tsvc_report_indication(report) == TSVC_INDICATION_PASSED) {
        set_outcome(o, "SUCCESS", "%s", tsvc_report_reason(report));
    } else {
        char tmp[900];
        snprintf(tmp, sizeof(tmp), "%s/%s: %s", tsvc_indication_str(tsvc_report_indication(report)),
                 tsvc_subindication_str(tsvc_report_subindication(report)),
                 tsvc_report_reason(report));
        set_outcome(o, "FAILURE", "%s", tmp);
    }
    /* signature_algorithms: every certificate of the chain must be signed
     * with one of the listed algorithms. */
    json_t *sa = json_object_get(tc, "signature_algorithms");
    size_t chain_len = tsvc_report_chain_count(report);
    if (json_is_array(sa) && json_array_size(sa) > 0 && strcmp(o->result, "SUCCESS") == 0) {
        /* The trust anchor's own signature is not part of the chain. */
        size_t checked = chain_len > 1 ? chain_len - 1 : chain_len;
        for (size_t k = 0; k < checked; k++) {
            const char *alg = sigalg_name(tsvc_report_chain_cert(report, k));
            bool ok = false;
            json_t *a;
            size_t ai;
            json_array_foreach(sa, ai, a) {
                if (alg != NULL && json_is_string(a) && strcmp(json_string_value(a), alg) == 0)
                    ok = true;
            }
            if (!ok) {
                set_outcome(o, "FAILURE", "signature algorithm %s not acceptable",
                            alg ? alg : "(unknown)");
                break;
            }
        }
    }
    if (verbose) {
        tsvc_buf js = TSVC_BUF_INIT;
        if (tsvc_report_to_json(report, &js, NULL) == TSVC_OK)
            fprintf(stderr, "%s\n", (const char *)js.data);
        tsvc_buf_dispose(&js);
    }
    goto out;

policy_error:
    set_outcome(o, "SKIPPED", "policy: %s", tsvc_error_message(err));
out:
    tsvc_report_free(report);
    tsvc_policy_free(policy);
    tsvc_store_free(store);
    for (size_t k = 0; k < num; k++)
        cert_free(certs[k]);
    free(certs);
    for (size_t k = 0; k < num_peer; k++)
        cert_free(peer[k]);
    free(peer);
    tsvc_error_free(err);
    tsvc_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    bool verbose = false;
    int rc = 1;
    size_t len = 0;
    char *input = NULL;
    json_t *suite = NULL, *out = NULL, *results = NULL;
    json_error_t jerr;

    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--id") == 0 && a + 1 < argc)
            only = argv[++a];
        else if (strcmp(argv[a], "--verbose") == 0)
            verbose = true;
        else {
            fprintf(stderr, "usage: %s [--id TESTCASE] [--verbose] < suite.json\n", argv[0]);
            return 2;
        }
    }
    input = read_stdin(&len);
    if (input == NULL) {
        fprintf(stderr, "tsvc-limbo: cannot read the suite from stdin\n");
        goto out;
    }
    suite = json_loadb(input, len, 0, &jerr);
    if (suite == NULL) {
        fprintf(stderr, "tsvc-limbo: malformed JSON at line %d: %s\n", jerr.line, jerr.text);
        goto out;
    }
    json_t *ver = json_object_get(suite, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1) {
        fprintf(stderr, "tsvc-limbo: unsupported limbo version\n");
        goto out;
    }
    json_t *tcs = json_object_get(suite, "testcases");
    if (!json_is_array(tcs)) {
        fprintf(stderr, "tsvc-limbo: no testcases array\n");
        goto out;
    }
    results = json_array();
    char harness[64];
    snprintf(harness, sizeof(harness), "libtrustsvc-%s", tsvc_version_str());
    out = json_pack("{s:i,s:s,s:O}", "version", 1, "harness", harness, "results", results);
    if (results == NULL || out == NULL)
        goto out;
    size_t i;
    json_t *tc;
    json_array_foreach(tcs, i, tc) {
        const char *id = json_string_value(json_object_get(tc, "id"));
        if (id == NULL)
            continue;
        if (only != NULL && strcmp(only, id) != 0)
            continue;
        outcome o;
        run_case(tc, verbose, &o);
        if (verbose)
            fprintf(stderr, "%s: %s (%s)\n", id, o.result, o.context);
        json_array_append_new(results, json_pack("{s:s,s:s,s:s}", "id", id, "actual_result",
                                                 o.result, "context", o.context));
    }
    if (json_dumpf(out, stdout, JSON_INDENT(1)) != 0)
        goto out;
    fputc('\n', stdout);
    rc = 0;
out:
    json_decref(results);
    json_decref(out);
    json_decref(suite);
    free(input);
    return rc;
}
