package gs1

import (
	_ "embed"
	"strings"
	"sync"
)

// prefixTable is the GS1 prefix table (prefix range -> member organisation)
// from jodal/biip (Apache-2.0), as described in the shared test data README.
//
//go:embed gs1-prefixes.tsv
var prefixTable string

type prefixRow struct {
	start, end, org string
}

var (
	prefixOnce sync.Once
	prefixRows []prefixRow
)

func loadPrefixes() []prefixRow {
	prefixOnce.Do(func() {
		header := true
		for line := range strings.SplitSeq(prefixTable, "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if header {
				header = false
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != 3 {
				panic("gs1: embedded gs1-prefixes.tsv: bad line " + line)
			}
			prefixRows = append(prefixRows, prefixRow{f[0], f[1], f[2]})
		}
	})
	return prefixRows
}

// IssuingOrganisation returns the GS1 Member Organisation (or special use,
// such as "Used to issue Restricted Circulation Numbers within a company")
// that the GS1 prefix of a key belongs to, for example "GS1 China" for
// (01)06901234567892.
//
// It does NOT say where a product was made: a GS1 prefix only tells which
// GS1 office issued the company prefix, and companies use their numbers for
// goods made anywhere. Never use it as country of origin in customs or risk
// logic.
//
// ai and value are a key (01, 02, 03 may hold a GTIN-12 or GTIN-13; 00,
// 414, 253, 8003, ... any AI with a company prefix). The lookup takes the
// key from its company prefix position on, as the syntax dictionary's
// gcppos1/gcppos2 linters place it. It fails with rule "unknown-ai",
// "not-primary-key" for an AI without a company prefix or a GTIN-8 (which
// has none), a rule of ValidateAI for a bad value, and "company-prefix"
// when the prefix is not allocated.
func IssuingOrganisation(ai, value string) (string, error) {
	e := lookupAI(ai)
	if e == nil {
		return "", errf(ai, RuleUnknownAI, "unknown AI")
	}
	if ai == "01" || ai == "02" || ai == "03" {
		if len(value) == 8 || len(value) == 14 && strings.HasPrefix(value, "000000") {
			return "", errf(ai, RuleNotPrimaryKey, "a GTIN-8 has no GS1 company prefix")
		}
		if len(value) != 14 {
			v, err := NormalizeGTIN(value)
			if err != nil {
				return "", err
			}
			value = v
		}
	}
	if err := validateValue(e, ai, value); err != nil {
		return "", err
	}
	off := -1
	pos := 0
	for _, p := range e.parts {
		for _, n := range p.names {
			switch n {
			case "gcppos1":
				off = pos
			case "gcppos2":
				off = pos + 1
			}
		}
		if off >= 0 {
			break
		}
		pos += p.max
	}
	if off < 0 {
		return "", errf(ai, RuleNotPrimaryKey, "the AI carries no GS1 company prefix")
	}
	key := value[off:]
	for _, r := range loadPrefixes() {
		l := len(r.start)
		if len(key) >= l && allDigits(key[:l]) && r.start <= key[:l] && key[:l] <= r.end {
			return r.org, nil
		}
	}
	return "", errf(ai, RuleCompanyPrefix, "GS1 prefix of %s is not allocated", key)
}
