package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tracegate"
)

// TestNotificationWebhooks: an enterprise registers, lists and deletes its
// notification webhooks; bad input is a problem pointing at the field and
// stores nothing; internal addresses are refused; another enterprise
// neither sees nor deletes them.
func TestNotificationWebhooks(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		ec, wh := f.keys[tracegate.RoleEcommerce], f.keys[tracegate.RoleWarehouse]
		body := func(url, secret string) string { return `{"url":"` + url + `","secret":"` + secret + `"}` }
		bad := []struct {
			name, body, pointer string
		}{
			{"not a URL", body("ftp://erp.example/hook", "0123456789abcdef"), "/url"},
			{"no host", body("https://", "0123456789abcdef"), "/url"},
			{"loopback", body("http://127.0.0.1:8080/admin", "0123456789abcdef"), "/url"},
			{"metadata", body("http://169.254.169.254/latest/meta-data/", "0123456789abcdef"), "/url"},
			{"private", body("http://10.1.2.3/", "0123456789abcdef"), "/url"},
			{"short secret", body("https://203.0.113.10/hook", "short"), "/secret"},
			{"unknown field", `{"url":"https://203.0.113.10/hook","secret":"0123456789abcdef","extra":1}`, ""},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				w := f.do("POST", "/api/notifications/webhooks", ec, "application/json", tt.body)
				checkProblem(t, w, http.StatusBadRequest, tt.pointer)
			})
		}
		if w := f.do("GET", "/api/notifications/webhooks", ec, "", ""); w.Code != 200 || strings.TrimSpace(w.Body.String()) != "[]" {
			t.Fatalf("after refusals, list = %d %s; want an empty list", w.Code, w.Body)
		}

		w := f.do("POST", "/api/notifications/webhooks", ec, "application/json", body("https://203.0.113.10/hook", "a-secret-of-enough-length"))
		if w.Code != http.StatusCreated {
			t.Fatalf("register = %d %s", w.Code, w.Body)
		}
		var created map[string]any
		json.Unmarshal(w.Body.Bytes(), &created)
		id, _ := created["id"].(string)
		if id == "" || created["url"] != "https://203.0.113.10/hook" || w.Header().Get("Location") != "/api/notifications/webhooks/"+id {
			t.Errorf("register answered %s with Location %q", w.Body, w.Header().Get("Location"))
		}
		if strings.Contains(w.Body.String(), "a-secret-of-enough-length") {
			t.Error("the answer shows the secret")
		}
		w = f.do("GET", "/api/notifications/webhooks", ec, "", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), id) || strings.Contains(w.Body.String(), "a-secret") {
			t.Fatalf("list = %d %s; want the webhook without its secret", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/notifications/webhooks", wh, "", ""); strings.Contains(w.Body.String(), id) {
			t.Errorf("another enterprise lists the webhook: %s", w.Body)
		}
		if w := f.do("DELETE", "/api/notifications/webhooks/"+id, wh, "", ""); w.Code != http.StatusNotFound {
			t.Errorf("another enterprise's delete = %d, want 404", w.Code)
		}
		for i := 1; i < maxNotificationWebhooks; i++ {
			if w := f.do("POST", "/api/notifications/webhooks", ec, "application/json", body("https://203.0.113.10/hook", "a-secret-of-enough-length")); w.Code != http.StatusCreated {
				t.Fatalf("register %d = %d %s", i, w.Code, w.Body)
			}
		}
		checkProblem(t, f.do("POST", "/api/notifications/webhooks", ec, "application/json", body("https://203.0.113.10/hook", "a-secret-of-enough-length")), http.StatusConflict, "")
		if w := f.do("DELETE", "/api/notifications/webhooks/"+id, ec, "", ""); w.Code != http.StatusNoContent {
			t.Fatalf("delete = %d %s", w.Code, w.Body)
		}
		if w := f.do("DELETE", "/api/notifications/webhooks/"+id, ec, "", ""); w.Code != http.StatusNotFound {
			t.Errorf("delete again = %d, want 404", w.Code)
		}
	})
}
