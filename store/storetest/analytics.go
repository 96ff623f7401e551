package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"tracegate"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/gs1"
	"tracegate/risk"
)

// AnalyticsStore is what the barcode-analytics tests need of a store.
type AnalyticsStore interface {
	CustomsStore
	risk.AnalyticsStore
}

// analyticsDeclarations returns n clean generated declarations whose first
// line declares gtin under hs at unit price price (total = price × qty),
// by the e-commerce enterprise ebc.
func analyticsDeclarations(t *testing.T, from, n int, gtin, hs, price, ebc string) []*customs.Declaration {
	t.Helper()
	var out []*customs.Declaration
	for i := from; i < from+n; i++ {
		d := GenerateFault(i, "")
		inv := &d.Inventory.Inventories[0]
		l := &inv.Lines[0]
		l.BarCode, l.Gcode, l.Price = &gtin, hs, price
		p, _ := customs.ParseMoney(price)
		q, _ := customs.ParseMoney(l.Qty)
		l.TotalPrice = (p * q / 100).String()
		inv.Head.EbcCode = ebc
		out = append(out, d)
	}
	return out
}

func findingOf(fs []risk.Finding, kind risk.FindingKind, gtin string) *risk.Finding {
	for i := range fs {
		if fs[i].Kind == kind && fs[i].GTIN == gtin {
			return &fs[i]
		}
	}
	return nil
}

func listsOrder(f *risk.Finding, d *customs.Declaration) bool {
	h := d.Inventory.Inventories[0].Head
	return slices.ContainsFunc(f.Declarations, func(r risk.DeclarationRef) bool {
		return r.EbpCode == h.EbpCode && r.OrderNo == h.OrderNo
	})
}

// testAnalytics: a GTIN declared under two HS codes and at an outlier price
// shows as findings naming the declarations (issue 14), with the tax
// shortfall; an enterprise sees only findings about its own declarations;
// an incremental run recomputes only the GTIN touched and keeps the
// finding's identity.
func testAnalytics(t *testing.T, open Opener) {
	cs, svc, clock := newCustoms(t, open)
	s, ok := cs.(AnalyticsStore)
	if !ok {
		t.Fatal("the store does not implement risk.AnalyticsStore")
	}
	ctx := context.Background()
	ebc := &tracegate.Enterprise{USCC: USCC(7800), Name: "条码分析电商", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	other := &tracegate.Enterprise{USCC: USCC(7801), Name: "无关电商", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	for _, e := range []*tracegate.Enterprise{ebc, other} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// A GTIN of its own (the generated lines' GTINs recur), filed by a
	// third enterprise, under the HS code of a generated line (in the
	// demo tariff).
	hs := GenerateFault(0, "").Inventory.Inventories[0].Lines[0].Gcode
	c, _ := gs1.CheckDigit("0690123459876")
	gtin := "0690123459876" + string(c)
	g14 := gtin
	filer := &tracegate.Enterprise{USCC: USCC(7802), Name: "备案电商", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	if err := s.CreateEnterprise(ctx, filer); err != nil {
		t.Fatal(err)
	}
	p := Product(filer.ID, gtin)
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{p}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewProduct(ctx, p.ID, tracegate.ProductReview{Status: tracegate.FilingApproved, FilingNumber: "FN-A1", By: ebc.ID}); err != nil {
		t.Fatal(err)
	}
	decls := analyticsDeclarations(t, 0, 7, gtin, hs, "100.00", ebc.USCC)
	decls[5].Inventory.Inventories[0].Lines[0].Gcode = "9999999999"          // another HS code
	outlier := analyticsDeclarations(t, 7, 1, gtin, hs, "8.00", ebc.USCC)[0] // far below the median
	decls = append(decls, outlier)
	for _, d := range decls {
		sendDeclaration(t, svc, d)
	}
	a := risk.NewAnalytics(risk.AnalyticsConfig{}, s, clock, nil)
	st, err := a.Run(ctx, false, nil)
	if err != nil {
		t.Fatalf("Run() = %v", err)
	}
	if !st.Full || st.Lines < 8 {
		t.Fatalf("first Run() = %+v, want a full run over at least 8 lines", st)
	}
	reg := tracegate.Principal{EnterpriseID: 1, Role: tracegate.RoleRegulator}
	all, err := a.Findings(ctx, reg, risk.FindingFilter{GTIN: g14, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	hsF := findingOf(all, risk.FindingSameGTINHS, g14)
	if hsF == nil || !listsOrder(hsF, decls[5]) || len(hsF.Declarations) != 1 || hsF.Declarations[0].HSCode != "9999999999" {
		t.Fatalf("same_gtin_hs finding = %+v, want the declaration under 9999999999 alone", hsF)
	}
	priceF := findingOf(all, risk.FindingSameGTINPrice, g14)
	if priceF == nil || !listsOrder(priceF, outlier) || len(priceF.Declarations) != 1 || priceF.Declarations[0].Price != "8.00" {
		t.Fatalf("same_gtin_price finding = %+v, want the declaration at 8.00 alone", priceF)
	}
	if priceF.TaxShortfall == nil || *priceF.TaxShortfall <= 0 {
		t.Errorf("same_gtin_price shortfall = %v, want a positive estimate (the tariff is loaded)", priceF.TaxShortfall)
	}
	if f := findingOf(all, risk.FindingFiledByOther, g14); f == nil || f.Lines != 8 {
		t.Errorf("filed_by_other finding = %+v, want the 8 lines of an enterprise that did not file the GTIN", f)
	}
	// The declarant's credit record holds its misdeclarations, and the
	// filer's none (it declared nothing).
	cr, ok := cs.(credit.Store)
	if !ok {
		t.Fatal("the store does not implement credit.Store")
	}
	rec, err := cr.CreditRecord(ctx, ebc.USCC, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, f := range rec.Facts {
		if f.Kind == credit.KindMisdeclaration {
			refs[f.Ref] = true
		}
	}
	for _, k := range []risk.FindingKind{risk.FindingSameGTINHS, risk.FindingSameGTINPrice, risk.FindingFiledByOther} {
		key := string(k) + "/" + g14
		if k == risk.FindingFiledByOther {
			key += fmt.Sprintf("/%d", ebc.ID)
		}
		if !refs["risk-finding:"+key] {
			t.Errorf("credit record of the declarant lacks misdeclaration risk-finding:%s (has %v)", key, refs)
		}
	}
	if rec, err := cr.CreditRecord(ctx, filer.USCC, clock.Now()); err != nil || slices.ContainsFunc(rec.Facts, func(f credit.Fact) bool { return f.Kind == credit.KindMisdeclaration }) {
		t.Errorf("credit record of the filer = %+v, %v; want no misdeclaration", rec, err)
	}
	// Filter by kind.
	only, err := a.Findings(ctx, reg, risk.FindingFilter{Kind: risk.FindingSameGTINHS})
	if err != nil || len(only) == 0 || slices.ContainsFunc(only, func(f risk.Finding) bool { return f.Kind != risk.FindingSameGTINHS }) {
		t.Errorf("Findings(kind same_gtin_hs) = %d findings, %v", len(only), err)
	}
	if _, err := a.Findings(ctx, reg, risk.FindingFilter{Kind: "cheap"}); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Errorf("Findings(kind cheap) error = %v, want EINVALID", err)
	}
	// Visibility: the declarant sees them with its declarations; another
	// enterprise sees none of them.
	mine, err := a.Findings(ctx, tracegate.Principal{EnterpriseID: ebc.ID, Role: tracegate.RoleEcommerce}, risk.FindingFilter{GTIN: g14})
	if err != nil || findingOf(mine, risk.FindingSameGTINHS, g14) == nil {
		t.Errorf("the declarant's findings = %d, %v; want the same_gtin_hs one", len(mine), err)
	}
	theirs, err := a.Findings(ctx, tracegate.Principal{EnterpriseID: other.ID, Role: tracegate.RoleEcommerce}, risk.FindingFilter{GTIN: g14})
	if err != nil || len(theirs) != 0 {
		t.Errorf("another enterprise's findings = %+v, %v; want none", theirs, err)
	}
	// Incremental: one more outlier touches the GTIN alone; the finding
	// keeps its ID and lists both.
	clock.Advance(1)
	second := analyticsDeclarations(t, 8, 1, gtin, hs, "7.00", ebc.USCC)[0]
	sendDeclaration(t, svc, second)
	st, err = a.Run(ctx, false, nil)
	if err != nil {
		t.Fatalf("incremental Run() = %v", err)
	}
	if st.Full || st.GTINs != 1 {
		t.Errorf("incremental Run() = %+v, want one GTIN recomputed", st)
	}
	all, _ = a.Findings(ctx, reg, risk.FindingFilter{GTIN: g14})
	again := findingOf(all, risk.FindingSameGTINPrice, g14)
	if again == nil || again.ID != priceF.ID || !listsOrder(again, second) || !listsOrder(again, outlier) {
		t.Errorf("price finding after the incremental run = %+v, want ID %d listing both outliers", again, priceF.ID)
	}
	// Nothing new: a run recomputes nothing.
	if st, err = a.Run(ctx, false, nil); err != nil || st.GTINs != 0 {
		t.Errorf("idle Run() = %+v, %v; want nothing recomputed", st, err)
	}
}
