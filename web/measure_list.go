package web

import (
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/measure"
)

// handleMeasureList lists the measures the caller may see (GET
// /api/measures?status=&kind=&owner=&limit=), newest first: the regulator
// all, an enterprise those it owns or whose selector touches its goods.
func (s *Server) handleMeasureList(w http.ResponseWriter, r *http.Request) {
	if !s.measureRequest(w, r) {
		return
	}
	q := r.URL.Query()
	f := measure.Filter{Status: measure.Status(q.Get("status")), Kind: measure.Kind(q.Get("kind")), Owner: q.Get("owner")}
	if f.Kind != "" && !f.Kind.Valid() {
		s.writeError(w, r, tracegate.Invalidf("/kind", "unknown kind %q", f.Kind))
		return
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			s.writeError(w, r, tracegate.Invalidf("/limit", "limit must be 1 to 500"))
			return
		}
		f.Limit = n
	}
	ms, err := s.measures.List(r.Context(), principalOf(r), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"measures": ms})
}
