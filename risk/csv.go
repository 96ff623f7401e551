package risk

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"tracegate"
)

// CSVColumns are the columns a signals CSV may have, in its header row in
// any order; kind, hazard, severity and title are required, and the
// selector's columns (gtin … producedTo) as a signal needs them.
var CSVColumns = []string{"kind", "source", "observedAt", "gtin", "batch", "hsPrefix", "origin", "manufacturer", "enterprise",
	"container", "warehouse", "producedFrom", "producedTo", "hazard", "severity", "title", "detail", "ref"}

// MaxCSVRows is the most signals one CSV may hold.
const MaxCSVRows = 100000

// ParseCSV reads signals from a CSV with a header row (CSVColumns),
// validating each at now. onRow, when not nil, is called after each row
// with the bytes read so far. It fails with EINVALID pointing at
// /row/N/column (N counts the header as row 1) for the first bad row, an
// unknown or repeated or missing column, or no rows; ETOOLARGE past
// MaxCSVRows.
func ParseCSV(r io.Reader, now time.Time, onRow func(int64)) ([]*Signal, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, tracegate.Invalidf("/row/1", "signals CSV: no header row (columns: %s)", strings.Join(CSVColumns, ","))
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		known := false
		for _, c := range CSVColumns {
			if c == h {
				known = true
			}
		}
		if !known {
			return nil, tracegate.Invalidf(fmt.Sprintf("/row/1/%d", i+1), "signals CSV: unknown column %q (columns: %s)", h, strings.Join(CSVColumns, ","))
		}
		if _, dup := col[h]; dup {
			return nil, tracegate.Invalidf("/row/1/"+h, "signals CSV: column %s given twice", h)
		}
		col[h] = i
	}
	for _, req := range []string{"kind", "hazard", "severity", "title"} {
		if _, ok := col[req]; !ok {
			return nil, tracegate.Invalidf("/row/1", "signals CSV: the header has no %s column", req)
		}
	}
	var out []*Signal
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			e := tracegate.Invalidf(fmt.Sprintf("/row/%d", row), "signals CSV: %v", err)
			e.Err = err // an over-long body stays recognisable
			return nil, e
		}
		if len(rec) != len(head) {
			return nil, tracegate.Invalidf(fmt.Sprintf("/row/%d", row), "signals CSV: row %d has %d fields, the header %d", row, len(rec), len(head))
		}
		if len(out) >= MaxCSVRows {
			return nil, &tracegate.Error{Code: tracegate.ETOOLARGE, Pointer: fmt.Sprintf("/row/%d", row), Message: fmt.Sprintf("signals CSV: at most %d rows", MaxCSVRows)}
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		sig := &Signal{Kind: Kind(get("kind")), Source: get("source"), Hazard: Hazard(get("hazard")), Severity: Severity(get("severity")),
			Title: get("title"), Detail: get("detail"), Ref: get("ref"),
			Selector: tracegate.Selector{GTIN: get("gtin"), Batch: get("batch"), HSPrefix: get("hsPrefix"), Origin: get("origin"),
				Manufacturer: get("manufacturer"), Enterprise: get("enterprise"), Container: get("container"), Warehouse: get("warehouse"),
				ProducedFrom: get("producedFrom"), ProducedTo: get("producedTo")}}
		ptr := fmt.Sprintf("/row/%d", row)
		if v := get("observedAt"); v != "" {
			t, err := parseTime(v)
			if err != nil {
				return nil, tracegate.Invalidf(ptr+"/observedAt", "signals CSV: row %d: observedAt %q is not an RFC 3339 time or a date", row, v)
			}
			sig.ObservedAt = t
		}
		if err := sig.Validate(ptr, now); err != nil {
			var e *tracegate.Error
			if asError(err, &e) {
				// /row/N/selector/gtin names the column gtin.
				e.Pointer = strings.Replace(e.Pointer, "/selector/", "/", 1)
				e.Message = fmt.Sprintf("signals CSV: row %d, column %s: %s", row, e.Pointer[strings.LastIndex(e.Pointer, "/")+1:], e.Message)
				for i := range e.Details {
					e.Details[i].Pointer = strings.Replace(e.Details[i].Pointer, "/selector/", "/", 1)
				}
			}
			return nil, err
		}
		out = append(out, sig)
		if onRow != nil {
			onRow(cr.InputOffset())
		}
	}
	if len(out) == 0 {
		return nil, tracegate.Invalidf("/row/2", "signals CSV: no rows")
	}
	return out, nil
}

func parseTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}
