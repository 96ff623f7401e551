package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"tracegate/customs"
)

// BenchQuotaBuyers is the number of buyers whose quota history the
// customs benchmark preloads.
const BenchQuotaBuyers = 1_000_000

// BenchCustoms measures the customs intake: declarations screened per
// second, each a full three-document match (order, payment, waybill, then
// inventory, each stored, matched and the inventory screened against the
// demo tables, its quota looked up among BenchQuotaBuyers buyers' history
// and the decision committed to the ledger), and, in the same run, the
// parsing and XSD validation of the same messages alone. Setup (tables,
// filings, the 1,000,000 quota rows through AddQuotaUses, generating the
// messages) is outside the timing. perMessage documents go in one message
// (1, or up to 100 as the CEB batches allow); perTx messages go in one
// transaction: 1 takes each message through Service.Intake (as the HTTP
// API does), more takes them through Service.IntakeBatch (as `tracegate
// customs import` does). b.N is the number of declarations. It reports
// inventories/s, parse-only inventories/s, their ratio, and inventories per
// second of this process's CPU time.
func BenchCustoms(b *testing.B, s CustomsStore, perMessage, perTx int) {
	ctx := context.Background()
	svc, err := customs.NewService(customs.ServiceConfig{Secret: CustomsSecret}, s)
	if err != nil {
		b.Fatal(err)
	}
	if err := SetUpCustomsDemo(ctx, s, svc); err != nil {
		b.Fatal(err)
	}
	// Declarations, and their buyers among the preloaded ones.
	var decls []customs.Declaration
	for day := 0; len(decls) < b.N; day++ {
		decls = append(decls, customs.GenerateDayWith(int64(day+1), min(b.N-len(decls), 5000), CustomsDay.AddDate(0, 0, day), nil)...)
	}
	uses := make([]customs.QuotaRecord, 0, BenchQuotaBuyers)
	for i := range decls {
		h := decls[i].Inventory.Inventories[0].Head
		uses = append(uses, customs.QuotaRecord{BuyerKey: customs.BuyerKey(CustomsSecret, h.BuyerIDType, h.BuyerIDNumber),
			Year: CustomsDay.Year(), Value: customs.Yuan(100), At: CustomsDay})
	}
	key := make([]byte, 32)
	for b.N > 1 && len(uses) < BenchQuotaBuyers { // the framework's b.N = 1 probe skips the preload
		rand.Read(key)
		uses = append(uses, customs.QuotaRecord{BuyerKey: hex.EncodeToString(key), Year: CustomsDay.Year(), Value: customs.Yuan(1000), At: CustomsDay})
	}
	start := time.Now()
	if err := s.AddQuotaUses(ctx, uses); err != nil { // one transaction
		b.Fatal(err)
	}
	b.Logf("loaded %d quota rows in %v", len(uses), time.Since(start).Round(time.Millisecond))
	msgs := benchMessages(b, decls, perMessage)

	// Parsing and XSD validation alone (one pass), as the intake does first.
	start = time.Now()
	for _, m := range msgs {
		if _, err := customs.ParseValidated(m, customs.Version202205); err != nil {
			b.Fatal(err)
		}
	}
	parse := time.Since(start)

	cpu := processCPU()
	b.ResetTimer()
	for start := 0; start < len(msgs); start += max(perTx, 1) {
		if perTx <= 1 {
			if _, err := svc.Intake(ctx, customsSender, msgs[start]); err != nil {
				b.Fatal(err)
			}
			continue
		}
		for _, r := range svc.IntakeBatch(ctx, customsSender, msgs[start:min(start+perTx, len(msgs))]) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
	b.StopTimer()
	cpu = processCPU() - cpu
	full := b.Elapsed()
	rate := float64(len(decls)) / full.Seconds()
	parseRate := float64(len(decls)) / parse.Seconds()
	b.ReportMetric(rate, "inventories/s")
	b.ReportMetric(parseRate, "parse-only-inventories/s")
	b.ReportMetric(parseRate/rate, "parse/full")
	if cpu > 0 {
		// On a shared machine the wall-clock rate follows the other jobs;
		// the CPU this process spent (every goroutine, PostgreSQL's excluded)
		// does much less.
		b.ReportMetric(float64(len(decls))/cpu.Seconds(), "inventories/cpu-s")
	}
	b.ReportMetric(0, "ns/op")
}

// benchMessages packs the documents of decls into messages of perMessage
// documents: all orders, payments, waybills of a batch, then its
// inventories, so each inventory finds its partners.
func benchMessages(b *testing.B, decls []customs.Declaration, perMessage int) [][]byte {
	var out [][]byte
	for start := 0; start < len(decls); start += perMessage {
		batch := decls[start:min(start+perMessage, len(decls))]
		o, p, w, inv := *batch[0].Order, *batch[0].Payment, *batch[0].Waybill, *batch[0].Inventory
		o.Orders, p.Payments, w.Logistics, inv.Inventories = nil, nil, nil, nil
		for _, d := range batch {
			o.Orders = append(o.Orders, d.Order.Orders...)
			p.Payments = append(p.Payments, d.Payment.Payments...)
			w.Logistics = append(w.Logistics, d.Waybill.Logistics...)
			inv.Inventories = append(inv.Inventories, d.Inventory.Inventories...)
		}
		for k, m := range []customs.Message{&o, &p, &w, &inv} {
			m.Root().GUID = fmt.Sprintf("%08X-0000-4000-8000-%012X", start, k)
			body, err := customs.Marshal(m)
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, body)
		}
	}
	return out
}

// CustomsBenchCases are the shapes BenchCustoms runs on every store: one
// document per message or 100, each message in its own transaction (the
// HTTP API) or batched (customs import).
var CustomsBenchCases = []struct {
	Name              string
	PerMessage, PerTx int
}{
	{"1-per-message", 1, 1},
	{"100-per-message", 100, 1},
	{"1-per-message-batched-256", 1, 256},
	{"100-per-message-batched-16", 100, 16},
}
