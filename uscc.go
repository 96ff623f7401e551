package tracegate

import "strings"

// usccAlphabet is the 31-character set of GB 32100-2015: digits and capital
// letters without I, O, Z, S and V. A character's value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of the first 17 characters (3^i mod 31).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidateUSCC checks a unified social credit code (统一社会信用代码) per
// GB 32100-2015: 18 characters from the standard's alphabet, a registration
// authority code and an organisation-type code, a 6-digit administrative
// division code, and the check character. It returns the code upper-cased,
// or an EINVALID error pointing at "/uscc" that says which rule failed.
func ValidateUSCC(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) != 18 {
		return "", Invalidf("/uscc", "unified social credit code %q has %d characters, want 18", code, len([]rune(c)))
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(usccAlphabet, c[i])
		if v < 0 {
			return "", Invalidf("/uscc", "unified social credit code %q: character %d (%q) is not allowed by GB 32100 (digits and capitals except I, O, Z, S, V)", code, i+1, c[i])
		}
		if i >= 2 && i < 8 && v > 9 {
			return "", Invalidf("/uscc", "unified social credit code %q: characters 3-8 are the administrative division code and must be digits", code)
		}
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	want := usccAlphabet[(31-sum%31)%31]
	if c[17] != want {
		return "", Invalidf("/uscc", "unified social credit code %q: check character is %q, want %q", code, c[17], want)
	}
	return c, nil
}

// USCCCheckChar returns the check character for the first 17 characters of a
// unified social credit code. It fails with EINVALID when body is not 17
// characters of the GB 32100 alphabet. Demo data and tests use it to make
// valid codes.
func USCCCheckChar(body string) (byte, error) {
	if len(body) != 17 {
		return 0, Invalidf("/uscc", "want the first 17 characters, got %d", len(body))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, body[i])
		if v < 0 {
			return 0, Invalidf("/uscc", "character %d (%q) is not allowed by GB 32100", i+1, body[i])
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], nil
}
