package web

import (
	"net/http"

	"tracegate"
)

// apiKeyRequest is the body of POST /api/enterprises/{id}/apikeys.
type apiKeyRequest struct {
	Role  tracegate.Role `json:"role"`
	Label string         `json:"label"`
}

// apiKeyCreated is the answer: the key's record and, once, its secret.
type apiKeyCreated struct {
	*tracegate.APIKey
	Key string `json:"key"`
}

// handleAPIKeyCreate issues a key for an enterprise (regulators only). The
// secret is in this answer and nowhere else.
func (s *Server) handleAPIKeyCreate(w http.ResponseWriter, r *http.Request) {
	limitBody(w, r, s.maxBody)
	var req apiKeyRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	role, err := tracegate.ParseRole(string(req.Role))
	if err != nil {
		s.writeError(w, r, tracegate.Invalidf("/role", "unknown role %q", req.Role))
		return
	}
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	k, secret, err := tracegate.IssueAPIKey(r.Context(), s.enterprises, e, role, req.Label)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, apiKeyCreated{APIKey: k, Key: secret})
}
