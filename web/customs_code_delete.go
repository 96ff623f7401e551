package web

import (
	"net/http"
)

// handleCustomsCodeDelete removes a customs code of an enterprise: the
// enterprise itself or a regulator. A code it does not hold is 404.
func (s *Server) handleCustomsCodeDelete(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err == nil {
		err = canManageCodes(principalOf(r), e.ID)
	}
	if err == nil {
		err = s.parties.DeleteCustomsCode(r.Context(), e.ID, r.PathValue("code"))
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
