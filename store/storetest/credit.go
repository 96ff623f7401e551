package storetest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// CreditStore is what the credit suite needs: every source of the record.
type CreditStore interface {
	Store
	credit.Store
	customs.Store
	label.Store
	label.ComplaintStore
	epcis.Store
	ledger.Store
	tracegate.PartyStore
}

// creditFixture is a store with two enterprises and a record of every
// kind: e (warehouse) has a recall on its goods, a rejected filing and a
// label scanned 25 times (a copy); c (e-commerce) has a customs
// refusal by rule and a manual review refused by an officer.
type creditFixture struct {
	s     CreditStore
	clock *FixedClock
	svc   *credit.Service
	e, c  *tracegate.Enterprise
	hold  int64
}

func newCreditFixture(t *testing.T, open Opener) *creditFixture {
	t.Helper()
	ctx := context.Background()
	clock := NewClock()
	s, ok := open(t, clock).(CreditStore)
	if !ok {
		t.Fatal("the store does not implement credit.Store")
	}
	f := &creditFixture{s: s, clock: clock}
	cs, err := customs.NewService(customs.ServiceConfig{Secret: CustomsSecret, MatchTimeout: 24 * time.Hour}, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := SetUpCustomsDemo(ctx, s, cs); err != nil {
		t.Fatal(err)
	}
	lsvc, p, prod := LabelService(t, s, clock, 1, "09421902960048")
	f.e = p.Enterprise
	_, codes, err := lsvc.Issue(ctx, p, 2, "credit", true)
	if err != nil {
		t.Fatal(err)
	}
	h := lsvc.Hash(codes[0])
	at := clock.T.Add(-48 * time.Hour)
	// The first label is scanned far more often than one item is (a copy:
	// positions alone convict nobody), the second once.
	scans := []label.ScanRecord{{Hash: lsvc.Hash(codes[1]), Scan: label.Scan{At: at, HasPosition: true, Lat: 23.1, Lon: 113.3, IPPrefix: "203.0.113.0/24", Place: "广州", Device: label.DevicePhone}}}
	for i := range 25 {
		scans = append(scans, label.ScanRecord{Hash: h, Scan: label.Scan{At: at.Add(time.Duration(i) * time.Minute), HasPosition: true, Lat: 23.1, Lon: 113.3,
			IPPrefix: fmt.Sprintf("203.0.%d.0/24", i), Place: "广州", Device: label.DevicePhone}})
	}
	if err := s.RecordScans(ctx, scans); err != nil {
		t.Fatal(err)
	}
	hold := &label.Hold{Kind: label.NoticeRecall, GTIN: prod.GTIN, Text: "召回", TextEN: "Recall", Since: clock.T.Add(-24 * time.Hour)}
	if err := s.CreateHold(ctx, hold); err != nil {
		t.Fatal(err)
	}
	f.hold = hold.ID
	notice := &label.Hold{Kind: label.NoticeRiskNotice, GTIN: prod.GTIN, Text: "提示", TextEN: "Notice", Since: clock.T.Add(-24 * time.Hour)}
	if err := s.CreateHold(ctx, notice); err != nil {
		t.Fatal(err)
	}
	reg, err := s.FindEnterpriseByUSCC(ctx, USCC(7701))
	if err != nil {
		t.Fatal(err)
	}
	bad := Product(f.e.ID, "09421902960055")
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{bad}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewProduct(ctx, bad.ID, tracegate.ProductReview{Status: tracegate.FilingRejected, Reason: "标签不符", By: reg.ID}); err != nil {
		t.Fatal(err)
	}

	f.c = &tracegate.Enterprise{USCC: USCC(7702), Name: "海淘优选", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	if err := s.CreateEnterprise(ctx, f.c); err != nil {
		t.Fatal(err)
	}
	send := func(d *customs.Declaration) {
		msgs := CustomsMessages(t, d)
		for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
			if _, err := cs.Intake(ctx, customs.Sender{USCC: f.c.USCC}, msgs[k]); err != nil {
				t.Fatal(err)
			}
		}
	}
	send(GenerateFault(0, customs.RuleProhibited))
	send(GenerateFault(0, ""))
	send(GenerateFault(0, customs.RuleBarcodeRisk))
	reviews, err := cs.Reviews(ctx, 0)
	if err != nil || len(reviews) != 1 {
		t.Fatalf("Reviews() = %+v, %v", reviews, err)
	}
	if _, err := cs.ResolveReview(ctx, reviews[0].ID, customs.Officer{EnterpriseID: reg.ID, USCC: reg.USCC},
		customs.ReviewResolution{Decision: customs.OutcomeRefuse, Reason: "虚假申报"}); err != nil {
		t.Fatal(err)
	}
	f.svc = credit.NewService(s, nil, nil, clock, nil)
	return f
}

func kindsOf(rec *credit.Record) []credit.Kind {
	var ks []credit.Kind
	for _, f := range rec.Facts {
		ks = append(ks, f.Kind)
	}
	slices.Sort(ks)
	return ks
}

func (f *creditFixture) recompute(t *testing.T, uscc string, want int) *credit.Record {
	t.Helper()
	rec, g, err := f.svc.Recompute(context.Background(), uscc)
	if err != nil {
		t.Fatalf("Recompute(%s) = %v", uscc, err)
	}
	if g.Level != want || rec.Level != want {
		t.Fatalf("Recompute(%s): level %d (stored %d), score %.2f, reasons %q; want level %d", uscc, g.Level, rec.Level, g.Score, g.Reasons, want)
	}
	return rec
}

// checkChange checks the last change of rec against the ledger.
func (f *creditFixture) checkChange(t *testing.T, rec *credit.Record, prev, level int) {
	t.Helper()
	ch := rec.History[len(rec.History)-1]
	if ch.Prev != prev || ch.Level != level || len(ch.Reasons) == 0 || !ch.At.Equal(f.clock.Now()) {
		t.Fatalf("last change = %+v, want %d → %d with reasons at %v", ch, prev, level, f.clock.Now())
	}
	entries, err := f.s.ReadEntries(context.Background(), ch.LedgerIndex, ch.LedgerIndex+1)
	if err != nil || len(entries) != 1 {
		t.Fatalf("ReadEntries(%d) = %d, %v", ch.LedgerIndex, len(entries), err)
	}
	want, err := credit.ChangeLeaf(&ch)
	if err != nil || string(entries[0]) != string(want) {
		t.Fatalf("leaf %d = %q, want %q (%v)", ch.LedgerIndex, entries[0], want, err)
	}
	l, err := ledger.ParseLeaf(entries[0])
	if err != nil || l.Kind != ledger.KindCreditLevel || l.USCC != rec.USCC {
		t.Fatalf("leaf = %+v, %v; want a credit-level leaf of %s", l, err, rec.USCC)
	}
}

func kindRef(rec *credit.Record, k credit.Kind) string {
	for _, f := range rec.Facts {
		if f.Kind == k {
			return f.Ref
		}
	}
	return ""
}

func newHold(f *creditFixture) *label.Hold {
	return &label.Hold{Kind: label.NoticeStopSale, GTIN: "09421902960048", Text: "停售", TextEN: "Stop sale", Since: f.clock.Now().Add(-time.Hour)}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func indexOf(c byte) int { return strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", c) }
