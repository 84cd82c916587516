/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file seal.h
 * @brief Electronic seals: signing with an organisation's seal certificate
 *        under the e-seal profile, and reading what identifies the
 *        organisation (organizationName, organizationIdentifier in ETSI EN
 *        319 412-1 form such as "NTRJP-" + a 13-digit Japanese corporate
 *        number, QC statements).
 *
 * The seal profile requires of the certificate: organizationName and
 * organizationIdentifier in the subject; a well-formed identifier (for
 * NTRJP the corporate number's check digit, 平成26年財務省令第70号 第2条);
 * a keyUsage with one of the configured bits (default nonRepudiation /
 * contentCommitment); no natural-person attributes (givenName, surname,
 * pseudonym) and no QC statements that say natural person or QcType esign.
 * QC statements, when present, are read and reported (QcCompliance, QcSSCD,
 * QcType eseal 0.4.0.1862.1.6.2, semantics identifier legal person
 * 0.4.0.194121.1.2).
 *
 * Verification of seals: tsvc_verify() with ::TSVC_VERIFY_SEAL (verify.h).
 *
 * Thread safety: all functions are reentrant; nothing is shared.
 */
#ifndef TRUSTSVC_SEAL_H
#define TRUSTSVC_SEAL_H

#include "trustsvc/common.h"
#include "trustsvc/sign.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief QC statement facts of a certificate (bit mask). @since 0.1 */
typedef enum tsvc_qc_flag {
    TSVC_QC_PRESENT = 0x01,        /**< A qcStatements extension is present. */
    TSVC_QC_COMPLIANCE = 0x02,     /**< QcCompliance (0.4.0.1862.1.1). */
    TSVC_QC_SSCD = 0x04,           /**< QcSSCD (0.4.0.1862.1.4). */
    TSVC_QC_TYPE_ESIGN = 0x08,     /**< QcType esign (0.4.0.1862.1.6.1). */
    TSVC_QC_TYPE_ESEAL = 0x10,     /**< QcType eseal (0.4.0.1862.1.6.2). */
    TSVC_QC_TYPE_WEB = 0x20,       /**< QcType web (0.4.0.1862.1.6.3). */
    TSVC_QC_NATURAL_PERSON = 0x40, /**< Semantics id-etsi-qcs-semanticsId-Natural (0.4.0.194121.1.1). */
    TSVC_QC_LEGAL_PERSON = 0x80    /**< Semantics id-etsi-qcs-semanticsId-Legal (0.4.0.194121.1.2). */
} tsvc_qc_flag;

/**
 * @brief Checks a Japanese corporate number (法人番号): 13 ASCII digits,
 *        the first being the check digit 9 - (sum of P(n) * Q(n), n = 1..12,
 *        mod 9), P(n) the n-th base digit counted from the right, Q(n) 1
 *        for odd n and 2 for even n.
 * @param number the text.
 * @param len its length (must be 13).
 * @return 1 when valid, 0 otherwise.
 * @since 0.1
 */
TSVC_API int tsvc_corporate_number_valid(const char *number, size_t len);

/**
 * @brief Checks an organizationIdentifier value in ETSI EN 319 412-1 form:
 *        three letters of type (VAT, NTR, PSD, LEI, or two letters and a
 *        colon for national schemes), two letters of country, '-', the
 *        identifier. For NTRJP the identifier must be a valid corporate
 *        number.
 * @param id the text.
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_ORG_IDENTIFIER.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_org_identifier_check(const char *id, size_t len, tsvc_error **err);

/**
 * @brief The organisation attributes of a certificate's subject.
 * @param cert the certificate.
 * @param[out] name receives organizationName (UTF-8, NUL-terminated), or
 *        stays empty; may be NULL.
 * @param[out] identifier receives organizationIdentifier, or stays empty;
 *        may be NULL.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NAME, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_cert_organization(const tsvc_cert *cert, tsvc_buf *name,
                                            tsvc_buf *identifier, tsvc_error **err);

/**
 * @brief The QC statement facts of a certificate.
 * @param cert the certificate.
 * @return a mask of ::tsvc_qc_flag (0 when there is no qcStatements
 *         extension or it is malformed: then only ::TSVC_QC_PRESENT).
 * @since 0.1
 */
TSVC_API uint32_t tsvc_cert_qc_flags(const tsvc_cert *cert);

/**
 * @brief Checks a certificate against the seal profile (see the file comment).
 * @param cert the certificate.
 * @param key_usage TSVC_KU_* bits of which the certificate needs at least
 *        one; 0 means ::TSVC_KU_NON_REPUDIATION.
 * @param[out] err optional error detail: the message gives the reason.
 * @return ::TSVC_OK, ::TSVC_ERR_SEAL_CERT, ::TSVC_ERR_ORG_IDENTIFIER,
 *         ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_seal_check_cert(const tsvc_cert *cert, uint32_t key_usage,
                                          tsvc_error **err);

/**
 * @brief Creates a signer under the seal profile: tsvc_signer_new() after
 *        tsvc_seal_check_cert().
 *
 * The signer's label (shown to the seal key's activation callback) is
 * "e-seal" until tsvc_signer_set_label() changes it. A sealing policy's
 * key requirements (for example a seal key held in an actively certified
 * HSM) are set with tsvc_signer_set_key_requirements() and checked before
 * the key seals; tsvc_signer_evidence() gives the evidence afterwards.
 * @param ctx the context.
 * @param[out] out receives the signer.
 * @param key the seal key (borrowed), or NULL for the external flow.
 * @param cert the seal certificate (a reference is taken).
 * @param opts signing options, or NULL.
 * @param key_usage as in tsvc_seal_check_cert().
 * @param[out] err optional error detail.
 * @return ::TSVC_ERR_SEAL_CERT / ::TSVC_ERR_ORG_IDENTIFIER with the reason
 *         when the certificate is not a seal certificate (e.g. a personal
 *         certificate); otherwise as tsvc_signer_new().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_sealer_new(tsvc_ctx *ctx, tsvc_signer **out, const tsvc_key *key,
                                     tsvc_cert *cert, const tsvc_signer_options *opts,
                                     uint32_t key_usage, tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_SEAL_H */
