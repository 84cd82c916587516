/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 *
 * tsvc sign, tsvc seal (CAdES B-B, B-T) and tsvc verify.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <trustsvc/ltv.h>

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* sign / seal                                                          */
/* ------------------------------------------------------------------ */

static const opt_spec sign_opts[] = {
    {"key", 'k', OPT_VALUE, "FILE|URI", "private key: a PEM/DER file or a pkcs11: URI"},
    {"cert", 'c', OPT_VALUE, "FILE", "the signer's certificate"},
    {"chain", 0, OPT_MULTI, "FILE", "certificates to embed after the signer's (PEM bundle)"},
    {"detached", 'd', OPT_FLAG, NULL, "do not embed the content (keep IN beside OUT)"},
    {"level", 'l', OPT_VALUE, "LEVEL",
     "B-B (default), B-T (with a signature time-stamp; the default when a TSA is given), "
     "B-LT (also validation data: --trust, --crl/--ocsp or --fetch), B-LTA (also an archive "
     "time-stamp v3)"},
    {"tsa", 0, OPT_VALUE, "URL", "time-stamp authority to ask over HTTP (B-T)"},
    {"tsa-local", 0, OPT_VALUE, "DIR",
     "time-stamp in-process with the TSA of a test PKI made by 'tsvc pki init DIR' (B-T)"},
    {"hash", 0, OPT_VALUE, "ALG", "message digest: sha256 (default), sha384, sha512"},
    {"pss", 0, OPT_FLAG, NULL, "RSA keys: sign with RSASSA-PSS instead of PKCS#1 v1.5"},
    {"commitment", 0, OPT_VALUE, "TYPE",
     "commitment type: origin, receipt, delivery, sender, approval, creation, or an OID"},
    {"signing-time", 0, OPT_VALUE, "TIME", "claimed signing time (default: now)"},
    {"algorithms", 0, OPT_VALUE, "SET",
     "algorithm policy: default (RSA/ECDSA, ETSI TS 119 312), iot (also Ed25519), any"},
    {"trust", 't', OPT_VALUE, "FILE", "B-LT/B-LTA: trust anchors the paths are built to"},
    {"untrusted", 0, OPT_MULTI, "FILE", "B-LT/B-LTA: intermediate certificates (PEM bundle)"},
    {"crl", 0, OPT_MULTI, "FILE", "B-LT/B-LTA: a CRL to embed when it covers a certificate"},
    {"ocsp", 0, OPT_MULTI, "FILE", "B-LT/B-LTA: an OCSP response to embed"},
    {"fetch", 0, OPT_FLAG, NULL, "B-LT/B-LTA: fetch missing CRLs/OCSP responses over HTTP"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command sign_cmd = {
    "sign", "--key K --cert C [options] IN OUT",
    "Signs IN as a CAdES signature (CMS SignedData, DER) written to OUT.",
    "Levels: B-B is the basic signature; B-T adds a signature time-stamp from a TSA\n"
    "(--tsa URL, or --tsa-local DIR for the test PKI's authority, run in-process).\n"
    "B-LT adds the certificates and CRLs/OCSP responses of the signer's and the TSA's\n"
    "paths (EN 319 122-1: SignedData certificates and crls; from --trust, --untrusted,\n"
    "--crl, --ocsp, or fetched with --fetch); B-LTA then adds an archive time-stamp v3\n"
    "(with ats-hash-index-v3) from the same TSA.",
    sign_opts, 2, 2};

static const command seal_cmd = {
    "seal", "--key K --cert C [options] IN OUT",
    "Seals IN with an organisation's e-seal: a CAdES signature under the e-seal profile.",
    "The certificate must name an organisation (organizationName and\n"
    "organizationIdentifier such as NTRJP-<13-digit corporate number>), carry\n"
    "nonRepudiation, and no natural-person attributes. Options and levels as for\n"
    "'tsvc sign'.",
    sign_opts, 2, 2};

static bool commitment_oid(const char *t, const char **oid)
{
    static const struct {
        const char *name, *oid;
    } types[] = {
        {"origin", "1.2.840.113549.1.9.16.6.1"},   {"receipt", "1.2.840.113549.1.9.16.6.2"},
        {"delivery", "1.2.840.113549.1.9.16.6.3"}, {"sender", "1.2.840.113549.1.9.16.6.4"},
        {"approval", "1.2.840.113549.1.9.16.6.5"}, {"creation", "1.2.840.113549.1.9.16.6.6"},
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(t, types[i].name) == 0) {
            *oid = types[i].oid;
            return true;
        }
    const char *o;
    if (parse_eku(t, &o) && strchr(t, '.') != NULL) {
        *oid = t;
        return true;
    }
    return false;
}

const char *commitment_name(const char *oid)
{
    static const struct {
        const char *oid, *name;
    } types[] = {
        {"1.2.840.113549.1.9.16.6.1", "proof of origin"},
        {"1.2.840.113549.1.9.16.6.2", "proof of receipt"},
        {"1.2.840.113549.1.9.16.6.3", "proof of delivery"},
        {"1.2.840.113549.1.9.16.6.4", "proof of sender"},
        {"1.2.840.113549.1.9.16.6.5", "proof of approval"},
        {"1.2.840.113549.1.9.16.6.6", "proof of creation"},
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(oid, types[i].oid) == 0)
            return types[i].name;
    return oid;
}

/* Adds a signature time-stamp to SignerInfo 0 (B-B -> B-T). */
static int add_timestamp(const char *url, const char *local, tsvc_hash_alg hash,
                         tsvc_buf *cms)
{
    tsvc_error *err = NULL;
    tsvc_status st;
    tsvc_buf out = TSVC_BUF_INIT;
    int rc = 0;
    if (url != NULL) {
        if ((rc = enable_http_fetch()) != 0)
            return rc;
        st = tsvc_tst_timestamp_signature(cli_ctx(), &out, cms->data, cms->len, 0, url, hash,
                                          &err);
        if (st != TSVC_OK)
            return fail_lib(st, err, "time-stamping through %s failed", url);
    } else {
        tsvc_tsq *tsq = NULL;
        tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
        st = tsvc_tsq_new_for_signature(cli_ctx(), &tsq, cms->data, cms->len, 0, hash, &err);
        if (st == TSVC_OK)
            st = tsvc_tsq_encode(tsq, &req, &err);
        if (st != TSVC_OK) {
            tsvc_tsq_free(tsq);
            return fail_lib(st, err, "cannot make the time-stamp request");
        }
        rc = local_tsa_respond(local, req.data, req.len, &resp);
        if (rc == 0) {
            st = tsvc_tst_add_to_signature(cli_ctx(), &out, cms->data, cms->len, 0, resp.data,
                                           resp.len, tsq, &err);
            if (st != TSVC_OK)
                rc = fail_lib(st, err, "cannot add the time-stamp");
        }
        tsvc_buf_dispose(&req);
        tsvc_buf_dispose(&resp);
        tsvc_tsq_free(tsq);
        if (rc != 0)
            return rc;
    }
    tsvc_buf_dispose(cms);
    *cms = out;
    return 0;
}

/* B-T -> B-LT (validation data from the store options, or fetched), and for
 * B-LTA an archive time-stamp v3 from the same TSA. */
static int add_long_term(const command *cmd, const opt_result *r, const char *url,
                         const char *local, tsvc_hash_alg hash, bool lta, const tsvc_buf *content,
                         tsvc_buf *cms)
{
    tsvc_store *store = NULL;
    tsvc_error *err = NULL;
    tsvc_buf out = TSVC_BUF_INIT;
    tsvc_status st;
    int rc = build_store(cmd, r, &store);
    if (rc != 0)
        return rc;
    tsvc_lt_options lo = TSVC_LT_OPTIONS_INIT;
    if (opt_flag(cmd, r, "fetch") || url != NULL) {
        if ((rc = enable_http_fetch()) != 0)
            goto out;
        if (opt_flag(cmd, r, "fetch"))
            lo.fetch = TSVC_REVOCATION_FETCH_WHEN_MISSING;
    }
    st = tsvc_ades_extend_lt(cli_ctx(), &out, cms->data, cms->len, 0, store, &lo, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot add the long-term validation data (B-LT)");
        goto out;
    }
    tsvc_buf_dispose(cms);
    *cms = out;
    out = (tsvc_buf)TSVC_BUF_INIT;
    if (!lta)
        goto out;
    const uint8_t *c = content ? content->data : NULL;
    size_t cl = content ? content->len : 0;
    if (url != NULL) {
        st = tsvc_ats_timestamp_signature(cli_ctx(), &out, cms->data, cms->len, 0, c, cl,
                                          TSVC_ATS_V3, url, hash, &err);
    } else {
        tsvc_tsq *tsq = NULL;
        tsvc_buf req = TSVC_BUF_INIT, resp = TSVC_BUF_INIT;
        st = tsvc_tsq_new_for_archive(cli_ctx(), &tsq, cms->data, cms->len, 0, c, cl,
                                      TSVC_ATS_V3, hash, &err);
        if (st == TSVC_OK)
            st = tsvc_tsq_encode(tsq, &req, &err);
        if (st == TSVC_OK && (rc = local_tsa_respond(local, req.data, req.len, &resp)) == 0)
            st = tsvc_ats_add_to_signature(cli_ctx(), &out, cms->data, cms->len, 0, c, cl,
                                           TSVC_ATS_V3, resp.data, resp.len, tsq, &err);
        tsvc_buf_dispose(&req);
        tsvc_buf_dispose(&resp);
        tsvc_tsq_free(tsq);
        if (rc != 0)
            goto out;
    }
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot add the archive time-stamp (B-LTA)");
        goto out;
    }
    tsvc_buf_dispose(cms);
    *cms = out;
    out = (tsvc_buf)TSVC_BUF_INIT;
out:
    tsvc_buf_dispose(&out);
    tsvc_store_free(store);
    return rc;
}

static int do_sign(const command *cmd, int argc, char **argv, bool seal)
{
    opt_result r;
    bool help;
    int rc = opts_parse(cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *keyp = opt_get(cmd, &r, "key");
    const char *certp = opt_get(cmd, &r, "cert");
    const char *level = opt_get(cmd, &r, "level");
    const char *tsa = opt_get(cmd, &r, "tsa");
    const char *tsa_local = opt_get(cmd, &r, "tsa-local");
    const char *hash_s = opt_get(cmd, &r, "hash");
    const char *commit = opt_get(cmd, &r, "commitment");
    const char *st_s = opt_get(cmd, &r, "signing-time");
    const char *in = r.pos[0], *outp = r.pos[1];
    if (keyp == NULL || certp == NULL)
        return usage_error(cmd, "--key and --cert are required");
    if (tsa != NULL && tsa_local != NULL)
        return usage_error(cmd, "give either --tsa or --tsa-local, not both");
    bool have_tsa = tsa != NULL || tsa_local != NULL;
    if (level == NULL)
        level = have_tsa ? "B-T" : "B-B";
    bool lta = strcmp(level, "B-LTA") == 0, lt = lta || strcmp(level, "B-LT") == 0;
    if (strcmp(level, "B-B") != 0 && strcmp(level, "B-T") != 0 && !lt)
        return usage_error(cmd, "unknown --level '%s' (B-B, B-T, B-LT, B-LTA)", level);
    bool bt = strcmp(level, "B-T") == 0 || lt;
    if (bt && !have_tsa)
        return usage_error(cmd, "level %s needs a time-stamp authority: --tsa URL or "
                                "--tsa-local DIR",
                           level);
    if (lt && opt_get(cmd, &r, "trust") == NULL)
        return usage_error(cmd, "level %s needs --trust (the anchors the signer's and the TSA's "
                                "paths are built to)",
                           level);
    if (!bt && have_tsa)
        return usage_error(cmd, "a TSA was given but --level is B-B (drop one of them)");
    tsvc_hash_alg hash = TSVC_HASH_SHA256;
    if (hash_s != NULL && !parse_hash(hash_s, &hash))
        return usage_error(cmd, "unknown --hash '%s' (sha256, sha384, sha512)", hash_s);
    const char *commit_oid = NULL;
    if (commit != NULL && !commitment_oid(commit, &commit_oid))
        return usage_error(cmd, "unknown --commitment '%s'", commit);
    int64_t signing_time = 0;
    if (st_s != NULL && !parse_time(st_s, &signing_time))
        return usage_error(cmd, "bad --signing-time '%s' (YYYY-MM-DD[THH:MM:SSZ], @SECONDS)",
                           st_s);

    tsvc_algorithm_policy *algs = NULL;
    if ((rc = algorithm_policy_from_options(cmd, &r, &algs)) != 0)
        return rc;
    tsvc_key *key = NULL;
    tsvc_cert *cert = NULL;
    tsvc_cert_list *chain[MAX_MULTI] = {0};
    int num_chain = opt_count(cmd, &r, "chain");
    tsvc_signer *signer = NULL;
    tsvc_buf data = TSVC_BUF_INIT, cms = TSVC_BUF_INIT;
    tsvc_error *err = NULL;
    tsvc_status st;

    if ((rc = load_key(keyp, &key)) != 0 || (rc = load_cert(certp, &cert)) != 0)
        goto out;
    for (int i = 0; i < num_chain; i++)
        if ((rc = load_certs(opt_at(cmd, &r, "chain", i), &chain[i])) != 0)
            goto out;
    if ((rc = read_file(in, &data)) != 0)
        goto out;

    tsvc_signer_options so = TSVC_SIGNER_OPTIONS_INIT;
    so.digest = hash;
    so.detached = opt_flag(cmd, &r, "detached");
    so.commitment_type = commit_oid;
    so.signing_time = signing_time;
    so.algorithm_policy = algs;
    if (opt_flag(cmd, &r, "pss"))
        so.scheme = TSVC_SIG_RSA_PSS;
    if (seal)
        st = tsvc_sealer_new(cli_ctx(), &signer, key, cert, &so, 0, &err);
    else
        st = tsvc_signer_new(cli_ctx(), &signer, key, cert, &so, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, seal ? "cannot seal with %s" : "cannot sign with %s", certp);
        goto out;
    }
    for (int i = 0; i < num_chain && st == TSVC_OK; i++)
        for (size_t j = 0; j < tsvc_cert_list_count(chain[i]) && st == TSVC_OK; j++)
            st = tsvc_signer_add_cert(signer, tsvc_cert_list_get(chain[i], j), &err);
    if (st == TSVC_OK)
        st = tsvc_signer_update(signer, data.data, data.len, &err);
    if (st == TSVC_OK)
        st = tsvc_signer_finish(signer, &cms, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, seal ? "sealing failed" : "signing failed");
        goto out;
    }
    if (bt && (rc = add_timestamp(tsa, tsa_local, hash, &cms)) != 0)
        goto out;
    if (lt && (rc = add_long_term(cmd, &r, tsa, tsa_local, hash, lta,
                                  so.detached ? &data : NULL, &cms)) != 0)
        goto out;
    if ((rc = write_file(outp, cms.data, cms.len, false)) != 0)
        goto out;

    char subj[512];
    cert_subject(cert, subj, sizeof(subj));
    tsvc_buf org = TSVC_BUF_INIT, orgid = TSVC_BUF_INIT;
    if (seal)
        (void)tsvc_cert_organization(cert, &org, &orgid, NULL);
    tsvc_key_info info = TSVC_KEY_INFO_INIT;
    (void)tsvc_key_get_info(key, &info);
    if (info.type == TSVC_KEY_ED25519)
        hash = TSVC_HASH_SHA512; /* CAdES with Ed25519 always digests with SHA-512 */
    if (g_json) {
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "in", in);
        jw_str(&w, "out", outp);
        jw_str(&w, "profile", seal ? "seal" : "signature");
        jw_str(&w, "level", level);
        jw_bool(&w, "detached", so.detached != 0);
        jw_str(&w, "signer", subj);
        if (seal) {
            jw_strn(&w, "organization", (const char *)org.data, org.len);
            jw_strn(&w, "organization_identifier", (const char *)orgid.data, orgid.len);
        }
        jw_str(&w, "key", key_type_name(info.type));
        jw_str(&w, "key_storage", info.storage == TSVC_STORAGE_HSM ? "hsm" : "software");
        jw_str(&w, "digest", hash_name(hash));
        jw_int(&w, "size", (int64_t)cms.len);
        jw_end_obj(&w);
        rc = jw_print(&w);
    } else {
        char alg[64];
        if (info.type == TSVC_KEY_RSA)
            snprintf(alg, sizeof(alg), "RSA-%u %s", info.bits,
                     so.scheme == TSVC_SIG_RSA_PSS ? "PSS" : "PKCS#1 v1.5");
        else
            snprintf(alg, sizeof(alg), "%s", key_type_name(info.type));
        printf("%s%s%s %s -> %s (CAdES %s%s, %s, %s)\n", c_bold(), seal ? "sealed" : "signed",
               c_off(), in, outp, level, so.detached ? ", detached" : "", alg, hash_name(hash));
        printf("  %s: %s\n", seal ? "seal" : "signer", subj);
        if (seal && org.data != NULL)
            printf("  organisation: %.*s (%.*s)\n", (int)org.len, (const char *)org.data,
                   (int)orgid.len, orgid.data ? (const char *)orgid.data : "");
        if (info.storage == TSVC_STORAGE_HSM)
            printf("  key: in an HSM token%s%s%s\n", info.token_label ? " '" : "",
                   info.token_label ? info.token_label : "", info.token_label ? "'" : "");
        if (bt)
            printf("  signature time-stamp from %s\n", tsa != NULL ? tsa : "the local TSA");
        if (lt)
            printf("  validation data embedded: the certificates and CRLs/OCSP responses of "
                   "the signer's and the TSA's paths\n");
        if (lta)
            printf("  archive time-stamp (v3) from %s\n", tsa != NULL ? tsa : "the local TSA");
    }
    tsvc_buf_dispose(&org);
    tsvc_buf_dispose(&orgid);
out:
    tsvc_signer_free(signer);
    tsvc_buf_dispose(&cms);
    dispose_file(&data);
    for (int i = 0; i < num_chain; i++)
        tsvc_cert_list_free(chain[i]);
    tsvc_cert_free(cert);
    tsvc_key_free(key);
    tsvc_algorithm_policy_free(algs);
    return rc;
}

int cmd_sign(int argc, char **argv) { return do_sign(&sign_cmd, argc, argv, false); }
int cmd_seal(int argc, char **argv) { return do_sign(&seal_cmd, argc, argv, true); }

/* ------------------------------------------------------------------ */
/* Shared by verify and validate                                       */
/* ------------------------------------------------------------------ */

int policy_from_options(const command *cmd, const opt_result *r, tsvc_policy **out,
                        bool *revocation_on)
{
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_policy_new(cli_ctx(), out, &err);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot create a validation policy");
    const char *at = opt_get(cmd, r, "at");
    const char *rev = opt_get(cmd, r, "revocation");
    int64_t when = 0;
    if (at != NULL && !parse_time(at, &when)) {
        tsvc_policy_free(*out);
        *out = NULL;
        return usage_error(cmd, "bad --at '%s' (now, YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, @SECONDS)",
                           at);
    }
    if (at != NULL && (st = tsvc_policy_set_time(*out, when, &err)) != TSVC_OK)
        goto bad;
    tsvc_revocation_mode mode = TSVC_REVOCATION_NONE;
    if (opt_count(cmd, r, "crl") > 0 || opt_count(cmd, r, "ocsp") > 0)
        mode = TSVC_REVOCATION_SOFT_FAIL;
    if (rev != NULL) {
        if (strcmp(rev, "none") == 0)
            mode = TSVC_REVOCATION_NONE;
        else if (strcmp(rev, "soft") == 0)
            mode = TSVC_REVOCATION_SOFT_FAIL;
        else if (strcmp(rev, "hard") == 0)
            mode = TSVC_REVOCATION_HARD_FAIL;
        else {
            tsvc_policy_free(*out);
            *out = NULL;
            return usage_error(cmd, "unknown --revocation '%s' (none, soft, hard)", rev);
        }
    }
    if ((st = tsvc_policy_set_revocation_mode(*out, mode, &err)) != TSVC_OK)
        goto bad;
    if (opt_flag(cmd, r, "fetch")) {
        int rc = enable_http_fetch();
        if (rc != 0) {
            tsvc_policy_free(*out);
            *out = NULL;
            return rc;
        }
        if ((st = tsvc_policy_set_revocation_fetch(*out, TSVC_REVOCATION_FETCH_WHEN_MISSING,
                                                   &err)) != TSVC_OK)
            goto bad;
    }
    if (revocation_on != NULL)
        *revocation_on = mode != TSVC_REVOCATION_NONE;
    return 0;
bad:
    tsvc_policy_free(*out);
    *out = NULL;
    return fail_lib(st, err, "cannot set the validation policy");
}

int algorithm_policy_from_options(const command *cmd, const opt_result *r,
                                  tsvc_algorithm_policy **out)
{
    *out = NULL;
    const char *a = opt_get(cmd, r, "algorithms");
    if (a == NULL)
        return 0;
    tsvc_algpol_preset p;
    if (strcmp(a, "default") == 0)
        p = TSVC_ALGPOL_DEFAULT;
    else if (strcmp(a, "iot") == 0)
        p = TSVC_ALGPOL_IOT;
    else if (strcmp(a, "any") == 0)
        p = TSVC_ALGPOL_EMPTY;
    else
        return usage_error(cmd, "unknown --algorithms '%s' (default, iot, any)", a);
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_algorithm_policy_new(cli_ctx(), out, p, &err);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot create the algorithm policy");
    return 0;
}

/* ------------------------------------------------------------------ */
/* verify                                                               */
/* ------------------------------------------------------------------ */

static const opt_spec verify_opts[] = {
    {"trust", 't', OPT_VALUE, "FILE", "trust anchors (PEM bundle or DER certificate)"},
    {"content", 0, OPT_VALUE, "FILE", "the signed content, for a detached signature"},
    {"untrusted", 'u', OPT_MULTI, "FILE", "intermediate certificates for path building"},
    {"crl", 0, OPT_MULTI, "FILE", "CRL to check revocation with"},
    {"ocsp", 0, OPT_MULTI, "FILE", "OCSP response to check revocation with"},
    {"revocation", 0, OPT_VALUE, "MODE",
     "none, soft or hard (default: soft when --crl/--ocsp are given, else none)"},
    {"fetch", 0, OPT_FLAG, NULL, "fetch missing CRLs/OCSP responses over HTTP"},
    {"at", 0, OPT_VALUE, "TIME", "validation time (default: now)"},
    {"seal", 0, OPT_FLAG, NULL, "verify under the e-seal profile (organisation's certificate)"},
    {"long-term", 0, OPT_FLAG, NULL,
     "long-term validation (B-LT, B-LTA): validation in the past at the best signature time, "
     "with the level, archive time-stamps and the renewal date"},
    {"algorithms", 0, OPT_VALUE, "SET",
     "algorithm policy: default (RSA/ECDSA, ETSI TS 119 312), iot (also Ed25519), any"},
    {NULL, 0, OPT_FLAG, NULL, NULL},
};

static const command verify_cmd = {
    "verify", "--trust ANCHORS [options] SIG",
    "Verifies a CAdES signature or e-seal and prints its validation report.",
    "The report gives the indication (PASSED, FAILED, INDETERMINATE) with its ETSI EN\n"
    "319 102-1 sub-indication, the signer (and organisation for seals), the claimed\n"
    "signing time, signature time-stamps (B-T) with the time they prove, the chain\n"
    "built to the trust anchor, revocation, and any failure in plain words.\n"
    "Exit status 0 when PASSED, 1 when FAILED or INDETERMINATE.",
    verify_opts, 1, 1};

static int worst(int a, int b)
{
    /* FAILED > INDETERMINATE > PASSED */
    int ra = a == TSVC_INDICATION_FAILED ? 3 : a == TSVC_INDICATION_INDETERMINATE ? 2 : 1;
    int rb = b == TSVC_INDICATION_FAILED ? 3 : b == TSVC_INDICATION_INDETERMINATE ? 2 : 1;
    return ra >= rb ? a : b;
}

/* Whether a certificate validation failed because of revocation. */
static bool revocation_decided(const tsvc_report *r)
{
    switch (tsvc_report_subindication(r)) {
    case TSVC_SUB_REVOKED:
    case TSVC_SUB_REVOKED_NO_POE:
    case TSVC_SUB_REVOKED_CA_NO_POE:
    case TSVC_SUB_TRY_LATER:
        return true;
    default:
        return false;
    }
}

static const char *ats_name(tsvc_ats_version v)
{
    return v == TSVC_ATS_V3 ? "v3 (EN 319 122-1 B-LTA)"
           : v == TSVC_ATS_V2 ? "v2 (JIS X 5092 ES-A)"
                              : "unknown version";
}

/* tsvc verify --long-term: ETSI EN 319 102-1 validation in the past. */
static int verify_long_term(const command *cmd, const opt_result *r, const char *sigp,
                            const tsvc_buf *sig, const tsvc_buf *data, bool has_content,
                            tsvc_store *store, const tsvc_algorithm_policy *algs, bool seal)
{
    tsvc_ltv_options lo = TSVC_LTV_OPTIONS_INIT;
    const char *at = opt_get(cmd, r, "at");
    if (at != NULL && !parse_time(at, &lo.when))
        return usage_error(cmd, "bad --at '%s'", at);
    lo.profile = seal ? TSVC_VERIFY_SEAL : TSVC_VERIFY_SIGNATURE;
    lo.algorithm_policy = algs;
    if (opt_flag(cmd, r, "fetch"))
        lo.fetch = TSVC_REVOCATION_FETCH_WHEN_MISSING;
    tsvc_ltv_report *rep = NULL;
    tsvc_error *err = NULL;
    tsvc_status st = tsvc_ltv_verify(cli_ctx(), &rep, sig->data, sig->len,
                                     has_content ? data->data : NULL, data->len, store, &lo,
                                     &err);
    if (st != TSVC_OK)
        return fail_lib(st, err, "cannot validate %s over the long term", sigp);
    int ind = tsvc_ltv_report_indication(rep);
    int rc = 0;
    int64_t best = 0, renew = 0;
    bool has_best = tsvc_ltv_report_best_signature_time(rep, &best) != 0;
    bool has_renew = tsvc_ltv_report_renewal_date(rep, &renew) != 0;
    if (g_json) {
        tsvc_buf js = TSVC_BUF_INIT;
        if ((st = tsvc_ltv_report_to_json(rep, &js, &err)) != TSVC_OK) {
            tsvc_ltv_report_free(rep);
            return fail_lib(st, err, "cannot write the report as JSON");
        }
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "file", sigp);
        jw_str(&w, "profile", seal ? "seal" : "signature");
        jw_str(&w, "indication", tsvc_indication_str(ind));
        jw_raw(&w, "long_term_report", (const char *)js.data, js.len);
        jw_end_obj(&w);
        tsvc_buf_dispose(&js);
        rc = jw_print(&w);
    } else {
        char when[40];
        printf("%sLong-term validation: %s%s\n", c_bold(), sigp, c_off());
        printf("  Indication:    %s%s%s%s", c_bold(), indication_colour(ind),
               tsvc_indication_str(ind), c_off());
        if (ind != TSVC_INDICATION_PASSED)
            printf(" / %s", tsvc_subindication_str(tsvc_ltv_report_subindication(rep)));
        printf("\n");
        printf("  Level seen:    %s\n", tsvc_ltv_report_level(rep));
        format_time(tsvc_ltv_report_time(rep), when, sizeof(when));
        printf("  Validated at:  %s\n", when);
        if (has_best) {
            format_time(best, when, sizeof(when));
            printf("  Signed before: %s (best signature time, proven)\n", when);
        }
        size_t na = tsvc_ltv_report_num_archive_timestamps(rep);
        for (size_t i = 0; i < na; i++) {
            int ai = tsvc_ltv_report_archive_timestamp_indication(rep, i);
            format_time(tsvc_ltv_report_archive_timestamp_time(rep, i), when, sizeof(when));
            printf("  Archive time-stamp %zu: %s, %s, %s%s%s\n", i + 1, when,
                   ats_name(tsvc_ltv_report_archive_timestamp_version(rep, i)),
                   indication_colour(ai), tsvc_indication_str(ai), c_off());
        }
        if (has_renew) {
            format_time(renew, when, sizeof(when));
            printf("  Renew before:  %s (add an archive time-stamp before this date)\n",
                   when);
        }
        const tsvc_report *chk = tsvc_ltv_report_checks(rep);
        if (ind != TSVC_INDICATION_PASSED) {
            printf("  %sReason:        %s%s\n", indication_colour(ind),
                   tsvc_ltv_report_reason(rep), c_off());
            if (chk != NULL) {
                printf("  Failed checks:\n");
                print_checks(chk, "    ", true);
            }
        }
    }
    tsvc_ltv_report_free(rep);
    if (rc != 0)
        return rc;
    return ind == TSVC_INDICATION_PASSED ? EXIT_OK : EXIT_INVALID;
}

int cmd_verify(int argc, char **argv)
{
    opt_result r;
    bool help;
    int rc = opts_parse(&verify_cmd, argc, argv, &r, &help);
    if (rc != 0 || help)
        return rc;
    const char *trust = opt_get(&verify_cmd, &r, "trust");
    const char *content = opt_get(&verify_cmd, &r, "content");
    const char *sigp = r.pos[0];
    bool seal = opt_flag(&verify_cmd, &r, "seal");
    if (trust == NULL)
        return usage_error(&verify_cmd, "--trust is required (the trust anchors)");

    tsvc_store *store = NULL;
    tsvc_policy *policy = NULL;
    tsvc_algorithm_policy *algs = NULL;
    tsvc_buf sig = TSVC_BUF_INIT, data = TSVC_BUF_INIT;
    tsvc_sig_report *rep = NULL;
    tsvc_report *ts[64] = {0};
    tsvc_report *rv[64] = {0};
    tsvc_error *err = NULL;
    bool rev_on = false;

    if ((rc = policy_from_options(&verify_cmd, &r, &policy, &rev_on)) != 0)
        goto out;
    if ((rc = algorithm_policy_from_options(&verify_cmd, &r, &algs)) != 0)
        goto out;
    if ((rc = build_store(&verify_cmd, &r, &store)) != 0)
        goto out;
    if ((rc = read_file(sigp, &sig)) != 0)
        goto out;
    if (content != NULL && (rc = read_file(content, &data)) != 0)
        goto out;

    if (opt_flag(&verify_cmd, &r, "long-term")) {
        rc = verify_long_term(&verify_cmd, &r, sigp, &sig, &data, content != NULL, store, algs,
                              seal);
        goto out;
    }
    tsvc_verify_options vo = TSVC_VERIFY_OPTIONS_INIT;
    vo.profile = seal ? TSVC_VERIFY_SEAL : TSVC_VERIFY_SIGNATURE;
    vo.algorithm_policy = algs;
    tsvc_status st = tsvc_verify(cli_ctx(), &rep, sig.data, sig.len,
                                 content != NULL ? data.data : NULL, data.len, store, policy,
                                 &vo, &err);
    if (st != TSVC_OK) {
        rc = fail_lib(st, err, "cannot verify %s", sigp);
        goto out;
    }
    size_t n = tsvc_sig_report_num_signers(rep);
    int overall = tsvc_sig_report_indication(rep);
    int overall_sub = tsvc_sig_report_subindication(rep);
    /* Signature time-stamps (B-T), one report per signer. */
    for (size_t i = 0; i < n && i < 64; i++) {
        st = tsvc_tst_verify_signature(cli_ctx(), &ts[i], sig.data, sig.len, i, store, NULL,
                                       &err);
        if (st != TSVC_OK) {
            tsvc_error_free(err);
            err = NULL;
            ts[i] = NULL;
            continue;
        }
        bool none = tsvc_report_indication(ts[i]) == TSVC_INDICATION_INDETERMINATE &&
                    tsvc_report_subindication(ts[i]) == TSVC_SUB_NO_POE;
        if (!none && worst(overall, tsvc_report_indication(ts[i])) != overall) {
            overall = tsvc_report_indication(ts[i]);
            overall_sub = tsvc_report_subindication(ts[i]);
        }
    }

    /* Revocation: tsvc_verify() does not pass the store's CRLs and OCSP
     * responses on to path validation, so the signer's certificate is
     * validated here with them. */
    for (size_t i = 0; rev_on && i < n && i < 64; i++) {
        const tsvc_cert *sc = tsvc_sig_report_signer_cert(rep, i);
        if (sc == NULL)
            continue;
        if (tsvc_validate(cli_ctx(), &rv[i], sc, store, policy, &err) != TSVC_OK) {
            tsvc_error_free(err);
            err = NULL;
            rv[i] = NULL;
            continue;
        }
        if (revocation_decided(rv[i]) &&
            worst(overall, tsvc_report_indication(rv[i])) != overall) {
            overall = tsvc_report_indication(rv[i]);
            overall_sub = tsvc_report_subindication(rv[i]);
        }
    }

    if (g_json) {
        tsvc_buf js = TSVC_BUF_INIT;
        if ((st = tsvc_sig_report_to_json(rep, &js, &err)) != TSVC_OK) {
            rc = fail_lib(st, err, "cannot write the report as JSON");
            goto out;
        }
        jw w = {0};
        jw_obj(&w, NULL);
        jw_str(&w, "file", sigp);
        jw_str(&w, "profile", seal ? "seal" : "signature");
        jw_str(&w, "indication", tsvc_indication_str(overall));
        jw_str(&w, "subindication",
               overall_sub != TSVC_SUB_NONE ? tsvc_subindication_str(overall_sub) : NULL);
        jw_raw(&w, "report", (const char *)js.data, js.len);
        jw_arr(&w, "timestamps");
        for (size_t i = 0; i < n && i < 64; i++) {
            jw_obj(&w, NULL);
            jw_int(&w, "signer", (int64_t)i);
            if (ts[i] != NULL) {
                bool none = tsvc_report_indication(ts[i]) == TSVC_INDICATION_INDETERMINATE &&
                            tsvc_report_subindication(ts[i]) == TSVC_SUB_NO_POE;
                jw_bool(&w, "present", !none);
                tsvc_buf tj = TSVC_BUF_INIT;
                if (tsvc_report_to_json(ts[i], &tj, NULL) == TSVC_OK)
                    jw_raw(&w, "report", (const char *)tj.data, tj.len);
                tsvc_buf_dispose(&tj);
            }
            jw_end_obj(&w);
        }
        jw_end_arr(&w);
        jw_arr(&w, "revocation");
        for (size_t i = 0; i < n && i < 64; i++) {
            if (rv[i] == NULL)
                continue;
            jw_obj(&w, NULL);
            jw_int(&w, "signer", (int64_t)i);
            tsvc_buf tj = TSVC_BUF_INIT;
            if (tsvc_report_to_json(rv[i], &tj, NULL) == TSVC_OK)
                jw_raw(&w, "certificate_validation", (const char *)tj.data, tj.len);
            tsvc_buf_dispose(&tj);
            jw_end_obj(&w);
        }
        jw_end_arr(&w);
        jw_end_obj(&w);
        tsvc_buf_dispose(&js);
        if ((rc = jw_print(&w)) != 0)
            goto out;
    } else {
        char when[40];
        printf("%s%s report: %s%s\n", c_bold(), seal ? "Seal" : "Signature", sigp, c_off());
        printf("  Indication:    %s%s%s%s", c_bold(), indication_colour(overall),
               tsvc_indication_str(overall), c_off());
        if (overall != TSVC_INDICATION_PASSED && overall_sub != TSVC_SUB_NONE)
            printf(" / %s", tsvc_subindication_str(overall_sub));
        printf("\n");
        format_time(tsvc_sig_report_time(rep), when, sizeof(when));
        printf("  Validated at:  %s\n", when);
        for (size_t i = 0; i < n; i++) {
            const tsvc_cert *sc = tsvc_sig_report_signer_cert(rep, i);
            char subj[512];
            cert_subject(sc, subj, sizeof(subj));
            int ind = tsvc_sig_report_signer_indication(rep, i);
            if (n > 1)
                printf("  %sSigner %zu%s:      %s%s%s\n", c_bold(), i + 1, c_off(),
                       indication_colour(ind), tsvc_indication_str(ind), c_off());
            printf("    %-14s%s\n", seal ? "Seal of:" : "Signer:",
                   sc != NULL ? subj : "(certificate not found)");
            const char *org = tsvc_sig_report_signer_organization(rep, i);
            const char *orgid = tsvc_sig_report_signer_organization_id(rep, i);
            if (org != NULL || orgid != NULL)
                printf("    Organisation: %s%s%s%s\n", org ? org : "", orgid ? " (" : "",
                       orgid ? orgid : "", orgid ? ")" : "");
            int64_t t;
            if (tsvc_sig_report_signer_signing_time(rep, i, &t)) {
                format_time(t, when, sizeof(when));
                printf("    Signing time: %s (claimed by the signer)\n", when);
            }
            const char *ct = tsvc_sig_report_signer_commitment_type(rep, i);
            if (ct != NULL)
                printf("    Commitment:   %s\n", commitment_name(ct));
            if (i < 64 && ts[i] != NULL) {
                int ti = tsvc_report_indication(ts[i]);
                bool none = ti == TSVC_INDICATION_INDETERMINATE &&
                            tsvc_report_subindication(ts[i]) == TSVC_SUB_NO_POE;
                if (none) {
                    printf("    Time-stamp:   none (level B-B: nothing proves when it was "
                           "signed)\n");
                } else if (ti == TSVC_INDICATION_PASSED) {
                    format_time(tsvc_report_time(ts[i]), when, sizeof(when));
                    char tsa[512] = "the TSA";
                    const char *tl = leaf_from_checks(ts[i], "tsa-path");
                    if (tsvc_report_chain_count(ts[i]) > 0)
                        cert_subject(tsvc_report_chain_cert(ts[i], 0), tsa, sizeof(tsa));
                    else if (tl != NULL)
                        snprintf(tsa, sizeof(tsa), "%s", tl);
                    printf("    Time-stamp:   %s%s%s %s by %s (B-T: the signature existed "
                           "then)\n",
                           c_green(), "verified", c_off(), when, tsa);
                } else {
                    printf("    Time-stamp:   %s%s%s %s\n", indication_colour(ti),
                           tsvc_indication_str(ti), c_off(), tsvc_report_reason(ts[i]));
                }
            }
            const tsvc_report *chk = tsvc_sig_report_signer_checks(rep, i);
            if (chk != NULL) {
                printf("    Chain:\n");
                /* The signer's own path: the checks' certificate table also
                 * holds the time-stamp authorities' certificates. */
                size_t cn = tsvc_sig_report_signer_chain_count(rep, i);
                if (cn > 0) {
                    for (size_t k = 0; k < cn; k++)
                        print_chain_cert(tsvc_sig_report_signer_chain_cert(rep, i, k), k, cn,
                                         "      ");
                } else if (!print_chain_from_checks(chk, "certificate-validation", "      "))
                    printf("      (no chain to a trust anchor was built)\n");
            }
            printf("    Revocation:\n");
            if (!rev_on) {
                printf("      not checked (give --crl or --ocsp files)\n");
            } else if (i < 64 && rv[i] != NULL && (revocation_decided(rv[i]) ||
                                                   tsvc_report_indication(rv[i]) ==
                                                       TSVC_INDICATION_PASSED)) {
                print_revocation(rv[i], "      ");
                if (revocation_decided(rv[i]))
                    printf("      %s%s%s\n", c_red(), tsvc_report_reason(rv[i]), c_off());
            } else {
                printf("      not checked: no chain with the given certificates (add the "
                       "intermediates with --untrusted)\n");
            }
            if (ind != TSVC_INDICATION_PASSED) {
                const char *why = tsvc_sig_report_signer_reason(rep, i);
                printf("    %sReason:       %s%s\n", indication_colour(ind),
                       why && why[0] ? why : tsvc_subindication_str(
                                                 tsvc_sig_report_signer_subindication(rep, i)),
                       c_off());
                if (chk != NULL) {
                    printf("    Failed checks:\n");
                    print_checks(chk, "      ", true);
                }
            }
        }
        if (n == 0) {
            const char *why = tsvc_sig_report_reason(rep);
            printf("  Reason:        %s\n", why && why[0] ? why : "no signer");
        }
    }
    rc = overall == TSVC_INDICATION_PASSED ? EXIT_OK : EXIT_INVALID;
out:
    for (size_t i = 0; i < 64; i++) {
        tsvc_report_free(ts[i]);
        tsvc_report_free(rv[i]);
    }
    tsvc_sig_report_free(rep);
    dispose_file(&sig);
    dispose_file(&data);
    tsvc_store_free(store);
    tsvc_policy_free(policy);
    tsvc_algorithm_policy_free(algs);
    return rc;
}
