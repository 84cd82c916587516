/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * Shared pieces of the tsvc command-line tool: option parsing, exit
 * codes, reading and (atomically) writing files, loading keys (files or
 * pkcs11: URIs), certificates and stores, times, JSON and human output.
 * The tool uses only the public API of libtrustsvc.
 */
#ifndef TSVC_CLI_COMMON_H
#define TSVC_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <trustsvc/certbuilder.h>
#include <trustsvc/csr.h>
#include <trustsvc/fetch.h>
#include <trustsvc/pkcs11.h>
#include <trustsvc/revoke.h>
#include <trustsvc/seal.h>
#include <trustsvc/sign.h>
#include <trustsvc/tsp.h>
#include <trustsvc/trustsvc.h>
#include <trustsvc/verify.h>

/* Exit codes (documented in tsvc(1)). */
enum {
    EXIT_OK = 0,      /* success; validation PASSED */
    EXIT_INVALID = 1, /* validation FAILED or INDETERMINATE */
    EXIT_USAGE = 2,   /* bad command line */
    EXIT_RUNTIME = 3  /* runtime error: unreadable file, bad input, library error */
};

/* ---- options ---- */

typedef enum opt_kind { OPT_FLAG, OPT_VALUE, OPT_MULTI } opt_kind;

typedef struct opt_spec {
    const char *name;    /* long name without "--" */
    char short_name;     /* 0 for none */
    opt_kind kind;
    const char *metavar; /* for the help text */
    const char *help;
} opt_spec;

#define MAX_OPTS 40
#define MAX_MULTI 32
#define MAX_POS 8

typedef struct opt_result {
    int count[MAX_OPTS];
    const char *values[MAX_OPTS][MAX_MULTI];
    const char *pos[MAX_POS];
    int num_pos;
} opt_result;

typedef struct command {
    const char *name;     /* "sign", "timestamp verify" */
    const char *synopsis; /* after the name */
    const char *summary;  /* one line */
    const char *details;  /* more text for --help, may be NULL */
    const opt_spec *opts; /* terminated by a {NULL} entry */
    int min_pos, max_pos;
} command;

/* Parses argv (argv[0] is the first argument after the command name).
 * Prints --help and returns 0 with *help_shown set; a usage error
 * prints a message and returns EXIT_USAGE. */
int opts_parse(const command *cmd, int argc, char **argv, opt_result *res, bool *help_shown);
/* The value of an option (the last one given), or NULL. */
const char *opt_get(const command *cmd, const opt_result *res, const char *name);
bool opt_flag(const command *cmd, const opt_result *res, const char *name);
int opt_count(const command *cmd, const opt_result *res, const char *name);
const char *opt_at(const command *cmd, const opt_result *res, const char *name, int i);
void print_help(const command *cmd, FILE *f);
int usage_error(const command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- messages ---- */

extern bool g_json;    /* --json given */
extern bool g_colour;  /* colour on stdout */
extern const char *g_cmd; /* "tsvc sign" for messages */

/* "tsvc sign: <message>" on stderr; returns EXIT_RUNTIME. */
int fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Same, with the library's error detail appended; frees err. */
int fail_lib(tsvc_status st, tsvc_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- files ---- */

/* Reads a whole file ("-" is standard input). Returns 0 or EXIT_RUNTIME (message printed). */
int read_file(const char *path, tsvc_buf *out);
/* Writes atomically: a temporary file in the same directory, then rename.
 * "-" writes to standard output. @p secret: mode 0600. */
int write_file(const char *path, const uint8_t *data, size_t len, bool secret);
bool file_exists(const char *path);
/* Writes DER, or PEM with @p label when @p pem. */
int write_der_or_pem(const char *path, const char *label, const uint8_t *der, size_t len,
                     bool pem);
/* Whether the data holds a PEM block with this label. */
bool is_pem(const uint8_t *data, size_t len, const char *label);
/* Frees a buffer filled by read_file(), wiping it. */
void dispose_file(tsvc_buf *b);

/* ---- library objects ---- */

tsvc_ctx *cli_ctx(void); /* the context, made once */
void cli_cleanup(void);

/* A private key from a PEM/DER file or a pkcs11: URI (module from the
 * URI's module-path, or $TSVC_PKCS11_MODULE; PIN from the URI's pin-value
 * or $TSVC_PKCS11_PIN). */
int load_key(const char *spec, tsvc_key **out);
/* The PKCS#11 module a pkcs11: URI names (module-path) or $TSVC_PKCS11_MODULE. */
int load_pkcs11_module(const char *uri, tsvc_pkcs11_module **out);
int load_cert(const char *path, tsvc_cert **out);
int load_certs(const char *path, tsvc_cert_list **out);
/* A store: anchors from @p trust (may be NULL), intermediates and CRL/OCSP
 * files from the options "untrusted", "crl", "ocsp" when the command has them. */
int build_store(const command *cmd, const opt_result *res, tsvc_store **out);

/* ---- times, names, hex ---- */

/* "now", "@<seconds>", "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[Z]". */
bool parse_time(const char *text, int64_t *out);
void format_time(int64_t t, char *out, size_t size); /* "2026-01-01 10:00:00 UTC" */
void format_time_iso(int64_t t, char *out, size_t size); /* "2026-01-01T10:00:00Z" */
void hex_encode(const uint8_t *p, size_t len, char *out, size_t size, char sep);
bool hex_decode(const char *text, uint8_t *out, size_t size, size_t *len);
bool parse_hash(const char *text, tsvc_hash_alg *out);
const char *hash_name(tsvc_hash_alg h);
const char *key_type_name(tsvc_key_type t);
const char *scheme_name(tsvc_sig_scheme s);
bool parse_eku(const char *text, const char **oid);
/* "proof of origin", ... for a commitment-type OID (the OID itself when unknown). */
const char *commitment_name(const char *oid);
/* The subject (or issuer) as text; "?" when it cannot be printed. */
void cert_subject(const tsvc_cert *c, char *out, size_t size);
void cert_issuer(const tsvc_cert *c, char *out, size_t size);
int64_t now_seconds(void);

/* ---- output ---- */

/* Colour escapes (empty strings when g_colour is false). */
const char *c_bold(void);
const char *c_green(void);
const char *c_red(void);
const char *c_yellow(void);
const char *c_dim(void);
const char *c_off(void);
const char *indication_colour(int ind);

/* A small JSON writer into a growing buffer. */
typedef struct jw {
    char *buf;
    size_t len, cap;
    bool need_comma[32];
    int depth;
    bool failed;
} jw;
void jw_obj(jw *w, const char *key);   /* key may be NULL (array element / top level) */
void jw_arr(jw *w, const char *key);
void jw_end_obj(jw *w);
void jw_end_arr(jw *w);
void jw_str(jw *w, const char *key, const char *value); /* NULL value: null */
void jw_strn(jw *w, const char *key, const char *value, size_t len);
void jw_int(jw *w, const char *key, int64_t value);
void jw_bool(jw *w, const char *key, bool value);
void jw_raw(jw *w, const char *key, const char *json, size_t len); /* embedded JSON */
void jw_time(jw *w, const char *key, int64_t t); /* ISO 8601 string */
/* Prints the document (with a final newline) and frees it. */
int jw_print(jw *w);

/* ---- subcommands ---- */

int cmd_keygen(int argc, char **argv);
int cmd_csr(int argc, char **argv);
int cmd_pki(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_seal(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_timestamp(int argc, char **argv);
int cmd_tsa(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_crl(int argc, char **argv);
int cmd_ocsp(int argc, char **argv);

/* A validation policy from --at, --revocation, --crl/--ocsp (soft-fail when
 * given) and --fetch; *revocation_on tells whether revocation is checked. */
int policy_from_options(const command *cmd, const opt_result *r, tsvc_policy **out,
                        bool *revocation_on);
/* An algorithm policy from --algorithms (NULL when not given). */
int algorithm_policy_from_options(const command *cmd, const opt_result *r,
                                  tsvc_algorithm_policy **out);

/* A report's checks, printed as an indented tree (human output). */
void print_checks(const tsvc_report *r, const char *indent, bool failures_only);
/* The chain of a report, one line per certificate. */
void print_chain(const tsvc_report *r, const char *indent);
/** Prints certificate @p i of a chain of @p n (leaf first, anchor last). */
void print_chain_cert(const tsvc_cert *c, size_t i, size_t n, const char *indent);
/* Revocation lines of a report (checks named "revocation" and their children). */
void print_revocation(const tsvc_report *r, const char *indent);
/* The chain as the checks under @p group ("certificate-validation",
 * "tsa-path") name it, for reports whose chain list is empty. */
bool print_chain_from_checks(const tsvc_report *r, const char *group, const char *indent);
/* The subject of the leaf under @p group, or NULL. */
const char *leaf_from_checks(const tsvc_report *r, const char *group);

/* Sets the libcurl fetch callback on the context (EXIT_RUNTIME without libcurl). */
int enable_http_fetch(void);

/* The in-process TSA of a test PKI directory (tsa.key, tsa.pem, ca.pem):
 * answers @p req into @p resp. */
int local_tsa_respond(const char *dir, const uint8_t *req, size_t req_len, tsvc_buf *resp);
/* The TSA policy the test PKI's authority uses. */
#define TSVC_CLI_TSA_POLICY "2.999.3161.1" /* 2.999: the example arc (ITU-T X.660) */

#endif /* TSVC_CLI_COMMON_H */
