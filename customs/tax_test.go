package customs

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"tracegate"
)

// testTariff: cosmetics heading 3304.99 (duty 5%, VAT 13%, CT 15% from 10.00
// CNY/ml), a more specific 10-digit code under it without CT, and a
// 10-digit-only rate for 8541401000 (VAT 13%, duty 0).
func testTariff(t *testing.T) *Tariff {
	t.Helper()
	tt, err := NewTariff([]TariffRate{
		{HS: "33049900", Duty: 50_000, VAT: 130_000, CT: 150_000, CTThreshold: Yuan(10), CTUnit: "CNY/ml"},
		{HS: "3304990099", Duty: 50_000, VAT: 130_000},
		{HS: "8541401000", VAT: 130_000},
		{HS: "99999999", VAT: 10_000},
	})
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

func TestTariffLookup(t *testing.T) {
	tt := testTariff(t)
	for _, tc := range []struct {
		gcode, want string
	}{{"3304990010", "33049900"}, {"3304990099", "3304990099"}, {"8541401000", "8541401000"}, {"33049900", "33049900"}} {
		r, err := tt.Lookup(tc.gcode)
		if err != nil || r.HS != tc.want {
			t.Errorf("Lookup(%q) = %q, %v, want %q", tc.gcode, r.HS, err, tc.want)
		}
	}
	if _, err := tt.Lookup("8541409000"); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Errorf("Lookup(unknown) = %v, want ENOTFOUND", err)
	}
}

func TestNewTariffRejects(t *testing.T) {
	tests := []struct {
		name  string
		rates []TariffRate
	}{
		{"short HS", []TariffRate{{HS: "3304"}}},
		{"9 digits", []TariffRate{{HS: "330499001"}}},
		{"letters", []TariffRate{{HS: "3304990A"}}},
		{"duplicate", []TariffRate{{HS: "33049900"}, {HS: "33049900"}}},
		{"CT 100%", []TariffRate{{HS: "33049900", CT: 1_000_000}}},
		{"negative VAT", []TariffRate{{HS: "33049900", VAT: -1}}},
		{"threshold without unit", []TariffRate{{HS: "33049900", CT: 150_000, CTThreshold: Yuan(10)}}},
		{"negative threshold", []TariffRate{{HS: "33049900", CTThreshold: -1}}},
	}
	for _, tc := range tests {
		if _, err := NewTariff(tc.rates); !tracegate.IsCode(err, tracegate.EINVALID) {
			t.Errorf("NewTariff(%s) = %v, want EINVALID", tc.name, err)
		}
	}
}

func TestComputeTaxWorkedExamples(t *testing.T) {
	tt := testTariff(t)
	cosmetics := func(mode TaxMode, ml string) TaxInput {
		return TaxInput{Mode: mode, Freight: Yuan(10),
			Lines: []TaxLine{{Gnum: 1, HS: "3304990010", TotalPrice: Yuan(100), CTQty: ml}}}
	}
	tests := []struct {
		name          string
		in            TaxInput
		duty, ct, vat Money
		shares        []Money
		ctApplied     bool
	}{
		// Retail, 100.00 cosmetics + 10.00 freight, 5 ml (20.00/ml ≥ 10.00):
		//   D = 110.00
		//   statutory CT  = 110 / (1 − 0.15) × 0.15 = 19.41176…
		//   CT  = 0.7 × 19.41176… = 13.58823… → 13.59
		//   VAT = 0.7 × (110 + 19.41176…) × 0.13 = 0.7 × 16.82352… = 11.77647… → 11.78
		//   duty 0; total 25.37 (the combined rate 23.0588…% × 110 = 25.3647 → 25.36:
		//   rounding each tax separately gives one fen more here).
		{"cosmetics retail", cosmetics(TaxRetail, "5"), 0, 1359, 1178, []Money{1000}, true},
		// Full tax (single-item exception), same line, duty 5%:
		//   Duty = 110 × 0.05 = 5.50
		//   CT   = (110 + 5.50) / 0.85 × 0.15 = 20.38235… → 20.38
		//   VAT  = (115.50 + 20.38235…) × 0.13 = 17.66470… → 17.66
		{"cosmetics full", cosmetics(TaxFull, "5"), 550, 2038, 1766, []Money{1000}, true},
		// Below the threshold: 100.00 for 50 ml is 2.00/ml < 10.00, no CT:
		//   VAT = 0.7 × 110 × 0.13 = 10.01
		{"cosmetics below threshold", cosmetics(TaxRetail, "50"), 0, 0, 1001, []Money{1000}, false},
		// At the threshold exactly: 100.00 for 10 ml is 10.00/ml: CT applies.
		{"cosmetics at threshold", cosmetics(TaxRetail, "10"), 0, 1359, 1178, []Money{1000}, true},
		// Allocation: lines 100.00 and 200.00, freight 10.00 + insurance 0.01 = 10.01:
		//   share 1 = floor(10.01 × 100 / 300) = floor(3.3366…) = 3.33
		//   share 2 = 10.01 − 3.33 = 6.68 (the remainder goes to the last line)
		//   VAT 1 = 0.7 × 103.33 × 0.13 = 9.40303 → 9.40
		//   VAT 2 = 0.7 × 206.68 × 0.13 = 18.80788 → 18.81; sum 28.21
		{"allocation", TaxInput{Mode: TaxRetail, Freight: Yuan(10), InsuredFee: 1, Lines: []TaxLine{
			{Gnum: 1, HS: "8541401000", TotalPrice: Yuan(100)}, {Gnum: 2, HS: "8541401000", TotalPrice: Yuan(200)},
		}}, 0, 0, 2821, []Money{333, 668}, false},
		// Half up: D = 0.50 at VAT 1%, full tax, no duty: 0.005 → 0.01.
		{"half up", TaxInput{Mode: TaxFull, Lines: []TaxLine{{Gnum: 1, HS: "9999999900", TotalPrice: 50}}}, 0, 0, 1, []Money{0}, false},
		// All lines free: the freight goes to the last line.
		{"zero prices", TaxInput{Mode: TaxRetail, Freight: Yuan(1), Lines: []TaxLine{
			{Gnum: 1, HS: "8541401000"}, {Gnum: 2, HS: "8541401000"},
		}}, 0, 0, 9, []Money{0, 100}, false}, // 0.7 × 1.00 × 0.13 = 0.091 → 0.09
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ComputeTax(tc.in, tt)
			if err != nil {
				t.Fatalf("ComputeTax error: %v", err)
			}
			if res.Duty != tc.duty || res.CT != tc.ct || res.VAT != tc.vat {
				t.Errorf("ComputeTax = duty %v CT %v VAT %v, want %v %v %v", res.Duty, res.CT, res.VAT, tc.duty, tc.ct, tc.vat)
			}
			if res.Total() != tc.duty+tc.ct+tc.vat {
				t.Errorf("Total() = %v", res.Total())
			}
			for i, l := range res.Lines {
				if l.Share != tc.shares[i] || l.Dutiable != tc.in.Lines[i].TotalPrice+tc.shares[i] {
					t.Errorf("line %d share %v dutiable %v, want share %v", l.Gnum, l.Share, l.Dutiable, tc.shares[i])
				}
			}
			if res.Lines[0].CTApplied != tc.ctApplied {
				t.Errorf("CTApplied = %v, want %v", res.Lines[0].CTApplied, tc.ctApplied)
			}
		})
	}
}

func TestComputeTaxRejects(t *testing.T) {
	tt := testTariff(t)
	line := TaxLine{Gnum: 1, HS: "8541401000", TotalPrice: Yuan(1)}
	tests := []struct {
		name string
		in   TaxInput
		code string
	}{
		{"no lines", TaxInput{}, tracegate.EINVALID},
		{"refused", TaxInput{Mode: TaxRefused, Lines: []TaxLine{line}}, tracegate.EINVALID},
		{"negative freight", TaxInput{Freight: -1, Lines: []TaxLine{line}}, tracegate.EINVALID},
		{"negative price", TaxInput{Lines: []TaxLine{{Gnum: 1, HS: "8541401000", TotalPrice: -1}}}, tracegate.EINVALID},
		{"no CT quantity", TaxInput{Lines: []TaxLine{{Gnum: 1, HS: "3304990010", TotalPrice: Yuan(1)}}}, tracegate.EINVALID},
		{"no rate", TaxInput{Lines: []TaxLine{{Gnum: 1, HS: "0101210010", TotalPrice: Yuan(1)}}}, tracegate.ENOTFOUND},
	}
	for _, tc := range tests {
		if _, err := ComputeTax(tc.in, tt); !tracegate.IsCode(err, tc.code) {
			t.Errorf("ComputeTax(%s) = %v, want %s", tc.name, err, tc.code)
		}
	}
}

// TestTaxBillRoundTrip taxes the official CEB621 sample's first inventory
// (lines 20.00 and 12.00, freight 500 + insuredFee 200 = 700.00 shared
// 437.50 / 262.50), produces a CEB816, marshals, parses and validates it.
//
//	line 1: D = 457.50, VAT = 0.7 × 457.50 × 0.13 = 41.6325 → 41.63
//	line 2: D = 274.50, VAT = 0.7 × 274.50 × 0.13 = 24.9795 → 24.98
func TestTaxBillRoundTrip(t *testing.T) {
	m, err := ParseMessage(bytes.NewReader(readSample(t, "CEB621")))
	if err != nil {
		t.Fatal(err)
	}
	inv := &m.(*CEB621Message).Inventories[0]
	in, err := TaxInputFromInventory(inv, TaxRetail)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ComputeTax(in, testTariff(t))
	if err != nil {
		t.Fatal(err)
	}
	bill, err := NewTaxBill(TaxBillHead{
		GUID:       "4cde1cfd-eded-46b1-946c-b8022e42fc94",
		ReturnTime: time.Date(2026, 11, 23, 7, 8, 9, 45e6, time.UTC),
		InvtNo:     "370020161000000001", TaxNo: "T370020161000000001",
		EbcCode: inv.Head.EbcCode, CustomsCode: inv.Head.CustomsCode,
	}, res)
	if err != nil {
		t.Fatal(err)
	}
	h, l := bill.Taxes[0].Head, bill.Taxes[0].Lines
	if h.ReturnTime != "20261123150809045" || h.ValueAddedTax != "66.61" || h.CustomsTax != "0.00" ||
		l[0].TaxPrice != "457.50" || l[0].ValueAddedTax != "41.63" || l[1].ValueAddedTax != "24.98" || h.GUID != strings.ToUpper(h.GUID) {
		t.Errorf("NewTaxBill head %+v lines %+v", h, l)
	}
	if err := Validate(bill, Version202205); err != nil {
		t.Errorf("Validate(tax bill) = %v", err)
	}
	out, err := Marshal(bill)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateXML(bytes.NewReader(out), Version2018); err != nil {
		t.Errorf("ValidateXML(tax bill) = %v", err)
	}
	back, err := ParseMessage(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, Message(bill)) {
		t.Errorf("CEB816 round trip: got %+v, want %+v", back, bill)
	}
	again, _ := Marshal(back)
	if !bytes.Equal(again, out) {
		t.Errorf("CEB816 second Marshal differs")
	}
	if _, err := NewTaxBill(TaxBillHead{}, &TaxResult{Mode: TaxRefused, Lines: res.Lines}); err == nil {
		t.Errorf("NewTaxBill(refused) = nil error")
	}
}
