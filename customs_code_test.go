package tracegate

import "testing"

func TestValidateCustomsCode(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"4401960001", "4401960001", true},
		{" 3120W6000A ", "3120W6000A", true},
		{"440196000", "", false},   // 9 characters
		{"44019600011", "", false}, // 11
		{"4401w60001", "", false},  // lower case is not upper-cased
		{"A401960001", "", false},  // the region is digits
		{"4401-60001", "", false},
		{"44019６0001", "", false}, // a full-width digit
		{"", "", false},
	} {
		got, err := ValidateCustomsCode(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ValidateCustomsCode(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !IsCode(err, EINVALID) {
			t.Errorf("ValidateCustomsCode(%q) error %v is not EINVALID", tc.in, err)
		}
	}
}
