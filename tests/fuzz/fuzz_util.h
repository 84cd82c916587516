/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the fuzz targets: the invariant check, one context per
 * process (created on first use, never freed: it stays reachable, so leak
 * checkers do not count it), and byte comparison of buffers.
 */
#ifndef TSVC_TESTS_FUZZ_UTIL_H
#define TSVC_TESTS_FUZZ_UTIL_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trustsvc/common.h"

/** Aborts (a crash libFuzzer reports) when an invariant does not hold. */
static inline void fuzz_check(bool ok)
{
    if (!ok)
        abort();
}

/** The process-wide context: default limits, built-in backends. */
static inline tsvc_ctx *fuzz_ctx(void)
{
    static tsvc_ctx *c;
    if (c == NULL && tsvc_ctx_new(&c, NULL, NULL) != TSVC_OK)
        abort();
    return c;
}

static inline bool fuzz_same(const tsvc_buf *a, const tsvc_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

#endif /* TSVC_TESTS_FUZZ_UTIL_H */
