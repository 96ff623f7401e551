package web

import (
	"net/http"
	"net/url"

	"tracegate/epcis"
)

// handleQueryEvents runs a named query (paging parameters may be added).
func (s *Server) handleQueryEvents(w http.ResponseWriter, r *http.Request) {
	nq, err := s.events.NamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	params := url.Values{}
	for k, v := range nq.Params {
		params[k] = v
	}
	for _, k := range []string{"perPage", "nextPageToken"} {
		if v := r.URL.Query().Get(k); v != "" {
			params.Set(k, v)
		}
	}
	q, err := epcis.ParseQuery(params)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.answerQuery(w, r, q, nq.Name)
}
