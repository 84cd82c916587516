/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for OBJECT IDENTIFIER text conversion.
 *
 * The input is read two ways:
 *  - as dotted text (NUL-terminated copy): whatever tsvc__oid_from_text()
 *    accepts is valid content octets, converts back with
 *    tsvc__oid_to_text() to exactly the input text (the accepted syntax
 *    has one spelling per OID), and is refused with
 *    TSVC_ERR_BUFFER_TOO_SMALL, never overrun, by a buffer one octet short;
 *  - as content octets: tsvc__oid_valid() and tsvc__oid_to_text() agree,
 *    and the text converts back to the same octets; a text buffer one
 *    byte short is refused and left as an empty string.
 * abort() on any violation.
 */
#include <stdlib.h>
#include <string.h>

#include "der/der.h"
#include "fuzz.h"
#include "fuzz_util.h"

static void from_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return;
    memcpy(text, data, size);
    text[size] = '\0';

    uint8_t der[TSVC__OID_MAX_LEN];
    size_t len = 12345;
    const tsvc_status st = tsvc__oid_from_text(text, der, sizeof(der), &len);
    if (st != TSVC_OK) {
        fuzz_check(st == TSVC_ERR_DER_OID);
        fuzz_check(len == 0);
        free(text);
        return;
    }
    fuzz_check(len > 0 && len <= TSVC__OID_MAX_LEN);
    fuzz_check(tsvc__oid_valid(der, len));

    char back[TSVC__OID_TEXT_MAX];
    fuzz_check(tsvc__oid_to_text(der, len, back, sizeof(back)) == TSVC_OK);
    fuzz_check(strcmp(back, text) == 0);

    /* A buffer one octet short: refused, never written past its end. */
    uint8_t *shorter = malloc(len - 1 ? len - 1 : 1);
    if (shorter != NULL) {
        size_t len2 = 0;
        fuzz_check(tsvc__oid_from_text(text, shorter, len - 1, &len2) == TSVC_ERR_BUFFER_TOO_SMALL);
        free(shorter);
    }
    free(text);
}

static void from_octets(const uint8_t *data, size_t size)
{
    char text[TSVC__OID_TEXT_MAX];
    const bool valid = tsvc__oid_valid(data, size);
    const tsvc_status st = tsvc__oid_to_text(data, size, text, sizeof(text));
    fuzz_check((st == TSVC_OK) == valid);
    if (st != TSVC_OK) {
        fuzz_check(text[0] == '\0');
        return;
    }
    const size_t tlen = strlen(text);
    fuzz_check(tlen > 0 && tlen < sizeof(text));

    uint8_t der[TSVC__OID_MAX_LEN];
    size_t len = 0;
    fuzz_check(tsvc__oid_from_text(text, der, sizeof(der), &len) == TSVC_OK);
    fuzz_check(len == size && memcmp(der, data, size) == 0);

    /* Exactly large enough works; one byte short fails cleanly. */
    char *exact = malloc(tlen + 1);
    if (exact != NULL) {
        fuzz_check(tsvc__oid_to_text(data, size, exact, tlen + 1) == TSVC_OK);
        fuzz_check(strcmp(exact, text) == 0);
        fuzz_check(tsvc__oid_to_text(data, size, exact, tlen) != TSVC_OK);
        fuzz_check(exact[0] == '\0');
        free(exact);
    }

    /* The OID as a DER element reads back through the reader. */
    tsvc__cbb cbb;
    tsvc_buf buf = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_add_oid(&cbb, data, size);
    fuzz_check(tsvc__cbb_finish(&cbb, &buf) == TSVC_OK);
    tsvc__cbs c, out;
    tsvc__cbs_init(&c, buf.data, buf.len);
    fuzz_check(tsvc__der_get_oid(&c, &out, NULL) == TSVC_OK && c.len == 0);
    fuzz_check(tsvc__oid_equal(&out, data, size));
    tsvc_buf_dispose(&buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    from_text(data, size);
    from_octets(data, size);
    return 0;
}
