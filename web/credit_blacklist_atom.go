package web

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// handleCreditBlacklistAtom serves the latest edition as an Atom feed
// (RFC 4287): one entry per enterprise listed or removed, dated when it
// was listed or removed.
func (s *Server) handleCreditBlacklistAtom(w http.ResponseWriter, r *http.Request) {
	e, err := s.blacklistEdition(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ed := strconv.FormatInt(e.Edition, 10)
	f := atomFeed{Title: "失信企业名单 Credit blacklist · tracegate", ID: "tag:tracegate,2026:credit-blacklist",
		Updated: e.PublishedAt.Format(time.RFC3339), Author: atomAuthor{Name: "tracegate"},
		Link: []atomLink{{Href: "/credit/blacklist.atom", Rel: "self", Type: "application/atom+xml"}, {Href: "/credit/blacklist", Type: "text/html"}}}
	for _, x := range e.Entries {
		f.Entries = append(f.Entries, atomEntry{Title: x.Name + " " + x.USCC + " 列入 listed", ID: "tag:tracegate,2026:credit-blacklist:" + x.USCC + ":" + x.Since.Format("20060102T150405Z"),
			Updated: x.Since.Format(time.RFC3339), Link: atomLink{Href: "/credit/blacklist.json?edition=" + ed},
			Summary: "level " + strconv.Itoa(x.Level) + "; " + strings.Join(reasonWords(x.Reasons, "en"), ", ")})
	}
	for _, x := range e.Removals {
		f.Entries = append(f.Entries, atomEntry{Title: x.Name + " " + x.USCC + " 移出 removed", ID: "tag:tracegate,2026:credit-blacklist:" + x.USCC + ":removed:" + x.RemovedAt.Format("20060102T150405Z"),
			Updated: x.RemovedAt.Format(time.RFC3339), Link: atomLink{Href: "/credit/blacklist.json?edition=" + ed}, Summary: "removed from the blacklist"})
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Encode(f)
}

// reasonWords names the kinds of entry in lang ("zh" or "en").
func reasonWords(reasons []string, lang string) []string {
	names := blacklistText[catalogLang(lang)].ReasonNames
	out := make([]string, 0, len(reasons))
	for _, r := range reasons {
		if w, ok := names[r]; ok {
			out = append(out, w)
		} else {
			out = append(out, r)
		}
	}
	return out
}
