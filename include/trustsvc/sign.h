/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file sign.h
 * @brief Creating CAdES B-B signatures (CMS SignedData, RFC 5652 / ETSI EN
 *        319 122-1): a signer made from a key and its certificate, options,
 *        content streamed through tsvc_signer_update(), and
 *        tsvc_signer_finish(). Also the two-step external flow (remote
 *        signing services, PDF): get the data to be signed, obtain the
 *        signature elsewhere, inject it; and signing a digest the caller
 *        computed (the PDF byte-range case).
 *
 * Every signature carries the signed attributes content-type,
 * message-digest, signing-time and signing-certificate-v2 (ESSCertIDv2,
 * SHA-256), sorted as a DER SET OF; commitment-type-indication,
 * signer-location and signature-policy-identifier when asked for.
 *
 * Memory: detached signatures keep only the running digest, so content of
 * any size streams in constant memory. Attached (enveloping) signatures
 * hold the content until tsvc_signer_finish(), bounded by the context's
 * ::TSVC_LIMIT_INPUT_SIZE.
 *
 * Thread safety: a signer belongs to one thread at a time. The key,
 * certificates and algorithm policy it uses may be shared.
 */
#ifndef TRUSTSVC_SIGN_H
#define TRUSTSVC_SIGN_H

#include "trustsvc/algpolicy.h"
#include "trustsvc/common.h"
#include "trustsvc/crypto.h"
#include "trustsvc/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A signature being made (opaque). @since 0.1 */
typedef struct tsvc_signer tsvc_signer;

/** @brief How the SignerInfo names the signer's certificate. @since 0.1 */
typedef enum tsvc_signer_id {
    TSVC_SIGNER_ID_ISSUER_SERIAL = 0, /**< issuerAndSerialNumber (SignerInfo version 1). */
    TSVC_SIGNER_ID_SKI = 1            /**< subjectKeyIdentifier (SignerInfo version 3). */
} tsvc_signer_id;

/** @brief Which certificates go into the SignedData. @since 0.1 */
typedef enum tsvc_sign_certs {
    TSVC_SIGN_CERTS_CHAIN = 0,  /**< The signer's certificate and the chain given (default). */
    TSVC_SIGN_CERTS_SIGNER = 1, /**< The signer's certificate only. */
    TSVC_SIGN_CERTS_NONE = 2    /**< No certificates. */
} tsvc_sign_certs;

/**
 * @brief Options of a signer. Initialise with ::TSVC_SIGNER_OPTIONS_INIT or
 *        tsvc_signer_options_init(); strings and bytes are copied by
 *        tsvc_signer_new().
 * @since 0.1
 */
typedef struct tsvc_signer_options {
    uint32_t version;      /**< ::TSVC_SIGNER_OPTIONS_VERSION. */
    tsvc_hash_alg digest;  /**< Message digest: SHA-256 (default when NONE), SHA-384, SHA-512; Ed25519 always uses SHA-512. */
    tsvc_sig_scheme scheme; /**< ::TSVC_SIG_NONE: by key (RSA PKCS#1 v1.5, ECDSA, Ed25519); or ::TSVC_SIG_RSA_PSS. */
    int detached;          /**< Non-zero: the content is not embedded. */
    tsvc_signer_id signer_id; /**< How the signer is identified. */
    tsvc_sign_certs certs; /**< Certificates to embed. */
    int64_t signing_time;  /**< Claimed signing time (seconds since the epoch); 0: the context's clock. */
    const char *content_type; /**< eContentType as a dotted OID; NULL: id-data. */
    const char *commitment_type; /**< commitment-type-indication OID (e.g. "1.2.840.113549.1.9.16.6.1" proof of origin); NULL: none. */
    const char *location_country; /**< signer-location countryName (UTF-8); NULL: none. */
    const char *location_locality; /**< signer-location localityName (UTF-8); NULL: none. */
    const char *policy_oid; /**< signature-policy-identifier OID; NULL: none (implied policy). */
    tsvc_hash_alg policy_hash_alg; /**< Hash of the policy document (with @c policy_hash). */
    const uint8_t *policy_hash; /**< sigPolicyHash value. */
    size_t policy_hash_len; /**< Length of @c policy_hash. */
    const tsvc_algorithm_policy *algorithm_policy; /**< Checked at the signing time; NULL: the default policy. */
} tsvc_signer_options;

/** @brief Current version of ::tsvc_signer_options. @since 0.1 */
#define TSVC_SIGNER_OPTIONS_VERSION 1
/** @brief Static initialiser of ::tsvc_signer_options. @since 0.1 */
#define TSVC_SIGNER_OPTIONS_INIT                                                              \
    {TSVC_SIGNER_OPTIONS_VERSION, TSVC_HASH_SHA256, TSVC_SIG_NONE, 0,                         \
     TSVC_SIGNER_ID_ISSUER_SERIAL, TSVC_SIGN_CERTS_CHAIN, 0, NULL, NULL, NULL, NULL, NULL,  \
     TSVC_HASH_NONE, NULL, 0, NULL}

/**
 * @brief Function twin of ::TSVC_SIGNER_OPTIONS_INIT.
 * @param opts the options to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_signer_options_init(tsvc_signer_options *opts);

/**
 * @brief Creates a signer.
 * @param ctx the context; must outlive the signer.
 * @param[out] out receives the signer; release with tsvc_signer_free().
 * @param key the private key (borrowed: it must outlive the signer), or
 *        NULL for the external flow (tsvc_signer_set_signature()).
 * @param cert the signer's certificate (a reference is taken). Its public
 *        key must match @p key.
 * @param opts options, or NULL for the defaults.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_BAD_VERSION,
 *         ::TSVC_ERR_SIGNER_CERT (key and certificate differ, or no SKI for
 *         ::TSVC_SIGNER_ID_SKI), ::TSVC_ERR_ALGORITHM_POLICY (refused at the
 *         signing time; the error's check names the rule), ::TSVC_ERR_CLOCK,
 *         ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_new(tsvc_ctx *ctx, tsvc_signer **out, const tsvc_key *key,
                                     tsvc_cert *cert, const tsvc_signer_options *opts,
                                     tsvc_error **err);

/**
 * @brief Adds a chain certificate to embed (issuer first or not: order is kept).
 * @param signer the signer (before any content).
 * @param cert a certificate (a reference is taken).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_SIGNER_STATE,
 *         ::TSVC_ERR_LIMIT_COUNT (more than 16).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_add_cert(tsvc_signer *signer, tsvc_cert *cert,
                                          tsvc_error **err);

/**
 * @brief Feeds content. May be called any number of times.
 * @param signer the signer.
 * @param data content bytes (borrowed for the call).
 * @param len number of bytes.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_SIGNER_STATE (after a digest was set or
 *         the data to be signed was taken), ::TSVC_ERR_LIMIT_INPUT_SIZE
 *         (attached content above the context's limit), a hash error.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_update(tsvc_signer *signer, const void *data, size_t len,
                                        tsvc_error **err);

/**
 * @brief Gives the message digest of the content directly, instead of
 *        tsvc_signer_update() (PDF byte ranges). The signature is then
 *        detached whatever the options say.
 * @param signer the signer (no content fed).
 * @param digest the digest with the options' digest algorithm.
 * @param digest_len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG (wrong length),
 *         ::TSVC_ERR_SIGNER_STATE.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_set_digest(tsvc_signer *signer, const uint8_t *digest,
                                            size_t digest_len, tsvc_error **err);

/**
 * @brief External flow, step 1: the DER signed attributes (the bytes the
 *        signature covers). Ends the content.
 * @param signer the signer.
 * @param[out] out receives the bytes (caller owns; tsvc_buf_dispose()).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_SIGNER_STATE, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_data_to_sign(tsvc_signer *signer, tsvc_buf *out,
                                              tsvc_error **err);

/**
 * @brief External flow, step 1 for services that sign a hash: the digest
 *        of the data to be signed, with the hash of the signature scheme.
 * @param signer the signer.
 * @param[out] out receives the digest (caller owns).
 * @param[out] hash receives the hash function (may be NULL).
 * @param[out] err optional error detail.
 * @return as tsvc_signer_data_to_sign(); ::TSVC_ERR_UNSUPPORTED for Ed25519.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_digest_to_sign(tsvc_signer *signer, tsvc_buf *out,
                                                tsvc_hash_alg *hash, tsvc_error **err);

/**
 * @brief External flow, step 2: injects the signature value made
 *        elsewhere (ECDSA in DER form). It is verified with the
 *        certificate's public key before it is accepted.
 * @param signer the signer (after step 1).
 * @param sig the signature value.
 * @param sig_len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_SIGNER_STATE, ::TSVC_ERR_SIGNATURE_INVALID,
 *         ::TSVC_ERR_KEY_ASSURANCE (key requirements that demand anything
 *         are set: see tsvc_signer_set_key_requirements()).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_set_signature(tsvc_signer *signer, const uint8_t *sig,
                                               size_t sig_len, tsvc_error **err);

/**
 * @brief Signs (unless a signature was injected) and writes the
 *        ContentInfo/SignedData (DER).
 * @param signer the signer; afterwards only tsvc_signer_free() is allowed.
 * @param[out] out receives the CMS bytes (caller owns).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_SIGNER_STATE (no key and no injected
 *         signature), ::TSVC_ERR_KEY_ASSURANCE (the key does not meet the
 *         requirements set with tsvc_signer_set_key_requirements()),
 *         ::TSVC_ERR_ACTIVATION_REFUSED (the key's activation callback
 *         refused), another signing error, ::TSVC_ERR_NOMEM. When the key
 *         did not sign, nothing is written to @p out and the signer stays
 *         where it was: finish may be called again (the callback is asked
 *         again).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_finish(tsvc_signer *signer, tsvc_buf *out, tsvc_error **err);

/**
 * @brief Releases a signer (wiping its buffers).
 * @param signer a signer, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_signer_free(tsvc_signer *signer);

/**
 * @brief One-shot convenience: signs @p data with default options.
 * @param ctx the context.
 * @param[out] out receives the CMS bytes (caller owns).
 * @param key the private key.
 * @param cert the signer's certificate.
 * @param data the content.
 * @param len its length.
 * @param opts options, or NULL.
 * @param[out] err optional error detail.
 * @return as tsvc_signer_new() and tsvc_signer_finish().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_sign(tsvc_ctx *ctx, tsvc_buf *out, const tsvc_key *key, tsvc_cert *cert,
                               const void *data, size_t len, const tsvc_signer_options *opts,
                               tsvc_error **err);

/**
 * @brief Sets the label of the signature: the caller's description of
 *        what is signed (e.g. "contract 2026-0042"). The key's activation
 *        callback sees it (tsvc_activation_request_label()) and the
 *        evidence carries it (tsvc_sign_evidence_label()). It is not part
 *        of the signature. Without one the label is "cades" (a signer
 *        made by tsvc_sealer_new(): "e-seal").
 * @param signer the signer (before the signature is made).
 * @param label NUL-terminated UTF-8 (copied), or NULL for the default.
 *        Shown to the approver and written to audit logs: no secrets.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_SIGNER_STATE
 *         (the signature is already made), ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_set_label(tsvc_signer *signer, const char *label,
                                           tsvc_error **err);

/**
 * @brief Sets the assurance the signer's key must have (a signing or
 *        sealing policy: HSM-held, non-extractable, on an actively
 *        certified token, guarded by an activation callback). The key is
 *        checked with tsvc_key_check_requirements() now and again in
 *        tsvc_signer_finish() before it signs. The requirements stay set
 *        even when the key falls short, so such a signer never signs; an
 *        injected signature (tsvc_signer_set_signature()) is refused while
 *        requirements that demand anything are set, since it carries no
 *        key assurance.
 * @param signer the signer (before the signature is made).
 * @param req the requirements (copied; @c version must be
 *        ::TSVC_KEY_REQUIREMENTS_VERSION), or NULL to remove them.
 * @param[out] err optional error detail: the message and check name the
 *        first requirement the key does not meet.
 * @return ::TSVC_OK, ::TSVC_ERR_KEY_ASSURANCE (the key falls short, or the
 *         signer has no key and @p req demands anything),
 *         ::TSVC_ERR_BAD_VERSION, ::TSVC_ERR_INVALID_ARG,
 *         ::TSVC_ERR_SIGNER_STATE (the signature is already made).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_signer_set_key_requirements(tsvc_signer *signer,
                                                      const tsvc_key_requirements *req,
                                                      tsvc_error **err);

/**
 * @brief The evidence of the signature the signer's key made: the
 *        activation callback's approval and evidence string, the label,
 *        and the key's assurance (storage, token, sensitivity,
 *        certification status); tsvc_sign_evidence_to_json() gives it as
 *        JSON for a report or an audit log.
 * @param signer the signer, or NULL.
 * @return the evidence, borrowed from @p signer (valid until
 *         tsvc_signer_free()); NULL before the key has signed (that is,
 *         before a successful tsvc_signer_finish()), when the signature
 *         was injected, or for NULL.
 * @since 0.1
 */
TSVC_API const tsvc_sign_evidence *tsvc_signer_evidence(const tsvc_signer *signer);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_SIGN_H */
