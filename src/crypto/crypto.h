/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the crypto layer, for the layers above it (x509, path,
 * revoke, cms, tsp, ades): algorithm identifiers, signature verification
 * with full parameters, SubjectPublicKeyInfo, hashing and the one place
 * where ECDSA signatures change between raw r||s and DER.
 */
#ifndef TSVC_CRYPTO_CRYPTO_H
#define TSVC_CRYPTO_CRYPTO_H

#include "core/core.h"
#include "der/der.h"
#include "trustsvc/crypto.h"

/** Full signature parameters (PSS details included). */
typedef struct tsvc__sig_params {
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;      /* TSVC_HASH_NONE for Ed25519 */
    tsvc_hash_alg mgf1_hash; /* PSS only */
    uint32_t salt_len;       /* PSS only */
} tsvc__sig_params;

/** Digest size of @p alg in bytes (0 for NONE/unknown). */
size_t tsvc__hash_size(tsvc_hash_alg alg);
/** DER contents octets of the hash's OID; NULL for unknown. */
const uint8_t *tsvc__hash_oid(tsvc_hash_alg alg, size_t *len);
/** Hash algorithm named by an AlgorithmIdentifier element (NULL or absent params accepted). */
tsvc_status tsvc__hash_alg_parse(const tsvc__cbs *algid_element, tsvc_hash_alg *out,
                                 tsvc_error **err);
/** Writes the AlgorithmIdentifier of a hash (parameters absent, per RFC 5754). */
void tsvc__hash_alg_encode(tsvc__cbb *cbb, tsvc_hash_alg alg);

/** True if a backend of @p ctx computes the hash @p alg. */
bool tsvc__hash_available(const tsvc_ctx *ctx, tsvc_hash_alg alg);

/** One-shot hash through the context's backends; @p out must hold tsvc__hash_size(alg). */
tsvc_status tsvc__hash_oneshot(const tsvc_ctx *ctx, tsvc_hash_alg alg, const uint8_t *data,
                               size_t len, uint8_t *out, tsvc_error **err);

/**
 * Parses a signature AlgorithmIdentifier element (sha256WithRSAEncryption,
 * RSASSA-PSS with parameters, ecdsa-with-SHA256/384/512, Ed25519, and
 * sha1WithRSAEncryption / ecdsa-with-SHA1 for legacy data).
 * TSVC_ERR_ALGORITHM for an unknown or malformed one.
 */
tsvc_status tsvc__sigalg_parse(const tsvc__cbs *algid_element, tsvc__sig_params *out,
                               tsvc_error **err);
/** Writes the AlgorithmIdentifier for @p p (PSS parameters explicit). */
void tsvc__sigalg_encode(tsvc__cbb *cbb, const tsvc__sig_params *p);

/**
 * Parses a SubjectPublicKeyInfo element into a public key (validating the
 * key: curve point on the curve, RSA modulus size 512..16384 bits and odd,
 * explicit EC curve parameters refused with TSVC_ERR_KEY_FORMAT).
 */
tsvc_status tsvc__pubkey_from_spki(const tsvc_ctx *ctx, const uint8_t *spki, size_t len,
                                   tsvc_pubkey **out, tsvc_error **err);
/** The SubjectPublicKeyInfo DER of a key (borrowed). */
const uint8_t *tsvc__pubkey_spki(const tsvc_pubkey *pub, size_t *len);
/** The subjectPublicKey BIT STRING contents (the key bits; borrowed). */
const uint8_t *tsvc__pubkey_bits(const tsvc_pubkey *pub, size_t *len);
tsvc_key_type tsvc__pubkey_type(const tsvc_pubkey *pub);
unsigned tsvc__pubkey_size_bits(const tsvc_pubkey *pub);
/** True if both keys are the same key (same SPKI bytes after normalisation). */
bool tsvc__pubkey_equal(const tsvc_pubkey *a, const tsvc_pubkey *b);

/**
 * Verifies @p sig over the message @p msg with full parameters.
 * TSVC_OK when valid, TSVC_ERR_SIGNATURE_INVALID when not,
 * TSVC_ERR_KEY_MISMATCH when the key type does not fit the scheme,
 * TSVC_ERR_NO_BACKEND when no backend can do it.
 * ECDSA @p sig is DER (X.509/CMS form).
 */
tsvc_status tsvc__verify(const tsvc_ctx *ctx, const tsvc_pubkey *pub, const tsvc__sig_params *p,
                         const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len,
                         tsvc_error **err);
/** Same over a digest computed by the caller (not for Ed25519). */
tsvc_status tsvc__verify_digest(const tsvc_ctx *ctx, const tsvc_pubkey *pub,
                                const tsvc__sig_params *p, const uint8_t *digest,
                                size_t digest_len, const uint8_t *sig, size_t sig_len,
                                tsvc_error **err);
/** Signs a message with full parameters; ECDSA output is DER. */
tsvc_status tsvc__sign(const tsvc_key *key, const tsvc__sig_params *p, const uint8_t *msg,
                       size_t msg_len, tsvc_buf *sig, tsvc_error **err);
/** Signs a digest computed by the caller (not for Ed25519). */
tsvc_status tsvc__sign_digest(const tsvc_key *key, const tsvc__sig_params *p,
                              const uint8_t *digest, size_t digest_len, tsvc_buf *sig,
                              tsvc_error **err);
/** The default signature parameters for a key (ECDSA: hash by curve; RSA: PKCS#1 SHA-256). */
tsvc_status tsvc__sig_params_default(tsvc_key_type type, tsvc__sig_params *out);

/**
 * ECDSA signature conversion, the one place: raw r||s (each half
 * @p coord_len bytes, the curve's field size) <-> DER Ecdsa-Sig-Value.
 */
tsvc_status tsvc__ecdsa_raw_to_der(const tsvc_ctx *ctx, const uint8_t *raw, size_t raw_len,
                                   size_t coord_len, tsvc_buf *der);
tsvc_status tsvc__ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t coord_len,
                                   uint8_t *raw, size_t raw_size);

/**
 * Same as tsvc__verify() but on the @p backend_index-th registered backend
 * only (hashing too, when that backend hashes), whatever the priorities
 * and enabled flags say. Conformance runners use it to test each backend.
 * TSVC_ERR_NO_BACKEND when that backend cannot do it.
 */
tsvc_status tsvc__verify_on_backend(const tsvc_ctx *ctx, size_t backend_index,
                                    const tsvc_pubkey *pub, const tsvc__sig_params *p,
                                    const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                    size_t sig_len, tsvc_error **err);

/**
 * Capability query: whether the @p backend_index-th registered backend
 * takes @p pub at all (its own limits, such as a largest RSA modulus), by
 * importing the key and releasing it at once. TSVC_OK when it does;
 * TSVC_ERR_KEY_SIZE when the key's size is beyond the backend's limit;
 * TSVC_ERR_KEY_FORMAT, TSVC_ERR_UNSUPPORTED, TSVC_ERR_NOMEM or
 * TSVC_ERR_BACKEND for other refusals; TSVC_ERR_NO_BACKEND when the
 * backend imports no public keys.
 */
tsvc_status tsvc__pubkey_fits_backend(const tsvc_ctx *ctx, size_t backend_index,
                                      const tsvc_pubkey *pub, tsvc_error **err);

/** The parameters of an id-RSASSA-PSS public key, if it carries any (false otherwise). */
bool tsvc__pubkey_pss_params(const tsvc_pubkey *pub, tsvc__sig_params *out);

/* ---- keys held elsewhere (HSM tokens), activation, evidence (assurance.c) ---- */

/** Assurance facts an HSM backend attaches to a key; copied by tsvc__key_wrap(). */
typedef struct tsvc__key_hsm_info {
    const char *manufacturer, *model, *serial, *token_label, *key_label; /* may be NULL */
    bool sensitive, extractable, always_sensitive, never_extractable;
    tsvc_hsm_certification cert_status;
    const char *certification; /* may be NULL */
} tsvc__key_hsm_info;

/**
 * Wraps a backend key handle that lives outside the context's registered
 * backends (a PKCS#11 key): @p ops / @p bstate are used for that key only
 * and must outlive it (the backend's key_free releases whatever keeps
 * them alive). The public key is asked from key_export. On failure the
 * handle is released with ops->key_free.
 */
tsvc_status tsvc__key_wrap(const tsvc_ctx *ctx, const struct tsvc_backend *ops, void *bstate,
                           void *handle, tsvc_key_type type, tsvc_key_storage storage,
                           const tsvc__key_hsm_info *info, tsvc_key **out, tsvc_error **err);

/**
 * Signs @p tbs (an encoded to-be-signed element) through tsvc__sign_ex
 * (activation asked with @p label) and writes the X.509 SIGNED shape
 * SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING signature } used by
 * certificates, CRLs and certificate requests: DER when @p pem_label is
 * NULL, else PEM with that label. @p check names the caller in errors.
 */
tsvc_status tsvc__sign_wrap(const tsvc_key *key, const tsvc__sig_params *p, const uint8_t *tbs,
                            size_t tbs_len, const char *label, const char *pem_label,
                            const char *check, tsvc_buf *out, tsvc_error **err);

/** The backend handle of @p key when its table is @p ops, else NULL. */
void *tsvc__key_handle(const tsvc_key *key, const struct tsvc_backend *ops);
/** The context a key was made with. */
const tsvc_ctx *tsvc__key_ctx(const tsvc_key *key);

/**
 * Signs (message, or digest when @p is_digest) through the key's
 * activation callback, with the caller's @p label, and gives the
 * evidence (when @p evidence is non-NULL). tsvc__sign() is this with no
 * label and no evidence. The CAdES signer calls this with its label and
 * keeps the evidence in its result.
 */
tsvc_status tsvc__sign_ex(const tsvc_key *key, const tsvc__sig_params *p, const uint8_t *data,
                          size_t len, bool is_digest, const char *label, tsvc_buf *sig,
                          tsvc_sign_evidence **evidence, tsvc_error **err);

#endif /* TSVC_CRYPTO_CRYPTO_H */
