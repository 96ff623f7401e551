package web

import (
	"strings"
	"testing"
)

// TestLogVKey: the server serves its log's verifier key as text.
func TestLogVKey(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		w := f.do("GET", "/log/vkey", "", "", "")
		if w.Code != 200 || strings.TrimSpace(w.Body.String()) != f.ledger.web.VKey || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			t.Fatalf("GET /log/vkey = %d %q, want %q", w.Code, w.Body, f.ledger.web.VKey)
		}
	})
}
