package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate/customs"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

func TestCustomsTablesAndImport(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"TRACEGATE_DB": "sqlite:" + filepath.Join(dir, "t.db"), "TRACEGATE_DATA_DIR": filepath.Join(dir, "data")}
	d := customs.DemoTables()
	for kind, csv := range map[string]string{customs.TablePositiveList: d.PositiveListCSV, customs.TableTariff: d.TariffCSV,
		customs.TableProhibited: d.ProhibitedCSV, customs.TableBarcodeRisk: d.Barcodes.CSV()} {
		path := filepath.Join(dir, kind+".csv")
		if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, out, errs := cli(t, vars, "customs", "tables", "load", "--kind", kind, path); code != 0 || !strings.Contains(out, "loaded "+kind) {
			t.Fatalf("tables load %s = %d %q %q", kind, code, out, errs)
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("hs_prefix,category,reason\nx,危险,\n"), 0o600)
	if code, _, errs := cli(t, vars, "customs", "tables", "load", "--kind", "prohibited", bad); code != 1 || !strings.Contains(errs, "line") {
		t.Fatalf("bad table = %d %q", code, errs)
	}
	if code, _, _ := cli(t, vars, "customs", "tables", "load", "--kind", "other", bad); code != 1 {
		t.Fatalf("unknown kind = %d", code)
	}

	// File the demo products, then import a day of declarations from a directory.
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(dir, "t.db"), LedgerStates: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := storetest.FileCustomsDemoProducts(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	s.Close()
	msgs := filepath.Join(dir, "msgs")
	os.MkdirAll(msgs, 0o700)
	day := customs.GenerateDay(7, 20, storetest.CustomsDay)
	for i := range day {
		for k, b := range storetest.CustomsMessages(t, &day[i]) {
			// Inventories last: names sort order, payment, waybill, inventory.
			prefix := map[customs.DocKind]string{customs.DocOrder: "a", customs.DocPayment: "b", customs.DocWaybill: "c", customs.DocInventory: "d"}[k]
			os.WriteFile(filepath.Join(msgs, fmt.Sprintf("%s-%03d.xml", prefix, i)), b, 0o600)
		}
	}
	os.WriteFile(filepath.Join(msgs, "z-bad.xml"), []byte("<ceb:CEB621Message xmlns:ceb=\"urn:wrong\"/>"), 0o600)
	// A message sent twice is refused inside its batch's transaction: the
	// batch is taken again message by message and only the copy is refused.
	again, err := os.ReadFile(filepath.Join(msgs, "a-000.xml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(msgs, "a-000x.xml"), again, 0o600)
	code, out, errs := cli(t, vars, "customs", "import", "--uscc", storetest.USCC(9), msgs)
	if code != 1 || !strings.Contains(out, "80 messages taken (80 documents), 2 refused; decisions: ") ||
		!strings.Contains(errs, "z-bad.xml") || !strings.Contains(errs, "a-000x.xml") || !strings.Contains(errs, "received already") ||
		!strings.Contains(errs, "messages/s") {
		t.Fatalf("import = %d %q %q", code, out, errs)
	}
	pass := 0
	for i := range day {
		if day[i].Fault == "" || day[i].Fault == customs.RuleCredit {
			pass++
		}
	}
	if !strings.Contains(out, fmt.Sprintf(" %d pass,", pass)) {
		t.Errorf("import summary %q; want %d pass (clean and credit-faulted declarations)", out, pass)
	}
	if code, out, _ := cli(t, vars, "customs", "sweep"); code != 0 || !strings.Contains(out, "0 declarations timed out") {
		t.Fatalf("sweep = %d %q", code, out)
	}
	// A cancel (CEB623) through the import, and an officer's resolution of a
	// manual review: both are decisions in the ledger too.
	cancelDir := filepath.Join(dir, "cancel")
	os.MkdirAll(cancelDir, 0o700)
	body, err := customs.Marshal(storetest.CancelMessage(&day[0], "C3000000-0000-4000-8000-000000000623"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(cancelDir, "cancel.xml"), body, 0o600)
	if code, out, errs := cli(t, vars, "customs", "import", "--uscc", storetest.USCC(9), cancelDir); code != 0 || !strings.Contains(out, "1 cancelled") {
		t.Fatalf("import of a cancel = %d %q %q", code, out, errs)
	}
	reviewed := storetest.GenerateFault(0, customs.RuleBarcodeRisk)
	for _, m := range []*customs.Envelope{&reviewed.Order.Envelope, &reviewed.Payment.Envelope, &reviewed.Waybill.Envelope, &reviewed.Inventory.Envelope} {
		m.GUID = "D" + m.GUID[1:]
	}
	reviewed.Order.Orders[0].Head.OrderNo += "R"
	reviewed.Payment.Payments[0].Head.OrderNo += "R"
	reviewed.Waybill.Logistics[0].Head.OrderNo += "R"
	reviewed.Inventory.Inventories[0].Head.OrderNo += "R"
	s, err = sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(dir, "t.db"), LedgerStates: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret}, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
		if _, err := svc.Intake(context.Background(), customs.Sender{USCC: storetest.USCC(9)}, storetest.CustomsMessages(t, reviewed)[k]); err != nil {
			t.Fatal(err)
		}
	}
	reviews, err := svc.Reviews(context.Background(), 0)
	if err != nil || len(reviews) != 1 {
		t.Fatalf("Reviews() = %+v, %v; want the barcode-risk declaration", reviews, err)
	}
	if _, err := svc.ResolveReview(context.Background(), reviews[0].ID, customs.Officer{USCC: storetest.USCC(10), KeyID: 1},
		customs.ReviewResolution{Decision: customs.OutcomeRefuse, Reason: "标签不符"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The audit re-derives every customs leaf from the decision history.
	if code, out, errs := cli(t, vars, "audit"); code != 0 || !strings.Contains(out+errs, "agree") {
		t.Fatalf("audit = %d %q %q", code, out, errs)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "t.db")) // the driver of the sqlite store
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE customs_decisions SET decision = replace(decision, '"refuse"', '"pass"') WHERE status = 'refuse'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, out, errs := cli(t, vars, "audit"); code != 1 || !strings.Contains(out+errs, "finding") {
		t.Fatalf("audit after rewriting a refusal = %d %q %q; want findings", code, out, errs)
	}
}
