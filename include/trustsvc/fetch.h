/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file fetch.h
 * @brief The fetch callback: how the library asks its caller for bytes
 *        over the network (CRLs from distribution points, OCSP responses
 *        from AIA responders, and time-stamp replies from a TSA).
 *
 * The library opens no sockets. When a policy allows it to fetch, it calls
 * the context's fetch callback with a URL: a GET when there is no body, a
 * POST of the body with the given content type otherwise. The callback
 * puts the reply body into its response buffer with
 * tsvc_fetch_response_set(), which allocates it so that the library can
 * release it.
 *
 * Thread safety: the callback is set while the context is configured (not
 * while other threads use it). The library may call it from any thread
 * that runs an operation with the context, concurrently; it must be
 * thread-safe if the context is shared.
 */
#ifndef TRUSTSVC_FETCH_H
#define TRUSTSVC_FETCH_H

#include "trustsvc/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Fetch callback.
 * @param opaque the pointer given to tsvc_ctx_set_fetch().
 * @param url the URL (NUL-terminated; http, https or whatever the
 *        certificate names: the callback decides what it accepts).
 * @param content_type NULL for a GET; the request's media type for a POST
 *        (e.g. "application/ocsp-request", "application/timestamp-query").
 * @param body the POST body (borrowed for the call), NULL for a GET.
 * @param body_len its length (0 for a GET).
 * @param[out] response empty on entry; fill it with tsvc_fetch_response_set().
 * @param[out] err optional error detail the callback may fill.
 * @return ::TSVC_OK with the response body, or any error status (the
 *         library reports it as ::TSVC_ERR_FETCH with the callback's message).
 * @since 0.1
 */
typedef tsvc_status (*tsvc_fetch_fn)(void *opaque, const char *url, const char *content_type,
                                     const uint8_t *body, size_t body_len, tsvc_buf *response,
                                     tsvc_error **err);

/**
 * @brief Sets (or clears) the context's fetch callback.
 * @param ctx the context.
 * @param fetch the callback, or NULL: then nothing is ever fetched.
 * @param opaque passed to @p fetch.
 * @since 0.1
 */
TSVC_API void tsvc_ctx_set_fetch(tsvc_ctx *ctx, tsvc_fetch_fn fetch, void *opaque);

/**
 * @brief Copies bytes into the response buffer of a fetch callback, with
 *        the context's allocator (so the library can release it).
 * @param ctx the context given to the operation that called the callback
 *        (the callback receives it through its opaque pointer if it needs it;
 *        NULL means the default allocator, right when the context uses it).
 * @param[out] response the callback's response buffer.
 * @param data the bytes (copied).
 * @param len their length.
 * @return ::TSVC_OK, ::TSVC_ERR_NOMEM or ::TSVC_ERR_INVALID_ARG.
 * @since 0.1
 */
TSVC_API tsvc_status tsvc_fetch_response_set(const tsvc_ctx *ctx, tsvc_buf *response,
                                             const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTSVC_FETCH_H */
