package main

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkConsolePages measures the console's pages on the demo data
// (`tracegate demo`, in process, loopback HTTP): each page's server time
// as the client sees it (p50 and p95 of b.N sequential requests, signed
// in), and its weight as a browser fetches it gzipped — the HTML and every
// script and stylesheet it loads (the dashboard's Apache ECharts
// included). The reference is the consumer scan page of the demo's
// delivered tin (`GET /l/{code}`, HTML), measured the same way in the same
// run; ratio is the page's p95 over the scan page's. Targets (issue 16):
// every page under 200 KB and rendered in ≤ 50 ms p95; the weight is
// checked, the time reported.
func BenchmarkConsolePages(b *testing.B) {
	base, out, stop := startInProcess(b, nil, "demo", "--addr", "127.0.0.1:0")
	defer stop()
	pw := map[string]string{}
	for _, m := range regexp.MustCompile(`login (\S+)\s+password (\S+)`).FindAllStringSubmatch(out.String(), -1) {
		pw[m[1]] = m[2]
	}
	officer, warehouse := signedIn(b, base, "officer", pw["officer"]), signedIn(b, base, "warehouse", pw["warehouse"])
	anon := &http.Client{}
	pages := []struct {
		name, path string
		c          *http.Client
	}{
		{"scan-page(reference)", "/l/CRNQQ3NJ18MPRS1ASHCPS", anon},
		{"dashboard", "/console/", officer},
		{"reviews", "/console/reviews", officer},
		{"warnings", "/console/warnings", officer},
		{"search-enterprise", "/console/search?q=" + url.QueryEscape("保税"), officer},
		{"search-gtin", "/console/search?q=09421902960031", officer},
		{"item", "/console/items/CRNQQ3NJ18MPRS1ASHCPS", officer},
		{"measures", "/console/measures", officer},
		{"users", "/console/users", officer},
		{"audit", "/console/audit", officer},
		{"home-warehouse", "/console/", warehouse},
		{"scan-intake", "/console/scan/intake?gtin=09421902960031&batch=B1", warehouse},
	}
	var refP95 time.Duration
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			weight := pageWeight(b, p.c, base, p.path)
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				resp, err := p.c.Get(base + p.path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("GET %s = %s", p.path, resp.Status)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			p50, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
			if refP95 == 0 {
				refP95 = p95
			}
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(weight)/1024, "KB")
			b.ReportMetric(float64(p95)/float64(refP95), "p95/scan")
			if weight > 200<<10 {
				b.Errorf("%s weighs %d KB gzipped, more than 200 KB", p.path, weight>>10)
			}
		})
	}
}

// signedIn is a client with a console session of login.
func signedIn(b *testing.B, base, login, password string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/console/sign-in", url.Values{"login": {login}, "password": {password}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in as %s: %s", login, resp.Status)
	}
	return c
}

var pageAssets = regexp.MustCompile(`(?:src|href)="(/(?:console/)?static/[^"]+)"`)

// pageWeight is the gzipped bytes a browser fetches for path: the page and
// the scripts and stylesheets it names.
func pageWeight(b *testing.B, c *http.Client, base, path string) int {
	get := func(p string) ([]byte, int) {
		req, _ := http.NewRequest("GET", base+p, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("Accept", "text/html")
		resp, err := http.DefaultTransport.RoundTrip(withCookies(c, req))
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			b.Fatalf("GET %s = %s", p, resp.Status)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			return raw, gzipLen(raw)
		}
		zr, err := gzip.NewReader(strings.NewReader(string(raw)))
		if err != nil {
			b.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		return plain, len(raw)
	}
	html, n := get(path)
	for _, m := range pageAssets.FindAllStringSubmatch(string(html), -1) {
		_, k := get(m[1])
		n += k
	}
	return n
}

func withCookies(c *http.Client, r *http.Request) *http.Request {
	if c.Jar != nil {
		for _, ck := range c.Jar.Cookies(r.URL) {
			r.AddCookie(ck)
		}
	}
	return r
}

// gzipLen is what a body sent uncompressed would weigh gzipped (the
// server compresses what it chooses to; this keeps the weights comparable).
func gzipLen(b []byte) int {
	var w countWriter
	zw, _ := gzip.NewWriterLevel(&w, gzip.DefaultCompression)
	zw.Write(b)
	zw.Close()
	return int(w)
}

type countWriter int

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }
