package storetest

import (
	"context"
	"testing"

	"tracegate"
	"tracegate/credit"
)

// testCreditBatch: SaveCreditChanges stores many level changes in one
// transaction, their leaves consecutive; a batch with one stale change or
// an unknown enterprise stores nothing.
func testCreditBatch(t *testing.T, open Opener) {
	f := newCreditFixture(t, open)
	ctx := context.Background()
	f.recompute(t, f.e.USCC, 3)
	f.recompute(t, f.c.USCC, 2)
	size, _ := f.s.LedgerSize(ctx)
	for _, c := range []struct {
		name string
		chs  []*credit.Change
		code string
	}{
		{"stale prev", []*credit.Change{
			{USCC: f.e.USCC, Level: 4, Prev: 3, Score: 30, Reasons: []string{"x"}},
			{USCC: f.c.USCC, Level: 1, Prev: 3, Score: 1, Reasons: []string{"y"}},
		}, tracegate.ECONFLICT},
		{"unknown enterprise", []*credit.Change{
			{USCC: f.e.USCC, Level: 4, Prev: 3, Score: 30, Reasons: []string{"x"}},
			{USCC: USCC(9999), Level: 1, Prev: 0, Score: 1, Reasons: []string{"y"}},
		}, tracegate.ENOTFOUND},
	} {
		if err := f.s.SaveCreditChanges(ctx, c.chs); !tracegate.IsCode(err, c.code) {
			t.Fatalf("%s: SaveCreditChanges() = %v, want %s", c.name, err, c.code)
		}
		if after, _ := f.s.LedgerSize(ctx); after != size {
			t.Fatalf("%s: a refused batch added %d leaves", c.name, after-size)
		}
		if levels, _ := f.s.CreditLevels(ctx); levels[f.e.USCC] != 3 || levels[f.c.USCC] != 2 {
			t.Fatalf("%s: a refused batch changed the levels: %v", c.name, levels)
		}
	}
	chs := []*credit.Change{
		{USCC: f.e.USCC, Level: 4, Prev: 3, Score: 30, Reasons: []string{"x"}},
		{USCC: f.c.USCC, Level: 1, Prev: 2, Score: 1, Reasons: []string{"y"}},
	}
	if err := f.s.SaveCreditChanges(ctx, chs); err != nil {
		t.Fatalf("SaveCreditChanges() = %v", err)
	}
	for i, ch := range chs {
		if ch.LedgerIndex != size+int64(i) {
			t.Fatalf("change %d: ledger index %d, want %d", i, ch.LedgerIndex, size+int64(i))
		}
		rec, err := f.s.CreditRecord(ctx, ch.USCC, f.clock.Now())
		if err != nil || rec.Level != ch.Level || rec.Score != ch.Score {
			t.Fatalf("record of %s = %+v, %v; want level %d", ch.USCC, rec, err, ch.Level)
		}
		f.checkChange(t, rec, ch.Prev, ch.Level)
	}
	if after, _ := f.s.LedgerSize(ctx); after != size+2 {
		t.Fatalf("ledger size %d, want %d", after, size+2)
	}
	if err := f.s.SaveCreditChanges(ctx, nil); err != nil {
		t.Fatalf("SaveCreditChanges(nil) = %v", err)
	}
}
