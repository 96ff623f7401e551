package customs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// The buyer's ID number (buyerIdNumber, payerIdNumber) is personal data.
// The annual quota is counted per BuyerKey, a keyed hash, so that the store
// never needs the number itself; everywhere else (findings, decisions,
// receipts, logs) the number appears only as MaskID shows it.

// BuyerKey returns the hex HMAC-SHA256 under secret of the buyer's ID type
// and number, the key under which the buyer's quota uses are kept. The
// number is normalised first (surrounding spaces removed, letters upper
// case: a final "x" of an ID card is "X"), so the same person always gets
// the same key. ID numbers are few enough to enumerate: secret must be a
// random value of at least 32 bytes kept out of the database; BuyerKey
// panics when secret is empty, which is a wiring mistake, never bad input.
func BuyerKey(secret []byte, idType, idNumber string) string {
	if len(secret) == 0 {
		panic("customs: BuyerKey with an empty secret")
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strings.TrimSpace(idType)))
	m.Write([]byte{0})
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(idNumber))))
	return hex.EncodeToString(m.Sum(nil))
}

// MaskID returns id with all but its first 3 and last 2 characters replaced
// by "*": "110101199003071234" → "110*************34". An id of 5
// characters or fewer is masked entirely, so that nothing short leaks; ""
// stays "". It never fails and counts characters, not bytes.
func MaskID(id string) string {
	id = strings.TrimSpace(id)
	n := utf8.RuneCountInString(id)
	if n <= 5 {
		return strings.Repeat("*", n)
	}
	r := []rune(id)
	return string(r[:3]) + strings.Repeat("*", n-5) + string(r[n-2:])
}
