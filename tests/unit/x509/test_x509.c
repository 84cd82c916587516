/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the x509 layer: parsing and every accessor on the good
 * certificates (expected values from `openssl x509 -text`), the malformed
 * catalogue (one named test per case, exact status), RFC 5280 §7.1 name
 * comparison, RFC 4514 text, RFC 6125 host matching and the
 * name-constraint helpers. Test data: tests/data/x509 (see its README).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include "test_util.h"

#include "trustsvc/x509.h"
#include "x509/x509.h"

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

static tsvc_ctx *g_ctx;

static int setup(void **state)
{
    (void)state;
    return tsvc_ctx_new(&g_ctx, NULL, NULL) == TSVC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tsvc_ctx_free(g_ctx);
    g_ctx = NULL;
    return 0;
}

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

static blob load(const char *name)
{
    blob b = {NULL, 0};
    b.data = tsvc_test_read_file("tests/data/x509", name, &b.len);
    assert_true(b.len > 0);
    return b;
}

static tsvc_status parse_file(const char *name, tsvc_cert **out)
{
    blob b = load(name);
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_cert_parse(g_ctx, out, b.data, b.len, &err);
    if (st != TSVC_OK) {
        assert_non_null(err);
        assert_int_equal(tsvc_error_code(err), st);
    }
    tsvc_error_free(err);
    free(b.data);
    return st;
}

static tsvc_cert *must_parse(const char *name)
{
    tsvc_cert *c = NULL;
    assert_int_equal(parse_file(name, &c), TSVC_OK);
    assert_non_null(c);
    return c;
}

static void expect_failure(const char *name, tsvc_status expected)
{
    tsvc_cert *c = NULL;
    assert_int_equal(parse_file(name, &c), expected);
    assert_null(c);
}

static void assert_text(tsvc_status st, tsvc_buf *buf, const char *expected)
{
    assert_int_equal(st, TSVC_OK);
    assert_non_null(buf->data);
    assert_string_equal((const char *)buf->data, expected);
    assert_int_equal(buf->len, strlen(expected));
    tsvc_buf_dispose(buf);
}

/* The pointer is evaluated before the length (getters set the length). */
#define assert_bytes(ptr, len, hex)                                                        \
    do {                                                                                   \
        const uint8_t *p_ = (ptr);                                                         \
        check_bytes(p_, (len), (hex));                                                     \
    } while (0)

static void check_bytes(const uint8_t *got, size_t got_len, const char *hex)
{
    size_t n = strlen(hex) / 2;
    assert_int_equal(got_len, n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        assert_int_equal(got[i], v);
    }
}

/* ------------------------------------------------------------------ */
/* Good certificates                                                   */
/* ------------------------------------------------------------------ */

static void ec_leaf_fields(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("ec-leaf.der");
    size_t len = 0;
    tsvc_buf buf = TSVC_BUF_INIT;
    char oid[64];

    assert_int_equal(tsvc_cert_version(c), 3);
    assert_bytes(tsvc_cert_serial(c, &len), len, "1003");
    assert_text(tsvc_cert_issuer_text(c, &buf, NULL), &buf,
                "CN=TSVC Test ECDSA Intermediate,OU=Testing,O=libtrustsvc,C=JP");
    assert_text(tsvc_cert_subject_text(c, &buf, NULL), &buf,
                "CN=leaf.example.com,organizationIdentifier=NTRJP-1234567890123,"
                "O=Example Seal KK,L=Chiyoda-ku,ST=Tokyo,C=JP");
    /* Not Before: Jan 1 00:00:00 2020 GMT, Not After: Dec 31 23:59:59 2049 GMT */
    assert_int_equal(tsvc_cert_not_before(c), INT64_C(1577836800));
    assert_int_equal(tsvc_cert_not_after(c), INT64_C(2524607999));
    assert_int_equal(tsvc_cert_sig_scheme(c), TSVC_SIG_ECDSA);
    assert_int_equal(tsvc_cert_sig_hash(c), TSVC_HASH_SHA256);
    assert_bytes(tsvc_cert_sigalg_der(c, &len), len, "300a06082a8648ce3d040302");
    assert_int_equal(tsvc_cert_flags(c), 0);
    assert_false(tsvc_cert_is_self_issued(c));

    /* TBS is the exact encoded slice of the certificate. */
    size_t der_len = 0, tbs_len = 0, sig_len = 0;
    const uint8_t *der = tsvc_cert_der(c, &der_len);
    const uint8_t *tbs = tsvc_cert_tbs(c, &tbs_len);
    const uint8_t *sig = tsvc_cert_signature(c, &sig_len);
    assert_true(tbs > der && tbs + tbs_len < der + der_len);
    assert_int_equal(tbs[0], 0x30);
    assert_int_equal(sig[0], 0x30); /* Ecdsa-Sig-Value */
    assert_true(sig + sig_len == der + der_len);

    /* Public key */
    tsvc_pubkey *pub = NULL;
    assert_int_equal(tsvc_cert_pubkey(c, &pub, NULL), TSVC_OK);
    assert_int_equal(tsvc_pubkey_type(pub), TSVC_KEY_ECDSA_P256);
    tsvc_pubkey_free(pub);
    const uint8_t *spki = tsvc_cert_spki(c, &len);
    assert_int_equal(spki[0], 0x30);
    assert_int_equal(len, 91);

    /* Fingerprint: openssl x509 -in ec-leaf.pem -noout -fingerprint -sha256 */
    assert_int_equal(tsvc_cert_fingerprint(c, &buf, TSVC_HASH_SHA256, NULL), TSVC_OK);
    assert_bytes(buf.data, buf.len,
                 "13EB13B39DAF6D10F8DD6CB8C4D24C7ACEF2EE5D1428EFD5FC0FE75483E16131");
    tsvc_buf_dispose(&buf);

    /* Basic constraints: critical, CA:FALSE */
    int ca = 1;
    int64_t path_len = 0;
    assert_int_equal(tsvc_cert_basic_constraints(c, &ca, &path_len), 1);
    assert_int_equal(ca, 0);
    assert_int_equal(path_len, -1);
    assert_true(c->bc.critical);

    /* Key usage: critical, Digital Signature, Non Repudiation */
    uint32_t ku = 0;
    assert_int_equal(tsvc_cert_key_usage(c, &ku), 1);
    assert_int_equal(ku, TSVC_KU_DIGITAL_SIGNATURE | TSVC_KU_NON_REPUDIATION);
    assert_true(c->ku.critical);

    /* EKU: serverAuth, clientAuth, emailProtection */
    assert_int_equal(tsvc_cert_num_ekus(c), 3);
    assert_int_equal(tsvc_cert_eku(c, 0, oid, sizeof(oid)), TSVC_OK);
    assert_string_equal(oid, "1.3.6.1.5.5.7.3.1");
    assert_int_equal(tsvc_cert_eku(c, 1, oid, sizeof(oid)), TSVC_OK);
    assert_string_equal(oid, "1.3.6.1.5.5.7.3.2");
    assert_int_equal(tsvc_cert_eku(c, 2, oid, sizeof(oid)), TSVC_OK);
    assert_string_equal(oid, "1.3.6.1.5.5.7.3.4");
    assert_int_equal(tsvc_cert_eku(c, 3, oid, sizeof(oid)), TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_eku(c, 0, oid, 5), TSVC_ERR_BUFFER_TOO_SMALL);
    assert_true(tsvc_cert_has_eku(c, "1.3.6.1.5.5.7.3.1"));
    assert_false(tsvc_cert_has_eku(c, "1.3.6.1.5.5.7.3.8"));
    assert_true(tsvc__cert_eku_allows(c, (const uint8_t *)TSVC__OID_KP_SERVER_AUTH,
                                      TSVC__OID_LEN(TSVC__OID_KP_SERVER_AUTH)));
    assert_false(tsvc__cert_eku_allows(c, (const uint8_t *)TSVC__OID_KP_TIME_STAMPING,
                                       TSVC__OID_LEN(TSVC__OID_KP_TIME_STAMPING)));

    /* SAN: DNS:leaf.example.com, DNS:*.wild.example.com, IP:192.0.2.1,
     * IP:2001:DB8::1, email:alice@example.com, URI:https://www.example.com/alice */
    tsvc_general_name_type type;
    const uint8_t *v = NULL;
    assert_int_equal(tsvc_cert_num_sans(c), 6);
    assert_int_equal(tsvc_cert_san(c, 0, &type, &v, &len), TSVC_OK);
    assert_int_equal(type, TSVC_GN_DNS);
    assert_memory_equal(v, "leaf.example.com", len);
    assert_int_equal(tsvc_cert_san(c, 1, &type, &v, &len), TSVC_OK);
    assert_int_equal(type, TSVC_GN_DNS);
    assert_memory_equal(v, "*.wild.example.com", len);
    assert_int_equal(tsvc_cert_san(c, 2, &type, &v, &len), TSVC_OK);
    assert_int_equal(type, TSVC_GN_IP);
    assert_bytes(v, len, "c0000201");
    assert_int_equal(tsvc_cert_san(c, 3, &type, &v, &len), TSVC_OK);
    assert_int_equal(type, TSVC_GN_IP);
    assert_bytes(v, len, "20010db8000000000000000000000001");
    assert_int_equal(tsvc_cert_san(c, 4, &type, &v, &len), TSVC_OK);
    assert_int_equal(type, TSVC_GN_EMAIL);
    assert_int_equal(len, strlen("alice@example.com"));
    assert_memory_equal(v, "alice@example.com", len);
    assert_int_equal(tsvc_cert_san(c, 5, &type, &v, &len), TSVC_OK);
    assert_int_equal(type, TSVC_GN_URI);
    assert_int_equal(len, strlen("https://www.example.com/alice"));
    assert_memory_equal(v, "https://www.example.com/alice", len);
    assert_int_equal(tsvc_cert_san(c, 6, &type, &v, &len), TSVC_ERR_INVALID_ARG);

    /* Policies: 1.3.6.1.4.1.55555.1.1 with CPS https://www.example.com/cps */
    const uint8_t *quals = NULL;
    assert_int_equal(tsvc_cert_num_policies(c), 1);
    assert_int_equal(tsvc_cert_policy(c, 0, oid, sizeof(oid), &quals, &len), TSVC_OK);
    assert_string_equal(oid, "1.3.6.1.4.1.55555.1.1");
    assert_non_null(quals);
    assert_int_equal(quals[0], 0x30);
    assert_non_null(memmem(quals, len, "https://www.example.com/cps", 27));

    /* SKI / AKI */
    v = tsvc_cert_subject_key_id(c, &len);
    assert_bytes(v, len, "E13D864CDE7226274891358C3778E958DCC4DBC9");
    v = tsvc_cert_authority_key_id(c, &len);
    assert_bytes(v, len, "966F6C0F003180604F7ED04B03A0240F803073DB");

    /* CRL DP, AIA */
    assert_int_equal(tsvc_cert_num_crl_uris(c), 2);
    assert_string_equal(tsvc_cert_crl_uri(c, 0), "http://crl.example.com/int.crl");
    assert_string_equal(tsvc_cert_crl_uri(c, 1), "ldap://ldap.example.com/cn=int");
    assert_null(tsvc_cert_crl_uri(c, 2));
    assert_int_equal(c->crldp.num, 2);
    assert_int_equal(tsvc_cert_num_ocsp_uris(c), 1);
    assert_string_equal(tsvc_cert_ocsp_uri(c, 0), "http://ocsp.example.com/");
    assert_int_equal(tsvc_cert_num_ca_issuers_uris(c), 1);
    assert_string_equal(tsvc_cert_ca_issuers_uri(c, 0), "http://ca.example.com/int.cer");

    /* qcStatements raw (extensions.cnf) */
    v = tsvc_cert_qc_statements(c, &len);
    assert_bytes(v, len,
                 "301f3008060604008e4601013013060604008e4601063009060704008e46010602");

    /* Generic extension access */
    assert_int_equal(tsvc_cert_num_extensions(c), 10);
    int critical = 1;
    const uint8_t *ev = NULL;
    size_t ev_len = 0;
    assert_int_equal(tsvc_cert_extension(c, &critical, &ev, &ev_len, "1.3.6.1.5.5.7.1.3"),
                     TSVC_OK);
    assert_int_equal(critical, 0);
    assert_ptr_equal(ev, tsvc_cert_qc_statements(c, &len));
    assert_int_equal(tsvc_cert_extension(c, &critical, NULL, NULL, "2.5.29.19"), TSVC_OK);
    assert_int_equal(critical, 1);
    assert_int_equal(tsvc_cert_extension(c, NULL, NULL, NULL, "2.5.29.30"), TSVC_ERR_NOT_FOUND);
    assert_int_equal(tsvc_cert_extension(c, NULL, NULL, NULL, "not.an.oid"),
                     TSVC_ERR_INVALID_ARG);
    assert_int_equal(tsvc_cert_extension_at(c, 0, oid, sizeof(oid), &critical, &ev, &ev_len),
                     TSVC_OK);
    assert_string_equal(oid, "2.5.29.19");
    assert_int_equal(critical, 1);
    assert_int_equal(tsvc_cert_extension_at(c, 10, oid, sizeof(oid), NULL, NULL, NULL),
                     TSVC_ERR_INVALID_ARG);
    for (size_t i = 0; i < c->num_exts; i++)
        assert_true(c->exts[i].understood);

    tsvc_cert_free(c);
}

static void ec_leaf_pem_equals_der(void **state)
{
    (void)state;
    tsvc_cert *a = must_parse("ec-leaf.der");
    tsvc_cert *b = must_parse("ec-leaf.pem");
    size_t la = 0, lb = 0;
    const uint8_t *da = tsvc_cert_der(a, &la);
    const uint8_t *db = tsvc_cert_der(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    /* The bundle's first certificate is the leaf. */
    tsvc_cert *c = must_parse("ec-chain.pem");
    assert_memory_equal(tsvc_cert_der(c, &lb), da, la);
    tsvc_cert_free(a);
    tsvc_cert_free(b);
    tsvc_cert_free(c);
}

static void ec_intermediate_fields(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("ec-int.pem");
    int ca = 0;
    int64_t path_len = -1;
    uint32_t ku = 0;
    size_t len;
    assert_int_equal(tsvc_cert_basic_constraints(c, &ca, &path_len), 1);
    assert_int_equal(ca, 1);
    assert_int_equal(path_len, 0);
    assert_int_equal(tsvc_cert_key_usage(c, &ku), 1);
    assert_int_equal(ku, TSVC_KU_KEY_CERT_SIGN | TSVC_KU_CRL_SIGN);
    assert_int_equal(tsvc_cert_num_ekus(c), 0);
    assert_int_equal(tsvc_cert_num_sans(c), 0);
    assert_null(tsvc_cert_qc_statements(c, &len));
    assert_int_equal(len, 0);
    assert_bytes(tsvc_cert_subject_key_id(c, &len), len,
                 "966F6C0F003180604F7ED04B03A0240F803073DB");
    assert_bytes(tsvc_cert_authority_key_id(c, &len), len,
                 "AE61BBF29E78209F75F8F54ED44668C11E09D0DB");
    assert_string_equal(tsvc_cert_crl_uri(c, 0), "http://crl.example.com/root.crl");
    assert_int_equal(tsvc_cert_num_ocsp_uris(c), 0);
    assert_string_equal(tsvc_cert_ca_issuers_uri(c, 0), "http://ca.example.com/root.cer");

    /* Name constraints (internal view, used by the path layer):
     * permitted DNS:example.com, email:example.com, IP:192.0.2.0/24,
     * IP:2001:DB8::/32; excluded DNS:bad.example.com */
    assert_true(c->nc.present);
    assert_true(c->nc.critical);
    assert_int_equal(c->nc.num_permitted, 4);
    assert_int_equal(c->nc.num_excluded, 1);
    assert_int_equal(c->nc.permitted[0].type, TSVC_GN_DNS);
    assert_true(tsvc__cbs_equal(&c->nc.permitted[0].value, (const uint8_t *)"example.com", 11));
    assert_int_equal(c->nc.permitted[1].type, TSVC_GN_EMAIL);
    assert_int_equal(c->nc.permitted[2].type, TSVC_GN_IP);
    assert_bytes(c->nc.permitted[2].value.data, c->nc.permitted[2].value.len,
                 "c0000200ffffff00");
    assert_int_equal(c->nc.permitted[3].value.len, 32);
    assert_true(tsvc__cbs_equal(&c->nc.excluded[0].value, (const uint8_t *)"bad.example.com",
                                15));
    assert_true(c->policies.present);
    assert_int_equal(c->policies.num, 1);
    assert_int_equal(c->policies.items[0].qualifiers.len, 0);
    assert_false(c->mappings.present);
    assert_int_equal(c->pc.require_explicit_policy, -1);
    assert_int_equal(c->inhibit_any.skip_certs, -1);
    tsvc_cert_free(c);
}

static void root_is_self_issued(void **state)
{
    (void)state;
    const char *roots[] = {"ec-root.der", "rsa-root.der", "ed25519-root.der"};
    for (size_t i = 0; i < 3; i++) {
        tsvc_cert *c = must_parse(roots[i]);
        assert_true(tsvc_cert_is_self_issued(c));
        assert_int_equal(tsvc_cert_flags(c), 0);
        size_t len;
        assert_null(tsvc_cert_authority_key_id(c, &len));
        tsvc_cert_free(c);
    }
}

static void verify_chain(const char *root, const char *intermediate, const char *leaf,
                         tsvc_key_type type, tsvc_sig_scheme scheme, tsvc_hash_alg hash)
{
    tsvc_cert *r = must_parse(root), *i = must_parse(intermediate), *l = must_parse(leaf);
    assert_int_equal(tsvc_cert_sig_scheme(l), scheme);
    assert_int_equal(tsvc_cert_sig_hash(l), hash);
    assert_int_equal(tsvc_pubkey_type(l->pubkey), type);
    assert_int_equal(tsvc__cert_verify_signed_by(g_ctx, l, i->pubkey, NULL), TSVC_OK);
    assert_int_equal(tsvc__cert_verify_signed_by(g_ctx, i, r->pubkey, NULL), TSVC_OK);
    assert_int_equal(tsvc__cert_verify_signed_by(g_ctx, r, r->pubkey, NULL), TSVC_OK);
    tsvc_error *err = NULL;
    assert_int_equal(tsvc__cert_verify_signed_by(g_ctx, l, r->pubkey, &err),
                     TSVC_ERR_SIGNATURE_INVALID);
    tsvc_error_free(err);
    assert_true(tsvc__name_equal(&l->issuer, &i->subject));
    assert_true(tsvc__name_equal(&i->issuer, &r->subject));
    assert_false(tsvc__name_equal(&l->issuer, &r->subject));
    tsvc_cert_free(r);
    tsvc_cert_free(i);
    tsvc_cert_free(l);
}

static void ecdsa_chain_verifies(void **state)
{
    (void)state;
    tsvc_test_require_verify(TSVC_KEY_ECDSA_P256, TSVC_SIG_ECDSA, TSVC_HASH_SHA256,
                             "ECDSA P-256 with SHA-256");
    verify_chain("ec-root.der", "ec-int.der", "ec-leaf.der", TSVC_KEY_ECDSA_P256,
                 TSVC_SIG_ECDSA, TSVC_HASH_SHA256);
}

static void rsa_chain_verifies(void **state)
{
    (void)state;
    tsvc_test_require_verify(TSVC_KEY_RSA, TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256,
                             "RSA PKCS#1 v1.5 with SHA-256");
    verify_chain("rsa-root.pem", "rsa-int.pem", "rsa-leaf.pem", TSVC_KEY_RSA,
                 TSVC_SIG_RSA_PKCS1, TSVC_HASH_SHA256);
    tsvc_cert *c = must_parse("rsa-leaf.der");
    size_t len;
    tsvc_buf buf = TSVC_BUF_INIT;
    assert_bytes(tsvc_cert_serial(c, &len), len, "2003");
    assert_text(tsvc_cert_subject_text(c, &buf, NULL), &buf,
                "CN=rsa.example.com,O=libtrustsvc,C=JP");
    assert_text(tsvc_cert_issuer_text(c, &buf, NULL), &buf,
                "CN=TSVC Test RSA Intermediate,O=libtrustsvc,C=JP");
    assert_int_equal(tsvc_pubkey_bits(c->pubkey), 2048);
    tsvc_cert_free(c);
}

static void rsa_pss_signature(void **state)
{
    (void)state;
    tsvc_test_require_verify(TSVC_KEY_RSA, TSVC_SIG_RSA_PSS, TSVC_HASH_SHA256,
                             "RSA-PSS with SHA-256");
    /* openssl: Signature Algorithm: rsassaPss, sha256, mgf1 with sha256, salt 0x20 */
    tsvc_cert *l = must_parse("rsa-pss-leaf.pem"), *i = must_parse("rsa-int.pem");
    assert_int_equal(tsvc_cert_sig_scheme(l), TSVC_SIG_RSA_PSS);
    assert_int_equal(tsvc_cert_sig_hash(l), TSVC_HASH_SHA256);
    assert_int_equal(l->sig_params.mgf1_hash, TSVC_HASH_SHA256);
    assert_int_equal(l->sig_params.salt_len, 32);
    assert_int_equal(tsvc__cert_verify_signed_by(g_ctx, l, i->pubkey, NULL), TSVC_OK);
    tsvc_cert_free(l);
    tsvc_cert_free(i);
}

static void ed25519_chain_verifies(void **state)
{
    (void)state;
    verify_chain("ed25519-root.pem", "ed25519-int.pem", "ed25519-leaf.pem", TSVC_KEY_ED25519,
                 TSVC_SIG_ED25519, TSVC_HASH_NONE);
    tsvc_cert *c = must_parse("ed25519-leaf.der");
    size_t len;
    tsvc_buf buf = TSVC_BUF_INIT;
    assert_bytes(tsvc_cert_serial(c, &len), len, "3003");
    assert_text(tsvc_cert_subject_text(c, &buf, NULL), &buf, "CN=device-0001,O=libtrustsvc,C=JP");
    tsvc_cert_free(c);
}

static void v1_certificate(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("v1-good.pem");
    size_t len;
    assert_int_equal(tsvc_cert_version(c), 1);
    assert_int_equal(tsvc_cert_num_extensions(c), 0);
    assert_int_equal(tsvc_cert_basic_constraints(c, NULL, NULL), 0);
    assert_int_equal(tsvc_cert_key_usage(c, NULL), 0);
    assert_null(tsvc_cert_subject_key_id(c, &len));
    assert_bytes(tsvc_cert_serial(c, &len), len, "1004");
    tsvc_cert_free(c);
}

static void cert_list_from_bundle(void **state)
{
    (void)state;
    blob b = load("ec-chain.pem");
    tsvc_cert_list *list = NULL;
    assert_int_equal(tsvc_cert_list_parse(g_ctx, &list, b.data, b.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_list_count(list), 3);
    tsvc_buf buf = TSVC_BUF_INIT;
    assert_text(tsvc_cert_subject_text(tsvc_cert_list_get(list, 2), &buf, NULL), &buf,
                "CN=TSVC Test ECDSA Root,O=libtrustsvc,C=JP");
    assert_null(tsvc_cert_list_get(list, 3));
    /* A reference outlives the list. */
    tsvc_cert *keep = tsvc_cert_ref(tsvc_cert_list_get(list, 0));
    tsvc_cert_list_free(list);
    assert_int_equal(tsvc_cert_version(keep), 3);
    tsvc_cert_free(keep);
    free(b.data);

    /* Text before and between blocks; other blocks skipped. */
    b = load("bundle-with-text.pem");
    assert_int_equal(tsvc_cert_list_parse(g_ctx, &list, b.data, b.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_list_count(list), 2);
    assert_true(tsvc_cert_is_self_issued(tsvc_cert_list_get(list, 1)));
    tsvc_cert_list_free(list);
    tsvc_cert *first = NULL;
    assert_int_equal(tsvc_cert_parse(g_ctx, &first, b.data, b.len, NULL), TSVC_OK);
    assert_false(tsvc_cert_is_self_issued(first));
    tsvc_cert_free(first);
    free(b.data);

    /* One DER certificate makes a list of one. */
    b = load("ec-int.der");
    assert_int_equal(tsvc_cert_list_parse(g_ctx, &list, b.data, b.len, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_list_count(list), 1);
    tsvc_cert_list_free(list);
    free(b.data);

    /* PEM without certificates. */
    const char *nocert = "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n";
    list = NULL;
    assert_int_equal(tsvc_cert_list_parse(g_ctx, &list, (const uint8_t *)nocert,
                                          strlen(nocert), NULL),
                     TSVC_ERR_PEM);
    assert_null(list);

    /* Building a list by hand. */
    tsvc_cert *c = must_parse("ec-root.der");
    assert_int_equal(tsvc_cert_list_new(g_ctx, &list, NULL), TSVC_OK);
    for (int i = 0; i < 20; i++)
        assert_int_equal(tsvc_cert_list_add(list, c, NULL), TSVC_OK);
    assert_int_equal(tsvc_cert_list_count(list), 20);
    tsvc_cert_free(c);
    tsvc_cert_list_free(list);
    assert_int_equal(tsvc_cert_list_count(NULL), 0);
}

static void special_names_text(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("names.pem");
    tsvc_buf buf = TSVC_BUF_INIT;
    /* openssl -nameopt RFC2253: emailAddress=alice@example.com,CN=\#hash\;semi\\back\ ,
     * O=Foo\, Inc. \"Quoted\"+OU=R&D \<lab\>,DC=example,DC=org (the RDN's
     * two attributes here in encoding order). */
    assert_text(tsvc_cert_subject_text(c, &buf, NULL), &buf,
                "emailAddress=alice@example.com,CN=\\#hash\\;semi\\\\back\\ ,"
                "OU=R&D \\<lab\\>+O=Foo\\, Inc. \\\"Quoted\\\",DC=example,DC=org");
    tsvc_cert_free(c);
}

static void many_sans(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("many-sans.der");
    assert_int_equal(tsvc_cert_num_sans(c), 200);
    const uint8_t *v;
    size_t len;
    assert_int_equal(tsvc_cert_san(c, 199, NULL, &v, &len), TSVC_OK);
    assert_int_equal(len, strlen("host199.example.com"));
    assert_memory_equal(v, "host199.example.com", len);
    assert_true(tsvc_cert_match_host(c, "host150.example.com"));
    assert_false(tsvc_cert_match_host(c, "host200.example.com"));
    tsvc_cert_free(c);
}

static void refcount_and_nulls(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("ec-root.der");
    assert_ptr_equal(tsvc_cert_ref(c), c);
    tsvc_cert_free(c);
    assert_int_equal(tsvc_cert_version(c), 3);
    tsvc_cert_free(c);
    tsvc_cert_free(NULL);
    assert_null(tsvc_cert_ref(NULL));
    size_t len = 7;
    assert_null(tsvc_cert_der(NULL, &len));
    assert_int_equal(len, 0);
    assert_int_equal(tsvc_cert_parse(g_ctx, NULL, (const uint8_t *)"", 0, NULL),
                     TSVC_ERR_INVALID_ARG);
    tsvc_cert *out = NULL;
    assert_int_equal(tsvc_cert_parse(g_ctx, &out, NULL, 5, NULL), TSVC_ERR_INVALID_ARG);
}

static void *ref_churn(void *arg)
{
    tsvc_cert *c = arg;
    for (int i = 0; i < 100000; i++)
        tsvc_cert_free(tsvc_cert_ref(c));
    return NULL;
}

static void refcount_is_thread_safe(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("ec-leaf.der");
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, ref_churn, c), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(atomic_load(&c->refs), 1);
    tsvc_cert_free(c);
}

/* ------------------------------------------------------------------ */
/* Malformed catalogue                                                 */
/* ------------------------------------------------------------------ */

static void bad_v1_extensions(void **state)
{
    (void)state;
    expect_failure("bad-v1-extensions.der", TSVC_ERR_CERT_VERSION);
}

static void bad_v2_extensions(void **state)
{
    (void)state;
    expect_failure("bad-v2-extensions.der", TSVC_ERR_CERT_VERSION);
}

static void bad_version5(void **state)
{
    (void)state;
    expect_failure("bad-version5.der", TSVC_ERR_CERT_VERSION);
}

static void bad_version1_explicit(void **state)
{
    (void)state;
    expect_failure("bad-version1-explicit.der", TSVC_ERR_CERT_VERSION);
}

static void serial_negative_flagged(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("serial-negative.der");
    size_t len;
    assert_bytes(tsvc_cert_serial(c, &len), len, "ff01");
    assert_int_equal(tsvc_cert_flags(c), TSVC_CERT_FLAG_SERIAL_NEGATIVE);
    tsvc_cert_free(c);
}

static void serial_zero_flagged(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("serial-zero.der");
    assert_int_equal(tsvc_cert_flags(c), TSVC_CERT_FLAG_SERIAL_ZERO);
    tsvc_cert_free(c);
}

static void serial_21_octets_flagged(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("serial-21-octets.der");
    size_t len;
    tsvc_cert_serial(c, &len);
    assert_int_equal(len, 21);
    assert_int_equal(tsvc_cert_flags(c), TSVC_CERT_FLAG_SERIAL_TOO_LONG);
    tsvc_cert_free(c);
}

static void bad_sigalg_mismatch(void **state)
{
    (void)state;
    expect_failure("bad-sigalg-mismatch.der", TSVC_ERR_CERT_SIGALG_MISMATCH);
}

static void sigalg_unknown_flagged(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("sigalg-unknown.der");
    tsvc_cert *i = must_parse("ec-int.der");
    assert_int_equal(tsvc_cert_flags(c), TSVC_CERT_FLAG_UNKNOWN_SIGNATURE_ALGORITHM);
    assert_int_equal(tsvc_cert_sig_scheme(c), TSVC_SIG_NONE);
    assert_int_equal(tsvc__cert_verify_signed_by(g_ctx, c, i->pubkey, NULL), TSVC_ERR_ALGORITHM);
    tsvc_cert_free(c);
    tsvc_cert_free(i);
}

static void bad_duplicate_extension(void **state)
{
    (void)state;
    expect_failure("bad-duplicate-extension.der", TSVC_ERR_CERT_DUPLICATE_EXTENSION);
}

static void bad_extensions_empty(void **state)
{
    (void)state;
    expect_failure("bad-extensions-empty.der", TSVC_ERR_CERT_FORMAT);
}

static void bad_duplicate_policy(void **state)
{
    (void)state;
    expect_failure("bad-duplicate-policy.der", TSVC_ERR_CERT_EXTENSION);
}

static void bad_ku_no_bits(void **state)
{
    (void)state;
    expect_failure("bad-ku-no-bits.der", TSVC_ERR_CERT_EXTENSION);
}

static void bad_bc_ca_false_encoded(void **state)
{
    (void)state;
    expect_failure("bad-bc-ca-false-encoded.der", TSVC_ERR_CERT_EXTENSION);
}

static void bad_ext_critical_false(void **state)
{
    (void)state;
    expect_failure("bad-ext-critical-false.der", TSVC_ERR_CERT_FORMAT);
}

static void bad_nc_ip_mask(void **state)
{
    (void)state;
    expect_failure("bad-nc-ip-mask.der", TSVC_ERR_NAME);
}

static void many_extensions(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("many-extensions.der");
    assert_int_equal(tsvc_cert_num_extensions(c), 1010);
    assert_int_equal(tsvc_cert_flags(c), 0);
    assert_false(c->exts[1009].understood);
    tsvc_cert_free(c);
}

static void bad_san_dns_nul(void **state)
{
    (void)state;
    expect_failure("bad-san-dns-nul.der", TSVC_ERR_NAME);
}

static void name_nul_escaped(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("name-nul.der");
    tsvc_buf buf = TSVC_BUF_INIT;
    assert_text(tsvc_cert_subject_text(c, &buf, NULL), &buf,
                "CN=evil.example.com\\00.attacker.example");
    tsvc_cert_free(c);
}

static void unknown_critical_extension_flagged(void **state)
{
    (void)state;
    tsvc_cert *c = must_parse("bad-unknown-critical.pem");
    assert_int_equal(tsvc_cert_flags(c), TSVC_CERT_FLAG_UNKNOWN_CRITICAL_EXTENSION);
    int critical = 0;
    const uint8_t *v = NULL;
    size_t len = 0;
    assert_int_equal(tsvc_cert_extension(c, &critical, &v, &len, "1.3.6.1.4.1.55555.99"),
                     TSVC_OK);
    assert_int_equal(critical, 1);
    assert_bytes(v, len, "0500");
    tsvc_cert_free(c);
}

static void bad_explicit_curve(void **state)
{
    (void)state;
    expect_failure("bad-explicit-curve.der", TSVC_ERR_KEY_FORMAT);
}

static void bad_rsa_16400(void **state)
{
    (void)state;
    expect_failure("bad-rsa-16400.der", TSVC_ERR_KEY_SIZE);
}

static void bad_trailing_data(void **state)
{
    (void)state;
    expect_failure("bad-trailing-data.der", TSVC_ERR_DER_TRAILING);
}

static void bad_truncated(void **state)
{
    (void)state;
    expect_failure("bad-truncated.der", TSVC_ERR_DER_TRUNCATED);
}

static void limit_input_size(void **state)
{
    (void)state;
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_INPUT_SIZE, 100, NULL), TSVC_OK);
    blob b = load("ec-leaf.der");
    tsvc_cert *c = NULL;
    assert_int_equal(tsvc_cert_parse(ctx, &c, b.data, b.len, NULL), TSVC_ERR_LIMIT_INPUT_SIZE);
    assert_null(c);
    free(b.data);
    tsvc_ctx_free(ctx);
}

static void limit_der_depth(void **state)
{
    (void)state;
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, NULL, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_DER_DEPTH, 3, NULL), TSVC_OK);
    blob b = load("ec-leaf.der");
    tsvc_cert *c = NULL;
    assert_int_equal(tsvc_cert_parse(ctx, &c, b.data, b.len, NULL), TSVC_ERR_LIMIT_DER_DEPTH);
    free(b.data);
    tsvc_ctx_free(ctx);
}

static void garbage_never_crashes(void **state)
{
    (void)state;
    blob b = load("ec-leaf.der");
    tsvc_cert *c = NULL;
    /* Every truncation fails. */
    for (size_t n = 0; n < b.len; n++) {
        assert_int_not_equal(tsvc_cert_parse(g_ctx, &c, b.data, n, NULL), TSVC_OK);
        assert_null(c);
    }
    /* Every single-byte change either fails or parses; none crashes. */
    uint8_t *copy = malloc(b.len);
    assert_non_null(copy);
    for (size_t i = 0; i < b.len; i++) {
        static const uint8_t deltas[] = {0x01, 0x80, 0xff};
        for (size_t d = 0; d < sizeof(deltas); d++) {
            memcpy(copy, b.data, b.len);
            copy[i] ^= deltas[d];
            if (tsvc_cert_parse(g_ctx, &c, copy, b.len, NULL) == TSVC_OK) {
                tsvc_buf buf = TSVC_BUF_INIT;
                (void)tsvc_cert_subject_text(c, &buf, NULL);
                tsvc_buf_dispose(&buf);
                if (tsvc_cert_match_host(c, "leaf.example.com"))
                    assert_true(tsvc_cert_num_sans(c) > 0);
                tsvc_cert_free(c);
                c = NULL;
            }
        }
    }
    free(copy);
    free(b.data);
    const char *pem = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    assert_int_not_equal(tsvc_cert_parse(g_ctx, &c, (const uint8_t *)pem, strlen(pem), NULL),
                         TSVC_OK);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, <tag> value } } } */
static size_t make_cn(uint8_t *out, uint8_t tag, const char *value)
{
    const size_t n = strlen(value);
    assert_true(n < 100);
    size_t i = 0;
    out[i++] = 0x30;
    out[i++] = (uint8_t)(n + 11);
    out[i++] = 0x31;
    out[i++] = (uint8_t)(n + 9);
    out[i++] = 0x30;
    out[i++] = (uint8_t)(n + 7);
    out[i++] = 0x06;
    out[i++] = 0x03;
    out[i++] = 0x55;
    out[i++] = 0x04;
    out[i++] = 0x03;
    out[i++] = tag;
    out[i++] = (uint8_t)n;
    memcpy(out + i, value, n);
    return i + n;
}

static bool cn_equal(uint8_t ta, const char *a, uint8_t tb, const char *b)
{
    uint8_t x[128], y[128];
    size_t xl = make_cn(x, ta, a), yl = make_cn(y, tb, b);
    return tsvc_name_equal(x, xl, y, yl) == 1;
}

static bool text_equal(const char *a, const char *b)
{
    tsvc_buf x = TSVC_BUF_INIT, y = TSVC_BUF_INIT;
    assert_int_equal(tsvc_name_from_text(g_ctx, &x, a, NULL), TSVC_OK);
    assert_int_equal(tsvc_name_from_text(g_ctx, &y, b, NULL), TSVC_OK);
    bool eq = tsvc_name_equal(x.data, x.len, y.data, y.len) == 1;
    tsvc_buf_dispose(&x);
    tsvc_buf_dispose(&y);
    return eq;
}

static void name_compare_rfc5280(void **state)
{
    (void)state;
    const uint8_t U = 0x0c, P = 0x13, I = 0x16, B = 0x1e;
    /* Case folding, UTF8String vs PrintableString. */
    assert_true(cn_equal(U, "Example CA", P, "example ca"));
    assert_true(cn_equal(P, "EXAMPLE CA", P, "example ca"));
    /* Insignificant spaces: leading, trailing, inner runs (tab too). */
    assert_true(cn_equal(U, "  Example   CA ", U, "Example CA"));
    assert_true(cn_equal(U, "Example\tCA", P, "Example CA"));
    assert_false(cn_equal(U, "ExampleCA", U, "Example CA"));
    assert_false(cn_equal(U, "Example CA", U, "Example CB"));
    /* Other string types: bytes only. */
    assert_false(cn_equal(I, "Example", I, "example"));
    assert_true(cn_equal(I, "Example", I, "Example"));
    assert_false(cn_equal(I, "Example", U, "Example"));
    assert_false(cn_equal(B, "ab", U, "ab"));
    /* Structure: attribute types, RDN count, multi-valued RDN order. */
    assert_true(text_equal("CN=a,O=Example,C=JP", "cn=A, o=EXAMPLE, c=jp"));
    assert_false(text_equal("CN=a,O=Example,C=JP", "CN=a,OU=Example,C=JP"));
    assert_false(text_equal("CN=a,O=Example,C=JP", "CN=a,O=Example"));
    assert_false(text_equal("CN=a,O=Example", "O=Example,CN=a"));
    assert_true(text_equal("CN=a+O=Example,C=JP", "O=example+CN=A,C=JP"));
    assert_false(text_equal("CN=a+O=Example,C=JP", "CN=a,O=Example,C=JP"));
    assert_true(text_equal("", ""));
    assert_false(text_equal("", "C=JP"));
    /* Malformed names equal only when identical. */
    const uint8_t bad[] = {0x30, 0x02, 0x31, 0x00};
    assert_true(tsvc_name_equal(bad, sizeof(bad), bad, sizeof(bad)));
    assert_false(tsvc_name_equal(bad, sizeof(bad), (const uint8_t *)"\x30\x00", 2));
}

/* A one-RDN name CN=<value> with a value of @p n bytes (NULs allowed). */
static size_t make_cn_n(uint8_t *out, uint8_t tag, const char *value, size_t n)
{
    assert_true(n < 100);
    size_t i = 0;
    const uint8_t head[] = {0x30, (uint8_t)(n + 11), 0x31, (uint8_t)(n + 9), 0x30,
                            (uint8_t)(n + 7), 0x06, 0x03, 0x55, 0x04, 0x03, tag, (uint8_t)n};
    memcpy(out, head, sizeof(head));
    i = sizeof(head);
    memcpy(out + i, value, n);
    return i + n;
}

/* Compares two CN values; equal names must also share tsvc__name_hash(). */
static bool cn_equal_n(uint8_t ta, const char *a, size_t an, uint8_t tb, const char *b, size_t bn)
{
    uint8_t x[128], y[128];
    size_t xl = make_cn_n(x, ta, a, an), yl = make_cn_n(y, tb, b, bn);
    bool eq = tsvc_name_equal(x, xl, y, yl) == 1;
    assert_true(eq == (tsvc_name_equal(y, yl, x, xl) == 1));
    if (eq) {
        tsvc__cbs cx, cy;
        tsvc__cbs_init(&cx, x, xl);
        tsvc__cbs_init(&cy, y, yl);
        assert_true(tsvc__name_hash(&cx) == tsvc__name_hash(&cy));
    }
    return eq;
}

#define CN_EQ(ta, a, tb, b) cn_equal_n(ta, a, sizeof(a) - 1, tb, b, sizeof(b) - 1)

/* RFC 4518 beyond ASCII: DirectoryString types decoded to Unicode, the
 * mapping to nothing or SPACE, case folding of the Latin, Greek and
 * Cyrillic scripts; invalid encodings are equal only byte for byte. */
static void name_compare_unicode(void **state)
{
    (void)state;
    const uint8_t U = 0x0c, P = 0x13, I = 0x16, B = 0x1e, W = 0x1c;
    /* BMPString and UniversalString against UTF8String/PrintableString. */
    assert_true(CN_EQ(B, "\0E\0x", U, "ex"));
    assert_true(CN_EQ(W, "\0\0\0A\0\0\0b", P, "ab"));
    assert_true(CN_EQ(B, "\0\xc9", U, "\xc3\xa9")); /* U+00C9 = U+00E9 folded */
    assert_false(CN_EQ(B, "\0E\0x", U, "ey"));
    /* Latin-1, Latin Extended-A, Greek (with final sigma), Cyrillic. */
    assert_true(CN_EQ(U, "\xc3\x89" "COLE", U, "\xc3\xa9" "cole"));
    assert_true(CN_EQ(U, "\xc5\x81" "\xc3\x93" "D\xc5\xb9", U, "\xc5\x82\xc3\xb3" "d\xc5\xba"));
    assert_true(CN_EQ(U, "\xce\xa3", U, "\xcf\x83"));
    assert_true(CN_EQ(U, "\xce\xa3", U, "\xcf\x82"));
    assert_true(CN_EQ(U, "\xd0\x94\xd0\x81", U, "\xd0\xb4\xd1\x91"));
    assert_false(CN_EQ(U, "\xc3\xa9", U, "e")); /* no accent stripping */
    assert_false(CN_EQ(U, "\xc3\x97", U, "\xc3\xb7")); /* x and division signs */
    /* Mapped to SPACE (no-break space, ideographic space) or to nothing. */
    assert_true(CN_EQ(U, "a\xc2\xa0\xe3\x80\x80 b", U, "a b"));
    assert_true(CN_EQ(U, "\xc2\xa0" "ab\xc2\xa0", P, "ab"));
    assert_true(CN_EQ(U, "a\xc2\xad" "b\xe2\x80\x8b", U, "ab"));
    /* Full-width ASCII is its ASCII letter (NFKC). */
    assert_true(CN_EQ(U, "\xef\xbc\xa1\xef\xbd\x82", U, "ab"));
    /* Invalid encodings: equal only to the same tag and bytes. */
    assert_true(CN_EQ(U, "\xc3", U, "\xc3"));
    assert_false(CN_EQ(U, "\xc1\x81", U, "A")); /* overlong */
    assert_false(CN_EQ(U, "\xed\xa0\x80", U, "\xed\xa0\x81")); /* surrogates */
    assert_false(CN_EQ(B, "\0a\0", U, "a")); /* odd length */
    assert_false(CN_EQ(P, "\xc3\xa9", U, "\xc3\xa9")); /* not ASCII */
    /* IA5String stays byte for byte. */
    assert_false(CN_EQ(I, "Ab", I, "ab"));
}

static void name_text_roundtrip(const char *text, const char *expected)
{
    tsvc_buf der = TSVC_BUF_INIT, back = TSVC_BUF_INIT;
    assert_int_equal(tsvc_name_from_text(g_ctx, &der, text, NULL), TSVC_OK);
    assert_text(tsvc_name_to_text(g_ctx, &back, der.data, der.len, NULL), &back,
                expected ? expected : text);
    tsvc_buf_dispose(&der);
}

static void name_text_rfc4514(void **state)
{
    (void)state;
    name_text_roundtrip("CN=Alice,O=Example\\, Inc.,C=JP", NULL);
    name_text_roundtrip("CN=\\#1 \\+ \\\"two\\\"\\;\\<\\>\\\\,O=x", NULL);
    name_text_roundtrip("CN=\\ lead and trail\\ ", NULL);
    name_text_roundtrip("cn=alice, o=Example ,c=JP", "CN=alice,O=Example,C=JP");
    name_text_roundtrip("CN=Foo+OU=Bar,DC=example,DC=org", NULL);
    name_text_roundtrip("organizationIdentifier=NTRJP-1234567890123,CN=Seal", NULL);
    name_text_roundtrip("CN=\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e", NULL);
    name_text_roundtrip("CN=a\\0Db", "CN=a\\0Db");
    name_text_roundtrip("1.2.3.4=#0403616263", NULL);
    name_text_roundtrip("1.2.3.4=plain", NULL);
    name_text_roundtrip("emailAddress=alice@example.com,serialNumber=12345,C=JP", NULL);
    name_text_roundtrip("", NULL);

    /* Types chosen from the attribute. */
    tsvc_buf der = TSVC_BUF_INIT;
    assert_int_equal(tsvc_name_from_text(g_ctx, &der, "C=JP", NULL), TSVC_OK);
    assert_bytes(der.data, der.len, "300d310b3009060355040613024a50");
    tsvc_buf_dispose(&der);
    assert_int_equal(tsvc_name_from_text(g_ctx, &der, "CN=x", NULL), TSVC_OK);
    assert_bytes(der.data, der.len, "300c310a300806035504030c0178");
    tsvc_buf_dispose(&der);

    /* BMPString decoded to UTF-8; an unknown value type as #hex. */
    const uint8_t bmp[] = {0x30, 0x11, 0x31, 0x0f, 0x30, 0x0d, 0x06, 0x03, 0x55,
                           0x04, 0x03, 0x1e, 0x06, 0x00, 0x41, 0x30, 0x42, 0x00, 0x43};
    tsvc_buf buf = TSVC_BUF_INIT;
    assert_text(tsvc_name_to_text(g_ctx, &buf, bmp, sizeof(bmp), NULL), &buf,
                "CN=A\xe3\x81\x82" "C");
    const uint8_t intv[] = {0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03,
                            0x55, 0x04, 0x03, 0x02, 0x01, 0x05};
    assert_text(tsvc_name_to_text(g_ctx, &buf, intv, sizeof(intv), NULL), &buf, "CN=#020105");
    /* Invalid UTF-8 in a UTF8String: #hex too. */
    const uint8_t badutf[] = {0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03,
                              0x55, 0x04, 0x03, 0x0c, 0x01, 0xff};
    assert_text(tsvc_name_to_text(g_ctx, &buf, badutf, sizeof(badutf), NULL), &buf,
                "CN=#0C01FF");

    /* Parse errors. */
    const char *bad[] = {"CN", "=x", "XX=1", "CN=a,,O=b", "CN=a\\", "CN=a\\zz", "CN=a;b",
                         "1.2.3.4=#zz", "1.2.3.4=#0403", "DC=\xc3\xa9", "CN=\xff"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tsvc_error *err = NULL;
        assert_int_equal(tsvc_name_from_text(g_ctx, &der, bad[i], &err), TSVC_ERR_NAME);
        assert_non_null(err);
        tsvc_error_free(err);
        assert_null(der.data);
    }
    assert_int_equal(tsvc_name_to_text(g_ctx, &buf, (const uint8_t *)"\x30\x02\x31\x00", 4, NULL),
                     TSVC_ERR_NAME);
}

/*
 * Regression (found by tests/fuzz/fuzz_name.c, inputs "E=#1e0402630042"
 * and a DER Name with a T61String emailAddress): emailAddress and DC read
 * back from text as IA5String, so tsvc_name_to_text() printed non-ASCII
 * values of theirs as text that tsvc_name_from_text() then refused. Such
 * values are now printed as '#' and the hex of the element, which reads
 * back to the same DER.
 */
static void name_text_ia5_non_ascii(void **state)
{
    (void)state;
    tsvc_buf der = TSVC_BUF_INIT, text = TSVC_BUF_INIT, again = TSVC_BUF_INIT;
    /* emailAddress as BMPString U+0263 'B', written as #hex text. */
    assert_int_equal(tsvc_name_from_text(g_ctx, &der, "E=#1e0402630042", NULL), TSVC_OK);
    assert_text(tsvc_name_to_text(g_ctx, &text, der.data, der.len, NULL), &text,
                "emailAddress=#1E0402630042");
    assert_int_equal(tsvc_name_from_text(g_ctx, &again, "emailAddress=#1E0402630042", NULL),
                     TSVC_OK);
    assert_int_equal(again.len, der.len);
    assert_memory_equal(again.data, der.data, der.len);
    tsvc_buf_dispose(&der);
    tsvc_buf_dispose(&again);

    /* DC as UTF8String "\u00e9" (non-ASCII): #hex; ASCII stays plain. */
    const uint8_t dc[] = {0x30, 0x14, 0x31, 0x12, 0x30, 0x10, 0x06, 0x0a, 0x09, 0x92, 0x26,
                          0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19, 0x0c, 0x02, 0xc3, 0xa9};
    assert_int_equal(tsvc_name_to_text(g_ctx, &text, dc, sizeof(dc), NULL), TSVC_OK);
    assert_string_equal((const char *)text.data, "DC=#0C02C3A9");
    assert_int_equal(tsvc_name_from_text(g_ctx, &again, (const char *)text.data, NULL), TSVC_OK);
    assert_int_equal(again.len, sizeof(dc));
    assert_memory_equal(again.data, dc, sizeof(dc));
    tsvc_buf_dispose(&text);
    tsvc_buf_dispose(&again);
    name_text_roundtrip("DC=example,DC=com", NULL);

    /* T61String emailAddress with a byte >= 0x80 (ISO 8859-1). */
    const uint8_t t61[] = {0x30, 0x13, 0x31, 0x11, 0x30, 0x0f, 0x06, 0x09, 0x2a, 0x86, 0x48,
                           0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01, 0x14, 0x02, 0x61, 0xbf};
    assert_int_equal(tsvc_name_to_text(g_ctx, &text, t61, sizeof(t61), NULL), TSVC_OK);
    assert_string_equal((const char *)text.data, "emailAddress=#140261BF");
    assert_int_equal(tsvc_name_from_text(g_ctx, &again, (const char *)text.data, NULL), TSVC_OK);
    assert_int_equal(again.len, sizeof(t61));
    assert_memory_equal(again.data, t61, sizeof(t61));
    tsvc_buf_dispose(&text);
    tsvc_buf_dispose(&again);
}

static void name_dn_subtree(void **state)
{
    (void)state;
    tsvc_buf base = TSVC_BUF_INIT, in = TSVC_BUF_INIT, out = TSVC_BUF_INIT, lower = TSVC_BUF_INIT;
    assert_int_equal(tsvc_name_from_text(g_ctx, &base, "O=Example,C=JP", NULL), TSVC_OK);
    assert_int_equal(tsvc_name_from_text(g_ctx, &in, "CN=x,OU=y,O=Example,C=JP", NULL), TSVC_OK);
    assert_int_equal(tsvc_name_from_text(g_ctx, &out, "CN=x,O=Other,C=JP", NULL), TSVC_OK);
    assert_int_equal(tsvc_name_from_text(g_ctx, &lower, "CN=x,o=example,C=jp", NULL), TSVC_OK);
    tsvc__cbs b, i, o, l, empty;
    tsvc__cbs_init(&b, base.data, base.len);
    tsvc__cbs_init(&i, in.data, in.len);
    tsvc__cbs_init(&o, out.data, out.len);
    tsvc__cbs_init(&l, lower.data, lower.len);
    tsvc__cbs_init(&empty, (const uint8_t *)"\x30\x00", 2);
    assert_int_equal(tsvc__x509_nc_dn(&i, &b), TSVC__NC_MATCH);
    assert_int_equal(tsvc__x509_nc_dn(&b, &b), TSVC__NC_MATCH);
    assert_int_equal(tsvc__x509_nc_dn(&o, &b), TSVC__NC_NO_MATCH);
    assert_int_equal(tsvc__x509_nc_dn(&l, &b), TSVC__NC_MATCH);
    assert_int_equal(tsvc__x509_nc_dn(&b, &i), TSVC__NC_NO_MATCH);
    assert_int_equal(tsvc__x509_nc_dn(&i, &empty), TSVC__NC_MATCH);
    assert_true(tsvc__name_is_empty(&empty));
    assert_false(tsvc__name_is_empty(&b));
    tsvc__x509_attr *attrs = NULL;
    size_t n = 0;
    assert_int_equal(tsvc__name_parse(g_ctx, &i, &attrs, &n, NULL), TSVC_OK);
    assert_int_equal(n, 4);
    assert_int_equal(attrs[0].tag, TSVC__TAG_PRINTABLE_STRING); /* C=JP */
    assert_int_equal(attrs[3].rdn, 3);
    tsvc__free(g_ctx, attrs);
    tsvc_buf_dispose(&base);
    tsvc_buf_dispose(&in);
    tsvc_buf_dispose(&out);
    tsvc_buf_dispose(&lower);
}

/* ------------------------------------------------------------------ */
/* RFC 6125 host matching                                              */
/* ------------------------------------------------------------------ */

static bool hm(const char *pattern, const char *host)
{
    return tsvc__x509_host_match((const uint8_t *)pattern, strlen(pattern), host, strlen(host));
}

static void host_match_rfc6125(void **state)
{
    (void)state;
    assert_true(hm("www.example.com", "www.example.com"));
    assert_true(hm("WWW.Example.COM", "www.example.com"));
    assert_true(hm("www.example.com", "www.example.com."));
    assert_false(hm("www.example.com", "example.com"));
    /* Wildcard: whole left-most label only, exactly one label. */
    assert_true(hm("*.example.com", "www.example.com"));
    assert_true(hm("*.example.com", "WWW.EXAMPLE.COM"));
    assert_false(hm("*.example.com", "example.com"));
    assert_false(hm("*.example.com", "a.b.example.com"));
    assert_false(hm("*.example.com", ".example.com"));
    assert_false(hm("f*o.example.com", "foo.example.com"));
    assert_false(hm("*o.example.com", "foo.example.com"));
    assert_false(hm("f*.example.com", "foo.example.com"));
    assert_false(hm("www.*.example.com", "www.a.example.com"));
    assert_false(hm("*.*.example.com", "a.b.example.com"));
    assert_false(hm("*", "localhost"));
    /* Not on a single-label (public-suffix-like) rest. */
    assert_false(hm("*.com", "example.com"));
    assert_false(hm("*.", "example."));
    /* IDNA A-labels compare as ASCII, case-insensitively. */
    assert_true(hm("xn--bcher-kva.example", "XN--BCHER-KVA.example"));
    assert_true(hm("*.xn--bcher-kva.example", "www.xn--bcher-kva.example"));
    assert_false(hm("xn--bcher-kva.example", "bucher.example"));
    /* IP addresses never match DNS names. */
    assert_false(hm("192.0.2.1", "192.0.2.1"));
    assert_false(hm("*.0.2.1", "192.0.2.1"));
    assert_false(hm("*.example.com", "::1"));
    /* Junk */
    assert_false(hm("", ""));
    assert_false(hm("www..example.com", "www..example.com"));
    assert_false(hm("a b.example.com", "a b.example.com"));

    tsvc_cert *c = must_parse("ec-leaf.der");
    assert_true(tsvc_cert_match_host(c, "leaf.example.com"));
    assert_true(tsvc_cert_match_host(c, "LEAF.example.com"));
    assert_true(tsvc_cert_match_host(c, "a.wild.example.com"));
    assert_false(tsvc_cert_match_host(c, "wild.example.com"));
    assert_false(tsvc_cert_match_host(c, "a.b.wild.example.com"));
    assert_true(tsvc_cert_match_host(c, "192.0.2.1"));
    assert_false(tsvc_cert_match_host(c, "192.0.2.2"));
    assert_true(tsvc_cert_match_host(c, "2001:db8::1"));
    assert_true(tsvc_cert_match_host(c, "2001:DB8:0:0:0:0:0:1"));
    assert_false(tsvc_cert_match_host(c, "2001:db8::2"));
    /* The CN is never used; email and URI names are not host names. */
    assert_false(tsvc_cert_match_host(c, "alice@example.com"));
    assert_false(tsvc_cert_match_host(c, "www.example.com"));
    tsvc_cert_free(c);
}

static void ip_text_parsing(void **state)
{
    (void)state;
    uint8_t ip[16];
    size_t n = 0;
    assert_true(tsvc__x509_parse_ip("192.0.2.1", 9, ip, &n));
    assert_int_equal(n, 4);
    assert_bytes(ip, n, "c0000201");
    assert_true(tsvc__x509_parse_ip("::1", 3, ip, &n));
    assert_bytes(ip, n, "00000000000000000000000000000001");
    assert_true(tsvc__x509_parse_ip("2001:db8::", 10, ip, &n));
    assert_bytes(ip, n, "20010db8000000000000000000000000");
    assert_true(tsvc__x509_parse_ip("::", 2, ip, &n));
    assert_true(tsvc__x509_parse_ip("::ffff:192.0.2.1", 16, ip, &n));
    assert_bytes(ip, n, "00000000000000000000ffffc0000201");
    assert_true(tsvc__x509_parse_ip("1:2:3:4:5:6:7:8", 15, ip, &n));
    assert_bytes(ip, n, "00010002000300040005000600070008");
    const char *bad[] = {"1.2.3", "01.2.3.4", "256.1.1.1", "1.2.3.4.", "1:2:3:4:5:6:7:8:9",
                         ":::", "1::2::3", "12345::", ":1::", "1:", "g::1", "", "1.2.3.4:80"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(tsvc__x509_parse_ip(bad[i], strlen(bad[i]), ip, &n));
}

/* ------------------------------------------------------------------ */
/* Name constraints                                                    */
/* ------------------------------------------------------------------ */

static tsvc__nc_result nc(tsvc__nc_result (*fn)(const tsvc__cbs *, const tsvc__cbs *),
                          const char *name, const char *constraint)
{
    tsvc__cbs a, b;
    tsvc__cbs_init(&a, (const uint8_t *)name, strlen(name));
    tsvc__cbs_init(&b, (const uint8_t *)constraint, strlen(constraint));
    return fn(&a, &b);
}

static void nc_dns(void **state)
{
    (void)state;
    assert_int_equal(nc(tsvc__x509_nc_dns, "example.com", "example.com"), TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "www.example.com", "example.com"), TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "a.b.EXAMPLE.com", "example.COM"), TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "wwwexample.com", "example.com"), TSVC__NC_NO_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "example.com", "www.example.com"),
                     TSVC__NC_NO_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "example.com", ".example.com"), TSVC__NC_NO_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "a.example.com", ".example.com"), TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "anything.org", ""), TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "*.example.com", "example.com"), TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_dns, "", "example.com"), TSVC__NC_MALFORMED);
    assert_int_equal(nc(tsvc__x509_nc_dns, "a..example.com", "example.com"),
                     TSVC__NC_MALFORMED);
}

static bool reaches(const char *name, const char *constraint)
{
    tsvc__cbs a, b;
    tsvc__cbs_init(&a, (const uint8_t *)name, strlen(name));
    tsvc__cbs_init(&b, (const uint8_t *)constraint, strlen(constraint));
    return tsvc__x509_dns_wildcard_reaches(&a, &b);
}

/* A wildcard dNSName against a constraint one label below it
 * (CVE-2025-61727): "*.example.com" stands for bar.example.com. */
static void nc_dns_wildcard_reach(void **state)
{
    (void)state;
    assert_true(reaches("*.example.com", "bar.example.com"));
    assert_true(reaches("*.example.com", "BAR.Example.COM."));
    assert_true(reaches("*.example.com.", "bar.example.com"));
    assert_false(reaches("*.example.com", "a.bar.example.com")); /* two labels */
    assert_false(reaches("*.example.com", "example.com"));       /* the literal match's */
    assert_false(reaches("*.example.com", ".example.com"));
    assert_false(reaches("*.example.com", ".bar.example.com"));
    assert_false(reaches("*.example.com", "bar.example.org"));
    assert_false(reaches("*.example.com", "barexample.com"));
    assert_false(reaches("www.example.com", "bar.example.com")); /* not a wildcard */
    assert_false(reaches("*.example.com", ""));
    assert_false(reaches("*.", "a"));
}

static void nc_email(void **state)
{
    (void)state;
    /* A mailbox: local part exact, host case-insensitive. */
    assert_int_equal(nc(tsvc__x509_nc_email, "alice@EXAMPLE.com", "alice@example.com"),
                     TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_email, "Alice@example.com", "alice@example.com"),
                     TSVC__NC_NO_MATCH);
    /* A host: every mailbox at exactly that host. */
    assert_int_equal(nc(tsvc__x509_nc_email, "bob@example.com", "example.com"), TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_email, "bob@sub.example.com", "example.com"),
                     TSVC__NC_NO_MATCH);
    /* A domain: any host under it. */
    assert_int_equal(nc(tsvc__x509_nc_email, "bob@sub.example.com", ".example.com"),
                     TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_email, "bob@example.com", ".example.com"),
                     TSVC__NC_NO_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_email, "bob@badexample.com", ".example.com"),
                     TSVC__NC_NO_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_email, "nobody", "example.com"), TSVC__NC_MALFORMED);
    assert_int_equal(nc(tsvc__x509_nc_email, "@example.com", "example.com"),
                     TSVC__NC_MALFORMED);
    assert_int_equal(nc(tsvc__x509_nc_email, "bob@", "example.com"), TSVC__NC_MALFORMED);
}

static tsvc__nc_result nc_ip(const char *addr, const char *net, const char *mask)
{
    uint8_t a[16], c[32], m[16];
    size_t al = 0, cl = 0, ml = 0;
    assert_true(tsvc__x509_parse_ip(addr, strlen(addr), a, &al));
    assert_true(tsvc__x509_parse_ip(net, strlen(net), c, &cl));
    assert_true(tsvc__x509_parse_ip(mask, strlen(mask), m, &ml));
    memcpy(c + cl, m, ml);
    tsvc__cbs x, y;
    tsvc__cbs_init(&x, a, al);
    tsvc__cbs_init(&y, c, cl + ml);
    return tsvc__x509_nc_ip(&x, &y);
}

static void nc_ip_masks(void **state)
{
    (void)state;
    assert_int_equal(nc_ip("192.0.2.77", "192.0.2.0", "255.255.255.0"), TSVC__NC_MATCH);
    assert_int_equal(nc_ip("192.0.3.1", "192.0.2.0", "255.255.255.0"), TSVC__NC_NO_MATCH);
    assert_int_equal(nc_ip("10.1.2.3", "10.0.0.0", "255.0.0.0"), TSVC__NC_MATCH);
    assert_int_equal(nc_ip("192.0.2.1", "192.0.2.1", "255.255.255.255"), TSVC__NC_MATCH);
    assert_int_equal(nc_ip("8.8.8.8", "0.0.0.0", "0.0.0.0"), TSVC__NC_MATCH);
    assert_int_equal(nc_ip("2001:db8:1::1", "2001:db8::", "ffff:ffff::"), TSVC__NC_MATCH);
    assert_int_equal(nc_ip("2001:db9::1", "2001:db8::", "ffff:ffff::"), TSVC__NC_NO_MATCH);
    /* Address families never match each other. */
    assert_int_equal(nc_ip("::ffff:192.0.2.1", "192.0.2.0", "255.255.255.0"),
                     TSVC__NC_NO_MATCH);
    assert_int_equal(nc_ip("192.0.2.1", "::", "::"), TSVC__NC_NO_MATCH);
    tsvc__cbs x, y;
    tsvc__cbs_init(&x, (const uint8_t *)"\xc0\x00\x02", 3);
    tsvc__cbs_init(&y, (const uint8_t *)"\xc0\x00\x02\x00\xff\xff\xff\x00", 8);
    assert_int_equal(tsvc__x509_nc_ip(&x, &y), TSVC__NC_MALFORMED);
}

static void nc_uri(void **state)
{
    (void)state;
    assert_int_equal(nc(tsvc__x509_nc_uri, "https://www.example.com/x", ".example.com"),
                     TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_uri, "https://example.com/x", ".example.com"),
                     TSVC__NC_NO_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_uri, "https://user@EXAMPLE.com:8443/p?q", "example.com"),
                     TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_uri, "https://www.example.com", "example.com"),
                     TSVC__NC_NO_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_uri, "ldap://ldap.example.com/cn=x", "ldap.example.com"),
                     TSVC__NC_MATCH);
    assert_int_equal(nc(tsvc__x509_nc_uri, "urn:isbn:123", "example.com"), TSVC__NC_MALFORMED);
    assert_int_equal(nc(tsvc__x509_nc_uri, "https://[2001:db8::1]/", "example.com"),
                     TSVC__NC_MALFORMED);
    assert_int_equal(nc(tsvc__x509_nc_uri, "https://192.0.2.1/", "example.com"),
                     TSVC__NC_MALFORMED);
    assert_int_equal(nc(tsvc__x509_nc_uri, "https:///path", "example.com"), TSVC__NC_MALFORMED);
}

static void nc_dispatch(void **state)
{
    (void)state;
    tsvc__x509_gname dns = {TSVC_GN_DNS, {0}, {0}}, email = {TSVC_GN_EMAIL, {0}, {0}};
    tsvc__cbs_init(&dns.value, (const uint8_t *)"www.example.com", 15);
    tsvc__cbs_init(&email.value, (const uint8_t *)"example.com", 11);
    tsvc__x509_gname dns_c = {TSVC_GN_DNS, {0}, {0}};
    tsvc__cbs_init(&dns_c.value, (const uint8_t *)"example.com", 11);
    assert_int_equal(tsvc__x509_nc_match(&dns, &dns_c), TSVC__NC_MATCH);
    /* A constraint of another type does not apply. */
    assert_int_equal(tsvc__x509_nc_match(&dns, &email), TSVC__NC_NO_MATCH);
    tsvc__x509_gname rid = {TSVC_GN_REGISTERED_ID, {0}, {0}};
    tsvc__cbs_init(&rid.value, (const uint8_t *)"\x2a\x03", 2);
    assert_int_equal(tsvc__x509_nc_match(&rid, &rid), TSVC__NC_MATCH);

    /* General names parsed from DER, as in constraints. */
    const uint8_t der[] = {0x82, 0x0b, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
                           0x87, 0x08, 192, 0, 2, 0, 255, 255, 255, 0};
    tsvc__cbs c;
    tsvc__cbs_init(&c, der, sizeof(der));
    tsvc__x509_gname *names = NULL;
    size_t n = 0;
    assert_int_equal(tsvc__x509_parse_general_names(g_ctx, &c, true, &names, &n, NULL), TSVC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(names[1].type, TSVC_GN_IP);
    assert_int_equal(tsvc__x509_nc_match(&dns, &names[0]), TSVC__NC_MATCH);
    tsvc__free(g_ctx, names);
    /* The same IP as a SAN is the wrong length; a non-contiguous mask fails. */
    assert_int_equal(tsvc__x509_parse_general_names(g_ctx, &c, false, &names, &n, NULL),
                     TSVC_ERR_NAME);
    const uint8_t holey[] = {0x87, 0x08, 192, 0, 2, 0, 255, 0, 255, 0};
    tsvc__cbs_init(&c, holey, sizeof(holey));
    assert_int_equal(tsvc__x509_parse_general_names(g_ctx, &c, true, &names, &n, NULL),
                     TSVC_ERR_NAME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ec_leaf_fields),
        cmocka_unit_test(ec_leaf_pem_equals_der),
        cmocka_unit_test(ec_intermediate_fields),
        cmocka_unit_test(root_is_self_issued),
        cmocka_unit_test(ecdsa_chain_verifies),
        cmocka_unit_test(rsa_chain_verifies),
        cmocka_unit_test(rsa_pss_signature),
        cmocka_unit_test(ed25519_chain_verifies),
        cmocka_unit_test(v1_certificate),
        cmocka_unit_test(cert_list_from_bundle),
        cmocka_unit_test(special_names_text),
        cmocka_unit_test(many_sans),
        cmocka_unit_test(refcount_and_nulls),
        cmocka_unit_test(refcount_is_thread_safe),
        cmocka_unit_test(bad_v1_extensions),
        cmocka_unit_test(bad_v2_extensions),
        cmocka_unit_test(bad_version5),
        cmocka_unit_test(bad_version1_explicit),
        cmocka_unit_test(serial_negative_flagged),
        cmocka_unit_test(serial_zero_flagged),
        cmocka_unit_test(serial_21_octets_flagged),
        cmocka_unit_test(bad_sigalg_mismatch),
        cmocka_unit_test(sigalg_unknown_flagged),
        cmocka_unit_test(bad_duplicate_extension),
        cmocka_unit_test(bad_extensions_empty),
        cmocka_unit_test(bad_duplicate_policy),
        cmocka_unit_test(bad_ku_no_bits),
        cmocka_unit_test(bad_bc_ca_false_encoded),
        cmocka_unit_test(bad_ext_critical_false),
        cmocka_unit_test(bad_nc_ip_mask),
        cmocka_unit_test(many_extensions),
        cmocka_unit_test(bad_san_dns_nul),
        cmocka_unit_test(name_nul_escaped),
        cmocka_unit_test(unknown_critical_extension_flagged),
        cmocka_unit_test(bad_explicit_curve),
        cmocka_unit_test(bad_rsa_16400),
        cmocka_unit_test(bad_trailing_data),
        cmocka_unit_test(bad_truncated),
        cmocka_unit_test(limit_input_size),
        cmocka_unit_test(limit_der_depth),
        cmocka_unit_test(garbage_never_crashes),
        cmocka_unit_test(name_compare_rfc5280),
        cmocka_unit_test(name_compare_unicode),
        cmocka_unit_test(name_text_rfc4514),
        cmocka_unit_test(name_text_ia5_non_ascii),
        cmocka_unit_test(name_dn_subtree),
        cmocka_unit_test(host_match_rfc6125),
        cmocka_unit_test(ip_text_parsing),
        cmocka_unit_test(nc_dns),
        cmocka_unit_test(nc_dns_wildcard_reach),
        cmocka_unit_test(nc_email),
        cmocka_unit_test(nc_ip_masks),
        cmocka_unit_test(nc_uri),
        cmocka_unit_test(nc_dispatch),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
