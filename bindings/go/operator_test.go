// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"bytes"
	"math/big"
	"testing"
	"time"
)

func TestOCSPResponderSide(t *testing.T) {
	ica, key := mustCert(t, "revoke/ica.pem"), mustKey(t, "revoke/ica.key")
	good, revoked := mustCert(t, "revoke/leaf-good.pem"), mustCert(t, "revoke/leaf-revoked.pem")
	der, err := (*Context)(nil).NewOCSPResponse(ica, ica, key, revWhen, revWhen, revWhen.Add(7*24*time.Hour),
		[]OCSPEntry{{Serial: good.Serial(), Status: CertStatusGood, Reason: ReasonNone},
			{Serial: revoked.Serial(), Status: CertStatusRevoked, RevokedAt: revWhen.Add(-24 * time.Hour), Reason: ReasonKeyCompromise}}, nil)
	must(t, err)
	resp, err := (*Context)(nil).ParseOCSPResponse(der)
	must(t, err)
	rs, err := resp.Verify(good, ica, revWhen, nil)
	must(t, err)
	if rs.Status != CertStatusGood {
		t.Fatalf("%+v", rs)
	}
	rs, err = resp.Verify(revoked, ica, revWhen, nil)
	must(t, err)
	if rs.Status != CertStatusRevoked || rs.Reason != ReasonKeyCompromise {
		t.Fatalf("%+v", rs)
	}
	req, err := (*Context)(nil).OCSPRequest(good, ica, HashSHA1, []byte{1, 2, 3, 4})
	must(t, err)
	if len(req) == 0 || req[0] != 0x30 {
		t.Fatal("request")
	}
	crl, err := (*Context)(nil).NewCRL(ica, key, revWhen, revWhen.Add(7*24*time.Hour), 42,
		[]RevokedEntry{{Serial: big.NewInt(0x3001), When: revWhen.Add(-time.Hour), Reason: ReasonSuperseded}})
	must(t, err)
	rc, err := crl.Check(revoked, ica, revWhen)
	must(t, err)
	if rc.Status != CertStatusRevoked {
		t.Fatalf("%+v", rc)
	}
}

func TestCSR(t *testing.T) {
	key, err := GenerateKey(KeyECDSAP256, 0)
	must(t, err)
	der, err := (*Context)(nil).NewCSR(&CSRTemplate{Subject: "CN=device-0001,O=TSVC Test,C=JP",
		DNSNames: []string{"device.example"}, KeyUsage: KUDigitalSignature, EKUs: []string{"1.3.6.1.5.5.7.3.2"}}, key)
	must(t, err)
	csr, err := (*Context)(nil).ParseCSR(der)
	must(t, err)
	defer csr.Close()
	if csr.Subject() != "CN=device-0001,O=TSVC Test,C=JP" || len(csr.EKUs()) != 1 {
		t.Fatal(csr.Subject(), csr.EKUs())
	}
	p1, _ := csr.PublicKey()
	p2, _ := key.PublicKey()
	a, _ := p1.Export(FormatDER)
	b, _ := p2.Export(FormatDER)
	if !bytes.Equal(a, b) {
		t.Fatal("public key")
	}
	der[len(der)-1] ^= 1
	if _, err := (*Context)(nil).ParseCSR(der); err == nil {
		t.Fatal("a tampered request parsed")
	}
}
