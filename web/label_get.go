package web

import (
	"net/http"
	"time"

	"tracegate/label"
)

// labelInfo is the answer of GET /api/labels/{code}.
type labelInfo struct {
	Code           string     `json:"code"`
	URL            string     `json:"url"`
	RequestID      int64      `json:"requestId"`
	IssuedTo       int64      `json:"issuedTo"`
	IssuedAt       time.Time  `json:"issuedAt"`
	GTIN           string     `json:"gtin,omitempty"`
	Batch          string     `json:"batch,omitempty"`
	ProductionDate string     `json:"productionDate,omitempty"`
	ExpiryDate     string     `json:"expiryDate,omitempty"`
	Warehouse      string     `json:"warehouse,omitempty"`
	IntakeAt       *time.Time `json:"intakeAt,omitempty"`
	IntakeEvent    string     `json:"intakeEvent,omitempty"`
	EBPCode        string     `json:"ebpCode,omitempty"`
	OrderNo        string     `json:"orderNo,omitempty"`
	LogisticsCode  string     `json:"logisticsCode,omitempty"`
	WaybillNo      string     `json:"waybillNo,omitempty"`
	DispatchAt     *time.Time `json:"dispatchAt,omitempty"`
	DispatchEvent  string     `json:"dispatchEvent,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// handleLabelGet answers a label's bindings to its issuer or a regulator.
func (s *Server) handleLabelGet(w http.ResponseWriter, r *http.Request) {
	c, st, err := s.labelFromPath(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, labelInfo{Code: c.String(), URL: label.URL(s.labels.BaseURL(), c), RequestID: st.RequestID,
		IssuedTo: st.IssuedTo, IssuedAt: st.IssuedAt, GTIN: st.GTIN, Batch: st.Batch, ProductionDate: st.ProductionDate,
		ExpiryDate: st.ExpiryDate, Warehouse: st.Warehouse, IntakeAt: optTime(st.IntakeAt), IntakeEvent: st.IntakeEvent,
		EBPCode: st.EBPCode, OrderNo: st.OrderNo, LogisticsCode: st.LogisticsCode, WaybillNo: st.WaybillNo,
		DispatchAt: optTime(st.DispatchAt), DispatchEvent: st.DispatchEvent})
}
