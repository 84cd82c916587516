/*
 * SPDX-License-Identifier: Apache-2.0
 *
 * LICENCE NOTE: wolfSSL (wolfCrypt) is licensed under the GNU GPL (version 2
 * or later in the Debian package; commercial licences exist). This file is
 * Apache-2.0, but a build of libtrustsvc that links wolfSSL is a combined
 * work that may only be distributed under the GPL as a whole. Build with
 * -Dwolfssl=disabled for a libtrustsvc without GPL code.
 *
 * wolfCrypt backend (wc_* API): SHA-1/224/256/384/512, RSA PKCS#1 v1.5 and
 * RSA-PSS, ECDSA on P-256/P-384/P-521, Ed25519, key generation and random
 * bytes. The per-context state holds the allocator and one DRBG; private-key
 * operations that consume randomness run under the state's lock, so one key
 * may be used from several threads.
 */
#include <wolfssl/options.h>

#include <pthread.h>
#include <string.h>
#include <wolfssl/wolfcrypt/settings.h>

#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/wc_port.h>

#include "backends/backend_util.h"
#include "trustsvc/sys/backend.h"

#define WOLF_RSA_MAX_BYTES 512 /* RSA_MAX_SIZE of the Debian build: 4096 bits */

typedef struct wolf_state {
    tsvc_allocator alloc;
    pthread_mutex_t lock; /* guards rng, and private-key operations */
    WC_RNG rng;
} wolf_state;

typedef struct wolf_key {
    tsvc_key_type type;
    union {
        RsaKey rsa;
        ecc_key ecc;
        ed25519_key ed;
    } u;
} wolf_key;

typedef struct wolf_hash {
    const wolf_state *owner;
    enum wc_HashType type;
    wc_HashAlg h;
} wolf_hash;

static void *wf_alloc(const wolf_state *s, size_t size)
{
    return tsvc__backend_zalloc(&s->alloc, size);
}

static void wf_free(const wolf_state *s, void *p, size_t size)
{
    if (p == NULL)
        return;
    tsvc_memzero(p, size);
    s->alloc.free(s->alloc.opaque, p);
}

static tsvc_status wf_global_init(void)
{
    /* wolfCrypt_Init() counts its callers; tsvc_init() calls it once. */
    static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    static int done = 0;
    tsvc_status st = TSVC_OK;
    pthread_mutex_lock(&m);
    if (!done) {
        if (wolfCrypt_Init() != 0)
            st = TSVC_ERR_NOT_INITIALISED;
        else
            done = 1;
    }
    pthread_mutex_unlock(&m);
    return st;
}

static tsvc_status wf_instance_new(void **state, const tsvc_allocator *alloc)
{
    wolf_state *s = alloc->alloc(alloc->opaque, sizeof(*s));
    if (s == NULL)
        return TSVC_ERR_NOMEM;
    memset(s, 0, sizeof(*s));
    s->alloc = *alloc;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        alloc->free(alloc->opaque, s);
        return TSVC_ERR_NOT_INITIALISED;
    }
    if (wc_InitRng(&s->rng) != 0) {
        pthread_mutex_destroy(&s->lock);
        alloc->free(alloc->opaque, s);
        return TSVC_ERR_RANDOM;
    }
    *state = s;
    return TSVC_OK;
}

static void wf_instance_free(void *state)
{
    if (state == NULL)
        return;
    wolf_state *s = state;
    wc_FreeRng(&s->rng);
    pthread_mutex_destroy(&s->lock);
    tsvc_allocator a = s->alloc;
    tsvc_memzero(s, sizeof(*s));
    a.free(a.opaque, s);
}

static int hash_type(tsvc_hash_alg alg, enum wc_HashType *t)
{
    switch (alg) {
    case TSVC_HASH_SHA1:
        *t = WC_HASH_TYPE_SHA;
        return 1;
    case TSVC_HASH_SHA224:
        *t = WC_HASH_TYPE_SHA224;
        return 1;
    case TSVC_HASH_SHA256:
        *t = WC_HASH_TYPE_SHA256;
        return 1;
    case TSVC_HASH_SHA384:
        *t = WC_HASH_TYPE_SHA384;
        return 1;
    case TSVC_HASH_SHA512:
        *t = WC_HASH_TYPE_SHA512;
        return 1;
    case TSVC_HASH_NONE:
        break;
    }
    return 0;
}

static int mgf_type(tsvc_hash_alg alg)
{
    switch (alg) {
    case TSVC_HASH_SHA1:
        return WC_MGF1SHA1;
    case TSVC_HASH_SHA224:
        return WC_MGF1SHA224;
    case TSVC_HASH_SHA256:
        return WC_MGF1SHA256;
    case TSVC_HASH_SHA384:
        return WC_MGF1SHA384;
    case TSVC_HASH_SHA512:
        return WC_MGF1SHA512;
    case TSVC_HASH_NONE:
        break;
    }
    return WC_MGF1NONE;
}

static int curve_id(tsvc_key_type type)
{
    switch (type) {
    case TSVC_KEY_ECDSA_P256:
        return ECC_SECP256R1;
    case TSVC_KEY_ECDSA_P384:
        return ECC_SECP384R1;
    case TSVC_KEY_ECDSA_P521:
        return ECC_SECP521R1;
    default:
        return ECC_CURVE_INVALID;
    }
}

static size_t coord_len(tsvc_key_type type)
{
    return tsvc__backend_ec_coord_len(type);
}

static int is_ec(tsvc_key_type t)
{
    return curve_id(t) != ECC_CURVE_INVALID;
}

/*
 * wolfCrypt's fixed-point ECC cache (FP_ECC) is thread-local and must be
 * released by each thread with wc_ecc_fp_free(). A thread that runs an ECC
 * operation gets a thread-specific key whose destructor does that when the
 * thread exits.
 */
static pthread_key_t fp_cache_key;
static pthread_once_t fp_cache_once = PTHREAD_ONCE_INIT;
static int fp_cache_key_ok;

static void fp_cache_release(void *unused)
{
    (void)unused;
    wc_ecc_fp_free();
}

static void fp_cache_key_init(void)
{
    fp_cache_key_ok = pthread_key_create(&fp_cache_key, fp_cache_release) == 0;
}

static void ecc_thread_used(void)
{
    pthread_once(&fp_cache_once, fp_cache_key_init);
    if (fp_cache_key_ok && pthread_getspecific(fp_cache_key) == NULL)
        pthread_setspecific(fp_cache_key, &fp_cache_key_ok);
}

static int wf_supports(void *state, tsvc_crypto_op op, tsvc_key_type type,
                       tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    (void)state;
    enum wc_HashType t;
    return tsvc__backend_supports_std(op, type, scheme, hash, hash_type(hash, &t));
}

/* ---- hashing ---- */

static tsvc_status wf_hash_init(void *state, tsvc_hash_alg alg, void **hash_state)
{
    enum wc_HashType t;
    if (!hash_type(alg, &t))
        return TSVC_ERR_UNSUPPORTED;
    wolf_hash *h = wf_alloc(state, sizeof(*h));
    if (h == NULL)
        return TSVC_ERR_NOMEM;
    h->owner = state;
    h->type = t;
    if (wc_HashInit(&h->h, t) != 0) {
        wf_free(state, h, sizeof(*h));
        return TSVC_ERR_BACKEND;
    }
    *hash_state = h;
    return TSVC_OK;
}

static tsvc_status wf_hash_update(void *hash_state, const uint8_t *data, size_t len)
{
    wolf_hash *h = hash_state;
    while (len > 0) {
        word32 n = len > 0x40000000u ? 0x40000000u : (word32)len;
        if (wc_HashUpdate(&h->h, h->type, data, n) != 0)
            return TSVC_ERR_BACKEND;
        data += n;
        len -= n;
    }
    return TSVC_OK;
}

static tsvc_status wf_hash_final(void *hash_state, uint8_t *out, size_t out_size)
{
    wolf_hash *h = hash_state;
    int sz = wc_HashGetDigestSize(h->type);
    if (sz <= 0 || out_size < (size_t)sz)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    return wc_HashFinal(&h->h, h->type, out) == 0 ? TSVC_OK : TSVC_ERR_BACKEND;
}

static void wf_hash_free(void *hash_state)
{
    if (hash_state == NULL)
        return;
    wolf_hash *h = hash_state;
    wc_HashFree(&h->h, h->type);
    wf_free(h->owner, h, sizeof(*h));
}

static tsvc_status wf_random(void *state, uint8_t *out, size_t len)
{
    wolf_state *s = state;
    tsvc_status st = TSVC_OK;
    pthread_mutex_lock(&s->lock);
    while (len > 0 && st == TSVC_OK) {
        word32 n = len > RNG_MAX_BLOCK_LEN ? RNG_MAX_BLOCK_LEN : (word32)len;
        if (wc_RNG_GenerateBlock(&s->rng, out, n) != 0)
            st = TSVC_ERR_RANDOM;
        out += n;
        len -= n;
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

/* ---- keys ---- */

static wolf_key *key_new(wolf_state *s, tsvc_key_type type)
{
    wolf_key *k = wf_alloc(s, sizeof(*k));
    if (k == NULL)
        return NULL;
    k->type = type;
    int rc;
    if (type == TSVC_KEY_RSA) {
        rc = wc_InitRsaKey(&k->u.rsa, NULL);
        if (rc == 0)
            rc = wc_RsaSetRNG(&k->u.rsa, &s->rng);
    } else if (type == TSVC_KEY_ED25519) {
        rc = wc_ed25519_init(&k->u.ed);
    } else {
        rc = wc_ecc_init(&k->u.ecc);
    }
    if (rc != 0) {
        wf_free(s, k, sizeof(*k));
        return NULL;
    }
    return k;
}

static void key_release(wolf_state *s, wolf_key *k)
{
    if (k == NULL)
        return;
    if (k->type == TSVC_KEY_RSA)
        wc_FreeRsaKey(&k->u.rsa);
    else if (k->type == TSVC_KEY_ED25519)
        wc_ed25519_free(&k->u.ed);
    else
        wc_ecc_free(&k->u.ecc);
    wf_free(s, k, sizeof(*k));
}

static void wf_key_free(void *state, void *key)
{
    key_release(state, key);
}

static tsvc_status wf_key_generate(void *state, tsvc_key_type type, unsigned bits, void **key)
{
    wolf_state *s = state;
    wolf_key *k = key_new(s, type);
    if (k == NULL)
        return TSVC_ERR_NOMEM;
    int rc;
    pthread_mutex_lock(&s->lock);
    if (type == TSVC_KEY_RSA) {
        rc = wc_MakeRsaKey(&k->u.rsa, (int)bits, WC_RSA_EXPONENT, &s->rng);
    } else if (type == TSVC_KEY_ED25519) {
        rc = wc_ed25519_make_key(&s->rng, ED25519_KEY_SIZE, &k->u.ed);
    } else {
        int id = curve_id(type);
        ecc_thread_used();
        rc = wc_ecc_make_key_ex(&s->rng, wc_ecc_get_curve_size_from_id(id), &k->u.ecc, id);
    }
    pthread_mutex_unlock(&s->lock);
    if (rc != 0) {
        key_release(s, k);
        return TSVC_ERR_BACKEND;
    }
    *key = k;
    return TSVC_OK;
}

static const tsvc_key_part *find_part(const tsvc_key_part *parts, size_t n, tsvc_key_part_id id)
{
    for (size_t i = 0; i < n; i++)
        if (parts[i].id == id && parts[i].data != NULL && parts[i].len <= 0xffffffu)
            return &parts[i];
    return NULL;
}

static tsvc_status rsa_import(RsaKey *rsa, const tsvc_key_part *parts, size_t n, int priv)
{
    const tsvc_key_part *pn = find_part(parts, n, TSVC_PART_RSA_N);
    const tsvc_key_part *pe = find_part(parts, n, TSVC_PART_RSA_E);
    if (pn == NULL || pe == NULL)
        return TSVC_ERR_KEY_FORMAT;
    size_t nl = pn->len;
    const uint8_t *nd = pn->data;
    while (nl > 0 && nd[0] == 0) {
        nd++;
        nl--;
    }
    if (nl > WOLF_RSA_MAX_BYTES)
        return TSVC_ERR_KEY_SIZE;
    if (wc_RsaPublicKeyDecodeRaw(nd, (word32)nl, pe->data, (word32)pe->len, rsa) != 0)
        return TSVC_ERR_KEY_FORMAT;
    if (!priv)
        return TSVC_OK;
    static const tsvc_key_part_id ids[6] = {TSVC_PART_RSA_D,  TSVC_PART_RSA_P,
                                            TSVC_PART_RSA_Q,  TSVC_PART_RSA_DP,
                                            TSVC_PART_RSA_DQ, TSVC_PART_RSA_QINV};
    mp_int *dst[6] = {&rsa->d, &rsa->p, &rsa->q, &rsa->dP, &rsa->dQ, &rsa->u};
    for (size_t i = 0; i < 6; i++) {
        const tsvc_key_part *p = find_part(parts, n, ids[i]);
        if (p == NULL || p->len > WOLF_RSA_MAX_BYTES)
            return TSVC_ERR_KEY_FORMAT;
        if (mp_read_unsigned_bin(dst[i], p->data, (word32)p->len) != MP_OKAY)
            return TSVC_ERR_KEY_FORMAT;
    }
    rsa->type = RSA_PRIVATE;
    return TSVC_OK;
}

static tsvc_status ed_make(ed25519_key *key, const uint8_t *seed)
{
    ed25519_key tmp;
    uint8_t pub[ED25519_PUB_KEY_SIZE];
    int rc = wc_ed25519_init(&tmp);
    if (rc == 0)
        rc = wc_ed25519_import_private_only(seed, ED25519_KEY_SIZE, &tmp);
    if (rc == 0)
        rc = wc_ed25519_make_public(&tmp, pub, sizeof(pub));
    wc_ed25519_free(&tmp);
    tsvc_memzero(&tmp, sizeof(tmp));
    if (rc == 0)
        rc = wc_ed25519_import_private_key(seed, ED25519_KEY_SIZE, pub, sizeof(pub), key);
    return rc == 0 ? TSVC_OK : TSVC_ERR_KEY_FORMAT;
}

/* Signs a fixed value with the private parts and checks it with the public
 * ones. */
static tsvc_status rsa_pairwise_check(wolf_state *s, RsaKey *rsa)
{
    static const uint8_t probe[] = "libtrustsvc RSA key pairwise check";
    uint8_t sig[WOLF_RSA_MAX_BYTES], out[WOLF_RSA_MAX_BYTES];
    pthread_mutex_lock(&s->lock);
    int n = wc_RsaSSL_Sign(probe, sizeof(probe), sig, sizeof(sig), rsa, &s->rng);
    pthread_mutex_unlock(&s->lock);
    if (n <= 0)
        return TSVC_ERR_KEY_FORMAT;
    int m = wc_RsaSSL_Verify(sig, (word32)n, out, sizeof(out), rsa);
    tsvc_status st = (m == (int)sizeof(probe) && memcmp(out, probe, sizeof(probe)) == 0)
                         ? TSVC_OK
                         : TSVC_ERR_KEY_FORMAT;
    tsvc_memzero(sig, sizeof(sig));
    return st;
}

static tsvc_status wf_key_import(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                                 size_t num_parts, void **key)
{
    wolf_state *s = state;
    wolf_key *k = key_new(s, type);
    if (k == NULL)
        return TSVC_ERR_NOMEM;
    tsvc_status st;
    if (type == TSVC_KEY_RSA) {
        st = rsa_import(&k->u.rsa, parts, num_parts, 1);
        if (st == TSVC_OK) {
            /* The parts must form one key: a bad CRT part would give
             * faulty signatures that reveal the key. */
            st = rsa_pairwise_check(s, &k->u.rsa);
        }
    } else if (type == TSVC_KEY_ED25519) {
        const tsvc_key_part *p = find_part(parts, num_parts, TSVC_PART_ED25519_SEED);
        st = (p == NULL || p->len != ED25519_KEY_SIZE) ? TSVC_ERR_KEY_FORMAT
                                                       : ed_make(&k->u.ed, p->data);
    } else {
        const tsvc_key_part *p = find_part(parts, num_parts, TSVC_PART_EC_PRIVATE);
        st = TSVC_ERR_KEY_FORMAT;
        if (p != NULL && p->len == coord_len(type)) {
            /* The public point is always derived from the scalar; the
             * caller compares it with any point the file carried. */
            int rc = wc_ecc_import_private_key_ex(p->data, (word32)p->len, NULL, 0, &k->u.ecc,
                                                  curve_id(type));
            if (rc == 0) {
                ecc_thread_used();
                pthread_mutex_lock(&s->lock);
                rc = wc_ecc_make_pub_ex(&k->u.ecc, NULL, &s->rng);
                pthread_mutex_unlock(&s->lock);
            }
            if (rc == 0)
                rc = wc_ecc_check_key(&k->u.ecc);
            if (rc == 0)
                st = TSVC_OK;
        }
    }
    if (st != TSVC_OK) {
        key_release(s, k);
        return st;
    }
    *key = k;
    return TSVC_OK;
}

static tsvc_status emit_mp(tsvc_key_part_sink sink, void *opaque, tsvc_key_part_id id, mp_int *m)
{
    uint8_t buf[WOLF_RSA_MAX_BYTES + 8];
    int n = mp_unsigned_bin_size(m);
    if (n <= 0 || (size_t)n > sizeof(buf))
        return TSVC_ERR_BACKEND;
    tsvc_status st = TSVC_ERR_BACKEND;
    if (mp_to_unsigned_bin(m, buf) == MP_OKAY)
        st = sink(opaque, id, buf, (size_t)n);
    tsvc_memzero(buf, sizeof(buf));
    return st;
}

static tsvc_status wf_key_export(void *state, void *key, int include_private,
                                 tsvc_key_part_sink sink, void *opaque)
{
    (void)state;
    wolf_key *k = key;
    tsvc_status st = TSVC_ERR_BACKEND;
    uint8_t buf[2 * 66 + 1];
    word32 len = sizeof(buf);
    if (k->type == TSVC_KEY_RSA) {
        RsaKey *r = &k->u.rsa;
        st = emit_mp(sink, opaque, TSVC_PART_RSA_N, &r->n);
        if (st == TSVC_OK)
            st = emit_mp(sink, opaque, TSVC_PART_RSA_E, &r->e);
        if (st == TSVC_OK && include_private) {
            st = emit_mp(sink, opaque, TSVC_PART_RSA_D, &r->d);
            if (st == TSVC_OK)
                st = emit_mp(sink, opaque, TSVC_PART_RSA_P, &r->p);
            if (st == TSVC_OK)
                st = emit_mp(sink, opaque, TSVC_PART_RSA_Q, &r->q);
            if (st == TSVC_OK)
                st = emit_mp(sink, opaque, TSVC_PART_RSA_DP, &r->dP);
            if (st == TSVC_OK)
                st = emit_mp(sink, opaque, TSVC_PART_RSA_DQ, &r->dQ);
            if (st == TSVC_OK)
                st = emit_mp(sink, opaque, TSVC_PART_RSA_QINV, &r->u);
        }
    } else if (k->type == TSVC_KEY_ED25519) {
        if (wc_ed25519_export_public(&k->u.ed, buf, &len) == 0)
            st = sink(opaque, TSVC_PART_ED25519_PUBLIC, buf, len);
        len = sizeof(buf);
        if (st == TSVC_OK && include_private) {
            st = TSVC_ERR_BACKEND;
            if (wc_ed25519_export_private_only(&k->u.ed, buf, &len) == 0)
                st = sink(opaque, TSVC_PART_ED25519_SEED, buf, len);
        }
    } else {
        if (wc_ecc_export_x963(&k->u.ecc, buf, &len) == 0)
            st = sink(opaque, TSVC_PART_EC_POINT, buf, len);
        len = sizeof(buf);
        if (st == TSVC_OK && include_private) {
            st = TSVC_ERR_BACKEND;
            if (wc_ecc_export_private_only(&k->u.ecc, buf, &len) == 0)
                st = sink(opaque, TSVC_PART_EC_PRIVATE, buf, len);
        }
    }
    tsvc_memzero(buf, sizeof(buf));
    return st;
}

/* ---- PKCS#1 v1.5 DigestInfo prefixes (DER, NULL parameters) ---- */

static const uint8_t di_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                  0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
#define DI_SHA2(total, n, dlen)                                                               \
    {0x30, total, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,                            \
     0x65, 0x03, 0x04, 0x02, n,    0x05, 0x00, 0x04, dlen}
static const uint8_t di_sha224[] = DI_SHA2(0x2d, 0x04, 0x1c);
static const uint8_t di_sha256[] = DI_SHA2(0x31, 0x01, 0x20);
static const uint8_t di_sha384[] = DI_SHA2(0x41, 0x02, 0x30);
static const uint8_t di_sha512[] = DI_SHA2(0x51, 0x03, 0x40);

typedef struct digest_info_prefix {
    tsvc_hash_alg alg;
    const uint8_t *prefix;
    size_t prefix_len;
    size_t digest_len;
} digest_info_prefix;

static const digest_info_prefix prefixes[] = {
    {TSVC_HASH_SHA1, di_sha1, sizeof(di_sha1), 20},
    {TSVC_HASH_SHA224, di_sha224, sizeof(di_sha224), 28},
    {TSVC_HASH_SHA256, di_sha256, sizeof(di_sha256), 32},
    {TSVC_HASH_SHA384, di_sha384, sizeof(di_sha384), 48},
    {TSVC_HASH_SHA512, di_sha512, sizeof(di_sha512), 64},
};

/* Writes DigestInfo(hash, digest) into out; returns its length or 0. */
static size_t digest_info(tsvc_hash_alg alg, const uint8_t *digest, size_t dlen, uint8_t *out,
                          size_t out_size)
{
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        const digest_info_prefix *d = &prefixes[i];
        if (d->alg != alg)
            continue;
        if (dlen != d->digest_len || d->prefix_len + dlen > out_size)
            return 0;
        memcpy(out, d->prefix, d->prefix_len);
        memcpy(out + d->prefix_len, digest, dlen);
        return d->prefix_len + dlen;
    }
    return 0;
}

/* ---- signing ---- */

static tsvc_status wf_sign_hash(void *state, void *key, const tsvc_backend_sig_params *params,
                                const uint8_t *digest, size_t digest_len, uint8_t *sig,
                                size_t sig_size, size_t *sig_len)
{
    wolf_state *s = state;
    wolf_key *k = key;
    enum wc_HashType ht;
    if (!hash_type(params->hash, &ht) || digest_len > WC_MAX_DIGEST_SIZE)
        return TSVC_ERR_UNSUPPORTED;
    if (sig_size > 0xffffffffu)
        sig_size = 0xffffffffu;
    int rc;
    if (k->type == TSVC_KEY_RSA) {
        int ksz = wc_RsaEncryptSize(&k->u.rsa);
        if (ksz <= 0)
            return TSVC_ERR_BACKEND;
        if (sig_size < (size_t)ksz)
            return TSVC_ERR_BUFFER_TOO_SMALL;
        if (params->scheme == TSVC_SIG_RSA_PKCS1) {
            uint8_t di[19 + 64];
            size_t dl = digest_info(params->hash, digest, digest_len, di, sizeof(di));
            if (dl == 0)
                return TSVC_ERR_UNSUPPORTED;
            pthread_mutex_lock(&s->lock);
            rc = wc_RsaSSL_Sign(di, (word32)dl, sig, (word32)sig_size, &k->u.rsa, &s->rng);
            pthread_mutex_unlock(&s->lock);
        } else if (params->scheme == TSVC_SIG_RSA_PSS) {
            pthread_mutex_lock(&s->lock);
            rc = wc_RsaPSS_Sign_ex(digest, (word32)digest_len, sig, (word32)sig_size, ht,
                                   mgf_type(params->mgf1_hash), (int)params->salt_len,
                                   &k->u.rsa, &s->rng);
            pthread_mutex_unlock(&s->lock);
        } else {
            return TSVC_ERR_UNSUPPORTED;
        }
        if (rc <= 0)
            return rc == MEMORY_E ? TSVC_ERR_NOMEM : TSVC_ERR_BACKEND;
        *sig_len = (size_t)rc;
        return TSVC_OK;
    }
    if (is_ec(k->type) && params->scheme == TSVC_SIG_ECDSA) {
        size_t cl = coord_len(k->type);
        if (sig_size < 2 * cl)
            return TSVC_ERR_BUFFER_TOO_SMALL;
        mp_int r, sv;
        if (mp_init(&r) != MP_OKAY || mp_init(&sv) != MP_OKAY)
            return TSVC_ERR_NOMEM;
        ecc_thread_used();
        pthread_mutex_lock(&s->lock);
        rc = wc_ecc_sign_hash_ex(digest, (word32)digest_len, &s->rng, &k->u.ecc, &r, &sv);
        pthread_mutex_unlock(&s->lock);
        if (rc == 0 && (mp_to_unsigned_bin_len(&r, sig, (int)cl) != MP_OKAY ||
                        mp_to_unsigned_bin_len(&sv, sig + cl, (int)cl) != MP_OKAY))
            rc = -1;
        mp_forcezero(&r);
        mp_forcezero(&sv);
        if (rc != 0)
            return TSVC_ERR_BACKEND;
        *sig_len = 2 * cl;
        return TSVC_OK;
    }
    return TSVC_ERR_UNSUPPORTED;
}

static tsvc_status wf_sign_message(void *state, void *key, const tsvc_backend_sig_params *params,
                                   const uint8_t *msg, size_t msg_len, uint8_t *sig,
                                   size_t sig_size, size_t *sig_len)
{
    wolf_state *s = state;
    wolf_key *k = key;
    if (k->type != TSVC_KEY_ED25519 || params->scheme != TSVC_SIG_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    if (msg_len > 0xffffffffu)
        return TSVC_ERR_UNSUPPORTED;
    if (sig_size < ED25519_SIG_SIZE)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    word32 out_len = ED25519_SIG_SIZE;
    /* The key object may carry a hash state: one signer at a time. */
    pthread_mutex_lock(&s->lock);
    int rc = wc_ed25519_sign_msg(msg, (word32)msg_len, sig, &out_len, &k->u.ed);
    pthread_mutex_unlock(&s->lock);
    if (rc != 0)
        return TSVC_ERR_BACKEND;
    *sig_len = out_len;
    return TSVC_OK;
}

/* ---- verification ---- */

static tsvc_status wf_pubkey_import(void *state, tsvc_key_type type, const tsvc_key_part *parts,
                                    size_t num_parts, void **pub)
{
    wolf_state *s = state;
    wolf_key *k = key_new(s, type);
    if (k == NULL)
        return TSVC_ERR_NOMEM;
    tsvc_status st = TSVC_ERR_KEY_FORMAT;
    if (type == TSVC_KEY_RSA) {
        st = rsa_import(&k->u.rsa, parts, num_parts, 0);
    } else if (type == TSVC_KEY_ED25519) {
        const tsvc_key_part *p = find_part(parts, num_parts, TSVC_PART_ED25519_PUBLIC);
        if (p != NULL && p->len == ED25519_PUB_KEY_SIZE &&
            wc_ed25519_import_public(p->data, (word32)p->len, &k->u.ed) == 0)
            st = TSVC_OK;
    } else if (is_ec(type)) {
        const tsvc_key_part *p = find_part(parts, num_parts, TSVC_PART_EC_POINT);
        if (p != NULL &&
            wc_ecc_import_x963_ex(p->data, (word32)p->len, &k->u.ecc, curve_id(type)) == 0)
            st = TSVC_OK;
    }
    if (st != TSVC_OK) {
        key_release(s, k);
        return st;
    }
    *pub = k;
    return TSVC_OK;
}

static void wf_pubkey_free(void *state, void *pub)
{
    key_release(state, pub);
}

static tsvc_status wf_verify_hash(void *state, void *pub, const tsvc_backend_sig_params *params,
                                  const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                                  size_t sig_len)
{
    wolf_state *s = state;
    wolf_key *k = pub;
    enum wc_HashType ht;
    if (!hash_type(params->hash, &ht) || digest_len > WC_MAX_DIGEST_SIZE)
        return TSVC_ERR_UNSUPPORTED;
    if (k->type == TSVC_KEY_RSA) {
        int ksz = wc_RsaEncryptSize(&k->u.rsa);
        if (ksz <= 0 || sig_len != (size_t)ksz || sig_len > WOLF_RSA_MAX_BYTES)
            return TSVC_ERR_SIGNATURE_INVALID;
        uint8_t in[WOLF_RSA_MAX_BYTES], out[WOLF_RSA_MAX_BYTES];
        memcpy(in, sig, sig_len);
        int rc;
        tsvc_status st = TSVC_ERR_SIGNATURE_INVALID;
        if (params->scheme == TSVC_SIG_RSA_PKCS1) {
            uint8_t di[19 + 64];
            size_t dl = digest_info(params->hash, digest, digest_len, di, sizeof(di));
            if (dl == 0)
                return TSVC_ERR_UNSUPPORTED;
            rc = wc_RsaSSL_Verify(in, (word32)sig_len, out, sizeof(out), &k->u.rsa);
            if (rc == MEMORY_E)
                st = TSVC_ERR_NOMEM;
            else if (rc > 0 && (size_t)rc == dl && memcmp(out, di, dl) == 0)
                st = TSVC_OK;
        } else if (params->scheme == TSVC_SIG_RSA_PSS) {
            rc = wc_RsaPSS_Verify_ex(in, (word32)sig_len, out, sizeof(out), ht,
                                     mgf_type(params->mgf1_hash), (int)params->salt_len,
                                     &k->u.rsa);
            if (rc == MEMORY_E)
                st = TSVC_ERR_NOMEM;
            else if (rc > 0 &&
                     wc_RsaPSS_CheckPadding_ex(digest, (word32)digest_len, out, (word32)rc, ht,
                                               (int)params->salt_len,
                                               mp_count_bits(&k->u.rsa.n)) == 0)
                st = TSVC_OK;
        } else {
            st = TSVC_ERR_UNSUPPORTED;
        }
        (void)s;
        return st;
    }
    if (is_ec(k->type) && params->scheme == TSVC_SIG_ECDSA) {
        size_t cl = coord_len(k->type);
        if (sig_len != 2 * cl)
            return TSVC_ERR_SIGNATURE_INVALID;
        mp_int r, sv;
        int res = 0;
        if (mp_init(&r) != MP_OKAY || mp_init(&sv) != MP_OKAY)
            return TSVC_ERR_NOMEM;
        int rc = mp_read_unsigned_bin(&r, sig, (word32)cl);
        if (rc == MP_OKAY)
            rc = mp_read_unsigned_bin(&sv, sig + cl, (word32)cl);
        if (rc == MP_OKAY && (mp_iszero(&r) || mp_iszero(&sv)))
            rc = -1;
        ecc_thread_used();
        if (rc == MP_OKAY)
            rc = wc_ecc_verify_hash_ex(&r, &sv, digest, (word32)digest_len, &res, &k->u.ecc);
        mp_clear(&r);
        mp_clear(&sv);
        if (rc == MEMORY_E)
            return TSVC_ERR_NOMEM;
        return (rc == 0 && res == 1) ? TSVC_OK : TSVC_ERR_SIGNATURE_INVALID;
    }
    return TSVC_ERR_UNSUPPORTED;
}

static tsvc_status wf_verify_message(void *state, void *pub,
                                     const tsvc_backend_sig_params *params, const uint8_t *msg,
                                     size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    (void)state;
    wolf_key *k = pub;
    if (k->type != TSVC_KEY_ED25519 || params->scheme != TSVC_SIG_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    if (msg_len > 0xffffffffu)
        return TSVC_ERR_UNSUPPORTED;
    if (sig_len != ED25519_SIG_SIZE)
        return TSVC_ERR_SIGNATURE_INVALID;
    int res = 0;
    int rc = wc_ed25519_verify_msg(sig, (word32)sig_len, msg, (word32)msg_len, &res, &k->u.ed);
    return (rc == 0 && res == 1) ? TSVC_OK : TSVC_ERR_SIGNATURE_INVALID;
}

const tsvc_backend tsvc__backend_wolfssl = {
    .version = TSVC_BACKEND_VERSION,
    .struct_size = sizeof(tsvc_backend),
    .name = "wolfssl",
    .global_init = wf_global_init,
    .instance_new = wf_instance_new,
    .instance_free = wf_instance_free,
    .supports = wf_supports,
    .hash_init = wf_hash_init,
    .hash_update = wf_hash_update,
    .hash_final = wf_hash_final,
    .hash_free = wf_hash_free,
    .random = wf_random,
    .key_generate = wf_key_generate,
    .key_import = wf_key_import,
    .key_export = wf_key_export,
    .key_free = wf_key_free,
    .sign_hash = wf_sign_hash,
    .sign_message = wf_sign_message,
    .pubkey_import = wf_pubkey_import,
    .pubkey_free = wf_pubkey_free,
    .verify_hash = wf_verify_hash,
    .verify_message = wf_verify_message,
};
