package label

import "testing"

// FuzzParseCode feeds the label code reader what people type and scanners
// read: nothing panics, a code that parses prints in both forms that parse
// back to the same code, and a one-symbol change of a valid code is caught
// (the check symbol).
func FuzzParseCode(f *testing.F) {
	c := Code{hi: 0x123, lo: 0x456789abcdef}
	f.Add(c.String())
	f.Add(c.Compact())
	f.Add("crnq q3nj-18mp-rs1a shcp s")
	f.Add("OIL0-0000-0000-0000-0000-0")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		for _, form := range []string{c.String(), c.Compact()} {
			again, err := ParseCode(form)
			if err != nil || again != c {
				t.Fatalf("ParseCode(%q) = %v; its form %q parses to %v, %v", s, c, form, again, err)
			}
		}
		compact := []byte(c.Compact())
		for i := range compact {
			mutated := append([]byte(nil), compact...)
			mutated[i] = map[bool]byte{true: 'X', false: '2'}[mutated[i] != 'X']
			if other, err := ParseCode(string(mutated)); err == nil && other != c && i < len(compact)-1 {
				// A changed payload symbol with the same check symbol must fail.
				t.Fatalf("ParseCode(%q) accepted a one-symbol change of %q", mutated, compact)
			}
		}
	})
}
