/*
 * SPDX-License-Identifier: Apache-2.0
 * Internal API of the AdES layer: the e-seal profile helpers shared by
 * signing and verification, and the CAdES attribute codecs.
 * Thread safety: no shared state.
 */
#ifndef TSVC_ADES_ADES_H
#define TSVC_ADES_ADES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cms/cms.h"
#include "trustsvc/seal.h"
#include "trustsvc/sign.h"
#include "trustsvc/verify.h"
#include "x509/x509.h"

/** Most chain certificates a signer embeds. */
#define TSVC__ADES_MAX_CHAIN 16

/**
 * Seal-profile check with the reason written into @p why (NUL-terminated);
 * returns TSVC_OK, TSVC_ERR_SEAL_CERT or TSVC_ERR_ORG_IDENTIFIER.
 */
tsvc_status tsvc__ades_seal_check(const tsvc_cert *cert, uint32_t key_usage, char *why,
                                  size_t why_size);

/** organizationName / organizationIdentifier as NUL-terminated text (empty when absent). */
void tsvc__ades_org_text(const tsvc_cert *cert, char *name, size_t name_size, char *id,
                         size_t id_size);

/** Dotted text of OID contents into @p out ("" if invalid). */
void tsvc__ades_oid_text(const tsvc__cbs *oid, char *out, size_t size);

#endif /* TSVC_ADES_ADES_H */
