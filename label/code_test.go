package label

import (
	"errors"
	"strings"
	"testing"

	"tracegate"
)

// fixedCode is a code built from known bits, for stable vectors.
func fixedCode(t *testing.T) Code {
	t.Helper()
	b := []byte{0xff, 0xff, 0xff, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0x1e, 0x2d, 0x3c}
	return codeFromBytes(b)
}

func TestCodeForms(t *testing.T) {
	c := fixedCode(t)
	// Vector computed independently (a few lines of Python over GF(32)).
	if got, want := c.Compact(), "04HMASW9NF6YY07HWB9WD"; got != want {
		t.Fatalf("Compact() = %q, want %q", got, want)
	}
	s := c.String()
	if len(s) != GroupedLen || strings.Count(s, "-") != 5 {
		t.Fatalf("String() = %q, want 26 characters in groups of 4", s)
	}
	if got := strings.ReplaceAll(s, "-", ""); got != c.Compact() {
		t.Errorf("Compact() = %q, want %q", c.Compact(), got)
	}
	if strings.ContainsAny(s, "ILOU") {
		t.Errorf("String() = %q holds a letter Crockford base32 leaves out", s)
	}
	text, _ := c.MarshalText()
	var back Code
	if err := back.UnmarshalText(text); err != nil || back != c {
		t.Errorf("UnmarshalText(%q) = %v, %v; want %v", text, back, err, c)
	}
}

func TestParseCode(t *testing.T) {
	c := fixedCode(t)
	compact := c.Compact()
	lower := strings.ToLower(c.String())
	withO := strings.NewReplacer("0", "O", "1", "l").Replace(compact)
	spaced := compact[:4] + " " + compact[4:10] + "\t" + compact[10:]
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"grouped", c.String(), true},
		{"compact", compact, true},
		{"lower case", lower, true},
		{"O for 0 and l for 1", withO, true},
		{"spaces", spaced, true},
		{"empty", "", false},
		{"too short", compact[:20], false},
		{"too long", compact + "0", false},
		{"U is no symbol", "U" + compact[1:], false},
		{"punctuation", compact[:20] + "*", false},
		{"non-ASCII", "码" + compact[3:], false},
		{"huge", strings.Repeat("-", 1000) + compact, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCode(tc.in)
			if tc.ok {
				if err != nil || got != c {
					t.Fatalf("ParseCode(%q) = %v, %v; want %v", tc.in, got, err, c)
				}
				return
			}
			if !errors.Is(err, ErrNotGenuine) || tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
				t.Fatalf("ParseCode(%q) error = %v, want ErrNotGenuine", tc.in, err)
			}
			if err.Error() != "not a genuine code" {
				t.Errorf("error message %q says more than it should", err.Error())
			}
		})
	}
}

// TestCheckCatchesTypos proves the check symbol's promise exhaustively for
// a few codes: every single substitution and every transposition of two
// different symbols is refused.
func TestCheckCatchesTypos(t *testing.T) {
	codes := []Code{fixedCode(t), {}, {hi: hiMask, lo: 1<<64 - 1}}
	for range 5 {
		c, err := NewCode()
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	for _, c := range codes {
		s := []byte(c.Compact())
		for i := range s {
			orig := s[i]
			for _, r := range []byte(alphabet) {
				if r == orig {
					continue
				}
				s[i] = r
				if _, err := ParseCode(string(s)); err == nil {
					t.Fatalf("ParseCode(%q) accepted %q with position %d changed", s, c.Compact(), i)
				}
			}
			s[i] = orig
			for j := i + 1; j < len(s); j++ {
				if s[i] == s[j] {
					continue
				}
				s[i], s[j] = s[j], s[i]
				if _, err := ParseCode(string(s)); err == nil {
					t.Fatalf("ParseCode(%q) accepted %q with %d and %d swapped", s, c.Compact(), i, j)
				}
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestHashAndCommitment(t *testing.T) {
	a, b := fixedCode(t), Code{hi: 1}
	k1, k2 := []byte("secret one"), []byte("secret two")
	for _, tc := range []struct {
		name  string
		x, y  [32]byte
		equal bool
	}{
		{"same code same key", a.Hash(k1), a.Hash(k1), true},
		{"other key", a.Hash(k1), a.Hash(k2), false},
		{"other code", a.Hash(k1), b.Hash(k1), false},
		{"commitment is stable", a.Commitment(), a.Commitment(), true},
		{"commitment differs from hash", a.Commitment(), a.Hash(nil), false},
		{"commitments differ", a.Commitment(), b.Commitment(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if (tc.x == tc.y) != tc.equal {
				t.Errorf("%x == %x is %v, want %v", tc.x, tc.y, tc.x == tc.y, tc.equal)
			}
		})
	}
}

func TestGenerate(t *testing.T) {
	stop := errors.New("stop")
	for _, tc := range []struct {
		name    string
		n       int
		failAt  int // fn fails on this call; 0 never
		calls   int
		wantErr string // "" none, a tracegate code, or "stop"
	}{
		{"none", 0, 0, 0, ""},
		{"one", 1, 0, 1, ""},
		{"more than a chunk", 2*genChunk + 3, 0, 2*genChunk + 3, ""},
		{"negative", -1, 0, 0, tracegate.EINVALID},
		{"above MaxBatch", MaxBatch + 1, 0, 0, tracegate.EINVALID},
		{"fn error stops", 10, 4, 4, "stop"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[Code]bool{}
			calls := 0
			err := Generate(tc.n, func(c Code) error {
				calls++
				if c.IsZero() || seen[c] {
					t.Fatalf("Generate gave %v twice or a zero code", c)
				}
				seen[c] = true
				if calls == tc.failAt {
					return stop
				}
				return nil
			})
			switch {
			case tc.wantErr == "stop" && !errors.Is(err, stop),
				tc.wantErr == "" && err != nil,
				tc.wantErr != "" && tc.wantErr != "stop" && !tracegate.IsCode(err, tc.wantErr):
				t.Fatalf("Generate(%d) error = %v, want %q", tc.n, err, tc.wantErr)
			}
			if calls != tc.calls {
				t.Errorf("Generate(%d) called fn %d times, want %d", tc.n, calls, tc.calls)
			}
		})
	}
}

func TestCodesIterator(t *testing.T) {
	var err error
	n := 0
	for range Stop(Codes(10), &err) {
		if n++; n == 5 {
			break
		}
	}
	if n != 5 || err != nil {
		t.Errorf("breaking after 5 codes: got %d, %v", n, err)
	}
	n = 0
	for range Stop(Codes(-1), &err) {
		n++
	}
	if n != 0 || !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("Codes(-1): %d codes, error %v; want none and EINVALID", n, err)
	}
}
