package label

import (
	"errors"
	"testing"

	"tracegate"
)

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
