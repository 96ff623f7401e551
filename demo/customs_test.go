package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tracegate/customs"
	"tracegate/store/sqlite"
)

func TestSeedCustoms(t *testing.T) {
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
	cs, err := customs.NewService(customs.ServiceConfig{Secret: []byte("demo-test-secret-of-thirty-two-bytes!!")}, s)
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	got, err := SeedCustoms(ctx, s, cs, d, date)
	if err != nil {
		t.Fatalf("SeedCustoms() = %v", err)
	}
	o := got.Outcomes
	if got.Declarations != CustomsDeclarations || o[customs.OutcomePass] == 0 || o[customs.OutcomeRefuse] == 0 ||
		o[customs.OutcomeReview] == 0 || o[customs.OutcomeWaiting] == 0 || got.Reviews != o[customs.OutcomeReview] {
		t.Fatalf("SeedCustoms() = %+v; want every outcome and the reviews queued", got)
	}
	if n, _ := s.LedgerSize(ctx); n < int64(CustomsDeclarations) {
		t.Fatalf("ledger size %d, want every decision in it", n)
	}
	t.Logf("%+v", got)
}
