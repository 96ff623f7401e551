package webhook_test

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/store/storetest"
	"tracegate/webhook"
)

// loopback is the allow-list the delivery tests need for httptest servers.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// fakeResolver answers every name with its addresses.
type fakeResolver []netip.Addr

func (f fakeResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return f, nil
}

func TestGuardCheckURL(t *testing.T) {
	public := fakeResolver{netip.MustParseAddr("93.184.215.14")}
	internal := fakeResolver{netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("10.1.2.3")}
	for _, tc := range []struct {
		name, dest string
		guard      webhook.Guard
		ok         bool
	}{
		{"public name", "https://erp.example.com/hook", webhook.Guard{Resolver: public}, true},
		{"public address", "https://93.184.215.14/hook", webhook.Guard{}, true},
		{"public IPv6", "https://[2001:4860:4860::8888]/hook", webhook.Guard{}, true},
		{"loopback", "http://127.0.0.1:8080/internal-admin", webhook.Guard{}, false},
		{"loopback elsewhere in 127/8", "http://127.1.2.3/", webhook.Guard{}, false},
		{"IPv6 loopback", "http://[::1]/", webhook.Guard{}, false},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/", webhook.Guard{}, false},
		{"localhost", "http://localhost:9000/", webhook.Guard{}, false},
		{"a name under localhost", "http://admin.localhost/", webhook.Guard{}, false},
		{"private 10/8", "http://10.0.0.5/", webhook.Guard{}, false},
		{"private 172.16/12", "http://172.20.1.1/", webhook.Guard{}, false},
		{"private 192.168/16", "http://192.168.1.1/", webhook.Guard{}, false},
		{"CGNAT", "http://100.64.0.1/", webhook.Guard{}, false},
		{"metadata", "http://169.254.169.254/latest/meta-data/", webhook.Guard{}, false},
		{"IPv6 metadata", "http://[fd00:ec2::254]/", webhook.Guard{}, false},
		{"link-local IPv6", "http://[fe80::1%25eth0]/", webhook.Guard{}, false},
		{"unique-local", "http://[fd12:3456::1]/", webhook.Guard{}, false},
		{"multicast", "http://224.0.0.1/", webhook.Guard{}, false},
		{"unspecified", "http://0.0.0.0:8080/", webhook.Guard{}, false},
		{"IPv6 unspecified", "http://[::]/", webhook.Guard{}, false},
		{"broadcast", "http://255.255.255.255/", webhook.Guard{}, false},
		{"NAT64 of a private address", "http://[64:ff9b::a00:1]/", webhook.Guard{}, false},
		{"6to4 of loopback", "http://[2002:7f00:1::1]/", webhook.Guard{}, false},
		{"a name resolving inside", "https://erp.example.com/hook", webhook.Guard{Resolver: internal}, false},
		{"not http", "ftp://erp.example.com/", webhook.Guard{}, false},
		{"allowed loopback", "http://127.0.0.1:8080/hook", webhook.Guard{Allow: loopback}, true},
		{"allowed localhost", "http://localhost:8080/hook", webhook.Guard{Allow: loopback}, true},
		{"the allow-list opens only its prefix", "http://10.0.0.5/", webhook.Guard{Allow: loopback}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.dest)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.guard.CheckURL(context.Background(), u); (err == nil) != tc.ok {
				t.Fatalf("CheckURL(%s) = %v; want ok %v", tc.dest, err, tc.ok)
			}
		})
	}
}

func TestParseAllowList(t *testing.T) {
	got, err := webhook.ParseAllowList("127.0.0.0/8, 10.1.2.3,fd00::/8")
	if err != nil || len(got) != 3 || got[1].String() != "10.1.2.3/32" {
		t.Fatalf("ParseAllowList() = %v, %v", got, err)
	}
	if _, err := webhook.ParseAllowList("10.0.0.0/33"); err == nil {
		t.Fatal("ParseAllowList(10.0.0.0/33) = nil error")
	}
}

// TestDeliveryRefusesInternalAddresses: a subscription to an internal
// address (here stored directly, as a name that resolved elsewhere when it
// was made would be: DNS rebinding) is refused when connecting, and is
// delivered once the operator allows loopback (issue 11, finding 9).
func TestDeliveryRefusesInternalAddresses(t *testing.T) {
	stores(t, func(t *testing.T, s store, clock *storetest.FixedClock) {
		ctx := context.Background()
		ent := &tracegate.Enterprise{USCC: storetest.USCC(72), Name: "订阅方", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
		if err := s.CreateEnterprise(ctx, ent); err != nil {
			t.Fatal(err)
		}
		q := &epcis.NamedQuery{EnterpriseID: ent.ID, Name: "shipments", Params: url.Values{"EQ_bizStep": {"shipping"}}}
		if err := s.CreateNamedQuery(ctx, q); err != nil {
			t.Fatal(err)
		}
		sb := &subscriber{token: "s3cret-token-0123"}
		srv := httptest.NewServer(sb)
		defer srv.Close()
		dest := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) // a name, resolved when connecting
		pos, _ := s.LastSeq(ctx, time.Time{})
		if err := s.CreateSubscription(ctx, &epcis.Subscription{ID: "sub-ssrf", QueryID: q.ID, Dest: dest, Token: sb.token, Position: pos}); err != nil {
			t.Fatal(err)
		}
		capture(t, s, ent.ID, "shipping:S1")
		if _, err := (&webhook.Deliverer{Store: s, Clock: clock}).RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		sb.mu.Lock()
		calls := sb.calls
		sb.mu.Unlock()
		subs, _ := s.ListSubscriptions(ctx, q.ID)
		if calls != 0 || len(subs) != 1 || subs[0].Attempts != 1 || !strings.Contains(subs[0].LastError, "loopback") {
			t.Fatalf("delivery to %s: %d calls, subscription %+v; want none, and a failure naming loopback", dest, calls, subs)
		}
		clock.Advance(time.Hour)
		if n, err := (&webhook.Deliverer{Store: s, Clock: clock, Allow: loopback}).RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("delivery with loopback allowed = %d, %v; want 1", n, err)
		}
	})
}
