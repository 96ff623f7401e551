package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"tracegate"
	"tracegate/epcis"
)

// queryDefinition is the body of POST /epcis/queries: a name and the query
// parameters, each a string or a list of strings.
type queryDefinition struct {
	Name  string                     `json:"name"`
	Query map[string]json.RawMessage `json:"query"`
}

// handleQueryCreate stores a named query of the caller's enterprise.
func (s *Server) handleQueryCreate(w http.ResponseWriter, r *http.Request) {
	limitBody(w, r, s.maxBody)
	var def queryDefinition
	if err := decodeJSON(r, &def); err != nil {
		s.writeError(w, r, err)
		return
	}
	name := strings.TrimSpace(def.Name)
	if name == "" || len(name) > 100 || strings.ContainsAny(name, "/?#") {
		s.writeError(w, r, tracegate.Invalidf("/name", "name is required: 1 to 100 characters, no / ? #"))
		return
	}
	params := url.Values{}
	for k, raw := range def.Query {
		var one string
		var many []string
		switch {
		case json.Unmarshal(raw, &one) == nil:
			params.Add(k, one)
		case json.Unmarshal(raw, &many) == nil:
			params[k] = many
		default:
			s.writeError(w, r, tracegate.Invalidf("/query/"+k, "%s must be a string or a list of strings", k))
			return
		}
	}
	if _, err := epcis.ParseQuery(params); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principalOf(r)
	q := &epcis.NamedQuery{EnterpriseID: p.EnterpriseID, Regulator: seesAll(p), Name: name, Params: params}
	if err := s.events.CreateNamedQuery(r.Context(), q); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/epcis/queries/"+url.PathEscape(name))
	writeJSON(w, http.StatusCreated, q)
}
