package web

import (
	"net/http"

	"tracegate/label"
)

// handleHoldList lists the holds, on one GTIN with ?gtin=.
func (s *Server) handleHoldList(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	hs, err := s.holds.Holds(r.Context(), r.URL.Query().Get("gtin"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if hs == nil {
		hs = []label.Hold{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"holds": hs})
}
