// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	trustsvc "github.com/libtrustsvc/libtrustsvc/bindings/go"
)

// Sign a document, verify the signature and read the report.
func Example() {
	read := func(name string) []byte { b, _ := os.ReadFile(name); return b }
	key, err := trustsvc.LoadKey(read("signer.key"))
	if err != nil {
		fmt.Println(err)
		return
	}
	cert, _ := trustsvc.ParseCertificate(read("signer.pem"))
	root, _ := trustsvc.ParseCertificate(read("root.pem"))

	cms, err := trustsvc.Sign(key, cert, bytes.NewReader([]byte("the contract")), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	store, _ := trustsvc.NewStore(root)
	policy, _ := trustsvc.NewPolicy(time.Now())
	report, err := trustsvc.Verify(cms, nil, store, policy, nil)
	if err != nil { // verification could not run
		fmt.Println(err)
		return
	}
	defer report.Close()
	fmt.Println(report.Indication(), report.Subindication())
	for _, s := range report.Signers() {
		fmt.Println(s.Certificate.Subject(), s.SigningTime)
	}
}

// Errors are values for errors.Is: one status, or a whole family.
func ExampleError() {
	_, err := trustsvc.ParseCertificate([]byte{0x30, 0x82, 0x01})
	fmt.Println(errors.Is(err, trustsvc.FamilyEncoding), errors.Is(err, trustsvc.ErrDERTruncated))
	var te *trustsvc.Error
	if errors.As(err, &te) {
		fmt.Println(te.Check, te.Offset)
	}
	// Output:
	// true true
	// der.truncated 1
}
