package web

import (
	"net/http"

	"tracegate"
	"tracegate/risk"
)

// handleRiskAssessmentList ranks subjects by score: ?kind= one of the
// subject kinds (all when absent), ?limit= (default 50, at most 500).
func (s *Server) handleRiskAssessmentList(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	kind := risk.SubjectKind(r.URL.Query().Get("kind"))
	if kind != "" && !validSubjectKind(kind) {
		s.writeError(w, r, tracegate.Invalidf("/kind", "unknown subject kind %q: want gtin, batch, hs, origin, manufacturer or enterprise", kind))
		return
	}
	limit, err := queryLimit(r, 50, 500)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	as, err := s.risk.Assessments(r.Context(), kind, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assessments": as})
}

func validSubjectKind(k risk.SubjectKind) bool {
	for _, x := range risk.SubjectKinds {
		if k == x {
			return true
		}
	}
	return false
}
