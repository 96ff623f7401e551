package web

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tracegate/internal/browsertest"
	"tracegate/label"
)

// The browser harness lives in internal/browsertest; these are its names in
// this package's tests.
var (
	chromiumPath   = browsertest.ChromiumPath
	openPage       = browsertest.OpenPage
	pageTexts      = browsertest.Texts
	pageScreenshot = browsertest.Screenshot
	saveArtifact   = browsertest.SaveArtifact
	checkPNG       = browsertest.PNGSize
	browse         = browsertest.Browse
)

func evaluate[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	return browsertest.Evaluate[T](t, tab, expr)
}

// serveScanPage serves pg with status at its Path on a loopback server and
// returns the page's URL.
func serveScanPage(t *testing.T, status int, pg *scanPage) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != pg.Path {
			http.NotFound(w, r)
			return
		}
		if err := writeScanPage(w, status, pg); err != nil {
			t.Errorf("writeScanPage: %v", err)
		}
	}))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + pg.Path
}

// TestScanPageInBrowser opens the fixture's scan page as a consumer on an
// iPhone 12 (390×844) and checks what a consumer sees: the 21 items, each on
// screen in full, the verdict and the recall, no sideways scrolling, text of
// at least 16 px, and the verify command completed with the page's own address
// by the page's script; then the unknown-code page.
func TestScanPageInBrowser(t *testing.T) {
	const width, height = 390, 844
	pg := scanFixturePage(t, label.Anonymous(), "zh")
	url := serveScanPage(t, http.StatusOK, pg)
	tab := openPage(t, url, width, height)

	texts := pageTexts(t, tab, "[id^=item-]")
	if len(texts) != label.ItemCount {
		t.Fatalf("%d elements [id^=item-], want %d", len(texts), label.ItemCount)
	}
	for i, text := range texts {
		want := pg.View.Items[i]
		if text == "" {
			t.Errorf("item %d is not visible", i+1)
			continue
		}
		if !strings.Contains(text, want.Label) || !strings.Contains(text, want.Value) {
			t.Errorf("item %d shows %q, want its label %q and value %q", i+1, text, want.Label, want.Value)
		}
	}
	ids := evaluate[[]string](t, tab, `Array.from(document.querySelectorAll("[id^=item-]"), e => e.id)`)
	for i, id := range ids {
		if id != "item-"+strconv.Itoa(i+1) {
			t.Errorf("element %d has id %q, want item-%d", i+1, id, i+1)
		}
	}

	// every item lies within the screen's width
	type box struct{ Left, Right float64 }
	for i, b := range evaluate[[]box](t, tab, `Array.from(document.querySelectorAll("[id^=item-]"), e => {
		const r = e.getBoundingClientRect(); return {left: r.left, right: r.right};
	})`) {
		if b.Left < 0 || b.Right > width {
			t.Errorf("item %d spans %.0f–%.0f px, off a %d px screen", i+1, b.Left, b.Right, width)
		}
	}
	metrics := evaluate[map[string]float64](t, tab, `({scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth, bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
		valueFont: parseFloat(getComputedStyle(document.querySelector("#item-1 .v")).fontSize)})`)
	if metrics["innerWidth"] != width {
		t.Errorf("window.innerWidth = %v, want %d (viewport meta missing?)", metrics["innerWidth"], width)
	}
	if metrics["scrollWidth"] > metrics["innerWidth"] {
		t.Errorf("page scrolls sideways: scrollWidth %v > innerWidth %v", metrics["scrollWidth"], metrics["innerWidth"])
	}
	if metrics["bodyFont"] < 16 || metrics["valueFont"] < 16 {
		t.Errorf("text too small on a phone: body %vpx, item value %vpx, want ≥ 16px", metrics["bodyFont"], metrics["valueFont"])
	}

	// a recall is in force: it is the page's heading, the verdict secondary;
	// the ledger's details are folded until the consumer opens them
	if !evaluate[bool](t, tab, `(() => { const s = document.querySelector("#verify summary"); s.click(); return s.parentElement.open; })()`) {
		t.Fatalf("the verify details did not open on a click of their summary")
	}
	for sel, want := range map[string]string{
		"h1":                        "召回",
		"#verdict":                  "正品验证通过",
		".notice-recall":            "批次 L2601 因标签错误被召回",
		".notice-recall .action":    "停止食用或使用",
		"#verify .plain":            "任何人都无法悄悄改动",
		".timeline li:nth-child(8)": "签收",
		"#verify .cmd":              "tracegate verify --vkey '" + scanFixtureVKey + "' --label " + pg.View.Code + " " + url + "/proof",
	} {
		got := pageTexts(t, tab, sel)
		if len(got) == 0 || !strings.Contains(got[0], want) {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}

	shot := pageScreenshot(t, tab)
	if w, h := checkPNG(t, shot); w != 2*width || h <= 2*height {
		t.Errorf("screenshot is %d×%d px, want %d wide and taller than one screen", w, h, 2*width)
	}
	saveArtifact(t, "scan-page-390x844.png", shot)

	// the unknown-code page, in the same tab
	unknown := serveScanPage(t, http.StatusNotFound, &scanPage{Lang: "zh", Path: "/l/0000"})
	if err := chromedp.Do(tab, chromedp.Navigate(unknown)); err != nil {
		t.Fatalf("open %s: %v", unknown, err)
	}
	if got := pageTexts(t, tab, "h1"); len(got) != 1 || got[0] != "这不是 tracegate 发放的正品码" {
		t.Errorf("unknown-code page h1 = %q", got)
	}
	if n := evaluate[int](t, tab, `document.documentElement.scrollWidth - window.innerWidth`); n > 0 {
		t.Errorf("unknown-code page scrolls sideways by %d px", n)
	}
	saveArtifact(t, "scan-page-unknown-390x844.png", pageScreenshot(t, tab))
}

// TestBrowseDesktop opens the English page of a regulator, with its order
// block, on a desktop screen through browse.
func TestBrowseDesktop(t *testing.T) {
	pg := scanFixturePage(t, label.Regulator(), "en")
	texts, shot := browse(t, serveScanPage(t, http.StatusOK, pg), 1280, 800, "[id^=item-], .restricted h2")
	if len(texts) != label.ItemCount+1 {
		t.Fatalf("browse found %d elements, want %d items and the restricted heading", len(texts), label.ItemCount+1)
	}
	if texts[0] == "" || !strings.Contains(texts[0], "Product name") || texts[label.ItemCount] != "Order information (authorised viewers only)" {
		t.Errorf("browse texts = %q…%q", texts[0], texts[label.ItemCount])
	}
	if w, _ := checkPNG(t, shot); w > 1280 || w < 1280-20 { // less a desktop scroll bar
		t.Errorf("desktop screenshot is %d px wide, want 1280 less a scroll bar", w)
	}
	saveArtifact(t, "scan-page-1280x800-en.png", shot)
}
