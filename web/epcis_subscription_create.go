package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tracegate"
	"tracegate/epcis"
)

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
	p := principalOf(r)
	if _, err := s.events.NamedQuery(r.Context(), p.EnterpriseID, r.PathValue("name")); err != nil { // unknown before invalid
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
	sub := &epcis.Subscription{Dest: req.Dest, Token: req.SignatureToken, Schedule: schedule, ReportIfEmpty: req.ReportIfEmpty}
	nq, err := s.events.Subscribe(r.Context(), p.EnterpriseID, r.PathValue("name"), sub, from)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/epcis/queries/"+url.PathEscape(nq.Name)+"/subscriptions/"+sub.ID)
	writeJSON(w, http.StatusCreated, sub)
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
