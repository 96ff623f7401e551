package web

import (
	"net/http"

	"tracegate/epcis"
)

// handleBizSteps lists the CBV 2.0 business steps.
func (s *Server) handleBizSteps(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	writeJSON(w, http.StatusOK, map[string]any{"@set": epcis.StandardVocab(epcis.VocabBizStep)})
}
