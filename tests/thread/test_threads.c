/*
 * SPDX-License-Identifier: Apache-2.0
 * Thread-safety test: 8 threads use shared objects at the same time, as
 * the design promises they may (parsed certificates, frozen stores,
 * policies, keys and public keys are immutable and shareable; the
 * context is read-only after set-up). Each thread, in a loop:
 *   - signs a message with the shared ECDSA and Ed25519 keys and verifies
 *     the signatures with the shared public keys (and a wrong message);
 *   - validates the shared leaf against ONE shared frozen store and ONE
 *     shared policy, and checks the indication and the chain length;
 *   - serialises the report to JSON and prints the leaf's subject;
 *   - builds an RFC 3161 request, has ONE shared time-stamp authority
 *     (tsvc_tsa_respond) answer it, parses the response and verifies it
 *     against one shared frozen store of TSA anchors.
 * Run under ThreadSanitizer by .ci/sanitizers.sh (build-tsan). Failures
 * inside threads are counted and asserted by the main thread (cmocka's
 * assertions are not thread-safe). TSVC_THREAD_ITERATIONS (default 20)
 * sets the loop count.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trustsvc/trustsvc.h"

#define NUM_THREADS 8
/* 2025-01-01T00:00:00Z: the chains of tests/data/path are valid then. */
#define WHEN INT64_C(1735689600)

typedef struct shared {
    tsvc_ctx *ctx;
    tsvc_key *keys[2];
    tsvc_pubkey *pubs[2];
    tsvc_sig_scheme schemes[2];
    tsvc_hash_alg hashes[2];
    tsvc_cert *leaf;
    tsvc_store *store;
    tsvc_policy *policy;
    tsvc_key *tsa_key;
    tsvc_cert *tsa_cert;
    tsvc_tsa *tsa;
    tsvc_store *tsa_store;
    unsigned iterations;
    atomic_uint failures;
    atomic_uint validations;
    atomic_uint signatures;
    atomic_uint timestamps;
} shared;

static uint8_t *read_file(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    const char *root = getenv("TSVC_SOURCE_ROOT");
    snprintf(path, sizeof(path), "%s/tests/data/%s/%s", root != NULL ? root : ".", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    uint8_t *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static tsvc_cert *load_cert_from(tsvc_ctx *ctx, const char *dir, const char *name)
{
    size_t len = 0;
    uint8_t *buf = read_file(dir, name, &len);
    tsvc_cert *cert = NULL;
    tsvc_error *err = NULL;
    if (tsvc_cert_parse(ctx, &cert, buf, len, &err) != TSVC_OK)
        fail_msg("cannot parse %s: %s", name, tsvc_error_message(err));
    free(buf);
    return cert;
}

static tsvc_cert *load_cert(tsvc_ctx *ctx, const char *name)
{
    return load_cert_from(ctx, "path", name);
}

static tsvc_key *load_key(tsvc_ctx *ctx, const char *dir, const char *name)
{
    size_t len = 0;
    uint8_t *buf = read_file(dir, name, &len);
    tsvc_key *key = NULL;
    tsvc_error *err = NULL;
    if (tsvc_key_import(ctx, &key, buf, len, &err) != TSVC_OK)
        fail_msg("cannot import %s: %s", name, tsvc_error_message(err));
    tsvc_memzero(buf, len);
    free(buf);
    return key;
}

static void note_failure(shared *s, bool bad, const char *what)
{
    if (bad) {
        fprintf(stderr, "thread check failed: %s\n", what);
        atomic_fetch_add(&s->failures, 1u);
    }
}

static void sign_verify(shared *s, unsigned thread, unsigned i)
{
    char msg[64];
    const int n = snprintf(msg, sizeof(msg), "thread %u iteration %u", thread, i);
    for (size_t k = 0; k < 2; k++) {
        tsvc_buf sig = TSVC_BUF_INIT;
        tsvc_status st = tsvc_key_sign(s->keys[k], &sig, s->schemes[k], s->hashes[k],
                                       (const uint8_t *)msg, (size_t)n, NULL);
        note_failure(s, st != TSVC_OK, "sign");
        if (st == TSVC_OK) {
            st = tsvc_pubkey_verify(s->pubs[k], s->schemes[k], s->hashes[k],
                                    (const uint8_t *)msg, (size_t)n, sig.data, sig.len, NULL);
            note_failure(s, st != TSVC_OK, "verify");
            /* The same signature over another message must not verify. */
            st = tsvc_pubkey_verify(s->pubs[k], s->schemes[k], s->hashes[k],
                                    (const uint8_t *)msg, (size_t)n - 1, sig.data, sig.len, NULL);
            note_failure(s, st == TSVC_OK, "verify of a wrong message");
            atomic_fetch_add(&s->signatures, 1u);
        }
        tsvc_buf_dispose(&sig);
    }
}

static void validate(shared *s)
{
    tsvc_report *report = NULL;
    tsvc_status st = tsvc_validate(s->ctx, &report, s->leaf, s->store, s->policy, NULL);
    note_failure(s, st != TSVC_OK || report == NULL, "validate ran");
    if (report != NULL) {
        note_failure(s, tsvc_report_indication(report) != TSVC_INDICATION_PASSED, "chain PASSED");
        note_failure(s, tsvc_report_chain_count(report) != 3, "chain of 3");
        tsvc_buf json = TSVC_BUF_INIT;
        note_failure(s, tsvc_report_to_json(report, &json, NULL) != TSVC_OK, "report JSON");
        tsvc_buf_dispose(&json);
        atomic_fetch_add(&s->validations, 1u);
    }
    tsvc_report_free(report);
    tsvc_buf text = TSVC_BUF_INIT;
    note_failure(s, tsvc_cert_subject_text(s->leaf, &text, NULL) != TSVC_OK, "subject text");
    tsvc_buf_dispose(&text);
}

static void timestamp(shared *s, unsigned thread, unsigned i)
{
    char msg[64];
    const int n = snprintf(msg, sizeof(msg), "time-stamp %u/%u", thread, i);
    tsvc_tsq *tsq = NULL;
    tsvc_tsr *tsr = NULL;
    tsvc_report *report = NULL;
    tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    bool ok = tsvc_tsq_new_data(s->ctx, &tsq, TSVC_HASH_SHA256, msg, (size_t)n, NULL) == TSVC_OK;
    note_failure(s, !ok, "time-stamp request");
    if (!ok)
        goto out;
    tsvc_tsq_set_cert_req(tsq, 1);
    ok = tsvc_tsq_encode(tsq, &req, NULL) == TSVC_OK &&
         tsvc_tsa_respond(s->tsa, &resp, req.data, req.len, NULL) == TSVC_OK &&
         tsvc_tsr_parse(s->ctx, &tsr, resp.data, resp.len, NULL) == TSVC_OK;
    note_failure(s, !ok, "time-stamp response");
    if (!ok)
        goto out;
    note_failure(s, tsvc_tsr_status(tsr) != 0, "time-stamp granted");
    ok = tsvc_tsr_verify(s->ctx, &report, tsr, tsq, s->tsa_store, NULL, NULL) == TSVC_OK &&
         report != NULL;
    note_failure(s, !ok, "time-stamp verification ran");
    if (ok) {
        note_failure(s, tsvc_report_indication(report) != TSVC_INDICATION_PASSED,
                     "time-stamp PASSED");
        atomic_fetch_add(&s->timestamps, 1u);
    }
out:
    tsvc_report_free(report);
    tsvc_tsr_free(tsr);
    tsvc_tsq_free(tsq);
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
}

typedef struct worker {
    shared *s;
    unsigned index;
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    for (unsigned i = 0; i < w->s->iterations; i++) {
        sign_verify(w->s, w->index, i);
        validate(w->s);
        timestamp(w->s, w->index, i);
    }
    return NULL;
}

static void test_shared_objects(void **state)
{
    (void)state;
    shared s;
    memset(&s, 0, sizeof(s));
    const char *it = getenv("TSVC_THREAD_ITERATIONS");
    s.iterations = it != NULL ? (unsigned)strtoul(it, NULL, 10) : 20u;
    if (s.iterations == 0)
        s.iterations = 1;

    assert_int_equal(tsvc_init(), TSVC_OK);
    assert_int_equal(tsvc_ctx_new(&s.ctx, NULL, NULL), TSVC_OK);

    s.keys[0] = load_key(s.ctx, "x509", "ec-leaf.key");
    s.schemes[0] = TSVC_SIG_ECDSA;
    s.hashes[0] = TSVC_HASH_SHA256;
    s.keys[1] = load_key(s.ctx, "x509", "ed25519-leaf.key");
    s.schemes[1] = TSVC_SIG_ED25519;
    s.hashes[1] = TSVC_HASH_NONE;
    for (size_t k = 0; k < 2; k++)
        assert_int_equal(tsvc_key_get_public(s.keys[k], &s.pubs[k], NULL), TSVC_OK);

    s.leaf = load_cert(s.ctx, "leaf.pem");
    tsvc_cert *ica = load_cert(s.ctx, "ica.pem");
    tsvc_cert *root = load_cert(s.ctx, "root.pem");
    assert_int_equal(tsvc_store_new(s.ctx, &s.store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s.store, root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(s.store, ica, NULL), TSVC_OK);
    tsvc_store_freeze(s.store);
    tsvc_cert_free(ica);
    tsvc_cert_free(root);
    assert_int_equal(tsvc_policy_new(s.ctx, &s.policy, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(s.policy, WHEN, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_profile(s.policy, TSVC_PROFILE_SERVER, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_add_peer_name(s.policy, TSVC_PEER_DNS, "example.com", NULL),
                     TSVC_OK);

    /* One time-stamp authority and one store of its anchors, shared. */
    s.tsa_key = load_key(s.ctx, "tsp", "tsa-ec.key");
    s.tsa_cert = load_cert_from(s.ctx, "tsp", "tsa-ec.pem");
    tsvc_cert *tsa_root = load_cert_from(s.ctx, "tsp", "root.pem");
    assert_int_equal(tsvc_tsa_new(s.ctx, &s.tsa, s.tsa_key, s.tsa_cert, "1.3.6.1.4.1.55555.7.1",
                                  NULL),
                     TSVC_OK);
    assert_int_equal(tsvc_store_new(s.ctx, &s.tsa_store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(s.tsa_store, tsa_root, NULL), TSVC_OK);
    tsvc_store_freeze(s.tsa_store);
    tsvc_cert_free(tsa_root);

    pthread_t threads[NUM_THREADS];
    worker workers[NUM_THREADS];
    for (unsigned i = 0; i < NUM_THREADS; i++) {
        workers[i].s = &s;
        workers[i].index = i;
        assert_int_equal(pthread_create(&threads[i], NULL, run, &workers[i]), 0);
    }
    for (unsigned i = 0; i < NUM_THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);

    printf("threads: %u threads x %u iterations: %u signatures, %u validations, "
           "%u time-stamps, %u failures\n",
           NUM_THREADS, s.iterations, atomic_load(&s.signatures), atomic_load(&s.validations),
           atomic_load(&s.timestamps), atomic_load(&s.failures));
    assert_int_equal(atomic_load(&s.failures), 0);
    assert_int_equal(atomic_load(&s.validations), NUM_THREADS * s.iterations);
    assert_int_equal(atomic_load(&s.signatures), 2 * NUM_THREADS * s.iterations);
    assert_int_equal(atomic_load(&s.timestamps), NUM_THREADS * s.iterations);
    assert_int_equal(tsvc_tsa_num_issued(s.tsa), NUM_THREADS * s.iterations);

    tsvc_tsa_free(s.tsa);
    tsvc_store_free(s.tsa_store);
    tsvc_cert_free(s.tsa_cert);
    tsvc_key_free(s.tsa_key);

    tsvc_policy_free(s.policy);
    tsvc_store_free(s.store);
    tsvc_cert_free(s.leaf);
    for (size_t k = 0; k < 2; k++) {
        tsvc_pubkey_free(s.pubs[k]);
        tsvc_key_free(s.keys[k]);
    }
    tsvc_ctx_free(s.ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
