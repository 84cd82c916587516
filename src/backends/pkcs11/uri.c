/*
 * SPDX-License-Identifier: Apache-2.0
 * RFC 7512 PKCS#11 URIs: a strict parser (percent-decoding, duplicate and
 * unknown attributes refused, PIN values wiped) and a writer for the
 * URI of a key. Pure functions: safe from any thread.
 */
#include <string.h>

#include "p11.h"

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    return (unsigned)(c - 'A' + 10);
}

/* Characters allowed as they are in a value: printable ASCII except the
 * separators, '%' (escapes only), '#' and the space. */
static bool plain_ok(char c, bool query)
{
    if (c <= 0x20 || c >= 0x7f)
        return false;
    if (c == '%' || c == '#' || c == '?')
        return false;
    if (!query && c == ';')
        return false;
    if (query && c == '&')
        return false;
    return true;
}

/* Decodes [v, v+n) into a fresh NUL-terminated allocation. */
static tsvc_status decode(const tsvc_ctx *ctx, const char *v, size_t n, bool query, bool binary,
                          char **out, size_t *out_len, const char *name, tsvc_error **err)
{
    char *d = tsvc__alloc(ctx, n + 1);
    if (d == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c == '%') {
            if (i + 2 >= n || !is_hex(v[i + 1]) || !is_hex(v[i + 2])) {
                tsvc__free_secret(ctx, d, n + 1);
                return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.escape", (int64_t)i,
                                 "bad percent escape in attribute \"%s\"", name);
            }
            unsigned b = hex_val(v[i + 1]) * 16u + hex_val(v[i + 2]);
            if (b == 0 && !binary) {
                tsvc__free_secret(ctx, d, n + 1);
                return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.nul", (int64_t)i,
                                 "NUL byte in attribute \"%s\"", name);
            }
            d[k++] = (char)b;
            i += 2;
        } else if (!plain_ok(c, query)) {
            tsvc__free_secret(ctx, d, n + 1);
            return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.char", (int64_t)i,
                             "character not allowed in attribute \"%s\" (percent-encode it)",
                             name);
        } else {
            d[k++] = c;
        }
    }
    d[k] = '\0';
    *out = d;
    if (out_len != NULL)
        *out_len = k;
    return TSVC_OK;
}

void tsvc__p11_uri_clear(const tsvc_ctx *ctx, tsvc__p11_uri *u)
{
    char **strs[] = {&u->token,
                     &u->manufacturer,
                     &u->model,
                     &u->serial,
                     &u->slot_description,
                     &u->slot_manufacturer,
                     &u->library_manufacturer,
                     &u->library_description,
                     &u->library_version,
                     &u->object,
                     &u->type,
                     &u->module_path,
                     &u->module_name,
                     &u->pin_source};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        if (*strs[i] != NULL)
            tsvc__free(ctx, *strs[i]);
        *strs[i] = NULL;
    }
    if (u->id != NULL)
        tsvc__free(ctx, u->id);
    if (u->pin_value != NULL)
        tsvc__free_secret(ctx, u->pin_value, u->pin_value_len + 1);
    memset(u, 0, sizeof(*u));
}

typedef struct attr_slot {
    const char *name;
    size_t off; /* offset of the char * member */
} attr_slot;

#define SLOT(n, m) {n, offsetof(tsvc__p11_uri, m)}
static const attr_slot path_attrs[] = {
    SLOT("token", token),
    SLOT("manufacturer", manufacturer),
    SLOT("model", model),
    SLOT("serial", serial),
    SLOT("slot-description", slot_description),
    SLOT("slot-manufacturer", slot_manufacturer),
    SLOT("library-manufacturer", library_manufacturer),
    SLOT("library-description", library_description),
    SLOT("library-version", library_version),
    SLOT("object", object),
    SLOT("type", type),
};
static const attr_slot query_attrs[] = {
    SLOT("module-path", module_path),
    SLOT("module-name", module_name),
    SLOT("pin-source", pin_source),
};
#undef SLOT

static char **member(tsvc__p11_uri *u, size_t off)
{
    return (char **)(void *)((unsigned char *)u + off);
}

static tsvc_status one_attr(const tsvc_ctx *ctx, tsvc__p11_uri *u, const char *a, size_t n,
                            bool query, tsvc_error **err)
{
    const char *eq = memchr(a, '=', n);
    if (eq == NULL || eq == a)
        return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.attribute", -1,
                         "URI attribute without a name or '='");
    size_t nl = (size_t)(eq - a);
    const char *v = eq + 1;
    size_t vl = n - nl - 1;
    char name[32];
    if (nl >= sizeof(name))
        nl = sizeof(name) - 1;
    memcpy(name, a, nl);
    name[nl] = '\0';
    for (size_t i = 0; i < nl; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '-' || (name[i] >= 'A' && name[i] <= 'Z')))
            return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.attribute", -1,
                             "malformed URI attribute name");
    tsvc_status st;
    if (!query) {
        if (strcmp(name, "id") == 0) {
            if (u->has_id)
                goto dup;
            char *d;
            size_t dl;
            if ((st = decode(ctx, v, vl, false, true, &d, &dl, name, err)) != TSVC_OK)
                return st;
            u->id = (uint8_t *)d;
            u->id_len = dl;
            u->has_id = true;
            return TSVC_OK;
        }
        if (strcmp(name, "slot-id") == 0) {
            if (u->has_slot_id)
                goto dup;
            uint64_t x = 0;
            if (vl == 0 || vl > 19)
                return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.slot_id", -1,
                                 "slot-id must be a decimal number");
            for (size_t i = 0; i < vl; i++) {
                if (v[i] < '0' || v[i] > '9')
                    return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.slot_id", -1,
                                     "slot-id must be a decimal number");
                x = x * 10u + (uint64_t)(v[i] - '0');
            }
            u->slot_id = x;
            u->has_slot_id = true;
            return TSVC_OK;
        }
        for (size_t i = 0; i < sizeof(path_attrs) / sizeof(path_attrs[0]); i++) {
            if (strcmp(name, path_attrs[i].name) != 0)
                continue;
            char **m = member(u, path_attrs[i].off);
            if (*m != NULL)
                goto dup;
            if ((st = decode(ctx, v, vl, false, false, m, NULL, name, err)) != TSVC_OK)
                return st;
            if (m == &u->type && strcmp(u->type, "public") != 0 &&
                strcmp(u->type, "private") != 0 && strcmp(u->type, "cert") != 0 &&
                strcmp(u->type, "secret-key") != 0 && strcmp(u->type, "data") != 0)
                return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.type", -1,
                                 "unknown object type \"%s\"", u->type);
            return TSVC_OK;
        }
        if ((name[0] == 'x' || name[0] == 'X') && name[1] == '-')
            return TSVC_OK; /* vendor attribute: ignored */
        return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.attribute", -1,
                         "unknown path attribute \"%s\"", name);
    }
    if (strcmp(name, "pin-value") == 0) {
        if (u->pin_value != NULL)
            goto dup;
        if ((st = decode(ctx, v, vl, true, false, &u->pin_value, &u->pin_value_len, name,
                         err)) != TSVC_OK)
            return st;
        if (u->pin_value_len > TSVC__P11_PIN_MAX)
            return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.pin", -1,
                             "pin-value longer than %u bytes", (unsigned)TSVC__P11_PIN_MAX);
        return TSVC_OK;
    }
    for (size_t i = 0; i < sizeof(query_attrs) / sizeof(query_attrs[0]); i++) {
        if (strcmp(name, query_attrs[i].name) != 0)
            continue;
        char **m = member(u, query_attrs[i].off);
        if (*m != NULL)
            goto dup;
        return decode(ctx, v, vl, true, false, m, NULL, name, err);
    }
    return TSVC_OK; /* unknown query attributes are ignored (RFC 7512 2.4) */
dup:
    return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.duplicate", -1,
                     "URI attribute \"%s\" appears twice", name);
}

static tsvc_status split(const tsvc_ctx *ctx, tsvc__p11_uri *u, const char *s, size_t n,
                         bool query, tsvc_error **err)
{
    char sep = query ? '&' : ';';
    size_t i = 0;
    if (n == 0)
        return TSVC_OK;
    while (i <= n) {
        const char *e = memchr(s + i, sep, n - i);
        size_t end = e != NULL ? (size_t)(e - s) : n;
        if (end == i)
            return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.empty", -1,
                             "empty attribute in the URI");
        tsvc_status st = one_attr(ctx, u, s + i, end - i, query, err);
        if (st != TSVC_OK)
            return st;
        i = end + 1;
        if (e == NULL)
            break;
    }
    return TSVC_OK;
}

tsvc_status tsvc__p11_uri_parse(const tsvc_ctx *ctx, const char *text, tsvc__p11_uri *out,
                                tsvc_error **err)
{
    memset(out, 0, sizeof(*out));
    if (text == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.uri", -1, "URI is NULL");
    size_t n = strnlen(text, TSVC__P11_URI_MAX + 1);
    if (n > TSVC__P11_URI_MAX)
        return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.length", -1,
                         "URI longer than %u characters", (unsigned)TSVC__P11_URI_MAX);
    static const char scheme[] = "pkcs11:";
    if (n < 7 || strncasecmp(text, scheme, 7) != 0)
        return tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.scheme", 0,
                         "not a PKCS#11 URI (it must start with \"pkcs11:\")");
    const char *p = text + 7;
    size_t rest = n - 7;
    const char *q = memchr(p, '?', rest);
    size_t plen = q != NULL ? (size_t)(q - p) : rest;
    tsvc_status st = split(ctx, out, p, plen, false, err);
    if (st == TSVC_OK && q != NULL)
        st = split(ctx, out, q + 1, rest - plen - 1, true, err);
    if (st == TSVC_OK && out->pin_value != NULL && out->pin_source != NULL)
        st = tsvc__err(err, TSVC_ERR_PKCS11_URI, "pkcs11.uri.pin", -1,
                       "the URI has both pin-value and pin-source");
    if (st != TSVC_OK)
        tsvc__p11_uri_clear(ctx, out);
    return st;
}

tsvc_status tsvc__p11_uri_append(const tsvc_ctx *ctx, tsvc_buf *text, const char *prefix,
                                 const uint8_t *value, size_t len)
{
    static const char hexd[] = "0123456789ABCDEF";
    size_t pl = strlen(prefix);
    size_t need = text->len + pl + 3 * len + 1;
    tsvc_buf nb = TSVC_BUF_INIT;
    tsvc_status st = tsvc__buf_alloc(ctx, &nb, need);
    if (st != TSVC_OK)
        return st;
    char *o = (char *)nb.data;
    size_t k = 0;
    if (text->len > 0)
        memcpy(o, text->data, text->len);
    k = text->len;
    memcpy(o + k, prefix, pl);
    k += pl;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = value[i];
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                          c == '~';
        if (unreserved) {
            o[k++] = (char)c;
        } else {
            o[k++] = '%';
            o[k++] = hexd[c >> 4];
            o[k++] = hexd[c & 15];
        }
    }
    o[k] = '\0';
    tsvc_buf_dispose(text);
    *text = nb;
    text->len = k;
    return TSVC_OK;
}
