/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file tsp.h
 * @brief RFC 3161 time-stamping: requests (TimeStampReq), responses
 *        (TimeStampResp), tokens (SignedData over TSTInfo, with RFC 5816
 *        ESSCertIDv2), their verification, and a time-stamp authority
 *        (the issuing side).
 *
 * Client flow: tsvc_tsq_new() for a digest → tsvc_tsq_encode() → post the
 * bytes to a TSA (tsvc_tsq_fetch() does it through the context's fetch
 * callback) → tsvc_tsr_parse() → tsvc_tsr_verify(), which gives a report
 * (status, signature, imprint, nonce, policy, TSA certificate EKU,
 * ESSCertID, the TSA path at genTime and, separately, now).
 *
 * Authority flow: tsvc_tsa_new() with a key, its certificate and a default
 * policy → optional setters → tsvc_tsa_respond() for each request.
 *
 * Thread safety: ::tsvc_tsq, ::tsvc_tsr and ::tsvc_tst are immutable once
 * made (the tsvc_tsq setters belong to the thread that builds the request)
 * and may be read by many threads. A ::tsvc_tsa is configured by one thread;
 * after its first tsvc_tsa_respond() its setters fail with
 * ::TSVC_ERR_STATE and any number of threads may call tsvc_tsa_respond() on
 * it at once (it keeps no shared mutable state beyond an atomic counter).
 */
#ifndef TRUSTSVC_TSP_H
#define TRUSTSVC_TSP_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Largest TimeStampReq accepted, in bytes. @since 0.1 */
#define TSVC_TSQ_MAX_SIZE 16384
/**
 * @brief Function twin of ::TSVC_TSQ_MAX_SIZE.
 * @return the largest TimeStampReq accepted, in bytes.
 * @since 0.1
 */
TSVC_API size_t tsvc_tsq_max_size(void);

/** @brief Largest TimeStampResp accepted, in bytes. @since 0.1 */
#define TSVC_TSR_MAX_SIZE 1048576
/**
 * @brief Function twin of ::TSVC_TSR_MAX_SIZE.
 * @return the largest TimeStampResp accepted, in bytes.
 * @since 0.1
 */
TSVC_API size_t tsvc_tsr_max_size(void);

/** @brief Media type of a time-stamp request (RFC 3161 section 3.4). @since 0.1 */
#define TSVC_TSQ_MEDIA_TYPE "application/timestamp-query"
/** @brief Media type of a time-stamp response. @since 0.1 */
#define TSVC_TSR_MEDIA_TYPE "application/timestamp-reply"

/**
 * @brief Function twin of ::TSVC_TSQ_MEDIA_TYPE.
 * @return "application/timestamp-query" (a static string).
 * @since 0.1
 */
TSVC_API const char *tsvc_tsq_media_type(void);

/**
 * @brief Function twin of ::TSVC_TSR_MEDIA_TYPE.
 * @return "application/timestamp-reply" (a static string).
 * @since 0.1
 */
TSVC_API const char *tsvc_tsr_media_type(void);

/**
 * @brief PKIStatus of a time-stamp response (RFC 3161 section 2.4.2).
 * @since 0.1
 */
typedef enum tsvc_pki_status {
    TSVC_PKI_GRANTED = 0,                /**< granted: a token is present. */
    TSVC_PKI_GRANTED_WITH_MODS = 1,      /**< grantedWithMods: a token is present. */
    TSVC_PKI_REJECTION = 2,              /**< rejection: no token; see the failInfo. */
    TSVC_PKI_WAITING = 3,                /**< waiting: no token. */
    TSVC_PKI_REVOCATION_WARNING = 4,     /**< revocationWarning: a revocation is imminent. */
    TSVC_PKI_REVOCATION_NOTIFICATION = 5 /**< revocationNotification: a revocation occurred. */
} tsvc_pki_status;

/**
 * @brief PKIFailureInfo bits (bit i of the ASN.1 BIT STRING is 1 << i).
 * @since 0.1
 */
typedef enum tsvc_tsp_fail_info {
    TSVC_TSP_FAIL_BAD_ALG = 0x1,                   /**< badAlg (0): unrecognised or unsupported algorithm. */
    TSVC_TSP_FAIL_BAD_REQUEST = 0x4,               /**< badRequest (2): transaction not permitted or supported. */
    TSVC_TSP_FAIL_BAD_DATA_FORMAT = 0x20,          /**< badDataFormat (5): the data has the wrong format. */
    TSVC_TSP_FAIL_TIME_NOT_AVAILABLE = 0x4000,     /**< timeNotAvailable (14): the TSA's time source is not available. */
    TSVC_TSP_FAIL_UNACCEPTED_POLICY = 0x8000,      /**< unacceptedPolicy (15): the requested policy is not supported. */
    TSVC_TSP_FAIL_UNACCEPTED_EXTENSION = 0x10000,  /**< unacceptedExtension (16): the requested extension is not supported. */
    TSVC_TSP_FAIL_ADD_INFO_NOT_AVAILABLE = 0x20000, /**< addInfoNotAvailable (17). */
    TSVC_TSP_FAIL_SYSTEM_FAILURE = 0x2000000       /**< systemFailure (25): the request cannot be handled because of a system failure. */
} tsvc_tsp_fail_info;

/**
 * @brief Name of a PKIStatus ("granted", "grantedWithMods", "rejection",
 *        "waiting", "revocationWarning", "revocationNotification").
 * @param status a ::tsvc_pki_status (unknown values give "unknown").
 * @return a static string.
 * @since 0.1
 */
TSVC_API const char *tsvc_pki_status_str(int status);

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

/** @brief A TimeStampReq (built or parsed). @since 0.1 */
typedef struct tsvc_tsq tsvc_tsq;

/**
 * @brief Creates a request for a digest the caller computed, with a random
 *        64-bit nonce and certReq false.
 * @param ctx the context (its random generator makes the nonce).
 * @param[out] out receives the request; release with tsvc_tsq_free().
 * @param hash ::TSVC_HASH_SHA256, ::TSVC_HASH_SHA384 or ::TSVC_HASH_SHA512.
 * @param digest the digest (copied); its length must be the hash's size.
 * @param digest_len length of @p digest.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, TSVC_ERR_TSP_HASH (-804),
 *         ::TSVC_ERR_NOMEM, ::TSVC_ERR_NO_BACKEND or ::TSVC_ERR_RANDOM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_new(tsvc_ctx *ctx, tsvc_tsq **out, tsvc_hash_alg hash,
                                  const uint8_t *digest, size_t digest_len, tsvc_error **err);

/**
 * @brief Creates a request over data: hashes @p data with @p hash, then as
 *        tsvc_tsq_new().
 * @param ctx the context.
 * @param[out] out receives the request; release with tsvc_tsq_free().
 * @param hash ::TSVC_HASH_SHA256, ::TSVC_HASH_SHA384 or ::TSVC_HASH_SHA512.
 * @param data the data (borrowed for the call; may be NULL when @p len is 0).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return as tsvc_tsq_new().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_new_data(tsvc_ctx *ctx, tsvc_tsq **out, tsvc_hash_alg hash,
                                       const void *data, size_t len, tsvc_error **err);

/**
 * @brief Sets the requested policy (reqPolicy).
 * @param tsq the request.
 * @param oid dotted OID text (copied), or NULL to remove it.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_DER_OID.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_set_policy(tsvc_tsq *tsq, const char *oid, tsvc_error **err);

/**
 * @brief Replaces the nonce.
 * @param tsq the request.
 * @param nonce big-endian unsigned magnitude (copied; leading zeros are
 *        dropped), or NULL to send no nonce.
 * @param nonce_len its length, at most 64 bytes.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_set_nonce(tsvc_tsq *tsq, const uint8_t *nonce, size_t nonce_len,
                                        tsvc_error **err);

/**
 * @brief Sets certReq: whether the TSA is asked to include its certificate
 *        in the token.
 * @param tsq the request.
 * @param cert_req non-zero to ask for it.
 * @since 0.1
 */
TSVC_API void tsvc_tsq_set_cert_req(tsvc_tsq *tsq, int cert_req);

/**
 * @brief Encodes the request (DER).
 * @param tsq the request.
 * @param[out] out receives the bytes; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_encode(const tsvc_tsq *tsq, tsvc_buf *out, tsvc_error **err);

/**
 * @brief Parses a DER TimeStampReq (at most ::TSVC_TSQ_MAX_SIZE bytes).
 *        Hash-algorithm parameters may be absent or NULL.
 * @param ctx the context.
 * @param[out] out receives the request; release with tsvc_tsq_free().
 * @param data the bytes (copied).
 * @param len their length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_TSP_FORMAT (-800), TSVC_ERR_TSP_VERSION (-801),
 *         TSVC_ERR_TSP_HASH (-804) for an unknown hash or a digest of the
 *         wrong size, ::TSVC_ERR_LIMIT_INPUT_SIZE, ::TSVC_ERR_NOMEM or a DER
 *         status.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_parse(const tsvc_ctx *ctx, tsvc_tsq **out, const uint8_t *data,
                                    size_t len, tsvc_error **err);

/**
 * @brief The message-imprint hash algorithm.
 * @param tsq the request, or NULL (gives ::TSVC_HASH_NONE).
 * @return the algorithm.
 * @since 0.1
 */
TSVC_API tsvc_hash_alg tsvc_tsq_hash_alg(const tsvc_tsq *tsq);

/**
 * @brief The message-imprint digest.
 * @param tsq the request.
 * @param[out] len receives its length.
 * @return bytes borrowed from @p tsq.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tsq_digest(const tsvc_tsq *tsq, size_t *len);

/**
 * @brief The requested policy as dotted text.
 * @param tsq the request.
 * @param[out] out receives the NUL-terminated text.
 * @param out_size size of @p out (512 bytes always suffice).
 * @return ::TSVC_OK, ::TSVC_ERR_NOT_FOUND when there is none,
 *         ::TSVC_ERR_BUFFER_TOO_SMALL or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_policy(const tsvc_tsq *tsq, char *out, size_t out_size);

/**
 * @brief The nonce, as INTEGER contents octets (two's complement, minimal).
 * @param tsq the request.
 * @param[out] len receives its length (0 when there is no nonce).
 * @return bytes borrowed from @p tsq, or NULL when there is no nonce.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tsq_nonce(const tsvc_tsq *tsq, size_t *len);

/**
 * @brief Whether the request asks for the TSA certificate.
 * @param tsq the request.
 * @return 1 or 0.
 * @since 0.1
 */
TSVC_API int tsvc_tsq_cert_req(const tsvc_tsq *tsq);

/**
 * @brief Posts the request through the context's fetch callback (media type
 *        ::TSVC_TSQ_MEDIA_TYPE) and gives the response bytes.
 * @param ctx the context (see tsvc_ctx_set_fetch() in trustsvc/fetch.h).
 * @param tsq the request.
 * @param url the TSA's URL.
 * @param[out] out receives the response bytes; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_FETCH (-640) when no callback is set or it
 *         failed, ::TSVC_ERR_LIMIT_INPUT_SIZE, ::TSVC_ERR_NOMEM or
 *         ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_fetch(tsvc_ctx *ctx, const tsvc_tsq *tsq, const char *url,
                                    tsvc_buf *out, tsvc_error **err);

/**
 * @brief Releases a request.
 * @param tsq a request, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_tsq_free(tsvc_tsq *tsq);

/* ------------------------------------------------------------------ */
/* Tokens (TSTInfo)                                                    */
/* ------------------------------------------------------------------ */

/** @brief A time-stamp token: the SignedData and its decoded TSTInfo. @since 0.1 */
typedef struct tsvc_tst tsvc_tst;

/**
 * @brief Parses a time-stamp token (a ContentInfo holding a SignedData
 *        whose content is a TSTInfo). Nothing is verified.
 * @param ctx the context.
 * @param[out] out receives the token; release with tsvc_tst_free().
 * @param data the token bytes (copied).
 * @param len their length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_TSP_FORMAT (-800), TSVC_ERR_TSP_VERSION (-801),
 *         TSVC_ERR_TSP_NO_TOKEN (-803) when the content is not a TSTInfo,
 *         a CMS status, ::TSVC_ERR_NOMEM or a DER status.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_parse(const tsvc_ctx *ctx, tsvc_tst **out, const uint8_t *data,
                                    size_t len, tsvc_error **err);

/**
 * @brief The token's bytes (the ContentInfo).
 * @param tst the token.
 * @param[out] len receives the length.
 * @return bytes borrowed from @p tst.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tst_der(const tsvc_tst *tst, size_t *len);

/**
 * @brief The encoded TSTInfo (the signed content).
 * @param tst the token.
 * @param[out] len receives the length.
 * @return bytes borrowed from @p tst.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tst_info_der(const tsvc_tst *tst, size_t *len);

/**
 * @brief genTime, with its fraction of a second.
 * @param tst the token.
 * @param[out] secs receives seconds since the Unix epoch (may be NULL).
 * @param[out] nanos receives the fraction in nanoseconds (may be NULL).
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_gen_time(const tsvc_tst *tst, int64_t *secs, uint32_t *nanos);

/**
 * @brief The serial number, as INTEGER contents octets.
 * @param tst the token.
 * @param[out] len receives the length.
 * @return bytes borrowed from @p tst.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tst_serial(const tsvc_tst *tst, size_t *len);

/**
 * @brief The TSA policy as dotted text.
 * @param tst the token.
 * @param[out] out receives the NUL-terminated text.
 * @param out_size size of @p out (512 bytes always suffice).
 * @return ::TSVC_OK, ::TSVC_ERR_BUFFER_TOO_SMALL or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_policy(const tsvc_tst *tst, char *out, size_t out_size);

/**
 * @brief The message-imprint hash algorithm.
 * @param tst the token, or NULL (gives ::TSVC_HASH_NONE).
 * @return the algorithm (::TSVC_HASH_NONE when not one this library knows).
 * @since 0.1
 */
TSVC_API tsvc_hash_alg tsvc_tst_hash_alg(const tsvc_tst *tst);

/**
 * @brief The message-imprint digest.
 * @param tst the token.
 * @param[out] len receives the length.
 * @return bytes borrowed from @p tst.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tst_digest(const tsvc_tst *tst, size_t *len);

/**
 * @brief The accuracy of genTime.
 * @param tst the token.
 * @param[out] seconds receives the seconds (0 when absent; may be NULL).
 * @param[out] millis receives the milliseconds (may be NULL).
 * @param[out] micros receives the microseconds (may be NULL).
 * @return 1 when the token states an accuracy, 0 when not.
 * @since 0.1
 */
TSVC_API int tsvc_tst_accuracy(const tsvc_tst *tst, uint64_t *seconds, uint32_t *millis,
                               uint32_t *micros);

/**
 * @brief The ordering flag.
 * @param tst the token.
 * @return 1 when ordering is true, 0 otherwise.
 * @since 0.1
 */
TSVC_API int tsvc_tst_ordering(const tsvc_tst *tst);

/**
 * @brief The nonce, as INTEGER contents octets.
 * @param tst the token.
 * @param[out] len receives the length (0 when absent).
 * @return bytes borrowed from @p tst, or NULL when absent.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tst_nonce(const tsvc_tst *tst, size_t *len);

/**
 * @brief The TSA name (the GeneralName element inside [0]).
 * @param tst the token.
 * @param[out] len receives the length (0 when absent).
 * @return bytes borrowed from @p tst, or NULL when absent.
 * @since 0.1
 */
TSVC_API const uint8_t *tsvc_tst_tsa_name(const tsvc_tst *tst, size_t *len);

/**
 * @brief The TSA name as text when it is a directoryName (RFC 4514), or
 *        the string of a DNS/URI/e-mail name.
 * @param tst the token.
 * @param[out] out receives NUL-terminated text; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_NOT_FOUND when the token names no TSA,
 *         ::TSVC_ERR_UNSUPPORTED for other name forms, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_tsa_name_text(const tsvc_tst *tst, tsvc_buf *out,
                                            tsvc_error **err);

/**
 * @brief The signer certificate carried in the token, if any: the one
 *        the first ESSCertID(v2) names.
 * @param tst the token.
 * @return a certificate borrowed from @p tst, or NULL.
 * @since 0.1
 */
TSVC_API const tsvc_cert *tsvc_tst_signer_cert(const tsvc_tst *tst);

/**
 * @brief Releases a token.
 * @param tst a token, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_tst_free(tsvc_tst *tst);

/* ------------------------------------------------------------------ */
/* Responses and verification                                          */
/* ------------------------------------------------------------------ */

/** @brief A parsed TimeStampResp. @since 0.1 */
typedef struct tsvc_tsr tsvc_tsr;

/**
 * @brief Parses a TimeStampResp (at most ::TSVC_TSR_MAX_SIZE bytes). A
 *        BER-encoded PKIFailureInfo is accepted, as is a rejection without a
 *        token; a granted response must carry one.
 * @param ctx the context.
 * @param[out] out receives the response; release with tsvc_tsr_free().
 * @param data the bytes (copied).
 * @param len their length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_TSP_FORMAT (-800), TSVC_ERR_TSP_NO_TOKEN (-803)
 *         for a granted response without a token, the statuses of
 *         tsvc_tst_parse(), ::TSVC_ERR_LIMIT_INPUT_SIZE or ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsr_parse(const tsvc_ctx *ctx, tsvc_tsr **out, const uint8_t *data,
                                    size_t len, tsvc_error **err);

/**
 * @brief The PKIStatus.
 * @param tsr the response.
 * @return the status (a ::tsvc_pki_status value, or the number as sent).
 * @since 0.1
 */
TSVC_API int tsvc_tsr_status(const tsvc_tsr *tsr);

/**
 * @brief The statusString texts joined with "; ".
 * @param tsr the response.
 * @return a NUL-terminated UTF-8 string borrowed from @p tsr ("" when absent).
 * @since 0.1
 */
TSVC_API const char *tsvc_tsr_status_string(const tsvc_tsr *tsr);

/**
 * @brief The failInfo bits (::tsvc_tsp_fail_info), 0 when absent.
 * @param tsr the response.
 * @return the bits.
 * @since 0.1
 */
TSVC_API uint32_t tsvc_tsr_fail_info(const tsvc_tsr *tsr);

/**
 * @brief The token of the response.
 * @param tsr the response.
 * @return a token borrowed from @p tsr, or NULL when there is none.
 * @since 0.1
 */
TSVC_API const tsvc_tst *tsvc_tsr_token(const tsvc_tsr *tsr);

/**
 * @brief Releases a response.
 * @param tsr a response, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_tsr_free(tsvc_tsr *tsr);

/** @brief What a token is checked against (options of tsvc_tst_verify()). @since 0.1 */
typedef struct tsvc_tsp_verify_options {
    uint32_t version; /**< ::TSVC_TSP_VERIFY_OPTIONS_VERSION. */
    /** Accepted TSA policy OIDs (dotted text); NULL or 0 entries: any. */
    const char *const *policies;
    size_t num_policies; /**< Number of @c policies. */
    /** Certificates to use beside the token's own (the TSA certificate when
     *  certReq was false; intermediates); may be NULL. Borrowed. */
    const tsvc_cert_list *certs;
    /** Require the token to carry a nonce equal to this one (INTEGER
     *  contents octets); NULL: no nonce check. Borrowed. */
    const uint8_t *nonce;
    size_t nonce_len; /**< Length of @c nonce. */
    /** The time "now" for the second path validation; 0: the context's clock. */
    int64_t now;
    /** Version 2: the caller's validation policy for the TSA's path, or
     *  NULL (no revocation checking, no algorithm policy). Its revocation
     *  settings (mode, source, freshness, fetch, flags), algorithm policy,
     *  flags, initial policies and depth limit are used; the validation
     *  time is genTime (the option @c now for the second validation) and
     *  id-kp-timeStamping is always required. The store's CRLs and OCSP
     *  responses are used for it. Borrowed. @since 0.1 */
    const tsvc_policy *policy;
} tsvc_tsp_verify_options;

/**
 * @brief Current version of ::tsvc_tsp_verify_options: 2 (the @c policy
 *        field). Version 1 structures (without it) are still accepted.
 * @since 0.1
 */
#define TSVC_TSP_VERIFY_OPTIONS_VERSION 2
/** @brief Static initialiser of ::tsvc_tsp_verify_options. @since 0.1 */
#define TSVC_TSP_VERIFY_OPTIONS_INIT {TSVC_TSP_VERIFY_OPTIONS_VERSION, NULL, 0, NULL, NULL, 0, 0, NULL}

/**
 * @brief Initialises verification options (function twin of
 *        ::TSVC_TSP_VERIFY_OPTIONS_INIT).
 * @param opts the options.
 * @since 0.1
 */
TSVC_API void tsvc_tsp_verify_options_init(tsvc_tsp_verify_options *opts);

/**
 * @brief Verifies a token against a digest: the SignedData signature, the
 *        message imprint, the nonce and the policy (when the options ask),
 *        the TSA certificate's extendedKeyUsage (present, critical, only
 *        id-kp-timeStamping), the ESSCertID or ESSCertIDv2 (the first
 *        names the signer) and the TSA's path to a trust anchor of
 *        @p store at genTime; the path is also validated at the current
 *        time, reported separately (check "tsa-path-now", which does not
 *        change the indication).
 * @param ctx the context.
 * @param[out] report receives the report (kind "timestamp"), also when the
 *        token does not verify; release with tsvc_report_free().
 *        tsvc_report_time() gives genTime when the token passed.
 * @param tst the token.
 * @param hash the hash of @p digest.
 * @param digest the digest the token must cover (borrowed).
 * @param digest_len its length.
 * @param store trust anchors (and intermediates) for the TSA (frozen by
 *        the call).
 * @param opts options, or NULL for the defaults.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK whenever the verification ran, whatever its outcome;
 *         ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION, ::TSVC_ERR_NOMEM,
 *         ::TSVC_ERR_CLOCK otherwise.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_verify(tsvc_ctx *ctx, tsvc_report **report, const tsvc_tst *tst,
                                     tsvc_hash_alg hash, const uint8_t *digest,
                                     size_t digest_len, tsvc_store *store,
                                     const tsvc_tsp_verify_options *opts, tsvc_error **err);

/**
 * @brief Verifies a response to a request: the status must be granted (or
 *        grantedWithMods), then as tsvc_tst_verify() with the request's
 *        digest and nonce, and its reqPolicy (when it has one) as the only
 *        accepted policy unless @p opts lists policies.
 * @param ctx the context.
 * @param[out] report receives the report; release with tsvc_report_free().
 * @param tsr the response.
 * @param tsq the request it answers.
 * @param store trust anchors for the TSA (frozen by the call).
 * @param opts options, or NULL (its nonce field is ignored: the
 *        request's nonce is used).
 * @param[out] err optional error detail.
 * @return as tsvc_tst_verify().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsr_verify(tsvc_ctx *ctx, tsvc_report **report, const tsvc_tsr *tsr,
                                     const tsvc_tsq *tsq, tsvc_store *store,
                                     const tsvc_tsp_verify_options *opts, tsvc_error **err);

/* ------------------------------------------------------------------ */
/* CAdES B-T: signature time-stamps (ETSI EN 319 122-1, RFC 3161 App. A) */
/* ------------------------------------------------------------------ */

/**
 * @brief Creates a request for a signature time-stamp: its imprint is the
 *        hash of the signature value of one SignerInfo of a CMS signature
 *        (random nonce, certReq true).
 * @param ctx the context.
 * @param[out] out receives the request; release with tsvc_tsq_free().
 * @param cms the ContentInfo/SignedData (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo (0 for the first).
 * @param hash ::TSVC_HASH_SHA256, ::TSVC_HASH_SHA384 or ::TSVC_HASH_SHA512.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, a CMS status (::TSVC_ERR_CMS_SIGNER_INDEX, ...), or as
 *         tsvc_tsq_new().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_new_for_signature(tsvc_ctx *ctx, tsvc_tsq **out, const uint8_t *cms,
                                                size_t cms_len, size_t signer_index,
                                                tsvc_hash_alg hash, tsvc_error **err);

/**
 * @brief Adds a signature time-stamp (unsigned attribute
 *        id-aa-signatureTimeStampToken) to one SignerInfo, from a response
 *        the application obtained: the CAdES B-B signature becomes B-T.
 *        The response must be granted and its token's imprint must be the
 *        hash of that SignerInfo's signature value (and, when @p tsq is
 *        given, echo its nonce). Every other byte of the signature is kept.
 *        The TSA itself is not validated here (see tsvc_tst_verify_signature()).
 * @param ctx the context.
 * @param[out] out receives the new CMS bytes; release with tsvc_buf_dispose().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo.
 * @param tsr the TimeStampResp bytes (borrowed for the call).
 * @param tsr_len their length.
 * @param tsq the request it answers (for the nonce), or NULL.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK; TSVC_ERR_TSP_NOT_GRANTED (-802) for a refused request,
 *         TSVC_ERR_TSP_HASH (-804) when the imprint is not over that
 *         signature value or the nonce differs; the statuses of
 *         tsvc_tsr_parse(); a CMS status; ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_add_to_signature(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms,
                                               size_t cms_len, size_t signer_index,
                                               const uint8_t *tsr, size_t tsr_len,
                                               const tsvc_tsq *tsq, tsvc_error **err);

/**
 * @brief Time-stamps one SignerInfo's signature through the context's
 *        fetch callback: tsvc_tsq_new_for_signature(), tsvc_tsq_fetch()
 *        to @p url, then tsvc_tst_add_to_signature().
 * @param ctx the context (with a fetch callback).
 * @param[out] out receives the B-T signature; release with tsvc_buf_dispose().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo.
 * @param url the TSA's URL.
 * @param hash the imprint's hash.
 * @param[out] err optional error detail.
 * @return as the three functions it calls.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_timestamp_signature(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms,
                                                  size_t cms_len, size_t signer_index,
                                                  const char *url, tsvc_hash_alg hash,
                                                  tsvc_error **err);

/**
 * @brief Verifies the signature time-stamps of one SignerInfo: each
 *        id-aa-signatureTimeStampToken is verified as by tsvc_tst_verify()
 *        with the hash of that SignerInfo's own signature value as the
 *        imprint (a time-stamp copied from another signature fails with
 *        HASH_FAILURE) and its TSA validated at genTime. The report (kind
 *        "signature-timestamp") is PASSED when at least one is present and
 *        every one verifies; tsvc_report_time() then gives the earliest
 *        genTime: the time the signature is proven to have existed. Without
 *        any time-stamp: INDETERMINATE / NO_POE. This does not verify the
 *        signature itself (tsvc_verify() does).
 * @param ctx the context.
 * @param[out] report receives the report; release with tsvc_report_free().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo.
 * @param store trust anchors for the TSA (frozen by the call).
 * @param opts options as for tsvc_tst_verify() (nonce ignored), or NULL.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK whenever the verification ran; a CMS status when the
 *         signature cannot be decoded or has no such SignerInfo;
 *         ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tst_verify_signature(tsvc_ctx *ctx, tsvc_report **report,
                                               const uint8_t *cms, size_t cms_len,
                                               size_t signer_index, tsvc_store *store,
                                               const tsvc_tsp_verify_options *opts,
                                               tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Time-stamp authority                                                */
/* ------------------------------------------------------------------ */

/** @brief A time-stamp authority: key, certificate, policies and settings. @since 0.1 */
typedef struct tsvc_tsa tsvc_tsa;

/**
 * @brief Serial-number source: writes a positive serial number as a
 *        big-endian magnitude of 1..20 bytes into @p out (20 bytes of room)
 *        and its length into @p *len. Called concurrently when the TSA is
 *        shared between threads.
 * @return ::TSVC_OK, or an error to reject the request with systemFailure.
 * @since 0.1
 */
typedef tsvc_status (*tsvc_tsa_serial_fn)(void *opaque, uint8_t out[20], size_t *len);

/**
 * @brief TSA clock: the current time in seconds since the epoch and a
 *        fraction in nanoseconds (0 .. 999999999).
 * @return ::TSVC_OK, or an error to reject the request with
 *         timeNotAvailable.
 * @since 0.1
 */
typedef tsvc_status (*tsvc_tsa_clock_fn)(void *opaque, int64_t *secs, uint32_t *nanos);

/**
 * @brief Creates a TSA. Defaults: SHA-256, SHA-384 and SHA-512 imprints
 *        accepted, only @p policy accepted, no accuracy, 128-bit random
 *        serial numbers, the context's clock (whole seconds), SHA-256 for
 *        the token's signature and ESSCertIDv2.
 * @param ctx the context (kept; must outlive the TSA).
 * @param[out] out receives the TSA; release with tsvc_tsa_free().
 * @param key the signing key (any backend; the TSA keeps a borrowed pointer:
 *        the key must outlive the TSA).
 * @param cert the TSA certificate (a reference is taken); its key must be
 *        @p key's and it must carry a critical extendedKeyUsage of only
 *        id-kp-timeStamping.
 * @param policy the default policy OID, dotted text (copied).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, TSVC_ERR_TSA_CERT (-810),
 *         TSVC_ERR_TSA_POLICY (-811), ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_new(tsvc_ctx *ctx, tsvc_tsa **out, const tsvc_key *key,
                                  const tsvc_cert *cert, const char *policy, tsvc_error **err);

/**
 * @brief Adds a certificate of the TSA's chain, included in tokens (after
 *        the TSA certificate) when the request sets certReq.
 * @param tsa the TSA (not yet used).
 * @param cert the certificate (a reference is taken).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_STATE, ::TSVC_ERR_LIMIT_COUNT (more than 8),
 *         ::TSVC_ERR_NOMEM or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_add_chain_cert(tsvc_tsa *tsa, const tsvc_cert *cert,
                                             tsvc_error **err);

/**
 * @brief Adds a further accepted policy (a request may ask for it).
 * @param tsa the TSA (not yet used).
 * @param policy dotted OID text (copied).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_STATE, TSVC_ERR_TSA_POLICY (-811),
 *         ::TSVC_ERR_LIMIT_COUNT (more than 16) or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_add_policy(tsvc_tsa *tsa, const char *policy, tsvc_error **err);

/**
 * @brief Sets whether a message-imprint hash algorithm is accepted.
 * @param tsa the TSA (not yet used).
 * @param hash ::TSVC_HASH_SHA256, ::TSVC_HASH_SHA384, ::TSVC_HASH_SHA512
 *        (::TSVC_HASH_SHA1 and ::TSVC_HASH_SHA224 may be accepted too for
 *        legacy clients).
 * @param accepted non-zero to accept it, 0 to refuse it with badAlg.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_STATE or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_hash_accepted(tsvc_tsa *tsa, tsvc_hash_alg hash, int accepted,
                                                tsvc_error **err);

/**
 * @brief Sets the accuracy written in every token (all zero: none).
 * @param tsa the TSA (not yet used).
 * @param seconds whole seconds.
 * @param millis 0 .. 999.
 * @param micros 0 .. 999.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_STATE or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_accuracy(tsvc_tsa *tsa, uint32_t seconds, uint32_t millis,
                                           uint32_t micros, tsvc_error **err);

/**
 * @brief Sets the ordering flag written in every token.
 * @param tsa the TSA (not yet used).
 * @param ordering non-zero for true.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_STATE.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_ordering(tsvc_tsa *tsa, int ordering, tsvc_error **err);

/**
 * @brief Sets whether tokens carry the tsa field (the certificate's
 *        subject as a directoryName). Default: off.
 * @param tsa the TSA (not yet used).
 * @param include non-zero to include it.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_STATE.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_include_name(tsvc_tsa *tsa, int include, tsvc_error **err);

/**
 * @brief Sets the hash used for the token's signature, its message-digest
 *        attribute and the ESSCertIDv2 certificate hash.
 * @param tsa the TSA (not yet used).
 * @param hash ::TSVC_HASH_SHA256, ::TSVC_HASH_SHA384 or ::TSVC_HASH_SHA512
 *        (ignored by Ed25519 signatures, which hash with SHA-512 inside).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_STATE or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_signer_hash(tsvc_tsa *tsa, tsvc_hash_alg hash,
                                              tsvc_error **err);

/**
 * @brief Replaces the serial-number source.
 * @param tsa the TSA (not yet used).
 * @param fn the callback, or NULL for the default (128-bit random).
 * @param opaque passed to @p fn.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_STATE.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_serial_fn(tsvc_tsa *tsa, tsvc_tsa_serial_fn fn, void *opaque,
                                            tsvc_error **err);

/**
 * @brief Replaces the clock (e.g. one with sub-second precision).
 * @param tsa the TSA (not yet used).
 * @param fn the callback, or NULL for the context's clock.
 * @param opaque passed to @p fn.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_STATE.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_clock(tsvc_tsa *tsa, tsvc_tsa_clock_fn fn, void *opaque,
                                        tsvc_error **err);

/**
 * @brief Sets the assurance the TSA key must have (HSM, non-extractable,
 *        certified token, activation callback), checked now and again
 *        before every token the TSA signs.
 * @param tsa the TSA (not yet used).
 * @param req the requirements (copied; @c version must be
 *        ::TSVC_KEY_REQUIREMENTS_VERSION), or NULL to remove them. They are
 *        kept even when the key falls short now, so that such a TSA signs
 *        nothing (its responses are systemFailure rejections).
 * @param[out] err optional error detail: names the first requirement the
 *        key does not meet.
 * @return ::TSVC_OK, ::TSVC_ERR_KEY_ASSURANCE (the key falls short now),
 *         ::TSVC_ERR_BAD_VERSION, ::TSVC_ERR_STATE or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_set_key_requirements(tsvc_tsa *tsa,
                                                   const tsvc_key_requirements *req,
                                                   tsvc_error **err);

/**
 * @brief Answers one request. A request the TSA refuses still gives
 *        ::TSVC_OK and a rejection response: badDataFormat (malformed DER,
 *        wrong digest length, too large), badRequest (version other than 1),
 *        badAlg (hash not accepted), unacceptedPolicy, unacceptedExtension
 *        (the request has extensions), timeNotAvailable (the clock failed)
 *        or systemFailure (signing or the serial source failed). The
 *        certificate (and chain) is included only when certReq is true.
 * @param tsa the TSA; thread-safe.
 * @param[out] out receives the DER TimeStampResp; release with
 *        tsvc_buf_dispose().
 * @param request the request bytes (borrowed for the call).
 * @param request_len their length.
 * The key signs through its activation callback (tsvc_key_set_activation())
 * with the label "tsa", after the key requirements
 * (tsvc_tsa_set_key_requirements()) are checked again.
 * @param[out] err optional error detail (only when no response was made,
 *        or with ::TSVC_ERR_KEY_ASSURANCE; a rejection's reason is in its
 *        statusString).
 * @return ::TSVC_OK whenever a response was produced, except
 *         ::TSVC_ERR_KEY_ASSURANCE: the TSA key does not meet the TSA's key
 *         requirements, and @p out holds a
 *         systemFailure rejection to send back (release it as usual);
 *         ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_NOMEM otherwise.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsa_respond(tsvc_tsa *tsa, tsvc_buf *out, const uint8_t *request,
                                      size_t request_len, tsvc_error **err);

/**
 * @brief Number of tokens the TSA has issued (granted responses).
 * @param tsa the TSA, or NULL.
 * @return the count.
 * @since 0.1
 */
TSVC_API uint64_t tsvc_tsa_num_issued(const tsvc_tsa *tsa);

/**
 * @brief Releases a TSA (no thread may be using it).
 * @param tsa a TSA, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_tsa_free(tsvc_tsa *tsa);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_TSP_H */
