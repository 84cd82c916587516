/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the algorithm policy (ETSI TS 119 312 style rules with
 * dates), for path validation, CMS verification and signing.
 */
#ifndef TSVC_CRYPTO_ALGPOLICY_H
#define TSVC_CRYPTO_ALGPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "trustsvc/algpolicy.h"

/** Key family of a public key, for the size rules. */
typedef enum tsvc__algpol_family {
    TSVC__ALGPOL_FAMILY_NONE = 0,
    TSVC__ALGPOL_FAMILY_RSA = 1,
    TSVC__ALGPOL_FAMILY_EC = 2,
    TSVC__ALGPOL_FAMILY_EDDSA = 3
} tsvc__algpol_family;

/** The built-in default policy (immutable, never freed). */
const tsvc_algorithm_policy *tsvc__algpolicy_default(void);
/** The built-in IoT policy (immutable, never freed). */
const tsvc_algorithm_policy *tsvc__algpolicy_iot(void);
/** Marks a policy as used: no more changes. */
void tsvc__algpolicy_freeze(tsvc_algorithm_policy *p);

/**
 * Checks a combination at @p when. Returns true when accepted; otherwise
 * @p rule (may be NULL) gets the refusing rule's name and @p why a
 * sentence naming it.
 */
bool tsvc__algpolicy_accepts(const tsvc_algorithm_policy *p, tsvc_sig_scheme scheme,
                             tsvc_hash_alg hash, tsvc__algpol_family family, unsigned bits,
                             int64_t when, const char **rule, char *why, size_t why_size);

/** Key family and size of a SubjectPublicKeyInfo (curves by OID, so P-224 is known). */
bool tsvc__algpolicy_spki_key(const uint8_t *spki, size_t len, tsvc__algpol_family *family,
                              unsigned *bits);

/**
 * Checks what a certificate brings: the algorithm of the signature on it
 * (@p sig; scheme NONE when unknown: not checked here) and its public key
 * (@p spki). A NULL policy accepts everything. Used by path validation.
 */
bool tsvc__algpolicy_check_cert(const tsvc_algorithm_policy *p, const tsvc__sig_params *sig,
                                bool check_sig, const uint8_t *spki, size_t spki_len,
                                int64_t when, char *why, size_t why_size);

#endif /* TSVC_CRYPTO_ALGPOLICY_H */
