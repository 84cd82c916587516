/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the path layer: its status codes, the store and policy
 * internals, the RFC 9618 policy graph, and path building.
 */
#ifndef TSVC_PATH_PATH_H
#define TSVC_PATH_PATH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "der/der.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"

struct tsvc_cert;

/** Takes a reference to a certificate (NULL gives NULL). */
const struct tsvc_cert *tsvc__path_cert_ref(const struct tsvc_cert *cert);
/** Releases a reference taken with tsvc__path_cert_ref(). */
void tsvc__path_cert_unref(const struct tsvc_cert *cert);

/* ------------------------------------------------------------------ */
/* Store                                                               */
/* ------------------------------------------------------------------ */

/** Most certificates of each kind one store holds. */
#define TSVC__STORE_MAX 65536

/**
 * An index of certificates by subject name: a hash table of
 * tsvc__name_hash() values, chained through @c next, over positions in
 * the store's array (the index of an array element is its position).
 */
typedef struct tsvc__name_index {
    uint64_t *hash;    /* per position */
    uint32_t *next;    /* per position: the next position in the same bucket */
    uint32_t *buckets; /* first position of each bucket, or TSVC__INDEX_END */
    size_t num_buckets; /* a power of two, or 0 */
    size_t cap;         /* positions allocated in hash and next */
} tsvc__name_index;

#define TSVC__INDEX_END UINT32_MAX

/** Adds position @p pos (the next one) with @p hash. TSVC_ERR_NOMEM on failure, index unchanged. */
tsvc_status tsvc__name_index_add(const tsvc_ctx *ctx, tsvc__name_index *idx, size_t pos,
                                 uint64_t hash);
/** Releases the index. */
void tsvc__name_index_free(const tsvc_ctx *ctx, tsvc__name_index *idx);
/** First position of @p hash's bucket (TSVC__INDEX_END when none). */
uint32_t tsvc__name_index_first(const tsvc__name_index *idx, uint64_t hash);

typedef struct tsvc__anchor {
    const struct tsvc_cert *cert; /* NULL for a bare-key anchor */
    /* Bare-key anchors: */
    uint8_t *name_der;
    size_t name_len;
    tsvc_pubkey *key;
} tsvc__anchor;

struct tsvc_store {
    const tsvc_ctx *ctx;
    atomic_uint refs;
    atomic_bool frozen;
    tsvc__anchor *anchors;
    size_t num_anchors;
    size_t cap_anchors;
    const struct tsvc_cert **inter;
    size_t num_inter;
    size_t cap_inter;
    /* Anchors and intermediates by subject name (bare-key anchors by their name) */
    tsvc__name_index anchor_index;
    tsvc__name_index inter_index;
    /* Revocation material given by the caller (src/path/revcheck.c) */
    struct tsvc_crl **crls;
    size_t num_crls;
    size_t cap_crls;
    struct tsvc_ocsp_response **ocsp;
    size_t num_ocsp;
    size_t cap_ocsp;
};

/* ------------------------------------------------------------------ */
/* Policy                                                              */
/* ------------------------------------------------------------------ */

#define TSVC__POLICY_MAX_EKUS 16
#define TSVC__POLICY_MAX_INITIAL 64
#define TSVC__POLICY_MAX_PEERS 16
#define TSVC__PEER_MAX 256

typedef struct tsvc__oid {
    uint8_t len;
    uint8_t bytes[TSVC__OID_MAX_LEN];
} tsvc__oid;

typedef struct tsvc__peer {
    tsvc_peer_kind kind;
    char text[TSVC__PEER_MAX]; /* DNS name (lower case) or e-mail address */
    uint8_t ip[16];
    uint8_t ip_len; /* 4 or 16 for IP */
} tsvc__peer;

struct tsvc_policy {
    const tsvc_ctx *ctx;
    atomic_uint refs;
    atomic_bool frozen;
    bool has_time;
    int64_t when;
    tsvc_profile profile;
    uint32_t key_usage;
    tsvc__oid ekus[TSVC__POLICY_MAX_EKUS];
    size_t num_ekus;
    tsvc__oid initial[TSVC__POLICY_MAX_INITIAL];
    size_t num_initial;
    uint32_t flags;
    tsvc__peer peers[TSVC__POLICY_MAX_PEERS];
    size_t num_peers;
    bool has_max_depth;
    unsigned max_depth;
    struct tsvc_algorithm_policy *algpolicy; /* owned reference; NULL: no algorithm checks */
    /* Revocation checking (tsvc_policy_set_revocation_*; src/path/revcheck.c) */
    tsvc_revocation_mode rev_mode;
    tsvc_revocation_source rev_source;
    tsvc_revocation_fetch rev_fetch;
    bool rev_has_freshness;
    int64_t rev_max_age; /* 0: no limit */
    int64_t rev_skew;
    uint32_t rev_flags;  /* tsvc_revocation_flag */
};

/* ------------------------------------------------------------------ */
/* RFC 9618 policy graph, on abstract per-certificate data              */
/* ------------------------------------------------------------------ */

/** A borrowed OID (DER contents octets). */
typedef struct tsvc__oidref {
    const uint8_t *data;
    size_t len;
} tsvc__oidref;

typedef struct tsvc__polmap {
    tsvc__oidref issuer;  /* issuerDomainPolicy */
    tsvc__oidref subject; /* subjectDomainPolicy */
} tsvc__polmap;

/** What the policy algorithm needs of one certificate. */
typedef struct tsvc__polcert {
    bool has_policies;            /* certificatePolicies present */
    const tsvc__oidref *policies; /* policy OIDs, anyPolicy included */
    size_t num_policies;
    bool has_mappings;
    const tsvc__polmap *mappings;
    size_t num_mappings;
    int64_t require_explicit; /* -1 when absent */
    int64_t inhibit_mapping;  /* -1 when absent */
    int64_t inhibit_any;      /* -1 when absent (inhibitAnyPolicy extension) */
    bool self_issued;
} tsvc__polcert;

/** Most policies (and mappings) of one certificate the algorithm accepts. */
#define TSVC__POLICY_MAX_PER_CERT 1024

/**
 * Runs RFC 5280 section 6.1 policy processing with the RFC 9618 graph on
 * a path given from the certificate after the trust anchor (index 0) to
 * the leaf (index n-1). @p initial is the user-initial-policy-set (empty
 * means {anyPolicy}). On success *ok says whether the path is acceptable;
 * when not, @p why (may be NULL) gets a static explanation and *fail_index
 * the certificate index. Errors: TSVC_ERR_NOMEM, TSVC_ERR_LIMIT_COUNT.
 */
tsvc_status tsvc__policy_graph_run(const tsvc_ctx *ctx, const tsvc__polcert *certs, size_t n,
                                   const tsvc__oidref *initial, size_t num_initial,
                                   bool explicit_policy, bool inhibit_mapping, bool inhibit_any,
                                   bool *ok, const char **why, size_t *fail_index);

/** Marks a policy used (frozen); returns the policy. */
void tsvc__policy_freeze(tsvc_policy *policy);

/** TSVC_OK if @p policy is given and not frozen yet (for its setters). */
tsvc_status tsvc__policy_check_mutable(const tsvc_policy *policy, tsvc_error **err);

/**
 * For a setter: tsvc__policy_check_mutable(), then TSVC_ERR_INVALID_ARG with
 * the message @p invalid unless @p valid.
 */
tsvc_status tsvc__policy_check_setting(const tsvc_policy *policy, bool valid, const char *invalid,
                                       tsvc_error **err);

/** TSVC_OK if @p store is given and not frozen yet (for the functions that add to it). */
tsvc_status tsvc__store_check_mutable(const tsvc_store *store, tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Revocation (src/path/revcheck.c)                                     */
/* ------------------------------------------------------------------ */

/** Releases the revocation material of a store (called by tsvc_store_free). */
void tsvc__store_free_revocation(struct tsvc_store *store);

/**
 * Checks the revocation status of the certificates of a validated path
 * (path[0] = leaf .. path[len-1], issued by @p anchor) at @p when, as the
 * policy asks, adding "revocation" entries to the report. Returns 0 when
 * nothing failed, 1 when the outcome of @p r was set (revoked, or no
 * usable data under hard-fail), -1 on allocation failure.
 */
int tsvc__path_revocation(const tsvc_ctx *ctx, const tsvc_policy *pol, const struct tsvc_store *store,
                          tsvc_report *r, const struct tsvc_cert *const *path, size_t len,
                          const tsvc__anchor *anchor, int64_t when);

#endif /* TSVC_PATH_PATH_H */
