package customs

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// countriesCSV is the China Customs country (region) code table (JGS-20
// 国别(地区)代码表) that the CEB messages' country fields use, mapped to
// ISO 3166-1 alpha-2; its header says where it comes from.
//
//go:embed codes/countries.csv
var countriesCSV string

// Country is one entry of the customs country table: Code is the customs
// code ("142"), ISO the ISO 3166-1 alpha-2 code ("CN"), empty for the
// entries that are no country ("199" other Asia, "701" unknown, "999"
// neutral packaging, and the withdrawn 349 and 449), NameZH the customs
// Chinese name and NameEN an English name.
type Country struct {
	Code   string `json:"code"`
	ISO    string `json:"iso,omitempty"`
	NameZH string `json:"nameZh"`
	NameEN string `json:"nameEn"`
}

// Name is the country's name for a page in Chinese (en false: the customs
// name) or English (CLDR's name of ISO, or NameEN when there is no ISO
// code). It never fails.
func (c Country) Name(en bool) string {
	if !en {
		return c.NameZH
	}
	if c.ISO != "" {
		if r, err := language.ParseRegion(c.ISO); err == nil {
			if n := display.English.Regions().Name(r); n != "" {
				return n
			}
		}
	}
	return c.NameEN
}

var countryTable = sync.OnceValue(func() map[string]Country {
	r := csv.NewReader(strings.NewReader(countriesCSV))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		panic("customs: embedded country table: " + errString(err))
	}
	m := make(map[string]Country, len(rows)-1)
	for _, row := range rows[1:] {
		m[row[0]] = Country{Code: row[0], ISO: row[1], NameZH: row[2], NameEN: row[3]}
	}
	return m
})

func errString(err error) string {
	if err == nil {
		return "no rows"
	}
	return err.Error()
}

// LookupCountry returns the entry of a customs country code ("116" is
// Japan); ok is false when the table has no such code. It never fails
// otherwise.
func LookupCountry(code string) (c Country, ok bool) {
	c, ok = countryTable()[strings.TrimSpace(code)]
	return c, ok
}

// Countries returns every entry of the customs country table, in no
// particular order. It never fails.
func Countries() []Country {
	t := countryTable()
	out := make([]Country, 0, len(t))
	for _, c := range t {
		out = append(out, c)
	}
	return out
}

// checkCodeList reports a country field whose value is not in the customs
// country table. An empty optional field is left to the facets.
func (vd *validator) checkCodeList(path, name string, text []byte) {
	if name != "country" && name != "tradeCountry" || len(text) == 0 {
		return
	}
	if _, ok := countryTable()[string(text)]; !ok {
		vd.add(path, "%s %q is not a code of the customs country table (国别(地区)代码表), such as 142 China or 116 Japan", name, text)
	}
}
