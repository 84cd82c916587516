// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

/*
#include <trustsvc/common.h>
*/
import "C"

import (
	"fmt"
	"strconv"
)

// Error is a failed libtrustsvc call: the status, the library's message,
// the failing check and the byte offset in the input when one applies.
//
// errors.Is(err, trustsvc.ErrSignatureInvalid) matches the status;
// errors.Is(err, trustsvc.FamilyEncoding) matches every status of a family.
type Error struct {
	Code    Status // the status code (negative)
	Message string // a human-readable message, never with secrets
	Check   string // the name of the failing check ("der.length"), or ""
	Offset  int64  // byte offset of the failure in the input, or -1
}

func (e *Error) Error() string {
	s := e.Code.String() + ": " + e.Message
	if e.Check != "" {
		s += " [" + e.Check + "]"
	}
	if e.Offset >= 0 {
		s += " at offset " + strconv.FormatInt(e.Offset, 10)
	}
	return s
}

// Is matches a Status, a Family or an *Error with the same code.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Status:
		return t == e.Code
	case Family:
		return t == e.Code.Family()
	case *Error:
		return t.Code == e.Code
	}
	return false
}

// Error makes a Status usable as an error value (a sentinel for errors.Is).
func (s Status) Error() string {
	return s.String() + ": " + C.GoString(C.tsvc_status_str(C.int(s)))
}

// Family returns the status family: the first code of the family.
func (s Status) Family() Family {
	return Family(C.tsvc_status_family(C.int(s)))
}

// Family groups status codes by hundreds; use it with errors.Is.
type Family int32

// Status families.
const (
	FamilyGeneral     Family = 0
	FamilyLimit       Family = -100
	FamilyEncoding    Family = -200
	FamilyCrypto      Family = -300
	FamilyCertificate Family = -400
	FamilyPath        Family = -500
	FamilyRevocation  Family = -600
	FamilyCMS         Family = -700
	FamilyTimeStamp   Family = -800
	FamilyKeyStore    Family = -900
)

var familyNames = map[Family]string{
	FamilyGeneral: "general", FamilyLimit: "limit", FamilyEncoding: "encoding",
	FamilyCrypto: "crypto", FamilyCertificate: "certificate", FamilyPath: "path and store",
	FamilyRevocation: "revocation", FamilyCMS: "CMS and signature", FamilyTimeStamp: "time-stamp",
	FamilyKeyStore: "key store and HSM",
}

func (f Family) Error() string {
	if n, ok := familyNames[f]; ok {
		return "trustsvc: " + n + " error"
	}
	return fmt.Sprintf("trustsvc: error family %d", int32(f))
}

// newError turns a status and an optional tsvc_error (released here) into a
// Go error; nil for TSVC_OK.
func newError(st Status, cerr *C.tsvc_error) error {
	if st == Ok {
		if cerr != nil {
			C.tsvc_error_free(cerr)
		}
		return nil
	}
	e := &Error{Code: st, Offset: -1}
	if cerr != nil {
		if c := Status(C.tsvc_error_code(cerr)); c != Ok {
			e.Code = c
		}
		e.Message = C.GoString(C.tsvc_error_message(cerr))
		if p := C.tsvc_error_check(cerr); p != nil {
			e.Check = C.GoString(p)
		}
		e.Offset = int64(C.tsvc_error_offset(cerr))
		C.tsvc_error_free(cerr)
	}
	if e.Message == "" {
		e.Message = C.GoString(C.tsvc_status_str(C.int(st)))
	}
	return e
}

// statusError is newError for functions without an error parameter.
func statusError(st C.tsvc_status) error {
	return newError(Status(st), nil)
}
