package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tracegate/label"
	"tracegate/locale"
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

// zhScanText and enScanText are read once from the locale catalogs: each
// string field from "scan." + its name in snake case, the categories from
// "scan.category." + scanCategories, and ScanCount from "scan.scan_count"
// with {n} for the count.
var zhScanText, enScanText = newScanText(locale.ZH), newScanText(locale.EN)

// newScanText reads the scan page's texts in l; a key the catalog lacks is
// recorded for locale.Check.
func newScanText(l locale.Lang) scanText {
	var t scanText
	_ = locale.Fill(l, "scan", &t) // t is a struct
	for i, c := range scanCategories {
		t.Categories[i] = locale.T(l, "scan.category."+c)
	}
	before, after, _ := strings.Cut(locale.T(l, "scan.scan_count"), "{n}")
	t.ScanCount = func(n int) string { return before + strconv.Itoa(n) + after }
	return t
}
