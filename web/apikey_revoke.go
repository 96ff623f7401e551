package web

import (
	"net/http"
)

// handleAPIKeyRevoke revokes a key: a regulator any key, an enterprise its
// own. The key stops working on this node at once and on other nodes within
// the key cache's TTL.
func (s *Server) handleAPIKeyRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	k, err := s.enterprises.FindAPIKey(r.Context(), id)
	if err == nil {
		err = canRevokeKey(principalOf(r), k)
	}
	if err == nil {
		err = s.enterprises.RevokeAPIKey(r.Context(), id)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.keys.forgetKey(id)
	w.WriteHeader(http.StatusNoContent)
}
