package web

import (
	"net/http"

	"tracegate"
	"tracegate/measure"
)

// handleMeasureScope answers the recall scope of measure id (GET
// /api/measures/{id}/scope): what its selector reaches, with the contents
// of a container as of when the measure came into force, and the statuses
// as of ?at= (now by default); JSON counts or, with ?format=csv|xlsx, one
// row per item. Whoever may see the measure may read its scope: the
// regulator and the owner (who must notify the buyers) every item with its
// consignee in full, another enterprise only the items of its products or
// in its custody, the consignee masked. A measure the caller may not see
// is 404.
func (s *Server) handleMeasureScope(w http.ResponseWriter, r *http.Request) {
	if err := s.measureService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	for k := range r.URL.Query() {
		if !containsString(scopeParams, k) {
			s.writeError(w, r, tracegate.Invalidf("/query/"+k, "unknown parameter %q: give at or format", k))
			return
		}
	}
	p := principalOf(r)
	m, err := s.measures.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeScope(w, r, m.ID, m.ScopeQuery(), measureViewer(p, m))
}

// measureViewer is who p is to the scope of m.
func measureViewer(p *tracegate.Principal, m *measure.Measure) measure.Viewer {
	if p.Role == tracegate.RoleRegulator {
		return measure.Viewer{}
	}
	return measure.Viewer{EnterpriseID: p.EnterpriseID, Owner: p.USCC == m.Owner}
}
