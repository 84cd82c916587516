/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the CMS layer (RFC 5652 SignedData): decoding into
 * borrowed views of one owned DER copy, encoding of attributes, SignerInfos
 * and SignedData, and re-encoding a SignedData with one SignerInfo's
 * unsigned attributes replaced (and certificates or CRLs added) while every
 * other byte stays as it was. The CAdES levels (src/ades) build on this:
 *
 *   - B-T: tsvc__cms_add_unsigned_attr(cms, signer, id-aa-signatureTimeStampToken,
 *          token-element) over tsvc__cms_signer.sig_value;
 *   - B-LT / B-LTA: tsvc__cms_rebuild() with extra certificates, CRLs and
 *          a new unsigned-attribute SET.
 *
 * Thread safety: a parsed tsvc__cms is immutable and may be read by many
 * threads; nothing here keeps global state.
 */
#ifndef TSVC_CMS_CMS_H
#define TSVC_CMS_CMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "der/der.h"

/* Explicit limits of one SignedData. */
#define TSVC__CMS_MAX_SIGNERS 64
#define TSVC__CMS_MAX_ATTRS 64
#define TSVC__CMS_MAX_ATTR_VALUES 16
#define TSVC__CMS_MAX_CERTS 256
#define TSVC__CMS_MAX_CRLS 256
#define TSVC__CMS_MAX_DIGEST_ALGS 16

/* OIDs (DER contents octets); TSVC__CMS_OID_LEN gives the length of one. */
#define TSVC__CMS_OID_LEN(lit) (sizeof(lit) - 1)
#define TSVC__OID_CMS_DATA "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"        /* 1.2.840.113549.1.7.1 */
#define TSVC__OID_CMS_SIGNED_DATA "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" /* 1.2.840.113549.1.7.2 */
#define TSVC__OID_AA_CONTENT_TYPE "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x03" /* 1.2.840.113549.1.9.3 */
#define TSVC__OID_AA_MESSAGE_DIGEST "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04" /* 1.2.840.113549.1.9.4 */
#define TSVC__OID_AA_SIGNING_TIME "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x05" /* 1.2.840.113549.1.9.5 */
#define TSVC__OID_AA_COUNTER_SIGNATURE "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x06" /* 1.2.840.113549.1.9.6 */
/* 1.2.840.113549.1.9.16.2.x */
#define TSVC__OID_AA_SIGNING_CERT "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0c"    /* .12 */
#define TSVC__OID_AA_TIMESTAMP_TOKEN "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0e" /* .14 */
#define TSVC__OID_AA_SIG_POLICY_ID "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x0f"   /* .15 */
#define TSVC__OID_AA_COMMITMENT_TYPE "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x10" /* .16 */
#define TSVC__OID_AA_SIGNER_LOCATION "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x11" /* .17 */
#define TSVC__OID_AA_SIGNING_CERT_V2 "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x2f" /* .47 */
#define TSVC__OID_RSA_ENCRYPTION "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01" /* 1.2.840.113549.1.1.1 */

/** One Attribute (signed or unsigned). Views into the owned DER. */
typedef struct tsvc__cms_attr {
    tsvc__cbs element; /* the whole Attribute SEQUENCE */
    tsvc__cbs type;    /* attrType OID contents octets */
    tsvc__cbs values;  /* contents of the attrValues SET */
    size_t num_values;
    tsvc__cbs first;   /* the first value element (empty if none) */
} tsvc__cms_attr;

/** One SignerInfo. */
typedef struct tsvc__cms_signer {
    tsvc__cbs element; /* the whole SignerInfo SEQUENCE */
    uint64_t version;
    bool sid_is_ski;
    tsvc__cbs sid_issuer; /* issuer Name element (issuerAndSerialNumber) */
    tsvc__cbs sid_serial; /* serialNumber INTEGER contents */
    tsvc__cbs sid_ski;    /* subjectKeyIdentifier octets */
    tsvc__cbs digest_alg; /* AlgorithmIdentifier element */
    bool has_signed_attrs;
    tsvc__cbs signed_attrs; /* the [0] element as encoded */
    /** The signed attributes are not DER: not in DER SET OF order, or
     *  BER-encoded in the input (before normalisation). */
    bool signed_attrs_not_der;
    tsvc__cms_attr sattrs[TSVC__CMS_MAX_ATTRS];
    size_t num_sattrs;
    tsvc__cbs sig_alg;   /* signatureAlgorithm element */
    tsvc__cbs sig_value; /* signature OCTET STRING contents */
    bool has_unsigned_attrs;
    tsvc__cbs unsigned_attrs; /* the [1] element as encoded */
    tsvc__cms_attr uattrs[TSVC__CMS_MAX_ATTRS];
    size_t num_uattrs;
    tsvc__cbs head; /* SignerInfo contents up to (excluding) unsignedAttrs */
} tsvc__cms_signer;

/** A decoded ContentInfo holding a SignedData. */
typedef struct tsvc__cms {
    const tsvc_ctx *ctx;
    tsvc_buf der_buf; /* owned: the input, or its DER normalisation */
    const uint8_t *der; /* == der_buf.data */
    size_t der_len;
    bool was_ber; /* the input needed the BER normaliser */
    uint64_t version;
    tsvc__cbs digest_algs; /* contents of the digestAlgorithms SET */
    size_t num_digest_algs;
    tsvc__cbs encap;         /* EncapsulatedContentInfo element */
    tsvc__cbs econtent_type; /* OID contents octets */
    bool has_content;
    tsvc__cbs content; /* eContent OCTET STRING contents */
    bool has_certs;
    tsvc__cbs certs_field; /* the [0] certificates element */
    tsvc__cbs certs[TSVC__CMS_MAX_CERTS]; /* each CertificateChoices element */
    size_t num_certs;
    bool has_crls;
    tsvc__cbs crls_field; /* the [1] crls element */
    tsvc__cbs crls[TSVC__CMS_MAX_CRLS];
    size_t num_crls;
    tsvc__cbs signer_infos; /* the signerInfos SET element */
    tsvc__cms_signer *signers;
    size_t num_signers;
} tsvc__cms;

/**
 * Decodes a ContentInfo/SignedData. BER on the outer layers is accepted
 * through tsvc__ber_to_der() (when the strict reading fails on a BER-only
 * construct); the signed attributes are flagged when they were not DER in
 * the input. Errors: TSVC_ERR_CMS_FORMAT (check "cms.*", offset into the
 * decoded bytes), TSVC_ERR_CMS_CONTENT_TYPE, TSVC_ERR_CMS_VERSION,
 * TSVC_ERR_LIMIT_COUNT, TSVC_ERR_LIMIT_INPUT_SIZE, TSVC_ERR_NOMEM and the
 * DER / BER statuses.
 */
tsvc_status tsvc__cms_parse(const tsvc_ctx *ctx, const uint8_t *data, size_t len, tsvc__cms **out,
                            tsvc_error **err);
void tsvc__cms_free(tsvc__cms *cms);

/** Finds the first attribute of @p type; *count (may be NULL) gets how many there are. */
const tsvc__cms_attr *tsvc__cms_find_attr(const tsvc__cms_attr *attrs, size_t num,
                                          const uint8_t *type, size_t type_len, size_t *count);

/**
 * The bytes a signature with signed attributes covers: the signed
 * attributes with the universal SET tag in place of [0] IMPLICIT.
 * Allocated into @p out.
 */
tsvc_status tsvc__cms_signed_attrs_tbs(const tsvc_ctx *ctx, const tsvc__cms_signer *si,
                                       tsvc_buf *out);

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

/** One attribute to encode: type OID and one value element (DER). */
typedef struct tsvc__cms_attr_in {
    const uint8_t *type;
    size_t type_len;
    const uint8_t *value; /* one complete DER element */
    size_t value_len;
} tsvc__cms_attr_in;

/**
 * Encodes a SET OF Attribute (each with one value), sorted per DER, with
 * the universal SET tag: the bytes a signature covers.
 */
tsvc_status tsvc__cms_attrs_encode(const tsvc_ctx *ctx, const tsvc__cms_attr_in *attrs,
                                   size_t num, tsvc_buf *out);

/** What a SignerInfo is made of. */
typedef struct tsvc__cms_signer_in {
    bool sid_is_ski;
    const uint8_t *issuer; /* Name element */
    size_t issuer_len;
    const uint8_t *serial; /* INTEGER contents */
    size_t serial_len;
    const uint8_t *ski;
    size_t ski_len;
    tsvc_hash_alg digest;
    const uint8_t *signed_attrs; /* SET element from tsvc__cms_attrs_encode() */
    size_t signed_attrs_len;
    const uint8_t *sig_alg; /* signatureAlgorithm element */
    size_t sig_alg_len;
    const uint8_t *sig;
    size_t sig_len;
    const uint8_t *unsigned_attrs; /* SET element (universal tag), or NULL */
    size_t unsigned_attrs_len;
} tsvc__cms_signer_in;

/** Encodes one SignerInfo element (version 1 or 3 by the sid form). */
void tsvc__cms_signer_encode(tsvc__cbb *cbb, const tsvc__cms_signer_in *s);

/** What a SignedData is made of. */
typedef struct tsvc__cms_sd_in {
    const tsvc_hash_alg *digests; /* digestAlgorithms (duplicates dropped) */
    size_t num_digests;
    const uint8_t *content_type; /* eContentType OID contents; NULL: id-data */
    size_t content_type_len;
    bool attached;
    const uint8_t *content;
    size_t content_len;
    const tsvc_buf *certs; /* Certificate elements */
    size_t num_certs;
    const tsvc_buf *signers; /* SignerInfo elements */
    size_t num_signers;
} tsvc__cms_sd_in;

/** Encodes a ContentInfo holding the SignedData (DER, definite lengths). */
tsvc_status tsvc__cms_encode(const tsvc_ctx *ctx, const tsvc__cms_sd_in *in, tsvc_buf *out);

/* ------------------------------------------------------------------ */
/* Re-encoding (for the CAdES B-T / B-LT / B-LTA upgrades)             */
/* ------------------------------------------------------------------ */

/** A change to a decoded SignedData. */
typedef struct tsvc__cms_edit {
    size_t signer; /* index of the SignerInfo whose unsigned attributes change */
    bool replace_unsigned;
    /** New unsignedAttrs as a universal SET element (written as [1]);
     *  NULL / 0 removes them. */
    const uint8_t *unsigned_attrs;
    size_t unsigned_attrs_len;
    const tsvc_buf *add_certs; /* Certificate elements appended to certificates */
    size_t num_add_certs;
    const tsvc_buf *add_crls; /* RevocationInfoChoice elements appended to crls */
    size_t num_add_crls;
    /** SignedData version to write: 0 computes it with
     *  tsvc__cms_signed_data_version() from what the result holds; 1, 3, 4
     *  or 5 writes that value. */
    uint64_t version;
} tsvc__cms_edit;

/**
 * The SignedData version RFC 5652 section 5.1 asks for, given what @p cms
 * holds plus @p edit's added certificates and revocation elements (@p edit
 * may be NULL): 5 when a certificate or a revocation element is of type
 * "other" (certificates [3], crls [1], e.g. id-ri-ocsp-response), else 4
 * with a v2 attribute certificate ([2]), else 3 with a v1 attribute
 * certificate ([1]), a version 3 SignerInfo or an eContentType other than
 * id-data, else 1. Never lower than @p cms's own version: a version the
 * producer wrote higher than needed is kept.
 */
uint64_t tsvc__cms_signed_data_version(const tsvc__cms *cms, const tsvc__cms_edit *edit);

/**
 * Re-encodes @p cms with @p edit applied. Every element that the edit does
 * not touch keeps its bytes (only the lengths of the enclosing elements
 * change); the version is edit->version, or computed (see
 * tsvc__cms_signed_data_version()) when 0.
 */
tsvc_status tsvc__cms_rebuild(const tsvc__cms *cms, const tsvc__cms_edit *edit, tsvc_buf *out,
                              tsvc_error **err);

/**
 * Adds one unsigned attribute (type @p type, one value element @p value)
 * to SignerInfo @p signer, keeping its other unsigned attributes, and
 * re-encodes the SignedData. The unsigned-attribute SET is written in DER
 * order.
 */
tsvc_status tsvc__cms_add_unsigned_attr(const tsvc__cms *cms, size_t signer, const uint8_t *type,
                                        size_t type_len, const uint8_t *value, size_t value_len,
                                        tsvc_buf *out, tsvc_error **err);

#endif /* TSVC_CMS_CMS_H */
