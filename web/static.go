package web

import (
	"embed"
	"net/http"
	"path"
)

//go:embed static
var staticFS embed.FS

// staticTypes are the content types of the files under static/.
var staticTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

// handleStatic serves the embedded scripts and styles of the pages (no
// third-party CDN: everything a page loads comes from this server). An
// unknown name is a 404 problem.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	ctype, ok := staticTypes[path.Ext(name)]
	b, err := staticFS.ReadFile("static/" + name)
	if !ok || err != nil || path.Base(name) != name {
		s.writeError(w, r, notFoundRoute(r))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}
