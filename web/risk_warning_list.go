package web

import (
	"net/http"

	"tracegate/risk"
)

// handleRiskWarningList lists warnings, newest first, by ?status=
// (open, confirmed, dismissed), ?subject=, ?before= and ?limit=.
func (s *Server) handleRiskWarningList(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	f := risk.WarningFilter{Status: risk.WarningStatus(r.URL.Query().Get("status"))}
	var err error
	if v := r.URL.Query().Get("subject"); v != "" {
		if f.Subject, err = risk.ParseSubject(v, "/subject"); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if f.Limit, err = queryLimit(r, 100, 500); err != nil {
		s.writeError(w, r, err)
		return
	}
	if f.BeforeID, err = queryBefore(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	ws, err := s.risk.Warnings(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"warnings": ws})
}

// handleRiskWarningGet answers a warning with why, its signals, the
// subject's assessment now and where the goods are (stock search).
func (s *Server) handleRiskWarningGet(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.risk.Warning(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
