// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

/*
#include <stdlib.h>
#include <trustsvc/tsp.h>
#include <trustsvc/certbuilder.h>

extern tsvc_status tsvcGoTSAClock(void *, int64_t *, uint32_t *);
static tsvc_tsa_clock_fn tsvc_go_tsa_clock_fn2(void) { return (tsvc_tsa_clock_fn)tsvcGoTSAClock; }
*/
import "C"

import (
	"math/big"
	"runtime"
	"time"
	"unsafe"
)

// TimeStampRequest is an RFC 3161 TimeStampReq.
type TimeStampRequest struct {
	p   *C.tsvc_tsq
	ctx *Context
}

func (q *TimeStampRequest) ptr() *C.tsvc_tsq {
	if q.p == nil {
		closed("TimeStampRequest")
	}
	return q.p
}

func newTSQ(p *C.tsvc_tsq, c *Context) *TimeStampRequest {
	q := &TimeStampRequest{p: p, ctx: c}
	runtime.SetFinalizer(q, (*TimeStampRequest).Close)
	return q
}

// NewTimeStampRequest makes a request for a digest; nonce nil means none,
// certReq asks for the TSA certificate in the token.
func (c *Context) NewTimeStampRequest(hash HashAlg, digest []byte, policy string, nonce []byte, certReq bool) (*TimeStampRequest, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_tsq
	d, n := bytesPtr(digest)
	if err := cTSQNew(c.ptr(), &p, C.tsvc_hash_alg(hash), d, n); err != nil {
		return nil, err
	}
	q := newTSQ(p, c)
	if policy != "" {
		cs := C.CString(policy)
		err := cTSQSetPolicy(p, cs)
		C.free(unsafe.Pointer(cs))
		if err != nil {
			q.Close()
			return nil, err
		}
	}
	if nonce != nil {
		np, nn := bytesPtr(nonce)
		if err := cTSQSetNonce(p, np, nn); err != nil {
			q.Close()
			return nil, err
		}
	}
	C.tsvc_tsq_set_cert_req(p, b2i(certReq))
	return q, nil
}

// ParseTimeStampRequest parses TimeStampReq DER.
func (c *Context) ParseTimeStampRequest(der []byte) (*TimeStampRequest, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_tsq
	d, n := bytesPtr(der)
	if err := cTSQParse(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	return newTSQ(p, c), nil
}

// Close releases the request.
func (q *TimeStampRequest) Close() error {
	if q.p != nil {
		C.tsvc_tsq_free(q.p)
		q.p = nil
		runtime.SetFinalizer(q, nil)
	}
	return nil
}

// Encode returns the DER.
func (q *TimeStampRequest) Encode() ([]byte, error) {
	defer runtime.KeepAlive(q)
	var b C.tsvc_buf
	if err := cTSQEncode(q.ptr(), &b); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Digest is the message imprint's digest.
func (q *TimeStampRequest) Digest() []byte {
	defer runtime.KeepAlive(q)
	var n C.size_t
	return borrowedBytes(C.tsvc_tsq_digest(q.ptr(), &n), n)
}

// Fetch posts the request through the context's fetch callback.
func (q *TimeStampRequest) Fetch(url string) (*TimeStampResponse, error) {
	defer runtime.KeepAlive(q)
	cs := C.CString(url)
	defer C.free(unsafe.Pointer(cs))
	var b C.tsvc_buf
	if err := cTSQFetch(q.ctx.ptr(), q.ptr(), cs, &b); err != nil {
		return nil, err
	}
	return q.ctx.ParseTimeStampResponse(takeBuf(&b))
}

// TimeStampVerifyOptions tune token verification.
type TimeStampVerifyOptions struct {
	Policies []string       // accepted TSA policies; empty: any
	Certs    []*Certificate // extra certificates to find the TSA's
	Nonce    []byte         // expected nonce (token verification only)
	Now      time.Time      // when a path is validated at genTime: the current time
	Policy   *Policy        // rules for the TSA's path (revocation, ...); nil: the defaults
}

type tspOpts struct {
	o       *C.tsvc_tsp_verify_options // C memory: the struct holds pointers
	pol     unsafe.Pointer
	cs      cstrings
	list    *C.tsvc_cert_list
	keep    []*Certificate
	keepPol *Policy
}

func (t *tspOpts) free() {
	C.free(unsafe.Pointer(t.o))
	t.cs.free()
	if t.pol != nil {
		C.free(t.pol)
	}
	if t.list != nil {
		C.tsvc_cert_list_free(t.list)
	}
	runtime.KeepAlive(t.keep)
	runtime.KeepAlive(t.keepPol)
}

func (c *Context) tspOptions(o *TimeStampVerifyOptions) (*tspOpts, error) {
	t := &tspOpts{o: (*C.tsvc_tsp_verify_options)(C.calloc(1, C.size_t(unsafe.Sizeof(C.tsvc_tsp_verify_options{}))))}
	C.tsvc_tsp_verify_options_init(t.o)
	if o == nil {
		return t, nil
	}
	if len(o.Policies) > 0 {
		t.pol = C.malloc(C.size_t(len(o.Policies)) * C.size_t(unsafe.Sizeof((*C.char)(nil))))
		arr := (*[1 << 20]*C.char)(t.pol)[:len(o.Policies):len(o.Policies)]
		for i, s := range o.Policies {
			arr[i] = t.cs.str(s)
		}
		t.o.policies = (**C.char)(t.pol)
		t.o.num_policies = C.size_t(len(o.Policies))
	}
	if len(o.Certs) > 0 {
		if err := cCertListNew(c.ptr(), &t.list); err != nil {
			t.free()
			return nil, err
		}
		for _, x := range o.Certs {
			if err := cCertListAdd(t.list, x.ptr()); err != nil {
				t.free()
				return nil, err
			}
			runtime.KeepAlive(x)
		}
		t.keep = o.Certs
		t.o.certs = t.list
	}
	if len(o.Nonce) > 0 {
		p := C.CBytes(o.Nonce)
		t.cs = append(t.cs, (*C.char)(p))
		t.o.nonce = (*C.uint8_t)(p)
		t.o.nonce_len = C.size_t(len(o.Nonce))
	}
	t.o.now = unix(o.Now)
	if o.Policy != nil {
		t.o.policy = o.Policy.cptr()
		t.keepPol = o.Policy
	}
	return t, nil
}

// TimeStampToken is a time-stamp token (SignedData over a TSTInfo).
type TimeStampToken struct {
	p     *C.tsvc_tst
	ctx   *Context
	owner interface{}
}

func (t *TimeStampToken) ptr() *C.tsvc_tst {
	if t.p == nil {
		closed("TimeStampToken")
	}
	return t.p
}

// ParseTimeStampToken parses a token.
func (c *Context) ParseTimeStampToken(der []byte) (*TimeStampToken, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_tst
	d, n := bytesPtr(der)
	if err := cTSTParse(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	t := &TimeStampToken{p: p, ctx: c}
	runtime.SetFinalizer(t, (*TimeStampToken).Close)
	return t, nil
}

// Close releases a parsed token (a token borrowed from a response is
// released with the response).
func (t *TimeStampToken) Close() error {
	if t.p != nil && t.owner == nil {
		C.tsvc_tst_free(t.p)
		runtime.SetFinalizer(t, nil)
	}
	t.p = nil
	return nil
}

// DER is the token's encoding.
func (t *TimeStampToken) DER() []byte {
	defer runtime.KeepAlive(t)
	var n C.size_t
	return borrowedBytes(C.tsvc_tst_der(t.ptr(), &n), n)
}

// GenTime is the time the TSA vouches for.
func (t *TimeStampToken) GenTime() (time.Time, error) {
	defer runtime.KeepAlive(t)
	var s C.int64_t
	var ns C.uint32_t
	if err := statusError(C.tsvc_tst_gen_time(t.ptr(), &s, &ns)); err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(s), int64(ns)).UTC(), nil
}

// Serial is the token's serial number.
func (t *TimeStampToken) Serial() *big.Int {
	defer runtime.KeepAlive(t)
	var n C.size_t
	return new(big.Int).SetBytes(borrowedBytes(C.tsvc_tst_serial(t.ptr(), &n), n))
}

// Policy is the TSA policy OID.
func (t *TimeStampToken) Policy() string {
	defer runtime.KeepAlive(t)
	var out [256]C.char
	if C.tsvc_tst_policy(t.ptr(), &out[0], 256) != 0 {
		return ""
	}
	return C.GoString(&out[0])
}

// SignerCertificate is the TSA certificate found for the token, or nil.
func (t *TimeStampToken) SignerCertificate() *Certificate {
	defer runtime.KeepAlive(t)
	return borrowCert((*C.tsvc_cert)(unsafe.Pointer(C.tsvc_tst_signer_cert(t.ptr()))), t.ctx)
}

// Verify checks the token over digest (made with hash) and validates the TSA.
func (t *TimeStampToken) Verify(hash HashAlg, digest []byte, store *Store, o *TimeStampVerifyOptions) (*Report, error) {
	defer runtime.KeepAlive(t)
	defer runtime.KeepAlive(store)
	opts, err := t.ctx.tspOptions(o)
	if err != nil {
		return nil, err
	}
	defer opts.free()
	d, n := bytesPtr(digest)
	var rp *C.tsvc_report
	if err := cTSTVerify(t.ctx.ptr(), &rp, t.ptr(), C.tsvc_hash_alg(hash), d, n, store.ptr(), opts.o); err != nil {
		return nil, err
	}
	return newReport(rp, t.ctx), nil
}

// TimeStampResponse is an RFC 3161 TimeStampResp.
type TimeStampResponse struct {
	p   *C.tsvc_tsr
	ctx *Context
}

func (r *TimeStampResponse) ptr() *C.tsvc_tsr {
	if r.p == nil {
		closed("TimeStampResponse")
	}
	return r.p
}

// ParseTimeStampResponse parses TimeStampResp DER.
func (c *Context) ParseTimeStampResponse(der []byte) (*TimeStampResponse, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_tsr
	d, n := bytesPtr(der)
	if err := cTSRParse(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	r := &TimeStampResponse{p: p, ctx: c}
	runtime.SetFinalizer(r, (*TimeStampResponse).Close)
	return r, nil
}

// Close releases the response and its token.
func (r *TimeStampResponse) Close() error {
	if r.p != nil {
		C.tsvc_tsr_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// Status is the PKIStatus.
func (r *TimeStampResponse) Status() PKIStatus {
	defer runtime.KeepAlive(r)
	return PKIStatus(C.tsvc_tsr_status(r.ptr()))
}

// FailInfo is the PKIFailureInfo bits.
func (r *TimeStampResponse) FailInfo() TSPFailInfo {
	defer runtime.KeepAlive(r)
	return TSPFailInfo(C.tsvc_tsr_fail_info(r.ptr()))
}

// Token is the time-stamp token (borrowed from the response), or nil.
func (r *TimeStampResponse) Token() *TimeStampToken {
	defer runtime.KeepAlive(r)
	p := C.tsvc_tsr_token(r.ptr())
	if p == nil {
		return nil
	}
	return &TimeStampToken{p: (*C.tsvc_tst)(unsafe.Pointer(p)), ctx: r.ctx, owner: r}
}

// Verify checks status, imprint, nonce, TSA certificate and path against q.
func (r *TimeStampResponse) Verify(q *TimeStampRequest, store *Store, o *TimeStampVerifyOptions) (*Report, error) {
	defer runtime.KeepAlive(r)
	defer runtime.KeepAlive(q)
	defer runtime.KeepAlive(store)
	opts, err := r.ctx.tspOptions(o)
	if err != nil {
		return nil, err
	}
	defer opts.free()
	var rp *C.tsvc_report
	if err := cTSRVerify(r.ctx.ptr(), &rp, r.ptr(), q.ptr(), store.ptr(), opts.o); err != nil {
		return nil, err
	}
	return newReport(rp, r.ctx), nil
}

// TSA is the issuing side of RFC 3161. Configure it, then call Respond
// from one goroutine at a time.
type TSA struct {
	p      *C.tsvc_tsa
	ctx    *Context
	key    *Key
	clockH unsafe.Pointer
}

func (a *TSA) ptr() *C.tsvc_tsa {
	if a.p == nil {
		closed("TSA")
	}
	return a.p
}

// NewTSA makes a time-stamp authority with a key, its certificate (critical
// EKU id-kp-timeStamping only) and a default policy OID.
func (c *Context) NewTSA(key *Key, cert *Certificate, policy string) (*TSA, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(key)
	defer runtime.KeepAlive(cert)
	cs := C.CString(policy)
	defer C.free(unsafe.Pointer(cs))
	var p *C.tsvc_tsa
	if err := cTSANew(c.ptr(), &p, key.ptr(), cert.ptr(), cs); err != nil {
		return nil, err
	}
	a := &TSA{p: p, ctx: c, key: key}
	runtime.SetFinalizer(a, (*TSA).Close)
	return a, nil
}

// Close releases the TSA.
func (a *TSA) Close() error {
	if a.p != nil {
		C.tsvc_tsa_free(a.p)
		a.p = nil
		freeHandle(a.clockH)
		a.clockH = nil
		runtime.SetFinalizer(a, nil)
	}
	return nil
}

// SetClock replaces the TSA's clock.
func (a *TSA) SetClock(fn func() (time.Time, error)) error {
	defer runtime.KeepAlive(a)
	h := newHandle(fn)
	if err := cTSASetClock(a.ptr(), C.tsvc_go_tsa_clock_fn2(), h); err != nil {
		freeHandle(h)
		return err
	}
	freeHandle(a.clockH)
	a.clockH = h
	return nil
}

// SetKeyRequirements sets the assurance the TSA key must have; it is
// checked now and before every token is signed.
func (a *TSA) SetKeyRequirements(r KeyRequirements) error {
	defer runtime.KeepAlive(a)
	var q C.tsvc_key_requirements
	C.tsvc_key_requirements_init(&q)
	q.require_hsm, q.require_non_extractable = b2i(r.HSM), b2i(r.NonExtractable)
	q.require_active_certification, q.require_activation = b2i(r.ActiveCertification), b2i(r.Activation)
	return cTSASetKeyRequirements(a.ptr(), &q)
}

// SetAccuracy sets the accuracy put in tokens.
func (a *TSA) SetAccuracy(seconds, millis, micros uint32) error {
	defer runtime.KeepAlive(a)
	return cTSASetAccuracy(a.ptr(), C.uint32_t(seconds), C.uint32_t(millis), C.uint32_t(micros))
}

// Respond answers TimeStampReq bytes with TimeStampResp bytes (a rejection
// for a bad request).
func (a *TSA) Respond(req []byte) ([]byte, error) {
	defer runtime.KeepAlive(a)
	d, n := bytesPtr(req)
	var b C.tsvc_buf
	if err := cTSARespond(a.ptr(), &b, d, n); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// NumIssued counts the tokens issued.
func (a *TSA) NumIssued() uint64 {
	defer runtime.KeepAlive(a)
	return uint64(C.tsvc_tsa_num_issued(a.ptr()))
}

// CertificateTemplate describes a certificate for NewCertificate.
type CertificateTemplate struct {
	Subject     string // RFC 4514 text
	Issuer      *Certificate
	Serial      int64
	NotBefore   time.Time
	NotAfter    time.Time
	PublicKey   *PublicKey
	CA          bool
	KeyUsage    KeyUsage
	EKUs        []string
	CriticalEKU bool // mark extendedKeyUsage critical (a TSA's certificate)
}

// NewCertificate builds and signs a certificate (test PKIs, private CAs).
func (c *Context) NewCertificate(t *CertificateTemplate, issuerKey *Key) (*Certificate, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(issuerKey)
	defer runtime.KeepAlive(t.Issuer)
	defer runtime.KeepAlive(t.PublicKey)
	var b *C.tsvc_cert_builder
	if err := cCertBuilderNew(c.ptr(), &b); err != nil {
		return nil, err
	}
	defer C.tsvc_cert_builder_free(b)
	var cs cstrings
	defer cs.free()
	steps := []func() error{
		func() error { return cCertBuilderSetSubject(b, cs.str(t.Subject)) },
		func() error {
			if t.Issuer != nil {
				return cCertBuilderSetIssuerCert(b, t.Issuer.ptr())
			}
			return cCertBuilderSetIssuer(b, cs.str(t.Subject))
		},
		func() error {
			s := big.NewInt(t.Serial).Bytes()
			if len(s) == 0 || s[0]&0x80 != 0 {
				s = append([]byte{0}, s...)
			}
			p, n := bytesPtr(s)
			return cCertBuilderSetSerial(b, p, n)
		},
		func() error { return cCertBuilderSetValidity(b, unix(t.NotBefore), unix(t.NotAfter)) },
		func() error { return cCertBuilderSetPublicKey(b, t.PublicKey.ptr()) },
	}
	if t.CA {
		steps = append(steps, func() error { return cCertBuilderSetBasicConstraints(b, 1, -1) })
	}
	if t.KeyUsage != 0 {
		steps = append(steps, func() error { return cCertBuilderSetKeyUsage(b, C.uint32_t(t.KeyUsage), 1) })
	}
	for _, e := range t.EKUs {
		e := e
		steps = append(steps, func() error { return cCertBuilderAddEKU(b, cs.str(e)) })
	}
	if t.CriticalEKU {
		steps = append(steps, func() error { cCertBuilderSetEKUCritical(b, 1); return nil })
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	var out C.tsvc_buf
	if err := cCertBuilderSign(b, issuerKey.ptr(), C.tsvc_sig_scheme(SigNone), C.tsvc_hash_alg(HashSHA256),
		C.tsvc_key_format(FormatDER), &out); err != nil {
		return nil, err
	}
	return c.ParseCertificate(takeBuf(&out))
}
