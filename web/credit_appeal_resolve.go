package web

import (
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/credit"
)

// handleCreditAppealResolve resolves open appeal {id} (regulator):
// {"status":"upheld"|"dismissed","resolution":"…"}; an upheld appeal stops
// its entry from counting and the enterprise is regraded. 409 when the
// appeal is not open.
func (s *Server) handleCreditAppealResolve(w http.ResponseWriter, r *http.Request) {
	if err := s.creditService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "no appeal %q", r.PathValue("id")))
		return
	}
	limitBody(w, r, maxCreditBody)
	var body struct {
		Status     credit.AppealStatus `json:"status"`
		Resolution string              `json:"resolution"`
	}
	if err := decodeJSON(r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.credit.ResolveAppeal(r.Context(), id, body.Status, body.Resolution)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
