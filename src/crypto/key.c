/*
 * SPDX-License-Identifier: Apache-2.0
 * Private keys: PKCS#8 (and legacy PKCS#1 / RFC 5915) parsing with our
 * DER reader, import into a backend as raw parts, generation, PKCS#8
 * export, information, release. Secret bytes are wiped on every path.
 */
#include <string.h>

#include "crypto_int.h"

#define MAX_PARTS 10

/* Raw private parts pointing into a decoded (secret) buffer. */
typedef struct raw_key {
    tsvc_key_type type;
    tsvc_key_part parts[MAX_PARTS];
    size_t num_parts;
    uint8_t ec_scalar[66]; /* padded EC private scalar */
    const uint8_t *pub;    /* public key carried with the private key, if any */
    size_t pub_len;
} raw_key;

static void raw_key_wipe(raw_key *r)
{
    tsvc_memzero(r, sizeof(*r));
}

static void add_part(raw_key *r, tsvc_key_part_id id, const uint8_t *data, size_t len)
{
    if (r->num_parts < MAX_PARTS)
        r->parts[r->num_parts++] = (tsvc_key_part){id, data, len};
}

/* Opens a private key SEQUENCE at @p in and reads its version, which must
 * be @p want (else TSVC_ERR_KEY_FORMAT with @p check and @p msg). */
static tsvc_status open_versioned(tsvc__cbs *in, tsvc__cbs *seq, uint64_t want,
                                  const char *check, const char *msg, tsvc_error **err)
{
    uint64_t version;
    int64_t off = tsvc__cbs_offset(in);
    tsvc_status st = tsvc__der_get(in, TSVC__TAG_SEQUENCE, seq, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_u64(seq, &version, err)) != TSVC_OK)
        return st;
    if (version != want)
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, check, off, "%s", msg);
    return TSVC_OK;
}

/* RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dp, dq, qinv } */
static tsvc_status parse_rsa_private(tsvc__cbs *in, raw_key *r, tsvc_error **err)
{
    tsvc__cbs seq, v;
    int64_t off = tsvc__cbs_offset(in);
    tsvc_status st = open_versioned(in, &seq, 0, "crypto.rsa.private",
                                    "multi-prime RSA keys are not supported", err);
    if (st != TSVC_OK)
        return st;
    static const tsvc_key_part_id ids[] = {TSVC_PART_RSA_N,  TSVC_PART_RSA_E, TSVC_PART_RSA_D,
                                           TSVC_PART_RSA_P,  TSVC_PART_RSA_Q, TSVC_PART_RSA_DP,
                                           TSVC_PART_RSA_DQ, TSVC_PART_RSA_QINV};
    for (size_t i = 0; i < 8; i++) {
        if ((st = tsvc__der_get_unsigned(&seq, &v, err)) != TSVC_OK)
            return st;
        if (tsvc__crypto_bit_len(v.data, v.len) == 0)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.rsa.private", off,
                             "RSA private key with a zero component");
        add_part(r, ids[i], v.data, v.len);
    }
    if ((st = tsvc__der_expect_end(&seq, err)) != TSVC_OK)
        return st;
    unsigned bits = tsvc__crypto_bit_len(r->parts[0].data, r->parts[0].len);
    if (bits > TSVC__RSA_MAX_BITS || bits < TSVC__RSA_MIN_BITS)
        return tsvc__err(err, TSVC_ERR_KEY_SIZE, "crypto.rsa.size", off,
                         "RSA modulus of %u bits is outside %u..%u", bits,
                         (unsigned)TSVC__RSA_MIN_BITS, (unsigned)TSVC__RSA_MAX_BITS);
    r->type = TSVC_KEY_RSA;
    return TSVC_OK;
}

/* ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
 *   parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
 * @p type is the curve from the PKCS#8 AlgorithmIdentifier, or NONE for
 * the legacy form (where [0] is then required). */
static tsvc_status parse_ec_private(tsvc__cbs *in, tsvc_key_type type, raw_key *r,
                                    tsvc_error **err)
{
    tsvc__cbs seq, d, f;
    bool present;
    int64_t off = tsvc__cbs_offset(in);
    tsvc_status st = open_versioned(in, &seq, 1, "crypto.ec.private",
                                    "ECPrivateKey version must be 1", err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_octet_string(&seq, &d, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(0), &f, &present, err)) !=
        TSVC_OK)
        return st;
    if (present) {
        tsvc_key_type t2;
        if ((st = tsvc__crypto_parse_curve(&f, &t2, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&f, err)) != TSVC_OK)
            return st;
        if (type != TSVC_KEY_NONE && t2 != type)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.private", off,
                             "ECPrivateKey curve differs from the AlgorithmIdentifier");
        type = t2;
    }
    if (type == TSVC_KEY_NONE)
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.params", off,
                         "EC private key without a named curve");
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(1), &f, &present, err)) !=
        TSVC_OK)
        return st;
    if (present) {
        tsvc__cbs bits;
        unsigned unused;
        if ((st = tsvc__der_get_bit_string(&f, 0, &bits, &unused, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&f, err)) != TSVC_OK)
            return st;
        if (unused != 0)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.private", off,
                             "EC public key has unused bits");
        r->pub = bits.data;
        r->pub_len = bits.len;
    }
    if ((st = tsvc__der_expect_end(&seq, err)) != TSVC_OK)
        return st;
    size_t cl = tsvc__crypto_ec_coord_len(type);
    if (d.len == 0 || d.len > cl || tsvc__crypto_bit_len(d.data, d.len) == 0)
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.private", off,
                         "EC private scalar has a wrong size or is zero");
    memset(r->ec_scalar, 0, cl - d.len);
    memcpy(r->ec_scalar + (cl - d.len), d.data, d.len);
    r->type = type;
    add_part(r, TSVC_PART_EC_PRIVATE, r->ec_scalar, cl);
    if (r->pub != NULL) {
        if (!tsvc__crypto_ec_point_valid(type, r->pub, r->pub_len))
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.point", off,
                             "EC public point is malformed or not on the curve");
        add_part(r, TSVC_PART_EC_POINT, r->pub, r->pub_len);
    }
    return TSVC_OK;
}

/* OneAsymmetricKey / PrivateKeyInfo (RFC 5958). */
static tsvc_status parse_pkcs8(const uint8_t *der, size_t len, raw_key *r, tsvc_error **err)
{
    tsvc__cbs in, seq, alg, priv, f;
    uint64_t version;
    bool present, pss, pss_has;
    tsvc__sig_params pss_params;
    tsvc_key_type type;
    tsvc__cbs_init(&in, der, len);
    tsvc_status st = tsvc__der_get(&in, TSVC__TAG_SEQUENCE, &seq, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__der_expect_end(&in, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__der_get_u64(&seq, &version, err)) != TSVC_OK)
        return st;
    if (version > 1)
        return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.pkcs8.version", -1,
                         "PKCS#8 version %llu is not supported", (unsigned long long)version);
    if ((st = tsvc__der_get(&seq, TSVC__TAG_SEQUENCE, &alg, err)) != TSVC_OK)
        return st;
    if ((st = tsvc__crypto_parse_key_algid(&alg, &type, &pss, &pss_has, &pss_params, err)) !=
        TSVC_OK)
        return st;
    if (pss)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.pkcs8.algorithm", -1,
                         "RSASSA-PSS private keys are not supported; use rsaEncryption");
    if ((st = tsvc__der_get_octet_string(&seq, &priv, err)) != TSVC_OK)
        return st;
    /* attributes [0] IMPLICIT SET: ignored. */
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(0), &f, &present, err)) !=
        TSVC_OK)
        return st;
    tsvc__cbs pub_bits = {NULL, 0, NULL};
    if (version == 1) {
        unsigned unused = 0;
        if (tsvc__der_peek_tag(&seq, TSVC__TAG_CONTEXT(1))) {
            if ((st = tsvc__der_get_bit_string(&seq, TSVC__TAG_CONTEXT(1), &pub_bits, &unused,
                                               err)) != TSVC_OK)
                return st;
            if (unused != 0)
                return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.pkcs8.public", -1,
                                 "public key has unused bits");
        }
    }
    if ((st = tsvc__der_expect_end(&seq, err)) != TSVC_OK)
        return st;
    switch (type) {
    case TSVC_KEY_RSA:
        st = parse_rsa_private(&priv, r, err);
        break;
    case TSVC_KEY_ECDSA_P256:
    case TSVC_KEY_ECDSA_P384:
    case TSVC_KEY_ECDSA_P521:
        st = parse_ec_private(&priv, type, r, err);
        if (st == TSVC_OK && pub_bits.data != NULL && r->pub == NULL) {
            if (!tsvc__crypto_ec_point_valid(type, pub_bits.data, pub_bits.len))
                return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ec.point", -1,
                                 "EC public point is malformed or not on the curve");
            r->pub = pub_bits.data;
            r->pub_len = pub_bits.len;
            add_part(r, TSVC_PART_EC_POINT, r->pub, r->pub_len);
        }
        break;
    case TSVC_KEY_ED25519: {
        tsvc__cbs seed;
        if ((st = tsvc__der_get_octet_string(&priv, &seed, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&priv, err)) != TSVC_OK)
            return st;
        if (seed.len != 32)
            return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ed25519.private", -1,
                             "Ed25519 private key must be 32 bytes, not %zu", seed.len);
        r->type = type;
        add_part(r, TSVC_PART_ED25519_SEED, seed.data, 32);
        if (pub_bits.data != NULL) {
            if (pub_bits.len != 32)
                return tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.ed25519.public", -1,
                                 "Ed25519 public key must be 32 bytes");
            r->pub = pub_bits.data;
            r->pub_len = 32;
            add_part(r, TSVC_PART_ED25519_PUBLIC, r->pub, 32);
        }
        break;
    }
    case TSVC_KEY_NONE:
        st = TSVC_ERR_ALGORITHM;
        break;
    }
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__der_expect_end(&priv, err)) != TSVC_OK)
        return st;
    return TSVC_OK;
}

/* ---- collecting parts a backend exports ---- */

typedef struct part_bag {
    const tsvc_ctx *ctx;
    tsvc_status error;
    size_t n;
    tsvc_key_part_id id[MAX_PARTS];
    uint8_t *data[MAX_PARTS];
    size_t len[MAX_PARTS];
} part_bag;

static tsvc_status bag_sink(void *opaque, tsvc_key_part_id id, const uint8_t *data, size_t len)
{
    part_bag *bag = opaque;
    if (bag->n >= MAX_PARTS || data == NULL)
        return bag->error = TSVC_ERR_BACKEND;
    uint8_t *copy = tsvc__memdup(bag->ctx, data, len);
    if (copy == NULL)
        return bag->error = TSVC_ERR_NOMEM;
    bag->id[bag->n] = id;
    bag->data[bag->n] = copy;
    bag->len[bag->n] = len;
    bag->n++;
    return TSVC_OK;
}

static const uint8_t *bag_get(const part_bag *bag, tsvc_key_part_id id, size_t *len)
{
    for (size_t i = 0; i < bag->n; i++)
        if (bag->id[i] == id) {
            *len = bag->len[i];
            return bag->data[i];
        }
    *len = 0;
    return NULL;
}

static void bag_free(part_bag *bag)
{
    for (size_t i = 0; i < bag->n; i++)
        tsvc__free_secret(bag->ctx, bag->data[i], bag->len[i]);
    bag->n = 0;
}

/* Asks the backend for the public parts and builds the public key. */
static tsvc_status derive_public(tsvc_key *key, tsvc_error **err)
{
    part_bag bag;
    memset(&bag, 0, sizeof(bag));
    bag.ctx = key->ctx;
    tsvc_status st = key->ops->key_export(key->bstate, key->handle, 0, bag_sink, &bag);
    if (st != TSVC_OK) {
        bag_free(&bag);
        return tsvc__err(err, TSVC_ERR_BACKEND, "crypto.key.public", -1,
                         "backend %s could not give the public key: %s", key->ops->name,
                         tsvc_status_str(st));
    }
    const uint8_t *a = NULL, *b = NULL;
    size_t a_len = 0, b_len = 0;
    if (key->type == TSVC_KEY_RSA) {
        a = bag_get(&bag, TSVC_PART_RSA_N, &a_len);
        b = bag_get(&bag, TSVC_PART_RSA_E, &b_len);
    } else if (key->type == TSVC_KEY_ED25519) {
        a = bag_get(&bag, TSVC_PART_ED25519_PUBLIC, &a_len);
    } else {
        a = bag_get(&bag, TSVC_PART_EC_POINT, &a_len);
    }
    if (a == NULL || (key->type == TSVC_KEY_RSA && b == NULL)) {
        bag_free(&bag);
        return tsvc__err(err, TSVC_ERR_BACKEND, "crypto.key.public", -1,
                         "backend %s gave no public key", key->ops->name);
    }
    st = tsvc__crypto_pubkey_from_parts(key->ctx, key->type, a, a_len, b, b_len, &key->pub,
                                        err);
    bag_free(&bag);
    if (st == TSVC_OK)
        key->bits = key->pub->bits;
    return st;
}

/* Highest-priority backend that can do @p op for the type and sign with it. */
static const tsvc__backend_slot *pick_for_key(const tsvc_ctx *ctx, tsvc_crypto_op op,
                                              tsvc_key_type type)
{
    tsvc__sig_params dp;
    if (tsvc__sig_params_default(type, &dp) != TSVC_OK)
        return NULL;
    const tsvc__backend_slot *best = NULL;
    for (size_t i = 0; i < ctx->num_backends; i++) {
        const tsvc__backend_slot *s = &ctx->backends[i];
        if (!s->enabled || !tsvc__crypto_slot_supports(s, op, type, TSVC_SIG_NONE, TSVC_HASH_NONE) ||
            !tsvc__crypto_slot_supports(s, TSVC_OP_SIGN, type, dp.scheme, dp.hash))
            continue;
        if (best == NULL || s->priority > best->priority)
            best = s;
    }
    return best;
}

static tsvc_key *key_new(const tsvc_ctx *ctx, const tsvc__backend_slot *slot, tsvc_key_type type)
{
    tsvc_key *key = tsvc__calloc(ctx, 1, sizeof(*key));
    if (key == NULL)
        return NULL;
    key->ctx = ctx;
    key->ops = slot->ops;
    key->bstate = slot->state;
    key->type = type;
    key->storage = TSVC_STORAGE_SOFTWARE;
    return key;
}

static tsvc_status import_raw(tsvc_ctx *ctx, tsvc_key **out, raw_key *r, tsvc_error **err)
{
    const tsvc__backend_slot *slot = pick_for_key(ctx, TSVC_OP_KEY_IMPORT, r->type);
    if (slot == NULL)
        return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.key.backend", -1,
                         "no backend can import and sign with this key type");
    tsvc_key *key = key_new(ctx, slot, r->type);
    if (key == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    tsvc_status st = slot->ops->key_import(slot->state, r->type, r->parts, r->num_parts,
                                           &key->handle);
    if (st != TSVC_OK) {
        tsvc__free(ctx, key);
        if (st != TSVC_ERR_KEY_FORMAT && st != TSVC_ERR_KEY_SIZE && st != TSVC_ERR_NOMEM)
            st = TSVC_ERR_BACKEND;
        return tsvc__err(err, st, "crypto.key.import", -1, "backend %s refused the key: %s",
                         slot->ops->name, tsvc_status_str(st));
    }
    st = derive_public(key, err);
    if (st == TSVC_OK && r->pub != NULL) {
        /* The public key carried with the private key must be its own. */
        size_t pl;
        const uint8_t *p = tsvc__pubkey_bits(key->pub, &pl);
        if (pl != r->pub_len || memcmp(p, r->pub, pl) != 0)
            st = tsvc__err(err, TSVC_ERR_KEY_MISMATCH, "crypto.key.public", -1,
                           "the public key in the file does not match the private key");
    }
    if (st != TSVC_OK) {
        tsvc_key_free(key);
        return st;
    }
    *out = key;
    return TSVC_OK;
}

tsvc_status tsvc_key_import(tsvc_ctx *ctx, tsvc_key **out, const uint8_t *data, size_t len,
                            tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL || data == NULL || len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1,
                         "context and data are required");
    if ((uint64_t)len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE))
        return tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "crypto.key", -1,
                         "key larger than the input-size limit");
    raw_key r;
    memset(&r, 0, sizeof(r));
    tsvc_buf der = TSVC_BUF_INIT;
    tsvc_status st;
    if (tsvc__pem_looks_like(data, len)) {
        size_t pos = 0;
        bool found = false;
        char label[64];
        /* `openssl ecparam -genkey` writes an "EC PARAMETERS" block first. */
        do {
            tsvc_buf_dispose(&der);
            st = tsvc__pem_next(ctx, (const char *)data, len, &pos, &found, label,
                                sizeof(label), &der, err);
        } while (st == TSVC_OK && strcmp(label, "EC PARAMETERS") == 0);
        if (st != TSVC_OK)
            goto out;
        tsvc__cbs c;
        tsvc__cbs_init(&c, der.data, der.len);
        if (strcmp(label, "PRIVATE KEY") == 0) {
            st = parse_pkcs8(der.data, der.len, &r, err);
        } else if (strcmp(label, "RSA PRIVATE KEY") == 0) {
            st = parse_rsa_private(&c, &r, err);
            if (st == TSVC_OK)
                st = tsvc__der_expect_end(&c, err);
        } else if (strcmp(label, "EC PRIVATE KEY") == 0) {
            st = parse_ec_private(&c, TSVC_KEY_NONE, &r, err);
            if (st == TSVC_OK)
                st = tsvc__der_expect_end(&c, err);
        } else if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0) {
            st = tsvc__err(err, TSVC_ERR_UNSUPPORTED, "crypto.key.pem", -1,
                           "encrypted private keys are not supported");
        } else {
            st = tsvc__err(err, TSVC_ERR_KEY_FORMAT, "crypto.key.pem", -1,
                           "PEM label \"%s\" is not a private key", label);
        }
    } else {
        st = parse_pkcs8(data, len, &r, err);
    }
    if (st == TSVC_OK)
        st = import_raw(ctx, out, &r, err);
out:
    raw_key_wipe(&r);
    tsvc_buf_dispose(&der);
    return st;
}

tsvc_status tsvc_key_generate(tsvc_ctx *ctx, tsvc_key **out, tsvc_key_type type, unsigned bits,
                              tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1, "ctx is NULL");
    switch (type) {
    case TSVC_KEY_RSA:
        if (bits < 2048 || bits > 4096 || bits % 8 != 0)
            return tsvc__err(err, TSVC_ERR_KEY_SIZE, "crypto.keygen.size", -1,
                             "RSA keys are generated with 2048 to 4096 bits (multiple of 8), "
                             "not %u",
                             bits);
        break;
    case TSVC_KEY_ED25519:
    case TSVC_KEY_ECDSA_P256:
    case TSVC_KEY_ECDSA_P384:
    case TSVC_KEY_ECDSA_P521: {
        unsigned want = type == TSVC_KEY_ED25519      ? 256u
                        : type == TSVC_KEY_ECDSA_P256 ? 256u
                        : type == TSVC_KEY_ECDSA_P384 ? 384u
                                                      : 521u;
        if (bits != 0 && bits != want)
            return tsvc__err(err, TSVC_ERR_KEY_SIZE, "crypto.keygen.size", -1,
                             "this key type has %u bits, not %u", want, bits);
        bits = 0;
        break;
    }
    default:
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.keygen.type", -1,
                         "unknown key type %d", (int)type);
    }
    const tsvc__backend_slot *slot = pick_for_key(ctx, TSVC_OP_KEYGEN, type);
    if (slot == NULL)
        return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.keygen.backend", -1,
                         "no backend can generate this key type");
    tsvc_key *key = key_new(ctx, slot, type);
    if (key == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    tsvc_status st = slot->ops->key_generate(slot->state, type, bits, &key->handle);
    if (st != TSVC_OK) {
        tsvc__free(ctx, key);
        return tsvc__err(err, st == TSVC_ERR_NOMEM ? st : TSVC_ERR_BACKEND, "crypto.keygen",
                         -1, "backend %s failed to generate the key: %s", slot->ops->name,
                         tsvc_status_str(st));
    }
    st = derive_public(key, err);
    if (st != TSVC_OK) {
        tsvc_key_free(key);
        return st;
    }
    *out = key;
    return TSVC_OK;
}

tsvc_status tsvc_key_export(const tsvc_key *key, tsvc_buf *out, tsvc_key_format format,
                            tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1, "out is NULL");
    out->data = NULL;
    out->len = 0;
    if (key == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1, "key is NULL");
    if (format != TSVC_FORMAT_DER && format != TSVC_FORMAT_PEM)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key.format", -1,
                         "unknown format %d", (int)format);
    if (key->storage != TSVC_STORAGE_SOFTWARE)
        return tsvc__err(err, TSVC_ERR_UNSUPPORTED, "crypto.key.export", -1,
                         "only software keys can be exported");
    /* Exporting is a private-key operation: the activation callback decides. */
    tsvc_status ast = tsvc__activation_check(key, NULL, NULL, 0, TSVC_HASH_NONE, NULL, 0,
                                             "key-export", NULL, err);
    if (ast != TSVC_OK)
        return ast;
    part_bag bag;
    memset(&bag, 0, sizeof(bag));
    bag.ctx = key->ctx;
    tsvc_status st = key->ops->key_export(key->bstate, key->handle, 1, bag_sink, &bag);
    if (st != TSVC_OK) {
        bag_free(&bag);
        return tsvc__err(err, st == TSVC_ERR_NOMEM ? st : TSVC_ERR_UNSUPPORTED,
                         "crypto.key.export", -1, "backend %s did not export the key: %s",
                         key->ops->name, tsvc_status_str(st));
    }
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, key->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_u64(&cbb, 0);
    tsvc__crypto_add_key_algid(&cbb, key->type);
    tsvc__cbb_open(&cbb, TSVC__TAG_OCTET_STRING);
    size_t l1, l2;
    const uint8_t *p1, *p2;
    if (key->type == TSVC_KEY_RSA) {
        static const tsvc_key_part_id ids[] = {
            TSVC_PART_RSA_N, TSVC_PART_RSA_E,  TSVC_PART_RSA_D,  TSVC_PART_RSA_P,
            TSVC_PART_RSA_Q, TSVC_PART_RSA_DP, TSVC_PART_RSA_DQ, TSVC_PART_RSA_QINV};
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_u64(&cbb, 0);
        for (size_t i = 0; i < 8; i++) {
            p1 = bag_get(&bag, ids[i], &l1);
            if (p1 == NULL)
                tsvc__cbb_fail(&cbb, TSVC_ERR_UNSUPPORTED);
            else
                tsvc__cbb_add_unsigned(&cbb, p1, l1);
        }
        tsvc__cbb_close(&cbb);
    } else if (key->type == TSVC_KEY_ED25519) {
        p1 = bag_get(&bag, TSVC_PART_ED25519_SEED, &l1);
        if (p1 == NULL || l1 != 32)
            tsvc__cbb_fail(&cbb, TSVC_ERR_UNSUPPORTED);
        else
            tsvc__cbb_add_octet_string(&cbb, p1, l1);
    } else {
        size_t cl = tsvc__crypto_ec_coord_len(key->type);
        uint8_t scalar[66];
        p1 = bag_get(&bag, TSVC_PART_EC_PRIVATE, &l1);
        p2 = bag_get(&bag, TSVC_PART_EC_POINT, &l2);
        if (p1 == NULL || p2 == NULL || l1 > cl) {
            tsvc__cbb_fail(&cbb, TSVC_ERR_UNSUPPORTED);
        } else {
            memset(scalar, 0, cl - l1);
            memcpy(scalar + (cl - l1), p1, l1);
            tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
            tsvc__cbb_add_u64(&cbb, 1);
            tsvc__cbb_add_octet_string(&cbb, scalar, cl);
            tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(1));
            tsvc__cbb_add_bit_string(&cbb, p2, l2, 0);
            tsvc__cbb_close(&cbb);
            tsvc__cbb_close(&cbb);
            tsvc_memzero(scalar, sizeof(scalar));
        }
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_close(&cbb);
    bag_free(&bag);
    tsvc_buf der = TSVC_BUF_INIT;
    st = tsvc__cbb_finish(&cbb, &der);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "crypto.key.export", -1, "cannot encode the key: %s",
                         tsvc_status_str(st));
    if (format == TSVC_FORMAT_DER) {
        *out = der;
        return TSVC_OK;
    }
    st = tsvc__pem_encode(key->ctx, "PRIVATE KEY", der.data, der.len, out);
    tsvc_buf_dispose(&der);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "crypto.key.export", -1, "cannot encode PEM");
    return TSVC_OK;
}

tsvc_status tsvc_key_get_public(const tsvc_key *key, tsvc_pubkey **out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1, "out is NULL");
    *out = NULL;
    if (key == NULL || key->pub == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.key", -1, "key is NULL");
    *out = tsvc_pubkey_ref(key->pub);
    return TSVC_OK;
}

/* tsvc_key_get_info() is in assurance.c (it reports the HSM facts too). */

void *tsvc__key_handle(const tsvc_key *key, const tsvc_backend *ops)
{
    return key != NULL && key->ops == ops ? key->handle : NULL;
}

const tsvc_ctx *tsvc__key_ctx(const tsvc_key *key)
{
    return key != NULL ? key->ctx : NULL;
}

tsvc_status tsvc__key_wrap(const tsvc_ctx *ctx, const tsvc_backend *ops, void *bstate,
                           void *handle, tsvc_key_type type, tsvc_key_storage storage,
                           const tsvc__key_hsm_info *info, tsvc_key **out, tsvc_error **err)
{
    *out = NULL;
    tsvc_key *key = tsvc__calloc(ctx, 1, sizeof(*key));
    if (key == NULL) {
        ops->key_free(bstate, handle);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    key->ctx = ctx;
    key->ops = ops;
    key->bstate = bstate;
    key->handle = handle;
    key->type = type;
    key->storage = storage;
    tsvc_status st = TSVC_OK;
    if (info != NULL && (st = tsvc__assurance_new(ctx, info, &key->assurance)) != TSVC_OK)
        st = tsvc__err_code(err, st);
    if (st == TSVC_OK)
        st = derive_public(key, err);
    if (st != TSVC_OK) {
        tsvc_key_free(key);
        return st;
    }
    *out = key;
    return TSVC_OK;
}

void tsvc_key_free(tsvc_key *key)
{
    if (key == NULL)
        return;
    if (key->handle != NULL)
        key->ops->key_free(key->bstate, key->handle);
    tsvc_pubkey_free(key->pub);
    const tsvc_ctx *ctx = key->ctx;
    tsvc__assurance_free(ctx, key->assurance);
    tsvc__free_secret(ctx, key, sizeof(*key));
}
