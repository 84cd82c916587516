/*
 * SPDX-License-Identifier: Apache-2.0
 * PKCS#11 keys: finding the private key a URI names, reading its public
 * half and its assurance attributes from the token, signing with
 * CKM_ECDSA (hash in, raw r||s out), CKM_RSA_PKCS (with the DigestInfo we
 * build), CKM_RSA_PKCS_PSS (with parameters) and CKM_EDDSA (the whole
 * message), key generation inside the token, and the certificate stored
 * beside a key. The private key never leaves the token.
 *
 * Thread safety: a key may sign from several threads at once; each
 * signature takes its own session from the token's pool.
 */
#include <string.h>

#include "backends/backend_util.h"
#include "crypto/crypto.h"
#include "der/der.h"
#include "p11.h"
#include "trustsvc/sys/backend.h"
#include "trustsvc/x509.h"

typedef struct p11_key {
    tsvc_pkcs11_module *mod; /* a reference */
    tsvc__p11_token *tok;
    CK_OBJECT_HANDLE obj;
    unsigned gen;
    tsvc_key_type type;
    uint8_t *id;
    size_t id_len;
    char *label;
    bool always_auth;
    uint8_t *a, *b; /* RSA n and e; EC point; Ed25519 public key */
    size_t a_len, b_len;
} p11_key;

static const tsvc_ctx *kctx(const p11_key *k)
{
    return k->mod->ctx;
}

static void p11_key_release(p11_key *k)
{
    if (k == NULL)
        return;
    const tsvc_ctx *ctx = kctx(k);
    tsvc_pkcs11_module *mod = k->mod;
    tsvc__free(ctx, k->id);
    tsvc__free(ctx, k->label);
    tsvc__free(ctx, k->a);
    tsvc__free(ctx, k->b);
    tsvc__free(ctx, k);
    tsvc_pkcs11_module_free(mod);
}

/* ------------------------------------------------------------------ */
/* Attributes                                                           */
/* ------------------------------------------------------------------ */

/* Reads one attribute into a fresh allocation; TSVC_ERR_NOT_FOUND when absent. */
static tsvc_status get_attr(const tsvc__p11_token *tok, CK_SESSION_HANDLE s,
                            CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type, uint8_t **out,
                            size_t *len)
{
    *out = NULL;
    *len = 0;
    CK_ATTRIBUTE a = {type, NULL, 0};
    CK_RV rv = tok->mod->fl->C_GetAttributeValue(s, obj, &a, 1);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE ||
        a.ulValueLen == (CK_ULONG)-1)
        return TSVC_ERR_NOT_FOUND;
    if (rv != CKR_OK)
        return tsvc__p11_status(rv);
    if (a.ulValueLen > 1u << 20)
        return TSVC_ERR_PKCS11_DEVICE;
    uint8_t *buf = tsvc__alloc(tok->mod->ctx, a.ulValueLen + 1);
    if (buf == NULL)
        return TSVC_ERR_NOMEM;
    a.pValue = buf;
    rv = tok->mod->fl->C_GetAttributeValue(s, obj, &a, 1);
    if (rv != CKR_OK) {
        tsvc__free(tok->mod->ctx, buf);
        return tsvc__p11_status(rv);
    }
    buf[a.ulValueLen] = 0;
    *out = buf;
    *len = a.ulValueLen;
    return TSVC_OK;
}

static bool get_bool(const tsvc__p11_token *tok, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj,
                     CK_ATTRIBUTE_TYPE type, bool dflt)
{
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE a = {type, &v, sizeof(v)};
    if (tok->mod->fl->C_GetAttributeValue(s, obj, &a, 1) != CKR_OK)
        return dflt;
    return v != CK_FALSE;
}

static bool get_ulong(const tsvc__p11_token *tok, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj,
                      CK_ATTRIBUTE_TYPE type, CK_ULONG *out)
{
    CK_ATTRIBUTE a = {type, out, sizeof(*out)};
    return tok->mod->fl->C_GetAttributeValue(s, obj, &a, 1) == CKR_OK;
}

/* Finds objects of @p cls with the label and id given (either may be
 * absent); *count is 0, 1 or 2 (2 meaning "several"). */
static tsvc_status find(const tsvc__p11_token *tok, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
                        const char *label, const uint8_t *id, size_t id_len, bool has_id,
                        CK_OBJECT_HANDLE *obj, CK_ULONG *count)
{
    CK_ATTRIBUTE t[3];
    CK_ULONG n = 0;
    t[n++] = (CK_ATTRIBUTE){CKA_CLASS, &cls, sizeof(cls)};
    if (label != NULL)
        t[n++] = (CK_ATTRIBUTE){CKA_LABEL, (void *)(uintptr_t)label, strlen(label)};
    if (has_id)
        t[n++] = (CK_ATTRIBUTE){CKA_ID, (void *)(uintptr_t)id, id_len};
    CK_FUNCTION_LIST *fl = tok->mod->fl;
    *count = 0;
    CK_RV rv = fl->C_FindObjectsInit(s, t, n);
    if (rv != CKR_OK)
        return tsvc__p11_status(rv);
    CK_OBJECT_HANDLE objs[2];
    rv = fl->C_FindObjects(s, objs, 2, count);
    (void)fl->C_FindObjectsFinal(s);
    if (rv != CKR_OK)
        return tsvc__p11_status(rv);
    if (*count > 0)
        *obj = objs[0];
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Public keys                                                          */
/* ------------------------------------------------------------------ */

static const uint8_t oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_p521[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t name_ed25519[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd',
                                       's', '2', '5', '5', '1', '9'};

static tsvc_key_type curve_of(const uint8_t *p, size_t n)
{
#define IS(x) (n == sizeof(x) && memcmp(p, x, n) == 0)
    if (IS(oid_p256))
        return TSVC_KEY_ECDSA_P256;
    if (IS(oid_p384))
        return TSVC_KEY_ECDSA_P384;
    if (IS(oid_p521))
        return TSVC_KEY_ECDSA_P521;
    if (IS(oid_ed25519) || IS(name_ed25519))
        return TSVC_KEY_ED25519;
#undef IS
    return TSVC_KEY_NONE;
}

static size_t point_len(tsvc_key_type t)
{
    switch (t) {
    case TSVC_KEY_ECDSA_P256: return 65;
    case TSVC_KEY_ECDSA_P384: return 97;
    case TSVC_KEY_ECDSA_P521: return 133;
    case TSVC_KEY_ED25519: return 32;
    default: return 0;
    }
}

static size_t coord_len(tsvc_key_type t)
{
    return tsvc__backend_ec_coord_len(t);
}

/* CKA_EC_POINT is a DER OCTET STRING; some tokens give the raw point. */
static tsvc_status take_point(p11_key *k, uint8_t *v, size_t n)
{
    size_t want = point_len(k->type);
    tsvc__cbs c, os;
    tsvc__cbs_init(&c, v, n);
    const uint8_t *p = v;
    size_t pl = n;
    if (n != want && tsvc__der_get_octet_string(&c, &os, NULL) == TSVC_OK && c.len == 0) {
        p = os.data;
        pl = os.len;
    }
    if (pl != want) {
        tsvc__free(kctx(k), v);
        return TSVC_ERR_KEY_FORMAT;
    }
    memmove(v, p, pl);
    k->a = v;
    k->a_len = pl;
    return TSVC_OK;
}

/* Takes the public parts out of a SubjectPublicKeyInfo. */
static tsvc_status take_spki(p11_key *k, const uint8_t *spki, size_t len)
{
    tsvc_pubkey *pub = NULL;
    tsvc_status st = tsvc__pubkey_from_spki(kctx(k), spki, len, &pub, NULL);
    if (st != TSVC_OK)
        return st;
    if (tsvc__pubkey_type(pub) != k->type) {
        tsvc_pubkey_free(pub);
        return TSVC_ERR_KEY_MISMATCH;
    }
    size_t bl;
    const uint8_t *bits = tsvc__pubkey_bits(pub, &bl);
    if (k->type == TSVC_KEY_RSA) {
        tsvc__cbs c, seq, n, e;
        tsvc__cbs_init(&c, bits, bl);
        if (tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK ||
            tsvc__der_get_unsigned(&seq, &n, NULL) != TSVC_OK ||
            tsvc__der_get_unsigned(&seq, &e, NULL) != TSVC_OK) {
            tsvc_pubkey_free(pub);
            return TSVC_ERR_KEY_FORMAT;
        }
        k->a = tsvc__memdup(kctx(k), n.data, n.len);
        k->b = tsvc__memdup(kctx(k), e.data, e.len);
        k->a_len = n.len;
        k->b_len = e.len;
    } else {
        k->a = tsvc__memdup(kctx(k), bits, bl);
        k->a_len = bl;
    }
    tsvc_pubkey_free(pub);
    return k->a == NULL || (k->type == TSVC_KEY_RSA && k->b == NULL) ? TSVC_ERR_NOMEM : TSVC_OK;
}

/* Reads the public half: from the private object (RSA), the public-key
 * object, CKA_PUBLIC_KEY_INFO, or the certificate with the same id. */
static tsvc_status read_public(p11_key *k, CK_SESSION_HANDLE s, const uint8_t *params,
                               size_t params_len)
{
    tsvc__p11_token *tok = k->tok;
    uint8_t *v = NULL;
    size_t n = 0;
    tsvc_status st;
    CK_OBJECT_HANDLE pub;
    CK_ULONG count = 0;
    (void)params;
    (void)params_len;
    if (k->type == TSVC_KEY_RSA) {
        uint8_t *e = NULL;
        size_t el = 0;
        if (get_attr(tok, s, k->obj, CKA_MODULUS, &v, &n) == TSVC_OK &&
            get_attr(tok, s, k->obj, CKA_PUBLIC_EXPONENT, &e, &el) == TSVC_OK) {
            k->a = v, k->a_len = n, k->b = e, k->b_len = el;
            return TSVC_OK;
        }
        tsvc__free(kctx(k), v);
        v = NULL;
    }
    st = find(tok, s, CKO_PUBLIC_KEY, NULL, k->id, k->id_len, true, &pub, &count);
    if (st == TSVC_OK && count == 1) {
        if (k->type == TSVC_KEY_RSA) {
            uint8_t *e = NULL;
            size_t el = 0;
            if (get_attr(tok, s, pub, CKA_MODULUS, &v, &n) == TSVC_OK &&
                get_attr(tok, s, pub, CKA_PUBLIC_EXPONENT, &e, &el) == TSVC_OK) {
                k->a = v, k->a_len = n, k->b = e, k->b_len = el;
                return TSVC_OK;
            }
            tsvc__free(kctx(k), v);
            v = NULL;
        } else if (get_attr(tok, s, pub, CKA_EC_POINT, &v, &n) == TSVC_OK) {
            return take_point(k, v, n);
        }
    }
#ifdef CKA_PUBLIC_KEY_INFO
    if (get_attr(tok, s, k->obj, CKA_PUBLIC_KEY_INFO, &v, &n) == TSVC_OK && n > 0) {
        st = take_spki(k, v, n);
        tsvc__free(kctx(k), v);
        if (st == TSVC_OK)
            return st;
        v = NULL;
    } else {
        tsvc__free(kctx(k), v);
        v = NULL;
    }
#endif
    st = find(tok, s, CKO_CERTIFICATE, NULL, k->id, k->id_len, true, &pub, &count);
    if (st == TSVC_OK && count >= 1 && get_attr(tok, s, pub, CKA_VALUE, &v, &n) == TSVC_OK) {
        tsvc_cert *cert = NULL;
        st = tsvc_cert_parse(kctx(k), &cert, v, n, NULL);
        tsvc__free(kctx(k), v);
        if (st != TSVC_OK)
            return TSVC_ERR_KEY_FORMAT;
        size_t sl;
        const uint8_t *spki = tsvc_cert_spki(cert, &sl);
        st = take_spki(k, spki, sl);
        tsvc_cert_free(cert);
        return st;
    }
    return TSVC_ERR_NOT_FOUND;
}

/* ------------------------------------------------------------------ */
/* Opening                                                              */
/* ------------------------------------------------------------------ */

static tsvc_status open_err(tsvc_status st, const tsvc__p11_token *tok, const char *what,
                            tsvc_error **err)
{
    return tsvc__err(err, st, "pkcs11.key", -1, "token \"%s\": %s (%s)", tok->label, what,
                     tsvc_status_str(st));
}

/* Opens the private key on @p tok matching label / id (login done). */
static tsvc_status open_on_token(tsvc_pkcs11_module *mod, tsvc__p11_token *tok,
                                 const char *label, const uint8_t *id, size_t id_len,
                                 bool has_id, tsvc_key **out, tsvc_error **err)
{
    const tsvc_ctx *ctx = mod->ctx;
    CK_SESSION_HANDLE s;
    tsvc_status st = tsvc__p11_session_get(tok, &s);
    if (st != TSVC_OK)
        return open_err(st, tok, "cannot open a session", err);
    CK_OBJECT_HANDLE obj = 0;
    CK_ULONG count = 0;
    st = find(tok, s, CKO_PRIVATE_KEY, label, id, id_len, has_id, &obj, &count);
    if (st != TSVC_OK) {
        tsvc__p11_session_put(tok, s, false);
        return open_err(st, tok, "C_FindObjects failed", err);
    }
    if (count == 0) {
        tsvc__p11_session_put(tok, s, false);
        return tsvc__err(err, TSVC_ERR_PKCS11_OBJECT_NOT_FOUND, "pkcs11.key.find", -1,
                         "no private key%s%s%s on token \"%s\" matches the URI",
                         label != NULL ? " \"" : "", label != NULL ? label : "",
                         label != NULL ? "\"" : "", tok->label);
    }
    if (count > 1) {
        tsvc__p11_session_put(tok, s, false);
        return tsvc__err(err, TSVC_ERR_PKCS11_AMBIGUOUS, "pkcs11.key.find", -1,
                         "several private keys on token \"%s\" match the URI; add object= or "
                         "id=",
                         tok->label);
    }
    p11_key *k = tsvc__calloc(ctx, 1, sizeof(*k));
    if (k == NULL) {
        tsvc__p11_session_put(tok, s, false);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    k->mod = tsvc_pkcs11_module_ref(mod);
    k->tok = tok;
    k->obj = obj;
    k->gen = mod->gen;
    CK_ULONG kt = 0;
    uint8_t *params = NULL, *lab = NULL;
    size_t params_len = 0, lab_len = 0;
    tsvc__key_hsm_info info;
    memset(&info, 0, sizeof(info));
    (void)get_attr(tok, s, obj, CKA_ID, &k->id, &k->id_len);
    if (get_attr(tok, s, obj, CKA_LABEL, &lab, &lab_len) == TSVC_OK)
        k->label = (char *)lab;
    if (!get_ulong(tok, s, obj, CKA_KEY_TYPE, &kt)) {
        st = open_err(TSVC_ERR_PKCS11_DEVICE, tok, "cannot read CKA_KEY_TYPE", err);
        goto fail;
    }
    if (kt == CKK_RSA) {
        k->type = TSVC_KEY_RSA;
    } else if (kt == CKK_EC || kt == CKK_EC_EDWARDS) {
        if (get_attr(tok, s, obj, CKA_EC_PARAMS, &params, &params_len) != TSVC_OK) {
            /* Some tokens keep the curve only on the public key. */
            CK_OBJECT_HANDLE pub;
            CK_ULONG c2 = 0;
            if (find(tok, s, CKO_PUBLIC_KEY, NULL, k->id, k->id_len, true, &pub, &c2) ==
                    TSVC_OK &&
                c2 == 1)
                (void)get_attr(tok, s, pub, CKA_EC_PARAMS, &params, &params_len);
        }
        k->type = params != NULL ? curve_of(params, params_len) : TSVC_KEY_NONE;
        if (k->type == TSVC_KEY_NONE || (kt == CKK_EC) == (k->type == TSVC_KEY_ED25519)) {
            st = tsvc__err(err, TSVC_ERR_ALGORITHM, "pkcs11.key.curve", -1,
                           "the key's curve is not one the library signs with");
            goto fail;
        }
    } else {
        st = tsvc__err(err, TSVC_ERR_ALGORITHM, "pkcs11.key.type", -1,
                       "the key's type (CKK 0x%lx) is not one the library signs with",
                       (unsigned long)kt);
        goto fail;
    }
    k->always_auth = get_bool(tok, s, obj, CKA_ALWAYS_AUTHENTICATE, false);
    info.sensitive = get_bool(tok, s, obj, CKA_SENSITIVE, false);
    info.extractable = get_bool(tok, s, obj, CKA_EXTRACTABLE, true);
    info.always_sensitive = get_bool(tok, s, obj, CKA_ALWAYS_SENSITIVE, false);
    info.never_extractable = get_bool(tok, s, obj, CKA_NEVER_EXTRACTABLE, false);
    st = read_public(k, s, params, params_len);
    if (st != TSVC_OK) {
        st = tsvc__err(err, st == TSVC_ERR_NOMEM ? st : TSVC_ERR_PKCS11_OBJECT_NOT_FOUND,
                       "pkcs11.key.public", -1,
                       "the public key of \"%s\" is not on token \"%s\" (no public-key object "
                       "or certificate with the same CKA_ID)",
                       k->label != NULL ? k->label : "", tok->label);
        goto fail;
    }
    tsvc__free(ctx, params);
    params = NULL;
    tsvc__p11_session_put(tok, s, false);
    pthread_mutex_lock(&tok->lock);
    info.manufacturer = tok->manufacturer;
    info.model = tok->model;
    info.serial = tok->serial;
    info.token_label = tok->label;
    info.key_label = k->label;
    info.cert_status = tok->cert_status;
    info.certification = tok->certification;
    /* tsvc__key_wrap copies the strings; the token lock keeps them stable. */
    st = tsvc__key_wrap(ctx, &tsvc__backend_pkcs11, tok, k, k->type, TSVC_STORAGE_HSM, &info,
                        out, err);
    pthread_mutex_unlock(&tok->lock);
    return st;
fail:
    tsvc__free(ctx, params);
    tsvc__p11_session_put(tok, s, false);
    p11_key_release(k);
    return st;
}

tsvc_status tsvc__p11_key_open(tsvc_pkcs11_module *mod, const tsvc__p11_uri *uri,
                               tsvc_key **out, tsvc_error **err)
{
    *out = NULL;
    if (uri->type != NULL && strcmp(uri->type, "private") != 0)
        return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.type", -1,
                         "a signing key is named with type=private, not type=%s", uri->type);
    tsvc__p11_token *tok;
    tsvc_status st = tsvc__p11_token_find(mod, uri, &tok, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc__p11_login(tok, uri, err)) != TSVC_OK)
        return st;
    return open_on_token(mod, tok, uri->object, uri->id, uri->id_len, uri->has_id, out, err);
}

/* ------------------------------------------------------------------ */
/* Backend table                                                        */
/* ------------------------------------------------------------------ */

static CK_MECHANISM_TYPE mech_of(tsvc_sig_scheme scheme)
{
    switch (scheme) {
    case TSVC_SIG_ECDSA: return CKM_ECDSA;
    case TSVC_SIG_RSA_PKCS1: return CKM_RSA_PKCS;
    case TSVC_SIG_RSA_PSS: return CKM_RSA_PKCS_PSS;
    case TSVC_SIG_ED25519: return CKM_EDDSA;
    case TSVC_SIG_NONE: break;
    }
    return CKM_VENDOR_DEFINED;
}

static int p11_supports(void *state, tsvc_crypto_op op, tsvc_key_type type,
                        tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    const tsvc__p11_token *tok = state;
    if (op != TSVC_OP_SIGN || tok == NULL)
        return 0;
    if (scheme == TSVC_SIG_ED25519) {
        if (type != TSVC_KEY_ED25519 || hash != TSVC_HASH_NONE)
            return 0;
    } else if (hash != TSVC_HASH_SHA256 && hash != TSVC_HASH_SHA384 &&
               hash != TSVC_HASH_SHA512) {
        return 0;
    }
    return tsvc__p11_token_has_mech(tok, mech_of(scheme)) ? 1 : 0;
}

static tsvc_status p11_key_export(void *state, void *key, int include_private,
                                  tsvc_key_part_sink sink, void *opaque)
{
    (void)state;
    const p11_key *k = key;
    if (include_private)
        return TSVC_ERR_UNSUPPORTED;
    switch (k->type) {
    case TSVC_KEY_RSA: {
        tsvc_status st = sink(opaque, TSVC_PART_RSA_N, k->a, k->a_len);
        return st != TSVC_OK ? st : sink(opaque, TSVC_PART_RSA_E, k->b, k->b_len);
    }
    case TSVC_KEY_ED25519:
        return sink(opaque, TSVC_PART_ED25519_PUBLIC, k->a, k->a_len);
    default:
        return sink(opaque, TSVC_PART_EC_POINT, k->a, k->a_len);
    }
}

static void p11_key_free(void *state, void *key)
{
    (void)state;
    p11_key_release(key);
}

/* Finds the key object again (after fork, or when its handle went stale). */
static tsvc_status refind(p11_key *k, CK_SESSION_HANDLE s)
{
    CK_OBJECT_HANDLE obj;
    CK_ULONG count = 0;
    tsvc_status st = find(k->tok, s, CKO_PRIVATE_KEY, k->id_len == 0 ? k->label : NULL, k->id,
                          k->id_len, k->id_len > 0, &obj, &count);
    if (st != TSVC_OK)
        return st;
    if (count != 1)
        return count == 0 ? TSVC_ERR_PKCS11_OBJECT_NOT_FOUND : TSVC_ERR_PKCS11_AMBIGUOUS;
    k->obj = obj;
    k->gen = k->mod->gen;
    return TSVC_OK;
}

/* One signature: a pooled session, C_SignInit, an optional context-
 * specific login, C_Sign. Retries once after a lost login, a stale
 * session or object handle, and after fork(). */
static tsvc_status do_sign(p11_key *k, CK_MECHANISM *mech, const uint8_t *data, size_t len,
                           uint8_t *sig, size_t sig_size, size_t *sig_len)
{
    CK_FUNCTION_LIST *fl = k->mod->fl;
    tsvc_status st = TSVC_ERR_PKCS11_DEVICE;
    for (int attempt = 0; attempt < 3; attempt++) {
        CK_SESSION_HANDLE s;
        if ((st = tsvc__p11_session_get(k->tok, &s)) != TSVC_OK)
            return st;
        if (k->gen != k->mod->gen) {
            /* A child after fork(): log in again, find the object again. */
            if ((st = tsvc__p11_login(k->tok, NULL, NULL)) != TSVC_OK ||
                (st = refind(k, s)) != TSVC_OK) {
                tsvc__p11_session_put(k->tok, s, false);
                return st;
            }
        }
        CK_RV rv = fl->C_SignInit(s, mech, k->obj);
        if (rv == CKR_ARGUMENTS_BAD) {
            /* The token refuses the mechanism's parameters (e.g. a PSS MGF1
             * hash that differs from the message hash). */
            tsvc__p11_session_put(k->tok, s, false);
            return TSVC_ERR_PKCS11_MECHANISM;
        }
        if (rv == CKR_OK && k->always_auth) {
            st = tsvc__p11_login_context(k->tok, s);
            if (st != TSVC_OK) {
                /* Closing the session ends the pending signing operation. */
                tsvc__p11_session_put(k->tok, s, true);
                return st;
            }
        }
        if (rv == CKR_OK) {
            CK_ULONG out = (CK_ULONG)sig_size;
            rv = fl->C_Sign(s, (CK_BYTE *)(uintptr_t)data, (CK_ULONG)len, sig, &out);
            if (rv == CKR_OK) {
                tsvc__p11_session_put(k->tok, s, false);
                *sig_len = out;
                return TSVC_OK;
            }
        }
        bool broken = rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED ||
                      rv == CKR_OPERATION_ACTIVE;
        tsvc__p11_session_put(k->tok, s, broken);
        st = tsvc__p11_status(rv);
        if (broken)
            continue;
        if (rv == CKR_USER_NOT_LOGGED_IN) {
            tsvc__p11_logged_out(k->tok);
            if ((st = tsvc__p11_login(k->tok, NULL, NULL)) != TSVC_OK)
                return st;
            continue;
        }
        if (rv == CKR_OBJECT_HANDLE_INVALID || rv == CKR_KEY_HANDLE_INVALID) {
            if ((st = tsvc__p11_session_get(k->tok, &s)) != TSVC_OK)
                return st;
            st = refind(k, s);
            tsvc__p11_session_put(k->tok, s, false);
            if (st != TSVC_OK)
                return st;
            continue;
        }
        return st;
    }
    return st;
}

/* DigestInfo prefixes (RFC 8017 9.2 note 1). */
static const uint8_t di_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t di_sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t di_sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};

static bool pss_hash(tsvc_hash_alg h, CK_MECHANISM_TYPE *mech, CK_RSA_PKCS_MGF_TYPE *mgf)
{
    switch (h) {
    case TSVC_HASH_SHA256:
        *mech = CKM_SHA256, *mgf = CKG_MGF1_SHA256;
        return true;
    case TSVC_HASH_SHA384:
        *mech = CKM_SHA384, *mgf = CKG_MGF1_SHA384;
        return true;
    case TSVC_HASH_SHA512:
        *mech = CKM_SHA512, *mgf = CKG_MGF1_SHA512;
        return true;
    default:
        return false;
    }
}

static tsvc_status p11_sign_hash(void *state, void *key, const tsvc_backend_sig_params *params,
                                 const uint8_t *digest, size_t digest_len, uint8_t *sig,
                                 size_t sig_size, size_t *sig_len)
{
    (void)state;
    p11_key *k = key;
    CK_MECHANISM mech = {mech_of(params->scheme), NULL, 0};
    switch (params->scheme) {
    case TSVC_SIG_ECDSA: {
        tsvc_status st = do_sign(k, &mech, digest, digest_len, sig, sig_size, sig_len);
        if (st == TSVC_OK && *sig_len != 2 * coord_len(k->type))
            return TSVC_ERR_PKCS11_DEVICE;
        return st;
    }
    case TSVC_SIG_RSA_PKCS1: {
        const uint8_t *pre;
        size_t pl;
        if (params->hash == TSVC_HASH_SHA256)
            pre = di_sha256, pl = sizeof(di_sha256);
        else if (params->hash == TSVC_HASH_SHA384)
            pre = di_sha384, pl = sizeof(di_sha384);
        else if (params->hash == TSVC_HASH_SHA512)
            pre = di_sha512, pl = sizeof(di_sha512);
        else
            return TSVC_ERR_UNSUPPORTED;
        uint8_t di[sizeof(di_sha512) + 64];
        if (digest_len != (size_t)pre[pl - 1])
            return TSVC_ERR_INVALID_ARG;
        memcpy(di, pre, pl);
        memcpy(di + pl, digest, digest_len);
        return do_sign(k, &mech, di, pl + digest_len, sig, sig_size, sig_len);
    }
    case TSVC_SIG_RSA_PSS: {
        CK_RSA_PKCS_PSS_PARAMS pp;
        CK_RSA_PKCS_MGF_TYPE mgf_unused;
        if (!pss_hash(params->hash, &pp.hashAlg, &mgf_unused) ||
            !pss_hash(params->mgf1_hash, &mgf_unused, &pp.mgf))
            return TSVC_ERR_UNSUPPORTED;
        pp.sLen = params->salt_len;
        mech.pParameter = &pp;
        mech.ulParameterLen = sizeof(pp);
        return do_sign(k, &mech, digest, digest_len, sig, sig_size, sig_len);
    }
    default:
        return TSVC_ERR_UNSUPPORTED;
    }
}

static tsvc_status p11_sign_message(void *state, void *key,
                                    const tsvc_backend_sig_params *params, const uint8_t *msg,
                                    size_t msg_len, uint8_t *sig, size_t sig_size,
                                    size_t *sig_len)
{
    (void)state;
    if (params->scheme != TSVC_SIG_ED25519)
        return TSVC_ERR_UNSUPPORTED;
    CK_MECHANISM mech = {CKM_EDDSA, NULL, 0};
    return do_sign(key, &mech, msg, msg_len, sig, sig_size, sig_len);
}

const tsvc_backend tsvc__backend_pkcs11 = {
    .version = TSVC_BACKEND_VERSION,
    .struct_size = sizeof(tsvc_backend),
    .name = "pkcs11",
    .supports = p11_supports,
    .key_export = p11_key_export,
    .key_free = p11_key_free,
    .sign_hash = p11_sign_hash,
    .sign_message = p11_sign_message,
};

/* ------------------------------------------------------------------ */
/* Public API                                                           */
/* ------------------------------------------------------------------ */

int tsvc_pkcs11_available(void)
{
    return 1;
}

tsvc_status tsvc_pkcs11_module_load(tsvc_ctx *ctx, tsvc_pkcs11_module **out, const char *path,
                                    tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.module", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.module", -1, "ctx is NULL");
    return tsvc__p11_module_load(ctx, path, out, err);
}

tsvc_status tsvc_pkcs11_key_open(tsvc_pkcs11_module *mod, tsvc_key **out, const char *uri,
                                 tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.key", -1, "out is NULL");
    *out = NULL;
    if (mod == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.key", -1, "module is NULL");
    tsvc__p11_uri u;
    tsvc_status st = tsvc__p11_uri_parse(mod->ctx, uri, &u, err);
    if (st != TSVC_OK)
        return st;
    st = tsvc__p11_key_open(mod, &u, out, err);
    tsvc__p11_uri_clear(mod->ctx, &u);
    return st;
}

tsvc_status tsvc_key_from_uri(tsvc_ctx *ctx, tsvc_key **out, const char *uri, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.key", -1, "out is NULL");
    *out = NULL;
    if (ctx == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.key", -1, "ctx is NULL");
    tsvc__p11_uri u;
    tsvc_status st = tsvc__p11_uri_parse(ctx, uri, &u, err);
    if (st != TSVC_OK)
        return st;
    if (u.module_path == NULL) {
        tsvc__p11_uri_clear(ctx, &u);
        return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.module", -1,
                         "the URI names no module-path; add ?module-path=... or load the "
                         "module with tsvc_pkcs11_module_load()");
    }
    tsvc_pkcs11_module *mod = NULL;
    st = tsvc__p11_module_load(ctx, u.module_path, &mod, err);
    if (st == TSVC_OK)
        st = tsvc__p11_key_open(mod, &u, out, err);
    tsvc__p11_uri_clear(ctx, &u);
    tsvc_pkcs11_module_free(mod); /* the key holds its own reference */
    return st;
}

/* Token lock not held. */
static tsvc_status check_generation_allowed(tsvc__p11_token *tok, tsvc_error **err)
{
    pthread_mutex_lock(&tok->lock);
    tsvc_hsm_certification cs = tok->cert_status;
    pthread_mutex_unlock(&tok->lock);
    if (cs == TSVC_HSM_CERT_HISTORICAL || cs == TSVC_HSM_CERT_REVOKED)
        return tsvc__err(err, TSVC_ERR_PKCS11_TOKEN_STATUS, "pkcs11.keygen.certification", -1,
                         "token \"%s\" has a %s certification: no new keys may be generated "
                         "on it",
                         tok->label, cs == TSVC_HSM_CERT_REVOKED ? "revoked" : "historical");
    return TSVC_OK;
}

tsvc_status tsvc_pkcs11_key_generate(tsvc_pkcs11_module *mod, tsvc_key **out, const char *uri,
                                     tsvc_key_type type, unsigned bits, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.keygen", -1, "out is NULL");
    *out = NULL;
    if (mod == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.keygen", -1, "module is NULL");
    const tsvc_ctx *ctx = mod->ctx;
    CK_MECHANISM mech = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    const uint8_t *params = NULL;
    size_t params_len = 0;
    switch (type) {
    case TSVC_KEY_ECDSA_P256:
        params = oid_p256, params_len = sizeof(oid_p256);
        break;
    case TSVC_KEY_ECDSA_P384:
        params = oid_p384, params_len = sizeof(oid_p384);
        break;
    case TSVC_KEY_ECDSA_P521:
        params = oid_p521, params_len = sizeof(oid_p521);
        break;
    case TSVC_KEY_ED25519:
        mech.mechanism = CKM_EC_EDWARDS_KEY_PAIR_GEN;
        params = oid_ed25519, params_len = sizeof(oid_ed25519);
        break;
    case TSVC_KEY_RSA:
        mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
        if (bits < 2048 || bits > 4096 || bits % 8 != 0)
            return tsvc__err(err, TSVC_ERR_KEY_SIZE, "pkcs11.keygen.size", -1,
                             "RSA keys are generated with 2048 to 4096 bits (multiple of 8), "
                             "not %u",
                             bits);
        break;
    default:
        return tsvc__err(err, TSVC_ERR_ALGORITHM, "pkcs11.keygen.type", -1,
                         "unknown key type %d", (int)type);
    }
    if (type != TSVC_KEY_RSA && bits != 0 && bits != (type == TSVC_KEY_ECDSA_P384   ? 384u
                                                      : type == TSVC_KEY_ECDSA_P521 ? 521u
                                                                                    : 256u))
        return tsvc__err(err, TSVC_ERR_KEY_SIZE, "pkcs11.keygen.size", -1,
                         "this key type has a fixed size; pass 0 bits");
    tsvc__p11_uri u;
    tsvc_status st = tsvc__p11_uri_parse(ctx, uri, &u, err);
    if (st != TSVC_OK)
        return st;
    tsvc__p11_token *tok = NULL;
    CK_SESSION_HANDLE s = 0;
    bool have_session = false;
    uint8_t idbuf[16];
    const uint8_t *id = u.id;
    size_t id_len = u.id_len;
    if (u.object == NULL) {
        st = tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.keygen.label", -1,
                       "the URI must give the new key's label (object=...)");
        goto out;
    }
    if (u.type != NULL && strcmp(u.type, "private") != 0) {
        st = tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.type", -1,
                       "a signing key is named with type=private");
        goto out;
    }
    if ((st = tsvc__p11_token_find(mod, &u, &tok, err)) != TSVC_OK)
        goto out;
    if ((st = check_generation_allowed(tok, err)) != TSVC_OK)
        goto out;
    if (!tsvc__p11_token_has_mech(tok, mech.mechanism)) {
        st = tsvc__err(err, TSVC_ERR_PKCS11_MECHANISM, "pkcs11.keygen.mechanism", -1,
                       "token \"%s\" cannot generate this key type", tok->label);
        goto out;
    }
    if ((st = tsvc__p11_login(tok, &u, err)) != TSVC_OK)
        goto out;
    if ((st = tsvc__p11_session_get(tok, &s)) != TSVC_OK) {
        st = open_err(st, tok, "cannot open a session", err);
        goto out;
    }
    have_session = true;
    CK_OBJECT_HANDLE existing;
    CK_ULONG count = 0;
    if (find(tok, s, CKO_PRIVATE_KEY, u.object, NULL, 0, false, &existing, &count) == TSVC_OK &&
        count == 0 && u.has_id)
        (void)find(tok, s, CKO_PRIVATE_KEY, NULL, u.id, u.id_len, true, &existing, &count);
    if (count != 0) {
        st = tsvc__err(err, TSVC_ERR_PKCS11_AMBIGUOUS, "pkcs11.keygen.exists", -1,
                       "token \"%s\" already has a private key with that label or id",
                       tok->label);
        goto out;
    }
    if (!u.has_id) {
        CK_RV rr = mod->fl->C_GenerateRandom(s, idbuf, sizeof(idbuf));
        if (rr != CKR_OK && tsvc_random((tsvc_ctx *)(uintptr_t)ctx, idbuf, sizeof(idbuf),
                                        NULL) != TSVC_OK) {
            st = open_err(TSVC_ERR_RANDOM, tok, "no random bytes for the key id", err);
            goto out;
        }
        id = idbuf;
        id_len = sizeof(idbuf);
    }
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ULONG mbits = bits;
    CK_BYTE exponent[] = {0x01, 0x00, 0x01};
    CK_ULONG lab_len = strlen(u.object);
    for (int attempt = 0; attempt < 2; attempt++) {
        CK_ATTRIBUTE pub_t[8], priv_t[10];
        CK_ULONG np = 0, nq = 0;
        pub_t[np++] = (CK_ATTRIBUTE){CKA_TOKEN, &yes, sizeof(yes)};
        pub_t[np++] = (CK_ATTRIBUTE){CKA_PRIVATE, &no, sizeof(no)};
        pub_t[np++] = (CK_ATTRIBUTE){CKA_VERIFY, &yes, sizeof(yes)};
        pub_t[np++] = (CK_ATTRIBUTE){CKA_LABEL, u.object, lab_len};
        pub_t[np++] = (CK_ATTRIBUTE){CKA_ID, (void *)(uintptr_t)id, id_len};
        if (type == TSVC_KEY_RSA) {
            pub_t[np++] = (CK_ATTRIBUTE){CKA_MODULUS_BITS, &mbits, sizeof(mbits)};
            pub_t[np++] = (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent)};
        } else {
            pub_t[np++] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)(uintptr_t)params, params_len};
        }
        priv_t[nq++] = (CK_ATTRIBUTE){CKA_TOKEN, &yes, sizeof(yes)};
        priv_t[nq++] = (CK_ATTRIBUTE){CKA_PRIVATE, &yes, sizeof(yes)};
        priv_t[nq++] = (CK_ATTRIBUTE){CKA_SENSITIVE, &yes, sizeof(yes)};
        priv_t[nq++] = (CK_ATTRIBUTE){CKA_EXTRACTABLE, &no, sizeof(no)};
        priv_t[nq++] = (CK_ATTRIBUTE){CKA_SIGN, &yes, sizeof(yes)};
        priv_t[nq++] = (CK_ATTRIBUTE){CKA_LABEL, u.object, lab_len};
        priv_t[nq++] = (CK_ATTRIBUTE){CKA_ID, (void *)(uintptr_t)id, id_len};
        CK_OBJECT_HANDLE hpub, hpriv;
        CK_RV rv = mod->fl->C_GenerateKeyPair(s, &mech, pub_t, np, priv_t, nq, &hpub, &hpriv);
        if (rv == CKR_OK) {
            st = TSVC_OK;
            break;
        }
        if (type == TSVC_KEY_ED25519 && attempt == 0 &&
            (rv == CKR_CURVE_NOT_SUPPORTED || rv == CKR_ATTRIBUTE_VALUE_INVALID ||
             rv == CKR_DOMAIN_PARAMS_INVALID || rv == CKR_TEMPLATE_INCONSISTENT)) {
            /* Older tokens name the curve as a PrintableString. */
            params = name_ed25519, params_len = sizeof(name_ed25519);
            continue;
        }
        char nb[32];
        st = tsvc__err(err, tsvc__p11_status(rv), "pkcs11.keygen", -1,
                       "C_GenerateKeyPair on token \"%s\" failed with %s", tok->label,
                       tsvc__p11_rv_name(rv, nb, sizeof(nb)));
        goto out;
    }
    tsvc__p11_session_put(tok, s, false);
    have_session = false;
    st = open_on_token(mod, tok, u.object, id, id_len, true, out, err);
out:
    if (have_session)
        tsvc__p11_session_put(tok, s, false);
    tsvc__p11_uri_clear(ctx, &u);
    return st;
}

static tsvc_status key_of(const tsvc_key *key, p11_key **out, tsvc_error **err)
{
    *out = tsvc__key_handle(key, &tsvc__backend_pkcs11);
    if (*out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.key", -1,
                         "the key was not opened through PKCS#11");
    return tsvc__p11_module_check_fork((*out)->mod);
}

tsvc_status tsvc_pkcs11_key_certificate(const tsvc_key *key, tsvc_buf *out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.cert", -1, "out is NULL");
    out->data = NULL;
    out->len = 0;
    p11_key *k;
    tsvc_status st = key_of(key, &k, err);
    if (st != TSVC_OK)
        return st;
    CK_SESSION_HANDLE s;
    if ((st = tsvc__p11_session_get(k->tok, &s)) != TSVC_OK)
        return open_err(st, k->tok, "cannot open a session", err);
    CK_OBJECT_HANDLE obj;
    CK_ULONG count = 0;
    uint8_t *v = NULL;
    size_t n = 0;
    st = find(k->tok, s, CKO_CERTIFICATE, NULL, k->id, k->id_len, true, &obj, &count);
    if (st == TSVC_OK && count == 0)
        st = TSVC_ERR_NOT_FOUND;
    if (st == TSVC_OK)
        st = get_attr(k->tok, s, obj, CKA_VALUE, &v, &n);
    tsvc__p11_session_put(k->tok, s, false);
    if (st == TSVC_OK) {
        st = tsvc__buf_set(kctx(k), out, v, n);
        tsvc__free(kctx(k), v);
    }
    if (st == TSVC_ERR_NOT_FOUND)
        return tsvc__err(err, st, "pkcs11.cert", -1,
                         "no certificate with the key's CKA_ID on token \"%s\"", k->tok->label);
    return st == TSVC_OK ? st : open_err(st, k->tok, "cannot read the certificate", err);
}

tsvc_status tsvc_pkcs11_key_store_certificate(const tsvc_key *key, const uint8_t *der,
                                              size_t len, tsvc_error **err)
{
    p11_key *k;
    tsvc_status st = key_of(key, &k, err);
    if (st != TSVC_OK)
        return st;
    if (der == NULL || len == 0)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.cert", -1, "no certificate");
    tsvc_cert *cert = NULL;
    if ((st = tsvc_cert_parse(kctx(k), &cert, der, len, err)) != TSVC_OK)
        return st;
    size_t subj_len, iss_len, ser_len;
    const uint8_t *subj = tsvc_cert_subject_der(cert, &subj_len);
    const uint8_t *iss = tsvc_cert_issuer_der(cert, &iss_len);
    const uint8_t *ser_contents = tsvc_cert_serial(cert, &ser_len);
    /* CKA_SERIAL_NUMBER is the DER INTEGER. */
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, kctx(k));
    tsvc__cbb_add_integer_raw(&cbb, 0, ser_contents, ser_len);
    tsvc_buf serial = TSVC_BUF_INIT;
    if ((st = tsvc__cbb_finish(&cbb, &serial)) != TSVC_OK) {
        tsvc_cert_free(cert);
        return tsvc__err_code(err, st);
    }
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE ct = CKC_X_509;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_CERTIFICATE_TYPE, &ct, sizeof(ct)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_PRIVATE, &no, sizeof(no)},
        {CKA_ID, k->id, k->id_len},
        {CKA_LABEL, k->label != NULL ? k->label : (char *)"", k->label != NULL ? strlen(k->label) : 0},
        {CKA_SUBJECT, (void *)(uintptr_t)subj, subj_len},
        {CKA_ISSUER, (void *)(uintptr_t)iss, iss_len},
        {CKA_SERIAL_NUMBER, serial.data, serial.len},
        {CKA_VALUE, (void *)(uintptr_t)der, len},
    };
    CK_SESSION_HANDLE s;
    if ((st = tsvc__p11_session_get(k->tok, &s)) == TSVC_OK) {
        CK_OBJECT_HANDLE obj;
        CK_RV rv = k->mod->fl->C_CreateObject(s, t, sizeof(t) / sizeof(t[0]), &obj);
        tsvc__p11_session_put(k->tok, s, false);
        if (rv != CKR_OK) {
            char nb[32];
            st = tsvc__err(err, tsvc__p11_status(rv), "pkcs11.cert.store", -1,
                           "C_CreateObject on token \"%s\" failed with %s", k->tok->label,
                           tsvc__p11_rv_name(rv, nb, sizeof(nb)));
        }
    } else {
        st = open_err(st, k->tok, "cannot open a session", err);
    }
    tsvc_buf_dispose(&serial);
    tsvc_cert_free(cert);
    return st;
}

tsvc_status tsvc_pkcs11_key_uri(const tsvc_key *key, tsvc_buf *out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.uri", -1, "out is NULL");
    out->data = NULL;
    out->len = 0;
    p11_key *k = tsvc__key_handle(key, &tsvc__backend_pkcs11);
    if (k == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.uri", -1,
                         "the key was not opened through PKCS#11");
    const tsvc_ctx *ctx = kctx(k);
    const tsvc__p11_token *t = k->tok;
    tsvc_buf b = TSVC_BUF_INIT;
    tsvc_status st = tsvc__buf_set(ctx, &b, "pkcs11:", 8);
    if (st == TSVC_OK) {
        b.len = 7;
        st = tsvc__p11_uri_append(ctx, &b, "token=", (const uint8_t *)t->label,
                                  strlen(t->label));
    }
    if (st == TSVC_OK)
        st = tsvc__p11_uri_append(ctx, &b, ";manufacturer=", (const uint8_t *)t->manufacturer,
                                  strlen(t->manufacturer));
    if (st == TSVC_OK)
        st = tsvc__p11_uri_append(ctx, &b, ";model=", (const uint8_t *)t->model,
                                  strlen(t->model));
    if (st == TSVC_OK)
        st = tsvc__p11_uri_append(ctx, &b, ";serial=", (const uint8_t *)t->serial,
                                  strlen(t->serial));
    if (st == TSVC_OK && k->label != NULL)
        st = tsvc__p11_uri_append(ctx, &b, ";object=", (const uint8_t *)k->label,
                                  strlen(k->label));
    if (st == TSVC_OK && k->id_len > 0) {
        /* RFC 7512: id is always percent-encoded byte by byte. */
        static const char hexd[] = "0123456789ABCDEF";
        char enc[3 * 64 + 1];
        size_t n = k->id_len > 64 ? 64 : k->id_len, e = 0;
        for (size_t i = 0; i < n; i++) {
            enc[e++] = '%';
            enc[e++] = hexd[k->id[i] >> 4];
            enc[e++] = hexd[k->id[i] & 15];
        }
        enc[e] = '\0';
        st = tsvc__p11_uri_append(ctx, &b, ";id=", NULL, 0);
        if (st == TSVC_OK)
            st = tsvc__p11_uri_append(ctx, &b, enc, NULL, 0);
    }
    if (st == TSVC_OK)
        st = tsvc__p11_uri_append(ctx, &b, ";type=private", NULL, 0);
    if (st != TSVC_OK) {
        tsvc_buf_dispose(&b);
        return tsvc__err_code(err, st);
    }
    *out = b;
    return TSVC_OK;
}
