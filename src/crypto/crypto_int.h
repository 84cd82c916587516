/*
 * SPDX-License-Identifier: Apache-2.0
 * Private declarations shared by the files of the crypto layer: the layout
 * of keys, public keys and hash objects, backend dispatch helpers and curve
 * data. Not for other layers (they use crypto.h).
 */
#ifndef TSVC_CRYPTO_CRYPTO_INT_H
#define TSVC_CRYPTO_CRYPTO_INT_H

#include <stdatomic.h>
#include <stddef.h>

#include "crypto/crypto.h"
#include "trustsvc/sys/backend.h"

/** True when the table is long enough to have @p member and it is set. */
#define TSVC__BACKEND_HAS(ops, member)                                                       \
    ((ops)->struct_size >= offsetof(tsvc_backend, member) + sizeof((ops)->member) &&       \
     (ops)->member != NULL)

/** Largest RSA modulus accepted anywhere, in bits. */
#define TSVC__RSA_MAX_BITS 16384
/** Smallest RSA modulus accepted for verification, in bits. */
#define TSVC__RSA_MIN_BITS 512
/** Largest signature any scheme produces, in bytes. */
#define TSVC__SIG_MAX (TSVC__RSA_MAX_BITS / 8)

struct tsvc_pubkey {
    const tsvc_ctx *ctx;
    atomic_uint refs;
    tsvc_key_type type;
    unsigned bits;
    uint8_t *spki; /* owned, DER */
    size_t spki_len;
    const uint8_t *key_bits; /* subjectPublicKey contents, inside spki */
    size_t key_bits_len;
    /* Raw parts, inside spki: RSA n/e (magnitudes), EC point, Ed25519 key. */
    const uint8_t *n, *e, *point;
    size_t n_len, e_len, point_len;
    /* id-RSASSA-PSS keys: only PSS allowed; parameters when present. */
    bool pss_only;
    bool pss_has_params;
    tsvc__sig_params pss;
    /* Backend handle made by the key's first verification, kept for the
     * ones after it (sign.c): handle_slot is filled once, by the thread
     * that sets handle_claimed, then published through handle_cache (NULL
     * until then); released with the key. */
    struct tsvc__pub_handle {
        const tsvc_backend *ops;
        void *state;
        void *handle;
        atomic_bool busy;
    } handle_slot;
    atomic_bool handle_claimed;
    _Atomic(struct tsvc__pub_handle *) handle_cache;
};

/** A public key's cached backend handle; used by one verification at a time. */
typedef struct tsvc__pub_handle tsvc__pub_handle;
/** Releases a public key's cached backend handle (NULL allowed; sign.c). */
void tsvc__crypto_pub_handle_free(const tsvc_ctx *ctx, tsvc__pub_handle *h);
/**
 * Initialises a new public key's (empty) backend-handle slot; the handle is
 * imported by the key's first verification, not when the key is made, and
 * lives in the key itself, so verifying allocates nothing from the context.
 */
void tsvc__crypto_pub_handle_prefill(tsvc_pubkey *pub);

struct tsvc_key {
    const tsvc_ctx *ctx;
    const tsvc_backend *ops;
    void *bstate;
    void *handle;
    tsvc_key_type type;
    unsigned bits;
    tsvc_pubkey *pub;
    tsvc_key_storage storage;
    /* Signature activation (assurance.c); NULL when none. */
    tsvc_activation_fn activation;
    void *activation_opaque;
    /* HSM keys: a copy of what the backend reported (assurance.c); NULL otherwise. */
    struct tsvc__key_assurance *assurance;
};

struct tsvc_hash {
    const tsvc_ctx *ctx;
    const tsvc_backend *ops;
    void *hstate;
    tsvc_hash_alg alg;
    bool done;
};

/* ---- dispatch (context.c) ---- */
/** Highest-priority enabled backend that supports the operation, or NULL. */
const tsvc__backend_slot *tsvc__crypto_pick(const tsvc_ctx *ctx, tsvc_crypto_op op,
                                            tsvc_key_type type, tsvc_sig_scheme scheme,
                                            tsvc_hash_alg hash);
/** Whether one slot supports the operation. */
bool tsvc__crypto_slot_supports(const tsvc__backend_slot *slot, tsvc_crypto_op op,
                                tsvc_key_type type, tsvc_sig_scheme scheme, tsvc_hash_alg hash);

/* ---- hashing (hash.c) ---- */
/** One-shot hash on one given backend (or dispatched when slot is NULL). */
tsvc_status tsvc__crypto_hash_on(const tsvc_ctx *ctx, const tsvc__backend_slot *slot,
                                 tsvc_hash_alg alg, const uint8_t *data, size_t len,
                                 uint8_t *out, tsvc_error **err);
bool tsvc__crypto_hash_known(tsvc_hash_alg alg);
/** Opens an AlgorithmIdentifier element: @p rest gets what follows the OID. */
tsvc_status tsvc__crypto_algid_open(const tsvc__cbs *element, tsvc__cbs *rest, tsvc__cbs *oid,
                                    int64_t *off, tsvc_error **err);

/* ---- curves and keys (keys.c, ec.c) ---- */
/** Field size in bytes of an ECDSA key type (32/48/66), 0 for others. */
size_t tsvc__crypto_ec_coord_len(tsvc_key_type type);
/** Checks that an uncompressed point lies on the curve (and is not infinity). */
bool tsvc__crypto_ec_point_valid(tsvc_key_type type, const uint8_t *point, size_t len);
/** Builds a public key from raw parts (RSA n/e, EC point, Ed25519 key). */
tsvc_status tsvc__crypto_pubkey_from_parts(const tsvc_ctx *ctx, tsvc_key_type type,
                                           const uint8_t *a, size_t a_len, const uint8_t *b,
                                           size_t b_len, tsvc_pubkey **out, tsvc_error **err);
/** Fills parts[] (at least 2) with the public key's raw parts; returns the count. */
size_t tsvc__crypto_pubkey_parts(const tsvc_pubkey *pub, tsvc_key_part *parts);

/* ---- key algorithm identifiers (pubkey.c) ---- */
const uint8_t *tsvc__crypto_curve_oid(tsvc_key_type type, size_t *len);
tsvc_status tsvc__crypto_parse_curve(tsvc__cbs *params, tsvc_key_type *type, tsvc_error **err);
/** Parses the contents of a key AlgorithmIdentifier (after its SEQUENCE header). */
tsvc_status tsvc__crypto_parse_key_algid(tsvc__cbs *alg, tsvc_key_type *type, bool *pss,
                                         bool *pss_has_params, tsvc__sig_params *pss_params,
                                         tsvc_error **err);
void tsvc__crypto_add_key_algid(tsvc__cbb *cbb, tsvc_key_type type);
unsigned tsvc__crypto_bit_len(const uint8_t *m, size_t len);

/* ---- signature algorithms (sigalg.c) ---- */
const uint8_t *tsvc__crypto_pss_oid(size_t *len);
/** Parses RSASSA-PSS-params (a SEQUENCE element at the cursor), defaults applied. */
tsvc_status tsvc__crypto_pss_params_parse(tsvc__cbs *params, tsvc__sig_params *out,
                                          tsvc_error **err);
void tsvc__crypto_pss_params_encode(tsvc__cbb *cbb, const tsvc__sig_params *p);

/* ---- activation and assurance (assurance.c) ---- */
struct tsvc__key_assurance;
/** Releases a key's assurance copy (NULL allowed). */
void tsvc__assurance_free(const tsvc_ctx *ctx, struct tsvc__key_assurance *a);
/** Copies @p info into a new assurance record. */
tsvc_status tsvc__assurance_new(const tsvc_ctx *ctx, const tsvc__key_hsm_info *info,
                                struct tsvc__key_assurance **out);
/**
 * Calls the key's activation callback (if any) for one operation; on
 * approval *evidence_text (may be NULL) gets the callback's evidence
 * (allocated, or NULL). TSVC_ERR_ACTIVATION_REFUSED on refusal.
 */
tsvc_status tsvc__activation_check(const tsvc_key *key, const tsvc__sig_params *p,
                                   const uint8_t *digest, size_t digest_len,
                                   tsvc_hash_alg digest_alg, const uint8_t *msg, size_t msg_len,
                                   const char *label, char **evidence_text, tsvc_error **err);
/** Builds the evidence object of one signature (takes @p activation_text). */
tsvc_status tsvc__evidence_new(const tsvc_key *key, const tsvc__sig_params *p, const char *label,
                               bool activated, char *activation_text, tsvc_sign_evidence **out,
                               tsvc_error **err);

/* ---- backend parameters (sign.c) ---- */
void tsvc__crypto_backend_params(const tsvc__sig_params *p, tsvc_backend_sig_params *out);

#endif /* TSVC_CRYPTO_CRYPTO_INT_H */
