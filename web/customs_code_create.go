package web

import (
	"net/http"

	"tracegate"
)

// customsCodeBody is the body of POST /api/enterprises/{id}/customs-codes.
type customsCodeBody struct {
	Code string             `json:"code"`
	Kind tracegate.CodeKind `json:"kind"`
}

// handleCustomsCodeCreate registers a customs code for an enterprise: the
// enterprise claims its own (status claimed, which counts for nothing until
// a regulator confirms it), a regulator sets one confirmed. A code held by
// another enterprise is refused with 409.
func (s *Server) handleCustomsCodeCreate(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEnterprise(r, r.PathValue("id"))
	p := principalOf(r)
	if err == nil {
		err = canManageCodes(p, e.ID)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, s.maxBody)
	var req customsCodeBody
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	c := &tracegate.CustomsCode{Code: req.Code, Kind: req.Kind, EnterpriseID: e.ID, Status: codeStatusFor(p)}
	if err := s.parties.SaveCustomsCode(r.Context(), c); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}
