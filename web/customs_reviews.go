package web

import (
	"net/http"
	"strconv"

	"tracegate"
)

// handleCustomsReviews lists the declarations waiting for an officer's
// manual review, oldest first (?limit=, at most 1000). Buyers' ID numbers
// are masked.
func (s *Server) handleCustomsReviews(w http.ResponseWriter, r *http.Request) {
	if err := s.customsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			s.writeError(w, r, tracegate.Invalidf("/query/limit", "limit must be 1 to 1000"))
			return
		}
		limit = n
	}
	list, err := s.customs.Reviews(r.Context(), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"reviews": list})
}
