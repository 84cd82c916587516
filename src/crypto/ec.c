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

/*
 * A curve's constants as little-endian 32-bit limbs, for its n limbs
 * (R = 2^(32 n) is the Montgomery radix): the field prime p, and the two
 * constants of the check below, 3 R^-1 mod p and b R^-2 mod p (b from
 * FIPS 186-4, D.1.2), worked out once so that a check parses nothing. The
 * unit test curve_points checks them: each curve's generator is on it and
 * its neighbour is not.
 */
typedef struct curve {
    tsvc_key_type type;
    size_t len; /* field size in bytes */
    size_t n;   /* limbs: (len + 3) / 4 */
    bn p;
    bn three_r1; /* 3 R^-1 mod p */
    bn b_r2;     /* b R^-2 mod p */
} curve;

static const curve curves[] = {
    {TSVC_KEY_ECDSA_P256, 32, 8,
     {{0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001,
       0xffffffff}},
     {{0x00000002, 0x00000009, 0xfffffffa, 0x00000003, 0x00000006, 0xfffffff7, 0x00000009,
       0xfffffffc}},
     {{0x4584a137, 0xe59be0a6, 0x9ca065a7, 0xfc3521eb, 0xa0f45303, 0x7c178684, 0xd948431a,
       0x3081dc38}}},
    {TSVC_KEY_ECDSA_P384, 48, 12,
     {{0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xfffffffe, 0xffffffff, 0xffffffff,
       0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}},
     {{0x00000012, 0xffffffa3, 0xffffff8a, 0xffffffc3, 0xfffffff9, 0xfffffff3, 0xfffffff0,
       0xfffffff6, 0x00000008, 0x00000024, 0x0000003c, 0x0000003c}},
     {{0x4a4651db, 0x915a902a, 0x919d89c2, 0x2c9f09fa, 0x80408afd, 0xfc7a73ca, 0x2ed86bff,
       0x9e15936d, 0xabbab844, 0xbefd4246, 0x8f62a21c, 0xf7cd02a7}}},
    {TSVC_KEY_ECDSA_P521, 66, 17,
     {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
       0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
       0xffffffff, 0xffffffff, 0x000001ff}},
     {{0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
       0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
       0x00000000, 0x000c0000, 0x00000000}},
     {{0xd3c7bd14, 0x7e20f4b0, 0xfc1cd5cf, 0x02f4eec6, 0x4dec594b, 0xe547b1fa, 0x27855864,
       0x26463bc4, 0x57cee2d2, 0xc96e66cc, 0x03ba8b69, 0x8682da15, 0x687e4a68, 0xe5863872,
       0x014654fa, 0xa35a81f8, 0x000000fe}}},
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

/* The helpers below work on the low @p m limbs (m <= LIMBS); the others
 * are left as they are. */
static int bn_cmp(const bn *a, const bn *b, size_t m)
{
    for (size_t i = m; i-- > 0;) {
        if (a->v[i] != b->v[i])
            return a->v[i] < b->v[i] ? -1 : 1;
    }
    return 0;
}

static void bn_sub(bn *r, const bn *a, const bn *b, size_t m)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < m; i++) {
        uint64_t d = (uint64_t)a->v[i] - b->v[i] - borrow;
        r->v[i] = (uint32_t)d;
        borrow = (d >> 63) & 1;
    }
}

static void bn_add(bn *r, const bn *a, const bn *b, size_t m)
{
    uint64_t carry = 0;
    for (size_t i = 0; i < m; i++) {
        uint64_t s = (uint64_t)a->v[i] + b->v[i] + carry;
        r->v[i] = (uint32_t)s;
        carry = s >> 32;
    }
}

/* r = (a + b) mod p, with a, b < p of m - 1 limbs (the last one takes the
 * carry). */
static void mod_add(bn *r, const bn *a, const bn *b, const bn *p, size_t m)
{
    bn_add(r, a, b, m);
    if (bn_cmp(r, p, m) >= 0)
        bn_sub(r, r, p, m);
}

/* r = (a - b) mod p, with a, b < p of m - 1 limbs. */
static void mod_sub(bn *r, const bn *a, const bn *b, const bn *p, size_t m)
{
    if (bn_cmp(a, b, m) >= 0) {
        bn_sub(r, a, b, m);
    } else {
        bn_add(r, a, p, m);
        bn_sub(r, r, b, m);
    }
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
    if (bn_cmp(&res, p, n + 1) >= 0)
        bn_sub(&res, &res, p, n + 1);
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
    const bn *p = &c->p;
    bn x, y, lhs, rhs, t, one;
    bn_from_be(&x, point + 1, c->len);
    bn_from_be(&y, point + 1 + c->len, c->len);
    if (bn_cmp(&x, p, LIMBS) >= 0 || bn_cmp(&y, p, LIMBS) >= 0)
        return false;
    /* y^2 = x^3 - 3x + b, both sides multiplied by R^-2 (R invertible
     * mod p), so that Montgomery products of plain values compare:
     * y^2 R^-2 = x ((x^2 - 3) R^-1) R^-1 + b R^-2. */
    size_t n = c->n;
    uint32_t pinv = mont_pinv(p);
    memset(&one, 0, sizeof(one));
    one.v[0] = 1;
    mont_mul(&t, &y, &y, p, n, pinv);   /* y^2 R^-1 */
    mont_mul(&lhs, &t, &one, p, n, pinv); /* y^2 R^-2 */
    mont_mul(&t, &x, &x, p, n, pinv);   /* x^2 R^-1 */
    mod_sub(&t, &t, &c->three_r1, p, n + 1); /* (x^2 - 3) R^-1 */
    mont_mul(&rhs, &t, &x, p, n, pinv); /* (x^3 - 3x) R^-2 */
    mod_add(&rhs, &rhs, &c->b_r2, p, n + 1); /* (x^3 - 3x + b) R^-2 */
    return bn_cmp(&lhs, &rhs, n + 1) == 0;
}
