package web

import (
	"bytes"
	"net/http"
	"strings"

	"tracegate"
	"tracegate/credit"
)

// blacklistWords are the page's words in one language.
type blacklistWords struct {
	Title, Edition, Published, Explain, Listed, Removed, USCC, Since, RemovedAt, Reasons, None, Check, Leaf, NoEdition string
}

var blacklistText = map[string]blacklistWords{
	"zh": {Title: "失信企业名单", Edition: "第", Published: "期，发布于", Explain: "信用等级为最低一级（失信）的企业，将被重点监管。",
		Listed: "列入名单", Removed: "已移出", USCC: "统一社会信用代码", Since: "列入日期", RemovedAt: "移出日期", Reasons: "列入原因",
		None: "无。", Check: "本期名单已记入防篡改账本，可下载核验：", Leaf: "账本索引", NoEdition: "尚未发布名单。"},
	"en": {Title: "Credit blacklist", Edition: "Edition", Published: "published", Explain: "enterprises at the lowest credit level (dishonest), inspected with priority.",
		Listed: "Listed", Removed: "Removed", USCC: "Unified social credit code", Since: "Listed since", RemovedAt: "Removed on", Reasons: "Why",
		None: "None.", Check: "This edition is committed to the tamper-evident ledger; download it to check:", Leaf: "ledger index", NoEdition: "No edition has been published yet."},
}

type blacklistEntryView struct {
	credit.BlacklistEntry
	Reasons string
}

// handleCreditBlacklistPage renders the latest edition (or ?edition=N)
// as a public page, Chinese by default, ?lang=en for English.
func (s *Server) handleCreditBlacklistPage(w http.ResponseWriter, r *http.Request) {
	lang := "zh"
	if r.URL.Query().Get("lang") == "en" {
		lang = "en"
	}
	e, err := s.blacklistEdition(r)
	if err != nil && !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		s.writeError(w, r, err)
		return
	}
	d := struct {
		HTMLLang string
		T        blacklistWords
		Other    struct{ Href, Lang, Label string }
		Edition  *credit.Edition
		Entries  []blacklistEntryView
	}{HTMLLang: map[string]string{"zh": "zh-CN", "en": "en"}[lang], T: blacklistText[lang], Edition: e}
	d.Other.Href, d.Other.Lang, d.Other.Label = "/credit/blacklist?lang=en", "en", "English"
	if lang == "en" {
		d.Other.Href, d.Other.Lang, d.Other.Label = "/credit/blacklist", "zh-CN", "中文"
	}
	if e != nil {
		for _, x := range e.Entries {
			sep := "、"
			if lang == "en" {
				sep = ", "
			}
			d.Entries = append(d.Entries, blacklistEntryView{x, strings.Join(reasonWords(x.Reasons, lang), sep)})
		}
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "credit_blacklist.html", d); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", d.HTMLLang)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(buf.Bytes())
}
