package label

import (
	"crypto/rand"
	"fmt"
	"iter"

	"tracegate"
)

// MaxBatch is the largest number of codes one request may ask for.
const MaxBatch = 1_000_000

// genChunk is how many codes Generate draws randomness for at a time.
const genChunk = 4096

// Generate calls fn with n fresh codes, drawing their bits from crypto/rand
// in large reads, so that a million codes take well under a second. It stops
// at the first error fn returns and returns it. It fails with EINVALID when
// n is negative or above MaxBatch, and with the random source's error.
//
// The codes are not checked against each other or against codes issued
// before: with 100 random bits the chance of any repeat among 10^12 codes is
// below 10^-6, and the store's unique index on Hash is the final guard.
func Generate(n int, fn func(Code) error) error {
	if n < 0 || n > MaxBatch {
		return tracegate.Invalidf("/count", "count must be between 0 and %d, not %d", MaxBatch, n)
	}
	buf := make([]byte, 16*min(n, genChunk))
	for n > 0 {
		k := min(n, genChunk)
		b := buf[:16*k]
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("label: random: %w", err)
		}
		for i := range k {
			c := codeFromBytes(b[16*i : 16*i+16])
			if c.IsZero() {
				// 2^-100: draw again rather than issue the zero Code.
				var err error
				if c, err = NewCode(); err != nil {
					return err
				}
			}
			if err := fn(c); err != nil {
				return err
			}
		}
		n -= k
	}
	return nil
}

// Codes returns Generate as an iterator of (code, error) pairs; an error
// ends the sequence. Breaking out of the loop stops generation. It is
// convenient with WriteCSV:
//
//	var genErr error
//	err := label.WriteCSV(w, label.Stop(label.Codes(n), &genErr), base)
func Codes(n int) iter.Seq2[Code, error] {
	return func(yield func(Code, error) bool) {
		stop := fmt.Errorf("stop")
		err := Generate(n, func(c Code) error {
			if !yield(c, nil) {
				return stop
			}
			return nil
		})
		if err != nil && err != stop {
			yield(Code{}, err)
		}
	}
}

// Stop turns a sequence of (code, error) pairs into a sequence of codes that
// ends at the first error, which it stores in *err. It never fails itself.
func Stop(seq iter.Seq2[Code, error], err *error) iter.Seq[Code] {
	return func(yield func(Code) bool) {
		for c, e := range seq {
			if e != nil {
				*err = e
				return
			}
			if !yield(c) {
				return
			}
		}
	}
}
