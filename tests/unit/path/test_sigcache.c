/*
 * SPDX-License-Identifier: Apache-2.0
 * Unit tests of the context's verified-signature cache
 * (TSVC_LIMIT_SIG_CACHE_ENTRIES, tsvc__cert_verify_signed_by): a hit skips
 * the backend, failures are never cached, a size of 0 disables it, two
 * issuers with the same name are told apart, the signature-check budget
 * still counts hits, the storage is allocated with the context and not
 * during operations, and eight threads validating one chain with one
 * context agree (run it under ThreadSanitizer: -Db_sanitize=thread).
 *
 * Backend calls are counted by a copy of the OpenSSL backend's table with
 * its own name, a counting verify_hash and the highest priority.
 * Certificates come from tests/data/path (see make-chains.sh there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "crypto/crypto.h"
#include "test_util.h"
#include "trustsvc/sys/backend.h"
#include "trustsvc/validate.h"
#include "tsvc_config.h"
#include "x509/x509.h"

/* 2025-01-01T00:00:00Z */
#define WHEN INT64_C(1735689600)

#if TSVC_HAVE_OPENSSL
extern const tsvc_backend tsvc__backend_openssl;

static atomic_long g_verifies;
static tsvc_backend g_counting;

static tsvc_status counting_verify_hash(void *state, void *pub,
                                        const tsvc_backend_sig_params *params,
                                        const uint8_t *digest, size_t digest_len,
                                        const uint8_t *sig, size_t sig_len)
{
    atomic_fetch_add(&g_verifies, 1);
    return tsvc__backend_openssl.verify_hash(state, pub, params, digest, digest_len, sig,
                                             sig_len);
}

static long verifies(void)
{
    return atomic_load(&g_verifies);
}

/* Allocation counter for the allocator hooks of a context. */
typedef struct counting_alloc {
    atomic_long allocs, frees;
} counting_alloc;

static void *count_alloc(void *opaque, size_t size)
{
    counting_alloc *c = opaque;
    atomic_fetch_add(&c->allocs, 1);
    return malloc(size);
}

static void count_free(void *opaque, void *ptr)
{
    counting_alloc *c = opaque;
    if (ptr != NULL)
        atomic_fetch_add(&c->frees, 1);
    free(ptr);
}

/* A context whose verifications all go through the counting backend. */
static tsvc_ctx *new_ctx(const tsvc_allocator *alloc)
{
    tsvc_ctx *ctx = NULL;
    assert_int_equal(tsvc_ctx_new(&ctx, alloc, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_add_backend(ctx, &g_counting, 1000, NULL), TSVC_OK);
    return ctx;
}

static tsvc_cert *load(tsvc_ctx *ctx, const char *name)
{
    char file[256];
    snprintf(file, sizeof(file), "%s.pem", name);
    return tsvc_test_load_cert(ctx, "tests/data/path", file);
}

static int setup_backend(void **state)
{
    (void)state;
    g_counting = tsvc__backend_openssl;
    g_counting.name = "counting-openssl";
    g_counting.verify_hash = counting_verify_hash;
    return 0;
}

/* ---- hits, misses, failures ---- */

static void hit_skips_backend(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx(NULL);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES), 1024);
    tsvc_cert *root = load(ctx, "root"), *ica = load(ctx, "ica");
    long v0 = verifies();
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 1);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 1);
    /* Keyed by content: another parse of the same bytes hits too. */
    tsvc_cert *ica2 = load(ctx, "ica");
    assert_ptr_not_equal(ica2, ica);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica2, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 1);
    /* Another context has its own cache. */
    tsvc_ctx *other = new_ctx(NULL);
    assert_int_equal(tsvc__cert_verify_signed_by(other, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 2);
    tsvc_ctx_free(other);
    tsvc_cert_free(ica2);
    tsvc_cert_free(ica);
    tsvc_cert_free(root);
    tsvc_ctx_free(ctx);
}

static void failure_never_cached(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx(NULL);
    tsvc_cert *root = load(ctx, "root"), *ica = load(ctx, "ica"), *leaf = load(ctx, "leaf"),
              *bad = load(ctx, "leaf-badsig");
    long v0 = verifies();
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(tsvc__cert_verify_signed_by(ctx, bad, ica->pubkey, NULL),
                         TSVC_ERR_SIGNATURE_INVALID);
        assert_int_equal(verifies(), v0 + i);
    }
    /* The good leaf has the same TBS: its success does not make the
     * flipped signature pass, before or after. */
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, leaf, ica->pubkey, NULL), TSVC_OK);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, leaf, ica->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 4);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, bad, ica->pubkey, NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    assert_int_equal(verifies(), v0 + 5);
    /* A success with one key is not a success with another. */
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, leaf, root->pubkey, NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, leaf, root->pubkey, NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    assert_int_equal(verifies(), v0 + 7);
    tsvc_cert_free(bad);
    tsvc_cert_free(leaf);
    tsvc_cert_free(ica);
    tsvc_cert_free(root);
    tsvc_ctx_free(ctx);
}

static void size_zero_disables(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx(NULL);
    tsvc_cert *root = load(ctx, "root"), *ica = load(ctx, "ica"), *leaf = load(ctx, "leaf");
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES, 0, NULL), TSVC_OK);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES), 0);
    long v0 = verifies();
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
        assert_int_equal(verifies(), v0 + i);
    }
    /* Back on, with a single entry: the second certificate evicts the
     * first, and results stay right. */
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES, 1, NULL), TSVC_OK);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 4);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, leaf, ica->pubkey, NULL), TSVC_OK);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, leaf, ica->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 5);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 6);
    /* Setting the limit empties the cache. */
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES, 16, NULL), TSVC_OK);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(verifies(), v0 + 7);
    /* Range: 0 .. 2^20; 0 stays refused for the other limits. */
    tsvc_error *err = NULL;
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES,
                                        (UINT64_C(1) << 20) + 1, &err),
                     TSVC_ERR_INVALID_ARG);
    assert_non_null(strstr(tsvc_error_message(err), "signature cache entries"));
    tsvc_error_free(err);
    assert_int_equal(tsvc_ctx_get_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES), 16);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CHECKS, 0, NULL),
                     TSVC_ERR_INVALID_ARG);
    tsvc_cert_free(leaf);
    tsvc_cert_free(ica);
    tsvc_cert_free(root);
    tsvc_ctx_free(ctx);
}

/* ---- validation ---- */

static tsvc_indication validate(tsvc_ctx *ctx, tsvc_cert *leaf, tsvc_cert *anchor,
                                tsvc_cert *inter, tsvc_policy *pol)
{
    tsvc_store *store = NULL;
    tsvc_report *r = NULL;
    assert_int_equal(tsvc_store_new(ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, anchor, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, inter, NULL), TSVC_OK);
    assert_int_equal(tsvc_validate(ctx, &r, leaf, store, pol, NULL), TSVC_OK);
    tsvc_indication ind = tsvc_report_indication(r);
    tsvc_report_free(r);
    tsvc_store_free(store);
    return ind;
}

static tsvc_policy *policy_at_when(tsvc_ctx *ctx)
{
    tsvc_policy *pol = NULL;
    assert_int_equal(tsvc_policy_new(ctx, &pol, NULL), TSVC_OK);
    assert_int_equal(tsvc_policy_set_time(pol, WHEN, NULL), TSVC_OK);
    return pol;
}

static void same_name_issuers_apart(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx(NULL);
    /* root-otherkey: "Test Root" again, with another key. */
    tsvc_cert *root = load(ctx, "root"), *other = load(ctx, "root-otherkey"),
              *ica = load(ctx, "ica"), *leaf = load(ctx, "leaf");
    assert_true(tsvc__name_equal(&root->subject, &other->subject));
    tsvc_policy *pol = policy_at_when(ctx);
    long v0 = verifies();
    assert_int_equal(validate(ctx, leaf, root, ica, pol), TSVC_INDICATION_PASSED);
    assert_int_equal(verifies(), v0 + 2);
    assert_int_equal(validate(ctx, leaf, root, ica, pol), TSVC_INDICATION_PASSED);
    assert_int_equal(verifies(), v0 + 2); /* both signatures from the cache */
    /* The same chain under the other "Test Root" must still fail. */
    assert_int_not_equal(validate(ctx, leaf, other, ica, pol), TSVC_INDICATION_PASSED);
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, other->pubkey, NULL),
                     TSVC_ERR_SIGNATURE_INVALID);
    assert_true(verifies() > v0 + 2);
    tsvc_policy_free(pol);
    tsvc_cert_free(leaf);
    tsvc_cert_free(ica);
    tsvc_cert_free(other);
    tsvc_cert_free(root);
    tsvc_ctx_free(ctx);
}

static void budget_counts_hits(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx(NULL);
    tsvc_cert *root = load(ctx, "root"), *ica = load(ctx, "ica"), *leaf = load(ctx, "leaf");
    tsvc_policy *pol = policy_at_when(ctx);
    assert_int_equal(validate(ctx, leaf, root, ica, pol), TSVC_INDICATION_PASSED);
    long v0 = verifies();
    /* Two checks are needed; a budget of one fails even with both cached. */
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CHECKS, 1, NULL), TSVC_OK);
    assert_int_not_equal(validate(ctx, leaf, root, ica, pol), TSVC_INDICATION_PASSED);
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CHECKS, 2, NULL), TSVC_OK);
    assert_int_equal(validate(ctx, leaf, root, ica, pol), TSVC_INDICATION_PASSED);
    assert_int_equal(verifies(), v0);
    tsvc_policy_free(pol);
    tsvc_cert_free(leaf);
    tsvc_cert_free(ica);
    tsvc_cert_free(root);
    tsvc_ctx_free(ctx);
}

/* The storage comes with the context: operations leave nothing behind. */
static void storage_allocated_up_front(void **state)
{
    (void)state;
    counting_alloc c;
    atomic_init(&c.allocs, 0);
    atomic_init(&c.frees, 0);
    tsvc_allocator a = {count_alloc, count_free, &c};
    tsvc_ctx *ctx = new_ctx(&a);
    tsvc_cert *root = load(ctx, "root"), *ica = load(ctx, "ica");
    /* The first verification gives the root's key its backend handle, which
     * lives (and is released) with the key. */
    assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    long allocs = atomic_load(&c.allocs), frees = atomic_load(&c.frees);
    for (int i = 0; i < 3; i++)
        assert_int_equal(tsvc__cert_verify_signed_by(ctx, ica, root->pubkey, NULL), TSVC_OK);
    assert_int_equal(atomic_load(&c.allocs) - allocs, atomic_load(&c.frees) - frees);
    tsvc_cert_free(ica);
    tsvc_cert_free(root);
    tsvc_ctx_free(ctx);
    assert_int_equal(atomic_load(&c.allocs), atomic_load(&c.frees));
}

/* ---- one context, one chain, eight threads ---- */

typedef struct thread_run {
    tsvc_ctx *ctx;
    tsvc_store *store;
    tsvc_policy *policy;
    tsvc_cert *leaf;
    int failures;
} thread_run;

static void *validate_many(void *arg)
{
    thread_run *tr = arg;
    for (int i = 0; i < 40; i++) {
        tsvc_report *r = NULL;
        if (tsvc_validate(tr->ctx, &r, tr->leaf, tr->store, tr->policy, NULL) != TSVC_OK ||
            tsvc_report_indication(r) != TSVC_INDICATION_PASSED)
            tr->failures++;
        tsvc_report_free(r);
    }
    return NULL;
}

static void run_threads(tsvc_ctx *ctx, uint64_t entries)
{
    assert_int_equal(tsvc_ctx_set_limit(ctx, TSVC_LIMIT_SIG_CACHE_ENTRIES, entries, NULL),
                     TSVC_OK);
    tsvc_cert *root = load(ctx, "root"), *ica = load(ctx, "ica");
    tsvc_store *store = NULL;
    assert_int_equal(tsvc_store_new(ctx, &store, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_anchor(store, root, NULL), TSVC_OK);
    assert_int_equal(tsvc_store_add_intermediate(store, ica, NULL), TSVC_OK);
    tsvc_store_freeze(store);
    tsvc_policy *pol = policy_at_when(ctx);
    /* One leaf object for all: its digest is filled by whichever thread
     * comes first. */
    tsvc_cert *leaf = load(ctx, "leaf");
    enum { T = 8 };
    pthread_t th[T];
    thread_run tr[T];
    long v0 = verifies();
    for (int i = 0; i < T; i++) {
        tr[i] = (thread_run){ctx, store, pol, leaf, 0};
        assert_int_equal(pthread_create(&th[i], NULL, validate_many, &tr[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(tr[i].failures, 0);
    }
    if (entries >= 2) /* at most each thread's first run misses */
        assert_true(verifies() - v0 <= 2 * T);
    tsvc_cert_free(leaf);
    tsvc_policy_free(pol);
    tsvc_store_free(store);
    tsvc_cert_free(ica);
    tsvc_cert_free(root);
}

static void threads_share_one_context(void **state)
{
    (void)state;
    tsvc_ctx *ctx = new_ctx(NULL);
    run_threads(ctx, 1024);
    run_threads(ctx, 1); /* constant eviction */
    tsvc_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hit_skips_backend),
        cmocka_unit_test(failure_never_cached),
        cmocka_unit_test(size_zero_disables),
        cmocka_unit_test(same_name_issuers_apart),
        cmocka_unit_test(budget_counts_hits),
        cmocka_unit_test(storage_allocated_up_front),
        cmocka_unit_test(threads_share_one_context),
    };
    return cmocka_run_group_tests(tests, setup_backend, NULL);
}

#else /* !TSVC_HAVE_OPENSSL */

int main(void)
{
    printf("test-sigcache: needs the OpenSSL backend (not built); skipped\n");
    return 77;
}

#endif
