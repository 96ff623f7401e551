package web

import (
	"net/http"

	"tracegate/epcis"
)

// handleEventTypes lists the event types (EPCIS 2.0 top-level resource).
func (s *Server) handleEventTypes(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	writeJSON(w, http.StatusOK, map[string]any{"@set": []epcis.EventType{epcis.ObjectEvent, epcis.AggregationEvent,
		epcis.TransactionEvent, epcis.TransformationEvent, epcis.AssociationEvent}})
}
