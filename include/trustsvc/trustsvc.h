/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright The libtrustsvc authors
 */
/**
 * @file trustsvc.h
 * @brief Umbrella header: includes every stable public header.
 *
 * Thread safety: see each included header.
 */
#ifndef TRUSTSVC_TRUSTSVC_H
#define TRUSTSVC_TRUSTSVC_H

#include "trustsvc/common.h"
#include "trustsvc/crypto.h"
#include "trustsvc/x509.h"
#include "trustsvc/store.h"
#include "trustsvc/validate.h"
#include "trustsvc/fetch.h"
#include "trustsvc/revoke.h"
#include "trustsvc/algpolicy.h"
#include "trustsvc/sign.h"
#include "trustsvc/verify.h"
#include "trustsvc/seal.h"
#include "trustsvc/tsp.h"
#include "trustsvc/ltv.h"
#include "trustsvc/csr.h"
#include "trustsvc/certbuilder.h"
#include "trustsvc/pkcs11.h"

#endif /* TRUSTSVC_TRUSTSVC_H */
