/*
 * SPDX-License-Identifier: Apache-2.0
 * The libFuzzer entry point every target defines; replay.c drives it
 * without libFuzzer in the normal test suite.
 */
#ifndef TSVC_TESTS_FUZZ_H
#define TSVC_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* TSVC_TESTS_FUZZ_H */
