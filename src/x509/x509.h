/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the x509 layer, for the layers above it (path, revoke,
 * cms, tsp, ades): the parsed certificate structure with every field kept
 * as a view (tsvc__cbs) into the certificate's own copy of the DER, the
 * decoded extensions as plain arrays with counts, RFC 5280 §7.1 name
 * comparison, RFC 4514 text, name-constraint matching helpers, RFC 6125
 * host matching and signature checking of one certificate by a key.
 *
 * Thread safety: a parsed certificate is immutable after tsvc__cert_parse_der()
 * returns, except its reference count (atomic) and its DER digest (written
 * once behind an atomic flag), so it may be shared between threads. Every
 * function here is reentrant.
 */
#ifndef TSVC_X509_X509_H
#define TSVC_X509_X509_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "der/der.h"
#include "trustsvc/x509.h"

/* ------------------------------------------------------------------ */
/* OIDs (DER contents octets) the layers above use. Length: sizeof - 1. */
/* ------------------------------------------------------------------ */
#define TSVC__OID_CE_SUBJECT_KEY_ID "\x55\x1d\x0e"       /* 2.5.29.14 */
#define TSVC__OID_CE_KEY_USAGE "\x55\x1d\x0f"            /* 2.5.29.15 */
#define TSVC__OID_CE_SUBJECT_ALT_NAME "\x55\x1d\x11"     /* 2.5.29.17 */
#define TSVC__OID_CE_ISSUER_ALT_NAME "\x55\x1d\x12"      /* 2.5.29.18 */
#define TSVC__OID_CE_BASIC_CONSTRAINTS "\x55\x1d\x13"    /* 2.5.29.19 */
#define TSVC__OID_CE_NAME_CONSTRAINTS "\x55\x1d\x1e"     /* 2.5.29.30 */
#define TSVC__OID_CE_CRL_DIST_POINTS "\x55\x1d\x1f"      /* 2.5.29.31 */
#define TSVC__OID_CE_CERT_POLICIES "\x55\x1d\x20"        /* 2.5.29.32 */
#define TSVC__OID_CE_POLICY_MAPPINGS "\x55\x1d\x21"      /* 2.5.29.33 */
#define TSVC__OID_CE_AUTHORITY_KEY_ID "\x55\x1d\x23"     /* 2.5.29.35 */
#define TSVC__OID_CE_POLICY_CONSTRAINTS "\x55\x1d\x24"   /* 2.5.29.36 */
#define TSVC__OID_CE_EXT_KEY_USAGE "\x55\x1d\x25"        /* 2.5.29.37 */
#define TSVC__OID_CE_INHIBIT_ANY_POLICY "\x55\x1d\x36"   /* 2.5.29.54 */
#define TSVC__OID_ANY_POLICY "\x55\x1d\x20\x00"          /* 2.5.29.32.0 */
#define TSVC__OID_ANY_EKU "\x55\x1d\x25\x00"             /* 2.5.29.37.0 */
#define TSVC__OID_PE_AIA "\x2b\x06\x01\x05\x05\x07\x01\x01"          /* 1.3.6.1.5.5.7.1.1 */
#define TSVC__OID_PE_QC_STATEMENTS "\x2b\x06\x01\x05\x05\x07\x01\x03" /* 1.3.6.1.5.5.7.1.3 */
#define TSVC__OID_AD_OCSP "\x2b\x06\x01\x05\x05\x07\x30\x01"         /* 1.3.6.1.5.5.7.48.1 */
#define TSVC__OID_AD_CA_ISSUERS "\x2b\x06\x01\x05\x05\x07\x30\x02"   /* 1.3.6.1.5.5.7.48.2 */
#define TSVC__OID_KP_SERVER_AUTH "\x2b\x06\x01\x05\x05\x07\x03\x01"  /* 1.3.6.1.5.5.7.3.1 */
#define TSVC__OID_KP_CLIENT_AUTH "\x2b\x06\x01\x05\x05\x07\x03\x02"  /* 1.3.6.1.5.5.7.3.2 */
#define TSVC__OID_KP_CODE_SIGNING "\x2b\x06\x01\x05\x05\x07\x03\x03" /* 1.3.6.1.5.5.7.3.3 */
#define TSVC__OID_KP_EMAIL_PROTECTION "\x2b\x06\x01\x05\x05\x07\x03\x04" /* .3.4 */
#define TSVC__OID_KP_TIME_STAMPING "\x2b\x06\x01\x05\x05\x07\x03\x08" /* 1.3.6.1.5.5.7.3.8 */
#define TSVC__OID_KP_OCSP_SIGNING "\x2b\x06\x01\x05\x05\x07\x03\x09" /* 1.3.6.1.5.5.7.3.9 */
#define TSVC__OID_AT_COMMON_NAME "\x55\x04\x03"                      /* 2.5.4.3 */
#define TSVC__OID_EMAIL_ADDRESS "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01" /* 1.2.840.113549.1.9.1 */

/** Length of one of the OID literals above. */
#define TSVC__OID_LEN(lit) (sizeof(lit) - 1)

/* ------------------------------------------------------------------ */
/* Decoded pieces                                                      */
/* ------------------------------------------------------------------ */

/**
 * One GeneralName. @c value depends on the type:
 *  - DNS, EMAIL, URI: the IA5String bytes (no NUL inside; 7-bit);
 *  - IP: 4 or 16 octets in a SAN; 8 or 32 octets (address + mask) in a
 *    name constraint;
 *  - DIRECTORY_NAME: the whole Name element (SEQUENCE header included),
 *    so it can be given to tsvc__name_equal() and friends;
 *  - OTHER_NAME: the contents of [0] (type-id OID element + [0] value);
 *  - REGISTERED_ID: the OID contents octets;
 *  - X400, EDI_PARTY: the contents octets, raw.
 * @c element is the whole GeneralName element as encoded.
 */
typedef struct tsvc__x509_gname {
    tsvc_general_name_type type;
    tsvc__cbs value;
    tsvc__cbs element;
} tsvc__x509_gname;

/** One extension as encoded. */
typedef struct tsvc__x509_ext {
    tsvc__cbs oid;   /* extnID contents octets */
    bool critical;
    tsvc__cbs value; /* extnValue OCTET STRING contents */
    bool understood; /* this layer decodes it (see the typed fields below) */
} tsvc__x509_ext;

/** One attribute (AttributeTypeAndValue) of a distinguished name. */
typedef struct tsvc__x509_attr {
    tsvc__cbs type;   /* OID contents octets */
    uint32_t tag;     /* tag of the value (e.g. TSVC__TAG_UTF8_STRING) */
    tsvc__cbs value;  /* contents octets of the value */
    tsvc__cbs element; /* the whole value element */
    size_t rdn;       /* index of its RDN, 0 = first in encoding order */
} tsvc__x509_attr;

typedef struct tsvc__x509_basic_constraints {
    bool present, critical;
    bool ca;
    int64_t path_len; /* -1 when absent */
} tsvc__x509_basic_constraints;

typedef struct tsvc__x509_key_usage {
    bool present, critical;
    uint32_t bits; /* TSVC_KU_* (bit i = ASN.1 bit i) */
} tsvc__x509_key_usage;

typedef struct tsvc__x509_oid_list {
    bool present, critical;
    tsvc__cbs *oids; /* OID contents octets */
    size_t num;
} tsvc__x509_oid_list;

typedef struct tsvc__x509_gname_list {
    bool present, critical;
    tsvc__x509_gname *names;
    size_t num;
} tsvc__x509_gname_list;

/**
 * nameConstraints. Only subtrees with minimum 0 and no maximum are
 * accepted (RFC 5280 §4.2.1.10); others fail parsing.
 */
typedef struct tsvc__x509_name_constraints {
    bool present, critical;
    tsvc__x509_gname *permitted; /* the base of each subtree */
    size_t num_permitted;
    tsvc__x509_gname *excluded;
    size_t num_excluded;
} tsvc__x509_name_constraints;

typedef struct tsvc__x509_policy {
    tsvc__cbs oid;        /* policyIdentifier contents octets */
    tsvc__cbs qualifiers; /* SEQUENCE OF PolicyQualifierInfo element, len 0 if absent */
} tsvc__x509_policy;

typedef struct tsvc__x509_policies {
    bool present, critical;
    tsvc__x509_policy *items; /* no OID twice (refused at parse) */
    size_t num;
} tsvc__x509_policies;

typedef struct tsvc__x509_policy_mapping {
    tsvc__cbs issuer_domain;  /* OID contents octets */
    tsvc__cbs subject_domain; /* OID contents octets */
} tsvc__x509_policy_mapping;

typedef struct tsvc__x509_policy_mappings {
    bool present, critical;
    tsvc__x509_policy_mapping *items;
    size_t num;
} tsvc__x509_policy_mappings;

typedef struct tsvc__x509_policy_constraints {
    bool present, critical;
    int64_t require_explicit_policy; /* -1 when absent */
    int64_t inhibit_policy_mapping;  /* -1 when absent */
} tsvc__x509_policy_constraints;

typedef struct tsvc__x509_inhibit_any_policy {
    bool present, critical;
    int64_t skip_certs;
} tsvc__x509_inhibit_any_policy;

typedef struct tsvc__x509_aki {
    bool present, critical;
    bool has_key_id;
    tsvc__cbs key_id;       /* keyIdentifier octets */
    bool has_issuer;
    tsvc__cbs issuer;       /* authorityCertIssuer: GeneralNames contents */
    bool has_serial;
    tsvc__cbs serial;       /* authorityCertSerialNumber INTEGER contents */
} tsvc__x509_aki;

typedef struct tsvc__x509_ski {
    bool present, critical;
    tsvc__cbs key_id;
} tsvc__x509_ski;

/** One DistributionPoint of cRLDistributionPoints. */
typedef struct tsvc__x509_dist_point {
    tsvc__cbs element;            /* the whole DistributionPoint element */
    bool has_full_name;
    tsvc__cbs full_name;          /* GeneralNames contents */
    bool has_relative_name;
    tsvc__cbs relative_name;      /* RelativeDistinguishedName contents (SET OF) */
    bool has_reasons;
    uint64_t reasons;             /* ReasonFlags, bit i = ASN.1 bit i */
    bool has_crl_issuer;
    tsvc__cbs crl_issuer;         /* GeneralNames contents */
} tsvc__x509_dist_point;

typedef struct tsvc__x509_crl_dps {
    bool present, critical;
    tsvc__x509_dist_point *points;
    size_t num;
    char **uris; /* every uniformResourceIdentifier of every fullName, NUL-terminated */
    size_t num_uris;
} tsvc__x509_crl_dps;

typedef struct tsvc__x509_aia {
    bool present, critical;
    char **ocsp; /* id-ad-ocsp URIs, NUL-terminated */
    size_t num_ocsp;
    char **ca_issuers; /* id-ad-caIssuers URIs, NUL-terminated */
    size_t num_ca_issuers;
} tsvc__x509_aia;

typedef struct tsvc__x509_raw_ext {
    bool present, critical;
    tsvc__cbs value; /* extnValue contents (for qcStatements: the SEQUENCE element) */
} tsvc__x509_raw_ext;

/* ------------------------------------------------------------------ */
/* The certificate                                                     */
/* ------------------------------------------------------------------ */

/**
 * A parsed certificate. Every tsvc__cbs points into @c der, which the
 * certificate owns. Immutable after parsing except @c refs and the
 * once-written @c der_digest.
 */
struct tsvc_cert {
    const tsvc_ctx *ctx;   /* allocator; must outlive the certificate */
    atomic_size_t refs;
    uint8_t *der;          /* owned copy of the whole Certificate DER */
    size_t der_len;

    tsvc__cbs tbs;         /* TBSCertificate element, exactly as encoded (signed bytes) */
    tsvc__cbs sigalg;      /* outer signatureAlgorithm element (== TBS signature, bytewise) */
    tsvc__sig_params sig_params; /* scheme TSVC_SIG_NONE if the algorithm is unknown */
    tsvc_status sigalg_status;   /* TSVC_OK, or why tsvc__sigalg_parse refused it */
    tsvc__cbs sig_value;   /* signatureValue BIT STRING bytes (0 unused bits) */

    unsigned version;      /* 1, 2 or 3 */
    tsvc__cbs serial;      /* serialNumber INTEGER contents (two's complement, as encoded) */
    tsvc__cbs issuer;      /* issuer Name element (SEQUENCE header included) */
    tsvc__cbs subject;     /* subject Name element */
    int64_t not_before;    /* seconds since the epoch */
    int64_t not_after;
    tsvc__cbs spki;        /* SubjectPublicKeyInfo element */
    tsvc_pubkey *pubkey;   /* owned reference; NULL if the key algorithm is not supported */
    tsvc_status pubkey_status; /* TSVC_OK, or why the key is NULL */
    bool has_issuer_uid, has_subject_uid;
    tsvc__cbs issuer_uid, subject_uid; /* BIT STRING bytes */

    tsvc__x509_ext *exts;  /* every extension in encoding order */
    size_t num_exts;

    uint32_t flags;        /* TSVC_CERT_FLAG_* */
    bool self_issued;      /* issuer and subject match per tsvc__name_equal() */

    tsvc__x509_basic_constraints bc;
    tsvc__x509_key_usage ku;
    tsvc__x509_oid_list eku;
    tsvc__x509_gname_list san;
    tsvc__x509_gname_list ian;
    tsvc__x509_name_constraints nc;
    tsvc__x509_policies policies;
    tsvc__x509_policy_mappings mappings;
    tsvc__x509_policy_constraints pc;
    tsvc__x509_inhibit_any_policy inhibit_any;
    tsvc__x509_aki aki;
    tsvc__x509_ski ski;
    tsvc__x509_crl_dps crldp;
    tsvc__x509_aia aia;
    tsvc__x509_raw_ext qc_statements;

    /* SHA-256 of @c der, made on first need (tsvc__cert_sha256: the
     * verified-signature cache, ESSCertIDv2): @c der_digest is written once,
     * by the thread that moves @c der_digest_state from 0 to 1, and read
     * only after loading 2 (acquire). The one lazily filled field. */
    atomic_int der_digest_state;
    uint8_t der_digest[TSVC__SIGCACHE_KEY_SIZE];
};

/* ------------------------------------------------------------------ */
/* Certificates                                                        */
/* ------------------------------------------------------------------ */

/**
 * Parses one DER certificate (no PEM), copying it. Input size and DER
 * depth are checked against the context's limits.
 */
tsvc_status tsvc__cert_parse_der(const tsvc_ctx *ctx, tsvc_cert **out, const uint8_t *der,
                                 size_t len, tsvc_error **err);

/** The extension with this OID (contents octets), or NULL. */
const tsvc__x509_ext *tsvc__cert_find_ext(const tsvc_cert *cert, const uint8_t *oid,
                                          size_t oid_len);

/** True if the EKU extension is absent, or lists @p oid or anyExtendedKeyUsage. */
bool tsvc__cert_eku_allows(const tsvc_cert *cert, const uint8_t *oid, size_t oid_len);

/**
 * Checks that @p child's signature verifies with @p issuer_pubkey over its
 * exact TBS bytes. TSVC_OK, TSVC_ERR_SIGNATURE_INVALID, TSVC_ERR_ALGORITHM
 * (unknown signature algorithm), TSVC_ERR_KEY_MISMATCH, TSVC_ERR_NO_BACKEND.
 * A success is remembered in the context's verified-signature cache (see
 * TSVC_LIMIT_SIG_CACHE_ENTRIES), keyed by SHA-256(SHA-256(child DER) ||
 * issuer SPKI DER); a later call with the same certificate bytes and key
 * returns TSVC_OK without asking a backend. Failures are never cached.
 */
tsvc_status tsvc__cert_verify_signed_by(const tsvc_ctx *ctx, const tsvc_cert *child,
                                        const tsvc_pubkey *issuer_pubkey, tsvc_error **err);

/**
 * SHA-256 of the whole certificate DER into @p out (32 bytes), computed
 * through @p ctx's backends on first use and kept in the certificate
 * (safe from any thread).
 */
tsvc_status tsvc__cert_sha256(const tsvc_ctx *ctx, const tsvc_cert *cert,
                              uint8_t out[TSVC__SIGCACHE_KEY_SIZE], tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Distinguished names                                                 */
/* ------------------------------------------------------------------ */

/**
 * Splits a Name element into its attributes (encoding order), allocated
 * with tsvc__alloc(ctx) into *out (free with tsvc__free; NULL when empty).
 * TSVC_ERR_NAME when malformed (empty RDN, bad AttributeTypeAndValue).
 */
tsvc_status tsvc__name_parse(const tsvc_ctx *ctx, const tsvc__cbs *name, tsvc__x509_attr **out,
                             size_t *num, tsvc_error **err);

/** Checks the structure of a Name element (as tsvc__name_parse, no allocation). */
tsvc_status tsvc__name_check(const tsvc__cbs *name, tsvc_error **err);

/** True if the Name element has no RDN (SEQUENCE {}). */
bool tsvc__name_is_empty(const tsvc__cbs *name);

/**
 * RFC 5280 §7.1 comparison of two Name elements: same number of RDNs,
 * each RDN the same set of attributes (any order within the RDN), each
 * value equal after, for PrintableString, UTF8String, BMPString and
 * UniversalString (the DirectoryString types, mixed too), the RFC 4518 mapping
 * (characters mapped to nothing or to SPACE), case folding of ASCII,
 * Latin-1, Latin Extended-A, Greek, Cyrillic and full-width ASCII, removal
 * of leading/trailing spaces and folding of inner runs of spaces to one
 * (RFC 4518, without full NFKC); other string types, and values that are
 * not valid encodings of their type, compare tag and bytes. Malformed
 * names are equal only when byte-identical.
 */
bool tsvc__name_equal(const tsvc__cbs *a, const tsvc__cbs *b);

/** Same on raw bytes (Name elements). */
bool tsvc__name_equal_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/**
 * A 64-bit hash of a Name element that names equal per tsvc__name_equal()
 * share (the folded values of each RDN's attributes, in any order within
 * the RDN). Unequal names may collide: compare with tsvc__name_equal().
 */
uint64_t tsvc__name_hash(const tsvc__cbs *name);

/**
 * True if @p name lies within the directoryName subtree @p base: the RDNs
 * of @p base are a prefix of those of @p name (compared as in
 * tsvc__name_equal). An empty base matches every name.
 */
bool tsvc__name_in_subtree(const tsvc__cbs *name, const tsvc__cbs *base);

/**
 * RFC 4514 text of a Name element, NUL-terminated in @p out (len excludes
 * the NUL): last RDN first, ',' between RDNs, '+' inside one, short names
 * for common attribute types else dotted OIDs, values escaped, values of
 * non-string types as '#' + hex of the whole element.
 */
tsvc_status tsvc__name_to_text(const tsvc_ctx *ctx, const tsvc__cbs *name, tsvc_buf *out,
                               tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Name constraints and host matching                                  */
/* ------------------------------------------------------------------ */

/** Outcome of matching one name against one constraint subtree. */
typedef enum tsvc__nc_result {
    TSVC__NC_NO_MATCH = 0,
    TSVC__NC_MATCH = 1,
    /** The name or the constraint is malformed: treat as a violation
     *  whether the subtree is permitted or excluded. */
    TSVC__NC_MALFORMED = -1
} tsvc__nc_result;

/**
 * dNSName constraint: matches when @p name equals the constraint or ends
 * with "." + constraint (label boundary), ASCII case-insensitive. A
 * constraint with a leading '.' matches only proper subdomains. An empty
 * constraint matches every name.
 */
tsvc__nc_result tsvc__x509_nc_dns(const tsvc__cbs *name, const tsvc__cbs *constraint);

/**
 * For a wildcard dNSName "*.R" and a dNSName constraint: true if some
 * host the wildcard stands for (one label in place of the "*") lies in the
 * constraint's subtree although the literal name does not, i.e. the
 * constraint is "L.R" for a single label L (case-insensitive, trailing
 * dots ignored). An excluded subtree must refuse such a wildcard
 * (CVE-2025-61727); a literal match is tsvc__x509_nc_dns()'s.
 */
bool tsvc__x509_dns_wildcard_reaches(const tsvc__cbs *name, const tsvc__cbs *constraint);

/**
 * rfc822Name constraint (RFC 5280 §4.2.1.10): "user@host" matches that
 * mailbox (local part case-sensitive, host case-insensitive); "host"
 * matches every mailbox at exactly that host; ".domain" matches mailboxes
 * at any host under that domain. @p name is a mailbox "local@host".
 */
tsvc__nc_result tsvc__x509_nc_email(const tsvc__cbs *name, const tsvc__cbs *constraint);

/**
 * iPAddress constraint: @p name is 4 or 16 octets, @p constraint 8 or 32
 * (address then mask; the mask must be contiguous ones then zeros).
 * Different address families do not match.
 */
tsvc__nc_result tsvc__x509_nc_ip(const tsvc__cbs *name, const tsvc__cbs *constraint);

/**
 * uniformResourceIdentifier constraint: the host part of the URI (no
 * userinfo, no port) is compared like a DNS name with the constraint
 * (".domain" = proper subdomains only, "host" = that host exactly). A URI
 * without a host, or with an IP-literal host, is MALFORMED.
 */
tsvc__nc_result tsvc__x509_nc_uri(const tsvc__cbs *name, const tsvc__cbs *constraint);

/** directoryName constraint: tsvc__name_in_subtree(). */
tsvc__nc_result tsvc__x509_nc_dn(const tsvc__cbs *name, const tsvc__cbs *constraint);

/**
 * Dispatches on the type: when the types differ the result is
 * TSVC__NC_NO_MATCH (the constraint does not apply). Types without a
 * matching rule (otherName, x400, ediParty, registeredID) compare the
 * encodings bytewise.
 */
tsvc__nc_result tsvc__x509_nc_match(const tsvc__x509_gname *name,
                                    const tsvc__x509_gname *constraint);

/**
 * RFC 6125 §6.4 server identity match of one dNSName @p pattern against a
 * reference host name: ASCII case-insensitive (A-labels compare as
 * ASCII), one trailing dot on the host ignored, a wildcard only as the
 * whole left-most label ("*.example.com"), matching exactly one label,
 * and never when the rest has fewer than two labels ("*.com" refused).
 * IP-address hosts never match a DNS pattern.
 */
bool tsvc__x509_host_match(const uint8_t *pattern, size_t pattern_len, const char *host,
                           size_t host_len);

/**
 * True if @p host (a DNS name, or a dotted IPv4 / RFC 4291 text IPv6
 * address) matches a dNSName (resp. iPAddress) of the certificate's SAN.
 * The subject CN is never consulted.
 */
bool tsvc__cert_match_host(const tsvc_cert *cert, const char *host, size_t host_len);

/**
 * Parses a text IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1") address into
 * @p out (4 or 16 bytes, *out_len set). False if it is neither.
 */
bool tsvc__x509_parse_ip(const char *text, size_t len, uint8_t out[16], size_t *out_len);

/**
 * Parses GeneralNames contents (a SEQUENCE OF's contents) into an array,
 * validating each name (IA5 strings 7-bit without NUL; SAN IPs 4/16
 * octets unless @p in_constraint, then 8/32 with a contiguous mask;
 * directoryName structure). Used for SAN, IAN, AKI issuer, CRL DP names.
 */
tsvc_status tsvc__x509_parse_general_names(const tsvc_ctx *ctx, const tsvc__cbs *contents,
                                           bool in_constraint, tsvc__x509_gname **out,
                                           size_t *num, tsvc_error **err);

/** Parses one GeneralName element at the cursor (no allocation). */
tsvc_status tsvc__x509_parse_general_name(tsvc__cbs *cbs, bool in_constraint,
                                          tsvc__x509_gname *out, tsvc_error **err);

/* ------------------------------------------------------------------ */
/* Encoding, shared by the certificate and request builders           */
/* ------------------------------------------------------------------ */

/** Checks that @p der is exactly one DER Name. */
tsvc_status tsvc__x509_check_name_der(const uint8_t *der, size_t len, tsvc_error **err);

/** Replaces @p name with the DER of RFC 4514 @p text; unchanged on failure. */
tsvc_status tsvc__x509_set_name_text(const tsvc_ctx *ctx, tsvc_buf *name, const char *text,
                                     tsvc_error **err);

/** Replaces @p name with a copy of the DER Name @p der; unchanged on failure. */
tsvc_status tsvc__x509_set_name_der(const tsvc_ctx *ctx, tsvc_buf *name, const uint8_t *der,
                                    size_t len, tsvc_error **err);

/** True if @p v is non-empty printable ASCII (0x20..0x7e). */
bool tsvc__x509_printable_ascii(const uint8_t *v, size_t len);

/**
 * Encodes one GeneralName element (DNS, email, URI, IP or directoryName)
 * into @p out. Errors are TSVC_ERR_INVALID_ARG under @p check; @p where is
 * appended to the message for an unsupported type.
 */
tsvc_status tsvc__x509_encode_general_name(const tsvc_ctx *ctx, tsvc_buf *out,
                                           tsvc_general_name_type type, const uint8_t *value,
                                           size_t len, const char *check, const char *where,
                                           tsvc_error **err);

/** Opens an Extension (extnID, critical if set) and its extnValue OCTET STRING. */
void tsvc__x509_ext_open(tsvc__cbb *cbb, const uint8_t *oid, size_t oid_len, bool critical);

/** Closes what tsvc__x509_ext_open() opened. */
void tsvc__x509_ext_close(tsvc__cbb *cbb);

/**
 * Adds a subjectAltName extension holding the encoded GeneralName
 * elements @p sans, critical when @p subject is an empty Name.
 */
void tsvc__x509_encode_san_ext(tsvc__cbb *cbb, const tsvc_buf *subject, const tsvc_buf *sans,
                               size_t num_sans);

#endif /* TSVC_X509_X509_H */
