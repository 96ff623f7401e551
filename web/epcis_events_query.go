package web

import (
	"net/http"

	"tracegate/epcis"
)

// handleEventsQuery answers GET /epcis/events: a SimpleEventQuery from the
// query parameters, paged with perPage and nextPageToken, as an
// EPCISQueryDocument in JSON-LD, or XML when the client accepts only XML.
func (s *Server) handleEventsQuery(w http.ResponseWriter, r *http.Request) {
	q, err := epcis.ParseQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.answerQuery(w, r, q, "SimpleEventQuery")
}
