package web

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tracegate/store/sqlite"
)

// TestHomePageInBrowser opens the home page on a phone (390×844): the code
// box is on screen with its label, nothing scrolls sideways, the camera
// button shows only where the browser has BarcodeDetector, and a code typed
// with spaces in lower case lands on its scan page. An unknown path gives the
// HTML error page. Screenshots of both go to the artifacts.
func TestHomePageInBrowser(t *testing.T) {
	if chromiumPath() == "" {
		t.Skip("no chromium binary: install Debian's chromium to run the browser tests")
	}
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "home.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := newFixture(t, s)
	base := "http://" + serveLoopback(t, f.srv)

	tab := openPage(t, base+"/", 390, 844)
	if n := evaluate[int](t, tab, `document.documentElement.scrollWidth - window.innerWidth`); n > 0 {
		t.Errorf("home page scrolls sideways by %d px", n)
	}
	if got := pageTexts(t, tab, `label[for=code]`); len(got) != 1 || got[0] == "" {
		t.Errorf("code box label = %q, want it shown", got)
	}
	if top := evaluate[float64](t, tab, `document.getElementById("code").getBoundingClientRect().bottom`); top > 844 {
		t.Errorf("the code box is below the first screen (bottom at %.0f px)", top)
	}
	detector := evaluate[bool](t, tab, `"BarcodeDetector" in window && !!navigator.mediaDevices`)
	if shown := pageTexts(t, tab, `#scan-start`); (len(shown) == 1 && shown[0] != "") != detector {
		t.Errorf("camera button shown %q with BarcodeDetector %v", shown, detector)
	}
	saveArtifact(t, "home-390x844.png", pageScreenshot(t, tab))

	evaluate[bool](t, tab, `document.getElementById("code").value = "crnq q3nj 18mp rs1a shcp s"; document.querySelector("button[type=submit]").click(); true`)
	path := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if path = evaluate[string](t, tab, `location.pathname`); strings.HasPrefix(path, "/l/") {
			break
		}
	}
	if path != "/l/CRNQQ3NJ18MPRS1ASHCPS" {
		t.Errorf("after typing the code the page is %q, want its scan page", path)
	}

	if err := chromedp.Do(tab, chromedp.Navigate(base+"/nope")); err != nil {
		t.Fatal(err)
	}
	if got := pageTexts(t, tab, "h1"); len(got) != 1 || got[0] != "未找到" {
		t.Errorf("error page h1 = %q, want 未找到", got)
	}
	if n := evaluate[int](t, tab, `document.documentElement.scrollWidth - window.innerWidth`); n > 0 {
		t.Errorf("error page scrolls sideways by %d px", n)
	}
	saveArtifact(t, "error-404-390x844.png", pageScreenshot(t, tab))
}
