/*
 * SPDX-License-Identifier: Apache-2.0
 * Certificate stores: trust anchors and intermediates, frozen before use.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "path/path.h"
#include "x509/x509.h"

const struct tsvc_cert *tsvc__path_cert_ref(const struct tsvc_cert *cert)
{
    /* The reference count is the only mutable part of a certificate. */
    return tsvc_cert_ref((tsvc_cert *)(uintptr_t)cert);
}

void tsvc__path_cert_unref(const struct tsvc_cert *cert)
{
    tsvc_cert_free((tsvc_cert *)(uintptr_t)cert);
}

/* ---- index by subject name ---- */

static void index_link(tsvc__name_index *idx, size_t pos)
{
    size_t b = (size_t)idx->hash[pos] & (idx->num_buckets - 1);
    idx->next[pos] = idx->buckets[b];
    idx->buckets[b] = (uint32_t)pos;
}

tsvc_status tsvc__name_index_add(const tsvc_ctx *ctx, tsvc__name_index *idx, size_t pos,
                                 uint64_t hash)
{
    if (pos >= TSVC__INDEX_END)
        return TSVC_ERR_LIMIT_COUNT;
    if (pos >= idx->cap) {
        size_t ncap = idx->cap ? idx->cap * 2 : 8;
        uint64_t *h = tsvc__realloc(ctx, idx->hash, idx->cap * sizeof(*h), ncap * sizeof(*h));
        if (h == NULL)
            return TSVC_ERR_NOMEM;
        idx->hash = h;
        uint32_t *n = tsvc__realloc(ctx, idx->next, idx->cap * sizeof(*n), ncap * sizeof(*n));
        if (n == NULL)
            return TSVC_ERR_NOMEM; /* hash grew, which is harmless */
        idx->next = n;
        idx->cap = ncap;
    }
    if (pos + 1 > idx->num_buckets / 2) {
        /* Rehash into twice the buckets (at most half full). */
        size_t nb = idx->num_buckets ? idx->num_buckets * 2 : 16;
        uint32_t *b = tsvc__alloc(ctx, nb * sizeof(*b));
        if (b == NULL)
            return TSVC_ERR_NOMEM;
        for (size_t i = 0; i < nb; i++)
            b[i] = TSVC__INDEX_END;
        tsvc__free(ctx, idx->buckets);
        idx->buckets = b;
        idx->num_buckets = nb;
        for (size_t i = 0; i < pos; i++)
            index_link(idx, i);
    }
    idx->hash[pos] = hash;
    index_link(idx, pos);
    return TSVC_OK;
}

void tsvc__name_index_free(const tsvc_ctx *ctx, tsvc__name_index *idx)
{
    tsvc__free(ctx, idx->hash);
    tsvc__free(ctx, idx->next);
    tsvc__free(ctx, idx->buckets);
    memset(idx, 0, sizeof(*idx));
}

uint32_t tsvc__name_index_first(const tsvc__name_index *idx, uint64_t hash)
{
    if (idx->num_buckets == 0)
        return TSVC__INDEX_END;
    return idx->buckets[(size_t)hash & (idx->num_buckets - 1)];
}

size_t tsvc_fingerprint_size(void)
{
    return TSVC_FINGERPRINT_SIZE;
}

tsvc_status tsvc_store_new(tsvc_ctx *ctx, tsvc_store **out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out is required");
    *out = NULL;
    tsvc_store *s = tsvc__calloc(ctx, 1, sizeof(*s));
    if (s == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    s->ctx = ctx;
    atomic_init(&s->refs, 1u);
    atomic_init(&s->frozen, false);
    *out = s;
    return TSVC_OK;
}

tsvc_store *tsvc_store_ref(tsvc_store *store)
{
    if (store != NULL)
        atomic_fetch_add(&store->refs, 1u);
    return store;
}

void tsvc_store_free(tsvc_store *store)
{
    if (store == NULL)
        return;
    if (atomic_fetch_sub(&store->refs, 1u) != 1u)
        return;
    for (size_t i = 0; i < store->num_anchors; i++) {
        tsvc__path_cert_unref(store->anchors[i].cert);
        tsvc__free(store->ctx, store->anchors[i].name_der);
        tsvc_pubkey_free(store->anchors[i].key);
    }
    for (size_t i = 0; i < store->num_inter; i++)
        tsvc__path_cert_unref(store->inter[i]);
    tsvc__store_free_revocation(store);
    tsvc__name_index_free(store->ctx, &store->anchor_index);
    tsvc__name_index_free(store->ctx, &store->inter_index);
    tsvc__free(store->ctx, store->anchors);
    tsvc__free(store->ctx, (void *)store->inter);
    tsvc__free(store->ctx, store);
}

void tsvc_store_freeze(tsvc_store *store)
{
    if (store != NULL)
        atomic_store(&store->frozen, true);
}

int tsvc_store_is_frozen(const tsvc_store *store)
{
    return store != NULL && atomic_load(&((tsvc_store *)(uintptr_t)store)->frozen) ? 1 : 0;
}

size_t tsvc_store_num_anchors(const tsvc_store *store)
{
    return store ? store->num_anchors : 0;
}

size_t tsvc_store_num_intermediates(const tsvc_store *store)
{
    return store ? store->num_inter : 0;
}

tsvc_status tsvc__store_check_mutable(const tsvc_store *store, tsvc_error **err)
{
    if (store == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "store is required");
    if (atomic_load(&store->frozen))
        return tsvc__err(err, TSVC_ERR_STORE_FROZEN, "store.frozen", -1,
                         "the store is frozen and can no longer be changed");
    return TSVC_OK;
}

static tsvc_status grow_anchors(tsvc_store *store, tsvc_error **err)
{
    if (store->num_anchors >= TSVC__STORE_MAX)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1, "too many trust anchors");
    if (store->num_anchors < store->cap_anchors)
        return TSVC_OK;
    size_t ncap = store->cap_anchors ? store->cap_anchors * 2 : 8;
    tsvc__anchor *n = tsvc__realloc(store->ctx, store->anchors,
                                    store->cap_anchors * sizeof(*n), ncap * sizeof(*n));
    if (n == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    store->anchors = n;
    store->cap_anchors = ncap;
    return TSVC_OK;
}

tsvc_status tsvc_store_add_anchor(tsvc_store *store, const tsvc_cert *cert, tsvc_error **err)
{
    tsvc_status st = tsvc__store_check_mutable(store, err);
    if (st != TSVC_OK)
        return st;
    if (cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "cert is required");
    for (size_t i = 0; i < store->num_anchors; i++) {
        const tsvc_cert *a = store->anchors[i].cert;
        if (a != NULL && a->der_len == cert->der_len &&
            memcmp(a->der, cert->der, cert->der_len) == 0)
            return TSVC_OK; /* already there */
    }
    st = grow_anchors(store, err);
    if (st != TSVC_OK)
        return st;
    st = tsvc__name_index_add(store->ctx, &store->anchor_index, store->num_anchors,
                              tsvc__name_hash(&cert->subject));
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    tsvc__anchor *a = &store->anchors[store->num_anchors++];
    memset(a, 0, sizeof(*a));
    a->cert = tsvc__path_cert_ref(cert);
    return TSVC_OK;
}

tsvc_status tsvc_store_add_anchor_pinned(tsvc_store *store, const tsvc_cert *cert,
                                         const uint8_t *sha256, size_t sha256_len,
                                         tsvc_error **err)
{
    uint8_t digest[32];
    tsvc_status st = tsvc__store_check_mutable(store, err);
    if (st != TSVC_OK)
        return st;
    if (cert == NULL || sha256 == NULL || sha256_len != TSVC_FINGERPRINT_SIZE)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1,
                         "a certificate and a 32-byte SHA-256 fingerprint are required");
    st = tsvc__hash_oneshot(store->ctx, TSVC_HASH_SHA256, cert->der, cert->der_len, digest, err);
    if (st != TSVC_OK)
        return st;
    uint8_t diff = 0;
    for (size_t i = 0; i < sizeof(digest); i++)
        diff |= (uint8_t)(digest[i] ^ sha256[i]);
    if (diff != 0)
        return tsvc__err(err, TSVC_ERR_ANCHOR_FINGERPRINT, "anchor.fingerprint", -1,
                         "the certificate's SHA-256 fingerprint does not match the pinned one");
    return tsvc_store_add_anchor(store, cert, err);
}

tsvc_status tsvc_store_add_anchor_key(tsvc_store *store, const uint8_t *spki, size_t spki_len,
                                      const uint8_t *name_der, size_t name_len, tsvc_error **err)
{
    tsvc_pubkey *key = NULL;
    uint8_t *name = NULL;
    tsvc__cbs cbs, contents, whole;
    tsvc_status st = tsvc__store_check_mutable(store, err);
    if (st != TSVC_OK)
        return st;
    if (spki == NULL || name_der == NULL || spki_len == 0 || name_len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "key and name are required");
    tsvc__cbs_init(&cbs, name_der, name_len);
    st = tsvc__der_get_element(&cbs, TSVC__TAG_SEQUENCE, &whole, err);
    if (st == TSVC_OK)
        st = tsvc__der_expect_end(&cbs, err);
    if (st != TSVC_OK)
        goto out;
    contents = whole;
    st = tsvc__name_check(&contents, err);
    if (st != TSVC_OK)
        goto out;
    st = tsvc__pubkey_from_spki(store->ctx, spki, spki_len, &key, err);
    if (st != TSVC_OK)
        goto out;
    name = tsvc__memdup(store->ctx, name_der, name_len);
    if (name == NULL) {
        st = tsvc__err_code(err, TSVC_ERR_NOMEM);
        goto out;
    }
    st = grow_anchors(store, err);
    if (st != TSVC_OK)
        goto out;
    st = tsvc__name_index_add(store->ctx, &store->anchor_index, store->num_anchors,
                              tsvc__name_hash(&whole));
    if (st != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    tsvc__anchor *a = &store->anchors[store->num_anchors++];
    memset(a, 0, sizeof(*a));
    a->key = key;
    a->name_der = name;
    a->name_len = name_len;
    key = NULL;
    name = NULL;
out:
    tsvc_pubkey_free(key);
    tsvc__free(store->ctx, name);
    return st;
}

tsvc_status tsvc_store_add_intermediate(tsvc_store *store, const tsvc_cert *cert,
                                        tsvc_error **err)
{
    tsvc_status st = tsvc__store_check_mutable(store, err);
    if (st != TSVC_OK)
        return st;
    if (cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "cert is required");
    for (size_t i = 0; i < store->num_inter; i++) {
        const tsvc_cert *c = store->inter[i];
        if (c->der_len == cert->der_len && memcmp(c->der, cert->der, cert->der_len) == 0)
            return TSVC_OK;
    }
    if (store->num_inter >= TSVC__STORE_MAX)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1, "too many intermediates");
    if (store->num_inter == store->cap_inter) {
        size_t ncap = store->cap_inter ? store->cap_inter * 2 : 8;
        const tsvc_cert **n = tsvc__realloc(store->ctx, (void *)store->inter,
                                            store->cap_inter * sizeof(*n), ncap * sizeof(*n));
        if (n == NULL)
            return tsvc__err_code(err, TSVC_ERR_NOMEM);
        store->inter = n;
        store->cap_inter = ncap;
    }
    st = tsvc__name_index_add(store->ctx, &store->inter_index, store->num_inter,
                              tsvc__name_hash(&cert->subject));
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    store->inter[store->num_inter++] = tsvc__path_cert_ref(cert);
    return TSVC_OK;
}
