package web

import (
	"net/http"

	"tracegate"
	"tracegate/credit"
)

// handleCreditEnterpriseGet answers an enterprise's credit record: level,
// score, since, entries with their points, reasons and history. Only the
// enterprise itself and regulators see it; anyone else gets 404, as for an
// unknown USCC, so the endpoint does not tell which enterprises exist.
func (s *Server) handleCreditEnterpriseGet(w http.ResponseWriter, r *http.Request) {
	if err := s.creditService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := tracegate.PrincipalFrom(r.Context())
	uscc := r.PathValue("uscc")
	if u, err := tracegate.ValidateUSCC(uscc); err == nil {
		uscc = u
	}
	if err := canSeeCreditRecord(p, uscc); err != nil {
		s.writeError(w, r, err)
		return
	}
	rec, g, err := s.credit.Record(r.Context(), uscc)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, credit.NewView(rec, g))
}
