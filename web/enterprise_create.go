package web

import (
	"net/http"
	"strconv"

	"tracegate"
)

// enterpriseRequest is the body of POST /api/enterprises.
type enterpriseRequest struct {
	USCC   string           `json:"uscc"`
	Name   string           `json:"name"`
	NameEN string           `json:"nameEn"`
	Roles  []tracegate.Role `json:"roles"`
}

// handleEnterpriseCreate registers an enterprise (regulators only) and
// answers 201 with it and its Location.
func (s *Server) handleEnterpriseCreate(w http.ResponseWriter, r *http.Request) {
	limitBody(w, r, s.maxBody)
	var req enterpriseRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	e := &tracegate.Enterprise{USCC: req.USCC, Name: req.Name, NameEN: req.NameEN, Roles: req.Roles}
	if err := s.enterprises.CreateEnterprise(r.Context(), e); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/enterprises/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, e)
}
