/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the long-term CAdES levels (src/ades/lt.c, lta.c,
 * ltv.c): the validation material of a signature (certificates, CRLs,
 * OCSP responses found in the SignedData, in value attributes, in
 * time-stamp tokens, in the store, or fetched), path building over it,
 * revocation status "as evidence at its issue time", and the archive
 * time-stamp imprints (v2 and v3).
 *
 * Thread safety: reentrant; material belongs to one call.
 */
#ifndef TSVC_ADES_LT_H
#define TSVC_ADES_LT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cms/cms.h"
#include "path/path.h"
#include "path/report.h"
#include "trustsvc/ltv.h"
#include "trustsvc/revoke.h"

/* OIDs (DER contents octets). */
/* 1.2.840.113549.1.9.16.2.21 .. .24, .48 */
#define TSVC__OID_AA_COMPLETE_CERT_REFS "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x15"
#define TSVC__OID_AA_COMPLETE_REV_REFS "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x16"
#define TSVC__OID_AA_CERT_VALUES "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x17"
#define TSVC__OID_AA_REVOCATION_VALUES "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x18"
#define TSVC__OID_AA_ATS_V2 "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x02\x30"
/* 0.4.0.1733.2.4 id-aa-ets-archiveTimestampV3 */
#define TSVC__OID_AA_ATS_V3 "\x04\x00\x8d\x45\x02\x04"
/* 0.4.0.19122.1.5 id-aa-ATSHashIndex-v3 */
#define TSVC__OID_AA_ATS_HASH_INDEX_V3 "\x04\x00\x81\x95\x32\x01\x05"
/* 1.3.6.1.5.5.7.16.2 id-ri-ocsp-response (RFC 5940) */
#define TSVC__OID_RI_OCSP_RESPONSE "\x2b\x06\x01\x05\x05\x07\x10\x02"
/* 1.3.6.1.5.5.7.48.1.1 id-pkix-ocsp-basic */
#define TSVC__OID_OCSP_BASIC "\x2b\x06\x01\x05\x05\x07\x30\x01\x01"

#define TSVC__LT_OID(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

/** Most certificates gathered for one signature. */
#define TSVC__LT_MAX_CERTS 256
/** Most time-stamp tokens (signature and archive) looked at. */
#define TSVC__LT_MAX_TOKENS (TSVC_LTV_MAX_ARCHIVE_TIMESTAMPS + 8)
/** Most certificates of one path. */
#define TSVC__LT_MAX_PATH 16
/** Most fetches one operation makes. */
#define TSVC__LT_MAX_FETCHES 32

/** The validation material of one signature. References are owned. */
typedef struct tsvc__lt_material {
    const tsvc_ctx *ctx;
    tsvc_cert *certs[TSVC__LT_MAX_CERTS];
    size_t num_certs;
    tsvc_crl *crls[TSVC_LTV_MAX_REVOCATION_VALUES];
    bool crl_embedded[TSVC_LTV_MAX_REVOCATION_VALUES];
    size_t num_crls;
    tsvc_ocsp_response *ocsp[TSVC_LTV_MAX_REVOCATION_VALUES];
    bool ocsp_embedded[TSVC_LTV_MAX_REVOCATION_VALUES];
    size_t num_ocsp;
    bool any_embedded_revocation; /* a CRL or OCSP response came from the signature */
    unsigned fetches;
} tsvc__lt_material;

void tsvc__lt_material_init(tsvc__lt_material *m, const tsvc_ctx *ctx);
void tsvc__lt_material_clear(tsvc__lt_material *m);

/** Adds a certificate (DER); duplicates and unparsable ones are ignored. */
tsvc_status tsvc__lt_add_cert_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                  tsvc_cert **added);
/** Adds a CRL (DER); duplicates and unparsable ones are ignored. */
tsvc_status tsvc__lt_add_crl_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                 bool embedded);
/** Adds an OCSPResponse (DER); duplicates and unparsable ones are ignored. */
tsvc_status tsvc__lt_add_ocsp_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                  bool embedded);
/** Adds a BasicOCSPResponse (DER) by wrapping it into a successful OCSPResponse. */
tsvc_status tsvc__lt_add_basic_ocsp_der(tsvc__lt_material *m, const uint8_t *der, size_t len,
                                        bool embedded);
/** Adds the store's CRLs and OCSP responses (not embedded). */
tsvc_status tsvc__lt_add_store(tsvc__lt_material *m, const tsvc_store *store);

/**
 * Adds every certificate, CRL and OCSP response a SignedData carries:
 * certificates, crls (CertificateList and id-ri-ocsp-response), the
 * certificate-values / revocation-values attributes of SignerInfo
 * @p signer, and the same places inside each of its time-stamp tokens
 * (signature and archive). Malformed pieces are skipped.
 */
tsvc_status tsvc__lt_collect(tsvc__lt_material *m, const tsvc__cms *cms, size_t signer);

/** The material of one RevocationValues element (contents given). */
tsvc_status tsvc__lt_add_revocation_values(tsvc__lt_material *m, tsvc__cbs rv);

/**
 * Builds the path of @p leaf at @p when over the store's anchors and
 * intermediates plus the material's certificates (no revocation), giving
 * the path validation report (caller frees). Errors: NOMEM, CLOCK.
 */
tsvc_status tsvc__lt_path(tsvc_ctx *ctx, const tsvc__lt_material *m, const tsvc_store *store,
                          const tsvc_cert *leaf, int64_t when, tsvc_report **out,
                          tsvc_error **err);

/** A store with the caller's anchors and intermediates plus the material's certificates. */
tsvc_status tsvc__lt_store(tsvc_ctx *ctx, const tsvc__lt_material *m, const tsvc_store *store,
                           tsvc_store **out);

/** The certificate a SignerInfo names (SignerIdentifier) among the material's, or NULL. */
const tsvc_cert *tsvc__lt_signer_cert(const tsvc__lt_material *m, const tsvc__cms_signer *si);

/** Revocation status of one certificate at a time, from the material. */
typedef enum tsvc__lt_rev_state {
    TSVC__LT_REV_NONE = 0, /* no usable evidence */
    TSVC__LT_REV_GOOD = 1, /* not revoked at the time */
    TSVC__LT_REV_REVOKED = 2 /* revoked at or before the time */
} tsvc__lt_rev_state;

typedef struct tsvc__lt_rev {
    tsvc__lt_rev_state state;
    int64_t revocation_time; /* REVOKED, or GOOD but revoked later (later_revoked) */
    bool later_revoked;
    int reason;
    int64_t issued; /* thisUpdate / producedAt of the deciding evidence */
    bool is_ocsp;
    size_t index;   /* into crls or ocsp */
    char text[300]; /* a sentence about the evidence */
} tsvc__lt_rev;

/**
 * Revocation status of @p cert (issued by @p issuer) at @p when: every CRL
 * and OCSP response of the material is checked as of its own issue time;
 * one that lists the certificate revoked at or before @p when decides
 * REVOKED; otherwise one issued at or after @p when (while the
 * certificate was within its validity), or current at @p when, that shows
 * it good (or revoked only after @p when) gives GOOD. With @p fetch,
 * fetches (CRL distribution points, OCSP) when nothing is usable, adding
 * what it got to the material.
 */
tsvc_status tsvc__lt_revocation(tsvc_ctx *ctx, tsvc__lt_material *m, const tsvc_cert *cert,
                                const tsvc_cert *issuer, int64_t when, bool fetch,
                                tsvc__lt_rev *out);

/**
 * Re-encodes @p cms with the unsigned attributes of SignerInfo @p signer
 * replaced by @p set (a universal SET element; empty: none).
 */
tsvc_status tsvc__lt_set_uattrs(const tsvc__cms *cms, size_t signer, const tsvc_buf *set,
                                tsvc_buf *out, tsvc_error **err);

/** "YYYY-MM-DDTHH:MM:SSZ". */
void tsvc__lt_fmt_time(int64_t t, char out[32]);

/* ------------------------------------------------------------------ */
/* Archive time-stamps (lta.c)                                         */
/* ------------------------------------------------------------------ */

/** Builds the ATSHashIndexV3 (DER SEQUENCE) of SignerInfo @p signer as it is now. */
tsvc_status tsvc__lta_hash_index_v3(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                    tsvc_hash_alg hash, tsvc_buf *out, tsvc_error **err);

/**
 * Checks that every hash an ATSHashIndexV3 lists names a certificate, a
 * CRL or an unsigned attribute value present in @p cms / SignerInfo
 * @p signer; gives the hash algorithm of the index. *ok false with @p why
 * set when not (or the index is malformed).
 */
tsvc_status tsvc__lta_check_index_v3(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                     const uint8_t *index, size_t index_len, tsvc_hash_alg *hash,
                                     bool *ok, char *why, size_t why_size);

/** True when the ATSHashIndexV3 @p index lists the hash of (@p type || @p value). */
bool tsvc__lta_index_lists_value(const tsvc_ctx *ctx, const uint8_t *index, size_t index_len,
                                 const tsvc__cbs *type_element, const tsvc__cbs *value);

/**
 * The v3 message imprint: H(eContentType element || H(content) || SignerInfo
 * fields version .. signature || @p index). @p content NULL: embedded.
 */
tsvc_status tsvc__lta_imprint_v3(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                 const uint8_t *content, size_t content_len, tsvc_hash_alg hash,
                                 const uint8_t *index, size_t index_len, uint8_t *md,
                                 tsvc_error **err);

/**
 * The v2 message imprint over @p cms as it was when the archive
 * time-stamp with value @p exclude (NULL: none, for a new one) was added:
 * unsigned attributes holding archive time-stamps with a genTime at or
 * after @p exclude_time (and @p exclude itself) are left out.
 */
tsvc_status tsvc__lta_imprint_v2(const tsvc_ctx *ctx, const tsvc__cms *cms, size_t signer,
                                 const uint8_t *content, size_t content_len, tsvc_hash_alg hash,
                                 const tsvc__cbs *exclude, int64_t exclude_time, uint8_t *md,
                                 tsvc_error **err);

/** genTime of a token element, or false when it does not parse. */
bool tsvc__lta_token_time(const tsvc_ctx *ctx, const uint8_t *der, size_t len, int64_t *when);

/**
 * Replaces the value @p old (an element inside an unsigned attribute of
 * type @p type of SignerInfo @p signer) by @p value, re-encoding the
 * SignedData (other bytes kept).
 */
tsvc_status tsvc__lta_replace_uattr_value(const tsvc__cms *cms, size_t signer,
                                          const tsvc__cbs *old, const uint8_t *value,
                                          size_t value_len, tsvc_buf *out, tsvc_error **err);

/** The first decision of tsvc__lt_signer_at() (when @p decided). */
typedef struct tsvc__lt_decision {
    bool decided;
    tsvc_indication ind;
    tsvc_subindication sub;
    char reason[1024];
} tsvc__lt_decision;

/**
 * The signer at the best signature time @p best (src/ades/ltv.c; shared by
 * tsvc_ltv_verify() and tsvc_verify()): the path of @p sc at @p best over
 * the store and the material (entry "certificate-validation" under
 * @p parent of @p r, the path report nested and its chain carried over),
 * then, unless @p rev_mode is TSVC_REVOCATION_NONE, the revocation status
 * of every certificate of the path but the anchor at @p best from the
 * material (evidence judged at its own issue time; a revocation after
 * @p best does not count), then the path's algorithms at @p best. A
 * certificate revoked at or before @p best gives FAILED/REVOKED when
 * @p proven (the time is a proof of existence), else the _NO_POE
 * sub-indications; no evidence gives TRY_LATER under
 * TSVC_REVOCATION_HARD_FAIL only. The first problem is put in @p d.
 * Errors: NOMEM, CLOCK, backend failures.
 */
tsvc_status tsvc__lt_signer_at(tsvc_ctx *ctx, tsvc__lt_material *m, const tsvc_store *store,
                               const tsvc_algorithm_policy *ap, const tsvc_cert *sc,
                               int64_t best, bool proven, tsvc_revocation_mode rev_mode,
                               bool fetch, tsvc_report *r, int parent, tsvc__lt_decision *d,
                               tsvc_error **err);

#endif /* TSVC_ADES_LT_H */
