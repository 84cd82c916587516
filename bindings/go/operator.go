// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

/*
#include <stdlib.h>
#include <trustsvc/csr.h>
#include <trustsvc/revoke.h>
*/
import "C"

import (
	"math/big"
	"runtime"
	"time"
	"unsafe"
)

// The issuing side for trust-service operators: OCSP responses, OCSP
// requests and PKCS#10 certificate requests.

// OCSPEntry is one certificate's status in an OCSP response to issue.
type OCSPEntry struct {
	Serial    *big.Int
	Status    CertStatus
	RevokedAt time.Time
	Reason    CRLReason // ReasonNone when unknown
}

func serialBytes(v *big.Int) []byte {
	s := v.Bytes()
	if len(s) == 0 || s[0]&0x80 != 0 {
		s = append([]byte{0}, s...)
	}
	return s
}

// NewOCSPResponse issues a signed OCSP response about certificates of ca,
// signed by signer (ca itself or its delegated responder) with key.
// nextUpdate may be zero; nonce nil when the request had none.
func (c *Context) NewOCSPResponse(ca, signer *Certificate, key *Key, producedAt, thisUpdate, nextUpdate time.Time,
	entries []OCSPEntry, nonce []byte) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(ca)
	defer runtime.KeepAlive(signer)
	defer runtime.KeepAlive(key)
	var b *C.tsvc_ocsp_response_builder
	if err := cOCSPResponseBuilderNew(c.ptr(), &b, ca.ptr(), signer.ptr(), key.ptr()); err != nil {
		return nil, err
	}
	defer C.tsvc_ocsp_response_builder_free(b)
	if err := cOCSPResponseBuilderSetTimes(b, unix(producedAt), unix(thisUpdate), unix(nextUpdate)); err != nil {
		return nil, err
	}
	if nonce != nil {
		p, n := bytesPtr(nonce)
		if err := cOCSPResponseBuilderSetNonce(b, p, n); err != nil {
			return nil, err
		}
	}
	for _, e := range entries {
		p, n := bytesPtr(serialBytes(e.Serial))
		if err := cOCSPResponseBuilderAdd(b, p, n, C.tsvc_cert_status(e.Status), unix(e.RevokedAt), C.tsvc_crl_reason(e.Reason)); err != nil {
			return nil, err
		}
	}
	var out C.tsvc_buf
	if err := cOCSPResponseBuilderFinish(b, &out); err != nil {
		return nil, err
	}
	return takeBuf(&out), nil
}

// OCSPRequest builds an OCSPRequest for cert (nonce nil: none).
func (c *Context) OCSPRequest(cert, issuer *Certificate, hash HashAlg, nonce []byte) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(cert)
	defer runtime.KeepAlive(issuer)
	p, n := optBytes(nonce)
	var out C.tsvc_buf
	if err := cOCSPRequestBuild(c.ptr(), &out, cert.ptr(), issuer.ptr(), C.tsvc_hash_alg(hash), p, n); err != nil {
		return nil, err
	}
	return takeBuf(&out), nil
}

// CSRTemplate describes a PKCS#10 request.
type CSRTemplate struct {
	Subject  string   // RFC 4514 text
	DNSNames []string // subjectAltName dNSName entries
	KeyUsage KeyUsage
	EKUs     []string
}

// NewCSR builds a certificate request signed by key (software or token), DER.
func (c *Context) NewCSR(t *CSRTemplate, key *Key) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(key)
	var b *C.tsvc_csr_builder
	if err := cCSRBuilderNew(c.ptr(), &b); err != nil {
		return nil, err
	}
	defer C.tsvc_csr_builder_free(b)
	var cs cstrings
	defer cs.free()
	if err := cCSRBuilderSetSubject(b, cs.str(t.Subject)); err != nil {
		return nil, err
	}
	for _, d := range t.DNSNames {
		p, n := bytesPtr([]byte(d))
		if err := cCSRBuilderAddSAN(b, C.tsvc_general_name_type(GNDNS), p, n); err != nil {
			return nil, err
		}
	}
	if t.KeyUsage != 0 {
		if err := cCSRBuilderSetKeyUsage(b, C.uint32_t(t.KeyUsage), 1); err != nil {
			return nil, err
		}
	}
	for _, e := range t.EKUs {
		if err := cCSRBuilderAddEKU(b, cs.str(e)); err != nil {
			return nil, err
		}
	}
	var out C.tsvc_buf
	if err := cCSRBuilderSign(b, key.ptr(), C.tsvc_sig_scheme(SigNone), C.tsvc_hash_alg(HashSHA256), C.tsvc_key_format(FormatDER), &out); err != nil {
		return nil, err
	}
	return takeBuf(&out), nil
}

// CSR is a parsed certificate request whose signature was checked.
type CSR struct {
	p   *C.tsvc_csr
	ctx *Context
}

// ParseCSR parses a PKCS#10 request (DER or PEM) and checks its signature.
func (c *Context) ParseCSR(data []byte) (*CSR, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_csr
	d, n := bytesPtr(data)
	if err := cCSRParse(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	r := &CSR{p: p, ctx: c}
	runtime.SetFinalizer(r, (*CSR).Close)
	return r, nil
}

func (r *CSR) ptr() *C.tsvc_csr {
	if r.p == nil {
		closed("CSR")
	}
	return r.p
}

// Close releases the request.
func (r *CSR) Close() error {
	if r.p != nil {
		C.tsvc_csr_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// Subject is the requested subject as RFC 4514 text.
func (r *CSR) Subject() string {
	defer runtime.KeepAlive(r)
	var b C.tsvc_buf
	if cCSRSubjectText(r.ptr(), &b) != nil {
		return ""
	}
	return string(takeBuf(&b))
}

// PublicKey is the requested public key.
func (r *CSR) PublicKey() (*PublicKey, error) {
	defer runtime.KeepAlive(r)
	var p *C.tsvc_pubkey
	if err := cCSRPubkey(r.ptr(), &p); err != nil {
		return nil, err
	}
	return newPublicKey(p, r.ctx), nil
}

// EKUs lists the requested extended key usages (dotted OIDs).
func (r *CSR) EKUs() []string {
	defer runtime.KeepAlive(r)
	var out [256]C.char
	n := int(C.tsvc_csr_num_ekus(r.ptr()))
	res := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if C.tsvc_csr_eku(r.ptr(), C.size_t(i), &out[0], 256) == 0 {
			res = append(res, C.GoString((*C.char)(unsafe.Pointer(&out[0]))))
		}
	}
	return res
}
