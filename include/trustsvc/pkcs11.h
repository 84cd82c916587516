/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file pkcs11.h
 * @brief Keys held in hardware security modules and tokens through
 *        PKCS#11: modules loaded at run time, keys named by RFC 7512 URIs,
 *        key generation inside the token, PIN callbacks and the token's
 *        certification status.
 *
 * A key opened here is an ordinary ::tsvc_key: it signs through
 * tsvc_key_sign(), tsvc_key_sign_ex(), CSR creation and the signers, while
 * its private part never leaves the token. tsvc_key_get_info() reports
 * ::TSVC_STORAGE_HSM, the token's manufacturer, model, serial and label,
 * whether the key is sensitive and extractable, and the certification
 * status configured for the token.
 *
 * A URI looks like
 * `pkcs11:token=Signing;object=seal-2024;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin`.
 * Path attributes: token, manufacturer, model, serial, slot-id,
 * slot-description, slot-manufacturer, library-manufacturer,
 * library-description, library-version, object, id (percent-encoded
 * bytes) and type (only "private" names a signing key). Query attributes:
 * module-path, pin-source (a file, optionally as "file:" URI), pin-value.
 *
 * PINs: from the URI's pin-value, else its pin-source, else the module's
 * PIN callback. They are wiped as soon as C_Login has used them and never
 * appear in error messages. A token already logged in by this process is
 * not asked again (CKR_USER_ALREADY_LOGGED_IN is tolerated). After fork()
 * the child re-initialises the module and logs in again from the
 * pin-source or the callback (a pin-value is not kept).
 *
 * Thread safety: a module may be used by several threads at once; it
 * keeps a pool of sessions per token so that several threads sign at the
 * same time. The setters (PIN callback, certification) are meant to be
 * called before the module is shared. Keys follow the rules of crypto.h.
 * When the library was built without PKCS#11 support, every function
 * returns ::TSVC_ERR_UNSUPPORTED (see tsvc_pkcs11_available()).
 */
#ifndef TRUSTSVC_PKCS11_H
#define TRUSTSVC_PKCS11_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A loaded PKCS#11 module (a vendor's shared library); reference-counted.
 * @since 0.1
 */
typedef struct tsvc_pkcs11_module tsvc_pkcs11_module;

/**
 * @brief PIN callback: asked for a token's user PIN when a login is needed
 *        and the URI carries no PIN. It runs while the token's state is
 *        locked: it must not use the same module.
 * @param opaque the value given to tsvc_pkcs11_module_set_pin_callback().
 * @param token_label the token's label (trailing blanks removed).
 * @param token_serial the token's serial number.
 * @param context_specific 1 when the PIN is asked for one signature of a
 *        key with CKA_ALWAYS_AUTHENTICATE, else 0.
 * @param[out] pin receives the PIN (not NUL-terminated; the library wipes it after use).
 * @param pin_size size of @p pin (256).
 * @param[out] pin_len receives the PIN's length.
 * @return ::TSVC_OK, or any error to give up (the operation then fails
 *         with ::TSVC_ERR_PKCS11_PIN_REQUIRED).
 * @since 0.1
 */
typedef tsvc_status (*tsvc_pkcs11_pin_fn)(void *opaque, const char *token_label,
                                          const char *token_serial, int context_specific,
                                          char *pin, size_t pin_size, size_t *pin_len);

/**
 * @brief Whether the library was built with PKCS#11 support.
 * @return 1 if it was, else 0.
 * @since 0.1
 */
TSVC_API int tsvc_pkcs11_available(void);

/**
 * @brief Loads a PKCS#11 module with dlopen and initialises it
 *        (C_Initialize with OS locking). Loading the same library twice,
 *        from one or several contexts, initialises it once; it is
 *        finalised when the last module object using it is released.
 * @param ctx the context (allocator; must outlive the module).
 * @param[out] out receives the module; release with tsvc_pkcs11_module_free().
 * @param path file name of the module (e.g. /usr/lib/softhsm/libsofthsm2.so).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_PKCS11_MODULE (the
 *         file is missing, is not a shared library, has no
 *         C_GetFunctionList, or C_Initialize failed), ::TSVC_ERR_NOMEM,
 *         ::TSVC_ERR_UNSUPPORTED.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_module_load(tsvc_ctx *ctx, tsvc_pkcs11_module **out,
                                             const char *path, tsvc_error **err);

/**
 * @brief Takes another reference to a module.
 * @param mod the module, or NULL.
 * @return @p mod.
 * @since 0.1
 */
TSVC_API tsvc_pkcs11_module *tsvc_pkcs11_module_ref(tsvc_pkcs11_module *mod);

/**
 * @brief Drops a reference to a module. Keys opened from it hold their own
 *        references, so the module stays loaded until they are released.
 * @param mod the module, or NULL.
 * @since 0.1
 */
TSVC_API void tsvc_pkcs11_module_free(tsvc_pkcs11_module *mod);

/**
 * @brief Sets the callback asked for PINs (see ::tsvc_pkcs11_pin_fn).
 * @param mod the module.
 * @param fn the callback, or NULL to remove it.
 * @param opaque passed to @p fn.
 * @return ::TSVC_OK or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_module_set_pin_callback(tsvc_pkcs11_module *mod,
                                                         tsvc_pkcs11_pin_fn fn, void *opaque);

/**
 * @brief Records the certification of the tokens a URI matches (for
 *        example "FIPS 140-2 Level 3, certificate #4321"), with its status.
 *        Keys on those tokens report it in tsvc_key_get_info() and in the
 *        evidence of every signature; tsvc_pkcs11_key_generate() refuses a
 *        token whose status is ::TSVC_HSM_CERT_HISTORICAL or
 *        ::TSVC_HSM_CERT_REVOKED. A later call for the same URI replaces
 *        the earlier one; the first matching entry applies. Keys opened
 *        before the call keep the status they were opened with.
 * @param mod the module.
 * @param token_uri a PKCS#11 URI naming tokens ("pkcs11:token=CA;serial=1234");
 *        "pkcs11:" matches every token of the module.
 * @param status the certification status.
 * @param text the certification, NUL-terminated (copied; may be NULL).
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_PKCS11_URI, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_module_set_certification(tsvc_pkcs11_module *mod,
                                                          const char *token_uri,
                                                          tsvc_hsm_certification status,
                                                          const char *text, tsvc_error **err);

/**
 * @brief Opens the private key a URI names on a token of @p mod (the URI's
 *        module-path, if any, is ignored). Logs in when the token needs it.
 *        The public key is read from the token (the key object, the public
 *        key object or the certificate with the same CKA_ID).
 * @param mod the module.
 * @param[out] out receives the key; release with tsvc_key_free().
 * @param uri the key's RFC 7512 URI (type, when present, must be "private").
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_PKCS11_URI, ::TSVC_ERR_PKCS11_TOKEN_NOT_FOUND,
 *         ::TSVC_ERR_PKCS11_OBJECT_NOT_FOUND, ::TSVC_ERR_PKCS11_AMBIGUOUS,
 *         ::TSVC_ERR_PKCS11_PIN_INCORRECT, ::TSVC_ERR_PKCS11_PIN_LOCKED,
 *         ::TSVC_ERR_PKCS11_PIN_REQUIRED, ::TSVC_ERR_PKCS11_DEVICE,
 *         ::TSVC_ERR_ALGORITHM (a key type the library does not sign with),
 *         ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_key_open(tsvc_pkcs11_module *mod, tsvc_key **out,
                                          const char *uri, tsvc_error **err);

/**
 * @brief Opens a key from a URI that names its module (module-path): the
 *        module is loaded for the key and released with it. Use
 *        tsvc_pkcs11_module_load() and tsvc_pkcs11_key_open() to share one
 *        module, its sessions, PIN callback and certification settings
 *        between keys.
 * @param ctx the context (must outlive the key).
 * @param[out] out receives the key; release with tsvc_key_free().
 * @param uri a "pkcs11:" URI with a module-path query attribute.
 * @param[out] err optional error detail.
 * @return as tsvc_pkcs11_module_load() and tsvc_pkcs11_key_open();
 *         ::TSVC_ERR_PKCS11_URI when the URI has no module-path.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_key_from_uri(tsvc_ctx *ctx, tsvc_key **out, const char *uri,
                                       tsvc_error **err);

/**
 * @brief Generates a key pair inside a token: the private key is a token
 *        object, private, sensitive and not extractable, usable only to
 *        sign; the public key is a token object too. The URI names the
 *        token and gives the new key's label (object, required) and
 *        optionally its id (else 16 random bytes).
 * @param mod the module.
 * @param[out] out receives the new key; release with tsvc_key_free().
 * @param uri the token and the new key's label and id.
 * @param type ::TSVC_KEY_ECDSA_P256, ::TSVC_KEY_ECDSA_P384,
 *        ::TSVC_KEY_ECDSA_P521, ::TSVC_KEY_RSA or ::TSVC_KEY_ED25519.
 * @param bits RSA modulus size (2048..4096, a multiple of 8); 0 otherwise.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_PKCS11_TOKEN_STATUS (the token's
 *         certification is historical or revoked), ::TSVC_ERR_PKCS11_MECHANISM
 *         (the token cannot generate that type), ::TSVC_ERR_PKCS11_AMBIGUOUS
 *         (a key with that label or id exists), ::TSVC_ERR_KEY_SIZE, and
 *         the errors of tsvc_pkcs11_key_open().
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_key_generate(tsvc_pkcs11_module *mod, tsvc_key **out,
                                              const char *uri, tsvc_key_type type,
                                              unsigned bits, tsvc_error **err);

/**
 * @brief The certificate stored on the token next to the key (same CKA_ID).
 * @param key a key opened through this header.
 * @param[out] out receives the certificate's DER; release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_NOT_FOUND (no certificate), ::TSVC_ERR_INVALID_ARG
 *         (not a PKCS#11 key), ::TSVC_ERR_PKCS11_DEVICE, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_key_certificate(const tsvc_key *key, tsvc_buf *out,
                                                 tsvc_error **err);

/**
 * @brief Stores a certificate on the token next to the key (a token
 *        object with the key's CKA_ID and label), as in the remote-signing
 *        flow once the CA has answered the key's certificate request.
 * @param key a key opened through this header.
 * @param der the certificate's DER (borrowed).
 * @param len its length.
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_PKCS11_DEVICE, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_key_store_certificate(const tsvc_key *key, const uint8_t *der,
                                                       size_t len, tsvc_error **err);

/**
 * @brief The RFC 7512 URI of a key (token, manufacturer, model, serial,
 *        object, id, type=private; never a PIN).
 * @param key a key opened through this header.
 * @param[out] out receives the NUL-terminated URI (len excludes the NUL);
 *        release with tsvc_buf_dispose().
 * @param[out] err optional error detail.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_pkcs11_key_uri(const tsvc_key *key, tsvc_buf *out, tsvc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_PKCS11_H */
