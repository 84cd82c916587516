/*
 * SPDX-License-Identifier: Apache-2.0
 * E-seal profile: organisation attributes, ETSI organizationIdentifier and
 * the Japanese corporate number check digit, QC statements, the seal
 * certificate check, and the sealer (a signer under that profile).
 */
#include <stdio.h>
#include <string.h>

#include "ades/ades.h"

#define OID(lit) (const uint8_t *)(lit), TSVC__CMS_OID_LEN(lit)

#define OID_AT_ORG_NAME "\x55\x04\x0a"       /* 2.5.4.10 */
#define OID_AT_ORG_ID "\x55\x04\x61"         /* 2.5.4.97 */
#define OID_AT_GIVEN_NAME "\x55\x04\x2a"     /* 2.5.4.42 */
#define OID_AT_SURNAME "\x55\x04\x04"        /* 2.5.4.4 */
#define OID_AT_PSEUDONYM "\x55\x04\x41"      /* 2.5.4.65 */
#define OID_QC_COMPLIANCE "\x04\x00\x8e\x46\x01\x01"   /* 0.4.0.1862.1.1 */
#define OID_QC_SSCD "\x04\x00\x8e\x46\x01\x04"         /* 0.4.0.1862.1.4 */
#define OID_QC_TYPE "\x04\x00\x8e\x46\x01\x06"         /* 0.4.0.1862.1.6 */
#define OID_QC_TYPE_ESIGN "\x04\x00\x8e\x46\x01\x06\x01" /* .1 */
#define OID_QC_TYPE_ESEAL "\x04\x00\x8e\x46\x01\x06\x02" /* .2 */
#define OID_QC_TYPE_WEB "\x04\x00\x8e\x46\x01\x06\x03"   /* .3 */
#define OID_QCS_SYNTAX_V2 "\x2b\x06\x01\x05\x05\x07\x0b\x02" /* 1.3.6.1.5.5.7.11.2 */
#define OID_SEM_NATURAL "\x04\x00\x8b\xec\x49\x01\x01" /* 0.4.0.194121.1.1 */
#define OID_SEM_LEGAL "\x04\x00\x8b\xec\x49\x01\x02"   /* 0.4.0.194121.1.2 */

int tsvc_corporate_number_valid(const char *number, size_t len)
{
    unsigned sum = 0;
    if (number == NULL || len != 13)
        return 0;
    for (size_t i = 0; i < 13; i++)
        if (number[i] < '0' || number[i] > '9')
            return 0;
    /* n = 1 is the rightmost base digit (index 12); Q(n) = 1 odd, 2 even. */
    for (unsigned n = 1; n <= 12; n++) {
        unsigned p = (unsigned)(number[13 - n] - '0');
        sum += p * ((n % 2 == 1) ? 1u : 2u);
    }
    unsigned check = 9u - (sum % 9u);
    return (unsigned)(number[0] - '0') == check ? 1 : 0;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

tsvc_status tsvc_org_identifier_check(const char *id, size_t len, tsvc_error **err)
{
    if (id == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "identifier is required");
    /* EN 319 412-1 5.1.4: 3 character type + 2 character ISO 3166 country + '-' + id,
     * or a national scheme "xx:" + country + '-' + id. */
    if (len < 7)
        return tsvc__err(err, TSVC_ERR_ORG_IDENTIFIER, "seal.org-id", -1,
                         "organizationIdentifier too short");
    bool national = id[2] == ':' && is_upper(id[0]) && is_upper(id[1]);
    if (!national && !(is_upper(id[0]) && is_upper(id[1]) && is_upper(id[2])))
        return tsvc__err(err, TSVC_ERR_ORG_IDENTIFIER, "seal.org-id", 0,
                         "organizationIdentifier does not start with a type (VAT, NTR, PSD, LEI)");
    if (!is_upper(id[3]) || !is_upper(id[4]) || id[5] != '-')
        return tsvc__err(err, TSVC_ERR_ORG_IDENTIFIER, "seal.org-id", 3,
                         "organizationIdentifier lacks country code and '-'");
    for (size_t i = 6; i < len; i++)
        if ((unsigned char)id[i] < 0x21 || (unsigned char)id[i] > 0x7e)
            return tsvc__err(err, TSVC_ERR_ORG_IDENTIFIER, "seal.org-id", (int64_t)i,
                             "organizationIdentifier has a character outside printable ASCII");
    if (memcmp(id, "NTRJP-", 6) == 0) {
        if (len != 19)
            return tsvc__err(err, TSVC_ERR_ORG_IDENTIFIER, "seal.corporate-number", 6,
                             "NTRJP identifier is not a 13-digit corporate number");
        if (!tsvc_corporate_number_valid(id + 6, 13))
            return tsvc__err(err, TSVC_ERR_ORG_IDENTIFIER, "seal.corporate-number", 6,
                             "corporate number %.13s: not 13 digits or wrong check digit",
                             id + 6);
    }
    return TSVC_OK;
}

static void copy_text(const tsvc__x509_attr *a, char *out, size_t size)
{
    size_t n = a->value.len < size - 1 ? a->value.len : size - 1;
    memcpy(out, a->value.data, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (out[i] == '\0')
            out[i] = '?';
}

void tsvc__ades_org_text(const tsvc_cert *cert, char *name, size_t name_size, char *id,
                         size_t id_size)
{
    tsvc__x509_attr *attrs = NULL;
    size_t num = 0;
    name[0] = '\0';
    id[0] = '\0';
    if (tsvc__name_parse(cert->ctx, &cert->subject, &attrs, &num, NULL) != TSVC_OK)
        return;
    for (size_t i = 0; i < num; i++) {
        if (tsvc__oid_equal(&attrs[i].type, OID(OID_AT_ORG_NAME)) && name[0] == '\0')
            copy_text(&attrs[i], name, name_size);
        else if (tsvc__oid_equal(&attrs[i].type, OID(OID_AT_ORG_ID)) && id[0] == '\0')
            copy_text(&attrs[i], id, id_size);
    }
    tsvc__free(cert->ctx, attrs);
}

tsvc_status tsvc_cert_organization(const tsvc_cert *cert, tsvc_buf *name, tsvc_buf *identifier,
                                   tsvc_error **err)
{
    char n[512], i[256];
    tsvc_status st = TSVC_OK;
    if (cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "cert is required");
    tsvc__ades_org_text(cert, n, sizeof(n), i, sizeof(i));
    if (name != NULL && n[0] != '\0')
        st = tsvc__buf_set(cert->ctx, name, n, strlen(n) + 1);
    if (st == TSVC_OK && name != NULL && n[0] != '\0')
        name->len--;
    if (st == TSVC_OK && identifier != NULL && i[0] != '\0') {
        st = tsvc__buf_set(cert->ctx, identifier, i, strlen(i) + 1);
        if (st == TSVC_OK)
            identifier->len--;
    }
    if (st != TSVC_OK) {
        if (name != NULL)
            tsvc_buf_dispose(name);
        return tsvc__err_code(err, st);
    }
    return TSVC_OK;
}

uint32_t tsvc_cert_qc_flags(const tsvc_cert *cert)
{
    uint32_t f = 0;
    tsvc__cbs c, seq;
    if (cert == NULL || !cert->qc_statements.present)
        return 0;
    f |= TSVC_QC_PRESENT;
    c = cert->qc_statements.value;
    if (tsvc__der_get(&c, TSVC__TAG_SEQUENCE, &seq, NULL) != TSVC_OK)
        return f;
    for (unsigned guard = 0; seq.len > 0 && guard < 64; guard++) {
        tsvc__cbs st, id;
        if (tsvc__der_get(&seq, TSVC__TAG_SEQUENCE, &st, NULL) != TSVC_OK ||
            tsvc__der_get_oid(&st, &id, NULL) != TSVC_OK)
            return f;
        if (tsvc__oid_equal(&id, OID(OID_QC_COMPLIANCE))) {
            f |= TSVC_QC_COMPLIANCE;
        } else if (tsvc__oid_equal(&id, OID(OID_QC_SSCD))) {
            f |= TSVC_QC_SSCD;
        } else if (tsvc__oid_equal(&id, OID(OID_QC_TYPE))) {
            tsvc__cbs types, t;
            if (tsvc__der_get(&st, TSVC__TAG_SEQUENCE, &types, NULL) != TSVC_OK)
                continue;
            for (unsigned g2 = 0; types.len > 0 && g2 < 16; g2++) {
                if (tsvc__der_get_oid(&types, &t, NULL) != TSVC_OK)
                    break;
                if (tsvc__oid_equal(&t, OID(OID_QC_TYPE_ESIGN)))
                    f |= TSVC_QC_TYPE_ESIGN;
                else if (tsvc__oid_equal(&t, OID(OID_QC_TYPE_ESEAL)))
                    f |= TSVC_QC_TYPE_ESEAL;
                else if (tsvc__oid_equal(&t, OID(OID_QC_TYPE_WEB)))
                    f |= TSVC_QC_TYPE_WEB;
            }
        } else if (tsvc__oid_equal(&id, OID(OID_QCS_SYNTAX_V2))) {
            tsvc__cbs info, sem;
            if (tsvc__der_get(&st, TSVC__TAG_SEQUENCE, &info, NULL) != TSVC_OK)
                continue;
            if (tsvc__der_peek_tag(&info, TSVC__TAG_OID) &&
                tsvc__der_get_oid(&info, &sem, NULL) == TSVC_OK) {
                if (tsvc__oid_equal(&sem, OID(OID_SEM_NATURAL)))
                    f |= TSVC_QC_NATURAL_PERSON;
                else if (tsvc__oid_equal(&sem, OID(OID_SEM_LEGAL)))
                    f |= TSVC_QC_LEGAL_PERSON;
            }
        }
    }
    return f;
}

tsvc_status tsvc__ades_seal_check(const tsvc_cert *cert, uint32_t key_usage, char *why,
                                  size_t why_size)
{
    tsvc__x509_attr *attrs = NULL;
    size_t num = 0;
    char name[512], id[256];
    tsvc_error *e = NULL;
    tsvc_status st = TSVC_OK;
    if (key_usage == 0)
        key_usage = TSVC_KU_NON_REPUDIATION;
    why[0] = '\0';
    if (tsvc__name_parse(cert->ctx, &cert->subject, &attrs, &num, NULL) != TSVC_OK) {
        snprintf(why, why_size, "the subject name cannot be read");
        return TSVC_ERR_SEAL_CERT;
    }
    for (size_t i = 0; i < num; i++) {
        const tsvc__cbs *t = &attrs[i].type;
        if (tsvc__oid_equal(t, OID(OID_AT_GIVEN_NAME)) || tsvc__oid_equal(t, OID(OID_AT_SURNAME)) ||
            tsvc__oid_equal(t, OID(OID_AT_PSEUDONYM))) {
            snprintf(why, why_size,
                     "a personal certificate (the subject names a natural person: givenName, "
                     "surname or pseudonym) cannot make a seal");
            st = TSVC_ERR_SEAL_CERT;
            goto out;
        }
    }
    tsvc__ades_org_text(cert, name, sizeof(name), id, sizeof(id));
    if (name[0] == '\0' || id[0] == '\0') {
        snprintf(why, why_size,
                 "the certificate does not identify an organisation (organizationName and "
                 "organizationIdentifier are required; missing: %s)",
                 name[0] == '\0' ? (id[0] == '\0' ? "both" : "organizationName")
                                 : "organizationIdentifier");
        st = TSVC_ERR_SEAL_CERT;
        goto out;
    }
    if (tsvc_org_identifier_check(id, strlen(id), &e) != TSVC_OK) {
        snprintf(why, why_size, "organizationIdentifier %s: %s", id, tsvc_error_message(e));
        st = TSVC_ERR_ORG_IDENTIFIER;
        goto out;
    }
    uint32_t qc = tsvc_cert_qc_flags(cert);
    if (qc & (TSVC_QC_NATURAL_PERSON | TSVC_QC_TYPE_ESIGN)) {
        snprintf(why, why_size,
                 "the QC statements declare a natural person or QcType esign: a personal "
                 "certificate cannot make a seal");
        st = TSVC_ERR_SEAL_CERT;
        goto out;
    }
    if (!cert->ku.present || (cert->ku.bits & key_usage) == 0) {
        snprintf(why, why_size, "keyUsage lacks the configured seal usage (%s)",
                 (key_usage & TSVC_KU_NON_REPUDIATION) && (key_usage & TSVC_KU_DIGITAL_SIGNATURE)
                     ? "nonRepudiation or digitalSignature"
                 : (key_usage & TSVC_KU_NON_REPUDIATION) ? "nonRepudiation/contentCommitment"
                                                         : "digitalSignature");
        st = TSVC_ERR_SEAL_CERT;
        goto out;
    }
out:
    tsvc_error_free(e);
    tsvc__free(cert->ctx, attrs);
    return st;
}

tsvc_status tsvc_seal_check_cert(const tsvc_cert *cert, uint32_t key_usage, tsvc_error **err)
{
    char why[400];
    if (cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "cert is required");
    tsvc_status st = tsvc__ades_seal_check(cert, key_usage, why, sizeof(why));
    if (st != TSVC_OK)
        return tsvc__err(err, st, "seal.certificate", -1, "%s", why);
    return TSVC_OK;
}

tsvc_status tsvc_sealer_new(tsvc_ctx *ctx, tsvc_signer **out, const tsvc_key *key,
                            tsvc_cert *cert, const tsvc_signer_options *opts, uint32_t key_usage,
                            tsvc_error **err)
{
    if (out == NULL || cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, NULL, -1, "out and cert are required");
    *out = NULL;
    tsvc_status st = tsvc_seal_check_cert(cert, key_usage, err);
    if (st != TSVC_OK)
        return st;
    if ((st = tsvc_signer_new(ctx, out, key, cert, opts, err)) != TSVC_OK)
        return st;
    /* What the seal key's activation callback is shown unless the caller
     * sets a label of its own. */
    if ((st = tsvc_signer_set_label(*out, "e-seal", err)) != TSVC_OK) {
        tsvc_signer_free(*out);
        *out = NULL;
    }
    return st;
}

void tsvc__ades_oid_text(const tsvc__cbs *oid, char *out, size_t size)
{
    if (tsvc__oid_to_text(oid->data, oid->len, out, size) != TSVC_OK && size > 0)
        out[0] = '\0';
}
