package web

import (
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/credit"
)

// blacklistEdition returns the edition of ?edition=N, the latest without
// it; a bad number is EINVALID.
func (s *Server) blacklistEdition(r *http.Request) (*credit.Edition, error) {
	if err := s.creditService(); err != nil {
		return nil, err
	}
	n := int64(0)
	if v := r.URL.Query().Get("edition"); v != "" {
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil || x < 1 {
			return nil, tracegate.Invalidf("/query/edition", "edition %q is not a number from 1", v)
		}
		n = x
	}
	return s.credit.Edition(r.Context(), n)
}

// handleCreditBlacklistJSON serves an edition of the blacklist exactly as
// it was published and committed to the ledger: its SHA-256 is the hash
// of the leaf at X-Ledger-Index, so anyone can check it was not changed.
func (s *Server) handleCreditBlacklistJSON(w http.ResponseWriter, r *http.Request) {
	e, err := s.blacklistEdition(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("X-Ledger-Index", strconv.FormatInt(e.LedgerIndex, 10))
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(e.Body)
}
