/*
 * SPDX-License-Identifier: Apache-2.0
 * Interop helper: writes a CRL, OCSP responses and an OCSP request made by
 * our builders (public API only) for the openssl command line to verify
 * (interop.sh), and checks an OCSP response made by openssl for our request.
 *
 * Usage: revoke-interop-gen DATA-DIR OUT-DIR          (write)
 *        revoke-interop-gen DATA-DIR check RESP-FILE  (verify openssl's answer)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustsvc/common.h"
#include "trustsvc/revoke.h"
#include "trustsvc/x509.h"

static tsvc_ctx *ctx;

static int read_file(const char *dir, const char *name, uint8_t **data, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *data = malloc(n > 0 ? (size_t)n : 1);
    *len = fread(*data, 1, (size_t)n, f);
    fclose(f);
    return 0;
}

static int write_file(const char *dir, const char *name, const tsvc_buf *b)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = fwrite(b->data, 1, b->len, f);
    fclose(f);
    return n == b->len ? 0 : -1;
}

static tsvc_cert *load_cert(const char *dir, const char *name)
{
    uint8_t *d;
    size_t n;
    tsvc_cert *c = NULL;
    if (read_file(dir, name, &d, &n) != 0)
        return NULL;
    if (tsvc_cert_parse(ctx, &c, d, n, NULL) != TSVC_OK)
        c = NULL;
    free(d);
    return c;
}

static tsvc_key *load_key(const char *dir, const char *name)
{
    uint8_t *d;
    size_t n;
    tsvc_key *k = NULL;
    if (read_file(dir, name, &d, &n) != 0)
        return NULL;
    if (tsvc_key_import(ctx, &k, d, n, NULL) != TSVC_OK)
        k = NULL;
    free(d);
    return k;
}

#define CHECK(expr)                                                                            \
    do {                                                                                       \
        tsvc_error *e_ = NULL;                                                                 \
        if ((expr) != TSVC_OK) {                                                               \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, tsvc_error_message(e_));       \
            tsvc_error_free(e_);                                                               \
            goto out;                                                                          \
        }                                                                                      \
    } while (0)
#define ERR (&e_)

int main(int argc, char **argv)
{
    int rc = 1;
    tsvc_cert *ica = NULL, *responder = NULL, *good = NULL, *revoked = NULL;
    tsvc_key *ica_key = NULL, *responder_key = NULL;
    tsvc_crl_builder *cb = NULL;
    tsvc_ocsp_response_builder *ob = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    int64_t now = 0;
    size_t sl;
    const uint8_t *serial;

    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s DATA-DIR OUT-DIR | DATA-DIR check RESP\n", argv[0]);
        return 2;
    }
    if (tsvc_ctx_new(&ctx, NULL, NULL) != TSVC_OK)
        return 1;
    ica = load_cert(argv[1], "ica.pem");
    responder = load_cert(argv[1], "responder.pem");
    good = load_cert(argv[1], "leaf-good.pem");
    revoked = load_cert(argv[1], "leaf-revoked.pem");
    ica_key = load_key(argv[1], "ica.key");
    responder_key = load_key(argv[1], "responder.key");
    if (!ica || !responder || !good || !revoked || !ica_key || !responder_key) {
        fprintf(stderr, "cannot load the test PKI from %s\n", argv[1]);
        goto out;
    }
    CHECK(tsvc_ctx_now(ctx, &now, ERR));

    if (argc == 4) {
        /* Check openssl's answer to our request: leaf-good must be good. */
        uint8_t *d;
        size_t n;
        tsvc_ocsp_response *r = NULL;
        tsvc_cert_status s;
        if (read_file(".", argv[3], &d, &n) != 0)
            goto out;
        tsvc_status st = tsvc_ocsp_response_parse(ctx, &r, d, n, NULL);
        free(d);
        if (st != TSVC_OK)
            goto out;
        st = tsvc_ocsp_response_verify(ctx, &s, NULL, NULL, r, good, ica, now, NULL, NULL);
        tsvc_ocsp_response_free(r);
        if (st != TSVC_OK || s != TSVC_CERT_STATUS_GOOD) {
            fprintf(stderr, "openssl's response: %s, status %s\n", tsvc_status_str(st),
                    tsvc_cert_status_str((int)s));
            goto out;
        }
        printf("our verification of openssl's response: good\n");
        rc = 0;
        goto out;
    }

    /* CRL: leaf-revoked revoked an hour ago for keyCompromise. */
    CHECK(tsvc_crl_builder_new(ctx, &cb, ica, ica_key, ERR));
    CHECK(tsvc_crl_builder_set_times(cb, now - 60, now + 86400, ERR));
    CHECK(tsvc_crl_builder_set_number(cb, 7, ERR));
    serial = tsvc_cert_serial(revoked, &sl);
    CHECK(tsvc_crl_builder_add(cb, serial, sl, now - 3600, TSVC_REASON_KEY_COMPROMISE, ERR));
    CHECK(tsvc_crl_builder_finish(cb, &out, ERR));
    if (write_file(argv[2], "ours-crl.der", &out) != 0)
        goto out;
    tsvc_buf_dispose(&out);

    /* OCSP responses: by the CA (byName, SHA-1) and by the delegated responder
     * (byKey, SHA-256 CertID), each for leaf-good (good) and leaf-revoked. */
    for (int delegated = 0; delegated <= 1; delegated++) {
        CHECK(tsvc_ocsp_response_builder_new(ctx, &ob, ica, delegated ? responder : ica,
                                             delegated ? responder_key : ica_key, ERR));
        CHECK(tsvc_ocsp_response_builder_set_times(ob, now - 60, now - 60, now + 86400, ERR));
        CHECK(tsvc_ocsp_response_builder_set_ids(
            ob, delegated ? TSVC_HASH_SHA256 : TSVC_HASH_SHA1, delegated, ERR));
        serial = tsvc_cert_serial(good, &sl);
        CHECK(tsvc_ocsp_response_builder_add(ob, serial, sl, TSVC_CERT_STATUS_GOOD, 0,
                                             TSVC_REASON_NONE, ERR));
        CHECK(tsvc_ocsp_response_builder_finish(ob, &out, ERR));
        if (write_file(argv[2], delegated ? "ours-ocsp-good-delegated.der" : "ours-ocsp-good-ca.der",
                       &out) != 0)
            goto out;
        tsvc_buf_dispose(&out);
        serial = tsvc_cert_serial(revoked, &sl);
        CHECK(tsvc_ocsp_response_builder_add(ob, serial, sl, TSVC_CERT_STATUS_REVOKED,
                                             now - 3600, TSVC_REASON_KEY_COMPROMISE, ERR));
        CHECK(tsvc_ocsp_response_builder_finish(ob, &out, ERR));
        if (write_file(argv[2],
                       delegated ? "ours-ocsp-revoked-delegated.der" : "ours-ocsp-revoked-ca.der",
                       &out) != 0)
            goto out;
        tsvc_buf_dispose(&out);
        tsvc_ocsp_response_builder_free(ob);
        ob = NULL;
    }

    /* Our request for leaf-good, without nonce (openssl's responder answers it). */
    CHECK(tsvc_ocsp_request_build(ctx, &out, good, ica, TSVC_HASH_SHA1, NULL, 0, ERR));
    if (write_file(argv[2], "ours-req.der", &out) != 0)
        goto out;
    tsvc_buf_dispose(&out);
    rc = 0;
out:
    tsvc_buf_dispose(&out);
    tsvc_crl_builder_free(cb);
    tsvc_ocsp_response_builder_free(ob);
    tsvc_cert_free(ica);
    tsvc_cert_free(responder);
    tsvc_cert_free(good);
    tsvc_cert_free(revoked);
    tsvc_key_free(ica_key);
    tsvc_key_free(responder_key);
    tsvc_ctx_free(ctx);
    return rc;
}
