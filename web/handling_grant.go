package web

import (
	"net/http"

	"tracegate"
)

// handlingBody is the body of POST /api/enterprises/{id}/handlers: the
// handler by ID or by USCC.
type handlingBody struct {
	HandlerID   int64  `json:"handlerId,omitempty"`
	HandlerUSCC string `json:"handlerUscc,omitempty"`
}

// handleHandlingGrant records that enterprise {id} (the client, a filer)
// authorises a handler (its bonded warehouse, logistics firm or another
// seller) to bind its labels and filings: the client itself or a
// regulator grants it.
func (s *Server) handleHandlingGrant(w http.ResponseWriter, r *http.Request) {
	client, err := s.findEnterprise(r, r.PathValue("id"))
	p := principalOf(r)
	if err == nil {
		err = canGrantHandling(p, client.ID)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, s.maxBody)
	var req handlingBody
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	var handler *tracegate.Enterprise
	switch {
	case req.HandlerID > 0:
		handler, err = s.enterprises.FindEnterprise(r.Context(), req.HandlerID)
	case req.HandlerUSCC != "":
		handler, err = s.findEnterprise(r, req.HandlerUSCC)
	default:
		err = tracegate.Invalidf("/handlerId", "name the handler by handlerId or handlerUscc")
	}
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		err = tracegate.Invalidf("/handlerId", "no such enterprise")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := &tracegate.Handling{ClientID: client.ID, HandlerID: handler.ID, CreatedBy: p.EnterpriseID}
	if err := s.parties.GrantHandling(r.Context(), h); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, h)
}
