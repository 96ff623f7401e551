package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
	"tracegate/measure"
	"tracegate/store/storetest"
	"tracegate/web"
)

// servedDB is a ledgerDB with every kind of row the server answers from:
// events with identifier, attribute and containment rows and master
// data, a filing,
// labels bound at intake, a hold, a customs declaration with its decision
// and stored messages, and a checkpoint the data directory has seen.
type servedDB struct {
	*ledgerDB
	backend string
	size    int64 // leaves when the checkpoint was published
}

// servedEvent is an event with a readPoint, a bizLocation and a business
// transaction (an attribute row).
const servedEvent = `{"type":"ObjectEvent","eventTime":"2026-11-20T11:0%d:00+08:00","eventTimeZoneOffset":"+08:00",
	"epcList":["urn:epc:id:sgtin:9506000.013435.S%d"],"action":"OBSERVE","bizStep":"inspecting","disposition":"conformant",
	"readPoint":{"id":"urn:epc:id:sgln:9506000.00001.0"},"bizLocation":{"id":"urn:epc:id:sgln:9506000.00001.0"},
	"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:9506000000008:PO%d"}]}`

// packing puts the first inspected item in a case: a containment row.
const packing = `{"type":"AggregationEvent","eventTime":"2026-11-20T11:03:00+08:00","eventTimeZoneOffset":"+08:00",
	"parentID":"urn:epc:id:sscc:9506000.0000000001","childEPCs":["urn:epc:id:sgtin:9506000.013435.S1"],"action":"ADD","bizStep":"packing"}`

// newServedDB builds a servedDB on backend.
func newServedDB(t *testing.T, backend string) *servedDB {
	t.Helper()
	ctx := context.Background()
	l := &servedDB{ledgerDB: newLedgerDB(t, backend), backend: backend} // leaves 0..7
	s, _, err := openStore(ctx, l.db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lg, err := loadLedger(l.dataDir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	ent, err := s.FindEnterpriseByUSCC(ctx, storetest.USCC(88))
	if err != nil {
		t.Fatal(err)
	}
	leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(lg.committer, r, ent.USCC) }
	// Two inspections and the port's master data.
	doc := []byte(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0",
		"creationDate":"2026-11-20T08:00:00+08:00","epcisHeader":{"epcisMasterData":{"vocabularyList":[{"type":"urn:epcglobal:epcis:vtype:BusinessLocation",
		"vocabularyElementList":[{"id":"urn:epc:id:sgln:9506000.00001.0","attributes":[{"id":"urn:epcglobal:cbv:mda#name","attribute":"宁波港"}]}]}]}},
		"epcisBody":{"eventList":[` + fmt.Sprintf(servedEvent, 1, 1, 1) + "," + fmt.Sprintf(servedEvent, 2, 2, 2) + "," + packing + `]}}`)
	if _, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true, Leaf: leaf}); err != nil {
		t.Fatal(err)
	}
	// A filing, labels bound to it at intake, and a recall of its batch.
	svc, err := openLabels(&env{getenv: func(string) string { return "" }}, s, nil, l.dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &tracegate.Principal{EnterpriseID: ent.ID, USCC: ent.USCC, Enterprise: ent, Role: tracegate.RoleWarehouse}
	_, codes, err := svc.Issue(ctx, p, 3, "", true)
	if err != nil {
		t.Fatal(err)
	}
	prod := storetest.Product(ent.ID, "9421902960031")
	prod.Validate()
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{prod}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Intake(ctx, p, &label.IntakeRequest{Codes: []string{codes[0].String(), codes[1].String()}, GTIN: prod.GTIN, Batch: "B1"}, leaf); err != nil {
		t.Fatal(err)
	}
	// One of them unbound, as the server does it: not a finding.
	if _, err := svc.Unbind(ctx, p, &label.UnbindRequest{Codes: []string{codes[1].String()}, Of: "intake", Reason: "贴错"}, leaf); err != nil {
		t.Fatal(err)
	}
	hold := &label.Hold{Kind: label.NoticeRecall, GTIN: prod.GTIN, Batch: "B1", Text: "召回", TextEN: "recall", Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), CreatedBy: ent.ID}
	if err := s.CreateHold(ctx, hold); err != nil {
		t.Fatal(err)
	}
	// A recall ordered by the regulator, taken in hand and acknowledged.
	ms, err := openMeasures(s)
	if err != nil {
		t.Fatal(err)
	}
	reg := &tracegate.Enterprise{USCC: storetest.USCC(89), Name: "海关", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	if err := s.CreateEnterprise(ctx, reg); err != nil {
		t.Fatal(err)
	}
	m, err := ms.Order(ctx, &tracegate.Principal{EnterpriseID: reg.ID, USCC: reg.USCC, Role: tracegate.RoleRegulator}, &measure.OrderRequest{
		Kind: measure.Recall, Selector: []byte(`{"gtin":"` + prod.GTIN + `","batch":"B1"}`), Owner: ent.USCC, Reason: "召回", ReasonEn: "recall"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ms.Transition(ctx, p, m.ID, measure.InProgress, "通知买家"); err != nil {
		t.Fatal(err)
	}
	if _, err := ms.Acknowledge(ctx, p, m.ID, ""); err != nil {
		t.Fatal(err)
	}
	// A declaration, decided.
	if err := storetest.FileCustomsDemoProducts(ctx, s); err != nil {
		t.Fatal(err)
	}
	cs, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret}, s)
	if err != nil {
		t.Fatal(err)
	}
	day := customs.GenerateDay(7, 1, storetest.CustomsDay)
	msgs := storetest.CustomsMessages(t, &day[0])
	for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
		if _, err := cs.Intake(ctx, customs.Sender{USCC: storetest.USCC(9)}, msgs[k]); err != nil {
			t.Fatal(err)
		}
	}
	pub := &ledger.Publisher{Store: s, Signer: lg.signer, Verifiers: lg.verifiers, Seen: lg.seen}
	if l.size, err = pub.PublishOnce(ctx); err != nil || l.size == 0 {
		t.Fatalf("PublishOnce() = %d, %v", l.size, err)
	}
	if _, err := lg.seen.Read(); err != nil {
		t.Fatalf("the data directory has no last checkpoint after publishing: %v", err)
	}
	return l
}

// TestAuditCatchesServedTampering: every row the server answers from is
// either re-derived from the ledgered records or ledgered itself, so each
// change behind the server's back fails the audit, naming what changed.
func TestAuditCatchesServedTampering(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			pick := func(sqlite, postgres string) string {
				return map[string]string{"sqlite": sqlite, "postgres": postgres}[backend]
			}
			firstInspection := `(SELECT MIN(seq) FROM epcis_attrs WHERE kind = 'bizt')` // of the inspections
			tests := []struct {
				name   string
				tamper func(t *testing.T, l *servedDB)
				want   []string
			}{
				{"clean", func(*testing.T, *servedDB) {}, nil},
				{"biz_step", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE epcis_events SET biz_step = 'https://ref.gs1.org/cbv/BizStep-shipping' WHERE seq = `+firstInspection)
				}, []string{"index-mismatch", "biz_step"}},
				{"disposition", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE epcis_events SET disposition = 'https://ref.gs1.org/cbv/Disp-non_conformant' WHERE seq IN (SELECT seq FROM epcis_attrs)`)
				}, []string{"index-mismatch", "disposition"}},
				{"event_time", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE epcis_events SET event_time = event_time - `+pick("86400000000", "interval '1 day'")+` WHERE seq = `+firstInspection)
				}, []string{"index-mismatch", "event_time"}},
				{"identifier row", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE epcis_epcs SET epc = 'https://id.gs1.org/01/09506000134352/10/FAKE' WHERE role = 'epc' AND seq = `+firstInspection)
				}, []string{"index-mismatch", "epcis_epcs"}},
				{"attribute row", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE epcis_attrs SET value = 'urn:epcglobal:cbv:bt:9506000000008:FORGED' WHERE kind = 'bizt'`)
				}, []string{"index-mismatch", "epcis_attrs"}},
				{"containment interval", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE epcis_containment SET child = 'https://id.gs1.org/01/09506000134352/21/FAKE'`)
				}, []string{"index-mismatch", "epcis_containment"}},
				{"declaration status", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE customs_declarations SET status = 'forged' WHERE decision IS NOT NULL`)
				}, []string{"state-mismatch", "customs_declarations", "status"}},
				{"declaration decision", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE customs_declarations SET decision = replace(decision, '"status":"', '"status":"forged-') WHERE decision IS NOT NULL`)
				}, []string{"state-mismatch", "customs_declarations", "decision"}},
				{"stored message body", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE customs_messages SET body = `+pick("CAST('<forged/>' AS BLOB)", `'\x3c666f726765642f3e'::bytea`))
				}, []string{"state-mismatch", "customs-message"}},
				{"hold changed", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE label_holds SET batch = 'OTHER'`)
				}, []string{"state-mismatch", "label-hold"}},
				{"hold deleted", func(t *testing.T, l *servedDB) {
					l.exec(t, `DELETE FROM label_holds`)
				}, []string{"state-mismatch", "label-hold", "deleted"}},
				{"measure reason", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE measures SET reason = '无' WHERE hold_id IS NULL`)
				}, []string{"leaf-mismatch"}},
				{"measure step", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE measure_steps SET note = 'forged' WHERE event = 'status'`)
				}, []string{"leaf-mismatch"}},
				{"binding row", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE label_intakes SET batch = 'B2'`)
				}, []string{"state-mismatch", "label_intakes", "batch"}},
				{"label unbound", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE labels SET intake_id = NULL WHERE seq = 0`)
				}, []string{"state-mismatch", "no longer bound"}},
				{"binding row deleted", func(t *testing.T, l *servedDB) {
					if backend == "postgres" { // whoever edits the database can drop a constraint
						l.exec(t, `ALTER TABLE labels DROP CONSTRAINT labels_intake_id_fkey`)
					}
					l.exec(t, `DELETE FROM label_intakes`)
				}, []string{"state-mismatch", "deleted label_intakes row"}},
				{"label deleted", func(t *testing.T, l *servedDB) {
					l.exec(t, `DELETE FROM labels WHERE seq = 2`)
				}, []string{"state-mismatch", "label request", "deleted"}},
				{"filing changed", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE products SET name_zh = '假货' WHERE gtin = '09421902960031'`)
				}, []string{"state-mismatch", "product-filing"}},
				{"vocabulary attribute", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE epcis_vocab_attrs SET value = 'FAKE PORT'`)
				}, []string{"state-mismatch", "epcis-masterdata"}},
				{"ledger entry bytes", func(t *testing.T, l *servedDB) {
					l.exec(t, `UPDATE ledger_entries SET leaf = `+pick("CAST('tracegate.leaf/v1' AS BLOB)", `'\x00'::bytea`)+` WHERE idx = 9`)
				}, []string{"entry-mismatch", " 9"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					l := newServedDB(t, backend)
					tt.tamper(t, l)
					code, out := l.audit(t)
					if tt.want == nil {
						if code != 0 || !strings.Contains(out, fmt.Sprintf("audit: ok: %d leaves", l.size)) {
							t.Fatalf("audit of untouched data = %d %q", code, out)
						}
						return
					}
					if code != 1 {
						t.Fatalf("audit after changing the %s = %d %q; want exit 1", tt.name, code, out)
					}
					for _, w := range tt.want {
						if !strings.Contains(out, w) {
							t.Fatalf("audit after changing the %s said %q; want it to mention %q", tt.name, out, w)
						}
					}
				})
			}
		})
	}
}

// TestAuditCatchesRollback: the database and its log rolled back together
// (consistent with each other) below the checkpoint the data directory has
// seen fail the audit, and serve refuses to start on them.
func TestAuditCatchesRollback(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			l := newServedDB(t, backend)
			// Two more events and a checkpoint of them, seen by the node.
			s, _, err := openStore(ctx, l.db)
			if err != nil {
				t.Fatal(err)
			}
			lg, err := loadLedger(l.dataDir, ledger.DefaultOrigin)
			if err != nil {
				t.Fatal(err)
			}
			ent, err := s.FindEnterpriseByUSCC(ctx, storetest.USCC(88))
			if err != nil {
				t.Fatal(err)
			}
			doc := []byte(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0",
				"creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[` + fmt.Sprintf(servedEvent, 5, 5, 5) + "," + fmt.Sprintf(servedEvent, 6, 6, 6) + `]}}`)
			leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(lg.committer, r, ent.USCC) }
			if _, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true, Leaf: leaf}); err != nil {
				t.Fatal(err)
			}
			pub := &ledger.Publisher{Store: s, Signer: lg.signer, Verifiers: lg.verifiers, Seen: lg.seen}
			if size, err := pub.PublishOnce(ctx); err != nil || size != l.size+2 {
				t.Fatalf("PublishOnce() = %d, %v; want %d", size, err, l.size+2)
			}
			s.Close()
			if code, out := l.audit(t); code != 0 {
				t.Fatalf("audit before the rollback = %d %q", code, out)
			}
			// Roll the records, the entries, the tree and the checkpoints
			// back to the first checkpoint, consistently.
			n := l.size
			l.exec(t, fmt.Sprintf(`DELETE FROM epcis_attrs WHERE seq IN (SELECT seq FROM epcis_events WHERE ledger_idx >= %d)`, n))
			l.exec(t, fmt.Sprintf(`DELETE FROM epcis_epcs WHERE seq IN (SELECT seq FROM epcis_events WHERE ledger_idx >= %d)`, n))
			l.exec(t, fmt.Sprintf(`DELETE FROM epcis_events WHERE ledger_idx >= %d`, n))
			l.exec(t, fmt.Sprintf(`DELETE FROM ledger_entries WHERE idx >= %d`, n))
			l.exec(t, fmt.Sprintf(`DELETE FROM ledger_hashes WHERE idx >= %d`, tlog.StoredHashIndex(0, n)))
			l.exec(t, fmt.Sprintf(`DELETE FROM ledger_checkpoints WHERE size > %d`, n))
			code, out := l.audit(t)
			if code != 1 || !strings.Contains(out, "last-checkpoint") || !strings.Contains(out, "rolled back") {
				t.Fatalf("audit after a rollback below the seen checkpoint = %d %q; want exit 1 naming last-checkpoint", code, out)
			}
			// the node's other secrets, as a deployment has them (init keeps the existing)
			if code, _, errOut := cli(t, nil, "init", "--data-dir", l.dataDir); code != 0 {
				t.Fatalf("init: %s", errOut)
			}
			code, _, errOut := cli(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", l.db, "--data-dir", l.dataDir)
			if code == 0 || !strings.Contains(errOut, "rolled back") {
				t.Fatalf("serve on a rolled-back database = %d %q; want a refusal", code, errOut)
			}
		})
	}
}

// TestCheckpointSignatureCorrupted: a stored checkpoint whose signature
// was changed fails the audit and is never served at /log/checkpoint.
func TestCheckpointSignatureCorrupted(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			l := newLedgerDB(t, backend)
			s, _, err := openStore(ctx, l.db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			signed, err := s.LatestCheckpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// Change one base64 character of the signature line.
			text := string(signed)
			i := strings.LastIndex(text, " ") + 8
			forged := text[:i] + map[bool]string{true: "B", false: "A"}[text[i] == 'A'] + text[i+1:]
			l.exec(t, `UPDATE ledger_checkpoints SET note = '`+forged+`' WHERE size = 8`)
			if code, out := l.audit(t); code != 1 || !strings.Contains(out, "checkpoint-signature") {
				t.Fatalf("audit of a corrupted checkpoint signature = %d %q", code, out)
			}
			lg, err := loadLedger(l.dataDir, ledger.DefaultOrigin)
			if err != nil {
				t.Fatal(err)
			}
			srv := web.New(web.Config{Store: s, Logger: slog.New(slog.DiscardHandler), Ledger: lg.web()})
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("GET", "/log/checkpoint", nil))
			if w.Code == 200 || strings.Contains(w.Body.String(), forged) {
				t.Fatalf("GET /log/checkpoint with a corrupted signature = %d %q; want an error, not the checkpoint", w.Code, w.Body)
			}
		})
	}
}

// TestDemoAudits: the demo writes every served row through the ledger, so
// its database audits clean.
func TestDemoAudits(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	_, _, stop := startInProcess(t, nil, "demo", "--addr", "127.0.0.1:0", "--data-dir", dir)
	stop()
	code, out, errOut := cli(t, nil, "audit", "--db", "sqlite:"+filepath.Join(dir, "tracegate.db"), "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "audit: ok") {
		t.Fatalf("audit of the demo = %d %q %q", code, out, errOut)
	}
}
