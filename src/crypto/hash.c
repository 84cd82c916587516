/*
 * SPDX-License-Identifier: Apache-2.0
 * Hash algorithms: sizes, identifiers, streaming objects dispatched to
 * backends, one-shot hashing, and random bytes.
 */
#include <string.h>

#include "crypto_int.h"

static const uint8_t oid_sha1[] = {0x2b, 0x0e, 0x03, 0x02, 0x1a};
static const uint8_t oid_sha224[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04};
static const uint8_t oid_sha256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
static const uint8_t oid_sha384[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};
static const uint8_t oid_sha512[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};

typedef struct hash_entry {
    tsvc_hash_alg alg;
    size_t size;
    const uint8_t *oid;
    size_t oid_len;
} hash_entry;

static const hash_entry hashes[] = {
    {TSVC_HASH_SHA1, 20, oid_sha1, sizeof(oid_sha1)},
    {TSVC_HASH_SHA224, 28, oid_sha224, sizeof(oid_sha224)},
    {TSVC_HASH_SHA256, 32, oid_sha256, sizeof(oid_sha256)},
    {TSVC_HASH_SHA384, 48, oid_sha384, sizeof(oid_sha384)},
    {TSVC_HASH_SHA512, 64, oid_sha512, sizeof(oid_sha512)},
};
#define NUM_HASHES (sizeof(hashes) / sizeof(hashes[0]))

static const hash_entry *hash_entry_of(tsvc_hash_alg alg)
{
    for (size_t i = 0; i < NUM_HASHES; i++)
        if (hashes[i].alg == alg)
            return &hashes[i];
    return NULL;
}

bool tsvc__crypto_hash_known(tsvc_hash_alg alg)
{
    return hash_entry_of(alg) != NULL;
}

size_t tsvc__hash_size(tsvc_hash_alg alg)
{
    const hash_entry *e = hash_entry_of(alg);
    return e ? e->size : 0;
}

size_t tsvc_hash_size(tsvc_hash_alg alg)
{
    return tsvc__hash_size(alg);
}

size_t tsvc_hash_max_size(void)
{
    return TSVC_HASH_MAX_SIZE;
}

void tsvc_key_info_init(tsvc_key_info *info)
{
    if (info == NULL)
        return;
    static const tsvc_key_info init = TSVC_KEY_INFO_INIT;
    *info = init;
}

const uint8_t *tsvc__hash_oid(tsvc_hash_alg alg, size_t *len)
{
    const hash_entry *e = hash_entry_of(alg);
    if (len != NULL)
        *len = e ? e->oid_len : 0;
    return e ? e->oid : NULL;
}

tsvc_status tsvc__crypto_algid_open(const tsvc__cbs *element, tsvc__cbs *rest, tsvc__cbs *oid,
                                    int64_t *off, tsvc_error **err)
{
    tsvc__cbs in = *element;
    tsvc_status st = tsvc__der_get(&in, TSVC__TAG_SEQUENCE, rest, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__der_expect_end(&in, err)) != TSVC_OK)
        return st;
    *off = tsvc__cbs_offset(rest);
    return tsvc__der_get_oid(rest, oid, err);
}

tsvc_status tsvc__hash_alg_parse(const tsvc__cbs *algid_element, tsvc_hash_alg *out,
                                 tsvc_error **err)
{
    if (algid_element == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.hash_alg", -1, "NULL argument");
    tsvc__cbs seq, oid;
    int64_t off;
    tsvc_status st = tsvc__crypto_algid_open(algid_element, &seq, &oid, &off, err);
    if (st != TSVC_OK)
        return st;
    if (seq.len != 0) {
        if (tsvc__der_get_null(&seq, NULL) != TSVC_OK || seq.len != 0)
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.hash_alg.params", off,
                             "hash AlgorithmIdentifier parameters must be NULL or absent");
    }
    for (size_t i = 0; i < NUM_HASHES; i++) {
        if (tsvc__oid_equal(&oid, hashes[i].oid, hashes[i].oid_len)) {
            *out = hashes[i].alg;
            return TSVC_OK;
        }
    }
    return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.hash_alg.unknown", off,
                     "unknown hash algorithm");
}

void tsvc__hash_alg_encode(tsvc__cbb *cbb, tsvc_hash_alg alg)
{
    size_t l;
    const uint8_t *o = tsvc__hash_oid(alg, &l);
    if (o == NULL) {
        tsvc__cbb_fail(cbb, TSVC_ERR_ALGORITHM);
        return;
    }
    tsvc__cbb_open(cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_oid(cbb, o, l);
    tsvc__cbb_close(cbb);
}

/* ---- streaming objects ---- */

static tsvc_status hash_start(const tsvc_ctx *ctx, const tsvc__backend_slot *slot,
                              tsvc_hash_alg alg, void **hstate, tsvc_error **err)
{
    tsvc_status st = slot->ops->hash_init(slot->state, alg, hstate);
    if (st != TSVC_OK)
        return tsvc__err(err, st == TSVC_ERR_NOMEM ? st : TSVC_ERR_BACKEND, "crypto.hash.init",
                         -1, "backend %s could not start the hash: %s", slot->ops->name,
                         tsvc_status_str(st));
    (void)ctx;
    return TSVC_OK;
}

tsvc_status tsvc_hash_new(tsvc_ctx *ctx, tsvc_hash **out, tsvc_hash_alg alg, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.hash", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.hash", -1, "ctx is NULL");
    if (!tsvc__crypto_hash_known(alg))
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.hash.alg", -1,
                         "unknown hash algorithm %d", (int)alg);
    const tsvc__backend_slot *slot =
        tsvc__crypto_pick(ctx, TSVC_OP_HASH, TSVC_KEY_NONE, TSVC_SIG_NONE, alg);
    if (slot == NULL)
        return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.hash.backend", -1,
                         "no backend can compute this hash");
    tsvc_hash *h = tsvc__calloc(ctx, 1, sizeof(*h));
    if (h == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    tsvc_status st = hash_start(ctx, slot, alg, &h->hstate, err);
    if (st != TSVC_OK) {
        tsvc__free(ctx, h);
        return st;
    }
    h->ctx = ctx;
    h->ops = slot->ops;
    h->alg = alg;
    *out = h;
    return TSVC_OK;
}

tsvc_status tsvc_hash_update(tsvc_hash *hash, const void *data, size_t len, tsvc_error **err)
{
    if (hash == NULL || (data == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.hash", -1, "NULL argument");
    if (hash->done)
        return tsvc__err(err, TSVC_ERR_STATE, "crypto.hash.state", -1,
                         "hash already finalised");
    if (len == 0)
        return TSVC_OK;
    tsvc_status st = hash->ops->hash_update(hash->hstate, data, len);
    if (st != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_BACKEND, "crypto.hash.update", -1,
                         "backend %s failed to hash: %s", hash->ops->name, tsvc_status_str(st));
    return TSVC_OK;
}

tsvc_status tsvc_hash_final(tsvc_hash *hash, uint8_t *out, size_t out_size, size_t *out_len,
                            tsvc_error **err)
{
    if (hash == NULL || out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.hash", -1, "NULL argument");
    if (hash->done)
        return tsvc__err(err, TSVC_ERR_STATE, "crypto.hash.state", -1,
                         "hash already finalised");
    size_t n = tsvc__hash_size(hash->alg);
    if (out_size < n)
        return tsvc__err(err, TSVC_ERR_BUFFER_TOO_SMALL, "crypto.hash.final", -1,
                         "digest needs %zu bytes, buffer has %zu", n, out_size);
    tsvc_status st = hash->ops->hash_final(hash->hstate, out, out_size);
    hash->done = true;
    if (st != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_BACKEND, "crypto.hash.final", -1,
                         "backend %s failed to finish the hash: %s", hash->ops->name,
                         tsvc_status_str(st));
    if (out_len != NULL)
        *out_len = n;
    return TSVC_OK;
}

void tsvc_hash_free(tsvc_hash *hash)
{
    if (hash == NULL)
        return;
    hash->ops->hash_free(hash->hstate);
    const tsvc_ctx *ctx = hash->ctx;
    tsvc__free_secret(ctx, hash, sizeof(*hash));
}

tsvc_status tsvc__crypto_hash_on(const tsvc_ctx *ctx, const tsvc__backend_slot *slot,
                                 tsvc_hash_alg alg, const uint8_t *data, size_t len,
                                 uint8_t *out, tsvc_error **err)
{
    if (!tsvc__crypto_hash_known(alg))
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.hash.alg", -1,
                         "unknown hash algorithm %d", (int)alg);
    if (slot == NULL || !tsvc__crypto_slot_supports(slot, TSVC_OP_HASH, TSVC_KEY_NONE,
                                                    TSVC_SIG_NONE, alg))
        slot = tsvc__crypto_pick(ctx, TSVC_OP_HASH, TSVC_KEY_NONE, TSVC_SIG_NONE, alg);
    if (slot == NULL)
        return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.hash.backend", -1,
                         "no backend can compute this hash");
    void *hs = NULL;
    tsvc_status st = hash_start(ctx, slot, alg, &hs, err);
    if (st != TSVC_OK)
        return st;
    if (len != 0)
        st = slot->ops->hash_update(hs, data, len);
    if (st == TSVC_OK)
        st = slot->ops->hash_final(hs, out, tsvc__hash_size(alg));
    slot->ops->hash_free(hs);
    if (st != TSVC_OK)
        return tsvc__err(err, TSVC_ERR_BACKEND, "crypto.hash", -1,
                         "backend %s failed to hash: %s", slot->ops->name, tsvc_status_str(st));
    return TSVC_OK;
}

bool tsvc__hash_available(const tsvc_ctx *ctx, tsvc_hash_alg alg)
{
    return tsvc__crypto_pick(ctx, TSVC_OP_HASH, TSVC_KEY_NONE, TSVC_SIG_NONE, alg) != NULL;
}

tsvc_status tsvc__hash_oneshot(const tsvc_ctx *ctx, tsvc_hash_alg alg, const uint8_t *data,
                               size_t len, uint8_t *out, tsvc_error **err)
{
    if (ctx == NULL || out == NULL || (data == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.hash", -1, "NULL argument");
    return tsvc__crypto_hash_on(ctx, NULL, alg, data, len, out, err);
}

tsvc_status tsvc_hash_oneshot(tsvc_ctx *ctx, tsvc_hash_alg alg, const void *data, size_t len,
                              uint8_t *out, size_t out_size, size_t *out_len, tsvc_error **err)
{
    if (ctx == NULL || out == NULL || (data == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.hash", -1, "NULL argument");
    size_t n = tsvc__hash_size(alg);
    if (n == 0)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.hash.alg", -1,
                         "unknown hash algorithm %d", (int)alg);
    if (out_size < n)
        return tsvc__err(err, TSVC_ERR_BUFFER_TOO_SMALL, "crypto.hash.final", -1,
                         "digest needs %zu bytes, buffer has %zu", n, out_size);
    tsvc_status st = tsvc__crypto_hash_on(ctx, NULL, alg, data, len, out, err);
    if (st == TSVC_OK && out_len != NULL)
        *out_len = n;
    return st;
}

tsvc_status tsvc_random(tsvc_ctx *ctx, uint8_t *out, size_t len, tsvc_error **err)
{
    if (ctx == NULL || (out == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.random", -1, "NULL argument");
    if (len == 0)
        return TSVC_OK;
    const tsvc__backend_slot *slot =
        tsvc__crypto_pick(ctx, TSVC_OP_RANDOM, TSVC_KEY_NONE, TSVC_SIG_NONE, TSVC_HASH_NONE);
    if (slot == NULL)
        return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.random.backend", -1,
                         "no backend has a random generator");
    tsvc_status st = slot->ops->random(slot->state, out, len);
    if (st != TSVC_OK) {
        tsvc_memzero(out, len);
        return tsvc__err(err, TSVC_ERR_RANDOM, "crypto.random", -1,
                         "backend %s failed to produce random bytes", slot->ops->name);
    }
    return TSVC_OK;
}
