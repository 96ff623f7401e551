package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"tracegate"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// homePage is what templates/home.html shows.
type homePage struct {
	Version string
	Lang    string
	Code    string // the code typed, when it was refused
	Error   bool   // Code is not a label code
	T       homeText
}

// handleHome serves the landing page: for people, a box for the code on a
// label (and a camera scan where the browser can), what tracegate is, and
// how to verify the log; for developers, the API links below.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	s.writeHome(w, r, http.StatusOK, homePage{})
}

func (s *Server) writeHome(w http.ResponseWriter, r *http.Request, status int, pg homePage) {
	pg.Version, pg.Lang = tracegate.Version, pageLang(r)
	pg.T = homeTexts[catalogLang(pg.Lang)]
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "home.html", pg); err != nil {
		s.log.ErrorContext(r.Context(), "render home", "err", err)
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageLang is "en" with ?lang=en, else "zh": the page is Chinese by
// default, whatever the browser's language, with a switch to English.
func pageLang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" {
		return "en"
	}
	return "zh"
}
