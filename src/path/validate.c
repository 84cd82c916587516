/*
 * SPDX-License-Identifier: Apache-2.0
 * Certificate-path validation: path building with backtracking and
 * budgets, RFC 5280 section 6.1 processing of each candidate path, the
 * TLS server/client profiles, and the report.
 *
 * Path building is a depth-first search from the leaf towards a trust
 * anchor. At each step the candidates for the issuer are the trust
 * anchors and intermediates whose subject equals the current
 * certificate's issuer, anchors first, then ordered by (AKI matches SKI,
 * valid at the validation time). A candidate is taken only if it is not
 * already in the path (same certificate, or same subject and key: cycles)
 * and its key verifies the current certificate's signature (results are
 * cached for the whole validation). Every complete path is processed per
 * RFC 5280 section 6.1; the first that passes is the result, otherwise the
 * first failure found is reported. Budgets: certificates per path
 * (TSVC_LIMIT_CHAIN_DEPTH), signature checks (TSVC_LIMIT_SIG_CHECKS),
 * candidates tried (TSVC_LIMIT_PATH_ATTEMPTS) and name-constraint
 * comparisons (TSVC_LIMIT_NC_COMPARISONS), each with its own status.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/algpolicy.h"
#include "crypto/crypto.h"
#include "path/path.h"
#include "path/report.h"
#include "x509/x509.h"

#define MAX_PATH 32         /* certificates below the anchor, hard maximum */
#define MAX_SIG_CACHE 256   /* cached signature results */
#define MAX_NAME_TEXTS 8    /* memoised report texts of names */
#define MAX_NOTES 32        /* path-building notes kept in the report */

typedef struct sig_entry {
    const tsvc_cert *child;
    const tsvc_pubkey *key;
    tsvc_status result;
} sig_entry;

typedef struct outcome {
    bool failed;
    tsvc_indication ind;
    tsvc_subindication sub;
    char reason[640];
} outcome;

typedef struct vstate {
    const tsvc_ctx *ctx;
    const tsvc_policy *pol;
    const tsvc_store *store;
    tsvc_report *r;
    int64_t when;
    bool webpki; /* server or client profile */

    uint64_t max_certs; /* TSVC_LIMIT_CHAIN_DEPTH: leaf + intermediates + anchor */
    uint64_t max_sigs, max_attempts, max_nc;
    uint64_t sigs, attempts, nc;

    tsvc_status stop; /* a budget was exhausted or a hard error: give up */
    bool depth_hit;   /* a path was cut by the context's depth limit */
    bool policy_depth_hit;
    size_t notes;

    sig_entry cache[MAX_SIG_CACHE];
    size_t num_cache;

    /* Report texts of the names met so far (subject_text()): a chain's
     * names recur as subjects, issuers and anchors. */
    struct {
        const uint8_t *der;
        size_t len;
        char text[256];
    } names[MAX_NAME_TEXTS];
    size_t num_names;

    const tsvc_cert *path[MAX_PATH + 1]; /* [0] = leaf */
    size_t len;

    /* The first complete path that failed, with its outcome. */
    bool have_failure;
    outcome failure;
    const tsvc_cert *fail_path[MAX_PATH + 1];
    size_t fail_len;
    const tsvc__anchor *fail_anchor;
    size_t fail_start; /* report entries of that path start here */

    /* Why no complete path was found (when none was). */
    char build_reason[640];
    int build_rank;

    bool found;
    const tsvc__anchor *anchor;
} vstate;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static bool cbs_eq(const tsvc__cbs *a, const tsvc__cbs *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool same_cert(const tsvc_cert *a, const tsvc_cert *b)
{
    return a == b || (a->der_len == b->der_len && memcmp(a->der, b->der, a->der_len) == 0);
}

static bool valid_at(const tsvc_cert *c, int64_t when)
{
    return c->not_before <= when && when <= c->not_after;
}

/* RFC 4514 text of a Name for the report, cut to fit @p out; each
 * distinct name is converted once per validation. */
static void subject_text(vstate *vs, const tsvc__cbs *name, char *out, size_t size)
{
    for (size_t i = 0; i < vs->num_names; i++)
        if (vs->names[i].len == name->len &&
            (name->len == 0 || memcmp(vs->names[i].der, name->data, name->len) == 0)) {
            snprintf(out, size, "%s", vs->names[i].text);
            return;
        }
    char text[256];
    tsvc_buf b = TSVC_BUF_INIT;
    if (tsvc__name_to_text(vs->ctx, name, &b, NULL) == TSVC_OK && b.data != NULL)
        snprintf(text, sizeof(text), "%.*s", (int)(b.len > 200 ? 200 : b.len),
                 (const char *)b.data);
    else
        snprintf(text, sizeof(text), "(unprintable name)");
    tsvc_buf_dispose(&b);
    snprintf(out, size, "%s", text);
    if (vs->num_names < MAX_NAME_TEXTS) {
        vs->names[vs->num_names].der = name->data;
        vs->names[vs->num_names].len = name->len;
        memcpy(vs->names[vs->num_names].text, text, sizeof(text));
        vs->num_names++;
    }
}

static void set_build_reason(vstate *vs, int rank, const char *msg)
{
    if (rank <= vs->build_rank)
        return;
    vs->build_rank = rank;
    snprintf(vs->build_reason, sizeof(vs->build_reason), "%s", msg);
}

static void note(vstate *vs, const char *msg)
{
    if (vs->notes >= MAX_NOTES)
        return;
    vs->notes++;
    tsvc__report_add(vs->r, -1, "path-building", TSVC_CHECK_INFO, -1, "%s", msg);
}

/* Verifies @p child with @p key through the cache, counting real checks. */
static tsvc_status check_sig(vstate *vs, const tsvc_cert *child, const tsvc_pubkey *key)
{
    for (size_t i = 0; i < vs->num_cache; i++)
        if (vs->cache[i].child == child && vs->cache[i].key == key)
            return vs->cache[i].result;
    if (vs->sigs >= vs->max_sigs) {
        vs->stop = TSVC_ERR_LIMIT_SIG_CHECKS;
        return TSVC_ERR_LIMIT_SIG_CHECKS;
    }
    vs->sigs++;
    tsvc_status st = tsvc__cert_verify_signed_by(vs->ctx, child, key, NULL);
    if (st == TSVC_ERR_NOMEM) {
        vs->stop = TSVC_ERR_NOMEM;
        return st;
    }
    if (vs->num_cache < MAX_SIG_CACHE) {
        vs->cache[vs->num_cache].child = child;
        vs->cache[vs->num_cache].key = key;
        vs->cache[vs->num_cache].result = st;
        vs->num_cache++;
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* Checks of a complete path                                           */
/* ------------------------------------------------------------------ */

typedef struct pcheck {
    vstate *vs;
    outcome out;
} pcheck;

static void pc_fail(pcheck *pc, int parent, int cert_index, const char *check,
                    tsvc_indication ind, tsvc_subindication sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

static void pc_fail(pcheck *pc, int parent, int cert_index, const char *check,
                    tsvc_indication ind, tsvc_subindication sub, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tsvc__report_add(pc->vs->r, parent, check, TSVC_CHECK_FAILED, cert_index, "%s", msg);
    if (!pc->out.failed) {
        pc->out.failed = true;
        pc->out.ind = ind;
        pc->out.sub = sub;
        if (cert_index >= 0)
            snprintf(pc->out.reason, sizeof(pc->out.reason), "%s (certificate %d): %s", check,
                     cert_index, msg);
        else
            snprintf(pc->out.reason, sizeof(pc->out.reason), "%s: %s", check, msg);
    }
}

static void pc_pass(pcheck *pc, int parent, int cert_index, const char *check, const char *msg)
{
    tsvc__report_add(pc->vs->r, parent, check, TSVC_CHECK_PASSED, cert_index, "%s",
                     msg ? msg : "");
}

#define CHAIN_FAIL TSVC_INDICATION_FAILED, TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE

static void fmt_time(int64_t t, char out[40])
{
    int64_t y;
    unsigned mo, d, h, mi, sec;
    tsvc__time_to_civil(t, &y, &mo, &d, &h, &mi, &sec);
    snprintf(out, 40, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi, sec);
}

static void check_validity(pcheck *pc, int g, int idx, const tsvc_cert *c)
{
    char t[40];
    if (pc->vs->when < c->not_before) {
        fmt_time(c->not_before, t);
        pc_fail(pc, g, idx, "validity", TSVC_INDICATION_FAILED, TSVC_SUB_NOT_YET_VALID,
                "not valid before %s", t);
    } else if (pc->vs->when > c->not_after) {
        fmt_time(c->not_after, t);
        pc_fail(pc, g, idx, "validity", TSVC_INDICATION_FAILED, TSVC_SUB_EXPIRED,
                "expired at %s", t);
    } else {
        pc_pass(pc, g, idx, "validity", NULL);
    }
}

static void check_critical(pcheck *pc, int g, int idx, const tsvc_cert *c)
{
    if (c->flags & TSVC_CERT_FLAG_UNKNOWN_CRITICAL_EXTENSION) {
        char oid[TSVC__OID_TEXT_MAX] = "?";
        for (size_t i = 0; i < c->num_exts; i++)
            if (c->exts[i].critical && !c->exts[i].understood) {
                tsvc__oid_to_text(c->exts[i].oid.data, c->exts[i].oid.len, oid, sizeof(oid));
                break;
            }
        pc_fail(pc, g, idx, "critical-extensions", CHAIN_FAIL,
                "unknown critical extension %s", oid);
    } else {
        pc_pass(pc, g, idx, "critical-extensions", NULL);
    }
}

/* RFC 5280 4.2.1.3 / 4.2.1.9 consistency of cA and keyCertSign. */
static void check_ca_consistency(pcheck *pc, int g, int idx, const tsvc_cert *c)
{
    bool kcs = c->ku.present && (c->ku.bits & TSVC_KU_KEY_CERT_SIGN);
    bool ca = c->bc.present && c->bc.ca;
    if (kcs && !ca)
        pc_fail(pc, g, idx, "ca-consistency", CHAIN_FAIL,
                "keyCertSign asserted without basicConstraints cA");
    else if (ca && c->ku.present && !kcs)
        pc_fail(pc, g, idx, "ca-consistency", CHAIN_FAIL,
                "basicConstraints cA without keyCertSign in keyUsage");
    else if ((c->flags & TSVC_CERT_FLAG_PATHLEN_WITHOUT_CA) != 0)
        pc_fail(pc, g, idx, "ca-consistency", CHAIN_FAIL, "pathLenConstraint without cA");
}

/* Profile rules of the server and client profiles (CA/B Forum, RFC 5280 section 4). */
static void check_webpki_common(pcheck *pc, int g, int idx, const tsvc_cert *c, bool is_ca,
                                bool is_anchor)
{
    if (c->version != 3)
        pc_fail(pc, g, idx, "profile", CHAIN_FAIL, "version %u certificate", c->version);
    if (c->flags & (TSVC_CERT_FLAG_SERIAL_NEGATIVE | TSVC_CERT_FLAG_SERIAL_ZERO |
                    TSVC_CERT_FLAG_SERIAL_TOO_LONG))
        pc_fail(pc, g, idx, "profile", CHAIN_FAIL,
                "serial number is zero, negative or longer than 20 octets");
    if (c->flags & TSVC_CERT_FLAG_EMPTY_ISSUER)
        pc_fail(pc, g, idx, "profile", CHAIN_FAIL, "empty issuer name");
    if (c->flags & TSVC_CERT_FLAG_EMPTY_SUBJECT_SAN_NOT_CRITICAL)
        pc_fail(pc, g, idx, "profile", CHAIN_FAIL,
                "empty subject without a critical subjectAltName");
    if (c->san.present && c->san.critical && !tsvc__name_is_empty(&c->subject))
        pc_fail(pc, g, idx, "profile", CHAIN_FAIL,
                "critical subjectAltName with a non-empty subject");
    if (c->aia.present && c->aia.critical)
        pc_fail(pc, g, idx, "profile", CHAIN_FAIL, "critical authorityInfoAccess");
    /* RFC 5280 4.2.1.11: conforming CAs MUST mark policyConstraints critical. */
    if (c->pc.present && !c->pc.critical)
        pc_fail(pc, g, idx, "profile", CHAIN_FAIL, "policyConstraints not marked critical");
    if (c->aki.present && c->aki.critical)
        pc_fail(pc, g, idx, "key-identifiers", CHAIN_FAIL, "critical authorityKeyIdentifier");
    if (c->ski.present && c->ski.critical)
        pc_fail(pc, g, idx, "key-identifiers", CHAIN_FAIL, "critical subjectKeyIdentifier");
    if (c->aki.present && !c->aki.has_key_id)
        pc_fail(pc, g, idx, "key-identifiers", CHAIN_FAIL,
                "authorityKeyIdentifier without keyIdentifier");
    if (!c->self_issued && !c->aki.present)
        pc_fail(pc, g, idx, "key-identifiers", CHAIN_FAIL,
                "authorityKeyIdentifier missing in a certificate that is not self-issued");
    if (is_ca) {
        if (!c->ski.present)
            pc_fail(pc, g, idx, "key-identifiers", CHAIN_FAIL,
                    "subjectKeyIdentifier missing in a CA certificate");
        if (tsvc__name_is_empty(&c->subject))
            pc_fail(pc, g, idx, "profile", CHAIN_FAIL, "CA certificate with an empty subject");
        if (!c->bc.present || !c->bc.ca)
            pc_fail(pc, g, idx, "basic-constraints", CHAIN_FAIL,
                    "CA certificate without basicConstraints cA");
        else if (!c->bc.critical)
            pc_fail(pc, g, idx, "basic-constraints", CHAIN_FAIL,
                    "basicConstraints of a CA certificate is not critical");
    }
    if (is_anchor && c->self_issued && c->aki.present) {
        if (c->aki.has_issuer || c->aki.has_serial)
            pc_fail(pc, g, idx, "key-identifiers", CHAIN_FAIL,
                    "root authorityKeyIdentifier with authorityCertIssuer or serial number");
        if (c->aki.has_key_id && c->ski.present && !cbs_eq(&c->aki.key_id, &c->ski.key_id))
            pc_fail(pc, g, idx, "key-identifiers", CHAIN_FAIL,
                    "root authorityKeyIdentifier differs from its subjectKeyIdentifier");
    }
    if (is_anchor && c->eku.present)
        pc_fail(pc, g, idx, "extended-key-usage", CHAIN_FAIL,
                "trust anchor with an extendedKeyUsage extension");
}

/* Key and signature rules of the server and client profiles (CA/B Forum
 * BR 6.1.5, 7.1.3): RSA keys of at least 2048 bits whose size is a
 * multiple of 8, no SHA-1 signature below the trust anchor. P-192 and DSA
 * keys are not supported at all (no key: refused elsewhere). */
static void check_webpki_keys(pcheck *pc, int g, int idx, const tsvc_cert *c, bool is_anchor)
{
    if (c->pubkey != NULL && tsvc__pubkey_type(c->pubkey) == TSVC_KEY_RSA) {
        unsigned bits = tsvc__pubkey_size_bits(c->pubkey);
        if (bits < 2048)
            pc_fail(pc, g, idx, "public-key", TSVC_INDICATION_FAILED,
                    TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE, "RSA key of %u bits (at least 2048)",
                    bits);
        else if (bits % 8 != 0)
            pc_fail(pc, g, idx, "public-key", TSVC_INDICATION_FAILED,
                    TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE,
                    "RSA key of %u bits (not a multiple of 8)", bits);
    }
    if (!is_anchor && c->sig_params.hash == TSVC_HASH_SHA1)
        pc_fail(pc, g, idx, "signature-algorithm", TSVC_INDICATION_FAILED,
                TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE, "SHA-1 signature");
}

static bool eku_has(const tsvc_cert *c, const uint8_t *oid, size_t len)
{
    for (size_t i = 0; i < c->eku.num; i++)
        if (tsvc__oid_equal(&c->eku.oids[i], oid, len))
            return true;
    return false;
}

/* The EKU the profile asks of every certificate of the path (NULL: none). */
static const uint8_t *profile_eku(const tsvc_policy *pol)
{
    if (pol->profile == TSVC_PROFILE_SERVER)
        return (const uint8_t *)TSVC__OID_KP_SERVER_AUTH;
    if (pol->profile == TSVC_PROFILE_CLIENT)
        return (const uint8_t *)TSVC__OID_KP_CLIENT_AUTH;
    if (pol->profile == TSVC_PROFILE_SMIME)
        return (const uint8_t *)TSVC__OID_KP_EMAIL_PROTECTION;
    return NULL;
}

static const char *profile_eku_name(const tsvc_policy *pol)
{
    switch (pol->profile) {
    case TSVC_PROFILE_SERVER: return "serverAuth";
    case TSVC_PROFILE_CLIENT: return "clientAuth";
    case TSVC_PROFILE_SMIME: return "emailProtection";
    default: return "?";
    }
}

/* An extended key usage a profile forbids. */
typedef struct named_eku {
    const char *oid;
    size_t len;
    const char *name;
} named_eku;

#define NAMED_EKU(oid, name) {oid, TSVC__OID_LEN(oid), name}
#define OID_CT_PRECERT "\x2b\x06\x01\x04\x01\xd6\x79\x02\x04\x04" /* 1.3.6.1.4.1.11129.2.4.4 */

/* Purposes a TLS server certificate must not have (CA/B Forum BR 7.1.2.7.10;
 * anyExtendedKeyUsage is refused for every TLS leaf in check_leaf()). */
static const named_eku server_forbidden_ekus[] = {
    NAMED_EKU(TSVC__OID_KP_CODE_SIGNING, "codeSigning"),
    NAMED_EKU(TSVC__OID_KP_EMAIL_PROTECTION, "emailProtection"),
    NAMED_EKU(TSVC__OID_KP_TIME_STAMPING, "timeStamping"),
    NAMED_EKU(TSVC__OID_KP_OCSP_SIGNING, "OCSPSigning"),
    NAMED_EKU(OID_CT_PRECERT, "the precertificate signing purpose"),
};

/* Purposes an S/MIME certificate, leaf or CA, must not have (CA/B Forum
 * S/MIME BR 7.1.2.2 g, 7.1.2.3 f). */
static const named_eku smime_forbidden_ekus[] = {
    NAMED_EKU(TSVC__OID_KP_SERVER_AUTH, "serverAuth"),
    NAMED_EKU(TSVC__OID_KP_CODE_SIGNING, "codeSigning"),
    NAMED_EKU(TSVC__OID_KP_TIME_STAMPING, "timeStamping"),
    NAMED_EKU(TSVC__OID_ANY_EKU, "anyExtendedKeyUsage"),
};

/* Fails @p c (at @p idx) for each purpose of @p list it has, naming the
 * kind of certificate @p what; true if it has none. */
static bool check_forbidden_ekus(pcheck *pc, int g, int idx, const tsvc_cert *c,
                                 const named_eku *list, size_t n, const char *what)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (eku_has(c, (const uint8_t *)list[i].oid, list[i].len)) {
            pc_fail(pc, g, idx, "extended-key-usage", CHAIN_FAIL,
                    "%s in the extendedKeyUsage of %s", list[i].name, what);
            ok = false;
        }
    }
    return ok;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * An intermediate CA's extendedKeyUsage, when present, constrains the
 * purposes of the certificates below it (CA/B Forum BR 7.1.2.10.6, as
 * browsers enforce it): it must allow the profile's purpose and every
 * purpose the caller requires, anyExtendedKeyUsage allowing all of them.
 */
static void check_ca_eku(pcheck *pc, int g, int idx, const tsvc_cert *c)
{
    const tsvc_policy *pol = pc->vs->pol;
    if (!c->eku.present)
        return;
    const uint8_t *want = profile_eku(pol);
    bool ok = true;
    if (pol->profile == TSVC_PROFILE_SMIME)
        ok = check_forbidden_ekus(pc, g, idx, c, smime_forbidden_ekus,
                                  COUNT(smime_forbidden_ekus), "an S/MIME certificate");
    if (want != NULL &&
        !tsvc__cert_eku_allows(c, want, TSVC__OID_LEN(TSVC__OID_KP_SERVER_AUTH))) {
        pc_fail(pc, g, idx, "extended-key-usage", CHAIN_FAIL,
                "extendedKeyUsage of a CA certificate does not allow %s", profile_eku_name(pol));
        ok = false;
    }
    for (size_t i = 0; i < pol->num_ekus && ok; i++) {
        const tsvc__oid *w = &pol->ekus[i];
        if (w->len == TSVC__OID_LEN(TSVC__OID_ANY_EKU) &&
            memcmp(w->bytes, TSVC__OID_ANY_EKU, w->len) == 0)
            continue;
        if (!tsvc__cert_eku_allows(c, w->bytes, w->len)) {
            char oid[TSVC__OID_TEXT_MAX] = "?";
            tsvc__oid_to_text(w->bytes, w->len, oid, sizeof(oid));
            pc_fail(pc, g, idx, "extended-key-usage", CHAIN_FAIL,
                    "extendedKeyUsage of a CA certificate does not allow required %s", oid);
            ok = false;
        }
    }
    if (ok)
        pc_pass(pc, g, idx, "extended-key-usage", NULL);
}

/* ---- name constraints ---- */

typedef struct nc_names {
    tsvc__x509_gname *items;
    size_t num;
    tsvc__x509_gname subject;
    bool has_subject;
    tsvc__x509_attr *attrs;
    size_t num_attrs;
} nc_names;

static void nc_names_free(const tsvc_ctx *ctx, nc_names *n)
{
    tsvc__free(ctx, n->items);
    tsvc__free(ctx, n->attrs);
    memset(n, 0, sizeof(*n));
}

/* Subject (when not empty), subject emailAddress attributes, and SANs. */
static tsvc_status nc_collect(const tsvc_ctx *ctx, const tsvc_cert *c, nc_names *n)
{
    memset(n, 0, sizeof(*n));
    size_t emails = 0;
    if (!tsvc__name_is_empty(&c->subject)) {
        n->has_subject = true;
        n->subject.type = TSVC_GN_DIRECTORY_NAME;
        n->subject.value = c->subject;
        n->subject.element = c->subject;
        tsvc_status st = tsvc__name_parse(ctx, &c->subject, &n->attrs, &n->num_attrs, NULL);
        if (st != TSVC_OK)
            return st;
        for (size_t i = 0; i < n->num_attrs; i++)
            if (tsvc__oid_equal(&n->attrs[i].type, (const uint8_t *)TSVC__OID_EMAIL_ADDRESS,
                                TSVC__OID_LEN(TSVC__OID_EMAIL_ADDRESS)))
                emails++;
    }
    size_t total = c->san.num + emails + (n->has_subject ? 1 : 0);
    if (total == 0)
        return TSVC_OK;
    n->items = tsvc__calloc(ctx, total, sizeof(tsvc__x509_gname));
    if (n->items == NULL)
        return TSVC_ERR_NOMEM;
    if (n->has_subject)
        n->items[n->num++] = n->subject;
    for (size_t i = 0; i < n->num_attrs; i++) {
        if (!tsvc__oid_equal(&n->attrs[i].type, (const uint8_t *)TSVC__OID_EMAIL_ADDRESS,
                             TSVC__OID_LEN(TSVC__OID_EMAIL_ADDRESS)))
            continue;
        tsvc__x509_gname *g = &n->items[n->num++];
        g->type = TSVC_GN_EMAIL;
        g->value = n->attrs[i].value;
        g->element = n->attrs[i].element;
    }
    for (size_t i = 0; i < c->san.num; i++)
        n->items[n->num++] = c->san.names[i];
    return TSVC_OK;
}

static const char *gn_type_name(tsvc_general_name_type t)
{
    switch (t) {
    case TSVC_GN_DNS: return "dNSName";
    case TSVC_GN_EMAIL: return "rfc822Name";
    case TSVC_GN_IP: return "iPAddress";
    case TSVC_GN_URI: return "URI";
    case TSVC_GN_DIRECTORY_NAME: return "directoryName";
    default: return "name";
    }
}

/*
 * Checks the names of path[idx] against the constraints of every CA
 * above it (intermediates and the anchor certificate). Returns false
 * when a budget stopped the work.
 */
static bool check_name_constraints(pcheck *pc, int g, size_t idx, const tsvc__anchor *anchor)
{
    vstate *vs = pc->vs;
    const tsvc_cert *c = vs->path[idx];
    nc_names names;
    bool any = false, failed = false;
    tsvc_status st = nc_collect(vs->ctx, c, &names);
    if (st == TSVC_ERR_NOMEM) {
        nc_names_free(vs->ctx, &names);
        vs->stop = st;
        return false;
    }
    if (st != TSVC_OK) {
        /* A subject that cannot be split into attributes cannot be checked. */
        nc_names_free(vs->ctx, &names);
        for (size_t j = vs->len; j > idx; j--) {
            const tsvc_cert *ca = (j == vs->len) ? (anchor ? anchor->cert : NULL) : vs->path[j];
            if (ca != NULL && ca->nc.present) {
                pc_fail(pc, g, (int)idx, "name-constraints", CHAIN_FAIL,
                        "the subject name cannot be checked: %s", tsvc_status_str(st));
                break;
            }
        }
        return true;
    }
    for (size_t j = vs->len; j > idx; j--) {
        const tsvc_cert *ca = (j == vs->len) ? (anchor ? anchor->cert : NULL) : vs->path[j];
        if (ca == NULL || !ca->nc.present)
            continue;
        any = true;
        const tsvc__x509_name_constraints *nc = &ca->nc;
        uint64_t cost = (uint64_t)names.num * (uint64_t)(nc->num_permitted + nc->num_excluded);
        if (cost > vs->max_nc - vs->nc) {
            vs->nc = vs->max_nc;
            vs->stop = TSVC_ERR_LIMIT_NC_COMPARISONS;
            pc_fail(pc, g, (int)idx, "name-constraints", TSVC_INDICATION_INDETERMINATE,
                    TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE,
                    "name-constraint comparison budget (%llu) exhausted",
                    (unsigned long long)vs->max_nc);
            nc_names_free(vs->ctx, &names);
            return false;
        }
        vs->nc += cost;
        for (size_t k = 0; k < names.num; k++) {
            const tsvc__x509_gname *nm = &names.items[k];
            bool has_type = false, permitted = false;
            int verdict = 0; /* 1 excluded, 2 malformed, 3 not permitted */
            for (size_t p = 0; p < nc->num_permitted && !permitted && verdict == 0; p++) {
                if (nc->permitted[p].type != nm->type)
                    continue;
                has_type = true;
                tsvc__nc_result res = tsvc__x509_nc_match(nm, &nc->permitted[p]);
                if (res == TSVC__NC_MALFORMED)
                    verdict = 2;
                else if (res == TSVC__NC_MATCH)
                    permitted = true;
            }
            for (size_t e = 0; e < nc->num_excluded && verdict == 0; e++) {
                if (nc->excluded[e].type != nm->type)
                    continue;
                tsvc__nc_result res = tsvc__x509_nc_match(nm, &nc->excluded[e]);
                /* A wildcard that can stand for an excluded host is excluded. */
                if (res == TSVC__NC_NO_MATCH && nm->type == TSVC_GN_DNS &&
                    tsvc__x509_dns_wildcard_reaches(&nm->value, &nc->excluded[e].value))
                    res = TSVC__NC_MATCH;
                if (res == TSVC__NC_MALFORMED)
                    verdict = 2;
                else if (res == TSVC__NC_MATCH)
                    verdict = 1;
            }
            if (verdict == 0 && has_type && !permitted)
                verdict = 3;
            if (verdict == 0)
                continue;
            failed = true;
            pc_fail(pc, g, (int)idx, "name-constraints", CHAIN_FAIL,
                    "%s %zu %s of certificate %zu", gn_type_name(nm->type), k,
                    verdict == 1   ? "is in an excluded subtree"
                    : verdict == 2 ? "or a constraint is malformed, per the constraints"
                                   : "is outside the permitted subtrees",
                    j);
        }
    }
    if (any && !failed)
        pc_pass(pc, g, (int)idx, "name-constraints", NULL);
    nc_names_free(vs->ctx, &names);
    return true;
}

/* ---- policies ---- */

static void check_policies(pcheck *pc, const tsvc__anchor *anchor)
{
    vstate *vs = pc->vs;
    const tsvc_policy *pol = vs->pol;
    size_t n = vs->len;
    tsvc__polcert certs[MAX_PATH + 1];
    tsvc__oidref *oids = NULL;
    tsvc__polmap *maps = NULL;
    tsvc__oidref initial[TSVC__POLICY_MAX_INITIAL];
    size_t total_p = 0, total_m = 0;
    (void)anchor;

    bool needed = (pol->flags != 0) || pol->num_initial > 0;
    for (size_t i = 0; i < n; i++) {
        const tsvc_cert *c = vs->path[i];
        total_p += c->policies.num;
        total_m += c->mappings.num;
        if (c->policies.present || c->mappings.present || c->pc.present ||
            c->inhibit_any.present)
            needed = true;
    }
    if (!needed)
        return;
    if (total_p > 0)
        oids = tsvc__calloc(vs->ctx, total_p, sizeof(*oids));
    if (total_m > 0)
        maps = tsvc__calloc(vs->ctx, total_m, sizeof(*maps));
    if ((total_p > 0 && oids == NULL) || (total_m > 0 && maps == NULL)) {
        vs->stop = TSVC_ERR_NOMEM;
        goto out;
    }
    size_t po = 0, mo = 0;
    /* Processing order: from below the anchor (path[n-1]) down to the leaf. */
    for (size_t k = 0; k < n; k++) {
        const tsvc_cert *c = vs->path[n - 1 - k];
        tsvc__polcert *pcrt = &certs[k];
        memset(pcrt, 0, sizeof(*pcrt));
        pcrt->has_policies = c->policies.present;
        pcrt->policies = oids ? &oids[po] : NULL;
        for (size_t i = 0; i < c->policies.num; i++) {
            oids[po].data = c->policies.items[i].oid.data;
            oids[po].len = c->policies.items[i].oid.len;
            po++;
        }
        pcrt->num_policies = c->policies.num;
        pcrt->has_mappings = c->mappings.present;
        pcrt->mappings = maps ? &maps[mo] : NULL;
        for (size_t i = 0; i < c->mappings.num; i++) {
            maps[mo].issuer.data = c->mappings.items[i].issuer_domain.data;
            maps[mo].issuer.len = c->mappings.items[i].issuer_domain.len;
            maps[mo].subject.data = c->mappings.items[i].subject_domain.data;
            maps[mo].subject.len = c->mappings.items[i].subject_domain.len;
            mo++;
        }
        pcrt->num_mappings = c->mappings.num;
        pcrt->require_explicit = c->pc.present ? c->pc.require_explicit_policy : -1;
        pcrt->inhibit_mapping = c->pc.present ? c->pc.inhibit_policy_mapping : -1;
        pcrt->inhibit_any = c->inhibit_any.present ? c->inhibit_any.skip_certs : -1;
        pcrt->self_issued = c->self_issued;
    }
    for (size_t i = 0; i < pol->num_initial; i++) {
        initial[i].data = pol->initial[i].bytes;
        initial[i].len = pol->initial[i].len;
    }
    bool ok = false;
    const char *why = NULL;
    size_t where = 0;
    tsvc_status st = tsvc__policy_graph_run(
        vs->ctx, certs, n, initial, pol->num_initial, (pol->flags & TSVC_POLICY_EXPLICIT) != 0,
        (pol->flags & TSVC_POLICY_INHIBIT_MAPPING) != 0, (pol->flags & TSVC_POLICY_INHIBIT_ANY) != 0,
        &ok, &why, &where);
    if (st == TSVC_ERR_NOMEM) {
        vs->stop = st;
    } else if (st != TSVC_OK) {
        pc_fail(pc, -1, -1, "certificate-policies", CHAIN_FAIL, "%s", tsvc_status_str(st));
    } else if (!ok) {
        pc_fail(pc, -1, (int)(n - 1 - where), "certificate-policies", CHAIN_FAIL, "%s",
                why ? why : "policy processing failed");
    } else {
        pc_pass(pc, -1, -1, "certificate-policies", NULL);
    }
out:
    tsvc__free(vs->ctx, oids);
    tsvc__free(vs->ctx, maps);
}

/* ---- leaf ---- */

static bool email_match(const tsvc__cbs *san, const char *want)
{
    const char *at = strrchr(want, '@');
    size_t local = (size_t)(at - want);
    size_t wlen = strlen(want);
    if (san->len != wlen)
        return false;
    if (memcmp(san->data, want, local + 1) != 0)
        return false;
    for (size_t i = local + 1; i < wlen; i++) {
        unsigned char a = san->data[i], b = (unsigned char)want[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        if (a != b)
            return false;
    }
    return true;
}

/* ---- subject commonName of a server certificate ---- */

/* RFC 3986 dotted decimal of an IPv4 address, or RFC 5952 text of an IPv6 one. */
static void ip_canonical_text(const uint8_t *ip, size_t len, char *out, size_t size)
{
    if (len == 4) {
        snprintf(out, size, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
        return;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = ((unsigned)ip[2 * i] << 8) | ip[2 * i + 1];
    /* The first longest run of two or more zero groups becomes "::". */
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 8 && n < size; i++) {
        if (i == best) {
            n += (size_t)snprintf(out + n, size - n, "::");
            i += best_len - 1;
            continue;
        }
        bool sep = i > 0 && !(best >= 0 && i == best + best_len);
        n += (size_t)snprintf(out + n, size - n, "%s%x", sep ? ":" : "", g[i]);
    }
}

static uint8_t lower_ascii(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* ASCII case-insensitive equality of @p n bytes. */
static bool ascii_ieq(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower_ascii(a[i]) != lower_ascii(b[i]))
            return false;
    return true;
}

/* Whether a commonName value reads as an IP address in some notation:
 * a colon (IPv6), only digits and dots, or a "0x" number. */
static bool cn_looks_like_ip(const tsvc__cbs *v)
{
    bool digits_dots = v->len > 0;
    for (size_t i = 0; i < v->len; i++) {
        uint8_t c = v->data[i];
        if (c == ':')
            return true;
        if (c != '.' && (c < '0' || c > '9'))
            digits_dots = false;
    }
    if (v->len > 2 && v->data[0] == '0' && (v->data[1] == 'x' || v->data[1] == 'X'))
        return true;
    return digits_dots;
}

/* Whether a commonName value holds an internationalised domain name: a
 * byte outside ASCII, or an "xn--" label. */
static bool cn_looks_like_idn(const tsvc__cbs *v)
{
    for (size_t i = 0; i < v->len; i++) {
        if (v->data[i] >= 0x80)
            return true;
        if ((i == 0 || v->data[i - 1] == '.') && v->len - i >= 4 &&
            ascii_ieq(v->data + i, (const uint8_t *)"xn--", 4))
            return true;
    }
    return false;
}

/*
 * CA/B Forum BR 7.1.4.3: a server certificate's commonName is a copy of
 * one of its subjectAltName values: a dNSName character for character, an
 * iPAddress in its RFC 3986 / RFC 5952 text. Enforced where a mismatch is
 * unambiguous: a commonName that reads as an IP address, one that holds
 * an internationalised name (A-label or U-label), and one that equals a
 * dNSName but for letter case. Other commonName values (a label such as
 * "web server", or a host name the certificate does not otherwise name)
 * are left to the peer-name check, which never reads the commonName.
 */
static void check_server_cn(pcheck *pc, int g, const tsvc_cert *leaf)
{
    tsvc__x509_attr *attrs = NULL;
    size_t num = 0;
    if (tsvc__name_parse(pc->vs->ctx, &leaf->subject, &attrs, &num, NULL) != TSVC_OK) {
        tsvc__free(pc->vs->ctx, attrs);
        return; /* reported by the name checks */
    }
    for (size_t i = 0; i < num; i++) {
        const tsvc__x509_attr *a = &attrs[i];
        if (!tsvc__oid_equal(&a->type, (const uint8_t *)TSVC__OID_AT_COMMON_NAME,
                             TSVC__OID_LEN(TSVC__OID_AT_COMMON_NAME)))
            continue;
        const bool ip = cn_looks_like_ip(&a->value), idn = cn_looks_like_idn(&a->value);
        bool found = false, case_only = false;
        for (size_t k = 0; k < leaf->san.num && !found; k++) {
            const tsvc__x509_gname *gn = &leaf->san.names[k];
            if (gn->type == TSVC_GN_DNS && gn->value.len == a->value.len) {
                found = memcmp(gn->value.data, a->value.data, a->value.len) == 0;
                if (!found && ascii_ieq(gn->value.data, a->value.data, a->value.len))
                    case_only = true;
            } else if (gn->type == TSVC_GN_IP && (gn->value.len == 4 || gn->value.len == 16)) {
                char text[48];
                ip_canonical_text(gn->value.data, gn->value.len, text, sizeof(text));
                found = strlen(text) == a->value.len &&
                        memcmp(text, a->value.data, a->value.len) == 0;
            }
        }
        if (found || !(ip || idn || case_only))
            continue;
        char shown[80];
        size_t n = a->value.len < 60 ? a->value.len : 60;
        for (size_t k = 0; k < n; k++) {
            uint8_t c = a->value.data[k];
            shown[k] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        }
        shown[n] = '\0';
        pc_fail(pc, g, 0, "common-name", CHAIN_FAIL, "commonName \"%s\" is not a copy of %s",
                shown,
                case_only ? "its subjectAltName dNSName (letter case differs)"
                : ip      ? "a subjectAltName iPAddress in RFC 3986/5952 text"
                          : "a subjectAltName dNSName");
    }
    tsvc__free(pc->vs->ctx, attrs);
}


/* CA/B Forum S/MIME BR 7.1.2.3: what an S/MIME subscriber certificate must
 * carry beyond the common rules. */
static void check_smime_leaf(pcheck *pc, int g, const tsvc_cert *leaf)
{
    if (!leaf->eku.present)
        pc_fail(pc, g, 0, "extended-key-usage", CHAIN_FAIL,
                "no extendedKeyUsage in an S/MIME certificate");
    if (!leaf->ku.present)
        pc_fail(pc, g, 0, "key-usage", CHAIN_FAIL, "no keyUsage in an S/MIME certificate");
    else if (leaf->ku.bits & (TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN))
        pc_fail(pc, g, 0, "key-usage", CHAIN_FAIL,
                "keyCertSign or cRLSign in the keyUsage of an S/MIME certificate");
    bool mailbox = false;
    for (size_t k = 0; k < leaf->san.num && !mailbox; k++)
        mailbox = leaf->san.names[k].type == TSVC_GN_EMAIL;
    if (!mailbox)
        pc_fail(pc, g, 0, "subject-alt-name", CHAIN_FAIL,
                "no rfc822Name in the subjectAltName of an S/MIME certificate");
}

static void check_leaf(pcheck *pc, int g)
{
    vstate *vs = pc->vs;
    const tsvc_policy *pol = vs->pol;
    const tsvc_cert *leaf = vs->path[0];

    if (leaf->nc.present && !(leaf->bc.present && leaf->bc.ca))
        pc_fail(pc, g, 0, "name-constraints", CHAIN_FAIL,
                "nameConstraints in a certificate that is not a CA");
    /* CA/B Forum BR 7.1.2.7.8, S/MIME BR 7.1.2.3 d: a subscriber
     * certificate is not a CA. RFC 5280 alone allows a CA certificate at
     * the end of a path (4.2.1.9). */
    if (vs->webpki && leaf->bc.present && leaf->bc.ca)
        pc_fail(pc, g, 0, "basic-constraints", CHAIN_FAIL,
                "the end-entity certificate is a CA certificate (basicConstraints cA)");

    /* Key usage required by the caller. */
    if (pol->key_usage != 0) {
        if (leaf->ku.present && (leaf->ku.bits & pol->key_usage) != pol->key_usage)
            pc_fail(pc, g, 0, "key-usage", TSVC_INDICATION_FAILED,
                    TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE,
                    "keyUsage 0x%03x lacks required 0x%03x", (unsigned)leaf->ku.bits,
                    (unsigned)pol->key_usage);
        else
            pc_pass(pc, g, 0, "key-usage", NULL);
    }

    /* Extended key usage. */
    const uint8_t *want_eku = profile_eku(pol);
    bool eku_ok = true;
    if (leaf->eku.present) {
        if (want_eku != NULL && !eku_has(leaf, want_eku, TSVC__OID_LEN(TSVC__OID_KP_SERVER_AUTH))) {
            pc_fail(pc, g, 0, "extended-key-usage", CHAIN_FAIL, "%s not in extendedKeyUsage",
                    profile_eku_name(pol));
            eku_ok = false;
        }
        if (vs->webpki && eku_has(leaf, (const uint8_t *)TSVC__OID_ANY_EKU,
                                  TSVC__OID_LEN(TSVC__OID_ANY_EKU))) {
            pc_fail(pc, g, 0, "extended-key-usage", CHAIN_FAIL,
                    "anyExtendedKeyUsage in a TLS certificate");
            eku_ok = false;
        }
        if (pol->profile == TSVC_PROFILE_SERVER &&
            !check_forbidden_ekus(pc, g, 0, leaf, server_forbidden_ekus,
                                  COUNT(server_forbidden_ekus), "a TLS server certificate"))
            eku_ok = false;
        if (pol->profile == TSVC_PROFILE_SMIME &&
            !check_forbidden_ekus(pc, g, 0, leaf, smime_forbidden_ekus,
                                  COUNT(smime_forbidden_ekus), "an S/MIME certificate"))
            eku_ok = false;
        if (vs->webpki && leaf->eku.critical) {
            pc_fail(pc, g, 0, "extended-key-usage", CHAIN_FAIL, "critical extendedKeyUsage");
            eku_ok = false;
        }
        for (size_t i = 0; i < pol->num_ekus; i++) {
            const tsvc__oid *want = &pol->ekus[i];
            bool ok = vs->webpki ? eku_has(leaf, want->bytes, want->len)
                                 : tsvc__cert_eku_allows(leaf, want->bytes, want->len);
            if (!ok) {
                char oid[TSVC__OID_TEXT_MAX] = "?";
                tsvc__oid_to_text(want->bytes, want->len, oid, sizeof(oid));
                pc_fail(pc, g, 0, "extended-key-usage", CHAIN_FAIL,
                        "required %s not in extendedKeyUsage", oid);
                eku_ok = false;
            }
        }
        if (eku_ok)
            pc_pass(pc, g, 0, "extended-key-usage", NULL);
    }

    if (pol->profile == TSVC_PROFILE_SERVER)
        check_server_cn(pc, g, leaf);
    if (pol->profile == TSVC_PROFILE_SMIME)
        check_smime_leaf(pc, g, leaf);

    /* Peer names. */
    for (size_t i = 0; i < pol->num_peers; i++) {
        const tsvc__peer *p = &pol->peers[i];
        bool ok = false;
        if (p->kind == TSVC_PEER_DNS) {
            ok = tsvc__cert_match_host(leaf, p->text, strlen(p->text));
        } else if (p->kind == TSVC_PEER_IP) {
            for (size_t k = 0; k < leaf->san.num && !ok; k++) {
                const tsvc__x509_gname *gn = &leaf->san.names[k];
                ok = gn->type == TSVC_GN_IP && gn->value.len == p->ip_len &&
                     memcmp(gn->value.data, p->ip, p->ip_len) == 0;
            }
        } else {
            for (size_t k = 0; k < leaf->san.num && !ok; k++) {
                const tsvc__x509_gname *gn = &leaf->san.names[k];
                ok = gn->type == TSVC_GN_EMAIL && email_match(&gn->value, p->text);
            }
        }
        if (ok)
            pc_pass(pc, g, 0, "peer-name", p->kind == TSVC_PEER_IP ? "IP address" : p->text);
        else
            pc_fail(pc, g, 0, "peer-name", CHAIN_FAIL, "%s not in subjectAltName",
                    p->kind == TSVC_PEER_IP ? "the IP address" : p->text);
    }

    if (vs->webpki) {
        if (leaf->pubkey == NULL)
            pc_fail(pc, g, 0, "public-key", TSVC_INDICATION_FAILED,
                    TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE, "public key algorithm not acceptable");
        if (leaf->flags & TSVC_CERT_FLAG_UNKNOWN_SIGNATURE_ALGORITHM)
            pc_fail(pc, g, 0, "signature-algorithm", TSVC_INDICATION_FAILED,
                    TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE, "signature algorithm not acceptable");
    }
}

/* Processes the complete path vs->path[0..len-1] + anchor. */
static void check_path(vstate *vs, const tsvc__anchor *anchor, outcome *out)
{
    pcheck pc;
    memset(&pc, 0, sizeof(pc));
    pc.vs = vs;
    size_t n = vs->len;
    char name[256];

    /* The trust anchor's certificate, when there is one. */
    if (anchor->cert != NULL) {
        const tsvc_cert *a = anchor->cert;
        subject_text(vs, &a->subject, name, sizeof(name));
        int g = tsvc__report_add(vs->r, -1, "trust-anchor", TSVC_CHECK_PASSED, (int)n, "%s",
                                 name);
        bool before = pc.out.failed;
        check_validity(&pc, g, (int)n, a);
        check_critical(&pc, g, (int)n, a);
        check_ca_consistency(&pc, g, (int)n, a);
        if (vs->webpki) {
            check_webpki_common(&pc, g, (int)n, a, true, true);
            check_webpki_keys(&pc, g, (int)n, a, true);
        }
        if (pc.out.failed && !before)
            tsvc__report_set_result(vs->r, g, TSVC_CHECK_FAILED);
    } else {
        tsvc__report_add(vs->r, -1, "trust-anchor", TSVC_CHECK_PASSED, -1,
                         "bare public key and name");
    }

    /* max_path_length: from the anchor certificate's pathLenConstraint, if any. */
    int64_t max_path = (int64_t)n;
    if (anchor->cert != NULL && anchor->cert->bc.present && anchor->cert->bc.path_len >= 0 &&
        anchor->cert->bc.path_len < max_path)
        max_path = anchor->cert->bc.path_len;

    for (size_t k = n; k-- > 0;) {
        const tsvc_cert *c = vs->path[k];
        bool is_leaf = k == 0;
        bool before = pc.out.failed;
        subject_text(vs, &c->subject, name, sizeof(name));
        int g = tsvc__report_add(vs->r, -1, is_leaf ? "leaf" : "intermediate",
                                 TSVC_CHECK_PASSED, (int)k, "%s", name);
        pc_pass(&pc, g, (int)k, "signature", NULL);
        {
            char why[256];
            if (!tsvc__algpolicy_check_cert(vs->pol->algpolicy, &c->sig_params, true,
                                            c->spki.data, c->spki.len, vs->when, why, sizeof(why)))
                pc_fail(&pc, g, (int)k, "crypto-constraints", TSVC_INDICATION_INDETERMINATE,
                        TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE, "%s", why);
        }
        check_validity(&pc, g, (int)k, c);
        check_critical(&pc, g, (int)k, c);
        check_ca_consistency(&pc, g, (int)k, c);
        if (!is_leaf) {
            /* (k) basicConstraints */
            if (!c->bc.present || !c->bc.ca)
                pc_fail(&pc, g, (int)k, "basic-constraints", CHAIN_FAIL,
                        "issuer certificate is not a CA (basicConstraints cA missing)");
            else
                pc_pass(&pc, g, (int)k, "basic-constraints", NULL);
            /* (l), (m) */
            if (!c->self_issued) {
                if (max_path <= 0)
                    pc_fail(&pc, g, (int)k, "path-length", CHAIN_FAIL,
                            "pathLenConstraint of a CA above is exceeded");
                else
                    max_path--;
            }
            if (c->bc.present && c->bc.path_len >= 0 && c->bc.path_len < max_path)
                max_path = c->bc.path_len;
            /* (n) */
            if (c->ku.present && !(c->ku.bits & TSVC_KU_KEY_CERT_SIGN))
                pc_fail(&pc, g, (int)k, "key-usage", CHAIN_FAIL,
                        "keyUsage of a CA certificate lacks keyCertSign");
        }
        /* (b), (c): not for self-issued intermediates. */
        if (is_leaf || !c->self_issued) {
            if (!check_name_constraints(&pc, g, k, anchor))
                break;
        }
        if (vs->webpki) {
            check_webpki_common(&pc, g, (int)k, c, !is_leaf, false);
            check_webpki_keys(&pc, g, (int)k, c, false);
            if (!is_leaf)
                check_ca_eku(&pc, g, (int)k, c);
            if (!is_leaf && vs->pol->profile == TSVC_PROFILE_SMIME && c->ku.present &&
                (c->ku.bits & (TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN)) !=
                    (TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN))
                pc_fail(&pc, g, (int)k, "key-usage", CHAIN_FAIL,
                        "keyUsage of an S/MIME CA certificate without keyCertSign and cRLSign");
        }
        if (is_leaf)
            check_leaf(&pc, g);
        if (pc.out.failed && !before)
            tsvc__report_set_result(vs->r, g, TSVC_CHECK_FAILED);
    }
    if (vs->stop == TSVC_OK)
        check_policies(&pc, anchor);
    *out = pc.out;
}

/* ------------------------------------------------------------------ */
/* Path building                                                       */
/* ------------------------------------------------------------------ */

typedef struct cand {
    const tsvc_cert *cert;
    const tsvc__anchor *anchor;
    int score;
} cand;

static int score(const vstate *vs, const tsvc_cert *child, const tsvc_cert *issuer)
{
    int s = 0;
    if (issuer == NULL)
        return 0;
    if (child->aki.has_key_id && issuer->ski.present) {
        if (cbs_eq(&child->aki.key_id, &issuer->ski.key_id))
            s += 4;
        else
            s -= 4;
    }
    if (valid_at(issuer, vs->when))
        s += 2;
    return s;
}

static bool in_path(const vstate *vs, const tsvc_cert *c)
{
    for (size_t i = 0; i < vs->len; i++) {
        const tsvc_cert *p = vs->path[i];
        if (same_cert(p, c))
            return true;
        if (cbs_eq(&p->spki, &c->spki) && tsvc__name_equal(&p->subject, &c->subject))
            return true;
    }
    return false;
}

static unsigned logical_intermediates(const vstate *vs)
{
    unsigned n = 0;
    for (size_t i = 1; i < vs->len; i++)
        if (!vs->path[i]->self_issued)
            n++;
    return n;
}

static void save_failure(vstate *vs, const tsvc__anchor *anchor, const outcome *o)
{
    vs->have_failure = true;
    vs->failure = *o;
    memcpy(vs->fail_path, vs->path, vs->len * sizeof(vs->path[0]));
    vs->fail_len = vs->len;
    vs->fail_anchor = anchor;
}

/* Records that @p child's signature does not verify with a candidate issuer's key. */
static void signature_failed(vstate *vs, const tsvc_cert *child, const tsvc__cbs *issuer)
{
    char cn[256], in[256], msg[640];
    subject_text(vs, &child->subject, cn, sizeof(cn));
    if (issuer != NULL)
        subject_text(vs, issuer, in, sizeof(in));
    else
        snprintf(in, sizeof(in), "(bare-key trust anchor)");
    snprintf(msg, sizeof(msg), "signature of %s does not verify with the key of %s", cn, in);
    set_build_reason(vs, 3, msg);
    note(vs, msg);
}

static void try_anchor(vstate *vs, const tsvc__anchor *a)
{
    const tsvc_cert *child = vs->path[vs->len - 1];
    const tsvc_pubkey *key = a->cert ? a->cert->pubkey : a->key;
    char an[256];
    if (key == NULL) {
        subject_text(vs, &a->cert->subject, an, sizeof(an));
        char msg[640];
        snprintf(msg, sizeof(msg), "the key of trust anchor %s is not supported", an);
        set_build_reason(vs, 2, msg);
        return;
    }
    tsvc_status st = check_sig(vs, child, key);
    if (vs->stop != TSVC_OK)
        return;
    if (st != TSVC_OK) {
        signature_failed(vs, child, a->cert ? &a->cert->subject : NULL);
        return;
    }
    size_t mark = tsvc__report_mark(vs->r);
    uint64_t nc_before = vs->nc;
    outcome o;
    check_path(vs, a, &o);
    if (vs->stop != TSVC_OK)
        return;
    if (!o.failed) {
        if (vs->have_failure) {
            /* Keep only this path's entries: drop those of the failed
             * path found earlier and redo this one (deterministic). */
            tsvc__report_truncate(vs->r, vs->fail_start);
            vs->nc = nc_before;
            check_path(vs, a, &o);
            if (vs->stop != TSVC_OK)
                return;
        }
        vs->found = true;
        vs->anchor = a;
        return;
    }
    if (!vs->have_failure) {
        save_failure(vs, a, &o);
        vs->fail_start = mark;
    } else {
        tsvc__report_truncate(vs->r, mark);
    }
}

/* Appends a candidate to the growable array (local storage first). */
static bool cand_push(vstate *vs, cand **cands, size_t *num, size_t *cap, cand *local, cand c)
{
    if (*num == *cap) {
        size_t ncap = *cap * 2;
        cand *n = tsvc__alloc(vs->ctx, ncap * sizeof(cand));
        if (n == NULL) {
            vs->stop = TSVC_ERR_NOMEM;
            return false;
        }
        memcpy(n, *cands, *num * sizeof(cand));
        if (*cands != local)
            tsvc__free(vs->ctx, *cands);
        *cands = n;
        *cap = ncap;
    }
    (*cands)[(*num)++] = c;
    return true;
}

/* Reverses cands[0..num-1] (the index chains give the newest first). */
static void cand_reverse(cand *cands, size_t num)
{
    for (size_t i = 0; i < num / 2; i++) {
        cand t = cands[i];
        cands[i] = cands[num - 1 - i];
        cands[num - 1 - i] = t;
    }
}

static void build(vstate *vs)
{
    const tsvc_cert *child = vs->path[vs->len - 1];
    cand local[16];
    cand *cands = local;
    size_t num = 0, cap = sizeof(local) / sizeof(local[0]);
    const uint64_t want = tsvc__name_hash(&child->issuer);
    const tsvc__name_index *aidx = &vs->store->anchor_index;
    const tsvc__name_index *iidx = &vs->store->inter_index;

    /* Trust anchors first, in the order they were added: found by name
     * through the store's index, matched by key through the signature. */
    for (uint32_t i = tsvc__name_index_first(aidx, want); i != TSVC__INDEX_END;
         i = aidx->next[i]) {
        const tsvc__anchor *a = &vs->store->anchors[i];
        if (aidx->hash[i] != want)
            continue;
        bool match = a->cert ? tsvc__name_equal(&a->cert->subject, &child->issuer)
                             : tsvc__name_equal_bytes(a->name_der, a->name_len,
                                                      child->issuer.data, child->issuer.len);
        if (match && !cand_push(vs, &cands, &num, &cap, local, (cand){NULL, a, 0}))
            goto out;
    }
    cand_reverse(cands, num);
    for (size_t i = 0; i < num; i++) {
        if (vs->attempts >= vs->max_attempts) {
            vs->stop = TSVC_ERR_LIMIT_PATH_ATTEMPTS;
            goto out;
        }
        vs->attempts++;
        try_anchor(vs, cands[i].anchor);
        if (vs->found || vs->stop != TSVC_OK)
            goto out;
    }
    num = 0;

    /* Intermediates with that subject, through the index, best first. */
    int lo = 0, hi = 0;
    for (uint32_t i = tsvc__name_index_first(iidx, want); i != TSVC__INDEX_END;
         i = iidx->next[i]) {
        const tsvc_cert *c = vs->store->inter[i];
        if (iidx->hash[i] != want || !tsvc__name_equal(&c->subject, &child->issuer))
            continue;
        int sc = score(vs, child, c);
        if (num == 0 || sc < lo)
            lo = sc;
        if (num == 0 || sc > hi)
            hi = sc;
        if (!cand_push(vs, &cands, &num, &cap, local, (cand){c, NULL, sc}))
            goto out;
    }
    cand_reverse(cands, num);
    /* Stable sort by score, highest first, in linear time: the scores are
     * a few small integers. */
    if (lo != hi) {
        cand *sorted = tsvc__alloc(vs->ctx, num * sizeof(cand));
        if (sorted == NULL) {
            vs->stop = TSVC_ERR_NOMEM;
            goto out;
        }
        size_t k = 0;
        for (int sc = hi; sc >= lo; sc--)
            for (size_t i = 0; i < num; i++)
                if (cands[i].score == sc)
                    sorted[k++] = cands[i];
        memcpy(cands, sorted, num * sizeof(cand));
        tsvc__free(vs->ctx, sorted);
    }
    for (size_t i = 0; i < num; i++) {
        const tsvc_cert *c = cands[i].cert;
        char cn[256];
        if (in_path(vs, c))
            continue; /* a cycle */
        if (vs->attempts >= vs->max_attempts) {
            vs->stop = TSVC_ERR_LIMIT_PATH_ATTEMPTS;
            goto out;
        }
        vs->attempts++;
        /* The path would hold len + 1 certificates plus at least an anchor. */
        if ((uint64_t)vs->len + 2 > vs->max_certs || vs->len + 1 > MAX_PATH) {
            vs->depth_hit = true;
            continue;
        }
        if (c->pubkey == NULL) {
            subject_text(vs, &c->subject, cn, sizeof(cn));
            char msg[640];
            snprintf(msg, sizeof(msg), "the key of intermediate %s is not supported", cn);
            set_build_reason(vs, 2, msg);
            continue;
        }
        tsvc_status st = check_sig(vs, child, c->pubkey);
        if (vs->stop != TSVC_OK)
            goto out;
        if (st != TSVC_OK) {
            signature_failed(vs, child, &c->subject);
            continue;
        }
        vs->path[vs->len++] = c;
        if (vs->pol->has_max_depth && logical_intermediates(vs) > vs->pol->max_depth) {
            vs->policy_depth_hit = true;
            vs->len--;
            continue;
        }
        build(vs);
        if (vs->found || vs->stop != TSVC_OK)
            goto out;
        vs->len--;
    }
out:
    if (cands != local)
        tsvc__free(vs->ctx, cands);
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

static void add_chain(vstate *vs, const tsvc_cert *const *path, size_t len,
                      const tsvc__anchor *anchor)
{
    for (size_t i = 0; i <= len; i++) {
        const tsvc_cert *c = i < len ? path[i] : (anchor ? anchor->cert : NULL);
        char subj[256], iss[256];
        if (c == NULL)
            continue;
        subject_text(vs, &c->subject, subj, sizeof(subj));
        subject_text(vs, &c->issuer, iss, sizeof(iss));
        /* No fingerprint: the report takes the certificate's own SHA-256
         * (kept in it) when it needs one. */
        tsvc__report_chain_add(vs->r, c, subj, iss, NULL);
    }
}

static const char *limit_text(tsvc_status st)
{
    switch ((int)st) {
    case TSVC_ERR_LIMIT_SIG_CHECKS: return "signature-check budget exhausted";
    case TSVC_ERR_LIMIT_PATH_ATTEMPTS: return "path-building attempt budget exhausted";
    case TSVC_ERR_LIMIT_NC_COMPARISONS: return "name-constraint comparison budget exhausted";
    case TSVC_ERR_LIMIT_CHAIN_DEPTH: return "chain depth limit reached";
    default: return tsvc_status_str(st);
    }
}

tsvc_status tsvc_validate(tsvc_ctx *ctx, tsvc_report **report, const tsvc_cert *leaf,
                          tsvc_store *store, tsvc_policy *policy, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_policy *own_policy = NULL;
    vstate *vs = NULL;
    tsvc_report *r = NULL;

    if (report == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "report is required");
    *report = NULL;
    if (leaf == NULL || store == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "leaf and store are required");
    if (policy == NULL) {
        st = tsvc_policy_new(ctx, &own_policy, err);
        if (st != TSVC_OK)
            return st;
        policy = own_policy;
    }
    tsvc_store_freeze(store);
    tsvc__policy_freeze(policy);

    vs = tsvc__calloc(ctx, 1, sizeof(*vs));
    if (vs == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    st = tsvc__report_new(ctx, "certificate-validation", &r);
    if (st != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    vs->ctx = ctx;
    vs->pol = policy;
    vs->store = store;
    vs->r = r;
    vs->webpki = policy->profile != TSVC_PROFILE_GENERIC;
    if (policy->has_time) {
        vs->when = policy->when;
    } else {
        st = tsvc_ctx_now(ctx, &vs->when, err);
        if (st != TSVC_OK)
            goto out;
    }
    tsvc__report_set_time(r, vs->when);
    vs->max_certs = tsvc__limit(ctx, TSVC_LIMIT_CHAIN_DEPTH);
    if (vs->max_certs > MAX_PATH + 1)
        vs->max_certs = MAX_PATH + 1;
    vs->max_sigs = tsvc__limit(ctx, TSVC_LIMIT_SIG_CHECKS);
    vs->max_attempts = tsvc__limit(ctx, TSVC_LIMIT_PATH_ATTEMPTS);
    vs->max_nc = tsvc__limit(ctx, TSVC_LIMIT_NC_COMPARISONS);
    vs->path[0] = leaf;
    vs->len = 1;

    if (vs->max_certs < 2) {
        vs->depth_hit = true;
    } else {
        build(vs);
    }
    if (vs->stop == TSVC_ERR_NOMEM) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }

    if (vs->found) {
        add_chain(vs, vs->path, vs->len, vs->anchor);
        /* Revocation of the validated path, when the policy asks (revcheck.c). */
        int rv = tsvc__path_revocation(ctx, policy, store, r, vs->path, vs->len, vs->anchor,
                                       vs->when);
        if (rv < 0) {
            st = tsvc__err_code(err, TSVC_ERR_NOMEM);
            goto out;
        }
        if (rv == 0)
            tsvc__report_set_outcome(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE,
                                     "a chain of %zu certificate(s) to a trust anchor validated",
                                     vs->len + (vs->anchor->cert ? 1u : 0u));
    } else if (vs->stop != TSVC_OK) {
        tsvc__report_set_status(r, vs->stop);
        tsvc__report_add(r, -1, "limits", TSVC_CHECK_FAILED, -1, "%s", limit_text(vs->stop));
        if (vs->have_failure)
            add_chain(vs, vs->fail_path, vs->fail_len, vs->fail_anchor);
        tsvc__report_set_outcome(r, TSVC_INDICATION_INDETERMINATE,
                                 TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND, "%s",
                                 limit_text(vs->stop));
    } else if (vs->have_failure) {
        if (vs->depth_hit)
            tsvc__report_set_status(r, TSVC_ERR_LIMIT_CHAIN_DEPTH);
        add_chain(vs, vs->fail_path, vs->fail_len, vs->fail_anchor);
        tsvc__report_set_outcome(r, vs->failure.ind, vs->failure.sub, "%s", vs->failure.reason);
    } else {
        const char *why = vs->build_reason[0] ? vs->build_reason
                                               : "no issuer found for a certificate of the path";
        if (vs->depth_hit)
            tsvc__report_set_status(r, TSVC_ERR_LIMIT_CHAIN_DEPTH);
        if (vs->depth_hit && vs->build_rank < 3) {
            why = "chain depth limit reached before a trust anchor";
        } else if (vs->policy_depth_hit && vs->build_rank < 3) {
            why = "the policy's maximum number of intermediates was reached";
        }
        tsvc__report_add(r, -1, "path-building", TSVC_CHECK_FAILED, -1, "%s", why);
        tsvc__report_set_outcome(r, TSVC_INDICATION_INDETERMINATE,
                                 TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND, "%s", why);
    }
    if (tsvc__report_error(r) != TSVC_OK) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    *report = r;
    r = NULL;
out:
    tsvc_report_free(r);
    tsvc__free(ctx, vs);
    tsvc_policy_free(own_policy);
    return st;
}
