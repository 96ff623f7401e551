package web

import (
	"net/http"
	"net/netip"
	"testing"

	"tracegate"
)

// TestSubscriptionDestinationsChecked: a subscription to loopback, private,
// link-local, unique-local, CGNAT, multicast, unspecified or metadata
// addresses is refused with 400 naming /dest, unless the operator's
// allow-list opens it (issue 11, finding 9; the deliverer checks again at
// connect time, webhook.TestDeliveryRefusesInternalAddresses).
func TestSubscriptionDestinationsChecked(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh := f.keys[tracegate.RoleWarehouse]
		if w := f.do("POST", "/epcis/queries", wh, "application/json", `{"name":"shipments","query":{"EQ_bizStep":["shipping"]}}`); w.Code != http.StatusCreated {
			t.Fatalf("create query = %d %s", w.Code, w.Body)
		}
		sub := func(dest string) string {
			return `{"dest":"` + dest + `","signatureToken":"0123456789abcdef0123","stream":true}`
		}
		for _, dest := range []string{"http://127.0.0.1:8080/internal-admin", "http://localhost/", "http://[::1]:9/", "http://10.0.0.8/",
			"http://172.31.0.1/", "http://192.168.0.1/", "http://100.100.100.200/", "http://169.254.169.254/latest/meta-data/",
			"http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://224.0.0.251/", "http://0.0.0.0/", "http://[::ffff:10.0.0.1]/"} {
			t.Run(dest, func(t *testing.T) {
				w := f.do("POST", "/epcis/queries/shipments/subscriptions", wh, "application/json", sub(dest))
				if w.Code != http.StatusBadRequest {
					t.Fatalf("subscribe %s = %d %s; want 400", dest, w.Code, w.Body)
				}
				checkProblem(t, w, http.StatusBadRequest, "/dest")
			})
		}
		if w := f.do("POST", "/epcis/queries/shipments/subscriptions", wh, "application/json", sub("https://203.0.113.10/hook")); w.Code != http.StatusCreated {
			t.Fatalf("subscribe to a public address = %d %s", w.Code, w.Body)
		}
		f.srv = New(Config{Store: s, Ledger: f.ledger.web, Labels: f.labels, WebhookAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
		if w := f.do("POST", "/epcis/queries/shipments/subscriptions", wh, "application/json", sub("http://127.0.0.1:8080/hook")); w.Code != http.StatusCreated {
			t.Fatalf("subscribe to allowed loopback = %d %s", w.Code, w.Body)
		}
	})
}
