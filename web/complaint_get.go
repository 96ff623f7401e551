package web

import "net/http"

// handleComplaintGet answers one complaint with its replies, to a regulator
// or to the enterprise whose product it is about (404 for anyone else).
func (s *Server) handleComplaintGet(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.visibleComplaint(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, c)
}
