package tracegate

import "testing"

func TestValidateUSCC(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"91350100M000100Y43", "91350100M000100Y43", false}, // the standard's worked example
		{"91350100m000100y43", "91350100M000100Y43", false}, // lower case accepted, normalised
		{"91350100M000100Y44", "", true},                    // wrong check character
		{"91350100M000100Y4", "", true},                     // 17 characters
		{"91350100M0001O0Y43", "", true},                    // O is not in the alphabet
		{"913501A0M000100Y43", "", true},                    // division code not digits
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidateUSCC(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("ValidateUSCC(%q) = %q, %v; want %q, err=%v", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Fatalf("ValidateUSCC(%q) error code = %q, want %q", tt.in, ErrorCode(err), EINVALID)
			}
		})
	}
}

func TestUSCCCheckChar(t *testing.T) {
	c, err := USCCCheckChar("91350100M000100Y4")
	if err != nil || c != '3' {
		t.Fatalf("USCCCheckChar = %q, %v; want '3'", c, err)
	}
	if _, err := USCCCheckChar("short"); err == nil {
		t.Fatal("USCCCheckChar(short) succeeded")
	}
}

func TestAPIKeySecret(t *testing.T) {
	a, ha, err := NewAPIKeySecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewAPIKeySecret()
	if a == b {
		t.Fatal("two keys are equal")
	}
	if !LooksLikeAPIKey(a) {
		t.Fatalf("LooksLikeAPIKey(%q) = false", a)
	}
	if string(HashAPIKey(a)) != string(ha) {
		t.Fatal("HashAPIKey disagrees with NewAPIKeySecret")
	}
	for _, bad := range []string{"", "tgk_", a + "a", "xxx" + a[3:], a[:len(a)-1] + "1"} {
		if LooksLikeAPIKey(bad) {
			t.Errorf("LooksLikeAPIKey(%q) = true", bad)
		}
	}
}

func TestParseRoles(t *testing.T) {
	r, err := ParseRoles("platform, Regulator")
	if err != nil || len(r) != 2 || r[1] != RoleRegulator {
		t.Fatalf("ParseRoles = %v, %v", r, err)
	}
	for _, bad := range []string{"", "platform,platform", "king"} {
		if _, err := ParseRoles(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRoles(%q) err = %v, want invalid", bad, err)
		}
	}
}
