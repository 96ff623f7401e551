package web

import "net/http"

// handleMeasureGet answers one measure with its history (GET
// /api/measures/{id}); the regulator and the owner also see who has
// acknowledged it and who has not. A measure the caller may not see is 404.
func (s *Server) handleMeasureGet(w http.ResponseWriter, r *http.Request) {
	if !s.measureRequest(w, r) {
		return
	}
	m, err := s.measures.Get(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
