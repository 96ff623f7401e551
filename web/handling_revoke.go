package web

import (
	"net/http"
)

// handleHandlingRevoke ends a client relation: the client itself or a
// regulator. From then on the handler binds none of the client's labels or
// filings. No such relation is 404.
func (s *Server) handleHandlingRevoke(w http.ResponseWriter, r *http.Request) {
	client, err := s.findEnterprise(r, r.PathValue("id"))
	if err == nil {
		err = canGrantHandling(principalOf(r), client.ID)
	}
	var handler int64
	if err == nil {
		handler, err = pathID(r, "handler")
	}
	if err == nil {
		err = s.parties.RevokeHandling(r.Context(), client.ID, handler)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
