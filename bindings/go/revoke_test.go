// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"errors"
	"testing"
	"time"
)

// tests/data/revoke: validated at 2026-01-15.
var revWhen = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

func mustCRL(t *testing.T, rel string) *CRL {
	l, err := (*Context)(nil).ParseCRL(readData(t, rel))
	must(t, err)
	return l
}

func TestCRL(t *testing.T) {
	ica := mustCert(t, "revoke/ica.pem")
	crl := mustCRL(t, "revoke/ica-crl.der")
	if crl.Len() != 3 || !crl.ThisUpdate().Before(revWhen) {
		t.Fatal(crl.Len(), crl.ThisUpdate())
	}
	must(t, crl.Verify(ica, revWhen))
	entries, err := crl.Entries()
	must(t, err)
	if len(entries) != 3 || entries[0].Serial.Int64() != 0x3001 || entries[0].Reason != ReasonKeyCompromise || entries[0].InvalidityDate.IsZero() {
		t.Fatalf("%+v", entries)
	}
	rs, err := crl.Check(mustCert(t, "revoke/leaf-revoked.pem"), ica, revWhen)
	must(t, err)
	if rs.Status != CertStatusRevoked || rs.Reason != ReasonKeyCompromise ||
		!rs.RevocationTime.Equal(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("%+v", rs)
	}
	rs, err = crl.Check(mustCert(t, "revoke/leaf-good.pem"), ica, revWhen)
	must(t, err)
	if rs.Status != CertStatusGood {
		t.Fatalf("%+v", rs)
	}
	if err := mustCRL(t, "revoke/ica-crl-expired.der").Verify(ica, revWhen); !errors.Is(err, ErrCRLExpired) {
		t.Fatal(err)
	}
	if err := mustCRL(t, "revoke/ica-crl-badsig.der").Verify(ica, revWhen); !errors.Is(err, ErrCRLSignature) || !errors.Is(err, FamilyRevocation) {
		t.Fatal(err)
	}
	if _, err := (*Context)(nil).ParseCRL([]byte{0x30, 0x00}); err == nil {
		t.Fatal("empty CRL parsed")
	}
}

func TestOCSP(t *testing.T) {
	ica := mustCert(t, "revoke/ica.pem")
	good, err := (*Context)(nil).ParseOCSPResponse(readData(t, "revoke/ocsp-good.der"))
	must(t, err)
	at := good.ProducedAt().Add(time.Minute)
	if good.ResponseStatus() != OCSPSuccessful {
		t.Fatal(good.ResponseStatus())
	}
	rs, err := good.Verify(mustCert(t, "revoke/leaf-good.pem"), ica, at, nil)
	must(t, err)
	if rs.Status != CertStatusGood {
		t.Fatalf("%+v", rs)
	}
	singles, err := good.Responses()
	must(t, err)
	if len(singles) != 1 || singles[0].Status != CertStatusGood {
		t.Fatalf("%+v", singles)
	}
	rev, _ := (*Context)(nil).ParseOCSPResponse(readData(t, "revoke/ocsp-revoked.der"))
	rs, err = rev.Verify(mustCert(t, "revoke/leaf-revoked.pem"), ica, at, nil)
	must(t, err)
	if rs.Status != CertStatusRevoked || rs.RevocationTime.IsZero() {
		t.Fatalf("%+v", rs)
	}
	noeku, _ := (*Context)(nil).ParseOCSPResponse(readData(t, "revoke/ocsp-noeku.der"))
	if _, err := noeku.Verify(mustCert(t, "revoke/leaf-good.pem"), ica, at, nil); !errors.Is(err, ErrOCSPResponder) {
		t.Fatal(err)
	}
}

func TestValidationWithCRLs(t *testing.T) {
	root, ica := mustCert(t, "revoke/root.pem"), mustCert(t, "revoke/ica.pem")
	store, err := NewStore(root)
	must(t, err)
	must(t, store.AddIntermediate(ica))
	must(t, store.AddCRL(mustCRL(t, "revoke/ica-crl.der")))
	must(t, store.AddCRL(mustCRL(t, "revoke/root-crl.der")))
	pol, err := NewPolicy(revWhen)
	must(t, err)
	must(t, pol.SetRevocation(RevocationHardFail, RevocationCRLOnly))
	r, err := Validate(mustCert(t, "revoke/leaf-good.pem"), store, pol)
	must(t, err)
	if !r.Passed() {
		t.Fatal(r.Reason())
	}
	r, err = Validate(mustCert(t, "revoke/leaf-revoked.pem"), store, pol)
	must(t, err)
	if r.Passed() || (r.Subindication() != SubRevoked && r.Subindication() != SubRevokedNoPOE) {
		t.Fatal(r.Indication(), r.Subindication())
	}
}
