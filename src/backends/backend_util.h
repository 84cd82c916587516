/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the built-in backends (src/backends/common.c). They
 * use only the provider interface of trustsvc/sys/backend.h, like the
 * backends themselves, and nothing of the layers above.
 *
 * Thread safety: every function is reentrant and keeps no state.
 */
#ifndef TSVC_BACKENDS_BACKEND_UTIL_H
#define TSVC_BACKENDS_BACKEND_UTIL_H

#include <stddef.h>

#include "trustsvc/sys/backend.h"

/** Allocates @p size zeroed bytes through @p alloc; NULL when out of memory. */
void *tsvc__backend_zalloc(const tsvc_allocator *alloc, size_t size);

/** Size of one ECDSA coordinate (the field size) for @p type; 0 if not an EC key. */
size_t tsvc__backend_ec_coord_len(tsvc_key_type type);

/**
 * The answer of `supports` for a backend that does RSA (PKCS#1 v1.5 and PSS),
 * ECDSA on P-256/P-384/P-521 and Ed25519, and random bytes; @p hash_ok says
 * whether it has the hash @p hash.
 */
int tsvc__backend_supports_std(tsvc_crypto_op op, tsvc_key_type type, tsvc_sig_scheme scheme,
                               tsvc_hash_alg hash, int hash_ok);

#endif /* TSVC_BACKENDS_BACKEND_UTIL_H */
