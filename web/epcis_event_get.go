package web

import (
	"net/http"

	"tracegate/epcis"
)

// handleEventGet answers one event by eventID or hash to whoever may see
// that stored record (the visibility rule of docs/security-epcis.md): the
// check is on the record found, never on another event with its eventID.
func (s *Server) handleEventGet(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	id := eventIDParam(r)
	if err := epcis.CheckText(id, "/path/eventID"); err != nil {
		s.writeError(w, r, err)
		return
	}
	rec, err := s.events.Event(r.Context(), readerOf(principalOf(r)), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	format, err := epcis.ParseEPCFormat(r.Header.Get("GS1-EPC-Format"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if prefersXML(r.Header.Get("Accept")) {
		s.writeEvents(w, r, []*epcis.Record{rec}, epcis.EncodeOptions{EPCFormat: format}, "")
		return
	}
	e, err := epcis.DecodeEvent(rec.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	e.RecordTime = rec.RecordTime
	w.Header().Set("Content-Type", "application/ld+json")
	w.Write(epcis.MarshalEventJSON(e.WithEPCFormat(format, 0), epcis.EncodeOptions{EPCFormat: format}))
}
