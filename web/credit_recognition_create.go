package web

import (
	"net/http"

	"tracegate"
	"tracegate/credit"
)

// handleCreditRecognitionCreate imports a level recognised by another
// agency, {"uscc","agency","level","at","source"}, and regrades the
// enterprise (regulator). 201 with the recognition.
func (s *Server) handleCreditRecognitionCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.creditService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, maxCreditBody)
	var body credit.Recognition
	if err := decodeJSON(r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	body.ID = 0
	rec, err := s.credit.Recognise(r.Context(), body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "credit level recognised", "uscc", rec.USCC, "agency", rec.Agency, "level", rec.Level,
		"by", tracegate.PrincipalFrom(r.Context()).USCC)
	writeJSON(w, http.StatusCreated, rec)
}
