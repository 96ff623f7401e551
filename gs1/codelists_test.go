package gs1

import (
	"encoding/xml"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// TestCodeListLinters covers the code-list linters of the dictionary: ISO
// 3166-1 numeric and alpha-2, ISO 4217 numeric, the AIDC media types. A
// refusal names the AI and the linter.
func TestCodeListLinters(t *testing.T) {
	tests := []struct {
		ai, v, linter string // linter "" = accepted
	}{
		{"422", "156", ""},             // China
		{"422", "276", ""},             // Germany
		{"422", "554", ""},             // New Zealand
		{"422", "999", "iso3166"},      // no country
		{"422", "000", "iso3166"},      // no country
		{"422", "891", "iso3166"},      // Serbia and Montenegro: withdrawn
		{"422", "810", "iso3166"},      // USSR: withdrawn
		{"421", "15612345", ""},        // ship-to postcode in China
		{"421", "99912345", "iso3166"}, // no country
		{"423", "156276392", ""},       // several countries
		{"423", "156276998", "iso3166"},
		{"7030", "999ABC", ""}, // processor, country not disclosed
		{"7030", "036ABC", ""}, // Australia
		{"7030", "998ABC", "iso3166999"},
		{"4307", "CN", ""},
		{"4307", "GB", ""},
		{"4307", "UK", "iso3166alpha2"}, // not the ISO code of the United Kingdom
		{"4307", "XK", "iso3166alpha2"}, // user-assigned, not ISO 3166-1
		{"4307", "ZZ", "iso3166alpha2"},
		{"4317", "NZ", ""},
		{"3910", "978123", ""},        // euro
		{"3930", "156100", ""},        // yuan
		{"3910", "840100", ""},        // US dollar
		{"3910", "999100", ""},        // XXX "no currency" is in ISO 4217 list one
		{"3910", "998100", "iso4217"}, // USS: withdrawn
		{"3910", "000100", "iso4217"}, // not assigned
		{"3932", "191100", "iso4217"}, // HRK: withdrawn when Croatia took the euro
		{"7241", "01", ""},
		{"7241", "10", ""},
		{"7241", "80", ""},
		{"7241", "11", "mediatype"},
		{"7241", "00", "mediatype"},
	}
	for _, tt := range tests {
		t.Run(tt.ai+"/"+tt.v, func(t *testing.T) {
			err := ValidateAI(tt.ai, tt.v)
			if tt.linter == "" {
				if err != nil {
					t.Fatalf("ValidateAI(%q, %q) = %v, want nil", tt.ai, tt.v, err)
				}
				return
			}
			var ge *Error
			if !errors.As(err, &ge) || ge.Linter != tt.linter || ge.AI != tt.ai || ge.Rule != RuleContent {
				t.Fatalf("ValidateAI(%q, %q) = %#v, want AI %s refused by linter %s", tt.ai, tt.v, err, tt.ai, tt.linter)
			}
			if !strings.Contains(ge.Message, "AI ("+tt.ai+")") || !strings.Contains(ge.Message, "linter "+tt.linter) {
				t.Errorf("ValidateAI(%q, %q) message %q does not name the AI and the linter", tt.ai, tt.v, ge.Message)
			}
		})
	}
}

// TestDigitalLinkCountry is the case of the issue: a Digital Link whose
// country of origin (422) is no country is refused, a real one accepted.
func TestDigitalLinkCountry(t *testing.T) {
	_, err := ParseDigitalLink("https://example.com/01/09506000134352?422=999")
	var ge *Error
	if !errors.As(err, &ge) || ge.AI != "422" || ge.Linter != "iso3166" {
		t.Fatalf("ParseDigitalLink(?422=999) = %v, want AI (422) refused by linter iso3166", err)
	}
	d, err := ParseDigitalLink("https://example.com/01/09506000134352?422=156")
	if err != nil {
		t.Fatalf("ParseDigitalLink(?422=156) = %v, want nil", err)
	}
	if got := d.ElementString(); got != "(01)09506000134352(422)156" {
		t.Errorf("ParseDigitalLink(?422=156).ElementString() = %s", got)
	}
	if _, err := ParseDigitalLink("https://example.com/01/09506000134352?3103=000195&3932=97812345"); err != nil {
		t.Errorf("ParseDigitalLink(3932, a price in euro) = %v, want nil", err)
	}
}

// TestCodeListTablesMatchSources re-derives the generated tables from their
// sources, so that an update of golang.org/x/text or of the ISO 4217 list
// without `go generate ./gs1/` fails here.
func TestCodeListTablesMatchSources(t *testing.T) {
	num, alpha := map[int]bool{}, map[int]bool{}
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			s := string([]byte{a, b})
			r, err := language.ParseRegion(s)
			if err != nil || r.String() != s || !r.IsCountry() || r.IsPrivateUse() || r.M49() == 0 ||
				r.Canonicalize() != r || display.English.Regions().Name(r) == "" {
				continue
			}
			num[r.M49()], alpha[int(a-'A')*26+int(b-'A')] = true, true
			if !IsISO3166Numeric(strconv.Itoa(1000 + r.M49())[1:]) {
				t.Errorf("IsISO3166Numeric(%03d) = false for %s", r.M49(), s)
			}
		}
	}
	if len(num) != 249 || len(alpha) != 249 {
		t.Errorf("x/text gives %d numeric and %d alpha-2 codes, ISO 3166-1 has 249", len(num), len(alpha))
	}
	src, err := os.ReadFile("testdata/codelists/iso-4217-list-one.xml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Entries []struct {
			Number string `xml:"CcyNbr"`
		} `xml:"CcyTbl>CcyNtry"`
	}
	if err := xml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	cur := map[int]bool{}
	for _, e := range doc.Entries {
		if n, err := strconv.Atoi(e.Number); err == nil {
			cur[n] = true
		}
	}
	for i := 0; i < 1000; i++ {
		if iso3166Numeric.has(i) != num[i] {
			t.Errorf("iso3166Numeric has %03d = %v, x/text says %v: run go generate ./gs1/", i, iso3166Numeric.has(i), num[i])
		}
		if iso4217Numeric.has(i) != cur[i] {
			t.Errorf("iso4217Numeric has %03d = %v, the list says %v: run go generate ./gs1/", i, iso4217Numeric.has(i), cur[i])
		}
	}
	for i := 0; i < 26*26; i++ {
		if iso3166Alpha2.has(i) != alpha[i] {
			t.Errorf("iso3166Alpha2 has %c%c = %v, x/text says %v: run go generate ./gs1/", 'A'+i/26, 'A'+i%26, iso3166Alpha2.has(i), alpha[i])
		}
	}
}

// TestPriceCurrency refuses a price in a currency that ISO 4217 does not
// list, in a Digital Link as in an element string.
func TestPriceCurrency(t *testing.T) {
	_, err := ParseDigitalLink("https://example.com/01/09506000134352?3103=000195&3932=99812345")
	var ge *Error
	if !errors.As(err, &ge) || ge.AI != "3932" || ge.Linter != "iso4217" {
		t.Errorf("ParseDigitalLink(3932 in USS) = %v, want AI (3932) refused by linter iso4217", err)
	}
	if _, err := ParseElementString("(01)09506000134352(3103)000195(3932)97812345"); err != nil {
		t.Errorf("ParseElementString(3932 in euro) = %v, want nil", err)
	}
}

// TestCouponPosOffer covers the structure of AI (8112): format code, funder
// ID with its length indicator, offer code, serial number with its length
// indicator, nothing more.
func TestCouponPosOffer(t *testing.T) {
	tests := []struct {
		v  string
		ok bool
	}{
		{"0" + "0" + "012345" + "123456" + "0" + "123456", true},
		{"1" + "3" + "012345678" + "654321" + "2" + "12345678", true},
		{"1" + "6" + "012345678901" + "000001" + "9" + "123456789012345", true},
		{"2" + "0" + "012345" + "123456" + "0" + "123456", false},        // format code
		{"0" + "7" + "0123456789012" + "123456" + "0" + "123456", false}, // funder length indicator
		{"0" + "1" + "012345" + "123456" + "0" + "123456", false},        // funder ID one digit short, so the rest is off
		{"0" + "0" + "012345" + "12345", false},                          // offer code short
		{"0" + "0" + "012345" + "123456", false},                         // no serial number
		{"0" + "0" + "012345" + "123456" + "1" + "123456", false},        // serial number short
		{"0" + "0" + "012345" + "123456" + "0" + "1234567", false},       // excess digit
		{"0" + "0" + "01234A" + "123456" + "0" + "123456", false},        // not a digit
		{"", false},
	}
	for _, tt := range tests {
		err := ValidateAI("8112", tt.v)
		if tt.v == "" {
			if err == nil {
				t.Errorf("ValidateAI(8112, empty) = nil")
			}
			continue
		}
		var ge *Error
		if tt.ok && err != nil || !tt.ok && (!errors.As(err, &ge) || ge.Linter != "couponposoffer") {
			t.Errorf("ValidateAI(8112, %q) = %v, want ok %v", tt.v, err, tt.ok)
		}
	}
}
