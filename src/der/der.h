/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the DER layer: a strict, non-owning byte cursor (after
 * BoringSSL's CBS), a growable builder with a sticky error and SET OF
 * sorting (after CBB), OIDs, times, a BER-to-DER normaliser, PEM and base64.
 *
 * Reader rules: every tsvc__der_get_* function returns TSVC_OK and advances
 * the cursor, or returns an error status and leaves the cursor untouched.
 * The reader is strict DER: lengths must be definite and minimal, tags must
 * be low-tag-number form unless noted, BOOLEAN is 00/FF, INTEGERs are
 * minimal, BIT STRING padding bits are zero.
 */
#ifndef TSVC_DER_DER_H
#define TSVC_DER_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* ------------------------------------------------------------------ */
/* Tags: (class | constructed) in the top byte, tag number below.       */
/* ------------------------------------------------------------------ */
#define TSVC__DER_CLASS_UNIVERSAL 0x00000000u
#define TSVC__DER_CLASS_APPLICATION 0x40000000u
#define TSVC__DER_CLASS_CONTEXT 0x80000000u
#define TSVC__DER_CLASS_PRIVATE 0xc0000000u
#define TSVC__DER_CLASS_MASK 0xc0000000u
#define TSVC__DER_CONSTRUCTED 0x20000000u
#define TSVC__DER_NUMBER_MASK 0x1fffffffu

#define TSVC__TAG_BOOLEAN 0x01u
#define TSVC__TAG_INTEGER 0x02u
#define TSVC__TAG_BIT_STRING 0x03u
#define TSVC__TAG_OCTET_STRING 0x04u
#define TSVC__TAG_NULL 0x05u
#define TSVC__TAG_OID 0x06u
#define TSVC__TAG_ENUMERATED 0x0au
#define TSVC__TAG_UTF8_STRING 0x0cu
#define TSVC__TAG_SEQUENCE (0x10u | TSVC__DER_CONSTRUCTED)
#define TSVC__TAG_SET (0x11u | TSVC__DER_CONSTRUCTED)
#define TSVC__TAG_NUMERIC_STRING 0x12u
#define TSVC__TAG_PRINTABLE_STRING 0x13u
#define TSVC__TAG_T61_STRING 0x14u
#define TSVC__TAG_IA5_STRING 0x16u
#define TSVC__TAG_UTC_TIME 0x17u
#define TSVC__TAG_GENERALIZED_TIME 0x18u
#define TSVC__TAG_VISIBLE_STRING 0x1au
#define TSVC__TAG_UNIVERSAL_STRING 0x1cu
#define TSVC__TAG_BMP_STRING 0x1eu
/** [n] IMPLICIT primitive. */
#define TSVC__TAG_CONTEXT(n) (TSVC__DER_CLASS_CONTEXT | (uint32_t)(n))
/** [n] constructed (EXPLICIT, or IMPLICIT of a constructed type). */
#define TSVC__TAG_CONTEXT_C(n) (TSVC__DER_CLASS_CONTEXT | TSVC__DER_CONSTRUCTED | (uint32_t)(n))

/** Longest OID accepted, in content octets. */
#define TSVC__OID_MAX_LEN 128
/** Longest dotted OID text including the NUL (128 octets of arcs). */
#define TSVC__OID_TEXT_MAX 512

/* ------------------------------------------------------------------ */
/* Cursor                                                              */
/* ------------------------------------------------------------------ */

/**
 * A view of bytes. @c base is the start of the whole input: offsets in
 * errors are computed as data - base.
 */
typedef struct tsvc__cbs {
    const uint8_t *data;
    size_t len;
    const uint8_t *base;
} tsvc__cbs;

void tsvc__cbs_init(tsvc__cbs *cbs, const uint8_t *data, size_t len);
/** Offset of the cursor from the start of the whole input. */
int64_t tsvc__cbs_offset(const tsvc__cbs *cbs);
tsvc_status tsvc__cbs_skip(tsvc__cbs *cbs, size_t n);
tsvc_status tsvc__cbs_get_u8(tsvc__cbs *cbs, uint8_t *out);
/** Splits off the next @p n bytes into @p out (sharing @c base). */
tsvc_status tsvc__cbs_get_bytes(tsvc__cbs *cbs, tsvc__cbs *out, size_t n);
bool tsvc__cbs_equal(const tsvc__cbs *a, const uint8_t *b, size_t b_len);

/* ------------------------------------------------------------------ */
/* Strict DER reader. `err` may be NULL; error offsets are absolute.    */
/* ------------------------------------------------------------------ */

/**
 * Reads one element: its tag, its contents (@p out_contents, may be NULL)
 * and, optionally, the whole element with its header (@p out_element).
 */
tsvc_status tsvc__der_get_any(tsvc__cbs *cbs, uint32_t *out_tag, tsvc__cbs *out_contents,
                              tsvc__cbs *out_element, tsvc_error **err);
/** Reads one element whose tag must equal @p tag; gives its contents. */
tsvc_status tsvc__der_get(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out_contents,
                          tsvc_error **err);
/** Same as tsvc__der_get() but gives the whole element, header included. */
tsvc_status tsvc__der_get_element(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out_element,
                                  tsvc_error **err);
/**
 * Reads an element with tag @p tag if the next element has that tag;
 * otherwise sets *present = false and succeeds without moving.
 */
tsvc_status tsvc__der_get_optional(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out_contents,
                                   bool *present, tsvc_error **err);
/** True if the cursor is non-empty and the next tag is @p tag. */
bool tsvc__der_peek_tag(const tsvc__cbs *cbs, uint32_t tag);
/** Fails with TSVC_ERR_DER_TRAILING unless the cursor is empty. */
tsvc_status tsvc__der_expect_end(const tsvc__cbs *cbs, tsvc_error **err);

tsvc_status tsvc__der_get_bool(tsvc__cbs *cbs, bool *out, tsvc_error **err);
tsvc_status tsvc__der_get_null(tsvc__cbs *cbs, tsvc_error **err);
/** Non-negative INTEGER that fits in 64 bits. */
tsvc_status tsvc__der_get_u64(tsvc__cbs *cbs, uint64_t *out, tsvc_error **err);
/** INTEGER that fits in int64. */
tsvc_status tsvc__der_get_i64(tsvc__cbs *cbs, int64_t *out, tsvc_error **err);
/**
 * INTEGER of any size: contents as encoded (two's complement, minimal).
 * *negative is set when the sign bit is set. With tag 0 the universal
 * INTEGER tag is used; otherwise @p tag (implicit tagging, ENUMERATED).
 */
tsvc_status tsvc__der_get_integer(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out, bool *negative,
                                  tsvc_error **err);
/**
 * Unsigned big integer (RSA modulus, ECDSA r/s): rejects negatives, strips
 * the single leading 0x00 that a positive value may need.
 */
tsvc_status tsvc__der_get_unsigned(tsvc__cbs *cbs, tsvc__cbs *out_magnitude, tsvc_error **err);
/** Checks the contents octets of an INTEGER or ENUMERATED for minimality. */
tsvc_status tsvc__der_check_integer(const tsvc__cbs *contents, tsvc_error **err);
/**
 * BIT STRING: @p out gets the bytes after the unused-bits octet,
 * *unused_bits the count (0..7; padding bits must be zero, and an empty
 * string must have 0 unused bits). @p tag 0 means universal BIT STRING.
 */
tsvc_status tsvc__der_get_bit_string(tsvc__cbs *cbs, uint32_t tag, tsvc__cbs *out,
                                     unsigned *unused_bits, tsvc_error **err);
/**
 * BIT STRING of named bits (key usage, reasons, PKIFailureInfo): bit i of
 * the ASN.1 value becomes bit i of *out (bits past 63 must be zero). DER
 * additionally requires no trailing zero bits; pass strict = false to
 * accept the non-minimal forms some peers send.
 */
tsvc_status tsvc__der_get_named_bits(tsvc__cbs *cbs, uint32_t tag, uint64_t *out, bool strict,
                                     tsvc_error **err);
tsvc_status tsvc__der_get_octet_string(tsvc__cbs *cbs, tsvc__cbs *out, tsvc_error **err);
/** OBJECT IDENTIFIER: validated (tsvc__oid_valid()); gives the contents. */
tsvc_status tsvc__der_get_oid(tsvc__cbs *cbs, tsvc__cbs *out, tsvc_error **err);

/** Time profiles. */
typedef enum tsvc__time_profile {
    /** RFC 5280: UTCTime YYMMDDHHMMSSZ (YY >= 50 -> 19YY) or GeneralizedTime
     *  YYYYMMDDHHMMSSZ; no fractions; GeneralizedTime accepted for any year. */
    TSVC__TIME_RFC5280 = 0,
    /** GeneralizedTime with optional fractional seconds (RFC 3161 genTime,
     *  no trailing zeros in the fraction, 'Z' only). */
    TSVC__TIME_GENERALIZED_FRAC = 1
} tsvc__time_profile;

/**
 * Reads a UTCTime or GeneralizedTime (which are accepted depends on the
 * profile; the fractional profile accepts only GeneralizedTime). *out_secs
 * gets seconds since the epoch; *out_nanos (may be NULL) the fraction.
 * Rejected: seconds = 60, month 13, day 32 / Feb 30, non-digits, missing 'Z'.
 */
tsvc_status tsvc__der_get_time(tsvc__cbs *cbs, tsvc__time_profile profile, int64_t *out_secs,
                               uint32_t *out_nanos, tsvc_error **err);
/** Parses time contents (no tag/length): @p tag says UTCTime or GeneralizedTime. */
tsvc_status tsvc__der_parse_time(const uint8_t *s, size_t len, uint32_t tag,
                                 tsvc__time_profile profile, int64_t *out_secs,
                                 uint32_t *out_nanos);

/**
 * Checks that the contents of a SET OF are in DER order (elements sorted
 * by their encodings, shorter-is-padded-with-zeros, per X.690 11.6).
 */
tsvc_status tsvc__der_check_set_of_order(const tsvc__cbs *contents, tsvc_error **err);

/**
 * Walks a whole DER value recursively (into every constructed element)
 * checking every rule of the reader and the nesting @p max_depth.
 * Gives TSVC_ERR_LIMIT_DER_DEPTH when the depth is exceeded.
 */
tsvc_status tsvc__der_validate(const uint8_t *data, size_t len, unsigned max_depth,
                               tsvc_error **err);

/* ------------------------------------------------------------------ */
/* OIDs                                                                */
/* ------------------------------------------------------------------ */

/**
 * Checks OID content octets: non-empty, <= 128 octets, minimal arcs, last
 * octet ends an arc, and dotted text that fits in TSVC__OID_TEXT_MAX (only
 * 128-octet OIDs of almost only three-digit one-octet arcs are refused by
 * that rule), so tsvc__oid_to_text() succeeds on every valid OID.
 */
bool tsvc__oid_valid(const uint8_t *oid, size_t len);
/** Dotted text of OID content octets; TSVC_ERR_DER_OID if invalid or it does not fit. */
tsvc_status tsvc__oid_to_text(const uint8_t *oid, size_t len, char *out, size_t out_size);
/** Parses dotted text ("1.2.840.113549") into content octets (max TSVC__OID_MAX_LEN). */
tsvc_status tsvc__oid_from_text(const char *text, uint8_t *out, size_t out_size, size_t *out_len);
/** True if the cursor holds exactly the OID contents @p oid. */
bool tsvc__oid_equal(const tsvc__cbs *cbs, const uint8_t *oid, size_t len);

/* ------------------------------------------------------------------ */
/* Builder                                                             */
/* ------------------------------------------------------------------ */

#define TSVC__CBB_MAX_DEPTH 32

/**
 * Growable DER writer. Errors are sticky: after the first failure every
 * call is a no-op and tsvc__cbb_finish() reports it. Secrets written into
 * a builder are wiped when it grows and when it is cleaned up.
 */
typedef struct tsvc__cbb {
    const tsvc_ctx *ctx;
    uint8_t *buf;
    size_t len;
    size_t cap;
    tsvc_status error;
    size_t open[TSVC__CBB_MAX_DEPTH]; /* offsets of open elements' first content byte */
    size_t open_hdr[TSVC__CBB_MAX_DEPTH]; /* offsets of their tag */
    unsigned depth;
} tsvc__cbb;

void tsvc__cbb_init(tsvc__cbb *cbb, const tsvc_ctx *ctx);
/** Wipes and frees the builder's memory. Safe after finish. */
void tsvc__cbb_cleanup(tsvc__cbb *cbb);
/**
 * Moves the finished bytes into @p out (allocated via the context).
 * All opened elements must be closed. Returns the sticky error if any;
 * on error @p out is left empty. The builder is cleaned up in both cases.
 */
tsvc_status tsvc__cbb_finish(tsvc__cbb *cbb, tsvc_buf *out);
void tsvc__cbb_add_bytes(tsvc__cbb *cbb, const uint8_t *data, size_t len);
void tsvc__cbb_add_u8(tsvc__cbb *cbb, uint8_t v);
/** Opens a constructed element (or a primitive one to write contents into). */
void tsvc__cbb_open(tsvc__cbb *cbb, uint32_t tag);
/** Closes the innermost open element, writing its minimal length. */
void tsvc__cbb_close(tsvc__cbb *cbb);
/** Closes the innermost open element after sorting its children (DER SET OF). */
void tsvc__cbb_close_set_of(tsvc__cbb *cbb);
/** Writes tag, length and contents in one go. */
void tsvc__cbb_add_element(tsvc__cbb *cbb, uint32_t tag, const uint8_t *contents, size_t len);
void tsvc__cbb_add_bool(tsvc__cbb *cbb, bool v);
void tsvc__cbb_add_null(tsvc__cbb *cbb);
void tsvc__cbb_add_u64(tsvc__cbb *cbb, uint64_t v);
/** Minimal positive INTEGER from big-endian magnitude bytes (leading zeros stripped). */
void tsvc__cbb_add_unsigned(tsvc__cbb *cbb, const uint8_t *be, size_t len);
/** INTEGER with the given contents octets copied as they are (already minimal). */
void tsvc__cbb_add_integer_raw(tsvc__cbb *cbb, uint32_t tag, const uint8_t *contents, size_t len);
void tsvc__cbb_add_oid(tsvc__cbb *cbb, const uint8_t *oid, size_t len);
void tsvc__cbb_add_octet_string(tsvc__cbb *cbb, const uint8_t *data, size_t len);
void tsvc__cbb_add_bit_string(tsvc__cbb *cbb, const uint8_t *data, size_t len, unsigned unused_bits);
/** Named-bit BIT STRING from the bit mask (bit i = ASN.1 bit i), DER-minimal. */
void tsvc__cbb_add_named_bits(tsvc__cbb *cbb, uint32_t tag, uint64_t bits);
/** RFC 5280 Time: UTCTime for 1950..2049, GeneralizedTime otherwise. */
void tsvc__cbb_add_time(tsvc__cbb *cbb, int64_t secs);
/** GeneralizedTime, with a fraction when @p nanos is non-zero (trailing zeros removed). */
void tsvc__cbb_add_generalized_time(tsvc__cbb *cbb, int64_t secs, uint32_t nanos);
/** Records a failure (sticky). */
void tsvc__cbb_fail(tsvc__cbb *cbb, tsvc_status st);

/* ------------------------------------------------------------------ */
/* BER normaliser                                                      */
/* ------------------------------------------------------------------ */

/**
 * Converts BER to DER: indefinite lengths become definite, non-minimal
 * lengths minimal, constructed OCTET/BIT/character strings are flattened
 * into primitive ones. SET contents are not re-sorted and values are not
 * re-encoded (signed data must be verified as it was signed). Nesting is
 * bounded by @p max_depth. If the input already is DER, the output equals
 * the input.
 */
tsvc_status tsvc__ber_to_der(const tsvc_ctx *ctx, const uint8_t *in, size_t len,
                             unsigned max_depth, tsvc_buf *out, tsvc_error **err);

/* ------------------------------------------------------------------ */
/* base64 and PEM                                                      */
/* ------------------------------------------------------------------ */

/** Standard base64 with padding; whitespace (space, tab, CR, LF) ignored. */
tsvc_status tsvc__base64_decode(const tsvc_ctx *ctx, const char *in, size_t len, tsvc_buf *out,
                                tsvc_error **err);
/** Standard base64 with padding, no line breaks, NUL-terminated (len excludes NUL). */
tsvc_status tsvc__base64_encode(const tsvc_ctx *ctx, const uint8_t *in, size_t len,
                                tsvc_buf *out);

/**
 * Finds the next PEM block at or after *pos in @p text. On success
 * @p label gets the label (NUL-terminated, truncated to label_size - 1),
 * @p der the decoded bytes, and *pos moves past the END line.
 * Returns TSVC_ERR_PEM with *pos unchanged at end of input when no further
 * BEGIN line exists (check *found), or on malformed armour.
 * Encapsulated headers (RFC 1421 "Proc-Type:") are refused.
 */
tsvc_status tsvc__pem_next(const tsvc_ctx *ctx, const char *text, size_t len, size_t *pos,
                           bool *found, char *label, size_t label_size, tsvc_buf *der,
                           tsvc_error **err);
/** PEM-encodes @p der with the given label, 64-column lines, trailing newline. */
tsvc_status tsvc__pem_encode(const tsvc_ctx *ctx, const char *label, const uint8_t *der,
                             size_t len, tsvc_buf *out);
/** True if the data starts (after whitespace) with "-----BEGIN ". */
bool tsvc__pem_looks_like(const uint8_t *data, size_t len);

/* ------------------------------------------------------------------ */
/* Notes on behaviour (added with the implementation)                  */
/* ------------------------------------------------------------------ */
/*
 * - Error offsets point at the first offending octet: the tag for tag
 *   errors (check "der.tag"), the first length octet for length errors and
 *   for lengths that run past the end ("der.length", "der.indefinite",
 *   "der.truncated"), the first contents octet for value errors
 *   ("der.boolean", "der.integer", "der.bit_string", "der.oid", "der.time",
 *   "der.null"), the offending element for "der.set_order" and
 *   "der.depth".
 * - tsvc__der_get_any() also refuses universal tag 0, constructed forms of
 *   primitive-only universal types (TSVC_ERR_DER_CONSTRUCTED) and primitive
 *   SEQUENCE/SET (TSVC_ERR_DER_TAG). Tag numbers up to 2^29 - 1 are read.
 * - NULL with contents gives TSVC_ERR_DER_LENGTH.
 * - tsvc__der_get_unsigned() gives a one-octet 00 magnitude for zero.
 * - tsvc__der_validate() and tsvc__ber_to_der(): the top-level element is
 *   at depth 1; max_depth 0 means 32; values above 256 are treated as 256.
 *   The input must be exactly one element. Universal SETs are checked for
 *   DER order, UTCTime with the RFC 5280 profile, GeneralizedTime with the
 *   fractional profile.
 * - tsvc__ber_to_der() refuses with TSVC_ERR_BER (check "ber") what is not
 *   BER; a BER value it does not re-encode (BOOLEAN 01, non-zero BIT
 *   STRING padding, an unsorted SET) is refused with the DER status, so
 *   that its output always passes tsvc__der_validate().
 * - tsvc__base64_decode() refuses non-zero bits left after the last octet.
 * - tsvc__pem_next(): *found is true when a BEGIN line was seen (so an
 *   error with *found set is malformed armour); a BEGIN line must start a
 *   line; any ':' in the body is taken as an encapsulated header.
 * - tsvc__pem_encode() and tsvc__base64_encode() NUL-terminate their output
 *   (len excludes the NUL).
 * - tsvc__oid_from_text() gives TSVC_ERR_BUFFER_TOO_SMALL when @p out_size
 *   is too small, TSVC_ERR_DER_OID for bad text or more than 128 octets.
 */

#endif /* TSVC_DER_DER_H */
