/*
 * SPDX-License-Identifier: Apache-2.0
 * Small CMS helpers the time-stamp layer needs beside the CMS layer's
 * decoder and encoders: the signature parameters of a SignerInfo
 * (rsaEncryption with the digest algorithm, as OpenSSL writes it),
 * verification of a SignerInfo's signature over its signed attributes,
 * and the ESS signing-certificate attributes (RFC 2634 ESSCertID and
 * RFC 5816 ESSCertIDv2): encoding one and checking that the first entry
 * names a certificate.
 *
 * Thread safety: reentrant; no global state.
 */
#ifndef TSVC_CMS_TST_H
#define TSVC_CMS_TST_H

#include <stdbool.h>

#include "cms/cms.h"
#include "x509/x509.h"

/**
 * Signature parameters of @p si: its signatureAlgorithm, where
 * rsaEncryption means PKCS#1 v1.5 with the SignerInfo's digestAlgorithm.
 * TSVC_ERR_ALGORITHM when unknown.
 */
tsvc_status tsvc__cms_signer_sig_params(const tsvc__cms_signer *si, tsvc__sig_params *out,
                                        tsvc_error **err);

/**
 * Verifies the signature of @p si over its signed attributes with @p pub.
 * TSVC_OK, TSVC_ERR_SIGNATURE_INVALID, TSVC_ERR_ALGORITHM,
 * TSVC_ERR_KEY_MISMATCH, TSVC_ERR_CMS_ATTRIBUTE (no signed attributes).
 */
tsvc_status tsvc__cms_signer_verify_sig(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                        const tsvc_pubkey *pub, tsvc_error **err);

/**
 * Appends a SigningCertificateV2 value holding one ESSCertIDv2 for
 * @p cert: hashAlgorithm (left out for SHA-256, its DEFAULT), certHash
 * and issuerSerial.
 */
tsvc_status tsvc__cms_ess_cert_v2_encode(const tsvc_ctx *ctx, tsvc__cbb *cbb, tsvc_hash_alg hash,
                                         const tsvc_cert *cert, tsvc_error **err);

/** Outcome of tsvc__cms_ess_check(). */
typedef enum tsvc__ess_result {
    TSVC__ESS_ABSENT = 0,   /* neither signingCertificate nor signingCertificateV2 */
    TSVC__ESS_MATCH = 1,    /* the first ESSCertID(v2) names the certificate */
    TSVC__ESS_MISMATCH = 2, /* it names another certificate */
    TSVC__ESS_MALFORMED = 3 /* malformed, duplicated or with an unknown hash */
} tsvc__ess_result;

/**
 * Checks the signed signingCertificate (ESSCertID, SHA-1) or
 * signingCertificateV2 (ESSCertIDv2) attribute of @p si against @p cert:
 * the first entry's hash over the certificate, and its issuerSerial when
 * present. *v2 (may be NULL) tells which attribute was seen. Errors are
 * only backend failures; the outcome is in *result.
 */
tsvc_status tsvc__cms_ess_check(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                const tsvc_cert *cert, tsvc__ess_result *result, bool *v2,
                                tsvc_error **err);

#endif /* TSVC_CMS_TST_H */
