package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestCodeLookup: the code box takes a code however it was typed or
// pasted to its scan page; what is not a label code shows the home page
// with a message, never the scan page's "not genuine".
func TestCodeLookup(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		const compact = "CRNQQ3NJ18MPRS1ASHCPS"
		for _, tc := range []struct {
			typed, lang string
			status      int
			location    string
		}{
			{"CRNQ-Q3NJ-18MP-RS1A-SHCP-S", "", 303, "/l/" + compact},
			{"  crnq q3nj 18mp rs1a shcp s ", "", 303, "/l/" + compact},
			{"CRNQQ3NJI8MPRSLASHCPS", "", 303, "/l/" + compact}, // I and L read as 1
			{"https://tracegate.example/l/" + compact + "?lang=en", "", 303, "/l/" + compact},
			{"CRNQ-Q3NJ-18MP-RS1A-SHCP-S", "en", 303, "/l/" + compact + "?lang=en"},
			{"", "", 303, "/"},
			{"CRNQ-Q3NJ-18MP-RS1A-SHCP-T", "", 400, ""},
			{"<script>alert(1)</script>", "en", 400, ""},
		} {
			q := url.Values{"code": {tc.typed}}
			if tc.lang != "" {
				q.Set("lang", tc.lang)
			}
			req := httptest.NewRequest("GET", "/l?"+q.Encode(), nil)
			req.Header.Set("Accept", browserAccept)
			w := httptest.NewRecorder()
			f.srv.ServeHTTP(w, req)
			if w.Code != tc.status || w.Header().Get("Location") != tc.location {
				t.Errorf("GET /l?code=%q = %d Location %q, want %d %q", tc.typed, w.Code, w.Header().Get("Location"), tc.status, tc.location)
				continue
			}
			if tc.status == 400 {
				body := w.Body.String()
				if !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, `role="alert"`) || strings.Contains(body, "<script>alert") {
					t.Errorf("GET /l?code=%q: want the home page with an escaped message:\n%s", tc.typed, body)
				}
			}
		}
	})
}
