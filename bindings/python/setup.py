# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
# The extension is described by trustsvc_build.py (cffi, API mode); see
# README.md for TSVC_BUILD_DIR (build tree) versus pkg-config (installed).
from setuptools import setup

setup(cffi_modules=["trustsvc_build.py:ffibuilder"])
