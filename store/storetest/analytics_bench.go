package storetest

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"tracegate/gen"
	"tracegate/risk"
)

// AnalyticsBenchStore is what the barcode-analytics benchmark needs.
type AnalyticsBenchStore interface {
	gen.DeclarationStore
	risk.AnalyticsStore
	AnalyticsReference(ctx context.Context) (int64, error)
}

// AnalyticsBenchLines is the size TRACEGATE_BENCH_ANALYTICS asks for, or 0
// (the benchmark is skipped).
func AnalyticsBenchLines(t *testing.T) int {
	v := os.Getenv("TRACEGATE_BENCH_ANALYTICS")
	if v == "" {
		t.Skip("set TRACEGATE_BENCH_ANALYTICS=LINES (e.g. 10000000) to run")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1000 || n > 100_000_000 {
		t.Fatalf("TRACEGATE_BENCH_ANALYTICS=%q: want 1000..100000000 lines", v)
	}
	return n
}

// AnalyticsBench (docs/BENCHMARKS.md, issue 14) generates lines declared
// lines into s (gen.Declarations, seed 1, 50,000 GTINs), then times, in
// the same run, the reference (a bare GROUP BY over the same rows) and a
// full barcode-analytics run, wall clock and this process's CPU time.
func AnalyticsBench(t *testing.T, s AnalyticsBenchStore, lines int) {
	ctx := context.Background()
	start := time.Now()
	st, err := gen.Declarations(ctx, s, gen.DeclarationsConfig{Seed: 1, Lines: lines, GTINs: 50_000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d lines, %d declarations, %d GTINs in %s", st.Lines, st.Declarations, st.GTINs, time.Since(start).Round(time.Millisecond))
	measure := func(fn func() error) (time.Duration, time.Duration) {
		cpu, wall := processCPU(), time.Now()
		if err := fn(); err != nil {
			t.Fatal(err)
		}
		return time.Since(wall), processCPU() - cpu
	}
	var groups int64
	refWall, refCPU := measure(func() (err error) { groups, err = s.AnalyticsReference(ctx); return err })
	a := risk.NewAnalytics(risk.AnalyticsConfig{}, s, nil, nil)
	var rs risk.RunStats
	wall, cpu := measure(func() (err error) { rs, err = a.Run(ctx, true, nil); return err })
	if rs.Lines != int64(st.Lines) || groups != int64(st.GTINs) {
		t.Fatalf("analysed %d lines (want %d), reference read %d groups (want %d)", rs.Lines, st.Lines, groups, st.GTINs)
	}
	t.Logf("reference GROUP BY: %s wall, %s CPU", refWall.Round(time.Millisecond), refCPU.Round(time.Millisecond))
	t.Logf("barcode analytics (full): %s wall (scan %s, save %s), %s CPU; %d findings; ratio to the reference %.2f wall, %.2f CPU",
		wall.Round(time.Millisecond), rs.Scan.Round(time.Millisecond), rs.Save.Round(time.Millisecond), cpu.Round(time.Millisecond),
		rs.Findings, wall.Seconds()/refWall.Seconds(), cpu.Seconds()/max(refCPU.Seconds(), 1e-3))
}
