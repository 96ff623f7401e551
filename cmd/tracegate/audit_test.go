package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
	"tracegate/store/storetest"
)

// ledgerDB is a database with a logged capture, for tampering with.
type ledgerDB struct {
	db      string // --db
	dataDir string
	exec    func(t *testing.T, sql string) // runs SQL behind tracegate's back
}

// newLedgerDB captures 8 events through the ledger and publishes a
// checkpoint, on SQLite or PostgreSQL.
func newLedgerDB(t *testing.T, backend string) *ledgerDB {
	t.Helper()
	ctx := context.Background()
	l := &ledgerDB{dataDir: t.TempDir()}
	switch backend {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "l.db")
		l.db = "sqlite:" + path
		l.exec = func(t *testing.T, q string) {
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(0)&_pragma=busy_timeout(5000)")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("tamper %q: %v", q, err)
			}
		}
	case "postgres":
		l.db = storetest.PostgresURL(t)
		l.exec = func(t *testing.T, q string) {
			conn, err := pgx.Connect(ctx, l.db)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, q); err != nil {
				t.Fatalf("tamper %q: %v", q, err)
			}
		}
	}
	s, _, err := openStore(ctx, l.db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ent := &tracegate.Enterprise{USCC: storetest.USCC(88), Name: "仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		t.Fatal(err)
	}
	lg, err := loadLedger(l.dataDir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	var evs []string
	for i := range 8 {
		evs = append(evs, fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"2026-11-20T10:0%d:00+08:00","eventTimeZoneOffset":"+08:00","epcList":["urn:epc:id:sgtin:9506000.013435.T%d"],"action":"OBSERVE","bizStep":"shipping","disposition":"in_transit"}`, i, i))
	}
	doc := []byte(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[` + strings.Join(evs, ",") + `]}}`)
	leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(lg.committer, r, ent.USCC) }
	if _, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true, Leaf: leaf}); err != nil {
		t.Fatal(err)
	}
	pub := &ledger.Publisher{Store: s, Signer: lg.signer, Verifiers: lg.verifiers}
	if size, err := pub.PublishOnce(ctx); err != nil || size != 8 {
		t.Fatalf("PublishOnce() = %d, %v", size, err)
	}
	return l
}

func (l *ledgerDB) audit(t *testing.T) (int, string) {
	t.Helper()
	code, out, errOut := cli(t, nil, "audit", "--db", l.db, "--data-dir", l.dataDir)
	return code, out + errOut
}

func TestAuditCatchesTampering(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			tests := []struct {
				name   string
				tamper func(t *testing.T, l *ledgerDB)
				want   []string // finding kinds (and leaf indexes) the audit must report
			}{
				{"clean", func(*testing.T, *ledgerDB) {}, nil},
				{"changed field", func(t *testing.T, l *ledgerDB) {
					l.exec(t, `UPDATE epcis_events SET body = REPLACE(body, 'in_transit', 'in_progress') WHERE ledger_idx = 2`)
				}, []string{"leaf-mismatch", " 2"}},
				{"changed record time", func(t *testing.T, l *ledgerDB) {
					l.exec(t, `UPDATE epcis_events SET record_time = record_time + `+map[string]string{"sqlite": "1000000", "postgres": "interval '1 second'"}[backend]+` WHERE ledger_idx = 5`)
				}, []string{"leaf-mismatch", " 5"}},
				{"deleted row", func(t *testing.T, l *ledgerDB) {
					l.exec(t, `DELETE FROM epcis_epcs WHERE seq = (SELECT seq FROM epcis_events WHERE ledger_idx = 3)`)
					l.exec(t, `DELETE FROM epcis_events WHERE ledger_idx = 3`)
				}, []string{"leaf-missing", " 3"}},
				{"inserted row", func(t *testing.T, l *ledgerDB) {
					l.exec(t, `INSERT INTO epcis_events (event_id, event_hash, event_type, event_time, record_time, action, biz_step, disposition,
						read_point, biz_location, enterprise_id, capture_id, body)
						SELECT 'forged', 'forged', event_type, event_time, record_time, action, biz_step, disposition, read_point, biz_location,
						enterprise_id, capture_id, REPLACE(body, 'T4', 'T9') FROM epcis_events WHERE ledger_idx = 4`)
				}, []string{"leaf-extra"}},
				{"two rows swapped", func(t *testing.T, l *ledgerDB) {
					// The records at leaves 1 and 6 trade places.
					l.exec(t, `UPDATE epcis_events SET ledger_idx = -6 WHERE ledger_idx = 1`)
					l.exec(t, `UPDATE epcis_events SET ledger_idx = 1 WHERE ledger_idx = 6`)
					l.exec(t, `UPDATE epcis_events SET ledger_idx = 6 WHERE ledger_idx = -6`)
				}, []string{"leaf-mismatch", " 1", " 6"}},
				{"stored hash changed", func(t *testing.T, l *ledgerDB) {
					l.exec(t, `UPDATE ledger_hashes SET hash = `+map[string]string{"sqlite": "zeroblob(32)", "postgres": "'\\x" + strings.Repeat("00", 32) + "'::bytea"}[backend]+` WHERE idx = 0`)
				}, []string{"mismatch"}},
				{"forged checkpoint", func(t *testing.T, l *ledgerDB) {
					lg, err := loadLedger(l.dataDir, ledger.DefaultOrigin)
					if err != nil {
						t.Fatal(err)
					}
					signed, err := lg.signer.Sign(4, tlog.Hash{1, 2, 3})
					if err != nil {
						t.Fatal(err)
					}
					l.exec(t, `INSERT INTO ledger_checkpoints (size, note, created_at) VALUES (4, '`+string(signed)+`', `+map[string]string{"sqlite": "0", "postgres": "now()"}[backend]+`)`)
				}, []string{"root-mismatch"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					l := newLedgerDB(t, backend)
					tt.tamper(t, l)
					code, out := l.audit(t)
					if tt.want == nil {
						if code != 0 || !strings.Contains(out, "audit: ok: 8 leaves") {
							t.Fatalf("audit of an untouched log = %d %q", code, out)
						}
						return
					}
					if code != 1 {
						t.Fatalf("audit after %s = %d %q; want exit 1", tt.name, code, out)
					}
					for _, w := range tt.want {
						if !strings.Contains(out, w) {
							t.Fatalf("audit after %s said %q; want it to mention %q", tt.name, out, w)
						}
					}
				})
			}
		})
	}
}

// TestAuditLabels: the audit re-derives label issuance leaves (and the
// binding events) and catches a changed commitment.
func TestAuditLabels(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			l := newLedgerDB(t, backend) // leaves 0..7
			s, _, err := openStore(ctx, l.db)
			if err != nil {
				t.Fatal(err)
			}
			lg, err := loadLedger(l.dataDir, ledger.DefaultOrigin)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := openLabels(&env{getenv: func(string) string { return "" }}, s, nil, l.dataDir, nil)
			if err != nil {
				t.Fatal(err)
			}
			ent, err := s.FindEnterpriseByUSCC(ctx, storetest.USCC(88))
			if err != nil {
				t.Fatal(err)
			}
			p := &tracegate.Principal{EnterpriseID: ent.ID, USCC: ent.USCC, Enterprise: ent, Role: tracegate.RoleWarehouse}
			_, codes, err := svc.Issue(ctx, p, 1500, "", true) // leaves 8 and 9
			if err != nil {
				t.Fatal(err)
			}
			prod := storetest.Product(ent.ID, "9421902960031")
			prod.Validate()
			if _, err := s.SaveProducts(ctx, []*tracegate.Product{prod}); err != nil { // leaf 10: the filing
				t.Fatal(err)
			}
			leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(lg.committer, r, ent.USCC) }
			if _, err := svc.Intake(ctx, p, &label.IntakeRequest{Codes: []string{codes[0].String(), codes[1200].String()},
				GTIN: prod.GTIN, Batch: "B1"}, leaf); err != nil { // leaf 11
				t.Fatal(err)
			}
			pub := &ledger.Publisher{Store: s, Signer: lg.signer, Verifiers: lg.verifiers}
			if size, err := pub.PublishOnce(ctx); err != nil || size != 12 {
				t.Fatalf("PublishOnce() = %d, %v", size, err)
			}
			s.Close()
			if code, out := l.audit(t); code != 0 || !strings.Contains(out, "audit: ok: 12 leaves") {
				t.Fatalf("audit with labels = %d %q", code, out)
			}
			// One commitment of the second chunk changed.
			l.exec(t, map[string]string{
				"sqlite":   `UPDATE label_chunks SET commitments = zeroblob(32) || substr(commitments, 33) WHERE chunk = 1`,
				"postgres": `UPDATE label_chunks SET commitments = overlay(commitments placing '\x` + strings.Repeat("00", 32) + `'::bytea from 1 for 32) WHERE chunk = 1`,
			}[backend])
			if code, out := l.audit(t); code != 1 || !strings.Contains(out, "leaf-mismatch") || !strings.Contains(out, " 9") {
				t.Fatalf("audit after changing a commitment = %d %q", code, out)
			}
		})
	}
}
