/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file verify.h
 * @brief Verifying CMS / CAdES B-B signatures and e-seals: tsvc_verify()
 *        for content in memory, or a verifier fed with streamed detached
 *        content, giving a signature report with one entry per signer.
 *
 * Per signer the report holds: the signing certificate (found through the
 * SignerIdentifier among the SignedData's certificates and the store, and
 * bound through signing-certificate-v2 / ESSCertIDv2), the message-digest
 * check, the signature check, the claimed signing time, the commitment
 * type, the algorithm-policy check, the path validation of the signing
 * certificate at the validation time (nested), for the seal profile the
 * sealing organisation, and the ETSI EN 319 102-1 indication and
 * sub-indication (FORMAT_FAILURE, HASH_FAILURE, SIG_CRYPTO_FAILURE,
 * NO_SIGNING_CERTIFICATE_FOUND, CRYPTO_CONSTRAINTS_FAILURE,
 * SIG_CONSTRAINTS_FAILURE for the seal profile, and those of the path).
 *
 * The order in which a signer's checks decide: format, signing
 * certificate, message digest, signature value, algorithm policy, path
 * validation, seal profile; the first that does not pass gives the
 * signer's indication.
 *
 * Path validation uses the store's anchors, intermediates, CRLs and OCSP
 * responses, the SignedData's certificates as untrusted intermediates, and
 * the caller's policy (validation time, revocation mode, source,
 * freshness and fetching). Signature time-stamps (B-T,
 * id-aa-signatureTimeStampToken) are verified: imprint over the
 * SignerInfo's signature value, TSA path at genTime under the same policy's
 * revocation settings (entries "signature-timestamp"); the earliest
 * verified genTime is the signer's best signature time
 * (tsvc_sig_report_signer_best_signature_time()). A malformed or tampered
 * signature time-stamp fails the signer. When the path fails at the
 * validation time only because a certificate has expired or was revoked
 * (EXPIRED, OUT_OF_BOUNDS_*, REVOKED, REVOKED_NO_POE, REVOKED_CA_NO_POE)
 * and a signature time-stamp proves an earlier time, the path is judged
 * again at that time with the rules of tsvc_ltv_verify() (revocation
 * evidence from the store and the signature, a revocation after genTime
 * does not count), under the policy's revocation mode: a certificate that
 * expired or was revoked after genTime does not fail the signature.
 * Archive time-stamps and embedded revocation values (B-LT, B-LTA) are the
 * business of tsvc_ltv_verify().
 *
 * Several signers: the overall indication is PASSED when there is at
 * least one signer and every signer PASSED; otherwise FAILED if any signer
 * FAILED, else INDETERMINATE; the overall sub-indication and reason are
 * those of the first signer that did not pass. A SignedData without
 * signers, or that cannot be decoded, is FAILED / FORMAT_FAILURE.
 *
 * Validation outcomes are data: the functions return ::TSVC_OK when the
 * verification ran, whatever it found.
 *
 * Thread safety: a verifier belongs to one thread at a time; reports are
 * immutable and may be read by many threads; the store and policies may be
 * shared.
 */
#ifndef TRUSTSVC_VERIFY_H
#define TRUSTSVC_VERIFY_H

#include "trustsvc/algpolicy.h"
#include "trustsvc/common.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Signature profile to verify against. @since 0.1 */
typedef enum tsvc_verify_profile {
    TSVC_VERIFY_SIGNATURE = 0, /**< Electronic signature (CAdES B-B). */
    TSVC_VERIFY_SEAL = 1       /**< E-seal: also the seal-certificate profile (see seal.h). */
} tsvc_verify_profile;

/**
 * @brief Verification options. Initialise with ::TSVC_VERIFY_OPTIONS_INIT
 *        or tsvc_verify_options_init().
 * @since 0.1
 */
typedef struct tsvc_verify_options {
    uint32_t version; /**< ::TSVC_VERIFY_OPTIONS_VERSION. */
    tsvc_verify_profile profile; /**< Signature or seal. */
    const tsvc_algorithm_policy *algorithm_policy; /**< NULL: the default policy (EdDSA refused). */
    uint32_t seal_key_usage; /**< Seal profile: TSVC_KU_* bits of which the certificate needs one; 0: nonRepudiation. */
} tsvc_verify_options;

/** @brief Current version of ::tsvc_verify_options. @since 0.1 */
#define TSVC_VERIFY_OPTIONS_VERSION 1
/** @brief Static initialiser of ::tsvc_verify_options. @since 0.1 */
#define TSVC_VERIFY_OPTIONS_INIT {TSVC_VERIFY_OPTIONS_VERSION, TSVC_VERIFY_SIGNATURE, NULL, 0}

/**
 * @brief Function twin of ::TSVC_VERIFY_OPTIONS_INIT.
 * @param opts the options to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_verify_options_init(tsvc_verify_options *opts);

/** @brief The result of verifying a SignedData (opaque, immutable). @since 0.1 */
typedef struct tsvc_sig_report tsvc_sig_report;

/** @brief A verification fed with streamed detached content (opaque). @since 0.1 */
typedef struct tsvc_verifier tsvc_verifier;

/**
 * @brief Verifies a CMS signature.
 * @param ctx the context.
 * @param[out] report receives the report; release with tsvc_sig_report_free().
 * @param cms the ContentInfo/SignedData (DER, or BER on the outer layers).
 * @param cms_len its length.
 * @param content the detached content, or NULL when it is embedded.
 * @param content_len its length.
 * @param store trust anchors, intermediates, CRLs and OCSP responses for
 *        path validation (see the file comment).
 * @param policy path-validation policy (validation time, revocation
 *        settings, ...), or NULL (the current time, no revocation checks).
 * @param opts options, or NULL.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK when the verification ran (see the report);
 *         ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION,
 *         ::TSVC_ERR_CMS_NO_CONTENT (content both embedded and given),
 *         ::TSVC_ERR_CLOCK, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_verify(tsvc_ctx *ctx, tsvc_sig_report **report, const uint8_t *cms,
                                 size_t cms_len, const uint8_t *content, size_t content_len,
                                 tsvc_store *store, tsvc_policy *policy,
                                 const tsvc_verify_options *opts, tsvc_error **err);

/**
 * @brief Starts a verification whose detached content is streamed.
 * @param ctx the context.
 * @param[out] out receives the verifier; release with tsvc_verifier_free().
 * @param cms the SignedData (copied).
 * @param cms_len its length.
 * @param store the store (a reference is taken).
 * @param policy the policy or NULL (a reference is taken).
 * @param opts options or NULL (copied).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK (also when the SignedData is malformed: the report
 *         will say so), ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION,
 *         ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_verifier_new(tsvc_ctx *ctx, tsvc_verifier **out, const uint8_t *cms,
                                       size_t cms_len, tsvc_store *store, tsvc_policy *policy,
                                       const tsvc_verify_options *opts, tsvc_error **err);

/**
 * @brief Feeds detached content (hashed as it comes; nothing is kept).
 * @param v the verifier.
 * @param data bytes.
 * @param len their number.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_STATE (after finish), a hash error.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_verifier_update(tsvc_verifier *v, const void *data, size_t len,
                                          tsvc_error **err);

/**
 * @brief Completes the verification.
 * @param v the verifier.
 * @param[out] report receives the report (caller owns).
 * @param[out] err optional error detail.
 * @return as tsvc_verify().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_verifier_finish(tsvc_verifier *v, tsvc_sig_report **report,
                                          tsvc_error **err);

/**
 * @brief Releases a verifier.
 * @param v a verifier, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_verifier_free(tsvc_verifier *v);

/**
 * @brief Releases a report.
 * @param r a report, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_sig_report_free(tsvc_sig_report *r);

/**
 * @brief Overall indication (see the file comment for how signers combine).
 * @param r the report.
 * @return the indication; ::TSVC_INDICATION_NONE for NULL.
 * @since 0.1
 */
TSVC_API tsvc_indication tsvc_sig_report_indication(const tsvc_sig_report *r);

/**
 * @brief Overall sub-indication.
 * @param r the report.
 * @return the sub-indication; ::TSVC_SUB_NONE when PASSED.
 * @since 0.1
 */
TSVC_API tsvc_subindication tsvc_sig_report_subindication(const tsvc_sig_report *r);

/**
 * @brief Overall reason (empty when PASSED).
 * @param r the report.
 * @return a string borrowed from @p r.
 * @since 0.1
 */
TSVC_API const char *tsvc_sig_report_reason(const tsvc_sig_report *r);

/**
 * @brief The validation time used.
 * @param r the report.
 * @return seconds since the epoch.
 * @since 0.1
 */
TSVC_API int64_t tsvc_sig_report_time(const tsvc_sig_report *r);

/**
 * @brief Number of signers (SignerInfos) reported.
 * @param r the report.
 * @return the count.
 * @since 0.1
 */
TSVC_API size_t tsvc_sig_report_num_signers(const tsvc_sig_report *r);

/**
 * @brief A signer's indication.
 * @param r the report.
 * @param i signer index (SignerInfo order).
 * @return the indication; ::TSVC_INDICATION_NONE when out of range.
 * @since 0.1
 */
TSVC_API tsvc_indication tsvc_sig_report_signer_indication(const tsvc_sig_report *r, size_t i);

/**
 * @brief A signer's sub-indication.
 * @param r the report.
 * @param i signer index.
 * @return the sub-indication.
 * @since 0.1
 */
TSVC_API tsvc_subindication tsvc_sig_report_signer_subindication(const tsvc_sig_report *r,
                                                                 size_t i);

/**
 * @brief A signer's reason (empty when PASSED).
 * @param r the report.
 * @param i signer index.
 * @return a string borrowed from @p r ("" when out of range).
 * @since 0.1
 */
TSVC_API const char *tsvc_sig_report_signer_reason(const tsvc_sig_report *r, size_t i);

/**
 * @brief A signer's signing certificate, when it was found.
 * @param r the report.
 * @param i signer index.
 * @return a certificate borrowed from @p r, or NULL.
 * @since 0.1
 */
TSVC_API const tsvc_cert *tsvc_sig_report_signer_cert(const tsvc_sig_report *r, size_t i);

/**
 * @brief A signer's claimed signing time (signing-time attribute).
 * @param r the report.
 * @param i signer index.
 * @param[out] when receives the time.
 * @return 1 when present, 0 otherwise.
 * @since 0.1
 */
TSVC_API int tsvc_sig_report_signer_signing_time(const tsvc_sig_report *r, size_t i,
                                                 int64_t *when);

/**
 * @brief A signer's commitment type (dotted OID), if indicated.
 * @param r the report.
 * @param i signer index.
 * @return a string borrowed from @p r, or NULL.
 * @since 0.1
 */
TSVC_API const char *tsvc_sig_report_signer_commitment_type(const tsvc_sig_report *r, size_t i);

/**
 * @brief The organisation named by a signer's certificate
 *        (organizationName), when there is one.
 * @param r the report.
 * @param i signer index.
 * @return a UTF-8 string borrowed from @p r, or NULL.
 * @since 0.1
 */
TSVC_API const char *tsvc_sig_report_signer_organization(const tsvc_sig_report *r, size_t i);

/**
 * @brief The organizationIdentifier of a signer's certificate (e.g.
 *        "NTRJP-7000012050002"), when there is one.
 * @param r the report.
 * @param i signer index.
 * @return a string borrowed from @p r, or NULL.
 * @since 0.1
 */
TSVC_API const char *tsvc_sig_report_signer_organization_id(const tsvc_sig_report *r, size_t i);

/**
 * @brief A signer's checks, as a certificate-validation style report
 *        whose entries include the nested path validation.
 * @param r the report.
 * @param i signer index.
 * @return a report borrowed from @p r, or NULL when out of range.
 * @since 0.1
 */
TSVC_API const tsvc_report *tsvc_sig_report_signer_checks(const tsvc_sig_report *r, size_t i);

/**
 * @brief Number of certificates of a signer's validated path (leaf first,
 *        trust anchor last), as path validation built it at the validation
 *        time; 0 when the path was not built. The same certificates start
 *        the chain of tsvc_sig_report_signer_checks() (whose chain may go on
 *        with the certificates of the time-stamp authorities).
 * @param r the report.
 * @param i signer index.
 * @return the count, 0 when out of range.
 * @since 0.1
 */
TSVC_API size_t tsvc_sig_report_signer_chain_count(const tsvc_sig_report *r, size_t i);

/**
 * @brief A certificate of a signer's validated path.
 * @param r the report.
 * @param i signer index.
 * @param k position in the path: 0 the signer's certificate, count - 1 the
 *        trust anchor.
 * @return a certificate borrowed from @p r, or NULL when out of range.
 * @since 0.1
 */
TSVC_API const tsvc_cert *tsvc_sig_report_signer_chain_cert(const tsvc_sig_report *r, size_t i,
                                                            size_t k);

/**
 * @brief A signer's best signature time: the earliest genTime of its
 *        signature time-stamps that verified (not after the validation
 *        time).
 * @param r the report.
 * @param i signer index.
 * @param[out] when receives the time (may be NULL).
 * @return 1 when the signer has a verified signature time-stamp, else 0.
 * @since 0.1
 */
TSVC_API int tsvc_sig_report_signer_best_signature_time(const tsvc_sig_report *r, size_t i,
                                                        int64_t *when);

/**
 * @brief Writes the report as JSON (UTF-8, NUL-terminated; len excludes the NUL).
 * @param r the report.
 * @param[out] out receives the text (caller owns).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_sig_report_to_json(const tsvc_sig_report *r, tsvc_buf *out,
                                             tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_VERIFY_H */
