/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * tsvc: the command-line tool of libtrustsvc. Subcommands live in one
 * file per family (keys, pki, sign, validate, tsp, inspect, revoke).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"keygen", cmd_keygen, "generate a private key (file or PKCS#11 token)"},
    {"csr", cmd_csr, "make a PKCS#10 certificate request"},
    {"pki", cmd_pki, "pki init DIR: a test PKI to try things with; pki issue: certify a request"},
    {"sign", cmd_sign, "sign a file (CAdES B-B or B-T)"},
    {"seal", cmd_seal, "seal a file with an organisation's e-seal (CAdES, e-seal profile)"},
    {"verify", cmd_verify, "verify a signature or seal and print its validation report"},
    {"validate", cmd_validate, "validate a certificate's path (with CRL/OCSP)"},
    {"timestamp", cmd_timestamp, "get an RFC 3161 time-stamp; 'timestamp verify' checks one"},
    {"tsa", cmd_tsa, "tsa serve: run an RFC 3161 time-stamp authority over HTTP"},
    {"inspect", cmd_inspect, "print a certificate, CRL, OCSP response, signature or token"},
    {"crl", cmd_crl, "crl make: issue a certificate revocation list"},
    {"ocsp", cmd_ocsp, "ocsp respond: make a signed OCSP response"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: tsvc [--version] [--help] COMMAND [ARGS]\n\n"
               "tsvc signs, seals, time-stamps and validates with libtrustsvc.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(f, "\nEvery command takes --help and --json. Exit status: 0 success or PASSED,\n"
               "1 FAILED or INDETERMINATE, 2 usage error, 3 runtime error.\n"
               "Try: tsvc pki init demo && tsvc sign --key demo/signer.key --cert "
               "demo/signer.pem README.md README.p7s\n");
}

int main(int argc, char **argv)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    g_colour = isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0') &&
               (term == NULL || strcmp(term, "dumb") != 0);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("tsvc %s (libtrustsvc %s)\n", TSVC_VERSION_STRING, tsvc_version_str());
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
        if (strcmp(argv[1], subcommands[i].name) == 0) {
            static char name[64];
            snprintf(name, sizeof(name), "tsvc %s", subcommands[i].name);
            g_cmd = name;
            if (tsvc_init() != TSVC_OK) {
                fprintf(stderr, "tsvc: the library cannot start\n");
                return EXIT_RUNTIME;
            }
            int rc = subcommands[i].run(argc - 2, argv + 2);
            cli_cleanup();
            fflush(stdout);
            return rc;
        }
    }
    fprintf(stderr, "tsvc: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
