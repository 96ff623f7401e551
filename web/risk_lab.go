package web

import (
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/risk"
)

// handleRiskLabOrderCreate places a lab order (a regulator or a platform):
// 201 with the order and what the credit level of the goods' filer says of
// the batch (sampling).
func (s *Server) handleRiskLabOrderCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, 64<<10)
	var req risk.LabOrderRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	o, err := s.risk.OrderLab(r.Context(), *principalOf(r), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/risk/lab-orders/"+itoa64(o.ID))
	writeJSON(w, http.StatusCreated, o)
}

// handleRiskLabOrderList lists the lab orders the caller sees
// (?status=&gtin=&batch=&before=&limit=), newest first.
func (s *Server) handleRiskLabOrderList(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limit, err := queryLimit(r, 100, 500)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	before, err := queryBefore(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	os, err := s.risk.LabOrders(r.Context(), *principalOf(r), risk.LabOrderFilter{Status: risk.LabStatus(q.Get("status")),
		GTIN: q.Get("gtin"), Batch: q.Get("batch"), BeforeID: before, Limit: limit})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"labOrders": os})
}

// handleRiskLabOrderGet shows a lab order with its results to the
// regulator, its orderer and its lab (404 to anyone else).
func (s *Server) handleRiskLabOrderGet(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	o, err := s.risk.LabOrder(r.Context(), *principalOf(r), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// handleRiskLabResults records the lab's results
// ({"results":[{"test","passed","hazard","severity","detail","report":{"name","data"}}]}),
// all or nothing: 201 with the order. Only the order's lab may (404 to
// anyone else); a failed result is a lab_test signal.
func (s *Server) handleRiskLabResults(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, maxRiskBody)
	var req struct {
		Results []*risk.LabResult `json:"results"`
	}
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	o, _, err := s.risk.RecordLabResults(r.Context(), *principalOf(r), id, req.Results)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, o)
}

// handleRiskLabReport serves a result's PDF report to those who see the
// order.
func (s *Server) handleRiskLabReport(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rid, err := pathID(r, "report")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.risk.LabReport(r.Context(), *principalOf(r), id, rid)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	serveAttachment(w, a)
}

// serveAttachment writes an attachment's bytes under its sniffed type, as
// a download that is never cached nor sniffed again.
func serveAttachment(w http.ResponseWriter, a *risk.Attachment) {
	w.Header().Set("Content-Type", a.Type)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+urlPathEscape(a.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(a.Data)
}

// handleRiskPreListingGet answers the platform's setting {"required"}.
func (s *Server) handleRiskPreListingGet(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	req, err := s.risk.PreListing(r.Context(), *principalOf(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"required": req})
}

// handleRiskPreListingPut sets whether the platform requires a passed
// pre-listing inspection before its orders' goods are dispatched
// ({"required":true}).
func (s *Server) handleRiskPreListingPut(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, 4<<10)
	var req struct {
		Required *bool `json:"required"`
	}
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Required == nil {
		s.writeError(w, r, tracegate.Invalidf("/required", "required is true or false"))
		return
	}
	if err := s.risk.SetPreListing(r.Context(), *principalOf(r), *req.Required); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"required": *req.Required})
}
