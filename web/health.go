package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"tracegate"
	"tracegate/bus"
)

// handleHealthz answers 200 while the process is up.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": tracegate.Version})
}

// handleReadyz answers 503 when the database does not answer within 2 s.
// Otherwise it answers 200 with the state of each dependency: "database"
// ok, and "nats" ok or unavailable when the node runs on NATS ("bus"
// memory or nats). A node whose NATS is unavailable is "degraded", not
// unready: it keeps serving, its notifications wait in the outbox, and
// the relay publishes them when NATS returns.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.ping(ctx); err != nil {
		s.writeError(w, r, &tracegate.Error{Code: tracegate.EUNAVAILABLE, Message: "the database does not answer", Err: err})
		return
	}
	out := map[string]string{"status": "ready", "database": "ok"}
	switch b := s.bus.(type) {
	case nil:
	case *bus.NATS:
		out["bus"] = "nats"
		out["nats"] = "ok"
		if err := b.Check(ctx); err != nil {
			out["status"], out["nats"] = "degraded", "unavailable"
			s.log.WarnContext(ctx, "readyz: NATS unavailable", slog.Any("err", err))
		}
	default:
		out["bus"] = "memory"
	}
	writeJSON(w, http.StatusOK, out)
}
