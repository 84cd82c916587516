/*
 * SPDX-License-Identifier: Apache-2.0
 * The time-stamp authority (RFC 3161 issuing side): configuration, request
 * validation with the right failInfo, serial numbers (128-bit random by
 * default, or the caller's callback), TSTInfo and token (RFC 5816
 * ESSCertIDv2), the certificate included only when certReq asks for it.
 *
 * Thread safety: configured by one thread; after the first
 * tsvc_tsa_respond() the configuration is frozen (setters give
 * TSVC_ERR_STATE) and any number of threads may respond at once. The only
 * mutable state is atomic: the "used" flag and the issued-token counter,
 * and the pool of random serial numbers, which a thread uses only while it
 * holds the pool's atomic flag (a thread that finds it held draws its own
 * random bytes instead of waiting).
 */
#include <stdatomic.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "path/path.h"
#include "tsp/tsp.h"
#include "x509/x509.h"

#define TSVC__TSA_MAX_POLICIES 16
#define TSVC__TSA_MAX_CHAIN 8
#define TSVC__TSA_NUM_HASHES 6 /* tsvc_hash_alg values 0..5 */
#define TSVC__TSA_POOL 32      /* 128-bit serial numbers drawn at once */

typedef struct tsa_oid {
    uint8_t bytes[TSVC__OID_MAX_LEN];
    size_t len;
} tsa_oid;

struct tsvc_tsa {
    tsvc_ctx *ctx;
    const tsvc_key *key;
    const tsvc_cert *cert;                        /* owned reference */
    const tsvc_cert *chain[TSVC__TSA_MAX_CHAIN];  /* owned references */
    size_t num_chain;
    tsa_oid policies[TSVC__TSA_MAX_POLICIES];     /* [0] is the default */
    size_t num_policies;
    bool hash_ok[TSVC__TSA_NUM_HASHES];
    uint32_t acc_seconds, acc_millis, acc_micros;
    bool ordering;
    bool include_name;
    tsvc_hash_alg signer_hash;
    tsvc_tsa_serial_fn serial_fn;
    void *serial_opaque;
    tsvc_tsa_clock_fn clock_fn;
    void *clock_opaque;
    bool has_req;
    tsvc_key_requirements req; /* checked before every signature when has_req */
    tsvc_buf ess; /* signing-certificate-v2 value for cert and signer_hash */
    atomic_bool used;
    atomic_uint_fast64_t issued;
    /* Default serial numbers: random bytes drawn TSVC__TSA_POOL serials at
     * a time (one backend call instead of one per response), by the
     * process that drew them (a forked child draws its own). Used only
     * while pool_busy is held. */
    atomic_bool pool_busy;
    size_t pool_next; /* TSVC__TSA_POOL: empty */
    pid_t pool_pid;
    uint8_t pool[TSVC__TSA_POOL][16];
};

static tsvc_status state_err(tsvc_error **err)
{
    return tsvc__err(err, TSVC_ERR_STATE, "tsa.config", -1,
                     "the TSA has answered requests: its configuration is frozen");
}

#define CHECK_CONFIGURABLE(tsa, err)                                                         \
    do {                                                                                     \
        if ((tsa) == NULL)                                                                   \
            return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.config", -1, "NULL argument"); \
        if (atomic_load(&(tsa)->used))                                                       \
            return state_err(err);                                                           \
    } while (0)

static tsvc_status parse_policy(const char *text, tsa_oid *out, tsvc_error **err)
{
    if (text == NULL || tsvc__oid_from_text(text, out->bytes, sizeof(out->bytes), &out->len) !=
                            TSVC_OK)
        return tsvc__err(err, TSVC_ERR_TSA_POLICY, "tsa.policy", -1,
                         "malformed or missing policy OID");
    return TSVC_OK;
}

tsvc_status tsvc_tsa_new(tsvc_ctx *ctx, tsvc_tsa **out, const tsvc_key *key, const tsvc_cert *cert,
                         const char *policy, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_tsa *tsa = NULL;
    tsvc_pubkey *pub = NULL;
    const char *why = NULL;
    if (out == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.new", -1, "NULL argument");
    *out = NULL;
    if (ctx == NULL || key == NULL || cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.new", -1, "NULL argument");
    tsa = tsvc__calloc(ctx, 1, sizeof(*tsa));
    if (tsa == NULL)
        return tsvc__err_code(err, TSVC_ERR_NOMEM);
    tsa->ctx = ctx;
    tsa->key = key;
    tsa->cert = tsvc__path_cert_ref(cert);
    tsa->signer_hash = TSVC_HASH_SHA256;
    tsa->hash_ok[TSVC_HASH_SHA256] = tsa->hash_ok[TSVC_HASH_SHA384] =
        tsa->hash_ok[TSVC_HASH_SHA512] = true;
    atomic_init(&tsa->used, false);
    atomic_init(&tsa->issued, 0);
    atomic_init(&tsa->pool_busy, false);
    tsa->pool_next = TSVC__TSA_POOL;
    if ((st = parse_policy(policy, &tsa->policies[0], err)) != TSVC_OK)
        goto out;
    tsa->num_policies = 1;
    if (!tsvc__tsp_cert_eku_ok(cert, &why)) {
        st = tsvc__err(err, TSVC_ERR_TSA_CERT, "tsa.cert.eku", -1, "%s", why);
        goto out;
    }
    if ((st = tsvc_key_get_public(key, &pub, err)) != TSVC_OK)
        goto out;
    if (cert->pubkey == NULL || !tsvc__pubkey_equal(pub, cert->pubkey)) {
        st = tsvc__err(err, TSVC_ERR_TSA_CERT, "tsa.cert.key", -1,
                       "the TSA certificate is not for the TSA key");
        goto out;
    }
    /* Made once, not per response. */
    if ((st = tsvc__tsp_ess_value(ctx, tsa->signer_hash, cert, &tsa->ess, err)) != TSVC_OK)
        goto out;
    *out = tsa;
    tsa = NULL;
out:
    tsvc_pubkey_free(pub);
    tsvc_tsa_free(tsa);
    return st;
}

void tsvc_tsa_free(tsvc_tsa *tsa)
{
    if (tsa == NULL)
        return;
    tsvc__path_cert_unref(tsa->cert);
    for (size_t i = 0; i < tsa->num_chain; i++)
        tsvc__path_cert_unref(tsa->chain[i]);
    tsvc_buf_dispose(&tsa->ess);
    tsvc_memzero(tsa->pool, sizeof(tsa->pool));
    tsvc__free(tsa->ctx, tsa);
}

tsvc_status tsvc_tsa_add_chain_cert(tsvc_tsa *tsa, const tsvc_cert *cert, tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    if (cert == NULL)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.chain", -1, "NULL argument");
    if (tsa->num_chain >= TSVC__TSA_MAX_CHAIN)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "tsa.chain", -1,
                         "more than %d chain certificates", TSVC__TSA_MAX_CHAIN);
    tsa->chain[tsa->num_chain++] = tsvc__path_cert_ref(cert);
    return TSVC_OK;
}

tsvc_status tsvc_tsa_add_policy(tsvc_tsa *tsa, const char *policy, tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    if (tsa->num_policies >= TSVC__TSA_MAX_POLICIES)
        return tsvc__err(err, TSVC_ERR_LIMIT_COUNT, "tsa.policy", -1,
                         "more than %d policies", TSVC__TSA_MAX_POLICIES);
    tsvc_status st = parse_policy(policy, &tsa->policies[tsa->num_policies], err);
    if (st == TSVC_OK)
        tsa->num_policies++;
    return st;
}

tsvc_status tsvc_tsa_set_hash_accepted(tsvc_tsa *tsa, tsvc_hash_alg hash, int accepted,
                                       tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    if ((int)hash <= 0 || (int)hash >= TSVC__TSA_NUM_HASHES)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.hash", -1, "unknown hash");
    tsa->hash_ok[hash] = accepted != 0;
    return TSVC_OK;
}

tsvc_status tsvc_tsa_set_accuracy(tsvc_tsa *tsa, uint32_t seconds, uint32_t millis,
                                  uint32_t micros, tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    if (millis > 999 || micros > 999)
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.accuracy", -1,
                         "millis and micros are 0 .. 999");
    tsa->acc_seconds = seconds;
    tsa->acc_millis = millis;
    tsa->acc_micros = micros;
    return TSVC_OK;
}

tsvc_status tsvc_tsa_set_ordering(tsvc_tsa *tsa, int ordering, tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    tsa->ordering = ordering != 0;
    return TSVC_OK;
}

tsvc_status tsvc_tsa_set_include_name(tsvc_tsa *tsa, int include, tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    tsa->include_name = include != 0;
    return TSVC_OK;
}

tsvc_status tsvc_tsa_set_signer_hash(tsvc_tsa *tsa, tsvc_hash_alg hash, tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    if (!tsvc__tsp_hash_default_ok(hash))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.signer_hash", -1,
                         "SHA-256, SHA-384 or SHA-512");
    if (hash != tsa->signer_hash) {
        tsvc_buf ess = TSVC_BUF_INIT;
        tsvc_status st = tsvc__tsp_ess_value(tsa->ctx, hash, tsa->cert, &ess, err);
        if (st != TSVC_OK)
            return st;
        tsvc_buf_dispose(&tsa->ess);
        tsa->ess = ess;
    }
    tsa->signer_hash = hash;
    return TSVC_OK;
}

tsvc_status tsvc_tsa_set_serial_fn(tsvc_tsa *tsa, tsvc_tsa_serial_fn fn, void *opaque,
                                   tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    tsa->serial_fn = fn;
    tsa->serial_opaque = fn ? opaque : NULL;
    return TSVC_OK;
}

tsvc_status tsvc_tsa_set_clock(tsvc_tsa *tsa, tsvc_tsa_clock_fn fn, void *opaque,
                               tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    tsa->clock_fn = fn;
    tsa->clock_opaque = fn ? opaque : NULL;
    return TSVC_OK;
}

uint64_t tsvc_tsa_num_issued(const tsvc_tsa *tsa)
{
    return tsa ? (uint64_t)atomic_load(&((tsvc_tsa *)(uintptr_t)tsa)->issued) : 0;
}

/* A rejection response. */
static tsvc_status reject(const tsvc_tsa *tsa, tsvc_buf *out, uint32_t fail, const char *text,
                          tsvc_error **err);

/* The TSA key against the TSA's key requirements (none: OK). */
static tsvc_status check_key(const tsvc_tsa *tsa, tsvc_error **err)
{
    tsvc_error *inner = NULL;
    if (!tsa->has_req)
        return TSVC_OK;
    tsvc_status st = tsvc_key_check_requirements(tsa->key, &tsa->req, &inner);
    if (st != TSVC_OK)
        st = tsvc__err(err, st, tsvc_error_check(inner) ? tsvc_error_check(inner)
                                                        : "tsa.key-requirements",
                       -1, "the TSA key does not meet the key requirements: %s",
                       tsvc_error_message(inner));
    tsvc_error_free(inner);
    return st;
}

tsvc_status tsvc_tsa_set_key_requirements(tsvc_tsa *tsa, const tsvc_key_requirements *req,
                                          tsvc_error **err)
{
    CHECK_CONFIGURABLE(tsa, err);
    if (req == NULL) {
        tsa->has_req = false;
        return TSVC_OK;
    }
    if (req->version != TSVC_KEY_REQUIREMENTS_VERSION)
        return tsvc__err(err, TSVC_ERR_BAD_VERSION, "tsa.key-requirements", -1,
                         "unknown tsvc_key_requirements version %u", (unsigned)req->version);
    /* Kept even when the key falls short: such a TSA then signs nothing. */
    tsa->req = *req;
    tsa->has_req = true;
    return check_key(tsa, err);
}

static tsvc_status reject(const tsvc_tsa *tsa, tsvc_buf *out, uint32_t fail, const char *text,
                          tsvc_error **err)
{
    tsvc__cbb cbb;
    tsvc__cbb_init(&cbb, tsa->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__tsp_status_encode(&cbb, TSVC_PKI_REJECTION, text, fail);
    tsvc__cbb_close(&cbb);
    tsvc_status st = tsvc__cbb_finish(&cbb, out);
    return st == TSVC_OK ? TSVC_OK : tsvc__err_code(err, st);
}

/* 16 random bytes for a serial number: from the pool when no other thread
 * holds it, refilled when empty or drawn by another process. */
static tsvc_status serial_bytes(tsvc_tsa *tsa, uint8_t out[16])
{
    if (atomic_exchange_explicit(&tsa->pool_busy, true, memory_order_acquire))
        return tsvc_random(tsa->ctx, out, 16, NULL);
    tsvc_status st = TSVC_OK;
    pid_t pid = getpid();
    if (tsa->pool_next >= TSVC__TSA_POOL || tsa->pool_pid != pid) {
        st = tsvc_random(tsa->ctx, &tsa->pool[0][0], sizeof(tsa->pool), NULL);
        if (st == TSVC_OK) {
            tsa->pool_next = 0;
            tsa->pool_pid = pid;
        } else {
            tsa->pool_next = TSVC__TSA_POOL;
        }
    }
    if (st == TSVC_OK) {
        memcpy(out, tsa->pool[tsa->pool_next], 16);
        tsvc_memzero(tsa->pool[tsa->pool_next], 16); /* each is used once */
        tsa->pool_next++;
    }
    atomic_store_explicit(&tsa->pool_busy, false, memory_order_release);
    return st;
}

static tsvc_status default_serial(tsvc_tsa *tsa, uint8_t out[20], size_t *len)
{
    tsvc_status st = serial_bytes(tsa, out);
    if (st != TSVC_OK)
        return st;
    /* 128 random bits as a positive INTEGER (17 octets at most), never zero. */
    bool zero = true;
    for (size_t i = 0; i < 16; i++)
        zero = zero && out[i] == 0;
    if (zero)
        out[15] = 1;
    *len = 16;
    return TSVC_OK;
}

tsvc_status tsvc_tsa_respond(tsvc_tsa *tsa, tsvc_buf *out, const uint8_t *request,
                             size_t request_len, tsvc_error **err)
{
    tsvc_status st = TSVC_OK;
    tsvc_tsq *tsq = NULL;
    tsvc_error *perr = NULL;
    tsvc_buf info = TSVC_BUF_INIT, token = TSVC_BUF_INIT;
    uint8_t serial[20];
    size_t serial_len = 0;
    int64_t secs = 0;
    uint32_t nanos = 0;
    const tsa_oid *policy = NULL;
    tsvc__cbb cbb;

    if (tsa == NULL || out == NULL || (request == NULL && request_len != 0))
        return tsvc__err(err, TSVC_ERR_INVALID_ARG, "tsa.respond", -1, "NULL argument");
    out->data = NULL;
    out->len = 0;
    atomic_store(&tsa->used, true);

    if (request_len > TSVC_TSQ_MAX_SIZE) {
        st = reject(tsa, out, TSVC_TSP_FAIL_BAD_DATA_FORMAT, "request too large", err);
        goto out;
    }
    st = tsvc_tsq_parse(tsa->ctx, &tsq, request, request_len, &perr);
    if (st == TSVC_ERR_NOMEM) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    if (st == TSVC_ERR_TSP_VERSION) {
        st = reject(tsa, out, TSVC_TSP_FAIL_BAD_REQUEST, "unsupported request version", err);
        goto out;
    }
    if (st == TSVC_ERR_TSP_HASH) {
        const char *chk = tsvc_error_check(perr);
        bool alg = chk != NULL && strcmp(chk, "tsp.imprint.hash") == 0;
        st = reject(tsa, out, alg ? TSVC_TSP_FAIL_BAD_ALG : TSVC_TSP_FAIL_BAD_DATA_FORMAT,
                    alg ? "unknown message-imprint hash algorithm"
                        : "message-imprint digest of the wrong length",
                    err);
        goto out;
    }
    if (st != TSVC_OK) {
        st = reject(tsa, out, TSVC_TSP_FAIL_BAD_DATA_FORMAT, "malformed request", err);
        goto out;
    }
    if ((int)tsq->hash <= 0 || (int)tsq->hash >= TSVC__TSA_NUM_HASHES || !tsa->hash_ok[tsq->hash]) {
        st = reject(tsa, out, TSVC_TSP_FAIL_BAD_ALG, "message-imprint hash algorithm not accepted",
                    err);
        goto out;
    }
    if (tsq->has_extensions) {
        st = reject(tsa, out, TSVC_TSP_FAIL_UNACCEPTED_EXTENSION, "request extensions not supported",
                    err);
        goto out;
    }
    policy = &tsa->policies[0];
    if (tsq->has_policy) {
        policy = NULL;
        for (size_t i = 0; i < tsa->num_policies && policy == NULL; i++) {
            if (tsa->policies[i].len == tsq->policy_len &&
                memcmp(tsa->policies[i].bytes, tsq->policy, tsq->policy_len) == 0)
                policy = &tsa->policies[i];
        }
        if (policy == NULL) {
            st = reject(tsa, out, TSVC_TSP_FAIL_UNACCEPTED_POLICY, "requested policy not accepted",
                        err);
            goto out;
        }
    }
    if (tsa->clock_fn != NULL) {
        if (tsa->clock_fn(tsa->clock_opaque, &secs, &nanos) != TSVC_OK || nanos > 999999999u) {
            st = reject(tsa, out, TSVC_TSP_FAIL_TIME_NOT_AVAILABLE, "time source not available",
                        err);
            goto out;
        }
    } else if (tsvc_ctx_now(tsa->ctx, &secs, NULL) != TSVC_OK) {
        st = reject(tsa, out, TSVC_TSP_FAIL_TIME_NOT_AVAILABLE, "time source not available", err);
        goto out;
    }
    if (tsa->serial_fn != NULL)
        st = tsa->serial_fn(tsa->serial_opaque, serial, &serial_len);
    else
        st = default_serial(tsa, serial, &serial_len);
    if (st != TSVC_OK || serial_len == 0 || serial_len > sizeof(serial)) {
        st = reject(tsa, out, TSVC_TSP_FAIL_SYSTEM_FAILURE, "serial number source failed", err);
        goto out;
    }

    tsvc__tstinfo_in in;
    memset(&in, 0, sizeof(in));
    in.policy = policy->bytes;
    in.policy_len = policy->len;
    in.imprint = tsq->imprint;
    in.imprint_len = tsq->imprint_len;
    in.serial = serial;
    in.serial_len = serial_len;
    in.gen_time = secs;
    in.gen_nanos = nanos;
    in.acc_seconds = tsa->acc_seconds;
    in.acc_millis = tsa->acc_millis;
    in.acc_micros = tsa->acc_micros;
    in.ordering = tsa->ordering;
    if (tsq->has_nonce) {
        in.nonce = tsq->nonce;
        in.nonce_len = tsq->nonce_len;
    }
    if (tsa->include_name) {
        in.tsa_name = tsa->cert->subject.data;
        in.tsa_name_len = tsa->cert->subject.len;
    }
    tsvc__cbb_init(&cbb, tsa->ctx);
    tsvc__tsp_tstinfo_encode(&cbb, &in);
    if ((st = tsvc__cbb_finish(&cbb, &info)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    {
        const tsvc_cert *certs[1 + TSVC__TSA_MAX_CHAIN];
        size_t num = 0;
        if (tsq->cert_req) {
            certs[num++] = tsa->cert;
            for (size_t i = 0; i < tsa->num_chain; i++)
                certs[num++] = tsa->chain[i];
        }
        tsvc_error *serr = NULL;
        /* The key requirements, before every signature (the key's state,
         * e.g. its activation callback, may have changed). */
        st = check_key(tsa, &serr);
        if (st == TSVC_OK)
            st = tsvc__tsp_token_sign_ess(tsa->ctx, tsa->key, tsa->cert, tsa->signer_hash,
                                          tsa->ess.data, tsa->ess.len, info.data, info.len,
                                          certs, num, &token, &serr);
        if (st == TSVC_ERR_NOMEM) {
            tsvc_error_free(serr);
            st = tsvc__err_code(err, st);
            goto out;
        }
        if (st == TSVC_ERR_KEY_ASSURANCE) {
            /* A systemFailure response for the requester, and the reason
             * for the operator. */
            st = reject(tsa, out, TSVC_TSP_FAIL_SYSTEM_FAILURE, "signing failed", err);
            if (st == TSVC_OK)
                st = tsvc__err(err, TSVC_ERR_KEY_ASSURANCE, tsvc_error_check(serr), -1, "%s",
                               tsvc_error_message(serr));
            tsvc_error_free(serr);
            goto out;
        }
        tsvc_error_free(serr);
        if (st != TSVC_OK) {
            st = reject(tsa, out, TSVC_TSP_FAIL_SYSTEM_FAILURE, "signing failed", err);
            goto out;
        }
    }
    tsvc__cbb_init(&cbb, tsa->ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__tsp_status_encode(&cbb, TSVC_PKI_GRANTED, NULL, 0);
    tsvc__cbb_add_bytes(&cbb, token.data, token.len);
    tsvc__cbb_close(&cbb);
    if ((st = tsvc__cbb_finish(&cbb, out)) != TSVC_OK) {
        st = tsvc__err_code(err, st);
        goto out;
    }
    atomic_fetch_add(&tsa->issued, 1);
out:
    tsvc_error_free(perr);
    tsvc_tsq_free(tsq);
    tsvc_buf_dispose(&info);
    tsvc_buf_dispose(&token);
    return st;
}
