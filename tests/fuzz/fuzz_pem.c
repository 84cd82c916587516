/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for PEM and base64. Every block tsvc__pem_next finds is
 * re-encoded with tsvc__pem_encode and decoded again: label and bytes
 * must come back unchanged (abort() otherwise). Failures must leave the
 * position where it was; successes must move it forward.
 */
#include <stdlib.h>
#include <string.h>

#include "der/der.h"
#include "fuzz.h"

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void round_trip(const char *label, const tsvc_buf *der)
{
    tsvc_buf pem = TSVC_BUF_INIT, back = TSVC_BUF_INIT;
    char label2[64];
    size_t pos = 0;
    bool found = false;

    check(tsvc__pem_encode(NULL, label, der->data, der->len, &pem) == TSVC_OK);
    check(tsvc__pem_looks_like(pem.data, pem.len));
    check(tsvc__pem_next(NULL, (const char *)pem.data, pem.len, &pos, &found, label2,
                         sizeof(label2), &back, NULL) == TSVC_OK);
    check(found && pos == pem.len);
    check(strcmp(label, label2) == 0);
    check(back.len == der->len && (der->len == 0 || memcmp(back.data, der->data, der->len) == 0));
    tsvc_buf_dispose(&pem);
    tsvc_buf_dispose(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t pos = 0;

    (void)tsvc__pem_looks_like(data, size);

    for (;;) {
        char label[64];
        bool found = false;
        tsvc_buf der = TSVC_BUF_INIT;
        tsvc_error *err = NULL;
        const size_t before = pos;
        const tsvc_status st = tsvc__pem_next(NULL, text, size, &pos, &found, label,
                                              sizeof(label), &der, &err);
        if (st != TSVC_OK) {
            check(err != NULL && tsvc_error_code(err) == st);
            check(pos == before);
            check(der.data == NULL);
            tsvc_error_free(err);
            break;
        }
        check(found && pos > before && pos <= size);
        check(strlen(label) < sizeof(label));
        round_trip(label, &der);
        tsvc_buf_dispose(&der);
    }

    /* The whole input as base64: decode, encode, decode. */
    tsvc_buf raw = TSVC_BUF_INIT, enc = TSVC_BUF_INIT, dec = TSVC_BUF_INIT;
    if (tsvc__base64_decode(NULL, text, size, &raw, NULL) == TSVC_OK) {
        check(tsvc__base64_encode(NULL, raw.data, raw.len, &enc) == TSVC_OK);
        check(enc.len % 4 == 0);
        check(tsvc__base64_decode(NULL, (const char *)enc.data, enc.len, &dec, NULL) == TSVC_OK);
        check(dec.len == raw.len && (raw.len == 0 || memcmp(dec.data, raw.data, raw.len) == 0));
    }
    tsvc_buf_dispose(&raw);
    tsvc_buf_dispose(&enc);
    tsvc_buf_dispose(&dec);
    return 0;
}
