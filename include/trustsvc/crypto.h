/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file crypto.h
 * @brief Algorithms, keys, signatures, hashing and random bytes, dispatched
 *        to the crypto backends registered on a context.
 *
 * Thread safety: ::tsvc_pubkey objects are immutable and reference-counted;
 * they may be shared between threads. A ::tsvc_key may be used by several
 * threads for signing at once unless its backend says otherwise (the
 * software backends allow it). A ::tsvc_hash object belongs to one thread.
 */
#ifndef TRUSTSVC_CRYPTO_H
#define TRUSTSVC_CRYPTO_H

#include "trustsvc/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Hash algorithms.
 * @since 0.1
 */
typedef enum tsvc_hash_alg {
    TSVC_HASH_NONE = 0,   /**< No hash (EdDSA signs the whole message). */
    TSVC_HASH_SHA1 = 1,   /**< SHA-1: only to verify legacy data. */
    TSVC_HASH_SHA256 = 2, /**< SHA-256. */
    TSVC_HASH_SHA384 = 3, /**< SHA-384. */
    TSVC_HASH_SHA512 = 4, /**< SHA-512. */
    TSVC_HASH_SHA224 = 5  /**< SHA-224: only to verify data (e.g. RSA-PSS parameters). */
} tsvc_hash_alg;

/** @brief Largest digest any ::tsvc_hash_alg produces, in bytes. @since 0.1 */
#define TSVC_HASH_MAX_SIZE 64

/**
 * @brief Function twin of ::TSVC_HASH_MAX_SIZE.
 * @return 64.
 * @since 0.1
 */
TSVC_API size_t tsvc_hash_max_size(void);

/**
 * @brief Key types.
 * @since 0.1
 */
typedef enum tsvc_key_type {
    TSVC_KEY_NONE = 0,       /**< Unknown. */
    TSVC_KEY_ED25519 = 1,    /**< Ed25519 (RFC 8032). */
    TSVC_KEY_ECDSA_P256 = 2, /**< ECDSA on NIST P-256. */
    TSVC_KEY_ECDSA_P384 = 3, /**< ECDSA on NIST P-384. */
    TSVC_KEY_ECDSA_P521 = 4, /**< ECDSA on NIST P-521. */
    TSVC_KEY_RSA = 5         /**< RSA (PKCS#1 v1.5 or PSS signatures). */
} tsvc_key_type;

/**
 * @brief Signature schemes.
 * @since 0.1
 */
typedef enum tsvc_sig_scheme {
    TSVC_SIG_NONE = 0,       /**< Unknown. */
    TSVC_SIG_ED25519 = 1,    /**< Pure Ed25519 over the whole message. */
    TSVC_SIG_ECDSA = 2,      /**< ECDSA; signatures DER-encoded (X.509/CMS form). */
    TSVC_SIG_RSA_PKCS1 = 3,  /**< RSASSA-PKCS1-v1_5. */
    TSVC_SIG_RSA_PSS = 4     /**< RSASSA-PSS, MGF1 with the same hash, salt = hash size. */
} tsvc_sig_scheme;

/**
 * @brief Where a private key lives.
 * @since 0.1
 */
typedef enum tsvc_key_storage {
    TSVC_STORAGE_SOFTWARE = 0, /**< In this process's memory. */
    TSVC_STORAGE_HSM = 1,      /**< In a hardware security module or token. */
    TSVC_STORAGE_REMOTE = 2    /**< In a remote signing service. */
} tsvc_key_storage;

/**
 * @brief Key encodings for export.
 * @since 0.1
 */
typedef enum tsvc_key_format {
    TSVC_FORMAT_DER = 0, /**< DER (PKCS#8 for private keys, SubjectPublicKeyInfo for public). */
    TSVC_FORMAT_PEM = 1  /**< PEM ("PRIVATE KEY" / "PUBLIC KEY"). */
} tsvc_key_format;

/** @brief A private key (software, or a handle to a key held elsewhere). @since 0.1 */
typedef struct tsvc_key tsvc_key;
/** @brief A public key; immutable and reference-counted. @since 0.1 */
typedef struct tsvc_pubkey tsvc_pubkey;
/** @brief A streaming hash computation. @since 0.1 */
typedef struct tsvc_hash tsvc_hash;

/**
 * @brief Certification status of a hardware security module (for example
 *        a FIPS 140-2/140-3 or Common Criteria certificate), as configured
 *        by the application for a token (see tsvc_pkcs11_module_set_certification()).
 * @since 0.1
 */
typedef enum tsvc_hsm_certification {
    TSVC_HSM_CERT_NONE = 0,       /**< No certification configured for the token. */
    TSVC_HSM_CERT_ACTIVE = 1,     /**< The certificate is active. */
    TSVC_HSM_CERT_HISTORICAL = 2, /**< The certificate is historical: no new keys. */
    TSVC_HSM_CERT_REVOKED = 3     /**< The certificate is revoked: no new keys. */
} tsvc_hsm_certification;

/**
 * @brief Description of a key. Set @c version to ::TSVC_KEY_INFO_VERSION
 *        (or use ::TSVC_KEY_INFO_INIT / tsvc_key_info_init()) before calling
 *        tsvc_key_get_info(). The structure only grows at the end; a caller
 *        compiled with version 1 gets only the version-1 members filled.
 *
 * Strings are borrowed from the key (or from the ::tsvc_sign_evidence they
 * were read from) and live as long as it.
 * @since 0.1
 */
typedef struct tsvc_key_info {
    uint32_t version;         /**< ::TSVC_KEY_INFO_VERSION (1 is still accepted). */
    tsvc_key_type type;       /**< Key type. */
    unsigned bits;            /**< Key size in bits (modulus or curve size). */
    const char *backend;      /**< Name of the backend holding it (borrowed from the key). */
    tsvc_key_storage storage; /**< Where the private key lives. */
    /* ---- version 2 ---- */
    const char *token_manufacturer; /**< HSM keys: the token's manufacturer ID, else NULL. @since 0.1 (version 2) */
    const char *token_model;        /**< HSM keys: the token's model, else NULL. @since 0.1 (version 2) */
    const char *token_serial;       /**< HSM keys: the token's serial number, else NULL. @since 0.1 (version 2) */
    const char *token_label;        /**< HSM keys: the token's label, else NULL. @since 0.1 (version 2) */
    const char *key_label;          /**< HSM keys: the key object's label (CKA_LABEL), else NULL. @since 0.1 (version 2) */
    int sensitive;          /**< 1 when the private key can never be read in clear (CKA_SENSITIVE); 0 for software keys. @since 0.1 (version 2) */
    int extractable;        /**< 1 when the private key can leave its storage (software keys: 1). @since 0.1 (version 2) */
    int always_sensitive;   /**< 1 when the key has always been sensitive (CKA_ALWAYS_SENSITIVE). @since 0.1 (version 2) */
    int never_extractable;  /**< 1 when the key has never been extractable (CKA_NEVER_EXTRACTABLE): generated in the token. @since 0.1 (version 2) */
    tsvc_hsm_certification certification_status; /**< The token's configured certification status. @since 0.1 (version 2) */
    const char *certification;      /**< The token's configured certification text (e.g. "FIPS 140-2 Level 3, certificate #1234"), else NULL. @since 0.1 (version 2) */
    int has_activation;     /**< 1 when a signature-activation callback guards the key. @since 0.1 (version 2) */
} tsvc_key_info;

/** @brief Current version of ::tsvc_key_info. @since 0.1 */
#define TSVC_KEY_INFO_VERSION 2
/** @brief Static initialiser of ::tsvc_key_info. @since 0.1 */
#define TSVC_KEY_INFO_INIT                                                                   \
    {TSVC_KEY_INFO_VERSION, TSVC_KEY_NONE, 0, NULL, TSVC_STORAGE_SOFTWARE, NULL, NULL, NULL, \
     NULL, NULL, 0, 0, 0, 0, TSVC_HSM_CERT_NONE, NULL, 0}

/**
 * @brief Function twin of ::TSVC_KEY_INFO_INIT.
 * @param info the structure to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_key_info_init(tsvc_key_info *info);

/* ------------------------------------------------------------------ */
/* Backends registered on a context                                    */
/* ------------------------------------------------------------------ */

/**
 * @brief Operations a backend may offer (capability queries).
 * @since 0.1
 */
typedef enum tsvc_crypto_op {
    TSVC_OP_HASH = 1,       /**< Hashing. */
    TSVC_OP_SIGN = 2,       /**< Signing with a key it holds. */
    TSVC_OP_VERIFY = 3,     /**< Signature verification. */
    TSVC_OP_KEYGEN = 4,     /**< Key generation. */
    TSVC_OP_KEY_IMPORT = 5, /**< Private-key import. */
    TSVC_OP_RANDOM = 6      /**< Random bytes. */
} tsvc_crypto_op;

/**
 * @brief Number of backends registered on a context.
 * @param ctx the context, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_ctx_num_backends(const tsvc_ctx *ctx);

/**
 * @brief Name of the @p index-th registered backend (in registration order).
 * @param ctx the context.
 * @param index 0 .. tsvc_ctx_num_backends() - 1.
 * @return the name (borrowed from the backend's table), or NULL when out of range.
 * @since 0.1
 */
TSVC_API const char *tsvc_ctx_backend_name(const tsvc_ctx *ctx, size_t index);

/**
 * @brief Priority of the @p index-th registered backend.
 * @param ctx the context.
 * @param index 0 .. tsvc_ctx_num_backends() - 1.
 * @return the priority, or 0 when out of range.
 * @since 0.1
 */
TSVC_API int tsvc_ctx_backend_priority(const tsvc_ctx *ctx, size_t index);

/**
 * @brief Changes the priority of a registered backend. Keys already made
 *        keep their backend; later operations are dispatched anew.
 * @param ctx the context.
 * @param name the backend's name.
 * @param priority the new priority (higher wins).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG (NULL), ::TSVC_ERR_NO_BACKEND (unknown name).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ctx_set_backend_priority(tsvc_ctx *ctx, const char *name,
                                                   int priority, tsvc_error **err);

/**
 * @brief Enables or disables a registered backend for dispatch.
 * @param ctx the context.
 * @param name the backend's name.
 * @param enabled non-zero to enable.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NO_BACKEND.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ctx_set_backend_enabled(tsvc_ctx *ctx, const char *name, int enabled,
                                                  tsvc_error **err);

/**
 * @brief Asks whether the @p index-th backend can do an operation.
 * @param ctx the context.
 * @param index 0 .. tsvc_ctx_num_backends() - 1.
 * @param op the operation.
 * @param type key type (::TSVC_KEY_NONE for hashing and random bytes).
 * @param scheme signature scheme (::TSVC_SIG_NONE unless signing/verifying).
 * @param hash hash algorithm (::TSVC_HASH_NONE when none applies).
 * @return 1 if it can, 0 if not (or out of range).
 * @since 0.1
 */
TSVC_API int tsvc_ctx_backend_supports(const tsvc_ctx *ctx, size_t index, tsvc_crypto_op op,
                                       tsvc_key_type type, tsvc_sig_scheme scheme,
                                       tsvc_hash_alg hash);

/* ------------------------------------------------------------------ */
/* Hashing and random bytes                                            */
/* ------------------------------------------------------------------ */

/**
 * @brief Digest size of a hash algorithm.
 * @param alg the algorithm.
 * @return the size in bytes, or 0 for ::TSVC_HASH_NONE and unknown values.
 * @since 0.1
 */
TSVC_API size_t tsvc_hash_size(tsvc_hash_alg alg);

/**
 * @brief Starts a streaming hash on the highest-priority backend that has
 *        the algorithm.
 * @param ctx the context (must outlive the hash object).
 * @param[out] out receives the object; release with tsvc_hash_free().
 * @param alg the algorithm.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_ALGORITHM (unknown
 *         algorithm), ::TSVC_ERR_NO_BACKEND, ::TSVC_ERR_NOMEM, ::TSVC_ERR_BACKEND.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_hash_new(tsvc_ctx *ctx, tsvc_hash **out, tsvc_hash_alg alg,
                                   tsvc_error **err);

/**
 * @brief Feeds bytes to a hash.
 * @param hash the object.
 * @param data the bytes (borrowed; may be NULL when @p len is 0).
 * @param len number of bytes.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_STATE (already
 *         finalised), ::TSVC_ERR_BACKEND.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_hash_update(tsvc_hash *hash, const void *data, size_t len,
                                      tsvc_error **err);

/**
 * @brief Finishes a hash and writes its digest. The object can then only
 *        be freed.
 * @param hash the object.
 * @param[out] out receives the digest.
 * @param out_size size of @p out.
 * @param[out] out_len receives the digest size (may be NULL).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BUFFER_TOO_SMALL,
 *         ::TSVC_ERR_STATE, ::TSVC_ERR_BACKEND.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_hash_final(tsvc_hash *hash, uint8_t *out, size_t out_size,
                                     size_t *out_len, tsvc_error **err);

/**
 * @brief Releases a hash object, wiping its state.
 * @param hash the object, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_hash_free(tsvc_hash *hash);

/**
 * @brief Hashes @p data in one call.
 * @param ctx the context.
 * @param alg the algorithm.
 * @param data the bytes (borrowed).
 * @param len number of bytes.
 * @param[out] out receives the digest.
 * @param out_size size of @p out.
 * @param[out] out_len receives the digest size (may be NULL).
 * @param[out] err optional error detail.
 * @return as tsvc_hash_new() and tsvc_hash_final().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_hash_oneshot(tsvc_ctx *ctx, tsvc_hash_alg alg, const void *data,
                                       size_t len, uint8_t *out, size_t out_size,
                                       size_t *out_len, tsvc_error **err);

/**
 * @brief Fills @p out with random bytes from the highest-priority backend
 *        that has a generator.
 * @param ctx the context.
 * @param[out] out the buffer.
 * @param len its size.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NO_BACKEND, ::TSVC_ERR_RANDOM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_random(tsvc_ctx *ctx, uint8_t *out, size_t len, tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Private keys                                                        */
/* ------------------------------------------------------------------ */

/**
 * @brief Generates a key on the highest-priority backend that can.
 * @param ctx the context (must outlive the key).
 * @param[out] out receives the key; release with tsvc_key_free().
 * @param type key type.
 * @param bits RSA modulus size, 2048..4096 and a multiple of 8; ignored
 *        (pass 0) for the other types.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_KEY_SIZE,
 *         ::TSVC_ERR_NO_BACKEND, ::TSVC_ERR_BACKEND, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_generate(tsvc_ctx *ctx, tsvc_key **out, tsvc_key_type type,
                                       unsigned bits, tsvc_error **err);

/**
 * @brief Imports a private key: PKCS#8 PrivateKeyInfo in DER, or PEM
 *        "PRIVATE KEY"; also the legacy PEM "RSA PRIVATE KEY" (PKCS#1) and
 *        "EC PRIVATE KEY" (RFC 5915, named curve). The key goes to the
 *        highest-priority backend that can import and sign with it.
 * @param ctx the context (must outlive the key).
 * @param[out] out receives the key; release with tsvc_key_free().
 * @param data the encoding (borrowed; the library wipes its own copies).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_KEY_FORMAT, ::TSVC_ERR_KEY_SIZE,
 *         ::TSVC_ERR_ALGORITHM, an encoding error, ::TSVC_ERR_NO_BACKEND, ...
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_import(tsvc_ctx *ctx, tsvc_key **out, const uint8_t *data,
                                     size_t len, tsvc_error **err);

/**
 * @brief Exports a software key as PKCS#8 (DER or PEM "PRIVATE KEY").
 * @param key the key.
 * @param[out] out receives the bytes; release with tsvc_buf_dispose()
 *        (which wipes them).
 * @param format ::TSVC_FORMAT_DER or ::TSVC_FORMAT_PEM.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_UNSUPPORTED (the key
 *         is not in software or its backend refuses export), ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_export(const tsvc_key *key, tsvc_buf *out, tsvc_key_format format,
                                     tsvc_error **err);

/**
 * @brief The public half of a key.
 * @param key the key.
 * @param[out] out receives a new reference; release with tsvc_pubkey_free().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_get_public(const tsvc_key *key, tsvc_pubkey **out,
                                         tsvc_error **err);

/**
 * @brief Describes a key.
 * @param key the key.
 * @param[in,out] info set its @c version first (1 or 2); filled on
 *        success, only with the members that version has. The strings are
 *        borrowed from the key.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_get_info(const tsvc_key *key, tsvc_key_info *info);

/**
 * @brief Releases a key; its secrets are wiped.
 * @param key the key, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_key_free(tsvc_key *key);

/**
 * @brief Signs a message. The message is hashed with @p hash (except for
 *        Ed25519, which signs the message itself; pass ::TSVC_HASH_NONE).
 *        RSA-PSS uses MGF1 with @p hash and a salt of the hash's size.
 * @param key the key; the operation runs on the key's own backend.
 * @param[out] sig receives the signature (ECDSA: DER Ecdsa-Sig-Value);
 *        release with tsvc_buf_dispose().
 * @param scheme the scheme; it must fit the key type.
 * @param hash SHA-256, SHA-384 or SHA-512 (SHA-1 and SHA-224 are refused
 *        with ::TSVC_ERR_ALGORITHM); ::TSVC_HASH_NONE for Ed25519.
 * @param msg the message (borrowed).
 * @param msg_len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_ALGORITHM, ::TSVC_ERR_KEY_MISMATCH,
 *         ::TSVC_ERR_NO_BACKEND, ::TSVC_ERR_BACKEND, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_sign(const tsvc_key *key, tsvc_buf *sig, tsvc_sig_scheme scheme,
                                   tsvc_hash_alg hash, const uint8_t *msg, size_t msg_len,
                                   tsvc_error **err);

/**
 * @brief Signs a digest computed by the caller (not for Ed25519).
 * @param key the key.
 * @param[out] sig receives the signature; release with tsvc_buf_dispose().
 * @param scheme ::TSVC_SIG_ECDSA, ::TSVC_SIG_RSA_PKCS1 or ::TSVC_SIG_RSA_PSS.
 * @param hash the algorithm that made @p digest.
 * @param digest the digest (its length must be tsvc_hash_size(hash)).
 * @param digest_len its length.
 * @param[out] err optional error detail.
 * @return as tsvc_key_sign(), and ::TSVC_ERR_INVALID_ARG for a wrong digest length.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_sign_digest(const tsvc_key *key, tsvc_buf *sig,
                                          tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                                          const uint8_t *digest, size_t digest_len,
                                          tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Public keys                                                         */
/* ------------------------------------------------------------------ */

/**
 * @brief Imports a public key: SubjectPublicKeyInfo in DER or PEM
 *        "PUBLIC KEY". The key is validated (EC point on its named curve,
 *        RSA modulus 512..16384 bits).
 * @param ctx the context (must outlive the key).
 * @param[out] out receives the key (reference count 1); release with
 *        tsvc_pubkey_free().
 * @param data the encoding (borrowed).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_KEY_FORMAT, ::TSVC_ERR_KEY_SIZE,
 *         ::TSVC_ERR_ALGORITHM, an encoding error, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pubkey_import(tsvc_ctx *ctx, tsvc_pubkey **out, const uint8_t *data,
                                        size_t len, tsvc_error **err);

/**
 * @brief Exports a public key as SubjectPublicKeyInfo (DER or PEM "PUBLIC KEY").
 * @param pub the key.
 * @param[out] out receives the bytes; release with tsvc_buf_dispose().
 * @param format ::TSVC_FORMAT_DER or ::TSVC_FORMAT_PEM.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pubkey_export(const tsvc_pubkey *pub, tsvc_buf *out,
                                        tsvc_key_format format, tsvc_error **err);

/**
 * @brief Takes another reference to a public key (thread-safe).
 * @param pub the key, or NULL.
 * @return @p pub.
 * @since 0.1
 */
TSVC_API tsvc_pubkey *tsvc_pubkey_ref(tsvc_pubkey *pub);

/**
 * @brief Drops a reference; the last one releases the key (thread-safe).
 * @param pub the key, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_pubkey_free(tsvc_pubkey *pub);

/**
 * @brief Type of a public key.
 * @param pub the key, or NULL.
 * @return the type (::TSVC_KEY_NONE for NULL).
 * @since 0.1
 */
TSVC_API tsvc_key_type tsvc_pubkey_type(const tsvc_pubkey *pub);

/**
 * @brief Size of a public key in bits (RSA modulus, curve size, 256 for Ed25519).
 * @param pub the key, or NULL (gives 0).
 * @return the size.
 * @since 0.1
 */
TSVC_API unsigned tsvc_pubkey_bits(const tsvc_pubkey *pub);

/**
 * @brief Verifies a signature over a message (hashed with @p hash, except
 *        Ed25519). RSA-PSS: MGF1 with @p hash, salt of the hash's size.
 * @param pub the key.
 * @param scheme the scheme.
 * @param hash the hash (SHA-1 accepted, for legacy data); ::TSVC_HASH_NONE for Ed25519.
 * @param msg the message (borrowed).
 * @param msg_len its length.
 * @param sig the signature (ECDSA: DER Ecdsa-Sig-Value).
 * @param sig_len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK when the signature is valid; ::TSVC_ERR_SIGNATURE_INVALID
 *         when it is not; ::TSVC_ERR_KEY_MISMATCH, ::TSVC_ERR_ALGORITHM,
 *         ::TSVC_ERR_NO_BACKEND when the check could not be made.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_pubkey_verify(const tsvc_pubkey *pub,
                                                       tsvc_sig_scheme scheme,
                                                       tsvc_hash_alg hash, const uint8_t *msg,
                                                       size_t msg_len, const uint8_t *sig,
                                                       size_t sig_len, tsvc_error **err);

/**
 * @brief Verifies a signature over a digest computed by the caller (not for Ed25519).
 * @param pub the key.
 * @param scheme the scheme.
 * @param hash the algorithm that made @p digest.
 * @param digest the digest (borrowed).
 * @param digest_len its length (must be tsvc_hash_size(hash)).
 * @param sig the signature (ECDSA: DER).
 * @param sig_len its length.
 * @param[out] err optional error detail.
 * @return as tsvc_pubkey_verify().
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_pubkey_verify_digest(const tsvc_pubkey *pub,
                                                              tsvc_sig_scheme scheme,
                                                              tsvc_hash_alg hash,
                                                              const uint8_t *digest,
                                                              size_t digest_len,
                                                              const uint8_t *sig, size_t sig_len,
                                                              tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Signature activation, signing evidence and key assurance            */
/* ------------------------------------------------------------------ */

/**
 * @brief What a signature-activation callback is asked to approve: the
 *        digest about to be signed, its algorithm, the scheme and the
 *        caller's label. Valid only during the callback.
 * @since 0.1
 */
typedef struct tsvc_activation_request tsvc_activation_request;

/**
 * @brief Signature-activation callback (the signer's sole control: PIN
 *        entry, a second factor, a consent screen).
 *
 * Called before every private-key operation of the key it is set on,
 * software or HSM, from the thread that asked for the operation (so it
 * must be thread-safe when the key is shared between threads).
 * @param opaque the value given to tsvc_key_set_activation().
 * @param req what is about to be done (borrowed, valid during the call);
 *        the callback may attach evidence with
 *        tsvc_activation_request_set_evidence().
 * @return ::TSVC_OK to approve; any other status refuses, and the
 *         operation fails with ::TSVC_ERR_ACTIVATION_REFUSED.
 * @since 0.1
 */
typedef tsvc_status (*tsvc_activation_fn)(void *opaque, tsvc_activation_request *req);

/**
 * @brief Sets (or with @p fn NULL removes) the activation callback of a key.
 *
 * Not thread-safe with respect to operations on the same key: set it
 * before the key is shared. Exporting a key that has a callback
 * (tsvc_key_export()) also goes through the callback (scheme
 * ::TSVC_SIG_NONE, no digest, label "key-export").
 * @param key the key.
 * @param fn the callback, or NULL.
 * @param opaque passed to @p fn.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_set_activation(tsvc_key *key, tsvc_activation_fn fn,
                                             void *opaque);

/**
 * @brief The digest about to be signed. For Ed25519, which signs the
 *        whole message, the SHA-512 of the message (see
 *        tsvc_activation_request_message() for the message itself).
 * @param req the request.
 * @param[out] len receives the digest's length (0 when there is none).
 * @return the digest (borrowed), or NULL for a key export.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_activation_request_digest(const tsvc_activation_request *req,
                                                        size_t *len);

/**
 * @brief The algorithm of tsvc_activation_request_digest().
 * @param req the request.
 * @return the hash algorithm (::TSVC_HASH_NONE when there is no digest).
 * @since 0.1
 */
TSVC_API tsvc_hash_alg tsvc_activation_request_hash(const tsvc_activation_request *req);

/**
 * @brief The signature scheme about to be used.
 * @param req the request.
 * @return the scheme (::TSVC_SIG_NONE for a key export).
 * @since 0.1
 */
TSVC_API tsvc_sig_scheme tsvc_activation_request_scheme(const tsvc_activation_request *req);

/**
 * @brief The message itself, when the scheme signs whole messages (Ed25519).
 * @param req the request.
 * @param[out] len receives its length (0 when there is none).
 * @return the message (borrowed), or NULL for digest-signing schemes.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_activation_request_message(const tsvc_activation_request *req,
                                                         size_t *len);

/**
 * @brief The caller's label of the operation (tsvc_sign_options::label,
 *        e.g. "contract 2024-117"; "csr" for a certificate request; the
 *        signer's own label for CAdES signatures).
 * @param req the request.
 * @return the label (borrowed), or "" when none was given.
 * @since 0.1
 */
TSVC_API const char *tsvc_activation_request_label(const tsvc_activation_request *req);

/**
 * @brief The key the request is about (to read its tsvc_key_get_info()).
 * @param req the request.
 * @return the key (borrowed).
 * @since 0.1
 */
TSVC_API const tsvc_key *tsvc_activation_request_key(const tsvc_activation_request *req);

/**
 * @brief Attaches evidence of the approval (who approved, how, when: for
 *        example "otp ok user=alice 2024-05-01T10:00:00Z"). It is returned
 *        with the signing result (tsvc_sign_evidence_activation()). Must
 *        not contain secrets such as the PIN itself.
 * @param req the request.
 * @param text NUL-terminated UTF-8, at most 1024 bytes (longer is cut).
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_activation_request_set_evidence(tsvc_activation_request *req,
                                                          const char *text);

/**
 * @brief Options of tsvc_key_sign_ex(). Initialise with
 *        ::TSVC_SIGN_OPTIONS_INIT or tsvc_sign_options_init().
 * @since 0.1
 */
typedef struct tsvc_sign_options {
    uint32_t version;         /**< ::TSVC_SIGN_OPTIONS_VERSION. */
    tsvc_sig_scheme scheme;   /**< Scheme; ::TSVC_SIG_NONE: the key type's default (ECDSA, RSA PKCS#1 v1.5, Ed25519). */
    tsvc_hash_alg hash;       /**< Hash; ::TSVC_HASH_NONE: the default (SHA-256, SHA-384 for P-384, SHA-512 for P-521, none for Ed25519). */
    int input_is_digest;      /**< Non-zero: the input is a digest made with @c hash (not for Ed25519). */
    tsvc_hash_alg mgf1_hash;  /**< RSA-PSS: MGF1 hash; ::TSVC_HASH_NONE: same as @c hash. */
    uint32_t salt_len;        /**< RSA-PSS: salt length; 0: the hash's size. */
    const char *label;        /**< The caller's label, shown to the activation callback (may be NULL). */
} tsvc_sign_options;

/** @brief Current version of ::tsvc_sign_options. @since 0.1 */
#define TSVC_SIGN_OPTIONS_VERSION 1
/** @brief Static initialiser of ::tsvc_sign_options. @since 0.1 */
#define TSVC_SIGN_OPTIONS_INIT                                                               \
    {TSVC_SIGN_OPTIONS_VERSION, TSVC_SIG_NONE, TSVC_HASH_NONE, 0, TSVC_HASH_NONE, 0, NULL}

/**
 * @brief Function twin of ::TSVC_SIGN_OPTIONS_INIT.
 * @param opts the structure to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_sign_options_init(tsvc_sign_options *opts);

/**
 * @brief What comes back with a signature: the activation's evidence and
 *        the assurance of the key that made it (storage, token, whether
 *        the key is sensitive and non-extractable, the token's
 *        certification status). Immutable; owned by the caller.
 *
 * The CAdES signer and the time-stamp authority keep one per signature
 * they make and put it in their result, so that an auditor can see that
 * an HSM-held key made the signature and that the signer activated it.
 * @since 0.1
 */
typedef struct tsvc_sign_evidence tsvc_sign_evidence;

/**
 * @brief Signs with options, and returns the evidence of the operation.
 *
 * Like tsvc_key_sign() / tsvc_key_sign_digest(): the key's activation
 * callback, when set, is called first with the digest, scheme and
 * @c opts->label, and must approve.
 * @param key the key.
 * @param[out] sig receives the signature (ECDSA: DER); release with tsvc_buf_dispose().
 * @param[out] evidence receives the evidence (may be NULL when not wanted);
 *        release with tsvc_sign_evidence_free().
 * @param opts the options (NULL: all defaults).
 * @param data the message, or the digest when @c opts->input_is_digest is set (borrowed).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return as tsvc_key_sign(), ::TSVC_ERR_BAD_VERSION, and
 *         ::TSVC_ERR_ACTIVATION_REFUSED when the callback refused.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_sign_ex(const tsvc_key *key, tsvc_buf *sig,
                                      tsvc_sign_evidence **evidence,
                                      const tsvc_sign_options *opts, const uint8_t *data,
                                      size_t len, tsvc_error **err);

/**
 * @brief Whether an activation callback approved the operation.
 * @param ev the evidence, or NULL.
 * @return 1 when a callback was called and approved, 0 when the key has none.
 * @since 0.1
 */
TSVC_API int tsvc_sign_evidence_activated(const tsvc_sign_evidence *ev);

/**
 * @brief The evidence string the activation callback attached.
 * @param ev the evidence, or NULL.
 * @return the text (borrowed from @p ev), or NULL when there is none.
 * @since 0.1
 */
TSVC_API const char *tsvc_sign_evidence_activation(const tsvc_sign_evidence *ev);

/**
 * @brief The caller's label of the operation.
 * @param ev the evidence, or NULL.
 * @return the label (borrowed from @p ev), or "" when none was given.
 * @since 0.1
 */
TSVC_API const char *tsvc_sign_evidence_label(const tsvc_sign_evidence *ev);

/**
 * @brief The description of the key at the time of signing.
 * @param ev the evidence.
 * @param[in,out] info set its @c version first (1 or 2); the strings are
 *        borrowed from @p ev.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_sign_evidence_key_info(const tsvc_sign_evidence *ev,
                                                 tsvc_key_info *info);

/**
 * @brief The time of the signature (from the context's clock).
 * @param ev the evidence, or NULL (gives 0).
 * @return seconds since the Unix epoch.
 * @since 0.1
 */
TSVC_API int64_t tsvc_sign_evidence_time(const tsvc_sign_evidence *ev);

/**
 * @brief The evidence as one JSON object (for reports and audit logs):
 *        time, label, scheme, hash, activation {approved, evidence}, and
 *        key {type, bits, backend, storage, token {...}, sensitive,
 *        extractable, always_sensitive, never_extractable, certification
 *        {status, text}}.
 * @param ev the evidence.
 * @param[out] out receives NUL-terminated UTF-8 (len excludes the NUL);
 *        release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_sign_evidence_to_json(const tsvc_sign_evidence *ev, tsvc_buf *out,
                                                tsvc_error **err);

/**
 * @brief Releases evidence.
 * @param ev the evidence, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_sign_evidence_free(tsvc_sign_evidence *ev);

/**
 * @brief Assurance a policy demands of a key before it may sign, seal or
 *        time-stamp. Initialise with ::TSVC_KEY_REQUIREMENTS_INIT or
 *        tsvc_key_requirements_init() (which demands nothing).
 *
 * The signing, sealing and time-stamping policies each carry one and
 * check the key with tsvc_key_check_requirements() before the first
 * signature.
 * @since 0.1
 */
typedef struct tsvc_key_requirements {
    uint32_t version;          /**< ::TSVC_KEY_REQUIREMENTS_VERSION. */
    int require_hsm;           /**< Non-zero: the key must live in an HSM (::TSVC_STORAGE_HSM). */
    int require_non_extractable; /**< Non-zero: sensitive and not extractable (for HSM keys, also never extractable). */
    int require_active_certification; /**< Non-zero: the token's certification status must be ::TSVC_HSM_CERT_ACTIVE. */
    int require_activation;    /**< Non-zero: the key must carry an activation callback. */
} tsvc_key_requirements;

/** @brief Current version of ::tsvc_key_requirements. @since 0.1 */
#define TSVC_KEY_REQUIREMENTS_VERSION 1
/** @brief Static initialiser of ::tsvc_key_requirements (demands nothing). @since 0.1 */
#define TSVC_KEY_REQUIREMENTS_INIT {TSVC_KEY_REQUIREMENTS_VERSION, 0, 0, 0, 0}

/**
 * @brief Function twin of ::TSVC_KEY_REQUIREMENTS_INIT.
 * @param req the structure to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_key_requirements_init(tsvc_key_requirements *req);

/**
 * @brief Checks a key against requirements.
 * @param key the key.
 * @param req the requirements.
 * @param[out] err optional error detail (names the first requirement not met).
 * @return ::TSVC_OK, ::TSVC_ERR_KEY_ASSURANCE when the key falls short,
 *         ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_check_requirements(const tsvc_key *key,
                                                 const tsvc_key_requirements *req,
                                                 tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_CRYPTO_H */
