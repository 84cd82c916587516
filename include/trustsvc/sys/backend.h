/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file backend.h
 * @brief Crypto backend provider interface: the function table a backend
 *        (libsodium, wolfSSL, a PKCS#11 token, ...) fills in so a context can
 *        dispatch hashing, signing, verification, key generation, key import
 *        and random bytes to it.
 *
 * This header is a separate stability tier ("sys"): it is meant for people
 * who write backends, not for applications. The table only grows at the
 * end; a table carries its @c version and @c struct_size, and the library
 * calls a method only when @c struct_size shows that the table has it and
 * the pointer is not NULL.
 *
 * All encodings (SubjectPublicKeyInfo, PKCS#8, DER signatures, DigestInfo
 * for PKCS#1 v1.5 is built by the backend itself from the hash identifier)
 * are handled by the library: a backend only sees raw key material
 * (::tsvc_key_part) and raw signatures. ECDSA signatures cross this
 * interface as raw r||s, each half the curve's field size in bytes
 * (32, 48, 66): the library converts to and from DER in one place.
 *
 * Thread safety: a backend's methods may be called from several threads at
 * once, on the same instance state and on the same key handle; a backend
 * that cannot allow this must serialise internally. A hash state is used by
 * one thread at a time. @c global_init may be called more than once and
 * must be idempotent.
 */
#ifndef TRUSTSVC_SYS_BACKEND_H
#define TRUSTSVC_SYS_BACKEND_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Current version of the ::tsvc_backend table layout. @since 0.1 */
#define TSVC_BACKEND_VERSION 1

/**
 * @brief Function twin of ::TSVC_BACKEND_VERSION.
 * @return the version of ::tsvc_backend this library understands.
 * @since 0.1
 */
TSVC_API uint32_t tsvc_backend_version(void);

/**
 * @brief Smallest @c struct_size a table may have to be registered: a table
 *        must at least reach the @c supports member.
 * @return the size in bytes.
 * @since 0.1
 */
TSVC_API size_t tsvc_backend_min_size(void);

/**
 * @brief Identifies one piece of raw key material.
 *
 * Integers are unsigned big-endian, without leading zero bytes required
 * (leading zeros are allowed). EC points are uncompressed SEC 1 encodings
 * (0x04 || X || Y); EC private scalars are big-endian, usually padded to
 * the field size.
 * @since 0.1
 */
typedef enum tsvc_key_part_id {
    TSVC_PART_RSA_N = 1,           /**< RSA modulus. */
    TSVC_PART_RSA_E = 2,           /**< RSA public exponent. */
    TSVC_PART_RSA_D = 3,           /**< RSA private exponent. */
    TSVC_PART_RSA_P = 4,           /**< RSA first prime. */
    TSVC_PART_RSA_Q = 5,           /**< RSA second prime. */
    TSVC_PART_RSA_DP = 6,          /**< d mod (p-1). */
    TSVC_PART_RSA_DQ = 7,          /**< d mod (q-1). */
    TSVC_PART_RSA_QINV = 8,        /**< q^-1 mod p. */
    TSVC_PART_EC_PRIVATE = 20,     /**< EC private scalar. */
    TSVC_PART_EC_POINT = 21,       /**< EC public point, uncompressed. */
    TSVC_PART_ED25519_SEED = 30,   /**< Ed25519 32-byte private seed (RFC 8032). */
    TSVC_PART_ED25519_PUBLIC = 31  /**< Ed25519 32-byte public key. */
} tsvc_key_part_id;

/**
 * @brief One piece of raw key material, borrowed for the duration of a call.
 * @since 0.1
 */
typedef struct tsvc_key_part {
    tsvc_key_part_id id; /**< What the bytes are. */
    const uint8_t *data; /**< The bytes (borrowed). */
    size_t len;          /**< Number of bytes. */
} tsvc_key_part;

/**
 * @brief Receives key material from tsvc_backend::key_export.
 * @param opaque the value given to key_export.
 * @param id which part.
 * @param data the bytes (valid only during the call; the receiver copies
 *        and later wipes them).
 * @param len number of bytes.
 * @return ::TSVC_OK, or an error that key_export must return at once.
 * @since 0.1
 */
typedef tsvc_status (*tsvc_key_part_sink)(void *opaque, tsvc_key_part_id id,
                                          const uint8_t *data, size_t len);

/**
 * @brief Signature parameters handed to a backend.
 *
 * For ::TSVC_SIG_RSA_PSS, @c mgf1_hash and @c salt_len are always filled
 * (the library substitutes its defaults). For ::TSVC_SIG_ED25519 @c hash is
 * ::TSVC_HASH_NONE. For ::TSVC_SIG_RSA_PKCS1 the backend builds the
 * DigestInfo for @c hash itself (DER, NULL parameters) and, when verifying,
 * compares the recovered DigestInfo with that exact encoding.
 * @since 0.1
 */
typedef struct tsvc_backend_sig_params {
    tsvc_sig_scheme scheme;  /**< Signature scheme. */
    tsvc_hash_alg hash;      /**< Message hash. */
    tsvc_hash_alg mgf1_hash; /**< PSS: MGF1 hash. */
    uint32_t salt_len;       /**< PSS: salt length in bytes. */
} tsvc_backend_sig_params;

/**
 * @brief The function table of a crypto backend.
 *
 * Every method receives the @c state its @c instance_new produced (NULL when
 * the backend has no instance_new). Methods return ::TSVC_OK or an error
 * status; they never fill error detail (the library does). Methods a
 * backend does not implement are NULL; the library asks @c supports before
 * calling anything else.
 *
 * Ownership: the table itself is not copied; it must outlive every context
 * it is registered with (a static const table is the usual form).
 * @since 0.1
 */
typedef struct tsvc_backend {
    /** Must be ::TSVC_BACKEND_VERSION (a larger value is refused). @since 0.1 */
    uint32_t version;
    /** sizeof(tsvc_backend) as compiled by the backend's author. @since 0.1 */
    size_t struct_size;
    /** Short unique name ("sodium", "wolfssl", ...), static storage. @since 0.1 */
    const char *name;

    /**
     * @brief Process-wide initialisation; idempotent. May be NULL.
     * @return ::TSVC_OK or ::TSVC_ERR_NOT_INITIALISED.
     * @since 0.1
     */
    tsvc_status (*global_init)(void);
    /**
     * @brief Creates the backend's per-context state. May be NULL.
     * @param[out] state receives the state.
     * @param alloc the context's allocator (may be ignored).
     * @return ::TSVC_OK or an error.
     * @since 0.1
     */
    tsvc_status (*instance_new)(void **state, const tsvc_allocator *alloc);
    /**
     * @brief Releases the per-context state. May be NULL.
     * @param state the state from instance_new.
     * @since 0.1
     */
    void (*instance_free)(void *state);
    /**
     * @brief Capability query.
     * @param state instance state.
     * @param op the operation.
     * @param type key type (::TSVC_KEY_NONE for ::TSVC_OP_HASH and ::TSVC_OP_RANDOM).
     * @param scheme signature scheme (sign/verify only, else ::TSVC_SIG_NONE).
     * @param hash hash (hash, sign, verify; ::TSVC_HASH_NONE for Ed25519).
     * @return non-zero when the backend can do it.
     * @since 0.1
     */
    int (*supports)(void *state, tsvc_crypto_op op, tsvc_key_type type, tsvc_sig_scheme scheme,
                    tsvc_hash_alg hash);

    /**
     * @brief Starts a hash computation.
     * @param state instance state.
     * @param alg the algorithm.
     * @param[out] hash_state receives the computation's state.
     * @return ::TSVC_OK, ::TSVC_ERR_UNSUPPORTED, ::TSVC_ERR_NOMEM.
     * @since 0.1
     */
    tsvc_status (*hash_init)(void *state, tsvc_hash_alg alg, void **hash_state);
    /**
     * @brief Feeds bytes.
     * @param hash_state from hash_init.
     * @param data the bytes.
     * @param len their number.
     * @return ::TSVC_OK or an error.
     * @since 0.1
     */
    tsvc_status (*hash_update)(void *hash_state, const uint8_t *data, size_t len);
    /**
     * @brief Writes the digest. The state may not be updated afterwards.
     * @param hash_state from hash_init.
     * @param[out] out receives the digest.
     * @param out_size size of @p out (at least the digest size).
     * @return ::TSVC_OK or an error.
     * @since 0.1
     */
    tsvc_status (*hash_final)(void *hash_state, uint8_t *out, size_t out_size);
    /**
     * @brief Wipes and releases a hash state (also one not finalised).
     * @param hash_state from hash_init, or NULL.
     * @since 0.1
     */
    void (*hash_free)(void *hash_state);

    /**
     * @brief Fills @p out with random bytes from a cryptographic generator.
     * @param state instance state.
     * @param[out] out the buffer.
     * @param len its size.
     * @return ::TSVC_OK or ::TSVC_ERR_RANDOM.
     * @since 0.1
     */
    tsvc_status (*random)(void *state, uint8_t *out, size_t len);

    /**
     * @brief Generates a private key.
     * @param state instance state.
     * @param type key type.
     * @param bits RSA modulus size (the library has checked 2048..4096); ignored otherwise.
     * @param[out] key receives the backend's key handle.
     * @return ::TSVC_OK or an error.
     * @since 0.1
     */
    tsvc_status (*key_generate)(void *state, tsvc_key_type type, unsigned bits, void **key);
    /**
     * @brief Imports a private key from raw parts (RSA: N, E, D, P, Q, DP,
     *        DQ, QINV; EC: EC_PRIVATE and optionally EC_POINT; Ed25519:
     *        ED25519_SEED and optionally ED25519_PUBLIC).
     * @param state instance state.
     * @param type key type.
     * @param parts the parts (borrowed; the backend wipes its own copies).
     * @param num_parts number of parts.
     * @param[out] key receives the backend's key handle.
     * @return ::TSVC_OK, ::TSVC_ERR_KEY_FORMAT, or another error.
     * @since 0.1
     */
    tsvc_status (*key_import)(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                              size_t num_parts, void **key);
    /**
     * @brief Gives the key's parts to @p sink: always the public parts
     *        (RSA N and E, EC_POINT, ED25519_PUBLIC); the private parts too
     *        when @p include_private is non-zero and the key is exportable.
     * @param state instance state.
     * @param key key handle.
     * @param include_private whether to export private parts.
     * @param sink receives each part.
     * @param opaque passed to @p sink.
     * @return ::TSVC_OK, ::TSVC_ERR_UNSUPPORTED when private parts were asked
     *         for and the key does not allow it, or the sink's error.
     * @since 0.1
     */
    tsvc_status (*key_export)(void *state, void *key, int include_private,
                              tsvc_key_part_sink sink, void *opaque);
    /**
     * @brief Wipes and releases a key handle.
     * @param state instance state.
     * @param key key handle, or NULL.
     * @since 0.1
     */
    void (*key_free)(void *state, void *key);
    /**
     * @brief Signs a digest (ECDSA, RSA PKCS#1 v1.5, RSA-PSS).
     * @param state instance state.
     * @param key key handle.
     * @param params scheme and hash.
     * @param digest the digest of the message (its length fits @c params->hash).
     * @param digest_len its length.
     * @param[out] sig receives the signature (ECDSA: raw r||s).
     * @param sig_size size of @p sig.
     * @param[out] sig_len receives the signature's length.
     * @return ::TSVC_OK, ::TSVC_ERR_BUFFER_TOO_SMALL, or another error.
     * @since 0.1
     */
    tsvc_status (*sign_hash)(void *state, void *key, const tsvc_backend_sig_params *params,
                             const uint8_t *digest, size_t digest_len, uint8_t *sig,
                             size_t sig_size, size_t *sig_len);
    /**
     * @brief Signs a whole message (Ed25519; may also be offered for the
     *        hash-based schemes).
     * @param state instance state.
     * @param key key handle.
     * @param params scheme and hash.
     * @param msg the message.
     * @param msg_len its length.
     * @param[out] sig receives the signature.
     * @param sig_size size of @p sig.
     * @param[out] sig_len receives the signature's length.
     * @return ::TSVC_OK, ::TSVC_ERR_BUFFER_TOO_SMALL, or another error.
     * @since 0.1
     */
    tsvc_status (*sign_message)(void *state, void *key, const tsvc_backend_sig_params *params,
                                const uint8_t *msg, size_t msg_len, uint8_t *sig,
                                size_t sig_size, size_t *sig_len);
    /**
     * @brief Imports a public key from raw parts (RSA: N and E; EC:
     *        EC_POINT, already checked on the curve by the library; Ed25519:
     *        ED25519_PUBLIC).
     * @param state instance state.
     * @param type key type.
     * @param parts the parts (borrowed).
     * @param num_parts number of parts.
     * @param[out] pub receives the backend's public-key handle.
     * @return ::TSVC_OK, ::TSVC_ERR_KEY_FORMAT, ::TSVC_ERR_KEY_SIZE, or another error.
     * @since 0.1
     */
    tsvc_status (*pubkey_import)(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                                 size_t num_parts, void **pub);
    /**
     * @brief Releases a public-key handle.
     * @param state instance state.
     * @param pub the handle, or NULL.
     * @since 0.1
     */
    void (*pubkey_free)(void *state, void *pub);
    /**
     * @brief Verifies a signature over a digest.
     * @param state instance state.
     * @param pub public-key handle.
     * @param params scheme and hash.
     * @param digest the digest.
     * @param digest_len its length.
     * @param sig the signature (ECDSA: raw r||s).
     * @param sig_len its length.
     * @return ::TSVC_OK when valid, ::TSVC_ERR_SIGNATURE_INVALID when not,
     *         another error when the check could not be made.
     * @since 0.1
     */
    tsvc_status (*verify_hash)(void *state, void *pub, const tsvc_backend_sig_params *params,
                               const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                               size_t sig_len);
    /**
     * @brief Verifies a signature over a whole message (Ed25519).
     * @param state instance state.
     * @param pub public-key handle.
     * @param params scheme and hash.
     * @param msg the message.
     * @param msg_len its length.
     * @param sig the signature.
     * @param sig_len its length.
     * @return ::TSVC_OK when valid, ::TSVC_ERR_SIGNATURE_INVALID when not,
     *         another error when the check could not be made.
     * @since 0.1
     */
    tsvc_status (*verify_message)(void *state, void *pub, const tsvc_backend_sig_params *params,
                                  const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                  size_t sig_len);
} tsvc_backend;

/**
 * @brief Registers a backend on a context.
 *
 * Checks the table (::TSVC_ERR_BACKEND_VERSION when @c version is not
 * ::TSVC_BACKEND_VERSION, @c struct_size is smaller than
 * tsvc_backend_min_size(), or @c name or @c supports is missing), calls
 * @c global_init and @c instance_new, and adds it enabled.
 * @param ctx the context.
 * @param backend the table (borrowed: it must outlive the context).
 * @param priority dispatch priority; the highest enabled backend that can
 *        do an operation gets it.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG (NULL argument or name already
 *         registered), ::TSVC_ERR_BACKEND_VERSION, ::TSVC_ERR_LIMIT_COUNT
 *         (too many backends), or the backend's initialisation error.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ctx_add_backend(tsvc_ctx *ctx, const tsvc_backend *backend,
                                          int priority, tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_SYS_BACKEND_H */
