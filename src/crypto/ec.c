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

/* r = a * b mod p, with a, b < p < 2^544: schoolbook product, then a
 * bit-serial reduction. */
static void mod_mul(bn *r, const bn *a, const bn *b, const bn *p)
{
    uint32_t prod[2 * LIMBS];
    memset(prod, 0, sizeof(prod));
    for (size_t i = 0; i < LIMBS; i++) {
        uint64_t carry = 0;
        for (size_t j = 0; j < LIMBS; j++) {
            uint64_t t = (uint64_t)a->v[i] * b->v[j] + prod[i + j] + carry;
            prod[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        prod[i + LIMBS] = (uint32_t)carry;
    }
    bn acc;
    memset(&acc, 0, sizeof(acc));
    for (size_t bit = 2 * LIMBS * 32; bit-- > 0;) {
        /* acc = 2 * acc + bit; acc < p keeps the top limb free. */
        uint32_t carry = (prod[bit / 32] >> (bit % 32)) & 1u;
        for (size_t i = 0; i < LIMBS; i++) {
            uint32_t next = acc.v[i] >> 31;
            acc.v[i] = (acc.v[i] << 1) | carry;
            carry = next;
        }
        if (bn_cmp(&acc, p) >= 0)
            bn_sub(&acc, &acc, p);
    }
    *r = acc;
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
    mod_mul(&lhs, &y, &y, &p);
    mod_mul(&t, &x, &x, &p);
    mod_mul(&rhs, &t, &x, &p);
    mod_sub(&rhs, &rhs, &x, &p);
    mod_sub(&rhs, &rhs, &x, &p);
    mod_sub(&rhs, &rhs, &x, &p);
    mod_add(&rhs, &rhs, &b, &p);
    return bn_cmp(&lhs, &rhs) == 0;
}
