/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the revoke layer, for the layers above it (path, cms,
 * ades): the parsed CRL and OCSP response structures and the checks of one
 * certificate against them, with the detail a validation report shows.
 *
 * Thread safety: parsed CRLs and responses are immutable after parsing
 * (their reference counts are atomic); every function here is reentrant.
 */
#ifndef TSVC_REVOKE_REVOKE_H
#define TSVC_REVOKE_REVOKE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "der/der.h"
#include "trustsvc/revoke.h"
#include "x509/x509.h"

/* OIDs (DER contents octets). */
#define TSVC__OID_CE_CRL_NUMBER "\x55\x1d\x14"          /* 2.5.29.20 */
#define TSVC__OID_CE_REASON_CODE "\x55\x1d\x15"         /* 2.5.29.21 */
#define TSVC__OID_CE_INVALIDITY_DATE "\x55\x1d\x18"     /* 2.5.29.24 */
#define TSVC__OID_CE_DELTA_CRL_INDICATOR "\x55\x1d\x1b" /* 2.5.29.27 */
#define TSVC__OID_CE_ISSUING_DIST_POINT "\x55\x1d\x1c"  /* 2.5.29.28 */
#define TSVC__OID_CE_CERTIFICATE_ISSUER "\x55\x1d\x1d"  /* 2.5.29.29 */
#define TSVC__OID_CE_FRESHEST_CRL "\x55\x1d\x2e"        /* 2.5.29.46 */
#define TSVC__OID_PKIX_OCSP_BASIC "\x2b\x06\x01\x05\x05\x07\x30\x01\x01"   /* .48.1.1 */
#define TSVC__OID_PKIX_OCSP_NONCE "\x2b\x06\x01\x05\x05\x07\x30\x01\x02"   /* .48.1.2 */
#define TSVC__OID_PKIX_OCSP_NOCHECK "\x2b\x06\x01\x05\x05\x07\x30\x01\x05" /* .48.1.5 */
#define TSVC__OID_PKIX_OCSP_CUTOFF "\x2b\x06\x01\x05\x05\x07\x30\x01\x06"  /* .48.1.6 archiveCutoff */

/** Every ReasonFlags bit a complete CRL covers (bits 1 .. 8). */
#define TSVC__REASONS_ALL 0x1feu
/** Most certificates one OCSP response may carry. */
#define TSVC__OCSP_MAX_CERTS 16

/** One revoked certificate. @c serial points into the CRL's DER. */
typedef struct tsvc__crl_entry {
    const uint8_t *serial;
    size_t serial_len;
    int64_t revocation_time;
    int64_t invalidity_date; /* 0 when absent */
    int reason;              /* tsvc_crl_reason; TSVC_REASON_NONE when absent */
    /* Indirect CRLs (RFC 5280 5.3.3): the certificateIssuer in force for
     * this entry (GeneralNames contents, from this entry or the closest
     * earlier one in encoding order); empty: the CRL issuer. */
    tsvc__cbs cert_issuer;
} tsvc__crl_entry;

struct tsvc_crl {
    const tsvc_ctx *ctx;
    atomic_size_t refs;
    uint8_t *der;
    size_t der_len;

    tsvc__cbs tbs;
    tsvc__cbs sigalg;
    tsvc__sig_params sig_params;
    tsvc_status sigalg_status;
    tsvc__cbs sig_value;

    tsvc__cbs issuer; /* Name element */
    int64_t this_update;
    bool has_next_update;
    int64_t next_update;

    tsvc__crl_entry *entries; /* sorted by (serial_len, serial bytes) */
    size_t num_entries;
    uint64_t *keys; /* per entry: length and first 7 octets, same order; NULL if unused */
    bool duplicate_serial;

    /* Extensions */
    bool has_number, number_critical, number_fits;
    tsvc__cbs number; /* INTEGER contents */
    uint64_t number_u64;
    bool has_aki_key_id;
    tsvc__cbs aki_key_id;
    bool has_idp;
    tsvc__cbs idp_value; /* extnValue contents (scope comparison of complete and delta CRLs) */
    bool idp_has_full_name;
    tsvc__cbs idp_full_name; /* GeneralNames contents */
    bool idp_has_relative_name;
    tsvc__cbs idp_relative_name; /* RelativeDistinguishedName contents */
    bool idp_only_user, idp_only_ca, idp_only_attr, idp_indirect;
    bool idp_has_reasons;
    uint32_t idp_reasons;
    bool is_delta;
    tsvc__cbs base_number;  /* deltaCRLIndicator BaseCRLNumber (INTEGER contents) */
    bool has_freshest;      /* freshestCRL extension present */
    tsvc__cbs freshest;     /* its extnValue contents (CRLDistributionPoints syntax) */
    bool entry_cert_issuer; /* an entry has certificateIssuer (indirect) */
    bool unknown_critical;  /* CRL or entry extension */
    char unknown_oid[64];   /* dotted text of the first one */
};

/** The issuer a CRL or OCSP response is checked against. */
typedef struct tsvc__rev_issuer {
    const tsvc__cbs *name;      /* the issuer's subject Name element */
    const tsvc_pubkey *key;     /* its key */
    const tsvc_cert *cert;      /* its certificate, NULL for a bare-key trust anchor */
    bool webpki;                /* TLS profiles: CA/B Forum 7.2.2.1 rules for partitioned CRLs */
} tsvc__rev_issuer;

/** Detail of one status determination (for reports). */
typedef struct tsvc__rev_result {
    tsvc_cert_status status;
    int64_t revocation_time; /* when listed, even if after the validation time */
    tsvc_crl_reason reason;
    bool revoked_later;      /* listed, but revoked after the validation time */
    int64_t this_update;
    bool has_next_update;
    int64_t next_update;
    int64_t produced_at;     /* OCSP */
    uint32_t reasons;        /* CRL: the reasons this CRL covers (TSVC__REASONS_ALL: all) */
    bool delegated;          /* OCSP signed by a delegated responder */
    bool nocheck;            /* that responder carries id-pkix-ocsp-nocheck */
    const tsvc_cert *responder; /* the delegated responder (borrowed from the response) */
} tsvc__rev_result;

/** Compares two serial numbers (INTEGER contents) in the CRL index order. */
int tsvc__revoke_serial_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/** Parses one DER CRL (no PEM). */
tsvc_status tsvc__crl_parse_der(const tsvc_ctx *ctx, tsvc_crl **out, const uint8_t *der,
                                size_t len, tsvc_error **err);

/** The first entry (in index order) for a serial, or NULL; entries of one serial (indirect CRLs: one per certificate issuer) follow it. */
const tsvc__crl_entry *tsvc__crl_find(const tsvc_crl *crl, const uint8_t *serial, size_t len);

/** Most CRLs (complete and delta) examined for one certificate in path validation. */
#define TSVC__REV_MAX_CRLS_PER_CERT 64

/**
 * Compares two non-negative INTEGER contents (CRL numbers) by value:
 * negative, zero or positive as @p a is below, equal to or above @p b.
 */
int tsvc__crl_number_cmp(const tsvc__cbs *a, const tsvc__cbs *b);

/**
 * True if @p delta may be combined with the complete CRL @p base (RFC 5280
 * 5.2.4, 6.3.3 (h)) for the same issuer: the same issuer name, the same
 * scope (issuingDistributionPoint identical or both absent), matching
 * authority key identifiers, base cRLNumber >= the delta's BaseCRLNumber
 * and below the delta's own cRLNumber. Checks the pairing only: the
 * delta's signature and times are checked by tsvc__crl_check_full().
 * Fails with TSVC_ERR_CRL_DELTA and the reason.
 */
tsvc_status tsvc__crl_delta_pairs(const tsvc_crl *base, const tsvc_crl *delta, tsvc_error **err);

/** Verifies the CRL as issued by @p iss and current at @p when (see tsvc_crl_verify()). */
tsvc_status tsvc__crl_verify(const tsvc_ctx *ctx, const tsvc_crl *crl,
                             const tsvc__rev_issuer *iss, int64_t when, int64_t skew,
                             tsvc_error **err);

/**
 * Verifies the CRL and determines @p cert's status (fills @p res). A CRL
 * limited to some reasons gives its reasons in res->reasons (a GOOD result
 * then covers only those reasons).
 */
tsvc_status tsvc__crl_check(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_cert *cert,
                            const tsvc__rev_issuer *iss, int64_t when, int64_t skew,
                            tsvc__rev_result *res, tsvc_error **err);

/**
 * RFC 5280 6.3.3 for one certificate with one complete CRL and optionally
 * a delta CRL:
 *  - @p iss is the certificate's issuer; @p signer the CRL's issuer when it
 *    is another entity (indirect CRL named in the certificate's
 *    cRLDistributionPoints cRLIssuer), NULL when the CA issued the CRL;
 *  - (b) the CRL issuer and the issuingDistributionPoint are matched
 *    against the certificate's distribution points (or, without the
 *    extension, against the implied point: no name, every reason, the
 *    certificate issuer as CRL issuer);
 *  - (d) res->reasons gets the interim reasons mask (onlySomeReasons and
 *    the point's reasons);
 *  - (h) a delta CRL must pair with the complete CRL (tsvc__crl_delta_pairs)
 *    and verify like it; an unusable delta fails the call with
 *    TSVC_ERR_CRL_DELTA (the caller may retry without it);
 *  - (i)-(k) an entry of the delta wins over the complete CRL; removeFromCRL
 *    makes the certificate not revoked. In indirect CRLs only the entries
 *    whose certificateIssuer is the certificate's issuer count.
 * An entry whose revocationDate is after @p when gives GOOD with
 * res->revoked_later (status at the validation time).
 */
tsvc_status tsvc__crl_check_full(const tsvc_ctx *ctx, const tsvc_crl *crl, const tsvc_crl *delta,
                                 const tsvc_cert *cert, const tsvc__rev_issuer *iss,
                                 const tsvc__rev_issuer *signer, int64_t when, int64_t skew,
                                 tsvc__rev_result *res, tsvc_error **err);

/**
 * The @p index-th uniformResourceIdentifier (0-based, encoding order) of the
 * full names of the CRL's freshestCRL extension (RFC 5280 5.2.6: where its
 * delta CRLs are published), NUL-terminated in @p out. False when there is
 * no such URI, or it does not fit in @p size octets (it is then skipped).
 */
bool tsvc__crl_freshest_uri(const tsvc_crl *crl, size_t index, char *out, size_t size);

/**
 * True if the certificate's cRLDistributionPoints name @p crl_issuer (a
 * Name element) as a cRLIssuer (a directoryName), i.e. the certificate
 * allows an indirect CRL of that issuer.
 */
bool tsvc__crl_issuer_named_by(const tsvc_ctx *ctx, const tsvc_cert *cert,
                               const tsvc__cbs *crl_issuer);

/** One SingleResponse. */
typedef struct tsvc__ocsp_single {
    tsvc_hash_alg hash;
    tsvc_status hash_status; /* TSVC_OK, or why the hash algorithm is not usable */
    tsvc__cbs name_hash, key_hash, serial;
    tsvc_cert_status status;
    int64_t revocation_time;
    int reason;
    int64_t this_update;
    bool has_next_update;
    int64_t next_update;
    bool unknown_critical;
} tsvc__ocsp_single;

struct tsvc_ocsp_response {
    const tsvc_ctx *ctx;
    atomic_size_t refs;
    uint8_t *der;
    size_t der_len;
    tsvc_ocsp_response_status status;

    tsvc__cbs tbs; /* ResponseData element */
    tsvc__cbs sigalg;
    tsvc__sig_params sig_params;
    tsvc_status sigalg_status;
    tsvc__cbs sig_value;

    bool by_key;
    tsvc__cbs responder; /* Name element (byName) or key hash octets (byKey) */
    int64_t produced_at;
    tsvc__ocsp_single *singles;
    size_t num_singles;
    bool has_nonce;
    tsvc__cbs nonce; /* extnValue contents */
    bool unknown_critical;
    tsvc_cert **certs;
    size_t num_certs;
};

/** Verifies a response about @p cert (see tsvc_ocsp_response_verify()). */
tsvc_status tsvc__ocsp_check(const tsvc_ctx *ctx, const tsvc_ocsp_response *resp,
                             const tsvc_cert *cert, const tsvc__rev_issuer *iss, int64_t when,
                             const tsvc_ocsp_verify_options *opts, tsvc__rev_result *res,
                             tsvc_error **err);

/** tsvc_ocsp_request_build() with the issuer given by its key. */
tsvc_status tsvc__ocsp_request_build(const tsvc_ctx *ctx, tsvc_buf *out, const tsvc_cert *cert,
                                     const tsvc_pubkey *issuer_key, tsvc_hash_alg hash,
                                     const uint8_t *nonce, size_t nonce_len, tsvc_error **err);

/** True when some SingleResponse names @p cert's serial (cheap pre-selection). */
bool tsvc__ocsp_mentions(const tsvc_ocsp_response *resp, const tsvc_cert *cert);

/** Most extensions of one list (CRL, CRL entry, OCSP response or single response). */
#define TSVC__REVOKE_MAX_EXTS 32

/** The extensions of one list read so far (for duplicate detection). */
typedef struct tsvc__revoke_ext_list {
    tsvc__cbs oids[TSVC__REVOKE_MAX_EXTS];
    size_t num;
} tsvc__revoke_ext_list;

/**
 * Reads one Extension at the cursor (DER: critical only encoded when TRUE)
 * and records its OID in @p seen; a duplicate, or a malformed element,
 * fails with @p code (and the name @p check), more than
 * TSVC__REVOKE_MAX_EXTS with TSVC_ERR_LIMIT_COUNT.
 */
tsvc_status tsvc__revoke_get_extension(tsvc__cbs *exts, tsvc__revoke_ext_list *seen,
                                       tsvc__cbs *oid, bool *critical, tsvc__cbs *value,
                                       tsvc_status code, const char *check, tsvc_error **err);
/** Writes one Extension. */
void tsvc__revoke_add_extension(tsvc__cbb *cbb, const uint8_t *oid, size_t oid_len,
                                bool critical, const uint8_t *value, size_t value_len);
/** Writes the OCSP nonce extension: extnValue = OCTET STRING of the nonce (RFC 8954). */
void tsvc__revoke_add_nonce(tsvc__cbb *cbb, const uint8_t *nonce, size_t len);

/** Writes a GeneralizedTime or Time as text "YYYY-MM-DDTHH:MM:SSZ" (40 bytes). */
void tsvc__revoke_fmt_time(int64_t t, char out[40]);

#endif /* TSVC_REVOKE_REVOKE_H */
