/*
 * SPDX-License-Identifier: Apache-2.0
 * NIST curves: field sizes, and the check that a public point lies on its
 * curve (y^2 = x^3 - 3x + b mod p), done here so that every SPKI is
 * validated whatever backends are built. Public data only: no constant-time
 * requirement.
 */
#include <string.h>

#include "crypto_int.h"

#define LIMBS 18 /* 576 bits: enough for P-521 plus a carry limb */

typedef struct bn {
    uint32_t v[LIMBS]; /* little-endian limbs */
} bn;

typedef struct curve {
    tsvc_key_type type;
    size_t len; /* field size in bytes */
    const char *p_hex;
    const char *b_hex;
} curve;

static const curve curves[] = {
    {TSVC_KEY_ECDSA_P256, 32,
     "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
     "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"},
    {TSVC_KEY_ECDSA_P384, 48,
     "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
     "ffffffff0000000000000000ffffffff",
     "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a"
     "c656398d8a2ed19d2a85c8edd3ec2aef"},
    {TSVC_KEY_ECDSA_P521, 66,
     "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffff",
     "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef1"
     "09e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b50"
     "3f00"},
};

size_t tsvc__crypto_ec_coord_len(tsvc_key_type type)
{
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (curves[i].type == type)
            return curves[i].len;
    return 0;
}

static void bn_from_be(bn *r, const uint8_t *b, size_t len)
{
    memset(r, 0, sizeof(*r));
    for (size_t i = 0; i < len; i++) {
        size_t bit = (len - 1 - i) * 8;
        r->v[bit / 32] |= (uint32_t)b[i] << (bit % 32);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    return c - 'a' + 10;
}

static void bn_from_hex(bn *r, const char *hex)
{
    uint8_t buf[LIMBS * 4];
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
    bn_from_be(r, buf, n);
}

static int bn_cmp(const bn *a, const bn *b)
{
    for (size_t i = LIMBS; i-- > 0;) {
        if (a->v[i] != b->v[i])
            return a->v[i] < b->v[i] ? -1 : 1;
    }
    return 0;
}

static void bn_sub(bn *r, const bn *a, const bn *b)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < LIMBS; i++) {
        uint64_t d = (uint64_t)a->v[i] - b->v[i] - borrow;
        r->v[i] = (uint32_t)d;
        borrow = (d >> 63) & 1;
    }
}

static void bn_add(bn *r, const bn *a, const bn *b)
{
    uint64_t carry = 0;
    for (size_t i = 0; i < LIMBS; i++) {
        uint64_t s = (uint64_t)a->v[i] + b->v[i] + carry;
        r->v[i] = (uint32_t)s;
        carry = s >> 32;
    }
}

/* r = (a + b) mod p, with a, b < p. */
static void mod_add(bn *r, const bn *a, const bn *b, const bn *p)
{
    bn t;
    bn_add(&t, a, b);
    if (bn_cmp(&t, p) >= 0)
        bn_sub(&t, &t, p);
    *r = t;
}

/* r = (a - b) mod p, with a, b < p. */
static void mod_sub(bn *r, const bn *a, const bn *b, const bn *p)
{
    bn t;
    if (bn_cmp(a, b) >= 0) {
        bn_sub(&t, a, b);
    } else {
        bn_add(&t, a, p);
        bn_sub(&t, &t, b);
    }
    *r = t;
}

/* -p^-1 mod 2^32 for an odd p (Newton's iteration). */
static uint32_t mont_pinv(const bn *p)
{
    uint32_t p0 = p->v[0], x = p0; /* right to 3 bits: p0 p0 = 1 mod 8 */
    for (int i = 0; i < 4; i++)
        x *= 2u - p0 * x;
    return 0u - x;
}

/* r = a b R^-1 mod p with R = 2^(32 n), a, b < p, p odd and n limbs long
 * (n < LIMBS): Montgomery multiplication, coarsely integrated operand
 * scanning. */
static void mont_mul(bn *r, const bn *a, const bn *b, const bn *p, size_t n, uint32_t pinv)
{
    uint32_t t[LIMBS + 1];
    memset(t, 0, sizeof(t));
    for (size_t i = 0; i < n; i++) {
        uint64_t c = 0, s;
        for (size_t j = 0; j < n; j++) {
            s = (uint64_t)a->v[j] * b->v[i] + t[j] + c;
            t[j] = (uint32_t)s;
            c = s >> 32;
        }
        s = (uint64_t)t[n] + c;
        t[n] = (uint32_t)s;
        t[n + 1] = (uint32_t)(s >> 32);
        uint32_t m = t[0] * pinv;
        c = ((uint64_t)m * p->v[0] + t[0]) >> 32;
        for (size_t j = 1; j < n; j++) {
            s = (uint64_t)m * p->v[j] + t[j] + c;
            t[j - 1] = (uint32_t)s;
            c = s >> 32;
        }
        s = (uint64_t)t[n] + c;
        t[n - 1] = (uint32_t)s;
        t[n] = t[n + 1] + (uint32_t)(s >> 32);
        t[n + 1] = 0;
    }
    bn res; /* t < 2p */
    memset(&res, 0, sizeof(res));
    memcpy(res.v, t, (n + 1) * sizeof(uint32_t));
    if (bn_cmp(&res, p) >= 0)
        bn_sub(&res, &res, p);
    *r = res;
}

bool tsvc__crypto_ec_point_valid(tsvc_key_type type, const uint8_t *point, size_t len)
{
    const curve *c = NULL;
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (curves[i].type == type)
            c = &curves[i];
    if (c == NULL || point == NULL || len != 1 + 2 * c->len || point[0] != 0x04)
        return false;
    bn p, b, x, y, lhs, rhs, t;
    bn_from_hex(&p, c->p_hex);
    bn_from_hex(&b, c->b_hex);
    bn_from_be(&x, point + 1, c->len);
    bn_from_be(&y, point + 1 + c->len, c->len);
    if (bn_cmp(&x, &p) >= 0 || bn_cmp(&y, &p) >= 0)
        return false;
    /* y^2 = x^3 - 3x + b, both sides multiplied by R^-2 (R invertible
     * mod p), so that Montgomery products of plain values can be compared:
     * y^2 R^-2 = x^3 R^-2 - (3x - b) R^-2. */
    size_t n = (c->len + 3) / 4;
    uint32_t pinv = mont_pinv(&p);
    bn one;
    memset(&one, 0, sizeof(one));
    one.v[0] = 1;
    mont_mul(&t, &y, &y, &p, n, pinv);
    mont_mul(&lhs, &t, &one, &p, n, pinv);
    mont_mul(&t, &x, &x, &p, n, pinv);
    mont_mul(&rhs, &t, &x, &p, n, pinv);
    bn u;
    mod_add(&u, &x, &x, &p);
    mod_add(&u, &u, &x, &p);
    mod_sub(&u, &u, &b, &p);
    mont_mul(&t, &u, &one, &p, n, pinv);
    mont_mul(&u, &t, &one, &p, n, pinv);
    mod_sub(&rhs, &rhs, &u, &p);
    return bn_cmp(&lhs, &rhs) == 0;
}
