// Package browsertest drives Debian's headless Chromium for the browser
// tests of every package (the scan page, the demo, the console): start it
// with a phone or desktop viewport, read what a person would see, take
// screenshots and save them as CI artifacts. It is imported by tests only;
// every function skips the test when no Chromium is installed.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath finds a Chromium or Chrome binary: on PATH as chromium,
// chromium-browser or google-chrome, or Debian's /usr/bin/chromium. It
// returns "" when there is none.
func ChromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// browserTimeout bounds one browser session: start, load, checks, screenshot.
const browserTimeout = 60 * time.Second

// lockedBuffer collects the browser's output, which its process writes from
// another goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// withoutDBus drops the lines of Chromium's output about the missing D-Bus,
// which a container has not.
func withoutDBus(s string) string {
	var keep []string
	for line := range strings.Lines(s) {
		if !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

// OpenPage starts headless Chromium with a fresh profile in a temporary
// directory, sets a width×height CSS pixel viewport (a phone's, with touch
// and a device scale of 2, when width is under 600) and loads url, waiting for
// its load event. It returns the tab's context; the browser is stopped when
// the test ends. It skips the test when no Chromium binary is installed, and
// fails it when the browser does not start or the page does not load.
func OpenPage(t testing.TB, url string, width, height int) context.Context {
	t.Helper()
	return OpenPageFor(t, url, width, height, browserTimeout)
}

// OpenPageFor is OpenPage for a session of several pages, bounded by
// timeout instead of a minute.
func OpenPageFor(t testing.TB, url string, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	bin := ChromiumPath()
	if bin == "" {
		t.Skip("no chromium binary (chromium, chromium-browser or google-chrome on PATH, or /usr/bin/chromium): " +
			"install Debian's chromium to run the browser tests")
	}
	out := new(lockedBuffer)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // /dev/shm is small in containers
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(out),
	)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancel()
		if t.Failed() {
			t.Logf("chromium output (D-Bus complaints left out):\n%s", withoutDBus(out.String()))
		}
	})
	view := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if width < 600 {
		view = []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch}
	}
	start := time.Now()
	if err := chromedp.Do(tab,
		chromedp.EmulateViewport(int64(width), int64(height), view...),
		chromedp.Navigate(url),
	); err != nil {
		t.Fatalf("chromium (%s): open %s at %d×%d: %v", bin, url, width, height, err)
	}
	t.Logf("chromium opened %s at %d×%d in %v", url, width, height, time.Since(start).Round(time.Millisecond))
	return tab
}

// Evaluate runs the JavaScript expression in the tab and decodes its value
// into a T; it fails the test on a script error.
func Evaluate[T any](t testing.TB, tab context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
}

// Texts returns the rendered text (innerText) of each element matching
// the CSS selector sel, in document order; an element that is not visible
// (no box, display none, visibility hidden, zero opacity) gives "".
func Texts(t testing.TB, tab context.Context, sel string) []string {
	t.Helper()
	q, _ := json.Marshal(sel)
	return Evaluate[[]string](t, tab, `Array.from(document.querySelectorAll(`+string(q)+`), e => {
		const r = e.getBoundingClientRect(), s = getComputedStyle(e);
		const shown = r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" &&
			Number(s.opacity) > 0 && (!e.checkVisibility || e.checkVisibility({opacityProperty: true, visibilityProperty: true}));
		return shown ? e.innerText.trim() : "";
	})`)
}

// Screenshot returns a PNG of the whole page, beyond the viewport.
func Screenshot(t testing.TB, tab context.Context) []byte {
	t.Helper()
	b, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return b
}

// Browse opens url in headless Chromium at width×height CSS pixels (mobile emulation for phone sizes), waits for the page to load, and returns the text of each element matching sel (e.g. "[id^=item-]") and a full-page PNG screenshot.
// An element that is not visible gives "" (see Texts). It skips the test
// when no Chromium is installed and fails it when the browser fails.
func Browse(t testing.TB, url string, width, height int, sel string) (texts []string, png []byte) {
	t.Helper()
	tab := OpenPage(t, url, width, height)
	return Texts(t, tab, sel), Screenshot(t, tab)
}

// SaveArtifact writes data to the directory named by TRACEGATE_ARTIFACTS, or
// to a temporary directory of the test, and logs and returns the path.
func SaveArtifact(t testing.TB, name string, data []byte) string {
	t.Helper()
	dir := os.Getenv("TRACEGATE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	t.Logf("saved %s (%d bytes)", path, len(data))
	return path
}

// PNGSize decodes a screenshot and returns its size in pixels.
func PNGSize(t testing.TB, b []byte) (w, h int) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	return cfg.Width, cfg.Height
}

// ScreenScreenshot returns a PNG of what the screen shows (the viewport),
// for a picture of the page's first screen.
func ScreenScreenshot(t testing.TB, tab context.Context) []byte {
	t.Helper()
	b, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return b
}
