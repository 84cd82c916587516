// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

/*
#include <stdlib.h>
#include <trustsvc/sign.h>
#include <trustsvc/seal.h>
#include <trustsvc/verify.h>
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"time"
	"unsafe"
)

// SignerOptions are the options of a CAdES signature or e-seal; the zero
// value signs with SHA-256, the key's scheme, embedded content, the chain
// given and the context's clock.
type SignerOptions struct {
	Digest           HashAlg   // HashNone: SHA-256
	Scheme           SigScheme // SigNone: by key (or SigRSAPSS)
	Detached         bool
	SignerID         SignerID
	Certs            SignCerts
	SigningTime      time.Time // zero: the context's clock
	ContentType      string    // OID; "": id-data
	CommitmentType   string    // OID
	LocationCountry  string
	LocationLocality string
	PolicyOID        string
	AlgorithmPolicy  *AlgorithmPolicy
	Chain            []*Certificate   // certificates to embed besides the signer's
	Seal             bool             // the e-seal profile (organisation certificate)
	SealKeyUsage     KeyUsage         // seal: KU bits of which one is needed; 0: nonRepudiation
	Label            string           // what is signed, for the activation callback and the evidence
	KeyRequirements  *KeyRequirements // assurance the key must have (checked now and before signing)
}

// Signer streams content into a CAdES signature. It is an io.Writer; use
// one signer per goroutine.
type Signer struct {
	p    *C.tsvc_signer
	ctx  *Context
	refs []interface{}
}

func (s *Signer) ptr() *C.tsvc_signer {
	if s.p == nil {
		closed("Signer")
	}
	return s.p
}

// NewSigner makes a signer. key may be nil for the external flow
// (DigestToSign, SetSignature).
func (c *Context) NewSigner(key *Key, cert *Certificate, o *SignerOptions) (*Signer, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(key)
	defer runtime.KeepAlive(cert)
	if o == nil {
		o = &SignerOptions{}
	}
	var cs cstrings
	defer cs.free()
	var opts C.tsvc_signer_options
	C.tsvc_signer_options_init(&opts)
	if o.Digest != HashNone {
		opts.digest = C.tsvc_hash_alg(o.Digest)
	}
	opts.scheme = C.tsvc_sig_scheme(o.Scheme)
	opts.detached = b2i(o.Detached)
	opts.signer_id = C.tsvc_signer_id(o.SignerID)
	opts.certs = C.tsvc_sign_certs(o.Certs)
	opts.signing_time = unix(o.SigningTime)
	opts.content_type = cs.opt(o.ContentType)
	opts.commitment_type = cs.opt(o.CommitmentType)
	opts.location_country = cs.opt(o.LocationCountry)
	opts.location_locality = cs.opt(o.LocationLocality)
	opts.policy_oid = cs.opt(o.PolicyOID)
	opts.algorithm_policy = o.AlgorithmPolicy.cptr()
	var kp *C.tsvc_key
	if key != nil {
		kp = key.ptr()
	}
	var p *C.tsvc_signer
	var err error
	if o.Seal {
		err = cSealerNew(c.ptr(), &p, kp, cert.ptr(), &opts, C.uint32_t(o.SealKeyUsage))
	} else {
		err = cSignerNew(c.ptr(), &p, kp, cert.ptr(), &opts)
	}
	runtime.KeepAlive(o.AlgorithmPolicy)
	if err != nil {
		return nil, err
	}
	s := &Signer{p: p, ctx: c, refs: []interface{}{key, o.AlgorithmPolicy}}
	runtime.SetFinalizer(s, (*Signer).Close)
	for _, x := range o.Chain {
		err := cSignerAddCert(s.ptr(), x.ptr())
		runtime.KeepAlive(x)
		if err != nil {
			s.Close()
			return nil, err
		}
	}
	if o.Label != "" {
		if err := cSignerSetLabel(s.ptr(), cs.str(o.Label)); err != nil {
			s.Close()
			return nil, err
		}
	}
	if r := o.KeyRequirements; r != nil {
		var q C.tsvc_key_requirements
		C.tsvc_key_requirements_init(&q)
		q.require_hsm, q.require_non_extractable = b2i(r.HSM), b2i(r.NonExtractable)
		q.require_active_certification, q.require_activation = b2i(r.ActiveCertification), b2i(r.Activation)
		if err := cSignerSetKeyRequirements(s.ptr(), &q); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Evidence is, after Finish, what the key's signing involved (activation,
// label, key assurance) as decoded JSON; nil when no key signed.
func (s *Signer) Evidence() (map[string]interface{}, error) {
	defer runtime.KeepAlive(s)
	ev := C.tsvc_signer_evidence(s.ptr())
	if ev == nil {
		return nil, nil
	}
	var b C.tsvc_buf
	if err := cSignEvidenceToJSON(ev, &b); err != nil {
		return nil, err
	}
	var m map[string]interface{}
	return m, json.Unmarshal(takeBuf(&b), &m)
}

// Close releases the signer.
func (s *Signer) Close() error {
	if s.p != nil {
		C.tsvc_signer_free(s.p)
		s.p = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// Write adds content.
func (s *Signer) Write(b []byte) (int, error) {
	defer runtime.KeepAlive(s)
	p, n := bytesPtr(b)
	if err := cSignerUpdate(s.ptr(), unsafe.Pointer(p), n); err != nil {
		return 0, err
	}
	return len(b), nil
}

// ReadFrom adds everything r yields.
func (s *Signer) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	err := pump(r, func(b []byte) error {
		n, err := s.Write(b)
		total += int64(n)
		return err
	})
	return total, err
}

// SetDigest signs a content digest computed by the caller (detached).
func (s *Signer) SetDigest(d []byte) error {
	defer runtime.KeepAlive(s)
	p, n := bytesPtr(d)
	return cSignerSetDigest(s.ptr(), p, n)
}

// DigestToSign is the external flow: the digest of the signed attributes.
func (s *Signer) DigestToSign() ([]byte, HashAlg, error) {
	defer runtime.KeepAlive(s)
	var b C.tsvc_buf
	var h C.tsvc_hash_alg
	if err := cSignerDigestToSign(s.ptr(), &b, &h); err != nil {
		return nil, HashNone, err
	}
	return takeBuf(&b), HashAlg(h), nil
}

// SetSignature is the external flow: the signature over DigestToSign.
func (s *Signer) SetSignature(sig []byte) error {
	defer runtime.KeepAlive(s)
	p, n := bytesPtr(sig)
	return cSignerSetSignature(s.ptr(), p, n)
}

// Finish returns the CMS SignedData (DER).
func (s *Signer) Finish() ([]byte, error) {
	defer runtime.KeepAlive(s)
	var b C.tsvc_buf
	if err := cSignerFinish(s.ptr(), &b); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Sign signs everything r yields.
func (c *Context) Sign(key *Key, cert *Certificate, r io.Reader, o *SignerOptions) ([]byte, error) {
	s, err := c.NewSigner(key, cert, o)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if _, err := s.ReadFrom(r); err != nil {
		return nil, err
	}
	return s.Finish()
}

// Sign signs everything r yields, with the default context.
func Sign(key *Key, cert *Certificate, r io.Reader, o *SignerOptions) ([]byte, error) {
	return (*Context)(nil).Sign(key, cert, r, o)
}

// VerifyOptions select the profile and the algorithm policy of a verification.
type VerifyOptions struct {
	Profile         VerifyProfile
	AlgorithmPolicy *AlgorithmPolicy
	SealKeyUsage    KeyUsage
}

func verifyOpts(o *VerifyOptions) C.tsvc_verify_options {
	var opts C.tsvc_verify_options
	C.tsvc_verify_options_init(&opts)
	if o != nil {
		opts.profile = C.tsvc_verify_profile(o.Profile)
		opts.algorithm_policy = o.AlgorithmPolicy.cptr()
		opts.seal_key_usage = C.uint32_t(o.SealKeyUsage)
	}
	return opts
}

// SignerResult is the outcome for one signer of a signature.
type SignerResult struct {
	Indication        Indication
	Subindication     Subindication
	Reason            string
	Certificate       *Certificate
	SigningTime       time.Time // zero when the signature claims none
	CommitmentType    string
	Organization      string
	OrganizationID    string
	Chain             []*Certificate // the validated path, leaf first
	BestSignatureTime time.Time      // earliest genTime of a verified signature time-stamp; zero without one
	Checks            *Report        // borrowed from the SignatureReport
}

// SignatureReport is the report of a signature verification.
type SignatureReport struct {
	p   *C.tsvc_sig_report
	ctx *Context
}

func (r *SignatureReport) ptr() *C.tsvc_sig_report {
	if r.p == nil {
		closed("SignatureReport")
	}
	return r.p
}

// Close releases the report (and the Checks reports of its signers).
func (r *SignatureReport) Close() error {
	if r.p != nil {
		C.tsvc_sig_report_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// Indication is the overall indication.
func (r *SignatureReport) Indication() Indication {
	defer runtime.KeepAlive(r)
	return Indication(C.tsvc_sig_report_indication(r.ptr()))
}

// Subindication is the overall sub-indication.
func (r *SignatureReport) Subindication() Subindication {
	defer runtime.KeepAlive(r)
	return Subindication(C.tsvc_sig_report_subindication(r.ptr()))
}

// Passed reports whether the indication is PASSED.
func (r *SignatureReport) Passed() bool { return r.Indication() == IndicationPassed }

// Reason is a human-readable reason.
func (r *SignatureReport) Reason() string {
	defer runtime.KeepAlive(r)
	return goString(C.tsvc_sig_report_reason(r.ptr()))
}

// Signers lists the result of every SignerInfo.
func (r *SignatureReport) Signers() []SignerResult {
	defer runtime.KeepAlive(r)
	n := int(C.tsvc_sig_report_num_signers(r.ptr()))
	out := make([]SignerResult, n)
	for i := range out {
		ci := C.size_t(i)
		s := &out[i]
		s.Indication = Indication(C.tsvc_sig_report_signer_indication(r.ptr(), ci))
		s.Subindication = Subindication(C.tsvc_sig_report_signer_subindication(r.ptr(), ci))
		s.Reason = goString(C.tsvc_sig_report_signer_reason(r.ptr(), ci))
		s.Certificate = borrowCert((*C.tsvc_cert)(unsafe.Pointer(C.tsvc_sig_report_signer_cert(r.ptr(), ci))), r.ctx)
		var t C.int64_t
		if C.tsvc_sig_report_signer_signing_time(r.ptr(), ci, &t) != 0 {
			s.SigningTime = fromUnix(t)
		}
		s.CommitmentType = goString(C.tsvc_sig_report_signer_commitment_type(r.ptr(), ci))
		s.Organization = goString(C.tsvc_sig_report_signer_organization(r.ptr(), ci))
		s.OrganizationID = goString(C.tsvc_sig_report_signer_organization_id(r.ptr(), ci))
		for k := 0; k < int(C.tsvc_sig_report_signer_chain_count(r.ptr(), ci)); k++ {
			s.Chain = append(s.Chain, borrowCert((*C.tsvc_cert)(unsafe.Pointer(C.tsvc_sig_report_signer_chain_cert(r.ptr(), ci, C.size_t(k)))), r.ctx))
		}
		if C.tsvc_sig_report_signer_best_signature_time(r.ptr(), ci, &t) != 0 {
			s.BestSignatureTime = fromUnix(t)
		}
		if cp := C.tsvc_sig_report_signer_checks(r.ptr(), ci); cp != nil {
			s.Checks = &Report{p: (*C.tsvc_report)(unsafe.Pointer(cp)), ctx: r.ctx, owner: r}
		}
	}
	return out
}

// JSON serialises the report.
func (r *SignatureReport) JSON() ([]byte, error) {
	defer runtime.KeepAlive(r)
	var b C.tsvc_buf
	if err := cSigReportToJSON(r.ptr(), &b); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Map decodes the JSON form.
func (r *SignatureReport) Map() (map[string]interface{}, error) {
	j, err := r.JSON()
	if err != nil {
		return nil, err
	}
	var m map[string]interface{}
	return m, json.Unmarshal(j, &m)
}

func newSigReport(p *C.tsvc_sig_report, ctx *Context) *SignatureReport {
	r := &SignatureReport{p: p, ctx: ctx}
	runtime.SetFinalizer(r, (*SignatureReport).Close)
	return r
}

// Verify verifies a CAdES signature or e-seal. content is nil when it is
// embedded, else it is read to the end (streamed). A signature that does
// not verify is a report whose indication is FAILED, not an error.
func (c *Context) Verify(cms []byte, content io.Reader, store *Store, policy *Policy, o *VerifyOptions) (*SignatureReport, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(store)
	defer runtime.KeepAlive(policy)
	if o != nil {
		defer runtime.KeepAlive(o.AlgorithmPolicy)
	}
	opts := verifyOpts(o)
	cp, cn := bytesPtr(cms)
	var rp *C.tsvc_sig_report
	if content == nil {
		if err := cVerify(c.ptr(), &rp, cp, cn, nil, 0, store.ptr(), policy.cptr(), &opts); err != nil {
			return nil, err
		}
		return newSigReport(rp, c), nil
	}
	if br, ok := content.(*bytes.Reader); ok && br.Len() <= chunkSize {
		b := make([]byte, br.Len())
		_, _ = br.Read(b)
		dp, dn := bytesPtr(b)
		if err := cVerify(c.ptr(), &rp, cp, cn, dp, dn, store.ptr(), policy.cptr(), &opts); err != nil {
			return nil, err
		}
		return newSigReport(rp, c), nil
	}
	var v *C.tsvc_verifier
	if err := cVerifierNew(c.ptr(), &v, cp, cn, store.ptr(), policy.cptr(), &opts); err != nil {
		return nil, err
	}
	defer C.tsvc_verifier_free(v)
	if err := pump(content, func(b []byte) error {
		p, n := bytesPtr(b)
		return cVerifierUpdate(v, unsafe.Pointer(p), n)
	}); err != nil {
		return nil, err
	}
	if err := cVerifierFinish(v, &rp); err != nil {
		return nil, err
	}
	return newSigReport(rp, c), nil
}

// Verify verifies with the default context.
func Verify(cms []byte, content io.Reader, store *Store, policy *Policy, o *VerifyOptions) (*SignatureReport, error) {
	return (*Context)(nil).Verify(cms, content, store, policy, o)
}

// CorporateNumberValid checks the check digit of a 13-digit Japanese corporate number.
func CorporateNumberValid(number string) bool {
	cs := C.CString(number)
	defer C.free(unsafe.Pointer(cs))
	return C.tsvc_corporate_number_valid(cs, C.size_t(len(number))) != 0
}
