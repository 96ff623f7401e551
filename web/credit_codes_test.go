package web

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/store/storetest"
)

// TestCreditScreeningByCustomsCode: declarations name their enterprises
// by customs code (ebcCode) while levels are kept by USCC. A level-4
// enterprise's declaration, under a code it holds confirmed, is reviewed
// by rule credit naming level 4, under each of its codes; a code only
// claimed by a level-4 enterprise, unknown or deleted stays ungraded.
func TestCreditScreeningByCustomsCode(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		levels, err := credit.NewLevels(credit.DefaultRules(), []byte("tracegate-test-credit-secret-32-bytes!"))
		if err != nil {
			t.Fatal(err)
		}
		levels.ResolveCodes(s, time.Second)
		f, _ := customsFixture(t, s)
		svc, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret, MatchTimeout: 24 * time.Hour, Credit: levels}, s)
		if err != nil {
			t.Fatal(err)
		}
		f.srv = New(Config{Store: s, Logger: slog.New(slog.DiscardHandler), Ledger: f.ledger.web, Customs: svc})
		// The fixture's enterprises hold the generated declarations' codes
		// confirmed; levels are set by USCC only, as the grading service does.
		holder := func(code string) *tracegate.Enterprise {
			t.Helper()
			owners, err := s.CodeOwners(ctx, []string{code})
			if err != nil || owners[code] == 0 {
				t.Fatalf("CodeOwners(%s) = %v, %v; want the fixture's holder", code, owners, err)
			}
			e, err := s.FindEnterprise(ctx, owners[code])
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		d4 := storetest.GenerateFault(2, customs.RuleCredit)
		code4 := d4.Inventory.Inventories[0].Head.EbcCode
		clean := storetest.GenerateFault(3, "")
		code1 := clean.Inventory.Inventories[0].Head.EbcCode
		h4 := holder(code4)
		if h := holder(code1); h.ID != h4.ID {
			t.Fatalf("%s and %s have different holders; the test wants one enterprise's two codes", code4, code1)
		}
		levels.Set(h4.USCC, 4)
		for _, c := range []string{code4, code1} {
			if got := levels.CreditLevel(c); got != customs.CreditLevel4 {
				t.Fatalf("CreditLevel(%s) = %d, want 4 (its confirmed holder's)", c, got)
			}
		}
		// A code only claimed, by a level-4 enterprise, or unknown, is
		// ungraded.
		e := &tracegate.Enterprise{USCC: storetest.USCC(8801), Name: "失信企业", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveCustomsCode(ctx, &tracegate.CustomsCode{Code: "4409990001", Kind: tracegate.CodeEbc, EnterpriseID: e.ID, Status: tracegate.CodeClaimed}); err != nil {
			t.Fatal(err)
		}
		levels.Set(e.USCC, 4)
		for _, c := range []string{"4409990001", "9999999999", ""} {
			if got := levels.CreditLevel(c); got != customs.CreditUnknown {
				t.Fatalf("CreditLevel(%q) = %d, want unknown", c, got)
			}
		}
		for _, d := range []*customs.Declaration{d4, clean} {
			if err := storetest.PreloadQuota(ctx, s, d); err != nil {
				t.Fatal(err)
			}
			sendAll(t, f, d, allDocs)
		}
		for _, d := range []*customs.Declaration{d4, clean} {
			got := getDecision(t, f, d)
			if r := reasonFor(got, customs.RuleCredit); got.Status != customs.OutcomeReview || r == nil || !strings.Contains(r.Message, "level 4") {
				t.Fatalf("decision under the level-4 enterprise's confirmed code %s = %+v, want review by rule credit naming level 4",
					d.Inventory.Inventories[0].Head.EbcCode, got)
			}
		}
		// The code deleted, its declarations are ungraded again.
		if err := s.DeleteCustomsCode(ctx, h4.ID, code4); err != nil {
			t.Fatal(err)
		}
		if got := levels.CreditLevel(code4); got != customs.CreditUnknown {
			t.Fatalf("CreditLevel(%s) after its deletion = %d, want unknown", code4, got)
		}
	})
}
