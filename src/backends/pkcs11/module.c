/*
 * SPDX-License-Identifier: Apache-2.0
 * PKCS#11 modules: dlopen at run time, C_Initialize with OS locking once
 * per process and function list (a small static registry, since PKCS#11
 * initialisation is process-wide by nature), re-initialisation in a
 * child after fork(), tokens with a session pool, and login with PINs
 * that are wiped as soon as C_Login has used them.
 *
 * Thread safety: see p11.h (registry mutex, module mutex, token mutex).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "p11.h"

/* ------------------------------------------------------------------ */
/* Status mapping                                                       */
/* ------------------------------------------------------------------ */

tsvc_status tsvc__p11_status(CK_RV rv)
{
    switch (rv) {
    case CKR_OK:
        return TSVC_OK;
    case CKR_HOST_MEMORY:
        return TSVC_ERR_NOMEM;
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
        return TSVC_ERR_PKCS11_PIN_INCORRECT;
    case CKR_PIN_LOCKED:
    case CKR_PIN_EXPIRED:
        return TSVC_ERR_PKCS11_PIN_LOCKED;
    case CKR_USER_NOT_LOGGED_IN:
        return TSVC_ERR_PKCS11_PIN_REQUIRED;
    case CKR_MECHANISM_INVALID:
    case CKR_MECHANISM_PARAM_INVALID:
    case CKR_KEY_TYPE_INCONSISTENT:
    case CKR_KEY_FUNCTION_NOT_PERMITTED:
    case CKR_DOMAIN_PARAMS_INVALID:
    case CKR_CURVE_NOT_SUPPORTED:
    case CKR_KEY_SIZE_RANGE:
    case CKR_TEMPLATE_INCONSISTENT:
        return TSVC_ERR_PKCS11_MECHANISM;
    case CKR_BUFFER_TOO_SMALL:
        return TSVC_ERR_BUFFER_TOO_SMALL;
    default:
        return TSVC_ERR_PKCS11_DEVICE;
    }
}

const char *tsvc__p11_rv_name(CK_RV rv, char *buf, size_t size)
{
    static const struct {
        CK_RV rv;
        const char *name;
    } names[] = {
        {CKR_OK, "CKR_OK"},
        {CKR_HOST_MEMORY, "CKR_HOST_MEMORY"},
        {CKR_SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID"},
        {CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"},
        {CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"},
        {CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"},
        {CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"},
        {CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID"},
        {CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR"},
        {CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY"},
        {CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED"},
        {CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED"},
        {CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID"},
        {CKR_KEY_SIZE_RANGE, "CKR_KEY_SIZE_RANGE"},
        {CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT"},
        {CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED"},
        {CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID"},
        {CKR_MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID"},
        {CKR_OBJECT_HANDLE_INVALID, "CKR_OBJECT_HANDLE_INVALID"},
        {CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE"},
        {CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT"},
        {CKR_PIN_INVALID, "CKR_PIN_INVALID"},
        {CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE"},
        {CKR_PIN_EXPIRED, "CKR_PIN_EXPIRED"},
        {CKR_PIN_LOCKED, "CKR_PIN_LOCKED"},
        {CKR_SESSION_CLOSED, "CKR_SESSION_CLOSED"},
        {CKR_SESSION_COUNT, "CKR_SESSION_COUNT"},
        {CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID"},
        {CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"},
        {CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT"},
        {CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"},
        {CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED"},
        {CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN"},
        {CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"},
        {CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED"},
        {CKR_USER_TYPE_INVALID, "CKR_USER_TYPE_INVALID"},
        {CKR_DOMAIN_PARAMS_INVALID, "CKR_DOMAIN_PARAMS_INVALID"},
        {CKR_CURVE_NOT_SUPPORTED, "CKR_CURVE_NOT_SUPPORTED"},
        {CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL"},
        {CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED"},
        {CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].rv == rv)
            return names[i].name;
    snprintf(buf, size, "CKR_0x%lx", (unsigned long)rv);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Process-wide registry of initialised function lists                  */
/* ------------------------------------------------------------------ */

#define REGISTRY_MAX 32

typedef struct reg_entry {
    CK_FUNCTION_LIST *fl;
    unsigned refs;
    bool owned; /* we called C_Initialize, so we call C_Finalize */
    pid_t pid;
    unsigned gen;
} reg_entry;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static reg_entry registry[REGISTRY_MAX];

static CK_RV initialise(CK_FUNCTION_LIST *fl)
{
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    return fl->C_Initialize(&args);
}

/* Takes a reference on @p fl's initialisation. */
static tsvc_status registry_acquire(CK_FUNCTION_LIST *fl, CK_RV *rv_out)
{
    *rv_out = CKR_OK;
    pthread_mutex_lock(&registry_lock);
    reg_entry *free_e = NULL;
    for (size_t i = 0; i < REGISTRY_MAX; i++) {
        if (registry[i].fl == fl) {
            registry[i].refs++;
            pthread_mutex_unlock(&registry_lock);
            return TSVC_OK;
        }
        if (registry[i].fl == NULL && free_e == NULL)
            free_e = &registry[i];
    }
    if (free_e == NULL) {
        pthread_mutex_unlock(&registry_lock);
        return TSVC_ERR_LIMIT_COUNT;
    }
    CK_RV rv = initialise(fl);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        pthread_mutex_unlock(&registry_lock);
        *rv_out = rv;
        return TSVC_ERR_PKCS11_MODULE;
    }
    free_e->fl = fl;
    free_e->refs = 1;
    free_e->owned = rv == CKR_OK;
    free_e->pid = getpid();
    free_e->gen = 0;
    pthread_mutex_unlock(&registry_lock);
    return TSVC_OK;
}

static void registry_release(CK_FUNCTION_LIST *fl)
{
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < REGISTRY_MAX; i++) {
        if (registry[i].fl != fl)
            continue;
        if (--registry[i].refs == 0) {
            if (registry[i].owned && registry[i].pid == getpid())
                (void)fl->C_Finalize(NULL);
            memset(&registry[i], 0, sizeof(registry[i]));
        }
        break;
    }
    pthread_mutex_unlock(&registry_lock);
}

/* In a child process: initialise the module again (once per process and
 * function list) and give the new generation number. */
static tsvc_status registry_after_fork(CK_FUNCTION_LIST *fl, unsigned *gen)
{
    tsvc_status st = TSVC_OK;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < REGISTRY_MAX; i++) {
        if (registry[i].fl != fl)
            continue;
        if (registry[i].pid != getpid()) {
            CK_RV rv = initialise(fl);
            if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                /* The module kept its parent's state: start it afresh. */
                (void)fl->C_Finalize(NULL);
                rv = initialise(fl);
            }
            if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
                st = TSVC_ERR_PKCS11_MODULE;
            registry[i].owned = true;
            registry[i].pid = getpid();
            registry[i].gen++;
        }
        *gen = registry[i].gen;
        break;
    }
    pthread_mutex_unlock(&registry_lock);
    return st;
}

/* ------------------------------------------------------------------ */
/* Modules                                                              */
/* ------------------------------------------------------------------ */

struct tsvc__p11_cert_entry {
    tsvc__p11_uri match;
    tsvc_hsm_certification status;
    char *text;
    tsvc__p11_cert_entry *next;
};

static void copy_padded(char *out, size_t out_size, const CK_UTF8CHAR *in, size_t in_len)
{
    size_t n = in_len < out_size - 1 ? in_len : out_size - 1;
    memcpy(out, in, n);
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
        n--;
    out[n] = '\0';
}

tsvc_status tsvc__p11_module_load(const tsvc_ctx *ctx, const char *path,
                                  tsvc_pkcs11_module **out, tsvc_error **err)
{
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.module", -1, "no module path");
    if (access(path, R_OK) != 0)
        return tsvc__err(err, TSVC_ERR_PKCS11_MODULE, "pkcs11.module.path", -1,
                         "PKCS#11 module \"%s\" cannot be read: %s", path, strerror(errno));
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (dl == NULL) {
        const char *why = dlerror();
        return tsvc__err(err, TSVC_ERR_PKCS11_MODULE, "pkcs11.module.dlopen", -1,
                         "PKCS#11 module \"%s\" cannot be loaded: %s", path,
                         why != NULL ? why : "unknown reason");
    }
    CK_C_GetFunctionList get_list;
    void *sym = dlsym(dl, "C_GetFunctionList");
    memcpy(&get_list, &sym, sizeof(get_list));
    if (sym == NULL) {
        dlclose(dl);
        return tsvc__err(err, TSVC_ERR_PKCS11_MODULE, "pkcs11.module.symbol", -1,
                         "\"%s\" is not a PKCS#11 module (no C_GetFunctionList)", path);
    }
    CK_FUNCTION_LIST *fl = NULL;
    CK_RV rv = get_list(&fl);
    if (rv != CKR_OK || fl == NULL || fl->C_Initialize == NULL || fl->C_Sign == NULL) {
        dlclose(dl);
        return tsvc__err(err, TSVC_ERR_PKCS11_MODULE, "pkcs11.module.functions", -1,
                         "\"%s\": C_GetFunctionList failed or gave an incomplete list", path);
    }
    if (fl->version.major != 2 && fl->version.major != 3) {
        dlclose(dl);
        return tsvc__err(err, TSVC_ERR_PKCS11_MODULE, "pkcs11.module.version", -1,
                         "\"%s\": unsupported Cryptoki version %u.%u", path,
                         (unsigned)fl->version.major, (unsigned)fl->version.minor);
    }
    tsvc_status st = registry_acquire(fl, &rv);
    if (st != TSVC_OK) {
        char nb[32];
        dlclose(dl);
        if (st == TSVC_ERR_LIMIT_COUNT)
            return tsvc__err(err, TSVC_ERR_PKCS11_MODULE, "pkcs11.module.count", -1,
                             "too many PKCS#11 modules loaded (at most %d)", REGISTRY_MAX);
        return tsvc__err(err, TSVC_ERR_PKCS11_MODULE, "pkcs11.module.initialize", -1,
                         "\"%s\": C_Initialize failed with %s", path,
                         tsvc__p11_rv_name(rv, nb, sizeof(nb)));
    }
    tsvc_pkcs11_module *mod = tsvc__calloc(ctx, 1, sizeof(*mod));
    char *pcopy = tsvc__strdup(ctx, path);
    if (mod == NULL || pcopy == NULL || pthread_mutex_init(&mod->lock, NULL) != 0) {
        tsvc__free(ctx, mod);
        tsvc__free(ctx, pcopy);
        registry_release(fl);
        dlclose(dl);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    mod->ctx = ctx;
    atomic_init(&mod->refs, 1);
    mod->dl = dl;
    mod->fl = fl;
    mod->path = pcopy;
    mod->pid = getpid();
    unsigned gen = 0;
    (void)registry_after_fork(fl, &gen);
    mod->gen = gen;
    if (fl->C_GetInfo(&mod->info) != CKR_OK)
        memset(&mod->info, 0, sizeof(mod->info));
    *out = mod;
    return TSVC_OK;
}

tsvc_status tsvc__p11_module_check_fork(tsvc_pkcs11_module *mod)
{
    if (mod->pid == getpid())
        return TSVC_OK;
    pthread_mutex_lock(&mod->lock);
    tsvc_status st = TSVC_OK;
    if (mod->pid != getpid()) {
        unsigned gen = mod->gen;
        st = registry_after_fork(mod->fl, &gen);
        mod->gen = gen;
        mod->pid = getpid();
    }
    pthread_mutex_unlock(&mod->lock);
    return st;
}

static void token_free(tsvc__p11_token *tok)
{
    const tsvc_ctx *ctx = tok->mod->ctx;
    if (tok->gen == tok->mod->gen && tok->mod->pid == getpid()) {
        for (size_t i = 0; i < tok->num_idle; i++)
            (void)tok->mod->fl->C_CloseSession(tok->idle[i]);
        if (tok->has_anchor)
            (void)tok->mod->fl->C_CloseSession(tok->anchor);
    }
    pthread_mutex_destroy(&tok->lock);
    tsvc__free(ctx, tok->mechs);
    tsvc__free(ctx, tok->pin_source);
    tsvc__free(ctx, tok->certification);
    tsvc__free(ctx, tok);
}

tsvc_pkcs11_module *tsvc_pkcs11_module_ref(tsvc_pkcs11_module *mod)
{
    if (mod != NULL)
        atomic_fetch_add(&mod->refs, 1);
    return mod;
}

void tsvc_pkcs11_module_free(tsvc_pkcs11_module *mod)
{
    if (mod == NULL || atomic_fetch_sub(&mod->refs, 1) != 1)
        return;
    const tsvc_ctx *ctx = mod->ctx;
    for (size_t i = 0; i < mod->num_tokens; i++)
        token_free(mod->tokens[i]);
    tsvc__free(ctx, mod->tokens);
    for (tsvc__p11_cert_entry *c = mod->certs, *n; c != NULL; c = n) {
        n = c->next;
        tsvc__p11_uri_clear(ctx, &c->match);
        tsvc__free(ctx, c->text);
        tsvc__free(ctx, c);
    }
    registry_release(mod->fl);
    dlclose(mod->dl);
    pthread_mutex_destroy(&mod->lock);
    tsvc__free(ctx, mod->path);
    tsvc__free(ctx, mod);
}

tsvc_status tsvc_pkcs11_module_set_pin_callback(tsvc_pkcs11_module *mod, tsvc_pkcs11_pin_fn fn,
                                                void *opaque)
{
    if (mod == NULL)
        return TSVC_ERR_INVALID_ARG;
    pthread_mutex_lock(&mod->lock);
    mod->pin_fn = fn;
    mod->pin_opaque = fn != NULL ? opaque : NULL;
    pthread_mutex_unlock(&mod->lock);
    return TSVC_OK;
}

static bool str_match(const char *want, const char *have)
{
    return want == NULL || strcmp(want, have) == 0;
}

bool tsvc__p11_token_matches(const tsvc__p11_token *tok, const tsvc__p11_uri *u)
{
    char sd[65], sm[33];
    copy_padded(sd, sizeof(sd), tok->slot_info.slotDescription,
                sizeof(tok->slot_info.slotDescription));
    copy_padded(sm, sizeof(sm), tok->slot_info.manufacturerID,
                sizeof(tok->slot_info.manufacturerID));
    return str_match(u->token, tok->label) && str_match(u->manufacturer, tok->manufacturer) &&
           str_match(u->model, tok->model) && str_match(u->serial, tok->serial) &&
           str_match(u->slot_description, sd) && str_match(u->slot_manufacturer, sm) &&
           (!u->has_slot_id || u->slot_id == (uint64_t)tok->slot);
}

static bool library_matches(const tsvc_pkcs11_module *mod, const tsvc__p11_uri *u)
{
    char lm[33], ld[33], lv[16];
    copy_padded(lm, sizeof(lm), mod->info.manufacturerID, sizeof(mod->info.manufacturerID));
    copy_padded(ld, sizeof(ld), mod->info.libraryDescription,
                sizeof(mod->info.libraryDescription));
    snprintf(lv, sizeof(lv), "%u.%u", (unsigned)mod->info.libraryVersion.major,
             (unsigned)mod->info.libraryVersion.minor);
    if (u->library_version != NULL && strchr(u->library_version, '.') == NULL)
        snprintf(lv, sizeof(lv), "%u", (unsigned)mod->info.libraryVersion.major);
    return str_match(u->library_manufacturer, lm) && str_match(u->library_description, ld) &&
           str_match(u->library_version, lv);
}

/* Applies the first certification entry that matches (module lock held). */
static void apply_certification(tsvc__p11_token *tok)
{
    const tsvc_ctx *ctx = tok->mod->ctx;
    for (const tsvc__p11_cert_entry *c = tok->mod->certs; c != NULL; c = c->next) {
        if (!tsvc__p11_token_matches(tok, &c->match))
            continue;
        char *t = c->text != NULL ? tsvc__strdup(ctx, c->text) : NULL;
        tsvc__free(ctx, tok->certification);
        tok->certification = t;
        tok->cert_status = c->status;
        return;
    }
}

tsvc_status tsvc_pkcs11_module_set_certification(tsvc_pkcs11_module *mod, const char *token_uri,
                                                 tsvc_hsm_certification status,
                                                 const char *text, tsvc_error **err)
{
    if (mod == NULL || token_uri == NULL || status < TSVC_HSM_CERT_NONE ||
        status > TSVC_HSM_CERT_REVOKED)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "pkcs11.certification", -1,
                         "module, token URI and a known status are required");
    const tsvc_ctx *ctx = mod->ctx;
    tsvc__p11_cert_entry *e = tsvc__calloc(ctx, 1, sizeof(*e));
    if (e == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    tsvc_status st = tsvc__p11_uri_parse(ctx, token_uri, &e->match, err);
    if (st != TSVC_OK) {
        tsvc__free(ctx, e);
        return st;
    }
    if (text != NULL && (e->text = tsvc__strdup(ctx, text)) == NULL) {
        tsvc__p11_uri_clear(ctx, &e->match);
        tsvc__free(ctx, e);
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    }
    e->status = status;
    pthread_mutex_lock(&mod->lock);
    /* Newest first, so that a later call for the same tokens wins. */
    e->next = mod->certs;
    mod->certs = e;
    for (size_t i = 0; i < mod->num_tokens; i++) {
        pthread_mutex_lock(&mod->tokens[i]->lock);
        apply_certification(mod->tokens[i]);
        pthread_mutex_unlock(&mod->tokens[i]->lock);
    }
    pthread_mutex_unlock(&mod->lock);
    return TSVC_OK;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                               */
/* ------------------------------------------------------------------ */

static tsvc_status token_new(tsvc_pkcs11_module *mod, CK_SLOT_ID slot, tsvc__p11_token **out)
{
    const tsvc_ctx *ctx = mod->ctx;
    tsvc__p11_token *tok = tsvc__calloc(ctx, 1, sizeof(*tok));
    if (tok == NULL)
        return TSVC_ERR_NOMEM;
    if (pthread_mutex_init(&tok->lock, NULL) != 0) {
        tsvc__free(ctx, tok);
        return TSVC_ERR_NOMEM;
    }
    tok->mod = mod;
    tok->slot = slot;
    tok->gen = mod->gen;
    if (mod->fl->C_GetSlotInfo(slot, &tok->slot_info) != CKR_OK ||
        mod->fl->C_GetTokenInfo(slot, &tok->info) != CKR_OK) {
        pthread_mutex_destroy(&tok->lock);
        tsvc__free(ctx, tok);
        return TSVC_ERR_PKCS11_DEVICE;
    }
    copy_padded(tok->label, sizeof(tok->label), tok->info.label, sizeof(tok->info.label));
    copy_padded(tok->manufacturer, sizeof(tok->manufacturer), tok->info.manufacturerID,
                sizeof(tok->info.manufacturerID));
    copy_padded(tok->model, sizeof(tok->model), tok->info.model, sizeof(tok->info.model));
    copy_padded(tok->serial, sizeof(tok->serial), tok->info.serialNumber,
                sizeof(tok->info.serialNumber));
    CK_ULONG n = 0;
    if (mod->fl->C_GetMechanismList(slot, NULL, &n) == CKR_OK && n > 0 && n < 4096) {
        tok->mechs = tsvc__calloc(ctx, n, sizeof(CK_MECHANISM_TYPE));
        if (tok->mechs != NULL && mod->fl->C_GetMechanismList(slot, tok->mechs, &n) == CKR_OK)
            tok->num_mechs = n;
    }
    *out = tok;
    return TSVC_OK;
}

bool tsvc__p11_token_has_mech(const tsvc__p11_token *tok, CK_MECHANISM_TYPE mech)
{
    for (size_t i = 0; i < tok->num_mechs; i++)
        if (tok->mechs[i] == mech)
            return true;
    return false;
}

tsvc_status tsvc__p11_token_find(tsvc_pkcs11_module *mod, const tsvc__p11_uri *uri,
                                 tsvc__p11_token **out, tsvc_error **err)
{
    *out = NULL;
    tsvc_status st = tsvc__p11_module_check_fork(mod);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "pkcs11.fork", -1,
                         "the PKCS#11 module could not be initialised again after fork()");
    if (!library_matches(mod, uri))
        return tsvc__err(err, TSVC_ERR_PKCS11_TOKEN_NOT_FOUND, "pkcs11.token", -1,
                         "the module's library attributes do not match the URI");
    CK_ULONG n = 0;
    CK_RV rv = mod->fl->C_GetSlotList(CK_TRUE, NULL, &n);
    CK_SLOT_ID slots[64];
    if (rv == CKR_OK) {
        if (n > 64)
            n = 64;
        rv = mod->fl->C_GetSlotList(CK_TRUE, slots, &n);
        if (rv == CKR_BUFFER_TOO_SMALL)
            rv = CKR_OK, n = 64;
    }
    if (rv != CKR_OK) {
        char nb[32];
        return tsvc__err(err, tsvc__p11_status(rv), "pkcs11.slots", -1,
                         "C_GetSlotList failed with %s", tsvc__p11_rv_name(rv, nb, sizeof(nb)));
    }
    pthread_mutex_lock(&mod->lock);
    for (CK_ULONG i = 0; i < n; i++) {
        tsvc__p11_token *tok = NULL;
        for (size_t k = 0; k < mod->num_tokens; k++)
            if (mod->tokens[k]->slot == slots[i])
                tok = mod->tokens[k];
        if (tok == NULL) {
            if (token_new(mod, slots[i], &tok) != TSVC_OK)
                continue;
            tsvc__p11_token **nt =
                tsvc__realloc(mod->ctx, mod->tokens, mod->num_tokens * sizeof(*nt),
                              (mod->num_tokens + 1) * sizeof(*nt));
            if (nt == NULL) {
                token_free(tok);
                pthread_mutex_unlock(&mod->lock);
                return tsvc__err_code(err, TSVC_ERR_NOMEM);
            }
            mod->tokens = nt;
            mod->tokens[mod->num_tokens++] = tok;
            apply_certification(tok);
        }
        if (tsvc__p11_token_matches(tok, uri)) {
            pthread_mutex_unlock(&mod->lock);
            *out = tok;
            return TSVC_OK;
        }
    }
    pthread_mutex_unlock(&mod->lock);
    return tsvc__err(err, TSVC_ERR_PKCS11_TOKEN_NOT_FOUND, "pkcs11.token", -1,
                     "no token of module %s matches the URI%s%s%s", mod->path,
                     uri->token != NULL ? " (token \"" : "",
                     uri->token != NULL ? uri->token : "", uri->token != NULL ? "\")" : "");
}

/* ------------------------------------------------------------------ */
/* Sessions                                                             */
/* ------------------------------------------------------------------ */

/* Token lock held: forget sessions of an earlier generation (after fork). */
static void token_refresh(tsvc__p11_token *tok)
{
    if (tok->gen == tok->mod->gen)
        return;
    tok->num_idle = 0;
    tok->has_anchor = false;
    tok->logged_in = false;
    tok->gen = tok->mod->gen;
}

static CK_RV open_session(tsvc__p11_token *tok, CK_SESSION_HANDLE *s)
{
    return tok->mod->fl->C_OpenSession(tok->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                                       NULL, s);
}

/*
 * Takes the token lock, forgets sessions of an earlier generation and opens
 * the anchor session (which keeps a login alive) if there is none. On
 * success the lock stays held; on failure it is released.
 */
static CK_RV token_lock_anchored(tsvc__p11_token *tok)
{
    pthread_mutex_lock(&tok->lock);
    token_refresh(tok);
    if (!tok->has_anchor) {
        CK_RV rv = open_session(tok, &tok->anchor);
        if (rv != CKR_OK) {
            pthread_mutex_unlock(&tok->lock);
            return rv;
        }
        tok->has_anchor = true;
    }
    return CKR_OK;
}

tsvc_status tsvc__p11_session_get(tsvc__p11_token *tok, CK_SESSION_HANDLE *out)
{
    tsvc_status st = tsvc__p11_module_check_fork(tok->mod);
    if (st != TSVC_OK)
        return st;
    CK_RV rv = token_lock_anchored(tok);
    if (rv != CKR_OK)
        return tsvc__p11_status(rv);
    if (tok->num_idle > 0) {
        *out = tok->idle[--tok->num_idle];
        pthread_mutex_unlock(&tok->lock);
        return TSVC_OK;
    }
    pthread_mutex_unlock(&tok->lock);
    rv = open_session(tok, out);
    return tsvc__p11_status(rv);
}

void tsvc__p11_session_put(tsvc__p11_token *tok, CK_SESSION_HANDLE s, bool broken)
{
    pthread_mutex_lock(&tok->lock);
    bool stale = tok->gen != tok->mod->gen || tok->mod->pid != getpid();
    if (!broken && !stale && tok->num_idle < TSVC__P11_POOL) {
        tok->idle[tok->num_idle++] = s;
        pthread_mutex_unlock(&tok->lock);
        return;
    }
    pthread_mutex_unlock(&tok->lock);
    if (!stale)
        (void)tok->mod->fl->C_CloseSession(s);
}

/* ------------------------------------------------------------------ */
/* Login                                                                */
/* ------------------------------------------------------------------ */

/* Reads a PIN from a pin-source: a file name or a "file:" URI. */
static tsvc_status read_pin_source(const char *src, char *pin, size_t size, size_t *len)
{
    if (strncmp(src, "file:", 5) == 0) {
        src += 5;
        if (strncmp(src, "//", 2) == 0)
            src += 2; /* file:///path -> /path */
    }
    int fd = open(src, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return TSVC_ERR_PKCS11_PIN_REQUIRED;
    size_t n = 0;
    while (n < size) {
        ssize_t r = read(fd, pin + n, size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    while (n > 0 && (pin[n - 1] == '\n' || pin[n - 1] == '\r'))
        n--;
    *len = n;
    return TSVC_OK;
}

/* The module's PIN callback, read under the module lock. Taken before the
 * token lock (lock order: module, then token). */
typedef struct pin_cb {
    tsvc_pkcs11_pin_fn fn;
    void *opaque;
} pin_cb;

static pin_cb pin_callback(tsvc_pkcs11_module *mod)
{
    pin_cb cb;
    pthread_mutex_lock(&mod->lock);
    cb.fn = mod->pin_fn;
    cb.opaque = mod->pin_opaque;
    pthread_mutex_unlock(&mod->lock);
    return cb;
}

/* Gets a PIN: URI pin-value, URI pin-source, remembered pin-source, callback. */
static tsvc_status get_pin(tsvc__p11_token *tok, const tsvc__p11_uri *uri, int context_specific,
                           pin_cb cb, char *pin, size_t size, size_t *len)
{
    *len = 0;
    if (uri != NULL && uri->pin_value != NULL) {
        if (uri->pin_value_len > size)
            return TSVC_ERR_PKCS11_PIN_INCORRECT;
        memcpy(pin, uri->pin_value, uri->pin_value_len);
        *len = uri->pin_value_len;
        return TSVC_OK;
    }
    const char *src = uri != NULL && uri->pin_source != NULL ? uri->pin_source : tok->pin_source;
    if (src != NULL)
        return read_pin_source(src, pin, size, len);
    if (cb.fn == NULL)
        return TSVC_ERR_PKCS11_PIN_REQUIRED;
    size_t l = 0;
    tsvc_status st = cb.fn(cb.opaque, tok->label, tok->serial, context_specific, pin, size, &l);
    if (st != TSVC_OK || l > size)
        return TSVC_ERR_PKCS11_PIN_REQUIRED;
    *len = l;
    return TSVC_OK;
}

void tsvc__p11_logged_out(tsvc__p11_token *tok)
{
    pthread_mutex_lock(&tok->lock);
    tok->logged_in = false;
    pthread_mutex_unlock(&tok->lock);
}

tsvc_status tsvc__p11_login(tsvc__p11_token *tok, const tsvc__p11_uri *uri, tsvc_error **err)
{
    CK_FUNCTION_LIST *fl = tok->mod->fl;
    tsvc_status st = tsvc__p11_module_check_fork(tok->mod);
    if (st != TSVC_OK)
        return tsvc__err(err, st, "pkcs11.fork", -1,
                         "the PKCS#11 module could not be initialised again after fork()");
    pin_cb cb = pin_callback(tok->mod);
    CK_RV rv = token_lock_anchored(tok);
    if (rv != CKR_OK) {
        char nb[32];
        return tsvc__err(err, tsvc__p11_status(rv), "pkcs11.session", -1,
                         "C_OpenSession on token \"%s\" failed with %s", tok->label,
                         tsvc__p11_rv_name(rv, nb, sizeof(nb)));
    }
    /* Remember a pin-source for later logins (after fork, after a logout). */
    if (uri != NULL && uri->pin_source != NULL && tok->pin_source == NULL)
        tok->pin_source = tsvc__strdup(tok->mod->ctx, uri->pin_source);
    CK_SESSION_INFO si;
    bool need = (tok->info.flags & CKF_LOGIN_REQUIRED) != 0;
    if (fl->C_GetSessionInfo(tok->anchor, &si) == CKR_OK &&
        (si.state == CKS_RO_USER_FUNCTIONS || si.state == CKS_RW_USER_FUNCTIONS))
        tok->logged_in = true;
    if (!need || tok->logged_in) {
        pthread_mutex_unlock(&tok->lock);
        return TSVC_OK;
    }
    char pin[TSVC__P11_PIN_MAX];
    size_t pin_len = 0;
    st = get_pin(tok, uri, 0, cb, pin, sizeof(pin), &pin_len);
    if (st != TSVC_OK) {
        tsvc_memzero(pin, sizeof(pin));
        pthread_mutex_unlock(&tok->lock);
        return tsvc__err(err, st, "pkcs11.login.pin", -1,
                         "token \"%s\" needs a login: give pin-value or pin-source in the URI, "
                         "or a PIN callback",
                         tok->label);
    }
    rv = fl->C_Login(tok->anchor, CKU_USER, (CK_UTF8CHAR *)pin, (CK_ULONG)pin_len);
    tsvc_memzero(pin, sizeof(pin));
    if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
        tok->logged_in = true;
        pthread_mutex_unlock(&tok->lock);
        return TSVC_OK;
    }
    pthread_mutex_unlock(&tok->lock);
    char nb[32];
    return tsvc__err(err, tsvc__p11_status(rv), "pkcs11.login", -1,
                     "login to token \"%s\" failed with %s", tok->label,
                     tsvc__p11_rv_name(rv, nb, sizeof(nb)));
}

tsvc_status tsvc__p11_login_context(tsvc__p11_token *tok, CK_SESSION_HANDLE s)
{
    char pin[TSVC__P11_PIN_MAX];
    size_t pin_len = 0;
    tsvc_status st = get_pin(tok, NULL, 1, pin_callback(tok->mod), pin, sizeof(pin), &pin_len);
    if (st == TSVC_OK) {
        CK_RV rv = tok->mod->fl->C_Login(s, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR *)pin,
                                         (CK_ULONG)pin_len);
        st = tsvc__p11_status(rv);
    }
    tsvc_memzero(pin, sizeof(pin));
    return st;
}
