/*
 * SPDX-License-Identifier: Apache-2.0
 * Decoding of the certificate extensions this library processes
 * (RFC 5280 §4.2, RFC 3739 / ETSI EN 319 412-5 qcStatements kept raw),
 * and of GeneralNames.
 *
 * Thread safety: runs only while a certificate is being parsed, on the
 * parsing thread; the results are immutable afterwards.
 */
#include <stddef.h>
#include <string.h>

#include "x509/x509_int.h"

#define READ TSVC__X509_READ

#define EXT_ERR TSVC_ERR_CERT_EXTENSION

static tsvc_status ext_fail(tsvc_error **err, const char *check, const tsvc__cbs *at,
                            const char *msg)
{
    return tsvc__err(err, EXT_ERR, check, tsvc__cbs_offset(at), "%s", msg);
}

static tsvc_status nomem(tsvc_error **err)
{
    return tsvc__err(err, TSVC_ERR_NOMEM, "x509.extension", -1, "out of memory");
}

/* Counts the elements of a SEQUENCE OF's contents (checking their headers). */
static tsvc_status count_elements(const tsvc__cbs *contents, size_t *n, const char *check,
                                  tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs walk = *contents;
    *n = 0;
    while (walk.len > 0) {
        READ(tsvc__der_get_any(&walk, NULL, NULL, NULL, &inner_), EXT_ERR, check, walk);
        (*n)++;
    }
    st = TSVC_OK;
out:
    return st;
}

static void *alloc_array(const tsvc_ctx *ctx, size_t n, size_t size)
{
    if (n == 0)
        n = 1;
    return tsvc__calloc(ctx, n, size);
}

/* Reads the single outer element of an extension value, requiring nothing after. */
static tsvc_status get_outer(const tsvc__x509_ext *ext, uint32_t tag, tsvc__cbs *contents,
                             const char *check, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs v = ext->value;
    READ(tsvc__der_get(&v, tag, contents, &inner_), EXT_ERR, check, v);
    READ(tsvc__der_expect_end(&v, &inner_), EXT_ERR, check, v);
out:
    return st;
}

/* Reads an extension value that is a non-empty SEQUENCE; `empty` names the
 * failure when it holds nothing. */
static tsvc_status get_outer_nonempty(const tsvc__x509_ext *ext, tsvc__cbs *contents,
                                      const char *check, const char *empty, tsvc_error **err)
{
    tsvc_status st = get_outer(ext, TSVC__TAG_SEQUENCE, contents, check, err);
    if (st == TSVC_OK && contents->len == 0)
        st = ext_fail(err, check, &ext->value, empty);
    return st;
}

/* Reads an extension value that is a non-empty SEQUENCE OF and counts its
 * elements. */
static tsvc_status get_seq_of(const tsvc__x509_ext *ext, tsvc__cbs *contents, size_t *n,
                              const char *check, const char *empty, tsvc_error **err)
{
    *n = 0;
    tsvc_status st = get_outer_nonempty(ext, contents, check, empty, err);
    if (st == TSVC_OK)
        st = count_elements(contents, n, check, err);
    return st;
}

/* Checks the contents of a non-empty GeneralNames. */
static tsvc_status check_general_names(const tsvc__cbs *names, const char *check,
                                       const char *empty, tsvc_error **err)
{
    tsvc__cbs g = *names;
    if (g.len == 0)
        return ext_fail(err, check, &g, empty);
    while (g.len > 0) {
        tsvc__x509_gname gn;
        tsvc_status st = tsvc__x509_parse_general_name(&g, false, &gn, err);
        if (st != TSVC_OK)
            return st;
    }
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* GeneralName                                                         */
/* ------------------------------------------------------------------ */

static bool ia5_ok(const tsvc__cbs *s)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->data[i] == 0 || s->data[i] >= 0x80)
            return false;
    return true;
}

static bool mask_contiguous(const uint8_t *m, size_t n)
{
    bool zero_seen = false;
    for (size_t i = 0; i < n; i++) {
        for (int b = 7; b >= 0; b--) {
            const bool one = (m[i] >> b) & 1u;
            if (one && zero_seen)
                return false;
            if (!one)
                zero_seen = true;
        }
    }
    return true;
}

tsvc_status tsvc__x509_parse_general_name(tsvc__cbs *cbs, bool in_constraint,
                                          tsvc__x509_gname *out, tsvc_error **err)
{
    tsvc_status st;
    uint32_t tag = 0;
    tsvc__cbs contents, element;
    READ(tsvc__der_get_any(cbs, &tag, &contents, &element, &inner_), TSVC_ERR_NAME,
         "x509.general_name", *cbs);
    if ((tag & TSVC__DER_CLASS_MASK) != TSVC__DER_CLASS_CONTEXT ||
        (tag & TSVC__DER_NUMBER_MASK) > 8) {
        st = tsvc__err(err, TSVC_ERR_NAME, "x509.general_name", tsvc__cbs_offset(&element),
                       "unknown GeneralName tag");
        goto out;
    }
    const unsigned number = (unsigned)(tag & TSVC__DER_NUMBER_MASK);
    const bool constructed = (tag & TSVC__DER_CONSTRUCTED) != 0;
    /* otherName, x400Address, directoryName and ediPartyName are
     * constructed; the others primitive. */
    const bool want_constructed = number == 0 || number == 3 || number == 4 || number == 5;
    if (constructed != want_constructed) {
        st = tsvc__err(err, TSVC_ERR_NAME, "x509.general_name", tsvc__cbs_offset(&element),
                       "GeneralName [%u] has the wrong form", number);
        goto out;
    }
    out->type = (tsvc_general_name_type)number;
    out->element = element;
    out->value = contents;
    switch (number) {
    case TSVC_GN_OTHER_NAME: {
        tsvc__cbs c = contents, val;
        READ(tsvc__der_get_oid(&c, NULL, &inner_), TSVC_ERR_NAME, "x509.general_name.other",
             c);
        READ(tsvc__der_get(&c, TSVC__TAG_CONTEXT_C(0), &val, &inner_), TSVC_ERR_NAME,
             "x509.general_name.other", c);
        READ(tsvc__der_expect_end(&c, &inner_), TSVC_ERR_NAME, "x509.general_name.other", c);
        break;
    }
    case TSVC_GN_EMAIL:
    case TSVC_GN_DNS:
    case TSVC_GN_URI:
        if (!ia5_ok(&contents)) {
            st = tsvc__err(err, TSVC_ERR_NAME, "x509.general_name.ia5",
                           tsvc__cbs_offset(&element),
                           "%s name holds a NUL or a non-ASCII octet",
                           number == TSVC_GN_DNS ? "DNS" : number == TSVC_GN_EMAIL ? "email"
                                                                                  : "URI");
            goto out;
        }
        break;
    case TSVC_GN_DIRECTORY_NAME: {
        tsvc__cbs c = contents, name;
        READ(tsvc__der_get_element(&c, TSVC__TAG_SEQUENCE, &name, &inner_), TSVC_ERR_NAME,
             "x509.general_name.dn", c);
        READ(tsvc__der_expect_end(&c, &inner_), TSVC_ERR_NAME, "x509.general_name.dn", c);
        READ(tsvc__name_check(&name, &inner_), TSVC_ERR_NAME, "x509.general_name.dn", name);
        out->value = name;
        break;
    }
    case TSVC_GN_IP:
        if (in_constraint) {
            if ((contents.len != 8 && contents.len != 32) ||
                !mask_contiguous(contents.data + contents.len / 2, contents.len / 2)) {
                st = tsvc__err(err, TSVC_ERR_NAME, "x509.general_name.ip",
                               tsvc__cbs_offset(&element),
                               "iPAddress constraint must be address and contiguous mask "
                               "(8 or 32 octets)");
                goto out;
            }
        } else if (contents.len != 4 && contents.len != 16) {
            st = tsvc__err(err, TSVC_ERR_NAME, "x509.general_name.ip",
                           tsvc__cbs_offset(&element), "iPAddress must be 4 or 16 octets");
            goto out;
        }
        break;
    case TSVC_GN_REGISTERED_ID:
        if (!tsvc__oid_valid(contents.data, contents.len)) {
            st = tsvc__err(err, TSVC_ERR_NAME, "x509.general_name.rid",
                           tsvc__cbs_offset(&element), "malformed registeredID");
            goto out;
        }
        break;
    default: /* x400Address, ediPartyName: kept raw */
        break;
    }
    st = TSVC_OK;
out:
    return st;
}

tsvc_status tsvc__x509_parse_general_names(const tsvc_ctx *ctx, const tsvc__cbs *contents,
                                           bool in_constraint, tsvc__x509_gname **out,
                                           size_t *num, tsvc_error **err)
{
    tsvc_status st;
    size_t n = 0;
    tsvc__x509_gname *names = NULL;
    *out = NULL;
    *num = 0;
    st = count_elements(contents, &n, "x509.general_names", err);
    if (st != TSVC_OK)
        goto out;
    names = alloc_array(ctx, n, sizeof(*names));
    if (names == NULL) {
        st = nomem(err);
        goto out;
    }
    tsvc__cbs c = *contents;
    for (size_t i = 0; i < n; i++) {
        st = tsvc__x509_parse_general_name(&c, in_constraint, &names[i], err);
        if (st != TSVC_OK)
            goto out;
    }
    *out = names;
    *num = n;
    names = NULL;
    st = TSVC_OK;
out:
    tsvc__free(ctx, names);
    return st;
}

/* ------------------------------------------------------------------ */
/* One decoder per extension                                           */
/* ------------------------------------------------------------------ */

static tsvc_status dec_basic_constraints(tsvc_cert *cert, const tsvc__x509_ext *ext,
                                         tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    st = get_outer(ext, TSVC__TAG_SEQUENCE, &c, "x509.ext.basic_constraints", err);
    if (st != TSVC_OK)
        goto out;
    cert->bc.path_len = -1;
    if (tsvc__der_peek_tag(&c, TSVC__TAG_BOOLEAN)) {
        tsvc__cbs at = c;
        READ(tsvc__der_get_bool(&c, &cert->bc.ca, &inner_), EXT_ERR,
             "x509.ext.basic_constraints", c);
        if (!cert->bc.ca) {
            st = ext_fail(err, "x509.ext.basic_constraints", &at,
                          "cA FALSE must not be encoded (DER DEFAULT)");
            goto out;
        }
    }
    if (c.len > 0) {
        uint64_t v = 0;
        READ(tsvc__der_get_u64(&c, &v, &inner_), EXT_ERR,
             "x509.ext.basic_constraints.path_len", c);
        if (v > (uint64_t)INT64_MAX) {
            st = ext_fail(err, "x509.ext.basic_constraints.path_len", &c,
                          "pathLenConstraint too large");
            goto out;
        }
        cert->bc.path_len = (int64_t)v;
        if (!cert->bc.ca)
            cert->flags |= TSVC_CERT_FLAG_PATHLEN_WITHOUT_CA;
    }
    READ(tsvc__der_expect_end(&c, &inner_), EXT_ERR, "x509.ext.basic_constraints", c);
out:
    return st;
}

static tsvc_status dec_key_usage(tsvc_cert *cert, const tsvc__x509_ext *ext, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs v = ext->value;
    uint64_t bits = 0;
    READ(tsvc__der_get_named_bits(&v, 0, &bits, true, &inner_), EXT_ERR, "x509.ext.key_usage",
         v);
    READ(tsvc__der_expect_end(&v, &inner_), EXT_ERR, "x509.ext.key_usage", v);
    if (bits == 0) {
        st = ext_fail(err, "x509.ext.key_usage", &ext->value, "keyUsage with no bit set");
        goto out;
    }
    cert->ku.bits = (uint32_t)(bits & 0x1ffu);
out:
    return st;
}

static tsvc_status dec_oid_seq(tsvc_cert *cert, const tsvc__x509_ext *ext,
                               tsvc__x509_oid_list *list, const char *check, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    size_t n = 0;
    st = get_seq_of(ext, &c, &n, check, "empty sequence", err);
    if (st != TSVC_OK)
        goto out;
    list->oids = alloc_array(cert->ctx, n, sizeof(*list->oids));
    if (list->oids == NULL) {
        st = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        READ(tsvc__der_get_oid(&c, &list->oids[i], &inner_), EXT_ERR, check, c);
        list->num = i + 1;
    }
out:
    return st;
}

static tsvc_status dec_names(tsvc_cert *cert, const tsvc__x509_ext *ext,
                             tsvc__x509_gname_list *list, const char *check, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    st = get_outer_nonempty(ext, &c, check, "empty GeneralNames", err);
    if (st != TSVC_OK)
        goto out;
    st = tsvc__x509_parse_general_names(cert->ctx, &c, false, &list->names, &list->num, err);
out:
    return st;
}

static tsvc_status dec_subtrees(tsvc_cert *cert, tsvc__cbs *c, tsvc__x509_gname **out,
                                size_t *num, tsvc_error **err)
{
    tsvc_status st;
    size_t n = 0;
    st = count_elements(c, &n, "x509.ext.name_constraints", err);
    if (st != TSVC_OK)
        goto out;
    if (n == 0) {
        st = ext_fail(err, "x509.ext.name_constraints", c, "empty GeneralSubtrees");
        goto out;
    }
    *out = alloc_array(cert->ctx, n, sizeof(**out));
    if (*out == NULL) {
        st = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        tsvc__cbs subtree;
        READ(tsvc__der_get(c, TSVC__TAG_SEQUENCE, &subtree, &inner_), EXT_ERR,
             "x509.ext.name_constraints", *c);
        st = tsvc__x509_parse_general_name(&subtree, true, &(*out)[i], err);
        if (st != TSVC_OK)
            goto out;
        if (subtree.len != 0) {
            /* minimum is DEFAULT 0 (never encoded in DER) and maximum is
             * not used in this profile (RFC 5280 §4.2.1.10). */
            st = ext_fail(err, "x509.ext.name_constraints", &subtree,
                          "GeneralSubtree minimum/maximum are not allowed");
            goto out;
        }
        *num = i + 1;
    }
out:
    return st;
}

static tsvc_status dec_name_constraints(tsvc_cert *cert, const tsvc__x509_ext *ext,
                                        tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c, sub;
    bool present = false;
    st = get_outer_nonempty(ext, &c, "x509.ext.name_constraints", "empty nameConstraints",
                            err);
    if (st != TSVC_OK)
        goto out;
    READ(tsvc__der_get_optional(&c, TSVC__TAG_CONTEXT_C(0), &sub, &present, &inner_), EXT_ERR,
         "x509.ext.name_constraints", c);
    if (present) {
        st = dec_subtrees(cert, &sub, &cert->nc.permitted, &cert->nc.num_permitted, err);
        if (st != TSVC_OK)
            goto out;
    }
    READ(tsvc__der_get_optional(&c, TSVC__TAG_CONTEXT_C(1), &sub, &present, &inner_), EXT_ERR,
         "x509.ext.name_constraints", c);
    if (present) {
        st = dec_subtrees(cert, &sub, &cert->nc.excluded, &cert->nc.num_excluded, err);
        if (st != TSVC_OK)
            goto out;
    }
    READ(tsvc__der_expect_end(&c, &inner_), EXT_ERR, "x509.ext.name_constraints", c);
out:
    return st;
}

static tsvc_status dec_policies(tsvc_cert *cert, const tsvc__x509_ext *ext, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    size_t n = 0;
    const char *check = "x509.ext.certificate_policies";
    st = get_seq_of(ext, &c, &n, check, "empty certificatePolicies", err);
    if (st != TSVC_OK)
        goto out;
    cert->policies.items = alloc_array(cert->ctx, n, sizeof(*cert->policies.items));
    if (cert->policies.items == NULL) {
        st = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        tsvc__x509_policy *p = &cert->policies.items[i];
        tsvc__cbs info;
        READ(tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &info, &inner_), EXT_ERR, check, c);
        READ(tsvc__der_get_oid(&info, &p->oid, &inner_), EXT_ERR, check, info);
        if (info.len > 0) {
            tsvc__cbs quals;
            READ(tsvc__der_get_element(&info, TSVC__TAG_SEQUENCE, &p->qualifiers, &inner_),
                 EXT_ERR, check, info);
            tsvc__cbs q = p->qualifiers;
            READ(tsvc__der_get(&q, TSVC__TAG_SEQUENCE, &quals, &inner_), EXT_ERR, check, q);
            if (quals.len == 0) {
                st = ext_fail(err, check, &p->qualifiers, "empty policyQualifiers");
                goto out;
            }
            while (quals.len > 0) {
                tsvc__cbs qi;
                READ(tsvc__der_get(&quals, TSVC__TAG_SEQUENCE, &qi, &inner_), EXT_ERR, check,
                     quals);
                READ(tsvc__der_get_oid(&qi, NULL, &inner_), EXT_ERR, check, qi);
                READ(tsvc__der_get_any(&qi, NULL, NULL, NULL, &inner_), EXT_ERR, check, qi);
                READ(tsvc__der_expect_end(&qi, &inner_), EXT_ERR, check, qi);
            }
        }
        READ(tsvc__der_expect_end(&info, &inner_), EXT_ERR, check, info);
        cert->policies.num = i + 1;
    }
    {
        bool dup = false;
        size_t at = 0;
        st = tsvc__x509_find_duplicate(cert->ctx, cert->policies.items, n,
                                       sizeof(*cert->policies.items),
                                       offsetof(tsvc__x509_policy, oid), &dup, &at);
        if (st != TSVC_OK) {
            st = nomem(err);
            goto out;
        }
        if (dup) {
            st = ext_fail(err, check, &cert->policies.items[at].oid,
                          "a policy appears more than once");
            goto out;
        }
    }
out:
    return st;
}

static tsvc_status dec_policy_mappings(tsvc_cert *cert, const tsvc__x509_ext *ext,
                                       tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    size_t n = 0;
    const char *check = "x509.ext.policy_mappings";
    st = get_seq_of(ext, &c, &n, check, "empty policyMappings", err);
    if (st != TSVC_OK)
        goto out;
    cert->mappings.items = alloc_array(cert->ctx, n, sizeof(*cert->mappings.items));
    if (cert->mappings.items == NULL) {
        st = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        tsvc__x509_policy_mapping *m = &cert->mappings.items[i];
        tsvc__cbs pair;
        READ(tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &pair, &inner_), EXT_ERR, check, c);
        READ(tsvc__der_get_oid(&pair, &m->issuer_domain, &inner_), EXT_ERR, check, pair);
        READ(tsvc__der_get_oid(&pair, &m->subject_domain, &inner_), EXT_ERR, check, pair);
        READ(tsvc__der_expect_end(&pair, &inner_), EXT_ERR, check, pair);
        cert->mappings.num = i + 1;
    }
out:
    return st;
}

static tsvc_status get_skip_certs(tsvc__cbs *c, uint32_t tag, int64_t *out, const char *check,
                                  tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs v;
    bool negative = false;
    uint64_t u = 0;
    READ(tsvc__der_get_integer(c, tag, &v, &negative, &inner_), EXT_ERR, check, *c);
    if (negative || !tsvc__x509_int_to_u64(&v, &u) || u > (uint64_t)INT64_MAX) {
        st = ext_fail(err, check, &v, "SkipCerts out of range");
        goto out;
    }
    *out = (int64_t)u;
out:
    return st;
}

static tsvc_status dec_policy_constraints(tsvc_cert *cert, const tsvc__x509_ext *ext,
                                          tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    const char *check = "x509.ext.policy_constraints";
    cert->pc.require_explicit_policy = -1;
    cert->pc.inhibit_policy_mapping = -1;
    st = get_outer_nonempty(ext, &c, check, "empty policyConstraints", err);
    if (st != TSVC_OK)
        goto out;
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT(0))) {
        st = get_skip_certs(&c, TSVC__TAG_CONTEXT(0), &cert->pc.require_explicit_policy, check,
                            err);
        if (st != TSVC_OK)
            goto out;
    }
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT(1))) {
        st = get_skip_certs(&c, TSVC__TAG_CONTEXT(1), &cert->pc.inhibit_policy_mapping, check,
                            err);
        if (st != TSVC_OK)
            goto out;
    }
    READ(tsvc__der_expect_end(&c, &inner_), EXT_ERR, check, c);
out:
    return st;
}

static tsvc_status dec_inhibit_any(tsvc_cert *cert, const tsvc__x509_ext *ext, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs v = ext->value;
    const char *check = "x509.ext.inhibit_any_policy";
    st = get_skip_certs(&v, TSVC__TAG_INTEGER, &cert->inhibit_any.skip_certs, check, err);
    if (st != TSVC_OK)
        goto out;
    READ(tsvc__der_expect_end(&v, &inner_), EXT_ERR, check, v);
out:
    return st;
}

static tsvc_status dec_aki(tsvc_cert *cert, const tsvc__x509_ext *ext, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    const char *check = "x509.ext.authority_key_id";
    st = get_outer(ext, TSVC__TAG_SEQUENCE, &c, check, err);
    if (st != TSVC_OK)
        goto out;
    READ(tsvc__der_get_optional(&c, TSVC__TAG_CONTEXT(0), &cert->aki.key_id,
                                &cert->aki.has_key_id, &inner_),
         EXT_ERR, check, c);
    READ(tsvc__der_get_optional(&c, TSVC__TAG_CONTEXT_C(1), &cert->aki.issuer,
                                &cert->aki.has_issuer, &inner_),
         EXT_ERR, check, c);
    if (cert->aki.has_issuer) {
        st = check_general_names(&cert->aki.issuer, check, "empty authorityCertIssuer", err);
        if (st != TSVC_OK)
            goto out;
    }
    if (tsvc__der_peek_tag(&c, TSVC__TAG_CONTEXT(2))) {
        bool negative = false;
        READ(tsvc__der_get_integer(&c, TSVC__TAG_CONTEXT(2), &cert->aki.serial, &negative,
                                   &inner_),
             EXT_ERR, check, c);
        cert->aki.has_serial = true;
    }
    READ(tsvc__der_expect_end(&c, &inner_), EXT_ERR, check, c);
out:
    return st;
}

static tsvc_status dec_ski(tsvc_cert *cert, const tsvc__x509_ext *ext, tsvc_error **err)
{
    return get_outer(ext, TSVC__TAG_OCTET_STRING, &cert->ski.key_id, "x509.ext.subject_key_id",
                     err);
}

/* Appends a NUL-terminated copy of an IA5 URI to a growing string array. */
static tsvc_status push_uri(const tsvc_ctx *ctx, char ***arr, size_t *num, size_t cap,
                            const tsvc__cbs *uri, tsvc_error **err)
{
    if (*num >= cap)
        return tsvc__err(err, TSVC_ERR_INTERNAL, "x509.uri", -1, "URI array overflow");
    char *s = tsvc__alloc(ctx, uri->len + 1);
    if (s == NULL)
        return nomem(err);
    if (uri->len > 0)
        memcpy(s, uri->data, uri->len);
    s[uri->len] = '\0';
    (*arr)[(*num)++] = s;
    return TSVC_OK;
}

static size_t count_uris(const tsvc__cbs *general_names_contents)
{
    size_t n = 0;
    tsvc__cbs w = *general_names_contents;
    while (w.len > 0) {
        uint32_t tag = 0;
        if (tsvc__der_get_any(&w, &tag, NULL, NULL, NULL) != TSVC_OK)
            break;
        if (tag == TSVC__TAG_CONTEXT(TSVC_GN_URI))
            n++;
    }
    return n;
}

static tsvc_status dec_crl_dps(tsvc_cert *cert, const tsvc__x509_ext *ext, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    size_t n = 0, total_uris = 0;
    const char *check = "x509.ext.crl_distribution_points";
    st = get_seq_of(ext, &c, &n, check, "empty cRLDistributionPoints", err);
    if (st != TSVC_OK)
        goto out;
    cert->crldp.points = alloc_array(cert->ctx, n, sizeof(*cert->crldp.points));
    if (cert->crldp.points == NULL) {
        st = nomem(err);
        goto out;
    }
    /* First pass: structure. */
    tsvc__cbs walk = c;
    for (size_t i = 0; i < n; i++) {
        tsvc__x509_dist_point *dp = &cert->crldp.points[i];
        tsvc__cbs body, dpn;
        bool has_dpn = false;
        READ(tsvc__der_get_element(&walk, TSVC__TAG_SEQUENCE, &dp->element, &inner_), EXT_ERR,
             check, walk);
        tsvc__cbs el = dp->element;
        READ(tsvc__der_get(&el, TSVC__TAG_SEQUENCE, &body, &inner_), EXT_ERR, check, el);
        READ(tsvc__der_get_optional(&body, TSVC__TAG_CONTEXT_C(0), &dpn, &has_dpn, &inner_),
             EXT_ERR, check, body);
        if (has_dpn) {
            READ(tsvc__der_get_optional(&dpn, TSVC__TAG_CONTEXT_C(0), &dp->full_name,
                                        &dp->has_full_name, &inner_),
                 EXT_ERR, check, dpn);
            if (!dp->has_full_name) {
                READ(tsvc__der_get_optional(&dpn, TSVC__TAG_CONTEXT_C(1), &dp->relative_name,
                                            &dp->has_relative_name, &inner_),
                     EXT_ERR, check, dpn);
            }
            if ((!dp->has_full_name && !dp->has_relative_name) || dpn.len != 0) {
                st = ext_fail(err, check, &dpn, "malformed DistributionPointName");
                goto out;
            }
            if (dp->has_full_name) {
                st = check_general_names(&dp->full_name, check, "empty fullName", err);
                if (st != TSVC_OK)
                    goto out;
                total_uris += count_uris(&dp->full_name);
            }
        }
        if (tsvc__der_peek_tag(&body, TSVC__TAG_CONTEXT(1))) {
            READ(tsvc__der_get_named_bits(&body, TSVC__TAG_CONTEXT(1), &dp->reasons, false,
                                          &inner_),
                 EXT_ERR, check, body);
            dp->has_reasons = true;
        }
        READ(tsvc__der_get_optional(&body, TSVC__TAG_CONTEXT_C(2), &dp->crl_issuer,
                                    &dp->has_crl_issuer, &inner_),
             EXT_ERR, check, body);
        if (dp->has_crl_issuer) {
            st = check_general_names(&dp->crl_issuer, check, "empty cRLIssuer", err);
            if (st != TSVC_OK)
                goto out;
        }
        READ(tsvc__der_expect_end(&body, &inner_), EXT_ERR, check, body);
        if (!has_dpn && !dp->has_crl_issuer) {
            st = ext_fail(err, check, &dp->element,
                          "DistributionPoint without distributionPoint and cRLIssuer");
            goto out;
        }
        cert->crldp.num = i + 1;
    }
    /* Second pass: URIs. */
    cert->crldp.uris = alloc_array(cert->ctx, total_uris, sizeof(char *));
    if (cert->crldp.uris == NULL) {
        st = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < cert->crldp.num; i++) {
        const tsvc__x509_dist_point *dp = &cert->crldp.points[i];
        if (!dp->has_full_name)
            continue;
        tsvc__cbs g = dp->full_name;
        while (g.len > 0) {
            tsvc__x509_gname gn;
            st = tsvc__x509_parse_general_name(&g, false, &gn, err);
            if (st != TSVC_OK)
                goto out;
            if (gn.type != TSVC_GN_URI)
                continue;
            st = push_uri(cert->ctx, &cert->crldp.uris, &cert->crldp.num_uris, total_uris,
                          &gn.value, err);
            if (st != TSVC_OK)
                goto out;
        }
    }
    st = TSVC_OK;
out:
    return st;
}

static tsvc_status dec_aia(tsvc_cert *cert, const tsvc__x509_ext *ext, tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    size_t n = 0;
    const char *check = "x509.ext.authority_info_access";
    st = get_seq_of(ext, &c, &n, check, "empty authorityInfoAccess", err);
    if (st != TSVC_OK)
        goto out;
    cert->aia.ocsp = alloc_array(cert->ctx, n, sizeof(char *));
    cert->aia.ca_issuers = alloc_array(cert->ctx, n, sizeof(char *));
    if (cert->aia.ocsp == NULL || cert->aia.ca_issuers == NULL) {
        st = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        tsvc__cbs ad, method;
        tsvc__x509_gname loc;
        READ(tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &ad, &inner_), EXT_ERR, check, c);
        READ(tsvc__der_get_oid(&ad, &method, &inner_), EXT_ERR, check, ad);
        st = tsvc__x509_parse_general_name(&ad, false, &loc, err);
        if (st != TSVC_OK)
            goto out;
        READ(tsvc__der_expect_end(&ad, &inner_), EXT_ERR, check, ad);
        if (loc.type != TSVC_GN_URI)
            continue;
        if (tsvc__oid_equal(&method, (const uint8_t *)TSVC__OID_AD_OCSP,
                            TSVC__OID_LEN(TSVC__OID_AD_OCSP)))
            st = push_uri(cert->ctx, &cert->aia.ocsp, &cert->aia.num_ocsp, n, &loc.value, err);
        else if (tsvc__oid_equal(&method, (const uint8_t *)TSVC__OID_AD_CA_ISSUERS,
                                 TSVC__OID_LEN(TSVC__OID_AD_CA_ISSUERS)))
            st = push_uri(cert->ctx, &cert->aia.ca_issuers, &cert->aia.num_ca_issuers, n,
                          &loc.value, err);
        if (st != TSVC_OK)
            goto out;
    }
    st = TSVC_OK;
out:
    return st;
}

static tsvc_status dec_qc_statements(tsvc_cert *cert, const tsvc__x509_ext *ext,
                                     tsvc_error **err)
{
    tsvc_status st;
    tsvc__cbs c;
    st = get_outer(ext, TSVC__TAG_SEQUENCE, &c, "x509.ext.qc_statements", err);
    if (st != TSVC_OK)
        goto out;
    while (c.len > 0) {
        tsvc__cbs stmt;
        READ(tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &stmt, &inner_), EXT_ERR,
             "x509.ext.qc_statements", c);
        READ(tsvc__der_get_oid(&stmt, NULL, &inner_), EXT_ERR, "x509.ext.qc_statements", stmt);
        if (stmt.len > 0)
            READ(tsvc__der_get_any(&stmt, NULL, NULL, NULL, &inner_), EXT_ERR,
                 "x509.ext.qc_statements", stmt);
        READ(tsvc__der_expect_end(&stmt, &inner_), EXT_ERR, "x509.ext.qc_statements", stmt);
    }
    cert->qc_statements.value = ext->value;
out:
    return st;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

#define IS(ext, lit) tsvc__oid_equal(&(ext)->oid, (const uint8_t *)(lit), TSVC__OID_LEN(lit))

tsvc_status tsvc__x509_decode_extensions(tsvc_cert *cert, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    for (size_t i = 0; i < cert->num_exts; i++) {
        tsvc__x509_ext *e = &cert->exts[i];
        bool *present = NULL, *critical = NULL;
        /* Extension values are OCTET STRING contents, which the whole-input
         * DER walk did not enter: validate them (depth included) too. */
        if (e->value.len > 0) {
            tsvc_error *inner = NULL;
            st = tsvc__der_validate(e->value.data, e->value.len,
                                    (unsigned)tsvc__limit(cert->ctx, TSVC_LIMIT_DER_DEPTH),
                                    &inner);
            if (st == TSVC_ERR_LIMIT_DER_DEPTH) {
                tsvc__err(err, st, "der.depth", tsvc__cbs_offset(&e->value), "%s",
                          tsvc_error_message(inner));
                tsvc_error_free(inner);
                goto out;
            }
            tsvc_error_free(inner);
            st = TSVC_OK;
        }
        e->understood = true;
        if (IS(e, TSVC__OID_CE_BASIC_CONSTRAINTS)) {
            present = &cert->bc.present, critical = &cert->bc.critical;
            st = dec_basic_constraints(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_KEY_USAGE)) {
            present = &cert->ku.present, critical = &cert->ku.critical;
            st = dec_key_usage(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_EXT_KEY_USAGE)) {
            present = &cert->eku.present, critical = &cert->eku.critical;
            st = dec_oid_seq(cert, e, &cert->eku, "x509.ext.ext_key_usage", err);
        } else if (IS(e, TSVC__OID_CE_SUBJECT_ALT_NAME)) {
            present = &cert->san.present, critical = &cert->san.critical;
            st = dec_names(cert, e, &cert->san, "x509.ext.subject_alt_name", err);
        } else if (IS(e, TSVC__OID_CE_ISSUER_ALT_NAME)) {
            present = &cert->ian.present, critical = &cert->ian.critical;
            st = dec_names(cert, e, &cert->ian, "x509.ext.issuer_alt_name", err);
        } else if (IS(e, TSVC__OID_CE_NAME_CONSTRAINTS)) {
            present = &cert->nc.present, critical = &cert->nc.critical;
            st = dec_name_constraints(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_CERT_POLICIES)) {
            present = &cert->policies.present, critical = &cert->policies.critical;
            st = dec_policies(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_POLICY_MAPPINGS)) {
            present = &cert->mappings.present, critical = &cert->mappings.critical;
            st = dec_policy_mappings(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_POLICY_CONSTRAINTS)) {
            present = &cert->pc.present, critical = &cert->pc.critical;
            st = dec_policy_constraints(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_INHIBIT_ANY_POLICY)) {
            present = &cert->inhibit_any.present, critical = &cert->inhibit_any.critical;
            st = dec_inhibit_any(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_AUTHORITY_KEY_ID)) {
            present = &cert->aki.present, critical = &cert->aki.critical;
            st = dec_aki(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_SUBJECT_KEY_ID)) {
            present = &cert->ski.present, critical = &cert->ski.critical;
            st = dec_ski(cert, e, err);
        } else if (IS(e, TSVC__OID_CE_CRL_DIST_POINTS)) {
            present = &cert->crldp.present, critical = &cert->crldp.critical;
            st = dec_crl_dps(cert, e, err);
        } else if (IS(e, TSVC__OID_PE_AIA)) {
            present = &cert->aia.present, critical = &cert->aia.critical;
            st = dec_aia(cert, e, err);
        } else if (IS(e, TSVC__OID_PE_QC_STATEMENTS)) {
            present = &cert->qc_statements.present, critical = &cert->qc_statements.critical;
            st = dec_qc_statements(cert, e, err);
        } else {
            e->understood = false;
            if (e->critical)
                cert->flags |= TSVC_CERT_FLAG_UNKNOWN_CRITICAL_EXTENSION;
        }
        if (st != TSVC_OK)
            goto out;
        if (present != NULL) {
            *present = true;
            *critical = e->critical;
        }
    }
out:
    return st;
}

static void free_strings(const tsvc_ctx *ctx, char **arr, size_t n)
{
    if (arr == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        tsvc__free(ctx, arr[i]);
    tsvc__free(ctx, arr);
}

void tsvc__x509_free_extensions(tsvc_cert *cert)
{
    const tsvc_ctx *ctx = cert->ctx;
    tsvc__free(ctx, cert->eku.oids);
    tsvc__free(ctx, cert->san.names);
    tsvc__free(ctx, cert->ian.names);
    tsvc__free(ctx, cert->nc.permitted);
    tsvc__free(ctx, cert->nc.excluded);
    tsvc__free(ctx, cert->policies.items);
    tsvc__free(ctx, cert->mappings.items);
    tsvc__free(ctx, cert->crldp.points);
    free_strings(ctx, cert->crldp.uris, cert->crldp.num_uris);
    free_strings(ctx, cert->aia.ocsp, cert->aia.num_ocsp);
    free_strings(ctx, cert->aia.ca_issuers, cert->aia.num_ca_issuers);
}
