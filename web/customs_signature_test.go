package web

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"tracegate"
	"tracegate/customs"
	"tracegate/store/storetest"
)

// TestCustomsSignatureOverHTTP (issue 11, finding 16): with certificates
// configured, a CEB message whose SM2-SM3 signature does not verify is
// refused at its ds:Signature and nothing is stored; a good one is taken
// and said verified. Without certificates every answer says unverified.
func TestCustomsSignatureOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		priv, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "电商企业签名证书"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
		der, err := smx509.CreateCertificate(rand.Reader, tpl, tpl, &priv.PublicKey, priv)
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := customs.NewSignatures(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
		if err != nil {
			t.Fatal(err)
		}
		d := storetest.GenerateFault(13, "")
		msgs := storetest.CustomsMessages(t, d)
		if w := f.do("POST", "/api/customs/messages", f.keys[tracegate.RolePlatform], "application/xml", string(msgs[customs.DocOrder])); w.Code != 200 ||
			!strings.Contains(w.Body.String(), `"signature":"unverified"`) {
			t.Fatalf("unsigned order without certificates = %d %s; want unverified", w.Code, w.Body)
		}
		svc, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret, MatchTimeout: 24 * time.Hour, Signatures: sigs}, s)
		if err != nil {
			t.Fatal(err)
		}
		f.srv = New(Config{Store: s, Logger: slog.New(slog.DiscardHandler), Ledger: f.ledger.web, Customs: svc, Labels: f.labels})
		signed, err := customs.Sign(msgs[customs.DocInventory], priv)
		if err != nil {
			t.Fatal(err)
		}
		h := d.Inventory.Inventories[0].Head
		changed := bytes.Replace(signed, []byte(">"+h.BuyerName+"<"), []byte(">某人<"), 1)
		for _, c := range []struct {
			name, body string
			status     int
			want       string
		}{
			{"placeholder signature", string(msgs[customs.DocInventory]), 400, `"pointer":"/CEB621Message/Signature/SignedInfo"`},
			{"changed after signing", string(changed), 400, `"pointer":"/CEB621Message/Signature/SignedInfo/Reference/DigestValue"`},
		} {
			if w := f.do("POST", "/api/customs/messages", f.keys[tracegate.RoleEcommerce], "application/xml", c.body); w.Code != c.status || !strings.Contains(w.Body.String(), c.want) {
				t.Fatalf("%s = %d %s; want %d with %s", c.name, w.Code, w.Body, c.status, c.want)
			}
		}
		if rec, err := s.FindCustomsDeclaration(t.Context(), h.EbpCode, h.OrderNo); err != nil || rec.Inventory != nil {
			t.Fatalf("a refused inventory was stored: %+v, %v", rec, err)
		}
		if w := f.do("POST", "/api/customs/messages", f.keys[tracegate.RoleEcommerce], "application/xml", string(signed)); w.Code != http.StatusOK ||
			!strings.Contains(w.Body.String(), `"signature":"verified"`) {
			t.Fatalf("signed inventory = %d %s; want taken and verified", w.Code, w.Body)
		}
	})
}
