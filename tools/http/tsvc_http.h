/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file tsvc_http.h
 * @brief HTTP helpers that live outside the library (which opens no
 *        sockets), for the command-line tool and the tests:
 *        - tsvc_http_curl_fetch(), a ::tsvc_fetch_fn on libcurl (GET, and
 *          POST with a content type, e.g. application/timestamp-query);
 *        - a time-stamp authority served over HTTP with libmicrohttpd
 *          (RFC 3161 section 3.4: POST application/timestamp-query, answer
 *          application/timestamp-reply), refusing other methods (405),
 *          other content types (415) and oversized bodies (413).
 *
 * Uses only the public API of libtrustsvc; link it with the library.
 *
 * Thread safety: tsvc_http_curl_fetch() may be called from many threads at
 * once (each call has its own curl handle; a shared configuration is only
 * read). A server answers concurrent requests on its own threads through
 * one thread-safe ::tsvc_tsa; start and stop it from one thread.
 */
#ifndef TSVC_HTTP_H
#define TSVC_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "trustsvc/common.h"
#include "trustsvc/fetch.h"
#include "trustsvc/tsp.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest response body tsvc_http_curl_fetch() accepts by default, bytes. */
#define TSVC_HTTP_DEFAULT_MAX_RESPONSE (4u * 1024u * 1024u)
/** Default timeout of one fetch, milliseconds. */
#define TSVC_HTTP_DEFAULT_TIMEOUT_MS 30000L

/**
 * @brief Configuration of tsvc_http_curl_fetch(), given as its opaque
 *        pointer (tsvc_ctx_set_fetch(ctx, tsvc_http_curl_fetch, &cfg)).
 *        A NULL opaque means the defaults with the default allocator.
 */
typedef struct tsvc_http_fetch_config {
    const tsvc_ctx *ctx;  /**< Allocator of the response (the context the callback is set on). */
    long timeout_ms;      /**< Whole-transfer timeout; 0: ::TSVC_HTTP_DEFAULT_TIMEOUT_MS. */
    size_t max_response;  /**< Largest body; 0: ::TSVC_HTTP_DEFAULT_MAX_RESPONSE. */
} tsvc_http_fetch_config;

/**
 * @brief A ::tsvc_fetch_fn on libcurl: http and https only; a POST when
 *        @p content_type is set. The reply must have status 200, and for a
 *        time-stamp query the content type application/timestamp-reply.
 * @return ::TSVC_OK, ::TSVC_ERR_FETCH (transfer failed, status not 200,
 *         wrong content type), ::TSVC_ERR_LIMIT_INPUT_SIZE, ::TSVC_ERR_NOMEM,
 *         ::TSVC_ERR_INVALID_ARG.
 */
tsvc_status tsvc_http_curl_fetch(void *opaque, const char *url, const char *content_type,
                                 const uint8_t *body, size_t body_len, tsvc_buf *response,
                                 tsvc_error **err);

/** A running HTTP time-stamp server. */
typedef struct tsvc_http_tsa_server tsvc_http_tsa_server;

/** Options of tsvc_http_tsa_server_start(). */
typedef struct tsvc_http_tsa_server_options {
    const char *address; /**< IPv4 address to listen on; NULL: "127.0.0.1". */
    uint16_t port;       /**< Port; 0: an ephemeral port (see tsvc_http_tsa_server_port()). */
    size_t max_body;     /**< Largest request body; 0: ::TSVC_TSQ_MAX_SIZE. Larger: 413. */
    unsigned threads;    /**< Worker threads; 0: 4. */
    unsigned timeout_s;  /**< Idle connection timeout; 0: 10 seconds. */
} tsvc_http_tsa_server_options;

/**
 * @brief Starts serving @p tsa (borrowed: it must outlive the server).
 * @param[out] out receives the server; stop it with tsvc_http_tsa_server_stop().
 * @param tsa the time-stamp authority.
 * @param opts options, or NULL for the defaults.
 * @return ::TSVC_OK, ::TSVC_ERR_INVALID_ARG, ::TSVC_ERR_NOMEM or
 *         ::TSVC_ERR_IO (the daemon could not start, e.g. port in use).
 */
tsvc_status tsvc_http_tsa_server_start(tsvc_http_tsa_server **out, tsvc_tsa *tsa,
                                       const tsvc_http_tsa_server_options *opts);

/** The port the server listens on (0 for NULL). */
uint16_t tsvc_http_tsa_server_port(const tsvc_http_tsa_server *srv);

/** Number of requests answered with 200 so far. */
uint64_t tsvc_http_tsa_server_num_answered(const tsvc_http_tsa_server *srv);

/** Stops the server, waits for its threads and frees it (NULL accepted). */
void tsvc_http_tsa_server_stop(tsvc_http_tsa_server *srv);

#ifdef __cplusplus
}
#endif

#endif /* TSVC_HTTP_H */
