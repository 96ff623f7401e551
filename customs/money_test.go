package customs

import (
	"math/big"
	"testing"

	"tracegate"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in      string
		want    Money
		wantErr bool
	}{
		{"123.45", 12345, false},
		{"500", 50000, false},
		{"0", 0, false},
		{"0.5", 50, false},
		{".05", 5, false},
		{"7.", 700, false},
		{"+1.00", 100, false},
		{"-0.05", -5, false},
		{" 19050 ", 1905000, false},
		{"1.23000", 123, false}, // 5 fraction digits as the XSD allows, whole fen
		{"1.234", 0, true},      // fraction of a fen: refused, not rounded
		{"0.00001", 0, true},
		{"", 0, true},
		{".", 0, true},
		{"1,00", 0, true},
		{"1e3", 0, true},
		{"NaN", 0, true},
		{"¥5", 0, true},
		{"12345678901234", 0, true}, // 10^13 yuan or more
	}
	for _, tc := range tests {
		got, err := ParseMoney(tc.in)
		if tc.wantErr {
			if !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("ParseMoney(%q) = %v, %v, want EINVALID", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseMoney(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{{12345, "123.45"}, {0, "0.00"}, {5, "0.05"}, {-5, "-0.05"}, {Yuan(5000), "5000.00"}, {-12345, "-123.45"}}
	for _, tc := range tests {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(tc.m), got, tc.want)
		}
	}
}

func TestRoundHalfUp(t *testing.T) {
	tests := []struct {
		num, den int64 // yuan
		want     Money
	}{
		{5, 1000, 1},            // 0.005 → 0.01
		{49, 10000, 0},          // 0.0049 → 0.00
		{-5, 1000, -1},          // -0.005 → -0.01 (half away from zero)
		{1115, 1000, 112},       // 1.115 → 1.12 (exact, no binary float error)
		{1, 3, 33},              // 0.333… → 0.33
		{2, 3, 67},              // 0.666… → 0.67
		{1176470, 100000, 1176}, // 11.7647 → 11.76
	}
	for _, tc := range tests {
		if got := roundHalfUp(big.NewRat(tc.num, tc.den)); got != tc.want {
			t.Errorf("roundHalfUp(%d/%d) = %v, want %v", tc.num, tc.den, got, tc.want)
		}
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    Rate
		str     string
		wantErr bool
	}{
		{"13%", 130000, "13%", false},
		{"0.13", 130000, "13%", false},
		{"7.5%", 75000, "7.5%", false},
		{"0", 0, "0%", false},
		{"100%", 1000000, "100%", false},
		{"0.0000001", 0, "", true},
		{"-1%", 0, "", true},
		{"abc", 0, "", true},
		{"13 percent", 0, "", true},
	}
	for _, tc := range tests {
		got, err := ParseRate(tc.in)
		if tc.wantErr {
			if !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("ParseRate(%q) = %v, %v, want EINVALID", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want || got.String() != tc.str {
			t.Errorf("ParseRate(%q) = %v (%s), %v, want %v (%s)", tc.in, int64(got), got, err, int64(tc.want), tc.str)
		}
	}
}
