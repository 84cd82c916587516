/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * Helpers shared by the key, PKI and revocation subcommands of tsvc.
 */
#ifndef TSVC_CLI_KEYS_H
#define TSVC_CLI_KEYS_H

#include "common.h"

/* "p256", "p384", "rsa2048", "rsa3072", "ed25519". */
bool parse_alg(const char *text, tsvc_key_type *type, unsigned *bits);
int generate_key(tsvc_key_type type, unsigned bits, tsvc_key **out);
/* Writes a software key as PEM PKCS#8, mode 0600. */
int save_key(const tsvc_key *key, const char *path);
/* "digitalSignature,nonRepudiation,..." */
bool parse_key_usage(const char *list, uint32_t *bits);
/* "dns:NAME", "email:ADDR", "uri:URI", "ip:ADDR". */
bool parse_san(const char *text, tsvc_general_name_type *type, uint8_t *out, size_t size,
               size_t *len);
/* "keyCompromise", ..., or a number. */
bool parse_reason(const char *text, tsvc_crl_reason *out);

#endif /* TSVC_CLI_KEYS_H */
