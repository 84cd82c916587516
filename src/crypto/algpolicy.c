/*
 * SPDX-License-Identifier: Apache-2.0
 * Algorithm policy: dated acceptance rules for hash functions, signature
 * schemes and key sizes (ETSI TS 119 312 style). A rule refuses when it
 * matches and the validation time is at or after its date.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "crypto/algpolicy.h"

#define MAX_RULES 64
#define T_2012_08_01 INT64_C(1343779200)
#define T_2021_10_01 INT64_C(1633046400)

typedef enum rule_kind { R_HASH = 1, R_SCHEME = 2, R_KEY = 3 } rule_kind;

typedef struct rule {
    rule_kind kind;
    int param; /* hash, scheme or family */
    unsigned min_bits;
    int64_t refused_from;
    char name[32];
} rule;

struct tsvc_algorithm_policy {
    const tsvc_ctx *ctx;
    atomic_uint refs;
    atomic_bool frozen;
    bool builtin;
    rule rules[MAX_RULES];
    size_t num;
};

#define COMMON_RULES                                                                     \
    {R_HASH, TSVC_HASH_SHA1, 0, T_2012_08_01, "hash.sha1"},                             \
        {R_KEY, TSVC__ALGPOL_FAMILY_RSA, 1024, INT64_MIN, "key.rsa.1024"},              \
        {R_KEY, TSVC__ALGPOL_FAMILY_RSA, 2048, INT64_MIN, "key.rsa.2048"},              \
        {R_KEY, TSVC__ALGPOL_FAMILY_EC, 256, T_2021_10_01, "key.ec.256"}

static const tsvc_algorithm_policy default_policy = {
    NULL, 1, true, true,
    {COMMON_RULES, {R_SCHEME, TSVC_SIG_ED25519, 0, INT64_MIN, "scheme.eddsa"}},
    5};

static const tsvc_algorithm_policy iot_policy = {NULL, 1, true, true, {COMMON_RULES}, 4};

const tsvc_algorithm_policy *tsvc__algpolicy_default(void)
{
    return &default_policy;
}

const tsvc_algorithm_policy *tsvc__algpolicy_iot(void)
{
    return &iot_policy;
}

static const char *hash_name(int h)
{
    switch (h) {
    case TSVC_HASH_SHA1: return "sha1";
    case TSVC_HASH_SHA224: return "sha224";
    case TSVC_HASH_SHA256: return "sha256";
    case TSVC_HASH_SHA384: return "sha384";
    case TSVC_HASH_SHA512: return "sha512";
    default: return "none";
    }
}

static const char *scheme_name(int s)
{
    switch (s) {
    case TSVC_SIG_RSA_PKCS1: return "rsa-pkcs1";
    case TSVC_SIG_RSA_PSS: return "rsa-pss";
    case TSVC_SIG_ECDSA: return "ecdsa";
    case TSVC_SIG_ED25519: return "eddsa";
    default: return "none";
    }
}

tsvc_status tsvc_algorithm_policy_new(tsvc_ctx *ctx, tsvc_algorithm_policy **out,
                                      tsvc_algpol_preset preset, tsvc_error **err)
{
    const tsvc_algorithm_policy *from;
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out is required");
    *out = NULL;
    switch (preset) {
    case TSVC_ALGPOL_DEFAULT: from = &default_policy; break;
    case TSVC_ALGPOL_IOT: from = &iot_policy; break;
    case TSVC_ALGPOL_EMPTY: from = NULL; break;
    default: return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown preset");
    }
    tsvc_algorithm_policy *p = tsvc__calloc(ctx, 1, sizeof(*p));
    if (p == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    p->ctx = ctx;
    atomic_init(&p->refs, 1u);
    atomic_init(&p->frozen, false);
    if (from != NULL) {
        memcpy(p->rules, from->rules, sizeof(p->rules));
        p->num = from->num;
    }
    *out = p;
    return TSVC_OK;
}

tsvc_algorithm_policy *tsvc_algorithm_policy_ref(tsvc_algorithm_policy *p)
{
    if (p != NULL && !p->builtin)
        atomic_fetch_add(&p->refs, 1u);
    return p;
}

void tsvc_algorithm_policy_free(tsvc_algorithm_policy *p)
{
    if (p == NULL || p->builtin)
        return;
    if (atomic_fetch_sub(&p->refs, 1u) != 1u)
        return;
    tsvc__free(p->ctx, p);
}

void tsvc__algpolicy_freeze(tsvc_algorithm_policy *p)
{
    if (p != NULL && !p->builtin)
        atomic_store(&p->frozen, true);
}

static tsvc_status put_rule(tsvc_algorithm_policy *p, const rule *r, tsvc_error **err)
{
    if (p == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "policy is required");
    if (p->builtin || atomic_load(&p->frozen))
        return tsvc__err(err, TSVC_ERR_POLICY_FROZEN, "algpolicy.frozen", -1,
                         "the algorithm policy is in use and can no longer be changed");
    for (size_t i = 0; i < p->num; i++) {
        rule *e = &p->rules[i];
        if (e->kind == r->kind && e->param == r->param && e->min_bits == r->min_bits) {
            *e = *r;
            return TSVC_OK;
        }
    }
    if (p->num >= MAX_RULES)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "algpolicy.rules", -1,
                         "more than %d rules", MAX_RULES);
    p->rules[p->num++] = *r;
    return TSVC_OK;
}

tsvc_status tsvc_algorithm_policy_set_hash(tsvc_algorithm_policy *p, tsvc_hash_alg hash,
                                           int64_t refused_from, tsvc_error **err)
{
    rule r;
    if (tsvc__hash_size(hash) == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown hash");
    memset(&r, 0, sizeof(r));
    r.kind = R_HASH;
    r.param = (int)hash;
    r.refused_from = refused_from;
    snprintf(r.name, sizeof(r.name), "hash.%s", hash_name((int)hash));
    return put_rule(p, &r, err);
}

tsvc_status tsvc_algorithm_policy_set_scheme(tsvc_algorithm_policy *p, tsvc_sig_scheme scheme,
                                             int64_t refused_from, tsvc_error **err)
{
    rule r;
    if (scheme < TSVC_SIG_ED25519 || scheme > TSVC_SIG_RSA_PSS)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown scheme");
    memset(&r, 0, sizeof(r));
    r.kind = R_SCHEME;
    r.param = (int)scheme;
    r.refused_from = refused_from;
    snprintf(r.name, sizeof(r.name), "scheme.%s", scheme_name((int)scheme));
    return put_rule(p, &r, err);
}

tsvc_status tsvc_algorithm_policy_set_min_bits(tsvc_algorithm_policy *p, tsvc_algpol_key family,
                                               unsigned min_bits, int64_t refused_from,
                                               tsvc_error **err)
{
    rule r;
    if ((family != TSVC_ALGPOL_KEY_RSA && family != TSVC_ALGPOL_KEY_EC) || min_bits == 0 ||
        min_bits > 16384)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "bad key family or size");
    memset(&r, 0, sizeof(r));
    r.kind = R_KEY;
    r.param = family == TSVC_ALGPOL_KEY_RSA ? TSVC__ALGPOL_FAMILY_RSA : TSVC__ALGPOL_FAMILY_EC;
    r.min_bits = min_bits;
    r.refused_from = refused_from;
    snprintf(r.name, sizeof(r.name), "key.%s.%u", family == TSVC_ALGPOL_KEY_RSA ? "rsa" : "ec",
             min_bits);
    return put_rule(p, &r, err);
}

static void date_text(int64_t t, char out[32])
{
    int64_t y;
    unsigned mo, d, h, mi, s;
    tsvc__time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, 32, "%04lld-%02u-%02u", (long long)y, mo, d);
}

bool tsvc__algpolicy_accepts(const tsvc_algorithm_policy *p, tsvc_sig_scheme scheme,
                             tsvc_hash_alg hash, tsvc__algpol_family family, unsigned bits,
                             int64_t when, const char **rule_name, char *why, size_t why_size)
{
    if (p == NULL)
        return true;
    for (size_t i = 0; i < p->num; i++) {
        const rule *r = &p->rules[i];
        bool match = false;
        switch (r->kind) {
        case R_HASH: match = hash != TSVC_HASH_NONE && (int)hash == r->param; break;
        case R_SCHEME: match = scheme != TSVC_SIG_NONE && (int)scheme == r->param; break;
        case R_KEY:
            match = family != TSVC__ALGPOL_FAMILY_NONE && (int)family == r->param &&
                    bits < r->min_bits;
            break;
        }
        if (!match || when < r->refused_from)
            continue;
        if (rule_name != NULL)
            *rule_name = r->name;
        if (why != NULL && why_size > 0) {
            /* Text only for the rule that refuses: this runs on every
             * signature made or checked. */
            char what[96] = "";
            switch (r->kind) {
            case R_HASH:
                snprintf(what, sizeof(what), "hash function %s", hash_name(r->param));
                break;
            case R_SCHEME:
                snprintf(what, sizeof(what), "signature scheme %s", scheme_name(r->param));
                break;
            case R_KEY:
                snprintf(what, sizeof(what), "%s key of %u bits (below %u)",
                         r->param == TSVC__ALGPOL_FAMILY_RSA ? "RSA" : "EC", bits, r->min_bits);
                break;
            }
            if (r->refused_from == INT64_MIN) {
                snprintf(why, why_size, "rule %s: %s not accepted", r->name, what);
            } else {
                char d[32];
                date_text(r->refused_from, d);
                snprintf(why, why_size, "rule %s: %s not accepted from %s", r->name, what, d);
            }
        }
        return false;
    }
    return true;
}

static tsvc__algpol_family family_of(tsvc_key_type t, unsigned *bits)
{
    switch (t) {
    case TSVC_KEY_RSA: return TSVC__ALGPOL_FAMILY_RSA;
    case TSVC_KEY_ECDSA_P256: *bits = 256; return TSVC__ALGPOL_FAMILY_EC;
    case TSVC_KEY_ECDSA_P384: *bits = 384; return TSVC__ALGPOL_FAMILY_EC;
    case TSVC_KEY_ECDSA_P521: *bits = 521; return TSVC__ALGPOL_FAMILY_EC;
    case TSVC_KEY_ED25519: *bits = 256; return TSVC__ALGPOL_FAMILY_EDDSA;
    default: return TSVC__ALGPOL_FAMILY_NONE;
    }
}

tsvc_status tsvc_algorithm_policy_check(const tsvc_algorithm_policy *p, tsvc_sig_scheme scheme,
                                        tsvc_hash_alg hash, tsvc_key_type key_type, unsigned bits,
                                        int64_t when, tsvc_error **err)
{
    const char *rule_name = NULL;
    char why[200];
    if (p == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "policy is required");
    tsvc__algpol_family fam = family_of(key_type, &bits);
    if (tsvc__algpolicy_accepts(p, scheme, hash, fam, bits, when, &rule_name, why, sizeof(why)))
        return TSVC_OK;
    return tsvc__err(err, TSVC_ERR_ALGORITHM_POLICY, rule_name, -1, "%s", why);
}

static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_rsa_pss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t oid_ec[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};
static const uint8_t oid_ed448[] = {0x2b, 0x65, 0x71};

static const struct {
    uint8_t oid[8];
    size_t len;
    unsigned bits;
} curves[] = {
    {{0x2b, 0x81, 0x04, 0x00, 0x21}, 5, 224},                   /* secp224r1 */
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, 8, 256}, /* prime256v1 */
    {{0x2b, 0x81, 0x04, 0x00, 0x0a}, 5, 256},                   /* secp256k1 */
    {{0x2b, 0x81, 0x04, 0x00, 0x22}, 5, 384},                   /* secp384r1 */
    {{0x2b, 0x81, 0x04, 0x00, 0x23}, 5, 521},                   /* secp521r1 */
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01}, 8, 192}, /* prime192v1 */
};

bool tsvc__algpolicy_spki_key(const uint8_t *spki, size_t len, tsvc__algpol_family *family,
                              unsigned *bits)
{
    tsvc__cbs c, s, alg, oid, key;
    unsigned unused = 0;
    *family = TSVC__ALGPOL_FAMILY_NONE;
    *bits = 0;
    if (spki == NULL)
        return false;
    tsvc__cbs_init(&c, spki, len);
    if (tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &s, NULL) != TSVC_OK ||
        tsvc__der_get(&s, TSVC__TAG_SEQUENCE, &alg, NULL) != TSVC_OK ||
        tsvc__der_get_oid(&alg, &oid, NULL) != TSVC_OK ||
        tsvc__der_get_bit_string(&s, 0, &key, &unused, NULL) != TSVC_OK)
        return false;
    if (tsvc__oid_equal(&oid, oid_rsa, sizeof(oid_rsa)) ||
        tsvc__oid_equal(&oid, oid_rsa_pss, sizeof(oid_rsa_pss))) {
        tsvc__cbs seq, n;
        if (tsvc__der_get(&key, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK ||
            tsvc__der_get_unsigned(&seq, &n, NULL) != TSVC_OK || n.len == 0)
            return false;
        unsigned b = (unsigned)n.len * 8u;
        for (uint8_t top = n.data[0]; b > 0 && !(top & 0x80); top = (uint8_t)(top << 1))
            b--;
        *family = TSVC__ALGPOL_FAMILY_RSA;
        *bits = b;
        return true;
    }
    if (tsvc__oid_equal(&oid, oid_ec, sizeof(oid_ec))) {
        tsvc__cbs curve;
        if (tsvc__der_get_oid(&alg, &curve, NULL) != TSVC_OK)
            return false;
        for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
            if (tsvc__oid_equal(&curve, curves[i].oid, curves[i].len)) {
                *family = TSVC__ALGPOL_FAMILY_EC;
                *bits = curves[i].bits;
                return true;
            }
        }
        return false;
    }
    if (tsvc__oid_equal(&oid, oid_ed25519, sizeof(oid_ed25519))) {
        *family = TSVC__ALGPOL_FAMILY_EDDSA;
        *bits = 256;
        return true;
    }
    if (tsvc__oid_equal(&oid, oid_ed448, sizeof(oid_ed448))) {
        *family = TSVC__ALGPOL_FAMILY_EDDSA;
        *bits = 456;
        return true;
    }
    return false;
}

bool tsvc__algpolicy_check_cert(const tsvc_algorithm_policy *p, const tsvc__sig_params *sig,
                                bool check_sig, const uint8_t *spki, size_t spki_len,
                                int64_t when, char *why, size_t why_size)
{
    tsvc__algpol_family fam = TSVC__ALGPOL_FAMILY_NONE;
    unsigned bits = 0;
    char inner[200];
    if (p == NULL)
        return true;
    if (check_sig && sig != NULL && sig->scheme != TSVC_SIG_NONE &&
        !tsvc__algpolicy_accepts(p, sig->scheme, sig->hash, TSVC__ALGPOL_FAMILY_NONE, 0, when,
                                 NULL, inner, sizeof(inner))) {
        snprintf(why, why_size, "signature on the certificate: %s", inner);
        return false;
    }
    if (tsvc__algpolicy_spki_key(spki, spki_len, &fam, &bits) &&
        !tsvc__algpolicy_accepts(p, TSVC_SIG_NONE, TSVC_HASH_NONE, fam, bits, when, NULL, inner,
                                 sizeof(inner))) {
        snprintf(why, why_size, "public key of the certificate: %s", inner);
        return false;
    }
    return true;
}
