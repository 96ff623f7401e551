package web

import (
	"net/http"

	"tracegate/risk"
)

// handleRiskWarningConfirm confirms an open warning: a draft measure over
// its subject ({"measure":"recall"…}, by default by the warning's level),
// answered {"measure":ID,"warning":…}; 503 when no measures engine is
// configured.
func (s *Server) handleRiskWarningConfirm(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, 64<<10)
	var req risk.ConfirmRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	mid, err := s.risk.Confirm(r.Context(), *principalOf(r), id, req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.risk.Warning(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"measure": mid, "warning": v.Warning})
}

// handleRiskWarningDismiss dismisses an open warning with {"reason"}.
func (s *Server) handleRiskWarningDismiss(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, 64<<10)
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	wr, err := s.risk.Dismiss(r.Context(), *principalOf(r), id, req.Reason)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, wr)
}
