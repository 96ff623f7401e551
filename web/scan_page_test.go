package web

import (
	"encoding/hex"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
)

// scanFixtureCode is a well-formed code (its check symbol holds).
const scanFixtureCode = "04HMASW9NF6YY07HWB9WD"

// scanFixturePath is the page's own path for scanFixtureCode.
const scanFixturePath = "/l/" + scanFixtureCode

// scanFixtureVKey is a verifier key in note form, for the verify section.
const scanFixtureVKey = "tracegate.example/ledger+a1b2c3d4+AUvkeyForTheScanPageTestOnlyxxxxxxxxxxxxxxxxxx="

// The buyer's personal data, which an anonymous page must never show.
var scanFixtureBuyer = label.Buyer{Name: "张小明", IDNumber: "440101199001011234", Phone: "13812345678",
	Address: "广州市天河区体育西路1号"}

// scanFixtureInput is an item with every fact recorded, all eight steps of
// its journey, a recall and a risk notice, and two earlier consumer scans:
// a tin of Australian milk powder through Guangzhou Baiyun airport.
func scanFixtureInput(t testing.TB) label.ScanInput {
	t.Helper()
	code, err := label.ParseCode(scanFixtureCode)
	if err != nil {
		t.Fatalf("ParseCode(%q): %v", scanFixtureCode, err)
	}
	d := func(m time.Month, day, hour int) time.Time { return time.Date(2026, m, day, hour, 30, 0, 0, time.UTC) }
	ev := func(step, disp, loc string, at time.Time) epcis.Event {
		return epcis.Event{Type: epcis.ObjectEvent, EventTime: at, BizStep: epcis.NSCBV + "BizStep-" + step,
			Disposition: disp, BizLocation: &epcis.Location{ID: loc}}
	}
	return label.ScanInput{
		Code:  code,
		Label: label.LabelRecord{IssuedTo: 101, IssuedAt: d(1, 2, 1), BoundAt: d(3, 10, 2)},
		Product: &tracegate.Product{GTIN: "09300000000017", OwnerID: 101, Name: "a2 Platinum Infant Formula",
			NameZH: "a2 白金版婴儿配方奶粉", Brand: "a2", Specification: "900 g", HSCode: "19011010",
			OriginCountry: "AU", Manufacturer: "Synlait Milk Ltd", FilingNumber: "GZ2026-000123"},
		Intake: &label.Intake{Batch: "L2601", ProductionDate: d(1, 5, 0), ExpiryDate: d(12, 31, 0).AddDate(1, 0, 0),
			Warehouse: label.Party{ID: 102, Name: "白云机场综保区保税仓"}, At: d(3, 10, 2)},
		Dispatch: &label.Dispatch{OrderNo: "ORD20260401001", WaybillNo: "SF1234567890123",
			Logistics: label.Party{ID: 103, Name: "顺丰速运"}, Platform: label.Party{ID: 104, Name: "天猫国际"},
			Ecommerce: label.Party{ID: 101, Name: "澳优跨境贸易有限公司"}, Importer: label.Party{Name: "广州进口代理有限公司"},
			DeclaredAt: d(4, 1, 3), InventoryNo: "5141202600012345", DepartureCountry: "AU", TransportMode: "5",
			PortOfEntry: "广州白云机场", DispatchedAt: d(4, 2, 6), Buyer: scanFixtureBuyer},
		Events: []epcis.Event{
			ev("commissioning", "", "loc:factory", d(1, 5, 0)),
			ev("departing", "", "loc:syd", d(2, 20, 10)),
			ev("arriving", "", "loc:can", d(2, 21, 4)),
			ev("inspecting", epcis.NSCBV+"Disp-conformant", "loc:can", d(2, 22, 5)),
			ev("receiving", "", "loc:wh", d(3, 10, 2)),
			{Type: epcis.ObjectEvent, EventTime: d(4, 2, 5), BizStep: label.BizStepCustomsRelease,
				BizLocation: &epcis.Location{ID: "loc:wh"}},
			ev("shipping", "", "loc:wh", d(4, 2, 6)),
			ev("receiving", "", "loc:home", d(4, 4, 8)),
		},
		Places: map[string]label.Place{"loc:factory": {Name: "Camden, NSW"},
			"loc:syd":  {Name: "悉尼机场", NameEN: "Sydney Airport"},
			"loc:can":  {Name: "广州白云机场", NameEN: "Guangzhou Baiyun Airport"},
			"loc:wh":   {Name: "白云综保区", NameEN: "Baiyun Bonded Zone"},
			"loc:home": {Name: "广州市天河区", NameEN: "Tianhe, Guangzhou"}},
		Notices: []label.Notice{
			{Kind: label.NoticeRiskNotice, Text: "请注意冲泡水温不超过 70℃", TextEN: "Do not prepare with water above 70 °C", Since: d(5, 1, 0)},
			{Kind: label.NoticeRecall, Text: "批次 L2601 因标签错误被召回，请停止食用并联系商家退货。",
				TextEN: "Batch L2601 is recalled for a labelling error: stop using it and return it to the seller.", Since: d(5, 2, 0)},
		},
		Scans: []label.Scan{
			{At: d(4, 5, 1), Place: "广州", Device: label.DevicePhone},
			{At: d(4, 20, 11), Place: "广州", Device: label.DevicePhone},
			{At: d(5, 30, 12), Place: "广州", Device: label.DevicePhone},
		},
		Proof: &label.Proof{Status: label.ProofIncluded, LogOrigin: "tracegate.example/ledger", LeafIndex: 7, TreeSize: 9},
	}
}

var scanFixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// scanFixturePage is the fixture's page as viewer sees it in lang.
func scanFixturePage(t testing.TB, viewer label.Viewer, lang string) *scanPage {
	t.Helper()
	v := label.BuildScanView(scanFixtureInput(t), viewer, lang, scanFixtureNow)
	return &scanPage{View: &v, Lang: lang, Path: scanFixturePath, LogOrigin: "tracegate.example/ledger", VKey: scanFixtureVKey}
}

// renderScanPage renders pg with status and returns the response.
func renderScanPage(t testing.TB, status int, pg *scanPage) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	if err := writeScanPage(w, status, pg); err != nil {
		t.Fatalf("writeScanPage: %v", err)
	}
	if w.Code != status {
		t.Fatalf("writeScanPage status = %d, want %d", w.Code, status)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/html; charset=utf-8", ct)
	}
	return w
}

// checkSelfContained fails when page loads anything from elsewhere or runs
// a script from a file.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	if !strings.HasPrefix(page, "<!doctype html>") || !strings.HasSuffix(strings.TrimSpace(page), "</html>") {
		t.Errorf("not a complete HTML document: %.40q … %.20q", page, page[max(0, len(page)-20):])
	}
	if n := len(page); n >= 100<<10 {
		t.Errorf("page is %d bytes, want under 100 KB", n)
	}
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script src", "<link", "@import", "url(", "<iframe", "<img", "@font-face"} {
		if strings.Contains(lower, bad) {
			t.Errorf("page contains %q: it must load nothing", bad)
		}
	}
	// links to other sites are fine; loading from one is not
	if m := regexp.MustCompile(`(?i)\b(src|srcset|poster|data|action)\s*=\s*["']?(https?:)?//`).FindString(page); m != "" {
		t.Errorf("page loads an external resource: %q", m)
	}
	if !strings.Contains(page, `name="viewport" content="width=device-width, initial-scale=1"`) {
		t.Errorf("page has no viewport meta")
	}
}

func TestScanPageFull(t *testing.T) {
	for _, tc := range []struct {
		lang, htmlLang string
		labels         map[int]string // item number -> label
		values         []string       // shown somewhere on the page
		switchHref     string
		switchText     string
		notice         string
		verify         []string
	}{
		{"zh", "zh-CN", map[int]string{1: "商品名称", 5: "原产国/地区", 19: "检验检疫结果", 21: "物流企业/运单号"},
			[]string{"正品验证通过", "a2 白金版婴儿配方奶粉（a2 Platinum Infant Formula）", "澳大利亚 (AU)", "航空运输",
				"3 次（含本次）", "2026-04-05 09:30 · 广州", "21 项溯源信息", "流通轨迹"},
			scanFixturePath + "?lang=en", "English", "批次 L2601 因标签错误被召回", []string{"验证 Verify", "已收录于签名日志"}},
		{"en", "en", map[int]string{1: "Product name", 5: "Country of origin", 19: "Inspection and quarantine result",
			21: "Logistics firm and waybill number"},
			[]string{"Genuine product code", "a2 Platinum Infant Formula (a2 白金版婴儿配方奶粉)", "Australia (AU)", "Air",
				"3 (this one included)", "21 traceability facts", "Journey"},
			scanFixturePath, "中文", "Batch L2601 is recalled for a labelling error", []string{"Verify 验证", "Included in the signed log"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			pg := scanFixturePage(t, label.Anonymous(), tc.lang)
			w := renderScanPage(t, http.StatusOK, pg)
			page := w.Body.String()
			checkSelfContained(t, page)
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if !strings.Contains(page, `<html lang="`+tc.htmlLang+`">`) {
				t.Errorf("page has no <html lang=%q>", tc.htmlLang)
			}

			// the 21 items, in order, each with its label and value
			items := regexp.MustCompile(`<li id="item-(\d+)"( class="muted")?><span class="n" aria-hidden="true">\d+</span><span class="k">([^<]*)</span><span class="v">([^<]*)</span></li>`).FindAllStringSubmatch(page, -1)
			if len(items) != label.ItemCount {
				t.Fatalf("page has %d items, want %d", len(items), label.ItemCount)
			}
			for i, m := range items {
				want := pg.View.Items[i]
				if m[1] != strconv.Itoa(i+1) {
					t.Errorf("item %d has id item-%s", i+1, m[1])
				}
				if m[3] != want.Label || html.UnescapeString(m[4]) != want.Value {
					t.Errorf("item %d = %q: %q, want %q: %q", i+1, m[3], m[4], want.Label, want.Value)
				}
				if l, ok := tc.labels[i+1]; ok && m[3] != l {
					t.Errorf("item %d label = %q, want %q", i+1, m[3], l)
				}
				if (m[2] != "") == want.Recorded {
					t.Errorf("item %d muted = %v, recorded = %v", i+1, m[2] != "", want.Recorded)
				}
			}
			for _, s := range tc.values {
				if !strings.Contains(page, s) {
					t.Errorf("page does not show %q", s)
				}
			}

			// a recall is in force: the notices come first (recall first, in
			// red, its title the page's heading), then the verdict, secondary,
			// then the items
			banner := strings.Index(page, `class="auth auth-genuine" data-rank="secondary"`)
			recall := strings.Index(page, `<div class="notice notice-recall" role="alert">`)
			risk := strings.Index(page, `<div class="notice notice-risk" role="alert">`)
			first := strings.Index(page, `id="item-1"`)
			timeline := strings.Index(page, `class="timeline"`)
			verify := strings.Index(page, `id="verify"`)
			form := strings.Index(page, `<form `)
			if !strings.Contains(page[recall:], `<h1 class="title">`) || strings.Index(page, "<h1") < recall {
				t.Errorf("the recall's title is not the page's first heading")
			}
			if recall < 0 || risk < recall || banner < risk || first < banner || timeline < first || verify < timeline || form < verify {
				t.Errorf("sections out of order: banner %d, recall %d, risk %d, items %d, timeline %d, verify %d, form %d",
					banner, recall, risk, first, timeline, verify, form)
			}
			if !strings.Contains(page[recall:], tc.notice) {
				t.Errorf("recall notice %q not shown", tc.notice)
			}

			// the timeline: eight steps, all recorded, in China time
			steps := regexp.MustCompile(`<li><span class="dot" aria-hidden="true"></span><div class="step">([^<]*)</div>\s*<div class="meta"><time>([^<]*)</time>`).FindAllStringSubmatch(page, -1)
			if len(steps) != 8 {
				t.Fatalf("timeline has %d recorded steps, want 8", len(steps))
			}
			for i, m := range steps {
				if m[1] != pg.View.Timeline[i].Label {
					t.Errorf("step %d = %q, want %q", i+1, m[1], pg.View.Timeline[i].Label)
				}
			}
			if steps[0][2] != "2026-01-05 08:30" { // 00:30 UTC
				t.Errorf("manufacture at %q, want 2026-01-05 08:30 (UTC+8)", steps[0][2])
			}

			// the language switch
			if !strings.Contains(page, `href="`+tc.switchHref+`"`) || !strings.Contains(page, tc.switchText+"</a>") {
				t.Errorf("no switch link %q (%s)", tc.switchHref, tc.switchText)
			}

			// verify: commitment, leaf, tree, origin, proof link, command
			c, _ := label.ParseCode(scanFixtureCode)
			sum := c.Commitment()
			commitment := pg.View.Proof.Commitment
			if want := hex.EncodeToString(sum[:]); commitment != want {
				t.Fatalf("fixture commitment = %q, want %q", commitment, want)
			}
			for _, s := range append(tc.verify, commitment, ">7</dd>", ">9</dd>", ">tracegate.example/ledger</dd>",
				`<a href="`+scanFixturePath+`/proof">`,
				"</span>/proof</code></pre>", "SHA-256") {
				if !strings.Contains(page[verify:], s) {
					t.Errorf("verify section does not show %q", s)
				}
			}
			cmd := regexp.MustCompile(`<pre class="cmd"><code>(.*)</code></pre>`).FindStringSubmatch(page)
			text := ""
			if cmd != nil {
				text = html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(cmd[1], ""))
			}
			if want := "tracegate verify --vkey '" + scanFixtureVKey + "' --label 04HM-ASW9-NF6Y-Y07H-WB9W-D " +
				map[string]string{"zh": "<本页地址>", "en": "<page URL>"}[tc.lang] + "/proof"; text != want {
				t.Errorf("verify command = %q, want %q", text, want)
			}

			// the complaint form
			for _, s := range []string{
				`<form method="post" action="` + scanFixturePath + `/complaints" enctype="multipart/form-data">`,
				`<input type="hidden" name="lang" value="` + tc.lang + `">`,
				`<select id="c-category" name="category">`,
				`<option value="quality" selected>`, `<option value="counterfeit">`, `<option value="label">`,
				`<option value="expired">`, `<option value="other">`,
				`<textarea id="c-text" name="text" required maxlength="1000"`,
				`<input id="c-contact" name="contact" type="text"`,
				`<input id="c-photo" name="photo" type="file" accept="image/jpeg,image/png">`,
				`<button type="submit">`, "2 MB",
			} {
				if !strings.Contains(page[form:], s) {
					t.Errorf("complaint form lacks %q", s)
				}
			}
			if strings.Contains(page, `class="thanks"`) {
				t.Errorf("thank-you shown without a complaint")
			}
		})
	}
}

func TestScanPageTiers(t *testing.T) {
	secrets := []string{scanFixtureBuyer.Name, scanFixtureBuyer.IDNumber, scanFixtureBuyer.Phone, "体育西路",
		"SF1234567890123", "ORD20260401001", "5141202600012345"}
	for _, lang := range []string{"zh", "en"} {
		page := renderScanPage(t, http.StatusOK, scanFixturePage(t, label.Anonymous(), lang)).Body.String()
		for _, s := range secrets {
			if strings.Contains(page, s) {
				t.Errorf("anonymous %s page shows %q", lang, s)
			}
		}
		for _, s := range []string{"订单信息（仅授权查看）", "Order information"} {
			if strings.Contains(page, s) {
				t.Errorf("anonymous %s page has the restricted block %q", lang, s)
			}
		}
		if !strings.Contains(page, "SF*********0123") {
			t.Errorf("anonymous %s page does not show the masked waybill", lang)
		}
	}

	page := renderScanPage(t, http.StatusOK, scanFixturePage(t, label.Regulator(), "zh")).Body.String()
	block := strings.Index(page, "订单信息（仅授权查看）")
	verify := strings.Index(page, `id="verify"`)
	if block < 0 || verify < block || block < strings.Index(page, `class="timeline"`) {
		t.Fatalf("regulator page: restricted block at %d, want between the timeline and verify (%d)", block, verify)
	}
	for _, s := range []string{"<dt>订单号</dt><dd class=\"mono\">ORD20260401001</dd>", "SF1234567890123",
		"5141202600012345", "<dt>收货人</dt><dd>张小明</dd>", "440101199001011234", "13812345678", "广州市天河区体育西路1号"} {
		if !strings.Contains(page[block:verify], s) {
			t.Errorf("regulator's restricted block lacks %q", s)
		}
	}
}

func TestScanPageStates(t *testing.T) {
	t.Run("complaint sent", func(t *testing.T) {
		for lang, want := range map[string]string{"zh": "感谢您的反馈", "en": "Thank you for your report"} {
			pg := scanFixturePage(t, label.Anonymous(), lang)
			pg.Complaint = "sent"
			page := renderScanPage(t, http.StatusOK, pg).Body.String()
			thanks := strings.Index(page, `<p class="thanks" role="status">`+want)
			if thanks < 0 || thanks > strings.Index(page, `class="auth `) {
				t.Errorf("%s: thank-you %q not shown before the verdict", lang, want)
			}
		}
	})
	t.Run("suspected copy", func(t *testing.T) {
		in := scanFixtureInput(t)
		for i := range 30 {
			in.Scans = append(in.Scans, label.Scan{At: scanFixtureNow.Add(-time.Duration(i+1) * time.Hour), Device: label.DevicePhone})
		}
		v := label.BuildScanView(in, label.Anonymous(), "zh", scanFixtureNow)
		page := renderScanPage(t, http.StatusOK, &scanPage{View: &v, Lang: "zh", Path: scanFixturePath}).Body.String()
		if !strings.Contains(page, `class="auth auth-suspected"`) || !strings.Contains(page, "警告：疑似仿冒") ||
			!strings.Contains(page, v.Authenticity.Message) {
			t.Errorf("suspected copy not shown as such (status %s)", v.Authenticity.Status)
		}
	})
	t.Run("proof pending", func(t *testing.T) {
		in := scanFixtureInput(t)
		in.Proof = &label.Proof{Status: label.ProofPending}
		v := label.BuildScanView(in, label.Anonymous(), "zh", scanFixtureNow)
		page := renderScanPage(t, http.StatusOK, &scanPage{View: &v, Lang: "zh", Path: scanFixturePath, VKey: scanFixtureVKey}).Body.String()
		verify := page[strings.Index(page, `id="verify"`):]
		for _, s := range []string{"已提交，等待下一次签名", v.Proof.Commitment, "下一次日志签名后"} {
			if !strings.Contains(verify, s) {
				t.Errorf("pending proof: verify section lacks %q", s)
			}
		}
		if strings.Contains(verify, "/proof") || strings.Contains(verify, "tracegate verify") || strings.Contains(verify, "账本条目序号") {
			t.Errorf("pending proof: offers a proof or a leaf index before there is a checkpoint")
		}
	})
	t.Run("unbound, nothing recorded", func(t *testing.T) {
		c, _ := label.ParseCode(scanFixtureCode)
		v := label.BuildScanView(label.ScanInput{Code: c}, label.Anonymous(), "en", scanFixtureNow)
		page := renderScanPage(t, http.StatusOK, &scanPage{View: &v, Lang: "en", Path: scanFixturePath}).Body.String()
		checkSelfContained(t, page)
		if !strings.Contains(page, `class="auth auth-unbound"`) || !strings.Contains(page, v.Authenticity.MessageEN) {
			t.Errorf("unbound code not shown as such")
		}
		if n := strings.Count(page, `class="muted"><span class="n"`); n != label.ItemCount {
			t.Errorf("%d muted items, want %d", n, label.ItemCount)
		}
		if n := strings.Count(page, "not recorded"); n < label.ItemCount+8 {
			t.Errorf(`"not recorded" %d times, want every item and step`, n)
		}
		if !strings.Contains(page, "No ledger entry") || strings.Contains(page, "tracegate verify") {
			t.Errorf("a code without a ledger entry offers a proof")
		}
		if strings.Contains(page, `class="notice`) {
			t.Errorf("notices shown where there are none")
		}
	})
}

func TestScanPageUnknown(t *testing.T) {
	for _, tc := range []struct {
		status     int
		lang       string
		want       []string
		form       bool
		switchHref string
	}{
		{http.StatusNotFound, "zh", []string{"这不是 tracegate 发放的正品码", "请勿购买", "12315", `<html lang="zh-CN">`}, true, "/l/ZZZ?lang=en"},
		{http.StatusNotFound, "en", []string{"This is not a genuine tracegate code", "do not buy", "12315", `<html lang="en">`}, true, "/l/ZZZ"},
		{http.StatusTooManyRequests, "zh", []string{"查询过于频繁", "请稍后再试"}, false, "/l/ZZZ?lang=en"},
		{http.StatusTooManyRequests, "en", []string{"Too many lookups", "try again later"}, false, "/l/ZZZ"},
	} {
		t.Run(strconv.Itoa(tc.status)+"/"+tc.lang, func(t *testing.T) {
			page := renderScanPage(t, tc.status, &scanPage{Lang: tc.lang, Path: "/l/ZZZ"}).Body.String()
			checkSelfContained(t, page)
			for _, s := range tc.want {
				if !strings.Contains(page, s) {
					t.Errorf("page does not say %q", s)
				}
			}
			if !strings.Contains(page, `href="`+tc.switchHref+`"`) {
				t.Errorf("no language switch to %q", tc.switchHref)
			}
			// nothing about what a valid code looks like, nor any item
			for _, s := range []string{"21", "base32", "Crockford", "digit", "位", "字符", "item-", "verify", "正品验证通过"} {
				if strings.Contains(page, s) {
					t.Errorf("unknown-code page contains %q", s)
				}
			}
			if tooMany := strings.Contains(page, "频繁") || strings.Contains(page, "Too many"); tooMany != (tc.status == http.StatusTooManyRequests) {
				t.Errorf("status %d: too-many wording shown = %v", tc.status, tooMany)
			}
			form := strings.Contains(page, `<form method="post" action="/l/ZZZ/complaints"`)
			if form != tc.form {
				t.Errorf("complaint form shown = %v, want %v", form, tc.form)
			}
			if form && !strings.Contains(page, `<option value="counterfeit" selected>`) {
				t.Errorf("the unknown-code form does not preselect counterfeit")
			}
		})
	}
}
