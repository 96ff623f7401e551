package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/ledger"
)

// BenchStore is what the capture benchmark needs of a store.
type BenchStore interface {
	Store
	epcis.Store
	// BareInsert inserts the records' event rows and identifier rows with
	// one prepared statement each in one transaction: the reference a
	// capture is measured against.
	BareInsert(ctx context.Context, recs []*epcis.Record) error
}

// BenchEvents is the number of events of the benchmark document.
const BenchEvents = 10_000

// benchDoc returns a JSON-LD document of n distinct ObjectEvents whose
// serials start at base: a warehouse's receiving scans.
func benchDoc(base, n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"ObjectEvent","eventTime":"2026-11-20T10:%02d:%02d.%03d+08:00","eventTimeZoneOffset":"+08:00","epcList":["urn:epc:id:sgtin:9506000.013435.%d"],"action":"OBSERVE","bizStep":"receiving","disposition":"in_progress","readPoint":{"id":"urn:epc:id:sgln:9520123.45678.0"},"bizLocation":{"id":"urn:epc:id:sgln:9520123.45678.0"},"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:9520123456788:PO%d"}]}`,
			(i/60000)%60, (i/1000)%60, i%1000, base+i, (base+i)/100)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// BenchCapture measures capturing a 10,000-event document: a bare batched
// INSERT of the same rows, the capture without the ledger, and with it.
// Each reports events/s; docs/BENCHMARKS.md records the ratios.
func BenchCapture(b *testing.B, s BenchStore) {
	ctx := context.Background()
	ent := &tracegate.Enterprise{USCC: USCC(99), Name: "基准仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		b.Fatal(err)
	}
	c, err := ledger.NewCommitter(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		b.Fatal(err)
	}
	leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(c, r, ent.USCC) }
	next := 0
	fresh := func() []byte { next += BenchEvents; return benchDoc(next, BenchEvents) }
	// cpu reports the process's CPU time per document, every goroutine's
	// (the schema check's too), beside the wall-clock rate.
	var cpu time.Duration
	timed := func(fn func() error) error {
		c0 := processCPU()
		err := fn()
		cpu += processCPU() - c0
		return err
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(BenchEvents*b.N)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/doc")
		cpu = 0
	}
	run := func(b *testing.B, fn func(doc []byte) error) {
		for b.Loop() {
			b.StopTimer()
			doc := fresh()
			b.StartTimer()
			if err := timed(func() error { return fn(doc) }); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	}
	b.Run("bare-insert", func(b *testing.B) {
		// The same rows, prepared outside the timer: only the INSERTs count.
		job := &epcis.CaptureJob{EnterpriseID: ent.ID, Behaviour: epcis.Rollback}
		if err := s.CreateCaptureJob(ctx, job); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			b.StopTimer()
			_, events, err := epcis.DecodeAll(bytes.NewReader(fresh()))
			if err != nil {
				b.Fatal(err)
			}
			recs := make([]*epcis.Record, len(events))
			for i := range events {
				recs[i] = epcis.NewRecord(&events[i], ent.ID)
				recs[i].CaptureID = job.ID
			}
			b.StartTimer()
			if err := timed(func() error { return s.BareInsert(ctx, recs) }); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	capture := func(leaf epcis.LeafFunc) func(doc []byte) error {
		return func(doc []byte) error {
			job, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true, Leaf: leaf})
			if err == nil && job.Captured != BenchEvents {
				err = fmt.Errorf("captured %d of %d", job.Captured, BenchEvents)
			}
			return err
		}
	}
	b.Run("capture", func(b *testing.B) { run(b, capture(nil)) })
	b.Run("capture+ledger", func(b *testing.B) { run(b, capture(leaf)) })
}

// BenchMatchEPC measures MATCH_epc queries on a store of n events (loaded
// once through BareInsert, 10,000 per transaction, outside the timing),
// reporting p50 and p99 latency; the reference in the same run is a point
// lookup of an event by its hash.
func BenchMatchEPC(b *testing.B, s BenchStore, n int) {
	ctx := context.Background()
	ent := &tracegate.Enterprise{USCC: USCC(98), Name: "百万事件仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		b.Fatal(err)
	}
	job := &epcis.CaptureJob{EnterpriseID: ent.ID, Behaviour: epcis.Rollback}
	if err := s.CreateCaptureJob(ctx, job); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	var hashes []string
	for base := 0; base < n; base += BenchEvents {
		_, events, err := epcis.DecodeAll(bytes.NewReader(benchDoc(base, min(BenchEvents, n-base))))
		if err != nil {
			b.Fatal(err)
		}
		recs := make([]*epcis.Record, len(events))
		for i := range events {
			recs[i] = epcis.NewRecord(&events[i], ent.ID)
			recs[i].CaptureID = job.ID
		}
		hashes = append(hashes, recs[0].Hash)
		if err := s.BareInsert(ctx, recs); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("loaded %d events in %v", n, time.Since(start).Round(time.Second))
	rng := rand.New(rand.NewPCG(1, 2))
	measure := func(b *testing.B, op func(i int) error) {
		lat := make([]time.Duration, 0, b.N)
		i := 0
		for b.Loop() {
			t0 := time.Now()
			if err := op(i); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
			i++
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
	b.Run("match-epc", func(b *testing.B) {
		measure(b, func(int) error {
			q, err := epcis.ParseQuery(url.Values{"MATCH_epc": {fmt.Sprintf("urn:epc:id:sgtin:9506000.013435.%d", rng.IntN(n))}})
			if err != nil {
				return err
			}
			recs, _, err := s.QueryEvents(ctx, q)
			if err == nil && len(recs) != 1 {
				err = fmt.Errorf("MATCH_epc found %d events, want 1", len(recs))
			}
			return err
		})
	})
	b.Run("point-lookup", func(b *testing.B) {
		measure(b, func(i int) error {
			_, err := s.FindEvent(ctx, hashes[i%len(hashes)])
			return err
		})
	})
}
