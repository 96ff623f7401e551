package storetest

import (
	"context"
	"errors"
	"testing"

	"tracegate"
	"tracegate/label"
)

// testLabelParties checks who may bind whose labels (issue 11, findings 2
// and 13; issue 19, the client relation): a warehouse binds the labels and
// filings of a seller that authorised it, and nothing of anyone else, which
// it is told exactly as it is told of codes never issued; dispatch needs a
// released declaration that names the binder, or its client as declarant,
// through confirmed codes, and its waybill.
func testLabelParties(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(LabelStore)
	ctx := context.Background()
	_, wh, whProd := LabelService(t, s, clock, 3, "9421902960055")
	_, stranger, _ := LabelService(t, s, clock, 4, "9421902960062")
	seller := &tracegate.Enterprise{USCC: USCC(650), Name: "悦澳跨境", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	if err := s.CreateEnterprise(ctx, seller); err != nil {
		t.Fatal(err)
	}
	sp := &tracegate.Principal{EnterpriseID: seller.ID, USCC: seller.USCC, Enterprise: seller, Role: tracegate.RoleEcommerce}
	prod := Product(seller.ID, "9421902960079")
	if err := prod.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{prod}); err != nil {
		t.Fatal(err)
	}
	sellerCode := &tracegate.CustomsCode{Code: "4401960650", Kind: tracegate.CodeEbc, EnterpriseID: seller.ID}
	if err := s.SaveCustomsCode(ctx, sellerCode); err != nil {
		t.Fatal(err)
	}
	decls := Declarations{
		// The seller declares; the warehouse is not named.
		"4401980001/ORD-S": {Released: true, Status: "pass", Codes: []string{"4401980001", "4401960650", "4401980100"},
			Declarant: []string{"4401960650"}, LogisticsCode: "4401980100", LogisticsNo: "SF-S"},
		// The warehouse is named as the area, but the declaration waits for an officer.
		"4401980001/ORD-R": {Status: "review", Codes: []string{"4401980001", "4401960999", WarehouseCode(3)},
			Declarant: []string{"4401960999"}, LogisticsCode: "4401980100", LogisticsNo: "SF-R"},
		// The stranger is named as the area.
		"4401980001/ORD-X": {Released: true, Status: "pass", Codes: []string{"4401980001", "4401960999", WarehouseCode(4)},
			Declarant: []string{"4401960999"}, LogisticsCode: "4401980100", LogisticsNo: "SF-X"},
	}
	svc, err := label.NewService(label.ServiceConfig{Secret: LabelSecret, BaseURL: "https://tg.example", Clock: clock,
		Parties: s, Declarations: decls}, s, s)
	if err != nil {
		t.Fatal(err)
	}
	_, codes, err := svc.Issue(ctx, sp, 4, "", false)
	if err != nil {
		t.Fatal(err)
	}
	unknown, _ := label.NewCode()
	all := compactCodes(codes)
	intake := func(p *tracegate.Principal, gtin string, codes ...string) error {
		_, err := svc.Intake(ctx, p, &label.IntakeRequest{Codes: codes, GTIN: gtin, Batch: "B1"}, nil)
		return err
	}
	dispatch := func(p *tracegate.Principal, order, waybill string, codes ...string) error {
		_, err := svc.Dispatch(ctx, p, &label.DispatchRequest{Codes: codes, EBPCode: "4401980001", OrderNo: order,
			LogisticsCode: "4401980100", WaybillNo: waybill}, nil)
		return err
	}

	// Without the relation, the seller's filing and labels are not the warehouse's.
	if te := codedError(intake(wh, prod.GTIN, all[0])); te == nil || te.Code != tracegate.EINVALID || te.Pointer != "/gtin" {
		t.Fatalf("Intake(another's filing) = %v; want EINVALID at /gtin", te)
	}
	wantRefused(t, "Intake(another's labels)", intake(wh, whProd.GTIN, all[0]), tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})
	wantRefused(t, "Intake(a code never issued)", intake(wh, whProd.GTIN, unknown.String()), tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})

	if err := s.GrantHandling(ctx, &tracegate.Handling{ClientID: seller.ID, HandlerID: wh.EnterpriseID, CreatedBy: seller.ID}); err != nil {
		t.Fatal(err)
	}
	if err := intake(wh, prod.GTIN, all...); err != nil {
		t.Fatalf("Intake(a client's labels and filing) = %v", err)
	}

	// Dispatch: the client's code counts only once confirmed.
	none := dispatch(wh, "ORD-S", "SF-S", all[0])
	if te := codedError(none); te == nil || te.Code != tracegate.EINVALID || te.Pointer != "/orderNo" {
		t.Fatalf("Dispatch(client's code only claimed) = %v; want EINVALID at /orderNo", none)
	}
	missing := dispatch(wh, "ORD-NONE", "SF-S", all[0])
	if te := codedError(missing); te == nil || te.Code != tracegate.EINVALID || te.Pointer != "/orderNo" {
		t.Fatalf("Dispatch(no such order) = %v; want the same answer as an order the binder is no party of", missing)
	}
	if _, err := s.ConfirmCustomsCode(ctx, sellerCode.Code); err != nil {
		t.Fatal(err)
	}
	if te := codedError(dispatch(wh, "ORD-S", "SF-OTHER", all[0])); te == nil || te.Code != tracegate.EINVALID || te.Pointer != "/waybillNo" {
		t.Fatalf("Dispatch(another waybill) = %v; want EINVALID at /waybillNo", te)
	}
	if err := dispatch(wh, "ORD-R", "SF-R", all[0]); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("Dispatch(declaration in review) = %v; want ECONFLICT (not released)", err)
	}
	if err := dispatch(wh, "ORD-S", "SF-S", all[0], all[1]); err != nil {
		t.Fatalf("Dispatch(for the declarant client) = %v", err)
	}

	// A stranger, even as a party of its own declaration, is told of the
	// seller's codes exactly what it is told of codes never issued.
	wantRefused(t, "Dispatch(another's labels)", dispatch(stranger, "ORD-X", "SF-X", all[2]), tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})
	wantRefused(t, "Dispatch(a code never issued)", dispatch(stranger, "ORD-X", "SF-X", unknown.String()), tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})
	unbind := func(p *tracegate.Principal, code string) error {
		_, err := svc.Unbind(ctx, p, &label.UnbindRequest{Codes: []string{code}, Of: "dispatch", Reason: "试探"}, nil)
		return err
	}
	wantRefused(t, "Unbind(another's label)", unbind(stranger, all[0]), tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})
	wantRefused(t, "Unbind(a code never issued)", unbind(stranger, unknown.String()), tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})
	if tracegate.ErrorMessage(unbind(stranger, all[0])) != tracegate.ErrorMessage(unbind(stranger, unknown.String())) {
		t.Fatal("Unbind answers another's label and a code never issued differently")
	}

	// Revoked, the warehouse no longer handles the seller's goods.
	if err := s.RevokeHandling(ctx, seller.ID, wh.EnterpriseID); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, "Unbind(after the relation was revoked)", unbind(wh, all[0]), tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})
	if err := unbind(sp, all[0]); err != nil {
		t.Fatalf("Unbind(by the seller itself) = %v", err)
	}
}

// codedError is err as a *tracegate.Error, or nil.
func codedError(err error) *tracegate.Error {
	var te *tracegate.Error
	if errors.As(err, &te) {
		return te
	}
	return nil
}
