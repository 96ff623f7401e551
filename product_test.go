package tracegate_test

import (
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

func TestProductValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(p *tracegate.Product)
		ptr  string
	}{
		{"ok GTIN-13", func(p *tracegate.Product) {}, ""},
		{"bad check digit", func(p *tracegate.Product) { p.GTIN = "9421902960032" }, "/gtin"},
		{"hs too short", func(p *tracegate.Product) { p.HSCode = "1901" }, "/hsCode"},
		{"hs dotted ok", func(p *tracegate.Product) { p.HSCode = "1901.10.10.00" }, ""},
		{"origin name", func(p *tracegate.Product) { p.OriginCountry = "New Zealand" }, "/originCountry"},
		{"no brand", func(p *tracegate.Product) { p.Brand = " " }, "/brand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := storetest.Product(1, "9421902960031")
			tt.mod(p)
			err := p.Validate()
			if tt.ptr == "" && err != nil || tt.ptr != "" && (tracegate.ErrorCode(err) != tracegate.EINVALID || err.(*tracegate.Error).Pointer != tt.ptr) {
				t.Fatalf("Validate() = %v, want pointer %q", err, tt.ptr)
			}
		})
	}
}
