/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal report-building API. Any layer at or above src/path (path
 * validation, CMS signatures, time-stamps, AdES) builds a tsvc_report with
 * these functions and hands it to the caller through the public API.
 *
 * A report holds: a kind ("certificate-validation", "signature", ...), the
 * indication and sub-indication, a status (a limit or backend failure that
 * stopped the work early), a reason, the validation time, a chain of
 * certificates (references), and a tree of check entries. Building errors
 * are sticky: after an allocation failure every add is a no-op and
 * tsvc__report_error() gives TSVC_ERR_NOMEM, so callers may add entries
 * without checking each call and test once at the end.
 */
#ifndef TSVC_PATH_REPORT_H
#define TSVC_PATH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "trustsvc/validate.h"

/** Most check entries one report holds; further entries are counted, not stored. */
#define TSVC__REPORT_MAX_CHECKS 4096
/** Most certificates one report's chain holds. */
#define TSVC__REPORT_MAX_CHAIN 64

/** Creates an empty report (indication NONE). @p kind is copied. */
tsvc_status tsvc__report_new(const tsvc_ctx *ctx, const char *kind, tsvc_report **out);

/**
 * Adds a check entry under @p parent (-1 for top level), about chain
 * position @p cert_index (-1 for none). The message is printf-formatted
 * (NULL for none). Returns the new entry's index, or -1 when the entry was
 * not stored (allocation failure, which is sticky, or the entry limit).
 */
int tsvc__report_add(tsvc_report *r, int parent, const char *name, tsvc_check_result result,
                     int cert_index, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/** Changes the result of an existing entry (e.g. a group that failed later). */
void tsvc__report_set_result(tsvc_report *r, int index, tsvc_check_result result);

/** Number of entries added so far (a mark for tsvc__report_truncate()). */
size_t tsvc__report_mark(const tsvc_report *r);
/** Drops every entry added after @p mark (used when backtracking). */
void tsvc__report_truncate(tsvc_report *r, size_t mark);

/** Sets indication, sub-indication and the reason (printf-formatted; NULL keeps it empty). */
void tsvc__report_set_outcome(tsvc_report *r, tsvc_indication ind, tsvc_subindication sub,
                              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/** Sets the status (a limit or backend failure). */
void tsvc__report_set_status(tsvc_report *r, tsvc_status status);
/** Sets the validation time. */
void tsvc__report_set_time(tsvc_report *r, int64_t when);

struct tsvc_cert;
/**
 * Appends a certificate to the chain, taking a reference to it. @p subject
 * and @p issuer are display strings (copied; may be NULL), @p sha256 the
 * fingerprint (NULL: the certificate's own SHA-256, made when needed).
 */
void tsvc__report_chain_add(tsvc_report *r, const struct tsvc_cert *cert, const char *subject,
                            const char *issuer, const uint8_t *sha256);
/** Removes every certificate of the chain. */
void tsvc__report_chain_clear(tsvc_report *r);

/**
 * Copies every check entry of @p src under entry @p parent of @p dst (-1:
 * top level), keeping their tree shape, and carries @p src's chain over:
 * each certificate of it is appended to @p dst's chain unless already
 * there (the same certificate object or the same encoding), so a
 * signature report that nests the signer's path validation first has that
 * path as its chain, leaf first. Certificate indices of the copied entries
 * are remapped to the certificates' places in @p dst's chain (-1 when the
 * chain is full). When @p src has no chain, the indices are shifted by
 * @p cert_offset, or dropped (-1) when it is negative. Returns the index in
 * @p dst of the first copied entry, or -1.
 */
int tsvc__report_merge(tsvc_report *dst, int parent, const tsvc_report *src, int cert_offset);

/** TSVC_OK, or the sticky building error (TSVC_ERR_NOMEM). */
tsvc_status tsvc__report_error(const tsvc_report *r);

/** Writes @p s as a JSON string (quotes included) into a growable text buffer. */
typedef struct tsvc__json {
    const tsvc_ctx *ctx;
    char *buf;
    size_t len;
    size_t cap;
    bool failed;
} tsvc__json;
void tsvc__json_init(tsvc__json *j, const tsvc_ctx *ctx);
void tsvc__json_raw(tsvc__json *j, const char *s, size_t len);
void tsvc__json_str(tsvc__json *j, const char *s);
/** JSON string from bytes of length @p len; invalid UTF-8 becomes U+FFFD. */
void tsvc__json_strn(tsvc__json *j, const char *s, size_t len);
void tsvc__json_int(tsvc__json *j, int64_t v);
/** Moves the NUL-terminated text into @p out; TSVC_ERR_NOMEM if anything failed. */
tsvc_status tsvc__json_finish(tsvc__json *j, tsvc_buf *out);
void tsvc__json_cleanup(tsvc__json *j);

#endif /* TSVC_PATH_REPORT_H */
