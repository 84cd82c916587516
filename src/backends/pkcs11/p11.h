/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the PKCS#11 backend: RFC 7512 URIs, modules (dlopen,
 * process-wide C_Initialize bookkeeping, fork detection), tokens with a
 * session pool, login, and the key handles given to the crypto layer.
 *
 * Locking: the registry of initialised function lists has one static
 * mutex; a module's mutex guards its token list and settings; a token's
 * mutex guards its session pool and login state. PKCS#11 calls that use a
 * session (sign, find) run outside the locks on a session that only the
 * calling thread holds.
 */
#ifndef TSVC_BACKENDS_PKCS11_P11_H
#define TSVC_BACKENDS_PKCS11_P11_H

#include <p11-kit/pkcs11.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "core/core.h"
#include "trustsvc/pkcs11.h"

/* ------------------------------------------------------------------ */
/* URIs (uri.c)                                                         */
/* ------------------------------------------------------------------ */

/** Longest URI accepted, in characters. */
#define TSVC__P11_URI_MAX 4096
/** Longest PIN accepted, in bytes. */
#define TSVC__P11_PIN_MAX 256

/** A parsed RFC 7512 URI; absent attributes are NULL (has_* false). */
typedef struct tsvc__p11_uri {
    char *token, *manufacturer, *model, *serial;
    char *slot_description, *slot_manufacturer;
    char *library_manufacturer, *library_description, *library_version;
    char *object;
    char *type; /* "public", "private", "cert", "secret-key", "data" */
    uint8_t *id;
    size_t id_len;
    bool has_id;
    bool has_slot_id;
    uint64_t slot_id;
    char *module_path, *module_name, *pin_source;
    char *pin_value; /* secret: wiped by tsvc__p11_uri_clear() */
    size_t pin_value_len;
} tsvc__p11_uri;

/** Parses @p text; on failure @p out is cleared. TSVC_ERR_PKCS11_URI with a message. */
tsvc_status tsvc__p11_uri_parse(const tsvc_ctx *ctx, const char *text, tsvc__p11_uri *out,
                                tsvc_error **err);
/** Frees every member, wiping the PIN. */
void tsvc__p11_uri_clear(const tsvc_ctx *ctx, tsvc__p11_uri *uri);
/** Percent-encodes @p len bytes for a URI value into @p cbb-like text buffer. */
tsvc_status tsvc__p11_uri_append(const tsvc_ctx *ctx, tsvc_buf *text, const char *prefix,
                                 const uint8_t *value, size_t len);

/* ------------------------------------------------------------------ */
/* Modules, tokens, sessions (module.c)                                 */
/* ------------------------------------------------------------------ */

typedef struct tsvc__p11_token tsvc__p11_token;
typedef struct tsvc__p11_cert_entry tsvc__p11_cert_entry;

struct tsvc_pkcs11_module {
    const tsvc_ctx *ctx;
    atomic_uint refs;
    void *dl;
    CK_FUNCTION_LIST *fl;
    char *path;
    CK_INFO info;
    pthread_mutex_t lock;
    atomic_int pid;     /* process that (re)initialised the module for us */
    atomic_uint gen;    /* bumped at each re-initialisation after fork */
    tsvc_pkcs11_pin_fn pin_fn;
    void *pin_opaque;
    tsvc__p11_cert_entry *certs;
    tsvc__p11_token **tokens;
    size_t num_tokens;
};

/** Pool size: idle sessions kept per token. */
#define TSVC__P11_POOL 16

struct tsvc__p11_token {
    tsvc_pkcs11_module *mod;
    CK_SLOT_ID slot;
    CK_TOKEN_INFO info;
    CK_SLOT_INFO slot_info;
    char label[33], manufacturer[33], model[17], serial[17];
    CK_MECHANISM_TYPE *mechs;
    size_t num_mechs;
    pthread_mutex_t lock;
    CK_SESSION_HANDLE idle[TSVC__P11_POOL];
    size_t num_idle;
    CK_SESSION_HANDLE anchor; /* kept open so the login state lasts */
    bool has_anchor;
    bool logged_in;
    unsigned gen;             /* module generation the sessions belong to */
    char *pin_source;         /* remembered for logins after fork (not secret) */
    tsvc_hsm_certification cert_status;
    char *certification;
};

/** Loads (dlopen) and initialises a module. */
tsvc_status tsvc__p11_module_load(const tsvc_ctx *ctx, const char *path,
                                  tsvc_pkcs11_module **out, tsvc_error **err);
/**
 * Checks for fork(): in a child process, re-initialises the module and
 * forgets every session and login. Called at the start of each operation.
 */
tsvc_status tsvc__p11_module_check_fork(tsvc_pkcs11_module *mod);

/**
 * Finds the token a URI names (the first slot with a token whose
 * attributes match), opening its state on first use.
 */
tsvc_status tsvc__p11_token_find(tsvc_pkcs11_module *mod, const tsvc__p11_uri *uri,
                                 tsvc__p11_token **out, tsvc_error **err);
/** Whether the token lists the mechanism (C_GetMechanismList). */
bool tsvc__p11_token_has_mech(const tsvc__p11_token *tok, CK_MECHANISM_TYPE mech);
/** Takes a session from the pool (opens one when the pool is empty). */
tsvc_status tsvc__p11_session_get(tsvc__p11_token *tok, CK_SESSION_HANDLE *out);
/** Gives a session back; @p broken closes it instead. */
void tsvc__p11_session_put(tsvc__p11_token *tok, CK_SESSION_HANDLE s, bool broken);
/**
 * Logs the user in when the token needs it and is not logged in. The PIN
 * comes from @p uri (pin-value, pin-source), else the remembered
 * pin-source, else the module's callback.
 */
tsvc_status tsvc__p11_login(tsvc__p11_token *tok, const tsvc__p11_uri *uri, tsvc_error **err);
/** Marks the token logged out (after CKR_USER_NOT_LOGGED_IN). */
void tsvc__p11_logged_out(tsvc__p11_token *tok);
/**
 * Context-specific login (CKA_ALWAYS_AUTHENTICATE) on @p s, after
 * C_SignInit: PIN from the remembered pin-source or the callback.
 */
tsvc_status tsvc__p11_login_context(tsvc__p11_token *tok, CK_SESSION_HANDLE s);
/** Maps a CKR_ code to a status. */
tsvc_status tsvc__p11_status(CK_RV rv);
/** Name of a CKR_ code ("CKR_PIN_INCORRECT"), or "CKR_0x..." in @p buf. */
const char *tsvc__p11_rv_name(CK_RV rv, char *buf, size_t size);
/** Whether the token's attributes match the URI's token and slot attributes. */
bool tsvc__p11_token_matches(const tsvc__p11_token *tok, const tsvc__p11_uri *uri);

/* ------------------------------------------------------------------ */
/* Keys (key.c)                                                         */
/* ------------------------------------------------------------------ */

/** The backend table of PKCS#11 keys (not registered on contexts). */
extern const struct tsvc_backend tsvc__backend_pkcs11;

/** Opens the key a URI names on a token (login included). */
tsvc_status tsvc__p11_key_open(tsvc_pkcs11_module *mod, const tsvc__p11_uri *uri,
                               tsvc_key **out, tsvc_error **err);

#endif /* TSVC_BACKENDS_PKCS11_P11_H */
