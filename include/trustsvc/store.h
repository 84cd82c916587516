/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file store.h
 * @brief Certificate stores: the trust anchors and untrusted intermediate
 *        certificates that path validation builds chains from.
 *
 * A store is filled by one thread with the tsvc_store_add_*() functions and
 * then frozen, explicitly with tsvc_store_freeze() or implicitly by its
 * first use in tsvc_validate(). A frozen store is immutable: every add
 * function fails with TSVC_ERR_STORE_FROZEN (-500) (see the path layer's status
 * list), and the store may be shared, read-only, by any number of threads.
 * References are counted atomically: tsvc_store_ref() and tsvc_store_free()
 * may be called from any thread.
 *
 * The store also holds certificate revocation lists and OCSP responses
 * (tsvc_store_add_crl(), tsvc_store_add_ocsp_response()) that validation
 * uses when its policy asks for revocation checking.
 */
#ifndef TRUSTSVC_STORE_H
#define TRUSTSVC_STORE_H

#include "trustsvc/common.h"
#include "trustsvc/revoke.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A set of trust anchors and intermediate certificates. @since 0.1 */
typedef struct tsvc_store tsvc_store;

/** @brief Size of a SHA-256 certificate fingerprint, in bytes. @since 0.1 */
#define TSVC_FINGERPRINT_SIZE 32

/**
 * @brief Function twin of ::TSVC_FINGERPRINT_SIZE.
 * @return 32.
 * @since 0.1
 */
TSVC_API size_t tsvc_fingerprint_size(void);

/**
 * @brief Creates an empty, unfrozen store.
 * @param ctx the context whose allocator the store uses; it must outlive
 *        the store.
 * @param[out] out receives the store; release with tsvc_store_free().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_store_new(tsvc_ctx *ctx, tsvc_store **out, tsvc_error **err);

/**
 * @brief Takes one more reference to a store.
 * @param store a store, or NULL.
 * @return @p store; the caller owns the new reference.
 * @since 0.1
 */
TSVC_API tsvc_store *tsvc_store_ref(tsvc_store *store);

/**
 * @brief Releases one reference; the last one frees the store and the
 *        references it holds on its certificates.
 * @param store a store, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_store_free(tsvc_store *store);

/**
 * @brief Adds a trust anchor certificate. The anchor is matched by subject
 *        name and public key together, never by name alone.
 * @param store an unfrozen store.
 * @param cert the certificate; the store takes its own reference (the
 *        caller keeps its own).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM,
 *         ::TSVC_ERR_LIMIT_COUNT (more than 65536 certificates) or
 *         TSVC_ERR_STORE_FROZEN (-500).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_store_add_anchor(tsvc_store *store, const tsvc_cert *cert,
                                           tsvc_error **err);

/**
 * @brief Adds a trust anchor certificate pinned to a published SHA-256
 *        fingerprint of its DER encoding.
 * @param store an unfrozen store.
 * @param cert the certificate (a reference is taken, as in
 *        tsvc_store_add_anchor()).
 * @param sha256 the expected fingerprint, ::TSVC_FINGERPRINT_SIZE bytes
 *        (borrowed, copied nowhere).
 * @param sha256_len must be ::TSVC_FINGERPRINT_SIZE.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK; TSVC_ERR_ANCHOR_FINGERPRINT (-501) when the fingerprint
 *         does not match (nothing is added); the errors of
 *         tsvc_store_add_anchor(); or a hash error from the backends.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_store_add_anchor_pinned(tsvc_store *store, const tsvc_cert *cert,
                                                  const uint8_t *sha256, size_t sha256_len,
                                                  tsvc_error **err);

/**
 * @brief Adds a bare trust anchor: a public key and a distinguished name,
 *        without a certificate (RFC 5914 style). A certificate is accepted
 *        as issued by it when its issuer name equals @p name_der and its
 *        signature verifies with the key. No other constraint applies.
 * @param store an unfrozen store.
 * @param spki DER SubjectPublicKeyInfo of the anchor key (copied).
 * @param spki_len length of @p spki.
 * @param name_der DER Name (the SEQUENCE) of the anchor (copied).
 * @param name_len length of @p name_der.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM,
 *         TSVC_ERR_STORE_FROZEN (-500), ::TSVC_ERR_LIMIT_COUNT, or a key or DER
 *         error when @p spki or @p name_der is malformed.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_store_add_anchor_key(tsvc_store *store, const uint8_t *spki,
                                               size_t spki_len, const uint8_t *name_der,
                                               size_t name_len, tsvc_error **err);

/**
 * @brief Adds an untrusted intermediate certificate, a candidate for path
 *        building only.
 * @param store an unfrozen store.
 * @param cert the certificate (a reference is taken).
 * @param[out] err optional error detail.
 * @return as tsvc_store_add_anchor().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_store_add_intermediate(tsvc_store *store, const tsvc_cert *cert,
                                                 tsvc_error **err);

/**
 * @brief Adds a certificate revocation list, for revocation checking by
 *        tsvc_validate() when the policy asks for it. The CRL is not
 *        verified here: validation verifies it against the issuer it
 *        finds and the validation time, and reports what it used.
 * @param store an unfrozen store.
 * @param crl the CRL (a reference is taken).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM,
 *         ::TSVC_ERR_LIMIT_COUNT (more than 65536 CRLs) or
 *         TSVC_ERR_STORE_FROZEN (-500).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_store_add_crl(tsvc_store *store, const tsvc_crl *crl,
                                        tsvc_error **err);

/**
 * @brief Adds an OCSP response (e.g. stapled, or saved with a signature),
 *        for revocation checking by tsvc_validate().
 * @param store an unfrozen store.
 * @param resp the response (a reference is taken).
 * @param[out] err optional error detail.
 * @return as tsvc_store_add_crl().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_store_add_ocsp_response(tsvc_store *store,
                                                  const tsvc_ocsp_response *resp,
                                                  tsvc_error **err);

/**
 * @brief Number of CRLs in a store.
 * @param store a store, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_store_num_crls(const tsvc_store *store);

/**
 * @brief Number of OCSP responses in a store.
 * @param store a store, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_store_num_ocsp_responses(const tsvc_store *store);

/**
 * @brief Freezes a store: from now on it is immutable and shareable.
 *        Idempotent.
 * @param store a store, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_store_freeze(tsvc_store *store);

/**
 * @brief Whether a store is frozen.
 * @param store a store, or NULL (gives 0).
 * @return 1 when frozen, 0 otherwise.
 * @since 0.1
 */
TSVC_API int tsvc_store_is_frozen(const tsvc_store *store);

/**
 * @brief Number of trust anchors (certificates and bare keys).
 * @param store a store, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_store_num_anchors(const tsvc_store *store);

/**
 * @brief Number of intermediate certificates.
 * @param store a store, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_store_num_intermediates(const tsvc_store *store);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_STORE_H */
