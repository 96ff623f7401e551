package main

import (
	"regexp"
	"strings"
	"testing"

	"tracegate/internal/browsertest"
)

// TestDemoInBrowser opens the demo's pages on a phone (390×844) as a person
// would and keeps their screenshots for CI: the home page, the delivered
// tin of formula the README shows, a recalled item (the recall first, the
// verdict secondary), and the suspected copy (every place it was seen); each
// whole and as its first screen (docs/img has the README's copies).
func TestDemoInBrowser(t *testing.T) {
	if browsertest.ChromiumPath() == "" {
		t.Skip("no chromium: install Debian's chromium to run the browser tests")
	}
	base, out, stop := startInProcess(t, nil, "demo", "--addr", "127.0.0.1:0")
	defer stop()
	page := func(story string) string {
		t.Helper()
		m := regexp.MustCompile(`(?m)` + regexp.QuoteMeta(story) + `\s+(http://\S+/l/\w{21})$`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("the demo printed no item %q:\n%s", story, out)
		}
		return m[1]
	}
	const w, h = 390, 844
	for _, tc := range []struct {
		name, url string
		want      map[string]string // CSS selector → text it shows
	}{
		{"home", base + "/", map[string]string{"body": "tracegate"}},
		{"delivered", base + "/l/CRNQQ3NJ18MPRS1ASHCPS", map[string]string{"h1": "正品验证通过", ".timeline li:nth-child(8)": "签收"}},
		{"recalled", page("已签收 / delivered，召回 / recalled"), map[string]string{"h1": "召回", ".notice-recall .action": "停止食用或使用", "#verdict": "正品验证通过"}},
		{"suspected-copy", page("疑似复制（两地扫码）/ suspected copy"), map[string]string{"h1": "疑似仿冒", ".seen": "乌鲁木齐"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := browsertest.OpenPage(t, tc.url, w, h)
			for sel, want := range tc.want {
				got := browsertest.Texts(t, tab, sel)
				if len(got) == 0 || !strings.Contains(got[0], want) {
					t.Errorf("%s shows %q, want %q", sel, got, want)
				}
			}
			shot := browsertest.Screenshot(t, tab)
			if pw, _ := browsertest.PNGSize(t, shot); pw != 2*w {
				t.Errorf("screenshot %d px wide, want %d", pw, 2*w)
			}
			browsertest.SaveArtifact(t, "demo-"+tc.name+"-390x844.png", shot)
			browsertest.SaveArtifact(t, "demo-"+tc.name+"-390x844-screen.png", browsertest.ScreenScreenshot(t, tab))
		})
	}
}
