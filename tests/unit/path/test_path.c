/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the path layer: store, policy, path building, RFC 5280
 * section 6.1 checks, the server profile, budgets and the report's JSON.
 * Certificates come from tests/data/path (see make-chains.sh there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <cmocka.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "path/path.h"
#include "path/report.h"
#include "test_util.h"
#include "trustsvc/certbuilder.h"
#include "trustsvc/validate.h"
#include "x509/x509.h"

/* 2025-01-01T00:00:00Z */
#define WHEN INT64_C(1735689600)

static tsvc_ctx *g_ctx;

/* ---- helpers ---- */

static tsvc_cert *load(const char *name)
{
    char file[256];
    snprintf(file, sizeof(file), "%s.pem", name);
    return tsvc_test_load_cert(g_ctx, "tests/data/path", file);
}

typedef struct setup {
    const char *leaf;
    const char *anchors[4];
    const char *inter[6];
    tsvc_profile profile;
    const char *peer_dns;
} setup;

/* Validates per @p s with @p pol (may be NULL: a fresh policy at WHEN). */
static tsvc_report *run_with(const setup *s, tsvc_policy *pol)
{
    tsvc_store *store = NULL;
    tsvc_report *report = NULL;
    tsvc_error *err = NULL;
    bool own = pol == NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    for (size_t i = 0; i < 4 && s->anchors[i]; i++) {
        tsvc_cert *c = load(s->anchors[i]);
        assert_int_equal(tsvc_store_add_anchor(store, c, NULL), TSVC_OK);
        tsvc_cert_free(c);
    }
    for (size_t i = 0; i < 6 && s->inter[i]; i++) {
        tsvc_cert *c = load(s->inter[i]);
        assert_int_equal(tsvc_store_add_intermediate(store, c, NULL), TSVC_OK);
        tsvc_cert_free(c);
    }
    if (own) {
        assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
        assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
        assert_int_equal(tsvc_policy_set_profile(pol, s->profile, NULL), TSVC_OK);
        if (s->peer_dns)
            assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, s->peer_dns, NULL),
                             TSVC_OK);
    }
    tsvc_cert *leaf = load(s->leaf);
    tsvc_status st = tsvc_validate(g_ctx, &report, leaf, store, pol, &err);
    if (st != TSVC_OK)
        fail_msg("tsvc_validate: %s", tsvc_error_message(err));
    assert_non_null(report);
    tsvc_cert_free(leaf);
    tsvc_store_free(store);
    if (own)
        tsvc_policy_free(pol);
    return report;
}

static tsvc_report *run(const setup *s)
{
    return run_with(s, NULL);
}

static bool has_failed_check(const tsvc_report *r, const char *name)
{
    for (size_t i = 0; i < tsvc_report_num_checks(r); i++)
        if (strcmp(tsvc_report_check_name(r, i), name) == 0 &&
            tsvc_report_check_result(r, i) == TSVC_CHECK_FAILED)
            return true;
    return false;
}

static void expect(tsvc_report *r, tsvc_indication ind, tsvc_subindication sub)
{
    if (tsvc_report_indication(r) != ind || tsvc_report_subindication(r) != sub)
        fail_msg("expected %s/%s, got %s/%s: %s", tsvc_indication_str(ind),
                 tsvc_subindication_str(sub), tsvc_indication_str(tsvc_report_indication(r)),
                 tsvc_subindication_str(tsvc_report_subindication(r)), tsvc_report_reason(r));
}

static void expect_pass(const setup *s)
{
    tsvc_report *r = run(s);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(r);
}

static void expect_chain_failure(const setup *s, const char *check)
{
    tsvc_report *r = run(s);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE);
    if (check != NULL && !has_failed_check(r, check))
        fail_msg("no failed check named %s (%s)", check, tsvc_report_reason(r));
    tsvc_report_free(r);
}

static void expect_no_chain(const setup *s)
{
    tsvc_report *r = run(s);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    assert_int_equal(tsvc_report_status(r), TSVC_OK);
    tsvc_report_free(r);
}

#define BASIC(leaf_, inter_) {leaf_, {"root"}, {inter_}, TSVC_PROFILE_GENERIC, NULL}

/* ---- valid chains ---- */

static void valid_chain(void **state)
{
    (void)state;
    setup s = {"leaf", {"root"}, {"ica"}, TSVC_PROFILE_SERVER, "example.com"};
    tsvc_report *r = run(&s);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_report_status(r), TSVC_OK);
    assert_int_equal(tsvc_report_chain_count(r), 3);
    assert_non_null(tsvc_report_chain_cert(r, 2));
    assert_null(tsvc_report_chain_cert(r, 3));
    assert_int_equal(tsvc_report_time(r), WHEN);
    assert_true(tsvc_report_num_checks(r) > 5);
    tsvc_report_free(r);
}

static void default_policy_uses_clock(void **state)
{
    (void)state;
    setup s = BASIC("leaf", "ica");
    tsvc_store *store = NULL;
    tsvc_report *r = NULL;
    tsvc_cert *leaf = load("leaf"), *root = load("root"), *ica = load("ica");
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, ica, NULL), TSVC_OK);
    assert_int_equal(tsvc_validate(g_ctx, &r, leaf, store, NULL, NULL), TSVC_OK);
    /* The certificates are valid until 2040. */
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(tsvc_report_time(r) > WHEN);
    tsvc_report_free(r);
    /* The store is now frozen. */
    assert_true(tsvc_store_is_frozen(store));
    assert_int_equal(tsvc_store_add_intermediate(store, ica, NULL), TSVC_ERR_STORE_FROZEN);
    tsvc_store_free(store);
    tsvc_cert_free(leaf);
    tsvc_cert_free(root);
    tsvc_cert_free(ica);
    (void)s;
}

/* ---- validity ---- */

static void expired_leaf(void **state)
{
    (void)state;
    setup s = BASIC("leaf-expired", "ica");
    tsvc_report *r = run(&s);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_EXPIRED);
    assert_true(has_failed_check(r, "validity"));
    tsvc_report_free(r);
}

static void expired_intermediate(void **state)
{
    (void)state;
    setup s = BASIC("leaf", "ica-expired");
    tsvc_report *r = run(&s);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_EXPIRED);
    assert_int_equal(tsvc_report_chain_count(r), 3);
    tsvc_report_free(r);
}

static void not_yet_valid(void **state)
{
    (void)state;
    setup s = BASIC("leaf-notyet", "ica");
    tsvc_report *r = run(&s);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_NOT_YET_VALID);
    tsvc_report_free(r);
    setup s2 = BASIC("leaf", "ica-notyet");
    r = run(&s2);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_NOT_YET_VALID);
    tsvc_report_free(r);
}

/* ---- CA constraints ---- */

static void missing_key_cert_sign(void **state)
{
    (void)state;
    setup s = BASIC("leaf", "ica-nokcs");
    expect_chain_failure(&s, "key-usage");
}

static void ca_false_intermediate(void **state)
{
    (void)state;
    setup s = BASIC("leaf", "ica-cafalse");
    expect_chain_failure(&s, "basic-constraints");
}

static void path_length_exceeded(void **state)
{
    (void)state;
    setup s = {"leaf-ica2", {"root"}, {"ica-pathlen0", "ica2"}, TSVC_PROFILE_GENERIC, NULL};
    expect_chain_failure(&s, "path-length");
    /* Without the constraint the same shape validates. */
    setup ok = {"leaf-ica2", {"root"}, {"ica", "ica2"}, TSVC_PROFILE_GENERIC, NULL};
    expect_pass(&ok);
}

static void self_issued_not_counted(void **state)
{
    (void)state;
    setup s = {"leaf-rollover", {"root"}, {"ica-pathlen0", "ica-rollover"},
               TSVC_PROFILE_GENERIC, NULL};
    tsvc_report *r = run(&s);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_report_chain_count(r), 4);
    tsvc_report_free(r);
}

static void unknown_critical_extension(void **state)
{
    (void)state;
    setup s = BASIC("leaf-critical", "ica");
    expect_chain_failure(&s, "critical-extensions");
}

/* ---- name constraints ---- */

static void nc_dns(void **state)
{
    (void)state;
    setup permit = BASIC("leaf", "ica-nc-dns-permit");
    expect_pass(&permit);
    setup other = BASIC("leaf", "ica-nc-dns-other");
    expect_chain_failure(&other, "name-constraints");
    setup exclude = BASIC("leaf", "ica-nc-dns-exclude");
    expect_chain_failure(&exclude, "name-constraints");
}

static void nc_email(void **state)
{
    (void)state;
    setup permit = BASIC("leaf-email", "ica-nc-email-permit");
    expect_pass(&permit);
    setup exclude = BASIC("leaf-email", "ica-nc-email-exclude");
    expect_chain_failure(&exclude, "name-constraints");
    /* A DNS-only leaf is not affected by e-mail constraints. */
    setup other_type = BASIC("leaf", "ica-nc-email-exclude");
    expect_pass(&other_type);
}

static void nc_ip(void **state)
{
    (void)state;
    setup permit = BASIC("leaf-ip", "ica-nc-ip-permit");
    expect_pass(&permit);
    setup exclude = BASIC("leaf-ip", "ica-nc-ip-exclude");
    expect_chain_failure(&exclude, "name-constraints");
}

static void nc_dn(void **state)
{
    (void)state;
    setup permit = BASIC("leaf", "ica-nc-dn-permit");
    expect_pass(&permit);
    setup outside = BASIC("leaf-otherorg", "ica-nc-dn-permit");
    expect_chain_failure(&outside, "name-constraints");
    setup exclude = BASIC("leaf", "ica-nc-dn-exclude");
    expect_chain_failure(&exclude, "name-constraints");
}

static void nc_comparison_budget(void **state)
{
    (void)state;
    setup s = BASIC("leaf-many", "ica-nc-many");
    clock_t start = clock();
    tsvc_report *r = run(&s);
    double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    assert_int_equal(tsvc_report_status(r), TSVC_ERR_LIMIT_NC_COMPARISONS);
    assert_true(secs < 1.0);
    tsvc_report_free(r);
}

/* ---- policies ---- */

static void require_explicit_policy(void **state)
{
    (void)state;
    setup none = BASIC("leaf", "ica-policy-required");
    expect_chain_failure(&none, "certificate-policies");
    setup with = BASIC("leaf-policy", "ica-policy-required");
    expect_pass(&with);
}

static void initial_policy_set(void **state)
{
    (void)state;
    setup s = BASIC("leaf-policy", "ica-policy-required");
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_initial_policy(pol, "1.3.6.1.4.1.55555.2", NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_flags(pol, TSVC_POLICY_EXPLICIT, NULL), TSVC_OK);
    tsvc_report *r = run_with(&s, pol);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE);
    tsvc_report_free(r);
    /* The policy is frozen by its use. */
    assert_int_equal(tsvc_policy_set_flags(pol, 0, NULL), TSVC_ERR_POLICY_FROZEN);
    tsvc_policy_free(pol);

    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_initial_policy(pol, "1.3.6.1.4.1.55555.1", NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_flags(pol, TSVC_POLICY_EXPLICIT, NULL), TSVC_OK);
    r = run_with(&s, pol);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(r);
    tsvc_policy_free(pol);
}

/* RFC 9618 graph on abstract data. */
#define OID(s) {(const uint8_t *)(s), sizeof(s) - 1}
static const tsvc__oidref P_A = OID("\x2a\x03\x01");
static const tsvc__oidref P_B = OID("\x2a\x03\x02");
static const tsvc__oidref P_ANY = OID("\x55\x1d\x20\x00");

static tsvc__polcert pcert(const tsvc__oidref *pols, size_t n)
{
    tsvc__polcert c;
    memset(&c, 0, sizeof(c));
    c.has_policies = pols != NULL;
    c.policies = pols;
    c.num_policies = n;
    c.require_explicit = c.inhibit_mapping = c.inhibit_any = -1;
    return c;
}

static bool graph(const tsvc__polcert *c, size_t n, const tsvc__oidref *init, size_t ni,
                  uint32_t flags)
{
    bool ok = false;
    assert_int_equal(tsvc__policy_graph_run(g_ctx, c, n, init, ni, flags & 1, flags & 2,
                                            flags & 4, &ok, NULL, NULL),
                     TSVC_OK);
    return ok;
}

static void policy_graph(void **state)
{
    (void)state;
    tsvc__oidref a[] = {P_A}, b[] = {P_B}, any[] = {P_ANY};
    tsvc__polmap map_ab[] = {{P_A, P_B}};
    tsvc__polcert c[3];

    /* A, A: explicit with {A} passes, with {B} fails. */
    c[0] = pcert(a, 1);
    c[1] = pcert(a, 1);
    assert_true(graph(c, 2, a, 1, 1));
    assert_false(graph(c, 2, b, 1, 1));
    assert_true(graph(c, 2, NULL, 0, 1));
    /* No policies in the leaf: fine unless explicit. */
    c[1] = pcert(NULL, 0);
    assert_true(graph(c, 2, NULL, 0, 0));
    assert_false(graph(c, 2, NULL, 0, 1));
    /* Mapping A -> B: the user's A is reached through the mapping. */
    c[0] = pcert(a, 1);
    c[0].mappings = map_ab;
    c[0].num_mappings = 1;
    c[0].has_mappings = true;
    c[1] = pcert(b, 1);
    assert_true(graph(c, 2, a, 1, 1));
    assert_false(graph(c, 2, b, 1, 1));
    /* Mapping inhibited: B is not expected any more. */
    assert_false(graph(c, 2, NULL, 0, 1 | 2));
    /* anyPolicy in the intermediate: allowed unless inhibited. */
    c[0] = pcert(any, 1);
    c[1] = pcert(a, 1);
    assert_true(graph(c, 2, a, 1, 1));
    assert_false(graph(c, 2, a, 1, 1 | 4));
    /* requireExplicitPolicy 0 in the intermediate. */
    c[0] = pcert(a, 1);
    c[0].require_explicit = 0;
    c[1] = pcert(NULL, 0);
    assert_false(graph(c, 2, NULL, 0, 0));
    c[1] = pcert(a, 1);
    assert_true(graph(c, 2, NULL, 0, 0));
    /* A mapping to anyPolicy is refused. */
    tsvc__polmap bad[] = {{P_A, P_ANY}};
    c[0] = pcert(a, 1);
    c[0].mappings = bad;
    c[0].num_mappings = 1;
    c[0].has_mappings = true;
    assert_false(graph(c, 2, NULL, 0, 0));
}

static void policy_graph_is_linear(void **state)
{
    (void)state;
    /* 32 certificates with 1000 policies and 1000 mappings each. */
    enum { N = 32, P = 1000 };
    static uint8_t bytes[P][4];
    static tsvc__oidref pols[P + 1];
    static tsvc__polmap maps[P];
    tsvc__polcert c[N];
    for (size_t i = 0; i < P; i++) {
        bytes[i][0] = 0x2a;
        bytes[i][1] = 0x03;
        bytes[i][2] = (uint8_t)(0x80 | (i >> 7));
        bytes[i][3] = (uint8_t)(i & 0x7f);
        pols[i].data = bytes[i];
        pols[i].len = 4;
    }
    pols[P] = P_ANY;
    for (size_t i = 0; i < P; i++) {
        maps[i].issuer = pols[i];
        maps[i].subject = pols[(i + 1) % P];
    }
    for (size_t i = 0; i < N; i++) {
        c[i] = pcert(pols, P + 1);
        c[i].mappings = maps;
        c[i].num_mappings = P;
        c[i].has_mappings = true;
    }
    clock_t start = clock();
    assert_true(graph(c, N, &pols[7], 1, 1));
    assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
}

/* ---- extended key usage and server profile ---- */

static void eku_mismatch(void **state)
{
    (void)state;
    setup server = {"leaf-client", {"root"}, {"ica"}, TSVC_PROFILE_SERVER, NULL};
    expect_chain_failure(&server, "extended-key-usage");
    setup client = {"leaf-client", {"root"}, {"ica"}, TSVC_PROFILE_CLIENT, NULL};
    expect_pass(&client);

    setup generic = BASIC("leaf-client", "ica");
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_eku(pol, TSVC_EKU_CODE_SIGNING, NULL), TSVC_OK);
    tsvc_report *r = run_with(&generic, pol);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE);
    tsvc_report_free(r);
    tsvc_policy_free(pol);

    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_eku_oid(pol, "1.3.6.1.5.5.7.3.2", NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_key_usage(pol, TSVC_KU_DIGITAL_SIGNATURE, NULL), TSVC_OK);
    r = run_with(&generic, pol);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(r);
    tsvc_policy_free(pol);

    /* A key usage the leaf does not have. */
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_key_usage(pol, TSVC_KU_KEY_ENCIPHERMENT, NULL), TSVC_OK);
    r = run_with(&generic, pol);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE);
    assert_true(has_failed_check(r, "key-usage"));
    tsvc_report_free(r);
    tsvc_policy_free(pol);
}

static void server_peer_names(void **state)
{
    (void)state;
    setup ok = {"leaf", {"root"}, {"ica"}, TSVC_PROFILE_SERVER, "EXAMPLE.com"};
    expect_pass(&ok);
    setup sub = {"leaf", {"root"}, {"ica"}, TSVC_PROFILE_SERVER, "www.example.com"};
    expect_chain_failure(&sub, "peer-name");
    /* The subject CN ("leaf") is never used. */
    setup cn = {"leaf", {"root"}, {"ica"}, TSVC_PROFILE_SERVER, "leaf"};
    expect_chain_failure(&cn, "peer-name");

    setup ip = {"leaf-ip", {"root"}, {"ica"}, TSVC_PROFILE_SERVER, NULL};
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_profile(pol, TSVC_PROFILE_SERVER, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "192.0.2.1", NULL), TSVC_OK);
    tsvc_report *r = run_with(&ip, pol);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(r);
    tsvc_policy_free(pol);

    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "::ffff:192.0.2.1", NULL),
                     TSVC_OK);
    r = run_with(&ip, pol);
    expect(r, TSVC_INDICATION_FAILED, TSVC_SUB_CHAIN_CONSTRAINTS_FAILURE);
    tsvc_report_free(r);
    /* Malformed peer names are refused up front (and a used policy is frozen). */
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "1.2.3", NULL),
                     TSVC_ERR_POLICY_FROZEN);
    tsvc_policy_free(pol);
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "1.2.3", NULL),
                     TSVC_ERR_PEER_NAME);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "1::2::3", NULL),
                     TSVC_ERR_PEER_NAME);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_EMAIL, "nobody", NULL),
                     TSVC_ERR_PEER_NAME);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "", NULL),
                     TSVC_ERR_PEER_NAME);
    tsvc_policy_free(pol);

    /* E-mail peer name, generic profile. */
    setup mail = BASIC("leaf-email", "ica");
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_EMAIL, "user@EXAMPLE.COM", NULL),
                     TSVC_OK);
    r = run_with(&mail, pol);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(r);
    tsvc_policy_free(pol);
}

static void peer_name_syntax(void **state)
{
    (void)state;
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "::1", NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "2001:db8::", NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "1:2:3:4:5:6:7:8:9", NULL),
                     TSVC_ERR_PEER_NAME);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_IP, "256.2.3.4", NULL),
                     TSVC_ERR_PEER_NAME);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "a b", NULL),
                     TSVC_ERR_PEER_NAME);
    for (int i = 2; i < 16; i++)
        assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "example.com", NULL),
                         TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "example.com", NULL),
                     TSVC_ERR_LIMIT_COUNT);
    tsvc_policy_free(pol);
}

/* ---- path building ---- */

static void bad_signature(void **state)
{
    (void)state;
    setup s = BASIC("leaf-badsig", "ica");
    tsvc_report *r = run(&s);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    assert_non_null(strstr(tsvc_report_reason(r), "signature"));
    tsvc_report_free(r);
}

static void anchor_needs_name_and_key(void **state)
{
    (void)state;
    setup s = {"leaf", {"root-otherkey"}, {"ica"}, TSVC_PROFILE_GENERIC, NULL};
    expect_no_chain(&s);
}

static void backtracking(void **state)
{
    (void)state;
    /* An expired and a valid copy of the intermediate: the valid one wins. */
    setup expired_first = BASIC("leaf", NULL);
    expired_first.inter[0] = "ica-expired";
    expired_first.inter[1] = "ica";
    expect_pass(&expired_first);
    /* Two equally good candidates; the first fails deeper, the second is used. */
    setup nokcs_first = BASIC("leaf", NULL);
    nokcs_first.inter[0] = "ica-nokcs";
    nokcs_first.inter[1] = "ica";
    tsvc_report *r = run(&nokcs_first);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    /* Only the successful path's checks remain. */
    assert_false(has_failed_check(r, "key-usage"));
    tsvc_report_free(r);
}

static void cross_certificate(void **state)
{
    (void)state;
    setup s = {"leaf", {"root2"}, {"ica", "cross-root"}, TSVC_PROFILE_GENERIC, NULL};
    tsvc_report *r = run(&s);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_report_chain_count(r), 4);
    tsvc_report_free(r);
    /* With Test Root trusted too, the shorter path is found first. */
    setup both = {"leaf", {"root2", "root"}, {"ica", "cross-root"}, TSVC_PROFILE_GENERIC, NULL};
    r = run(&both);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_report_chain_count(r), 3);
    tsvc_report_free(r);
}

static void intermediate_cycle(void **state)
{
    (void)state;
    setup s = {"leaf-cycle", {"root"}, {"cyca", "cycb", "ica"}, TSVC_PROFILE_GENERIC, NULL};
    expect_no_chain(&s);
}

static void bare_key_anchor(void **state)
{
    (void)state;
    tsvc_cert *root = load("root"), *ica = load("ica"), *leaf = load("leaf");
    tsvc_store *store = NULL;
    tsvc_report *r = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor_key(store, root->spki.data, root->spki.len,
                                               root->subject.data, root->subject.len, NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, ica, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_num_anchors(store), 1);
    assert_int_equal(tsvc_store_num_intermediates(store), 1);
    assert_int_equal(tsvc_validate(g_ctx, &r, leaf, store, NULL, NULL), TSVC_OK);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_int_equal(tsvc_report_chain_count(r), 2);
    tsvc_report_free(r);
    tsvc_store_free(store);
    /* A malformed name is refused. */
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    static const uint8_t junk[] = {0x30, 0x03, 0x01, 0x01};
    assert_int_not_equal(tsvc_store_add_anchor_key(store, root->spki.data, root->spki.len, junk,
                                                   sizeof(junk), NULL),
                         TSVC_OK);
    tsvc_store_free(store);
    tsvc_cert_free(root);
    tsvc_cert_free(ica);
    tsvc_cert_free(leaf);
}

/* ---- budgets ---- */

static void budgets(void **state)
{
    (void)state;
    static const struct {
        tsvc_limit limit;
        tsvc_status status;
    } cases[] = {
        {TSVC_LIMIT_CHAIN_DEPTH, TSVC_ERR_LIMIT_CHAIN_DEPTH},
        {TSVC_LIMIT_SIG_CHECKS, TSVC_ERR_LIMIT_SIG_CHECKS},
        {TSVC_LIMIT_PATH_ATTEMPTS, TSVC_ERR_LIMIT_PATH_ATTEMPTS},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tsvc_ctx *saved = g_ctx;
        tsvc_ctx *ctx = NULL;
        assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
        /* leaf -> ica -> root needs 3 certificates, 2 signatures, 2 attempts. */
        assert_int_equal(tsvc_ctx_set_limit(ctx, cases[i].limit,
                                            cases[i].limit == TSVC_LIMIT_CHAIN_DEPTH ? 2 : 1,
                                            NULL),
                         TSVC_OK);
        g_ctx = ctx;
        setup s = BASIC("leaf", "ica");
        tsvc_report *r = run(&s);
        g_ctx = saved;
        expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
        assert_int_equal(tsvc_report_status(r), cases[i].status);
        tsvc_report_free(r);
        tsvc_ctx_free(ctx);
    }
}

/* ---- store ---- */

static void pinned_anchor(void **state)
{
    (void)state;
    tsvc_cert *root = load("root");
    tsvc_store *store = NULL;
    uint8_t fp[32];
    tsvc_error *err = NULL;
    assert_int_equal(tsvc__hash_oneshot(g_ctx, TSVC_HASH_SHA256, root->der, root->der_len, fp,
                                        NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor_pinned(store, root, fp, sizeof(fp), NULL), TSVC_OK);
    assert_int_equal(tsvc_store_num_anchors(store), 1);
    fp[5] ^= 1;
    assert_int_equal(tsvc_store_add_anchor_pinned(store, root, fp, sizeof(fp), &err),
                     TSVC_ERR_ANCHOR_FINGERPRINT);
    assert_int_equal(tsvc_error_code(err), TSVC_ERR_ANCHOR_FINGERPRINT);
    tsvc_error_free(err);
    assert_int_equal(tsvc_store_add_anchor_pinned(store, root, fp, 31, NULL),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_store_num_anchors(store), 1);
    /* Shared references; freezing is idempotent. */
    tsvc_store *again = tsvc_store_ref(store);
    tsvc_store_freeze(store);
    tsvc_store_freeze(again);
    assert_int_equal(tsvc_store_add_anchor(again, root, NULL), TSVC_ERR_STORE_FROZEN);
    tsvc_store_free(again);
    tsvc_store_free(store);
    tsvc_cert_free(root);
    assert_int_equal(tsvc_fingerprint_size(), TSVC_FINGERPRINT_SIZE);
}

/* ---- report and JSON ---- */

static void report_json_is_well_formed(void **state)
{
    (void)state;
    setup s = {"leaf", {"root"}, {"ica"}, TSVC_PROFILE_SERVER, "example.com"};
    tsvc_report *r = run(&s);
    tsvc_buf buf = TSVC_BUF_INIT;
    assert_int_equal(tsvc_report_to_json(r, &buf, NULL), TSVC_OK);
    json_error_t jerr;
    json_t *j = json_loadb((const char *)buf.data, buf.len, 0, &jerr);
    if (j == NULL)
        fail_msg("JSON does not parse: %s: %s", jerr.text, (const char *)buf.data);
    assert_string_equal(json_string_value(json_object_get(j, "indication")), "PASSED");
    assert_true(json_is_null(json_object_get(j, "subindication")));
    assert_int_equal(json_array_size(json_object_get(j, "chain")), 3);
    json_t *first = json_array_get(json_object_get(j, "chain"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "subject")), "CN=leaf,O=Test Org");
    assert_int_equal(strlen(json_string_value(json_object_get(first, "sha256"))), 64);
    assert_true(json_array_size(json_object_get(j, "checks")) > 0);
    json_decref(j);
    tsvc_buf_dispose(&buf);
    tsvc_report_free(r);

    /* A failure with a sub-indication. */
    setup bad = BASIC("leaf-expired", "ica");
    r = run(&bad);
    assert_int_equal(tsvc_report_to_json(r, &buf, NULL), TSVC_OK);
    j = json_loadb((const char *)buf.data, buf.len, 0, &jerr);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "subindication")), "EXPIRED");
    json_decref(j);
    tsvc_buf_dispose(&buf);
    tsvc_report_free(r);
}

static void report_api_escapes(void **state)
{
    (void)state;
    tsvc_report *r = NULL;
    assert_int_equal(tsvc__report_new(g_ctx, "signature \"x\"", &r), TSVC_OK);
    int g = tsvc__report_add(r, -1, "group\n", TSVC_CHECK_PASSED, -1, "quote \" backslash \\");
    assert_true(g >= 0);
    int c = tsvc__report_add(r, g, "child", TSVC_CHECK_FAILED, 2, "ctl \x01\x1f tab\t bad \xff\xfe utf8 \xc3\xa9");
    assert_int_equal(c, g + 1);
    tsvc__report_set_result(r, g, TSVC_CHECK_FAILED);
    size_t mark = tsvc__report_mark(r);
    tsvc__report_add(r, -1, "dropped", TSVC_CHECK_INFO, -1, NULL);
    tsvc__report_truncate(r, mark);
    tsvc__report_set_outcome(r, TSVC_INDICATION_FAILED, TSVC_SUB_HASH_FAILURE, "digest %d", 7);
    tsvc__report_set_status(r, TSVC_OK);
    assert_int_equal(tsvc__report_error(r), TSVC_OK);
    assert_int_equal(tsvc_report_num_checks(r), 2);
    assert_int_equal(tsvc_report_check_parent(r, 1), 0);
    assert_int_equal(tsvc_report_check_cert(r, 1), 2);
    assert_int_equal(tsvc_report_check_result(r, 0), TSVC_CHECK_FAILED);
    assert_null(tsvc_report_check_name(r, 5));
    assert_string_equal(tsvc_report_reason(r), "digest 7");

    tsvc_buf buf = TSVC_BUF_INIT;
    assert_int_equal(tsvc_report_to_json(r, &buf, NULL), TSVC_OK);
    json_error_t jerr;
    json_t *j = json_loadb((const char *)buf.data, buf.len, 0, &jerr);
    if (j == NULL)
        fail_msg("JSON does not parse: %s: %s", jerr.text, (const char *)buf.data);
    assert_string_equal(json_string_value(json_object_get(j, "kind")), "signature \"x\"");
    assert_string_equal(json_string_value(json_object_get(j, "subindication")), "HASH_FAILURE");
    json_t *top = json_array_get(json_object_get(j, "checks"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "name")), "group\n");
    json_t *child = json_array_get(json_object_get(top, "checks"), 0);
    assert_string_equal(json_string_value(json_object_get(child, "message")),
                        "ctl \x01\x1f tab\t bad \xef\xbf\xbd\xef\xbf\xbd utf8 \xc3\xa9");
    json_decref(j);
    tsvc_buf_dispose(&buf);

    /* Nesting one report inside another (as a signature report nests the
     * signer's path validation). */
    tsvc_report *outer = NULL;
    assert_int_equal(tsvc__report_new(g_ctx, "signature", &outer), TSVC_OK);
    int sig = tsvc__report_add(outer, -1, "signer-certificate", TSVC_CHECK_FAILED, -1, NULL);
    int first = tsvc__report_merge(outer, sig, r, 0);
    assert_int_equal(first, 1);
    assert_int_equal(tsvc_report_num_checks(outer), 3);
    assert_int_equal(tsvc_report_check_parent(outer, 1), 0);
    assert_int_equal(tsvc_report_check_parent(outer, 2), 1);
    assert_int_equal(tsvc_report_check_cert(outer, 2), 2);
    assert_int_equal(tsvc__report_merge(outer, -1, outer, 0), -1);
    tsvc_report_free(outer);
    tsvc_report_free(r);

    assert_string_equal(tsvc_indication_str(TSVC_INDICATION_INDETERMINATE), "INDETERMINATE");
    assert_string_equal(tsvc_subindication_str(TSVC_SUB_REVOKED_CA_NO_POE), "REVOKED_CA_NO_POE");
    assert_string_equal(tsvc_subindication_str(999), "UNKNOWN");
    assert_string_equal(tsvc_check_result_str(TSVC_CHECK_INFO), "info");
    /* Fixed values, never renumbered. */
    assert_int_equal(TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND, 15);
    assert_int_equal(TSVC_SUB_SIGNED_DATA_NOT_FOUND, 23);
}

static void null_arguments(void **state)
{
    (void)state;
    tsvc_report *r = NULL;
    assert_int_equal(tsvc_validate(g_ctx, NULL, NULL, NULL, NULL, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_validate(g_ctx, &r, NULL, NULL, NULL, NULL), TSVC_ERR_INVALID_ARG);
    assert_null(r);
    assert_int_equal(tsvc_report_indication(NULL), TSVC_INDICATION_NONE);
    assert_int_equal(tsvc_report_chain_count(NULL), 0);
    assert_string_equal(tsvc_report_reason(NULL), "");
    tsvc_report_free(NULL);
    tsvc_policy_free(NULL);
    tsvc_store_free(NULL);
    assert_null(tsvc_policy_ref(NULL));
    assert_int_equal(tsvc_policy_set_time(NULL, 0, NULL), TSVC_ERR_INVALID_ARG);
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_profile(pol, (tsvc_profile)7, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_max_depth(pol, 32, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_add_eku_oid(pol, "not.an.oid", NULL), TSVC_ERR_DER_OID);
    assert_int_equal(tsvc_policy_add_eku(pol, (tsvc_eku)99, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_key_usage(pol, 0x1000, NULL), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_policy_set_flags(pol, 0x10, NULL), TSVC_ERR_INVALID_ARG);
    tsvc_policy_free(pol);
}

static void max_depth_policy(void **state)
{
    (void)state;
    setup s = BASIC("leaf", "ica");
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_max_depth(pol, 0, NULL), TSVC_OK);
    tsvc_report *r = run_with(&s, pol);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    tsvc_report_free(r);
    tsvc_policy_free(pol);
    /* One logical intermediate: the self-issued rollover is not counted. */
    setup roll = {"leaf-rollover", {"root"}, {"ica", "ica-rollover"}, TSVC_PROFILE_GENERIC, NULL};
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_max_depth(pol, 1, NULL), TSVC_OK);
    r = run_with(&roll, pol);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    tsvc_report_free(r);
    tsvc_policy_free(pol);
}

/* ---- allocation failures: no crash, no leak ---- */

typedef struct counting {
    size_t live;
    size_t calls;
    size_t fail_at; /* 0 = never */
} counting;

static void *count_alloc(void *opaque, size_t size)
{
    counting *c = opaque;
    c->calls++;
    if (c->fail_at != 0 && c->calls >= c->fail_at)
        return NULL;
    void *p = malloc(size);
    if (p != NULL)
        c->live++;
    return p;
}

static void count_free(void *opaque, void *ptr)
{
    counting *c = opaque;
    if (ptr != NULL)
        c->live--;
    free(ptr);
}

static void allocation_failures(void **state)
{
    (void)state;
    tsvc_cert *leaf = load("leaf"), *ica = load("ica"), *bad = load("ica-nokcs"),
              *root = load("root");
    bool succeeded = false;
    for (size_t n = 1; n < 5000 && !succeeded; n++) {
        counting cnt = {0, 0, 0};
        tsvc_allocator a = {count_alloc, count_free, &cnt};
        tsvc_ctx *ctx = NULL;
        if (tsvc_ctx_new(&ctx, &a, NULL) != TSVC_OK)
            fail_msg("context");
        cnt.calls = 0;
        cnt.fail_at = n;
        tsvc_store *store = NULL;
        tsvc_policy *pol = NULL;
        tsvc_report *r = NULL;
        tsvc_buf js = TSVC_BUF_INIT;
        if (tsvc_store_new(ctx, &store, NULL) != TSVC_OK)
            goto next;
        if (tsvc_store_add_anchor(store, root, NULL) != TSVC_OK ||
            tsvc_store_add_intermediate(store, bad, NULL) != TSVC_OK ||
            tsvc_store_add_intermediate(store, ica, NULL) != TSVC_OK)
            goto next;
        if (tsvc_policy_new(ctx, &pol, NULL) != TSVC_OK ||
            tsvc_policy_set_time(pol, WHEN, NULL) != TSVC_OK ||
            tsvc_policy_set_profile(pol, TSVC_PROFILE_SERVER, NULL) != TSVC_OK ||
            tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "example.com", NULL) != TSVC_OK)
            goto next;
        if (tsvc_validate(ctx, &r, leaf, store, pol, NULL) != TSVC_OK)
            goto next;
        assert_non_null(r);
        if (tsvc_report_to_json(r, &js, NULL) != TSVC_OK)
            goto next;
        expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
        succeeded = true;
    next:
        tsvc_buf_dispose(&js);
        tsvc_report_free(r);
        tsvc_policy_free(pol);
        tsvc_store_free(store);
        tsvc_ctx_free(ctx);
        if (cnt.live != 0)
            fail_msg("%zu allocations leaked when allocation %zu failed", cnt.live, n);
    }
    assert_true(succeeded);
    tsvc_cert_free(leaf);
    tsvc_cert_free(ica);
    tsvc_cert_free(bad);
    tsvc_cert_free(root);
}

/* ---- one store and one policy shared by several threads ---- */

typedef struct shared_run {
    tsvc_store *store;
    tsvc_policy *policy;
    tsvc_cert *leaf;
    int failures;
} shared_run;

static void *validate_many(void *arg)
{
    shared_run *sr = arg;
    for (int i = 0; i < 25; i++) {
        tsvc_report *r = NULL;
        if (tsvc_validate(g_ctx, &r, sr->leaf, sr->store, sr->policy, NULL) != TSVC_OK ||
            tsvc_report_indication(r) != TSVC_INDICATION_PASSED)
            sr->failures++;
        tsvc_report_free(r);
    }
    return NULL;
}

static void shared_between_threads(void **state)
{
    (void)state;
    tsvc_cert *root = load("root"), *ica = load("ica"), *bad = load("ica-nokcs");
    tsvc_store *store = NULL;
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, bad, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, ica, NULL), TSVC_OK);
    tsvc_store_freeze(store);
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_profile(pol, TSVC_PROFILE_SERVER, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "example.com", NULL),
                     TSVC_OK);
    enum { T = 4 };
    pthread_t th[T];
    shared_run sr[T];
    for (int i = 0; i < T; i++) {
        sr[i].store = tsvc_store_ref(store);
        sr[i].policy = tsvc_policy_ref(pol);
        sr[i].leaf = load("leaf");
        sr[i].failures = 0;
        assert_int_equal(pthread_create(&th[i], NULL, validate_many, &sr[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(sr[i].failures, 0);
        tsvc_store_free(sr[i].store);
        tsvc_policy_free(sr[i].policy);
        tsvc_cert_free(sr[i].leaf);
    }
    tsvc_store_free(store);
    tsvc_policy_free(pol);
    tsvc_cert_free(root);
    tsvc_cert_free(ica);
    tsvc_cert_free(bad);
}

static int group_setup(void **state)
{
    (void)state;
    return tsvc_ctx_new(&g_ctx, NULL, NULL) == TSVC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    tsvc_ctx_free(g_ctx);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Chains made with the certificate builder                            */
/* ------------------------------------------------------------------ */

typedef struct bcert {
    const char *subject;
    int ca;               /* basicConstraints cA (critical) and keyCertSign */
    const char *ekus[3];  /* extendedKeyUsage OIDs (none: no extension) */
    const char *dns;      /* a dNSName */
    tsvc_hash_alg hash;   /* TSVC_HASH_NONE: the key's default */
    int key_ids;          /* 0: SKI and AKI as the builder does; -1: none */
    const char *issuer;   /* issuer name text instead of the issuer's subject */
    const uint8_t *ip;    /* an iPAddress (4 or 16 bytes) */
    size_t ip_len;
    const uint8_t *nc;    /* nameConstraints extension value (critical) */
    size_t nc_len;
    const char *ext_oid;  /* one more extension: OID, criticality, value */
    int ext_critical;
    const uint8_t *ext_value;
    size_t ext_len;
} bcert;

#define OID_SERVER "1.3.6.1.5.5.7.3.1"
#define OID_CLIENT "1.3.6.1.5.5.7.3.2"
#define OID_CODE "1.3.6.1.5.5.7.3.3"
#define OID_ANYEKU "2.5.29.37.0"
#define OID_PRECERT "1.3.6.1.4.1.11129.2.4.4"

static tsvc_key *gen_key(tsvc_key_type type, unsigned bits)
{
    tsvc_key *k = NULL;
    tsvc_error *e = NULL;
    if (tsvc_key_generate(g_ctx, &k, type, bits, &e) != TSVC_OK)
        fail_msg("key generation: %s", tsvc_error_message(e));
    return k;
}

/* Issues @p spec with @p key, signed by @p issuer_key (@p issuer NULL: self-signed). */
static tsvc_cert *issue(const bcert *spec, const tsvc_key *key, const tsvc_cert *issuer,
                        const tsvc_key *issuer_key)
{
    tsvc_cert_builder *b = NULL;
    tsvc_error *e = NULL;
    tsvc_pubkey *p = NULL;
    assert_int_equal(tsvc_cert_builder_new(g_ctx, &b, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_subject(b, spec->subject, NULL), TSVC_OK);
    if (issuer != NULL)
        assert_int_equal(tsvc_cert_builder_set_issuer_cert(b, issuer, NULL), TSVC_OK);
    if (spec->issuer != NULL)
        assert_int_equal(tsvc_cert_builder_set_issuer(b, spec->issuer, NULL), TSVC_OK);
    assert_int_equal(tsvc_key_get_public(key, &p, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_builder_set_public_key(b, p, NULL), TSVC_OK);
    tsvc_pubkey_free(p);
    assert_int_equal(tsvc_cert_builder_set_validity(b, WHEN - 86400, WHEN + 86400 * 365, NULL),
                     TSVC_OK);
    if (spec->ca) {
        assert_int_equal(tsvc_cert_builder_set_basic_constraints(b, 1, -1, NULL), TSVC_OK);
        assert_int_equal(
            tsvc_cert_builder_set_key_usage(b, TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN, 1, NULL),
            TSVC_OK);
    }
    for (size_t i = 0; i < 3 && spec->ekus[i] != NULL; i++)
        assert_int_equal(tsvc_cert_builder_add_eku(b, spec->ekus[i], NULL), TSVC_OK);
    if (spec->dns != NULL)
        assert_int_equal(tsvc_cert_builder_add_san(b, TSVC_GN_DNS, (const uint8_t *)spec->dns,
                                                   strlen(spec->dns), NULL),
                         TSVC_OK);
    if (spec->ip != NULL)
        assert_int_equal(tsvc_cert_builder_add_san(b, TSVC_GN_IP, spec->ip, spec->ip_len, NULL),
                         TSVC_OK);
    if (spec->nc != NULL)
        assert_int_equal(
            tsvc_cert_builder_add_extension(b, "2.5.29.30", 1, spec->nc, spec->nc_len, NULL),
            TSVC_OK);
    if (spec->ext_oid != NULL)
        assert_int_equal(tsvc_cert_builder_add_extension(b, spec->ext_oid, spec->ext_critical,
                                                         spec->ext_value, spec->ext_len, NULL),
                         TSVC_OK);
    if (spec->key_ids < 0)
        tsvc_cert_builder_set_key_ids(b, 0, 0);
    tsvc_buf der = TSVC_BUF_INIT;
    if (tsvc_cert_builder_sign(b, issuer_key, TSVC_SIG_NONE, spec->hash, TSVC_FORMAT_DER, &der,
                               &e) != TSVC_OK)
        fail_msg("sign %s: %s", spec->subject, tsvc_error_message(e));
    tsvc_cert *c = NULL;
    if (tsvc_cert_parse(g_ctx, &c, der.data, der.len, &e) != TSVC_OK)
        fail_msg("parse %s: %s", spec->subject, tsvc_error_message(e));
    tsvc_buf_dispose(&der);
    tsvc_cert_builder_free(b);
    return c;
}

static const bcert ROOT_SPEC = {.subject = "CN=Builder Root,O=Example,C=JP", .ca = 1};

/* Keys for a root, an intermediate and a leaf, and the root certificate. */
typedef struct mini_pki {
    tsvc_key *rk, *ik, *lk;
    tsvc_cert *root;
} mini_pki;

static void pki_init(mini_pki *p)
{
    p->rk = gen_key(TSVC_KEY_ECDSA_P256, 0);
    p->ik = gen_key(TSVC_KEY_ECDSA_P256, 0);
    p->lk = gen_key(TSVC_KEY_ECDSA_P256, 0);
    p->root = issue(&ROOT_SPEC, p->rk, NULL, p->rk);
}

static void pki_free(mini_pki *p)
{
    tsvc_cert_free(p->root);
    tsvc_key_free(p->rk);
    tsvc_key_free(p->ik);
    tsvc_key_free(p->lk);
}

/* Validates leaf (-> ica when given) -> root under @p profile for
 * example.com, the policy also asking for @p eku when given. */
static tsvc_report *validate_built(const tsvc_cert *leaf, const tsvc_cert *ica,
                                   const tsvc_cert *root, tsvc_profile profile, const char *eku)
{
    tsvc_store *store = NULL;
    tsvc_policy *pol = NULL;
    tsvc_report *r = NULL;
    tsvc_error *e = NULL;
    assert_int_equal(tsvc_store_new(g_ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    if (ica != NULL)
        assert_int_equal(tsvc_store_add_intermediate(store, ica, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_new(g_ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_profile(pol, profile, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(pol, TSVC_PEER_DNS, "example.com", NULL), TSVC_OK);
    if (eku != NULL)
        assert_int_equal(tsvc_policy_add_eku_oid(pol, eku, NULL), TSVC_OK);
    if (tsvc_validate(g_ctx, &r, leaf, store, pol, &e) != TSVC_OK)
        fail_msg("tsvc_validate: %s", tsvc_error_message(e));
    tsvc_policy_free(pol);
    tsvc_store_free(store);
    return r;
}

static void expect_built(const tsvc_cert *leaf, const tsvc_cert *ica, const tsvc_cert *root,
                         tsvc_profile profile, const char *eku, bool pass, const char *check)
{
    tsvc_report *r = validate_built(leaf, ica, root, profile, eku);
    if (pass) {
        expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    } else {
        if (tsvc_report_indication(r) == TSVC_INDICATION_PASSED)
            fail_msg("expected a failure of %s, the chain passed", check);
        if (!has_failed_check(r, check))
            fail_msg("expected a failed %s check: %s", check, tsvc_report_reason(r));
    }
    tsvc_report_free(r);
}

/* An intermediate's extendedKeyUsage, when present, must allow the
 * profile's purpose (and the caller's) in the server and client profiles;
 * anyExtendedKeyUsage allows all. RFC 5280 alone does not constrain. */
static void intermediate_eku(void **state)
{
    (void)state;
    mini_pki k;
    pki_init(&k);
    tsvc_cert *root = k.root;
    static const struct {
        const char *ekus[3];
        bool server_ok, client_ok;
    } cases[] = {
        {{NULL}, true, true},
        {{OID_SERVER}, true, false},
        {{OID_CLIENT}, false, true},
        {{OID_SERVER, OID_CLIENT}, true, true},
        {{OID_ANYEKU}, true, true},
        {{OID_CODE}, false, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bcert ispec = {.subject = "CN=Builder ICA,O=Example,C=JP", .ca = 1};
        memcpy(ispec.ekus, cases[i].ekus, sizeof(ispec.ekus));
        tsvc_cert *ica = issue(&ispec, k.ik, root, k.rk);
        bcert lspec = {.subject = "CN=leaf", .ekus = {OID_SERVER, OID_CLIENT}, .dns = "example.com"};
        tsvc_cert *leaf = issue(&lspec, k.lk, ica, k.ik);
        expect_built(leaf, ica, root, TSVC_PROFILE_SERVER, NULL, cases[i].server_ok,
                     "extended-key-usage");
        expect_built(leaf, ica, root, TSVC_PROFILE_CLIENT, NULL, cases[i].client_ok,
                     "extended-key-usage");
        expect_built(leaf, ica, root, TSVC_PROFILE_GENERIC, NULL, true, NULL);
        tsvc_cert_free(leaf);
        tsvc_cert_free(ica);
    }
    /* A purpose the caller requires must be allowed by the intermediate too. */
    bcert ispec = {.subject = "CN=Builder ICA,O=Example,C=JP", .ca = 1, .ekus = {OID_SERVER}};
    tsvc_cert *ica = issue(&ispec, k.ik, root, k.rk);
    bcert lspec = {.subject = "CN=leaf", .ekus = {OID_SERVER, OID_CLIENT}, .dns = "example.com"};
    tsvc_cert *leaf = issue(&lspec, k.lk, ica, k.ik);
    expect_built(leaf, ica, root, TSVC_PROFILE_SERVER, OID_CLIENT, false, "extended-key-usage");
    expect_built(leaf, ica, root, TSVC_PROFILE_SERVER, OID_SERVER, true, NULL);
    tsvc_cert_free(leaf);
    tsvc_cert_free(ica);
    pki_free(&k);
}

/* CA/B Forum BR 7.1.2.7.10: a TLS server certificate must not have the
 * codeSigning, emailProtection, timeStamping, OCSPSigning or the
 * precertificate purposes; clientAuth next to serverAuth is fine. */
static void server_leaf_forbidden_eku(void **state)
{
    (void)state;
    mini_pki k;
    pki_init(&k);
    tsvc_cert *root = k.root;
    static const struct {
        const char *second;
        bool ok;
    } cases[] = {
        {OID_CLIENT, true},
        {OID_CODE, false},
        {"1.3.6.1.5.5.7.3.4", false},
        {"1.3.6.1.5.5.7.3.8", false},
        {"1.3.6.1.5.5.7.3.9", false},
        {OID_PRECERT, false},
        {"1.3.6.1.4.1.55738.666.1", true}, /* other purposes are not forbidden */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bcert lspec = {
            .subject = "CN=leaf", .ekus = {OID_SERVER, cases[i].second}, .dns = "example.com"};
        tsvc_cert *leaf = issue(&lspec, k.lk, root, k.rk);
        expect_built(leaf, NULL, root, TSVC_PROFILE_SERVER, NULL, cases[i].ok,
                     "extended-key-usage");
        /* The client profile and RFC 5280 do not forbid them. */
        bcert cspec = {
            .subject = "CN=leaf", .ekus = {OID_CLIENT, cases[i].second}, .dns = "example.com"};
        tsvc_cert *cleaf = issue(&cspec, k.lk, root, k.rk);
        expect_built(cleaf, NULL, root, TSVC_PROFILE_CLIENT, NULL, true, NULL);
        tsvc_cert_free(cleaf);
        tsvc_cert_free(leaf);
    }
    bcert only = {.subject = "CN=leaf", .ekus = {OID_PRECERT}, .dns = "example.com"};
    tsvc_cert *leaf = issue(&only, k.lk, root, k.rk);
    expect_built(leaf, NULL, root, TSVC_PROFILE_SERVER, NULL, false, "extended-key-usage");
    expect_built(leaf, NULL, root, TSVC_PROFILE_GENERIC, NULL, true, NULL);
    tsvc_cert_free(leaf);
    pki_free(&k);
}

/* The server and client profiles refuse RSA keys under 2048 bits or of a
 * size that is not a multiple of 8, in the leaf and in the trust anchor,
 * and SHA-1 signatures below the anchor; RFC 5280 alone does not. The
 * certificates come from make-webpki.sh (the builder refuses to make them). */
static void webpki_keys_and_hashes(void **state)
{
    (void)state;
    static const struct {
        const char *leaf, *root, *check;
    } cases[] = {
        {"leaf-rsa-ok", "rsa-root", NULL},
        {"leaf-rsa1024", "rsa-root", "public-key"},
        {"leaf-rsa2052", "rsa-root", "public-key"},
        {"leaf-weakroot", "rsa1024-root", "public-key"},
        {"leaf-sha1", "rsa-root", "signature-algorithm"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tsvc_cert *leaf = load(cases[i].leaf), *root = load(cases[i].root);
        for (int p = 0; p < 3; p++) {
            tsvc_profile prof = p == 0 ? TSVC_PROFILE_SERVER
                                : p == 1 ? TSVC_PROFILE_CLIENT
                                         : TSVC_PROFILE_GENERIC;
            bool pass = cases[i].check == NULL || prof == TSVC_PROFILE_GENERIC;
            /* The leaf is a server certificate: the client profile wants clientAuth. */
            if (prof == TSVC_PROFILE_CLIENT) {
                tsvc_report *r = validate_built(leaf, NULL, root, prof, NULL);
                if (cases[i].check != NULL && !has_failed_check(r, cases[i].check))
                    fail_msg("%s: no failed %s check in the client profile: %s", cases[i].leaf,
                             cases[i].check, tsvc_report_reason(r));
                tsvc_report_free(r);
                continue;
            }
            expect_built(leaf, NULL, root, prof, NULL, pass, cases[i].check);
        }
        tsvc_cert_free(leaf);
        tsvc_cert_free(root);
    }
}

/* Validates @p leaf against @p root and the intermediates in @p ctx. */
static tsvc_report *validate_same(tsvc_ctx *ctx, const tsvc_cert *leaf, const tsvc_cert *root,
                                  tsvc_cert *const *inter, size_t n)
{
    tsvc_store *store = NULL;
    tsvc_policy *pol = NULL;
    tsvc_report *r = NULL;
    tsvc_error *e = NULL;
    assert_int_equal(tsvc_store_new(ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tsvc_store_add_intermediate(store, inter[i], NULL), TSVC_OK);
    assert_int_equal(tsvc_store_num_intermediates(store), n);
    assert_int_equal(tsvc_policy_new(ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    if (tsvc_validate(ctx, &r, leaf, store, pol, &e) != TSVC_OK)
        fail_msg("tsvc_validate: %s", tsvc_error_message(e));
    tsvc_policy_free(pol);
    tsvc_store_free(store);
    return r;
}

/*
 * Many intermediates with the same subject: the store finds issuer
 * candidates through its index by subject name (names equal per RFC 5280
 * section 7.1 share the index hash), the one whose subjectKeyIdentifier
 * matches the child's authorityKeyIdentifier is tried first, and without
 * a key identifier the signature-check and attempt budgets stop the
 * search with their own status.
 */
#define NUM_SAME 300
static void many_same_named_intermediates(void **state)
{
    (void)state;
    mini_pki k;
    pki_init(&k);
    tsvc_cert *root = k.root;
    tsvc_cert *inter[NUM_SAME + 1];
    tsvc_key *last = NULL;
    for (size_t i = 0; i < NUM_SAME; i++) {
        tsvc_key *key = gen_key(TSVC_KEY_ECDSA_P256, 0);
        bcert ispec = {.subject = "CN=Same ICA,O=Example,C=JP", .ca = 1};
        inter[i] = issue(&ispec, key, root, k.rk);
        if (i + 1 == NUM_SAME)
            last = key;
        else
            tsvc_key_free(key);
    }
    /* Issued by the last one added, found first through AKI/SKI: two
     * signature checks (leaf, intermediate) are enough. */
    bcert lspec = {.subject = "CN=leaf"};
    tsvc_cert *leaf = issue(&lspec, k.lk, inter[NUM_SAME - 1], last);
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CHECKS, 2, NULL), TSVC_OK);
    tsvc_report *r = validate_same(ctx, leaf, root, inter, NUM_SAME);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(tsvc_report_chain_cert(r, 1) == inter[NUM_SAME - 1]);
    tsvc_report_free(r);
    tsvc_ctx_free(ctx);
    tsvc_cert_free(leaf);

    /* No key identifier and an issuer that is not there: every candidate
     * fails its signature; the default signature budget (100) stops. */
    tsvc_key *stranger = gen_key(TSVC_KEY_ECDSA_P256, 0);
    bcert nspec = {.subject = "CN=leaf", .key_ids = -1, .issuer = "CN=Same ICA,O=Example,C=JP"};
    leaf = issue(&nspec, k.lk, NULL, stranger);
    r = validate_same(g_ctx, leaf, root, inter, NUM_SAME);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    assert_int_equal(tsvc_report_status(r), TSVC_ERR_LIMIT_SIG_CHECKS);
    tsvc_report_free(r);
    /* With a larger signature budget the attempt budget stops it. */
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CHECKS, 1000, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_PATH_ATTEMPTS, 50, NULL), TSVC_OK);
    r = validate_same(ctx, leaf, root, inter, NUM_SAME);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    assert_int_equal(tsvc_report_status(r), TSVC_ERR_LIMIT_PATH_ATTEMPTS);
    tsvc_report_free(r);
    /* Budgets large enough: all 300 are tried, and the answer is "no chain". */
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_PATH_ATTEMPTS, 1000, NULL), TSVC_OK);
    r = validate_same(ctx, leaf, root, inter, NUM_SAME);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    assert_int_equal(tsvc_report_status(r), TSVC_OK);
    tsvc_report_free(r);
    tsvc_cert_free(leaf);

    /* The issuer name written in another case and spacing, without a key
     * identifier (the last candidate of 300 is the right one), is still
     * found: the index hash and the comparison agree. */
    bcert cspec = {
        .subject = "CN=leaf", .key_ids = -1, .issuer = "CN=  same   ica ,O=EXAMPLE,C=jp"};
    leaf = issue(&cspec, k.lk, NULL, last);
    r = validate_same(ctx, leaf, root, inter, NUM_SAME);
    expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
    assert_true(tsvc_report_chain_cert(r, 1) == inter[NUM_SAME - 1]);
    tsvc_report_free(r);
    tsvc_cert_free(leaf);
    /* A different name is not. */
    bcert dspec = {.subject = "CN=leaf", .key_ids = -1, .issuer = "CN=Same ICB,O=Example,C=JP"};
    leaf = issue(&dspec, k.lk, NULL, last);
    r = validate_same(ctx, leaf, root, inter, NUM_SAME);
    expect(r, TSVC_INDICATION_INDETERMINATE, TSVC_SUB_NO_CERTIFICATE_CHAIN_FOUND);
    tsvc_report_free(r);
    tsvc_cert_free(leaf);
    tsvc_ctx_free(ctx);

    for (size_t i = 0; i < NUM_SAME; i++)
        tsvc_cert_free(inter[i]);
    tsvc_key_free(stranger);
    tsvc_key_free(last);
    pki_free(&k);
}

/*
 * CA/B Forum BR 7.1.4.3 in the server profile: a commonName that reads as
 * an IP address must be the RFC 3986 / RFC 5952 text of a subjectAltName
 * iPAddress, one with an internationalised name a byte copy of a dNSName,
 * and one equal to a dNSName but for letter case is refused. Other
 * commonName values are left alone.
 */
static void server_common_name(void **state)
{
    (void)state;
    static const uint8_t v4[] = {192, 168, 1, 1};
    static const uint8_t v6a[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                  0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34};
    static const uint8_t v6b[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
    static const uint8_t v6c[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const struct {
        const char *cn, *dns;
        const uint8_t *ip;
        size_t ip_len;
        bool ok;
    } cases[] = {
        {"0xC0A80101", "example.com", v4, 4, false},
        {"192.168.001.001", "example.com", v4, 4, false},
        {"3232235777", "example.com", v4, 4, false},
        {"192.168.1.1", "example.com", v4, 4, true},
        {"2001:DB8::8A2E:370:7334", "example.com", v6a, 16, false},
        {"2001:db8::8a2e:370:7334", "example.com", v6a, 16, true},
        {"2001:db8:0:0:1:0:0:1", "example.com", v6b, 16, false},
        {"2001:db8::1:0:0:1", "example.com", v6b, 16, true},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", "example.com", v6c, 16, false},
        {"2001:db8::1", "example.com", v6c, 16, true},
        {"Example.COM", "example.com", NULL, 0, false},
        {"example.com", "example.com", NULL, 0, true},
        {"xn--nxasmq6b.com", "example.com", NULL, 0, false},
        {"test-\xe6\xb8\xac\xe8\xa9\xa6.com", "example.com", NULL, 0, false},
        {"xn--n3h.example.com", "xn--n3h.example.com", NULL, 0, true},
        {"x509-limbo-ee", "example.com", NULL, 0, true},
        {"web server", "example.com", NULL, 0, true},
    };
    mini_pki k;
    pki_init(&k);
    tsvc_cert *root = k.root;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char subject[96];
        snprintf(subject, sizeof(subject), "CN=%s", cases[i].cn);
        bcert lspec = {.subject = subject,
                       .ekus = {OID_SERVER, OID_CLIENT},
                       .dns = cases[i].dns,
                       .ip = cases[i].ip,
                       .ip_len = cases[i].ip_len};
        tsvc_cert *leaf = issue(&lspec, k.lk, root, k.rk);
        tsvc_report *r = validate_built(leaf, NULL, root, TSVC_PROFILE_SERVER, NULL);
        bool failed = has_failed_check(r, "common-name");
        if (failed == cases[i].ok)
            fail_msg("commonName %s: expected %s, got: %s", cases[i].cn,
                     cases[i].ok ? "no common-name failure" : "a common-name failure",
                     tsvc_report_reason(r));
        if (cases[i].ok && strcmp(cases[i].dns, "example.com") == 0)
            expect(r, TSVC_INDICATION_PASSED, TSVC_SUB_NONE);
        tsvc_report_free(r);
        /* The client profile and RFC 5280 do not read the commonName. */
        r = validate_built(leaf, NULL, root, TSVC_PROFILE_CLIENT, NULL);
        assert_false(has_failed_check(r, "common-name"));
        tsvc_report_free(r);
        tsvc_cert_free(leaf);
    }
    pki_free(&k);
}

/* A wildcard SAN that can stand for a host of an excluded subtree is
 * refused (CVE-2025-61727), in every profile; one that cannot is not. */
static void nc_excluded_wildcard(void **state)
{
    (void)state;
    /* permitted example.com, excluded bar.example.com / a.bar.example.com */
    static const uint8_t nc1[] = {
        0x30, 0x26, 0xa0, 0x0f, 0x30, 0x0d, 0x82, 0x0b, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
        0x65, 0x2e, 0x63, 0x6f, 0x6d, 0xa1, 0x13, 0x30, 0x11, 0x82, 0x0f, 0x62, 0x61, 0x72,
        0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x6d};
    static const uint8_t nc2[] = {
        0x30, 0x28, 0xa0, 0x0f, 0x30, 0x0d, 0x82, 0x0b, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
        0x65, 0x2e, 0x63, 0x6f, 0x6d, 0xa1, 0x15, 0x30, 0x13, 0x82, 0x11, 0x61, 0x2e, 0x62,
        0x61, 0x72, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x6d};
    mini_pki k;
    pki_init(&k);
    tsvc_cert *root = k.root;
    static const struct {
        const uint8_t *nc;
        size_t nc_len;
        const char *san;
        bool ok;
    } cases[] = {
        {nc1, sizeof(nc1), "*.example.com", false},
        {nc1, sizeof(nc1), "foo.example.com", true},
        {nc1, sizeof(nc1), "bar.example.com", false},
        {nc2, sizeof(nc2), "*.example.com", true},
        {nc2, sizeof(nc2), "*.bar.example.com", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bcert ispec = {.subject = "CN=Constrained ICA,O=Example,C=JP",
                       .ca = 1,
                       .nc = cases[i].nc,
                       .nc_len = cases[i].nc_len};
        tsvc_cert *ica = issue(&ispec, k.ik, root, k.rk);
        bcert lspec = {.subject = "CN=leaf", .ekus = {OID_SERVER}, .dns = cases[i].san};
        tsvc_cert *leaf = issue(&lspec, k.lk, ica, k.ik);
        for (int p = 0; p < 2; p++) {
            tsvc_report *r = validate_built(leaf, ica, root,
                                            p == 0 ? TSVC_PROFILE_GENERIC : TSVC_PROFILE_SERVER,
                                            NULL);
            if (has_failed_check(r, "name-constraints") == cases[i].ok)
                fail_msg("SAN %s (case %zu): name constraints %s: %s", cases[i].san, i,
                         cases[i].ok ? "failed" : "passed", tsvc_report_reason(r));
            tsvc_report_free(r);
        }
        tsvc_cert_free(leaf);
        tsvc_cert_free(ica);
    }
    pki_free(&k);
}

/* RFC 5280 4.2.1.11: policyConstraints must be critical; the server
 * profile refuses a non-critical one (upstream rfc5280::pc::ica-noncritical-pc),
 * the generic profile reads it all the same. */
static void policy_constraints_critical(void **state)
{
    (void)state;
    static const uint8_t pc_value[] = {0x30, 0x03, 0x80, 0x01, 0x03}; /* requireExplicitPolicy 3 */
    mini_pki k;
    pki_init(&k);
    tsvc_cert *root = k.root;
    for (int critical = 0; critical < 2; critical++) {
        bcert ispec = {.subject = "CN=PC ICA,O=Example,C=JP",
                       .ca = 1,
                       .ext_oid = "2.5.29.36",
                       .ext_critical = critical,
                       .ext_value = pc_value,
                       .ext_len = sizeof(pc_value)};
        tsvc_cert *ica = issue(&ispec, k.ik, root, k.rk);
        bcert lspec = {.subject = "CN=leaf", .ekus = {OID_SERVER}, .dns = "example.com"};
        tsvc_cert *leaf = issue(&lspec, k.lk, ica, k.ik);
        expect_built(leaf, ica, root, TSVC_PROFILE_SERVER, NULL, critical == 1, "profile");
        expect_built(leaf, ica, root, TSVC_PROFILE_GENERIC, NULL, true, NULL);
        tsvc_cert_free(leaf);
        tsvc_cert_free(ica);
    }
    pki_free(&k);
}

/* The server and S/MIME profiles refuse a CA certificate as the end
 * entity (CA/B Forum BR 7.1.2.7.8); the generic profile, as RFC 5280
 * 4.2.1.9, accepts it. */
static void ca_as_end_entity(void **state)
{
    (void)state;
    mini_pki k;
    pki_init(&k);
    tsvc_cert *root = k.root;
    bcert ispec = {.subject = "CN=CA leaf", .ca = 1, .dns = "example.com"};
    tsvc_cert *ca = issue(&ispec, k.ik, root, k.rk);
    expect_built(ca, NULL, root, TSVC_PROFILE_SERVER, NULL, false, "basic-constraints");
    expect_built(ca, NULL, root, TSVC_PROFILE_GENERIC, NULL, true, NULL);
    tsvc_cert_free(ca);
    pki_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_chain),
        cmocka_unit_test(default_policy_uses_clock),
        cmocka_unit_test(expired_leaf),
        cmocka_unit_test(expired_intermediate),
        cmocka_unit_test(not_yet_valid),
        cmocka_unit_test(missing_key_cert_sign),
        cmocka_unit_test(ca_false_intermediate),
        cmocka_unit_test(path_length_exceeded),
        cmocka_unit_test(self_issued_not_counted),
        cmocka_unit_test(unknown_critical_extension),
        cmocka_unit_test(nc_dns),
        cmocka_unit_test(nc_email),
        cmocka_unit_test(nc_ip),
        cmocka_unit_test(nc_dn),
        cmocka_unit_test(nc_comparison_budget),
        cmocka_unit_test(require_explicit_policy),
        cmocka_unit_test(initial_policy_set),
        cmocka_unit_test(policy_graph),
        cmocka_unit_test(policy_graph_is_linear),
        cmocka_unit_test(eku_mismatch),
        cmocka_unit_test(server_peer_names),
        cmocka_unit_test(peer_name_syntax),
        cmocka_unit_test(bad_signature),
        cmocka_unit_test(anchor_needs_name_and_key),
        cmocka_unit_test(backtracking),
        cmocka_unit_test(cross_certificate),
        cmocka_unit_test(intermediate_cycle),
        cmocka_unit_test(bare_key_anchor),
        cmocka_unit_test(budgets),
        cmocka_unit_test(pinned_anchor),
        cmocka_unit_test(report_json_is_well_formed),
        cmocka_unit_test(report_api_escapes),
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(max_depth_policy),
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(shared_between_threads),
        cmocka_unit_test(intermediate_eku),
        cmocka_unit_test(server_leaf_forbidden_eku),
        cmocka_unit_test(webpki_keys_and_hashes),
        cmocka_unit_test(many_same_named_intermediates),
        cmocka_unit_test(server_common_name),
        cmocka_unit_test(nc_excluded_wildcard),
        cmocka_unit_test(policy_constraints_critical),
        cmocka_unit_test(ca_as_end_entity),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
