package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
)

func testCredit(t *testing.T, open Opener) {
	t.Run("Record", func(t *testing.T) { testCreditRecord(t, open) })
	t.Run("Transitions", func(t *testing.T) { testCreditTransitions(t, open) })
	t.Run("BadInput", func(t *testing.T) { testCreditBadInput(t, open) })
	t.Run("Blacklist", func(t *testing.T) { testCreditBlacklist(t, open) })
	t.Run("Batch", func(t *testing.T) { testCreditBatch(t, open) })
	t.Run("Complaints", func(t *testing.T) { testCreditComplaints(t, open) })
	t.Run("Inspections", func(t *testing.T) { testCreditInspections(t, open) })
}

// testCreditRecord: each source of the record yields its entries, graded
// under the default rules, and the first grading is a ledgered change.
func testCreditRecord(t *testing.T, open Opener) {
	f := newCreditFixture(t, open)
	ctx := context.Background()
	e := f.recompute(t, f.e.USCC, 3) // recall 10 + rejected filing 3 + copied label 4 = 17: level 3
	if got, want := kindsOf(e), []credit.Kind{credit.KindFilingRejected, credit.KindGoodsHold, credit.KindLabelCopy}; !slices.Equal(got, want) {
		t.Fatalf("record of %s: kinds %v, want %v", f.e.USCC, got, want)
	}
	if e.Score < 16.9 || e.Score > 17 || e.Name != f.e.Name || len(e.History) != 1 {
		t.Fatalf("record = score %.2f name %q history %d; want about 17 (decayed a little), %q, one change", e.Score, e.Name, len(e.History), f.e.Name)
	}
	f.checkChange(t, e, 0, 3)
	c := f.recompute(t, f.c.USCC, 2) // refused by rule 2 + refused on review 5 = 7: level 2
	if got, want := kindsOf(c), []credit.Kind{credit.KindCustomsRefused, credit.KindReviewRefused}; !slices.Equal(got, want) {
		t.Fatalf("record of %s: kinds %v, want %v (the passed declaration is no entry)", f.c.USCC, got, want)
	}
	f.checkChange(t, c, 0, 2)

	// Recomputing without a change stores no change.
	size, _ := f.s.LedgerSize(ctx)
	f.recompute(t, f.e.USCC, 3)
	if after, _ := f.s.LedgerSize(ctx); after != size {
		t.Fatalf("an unchanged level added %d leaves", after-size)
	}
	levels, err := f.s.CreditLevels(ctx)
	if err != nil || levels[f.e.USCC] != 3 || levels[f.c.USCC] != 2 || len(levels) != 2 {
		t.Fatalf("CreditLevels() = %v, %v", levels, err)
	}
	changes, err := f.s.CreditChanges(ctx, f.clock.Now().Add(-30*24*time.Hour))
	if err != nil || len(changes) != 2 {
		t.Fatalf("CreditChanges() = %+v, %v; want 2", changes, err)
	}
	// A change whose previous level is stale is refused.
	err = f.s.SaveCreditGrade(ctx, f.e.USCC, 1, &credit.Change{Level: 1, Prev: 2, Reasons: []string{"x"}})
	if !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("SaveCreditGrade(stale prev) = %v, want conflict", err)
	}
	// RecomputeAll grades every enterprise (the demo's and the fixture's).
	n, err := f.svc.RecomputeAll(ctx)
	if err != nil || n < 1 {
		t.Fatalf("RecomputeAll() = %d, %v; want the other enterprises graded", n, err)
	}
	if levels, _ = f.s.CreditLevels(ctx); levels[USCC(7700)] != 1 || levels[f.e.USCC] != 3 {
		t.Fatalf("after RecomputeAll levels = %v", levels)
	}
}

// testCreditTransitions: an upheld appeal lowers the level, a dismissed
// one does not; a recognition raises or caps; age decays the record; a new
// entry raises the level again.
func testCreditTransitions(t *testing.T, open Opener) {
	f := newCreditFixture(t, open)
	ctx := context.Background()
	f.recompute(t, f.e.USCC, 3)
	f.recompute(t, f.c.USCC, 2)

	ref := "hold:" + itoa(f.hold)
	a, err := f.svc.FileAppeal(ctx, f.e.USCC, ref, "该批次已证实为他人仿冒")
	if err != nil || a.Status != credit.AppealOpen {
		t.Fatalf("FileAppeal() = %+v, %v", a, err)
	}
	if _, err := f.svc.FileAppeal(ctx, f.e.USCC, ref, "again"); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("FileAppeal(twice) = %v, want conflict", err)
	}
	if _, err := f.svc.FileAppeal(ctx, f.e.USCC, "hold:999999", "x"); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("FileAppeal(not an entry) = %v, want invalid", err)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.svc.ResolveAppeal(ctx, a.ID, credit.AppealUpheld, "召回系第三方仿冒所致"); err != nil {
		t.Fatal(err)
	}
	e := f.recompute(t, f.e.USCC, 2) // 17 - 10
	f.checkChange(t, e, 3, 2)
	if _, err := f.svc.ResolveAppeal(ctx, a.ID, credit.AppealDismissed, "x"); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("ResolveAppeal(twice) = %v, want conflict", err)
	}
	b, err := f.svc.FileAppeal(ctx, f.e.USCC, kindRef(e, credit.KindFilingRejected), "备案资料已补正")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ResolveAppeal(ctx, b.ID, credit.AppealDismissed, "驳回时资料确有缺失"); err != nil {
		t.Fatal(err)
	}
	f.recompute(t, f.e.USCC, 2)

	// Recognition: a worse level raises, a better one caps.
	f.clock.Advance(time.Hour)
	if _, err := f.svc.Recognise(ctx, credit.Recognition{USCC: f.c.USCC, Agency: "国家市场监督管理总局", Level: 4,
		At: f.clock.Now().Add(-24 * time.Hour), Source: "国市监信〔2026〕12号"}); err != nil {
		t.Fatal(err)
	}
	c := f.recompute(t, f.c.USCC, 4)
	f.checkChange(t, c, 2, 4)
	capped := newCreditFixture(t, open)
	capped.recompute(t, capped.e.USCC, 3)
	capped.clock.Advance(time.Hour)
	if _, err := capped.svc.Recognise(ctx, credit.Recognition{USCC: capped.e.USCC, Agency: "海关总署", Level: 1,
		At: capped.clock.Now().Add(-time.Hour), Source: "AEO 认证 CN-AEO-2026-0001"}); err != nil {
		t.Fatal(err)
	}
	ce := capped.recompute(t, capped.e.USCC, 2)
	capped.checkChange(t, ce, 3, 2)

	// Four years on every entry is past the horizon, the recognition
	// expired: level 1. A new recall raises it again.
	f.clock.Advance(4 * 365 * 24 * time.Hour)
	f.recompute(t, f.e.USCC, 1)
	c = f.recompute(t, f.c.USCC, 1)
	f.checkChange(t, c, 4, 1)
	hold := newHold(f)
	if err := f.s.CreateHold(ctx, hold); err != nil {
		t.Fatal(err)
	}
	e = f.recompute(t, f.e.USCC, 2)
	f.checkChange(t, e, 1, 2)
}

// testCreditBadInput: bad recognitions are refused and store nothing.
func testCreditBadInput(t *testing.T, open Opener) {
	f := newCreditFixture(t, open)
	ctx := context.Background()
	now := f.clock.Now()
	good := credit.Recognition{USCC: f.e.USCC, Agency: "海关总署", Level: 2, At: now.Add(-time.Hour), Source: "文书"}
	wrongCheck := f.e.USCC[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(indexOf(f.e.USCC[17])+1)%31])
	for _, c := range []struct {
		name string
		mod  func(r *credit.Recognition)
		code string
	}{
		{"wrong check character", func(r *credit.Recognition) { r.USCC = wrongCheck }, tracegate.EINVALID},
		{"unknown enterprise", func(r *credit.Recognition) { r.USCC = USCC(9999) }, tracegate.ENOTFOUND},
		{"level 5", func(r *credit.Recognition) { r.Level = 5 }, tracegate.EINVALID},
		{"level 0", func(r *credit.Recognition) { r.Level = 0 }, tracegate.EINVALID},
		{"in the future", func(r *credit.Recognition) { r.At = now.Add(time.Hour) }, tracegate.EINVALID},
		{"no agency", func(r *credit.Recognition) { r.Agency = " " }, tracegate.EINVALID},
		{"no source", func(r *credit.Recognition) { r.Source = "" }, tracegate.EINVALID},
	} {
		r := good
		c.mod(&r)
		if _, err := f.svc.Recognise(ctx, r); !tracegate.IsCode(err, c.code) {
			t.Errorf("%s: Recognise() = %v, want %s", c.name, err, c.code)
		}
	}
	rec, err := f.s.CreditRecord(ctx, f.e.USCC, now)
	if err != nil || len(rec.Recognitions) != 0 || rec.Level != 0 {
		t.Fatalf("after bad input: %d recognitions, level %d, %v; want nothing stored", len(rec.Recognitions), rec.Level, err)
	}
	if _, _, err := f.svc.Recompute(ctx, USCC(9999)); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("Recompute(unknown) = %v, want not found", err)
	}
	if _, _, err := f.svc.Recompute(ctx, wrongCheck); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("Recompute(wrong check character) = %v, want invalid", err)
	}
	if _, err := f.svc.ResolveAppeal(ctx, 4242, credit.AppealUpheld, "x"); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("ResolveAppeal(unknown) = %v, want not found", err)
	}
}

// testCreditBlacklist: numbered editions of the enterprises at the
// dishonest level, each a ledger leaf over its JSON, and removals.
func testCreditBlacklist(t *testing.T, open Opener) {
	f := newCreditFixture(t, open)
	ctx := context.Background()
	if _, err := f.svc.Edition(ctx, 0); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("Edition(latest) before any = %v, want not found", err)
	}
	f.recompute(t, f.c.USCC, 2)
	if _, err := f.svc.Recognise(ctx, credit.Recognition{USCC: f.e.USCC, Agency: "国家市场监督管理总局", Level: 4,
		At: f.clock.Now().Add(-time.Hour), Source: "严重违法失信名单 2026-118"}); err != nil {
		t.Fatal(err)
	}
	pub := USCC(7701)
	e1, err := f.svc.Publish(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Edition(ctx, 0)
	if err != nil || got.Edition != 1 || len(got.Entries) != 1 || got.Entries[0].USCC != f.e.USCC || got.Entries[0].Level != 4 ||
		!slices.Contains(got.Entries[0].Reasons, "goods_hold") || !slices.Contains(got.Entries[0].Reasons, "recognised") || len(got.Removals) != 0 {
		t.Fatalf("edition 1 = %+v, %v; want %s with its kinds", got, err, f.e.USCC)
	}
	entries, err := f.s.ReadEntries(ctx, e1.LedgerIndex, e1.LedgerIndex+1)
	if err != nil || len(entries) != 1 {
		t.Fatal(err)
	}
	if want, _ := credit.EditionLeaf(got); string(entries[0]) != string(want) {
		t.Fatalf("edition leaf = %q, want %q", entries[0], want)
	}
	// Two years on the recognition has expired: the enterprise leaves the
	// blacklist, and edition 2 lists the removal.
	f.clock.Advance(2 * 366 * 24 * time.Hour)
	f.recompute(t, f.e.USCC, 1)
	if _, err := f.svc.Publish(ctx, pub); err != nil {
		t.Fatal(err)
	}
	e2, err := f.svc.Edition(ctx, 2)
	if err != nil || len(e2.Entries) != 0 || len(e2.Removals) != 1 || e2.Removals[0].USCC != f.e.USCC || !e2.Removals[0].RemovedAt.Equal(f.clock.Now()) {
		t.Fatalf("edition 2 = %+v, %v; want the removal", e2, err)
	}
	if old, err := f.svc.Edition(ctx, 1); err != nil || string(old.Body) != string(got.Body) {
		t.Fatalf("edition 1 changed: %v", err)
	}
	if _, err := f.svc.Edition(ctx, 3); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("Edition(3) = %v, want not found", err)
	}
	if _, err := f.svc.Publish(ctx, "not-a-uscc"); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("Publish(bad publisher) = %v, want invalid", err)
	}
}
