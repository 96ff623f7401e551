package console

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("HashPassword() = %q, want an argon2id PHC string", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	tests := []struct {
		hash, pw string
		want     bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterx", false},
		{h, "", false},
		{strings.Replace(h, "argon2id", "argon2i", 1), "correct horse battery", false},
		{strings.Replace(h, "m=19456", "m=99999999", 1), "correct horse battery", false},
		{"$argon2id$v=19$m=19456,t=2,p=1$!!$!!", "x", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := verifyPassword(tt.hash, tt.pw); got != tt.want {
			t.Errorf("verifyPassword(%.40q, %q) = %v, want %v", tt.hash, tt.pw, got, tt.want)
		}
	}
	for _, pw := range []string{"short", strings.Repeat("x", MaxPasswordLen+1)} {
		if err := CheckPassword(pw); err == nil {
			t.Errorf("CheckPassword(%d chars) = nil, want an error", len(pw))
		}
	}
	if err := CheckPassword("十个字符的中文密码呀"); err != nil {
		t.Errorf("CheckPassword(10 CJK characters) = %v", err)
	}
}
