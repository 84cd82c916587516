/*
 * SPDX-License-Identifier: Apache-2.0
 * A time-stamp authority over HTTP on libmicrohttpd (see tsvc_http.h):
 * POST application/timestamp-query -> 200 application/timestamp-reply;
 * 405 for other methods, 415 for other content types, 413 for bodies
 * larger than the limit. A thread pool answers concurrent requests through
 * one thread-safe tsvc_tsa.
 * Thread safety: per-connection state only; the answered counter is atomic.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "tsvc_http.h"

struct tsvc_http_tsa_server {
    struct MHD_Daemon *daemon;
    tsvc_tsa *tsa;
    size_t max_body;
    uint16_t port;
    atomic_uint_fast64_t answered;
};

/* Per-request state. */
typedef struct request {
    uint8_t *data;
    size_t len;
    size_t cap;
    int too_large;
} request;

static enum MHD_Result send_status(struct MHD_Connection *c, unsigned code, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
    if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "POST");
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static int content_type_ok(const char *ct)
{
    size_t n = strlen(TSVC_TSQ_MEDIA_TYPE);
    if (ct == NULL || strncasecmp(ct, TSVC_TSQ_MEDIA_TYPE, n) != 0)
        return 0;
    return ct[n] == 0 || ct[n] == ';' || ct[n] == ' ';
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    tsvc_http_tsa_server *srv = cls;
    request *rq = *con_cls;
    (void)url;
    (void)version;
    if (rq == NULL) {
        if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
            return send_status(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST\n");
        if (!content_type_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_CONTENT_TYPE)))
            return send_status(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                               "expected application/timestamp-query\n");
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl != NULL && strtoull(cl, NULL, 10) > srv->max_body)
            return send_status(c, 413 /* Content Too Large */, "request too large\n");
        rq = calloc(1, sizeof(*rq));
        if (rq == NULL)
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->too_large || n > srv->max_body - rq->len) {
            rq->too_large = 1;
            return MHD_YES;
        }
        if (rq->len + n > rq->cap) {
            size_t cap = rq->cap ? rq->cap * 2 : 1024;
            while (cap < rq->len + n)
                cap *= 2;
            uint8_t *p = realloc(rq->data, cap);
            if (p == NULL)
                return MHD_NO;
            rq->data = p;
            rq->cap = cap;
        }
        memcpy(rq->data + rq->len, upload_data, n);
        rq->len += n;
        return MHD_YES;
    }
    if (rq->too_large)
        return send_status(c, 413 /* Content Too Large */, "request too large\n");
    tsvc_buf out = TSVC_BUF_INIT;
    if (tsvc_tsa_respond(srv->tsa, &out, rq->data, rq->len, NULL) != TSVC_OK)
        return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "time-stamp authority failure\n");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(out.len, out.data, MHD_RESPMEM_MUST_COPY);
    tsvc_buf_dispose(&out);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, TSVC_TSR_MEDIA_TYPE);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    if (ret == MHD_YES)
        atomic_fetch_add(&srv->answered, 1);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    request *rq = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (rq != NULL) {
        free(rq->data);
        free(rq);
        *con_cls = NULL;
    }
}

tsvc_status tsvc_http_tsa_server_start(tsvc_http_tsa_server **out, tsvc_tsa *tsa,
                                       const tsvc_http_tsa_server_options *opts)
{
    struct sockaddr_in addr;
    if (out == NULL || tsa == NULL)
        return TSVC_ERR_INVALID_ARG;
    *out = NULL;
    tsvc_http_tsa_server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL)
        return TSVC_ERR_NOMEM;
    srv->tsa = tsa;
    srv->max_body = opts && opts->max_body ? opts->max_body : TSVC_TSQ_MAX_SIZE;
    atomic_init(&srv->answered, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(opts ? opts->port : 0);
    if (inet_pton(AF_INET, opts && opts->address ? opts->address : "127.0.0.1", &addr.sin_addr) !=
        1) {
        free(srv);
        return TSVC_ERR_INVALID_ARG;
    }
    unsigned threads = opts && opts->threads ? opts->threads : 4;
    unsigned timeout = opts && opts->timeout_s ? opts->timeout_s : 10;
    srv->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
                                   NULL, handle, srv, MHD_OPTION_SOCK_ADDR,
                                   (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
                                   MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                                   MHD_OPTION_NOTIFY_COMPLETED, completed, srv, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        free(srv);
        return TSVC_ERR_IO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : 0;
    if (srv->port == 0) {
        MHD_stop_daemon(srv->daemon);
        free(srv);
        return TSVC_ERR_IO;
    }
    *out = srv;
    return TSVC_OK;
}

uint16_t tsvc_http_tsa_server_port(const tsvc_http_tsa_server *srv)
{
    return srv ? srv->port : 0;
}

uint64_t tsvc_http_tsa_server_num_answered(const tsvc_http_tsa_server *srv)
{
    return srv ? (uint64_t)atomic_load(&((tsvc_http_tsa_server *)(uintptr_t)srv)->answered) : 0;
}

void tsvc_http_tsa_server_stop(tsvc_http_tsa_server *srv)
{
    if (srv == NULL)
        return;
    MHD_stop_daemon(srv->daemon);
    free(srv);
}
