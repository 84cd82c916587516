/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file validate.h
 * @brief Certificate-path validation (RFC 5280 section 6 with path
 *        building), validation policies, and validation reports with
 *        ETSI EN 319 102-1 indications.
 *
 * tsvc_validate() builds a chain from a leaf certificate to a trust anchor
 * of a ::tsvc_store, checks it against a ::tsvc_policy at the validation
 * time, and describes the outcome in a ::tsvc_report. A chain that does not
 * validate is an outcome, not an error: tsvc_validate() still returns
 * ::TSVC_OK and the report says FAILED or INDETERMINATE and why.
 *
 * Thread safety: a ::tsvc_policy is configured by one thread; its first use
 * by tsvc_validate() freezes it, after which it is immutable and may be
 * shared by any number of threads (references are counted atomically).
 * tsvc_validate() may run concurrently in many threads with the same
 * context, store and policy. A ::tsvc_report belongs to the thread that
 * received it (it may be handed over, not shared while being read and
 * freed).
 */
#ifndef TRUSTSVC_VALIDATE_H
#define TRUSTSVC_VALIDATE_H

#include "trustsvc/common.h"
#include "trustsvc/store.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Indications                                                         */
/* ------------------------------------------------------------------ */

/**
 * @brief Main outcome of a validation (ETSI EN 319 102-1 section 5.1.3).
 * @since 0.1
 */
typedef enum tsvc_indication {
    TSVC_INDICATION_NONE = 0,         /**< Not determined (the validation did not run). */
    TSVC_INDICATION_PASSED = 1,       /**< Every check passed. */
    TSVC_INDICATION_FAILED = 2,       /**< A check failed for good. */
    TSVC_INDICATION_INDETERMINATE = 3 /**< Not enough to decide (no chain, a limit, ...). */
} tsvc_indication;

/**
 * @brief Sub-indication qualifying FAILED or INDETERMINATE (ETSI EN 319
 *        102-1 section 5.1.3). Values are fixed and never renumbered.
 * @since 0.1
 */
typedef enum tsvc_subindication {
    TSVC_SUB_NONE = 0,                              /**< No sub-indication (PASSED). */
    TSVC_SUB_FORMAT_FAILURE = 1,                    /**< An object is malformed. */
    TSVC_SUB_HASH_FAILURE = 2,                      /**< A digest does not match. */
    TSVC_SUB_SIG_CRYPTO_FAILURE = 3,                /**< A signature value does not verify. */
    TSVC_SUB_REVOKED = 4,                           /**< The certificate is revoked. */
    TSVC_SUB_SIG_CONSTRAINTS_FAILURE = 5,           /**< Signature constraints not met. */
    TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE = 6,         /**< The chain breaks a constraint. */
    TSVC_SUB_CERTIFICATE_CHAIN_GENERAL_FAILURE = 7, /**< Chain failure of another kind. */
    TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE = 8,        /**< Algorithm or key size not acceptable. */
    TSVC_SUB_EXPIRED = 9,                           /**< A certificate had expired. */
    TSVC_SUB_NOT_YET_VALID = 10,                    /**< A certificate was not yet valid. */
    TSVC_SUB_POLICY_PROCESSING_ERROR = 11,          /**< The validation policy is unusable. */
    TSVC_SUB_SIGNATURE_POLICY_NOT_AVAILABLE = 12,   /**< Signature policy not available. */
    TSVC_SUB_TIMESTAMP_ORDER_FAILURE = 13,          /**< Time-stamps in the wrong order. */
    TSVC_SUB_NO_SIGNING_CERTIFICATE_FOUND = 14,     /**< The signer's certificate is missing. */
    TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND = 15,       /**< No chain to a trust anchor. */
    TSVC_SUB_REVOKED_NO_POE = 16,                   /**< Revoked, no proof of existence before. */
    TSVC_SUB_REVOKED_CA_NO_POE = 17,                /**< A CA is revoked, no proof of existence. */
    TSVC_SUB_OUT_OF_BOUNDS_NO_POE = 18,             /**< Outside validity, no proof of existence. */
    TSVC_SUB_OUT_OF_BOUNDS_NOT_REVOKED = 19,        /**< Outside validity, not revoked. */
    TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE = 20, /**< Weak algorithm, no proof of existence. */
    TSVC_SUB_NO_POE = 21,                           /**< No proof of existence. */
    TSVC_SUB_TRY_LATER = 22,                        /**< Revocation status not yet available. */
    TSVC_SUB_SIGNED_DATA_NOT_FOUND = 23             /**< The signed data is missing. */
} tsvc_subindication;

/**
 * @brief Name of an indication ("PASSED", "FAILED", "INDETERMINATE", "NONE").
 * @param ind an indication (unknown values give "UNKNOWN").
 * @return a static string.
 * @since 0.1
 */
TSVC_API const char *tsvc_indication_str(int ind);

/**
 * @brief ETSI name of a sub-indication ("NO_CERTIFICATE_CHAIN_FOUND", ...;
 *        "NONE" for ::TSVC_SUB_NONE).
 * @param sub a sub-indication (unknown values give "UNKNOWN").
 * @return a static string.
 * @since 0.1
 */
TSVC_API const char *tsvc_subindication_str(int sub);

/* ------------------------------------------------------------------ */
/* Policy                                                              */
/* ------------------------------------------------------------------ */

/** @brief Validation policy: what the caller requires of a chain. @since 0.1 */
typedef struct tsvc_policy tsvc_policy;

/**
 * @brief Validation profiles.
 * @since 0.1
 */
typedef enum tsvc_profile {
    /** RFC 5280 section 6.1 plus the policy's own requirements. The trust
     *  anchor's certificate, when the anchor has one, is also checked for
     *  validity and unknown critical extensions, and its nameConstraints
     *  and pathLenConstraint apply to the path (RFC 5937). */
    TSVC_PROFILE_GENERIC = 0,
    /** TLS server certificates (CA/Browser Forum baseline): the peer name
     *  must match a subjectAltName (RFC 6125; the subject CN is never used
     *  to match, but one that reads as an IP address or an
     *  internationalised name, or differs from a dNSName only in case, must
     *  be a copy of a subjectAltName entry), serverAuth is required when
     *  the leaf has an EKU extension and codeSigning, emailProtection,
     *  timeStamping, OCSPSigning, anyExtendedKeyUsage and the precertificate
     *  purpose are refused there, an intermediate's EKU, when present, must
     *  allow serverAuth, RSA keys have at least 2048 bits (a multiple of 8),
     *  SHA-1 signatures are refused below the anchor, and the RFC 5280
     *  profile rules on extensions are enforced. */
    TSVC_PROFILE_SERVER = 1,
    /** TLS client certificates: as the server profile with clientAuth
     *  instead of serverAuth (and no rule on the subject CN or on other
     *  purposes in the leaf). */
    TSVC_PROFILE_CLIENT = 2,
    /** S/MIME certificates (CA/Browser Forum S/MIME baseline): the common
     *  rules of the TLS profiles, with emailProtection as the purpose; the
     *  leaf must have extendedKeyUsage with emailProtection and without
     *  serverAuth, codeSigning, timeStamping or anyExtendedKeyUsage, a
     *  keyUsage without keyCertSign or cRLSign, and an rfc822Name in its
     *  subjectAltName; an intermediate's EKU, when present, must hold
     *  emailProtection and none of those purposes, and its keyUsage must
     *  assert keyCertSign and cRLSign.
     *  @since 0.1 */
    TSVC_PROFILE_SMIME = 3
} tsvc_profile;

/**
 * @brief Well-known extended key usages.
 * @since 0.1
 */
typedef enum tsvc_eku {
    TSVC_EKU_ANY = 0,              /**< anyExtendedKeyUsage 2.5.29.37.0. */
    TSVC_EKU_SERVER_AUTH = 1,      /**< id-kp-serverAuth 1.3.6.1.5.5.7.3.1. */
    TSVC_EKU_CLIENT_AUTH = 2,      /**< id-kp-clientAuth 1.3.6.1.5.5.7.3.2. */
    TSVC_EKU_CODE_SIGNING = 3,     /**< id-kp-codeSigning 1.3.6.1.5.5.7.3.3. */
    TSVC_EKU_EMAIL_PROTECTION = 4, /**< id-kp-emailProtection 1.3.6.1.5.5.7.3.4. */
    TSVC_EKU_TIME_STAMPING = 5,    /**< id-kp-timeStamping 1.3.6.1.5.5.7.3.8. */
    TSVC_EKU_OCSP_SIGNING = 6      /**< id-kp-OCSPSigning 1.3.6.1.5.5.7.3.9. */
} tsvc_eku;

/**
 * @brief Policy-processing flags (RFC 5280 section 6.1.1 inputs).
 * @since 0.1
 */
typedef enum tsvc_policy_flag {
    TSVC_POLICY_EXPLICIT = 0x1,        /**< initial-explicit-policy. */
    TSVC_POLICY_INHIBIT_MAPPING = 0x2, /**< initial-policy-mapping-inhibit. */
    TSVC_POLICY_INHIBIT_ANY = 0x4      /**< initial-any-policy-inhibit. */
} tsvc_policy_flag;

/**
 * @brief Kinds of peer names.
 * @since 0.1
 */
typedef enum tsvc_peer_kind {
    TSVC_PEER_DNS = 0,  /**< A DNS host name (A-labels; matched per RFC 6125). */
    TSVC_PEER_IP = 1,   /**< An IPv4 or IPv6 address in text form. */
    TSVC_PEER_EMAIL = 2 /**< An RFC 822 mailbox (local\@domain). */
} tsvc_peer_kind;

/**
 * @brief Creates a policy with the defaults: generic profile, validation at
 *        the context's clock, no KU/EKU requirement, initial policy set
 *        {anyPolicy}, no policy flags, no peer name, no depth limit other
 *        than the context's.
 * @param ctx the context whose allocator the policy uses (must outlive it).
 * @param[out] out receives the policy; release with tsvc_policy_free().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_new(tsvc_ctx *ctx, tsvc_policy **out, tsvc_error **err);

/**
 * @brief Takes one more reference to a policy.
 * @param policy a policy, or NULL.
 * @return @p policy; the caller owns the new reference.
 * @since 0.1
 */
TSVC_API tsvc_policy *tsvc_policy_ref(tsvc_policy *policy);

/**
 * @brief Releases one reference; the last one frees the policy.
 * @param policy a policy, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_policy_free(tsvc_policy *policy);

/*
 * Every setter below fails with TSVC_ERR_POLICY_FROZEN (-502) once the
 * policy has been used by tsvc_validate(), and with ::TSVC_ERR_INVALID_ARG
 * for a NULL policy or an out-of-range value.
 */

/**
 * @brief Sets the validation time.
 * @param policy an unfrozen policy.
 * @param when seconds since the Unix epoch (UTC).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_time(tsvc_policy *policy, int64_t when, tsvc_error **err);

/**
 * @brief Sets the profile.
 * @param policy an unfrozen policy.
 * @param profile a ::tsvc_profile value.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_profile(tsvc_policy *policy, tsvc_profile profile,
                                             tsvc_error **err);

/**
 * @brief Requires key usages of the leaf: each bit set in @p usages must be
 *        asserted by the leaf's keyUsage extension when it has one.
 * @param policy an unfrozen policy.
 * @param usages OR of ::tsvc_key_usage bits (trustsvc/x509.h; 0 clears the
 *        requirement).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_key_usage(tsvc_policy *policy, uint32_t usages,
                                               tsvc_error **err);

/**
 * @brief Adds a required extended key usage. Every EKU added is required:
 *        a leaf with an EKU extension must list each of them (or
 *        anyExtendedKeyUsage, except in the server and client profiles).
 * @param policy an unfrozen policy.
 * @param eku a ::tsvc_eku value.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_LIMIT_COUNT (more than 16 EKUs) or an error
 *         listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_add_eku(tsvc_policy *policy, tsvc_eku eku, tsvc_error **err);

/**
 * @brief Adds a required extended key usage given by its OID.
 * @param policy an unfrozen policy.
 * @param oid dotted OID text, e.g. "1.3.6.1.5.5.7.3.36" (copied).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_DER_OID for malformed text,
 *         ::TSVC_ERR_LIMIT_COUNT, or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_add_eku_oid(tsvc_policy *policy, const char *oid,
                                             tsvc_error **err);

/**
 * @brief Adds a policy OID to the user-initial-policy-set (RFC 5280
 *        section 6.1.1 (c)). While none is added the set is {anyPolicy}.
 * @param policy an unfrozen policy.
 * @param oid dotted OID text (copied).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_DER_OID, ::TSVC_ERR_LIMIT_COUNT (more than
 *         64 policies) or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_add_initial_policy(tsvc_policy *policy, const char *oid,
                                                    tsvc_error **err);

/**
 * @brief Sets the policy-processing flags.
 * @param policy an unfrozen policy.
 * @param flags OR of ::tsvc_policy_flag values.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_flags(tsvc_policy *policy, uint32_t flags,
                                           tsvc_error **err);

/**
 * @brief Adds a peer name the leaf must carry in its subjectAltName. Every
 *        name added must match (a TLS client gives one: the host it
 *        connected to). DNS names match per RFC 6125: case-insensitively,
 *        with a wildcard only as the whole left-most label of the SAN.
 * @param policy an unfrozen policy.
 * @param kind a ::tsvc_peer_kind value.
 * @param value the name as text (copied); IP addresses in dotted-quad or
 *        RFC 4291 text form.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, TSVC_ERR_PEER_NAME (-503) for a malformed name,
 *         ::TSVC_ERR_LIMIT_COUNT (more than 16 names) or an error listed
 *         above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_add_peer_name(tsvc_policy *policy, tsvc_peer_kind kind,
                                               const char *value, tsvc_error **err);

/**
 * @brief Limits the number of intermediate certificates between the leaf
 *        and the trust anchor; self-issued intermediates (key rollover) are
 *        not counted. The context's
 *        ::TSVC_LIMIT_CHAIN_DEPTH still bounds the whole path.
 * @param policy an unfrozen policy.
 * @param max_intermediates 0 .. 31.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_max_depth(tsvc_policy *policy, unsigned max_intermediates,
                                               tsvc_error **err);

struct tsvc_algorithm_policy;

/**
 * @brief Makes path validation check, at the validation time, the
 *        signature algorithm on every certificate of the path and every
 *        public key against an algorithm policy (see trustsvc/algpolicy.h).
 *        A refusal fails the path with ::TSVC_SUB_CRYPTO_CONSTRAINTS_FAILURE
 *        and a "crypto-constraints" check naming the rule. Without this
 *        call no algorithm policy applies to tsvc_validate().
 * @param policy an unfrozen policy.
 * @param algs the algorithm policy; a reference is taken (and the
 *        algorithm policy frozen); NULL removes it.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_POLICY_FROZEN.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_algorithm_policy(tsvc_policy *policy,
                                                      struct tsvc_algorithm_policy *algs,
                                                      tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Revocation checking                                                 */
/* ------------------------------------------------------------------ */

/**
 * @brief Whether and how strictly tsvc_validate() checks revocation.
 * @since 0.1
 */
typedef enum tsvc_revocation_mode {
    /** No revocation checking (the default). */
    TSVC_REVOCATION_NONE = 0,
    /** Revoked certificates fail; when no usable CRL or OCSP response is
     *  found, the chain still passes and the report says so. */
    TSVC_REVOCATION_SOFT_FAIL = 1,
    /** Revoked certificates fail; when no usable data is found the result
     *  is INDETERMINATE with TRY_LATER. */
    TSVC_REVOCATION_HARD_FAIL = 2
} tsvc_revocation_mode;

/**
 * @brief Which revocation source is tried first (or only).
 * @since 0.1
 */
typedef enum tsvc_revocation_source {
    TSVC_REVOCATION_OCSP_FIRST = 0, /**< OCSP, then CRLs (the default). */
    TSVC_REVOCATION_CRL_FIRST = 1,  /**< CRLs, then OCSP. */
    TSVC_REVOCATION_OCSP_ONLY = 2,  /**< OCSP responses only. */
    TSVC_REVOCATION_CRL_ONLY = 3    /**< CRLs only. */
} tsvc_revocation_source;

/**
 * @brief Whether revocation data may be fetched through the context's
 *        fetch callback (trustsvc/fetch.h): CRLs from the certificate's
 *        cRLDistributionPoints, OCSP from its authorityInfoAccess.
 * @since 0.1
 */
typedef enum tsvc_revocation_fetch {
    /** Only material given by the caller in the store (the default). */
    TSVC_REVOCATION_FETCH_NEVER = 0,
    /** The caller's material is enough when it answers; fetch otherwise. */
    TSVC_REVOCATION_FETCH_WHEN_MISSING = 1,
    /** Always fetch fresh data first; the caller's material is a fallback. */
    TSVC_REVOCATION_FETCH_ALWAYS = 2
} tsvc_revocation_fetch;

/**
 * @brief Revocation flags.
 * @since 0.1
 */
typedef enum tsvc_revocation_flag {
    /** Check the leaf only (default: every certificate but the trust anchor). */
    TSVC_REVOCATION_LEAF_ONLY = 0x1,
    /** The validation time is a proven time of use (proof of existence,
     *  e.g. a time-stamp): a certificate revoked at or before it gives
     *  FAILED/REVOKED. Without this flag it gives INDETERMINATE with
     *  REVOKED_NO_POE (leaf) or REVOKED_CA_NO_POE (a CA), as ETSI EN
     *  319 102-1 does when no proof of existence is known. */
    TSVC_REVOCATION_TIME_IS_POE = 0x2
} tsvc_revocation_flag;

/**
 * @brief Sets the revocation mode. Status is always evaluated at the
 *        validation time: a certificate revoked after it was good then.
 * @param policy an unfrozen policy.
 * @param mode a ::tsvc_revocation_mode value.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_revocation_mode(tsvc_policy *policy,
                                                     tsvc_revocation_mode mode,
                                                     tsvc_error **err);

/**
 * @brief Sets the preferred revocation source.
 * @param policy an unfrozen policy.
 * @param source a ::tsvc_revocation_source value.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_revocation_source(tsvc_policy *policy,
                                                       tsvc_revocation_source source,
                                                       tsvc_error **err);

/**
 * @brief Sets the freshness required of revocation data, relative to the
 *        validation time: a CRL or OCSP response is used only when its
 *        thisUpdate is not after the validation time + @p skew, its
 *        nextUpdate (when present) not before the validation time - @p skew,
 *        and (when @p max_age is not 0) its thisUpdate not older than
 *        @p max_age seconds before the validation time.
 * @param policy an unfrozen policy.
 * @param max_age seconds, 0 for no limit (the default); at most 10 years.
 * @param skew seconds, 0 .. 86400 (default 300).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_revocation_freshness(tsvc_policy *policy, int64_t max_age,
                                                          int64_t skew, tsvc_error **err);

/**
 * @brief Sets whether revocation data may be fetched.
 * @param policy an unfrozen policy.
 * @param fetch a ::tsvc_revocation_fetch value.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_revocation_fetch(tsvc_policy *policy,
                                                      tsvc_revocation_fetch fetch,
                                                      tsvc_error **err);

/**
 * @brief Sets the revocation flags.
 * @param policy an unfrozen policy.
 * @param flags OR of ::tsvc_revocation_flag values.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or an error listed above.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_policy_set_revocation_flags(tsvc_policy *policy, uint32_t flags,
                                                      tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

/** @brief The outcome of a validation, with every check made. @since 0.1 */
typedef struct tsvc_report tsvc_report;

/**
 * @brief Result of one check.
 * @since 0.1
 */
typedef enum tsvc_check_result {
    TSVC_CHECK_PASSED = 0,  /**< The check passed. */
    TSVC_CHECK_FAILED = 1,  /**< The check failed. */
    TSVC_CHECK_SKIPPED = 2, /**< The check was not applicable or not run. */
    TSVC_CHECK_INFO = 3     /**< A note, not a check (e.g. a candidate abandoned). */
} tsvc_check_result;

/**
 * @brief Name of a check result ("passed", "failed", "skipped", "info").
 * @param result a ::tsvc_check_result (unknown values give "unknown").
 * @return a static string.
 * @since 0.1
 */
TSVC_API const char *tsvc_check_result_str(int result);

/**
 * @brief Validates a certificate: builds a chain to a trust anchor of
 *        @p store and checks it against @p policy. Freezes @p store and
 *        @p policy.
 * @param ctx the context (backends, limits, clock).
 * @param[out] report receives the report, also when the chain does not
 *        validate; release with tsvc_report_free(). Left NULL on error.
 * @param leaf the certificate to validate (borrowed; the report keeps its
 *        own references to the chain's certificates).
 * @param store the trust anchors and intermediates.
 * @param policy the requirements, or NULL for the defaults.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK whenever validation ran, whatever its outcome;
 *         ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM or ::TSVC_ERR_CLOCK
 *         otherwise. Exceeded limits are reported in the report (see
 *         tsvc_report_status()).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_validate(tsvc_ctx *ctx, tsvc_report **report, const tsvc_cert *leaf,
                                   tsvc_store *store, tsvc_policy *policy, tsvc_error **err);

/**
 * @brief Releases a report and its references to certificates.
 * @param report a report, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_report_free(tsvc_report *report);

/**
 * @brief The main indication.
 * @param report a report, or NULL (gives ::TSVC_INDICATION_NONE).
 * @return the indication.
 * @since 0.1
 */
TSVC_API tsvc_indication tsvc_report_indication(const tsvc_report *report);

/**
 * @brief The sub-indication (::TSVC_SUB_NONE when PASSED).
 * @param report a report, or NULL.
 * @return the sub-indication.
 * @since 0.1
 */
TSVC_API tsvc_subindication tsvc_report_subindication(const tsvc_report *report);

/**
 * @brief The status that stopped the validation early, if any: a limit
 *        (::TSVC_ERR_LIMIT_CHAIN_DEPTH, ::TSVC_ERR_LIMIT_SIG_CHECKS,
 *        ::TSVC_ERR_LIMIT_PATH_ATTEMPTS, ::TSVC_ERR_LIMIT_NC_COMPARISONS)
 *        or a backend failure; ::TSVC_OK otherwise.
 * @param report a report, or NULL.
 * @return the status.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_report_status(const tsvc_report *report);

/**
 * @brief A one-line English explanation of the outcome.
 * @param report a report, or NULL (gives "").
 * @return a string borrowed from @p report.
 * @since 0.1
 */
TSVC_API const char *tsvc_report_reason(const tsvc_report *report);

/**
 * @brief The validation time used, in seconds since the Unix epoch.
 * @param report a report, or NULL (gives 0).
 * @return the time.
 * @since 0.1
 */
TSVC_API int64_t tsvc_report_time(const tsvc_report *report);

/**
 * @brief Number of certificates in the chain that was built: the leaf at
 *        index 0, the trust anchor's certificate last (absent for a bare-key
 *        anchor). For a chain that failed, the best candidate chain; 0 when
 *        none was built.
 * @param report a report, or NULL.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_report_chain_count(const tsvc_report *report);

/**
 * @brief A certificate of the chain.
 * @param report a report.
 * @param index 0 .. tsvc_report_chain_count() - 1.
 * @return the certificate, borrowed from @p report (take a reference to
 *         keep it longer); NULL when @p index is out of range.
 * @since 0.1
 */
TSVC_API const tsvc_cert *tsvc_report_chain_cert(const tsvc_report *report, size_t index);

/**
 * @brief Number of check entries. Entries form a tree (see
 *        tsvc_report_check_parent()) stored in the order they were made.
 * @param report a report, or NULL.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_report_num_checks(const tsvc_report *report);

/**
 * @brief Name of a check, e.g. "validity", "basic-constraints",
 *        "name-constraints", "signature", "peer-name".
 * @param report a report.
 * @param index 0 .. tsvc_report_num_checks() - 1.
 * @return a string borrowed from @p report; NULL when out of range.
 * @since 0.1
 */
TSVC_API const char *tsvc_report_check_name(const tsvc_report *report, size_t index);

/**
 * @brief Result of a check.
 * @param report a report.
 * @param index the entry.
 * @return the result (::TSVC_CHECK_SKIPPED when out of range).
 * @since 0.1
 */
TSVC_API tsvc_check_result tsvc_report_check_result(const tsvc_report *report, size_t index);

/**
 * @brief Message of a check (may be empty).
 * @param report a report.
 * @param index the entry.
 * @return a string borrowed from @p report; NULL when out of range.
 * @since 0.1
 */
TSVC_API const char *tsvc_report_check_message(const tsvc_report *report, size_t index);

/**
 * @brief The chain position a check is about.
 * @param report a report.
 * @param index the entry.
 * @return the index in the chain (0 = leaf), or -1 when the check is not
 *         about one certificate of the chain or @p index is out of range.
 * @since 0.1
 */
TSVC_API int tsvc_report_check_cert(const tsvc_report *report, size_t index);

/**
 * @brief The parent entry of a check in the tree of checks.
 * @param report a report.
 * @param index the entry.
 * @return the parent's index, or -1 for a top-level entry.
 * @since 0.1
 */
TSVC_API int tsvc_report_check_parent(const tsvc_report *report, size_t index);

/**
 * @brief Serialises a report as one JSON object (UTF-8; strings escaped):
 *        {"kind", "indication", "subindication", "status", "reason",
 *        "time", "chain": [{"subject", "issuer", "sha256"}...],
 *        "checks": [{"name", "result", "cert", "message", "checks": [...]}]}.
 * @param report the report.
 * @param[out] out receives the text, NUL-terminated (len excludes the NUL);
 *        release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG or ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_report_to_json(const tsvc_report *report, tsvc_buf *out,
                                         tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_VALIDATE_H */
