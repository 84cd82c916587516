/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * tsvc keygen and tsvc csr.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"
#include "keys.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

bool parse_alg(const char *t, tsvc_key_type *type, unsigned *bits)
{
    static const struct {
        const char *name;
        tsvc_key_type type;
        unsigned bits;
    } algs[] = {
        {"p256", TSVC_KEY_ECDSA_P256, 0}, {"p384", TSVC_KEY_ECDSA_P384, 0},
        {"rsa2048", TSVC_KEY_RSA, 2048},  {"rsa3072", TSVC_KEY_RSA, 3072},
        {"ed25519", TSVC_KEY_ED25519, 0},
    };
    for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
        if (strcmp(t, algs[i].name) == 0) {
            *type = algs[i].type;
            *bits = algs[i].bits;
            return true;
        }
    return false;
}

int generate_key(tsvc_key_type type, unsigned bits, tsvc_key **out)
{
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_key_generate(cli_ctx(), out, type, bits, &err);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot generate a %s key", key_type_name(type));
    return 0;
}

int save_key(const tsvc_key *key, const char *path)
{
    tsvc_buf pem = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_key_export(key, &pem, TSVC_FORMAT_PEM, &err);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot export the key");
    int rc = write_file(path, pem.data, pem.len, true);
    tsvc_buf_dispose(&pem);
    return rc;
}

bool parse_key_usage(const char *list, uint32_t *bits)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } kus[] = {
        {"digitalSignature", TSVC_KU_DIGITAL_SIGNATURE},
        {"nonRepudiation", TSVC_KU_NON_REPUDIATION},
        {"contentCommitment", TSVC_KU_NON_REPUDIATION},
        {"keyEncipherment", TSVC_KU_KEY_ENCIPHERMENT},
        {"dataEncipherment", TSVC_KU_DATA_ENCIPHERMENT},
        {"keyAgreement", TSVC_KU_KEY_AGREEMENT},
        {"keyCertSign", TSVC_KU_KEY_CERT_SIGN},
        {"cRLSign", TSVC_KU_CRL_SIGN},
    };
    *bits = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; i < sizeof(kus) / sizeof(kus[0]); i++)
            if (strlen(kus[i].name) == n && strncmp(kus[i].name, p, n) == 0) {
                *bits |= kus[i].bit;
                found = true;
            }
        if (!found)
            return false;
        p += n;
        if (*p == ',')
            p++;
    }
    return *bits != 0;
}

bool parse_san(const char *text, tsvc_general_name_type *type, uint8_t *out, size_t size,
               size_t *len)
{
    const char *colon = strchr(text, ':');
    if (colon == NULL)
        return false;
    size_t plen = (size_t)(colon - text);
    const char *v = colon + 1;
    if (plen == 3 && strncmp(text, "dns", 3) == 0)
        *type = TSVC_GN_DNS;
    else if (plen == 5 && strncmp(text, "email", 5) == 0)
        *type = TSVC_GN_EMAIL;
    else if (plen == 3 && strncmp(text, "uri", 3) == 0)
        *type = TSVC_GN_URI;
    else if (plen == 2 && strncmp(text, "ip", 2) == 0) {
        *type = TSVC_GN_IP;
        if (size < 16)
            return false;
        if (inet_pton(AF_INET, v, out) == 1) {
            *len = 4;
            return true;
        }
        if (inet_pton(AF_INET6, v, out) == 1) {
            *len = 16;
            return true;
        }
        return false;
    } else
        return false;
    size_t n = strlen(v);
    if (n == 0 || n > size)
        return false;
    memcpy(out, v, n);
    *len = n;
    return true;
}

/* ------------------------------------------------------------------ */

static const opt_spec keygen_opts[] = {
    {"alg", 'a', OPT_VALUE, "ALG", "p256 (default), p384, rsa2048, rsa3072 or ed25519"},
    {"out", 'o', OPT_VALUE, "FILE|URI",
     "where the key goes: a PEM file (mode 0600), or a pkcs11: URI naming a token and "
     "object= (generated inside the token)"},
    {"pub", 0, OPT_VALUE, "FILE", "also write the public key (PEM)"},
    {"force", 'f', OPT_FLAG, NULL, "overwrite an existing file"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command keygen_cmd = {
    "keygen", "--alg ALG --out FILE|URI",
    "Generates a private key in a PEM file, or inside a PKCS#11 token.",
    "Ed25519 keys are for the IoT profile: the default signature policy accepts\n"
    "RSA and ECDSA only (ETSI TS 119 312).",
    keygen_opts, 0, 0};

int cmd_keygen(int argc, char **argv)
{
    opt_result r;
    bool help;
    int rc = opts_parse(&keygen_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *alg = opt_get(&keygen_cmd, &r, "alg");
    const char *outp = opt_get(&keygen_cmd, &r, "out");
    const char *pubp = opt_get(&keygen_cmd, &r, "pub");
    tsvc_key_type type;
    unsigned bits;
    if (alg == NULL)
        alg = "p256";
    if (!parse_alg(alg, &type, &bits))
        return usage_error(&keygen_cmd, "unknown --alg '%s' (p256, p384, rsa2048, rsa3072, "
                                        "ed25519)",
                           alg);
    if (outp == NULL)
        return usage_error(&keygen_cmd, "--out is required");
    bool token = strncmp(outp, "pkcs11:", 7) == 0;
    if (!token && file_exists(outp) && !opt_flag(&keygen_cmd, &r, "force"))
        return fail("%s exists (use --force to overwrite it)", outp);

    tsvc_key *key = NULL;
    if (token) {
        tsvc_pkcs11_module *mod = NULL;
        if ((rc = load_pkcs11_module(outp, &mod)) != 0)
            return rc;
        tsvc_error *err = NULL;
        tsvc_status st = tsvc_pkcs11_key_generate(mod, &key, outp, type, bits, &err);
        tsvc_pkcs11_module_free(mod);
        if (st != TSVC_OK)
            return fail_lib(st, err, "cannot generate the key in the token");
    } else {
        if ((rc = generate_key(type, bits, &key)) != 0)
            return rc;
        if ((rc = save_key(key, outp)) != 0)
            goto out;
    }
    tsvc_pubkey *pub = NULL;
    tsvc_buf pem = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_key_get_public(key, &pub, &err);
    if (st == TSVC_OK)
        st = tsvc_pubkey_export(pub, &pem, TSVC_FORMAT_PEM, &err);
    tsvc_pubkey_free(pub);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot read the public key");
        goto out;
    }
    if (pubp != NULL && (rc = write_file(pubp, pem.data, pem.len, false)) != 0) {
        tsvc_buf_dispose(&pem);
        goto out;
    }
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    (void)tsvc_key_get_info(key, &info);
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "alg", alg);
        jw_str(&w, "type", key_type_name(info.type));
        jw_int(&w, "bits", info.bits);
        jw_str(&w, "out", outp);
        jw_str(&w, "storage", info.storage == TSVC_STORAGE_HSM ? "hsm" : "software");
        jw_str(&w, "backend", info.backend);
        jw_strn(&w, "public_key_pem", (const char *)pem.data, pem.len);
        jw_end_obj(&w);
        rc = jw_print(&w);
    } else {
        printf("generated %s (%u bits) %s %s\n", key_type_name(info.type), info.bits,
               token ? "in the token" : "->", outp);
        if (pubp != NULL)
            printf("public key -> %s\n", pubp);
    }
    tsvc_buf_dispose(&pem);
out:
    tsvc_key_free(key);
    return rc;
}

/* ------------------------------------------------------------------ */

static const opt_spec csr_opts[] = {
    {"key", 'k', OPT_VALUE, "FILE|URI", "the key (a PEM/DER file or a pkcs11: URI)"},
    {"subject", 's', OPT_VALUE, "DN", "subject, RFC 4514 text: \"CN=Hanako Yamada,O=Example KK,C=JP\""},
    {"san", 0, OPT_MULTI, "TYPE:VALUE", "subjectAltName: dns:NAME, email:ADDR, uri:URI, ip:ADDR"},
    {"key-usage", 0, OPT_VALUE, "LIST", "requested keyUsage, e.g. digitalSignature,nonRepudiation"},
    {"eku", 0, OPT_MULTI, "OID", "requested extended key usage (OID or serverAuth, clientAuth, "
                                 "emailProtection, codeSigning, timeStamping, OCSPSigning)"},
    {"out", 'o', OPT_VALUE, "FILE", "output file (default: standard output)"},
    {"der", 0, OPT_FLAG, NULL, "write DER instead of PEM"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command csr_cmd = {
    "csr", "--key K --subject DN [--san TYPE:VALUE]... [-o req.pem]",
    "Makes a PKCS#10 certificate request signed by the key (file or token).", NULL, csr_opts, 0,
    0};

int cmd_csr(int argc, char **argv)
{
    opt_result r;
    bool help;
    int rc = opts_parse(&csr_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *keyp = opt_get(&csr_cmd, &r, "key");
    const char *subject = opt_get(&csr_cmd, &r, "subject");
    const char *outp = opt_get(&csr_cmd, &r, "out");
    const char *kul = opt_get(&csr_cmd, &r, "key-usage");
    if (keyp == NULL || subject == NULL)
        return usage_error(&csr_cmd, "--key and --subject are required");
    uint32_t ku = 0;
    if (kul != NULL && !parse_key_usage(kul, &ku))
        return usage_error(&csr_cmd, "unknown key usage in '%s'", kul);
    for (int i = 0; i < opt_count(&csr_cmd, &r, "san"); i++) {
        tsvc_general_name_type t;
        uint8_t v[512];
        size_t vl;
        if (!parse_san(opt_at(&csr_cmd, &r, "san", i), &t, v, sizeof(v), &vl))
            return usage_error(&csr_cmd, "bad --san '%s' (dns:NAME, email:ADDR, uri:URI, ip:ADDR)",
                               opt_at(&csr_cmd, &r, "san", i));
    }
    for (int i = 0; i < opt_count(&csr_cmd, &r, "eku"); i++) {
        const char *oid;
        if (!parse_eku(opt_at(&csr_cmd, &r, "eku", i), &oid))
            return usage_error(&csr_cmd, "bad --eku '%s'", opt_at(&csr_cmd, &r, "eku", i));
    }

    tsvc_key *key = NULL;
    if ((rc = load_key(keyp, &key)) != 0)
        return rc;
    tsvc_csr_builder *b = NULL;
    tsvc_error *err = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_status st = tsvc_csr_builder_new(cli_ctx(), &b, &err);
    if (st == TSVC_OK)
        st = tsvc_csr_builder_set_subject(b, subject, &err);
    for (int i = 0; st == TSVC_OK && i < opt_count(&csr_cmd, &r, "san"); i++) {
        tsvc_general_name_type t;
        uint8_t v[512];
        size_t vl = 0;
        (void)parse_san(opt_at(&csr_cmd, &r, "san", i), &t, v, sizeof(v), &vl);
        st = tsvc_csr_builder_add_san(b, t, v, vl, &err);
    }
    if (st == TSVC_OK && ku != 0)
        st = tsvc_csr_builder_set_key_usage(b, ku, 1, &err);
    for (int i = 0; st == TSVC_OK && i < opt_count(&csr_cmd, &r, "eku"); i++) {
        const char *oid = NULL;
        (void)parse_eku(opt_at(&csr_cmd, &r, "eku", i), &oid);
        st = tsvc_csr_builder_add_eku(b, oid, &err);
    }
    bool der = opt_flag(&csr_cmd, &r, "der");
    if (st == TSVC_OK)
        st = tsvc_csr_builder_sign(b, key, TSVC_SIG_NONE, TSVC_HASH_NONE,
                                   der ? TSVC_FORMAT_DER : TSVC_FORMAT_PEM, &out, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot make the request");
        goto done;
    }
    if (g_json) {
        if (outp == NULL || strcmp(outp, "-") == 0) {
            rc = fail("--json needs --out FILE (the request itself goes to the file)");
            goto done;
        }
        if ((rc = write_file(outp, out.data, out.len, false)) != 0)
            goto done;
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "out", outp);
        jw_str(&w, "subject", subject);
        jw_str(&w, "format", der ? "der" : "pem");
        jw_end_obj(&w);
        rc = jw_print(&w);
    } else if (outp == NULL || strcmp(outp, "-") == 0) {
        rc = write_file("-", out.data, out.len, false);
    } else if ((rc = write_file(outp, out.data, out.len, false)) == 0) {
        printf("certificate request for %s -> %s\n", subject, outp);
    }
done:
    tsvc_buf_dispose(&out);
    tsvc_csr_builder_free(b);
    tsvc_key_free(key);
    return rc;
}
