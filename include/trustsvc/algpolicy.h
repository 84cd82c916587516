/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file algpolicy.h
 * @brief Algorithm policy: which signature schemes, hash functions and key
 *        sizes are acceptable at a given time, in the manner of ETSI TS
 *        119 312. Signature verification (tsvc_verify()), signing
 *        (tsvc_signer_new()) and, when set on a ::tsvc_policy, certificate
 *        path validation consult it at the validation time; a refusal
 *        names the rule that refused.
 *
 * The built-in rules of ::TSVC_ALGPOL_DEFAULT:
 * | rule            | refuses                                    |
 * |-----------------|--------------------------------------------|
 * | hash.sha1       | SHA-1 from 2012-08-01T00:00:00Z            |
 * | key.rsa.1024    | RSA keys below 1024 bits, always           |
 * | key.rsa.2048    | RSA keys below 2048 bits, always           |
 * | key.ec.256      | EC keys below 256 bits (P-224) from 2021-10-01 |
 * | scheme.eddsa    | Ed25519, always (not on the ETSI / Japanese lists) |
 * ::TSVC_ALGPOL_IOT has the same rules without scheme.eddsa.
 *
 * Thread safety: a policy is configured by one thread; once it has been
 * used (by a signer, a verification or a ::tsvc_policy) it is frozen and
 * may be shared, read-only, by any number of threads. Reference-counted.
 */
#ifndef TRUSTSVC_ALGPOLICY_H
#define TRUSTSVC_ALGPOLICY_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief An algorithm policy (opaque, reference-counted). @since 0.1 */
typedef struct tsvc_algorithm_policy tsvc_algorithm_policy;

/** @brief Starting rule sets. @since 0.1 */
typedef enum tsvc_algpol_preset {
    TSVC_ALGPOL_DEFAULT = 0, /**< ETSI TS 119 312 style; EdDSA refused (signatures and seals). */
    TSVC_ALGPOL_IOT = 1,     /**< As the default, with Ed25519 accepted (IoT / permissive). */
    TSVC_ALGPOL_EMPTY = 2    /**< No rules: everything the backends can verify is accepted. */
} tsvc_algpol_preset;

/** @brief Key families that size rules apply to. @since 0.1 */
typedef enum tsvc_algpol_key {
    TSVC_ALGPOL_KEY_RSA = 1, /**< RSA (modulus size). */
    TSVC_ALGPOL_KEY_EC = 2   /**< Elliptic-curve keys (field size of the curve). */
} tsvc_algpol_key;

/**
 * @brief Creates an algorithm policy from a preset.
 * @param ctx the context (allocator); must outlive the policy.
 * @param[out] out receives the policy; release with tsvc_algorithm_policy_free().
 * @param preset the starting rules.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_algorithm_policy_new(tsvc_ctx *ctx, tsvc_algorithm_policy **out,
                                               tsvc_algpol_preset preset, tsvc_error **err);

/**
 * @brief Takes a reference.
 * @param p a policy, or NULL.
 * @return @p p.
 * @since 0.1
 */
TSVC_API tsvc_algorithm_policy *tsvc_algorithm_policy_ref(tsvc_algorithm_policy *p);

/**
 * @brief Releases a reference.
 * @param p a policy, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_algorithm_policy_free(tsvc_algorithm_policy *p);

/**
 * @brief Sets when a hash function stops being acceptable (replacing the
 *        rule for that hash, named "hash.<name>").
 * @param p the policy (not yet frozen).
 * @param hash the hash function.
 * @param refused_from refused for validation times at or after this
 *        (seconds since the epoch); INT64_MAX: never refused; INT64_MIN:
 *        always refused.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_POLICY_FROZEN,
 *         ::TSVC_ERR_LIMIT_COUNT (more than 64 rules).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_algorithm_policy_set_hash(tsvc_algorithm_policy *p, tsvc_hash_alg hash,
                                                    int64_t refused_from, tsvc_error **err);

/**
 * @brief Sets when a signature scheme stops being acceptable (rule
 *        "scheme.<name>": rsa-pkcs1, rsa-pss, ecdsa, eddsa).
 * @param p the policy (not yet frozen).
 * @param scheme the scheme.
 * @param refused_from as in tsvc_algorithm_policy_set_hash().
 * @param[out] err optional error detail.
 * @return as tsvc_algorithm_policy_set_hash().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_algorithm_policy_set_scheme(tsvc_algorithm_policy *p,
                                                      tsvc_sig_scheme scheme,
                                                      int64_t refused_from, tsvc_error **err);

/**
 * @brief Refuses keys of a family smaller than @p min_bits from a date
 *        (rule "key.rsa.<min_bits>" or "key.ec.<min_bits>"; a rule with
 *        the same family and size is replaced).
 * @param p the policy (not yet frozen).
 * @param family ::TSVC_ALGPOL_KEY_RSA or ::TSVC_ALGPOL_KEY_EC.
 * @param min_bits smallest acceptable size in bits (1 .. 16384).
 * @param refused_from as in tsvc_algorithm_policy_set_hash(); INT64_MAX
 *        removes the effect of the rule.
 * @param[out] err optional error detail.
 * @return as tsvc_algorithm_policy_set_hash().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_algorithm_policy_set_min_bits(tsvc_algorithm_policy *p,
                                                        tsvc_algpol_key family, unsigned min_bits,
                                                        int64_t refused_from, tsvc_error **err);

/**
 * @brief Checks one combination at a validation time.
 * @param p the policy.
 * @param scheme signature scheme (::TSVC_SIG_NONE: not checked).
 * @param hash hash function (::TSVC_HASH_NONE: not checked).
 * @param key_type key type (::TSVC_KEY_NONE: key not checked).
 * @param bits key size in bits.
 * @param when the validation time, seconds since the epoch.
 * @param[out] err optional error detail: on refusal its check is the rule
 *        name and its message says why.
 * @return ::TSVC_OK when acceptable, ::TSVC_ERR_ALGORITHM_POLICY when a
 *         rule refuses, ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API TSVC_NODISCARD tsvc_status tsvc_algorithm_policy_check(
    const tsvc_algorithm_policy *p, tsvc_sig_scheme scheme, tsvc_hash_alg hash,
    tsvc_key_type key_type, unsigned bits, int64_t when, tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_ALGPOLICY_H */
