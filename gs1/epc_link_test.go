package gs1

import "testing"

// TestEPCURNToLink covers every EPC scheme the fast translation knows, its
// class and pattern forms, and URNs it must refuse.
func TestEPCURNToLink(t *testing.T) {
	tests := []struct {
		urn, want string
		ok        bool
	}{
		{"urn:epc:id:sgtin:0614141.112345.400", "https://id.gs1.org/01/10614141123459/21/400", true},
		{"urn:epc:id:sgtin:0614141.012345.A%2FB:1", "https://id.gs1.org/01/00614141123452/21/A%2FB%3A1", true},
		{"urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877", true},
		{"urn:epc:idpat:sgtin:4012345.012345.*", "https://id.gs1.org/01/04012345123456", true},
		{"urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908", true},
		{"urn:epc:id:sgln:0614141.12345.0", "https://id.gs1.org/414/0614141123452", true},
		{"urn:epc:id:sgln:0614141.12345.400", "https://id.gs1.org/414/0614141123452/254/400", true},
		{"urn:epc:id:pgln:0614141.12345", "https://id.gs1.org/417/0614141123452", true},
		{"urn:epc:id:grai:0614141.12345.400", "https://id.gs1.org/8003/00614141123452400", true},
		{"urn:epc:id:giai:0614141.12345400", "https://id.gs1.org/8004/061414112345400", true},
		{"urn:epc:id:gsrn:0614141.1234567890", "https://id.gs1.org/8018/061414112345678902", true},
		{"urn:epc:id:gsrnp:0614141.1234567890", "https://id.gs1.org/8017/061414112345678902", true},
		{"urn:epc:id:gdti:0614141.12345.400", "https://id.gs1.org/253/0614141123452400", true},
		{"urn:epc:id:sgcn:4012345.67890.04711", "https://id.gs1.org/255/401234567890104711", true},
		{"urn:epc:id:ginc:0614141.xyz3311cba", "https://id.gs1.org/401/0614141xyz3311cba", true},
		{"urn:epc:id:gsin:0614141.123456789", "https://id.gs1.org/402/06141411234567890", true},
		{"urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB", "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB", true},
		{"urn:epc:id:cpi:0614141.123ABC.123456789", "https://id.gs1.org/8010/0614141123ABC/8011/123456789", true},
		{"urn:epc:id:itip:4012345.012345.01.02.987", "https://id.gs1.org/8006/040123451234560102/21/987", true},
		{"urn:epc:idpat:grai:0614141.12345.*", "https://id.gs1.org/8003/00614141123452", true},
		{"urn:epc:idpat:itip:4012345.012345.01.02.*", "https://id.gs1.org/8006/040123451234560102", true},
		{"urn:epc:id:sgtin:0614141.11234.400", "", false},     // 12 digits, not 13
		{"urn:epc:id:sgtin:06141x1.112345.400", "", false},    // company prefix not digits
		{"urn:epc:idpat:sgtin:0614141.112345.400", "", false}, // a pattern ends in *
		{"urn:epc:id:unknown:0614141.112345.400", "", false},
		{"https://id.gs1.org/01/09506000134352", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.urn, func(t *testing.T) {
			got, ok := EPCURNToLink(tt.urn)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("EPCURNToLink(%q) = %q, %v; want %q, %v", tt.urn, got, ok, tt.want, tt.ok)
			}
			if !ok {
				return
			}
			if c, ok := ConstrainedLink(got); !ok || c != got {
				t.Errorf("ConstrainedLink(%q) = %q, %v; a link from a URN is already constrained", got, c, ok)
			}
		})
	}
}

// TestEPCLinkAgreesWithValidating checks that the fast translations give
// what the validating ones (EPCToDigitalLink, DigitalLinkToEPC) give, for
// the schemes both know and values of unreserved characters.
func TestEPCLinkAgreesWithValidating(t *testing.T) {
	urns := []string{
		"urn:epc:id:sgtin:0614141.112345.400",
		"urn:epc:id:sgtin:9521234.012345.SN-001",
		"urn:epc:class:lgtin:4012345.012345.998877",
		"urn:epc:idpat:sgtin:4012345.012345.*",
		"urn:epc:id:sscc:0614141.1234567890",
		"urn:epc:id:sgln:0614141.12345.0",
		"urn:epc:id:sgln:0614141.12345.400",
		"urn:epc:id:grai:0614141.12345.400",
		"urn:epc:id:giai:0614141.12345400",
	}
	for _, urn := range urns {
		t.Run(urn, func(t *testing.T) {
			want, err := EPCToDigitalLink(urn, "")
			if err != nil {
				t.Fatalf("EPCToDigitalLink: %v", err)
			}
			got, ok := EPCURNToLink(urn)
			if !ok || got != want {
				t.Fatalf("EPCURNToLink(%q) = %q, %v; EPCToDigitalLink gives %q", urn, got, ok, want)
			}
			back, err := DigitalLinkToEPC(got, FixedPrefixLength(7))
			if err != nil {
				t.Fatalf("DigitalLinkToEPC: %v", err)
			}
			if u, ok := LinkToEPCURN(got, 7); !ok || u != back || u != urn {
				t.Errorf("LinkToEPCURN(%q, 7) = %q, %v; DigitalLinkToEPC gives %q, want %q", got, u, ok, back, urn)
			}
		})
	}
}

// TestConstrainedLink covers the CBV 2.0 constrained form: GS1's domain,
// no query, GTIN-14, the finest level only.
func TestConstrainedLink(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://example.com/shop/01/9506000134352/10/L1/21/S1?17=261231", "https://id.gs1.org/01/09506000134352/21/S1", true},
		{"http://example.com/gtin/950600013435/lot/L1", "https://id.gs1.org/01/00950600013435/10/L1", true},
		{"https://id.gs1.org/414/9521234000006/254/7", "https://id.gs1.org/414/9521234000006/254/7", true},
		{"https://example.com/about", "", false},
		{"urn:epc:id:sgtin:0614141.112345.400", "", false},
	}
	for _, tt := range tests {
		if got, ok := ConstrainedLink(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ConstrainedLink(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// BenchmarkEPCURNToLink is the capture hot path (the event hash of a
// SGTIN); BenchmarkEPCToDigitalLink the validating path for comparison.
func BenchmarkEPCURNToLink(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := EPCURNToLink("urn:epc:id:sgtin:0614141.112345.400"); !ok {
			b.Fatal("not translated")
		}
	}
}

func BenchmarkEPCToDigitalLink(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EPCToDigitalLink("urn:epc:id:sgtin:0614141.112345.400", ""); err != nil {
			b.Fatal(err)
		}
	}
}
