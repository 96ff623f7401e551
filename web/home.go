package web

import (
	"embed"
	"html/template"
	"net/http"

	"tracegate"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// handleHome serves the landing page: what tracegate is and where to go.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := templates.ExecuteTemplate(w, "home.html", map[string]any{"Version": tracegate.Version, "Lang": pageLang(r)}); err != nil {
		s.log.ErrorContext(r.Context(), "render home", "err", err)
	}
}

// pageLang is "en" with ?lang=en, else "zh": the page is Chinese by
// default, whatever the browser's language, with a switch to English.
func pageLang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" {
		return "en"
	}
	return "zh"
}
