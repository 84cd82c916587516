/*
 * SPDX-License-Identifier: Apache-2.0
 * Fuzz target for certificate parsing, with a DER round-trip oracle.
 *
 * Invariants (abort() on violation):
 *  - tsvc__cert_parse_der() never crashes; a failure comes with error
 *    detail of the same status and leaves the output NULL;
 *  - whatever parses re-encodes byte-identically: tsvc_cert_der() equals
 *    the input, tsvc_cert_tbs() is the TBSCertificate inside it, every
 *    field view lies within the certificate's bytes, and a Certificate
 *    rebuilt with the DER builder from the parsed fields alone (version,
 *    serial, algorithm, names, validity as seconds, key, extensions as
 *    OID / critical / value, signature) equals the input: the parser
 *    keeps everything and accepts only the one DER encoding;
 *  - re-parsing tsvc_cert_der() gives the same fields (version, serial,
 *    names, validity, key, algorithms, signature, flags, every extension
 *    and the decoded ones: basic constraints, key usage, EKUs, SANs,
 *    policies, key identifiers, CRL/OCSP/caIssuers URIs, qcStatements);
 *  - the public entry point tsvc_cert_parse() agrees on DER input, and
 *    the same bytes wrapped in PEM give the same certificate;
 *  - every accessor works on what parsed (names print, and the printed
 *    subject parses back; the self-signature check runs without crashing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "der/der.h"
#include "fuzz.h"
#include "fuzz_util.h"
#include "trustsvc/x509.h"
#include "x509/x509.h"

static bool same_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

/* A view is either empty or lies inside the certificate's DER. */
static void inside(const tsvc_cert *c, const uint8_t *p, size_t len)
{
    if (len == 0)
        return;
    fuzz_check(p != NULL && p >= c->der && len <= c->der_len &&
               (size_t)(p - c->der) <= c->der_len - len);
}

#define SAME_VIEW(fn)                                                                              \
    do {                                                                                           \
        size_t la = 0, lb = 0;                                                                     \
        const uint8_t *pa = fn(a, &la), *pb = fn(b, &lb);                                          \
        fuzz_check((pa == NULL) == (pb == NULL));                                                  \
        fuzz_check(same_bytes(pa, la, pb, lb));                                                    \
        inside(a, pa, la);                                                                         \
    } while (0)

static bool same_str(const char *x, const char *y)
{
    return (x == NULL && y == NULL) || (x != NULL && y != NULL && strcmp(x, y) == 0);
}

/* Every field of a equals that of b (b is a re-parse of a's DER). */
static void same_fields(const tsvc_cert *a, const tsvc_cert *b)
{
    SAME_VIEW(tsvc_cert_der);
    SAME_VIEW(tsvc_cert_tbs);
    SAME_VIEW(tsvc_cert_serial);
    SAME_VIEW(tsvc_cert_issuer_der);
    SAME_VIEW(tsvc_cert_subject_der);
    SAME_VIEW(tsvc_cert_spki);
    SAME_VIEW(tsvc_cert_sigalg_der);
    SAME_VIEW(tsvc_cert_signature);
    SAME_VIEW(tsvc_cert_subject_key_id);
    SAME_VIEW(tsvc_cert_authority_key_id);
    SAME_VIEW(tsvc_cert_qc_statements);
    fuzz_check(tsvc_cert_version(a) == tsvc_cert_version(b));
    fuzz_check(tsvc_cert_not_before(a) == tsvc_cert_not_before(b));
    fuzz_check(tsvc_cert_not_after(a) == tsvc_cert_not_after(b));
    fuzz_check(tsvc_cert_sig_scheme(a) == tsvc_cert_sig_scheme(b));
    fuzz_check(tsvc_cert_sig_hash(a) == tsvc_cert_sig_hash(b));
    fuzz_check(tsvc_cert_flags(a) == tsvc_cert_flags(b));
    fuzz_check(tsvc_cert_is_self_issued(a) == tsvc_cert_is_self_issued(b));
    fuzz_check((a->pubkey == NULL) == (b->pubkey == NULL));
    fuzz_check(a->pubkey_status == b->pubkey_status);
    if (a->pubkey != NULL)
        fuzz_check(tsvc__pubkey_equal(a->pubkey, b->pubkey));

    int ca_a = -1, ca_b = -1;
    int64_t pl_a = -2, pl_b = -2;
    fuzz_check(tsvc_cert_basic_constraints(a, &ca_a, &pl_a) ==
               tsvc_cert_basic_constraints(b, &ca_b, &pl_b));
    fuzz_check(ca_a == ca_b && pl_a == pl_b);
    uint32_t ku_a = 0, ku_b = 0;
    fuzz_check(tsvc_cert_key_usage(a, &ku_a) == tsvc_cert_key_usage(b, &ku_b));
    fuzz_check(ku_a == ku_b);

    /* Extensions, in encoding order. */
    const size_t ne = tsvc_cert_num_extensions(a);
    fuzz_check(ne == tsvc_cert_num_extensions(b));
    for (size_t i = 0; i < ne; i++) {
        char oa[TSVC__OID_TEXT_MAX], ob[TSVC__OID_TEXT_MAX];
        int cra = -1, crb = -1;
        const uint8_t *va = NULL, *vb = NULL;
        size_t vla = 0, vlb = 0;
        fuzz_check(tsvc_cert_extension_at(a, i, oa, sizeof(oa), &cra, &va, &vla) == TSVC_OK);
        fuzz_check(tsvc_cert_extension_at(b, i, ob, sizeof(ob), &crb, &vb, &vlb) == TSVC_OK);
        fuzz_check(strcmp(oa, ob) == 0 && cra == crb && same_bytes(va, vla, vb, vlb));
        inside(a, va, vla);
        /* Looked up by OID, the first extension with it is found. */
        int crc = -1;
        const uint8_t *vc = NULL;
        size_t vlc = 0;
        fuzz_check(tsvc_cert_extension(a, &crc, &vc, &vlc, oa) == TSVC_OK);
        inside(a, vc, vlc);
    }
    fuzz_check(tsvc_cert_extension_at(a, ne, NULL, 0, NULL, NULL, NULL) != TSVC_OK);

    const size_t nk = tsvc_cert_num_ekus(a);
    fuzz_check(nk == tsvc_cert_num_ekus(b));
    for (size_t i = 0; i < nk; i++) {
        char oa[TSVC__OID_TEXT_MAX], ob[TSVC__OID_TEXT_MAX];
        fuzz_check(tsvc_cert_eku(a, i, oa, sizeof(oa)) == TSVC_OK);
        fuzz_check(tsvc_cert_eku(b, i, ob, sizeof(ob)) == TSVC_OK);
        fuzz_check(strcmp(oa, ob) == 0);
        fuzz_check(tsvc_cert_has_eku(a, oa) == 1);
    }

    const size_t ns = tsvc_cert_num_sans(a);
    fuzz_check(ns == tsvc_cert_num_sans(b));
    for (size_t i = 0; i < ns; i++) {
        tsvc_general_name_type ta, tb;
        const uint8_t *va = NULL, *vb = NULL;
        size_t vla = 0, vlb = 0;
        fuzz_check(tsvc_cert_san(a, i, &ta, &va, &vla) == TSVC_OK);
        fuzz_check(tsvc_cert_san(b, i, &tb, &vb, &vlb) == TSVC_OK);
        fuzz_check(ta == tb && same_bytes(va, vla, vb, vlb));
        inside(a, va, vla);
    }

    const size_t np = tsvc_cert_num_policies(a);
    fuzz_check(np == tsvc_cert_num_policies(b));
    for (size_t i = 0; i < np; i++) {
        char oa[TSVC__OID_TEXT_MAX], ob[TSVC__OID_TEXT_MAX];
        const uint8_t *qa = NULL, *qb = NULL;
        size_t qla = 0, qlb = 0;
        fuzz_check(tsvc_cert_policy(a, i, oa, sizeof(oa), &qa, &qla) == TSVC_OK);
        fuzz_check(tsvc_cert_policy(b, i, ob, sizeof(ob), &qb, &qlb) == TSVC_OK);
        fuzz_check(strcmp(oa, ob) == 0 && same_bytes(qa, qla, qb, qlb));
        inside(a, qa, qla);
    }

    fuzz_check(tsvc_cert_num_crl_uris(a) == tsvc_cert_num_crl_uris(b));
    for (size_t i = 0; i < tsvc_cert_num_crl_uris(a); i++)
        fuzz_check(same_str(tsvc_cert_crl_uri(a, i), tsvc_cert_crl_uri(b, i)));
    fuzz_check(tsvc_cert_num_ocsp_uris(a) == tsvc_cert_num_ocsp_uris(b));
    for (size_t i = 0; i < tsvc_cert_num_ocsp_uris(a); i++)
        fuzz_check(same_str(tsvc_cert_ocsp_uri(a, i), tsvc_cert_ocsp_uri(b, i)));
    fuzz_check(tsvc_cert_num_ca_issuers_uris(a) == tsvc_cert_num_ca_issuers_uris(b));
    for (size_t i = 0; i < tsvc_cert_num_ca_issuers_uris(a); i++)
        fuzz_check(same_str(tsvc_cert_ca_issuers_uri(a, i), tsvc_cert_ca_issuers_uri(b, i)));

    /* Decoded constraint extensions (internal view). */
    fuzz_check(a->nc.present == b->nc.present && a->nc.num_permitted == b->nc.num_permitted &&
               a->nc.num_excluded == b->nc.num_excluded);
    fuzz_check(a->mappings.num == b->mappings.num);
    fuzz_check(a->pc.require_explicit_policy == b->pc.require_explicit_policy &&
               a->pc.inhibit_policy_mapping == b->pc.inhibit_policy_mapping);
    fuzz_check(a->inhibit_any.present == b->inhibit_any.present &&
               a->inhibit_any.skip_certs == b->inhibit_any.skip_certs);
    fuzz_check(a->crldp.num == b->crldp.num && a->ian.num == b->ian.num);
}

/* Validity time as the builder writes it; as GeneralizedTime when @p gen. */
static void add_time(tsvc__cbb *cbb, int64_t secs, bool gen)
{
    if (gen)
        tsvc__cbb_add_generalized_time(cbb, secs, 0);
    else
        tsvc__cbb_add_time(cbb, secs);
}

/*
 * Rebuilds the whole Certificate from the parsed fields. @p variant bit 0
 * and bit 1 write notBefore / notAfter as GeneralizedTime (a certificate
 * flagged TSVC_CERT_FLAG_GENERALIZED_TIME_BEFORE_2050 used that form for
 * one of them or both).
 */
static bool rebuild(const tsvc_cert *c, unsigned variant, tsvc_buf *out)
{
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, NULL);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE); /* TBSCertificate */
    if (c->version != 1) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(0));
        tsvc__cbb_add_u64(&cbb, c->version - 1u);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_add_integer_raw(&cbb, 0, c->serial.data, c->serial.len);
    tsvc__cbb_add_bytes(&cbb, c->sigalg.data, c->sigalg.len);
    tsvc__cbb_add_bytes(&cbb, c->issuer.data, c->issuer.len);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    add_time(&cbb, c->not_before, variant & 1u);
    add_time(&cbb, c->not_after, variant & 2u);
    tsvc__cbb_close(&cbb);
    tsvc__cbb_add_bytes(&cbb, c->subject.data, c->subject.len);
    tsvc__cbb_add_bytes(&cbb, c->spki.data, c->spki.len);
    if (c->num_exts > 0) {
        tsvc__cbb_open(&cbb, TSVC__TAG_CONTEXT_C(3));
        tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
        for (size_t i = 0; i < c->num_exts; i++) {
            const tsvc__x509_ext *e = &c->exts[i];
            tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
            tsvc__cbb_add_oid(&cbb, e->oid.data, e->oid.len);
            if (e->critical)
                tsvc__cbb_add_bool(&cbb, true);
            tsvc__cbb_add_octet_string(&cbb, e->value.data, e->value.len);
            tsvc__cbb_close(&cbb);
        }
        tsvc__cbb_close(&cbb);
        tsvc__cbb_close(&cbb);
    }
    tsvc__cbb_close(&cbb);
    tsvc__cbb_add_bytes(&cbb, c->sigalg.data, c->sigalg.len);
    tsvc__cbb_add_bit_string(&cbb, c->sig_value.data, c->sig_value.len, 0);
    tsvc__cbb_close(&cbb);
    return tsvc__cbb_finish(&cbb, out) == TSVC_OK;
}

static void rebuild_matches(const tsvc_cert *c, const uint8_t *data, size_t size)
{
    /* Unique identifiers keep no unused-bit count to rebuild them from. */
    if (c->has_issuer_uid || c->has_subject_uid)
        return;
    const bool gen = (c->flags & TSVC_CERT_FLAG_GENERALIZED_TIME_BEFORE_2050) != 0;
    bool match = false;
    for (unsigned variant = 0; variant < (gen ? 4u : 1u) && !match; variant++) {
        tsvc_buf out = TSVC_BUF_INIT;
        if (rebuild(c, variant, &out))
            match = out.len == size && memcmp(out.data, data, size) == 0;
        tsvc_buf_dispose(&out);
    }
    fuzz_check(match);
}

/* Accessors that compute something: they must not crash. */
static void exercise(const tsvc_cert *c)
{
    tsvc_buf t = TSVC_BUF_INIT, back = TSVC_BUF_INIT;
    if (tsvc_cert_subject_text(c, &t, NULL) == TSVC_OK) {
        fuzz_check(t.data != NULL && t.data[t.len] == '\0');
        /* The printed subject parses back into a Name. */
        fuzz_check(tsvc_name_from_text(fuzz_ctx(), &back, (const char *)t.data, NULL) ==
                   TSVC_OK);
    }
    tsvc_buf_dispose(&t);
    tsvc_buf_dispose(&back);
    if (tsvc_cert_issuer_text(c, &t, NULL) == TSVC_OK)
        fuzz_check(t.data != NULL && t.data[t.len] == '\0');
    tsvc_buf_dispose(&t);

    if (tsvc_cert_fingerprint(c, &t, TSVC_HASH_SHA256, NULL) == TSVC_OK)
        fuzz_check(t.len == 32);
    tsvc_buf_dispose(&t);

    tsvc_pubkey *pub = NULL;
    if (tsvc_cert_pubkey(c, &pub, NULL) == TSVC_OK) {
        fuzz_check(pub != NULL);
        /* Self-signature: runs the signature check on every parsed cert. */
        (void)tsvc__cert_verify_signed_by(fuzz_ctx(), c, pub, NULL);
        tsvc_pubkey_free(pub);
    }
    const int m1 = tsvc_cert_match_host(c, "www.example.com");
    const int m2 = tsvc_cert_match_host(c, "192.0.2.1");
    fuzz_check(m1 == 0 || m1 == 1);
    fuzz_check(m2 == 0 || m2 == 1);
    (void)tsvc_cert_has_eku(c, "1.3.6.1.5.5.7.3.8");
    (void)tsvc__cert_eku_allows(c, (const uint8_t *)TSVC__OID_KP_TIME_STAMPING,
                                TSVC__OID_LEN(TSVC__OID_KP_TIME_STAMPING));
    /* Name constraints of the certificate applied to its own names. */
    for (size_t i = 0; i < c->san.num; i++) {
        for (size_t j = 0; j < c->nc.num_permitted; j++)
            (void)tsvc__x509_nc_match(&c->san.names[i], &c->nc.permitted[j]);
        for (size_t j = 0; j < c->nc.num_excluded; j++)
            (void)tsvc__x509_nc_match(&c->san.names[i], &c->nc.excluded[j]);
    }
    for (size_t j = 0; j < c->nc.num_permitted; j++)
        (void)tsvc__name_in_subtree(&c->subject, &c->nc.permitted[j].value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsvc_cert *cert = NULL, *again = NULL, *pub = NULL, *from_pem = NULL;
    tsvc_error *err = NULL;
    tsvc_buf pem = TSVC_BUF_INIT;

    const tsvc_status st = tsvc__cert_parse_der(fuzz_ctx(), &cert, data, size, &err);
    if (st != TSVC_OK) {
        fuzz_check(err != NULL && tsvc_error_code(err) == st);
        fuzz_check(cert == NULL);
        tsvc_error_free(err);
        /* The public entry point (DER or PEM) must not crash either. */
        if (tsvc_cert_parse(fuzz_ctx(), &pub, data, size, NULL) == TSVC_OK)
            exercise(pub);
        tsvc_cert_free(pub);
        return 0;
    }
    fuzz_check(err == NULL && cert != NULL);

    /* Round trip: the certificate's bytes are the input, exactly. */
    size_t der_len = 0, tbs_len = 0;
    const uint8_t *der = tsvc_cert_der(cert, &der_len);
    fuzz_check(same_bytes(der, der_len, data, size));
    const uint8_t *tbs = tsvc_cert_tbs(cert, &tbs_len);
    inside(cert, tbs, tbs_len);
    rebuild_matches(cert, data, size);

    /* Re-parsing gives the same fields. */
    fuzz_check(tsvc__cert_parse_der(fuzz_ctx(), &again, der, der_len, NULL) == TSVC_OK);
    same_fields(cert, again);
    same_fields(again, cert);

    /* The public entry point agrees, and so does the PEM form. */
    if (!tsvc__pem_looks_like(data, size)) {
        fuzz_check(tsvc_cert_parse(fuzz_ctx(), &pub, data, size, NULL) == TSVC_OK);
        same_fields(cert, pub);
    }
    fuzz_check(tsvc__pem_encode(NULL, "CERTIFICATE", der, der_len, &pem) == TSVC_OK);
    fuzz_check(tsvc_cert_parse(fuzz_ctx(), &from_pem, pem.data, pem.len, NULL) == TSVC_OK);
    same_fields(cert, from_pem);

    /* References. */
    tsvc_cert *ref = tsvc_cert_ref(cert);
    fuzz_check(ref == cert);
    tsvc_cert_free(ref);

    exercise(cert);

    tsvc_buf_dispose(&pem);
    tsvc_cert_free(cert);
    tsvc_cert_free(again);
    tsvc_cert_free(pub);
    tsvc_cert_free(from_pem);
    return 0;
}
