package web

import (
	"net/http"

	"tracegate"
)

// meResponse is the body of GET /api/me.
type meResponse struct {
	Enterprise *tracegate.Enterprise `json:"enterprise"`
	Role       tracegate.Role        `json:"role"`
	KeyID      int64                 `json:"keyId"`
}

// handleMeGet answers the caller's enterprise and the role of its key. The
// enterprise is the one authentication loaded, so it is as fresh as the key
// cache (Config.KeyCacheTTL).
func (s *Server) handleMeGet(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	e := p.Enterprise
	if e == nil {
		var err error
		if e, err = s.enterprises.FindEnterprise(r.Context(), p.EnterpriseID); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, meResponse{Enterprise: e, Role: p.Role, KeyID: p.KeyID})
}
