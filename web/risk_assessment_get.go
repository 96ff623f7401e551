package web

import (
	"net/http"

	"tracegate/risk"
)

// handleRiskAssessmentGet answers one subject's assessment
// (/api/risk/assessments/batch/GTIN/BATCH for a batch); a subject no signal
// scores is at none.
func (s *Server) handleRiskAssessmentGet(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	subj, err := risk.NewSubject(risk.SubjectKind(r.PathValue("kind")), r.PathValue("value"), "/subject")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.risk.Assessment(r.Context(), subj)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
