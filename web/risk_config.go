package web

import (
	"io"
	"net/http"
)

// handleRiskConfigGet answers the assessment's configuration in force.
func (s *Server) handleRiskConfigGet(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.risk.Config())
}

// handleRiskConfigPut replaces the configuration (the JSON of
// risk/config.json) and re-scores every subject under it.
func (s *Server) handleRiskConfigPut(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, 64<<10)
	b, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeError(w, r, jsonBodyError(err))
		return
	}
	c, err := s.risk.SetConfig(r.Context(), b)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
