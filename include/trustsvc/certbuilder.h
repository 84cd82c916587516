/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file certbuilder.h
 * @brief Issuing X.509 v3 certificates (RFC 5280): a builder that takes a
 *        subject, an issuer, a serial number, a validity period, a public
 *        key and extensions, and signs the certificate with the issuer's
 *        key (software or HSM-held).
 *
 * It is meant for test PKIs, private CAs (IoT manufacturers), and for the
 * certificates of the services themselves (time-stamp authority, OCSP
 * responder, e-seal). It is not a CA product: it checks what it is given
 * for well-formedness, not for issuing policy.
 *
 * What the builder writes, in this order: basicConstraints,
 * keyUsage, extendedKeyUsage, subjectAltName, subjectKeyIdentifier
 * (SHA-1 of the subjectPublicKey bits, RFC 5280 4.2.1.2 method 1),
 * authorityKeyIdentifier (the issuer certificate's subjectKeyIdentifier,
 * or the same method over its key; for a self-signed certificate the
 * subject's own), cRLDistributionPoints, authorityInfoAccess,
 * certificatePolicies, then the extra extensions in the order they were
 * added. Defaults: a random positive 16-byte serial number, validity from
 * now (the context's clock) for 365 days, the issuer equal to the subject
 * (self-signed), subject and authority key identifiers on, the issuer
 * key's default signature algorithm (ECDSA with the curve's hash, RSA
 * PKCS#1 v1.5 with SHA-256, Ed25519).
 *
 * An organisation's seal certificate names the organisation in its
 * subject, e.g. "CN=Example Seal,organizationIdentifier=NTRJP-7000012050002,
 * O=Example KK,C=JP" (organizationIdentifier is 2.5.4.97); qcStatements are
 * added as an extra extension with tsvc_cert_builder_add_extension().
 *
 * Thread safety: a builder belongs to one thread at a time.
 */
#ifndef TRUSTSVC_CERTBUILDER_H
#define TRUSTSVC_CERTBUILDER_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A certificate being built (opaque). @since 0.1 */
typedef struct tsvc_cert_builder tsvc_cert_builder;

/**
 * @brief Creates a builder with the defaults described in the file comment.
 * @param ctx the context (allocator, clock and random source).
 * @param[out] out receives the builder; release with tsvc_cert_builder_free().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_new(tsvc_ctx *ctx, tsvc_cert_builder **out,
                                           tsvc_error **err);

/**
 * @brief Releases a builder.
 * @param b a builder, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_cert_builder_free(tsvc_cert_builder *b);

/**
 * @brief Sets the subject from RFC 4514 text (see tsvc_name_from_text()).
 * @param b the builder.
 * @param text the name, e.g. "CN=Hanako Yamada,O=Example KK,C=JP"; "" for
 *        an empty subject (then give a subjectAltName: it is made critical).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_subject(tsvc_cert_builder *b, const char *text,
                                                   tsvc_error **err);

/**
 * @brief Sets the subject from a DER Name.
 * @param b the builder.
 * @param der the Name (SEQUENCE header included); copied.
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NAME, DER errors, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_subject_der(tsvc_cert_builder *b,
                                                       const uint8_t *der, size_t len,
                                                       tsvc_error **err);

/**
 * @brief Names the issuer by its certificate: the issuer name is its
 *        subject, and the authorityKeyIdentifier its subjectKeyIdentifier
 *        (or, when it has none, the SHA-1 of its key bits).
 * @param b the builder.
 * @param issuer the issuing CA's certificate (borrowed during the call).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_issuer_cert(tsvc_cert_builder *b,
                                                       const tsvc_cert *issuer,
                                                       tsvc_error **err);

/**
 * @brief Sets the issuer name from RFC 4514 text, without an issuer
 *        certificate (the authorityKeyIdentifier is then computed from the
 *        signing key at tsvc_cert_builder_sign()).
 * @param b the builder.
 * @param text the issuer name.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_issuer(tsvc_cert_builder *b, const char *text,
                                                  tsvc_error **err);

/**
 * @brief Sets the serial number.
 * @param b the builder.
 * @param serial big-endian magnitude (leading zero bytes are removed; the
 *        encoding adds one when the top bit is set).
 * @param len 1 to 20 bytes; the value must not be zero.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_serial(tsvc_cert_builder *b, const uint8_t *serial,
                                                  size_t len, tsvc_error **err);

/**
 * @brief Sets the validity period.
 * @param b the builder.
 * @param not_before start, seconds since the Unix epoch (UTC).
 * @param not_after end, inclusive; not before @p not_before. Use
 *        253402300799 (9999-12-31T23:59:59Z) for "no well-defined expiry".
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_validity(tsvc_cert_builder *b, int64_t not_before,
                                                    int64_t not_after, tsvc_error **err);

/**
 * @brief Sets the subject public key.
 * @param b the builder.
 * @param pub the key (the builder takes its own reference).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_public_key(tsvc_cert_builder *b, tsvc_pubkey *pub,
                                                      tsvc_error **err);

/**
 * @brief Adds a basicConstraints extension (always critical).
 * @param b the builder.
 * @param ca non-zero for a CA certificate.
 * @param path_len pathLenConstraint for a CA (0 or more), or -1 for none.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG (a path length for a non-CA).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_basic_constraints(tsvc_cert_builder *b, int ca,
                                                             int64_t path_len,
                                                             tsvc_error **err);

/**
 * @brief Adds a keyUsage extension.
 * @param b the builder.
 * @param bits ::tsvc_key_usage bits (not 0).
 * @param critical non-zero to mark it critical (RFC 5280 says SHOULD).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_set_key_usage(tsvc_cert_builder *b, uint32_t bits,
                                                     int critical, tsvc_error **err);

/**
 * @brief Adds a purpose to the extendedKeyUsage extension.
 * @param b the builder.
 * @param oid the purpose as a dotted OID (e.g. "1.3.6.1.5.5.7.3.8", id-kp-timeStamping).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_DER_OID, ::TSVC_ERR_LIMIT_COUNT.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_add_eku(tsvc_cert_builder *b, const char *oid,
                                               tsvc_error **err);

/**
 * @brief Marks the extendedKeyUsage extension critical or not (default:
 *        not critical). RFC 3161 requires a critical one holding only
 *        id-kp-timeStamping for a time-stamp authority.
 * @param b the builder.
 * @param critical non-zero for critical.
 * @since 0.1
 */
TSVC_API void tsvc_cert_builder_set_eku_critical(tsvc_cert_builder *b, int critical);

/**
 * @brief Adds a subjectAltName entry.
 * @param b the builder.
 * @param type ::TSVC_GN_DNS, ::TSVC_GN_EMAIL, ::TSVC_GN_URI (printable
 *        ASCII), ::TSVC_GN_IP (4 or 16 bytes) or ::TSVC_GN_DIRECTORY_NAME
 *        (a DER Name).
 * @param value the value's bytes (copied).
 * @param len their length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_LIMIT_COUNT, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_add_san(tsvc_cert_builder *b,
                                               tsvc_general_name_type type,
                                               const uint8_t *value, size_t len,
                                               tsvc_error **err);

/**
 * @brief Adds a URI to the cRLDistributionPoints extension (one
 *        distribution point per URI, as a fullName).
 * @param b the builder.
 * @param uri the URI (printable ASCII).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_LIMIT_COUNT, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_add_crl_uri(tsvc_cert_builder *b, const char *uri,
                                                   tsvc_error **err);

/**
 * @brief Adds an OCSP responder URI to the authorityInfoAccess extension.
 * @param b the builder.
 * @param uri the URI (printable ASCII).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_LIMIT_COUNT, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_add_ocsp_uri(tsvc_cert_builder *b, const char *uri,
                                                    tsvc_error **err);

/**
 * @brief Adds a caIssuers URI to the authorityInfoAccess extension.
 * @param b the builder.
 * @param uri the URI (printable ASCII).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_LIMIT_COUNT, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_add_ca_issuers_uri(tsvc_cert_builder *b,
                                                          const char *uri, tsvc_error **err);

/**
 * @brief Adds a policy (without qualifiers) to the certificatePolicies extension.
 * @param b the builder.
 * @param oid the policy as a dotted OID ("2.5.29.32.0" is anyPolicy).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_DER_OID, ::TSVC_ERR_LIMIT_COUNT.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_add_policy(tsvc_cert_builder *b, const char *oid,
                                                  tsvc_error **err);

/**
 * @brief Adds any other extension (e.g. qcStatements 1.3.6.1.5.5.7.1.3).
 * @param b the builder.
 * @param oid the extension's dotted OID; it must not be one the builder
 *        writes itself (basicConstraints, keyUsage, extendedKeyUsage,
 *        subjectAltName, key identifiers, CRL distribution points,
 *        authorityInfoAccess, certificatePolicies) nor one added before.
 * @param critical non-zero to mark it critical.
 * @param value the extnValue contents: one DER element (copied).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_DER_OID,
 *         ::TSVC_ERR_CERT_DUPLICATE_EXTENSION, ::TSVC_ERR_LIMIT_COUNT, DER errors.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_add_extension(tsvc_cert_builder *b, const char *oid,
                                                     int critical, const uint8_t *value,
                                                     size_t len, tsvc_error **err);

/**
 * @brief Turns the subjectKeyIdentifier and authorityKeyIdentifier
 *        extensions on or off (both on by default).
 * @param b the builder.
 * @param subject_key_id non-zero to write subjectKeyIdentifier.
 * @param authority_key_id non-zero to write authorityKeyIdentifier.
 * @since 0.1
 */
TSVC_API void tsvc_cert_builder_set_key_ids(tsvc_cert_builder *b, int subject_key_id,
                                            int authority_key_id);

/**
 * @brief Encodes the certificate and signs it with the issuer's key (its
 *        signature-activation callback, if any, is asked with the label
 *        "certificate").
 * @param b the builder (it may be signed again, e.g. after a change).
 * @param issuer_key the issuer's private key; for a self-signed certificate
 *        the key whose public half was set.
 * @param scheme ::TSVC_SIG_NONE for the key's default, or a scheme that fits
 *        the key (::TSVC_SIG_RSA_PSS for RSA keys).
 * @param hash ::TSVC_HASH_NONE for the default, or SHA-256/384/512.
 * @param format ::TSVC_FORMAT_DER or ::TSVC_FORMAT_PEM ("CERTIFICATE").
 * @param[out] out receives the certificate; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK; ::TSVC_ERR_STATE (no subject or no public key);
 *         ::TSVC_ERR_KEY_MISMATCH (self-signed, but the key is not the
 *         subject's); ::TSVC_ERR_CLOCK; signing and encoding errors.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_builder_sign(tsvc_cert_builder *b, const tsvc_key *issuer_key,
                                            tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                                            tsvc_key_format format, tsvc_buf *out,
                                            tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_CERTBUILDER_H */
