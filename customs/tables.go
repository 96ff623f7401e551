package customs

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
)

// The regulator's tables arrive as CSV files with a header row. Fields are
// trimmed of surrounding whitespace, a UTF-8 byte-order mark before the
// header is ignored (spreadsheet exports), and empty lines are skipped.
// Every error is EINVALID with a Pointer of the form "line 12, column hs8"
// (line numbers count from 1, the header being line 1).

// Trade modes of retail import.
const (
	TradeModeBonded = "1210" // 网购保税进口 (bonded); 1239 is treated as 1210
	TradeModeDirect = "9610" // 直购进口 (direct mail)
)

// PositiveListEntry is one line of the positive list (跨境电子商务零售进口商品清单)
// in one edition: CSV columns hs8,name,modes,note,effective_from.
type PositiveListEntry struct {
	HS8  string `json:"hs8"`  // the 8-digit tariff line
	Name string `json:"name"` // the line's name in the list
	// Modes lists the trade modes the line may be imported under, from the
	// modes column: ["1210"], ["9610"] or ["1210","9610"].
	Modes []string `json:"modes"`
	// Note is the list's remark, kept verbatim. A note containing
	// "仅限网购保税" restricts the line to 1210, one containing "仅限直购" to
	// 9610 (see AllowsMode); other notes (per-person quantities, ...) are
	// shown to the officer but not enforced.
	Note string `json:"note,omitempty"`
	// EffectiveFrom is the first day (China Standard Time) of the edition the
	// entry belongs to; all entries with the same date form one edition.
	EffectiveFrom time.Time `json:"effectiveFrom"`
}

// AllowsMode reports whether e permits trade mode mode ("1210", "1239" or
// "9610"): the mode must be in Modes and not excluded by the note. It never
// fails; an unknown mode is not allowed.
func (e *PositiveListEntry) AllowsMode(mode string) bool {
	mode = normalMode(mode)
	listed := false
	for _, m := range e.Modes {
		listed = listed || m == mode
	}
	switch {
	case !listed:
		return false
	case strings.Contains(e.Note, "仅限网购保税"):
		return mode == TradeModeBonded
	case strings.Contains(e.Note, "仅限直购"):
		return mode == TradeModeDirect
	}
	return true
}

// normalMode maps 1239 (保税电商A, bonded import outside the pilot cities)
// to 1210.
func normalMode(mode string) string {
	mode = strings.TrimSpace(mode)
	if mode == "1239" {
		return TradeModeBonded
	}
	return mode
}

// csvTable reads a CSV table whose header must be exactly cols.
type csvTable struct {
	r    *csv.Reader
	cols []string
}

func newCSVTable(r io.Reader, cols []string) (*csvTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(cols)
	cr.TrimLeadingSpace = true
	t := &csvTable{r: cr, cols: cols}
	head, err := t.next()
	if err == io.EOF {
		return nil, tracegate.Invalidf("line 1", "empty table: the header %s is required", strings.Join(cols, ","))
	}
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		h := head[i]
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		if !strings.EqualFold(strings.TrimSpace(h), c) {
			return nil, tracegate.Invalidf(fmt.Sprintf("line 1, column %d", i+1),
				"header %q, want %s", strings.Join(head, ","), strings.Join(cols, ","))
		}
	}
	return t, nil
}

// next returns the next record, trimmed; io.EOF at the end.
func (t *csvTable) next() ([]string, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				return nil, tracegate.Invalidf(fmt.Sprintf("line %d", pe.StartLine),
					"%d fields, want %d (%s)", len(rec), len(t.cols), strings.Join(t.cols, ","))
			}
			return nil, tracegate.Invalidf(fmt.Sprintf("line %d", pe.Line), "malformed CSV at character %d: %v", pe.Column, pe.Err)
		}
		return nil, tracegate.Invalidf("", "read CSV: %v", err)
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
		if !utf8.ValidString(rec[i]) {
			return nil, t.errf(i, "not valid UTF-8")
		}
	}
	return rec, nil
}

// errf returns an EINVALID error pointing at column i of the record last read.
func (t *csvTable) errf(i int, format string, args ...any) error {
	line, _ := t.r.FieldPos(i)
	return tracegate.Invalidf(fmt.Sprintf("line %d, column %s", line, t.cols[i]), format, args...)
}

// ParsePositiveList reads a positive-list CSV with the header
// hs8,name,modes,note,effective_from. hs8 is exactly 8 digits; name is
// required; modes is 1210, 9610 or 1210|9610; note is free text;
// effective_from is a date YYYY-MM-DD. An hs8 may appear once per
// effective_from. It fails with EINVALID pointing at the line and column of
// the first problem, and with EINVALID for a table without a header or rows.
func ParsePositiveList(r io.Reader) ([]PositiveListEntry, error) {
	cols := []string{"hs8", "name", "modes", "note", "effective_from"}
	t, err := newCSVTable(r, cols)
	if err != nil {
		return nil, err
	}
	var out []PositiveListEntry
	seen := map[string]bool{}
	for {
		rec, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		e := PositiveListEntry{HS8: rec[0], Name: rec[1], Note: rec[3]}
		if len(e.HS8) != 8 || !allDigits(e.HS8) {
			return nil, t.errf(0, "hs8 %q must be exactly 8 digits", rec[0])
		}
		if e.Name == "" {
			return nil, t.errf(1, "name is required")
		}
		if e.Modes, err = parseModes(rec[2]); err != nil {
			return nil, t.errf(2, "%s", tracegate.ErrorMessage(err))
		}
		if e.EffectiveFrom, err = parseDate(rec[4]); err != nil {
			return nil, t.errf(4, "%s", tracegate.ErrorMessage(err))
		}
		key := rec[4] + "/" + e.HS8
		if seen[key] {
			return nil, t.errf(0, "hs8 %s occurs twice in the edition effective from %s", e.HS8, rec[4])
		}
		seen[key] = true
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, tracegate.Invalidf("line 2", "the positive list has no entries")
	}
	return out, nil
}

func parseModes(s string) ([]string, error) {
	var modes []string
	for _, m := range strings.Split(s, "|") {
		m = strings.TrimSpace(m)
		if m != TradeModeBonded && m != TradeModeDirect {
			return nil, tracegate.Invalidf("", "modes %q: each mode must be 1210 or 9610, separated by |", s)
		}
		for _, have := range modes {
			if have == m {
				return nil, tracegate.Invalidf("", "modes %q names %s twice", s, m)
			}
		}
		modes = append(modes, m)
	}
	sort.Strings(modes)
	return modes, nil
}

// parseDate parses YYYY-MM-DD as the start of that day in China Standard Time.
func parseDate(s string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", s, chinaTime)
	if err != nil || len(s) != 10 {
		return time.Time{}, tracegate.Invalidf("", "date %q is not YYYY-MM-DD", s)
	}
	return d, nil
}

// PositiveList holds several editions of the positive list and answers which
// one is in force on a date. Build it with NewPositiveList; it is read-only
// afterwards and safe for concurrent use.
type PositiveList struct {
	editions []edition // ascending EffectiveFrom
}

type edition struct {
	from    time.Time
	entries []PositiveListEntry
	byHS    map[string]int
}

// NewPositiveList groups entries into editions by EffectiveFrom. The edition
// in force on a day is the one with the latest EffectiveFrom not after it;
// an edition replaces the previous one entirely (it is not a diff). It fails
// with EINVALID when entries is empty, an HS8 is not 8 digits, or an HS8
// occurs twice in one edition.
func NewPositiveList(entries []PositiveListEntry) (*PositiveList, error) {
	if len(entries) == 0 {
		return nil, tracegate.Invalidf("/entries", "no entries")
	}
	byDate := map[time.Time]*edition{}
	pl := &PositiveList{}
	for i, e := range entries {
		if len(e.HS8) != 8 || !allDigits(e.HS8) {
			return nil, tracegate.Invalidf(fmt.Sprintf("/entries/%d/hs8", i), "hs8 %q must be exactly 8 digits", e.HS8)
		}
		day := dayOf(e.EffectiveFrom)
		ed := byDate[day]
		if ed == nil {
			ed = &edition{from: day, byHS: map[string]int{}}
			byDate[day] = ed
		}
		if _, dup := ed.byHS[e.HS8]; dup {
			return nil, tracegate.Invalidf(fmt.Sprintf("/entries/%d/hs8", i), "hs8 %s occurs twice in the edition of %s", e.HS8, day.Format(time.DateOnly))
		}
		ed.byHS[e.HS8] = len(ed.entries)
		ed.entries = append(ed.entries, e)
	}
	for _, ed := range byDate {
		pl.editions = append(pl.editions, *ed)
	}
	sort.Slice(pl.editions, func(i, j int) bool { return pl.editions[i].from.Before(pl.editions[j].from) })
	return pl, nil
}

// dayOf returns the start of t's calendar day in China Standard Time.
func dayOf(t time.Time) time.Time {
	y, m, d := t.In(chinaTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, chinaTime)
}

func (pl *PositiveList) inForce(date time.Time) *edition {
	day := dayOf(date)
	for i := len(pl.editions) - 1; i >= 0; i-- {
		if !pl.editions[i].from.After(day) {
			return &pl.editions[i]
		}
	}
	return nil
}

// InForce returns the effective date and the entries of the edition in force
// on date's calendar day in China Standard Time. It fails with ENOTFOUND
// when no edition is in force yet.
func (pl *PositiveList) InForce(date time.Time) (time.Time, []PositiveListEntry, error) {
	ed := pl.inForce(date)
	if ed == nil {
		return time.Time{}, nil, tracegate.Errorf(tracegate.ENOTFOUND, "no positive list in force on %s", dayOf(date).Format(time.DateOnly))
	}
	return ed.from, ed.entries, nil
}

// Lookup returns the entry for hs8 (the first 8 digits of a gcode also work)
// in the edition in force on date. It fails with ENOTFOUND when no edition
// is in force or the line is not on it.
func (pl *PositiveList) Lookup(hs8 string, date time.Time) (PositiveListEntry, error) {
	hs8 = strings.TrimSpace(hs8)
	if len(hs8) > 8 {
		hs8 = hs8[:8]
	}
	ed := pl.inForce(date)
	if ed == nil {
		return PositiveListEntry{}, tracegate.Errorf(tracegate.ENOTFOUND, "no positive list in force on %s", dayOf(date).Format(time.DateOnly))
	}
	i, ok := ed.byHS[hs8]
	if !ok {
		return PositiveListEntry{}, tracegate.Errorf(tracegate.ENOTFOUND, "HS %s is not on the positive list in force on %s (edition of %s)",
			hs8, dayOf(date).Format(time.DateOnly), ed.from.Format(time.DateOnly))
	}
	return ed.entries[i], nil
}
