package web

import (
	"net/http"
	"strconv"

	"tracegate"
)

// handleEnterpriseGet answers one enterprise by numeric ID or USCC; a
// regulator sees any, an enterprise itself only.
func (s *Server) handleEnterpriseGet(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := canSeeEnterprise(principalOf(r), e.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// findEnterprise resolves an enterprise reference: a numeric ID or a USCC.
func (s *Server) findEnterprise(r *http.Request, ref string) (*tracegate.Enterprise, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && len(ref) < 18 {
		return s.enterprises.FindEnterprise(r.Context(), id)
	}
	code, err := tracegate.ValidateUSCC(ref)
	if err != nil {
		return nil, tracegate.Invalidf("/id", "%q is neither an enterprise ID nor a valid USCC", ref)
	}
	return s.enterprises.FindEnterpriseByUSCC(r.Context(), code)
}
