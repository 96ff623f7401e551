package webhook_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/store/storetest"
	"tracegate/webhook"
)

// TestDeliveryFollowsVisibility: a subscription delivers only what its
// enterprise may see (docs/security-epcis.md); an enterprise that names
// another's item in an event of its own is not sent the other's events.
func TestDeliveryFollowsVisibility(t *testing.T) {
	stores(t, func(t *testing.T, s store, clock *storetest.FixedClock) {
		ctx := context.Background()
		owner := &tracegate.Enterprise{USCC: storetest.USCC(73), Name: "货主", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
		lab := &tracegate.Enterprise{USCC: storetest.USCC(74), Name: "检测机构", Roles: []tracegate.Role{tracegate.RoleLab}}
		for _, e := range []*tracegate.Enterprise{owner, lab} {
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		q := &epcis.NamedQuery{EnterpriseID: lab.ID, Name: "shipments", Params: url.Values{"EQ_bizStep": {"shipping"}}}
		if err := s.CreateNamedQuery(ctx, q); err != nil {
			t.Fatal(err)
		}
		sb := &subscriber{token: "lab-token"}
		srv := httptest.NewServer(sb)
		defer srv.Close()
		pos, _ := s.LastSeq(ctx, time.Time{})
		if err := s.CreateSubscription(ctx, &epcis.Subscription{ID: "sub-lab", QueryID: q.ID, Dest: srv.URL, Token: sb.token, Position: pos}); err != nil {
			t.Fatal(err)
		}
		capture(t, s, owner.ID, "shipping:V1")
		capture(t, s, lab.ID, "receiving:V1", "shipping:L1")
		d := &webhook.Deliverer{Store: s, Clock: clock, Allow: loopback}
		for range 3 {
			if _, err := d.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
		}
		sb.mu.Lock()
		got := strings.Join(sb.serials, " ")
		sb.mu.Unlock()
		if got != "L1" {
			t.Fatalf("the lab's subscription delivered %q, want only its own L1", got)
		}
	})
}
