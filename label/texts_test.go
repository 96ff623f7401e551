package label

import (
	"strings"
	"testing"

	"tracegate/locale"
)

// TestTextsInCatalogs fails when a text the label view reads is missing
// from a catalog (the view's texts are read at init, so every key it uses
// has been asked for by now).
func TestTextsInCatalogs(t *testing.T) {
	if err := locale.Check(); err != nil {
		t.Fatal(err)
	}
	for _, tx := range viewTexts {
		for i, s := range tx.Items {
			if s == "" || strings.HasPrefix(s, "⟦") {
				t.Errorf("item %d label = %q", i+1, s)
			}
		}
		if len(tx.Steps) != len(stepKinds()) || len(tx.Notices) != 3 || len(tx.Suspicion) != 5 {
			t.Errorf("steps %d, notices %d, reasons %d", len(tx.Steps), len(tx.Notices), len(tx.Suspicion))
		}
	}
}
