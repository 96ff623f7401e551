package web

import (
	"encoding/json"
	"net/http"
	"testing"

	"tracegate"
	"tracegate/label"
)

// TestScanNamesRegisteredParties: items 11–13 and 21 name the enterprises
// registered under the declaration's confirmed codes (issue 19: the
// story and its enterprises are one world), for anonymous consumers too;
// a code nobody registered keeps the name the declaration gave.
func TestScanNamesRegisteredParties(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		codes := f.boundLabels(t, "9421902960031", 1, true)
		w := f.scanFrom("/l/"+codes[0], "198.51.100.7:1", "application/json")
		var v label.ScanView
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &v) != nil {
			t.Fatalf("scan = %d %s", w.Code, w.Body)
		}
		// The declaration names 4401960001 (the fixture's e-commerce
		// enterprise) as its ebc; its platform and logistics codes were
		// re-keyed to codes nobody registered.
		if got, want := v.Items[11].Value, f.ents[tracegate.RoleEcommerce].Name; got != want {
			t.Errorf("item 12 (e-commerce enterprise) = %q, want the registered %q", got, want)
		}
		if got := v.Items[10].Value; got == "" || got == f.ents[tracegate.RolePlatform].Name {
			t.Errorf("item 11 (platform) = %q, want the declared name of an unregistered code", got)
		}
	})
}
