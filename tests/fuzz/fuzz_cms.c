/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for CMS SignedData decoding (src/cms). Invariants checked
 * (abort() on violation):
 *  - every failure comes with error detail;
 *  - a decoded DER SignedData re-encodes without changes byte for byte;
 *  - adding an unsigned attribute to the first SignerInfo gives a
 *    SignedData that decodes again, with one more unsigned attribute and
 *    the signed part of that SignerInfo unchanged;
 *  - the bytes a signature covers start with the SET tag.
 */
#include <stdlib.h>
#include <string.h>

#include "cms/cms.h"
#include "fuzz.h"

static void check(bool ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tsvc_ctx *ctx;
    tsvc__cms *m = NULL, *m2 = NULL;
    tsvc_error *err = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    if (ctx == NULL && tsvc_ctx_new(&ctx, NULL, NULL) != TSVC_OK)
        abort();
    tsvc_status st = tsvc__cms_parse(ctx, data, size, &m, &err);
    if (st != TSVC_OK) {
        check(err != NULL && m == NULL);
        tsvc_error_free(err);
        return 0;
    }
    tsvc__cms_edit ed;
    memset(&ed, 0, sizeof(ed));
    if (tsvc__cms_rebuild(m, &ed, &out, NULL) == TSVC_OK && !m->was_ber)
        check(out.len == size && memcmp(out.data, data, size) == 0);
    tsvc_buf_dispose(&out);
    for (size_t i = 0; i < m->num_signers; i++) {
        if (m->signers[i].has_signed_attrs &&
            tsvc__cms_signed_attrs_tbs(ctx, &m->signers[i], &out) == TSVC_OK)
            check(out.data[0] == 0x31);
        tsvc_buf_dispose(&out);
    }
    if (m->num_signers > 0 && m->signers[0].num_uattrs < TSVC__CMS_MAX_ATTRS) {
        static const uint8_t value[] = {0x04, 0x02, 0xab, 0xcd};
        if (tsvc__cms_add_unsigned_attr(m, 0, (const uint8_t *)TSVC__OID_AA_TIMESTAMP_TOKEN,
                                        TSVC__CMS_OID_LEN(TSVC__OID_AA_TIMESTAMP_TOKEN), value,
                                        sizeof(value), &out, NULL) == TSVC_OK) {
            check(tsvc__cms_parse(ctx, out.data, out.len, &m2, NULL) == TSVC_OK);
            check(m2->num_signers == m->num_signers);
            check(m2->signers[0].num_uattrs == m->signers[0].num_uattrs + 1);
            check(m2->signers[0].head.len == m->signers[0].head.len &&
                  memcmp(m2->signers[0].head.data, m->signers[0].head.data,
                         m->signers[0].head.len) == 0);
            tsvc__cms_free(m2);
        }
        tsvc_buf_dispose(&out);
    }
    tsvc__cms_free(m);
    return 0;
}
