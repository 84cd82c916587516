/*
 * SPDX-License-Identifier: Apache-2.0
 * Signature AlgorithmIdentifiers: parsing and writing, RSASSA-PSS-params,
 * default parameters per key type.
 */
#include <string.h>

#include "crypto_int.h"

/* 1.2.840.113549.1.1.x */
#define PKCS1_ARC 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01
static const uint8_t oid_sha1_rsa[] = {PKCS1_ARC, 0x05};
static const uint8_t oid_pss[] = {PKCS1_ARC, 0x0a};
static const uint8_t oid_sha256_rsa[] = {PKCS1_ARC, 0x0b};
static const uint8_t oid_sha384_rsa[] = {PKCS1_ARC, 0x0c};
static const uint8_t oid_sha512_rsa[] = {PKCS1_ARC, 0x0d};
static const uint8_t oid_sha224_rsa[] = {PKCS1_ARC, 0x0e};
static const uint8_t oid_mgf1[] = {PKCS1_ARC, 0x08};
/* 1.2.840.10045.4.1 and 1.2.840.10045.4.3.x */
static const uint8_t oid_ecdsa_sha1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01};
static const uint8_t oid_ecdsa_sha224[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01};
static const uint8_t oid_ecdsa_sha256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
static const uint8_t oid_ecdsa_sha384[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
static const uint8_t oid_ecdsa_sha512[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};
/* 1.3.101.112 */
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};

typedef struct sigalg_entry {
    const uint8_t *oid;
    size_t oid_len;
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;
} sigalg_entry;

#define ENTRY(o, s, h) {o, sizeof(o), s, h}
static const sigalg_entry sigalgs[] = {
    ENTRY(oid_sha256_rsa, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256),
    ENTRY(oid_sha384_rsa, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA384),
    ENTRY(oid_sha512_rsa, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA512),
    ENTRY(oid_sha224_rsa, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA224),
    ENTRY(oid_sha1_rsa, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA1),
    ENTRY(oid_ecdsa_sha256, TSVC_SIG_ECDSA, TSVC_HASH_SHA256),
    ENTRY(oid_ecdsa_sha384, TSVC_SIG_ECDSA, TSVC_HASH_SHA384),
    ENTRY(oid_ecdsa_sha512, TSVC_SIG_ECDSA, TSVC_HASH_SHA512),
    ENTRY(oid_ecdsa_sha224, TSVC_SIG_ECDSA, TSVC_HASH_SHA224),
    ENTRY(oid_ecdsa_sha1, TSVC_SIG_ECDSA, TSVC_HASH_SHA1),
    ENTRY(oid_ed25519, TSVC_SIG_ED25519, TSVC_HASH_NONE),
};
#define NUM_SIGALGS (sizeof(sigalgs) / sizeof(sigalgs[0]))

const uint8_t *tsvc__crypto_pss_oid(size_t *len)
{
    *len = sizeof(oid_pss);
    return oid_pss;
}

/* Parses [n] EXPLICIT AlgorithmIdentifier of a hash inside PSS params. */
static tsvc_status get_hash_algid(tsvc__cbs *c, tsvc_hash_alg *out, tsvc_error **err)
{
    tsvc__cbs el;
    tsvc_status st = tsvc__der_get_element(c, TSVC__TAG_SEQUENCE, &el, err);
    if (st != TSVC_OK)
        return st;
    return tsvc__hash_alg_parse(&el, out, err);
}

tsvc_status tsvc__crypto_pss_params_parse(tsvc__cbs *params, tsvc__sig_params *out,
                                          tsvc_error **err)
{
    /* RSASSA-PSS-params ::= SEQUENCE {
     *   hashAlgorithm [0] HashAlgorithm DEFAULT sha1,
     *   maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
     *   saltLength [2] INTEGER DEFAULT 20,
     *   trailerField [3] TrailerField DEFAULT trailerFieldBC } */
    tsvc__cbs seq, f;
    bool present;
    int64_t off = tsvc__cbs_offset(params);
    tsvc_status st = tsvc__der_get(params, TSVC__TAG_SEQUENCE, &seq, err);
    if (st != TSVC_OK)
        return st;
    out->scheme = TSVC_SIG_RSA_PSS;
    out->hash = TSVC_HASH_SHA1;
    out->mgf1_hash = TSVC_HASH_SHA1;
    out->salt_len = 20;
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(0), &f, &present, err)) !=
        TSVC_OK)
        return st;
    if (present) {
        if ((st = get_hash_algid(&f, &out->hash, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&f, err)) != TSVC_OK)
            return st;
    }
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(1), &f, &present, err)) !=
        TSVC_OK)
        return st;
    if (present) {
        tsvc__cbs mgf, oid;
        if ((st = tsvc__der_get(&f, TSVC__TAG_SEQUENCE, &mgf, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&f, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_get_oid(&mgf, &oid, err)) != TSVC_OK)
            return st;
        if (!tsvc__oid_equal(&oid, oid_mgf1, sizeof(oid_mgf1)))
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.pss.mgf", off,
                             "RSASSA-PSS mask generation function is not MGF1");
        if ((st = get_hash_algid(&mgf, &out->mgf1_hash, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&mgf, err)) != TSVC_OK)
            return st;
    }
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(2), &f, &present, err)) !=
        TSVC_OK)
        return st;
    if (present) {
        uint64_t salt;
        if ((st = tsvc__der_get_u64(&f, &salt, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&f, err)) != TSVC_OK)
            return st;
        if (salt > 4096)
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.pss.salt", off,
                             "RSASSA-PSS salt length %llu is too large",
                             (unsigned long long)salt);
        out->salt_len = (uint32_t)salt;
    }
    if ((st = tsvc__der_get_optional(&seq, TSVC__TAG_CONTEXT_C(3), &f, &present, err)) !=
        TSVC_OK)
        return st;
    if (present) {
        uint64_t trailer;
        if ((st = tsvc__der_get_u64(&f, &trailer, err)) != TSVC_OK)
            return st;
        if ((st = tsvc__der_expect_end(&f, err)) != TSVC_OK)
            return st;
        if (trailer != 1)
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.pss.trailer", off,
                             "RSASSA-PSS trailerField must be 1");
    }
    if (seq.len != 0)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.pss.params", tsvc__cbs_offset(&seq),
                         "unexpected data in RSASSA-PSS-params");
    return TSVC_OK;
}

tsvc_status tsvc__sigalg_parse(const tsvc__cbs *algid_element, tsvc__sig_params *out,
                               tsvc_error **err)
{
    if (algid_element == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.sigalg", -1, "NULL argument");
    tsvc__cbs seq, oid;
    int64_t off;
    tsvc_status st = tsvc__crypto_algid_open(algid_element, &seq, &oid, &off, err);
    if (st != TSVC_OK)
        return st;
    memset(out, 0, sizeof(*out));
    if (tsvc__oid_equal(&oid, oid_pss, sizeof(oid_pss))) {
        if (seq.len == 0)
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sigalg.pss", off,
                             "RSASSA-PSS AlgorithmIdentifier without parameters");
        tsvc__sig_params p;
        st = tsvc__crypto_pss_params_parse(&seq, &p, err);
        if (st != TSVC_OK)
            return tsvc_status_family(st) == -200 ? tsvc__err(err, TSVC_ERR_ALGORITHM,
                                                              "crypto.sigalg.pss", off,
                                                              "malformed RSASSA-PSS-params")
                                                  : st;
        if (seq.len != 0)
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sigalg.pss", off,
                             "data after RSASSA-PSS-params");
        *out = p;
        return TSVC_OK;
    }
    for (size_t i = 0; i < NUM_SIGALGS; i++) {
        const sigalg_entry *e = &sigalgs[i];
        if (!tsvc__oid_equal(&oid, e->oid, e->oid_len))
            continue;
        if (e->scheme == TSVC_SIG_RSA_PKCS1) {
            /* NULL when written; NULL or absent accepted. */
            if (seq.len != 0 && (tsvc__der_get_null(&seq, NULL) != TSVC_OK || seq.len != 0))
                return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sigalg.params", off,
                                 "RSA signature parameters must be NULL or absent");
        } else if (seq.len != 0) {
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sigalg.params", off,
                             "%s signature parameters must be absent",
                             e->scheme == TSVC_SIG_ECDSA ? "ECDSA" : "Ed25519");
        }
        out->scheme = e->scheme;
        out->hash = e->hash;
        if (e->scheme == TSVC_SIG_RSA_PKCS1) {
            out->mgf1_hash = TSVC_HASH_NONE;
            out->salt_len = 0;
        }
        return TSVC_OK;
    }
    return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sigalg.unknown", off,
                     "unknown signature algorithm");
}

/* Hash AlgorithmIdentifier inside PSS parameters: NULL parameters, as
 * OpenSSL and most peers write them. */
static void add_pss_hash(tsvc__cbb *cbb, tsvc_hash_alg alg)
{
    size_t l;
    const uint8_t *o = tsvc__hash_oid(alg, &l);
    if (o == NULL) {
        tsvc__cbb_fail(cbb, TSVC_ERR_ALGORITHM);
        return;
    }
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(cbb, o, l);
    tsvc__cbb_add_null(cbb);
    tsvc__cbb_close(cbb);
}

void tsvc__crypto_pss_params_encode(tsvc__cbb *cbb, const tsvc__sig_params *p)
{
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    /* DER: fields equal to their DEFAULT are omitted. */
    if (p->hash != TSVC_HASH_SHA1) {
        tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(0));
        add_pss_hash(cbb, p->hash);
        tsvc__cbb_close(cbb);
    }
    if (p->mgf1_hash != TSVC_HASH_SHA1) {
        tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(1));
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_oid(cbb, oid_mgf1, sizeof(oid_mgf1));
        add_pss_hash(cbb, p->mgf1_hash);
        tsvc__cbb_close(cbb);
        tsvc__cbb_close(cbb);
    }
    if (p->salt_len != 20) {
        tsvc__cbb_open(cbb, TSVC__TAG_CONTEXT_C(2));
        tsvc__cbb_add_u64(cbb, p->salt_len);
        tsvc__cbb_close(cbb);
    }
    tsvc__cbb_close(cbb);
}

void tsvc__sigalg_encode(tsvc__cbb *cbb, const tsvc__sig_params *p)
{
    if (p == NULL) {
        tsvc__cbb_fail(cbb, TSVC_ERR_INVALID_ARG);
        return;
    }
    if (p->scheme == TSVC_SIG_RSA_PSS) {
        if (!tsvc__crypto_hash_known(p->hash) || !tsvc__crypto_hash_known(p->mgf1_hash)) {
            tsvc__cbb_fail(cbb, TSVC_ERR_ALGORITHM);
            return;
        }
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_oid(cbb, oid_pss, sizeof(oid_pss));
        tsvc__crypto_pss_params_encode(cbb, p);
        tsvc__cbb_close(cbb);
        return;
    }
    for (size_t i = 0; i < NUM_SIGALGS; i++) {
        const sigalg_entry *e = &sigalgs[i];
        if (e->scheme != p->scheme || e->hash != p->hash)
            continue;
        tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
        tsvc__cbb_add_oid(cbb, e->oid, e->oid_len);
        if (e->scheme == TSVC_SIG_RSA_PKCS1)
            tsvc__cbb_add_null(cbb);
        tsvc__cbb_close(cbb);
        return;
    }
    tsvc__cbb_fail(cbb, TSVC_ERR_ALGORITHM);
}

tsvc_status tsvc__sig_params_default(tsvc_key_type type, tsvc__sig_params *out)
{
    if (out == NULL)
        return TSVC_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    switch (type) {
    case TSVC_KEY_ED25519:
        out->scheme = TSVC_SIG_ED25519;
        out->hash = TSVC_HASH_NONE;
        return TSVC_OK;
    case TSVC_KEY_ECDSA_P256:
        out->scheme = TSVC_SIG_ECDSA;
        out->hash = TSVC_HASH_SHA256;
        return TSVC_OK;
    case TSVC_KEY_ECDSA_P384:
        out->scheme = TSVC_SIG_ECDSA;
        out->hash = TSVC_HASH_SHA384;
        return TSVC_OK;
    case TSVC_KEY_ECDSA_P521:
        out->scheme = TSVC_SIG_ECDSA;
        out->hash = TSVC_HASH_SHA512;
        return TSVC_OK;
    case TSVC_KEY_RSA:
        out->scheme = TSVC_SIG_RSA_PKCS1;
        out->hash = TSVC_HASH_SHA256;
        return TSVC_OK;
    case TSVC_KEY_NONE:
        break;
    }
    return TSVC_ERR_ALGORITHM;
}
