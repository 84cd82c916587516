/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * OpenSSL backend (libcrypto 3.x, provider API only): SHA-1/224/256/384/512,
 * RSA PKCS#1 v1.5 and RSA-PSS, ECDSA on P-256/P-384/P-521, Ed25519, key
 * generation, key import through EVP_PKEY_fromdata, and random bytes from
 * OpenSSL's DRBG.
 *
 * Speed: digests are fetched once per context (no implicit fetch on each
 * hash), and every key and public-key handle keeps one initialised
 * EVP_PKEY_CTX (EVP_MD_CTX for Ed25519) for the last parameters it was used
 * with, so a signature or a verification does not fetch algorithms or build
 * a context again. The cached context is taken with a try-lock: a thread
 * that finds it busy builds a temporary one, so one key may be used from
 * several threads at once.
 *
 * EC public keys are recycled: a released public-key handle (with its
 * EVP_PKEY and verification context) goes to a small per-curve list of
 * spares, under a mutex, and the next import of that curve sets its new
 * point on a spare instead of duplicating the curve's template key (the
 * EVP_PKEY_dup, EVP_PKEY_free and EVP_PKEY_CTX_new of every import, about
 * three quarters of its cost). A spare is owned by the list alone: it is
 * reachable from no key and no thread until it is taken out again. The
 * new point is checked on the curve by OpenSSL as on a first import
 * (EVP_PKEY_set1_encoded_public_key), a spare whose new point is refused
 * is released, and the verification context is initialised again for the
 * new key before its next use.
 *
 * Memory: OpenSSL allocates through its own allocator, not the context's;
 * this backend's own structures go through the context's allocator. Secret
 * intermediate values are wiped (BN_clear_free, OPENSSL_cleanse).
 */
#include <pthread.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "backends/backend_util.h"
#include "trustsvc/sys/backend.h"

#define OSSL_RSA_MAX_BYTES (16384 / 8)
#define NUM_MDS 6 /* indexed by tsvc_hash_alg (1..5) */
/* Spare EC public-key handles kept per curve: enough for the keys of a few
 * chains validated at once. */
#define EC_SPARES_MAX 8

typedef struct ossl_state {
    tsvc_allocator alloc;
    EVP_MD *md[NUM_MDS]; /* fetched once; NULL for NONE */
    /* One public key per curve (the generator): EC public keys are made by
     * duplicating it and setting the point, five times faster than
     * EVP_PKEY_fromdata, which builds the curve anew for every key. */
    EVP_PKEY *ec_template[3];
    /* Released EC public-key handles kept for reuse, per curve (see the
     * top of the file); spare_lock guards the lists. */
    pthread_mutex_t spare_lock;
    int spare_lock_ok;
    struct ossl_key *spare[3][EC_SPARES_MAX];
    size_t num_spare[3];
} ossl_state;

/* The parameters a cached operation context was set up for. */
typedef struct op_config {
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;
    tsvc_hash_alg mgf1_hash;
    uint32_t salt_len;
} op_config;

/* One cached, initialised operation context. */
typedef struct op_cache {
    pthread_mutex_t lock;
    EVP_PKEY_CTX *pctx; /* ECDSA, RSA */
    EVP_MD_CTX *mctx;   /* Ed25519 */
    op_config cfg;
    int rekeyed; /* the key changed since pctx was initialised (a reused spare) */
} op_cache;

typedef struct ossl_key {
    tsvc_key_type type;
    int is_private;
    EVP_PKEY *pkey;
    op_cache cache;
} ossl_key;

typedef struct ossl_hash {
    const ossl_state *owner;
    EVP_MD_CTX *mctx;
} ossl_hash;

static void *os_alloc(const ossl_state *s, size_t size)
{
    return tsvc__backend_zalloc(&s->alloc, size);
}

static void os_free(const ossl_state *s, void *p, size_t size)
{
    if (p == NULL)
        return;
    OPENSSL_cleanse(p, size);
    s->alloc.free(s->alloc.opaque, p);
}

static const char *md_name(tsvc_hash_alg alg)
{
    switch (alg) {
    case TSVC_HASH_SHA1:
        return "SHA1";
    case TSVC_HASH_SHA224:
        return "SHA2-224";
    case TSVC_HASH_SHA256:
        return "SHA2-256";
    case TSVC_HASH_SHA384:
        return "SHA2-384";
    case TSVC_HASH_SHA512:
        return "SHA2-512";
    case TSVC_HASH_NONE:
        break;
    }
    return NULL;
}

static const EVP_MD *md_of(const ossl_state *s, tsvc_hash_alg alg)
{
    if ((unsigned)alg >= NUM_MDS)
        return NULL;
    return s->md[alg];
}

static const char *group_name(tsvc_key_type type)
{
    switch (type) {
    case TSVC_KEY_ECDSA_P256:
        return "P-256";
    case TSVC_KEY_ECDSA_P384:
        return "P-384";
    case TSVC_KEY_ECDSA_P521:
        return "P-521";
    default:
        return NULL;
    }
}

static int group_nid(tsvc_key_type type)
{
    switch (type) {
    case TSVC_KEY_ECDSA_P256:
        return NID_X9_62_prime256v1;
    case TSVC_KEY_ECDSA_P384:
        return NID_secp384r1;
    case TSVC_KEY_ECDSA_P521:
        return NID_secp521r1;
    default:
        return NID_undef;
    }
}

static size_t coord_len(tsvc_key_type type)
{
    return tsvc__backend_ec_coord_len(type);
}

static int is_ec(tsvc_key_type t)
{
    return coord_len(t) != 0;
}

static size_t ec_index(tsvc_key_type t)
{
    return t == TSVC_KEY_ECDSA_P256 ? 0 : t == TSVC_KEY_ECDSA_P384 ? 1 : 2;
}

static EVP_PKEY *from_params(const char *keytype, int selection, OSSL_PARAM *params);

/* An EC public key of @p type whose point is the curve's generator. */
static EVP_PKEY *ec_generator_key(tsvc_key_type type)
{
    uint8_t point[1 + 2 * 66];
    EVP_PKEY *pkey = NULL;
    EC_GROUP *g = EC_GROUP_new_by_curve_name(group_nid(type));
    size_t len = g == NULL ? 0
                           : EC_POINT_point2oct(g, EC_GROUP_get0_generator(g),
                                                POINT_CONVERSION_UNCOMPRESSED, point,
                                                sizeof(point), NULL);
    if (len != 0) {
        OSSL_PARAM params[3];
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                     (char *)group_name(type), 0);
        params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, len);
        params[2] = OSSL_PARAM_construct_end();
        pkey = from_params("EC", EVP_PKEY_PUBLIC_KEY, params);
    }
    EC_GROUP_free(g);
    return pkey;
}

static void key_release(ossl_state *s, struct ossl_key *k);

/* ---- life cycle ---- */

static tsvc_status os_global_init(void)
{
    return OPENSSL_init_crypto(0, NULL) == 1 ? TSVC_OK : TSVC_ERR_NOT_INITIALISED;
}

static void os_instance_free(void *state)
{
    if (state == NULL)
        return;
    ossl_state *s = state;
    for (size_t i = 0; i < NUM_MDS; i++)
        EVP_MD_free(s->md[i]);
    for (size_t i = 0; i < 3; i++)
        EVP_PKEY_free(s->ec_template[i]);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < s->num_spare[i]; j++)
            key_release(s, s->spare[i][j]);
    if (s->spare_lock_ok)
        pthread_mutex_destroy(&s->spare_lock);
    tsvc_allocator a = s->alloc;
    OPENSSL_cleanse(s, sizeof(*s));
    a.free(a.opaque, s);
}

static tsvc_status os_instance_new(void **state, const tsvc_allocator *alloc)
{
    ossl_state *s = alloc->alloc(alloc->opaque, sizeof(*s));
    if (s == NULL)
        return TSVC_ERR_NOMEM;
    memset(s, 0, sizeof(*s));
    s->alloc = *alloc;
    if (pthread_mutex_init(&s->spare_lock, NULL) != 0) {
        os_instance_free(s);
        return TSVC_ERR_NOMEM;
    }
    s->spare_lock_ok = 1;
    for (unsigned i = 1; i < NUM_MDS; i++) {
        s->md[i] = EVP_MD_fetch(NULL, md_name((tsvc_hash_alg)i), NULL);
        if (s->md[i] == NULL) {
            os_instance_free(s);
            return TSVC_ERR_NOT_INITIALISED;
        }
    }
    static const tsvc_key_type curves[3] = {TSVC_KEY_ECDSA_P256, TSVC_KEY_ECDSA_P384,
                                            TSVC_KEY_ECDSA_P521};
    for (size_t i = 0; i < 3; i++) {
        s->ec_template[i] = ec_generator_key(curves[i]);
        if (s->ec_template[i] == NULL) {
            os_instance_free(s);
            return TSVC_ERR_NOT_INITIALISED;
        }
    }
    *state = s;
    return TSVC_OK;
}

static int os_supports(void *state, tsvc_crypto_op op, tsvc_key_type type,
                       tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    const ossl_state *s = state;
    return tsvc__backend_supports_std(op, type, scheme, hash, md_of(s, hash) != NULL);
}

/* ---- hashing ---- */

static tsvc_status os_hash_init(void *state, tsvc_hash_alg alg, void **hash_state)
{
    const ossl_state *s = state;
    const EVP_MD *md = md_of(s, alg);
    if (md == NULL)
        return TSVC_ERR_UNSUPPORTED;
    ossl_hash *h = os_alloc(s, sizeof(*h));
    if (h == NULL)
        return TSVC_ERR_NOMEM;
    h->owner = s;
    h->mctx = EVP_MD_CTX_new();
    if (h->mctx == NULL || EVP_DigestInit_ex2(h->mctx, md, NULL) != 1) {
        EVP_MD_CTX_free(h->mctx);
        os_free(s, h, sizeof(*h));
        return TSVC_ERR_BACKEND;
    }
    *hash_state = h;
    return TSVC_OK;
}

static tsvc_status os_hash_update(void *hash_state, const uint8_t *data, size_t len)
{
    ossl_hash *h = hash_state;
    return EVP_DigestUpdate(h->mctx, data, len) == 1 ? TSVC_OK : TSVC_ERR_BACKEND;
}

static tsvc_status os_hash_final(void *hash_state, uint8_t *out, size_t out_size)
{
    ossl_hash *h = hash_state;
    int sz = EVP_MD_CTX_get_size(h->mctx);
    if (sz <= 0 || out_size < (size_t)sz)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    unsigned int n = 0;
    return EVP_DigestFinal_ex(h->mctx, out, &n) == 1 ? TSVC_OK : TSVC_ERR_BACKEND;
}

static void os_hash_free(void *hash_state)
{
    if (hash_state == NULL)
        return;
    ossl_hash *h = hash_state;
    EVP_MD_CTX_free(h->mctx); /* cleanses the digest state */
    os_free(h->owner, h, sizeof(*h));
}

static tsvc_status os_random(void *state, uint8_t *out, size_t len)
{
    (void)state;
    return RAND_bytes_ex(NULL, out, len, 0) == 1 ? TSVC_OK : TSVC_ERR_RANDOM;
}

/* ---- key handles ---- */

static ossl_key *key_new(ossl_state *s, tsvc_key_type type, int is_private)
{
    ossl_key *k = os_alloc(s, sizeof(*k));
    if (k == NULL)
        return NULL;
    if (pthread_mutex_init(&k->cache.lock, NULL) != 0) {
        os_free(s, k, sizeof(*k));
        return NULL;
    }
    k->type = type;
    k->is_private = is_private;
    return k;
}

static void key_release(ossl_state *s, ossl_key *k)
{
    if (k == NULL)
        return;
    EVP_PKEY_CTX_free(k->cache.pctx);
    EVP_MD_CTX_free(k->cache.mctx);
    pthread_mutex_destroy(&k->cache.lock);
    EVP_PKEY_free(k->pkey); /* clears the private key material */
    os_free(s, k, sizeof(*k));
}

static void os_key_free(void *state, void *key)
{
    key_release(state, key);
}

static tsvc_status os_key_generate(void *state, tsvc_key_type type, unsigned bits, void **key)
{
    ossl_state *s = state;
    ossl_key *k = key_new(s, type, 1);
    if (k == NULL)
        return TSVC_ERR_NOMEM;
    if (type == TSVC_KEY_RSA)
        k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    else if (type == TSVC_KEY_ED25519)
        k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    else if (is_ec(type))
        k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group_name(type));
    if (k->pkey == NULL) {
        key_release(s, k);
        return TSVC_ERR_BACKEND;
    }
    *key = k;
    return TSVC_OK;
}

static const tsvc_key_part *find_part(const tsvc_key_part *parts, size_t n, tsvc_key_part_id id)
{
    for (size_t i = 0; i < n; i++)
        if (parts[i].id == id && parts[i].data != NULL && parts[i].len > 0 &&
            parts[i].len <= 0x7fffffff)
            return &parts[i];
    return NULL;
}

static BIGNUM *part_bn(const tsvc_key_part *p, int secret)
{
    BIGNUM *b = secret ? BN_secure_new() : BN_new();
    if (b == NULL)
        return NULL;
    if (secret)
        BN_set_flags(b, BN_FLG_CONSTTIME);
    if (BN_bin2bn(p->data, (int)p->len, b) == NULL) {
        BN_clear_free(b);
        return NULL;
    }
    return b;
}

/* Builds an EVP_PKEY of @p keytype from @p params. */
static EVP_PKEY *from_params(const char *keytype, int selection, OSSL_PARAM *params)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);
    if (ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/*
 * The RSA parts must form one key: n = p q, dP = d mod (p-1),
 * dQ = d mod (q-1), qInv q = 1 mod p. (OpenSSL would silently recompute a
 * signature whose CRT result is wrong, but a library that gets the same
 * file must not be able to leak the key, and the other backends refuse it.)
 */
static int rsa_parts_consistent(BIGNUM *const v[8])
{
    BIGNUM *const n = v[0], *const d = v[2], *const p = v[3], *const q = v[4], *const dp = v[5],
                 *const dq = v[6], *const qi = v[7];
    int ok = 0;
    BN_CTX *bc = BN_CTX_secure_new();
    if (bc == NULL)
        return 0;
    BN_CTX_start(bc);
    BIGNUM *t = BN_CTX_get(bc), *pm1 = BN_CTX_get(bc), *qm1 = BN_CTX_get(bc);
    if (qm1 == NULL)
        goto out;
    BN_set_flags(t, BN_FLG_CONSTTIME);
    if (!BN_mul(t, p, q, bc) || BN_cmp(t, n) != 0)
        goto out;
    if (BN_copy(pm1, p) == NULL || !BN_sub_word(pm1, 1) || BN_copy(qm1, q) == NULL ||
        !BN_sub_word(qm1, 1))
        goto out;
    if (!BN_mod(t, d, pm1, bc) || BN_cmp(t, dp) != 0)
        goto out;
    if (!BN_mod(t, d, qm1, bc) || BN_cmp(t, dq) != 0)
        goto out;
    if (!BN_mod_mul(t, qi, q, p, bc) || !BN_is_one(t))
        goto out;
    ok = 1;
out:
    BN_CTX_end(bc);
    BN_CTX_free(bc);
    return ok;
}

static tsvc_status sign_probe_check(ossl_key *k);

/* The RSA key parts and OpenSSL's names for them, public ones first. */
static const tsvc_key_part_id rsa_ids[8] = {TSVC_PART_RSA_N,  TSVC_PART_RSA_E,
                                            TSVC_PART_RSA_D,  TSVC_PART_RSA_P,
                                            TSVC_PART_RSA_Q,  TSVC_PART_RSA_DP,
                                            TSVC_PART_RSA_DQ, TSVC_PART_RSA_QINV};
static const char *const rsa_names[8] = {
    OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,         OSSL_PKEY_PARAM_RSA_D,
    OSSL_PKEY_PARAM_RSA_FACTOR1,   OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
    OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};

static tsvc_status rsa_import(ossl_key *k, const tsvc_key_part *parts, size_t n, int priv)
{
    size_t count = priv ? 8 : 2;
    BIGNUM *v[8] = {NULL};
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    tsvc_status st = TSVC_ERR_KEY_FORMAT;
    for (size_t i = 0; i < count; i++) {
        const tsvc_key_part *p = find_part(parts, n, rsa_ids[i]);
        if (p == NULL || p->len > OSSL_RSA_MAX_BYTES + 1)
            goto out;
        if ((v[i] = part_bn(p, i >= 2)) == NULL) {
            st = TSVC_ERR_NOMEM;
            goto out;
        }
    }
    if (BN_num_bits(v[0]) > 16384) {
        st = TSVC_ERR_KEY_SIZE;
        goto out;
    }
    if (BN_is_zero(v[1]) || !BN_is_odd(v[0]))
        goto out;
    if (priv && !rsa_parts_consistent(v))
        goto out;
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL) {
        st = TSVC_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < count; i++)
        if (OSSL_PARAM_BLD_push_BN(bld, rsa_names[i], v[i]) != 1) {
            st = TSVC_ERR_NOMEM;
            goto out;
        }
    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL) {
        st = TSVC_ERR_NOMEM;
        goto out;
    }
    k->pkey = from_params("RSA", priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params);
    if (k->pkey == NULL)
        goto out;
    /* Signs a fixed value with the private parts, checks it with the public ones. */
    st = priv ? sign_probe_check(k) : TSVC_OK;
out:
    OSSL_PARAM_free(params); /* private BNs came from secure memory: cleared on free */
    OSSL_PARAM_BLD_free(bld);
    for (size_t i = 0; i < 8; i++)
        BN_clear_free(v[i]);
    return st;
}

/* Imports an EC private scalar; the public point is always derived from it
 * (the library compares it with any point the file carried). */
static tsvc_status ec_import_private(ossl_key *k, const tsvc_key_part *p)
{
    size_t cl = coord_len(k->type);
    if (p == NULL || p->len != cl)
        return TSVC_ERR_KEY_FORMAT;
    tsvc_status st = TSVC_ERR_KEY_FORMAT;
    uint8_t point[1 + 2 * 66];
    size_t point_len = 0;
    BIGNUM *d = part_bn(p, 1);
    EC_GROUP *group = EC_GROUP_new_by_curve_name(group_nid(k->type));
    EC_POINT *pt = group ? EC_POINT_new(group) : NULL;
    BN_CTX *bc = BN_CTX_secure_new();
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    if (d == NULL || pt == NULL || bc == NULL) {
        st = TSVC_ERR_NOMEM;
        goto out;
    }
    if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(group)) >= 0)
        goto out;
    if (EC_POINT_mul(group, pt, d, NULL, NULL, bc) != 1)
        goto out;
    point_len = EC_POINT_point2oct(group, pt, POINT_CONVERSION_UNCOMPRESSED, point,
                                   sizeof(point), bc);
    if (point_len != 1 + 2 * cl)
        goto out;
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL || OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                                       group_name(k->type), 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, point_len) != 1 ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
        st = TSVC_ERR_NOMEM;
        goto out;
    }
    k->pkey = from_params("EC", EVP_PKEY_KEYPAIR, params);
    if (k->pkey != NULL)
        st = TSVC_OK;
out:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_CTX_free(bc);
    EC_POINT_clear_free(pt);
    EC_GROUP_free(group);
    BN_clear_free(d);
    return st;
}

/* Sets the uncompressed point @p p as the public key of the EC key @p k
 * (which has its curve). OpenSSL decodes it with EC_POINT_oct2point, which
 * refuses a point that is not on the curve (EC_POINT_set_affine_coordinates
 * checks it), so the point is checked again here, whoever imports it. */
static tsvc_status ec_set_point(ossl_key *k, const tsvc_key_part *p)
{
    if (p == NULL || p->len != 1 + 2 * coord_len(k->type) || p->data[0] != 0x04)
        return TSVC_ERR_KEY_FORMAT;
    return EVP_PKEY_set1_encoded_public_key(k->pkey, p->data, p->len) == 1
               ? TSVC_OK
               : TSVC_ERR_KEY_FORMAT;
}

/* An EC public key from an uncompressed point, through the curve's template. */
static tsvc_status ec_import_public(const ossl_state *s, ossl_key *k, const tsvc_key_part *p)
{
    if (p == NULL || p->len != 1 + 2 * coord_len(k->type) || p->data[0] != 0x04)
        return TSVC_ERR_KEY_FORMAT;
    k->pkey = EVP_PKEY_dup(s->ec_template[ec_index(k->type)]);
    if (k->pkey == NULL)
        return TSVC_ERR_NOMEM;
    return ec_set_point(k, p);
}

/* A spare EC public-key handle of curve @p type, or NULL when none. */
static ossl_key *spare_take(ossl_state *s, tsvc_key_type type)
{
    ossl_key *k = NULL;
    size_t i = ec_index(type);
    pthread_mutex_lock(&s->spare_lock);
    if (s->num_spare[i] > 0)
        k = s->spare[i][--s->num_spare[i]];
    pthread_mutex_unlock(&s->spare_lock);
    return k;
}

/* Keeps a released EC public-key handle as a spare, or releases it when
 * the curve has EC_SPARES_MAX already. */
static void spare_give(ossl_state *s, ossl_key *k)
{
    size_t i = ec_index(k->type);
    int kept = 0;
    pthread_mutex_lock(&s->spare_lock);
    if (s->num_spare[i] < EC_SPARES_MAX) {
        s->spare[i][s->num_spare[i]++] = k;
        kept = 1;
    }
    pthread_mutex_unlock(&s->spare_lock);
    if (!kept)
        key_release(s, k);
}

/* Private (@p priv) or public key import, for key_import and pubkey_import. */
static tsvc_status import_key(ossl_state *s, tsvc_key_type type, const tsvc_key_part *parts,
                              size_t num_parts, int priv, void **out)
{
    ossl_key *k = key_new(s, type, priv);
    if (k == NULL)
        return TSVC_ERR_NOMEM;
    tsvc_status st = TSVC_ERR_KEY_FORMAT;
    if (type == TSVC_KEY_RSA) {
        st = rsa_import(k, parts, num_parts, priv);
    } else if (type == TSVC_KEY_ED25519) {
        const tsvc_key_part *p = find_part(
            parts, num_parts, priv ? TSVC_PART_ED25519_SEED : TSVC_PART_ED25519_PUBLIC);
        if (p != NULL && p->len == 32) {
            k->pkey = priv ? EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL, p->data, 32)
                           : EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, p->data, 32);
            st = k->pkey != NULL ? TSVC_OK : TSVC_ERR_KEY_FORMAT;
        }
    } else if (is_ec(type)) {
        st = priv ? ec_import_private(k, find_part(parts, num_parts, TSVC_PART_EC_PRIVATE))
                  : ec_import_public(s, k, find_part(parts, num_parts, TSVC_PART_EC_POINT));
    }
    if (st != TSVC_OK) {
        key_release(s, k);
        return st;
    }
    *out = k;
    return TSVC_OK;
}

static tsvc_status os_key_import(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                                 size_t num_parts, void **key)
{
    return import_key(state, type, parts, num_parts, 1, key);
}

/* Sends a BIGNUM parameter of the key, as unsigned big-endian (padded to
 * @p pad bytes when non-zero). */
static tsvc_status emit_bn(const EVP_PKEY *pkey, const char *name, tsvc_key_part_sink sink,
                           void *opaque, tsvc_key_part_id id, size_t pad)
{
    BIGNUM *b = NULL;
    if (EVP_PKEY_get_bn_param(pkey, name, &b) != 1 || b == NULL)
        return TSVC_ERR_BACKEND;
    uint8_t buf[OSSL_RSA_MAX_BYTES];
    int n = BN_num_bytes(b);
    tsvc_status st = TSVC_ERR_BACKEND;
    if (pad != 0 && (size_t)n <= pad && pad <= sizeof(buf)) {
        if (BN_bn2binpad(b, buf, (int)pad) == (int)pad)
            st = sink(opaque, id, buf, pad);
    } else if (pad == 0 && n > 0 && (size_t)n <= sizeof(buf)) {
        if (BN_bn2bin(b, buf) == n)
            st = sink(opaque, id, buf, (size_t)n);
    }
    OPENSSL_cleanse(buf, sizeof(buf));
    BN_clear_free(b);
    return st;
}

static tsvc_status os_key_export(void *state, void *key, int include_private,
                                 tsvc_key_part_sink sink, void *opaque)
{
    (void)state;
    ossl_key *k = key;
    tsvc_status st = TSVC_ERR_BACKEND;
    uint8_t buf[1 + 2 * 66];
    size_t len = 0;
    if (k->type == TSVC_KEY_RSA) {
        size_t count = include_private ? 8 : 2;
        if (include_private && !k->is_private)
            return TSVC_ERR_UNSUPPORTED;
        st = TSVC_OK;
        for (size_t i = 0; i < count && st == TSVC_OK; i++)
            st = emit_bn(k->pkey, rsa_names[i], sink, opaque, rsa_ids[i], 0);
    } else if (k->type == TSVC_KEY_ED25519) {
        len = 32;
        if (EVP_PKEY_get_raw_public_key(k->pkey, buf, &len) == 1 && len == 32)
            st = sink(opaque, TSVC_PART_ED25519_PUBLIC, buf, len);
        if (st == TSVC_OK && include_private) {
            st = TSVC_ERR_BACKEND;
            len = 32;
            if (!k->is_private)
                st = TSVC_ERR_UNSUPPORTED;
            else if (EVP_PKEY_get_raw_private_key(k->pkey, buf, &len) == 1 && len == 32)
                st = sink(opaque, TSVC_PART_ED25519_SEED, buf, len);
        }
    } else if (is_ec(k->type)) {
        if (EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf,
                                            sizeof(buf), &len) == 1 &&
            len == 1 + 2 * coord_len(k->type) && buf[0] == 0x04)
            st = sink(opaque, TSVC_PART_EC_POINT, buf, len);
        if (st == TSVC_OK && include_private)
            st = k->is_private ? emit_bn(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY, sink, opaque,
                                         TSVC_PART_EC_PRIVATE, coord_len(k->type))
                               : TSVC_ERR_UNSUPPORTED;
    }
    OPENSSL_cleanse(buf, sizeof(buf));
    return st;
}

/* ---- operation contexts ---- */

static int same_config(const op_config *a, const tsvc_backend_sig_params *p)
{
    return a->scheme == p->scheme && a->hash == p->hash && a->mgf1_hash == p->mgf1_hash &&
           a->salt_len == p->salt_len;
}

/* (Re)initialises @p c, a context of the key, for signing (@p sign) or
 * verifying with the parameters @p p (ECDSA, RSA PKCS#1 v1.5, RSA-PSS):
 * 1 on success. */
static int pctx_setup(const ossl_state *s, EVP_PKEY_CTX *c, int sign,
                      const tsvc_backend_sig_params *p)
{
    if ((sign ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c)) != 1)
        return 0;
    const EVP_MD *md = md_of(s, p->hash);
    if (md == NULL)
        return 0;
    if (p->scheme == TSVC_SIG_ECDSA) {
        /* Verification: the digest length is checked against the hash
         * before (hash_op_supported()), and ECDSA verification uses no
         * other property of it, so the (costly) setting is left out. */
        if (sign && EVP_PKEY_CTX_set_signature_md(c, md) != 1)
            return 0;
    } else if (p->scheme == TSVC_SIG_RSA_PKCS1) {
        if (EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) != 1 ||
            EVP_PKEY_CTX_set_signature_md(c, md) != 1)
            return 0;
    } else if (p->scheme == TSVC_SIG_RSA_PSS) {
        const EVP_MD *mgf = md_of(s, p->mgf1_hash);
        if (mgf == NULL || p->salt_len > 0x7fffffffu ||
            EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_signature_md(c, md) != 1 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(c, mgf) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(c, (int)p->salt_len) != 1)
            return 0;
    } else {
        return 0;
    }
    return 1;
}

/* Creates a context of key @p k set up by pctx_setup(). */
static EVP_PKEY_CTX *pctx_new(const ossl_state *s, ossl_key *k, int sign,
                              const tsvc_backend_sig_params *p)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
    if (c != NULL && pctx_setup(s, c, sign, p) != 1) {
        EVP_PKEY_CTX_free(c);
        c = NULL;
    }
    return c;
}

/* Takes the key's cached context for @p p (building it when the cache is
 * free but set up for other parameters), or NULL with *own set when the
 * cache is busy: the caller then builds a temporary context. */
static EVP_PKEY_CTX *pctx_take(const ossl_state *s, ossl_key *k, int sign,
                               const tsvc_backend_sig_params *p, int *cached)
{
    *cached = 0;
    if (pthread_mutex_trylock(&k->cache.lock) == 0) {
        if (k->cache.pctx == NULL || k->cache.rekeyed || !same_config(&k->cache.cfg, p)) {
            /* The context of a recycled key, for the same parameters, is
             * initialised again for the key's new value; any other is
             * made anew. */
            if (k->cache.pctx != NULL &&
                (!same_config(&k->cache.cfg, p) || pctx_setup(s, k->cache.pctx, sign, p) != 1)) {
                EVP_PKEY_CTX_free(k->cache.pctx);
                k->cache.pctx = NULL;
            }
            if (k->cache.pctx == NULL)
                k->cache.pctx = pctx_new(s, k, sign, p);
            k->cache.cfg = (op_config){p->scheme, p->hash, p->mgf1_hash, p->salt_len};
            k->cache.rekeyed = 0;
        }
        if (k->cache.pctx != NULL) {
            *cached = 1;
            return k->cache.pctx;
        }
        pthread_mutex_unlock(&k->cache.lock);
        return NULL;
    }
    return pctx_new(s, k, sign, p);
}

static void pctx_give_back(ossl_key *k, EVP_PKEY_CTX *c, int cached)
{
    if (cached)
        pthread_mutex_unlock(&k->cache.lock);
    else
        EVP_PKEY_CTX_free(c);
}

/* Same for Ed25519's EVP_MD_CTX (EVP_DigestSign/Verify one-shot). */
static EVP_MD_CTX *mctx_new(ossl_key *k, int sign)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (m == NULL)
        return NULL;
    int rc = sign ? EVP_DigestSignInit_ex(m, NULL, NULL, NULL, NULL, k->pkey, NULL)
                  : EVP_DigestVerifyInit_ex(m, NULL, NULL, NULL, NULL, k->pkey, NULL);
    if (rc != 1) {
        EVP_MD_CTX_free(m);
        return NULL;
    }
    return m;
}

static EVP_MD_CTX *mctx_take(ossl_key *k, int sign, int *cached)
{
    *cached = 0;
    if (pthread_mutex_trylock(&k->cache.lock) == 0) {
        if (k->cache.mctx == NULL)
            k->cache.mctx = mctx_new(k, sign);
        if (k->cache.mctx != NULL) {
            *cached = 1;
            return k->cache.mctx;
        }
        pthread_mutex_unlock(&k->cache.lock);
        return NULL;
    }
    return mctx_new(k, sign);
}

static void mctx_give_back(ossl_key *k, EVP_MD_CTX *m, int cached)
{
    if (cached)
        pthread_mutex_unlock(&k->cache.lock);
    else
        EVP_MD_CTX_free(m);
}

/* ---- signing ---- */

/* DER ECDSA-Sig-Value from OpenSSL -> raw r||s, each half @p cl bytes. */
/* A DER length at der[*pos] (short form or one octet), within @p len. */
static int der_len_at(const uint8_t *der, size_t len, size_t *pos, size_t *out)
{
    if (*pos >= len)
        return 0;
    uint8_t b = der[(*pos)++];
    if (b < 0x80) {
        *out = b;
    } else if (b == 0x81 && *pos < len && der[*pos] >= 0x80) {
        *out = der[(*pos)++];
    } else {
        return 0;
    }
    return *out <= len - *pos;
}

/* One INTEGER of OpenSSL's ECDSA-Sig-Value into @p cl bytes, right-aligned. */
static int der_uint_to_raw(const uint8_t *der, size_t len, size_t *pos, size_t cl, uint8_t *out)
{
    size_t n = 0;
    if (*pos >= len || der[(*pos)++] != 0x02 || !der_len_at(der, len, pos, &n) || n == 0)
        return 0;
    const uint8_t *v = der + *pos;
    *pos += n;
    if (v[0] & 0x80)
        return 0; /* negative */
    while (n > 0 && v[0] == 0) {
        v++;
        n--;
    }
    if (n > cl)
        return 0;
    memset(out, 0, cl - n);
    if (n > 0)
        memcpy(out + cl - n, v, n);
    return 1;
}

/* OpenSSL's DER ECDSA-Sig-Value -> r||s of @p cl bytes each, parsed
 * directly (no BIGNUMs). */
static tsvc_status ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t cl, uint8_t *out)
{
    size_t pos = 0, body = 0;
    if (der_len < 2 || der[pos++] != 0x30 || !der_len_at(der, der_len, &pos, &body) ||
        pos + body != der_len || !der_uint_to_raw(der, der_len, &pos, cl, out) ||
        !der_uint_to_raw(der, der_len, &pos, cl, out + cl) || pos != der_len)
        return TSVC_ERR_BACKEND;
    return TSVC_OK;
}

/* One INTEGER of an ECDSA-Sig-Value from a big-endian magnitude: minimal,
 * a leading 0x00 when the top bit is set. Returns the bytes written. */
static size_t der_uint(const uint8_t *v, size_t n, uint8_t *out)
{
    while (n > 1 && v[0] == 0) {
        v++;
        n--;
    }
    size_t pad = (v[0] & 0x80) ? 1 : 0;
    out[0] = 0x02;
    out[1] = (uint8_t)(n + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, v, n);
    return 2 + pad + n;
}

/* ECDSA-Sig-Value (DER) from r||s of @p cl bytes each, encoded directly
 * (no BIGNUMs): 0 when it does not fit @p out. */
static size_t ecdsa_raw_to_der(const uint8_t *raw, size_t cl, uint8_t *out, size_t out_size)
{
    uint8_t body[2 * (2 + 1 + 66)];
    if (cl == 0 || cl > 66)
        return 0;
    size_t n = der_uint(raw, cl, body);
    n += der_uint(raw + cl, cl, body + n);
    size_t hdr = n < 0x80 ? 2 : 3;
    if (hdr + n > out_size)
        return 0;
    out[0] = 0x30;
    if (hdr == 2) {
        out[1] = (uint8_t)n;
    } else {
        out[1] = 0x81;
        out[2] = (uint8_t)n;
    }
    memcpy(out + hdr, body, n);
    return hdr + n;
}

/* Whether a hash signature or verification with @p params fits key @p k:
 * a digest of the hash's size, ECDSA for EC keys, PKCS#1 v1.5 or PSS for RSA. */
static int hash_op_supported(const ossl_state *s, const ossl_key *k,
                             const tsvc_backend_sig_params *params, size_t digest_len)
{
    const EVP_MD *md = md_of(s, params->hash);
    if (md == NULL || digest_len != (size_t)EVP_MD_get_size(md))
        return 0;
    if (is_ec(k->type))
        return params->scheme == TSVC_SIG_ECDSA;
    return k->type == TSVC_KEY_RSA &&
           (params->scheme == TSVC_SIG_RSA_PKCS1 || params->scheme == TSVC_SIG_RSA_PSS);
}

static tsvc_status os_sign_hash(void *state, void *key, const tsvc_backend_sig_params *params,
                                const uint8_t *digest, size_t digest_len, uint8_t *sig,
                                size_t sig_size, size_t *sig_len)
{
    const ossl_state *s = state;
    ossl_key *k = key;
    if (!hash_op_supported(s, k, params, digest_len))
        return TSVC_ERR_UNSUPPORTED;
    int ec = is_ec(k->type);
    size_t need = ec ? 2 * coord_len(k->type) : (size_t)EVP_PKEY_get_size(k->pkey);
    if (sig_size < need)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    int cached;
    EVP_PKEY_CTX *c = pctx_take(s, k, 1, params, &cached);
    if (c == NULL)
        return TSVC_ERR_BACKEND;
    tsvc_status st = TSVC_ERR_BACKEND;
    if (ec) {
        uint8_t der[2 * 66 + 16];
        size_t der_len = sizeof(der);
        if (EVP_PKEY_sign(c, der, &der_len, digest, digest_len) == 1)
            st = ecdsa_der_to_raw(der, der_len, coord_len(k->type), sig);
        OPENSSL_cleanse(der, sizeof(der));
        if (st == TSVC_OK)
            *sig_len = need;
    } else {
        size_t out_len = sig_size;
        if (EVP_PKEY_sign(c, sig, &out_len, digest, digest_len) == 1) {
            *sig_len = out_len;
            st = TSVC_OK;
        }
    }
    pctx_give_back(k, c, cached);
    return st;
}

static tsvc_status sign_probe_check(ossl_key *k)
{
    static const uint8_t probe[32] = "libtrustsvc RSA pairwise check.";
    uint8_t sig[OSSL_RSA_MAX_BYTES];
    size_t sig_len = sizeof(sig);
    tsvc_status st = TSVC_ERR_KEY_FORMAT;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
    if (c != NULL && EVP_PKEY_sign_init(c) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) == 1 &&
        EVP_PKEY_sign(c, sig, &sig_len, probe, sizeof(probe)) == 1 &&
        EVP_PKEY_verify_init(c) == 1 && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) == 1 &&
        EVP_PKEY_verify(c, sig, sig_len, probe, sizeof(probe)) == 1)
        st = TSVC_OK;
    EVP_PKEY_CTX_free(c);
    OPENSSL_cleanse(sig, sizeof(sig));
    return st;
}

static tsvc_status os_sign_message(void *state, void *key, const tsvc_backend_sig_params *params,
                                   const uint8_t *msg, size_t msg_len, uint8_t *sig,
                                   size_t sig_size, size_t *sig_len)
{
    (void)state;
    ossl_key *k = key;
    if (k->type != TSVC_KEY_ED25519 || params->scheme != TSVC_SIG_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    if (sig_size < 64)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    int cached;
    EVP_MD_CTX *m = mctx_take(k, 1, &cached);
    if (m == NULL)
        return TSVC_ERR_BACKEND;
    size_t out_len = sig_size;
    tsvc_status st = EVP_DigestSign(m, sig, &out_len, msg, msg_len) == 1 && out_len == 64
                         ? TSVC_OK
                         : TSVC_ERR_BACKEND;
    if (st == TSVC_OK)
        *sig_len = out_len;
    mctx_give_back(k, m, cached);
    return st;
}

/* ---- verification ---- */

static tsvc_status os_pubkey_import(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                                    size_t num_parts, void **pub)
{
    ossl_state *s = state;
    ossl_key *k = is_ec(type) ? spare_take(s, type) : NULL;
    if (k == NULL)
        return import_key(s, type, parts, num_parts, 0, pub);
    /* A recycled handle: its new point, checked as on a first import. */
    tsvc_status st = ec_set_point(k, find_part(parts, num_parts, TSVC_PART_EC_POINT));
    if (st != TSVC_OK) {
        key_release(s, k);
        return st;
    }
    k->cache.rekeyed = 1;
    *pub = k;
    return TSVC_OK;
}

static void os_pubkey_free(void *state, void *pub)
{
    ossl_key *k = pub;
    if (k != NULL && !k->is_private && is_ec(k->type) && k->pkey != NULL)
        spare_give(state, k);
    else
        key_release(state, k);
}

static tsvc_status os_verify_hash(void *state, void *pub, const tsvc_backend_sig_params *params,
                                  const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                                  size_t sig_len)
{
    const ossl_state *s = state;
    ossl_key *k = pub;
    if (!hash_op_supported(s, k, params, digest_len))
        return TSVC_ERR_UNSUPPORTED;
    int ec = is_ec(k->type);
    uint8_t der[2 * 66 + 16];
    if (ec) {
        size_t cl = coord_len(k->type);
        if (sig_len != 2 * cl)
            return TSVC_ERR_SIGNATURE_INVALID;
        size_t der_len = ecdsa_raw_to_der(sig, cl, der, sizeof(der));
        if (der_len == 0)
            return TSVC_ERR_SIGNATURE_INVALID;
        sig = der;
        sig_len = der_len;
    } else if (sig_len != (size_t)EVP_PKEY_get_size(k->pkey)) {
        return TSVC_ERR_SIGNATURE_INVALID;
    }
    int cached;
    EVP_PKEY_CTX *c = pctx_take(s, k, 0, params, &cached);
    if (c == NULL)
        return TSVC_ERR_BACKEND;
    int rc = EVP_PKEY_verify(c, sig, sig_len, digest, digest_len);
    pctx_give_back(k, c, cached);
    return rc == 1 ? TSVC_OK : TSVC_ERR_SIGNATURE_INVALID;
}

static tsvc_status os_verify_message(void *state, void *pub,
                                     const tsvc_backend_sig_params *params, const uint8_t *msg,
                                     size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    (void)state;
    ossl_key *k = pub;
    if (k->type != TSVC_KEY_ED25519 || params->scheme != TSVC_SIG_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    if (sig_len != 64)
        return TSVC_ERR_SIGNATURE_INVALID;
    int cached;
    EVP_MD_CTX *m = mctx_take(k, 0, &cached);
    if (m == NULL)
        return TSVC_ERR_BACKEND;
    int rc = EVP_DigestVerify(m, sig, sig_len, msg, msg_len);
    mctx_give_back(k, m, cached);
    return rc == 1 ? TSVC_OK : TSVC_ERR_SIGNATURE_INVALID;
}

const tsvc_backend tsvc__backend_openssl = {
    .version = TSVC_BACKEND_VERSION,
    .struct_size = sizeof(tsvc_backend),
    .name = "openssl",
    .global_init = os_global_init,
    .instance_new = os_instance_new,
    .instance_free = os_instance_free,
    .supports = os_supports,
    .hash_init = os_hash_init,
    .hash_update = os_hash_update,
    .hash_final = os_hash_final,
    .hash_free = os_hash_free,
    .random = os_random,
    .key_generate = os_key_generate,
    .key_import = os_key_import,
    .key_export = os_key_export,
    .key_free = os_key_free,
    .sign_hash = os_sign_hash,
    .sign_message = os_sign_message,
    .pubkey_import = os_pubkey_import,
    .pubkey_free = os_pubkey_free,
    .verify_hash = os_verify_hash,
    .verify_message = os_verify_message,
};
