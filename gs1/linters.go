package gs1

// A linter checks the content of one component of an AI value, after its
// length and character set were checked. It returns the rule broken and a
// message, or "" when the component is good. The names are those of the GS1
// Barcode Syntax Tests that the syntax dictionary refers to.
type linter func(v string) (rule, msg string)

// linters maps the dictionary's linter names to their checks. Linters the
// dictionary names but this map lacks are not applied; they are listed by
// UnimplementedLinters.
var linters = map[string]linter{
	"csum":           lintCsum,
	"csumalpha":      lintCsumAlpha,
	"yymmdd":         func(v string) (string, string) { return lintDate(v, false, false) },
	"yymmd0":         func(v string) (string, string) { return lintDate(v, false, true) },
	"yyyymmdd":       func(v string) (string, string) { return lintDate(v, true, false) },
	"yyyymmd0":       func(v string) (string, string) { return lintDate(v, true, true) },
	"hh":             func(v string) (string, string) { return lintRange(v, 0, 23, RuleDate, "hour") },
	"mi":             func(v string) (string, string) { return lintRange(v, 0, 59, RuleDate, "minute") },
	"ss":             func(v string) (string, string) { return lintRange(v, 0, 59, RuleDate, "second") },
	"hhmi":           lintHHMI,
	"zero":           func(v string) (string, string) { return lintOneOf(v, "0", "zero") },
	"yesno":          func(v string) (string, string) { return lintOneOf(v, "01", "yes/no flag") },
	"winding":        func(v string) (string, string) { return lintOneOf(v, "019", "winding direction") },
	"iso5218":        func(v string) (string, string) { return lintOneOf(v, "0129", "ISO/IEC 5218 sex code") },
	"hyphen":         func(v string) (string, string) { return lintOneOf(v, "-", "hyphen") },
	"nonzero":        lintNonZero,
	"nozeroprefix":   lintNoZeroPrefix,
	"hasnondigit":    lintHasNonDigit,
	"pieceoftotal":   lintPieceOfTotal,
	"latitude":       func(v string) (string, string) { return lintMax(v, 1800000000, "latitude") },
	"longitude":      func(v string) (string, string) { return lintMax(v, 3600000000, "longitude") },
	"pcenc":          lintPcenc,
	"iban":           lintIBAN,
	"posinseqslash":  lintPosInSeqSlash,
	"importeridx":    lintImporterIdx,
	"gcppos1":        func(v string) (string, string) { return lintGCPPos(v, 0) },
	"gcppos2":        func(v string) (string, string) { return lintGCPPos(v, 1) },
	"iso3166":        lintISO3166,
	"iso3166999":     lintISO3166999,
	"iso3166alpha2":  lintISO3166Alpha2,
	"iso4217":        lintISO4217,
	"mediatype":      lintMediaType,
	"couponposoffer": lintCouponPosOffer,
}

// gcpMinLength is the length of the shortest GS1 Company Prefix.
const gcpMinLength = 4

// lintGCPPos checks that a company prefix can start at offset: at least
// gcpMinLength digits there. Without a registry of allocated prefixes
// nothing more can be checked offline.
func lintGCPPos(v string, offset int) (string, string) {
	if len(v) < offset+gcpMinLength {
		return RuleCompanyPrefix, "too short to hold a GS1 company prefix"
	}
	for i := offset; i < offset+gcpMinLength; i++ {
		if v[i] < '0' || v[i] > '9' {
			return RuleCompanyPrefix, "a GS1 company prefix starts with at least four digits"
		}
	}
	return "", ""
}

func lintCsum(v string) (string, string) {
	if want := checkDigit(v[:len(v)-1]); v[len(v)-1] != want {
		return RuleCheckDigit, "check digit of " + v + " is " + v[len(v)-1:] + ", want " + string(want)
	}
	return "", ""
}

// cset82 lists GS1 character set 82 in the order that gives each character
// its value for the alphanumeric check character pair.
const cset82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`

const cset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

var csumPrimes = [...]int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113}

// CheckCharacters returns the two GS1 check characters (GS1 General
// Specifications 7.9.5, used by GMN, AI 8013) for payload, a string of GS1
// character set 82 without its check characters. It fails with rule
// "charset" for a character outside the set and "length" for a payload
// longer than 28 characters or empty.
func CheckCharacters(payload string) (string, error) {
	if payload == "" || len(payload) > len(csumPrimes) {
		return "", errf("", RuleLength, "payload of %d characters, want 1 to %d", len(payload), len(csumPrimes))
	}
	for i := 0; i < len(payload); i++ {
		if !isX[payload[i]] {
			return "", errf("", RuleCharset, "character %q is not in GS1 character set 82", payload[i])
		}
	}
	return checkChars(payload), nil
}

func checkChars(payload string) string {
	sum := 0
	n := len(payload)
	for i := 0; i < n; i++ {
		sum += cset82Value[payload[i]] * csumPrimes[n-1-i]
	}
	sum %= 1021
	return string([]byte{cset32[sum>>5], cset32[sum&31]})
}

var cset82Value = func() (t [256]int) {
	for i := 0; i < len(cset82); i++ {
		t[cset82[i]] = i
	}
	return t
}()

func lintCsumAlpha(v string) (string, string) {
	if len(v) < 3 || len(v)-2 > len(csumPrimes) {
		return RuleLength, "too short for a check character pair"
	}
	want := checkChars(v[:len(v)-2])
	if v[len(v)-2:] != want {
		return RuleCheckDigit, "check characters of " + v + " are " + v[len(v)-2:] + ", want " + want
	}
	return "", ""
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// lintDate checks YYMMDD (or YYYYMMDD when long). With day0 a day of 00
// means "no day" and is accepted. For YY dates a year divisible by four is
// a leap year, as the syntax tests do.
func lintDate(v string, long, day0 bool) (string, string) {
	year := atoi2(v)
	if long {
		year = year*100 + atoi2(v[2:])
		v = v[2:]
	}
	m, d := atoi2(v[2:]), atoi2(v[4:])
	if m < 1 || m > 12 {
		return RuleDate, "month " + v[2:4] + " is not 01 to 12"
	}
	if d == 0 && day0 {
		return "", ""
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	leap := year%4 == 0
	if long {
		leap = year%4 == 0 && (year%100 != 0 || year%400 == 0)
	}
	if m == 2 && leap {
		days = 29
	}
	if d < 1 || d > days {
		return RuleDate, "day " + v[4:6] + " is not valid in month " + v[2:4]
	}
	return "", ""
}

func lintRange(v string, lo, hi int, rule, what string) (string, string) {
	n := atoi2(v)
	if n < lo || n > hi {
		return rule, what + " " + v + " is out of range"
	}
	return "", ""
}

func lintHHMI(v string) (string, string) {
	if r, m := lintRange(v[:2], 0, 23, RuleDate, "hour"); r != "" {
		return r, m
	}
	return lintRange(v[2:], 0, 59, RuleDate, "minute")
}

func lintOneOf(v, set, what string) (string, string) {
	if len(v) != 1 || !containsByte(set, v[0]) {
		return RuleContent, "value " + v + " is not a valid " + what
	}
	return "", ""
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

func lintNonZero(v string) (string, string) {
	for i := 0; i < len(v); i++ {
		if v[i] != '0' {
			return "", ""
		}
	}
	return RuleContent, "value must not be zero"
}

func lintNoZeroPrefix(v string) (string, string) {
	if len(v) > 1 && v[0] == '0' {
		return RuleContent, "value must not start with zero"
	}
	return "", ""
}

func lintHasNonDigit(v string) (string, string) {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return "", ""
		}
	}
	return RuleContent, "value must contain a non-digit"
}

func lintPieceOfTotal(v string) (string, string) {
	p, t := atoi2(v), atoi2(v[2:])
	if p == 0 || t == 0 || p > t {
		return RuleContent, "piece " + v[:2] + " of total " + v[2:] + " is not valid"
	}
	return "", ""
}

func lintMax(v string, max uint64, what string) (string, string) {
	var n uint64
	for i := 0; i < len(v); i++ {
		n = n*10 + uint64(v[i]-'0')
	}
	if n > max {
		return RuleContent, what + " " + v + " is out of range"
	}
	return "", ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

func lintPcenc(v string) (string, string) {
	for i := 0; i < len(v); i++ {
		if v[i] == '%' && (i+2 >= len(v) || !isHex(v[i+1]) || !isHex(v[i+2])) {
			return RuleContent, "bad percent-encoding"
		}
	}
	return "", ""
}

func lintIBAN(v string) (string, string) {
	if len(v) < 5 {
		return RuleContent, "IBAN is too short"
	}
	rem := 0
	for k := 0; k < len(v); k++ {
		c := v[(k+4)%len(v)]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return RuleContent, "IBAN has a character other than 0-9 and A-Z"
		}
	}
	if v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' || rem != 1 {
		return RuleCheckDigit, "IBAN " + v + " fails its mod-97 check"
	}
	return "", ""
}

func lintPosInSeqSlash(v string) (string, string) {
	if len(v) != 3 || v[1] != '/' || v[0] < '1' || v[0] > '9' || v[2] < '1' || v[2] > '9' || v[0] > v[2] {
		return RuleContent, "value " + v + " is not position/sequence"
	}
	return "", ""
}

func lintImporterIdx(v string) (string, string) {
	c := v[0]
	if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_' {
		return "", ""
	}
	return RuleContent, "importer index " + v + " is not valid"
}

// UnimplementedLinters lists the linters the syntax dictionary names that
// this package does not apply:
//
//   - packagetype (AI 7041): the UN/ECE Recommendation 21 package type codes
//     are published only as spreadsheets; no maintained machine-readable
//     source (Go module or package) is at hand to generate the list from,
//     and a typed-in copy would refuse codes added since.
//   - couponcode (AI 8110): not a code list but the many optional fields of
//     the North American coupon code (GS1 US coupon application guideline),
//     not checked here beyond length and character set.
//
// The code lists (ISO 3166-1 numeric and alpha-2, ISO 4217, AIDC media
// types) and the structure of the positive offer file coupon code
// (couponposoffer, AI 8112) are applied; see codelists.go. gcppos1 and gcppos2 check only that
// four digits stand where the company prefix starts. Values of unapplied
// linters are still checked for length and character set. It never fails.
func UnimplementedLinters() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range getTable().entries {
		for _, p := range e.parts {
			for _, n := range p.names {
				if linters[n] == nil && !seen[n] {
					seen[n] = true
					out = append(out, n)
				}
			}
		}
	}
	return out
}
