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
    TSVC_HASH_SHA512 = 4  /**< SHA-512. */
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
 * @brief Description of a key. Set @c version to ::TSVC_KEY_INFO_VERSION
 *        (or use ::TSVC_KEY_INFO_INIT / tsvc_key_info_init()) before calling
 *        tsvc_key_get_info(). The structure only grows at the end.
 * @since 0.1
 */
typedef struct tsvc_key_info {
    uint32_t version;         /**< Must be ::TSVC_KEY_INFO_VERSION. */
    tsvc_key_type type;       /**< Key type. */
    unsigned bits;            /**< Key size in bits (modulus or curve size). */
    const char *backend;      /**< Name of the backend holding it (borrowed from the key). */
    tsvc_key_storage storage; /**< Where the private key lives. */
} tsvc_key_info;

/** @brief Current version of ::tsvc_key_info. @since 0.1 */
#define TSVC_KEY_INFO_VERSION 1
/** @brief Static initialiser of ::tsvc_key_info. @since 0.1 */
#define TSVC_KEY_INFO_INIT {TSVC_KEY_INFO_VERSION, TSVC_KEY_NONE, 0, NULL, TSVC_STORAGE_SOFTWARE}

/**
 * @brief Function twin of ::TSVC_KEY_INFO_INIT.
 * @param info the structure to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_key_info_init(tsvc_key_info *info);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_CRYPTO_H */
