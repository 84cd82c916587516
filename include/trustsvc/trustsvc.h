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

#endif /* TRUSTSVC_TRUSTSVC_H */
