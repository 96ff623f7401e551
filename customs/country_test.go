package customs

import (
	"encoding/csv"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"tracegate"
)

// TestCountryTable checks the embedded customs country table: every code is
// three digits and appears once, every ISO code is an ISO 3166-1 country
// that golang.org/x/text knows (a country, not private use, not deprecated,
// with an M.49 number), and only the entries that are no country lack one.
func TestCountryTable(t *testing.T) {
	r := csv.NewReader(strings.NewReader(countriesCSV))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "code,iso2,name_zh,name_en" {
		t.Fatalf("header = %q", got)
	}
	if !strings.Contains(countriesCSV, "# SOURCES:") {
		t.Error("the table has no SOURCES line")
	}
	noCountry := map[string]bool{"199": true, "299": true, "399": true, "499": true, "599": true, "699": true,
		"701": true, "702": true, "999": true, "349": true, "449": true}
	three := regexp.MustCompile(`^[0-9]{3}$`)
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		code, iso, zh, en := row[0], row[1], row[2], row[3]
		if !three.MatchString(code) {
			t.Errorf("code %q is not three digits", code)
		}
		if seen[code] {
			t.Errorf("code %s appears twice", code)
		}
		seen[code] = true
		if zh == "" || en == "" {
			t.Errorf("code %s lacks a name: %q %q", code, zh, en)
		}
		if iso == "" {
			if !noCountry[code] {
				t.Errorf("code %s (%s) has no ISO code", code, zh)
			}
			continue
		}
		if noCountry[code] {
			t.Errorf("code %s (%s) is no country but maps to %s", code, zh, iso)
		}
		reg, err := language.ParseRegion(iso)
		if err != nil || reg.String() != iso || !reg.IsCountry() || reg.IsPrivateUse() || reg.M49() == 0 || reg.Canonicalize() != reg {
			t.Errorf("code %s (%s): %q is not a current ISO 3166-1 region per x/text", code, zh, iso)
		}
	}
	if len(seen) < 240 {
		t.Errorf("the table has %d codes, want the whole table (at least 240)", len(seen))
	}
	if got := len(Countries()); got != len(seen) {
		t.Errorf("Countries() has %d entries, the file %d", got, len(seen))
	}
}

func TestLookupCountry(t *testing.T) {
	tests := []struct {
		code, iso, zh, en string
	}{
		{"142", "CN", "中国", "China"},
		{"116", "JP", "日本", "Japan"},
		{"133", "KR", "韩国", "South Korea"},
		{"303", "GB", "英国", "United Kingdom"},
		{"304", "DE", "德国", "Germany"},
		{"305", "FR", "法国", "France"},
		{"502", "US", "美国", "United States"},
		{"601", "AU", "澳大利亚", "Australia"},
		{"609", "NZ", "新西兰", "New Zealand"},
		{"110", "HK", "中国香港", "Hong Kong SAR China"},
		{"701", "", "国(地)别不详的", "Country unknown"},
	}
	for _, tt := range tests {
		c, ok := LookupCountry(tt.code)
		if !ok || c.ISO != tt.iso || c.Name(false) != tt.zh || c.Name(true) != tt.en {
			t.Errorf("LookupCountry(%s) = %+v, %v (names %q, %q), want %s %s %s", tt.code, c, ok, c.Name(false), c.Name(true), tt.iso, tt.zh, tt.en)
		}
	}
	for _, code := range []string{"", "000", "140", "CN", "1420"} {
		if c, ok := LookupCountry(code); ok {
			t.Errorf("LookupCountry(%q) = %+v, want not found", code, c)
		}
	}
}

// TestParseValidatedCountry refuses a message whose country field is not a
// customs country code, pointing at the field.
func TestParseValidatedCountry(t *testing.T) {
	const line = "/CEB621Message/Inventory[1]/InventoryList[1]/"
	const head = "/CEB621Message/Inventory[1]/InventoryHead/"
	if _, err := ParseValidated(readSample(t, "CEB621"), Version202205); err != nil {
		t.Fatalf("ParseValidated(sample) = %v", err)
	}
	tests := []struct {
		name, old, new, pointer string
	}{
		{"line origin", "<ceb:country>116</ceb:country>\n\t\t\t<ceb:tradeCountry>", "<ceb:country>000</ceb:country>\n\t\t\t<ceb:tradeCountry>", line + "country"},
		{"trade country", "<ceb:tradeCountry>116</ceb:tradeCountry>", "<ceb:tradeCountry>140</ceb:tradeCountry>", line + "tradeCountry"},
		{"head country", "<ceb:country>116</ceb:country>\n\t\t\t<ceb:freight>", "<ceb:country>JPN</ceb:country>\n\t\t\t<ceb:freight>", head + "country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseValidated(mutate(t, tt.old, tt.new), Version202205)
			var e *tracegate.Error
			if !errors.As(err, &e) || e.Code != tracegate.EINVALID || e.Pointer != tt.pointer || !strings.Contains(e.Message, "customs country table") {
				t.Fatalf("ParseValidated(%s) = %v, want EINVALID at %s", tt.name, err, tt.pointer)
			}
		})
	}
	if _, err := ParseValidated(mutate(t, "<ceb:tradeCountry>116</ceb:tradeCountry>", "<ceb:tradeCountry>609</ceb:tradeCountry>"), Version202205); err != nil {
		t.Errorf("ParseValidated(tradeCountry 609) = %v, want nil", err)
	}
}

func TestLookupTransportMode(t *testing.T) {
	tests := []struct {
		code, mode, zh, en string
		area               bool
	}{
		{"2", "sea", "水路运输", "Waterway (sea)", false},
		{"3", "rail", "铁路运输", "Rail", false},
		{"4", "road", "公路运输", "Road", false},
		{"5", "air", "航空运输", "Air", false},
		{"6", "post", "邮件运输", "Post", false},
		{"Y", "", "保税港区", "Bonded port area", true},
		{"y", "", "保税港区", "Bonded port area", true},
		{"W", "", "物流中心", "Bonded logistics centre", true},
		{"0", "", "非保税区", "Non-bonded area", true},
	}
	for _, tt := range tests {
		m, ok := LookupTransportMode(tt.code)
		if !ok || m.Mode != tt.mode || m.Name(false) != tt.zh || m.Name(true) != tt.en || m.IsArea() != tt.area {
			t.Errorf("LookupTransportMode(%q) = %+v, %v, want %s %s %s area=%v", tt.code, m, ok, tt.mode, tt.zh, tt.en, tt.area)
		}
	}
	if m, ok := LookupTransportMode("Q"); ok {
		t.Errorf("LookupTransportMode(Q) = %+v, want not found", m)
	}
	if n := len(transportModeTable()); n != 18 {
		t.Errorf("transport mode table has %d codes, want the 18 of the 2018 edition", n)
	}
}

func TestInventoryDepartureCountry(t *testing.T) {
	tests := []struct {
		tradeMode, country, want string
	}{
		{TradeModeDirect, "116", "JP"},
		{TradeModeDirect, "609", "NZ"},
		{TradeModeDirect, "701", ""}, // unknown
		{TradeModeDirect, "000", ""},
		{TradeModeBonded, "142", ""}, // bonded: always 142, no departure
		{"1239", "142", ""},
	}
	for _, tt := range tests {
		h := InventoryHead{TradeMode: tt.tradeMode, Country: tt.country}
		if got := h.DepartureCountry(); got != tt.want {
			t.Errorf("InventoryHead{%s, %s}.DepartureCountry() = %q, want %q", tt.tradeMode, tt.country, got, tt.want)
		}
	}
}
