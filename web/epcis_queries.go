package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	q := &epcis.NamedQuery{EnterpriseID: p.EnterpriseID, Regulator: p.Role == tracegate.RoleRegulator, Name: name, Params: params}
	if err := s.store.CreateNamedQuery(r.Context(), q); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/epcis/queries/"+url.PathEscape(name))
	writeJSON(w, http.StatusCreated, q)
}

// handleQueryList lists the caller's named queries.
func (s *Server) handleQueryList(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.ListNamedQueries(r.Context(), principalOf(r).EnterpriseID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// handleQueryGet answers one named query.
func (s *Server) handleQueryGet(w http.ResponseWriter, r *http.Request) {
	q, err := s.store.FindNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, q)
}

// handleQueryDelete removes a named query and its subscriptions.
func (s *Server) handleQueryDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleQueryEvents runs a named query (paging parameters may be added).
func (s *Server) handleQueryEvents(w http.ResponseWriter, r *http.Request) {
	nq, err := s.store.FindNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	params := url.Values{}
	for k, v := range nq.Params {
		params[k] = v
	}
	for _, k := range []string{"perPage", "nextPageToken"} {
		if v := r.URL.Query().Get(k); v != "" {
			params.Set(k, v)
		}
	}
	q, err := epcis.ParseQuery(params)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.answerQuery(w, r, q, nq.Name)
}

// subscriptionRequest is the body of POST .../subscriptions.
type subscriptionRequest struct {
	Dest              string          `json:"dest"`
	SignatureToken    string          `json:"signatureToken"`
	Stream            bool            `json:"stream"`
	Schedule          json.RawMessage `json:"schedule"`
	ReportIfEmpty     bool            `json:"reportIfEmpty"`
	InitialRecordTime string          `json:"initialRecordTime"`
}

// handleSubscriptionCreate subscribes a webhook to a named query's new
// events, as a stream or on a schedule, from now or from initialRecordTime.
func (s *Server) handleSubscriptionCreate(w http.ResponseWriter, r *http.Request) {
	limitBody(w, r, s.maxBody)
	nq, err := s.store.FindNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req subscriptionRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := url.Parse(req.Dest)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		s.writeError(w, r, tracegate.Invalidf("/dest", "dest must be an http(s) URL"))
		return
	}
	if err := s.webhooks.CheckURL(r.Context(), u); err != nil { // checked again at every connection
		s.writeError(w, r, tracegate.Invalidf("/dest", "dest may not be reached: %v", err))
		return
	}
	var schedule *epcis.Schedule
	if len(req.Schedule) > 0 && string(req.Schedule) != "null" {
		schedule = &epcis.Schedule{}
		if err := decodeSchedule(req.Schedule, schedule); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	switch {
	case schedule != nil && req.Stream:
		s.writeError(w, r, tracegate.Invalidf("/stream", "a subscription has either \"stream\": true or a schedule, not both"))
		return
	case schedule == nil && !req.Stream:
		s.writeError(w, r, tracegate.Invalidf("/stream", "set \"stream\": true to receive every new matching event, or give a schedule"))
		return
	case schedule == nil && req.ReportIfEmpty:
		s.writeError(w, r, tracegate.Invalidf("/reportIfEmpty", "reportIfEmpty applies to scheduled subscriptions only"))
		return
	}
	if len(req.SignatureToken) < 16 {
		s.writeError(w, r, tracegate.Invalidf("/signatureToken", "signatureToken must have at least 16 characters: it keys the GS1-Signature HMAC"))
		return
	}
	from := time.Time{}
	if req.InitialRecordTime != "" {
		if from, err = time.Parse(time.RFC3339Nano, req.InitialRecordTime); err != nil {
			s.writeError(w, r, tracegate.Invalidf("/initialRecordTime", "initialRecordTime must be an RFC 3339 time"))
			return
		}
	}
	pos, err := s.store.LastSeq(r.Context(), from)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var id [16]byte
	rand.Read(id[:])
	sub := &epcis.Subscription{ID: hex.EncodeToString(id[:]), QueryID: nq.ID, Dest: req.Dest, Token: req.SignatureToken, Position: pos,
		Schedule: schedule, ReportIfEmpty: req.ReportIfEmpty}
	if err := s.store.CreateSubscription(r.Context(), sub); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/epcis/queries/"+url.PathEscape(nq.Name)+"/subscriptions/"+sub.ID)
	writeJSON(w, http.StatusCreated, sub)
}

// handleSubscriptionList lists a named query's subscriptions.
func (s *Server) handleSubscriptionList(w http.ResponseWriter, r *http.Request) {
	nq, err := s.store.FindNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.ListSubscriptions(r.Context(), nq.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// handleSubscriptionDelete ends a subscription.
func (s *Server) handleSubscriptionDelete(w http.ResponseWriter, r *http.Request) {
	nq, err := s.store.FindNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err == nil {
		err = s.store.DeleteSubscription(r.Context(), nq.ID, r.PathValue("id"))
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// decodeSchedule reads a schedule object whose fields are strings (or
// numbers, which the OpenAPI's examples use) and validates it.
func decodeSchedule(raw json.RawMessage, sch *epcis.Schedule) error {
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return tracegate.Invalidf("/schedule", "schedule must be an object")
	}
	dst := map[string]*string{"second": &sch.Second, "minute": &sch.Minute, "hour": &sch.Hour,
		"dayOfMonth": &sch.DayOfMonth, "month": &sch.Month, "dayOfWeek": &sch.DayOfWeek}
	for k, v := range fields {
		p, ok := dst[k]
		if !ok {
			return tracegate.Invalidf("/schedule/"+k, "unknown schedule field %q", k)
		}
		switch v := v.(type) {
		case string:
			*p = v
		case float64:
			*p = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			return tracegate.Invalidf("/schedule/"+k, "%s must be a string such as \"0\", \"[1-5]\" or \"0,30\"", k)
		}
	}
	return sch.Validate()
}
