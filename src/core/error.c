/*
 * SPDX-License-Identifier: Apache-2.0
 * Error detail objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct tsvc_error {
    tsvc_status code;
    int64_t offset;
    char check[48];
    char message[256];
};

tsvc_status tsvc__err(tsvc_error **err, tsvc_status code, const char *check, int64_t offset,
                      const char *fmt, ...)
{
    if (err == NULL || *err != NULL)
        return code;
    /* Error objects use the C allocator: they are released without a context. */
    tsvc_error *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return code;
    e->code = code;
    e->offset = offset;
    if (check != NULL)
        snprintf(e->check, sizeof(e->check), "%s", check);
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->message, sizeof(e->message), fmt, ap);
        va_end(ap);
    } else {
        snprintf(e->message, sizeof(e->message), "%s", tsvc_status_str(code));
    }
    *err = e;
    return code;
}

tsvc_status tsvc__err_code(tsvc_error **err, tsvc_status code)
{
    return tsvc__err(err, code, NULL, -1, NULL);
}

tsvc_status tsvc_error_code(const tsvc_error *err)
{
    return err ? err->code : TSVC_OK;
}

const char *tsvc_error_message(const tsvc_error *err)
{
    return err ? err->message : "";
}

const char *tsvc_error_check(const tsvc_error *err)
{
    return (err && err->check[0]) ? err->check : NULL;
}

int64_t tsvc_error_offset(const tsvc_error *err)
{
    return err ? err->offset : -1;
}

void tsvc_error_free(tsvc_error *err)
{
    free(err);
}
