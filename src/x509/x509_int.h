/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the files of the x509 layer only.
 */
#ifndef TSVC_X509_X509_INT_H
#define TSVC_X509_X509_INT_H

#include "x509/x509.h"

/**
 * Turns a failure of a lower layer (detail in @p inner, which is freed)
 * into @p code with the given check name, keeping the inner message and
 * offset. Returns @p code.
 */
tsvc_status tsvc__x509_wrap(tsvc_error **err, tsvc_status code, const char *check,
                            tsvc_error *inner, int64_t fallback_offset);

/**
 * Runs a reader call with a local error `inner_`; on failure wraps it into
 * @p code (offset of the cursor @p at) and jumps to `out`. Needs a
 * `tsvc_status st` and a `tsvc_error **err` in scope.
 */
#define TSVC__X509_READ(call, code, check, at)                                              \
    do {                                                                                    \
        tsvc_error *inner_ = NULL;                                                          \
        tsvc__cbs at_ = (at);                                                               \
        st = (call);                                                                        \
        if (st != TSVC_OK) {                                                                \
            st = tsvc__x509_wrap(err, (code), (check), inner_, tsvc__cbs_offset(&at_));      \
            goto out;                                                                       \
        }                                                                                   \
        tsvc_error_free(inner_);                                                            \
    } while (0)

/** Non-negative INTEGER contents to uint64 (false if negative or too big). */
bool tsvc__x509_int_to_u64(const tsvc__cbs *contents, uint64_t *out);

/** Decodes every extension of @p cert (cert->exts already filled). */
tsvc_status tsvc__x509_decode_extensions(tsvc_cert *cert, tsvc_error **err);

/** Frees what tsvc__x509_decode_extensions() allocated. */
void tsvc__x509_free_extensions(tsvc_cert *cert);

/**
 * Looks for two equal byte strings among @p n tsvc__cbs fields, the i-th
 * at (const char *)array + i * stride + offset, in O(n log n). Sets
 * *found and, when found, *dup_index to the later of two equal items'
 * index. TSVC_ERR_NOMEM on allocation failure.
 */
tsvc_status tsvc__x509_find_duplicate(const tsvc_ctx *ctx, const void *array, size_t n,
                                      size_t stride, size_t offset, bool *found,
                                      size_t *dup_index);

/** True for the string types whose values compare case-insensitively. */
bool tsvc__x509_is_folded_string(uint32_t tag);

/** ASCII lower case. */
static inline uint8_t tsvc__x509_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

/** Value of a hexadecimal digit (either case), or -1. */
int tsvc__x509_hex_digit(char c);

#endif /* TSVC_X509_X509_INT_H */
