/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * Shared pieces of the tsvc command-line tool (see common.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool g_json = false;
bool g_colour = false;
const char *g_cmd = "tsvc";

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static void vmsg(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", g_cmd);
    vfprintf(stderr, fmt, ap);
}

int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_RUNTIME;
}

int fail_lib(tsvc_status st, tsvc_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    const char *m = tsvc_error_message(err);
    if (m != NULL && m[0] != '\0')
        fprintf(stderr, ": %s", m);
    else
        fprintf(stderr, ": %s", tsvc_status_str(st));
    fprintf(stderr, " (%s, status %d)\n", tsvc_status_str(st), (int)st);
    tsvc_error_free(err);
    return EXIT_RUNTIME;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

static int find_opt(const command *cmd, const char *name, size_t len)
{
    for (int i = 0; cmd->opts[i].name != NULL; i++)
        if (strlen(cmd->opts[i].name) == len && strncmp(cmd->opts[i].name, name, len) == 0)
            return i;
    return -1;
}

static int find_short(const command *cmd, char c)
{
    for (int i = 0; cmd->opts[i].name != NULL; i++)
        if (cmd->opts[i].short_name == c)
            return i;
    return -1;
}

/* "  LEFT  text..." with the text wrapped at 79 columns under itself. */
static void print_wrapped(FILE *f, const char *left, const char *text)
{
    const size_t indent = 31, width = 79;
    fprintf(f, "  %-28s ", left);
    size_t col = indent;
    if (strlen(left) > 28) {
        fprintf(f, "\n%*s", (int)indent, "");
    }
    const char *p = text;
    while (*p != '\0') {
        size_t w = strcspn(p, " ");
        if (col > indent && col + 1 + w > width) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, w, f);
        col += w;
        p += w;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

void print_help(const command *cmd, FILE *f)
{
    fprintf(f, "usage: tsvc %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->summary);
    if (cmd->details != NULL)
        fprintf(f, "\n%s\n", cmd->details);
    fprintf(f, "\noptions:\n");
    for (int i = 0; cmd->opts[i].name != NULL; i++) {
        const opt_spec *o = &cmd->opts[i];
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
                     o->metavar ? " " : "", o->metavar ? o->metavar : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        char text[512];
        snprintf(text, sizeof(text), "%s%s", o->help, o->kind == OPT_MULTI ? " (repeatable)" : "");
        print_wrapped(f, left, text);
    }
    fprintf(f, "  %-28s %s\n", "    --json", "machine-readable output (JSON on standard output)");
    fprintf(f, "  %-28s %s\n", "-h, --help", "show this help");
    fprintf(f, "\nexit status: 0 success (PASSED), 1 validation FAILED or INDETERMINATE,\n"
               "2 usage error, 3 runtime error. See tsvc(1).\n");
}

int usage_error(const command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tsvc %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'tsvc %s --help')\n", cmd->name);
    return EXIT_USAGE;
}

static int store_value(const command *cmd, opt_result *res, int idx, const char *value)
{
    const opt_spec *o = &cmd->opts[idx];
    if (res->count[idx] >= MAX_MULTI)
        return usage_error(cmd, "--%s given too many times", o->name);
    if (o->kind == OPT_VALUE && res->count[idx] > 0)
        return usage_error(cmd, "--%s given twice", o->name);
    res->values[idx][res->count[idx]++] = value;
    return 0;
}

int opts_parse(const command *cmd, int argc, char **argv, opt_result *res, bool *help_shown)
{
    memset(res, 0, sizeof(*res));
    *help_shown = false;
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (!only_pos && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            print_help(cmd, stdout);
            *help_shown = true;
            return 0;
        }
        if (!only_pos && strcmp(a, "--json") == 0) {
            g_json = true;
            continue;
        }
        if (!only_pos && a[0] == '-' && a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
            int idx = find_opt(cmd, name, nlen);
            if (idx < 0)
                return usage_error(cmd, "unknown option --%.*s", (int)nlen, name);
            const opt_spec *o = &cmd->opts[idx];
            if (o->kind == OPT_FLAG) {
                if (eq != NULL)
                    return usage_error(cmd, "--%s takes no value", o->name);
                res->count[idx]++;
                continue;
            }
            const char *value = eq ? eq + 1 : NULL;
            if (value == NULL) {
                if (i + 1 >= argc)
                    return usage_error(cmd, "--%s needs a value (%s)", o->name,
                                       o->metavar ? o->metavar : "VALUE");
                value = argv[++i];
            }
            int rc = store_value(cmd, res, idx, value);
            if (rc != 0)
                return rc;
            continue;
        }
        if (!only_pos && a[0] == '-' && a[1] != '\0') {
            if (a[2] != '\0')
                return usage_error(cmd, "unknown option %s", a);
            int idx = find_short(cmd, a[1]);
            if (idx < 0)
                return usage_error(cmd, "unknown option %s", a);
            const opt_spec *o = &cmd->opts[idx];
            if (o->kind == OPT_FLAG) {
                res->count[idx]++;
                continue;
            }
            if (i + 1 >= argc)
                return usage_error(cmd, "%s needs a value (%s)", a,
                                   o->metavar ? o->metavar : "VALUE");
            int rc = store_value(cmd, res, idx, argv[++i]);
            if (rc != 0)
                return rc;
            continue;
        }
        if (res->num_pos >= MAX_POS || res->num_pos >= cmd->max_pos)
            return usage_error(cmd, "unexpected argument '%s'", a);
        res->pos[res->num_pos++] = a;
    }
    if (res->num_pos < cmd->min_pos)
        return usage_error(cmd, "missing argument (usage: tsvc %s %s)", cmd->name,
                           cmd->synopsis);
    return 0;
}

static int opt_index(const command *cmd, const char *name)
{
    return find_opt(cmd, name, strlen(name));
}

const char *opt_get(const command *cmd, const opt_result *res, const char *name)
{
    int i = opt_index(cmd, name);
    if (i < 0 || res->count[i] == 0 || cmd->opts[i].kind == OPT_FLAG)
        return NULL;
    return res->values[i][res->count[i] - 1];
}

bool opt_flag(const command *cmd, const opt_result *res, const char *name)
{
    int i = opt_index(cmd, name);
    return i >= 0 && res->count[i] > 0;
}

int opt_count(const command *cmd, const opt_result *res, const char *name)
{
    int i = opt_index(cmd, name);
    return i < 0 ? 0 : res->count[i];
}

const char *opt_at(const command *cmd, const opt_result *res, const char *name, int k)
{
    int i = opt_index(cmd, name);
    if (i < 0 || k < 0 || k >= res->count[i])
        return NULL;
    return res->values[i][k];
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

#define MAX_FILE_SIZE (256u * 1024u * 1024u)

int read_file(const char *path, tsvc_buf *out)
{
    out->data = NULL;
    out->len = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return fail("cannot read %s: %s", path, strerror(errno));
    size_t cap = 0, len = 0;
    uint8_t *buf = NULL;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > MAX_FILE_SIZE + 1)
                ncap = MAX_FILE_SIZE + 1;
            if (ncap == cap) {
                if (f != stdin)
                    fclose(f);
                if (buf != NULL)
                    tsvc_memzero(buf, len);
                free(buf);
                return fail("%s is larger than %u MiB", path, MAX_FILE_SIZE >> 20);
            }
            uint8_t *nb = malloc(ncap);
            if (nb == NULL) {
                if (f != stdin)
                    fclose(f);
                if (buf != NULL)
                    tsvc_memzero(buf, len);
                free(buf);
                return fail("out of memory reading %s", path);
            }
            if (len > 0) {
                memcpy(nb, buf, len);
                tsvc_memzero(buf, len);
            }
            free(buf);
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    bool bad = ferror(f) != 0;
    if (f != stdin)
        fclose(f);
    if (bad) {
        tsvc_memzero(buf, len);
        free(buf);
        return fail("cannot read %s", path);
    }
    out->data = buf;
    out->len = len;
    return 0;
}

/* Frees a buffer made by read_file() (malloc), wiping it. */
void dispose_file(tsvc_buf *b)
{
    if (b->data != NULL) {
        tsvc_memzero(b->data, b->len);
        free(b->data);
    }
    b->data = NULL;
    b->len = 0;
}

bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int write_file(const char *path, const uint8_t *data, size_t len, bool secret)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return fail("cannot write to standard output");
        return 0;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL)
        return fail("out of memory");
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return fail("cannot write %s: %s", path, strerror(e));
    }
    if (fchmod(fd, secret ? 0600 : 0644) != 0) {
        /* keep mkstemp's 0600 */
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            free(tmp);
            return fail("cannot write %s: %s", path, strerror(e));
        }
        off += (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return fail("cannot write %s: %s", path, strerror(e));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return fail("cannot write %s: %s", path, strerror(e));
    }
    free(tmp);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Library objects                                                     */
/* ------------------------------------------------------------------ */

static tsvc_ctx *g_ctx;

tsvc_ctx *cli_ctx(void)
{
    if (g_ctx == NULL) {
        tsvc_error *err = NULL;
        tsvc_status st = tsvc_ctx_new(&g_ctx, NULL, &err);
        if (st != TSVC_OK) {
            fail_lib(st, err, "cannot create the library context");
            exit(EXIT_RUNTIME);
        }
    }
    return g_ctx;
}

void cli_cleanup(void)
{
    tsvc_ctx_free(g_ctx);
    g_ctx = NULL;
}

/* Value of attribute @p attr in a pkcs11: URI's path or query (percent
 * decoding is left to the library; module-path is taken as written). */
static bool uri_attr(const char *uri, const char *attr, char *out, size_t size)
{
    size_t alen = strlen(attr);
    const char *p = uri + strlen("pkcs11:");
    while (*p != '\0') {
        if (strncmp(p, attr, alen) == 0 && p[alen] == '=') {
            const char *v = p + alen + 1;
            size_t n = strcspn(v, ";?&");
            if (n + 1 > size)
                return false;
            memcpy(out, v, n);
            out[n] = '\0';
            return true;
        }
        size_t skip = strcspn(p, ";?&");
        p += skip;
        if (*p != '\0')
            p++;
    }
    return false;
}

static tsvc_status env_pin(void *opaque, const char *token_label, const char *token_serial,
                           int context_specific, char *pin, size_t pin_size, size_t *pin_len)
{
    (void)opaque;
    (void)token_label;
    (void)token_serial;
    (void)context_specific;
    const char *p = getenv("TSVC_PKCS11_PIN");
    if (p == NULL)
        return TSVC_ERR_PKCS11_PIN_REQUIRED;
    size_t n = strlen(p);
    if (n > pin_size)
        return TSVC_ERR_BUFFER_TOO_SMALL;
    memcpy(pin, p, n);
    *pin_len = n;
    return TSVC_OK;
}

/* Loads the module a pkcs11: URI names (module-path) or $TSVC_PKCS11_MODULE. */
int load_pkcs11_module(const char *uri, tsvc_pkcs11_module **out)
{
    char path[1024];
    const char *mod = NULL;
    if (uri_attr(uri, "module-path", path, sizeof(path)))
        mod = path;
    else
        mod = getenv("TSVC_PKCS11_MODULE");
    if (mod == NULL)
        return fail("%s: name the PKCS#11 module with module-path= in the URI or "
                    "$TSVC_PKCS11_MODULE", "pkcs11");
    if (!tsvc_pkcs11_available())
        return fail("this build of libtrustsvc has no PKCS#11 support");
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_pkcs11_module_load(cli_ctx(), out, mod, &err);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot load the PKCS#11 module %s", mod);
    tsvc_pkcs11_module_set_pin_callback(*out, env_pin, NULL);
    return 0;
}

int load_key(const char *spec, tsvc_key **out)
{
    *out = NULL;
    tsvc_error *err = NULL;
    tsvc_status st;
    if (strncmp(spec, "pkcs11:", 7) == 0) {
        tsvc_pkcs11_module *mod = NULL;
        int rc = load_pkcs11_module(spec, &mod);
        if (rc != 0)
            return rc;
        st = tsvc_pkcs11_key_open(mod, out, spec, &err);
        tsvc_pkcs11_module_free(mod);
        if (st != TSVC_OK)
            return fail_lib(st, err, "cannot open the key %s", "on the token");
        return 0;
    }
    tsvc_buf data = TSVC_BUF_INIT;
    int rc = read_file(spec, &data);
    if (rc != 0)
        return rc;
    st = tsvc_key_import(cli_ctx(), out, data.data, data.len, &err);
    dispose_file(&data);
    if (st != TSVC_OK)
        return fail_lib(st, err, "%s is not a usable private key", spec);
    return 0;
}

int load_cert(const char *path, tsvc_cert **out)
{
    *out = NULL;
    tsvc_buf data = TSVC_BUF_INIT;
    int rc = read_file(path, &data);
    if (rc != 0)
        return rc;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_cert_parse(cli_ctx(), out, data.data, data.len, &err);
    dispose_file(&data);
    if (st != TSVC_OK)
        return fail_lib(st, err, "%s is not a certificate", path);
    return 0;
}

int load_certs(const char *path, tsvc_cert_list **out)
{
    *out = NULL;
    tsvc_buf data = TSVC_BUF_INIT;
    int rc = read_file(path, &data);
    if (rc != 0)
        return rc;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_cert_list_parse(cli_ctx(), out, data.data, data.len, &err);
    dispose_file(&data);
    if (st != TSVC_OK)
        return fail_lib(st, err, "%s holds no readable certificate", path);
    if (tsvc_cert_list_count(*out) == 0) {
        tsvc_cert_list_free(*out);
        *out = NULL;
        return fail("%s holds no certificate", path);
    }
    return 0;
}

/* Adds a CRL (or, with @p ocsp, an OCSP response) read from @p path. */
static int add_revocation_file(tsvc_store *store, const char *path, bool ocsp)
{
    tsvc_buf data = TSVC_BUF_INIT;
    int rc = read_file(path, &data);
    if (rc != 0)
        return rc;
    tsvc_error *err = NULL;
    tsvc_crl *crl = NULL;
    tsvc_ocsp_response *resp = NULL;
    tsvc_status st = ocsp ? tsvc_ocsp_response_parse(cli_ctx(), &resp, data.data, data.len, &err)
                          : tsvc_crl_parse(cli_ctx(), &crl, data.data, data.len, &err);
    dispose_file(&data);
    if (st != TSVC_OK)
        return fail_lib(st, err, "%s is not %s", path, ocsp ? "an OCSP response" : "a CRL");
    st = ocsp ? tsvc_store_add_ocsp_response(store, resp, &err)
              : tsvc_store_add_crl(store, crl, &err);
    tsvc_crl_free(crl);
    tsvc_ocsp_response_free(resp);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot use %s", path);
    return 0;
}

int build_store(const command *cmd, const opt_result *res, tsvc_store **out)
{
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_store_new(cli_ctx(), out, &err);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot create a certificate store");
    int rc = 0;
    const char *trust = opt_get(cmd, res, "trust");
    if (trust != NULL) {
        tsvc_cert_list *l = NULL;
        if ((rc = load_certs(trust, &l)) != 0)
            goto bad;
        for (size_t i = 0; i < tsvc_cert_list_count(l) && rc == 0; i++)
            if ((st = tsvc_store_add_anchor(*out, tsvc_cert_list_get(l, i), &err)) != TSVC_OK)
                rc = fail_lib(st, err, "cannot use a certificate of %s as a trust anchor",
                              trust);
        tsvc_cert_list_free(l);
        if (rc != 0)
            goto bad;
    }
    for (int k = 0; k < opt_count(cmd, res, "untrusted"); k++) {
        const char *f = opt_at(cmd, res, "untrusted", k);
        tsvc_cert_list *l = NULL;
        if ((rc = load_certs(f, &l)) != 0)
            goto bad;
        for (size_t i = 0; i < tsvc_cert_list_count(l) && rc == 0; i++)
            if ((st = tsvc_store_add_intermediate(*out, tsvc_cert_list_get(l, i), &err)) !=
                TSVC_OK)
                rc = fail_lib(st, err, "cannot add a certificate of %s", f);
        tsvc_cert_list_free(l);
        if (rc != 0)
            goto bad;
    }
    for (int k = 0; k < opt_count(cmd, res, "crl"); k++)
        if ((rc = add_revocation_file(*out, opt_at(cmd, res, "crl", k), false)) != 0)
            goto bad;
    for (int k = 0; k < opt_count(cmd, res, "ocsp"); k++)
        if ((rc = add_revocation_file(*out, opt_at(cmd, res, "ocsp", k), true)) != 0)
            goto bad;
    return 0;
bad:
    tsvc_store_free(*out);
    *out = NULL;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Times, names, hex                                                   */
/* ------------------------------------------------------------------ */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int64_t now_seconds(void)
{
    int64_t t = 0;
    if (tsvc_ctx_now(cli_ctx(), &t, NULL) != TSVC_OK)
        t = (int64_t)time(NULL);
    return t;
}

bool parse_time(const char *s, int64_t *out)
{
    if (strcmp(s, "now") == 0) {
        *out = now_seconds();
        return true;
    }
    if (s[0] == '@') {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(s + 1, &end, 10);
        if (errno != 0 || end == s + 1 || *end != '\0')
            return false;
        *out = (int64_t)v;
        return true;
    }
    unsigned y, mo, d, h = 0, mi = 0, se = 0;
    int n = 0;
    if (sscanf(s, "%4u-%2u-%2u%n", &y, &mo, &d, &n) != 3 || n != 10)
        return false;
    const char *rest = s + 10;
    if (*rest == 'T' || *rest == ' ') {
        int n2 = 0;
        if (sscanf(rest + 1, "%2u:%2u:%2u%n", &h, &mi, &se, &n2) != 3 || n2 != 8)
            return false;
        rest += 1 + 8;
        if (*rest == 'Z')
            rest++;
    }
    if (*rest != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

static void split_time(int64_t t, int64_t *y, unsigned *mo, unsigned *d, unsigned *h,
                       unsigned *mi, unsigned *s)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    civil_from_days(days, y, mo, d);
    *h = (unsigned)(secs / 3600);
    *mi = (unsigned)(secs % 3600 / 60);
    *s = (unsigned)(secs % 60);
}

void format_time(int64_t t, char *out, size_t size)
{
    int64_t y;
    unsigned mo, d, h, mi, s;
    split_time(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, size, "%04lld-%02u-%02u %02u:%02u:%02u UTC", (long long)y, mo, d, h, mi, s);
}

void format_time_iso(int64_t t, char *out, size_t size)
{
    int64_t y;
    unsigned mo, d, h, mi, s;
    split_time(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, size, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi, s);
}

void hex_encode(const uint8_t *p, size_t len, char *out, size_t size, char sep)
{
    static const char hx[] = "0123456789abcdef";
    size_t o = 0;
    if (size == 0)
        return;
    for (size_t i = 0; i < len; i++) {
        size_t need = sep && i > 0 ? 3 : 2;
        if (o + need + 1 > size)
            break;
        if (sep && i > 0)
            out[o++] = sep;
        out[o++] = hx[p[i] >> 4];
        out[o++] = hx[p[i] & 15];
    }
    out[o] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool hex_decode(const char *text, uint8_t *out, size_t size, size_t *len)
{
    if (strncmp(text, "0x", 2) == 0 || strncmp(text, "0X", 2) == 0)
        text += 2;
    size_t digits = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ':' || *p == ' ')
            continue;
        if (hexval(*p) < 0)
            return false;
        digits++;
    }
    if (digits == 0 || (digits + 1) / 2 > size)
        return false;
    /* An odd number of digits reads as if it had a leading zero. */
    size_t n = 0, k = digits % 2;
    unsigned acc = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ':' || *p == ' ')
            continue;
        acc = acc << 4 | (unsigned)hexval(*p);
        if (++k % 2 == 0) {
            out[n++] = (uint8_t)acc;
            acc = 0;
        }
    }
    *len = n;
    return true;
}

bool parse_hash(const char *t, tsvc_hash_alg *out)
{
    if (strcmp(t, "sha256") == 0 || strcmp(t, "SHA256") == 0 || strcmp(t, "sha-256") == 0)
        *out = TSVC_HASH_SHA256;
    else if (strcmp(t, "sha384") == 0 || strcmp(t, "SHA384") == 0 || strcmp(t, "sha-384") == 0)
        *out = TSVC_HASH_SHA384;
    else if (strcmp(t, "sha512") == 0 || strcmp(t, "SHA512") == 0 || strcmp(t, "sha-512") == 0)
        *out = TSVC_HASH_SHA512;
    else
        return false;
    return true;
}

const char *hash_name(tsvc_hash_alg h)
{
    switch (h) {
    case TSVC_HASH_SHA1: return "sha1";
    case TSVC_HASH_SHA224: return "sha224";
    case TSVC_HASH_SHA256: return "sha256";
    case TSVC_HASH_SHA384: return "sha384";
    case TSVC_HASH_SHA512: return "sha512";
    default: return "none";
    }
}

const char *key_type_name(tsvc_key_type t)
{
    switch (t) {
    case TSVC_KEY_ED25519: return "Ed25519";
    case TSVC_KEY_ECDSA_P256: return "ECDSA P-256";
    case TSVC_KEY_ECDSA_P384: return "ECDSA P-384";
    case TSVC_KEY_ECDSA_P521: return "ECDSA P-521";
    case TSVC_KEY_RSA: return "RSA";
    default: return "unknown";
    }
}

const char *scheme_name(tsvc_sig_scheme s)
{
    switch (s) {
    case TSVC_SIG_ED25519: return "Ed25519";
    case TSVC_SIG_ECDSA: return "ECDSA";
    case TSVC_SIG_RSA_PKCS1: return "RSA PKCS#1 v1.5";
    case TSVC_SIG_RSA_PSS: return "RSA-PSS";
    default: return "unknown";
    }
}

bool parse_eku(const char *t, const char **oid)
{
    static const struct {
        const char *name, *oid;
    } names[] = {
        {"serverAuth", "1.3.6.1.5.5.7.3.1"},      {"clientAuth", "1.3.6.1.5.5.7.3.2"},
        {"codeSigning", "1.3.6.1.5.5.7.3.3"},     {"emailProtection", "1.3.6.1.5.5.7.3.4"},
        {"timeStamping", "1.3.6.1.5.5.7.3.8"},    {"OCSPSigning", "1.3.6.1.5.5.7.3.9"},
        {"any", "2.5.29.37.0"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(t, names[i].name) == 0) {
            *oid = names[i].oid;
            return true;
        }
    for (const char *p = t; *p; p++)
        if ((*p < '0' || *p > '9') && *p != '.')
            return false;
    if (t[0] == '\0')
        return false;
    *oid = t;
    return true;
}

void cert_subject(const tsvc_cert *c, char *out, size_t size)
{
    tsvc_buf b = TSVC_BUF_INIT;
    if (c != NULL && tsvc_cert_subject_text(c, &b, NULL) == TSVC_OK && b.data != NULL)
        snprintf(out, size, "%.*s", (int)b.len, (const char *)b.data);
    else
        snprintf(out, size, "?");
    tsvc_buf_dispose(&b);
}

void cert_issuer(const tsvc_cert *c, char *out, size_t size)
{
    tsvc_buf b = TSVC_BUF_INIT;
    if (c != NULL && tsvc_cert_issuer_text(c, &b, NULL) == TSVC_OK && b.data != NULL)
        snprintf(out, size, "%.*s", (int)b.len, (const char *)b.data);
    else
        snprintf(out, size, "?");
    tsvc_buf_dispose(&b);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

const char *c_bold(void) { return g_colour ? "\033[1m" : ""; }
const char *c_green(void) { return g_colour ? "\033[32m" : ""; }
const char *c_red(void) { return g_colour ? "\033[31m" : ""; }
const char *c_yellow(void) { return g_colour ? "\033[33m" : ""; }
const char *c_dim(void) { return g_colour ? "\033[2m" : ""; }
const char *c_off(void) { return g_colour ? "\033[0m" : ""; }

const char *indication_colour(int ind)
{
    if (ind == TSVC_INDICATION_PASSED)
        return c_green();
    if (ind == TSVC_INDICATION_FAILED)
        return c_red();
    return c_yellow();
}

static void jw_put(jw *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 1024;
        while (ncap < w->len + n + 1)
            ncap *= 2;
        char *nb = realloc(w->buf, ncap);
        if (nb == NULL) {
            w->failed = true;
            return;
        }
        w->buf = nb;
        w->cap = ncap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void jw_puts(jw *w, const char *s) { jw_put(w, s, strlen(s)); }

static void jw_escaped(jw *w, const char *s, size_t n)
{
    jw_puts(w, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[8];
        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            jw_put(w, tmp, 2);
        } else if (c == '\n') {
            jw_puts(w, "\\n");
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, sizeof(tmp), "\\u%04x", c);
            jw_puts(w, tmp);
        } else {
            jw_put(w, (const char *)&s[i], 1);
        }
    }
    jw_puts(w, "\"");
}

static void jw_key(jw *w, const char *key)
{
    if (w->depth > 0 && w->need_comma[w->depth])
        jw_puts(w, ",");
    if (w->depth > 0)
        w->need_comma[w->depth] = true;
    if (key != NULL) {
        jw_escaped(w, key, strlen(key));
        jw_puts(w, ":");
    }
}

static void jw_open(jw *w, const char *key, const char *br)
{
    jw_key(w, key);
    jw_puts(w, br);
    if (w->depth < 31)
        w->depth++;
    w->need_comma[w->depth] = false;
}

void jw_obj(jw *w, const char *key) { jw_open(w, key, "{"); }
void jw_arr(jw *w, const char *key) { jw_open(w, key, "["); }

void jw_end_obj(jw *w)
{
    if (w->depth > 0)
        w->depth--;
    jw_puts(w, "}");
}

void jw_end_arr(jw *w)
{
    if (w->depth > 0)
        w->depth--;
    jw_puts(w, "]");
}

void jw_strn(jw *w, const char *key, const char *value, size_t len)
{
    jw_key(w, key);
    if (value == NULL)
        jw_puts(w, "null");
    else
        jw_escaped(w, value, len);
}

void jw_str(jw *w, const char *key, const char *value)
{
    jw_strn(w, key, value, value ? strlen(value) : 0);
}

void jw_int(jw *w, const char *key, int64_t value)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%lld", (long long)value);
    jw_key(w, key);
    jw_puts(w, tmp);
}

void jw_bool(jw *w, const char *key, bool value)
{
    jw_key(w, key);
    jw_puts(w, value ? "true" : "false");
}

void jw_raw(jw *w, const char *key, const char *json, size_t len)
{
    jw_key(w, key);
    if (json == NULL || len == 0)
        jw_puts(w, "null");
    else
        jw_put(w, json, len);
}

void jw_time(jw *w, const char *key, int64_t t)
{
    char tmp[40];
    format_time_iso(t, tmp, sizeof(tmp));
    jw_str(w, key, tmp);
}

int jw_print(jw *w)
{
    int rc = 0;
    if (w->failed || w->buf == NULL) {
        rc = fail("out of memory writing JSON");
    } else {
        fputs(w->buf, stdout);
        fputc('\n', stdout);
    }
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

static int depth_of(const tsvc_report *r, size_t i)
{
    int d = 0;
    int p = tsvc_report_check_parent(r, i);
    while (p >= 0 && d < 16) {
        d++;
        p = tsvc_report_check_parent(r, (size_t)p);
    }
    return d;
}

void print_checks(const tsvc_report *r, const char *indent, bool failures_only)
{
    size_t n = tsvc_report_num_checks(r);
    for (size_t i = 0; i < n; i++) {
        tsvc_check_result res = tsvc_report_check_result(r, i);
        if (failures_only && res != TSVC_CHECK_FAILED)
            continue;
        const char *col = res == TSVC_CHECK_PASSED   ? c_green()
                          : res == TSVC_CHECK_FAILED ? c_red()
                                                     : c_dim();
        const char *mark = res == TSVC_CHECK_PASSED   ? "ok  "
                           : res == TSVC_CHECK_FAILED ? "FAIL"
                           : res == TSVC_CHECK_SKIPPED ? "skip"
                                                       : "info";
        int d = failures_only ? 0 : depth_of(r, i);
        const char *msg = tsvc_report_check_message(r, i);
        printf("%s%*s%s%s%s %s%s%s\n", indent, 2 * d, "", col, mark, c_off(),
               tsvc_report_check_name(r, i), msg && msg[0] ? ": " : "", msg ? msg : "");
    }
}

void print_chain_cert(const tsvc_cert *c, size_t i, size_t n, const char *indent)
{
    char subj[512], until[40];
    cert_subject(c, subj, sizeof(subj));
    format_time(tsvc_cert_not_after(c), until, sizeof(until));
    const char *role = i == 0 ? "leaf" : (i + 1 == n ? "anchor" : "CA");
    printf("%s%zu. %s %s(%s, valid until %s)%s\n", indent, i, subj, c_dim(), role, until,
           c_off());
}

void print_chain(const tsvc_report *r, const char *indent)
{
    size_t n = tsvc_report_chain_count(r);
    if (n == 0) {
        printf("%s(no chain was built)\n", indent);
        return;
    }
    for (size_t i = 0; i < n; i++)
        print_chain_cert(tsvc_report_chain_cert(r, i), i, n, indent);
}

static const char *result_colour(tsvc_check_result res)
{
    return res == TSVC_CHECK_PASSED ? c_green() : res == TSVC_CHECK_FAILED ? c_red() : c_dim();
}

void print_revocation(const tsvc_report *r, const char *indent)
{
    size_t n = tsvc_report_num_checks(r);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const char *name = tsvc_report_check_name(r, i);
        if (name == NULL || strcmp(name, "revocation") != 0)
            continue;
        tsvc_check_result res = tsvc_report_check_result(r, i);
        const char *msg = tsvc_report_check_message(r, i);
        printf("%s%s%-6s%s %s\n", indent, result_colour(res), tsvc_check_result_str(res),
               c_off(), msg && msg[0] ? msg : name);
        for (size_t j = i + 1; j < n; j++) {
            if (tsvc_report_check_parent(r, j) != (int)i)
                continue;
            tsvc_check_result cr = tsvc_report_check_result(r, j);
            const char *cm = tsvc_report_check_message(r, j);
            printf("%s       %s%s%s: %s\n", indent, result_colour(cr),
                   tsvc_report_check_name(r, j), c_off(), cm ? cm : "");
        }
        any = true;
    }
    if (!any)
        printf("%snot checked\n", indent);
}

/* Children of check @p g named leaf / intermediate / trust-anchor, in the
 * order path processing made them (anchor first). */
static size_t chain_entries(const tsvc_report *r, size_t g, size_t *idx, size_t max)
{
    size_t n = tsvc_report_num_checks(r), k = 0;
    for (size_t j = g + 1; j < n && k < max; j++) {
        if (tsvc_report_check_parent(r, j) != (int)g)
            continue;
        const char *name = tsvc_report_check_name(r, j);
        if (strcmp(name, "leaf") == 0 || strcmp(name, "intermediate") == 0 ||
            strcmp(name, "trust-anchor") == 0)
            idx[k++] = j;
    }
    return k;
}

bool print_chain_from_checks(const tsvc_report *r, const char *group, const char *indent)
{
    size_t n = tsvc_report_num_checks(r);
    for (size_t g = 0; g < n; g++) {
        if (strcmp(tsvc_report_check_name(r, g), group) != 0)
            continue;
        size_t idx[32];
        size_t k = chain_entries(r, g, idx, 32);
        for (size_t m = 0; m < k; m++) {
            size_t j = idx[k - 1 - m];
            const char *name = tsvc_report_check_name(r, j);
            const char *role = strcmp(name, "leaf") == 0           ? "leaf"
                               : strcmp(name, "intermediate") == 0 ? "CA"
                                                                    : "anchor";
            tsvc_check_result cr = tsvc_report_check_result(r, j);
            printf("%s%zu. %s %s(%s)%s%s\n", indent, m, tsvc_report_check_message(r, j),
                   c_dim(), role, c_off(), cr == TSVC_CHECK_FAILED ? " - FAILED" : "");
        }
        return k > 0;
    }
    return false;
}

const char *leaf_from_checks(const tsvc_report *r, const char *group)
{
    size_t n = tsvc_report_num_checks(r);
    for (size_t g = 0; g < n; g++) {
        if (strcmp(tsvc_report_check_name(r, g), group) != 0)
            continue;
        size_t idx[32];
        size_t k = chain_entries(r, g, idx, 32);
        for (size_t m = 0; m < k; m++)
            if (strcmp(tsvc_report_check_name(r, idx[m]), "leaf") == 0)
                return tsvc_report_check_message(r, idx[m]);
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The in-process TSA of a test PKI                                    */
/* ------------------------------------------------------------------ */

static void join(char *out, size_t size, const char *dir, const char *file)
{
    snprintf(out, size, "%s/%s", dir, file);
}

int local_tsa_respond(const char *dir, const uint8_t *req, size_t req_len, tsvc_buf *resp)
{
    char kp[4096], cp[4096], chp[4096];
    join(kp, sizeof(kp), dir, "tsa.key");
    join(cp, sizeof(cp), dir, "tsa.pem");
    join(chp, sizeof(chp), dir, "ca.pem");
    tsvc_key *key = NULL;
    tsvc_cert *cert = NULL, *chain = NULL;
    tsvc_tsa *tsa = NULL;
    tsvc_error *err = NULL;
    int rc = load_key(kp, &key);
    if (rc == 0)
        rc = load_cert(cp, &cert);
    if (rc == 0 && file_exists(chp))
        rc = load_cert(chp, &chain);
    if (rc != 0)
        goto out;
    tsvc_status st = tsvc_tsa_new(cli_ctx(), &tsa, key, cert, TSVC_CLI_TSA_POLICY, &err);
    if (st == TSVC_OK && chain != NULL)
        st = tsvc_tsa_add_chain_cert(tsa, chain, &err);
    if (st == TSVC_OK)
        st = tsvc_tsa_set_accuracy(tsa, 1, 0, 0, &err);
    if (st == TSVC_OK)
        st = tsvc_tsa_respond(tsa, resp, req, req_len, &err);
    if (st != TSVC_OK)
        rc = fail_lib(st, err, "the local time-stamp authority in %s failed", dir);
out:
    tsvc_tsa_free(tsa);
    tsvc_cert_free(chain);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    return rc;
}

/* ------------------------------------------------------------------ */
/* PEM                                                                 */
/* ------------------------------------------------------------------ */

int write_der_or_pem(const char *path, const char *label, const uint8_t *der, size_t len,
                     bool pem)
{
    if (!pem)
        return write_file(path, der, len, false);
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t b64 = (len + 2) / 3 * 4;
    size_t cap = b64 + b64 / 64 + 2 + 2 * (strlen(label) + 32);
    char *out = malloc(cap);
    if (out == NULL)
        return fail("out of memory");
    size_t o = (size_t)snprintf(out, cap, "-----BEGIN %s-----\n", label);
    size_t col = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)der[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)der[i + 1] << 8;
        if (i + 2 < len)
            v |= der[i + 2];
        out[o++] = tbl[(v >> 18) & 63];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? tbl[v & 63] : '=';
        col += 4;
        if (col == 64) {
            out[o++] = '\n';
            col = 0;
        }
    }
    if (col != 0)
        out[o++] = '\n';
    o += (size_t)snprintf(out + o, cap - o, "-----END %s-----\n", label);
    int rc = write_file(path, (const uint8_t *)out, o, false);
    free(out);
    return rc;
}

bool is_pem(const uint8_t *data, size_t len, const char *label)
{
    char begin[96];
    snprintf(begin, sizeof(begin), "-----BEGIN %s-----", label);
    size_t bl = strlen(begin);
    for (size_t i = 0; i + bl <= len; i++)
        if (memcmp(data + i, begin, bl) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Network                                                             */
/* ------------------------------------------------------------------ */

#ifdef TSVC_CLI_HTTP
#include "tsvc_http.h"
static tsvc_http_fetch_config g_fetch_cfg;
#endif

int enable_http_fetch(void)
{
#ifdef TSVC_CLI_HTTP
    g_fetch_cfg.ctx = cli_ctx();
    g_fetch_cfg.timeout_ms = 30000;
    tsvc_ctx_set_fetch(cli_ctx(), tsvc_http_curl_fetch, &g_fetch_cfg);
    return 0;
#else
    return fail("this tsvc was built without libcurl: use --tsa-local DIR, or rebuild with "
                "libcurl and libmicrohttpd");
#endif
}
