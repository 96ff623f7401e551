package customs

import (
	"testing"
	"time"
)

func TestLimitsCheck(t *testing.T) {
	tests := []struct {
		name         string
		tx           Transaction
		mode         TaxMode
		single, year bool
		note         bool
	}{
		{"within both", Transaction{Value: Yuan(4000)}, TaxRetail, true, true, false},
		{"exactly 5000", Transaction{Value: Yuan(5000), UsedThisYear: Yuan(21000)}, TaxRetail, true, true, false},
		{"over single, several items", Transaction{Value: Yuan(5000) + 1}, TaxRefused, false, true, false},
		{"over single, single item", Transaction{Value: Yuan(6000), SingleItem: true, UsedThisYear: Yuan(10000)}, TaxFull, true, true, true},
		{"single item over annual", Transaction{Value: Yuan(6000), SingleItem: true, UsedThisYear: Yuan(21000)}, TaxRefused, true, false, true},
		{"annual exactly reached", Transaction{Value: Yuan(3000), UsedThisYear: Yuan(23000)}, TaxRetail, true, true, false},
		{"annual exceeded by a fen", Transaction{Value: Yuan(3000), UsedThisYear: Yuan(23000) + 1}, TaxRefused, true, false, false},
		{"both exceeded", Transaction{Value: Yuan(27000)}, TaxRefused, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mode, fs := DefaultLimits.Check(tc.tx)
			if mode != tc.mode {
				t.Errorf("Check(%+v) mode = %v, want %v", tc.tx, mode, tc.mode)
			}
			if len(fs) != 2 || fs[0].Rule != RuleLimitSingle || fs[1].Rule != RuleLimitAnnual {
				t.Fatalf("Check findings = %+v, want limit.single, limit.annual", fs)
			}
			if fs[0].Passed != tc.single || fs[1].Passed != tc.year {
				t.Errorf("Check(%+v) single %v annual %v, want %v %v (%+v)", tc.tx, fs[0].Passed, fs[1].Passed, tc.single, tc.year, fs)
			}
			if (fs[0].Note != "") != tc.note {
				t.Errorf("single-item note = %q, want present %v", fs[0].Note, tc.note)
			}
		})
	}
}

func TestUsedInYear(t *testing.T) {
	uses := []QuotaUse{
		{time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC), Yuan(100)}, // 23:59:59 in Beijing: 2025
		{time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), Yuan(200)},   // 00:00 on 1 January in Beijing: 2026
		{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Yuan(300)},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Yuan(400)},
	}
	for _, tc := range []struct {
		year int
		want Money
	}{{2025, Yuan(100)}, {2026, Yuan(500)}, {2027, Yuan(400)}, {2024, 0}} {
		if got := UsedInYear(uses, tc.year); got != tc.want {
			t.Errorf("UsedInYear(%d) = %v, want %v", tc.year, got, tc.want)
		}
	}
}

func TestDutiableValueAndSingleItem(t *testing.T) {
	inv := &Inventory{Head: InventoryHead{Freight: "10", InsuredFee: "0.50"},
		Lines: []InventoryList{{Gnum: "1", Gcode: "3304990010", Qty: "1", TotalPrice: "5990.00"}}}
	v, err := DutiableValue(inv)
	if err != nil || v != 600050 {
		t.Errorf("DutiableValue = %v, %v, want 6000.50", v, err)
	}
	if !IsSingleItem(inv) {
		t.Errorf("IsSingleItem(one line, qty 1) = false")
	}
	mode, _ := DefaultLimits.Check(Transaction{Value: v, SingleItem: IsSingleItem(inv), UsedThisYear: Yuan(1000)})
	if mode != TaxFull {
		t.Errorf("6000.50 single item: mode %v, want full", mode)
	}
	inv.Lines[0].Qty = "2"
	if IsSingleItem(inv) {
		t.Errorf("IsSingleItem(qty 2) = true")
	}
	inv.Lines[0].TotalPrice = "1.234"
	if _, err := DutiableValue(inv); err == nil {
		t.Errorf("DutiableValue(1.234) = nil error, want EINVALID")
	}
}
