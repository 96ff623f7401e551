package label

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"iter"
	"strings"

	"tracegate"
)

// Code is the unguessable identity of one label: 100 random bits. Its
// printed form is 20 Crockford base32 symbols and one check symbol, grouped
// by four: 7K3M-Q9XW-4HZP-R2BD-0TVG-E. The zero Code is not a code any
// generator returns (IsZero); Code is comparable and usable as a map key.
type Code struct {
	hi uint64 // the top 36 bits
	lo uint64 // the low 64 bits
}

const (
	// CodeBits is the entropy of a Code.
	CodeBits = 100
	// CompactLen is the length of Compact: 20 data symbols and the check.
	CompactLen = 21
	// GroupedLen is the length of String: CompactLen plus five hyphens.
	GroupedLen = 26

	alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // Crockford base32
	hiMask   = 1<<36 - 1
	gfPoly   = 0x25 // x^5 + x^2 + 1, primitive over GF(2)
)

// ErrNotGenuine is the one error ParseCode returns, whatever is wrong with
// its input (length, a symbol outside the alphabet, a failed check). It has
// code ENOTFOUND so that a mistyped code and a well-formed unknown code can
// be answered alike, and its message says nothing about what a valid code
// looks like.
var ErrNotGenuine = &tracegate.Error{Code: tracegate.ENOTFOUND, Message: "not a genuine code"}

// NewCode returns a fresh Code of 100 bits from crypto/rand. It fails only
// when the system's random source fails.
func NewCode() (Code, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Code{}, fmt.Errorf("label: random: %w", err)
	}
	return codeFromBytes(b[:]), nil
}

// CodeFromBytes returns the Code of the low 100 bits of b, for
// reproducible test and demo data: labels that are really issued come from
// NewCode or Generate, never from this. It never fails.
func CodeFromBytes(b [16]byte) Code { return codeFromBytes(b[:]) }

// codeFromBytes takes 100 bits from the 16 bytes b.
func codeFromBytes(b []byte) Code {
	return Code{hi: binary.BigEndian.Uint64(b[:8]) & hiMask, lo: binary.BigEndian.Uint64(b[8:16])}
}

// IsZero reports whether c is the zero Code, which holds no label.
func (c Code) IsZero() bool { return c.hi == 0 && c.lo == 0 }

// gfMulAlpha multiplies v by the generator alpha (x) of GF(32), without a
// branch: random codes would mispredict it half the time.
func gfMulAlpha(v byte) byte { return v<<1 ^ gfPoly&-(v>>4&1) }

// Compact returns the 21 upper-case symbols of c without hyphens, as they
// appear in the label URL.
func (c Code) Compact() string {
	var b [CompactLen]byte
	c.appendCompact(b[:0])
	return string(b[:])
}

// appendCompact appends the 20 data symbols (most significant first) and
// the check symbol. The data symbols s_i and the check are read as the
// polynomial sum of s_i·alpha^(20-i) over GF(32), and the check makes that
// sum zero. Because alpha has order 31 and a code has 21 positions, any
// single substituted symbol and any swap of two different symbols changes
// the sum, so the check catches both.
func (c Code) appendCompact(dst []byte) []byte {
	var s [20]byte
	hi, lo := c.hi, c.lo
	for i := 19; i >= 0; i-- {
		s[i] = byte(lo & 31)
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	var h byte
	for _, v := range s {
		h = gfMulAlpha(h) ^ v
		dst = append(dst, alphabet[v])
	}
	return append(dst, alphabet[gfMulAlpha(h)])
}

// String returns c grouped by four for people: XXXX-XXXX-XXXX-XXXX-XXXX-C,
// the last group being the check symbol.
func (c Code) String() string {
	var b [GroupedLen]byte
	return string(c.appendGrouped(b[:0]))
}

func (c Code) appendGrouped(dst []byte) []byte {
	var cb [CompactLen]byte
	compact := c.appendCompact(cb[:0])
	for i, s := range compact {
		if i > 0 && i%4 == 0 {
			dst = append(dst, '-')
		}
		dst = append(dst, s)
	}
	return dst
}

// MarshalText writes the grouped form; it never fails.
func (c Code) MarshalText() ([]byte, error) { return c.appendGrouped(nil), nil }

// UnmarshalText reads any form ParseCode accepts; it fails with ErrNotGenuine.
func (c *Code) UnmarshalText(b []byte) error {
	v, err := ParseCode(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// decodeSymbol maps one typed character to its symbol value, reading it as
// people mistype it: lower case as upper case, I and L as 1, O as 0. It
// reports false for anything else (U included).
func decodeSymbol(r byte) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return r - '0', true
	case r >= 'a' && r <= 'z':
		r -= 'a' - 'A'
	}
	switch r {
	case 'I', 'L':
		return 1, true
	case 'O':
		return 0, true
	}
	if i := strings.IndexByte(alphabet[10:], r); i >= 0 {
		return byte(10 + i), true
	}
	return 0, false
}

// ParseCode reads a code as a person typed or a scanner read it: case is
// ignored, spaces and hyphens anywhere are dropped, I and L read as 1 and O
// as 0. It checks the length and the check symbol before anything is looked
// up. Whatever is wrong, it fails with ErrNotGenuine.
func ParseCode(s string) (Code, error) {
	if len(s) > 4*GroupedLen { // bound the work done on hostile input
		return Code{}, ErrNotGenuine
	}
	var (
		c     Code
		h     byte
		n     int
		check byte
	)
	for i := 0; i < len(s); i++ {
		r := s[i]
		if r == '-' || r == ' ' || r == '\t' {
			continue
		}
		v, ok := decodeSymbol(r)
		if !ok || n == CompactLen {
			return Code{}, ErrNotGenuine
		}
		if n < 20 {
			c.hi = (c.hi<<5 | c.lo>>59) & hiMask
			c.lo = c.lo<<5 | uint64(v)
			h = gfMulAlpha(h) ^ v
		} else {
			check = v
		}
		n++
	}
	if n != CompactLen || gfMulAlpha(h) != check {
		return Code{}, ErrNotGenuine
	}
	return c, nil
}

// Hash returns HMAC-SHA256(secret, domain ‖ Compact) for the store: the
// store keeps this hash (and an index on it), never the code, so a copy of
// the database cannot be turned back into printable codes without the
// secret. A scan parses the code and looks up its Hash. secret is the
// deployment's label key (at least 32 random bytes); changing it orphans
// every stored hash. Hash never fails.
func (c Code) Hash(secret []byte) [32]byte {
	m := hmac.New(sha256.New, secret)
	var b [64]byte
	m.Write(c.appendCompact(append(b[:0], "tracegate label hash v1\x00"...)))
	var out [32]byte
	m.Sum(out[:0])
	return out
}

// Commitment returns SHA-256(domain ‖ Compact), the public commitment to c
// that an issuance writes to the ledger in place of the code. Since a code
// has 100 random bits the commitment cannot be inverted or enumerated, yet
// whoever holds the label can recompute it and check its inclusion. It never
// fails.
func (c Code) Commitment() [32]byte {
	var b [64]byte
	return sha256.Sum256(c.appendCompact(append(b[:0], "tracegate label commitment v1\x00"...)))
}

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
