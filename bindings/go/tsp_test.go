// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

const tsaPolicy = "1.2.3.4.1"

func newTestTSA(t *testing.T) (*TSA, *Store, time.Time) {
	key, cert := mustKey(t, "tsp/tsa-ec.key"), mustCert(t, "tsp/tsa-ec.pem")
	when := cert.NotBefore().Add(24 * time.Hour)
	a, err := (*Context)(nil).NewTSA(key, cert, tsaPolicy)
	must(t, err)
	must(t, a.SetClock(func() (time.Time, error) { return when, nil }))
	must(t, a.SetAccuracy(1, 0, 0))
	store, err := NewStore(mustCert(t, "tsp/root.pem"))
	must(t, err)
	return a, store, when
}

func TestTimeStampRoundTrip(t *testing.T) {
	a, store, when := newTestTSA(t)
	defer a.Close()
	d, _ := (*Context)(nil).HashBytes(HashSHA256, []byte("document"))
	q, err := (*Context)(nil).NewTimeStampRequest(HashSHA256, d, tsaPolicy, []byte{1, 2, 3}, true)
	must(t, err)
	der, err := q.Encode()
	must(t, err)
	q2, err := (*Context)(nil).ParseTimeStampRequest(der)
	must(t, err)
	if !bytes.Equal(q2.Digest(), d) {
		t.Fatal("digest")
	}
	respDER, err := a.Respond(der)
	must(t, err)
	resp, err := (*Context)(nil).ParseTimeStampResponse(respDER)
	must(t, err)
	if resp.Status() != PKIGranted {
		t.Fatal(resp.Status())
	}
	tok := resp.Token()
	gt, err := tok.GenTime()
	must(t, err)
	if !gt.Equal(when.Truncate(time.Second)) || tok.Policy() != tsaPolicy || tok.Serial().Sign() <= 0 {
		t.Fatal(gt, tok.Policy())
	}
	if tok.SignerCertificate() == nil {
		t.Fatal("no signer certificate")
	}
	pol, err := NewPolicy(when)
	must(t, err)
	r, err := resp.Verify(q, store, &TimeStampVerifyOptions{Now: when, Policies: []string{tsaPolicy}, Policy: pol})
	must(t, err)
	if !r.Passed() {
		t.Fatal(r.Reason())
	}
	r, err = tok.Verify(HashSHA256, d, store, &TimeStampVerifyOptions{Now: when})
	must(t, err)
	if !r.Passed() {
		t.Fatal(r.Reason())
	}
	other, _ := (*Context)(nil).HashBytes(HashSHA256, []byte("other"))
	r, err = tok.Verify(HashSHA256, other, store, &TimeStampVerifyOptions{Now: when})
	must(t, err)
	if r.Indication() != IndicationFailed || r.Subindication() != SubHashFailure {
		t.Fatal(r.Indication(), r.Subindication())
	}
	r, err = resp.Verify(q, store, &TimeStampVerifyOptions{Now: when, Policies: []string{"1.2.9"}})
	must(t, err)
	if r.Passed() {
		t.Fatal("unaccepted policy passed")
	}
	tok2, err := (*Context)(nil).ParseTimeStampToken(tok.DER())
	must(t, err)
	if tok2.Serial().Cmp(tok.Serial()) != 0 {
		t.Fatal("serial")
	}
	if a.NumIssued() != 1 {
		t.Fatal(a.NumIssued())
	}
}

func TestTimeStampRejections(t *testing.T) {
	other, _, _ := newTestTSA(t)
	if err := other.SetKeyRequirements(KeyRequirements{HSM: true}); !errors.Is(err, ErrKeyAssurance) {
		t.Fatal(err)
	}
	a, _, _ := newTestTSA(t)
	der, err := a.Respond([]byte{0x30, 0x00})
	must(t, err)
	resp, err := (*Context)(nil).ParseTimeStampResponse(der)
	must(t, err)
	if resp.Status() != PKIRejection || resp.Token() != nil || resp.FailInfo() == 0 {
		t.Fatal(resp.Status(), resp.FailInfo())
	}
	d := make([]byte, 32)
	q, _ := (*Context)(nil).NewTimeStampRequest(HashSHA256, d, "1.2.3.9.9", nil, false)
	qd, _ := q.Encode()
	der, _ = a.Respond(qd)
	resp, _ = (*Context)(nil).ParseTimeStampResponse(der)
	if resp.FailInfo()&TSPFailUnacceptedPolicy == 0 {
		t.Fatal(resp.FailInfo())
	}
	if _, err := (*Context)(nil).NewTimeStampRequest(HashSHA1, make([]byte, 20), "", nil, false); !errors.Is(err, ErrTSPHash) {
		t.Fatal(err)
	}
	if _, err := (*Context)(nil).ParseTimeStampResponse([]byte{0x30, 0x01}); !errors.Is(err, FamilyEncoding) && !errors.Is(err, FamilyTimeStamp) {
		t.Fatal(err)
	}
	k, c := mustKey(t, "tsp/tsa-noeku.key"), mustCert(t, "tsp/tsa-noeku.pem")
	if _, err := (*Context)(nil).NewTSA(k, c, tsaPolicy); !errors.Is(err, ErrTSACert) {
		t.Fatal(err)
	}
}

func TestFetchCallback(t *testing.T) {
	a, store, when := newTestTSA(t)
	ctx, err := NewContext()
	must(t, err)
	var urls []string
	ctx.SetFetch(func(url, ct string, body []byte) ([]byte, error) {
		urls = append(urls, url+" "+ct)
		return a.Respond(body)
	})
	q, err := ctx.NewTimeStampRequest(HashSHA256, make([]byte, 32), "", []byte{7}, true)
	must(t, err)
	resp, err := q.Fetch("http://tsa.example/")
	must(t, err)
	if len(urls) != 1 || urls[0] != "http://tsa.example/ "+TSQMediaType {
		t.Fatal(urls)
	}
	r, err := resp.Verify(q, store, &TimeStampVerifyOptions{Now: when})
	must(t, err)
	if !r.Passed() {
		t.Fatal(r.Reason())
	}
	ctx.SetFetch(func(string, string, []byte) ([]byte, error) { return nil, errors.New("down") })
	if _, err := q.Fetch("http://tsa.example/"); !errors.Is(err, ErrFetch) {
		t.Fatal(err)
	}
	ctx.SetFetch(nil)
}
