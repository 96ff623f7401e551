package web

import (
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
			{"/", []string{`<html lang="zh-CN">`, `<form action="/l" method="get"`, `<label for="code">`, `id="code" name="code"`, "tracegate 是什么？", `href="/log/checkpoint"`, `href="/log/vkey"`, `href="/?lang=en"`, "用相机扫描二维码", `href="/credit/blacklist"`, "信用黑名单"}},
			{"/?lang=en", []string{`<html lang="en">`, `<label for="code">`, `name="lang" value="en"`, "What is tracegate?", `href="/log/vkey"`, "Scan the QR code with the camera", `href="/credit/blacklist?lang=en"`}},
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
