package customs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tracegate"
)

const testPositiveCSV = "\uFEFFhs8,name,modes,note,effective_from\n" +
	"33049900,其他美容品或化妆品及护肤品,1210|9610,,2022-03-01\n" +
	"19011010,供婴幼儿食用的零售包装配方奶粉,1210|9610,,2022-03-01\n" +
	"21069090,其他编号未列名的食品,1210,仅限网购保税进口,2022-03-01\n" +
	"96032100,牙刷,1210|9610,,2022-03-01\n" +
	"33049900,其他美容品或化妆品及护肤品,1210|9610,,2026-01-01\n" +
	"19011010,供婴幼儿食用的零售包装配方奶粉,1210|9610,,2026-01-01\n" +
	"21069090,其他编号未列名的食品,1210|9610,仅限网购保税进口,2026-01-01\n"

func cst(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, chinaTime) }

func TestParsePositiveList(t *testing.T) {
	es, err := ParsePositiveList(strings.NewReader(testPositiveCSV))
	if err != nil {
		t.Fatalf("ParsePositiveList: %v", err)
	}
	if len(es) != 7 {
		t.Fatalf("got %d entries, want 7", len(es))
	}
	e := es[2]
	if e.HS8 != "21069090" || len(e.Modes) != 1 || e.Modes[0] != "1210" || e.Note != "仅限网购保税进口" || !e.EffectiveFrom.Equal(cst(2022, 3, 1, 0)) {
		t.Errorf("entry 3 = %+v", e)
	}
	if m := es[0].Modes; len(m) != 2 || m[0] != "1210" || m[1] != "9610" {
		t.Errorf("modes = %v, want [1210 9610]", m)
	}
}

func TestTableErrors(t *testing.T) {
	const ph = "hs8,name,modes,note,effective_from\n"
	const th = "hs,duty_rate,vat_rate,ct_rate,ct_threshold,ct_threshold_unit\n"
	const xh = "hs_prefix,category,reason\n"
	tests := []struct {
		name, table, csv, pointer, msg string
	}{
		{"empty", "positive", "", "line 1", "header"},
		{"wrong header", "positive", "hs,name,modes,note,effective_from\n", "line 1, column 1", "header"},
		{"no rows", "positive", ph, "line 2", "no entries"},
		{"hs7", "positive", ph + "3304990,x,1210,,2022-03-01\n", "line 2, column hs8", "8 digits"},
		{"hs letters", "positive", ph + "3304990A,x,1210,,2022-03-01\n", "line 2, column hs8", "8 digits"},
		{"no name", "positive", ph + "33049900,,1210,,2022-03-01\n", "line 2, column name", "required"},
		{"bad mode", "positive", ph + "33049900,x,1210|1239,,2022-03-01\n", "line 2, column modes", "1210 or 9610"},
		{"mode twice", "positive", ph + "33049900,x,1210|1210,,2022-03-01\n", "line 2, column modes", "twice"},
		{"bad date", "positive", ph + "33049900,x,1210,,2022-3-1\n", "line 2, column effective_from", "YYYY-MM-DD"},
		{"duplicate", "positive", ph + "33049900,x,1210,,2022-03-01\n\n33049900,y,9610,,2022-03-01\n", "line 4, column hs8", "twice"},
		{"field count", "positive", ph + "33049900,x,1210,2022-03-01\n", "line 2", "4 fields"},
		{"quote", "positive", ph + "33049900,\"x,1210,,2022-03-01\n", "line 2", "malformed"},
		{"tariff hs9", "tariff", th + "330499000,0.05,0.13,0.15,,\n", "line 2, column hs", "8 or 10"},
		{"tariff percent", "tariff", th + "3304990000,5%,0.13,0.15,,\n", "line 2, column duty_rate", "decimal fraction"},
		{"tariff float junk", "tariff", th + "3304990000,0.05,1e-1,0.15,,\n", "line 2, column vat_rate", "rate"},
		{"tariff negative", "tariff", th + "3304990000,0.05,0.13,-0.15,,\n", "line 2, column ct_rate", "rate"},
		{"tariff ct 1", "tariff", th + "3304990000,0.05,0.13,1,,\n", "line 2, column ct_rate", "below 1"},
		{"tariff threshold unit", "tariff", th + "3304990000,0.05,0.13,0.15,10,ml\n", "line 2, column ct_threshold_unit", "CNY/"},
		{"tariff unit alone", "tariff", th + "3304990000,0.05,0.13,0.15,,CNY/ml\n", "line 2, column ct_threshold_unit", "without"},
		{"tariff threshold fen", "tariff", th + "3304990000,0.05,0.13,0.15,10.001,CNY/ml\n", "line 2, column ct_threshold", "positive amount"},
		{"tariff dup", "tariff", th + "33049900,0,0.13,,,\n33049900,0,0.13,,,\n", "line 3, column hs", "twice"},
		{"prohibited short", "prohibited", xh + "3,危险化学品,\n", "line 2, column hs_prefix", "2 to 10"},
		{"prohibited no category", "prohibited", xh + "2844,,放射性\n", "line 2, column category", "required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			switch tc.table {
			case "positive":
				_, err = ParsePositiveList(strings.NewReader(tc.csv))
			case "tariff":
				_, err = ParseTariffCSV(strings.NewReader(tc.csv))
			default:
				_, err = ParseProhibitedCSV(strings.NewReader(tc.csv))
			}
			var e *tracegate.Error
			if !errors.As(err, &e) || e.Code != tracegate.EINVALID {
				t.Fatalf("parse %q: err = %v, want EINVALID", tc.csv, err)
			}
			if e.Pointer != tc.pointer || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("parse %q: pointer %q message %q, want %q containing %q", tc.csv, e.Pointer, e.Message, tc.pointer, tc.msg)
			}
		})
	}
}

func TestParseTariffCSV(t *testing.T) {
	const in = "hs,duty_rate,vat_rate,ct_rate,ct_threshold,ct_threshold_unit\n" +
		"33049900,0.01,0.13,0.15,10,CNY/ml\n" +
		"3304990010,0.05,0.13,,,\n"
	rates, err := ParseTariffCSV(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ParseTariffCSV: %v", err)
	}
	want := TariffRate{HS: "33049900", Duty: 10_000, VAT: 130_000, CT: 150_000, CTThreshold: Yuan(10), CTUnit: "CNY/ml"}
	if rates[0] != want {
		t.Errorf("rate 1 = %+v, want %+v", rates[0], want)
	}
	tariff, err := NewTariff(rates)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := tariff.Lookup("3304990010"); r.HS != "3304990010" || r.CT != 0 {
		t.Errorf("Lookup longest = %+v", r)
	}
}

func TestProhibitedMatch(t *testing.T) {
	p, err := ParseProhibitedCSV(strings.NewReader("hs_prefix,category,reason\n28,危险化学品,\n2844,放射性物品,放射性\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ gcode, want string }{{"2844100000", "2844"}, {"2801100000", "28"}, {"3304990000", ""}} {
		e, ok := p.Match(tc.gcode)
		if e.HSPrefix != tc.want || ok != (tc.want != "") {
			t.Errorf("Match(%q) = %+v, %v, want prefix %q", tc.gcode, e, ok, tc.want)
		}
	}
}

func TestPositiveListVersions(t *testing.T) {
	es, _ := ParsePositiveList(strings.NewReader(testPositiveCSV))
	pl, err := NewPositiveList(es)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		hs    string
		date  time.Time
		found bool
		from  time.Time
	}{
		{"before any edition", "33049900", cst(2022, 2, 28, 23), false, time.Time{}},
		{"first day of 2022 edition", "3304990010", cst(2022, 3, 1, 0), true, cst(2022, 3, 1, 0)},
		{"toothbrush in 2022", "96032100", cst(2025, 12, 31, 23), true, cst(2022, 3, 1, 0)},
		{"toothbrush dropped in 2026", "96032100", cst(2026, 1, 1, 0), false, time.Time{}},
		// 2025-12-31T16:00Z is 2026-01-01 00:00 in Beijing.
		{"UTC date counted in CST", "21069090", time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), true, cst(2026, 1, 1, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := pl.Lookup(tc.hs, tc.date)
			if tc.found != (err == nil) {
				t.Fatalf("Lookup(%s, %v) = %+v, %v; want found %v", tc.hs, tc.date, e, err, tc.found)
			}
			if err != nil {
				if !tracegate.IsCode(err, tracegate.ENOTFOUND) {
					t.Errorf("err = %v, want ENOTFOUND", err)
				}
				return
			}
			if !e.EffectiveFrom.Equal(tc.from) {
				t.Errorf("edition %v, want %v", e.EffectiveFrom, tc.from)
			}
		})
	}
	from, in, err := pl.InForce(cst(2026, 5, 1, 12))
	if err != nil || len(in) != 3 || !from.Equal(cst(2026, 1, 1, 0)) {
		t.Errorf("InForce(2026-05-01) = %v, %d entries, %v; want 2026-01-01, 3", from, len(in), err)
	}
}

func TestAllowsMode(t *testing.T) {
	tests := []struct {
		modes []string
		note  string
		mode  string
		want  bool
	}{
		{[]string{"1210", "9610"}, "", "9610", true},
		{[]string{"1210", "9610"}, "", "1239", true},
		{[]string{"1210"}, "", "9610", false},
		{[]string{"1210", "9610"}, "仅限网购保税进口", "9610", false},
		{[]string{"1210", "9610"}, "仅限网购保税进口", "1210", true},
		{[]string{"1210", "9610"}, "仅限直购进口", "1210", false},
		{[]string{"1210", "9610"}, "", "0110", false},
	}
	for _, tc := range tests {
		e := PositiveListEntry{Modes: tc.modes, Note: tc.note}
		if got := e.AllowsMode(tc.mode); got != tc.want {
			t.Errorf("AllowsMode(%v, %q, %s) = %v, want %v", tc.modes, tc.note, tc.mode, got, tc.want)
		}
	}
}
