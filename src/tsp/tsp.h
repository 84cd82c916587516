/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the time-stamp layer (RFC 3161, RFC 5816): the layouts
 * of requests, TSTInfo, tokens and responses; their DER encoders and
 * parsers; the token signer and verifier the TSA, tsvc_tsr_verify() and
 * the CAdES B-T level (src/ades) share.
 *
 * Thread safety: every object here is immutable after it is built or
 * parsed; the functions are reentrant and keep no global state.
 */
#ifndef TSVC_TSP_TSP_H
#define TSVC_TSP_TSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cms/cms.h"
#include "core/core.h"
#include "crypto/crypto.h"
#include "der/der.h"
#include "trustsvc/tsp.h"

/* OIDs (DER contents octets). */
#define TSVC__OID_CT_TSTINFO "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x10\x01\x04" /* 1.2.840.113549.1.9.16.1.4 */

/** Largest nonce accepted, INTEGER contents octets. */
#define TSVC__TSP_MAX_NONCE 64
/** Largest serial number accepted in a TSTInfo, INTEGER contents octets. */
#define TSVC__TSP_MAX_SERIAL 64
/** Most statusString texts kept from one response. */
#define TSVC__TSP_MAX_STATUS_STRINGS 16
/** Longest joined statusString kept, bytes. */
#define TSVC__TSP_MAX_STATUS_TEXT 4096

struct tsvc_tsq {
    const tsvc_ctx *ctx;
    tsvc_hash_alg hash;
    uint8_t digest[TSVC_HASH_MAX_SIZE];
    size_t digest_len;
    /* MessageImprint element as received (parsed requests: parameters kept
     * NULL or absent, as sent, so the TSA echoes it byte for byte); for
     * built requests, as encoded here. Owned. */
    uint8_t *imprint;
    size_t imprint_len;
    bool has_policy;
    uint8_t policy[TSVC__OID_MAX_LEN];
    size_t policy_len;
    bool has_nonce;
    uint8_t nonce[TSVC__TSP_MAX_NONCE + 1];
    size_t nonce_len;
    bool cert_req;
    bool has_extensions;
};

/** A decoded TSTInfo; every view points into the bytes it was parsed from. */
typedef struct tsvc__tstinfo {
    tsvc__cbs policy;  /* OID contents octets */
    tsvc__cbs imprint; /* MessageImprint element */
    tsvc__cbs imprint_alg; /* its AlgorithmIdentifier element */
    tsvc_hash_alg hash; /* TSVC_HASH_NONE when unknown */
    tsvc__cbs digest;
    tsvc__cbs serial; /* INTEGER contents */
    int64_t gen_time;
    uint32_t gen_nanos;
    bool has_accuracy;
    uint64_t acc_seconds;
    uint32_t acc_millis, acc_micros;
    bool ordering;
    bool has_nonce;
    tsvc__cbs nonce; /* INTEGER contents */
    bool has_tsa;
    tsvc__cbs tsa; /* GeneralName element */
    bool has_extensions;
} tsvc__tstinfo;

/**
 * Parses TSTInfo DER (strict; BER must have been normalised by the
 * caller). TSVC_ERR_TSP_FORMAT, TSVC_ERR_TSP_VERSION or a DER status.
 */
tsvc_status tsvc__tsp_tstinfo_parse(const uint8_t *der, size_t len, tsvc__tstinfo *out,
                                    tsvc_error **err);

/** What a TSTInfo is made of (the encoder's input). */
typedef struct tsvc__tstinfo_in {
    const uint8_t *policy; /* OID contents */
    size_t policy_len;
    const uint8_t *imprint; /* MessageImprint element, copied as it is */
    size_t imprint_len;
    const uint8_t *serial; /* big-endian magnitude */
    size_t serial_len;
    int64_t gen_time;
    uint32_t gen_nanos;
    uint32_t acc_seconds, acc_millis, acc_micros; /* all 0: no accuracy */
    bool ordering;
    const uint8_t *nonce; /* INTEGER contents as received; NULL: none */
    size_t nonce_len;
    const uint8_t *tsa_name; /* Name element for [0] directoryName; NULL: none */
    size_t tsa_name_len;
} tsvc__tstinfo_in;

/**
 * Reads a MessageImprint element at @p cbs: the element, its
 * AlgorithmIdentifier element, the hash (NULL or absent parameters) and
 * the digest. With @p lenient an unknown hash gives TSVC_HASH_NONE and a
 * digest of any length is kept; otherwise both give TSVC_ERR_TSP_HASH.
 */
tsvc_status tsvc__tsp_parse_imprint(tsvc__cbs *cbs, tsvc__cbs *element, tsvc__cbs *alg,
                                    tsvc_hash_alg *hash, tsvc__cbs *digest, bool lenient,
                                    tsvc_error **err);

/** Appends a TSTInfo to @p cbb. */
void tsvc__tsp_tstinfo_encode(tsvc__cbb *cbb, const tsvc__tstinfo_in *in);

/** Appends a PKIStatusInfo (status, one statusString when @p text, failInfo when @p fail). */
void tsvc__tsp_status_encode(tsvc__cbb *cbb, int status, const char *text, uint32_t fail);

struct tsvc_cert;

/** A parsed token: the SignedData and its TSTInfo. */
struct tsvc_tst {
    const tsvc_ctx *ctx;
    tsvc__cms *cms;      /* owned */
    uint8_t *info_der;   /* owned DER copy of the TSTInfo (normalised if it was BER) */
    size_t info_len;
    tsvc__tstinfo info;  /* views into info_der */
    struct tsvc_cert **certs; /* the token's certificates that parse (owned refs) */
    size_t num_certs;
    struct tsvc_cert *signer; /* one of certs (borrowed) or NULL */
};

/** Parses a token (ContentInfo) into @p out (caller-allocated, zeroed). */
tsvc_status tsvc__tsp_token_parse(const tsvc_ctx *ctx, struct tsvc_tst *out, const uint8_t *data,
                                  size_t len, tsvc_error **err);
/** Releases what tsvc__tsp_token_parse() allocated inside @p tst (not @p tst). */
void tsvc__tsp_token_clear(struct tsvc_tst *tst);

/**
 * Signs @p tstinfo (DER) into a token: a SignedData with content type
 * id-ct-TSTInfo, signed attributes content-type, message-digest and
 * signing-certificate-v2 (RFC 5816 ESSCertIDv2 of @p cert with
 * issuerSerial), signer identified by issuer and serial number, and the
 * certificates @p certs (NULL/0: none). The key signs through its
 * activation callback with the label "tsa".
 */
tsvc_status tsvc__tsp_token_sign(const tsvc_ctx *ctx, const tsvc_key *key,
                                 const struct tsvc_cert *cert, tsvc_hash_alg hash,
                                 const uint8_t *tstinfo, size_t tstinfo_len,
                                 const struct tsvc_cert *const *certs, size_t num_certs,
                                 tsvc_buf *out, tsvc_error **err);
/**
 * Same, with the signing-certificate-v2 attribute value (DER
 * SigningCertificateV2 of @p cert with @p hash, see tsvc__tsp_ess_value())
 * made beforehand; NULL: made here.
 */
tsvc_status tsvc__tsp_token_sign_ess(const tsvc_ctx *ctx, const tsvc_key *key,
                                     const struct tsvc_cert *cert, tsvc_hash_alg hash,
                                     const uint8_t *ess_value, size_t ess_value_len,
                                     const uint8_t *tstinfo, size_t tstinfo_len,
                                     const struct tsvc_cert *const *certs, size_t num_certs,
                                     tsvc_buf *out, tsvc_error **err);
/** The signing-certificate-v2 attribute value (RFC 5816) of @p cert with @p hash. */
tsvc_status tsvc__tsp_ess_value(const tsvc_ctx *ctx, tsvc_hash_alg hash,
                                const struct tsvc_cert *cert, tsvc_buf *out, tsvc_error **err);

/**
 * Verifies a token and adds its checks under @p parent of @p report (see
 * tsvc_tst_verify()). Sets the report's outcome and time. Used by
 * tsvc_tst_verify(), tsvc_tsr_verify() and the CAdES B-T verifier.
 * @p hash / @p digest: the imprint the token must carry.
 */
tsvc_status tsvc__tsp_verify_token(tsvc_ctx *ctx, tsvc_report *report, int parent,
                                   const struct tsvc_tst *tst, tsvc_hash_alg hash,
                                   const uint8_t *digest, size_t digest_len,
                                   tsvc_store *store, const tsvc_tsp_verify_options *opts,
                                   tsvc_error **err);

/**
 * Copies caller's verification options into @p out (the defaults when
 * @p in is NULL), reading only the fields of @p in's version (1: up to
 * @c now; 2: @c policy too). Gives TSVC_ERR_BAD_VERSION for an unknown
 * version.
 */
tsvc_status tsvc__tsp_opts_load(const tsvc_tsp_verify_options *in, tsvc_tsp_verify_options *out,
                                tsvc_error **err);

/** True if @p cert has an extendedKeyUsage that is critical and only id-kp-timeStamping. */
bool tsvc__tsp_cert_eku_ok(const struct tsvc_cert *cert, const char **why);

/** Hash of a MessageImprint the TSA accepts by default. */
bool tsvc__tsp_hash_default_ok(tsvc_hash_alg hash);

#endif /* TSVC_TSP_TSP_H */
