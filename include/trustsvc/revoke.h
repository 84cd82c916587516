/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file revoke.h
 * @brief Certificate revocation: X.509 v2 CRLs (RFC 5280 section 5) and
 *        OCSP (RFC 6960) — parsing, verification, status lookup, and the
 *        issuing side (CRL and OCSP response builders for CAs and tests).
 *
 * Path validation uses the same code when a policy asks for revocation
 * checking (see tsvc_policy_set_revocation_mode() in trustsvc/validate.h);
 * the functions here let a caller check one certificate by hand, and let a
 * CA sign CRLs and pre-generate OCSP responses.
 *
 * Thread safety: a parsed ::tsvc_crl or ::tsvc_ocsp_response is immutable;
 * references are counted atomically, so they may be shared by any number of
 * threads (and stores hold them). Builders belong to one thread at a time.
 */
#ifndef TRUSTSVC_REVOKE_H
#define TRUSTSVC_REVOKE_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief CRLReason (RFC 5280 section 5.3.1). ::TSVC_REASON_NONE means the
 *        reason code is absent.
 * @since 0.1
 */
typedef enum tsvc_crl_reason {
    TSVC_REASON_NONE = -1,                   /**< No reasonCode. */
    TSVC_REASON_UNSPECIFIED = 0,             /**< unspecified. */
    TSVC_REASON_KEY_COMPROMISE = 1,          /**< keyCompromise. */
    TSVC_REASON_CA_COMPROMISE = 2,           /**< cACompromise. */
    TSVC_REASON_AFFILIATION_CHANGED = 3,     /**< affiliationChanged. */
    TSVC_REASON_SUPERSEDED = 4,              /**< superseded. */
    TSVC_REASON_CESSATION_OF_OPERATION = 5,  /**< cessationOfOperation. */
    TSVC_REASON_CERTIFICATE_HOLD = 6,        /**< certificateHold. */
    TSVC_REASON_REMOVE_FROM_CRL = 8,         /**< removeFromCRL (delta CRLs only). */
    TSVC_REASON_PRIVILEGE_WITHDRAWN = 9,     /**< privilegeWithdrawn. */
    TSVC_REASON_AA_COMPROMISE = 10           /**< aACompromise. */
} tsvc_crl_reason;

/**
 * @brief Name of a reason ("keyCompromise", ...; "none" for ::TSVC_REASON_NONE).
 * @param reason a ::tsvc_crl_reason value (unknown values give "unknown").
 * @return a static string.
 * @since 0.1
 */
TSVC_API const char *tsvc_crl_reason_str(int reason);

/**
 * @brief Revocation status of one certificate.
 * @since 0.1
 */
typedef enum tsvc_cert_status {
    TSVC_CERT_STATUS_GOOD = 0,    /**< Not revoked at the time asked about. */
    TSVC_CERT_STATUS_REVOKED = 1, /**< Revoked at or before the time asked about. */
    TSVC_CERT_STATUS_UNKNOWN = 2  /**< The OCSP responder does not know the certificate. */
} tsvc_cert_status;

/**
 * @brief Name of a certificate status ("good", "revoked", "unknown").
 * @param status a ::tsvc_cert_status value (unknown values give "invalid").
 * @return a static string.
 * @since 0.1
 */
TSVC_API const char *tsvc_cert_status_str(int status);

/* ------------------------------------------------------------------ */
/* CRLs                                                                */
/* ------------------------------------------------------------------ */

/** @brief A parsed certificate revocation list (immutable). @since 0.1 */
typedef struct tsvc_crl tsvc_crl;

/** @brief Most entries one CRL may hold (::TSVC_ERR_LIMIT_COUNT beyond). @since 0.1 */
#define TSVC_CRL_MAX_ENTRIES 16777216

/**
 * @brief Function twin of ::TSVC_CRL_MAX_ENTRIES.
 * @return 16777216.
 * @since 0.1
 */
TSVC_API size_t tsvc_crl_max_entries(void);

/**
 * @brief Parses a v2 CRL (DER, or PEM "X509 CRL"), strictly: DER only, v2
 *        only (a v1 CRL has no extensions and is refused), no duplicate
 *        extensions, well-formed entry extensions. Entries are indexed for
 *        O(log n) serial lookup. Extensions decoded: cRLNumber,
 *        authorityKeyIdentifier, issuingDistributionPoint, deltaCRLIndicator;
 *        entry extensions: reasonCode, invalidityDate, certificateIssuer.
 *        Semantic problems (unknown critical extension, duplicate serial
 *        for one certificate issuer, certificateIssuer outside an indirect
 *        CRL) do not fail parsing: they make the CRL unusable, which
 *        tsvc_crl_check() reports. Delta CRLs (deltaCRLIndicator) and
 *        indirect CRLs (issuingDistributionPoint indirectCRL, entries with
 *        certificateIssuer, RFC 5280 5.3.3) are parsed and used in path
 *        validation (see tsvc_store_add_crl()).
 * @param ctx the context (allocator and limits; must outlive the CRL).
 * @param[out] out receives the CRL; release with tsvc_crl_free().
 * @param data the bytes (copied).
 * @param len their length (at most ::TSVC_LIMIT_INPUT_SIZE).
 * @param[out] err optional error detail (with the byte offset).
 * @return ::TSVC_OK, TSVC_ERR_CRL_FORMAT (-600), an encoding error,
 *         ::TSVC_ERR_LIMIT_INPUT_SIZE, ::TSVC_ERR_LIMIT_COUNT, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_crl_parse(const tsvc_ctx *ctx, tsvc_crl **out,
                                                   const uint8_t *data, size_t len,
                                                   tsvc_error **err);

/**
 * @brief Takes one more reference to a CRL.
 * @param crl a CRL, or NULL.
 * @return @p crl.
 * @since 0.1
 */
TSVC_API tsvc_crl *tsvc_crl_ref(tsvc_crl *crl);

/**
 * @brief Releases one reference; the last frees the CRL.
 * @param crl a CRL, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_crl_free(tsvc_crl *crl);

/**
 * @brief The DER encoding of the CRL.
 * @param crl the CRL.
 * @param[out] len receives the length (may be NULL).
 * @return bytes borrowed from @p crl.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_crl_der(const tsvc_crl *crl, size_t *len);

/**
 * @brief The issuer Name of the CRL (DER SEQUENCE).
 * @param crl the CRL.
 * @param[out] len receives the length (may be NULL).
 * @return bytes borrowed from @p crl.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_crl_issuer_der(const tsvc_crl *crl, size_t *len);

/**
 * @brief thisUpdate, in seconds since the Unix epoch.
 * @param crl the CRL (NULL gives 0).
 * @return the time.
 * @since 0.1
 */
TSVC_API int64_t tsvc_crl_this_update(const tsvc_crl *crl);

/**
 * @brief nextUpdate, when present.
 * @param crl the CRL.
 * @param[out] when receives the time when present.
 * @return 1 when present, 0 when absent.
 * @since 0.1
 */
TSVC_API int tsvc_crl_next_update(const tsvc_crl *crl, int64_t *when);

/**
 * @brief The cRLNumber, when present and at most 64 bits.
 * @param crl the CRL.
 * @param[out] number receives the number.
 * @return 1 when present (and small enough), 0 otherwise.
 * @since 0.1
 */
TSVC_API int tsvc_crl_number(const tsvc_crl *crl, uint64_t *number);

/**
 * @brief Number of revoked-certificate entries.
 * @param crl the CRL, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_crl_num_entries(const tsvc_crl *crl);

/**
 * @brief Looks a serial number up (binary search, O(log n)).
 * @param crl the CRL.
 * @param serial the serial number as INTEGER contents octets (two's
 *        complement, minimal, as tsvc_cert_serial() gives it).
 * @param serial_len its length.
 * @param[out] revocation_time receives revocationDate (may be NULL).
 * @param[out] reason receives the reason (::TSVC_REASON_NONE when absent; may be NULL).
 * @param[out] invalidity_date receives invalidityDate, or 0 when absent (may be NULL).
 * @return ::TSVC_OK when listed, ::TSVC_ERR_NOT_FOUND when not,
 *         ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_lookup(const tsvc_crl *crl, const uint8_t *serial,
                                     size_t serial_len, int64_t *revocation_time,
                                     tsvc_crl_reason *reason, int64_t *invalidity_date);

/**
 * @brief Verifies a CRL as issued by @p issuer and usable at @p when:
 *        issuer name equals the certificate's subject, the AKI (when both
 *        have key identifiers) matches, keyUsage (when present) asserts
 *        cRLSign, the signature verifies with the issuer's key,
 *        thisUpdate <= when + skew and when - skew <= nextUpdate, no unknown
 *        critical extension, a cRLNumber present and non-critical, no
 *        duplicate serial, certificateIssuer entries only in an indirect
 *        CRL, no freshestCRL in a delta CRL. A delta or indirect CRL
 *        verifies like any other CRL of @p issuer.
 * @param ctx the context (backends).
 * @param crl the CRL.
 * @param issuer the certificate of the CRL's issuer (the CA).
 * @param when the validation time, seconds since the epoch.
 * @param skew tolerated clock skew in seconds (0 .. 86400).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, or the TSVC_ERR_CRL_* status (-600 .. -612) of the
 *         first problem found, or a backend error.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_crl_verify(const tsvc_ctx *ctx, const tsvc_crl *crl,
                                                    const tsvc_cert *issuer, int64_t when,
                                                    int64_t skew, tsvc_error **err);

/**
 * @brief Full CRL check of one certificate at @p when: tsvc_crl_verify(),
 *        the CRL's scope (issuingDistributionPoint onlyContainsUserCerts /
 *        onlyContainsCACerts / onlySomeReasons / distribution point name)
 *        covers @p cert (RFC 5280 6.3.3 (b): the CRL issuer is the
 *        certificate's issuer; an issuingDistributionPoint name must match
 *        one of the certificate's cRLDistributionPoints, or without that
 *        extension the certificate issuer as a directoryName), then the
 *        serial lookup (in an indirect CRL of @p issuer, only the entries
 *        whose certificateIssuer is @p issuer count). An entry whose
 *        revocationDate is after @p when gives GOOD (it was not revoked
 *        yet); an entry with reason removeFromCRL gives GOOD. A delta CRL
 *        is refused here (::TSVC_ERR_CRL_DELTA): it is only used together
 *        with its complete CRL, in path validation.
 * @param ctx the context.
 * @param[out] status receives GOOD or REVOKED.
 * @param[out] revocation_time receives the revocation time when REVOKED (may be NULL).
 * @param[out] reason receives the reason when REVOKED (may be NULL).
 * @param crl the CRL.
 * @param cert the certificate to check.
 * @param issuer its issuer's certificate.
 * @param when the validation time.
 * @param skew tolerated clock skew in seconds.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK when a status was determined; otherwise the reason the
 *         CRL cannot be used for @p cert (TSVC_ERR_CRL_*).
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_crl_check(const tsvc_ctx *ctx, tsvc_cert_status *status,
                                                   int64_t *revocation_time,
                                                   tsvc_crl_reason *reason, const tsvc_crl *crl,
                                                   const tsvc_cert *cert,
                                                   const tsvc_cert *issuer, int64_t when,
                                                   int64_t skew, tsvc_error **err);

/**
 * @brief One revoked-certificate entry, for listing a CRL. Entries are
 *        given in ascending serial-number order (shorter serials first,
 *        then by octets), not necessarily the order of the encoding.
 * @param crl the CRL.
 * @param index 0 .. tsvc_crl_num_entries() - 1.
 * @param[out] serial receives the serial number as INTEGER contents octets,
 *        borrowed from @p crl (may be NULL).
 * @param[out] serial_len receives its length (may be NULL).
 * @param[out] revocation_time receives revocationDate (may be NULL).
 * @param[out] reason receives the reason (::TSVC_REASON_NONE when absent;
 *        may be NULL).
 * @param[out] invalidity_date receives invalidityDate, or 0 when absent
 *        (may be NULL).
 * @return ::TSVC_OK, or ::TSVC_ERR_INVALID_ARG (@p crl NULL or @p index out
 *         of range; the outputs are then left unchanged).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_entry_at(const tsvc_crl *crl, size_t index, const uint8_t **serial,
                                       size_t *serial_len, int64_t *revocation_time,
                                       tsvc_crl_reason *reason, int64_t *invalidity_date);

/* ------------------------------------------------------------------ */
/* CRL builder (issuing side)                                          */
/* ------------------------------------------------------------------ */

/** @brief Builds and signs one CRL. @since 0.1 */
typedef struct tsvc_crl_builder tsvc_crl_builder;

/**
 * @brief Creates a CRL builder for a CA. Defaults: thisUpdate = now (the
 *        context's clock), nextUpdate = thisUpdate + 7 days, cRLNumber 1,
 *        authorityKeyIdentifier from the CA's subjectKeyIdentifier (if any),
 *        the key's default signature algorithm (ECDSA with the curve's
 *        hash, RSA PKCS#1 v1.5 SHA-256, Ed25519).
 * @param ctx the context (must outlive the builder).
 * @param[out] out receives the builder; release with tsvc_crl_builder_free().
 * @param issuer the CA certificate (a reference is taken).
 * @param key the CA's private key (borrowed: it must outlive the builder).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_KEY_MISMATCH (key
 *         and certificate differ), ::TSVC_ERR_CLOCK, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_builder_new(tsvc_ctx *ctx, tsvc_crl_builder **out,
                                          const tsvc_cert *issuer, const tsvc_key *key,
                                          tsvc_error **err);

/**
 * @brief Releases a builder.
 * @param b a builder, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_crl_builder_free(tsvc_crl_builder *b);

/**
 * @brief Sets thisUpdate and nextUpdate.
 * @param b the builder.
 * @param this_update seconds since the epoch.
 * @param next_update seconds since the epoch (must not be before
 *        @p this_update), or -1 for no nextUpdate.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_builder_set_times(tsvc_crl_builder *b, int64_t this_update,
                                                int64_t next_update, tsvc_error **err);

/**
 * @brief Sets the cRLNumber.
 * @param b the builder.
 * @param number the number.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_builder_set_number(tsvc_crl_builder *b, uint64_t number,
                                                 tsvc_error **err);

/**
 * @brief Adds a revoked certificate.
 * @param b the builder.
 * @param serial serial number as INTEGER contents octets (as
 *        tsvc_cert_serial() gives it; copied).
 * @param serial_len its length (1 .. 20).
 * @param revocation_time seconds since the epoch.
 * @param reason a ::tsvc_crl_reason (::TSVC_REASON_NONE: no reasonCode;
 *        unspecified is written as no reasonCode, per RFC 5280).
 *        ::TSVC_REASON_REMOVE_FROM_CRL is for delta CRLs only:
 *        tsvc_crl_builder_finish() refuses it unless a deltaCRLIndicator
 *        (2.5.29.27) was added with tsvc_crl_builder_add_extension().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_LIMIT_COUNT,
 *         ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_builder_add(tsvc_crl_builder *b, const uint8_t *serial,
                                          size_t serial_len, int64_t revocation_time,
                                          tsvc_crl_reason reason, tsvc_error **err);

/**
 * @brief Adds an extra CRL extension (for profiles, and to test how
 *        relying parties treat extensions).
 * @param b the builder.
 * @param oid dotted OID text (must not be one the builder writes itself).
 * @param critical non-zero to mark it critical.
 * @param value the extnValue contents (copied).
 * @param value_len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_DER_OID, ::TSVC_ERR_INVALID_ARG,
 *         ::TSVC_ERR_LIMIT_COUNT (more than 8), ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_builder_add_extension(tsvc_crl_builder *b, const char *oid,
                                                    int critical, const uint8_t *value,
                                                    size_t value_len, tsvc_error **err);

/**
 * @brief Encodes and signs the CRL (entries sorted by serial number). The
 *        builder may be finished again (e.g. after more additions).
 * @param b the builder.
 * @param[out] out receives the DER CRL; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, a signing error, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_crl_builder_finish(tsvc_crl_builder *b, tsvc_buf *out,
                                             tsvc_error **err);

/* ------------------------------------------------------------------ */
/* OCSP requests                                                       */
/* ------------------------------------------------------------------ */

/** @brief Longest OCSP nonce accepted or built, in bytes (RFC 8954: 1 .. 32). @since 0.1 */
#define TSVC_OCSP_MAX_NONCE 32

/**
 * @brief Function twin of ::TSVC_OCSP_MAX_NONCE.
 * @return 32.
 * @since 0.1
 */
TSVC_API size_t tsvc_ocsp_max_nonce(void);

/**
 * @brief Builds an unsigned OCSPRequest for one certificate.
 * @param ctx the context (hashing backends).
 * @param[out] out receives the DER request; release with tsvc_buf_dispose().
 * @param cert the certificate whose status is asked.
 * @param issuer its issuer's certificate.
 * @param hash the CertID hash: ::TSVC_HASH_SHA1 (what most responders
 *        expect) or ::TSVC_HASH_SHA256.
 * @param nonce the nonce to send (copied; 1 .. ::TSVC_OCSP_MAX_NONCE
 *        bytes), or NULL for none.
 * @param nonce_len its length (0 with a NULL nonce).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_ALGORITHM, a hash
 *         error, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_request_build(const tsvc_ctx *ctx, tsvc_buf *out,
                                             const tsvc_cert *cert, const tsvc_cert *issuer,
                                             tsvc_hash_alg hash, const uint8_t *nonce,
                                             size_t nonce_len, tsvc_error **err);

/* ------------------------------------------------------------------ */
/* OCSP responses                                                      */
/* ------------------------------------------------------------------ */

/** @brief A parsed OCSP response (immutable). @since 0.1 */
typedef struct tsvc_ocsp_response tsvc_ocsp_response;

/**
 * @brief OCSPResponseStatus (RFC 6960 section 4.2.1).
 * @since 0.1
 */
typedef enum tsvc_ocsp_response_status {
    TSVC_OCSP_SUCCESSFUL = 0,        /**< successful: a BasicOCSPResponse follows. */
    TSVC_OCSP_MALFORMED_REQUEST = 1, /**< malformedRequest. */
    TSVC_OCSP_INTERNAL_ERROR = 2,    /**< internalError. */
    TSVC_OCSP_TRY_LATER = 3,         /**< tryLater. */
    TSVC_OCSP_SIG_REQUIRED = 5,      /**< sigRequired. */
    TSVC_OCSP_UNAUTHORIZED = 6       /**< unauthorized. */
} tsvc_ocsp_response_status;

/** @brief Most SingleResponses one response may hold. @since 0.1 */
#define TSVC_OCSP_MAX_SINGLE 4096

/**
 * @brief Function twin of ::TSVC_OCSP_MAX_SINGLE.
 * @return 4096.
 * @since 0.1
 */
TSVC_API size_t tsvc_ocsp_max_single(void);

/**
 * @brief Parses an OCSPResponse (DER). A successful response must carry an
 *        id-pkix-ocsp-basic BasicOCSPResponse, which is parsed strictly
 *        (with its certificates); other statuses carry nothing.
 * @param ctx the context (must outlive the response).
 * @param[out] out receives the response; release with tsvc_ocsp_response_free().
 * @param data the bytes (copied).
 * @param len their length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_OCSP_FORMAT (-620), an encoding error,
 *         ::TSVC_ERR_LIMIT_INPUT_SIZE, ::TSVC_ERR_LIMIT_COUNT, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_ocsp_response_parse(const tsvc_ctx *ctx,
                                                             tsvc_ocsp_response **out,
                                                             const uint8_t *data, size_t len,
                                                             tsvc_error **err);

/**
 * @brief Takes one more reference to a response.
 * @param resp a response, or NULL.
 * @return @p resp.
 * @since 0.1
 */
TSVC_API tsvc_ocsp_response *tsvc_ocsp_response_ref(tsvc_ocsp_response *resp);

/**
 * @brief Releases one reference; the last frees the response.
 * @param resp a response, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_ocsp_response_free(tsvc_ocsp_response *resp);

/**
 * @brief The responseStatus.
 * @param resp the response (NULL gives ::TSVC_OCSP_INTERNAL_ERROR).
 * @return the status.
 * @since 0.1
 */
TSVC_API tsvc_ocsp_response_status tsvc_ocsp_response_get_status(const tsvc_ocsp_response *resp);

/**
 * @brief producedAt of a successful response.
 * @param resp the response (0 when NULL or not successful).
 * @return seconds since the epoch.
 * @since 0.1
 */
TSVC_API int64_t tsvc_ocsp_response_produced_at(const tsvc_ocsp_response *resp);

/**
 * @brief Number of SingleResponses.
 * @param resp the response, or NULL (gives 0).
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_ocsp_response_num_single(const tsvc_ocsp_response *resp);

/**
 * @brief Options of tsvc_ocsp_response_verify(). Initialise with
 *        ::TSVC_OCSP_VERIFY_OPTIONS_INIT or tsvc_ocsp_verify_options_init().
 * @since 0.1
 */
typedef struct tsvc_ocsp_verify_options {
    uint32_t version;       /**< ::TSVC_OCSP_VERIFY_OPTIONS_VERSION. */
    int64_t skew;           /**< Tolerated clock skew, seconds (default 300). */
    int64_t max_age;        /**< Largest when - thisUpdate, seconds; 0: no limit (default). */
    const uint8_t *nonce;   /**< Nonce the request carried, or NULL: then not checked. */
    size_t nonce_len;       /**< Its length. */
} tsvc_ocsp_verify_options;

/** @brief Current version of ::tsvc_ocsp_verify_options. @since 0.1 */
#define TSVC_OCSP_VERIFY_OPTIONS_VERSION 1
/** @brief Static initialiser of ::tsvc_ocsp_verify_options. @since 0.1 */
#define TSVC_OCSP_VERIFY_OPTIONS_INIT {TSVC_OCSP_VERIFY_OPTIONS_VERSION, 300, 0, NULL, 0}

/**
 * @brief Function twin of ::TSVC_OCSP_VERIFY_OPTIONS_INIT.
 * @param opts the options to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_ocsp_verify_options_init(tsvc_ocsp_verify_options *opts);

/**
 * @brief Verifies a response about @p cert and gives its status at @p when:
 *        responseStatus successful; a SingleResponse whose CertID matches
 *        @p cert and @p issuer (SHA-1, SHA-256, SHA-384 or SHA-512 CertIDs);
 *        signed by the CA itself or by a delegated responder certificate
 *        carried in the response, issued by the CA, valid at producedAt and
 *        listing id-kp-OCSPSigning; responderID (by name or by key hash)
 *        naming the signer; producedAt and thisUpdate not after
 *        when + skew; nextUpdate (when present) not before when - skew;
 *        when - thisUpdate not above max_age (when set); the nonce echoed
 *        (when given); no unknown critical extension. A revocation after
 *        @p when gives GOOD.
 * @param ctx the context.
 * @param[out] status receives the status.
 * @param[out] revocation_time receives revocationTime when REVOKED (may be NULL).
 * @param[out] reason receives revocationReason when REVOKED (may be NULL).
 * @param resp the response.
 * @param cert the certificate asked about.
 * @param issuer its issuer's certificate.
 * @param when the validation time.
 * @param opts options, or NULL for the defaults.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK when a status was determined; TSVC_ERR_OCSP_CERT_MISMATCH
 *         (-625) when the response is about other certificates (never
 *         reported as "unknown"); TSVC_ERR_OCSP_STATUS, _RESPONDER,
 *         _RESPONDER_ID, _SIGNATURE, _NONCE, _STALE, _NOT_YET_VALID,
 *         _UNKNOWN_CRITICAL (-621 .. -629); ::TSVC_ERR_BAD_VERSION;
 *         ::TSVC_ERR_NO_BACKEND when no backend computes the CertID hash
 *         (SHA-1 in a libsodium-only build).
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_ocsp_response_verify(
    const tsvc_ctx *ctx, tsvc_cert_status *status, int64_t *revocation_time,
    tsvc_crl_reason *reason, const tsvc_ocsp_response *resp, const tsvc_cert *cert,
    const tsvc_cert *issuer, int64_t when, const tsvc_ocsp_verify_options *opts,
    tsvc_error **err);

/**
 * @brief One SingleResponse, for listing a response (no verification: use
 *        tsvc_ocsp_response_verify() to rely on a status).
 * @param resp the response.
 * @param index 0 .. tsvc_ocsp_response_num_single() - 1, in the order of
 *        the encoding.
 * @param[out] serial receives the CertID serialNumber as INTEGER contents
 *        octets, borrowed from @p resp (may be NULL).
 * @param[out] serial_len receives its length (may be NULL).
 * @param[out] status receives the certStatus (may be NULL).
 * @param[out] revocation_time receives revocationTime when revoked, else 0
 *        (may be NULL).
 * @param[out] reason receives revocationReason when revoked and present,
 *        else ::TSVC_REASON_NONE (may be NULL).
 * @return ::TSVC_OK, or ::TSVC_ERR_INVALID_ARG (@p resp NULL or @p index out
 *         of range; the outputs are then left unchanged).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_single_at(const tsvc_ocsp_response *resp, size_t index,
                                                  const uint8_t **serial, size_t *serial_len,
                                                  tsvc_cert_status *status,
                                                  int64_t *revocation_time,
                                                  tsvc_crl_reason *reason);

/**
 * @brief The times of one SingleResponse.
 * @param resp the response.
 * @param index as for tsvc_ocsp_response_single_at().
 * @param[out] this_update receives thisUpdate (may be NULL).
 * @param[out] next_update receives nextUpdate, or 0 when absent (may be
 *        NULL).
 * @return ::TSVC_OK, or ::TSVC_ERR_INVALID_ARG (@p resp NULL or @p index out
 *         of range).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_single_times(const tsvc_ocsp_response *resp,
                                                     size_t index, int64_t *this_update,
                                                     int64_t *next_update);

/* ------------------------------------------------------------------ */
/* OCSP response builder (issuing side)                                */
/* ------------------------------------------------------------------ */

/** @brief Builds and signs OCSP responses for one CA. @since 0.1 */
typedef struct tsvc_ocsp_response_builder tsvc_ocsp_response_builder;

/**
 * @brief Creates a response builder. The CertID hashes of the CA (name and
 *        key) and the responder ID are computed once, so that signing many
 *        responses (pre-generation for a CDN) costs one signature each.
 *        Defaults: CertID hash SHA-1 (SHA-256 when no backend of the
 *        context has SHA-1), responderID by name, producedAt and
 *        thisUpdate = now, nextUpdate = thisUpdate + 7 days, the signer's
 *        certificate included when it is not the CA.
 * @param ctx the context (must outlive the builder).
 * @param[out] out receives the builder; release with tsvc_ocsp_response_builder_free().
 * @param ca the CA certificate whose certificates the responses are about
 *        (a reference is taken).
 * @param signer the responder certificate: @p ca itself, or a delegated
 *        responder certificate issued by it (a reference is taken).
 * @param key the signer's private key (borrowed; must outlive the builder).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_KEY_MISMATCH,
 *         ::TSVC_ERR_CLOCK, a hash error, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_builder_new(tsvc_ctx *ctx,
                                                    tsvc_ocsp_response_builder **out,
                                                    const tsvc_cert *ca,
                                                    const tsvc_cert *signer,
                                                    const tsvc_key *key, tsvc_error **err);

/**
 * @brief Releases a builder.
 * @param b a builder, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_ocsp_response_builder_free(tsvc_ocsp_response_builder *b);

/**
 * @brief Sets producedAt, thisUpdate and nextUpdate.
 * @param b the builder.
 * @param produced_at seconds since the epoch.
 * @param this_update seconds since the epoch.
 * @param next_update seconds since the epoch, or -1 for none.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_builder_set_times(tsvc_ocsp_response_builder *b,
                                                          int64_t produced_at,
                                                          int64_t this_update,
                                                          int64_t next_update, tsvc_error **err);

/**
 * @brief Chooses the CertID hash and the responderID form.
 * @param b the builder.
 * @param hash ::TSVC_HASH_SHA1 or ::TSVC_HASH_SHA256.
 * @param by_key non-zero: responderID byKey (SHA-1 of the signer's key);
 *        zero: byName.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, a hash error.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_builder_set_ids(tsvc_ocsp_response_builder *b,
                                                        tsvc_hash_alg hash, int by_key,
                                                        tsvc_error **err);

/**
 * @brief Sets the nonce to echo (copied), or clears it (NULL).
 * @param b the builder.
 * @param nonce the nonce (1 .. ::TSVC_OCSP_MAX_NONCE bytes) or NULL.
 * @param nonce_len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_builder_set_nonce(tsvc_ocsp_response_builder *b,
                                                          const uint8_t *nonce, size_t nonce_len,
                                                          tsvc_error **err);

/**
 * @brief Adds a SingleResponse to the next response.
 * @param b the builder.
 * @param serial serial number as INTEGER contents octets (copied).
 * @param serial_len its length (1 .. 20).
 * @param status GOOD, REVOKED or UNKNOWN.
 * @param revocation_time when REVOKED, seconds since the epoch.
 * @param reason when REVOKED: a reason, or ::TSVC_REASON_NONE.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_LIMIT_COUNT, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_builder_add(tsvc_ocsp_response_builder *b,
                                                    const uint8_t *serial, size_t serial_len,
                                                    tsvc_cert_status status,
                                                    int64_t revocation_time,
                                                    tsvc_crl_reason reason, tsvc_error **err);

/**
 * @brief Signs one response with every SingleResponse added so far, then
 *        forgets them (the settings stay).
 * @param b the builder.
 * @param[out] out receives the DER OCSPResponse; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_STATE (nothing added), a signing error,
 *         ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_response_builder_finish(tsvc_ocsp_response_builder *b,
                                                       tsvc_buf *out, tsvc_error **err);

/**
 * @brief Builds an unsuccessful OCSPResponse (no responseBytes).
 * @param ctx the context (allocator).
 * @param[out] out receives the DER; release with tsvc_buf_dispose().
 * @param status any status but ::TSVC_OCSP_SUCCESSFUL.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ocsp_error_response_build(const tsvc_ctx *ctx, tsvc_buf *out,
                                                    tsvc_ocsp_response_status status,
                                                    tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_REVOKE_H */
