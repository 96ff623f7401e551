package web

import (
	"bytes"
	"net/http"
	"strings"

	"tracegate"
	"tracegate/credit"
	"tracegate/locale"
)

// blacklistWords are the page's words in one language ("blacklist." +
// each field's name in snake case); Reasons names the kinds of entry
// ("blacklist.reason." + kind, blacklistReasons) and ReasonSeparator joins
// them.
type blacklistWords struct {
	Title, Edition, Published, Explain, Listed, Removed, USCC, Since, RemovedAt, Reasons, None, Check, Leaf, NoEdition string
	ReasonSeparator                                                                                                    string
	Page                                                                                                               pageWords
	ReasonNames                                                                                                        map[string]string
}

// blacklistReasons are the kinds of entry the page and the feed name in
// words; any other is shown as it is.
var blacklistReasons = []credit.Kind{credit.KindCustomsRefused, credit.KindReviewRefused, credit.KindFilingRejected,
	credit.KindGoodsHold, credit.KindLabelCopy, credit.KindComplaintSubstantiated, credit.KindMisdeclaration,
	credit.KindMeasureLate, credit.KindInspectionFailed, "recognised"}

var blacklistText = inBoth(func(l locale.Lang) blacklistWords {
	var t blacklistWords
	_ = locale.Fill(l, "blacklist", &t) // t is a struct
	t.Page = pageWordsIn[l]
	t.ReasonNames = map[string]string{}
	for _, k := range blacklistReasons {
		t.ReasonNames[string(k)] = locale.T(l, "blacklist.reason."+string(k))
	}
	return t
})

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
	}{HTMLLang: htmlLang(lang), T: blacklistText[catalogLang(lang)], Edition: e}
	d.Other.Href, d.Other.Lang, d.Other.Label = "/credit/blacklist?lang=en", "en", d.T.Page.SwitchLang
	if lang == "en" {
		d.Other.Href, d.Other.Lang = "/credit/blacklist", "zh-CN"
	}
	if e != nil {
		for _, x := range e.Entries {
			d.Entries = append(d.Entries, blacklistEntryView{x, strings.Join(reasonWords(x.Reasons, lang), d.T.ReasonSeparator)})
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
