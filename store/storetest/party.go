package storetest

import (
	"context"
	"testing"

	"tracegate"
)

// PartyStore is what the parties suite needs of a store.
type PartyStore interface {
	Store
	tracegate.PartyStore
}

// testParties checks the customs codes of enterprises (one enterprise per
// code, claimed then confirmed, only confirmed codes owning) and the client
// relations.
func testParties(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(PartyStore)
	ctx := context.Background()
	var ids []int64
	for i := range 3 {
		e := &tracegate.Enterprise{USCC: USCC(700 + i), Name: "参与方", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	a, b, c := ids[0], ids[1], ids[2]

	for _, tc := range []struct {
		name string
		code tracegate.CustomsCode
		want string
	}{
		{"claim", tracegate.CustomsCode{Code: "4401960001", Kind: tracegate.CodeEbc, EnterpriseID: a}, ""},
		{"confirmed by a regulator", tracegate.CustomsCode{Code: "4401980001", Kind: tracegate.CodeEbp, EnterpriseID: a, Status: tracegate.CodeConfirmed}, ""},
		{"letters", tracegate.CustomsCode{Code: "3120W6000A", Kind: tracegate.CodeLogistics, EnterpriseID: b}, ""},
		{"held by another", tracegate.CustomsCode{Code: "4401960001", Kind: tracegate.CodeEbc, EnterpriseID: b}, tracegate.ECONFLICT},
		{"too short", tracegate.CustomsCode{Code: "440196000", Kind: tracegate.CodeEbc, EnterpriseID: b}, tracegate.EINVALID},
		{"lower case", tracegate.CustomsCode{Code: "3120w6000a", Kind: tracegate.CodeEbc, EnterpriseID: b}, tracegate.EINVALID},
		{"letter in the region", tracegate.CustomsCode{Code: "A401960001", Kind: tracegate.CodeEbc, EnterpriseID: b}, tracegate.EINVALID},
		{"unknown kind", tracegate.CustomsCode{Code: "4401960009", Kind: "seller", EnterpriseID: b}, tracegate.EINVALID},
		{"no enterprise", tracegate.CustomsCode{Code: "4401960008", Kind: tracegate.CodeEbc, EnterpriseID: 9999}, tracegate.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := tc.code
			err := s.SaveCustomsCode(ctx, &code)
			if got := tracegate.ErrorCode(err); err != nil && got != tc.want || err == nil && tc.want != "" {
				t.Fatalf("SaveCustomsCode(%+v) = %v; want code %q", tc.code, err, tc.want)
			}
			if err == nil && code.CreatedAt.IsZero() {
				t.Errorf("SaveCustomsCode(%+v) left CreatedAt zero", tc.code)
			}
		})
	}
	owners, err := s.CodeOwners(ctx, []string{"4401960001", "4401980001", "3120W6000A", "9999999999", ""})
	if err != nil || len(owners) != 1 || owners["4401980001"] != a {
		t.Fatalf("CodeOwners = %v, %v; want only the confirmed 4401980001 of %d", owners, err, a)
	}
	got, err := s.ConfirmCustomsCode(ctx, "4401960001")
	if err != nil || got.Status != tracegate.CodeConfirmed || got.EnterpriseID != a || got.ConfirmedAt == nil {
		t.Fatalf("ConfirmCustomsCode = %+v, %v", got, err)
	}
	if _, err := s.ConfirmCustomsCode(ctx, "1111111111"); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("ConfirmCustomsCode(unclaimed) = %v; want ENOTFOUND", err)
	}
	// A claim never unconfirms a confirmed code.
	again := tracegate.CustomsCode{Code: "4401960001", Kind: tracegate.CodeAgent, EnterpriseID: a}
	if err := s.SaveCustomsCode(ctx, &again); err != nil || again.Status != tracegate.CodeConfirmed {
		t.Fatalf("SaveCustomsCode(claim of a confirmed code) = %+v, %v; want it still confirmed", again, err)
	}
	cs, err := s.CustomsCodes(ctx, a)
	if err != nil || len(cs) != 2 || cs[0].Code != "4401960001" || cs[0].Kind != tracegate.CodeAgent {
		t.Fatalf("CustomsCodes(a) = %+v, %v", cs, err)
	}
	if cc := tracegate.ConfirmedCodes(cs); len(cc) != 2 {
		t.Fatalf("ConfirmedCodes = %v; want both", cc)
	}
	if err := s.DeleteCustomsCode(ctx, b, "4401960001"); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("DeleteCustomsCode(another's) = %v; want ENOTFOUND", err)
	}
	if err := s.DeleteCustomsCode(ctx, b, "3120W6000A"); err != nil {
		t.Fatal(err)
	}
	if cs, _ := s.CustomsCodes(ctx, b); len(cs) != 0 {
		t.Fatalf("CustomsCodes(b) after delete = %+v", cs)
	}

	// Client relations.
	h := &tracegate.Handling{ClientID: a, HandlerID: b, CreatedBy: a}
	if err := s.GrantHandling(ctx, h); err != nil || h.CreatedAt.IsZero() {
		t.Fatalf("GrantHandling = %+v, %v", h, err)
	}
	if err := s.GrantHandling(ctx, &tracegate.Handling{ClientID: a, HandlerID: b, CreatedBy: c}); err != nil {
		t.Fatalf("GrantHandling(again) = %v", err)
	}
	if err := s.GrantHandling(ctx, &tracegate.Handling{ClientID: c, HandlerID: b, CreatedBy: c}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		h    tracegate.Handling
		want string
	}{{tracegate.Handling{ClientID: a, HandlerID: a}, tracegate.EINVALID}, {tracegate.Handling{ClientID: a, HandlerID: 9999}, tracegate.ENOTFOUND}} {
		if err := s.GrantHandling(ctx, &bad.h); !tracegate.IsCode(err, bad.want) {
			t.Errorf("GrantHandling(%+v) = %v; want %s", bad.h, err, bad.want)
		}
	}
	hs, err := s.Handlings(ctx, b)
	if err != nil || len(hs) != 2 || hs[0].CreatedBy != a {
		t.Fatalf("Handlings(b) = %+v, %v; want two, the first granted by %d", hs, err, a)
	}
	if cl := tracegate.ClientsOf(hs, b); len(cl) != 2 || cl[0] != a || cl[1] != c {
		t.Fatalf("ClientsOf(b) = %v; want [%d %d]", cl, a, c)
	}
	if hs, _ := s.Handlings(ctx, a); len(hs) != 1 || len(tracegate.ClientsOf(hs, a)) != 0 {
		t.Fatalf("Handlings(a) = %+v; want the one it granted, no clients", hs)
	}
	if err := s.RevokeHandling(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeHandling(ctx, a, b); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("RevokeHandling(again) = %v; want ENOTFOUND", err)
	}
	if hs, _ := s.Handlings(ctx, b); len(hs) != 1 || hs[0].ClientID != c {
		t.Fatalf("Handlings(b) after revoke = %+v", hs)
	}
}
