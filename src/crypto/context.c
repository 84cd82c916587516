/*
 * SPDX-License-Identifier: Apache-2.0
 * Library initialisation, context creation with the built-in backends,
 * backend registration and priorities, and dispatch.
 */
#include <pthread.h>
#include <string.h>

#include "crypto_int.h"
#include "tsvc_config.h"

#if TSVC_HAVE_SODIUM
extern const tsvc_backend tsvc__backend_sodium;
#endif
#if TSVC_HAVE_WOLFSSL
extern const tsvc_backend tsvc__backend_wolfssl;
#endif
#if TSVC_HAVE_OPENSSL
extern const tsvc_backend tsvc__backend_openssl;
#endif

/* Built-in backends and their default priorities (higher wins). wolfSSL
 * does everything; libsodium is preferred for what it does (Ed25519,
 * SHA-256/512, random); OpenSSL, when built, does everything and is the
 * fastest (SHA extensions, P-256 assembly), so it comes first. */
typedef struct builtin {
    const tsvc_backend *ops;
    int priority;
} builtin;

static const builtin builtins[] = {
#if TSVC_HAVE_SODIUM
    {&tsvc__backend_sodium, 20},
#endif
#if TSVC_HAVE_WOLFSSL
    {&tsvc__backend_wolfssl, 10},
#endif
#if TSVC_HAVE_OPENSSL
    {&tsvc__backend_openssl, 30},
#endif
};

#define NUM_BUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static tsvc_status init_status = TSVC_ERR_NOT_INITIALISED;

static void init_run(void)
{
    tsvc_status st = TSVC_OK;
    for (size_t i = 0; i < NUM_BUILTINS; i++) {
        const tsvc_backend *b = builtins[i].ops;
        if (TSVC__BACKEND_HAS(b, global_init) && b->global_init() != TSVC_OK)
            st = TSVC_ERR_NOT_INITIALISED;
    }
    init_status = st;
}

tsvc_status tsvc_init(void)
{
    if (pthread_once(&init_once, init_run) != 0)
        return TSVC_ERR_NOT_INITIALISED;
    return init_status;
}

uint32_t tsvc_backend_version(void)
{
    return TSVC_BACKEND_VERSION;
}

size_t tsvc_backend_min_size(void)
{
    return offsetof(tsvc_backend, supports) + sizeof(((tsvc_backend *)0)->supports);
}

static tsvc__backend_slot *find_slot(tsvc_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->num_backends; i++)
        if (strcmp(ctx->backends[i].ops->name, name) == 0)
            return &ctx->backends[i];
    return NULL;
}

tsvc_status tsvc_ctx_add_backend(tsvc_ctx *ctx, const tsvc_backend *backend, int priority,
                                 tsvc_error **err)
{
    if (ctx == NULL || backend == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.backend", -1,
                         "context and backend are required");
    if (backend->version != TSVC_BACKEND_VERSION)
        return tsvc__err(err, TSVC_ERR_BACKEND_VERSION, "crypto.backend.version", -1,
                         "backend table version %u, this library understands %u",
                         (unsigned)backend->version, (unsigned)TSVC_BACKEND_VERSION);
    if (backend->struct_size < tsvc_backend_min_size())
        return tsvc__err(err, TSVC_ERR_BACKEND_VERSION, "crypto.backend.struct_size", -1,
                         "backend table of %zu bytes is smaller than the minimum %zu",
                         backend->struct_size, tsvc_backend_min_size());
    if (backend->name == NULL || backend->name[0] == '\0' || backend->supports == NULL)
        return tsvc__err(err, TSVC_ERR_BACKEND_VERSION, "crypto.backend.table", -1,
                         "backend table lacks a name or a capability query");
    if (find_slot(ctx, backend->name) != NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.backend.name", -1,
                         "a backend named \"%s\" is already registered", backend->name);
    if (ctx->num_backends >= TSVC__MAX_BACKENDS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "crypto.backend.count", -1,
                         "a context holds at most %d backends", TSVC__MAX_BACKENDS);
    if (TSVC__BACKEND_HAS(backend, global_init) && backend->global_init() != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_NOT_INITIALISED, "crypto.backend.init", -1,
                         "backend \"%s\" failed to initialise", backend->name);
    void *state = NULL;
    if (TSVC__BACKEND_HAS(backend, instance_new)) {
        tsvc_status st = backend->instance_new(&state, &ctx->alloc);
        if (st != TSVC_OK)
            return tsvc__err(err, st, "crypto.backend.init", -1,
                             "backend \"%s\" could not create its state: %s", backend->name,
                             tsvc_status_str(st));
    }
    tsvc__backend_slot *slot = &ctx->backends[ctx->num_backends++];
    slot->ops = backend;
    slot->state = state;
    slot->priority = priority;
    slot->enabled = true;
    return TSVC_OK;
}

tsvc_status tsvc_ctx_new(tsvc_ctx **out, const tsvc_allocator *alloc, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.ctx", -1, "out is NULL");
    *out = NULL;
    if (tsvc_init() != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_NOT_INITIALISED, "crypto.init", -1,
                         "a crypto backend failed to initialise");
    tsvc_ctx *ctx = NULL;
    tsvc_status st = tsvc__ctx_create(&ctx, alloc, err);
    if (st != TSVC_OK)
        return st;
    st = tsvc__ctx_sigcache_init(ctx);
    if (st != TSVC_OK) {
        tsvc_ctx_free(ctx);
        return tsvc__err_code(err, st);
    }
    for (size_t i = 0; i < NUM_BUILTINS; i++) {
        st = tsvc_ctx_add_backend(ctx, builtins[i].ops, builtins[i].priority, err);
        if (st != TSVC_OK) {
            tsvc_ctx_free(ctx);
            return st;
        }
    }
    *out = ctx;
    return TSVC_OK;
}

void tsvc_ctx_free(tsvc_ctx *ctx)
{
    if (ctx == NULL)
        return;
    for (size_t i = ctx->num_backends; i-- > 0;) {
        tsvc__backend_slot *slot = &ctx->backends[i];
        if (TSVC__BACKEND_HAS(slot->ops, instance_free))
            slot->ops->instance_free(slot->state);
        slot->state = NULL;
    }
    tsvc__ctx_sigcache_release(ctx);
    tsvc_allocator a = ctx->alloc;
    tsvc_memzero(ctx, sizeof(*ctx));
    a.free(a.opaque, ctx);
}

size_t tsvc_ctx_num_backends(const tsvc_ctx *ctx)
{
    return ctx ? ctx->num_backends : 0;
}

const char *tsvc_ctx_backend_name(const tsvc_ctx *ctx, size_t index)
{
    if (ctx == NULL || index >= ctx->num_backends)
        return NULL;
    return ctx->backends[index].ops->name;
}

int tsvc_ctx_backend_priority(const tsvc_ctx *ctx, size_t index)
{
    if (ctx == NULL || index >= ctx->num_backends)
        return 0;
    return ctx->backends[index].priority;
}

/* The named slot, or NULL with *st and err filled. */
static tsvc__backend_slot *slot_by_name(tsvc_ctx *ctx, const char *name, tsvc_status *st,
                                        tsvc_error **err)
{
    if (ctx == NULL || name == NULL) {
        *st = tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.backend", -1,
                        "context and name are required");
        return NULL;
    }
    tsvc__backend_slot *slot = find_slot(ctx, name);
    if (slot == NULL)
        *st = tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.backend.name", -1,
                        "no backend named \"%s\"", name);
    return slot;
}

tsvc_status tsvc_ctx_set_backend_priority(tsvc_ctx *ctx, const char *name, int priority,
                                          tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__backend_slot *slot = slot_by_name(ctx, name, &st, err);
    if (slot != NULL)
        slot->priority = priority;
    return st;
}

tsvc_status tsvc_ctx_set_backend_enabled(tsvc_ctx *ctx, const char *name, int enabled,
                                         tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc__backend_slot *slot = slot_by_name(ctx, name, &st, err);
    if (slot != NULL)
        slot->enabled = enabled != 0;
    return st;
}

/* The methods an operation needs, besides the capability answer. */
static bool has_methods(const tsvc_backend *ops, tsvc_crypto_op op, tsvc_key_type type)
{
    switch (op) {
    case TSVC_OP_HASH:
        return TSVC__BACKEND_HAS(ops, hash_init) && TSVC__BACKEND_HAS(ops, hash_update) &&
               TSVC__BACKEND_HAS(ops, hash_final) && TSVC__BACKEND_HAS(ops, hash_free);
    case TSVC_OP_RANDOM:
        return TSVC__BACKEND_HAS(ops, random);
    case TSVC_OP_KEYGEN:
        return TSVC__BACKEND_HAS(ops, key_generate) && TSVC__BACKEND_HAS(ops, key_export) &&
               TSVC__BACKEND_HAS(ops, key_free);
    case TSVC_OP_KEY_IMPORT:
        return TSVC__BACKEND_HAS(ops, key_import) && TSVC__BACKEND_HAS(ops, key_export) &&
               TSVC__BACKEND_HAS(ops, key_free);
    case TSVC_OP_SIGN:
        return type == TSVC_KEY_ED25519 ? TSVC__BACKEND_HAS(ops, sign_message)
                                        : TSVC__BACKEND_HAS(ops, sign_hash);
    case TSVC_OP_VERIFY:
        return TSVC__BACKEND_HAS(ops, pubkey_import) && TSVC__BACKEND_HAS(ops, pubkey_free) &&
               (type == TSVC_KEY_ED25519 ? TSVC__BACKEND_HAS(ops, verify_message)
                                         : TSVC__BACKEND_HAS(ops, verify_hash));
    }
    return false;
}

bool tsvc__crypto_slot_supports(const tsvc__backend_slot *slot, tsvc_crypto_op op,
                                tsvc_key_type type, tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    if (slot == NULL || slot->ops == NULL || !has_methods(slot->ops, op, type))
        return false;
    return slot->ops->supports(slot->state, op, type, scheme, hash) != 0;
}

const tsvc__backend_slot *tsvc__crypto_pick(const tsvc_ctx *ctx, tsvc_crypto_op op,
                                            tsvc_key_type type, tsvc_sig_scheme scheme,
                                            tsvc_hash_alg hash)
{
    if (ctx == NULL)
        return NULL;
    const tsvc__backend_slot *best = NULL;
    for (size_t i = 0; i < ctx->num_backends; i++) {
        const tsvc__backend_slot *s = &ctx->backends[i];
        if (!s->enabled || !tsvc__crypto_slot_supports(s, op, type, scheme, hash))
            continue;
        /* Ties go to the backend registered first. */
        if (best == NULL || s->priority > best->priority)
            best = s;
    }
    return best;
}

int tsvc_ctx_backend_supports(const tsvc_ctx *ctx, size_t index, tsvc_crypto_op op,
                              tsvc_key_type type, tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    if (ctx == NULL || index >= ctx->num_backends)
        return 0;
    return tsvc__crypto_slot_supports(&ctx->backends[index], op, type, scheme, hash) ? 1 : 0;
}

tsvc_status tsvc__pubkey_fits_backend(const tsvc_ctx *ctx, size_t backend_index,
                                      const tsvc_pubkey *pub, tsvc_error **err)
{
    if (ctx == NULL || pub == NULL || backend_index >= ctx->num_backends)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.backend.pubkey", -1,
                         "no backend with that index, or no key");
    const tsvc__backend_slot *slot = &ctx->backends[backend_index];
    if (!TSVC__BACKEND_HAS(slot->ops, pubkey_import) ||
        !TSVC__BACKEND_HAS(slot->ops, pubkey_free))
        return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.backend.pubkey", -1,
                         "backend %s cannot import public keys", slot->ops->name);
    tsvc_key_part parts[2];
    size_t np = tsvc__crypto_pubkey_parts(pub, parts);
    void *handle = NULL;
    tsvc_status st = slot->ops->pubkey_import(slot->state, pub->type, parts, np, &handle);
    if (st == TSVC_OK) {
        slot->ops->pubkey_free(slot->state, handle);
        return TSVC_OK;
    }
    if (st == TSVC_ERR_KEY_SIZE)
        return tsvc__err(err, st, "crypto.backend.pubkey", -1,
                         "backend %s does not take %u-bit keys of this type", slot->ops->name,
                         pub->bits);
    if (st != TSVC_ERR_KEY_FORMAT && st != TSVC_ERR_NOMEM && st != TSVC_ERR_UNSUPPORTED)
        st = TSVC_ERR_BACKEND;
    return tsvc__err(err, st, "crypto.backend.pubkey", -1, "backend %s refused the key: %s",
                     slot->ops->name, tsvc_status_str(st));
}
