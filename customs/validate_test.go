package customs

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"tracegate"
)

var versions = []Version{Version2018, Version202205}

func TestValidateSamples(t *testing.T) {
	for _, name := range sampleNames {
		for _, v := range versions {
			t.Run(name+"/"+string(v), func(t *testing.T) {
				data := readSample(t, name)
				if err := ValidateXML(bytes.NewReader(data), v); err != nil {
					t.Errorf("ValidateXML(%s, %s) = %v, want nil", name, v, err)
				}
				m, err := ParseMessage(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				if err := Validate(m, v); err != nil {
					t.Errorf("Validate(%s, %s) = %v, want nil", name, v, err)
				}
			})
		}
	}
}

// mutate returns the CEB621 sample with the first occurrence of old
// replaced by new.
func mutate(t *testing.T, old, new string) []byte {
	t.Helper()
	data := readSample(t, "CEB621")
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("sample has no %q", old)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

func TestValidateXMLFailures(t *testing.T) {
	const head = "/CEB621Message/Inventory[1]/InventoryHead/"
	const line = "/CEB621Message/Inventory[1]/InventoryList[1]/"
	tests := []struct {
		name     string
		old, new string
		versions []Version // the versions that must refuse; the others accept
		pointer  string
		detail   string
	}{
		{"over length", "<ceb:orderNo>order2016030811340001</ceb:orderNo>",
			"<ceb:orderNo>" + strings.Repeat("订", 61) + "</ceb:orderNo>", versions, head + "orderNo", "at most 60 characters"},
		{"exact length", "<ceb:customsCode>3700</ceb:customsCode>", "<ceb:customsCode>370</ceb:customsCode>",
			versions, head + "customsCode", "exactly 4 characters"},
		{"empty required", "<ceb:ebpCode>1101110325</ceb:ebpCode>", "<ceb:ebpCode></ceb:ebpCode>",
			versions, head + "ebpCode", "must not be empty"},
		{"missing required", "<ceb:gcode>8541401000</ceb:gcode>", "", versions, line + "gcode", "missing required element gcode"},
		{"non-decimal amount", "<ceb:freight>500</ceb:freight>", "<ceb:freight>5,00</ceb:freight>",
			versions, head + "freight", "must be a decimal number"},
		{"too many decimals", "<ceb:freight>500</ceb:freight>", "<ceb:freight>1.123456</ceb:freight>",
			versions, head + "freight", "6 decimal places, at most 5"},
		{"too many digits", "<ceb:freight>500</ceb:freight>", "<ceb:freight>123456789012345.12345</ceb:freight>",
			versions, head + "freight", "20 digits, at most 19"},
		{"bad int", "<ceb:packNo>6000</ceb:packNo>", "<ceb:packNo>1.5</ceb:packNo>",
			versions, head + "packNo", "must be an integer"},
		{"out of order", "<ceb:appType>1</ceb:appType>\n\t\t\t<ceb:appTime>20160315153555</ceb:appTime>",
			"<ceb:appTime>20160315153555</ceb:appTime><ceb:appType>1</ceb:appType>", versions, head + "appType", "out of order"},
		{"unexpected element", "<ceb:note></ceb:note>", "<ceb:bogus/><ceb:note></ceb:note>",
			versions, head + "bogus", "unexpected element"},
		{"missing attribute", `guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0"`, `version="1.0"`,
			versions, "/CEB621Message/@guid", "missing required attribute guid"},
		{"foreign namespace child", "<ceb:note></ceb:note>", `<note xmlns="urn:x"></note>`,
			versions, head + "note", "namespace"},
		{"itemNo 25 chars", "<ceb:itemNo>AF001-001</ceb:itemNo>", "<ceb:itemNo>" + strings.Repeat("A", 25) + "</ceb:itemNo>",
			[]Version{Version202205}, line + "itemNo", "at most 20 characters"},
		{"itemNo 31 chars", "<ceb:itemNo>AF001-001</ceb:itemNo>", "<ceb:itemNo>" + strings.Repeat("A", 31) + "</ceb:itemNo>",
			versions, line + "itemNo", "at most"},
		{"tradeCountry 1 char", "<ceb:tradeCountry>116</ceb:tradeCountry>", "<ceb:tradeCountry>1</ceb:tradeCountry>",
			[]Version{Version2018}, line + "tradeCountry", "exactly 3 characters"},
	}
	for _, tc := range tests {
		for _, v := range versions {
			t.Run(tc.name+"/"+string(v), func(t *testing.T) {
				err := ValidateXML(bytes.NewReader(mutate(t, tc.old, tc.new)), v)
				refuse := false
				for _, w := range tc.versions {
					refuse = refuse || w == v
				}
				if !refuse {
					if err != nil {
						t.Fatalf("ValidateXML = %v, want nil", err)
					}
					return
				}
				var e *tracegate.Error
				if !errors.As(err, &e) || e.Code != tracegate.EINVALID {
					t.Fatalf("ValidateXML = %v, want EINVALID", err)
				}
				found := false
				for _, d := range e.Details {
					found = found || d.Pointer == tc.pointer && strings.Contains(d.Detail, tc.detail)
				}
				if !found {
					t.Errorf("ValidateXML details = %v, want {%s %q}", e.Details, tc.pointer, tc.detail)
				}
			})
		}
	}
}

func TestValidateMissingSignature(t *testing.T) {
	data := readSample(t, "CEB621")
	i := bytes.Index(data, []byte("<ds:Signature"))
	j := bytes.Index(data, []byte("</ds:Signature>")) + len("</ds:Signature>")
	data = append(append([]byte(nil), data[:i]...), data[j:]...)
	err := ValidateXML(bytes.NewReader(data), Version202205)
	var e *tracegate.Error
	if !errors.As(err, &e) || e.Pointer != "/CEB621Message/Signature" {
		t.Fatalf("ValidateXML(no signature) = %v, want missing /CEB621Message/Signature", err)
	}
}

func TestValidateTyped(t *testing.T) {
	m, err := ParseMessage(bytes.NewReader(readSample(t, "CEB311")))
	if err != nil {
		t.Fatal(err)
	}
	o := m.(*CEB311Message)
	o.Orders[0].Head.OrderNo = ""
	o.Orders[0].Head.GoodsValue = "abc"
	o.Orders[0].Lines[0].ItemName = strings.Repeat("品", 251)
	err = Validate(o, Version202205)
	var e *tracegate.Error
	if !errors.As(err, &e) || len(e.Details) != 3 {
		t.Fatalf("Validate = %v, want 3 problems", err)
	}
	want := []string{
		"/CEB311Message/Order[1]/OrderHead/orderNo",
		"/CEB311Message/Order[1]/OrderHead/goodsValue",
		"/CEB311Message/Order[1]/OrderList[1]/itemName",
	}
	for i, d := range e.Details {
		if d.Pointer != want[i] {
			t.Errorf("Details[%d].Pointer = %q, want %q", i, d.Pointer, want[i])
		}
	}
	if e.Pointer != want[0] {
		t.Errorf("Pointer = %q, want %q", e.Pointer, want[0])
	}
}

func TestValidateRefuses(t *testing.T) {
	tests := []struct {
		name, doc string
		v         Version
	}{
		{"unknown version", string(readSample(t, "CEB312")), Version("2099")},
		{"doctype", `<!DOCTYPE x [<!ENTITY e SYSTEM "http://example.com/">]><CEB312Message xmlns="http://www.chinaport.gov.cn/ceb"/>`, Version202205},
		{"wrong namespace", `<CEB312Message xmlns="http://www.chinaport.gov.cn/cebx" guid="x" version="1"/>`, Version202205},
		{"not a message", `<OrderHead xmlns="http://www.chinaport.gov.cn/ceb"/>`, Version202205},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := ValidateXML(strings.NewReader(tc.doc), tc.v); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Fatalf("ValidateXML = %v, want EINVALID", err)
			}
		})
	}
}

func TestDecimalDigits(t *testing.T) {
	tests := []struct {
		in         string
		intD, frac int
		ok         bool
	}{
		{"0", 0, 0, true}, {"500", 3, 0, true}, {"-12.50", 2, 1, true}, {"+.5", 0, 1, true},
		{"7.", 1, 0, true}, {"007.0100", 1, 2, true}, {"", 0, 0, false}, {".", 0, 0, false},
		{"1e5", 0, 0, false}, {"1.2.3", 0, 0, false}, {"NaN", 0, 0, false}, {"--1", 0, 0, false},
	}
	for _, tc := range tests {
		i, f, ok := decimalDigits(tc.in)
		if i != tc.intD || f != tc.frac || ok != tc.ok {
			t.Errorf("decimalDigits(%q) = %d, %d, %v, want %d, %d, %v", tc.in, i, f, ok, tc.intD, tc.frac, tc.ok)
		}
	}
}

func TestParseFields(t *testing.T) {
	s, err := schemaFor(Version202205)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(sampleNames, "CEB816") {
		if s[name+"Message"] == nil {
			t.Errorf("schema has no %sMessage", name)
		}
	}
	tax := s["CEB816Message"].elems[0]
	if tax.name != "Tax" || tax.max != -1 || tax.typ == nil || tax.typ.elems[1].name != "TaxListRd" || tax.typ.elems[1].max != 99 {
		t.Errorf("CEB816Message/Tax declared wrongly: %+v", tax)
	}
	bad := []string{
		"  x | only two",
		"## T: t\n  x[1..] | | string",
		"## T: t\n  x | | string,length=abc",
		"## T: t\n  x | | float",
		"## T: t\n  x | | string,pattern=1",
		"## T: t\n  ceb:Missing | | ",
		"## T: t\n    nested | | string",
	}
	for _, text := range bad {
		if _, err := parseFields(text); err == nil {
			t.Errorf("parseFields(%q) = nil error, want error", text)
		}
	}
}
