/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file x509.h
 * @brief X.509 certificates (RFC 5280): strict DER/PEM parsing, accessors
 *        for the fields and the common extensions, distinguished names as
 *        RFC 4514 text, and certificate lists read from PEM bundles.
 *
 * Thread safety: a parsed ::tsvc_cert is immutable and reference-counted
 * (atomically); it may be shared between threads, and tsvc_cert_ref() /
 * tsvc_cert_free() may be called from any thread. A ::tsvc_cert_list is
 * immutable after it is made and may be read by many threads; freeing it
 * is not safe while others read it. The context that parsed a certificate
 * must outlive it.
 *
 * Pointers returned directly by the accessors are borrowed from the
 * certificate and live as long as it does.
 */
#ifndef TRUSTSVC_X509_H
#define TRUSTSVC_X509_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A parsed X.509 certificate; immutable and reference-counted. @since 0.1 */
typedef struct tsvc_cert tsvc_cert;

/** @brief An ordered list of certificates (e.g. read from a PEM bundle). @since 0.1 */
typedef struct tsvc_cert_list tsvc_cert_list;

/**
 * @brief Types of GeneralName (RFC 5280 §4.2.1.6); the values are the
 *        context tag numbers.
 * @since 0.1
 */
typedef enum tsvc_general_name_type {
    TSVC_GN_OTHER_NAME = 0,     /**< otherName: value is type-id OID element + [0] value. */
    TSVC_GN_EMAIL = 1,          /**< rfc822Name: the IA5String bytes. */
    TSVC_GN_DNS = 2,            /**< dNSName: the IA5String bytes. */
    TSVC_GN_X400 = 3,           /**< x400Address: raw contents. */
    TSVC_GN_DIRECTORY_NAME = 4, /**< directoryName: the Name DER. */
    TSVC_GN_EDI_PARTY = 5,      /**< ediPartyName: raw contents. */
    TSVC_GN_URI = 6,            /**< uniformResourceIdentifier: the IA5String bytes. */
    TSVC_GN_IP = 7,             /**< iPAddress: 4 or 16 octets (8 or 32 in constraints). */
    TSVC_GN_REGISTERED_ID = 8   /**< registeredID: OID contents octets. */
} tsvc_general_name_type;

/**
 * @brief Key usage bits (RFC 5280 §4.2.1.3): bit i is ASN.1 bit i.
 * @since 0.1
 */
typedef enum tsvc_key_usage {
    TSVC_KU_DIGITAL_SIGNATURE = 0x001, /**< digitalSignature (0). */
    TSVC_KU_NON_REPUDIATION = 0x002,   /**< nonRepudiation / contentCommitment (1). */
    TSVC_KU_KEY_ENCIPHERMENT = 0x004,  /**< keyEncipherment (2). */
    TSVC_KU_DATA_ENCIPHERMENT = 0x008, /**< dataEncipherment (3). */
    TSVC_KU_KEY_AGREEMENT = 0x010,     /**< keyAgreement (4). */
    TSVC_KU_KEY_CERT_SIGN = 0x020,     /**< keyCertSign (5). */
    TSVC_KU_CRL_SIGN = 0x040,          /**< cRLSign (6). */
    TSVC_KU_ENCIPHER_ONLY = 0x080,     /**< encipherOnly (7). */
    TSVC_KU_DECIPHER_ONLY = 0x100      /**< decipherOnly (8). */
} tsvc_key_usage;

/**
 * @brief Notes recorded while parsing a certificate (see tsvc_cert_flags()).
 *
 * ::TSVC_CERT_FLAG_UNKNOWN_CRITICAL_EXTENSION makes every path through the
 * certificate fail; the others are strict-profile notes that a policy may
 * turn into failures.
 * @since 0.1
 */
typedef enum tsvc_cert_flag {
    TSVC_CERT_FLAG_UNKNOWN_CRITICAL_EXTENSION = 0x0001, /**< A critical extension this library does not process. */
    TSVC_CERT_FLAG_SERIAL_NEGATIVE = 0x0002,            /**< Serial number is negative. */
    TSVC_CERT_FLAG_SERIAL_ZERO = 0x0004,                /**< Serial number is zero. */
    TSVC_CERT_FLAG_SERIAL_TOO_LONG = 0x0008,            /**< Serial number longer than 20 octets. */
    TSVC_CERT_FLAG_UNKNOWN_SIGNATURE_ALGORITHM = 0x0010, /**< Signature algorithm not supported. */
    TSVC_CERT_FLAG_UNKNOWN_KEY_ALGORITHM = 0x0020,      /**< Public key algorithm not supported. */
    TSVC_CERT_FLAG_EMPTY_ISSUER = 0x0040,               /**< Issuer name is empty. */
    TSVC_CERT_FLAG_EMPTY_SUBJECT_SAN_NOT_CRITICAL = 0x0080, /**< Empty subject without a critical SAN. */
    TSVC_CERT_FLAG_PATHLEN_WITHOUT_CA = 0x0100,         /**< pathLenConstraint on a non-CA certificate. */
    TSVC_CERT_FLAG_GENERALIZED_TIME_BEFORE_2050 = 0x0200, /**< GeneralizedTime for a date before 2050. */
    TSVC_CERT_FLAG_UNIQUE_IDS = 0x0400                  /**< issuerUniqueID or subjectUniqueID present. */
} tsvc_cert_flag;

/* ------------------------------------------------------------------ */
/* Parsing and lifetime                                                */
/* ------------------------------------------------------------------ */

/**
 * @brief Parses a certificate given as DER, or as PEM (the first
 *        "CERTIFICATE" block; other blocks are skipped).
 * @param ctx the context (allocator, limits); must outlive the certificate.
 * @param[out] out receives the certificate (caller owns one reference;
 *             release with tsvc_cert_free()).
 * @param data the bytes (copied).
 * @param len their length (at most the context's ::TSVC_LIMIT_INPUT_SIZE).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK; an encoding error (-2xx) for malformed DER/PEM;
 *         TSVC_ERR_CERT_* for a malformed certificate; ::TSVC_ERR_KEY_FORMAT
 *         or ::TSVC_ERR_KEY_SIZE for an unacceptable public key;
 *         ::TSVC_ERR_LIMIT_INPUT_SIZE, ::TSVC_ERR_LIMIT_DER_DEPTH, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_cert_parse(const tsvc_ctx *ctx, tsvc_cert **out,
                                                    const uint8_t *data, size_t len,
                                                    tsvc_error **err);

/**
 * @brief Takes one more reference to a certificate.
 * @param cert a certificate, or NULL.
 * @return @p cert. Release the reference with tsvc_cert_free().
 * @since 0.1
 */
TSVC_API tsvc_cert *tsvc_cert_ref(tsvc_cert *cert);

/**
 * @brief Drops one reference; the last one releases the certificate.
 * @param cert a certificate, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_cert_free(tsvc_cert *cert);

/**
 * @brief Reads every certificate of a file's contents: all "CERTIFICATE"
 *        blocks of a PEM bundle (other blocks skipped), or one DER
 *        certificate.
 * @param ctx the context.
 * @param[out] out receives the list (release with tsvc_cert_list_free()).
 * @param data the bytes (copied).
 * @param len their length.
 * @param[out] err optional error detail (its offset is that of the
 *             failing block).
 * @return ::TSVC_OK, the status of the first certificate that fails to
 *         parse, or ::TSVC_ERR_PEM when PEM holds no certificate.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_cert_list_parse(const tsvc_ctx *ctx,
                                                         tsvc_cert_list **out,
                                                         const uint8_t *data, size_t len,
                                                         tsvc_error **err);

/**
 * @brief Creates an empty list.
 * @param ctx the context.
 * @param[out] out receives the list.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_list_new(const tsvc_ctx *ctx, tsvc_cert_list **out,
                                        tsvc_error **err);

/**
 * @brief Appends a certificate to a list (the list takes its own reference).
 * @param list the list.
 * @param cert the certificate.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_list_add(tsvc_cert_list *list, tsvc_cert *cert,
                                        tsvc_error **err);

/**
 * @brief Number of certificates in a list.
 * @param list a list, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_list_count(const tsvc_cert_list *list);

/**
 * @brief One certificate of a list.
 * @param list the list.
 * @param index 0 .. count - 1.
 * @return the certificate, borrowed from the list (take a reference with
 *         tsvc_cert_ref() to keep it), or NULL when out of range.
 * @since 0.1
 */
TSVC_API tsvc_cert *tsvc_cert_list_get(const tsvc_cert_list *list, size_t index);

/**
 * @brief Releases a list and its references to the certificates.
 * @param list a list, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_cert_list_free(tsvc_cert_list *list);

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

/**
 * @brief The whole certificate DER.
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_der(const tsvc_cert *cert, size_t *len);

/**
 * @brief The TBSCertificate, exactly as encoded (the signed bytes).
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_tbs(const tsvc_cert *cert, size_t *len);

/**
 * @brief The certificate version.
 * @param cert the certificate.
 * @return 1, 2 or 3.
 * @since 0.1
 */
TSVC_API unsigned tsvc_cert_version(const tsvc_cert *cert);

/**
 * @brief The serial number: INTEGER contents octets as encoded (big-endian
 *        two's complement, so a positive serial may start with 0x00).
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_serial(const tsvc_cert *cert, size_t *len);

/**
 * @brief The issuer Name, DER (SEQUENCE header included).
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_issuer_der(const tsvc_cert *cert, size_t *len);

/**
 * @brief The subject Name, DER (SEQUENCE header included).
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_subject_der(const tsvc_cert *cert, size_t *len);

/**
 * @brief The issuer as RFC 4514 text (see tsvc_name_to_text()).
 * @param cert the certificate.
 * @param[out] out receives NUL-terminated UTF-8 (len excludes the NUL);
 *             release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_issuer_text(const tsvc_cert *cert, tsvc_buf *out,
                                           tsvc_error **err);

/**
 * @brief The subject as RFC 4514 text (see tsvc_name_to_text()).
 * @param cert the certificate.
 * @param[out] out receives NUL-terminated UTF-8 (len excludes the NUL);
 *             release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_subject_text(const tsvc_cert *cert, tsvc_buf *out,
                                            tsvc_error **err);

/**
 * @brief Start of the validity period.
 * @param cert the certificate.
 * @return seconds since 1970-01-01T00:00:00Z.
 * @since 0.1
 */
TSVC_API int64_t tsvc_cert_not_before(const tsvc_cert *cert);

/**
 * @brief End of the validity period (inclusive).
 * @param cert the certificate.
 * @return seconds since 1970-01-01T00:00:00Z.
 * @since 0.1
 */
TSVC_API int64_t tsvc_cert_not_after(const tsvc_cert *cert);

/**
 * @brief The SubjectPublicKeyInfo DER.
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_spki(const tsvc_cert *cert, size_t *len);

/**
 * @brief The subject public key.
 * @param cert the certificate.
 * @param[out] out receives a new reference (release with tsvc_pubkey_free()).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, or the status that explains why the key algorithm is
 *         not supported (e.g. ::TSVC_ERR_ALGORITHM).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_pubkey(const tsvc_cert *cert, tsvc_pubkey **out,
                                      tsvc_error **err);

/**
 * @brief The signature scheme of the certificate's signature.
 * @param cert the certificate.
 * @return the scheme, ::TSVC_SIG_NONE when not supported.
 * @since 0.1
 */
TSVC_API tsvc_sig_scheme tsvc_cert_sig_scheme(const tsvc_cert *cert);

/**
 * @brief The hash of the certificate's signature algorithm.
 * @param cert the certificate.
 * @return the hash (::TSVC_HASH_NONE for Ed25519 or when not supported).
 * @since 0.1
 */
TSVC_API tsvc_hash_alg tsvc_cert_sig_hash(const tsvc_cert *cert);

/**
 * @brief The signature AlgorithmIdentifier DER (outer and inner are
 *        identical, which parsing checks).
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_sigalg_der(const tsvc_cert *cert, size_t *len);

/**
 * @brief The signature value (BIT STRING bytes; DER Ecdsa-Sig-Value for ECDSA).
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the bytes, borrowed.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_signature(const tsvc_cert *cert, size_t *len);

/**
 * @brief Digest of the whole certificate DER (SHA-256 fingerprint, or
 *        SHA-1 for legacy thumbprints).
 * @param cert the certificate.
 * @param[out] out receives the digest; release with tsvc_buf_dispose().
 * @param alg the hash.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_NO_BACKEND, ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_fingerprint(const tsvc_cert *cert, tsvc_buf *out,
                                           tsvc_hash_alg alg, tsvc_error **err);

/**
 * @brief Notes recorded while parsing.
 * @param cert the certificate.
 * @return a mask of ::tsvc_cert_flag values.
 * @since 0.1
 */
TSVC_API uint32_t tsvc_cert_flags(const tsvc_cert *cert);

/**
 * @brief Whether issuer and subject are the same name (RFC 5280 §7.1).
 * @param cert the certificate.
 * @return 1 when self-issued, else 0.
 * @since 0.1
 */
TSVC_API int tsvc_cert_is_self_issued(const tsvc_cert *cert);

/* ------------------------------------------------------------------ */
/* Extensions                                                          */
/* ------------------------------------------------------------------ */

/**
 * @brief Number of extensions.
 * @param cert the certificate.
 * @return the count (0 for v1/v2).
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_num_extensions(const tsvc_cert *cert);

/**
 * @brief One extension, by position.
 * @param cert the certificate.
 * @param index 0 .. count - 1.
 * @param[out] oid receives the dotted OID, NUL-terminated (may be NULL).
 * @param oid_size size of @p oid (512 is always enough).
 * @param[out] critical receives 1 when critical (may be NULL).
 * @param[out] value receives the extnValue contents, borrowed (may be NULL).
 * @param[out] value_len their length (may be NULL).
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG (index), ::TSVC_ERR_BUFFER_TOO_SMALL.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_extension_at(const tsvc_cert *cert, size_t index, char *oid,
                                            size_t oid_size, int *critical,
                                            const uint8_t **value, size_t *value_len);

/**
 * @brief One extension, by OID.
 * @param cert the certificate.
 * @param[out] critical receives 1 when critical (may be NULL).
 * @param[out] value receives the extnValue contents, borrowed (may be NULL).
 * @param[out] value_len their length (may be NULL).
 * @param oid the dotted OID, e.g. "1.3.6.1.5.5.7.1.3".
 * @return ::TSVC_OK, TSVC_ERR_NOT_FOUND when absent, ::TSVC_ERR_INVALID_ARG
 *         for a malformed OID.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_extension(const tsvc_cert *cert, int *critical,
                                         const uint8_t **value, size_t *value_len,
                                         const char *oid);

/**
 * @brief basicConstraints.
 * @param cert the certificate.
 * @param[out] ca receives 1 when cA is TRUE (may be NULL).
 * @param[out] path_len receives pathLenConstraint, -1 when absent (may be NULL).
 * @return 1 when the extension is present, else 0 (then *ca = 0, *path_len = -1).
 * @since 0.1
 */
TSVC_API int tsvc_cert_basic_constraints(const tsvc_cert *cert, int *ca, int64_t *path_len);

/**
 * @brief keyUsage.
 * @param cert the certificate.
 * @param[out] bits receives a mask of ::tsvc_key_usage (0 when absent).
 * @return 1 when the extension is present, else 0.
 * @since 0.1
 */
TSVC_API int tsvc_cert_key_usage(const tsvc_cert *cert, uint32_t *bits);

/**
 * @brief Number of extendedKeyUsage purposes (0 when absent).
 * @param cert the certificate.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_num_ekus(const tsvc_cert *cert);

/**
 * @brief One extendedKeyUsage purpose as a dotted OID.
 * @param cert the certificate.
 * @param index 0 .. count - 1.
 * @param[out] out receives the NUL-terminated text (512 bytes always suffice).
 * @param out_size size of @p out.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BUFFER_TOO_SMALL.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_eku(const tsvc_cert *cert, size_t index, char *out,
                                   size_t out_size);

/**
 * @brief Whether the extendedKeyUsage lists a purpose.
 * @param cert the certificate.
 * @param oid the dotted OID, e.g. "1.3.6.1.5.5.7.3.8".
 * @return 1 when listed, 0 when not listed or when the extension is absent.
 * @since 0.1
 */
TSVC_API int tsvc_cert_has_eku(const tsvc_cert *cert, const char *oid);

/**
 * @brief Number of subjectAltName entries (0 when absent).
 * @param cert the certificate.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_num_sans(const tsvc_cert *cert);

/**
 * @brief One subjectAltName entry.
 * @param cert the certificate.
 * @param index 0 .. count - 1.
 * @param[out] type receives the type (may be NULL).
 * @param[out] value receives the value, borrowed; its form depends on the
 *             type (see ::tsvc_general_name_type).
 * @param[out] value_len its length.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_san(const tsvc_cert *cert, size_t index,
                                   tsvc_general_name_type *type, const uint8_t **value,
                                   size_t *value_len);

/**
 * @brief Whether a host name or IP address text matches the certificate's
 *        subjectAltName (RFC 6125: dNSName with a wildcard only as the
 *        whole left-most label; iPAddress for IP text; never the CN).
 * @param cert the certificate.
 * @param host NUL-terminated host name or address.
 * @return 1 on a match, else 0.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD int tsvc_cert_match_host(const tsvc_cert *cert, const char *host);

/**
 * @brief Number of certificatePolicies entries (0 when absent).
 * @param cert the certificate.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_num_policies(const tsvc_cert *cert);

/**
 * @brief One certificate policy.
 * @param cert the certificate.
 * @param index 0 .. count - 1.
 * @param[out] out receives the dotted policy OID (512 bytes always suffice).
 * @param out_size size of @p out.
 * @param[out] qualifiers receives the PolicyQualifiers DER, borrowed, or
 *             NULL when absent (may be NULL).
 * @param[out] qualifiers_len its length (may be NULL).
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BUFFER_TOO_SMALL.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_policy(const tsvc_cert *cert, size_t index, char *out,
                                      size_t out_size, const uint8_t **qualifiers,
                                      size_t *qualifiers_len);

/**
 * @brief subjectKeyIdentifier.
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the key identifier, borrowed, or NULL when absent.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_subject_key_id(const tsvc_cert *cert, size_t *len);

/**
 * @brief The keyIdentifier of authorityKeyIdentifier.
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the key identifier, borrowed, or NULL when absent.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_authority_key_id(const tsvc_cert *cert, size_t *len);

/**
 * @brief Number of URIs in cRLDistributionPoints fullNames.
 * @param cert the certificate.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_num_crl_uris(const tsvc_cert *cert);

/**
 * @brief One CRL distribution point URI.
 * @param cert the certificate.
 * @param index 0 .. count - 1.
 * @return NUL-terminated URI, borrowed, or NULL when out of range.
 * @since 0.1
 */
TSVC_API const char *tsvc_cert_crl_uri(const tsvc_cert *cert, size_t index);

/**
 * @brief Number of OCSP responder URIs in authorityInfoAccess.
 * @param cert the certificate.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_num_ocsp_uris(const tsvc_cert *cert);

/**
 * @brief One OCSP responder URI.
 * @param cert the certificate.
 * @param index 0 .. count - 1.
 * @return NUL-terminated URI, borrowed, or NULL when out of range.
 * @since 0.1
 */
TSVC_API const char *tsvc_cert_ocsp_uri(const tsvc_cert *cert, size_t index);

/**
 * @brief Number of caIssuers URIs in authorityInfoAccess.
 * @param cert the certificate.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_cert_num_ca_issuers_uris(const tsvc_cert *cert);

/**
 * @brief One caIssuers URI.
 * @param cert the certificate.
 * @param index 0 .. count - 1.
 * @return NUL-terminated URI, borrowed, or NULL when out of range.
 * @since 0.1
 */
TSVC_API const char *tsvc_cert_ca_issuers_uri(const tsvc_cert *cert, size_t index);

/**
 * @brief The qcStatements extension (ETSI EN 319 412-5), raw.
 * @param cert the certificate.
 * @param[out] len its length.
 * @return the QCStatements SEQUENCE DER, borrowed, or NULL when absent.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_cert_qc_statements(const tsvc_cert *cert, size_t *len);

/* ------------------------------------------------------------------ */
/* Distinguished names                                                 */
/* ------------------------------------------------------------------ */

/**
 * @brief RFC 4514 text of a DER Name: last RDN first, short names (CN, O,
 *        OU, C, L, ST, street, serialNumber, organizationIdentifier, DC,
 *        UID, emailAddress, ...) or dotted OIDs, special characters escaped
 *        with '\\', control characters and NUL as "\\XX", values of
 *        non-string types as '#' and the hex of their DER.
 * @param ctx the context (allocator).
 * @param[out] out receives NUL-terminated UTF-8 (len excludes the NUL).
 * @param der the Name DER (SEQUENCE header included).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_name_to_text(const tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *der,
                                       size_t len, tsvc_error **err);

/**
 * @brief Parses RFC 4514 text into a DER Name. Values of C, serialNumber
 *        and dnQualifier become PrintableString when they fit it, DC and
 *        emailAddress IA5String, the rest UTF8String; "#hex" values are
 *        taken as DER as they are.
 * @param ctx the context (allocator).
 * @param[out] out receives the Name DER.
 * @param text NUL-terminated RFC 4514 text ("CN=Alice,O=Example,C=JP").
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_name_from_text(const tsvc_ctx *ctx, tsvc_buf *out, const char *text,
                                         tsvc_error **err);

/**
 * @brief Compares two DER Names per RFC 5280 §7.1 (case-insensitive,
 *        whitespace-folded PrintableString/UTF8String; bytes otherwise).
 * @param a first Name DER.
 * @param a_len its length.
 * @param b second Name DER.
 * @param b_len its length.
 * @return 1 when equal, else 0.
 * @since 0.1
 */
TSVC_API int tsvc_name_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_X509_H */
