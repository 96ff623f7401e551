package web

import (
	"net/http"

	"tracegate"
)

// handleVKey serves the log's verifier key (a note verifier key,
// name+hash+key) as text, so a verifier can fetch it from the server it
// checks. A key fetched from the server it vouches for proves nothing by
// itself: compare its fingerprint with one published elsewhere.
func (s *Server) handleVKey(w http.ResponseWriter, r *http.Request) {
	if s.ledger == nil || s.ledger.VKey == "" {
		s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "this server keeps no ledger"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte(s.ledger.VKey + "\n"))
}
