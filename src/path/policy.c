/*
 * SPDX-License-Identifier: Apache-2.0
 * Validation policies: the caller's requirements for tsvc_validate().
 */
#include <string.h>

#include "crypto/algpolicy.h"
#include "path/path.h"
#include "x509/x509.h"

/* id-kp arcs 1.3.6.1.5.5.7.3.x and anyExtendedKeyUsage 2.5.29.37.0 */
static const char *const eku_text[] = {
    "2.5.29.37.0",       "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.3",
    "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9",
};

tsvc_status tsvc_policy_new(tsvc_ctx *ctx, tsvc_policy **out, tsvc_error **err)
{
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out is required");
    *out = NULL;
    tsvc_policy *p = tsvc__calloc(ctx, 1, sizeof(*p));
    if (p == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    p->ctx = ctx;
    atomic_init(&p->refs, 1u);
    atomic_init(&p->frozen, false);
    p->profile = TSVC_PROFILE_GENERIC;
    *out = p;
    return TSVC_OK;
}

tsvc_policy *tsvc_policy_ref(tsvc_policy *policy)
{
    if (policy != NULL)
        atomic_fetch_add(&policy->refs, 1u);
    return policy;
}

void tsvc_policy_free(tsvc_policy *policy)
{
    if (policy == NULL)
        return;
    if (atomic_fetch_sub(&policy->refs, 1u) != 1u)
        return;
    tsvc_algorithm_policy_free(policy->algpolicy);
    tsvc__free(policy->ctx, policy);
}

void tsvc__policy_freeze(tsvc_policy *policy)
{
    if (policy != NULL)
        atomic_store(&policy->frozen, true);
}

tsvc_status tsvc__policy_check_mutable(const tsvc_policy *policy, tsvc_error **err)
{
    if (policy == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "policy is required");
    if (atomic_load(&policy->frozen))
        return tsvc__err(err, TSVC_ERR_POLICY_FROZEN, "policy.frozen", -1,
                         "the policy is in use and can no longer be changed");
    return TSVC_OK;
}

tsvc_status tsvc__policy_check_setting(const tsvc_policy *policy, bool valid, const char *invalid,
                                       tsvc_error **err)
{
    tsvc_status st = tsvc__policy_check_mutable(policy, err);
    if (st == TSVC_OK && !valid)
        st = tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "%s", invalid);
    return st;
}

tsvc_status tsvc_policy_set_time(tsvc_policy *policy, int64_t when, tsvc_error **err)
{
    tsvc_status st = tsvc__policy_check_mutable(policy, err);
    if (st != TSVC_OK)
        return st;
    policy->has_time = true;
    policy->when = when;
    return TSVC_OK;
}

tsvc_status tsvc_policy_set_profile(tsvc_policy *policy, tsvc_profile profile, tsvc_error **err)
{
    tsvc_status st = tsvc__policy_check_mutable(policy, err);
    if (st != TSVC_OK)
        return st;
    if (profile != TSVC_PROFILE_GENERIC && profile != TSVC_PROFILE_SERVER &&
        profile != TSVC_PROFILE_CLIENT && profile != TSVC_PROFILE_SMIME)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown profile %d", (int)profile);
    policy->profile = profile;
    return TSVC_OK;
}

tsvc_status tsvc_policy_set_key_usage(tsvc_policy *policy, uint32_t usages, tsvc_error **err)
{
    tsvc_status st =
        tsvc__policy_check_setting(policy, (usages & ~0x1ffu) == 0, "unknown key usage bits", err);
    if (st == TSVC_OK)
        policy->key_usage = usages;
    return st;
}

/* For the setters that add an OID: the policy must be mutable and the text an OID. */
static tsvc_status parse_oid(const tsvc_policy *policy, const char *text, tsvc__oid *out,
                             tsvc_error **err)
{
    size_t len = 0;
    tsvc_status st = tsvc__policy_check_mutable(policy, err);
    if (st != TSVC_OK)
        return st;
    if (text == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "OID text is required");
    st = tsvc__oid_from_text(text, out->bytes, sizeof(out->bytes), &len);
    if (st != TSVC_OK || len == 0 || len > TSVC__OID_MAX_LEN)
        return tsvc__err(err, TSVC_ERR_DER_OID, NULL, -1, "malformed OID text");
    out->len = (uint8_t)len;
    return TSVC_OK;
}

tsvc_status tsvc_policy_add_eku_oid(tsvc_policy *policy, const char *oid, tsvc_error **err)
{
    tsvc__oid o;
    tsvc_status st = parse_oid(policy, oid, &o, err);
    if (st != TSVC_OK)
        return st;
    for (size_t i = 0; i < policy->num_ekus; i++)
        if (policy->ekus[i].len == o.len && memcmp(policy->ekus[i].bytes, o.bytes, o.len) == 0)
            return TSVC_OK;
    if (policy->num_ekus >= TSVC__POLICY_MAX_EKUS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1, "too many EKUs");
    policy->ekus[policy->num_ekus++] = o;
    return TSVC_OK;
}

tsvc_status tsvc_policy_add_eku(tsvc_policy *policy, tsvc_eku eku, tsvc_error **err)
{
    if ((unsigned)eku >= sizeof(eku_text) / sizeof(eku_text[0]))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown EKU %d", (int)eku);
    return tsvc_policy_add_eku_oid(policy, eku_text[eku], err);
}

tsvc_status tsvc_policy_add_initial_policy(tsvc_policy *policy, const char *oid,
                                           tsvc_error **err)
{
    tsvc__oid o;
    tsvc_status st = parse_oid(policy, oid, &o, err);
    if (st != TSVC_OK)
        return st;
    if (policy->num_initial >= TSVC__POLICY_MAX_INITIAL)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1, "too many initial policies");
    policy->initial[policy->num_initial++] = o;
    return TSVC_OK;
}

tsvc_status tsvc_policy_set_flags(tsvc_policy *policy, uint32_t flags, tsvc_error **err)
{
    tsvc_status st =
        tsvc__policy_check_setting(policy, (flags & ~0x7u) == 0, "unknown policy flags", err);
    if (st == TSVC_OK)
        policy->flags = flags;
    return st;
}

tsvc_status tsvc_policy_set_max_depth(tsvc_policy *policy, unsigned max_intermediates,
                                      tsvc_error **err)
{
    tsvc_status st =
        tsvc__policy_check_setting(policy, max_intermediates <= 31, "depth must be 0..31", err);
    if (st == TSVC_OK) {
        policy->has_max_depth = true;
        policy->max_depth = max_intermediates;
    }
    return st;
}

tsvc_status tsvc_policy_set_algorithm_policy(tsvc_policy *policy,
                                             struct tsvc_algorithm_policy *algs,
                                             tsvc_error **err)
{
    tsvc_status st = tsvc__policy_check_mutable(policy, err);
    if (st != TSVC_OK)
        return st;
    tsvc__algpolicy_freeze(algs);
    tsvc_algorithm_policy_free(policy->algpolicy);
    policy->algpolicy = tsvc_algorithm_policy_ref(algs);
    return TSVC_OK;
}

tsvc_status tsvc_policy_add_peer_name(tsvc_policy *policy, tsvc_peer_kind kind,
                                      const char *value, tsvc_error **err)
{
    tsvc__peer peer;
    tsvc_status st = tsvc__policy_check_mutable(policy, err);
    if (st != TSVC_OK)
        return st;
    if (value == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "peer name is required");
    memset(&peer, 0, sizeof(peer));
    peer.kind = kind;
    size_t len = strlen(value);
    switch (kind) {
    case TSVC_PEER_DNS:
    case TSVC_PEER_EMAIL:
        if (len == 0 || len >= sizeof(peer.text))
            return tsvc__err(err, TSVC_ERR_PEER_NAME, "peer-name", -1, "bad peer name length");
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)value[i];
            if (c <= 0x20 || c >= 0x7f)
                return tsvc__err(err, TSVC_ERR_PEER_NAME, "peer-name", -1,
                                 "peer name must be printable ASCII");
            peer.text[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        }
        if (kind == TSVC_PEER_EMAIL) {
            /* Only the domain part is case-insensitive. */
            const char *at = strrchr(value, '@');
            if (at == NULL || at == value || at[1] == '\0')
                return tsvc__err(err, TSVC_ERR_PEER_NAME, "peer-name", -1,
                                 "e-mail address without local part or domain");
            memcpy(peer.text, value, (size_t)(at - value));
        }
        break;
    case TSVC_PEER_IP: {
        size_t ip_len = 0;
        if (!tsvc__x509_parse_ip(value, len, peer.ip, &ip_len))
            return tsvc__err(err, TSVC_ERR_PEER_NAME, "peer-name", -1, "malformed IP address");
        peer.ip_len = (uint8_t)ip_len;
        break;
    }
    default:
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "unknown peer kind");
    }
    if (policy->num_peers >= TSVC__POLICY_MAX_PEERS)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, NULL, -1, "too many peer names");
    policy->peers[policy->num_peers++] = peer;
    return TSVC_OK;
}
