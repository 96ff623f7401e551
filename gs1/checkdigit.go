package gs1

import "strings"

// CheckDigit returns the GS1 mod-10 check digit ('0'..'9') for payload, the
// digits of a key without its check digit (GTIN, GLN, SSCC, GRAI, GSRN,
// GDTI, GSIN, GCN, ITIP: the algorithm is the same for all). It fails with
// rule "syntax" for an empty payload and "charset" for a non-digit.
func CheckDigit(payload string) (byte, error) {
	if payload == "" {
		return 0, errf("", RuleSyntax, "empty payload has no check digit")
	}
	for i := 0; i < len(payload); i++ {
		if payload[i] < '0' || payload[i] > '9' {
			return 0, errf("", RuleCharset, "character %q at position %d is not a digit", payload[i], i+1)
		}
	}
	return checkDigit(payload), nil
}

// checkDigit computes the mod-10 check digit of an all-digit payload: from
// the right, weights 3, 1, 3, 1, ...
func checkDigit(payload string) byte {
	sum := 0
	w := 3
	for i := len(payload) - 1; i >= 0; i-- {
		sum += w * int(payload[i]-'0')
		w = 4 - w
	}
	return byte('0' + (10-sum%10)%10)
}

// VerifyCheckDigit reports whether the last digit of s is the GS1 mod-10
// check digit of the digits before it. It fails with rule "length" when s
// has fewer than two characters, "charset" for a non-digit and
// "check-digit" when the digit is wrong.
func VerifyCheckDigit(s string) error {
	return verifyCheckDigit("", s)
}

func verifyCheckDigit(ai, s string) error {
	if len(s) < 2 {
		return errf(ai, RuleLength, "%q is too short to carry a check digit", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return errf(ai, RuleCharset, "character %q at position %d is not a digit", s[i], i+1)
		}
	}
	if want := checkDigit(s[:len(s)-1]); s[len(s)-1] != want {
		return errf(ai, RuleCheckDigit, "check digit of %s is %c, want %c", s, s[len(s)-1], want)
	}
	return nil
}

// NormalizeGTIN checks a GTIN-8, GTIN-12, GTIN-13 or GTIN-14 and returns it
// as 14 digits, padded on the left with zeros. It fails with rule "length"
// for any other length, "charset" for a non-digit and "check-digit" for a
// wrong check digit.
func NormalizeGTIN(s string) (string, error) {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return "", errf("01", RuleLength, "GTIN %q has %d digits, want 8, 12, 13 or 14", s, len(s))
	}
	if err := verifyCheckDigit("01", s); err != nil {
		return "", err
	}
	if len(s) == 14 {
		return s, nil
	}
	return strings.Repeat("0", 14-len(s)) + s, nil
}

// Key is a checked GS1 identification key: the AI that carries it, its key
// type ("GTIN", "GLN", "SSCC", ...) and its value in normal form (a GTIN
// always has 14 digits).
type Key struct {
	AI    string `json:"ai"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// keyTypes names the key type carried by each key AI.
var keyTypes = map[string]string{
	"00": "SSCC", "01": "GTIN", "02": "GTIN", "03": "GTIN",
	"253": "GDTI", "255": "GCN", "401": "GINC", "402": "GSIN",
	"410": "GLN", "411": "GLN", "412": "GLN", "413": "GLN", "414": "GLN",
	"415": "GLN", "416": "GLN", "417": "GLN",
	"8003": "GRAI", "8004": "GIAI", "8006": "ITIP", "8010": "CPID",
	"8013": "GMN", "8017": "GSRN", "8018": "GSRN", "8026": "ITIP",
}

// KeyType returns the key type ("GTIN", "GLN", "SSCC", ...) carried by ai,
// or "" when ai does not carry an identification key. It never fails.
func KeyType(ai string) string { return keyTypes[ai] }

// CheckKey checks an identification key written as a one-AI element string,
// "(01)09506000134352", "(414)9520123456788", "(8004)0614141ABC", or as bare
// digits, which are taken as a GTIN-8/12/13/14. The value is checked against
// the syntax dictionary: length, character set and check digit (or check
// character pair for GMN). GIAI and GINC have no check digit. It fails with
// the *Error of the first rule broken, or rule "not-primary-key" when the AI
// does not carry a key.
func CheckKey(s string) (Key, error) {
	if s != "" && s[0] != '(' {
		v, err := NormalizeGTIN(s)
		if err != nil {
			return Key{}, err
		}
		return Key{AI: "01", Type: "GTIN", Value: v}, nil
	}
	end := strings.IndexByte(s, ')')
	if len(s) < 2 || end < 0 {
		return Key{}, errf("", RuleSyntax, "key %q is neither digits nor (AI)value", s)
	}
	return CheckKeyAI(s[1:end], s[end+1:])
}

// CheckKeyAI checks value as the identification key carried by ai, as
// CheckKey does. A GTIN-8/12/13 under AI 01, 02 or 03 is accepted and
// normalised to 14 digits.
func CheckKeyAI(ai, value string) (Key, error) {
	typ := keyTypes[ai]
	if typ == "" {
		if lookupAI(ai) == nil {
			return Key{}, errf(ai, RuleUnknownAI, "unknown AI")
		}
		return Key{}, errf(ai, RuleNotPrimaryKey, "AI does not carry an identification key")
	}
	if typ == "GTIN" && len(value) != 14 {
		v, err := NormalizeGTIN(value)
		if err != nil {
			return Key{}, err
		}
		value = v
	}
	if err := ValidateAI(ai, value); err != nil {
		return Key{}, err
	}
	return Key{AI: ai, Type: typ, Value: value}, nil
}
