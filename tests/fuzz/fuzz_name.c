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
#include "fuzz_util.h"
#include "trustsvc/x509.h"
#include "x509/x509.h"

static void check_name_der(const tsvc_buf *der)
{
    tsvc__cbs n;
    fuzz_check(tsvc__der_validate(der->data, der->len, 0, NULL) == TSVC_OK);
    tsvc__cbs_init(&n, der->data, der->len);
    fuzz_check(tsvc__name_check(&n, NULL) == TSVC_OK);
    fuzz_check(tsvc__name_equal(&n, &n));
}

/* From text the library wrote: parses, and the next round changes nothing. */
static void stable_from(const tsvc_buf *text1, const tsvc_buf *der1)
{
    tsvc_buf der2 = TSVC_BUF_INIT, text2 = TSVC_BUF_INIT, der3 = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    fuzz_check(text1->data != NULL && text1->data[text1->len] == '\0');
    fuzz_check(strlen((const char *)text1->data) == text1->len);
    if (tsvc_name_from_text(fuzz_ctx(), &der2, (const char *)text1->data, &err) != TSVC_OK)
        abort(); /* the library's own text must parse */
    check_name_der(&der2);
    fuzz_check(tsvc_name_to_text(fuzz_ctx(), &text2, der2.data, der2.len, NULL) == TSVC_OK);
    fuzz_check(fuzz_same(text1, &text2));
    fuzz_check(tsvc_name_from_text(fuzz_ctx(), &der3, (const char *)text2.data, NULL) ==
               TSVC_OK);
    fuzz_check(fuzz_same(&der2, &der3));
    /* Names that differ only in ways the text does not show compare equal
     * to their normalised form when both are string-typed the same way. */
    if (der1 != NULL && fuzz_same(der1, &der2))
        fuzz_check(tsvc_name_equal(der1->data, der1->len, der2.data, der2.len));
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
    const tsvc_status st = tsvc_name_from_text(fuzz_ctx(), &der1, text, &err);
    if (st != TSVC_OK) {
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        fuzz_check(der1.data == NULL && der1.len == 0);
        tsvc_error_free(err);
        free(text);
        return;
    }
    fuzz_check(err == NULL);
    check_name_der(&der1);
    fuzz_check(tsvc_name_to_text(fuzz_ctx(), &text1, der1.data, der1.len, NULL) == TSVC_OK);
    stable_from(&text1, &der1);
    tsvc_buf_dispose(&der1);
    tsvc_buf_dispose(&text1);
    free(text);
}

static void from_der(const uint8_t *data, size_t size)
{
    tsvc_buf text1 = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    const tsvc_status st = tsvc_name_to_text(fuzz_ctx(), &text1, data, size, &err);
    tsvc__cbs n;
    tsvc__cbs_init(&n, data, size);
    if (st != TSVC_OK) {
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        fuzz_check(text1.data == NULL && text1.len == 0);
        tsvc_error_free(err);
        return;
    }
    fuzz_check(err == NULL);
    /* What prints is a Name the other entry points accept too. */
    fuzz_check(tsvc__name_check(&n, NULL) == TSVC_OK);
    tsvc__x509_attr *attrs = NULL;
    size_t num = 0;
    fuzz_check(tsvc__name_parse(fuzz_ctx(), &n, &attrs, &num, NULL) == TSVC_OK);
    fuzz_check((num == 0) == tsvc__name_is_empty(&n));
    for (size_t i = 0; i < num; i++)
        fuzz_check(i == 0 || attrs[i].rdn >= attrs[i - 1].rdn);
    tsvc__free(fuzz_ctx(), attrs);
    fuzz_check(tsvc_name_equal(data, size, data, size));
    fuzz_check(tsvc__name_in_subtree(&n, &n));

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
