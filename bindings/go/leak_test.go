// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMemoryFlat runs 100,000 sign/verify iterations: every iteration signs
// a message with an Ed25519 key and verifies it (every 16th verification
// gets a bad signature, so error values are made too); every 50th also
// makes and verifies a complete CAdES signature with a report, left to the
// finalizers. RSS (/proc/self/statm) is read after a warm-up and at the
// end, after forcing collection. Bound: growth below 8 MiB.
// TSVC_LEAK_ITERATIONS overrides the count; -short runs 10,000.
func TestMemoryFlat(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/statm")
	}
	iterations := 100000
	if testing.Short() {
		iterations = 10000
	}
	if v, err := strconv.Atoi(os.Getenv("TSVC_LEAK_ITERATIONS")); err == nil {
		iterations = v
	}
	key, err := GenerateKey(KeyEd25519, 0)
	must(t, err)
	pub, _ := key.PublicKey()
	cert, err := (*Context)(nil).NewCertificate(&CertificateTemplate{Subject: "CN=leak", Serial: 1,
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31-1, 0), PublicKey: pub, KeyUsage: KUNonRepudiation}, key)
	must(t, err)
	algs, _ := (*Context)(nil).NewAlgorithmPolicy(AlgpolIoT)
	store, _ := NewStore(cert)
	policy, _ := NewPolicy(time.Unix(1000000, 0))
	msg := bytes.Repeat([]byte("m"), 256)
	run := func(n int) {
		for i := 0; i < n; i++ {
			sig, err := key.Sign(msg)
			if err != nil {
				t.Fatal(err)
			}
			if i%16 == 0 {
				sig[len(sig)-1] ^= 1
				if ok, err := pub.Verify(msg, sig); ok || err != nil {
					t.Fatal("bad signature accepted", err)
				}
			} else if ok, err := pub.Verify(msg, sig); !ok || err != nil {
				t.Fatal("good signature refused", err)
			}
			if i%50 == 0 {
				cms, err := Sign(key, cert, strings.NewReader("cades"), &SignerOptions{
					SigningTime: time.Unix(1000000, 0), AlgorithmPolicy: algs})
				if err != nil {
					t.Fatal(err)
				}
				r, err := Verify(cms, nil, store, policy, &VerifyOptions{AlgorithmPolicy: algs})
				if err != nil || !r.Passed() {
					t.Fatal("CAdES verification failed", err)
				}
				if _, err := r.JSON(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	settle := func() {
		for i := 0; i < 3; i++ {
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
	}
	run(2000)
	settle()
	before := rss(t)
	run(iterations)
	settle()
	after := rss(t)
	growth := after - before
	t.Logf("RSS before %.1f MiB, after %.1f MiB, growth %d KiB over %d iterations (bound 8 MiB)",
		float64(before)/(1<<20), float64(after)/(1<<20), growth>>10, iterations)
	if growth >= 8<<20 {
		t.Fatalf("RSS grew by %d KiB", growth>>10)
	}
}

func rss(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip(err)
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}
