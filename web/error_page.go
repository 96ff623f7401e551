package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// prefersHTML reports whether the client would rather read an HTML page
// than JSON: its Accept header names text/html (as browsers' do) with a
// quality at least that of any JSON type. API clients, which send */*,
// application/json or application/problem+json, keep problem+json.
func prefersHTML(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	if !strings.Contains(accept, "text/html") {
		return false
	}
	html, json := -1.0, -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch mt = strings.ToLower(strings.TrimSpace(mt)); {
		case mt == "text/html" || mt == "application/xhtml+xml":
			html = max(html, q)
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			json = max(json, q)
		}
	}
	return html > 0 && html >= json
}

// errorPage is what templates/error.html shows of a problem.
type errorPage struct {
	Lang      string
	Status    int
	Title     string // in the page's language
	Detail    string
	Hint      string
	RequestID string
	Home      string
	Other     string // the same page in the other language
	T         errorText
}

// writeErrorPage answers p as a small, phone-friendly HTML page in the
// page language (pageLang), with the same status and request ID.
func (s *Server) writeErrorPage(w http.ResponseWriter, r *http.Request, p Problem) {
	lang := pageLang(r)
	en, zh, ok := strings.Cut(p.Title, " / ")
	if !ok {
		zh = en
	}
	t := errorTexts[catalogLang(lang)]
	pg := errorPage{Lang: lang, Status: p.Status, Detail: p.Detail, RequestID: p.RequestID, T: t, Hint: t.Hints[p.Code]}
	// The language switch is a query-only reference: the same path, never a
	// URL built from it (a path "//host" would leave the site).
	if lang == "en" {
		pg.Title, pg.Home, pg.Other = en, "/?lang=en", "?lang=zh"
	} else {
		pg.Title, pg.Home, pg.Other = zh, "/", "?lang=en"
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "error.html", pg); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, p.Title, p.Status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(p.Status)
	w.Write(buf.Bytes())
}
