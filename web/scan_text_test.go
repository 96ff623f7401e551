package web

import (
	"reflect"
	"strings"
	"testing"

	"tracegate/locale"
)

// TestScanTextsInCatalogs fails when a text of the scan page is missing
// from a catalog or empty (the texts are read at init).
func TestScanTextsInCatalogs(t *testing.T) {
	if err := locale.Check(); err != nil {
		t.Fatal(err)
	}
	for _, tx := range []*scanText{&zhScanText, &enScanText} {
		v := reflect.ValueOf(tx).Elem()
		for i := range v.NumField() {
			if s, ok := v.Field(i).Interface().(string); ok && (s == "" || strings.HasPrefix(s, "⟦")) {
				t.Errorf("%s = %q", v.Type().Field(i).Name, s)
			}
		}
		if got := tx.ScanCount(3); !strings.HasPrefix(got, "3") || len(got) < 3 {
			t.Errorf("ScanCount(3) = %q", got)
		}
	}
	if zhScanText.ScanCount(3) != "3 次（含本次）" || enScanText.Categories[1] != "Suspected counterfeit" {
		t.Errorf("zh %q, en %q", zhScanText.ScanCount(3), enScanText.Categories[1])
	}
}
