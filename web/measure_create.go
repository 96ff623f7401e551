package web

import (
	"net/http"

	"tracegate/measure"
)

// handleMeasureCreate orders a measure (POST /api/measures): a regulator
// any kind on any goods, an enterprise a voluntary stop_sale or recall of
// its own products. 201 with the measure; bad input is a problem pointing
// at the field, and nothing is stored.
func (s *Server) handleMeasureCreate(w http.ResponseWriter, r *http.Request) {
	if !s.measureRequest(w, r) {
		return
	}
	var req measure.OrderRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.measures.Order(r.Context(), principalOf(r), &req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.measuresChanged()
	w.Header().Set("Location", "/api/measures/"+m.ID)
	writeJSON(w, http.StatusCreated, m)
}

// measuresChanged drops this node's caches of measures in force (the scan
// page shows a new measure at once; other nodes within their TTL).
func (s *Server) measuresChanged() {
	if s.resolver != nil {
		s.resolver.ForgetHolds()
	}
}
