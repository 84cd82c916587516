// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSignVerifyEachKeyType(t *testing.T) {
	p := testPKI(t)
	iot, err := (*Context)(nil).NewAlgorithmPolicy(AlgpolIoT)
	must(t, err)
	for _, kind := range []string{"rsa", "ec", "ed"} {
		t.Run(kind, func(t *testing.T) {
			key := mustKey(t, "cms/signer-"+kind+".key")
			cert := mustCert(t, "cms/signer-"+kind+".pem")
			var algs *AlgorithmPolicy
			if kind == "ed" {
				algs = iot
			}
			cms, err := Sign(key, cert, strings.NewReader("contract"), &SignerOptions{
				SigningTime: p.when, Chain: []*Certificate{p.ca}, AlgorithmPolicy: algs})
			must(t, err)
			r, err := Verify(cms, nil, p.store, p.policy, &VerifyOptions{AlgorithmPolicy: algs})
			must(t, err)
			defer r.Close()
			if !r.Passed() {
				j, _ := r.JSON()
				t.Fatalf("not passed: %s", j)
			}
			s := r.Signers()
			if len(s) != 1 || !s[0].Certificate.Equal(cert) || !s[0].SigningTime.Equal(p.when.Truncate(time.Second)) {
				t.Fatalf("%+v", s)
			}
			m, err := r.Map()
			must(t, err)
			if m["indication"] != "PASSED" {
				t.Fatal(m)
			}
			if s[0].Checks == nil {
				t.Fatal("no checks")
			}
			if len(s[0].Chain) < 2 || !s[0].Chain[0].Equal(cert) || !s[0].BestSignatureTime.IsZero() {
				t.Fatalf("chain %d, best time %v", len(s[0].Chain), s[0].BestSignatureTime)
			}
			if _, err := s[0].Checks.JSON(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDetachedStreamed(t *testing.T) {
	p := testPKI(t)
	key, cert := mustKey(t, "cms/signer-ec.key"), mustCert(t, "cms/signer-ec.pem")
	content := bytes.Repeat([]byte("0123456789"), 50000)
	s, err := (*Context)(nil).NewSigner(key, cert, &SignerOptions{Detached: true, SigningTime: p.when})
	must(t, err)
	n, err := s.ReadFrom(bytes.NewReader(content))
	must(t, err)
	if n != int64(len(content)) {
		t.Fatal(n)
	}
	cms, err := s.Finish()
	must(t, err)
	s.Close()
	r, err := Verify(cms, bytes.NewReader(content), p.store, p.policy, nil)
	must(t, err)
	if !r.Passed() {
		t.Fatal(r.Reason())
	}
	bad := append(append([]byte{}, content[:len(content)-1]...), 'X')
	r, err = Verify(cms, bytes.NewReader(bad), p.store, p.policy, nil)
	must(t, err)
	if r.Indication() != IndicationFailed || r.Signers()[0].Subindication != SubHashFailure {
		t.Fatal(r.Indication(), r.Subindication())
	}
	r, err = Verify(cms, nil, p.store, p.policy, nil)
	must(t, err)
	if r.Passed() {
		t.Fatal("detached without content passed")
	}
}

func TestExternalSigning(t *testing.T) {
	p := testPKI(t)
	key, cert := mustKey(t, "cms/signer-ec.key"), mustCert(t, "cms/signer-ec.pem")
	s, err := (*Context)(nil).NewSigner(nil, cert, &SignerOptions{Detached: true, SigningTime: p.when})
	must(t, err)
	defer s.Close()
	_, err = s.Write([]byte("external"))
	must(t, err)
	d, h, err := s.DigestToSign()
	must(t, err)
	sig, err := key.SignDigest(SigECDSA, h, d)
	must(t, err)
	must(t, s.SetSignature(sig))
	cms, err := s.Finish()
	must(t, err)
	r, err := Verify(cms, strings.NewReader("external"), p.store, p.policy, nil)
	must(t, err)
	if !r.Passed() {
		t.Fatal(r.Reason())
	}
}

func TestSignErrors(t *testing.T) {
	p := testPKI(t)
	ed, edc := mustKey(t, "cms/signer-ed.key"), mustCert(t, "cms/signer-ed.pem")
	_, err := Sign(ed, edc, strings.NewReader("x"), &SignerOptions{SigningTime: p.when})
	var te *Error
	if !errors.Is(err, ErrAlgorithmPolicy) || !errors.As(err, &te) || te.Check == "" {
		t.Fatalf("Ed25519 under the default policy: %v", err)
	}
	ec := mustKey(t, "cms/signer-ec.key")
	rsac := mustCert(t, "cms/signer-rsa.pem")
	if _, err := Sign(ec, rsac, strings.NewReader("x"), &SignerOptions{SigningTime: p.when}); !errors.Is(err, ErrSignerCert) {
		t.Fatalf("key/certificate mismatch: %v", err)
	}
	weak, weakc := mustKey(t, "cms/signer-weak.key"), mustCert(t, "cms/signer-weak.pem")
	if _, err := Sign(weak, weakc, strings.NewReader("x"), &SignerOptions{SigningTime: p.when}); !errors.Is(err, FamilyCMS) {
		t.Fatalf("weak key: %v", err)
	}
	for _, bad := range [][]byte{{0x30, 0x03, 0x02, 0x01, 0x01}, []byte("junk"), {}} {
		r, err := Verify(bad, nil, p.store, p.policy, nil)
		if err == nil && r.Passed() {
			t.Fatal("malformed signature passed")
		}
	}
}

func TestValidateAndStore(t *testing.T) {
	p := testPKI(t)
	c := mustCert(t, "cms/signer-rsa.pem")
	r, err := Validate(c, p.store, p.policy)
	must(t, err)
	if !r.Passed() || len(r.Chain()) != 3 || len(r.Checks()) == 0 {
		t.Fatal(r.Reason())
	}
	only, _ := NewStore(p.root)
	r, err = Validate(c, only, p.policy)
	must(t, err)
	if r.Indication() != IndicationIndeterminate {
		t.Fatal(r.Indication())
	}
	late, _ := NewPolicy(c.NotAfter().Add(48 * time.Hour))
	r, err = Validate(c, p.store, late)
	must(t, err)
	if r.Passed() {
		t.Fatal("expired certificate passed")
	}
	p.store.Freeze()
	if err := p.store.AddIntermediate(c); !errors.Is(err, ErrStoreFrozen) {
		t.Fatal(err)
	}
	s, _ := NewStore()
	if err := s.AddPinnedAnchor(p.root, make([]byte, 32)); !errors.Is(err, FamilyPath) {
		t.Fatal(err)
	}
}

func TestSeal(t *testing.T) {
	p := testPKI(t)
	key, cert := mustKey(t, "cms/seal.key"), mustCert(t, "cms/seal.pem")
	name, id, err := cert.Organization()
	must(t, err)
	if name != "Example Trust KK" || id != "NTRJP-7000012050002" || cert.QCFlags()&QCTypeEseal == 0 {
		t.Fatal(name, id, cert.QCFlags())
	}
	cms, err := Sign(key, cert, strings.NewReader("invoice"), &SignerOptions{Seal: true, SigningTime: p.when})
	must(t, err)
	r, err := Verify(cms, nil, p.store, p.policy, &VerifyOptions{Profile: VerifySeal})
	must(t, err)
	if !r.Passed() || r.Signers()[0].OrganizationID != "NTRJP-7000012050002" {
		t.Fatal(r.Reason())
	}
	bad := mustCert(t, "cms/seal-badnum.pem")
	if _, err := Sign(key, bad, strings.NewReader("x"), &SignerOptions{Seal: true, SigningTime: p.when}); !errors.Is(err, FamilyCMS) {
		t.Fatal(err)
	}
	if !CorporateNumberValid("7000012050002") || CorporateNumberValid("7000012050003") {
		t.Fatal("corporate number")
	}
}

// Certificates, stores, policies and keys are shared between goroutines.
func TestConcurrentSignVerify(t *testing.T) {
	p := testPKI(t)
	p.store.Freeze()
	key, cert := mustKey(t, "cms/signer-ec.key"), mustCert(t, "cms/signer-ec.pem")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				cms, err := Sign(key, cert, strings.NewReader("shared"), &SignerOptions{SigningTime: p.when})
				if err != nil {
					errs <- err
					return
				}
				r, err := Verify(cms, nil, p.store, p.policy, nil)
				if err != nil || !r.Passed() {
					errs <- errors.New("verification failed")
					return
				}
				r.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
