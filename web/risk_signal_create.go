package web

import (
	"mime"
	"net/http"
	"time"

	"tracegate"
	"tracegate/risk"
)

// signalInput is a signal as a client states it.
type signalInput struct {
	Kind        risk.Kind          `json:"kind"`
	Source      string             `json:"source"`
	ObservedAt  time.Time          `json:"observedAt"`
	Selector    tracegate.Selector `json:"selector"`
	Hazard      risk.Hazard        `json:"hazard"`
	Severity    risk.Severity      `json:"severity"`
	Title       string             `json:"title"`
	Detail      string             `json:"detail"`
	Ref         string             `json:"ref"`
	Attachments []struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Data []byte `json:"data"` // base64
	} `json:"attachments"`
}

func (in *signalInput) signal() *risk.Signal {
	sig := &risk.Signal{Kind: in.Kind, Source: in.Source, ObservedAt: in.ObservedAt, Selector: in.Selector, Hazard: in.Hazard,
		Severity: in.Severity, Title: in.Title, Detail: in.Detail, Ref: in.Ref}
	for _, a := range in.Attachments {
		sig.Attachments = append(sig.Attachments, risk.Attachment{Name: a.Name, Type: a.Type, Data: a.Data})
	}
	return sig
}

// handleRiskSignalCreate stores risk signals: one JSON signal (201 with
// the signal), {"signals":[…]} (201 {"signals":[…]}), or a CSV with a
// header row (text/csv; 201 {"signals":[…]}), all or nothing. Regulators
// and labs state any; a platform only findings on goods it filed.
func (s *Server) handleRiskSignalCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, maxRiskBody)
	p := *principalOf(r)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "text/csv" {
		sigs, _, err := s.risk.ImportCSV(r.Context(), p, r.Body, nil)
		if err != nil {
			s.writeError(w, r, jsonBodyError(err))
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"signals": sigs})
		return
	}
	var req struct {
		signalInput
		Signals []signalInput `json:"signals"`
	}
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Signals != nil {
		sigs := make([]*risk.Signal, len(req.Signals))
		for i := range req.Signals {
			sigs[i] = req.Signals[i].signal()
		}
		if _, err := s.risk.AddSignalList(r.Context(), p, sigs); err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"signals": sigs})
		return
	}
	sig := req.signalInput.signal()
	if _, err := s.risk.AddSignals(r.Context(), p, []*risk.Signal{sig}); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/risk/signals/"+itoa64(sig.ID))
	writeJSON(w, http.StatusCreated, sig)
}
