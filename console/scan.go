package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
)

// The binding screens for a barcode scanner at the dock: a keyboard-wedge
// scanner types each code (or the URL its QR holds) and Enter into a
// focused input; each code is bound at once (label.Service.Intake or
// Dispatch, one code a call) and its verdict shown — bound, or the
// service's reason — with the totals and an undo (label.Service.Unbind).
// Without JavaScript each scan is a form post that shows the page again;
// with htmx the verdict is added above the last one and the input stays
// focused (console.js clears it as the request leaves, so the next scan
// can follow at once; scans queue in order).

var binders = []tracegate.Role{tracegate.RoleEcommerce, tracegate.RoleWarehouse}

// scanSetup is what every code of one scanning run is bound to.
type scanSetup struct {
	Mode                                       string // intake or dispatch
	GTIN, Batch, ProductionDate, ExpiryDate    string
	EBPCode, OrderNo, LogisticsCode, WaybillNo string
}

// Ready reports whether the run is set up (every required field given).
func (s scanSetup) Ready() bool {
	if s.Mode == "intake" {
		return s.GTIN != "" && s.Batch != ""
	}
	return s.EBPCode != "" && s.OrderNo != "" && s.LogisticsCode != "" && s.WaybillNo != ""
}

// query is the setup as the scan page's query string.
func (s scanSetup) query() string {
	v := url.Values{}
	for k, x := range map[string]string{"gtin": s.GTIN, "batch": s.Batch, "productionDate": s.ProductionDate, "expiryDate": s.ExpiryDate,
		"ebpCode": s.EBPCode, "orderNo": s.OrderNo, "logisticsCode": s.LogisticsCode, "waybillNo": s.WaybillNo} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

func setupOf(r *http.Request, mode string) scanSetup {
	g := func(k string) string { return strings.TrimSpace(r.FormValue(k)) }
	return scanSetup{Mode: mode, GTIN: g("gtin"), Batch: g("batch"), ProductionDate: g("productionDate"), ExpiryDate: g("expiryDate"),
		EBPCode: g("ebpCode"), OrderNo: g("orderNo"), LogisticsCode: g("logisticsCode"), WaybillNo: g("waybillNo")}
}

type verdict struct {
	Code   string // as scanned, normalised when it parsed
	OK     bool
	Undone bool
	Msg    string
	Mode   string
	Inline bool // shown alone by htmx: the undo takes the page's totals
	Totals totals
	Setup  scanSetup
}

type totals struct{ Bound, Refused int }

type scanData struct {
	Setup   scanSetup
	Query   string
	Totals  totals
	Verdict *verdict
	Change  bool // the setup form, to change a ready run
}

func modeOf(q *req) (string, error) {
	m := q.r.PathValue("mode")
	if m != "intake" && m != "dispatch" {
		return "", errNotFound
	}
	return m, nil
}

func (c *Console) handleScanPage(q *req) error {
	mode, err := modeOf(q)
	if err != nil {
		return err
	}
	st := setupOf(q.r, mode)
	c.render(q, http.StatusOK, "scan", "console.scan."+mode, scanData{Setup: st, Query: st.query(), Change: q.r.FormValue("change") != ""})
	return nil
}

// codeOf is the label code in what a scanner typed: the code itself, or
// the scan URL of its QR (…/l/CODE).
func codeOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "/l/"); i >= 0 {
		s = s[i+3:]
		if j := strings.IndexAny(s, "?#/"); j >= 0 {
			s = s[:j]
		}
	}
	return s
}

func countOf(r *http.Request, k string) int {
	n, err := strconv.Atoi(r.FormValue(k))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// handleScan binds one scanned code.
func (c *Console) handleScan(q *req) error {
	mode, err := modeOf(q)
	if err != nil {
		return err
	}
	st := setupOf(q.r, mode)
	t := totals{Bound: countOf(q.r, "bound"), Refused: countOf(q.r, "refused")}
	raw := codeOf(q.r.PostFormValue("code"))
	v := &verdict{Code: raw, Mode: mode, Inline: q.htmx()}
	if code, perr := label.ParseCode(raw); perr == nil {
		v.Code = code.String()
	}
	ctx := q.r.Context()
	leaf := c.leaf(q.p.USCC)
	if raw == "" {
		err = tracegate.Invalidf("/code", "scan or type a label code")
	} else if mode == "intake" {
		_, err = c.cfg.Labels.Intake(ctx, q.p, &label.IntakeRequest{Codes: []string{raw}, GTIN: st.GTIN, Batch: st.Batch,
			ProductionDate: st.ProductionDate, ExpiryDate: st.ExpiryDate}, leaf)
	} else {
		_, err = c.cfg.Labels.Dispatch(ctx, q.p, &label.DispatchRequest{Codes: []string{raw}, EBPCode: st.EBPCode, OrderNo: st.OrderNo,
			LogisticsCode: st.LogisticsCode, WaybillNo: st.WaybillNo}, leaf)
	}
	switch {
	case err == nil:
		v.OK = true
		t.Bound++
		c.audit(ctx, q.user, "scan", mode, v.Code)
	case tracegate.ErrorCode(err) == tracegate.EINTERNAL || tracegate.ErrorCode(err) == tracegate.EUNAVAILABLE:
		return err
	default:
		v.Msg = tracegate.ErrorMessage(err)
		t.Refused++
	}
	v.Totals, v.Setup = t, st
	return c.showVerdict(q, st, v)
}

func (c *Console) showVerdict(q *req, st scanSetup, v *verdict) error {
	if q.htmx() {
		c.renderPart(q, http.StatusOK, "scan", "verdict", v)
		return nil
	}
	c.render(q, http.StatusOK, "scan", "console.scan."+st.Mode, scanData{Setup: st, Query: st.query(), Totals: v.Totals, Verdict: v})
	return nil
}

// handleScanUndo unbinds the code just bound.
func (c *Console) handleScanUndo(q *req) error {
	mode, err := modeOf(q)
	if err != nil {
		return err
	}
	st := setupOf(q.r, mode)
	t := totals{Bound: countOf(q.r, "bound"), Refused: countOf(q.r, "refused")}
	code := q.r.PostFormValue("code")
	v := &verdict{Code: code, Mode: mode, Inline: q.htmx()}
	by := q.p.USCC
	if q.user != nil {
		by = q.user.Login
	}
	_, err = c.cfg.Labels.Unbind(q.r.Context(), q.p, &label.UnbindRequest{Codes: []string{code}, Of: mode, Reason: "undone at the scanner by " + by}, c.leaf(q.p.USCC))
	if err != nil && !userError(err) {
		return err
	}
	if err != nil {
		v.Msg = tracegate.ErrorMessage(err)
		v.OK = true // still bound
	} else {
		v.Undone = true
		if t.Bound > 0 {
			t.Bound--
		}
		c.audit(q.r.Context(), q.user, "scan", "undo-"+mode, code)
	}
	v.Totals, v.Setup = t, st
	return c.showVerdict(q, st, v)
}

func (c *Console) leaf(uscc string) epcis.LeafFunc {
	if c.cfg.EventLeaf == nil {
		return nil
	}
	return c.cfg.EventLeaf(uscc)
}
