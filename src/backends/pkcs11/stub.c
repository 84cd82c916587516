/*
 * SPDX-License-Identifier: Apache-2.0
 * PKCS#11 API when the library is built without the PKCS#11 header
 * (p11-kit): the public functions exist, so that the headers do not
 * change with the build, and answer TSVC_ERR_UNSUPPORTED.
 */
#include "core/core.h"
#include "trustsvc/pkcs11.h"

static tsvc_status unsupported(tsvc_error **err)
{
    return tsvc__err(err, TSVC_ERR_UNSUPPORTED, "pkcs11", -1,
                     "this build of libtrustsvc has no PKCS#11 support");
}

int tsvc_pkcs11_available(void)
{
    return 0;
}

tsvc_status tsvc_pkcs11_module_load(tsvc_ctx *ctx, tsvc_pkcs11_module **out, const char *path,
                                    tsvc_error **err)
{
    (void)ctx;
    (void)path;
    if (out != NULL)
        *out = NULL;
    return unsupported(err);
}

tsvc_pkcs11_module *tsvc_pkcs11_module_ref(tsvc_pkcs11_module *mod)
{
    return mod;
}

void tsvc_pkcs11_module_free(tsvc_pkcs11_module *mod)
{
    (void)mod;
}

tsvc_status tsvc_pkcs11_module_set_pin_callback(tsvc_pkcs11_module *mod, tsvc_pkcs11_pin_fn fn,
                                                void *opaque)
{
    (void)mod;
    (void)fn;
    (void)opaque;
    return TSVC_ERR_UNSUPPORTED;
}

tsvc_status tsvc_pkcs11_module_set_certification(tsvc_pkcs11_module *mod, const char *token_uri,
                                                 tsvc_hsm_certification status,
                                                 const char *text, tsvc_error **err)
{
    (void)mod;
    (void)token_uri;
    (void)status;
    (void)text;
    return unsupported(err);
}

tsvc_status tsvc_pkcs11_key_open(tsvc_pkcs11_module *mod, tsvc_key **out, const char *uri,
                                 tsvc_error **err)
{
    (void)mod;
    (void)uri;
    if (out != NULL)
        *out = NULL;
    return unsupported(err);
}

tsvc_status tsvc_key_from_uri(tsvc_ctx *ctx, tsvc_key **out, const char *uri, tsvc_error **err)
{
    (void)ctx;
    (void)uri;
    if (out != NULL)
        *out = NULL;
    return unsupported(err);
}

tsvc_status tsvc_pkcs11_key_generate(tsvc_pkcs11_module *mod, tsvc_key **out, const char *uri,
                                     tsvc_key_type type, unsigned bits, tsvc_error **err)
{
    (void)mod;
    (void)uri;
    (void)type;
    (void)bits;
    if (out != NULL)
        *out = NULL;
    return unsupported(err);
}

tsvc_status tsvc_pkcs11_key_certificate(const tsvc_key *key, tsvc_buf *out, tsvc_error **err)
{
    (void)key;
    if (out != NULL)
        tsvc_buf_init(out);
    return unsupported(err);
}

tsvc_status tsvc_pkcs11_key_store_certificate(const tsvc_key *key, const uint8_t *der,
                                              size_t len, tsvc_error **err)
{
    (void)key;
    (void)der;
    (void)len;
    return unsupported(err);
}

tsvc_status tsvc_pkcs11_key_uri(const tsvc_key *key, tsvc_buf *out, tsvc_error **err)
{
    (void)key;
    if (out != NULL)
        tsvc_buf_init(out);
    return unsupported(err);
}
