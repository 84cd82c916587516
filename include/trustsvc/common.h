/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file common.h
 * @brief Library initialisation, version, status codes, error detail, byte
 *        buffers, allocator hooks and the library context.
 *
 * Thread safety: tsvc_init() may be called from any thread, any number of
 * times. A ::tsvc_ctx is configured by one thread and may then be shared,
 * read-only, by many threads: the setters are not safe to call while other
 * threads use the context. The one part of a context that changes while it
 * is shared is its verified-signature cache (::TSVC_LIMIT_SIG_CACHE_ENTRIES),
 * which is guarded by a lock of its own. ::tsvc_error and ::tsvc_buf values
 * belong to the thread that received them.
 */
#ifndef TRUSTSVC_COMMON_H
#define TRUSTSVC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Marks a symbol exported from the shared library. */
#if defined(TSVC_BUILDING_LIBRARY) && defined(__GNUC__)
#define TSVC_API __attribute__((visibility("default")))
#else
#define TSVC_API
#endif

/** @brief Marks a function whose result must not be ignored. */
#if defined(__GNUC__)
#define TSVC_NODISCARD __attribute__((warn_unused_result))
#else
#define TSVC_NODISCARD
#endif

/** @brief Major version of the headers. @since 0.1 */
#define TSVC_VERSION_MAJOR 0
/** @brief Minor version of the headers. @since 0.1 */
#define TSVC_VERSION_MINOR 1
/** @brief Patch version of the headers. @since 0.1 */
#define TSVC_VERSION_PATCH 0
/** @brief Version as one number: major * 10000 + minor * 100 + patch. @since 0.1 */
#define TSVC_VERSION_NUMBER 100
/** @brief Version as text. @since 0.1 */
#define TSVC_VERSION_STRING "0.1.0"

/**
 * @brief Status returned by every fallible function.
 *
 * ::TSVC_OK is zero and every error is negative. Values are grouped in
 * families of one hundred (see tsvc_status_family()); they are never
 * renumbered nor reused.
 *
 * @since 0.1
 */
typedef enum tsvc_status {
    TSVC_OK = 0, /**< Success. */

    /* General family: -1 .. -99 */
    TSVC_ERR_INVALID_ARG = -1,     /**< A parameter is NULL or out of range. */
    TSVC_ERR_NOMEM = -2,           /**< Memory allocation failed. */
    TSVC_ERR_UNSUPPORTED = -3,     /**< Feature or algorithm not supported. */
    TSVC_ERR_INTERNAL = -4,        /**< Internal invariant broken (a bug). */
    TSVC_ERR_NOT_INITIALISED = -5, /**< tsvc_init() failed or was not called. */
    TSVC_ERR_BAD_VERSION = -6,     /**< Unknown options-structure version. */
    TSVC_ERR_STATE = -7,           /**< Call not allowed in the object's state. */
    TSVC_ERR_CLOCK = -8,           /**< The clock callback failed. */
    TSVC_ERR_IO = -9,              /**< Reading or writing a file failed. */
    TSVC_ERR_NOT_FOUND = -10,      /**< The requested item is not present. */

    /* Limit family: -100 .. -199 */
    TSVC_ERR_LIMIT_INPUT_SIZE = -100,    /**< Input larger than the context's limit. */
    TSVC_ERR_LIMIT_DER_DEPTH = -101,     /**< DER nesting deeper than the limit. */
    TSVC_ERR_LIMIT_CHAIN_DEPTH = -102,   /**< Certificate chain longer than the limit. */
    TSVC_ERR_LIMIT_SIG_CHECKS = -103,    /**< Too many signature checks in one operation. */
    TSVC_ERR_LIMIT_PATH_ATTEMPTS = -104, /**< Too many path-building candidates tried. */
    TSVC_ERR_LIMIT_NC_COMPARISONS = -105, /**< Too many name-constraint comparisons. */
    TSVC_ERR_LIMIT_COUNT = -106,         /**< Too many elements of some kind. */

    /* Encoding family (DER, BER, PEM, base64, OID, time): -200 .. -299 */
    TSVC_ERR_DER_TRUNCATED = -200,     /**< A length runs past the end of the input. */
    TSVC_ERR_DER_LENGTH = -201,        /**< Non-minimal, long-form-below-128 or 5+ octet length. */
    TSVC_ERR_DER_INDEFINITE = -202,    /**< Indefinite length (BER only). */
    TSVC_ERR_DER_TAG = -203,           /**< Unexpected or malformed tag. */
    TSVC_ERR_DER_BOOLEAN = -204,       /**< BOOLEAN other than 00 or FF. */
    TSVC_ERR_DER_INTEGER = -205,       /**< Empty, non-minimal or out-of-range INTEGER. */
    TSVC_ERR_DER_BIT_STRING = -206,    /**< Bad BIT STRING padding. */
    TSVC_ERR_DER_SET_ORDER = -207,     /**< SET OF elements not in DER order. */
    TSVC_ERR_DER_OID = -208,           /**< Malformed or over-long OBJECT IDENTIFIER. */
    TSVC_ERR_DER_TIME = -209,          /**< Malformed UTCTime or GeneralizedTime. */
    TSVC_ERR_DER_TRAILING = -210,      /**< Data after the end of the value. */
    TSVC_ERR_DER_CONSTRUCTED = -211,   /**< Constructed encoding where DER demands primitive. */
    TSVC_ERR_DER_STRING = -212,        /**< Malformed character string. */
    TSVC_ERR_PEM = -220,               /**< Malformed PEM armour. */
    TSVC_ERR_BASE64 = -221,            /**< Malformed base64. */
    TSVC_ERR_BER = -222,               /**< Malformed BER that cannot be normalised. */

    /* Crypto family: -300 .. -399 */
    TSVC_ERR_NO_BACKEND = -300,        /**< No registered backend can do the operation. */
    TSVC_ERR_BACKEND = -301,           /**< A backend reported a failure. */
    TSVC_ERR_ALGORITHM = -302,         /**< Unknown or unacceptable algorithm. */
    TSVC_ERR_KEY_FORMAT = -303,        /**< Key encoding not understood. */
    TSVC_ERR_KEY_SIZE = -304,          /**< Key size outside the allowed range. */
    TSVC_ERR_KEY_MISMATCH = -305,      /**< Key does not fit the algorithm or operation. */
    TSVC_ERR_SIGNATURE_INVALID = -306, /**< The signature does not verify. */
    TSVC_ERR_RANDOM = -307,            /**< The random generator failed. */
    TSVC_ERR_BACKEND_VERSION = -308,   /**< Backend table too old or malformed. */
    TSVC_ERR_BUFFER_TOO_SMALL = -309,  /**< Output buffer too small. */

    /* Certificate family: -400 .. -499 */
    TSVC_ERR_CERT_FORMAT = -400,        /**< Malformed certificate. */
    TSVC_ERR_CERT_VERSION = -401,       /**< Bad version, or extensions in a v1/v2 certificate. */
    TSVC_ERR_CERT_SIGALG_MISMATCH = -402, /**< Inner and outer signature algorithms differ. */
    TSVC_ERR_CERT_DUPLICATE_EXTENSION = -403, /**< The same extension appears twice. */
    TSVC_ERR_CERT_EXTENSION = -404,     /**< Malformed certificate extension. */
    TSVC_ERR_NAME = -405,               /**< Malformed distinguished name or general name. */
    /* @@x509-codes@@ */

    /* Path and store family: -500 .. -599 */
    TSVC_ERR_STORE_FROZEN = -500,       /**< The store is frozen and can no longer be changed. */
    TSVC_ERR_ANCHOR_FINGERPRINT = -501, /**< A pinned anchor does not match its fingerprint. */
    TSVC_ERR_POLICY_FROZEN = -502,      /**< The policy is in use and can no longer be changed. */
    TSVC_ERR_PEER_NAME = -503,          /**< Malformed peer name (DNS, IP or e-mail). */
    /* @@path-codes@@ */

    /* Revocation family (CRL, OCSP): -600 .. -699 */
    TSVC_ERR_CRL_FORMAT = -600, /**< Malformed certificate revocation list. */
    TSVC_ERR_CRL_ISSUER = -601, /**< The CRL was not issued by the certificate's issuer (name or key differ). */
    TSVC_ERR_CRL_KEY_USAGE = -602, /**< The CRL issuer's keyUsage lacks cRLSign. */
    TSVC_ERR_CRL_SIGNATURE = -603, /**< The CRL signature does not verify with the issuer's key. */
    TSVC_ERR_CRL_EXPIRED = -604, /**< The CRL's nextUpdate is before the validation time. */
    TSVC_ERR_CRL_NOT_YET_VALID = -605, /**< The CRL's thisUpdate is after the validation time. */
    TSVC_ERR_CRL_UNKNOWN_CRITICAL = -606, /**< The CRL or one of its entries has an unknown critical extension. */
    TSVC_ERR_CRL_INDIRECT = -607, /**< The indirect CRL cannot be used (certificateIssuer without indirectCRL, or a profile that forbids indirect CRLs). */
    TSVC_ERR_CRL_DELTA = -608, /**< The delta CRL cannot be used (no complete CRL of the same scope and number range, or it does not verify). */
    TSVC_ERR_CRL_SCOPE = -609, /**< The CRL's issuingDistributionPoint does not cover the certificate. */
    TSVC_ERR_CRL_NUMBER = -610, /**< The cRLNumber extension is missing, critical or malformed. */
    TSVC_ERR_CRL_DUPLICATE_ENTRY = -611, /**< The same serial number is listed twice in a CRL. */
    TSVC_ERR_CRL_STALE = -612, /**< The CRL is older than the policy's maximum age. */
    TSVC_ERR_OCSP_FORMAT = -620, /**< Malformed OCSP request or response. */
    TSVC_ERR_OCSP_STATUS = -621, /**< The OCSP responseStatus is not successful (see the message). */
    TSVC_ERR_OCSP_RESPONDER = -622, /**< The OCSP responder is not authorised (not the CA, nor a delegate with id-kp-OCSPSigning). */
    TSVC_ERR_OCSP_RESPONDER_ID = -623, /**< No certificate matches the OCSP responderID. */
    TSVC_ERR_OCSP_SIGNATURE = -624, /**< The OCSP response signature does not verify. */
    TSVC_ERR_OCSP_CERT_MISMATCH = -625, /**< The OCSP response is about a different certificate. */
    TSVC_ERR_OCSP_NONCE = -626, /**< The OCSP response does not echo the request's nonce. */
    TSVC_ERR_OCSP_STALE = -627, /**< The OCSP response is too old (nextUpdate passed or older than the maximum age). */
    TSVC_ERR_OCSP_NOT_YET_VALID = -628, /**< The OCSP response's producedAt or thisUpdate is after the validation time. */
    TSVC_ERR_OCSP_UNKNOWN_CRITICAL = -629, /**< The OCSP response has an unknown critical extension. */
    TSVC_ERR_FETCH = -640, /**< The fetch callback failed or is not set. */
    /* @@revoke-codes@@ */

    /* CMS and signature family: -700 .. -799 */
    TSVC_ERR_CMS_FORMAT = -700, /**< Malformed CMS structure. */
    TSVC_ERR_CMS_CONTENT_TYPE = -701, /**< Not a SignedData, or an unexpected content type. */
    TSVC_ERR_CMS_VERSION = -702, /**< Unsupported SignedData or SignerInfo version. */
    TSVC_ERR_CMS_NO_CONTENT = -703, /**< Detached signature but no content given, or content given twice. */
    TSVC_ERR_CMS_ATTRIBUTE = -704, /**< Malformed, duplicated or missing CMS attribute. */
    TSVC_ERR_CMS_SIGNER_INDEX = -705, /**< No SignerInfo at that index. */
    TSVC_ERR_SIGNER_CERT = -710, /**< The signer certificate does not fit the key or the signature profile. */
    TSVC_ERR_SIGNER_STATE = -711, /**< Signer call out of order (e.g. update after finish). */
    TSVC_ERR_ALGORITHM_POLICY = -712, /**< An algorithm or key size is refused by the algorithm policy. */
    TSVC_ERR_SEAL_CERT = -720, /**< The certificate is not an organisation's seal certificate. */
    TSVC_ERR_ORG_IDENTIFIER = -721, /**< Malformed organizationIdentifier, or a corporate number with a wrong check digit. */
    TSVC_ERR_ADES_LEVEL = -730, /**< The signature lacks the level an upgrade builds on (e.g. B-LT without a signature time-stamp). */
    TSVC_ERR_ADES_VALIDATION_DATA = -731, /**< Validation data (a certificate chain, CRL or OCSP response) could not be gathered for a long-term level. */
    /* @@cms-codes@@ */

    /* Time-stamp family: -800 .. -899 */
    TSVC_ERR_TSP_FORMAT = -800, /**< Malformed TimeStampReq, TimeStampResp or TSTInfo. */
    TSVC_ERR_TSP_VERSION = -801, /**< Unsupported TimeStampReq or TSTInfo version. */
    TSVC_ERR_TSP_NOT_GRANTED = -802, /**< The time-stamp response was not granted (rejection, waiting or revocation; see its status and failInfo). */
    TSVC_ERR_TSP_NO_TOKEN = -803, /**< The time-stamp response carries no token, or the token holds no TSTInfo. */
    TSVC_ERR_TSP_HASH = -804, /**< Message-imprint hash algorithm unknown or not accepted, or a digest of the wrong length. */
    TSVC_ERR_TSA_CERT = -810, /**< The TSA certificate lacks a critical extendedKeyUsage holding only id-kp-timeStamping, or does not fit the key. */
    TSVC_ERR_TSA_POLICY = -811, /**< Malformed or missing TSA policy OID. */
    TSVC_ERR_TSA_SERIAL = -812, /**< The serial-number source failed or gave an unusable number. */
    /* @@tsp-codes@@ */

    /* Key store and HSM family (PKCS#11, signature activation): -900 .. -999 */
    TSVC_ERR_PKCS11_MODULE = -900, /**< The PKCS#11 module cannot be loaded or initialised (missing file, not a PKCS#11 module, no C_GetFunctionList). */
    TSVC_ERR_PKCS11_URI = -901, /**< Malformed or unsupported PKCS#11 URI (RFC 7512). */
    TSVC_ERR_PKCS11_TOKEN_NOT_FOUND = -902, /**< No token matches the URI. */
    TSVC_ERR_PKCS11_OBJECT_NOT_FOUND = -903, /**< No key object matches the URI on the token. */
    TSVC_ERR_PKCS11_AMBIGUOUS = -904, /**< Several key objects match the URI. */
    TSVC_ERR_PKCS11_PIN_INCORRECT = -905, /**< The token refused the PIN. */
    TSVC_ERR_PKCS11_PIN_LOCKED = -906, /**< The token's user PIN is locked or expired. */
    TSVC_ERR_PKCS11_PIN_REQUIRED = -907, /**< The token needs a login and no PIN source was given. */
    TSVC_ERR_PKCS11_MECHANISM = -908, /**< The token does not offer the mechanism the operation needs. */
    TSVC_ERR_PKCS11_DEVICE = -909, /**< The token or module reported a failure (see the message for the CKR_ code). */
    TSVC_ERR_PKCS11_TOKEN_STATUS = -910, /**< The token's certification status (historical, revoked) forbids the operation. */
    TSVC_ERR_KEY_ASSURANCE = -920, /**< The key does not meet the assurance the policy requires (HSM, non-extractable, certified token, activation). */
    TSVC_ERR_ACTIVATION_REFUSED = -930, /**< The key's signature-activation callback refused the operation. */
    TSVC_ERR_CSR_FORMAT = -950, /**< Malformed PKCS#10 certificate request. */
    TSVC_ERR_CSR_SIGNATURE = -951, /**< The certificate request's signature does not verify with its own key. */
    /* @@pkcs11-codes@@ */
} tsvc_status;

/**
 * @brief Returns a static English description of a status code.
 * @param status any value (unknown values give "unknown status").
 * @return a string that lives as long as the program. Never NULL.
 * @since 0.1
 */
TSVC_API const char *tsvc_status_str(int status);

/**
 * @brief Returns the family of a status: 0 for ::TSVC_OK, otherwise the
 *        negative multiple of one hundred that starts its family
 *        (-1 .. -99 map to 0 as well: the general family).
 * @param status a status code.
 * @return the family's first code, e.g. -200 for every encoding error.
 * @since 0.1
 */
TSVC_API int tsvc_status_family(int status);

/**
 * @brief Initialises the library. Idempotent and thread-safe; every other
 *        function calls it when needed, so calling it is optional.
 * @return ::TSVC_OK, or ::TSVC_ERR_NOT_INITIALISED if a backend's own
 *         initialisation failed.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_init(void);

/**
 * @brief Version of the library that is running, as text ("0.1.0").
 * @return a static string.
 * @since 0.1
 */
TSVC_API const char *tsvc_version_str(void);

/**
 * @brief Version of the library that is running, as ::TSVC_VERSION_NUMBER.
 * @return major * 10000 + minor * 100 + patch.
 * @since 0.1
 */
TSVC_API unsigned tsvc_version_num(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/**
 * @brief Detail of a failure: code, message, failing check and byte offset.
 *
 * Returned through the optional last parameter `tsvc_error **err` of a
 * fallible function. The caller owns it and releases it with
 * tsvc_error_free(). On success `*err` is left untouched.
 * @since 0.1
 */
typedef struct tsvc_error tsvc_error;

/**
 * @brief The status code of an error.
 * @param err an error, or NULL (gives ::TSVC_OK).
 * @return the status.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_error_code(const tsvc_error *err);

/**
 * @brief The human-readable message of an error. Never contains secrets.
 * @param err an error, or NULL (gives "").
 * @return a string borrowed from @p err.
 * @since 0.1
 */
TSVC_API const char *tsvc_error_message(const tsvc_error *err);

/**
 * @brief The name of the check that failed, if any (e.g. "der.length").
 * @param err an error, or NULL.
 * @return a string borrowed from @p err, or NULL when there is none.
 * @since 0.1
 */
TSVC_API const char *tsvc_error_check(const tsvc_error *err);

/**
 * @brief The byte offset in the input where the failure was found.
 * @param err an error, or NULL.
 * @return the offset, or -1 when none applies.
 * @since 0.1
 */
TSVC_API int64_t tsvc_error_offset(const tsvc_error *err);

/**
 * @brief Releases an error.
 * @param err an error, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_error_free(tsvc_error *err);

/* ------------------------------------------------------------------ */
/* Buffers                                                             */
/* ------------------------------------------------------------------ */

/**
 * @brief Bytes produced by the library and owned by the caller.
 *
 * Initialise with ::TSVC_BUF_INIT or tsvc_buf_init(); release with
 * tsvc_buf_dispose(), which wipes the bytes before freeing them. A buffer
 * filled by a function that failed is left empty.
 * @since 0.1
 */
typedef struct tsvc_buf {
    uint8_t *data; /**< The bytes; NULL when empty. */
    size_t len;    /**< Number of bytes in @c data. */
} tsvc_buf;

/** @brief Static initialiser of an empty ::tsvc_buf. @since 0.1 */
#define TSVC_BUF_INIT {NULL, 0}

/**
 * @brief Makes @p buf empty without freeing anything (function twin of
 *        ::TSVC_BUF_INIT).
 * @param buf the buffer to initialise.
 * @since 0.1
 */
TSVC_API void tsvc_buf_init(tsvc_buf *buf);

/**
 * @brief Wipes and frees the bytes of @p buf, and leaves it empty.
 * @param buf a buffer filled by the library, an empty buffer, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_buf_dispose(tsvc_buf *buf);

/**
 * @brief Overwrites memory with zeros in a way the compiler cannot remove.
 * @param ptr memory to wipe (may be NULL when @p len is 0).
 * @param len number of bytes.
 * @since 0.1
 */
TSVC_API void tsvc_memzero(void *ptr, size_t len);

/* ------------------------------------------------------------------ */
/* Allocator and context                                               */
/* ------------------------------------------------------------------ */

/**
 * @brief Allocator hooks for one context (zstd style).
 *
 * @c alloc returns memory aligned for any object or NULL; @c free accepts
 * NULL. Every allocation the library makes for that context, and for the
 * buffers and objects it returns, goes through these functions.
 * @since 0.1
 */
typedef struct tsvc_allocator {
    void *(*alloc)(void *opaque, size_t size); /**< Allocate @p size bytes. */
    void (*free)(void *opaque, void *ptr);     /**< Release memory from @c alloc. */
    void *opaque;                              /**< Passed to both functions. */
} tsvc_allocator;

/**
 * @brief Clock callback: writes the current time, in seconds since
 *        1970-01-01T00:00:00Z, to @p now.
 * @return ::TSVC_OK, or any error status to make the calling operation fail.
 * @since 0.1
 */
typedef tsvc_status (*tsvc_clock_fn)(void *opaque, int64_t *now);

/**
 * @brief The library context: allocator, crypto backends with priorities,
 *        limits and clock.
 * @since 0.1
 */
typedef struct tsvc_ctx tsvc_ctx;

/**
 * @brief Configurable limits of a context. Each limit, when exceeded, makes
 *        the operation fail with its own status.
 * @since 0.1
 */
typedef enum tsvc_limit {
    TSVC_LIMIT_INPUT_SIZE = 0,      /**< Largest input object, bytes (default 64 MiB). */
    TSVC_LIMIT_DER_DEPTH = 1,       /**< DER nesting depth (default 32, maximum 256). */
    TSVC_LIMIT_CHAIN_DEPTH = 2,     /**< Certificates in a path (default 8, maximum 32). */
    TSVC_LIMIT_SIG_CHECKS = 3,      /**< Signature checks per validation (default 100). */
    TSVC_LIMIT_PATH_ATTEMPTS = 4,   /**< Path-building candidates tried (default 10000). */
    TSVC_LIMIT_NC_COMPARISONS = 5,  /**< Name-constraint comparisons (default 1048576). */
    /**
     * Entries of the context's cache of verified certificate signatures
     * (default 1024, maximum 1048576; 0 disables the cache). An entry is
     * keyed by a SHA-256 digest over the issuer's SubjectPublicKeyInfo and
     * the whole certificate (TBS, signature algorithm and value), and only
     * successful verifications are kept: a certificate whose signature was
     * verified once with a key is not verified again with that key. Every
     * other check (validity, algorithm policy, extensions) runs each time,
     * and a cache hit still counts against ::TSVC_LIMIT_SIG_CHECKS. The
     * storage is allocated when the limit is set (and by tsvc_ctx_new()),
     * never during an operation. @since 0.1
     */
    TSVC_LIMIT_SIG_CACHE_ENTRIES = 6
} tsvc_limit;

/**
 * @brief Creates a context with the built-in backends registered at their
 *        default priorities, default limits and the system clock.
 * @param[out] out receives the new context; release with tsvc_ctx_free().
 * @param alloc allocator hooks to copy, or NULL for malloc/free.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ctx_new(tsvc_ctx **out, const tsvc_allocator *alloc,
                                  tsvc_error **err);

/**
 * @brief Releases a context. Objects made with it must be released first.
 * @param ctx a context, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_ctx_free(tsvc_ctx *ctx);

/**
 * @brief Sets a limit.
 * @param ctx the context.
 * @param limit which limit.
 * @param value the new value (at least 1, at most the limit's maximum; 0 is
 *        allowed for ::TSVC_LIMIT_SIG_CACHE_ENTRIES and disables the cache).
 *        Setting ::TSVC_LIMIT_SIG_CACHE_ENTRIES empties the cache and
 *        allocates its new storage.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, or ::TSVC_ERR_NOMEM (the cache
 *         storage could not be allocated; the old cache is kept).
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ctx_set_limit(tsvc_ctx *ctx, tsvc_limit limit, uint64_t value,
                                        tsvc_error **err);

/**
 * @brief Reads a limit.
 * @param ctx the context.
 * @param limit which limit.
 * @return the value, or 0 for an unknown limit or NULL context.
 * @since 0.1
 */
TSVC_API uint64_t tsvc_ctx_get_limit(const tsvc_ctx *ctx, tsvc_limit limit);

/**
 * @brief Replaces the clock.
 * @param ctx the context.
 * @param clock the callback, or NULL to restore the system clock.
 * @param opaque passed to @p clock.
 * @since 0.1
 */
TSVC_API void tsvc_ctx_set_clock(tsvc_ctx *ctx, tsvc_clock_fn clock, void *opaque);

/**
 * @brief Asks the context's clock for the current time.
 * @param ctx the context.
 * @param[out] now seconds since the Unix epoch.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK or ::TSVC_ERR_CLOCK.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_ctx_now(const tsvc_ctx *ctx, int64_t *now, tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_COMMON_H */
