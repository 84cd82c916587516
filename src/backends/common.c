/*
 * SPDX-License-Identifier: Apache-2.0
 * Helpers shared by the built-in backends; see backend_util.h.
 *
 * Thread safety: reentrant, no state.
 */
#include <string.h>

#include "backends/backend_util.h"

void *tsvc__backend_zalloc(const tsvc_allocator *alloc, size_t size)
{
    void *p = alloc->alloc(alloc->opaque, size);
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

size_t tsvc__backend_ec_coord_len(tsvc_key_type type)
{
    switch (type) {
    case TSVC_KEY_ECDSA_P256:
        return 32;
    case TSVC_KEY_ECDSA_P384:
        return 48;
    case TSVC_KEY_ECDSA_P521:
        return 66;
    default:
        return 0;
    }
}

int tsvc__backend_supports_std(tsvc_crypto_op op, tsvc_key_type type, tsvc_sig_scheme scheme,
                               tsvc_hash_alg hash, int hash_ok)
{
    const int is_ec = tsvc__backend_ec_coord_len(type) != 0;
    switch (op) {
    case TSVC_OP_HASH:
        return hash_ok;
    case TSVC_OP_RANDOM:
        return 1;
    case TSVC_OP_KEYGEN:
    case TSVC_OP_KEY_IMPORT:
        return type == TSVC_KEY_RSA || type == TSVC_KEY_ED25519 || is_ec;
    case TSVC_OP_SIGN:
    case TSVC_OP_VERIFY:
        if (type == TSVC_KEY_ED25519)
            return scheme == TSVC_SIG_ED25519 && hash == TSVC_HASH_NONE;
        if (!hash_ok)
            return 0;
        if (is_ec)
            return scheme == TSVC_SIG_ECDSA;
        if (type == TSVC_KEY_RSA)
            return scheme == TSVC_SIG_RSA_PKCS1 || scheme == TSVC_SIG_RSA_PSS;
        return 0;
    }
    return 0;
}
