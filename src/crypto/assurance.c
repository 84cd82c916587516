/*
 * SPDX-License-Identifier: Apache-2.0
 * Key assurance and signature activation: the activation callback that
 * guards every private-key operation, the evidence object returned with a
 * signature, the key-information record of HSM keys, and the check of a
 * key against a policy's requirements.
 *
 * Thread safety: an activation request lives on the stack of the thread
 * that signs; evidence objects are immutable once built.
 */
#include <stdio.h>
#include <string.h>

#include "crypto_int.h"

/** Longest evidence text kept from an activation callback. */
#define EVIDENCE_MAX 1024

struct tsvc__key_assurance {
    char *manufacturer, *model, *serial, *token_label, *key_label, *certification;
    bool sensitive, extractable, always_sensitive, never_extractable;
    tsvc_hsm_certification cert_status;
};

struct tsvc_activation_request {
    const tsvc_key *key;
    const uint8_t *digest;
    size_t digest_len;
    tsvc_hash_alg hash;
    tsvc_sig_scheme scheme;
    const uint8_t *msg;
    size_t msg_len;
    const char *label;
    char *evidence; /* allocated with the key's context */
    tsvc_status error;
};

struct tsvc_sign_evidence {
    const tsvc_ctx *ctx;
    int64_t time;
    char *label;
    bool activated;
    char *activation;
    tsvc_sig_scheme scheme;
    tsvc_hash_alg hash;
    tsvc_key_type type;
    unsigned bits;
    const char *backend; /* static name from the backend's table */
    tsvc_key_storage storage;
    bool has_activation;
    struct tsvc__key_assurance *assurance; /* own copy, may be NULL */
};

/* ------------------------------------------------------------------ */
/* Assurance records                                                    */
/* ------------------------------------------------------------------ */

static void free_str(const tsvc_ctx *ctx, char *s)
{
    if (s != NULL)
        tsvc__free(ctx, s);
}

void tsvc__assurance_free(const tsvc_ctx *ctx, struct tsvc__key_assurance *a)
{
    if (a == NULL)
        return;
    free_str(ctx, a->manufacturer);
    free_str(ctx, a->model);
    free_str(ctx, a->serial);
    free_str(ctx, a->token_label);
    free_str(ctx, a->key_label);
    free_str(ctx, a->certification);
    tsvc__free(ctx, a);
}

static bool dup_opt(const tsvc_ctx *ctx, const char *in, char **out)
{
    *out = NULL;
    if (in == NULL)
        return true;
    *out = tsvc__strdup(ctx, in);
    return *out != NULL;
}

tsvc_status tsvc__assurance_new(const tsvc_ctx *ctx, const tsvc__key_hsm_info *info,
                                struct tsvc__key_assurance **out)
{
    *out = NULL;
    struct tsvc__key_assurance *a = tsvc__calloc(ctx, 1, sizeof(*a));
    if (a == NULL)
        return TSVC_ERR_NOMEM;
    bool ok = dup_opt(ctx, info->manufacturer, &a->manufacturer) &&
              dup_opt(ctx, info->model, &a->model) && dup_opt(ctx, info->serial, &a->serial) &&
              dup_opt(ctx, info->token_label, &a->token_label) &&
              dup_opt(ctx, info->key_label, &a->key_label) &&
              dup_opt(ctx, info->certification, &a->certification);
    if (!ok) {
        tsvc__assurance_free(ctx, a);
        return TSVC_ERR_NOMEM;
    }
    a->sensitive = info->sensitive;
    a->extractable = info->extractable;
    a->always_sensitive = info->always_sensitive;
    a->never_extractable = info->never_extractable;
    a->cert_status = info->cert_status;
    *out = a;
    return TSVC_OK;
}

static tsvc_status assurance_copy(const tsvc_ctx *ctx, const struct tsvc__key_assurance *a,
                                  struct tsvc__key_assurance **out)
{
    *out = NULL;
    if (a == NULL)
        return TSVC_OK;
    tsvc__key_hsm_info i = {a->manufacturer, a->model,          a->serial,
                            a->token_label,  a->key_label,      a->sensitive,
                            a->extractable,  a->always_sensitive, a->never_extractable,
                            a->cert_status,  a->certification};
    return tsvc__assurance_new(ctx, &i, out);
}

/* Fills @p info (version 1 or 2) from the facts of a key. */
static tsvc_status fill_info(tsvc_key_info *info, tsvc_key_type type, unsigned bits,
                             const char *backend, tsvc_key_storage storage,
                             const struct tsvc__key_assurance *a, bool has_activation)
{
    if (info->version != 1 && info->version != 2)
        return TSVC_ERR_BAD_VERSION;
    info->type = type;
    info->bits = bits;
    info->backend = backend;
    info->storage = storage;
    if (info->version < 2)
        return TSVC_OK;
    info->token_manufacturer = a != NULL ? a->manufacturer : NULL;
    info->token_model = a != NULL ? a->model : NULL;
    info->token_serial = a != NULL ? a->serial : NULL;
    info->token_label = a != NULL ? a->token_label : NULL;
    info->key_label = a != NULL ? a->key_label : NULL;
    info->sensitive = a != NULL && a->sensitive;
    info->extractable = a == NULL || a->extractable;
    info->always_sensitive = a != NULL && a->always_sensitive;
    info->never_extractable = a != NULL && a->never_extractable;
    info->certification_status = a != NULL ? a->cert_status : TSVC_HSM_CERT_NONE;
    info->certification = a != NULL ? a->certification : NULL;
    info->has_activation = has_activation;
    return TSVC_OK;
}

tsvc_status tsvc_key_get_info(const tsvc_key *key, tsvc_key_info *info)
{
    if (key == NULL || info == NULL)
        return TSVC_ERR_INVALID_ARG;
    return fill_info(info, key->type, key->bits, key->ops->name, key->storage, key->assurance,
                     key->activation != NULL);
}

/* ------------------------------------------------------------------ */
/* Activation                                                           */
/* ------------------------------------------------------------------ */

tsvc_status tsvc_key_set_activation(tsvc_key *key, tsvc_activation_fn fn, void *opaque)
{
    if (key == NULL)
        return TSVC_ERR_INVALID_ARG;
    key->activation = fn;
    key->activation_opaque = fn != NULL ? opaque : NULL;
    return TSVC_OK;
}

const uint8_t *tsvc_activation_request_digest(const tsvc_activation_request *req, size_t *len)
{
    if (len != NULL)
        *len = req != NULL ? req->digest_len : 0;
    return req != NULL ? req->digest : NULL;
}

tsvc_hash_alg tsvc_activation_request_hash(const tsvc_activation_request *req)
{
    return req != NULL ? req->hash : TSVC_HASH_NONE;
}

tsvc_sig_scheme tsvc_activation_request_scheme(const tsvc_activation_request *req)
{
    return req != NULL ? req->scheme : TSVC_SIG_NONE;
}

const uint8_t *tsvc_activation_request_message(const tsvc_activation_request *req, size_t *len)
{
    if (len != NULL)
        *len = req != NULL ? req->msg_len : 0;
    return req != NULL ? req->msg : NULL;
}

const char *tsvc_activation_request_label(const tsvc_activation_request *req)
{
    return req != NULL && req->label != NULL ? req->label : "";
}

const tsvc_key *tsvc_activation_request_key(const tsvc_activation_request *req)
{
    return req != NULL ? req->key : NULL;
}

tsvc_status tsvc_activation_request_set_evidence(tsvc_activation_request *req, const char *text)
{
    if (req == NULL || text == NULL)
        return TSVC_ERR_INVALID_ARG;
    size_t n = strlen(text);
    if (n > EVIDENCE_MAX)
        n = EVIDENCE_MAX;
    char *copy = tsvc__alloc(req->key->ctx, n + 1);
    if (copy == NULL)
        return req->error = TSVC_ERR_NOMEM;
    memcpy(copy, text, n);
    copy[n] = '\0';
    free_str(req->key->ctx, req->evidence);
    req->evidence = copy;
    return TSVC_OK;
}

tsvc_status tsvc__activation_check(const tsvc_key *key, const tsvc__sig_params *p,
                                   const uint8_t *digest, size_t digest_len,
                                   tsvc_hash_alg digest_alg, const uint8_t *msg, size_t msg_len,
                                   const char *label, char **evidence_text, tsvc_error **err)
{
    if (evidence_text != NULL)
        *evidence_text = NULL;
    if (key->activation == NULL)
        return TSVC_OK;
    tsvc_activation_request req;
    memset(&req, 0, sizeof(req));
    req.key = key;
    req.digest = digest;
    req.digest_len = digest != NULL ? digest_len : 0;
    req.hash = digest != NULL ? digest_alg : TSVC_HASH_NONE;
    req.scheme = p != NULL ? p->scheme : TSVC_SIG_NONE;
    req.msg = msg;
    req.msg_len = msg != NULL ? msg_len : 0;
    req.label = label;
    tsvc_status st = key->activation(key->activation_opaque, &req);
    if (st == TSVC_OK && req.error != TSVC_OK)
        st = req.error;
    if (st != TSVC_OK) {
        free_str(key->ctx, req.evidence);
        if (st == TSVC_ERR_NOMEM)
            return tsvc__err_code(err, st);
        return tsvc__err(err, TSVC_ERR_ACTIVATION_REFUSED, "crypto.activation", -1,
                         "the key's activation callback refused the operation (%s)",
                         st == TSVC_ERR_ACTIVATION_REFUSED ? "refused" : tsvc_status_str(st));
    }
    if (evidence_text != NULL)
        *evidence_text = req.evidence;
    else
        free_str(key->ctx, req.evidence);
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Evidence                                                             */
/* ------------------------------------------------------------------ */

tsvc_status tsvc__evidence_new(const tsvc_key *key, const tsvc__sig_params *p, const char *label,
                               bool activated, char *activation_text, tsvc_sign_evidence **out,
                               tsvc_error **err)
{
    const tsvc_ctx *ctx = key->ctx;
    tsvc_sign_evidence *ev = tsvc__calloc(ctx, 1, sizeof(*ev));
    if (ev == NULL) {
        free_str(ctx, activation_text);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    ev->ctx = ctx;
    ev->activation = activation_text;
    ev->activated = activated;
    if (tsvc_ctx_now(ctx, &ev->time, NULL) != TSVC_OK)
        ev->time = 0;
    ev->scheme = p->scheme;
    ev->hash = p->hash;
    ev->type = key->type;
    ev->bits = key->bits;
    ev->backend = key->ops->name;
    ev->storage = key->storage;
    ev->has_activation = key->activation != NULL;
    if (!dup_opt(ctx, label != NULL ? label : "", &ev->label) ||
        assurance_copy(ctx, key->assurance, &ev->assurance) != TSVC_OK) {
        tsvc_sign_evidence_free(ev);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    *out = ev;
    return TSVC_OK;
}

void tsvc_sign_evidence_free(tsvc_sign_evidence *ev)
{
    if (ev == NULL)
        return;
    const tsvc_ctx *ctx = ev->ctx;
    free_str(ctx, ev->label);
    free_str(ctx, ev->activation);
    tsvc__assurance_free(ctx, ev->assurance);
    tsvc__free(ctx, ev);
}

int tsvc_sign_evidence_activated(const tsvc_sign_evidence *ev)
{
    return ev != NULL && ev->activated;
}

const char *tsvc_sign_evidence_activation(const tsvc_sign_evidence *ev)
{
    return ev != NULL ? ev->activation : NULL;
}

const char *tsvc_sign_evidence_label(const tsvc_sign_evidence *ev)
{
    return ev != NULL && ev->label != NULL ? ev->label : "";
}

tsvc_status tsvc_sign_evidence_key_info(const tsvc_sign_evidence *ev, tsvc_key_info *info)
{
    if (ev == NULL || info == NULL)
        return TSVC_ERR_INVALID_ARG;
    return fill_info(info, ev->type, ev->bits, ev->backend, ev->storage, ev->assurance,
                     ev->has_activation);
}

int64_t tsvc_sign_evidence_time(const tsvc_sign_evidence *ev)
{
    return ev != NULL ? ev->time : 0;
}

/* A small JSON writer over the context's allocator; errors are sticky. */
typedef struct jbuf {
    const tsvc_ctx *ctx;
    char *data;
    size_t len, cap;
    bool failed;
} jbuf;

static void j_raw(jbuf *j, const char *s, size_t n)
{
    if (j->failed)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap == 0 ? 256 : j->cap;
        while (cap < j->len + n + 1)
            cap *= 2;
        char *d = tsvc__realloc(j->ctx, j->data, j->cap, cap);
        if (d == NULL) {
            j->failed = true;
            return;
        }
        j->data = d;
        j->cap = cap;
    }
    memcpy(j->data + j->len, s, n);
    j->len += n;
    j->data[j->len] = '\0';
}

static void j_lit(jbuf *j, const char *s)
{
    j_raw(j, s, strlen(s));
}

static void j_str(jbuf *j, const char *s)
{
    if (s == NULL) {
        j_lit(j, "null");
        return;
    }
    j_lit(j, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        char esc[8];
        if (*c == '"' || *c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*c;
            j_raw(j, esc, 2);
        } else if (*c < 0x20) {
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*c);
            j_raw(j, esc, 6);
        } else {
            j_raw(j, (const char *)c, 1);
        }
    }
    j_lit(j, "\"");
}

static void j_kv_str(jbuf *j, const char *k, const char *v, bool comma)
{
    j_str(j, k);
    j_lit(j, ":");
    j_str(j, v);
    if (comma)
        j_lit(j, ",");
}

static void j_kv_bool(jbuf *j, const char *k, bool v, bool comma)
{
    j_str(j, k);
    j_lit(j, v ? ":true" : ":false");
    if (comma)
        j_lit(j, ",");
}

static const char *scheme_name(tsvc_sig_scheme s)
{
    switch (s) {
    case TSVC_SIG_ED25519: return "Ed25519";
    case TSVC_SIG_ECDSA: return "ECDSA";
    case TSVC_SIG_RSA_PKCS1: return "RSA-PKCS1-v1_5";
    case TSVC_SIG_RSA_PSS: return "RSA-PSS";
    case TSVC_SIG_NONE: break;
    }
    return "none";
}

static const char *hash_name(tsvc_hash_alg h)
{
    switch (h) {
    case TSVC_HASH_SHA1: return "SHA-1";
    case TSVC_HASH_SHA224: return "SHA-224";
    case TSVC_HASH_SHA256: return "SHA-256";
    case TSVC_HASH_SHA384: return "SHA-384";
    case TSVC_HASH_SHA512: return "SHA-512";
    case TSVC_HASH_NONE: break;
    }
    return "none";
}

static const char *type_name(tsvc_key_type t)
{
    switch (t) {
    case TSVC_KEY_ED25519: return "Ed25519";
    case TSVC_KEY_ECDSA_P256: return "ECDSA-P256";
    case TSVC_KEY_ECDSA_P384: return "ECDSA-P384";
    case TSVC_KEY_ECDSA_P521: return "ECDSA-P521";
    case TSVC_KEY_RSA: return "RSA";
    case TSVC_KEY_NONE: break;
    }
    return "unknown";
}

static const char *storage_name(tsvc_key_storage s)
{
    switch (s) {
    case TSVC_STORAGE_HSM: return "hsm";
    case TSVC_STORAGE_REMOTE: return "remote";
    case TSVC_STORAGE_SOFTWARE: break;
    }
    return "software";
}

static const char *cert_status_name(tsvc_hsm_certification c)
{
    switch (c) {
    case TSVC_HSM_CERT_ACTIVE: return "active";
    case TSVC_HSM_CERT_HISTORICAL: return "historical";
    case TSVC_HSM_CERT_REVOKED: return "revoked";
    case TSVC_HSM_CERT_NONE: break;
    }
    return "none";
}

tsvc_status tsvc_sign_evidence_to_json(const tsvc_sign_evidence *ev, tsvc_buf *out,
                                       tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.evidence", -1, "out is NULL");
    out->data = NULL;
    out->len = 0;
    if (ev == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.evidence", -1, "evidence is NULL");
    jbuf j = {ev->ctx, NULL, 0, 0, false};
    char num[64];
    j_lit(&j, "{\"time\":");
    snprintf(num, sizeof(num), "%lld", (long long)ev->time);
    j_lit(&j, num);
    j_lit(&j, ",");
    j_kv_str(&j, "label", ev->label, true);
    j_kv_str(&j, "scheme", scheme_name(ev->scheme), true);
    j_kv_str(&j, "hash", hash_name(ev->hash), true);
    j_lit(&j, "\"activation\":");
    if (ev->activated) {
        j_lit(&j, "{\"approved\":true,");
        j_kv_str(&j, "evidence", ev->activation, false);
        j_lit(&j, "}");
    } else {
        j_lit(&j, "null");
    }
    j_lit(&j, ",\"key\":{");
    j_kv_str(&j, "type", type_name(ev->type), true);
    snprintf(num, sizeof(num), "\"bits\":%u,", ev->bits);
    j_lit(&j, num);
    j_kv_str(&j, "backend", ev->backend, true);
    j_kv_str(&j, "storage", storage_name(ev->storage), true);
    const struct tsvc__key_assurance *a = ev->assurance;
    if (a != NULL) {
        j_lit(&j, "\"token\":{");
        j_kv_str(&j, "manufacturer", a->manufacturer, true);
        j_kv_str(&j, "model", a->model, true);
        j_kv_str(&j, "serial", a->serial, true);
        j_kv_str(&j, "label", a->token_label, false);
        j_lit(&j, "},");
        j_kv_str(&j, "object_label", a->key_label, true);
    }
    j_kv_bool(&j, "sensitive", a != NULL && a->sensitive, true);
    j_kv_bool(&j, "extractable", a == NULL || a->extractable, true);
    j_kv_bool(&j, "always_sensitive", a != NULL && a->always_sensitive, true);
    j_kv_bool(&j, "never_extractable", a != NULL && a->never_extractable, true);
    j_lit(&j, "\"certification\":{");
    j_kv_str(&j, "status", cert_status_name(a != NULL ? a->cert_status : TSVC_HSM_CERT_NONE),
             true);
    j_kv_str(&j, "text", a != NULL ? a->certification : NULL, false);
    j_lit(&j, "}}}");
    /* tsvc_buf memory comes from tsvc__buf_set (it carries its allocator). */
    tsvc_status st = j.failed ? TSVC_ERR_NOMEM : tsvc__buf_set(ev->ctx, out, j.data, j.len + 1);
    if (j.data != NULL)
        tsvc__free(ev->ctx, j.data);
    if (st != TSVC_OK)
        return tsvc__err_code(err, st);
    out->len--; /* the NUL stays after the text */
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Options and requirements                                             */
/* ------------------------------------------------------------------ */

void tsvc_sign_options_init(tsvc_sign_options *opts)
{
    if (opts == NULL)
        return;
    tsvc_sign_options o = TSVC_SIGN_OPTIONS_INIT;
    *opts = o;
}

void tsvc_key_requirements_init(tsvc_key_requirements *req)
{
    if (req == NULL)
        return;
    tsvc_key_requirements r = TSVC_KEY_REQUIREMENTS_INIT;
    *req = r;
}

tsvc_status tsvc_key_check_requirements(const tsvc_key *key, const tsvc_key_requirements *req,
                                        tsvc_error **err)
{
    if (key == NULL || req == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "crypto.assurance", -1, "NULL argument");
    if (req->version != TSVC_KEY_REQUIREMENTS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, "crypto.assurance", -1,
                         "unknown tsvc_key_requirements version %u", (unsigned)req->version);
    const struct tsvc__key_assurance *a = key->assurance;
    if (req->require_hsm && key->storage != TSVC_STORAGE_HSM)
        return tsvc__err(err, TSVC_ERR_KEY_ASSURANCE, "crypto.assurance.hsm", -1,
                         "the policy requires an HSM-held key; this key is in %s storage",
                         storage_name(key->storage));
    if (req->require_non_extractable &&
        (a == NULL || !a->sensitive || a->extractable ||
         (key->storage == TSVC_STORAGE_HSM && !a->never_extractable)))
        return tsvc__err(err, TSVC_ERR_KEY_ASSURANCE, "crypto.assurance.extractable", -1,
                         "the policy requires a sensitive key that has never been extractable");
    if (req->require_active_certification &&
        (a == NULL || a->cert_status != TSVC_HSM_CERT_ACTIVE))
        return tsvc__err(err, TSVC_ERR_KEY_ASSURANCE, "crypto.assurance.certification", -1,
                         "the policy requires a token with an active certification; its "
                         "status is %s",
                         cert_status_name(a != NULL ? a->cert_status : TSVC_HSM_CERT_NONE));
    if (req->require_activation && key->activation == NULL)
        return tsvc__err(err, TSVC_ERR_KEY_ASSURANCE, "crypto.assurance.activation", -1,
                         "the policy requires signature activation; the key has no callback");
    return TSVC_OK;
}
