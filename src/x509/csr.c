/*
 * SPDX-License-Identifier: Apache-2.0
 * PKCS#10 certificate requests (RFC 2986) with an extensionRequest
 * attribute (RFC 2985 5.4.2): a builder that signs with any key through
 * tsvc__sign_ex (so the key's activation callback is asked, label "csr"),
 * and a strict parser that checks the request's signature with its own
 * key.
 *
 * Thread safety: a builder belongs to one thread; a parsed request is
 * immutable.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "der/der.h"
#include "trustsvc/csr.h"
#include "x509/x509.h"

#define CSR_MAX_SANS 64
#define CSR_MAX_EKUS 32

static const uint8_t oid_ext_req[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e};
static const uint8_t oid_san[] = {0x55, 0x1d, 0x11};
static const uint8_t oid_ku[] = {0x55, 0x1d, 0x0f};
static const uint8_t oid_eku[] = {0x55, 0x1d, 0x25};

struct tsvc_csr_builder {
    const tsvc_ctx *ctx;
    tsvc_buf subject;
    bool has_subject;
    tsvc_buf sans[CSR_MAX_SANS]; /* encoded GeneralName elements */
    size_t num_sans;
    uint32_t ku;
    bool ku_critical;
    uint8_t eku[CSR_MAX_EKUS][TSVC__OID_MAX_LEN];
    size_t eku_len[CSR_MAX_EKUS];
    size_t num_ekus;
};

struct tsvc_csr {
    const tsvc_ctx *ctx;
    uint8_t *der;
    size_t der_len;
    tsvc__cbs subject;
    tsvc_pubkey *pub;
    tsvc__sig_params sig;
    bool has_ku;
    uint32_t ku;
    tsvc__cbs ekus[CSR_MAX_EKUS];
    size_t num_ekus;
    tsvc__x509_gname *sans;
    size_t num_sans;
};

/* ------------------------------------------------------------------ */
/* Builder                                                              */
/* ------------------------------------------------------------------ */

tsvc_status tsvc_csr_builder_new(const tsvc_ctx *ctx, tsvc_csr_builder **out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr", -1, "ctx is NULL");
    tsvc_csr_builder *b = tsvc__calloc(ctx, 1, sizeof(*b));
    if (b == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    b->ctx = ctx;
    *out = b;
    return TSVC_OK;
}

void tsvc_csr_builder_free(tsvc_csr_builder *b)
{
    if (b == NULL)
        return;
    tsvc_buf_dispose(&b->subject);
    for (size_t i = 0; i < b->num_sans; i++)
        tsvc_buf_dispose(&b->sans[i]);
    tsvc__free(b->ctx, b);
}

tsvc_status tsvc_csr_builder_set_subject(tsvc_csr_builder *b, const char *text,
                                         tsvc_error **err)
{
    if (b == NULL || text == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.subject", -1, "NULL argument");
    tsvc_status st = tsvc__x509_set_name_text(b->ctx, &b->subject, text, err);
    if (st == TSVC_OK)
        b->has_subject = true;
    return st;
}

tsvc_status tsvc_csr_builder_set_subject_der(tsvc_csr_builder *b, const uint8_t *der,
                                             size_t len, tsvc_error **err)
{
    if (b == NULL || der == NULL || len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.subject", -1, "NULL argument");
    tsvc_status st = tsvc__x509_set_name_der(b->ctx, &b->subject, der, len, err);
    if (st == TSVC_OK)
        b->has_subject = true;
    return st;
}

tsvc_status tsvc_csr_builder_add_san(tsvc_csr_builder *b, tsvc_general_name_type type,
                                     const uint8_t *value, size_t len, tsvc_error **err)
{
    if (b == NULL || value == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.san", -1, "NULL argument");
    if (b->num_sans >= CSR_MAX_SANS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "csr.san", -1,
                         "at most %d subjectAltName entries", CSR_MAX_SANS);
    tsvc_status st = tsvc__x509_encode_general_name(b->ctx, &b->sans[b->num_sans], type, value,
                                                    len, "csr.san", " in requests", err);
    if (st != TSVC_OK)
        return st;
    b->num_sans++;
    return TSVC_OK;
}

tsvc_status tsvc_csr_builder_set_key_usage(tsvc_csr_builder *b, uint32_t bits, int critical,
                                           tsvc_error **err)
{
    if (b == NULL || bits > 0x1ffu)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.key_usage", -1,
                         "unknown key usage bits");
    b->ku = bits;
    b->ku_critical = critical != 0;
    return TSVC_OK;
}

tsvc_status tsvc_csr_builder_add_eku(tsvc_csr_builder *b, const char *oid, tsvc_error **err)
{
    if (b == NULL || oid == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.eku", -1, "NULL argument");
    if (b->num_ekus >= CSR_MAX_EKUS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "csr.eku", -1,
                         "at most %d extended key usages", CSR_MAX_EKUS);
    size_t len = 0;
    tsvc_status st = tsvc__oid_from_text(oid, b->eku[b->num_ekus], TSVC__OID_MAX_LEN, &len);
    if (st != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_DER_OID, "csr.eku", -1, "malformed OID text");
    b->eku_len[b->num_ekus++] = len;
    return TSVC_OK;
}

tsvc_status tsvc_csr_builder_sign(tsvc_csr_builder *b, const tsvc_key *key,
                                  tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                                  tsvc_key_format format, tsvc_buf *out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.sign", -1, "out is NULL");
    out->data = NULL;
    out->len = 0;
    if (b == NULL || key == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.sign", -1, "NULL argument");
    if (format != TSVC_FORMAT_DER && format != TSVC_FORMAT_PEM)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.sign", -1, "unknown format");
    if (!b->has_subject)
        return tsvc__err(err, TSVC_ERR_STATE, "csr.sign", -1,
                         "set a subject first (it may be empty: \"\")");
    tsvc_pubkey *pub = NULL;
    tsvc_status st = tsvc_key_get_public(key, &pub, err);
    if (st != TSVC_OK)
        return st;
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    (void)tsvc_key_get_info(key, &info);
    tsvc__sig_params p;
    if ((st = tsvc__sig_params_default(info.type, &p)) != TSVC_OK) {
        tsvc_pubkey_free(pub);
        return tsvc__err(err, st, "csr.sign", -1, "unknown key type");
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

    /* CertificationRequestInfo */
    size_t spki_len;
    const uint8_t *spki = tsvc__pubkey_spki(pub, &spki_len);
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, b->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(&cbb, 0);
    tsvc__cbb_add_bytes(&cbb, b->subject.data, b->subject.len);
    tsvc__cbb_add_bytes(&cbb, spki, spki_len);
    tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
    if (b->num_sans > 0 || b->ku != 0 || b->num_ekus > 0) {
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_oid(&cbb, oid_ext_req, sizeof(oid_ext_req));
        tsvc__cbb_open(&cbb, TSVC__TAG_SET);
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        if (b->ku != 0) {
            tsvc__x509_ext_open(&cbb, oid_ku, sizeof(oid_ku), b->ku_critical);
            tsvc__cbb_add_named_bits(&cbb, 0, b->ku);
            tsvc__x509_ext_close(&cbb);
        }
        if (b->num_ekus > 0) {
            tsvc__x509_ext_open(&cbb, oid_eku, sizeof(oid_eku), false);
            tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
            for (size_t i = 0; i < b->num_ekus; i++)
                tsvc__cbb_add_oid(&cbb, b->eku[i], b->eku_len[i]);
            tsvc__cbb_close(&cbb);
            tsvc__x509_ext_close(&cbb);
        }
        if (b->num_sans > 0)
            tsvc__x509_encode_san_ext(&cbb, &b->subject, b->sans, b->num_sans);
        tsvc__cbb_close(&cbb); /* Extensions */
        tsvc__cbb_close(&cbb); /* SET */
        tsvc__cbb_close(&cbb); /* Attribute */
    }
    tsvc__cbb_close(&cbb); /* [0] */
    tsvc__cbb_close(&cbb); /* CertificationRequestInfo */
    tsvc_pubkey_free(pub);
    tsvc_buf cri = TSVC_BUF_INIT;
    st = tsvc__cbb_finish(&cbb, &cri);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "csr.encode", -1, "cannot encode the request");
    st = tsvc__sign_wrap(key, &p, cri.data, cri.len, "csr",
                         format == TSVC_FORMAT_PEM ? "CERTIFICATE REQUEST" : NULL, "csr.encode",
                         out, err);
    tsvc_buf_dispose(&cri);
    return st;
}

/* ------------------------------------------------------------------ */
/* Parser                                                               */
/* ------------------------------------------------------------------ */

static tsvc_status bad(tsvc_error **err, const tsvc__cbs *at, const char *what)
{
    return tsvc__err(err, TSVC_ERR_CSR_FORMAT, "csr.format", at != NULL ? tsvc__cbs_offset(at) : -1,
                     "malformed certificate request: %s", what);
}

static tsvc_status parse_extensions(tsvc_csr *csr, tsvc__cbs *exts, tsvc_error **err)
{
    bool seen_san = false, seen_eku = false;
    while (exts->len > 0) {
        tsvc__cbs ext, oid, val;
        bool critical = false;
        if (tsvc__der_get(exts, TSVC__TAG_SEQUENCE, &ext, NULL) != TSVC_OK ||
            tsvc__der_get_oid(&ext, &oid, NULL) != TSVC_OK)
            return bad(err, exts, "extension");
        if (tsvc__der_peek_tag(&ext, TSVC__TAG_BOOLEAN) &&
            tsvc__der_get_bool(&ext, &critical, NULL) != TSVC_OK)
            return bad(err, &ext, "extension critical flag");
        if (tsvc__der_get_octet_string(&ext, &val, NULL) != TSVC_OK || ext.len != 0)
            return bad(err, &ext, "extension value");
        (void)critical;
        if (tsvc__oid_equal(&oid, oid_ku, sizeof(oid_ku))) {
            uint64_t bits = 0;
            if (csr->has_ku || tsvc__der_get_named_bits(&val, 0, &bits, true, NULL) != TSVC_OK ||
                val.len != 0 || bits > 0x1ffu)
                return bad(err, &val, "keyUsage");
            csr->has_ku = true;
            csr->ku = (uint32_t)bits;
        } else if (tsvc__oid_equal(&oid, oid_eku, sizeof(oid_eku))) {
            tsvc__cbs seq;
            if (seen_eku || tsvc__der_get(&val, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK ||
                val.len != 0 || seq.len == 0)
                return bad(err, &val, "extendedKeyUsage");
            seen_eku = true;
            while (seq.len > 0) {
                if (csr->num_ekus >= CSR_MAX_EKUS)
                    return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "csr.eku", -1,
                                     "more than %d extended key usages", CSR_MAX_EKUS);
                if (tsvc__der_get_oid(&seq, &csr->ekus[csr->num_ekus], NULL) != TSVC_OK)
                    return bad(err, &seq, "extendedKeyUsage OID");
                csr->num_ekus++;
            }
        } else if (tsvc__oid_equal(&oid, oid_san, sizeof(oid_san))) {
            tsvc__cbs seq;
            if (seen_san || tsvc__der_get(&val, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK ||
                val.len != 0 || seq.len == 0)
                return bad(err, &val, "subjectAltName");
            seen_san = true;
            tsvc_status st = tsvc__x509_parse_general_names(csr->ctx, &seq, false, &csr->sans,
                                                            &csr->num_sans, err);
            if (st != TSVC_OK)
                return st;
        }
    }
    return TSVC_OK;
}

static tsvc_status parse_der(tsvc_csr *csr, tsvc_error **err)
{
    tsvc__cbs in, seq, cri_el, cri, sigalg, sigbits, attrs, subject, spki;
    unsigned unused = 0;
    uint64_t version = 0;
    bool present = false;
    tsvc__cbs_init(&in, csr->der, csr->der_len);
    if (tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK || in.len != 0)
        return bad(err, &in, "not one SEQUENCE");
    if (tsvc__der_get_element(&seq, TSVC__TAG_SEQUENCE, &cri_el, NULL) != TSVC_OK ||
        tsvc__der_get_element(&seq, TSVC__TAG_SEQUENCE, &sigalg, NULL) != TSVC_OK ||
        tsvc__der_get_bit_string(&seq, 0, &sigbits, &unused, NULL) != TSVC_OK ||
        seq.len != 0 || unused != 0)
        return bad(err, &seq, "CertificationRequest");
    tsvc__cbs outer = cri_el;
    if (tsvc__der_get(&outer, TSVC__TAG_SEQUENCE, &cri, NULL) != TSVC_OK ||
        tsvc__der_get_u64(&cri, &version, NULL) != TSVC_OK || version != 0)
        return bad(err, &cri, "version (must be 0)");
    if (tsvc__der_get_element(&cri, TSVC__TAG_SEQUENCE, &subject, NULL) != TSVC_OK)
        return bad(err, &cri, "subject");
    tsvc_status st = tsvc__name_check(&subject, err);
    if (st != TSVC_OK)
        return st;
    csr->subject = subject;
    if (tsvc__der_get_element(&cri, TSVC__TAG_SEQUENCE, &spki, NULL) != TSVC_OK)
        return bad(err, &cri, "subjectPKInfo");
    if ((st = tsvc__pubkey_from_spki(csr->ctx, spki.data, spki.len, &csr->pub, err)) != TSVC_OK)
        return st;
    if (tsvc__der_get_optional(&cri, TSVC__TAG_CONTEXT_C(0), &attrs, &present, NULL) !=
            TSVC_OK ||
        cri.len != 0)
        return bad(err, &cri, "attributes");
    while (present && attrs.len > 0) {
        tsvc__cbs attr, type, values;
        if (tsvc__der_get(&attrs, TSVC__TAG_SEQUENCE, &attr, NULL) != TSVC_OK ||
            tsvc__der_get_oid(&attr, &type, NULL) != TSVC_OK ||
            tsvc__der_get(&attr, TSVC__TAG_SET, &values, NULL) != TSVC_OK || attr.len != 0)
            return bad(err, &attrs, "attribute");
        if (!tsvc__oid_equal(&type, oid_ext_req, sizeof(oid_ext_req)))
            continue; /* challengePassword and others: not ours to judge */
        tsvc__cbs exts;
        if (tsvc__der_get(&values, TSVC__TAG_SEQUENCE, &exts, NULL) != TSVC_OK ||
            values.len != 0)
            return bad(err, &values, "extensionRequest");
        if ((st = parse_extensions(csr, &exts, err)) != TSVC_OK)
            return st;
    }
    if ((st = tsvc__sigalg_parse(&sigalg, &csr->sig, err)) != TSVC_OK)
        return st;
    st = tsvc__verify(csr->ctx, csr->pub, &csr->sig, cri_el.data, cri_el.len, sigbits.data,
                      sigbits.len, NULL);
    if (st == TSVC_ERR_SIGNATURE_INVALID)
        return tsvc__err(err, TSVC_ERR_CSR_SIGNATURE, "csr.signature", -1,
                         "the request's signature does not verify with its own key");
    if (st != TSVC_OK)
        return tsvc__err(err, st, "csr.signature", -1,
                         "the request's signature cannot be checked: %s", tsvc_status_str(st));
    return TSVC_OK;
}

tsvc_status tsvc_csr_parse(const tsvc_ctx *ctx, tsvc_csr **out, const uint8_t *data, size_t len,
                           tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL || data == NULL || len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr", -1, "context and data are required");
    if ((uint64_t)len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "csr", -1,
                         "request larger than the input-size limit");
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_status st;
    if (tsvc__pem_looks_like(data, len)) {
        size_t pos = 0;
        bool found = false;
        char label[64];
        st = tsvc__pem_next(ctx, (const char *)data, len, &pos, &found, label, sizeof(label),
                            &der, err);
        if (st != TSVC_OK)
            return st;
        if (strcmp(label, "CERTIFICATE REQUEST") != 0 &&
            strcmp(label, "NEW CERTIFICATE REQUEST") != 0) {
            tsvc_buf_dispose(&der);
            return tsvc__err(err, TSVC_ERR_CSR_FORMAT, "csr.pem", -1,
                             "PEM label \"%s\" is not a certificate request", label);
        }
    } else if ((st = tsvc__buf_set(ctx, &der, data, len)) != TSVC_OK) {
        return tsvc__err_code(err, st);
    }
    st = tsvc__der_validate(der.data, der.len, (unsigned)tsvc__limit(ctx, TSVC_LIMIT_DER_DEPTH),
                            err);
    if (st != TSVC_OK) {
        tsvc_buf_dispose(&der);
        return st;
    }
    tsvc_csr *csr = tsvc__calloc(ctx, 1, sizeof(*csr));
    if (csr == NULL) {
        tsvc_buf_dispose(&der);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    csr->ctx = ctx;
    csr->der = tsvc__memdup(ctx, der.data, der.len);
    csr->der_len = der.len;
    tsvc_buf_dispose(&der);
    if (csr->der == NULL) {
        tsvc_csr_free(csr);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    if ((st = parse_der(csr, err)) != TSVC_OK) {
        tsvc_csr_free(csr);
        return st;
    }
    *out = csr;
    return TSVC_OK;
}

void tsvc_csr_free(tsvc_csr *csr)
{
    if (csr == NULL)
        return;
    tsvc_pubkey_free(csr->pub);
    tsvc__free(csr->ctx, csr->sans);
    tsvc__free(csr->ctx, csr->der);
    tsvc__free(csr->ctx, csr);
}

const uint8_t *tsvc_csr_der(const tsvc_csr *csr, size_t *len)
{
    if (len != NULL)
        *len = csr != NULL ? csr->der_len : 0;
    return csr != NULL ? csr->der : NULL;
}

const uint8_t *tsvc_csr_subject_der(const tsvc_csr *csr, size_t *len)
{
    if (len != NULL)
        *len = csr != NULL ? csr->subject.len : 0;
    return csr != NULL ? csr->subject.data : NULL;
}

tsvc_status tsvc_csr_subject_text(const tsvc_csr *csr, tsvc_buf *out, tsvc_error **err)
{
    if (csr == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.subject", -1, "NULL argument");
    return tsvc__name_to_text(csr->ctx, &csr->subject, out, err);
}

tsvc_status tsvc_csr_pubkey(const tsvc_csr *csr, tsvc_pubkey **out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.pubkey", -1, "out is NULL");
    *out = NULL;
    if (csr == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "csr.pubkey", -1, "csr is NULL");
    *out = tsvc_pubkey_ref(csr->pub);
    return TSVC_OK;
}

tsvc_sig_scheme tsvc_csr_sig_scheme(const tsvc_csr *csr)
{
    return csr != NULL ? csr->sig.scheme : TSVC_SIG_NONE;
}

int tsvc_csr_key_usage(const tsvc_csr *csr, uint32_t *bits)
{
    if (bits != NULL)
        *bits = csr != NULL && csr->has_ku ? csr->ku : 0;
    return csr != NULL && csr->has_ku;
}

size_t tsvc_csr_num_ekus(const tsvc_csr *csr)
{
    return csr != NULL ? csr->num_ekus : 0;
}

tsvc_status tsvc_csr_eku(const tsvc_csr *csr, size_t index, char *out, size_t out_size)
{
    if (csr == NULL || out == NULL || index >= csr->num_ekus)
        return TSVC_ERR_INVALID_ARG;
    tsvc_status st = tsvc__oid_to_text(csr->ekus[index].data, csr->ekus[index].len, out,
                                       out_size);
    return st == TSVC_OK ? st : TSVC_ERR_BUFFER_TOO_SMALL;
}

size_t tsvc_csr_num_sans(const tsvc_csr *csr)
{
    return csr != NULL ? csr->num_sans : 0;
}

tsvc_status tsvc_csr_san(const tsvc_csr *csr, size_t index, tsvc_general_name_type *type,
                         const uint8_t **value, size_t *value_len)
{
    if (csr == NULL || index >= csr->num_sans || value == NULL || value_len == NULL)
        return TSVC_ERR_INVALID_ARG;
    if (type != NULL)
        *type = csr->sans[index].type;
    *value = csr->sans[index].value.data;
    *value_len = csr->sans[index].value.len;
    return TSVC_OK;
}
