package demo

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/store/sqlite"
)

// TestSeedCredit: the demo has enterprises at every level from real
// records, and a blacklist with an enterprise listed and one removed.
func TestSeedCredit(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "demo.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := Seed(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := credit.NewService(s, nil, nil, nil, nil)
	got, err := SeedCredit(ctx, s, svc, d.Enterprises[0], nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for lvl := 1; lvl <= 4; lvl++ {
		if got.Levels[lvl] == 0 {
			t.Errorf("no demo enterprise at level %d: %+v", lvl, got.Levels)
		}
	}
	if got.Editions != 2 || got.Listed != 1 || got.Removed != 1 {
		t.Fatalf("SeedCredit() = %+v; want edition 2 listing one enterprise and one removal", got)
	}
	c, _ := tracegate.USCCCheckChar("91510100MA6CP8W57")
	rec, _, err := svc.Record(ctx, "91510100MA6CP8W57"+string(c))
	if err != nil || !slices.ContainsFunc(rec.Facts, func(f credit.Fact) bool { return f.Kind == credit.KindInspectionFailed }) {
		t.Fatalf("record of the Chengdu enterprise = %+v, %v; want its failed port inspection", rec, err)
	}
	ed, err := svc.Edition(ctx, 0)
	if err != nil || len(ed.Entries[0].Reasons) < 2 {
		t.Fatalf("edition = %+v, %v; want the kinds of entry that listed it", ed, err)
	}
}
