package web

import (
	"net/http"
	"strconv"

	"tracegate"
)

// handleCreditBlacklistPublish publishes a new edition of the blacklist on
// demand (regulator), named by the regulator's USCC in its ledger leaf.
// 201 with the edition.
func (s *Server) handleCreditBlacklistPublish(w http.ResponseWriter, r *http.Request) {
	if err := s.creditService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.credit.Publish(r.Context(), tracegate.PrincipalFrom(r.Context()).USCC)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Ledger-Index", strconv.FormatInt(e.LedgerIndex, 10))
	w.WriteHeader(http.StatusCreated)
	w.Write(e.Body)
}
