// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

// Package trustsvc is the Go binding of libtrustsvc: CAdES signatures and
// e-seals, RFC 3161 time-stamps, X.509 path validation with CRL/OCSP, and
// keys in software or in PKCS#11 tokens.
//
// The low-level layer (zz_generated.go: enums with String(), constants and
// one call shim per C function) is generated from the C headers by
// bindings/gen/gen.py. This file and its neighbours are the idiomatic layer:
// types with Close() and finalizers, errors usable with errors.Is, io.Reader
// for streamed content.
//
// Concurrency follows the C library: a configured Context, Certificates,
// Stores, Policies, AlgorithmPolicies, PublicKeys and Keys may be used from
// several goroutines at once; a Signer, Verifier, TSA or request builder
// belongs to one goroutine at a time. Closing an object while another
// goroutine uses it is a bug; using a closed object panics.
package trustsvc

/*
#cgo pkg-config: trustsvc
#include <stdlib.h>
#include <trustsvc/common.h>
#include <trustsvc/algpolicy.h>
#include <trustsvc/crypto.h>
#include <trustsvc/fetch.h>
#include <trustsvc/pkcs11.h>
#include <trustsvc/seal.h>
#include <trustsvc/store.h>
#include <trustsvc/tsp.h>
#include <trustsvc/validate.h>
#include <trustsvc/x509.h>

extern tsvc_status tsvcGoClock(void *, int64_t *);
extern tsvc_status tsvcGoFetch(void *, char *, char *, uint8_t *, size_t, tsvc_buf *, tsvc_error **);
extern tsvc_status tsvcGoActivation(void *, tsvc_activation_request *);
extern tsvc_status tsvcGoPin(void *, char *, char *, int, char *, size_t, size_t *);
extern tsvc_status tsvcGoTSAClock(void *, int64_t *, uint32_t *);

static tsvc_clock_fn tsvc_go_clock_fn(void) { return (tsvc_clock_fn)tsvcGoClock; }
static tsvc_fetch_fn tsvc_go_fetch_fn(void) { return (tsvc_fetch_fn)tsvcGoFetch; }
static tsvc_activation_fn tsvc_go_activation_fn(void) { return (tsvc_activation_fn)tsvcGoActivation; }
static tsvc_pkcs11_pin_fn tsvc_go_pin_fn(void) { return (tsvc_pkcs11_pin_fn)tsvcGoPin; }
static tsvc_tsa_clock_fn tsvc_go_tsa_clock_fn(void) { return (tsvc_tsa_clock_fn)tsvcGoTSAClock; }
*/
import "C"

import (
	"encoding/json"
	"io"
	"math/big"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// ---------------------------------------------------------------------------
// helpers

var emptyC = (*C.uint8_t)(C.malloc(1))

// bytesPtr gives C a view of b for the duration of a call (cgo rules: b
// holds no Go pointers). An empty slice becomes a valid one-byte C buffer.
func bytesPtr(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return emptyC, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

func takeBuf(b *C.tsvc_buf) []byte {
	defer C.tsvc_buf_dispose(b)
	if b.data == nil {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(b.data), C.int(b.len))
}

func borrowedBytes(p *C.uint8_t, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

type cstrings []*C.char

func (cs *cstrings) str(s string) *C.char {
	p := C.CString(s)
	*cs = append(*cs, p)
	return p
}

func (cs *cstrings) opt(s string) *C.char {
	if s == "" {
		return nil
	}
	return cs.str(s)
}

// free releases every string made so far. A pointer receiver: `defer
// cs.free()` must see the strings appended after the defer statement (a
// value receiver would be evaluated, empty, when the defer is made).
func (cs *cstrings) free() {
	for _, p := range *cs {
		C.free(unsafe.Pointer(p))
	}
	*cs = nil
}

func unix(t time.Time) C.int64_t {
	if t.IsZero() {
		return 0
	}
	return C.int64_t(t.Unix())
}

func fromUnix(s C.int64_t) time.Time { return time.Unix(int64(s), 0).UTC() }

func closed(what string) { panic("trustsvc: use of a closed " + what) }

const chunkSize = 64 << 10

// pump reads r to the end and feeds every chunk to fn.
func pump(r io.Reader, fn func([]byte) error) error {
	buf := make([]byte, chunkSize)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if e := fn(buf[:n]); e != nil {
				return e
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Version returns the version of the C library that is running.
func Version() string { return C.GoString(C.tsvc_version_str()) }

// ---------------------------------------------------------------------------
// Context

// Context holds configuration: backends, limits, clock and fetch callback.
// Configure it before sharing it; objects made with it keep it alive.
type Context struct {
	p       *C.tsvc_ctx
	clockH  unsafe.Pointer
	fetchH  unsafe.Pointer
	mu      sync.Mutex
	isDefer bool
}

// FetchFunc performs network I/O for the library (CRL, OCSP, TSA):
// content type and body are empty for a GET.
type FetchFunc func(url, contentType string, body []byte) ([]byte, error)

// NewContext creates a context with the built-in backends.
func NewContext() (*Context, error) {
	var p *C.tsvc_ctx
	if err := cCtxNew(&p, nil); err != nil {
		return nil, err
	}
	c := &Context{p: p}
	runtime.SetFinalizer(c, (*Context).Close)
	return c, nil
}

var (
	defaultOnce sync.Once
	defaultCtx  *Context
	defaultErr  error
)

// DefaultContext returns the shared context used when a nil *Context is given.
func DefaultContext() *Context {
	defaultOnce.Do(func() { defaultCtx, defaultErr = NewContext() })
	if defaultErr != nil {
		panic("trustsvc: cannot create the default context: " + defaultErr.Error())
	}
	return defaultCtx
}

func (c *Context) or() *Context {
	if c == nil {
		return DefaultContext()
	}
	return c
}

func (c *Context) ptr() *C.tsvc_ctx {
	if c.p == nil {
		closed("Context")
	}
	return c.p
}

// Close releases the context. Objects made with it keep it alive, so it
// is released for real only after them.
func (c *Context) Close() error {
	if c == nil || c == defaultCtx || c.p == nil {
		return nil
	}
	C.tsvc_ctx_free(c.p)
	c.p = nil
	freeHandle(c.clockH)
	freeHandle(c.fetchH)
	c.clockH, c.fetchH = nil, nil
	runtime.SetFinalizer(c, nil)
	return nil
}

// SetLimit sets one of the context's limits.
func (c *Context) SetLimit(l Limit, v uint64) error {
	defer runtime.KeepAlive(c)
	return cCtxSetLimit(c.ptr(), C.tsvc_limit(l), C.uint64_t(v))
}

// Limit reads one of the context's limits.
func (c *Context) Limit(l Limit) uint64 {
	defer runtime.KeepAlive(c)
	return uint64(cCtxGetLimit(c.ptr(), C.tsvc_limit(l)))
}

// Backend describes a registered crypto backend.
type Backend struct {
	Name     string
	Priority int
}

// Backends lists the registered backends.
func (c *Context) Backends() []Backend {
	c = c.or()
	defer runtime.KeepAlive(c)
	n := int(cCtxNumBackends(c.ptr()))
	out := make([]Backend, n)
	for i := 0; i < n; i++ {
		out[i] = Backend{goString(cCtxBackendName(c.ptr(), C.size_t(i))),
			int(cCtxBackendPriority(c.ptr(), C.size_t(i)))}
	}
	return out
}

// Now asks the context's clock for the current time.
func (c *Context) Now() (time.Time, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var t C.int64_t
	if err := cCtxNow(c.ptr(), &t); err != nil {
		return time.Time{}, err
	}
	return fromUnix(t), nil
}

// SetClock replaces the clock (nil: the system clock). The callback is
// held until it is replaced or the context is closed: close a context whose
// callbacks refer back to it, or it stays reachable.
func (c *Context) SetClock(fn func() (time.Time, error)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer runtime.KeepAlive(c)
	old := c.clockH
	if fn == nil {
		cCtxSetClock(c.ptr(), nil, nil)
		c.clockH = nil
	} else {
		c.clockH = newHandle(fn)
		cCtxSetClock(c.ptr(), C.tsvc_go_clock_fn(), c.clockH)
	}
	freeHandle(old)
}

// SetFetch sets the network callback (nil: none; fetching then fails with
// ErrFetch). Like SetClock's, the callback is held until it is replaced or
// the context is closed.
func (c *Context) SetFetch(fn FetchFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer runtime.KeepAlive(c)
	old := c.fetchH
	if fn == nil {
		cCtxSetFetch(c.ptr(), nil, nil)
		c.fetchH = nil
	} else {
		c.fetchH = newHandle(&fetchHandle{ctx: c.ptr(), fn: fn})
		cCtxSetFetch(c.ptr(), C.tsvc_go_fetch_fn(), c.fetchH)
	}
	freeHandle(old)
}

// Hash hashes everything r yields.
func (c *Context) Hash(alg HashAlg, r io.Reader) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var h *C.tsvc_hash
	if err := cHashNew(c.ptr(), &h, C.tsvc_hash_alg(alg)); err != nil {
		return nil, err
	}
	defer C.tsvc_hash_free(h)
	if err := pump(r, func(b []byte) error {
		p, n := bytesPtr(b)
		return cHashUpdate(h, unsafe.Pointer(p), n)
	}); err != nil {
		return nil, err
	}
	var out [HashMaxSize]C.uint8_t
	var n C.size_t
	if err := cHashFinal(h, &out[0], HashMaxSize, &n); err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(&out[0]), C.int(n)), nil
}

// HashBytes hashes b.
func (c *Context) HashBytes(alg HashAlg, b []byte) ([]byte, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var out [HashMaxSize]C.uint8_t
	var n C.size_t
	p, l := bytesPtr(b)
	if err := cHashOneshot(c.ptr(), C.tsvc_hash_alg(alg), unsafe.Pointer(p), l, &out[0], HashMaxSize, &n); err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(&out[0]), C.int(n)), nil
}

// ---------------------------------------------------------------------------
// Keys

// PublicKey is an immutable public key.
type PublicKey struct {
	p   *C.tsvc_pubkey
	ctx *Context
}

func newPublicKey(p *C.tsvc_pubkey, ctx *Context) *PublicKey {
	k := &PublicKey{p: p, ctx: ctx}
	runtime.SetFinalizer(k, (*PublicKey).Close)
	return k
}

func (k *PublicKey) ptr() *C.tsvc_pubkey {
	if k.p == nil {
		closed("PublicKey")
	}
	return k.p
}

// Close releases the key.
func (k *PublicKey) Close() error {
	if k.p != nil {
		C.tsvc_pubkey_free(k.p)
		k.p = nil
		runtime.SetFinalizer(k, nil)
	}
	return nil
}

// LoadPublicKey imports a SubjectPublicKeyInfo (DER or PEM).
func (c *Context) LoadPublicKey(data []byte) (*PublicKey, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_pubkey
	d, n := bytesPtr(data)
	if err := cPubkeyImport(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	return newPublicKey(p, c), nil
}

// Type is the key type.
func (k *PublicKey) Type() KeyType {
	defer runtime.KeepAlive(k)
	return KeyType(cPubkeyType(k.ptr()))
}

// Bits is the key size.
func (k *PublicKey) Bits() int {
	defer runtime.KeepAlive(k)
	return int(cPubkeyBits(k.ptr()))
}

// Export encodes the key as a SubjectPublicKeyInfo.
func (k *PublicKey) Export(f KeyFormat) ([]byte, error) {
	defer runtime.KeepAlive(k)
	var b C.tsvc_buf
	if err := cPubkeyExport(k.ptr(), &b, C.tsvc_key_format(f)); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

func defaults(kt KeyType, scheme SigScheme, hash HashAlg) (SigScheme, HashAlg) {
	if scheme == SigNone {
		switch kt {
		case KeyEd25519:
			scheme = SigEd25519
		case KeyRSA:
			scheme = SigRSAPKCS1
		default:
			scheme = SigECDSA
		}
	}
	if hash == HashNone && scheme != SigEd25519 {
		hash = HashSHA256
	}
	return scheme, hash
}

// Verify checks a signature over msg with the key's default scheme
// (Ed25519, ECDSA with SHA-256 or RSA PKCS#1 v1.5 with SHA-256). It returns
// false, nil for a signature that does not verify.
func (k *PublicKey) Verify(msg, sig []byte) (bool, error) {
	return k.VerifyWith(SigNone, HashNone, msg, sig)
}

// VerifyWith checks a signature with an explicit scheme and hash.
func (k *PublicKey) VerifyWith(scheme SigScheme, hash HashAlg, msg, sig []byte) (bool, error) {
	defer runtime.KeepAlive(k)
	scheme, hash = defaults(k.Type(), scheme, hash)
	m, mn := bytesPtr(msg)
	s, sn := bytesPtr(sig)
	var cerr *C.tsvc_error
	st := Status(C.tsvc_pubkey_verify(k.ptr(), C.tsvc_sig_scheme(scheme), C.tsvc_hash_alg(hash), m, mn, s, sn, &cerr))
	if st == ErrSignatureInvalid {
		if cerr != nil {
			C.tsvc_error_free(cerr)
		}
		return false, nil
	}
	if err := newError(st, cerr); err != nil {
		return false, err
	}
	return true, nil
}

// Key is a private key in software, in a PKCS#11 token or at a remote
// service. It may sign from several goroutines at once.
type Key struct {
	p     *C.tsvc_key
	ctx   *Context
	owner interface{}
	actH  unsafe.Pointer
	kt    int32 // cached KeyType + 1 (0: not known yet); read atomically
}

func newKey(p *C.tsvc_key, ctx *Context, owner interface{}) *Key {
	k := &Key{p: p, ctx: ctx, owner: owner}
	runtime.SetFinalizer(k, (*Key).Close)
	return k
}

func (k *Key) ptr() *C.tsvc_key {
	if k.p == nil {
		closed("Key")
	}
	return k.p
}

// Close releases the key (a token key's private part stays in the token).
func (k *Key) Close() error {
	if k.p != nil {
		C.tsvc_key_free(k.p)
		k.p = nil
		freeHandle(k.actH)
		k.actH = nil
		runtime.SetFinalizer(k, nil)
	}
	return nil
}

// GenerateKey makes a software key (bits: RSA only, 0 for the default).
func (c *Context) GenerateKey(kt KeyType, bits int) (*Key, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_key
	if err := cKeyGenerate(c.ptr(), &p, C.tsvc_key_type(kt), C.uint(bits)); err != nil {
		return nil, err
	}
	return newKey(p, c, nil), nil
}

// LoadKey imports a PKCS#8 private key (DER or PEM).
func (c *Context) LoadKey(data []byte) (*Key, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_key
	d, n := bytesPtr(data)
	if err := cKeyImport(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	return newKey(p, c, nil), nil
}

// KeyFromURI opens a PKCS#11 key from a URI that names its module-path.
func (c *Context) KeyFromURI(uri string) (*Key, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	cs := C.CString(uri)
	defer C.free(unsafe.Pointer(cs))
	var p *C.tsvc_key
	if err := cKeyFromURI(c.ptr(), &p, cs); err != nil {
		return nil, err
	}
	return newKey(p, c, nil), nil
}

// KeyInfo says what a key is and where it lives.
type KeyInfo struct {
	Type                KeyType          `json:"type"`
	Bits                int              `json:"bits"`
	Backend             string           `json:"backend"`
	Storage             KeyStorage       `json:"storage"`
	TokenManufacturer   string           `json:"token_manufacturer,omitempty"`
	TokenModel          string           `json:"token_model,omitempty"`
	TokenSerial         string           `json:"token_serial,omitempty"`
	TokenLabel          string           `json:"token_label,omitempty"`
	KeyLabel            string           `json:"key_label,omitempty"`
	Sensitive           bool             `json:"sensitive"`
	Extractable         bool             `json:"extractable"`
	AlwaysSensitive     bool             `json:"always_sensitive"`
	NeverExtractable    bool             `json:"never_extractable"`
	CertificationStatus HSMCertification `json:"certification_status"`
	Certification       string           `json:"certification,omitempty"`
	HasActivation       bool             `json:"has_activation"`
}

// Info describes the key.
func (k *Key) Info() (KeyInfo, error) {
	defer runtime.KeepAlive(k)
	var in C.tsvc_key_info
	C.tsvc_key_info_init(&in)
	if err := statusError(C.tsvc_key_get_info(k.ptr(), &in)); err != nil {
		return KeyInfo{}, err
	}
	return KeyInfo{
		Type: KeyType(in._type), Bits: int(in.bits), Backend: goString(in.backend),
		Storage: KeyStorage(in.storage), TokenManufacturer: goString(in.token_manufacturer),
		TokenModel: goString(in.token_model), TokenSerial: goString(in.token_serial),
		TokenLabel: goString(in.token_label), KeyLabel: goString(in.key_label),
		Sensitive: in.sensitive != 0, Extractable: in.extractable != 0,
		AlwaysSensitive: in.always_sensitive != 0, NeverExtractable: in.never_extractable != 0,
		CertificationStatus: HSMCertification(in.certification_status),
		Certification:       goString(in.certification), HasActivation: in.has_activation != 0,
	}, nil
}

// Type is the key type.
func (k *Key) Type() KeyType {
	if v := atomic.LoadInt32(&k.kt); v != 0 {
		return KeyType(v - 1)
	}
	in, err := k.Info()
	if err != nil {
		return KeyNone
	}
	atomic.StoreInt32(&k.kt, int32(in.Type)+1)
	return in.Type
}

// PublicKey returns the public half.
func (k *Key) PublicKey() (*PublicKey, error) {
	defer runtime.KeepAlive(k)
	var p *C.tsvc_pubkey
	if err := cKeyGetPublic(k.ptr(), &p); err != nil {
		return nil, err
	}
	return newPublicKey(p, k.ctx), nil
}

// Export encodes a software key as PKCS#8.
func (k *Key) Export(f KeyFormat) ([]byte, error) {
	defer runtime.KeepAlive(k)
	var b C.tsvc_buf
	if err := cKeyExport(k.ptr(), &b, C.tsvc_key_format(f)); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Sign signs msg with the key's default scheme (see PublicKey.Verify).
func (k *Key) Sign(msg []byte) ([]byte, error) { return k.SignWith(SigNone, HashNone, msg) }

// SignWith signs msg with an explicit scheme and hash.
func (k *Key) SignWith(scheme SigScheme, hash HashAlg, msg []byte) ([]byte, error) {
	defer runtime.KeepAlive(k)
	scheme, hash = defaults(k.Type(), scheme, hash)
	m, n := bytesPtr(msg)
	var b C.tsvc_buf
	if err := cKeySign(k.ptr(), &b, C.tsvc_sig_scheme(scheme), C.tsvc_hash_alg(hash), m, n); err != nil {
		C.tsvc_buf_dispose(&b)
		return nil, err
	}
	return takeBuf(&b), nil
}

// SignDigest signs a digest computed by the caller.
func (k *Key) SignDigest(scheme SigScheme, hash HashAlg, digest []byte) ([]byte, error) {
	defer runtime.KeepAlive(k)
	scheme, hash = defaults(k.Type(), scheme, hash)
	m, n := bytesPtr(digest)
	var b C.tsvc_buf
	if err := cKeySignDigest(k.ptr(), &b, C.tsvc_sig_scheme(scheme), C.tsvc_hash_alg(hash), m, n); err != nil {
		C.tsvc_buf_dispose(&b)
		return nil, err
	}
	return takeBuf(&b), nil
}

// ActivationRequest is what a signature-activation callback authorises;
// valid only during the callback.
type ActivationRequest struct{ p *C.tsvc_activation_request }

// Scheme is the signature scheme about to be used.
func (r *ActivationRequest) Scheme() SigScheme {
	return SigScheme(C.tsvc_activation_request_scheme(r.p))
}

// Hash is the hash algorithm about to be used.
func (r *ActivationRequest) Hash() HashAlg { return HashAlg(C.tsvc_activation_request_hash(r.p)) }

// Label is the label given by the caller of the signing operation.
func (r *ActivationRequest) Label() string { return goString(C.tsvc_activation_request_label(r.p)) }

// SetEvidence records text (e.g. "PIN entered") with the signature event.
func (r *ActivationRequest) SetEvidence(text string) error {
	cs := C.CString(text)
	defer C.free(unsafe.Pointer(cs))
	return statusError(C.tsvc_activation_request_set_evidence(r.p, cs))
}

// ActivationFunc authorises a private-key operation; an error refuses it.
type ActivationFunc func(*ActivationRequest) error

// SetActivation sets the signature-activation callback (nil removes it).
// Set it before the key is shared between goroutines.
func (k *Key) SetActivation(fn ActivationFunc) error {
	defer runtime.KeepAlive(k)
	old := k.actH
	var err error
	if fn == nil {
		err = statusError(C.tsvc_key_set_activation(k.ptr(), nil, nil))
		k.actH = nil
	} else {
		k.actH = newHandle(fn)
		err = statusError(C.tsvc_key_set_activation(k.ptr(), C.tsvc_go_activation_fn(), k.actH))
	}
	freeHandle(old)
	return err
}

// KeyRequirements are assurance requirements on a key.
type KeyRequirements struct {
	HSM, NonExtractable, ActiveCertification, Activation bool
}

func b2i(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// CheckRequirements fails with ErrKeyAssurance when the key does not meet r.
func (k *Key) CheckRequirements(r KeyRequirements) error {
	defer runtime.KeepAlive(k)
	var q C.tsvc_key_requirements
	C.tsvc_key_requirements_init(&q)
	q.require_hsm, q.require_non_extractable = b2i(r.HSM), b2i(r.NonExtractable)
	q.require_active_certification, q.require_activation = b2i(r.ActiveCertification), b2i(r.Activation)
	return cKeyCheckRequirements(k.ptr(), &q)
}

// URI is the RFC 7512 URI of a token key.
func (k *Key) URI() (string, error) {
	defer runtime.KeepAlive(k)
	var b C.tsvc_buf
	if err := cPKCS11KeyURI(k.ptr(), &b); err != nil {
		return "", err
	}
	return string(takeBuf(&b)), nil
}

// ---------------------------------------------------------------------------
// PKCS#11

// PINFunc answers a token's PIN request.
type PINFunc func(tokenLabel, tokenSerial string, contextSpecific bool) (string, error)

// PKCS11Module is a loaded PKCS#11 module, usable from several goroutines.
type PKCS11Module struct {
	p    *C.tsvc_pkcs11_module
	ctx  *Context
	pinH unsafe.Pointer
}

// PKCS11Available reports whether the library was built with PKCS#11 support.
func PKCS11Available() bool { return C.tsvc_pkcs11_available() != 0 }

// LoadPKCS11Module loads a module (a vendor's shared library).
func (c *Context) LoadPKCS11Module(path string) (*PKCS11Module, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	var p *C.tsvc_pkcs11_module
	if err := cPKCS11ModuleLoad(c.ptr(), &p, cs); err != nil {
		return nil, err
	}
	m := &PKCS11Module{p: p, ctx: c}
	runtime.SetFinalizer(m, (*PKCS11Module).Close)
	return m, nil
}

func (m *PKCS11Module) ptr() *C.tsvc_pkcs11_module {
	if m.p == nil {
		closed("PKCS11Module")
	}
	return m.p
}

// Close drops this reference to the module (keys keep their own).
func (m *PKCS11Module) Close() error {
	if m.p != nil {
		C.tsvc_pkcs11_module_free(m.p)
		m.p = nil
		freeHandle(m.pinH)
		m.pinH = nil
		runtime.SetFinalizer(m, nil)
	}
	return nil
}

// SetPINFunc sets the PIN callback (before the module is shared).
func (m *PKCS11Module) SetPINFunc(fn PINFunc) error {
	defer runtime.KeepAlive(m)
	h := newHandle(fn)
	if err := statusError(C.tsvc_pkcs11_module_set_pin_callback(m.ptr(), C.tsvc_go_pin_fn(), h)); err != nil {
		freeHandle(h)
		return err
	}
	freeHandle(m.pinH)
	m.pinH = h
	return nil
}

// SetPIN makes every login use pin.
func (m *PKCS11Module) SetPIN(pin string) error {
	return m.SetPINFunc(func(string, string, bool) (string, error) { return pin, nil })
}

// OpenKey opens the private key a URI names.
func (m *PKCS11Module) OpenKey(uri string) (*Key, error) {
	defer runtime.KeepAlive(m)
	cs := C.CString(uri)
	defer C.free(unsafe.Pointer(cs))
	var p *C.tsvc_key
	if err := cPKCS11KeyOpen(m.ptr(), &p, cs); err != nil {
		return nil, err
	}
	return newKey(p, m.ctx, m), nil
}

// GenerateKey makes a key pair inside the token the URI names.
func (m *PKCS11Module) GenerateKey(uri string, kt KeyType, bits int) (*Key, error) {
	defer runtime.KeepAlive(m)
	cs := C.CString(uri)
	defer C.free(unsafe.Pointer(cs))
	var p *C.tsvc_key
	if err := cPKCS11KeyGenerate(m.ptr(), &p, cs, C.tsvc_key_type(kt), C.uint(bits)); err != nil {
		return nil, err
	}
	return newKey(p, m.ctx, m), nil
}

// ---------------------------------------------------------------------------
// Certificates

// Certificate is a parsed, immutable X.509 certificate.
type Certificate struct {
	p   *C.tsvc_cert
	ctx *Context
}

func newCertificate(p *C.tsvc_cert, ctx *Context) *Certificate {
	c := &Certificate{p: p, ctx: ctx}
	runtime.SetFinalizer(c, (*Certificate).Close)
	return c
}

// borrowCert takes a reference to a certificate owned by another object.
func borrowCert(p *C.tsvc_cert, ctx *Context) *Certificate {
	if p == nil {
		return nil
	}
	return newCertificate(C.tsvc_cert_ref(p), ctx)
}

func (c *Certificate) ptr() *C.tsvc_cert {
	if c.p == nil {
		closed("Certificate")
	}
	return c.p
}

// Close drops this reference.
func (c *Certificate) Close() error {
	if c.p != nil {
		C.tsvc_cert_free(c.p)
		c.p = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// ParseCertificate parses DER or PEM (the first CERTIFICATE block).
func (c *Context) ParseCertificate(data []byte) (*Certificate, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_cert
	d, n := bytesPtr(data)
	if err := cCertParse(c.ptr(), &p, d, n); err != nil {
		return nil, err
	}
	return newCertificate(p, c), nil
}

// ParseCertificates parses every certificate of a PEM bundle.
func (c *Context) ParseCertificates(data []byte) ([]*Certificate, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var l *C.tsvc_cert_list
	d, n := bytesPtr(data)
	if err := cCertListParse(c.ptr(), &l, d, n); err != nil {
		return nil, err
	}
	defer C.tsvc_cert_list_free(l)
	out := make([]*Certificate, int(C.tsvc_cert_list_count(l)))
	for i := range out {
		out[i] = borrowCert(C.tsvc_cert_list_get(l, C.size_t(i)), c)
	}
	return out, nil
}

// DER is the certificate's encoding.
func (c *Certificate) DER() []byte {
	defer runtime.KeepAlive(c)
	var n C.size_t
	return borrowedBytes(C.tsvc_cert_der(c.ptr(), &n), n)
}

func (c *Certificate) text(fn func(*C.tsvc_cert, *C.tsvc_buf) error) string {
	defer runtime.KeepAlive(c)
	var b C.tsvc_buf
	if fn(c.ptr(), &b) != nil {
		return ""
	}
	return string(takeBuf(&b))
}

// Subject is the subject name as RFC 4514 text.
func (c *Certificate) Subject() string { return c.text(cCertSubjectText) }

// Issuer is the issuer name as RFC 4514 text.
func (c *Certificate) Issuer() string { return c.text(cCertIssuerText) }

// Serial is the serial number.
func (c *Certificate) Serial() *big.Int {
	defer runtime.KeepAlive(c)
	var n C.size_t
	b := borrowedBytes(C.tsvc_cert_serial(c.ptr(), &n), n)
	v := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}

// NotBefore is the start of the validity period.
func (c *Certificate) NotBefore() time.Time {
	defer runtime.KeepAlive(c)
	return fromUnix(C.tsvc_cert_not_before(c.ptr()))
}

// NotAfter is the end of the validity period.
func (c *Certificate) NotAfter() time.Time {
	defer runtime.KeepAlive(c)
	return fromUnix(C.tsvc_cert_not_after(c.ptr()))
}

// Fingerprint hashes the DER with alg.
func (c *Certificate) Fingerprint(alg HashAlg) ([]byte, error) {
	defer runtime.KeepAlive(c)
	var b C.tsvc_buf
	if err := cCertFingerprint(c.ptr(), &b, C.tsvc_hash_alg(alg)); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// PublicKey is the subject's public key.
func (c *Certificate) PublicKey() (*PublicKey, error) {
	defer runtime.KeepAlive(c)
	var p *C.tsvc_pubkey
	if err := cCertPubkey(c.ptr(), &p); err != nil {
		return nil, err
	}
	return newPublicKey(p, c.ctx), nil
}

// IsSelfIssued reports whether subject and issuer are the same.
func (c *Certificate) IsSelfIssued() bool {
	defer runtime.KeepAlive(c)
	return C.tsvc_cert_is_self_issued(c.ptr()) != 0
}

// KeyUsage returns the keyUsage bits and whether the extension is present.
func (c *Certificate) KeyUsage() (KeyUsage, bool) {
	defer runtime.KeepAlive(c)
	var bits C.uint32_t
	ok := C.tsvc_cert_key_usage(c.ptr(), &bits) != 0
	return KeyUsage(bits), ok
}

// Organization returns the organisation name and organizationIdentifier
// of a seal certificate.
func (c *Certificate) Organization() (name, identifier string, err error) {
	defer runtime.KeepAlive(c)
	var n, id C.tsvc_buf
	if err := cCertOrganization(c.ptr(), &n, &id); err != nil {
		C.tsvc_buf_dispose(&n)
		C.tsvc_buf_dispose(&id)
		return "", "", err
	}
	return string(takeBuf(&n)), string(takeBuf(&id)), nil
}

// QCFlags are the QC statements found in the certificate.
func (c *Certificate) QCFlags() QCFlag {
	defer runtime.KeepAlive(c)
	return QCFlag(C.tsvc_cert_qc_flags(c.ptr()))
}

// Equal reports whether both certificates have the same encoding.
func (c *Certificate) Equal(o *Certificate) bool {
	return o != nil && string(c.DER()) == string(o.DER())
}

// ---------------------------------------------------------------------------
// Stores, policies, validation

// Store holds trust anchors and intermediates; build it, then share it.
type Store struct {
	p   *C.tsvc_store
	ctx *Context
}

// NewStore makes an empty store.
func (c *Context) NewStore() (*Store, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_store
	if err := cStoreNew(c.ptr(), &p); err != nil {
		return nil, err
	}
	s := &Store{p: p, ctx: c}
	runtime.SetFinalizer(s, (*Store).Close)
	return s, nil
}

func (s *Store) ptr() *C.tsvc_store {
	if s.p == nil {
		closed("Store")
	}
	return s.p
}

// Close drops this reference.
func (s *Store) Close() error {
	if s.p != nil {
		C.tsvc_store_free(s.p)
		s.p = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// AddAnchor adds trust anchors.
func (s *Store) AddAnchor(certs ...*Certificate) error {
	defer runtime.KeepAlive(s)
	for _, c := range certs {
		err := cStoreAddAnchor(s.ptr(), c.ptr())
		runtime.KeepAlive(c)
		if err != nil {
			return err
		}
	}
	return nil
}

// AddPinnedAnchor adds an anchor that must have the given SHA-256 fingerprint.
func (s *Store) AddPinnedAnchor(c *Certificate, sha256 []byte) error {
	defer runtime.KeepAlive(s)
	defer runtime.KeepAlive(c)
	p, n := bytesPtr(sha256)
	return cStoreAddAnchorPinned(s.ptr(), c.ptr(), p, n)
}

// AddIntermediate adds untrusted intermediate certificates.
func (s *Store) AddIntermediate(certs ...*Certificate) error {
	defer runtime.KeepAlive(s)
	for _, c := range certs {
		err := cStoreAddIntermediate(s.ptr(), c.ptr())
		runtime.KeepAlive(c)
		if err != nil {
			return err
		}
	}
	return nil
}

// Freeze makes the store immutable (validation freezes it as well).
func (s *Store) Freeze() {
	defer runtime.KeepAlive(s)
	C.tsvc_store_freeze(s.ptr())
}

// AlgorithmPolicy lists accepted algorithms and key sizes, with dates.
type AlgorithmPolicy struct {
	p   *C.tsvc_algorithm_policy
	ctx *Context
}

// NewAlgorithmPolicy starts from a preset.
func (c *Context) NewAlgorithmPolicy(preset AlgpolPreset) (*AlgorithmPolicy, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_algorithm_policy
	if err := cAlgorithmPolicyNew(c.ptr(), &p, C.tsvc_algpol_preset(preset)); err != nil {
		return nil, err
	}
	a := &AlgorithmPolicy{p: p, ctx: c}
	runtime.SetFinalizer(a, (*AlgorithmPolicy).Close)
	return a, nil
}

func (a *AlgorithmPolicy) cptr() *C.tsvc_algorithm_policy {
	if a == nil {
		return nil
	}
	if a.p == nil {
		closed("AlgorithmPolicy")
	}
	return a.p
}

// Close drops this reference.
func (a *AlgorithmPolicy) Close() error {
	if a.p != nil {
		C.tsvc_algorithm_policy_free(a.p)
		a.p = nil
		runtime.SetFinalizer(a, nil)
	}
	return nil
}

// Policy holds validation rules; configure it, then share it.
type Policy struct {
	p    *C.tsvc_policy
	ctx  *Context
	algs *AlgorithmPolicy
}

// NewPolicy makes a policy with the defaults (validation time: now).
func (c *Context) NewPolicy() (*Policy, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	var p *C.tsvc_policy
	if err := cPolicyNew(c.ptr(), &p); err != nil {
		return nil, err
	}
	pol := &Policy{p: p, ctx: c}
	runtime.SetFinalizer(pol, (*Policy).Close)
	return pol, nil
}

func (p *Policy) cptr() *C.tsvc_policy {
	if p == nil {
		return nil
	}
	if p.p == nil {
		closed("Policy")
	}
	return p.p
}

// Close drops this reference.
func (p *Policy) Close() error {
	if p.p != nil {
		C.tsvc_policy_free(p.p)
		p.p = nil
		runtime.SetFinalizer(p, nil)
	}
	return nil
}

// SetTime sets the validation time.
func (p *Policy) SetTime(t time.Time) error {
	defer runtime.KeepAlive(p)
	return cPolicySetTime(p.cptr(), unix(t))
}

// SetProfile selects a certificate profile.
func (p *Policy) SetProfile(pr Profile) error {
	defer runtime.KeepAlive(p)
	return cPolicySetProfile(p.cptr(), C.tsvc_profile(pr))
}

// AddEKU requires an extended key usage.
func (p *Policy) AddEKU(e EKU) error {
	defer runtime.KeepAlive(p)
	return cPolicyAddEKU(p.cptr(), C.tsvc_eku(e))
}

// SetRevocation sets how revocation is checked.
func (p *Policy) SetRevocation(mode RevocationMode, source RevocationSource) error {
	defer runtime.KeepAlive(p)
	if err := cPolicySetRevocationMode(p.cptr(), C.tsvc_revocation_mode(mode)); err != nil {
		return err
	}
	return cPolicySetRevocationSource(p.cptr(), C.tsvc_revocation_source(source))
}

// SetAlgorithmPolicy makes path validation consult a.
func (p *Policy) SetAlgorithmPolicy(a *AlgorithmPolicy) error {
	defer runtime.KeepAlive(p)
	defer runtime.KeepAlive(a)
	p.algs = a
	return cPolicySetAlgorithmPolicy(p.cptr(), (*C.struct_tsvc_algorithm_policy)(a.cptr()))
}

// Check is one check of a validation report.
type Check struct {
	Name    string `json:"name"`
	Result  string `json:"result"`
	Message string `json:"message"`
	Cert    int    `json:"cert"`
}

// Report is a validation report: indication, sub-indication, chain, checks.
type Report struct {
	p     *C.tsvc_report
	ctx   *Context
	owner interface{}
	owned bool
}

func newReport(p *C.tsvc_report, ctx *Context) *Report {
	r := &Report{p: p, ctx: ctx, owned: true}
	runtime.SetFinalizer(r, (*Report).Close)
	return r
}

func (r *Report) ptr() *C.tsvc_report {
	if r.p == nil {
		closed("Report")
	}
	return r.p
}

// Close releases the report.
func (r *Report) Close() error {
	if r.p != nil && r.owned {
		C.tsvc_report_free(r.p)
		runtime.SetFinalizer(r, nil)
	}
	r.p = nil
	return nil
}

// Indication is PASSED, FAILED or INDETERMINATE.
func (r *Report) Indication() Indication {
	defer runtime.KeepAlive(r)
	return Indication(C.tsvc_report_indication(r.ptr()))
}

// Subindication is the ETSI EN 319 102-1 sub-indication.
func (r *Report) Subindication() Subindication {
	defer runtime.KeepAlive(r)
	return Subindication(C.tsvc_report_subindication(r.ptr()))
}

// Passed reports whether the indication is PASSED.
func (r *Report) Passed() bool { return r.Indication() == IndicationPassed }

// Reason is a human-readable reason.
func (r *Report) Reason() string {
	defer runtime.KeepAlive(r)
	return goString(C.tsvc_report_reason(r.ptr()))
}

// Chain is the validated path, leaf first.
func (r *Report) Chain() []*Certificate {
	defer runtime.KeepAlive(r)
	n := int(C.tsvc_report_chain_count(r.ptr()))
	out := make([]*Certificate, n)
	for i := range out {
		out[i] = borrowCert((*C.tsvc_cert)(unsafe.Pointer(C.tsvc_report_chain_cert(r.ptr(), C.size_t(i)))), r.ctx)
	}
	return out
}

// Checks lists every check that ran.
func (r *Report) Checks() []Check {
	defer runtime.KeepAlive(r)
	n := int(C.tsvc_report_num_checks(r.ptr()))
	out := make([]Check, n)
	for i := range out {
		ci := C.size_t(i)
		out[i] = Check{goString(C.tsvc_report_check_name(r.ptr(), ci)),
			C.GoString(C.tsvc_check_result_str(C.int(C.tsvc_report_check_result(r.ptr(), ci)))),
			goString(C.tsvc_report_check_message(r.ptr(), ci)), int(C.tsvc_report_check_cert(r.ptr(), ci))}
	}
	return out
}

// JSON serialises the report.
func (r *Report) JSON() ([]byte, error) {
	defer runtime.KeepAlive(r)
	var b C.tsvc_buf
	if err := cReportToJSON(r.ptr(), &b); err != nil {
		return nil, err
	}
	return takeBuf(&b), nil
}

// Map decodes the JSON form.
func (r *Report) Map() (map[string]interface{}, error) {
	j, err := r.JSON()
	if err != nil {
		return nil, err
	}
	var m map[string]interface{}
	return m, json.Unmarshal(j, &m)
}

// Validate builds and validates a path from leaf to an anchor of store.
// A validation that fails is a report, not an error.
func (c *Context) Validate(leaf *Certificate, store *Store, policy *Policy) (*Report, error) {
	c = c.or()
	defer runtime.KeepAlive(c)
	defer runtime.KeepAlive(leaf)
	defer runtime.KeepAlive(store)
	defer runtime.KeepAlive(policy)
	var p *C.tsvc_report
	if err := cValidate(c.ptr(), &p, leaf.ptr(), store.ptr(), policy.cptr()); err != nil {
		return nil, err
	}
	return newReport(p, c), nil
}

// ---------------------------------------------------------------------------
// Package-level shortcuts on the default context.

// ParseCertificate parses a certificate with the default context.
func ParseCertificate(data []byte) (*Certificate, error) {
	return (*Context)(nil).ParseCertificate(data)
}

// LoadKey imports a PKCS#8 private key with the default context.
func LoadKey(data []byte) (*Key, error) { return (*Context)(nil).LoadKey(data) }

// GenerateKey makes a software key with the default context.
func GenerateKey(kt KeyType, bits int) (*Key, error) {
	return (*Context)(nil).GenerateKey(kt, bits)
}

// NewStore makes a store with the default context, holding anchors.
func NewStore(anchors ...*Certificate) (*Store, error) {
	s, err := (*Context)(nil).NewStore()
	if err != nil {
		return nil, err
	}
	return s, s.AddAnchor(anchors...)
}

// NewPolicy makes a policy with the default context, validating at t (zero: now).
func NewPolicy(t time.Time) (*Policy, error) {
	p, err := (*Context)(nil).NewPolicy()
	if err != nil || t.IsZero() {
		return p, err
	}
	return p, p.SetTime(t)
}

// Validate validates with the default context.
func Validate(leaf *Certificate, store *Store, policy *Policy) (*Report, error) {
	return (*Context)(nil).Validate(leaf, store, policy)
}
