/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file ltv.h
 * @brief Long-term CAdES signatures: the B-LT and B-LTA levels (ETSI EN
 *        319 122-1; JIS X 5092 ES-XL and ES-A) and long-term validation
 *        ("validation in the past", ETSI EN 319 102-1 section 5.6).
 *
 * Levels, and where each writes its data:
 *
 * - B-LT (tsvc_ades_extend_lt(), ::TSVC_LT_PROFILE_EN): the certificates of
 *   the signer's path and of every time-stamp authority's path go into
 *   SignedData.certificates; CRLs go into SignedData.crls as
 *   CertificateList; OCSP responses go into SignedData.crls as
 *   OtherRevocationInfoFormat id-ri-ocsp-response (RFC 5940). This is the
 *   form EN 319 122-1 uses for B-LT; no certificate-values or
 *   revocation-values attribute is written.
 * - ES-XL (::TSVC_LT_PROFILE_JIS): the unsigned attributes of JIS X 5092 /
 *   ETSI TS 101 733: complete-certificate-references (ES-C; the signer's
 *   path without the signer's own certificate), complete-revocation-
 *   references (ES-C; one CrlOcspRef per certificate of that path),
 *   certificate-values (the certificates of the signer's and the TSAs'
 *   paths) and revocation-values (CRLs and BasicOCSPResponses).
 * - B-LTA (tsvc_ats_timestamp_signature() and the two-step pair
 *   tsvc_tsq_new_for_archive() / tsvc_ats_add_to_signature()):
 *   archive-time-stamp-v3 (id-aa-ets-archiveTimestampV3, 0.4.0.1733.2.4)
 *   whose token carries ats-hash-index-v3 (0.4.0.19122.1.5) as an unsigned
 *   attribute of its SignerInfo; or, for ES-A, archive-time-stamp v2
 *   (id-aa-ets-archiveTimestampV2, 1.2.840.113549.1.9.16.2.48, ETSI TS
 *   101 733 section 6.4.1).
 * - Renewal: before a further archive time-stamp is added, tsvc_ades_extend_lt()
 *   adds the validation data of the newest archive time-stamp's TSA (the
 *   older ones are protected by it).
 *   For a signature protected by archive time-stamps v3 only, it goes into
 *   SignedData.certificates / crls (the hash index keeps the earlier
 *   time-stamps verifiable); when a v2 archive time-stamp is present (its
 *   hash covers those fields as they were) or with the JIS profile, it goes
 *   into certificate-values / revocation-values unsigned attributes of the
 *   newest archive time-stamp token.
 *
 * Validation (tsvc_ltv_verify()) reads validation data from all of these
 * places, and from the store (and, when allowed, the fetch callback).
 *
 * Thread safety: the functions are reentrant; a ::tsvc_ltv_report is
 * immutable and may be read by many threads; the store may be shared.
 */
#ifndef TRUSTSVC_LTV_H
#define TRUSTSVC_LTV_H

#include "trustsvc/algpolicy.h"
#include "trustsvc/common.h"
#include "trustsvc/store.h"
#include "trustsvc/tsp.h"
#include "trustsvc/validate.h"
#include "trustsvc/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Most archive time-stamps one signature may carry. @since 0.1 */
#define TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS 32
/**
 * @brief Function twin of ::TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS.
 * @return the largest number of archive time-stamps handled.
 * @since 0.1
 */
TSVC_API size_t tsvc_ltv_max_archive_timestamps(void);

/** @brief Most CRLs plus OCSP responses gathered for one signature. @since 0.1 */
#define TSVC_LTV_MAX_REVOCATION_VALUES 128
/**
 * @brief Function twin of ::TSVC_LTV_MAX_REVOCATION_VALUES.
 * @return the largest number of revocation values handled.
 * @since 0.1
 */
TSVC_API size_t tsvc_ltv_max_revocation_values(void);

/** @brief Where B-LT validation data is written. @since 0.1 */
typedef enum tsvc_lt_profile {
    TSVC_LT_PROFILE_EN = 0, /**< ETSI EN 319 122-1 B-LT: SignedData.certificates and crls. */
    TSVC_LT_PROFILE_JIS = 1 /**< JIS X 5092 ES-XL: ES-C references and value attributes. */
} tsvc_lt_profile;

/**
 * @brief Options of tsvc_ades_extend_lt(). Initialise with
 *        ::TSVC_LT_OPTIONS_INIT or tsvc_lt_options_init().
 * @since 0.1
 */
typedef struct tsvc_lt_options {
    uint32_t version;               /**< ::TSVC_LT_OPTIONS_VERSION. */
    tsvc_lt_profile profile;        /**< Where the data goes. */
    tsvc_revocation_fetch fetch;    /**< Whether CRLs / OCSP responses may be fetched (default: never). */
    tsvc_hash_alg ref_hash;         /**< Hash of the ES-C references; ::TSVC_HASH_NONE: SHA-256. */
    int64_t when;                   /**< Time the paths are built at; 0: the context's clock. */
} tsvc_lt_options;

/** @brief Current version of ::tsvc_lt_options. @since 0.1 */
#define TSVC_LT_OPTIONS_VERSION 1
/** @brief Static initialiser of ::tsvc_lt_options. @since 0.1 */
#define TSVC_LT_OPTIONS_INIT                                                                  \
    {TSVC_LT_OPTIONS_VERSION, TSVC_LT_PROFILE_EN, TSVC_REVOCATION_FETCH_NEVER, TSVC_HASH_NONE, 0}

/**
 * @brief Function twin of ::TSVC_LT_OPTIONS_INIT.
 * @param opts the options to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_lt_options_init(tsvc_lt_options *opts);

/**
 * @brief Extends a B-T signature to B-LT (or ES-XL): builds the paths of
 *        the signer's certificate and of the TSA of every signature
 *        time-stamp to trust anchors of @p store at the time given in
 *        @p opts, gathers for every certificate of those paths but the trust
 *        anchors a CRL or OCSP response that shows its status then (from
 *        @p store, and through the context's fetch callback when @p opts
 *        allows), and writes them as the file comment says. On a signature
 *        that already has archive time-stamps (renewal) only the path and
 *        revocation data of the newest archive time-stamp's TSA are added.
 *        Certificates and revocation values already present are not written
 *        twice. Every byte the extension does not touch is kept.
 * @param ctx the context.
 * @param[out] out receives the new signature; release with tsvc_buf_dispose().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo.
 * @param store trust anchors, intermediates and revocation material (frozen by the call).
 * @param opts options, or NULL for the defaults.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK; ::TSVC_ERR_ADES_LEVEL (no signature time-stamp);
 *         ::TSVC_ERR_ADES_VALIDATION_DATA (a path cannot be built, or no
 *         usable CRL or OCSP response was found for a certificate; the
 *         message names it); ::TSVC_ERR_LIMIT_COUNT; a CMS status;
 *         ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ades_extend_lt(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms,
                                         size_t cms_len, size_t signer_index, tsvc_store *store,
                                         const tsvc_lt_options *opts, tsvc_error **err);

/** @brief Archive time-stamp versions. @since 0.1 */
typedef enum tsvc_ats_version {
    TSVC_ATS_NONE = 0, /**< None / unknown. */
    TSVC_ATS_V2 = 2,   /**< archive-time-stamp v2 (ETSI TS 101 733, JIS X 5092 ES-A). */
    TSVC_ATS_V3 = 3    /**< archive-time-stamp-v3 with ats-hash-index-v3 (EN 319 122-1 B-LTA). */
} tsvc_ats_version;

/**
 * @brief Creates the request for an archive time-stamp over one SignerInfo
 *        (random nonce, certReq true). v3: the message imprint is the hash
 *        of eContentType, the hash of the signed content, the SignerInfo
 *        fields version .. signature, and the ATSHashIndexV3 of the
 *        certificates, CRLs and unsigned attribute values present now.
 *        v2: the hash of encapContentInfo, the detached content (if any),
 *        the certificates and crls fields, and every SignerInfo field
 *        including the unsigned attributes.
 * @param ctx the context.
 * @param[out] out receives the request; release with tsvc_tsq_free().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo.
 * @param content the detached content, or NULL when it is embedded.
 * @param content_len its length.
 * @param version ::TSVC_ATS_V3 or ::TSVC_ATS_V2.
 * @param hash SHA-256, SHA-384 or SHA-512.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK; ::TSVC_ERR_CMS_NO_CONTENT (detached and no content, or
 *         content given twice); ::TSVC_ERR_INVALID_ARG; a CMS status;
 *         ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_tsq_new_for_archive(tsvc_ctx *ctx, tsvc_tsq **out, const uint8_t *cms,
                                              size_t cms_len, size_t signer_index,
                                              const uint8_t *content, size_t content_len,
                                              tsvc_ats_version version, tsvc_hash_alg hash,
                                              tsvc_error **err);

/**
 * @brief Adds an archive time-stamp from a response: checks that it was
 *        granted and that its imprint is the one tsvc_tsq_new_for_archive()
 *        computes for the same signature now (and the nonce of @p tsq),
 *        adds ats-hash-index-v3 to the token (v3), and adds the token as an
 *        unsigned attribute of the SignerInfo.
 * @param ctx the context.
 * @param[out] out receives the new signature; release with tsvc_buf_dispose().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo.
 * @param content the detached content, or NULL when it is embedded.
 * @param content_len its length.
 * @param version as given to tsvc_tsq_new_for_archive().
 * @param tsr the TimeStampResp (borrowed for the call).
 * @param tsr_len its length.
 * @param tsq the request, or NULL (no nonce check).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK; TSVC_ERR_TSP_NOT_GRANTED, TSVC_ERR_TSP_HASH (imprint or
 *         nonce differ); ::TSVC_ERR_LIMIT_COUNT (already
 *         ::TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS); as tsvc_tsq_new_for_archive().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ats_add_to_signature(tsvc_ctx *ctx, tsvc_buf *out, const uint8_t *cms,
                                               size_t cms_len, size_t signer_index,
                                               const uint8_t *content, size_t content_len,
                                               tsvc_ats_version version, const uint8_t *tsr,
                                               size_t tsr_len, const tsvc_tsq *tsq,
                                               tsvc_error **err);

/**
 * @brief Adds an archive time-stamp through the context's fetch callback:
 *        tsvc_tsq_new_for_archive(), tsvc_tsq_fetch() to @p url, then
 *        tsvc_ats_add_to_signature().
 * @param ctx the context (with a fetch callback).
 * @param[out] out receives the B-LTA signature; release with tsvc_buf_dispose().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param signer_index the SignerInfo.
 * @param content the detached content, or NULL when it is embedded.
 * @param content_len its length.
 * @param version ::TSVC_ATS_V3 or ::TSVC_ATS_V2.
 * @param url the TSA's URL.
 * @param hash the imprint's hash.
 * @param[out] err optional error detail.
 * @return as the functions it calls.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ats_timestamp_signature(tsvc_ctx *ctx, tsvc_buf *out,
                                                  const uint8_t *cms, size_t cms_len,
                                                  size_t signer_index, const uint8_t *content,
                                                  size_t content_len, tsvc_ats_version version,
                                                  const char *url, tsvc_hash_alg hash,
                                                  tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Long-term validation                                                */
/* ------------------------------------------------------------------ */

/**
 * @brief Options of tsvc_ltv_verify(). Initialise with
 *        ::TSVC_LTV_OPTIONS_INIT or tsvc_ltv_options_init().
 * @since 0.1
 */
typedef struct tsvc_ltv_options {
    uint32_t version;        /**< ::TSVC_LTV_OPTIONS_VERSION. */
    size_t signer_index;     /**< The SignerInfo to validate. */
    int64_t when;            /**< Validation time ("now"); 0: the context's clock. */
    tsvc_verify_profile profile; /**< Signature or seal. */
    const tsvc_algorithm_policy *algorithm_policy; /**< NULL: the default policy. */
    tsvc_revocation_fetch fetch; /**< Whether CRLs / OCSP responses may be fetched (default: never). */
    const char *const *tsa_policies; /**< Accepted TSA policy OIDs; NULL: any. */
    size_t num_tsa_policies; /**< Number of @c tsa_policies. */
} tsvc_ltv_options;

/** @brief Current version of ::tsvc_ltv_options. @since 0.1 */
#define TSVC_LTV_OPTIONS_VERSION 1
/** @brief Static initialiser of ::tsvc_ltv_options. @since 0.1 */
#define TSVC_LTV_OPTIONS_INIT                                                                 \
    {TSVC_LTV_OPTIONS_VERSION, 0, 0, TSVC_VERIFY_SIGNATURE, NULL, TSVC_REVOCATION_FETCH_NEVER, \
     NULL, 0}

/**
 * @brief Function twin of ::TSVC_LTV_OPTIONS_INIT.
 * @param opts the options to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_ltv_options_init(tsvc_ltv_options *opts);

/** @brief The outcome of a long-term validation (opaque, immutable). @since 0.1 */
typedef struct tsvc_ltv_report tsvc_ltv_report;

/**
 * @brief Validates a signature over the long term (ETSI EN 319 102-1
 *        section 5.6, simplified as described here):
 *
 *  1. the signature itself (format, signing certificate, message digest,
 *     signature value) as tsvc_verify() does; a failure there decides;
 *  2. every time-stamp (signature time-stamps, archive time-stamps v2 and
 *     v3) is verified: imprint, token signature, TSA path at genTime;
 *     a tampered archive time-stamp gives FAILED / HASH_FAILURE; archive
 *     time-stamps earlier than a signature time-stamp give
 *     TIMESTAMP_ORDER_FAILURE, as does a claimed signing time after the
 *     signature time-stamp;
 *  3. proofs of existence are propagated from the newest time-stamp to the
 *     oldest: the newest is judged at the validation time; every other at
 *     the genTime of the earliest later archive time-stamp that verified.
 *     A time-stamp is usable when its TSA certificate had not expired, was
 *     not revoked and its algorithms were accepted at that time;
 *  4. the best signature time is the earliest genTime of a usable
 *     signature time-stamp (else of a usable archive time-stamp, else the
 *     validation time). The signer's path is validated at that time; a
 *     certificate that expired or was revoked after it does not matter; a
 *     revocation at or before it gives FAILED / REVOKED (with a proof of
 *     existence) or INDETERMINATE / REVOKED_NO_POE (without); expiry before
 *     it gives OUT_OF_BOUNDS_NO_POE; an algorithm refused by the algorithm
 *     policy at that time gives CRYPTO_CONSTRAINTS_FAILURE_NO_POE; no usable
 *     revocation data gives TRY_LATER with a reason naming the certificate.
 *
 * Revocation data is taken as evidence at the time it was issued: a CRL or
 * OCSP response issued after the best signature time that shows the
 * certificate good (or revoked only later) proves it was good then.
 * @param ctx the context.
 * @param[out] report receives the report; release with tsvc_ltv_report_free().
 * @param cms the signature (borrowed for the call).
 * @param cms_len its length.
 * @param content the detached content, or NULL.
 * @param content_len its length.
 * @param store trust anchors, intermediates, CRLs and OCSP responses (frozen by the call).
 * @param opts options, or NULL.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK when the validation ran (see the report);
 *         ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION, ::TSVC_ERR_CLOCK,
 *         ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ltv_verify(tsvc_ctx *ctx, tsvc_ltv_report **report, const uint8_t *cms,
                                     size_t cms_len, const uint8_t *content, size_t content_len,
                                     tsvc_store *store, const tsvc_ltv_options *opts,
                                     tsvc_error **err);

/**
 * @brief Releases a report.
 * @param r a report, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_ltv_report_free(tsvc_ltv_report *r);

/**
 * @brief The indication.
 * @param r the report.
 * @return the indication; ::TSVC_INDICATION_NONE for NULL.
 * @since 0.1
 */
TSVC_API tsvc_indication tsvc_ltv_report_indication(const tsvc_ltv_report *r);

/**
 * @brief The sub-indication.
 * @param r the report.
 * @return the sub-indication; ::TSVC_SUB_NONE when PASSED.
 * @since 0.1
 */
TSVC_API tsvc_subindication tsvc_ltv_report_subindication(const tsvc_ltv_report *r);

/**
 * @brief The reason (empty when PASSED).
 * @param r the report.
 * @return a string borrowed from @p r.
 * @since 0.1
 */
TSVC_API const char *tsvc_ltv_report_reason(const tsvc_ltv_report *r);

/**
 * @brief The validation time used.
 * @param r the report.
 * @return seconds since the epoch.
 * @since 0.1
 */
TSVC_API int64_t tsvc_ltv_report_time(const tsvc_ltv_report *r);

/**
 * @brief The best signature time: the time the signature is proven to
 *        have existed.
 * @param r the report.
 * @param[out] when receives the time (the validation time when there is no proof).
 * @return 1 when a time-stamp proves it, 0 otherwise.
 * @since 0.1
 */
TSVC_API int tsvc_ltv_report_best_signature_time(const tsvc_ltv_report *r, int64_t *when);

/**
 * @brief The level the signature was seen at: "B-B", "B-T", "B-LT"
 *        (validation data present) or "B-LTA" (an archive time-stamp).
 * @param r the report.
 * @return a static string ("" for NULL).
 * @since 0.1
 */
TSVC_API const char *tsvc_ltv_report_level(const tsvc_ltv_report *r);

/**
 * @brief Number of archive time-stamps seen (in genTime order).
 * @param r the report.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_ltv_report_num_archive_timestamps(const tsvc_ltv_report *r);

/**
 * @brief The version of an archive time-stamp.
 * @param r the report.
 * @param i index (genTime order).
 * @return ::TSVC_ATS_V2, ::TSVC_ATS_V3, or ::TSVC_ATS_NONE when out of range.
 * @since 0.1
 */
TSVC_API tsvc_ats_version tsvc_ltv_report_archive_timestamp_version(const tsvc_ltv_report *r,
                                                                    size_t i);

/**
 * @brief The genTime of an archive time-stamp.
 * @param r the report.
 * @param i index (genTime order).
 * @return seconds since the epoch; 0 when out of range or malformed.
 * @since 0.1
 */
TSVC_API int64_t tsvc_ltv_report_archive_timestamp_time(const tsvc_ltv_report *r, size_t i);

/**
 * @brief Whether an archive time-stamp verified and was usable.
 * @param r the report.
 * @param i index (genTime order).
 * @return the indication of that time-stamp.
 * @since 0.1
 */
TSVC_API tsvc_indication tsvc_ltv_report_archive_timestamp_indication(const tsvc_ltv_report *r,
                                                                      size_t i);

/**
 * @brief The renewal date: the earliest of the expiry of the certificates
 *        of the path of the TSA of the newest usable time-stamp and the
 *        first time the algorithm policy refuses its algorithms (hash of
 *        the imprint, token signature, TSA key). A further archive
 *        time-stamp must be added before it.
 * @param r the report.
 * @param[out] when receives the date.
 * @return 1 when known, 0 when no time-stamp was usable.
 * @since 0.1
 */
TSVC_API int tsvc_ltv_report_renewal_date(const tsvc_ltv_report *r, int64_t *when);

/**
 * @brief Every check made, as a tree (kind "long-term-validation"): the
 *        basic signature checks, each time-stamp, the signer's path at the
 *        best signature time, revocation evidence, algorithms.
 * @param r the report.
 * @return a report borrowed from @p r.
 * @since 0.1
 */
TSVC_API const tsvc_report *tsvc_ltv_report_checks(const tsvc_ltv_report *r);

/**
 * @brief Writes the report as JSON (UTF-8, NUL-terminated; len excludes
 *        the NUL): indication, subindication, reason, time,
 *        best_signature_time, level, archive_timestamps [{version, time,
 *        indication}], renewal_date, checks.
 * @param r the report.
 * @param[out] out receives the text (caller owns).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ltv_report_to_json(const tsvc_ltv_report *r, tsvc_buf *out,
                                             tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_LTV_H */
