package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tracegate/label"
)

// TestRateLimitedLookupsAnswerAlike: once a network is over its lookup
// limit, a genuine code answers exactly as an unknown one does — on the
// page, its proof and its complaint form — so the 429 is no oracle
// (issue 11, finding 14). Every lookup counts, known or not.
func TestRateLimitedLookupsAnswerAlike(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s) // UnknownCodeLimit: 5
		codes := f.boundLabels(t, "9421902960031", 1, true)
		f.publish(t)
		unknown, _ := label.NewCode()
		const attacker = "203.0.113.50:4000"
		for i := range 6 {
			if w := f.scanFrom("/l/"+unknown.Compact(), attacker, "application/json"); w.Code != http.StatusNotFound && i < 5 || i == 5 && w.Code != http.StatusTooManyRequests {
				t.Fatalf("unknown code %d = %d", i, w.Code)
			}
		}
		other, _ := label.NewCode()
		norm := func(w *httptest.ResponseRecorder, code string) string {
			b := strings.ReplaceAll(w.Body.String(), code, "CODE")
			var p Problem
			if json.Unmarshal([]byte(b), &p) == nil && p.RequestID != "" {
				b = strings.ReplaceAll(b, p.RequestID, "ID")
			}
			return fmt.Sprintf("%d %s %v|%s", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Retry-After") != "", b)
		}
		for _, tc := range []struct{ name, suffix, method, accept string }{
			{"page json", "", "GET", "application/json"},
			{"page html", "", "GET", "text/html"},
			{"proof", "/proof", "GET", ""},
			{"complaint", "/complaints", "POST", "application/json"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ask := func(code string) *httptest.ResponseRecorder {
					var req *http.Request
					if tc.method == "POST" {
						req = httptest.NewRequest("POST", "/l/"+code+tc.suffix, strings.NewReader("category=quality&text=x"))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					} else {
						req = httptest.NewRequest("GET", "/l/"+code+tc.suffix, nil)
					}
					req.RemoteAddr = attacker
					req.Header.Set("Accept", tc.accept)
					w := httptest.NewRecorder()
					f.srv.ServeHTTP(w, req)
					return w
				}
				known, unk := ask(codes[0]), ask(other.Compact())
				if known.Code != http.StatusTooManyRequests || norm(known, codes[0]) != norm(unk, other.Compact()) {
					t.Fatalf("rate-limited lookups differ:\n known   %s\n unknown %s", norm(known, codes[0]), norm(unk, other.Compact()))
				}
			})
		}
		// Another network is not affected.
		if w := f.scanFrom("/l/"+codes[0], "198.51.100.1:4000", "application/json"); w.Code != http.StatusOK {
			t.Fatalf("scan from another network = %d", w.Code)
		}
	})
}

// TestLookupsLimitedPerNetwork: genuine codes count toward the network's
// lookup limit too (ScanNetworkLimit).
func TestLookupsLimitedPerNetwork(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		f.srv = New(Config{Store: s, Ledger: f.ledger.web, Labels: f.labels, Customs: f.customs, ScanNetworkLimit: 8})
		codes := f.boundLabels(t, "9421902960031", 1, true)
		for i := range 8 {
			if w := f.scanFrom("/l/"+codes[0], "203.0.113.60:1", "application/json"); w.Code != http.StatusOK {
				t.Fatalf("lookup %d = %d", i, w.Code)
			}
		}
		if w := f.scanFrom("/l/"+codes[0], "203.0.113.61:1", "application/json"); w.Code != http.StatusTooManyRequests {
			t.Fatalf("9th lookup from the network = %d; want 429", w.Code)
		}
	})
}

// TestScannerPositionsDoNotConvict: two anonymous scans claiming Guangzhou
// and New York do not make a genuine code a suspected copy, nor does a
// flood of scans from many networks (issue 11, finding 7).
func TestScannerPositionsDoNotConvict(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		codes := f.boundLabels(t, "9421902960031", 2, true)
		view := func(w *httptest.ResponseRecorder) label.ScanView {
			t.Helper()
			var v label.ScanView
			if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &v) != nil {
				t.Fatalf("scan = %d %s", w.Code, w.Body)
			}
			return v
		}
		f.scanFrom("/l/"+codes[0]+"?lat=23.13&lon=113.26", "203.0.113.7:1", "application/json")
		v := view(f.scanFrom("/l/"+codes[0]+"?lat=40.71&lon=-74.01", "198.51.100.7:1", "application/json"))
		if v.Authenticity.Status != label.AuthGenuine || len(v.Authenticity.Signals) == 0 {
			t.Fatalf("after Guangzhou and New York: %+v; want genuine with the travel noted as a signal", v.Authenticity)
		}
		// A flood: 40 lookups from 40 networks within a minute, half of
		// them claiming far-away places.
		for i := range 40 {
			pos := "?lat=23.13&lon=113.26"
			if i%2 == 1 {
				pos = "?lat=40.71&lon=-74.01"
			}
			v = view(f.scanFrom("/l/"+codes[1]+pos, fmt.Sprintf("10.%d.%d.1:1", i/200, i%200), "application/json"))
		}
		if v.Authenticity.Status != label.AuthGenuine || v.Authenticity.ScanCount > defaultScanCodeLimit {
			t.Fatalf("after a flood of scans: %+v; want genuine, at most %d scans recorded", v.Authenticity, defaultScanCodeLimit)
		}
	})
}
