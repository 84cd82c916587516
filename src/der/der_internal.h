/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the files of the DER layer only.
 */
#ifndef TSVC_DER_DER_INTERNAL_H
#define TSVC_DER_DER_INTERNAL_H

#include "der.h"

/** Nesting depth used when a caller passes 0 (TSVC_LIMIT_DER_DEPTH's default). */
#define TSVC__DER_DEFAULT_DEPTH 32u

/**
 * Parses an identifier octet sequence at @p p. Gives the tag in this
 * layer's encoding and the octets used. TSVC_ERR_DER_TRUNCATED or
 * TSVC_ERR_DER_TAG (non-minimal high tag number, number >= 2^29, or a
 * high-tag form for a number below 31).
 */
tsvc_status tsvc__der_parse_tag(const uint8_t *p, size_t len, uint32_t *out_tag,
                                size_t *out_used);

/** X.690 11.6 comparison: octet strings, the shorter padded with zeros. */
int tsvc__der_compare_elements(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/** Checks the contents of a primitive universal element by its tag. */
tsvc_status tsvc__der_check_primitive(uint32_t tag, const tsvc__cbs *contents, tsvc_error **err);

/** Writes the identifier octets of @p tag into @p out (at least 6 octets); returns the count. */
size_t tsvc__der_encode_tag(uint32_t tag, uint8_t *out);

/** Writes a minimal DER length into @p out (at least 9 octets); returns the count. */
size_t tsvc__der_encode_length(size_t len, uint8_t *out);

/**
 * tsvc__base64_decode() with error offsets counted from @p base_off (the
 * position of @p in within a larger text, for PEM).
 */
tsvc_status tsvc__base64_decode_at(const tsvc_ctx *ctx, const char *in, size_t len,
                                   int64_t base_off, tsvc_buf *out, tsvc_error **err);

#endif /* TSVC_DER_DER_INTERNAL_H */
