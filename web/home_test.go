package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestHomePage: the home page serves people first — the code box with its
// label, what tracegate is, how to verify the log — and developers below;
// its script is its own, from this server.
func TestHomePage(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		for _, tc := range []struct {
			path string
			want []string
		}{
			{"/", []string{`<html lang="zh-CN">`, `<form action="/l" method="get"`, `<label for="code">`, `id="code" name="code"`, "tracegate 是什么？", `href="/log/checkpoint"`, `href="/log/vkey"`, `href="/?lang=en"`, "用相机扫描二维码"}},
			{"/?lang=en", []string{`<html lang="en">`, `<label for="code">`, `name="lang" value="en"`, "What is tracegate?", `href="/log/vkey"`, "Scan the QR code with the camera"}},
		} {
			w := f.do("GET", tc.path, "", "", "")
			body := w.Body.String()
			if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("GET %s = %d %s", tc.path, w.Code, w.Header())
			}
			for _, s := range tc.want {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s lacks %q", tc.path, s)
				}
			}
			if box, dev := strings.Index(body, `name="code"`), strings.Index(body, `href="/openapi.json"`); box < 0 || dev < box {
				t.Errorf("GET %s: the developer links (%d) are not below the code box (%d)", tc.path, dev, box)
			}
			if !strings.Contains(body, `<script src="/static/home.js" defer>`) || strings.Contains(body, `src="http`) || strings.Contains(body, `src="//`) {
				t.Errorf("GET %s: want only the page's own script", tc.path)
			}
		}
		w := f.do("GET", "/static/home.js", "", "", "")
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") || !strings.Contains(w.Body.String(), "BarcodeDetector") {
			t.Fatalf("GET /static/home.js = %d %s", w.Code, w.Header())
		}
		for _, p := range []string{"/static/nope.js", "/static/home.go", "/static/..%2fhome.go"} {
			if w := f.do("GET", p, "", "", ""); w.Code != 404 {
				t.Errorf("GET %s = %d, want 404", p, w.Code)
			}
		}
	})
}

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
