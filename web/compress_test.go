package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestCompression: text bodies of at least minCompressSize bytes are gzipped
// for clients that accept it, with Vary; tiny bodies, images, PDFs, HEAD
// and clients that do not accept gzip get the identity body.
func TestCompression(t *testing.T) {
	big := strings.Repeat("一物一码 tracegate ", 200)
	s := &Server{}
	for _, tc := range []struct {
		name     string
		ctype    string
		body     string
		length   bool // declare Content-Length
		flush    bool // flush mid-body (a stream)
		etag     string
		method   string
		ae       string
		wantGzip bool
	}{
		{name: "html", ctype: "text/html; charset=utf-8", body: big, ae: "gzip, deflate, br", wantGzip: true},
		{name: "html with length", ctype: "text/html; charset=utf-8", body: big, length: true, ae: "gzip", wantGzip: true},
		{name: "json stream", ctype: "application/json", body: big, flush: true, ae: "gzip", wantGzip: true},
		{name: "problem json", ctype: "application/problem+json", body: big, ae: "gzip", wantGzip: true},
		{name: "etag weakened", ctype: "text/csv", body: big, etag: `"v1"`, ae: "gzip", wantGzip: true},
		{name: "tiny", ctype: "text/html", body: "<p>ok</p>", ae: "gzip"},
		{name: "tiny with length", ctype: "text/plain", body: "ok", length: true, ae: "gzip"},
		{name: "png", ctype: "image/png", body: big, ae: "gzip"},
		{name: "pdf", ctype: "application/pdf", body: big, ae: "gzip"},
		{name: "not accepted", ctype: "text/html", body: big, ae: ""},
		{name: "q=0", ctype: "text/html", body: big, ae: "gzip;q=0, identity"},
		{name: "head", ctype: "text/html", body: "", method: "HEAD", ae: "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := s.withCompression(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				if tc.length {
					w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)))
				}
				if tc.etag != "" {
					w.Header().Set("ETag", tc.etag)
				}
				if tc.flush {
					io.WriteString(w, tc.body[:10])
					http.NewResponseController(w).Flush()
					io.WriteString(w, tc.body[10:])
					return
				}
				io.WriteString(w, tc.body)
			}))
			method := tc.method
			if method == "" {
				method = "GET"
			}
			req := httptest.NewRequest(method, "/", nil)
			if tc.ae != "" {
				req.Header.Set("Accept-Encoding", tc.ae)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			got := w.Body.Bytes()
			gz := w.Header().Get("Content-Encoding") == "gzip"
			if gz != tc.wantGzip {
				t.Fatalf("Content-Encoding %q, want gzip %v (headers %v)", w.Header().Get("Content-Encoding"), tc.wantGzip, w.Header())
			}
			if gz {
				zr, err := gzip.NewReader(bytes.NewReader(got))
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if w.Header().Get("Content-Length") != "" {
					t.Errorf("gzipped response keeps Content-Length %s", w.Header().Get("Content-Length"))
				}
				if tc.etag != "" && w.Header().Get("ETag") != "W/"+tc.etag {
					t.Errorf("ETag = %q, want W/%s", w.Header().Get("ETag"), tc.etag)
				}
				if w.Body.Len() >= len(tc.body) {
					t.Errorf("gzipped %d bytes to %d", len(tc.body), w.Body.Len())
				}
			}
			if string(got) != tc.body {
				t.Fatalf("body = %d bytes, want the %d written", len(got), len(tc.body))
			}
			if compressible(tc.ctype) && tc.method != "HEAD" && !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("text response without Vary: Accept-Encoding: %v", w.Header())
			}
		})
	}
}

// TestCompressionEndToEnd: the home page and the API description come
// gzipped through the whole middleware stack.
func TestCompressionEndToEnd(t *testing.T) {
	stores(t, func(t *testing.T, st Store) {
		f := newFixture(t, st)
		for _, path := range []string{"/", "/openapi.json"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			w := httptest.NewRecorder()
			f.srv.ServeHTTP(w, req)
			if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("GET %s = %d %v, want gzip", path, w.Code, w.Header())
			}
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			if b, err := io.ReadAll(zr); err != nil || len(b) < minCompressSize {
				t.Fatalf("GET %s: %d bytes, %v", path, len(b), err)
			}
		}
		// Tiny bodies stay plain.
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Header().Get("Content-Encoding") != "" {
			t.Fatalf("GET /healthz compressed: %v", w.Header())
		}
	})
}

// BenchmarkCompressPage measures the middleware on a scan-page-sized body.
func BenchmarkCompressPage(b *testing.B) {
	body := []byte(strings.Repeat("<li>商品名称 a2 Platinum 婴儿配方奶粉 1段 900g</li>\n", 400))
	s := &Server{}
	h := s.withCompression(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	req := httptest.NewRequest("GET", "/l/x", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
	}
}
