/*
 * SPDX-License-Identifier: Apache-2.0
 * Status texts, status families and the run-time version.
 */
#include "core.h"

const char *tsvc_status_str(int status)
{
    switch (status) {
    case TSVC_OK: return "success";
    case TSVC_ERR_INVALID_ARG: return "invalid argument";
    case TSVC_ERR_NOMEM: return "out of memory";
    case TSVC_ERR_UNSUPPORTED: return "not supported";
    case TSVC_ERR_INTERNAL: return "internal error";
    case TSVC_ERR_NOT_INITIALISED: return "library initialisation failed";
    case TSVC_ERR_BAD_VERSION: return "unknown options version";
    case TSVC_ERR_STATE: return "call not allowed in this state";
    case TSVC_ERR_CLOCK: return "clock callback failed";
    case TSVC_ERR_IO: return "input/output error";
    case TSVC_ERR_NOT_FOUND: return "requested item not present";
    case TSVC_ERR_LIMIT_INPUT_SIZE: return "input larger than the size limit";
    case TSVC_ERR_LIMIT_DER_DEPTH: return "DER nesting deeper than the limit";
    case TSVC_ERR_LIMIT_CHAIN_DEPTH: return "chain longer than the depth limit";
    case TSVC_ERR_LIMIT_SIG_CHECKS: return "signature-check budget exceeded";
    case TSVC_ERR_LIMIT_PATH_ATTEMPTS: return "path-building budget exceeded";
    case TSVC_ERR_LIMIT_NC_COMPARISONS: return "name-constraint comparison budget exceeded";
    case TSVC_ERR_LIMIT_COUNT: return "too many elements";
    case TSVC_ERR_DER_TRUNCATED: return "DER: truncated input";
    case TSVC_ERR_DER_LENGTH: return "DER: bad length encoding";
    case TSVC_ERR_DER_INDEFINITE: return "DER: indefinite length";
    case TSVC_ERR_DER_TAG: return "DER: unexpected or malformed tag";
    case TSVC_ERR_DER_BOOLEAN: return "DER: bad BOOLEAN";
    case TSVC_ERR_DER_INTEGER: return "DER: bad INTEGER";
    case TSVC_ERR_DER_BIT_STRING: return "DER: bad BIT STRING";
    case TSVC_ERR_DER_SET_ORDER: return "DER: SET OF not sorted";
    case TSVC_ERR_DER_OID: return "DER: bad OBJECT IDENTIFIER";
    case TSVC_ERR_DER_TIME: return "DER: bad time";
    case TSVC_ERR_DER_TRAILING: return "DER: trailing data";
    case TSVC_ERR_DER_CONSTRUCTED: return "DER: constructed encoding not allowed";
    case TSVC_ERR_DER_STRING: return "DER: bad character string";
    case TSVC_ERR_PEM: return "bad PEM";
    case TSVC_ERR_BASE64: return "bad base64";
    case TSVC_ERR_BER: return "bad BER";
    case TSVC_ERR_NO_BACKEND: return "no backend supports the operation";
    case TSVC_ERR_BACKEND: return "backend failure";
    case TSVC_ERR_ALGORITHM: return "unknown or unacceptable algorithm";
    case TSVC_ERR_KEY_FORMAT: return "bad key encoding";
    case TSVC_ERR_KEY_SIZE: return "key size not allowed";
    case TSVC_ERR_KEY_MISMATCH: return "key does not fit the operation";
    case TSVC_ERR_SIGNATURE_INVALID: return "signature does not verify";
    case TSVC_ERR_RANDOM: return "random generator failure";
    case TSVC_ERR_BACKEND_VERSION: return "backend table too old or malformed";
    case TSVC_ERR_BUFFER_TOO_SMALL: return "output buffer too small";
    case TSVC_ERR_CERT_FORMAT: return "malformed certificate";
    case TSVC_ERR_CERT_VERSION:
        return "unsupported certificate version, or extensions in a v1/v2 certificate";
    case TSVC_ERR_CERT_SIGALG_MISMATCH: return "inner and outer signature algorithms differ";
    case TSVC_ERR_CERT_DUPLICATE_EXTENSION: return "duplicate certificate extension";
    case TSVC_ERR_CERT_EXTENSION: return "malformed certificate extension";
    case TSVC_ERR_NAME: return "malformed name";
    /* @@x509-codes@@ */
    case TSVC_ERR_STORE_FROZEN: return "the store is frozen and can no longer be changed";
    case TSVC_ERR_ANCHOR_FINGERPRINT:
        return "a pinned trust anchor does not match its published fingerprint";
    case TSVC_ERR_POLICY_FROZEN:
        return "the validation policy is in use and can no longer be changed";
    case TSVC_ERR_PEER_NAME: return "malformed peer name (DNS name, IP address or e-mail address)";
    /* @@path-codes@@ */
    case TSVC_ERR_CRL_FORMAT: return "malformed CRL";
    case TSVC_ERR_CRL_ISSUER: return "CRL issuer does not match";
    case TSVC_ERR_CRL_KEY_USAGE: return "CRL issuer lacks cRLSign";
    case TSVC_ERR_CRL_SIGNATURE: return "CRL signature does not verify";
    case TSVC_ERR_CRL_EXPIRED: return "CRL expired (nextUpdate passed)";
    case TSVC_ERR_CRL_NOT_YET_VALID: return "CRL not yet valid (thisUpdate in the future)";
    case TSVC_ERR_CRL_UNKNOWN_CRITICAL: return "CRL has an unknown critical extension";
    case TSVC_ERR_CRL_INDIRECT: return "indirect CRL not usable";
    case TSVC_ERR_CRL_DELTA: return "delta CRL not usable";
    case TSVC_ERR_CRL_SCOPE: return "CRL scope does not cover the certificate";
    case TSVC_ERR_CRL_NUMBER: return "CRL number missing, critical or malformed";
    case TSVC_ERR_CRL_DUPLICATE_ENTRY: return "serial number listed twice in a CRL";
    case TSVC_ERR_CRL_STALE: return "CRL older than the maximum age";
    case TSVC_ERR_OCSP_FORMAT: return "malformed OCSP message";
    case TSVC_ERR_OCSP_STATUS: return "OCSP response status is not successful";
    case TSVC_ERR_OCSP_RESPONDER: return "OCSP responder not authorised";
    case TSVC_ERR_OCSP_RESPONDER_ID: return "no certificate matches the OCSP responder ID";
    case TSVC_ERR_OCSP_SIGNATURE: return "OCSP response signature does not verify";
    case TSVC_ERR_OCSP_CERT_MISMATCH: return "OCSP response is about a different certificate";
    case TSVC_ERR_OCSP_NONCE: return "OCSP nonce mismatch";
    case TSVC_ERR_OCSP_STALE: return "OCSP response is stale";
    case TSVC_ERR_OCSP_NOT_YET_VALID: return "OCSP response not yet valid";
    case TSVC_ERR_OCSP_UNKNOWN_CRITICAL: return "OCSP response has an unknown critical extension";
    case TSVC_ERR_FETCH: return "fetch callback failed or not set";
    /* @@revoke-codes@@ */
    case TSVC_ERR_CMS_FORMAT: return "malformed CMS structure";
    case TSVC_ERR_CMS_CONTENT_TYPE: return "not a CMS SignedData, or an unexpected content type";
    case TSVC_ERR_CMS_VERSION: return "unsupported CMS SignedData or SignerInfo version";
    case TSVC_ERR_CMS_NO_CONTENT: return "detached CMS signature without content, or content given twice";
    case TSVC_ERR_CMS_ATTRIBUTE: return "malformed, duplicated or missing CMS attribute";
    case TSVC_ERR_CMS_SIGNER_INDEX: return "no CMS SignerInfo at that index";
    case TSVC_ERR_SIGNER_CERT: return "the signer certificate does not fit the key or the signature profile";
    case TSVC_ERR_SIGNER_STATE: return "signer call out of order";
    case TSVC_ERR_ALGORITHM_POLICY: return "algorithm or key size refused by the algorithm policy";
    case TSVC_ERR_SEAL_CERT: return "the certificate is not an organisation's seal certificate";
    case TSVC_ERR_ORG_IDENTIFIER: return "malformed organizationIdentifier or corporate number check digit wrong";
    case TSVC_ERR_ADES_LEVEL: return "the signature lacks the level the upgrade builds on";
    case TSVC_ERR_ADES_VALIDATION_DATA: return "validation data could not be gathered";
    /* @@cms-codes@@ */
    case TSVC_ERR_TSP_FORMAT: return "malformed time-stamp request, response or TSTInfo";
    case TSVC_ERR_TSP_VERSION: return "unsupported time-stamp request or TSTInfo version";
    case TSVC_ERR_TSP_NOT_GRANTED: return "time-stamp response not granted";
    case TSVC_ERR_TSP_NO_TOKEN: return "time-stamp response carries no token";
    case TSVC_ERR_TSP_HASH: return "message-imprint hash algorithm not accepted or digest of the wrong length";
    case TSVC_ERR_TSA_CERT:
        return "TSA certificate lacks a critical extendedKeyUsage of only id-kp-timeStamping, or does not fit the key";
    case TSVC_ERR_TSA_POLICY: return "malformed or missing TSA policy";
    case TSVC_ERR_TSA_SERIAL: return "TSA serial-number source failed";
    /* @@tsp-codes@@ */
    case TSVC_ERR_PKCS11_MODULE: return "PKCS#11 module cannot be loaded or initialised";
    case TSVC_ERR_PKCS11_URI: return "malformed PKCS#11 URI";
    case TSVC_ERR_PKCS11_TOKEN_NOT_FOUND: return "no PKCS#11 token matches";
    case TSVC_ERR_PKCS11_OBJECT_NOT_FOUND: return "no PKCS#11 object matches";
    case TSVC_ERR_PKCS11_AMBIGUOUS: return "several PKCS#11 objects match";
    case TSVC_ERR_PKCS11_PIN_INCORRECT: return "incorrect PIN";
    case TSVC_ERR_PKCS11_PIN_LOCKED: return "PIN locked or expired";
    case TSVC_ERR_PKCS11_PIN_REQUIRED: return "PIN required but no PIN source given";
    case TSVC_ERR_PKCS11_MECHANISM: return "the token does not offer the mechanism";
    case TSVC_ERR_PKCS11_DEVICE: return "PKCS#11 token or module failure";
    case TSVC_ERR_PKCS11_TOKEN_STATUS: return "the token's certification status forbids the operation";
    case TSVC_ERR_KEY_ASSURANCE: return "the key does not meet the required assurance";
    case TSVC_ERR_ACTIVATION_REFUSED: return "signature activation refused";
    case TSVC_ERR_CSR_FORMAT: return "malformed certificate request";
    case TSVC_ERR_CSR_SIGNATURE: return "certificate request signature does not verify";
    /* @@pkcs11-codes@@ */
    }
    return "unknown status";
}

int tsvc_status_family(int status)
{
    if (status >= 0)
        return 0;
    if (status > -100)
        return 0;
    return -((-status) / 100) * 100;
}

const char *tsvc_version_str(void)
{
    return TSVC_VERSION_STRING;
}

unsigned tsvc_version_num(void)
{
    return TSVC_VERSION_NUMBER;
}
