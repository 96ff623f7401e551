package epcis

import (
	"strings"
	"testing"
	"time"
)

func TestNormalizeVocab(t *testing.T) {
	tests := []struct {
		k    VocabKind
		in   string
		want string
	}{
		{VocabBizStep, "shipping", "https://ref.gs1.org/cbv/BizStep-shipping"},
		{VocabBizStep, "urn:epcglobal:cbv:bizstep:shipping", "https://ref.gs1.org/cbv/BizStep-shipping"},
		{VocabBizStep, "https://ref.gs1.org/cbv/BizStep-shipping", "https://ref.gs1.org/cbv/BizStep-shipping"},
		{VocabBizStep, "cbv:BizStep-shipping", "https://ref.gs1.org/cbv/BizStep-shipping"},
		{VocabBizStep, " https://example.com/steps/x ", "https://example.com/steps/x"},
		{VocabBizStep, "transforming", "transforming"},
		{VocabDisposition, "in_transit", "https://ref.gs1.org/cbv/Disp-in_transit"},
		{VocabDisposition, "urn:epcglobal:cbv:disp:in_transit", "https://ref.gs1.org/cbv/Disp-in_transit"},
		{VocabBizTransactionType, "po", "https://ref.gs1.org/cbv/BTT-po"},
		{VocabSourceDestType, "urn:epcglobal:cbv:sdt:owning_party", "https://ref.gs1.org/cbv/SDT-owning_party"},
		{VocabErrorReason, "incorrect_data", "https://ref.gs1.org/cbv/ER-incorrect_data"},
	}
	for _, tt := range tests {
		if got := NormalizeVocab(tt.k, tt.in); got != tt.want {
			t.Errorf("NormalizeVocab(%d, %q) = %q, want %q", tt.k, tt.in, got, tt.want)
		}
	}
}

func TestVocabForm(t *testing.T) {
	const uri = "https://ref.gs1.org/cbv/BizStep-shipping"
	tests := []struct {
		f    VocabFormat
		want string
	}{
		{FormBare, "shipping"},
		{FormURN, "urn:epcglobal:cbv:bizstep:shipping"},
		{FormURI, uri},
		{FormDefault, uri},
	}
	for _, tt := range tests {
		if got := VocabForm(VocabBizStep, uri, tt.f); got != tt.want {
			t.Errorf("VocabForm(%q, %d) = %q, want %q", uri, tt.f, got, tt.want)
		}
	}
	if got := VocabForm(VocabBizStep, "https://example.com/x", FormBare); got != "https://example.com/x" {
		t.Errorf("VocabForm of a non-standard URI = %q, want it unchanged", got)
	}
}

func TestEPCTranslate(t *testing.T) {
	tests := []struct {
		urn, dl string
		gcp     int
	}{
		{"urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017", 7},
		{"urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908", 7},
		{"urn:epc:id:sgln:0614141.07346.1234", "https://id.gs1.org/414/0614141073467/254/1234", 7},
		{"urn:epc:id:sgln:4012345.00005.0", "https://id.gs1.org/414/4012345000054", 7},
		{"urn:epc:id:grai:4012345.00022.334455", "https://id.gs1.org/8003/04012345000221334455", 7},
		{"urn:epc:id:giai:4012345.ABC345", "https://id.gs1.org/8004/4012345ABC345", 7},
		{"urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877", 7},
		{"urn:epc:id:sgtin:4012345.011111.98!", "https://id.gs1.org/01/04012345111118/21/98%21", 7},
		{"urn:epc:id:pgln:0614141.00000", "https://id.gs1.org/417/0614141000005", 7},
	}
	for _, tt := range tests {
		if got := TranslateEPC(tt.urn, EPCAlwaysDigitalLink, 0); got != tt.dl {
			t.Errorf("TranslateEPC(%q, DL) = %q, want %q", tt.urn, got, tt.dl)
		}
		if got := TranslateEPC(tt.dl, EPCAlwaysURN, tt.gcp); got != tt.urn {
			t.Errorf("TranslateEPC(%q, URN, %d) = %q, want %q", tt.dl, tt.gcp, got, tt.urn)
		}
		for _, f := range []EPCFormat{EPCNoPreference, EPCNeverTranslates} {
			if got := TranslateEPC(tt.urn, f, 0); got != tt.urn {
				t.Errorf("TranslateEPC(%q, %v) = %q, want it unchanged", tt.urn, f, got)
			}
		}
	}
	if got := TranslateEPC("https://example.com/foo", EPCAlwaysURN, 7); got != "https://example.com/foo" {
		t.Errorf("TranslateEPC of a non-GS1 URI = %q, want it unchanged", got)
	}
}

func TestParseEPCFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    EPCFormat
		wantErr bool
	}{
		{"", EPCNoPreference, false},
		{"Always_GS1_Digital_Link", EPCAlwaysDigitalLink, false},
		{"Always_EPC_URN", EPCAlwaysURN, false},
		{"No_Preference", EPCNoPreference, false},
		{"Never_Translates", EPCNeverTranslates, false},
		{"sometimes", EPCNoPreference, true},
	}
	for _, tt := range tests {
		got, err := ParseEPCFormat(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseEPCFormat(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestPyNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.0", "1"}, {"0.3434", "0.3434"}, {"12.50", "12.5"}, {"+5", "5"}, {"-0.0", "0"},
		{"1e3", "1000"}, {"0.00001", "1e-05"}, {"26.0", "26"}, {"abc", ""}, {"1.2.3", ""}, {"", ""},
	}
	for _, tt := range tests {
		got, _ := pyNumber(tt.in)
		if got != tt.want {
			t.Errorf("pyNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHashTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2023-02-02T11:04:03.1415Z", "2023-02-02T11:04:03.142Z"},
		{"2023-02-02T11:04:03.1414Z", "2023-02-02T11:04:03.141Z"},
		{"2020-03-04T11:00:30+01:00", "2020-03-04T10:00:30.000Z"},
	}
	for _, tt := range tests {
		tm, err := parseTime(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := hashTime(tm); got != tt.want {
			t.Errorf("hashTime(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckEvent(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	base := func() Event {
		return Event{Type: ObjectEvent, EventTime: now, EventTimeZoneOffset: "+08:00",
			EPCList: []string{"urn:epc:id:sgtin:0614141.107346.2017"}, Action: ActionObserve}
	}
	tests := []struct {
		name  string
		edit  func(*Event)
		field string // "" means valid
	}{
		{"valid", func(*Event) {}, ""},
		{"no time", func(e *Event) { e.EventTime = time.Time{} }, "/eventTime"},
		{"no offset", func(e *Event) { e.EventTimeZoneOffset = "" }, "/eventTimeZoneOffset"},
		{"bad offset", func(e *Event) { e.EventTimeZoneOffset = "+8" }, "/eventTimeZoneOffset"},
		{"bad action", func(e *Event) { e.Action = "CREATE" }, "/action"},
		{"no action", func(e *Event) { e.Action = "" }, "/action"},
		{"unknown bizStep", func(e *Event) { e.BizStep = NormalizeVocab(VocabBizStep, "transforming") }, "/bizStep"},
		{"CBV typo", func(e *Event) { e.BizStep = "https://ref.gs1.org/cbv/BizStep-shipped" }, "/bizStep"},
		{"custom bizStep URI", func(e *Event) { e.BizStep = "https://example.com/bizstep/x" }, ""},
		{"aggregation ADD without parent", func(e *Event) { e.Type = AggregationEvent }, ""},
		{"aggregation ADD needs parent", func(e *Event) { e.Type = AggregationEvent; e.Action = ActionAdd }, "/parentID"},
		{"transformation with action", func(e *Event) {
			e.Type = TransformationEvent
			e.InputEPCList = e.EPCList
		}, "/action"},
		{"transaction without bizTransaction", func(e *Event) { e.Type = TransactionEvent }, "/bizTransactionList"},
		{"EPC not a URI", func(e *Event) { e.EPCList = []string{"0614141107346"} }, "/epcList/0"},
		{"ilmd without namespace", func(e *Event) { e.ILMD = []Element{{Local: "lot", Value: "1"}} }, "/ilmd/lot"},
		{"extension with namespace", func(e *Event) {
			e.Extensions = []Element{{Space: "https://ns.example.com/", Local: "x", Value: "1"}}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base()
			tt.edit(&e)
			got := CheckEvent(&e, "/epcisBody/eventList/7")
			if tt.field == "" {
				if len(got) != 0 {
					t.Fatalf("CheckEvent = %v, want no problems", got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("CheckEvent found no problem, want one at %s", tt.field)
			}
			if want := "/epcisBody/eventList/7" + tt.field; got[0].Pointer != want {
				t.Errorf("CheckEvent pointer = %q, want %q", got[0].Pointer, want)
			}
		})
	}
}

func TestDecodeStreamsLargeList(t *testing.T) {
	const n = 2000
	var b strings.Builder
	b.WriteString(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"ObjectEvent","eventTime":"2024-01-01T00:00:00Z","eventTimeZoneOffset":"+00:00","epcList":["urn:epc:id:sgtin:0614141.107346.1"],"action":"OBSERVE","bizStep":"shipping"}`)
	}
	b.WriteString(`]}}`)
	d, err := NewDecoder(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for {
		e, err := d.Next()
		if err != nil {
			break
		}
		if e.BizStep != "https://ref.gs1.org/cbv/BizStep-shipping" {
			t.Fatalf("event %d bizStep %q", count, e.BizStep)
		}
		count++
	}
	if count != n {
		t.Errorf("Next yielded %d events, want %d", count, n)
	}
}
