/*
 * SPDX-License-Identifier: Apache-2.0
 * Helper of the time-stamp interop tests (interop.sh): our TSA in process
 * and over HTTP, our client (request, fetch, verify), and a token signed
 * with any certificate (to show that a TSA certificate without the
 * critical timeStamping EKU is refused on both sides).
 *
 *   tsp_tool query DATA-FILE HASH(sha256|sha384|sha512) CERTREQ(0|1) OUT.tsq
 *   tsp_tool respond KEY CERT REQ.tsq OUT.tsr [CHAIN.pem]
 *   tsp_tool serve KEY CERT PORT-FILE SECONDS [CHAIN.pem]
 *   tsp_tool fetch URL REQ.tsq OUT.tsr
 *   tsp_tool verify RESP.tsr REQ.tsq ROOT.pem [TSA-CERT.pem]
 *   tsp_tool forge KEY CERT REQ.tsq OUT.tsr
 *
 * verify prints "PASSED", or the indication and the reason, and exits 0
 * only when the response verifies. Every other command exits 0 on success.
 * serve stops by itself after SECONDS, or earlier when PORT-FILE.stop exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cms/cms.h"
#include "trustsvc/fetch.h"
#include "trustsvc/tsp.h"
#include "tsp/tsp.h"
#include "tsvc_http.h"
#include "x509/x509.h"

static tsvc_ctx *ctx;

static void die(const char *what, tsvc_error *err)
{
    fprintf(stderr, "tsp_tool: %s: %s\n", what, err ? tsvc_error_message(err) : "failed");
    exit(2);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "tsp_tool: cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *len = n;
    return buf;
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len) {
        fprintf(stderr, "tsp_tool: cannot write %s\n", path);
        exit(2);
    }
    fclose(f);
}

static tsvc_key *load_key(const char *path)
{
    size_t len;
    uint8_t *d = read_file(path, &len);
    tsvc_key *k = NULL;
    tsvc_error *err = NULL;
    if (tsvc_key_import(ctx, &k, d, len, &err) != TSVC_OK)
        die(path, err);
    free(d);
    return k;
}

static tsvc_cert *load_cert(const char *path)
{
    size_t len;
    uint8_t *d = read_file(path, &len);
    tsvc_cert *c = NULL;
    tsvc_error *err = NULL;
    if (tsvc_cert_parse(ctx, &c, d, len, &err) != TSVC_OK)
        die(path, err);
    free(d);
    return c;
}

static tsvc_tsa *make_tsa(const char *key_path, const char *cert_path, const char *chain,
                          tsvc_key **key, tsvc_cert **cert, tsvc_cert **ca)
{
    tsvc_tsa *tsa = NULL;
    tsvc_error *err = NULL;
    *key = load_key(key_path);
    *cert = load_cert(cert_path);
    *ca = NULL;
    if (tsvc_tsa_new(ctx, &tsa, *key, *cert, "1.2.3.4.1", &err) != TSVC_OK)
        die("tsa", err);
    if (tsvc_tsa_add_policy(tsa, "1.2.3.4.5", &err) != TSVC_OK ||
        tsvc_tsa_set_accuracy(tsa, 1, 0, 0, &err) != TSVC_OK)
        die("tsa", err);
    if (chain != NULL) {
        *ca = load_cert(chain);
        if (tsvc_tsa_add_chain_cert(tsa, *ca, &err) != TSVC_OK)
            die("tsa chain", err);
    }
    return tsa;
}

static int cmd_query(int argc, char **argv)
{
    if (argc != 6)
        return 2;
    size_t len;
    uint8_t *d = read_file(argv[2], &len);
    tsvc_hash_alg h = strcmp(argv[3], "sha384") == 0   ? TSVC_HASH_SHA384
                      : strcmp(argv[3], "sha512") == 0 ? TSVC_HASH_SHA512
                                                       : TSVC_HASH_SHA256;
    tsvc_tsq *q = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    if (tsvc_tsq_new_data(ctx, &q, h, d, len, &err) != TSVC_OK)
        die("query", err);
    tsvc_tsq_set_cert_req(q, atoi(argv[4]));
    if (tsvc_tsq_encode(q, &out, &err) != TSVC_OK)
        die("query", err);
    write_file(argv[5], out.data, out.len);
    tsvc_buf_dispose(&out);
    tsvc_tsq_free(q);
    free(d);
    return 0;
}

static int cmd_respond(int argc, char **argv)
{
    if (argc != 6 && argc != 7)
        return 2;
    tsvc_key *key;
    tsvc_cert *cert, *ca;
    tsvc_tsa *tsa = make_tsa(argv[2], argv[3], argc == 7 ? argv[6] : NULL, &key, &cert, &ca);
    size_t len;
    uint8_t *req = read_file(argv[4], &len);
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    if (tsvc_tsa_respond(tsa, &out, req, len, &err) != TSVC_OK)
        die("respond", err);
    write_file(argv[5], out.data, out.len);
    tsvc_buf_dispose(&out);
    free(req);
    tsvc_tsa_free(tsa);
    tsvc_cert_free(ca);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    if (argc != 6 && argc != 7)
        return 2;
    tsvc_key *key;
    tsvc_cert *cert, *ca;
    tsvc_tsa *tsa = make_tsa(argv[2], argv[3], argc == 7 ? argv[6] : NULL, &key, &cert, &ca);
    tsvc_http_tsa_server *srv = NULL;
    tsvc_http_tsa_server_options o = {"127.0.0.1", 0, 0, 4, 5};
    if (tsvc_http_tsa_server_start(&srv, tsa, &o) != TSVC_OK)
        die("serve", NULL);
    char tmp[1024], stop[1024], port[16];
    snprintf(tmp, sizeof(tmp), "%s.tmp", argv[4]);
    snprintf(stop, sizeof(stop), "%s.stop", argv[4]);
    snprintf(port, sizeof(port), "%u\n", tsvc_http_tsa_server_port(srv));
    write_file(tmp, (const uint8_t *)port, strlen(port));
    if (rename(tmp, argv[4]) != 0)
        die("serve: port file", NULL);
    time_t end = time(NULL) + atoi(argv[5]);
    while (time(NULL) < end && access(stop, F_OK) != 0)
        usleep(50000);
    tsvc_http_tsa_server_stop(srv);
    tsvc_tsa_free(tsa);
    tsvc_cert_free(ca);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    return 0;
}

static int cmd_fetch(int argc, char **argv)
{
    if (argc != 5)
        return 2;
    size_t len;
    uint8_t *req = read_file(argv[3], &len);
    tsvc_http_fetch_config cfg = {ctx, 10000, 0};
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_status st = tsvc_http_curl_fetch(&cfg, argv[2], TSVC_TSQ_MEDIA_TYPE, req, len, &out, NULL);
    if (st != TSVC_OK) {
        fprintf(stderr, "tsp_tool: fetch: %s\n", tsvc_status_str(st));
        return 2;
    }
    write_file(argv[4], out.data, out.len);
    tsvc_buf_dispose(&out);
    free(req);
    return 0;
}

static int cmd_verify(int argc, char **argv)
{
    if (argc != 5 && argc != 6)
        return 2;
    size_t rl, ql;
    uint8_t *resp = read_file(argv[2], &rl), *req = read_file(argv[3], &ql);
    tsvc_tsr *r = NULL;
    tsvc_tsq *q = NULL;
    tsvc_error *err = NULL;
    tsvc_report *rep = NULL;
    tsvc_store *store = NULL;
    tsvc_cert *root = load_cert(argv[4]), *tsa_cert = NULL;
    tsvc_cert_list *list = NULL;
    tsvc_tsp_verify_options o = TSVC_TSP_VERIFY_OPTIONS_INIT;
    if (tsvc_tsr_parse(ctx, &r, resp, rl, &err) != TSVC_OK) {
        printf("REFUSED: the response does not parse: %s\n", tsvc_error_message(err));
        return 1;
    }
    if (tsvc_tsq_parse(ctx, &q, req, ql, &err) != TSVC_OK)
        die("request", err);
    if (tsvc_store_new(ctx, &store, &err) != TSVC_OK ||
        tsvc_store_add_anchor(store, root, &err) != TSVC_OK)
        die("store", err);
    if (argc == 6) {
        tsa_cert = load_cert(argv[5]);
        if (tsvc_cert_list_new(ctx, &list, &err) != TSVC_OK ||
            tsvc_cert_list_add(list, tsa_cert, &err) != TSVC_OK)
            die("list", err);
        o.certs = list;
    }
    if (tsvc_tsr_verify(ctx, &rep, r, q, store, &o, &err) != TSVC_OK)
        die("verify", err);
    int ok = tsvc_report_indication(rep) == TSVC_INDICATION_PASSED;
    if (ok) {
        int64_t secs = 0;
        uint32_t nanos = 0;
        (void)tsvc_tst_gen_time(tsvc_tsr_token(r), &secs, &nanos);
        printf("PASSED genTime=%lld.%09u\n", (long long)secs, nanos);
    } else {
        printf("%s %s: %s\n", tsvc_indication_str(tsvc_report_indication(rep)),
               tsvc_subindication_str(tsvc_report_subindication(rep)), tsvc_report_reason(rep));
    }
    tsvc_report_free(rep);
    tsvc_cert_list_free(list);
    tsvc_cert_free(tsa_cert);
    tsvc_cert_free(root);
    tsvc_store_free(store);
    tsvc_tsq_free(q);
    tsvc_tsr_free(r);
    free(resp);
    free(req);
    return ok ? 0 : 1;
}

/* A granted response signed by any certificate, EKU or not (internal API). */
static int cmd_forge(int argc, char **argv)
{
    if (argc != 6)
        return 2;
    tsvc_key *key = load_key(argv[2]);
    tsvc_cert *cert = load_cert(argv[3]);
    size_t ql;
    uint8_t *req = read_file(argv[4], &ql);
    tsvc_tsq *q = NULL;
    tsvc_error *err = NULL;
    if (tsvc_tsq_parse(ctx, &q, req, ql, &err) != TSVC_OK)
        die("request", err);
    uint8_t pol[16], serial[2] = {0x12, 0x34};
    size_t pol_len = 0;
    (void)tsvc__oid_from_text("1.2.3.4.1", pol, sizeof(pol), &pol_len);
    tsvc__tstinfo_in in;
    memset(&in, 0, sizeof(in));
    in.policy = pol;
    in.policy_len = pol_len;
    in.imprint = q->imprint;
    in.imprint_len = q->imprint_len;
    in.serial = serial;
    in.serial_len = 2;
    in.gen_time = (int64_t)time(NULL);
    if (q->has_nonce) {
        in.nonce = q->nonce;
        in.nonce_len = q->nonce_len;
    }
    tsvc__cbb cbb;
    tsvc_buf ti = TSVC_BUF_INIT, tok = TSVC_BUF_INIT, out = TSVC_BUF_INIT;
    tsvc__cbb_init(&cbb, ctx);
    tsvc__tsp_tstinfo_encode(&cbb, &in);
    if (tsvc__cbb_finish(&cbb, &ti) != TSVC_OK)
        die("forge", NULL);
    const tsvc_cert *certs[1] = {cert};
    if (tsvc__tsp_token_sign(ctx, key, cert, TSVC_HASH_SHA256, ti.data, ti.len, certs, 1, &tok,
                             &err) != TSVC_OK)
        die("forge", err);
    tsvc__cbb_init(&cbb, ctx);
    tsvc__cbb_open(&cbb, TSVC__TAG_SEQUENCE);
    tsvc__tsp_status_encode(&cbb, TSVC_PKI_GRANTED, NULL, 0);
    tsvc__cbb_add_bytes(&cbb, tok.data, tok.len);
    tsvc__cbb_close(&cbb);
    if (tsvc__cbb_finish(&cbb, &out) != TSVC_OK)
        die("forge", NULL);
    write_file(argv[5], out.data, out.len);
    tsvc_buf_dispose(&ti);
    tsvc_buf_dispose(&tok);
    tsvc_buf_dispose(&out);
    tsvc_tsq_free(q);
    free(req);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 2;
    if (argc < 2 || tsvc_ctx_new(&ctx, NULL, NULL) != TSVC_OK) {
        fprintf(stderr, "usage: see the comment at the top of tsp_tool.c\n");
        return 2;
    }
    if (strcmp(argv[1], "query") == 0)
        rc = cmd_query(argc, argv);
    else if (strcmp(argv[1], "respond") == 0)
        rc = cmd_respond(argc, argv);
    else if (strcmp(argv[1], "serve") == 0)
        rc = cmd_serve(argc, argv);
    else if (strcmp(argv[1], "fetch") == 0)
        rc = cmd_fetch(argc, argv);
    else if (strcmp(argv[1], "verify") == 0)
        rc = cmd_verify(argc, argv);
    else if (strcmp(argv[1], "forge") == 0)
        rc = cmd_forge(argc, argv);
    tsvc_ctx_free(ctx);
    return rc;
}
