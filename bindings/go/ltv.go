// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

/*
#include <stdlib.h>
#include <trustsvc/ltv.h>
#include <trustsvc/revoke.h>
#include <trustsvc/tsp.h>
*/
import "C"

import (
	"encoding/json"
	"math/big"
	"runtime"
	"time"
	"unsafe"
)

// CAdES B-T, B-LT and B-LTA (JIS X 5092 ES-T, ES-XL, ES-A) and long-term
// validation ("validation in the past").

func optBytes(b []byte) (*C.uint8_t, C.size_t) {
	if b == nil {
		return nil, 0
	}
	return bytesPtr(b)
}

func (q *TimeStampRequest) cptr() *C.tsvc_tsq {
	if q == nil {
		return nil
	}
	return q.ptr()
}

// SignatureTimestampRequest makes the request for a signature time-stamp
// (B-T): its imprint is the hash of the SignerInfo's signature value.
func (c *Context) SignatureTimestampRequest(cms []byte, signerIndex int, hash HashAlg) (*TimeStampRequest, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	p, n := bytesPtr(cms)
	var q *C.tsvc_tsq
	if err := cTSQNewForSignature(c.ptr(), &q, p, n, C.size_t(signerIndex), C.tsvc_hash_alg(hash)); err != nil {
		return nil, err
	}
	return newTSQ(q, c), nil
}

// AddSignatureTimestamp makes a B-B signature B-T with a TimeStampResp
// (q, the request it answers, is checked for the nonce; it may be nil).
func (c *Context) AddSignatureTimestamp(cms, tsr []byte, q *TimeStampRequest, signerIndex int) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(q)
	p, n := bytesPtr(cms)
	rp, rn := bytesPtr(tsr)
	var b C.tsvc_buf
	if err := cTSTAddToSignature(c.ptr(), &b, p, n, C.size_t(signerIndex), rp, rn, q.cptr()); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// TimestampSignature makes a B-B signature B-T through the fetch callback
// and the TSA at url.
func (c *Context) TimestampSignature(cms []byte, url string, signerIndex int, hash HashAlg) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	cs := C.CString(url)
	defer C.free(unsafe.Pointer(cs))
	p, n := bytesPtr(cms)
	var b C.tsvc_buf
	if err := cTSTTimestampSignature(c.ptr(), &b, p, n, C.size_t(signerIndex), cs, C.tsvc_hash_alg(hash)); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// VerifySignatureTimestamps verifies the signature time-stamps of a
// SignerInfo: PASSED with the earliest genTime as the report's time, or
// INDETERMINATE / NO_POE without any.
func (c *Context) VerifySignatureTimestamps(cms []byte, signerIndex int, store *Store, o *TimeStampVerifyOptions) (*Report, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(store)
	opts, err := c.tspOptions(o)
	if err != nil {
		return nil, err
	}
	defer opts.free()
	p, n := bytesPtr(cms)
	var rp *C.tsvc_report
	if err := cTSTVerifySignature(c.ptr(), &rp, p, n, C.size_t(signerIndex), store.ptr(), opts.o); err != nil {
		return nil, err
	}
	return newReport(rp, c), nil
}

// LTOptions tune the B-LT extension.
type LTOptions struct {
	Profile LTProfile       // LTProfileEN (B-LT) or LTProfileJIS (ES-XL)
	Fetch   RevocationFetch // whether revocation data may be fetched
	RefHash HashAlg         // hash of the ES-C references (JIS); HashNone: SHA-256
	When    time.Time       // the time the data must be current at; zero: now
}

// ExtendLT makes a B-T signature B-LT (or ES-XL): the paths and revocation
// data of the signer and of every TSA are embedded.
func (c *Context) ExtendLT(cms []byte, signerIndex int, store *Store, o *LTOptions) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(store)
	var opts C.tsvc_lt_options
	C.tsvc_lt_options_init(&opts)
	if o != nil {
		opts.profile, opts.fetch = C.tsvc_lt_profile(o.Profile), C.tsvc_revocation_fetch(o.Fetch)
		opts.ref_hash, opts.when = C.tsvc_hash_alg(o.RefHash), unix(o.When)
	}
	p, n := bytesPtr(cms)
	var b C.tsvc_buf
	if err := cAdESExtendLT(c.ptr(), &b, p, n, C.size_t(signerIndex), store.ptr(), &opts); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// ArchiveTimestampRequest makes the request for an archive time-stamp
// (ATSV3 for B-LTA, ATSV2 for ES-A); content is nil when it is embedded.
func (c *Context) ArchiveTimestampRequest(cms, content []byte, version ATSVersion, signerIndex int, hash HashAlg) (*TimeStampRequest, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	p, n := bytesPtr(cms)
	cp, cn := optBytes(content)
	var q *C.tsvc_tsq
	if err := cTSQNewForArchive(c.ptr(), &q, p, n, C.size_t(signerIndex), cp, cn, C.tsvc_ats_version(version), C.tsvc_hash_alg(hash)); err != nil {
		return nil, err
	}
	return newTSQ(q, c), nil
}

// AddArchiveTimestamp adds an archive time-stamp from a response to
// ArchiveTimestampRequest.
func (c *Context) AddArchiveTimestamp(cms, content []byte, version ATSVersion, tsr []byte, q *TimeStampRequest, signerIndex int) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(q)
	p, n := bytesPtr(cms)
	cp, cn := optBytes(content)
	rp, rn := bytesPtr(tsr)
	var b C.tsvc_buf
	if err := cATSAddToSignature(c.ptr(), &b, p, n, C.size_t(signerIndex), cp, cn, C.tsvc_ats_version(version), rp, rn, q.cptr()); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// ArchiveTimestamp makes a B-LT signature B-LTA (ES-A with ATSV2) through
// the fetch callback and the TSA at url.
func (c *Context) ArchiveTimestamp(cms, content []byte, version ATSVersion, url string, signerIndex int, hash HashAlg) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	cs := C.CString(url)
	defer C.free(unsafe.Pointer(cs))
	p, n := bytesPtr(cms)
	cp, cn := optBytes(content)
	var b C.tsvc_buf
	if err := cATSTimestampSignature(c.ptr(), &b, p, n, C.size_t(signerIndex), cp, cn, C.tsvc_ats_version(version), cs, C.tsvc_hash_alg(hash)); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// LTVOptions tune long-term validation.
type LTVOptions struct {
	SignerIndex     int
	When            time.Time // validation time; zero: now
	Profile         VerifyProfile
	AlgorithmPolicy *AlgorithmPolicy
	Fetch           RevocationFetch
	TSAPolicies     []string
}

// ArchiveTimestampInfo describes one archive time-stamp of a report.
type ArchiveTimestampInfo struct {
	Version    ATSVersion
	Time       time.Time
	Indication Indication
}

// LongTermReport is the report of a long-term validation.
type LongTermReport struct {
	p   *C.tsvc_ltv_report
	ctx *Context
}

func (r *LongTermReport) ptr() *C.tsvc_ltv_report {
	if r.p == nil {
		closed("LongTermReport")
	}
	return r.p
}

// Close releases the report.
func (r *LongTermReport) Close() error {
	if r.p != nil {
		C.tsvc_ltv_report_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// Indication is the overall indication.
func (r *LongTermReport) Indication() Indication {
	defer runtime.KeepAlive(r)
	return Indication(C.tsvc_ltv_report_indication(r.ptr()))
}

// Subindication is the overall sub-indication.
func (r *LongTermReport) Subindication() Subindication {
	defer runtime.KeepAlive(r)
	return Subindication(C.tsvc_ltv_report_subindication(r.ptr()))
}

// Passed reports whether the indication is PASSED.
func (r *LongTermReport) Passed() bool { return r.Indication() == IndicationPassed }

// Reason is a human-readable reason.
func (r *LongTermReport) Reason() string {
	defer runtime.KeepAlive(r)
	return goString(C.tsvc_ltv_report_reason(r.ptr()))
}

// Level is the level the signature was seen at ("B-B" .. "B-LTA").
func (r *LongTermReport) Level() string {
	defer runtime.KeepAlive(r)
	return goString(C.tsvc_ltv_report_level(r.ptr()))
}

// BestSignatureTime is the earliest proof of existence of the signature.
func (r *LongTermReport) BestSignatureTime() (time.Time, bool) {
	defer runtime.KeepAlive(r)
	var t C.int64_t
	ok := C.tsvc_ltv_report_best_signature_time(r.ptr(), &t) != 0
	return fromUnix(t), ok
}

// RenewalDate is when a further archive time-stamp should be added.
func (r *LongTermReport) RenewalDate() (time.Time, bool) {
	defer runtime.KeepAlive(r)
	var t C.int64_t
	ok := C.tsvc_ltv_report_renewal_date(r.ptr(), &t) != 0
	return fromUnix(t), ok
}

// ArchiveTimestamps lists the archive time-stamps seen.
func (r *LongTermReport) ArchiveTimestamps() []ArchiveTimestampInfo {
	defer runtime.KeepAlive(r)
	n := int(C.tsvc_ltv_report_num_archive_timestamps(r.ptr()))
	out := make([]ArchiveTimestampInfo, n)
	for i := range out {
		ci := C.size_t(i)
		out[i] = ArchiveTimestampInfo{ATSVersion(C.tsvc_ltv_report_archive_timestamp_version(r.ptr(), ci)),
			fromUnix(C.tsvc_ltv_report_archive_timestamp_time(r.ptr(), ci)),
			Indication(C.tsvc_ltv_report_archive_timestamp_indication(r.ptr(), ci))}
	}
	return out
}

// Checks is the detailed report (borrowed from this one), or nil.
func (r *LongTermReport) Checks() *Report {
	defer runtime.KeepAlive(r)
	p := C.tsvc_ltv_report_checks(r.ptr())
	if p == nil {
		return nil
	}
	return &Report{p: (*C.tsvc_report)(unsafe.Pointer(p)), ctx: r.ctx, owner: r}
}

// JSON serialises the report.
func (r *LongTermReport) JSON() ([]byte, error) {
	defer runtime.KeepAlive(r)
	var b C.tsvc_buf
	if err := cLTVReportToJSON(r.ptr(), &b); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Map decodes the JSON form.
func (r *LongTermReport) Map() (map[string]interface{}, error) {
	j, err := r.JSON()
	if err != nil {
		return nil, err
	}
	var m map[string]interface{}
	return m, json.Unmarshal(j, &m)
}

// VerifyLongTerm validates a B-T/B-LT/B-LTA signature at o.When, the
// time-stamps serving as proofs of existence; content is nil when embedded.
func (c *Context) VerifyLongTerm(cms, content []byte, store *Store, o *LTVOptions) (*LongTermReport, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(store)
	opts := (*C.tsvc_ltv_options)(C.calloc(1, C.size_t(unsafe.Sizeof(C.tsvc_ltv_options{}))))
	defer C.free(unsafe.Pointer(opts))
	C.tsvc_ltv_options_init(opts)
	var cs cstrings
	defer cs.free()
	if o != nil {
		defer runtime.KeepAlive(o.AlgorithmPolicy)
		opts.signer_index, opts.when = C.size_t(o.SignerIndex), unix(o.When)
		opts.profile, opts.fetch = C.tsvc_verify_profile(o.Profile), C.tsvc_revocation_fetch(o.Fetch)
		opts.algorithm_policy = o.AlgorithmPolicy.cptr()
		if len(o.TSAPolicies) > 0 {
			arr := C.malloc(C.size_t(len(o.TSAPolicies)) * C.size_t(unsafe.Sizeof((*C.char)(nil))))
			defer C.free(arr)
			s := (*[1 << 20]*C.char)(arr)[:len(o.TSAPolicies):len(o.TSAPolicies)]
			for i, x := range o.TSAPolicies {
				s[i] = cs.str(x)
			}
			opts.tsa_policies, opts.num_tsa_policies = (**C.char)(arr), C.size_t(len(o.TSAPolicies))
		}
	}
	p, n := bytesPtr(cms)
	cp, cn := optBytes(content)
	var rp *C.tsvc_ltv_report
	if err := cLTVVerify(c.ptr(), &rp, p, n, cp, cn, store.ptr(), opts); err != nil {
		return nil, err
	}
	r := &LongTermReport{p: rp, ctx: c}
	runtime.SetFinalizer(r, (*LongTermReport).Close)
	return r, nil
}

// RevokedEntry is one entry of a CRL to issue.
type RevokedEntry struct {
	Serial *big.Int
	When   time.Time
	Reason CRLReason
}

// NewCRL issues a CRL (a CA's publishing side, or test data).
func (c *Context) NewCRL(issuer *Certificate, key *Key, thisUpdate, nextUpdate time.Time, number uint64, revoked []RevokedEntry) (*CRL, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(issuer)
	defer runtime.KeepAlive(key)
	var b *C.tsvc_crl_builder
	if err := cCRLBuilderNew(c.ptr(), &b, issuer.ptr(), key.ptr()); err != nil {
		return nil, err
	}
	defer C.tsvc_crl_builder_free(b)
	if err := cCRLBuilderSetTimes(b, unix(thisUpdate), unix(nextUpdate)); err != nil {
		return nil, err
	}
	if err := cCRLBuilderSetNumber(b, C.uint64_t(number)); err != nil {
		return nil, err
	}
	for _, e := range revoked {
		s := e.Serial.Bytes()
		if len(s) == 0 || s[0]&0x80 != 0 {
			s = append([]byte{0}, s...)
		}
		p, n := bytesPtr(s)
		if err := cCRLBuilderAdd(b, p, n, unix(e.When), C.tsvc_crl_reason(e.Reason)); err != nil {
			return nil, err
		}
	}
	var out C.tsvc_buf
	if err := cCRLBuilderFinish(b, &out); err != nil {
		return nil, err
	}
	return c.ParseCRL(takeBuf(&out))
}
