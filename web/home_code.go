package web

import (
	"net/http"
	"strings"

	"tracegate/label"
)

// handleCodeLookup takes the code a person typed or pasted in the home
// page's box (?code=…) to its scan page: case, spaces and hyphens do not
// matter, I and L read as 1 and O as 0 (label.ParseCode), and a pasted
// label URL (…/l/CODE) works too. A code that is not a label code at all —
// a typo, most likely — shows the home page again with a plain message
// (400) rather than the scan page's "not genuine" warning. It looks
// nothing up, so it reveals nothing about which codes exist.
func (s *Server) handleCodeLookup(w http.ResponseWriter, r *http.Request) {
	typed := strings.TrimSpace(r.URL.Query().Get("code"))
	q := ""
	if pageLang(r) == "en" {
		q = "?lang=en"
	}
	if typed == "" {
		http.Redirect(w, r, "/"+q, http.StatusSeeOther)
		return
	}
	c, err := label.ParseCode(codeOf(typed))
	if err != nil {
		s.writeHome(w, r, http.StatusBadRequest, homePage{Code: typed, Error: true})
		return
	}
	http.Redirect(w, r, "/l/"+c.Compact()+q, http.StatusSeeOther)
}

// codeOf is the label code in what was pasted: the text after the last
// "/l/" of a label URL (without its query or fragment), or the text itself.
func codeOf(s string) string {
	if i := strings.LastIndex(s, "/l/"); i >= 0 {
		s = s[i+3:]
		if j := strings.IndexAny(s, "/?#"); j >= 0 {
			s = s[:j]
		}
	}
	return s
}
