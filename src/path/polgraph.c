/*
 * SPDX-License-Identifier: Apache-2.0
 * Certificate policy processing (RFC 5280 section 6.1, steps (d)-(f),
 * 6.1.4 (a), (b), (h)-(j) and 6.1.5 (a), (b), (g)) with the policy graph
 * of RFC 9618 instead of the exponential policy tree.
 *
 * The graph is kept as one level per certificate. A level holds the nodes
 * of its depth, sorted by policy OID; each node lists the policies of its
 * parents in the level above, and an empty parent list means the parent
 * is the anyPolicy node of that level. Each level also says whether it has
 * an anyPolicy node. The expected_policy_set of RFC 5280 is represented by
 * building the next level's "expected" nodes from the current level and
 * the certificate's policy mappings before the next certificate's
 * policies are intersected with it. Work and memory are linear in the
 * number of policies and mappings of the path.
 */
#include <stdlib.h>
#include <string.h>

#include "path/path.h"

/* anyPolicy: 2.5.29.32.0 */
static const uint8_t any_policy[] = {0x55, 0x1d, 0x20, 0x00};

typedef struct pnode {
    tsvc__oidref policy;
    tsvc__oidref *parents; /* empty: the parent is anyPolicy */
    size_t num_parents;
    size_t cap_parents;
    bool mapped;
    bool reachable;
} pnode;

typedef struct plevel {
    pnode *nodes;
    size_t num;
    size_t cap;
    bool has_any;
} plevel;

static int oid_cmp(const tsvc__oidref *a, const tsvc__oidref *b)
{
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (a->len == 0)
        return 0;
    return memcmp(a->data, b->data, a->len);
}

static bool is_any(const tsvc__oidref *o)
{
    return o->len == sizeof(any_policy) && memcmp(o->data, any_policy, sizeof(any_policy)) == 0;
}

static void level_clear(const tsvc_ctx *ctx, plevel *l)
{
    for (size_t i = 0; i < l->num; i++)
        tsvc__free(ctx, l->nodes[i].parents);
    tsvc__free(ctx, l->nodes);
    memset(l, 0, sizeof(*l));
}

/* Binary search; returns the node or NULL, *pos gets the insertion point. */
static pnode *level_find(plevel *l, const tsvc__oidref *p, size_t *pos)
{
    size_t lo = 0, hi = l->num;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = oid_cmp(&l->nodes[mid].policy, p);
        if (c == 0) {
            if (pos)
                *pos = mid;
            return &l->nodes[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (pos)
        *pos = lo;
    return NULL;
}

/* Finds or inserts node @p p; gives it in *out. */
static tsvc_status level_get(const tsvc_ctx *ctx, plevel *l, const tsvc__oidref *p, pnode **out)
{
    size_t pos;
    pnode *n = level_find(l, p, &pos);
    if (n != NULL) {
        *out = n;
        return TSVC_OK;
    }
    if (l->num >= 4 * TSVC__POLICY_MAX_PER_CERT)
        return TSVC_ERR_LIMIT_COUNT;
    if (l->num == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        pnode *nn = tsvc__realloc(ctx, l->nodes, l->cap * sizeof(pnode), ncap * sizeof(pnode));
        if (nn == NULL)
            return TSVC_ERR_NOMEM;
        l->nodes = nn;
        l->cap = ncap;
    }
    memmove(&l->nodes[pos + 1], &l->nodes[pos], (l->num - pos) * sizeof(pnode));
    memset(&l->nodes[pos], 0, sizeof(pnode));
    l->nodes[pos].policy = *p;
    l->num++;
    *out = &l->nodes[pos];
    return TSVC_OK;
}

static tsvc_status node_add_parent(const tsvc_ctx *ctx, pnode *n, const tsvc__oidref *parent)
{
    for (size_t i = 0; i < n->num_parents; i++)
        if (oid_cmp(&n->parents[i], parent) == 0)
            return TSVC_OK;
    if (n->num_parents == n->cap_parents) {
        size_t ncap = n->cap_parents ? n->cap_parents * 2 : 2;
        tsvc__oidref *np = tsvc__realloc(ctx, n->parents, n->cap_parents * sizeof(*np),
                                         ncap * sizeof(*np));
        if (np == NULL)
            return TSVC_ERR_NOMEM;
        n->parents = np;
        n->cap_parents = ncap;
    }
    n->parents[n->num_parents++] = *parent;
    return TSVC_OK;
}

static bool cert_has_policy(const tsvc__polcert *c, const tsvc__oidref *p)
{
    for (size_t i = 0; i < c->num_policies; i++)
        if (oid_cmp(&c->policies[i], p) == 0)
            return true;
    return false;
}

static bool cert_has_any(const tsvc__polcert *c)
{
    for (size_t i = 0; i < c->num_policies; i++)
        if (is_any(&c->policies[i]))
            return true;
    return false;
}

/*
 * Steps (d) and (e): @p l holds on entry the nodes expected at this depth
 * (with has_any telling whether the level above has an anyPolicy node) and
 * on return the nodes of this depth.
 */
static tsvc_status process_policies(const tsvc_ctx *ctx, const tsvc__polcert *c, plevel *l,
                                    bool any_allowed)
{
    if (!c->has_policies) {
        level_clear(ctx, l);
        return TSVC_OK;
    }
    /* (d)(1)(ii): a policy not expected by any node hangs off anyPolicy. */
    if (l->has_any) {
        for (size_t i = 0; i < c->num_policies; i++) {
            if (is_any(&c->policies[i]))
                continue;
            pnode *n;
            tsvc_status st = level_get(ctx, l, &c->policies[i], &n);
            if (st != TSVC_OK)
                return st;
        }
    }
    bool keep_all = cert_has_any(c) && any_allowed;
    if (!keep_all) {
        /* (d)(1)(i): keep only the expected policies the certificate asserts. */
        size_t w = 0;
        for (size_t r = 0; r < l->num; r++) {
            if (cert_has_policy(c, &l->nodes[r].policy)) {
                l->nodes[w++] = l->nodes[r];
            } else {
                tsvc__free(ctx, l->nodes[r].parents);
            }
        }
        l->num = w;
        l->has_any = false;
    }
    /* (d)(2) with anyPolicy allowed: every expected policy stays, and the
     * anyPolicy node stays when the level above had one. */
    return TSVC_OK;
}

/* 6.1.4 (a), (b): builds the level expected below @p l. */
static tsvc_status process_mappings(const tsvc_ctx *ctx, const tsvc__polcert *c, plevel *l,
                                    bool mapping_allowed, plevel *next)
{
    tsvc_status st = TSVC_OK;
    memset(next, 0, sizeof(*next));
    if (c->num_mappings > 0) {
        if (mapping_allowed) {
            for (size_t i = 0; i < c->num_mappings; i++) {
                pnode *n = level_find(l, &c->mappings[i].issuer, NULL);
                if (n == NULL && l->has_any) {
                    /* (b)(1): a mapped policy not in the graph hangs off anyPolicy. */
                    st = level_get(ctx, l, &c->mappings[i].issuer, &n);
                    if (st != TSVC_OK)
                        return st;
                }
                if (n != NULL)
                    n->mapped = true;
            }
        } else {
            /* (b)(2): delete the nodes of mapped policies. */
            size_t w = 0;
            for (size_t r = 0; r < l->num; r++) {
                bool mapped = false;
                for (size_t i = 0; i < c->num_mappings && !mapped; i++)
                    mapped = oid_cmp(&c->mappings[i].issuer, &l->nodes[r].policy) == 0;
                if (mapped)
                    tsvc__free(ctx, l->nodes[r].parents);
                else
                    l->nodes[w++] = l->nodes[r];
            }
            l->num = w;
        }
    }
    next->has_any = l->has_any;
    for (size_t r = 0; r < l->num; r++) {
        pnode *n;
        if (l->nodes[r].mapped)
            continue;
        st = level_get(ctx, next, &l->nodes[r].policy, &n);
        if (st != TSVC_OK)
            goto out;
        st = node_add_parent(ctx, n, &l->nodes[r].policy);
        if (st != TSVC_OK)
            goto out;
    }
    if (mapping_allowed) {
        for (size_t i = 0; i < c->num_mappings; i++) {
            pnode *parent = level_find(l, &c->mappings[i].issuer, NULL);
            pnode *n;
            if (parent == NULL || !parent->mapped)
                continue;
            st = level_get(ctx, next, &c->mappings[i].subject, &n);
            if (st != TSVC_OK)
                goto out;
            st = node_add_parent(ctx, n, &c->mappings[i].issuer);
            if (st != TSVC_OK)
                goto out;
        }
    }
out:
    if (st != TSVC_OK)
        level_clear(ctx, next);
    return st;
}

static bool user_has(const tsvc__oidref *initial, size_t num, const tsvc__oidref *p)
{
    for (size_t i = 0; i < num; i++)
        if (oid_cmp(&initial[i], p) == 0)
            return true;
    return false;
}

/* 6.1.5 (g): is the intersection with the user-initial-policy-set non-empty? */
static bool has_explicit_policy(plevel *levels, size_t n, const tsvc__oidref *initial,
                                size_t num_initial)
{
    plevel *leaf = &levels[n - 1];
    if (leaf->num == 0 && !leaf->has_any)
        return false;
    bool user_any = num_initial == 0;
    for (size_t i = 0; i < num_initial; i++)
        if (is_any(&initial[i]))
            user_any = true;
    if (user_any || leaf->has_any)
        return true;
    for (size_t k = 0; k < leaf->num; k++)
        leaf->nodes[k].reachable = true;
    for (size_t i = n; i-- > 0;) {
        plevel *l = &levels[i];
        for (size_t k = 0; k < l->num; k++) {
            pnode *node = &l->nodes[k];
            if (!node->reachable)
                continue;
            if (node->num_parents == 0) {
                if (user_has(initial, num_initial, &node->policy))
                    return true;
            } else if (i > 0) {
                for (size_t p = 0; p < node->num_parents; p++) {
                    pnode *par = level_find(&levels[i - 1], &node->parents[p], NULL);
                    if (par != NULL)
                        par->reachable = true;
                }
            }
        }
    }
    return false;
}

tsvc_status tsvc__policy_graph_run(const tsvc_ctx *ctx, const tsvc__polcert *certs, size_t n,
                                   const tsvc__oidref *initial, size_t num_initial,
                                   bool explicit_policy, bool inhibit_mapping, bool inhibit_any,
                                   bool *ok, const char **why, size_t *fail_index)
{
    tsvc_status st = TSVC_OK;
    plevel *levels = NULL;
    plevel cur;
    const char *reason = NULL;
    size_t where = 0;
    memset(&cur, 0, sizeof(cur));
    *ok = false;
    if (n == 0) {
        *ok = true;
        return TSVC_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (certs[i].num_policies > TSVC__POLICY_MAX_PER_CERT ||
            certs[i].num_mappings > TSVC__POLICY_MAX_PER_CERT)
            return TSVC_ERR_LIMIT_COUNT;
    }
    levels = tsvc__calloc(ctx, n, sizeof(plevel));
    if (levels == NULL)
        return TSVC_ERR_NOMEM;
    uint64_t explicit_v = explicit_policy ? 0 : (uint64_t)n + 1;
    uint64_t any_v = inhibit_any ? 0 : (uint64_t)n + 1;
    uint64_t map_v = inhibit_mapping ? 0 : (uint64_t)n + 1;
    cur.has_any = true; /* the root anyPolicy node at depth 0 */
    for (size_t i = 0; i < n; i++) {
        const tsvc__polcert *c = &certs[i];
        bool last = i + 1 == n;
        bool any_allowed = any_v > 0 || (!last && c->self_issued);
        st = process_policies(ctx, c, &cur, any_allowed);
        if (st != TSVC_OK)
            goto out;
        levels[i] = cur;
        memset(&cur, 0, sizeof(cur));
        /* (f) */
        if (explicit_v == 0 && levels[i].num == 0 && !levels[i].has_any) {
            reason = "no valid policy while an explicit policy is required";
            where = i;
            goto out;
        }
        if (last)
            break;
        /* 6.1.4 (a) */
        for (size_t m = 0; m < c->num_mappings; m++) {
            if (is_any(&c->mappings[m].issuer) || is_any(&c->mappings[m].subject)) {
                reason = "policy mapping to or from anyPolicy";
                where = i;
                goto out;
            }
        }
        st = process_mappings(ctx, c, &levels[i], map_v > 0, &cur);
        if (st != TSVC_OK)
            goto out;
        /* (h) */
        if (!c->self_issued) {
            if (explicit_v > 0)
                explicit_v--;
            if (map_v > 0)
                map_v--;
            if (any_v > 0)
                any_v--;
        }
        /* (i) */
        if (c->require_explicit >= 0 && (uint64_t)c->require_explicit < explicit_v)
            explicit_v = (uint64_t)c->require_explicit;
        if (c->inhibit_mapping >= 0 && (uint64_t)c->inhibit_mapping < map_v)
            map_v = (uint64_t)c->inhibit_mapping;
        /* (j) */
        if (c->inhibit_any >= 0 && (uint64_t)c->inhibit_any < any_v)
            any_v = (uint64_t)c->inhibit_any;
    }
    /* 6.1.5 (a), (b) */
    if (explicit_v > 0)
        explicit_v--;
    if (certs[n - 1].require_explicit == 0)
        explicit_v = 0;
    /* (g) */
    if (explicit_v == 0 && !has_explicit_policy(levels, n, initial, num_initial)) {
        reason = "no acceptable policy while an explicit policy is required";
        where = n - 1;
        goto out;
    }
    *ok = true;
out:
    level_clear(ctx, &cur);
    if (levels != NULL) {
        for (size_t i = 0; i < n; i++)
            level_clear(ctx, &levels[i]);
        tsvc__free(ctx, levels);
    }
    if (st == TSVC_OK && !*ok) {
        if (why)
            *why = reason;
        if (fail_index)
            *fail_index = where;
    }
    return st;
}
