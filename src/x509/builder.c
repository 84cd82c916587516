/*
 * SPDX-License-Identifier: Apache-2.0
 * Issuing X.509 v3 certificates: a builder that encodes a TBSCertificate
 * from its settings and signs it through tsvc__sign_ex (so a key's
 * activation callback is asked, label "certificate").
 *
 * Thread safety: a builder belongs to one thread.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "der/der.h"
#include "trustsvc/certbuilder.h"
#include "x509/x509.h"

#define CB_MAX_SANS 64
#define CB_MAX_EKUS 32
#define CB_MAX_URIS 16
#define CB_MAX_POLICIES 16
#define CB_MAX_EXTRA 16

static const uint8_t oid_bc[] = {0x55, 0x1d, 0x13};
static const uint8_t oid_ku[] = {0x55, 0x1d, 0x0f};
static const uint8_t oid_eku[] = {0x55, 0x1d, 0x25};
static const uint8_t oid_san[] = {0x55, 0x1d, 0x11};
static const uint8_t oid_ski[] = {0x55, 0x1d, 0x0e};
static const uint8_t oid_aki[] = {0x55, 0x1d, 0x23};
static const uint8_t oid_crldp[] = {0x55, 0x1d, 0x1f};
static const uint8_t oid_cp[] = {0x55, 0x1d, 0x20};
static const uint8_t oid_aia[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01};
static const uint8_t oid_ad_ocsp[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01};
static const uint8_t oid_ad_ca_issuers[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};

typedef struct cb_oid {
    uint8_t oid[TSVC__OID_MAX_LEN];
    size_t len;
} cb_oid;

struct tsvc_cert_builder {
    tsvc_ctx *ctx;
    tsvc_buf subject;
    bool has_subject;
    tsvc_buf issuer;   /* empty: same as the subject */
    bool has_issuer;
    uint8_t aki[TSVC_HASH_MAX_SIZE];
    size_t aki_len;    /* 0: computed from the signing key */
    uint8_t serial[21];
    size_t serial_len; /* 0: random */
    bool has_validity;
    int64_t not_before, not_after;
    tsvc_pubkey *pub;
    bool has_bc, bc_ca;
    int64_t bc_path_len;
    uint32_t ku;
    bool ku_critical;
    cb_oid ekus[CB_MAX_EKUS];
    size_t num_ekus;
    bool eku_critical;
    tsvc_buf sans[CB_MAX_SANS]; /* encoded GeneralName elements */
    size_t num_sans;
    tsvc_buf crl_uris[CB_MAX_URIS];
    size_t num_crl_uris;
    tsvc_buf ocsp_uris[CB_MAX_URIS];
    size_t num_ocsp_uris;
    tsvc_buf ca_uris[CB_MAX_URIS];
    size_t num_ca_uris;
    cb_oid policies[CB_MAX_POLICIES];
    size_t num_policies;
    cb_oid extra_oid[CB_MAX_EXTRA];
    bool extra_critical[CB_MAX_EXTRA];
    tsvc_buf extra_value[CB_MAX_EXTRA];
    size_t num_extra;
    bool want_ski, want_aki;
};

static tsvc_status bad_arg(tsvc_error **err, const char *check, const char *msg)
{
    return tsvc__err(err, TSVC_ERR_INVALID_ARG, check, -1, "%s", msg);
}

tsvc_status tsvc_cert_builder_new(tsvc_ctx *ctx, tsvc_cert_builder **out, tsvc_error **err)
{
    if (out == NULL)
        return bad_arg(err, "certbuilder", "out is NULL");
    *out = NULL;
    if (ctx == NULL)
        return bad_arg(err, "certbuilder", "ctx is NULL");
    tsvc_cert_builder *b = tsvc__calloc(ctx, 1, sizeof(*b));
    if (b == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    b->ctx = ctx;
    b->want_ski = true;
    b->want_aki = true;
    b->bc_path_len = -1;
    *out = b;
    return TSVC_OK;
}

static void dispose_all(tsvc_buf *bufs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tsvc_buf_dispose(&bufs[i]);
}

void tsvc_cert_builder_free(tsvc_cert_builder *b)
{
    if (b == NULL)
        return;
    tsvc_buf_dispose(&b->subject);
    tsvc_buf_dispose(&b->issuer);
    tsvc_pubkey_free(b->pub);
    dispose_all(b->sans, b->num_sans);
    dispose_all(b->crl_uris, b->num_crl_uris);
    dispose_all(b->ocsp_uris, b->num_ocsp_uris);
    dispose_all(b->ca_uris, b->num_ca_uris);
    dispose_all(b->extra_value, b->num_extra);
    tsvc__free(b->ctx, b);
}

tsvc_status tsvc_cert_builder_set_subject(tsvc_cert_builder *b, const char *text,
                                          tsvc_error **err)
{
    if (b == NULL || text == NULL)
        return bad_arg(err, "certbuilder.subject", "NULL argument");
    tsvc_status st = tsvc__x509_set_name_text(b->ctx, &b->subject, text, err);
    if (st == TSVC_OK)
        b->has_subject = true;
    return st;
}

tsvc_status tsvc_cert_builder_set_subject_der(tsvc_cert_builder *b, const uint8_t *der,
                                              size_t len, tsvc_error **err)
{
    if (b == NULL || der == NULL || len == 0)
        return bad_arg(err, "certbuilder.subject", "NULL argument");
    tsvc_status st = tsvc__x509_set_name_der(b->ctx, &b->subject, der, len, err);
    if (st == TSVC_OK)
        b->has_subject = true;
    return st;
}

/* Key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2
 * method 1); in a build where no backend has SHA-1 (libsodium only), the
 * leftmost 160 bits of their SHA-256 (RFC 7093 section 2 method 1). */
static tsvc_status key_id(const tsvc_ctx *ctx, const tsvc_pubkey *pub, uint8_t *out,
                          size_t *out_len, tsvc_error **err)
{
    size_t bits_len = 0;
    const uint8_t *bits = tsvc__pubkey_bits(pub, &bits_len);
    if (bits == NULL)
        return tsvc__err(err, TSVC_ERR_INTERNAL, "certbuilder.key_id", -1, "no key bits");
    const tsvc_hash_alg alg =
        tsvc__hash_available(ctx, TSVC_HASH_SHA1) ? TSVC_HASH_SHA1 : TSVC_HASH_SHA256;
    uint8_t digest[TSVC_HASH_MAX_SIZE];
    tsvc_status st = tsvc__hash_oneshot(ctx, alg, bits, bits_len, digest, err);
    if (st == TSVC_OK) {
        *out_len = tsvc__hash_size(TSVC_HASH_SHA1); /* 160 bits either way */
        memcpy(out, digest, *out_len);
    }
    return st;
}

tsvc_status tsvc_cert_builder_set_issuer_cert(tsvc_cert_builder *b, const tsvc_cert *issuer,
                                              tsvc_error **err)
{
    if (b == NULL || issuer == NULL)
        return bad_arg(err, "certbuilder.issuer", "NULL argument");
    size_t name_len = 0, ski_len = 0;
    const uint8_t *name = tsvc_cert_subject_der(issuer, &name_len);
    const uint8_t *ski = tsvc_cert_subject_key_id(issuer, &ski_len);
    uint8_t id[TSVC_HASH_MAX_SIZE];
    size_t id_len = 0;
    tsvc_status st;
    if (ski != NULL && ski_len > 0 && ski_len <= sizeof(id)) {
        memcpy(id, ski, ski_len);
        id_len = ski_len;
    } else {
        tsvc_pubkey *pub = NULL;
        if ((st = tsvc_cert_pubkey(issuer, &pub, err)) != TSVC_OK)
            return st;
        st = key_id(b->ctx, pub, id, &id_len, err);
        tsvc_pubkey_free(pub);
        if (st != TSVC_OK)
            return st;
    }
    tsvc_buf copy = TSVC_BUF_INIT;
    if ((st = tsvc__buf_set(b->ctx, &copy, name, name_len)) != TSVC_OK)
        return tsvc__err_code(err, st);
    tsvc_buf_dispose(&b->issuer);
    b->issuer = copy;
    b->has_issuer = true;
    memcpy(b->aki, id, id_len);
    b->aki_len = id_len;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_set_issuer(tsvc_cert_builder *b, const char *text,
                                         tsvc_error **err)
{
    if (b == NULL || text == NULL)
        return bad_arg(err, "certbuilder.issuer", "NULL argument");
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_status st = tsvc_name_from_text(b->ctx, &der, text, err);
    if (st != TSVC_OK)
        return st;
    tsvc_buf_dispose(&b->issuer);
    b->issuer = der;
    b->has_issuer = true;
    b->aki_len = 0;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_set_serial(tsvc_cert_builder *b, const uint8_t *serial, size_t len,
                                         tsvc_error **err)
{
    if (b == NULL || serial == NULL)
        return bad_arg(err, "certbuilder.serial", "NULL argument");
    while (len > 0 && serial[0] == 0) {
        serial++;
        len--;
    }
    if (len == 0 || len > 20)
        return bad_arg(err, "certbuilder.serial",
                       "a serial number is a positive number of at most 20 bytes");
    memcpy(b->serial, serial, len);
    b->serial_len = len;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_set_validity(tsvc_cert_builder *b, int64_t not_before,
                                           int64_t not_after, tsvc_error **err)
{
    if (b == NULL)
        return bad_arg(err, "certbuilder.validity", "NULL argument");
    /* 0000-01-01 .. 9999-12-31T23:59:59Z */
    if (not_after < not_before || not_before < -62167219200LL || not_after > 253402300799LL)
        return bad_arg(err, "certbuilder.validity",
                       "notAfter must not be before notBefore, and both within years 0..9999");
    b->not_before = not_before;
    b->not_after = not_after;
    b->has_validity = true;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_set_public_key(tsvc_cert_builder *b, tsvc_pubkey *pub,
                                             tsvc_error **err)
{
    if (b == NULL || pub == NULL)
        return bad_arg(err, "certbuilder.public_key", "NULL argument");
    tsvc_pubkey *ref = tsvc_pubkey_ref(pub);
    tsvc_pubkey_free(b->pub);
    b->pub = ref;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_set_basic_constraints(tsvc_cert_builder *b, int ca,
                                                    int64_t path_len, tsvc_error **err)
{
    if (b == NULL)
        return bad_arg(err, "certbuilder.basic_constraints", "NULL argument");
    if (path_len < -1 || (path_len >= 0 && !ca))
        return bad_arg(err, "certbuilder.basic_constraints",
                       "a path length needs a CA certificate and is 0 or more");
    b->has_bc = true;
    b->bc_ca = ca != 0;
    b->bc_path_len = path_len;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_set_key_usage(tsvc_cert_builder *b, uint32_t bits, int critical,
                                            tsvc_error **err)
{
    if (b == NULL || bits == 0 || bits > 0x1ffu)
        return bad_arg(err, "certbuilder.key_usage", "unknown or no key usage bits");
    b->ku = bits;
    b->ku_critical = critical != 0;
    return TSVC_OK;
}

static tsvc_status add_oid(cb_oid *list, size_t *num, size_t max, const char *text,
                           const char *check, tsvc_error **err)
{
    if (text == NULL)
        return bad_arg(err, check, "NULL argument");
    if (*num >= max)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, check, -1, "at most %zu entries", max);
    size_t len = 0;
    if (tsvc__oid_from_text(text, list[*num].oid, sizeof(list[*num].oid), &len) != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_DER_OID, check, -1, "malformed OID text");
    list[*num].len = len;
    (*num)++;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_add_eku(tsvc_cert_builder *b, const char *oid, tsvc_error **err)
{
    if (b == NULL)
        return bad_arg(err, "certbuilder.eku", "NULL argument");
    return add_oid(b->ekus, &b->num_ekus, CB_MAX_EKUS, oid, "certbuilder.eku", err);
}

void tsvc_cert_builder_set_eku_critical(tsvc_cert_builder *b, int critical)
{
    if (b != NULL)
        b->eku_critical = critical != 0;
}

tsvc_status tsvc_cert_builder_add_san(tsvc_cert_builder *b, tsvc_general_name_type type,
                                      const uint8_t *value, size_t len, tsvc_error **err)
{
    if (b == NULL || value == NULL)
        return bad_arg(err, "certbuilder.san", "NULL argument");
    if (b->num_sans >= CB_MAX_SANS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "certbuilder.san", -1,
                         "at most %d subjectAltName entries", CB_MAX_SANS);
    tsvc_status st = tsvc__x509_encode_general_name(b->ctx, &b->sans[b->num_sans], type, value,
                                                    len, "certbuilder.san", "", err);
    if (st != TSVC_OK)
        return st;
    b->num_sans++;
    return TSVC_OK;
}

static tsvc_status add_uri(const tsvc_ctx *ctx, tsvc_buf *list, size_t *num, const char *uri,
                           const char *check, tsvc_error **err)
{
    if (uri == NULL)
        return bad_arg(err, check, "NULL argument");
    if (*num >= CB_MAX_URIS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, check, -1, "at most %d URIs", CB_MAX_URIS);
    size_t len = strlen(uri);
    if (!tsvc__x509_printable_ascii((const uint8_t *)uri, len))
        return bad_arg(err, check, "a URI must be printable ASCII");
    tsvc_status st = tsvc__buf_set(ctx, &list[*num], uri, len);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    (*num)++;
    return TSVC_OK;
}

tsvc_status tsvc_cert_builder_add_crl_uri(tsvc_cert_builder *b, const char *uri,
                                          tsvc_error **err)
{
    if (b == NULL)
        return bad_arg(err, "certbuilder.crl_uri", "NULL argument");
    return add_uri(b->ctx, b->crl_uris, &b->num_crl_uris, uri, "certbuilder.crl_uri", err);
}

tsvc_status tsvc_cert_builder_add_ocsp_uri(tsvc_cert_builder *b, const char *uri,
                                           tsvc_error **err)
{
    if (b == NULL)
        return bad_arg(err, "certbuilder.ocsp_uri", "NULL argument");
    return add_uri(b->ctx, b->ocsp_uris, &b->num_ocsp_uris, uri, "certbuilder.ocsp_uri", err);
}

tsvc_status tsvc_cert_builder_add_ca_issuers_uri(tsvc_cert_builder *b, const char *uri,
                                                 tsvc_error **err)
{
    if (b == NULL)
        return bad_arg(err, "certbuilder.ca_issuers_uri", "NULL argument");
    return add_uri(b->ctx, b->ca_uris, &b->num_ca_uris, uri, "certbuilder.ca_issuers_uri", err);
}

tsvc_status tsvc_cert_builder_add_policy(tsvc_cert_builder *b, const char *oid,
                                         tsvc_error **err)
{
    if (b == NULL)
        return bad_arg(err, "certbuilder.policy", "NULL argument");
    return add_oid(b->policies, &b->num_policies, CB_MAX_POLICIES, oid, "certbuilder.policy",
                   err);
}

static bool same_oid(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

tsvc_status tsvc_cert_builder_add_extension(tsvc_cert_builder *b, const char *oid, int critical,
                                            const uint8_t *value, size_t len, tsvc_error **err)
{
    if (b == NULL || oid == NULL || value == NULL || len == 0)
        return bad_arg(err, "certbuilder.extension", "NULL argument");
    if (b->num_extra >= CB_MAX_EXTRA)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "certbuilder.extension", -1,
                         "at most %d extra extensions", CB_MAX_EXTRA);
    cb_oid o;
    if (tsvc__oid_from_text(oid, o.oid, sizeof(o.oid), &o.len) != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_DER_OID, "certbuilder.extension", -1,
                         "malformed OID text");
    static const struct {
        const uint8_t *oid;
        size_t len;
    } own[] = {{oid_bc, sizeof(oid_bc)},       {oid_ku, sizeof(oid_ku)},
               {oid_eku, sizeof(oid_eku)},     {oid_san, sizeof(oid_san)},
               {oid_ski, sizeof(oid_ski)},     {oid_aki, sizeof(oid_aki)},
               {oid_crldp, sizeof(oid_crldp)}, {oid_cp, sizeof(oid_cp)},
               {oid_aia, sizeof(oid_aia)}};
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        if (same_oid(o.oid, o.len, own[i].oid, own[i].len))
            return bad_arg(err, "certbuilder.extension",
                           "this extension has its own setter on the builder");
    for (size_t i = 0; i < b->num_extra; i++)
        if (same_oid(o.oid, o.len, b->extra_oid[i].oid, b->extra_oid[i].len))
            return tsvc__err(err, TSVC_ERR_CERT_DUPLICATE_EXTENSION, "certbuilder.extension", -1,
                             "extension %s added twice", oid);
    /* The value must be exactly one well-formed DER element. */
    tsvc_status st = tsvc__der_validate(value, len, 0, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__buf_set(b->ctx, &b->extra_value[b->num_extra], value, len)) != TSVC_OK)
        return tsvc__err_code(err, st);
    b->extra_oid[b->num_extra] = o;
    b->extra_critical[b->num_extra] = critical != 0;
    b->num_extra++;
    return TSVC_OK;
}

void tsvc_cert_builder_set_key_ids(tsvc_cert_builder *b, int subject_key_id,
                                   int authority_key_id)
{
    if (b == NULL)
        return;
    b->want_ski = subject_key_id != 0;
    b->want_aki = authority_key_id != 0;
}

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

static void add_access(tsvc__cbb *cbb, const uint8_t *method, size_t method_len,
                       const tsvc_buf *uri)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(cbb, method, method_len);
    tsvc__cbb_add_element(cbb, TSVC__TAG_CONTEXT(6), uri->data, uri->len);
    tsvc__cbb_close(cbb);
}

static void encode_extensions(const tsvc_cert_builder *b, tsvc__cbb *cbb, const uint8_t *ski,
                              size_t ski_len, const uint8_t *aki, size_t aki_len)
{
    tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(3));
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    if (b->has_bc) {
        tsvc__x509_ext_open(cbb, oid_bc, sizeof(oid_bc), true);
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        if (b->bc_ca)
            tsvc__cbb_add_bool(cbb, true);
        if (b->bc_ca && b->bc_path_len >= 0)
            tsvc__cbb_add_u64(cbb, (uint64_t)b->bc_path_len);
        tsvc__cbb_close(cbb);
        tsvc__x509_ext_close(cbb);
    }
    if (b->ku != 0) {
        tsvc__x509_ext_open(cbb, oid_ku, sizeof(oid_ku), b->ku_critical);
        tsvc__cbb_add_named_bits(cbb, TSVC__TAG_BIT_STRING, b->ku);
        tsvc__x509_ext_close(cbb);
    }
    if (b->num_ekus > 0) {
        tsvc__x509_ext_open(cbb, oid_eku, sizeof(oid_eku), b->eku_critical);
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < b->num_ekus; i++)
            tsvc__cbb_add_oid(cbb, b->ekus[i].oid, b->ekus[i].len);
        tsvc__cbb_close(cbb);
        tsvc__x509_ext_close(cbb);
    }
    if (b->num_sans > 0)
        tsvc__x509_encode_san_ext(cbb, &b->subject, b->sans, b->num_sans);
    if (ski_len > 0) {
        tsvc__x509_ext_open(cbb, oid_ski, sizeof(oid_ski), false);
        tsvc__cbb_add_octet_string(cbb, ski, ski_len);
        tsvc__x509_ext_close(cbb);
    }
    if (aki_len > 0) {
        tsvc__x509_ext_open(cbb, oid_aki, sizeof(oid_aki), false);
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_element(cbb, TSVC__TAG_CONTEXT(0), aki, aki_len);
        tsvc__cbb_close(cbb);
        tsvc__x509_ext_close(cbb);
    }
    if (b->num_crl_uris > 0) {
        tsvc__x509_ext_open(cbb, oid_crldp, sizeof(oid_crldp), false);
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < b->num_crl_uris; i++) {
            tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);       /* DistributionPoint */
            tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(0));   /* distributionPoint */
            tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(0));   /* fullName */
            tsvc__cbb_add_element(cbb, TSVC__TAG_CONTEXT(6), b->crl_uris[i].data,
                                  b->crl_uris[i].len);
            tsvc__cbb_close(cbb);
            tsvc__cbb_close(cbb);
            tsvc__cbb_close(cbb);
        }
        tsvc__cbb_close(cbb);
        tsvc__x509_ext_close(cbb);
    }
    if (b->num_ocsp_uris > 0 || b->num_ca_uris > 0) {
        tsvc__x509_ext_open(cbb, oid_aia, sizeof(oid_aia), false);
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < b->num_ocsp_uris; i++)
            add_access(cbb, oid_ad_ocsp, sizeof(oid_ad_ocsp), &b->ocsp_uris[i]);
        for (size_t i = 0; i < b->num_ca_uris; i++)
            add_access(cbb, oid_ad_ca_issuers, sizeof(oid_ad_ca_issuers), &b->ca_uris[i]);
        tsvc__cbb_close(cbb);
        tsvc__x509_ext_close(cbb);
    }
    if (b->num_policies > 0) {
        tsvc__x509_ext_open(cbb, oid_cp, sizeof(oid_cp), false);
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < b->num_policies; i++) {
            tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
            tsvc__cbb_add_oid(cbb, b->policies[i].oid, b->policies[i].len);
            tsvc__cbb_close(cbb);
        }
        tsvc__cbb_close(cbb);
        tsvc__x509_ext_close(cbb);
    }
    for (size_t i = 0; i < b->num_extra; i++) {
        tsvc__x509_ext_open(cbb, b->extra_oid[i].oid, b->extra_oid[i].len, b->extra_critical[i]);
        tsvc__cbb_add_bytes(cbb, b->extra_value[i].data, b->extra_value[i].len);
        tsvc__x509_ext_close(cbb);
    }
    tsvc__cbb_close(cbb); /* Extensions */
    tsvc__cbb_close(cbb); /* [3] */
}

static bool has_extensions(const tsvc_cert_builder *b, size_t ski_len, size_t aki_len)
{
    return b->has_bc || b->ku != 0 || b->num_ekus > 0 || b->num_sans > 0 || ski_len > 0 ||
           aki_len > 0 || b->num_crl_uris > 0 || b->num_ocsp_uris > 0 || b->num_ca_uris > 0 ||
           b->num_policies > 0 || b->num_extra > 0;
}

tsvc_status tsvc_cert_builder_sign(tsvc_cert_builder *b, const tsvc_key *issuer_key,
                                   tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                                   tsvc_key_format format, tsvc_buf *out, tsvc_error **err)
{
    if (out == NULL)
        return bad_arg(err, "certbuilder.sign", "out is NULL");
    out->data = NULL;
    out->len = 0;
    if (b == NULL || issuer_key == NULL)
        return bad_arg(err, "certbuilder.sign", "NULL argument");
    if (format != TSVC_FORMAT_DER && format != TSVC_FORMAT_PEM)
        return bad_arg(err, "certbuilder.sign", "unknown format");
    if (!b->has_subject)
        return tsvc__err(err, TSVC_ERR_STATE, "certbuilder.sign", -1, "no subject was set");
    if (b->pub == NULL)
        return tsvc__err(err, TSVC_ERR_STATE, "certbuilder.sign", -1, "no public key was set");

    tsvc_status st;
    tsvc_pubkey *signer_pub = NULL;
    tsvc_buf tbs = TSVC_BUF_INIT, sig = TSVC_BUF_INIT, der = TSVC_BUF_INIT;
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, b->ctx);

    if ((st = tsvc_key_get_public(issuer_key, &signer_pub, err)) != TSVC_OK)
        goto out;
    bool self_issued = !b->has_issuer;
    if (self_issued && !tsvc__pubkey_equal(signer_pub, b->pub)) {
        st = tsvc__err(err, TSVC_ERR_KEY_MISMATCH, "certbuilder.sign", -1,
                       "no issuer was set (self-signed) but the signing key is not the subject's");
        goto out;
    }

    tsvc__sig_params p;
    if ((st = tsvc__sig_params_default(tsvc__pubkey_type(signer_pub), &p)) != TSVC_OK) {
        st = tsvc__err(err, st, "certbuilder.sign", -1, "unknown key type");
        goto out;
    }
    if (scheme != TSVC_SIG_NONE)
        p.scheme = scheme;
    if (hash != TSVC_HASH_NONE)
        p.hash = hash;
    if (p.scheme == TSVC_SIG_ED25519)
        p.hash = TSVC_HASH_NONE;
    if (p.scheme == TSVC_SIG_RSA_PSS) {
        p.mgf1_hash = p.hash;
        p.salt_len = (uint32_t)tsvc__hash_size(p.hash);
    }

    /* Serial number and validity. */
    uint8_t serial[21];
    size_t serial_len = b->serial_len;
    if (serial_len > 0) {
        memcpy(serial, b->serial, serial_len);
    } else {
        serial_len = 16;
        if ((st = tsvc_random(b->ctx, serial, serial_len, err)) != TSVC_OK)
            goto out;
        serial[0] &= 0x7f;
        serial[0] |= 0x40; /* positive, 16 significant bytes, never zero */
    }
    int64_t not_before = b->not_before, not_after = b->not_after;
    if (!b->has_validity) {
        if ((st = tsvc_ctx_now(b->ctx, &not_before, err)) != TSVC_OK)
            goto out;
        not_after = not_before + 365 * 86400;
    }

    /* Key identifiers. */
    uint8_t ski[TSVC_HASH_MAX_SIZE], aki[TSVC_HASH_MAX_SIZE];
    size_t ski_len = 0, aki_len = 0;
    if (b->want_ski && (st = key_id(b->ctx, b->pub, ski, &ski_len, err)) != TSVC_OK)
        goto out;
    if (b->want_aki) {
        if (b->aki_len > 0) {
            memcpy(aki, b->aki, b->aki_len);
            aki_len = b->aki_len;
        } else if ((st = key_id(b->ctx, signer_pub, aki, &aki_len, err)) != TSVC_OK) {
            goto out;
        }
    }

    size_t spki_len = 0;
    const uint8_t *spki = tsvc__pubkey_spki(b->pub, &spki_len);
    const tsvc_buf *issuer = self_issued ? &b->subject : &b->issuer;

    /* TBSCertificate */
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    tsvc__cbb_add_u64(&cbb, 2); /* v3 */
    tsvc__cbb_close(&cbb);
    tsvc__cbb_add_unsigned(&cbb, serial, serial_len);
    tsvc__sigalg_encode(&cbb, &p);
    tsvc__cbb_add_bytes(&cbb, issuer->data, issuer->len);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_time(&cbb, not_before);
    tsvc__cbb_add_time(&cbb, not_after);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_add_bytes(&cbb, b->subject.data, b->subject.len);
    tsvc__cbb_add_bytes(&cbb, spki, spki_len);
    if (has_extensions(b, ski_len, aki_len))
        encode_extensions(b, &cbb, ski, ski_len, aki, aki_len);
    tsvc__cbb_close(&cbb);
    if ((st = tsvc__cbb_finish(&cbb, &tbs)) != TSVC_OK) {
        st = tsvc__err(err, st, "certbuilder.encode", -1, "cannot encode the certificate");
        goto out;
    }

    st = tsvc__sign_ex(issuer_key, &p, tbs.data, tbs.len, false, "certificate", &sig, NULL, err);
    if (st != TSVC_OK)
        goto out;

    tsvc__cbb_init(&cbb, b->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_bytes(&cbb, tbs.data, tbs.len);
    tsvc__sigalg_encode(&cbb, &p);
    tsvc__cbb_add_bit_string(&cbb, sig.data, sig.len, 0);
    tsvc__cbb_close(&cbb);
    if ((st = tsvc__cbb_finish(&cbb, &der)) != TSVC_OK) {
        st = tsvc__err(err, st, "certbuilder.encode", -1, "cannot encode the certificate");
        goto out;
    }
    if (format == TSVC_FORMAT_DER) {
        *out = der;
        der.data = NULL;
        der.len = 0;
    } else if ((st = tsvc__pem_encode(b->ctx, "CERTIFICATE", der.data, der.len, out)) !=
               TSVC_OK) {
        st = tsvc__err_code(err, st);
    }
out:
    tsvc__cbb_cleanup(&cbb);
    tsvc_pubkey_free(signer_pub);
    tsvc_buf_dispose(&tbs);
    tsvc_buf_dispose(&sig);
    tsvc_buf_dispose(&der);
    return st;
}
