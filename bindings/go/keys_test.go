// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestGenerateSignVerify(t *testing.T) {
	for _, kt := range []KeyType{KeyEd25519, KeyECDSAP256, KeyECDSAP384, KeyRSA} {
		t.Run(kt.String(), func(t *testing.T) {
			bits := 0
			if kt == KeyRSA {
				bits = 2048
			}
			k, err := GenerateKey(kt, bits)
			must(t, err)
			defer k.Close()
			pub, err := k.PublicKey()
			must(t, err)
			if pub.Type() != kt {
				t.Fatalf("type %v", pub.Type())
			}
			sig, err := k.Sign([]byte("message"))
			must(t, err)
			if ok, err := pub.Verify([]byte("message"), sig); !ok || err != nil {
				t.Fatal("good signature refused", err)
			}
			if ok, err := pub.Verify([]byte("messagE"), sig); ok || err != nil {
				t.Fatal("bad signature accepted", err)
			}
			info, err := k.Info()
			must(t, err)
			if info.Storage != StorageSoftware || info.Type != kt {
				t.Fatalf("%+v", info)
			}
		})
	}
}

func TestExportImport(t *testing.T) {
	k, err := GenerateKey(KeyEd25519, 0)
	must(t, err)
	pem, err := k.Export(FormatPEM)
	must(t, err)
	if !bytes.HasPrefix(pem, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Fatal("not PEM")
	}
	k2, err := LoadKey(pem)
	must(t, err)
	sig, err := k2.Sign([]byte("x"))
	must(t, err)
	pub, _ := k.PublicKey()
	der, err := pub.Export(FormatDER)
	must(t, err)
	pub2, err := (*Context)(nil).LoadPublicKey(der)
	must(t, err)
	if ok, _ := pub2.Verify([]byte("x"), sig); !ok {
		t.Fatal("round trip")
	}
}

func TestKeyErrors(t *testing.T) {
	_, err := LoadKey([]byte{0x30, 0x03, 0x02, 0x01, 0x00})
	var te *Error
	if !errors.As(err, &te) || te.Message == "" {
		t.Fatalf("want *Error, got %v", err)
	}
	k, _ := GenerateKey(KeyEd25519, 0)
	if _, err := k.SignWith(SigRSAPSS, HashSHA256, []byte("x")); !errors.Is(err, FamilyCrypto) {
		t.Fatalf("want a crypto error, got %v", err)
	}
	k.Close()
	k.Close()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "closed Key") {
			t.Fatal("use after Close must panic")
		}
	}()
	_, _ = k.Sign([]byte("x"))
}

func TestActivation(t *testing.T) {
	k, _ := GenerateKey(KeyEd25519, 0)
	var seen []SigScheme
	must(t, k.SetActivation(func(r *ActivationRequest) error {
		seen = append(seen, r.Scheme())
		return r.SetEvidence("PIN entered by the test")
	}))
	if _, err := k.Sign([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != SigEd25519 {
		t.Fatal(seen)
	}
	must(t, k.SetActivation(func(*ActivationRequest) error { return errors.New("no") }))
	if _, err := k.Sign([]byte("x")); !errors.Is(err, ErrActivationRefused) {
		t.Fatalf("want ErrActivationRefused, got %v", err)
	}
	must(t, k.SetActivation(func(*ActivationRequest) error { panic("boom") }))
	if _, err := k.Sign([]byte("x")); !errors.Is(err, ErrActivationRefused) {
		t.Fatalf("a panicking callback must refuse, got %v", err)
	}
	must(t, k.SetActivation(nil))
	if _, err := k.Sign([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := k.CheckRequirements(KeyRequirements{HSM: true}); !errors.Is(err, ErrKeyAssurance) {
		t.Fatalf("want ErrKeyAssurance, got %v", err)
	}
}

func TestCertificates(t *testing.T) {
	p := testPKI(t)
	c := mustCert(t, "cms/signer-rsa.pem")
	if !strings.Contains(c.Subject(), "C=JP") || c.Issuer() != p.ca.Subject() {
		t.Fatal(c.Subject(), c.Issuer())
	}
	if !c.NotBefore().Before(c.NotAfter()) || c.Serial().Sign() <= 0 {
		t.Fatal("validity or serial")
	}
	fp, err := c.Fingerprint(HashSHA256)
	must(t, err)
	if len(fp) != 32 {
		t.Fatal(len(fp))
	}
	if !p.root.IsSelfIssued() || c.IsSelfIssued() {
		t.Fatal("self-issued")
	}
	ku, ok := c.KeyUsage()
	if !ok || ku&KUNonRepudiation == 0 {
		t.Fatal("key usage", ku)
	}
	chain, err := (*Context)(nil).ParseCertificates(readData(t, "cms/chain.pem"))
	must(t, err)
	if len(chain) != 2 || !chain[1].Equal(p.root) {
		t.Fatal("chain")
	}
	_, err = ParseCertificate([]byte{0x30, 0x82, 0x01})
	var te *Error
	if !errors.As(err, &te) || !errors.Is(err, FamilyEncoding) || te.Offset < 0 {
		t.Fatalf("want an encoding error with an offset, got %v", err)
	}
}

func TestContext(t *testing.T) {
	ctx, err := NewContext()
	must(t, err)
	defer ctx.Close()
	must(t, ctx.SetLimit(LimitInputSize, 100))
	if ctx.Limit(LimitInputSize) != 100 {
		t.Fatal("limit")
	}
	if _, err := ctx.ParseCertificate(make([]byte, 200)); !errors.Is(err, ErrLimitInputSize) {
		t.Fatalf("want ErrLimitInputSize, got %v", err)
	}
	if err := ctx.SetLimit(LimitInputSize, 0); !errors.Is(err, ErrInvalidArg) {
		t.Fatal(err)
	}
	ctx.SetClock(func() (time.Time, error) { return time.Unix(1234567, 0), nil })
	now, err := ctx.Now()
	if err != nil || now.Unix() != 1234567 {
		t.Fatal(now, err)
	}
	ctx.SetClock(func() (time.Time, error) { return time.Time{}, errors.New("no clock") })
	if _, err := ctx.Now(); !errors.Is(err, ErrClock) {
		t.Fatal(err)
	}
	ctx.SetClock(nil)
	if len(ctx.Backends()) == 0 {
		t.Fatal("no backends")
	}
	d, err := ctx.Hash(HashSHA256, strings.NewReader("abc"))
	must(t, err)
	d2, err := ctx.HashBytes(HashSHA256, []byte("abc"))
	must(t, err)
	if !bytes.Equal(d, d2) || len(d) != 32 {
		t.Fatal("hash")
	}
}

func TestSignerEvidence(t *testing.T) {
	key, cert := mustKey(t, "cms/signer-ec.key"), mustCert(t, "cms/signer-ec.pem")
	when := cert.NotBefore().Add(24 * time.Hour)
	var labels []string
	must(t, key.SetActivation(func(r *ActivationRequest) error {
		labels = append(labels, r.Label())
		return r.SetEvidence("approved by the test")
	}))
	s, err := (*Context)(nil).NewSigner(key, cert, &SignerOptions{SigningTime: when, Label: "contract 2026-0042"})
	must(t, err)
	defer s.Close()
	_, err = s.Write([]byte("x"))
	must(t, err)
	_, err = s.Finish()
	must(t, err)
	ev, err := s.Evidence()
	must(t, err)
	if len(labels) != 1 || labels[0] != "contract 2026-0042" || ev == nil {
		t.Fatal(labels, ev)
	}
	must(t, key.SetActivation(nil))
	if _, err := (*Context)(nil).NewSigner(key, cert, &SignerOptions{SigningTime: when,
		KeyRequirements: &KeyRequirements{HSM: true}}); !errors.Is(err, ErrKeyAssurance) {
		t.Fatal(err)
	}
}
