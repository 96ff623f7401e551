package customs

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"tracegate"
)

// roundTrip parses doc, marshals it, and checks the result equals doc in
// the sense of equalXML; it returns the message.
func roundTrip(t *testing.T, doc []byte) Message {
	t.Helper()
	m, err := ParseMessage(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("ParseMessage error: %v", err)
	}
	out, err := Marshal(m)
	if err != nil {
		t.Fatalf("Marshal error: %v", err)
	}
	ok, diff, err := equalXML(doc, out)
	if err != nil || !ok {
		t.Fatalf("round trip differs: %s %v\n%s", diff, err, out)
	}
	return m
}

// ExtendMessage and BaseSubscribe appear in no official sample: insert
// them into the CEB311 sample before the signature.
func TestRoundTripExtendMessage(t *testing.T) {
	ext := `<ceb:BaseSubscribe><ceb:status>ALL</ceb:status><ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpAddress>DXPENT0000000001</ceb:dxpAddress></ceb:BaseSubscribe>
<ceb:BaseSubscribe><ceb:status>RET</ceb:status><ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpAddress>DXPENT0000000002</ceb:dxpAddress><ceb:note>n</ceb:note></ceb:BaseSubscribe>
<ceb:ExtendMessage><ceb:name>promo</ceb:name><ceb:version>1</ceb:version><ceb:Message><p:promo xmlns:p="urn:example" code="A&amp;B">10% off<p:x/></p:promo></ceb:Message></ceb:ExtendMessage>
`
	doc := bytes.Replace(readSample(t, "CEB311"), []byte("<ds:Signature"), []byte(ext+"<ds:Signature"), 1)
	m := roundTrip(t, doc).(*CEB311Message)
	if len(m.BaseSubscribe) != 2 || m.ExtendMessage == nil || m.ExtendMessage.Name != "promo" ||
		!bytes.Contains(m.ExtendMessage.Message.Inner, []byte(`code="A&amp;B">10% off<p:x/>`)) {
		t.Errorf("extension not kept: %+v %+v", m.BaseSubscribe, m.ExtendMessage)
	}
	if err := ValidateXML(bytes.NewReader(doc), Version202205); err != nil {
		t.Errorf("ValidateXML = %v", err)
	}
	six := bytes.Replace(doc, []byte("<ceb:ExtendMessage>"), []byte(strings.Repeat(strings.SplitN(ext, "\n", 2)[0], 4)+"<ceb:ExtendMessage>"), 1)
	if err := ValidateXML(bytes.NewReader(six), Version202205); err == nil || !strings.Contains(err.Error(), "at most 5") {
		t.Errorf("ValidateXML(6 BaseSubscribe) = %v, want at most 5", err)
	}
}

var cebPrefix = regexp.MustCompile(`(</?)ceb:`)

// The parser is namespace-aware: a data message written in the default
// namespace, with an unprefixed Signature, and a receipt written with a
// prefix both parse, and Marshal writes them in the official style.
func TestRoundTripOtherPrefixes(t *testing.T) {
	t.Run("data message in the default namespace", func(t *testing.T) {
		doc := readSample(t, "CEB621")
		doc = cebPrefix.ReplaceAll(doc, []byte("$1"))
		doc = bytes.ReplaceAll(doc, []byte("ds:"), nil)
		doc = bytes.Replace(doc, []byte("xmlns:ceb="), []byte("xmlns="), 1)
		doc = bytes.Replace(doc, []byte("xmlns:ds="), []byte("xmlns="), 1)
		m := roundTrip(t, doc)
		sig := m.(*CEB621Message).Signature
		if sig == nil || sig.Prefix != "" || !bytes.HasPrefix(bytes.TrimSpace(sig.Inner), []byte("<SignedInfo>")) {
			t.Fatalf("unprefixed signature not kept: %+v", sig)
		}
		out, _ := Marshal(m)
		if !bytes.Contains(out, []byte("<ceb:CEB621Message")) || !bytes.Contains(out, []byte(`<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">`)) {
			t.Errorf("Marshal did not write ceb: prefix and default-namespace Signature")
		}
	})
	t.Run("receipt with a prefix", func(t *testing.T) {
		doc := readSample(t, "CEB622")
		doc = regexp.MustCompile(`(</?)(\w+>|CEB622Message )`).ReplaceAll(doc, []byte("${1}x:$2"))
		doc = bytes.Replace(doc, []byte("xmlns="), []byte("xmlns:x="), 1)
		if !bytes.Contains(doc, []byte("<x:InventoryReturn>")) {
			t.Fatalf("rewrite failed:\n%s", doc[:300])
		}
		roundTrip(t, doc)
	})
}

func TestParseDXPRefusesInnerDoctype(t *testing.T) {
	inner := `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CEB312Message xmlns="http://www.chinaport.gov.cn/ceb">&e;</CEB312Message>`
	doc := `<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:Data>` +
		base64.StdEncoding.EncodeToString([]byte(inner)) + `</dxp:Data></dxp:DxpMsg>`
	_, err := ParseMessage(strings.NewReader(doc))
	if !tracegate.IsCode(err, tracegate.EINVALID) || !strings.Contains(err.Error(), "DOCTYPE") {
		t.Fatalf("ParseMessage(DXP with DOCTYPE inside) = %v, want EINVALID DOCTYPE", err)
	}
	nested := `<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:Data>` +
		base64.StdEncoding.EncodeToString([]byte(doc)) + `</dxp:Data></dxp:DxpMsg>`
	if _, err := ParseMessage(strings.NewReader(nested)); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("ParseMessage(nested DXP) = %v, want EINVALID", err)
	}
}
