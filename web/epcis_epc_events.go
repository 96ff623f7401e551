package web

import (
	"net/http"

	"tracegate/epcis"
)

// handleEPCEvents answers the events about one identifier (any role).
func (s *Server) handleEPCEvents(w http.ResponseWriter, r *http.Request) {
	q, err := epcis.ParseQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := epcis.CheckText(r.PathValue("epc"), "/path/epc"); err != nil {
		s.writeError(w, r, err)
		return
	}
	q.MatchAnyEPC = append(q.MatchAnyEPC, epcis.CanonicalEPC(r.PathValue("epc")))
	s.answerQuery(w, r, q, "SimpleEventQuery")
}
