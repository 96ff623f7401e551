package label

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"tracegate"
	"tracegate/epcis"
	"tracegate/gs1"
)

// BindingGTINs returns the GTINs whose holds CheckBinding needs: the
// intake's product, or the products the labels were bound to.
func BindingGTINs(b *Binding, states []*State) []string {
	if b.Kind == BindIntake {
		return []string{b.GTIN}
	}
	var out []string
	for _, st := range states {
		if st != nil && st.GTIN != "" && !slices.Contains(out, st.GTIN) {
			out = append(out, st.GTIN)
		}
	}
	return out
}

// CheckBinding decides whether b may be applied, given the stored state of
// each of its labels (states[i] for b.Hashes[i], nil for a code never
// issued) and the holds on the GTINs of BindingGTINs. Every label is
// checked; the error's Details name each refused one (/codes/i) with its
// reason: never issued (or issued to an enterprise whose labels the binder
// may not bind: the same answer), already bound, not bound yet, or under a
// recall or stop-sale. It is ENOTFOUND when no label of b was issued to
// the binder or its clients (nothing to tell apart from guessing), ECONFLICT
// otherwise; nil when all pass. Service calls it inside the transaction
// that applies b.
func CheckBinding(b *Binding, states []*State, holds []Hold) error {
	var errs []tracegate.FieldError
	unknown := 0
	refuse := func(i int, format string, args ...any) {
		errs = append(errs, tracegate.FieldError{Pointer: fmt.Sprintf("/codes/%d", i), Detail: fmt.Sprintf(format, args...)})
	}
	for i, st := range states {
		switch {
		case st == nil || !b.mayBind(st.IssuedTo):
			// Another's label is answered as one never issued: a code of
			// someone else says nothing more than a guess.
			unknown++
			refuse(i, "not a code issued by tracegate")
			continue
		}
		gtin, batch := st.GTIN, st.Batch
		switch b.Kind {
		case BindIntake:
			if st.ProductID != 0 {
				refuse(i, "already bound at intake to GTIN %s batch %s", st.GTIN, st.Batch)
				continue
			}
			gtin, batch = b.GTIN, b.Batch
		case BindDispatch:
			switch {
			case st.ProductID == 0:
				refuse(i, "not bound to a product at intake yet")
				continue
			case !st.DispatchAt.IsZero():
				refuse(i, "already bound to waybill %s (one item, one waybill: unbind it first)", st.WaybillNo)
				continue
			}
		case UnbindIntake:
			switch {
			case st.ProductID == 0:
				refuse(i, "not bound at intake")
			case !st.DispatchAt.IsZero():
				refuse(i, "bound to waybill %s: unbind the dispatch first", st.WaybillNo)
			}
			continue // a hold never keeps a label bound
		case UnbindDispatch:
			if st.DispatchAt.IsZero() {
				refuse(i, "not bound to a waybill")
			}
			continue
		}
		if b.Refuse != nil {
			if why := b.Refuse(st, gtin, batch); why != "" {
				refuse(i, "%s", why)
				continue
			}
		}
		for _, h := range holds {
			if h.GTIN == gtin && h.Blocks(batch, b.Now) {
				what := "GTIN " + gtin
				if h.Batch != "" {
					what += " batch " + h.Batch
				}
				refuse(i, "%s is under a %s since %s: %s", what, holdWord(h.Kind), h.Since.Format("2006-01-02"), h.Text)
				break
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	code := tracegate.ECONFLICT
	if unknown == len(states) {
		code = tracegate.ENOTFOUND
	}
	return &tracegate.Error{Code: code, Pointer: errs[0].Pointer, Details: errs,
		Message: fmt.Sprintf("%d of %d labels refused; nothing was bound: %s", len(errs), len(states), errs[0].Detail)}
}

func holdWord(k NoticeKind) string {
	switch k {
	case NoticeRecall:
		return "recall"
	case NoticeStopSale:
		return "stop-sale"
	}
	return string(k)
}

// applyBinding checks b against each label's state and the holds and, when
// every label passes, applies it and writes its events (with their ledger
// leaves when leaf is set) in tx. Otherwise it writes nothing and fails as
// CheckBinding does.
func applyBinding(ctx context.Context, tx Tx, b *Binding, leaf epcis.LeafFunc, events []*epcis.Record) error {
	states, err := tx.Labels(ctx, b.Hashes)
	if err != nil {
		return err
	}
	var holds []Hold
	for _, g := range BindingGTINs(b, states) {
		hs, err := tx.Holds(ctx, g)
		if err != nil {
			return err
		}
		holds = append(holds, hs...)
	}
	if err := CheckBinding(b, states, holds); err != nil {
		return err
	}
	if err := tx.ApplyBinding(ctx, b, states); err != nil {
		return err
	}
	return tx.CaptureEvents(ctx, b.EnterpriseID, leaf, events)
}

// UnbindingDetail is what an unbinding of kind records about the binding it
// undoes: "intake" or "dispatch", and the product and batch or the order and
// waybill.
func UnbindingDetail(kind BindKind, st *State) (string, string) {
	if kind == UnbindDispatch {
		return "dispatch", fmt.Sprintf("order %s/%s waybill %s/%s", st.EBPCode, st.OrderNo, st.LogisticsCode, st.WaybillNo)
	}
	return "intake", fmt.Sprintf("GTIN %s batch %s at %s", st.GTIN, st.Batch, st.Warehouse)
}

// CheckHold normalises and checks a hold before it is stored: a known kind,
// a valid GTIN, a batch of GS1 AI (10) characters or none, a text of 1 to
// 500 characters (the English text defaults to it) and an end after the
// start. It fails with EINVALID pointing at the field.
func CheckHold(h *Hold) error {
	switch h.Kind {
	case NoticeRecall, NoticeStopSale, NoticeRiskNotice:
	default:
		return tracegate.Invalidf("/kind", `kind must be "recall", "stop_sale" or "risk_notice"`)
	}
	g, err := gs1.NormalizeGTIN(h.GTIN)
	if err != nil {
		return tracegate.Invalidf("/gtin", "gtin %q: %v", h.GTIN, err)
	}
	h.GTIN = g
	if h.Batch != "" && gs1.ValidateAI("10", h.Batch) != nil {
		return tracegate.Invalidf("/batch", "batch is at most 20 characters of GS1 AI (10)")
	}
	if n := utf8.RuneCountInString(h.Text); n == 0 || n > 500 {
		return tracegate.Invalidf("/text", "text is required: 1 to 500 characters")
	}
	if utf8.RuneCountInString(h.TextEN) > 500 {
		return tracegate.Invalidf("/textEn", "textEn is at most 500 characters")
	}
	if h.TextEN == "" {
		h.TextEN = h.Text
	}
	if h.Until != nil && !h.Until.After(h.Since) {
		return tracegate.Invalidf("/until", "until must be after since")
	}
	return nil
}
