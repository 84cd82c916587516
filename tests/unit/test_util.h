/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the unit tests (tests/unit/test_util.c, linked into
 * each test through test_util_dep): reading test data relative to the
 * source tree, parsing test certificates, skipping a test whose backend
 * capability is missing and a counting allocator. Include after <cmocka.h>.
 *
 * Thread safety: the functions keep no state; a failure ends the running
 * cmocka test, so call them from the test's thread.
 */
#ifndef TSVC_TESTS_UNIT_TEST_UTIL_H
#define TSVC_TESTS_UNIT_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "trustsvc/crypto.h"
#include "trustsvc/x509.h"

/**
 * Reads the file @p name in the folder @p dir of the source tree
 * ($TSVC_SOURCE_ROOT, else the tree this was built from). Fails the
 * running test if it cannot. Returns malloc'ed bytes (free them) and sets
 * @p len.
 */
uint8_t *tsvc_test_read_file(const char *dir, const char *name, size_t *len);

/**
 * Reads and parses the certificate (PEM or DER) @p name in @p dir, as
 * tsvc_test_read_file() finds it. Fails the running test if it cannot.
 */
tsvc_cert *tsvc_test_load_cert(tsvc_ctx *ctx, const char *dir, const char *name);

/**
 * Skips the running test (cmocka's skip(): reported as SKIPPED, not as a
 * pass or a failure), after printing "SKIPPED (missing capability: no
 * backend of this build verifies @p what)", unless a backend of a default
 * context can verify @p type signatures with @p scheme and @p hash. Call it
 * first in a test whose fixtures need ECDSA or RSA, so that the rest of its
 * suite still runs in a libsodium-only build.
 */
void tsvc_test_require_verify(tsvc_key_type type, tsvc_sig_scheme scheme, tsvc_hash_alg hash,
                              const char *what);

/**
 * Allocator hooks that count live allocations and can be made to fail:
 * pass tsvc_test_counting_allocator(&counter) to tsvc_ctx_new(). While
 * @c budget is >= 0 each allocation uses one unit of it and fails once it
 * is 0; -1 means unlimited. @c live is the number of blocks not yet freed.
 */
typedef struct tsvc_test_counter {
    long budget;
    long live;
} tsvc_test_counter;

/** The counting allocator hooks of @p counter (see tsvc_test_counter). */
tsvc_allocator tsvc_test_counting_allocator(tsvc_test_counter *counter);

#endif /* TSVC_TESTS_UNIT_TEST_UTIL_H */
