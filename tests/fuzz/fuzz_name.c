/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for distinguished names in RFC 4514 text and DER.
 *
 * The input is read two ways:
 *  - as text (NUL-terminated copy): tsvc_name_from_text() -> DER1 ->
 *    tsvc_name_to_text() -> text1 -> tsvc_name_from_text() -> DER2 ->
 *    tsvc_name_to_text() -> text2. The text the library writes must parse
 *    again, and one round normalises: text2 == text1 and DER2 is
 *    structurally a Name equal (tsvc__name_equal) to itself re-parsed;
 *  - as a DER Name: tsvc_name_to_text() -> text -> DER -> text again,
 *    with the same stability rule, and tsvc__name_check/tsvc__name_parse
 *    agree with tsvc_name_to_text about what is a Name.
 * Every DER produced must pass tsvc__der_validate() and
 * tsvc__name_check(). abort() on any violation.
 */
#include <stdlib.h>
#include <string.h>

#include "der/der.h"
#include "fuzz.h"
#include "trustsvc/x509.h"
#include "x509/x509.h"

static void check(bool ok)
{
    if (!ok)
        abort();
}

static tsvc_ctx *ctx(void)
{
    static tsvc_ctx *c;
    if (c == NULL && tsvc_ctx_new(&c, NULL, NULL) != TSVC_OK)
        abort();
    return c;
}

static bool same(const tsvc_buf *a, const tsvc_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void check_name_der(const tsvc_buf *der)
{
    tsvc__cbs n;
    check(tsvc__der_validate(der->data, der->len, 0, NULL) == TSVC_OK);
    tsvc__cbs_init(&n, der->data, der->len);
    check(tsvc__name_check(&n, NULL) == TSVC_OK);
    check(tsvc__name_equal(&n, &n));
}

/* From text the library wrote: parses, and the next round changes nothing. */
static void stable_from(const tsvc_buf *text1, const tsvc_buf *der1)
{
    tsvc_buf der2 = TSVC_BUF_INIT, text2 = TSVC_BUF_INIT, der3 = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    check(text1->data != NULL && text1->data[text1->len] == '\0');
    check(strlen((const char *)text1->data) == text1->len);
    if (tsvc_name_from_text(ctx(), &der2, (const char *)text1->data, &err) != TSVC_OK)
        abort(); /* the library's own text must parse */
    check_name_der(&der2);
    check(tsvc_name_to_text(ctx(), &text2, der2.data, der2.len, NULL) == TSVC_OK);
    check(same(text1, &text2));
    check(tsvc_name_from_text(ctx(), &der3, (const char *)text2.data, NULL) == TSVC_OK);
    check(same(&der2, &der3));
    /* Names that differ only in ways the text does not show compare equal
     * to their normalised form when both are string-typed the same way. */
    if (der1 != NULL && same(der1, &der2))
        check(tsvc_name_equal(der1->data, der1->len, der2.data, der2.len));
    tsvc_buf_dispose(&der2);
    tsvc_buf_dispose(&text2);
    tsvc_buf_dispose(&der3);
}

static void from_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return;
    memcpy(text, data, size);
    text[size] = '\0';

    tsvc_buf der1 = TSVC_BUF_INIT, text1 = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    const tsvc_status st = tsvc_name_from_text(ctx(), &der1, text, &err);
    if (st != TSVC_OK) {
        check(err != NULL && tsvc_error_code(err) == st);
        check(der1.data == NULL && der1.len == 0);
        tsvc_error_free(err);
        free(text);
        return;
    }
    check(err == NULL);
    check_name_der(&der1);
    check(tsvc_name_to_text(ctx(), &text1, der1.data, der1.len, NULL) == TSVC_OK);
    stable_from(&text1, &der1);
    tsvc_buf_dispose(&der1);
    tsvc_buf_dispose(&text1);
    free(text);
}

static void from_der(const uint8_t *data, size_t size)
{
    tsvc_buf text1 = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    const tsvc_status st = tsvc_name_to_text(ctx(), &text1, data, size, &err);
    tsvc__cbs n;
    tsvc__cbs_init(&n, data, size);
    if (st != TSVC_OK) {
        check(err != NULL && tsvc_error_code(err) == st);
        check(text1.data == NULL && text1.len == 0);
        tsvc_error_free(err);
        return;
    }
    check(err == NULL);
    /* What prints is a Name the other entry points accept too. */
    check(tsvc__name_check(&n, NULL) == TSVC_OK);
    tsvc__x509_attr *attrs = NULL;
    size_t num = 0;
    check(tsvc__name_parse(ctx(), &n, &attrs, &num, NULL) == TSVC_OK);
    check((num == 0) == tsvc__name_is_empty(&n));
    for (size_t i = 0; i < num; i++)
        check(i == 0 || attrs[i].rdn >= attrs[i - 1].rdn);
    tsvc__free(ctx(), attrs);
    check(tsvc_name_equal(data, size, data, size));
    check(tsvc__name_in_subtree(&n, &n));

    tsvc_buf bytes = {(uint8_t *)(uintptr_t)data, size};
    stable_from(&text1, &bytes);
    tsvc_buf_dispose(&text1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    from_text(data, size);
    from_der(data, size);
    return 0;
}
