package postgres_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/store/storetest"
)

// TestCreditBench (docs/BENCHMARKS.md, issue 15) is the SQLite benchmark of
// the same name on PostgreSQL: every enterprise's level recomputed over
// generated records, first grading and daily run, beside a bare SQL
// aggregate of the same rows. It runs only with
// TRACEGATE_BENCH_CREDIT=ENTERPRISES:ENTRIES and TRACEGATE_TEST_POSTGRES.
func TestCreditBench(t *testing.T) {
	spec := os.Getenv("TRACEGATE_BENCH_CREDIT")
	if spec == "" {
		t.Skip("set TRACEGATE_BENCH_CREDIT=ENTERPRISES:ENTRIES to run")
	}
	a, b, _ := strings.Cut(spec, ":")
	n, err1 := strconv.Atoi(a)
	per, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || n < 1 || n > 1_000_000 || per < 1 || per > 1000 {
		t.Fatalf("TRACEGATE_BENCH_CREDIT=%q: want ENTERPRISES:ENTRIES within bounds", spec)
	}
	ctx := context.Background()
	s := storetest.OpenPostgres(t, tracegate.SystemClock{})
	now := time.Now().UTC()
	rejected := per / 10
	start := time.Now()
	if err := s.GenerateCreditBench(ctx, n, per-rejected, rejected, now); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d enterprises, %d entries in %s", n, n*per, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	got, err := s.BareCreditAggregate(ctx)
	if err != nil || got != n {
		t.Fatalf("aggregate = %d, %v", got, err)
	}
	t.Logf("bare aggregate: %s", time.Since(start).Round(time.Millisecond))
	svc := credit.NewService(s, nil, nil, nil, nil)
	for _, run := range []string{"first grading (every level stored, a ledger leaf each)", "daily recompute (no change)"} {
		start = time.Now()
		changed, err := svc.RecomputeAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s, %d changed", run, time.Since(start).Round(time.Millisecond), changed)
	}
}
