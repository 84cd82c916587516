// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <trustsvc/common.h>
#include <trustsvc/crypto.h>
#include <trustsvc/fetch.h>
*/
import "C"

import (
	"runtime/cgo"
	"time"
	"unsafe"
)

// C callbacks reach Go through these exported functions. The opaque
// pointer is C memory holding a runtime/cgo.Handle (never a Go pointer).

func newHandle(v interface{}) unsafe.Pointer {
	p := C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
	*(*C.uintptr_t)(p) = C.uintptr_t(cgo.NewHandle(v))
	return p
}

func handleValue(p unsafe.Pointer) interface{} {
	return cgo.Handle(*(*C.uintptr_t)(p)).Value()
}

func freeHandle(p unsafe.Pointer) {
	if p != nil {
		cgo.Handle(*(*C.uintptr_t)(p)).Delete()
		C.free(p)
	}
}

func status(s Status) C.tsvc_status { return C.tsvc_status(s) }

// clockNow asks a Go clock callback for the time; false when it fails or panics.
func clockNow(opaque unsafe.Pointer) (t time.Time, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	fn := handleValue(opaque).(func() (time.Time, error))
	t, err := fn()
	return t, err == nil
}

//export tsvcGoClock
func tsvcGoClock(opaque unsafe.Pointer, now *C.int64_t) C.tsvc_status {
	t, ok := clockNow(opaque)
	if !ok {
		return status(ErrClock)
	}
	*now = C.int64_t(t.Unix())
	return 0
}

type fetchHandle struct {
	ctx *C.tsvc_ctx
	fn  FetchFunc
}

//export tsvcGoFetch
func tsvcGoFetch(opaque unsafe.Pointer, url *C.char, ctype *C.char, body *C.uint8_t, bodyLen C.size_t,
	resp *C.tsvc_buf, cerr **C.tsvc_error) (ret C.tsvc_status) {
	defer func() {
		if recover() != nil {
			ret = status(ErrFetch)
		}
	}()
	h := handleValue(opaque).(*fetchHandle)
	var b []byte
	if body != nil {
		b = C.GoBytes(unsafe.Pointer(body), C.int(bodyLen))
	}
	ct := ""
	if ctype != nil {
		ct = C.GoString(ctype)
	}
	out, err := h.fn(C.GoString(url), ct, b)
	if err != nil {
		return status(ErrFetch)
	}
	p, n := bytesPtr(out)
	return C.tsvc_fetch_response_set(h.ctx, resp, p, n)
}

//export tsvcGoActivation
func tsvcGoActivation(opaque unsafe.Pointer, req *C.tsvc_activation_request) (ret C.tsvc_status) {
	defer func() {
		if recover() != nil {
			ret = status(ErrActivationRefused)
		}
	}()
	fn := handleValue(opaque).(ActivationFunc)
	r := &ActivationRequest{p: req}
	defer func() { r.p = nil }()
	if err := fn(r); err != nil {
		return status(ErrActivationRefused)
	}
	return 0
}

//export tsvcGoPin
func tsvcGoPin(opaque unsafe.Pointer, label *C.char, serial *C.char, contextSpecific C.int,
	pin *C.char, pinSize C.size_t, pinLen *C.size_t) (ret C.tsvc_status) {
	defer func() {
		if recover() != nil {
			ret = status(ErrPKCS11PINRequired)
		}
	}()
	fn := handleValue(opaque).(PINFunc)
	var l, s string
	if label != nil {
		l = C.GoString(label)
	}
	if serial != nil {
		s = C.GoString(serial)
	}
	v, err := fn(l, s, contextSpecific != 0)
	if err != nil {
		return status(ErrPKCS11PINRequired)
	}
	if C.size_t(len(v)) > pinSize {
		return status(ErrInvalidArg)
	}
	if len(v) > 0 {
		cs := C.CString(v)
		C.memcpy(unsafe.Pointer(pin), unsafe.Pointer(cs), C.size_t(len(v)))
		C.tsvc_memzero(unsafe.Pointer(cs), C.size_t(len(v)))
		C.free(unsafe.Pointer(cs))
	}
	*pinLen = C.size_t(len(v))
	return 0
}

//export tsvcGoTSAClock
func tsvcGoTSAClock(opaque unsafe.Pointer, secs *C.int64_t, nanos *C.uint32_t) C.tsvc_status {
	t, ok := clockNow(opaque)
	if !ok {
		return status(ErrClock)
	}
	*secs = C.int64_t(t.Unix())
	*nanos = C.uint32_t(t.Nanosecond())
	return 0
}
