/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for the strict DER reader, the builder and the BER
 * normaliser. Invariants checked (abort() on violation):
 *  - every failure comes with error detail;
 *  - a getter that fails leaves the cursor where it was;
 *  - a value tsvc__der_validate accepts is walked without error and is
 *    re-encoded by the builder (SET OF sorted by close_set_of) byte for byte;
 *  - whatever tsvc__ber_to_der produces passes tsvc__der_validate, is a
 *    fixed point of tsvc__ber_to_der, and equals the input when the input
 *    already was DER.
 */
#include <stdlib.h>
#include <string.h>

#include "der/der.h"
#include "fuzz.h"

#define MAX_DEPTH 32u

static void check(bool ok)
{
    if (!ok)
        abort();
}

static bool same_cursor(const tsvc__cbs *a, const tsvc__cbs *b)
{
    return a->data == b->data && a->len == b->len && a->base == b->base;
}

/* Runs the typed getters on one element; each must succeed or not move. */
static void try_getters(const tsvc__cbs *element)
{
    tsvc__cbs c = *element, out;
    bool b, neg;
    uint64_t u;
    int64_t i, secs;
    uint32_t nanos;
    unsigned unused;

#define TRY(call)                                                                                  \
    do {                                                                                           \
        c = *element;                                                                              \
        if ((call) != TSVC_OK)                                                                     \
            check(same_cursor(&c, element));                                                       \
        else                                                                                       \
            check(c.len == 0);                                                                     \
    } while (0)
    TRY(tsvc__der_get_bool(&c, &b, NULL));
    TRY(tsvc__der_get_null(&c, NULL));
    TRY(tsvc__der_get_u64(&c, &u, NULL));
    TRY(tsvc__der_get_i64(&c, &i, NULL));
    TRY(tsvc__der_get_integer(&c, 0, &out, &neg, NULL));
    TRY(tsvc__der_get_unsigned(&c, &out, NULL));
    TRY(tsvc__der_get_bit_string(&c, 0, &out, &unused, NULL));
    TRY(tsvc__der_get_named_bits(&c, 0, &u, true, NULL));
    TRY(tsvc__der_get_named_bits(&c, 0, &u, false, NULL));
    TRY(tsvc__der_get_octet_string(&c, &out, NULL));
    TRY(tsvc__der_get_oid(&c, &out, NULL));
    TRY(tsvc__der_get_time(&c, TSVC__TIME_RFC5280, &secs, &nanos, NULL));
    TRY(tsvc__der_get_time(&c, TSVC__TIME_GENERALIZED_FRAC, &secs, &nanos, NULL));
#undef TRY

    /* OID text conversion round-trips. */
    c = *element;
    if (tsvc__der_get_oid(&c, &out, NULL) == TSVC_OK) {
        char text[TSVC__OID_TEXT_MAX];
        uint8_t der[TSVC__OID_MAX_LEN];
        size_t len = 0;
        check(tsvc__oid_to_text(out.data, out.len, text, sizeof(text)) == TSVC_OK);
        check(tsvc__oid_from_text(text, der, sizeof(der), &len) == TSVC_OK);
        check(tsvc__oid_equal(&out, der, len));
    }
    /* Times written back read the same. */
    c = *element;
    if (tsvc__der_get_time(&c, TSVC__TIME_GENERALIZED_FRAC, &secs, &nanos, NULL) == TSVC_OK) {
        tsvc__cbb cbb;
        tsvc_buf buf = TSVC_BUF_INIT;
        int64_t secs2 = 0;
        uint32_t nanos2 = 0;
        tsvc__cbb_init(&cbb, NULL);
        tsvc__cbb_add_generalized_time(&cbb, secs, nanos);
        if (tsvc__cbb_finish(&cbb, &buf) == TSVC_OK) {
            tsvc__cbs r;
            tsvc__cbs_init(&r, buf.data, buf.len);
            check(tsvc__der_get_time(&r, TSVC__TIME_GENERALIZED_FRAC, &secs2, &nanos2, NULL) ==
                  TSVC_OK);
            check(secs2 == secs && nanos2 == nanos);
        }
        tsvc_buf_dispose(&buf);
    }
}

/* Walks every element; rebuilds the value into @p cbb when it is non-NULL. */
static tsvc_status walk(tsvc__cbs *cbs, unsigned depth, tsvc__cbb *cbb)
{
    while (cbs->len > 0) {
        const tsvc__cbs before = *cbs;
        uint32_t tag;
        tsvc__cbs contents, element;
        tsvc_error *err = NULL;
        tsvc_status st = tsvc__der_get_any(cbs, &tag, &contents, &element, &err);
        if (st != TSVC_OK) {
            check(err != NULL && tsvc_error_code(err) == st);
            check(tsvc_error_offset(err) >= tsvc__cbs_offset(&before));
            tsvc_error_free(err);
            check(same_cursor(cbs, &before));
            return st;
        }
        check(element.data == before.data);
        check(contents.data + contents.len == element.data + element.len);
        check(tsvc__der_peek_tag(&before, tag));
        try_getters(&element);
        if ((tag & TSVC__DER_CONSTRUCTED) && depth < MAX_DEPTH) {
            if (cbb != NULL)
                tsvc__cbb_open(cbb, tag);
            st = walk(&contents, depth + 1, cbb);
            if (st != TSVC_OK)
                return st;
            if (cbb != NULL) {
                if (tag == TSVC__TAG_SET)
                    tsvc__cbb_close_set_of(cbb);
                else
                    tsvc__cbb_close(cbb);
            }
        } else if (cbb != NULL) {
            tsvc__cbb_add_element(cbb, tag, contents.data, contents.len);
        }
    }
    return TSVC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_error *err = NULL;
    tsvc__cbs cbs;
    tsvc_buf der = TSVC_BUF_INIT, again = TSVC_BUF_INIT;

    const tsvc_status valid = tsvc__der_validate(data, size, MAX_DEPTH, &err);
    if (valid != TSVC_OK)
        check(err != NULL && tsvc_error_code(err) == valid && tsvc_error_check(err) != NULL);
    tsvc_error_free(err);
    err = NULL;

    /* Walk; for valid input also rebuild and compare. */
    tsvc__cbs_init(&cbs, data, size);
    if (valid == TSVC_OK) {
        tsvc__cbb cbb;
        tsvc_buf rebuilt = TSVC_BUF_INIT;
        tsvc__cbb_init(&cbb, NULL);
        check(walk(&cbs, 1, &cbb) == TSVC_OK);
        check(tsvc__cbb_finish(&cbb, &rebuilt) == TSVC_OK);
        check(rebuilt.len == size && memcmp(rebuilt.data, data, size) == 0);
        tsvc_buf_dispose(&rebuilt);
        /* Check SET OF order on every SET as a separate entry point too. */
    } else {
        (void)walk(&cbs, 1, NULL);
    }

    /* BER normaliser. */
    const tsvc_status st = tsvc__ber_to_der(NULL, data, size, MAX_DEPTH, &der, &err);
    if (st != TSVC_OK) {
        check(err != NULL && tsvc_error_code(err) == st);
        check(der.data == NULL && der.len == 0);
        check(valid != TSVC_OK); /* DER input always normalises */
    } else {
        check(tsvc__der_validate(der.data, der.len, MAX_DEPTH, NULL) == TSVC_OK);
        if (valid == TSVC_OK)
            check(der.len == size && memcmp(der.data, data, size) == 0);
        check(tsvc__ber_to_der(NULL, der.data, der.len, MAX_DEPTH, &again, NULL) == TSVC_OK);
        check(again.len == der.len && memcmp(again.data, der.data, der.len) == 0);
    }
    tsvc_error_free(err);
    tsvc_buf_dispose(&der);
    tsvc_buf_dispose(&again);
    return 0;
}
