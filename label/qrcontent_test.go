package label

import (
	"net/url"
	"strings"
	"testing"

	"tracegate/gs1"
)

// The QR content decision (docs/ARCHITECTURE.md, "What a label's QR code
// holds"): labels hold URL(base, code) = https://host/l/{code}, not a GS1
// Digital Link. These tests pin the two facts it rests on, with the gs1
// package: a label URL is never taken for a Digital Link (so the resolver
// at /01/… and the scan page at /l/… never collide), and a label code does
// not fit AI 21 (serial), whose values are at most 20 characters.

// TestLabelURLParses: the URL a label's QR holds parses back to its code,
// under any base path, and is not a GS1 Digital Link.
func TestLabelURLParses(t *testing.T) {
	for _, base := range []string{"https://trace.example.cn", "https://trace.example.cn/guangzhou/airport", "http://127.0.0.1:8080"} {
		for _, c := range testCodes(t, 50) {
			raw := URL(base, c)
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatalf("url.Parse(%q) = %v", raw, err)
			}
			prefix, compact, ok := strings.Cut(u.Path, "/l/")
			if !ok || strings.Contains(compact, "/") || u.RawQuery != "" || u.Fragment != "" || !strings.HasPrefix(base, u.Scheme+"://"+u.Host+prefix) {
				t.Fatalf("URL(%q, %s) = %q: want %s/l/{code} and nothing else", base, c, raw, base)
			}
			got, err := ParseCode(compact)
			if err != nil || got != c {
				t.Fatalf("ParseCode(%q) from %q = %v, %v; want %v", compact, raw, got, err, c)
			}
			if dl, err := gs1.ParseDigitalLink(raw); err == nil {
				t.Fatalf("gs1.ParseDigitalLink(%q) = %+v, want it refused: a label URL is not a Digital Link", raw, dl)
			}
		}
	}
}

// TestLabelCodeIsNotASerial: a Digital Link with the code as AI 21 cannot be
// built (21 characters, AI 21 allows 20), while a 20-character serial of the
// same alphabet can: the code cannot ride in a Digital Link's serial as is.
func TestLabelCodeIsNotASerial(t *testing.T) {
	const gtin = "09421902960031"
	c := testCodes(t, 1)[0]
	if len(c.Compact()) != CompactLen || CompactLen <= 20 {
		t.Fatalf("compact code %q is %d characters, CompactLen %d", c.Compact(), len(c.Compact()), CompactLen)
	}
	if uri, err := gs1.BuildURI("https://trace.example.cn", []gs1.AIValue{{AI: "01", Value: gtin}, {AI: "21", Value: c.Compact()}}); err == nil {
		t.Fatalf("BuildURI((01)%s(21)%s) = %q, want it refused: AI 21 holds at most 20 characters", gtin, c.Compact(), uri)
	}
	uri, err := gs1.BuildURI("https://trace.example.cn", []gs1.AIValue{{AI: "01", Value: gtin}, {AI: "21", Value: c.Compact()[:20]}})
	if err != nil {
		t.Fatalf("BuildURI with a 20-character serial = %v", err)
	}
	dl, err := gs1.ParseDigitalLink(uri)
	if err != nil || dl.PrimaryKey.Value != gtin {
		t.Fatalf("ParseDigitalLink(%q) = %+v, %v", uri, dl, err)
	}
}
