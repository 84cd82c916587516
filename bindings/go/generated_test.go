// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestEnumsMatchAPIJSON(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dataDir(), "..", "..", "bindings", "gen", "api.json"))
	if err != nil {
		t.Skip("api.json not found:", err)
	}
	var api struct {
		Enums []struct {
			Name   string
			Values []struct {
				Name  string
				Value int
			}
		}
	}
	must(t, json.Unmarshal(b, &api))
	n := 0
	for _, e := range api.Enums {
		n += len(e.Values)
	}
	if n < 200 {
		t.Fatalf("only %d enum values", n)
	}
	if len(StatusValues) == 0 || len(HashAlgValues) != 6 {
		t.Fatal("generated value lists are wrong")
	}
}

func TestStringAndErrors(t *testing.T) {
	if ErrSignatureInvalid.String() != "TSVC_ERR_SIGNATURE_INVALID" {
		t.Fatal(ErrSignatureInvalid.String())
	}
	if Status(-12345).String() != "tsvc_status(-12345)" {
		t.Fatal(Status(-12345).String())
	}
	if IndicationPassed.String() != "TSVC_INDICATION_PASSED" || HashSHA256.String() != "TSVC_HASH_SHA256" {
		t.Fatal("String()")
	}
	if ErrDERTruncated.Family() != FamilyEncoding || ErrPKCS11URI.Family() != FamilyKeyStore || Ok.Family() != FamilyGeneral {
		t.Fatal("Family()")
	}
	var err error = &Error{Code: ErrCertFormat, Message: "x", Offset: -1}
	if !errors.Is(err, ErrCertFormat) || !errors.Is(err, FamilyCertificate) || errors.Is(err, ErrNomem) {
		t.Fatal("errors.Is")
	}
	var te *Error
	if !errors.As(err, &te) || te.Code != ErrCertFormat {
		t.Fatal("errors.As")
	}
	if Version() == "" || HashMaxSize != 64 {
		t.Fatal("version or constant")
	}
}
