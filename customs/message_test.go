package customs

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
)

const sampleDir = "../testdata/ceb/samples-202205-import"

// readSample returns the bytes of an official sample, such as "CEB621".
func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sampleDir, name+"Message.xml"))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return data
}

var sampleNames = []string{
	"CEB311", "CEB312", "CEB411", "CEB412", "CEB511", "CEB512", "CEB513", "CEB514",
	"CEB621", "CEB622", "CEB623", "CEB624", "CEB625", "CEB626", "CEB711", "CEB712",
}

// equalXML reports whether two documents are equal in the sense used for
// round trips, and if not, where they first differ. Two documents are equal
// when their root elements are equal; two elements are equal when
//   - they have the same expanded name (namespace URI and local name; the
//     prefix is not compared here, TestRoundTripPrefixes checks it),
//   - they have the same attributes, compared as a set of (namespace, local
//     name, value), namespace declarations (xmlns, xmlns:p) excluded,
//   - they have the same child elements, pairwise equal, in the same order,
//   - they have the same character data, byte for byte, except that
//     whitespace-only character data in an element that has child elements
//     is ignored (indentation between elements), and
//   - for ds:Signature and ExtendMessage/Message, the raw inner XML is equal
//     byte for byte.
//
// The XML declaration, comments and processing instructions are ignored.
func equalXML(a, b []byte) (bool, string, error) {
	ra, err := parseTree(a)
	if err != nil {
		return false, "", err
	}
	rb, err := parseTree(b)
	if err != nil {
		return false, "", err
	}
	diff := equalNode(ra, rb, "/"+ra.local)
	return diff == "", diff, nil
}

func equalNode(a, b *node, path string) string {
	if a.space != b.space || a.local != b.local {
		return fmt.Sprintf("%s: element {%s}%s vs {%s}%s", path, a.space, a.local, b.space, b.local)
	}
	if !sameAttrs(a, b) {
		return fmt.Sprintf("%s: attributes %v vs %v", path, a.attrs, b.attrs)
	}
	if a.raw || b.raw {
		if !bytes.Equal(a.inner, b.inner) {
			return path + ": raw inner XML differs"
		}
		return ""
	}
	ta, tb := a.text, b.text
	if len(a.children) > 0 || len(b.children) > 0 {
		ta, tb = bytes.TrimSpace(ta), bytes.TrimSpace(tb)
	}
	if !bytes.Equal(ta, tb) {
		return fmt.Sprintf("%s: text %q vs %q", path, ta, tb)
	}
	if len(a.children) != len(b.children) {
		return fmt.Sprintf("%s: %d children vs %d", path, len(a.children), len(b.children))
	}
	for i := range a.children {
		if d := equalNode(a.children[i], b.children[i], fmt.Sprintf("%s/%s[%d]", path, a.children[i].local, i+1)); d != "" {
			return d
		}
	}
	return ""
}

func sameAttrs(a, b *node) bool {
	if len(a.attrs) != len(b.attrs) {
		return false
	}
	for _, x := range a.attrs {
		found := false
		for _, y := range b.attrs {
			if x == y {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func TestSamplesRoundTrip(t *testing.T) {
	for _, name := range sampleNames {
		t.Run(name, func(t *testing.T) {
			data := readSample(t, name)
			m, err := ParseMessage(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("ParseMessage(%s) error: %v", name, err)
			}
			if got := m.MessageType(); got != name+"Message" {
				t.Errorf("MessageType() = %q, want %q", got, name+"Message")
			}
			if got, want := m.HasSignature(), bytes.Contains(data, []byte("<ds:Signature")); got != want {
				t.Errorf("HasSignature() = %v, want %v", got, want)
			}
			out, err := Marshal(m)
			if err != nil {
				t.Fatalf("Marshal error: %v", err)
			}
			ok, diff, err := equalXML(data, out)
			if err != nil {
				t.Fatalf("equalXML error: %v", err)
			}
			if !ok {
				t.Errorf("round trip differs: %s", diff)
			}
			receipt := (name[5]-'0')%2 == 0 && name != "CEB513"
			if _, isReceipt := m.(Receipt); isReceipt != receipt {
				t.Errorf("%T is Receipt = %v, want %v", m, isReceipt, receipt)
			}
			if hasPrefix := bytes.Contains(out, []byte("<ceb:"+name)); hasPrefix == receipt {
				t.Errorf("Marshal wrote ceb: prefix = %v for receipt = %v", hasPrefix, receipt)
			}
		})
	}
}

func TestSignatureKeptByteForByte(t *testing.T) {
	data := readSample(t, "CEB621")
	m, err := ParseMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sig := m.(*CEB621Message).Signature
	start := bytes.Index(data, []byte("<ds:Signature"))
	start += bytes.IndexByte(data[start:], '>') + 1
	end := bytes.Index(data, []byte("</ds:Signature>"))
	if sig == nil || sig.Prefix != "ds" || !bytes.Equal(sig.Inner, data[start:end]) {
		t.Fatalf("Signature not kept byte for byte")
	}
	out, _ := Marshal(m)
	if !bytes.Contains(out, data[start:end]) {
		t.Errorf("Marshal did not write the signature bytes unchanged")
	}
}

func TestReceiptStatuses(t *testing.T) {
	m, err := ParseMessage(bytes.NewReader(readSample(t, "CEB622")))
	if err != nil {
		t.Fatal(err)
	}
	st := m.(Receipt).Statuses()
	if len(st) == 0 || st[0] != StatusStored || st[0].Text() != "电子口岸已暂存" {
		t.Errorf("Statuses() = %v, want first %q (%s)", st, StatusStored, StatusStored.Text())
	}
	for _, tc := range []struct {
		s    ReturnStatus
		err  bool
		text string
	}{{"800", false, "放行"}, {"-1", true, "处理异常"}, {"42", false, ""}} {
		if tc.s.IsError() != tc.err || tc.s.Text() != tc.text {
			t.Errorf("ReturnStatus(%q): IsError %v Text %q, want %v %q", tc.s, tc.s.IsError(), tc.s.Text(), tc.err, tc.text)
		}
	}
}

func TestParseDXP(t *testing.T) {
	inner := readSample(t, "CEB311")
	wrap := func(data string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">
<dxp:TransInfo><dxp:CopMsgId>X</dxp:CopMsgId><dxp:SenderId>S</dxp:SenderId>
<dxp:ReceiverIds><dxp:ReceiverId>R</dxp:ReceiverId></dxp:ReceiverIds>
<dxp:CreatTime>2026-01-01T00:00:00</dxp:CreatTime><dxp:MsgType>CEB311Message</dxp:MsgType></dxp:TransInfo>
<dxp:Data>` + data + `</dxp:Data></dxp:DxpMsg>`
	}
	b64 := base64.StdEncoding.EncodeToString(inner)
	var folded strings.Builder
	for i := 0; i < len(b64); i += 76 {
		folded.WriteString(b64[i:min(i+76, len(b64))] + "\n")
	}
	var escaped bytes.Buffer
	escaped.Write(bytes.ReplaceAll(bytes.ReplaceAll(inner, []byte("&"), []byte("&amp;")), []byte("<"), []byte("&lt;")))
	tests := []struct {
		name, doc string
		wantErr   bool
	}{
		{"base64", wrap(b64), false},
		{"base64 folded", wrap(folded.String()), false},
		{"xml text", wrap(escaped.String()), false},
		{"bad base64", wrap("!!!not base64"), true},
		{"transport envelope", `<dxp:DxpMsgSv ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp"><dxp:SvNo Ver="1.0"/>` +
			strings.TrimPrefix(wrap(b64), `<?xml version="1.0" encoding="UTF-8"?>`) + `</dxp:DxpMsgSv>`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseMessage(strings.NewReader(tc.doc))
			if tc.wantErr {
				if !tracegate.IsCode(err, tracegate.EINVALID) {
					t.Fatalf("ParseMessage = %v, want EINVALID", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMessage error: %v", err)
			}
			if o, ok := m.(*CEB311Message); !ok || len(o.Orders) == 0 {
				t.Fatalf("ParseMessage = %T, want *CEB311Message with orders", m)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	const ns = `xmlns="http://www.chinaport.gov.cn/ceb"`
	tests := []struct {
		name, doc, wantMsg string
	}{
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
			`<CEB312Message ` + ns + ` guid="x" version="1.0">&lol2;</CEB312Message>`, "DOCTYPE"},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
			`<CEB312Message ` + ns + `>&xxe;</CEB312Message>`, "DOCTYPE"},
		{"undefined entity", `<CEB312Message ` + ns + `>&xxe;</CEB312Message>`, "malformed XML"},
		{"wrong namespace", `<CEB312Message xmlns="http://example.com/ceb" guid="x" version="1.0"/>`, "namespace"},
		{"no namespace", `<CEB312Message guid="x" version="1.0"/>`, "namespace"},
		{"unknown type", `<CEB999Message ` + ns + `/>`, "unknown CEB message type"},
		{"unknown element", `<CEB312Message ` + ns + `><Bogus/></CEB312Message>`, "unexpected element"},
		{"malformed", `<CEB312Message ` + ns + `><OrderReturn></CEB312Message>`, "malformed XML"},
		{"two heads", `<CEB311Message ` + ns + `><Order><OrderHead/><OrderHead/></Order></CEB311Message>`, "more than once"},
		{"deep", strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40), "deeper"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMessage(strings.NewReader(tc.doc))
			var e *tracegate.Error
			if !errors.As(err, &e) || e.Code != tracegate.EINVALID || !strings.Contains(e.Error(), tc.wantMsg) {
				t.Fatalf("ParseMessage = %v, want EINVALID containing %q", err, tc.wantMsg)
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		_, err := ParseMessage(bytes.NewReader(make([]byte, MaxMessageSize+1)))
		if !tracegate.IsCode(err, tracegate.ETOOLARGE) {
			t.Fatalf("ParseMessage(huge) = %v, want ETOOLARGE", err)
		}
	})
}

func TestMarshalRejects(t *testing.T) {
	if _, err := Marshal(nil); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("Marshal(nil) = %v, want EINVALID", err)
	}
	if _, err := Marshal((*CEB311Message)(nil)); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("Marshal(nil pointer) = %v, want EINVALID", err)
	}
}

func BenchmarkParseCEB621(b *testing.B) {
	data := readSample(b, "CEB621")
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseMessage(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
