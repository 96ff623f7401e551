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
	lang := "zh"
	if r.URL.Query().Get("lang") == "en" {
		lang = "en"
	}
	if err := templates.ExecuteTemplate(w, "home.html", map[string]any{"Version": tracegate.Version, "Lang": lang}); err != nil {
		s.log.ErrorContext(r.Context(), "render home", "err", err)
	}
}
