package customs

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"tracegate"
)

func TestCanonicalForm(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"attributes, namespaces, empty elements, comments, escaping",
			"<?xml version=\"1.0\"?>\n<a:r xmlns:a=\"urn:a\" xmlns=\"urn:d\" z=\"1\" a:y=\"2\" b=\"3\"><e/><!-- c --><f x=\"&quot;&#9;&lt;\">t&amp;&lt;&gt;&#13;\"'</f></a:r>\n",
			`<a:r xmlns="urn:d" xmlns:a="urn:a" b="3" z="1" a:y="2"><e></e><f x="&quot;&#x9;&lt;">t&amp;&lt;&gt;&#xD;"'</f></a:r>`},
		{"a redeclared namespace is rendered once, a changed one again",
			`<r xmlns:p="urn:p"><p:x xmlns:p="urn:p"><p:y xmlns:p="urn:q"/></p:x></r>`,
			`<r xmlns:p="urn:p"><p:x><p:y xmlns:p="urn:q"></p:y></p:x></r>`},
		{"CDATA is text, line ends are LF",
			"<r><![CDATA[a<b]]>\r\nc</r>",
			"<r>a&lt;b\nc</r>"},
	} {
		n, err := parseXNodes([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := string(canonicalForm(n, map[string]string{})); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	// A subtree carries the namespaces in scope at it.
	n, _ := parseXNodes([]byte(`<c:m xmlns:c="urn:c"><ds:S xmlns:ds="urn:ds"><ds:I a="1"/></ds:S></c:m>`))
	s := n.kids[0].(*xnode)
	if got, want := string(canonicalForm(s.kids[0].(*xnode), maps2(n.ns, s.ns))), `<ds:I xmlns:c="urn:c" xmlns:ds="urn:ds" a="1"></ds:I>`; got != want {
		t.Errorf("subtree: got %s, want %s", got, want)
	}
}

// signingKey returns an SM2 key and the PEM of a self-signed certificate.
func signingKey(t *testing.T) (*sm2.PrivateKey, []byte) {
	t.Helper()
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "测试电商企业"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := smx509.CreateCertificate(rand.Reader, tpl, tpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	return priv, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// signCEB is Sign, failing the test on an error.
func signCEB(t *testing.T, priv *sm2.PrivateKey, msg []byte) []byte {
	t.Helper()
	out, err := Sign(msg, priv)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSignatures(t *testing.T) {
	priv, certPEM := signingKey(t)
	_, otherPEM := signingKey(t)
	v, err := NewSignatures(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSignatures(otherPEM)
	if _, err := NewSignatures([]byte("not a certificate")); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("NewSignatures(junk) = %v; want EINVALID", err)
	}
	d := GenerateDay(3, 1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))[0]
	body, err := Marshal(d.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	signed := signCEB(t, priv, body)
	if err := v.Verify(signed); err != nil {
		t.Fatalf("Verify(signed) = %v", err)
	}
	h := d.Inventory.Inventories[0].Head
	for _, tc := range []struct {
		name    string
		v       *Signatures
		msg     []byte
		pointer string
	}{
		{"placeholder signature", v, body, "/SignedInfo"},
		{"changed after signing", v, bytes.Replace(signed, []byte(">"+h.BuyerName+"<"), []byte(">某人<"), 1), "/SignedInfo/Reference/DigestValue"},
		{"another key", other, signed, "/SignatureValue"},
		{"forged value", v, bytes.Replace(signed, []byte("<ds:SignatureValue>"), []byte("<ds:SignatureValue>AAAA"), 1), "/SignatureValue"},
	} {
		err := tc.v.Verify(tc.msg)
		if !tracegate.IsCode(err, tracegate.EINVALID) || !strings.HasSuffix(err.(*tracegate.Error).Pointer, tc.pointer) {
			t.Errorf("%s: Verify = %v; want EINVALID at …%s", tc.name, err, tc.pointer)
		}
	}
	// Through the intake's check: refused, or verified.
	s := &Service{sigs: v, clock: tracegate.SystemClock{}}
	if _, err := s.check(Sender{}, signed); err != nil {
		t.Fatalf("check(signed) = %v", err)
	}
	if _, err := s.check(Sender{}, bytes.Replace(signed, []byte(">"+h.BuyerName+"<"), []byte(">某人<"), 1)); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("check(changed) = %v; want EINVALID", err)
	}
}
