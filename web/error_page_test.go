package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// browserAccept is what Chromium sends for a page.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

// TestErrorNegotiation: browsers get an HTML error page in the page
// language, API clients problem+json; a plain-text 404 never appears; a
// path served under other methods answers 405 with Allow.
func TestErrorNegotiation(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		for _, tc := range []struct {
			name, method, path, accept string
			status                     int
			wantType                   string
			want                       []string
		}{
			{"unknown path, browser", "GET", "/nope", browserAccept, 404, "text/html", []string{`<html lang="zh-CN">`, "未找到", "返回首页", `href="?lang=en"`, "请求编号"}},
			{"unknown path, browser, English", "GET", "/nope?lang=en", browserAccept, 404, "text/html", []string{`<html lang="en">`, "Not found", "Go to the home page", `name="viewport"`, `role="alert"`}},
			{"unknown GTIN, browser", "GET", "/01/04006381333931", browserAccept, 404, "text/html", []string{"未找到"}},
			{"unknown GTIN, API", "GET", "/01/04006381333931", "application/json", 404, "application/problem+json", []string{`"status":404`}},
			{"unknown path, API", "GET", "/nope", "application/json", 404, "application/problem+json", []string{`"code":"not_found"`, `"instance":"/nope"`}},
			{"unknown path, curl", "GET", "/nope", "*/*", 404, "application/problem+json", []string{`"code":"not_found"`}},
			{"unknown path, no Accept", "GET", "/nope/deeper", "", 404, "application/problem+json", []string{`"code":"not_found"`}},
			{"unknown API path, browser", "GET", "/api/nope", browserAccept, 404, "text/html", []string{"未找到"}},
			{"JSON preferred over HTML", "GET", "/nope", "text/html;q=0.5, application/json", 404, "application/problem+json", nil},
			{"wrong method", "POST", "/healthz", "application/json", 405, "application/problem+json", []string{`"status":405`}},
			{"wrong method, browser", "DELETE", "/", browserAccept, 405, "text/html", []string{"405"}},
			{"markup in the path", "GET", "/%3Cscript%3Ealert(1)%3C/script%3E", browserAccept, 404, "text/html", []string{"&lt;script&gt;"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := httptest.NewRequest(tc.method, tc.path, nil)
				if tc.accept != "" {
					req.Header.Set("Accept", tc.accept)
				}
				w := httptest.NewRecorder()
				f.srv.ServeHTTP(w, req)
				body := w.Body.String()
				if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), tc.wantType) {
					t.Fatalf("%s %s = %d %q %s, want %d %s", tc.method, tc.path, w.Code, w.Header().Get("Content-Type"), body, tc.status, tc.wantType)
				}
				if strings.Contains(body, "<script>alert") || strings.Contains(body, `href="//`) {
					t.Fatalf("the path leaks into the page unescaped: %s", body)
				}
				if strings.Contains(body, "404 page not found") {
					t.Fatalf("plain-text 404: %q", body)
				}
				for _, s := range tc.want {
					if !strings.Contains(body, s) {
						t.Errorf("body lacks %q:\n%s", s, body)
					}
				}
				if tc.status == 405 && !strings.Contains(w.Header().Get("Allow"), "GET") {
					t.Errorf("405 without Allow: %v", w.Header())
				}
				if !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept") {
					t.Errorf("error response without Vary: Accept: %v", w.Header())
				}
			})
		}
	})
}

func TestPrefersHTML(t *testing.T) {
	for accept, want := range map[string]bool{
		browserAccept:                      true,
		"text/html":                        true,
		"":                                 false,
		"*/*":                              false,
		"application/json":                 false,
		"application/problem+json, */*":    false,
		"text/html;q=0.2,application/json": false,
		"application/json;q=0.5,text/html": true,
		"text/html;q=0":                    false,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept", accept)
		if got := prefersHTML(r); got != want {
			t.Errorf("prefersHTML(Accept: %q) = %v, want %v", accept, got, want)
		}
	}
}
