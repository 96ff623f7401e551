package customs

import (
	"strings"
	"testing"
)

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"110101199003071234", "110*************34"},
		{" 11010119900307123X ", "110*************3X"},
		{"E12345678", "E12****78"},
		{"123456", "123*56"},
		{"12345", "*****"},
		{"", ""},
		{"护照号码甲乙丙", "护照号**乙丙"},
	}
	for _, tc := range tests {
		if got := MaskID(tc.in); got != tc.want {
			t.Errorf("MaskID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBuyerKey(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	k := BuyerKey(secret, "1", "11010119900307123x")
	if len(k) != 64 || strings.Trim(k, "0123456789abcdef") != "" {
		t.Fatalf("BuyerKey = %q, want 64 lower-case hex digits", k)
	}
	if k2 := BuyerKey(secret, "1", " 11010119900307123X"); k2 != k {
		t.Errorf("BuyerKey is not normalised: %s vs %s", k2, k)
	}
	if BuyerKey(secret, "2", "11010119900307123X") == k {
		t.Error("BuyerKey ignores the ID type")
	}
	if BuyerKey([]byte("another secret of thirty-two by"), "1", "11010119900307123X") == k {
		t.Error("BuyerKey ignores the secret")
	}
	if strings.Contains(k, "110101") {
		t.Errorf("BuyerKey %s shows the number", k)
	}
	defer func() {
		if recover() == nil {
			t.Error("BuyerKey with an empty secret did not panic")
		}
	}()
	BuyerKey(nil, "1", "110101199003071234")
}

func TestPayerMismatchMasksIDs(t *testing.T) {
	d := matchingDocs()
	d.Payment.PayerIDNumber = "130625021345225322"
	for _, f := range CheckThreeDocs(d) {
		for _, p := range f.Problems {
			if strings.Contains(p, "130625021345225322") || strings.Contains(p, "130681136250023332") {
				t.Errorf("%s problem shows a raw ID: %s", f.Rule, p)
			}
		}
	}
}
