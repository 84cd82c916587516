/*
 * SPDX-License-Identifier: Apache-2.0
 * tsvc_http_curl_fetch(): the fetch callback on libcurl (see tsvc_http.h).
 * Thread safety: one curl easy handle per call; curl_global_init() runs
 * once, through pthread_once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "tsvc_http.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct sink {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t max;
    int too_large;
} sink;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    sink *s = userdata;
    size_t n = size * nmemb;
    if (n > s->max - s->len) {
        s->too_large = 1;
        return 0; /* aborts the transfer */
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n)
            cap *= 2;
        uint8_t *p = realloc(s->data, cap);
        if (p == NULL)
            return 0;
        s->data = p;
        s->cap = cap;
    }
    memcpy(s->data + s->len, ptr, n);
    s->len += n;
    return n;
}

tsvc_status tsvc_http_curl_fetch(void *opaque, const char *url, const char *content_type,
                                 const uint8_t *body, size_t body_len, tsvc_buf *response,
                                 tsvc_error **err)
{
    const tsvc_http_fetch_config *cfg = opaque;
    tsvc_status st = TSVC_OK;
    CURL *h = NULL;
    struct curl_slist *headers = NULL;
    sink s = {NULL, 0, 0, TSVC_HTTP_DEFAULT_MAX_RESPONSE, 0};
    long timeout = TSVC_HTTP_DEFAULT_TIMEOUT_MS, code = 0;
    char *ctype = NULL;
    (void)err;
    if (url == NULL || response == NULL || (body == NULL && body_len != 0))
        return TSVC_ERR_INVALID_ARG;
    if (cfg != NULL && cfg->max_response != 0)
        s.max = cfg->max_response;
    if (cfg != NULL && cfg->timeout_ms > 0)
        timeout = cfg->timeout_ms;
    pthread_once(&curl_once, curl_init);
    if (curl_init_result != CURLE_OK)
        return TSVC_ERR_FETCH;
    h = curl_easy_init();
    if (h == NULL)
        return TSVC_ERR_NOMEM;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    if (content_type != NULL) {
        char line[256];
        if (strlen(content_type) > 200) {
            st = TSVC_ERR_INVALID_ARG;
            goto out;
        }
        strcpy(line, "Content-Type: ");
        strcat(line, content_type);
        headers = curl_slist_append(headers, line);
        headers = curl_slist_append(headers, "Expect:");
        if (headers == NULL) {
            st = TSVC_ERR_NOMEM;
            goto out;
        }
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        st = s.too_large ? TSVC_ERR_LIMIT_INPUT_SIZE : TSVC_ERR_FETCH;
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
    if (code != 200) {
        st = TSVC_ERR_FETCH;
        goto out;
    }
    if (content_type != NULL && strcasecmp(content_type, TSVC_TSQ_MEDIA_TYPE) == 0 &&
        (ctype == NULL || strncasecmp(ctype, TSVC_TSR_MEDIA_TYPE, strlen(TSVC_TSR_MEDIA_TYPE)) != 0)) {
        st = TSVC_ERR_FETCH;
        goto out;
    }
    st = tsvc_fetch_response_set(cfg ? cfg->ctx : NULL, response, s.data, s.len);
out:
    free(s.data);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return st;
}
