package web

import (
	"net/http"

	"tracegate"
)

// handleCustomsCodeList answers the customs codes of an enterprise, claimed
// and confirmed: to the enterprise itself and to a regulator.
func (s *Server) handleCustomsCodeList(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err == nil {
		err = canSeeEnterprise(principalOf(r), e.ID)
	}
	var cs []tracegate.CustomsCode
	if err == nil {
		cs, err = s.parties.CustomsCodes(r.Context(), e.ID)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"customsCodes": cs})
}
