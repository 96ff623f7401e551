package web

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"tracegate/label"
)

// scanPage is what the scan page shows.
type scanPage struct {
	View      *label.ScanView // nil for the unknown-code page
	Lang      string          // "zh" (default) or "en"
	Path      string          // the page's own path, e.g. "/l/7K3MQ9XW4HZPR2BD0TVGE" (for the language switch, the form action and the proof link)
	LogOrigin string          // the ledger's checkpoint origin line, for the verify section
	VKey      string          // the ledger's verifier key (note verifier string), for the verify section
	Complaint string          // "" or "sent": show a thank-you notice after a complaint was filed
}

// writeScanPage renders pg as a complete HTML document with the given status.
// The page is rendered into memory first, so a template error leaves the
// response untouched and is returned for the caller to log (and answer 500).
// It sets Content-Type, Content-Language and Cache-Control: no-store (the
// scan count changes on every scan); Vary is the content negotiation's
// business. With a nil View the page says the code is not genuine, or, for
// status 429, that there were too many lookups.
func writeScanPage(w http.ResponseWriter, status int, pg *scanPage) error {
	var buf bytes.Buffer
	d := newScanData(status, pg)
	if err := templates.ExecuteTemplate(&buf, "scan.html", d); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", d.HTMLLang)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// scanChinaTime is China Standard Time, in which the page shows times.
var scanChinaTime = time.FixedZone("CST", 8*3600)

// scanData is what scan.html renders: the page and every text in its
// language, worked out here so the template only lays it out.
type scanData struct {
	Page       *scanPage
	View       *label.ScanView
	T          *scanText
	HTMLLang   string // the lang attribute
	LangValue  string // the hidden lang field of the form: "zh" or "en"
	SwitchHref string // the other language's page
	TooMany    bool   // the unknown-code page for 429
	Sent       bool   // a complaint was just filed

	Auth    scanAuth
	Product string // item 1 when recorded, under the verdict
	Items   []scanItem
	Notices []scanNotice
	// Urgent is set when a recall or stop-sale is in force: the notices
	// come first, the recall's title is the page's heading, and the
	// authenticity verdict is secondary.
	Urgent     bool
	Seen       []scanPair // every time and place a suspected copy was scanned
	Timeline   []scanStep
	Restricted []scanPair
	Proof      []scanPair
	ProofState string // "included", "pending" or "none", for the CSS class
	ProofHref  string // the proof document, once the label is in a checkpoint
	ProofNote  string
	ProofPlain string // one plain sentence on the ledger for consumers
	VerifyCmd  string // the command up to the proof URL
	Categories []scanOption
}

type scanAuth struct {
	Class     string // auth-genuine, auth-suspected or auth-unbound
	Icon      string
	Title     string
	Message   string
	Scans     string // "3 次（含本次）"
	FirstScan string // time and place of the first scan, when known
}

type scanItem struct {
	N            int
	Label, Value string
	Recorded     bool
}

type scanNotice struct {
	Class, Title, Text, Since string
	Original, Action          string
}

type scanStep struct {
	Label, Time, Place, Detail, By string
	Recorded                       bool
}

type scanPair struct {
	Label, Value string
	Mono         bool // hex or numbers that should break anywhere
}

type scanOption struct {
	Value, Label string
	Selected     bool
}

// newScanData works out what the page shows.
func newScanData(status int, pg *scanPage) *scanData {
	en := pg.Lang == "en"
	d := &scanData{Page: pg, View: pg.View, T: &zhScanText, HTMLLang: "zh-CN", LangValue: "zh",
		SwitchHref: pg.Path + "?lang=en", Sent: pg.Complaint == "sent"}
	if en {
		d.T, d.HTMLLang, d.LangValue, d.SwitchHref = &enScanText, "en", "en", pg.Path
	}
	if pg.Path == "" {
		d.SwitchHref = "?lang=en"
		if en {
			d.SwitchHref = "?lang=zh"
		}
	}
	t := d.T
	for i, c := range t.Categories {
		d.Categories = append(d.Categories, scanOption{Value: scanCategories[i], Label: c})
	}
	v := pg.View
	if v == nil {
		d.TooMany = status == http.StatusTooManyRequests
		d.Categories[1].Selected = true // counterfeit
		return d
	}
	d.Categories[0].Selected = true

	a := v.Authenticity
	d.Auth = scanAuth{Class: "auth-genuine", Icon: "✓", Title: t.Genuine, Message: a.Message}
	switch a.Status {
	case label.AuthSuspected:
		d.Auth.Class, d.Auth.Icon, d.Auth.Title = "auth-suspected", "!", t.Suspected
	case label.AuthUnbound:
		d.Auth.Class, d.Auth.Icon, d.Auth.Title = "auth-unbound", "?", t.Unbound
	}
	if en {
		d.Auth.Message = a.MessageEN
	}
	if a.ScanCount > 0 {
		d.Auth.Scans = t.ScanCount(a.ScanCount)
	}
	for _, seen := range a.Seen {
		place := seen.Place
		if place == "" {
			place = t.PlaceUnknown
		}
		d.Seen = append(d.Seen, scanPair{Label: chinaMinute(seen.At), Value: place})
	}
	if a.FirstScanAt != nil {
		d.Auth.FirstScan = chinaMinute(*a.FirstScanAt)
		if a.FirstScanPlace != "" {
			d.Auth.FirstScan += " · " + a.FirstScanPlace
		}
	}

	if v.Items[0].Recorded {
		d.Product = v.Items[0].Value
	}
	for i, it := range v.Items {
		d.Items = append(d.Items, scanItem{N: i + 1, Label: it.Label, Value: it.Value, Recorded: it.Recorded})
	}

	for _, n := range v.Notices {
		sn := scanNotice{Class: "notice-risk", Title: n.Title, Text: n.Text, Original: n.Original, Action: n.Action}
		switch n.Kind {
		case label.NoticeRecall:
			sn.Class, d.Urgent = "notice-recall", true
		case label.NoticeStopSale:
			sn.Class, d.Urgent = "notice-stop", true
		}
		if !n.Since.IsZero() {
			sn.Since = t.Since + " " + n.Since.In(scanChinaTime).Format(time.DateOnly)
		}
		d.Notices = append(d.Notices, sn)
	}

	for _, s := range v.Timeline {
		st := scanStep{Label: s.Label, Recorded: s.Recorded, Place: s.Place, Detail: s.Detail, By: s.By}
		if s.Time != nil {
			st.Time = chinaMinute(*s.Time)
		}
		d.Timeline = append(d.Timeline, st)
	}

	if r := v.Restricted; r != nil {
		for _, p := range []scanPair{
			{Label: t.OrderNo, Value: r.OrderNo, Mono: true},
			{Label: t.WaybillNo, Value: r.WaybillNo, Mono: true},
			{Label: t.InventoryNo, Value: r.InventoryNo, Mono: true},
			{Label: t.BuyerName, Value: r.BuyerName},
			{Label: t.BuyerIDNo, Value: r.BuyerIDNo, Mono: true},
			{Label: t.BuyerPhone, Value: r.BuyerPhone, Mono: true},
			{Label: t.BuyerAddress, Value: r.BuyerAddress},
		} {
			if p.Value != "" {
				d.Restricted = append(d.Restricted, p)
			}
		}
	}

	p := v.Proof
	d.ProofState = string(p.Status)
	state := t.ProofNone
	d.ProofPlain = t.PlainNone
	switch p.Status {
	case label.ProofIncluded:
		state, d.ProofPlain = t.ProofIncluded, t.PlainIncluded
	case label.ProofPending:
		state, d.ProofPlain = t.ProofPending, t.PlainPending
	default:
		d.ProofState = string(label.ProofNone)
	}
	origin := pg.LogOrigin
	if origin == "" {
		origin = p.LogOrigin
	}
	d.Proof = []scanPair{{Label: t.ProofStatus, Value: state}}
	if p.Commitment != "" {
		d.Proof = append(d.Proof, scanPair{Label: t.Commitment, Value: p.Commitment, Mono: true})
	}
	if p.Status == label.ProofIncluded {
		d.Proof = append(d.Proof,
			scanPair{Label: t.LeafIndex, Value: strconv.FormatUint(p.LeafIndex, 10), Mono: true},
			scanPair{Label: t.TreeSize, Value: strconv.FormatUint(p.TreeSize, 10), Mono: true})
	}
	if origin != "" {
		d.Proof = append(d.Proof, scanPair{Label: t.LogOrigin, Value: origin, Mono: true})
	}
	switch p.Status {
	case label.ProofIncluded:
		d.ProofHref = pg.Path + "/proof"
		d.VerifyCmd = "tracegate verify "
		if pg.VKey != "" {
			d.VerifyCmd += "--vkey '" + pg.VKey + "' "
		}
		d.VerifyCmd += "--label " + v.Code + " "
	case label.ProofPending:
		d.ProofNote = t.PendingNote
	}
	return d
}

// chinaMinute formats t in China Standard Time to the minute.
func chinaMinute(t time.Time) string {
	return t.In(scanChinaTime).Format("2006-01-02 15:04")
}

// scanCategories are the complaint categories the form offers, in the order
// of scanText.Categories.
var scanCategories = [...]string{"quality", "counterfeit", "label", "expired", "other"}

// scanText is every fixed text of the scan page in one language.
type scanText struct {
	Title, Site, SwitchLang, SwitchLabel                                 string
	Thanks                                                               string
	Genuine, Suspected, Unbound, CodeLabel, ScansLabel, FirstScanLabel   string
	ScanCount                                                            func(n int) string
	NoticesTitle, Since, WhatToDo, OriginalText                          string
	SeenTitle, PlaceUnknown                                              string
	PlainIncluded, PlainPending, PlainNone, VerifyDetails                string
	ItemsTitle, ItemsNote                                                string
	TimelineTitle, RecordedBy                                            string
	RestrictedTitle, RestrictedNote                                      string
	OrderNo, WaybillNo, InventoryNo                                      string
	BuyerName, BuyerIDNo, BuyerPhone, BuyerAddress                       string
	VerifyTitle, VerifyIntro, ProofStatus, Commitment, LeafIndex         string
	TreeSize, LogOrigin, ProofIncluded, ProofPending, ProofNone          string
	ProofLink, VerifyHow, PageURL, PendingNote                           string
	ComplaintTitle, ComplaintIntro, Category, Text, TextHint             string
	Contact, ContactHint, Photo, PhotoHint, Submit                       string
	Categories                                                           [len(scanCategories)]string
	UnknownTitle, UnknownText, UnknownAdvice, UnknownReport, UnknownIcon string
	TooManyTitle, TooManyText                                            string
	Footer                                                               string
}

var zhScanText = scanText{
	Title: "扫码溯源", Site: "跨境商品溯源", SwitchLang: "English", SwitchLabel: "Switch to English",
	Thanks:  "感谢您的反馈！我们已收到，并将转交监管部门核查。",
	Genuine: "正品验证通过", Suspected: "警告：疑似仿冒", Unbound: "注意：标签未绑定商品",
	CodeLabel: "溯源码", ScansLabel: "扫码次数", FirstScanLabel: "首次扫码",
	ScanCount:    func(n int) string { return strconv.Itoa(n) + " 次（含本次）" },
	NoticesTitle: "重要提示", Since: "发布于", WhatToDo: "您应该怎么做：", OriginalText: "原文：",
	SeenTitle: "此码被查询的时间和地点", PlaceUnknown: "地点未知",
	PlainIncluded: "此标签的发放记录在一个公开日志中，任何人都无法悄悄改动它——刚刚已核对。",
	PlainPending:  "此标签的发放已提交到公开日志，几秒钟后即可核对。",
	PlainNone:     "此标签没有公开日志记录。", VerifyDetails: "技术细节：自行验证",
	ItemsTitle: "21 项溯源信息", ItemsNote: "灰色项目表示尚无记录，我们不会推测或补填。",
	TimelineTitle: "流通轨迹", RecordedBy: "记录方：",
	RestrictedTitle: "订单信息（仅授权查看）", RestrictedNote: "仅对订单相关企业和监管部门显示。",
	OrderNo: "订单号", WaybillNo: "运单号", InventoryNo: "清单编号",
	BuyerName: "收货人", BuyerIDNo: "身份证号", BuyerPhone: "电话", BuyerAddress: "地址",
	VerifyTitle: "验证 Verify",
	VerifyIntro: "tracegate 发放标签时，把溯源码的 SHA-256 承诺值（而不是溯源码本身）写入防篡改的签名日志：持有标签的任何人都可以重新计算该承诺值，并独立验证它确实收录在签名日志中。",
	ProofStatus: "账本状态", Commitment: "承诺值（SHA-256）", LeafIndex: "账本条目序号", TreeSize: "签名日志大小",
	LogOrigin: "日志标识", ProofIncluded: "已收录于签名日志", ProofPending: "已提交，等待下一次签名",
	ProofNone: "无账本记录", ProofLink: "下载收录证明（c2sp.org/tlog-proof）", VerifyHow: "用 tracegate 命令行独立验证：",
	PageURL: "<本页地址>", PendingNote: "下一次日志签名后即可下载收录证明并独立验证。",
	ComplaintTitle: "反馈问题", ComplaintIntro: "发现质量、真伪或标签问题？请告诉我们，您的反馈将作为风险线索转交监管部门。",
	Category: "问题类型", Text: "问题描述", TextHint: "（最多 1000 字）", Contact: "联系方式（选填）",
	ContactHint: "电话或邮箱，仅用于核实", Photo: "照片（选填）", PhotoHint: "（JPEG 或 PNG，最大 2 MB）", Submit: "提交反馈",
	Categories:   [...]string{"质量问题", "疑似假冒", "标签问题", "过期变质", "其他"},
	UnknownTitle: "这不是 tracegate 发放的正品码", UnknownIcon: "✕",
	UnknownText:   "我们的系统中没有这个溯源码。它可能是伪造的、被篡改的，或输入有误。",
	UnknownAdvice: "如果您是通过扫描商品上的二维码来到这里，请勿购买或使用该商品，并保留商品和包装。",
	UnknownReport: "请拨打 12315 或通过 12315 平台投诉举报，也可以联系您购买商品的电商平台，或在下方向我们反馈。",
	TooManyTitle:  "查询过于频繁", TooManyText: "来自您网络的查询次数过多，请稍后再试。",
	Footer: "tracegate · 跨境电商进口商品溯源与质量监管",
}

var enScanText = scanText{
	Title: "Traceability scan", Site: "traceability", SwitchLang: "中文", SwitchLabel: "切换到中文",
	Thanks:  "Thank you for your report. We have received it and will pass it to the regulator for checking.",
	Genuine: "Genuine product code", Suspected: "Warning: suspected copy", Unbound: "Caution: label not bound to a product",
	CodeLabel: "Code", ScansLabel: "Scans", FirstScanLabel: "First scan",
	ScanCount:    func(n int) string { return strconv.Itoa(n) + " (this one included)" },
	NoticesTitle: "Important notices", Since: "issued", WhatToDo: "What to do: ", OriginalText: "Original notice: ",
	SeenTitle: "When and where this code was scanned", PlaceUnknown: "place unknown",
	PlainIncluded: "This label's issue is recorded in a public log that nobody can change unnoticed — checked just now.",
	PlainPending:  "This label's issue has been sent to the public log and can be checked in a few seconds.",
	PlainNone:     "This label has no record in the public log.", VerifyDetails: "Technical details: check it yourself",
	ItemsTitle: "21 traceability facts", ItemsNote: "Greyed-out items have no record yet; we never guess or fill them in.",
	TimelineTitle: "Journey", RecordedBy: "Recorded by ",
	RestrictedTitle: "Order information (authorised viewers only)", RestrictedNote: "Shown only to enterprises involved in the order and to regulators.",
	OrderNo: "Order number", WaybillNo: "Waybill number", InventoryNo: "Inventory number",
	BuyerName: "Consignee", BuyerIDNo: "ID number", BuyerPhone: "Phone", BuyerAddress: "Address",
	VerifyTitle: "Verify 验证",
	VerifyIntro: "When tracegate issues a label it writes the SHA-256 commitment of the code, never the code itself, to a tamper-evident signed log: anyone holding the label can recompute the commitment and check independently that it is in the signed log.",
	ProofStatus: "Ledger status", Commitment: "Commitment (SHA-256)", LeafIndex: "Leaf index", TreeSize: "Tree size",
	LogOrigin: "Log origin", ProofIncluded: "Included in the signed log", ProofPending: "Submitted, waiting for the next checkpoint",
	ProofNone: "No ledger entry", ProofLink: "Download the inclusion proof (c2sp.org/tlog-proof)", VerifyHow: "Check it yourself with the tracegate command line:",
	PageURL: "<page URL>", PendingNote: "The inclusion proof can be downloaded and checked once the log signs its next checkpoint.",
	ComplaintTitle: "Report a problem", ComplaintIntro: "Found a quality, authenticity or label problem? Tell us: your report goes to the regulator as a risk signal.",
	Category: "Category", Text: "What happened", TextHint: "(up to 1000 characters)", Contact: "Contact (optional)",
	ContactHint: "phone or e-mail, only to follow up", Photo: "Photo (optional)", PhotoHint: "(JPEG or PNG, up to 2 MB)", Submit: "Send report",
	Categories:   [...]string{"Quality problem", "Suspected counterfeit", "Label problem", "Expired or spoiled", "Other"},
	UnknownTitle: "This is not a genuine tracegate code", UnknownIcon: "✕",
	UnknownText:   "Our system has no such code. It may be forged, altered or mistyped.",
	UnknownAdvice: "If you got here by scanning the QR code on a product, do not buy or use the product, and keep it and its packaging.",
	UnknownReport: "Report it to 12315 (China's consumer complaint line and platform) or to the platform you bought it on, or tell us below.",
	TooManyTitle:  "Too many lookups", TooManyText: "There have been too many lookups from your network. Please try again later.",
	Footer: "tracegate · traceability and quality supervision for cross-border e-commerce imports",
}
