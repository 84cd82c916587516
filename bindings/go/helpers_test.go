// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// dataDir is the repository's committed test PKI (tests/data).
func dataDir() string {
	if d := os.Getenv("TSVC_TEST_DATA"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "tests", "data")
}

func readData(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustCert(t testing.TB, rel string) *Certificate {
	t.Helper()
	c, err := ParseCertificate(readData(t, rel))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return c
}

func mustKey(t testing.TB, rel string) *Key {
	t.Helper()
	k, err := LoadKey(readData(t, rel))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return k
}

type pki struct {
	root, ca *Certificate
	store    *Store
	when     time.Time
	policy   *Policy
}

func testPKI(t testing.TB) *pki {
	t.Helper()
	p := &pki{root: mustCert(t, "cms/root.pem"), ca: mustCert(t, "cms/ca.pem")}
	p.when = p.root.NotBefore().Add(24 * time.Hour)
	var err error
	if p.store, err = NewStore(p.root); err != nil {
		t.Fatal(err)
	}
	if err = p.store.AddIntermediate(p.ca); err != nil {
		t.Fatal(err)
	}
	if p.policy, err = NewPolicy(p.when); err != nil {
		t.Fatal(err)
	}
	return p
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
