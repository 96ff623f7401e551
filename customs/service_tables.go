package customs

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"tracegate"
)

// LoadTable checks a table CSV of kind (TableKinds) with its parser and
// stores it as the new version in force. Columns are those of
// ParsePositiveList, ParseTariffCSV and ParseProhibitedCSV; the risk tables
// are gtin,tag,severity,note (barcode-risk) and hs_prefix,tag,severity,note
// (hs-risk). It fails with EINVALID naming the line and column of the first
// problem, or an unknown kind; nothing is stored then.
func (s *Service) LoadTable(ctx context.Context, kind string, data []byte) (*TableVersion, error) {
	n, err := parseTable(kind, data)
	if err != nil {
		return nil, err
	}
	t := &TableVersion{Kind: kind, Rows: n, CSV: string(data)}
	if err := s.store.SaveCustomsTable(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// parsedTables holds the parsed form of each kind.
type parsedTables struct {
	pl         *PositiveList
	tariff     *Tariff
	prohibited ProhibitedList
	barcodes   BarcodeRiskTable
	hs         HSRiskTable
}

func parseTable(kind string, data []byte) (int, error) {
	var pt parsedTables
	return pt.parse(kind, data)
}

func (pt *parsedTables) parse(kind string, data []byte) (int, error) {
	r := bytes.NewReader(data)
	switch kind {
	case TablePositiveList:
		es, err := ParsePositiveList(r)
		if err != nil {
			return 0, err
		}
		pt.pl, err = NewPositiveList(es)
		return len(es), err
	case TableTariff:
		rates, err := ParseTariffCSV(r)
		if err != nil {
			return 0, err
		}
		pt.tariff, err = NewTariff(rates)
		return len(rates), err
	case TableProhibited:
		p, err := ParseProhibitedCSV(r)
		pt.prohibited = p
		return len(p), err
	case TableBarcodeRisk, TableHSRisk:
		tags, n, err := parseRiskCSV(r, map[string]string{TableBarcodeRisk: "gtin", TableHSRisk: "hs_prefix"}[kind])
		if kind == TableBarcodeRisk {
			pt.barcodes = BarcodeRiskTable(tags)
		} else {
			pt.hs = HSRiskTable(tags)
		}
		return n, err
	}
	return 0, tracegate.Invalidf("/kind", "unknown table kind %q: want one of %s", kind, strings.Join(TableKinds, ", "))
}

// parseRiskCSV reads key,tag,severity,note rows into tags by key.
func parseRiskCSV(r io.Reader, keyCol string) (map[string][]RiskTag, int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 4
	head, err := cr.Read()
	if err != nil {
		return nil, 0, tracegate.Invalidf("/line/1", "risk table: no header %s,tag,severity,note", keyCol)
	}
	if strings.Join(head, ",") != keyCol+",tag,severity,note" {
		return nil, 0, tracegate.Invalidf("/line/1", "risk table: header is %q, want %s,tag,severity,note", strings.Join(head, ","), keyCol)
	}
	out := map[string][]RiskTag{}
	n := 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d", line), "risk table: %v", err)
		}
		key := strings.TrimSpace(rec[0])
		if key == "" || strings.Trim(key, "0123456789") != "" || len(key) < 2 || len(key) > 14 {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/%s", line, keyCol), "risk table: %s %q is not 2 to 14 digits", keyCol, key)
		}
		if keyCol == "gtin" {
			if key = gtin14(key); key == "" {
				return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/gtin", line), "risk table: gtin %q is not a GTIN-8, -12, -13 or -14 with its check digit", strings.TrimSpace(rec[0]))
			}
		}
		sev := Severity(strings.TrimSpace(rec[2]))
		if sev != SeverityNotice && sev != SeverityWarning && sev != SeverityBlock {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/severity", line), "risk table: severity %q is not notice, warning or block", sev)
		}
		if strings.TrimSpace(rec[1]) == "" {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/tag", line), "risk table: tag is required")
		}
		out[key] = append(out[key], RiskTag{Tag: strings.TrimSpace(rec[1]), Severity: sev, Note: strings.TrimSpace(rec[3])})
		n++
	}
	if n == 0 {
		return nil, 0, tracegate.Invalidf("/line/2", "risk table: no rows")
	}
	return out, n, nil
}

// barcodeLookup pads the GTIN before looking it up.
type barcodeLookup BarcodeRiskTable

func (t barcodeLookup) BarcodeRisk(gtin string) []RiskTag { return t[gtin14(gtin)] }

// bothBarcodes asks the loaded table and then the assessment.
type bothBarcodes [2]BarcodeRisk

func (b bothBarcodes) BarcodeRisk(gtin string) []RiskTag {
	return append(b[0].BarcodeRisk(gtin), b[1].BarcodeRisk(gtin)...)
}

// bothHS asks the loaded table and then the assessment.
type bothHS [2]HSRisk

func (b bothHS) HSRisk(gcode string) []RiskTag {
	return append(b[0].HSRisk(gcode), b[1].HSRisk(gcode)...)
}

// screeningDeps returns the deps of the tables in force, re-reading them
// only when a new version was loaded.
func (s *Service) screeningDeps(ctx context.Context, tx StoreTx) (ScreeningDeps, error) {
	ids, err := tx.TableIDs(ctx)
	if err != nil {
		return ScreeningDeps{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tabIDs != nil && equalIDs(ids, s.tabIDs) {
		return creditThrough(ctx, tx, s.deps), nil
	}
	tables, err := tx.CustomsTables(ctx) // through the transaction: it holds the ledger lock
	if err != nil {
		return ScreeningDeps{}, err
	}
	var pt parsedTables
	got := map[string]int64{}
	for _, t := range tables {
		if _, err := pt.parse(t.Kind, []byte(t.CSV)); err != nil {
			return ScreeningDeps{}, fmt.Errorf("customs: stored %s table %d: %w", t.Kind, t.ID, err)
		}
		got[t.Kind] = t.ID
	}
	deps := ScreeningDeps{PositiveList: pt.pl, Tariff: pt.tariff, Prohibited: pt.prohibited,
		Barcodes: barcodeLookup(pt.barcodes), HSRisk: pt.hs, Credit: s.credit}
	if pt.hs == nil {
		deps.HSRisk = HSRiskTable{}
	}
	if s.credit == nil {
		deps.Credit = nil // an interface holding a nil would fake a level
	}
	if s.barcode != nil {
		deps.Barcodes = bothBarcodes{deps.Barcodes, s.barcode}
	}
	if s.hsRisk != nil {
		deps.HSRisk = bothHS{deps.HSRisk, s.hsRisk}
	}
	if equalIDs(got, ids) {
		s.tabIDs, s.deps = got, deps
	}
	return creditThrough(ctx, tx, deps), nil
}

func equalIDs(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// tablesMissing reviews a decision screened without a positive list,
// prohibited table or tariff: a nil table skips its rule, which must not
// pass goods silently.
func tablesMissing(d *Decision, deps ScreeningDeps) {
	if d.Status == OutcomeRefuse || d.Status == OutcomeWaiting {
		return
	}
	for _, m := range []struct {
		missing bool
		kind    string
	}{{deps.PositiveList == nil, TablePositiveList}, {deps.Prohibited == nil, TableProhibited}, {deps.Tariff == nil, TableTariff}} {
		if m.missing {
			d.add(Reason{Rule: RuleDeclaration, Message: "no " + m.kind + " table is loaded; the regulator must load one", Outcome: OutcomeReview})
		}
	}
}
