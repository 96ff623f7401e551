package web

import (
	"bufio"
	"context"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"tracegate"
	"tracegate/label"
)

// The label routes' policies and resource check.
var (
	// labelIssuers may request labels: those who bind them too (a label is
	// bound by the enterprise it was issued to), the bonded warehouse or a
	// seller running its own bonded stock.
	labelIssuers = roles(tracegate.RoleWarehouse, tracegate.RoleEcommerce)
	// labelBinders bind labels at intake and dispatch: the warehouse, or a
	// seller running its own bonded stock.
	labelBinders = roles(tracegate.RoleWarehouse, tracegate.RoleEcommerce)
)

// canSeeLabel: a regulator sees any label, an enterprise those issued to
// it and those it holds (bound at intake in its warehouse, for a client).
// Anything else is not found, so that codes cannot be probed.
func canSeeLabel(p *tracegate.Principal, st *label.State) error {
	if p.Role == tracegate.RoleRegulator || p.EnterpriseID == st.IssuedTo || st.WarehouseID != 0 && p.EnterpriseID == st.WarehouseID {
		return nil
	}
	return label.ErrNotGenuine // as for a code never issued
}

// maxBindBody bounds a binding call: MaxBind codes of 26 characters, quoted.
const maxBindBody = 4 << 20

// labelService answers 503 when the server runs without labels.
func (s *Server) labelService() error {
	if s.labels == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "labels are not configured on this server")
	}
	return nil
}

// labelRequestBody is the body of POST /api/labels/requests.
type labelRequestBody struct {
	Count   int    `json:"count"`
	Caption string `json:"caption"`
	// Format is csv (default), pdf (printable sheets) or svg/png (not
	// here: per code, from /api/labels/{code}/qr).
	Format string `json:"format"`
	Layout string `json:"layout"` // a4 (default) or roll, for pdf
}

// handleLabelRequest issues count codes to the caller and answers them,
// once, as a streamed CSV (code,url) or PDF sheets. The codes are stored
// (as keyed hashes) and committed to the ledger before the first byte is
// sent; they are never shown again.
func (s *Server) handleLabelRequest(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, s.maxBody)
	var body labelRequestBody
	if err := decodeJSON(r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	var layout label.Layout
	switch body.Format {
	case "", "csv":
		body.Format = "csv"
	case "pdf":
		switch body.Layout {
		case "", "a4":
			layout = label.A4Layout()
		case "roll":
			layout = label.RollLayout()
		default:
			s.writeError(w, r, tracegate.Invalidf("/layout", `layout must be "a4" or "roll"`))
			return
		}
	default:
		s.writeError(w, r, tracegate.Invalidf("/format", `format must be "csv" or "pdf" (PNG and SVG per code: GET /api/labels/{code}/qr)`))
		return
	}
	p := principalOf(r)
	// The request's work must finish even if the client goes away now:
	// what is committed is then still consistent.
	req, codes, err := s.labels.Issue(context.WithoutCancel(r.Context()), p, body.Count, body.Caption, s.ledger != nil)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "labels issued", "request", req.ID, "count", req.Count, "enterprise", p.EnterpriseID)
	id := strconv.FormatInt(req.ID, 10)
	w.Header().Set("Label-Request-Id", id)
	w.Header().Set("Cache-Control", "no-store")
	seq := slices.Values(codes)
	bw := bufio.NewWriterSize(w, 64<<10)
	if body.Format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="labels-`+id+`.csv"`)
		w.WriteHeader(http.StatusCreated)
		err = label.WriteCSV(bw, seq, s.labels.BaseURL())
	} else {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="labels-`+id+`.pdf"`)
		w.WriteHeader(http.StatusCreated)
		err = label.WriteSheetPDF(bw, layout, label.LabelsFor(s.labels.BaseURL(), body.Caption, seq))
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		// The status is sent; the client sees a cut-off body.
		s.log.WarnContext(r.Context(), "label request not fully delivered", "request", req.ID, "err", err)
	}
	releaseBulkMemory(req.Count)
}

// releaseBulkMemory hands the memory of a bulk request (a million codes,
// their hashes, commitments and leaves: a few hundred MiB) back to the
// system at once rather than as the runtime gets round to it, so that a
// rare bulk job does not leave the server large.
func releaseBulkMemory(n int) {
	if n >= 100_000 {
		go debug.FreeOSMemory()
	}
}

// labelFromPath parses the {code} path value and finds its label, as the
// caller may see it.
func (s *Server) labelFromPath(r *http.Request) (label.Code, *label.State, error) {
	if err := s.labelService(); err != nil {
		return label.Code{}, nil, err
	}
	c, st, err := s.scannedLabel(r)
	if err != nil {
		return c, nil, err
	}
	if err := canSeeLabel(principalOf(r), st); err != nil {
		return c, nil, err
	}
	return c, st, nil
}

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

// handleLabelQR answers the QR code of a label as SVG (default) or PNG
// (?format=png&size=pixels), for printing one label.
func (s *Server) handleLabelQR(w http.ResponseWriter, r *http.Request) {
	c, _, err := s.labelFromPath(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	url := label.URL(s.labels.BaseURL(), c)
	var b []byte
	q := r.URL.Query()
	switch q.Get("format") {
	case "", "svg":
		b, err = label.QRSVG(url)
		w.Header().Set("Content-Type", "image/svg+xml")
	case "png":
		size := 400
		if v := q.Get("size"); v != "" {
			if size, err = strconv.Atoi(v); err != nil {
				s.writeError(w, r, tracegate.Invalidf("/query/size", "size must be a number of pixels"))
				return
			}
		}
		b, err = label.QRPNG(url, size)
		w.Header().Set("Content-Type", "image/png")
	default:
		err = tracegate.Invalidf("/query/format", `format must be "svg" or "png"`)
	}
	if err != nil {
		w.Header().Del("Content-Type")
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(b)
}

// handleLabelIntake binds labels to a filed product at the bonded
// warehouse (入仓理货), all or none.
func (s *Server) handleLabelIntake(w http.ResponseWriter, r *http.Request) {
	var req label.IntakeRequest
	s.bindLabels(w, r, &req, func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error) {
		return s.labels.Intake(ctx, p, &req, s.eventLeaf(p.USCC))
	})
}

// handleLabelDispatch binds labels to an order and its waybill (出仓).
func (s *Server) handleLabelDispatch(w http.ResponseWriter, r *http.Request) {
	var req label.DispatchRequest
	s.bindLabels(w, r, &req, func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error) {
		return s.labels.Dispatch(ctx, p, &req, s.eventLeaf(p.USCC))
	})
}

// handleLabelUnbind undoes intake or dispatch bindings, with a reason.
func (s *Server) handleLabelUnbind(w http.ResponseWriter, r *http.Request) {
	var req label.UnbindRequest
	s.bindLabels(w, r, &req, func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error) {
		return s.labels.Unbind(ctx, p, &req, s.eventLeaf(p.USCC))
	})
}

// bindLabels decodes a binding call into req and runs it: 200 with the
// recording events, or a problem listing every refused code.
func (s *Server) bindLabels(w http.ResponseWriter, r *http.Request, req any, run func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error)) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, maxBindBody)
	if err := decodeJSON(r, req); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := run(context.WithoutCancel(r.Context()), principalOf(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
	releaseBulkMemory(res.Bound)
}

// holdBody is the body of POST /api/holds.
type holdBody struct {
	Kind   label.NoticeKind `json:"kind"`
	GTIN   string           `json:"gtin"`
	Batch  string           `json:"batch"`
	Text   string           `json:"text"`
	TextEN string           `json:"textEn"`
	Since  time.Time        `json:"since,omitzero"`
	Until  *time.Time       `json:"until,omitempty"`
}

// handleHoldCreate lets a regulator put a recall, stop-sale or risk notice
// on a product or one batch: it refuses binding (recall, stop-sale) and
// shows on every affected scan page at once.
func (s *Server) handleHoldCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, s.maxBody)
	var b holdBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := label.Hold{Kind: b.Kind, GTIN: b.GTIN, Batch: b.Batch, Text: b.Text, TextEN: b.TextEN, Since: b.Since, Until: b.Until,
		CreatedBy: principalOf(r).EnterpriseID}
	if h.Since.IsZero() {
		h.Since = s.clock.Now().UTC()
	}
	if err := label.CheckHold(&h); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.CreateHold(r.Context(), &h); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.resolver.ForgetHolds() // this node's pages show it at once; other nodes within 5 s
	w.Header().Set("Location", "/api/holds?gtin="+h.GTIN)
	writeJSON(w, http.StatusCreated, h)
}

// handleHoldList lists the holds, on one GTIN with ?gtin=.
func (s *Server) handleHoldList(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	hs, err := s.store.Holds(r.Context(), r.URL.Query().Get("gtin"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if hs == nil {
		hs = []label.Hold{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"holds": hs})
}
