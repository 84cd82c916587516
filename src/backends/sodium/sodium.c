/*
 * SPDX-License-Identifier: Apache-2.0
 * libsodium backend: Ed25519 (sign, verify, generate, import), SHA-256,
 * SHA-512 and random bytes. libsodium is thread-safe after sodium_init();
 * the per-context state only holds the context's allocator, which every
 * allocation of this backend goes through.
 */
#include <sodium.h>
#include <string.h>

#include "trustsvc/sys/backend.h"

typedef struct sodium_state {
    tsvc_allocator alloc;
} sodium_state;

static void *sd_alloc(const sodium_state *s, size_t size)
{
    return s->alloc.alloc(s->alloc.opaque, size);
}

static void sd_free(const sodium_state *s, void *p, size_t size)
{
    if (p == NULL)
        return;
    sodium_memzero(p, size);
    s->alloc.free(s->alloc.opaque, p);
}

typedef struct sodium_hash {
    const sodium_state *owner;
    tsvc_hash_alg alg;
    union {
        crypto_hash_sha256_state s256;
        crypto_hash_sha512_state s512;
    } u;
} sodium_hash;

/* Ed25519 key: libsodium's 64-byte secret key is seed || public key. */
typedef struct sodium_key {
    uint8_t sk[crypto_sign_ed25519_SECRETKEYBYTES];
    uint8_t pk[crypto_sign_ed25519_PUBLICKEYBYTES];
} sodium_key;

typedef struct sodium_pub {
    uint8_t pk[crypto_sign_ed25519_PUBLICKEYBYTES];
} sodium_pub;

static tsvc_status sd_global_init(void)
{
    return sodium_init() < 0 ? TSVC_ERR_NOT_INITIALISED : TSVC_OK;
}

static tsvc_status sd_instance_new(void **state, const tsvc_allocator *alloc)
{
    sodium_state *s = alloc->alloc(alloc->opaque, sizeof(*s));
    if (s == NULL)
        return TSVC_ERR_NOMEM;
    s->alloc = *alloc;
    *state = s;
    return TSVC_OK;
}

static void sd_instance_free(void *state)
{
    if (state == NULL)
        return;
    sodium_state *s = state;
    tsvc_allocator a = s->alloc;
    a.free(a.opaque, s);
}

static int sd_supports(void *state, tsvc_crypto_op op, tsvc_key_type type,
                       tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    (void)state;
    switch (op) {
    case TSVC_OP_HASH:
        return hash == TSVC_HASH_SHA256 || hash == TSVC_HASH_SHA512;
    case TSVC_OP_RANDOM:
        return 1;
    case TSVC_OP_KEYGEN:
    case TSVC_OP_KEY_IMPORT:
        return type == TSVC_KEY_ED25519;
    case TSVC_OP_SIGN:
    case TSVC_OP_VERIFY:
        return type == TSVC_KEY_ED25519 && scheme == TSVC_SIG_ED25519 && hash == TSVC_HASH_NONE;
    }
    return 0;
}

static tsvc_status sd_hash_init(void *state, tsvc_hash_alg alg, void **hash_state)
{
    if (alg != TSVC_HASH_SHA256 && alg != TSVC_HASH_SHA512)
        return TSVC_ERR_UNSUPPORTED;
    sodium_hash *h = sd_alloc(state, sizeof(*h));
    if (h == NULL)
        return TSVC_ERR_NOMEM;
    h->owner = state;
    h->alg = alg;
    if (alg == TSVC_HASH_SHA256)
        crypto_hash_sha256_init(&h->u.s256);
    else
        crypto_hash_sha512_init(&h->u.s512);
    *hash_state = h;
    return TSVC_OK;
}

static tsvc_status sd_hash_update(void *hash_state, const uint8_t *data, size_t len)
{
    sodium_hash *h = hash_state;
    int rc = h->alg == TSVC_HASH_SHA256 ? crypto_hash_sha256_update(&h->u.s256, data, len)
                                        : crypto_hash_sha512_update(&h->u.s512, data, len);
    return rc == 0 ? TSVC_OK : TSVC_ERR_BACKEND;
}

static tsvc_status sd_hash_final(void *hash_state, uint8_t *out, size_t out_size)
{
    sodium_hash *h = hash_state;
    size_t need = h->alg == TSVC_HASH_SHA256 ? 32 : 64;
    if (out_size < need)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    int rc = h->alg == TSVC_HASH_SHA256 ? crypto_hash_sha256_final(&h->u.s256, out)
                                        : crypto_hash_sha512_final(&h->u.s512, out);
    return rc == 0 ? TSVC_OK : TSVC_ERR_BACKEND;
}

static void sd_hash_free(void *hash_state)
{
    if (hash_state == NULL)
        return;
    sodium_hash *h = hash_state;
    sd_free(h->owner, h, sizeof(*h));
}

static tsvc_status sd_random(void *state, uint8_t *out, size_t len)
{
    (void)state;
    randombytes_buf(out, len);
    return TSVC_OK;
}

static tsvc_status key_from_seed(const sodium_state *s, const uint8_t *seed, void **key)
{
    sodium_key *k = sd_alloc(s, sizeof(*k));
    if (k == NULL)
        return TSVC_ERR_NOMEM;
    if (crypto_sign_ed25519_seed_keypair(k->pk, k->sk, seed) != 0) {
        sd_free(s, k, sizeof(*k));
        return TSVC_ERR_BACKEND;
    }
    *key = k;
    return TSVC_OK;
}

static tsvc_status sd_key_generate(void *state, tsvc_key_type type, unsigned bits, void **key)
{
    (void)bits;
    if (type != TSVC_KEY_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    uint8_t seed[crypto_sign_ed25519_SEEDBYTES];
    randombytes_buf(seed, sizeof(seed));
    tsvc_status st = key_from_seed(state, seed, key);
    sodium_memzero(seed, sizeof(seed));
    return st;
}

static tsvc_status sd_key_import(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                                 size_t num_parts, void **key)
{
    if (type != TSVC_KEY_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    for (size_t i = 0; i < num_parts; i++)
        if (parts[i].id == TSVC_PART_ED25519_SEED) {
            if (parts[i].len != crypto_sign_ed25519_SEEDBYTES)
                return TSVC_ERR_KEY_FORMAT;
            return key_from_seed(state, parts[i].data, key);
        }
    return TSVC_ERR_KEY_FORMAT;
}

static tsvc_status sd_key_export(void *state, void *key, int include_private,
                                 tsvc_key_part_sink sink, void *opaque)
{
    (void)state;
    sodium_key *k = key;
    tsvc_status st = sink(opaque, TSVC_PART_ED25519_PUBLIC, k->pk, sizeof(k->pk));
    if (st == TSVC_OK && include_private)
        st = sink(opaque, TSVC_PART_ED25519_SEED, k->sk, crypto_sign_ed25519_SEEDBYTES);
    return st;
}

static void sd_key_free(void *state, void *key)
{
    sd_free(state, key, sizeof(sodium_key));
}

static tsvc_status sd_sign_message(void *state, void *key, const tsvc_backend_sig_params *params,
                                   const uint8_t *msg, size_t msg_len, uint8_t *sig,
                                   size_t sig_size, size_t *sig_len)
{
    (void)state;
    if (params->scheme != TSVC_SIG_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    if (sig_size < crypto_sign_ed25519_BYTES)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    sodium_key *k = key;
    unsigned long long len = 0;
    if (crypto_sign_ed25519_detached(sig, &len, msg, msg_len, k->sk) != 0)
        return TSVC_ERR_BACKEND;
    *sig_len = (size_t)len;
    return TSVC_OK;
}

static tsvc_status sd_pubkey_import(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                                    size_t num_parts, void **pub)
{
    if (type != TSVC_KEY_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    for (size_t i = 0; i < num_parts; i++)
        if (parts[i].id == TSVC_PART_ED25519_PUBLIC) {
            if (parts[i].len != crypto_sign_ed25519_PUBLICKEYBYTES)
                return TSVC_ERR_KEY_FORMAT;
            sodium_pub *p = sd_alloc(state, sizeof(*p));
            if (p == NULL)
                return TSVC_ERR_NOMEM;
            memcpy(p->pk, parts[i].data, sizeof(p->pk));
            *pub = p;
            return TSVC_OK;
        }
    return TSVC_ERR_KEY_FORMAT;
}

static void sd_pubkey_free(void *state, void *pub)
{
    sd_free(state, pub, sizeof(sodium_pub));
}

static tsvc_status sd_verify_message(void *state, void *pub,
                                     const tsvc_backend_sig_params *params, const uint8_t *msg,
                                     size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    (void)state;
    if (params->scheme != TSVC_SIG_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    if (sig_len != crypto_sign_ed25519_BYTES)
        return TSVC_ERR_SIGNATURE_INVALID;
    sodium_pub *p = pub;
    return crypto_sign_ed25519_verify_detached(sig, msg, msg_len, p->pk) == 0
               ? TSVC_OK
               : TSVC_ERR_SIGNATURE_INVALID;
}

const tsvc_backend tsvc__backend_sodium = {
    .version = TSVC_BACKEND_VERSION,
    .struct_size = sizeof(tsvc_backend),
    .name = "sodium",
    .global_init = sd_global_init,
    .instance_new = sd_instance_new,
    .instance_free = sd_instance_free,
    .supports = sd_supports,
    .hash_init = sd_hash_init,
    .hash_update = sd_hash_update,
    .hash_final = sd_hash_final,
    .hash_free = sd_hash_free,
    .random = sd_random,
    .key_generate = sd_key_generate,
    .key_import = sd_key_import,
    .key_export = sd_key_export,
    .key_free = sd_key_free,
    .sign_hash = NULL,
    .sign_message = sd_sign_message,
    .pubkey_import = sd_pubkey_import,
    .pubkey_free = sd_pubkey_free,
    .verify_hash = NULL,
    .verify_message = sd_verify_message,
};
