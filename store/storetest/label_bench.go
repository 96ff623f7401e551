package storetest

import (
	"bytes"
	"context"
	"testing"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// BenchLabels measures the two bulk label operations of issue 6 through the
// label service on s: issuing 1,000,000 codes with their ledger commit
// (1000 issuance leaves), and binding 100,000 labels at intake in one call
// (100 commissioning events with their ledger leaves). Each reports the
// seconds one operation takes; the targets are ≤ 10 s each.
func BenchLabels(b *testing.B, s LabelStore) {
	ctx := context.Background()
	svc, p, prod := LabelService(b, s, tracegate.SystemClock{}, 99, "9421902960031")
	c, err := ledger.NewCommitter(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		b.Fatal(err)
	}
	leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(c, r, p.USCC) }
	b.Run("issue-1M", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := svc.Issue(ctx, p, label.MaxBatch, "", true); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/request")
	})
	b.Run("intake-100k", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			_, codes, err := svc.Issue(ctx, p, label.MaxBind, "", false)
			if err != nil {
				b.Fatal(err)
			}
			req := &label.IntakeRequest{GTIN: prod.GTIN, Batch: "B1", ProductionDate: "2026-08-01", ExpiryDate: "2028-07-31"}
			for _, c := range codes {
				req.Codes = append(req.Codes, c.String())
			}
			b.StartTimer()
			if _, err := svc.Intake(ctx, p, req, leaf); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/call")
	})
}
