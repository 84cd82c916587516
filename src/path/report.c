/*
 * SPDX-License-Identifier: Apache-2.0
 * Validation reports: building (internal API in report.h), public
 * accessors, and JSON serialisation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "path/path.h"
#include "path/report.h"
#include "x509/x509.h"

typedef struct report_check {
    char *name;
    char *message;
    tsvc_check_result result;
    int parent;
    int cert_index;
} report_check;

typedef struct report_cert {
    const struct tsvc_cert *cert;
    char *subject;
    char *issuer;
    bool has_fp;
    uint8_t fp[32];
} report_cert;

struct tsvc_report {
    const tsvc_ctx *ctx;
    char *kind;
    tsvc_indication ind;
    tsvc_subindication sub;
    tsvc_status status;
    char *reason;
    int64_t when;
    report_cert *chain;
    size_t chain_len;
    report_check *checks;
    size_t num_checks;
    size_t cap_checks;
    size_t dropped;
    tsvc_status error;
};

static char *vformat(const tsvc_ctx *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static char *vformat(const tsvc_ctx *ctx, const char *fmt, va_list ap)
{
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return tsvc__strdup(ctx, "");
    if ((size_t)n < sizeof(small))
        return tsvc__strdup(ctx, small);
    size_t len = (size_t)n + 1;
    char *s = tsvc__alloc(ctx, len);
    if (s == NULL)
        return NULL;
    vsnprintf(s, len, fmt, ap);
    return s;
}

tsvc_status tsvc__report_new(const tsvc_ctx *ctx, const char *kind, tsvc_report **out)
{
    tsvc_status st = TSVC_OK;
    tsvc_report *r = NULL;
    if (out == NULL)
        return TSVC_ERR_INVALID_ARG;
    *out = NULL;
    r = tsvc__calloc(ctx, 1, sizeof(*r));
    if (r == NULL) {
        st = TSVC_ERR_NOMEM;
        goto out;
    }
    r->ctx = ctx;
    r->kind = tsvc__strdup(ctx, kind ? kind : "");
    r->reason = tsvc__strdup(ctx, "");
    r->chain = tsvc__calloc(ctx, TSVC__REPORT_MAX_CHAIN, sizeof(report_cert));
    if (r->kind == NULL || r->reason == NULL || r->chain == NULL) {
        st = TSVC_ERR_NOMEM;
        goto out;
    }
    *out = r;
    r = NULL;
out:
    tsvc_report_free(r);
    return st;
}

int tsvc__report_add(tsvc_report *r, int parent, const char *name, tsvc_check_result result,
                     int cert_index, const char *fmt, ...)
{
    if (r == NULL || r->error != TSVC_OK)
        return -1;
    if (r->num_checks >= TSVC__REPORT_MAX_CHECKS) {
        r->dropped++;
        return -1;
    }
    if (r->num_checks == r->cap_checks) {
        size_t ncap = r->cap_checks ? r->cap_checks * 2 : 16;
        report_check *n = tsvc__realloc(r->ctx, r->checks, r->cap_checks * sizeof(*n),
                                        ncap * sizeof(*n));
        if (n == NULL) {
            r->error = TSVC_ERR_NOMEM;
            return -1;
        }
        r->checks = n;
        r->cap_checks = ncap;
    }
    report_check *c = &r->checks[r->num_checks];
    memset(c, 0, sizeof(*c));
    c->name = tsvc__strdup(r->ctx, name ? name : "");
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        c->message = vformat(r->ctx, fmt, ap);
        va_end(ap);
    } else {
        c->message = tsvc__strdup(r->ctx, "");
    }
    if (c->name == NULL || c->message == NULL) {
        tsvc__free(r->ctx, c->name);
        tsvc__free(r->ctx, c->message);
        r->error = TSVC_ERR_NOMEM;
        return -1;
    }
    c->result = result;
    c->parent = (parent >= 0 && (size_t)parent < r->num_checks) ? parent : -1;
    c->cert_index = cert_index < 0 ? -1 : cert_index;
    return (int)r->num_checks++;
}

void tsvc__report_set_result(tsvc_report *r, int index, tsvc_check_result result)
{
    if (r != NULL && index >= 0 && (size_t)index < r->num_checks)
        r->checks[index].result = result;
}

size_t tsvc__report_mark(const tsvc_report *r)
{
    return r ? r->num_checks : 0;
}

void tsvc__report_truncate(tsvc_report *r, size_t mark)
{
    if (r == NULL)
        return;
    while (r->num_checks > mark) {
        report_check *c = &r->checks[--r->num_checks];
        tsvc__free(r->ctx, c->name);
        tsvc__free(r->ctx, c->message);
    }
}

void tsvc__report_set_outcome(tsvc_report *r, tsvc_indication ind, tsvc_subindication sub,
                              const char *fmt, ...)
{
    if (r == NULL)
        return;
    r->ind = ind;
    r->sub = sub;
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        char *s = vformat(r->ctx, fmt, ap);
        va_end(ap);
        if (s == NULL) {
            r->error = TSVC_ERR_NOMEM;
            return;
        }
        tsvc__free(r->ctx, r->reason);
        r->reason = s;
    }
}

void tsvc__report_set_status(tsvc_report *r, tsvc_status status)
{
    if (r != NULL)
        r->status = status;
}

void tsvc__report_set_time(tsvc_report *r, int64_t when)
{
    if (r != NULL)
        r->when = when;
}

void tsvc__report_chain_add(tsvc_report *r, const struct tsvc_cert *cert, const char *subject,
                            const char *issuer, const uint8_t *sha256)
{
    if (r == NULL || r->error != TSVC_OK || cert == NULL)
        return;
    if (r->chain_len >= TSVC__REPORT_MAX_CHAIN)
        return;
    report_cert *e = &r->chain[r->chain_len];
    memset(e, 0, sizeof(*e));
    e->subject = tsvc__strdup(r->ctx, subject ? subject : "");
    e->issuer = tsvc__strdup(r->ctx, issuer ? issuer : "");
    if (e->subject == NULL || e->issuer == NULL) {
        tsvc__free(r->ctx, e->subject);
        tsvc__free(r->ctx, e->issuer);
        e->subject = e->issuer = NULL;
        r->error = TSVC_ERR_NOMEM;
        return;
    }
    if (sha256 != NULL) {
        memcpy(e->fp, sha256, 32);
        e->has_fp = true;
    }
    e->cert = tsvc__path_cert_ref(cert);
    r->chain_len++;
}

void tsvc__report_chain_clear(tsvc_report *r)
{
    if (r == NULL)
        return;
    while (r->chain_len > 0) {
        report_cert *e = &r->chain[--r->chain_len];
        tsvc__path_cert_unref(e->cert);
        tsvc__free(r->ctx, e->subject);
        tsvc__free(r->ctx, e->issuer);
        memset(e, 0, sizeof(*e));
    }
}

/* An entry's SHA-256 fingerprint: the one given, else the certificate's
 * own (computed on first need and kept in the certificate). */
static bool entry_fp(const tsvc_ctx *ctx, const report_cert *e, uint8_t out[32])
{
    if (e->has_fp) {
        memcpy(out, e->fp, 32);
        return true;
    }
    return e->cert != NULL && tsvc__cert_sha256(ctx, e->cert, out, NULL) == TSVC_OK;
}

int tsvc__report_merge(tsvc_report *dst, int parent, const tsvc_report *src, int cert_offset)
{
    if (dst == NULL || src == NULL || dst == src || src->num_checks == 0)
        return -1;
    size_t base = dst->num_checks;
    int first = -1;
    int map[TSVC__REPORT_MAX_CHAIN];
    /* Carry the chain over: a certificate already in dst's chain (the same
     * object or the same encoding) keeps its place, others are appended. */
    for (size_t k = 0; k < src->chain_len && k < TSVC__REPORT_MAX_CHAIN; k++) {
        const report_cert *e = &src->chain[k];
        map[k] = -1;
        for (size_t d = 0; d < dst->chain_len; d++) {
            const report_cert *f = &dst->chain[d];
            /* Entries always have their certificate: equal encodings are
             * equal fingerprints, without hashing. */
            if (f->cert == e->cert || (f->cert->der_len == e->cert->der_len &&
                                       memcmp(f->cert->der, e->cert->der, f->cert->der_len) == 0)) {
                map[k] = (int)d;
                break;
            }
        }
        if (map[k] < 0 && dst->chain_len < TSVC__REPORT_MAX_CHAIN && dst->error == TSVC_OK) {
            size_t at = dst->chain_len;
            tsvc__report_chain_add(dst, e->cert, e->subject, e->issuer,
                                   e->has_fp ? e->fp : NULL);
            if (dst->chain_len > at)
                map[k] = (int)at;
        }
    }
    for (size_t i = 0; i < src->num_checks; i++) {
        const report_check *c = &src->checks[i];
        int p = c->parent < 0 ? parent : (int)(base + (size_t)c->parent);
        int ci;
        if (c->cert_index < 0)
            ci = -1;
        else if (src->chain_len > 0)
            ci = (size_t)c->cert_index < src->chain_len &&
                         (size_t)c->cert_index < TSVC__REPORT_MAX_CHAIN
                     ? map[c->cert_index]
                     : -1;
        else
            ci = cert_offset < 0 ? -1 : c->cert_index + cert_offset;
        int idx = tsvc__report_add(dst, p, c->name, c->result, ci, "%s", c->message);
        if (idx < 0) {
            /* Keep parents consistent: nothing after a dropped entry is copied. */
            break;
        }
        if (first < 0)
            first = idx;
    }
    return first;
}

tsvc_status tsvc__report_error(const tsvc_report *r)
{
    return r ? r->error : TSVC_ERR_INVALID_ARG;
}

/* ---- public accessors ---- */

void tsvc_report_free(tsvc_report *report)
{
    if (report == NULL)
        return;
    const tsvc_ctx *ctx = report->ctx;
    if (report->chain != NULL) {
        tsvc__report_chain_clear(report);
        tsvc__free(ctx, report->chain);
    }
    tsvc__report_truncate(report, 0);
    tsvc__free(ctx, report->checks);
    tsvc__free(ctx, report->kind);
    tsvc__free(ctx, report->reason);
    tsvc__free(ctx, report);
}

tsvc_indication tsvc_report_indication(const tsvc_report *report)
{
    return report ? report->ind : TSVC_INDICATION_NONE;
}

tsvc_subindication tsvc_report_subindication(const tsvc_report *report)
{
    return report ? report->sub : TSVC_SUB_NONE;
}

tsvc_status tsvc_report_status(const tsvc_report *report)
{
    return report ? report->status : TSVC_OK;
}

const char *tsvc_report_reason(const tsvc_report *report)
{
    return (report && report->reason) ? report->reason : "";
}

int64_t tsvc_report_time(const tsvc_report *report)
{
    return report ? report->when : 0;
}

size_t tsvc_report_chain_count(const tsvc_report *report)
{
    return report ? report->chain_len : 0;
}

const tsvc_cert *tsvc_report_chain_cert(const tsvc_report *report, size_t index)
{
    if (report == NULL || index >= report->chain_len)
        return NULL;
    return (const tsvc_cert *)report->chain[index].cert;
}

size_t tsvc_report_num_checks(const tsvc_report *report)
{
    return report ? report->num_checks : 0;
}

const char *tsvc_report_check_name(const tsvc_report *report, size_t index)
{
    if (report == NULL || index >= report->num_checks)
        return NULL;
    return report->checks[index].name;
}

tsvc_check_result tsvc_report_check_result(const tsvc_report *report, size_t index)
{
    if (report == NULL || index >= report->num_checks)
        return TSVC_CHECK_SKIPPED;
    return report->checks[index].result;
}

const char *tsvc_report_check_message(const tsvc_report *report, size_t index)
{
    if (report == NULL || index >= report->num_checks)
        return NULL;
    return report->checks[index].message;
}

int tsvc_report_check_cert(const tsvc_report *report, size_t index)
{
    if (report == NULL || index >= report->num_checks)
        return -1;
    return report->checks[index].cert_index;
}

int tsvc_report_check_parent(const tsvc_report *report, size_t index)
{
    if (report == NULL || index >= report->num_checks)
        return -1;
    return report->checks[index].parent;
}

const char *tsvc_indication_str(int ind)
{
    switch (ind) {
    case TSVC_INDICATION_NONE: return "NONE";
    case TSVC_INDICATION_PASSED: return "PASSED";
    case TSVC_INDICATION_FAILED: return "FAILED";
    case TSVC_INDICATION_INDETERMINATE: return "INDETERMINATE";
    default: return "UNKNOWN";
    }
}

static const char *const subindication_names[] = {
    "NONE",
    "FORMAT_FAILURE",
    "HASH_FAILURE",
    "SIG_CRYPTO_FAILURE",
    "REVOKED",
    "SIG_CONSTRAINTS_FAILURE",
    "CHAIN_CONSTRAINTS_FAILURE",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE",
    "CRYPTO_CONSTRAINTS_FAILURE",
    "EXPIRED",
    "NOT_YET_VALID",
    "POLICY_PROCESSING_ERROR",
    "SIGNATURE_POLICY_NOT_AVAILABLE",
    "TIMESTAMP_ORDER_FAILURE",
    "NO_SIGNING_CERTIFICATE_FOUND",
    "NO_CERTIFICATE_CHAIN_FOUND",
    "REVOKED_NO_POE",
    "REVOKED_CA_NO_POE",
    "OUT_OF_BOUNDS_NO_POE",
    "OUT_OF_BOUNDS_NOT_REVOKED",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
    "NO_POE",
    "TRY_LATER",
    "SIGNED_DATA_NOT_FOUND",
};

const char *tsvc_subindication_str(int sub)
{
    if (sub < 0 || (size_t)sub >= sizeof(subindication_names) / sizeof(subindication_names[0]))
        return "UNKNOWN";
    return subindication_names[sub];
}

const char *tsvc_check_result_str(int result)
{
    switch (result) {
    case TSVC_CHECK_PASSED: return "passed";
    case TSVC_CHECK_FAILED: return "failed";
    case TSVC_CHECK_SKIPPED: return "skipped";
    case TSVC_CHECK_INFO: return "info";
    default: return "unknown";
    }
}

/* ---- JSON ---- */

void tsvc__json_init(tsvc__json *j, const tsvc_ctx *ctx)
{
    memset(j, 0, sizeof(*j));
    j->ctx = ctx;
}

void tsvc__json_cleanup(tsvc__json *j)
{
    tsvc__free(j->ctx, j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;
}

void tsvc__json_raw(tsvc__json *j, const char *s, size_t len)
{
    if (j->failed)
        return;
    if (len + 1 > j->cap - j->len || j->buf == NULL) {
        size_t ncap = j->cap ? j->cap : 256;
        while (ncap - j->len < len + 1) {
            if (ncap > SIZE_MAX / 2) {
                j->failed = true;
                return;
            }
            ncap *= 2;
        }
        char *n = tsvc__realloc(j->ctx, j->buf, j->cap, ncap);
        if (n == NULL) {
            j->failed = true;
            return;
        }
        j->buf = n;
        j->cap = ncap;
    }
    memcpy(j->buf + j->len, s, len);
    j->len += len;
    j->buf[j->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        min = 0x80;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        min = 0x800;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        min = 0x10000;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void tsvc__json_strn(tsvc__json *j, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    tsvc__json_raw(j, "\"", 1);
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            tsvc__json_raw(j, esc, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            const char *short_esc = NULL;
            switch (c) {
            case '\n': short_esc = "\\n"; break;
            case '\r': short_esc = "\\r"; break;
            case '\t': short_esc = "\\t"; break;
            case '\b': short_esc = "\\b"; break;
            case '\f': short_esc = "\\f"; break;
            default: break;
            }
            if (short_esc != NULL) {
                tsvc__json_raw(j, short_esc, 2);
            } else {
                snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)c);
                tsvc__json_raw(j, esc, 6);
            }
            i++;
        } else {
            size_t n = utf8_seq(p + i, len - i);
            if (n == 0) {
                tsvc__json_raw(j, "\\ufffd", 6);
                i++;
            } else {
                tsvc__json_raw(j, s + i, n);
                i += n;
            }
        }
    }
    tsvc__json_raw(j, "\"", 1);
}

void tsvc__json_str(tsvc__json *j, const char *s)
{
    if (s == NULL) {
        tsvc__json_raw(j, "null", 4);
        return;
    }
    tsvc__json_strn(j, s, strlen(s));
}

void tsvc__json_int(tsvc__json *j, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    if (n > 0)
        tsvc__json_raw(j, tmp, (size_t)n);
}

tsvc_status tsvc__json_finish(tsvc__json *j, tsvc_buf *out)
{
    tsvc_status st = TSVC_ERR_NOMEM;
    if (!j->failed && j->buf != NULL) {
        /* tsvc_buf memory comes from tsvc__buf_alloc(); copy the text with its NUL. */
        st = tsvc__buf_set(j->ctx, out, j->buf, j->len + 1);
        if (st == TSVC_OK)
            out->len = j->len;
    }
    tsvc__json_cleanup(j);
    return st;
}

static void json_key(tsvc__json *j, const char *key, bool first)
{
    if (!first)
        tsvc__json_raw(j, ",", 1);
    tsvc__json_str(j, key);
    tsvc__json_raw(j, ":", 1);
}

static void json_time(tsvc__json *j, int64_t t)
{
    int64_t y;
    unsigned mo, d, h, mi, s;
    char tmp[48];
    tsvc__time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(tmp, sizeof(tmp), "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi,
             s);
    tsvc__json_str(j, tmp);
}

/* Writes the entries whose parent is @p parent, in order. Depth is bounded
 * because a parent always precedes its children. */
static void json_checks(tsvc__json *j, const tsvc_report *r, int parent, unsigned depth)
{
    bool first = true;
    tsvc__json_raw(j, "[", 1);
    for (size_t i = 0; i < r->num_checks; i++) {
        const report_check *c = &r->checks[i];
        if (c->parent != parent)
            continue;
        if (!first)
            tsvc__json_raw(j, ",", 1);
        first = false;
        tsvc__json_raw(j, "{", 1);
        json_key(j, "name", true);
        tsvc__json_str(j, c->name);
        json_key(j, "result", false);
        tsvc__json_str(j, tsvc_check_result_str((int)c->result));
        if (c->cert_index >= 0) {
            json_key(j, "cert", false);
            tsvc__json_int(j, c->cert_index);
        }
        if (c->message != NULL && c->message[0] != '\0') {
            json_key(j, "message", false);
            tsvc__json_str(j, c->message);
        }
        /* Children follow their parent; stop nesting at a sane depth. */
        bool has_child = false;
        for (size_t k = i + 1; k < r->num_checks; k++)
            if (r->checks[k].parent == (int)i) {
                has_child = true;
                break;
            }
        if (has_child && depth < 64) {
            json_key(j, "checks", false);
            json_checks(j, r, (int)i, depth + 1);
        }
        tsvc__json_raw(j, "}", 1);
    }
    tsvc__json_raw(j, "]", 1);
}

tsvc_status tsvc_report_to_json(const tsvc_report *report, tsvc_buf *out, tsvc_error **err)
{
    tsvc__json j;
    char hex[65];
    if (report == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "report and out are required");
    out->data = NULL;
    out->len = 0;
    tsvc__json_init(&j, report->ctx);
    tsvc__json_raw(&j, "{", 1);
    json_key(&j, "kind", true);
    tsvc__json_str(&j, report->kind);
    json_key(&j, "indication", false);
    tsvc__json_str(&j, tsvc_indication_str((int)report->ind));
    json_key(&j, "subindication", false);
    if (report->sub == TSVC_SUB_NONE)
        tsvc__json_raw(&j, "null", 4);
    else
        tsvc__json_str(&j, tsvc_subindication_str((int)report->sub));
    json_key(&j, "status", false);
    tsvc__json_str(&j, tsvc_status_str(report->status));
    json_key(&j, "status_code", false);
    tsvc__json_int(&j, report->status);
    json_key(&j, "reason", false);
    tsvc__json_str(&j, report->reason);
    json_key(&j, "time", false);
    json_time(&j, report->when);
    json_key(&j, "chain", false);
    tsvc__json_raw(&j, "[", 1);
    for (size_t i = 0; i < report->chain_len; i++) {
        const report_cert *e = &report->chain[i];
        if (i > 0)
            tsvc__json_raw(&j, ",", 1);
        tsvc__json_raw(&j, "{", 1);
        json_key(&j, "subject", true);
        tsvc__json_str(&j, e->subject);
        json_key(&j, "issuer", false);
        tsvc__json_str(&j, e->issuer);
        uint8_t fp[32];
        if (entry_fp(report->ctx, e, fp)) {
            for (size_t k = 0; k < 32; k++)
                snprintf(hex + 2 * k, 3, "%02x", fp[k]);
            json_key(&j, "sha256", false);
            tsvc__json_str(&j, hex);
        }
        tsvc__json_raw(&j, "}", 1);
    }
    tsvc__json_raw(&j, "]", 1);
    json_key(&j, "checks", false);
    json_checks(&j, report, -1, 0);
    if (report->dropped > 0) {
        json_key(&j, "checks_dropped", false);
        tsvc__json_int(&j, (int64_t)report->dropped);
    }
    tsvc__json_raw(&j, "}", 1);
    tsvc_status st = tsvc__json_finish(&j, out);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    return TSVC_OK;
}
