// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

/*
#include <stdlib.h>
#include <trustsvc/revoke.h>
#include <trustsvc/store.h>
*/
import "C"

import (
	"math/big"
	"runtime"
	"time"
	"unsafe"
)

// CRL is a parsed, immutable certificate revocation list.
type CRL struct {
	p   *C.tsvc_crl
	ctx *Context
}

func (l *CRL) ptr() *C.tsvc_crl {
	if l.p == nil {
		closed("CRL")
	}
	return l.p
}

// ParseCRL parses a CRL (DER or PEM).
func (c *Context) ParseCRL(data []byte) (*CRL, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_crl
	d, n := bytesPtr(data)
	if err := cCRLParse(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	l := &CRL{p: p, ctx: c}
	runtime.SetFinalizer(l, (*CRL).Close)
	return l, nil
}

// Close drops this reference.
func (l *CRL) Close() error {
	if l.p != nil {
		C.tsvc_crl_free(l.p)
		l.p = nil
		runtime.SetFinalizer(l, nil)
	}
	return nil
}

// Len is the number of entries.
func (l *CRL) Len() int {
	defer runtime.KeepAlive(l)
	return int(C.tsvc_crl_num_entries(l.ptr()))
}

// ThisUpdate is the CRL's issue time.
func (l *CRL) ThisUpdate() time.Time {
	defer runtime.KeepAlive(l)
	return fromUnix(C.tsvc_crl_this_update(l.ptr()))
}

// Verify checks issuer, signature and currency at when.
func (l *CRL) Verify(issuer *Certificate, when time.Time) error {
	defer runtime.KeepAlive(l)
	defer runtime.KeepAlive(issuer)
	return cCRLVerify(l.ctx.ptr(), l.ptr(), issuer.ptr(), unix(when), 0)
}

// RevocationStatus is what a CRL or an OCSP response says about a certificate.
type RevocationStatus struct {
	Status         CertStatus
	RevocationTime time.Time // zero unless revoked
	Reason         CRLReason
}

// Check verifies the CRL and gives cert's status.
func (l *CRL) Check(cert, issuer *Certificate, when time.Time) (RevocationStatus, error) {
	defer runtime.KeepAlive(l)
	defer runtime.KeepAlive(cert)
	defer runtime.KeepAlive(issuer)
	var st C.tsvc_cert_status
	var t C.int64_t
	var r C.tsvc_crl_reason
	if err := cCRLCheck(l.ctx.ptr(), &st, &t, &r, l.ptr(), cert.ptr(), issuer.ptr(), unix(when), 0); err != nil {
		return RevocationStatus{}, err
	}
	return revStatus(st, t, r), nil
}

func revStatus(st C.tsvc_cert_status, t C.int64_t, r C.tsvc_crl_reason) RevocationStatus {
	rs := RevocationStatus{Status: CertStatus(st), Reason: CRLReason(r)}
	if rs.Status == CertStatusRevoked {
		rs.RevocationTime = fromUnix(t)
	}
	return rs
}

// OCSPResponse is a parsed, immutable OCSP response.
type OCSPResponse struct {
	p   *C.tsvc_ocsp_response
	ctx *Context
}

func (o *OCSPResponse) ptr() *C.tsvc_ocsp_response {
	if o.p == nil {
		closed("OCSPResponse")
	}
	return o.p
}

// ParseOCSPResponse parses an OCSP response.
func (c *Context) ParseOCSPResponse(data []byte) (*OCSPResponse, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_ocsp_response
	d, n := bytesPtr(data)
	if err := cOCSPResponseParse(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	o := &OCSPResponse{p: p, ctx: c}
	runtime.SetFinalizer(o, (*OCSPResponse).Close)
	return o, nil
}

// Close drops this reference.
func (o *OCSPResponse) Close() error {
	if o.p != nil {
		C.tsvc_ocsp_response_free(o.p)
		o.p = nil
		runtime.SetFinalizer(o, nil)
	}
	return nil
}

// ProducedAt is the response's producedAt.
func (o *OCSPResponse) ProducedAt() time.Time {
	defer runtime.KeepAlive(o)
	return fromUnix(C.tsvc_ocsp_response_produced_at(o.ptr()))
}

// ResponseStatus is the OCSPResponseStatus.
func (o *OCSPResponse) ResponseStatus() OCSPResponseStatus {
	defer runtime.KeepAlive(o)
	return OCSPResponseStatus(C.tsvc_ocsp_response_get_status(o.ptr()))
}

// Verify checks responder, signature and freshness at when (nonce: nil
// when none was asked for) and gives cert's status.
func (o *OCSPResponse) Verify(cert, issuer *Certificate, when time.Time, nonce []byte) (RevocationStatus, error) {
	defer runtime.KeepAlive(o)
	defer runtime.KeepAlive(cert)
	defer runtime.KeepAlive(issuer)
	opts := (*C.tsvc_ocsp_verify_options)(C.calloc(1, C.size_t(unsafe.Sizeof(C.tsvc_ocsp_verify_options{}))))
	defer C.free(unsafe.Pointer(opts))
	C.tsvc_ocsp_verify_options_init(opts)
	if len(nonce) > 0 {
		p := C.CBytes(nonce)
		defer C.free(p)
		opts.nonce, opts.nonce_len = (*C.uint8_t)(p), C.size_t(len(nonce))
	}
	var st C.tsvc_cert_status
	var t C.int64_t
	var r C.tsvc_crl_reason
	if err := cOCSPResponseVerify(o.ctx.ptr(), &st, &t, &r, o.ptr(), cert.ptr(), issuer.ptr(), unix(when), opts); err != nil {
		return RevocationStatus{}, err
	}
	return revStatus(st, t, r), nil
}

// AddCRL adds a CRL to the store (revocation checking uses it).
func (s *Store) AddCRL(l *CRL) error {
	defer runtime.KeepAlive(s)
	defer runtime.KeepAlive(l)
	return cStoreAddCRL(s.ptr(), l.ptr())
}

// AddOCSPResponse adds a pre-fetched OCSP response to the store.
func (s *Store) AddOCSPResponse(o *OCSPResponse) error {
	defer runtime.KeepAlive(s)
	defer runtime.KeepAlive(o)
	return cStoreAddOCSPResponse(s.ptr(), o.ptr())
}

// CRLEntry is one entry of a CRL.
type CRLEntry struct {
	Serial         *big.Int
	RevocationTime time.Time
	Reason         CRLReason
	InvalidityDate time.Time // zero when absent
}

func signedInt(b []byte) *big.Int {
	v := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}

// Entries lists the CRL's entries.
func (l *CRL) Entries() ([]CRLEntry, error) {
	defer runtime.KeepAlive(l)
	n := l.Len()
	out := make([]CRLEntry, 0, n)
	for i := 0; i < n; i++ {
		var ser *C.uint8_t
		var sn C.size_t
		var t, inv C.int64_t
		var r C.tsvc_crl_reason
		if err := statusError(C.tsvc_crl_entry_at(l.ptr(), C.size_t(i), &ser, &sn, &t, &r, &inv)); err != nil {
			return nil, err
		}
		e := CRLEntry{Serial: signedInt(borrowedBytes(ser, sn)), RevocationTime: fromUnix(t), Reason: CRLReason(r)}
		if inv != 0 {
			e.InvalidityDate = fromUnix(inv)
		}
		out = append(out, e)
	}
	return out, nil
}

// OCSPSingle is one SingleResponse of an OCSP response (not verified).
type OCSPSingle struct {
	Serial         *big.Int
	Status         CertStatus
	RevocationTime time.Time // zero unless revoked
	Reason         CRLReason
}

// Responses lists the SingleResponses, without verifying anything.
func (o *OCSPResponse) Responses() ([]OCSPSingle, error) {
	defer runtime.KeepAlive(o)
	n := int(C.tsvc_ocsp_response_num_single(o.ptr()))
	out := make([]OCSPSingle, 0, n)
	for i := 0; i < n; i++ {
		var ser *C.uint8_t
		var sn C.size_t
		var st C.tsvc_cert_status
		var t C.int64_t
		var r C.tsvc_crl_reason
		if err := statusError(C.tsvc_ocsp_response_single_at(o.ptr(), C.size_t(i), &ser, &sn, &st, &t, &r)); err != nil {
			return nil, err
		}
		rs := revStatus(st, t, r)
		out = append(out, OCSPSingle{Serial: signedInt(borrowedBytes(ser, sn)), Status: rs.Status,
			RevocationTime: rs.RevocationTime, Reason: rs.Reason})
	}
	return out, nil
}
