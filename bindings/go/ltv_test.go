// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

// A PKI made here: a root, a signer and a TSA, the root's CRLs, and an
// in-process TSA reached through the fetch callback.
type ltWorld struct {
	ctx             *Context
	now, tsaTime    time.Time
	root, cert, tsa *Certificate
	rootKey, key    *Key
	srv             *TSA
	crlNumber       uint64
}

var ltT0 = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

const ltSignerSerial = 0x51

func newLTWorld(t *testing.T) *ltWorld {
	w := &ltWorld{now: ltT0, tsaTime: ltT0, crlNumber: 1}
	var err error
	w.ctx, err = NewContext()
	must(t, err)
	w.ctx.SetClock(func() (time.Time, error) { return w.now, nil })
	w.rootKey, err = w.ctx.GenerateKey(KeyECDSAP256, 0)
	must(t, err)
	rootPub, _ := w.rootKey.PublicKey()
	w.root, err = w.ctx.NewCertificate(&CertificateTemplate{Subject: "CN=Go LT Root,O=TSVC Test,C=JP", Serial: 1,
		NotBefore: ltT0.Add(-30 * 24 * time.Hour), NotAfter: ltT0.Add(3 * 365 * 24 * time.Hour),
		PublicKey: rootPub, CA: true, KeyUsage: KUKeyCertSign | KUCRLSign}, w.rootKey)
	must(t, err)
	issue := func(subject string, key *Key, serial int64, ku KeyUsage, ekus []string) *Certificate {
		pub, _ := key.PublicKey()
		c, err := w.ctx.NewCertificate(&CertificateTemplate{Subject: subject, Issuer: w.root, Serial: serial,
			NotBefore: ltT0.Add(-24 * time.Hour), NotAfter: ltT0.Add(2 * 365 * 24 * time.Hour), PublicKey: pub,
			KeyUsage: ku, EKUs: ekus, CriticalEKU: len(ekus) > 0}, w.rootKey)
		must(t, err)
		return c
	}
	w.key, _ = w.ctx.GenerateKey(KeyECDSAP256, 0)
	w.cert = issue("CN=Go LT Signer,O=TSVC Test,C=JP", w.key, ltSignerSerial, KUDigitalSignature|KUNonRepudiation, nil)
	tsaKey, _ := w.ctx.GenerateKey(KeyECDSAP256, 0)
	w.tsa = issue("CN=Go LT TSA,O=TSVC Test,C=JP", tsaKey, 0x52, KUDigitalSignature, []string{"1.3.6.1.5.5.7.3.8"})
	w.srv, err = w.ctx.NewTSA(tsaKey, w.tsa, "1.2.3.4.1")
	must(t, err)
	must(t, w.srv.SetClock(func() (time.Time, error) { return w.tsaTime, nil }))
	w.ctx.SetFetch(func(url, ct string, body []byte) ([]byte, error) {
		if url != "http://tsa.test/" {
			return nil, errors.New("unknown TSA")
		}
		return w.srv.Respond(body)
	})
	return w
}

func (w *ltWorld) store(t *testing.T, crls ...*CRL) *Store {
	s, err := w.ctx.NewStore()
	must(t, err)
	must(t, s.AddAnchor(w.root))
	for _, l := range crls {
		must(t, s.AddCRL(l))
	}
	return s
}

func (w *ltWorld) crl(t *testing.T, at time.Time, revokedAt time.Time) *CRL {
	var rev []RevokedEntry
	if !revokedAt.IsZero() && !revokedAt.After(at) {
		rev = append(rev, RevokedEntry{big.NewInt(ltSignerSerial), revokedAt, ReasonKeyCompromise})
	}
	l, err := w.ctx.NewCRL(w.root, w.rootKey, at, at.Add(7*24*time.Hour), w.crlNumber, rev)
	must(t, err)
	w.crlNumber++
	return l
}

func (w *ltWorld) bt(t *testing.T) []byte {
	w.now = ltT0
	bb, err := w.ctx.Sign(w.key, w.cert, strings.NewReader("long-term document"), &SignerOptions{SigningTime: ltT0})
	must(t, err)
	w.now, w.tsaTime = ltT0.Add(time.Hour), ltT0.Add(time.Hour)
	bt, err := w.ctx.TimestampSignature(bb, "http://tsa.test/", 0, HashSHA256)
	must(t, err)
	return bt
}

func TestBT(t *testing.T) {
	w := newLTWorld(t)
	bb, err := w.ctx.Sign(w.key, w.cert, strings.NewReader("x"), &SignerOptions{SigningTime: ltT0})
	must(t, err)
	r, err := w.ctx.VerifySignatureTimestamps(bb, 0, w.store(t), nil)
	must(t, err)
	if r.Indication() != IndicationIndeterminate || r.Subindication() != SubNoPOE {
		t.Fatal(r.Indication(), r.Subindication())
	}
	w.tsaTime = ltT0.Add(time.Hour)
	q, err := w.ctx.SignatureTimestampRequest(bb, 0, HashSHA256)
	must(t, err)
	der, _ := q.Encode()
	resp, err := w.srv.Respond(der)
	must(t, err)
	bt, err := w.ctx.AddSignatureTimestamp(bb, resp, q, 0)
	must(t, err)
	r, err = w.ctx.VerifySignatureTimestamps(bt, 0, w.store(t), nil)
	must(t, err)
	if !r.Passed() {
		t.Fatal(r.Reason())
	}
	pol, _ := w.ctx.NewPolicy()
	must(t, pol.SetTime(ltT0.Add(2*time.Hour)))
	v, err := w.ctx.Verify(bt, nil, w.store(t), pol, nil)
	must(t, err)
	if !v.Passed() || !v.Signers()[0].BestSignatureTime.Equal(ltT0.Add(time.Hour)) {
		t.Fatal(v.Reason(), v.Signers()[0].BestSignatureTime)
	}
	other, _ := w.ctx.NewTimeStampRequest(HashSHA256, make([]byte, 32), "", nil, false)
	od, _ := other.Encode()
	oresp, _ := w.srv.Respond(od)
	if _, err := w.ctx.AddSignatureTimestamp(bb, oresp, nil, 0); !errors.Is(err, FamilyTimeStamp) {
		t.Fatal(err)
	}
}

func TestLTAndLTA(t *testing.T) {
	for _, profile := range []LTProfile{LTProfileEN, LTProfileJIS} {
		t.Run(profile.String(), func(t *testing.T) {
			w := newLTWorld(t)
			bt := w.bt(t)
			at := ltT0.Add(2 * time.Hour)
			lt, err := w.ctx.ExtendLT(bt, 0, w.store(t, w.crl(t, at, time.Time{})), &LTOptions{Profile: profile, When: at})
			must(t, err)
			version := ATSV3
			if profile == LTProfileJIS {
				version = ATSV2
			}
			w.now, w.tsaTime = ltT0.Add(3*time.Hour), ltT0.Add(3*time.Hour)
			lta, err := w.ctx.ArchiveTimestamp(lt, nil, version, "http://tsa.test/", 0, HashSHA256)
			must(t, err)
			later := ltT0.Add(365 * 24 * time.Hour)
			r, err := w.ctx.VerifyLongTerm(lta, nil, w.store(t, w.crl(t, later.Add(-24*time.Hour), time.Time{})), &LTVOptions{When: later})
			must(t, err)
			defer r.Close()
			if !r.Passed() {
				j, _ := r.JSON()
				t.Fatalf("%s", j)
			}
			best, ok := r.BestSignatureTime()
			if r.Level() != "B-LTA" || !ok || !best.Equal(ltT0.Add(time.Hour)) {
				t.Fatal(r.Level(), best)
			}
			a := r.ArchiveTimestamps()
			if len(a) != 1 || a[0].Version != version || a[0].Indication != IndicationPassed {
				t.Fatalf("%+v", a)
			}
			if m, err := r.Map(); err != nil || m["indication"] != "PASSED" {
				t.Fatal(m, err)
			}
		})
	}
}

func TestLTRevocation(t *testing.T) {
	w := newLTWorld(t)
	at := ltT0.Add(2 * time.Hour)
	lt, err := w.ctx.ExtendLT(w.bt(t), 0, w.store(t, w.crl(t, at, time.Time{})), &LTOptions{When: at})
	must(t, err)
	later := ltT0.Add(365 * 24 * time.Hour)
	// revoked after the time-stamp: still valid
	r, err := w.ctx.VerifyLongTerm(lt, nil, w.store(t, w.crl(t, later.Add(-24*time.Hour), ltT0.Add(30*24*time.Hour))), &LTVOptions{When: later})
	must(t, err)
	if !r.Passed() || r.Level() != "B-LT" {
		t.Fatal(r.Reason())
	}
	bb, _ := w.ctx.Sign(w.key, w.cert, strings.NewReader("x"), &SignerOptions{SigningTime: ltT0})
	if _, err := w.ctx.ExtendLT(bb, 0, w.store(t, w.crl(t, at, time.Time{})), nil); !errors.Is(err, ErrAdESLevel) && !errors.Is(err, FamilyCMS) {
		t.Fatal(err)
	}
	r, err = w.ctx.VerifyLongTerm([]byte("junk"), nil, w.store(t), nil)
	if err == nil && r.Passed() {
		t.Fatal("junk passed")
	}
}
