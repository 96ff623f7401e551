package demo

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestShelfLife gives each category of goods the shelf lives such goods
// carry, varying between batches, never the same two years for all.
func TestShelfLife(t *testing.T) {
	made := time.Date(2026, 10, 21, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		what, hs string
		lo, hi   int // months
	}{
		{"infant formula", "1901101000", 18, 24},
		{"cosmetics", "3304990099", 30, 36},
		{"health supplements", "2106909090", 24, 36},
		{"honey", "0409000000", 24, 36},
		{"diapers", "9619001100", 36, 36},
	}
	for _, tt := range tests {
		lives := map[int]bool{}
		for b := range 40 {
			lot := fmt.Sprintf("LNZ26%02d", b)
			m := shelfLifeMonths(tt.hs, lot)
			if m < tt.lo || m > tt.hi {
				t.Errorf("%s, lot %s: shelf life %d months, want %d to %d", tt.what, lot, m, tt.lo, tt.hi)
			}
			if m != shelfLifeMonths(tt.hs, lot) {
				t.Errorf("%s, lot %s: the shelf life changes between calls", tt.what, lot)
			}
			want := made.AddDate(0, m, -1)
			if got := expiryOf(tt.hs, lot, made); !got.Equal(want) {
				t.Errorf("expiryOf(%s, %s, %v) = %v, want %v", tt.hs, lot, made, got, want)
			}
			lives[m] = true
		}
		if tt.lo != tt.hi && len(lives) < 2 {
			t.Errorf("%s: every batch has the same shelf life %v", tt.what, lives)
		}
	}
}

// TestDemoLabelledShelfLives checks the labelled demo batches: their
// best-before dates are not all production date + 2 years.
func TestDemoLabelledShelfLives(t *testing.T) {
	var lives []int
	for li, lp := range labelledProducts {
		src := products[lp.product]
		lot := fmt.Sprintf("L%s26%02d", src.origin, 9+li)
		lives = append(lives, shelfLifeMonths(src.hs, lot))
	}
	slices.Sort(lives)
	if len(slices.Compact(lives)) < 2 {
		t.Errorf("the labelled demo batches all keep %d months", lives[0])
	}
}
