/*
 * SPDX-License-Identifier: Apache-2.0
 * X.509 certificate parsing (RFC 5280 §4.1), reference counting, the
 * public accessors, certificate lists and signature checking.
 *
 * Thread safety: a parsed certificate is immutable; the reference count
 * is atomic and the DER digest is published once behind an atomic flag, so
 * certificates may be shared and released from any thread.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/x509_int.h"

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

tsvc_status tsvc__x509_wrap(tsvc_error **err, tsvc_status code, const char *check,
                            tsvc_error *inner, int64_t fallback_offset)
{
    if (inner != NULL) {
        int64_t off = tsvc_error_offset(inner);
        tsvc__err(err, code, check, off >= 0 ? off : fallback_offset, "%s",
                  tsvc_error_message(inner));
        tsvc_error_free(inner);
        return code;
    }
    return tsvc__err(err, code, check, fallback_offset, "malformed %s", check);
}

bool tsvc__x509_int_to_u64(const tsvc__cbs *contents, uint64_t *out)
{
    if (contents->len == 0 || (contents->data[0] & 0x80u))
        return false;
    size_t i = 0;
    if (contents->data[0] == 0)
        i = 1;
    if (contents->len - i > 8)
        return false;
    uint64_t v = 0;
    for (; i < contents->len; i++)
        v = (v << 8) | contents->data[i];
    *out = v;
    return true;
}

typedef struct dup_item {
    const uint8_t *data;
    size_t len;
    size_t index;
} dup_item;

static int dup_cmp(const void *pa, const void *pb)
{
    const dup_item *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    int c = a->len ? memcmp(a->data, b->data, a->len) : 0;
    if (c != 0)
        return c;
    return a->index < b->index ? -1 : (a->index > b->index ? 1 : 0);
}

tsvc_status tsvc__x509_find_duplicate(const tsvc_ctx *ctx, const void *array, size_t n,
                                      size_t stride, size_t offset, bool *found,
                                      size_t *dup_index)
{
    *found = false;
    if (n < 2)
        return TSVC_OK;
    dup_item *items = tsvc__calloc(ctx, n, sizeof(*items));
    if (items == NULL)
        return TSVC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const tsvc__cbs *c = (const tsvc__cbs *)(const void *)((const char *)array +
                                                               i * stride + offset);
        items[i].data = c->data;
        items[i].len = c->len;
        items[i].index = i;
    }
    qsort(items, n, sizeof(*items), dup_cmp);
    for (size_t i = 1; i < n && !*found; i++) {
        if (items[i].len == items[i - 1].len &&
            (items[i].len == 0 || memcmp(items[i].data, items[i - 1].data, items[i].len) == 0)) {
            *found = true;
            *dup_index = items[i].index;
        }
    }
    tsvc__free(ctx, items);
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Lifetime                                                            */
/* ------------------------------------------------------------------ */

static void cert_destroy(tsvc_cert *cert)
{
    const tsvc_ctx *ctx = cert->ctx;
    tsvc__x509_free_extensions(cert);
    tsvc__free(ctx, cert->exts);
    if (cert->pubkey != NULL)
        tsvc_pubkey_free(cert->pubkey);
    tsvc__free(ctx, cert->der);
    tsvc__free(ctx, cert);
}

tsvc_cert *tsvc_cert_ref(tsvc_cert *cert)
{
    if (cert != NULL)
        atomic_fetch_add_explicit(&cert->refs, 1, memory_order_relaxed);
    return cert;
}

void tsvc_cert_free(tsvc_cert *cert)
{
    if (cert == NULL)
        return;
    if (atomic_fetch_sub_explicit(&cert->refs, 1, memory_order_acq_rel) == 1)
        cert_destroy(cert);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

#define READ TSVC__X509_READ

static tsvc_status fail(tsvc_error **err, tsvc_status code, const char *check,
                        const tsvc__cbs *at, const char *msg)
{
    return tsvc__err(err, code, check, at != NULL ? tsvc__cbs_offset(at) : -1, "%s", msg);
}

static tsvc_status parse_validity(tsvc_cert *cert, tsvc__cbs *tbs, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs validity;
    READ(tsvc__der_get(tbs, TSVC__TAG_SEQUENCE, &validity, &inner_), TSVC_ERR_CERT_FORMAT,
         "x509.validity", *tbs);
    for (int i = 0; i < 2; i++) {
        const bool gen = tsvc__der_peek_tag(&validity, TSVC__TAG_GENERALIZED_TIME);
        int64_t secs = 0;
        READ(tsvc__der_get_time(&validity, TSVC__TIME_RFC5280, &secs, NULL, &inner_),
             TSVC_ERR_CERT_FORMAT, "x509.validity.time", validity);
        /* 2050-01-01T00:00:00Z */
        if (gen && secs < INT64_C(2524608000))
            cert->flags |= TSVC_CERT_FLAG_GENERALIZED_TIME_BEFORE_2050;
        if (i == 0)
            cert->not_before = secs;
        else
            cert->not_after = secs;
    }
    if (validity.len != 0) {
        st = fail(err, TSVC_ERR_CERT_FORMAT, "x509.validity", &validity,
                  "data after notAfter");
        goto out;
    }
    st = TSVC_OK;
out:
    return st;
}

static tsvc_status parse_spki(tsvc_cert *cert, tsvc__cbs *tbs, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs spki, alg, bits;
    unsigned unused = 0;
    READ(tsvc__der_get_element(tbs, TSVC__TAG_SEQUENCE, &cert->spki, &inner_),
         TSVC_ERR_CERT_FORMAT, "x509.spki", *tbs);
    /* Structure check of our own so that unsupported algorithms are still
     * well-formed: SEQUENCE { AlgorithmIdentifier, BIT STRING }. */
    tsvc__cbs el = cert->spki;
    READ(tsvc__der_get(&el, TSVC__TAG_SEQUENCE, &spki, &inner_), TSVC_ERR_CERT_FORMAT,
         "x509.spki", cert->spki);
    READ(tsvc__der_get(&spki, TSVC__TAG_SEQUENCE, &alg, &inner_), TSVC_ERR_CERT_FORMAT,
         "x509.spki.algorithm", spki);
    READ(tsvc__der_get_oid(&alg, NULL, &inner_), TSVC_ERR_CERT_FORMAT, "x509.spki.algorithm",
         alg);
    READ(tsvc__der_get_bit_string(&spki, 0, &bits, &unused, &inner_), TSVC_ERR_CERT_FORMAT,
         "x509.spki.key", spki);
    READ(tsvc__der_expect_end(&spki, &inner_), TSVC_ERR_CERT_FORMAT, "x509.spki", spki);

    tsvc_error *inner = NULL;
    st = tsvc__pubkey_from_spki(cert->ctx, cert->spki.data, cert->spki.len, &cert->pubkey,
                                &inner);
    if (st == TSVC_ERR_ALGORITHM || st == TSVC_ERR_UNSUPPORTED || st == TSVC_ERR_NO_BACKEND) {
        /* Not a key this library can use: the certificate stays usable as
         * data (and as a leaf whose key nobody needs). */
        tsvc_error_free(inner);
        cert->pubkey = NULL;
        cert->pubkey_status = st;
        cert->flags |= TSVC_CERT_FLAG_UNKNOWN_KEY_ALGORITHM;
        st = TSVC_OK;
    } else if (st != TSVC_OK) {
        /* Explicit curve parameters, bad sizes, points off the curve: the
         * crypto layer's status says which. */
        if (inner != NULL) {
            int64_t off = tsvc_error_offset(inner);
            tsvc__err(err, st, tsvc_error_check(inner) ? tsvc_error_check(inner) : "x509.spki",
                      tsvc__cbs_offset(&cert->spki) + (off >= 0 ? off : 0), "%s",
                      tsvc_error_message(inner));
            tsvc_error_free(inner);
        } else {
            tsvc__err(err, st, "x509.spki", tsvc__cbs_offset(&cert->spki),
                      "unacceptable subject public key");
        }
        cert->pubkey = NULL;
        goto out;
    }
out:
    return st;
}

static tsvc_status parse_extensions(tsvc_cert *cert, tsvc__cbs *exts_seq, tsvc_error **err)
{
    tsvc_status st;
    size_t n = 0;
    tsvc__cbs walk = *exts_seq;
    while (walk.len > 0) {
        READ(tsvc__der_get_any(&walk, NULL, NULL, NULL, &inner_), TSVC_ERR_CERT_FORMAT,
             "x509.extensions", walk);
        n++;
    }
    if (n == 0) {
        st = fail(err, TSVC_ERR_CERT_FORMAT, "x509.extensions", exts_seq,
                  "empty extensions sequence");
        goto out;
    }
    cert->exts = tsvc__calloc(cert->ctx, n, sizeof(*cert->exts));
    if (cert->exts == NULL) {
        st = tsvc__err(err, TSVC_ERR_NOMEM, "x509.extensions", -1, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        tsvc__x509_ext *e = &cert->exts[i];
        tsvc__cbs ext;
        READ(tsvc__der_get(exts_seq, TSVC__TAG_SEQUENCE, &ext, &inner_), TSVC_ERR_CERT_FORMAT,
             "x509.extension", *exts_seq);
        READ(tsvc__der_get_oid(&ext, &e->oid, &inner_), TSVC_ERR_CERT_FORMAT,
             "x509.extension.oid", ext);
        if (tsvc__der_peek_tag(&ext, TSVC__TAG_BOOLEAN)) {
            tsvc__cbs at = ext;
            READ(tsvc__der_get_bool(&ext, &e->critical, &inner_), TSVC_ERR_CERT_FORMAT,
                 "x509.extension.critical", ext);
            if (!e->critical) {
                /* DER: a DEFAULT value is never encoded. */
                st = fail(err, TSVC_ERR_CERT_FORMAT, "x509.extension.critical", &at,
                          "critical FALSE must not be encoded (DER DEFAULT)");
                goto out;
            }
        }
        READ(tsvc__der_get_octet_string(&ext, &e->value, &inner_), TSVC_ERR_CERT_FORMAT,
             "x509.extension.value", ext);
        READ(tsvc__der_expect_end(&ext, &inner_), TSVC_ERR_CERT_FORMAT, "x509.extension", ext);
        cert->num_exts = i + 1;
    }
    {
        bool dup = false;
        size_t at = 0;
        st = tsvc__x509_find_duplicate(cert->ctx, cert->exts, n, sizeof(*cert->exts),
                                       offsetof(tsvc__x509_ext, oid), &dup, &at);
        if (st != TSVC_OK) {
            st = tsvc__err(err, st, "x509.extensions", -1, "out of memory");
            goto out;
        }
        if (dup) {
            const tsvc__x509_ext *e = &cert->exts[at];
            char text[TSVC__OID_TEXT_MAX];
            if (tsvc__oid_to_text(e->oid.data, e->oid.len, text, sizeof(text)) != TSVC_OK)
                snprintf(text, sizeof(text), "?");
            st = tsvc__err(err, TSVC_ERR_CERT_DUPLICATE_EXTENSION, "x509.extension.duplicate",
                           tsvc__cbs_offset(&e->oid), "extension %s appears more than once",
                           text);
            goto out;
        }
    }
    st = tsvc__x509_decode_extensions(cert, err);
out:
    return st;
}

static tsvc_status parse_cert(tsvc_cert *cert, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs input, outer, tbs;
    tsvc__cbs_init(&input, cert->der, cert->der_len);

    READ(tsvc__der_get(&input, TSVC__TAG_SEQUENCE, &outer, &inner_), TSVC_ERR_CERT_FORMAT,
         "x509.certificate", input);
    READ(tsvc__der_expect_end(&input, &inner_), TSVC_ERR_CERT_FORMAT, "x509.certificate",
         input);
    READ(tsvc__der_get_element(&outer, TSVC__TAG_SEQUENCE, &cert->tbs, &inner_),
         TSVC_ERR_CERT_FORMAT, "x509.tbs", outer);
    READ(tsvc__der_get_element(&outer, TSVC__TAG_SEQUENCE, &cert->sigalg, &inner_),
         TSVC_ERR_CERT_FORMAT, "x509.signature_algorithm", outer);
    {
        unsigned unused = 0;
        tsvc__cbs at = outer;
        READ(tsvc__der_get_bit_string(&outer, 0, &cert->sig_value, &unused, &inner_),
             TSVC_ERR_CERT_FORMAT, "x509.signature", outer);
        if (unused != 0) {
            st = fail(err, TSVC_ERR_CERT_FORMAT, "x509.signature", &at,
                      "signature BIT STRING has unused bits");
            goto out;
        }
    }
    READ(tsvc__der_expect_end(&outer, &inner_), TSVC_ERR_CERT_FORMAT, "x509.certificate",
         outer);

    /* TBSCertificate */
    tsvc__cbs el = cert->tbs;
    READ(tsvc__der_get(&el, TSVC__TAG_SEQUENCE, &tbs, &inner_), TSVC_ERR_CERT_FORMAT,
         "x509.tbs", el);

    cert->version = 1;
    if (tsvc__der_peek_tag(&tbs, TSVC__TAG_CONTEXT_C(0))) {
        tsvc__cbs at = tbs, ver;
        uint64_t v = 0;
        READ(tsvc__der_get(&tbs, TSVC__TAG_CONTEXT_C(0), &ver, &inner_), TSVC_ERR_CERT_FORMAT,
             "x509.version", tbs);
        tsvc__cbs vat = ver;
        st = tsvc__der_get_u64(&ver, &v, NULL);
        if (st != TSVC_OK || ver.len != 0) {
            st = fail(err, TSVC_ERR_CERT_VERSION, "x509.version", &vat,
                      "version is not a single small INTEGER");
            goto out;
        }
        if (v == 0) {
            st = fail(err, TSVC_ERR_CERT_VERSION, "x509.version", &at,
                      "version v1 must not be encoded (DER DEFAULT)");
            goto out;
        }
        if (v > 2) {
            st = tsvc__err(err, TSVC_ERR_CERT_VERSION, "x509.version", tsvc__cbs_offset(&vat),
                           "unsupported certificate version %llu (v%llu)",
                           (unsigned long long)v, (unsigned long long)(v + 1));
            goto out;
        }
        cert->version = (unsigned)v + 1;
    }

    {
        bool negative = false;
        READ(tsvc__der_get_integer(&tbs, 0, &cert->serial, &negative, &inner_),
             TSVC_ERR_CERT_FORMAT, "x509.serial", tbs);
        if (negative)
            cert->flags |= TSVC_CERT_FLAG_SERIAL_NEGATIVE;
        if (cert->serial.len == 1 && cert->serial.data[0] == 0)
            cert->flags |= TSVC_CERT_FLAG_SERIAL_ZERO;
        if (cert->serial.len > 20)
            cert->flags |= TSVC_CERT_FLAG_SERIAL_TOO_LONG;
    }

    {
        tsvc__cbs inner_alg;
        READ(tsvc__der_get_element(&tbs, TSVC__TAG_SEQUENCE, &inner_alg, &inner_),
             TSVC_ERR_CERT_FORMAT, "x509.tbs.signature", tbs);
        if (inner_alg.len != cert->sigalg.len ||
            memcmp(inner_alg.data, cert->sigalg.data, inner_alg.len) != 0) {
            st = fail(err, TSVC_ERR_CERT_SIGALG_MISMATCH, "x509.signature_algorithm",
                      &inner_alg,
                      "TBS signature algorithm differs from the outer signatureAlgorithm");
            goto out;
        }
    }

    READ(tsvc__der_get_element(&tbs, TSVC__TAG_SEQUENCE, &cert->issuer, &inner_),
         TSVC_ERR_CERT_FORMAT, "x509.issuer", tbs);
    READ(tsvc__name_check(&cert->issuer, &inner_), TSVC_ERR_NAME, "x509.issuer", cert->issuer);
    st = parse_validity(cert, &tbs, err);
    if (st != TSVC_OK)
        goto out;
    READ(tsvc__der_get_element(&tbs, TSVC__TAG_SEQUENCE, &cert->subject, &inner_),
         TSVC_ERR_CERT_FORMAT, "x509.subject", tbs);
    READ(tsvc__name_check(&cert->subject, &inner_), TSVC_ERR_NAME, "x509.subject",
         cert->subject);
    st = parse_spki(cert, &tbs, err);
    if (st != TSVC_OK)
        goto out;

    for (unsigned n = 1; n <= 2; n++) {
        if (!tsvc__der_peek_tag(&tbs, TSVC__TAG_CONTEXT(n)))
            continue;
        tsvc__cbs at = tbs;
        if (cert->version < 2) {
            st = fail(err, TSVC_ERR_CERT_VERSION, "x509.unique_id", &at,
                      "unique identifiers in a v1 certificate");
            goto out;
        }
        unsigned unused = 0;
        tsvc__cbs *dst = n == 1 ? &cert->issuer_uid : &cert->subject_uid;
        READ(tsvc__der_get_bit_string(&tbs, TSVC__TAG_CONTEXT(n), dst, &unused, &inner_),
             TSVC_ERR_CERT_FORMAT, "x509.unique_id", tbs);
        if (n == 1)
            cert->has_issuer_uid = true;
        else
            cert->has_subject_uid = true;
        cert->flags |= TSVC_CERT_FLAG_UNIQUE_IDS;
    }

    if (tsvc__der_peek_tag(&tbs, TSVC__TAG_CONTEXT_C(3))) {
        tsvc__cbs at = tbs, wrapper, seq;
        if (cert->version != 3) {
            st = fail(err, TSVC_ERR_CERT_VERSION, "x509.extensions", &at,
                      "extensions in a v1 or v2 certificate");
            goto out;
        }
        READ(tsvc__der_get(&tbs, TSVC__TAG_CONTEXT_C(3), &wrapper, &inner_),
             TSVC_ERR_CERT_FORMAT, "x509.extensions", tbs);
        READ(tsvc__der_get(&wrapper, TSVC__TAG_SEQUENCE, &seq, &inner_), TSVC_ERR_CERT_FORMAT,
             "x509.extensions", wrapper);
        READ(tsvc__der_expect_end(&wrapper, &inner_), TSVC_ERR_CERT_FORMAT, "x509.extensions",
             wrapper);
        st = parse_extensions(cert, &seq, err);
        if (st != TSVC_OK)
            goto out;
    }
    if (tbs.len != 0) {
        st = fail(err, TSVC_ERR_CERT_FORMAT, "x509.tbs", &tbs,
                  "unexpected data at the end of the TBSCertificate");
        goto out;
    }

    /* Signature algorithm: an unknown one leaves the certificate parseable. */
    {
        tsvc_error *inner = NULL;
        cert->sigalg_status = tsvc__sigalg_parse(&cert->sigalg, &cert->sig_params, &inner);
        tsvc_error_free(inner);
        if (cert->sigalg_status != TSVC_OK) {
            memset(&cert->sig_params, 0, sizeof(cert->sig_params));
            cert->sig_params.scheme = TSVC_SIG_NONE;
            cert->flags |= TSVC_CERT_FLAG_UNKNOWN_SIGNATURE_ALGORITHM;
        }
    }

    if (tsvc__name_is_empty(&cert->issuer))
        cert->flags |= TSVC_CERT_FLAG_EMPTY_ISSUER;
    if (tsvc__name_is_empty(&cert->subject) && !(cert->san.present && cert->san.critical))
        cert->flags |= TSVC_CERT_FLAG_EMPTY_SUBJECT_SAN_NOT_CRITICAL;
    cert->self_issued = tsvc__name_equal(&cert->issuer, &cert->subject);
    st = TSVC_OK;
out:
    return st;
}

tsvc_status tsvc__cert_parse_der(const tsvc_ctx *ctx, tsvc_cert **out, const uint8_t *der,
                                 size_t len, tsvc_error **err)
{
    tsvc_status st;
    tsvc_cert *cert = NULL;
    if (out == NULL || (der == NULL && len != 0)) {
        st = tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.parse", -1, "NULL argument");
        goto out;
    }
    *out = NULL;
    if ((uint64_t)len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE)) {
        st = tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "limit.input_size", -1,
                       "certificate of %zu bytes exceeds the input size limit", len);
        goto out;
    }
    st = tsvc__der_validate(der, len, (unsigned)tsvc__limit(ctx, TSVC_LIMIT_DER_DEPTH), err);
    if (st != TSVC_OK)
        goto out;
    cert = tsvc__calloc(ctx, 1, sizeof(*cert));
    if (cert == NULL) {
        st = tsvc__err(err, TSVC_ERR_NOMEM, "x509.parse", -1, "out of memory");
        goto out;
    }
    cert->ctx = ctx;
    atomic_init(&cert->refs, 1);
    atomic_init(&cert->der_digest_state, 0);
    cert->bc.path_len = -1;
    cert->pc.require_explicit_policy = -1;
    cert->pc.inhibit_policy_mapping = -1;
    cert->inhibit_any.skip_certs = -1;
    cert->der = tsvc__memdup(ctx, der, len);
    if (cert->der == NULL) {
        st = tsvc__err(err, TSVC_ERR_NOMEM, "x509.parse", -1, "out of memory");
        goto out;
    }
    cert->der_len = len;
    st = parse_cert(cert, err);
    if (st != TSVC_OK)
        goto out;
    *out = cert;
    cert = NULL;
out:
    if (cert != NULL)
        cert_destroy(cert);
    return st;
}

/*
 * PEM unless it starts like DER: PEM bundles often carry text before the
 * first block (comments in CA bundles, `openssl x509 -text` output).
 */
static bool is_pem(const uint8_t *data, size_t len)
{
    if (tsvc__pem_looks_like(data, len))
        return true;
    return len > 0 && data[0] != 0x30 && memmem(data, len, "-----BEGIN ", 11) != NULL;
}

/* One PEM block; *found = false (and TSVC_OK) at the end of the input. */
static tsvc_status next_pem(const tsvc_ctx *ctx, const uint8_t *data, size_t len, size_t *pos,
                            bool *found, char *label, size_t label_size, tsvc_buf *der,
                            tsvc_error **err)
{
    tsvc_error *inner = NULL;
    *found = false;
    tsvc_status st = tsvc__pem_next(ctx, (const char *)data, len, pos, found, label,
                                    label_size, der, &inner);
    if (st != TSVC_OK && !*found) {
        tsvc_error_free(inner);
        return TSVC_OK;
    }
    if (st != TSVC_OK) {
        tsvc__err(err, st, tsvc_error_check(inner), tsvc_error_offset(inner), "%s",
                  tsvc_error_message(inner));
        tsvc_error_free(inner);
        return st;
    }
    tsvc_error_free(inner);
    return TSVC_OK;
}

tsvc_status tsvc_cert_parse(const tsvc_ctx *ctx, tsvc_cert **out, const uint8_t *data,
                            size_t len, tsvc_error **err)
{
    tsvc_status st;
    tsvc_buf der = TSVC_BUF_INIT;
    if (out == NULL || (data == NULL && len != 0)) {
        st = tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.parse", -1, "NULL argument");
        goto out;
    }
    *out = NULL;
    if ((uint64_t)len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE)) {
        st = tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "limit.input_size", -1,
                       "input of %zu bytes exceeds the input size limit", len);
        goto out;
    }
    if (!is_pem(data, len)) {
        st = tsvc__cert_parse_der(ctx, out, data, len, err);
        goto out;
    }
    size_t pos = 0;
    for (;;) {
        bool found = false;
        char label[64];
        st = next_pem(ctx, data, len, &pos, &found, label, sizeof(label), &der, err);
        if (st != TSVC_OK || !found) {
            if (st == TSVC_OK)
                st = tsvc__err(err, TSVC_ERR_PEM, "x509.pem", -1,
                               "no CERTIFICATE block in the PEM input");
            goto out;
        }
        if (strcmp(label, "CERTIFICATE") == 0)
            break;
        tsvc_buf_dispose(&der);
    }
    st = tsvc__cert_parse_der(ctx, out, der.data, der.len, err);
out:
    tsvc_buf_dispose(&der);
    return st;
}

/* ------------------------------------------------------------------ */
/* Certificate lists                                                   */
/* ------------------------------------------------------------------ */

struct tsvc_cert_list {
    const tsvc_ctx *ctx;
    tsvc_cert **certs;
    size_t num;
    size_t cap;
};

tsvc_status tsvc_cert_list_new(const tsvc_ctx *ctx, tsvc_cert_list **out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.list", -1, "NULL argument");
    *out = tsvc__calloc(ctx, 1, sizeof(**out));
    if (*out == NULL)
        return tsvc__err(err, TSVC_ERR_NOMEM, "x509.list", -1, "out of memory");
    (*out)->ctx = ctx;
    return TSVC_OK;
}

tsvc_status tsvc_cert_list_add(tsvc_cert_list *list, tsvc_cert *cert, tsvc_error **err)
{
    if (list == NULL || cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.list", -1, "NULL argument");
    if (list->num == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        size_t old_bytes, new_bytes;
        if (!tsvc__mul_ok(cap, sizeof(*list->certs), &new_bytes) ||
            !tsvc__mul_ok(list->cap, sizeof(*list->certs), &old_bytes))
            return tsvc__err(err, TSVC_ERR_NOMEM, "x509.list", -1, "list too long");
        tsvc_cert **p = tsvc__realloc(list->ctx, list->certs, old_bytes, new_bytes);
        if (p == NULL)
            return tsvc__err(err, TSVC_ERR_NOMEM, "x509.list", -1, "out of memory");
        list->certs = p;
        list->cap = cap;
    }
    list->certs[list->num++] = tsvc_cert_ref(cert);
    return TSVC_OK;
}

size_t tsvc_cert_list_count(const tsvc_cert_list *list)
{
    return list != NULL ? list->num : 0;
}

tsvc_cert *tsvc_cert_list_get(const tsvc_cert_list *list, size_t index)
{
    if (list == NULL || index >= list->num)
        return NULL;
    return list->certs[index];
}

void tsvc_cert_list_free(tsvc_cert_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->num; i++)
        tsvc_cert_free(list->certs[i]);
    tsvc__free(list->ctx, list->certs);
    tsvc__free(list->ctx, list);
}

tsvc_status tsvc_cert_list_parse(const tsvc_ctx *ctx, tsvc_cert_list **out,
                                 const uint8_t *data, size_t len, tsvc_error **err)
{
    tsvc_status st;
    tsvc_cert_list *list = NULL;
    tsvc_cert *cert = NULL;
    tsvc_buf der = TSVC_BUF_INIT;
    if (out == NULL || (data == NULL && len != 0)) {
        st = tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.list", -1, "NULL argument");
        goto out;
    }
    *out = NULL;
    if ((uint64_t)len > tsvc__limit(ctx, TSVC_LIMIT_INPUT_SIZE)) {
        st = tsvc__err(err, TSVC_ERR_LIMIT_INPUT_SIZE, "limit.input_size", -1,
                       "input of %zu bytes exceeds the input size limit", len);
        goto out;
    }
    st = tsvc_cert_list_new(ctx, &list, err);
    if (st != TSVC_OK)
        goto out;
    if (!is_pem(data, len)) {
        st = tsvc__cert_parse_der(ctx, &cert, data, len, err);
        if (st != TSVC_OK)
            goto out;
        st = tsvc_cert_list_add(list, cert, err);
        if (st != TSVC_OK)
            goto out;
    } else {
        size_t pos = 0;
        for (;;) {
            bool found = false;
            char label[64];
            const size_t block_start = pos;
            st = next_pem(ctx, data, len, &pos, &found, label, sizeof(label), &der, err);
            if (st != TSVC_OK)
                goto out;
            if (!found)
                break;
            if (strcmp(label, "CERTIFICATE") == 0) {
                tsvc_error *inner = NULL;
                st = tsvc__cert_parse_der(ctx, &cert, der.data, der.len, &inner);
                if (st != TSVC_OK) {
                    tsvc__err(err, st, tsvc_error_check(inner), (int64_t)block_start,
                              "certificate %zu: %s", list->num + 1,
                              tsvc_error_message(inner));
                    tsvc_error_free(inner);
                    goto out;
                }
                st = tsvc_cert_list_add(list, cert, err);
                if (st != TSVC_OK)
                    goto out;
                tsvc_cert_free(cert);
                cert = NULL;
            }
            tsvc_buf_dispose(&der);
        }
        if (list->num == 0) {
            st = tsvc__err(err, TSVC_ERR_PEM, "x509.pem", -1,
                           "no CERTIFICATE block in the PEM input");
            goto out;
        }
    }
    *out = list;
    list = NULL;
out:
    tsvc_cert_free(cert);
    tsvc_buf_dispose(&der);
    tsvc_cert_list_free(list);
    return st;
}

/* ------------------------------------------------------------------ */
/* Signatures                                                          */
/* ------------------------------------------------------------------ */

/*
 * The SHA-256 of the certificate's DER (which holds the TBS bytes, the
 * signature algorithm and the signature value), made once per certificate
 * and kept in it: the first thread to claim the slot writes it; any other
 * thread that comes before it is published uses its own copy. Also the
 * ESSCertIDv2 certHash of CAdES and time-stamp tokens.
 */
tsvc_status tsvc__cert_sha256(const tsvc_ctx *ctx, const tsvc_cert *cert,
                              uint8_t out[TSVC__SIGCACHE_KEY_SIZE], tsvc_error **err)
{
    if (cert == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.digest", -1, "NULL argument");
    /* The digest is the one field filled after parsing; the certificate
     * itself was allocated writable. */
    tsvc_cert *c = (tsvc_cert *)(uintptr_t)cert;
    if (atomic_load_explicit(&c->der_digest_state, memory_order_acquire) == 2) {
        memcpy(out, c->der_digest, TSVC__SIGCACHE_KEY_SIZE);
        return TSVC_OK;
    }
    tsvc_status st = tsvc__hash_oneshot(ctx, TSVC_HASH_SHA256, c->der, c->der_len, out, err);
    if (st != TSVC_OK)
        return st;
    int expected = 0;
    if (atomic_compare_exchange_strong_explicit(&c->der_digest_state, &expected, 1,
                                                memory_order_acquire, memory_order_relaxed)) {
        memcpy(c->der_digest, out, TSVC__SIGCACHE_KEY_SIZE);
        atomic_store_explicit(&c->der_digest_state, 2, memory_order_release);
    }
    return TSVC_OK;
}

/* Cache key: SHA-256(SHA-256(child DER) || issuer SPKI DER). False when no
 * key can be made (no SHA-256 backend, no memory): then no caching. */
static bool sig_cache_key(const tsvc_ctx *ctx, const tsvc_cert *child, const tsvc_pubkey *pub,
                          uint8_t key[TSVC__SIGCACHE_KEY_SIZE])
{
    size_t spki_len = 0;
    const uint8_t *spki = tsvc__pubkey_spki(pub, &spki_len);
    if (spki == NULL || spki_len > SIZE_MAX - TSVC__SIGCACHE_KEY_SIZE)
        return false;
    uint8_t local[TSVC__SIGCACHE_KEY_SIZE + 1024];
    size_t len = TSVC__SIGCACHE_KEY_SIZE + spki_len;
    uint8_t *buf = len <= sizeof(local) ? local : tsvc__alloc(ctx, len);
    if (buf == NULL)
        return false;
    bool ok = tsvc__cert_sha256(ctx, child, buf, NULL) == TSVC_OK;
    if (ok) {
        memcpy(buf + TSVC__SIGCACHE_KEY_SIZE, spki, spki_len);
        ok = tsvc__hash_oneshot(ctx, TSVC_HASH_SHA256, buf, len, key, NULL) == TSVC_OK;
    }
    if (buf != local)
        tsvc__free(ctx, buf);
    return ok;
}

tsvc_status tsvc__cert_verify_signed_by(const tsvc_ctx *ctx, const tsvc_cert *child,
                                        const tsvc_pubkey *issuer_pubkey, tsvc_error **err)
{
    if (child == NULL || issuer_pubkey == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.verify", -1, "NULL argument");
    if (child->sigalg_status != TSVC_OK || child->sig_params.scheme == TSVC_SIG_NONE)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "x509.signature_algorithm",
                         tsvc__cbs_offset(&child->sigalg),
                         "unsupported certificate signature algorithm");
    uint8_t key[TSVC__SIGCACHE_KEY_SIZE];
    bool cacheable = tsvc__sigcache_enabled(ctx) && sig_cache_key(ctx, child, issuer_pubkey, key);
    if (cacheable && tsvc__sigcache_lookup(ctx, key))
        return TSVC_OK;
    tsvc_status st = tsvc__verify(ctx, issuer_pubkey, &child->sig_params, child->tbs.data,
                                  child->tbs.len, child->sig_value.data, child->sig_value.len,
                                  err);
    if (st == TSVC_OK && cacheable)
        tsvc__sigcache_insert(ctx, key);
    return st;
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */
/* ------------------------------------------------------------------ */

static const uint8_t *view(const tsvc__cbs *c, size_t *len)
{
    if (len != NULL)
        *len = c->len;
    return c->data;
}

const uint8_t *tsvc_cert_der(const tsvc_cert *cert, size_t *len)
{
    if (cert == NULL) {
        if (len != NULL)
            *len = 0;
        return NULL;
    }
    if (len != NULL)
        *len = cert->der_len;
    return cert->der;
}

#define CERT_VIEW(fn, field)                                                                \
    const uint8_t *fn(const tsvc_cert *cert, size_t *len)                                   \
    {                                                                                       \
        if (cert == NULL) {                                                                 \
            if (len != NULL)                                                                \
                *len = 0;                                                                   \
            return NULL;                                                                    \
        }                                                                                   \
        return view(&cert->field, len);                                                     \
    }

CERT_VIEW(tsvc_cert_tbs, tbs)
CERT_VIEW(tsvc_cert_serial, serial)
CERT_VIEW(tsvc_cert_issuer_der, issuer)
CERT_VIEW(tsvc_cert_subject_der, subject)
CERT_VIEW(tsvc_cert_spki, spki)
CERT_VIEW(tsvc_cert_sigalg_der, sigalg)
CERT_VIEW(tsvc_cert_signature, sig_value)

unsigned tsvc_cert_version(const tsvc_cert *cert)
{
    return cert != NULL ? cert->version : 0;
}

tsvc_status tsvc_cert_issuer_text(const tsvc_cert *cert, tsvc_buf *out, tsvc_error **err)
{
    if (cert == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.name", -1, "NULL argument");
    return tsvc__name_to_text(cert->ctx, &cert->issuer, out, err);
}

tsvc_status tsvc_cert_subject_text(const tsvc_cert *cert, tsvc_buf *out, tsvc_error **err)
{
    if (cert == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.name", -1, "NULL argument");
    return tsvc__name_to_text(cert->ctx, &cert->subject, out, err);
}

int64_t tsvc_cert_not_before(const tsvc_cert *cert)
{
    return cert != NULL ? cert->not_before : 0;
}

int64_t tsvc_cert_not_after(const tsvc_cert *cert)
{
    return cert != NULL ? cert->not_after : 0;
}

tsvc_status tsvc_cert_pubkey(const tsvc_cert *cert, tsvc_pubkey **out, tsvc_error **err)
{
    if (cert == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.pubkey", -1, "NULL argument");
    *out = NULL;
    if (cert->pubkey == NULL)
        return tsvc__err(err, cert->pubkey_status != TSVC_OK ? cert->pubkey_status
                                                             : TSVC_ERR_ALGORITHM,
                         "x509.spki", tsvc__cbs_offset(&cert->spki),
                         "the subject public key algorithm is not supported");
    *out = tsvc_pubkey_ref(cert->pubkey);
    return TSVC_OK;
}

tsvc_sig_scheme tsvc_cert_sig_scheme(const tsvc_cert *cert)
{
    return cert != NULL ? cert->sig_params.scheme : TSVC_SIG_NONE;
}

tsvc_hash_alg tsvc_cert_sig_hash(const tsvc_cert *cert)
{
    return cert != NULL ? cert->sig_params.hash : TSVC_HASH_NONE;
}

tsvc_status tsvc_cert_fingerprint(const tsvc_cert *cert, tsvc_buf *out, tsvc_hash_alg alg,
                                  tsvc_error **err)
{
    tsvc_status st;
    if (cert == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.fingerprint", -1, "NULL argument");
    out->data = NULL;
    out->len = 0;
    const size_t n = tsvc__hash_size(alg);
    if (n == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "x509.fingerprint", -1,
                         "unknown hash algorithm");
    st = tsvc__buf_alloc(cert->ctx, out, n);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "x509.fingerprint", -1, "out of memory");
    st = tsvc__hash_oneshot(cert->ctx, alg, cert->der, cert->der_len, out->data, err);
    if (st != TSVC_OK)
        tsvc_buf_dispose(out);
    return st;
}

uint32_t tsvc_cert_flags(const tsvc_cert *cert)
{
    return cert != NULL ? cert->flags : 0;
}

int tsvc_cert_is_self_issued(const tsvc_cert *cert)
{
    return cert != NULL && cert->self_issued;
}

/* ---- extensions ---- */

const tsvc__x509_ext *tsvc__cert_find_ext(const tsvc_cert *cert, const uint8_t *oid,
                                          size_t oid_len)
{
    if (cert == NULL)
        return NULL;
    for (size_t i = 0; i < cert->num_exts; i++)
        if (cert->exts[i].oid.len == oid_len && memcmp(cert->exts[i].oid.data, oid, oid_len) == 0)
            return &cert->exts[i];
    return NULL;
}

bool tsvc__cert_eku_allows(const tsvc_cert *cert, const uint8_t *oid, size_t oid_len)
{
    if (!cert->eku.present)
        return true;
    for (size_t i = 0; i < cert->eku.num; i++) {
        if (tsvc__oid_equal(&cert->eku.oids[i], oid, oid_len) ||
            tsvc__oid_equal(&cert->eku.oids[i], (const uint8_t *)TSVC__OID_ANY_EKU,
                            TSVC__OID_LEN(TSVC__OID_ANY_EKU)))
            return true;
    }
    return false;
}

size_t tsvc_cert_num_extensions(const tsvc_cert *cert)
{
    return cert != NULL ? cert->num_exts : 0;
}

static tsvc_status oid_out(const tsvc__cbs *oid, char *out, size_t out_size)
{
    if (out == NULL)
        return TSVC_OK;
    char text[TSVC__OID_TEXT_MAX];
    tsvc_status st = tsvc__oid_to_text(oid->data, oid->len, text, sizeof(text));
    if (st != TSVC_OK)
        return st;
    const size_t n = strlen(text);
    if (n + 1 > out_size)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    memcpy(out, text, n + 1);
    return TSVC_OK;
}

tsvc_status tsvc_cert_extension_at(const tsvc_cert *cert, size_t index, char *oid,
                                   size_t oid_size, int *critical, const uint8_t **value,
                                   size_t *value_len)
{
    if (cert == NULL || index >= cert->num_exts)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__x509_ext *e = &cert->exts[index];
    tsvc_status st = oid_out(&e->oid, oid, oid_size);
    if (st != TSVC_OK)
        return st;
    if (critical != NULL)
        *critical = e->critical;
    if (value != NULL)
        *value = e->value.data;
    if (value_len != NULL)
        *value_len = e->value.len;
    return TSVC_OK;
}

tsvc_status tsvc_cert_extension(const tsvc_cert *cert, int *critical, const uint8_t **value,
                                size_t *value_len, const char *oid)
{
    uint8_t der[TSVC__OID_MAX_LEN];
    size_t der_len = 0;
    if (cert == NULL || oid == NULL ||
        tsvc__oid_from_text(oid, der, sizeof(der), &der_len) != TSVC_OK)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__x509_ext *e = tsvc__cert_find_ext(cert, der, der_len);
    if (e == NULL)
        return TSVC_ERR_NOT_FOUND;
    if (critical != NULL)
        *critical = e->critical;
    if (value != NULL)
        *value = e->value.data;
    if (value_len != NULL)
        *value_len = e->value.len;
    return TSVC_OK;
}

int tsvc_cert_basic_constraints(const tsvc_cert *cert, int *ca, int64_t *path_len)
{
    const bool present = cert != NULL && cert->bc.present;
    if (ca != NULL)
        *ca = present && cert->bc.ca;
    if (path_len != NULL)
        *path_len = present ? cert->bc.path_len : -1;
    return present;
}

int tsvc_cert_key_usage(const tsvc_cert *cert, uint32_t *bits)
{
    const bool present = cert != NULL && cert->ku.present;
    if (bits != NULL)
        *bits = present ? cert->ku.bits : 0;
    return present;
}

size_t tsvc_cert_num_ekus(const tsvc_cert *cert)
{
    return cert != NULL ? cert->eku.num : 0;
}

tsvc_status tsvc_cert_eku(const tsvc_cert *cert, size_t index, char *out, size_t out_size)
{
    if (cert == NULL || index >= cert->eku.num || out == NULL)
        return TSVC_ERR_INVALID_ARG;
    return oid_out(&cert->eku.oids[index], out, out_size);
}

int tsvc_cert_has_eku(const tsvc_cert *cert, const char *oid)
{
    uint8_t der[TSVC__OID_MAX_LEN];
    size_t der_len = 0;
    if (cert == NULL || oid == NULL ||
        tsvc__oid_from_text(oid, der, sizeof(der), &der_len) != TSVC_OK)
        return 0;
    for (size_t i = 0; i < cert->eku.num; i++)
        if (tsvc__oid_equal(&cert->eku.oids[i], der, der_len))
            return 1;
    return 0;
}

size_t tsvc_cert_num_sans(const tsvc_cert *cert)
{
    return cert != NULL ? cert->san.num : 0;
}

tsvc_status tsvc_cert_san(const tsvc_cert *cert, size_t index, tsvc_general_name_type *type,
                          const uint8_t **value, size_t *value_len)
{
    if (cert == NULL || index >= cert->san.num)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__x509_gname *g = &cert->san.names[index];
    if (type != NULL)
        *type = g->type;
    if (value != NULL)
        *value = g->value.data;
    if (value_len != NULL)
        *value_len = g->value.len;
    return TSVC_OK;
}

int tsvc_cert_match_host(const tsvc_cert *cert, const char *host)
{
    if (cert == NULL || host == NULL)
        return 0;
    return tsvc__cert_match_host(cert, host, strlen(host));
}

size_t tsvc_cert_num_policies(const tsvc_cert *cert)
{
    return cert != NULL ? cert->policies.num : 0;
}

tsvc_status tsvc_cert_policy(const tsvc_cert *cert, size_t index, char *out, size_t out_size,
                             const uint8_t **qualifiers, size_t *qualifiers_len)
{
    if (cert == NULL || index >= cert->policies.num)
        return TSVC_ERR_INVALID_ARG;
    const tsvc__x509_policy *p = &cert->policies.items[index];
    tsvc_status st = oid_out(&p->oid, out, out_size);
    if (st != TSVC_OK)
        return st;
    if (qualifiers != NULL)
        *qualifiers = p->qualifiers.len ? p->qualifiers.data : NULL;
    if (qualifiers_len != NULL)
        *qualifiers_len = p->qualifiers.len;
    return TSVC_OK;
}

const uint8_t *tsvc_cert_subject_key_id(const tsvc_cert *cert, size_t *len)
{
    if (len != NULL)
        *len = 0;
    if (cert == NULL || !cert->ski.present)
        return NULL;
    return view(&cert->ski.key_id, len);
}

const uint8_t *tsvc_cert_authority_key_id(const tsvc_cert *cert, size_t *len)
{
    if (len != NULL)
        *len = 0;
    if (cert == NULL || !cert->aki.present || !cert->aki.has_key_id)
        return NULL;
    return view(&cert->aki.key_id, len);
}

size_t tsvc_cert_num_crl_uris(const tsvc_cert *cert)
{
    return cert != NULL ? cert->crldp.num_uris : 0;
}

const char *tsvc_cert_crl_uri(const tsvc_cert *cert, size_t index)
{
    if (cert == NULL || index >= cert->crldp.num_uris)
        return NULL;
    return cert->crldp.uris[index];
}

size_t tsvc_cert_num_ocsp_uris(const tsvc_cert *cert)
{
    return cert != NULL ? cert->aia.num_ocsp : 0;
}

const char *tsvc_cert_ocsp_uri(const tsvc_cert *cert, size_t index)
{
    if (cert == NULL || index >= cert->aia.num_ocsp)
        return NULL;
    return cert->aia.ocsp[index];
}

size_t tsvc_cert_num_ca_issuers_uris(const tsvc_cert *cert)
{
    return cert != NULL ? cert->aia.num_ca_issuers : 0;
}

const char *tsvc_cert_ca_issuers_uri(const tsvc_cert *cert, size_t index)
{
    if (cert == NULL || index >= cert->aia.num_ca_issuers)
        return NULL;
    return cert->aia.ca_issuers[index];
}

const uint8_t *tsvc_cert_qc_statements(const tsvc_cert *cert, size_t *len)
{
    if (len != NULL)
        *len = 0;
    if (cert == NULL || !cert->qc_statements.present)
        return NULL;
    return view(&cert->qc_statements.value, len);
}
