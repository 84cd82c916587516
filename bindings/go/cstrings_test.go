// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import "testing"

// TestCStringsDeferredFree: the C strings made after `defer cs.free()`
// are released too. With a value receiver the defer saw the empty list of
// the moment it was made and every string leaked (found by LeakSanitizer:
// the subject and EKUs of each NewCertificate, a signer's label).
func TestCStringsDeferredFree(t *testing.T) {
	var cs cstrings
	func() {
		defer cs.free()
		cs.str("CN=leak")
		cs.opt("1.3.6.1.5.5.7.3.8")
		if cs.opt("") != nil {
			t.Error("an empty optional string is not NULL")
		}
		if len(cs) != 2 {
			t.Errorf("%d strings held, want 2", len(cs))
		}
	}()
	if len(cs) != 0 {
		t.Fatalf("%d C strings still held after the deferred free", len(cs))
	}
}
