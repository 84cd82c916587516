// SPDX-License-Identifier: Apache-2.0
// Copyright The libtrustsvc authors

package trustsvc

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// SoftHSM2 token shared by the HSM tests; skipped with the reason when
// SoftHSM2 or PKCS#11 support is missing.
var (
	hsmOnce sync.Once
	hsmMod  *PKCS11Module
	hsmPath string
	hsmSkip string
)

const hsmPIN = "1234"

func softHSM(t *testing.T) (*PKCS11Module, string) {
	hsmOnce.Do(func() {
		if !PKCS11Available() {
			hsmSkip = "libtrustsvc was built without PKCS#11 support"
			return
		}
		for _, c := range []string{os.Getenv("TSVC_SOFTHSM_MODULE"), "/usr/lib/softhsm/libsofthsm2.so",
			"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"} {
			if _, err := os.Stat(c); c != "" && err == nil {
				hsmPath = c
				break
			}
		}
		if _, err := exec.LookPath("softhsm2-util"); hsmPath == "" || err != nil {
			hsmSkip = "SoftHSM2 is not installed (softhsm2 package)"
			return
		}
		dir, err := os.MkdirTemp("", "tsvc-go-softhsm-")
		if err != nil {
			hsmSkip = err.Error()
			return
		}
		_ = os.Mkdir(filepath.Join(dir, "tokens"), 0o700)
		conf := filepath.Join(dir, "softhsm2.conf")
		_ = os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+
			"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
		os.Setenv("SOFTHSM2_CONF", conf)
		out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", "gobindings",
			"--pin", hsmPIN, "--so-pin", "5678").CombinedOutput()
		if err != nil {
			hsmSkip = "softhsm2-util: " + string(out)
			return
		}
		hsmMod, err = (*Context)(nil).LoadPKCS11Module(hsmPath)
		if err == nil {
			err = hsmMod.SetPIN(hsmPIN)
		}
		if err != nil {
			hsmSkip = err.Error()
		}
	})
	if hsmSkip != "" {
		t.Skip(hsmSkip)
	}
	return hsmMod, hsmPath
}

func TestHSMKeySignsCAdES(t *testing.T) {
	mod, _ := softHSM(t)
	p := testPKI(t)
	for _, kt := range []KeyType{KeyECDSAP256, KeyRSA} {
		t.Run(kt.String(), func(t *testing.T) {
			label := "go-" + strings.ToLower(kt.String())
			bits := 0
			if kt == KeyRSA {
				bits = 2048
			}
			key, err := mod.GenerateKey("pkcs11:token=gobindings;object="+label, kt, bits)
			must(t, err)
			defer key.Close()
			info, err := key.Info()
			must(t, err)
			if info.Storage != StorageHSM || info.TokenLabel != "gobindings" || info.KeyLabel != label || info.Extractable {
				t.Fatalf("%+v", info)
			}
			must(t, key.CheckRequirements(KeyRequirements{HSM: true, NonExtractable: true}))
			if _, err := key.Export(FormatDER); err == nil {
				t.Fatal("a token key was exported")
			}
			pub, err := key.PublicKey()
			must(t, err)
			caKey := mustKey(t, "cms/ca.key")
			cert, err := (*Context)(nil).NewCertificate(&CertificateTemplate{
				Subject: "CN=Go HSM Signer,O=TSVC Test,C=JP", Issuer: p.ca, Serial: 0x4748,
				NotBefore: p.when.Add(-time.Hour), NotAfter: p.when.Add(30 * 24 * time.Hour),
				PublicKey: pub, KeyUsage: KUNonRepudiation | KUDigitalSignature}, caKey)
			must(t, err)
			cms, err := Sign(key, cert, strings.NewReader("signed in the token"), &SignerOptions{SigningTime: p.when})
			must(t, err)
			r, err := Verify(cms, nil, p.store, p.policy, nil)
			must(t, err)
			if !r.Passed() {
				j, _ := r.JSON()
				t.Fatalf("%s", j)
			}
			uri, err := key.URI()
			must(t, err)
			if !strings.HasPrefix(uri, "pkcs11:") {
				t.Fatal(uri)
			}
		})
	}
}

func TestHSMOpenAndErrors(t *testing.T) {
	mod, path := softHSM(t)
	_, err := mod.GenerateKey("pkcs11:token=gobindings;object=go-by-uri", KeyECDSAP256, 0)
	must(t, err)
	k, err := mod.OpenKey("pkcs11:token=gobindings;object=go-by-uri;type=private")
	must(t, err)
	sig, err := k.Sign([]byte("m"))
	must(t, err)
	pub, _ := k.PublicKey()
	if ok, _ := pub.Verify([]byte("m"), sig); !ok {
		t.Fatal("token signature")
	}
	k2, err := (*Context)(nil).KeyFromURI("pkcs11:token=gobindings;object=go-by-uri?module-path=" + path + "&pin-value=" + hsmPIN)
	must(t, err)
	k2.Close()
	if _, err := mod.OpenKey("pkcs11:token=gobindings;object=missing"); !errors.Is(err, ErrPKCS11ObjectNotFound) {
		t.Fatal(err)
	}
	if _, err := mod.OpenKey("pkcs11:token=nope;object=x"); !errors.Is(err, ErrPKCS11TokenNotFound) {
		t.Fatal(err)
	}
	if _, err := mod.OpenKey("pkcs12:token=x"); !errors.Is(err, ErrPKCS11URI) {
		t.Fatal(err)
	}
	if _, err := (*Context)(nil).LoadPKCS11Module("/nonexistent/module.so"); !errors.Is(err, ErrPKCS11Module) || !errors.Is(err, FamilyKeyStore) {
		t.Fatal(err)
	}
}
