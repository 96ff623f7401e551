package audit

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// LabelRequestRows counts a label request's labels: those its issuance
// leaves commit to, and the rows the store answers scans from.
type LabelRequestRows struct {
	RequestID   int64
	LedgerIndex int64
	Committed   int64 // commitments in the request's chunks
	Stored      int64 // label rows of the request
	Seqs        int64 // distinct seq values among them
	MaxSeq      int64 // -1 when none
}

// BindingRow is an intake or dispatch binding row, the labels that point
// at it, and the stored (ledgered) event it names.
type BindingRow struct {
	Kind         label.BindKind // BindIntake or BindDispatch
	ID           int64
	EnterpriseID int64
	At           time.Time
	EventID      string
	// Intake.
	GTIN, Batch, ProductionDate, ExpiryDate, Warehouse string
	// Dispatch.
	EBPCode, OrderNo, LogisticsCode, WaybillNo string
	// Labels are the EPCs (label.EPC) of the labels bound to the row.
	Labels []string
	// EventBody is the body of the event with EventID (nil when none is
	// stored), EventEnterprise its capturing enterprise.
	EventBody       []byte
	EventEnterprise int64
	EventLedger     int64
}

// LabelLink is where a label points now, and when it was last unbound
// from an intake and from a dispatch (zero when never).
type LabelLink struct {
	IntakeID, DispatchID           int64
	UnboundIntake, UnboundDispatch time.Time
}

// LabelRowStore is implemented by stores that keep labels and bindings.
type LabelRowStore interface {
	// LabelRequestRows yields every ledgered label request.
	LabelRequestRows(ctx context.Context, fn func(r *LabelRequestRows) error) error
	// BindingRows yields every intake and dispatch row.
	BindingRows(ctx context.Context, fn func(b *BindingRow) error) error
	// LabelLinks returns, for the labels with hashes that exist, where each
	// points now and when it was last unbound.
	LabelLinks(ctx context.Context, hashes [][32]byte) (map[[32]byte]*LabelLink, error)
	// DanglingBindings counts the labels that point at an intake or a
	// dispatch row that does not exist.
	DanglingBindings(ctx context.Context) (intakes, dispatches int64, err error)
}

// checkLabels checks that every label the issuance leaves commit to has its
// row (none deleted or added), and that every binding row, and each label
// bound to it, is what its ledgered binding event says.
func checkLabels(ctx context.Context, s LabelRowStore, report func(ledger.Finding)) error {
	err := s.LabelRequestRows(ctx, func(r *LabelRequestRows) error {
		if r.Stored != r.Committed || r.Seqs != r.Stored || r.MaxSeq != r.Stored-1 {
			report(ledger.Finding{Kind: FindingStateMismatch, Index: r.LedgerIndex, Message: fmt.Sprintf(
				"label request %d: table labels has %d rows (%d distinct seq, max %d), the issuance leaves commit to %d labels (deleted or inserted labels)",
				r.RequestID, r.Stored, r.Seqs, r.MaxSeq, r.Committed)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	intakes, dispatches, err := s.DanglingBindings(ctx)
	if err != nil {
		return err
	}
	if intakes+dispatches > 0 {
		report(ledger.Finding{Kind: FindingStateMismatch, Index: -1, Message: fmt.Sprintf(
			"table labels: %d labels point at a deleted label_intakes row, %d at a deleted label_dispatches row", intakes, dispatches)})
	}
	return s.BindingRows(ctx, func(b *BindingRow) error {
		table := map[label.BindKind]string{label.BindIntake: "label_intakes", label.BindDispatch: "label_dispatches"}[b.Kind]
		bad := func(format string, args ...any) {
			report(ledger.Finding{Kind: FindingStateMismatch, Index: b.EventLedger,
				Message: fmt.Sprintf("table %s, row %d: ", table, b.ID) + fmt.Sprintf(format, args...)})
		}
		if b.EventBody == nil {
			bad("names event %q, which is not stored", b.EventID)
			return nil
		}
		e, err := epcis.DecodeEvent(b.EventBody)
		if err != nil {
			return nil // the ledger audit reports an undecodable record
		}
		want := bindingOf(b.Kind, e)
		got := []struct{ name, got string }{
			{"gtin", b.GTIN}, {"batch", b.Batch}, {"production_date", b.ProductionDate}, {"expiry_date", b.ExpiryDate},
			{"warehouse", b.Warehouse}, {"order", label.OrderURI(b.EBPCode, b.OrderNo)}, {"waybill", label.WaybillURI(b.LogisticsCode, b.WaybillNo)},
		}
		for _, f := range got {
			if w, ok := want[f.name]; ok && w != f.got {
				bad("field %s is %q, the ledgered binding event says %q", f.name, f.got, w)
			}
		}
		if !b.At.Equal(e.EventTime) {
			bad("field at is %v, the ledgered binding event says %v", b.At.UTC(), e.EventTime.UTC())
		}
		if b.EnterpriseID != b.EventEnterprise {
			bad("field enterprise_id is %d, the ledgered binding event was captured by %d", b.EnterpriseID, b.EventEnterprise)
		}
		for _, epc := range b.Labels {
			if !slices.Contains(e.EPCList, epc) {
				bad("label %s is bound to it, but the ledgered binding event does not name it", epc)
			}
		}
		return checkBound(ctx, s, b, e, bad)
	})
}

// checkBound reports the labels the ledgered binding event of b names
// that no longer point at b although they were never unbound since.
func checkBound(ctx context.Context, s LabelRowStore, b *BindingRow, e *epcis.Event, bad func(string, ...any)) error {
	var hashes [][32]byte
	for _, epc := range e.EPCList {
		h, err := hex.DecodeString(strings.TrimPrefix(epc, label.EPCPrefix))
		if !strings.HasPrefix(epc, label.EPCPrefix) || err != nil || len(h) != 32 {
			continue
		}
		hashes = append(hashes, [32]byte(h))
	}
	links, err := s.LabelLinks(ctx, hashes)
	if err != nil {
		return err
	}
	for _, h := range hashes {
		l, ok := links[h]
		if !ok {
			continue // a deleted label is reported by its request's count
		}
		bound, unbound := l.IntakeID == b.ID, l.UnboundIntake
		if b.Kind == label.BindDispatch {
			bound, unbound = l.DispatchID == b.ID, l.UnboundDispatch
		}
		if !bound && unbound.Before(b.At) {
			bad("label %s is named by the ledgered binding event but no longer bound to it, and was never unbound", label.EPC(h))
		}
	}
	return nil
}

// bindingOf returns the binding fields a binding event states.
func bindingOf(kind label.BindKind, e *epcis.Event) map[string]string {
	out := map[string]string{}
	if kind == label.BindIntake {
		out["production_date"], out["expiry_date"] = "", ""
		for _, el := range e.ILMD {
			switch el.Local {
			case "lotNumber":
				out["batch"] = el.Value
			case "itemExpirationDate":
				out["expiry_date"] = el.Value
			case "productionDate":
				out["production_date"] = el.Value
			case "gtin":
				out["gtin"] = el.Value
			}
		}
		for _, el := range e.Extensions {
			if el.Local == "warehouse" {
				out["warehouse"] = el.Value
			}
		}
		return out
	}
	for _, bt := range e.BizTransactionList {
		switch bt.Type {
		case "https://ref.gs1.org/cbv/BTT-po", "po", "urn:epcglobal:cbv:btt:po":
			out["order"] = bt.Value
		case "https://ref.gs1.org/cbv/BTT-bol", "bol", "urn:epcglobal:cbv:btt:bol":
			out["waybill"] = bt.Value
		}
	}
	return out
}
