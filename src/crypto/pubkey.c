/*
 * SPDX-License-Identifier: Apache-2.0
 * Public keys: strict SubjectPublicKeyInfo parsing and validation, the
 * reference-counted object, export, and key AlgorithmIdentifiers shared
 * with the private-key code.
 */
#include <string.h>

#include "crypto_int.h"

static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_ec[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_p521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};

const uint8_t *tsvc__crypto_curve_oid(tsvc_key_type type, size_t *len)
{
    switch (type) {
    case TSVC_KEY_ECDSA_P256:
        *len = sizeof(oid_p256);
        return oid_p256;
    case TSVC_KEY_ECDSA_P384:
        *len = sizeof(oid_p384);
        return oid_p384;
    case TSVC_KEY_ECDSA_P521:
        *len = sizeof(oid_p521);
        return oid_p521;
    default:
        *len = 0;
        return NULL;
    }
}

/* Parses a named-curve parameter (the rest of an AlgorithmIdentifier, or
 * the contents of ECPrivateKey [0]). */
tsvc_status tsvc__crypto_parse_curve(tsvc__cbs *params, tsvc_key_type *type, tsvc_error **err)
{
    int64_t off = tsvc__cbs_offset(params);
    if (tsvc__der_peek_tag(params, TSVC__TAG_SEQUENCE))
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.explicit_params", off,
                         "explicit EC curve parameters are refused; use a named curve");
    if (!tsvc__der_peek_tag(params, TSVC__TAG_OID))
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.params", off,
                         "EC key without a named curve");
    tsvc__cbs oid;
    tsvc_status st = tsvc__der_get_oid(params, &oid, err);
    if (st != TSVC_OK)
        return st;
    static const tsvc_key_type types[] = {TSVC_KEY_ECDSA_P256, TSVC_KEY_ECDSA_P384,
                                          TSVC_KEY_ECDSA_P521};
    for (size_t i = 0; i < 3; i++) {
        size_t l;
        const uint8_t *o = tsvc__crypto_curve_oid(types[i], &l);
        if (tsvc__oid_equal(&oid, o, l)) {
            *type = types[i];
            return TSVC_OK;
        }
    }
    return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.ec.curve", off, "unsupported EC curve");
}

tsvc_status tsvc__crypto_parse_key_algid(tsvc__cbs *alg, tsvc_key_type *type, bool *pss,
                                         bool *pss_has_params, tsvc__sig_params *pss_params,
                                         tsvc_error **err)
{
    tsvc__cbs oid;
    int64_t off = tsvc__cbs_offset(alg);
    tsvc_status st = tsvc__der_get_oid(alg, &oid, err);
    if (st != TSVC_OK)
        return st;
    *pss = false;
    *pss_has_params = false;
    size_t pss_len;
    const uint8_t *pss_oid = tsvc__crypto_pss_oid(&pss_len);
    if (tsvc__oid_equal(&oid, oid_rsa, sizeof(oid_rsa))) {
        *type = TSVC_KEY_RSA;
        if (alg->len != 0 && (tsvc__der_get_null(alg, NULL) != TSVC_OK || alg->len != 0))
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.rsa.params", off,
                             "rsaEncryption parameters must be NULL");
        return TSVC_OK;
    }
    if (tsvc__oid_equal(&oid, pss_oid, pss_len)) {
        *type = TSVC_KEY_RSA;
        *pss = true;
        if (alg->len == 0)
            return TSVC_OK;
        st = tsvc__crypto_pss_params_parse(alg, pss_params, err);
        if (st != TSVC_OK)
            return st;
        if (alg->len != 0)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.rsa.pss_params", off,
                             "data after RSASSA-PSS-params");
        *pss_has_params = true;
        return TSVC_OK;
    }
    if (tsvc__oid_equal(&oid, oid_ec, sizeof(oid_ec))) {
        st = tsvc__crypto_parse_curve(alg, type, err);
        if (st != TSVC_OK)
            return st;
        if (alg->len != 0)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.params", off,
                             "data after the EC curve");
        return TSVC_OK;
    }
    if (tsvc__oid_equal(&oid, oid_ed25519, sizeof(oid_ed25519))) {
        *type = TSVC_KEY_ED25519;
        if (alg->len != 0)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ed25519.params", off,
                             "Ed25519 parameters must be absent");
        return TSVC_OK;
    }
    return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.key.algorithm", off,
                     "unsupported public-key algorithm");
}

void tsvc__crypto_add_key_algid(tsvc__cbb *cbb, tsvc_key_type type)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    if (type == TSVC_KEY_RSA) {
        tsvc__cbb_add_oid(cbb, oid_rsa, sizeof(oid_rsa));
        tsvc__cbb_add_null(cbb);
    } else if (type == TSVC_KEY_ED25519) {
        tsvc__cbb_add_oid(cbb, oid_ed25519, sizeof(oid_ed25519));
    } else {
        size_t l;
        const uint8_t *o = tsvc__crypto_curve_oid(type, &l);
        if (o == NULL) {
            tsvc__cbb_fail(cbb, TSVC_ERR_ALGORITHM);
            return;
        }
        tsvc__cbb_add_oid(cbb, oid_ec, sizeof(oid_ec));
        tsvc__cbb_add_oid(cbb, o, l);
    }
    tsvc__cbb_close(cbb);
}

/* Bits in a big-endian magnitude (leading zero bytes allowed). */
unsigned tsvc__crypto_bit_len(const uint8_t *m, size_t len)
{
    size_t i = 0;
    while (i < len && m[i] == 0)
        i++;
    if (i == len)
        return 0;
    unsigned bits = (unsigned)((len - i - 1) * 8);
    for (uint8_t b = m[i]; b != 0; b >>= 1)
        bits++;
    return bits;
}

static tsvc_status parse_rsa_bits(tsvc_pubkey *pub, tsvc__cbs *bits, tsvc_error **err)
{
    tsvc__cbs seq, n, e;
    int64_t off = tsvc__cbs_offset(bits);
    tsvc_status st = tsvc__der_get(bits, TSVC__TAG_SEQUENCE, &seq, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__der_expect_end(bits, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_unsigned(&seq, &n, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_unsigned(&seq, &e, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_expect_end(&seq, err)) != TSVC_OK)
        return st;
    unsigned nbits = tsvc__crypto_bit_len(n.data, n.len);
    if (nbits > TSVC__RSA_MAX_BITS)
        return tsvc__err(err, TSVC_ERR_KEY_SIZE, "crypto.rsa.size", off,
                         "RSA modulus of %u bits is larger than %u", nbits,
                         (unsigned)TSVC__RSA_MAX_BITS);
    if (nbits < TSVC__RSA_MIN_BITS)
        return tsvc__err(err, TSVC_ERR_KEY_SIZE, "crypto.rsa.size", off,
                         "RSA modulus of %u bits is smaller than %u", nbits,
                         (unsigned)TSVC__RSA_MIN_BITS);
    if ((n.data[n.len - 1] & 1) == 0)
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.rsa.modulus", off,
                         "RSA modulus is even");
    unsigned ebits = tsvc__crypto_bit_len(e.data, e.len);
    if (ebits < 2 || (e.data[e.len - 1] & 1) == 0 || ebits >= nbits)
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.rsa.exponent", off,
                         "RSA public exponent must be odd, at least 3 and below the modulus");
    while (n.len > 0 && n.data[0] == 0) {
        n.data++;
        n.len--;
    }
    while (e.len > 0 && e.data[0] == 0) {
        e.data++;
        e.len--;
    }
    pub->n = n.data;
    pub->n_len = n.len;
    pub->e = e.data;
    pub->e_len = e.len;
    pub->bits = nbits;
    return TSVC_OK;
}

static tsvc_status parse_spki(tsvc_pubkey *pub, tsvc_error **err)
{
    tsvc__cbs in, spki, alg, bits;
    unsigned unused;
    tsvc__cbs_init(&in, pub->spki, pub->spki_len);
    tsvc_status st = tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &spki, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__der_expect_end(&in, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get(&spki, TSVC__TAG_SEQUENCE, &alg, err)) != TSVC_OK)
        return st;
    int64_t bits_off = tsvc__cbs_offset(&spki);
    if ((st = tsvc__der_get_bit_string(&spki, 0, &bits, &unused, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_expect_end(&spki, err)) != TSVC_OK)
        return st;
    if (unused != 0)
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.spki.bits", bits_off,
                         "subjectPublicKey has unused bits");
    st = tsvc__crypto_parse_key_algid(&alg, &pub->type, &pub->pss_only, &pub->pss_has_params,
                                      &pub->pss, err);
    if (st != TSVC_OK)
        return st;
    pub->key_bits = bits.data;
    pub->key_bits_len = bits.len;
    switch (pub->type) {
    case TSVC_KEY_RSA:
        return parse_rsa_bits(pub, &bits, err);
    case TSVC_KEY_ED25519:
        if (bits.len != 32)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ed25519.key", bits_off,
                             "Ed25519 public key must be 32 bytes, not %zu", bits.len);
        pub->point = bits.data;
        pub->point_len = 32;
        pub->bits = 256;
        return TSVC_OK;
    case TSVC_KEY_ECDSA_P256:
    case TSVC_KEY_ECDSA_P384:
    case TSVC_KEY_ECDSA_P521: {
        size_t cl = tsvc__crypto_ec_coord_len(pub->type);
        if (bits.len > 0 && (bits.data[0] == 0x02 || bits.data[0] == 0x03))
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.compressed", bits_off,
                             "compressed EC points are not supported");
        if (bits.len != 1 + 2 * cl || bits.data[0] != 0x04)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.point", bits_off,
                             "malformed EC point");
        if (!tsvc__crypto_ec_point_valid(pub->type, bits.data, bits.len))
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.point", bits_off,
                             "EC point is not on the curve");
        pub->point = bits.data;
        pub->point_len = bits.len;
        pub->bits = pub->type == TSVC_KEY_ECDSA_P256 ? 256u
                    : pub->type == TSVC_KEY_ECDSA_P384 ? 384u
                                                       : 521u;
        return TSVC_OK;
    }
    case TSVC_KEY_NONE:
        break;
    }
    return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.key.algorithm", -1,
                     "unsupported public-key algorithm");
}

tsvc_status tsvc__pubkey_from_spki(const tsvc_ctx *ctx, const uint8_t *spki, size_t len,
                                   tsvc_pubkey **out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.spki", -1, "out is NULL");
    *out = NULL;
    if (spki == NULL || len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.spki", -1, "no input");
    if ((uint64_t)len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "crypto.spki", -1,
                         "public key larger than the input-size limit");
    tsvc_pubkey *pub = tsvc__calloc(ctx, 1, sizeof(*pub));
    if (pub == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    pub->ctx = ctx;
    atomic_init(&pub->refs, 1u);
    pub->spki = tsvc__memdup(ctx, spki, len);
    if (pub->spki == NULL) {
        tsvc__free(ctx, pub);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    pub->spki_len = len;
    tsvc_status st = parse_spki(pub, err);
    if (st != TSVC_OK) {
        tsvc__free(ctx, pub->spki);
        tsvc__free(ctx, pub);
        return st;
    }
    tsvc__crypto_pub_handle_prefill(pub);
    *out = pub;
    return TSVC_OK;
}

tsvc_status tsvc__crypto_pubkey_from_parts(const tsvc_ctx *ctx, tsvc_key_type type,
                                           const uint8_t *a, size_t a_len, const uint8_t *b,
                                           size_t b_len, tsvc_pubkey **out, tsvc_error **err)
{
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__crypto_add_key_algid(&cbb, type);
    tsvc__cbb_open(&cbb, TSVC__TAG_BIT_STRING);
    tsvc__cbb_add_u8(&cbb, 0);
    if (type == TSVC_KEY_RSA) {
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_unsigned(&cbb, a, a_len);
        tsvc__cbb_add_unsigned(&cbb, b, b_len);
        tsvc__cbb_close(&cbb);
    } else {
        tsvc__cbb_add_bytes(&cbb, a, a_len);
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_status st = tsvc__cbb_finish(&cbb, &der);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "crypto.spki.build", -1, "cannot encode the public key");
    st = tsvc__pubkey_from_spki(ctx, der.data, der.len, out, err);
    tsvc_buf_dispose(&der);
    return st;
}

size_t tsvc__crypto_pubkey_parts(const tsvc_pubkey *pub, tsvc_key_part *parts)
{
    if (pub->type == TSVC_KEY_RSA) {
        parts[0] = (tsvc_key_part){TSVC_PART_RSA_N, pub->n, pub->n_len};
        parts[1] = (tsvc_key_part){TSVC_PART_RSA_E, pub->e, pub->e_len};
        return 2;
    }
    if (pub->type == TSVC_KEY_ED25519) {
        parts[0] = (tsvc_key_part){TSVC_PART_ED25519_PUBLIC, pub->point, pub->point_len};
        return 1;
    }
    parts[0] = (tsvc_key_part){TSVC_PART_EC_POINT, pub->point, pub->point_len};
    return 1;
}

const uint8_t *tsvc__pubkey_spki(const tsvc_pubkey *pub, size_t *len)
{
    if (pub == NULL) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = pub->spki_len;
    return pub->spki;
}

const uint8_t *tsvc__pubkey_bits(const tsvc_pubkey *pub, size_t *len)
{
    if (pub == NULL) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = pub->key_bits_len;
    return pub->key_bits;
}

tsvc_key_type tsvc__pubkey_type(const tsvc_pubkey *pub)
{
    return pub ? pub->type : TSVC_KEY_NONE;
}

unsigned tsvc__pubkey_size_bits(const tsvc_pubkey *pub)
{
    return pub ? pub->bits : 0;
}

tsvc_key_type tsvc_pubkey_type(const tsvc_pubkey *pub)
{
    return tsvc__pubkey_type(pub);
}

unsigned tsvc_pubkey_bits(const tsvc_pubkey *pub)
{
    return tsvc__pubkey_size_bits(pub);
}

bool tsvc__pubkey_pss_params(const tsvc_pubkey *pub, tsvc__sig_params *out)
{
    if (pub == NULL || !pub->pss_has_params)
        return false;
    if (out)
        *out = pub->pss;
    return true;
}

bool tsvc__pubkey_equal(const tsvc_pubkey *a, const tsvc_pubkey *b)
{
    if (a == NULL || b == NULL)
        return false;
    if (a->type != b->type)
        return false;
    if (a->type == TSVC_KEY_RSA)
        return a->n_len == b->n_len && a->e_len == b->e_len &&
               memcmp(a->n, b->n, a->n_len) == 0 && memcmp(a->e, b->e, a->e_len) == 0;
    return a->key_bits_len == b->key_bits_len &&
           memcmp(a->key_bits, b->key_bits, a->key_bits_len) == 0;
}

tsvc_status tsvc_pubkey_import(tsvc_ctx *ctx, tsvc_pubkey **out, const uint8_t *data,
                               size_t len, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.pubkey", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL || data == NULL || len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.pubkey", -1,
                         "context and data are required");
    if (!tsvc__pem_looks_like(data, len))
        return tsvc__pubkey_from_spki(ctx, data, len, out, err);
    size_t pos = 0;
    bool found = false;
    char label[64];
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_status st = tsvc__pem_next(ctx, (const char *)data, len, &pos, &found, label,
                                    sizeof(label), &der, err);
    if (st != TSVC_OK)
        return st;
    if (strcmp(label, "PUBLIC KEY") != 0) {
        tsvc_buf_dispose(&der);
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.pubkey.pem", -1,
                         "PEM label \"%s\" is not PUBLIC KEY", label);
    }
    st = tsvc__pubkey_from_spki(ctx, der.data, der.len, out, err);
    tsvc_buf_dispose(&der);
    return st;
}

tsvc_status tsvc_pubkey_export(const tsvc_pubkey *pub, tsvc_buf *out, tsvc_key_format format,
                               tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.pubkey", -1, "out is NULL");
    out->data = NULL;
    out->len = 0;
    if (pub == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.pubkey", -1, "pub is NULL");
    tsvc_status st;
    if (format == TSVC_FORMAT_DER)
        st = tsvc__buf_set(pub->ctx, out, pub->spki, pub->spki_len);
    else if (format == TSVC_FORMAT_PEM)
        st = tsvc__pem_encode(pub->ctx, "PUBLIC KEY", pub->spki, pub->spki_len, out);
    else
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.pubkey.format", -1,
                         "unknown format %d", (int)format);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "crypto.pubkey.export", -1, "cannot export the key");
    return TSVC_OK;
}

tsvc_pubkey *tsvc_pubkey_ref(tsvc_pubkey *pub)
{
    if (pub != NULL)
        atomic_fetch_add(&pub->refs, 1u);
    return pub;
}

void tsvc_pubkey_free(tsvc_pubkey *pub)
{
    if (pub == NULL)
        return;
    if (atomic_fetch_sub(&pub->refs, 1u) != 1u)
        return;
    const tsvc_ctx *ctx = pub->ctx;
    tsvc__crypto_pub_handle_free(ctx, atomic_load(&pub->handle_cache));
    tsvc__free(ctx, pub->spki);
    tsvc__free(ctx, pub);
}
