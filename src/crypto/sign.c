/*
 * SPDX-License-Identifier: Apache-2.0
 * Signing and verification: parameter policy, dispatch to the key's or the
 * best backend, hashing, and the ECDSA DER <-> raw conversion at the
 * backend boundary (through ecdsa.c only).
 */
#include <string.h>

#include "crypto_int.h"

void tsvc__crypto_backend_params(const tsvc__sig_params *p, tsvc_backend_sig_params *out)
{
    out->scheme = p->scheme;
    out->hash = p->hash;
    out->mgf1_hash = p->mgf1_hash;
    out->salt_len = p->salt_len;
}

static bool hash_ok_for_signing(tsvc_hash_alg h)
{
    return h == TSVC_HASH_SHA256 || h == TSVC_HASH_SHA384 || h == TSVC_HASH_SHA512;
}

static bool is_ec(tsvc_key_type t)
{
    return t == TSVC_KEY_ECDSA_P256 || t == TSVC_KEY_ECDSA_P384 || t == TSVC_KEY_ECDSA_P521;
}

/* Checks @p in against the key type and the policy; fills @p out with the
 * normalised parameters (PSS MGF1 hash defaulted to the message hash). */
static tsvc_status check_params(tsvc_key_type type, const tsvc__sig_params *in, bool signing,
                                tsvc__sig_params *out, tsvc_error **err)
{
    if (in == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.sig.params", -1,
                         "signature parameters are required");
    *out = *in;
    bool fits;
    switch (in->scheme) {
    case TSVC_SIG_ED25519:
        fits = type == TSVC_KEY_ED25519;
        break;
    case TSVC_SIG_ECDSA:
        fits = is_ec(type);
        break;
    case TSVC_SIG_RSA_PKCS1:
    case TSVC_SIG_RSA_PSS:
        fits = type == TSVC_KEY_RSA;
        break;
    default:
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sig.scheme", -1,
                         "unknown signature scheme %d", (int)in->scheme);
    }
    if (!fits)
        return tsvc__err(err, TSVC_ERR_KEY_MISMATCH, "crypto.sig.key_type", -1,
                         "the key type does not fit the signature scheme");
    if (in->scheme == TSVC_SIG_ED25519) {
        if (in->hash != TSVC_HASH_NONE)
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sig.hash", -1,
                             "Ed25519 signs the message itself: pass no hash");
        return TSVC_OK;
    }
    if (!tsvc__crypto_hash_known(in->hash))
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sig.hash", -1,
                         "unknown or missing hash algorithm");
    if (signing && !hash_ok_for_signing(in->hash))
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sig.hash_policy", -1,
                         "%s is accepted only to verify legacy data, not to sign",
                         in->hash == TSVC_HASH_SHA1 ? "SHA-1" : "SHA-224");
    if (in->scheme == TSVC_SIG_RSA_PSS) {
        if (out->mgf1_hash == TSVC_HASH_NONE)
            out->mgf1_hash = in->hash;
        if (!tsvc__crypto_hash_known(out->mgf1_hash))
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sig.mgf1", -1,
                             "unknown MGF1 hash");
        if (signing && !hash_ok_for_signing(out->mgf1_hash))
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sig.hash_policy", -1,
                             "MGF1 hash not accepted for signing");
    } else {
        out->mgf1_hash = TSVC_HASH_NONE;
        out->salt_len = 0;
    }
    return TSVC_OK;
}

static const tsvc__backend_slot *slot_of(const tsvc_ctx *ctx, const tsvc_backend *ops,
                                         const void *state)
{
    for (size_t i = 0; i < ctx->num_backends; i++)
        if (ctx->backends[i].ops == ops && ctx->backends[i].state == state)
            return &ctx->backends[i];
    return NULL;
}

/* Whether the key's own backend can make this signature. A key held
 * outside the registered backends (an HSM token) answers through its own
 * table and state. */
static bool key_can_sign(const tsvc_key *key, tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    const tsvc__backend_slot *slot = slot_of(key->ctx, key->ops, key->bstate);
    if (slot != NULL)
        return tsvc__crypto_slot_supports(slot, TSVC_OP_SIGN, key->type, scheme, hash);
    tsvc__backend_slot own = {key->ops, key->bstate, 0, true};
    return tsvc__crypto_slot_supports(&own, TSVC_OP_SIGN, key->type, scheme, hash);
}

static tsvc_status cannot_sign(const tsvc_key *key, tsvc_error **err)
{
    if (key->storage == TSVC_STORAGE_HSM)
        return tsvc__err(err, TSVC_ERR_PKCS11_MECHANISM, "crypto.sign.mechanism", -1,
                         "the token holding the key (backend %s) does not offer the "
                         "mechanism this signature needs",
                         key->ops->name);
    return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.sign.backend", -1,
                     "the key's backend %s cannot make this signature", key->ops->name);
}

/* Backend statuses passed on as they are: memory, and the key-store family. */
static tsvc_status backend_status(tsvc_status st)
{
    if (st == TSVC_ERR_NOMEM || tsvc_status_family(st) == -900)
        return st;
    return TSVC_ERR_BACKEND;
}

static tsvc_status sign_digest_on_key(const tsvc_key *key, const tsvc__sig_params *p,
                                      const uint8_t *digest, size_t digest_len, tsvc_buf *sig,
                                      tsvc_error **err)
{
    uint8_t raw[TSVC__SIG_MAX];
    size_t raw_len = 0;
    tsvc_backend_sig_params bp;
    tsvc__crypto_backend_params(p, &bp);
    tsvc_status st = key->ops->sign_hash(key->bstate, key->handle, &bp, digest, digest_len, raw,
                                         sizeof(raw), &raw_len);
    if (st != TSVC_OK) {
        tsvc_memzero(raw, sizeof(raw));
        return tsvc__err(err, backend_status(st), "crypto.sign", -1,
                         "backend %s failed to sign: %s", key->ops->name, tsvc_status_str(st));
    }
    if (p->scheme == TSVC_SIG_ECDSA) {
        size_t cl = tsvc__crypto_ec_coord_len(key->type);
        st = tsvc__ecdsa_raw_to_der(key->ctx, raw, raw_len, cl, sig);
        if (st != TSVC_OK)
            st = tsvc__err(err, st == TSVC_ERR_NOMEM ? st : TSVC_ERR_BACKEND,
                           "crypto.sign.ecdsa", -1, "backend gave a malformed ECDSA signature");
    } else {
        st = tsvc__buf_set(key->ctx, sig, raw, raw_len);
        if (st != TSVC_OK)
            st = tsvc__err_code(err, st);
    }
    /* Only what the backend wrote: wiping the whole 2 KiB on every
     * signature showed up in profiles. */
    tsvc_memzero(raw, raw_len < sizeof(raw) ? raw_len : sizeof(raw));
    return st;
}

static tsvc_status sign_message_on_key(const tsvc_key *key, const tsvc__sig_params *p,
                                       const uint8_t *msg, size_t msg_len, tsvc_buf *sig,
                                       tsvc_error **err)
{
    uint8_t raw[64];
    size_t raw_len = 0;
    tsvc_backend_sig_params bp;
    tsvc__crypto_backend_params(p, &bp);
    tsvc_status st = key->ops->sign_message(key->bstate, key->handle, &bp, msg, msg_len, raw,
                                            sizeof(raw), &raw_len);
    if (st != TSVC_OK)
        return tsvc__err(err, backend_status(st), "crypto.sign", -1,
                         "backend %s failed to sign: %s", key->ops->name, tsvc_status_str(st));
    st = tsvc__buf_set(key->ctx, sig, raw, raw_len);
    return st == TSVC_OK ? st : tsvc__err_code(err, st);
}

/* Every private-key signature goes through here: parameter policy, the
 * capability check, hashing, the activation callback, the backend, and
 * the evidence. */
static tsvc_status sign_common(const tsvc_key *key, const tsvc__sig_params *pin,
                               const uint8_t *data, size_t len, bool is_digest,
                               const char *label, tsvc_buf *sig, tsvc_sign_evidence **evidence,
                               tsvc_error **err)
{
    if (evidence != NULL)
        *evidence = NULL;
    if (sig == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.sign", -1, "sig is NULL");
    sig->data = NULL;
    sig->len = 0;
    if (key == NULL || (data == NULL && len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.sign", -1, "NULL argument");
    tsvc__sig_params p;
    tsvc_status st = check_params(key->type, pin, true, &p, err);
    if (st != TSVC_OK)
        return st;
    if (p.scheme == TSVC_SIG_ED25519 && is_digest)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sign.ed25519", -1,
                         "Ed25519 cannot sign a digest; sign the message");
    if (!key_can_sign(key, p.scheme, p.hash))
        return cannot_sign(key, err);
    if (p.scheme == TSVC_SIG_RSA_PSS) {
        size_t em = (key->bits - 1 + 7) / 8;
        if (em < tsvc__hash_size(p.hash) + p.salt_len + 2)
            return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.sign.pss_salt", -1,
                             "PSS salt too long for the key");
    }
    uint8_t digest[TSVC_HASH_MAX_SIZE];
    const uint8_t *dg = data;
    size_t dg_len = len;
    tsvc_hash_alg dg_alg = p.hash;
    if (p.scheme == TSVC_SIG_ED25519) {
        /* The approver sees the SHA-512 of the message (when a backend has it). */
        dg = NULL;
        dg_len = 0;
        dg_alg = TSVC_HASH_NONE;
        if (key->activation != NULL &&
            tsvc__crypto_hash_on(key->ctx, NULL, TSVC_HASH_SHA512, data, len, digest, NULL) ==
                TSVC_OK) {
            dg = digest;
            dg_len = 64;
            dg_alg = TSVC_HASH_SHA512;
        }
    } else {
        size_t hl = tsvc__hash_size(p.hash);
        if (is_digest) {
            if (len != hl)
                return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.sign.digest", -1,
                                 "digest of %zu bytes does not fit the hash (%zu)", len, hl);
        } else {
            st = tsvc__crypto_hash_on(key->ctx, slot_of(key->ctx, key->ops, key->bstate),
                                      p.hash, data, len, digest, err);
            if (st != TSVC_OK)
                return st;
            dg = digest;
            dg_len = hl;
        }
    }
    char *activation_text = NULL;
    st = tsvc__activation_check(key, &p, dg, dg_len, dg_alg,
                                p.scheme == TSVC_SIG_ED25519 ? data : NULL,
                                p.scheme == TSVC_SIG_ED25519 ? len : 0, label,
                                &activation_text, err);
    if (st != TSVC_OK)
        return st;
    if (p.scheme == TSVC_SIG_ED25519)
        st = sign_message_on_key(key, &p, data, len, sig, err);
    else
        st = sign_digest_on_key(key, &p, dg, dg_len, sig, err);
    tsvc_memzero(digest, sizeof(digest));
    if (st == TSVC_OK && evidence != NULL) {
        st = tsvc__evidence_new(key, &p, label, key->activation != NULL, activation_text,
                                evidence, err);
        activation_text = NULL;
        if (st != TSVC_OK)
            tsvc_buf_dispose(sig);
    }
    if (activation_text != NULL)
        tsvc__free(key->ctx, activation_text);
    return st;
}

tsvc_status tsvc__sign(const tsvc_key *key, const tsvc__sig_params *p, const uint8_t *msg,
                       size_t msg_len, tsvc_buf *sig, tsvc_error **err)
{
    return sign_common(key, p, msg, msg_len, false, NULL, sig, NULL, err);
}

tsvc_status tsvc__sign_digest(const tsvc_key *key, const tsvc__sig_params *p,
                              const uint8_t *digest, size_t digest_len, tsvc_buf *sig,
                              tsvc_error **err)
{
    return sign_common(key, p, digest, digest_len, true, NULL, sig, NULL, err);
}

tsvc_status tsvc__sign_ex(const tsvc_key *key, const tsvc__sig_params *p, const uint8_t *data,
                          size_t len, bool is_digest, const char *label, tsvc_buf *sig,
                          tsvc_sign_evidence **evidence, tsvc_error **err)
{
    return sign_common(key, p, data, len, is_digest, label, sig, evidence, err);
}

tsvc_status tsvc__sign_wrap(const tsvc_key *key, const tsvc__sig_params *p, const uint8_t *tbs,
                            size_t tbs_len, const char *label, const char *pem_label,
                            const char *check, tsvc_buf *out, tsvc_error **err)
{
    tsvc_buf sig = TSVC_BUF_INIT, der = TSVC_BUF_INIT;
    tsvc_status st = sign_common(key, p, tbs, tbs_len, false, label, &sig, NULL, err);
    if (st != TSVC_OK)
        return st;
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, key->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_add_bytes(&cbb, tbs, tbs_len);
    tsvc__sigalg_encode(&cbb, p);
    tsvc__cbb_add_bit_string(&cbb, sig.data, sig.len, 0);
    tsvc__cbb_close(&cbb);
    tsvc_buf_dispose(&sig);
    if ((st = tsvc__cbb_finish(&cbb, &der)) != TSVC_OK)
        return tsvc__err(err, st, check, -1, "cannot encode the signed structure");
    if (pem_label == NULL) {
        *out = der;
        return TSVC_OK;
    }
    st = tsvc__pem_encode(key->ctx, pem_label, der.data, der.len, out);
    tsvc_buf_dispose(&der);
    return st == TSVC_OK ? st : tsvc__err_code(err, st);
}

/* RFC 8032 5.1.7: S (little-endian) must be below the group order L;
 * checked here so that every backend refuses malleable signatures. */
static bool ed25519_s_canonical(const uint8_t *s)
{
    static const uint8_t order[32] = {
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
        0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
    for (size_t i = 32; i-- > 0;) {
        if (s[i] != order[i])
            return s[i] < order[i];
    }
    return false; /* S == L */
}

/* RFC 8017 RSAVP1 step 1: the signature representative must be below n.
 * @p sig has the modulus' byte length. */
static bool rsa_sig_in_range(const tsvc_pubkey *pub, const uint8_t *sig, size_t sig_len)
{
    if (pub->n_len > sig_len)
        return false;
    size_t pad = sig_len - pub->n_len;
    for (size_t i = 0; i < pad; i++)
        if (sig[i] != 0)
            return false;
    return memcmp(sig + pad, pub->n, pub->n_len) < 0;
}

/*
 * A backend handle for @p pub on @p slot: the key's own one when @p slot is
 * the backend that made it and no other thread holds it (*cached set), else
 * a new one for this call. The key's own handle is made lazily, by the first
 * verification with the key on its own context (most certificates parsed are never used to
 * verify anything): the handle imported then is published into the key's
 * embedded slot with a compare-and-swap, so that it allocates nothing from
 * the context and is released with the key; a thread that loses the race
 * uses its handle for this call only.
 */
static tsvc_status pub_handle_take(const tsvc_ctx *ctx, const tsvc__backend_slot *slot,
                                   const tsvc_pubkey *pub, tsvc__pub_handle **cached,
                                   void **handle)
{
    tsvc_pubkey *mut = (tsvc_pubkey *)pub; /* the handle slot is the key's only mutable part */
    tsvc__pub_handle *c = atomic_load_explicit(&mut->handle_cache, memory_order_acquire);
    *cached = NULL;
    if (c != NULL) {
        if (c->ops == slot->ops && c->state == slot->state &&
            !atomic_exchange_explicit(&c->busy, true, memory_order_acquire)) {
            *cached = c;
            *handle = c->handle;
            return TSVC_OK;
        }
    }
    tsvc_key_part parts[2];
    size_t np = tsvc__crypto_pubkey_parts(pub, parts);
    tsvc_status st = slot->ops->pubkey_import(slot->state, pub->type, parts, np, handle);
    /* Only a handle of the key's own context is kept: another context's
     * backends may be gone before the key. */
    if (st != TSVC_OK || c != NULL || ctx != pub->ctx)
        return st;
    /* Claim the embedded slot; only one thread ever fills it. */
    bool expected = false;
    if (!atomic_compare_exchange_strong_explicit(&mut->handle_claimed, &expected, true,
                                                 memory_order_acq_rel, memory_order_relaxed))
        return TSVC_OK;
    c = &mut->handle_slot;
    c->ops = slot->ops;
    c->state = slot->state;
    c->handle = *handle;
    atomic_store_explicit(&c->busy, true, memory_order_relaxed);
    atomic_store_explicit(&mut->handle_cache, c, memory_order_release);
    *cached = c;
    return TSVC_OK;
}

void tsvc__crypto_pub_handle_prefill(tsvc_pubkey *pub)
{
    atomic_init(&pub->handle_slot.busy, false);
    atomic_init(&pub->handle_claimed, false);
    atomic_init(&pub->handle_cache, NULL);
}

static void pub_handle_give_back(const tsvc__backend_slot *slot, tsvc__pub_handle *cached,
                                 void *handle)
{
    if (cached != NULL)
        atomic_store_explicit(&cached->busy, false, memory_order_release);
    else
        slot->ops->pubkey_free(slot->state, handle);
}

void tsvc__crypto_pub_handle_free(const tsvc_ctx *ctx, tsvc__pub_handle *h)
{
    (void)ctx;
    if (h == NULL)
        return;
    h->ops->pubkey_free(h->state, h->handle); /* the slot itself is part of the key */
}

static tsvc_status verify_common(const tsvc_ctx *ctx, const tsvc__backend_slot *forced,
                                 const tsvc_pubkey *pub, const tsvc__sig_params *pin,
                                 const uint8_t *data, size_t len, bool is_digest,
                                 const uint8_t *sig, size_t sig_len, tsvc_error **err)
{
    if (pub == NULL || (data == NULL && len != 0) || (sig == NULL && sig_len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.verify", -1, "NULL argument");
    if (ctx == NULL)
        ctx = pub->ctx;
    /* Initialised only to quiet GCC's -O3 maybe-uninitialized warning. */
    tsvc__sig_params p = {TSVC_SIG_NONE, TSVC_HASH_NONE, TSVC_HASH_NONE, 0};
    tsvc_status st = check_params(pub->type, pin, false, &p, err);
    if (st != TSVC_OK)
        return st;
    if (pub->pss_only && p.scheme != TSVC_SIG_RSA_PSS)
        return tsvc__err(err, TSVC_ERR_KEY_MISMATCH, "crypto.verify.pss_key", -1,
                         "an RSASSA-PSS key verifies only RSA-PSS signatures");
    if (pub->pss_has_params &&
        (p.hash != pub->pss.hash || p.mgf1_hash != pub->pss.mgf1_hash ||
         p.salt_len < pub->pss.salt_len))
        return tsvc__err(err, TSVC_ERR_KEY_MISMATCH, "crypto.verify.pss_params", -1,
                         "signature parameters differ from the key's RSASSA-PSS parameters");
    if (p.scheme == TSVC_SIG_ED25519 && is_digest)
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "crypto.verify.ed25519", -1,
                         "Ed25519 cannot verify a digest; pass the message");
    const tsvc__backend_slot *slot;
    if (forced != NULL)
        slot = tsvc__crypto_slot_supports(forced, TSVC_OP_VERIFY, pub->type, p.scheme, p.hash)
                   ? forced
                   : NULL;
    else
        slot = tsvc__crypto_pick(ctx, TSVC_OP_VERIFY, pub->type, p.scheme, p.hash);
    if (slot == NULL)
        return tsvc__err(err, TSVC_ERR_NO_BACKEND, "crypto.verify.backend", -1,
                         "no backend can verify this signature");

    uint8_t digest[TSVC_HASH_MAX_SIZE];
    uint8_t raw[2 * 66];
    const uint8_t *s = sig;
    size_t s_len = sig_len;
    if (p.scheme != TSVC_SIG_ED25519) {
        size_t hl = tsvc__hash_size(p.hash);
        if (is_digest) {
            if (len != hl)
                return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.verify.digest", -1,
                                 "digest of %zu bytes does not fit the hash (%zu)", len, hl);
        } else {
            st = tsvc__crypto_hash_on(ctx, slot, p.hash, data, len, digest, err);
            if (st != TSVC_OK)
                return st;
            data = digest;
            len = hl;
        }
    }
    bool bad = false;
    if (p.scheme == TSVC_SIG_ECDSA) {
        size_t cl = tsvc__crypto_ec_coord_len(pub->type);
        if (tsvc__ecdsa_der_to_raw(sig, sig_len, cl, raw, sizeof(raw)) != TSVC_OK)
            bad = true;
        s = raw;
        s_len = 2 * cl;
    } else if (p.scheme == TSVC_SIG_ED25519) {
        bad = sig_len != 64 || !ed25519_s_canonical(sig + 32);
    } else {
        bad = sig_len != (pub->bits + 7) / 8 || !rsa_sig_in_range(pub, sig, sig_len);
    }
    if (bad)
        return tsvc__err(err, TSVC_ERR_SIGNATURE_INVALID, "crypto.verify.encoding", -1,
                         "malformed signature");
    void *handle = NULL;
    tsvc__pub_handle *cached = NULL;
    st = pub_handle_take(ctx, slot, pub, &cached, &handle);
    if (st != TSVC_OK) {
        if (st != TSVC_ERR_KEY_SIZE && st != TSVC_ERR_KEY_FORMAT && st != TSVC_ERR_NOMEM)
            st = TSVC_ERR_BACKEND;
        return tsvc__err(err, st, "crypto.verify.key", -1, "backend %s refused the key: %s",
                         slot->ops->name, tsvc_status_str(st));
    }
    tsvc_backend_sig_params bp;
    tsvc__crypto_backend_params(&p, &bp);
    if (p.scheme == TSVC_SIG_ED25519)
        st = slot->ops->verify_message(slot->state, handle, &bp, data, len, s, s_len);
    else
        st = slot->ops->verify_hash(slot->state, handle, &bp, data, len, s, s_len);
    pub_handle_give_back(slot, cached, handle);
    if (st == TSVC_OK)
        return TSVC_OK;
    if (st == TSVC_ERR_SIGNATURE_INVALID)
        return tsvc__err(err, st, "crypto.verify", -1, "the signature does not verify");
    return tsvc__err(err, st == TSVC_ERR_NOMEM ? st : TSVC_ERR_BACKEND, "crypto.verify", -1,
                     "backend %s failed to verify: %s", slot->ops->name, tsvc_status_str(st));
}

tsvc_status tsvc__verify(const tsvc_ctx *ctx, const tsvc_pubkey *pub, const tsvc__sig_params *p,
                         const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len,
                         tsvc_error **err)
{
    return verify_common(ctx, NULL, pub, p, msg, msg_len, false, sig, sig_len, err);
}

tsvc_status tsvc__verify_digest(const tsvc_ctx *ctx, const tsvc_pubkey *pub,
                                const tsvc__sig_params *p, const uint8_t *digest,
                                size_t digest_len, const uint8_t *sig, size_t sig_len,
                                tsvc_error **err)
{
    return verify_common(ctx, NULL, pub, p, digest, digest_len, true, sig, sig_len, err);
}

tsvc_status tsvc__verify_on_backend(const tsvc_ctx *ctx, size_t backend_index,
                                    const tsvc_pubkey *pub, const tsvc__sig_params *p,
                                    const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                    size_t sig_len, tsvc_error **err)
{
    if (ctx == NULL || backend_index >= ctx->num_backends)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.verify.backend", -1,
                         "no backend with that index");
    return verify_common(ctx, &ctx->backends[backend_index], pub, p, msg, msg_len, false, sig,
                         sig_len, err);
}

static void public_params(tsvc__sig_params *p, tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    memset(p, 0, sizeof(*p));
    p->scheme = scheme;
    p->hash = hash;
    if (scheme == TSVC_SIG_RSA_PSS) {
        p->mgf1_hash = hash;
        p->salt_len = (uint32_t)tsvc__hash_size(hash);
    }
}

tsvc_status tsvc_key_sign(const tsvc_key *key, tsvc_buf *sig, tsvc_sig_scheme scheme,
                          tsvc_hash_alg hash, const uint8_t *msg, size_t msg_len,
                          tsvc_error **err)
{
    tsvc__sig_params p;
    public_params(&p, scheme, hash);
    return sign_common(key, &p, msg, msg_len, false, NULL, sig, NULL, err);
}

tsvc_status tsvc_key_sign_digest(const tsvc_key *key, tsvc_buf *sig, tsvc_sig_scheme scheme,
                                 tsvc_hash_alg hash, const uint8_t *digest, size_t digest_len,
                                 tsvc_error **err)
{
    tsvc__sig_params p;
    public_params(&p, scheme, hash);
    return sign_common(key, &p, digest, digest_len, true, NULL, sig, NULL, err);
}

tsvc_status tsvc_key_sign_ex(const tsvc_key *key, tsvc_buf *sig, tsvc_sign_evidence **evidence,
                             const tsvc_sign_options *opts, const uint8_t *data, size_t len,
                             tsvc_error **err)
{
    if (evidence != NULL)
        *evidence = NULL;
    tsvc_sign_options o = TSVC_SIGN_OPTIONS_INIT;
    if (opts != NULL) {
        if (opts->version != TSVC_SIGN_OPTIONS_VERSION) {
            if (sig != NULL) {
                sig->data = NULL;
                sig->len = 0;
            }
            return tsvc__err(err, TSVC_ERR_BAD_VERSION, "crypto.sign.options", -1,
                             "unknown tsvc_sign_options version %u", (unsigned)opts->version);
        }
        o = *opts;
    }
    tsvc__sig_params p;
    memset(&p, 0, sizeof(p));
    if (key != NULL && (o.scheme == TSVC_SIG_NONE || o.hash == TSVC_HASH_NONE) &&
        tsvc__sig_params_default(key->type, &p) == TSVC_OK) {
        if (o.scheme != TSVC_SIG_NONE && o.scheme != p.scheme) {
            /* Another scheme of the same key type: keep only the default hash. */
            p.scheme = o.scheme;
            p.mgf1_hash = TSVC_HASH_NONE;
            p.salt_len = 0;
        }
    }
    if (o.scheme != TSVC_SIG_NONE)
        p.scheme = o.scheme;
    if (o.hash != TSVC_HASH_NONE)
        p.hash = o.hash;
    if (p.scheme == TSVC_SIG_ED25519)
        p.hash = TSVC_HASH_NONE;
    if (p.scheme == TSVC_SIG_RSA_PSS) {
        p.mgf1_hash = o.mgf1_hash != TSVC_HASH_NONE ? o.mgf1_hash : p.hash;
        p.salt_len = o.salt_len != 0 ? o.salt_len : (uint32_t)tsvc__hash_size(p.hash);
    }
    return sign_common(key, &p, data, len, o.input_is_digest != 0, o.label, sig, evidence, err);
}

tsvc_status tsvc_pubkey_verify(const tsvc_pubkey *pub, tsvc_sig_scheme scheme,
                               tsvc_hash_alg hash, const uint8_t *msg, size_t msg_len,
                               const uint8_t *sig, size_t sig_len, tsvc_error **err)
{
    tsvc__sig_params p;
    public_params(&p, scheme, hash);
    return verify_common(NULL, NULL, pub, &p, msg, msg_len, false, sig, sig_len, err);
}

tsvc_status tsvc_pubkey_verify_digest(const tsvc_pubkey *pub, tsvc_sig_scheme scheme,
                                      tsvc_hash_alg hash, const uint8_t *digest,
                                      size_t digest_len, const uint8_t *sig, size_t sig_len,
                                      tsvc_error **err)
{
    tsvc__sig_params p;
    public_params(&p, scheme, hash);
    return verify_common(NULL, NULL, pub, &p, digest, digest_len, true, sig, sig_len, err);
}
