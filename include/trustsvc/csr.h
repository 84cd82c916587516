/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file csr.h
 * @brief PKCS#10 certificate requests (RFC 2986): building one for any key
 *        (software or HSM-held: the remote-signing flow generates the key
 *        inside the HSM and sends its request to the CA), and parsing one
 *        with its signature checked.
 *
 * A request carries the subject, the public key and an extensionRequest
 * attribute (RFC 2985) with the subjectAltName, keyUsage and
 * extendedKeyUsage the requester asks for. Signing goes through the key's
 * activation callback like every other private-key operation, with the
 * label "csr".
 *
 * Thread safety: a builder belongs to one thread. A parsed ::tsvc_csr is
 * immutable and may be read from several threads.
 */
#ifndef TRUSTSVC_CSR_H
#define TRUSTSVC_CSR_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A certificate request being built. @since 0.1 */
typedef struct tsvc_csr_builder tsvc_csr_builder;
/** @brief A parsed certificate request (signature checked). @since 0.1 */
typedef struct tsvc_csr tsvc_csr;

/**
 * @brief Creates an empty request builder.
 * @param ctx the context (allocator; must outlive the builder).
 * @param[out] out receives the builder; release with tsvc_csr_builder_free().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_builder_new(const tsvc_ctx *ctx, tsvc_csr_builder **out,
                                          tsvc_error **err);

/**
 * @brief Releases a builder.
 * @param b the builder, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_csr_builder_free(tsvc_csr_builder *b);

/**
 * @brief Sets the subject from RFC 4514 text (see tsvc_name_from_text()),
 *        e.g. "CN=Seal of Example KK,organizationIdentifier=NTRJP-1234567890123,C=JP".
 * @param b the builder.
 * @param text NUL-terminated text.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_builder_set_subject(tsvc_csr_builder *b, const char *text,
                                                  tsvc_error **err);

/**
 * @brief Sets the subject from a DER Name.
 * @param b the builder.
 * @param der the Name DER (copied).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_builder_set_subject_der(tsvc_csr_builder *b, const uint8_t *der,
                                                      size_t len, tsvc_error **err);

/**
 * @brief Adds a subjectAltName entry.
 * @param b the builder.
 * @param type ::TSVC_GN_DNS, ::TSVC_GN_EMAIL, ::TSVC_GN_URI (the value is
 *        ASCII text), ::TSVC_GN_IP (4 or 16 bytes) or
 *        ::TSVC_GN_DIRECTORY_NAME (a Name DER).
 * @param value the value (copied).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG (a type not listed, or a value
 *         that does not fit it), ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_builder_add_san(tsvc_csr_builder *b, tsvc_general_name_type type,
                                              const uint8_t *value, size_t len,
                                              tsvc_error **err);

/**
 * @brief Requests a keyUsage extension.
 * @param b the builder.
 * @param bits a combination of ::tsvc_key_usage bits (0 removes the request).
 * @param critical non-zero to mark it critical (RFC 5280 says it should be).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_builder_set_key_usage(tsvc_csr_builder *b, uint32_t bits,
                                                    int critical, tsvc_error **err);

/**
 * @brief Requests an extended key usage (adds one OID to extendedKeyUsage).
 * @param b the builder.
 * @param oid dotted OID text (e.g. "1.3.6.1.5.5.7.3.4" for e-mail protection).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_DER_OID, ::TSVC_ERR_NOMEM,
 *         ::TSVC_ERR_LIMIT_COUNT (more than 32).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_builder_add_eku(tsvc_csr_builder *b, const char *oid,
                                              tsvc_error **err);

/**
 * @brief Builds and signs the request with @p key (its public key goes in
 *        the request).
 * @param b the builder (a subject must be set; it may be empty "" when
 *        subjectAltName entries are given).
 * @param key the key; software or HSM.
 * @param scheme ::TSVC_SIG_NONE for the key type's default, or a scheme
 *        that fits the key (e.g. ::TSVC_SIG_RSA_PSS).
 * @param hash ::TSVC_HASH_NONE for the default (SHA-256; SHA-384 for P-384,
 *        SHA-512 for P-521; none for Ed25519).
 * @param format ::TSVC_FORMAT_DER or ::TSVC_FORMAT_PEM ("CERTIFICATE REQUEST").
 * @param[out] out receives the request; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_STATE (no subject),
 *         ::TSVC_ERR_ACTIVATION_REFUSED, and the errors of tsvc_key_sign().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_builder_sign(tsvc_csr_builder *b, const tsvc_key *key,
                                           tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                                           tsvc_key_format format, tsvc_buf *out,
                                           tsvc_error **err);

/**
 * @brief Parses a request (DER, or PEM "CERTIFICATE REQUEST" / "NEW
 *        CERTIFICATE REQUEST") and checks its signature with its own key.
 * @param ctx the context (must outlive the request).
 * @param[out] out receives the request; release with tsvc_csr_free().
 * @param data the encoding (copied).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_CSR_FORMAT, ::TSVC_ERR_CSR_SIGNATURE,
 *         ::TSVC_ERR_ALGORITHM (unknown signature or key algorithm), an
 *         encoding error, ::TSVC_ERR_LIMIT_INPUT_SIZE, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_csr_parse(const tsvc_ctx *ctx, tsvc_csr **out,
                                                   const uint8_t *data, size_t len,
                                                   tsvc_error **err);

/**
 * @brief Releases a request.
 * @param csr the request, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_csr_free(tsvc_csr *csr);

/**
 * @brief The DER of the whole request.
 * @param csr the request.
 * @param[out] len receives its length.
 * @return the DER, borrowed from @p csr.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_csr_der(const tsvc_csr *csr, size_t *len);

/**
 * @brief The subject Name DER.
 * @param csr the request.
 * @param[out] len receives its length.
 * @return the DER, borrowed from @p csr.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_csr_subject_der(const tsvc_csr *csr, size_t *len);

/**
 * @brief The subject as RFC 4514 text.
 * @param csr the request.
 * @param[out] out receives NUL-terminated text; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_subject_text(const tsvc_csr *csr, tsvc_buf *out,
                                           tsvc_error **err);

/**
 * @brief The requested public key.
 * @param csr the request.
 * @param[out] out receives a new reference; release with tsvc_pubkey_free().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_pubkey(const tsvc_csr *csr, tsvc_pubkey **out, tsvc_error **err);

/**
 * @brief The signature scheme of the request.
 * @param csr the request, or NULL.
 * @return the scheme (::TSVC_SIG_NONE for NULL).
 * @since 0.1
 */
TSVC_API tsvc_sig_scheme tsvc_csr_sig_scheme(const tsvc_csr *csr);

/**
 * @brief The requested keyUsage.
 * @param csr the request.
 * @param[out] bits receives the ::tsvc_key_usage bits (0 when absent).
 * @return 1 when the request asks for keyUsage, else 0.
 * @since 0.1
 */
TSVC_API int tsvc_csr_key_usage(const tsvc_csr *csr, uint32_t *bits);

/**
 * @brief Number of requested extended key usages.
 * @param csr the request, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_csr_num_ekus(const tsvc_csr *csr);

/**
 * @brief One requested extended key usage as dotted text.
 * @param csr the request.
 * @param index 0 .. tsvc_csr_num_ekus() - 1.
 * @param[out] out receives the NUL-terminated OID text.
 * @param out_size size of @p out (512 bytes is always enough).
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BUFFER_TOO_SMALL.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_eku(const tsvc_csr *csr, size_t index, char *out,
                                  size_t out_size);

/**
 * @brief Number of requested subjectAltName entries.
 * @param csr the request, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_csr_num_sans(const tsvc_csr *csr);

/**
 * @brief One requested subjectAltName entry.
 * @param csr the request.
 * @param index 0 .. tsvc_csr_num_sans() - 1.
 * @param[out] type receives the type (may be NULL).
 * @param[out] value receives the value, borrowed (see ::tsvc_general_name_type).
 * @param[out] value_len its length.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_csr_san(const tsvc_csr *csr, size_t index,
                                  tsvc_general_name_type *type, const uint8_t **value,
                                  size_t *value_len);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_CSR_H */
