package risk

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"tracegate/customs"
	"tracegate/gs1"
)

// moAliases are the GS1 member organisations whose name is not the CLDR
// English name of their country (or covers two).
var moAliases = map[string][]string{
	"GS1 UK": {"GB"}, "GS1 US": {"US"}, "GS1 Belgium & Luxembourg": {"BE", "LU"}, "GS1 Hong Kong, China": {"HK"},
	"GS1 Macau, China": {"MO"}, "GS1 Chinese Taipei": {"TW"}, "GS1 South Korea": {"KR"}, "GS1 North Korea": {"KP"},
	"GS1 Brasil": {"BR"}, "GS1 Czech": {"CZ"}, "GS1 Slovenija": {"SI"}, "GS1 Kazakstan": {"KZ"},
	"GS1 BIH (Bosnia-Herzegovina)": {"BA"}, "GS1 Emirates": {"AE"}, "GS1 Association Greece": {"GR"},
	"GS1 Republica Dominicana": {"DO"}, "GS1 Türkiye": {"TR"}, "GS1 Macedonia": {"MK"}, "GS1 Russia": {"RU"},
	"GS1 Iran": {"IR"}, "GS1 Syria": {"SY"}, "GS1 Vietnam": {"VN"}, "GS1 Côte d'Ivoire": {"CI"}, "GS1 Moldova": {"MD"},
	"GS1 Tanzania": {"TZ"}, "GS1 Bolivia": {"BO"}, "GS1 Venezuela": {"VE"}, "GS1 Myanmar": {"MM"}, "GS1 Libya": {"LY"},
	"GS1 China": {"CN"}, "GS1 Germany": {"DE"}, "GS1 France": {"FR"}, "GS1 Japan": {"JP"},
}

// englishISO maps CLDR English country names to ISO 3166-1 alpha-2 codes,
// for the countries of the customs table.
var englishISO = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, c := range customs.Countries() {
		if c.ISO == "" {
			continue
		}
		if r, err := language.ParseRegion(c.ISO); err == nil {
			m[display.English.Regions().Name(r)] = c.ISO
		}
	}
	return m
})

// memberCountries returns the ISO codes of the country (countries) of a GS1
// member organisation, nil for the Global Office, restricted circulation,
// coupons, ISBN/ISSN and other prefixes of no country.
func memberCountries(mo string) []string {
	if iso, ok := moAliases[mo]; ok {
		return iso
	}
	name, ok := strings.CutPrefix(mo, "GS1 ")
	if !ok || strings.Contains(name, "Global Office") || strings.Contains(name, " - ") {
		return nil
	}
	if iso := englishISO()[name]; iso != "" {
		return []string{iso}
	}
	return nil
}

// prefix flags the lines whose declared origin is not the country of the
// GS1 member organisation that issued the GTIN's company prefix: a weak
// signal (brands number goods made anywhere with their home office's
// prefix), never held against a declarant.
func (a *analyser) prefix(g string, out func(Finding, []Line, []int64)) {
	mo, err := gs1.IssuingOrganisation("01", g)
	if err != nil {
		return
	}
	isos := memberCountries(mo)
	if len(isos) == 0 {
		return
	}
	origins := map[int64]string{}
	listed := a.recent(func(l *Line) bool {
		iso, ok := origins[l.Origin]
		if !ok {
			c, _ := customs.LookupCountry(CodeString(l.Origin))
			iso, origins[l.Origin] = c.ISO, c.ISO
		}
		return iso != "" && !contains(isos, iso)
	})
	if len(listed) == 0 {
		return
	}
	var declared []string
	for code, iso := range origins {
		if iso != "" && !contains(isos, iso) {
			declared = append(declared, CodeString(code)+" ("+iso+")")
		}
	}
	slices.Sort(declared)
	out(Finding{Kind: FindingPrefixOrigin, Weak: true, Detail: fmt.Sprintf(
		"company prefix issued by %s (%s); %d of %d lines declare origin %s. Weak signal: a GS1 prefix says which GS1 office issued the number, not where the goods were made",
		mo, strings.Join(isos, "/"), len(listed), len(a.lines), strings.Join(declared, ", "))}, listed, nil)
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
