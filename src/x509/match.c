/*
 * SPDX-License-Identifier: Apache-2.0
 * Name matching: RFC 5280 §4.2.1.10 name-constraint helpers (DNS, email,
 * IP with mask, URI host, directory name subtree) and RFC 6125 §6.4 host
 * name matching against subjectAltName.
 *
 * Thread safety: every function is reentrant and touches only its
 * arguments.
 */
#include <string.h>

#include "x509/x509_int.h"

static bool ieq(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tsvc__x509_lower(a[i]) != tsvc__x509_lower(b[i]))
            return false;
    return true;
}

/* True if `name` equals `suffix` or ends with "." + suffix (case-insensitive). */
static bool dns_suffix(const uint8_t *name, size_t name_len, const uint8_t *suffix,
                       size_t suffix_len)
{
    if (suffix_len > 0 && suffix[0] == '.') {
        /* ".example.com": proper subdomains only. */
        return name_len > suffix_len &&
               ieq(name + name_len - suffix_len, suffix, suffix_len);
    }
    if (name_len == suffix_len)
        return ieq(name, suffix, suffix_len);
    if (name_len < suffix_len + 1)
        return false;
    return name[name_len - suffix_len - 1] == '.' &&
           ieq(name + name_len - suffix_len, suffix, suffix_len);
}

static bool dns_chars_ok(const uint8_t *s, size_t n, bool allow_leading_dot)
{
    for (size_t i = 0; i < n; i++) {
        const uint8_t c = s[i];
        if (c == '.') {
            if (i == 0 && !allow_leading_dot)
                return false;
            if (i + 1 < n && s[i + 1] == '.')
                return false;
            continue;
        }
        if (c <= 0x20 || c >= 0x7f)
            return false;
    }
    return true;
}

tsvc__nc_result tsvc__x509_nc_dns(const tsvc__cbs *name, const tsvc__cbs *constraint)
{
    if (name->len == 0 || !dns_chars_ok(name->data, name->len, false) ||
        !dns_chars_ok(constraint->data, constraint->len, true))
        return TSVC__NC_MALFORMED;
    if (constraint->len == 0)
        return TSVC__NC_MATCH;
    /* One trailing dot on either side is the root: ignore it. */
    size_t nl = name->len, cl = constraint->len;
    if (name->data[nl - 1] == '.')
        nl--;
    if (cl > 0 && constraint->data[cl - 1] == '.')
        cl--;
    if (nl == 0)
        return TSVC__NC_MALFORMED;
    if (cl == 0)
        return TSVC__NC_MATCH;
    return dns_suffix(name->data, nl, constraint->data, cl) ? TSVC__NC_MATCH
                                                                  : TSVC__NC_NO_MATCH;
}

bool tsvc__x509_dns_wildcard_reaches(const tsvc__cbs *name, const tsvc__cbs *constraint)
{
    size_t nl = name->len, cl = constraint->len;
    if (nl < 3 || name->data[0] != '*' || name->data[1] != '.')
        return false;
    if (name->data[nl - 1] == '.')
        nl--;
    if (cl > 0 && constraint->data[cl - 1] == '.')
        cl--;
    if (cl == 0 || constraint->data[0] == '.')
        return false; /* the whole tree, or proper subdomains: the literal match decides */
    const uint8_t *rest = name->data + 2;
    const size_t rest_len = nl - 2;
    /* constraint = L "." rest, L one non-empty label */
    if (cl < rest_len + 2 || constraint->data[cl - rest_len - 1] != '.' ||
        !ieq(constraint->data + cl - rest_len, rest, rest_len))
        return false;
    const size_t label_len = cl - rest_len - 1;
    return memchr(constraint->data, '.', label_len) == NULL &&
           memchr(constraint->data, '*', label_len) == NULL;
}

/*
 * A host against an email or URI host constraint (RFC 5280 §4.2.1.10):
 * empty matches everything, ".example.com" any host under the domain,
 * otherwise exactly that host; case-insensitive.
 */
static tsvc__nc_result host_in_constraint(const uint8_t *host, size_t host_len,
                                          const tsvc__cbs *constraint)
{
    if (constraint->len == 0)
        return TSVC__NC_MATCH;
    if (constraint->data[0] == '.') {
        /* Any host under the domain. */
        return host_len > constraint->len &&
                       ieq(host + host_len - constraint->len, constraint->data,
                           constraint->len)
                   ? TSVC__NC_MATCH
                   : TSVC__NC_NO_MATCH;
    }
    /* Exactly that host (for email: every mailbox at it). */
    return host_len == constraint->len && ieq(host, constraint->data, host_len)
               ? TSVC__NC_MATCH
               : TSVC__NC_NO_MATCH;
}

tsvc__nc_result tsvc__x509_nc_email(const tsvc__cbs *name, const tsvc__cbs *constraint)
{
    const uint8_t *at = NULL;
    for (size_t i = 0; i < name->len; i++)
        if (name->data[i] == '@')
            at = name->data + i;
    if (at == NULL || at == name->data || at + 1 == name->data + name->len)
        return TSVC__NC_MALFORMED;
    const size_t local_len = (size_t)(at - name->data);
    const uint8_t *host = at + 1;
    const size_t host_len = name->len - local_len - 1;

    const uint8_t *cat = memchr(constraint->data, '@', constraint->len);
    if (cat != NULL) {
        /* A whole mailbox: local part exact, host case-insensitive. */
        const size_t clocal = (size_t)(cat - constraint->data);
        const size_t chost = constraint->len - clocal - 1;
        if (clocal == local_len && memcmp(constraint->data, name->data, clocal) == 0 &&
            chost == host_len && ieq(cat + 1, host, host_len))
            return TSVC__NC_MATCH;
        return TSVC__NC_NO_MATCH;
    }
    return host_in_constraint(host, host_len, constraint);
}

tsvc__nc_result tsvc__x509_nc_ip(const tsvc__cbs *name, const tsvc__cbs *constraint)
{
    if ((name->len != 4 && name->len != 16) || (constraint->len != 8 && constraint->len != 32))
        return TSVC__NC_MALFORMED;
    if (constraint->len != 2 * name->len)
        return TSVC__NC_NO_MATCH;
    const uint8_t *addr = constraint->data, *mask = constraint->data + name->len;
    for (size_t i = 0; i < name->len; i++)
        if ((name->data[i] & mask[i]) != (addr[i] & mask[i]))
            return TSVC__NC_NO_MATCH;
    return TSVC__NC_MATCH;
}

/* Extracts the host of a URI "scheme://[userinfo@]host[:port][/...]". */
static bool uri_host(const tsvc__cbs *uri, const uint8_t **host, size_t *host_len)
{
    const uint8_t *s = uri->data;
    const size_t n = uri->len;
    size_t i = 0;
    while (i < n && s[i] != ':' && s[i] != '/' && s[i] != '?' && s[i] != '#')
        i++;
    if (i == 0 || i + 2 >= n || s[i] != ':' || s[i + 1] != '/' || s[i + 2] != '/')
        return false;
    size_t start = i + 3, end = start;
    while (end < n && s[end] != '/' && s[end] != '?' && s[end] != '#')
        end++;
    /* authority = [userinfo@]host[:port] */
    for (size_t k = end; k > start; k--) {
        if (s[k - 1] == '@') {
            start = k;
            break;
        }
    }
    if (start < end && s[start] == '[')
        return false; /* IP-literal */
    size_t h_end = start;
    while (h_end < end && s[h_end] != ':')
        h_end++;
    if (h_end == start)
        return false;
    *host = s + start;
    *host_len = h_end - start;
    return true;
}

tsvc__nc_result tsvc__x509_nc_uri(const tsvc__cbs *name, const tsvc__cbs *constraint)
{
    const uint8_t *host = NULL;
    size_t host_len = 0;
    uint8_t ip[16];
    size_t ip_len;
    if (!uri_host(name, &host, &host_len))
        return TSVC__NC_MALFORMED;
    if (tsvc__x509_parse_ip((const char *)host, host_len, ip, &ip_len))
        return TSVC__NC_MALFORMED;
    if (!dns_chars_ok(host, host_len, false))
        return TSVC__NC_MALFORMED;
    return host_in_constraint(host, host_len, constraint);
}

tsvc__nc_result tsvc__x509_nc_dn(const tsvc__cbs *name, const tsvc__cbs *constraint)
{
    if (tsvc__name_check(name, NULL) != TSVC_OK || tsvc__name_check(constraint, NULL) != TSVC_OK)
        return TSVC__NC_MALFORMED;
    return tsvc__name_in_subtree(name, constraint) ? TSVC__NC_MATCH : TSVC__NC_NO_MATCH;
}

tsvc__nc_result tsvc__x509_nc_match(const tsvc__x509_gname *name,
                                    const tsvc__x509_gname *constraint)
{
    if (name->type != constraint->type)
        return TSVC__NC_NO_MATCH;
    switch (name->type) {
    case TSVC_GN_DNS:
        return tsvc__x509_nc_dns(&name->value, &constraint->value);
    case TSVC_GN_EMAIL:
        return tsvc__x509_nc_email(&name->value, &constraint->value);
    case TSVC_GN_IP:
        return tsvc__x509_nc_ip(&name->value, &constraint->value);
    case TSVC_GN_URI:
        return tsvc__x509_nc_uri(&name->value, &constraint->value);
    case TSVC_GN_DIRECTORY_NAME:
        return tsvc__x509_nc_dn(&name->value, &constraint->value);
    default:
        return name->value.len == constraint->value.len &&
                       memcmp(name->value.data, constraint->value.data, name->value.len) == 0
                   ? TSVC__NC_MATCH
                   : TSVC__NC_NO_MATCH;
    }
}

/* ------------------------------------------------------------------ */
/* IP address text                                                     */
/* ------------------------------------------------------------------ */

static bool parse_ipv4(const char *s, size_t len, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || s[i] != '.')
                return false;
            i++;
        }
        size_t start = i;
        unsigned v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
            v = v * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
            return false;
        out[part] = (uint8_t)v;
    }
    return i == len;
}


static bool parse_ipv6(const char *s, size_t len, uint8_t out[16])
{
    uint16_t groups[8];
    int n = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (len >= 1 && s[0] == ':') {
        return false;
    }
    while (i < len) {
        if (n >= 8)
            return false;
        /* Embedded IPv4 in the last 32 bits. */
        size_t j = i;
        while (j < len && s[j] != ':' && s[j] != '.')
            j++;
        if (j < len && s[j] == '.') {
            uint8_t v4[4];
            if (n > 6 || !parse_ipv4(s + i, len - i, v4))
                return false;
            groups[n++] = (uint16_t)((v4[0] << 8) | v4[1]);
            groups[n++] = (uint16_t)((v4[2] << 8) | v4[3]);
            i = len;
            break;
        }
        unsigned v = 0;
        size_t start = i;
        while (i < len && tsvc__x509_hex_digit(s[i]) >= 0 && i - start < 4) {
            v = (v << 4) | (unsigned)tsvc__x509_hex_digit(s[i]);
            i++;
        }
        if (i == start)
            return false;
        groups[n++] = (uint16_t)v;
        if (i == len)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = n;
            i++;
            if (i == len)
                break;
        } else if (i == len) {
            return false; /* trailing single ':' */
        }
    }
    if (gap < 0 && n != 8)
        return false;
    if (gap >= 0 && n > 7)
        return false;
    memset(out, 0, 16);
    const int tail = gap >= 0 ? n - gap : 0;
    const int head = gap >= 0 ? gap : n;
    for (int k = 0; k < head; k++) {
        out[2 * k] = (uint8_t)(groups[k] >> 8);
        out[2 * k + 1] = (uint8_t)groups[k];
    }
    for (int k = 0; k < tail; k++) {
        const int dst = 8 - tail + k;
        out[2 * dst] = (uint8_t)(groups[head + k] >> 8);
        out[2 * dst + 1] = (uint8_t)groups[head + k];
    }
    return true;
}

bool tsvc__x509_parse_ip(const char *text, size_t len, uint8_t out[16], size_t *out_len)
{
    if (text == NULL || len == 0)
        return false;
    if (memchr(text, ':', len) != NULL) {
        if (!parse_ipv6(text, len, out))
            return false;
        *out_len = 16;
        return true;
    }
    if (!parse_ipv4(text, len, out))
        return false;
    *out_len = 4;
    return true;
}

/* ------------------------------------------------------------------ */
/* RFC 6125 host matching                                              */
/* ------------------------------------------------------------------ */

static bool host_chars_ok(const uint8_t *s, size_t n)
{
    if (n == 0 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        const uint8_t c = s[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok || (c == '.' && s[i + 1] == '.'))
            return false;
    }
    return true;
}

bool tsvc__x509_host_match(const uint8_t *pattern, size_t pattern_len, const char *host,
                           size_t host_len)
{
    uint8_t ip[16];
    size_t ip_len;
    if (pattern == NULL || host == NULL)
        return false;
    if (host_len > 0 && host[host_len - 1] == '.')
        host_len--;
    if (pattern_len > 0 && pattern[pattern_len - 1] == '.')
        pattern_len--;
    if (tsvc__x509_parse_ip(host, host_len, ip, &ip_len))
        return false;
    const uint8_t *h = (const uint8_t *)host;
    if (!host_chars_ok(h, host_len))
        return false;
    if (pattern_len >= 2 && pattern[0] == '*' && pattern[1] == '.') {
        const uint8_t *rest = pattern + 2;
        const size_t rest_len = pattern_len - 2;
        /* The rest must have at least two labels: "*.com" is refused. */
        if (!host_chars_ok(rest, rest_len) || memchr(rest, '.', rest_len) == NULL)
            return false;
        const uint8_t *dot = memchr(h, '.', host_len);
        if (dot == NULL || dot == h)
            return false;
        const size_t host_rest = host_len - (size_t)(dot + 1 - h);
        return host_rest == rest_len && ieq(dot + 1, rest, rest_len);
    }
    if (!host_chars_ok(pattern, pattern_len))
        return false; /* includes any other '*' */
    return pattern_len == host_len && ieq(pattern, h, host_len);
}

bool tsvc__cert_match_host(const tsvc_cert *cert, const char *host, size_t host_len)
{
    uint8_t ip[16];
    size_t ip_len = 0;
    if (cert == NULL || host == NULL)
        return false;
    const bool is_ip = tsvc__x509_parse_ip(host, host_len, ip, &ip_len);
    for (size_t i = 0; i < cert->san.num; i++) {
        const tsvc__x509_gname *g = &cert->san.names[i];
        if (is_ip) {
            if (g->type == TSVC_GN_IP && g->value.len == ip_len &&
                memcmp(g->value.data, ip, ip_len) == 0)
                return true;
        } else if (g->type == TSVC_GN_DNS &&
                   tsvc__x509_host_match(g->value.data, g->value.len, host, host_len)) {
            return true;
        }
    }
    return false;
}
