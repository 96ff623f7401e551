package web

import (
	"context"
	"net/http"
	"time"

	"tracegate"
)

// handleHealthz answers 200 while the process is up.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": tracegate.Version})
}

// handleReadyz answers 200 when the database answers within 2 s, else 503.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.writeError(w, r, &tracegate.Error{Code: tracegate.EUNAVAILABLE, Message: "the database does not answer", Err: err})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
