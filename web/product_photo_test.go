package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"tracegate"
	"tracegate/label"
)

// TestProductPhoto: an enterprise sets its filing's photo; the photo is a
// filed fact (the filing goes back to the regulator), the scan page shows it
// only once the filing is approved, and /photos/{sha256} serves exactly the
// bytes of that name.
func TestProductPhoto(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		ecom, plat := f.keys[tracegate.RoleEcommerce], f.keys[tracegate.RolePlatform]
		codes := f.boundLabels(t, "9421902960031", 1, false) // filed by the e-commerce enterprise, approved
		png := "\x89PNG\r\n\x1a\n" + strings.Repeat("p", 100)
		put := func(key, ct, body string) *httptest.ResponseRecorder {
			return f.do("PUT", "/api/products/9421902960031/photo", key, ct, body)
		}
		for _, tc := range []struct {
			name, key, ct, body string
			status              int
		}{
			{"not an image type", ecom, "image/gif", "GIF89a", 415},
			{"bytes that are not a PNG", ecom, "image/png", "<svg/>", 400},
			{"too large", ecom, "image/jpeg", "\xff\xd8\xff" + strings.Repeat("j", 1<<20), 413},
			{"another enterprise's filing", plat, "image/png", png, 404},
		} {
			if w := put(tc.key, tc.ct, tc.body); w.Code != tc.status {
				t.Errorf("%s: PUT photo = %d %s, want %d", tc.name, w.Code, w.Body, tc.status)
			}
		}
		w := put(ecom, "image/png", png)
		var p tracegate.Product
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &p) != nil || len(p.PhotoSHA256) != 64 || p.Status != tracegate.FilingSubmitted {
			t.Fatalf("PUT photo = %d %s; want the filing with its photo, submitted again", w.Code, w.Body)
		}
		scan := func() label.ScanView {
			t.Helper()
			w := f.scanFrom("/l/"+codes[0], "198.51.100.9:1", "application/json")
			var v label.ScanView
			if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &v) != nil {
				t.Fatalf("scan = %d %s", w.Code, w.Body)
			}
			return v
		}
		f.srv.resolver.ForgetProducts() // the page caches filings 30 s
		if v := scan(); v.Photo != "" {
			t.Fatalf("a photo not yet approved is on the scan page: %q", v.Photo)
		}
		if w := f.do("POST", "/api/filings/"+strconv.FormatInt(p.ID, 10)+"/review", f.keys[tracegate.RoleRegulator], "application/json", `{"status":"approved"}`); w.Code != 200 {
			t.Fatalf("approve = %d %s", w.Code, w.Body)
		}
		f.srv.resolver.ForgetProducts() // the page caches filings 30 s
		v := scan()
		if v.Photo != "/photos/"+p.PhotoSHA256 {
			t.Fatalf("scan page photo = %q, want /photos/%s", v.Photo, p.PhotoSHA256)
		}
		if page := f.scanFrom("/l/"+codes[0], "198.51.100.9:1", "text/html").Body.String(); !strings.Contains(page, `<img class="product-photo" src="`+v.Photo+`"`) {
			t.Errorf("the HTML scan page does not show the photo %s", v.Photo)
		}
		w = f.do("GET", v.Photo, "", "", "")
		if w.Code != 200 || w.Body.String() != png || w.Header().Get("Content-Type") != "image/png" || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
			t.Fatalf("GET %s = %d %q %v", v.Photo, w.Code, w.Header().Get("Content-Type"), w.Header())
		}
		if w := f.do("GET", "/photos/"+strings.Repeat("0", 64), "", "", ""); w.Code != http.StatusNotFound {
			t.Fatalf("unknown photo = %d", w.Code)
		}
		if w := f.do("GET", "/photos/nope", "", "", ""); w.Code != http.StatusBadRequest {
			t.Fatalf("bad photo name = %d", w.Code)
		}
	})
}
