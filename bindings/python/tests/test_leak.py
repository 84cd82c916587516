# SPDX-License-Identifier: Apache-2.0
# Copyright The libtrustsvc authors
"""Memory stays flat over 100,000 sign/verify iterations.

Each iteration signs a message with an Ed25519 key and verifies it (a new
signature buffer, bytes object and cffi temporaries every time; every 16th
verification is given a bad signature, so error paths run too). Every 50th
iteration also makes and verifies a complete CAdES signature, creating and
releasing a signer, a signature report and its certificates. RSS is read
from /proc/self/statm after a warm-up and at the end.

Bound: RSS growth below 8 MiB. TSVC_LEAK_ITERATIONS overrides the count.
"""
from __future__ import annotations

import gc
import os
import sys

import pytest

import trustsvc as t

ITERATIONS = int(os.environ.get("TSVC_LEAK_ITERATIONS", "100000"))
BOUND = 8 * 1024 * 1024


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_sign_verify_memory_is_flat():
    key = t.Key.generate(t.KeyType.ED25519)
    pub = key.public_key()
    cert = (t.CertificateBuilder().subject("CN=leak").issuer("CN=leak").serial(1).validity(0, 2**31)
            .public_key(pub).key_usage(t.KeyUsage.NON_REPUDIATION).sign(key))
    algs = t.AlgorithmPolicy(t.AlgpolPreset.IOT)
    store = t.Store([cert])
    policy = t.Policy(time=10**6)
    msg = b"m" * 256

    def run(n: int) -> None:
        for i in range(n):
            sig = key.sign(msg)
            if i % 16 == 0:
                sig = sig[:-1] + bytes([sig[-1] ^ 1])
                assert not pub.verify(sig, msg)
            else:
                assert pub.verify(sig, msg)
            if i % 50 == 0:
                cms = t.sign(msg, key, cert, signing_time=10**6, algorithm_policy=algs)
                rep = t.verify(cms, store, policy, algorithm_policy=algs)
                assert rep.passed
                rep.to_dict()

    run(2000)
    gc.collect()
    before = rss()
    run(ITERATIONS)
    gc.collect()
    after = rss()
    growth = after - before
    print(f"\nRSS before {before / 2**20:.1f} MiB, after {after / 2**20:.1f} MiB, "
          f"growth {growth / 2**10:.0f} KiB over {ITERATIONS} iterations (bound {BOUND // 2**20} MiB)")
    assert growth < BOUND
