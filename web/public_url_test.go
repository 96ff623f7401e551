package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestForgedHostNotInLinks: a client's Host (or X-Forwarded-*) header never
// reaches the links the server writes; linksets are anchored at the
// configured public base URL (issue 11, finding 17).
func TestForgedHostNotInLinks(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		codes := f.boundLabels(t, "9421902960031", 1, false)
		for _, tc := range []struct{ name, path, accept string }{
			{"resolver linkset", "/01/09421902960031?linkType=all", ""},
			{"resolver link header", "/01/09421902960031", "application/json"},
			{"scan linkset", "/l/" + codes[0], "application/linkset+json"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := httptest.NewRequest("GET", "http://evil.example"+tc.path, nil)
				req.Host = "evil.example"
				req.Header.Set("X-Forwarded-Host", "evil2.example")
				req.Header.Set("X-Forwarded-Proto", "https")
				if tc.accept != "" {
					req.Header.Set("Accept", tc.accept)
				}
				w := httptest.NewRecorder()
				f.srv.ServeHTTP(w, req)
				got := w.Body.String() + " " + w.Header().Get("Link")
				if w.Code != 200 || strings.Contains(got, "evil") {
					t.Fatalf("GET %s with a forged Host = %d, links %s; want 200 and no forged host", tc.path, w.Code, got)
				}
				if !strings.Contains(got, "https://tg.example/") {
					t.Fatalf("GET %s: links %s; want them on the public base https://tg.example", tc.path, got)
				}
			})
		}
	})
}
