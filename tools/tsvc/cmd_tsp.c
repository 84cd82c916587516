/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * tsvc timestamp, tsvc timestamp verify and tsvc tsa serve (RFC 3161).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#ifdef TSVC_CLI_HTTP
#include "tsvc_http.h"
#endif

static void print_token(const tsvc_tst *tst, const char *indent)
{
    int64_t secs = 0;
    uint32_t nanos = 0;
    char when[40], policy[256] = "?", serial[128] = "";
    if (tsvc_tst_gen_time(tst, &secs, &nanos) == TSVC_OK) {
        format_time(secs, when, sizeof(when));
        printf("%sgenTime:   %s", indent, when);
        if (nanos != 0)
            printf(" (+%u ns)", nanos);
        printf("\n");
    }
    uint64_t acc_s = 0;
    uint32_t acc_ms = 0, acc_us = 0;
    if (tsvc_tst_accuracy(tst, &acc_s, &acc_ms, &acc_us))
        printf("%saccuracy:  %llu s %u ms %u us\n", indent, (unsigned long long)acc_s, acc_ms,
               acc_us);
    (void)tsvc_tst_policy(tst, policy, sizeof(policy));
    printf("%spolicy:    %s\n", indent, policy);
    size_t sl = 0;
    const uint8_t *s = tsvc_tst_serial(tst, &sl);
    hex_encode(s, sl, serial, sizeof(serial), 0);
    printf("%sserial:    %s\n", indent, serial);
    size_t dl = 0;
    const uint8_t *d = tsvc_tst_digest(tst, &dl);
    char dig[160];
    hex_encode(d, dl, dig, sizeof(dig), 0);
    printf("%simprint:   %s %s\n", indent, hash_name(tsvc_tst_hash_alg(tst)), dig);
    const tsvc_cert *tc = tsvc_tst_signer_cert(tst);
    if (tc != NULL) {
        char subj[512];
        cert_subject(tc, subj, sizeof(subj));
        printf("%sTSA:       %s\n", indent, subj);
    } else {
        tsvc_buf name = TSVC_BUF_INIT;
        if (tsvc_tst_tsa_name_text(tst, &name, NULL) == TSVC_OK && name.data != NULL)
            printf("%sTSA name:  %.*s\n", indent, (int)name.len, (const char *)name.data);
        tsvc_buf_dispose(&name);
    }
}

static void json_token(jw *w, const char *key, const tsvc_tst *tst)
{
    jw_obj(w, key);
    int64_t secs = 0;
    uint32_t nanos = 0;
    if (tsvc_tst_gen_time(tst, &secs, &nanos) == TSVC_OK) {
        jw_time(w, "gen_time", secs);
        jw_int(w, "gen_time_nanos", nanos);
    }
    char policy[256] = "", buf[160];
    (void)tsvc_tst_policy(tst, policy, sizeof(policy));
    jw_str(w, "policy", policy);
    size_t len = 0;
    const uint8_t *p = tsvc_tst_serial(tst, &len);
    hex_encode(p, len, buf, sizeof(buf), 0);
    jw_str(w, "serial", buf);
    jw_str(w, "hash", hash_name(tsvc_tst_hash_alg(tst)));
    p = tsvc_tst_digest(tst, &len);
    hex_encode(p, len, buf, sizeof(buf), 0);
    jw_str(w, "digest", buf);
    const tsvc_cert *tc = tsvc_tst_signer_cert(tst);
    if (tc != NULL) {
        char subj[512];
        cert_subject(tc, subj, sizeof(subj));
        jw_str(w, "tsa", subj);
    }
    jw_end_obj(w);
}

/* ------------------------------------------------------------------ */
/* timestamp                                                            */
/* ------------------------------------------------------------------ */

static const opt_spec ts_opts[] = {
    {"url", 0, OPT_VALUE, "URL", "the time-stamp authority (HTTP POST, RFC 3161 section 3.4)"},
    {"tsa-local", 0, OPT_VALUE, "DIR", "use the TSA of a test PKI (tsvc pki init DIR), in-process"},
    {"hash", 0, OPT_VALUE, "ALG", "imprint hash: sha256 (default), sha384, sha512"},
    {"policy", 0, OPT_VALUE, "OID", "ask for this TSA policy"},
    {"out", 'o', OPT_VALUE, "FILE", "where the TimeStampResp (DER) goes"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command ts_cmd = {
    "timestamp", "(--url URL | --tsa-local DIR) [--hash ALG] IN -o OUT.tsr",
    "Gets an RFC 3161 time-stamp over IN and writes the TimeStampResp to OUT.",
    "The reply must be granted and answer this request (same imprint and nonce).\n"
    "Check it later with 'tsvc timestamp verify', or with\n"
    "'openssl ts -verify -data IN -in OUT.tsr -CAfile ROOT -untrusted CHAIN'.",
    ts_opts, 1, 1};

static const opt_spec tsv_opts[] = {
    {"trust", 't', OPT_VALUE, "FILE", "trust anchors for the TSA's certificate"},
    {"untrusted", 'u', OPT_MULTI, "FILE", "intermediate (and TSA) certificates"},
    {"data", 0, OPT_VALUE, "FILE", "the time-stamped data"},
    {"digest", 0, OPT_VALUE, "HEX", "or its digest (with --hash)"},
    {"hash", 0, OPT_VALUE, "ALG", "hash of --digest (default: the token's)"},
    {"policy", 0, OPT_MULTI, "OID", "accepted TSA policy (default: any)"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command tsv_cmd = {
    "timestamp verify", "--trust ANCHORS (--data IN | --digest HEX) TSR",
    "Verifies a time-stamp (a TimeStampResp or a bare token) against the data.",
    "Checks the token's signature, the imprint, the TSA certificate (critical\n"
    "extendedKeyUsage timeStamping only, ESSCertID) and its path at genTime.\n"
    "Exit status 0 when PASSED, 1 when FAILED or INDETERMINATE.",
    tsv_opts, 1, 1};

static int timestamp_verify(int argc, char **argv);

int cmd_timestamp(int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "verify") == 0) {
        g_cmd = "tsvc timestamp verify";
        return timestamp_verify(argc - 1, argv + 1);
    }
    opt_result r;
    bool help;
    int rc = opts_parse(&ts_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *url = opt_get(&ts_cmd, &r, "url");
    const char *local = opt_get(&ts_cmd, &r, "tsa-local");
    const char *hash_s = opt_get(&ts_cmd, &r, "hash");
    const char *policy = opt_get(&ts_cmd, &r, "policy");
    const char *outp = opt_get(&ts_cmd, &r, "out");
    if ((url == NULL) == (local == NULL))
        return usage_error(&ts_cmd, "give exactly one of --url URL and --tsa-local DIR");
    if (outp == NULL)
        return usage_error(&ts_cmd, "--out is required");
    tsvc_hash_alg hash = TSVC_HASH_SHA256;
    if (hash_s != NULL && !parse_hash(hash_s, &hash))
        return usage_error(&ts_cmd, "unknown --hash '%s' (sha256, sha384, sha512)", hash_s);

    tsvc_buf data = TSVC_BUF_INIT, req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
    tsvc_tsq *tsq = NULL;
    tsvc_tsr *tsr = NULL;
    tsvc_error *err = NULL;
    tsvc_status st;
    if ((rc = read_file(r.pos[0], &data)) != 0)
        goto out;
    st = tsvc_tsq_new_data(cli_ctx(), &tsq, hash, data.data, data.len, &err);
    if (st == TSVC_OK && policy != NULL)
        st = tsvc_tsq_set_policy(tsq, policy, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot make the request");
        goto out;
    }
    tsvc_tsq_set_cert_req(tsq, 1);
    if (url != NULL) {
        if ((rc = enable_http_fetch()) != 0)
            goto out;
        st = tsvc_tsq_fetch(cli_ctx(), tsq, url, &resp, &err);
        if (st != TSVC_OK) {
            rc = fail_lib(st, err, "no answer from %s", url);
            goto out;
        }
    } else {
        if ((st = tsvc_tsq_encode(tsq, &req, &err)) != TSVC_OK) {
            rc = fail_lib(st, err, "cannot encode the request");
            goto out;
        }
        if ((rc = local_tsa_respond(local, req.data, req.len, &resp)) != 0)
            goto out;
    }
    if ((st = tsvc_tsr_parse(cli_ctx(), &tsr, resp.data, resp.len, &err)) != TSVC_OK) {
        rc = fail_lib(st, err, "the reply is not a time-stamp response");
        goto out;
    }
    int status = tsvc_tsr_status(tsr);
    const tsvc_tst *tst = tsvc_tsr_token(tsr);
    if ((status != TSVC_PKI_GRANTED && status != TSVC_PKI_GRANTED_WITH_MODS) || tst == NULL) {
        rc = fail("the time-stamp authority refused: %s (failInfo 0x%x)%s%s",
                  tsvc_pki_status_str(status), tsvc_tsr_fail_info(tsr),
                  tsvc_tsr_status_string(tsr) ? ": " : "",
                  tsvc_tsr_status_string(tsr) ? tsvc_tsr_status_string(tsr) : "");
        goto out;
    }
    /* The reply must answer this request: same imprint and nonce. */
    size_t dl1 = 0, dl2 = 0, nl1 = 0, nl2 = 0;
    const uint8_t *d1 = tsvc_tsq_digest(tsq, &dl1), *d2 = tsvc_tst_digest(tst, &dl2);
    const uint8_t *n1 = tsvc_tsq_nonce(tsq, &nl1), *n2 = tsvc_tst_nonce(tst, &nl2);
    if (dl1 != dl2 || memcmp(d1, d2, dl1) != 0 || tsvc_tst_hash_alg(tst) != hash) {
        rc = fail("the time-stamp is not over this data (wrong message imprint)");
        goto out;
    }
    if (n1 != NULL && (n2 == NULL || nl1 != nl2 || memcmp(n1, n2, nl1) != 0)) {
        rc = fail("the time-stamp does not echo the request's nonce");
        goto out;
    }
    if ((rc = write_file(outp, resp.data, resp.len, false)) != 0)
        goto out;
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "in", r.pos[0]);
        jw_str(&w, "out", outp);
        jw_str(&w, "status", tsvc_pki_status_str(status));
        json_token(&w, "token", tst);
        jw_end_obj(&w);
        rc = jw_print(&w);
    } else {
        printf("%stime-stamped%s %s -> %s (%s)\n", c_bold(), c_off(), r.pos[0], outp,
               tsvc_pki_status_str(status));
        print_token(tst, "  ");
    }
out:
    tsvc_tsr_free(tsr);
    tsvc_tsq_free(tsq);
    tsvc_buf_dispose(&req);
    tsvc_buf_dispose(&resp);
    dispose_file(&data);
    return rc;
}

static int timestamp_verify(int argc, char **argv)
{
    opt_result r;
    bool help;
    int rc = opts_parse(&tsv_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *trust = opt_get(&tsv_cmd, &r, "trust");
    const char *datap = opt_get(&tsv_cmd, &r, "data");
    const char *digest_s = opt_get(&tsv_cmd, &r, "digest");
    const char *hash_s = opt_get(&tsv_cmd, &r, "hash");
    if (trust == NULL)
        return usage_error(&tsv_cmd, "--trust is required");
    if ((datap == NULL) == (digest_s == NULL))
        return usage_error(&tsv_cmd, "give exactly one of --data FILE and --digest HEX");
    tsvc_hash_alg hash = TSVC_HASH_NONE;
    if (hash_s != NULL && !parse_hash(hash_s, &hash))
        return usage_error(&tsv_cmd, "unknown --hash '%s'", hash_s);
    uint8_t digest[TSVC_HASH_MAX_SIZE];
    size_t digest_len = 0;
    if (digest_s != NULL && !hex_decode(digest_s, digest, sizeof(digest), &digest_len))
        return usage_error(&tsv_cmd, "--digest must be hexadecimal");

    tsvc_store *store = NULL;
    tsvc_buf in = TSVC_BUF_INIT, data = TSVC_BUF_INIT;
    tsvc_tsr *tsr = NULL;
    tsvc_tst *own = NULL;
    const tsvc_tst *tst = NULL;
    tsvc_report *rep = NULL;
    tsvc_cert_list *extra = NULL;
    tsvc_error *err = NULL;
    tsvc_status st;
    const char *policies[MAX_MULTI];
    int np = opt_count(&tsv_cmd, &r, "policy");
    for (int i = 0; i < np; i++)
        policies[i] = opt_at(&tsv_cmd, &r, "policy", i);

    if ((rc = build_store(&tsv_cmd, &r, &store)) != 0)
        goto out;
    if ((rc = read_file(r.pos[0], &in)) != 0)
        goto out;
    if (tsvc_tsr_parse(cli_ctx(), &tsr, in.data, in.len, NULL) == TSVC_OK) {
        int status = tsvc_tsr_status(tsr);
        tst = tsvc_tsr_token(tsr);
        if (tst == NULL) {
            printf("Time-stamp: %s\n  Indication: %s%s%s\n  Reason:     the response is "
                   "'%s' and carries no token\n",
                   r.pos[0], c_red(), "FAILED", c_off(), tsvc_pki_status_str(status));
            rc = EXIT_INVALID;
            goto out;
        }
    } else if ((st = tsvc_tst_parse(cli_ctx(), &own, in.data, in.len, &err)) == TSVC_OK) {
        tst = own;
    } else {
        rc = fail_lib(st, err, "%s is neither a time-stamp response nor a token", r.pos[0]);
        goto out;
    }
    if (hash == TSVC_HASH_NONE)
        hash = tsvc_tst_hash_alg(tst);
    if (datap != NULL) {
        if ((rc = read_file(datap, &data)) != 0)
            goto out;
        st = tsvc_hash_oneshot(cli_ctx(), hash, data.data, data.len, digest, sizeof(digest),
                               &digest_len, &err);
        if (st != TSVC_OK) {
            rc = fail_lib(st, err, "cannot hash %s", datap);
            goto out;
        }
    }
    tsvc_tsp_verify_options vo = TSVC_TSP_VERIFY_OPTIONS_INIT;
    vo.policies = np > 0 ? policies : NULL;
    vo.num_policies = (size_t)np;
    st = tsvc_tst_verify(cli_ctx(), &rep, tst, hash, digest, digest_len, store, &vo, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot verify %s", r.pos[0]);
        goto out;
    }
    int ind = tsvc_report_indication(rep);
    if (g_json) {
        tsvc_buf js = TSVC_BUF_INIT;
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "file", r.pos[0]);
        jw_str(&w, "indication", tsvc_indication_str(ind));
        json_token(&w, "token", tst);
        if (tsvc_report_to_json(rep, &js, NULL) == TSVC_OK)
            jw_raw(&w, "report", (const char *)js.data, js.len);
        jw_end_obj(&w);
        tsvc_buf_dispose(&js);
        if ((rc = jw_print(&w)) != 0)
            goto out;
    } else {
        printf("%sTime-stamp: %s%s\n", c_bold(), r.pos[0], c_off());
        printf("  Indication: %s%s%s%s", c_bold(), indication_colour(ind),
               tsvc_indication_str(ind), c_off());
        if (ind != TSVC_INDICATION_PASSED)
            printf(" / %s", tsvc_subindication_str(tsvc_report_subindication(rep)));
        printf("\n");
        print_token(tst, "  ");
        printf("  TSA chain:\n");
        if (tsvc_report_chain_count(rep) > 0)
            print_chain(rep, "    ");
        else if (!print_chain_from_checks(rep, "tsa-path", "    "))
            printf("    (no chain to a trust anchor was built)\n");
        if (ind != TSVC_INDICATION_PASSED) {
            printf("  %sReason:     %s%s\n", indication_colour(ind), tsvc_report_reason(rep),
                   c_off());
            printf("  Failed checks:\n");
            print_checks(rep, "    ", true);
        }
    }
    rc = ind == TSVC_INDICATION_PASSED ? EXIT_OK : EXIT_INVALID;
out:
    tsvc_report_free(rep);
    tsvc_tst_free(own);
    tsvc_tsr_free(tsr);
    tsvc_cert_list_free(extra);
    dispose_file(&in);
    dispose_file(&data);
    tsvc_store_free(store);
    return rc;
}

/* ------------------------------------------------------------------ */
/* tsa serve                                                            */
/* ------------------------------------------------------------------ */

static const opt_spec tsa_opts[] = {
    {"key", 'k', OPT_VALUE, "FILE|URI", "the TSA's private key (file or pkcs11: URI)"},
    {"cert", 'c', OPT_VALUE, "FILE", "the TSA's certificate (critical EKU timeStamping only)"},
    {"chain", 0, OPT_MULTI, "FILE", "certificates of its chain, sent when a request asks"},
    {"port", 'p', OPT_VALUE, "PORT", "TCP port (0: any free port, printed)"},
    {"address", 0, OPT_VALUE, "IPV4", "address to listen on (default 127.0.0.1)"},
    {"policy", 0, OPT_VALUE, "OID", "TSA policy (default " TSVC_CLI_TSA_POLICY ", an example OID)"},
    {"accuracy", 0, OPT_VALUE, "SECONDS", "accuracy written in tokens (default 1)"},
    {"threads", 0, OPT_VALUE, "N", "worker threads (default 4)"},
    {"port-file", 0, OPT_VALUE, "FILE", "write the port there once listening"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command tsa_cmd = {
    "tsa serve", "--key K --cert C [--chain F] --port P [--policy OID]",
    "Runs an RFC 3161 time-stamp authority over HTTP until SIGINT or SIGTERM.",
    "Requests are POSTed as application/timestamp-query and answered as\n"
    "application/timestamp-reply (RFC 3161 section 3.4); other methods get 405, other\n"
    "content types 415, oversized bodies 413.",
    tsa_opts, 0, 0};

#ifdef TSVC_CLI_HTTP
static volatile sig_atomic_t g_stop;
static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}
#endif

int cmd_tsa(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "serve") != 0 && strcmp(argv[0], "--help") != 0 &&
                     strcmp(argv[0], "-h") != 0)) {
        fprintf(stderr, "usage: tsvc tsa serve --key K --cert C --port P (see tsvc tsa serve "
                        "--help)\n");
        return EXIT_USAGE;
    }
    if (strcmp(argv[0], "serve") == 0) {
        argc--;
        argv++;
    }
    g_cmd = "tsvc tsa serve";
    opt_result r;
    bool help;
    int rc = opts_parse(&tsa_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *keyp = opt_get(&tsa_cmd, &r, "key");
    const char *certp = opt_get(&tsa_cmd, &r, "cert");
    const char *port_s = opt_get(&tsa_cmd, &r, "port");
    const char *policy = opt_get(&tsa_cmd, &r, "policy");
    const char *acc_s = opt_get(&tsa_cmd, &r, "accuracy");
    const char *thr_s = opt_get(&tsa_cmd, &r, "threads");
    const char *addr = opt_get(&tsa_cmd, &r, "address");
    const char *port_file = opt_get(&tsa_cmd, &r, "port-file");
    if (keyp == NULL || certp == NULL || port_s == NULL)
        return usage_error(&tsa_cmd, "--key, --cert and --port are required");
    char *end = NULL;
    long port = strtol(port_s, &end, 10);
    if (end == port_s || *end != '\0' || port < 0 || port > 65535)
        return usage_error(&tsa_cmd, "--port must be 0..65535");
    long acc = 1, threads = 4;
    if (acc_s != NULL) {
        acc = strtol(acc_s, &end, 10);
        if (end == acc_s || *end != '\0' || acc < 0 || acc > 3600)
            return usage_error(&tsa_cmd, "--accuracy must be 0..3600 seconds");
    }
    if (thr_s != NULL) {
        threads = strtol(thr_s, &end, 10);
        if (end == thr_s || *end != '\0' || threads < 1 || threads > 64)
            return usage_error(&tsa_cmd, "--threads must be 1..64");
    }
    if (policy == NULL)
        policy = TSVC_CLI_TSA_POLICY;
#ifndef TSVC_CLI_HTTP
    (void)addr;
    (void)port_file;
    return fail("this tsvc was built without libmicrohttpd and libcurl");
#else
    tsvc_key *key = NULL;
    tsvc_cert *cert = NULL;
    tsvc_tsa *tsa = NULL;
    tsvc_http_tsa_server *srv = NULL;
    tsvc_error *err = NULL;
    tsvc_status st;
    if ((rc = load_key(keyp, &key)) != 0 || (rc = load_cert(certp, &cert)) != 0)
        goto out;
    st = tsvc_tsa_new(cli_ctx(), &tsa, key, cert, policy, &err);
    for (int i = 0; st == TSVC_OK && i < opt_count(&tsa_cmd, &r, "chain"); i++) {
        tsvc_cert_list *l = NULL;
        if ((rc = load_certs(opt_at(&tsa_cmd, &r, "chain", i), &l)) != 0)
            goto out;
        for (size_t j = 0; j < tsvc_cert_list_count(l) && st == TSVC_OK; j++)
            st = tsvc_tsa_add_chain_cert(tsa, tsvc_cert_list_get(l, j), &err);
        tsvc_cert_list_free(l);
    }
    if (st == TSVC_OK)
        st = tsvc_tsa_set_accuracy(tsa, (uint32_t)acc, 0, 0, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot set up the time-stamp authority");
        goto out;
    }
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigprocmask(SIG_BLOCK, &block, &old);
    tsvc_http_tsa_server_options so;
    memset(&so, 0, sizeof(so));
    so.address = addr;
    so.port = (uint16_t)port;
    so.threads = (unsigned)threads;
    st = tsvc_http_tsa_server_start(&srv, tsa, &so);
    if (st != TSVC_OK) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        rc = fail("cannot listen on %s:%ld: %s", addr ? addr : "127.0.0.1", port,
                  tsvc_status_str(st));
        goto out;
    }
    uint16_t p = tsvc_http_tsa_server_port(srv);
    if (port_file != NULL) {
        char txt[16];
        int n = snprintf(txt, sizeof(txt), "%u\n", p);
        if ((rc = write_file(port_file, (const uint8_t *)txt, (size_t)n, false)) != 0) {
            tsvc_http_tsa_server_stop(srv);
            sigprocmask(SIG_SETMASK, &old, NULL);
            goto out;
        }
    }
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "event", "listening");
        jw_str(&w, "address", addr ? addr : "127.0.0.1");
        jw_int(&w, "port", p);
        jw_str(&w, "policy", policy);
        jw_end_obj(&w);
        (void)jw_print(&w);
    } else {
        char subj[512];
        cert_subject(cert, subj, sizeof(subj));
        printf("time-stamp authority %s\nlistening on http://%s:%u/ (policy %s); stop with "
               "Ctrl-C\n",
               subj, addr ? addr : "127.0.0.1", p, policy);
    }
    fflush(stdout);
    while (!g_stop)
        sigsuspend(&old);
    tsvc_http_tsa_server_stop(srv);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "event", "stopped");
        jw_int(&w, "issued", (int64_t)tsvc_tsa_num_issued(tsa));
        jw_end_obj(&w);
        (void)jw_print(&w);
    } else {
        printf("stopped after issuing %llu time-stamp(s)\n",
               (unsigned long long)tsvc_tsa_num_issued(tsa));
    }
    rc = EXIT_OK;
out:
    tsvc_tsa_free(tsa);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    return rc;
#endif
}
