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

// state is what a subscriber has received: the serials in order, the
// number of calls and of empty reports.
func (sb *subscriber) state() (string, int, int) {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return strings.Join(sb.serials, " "), sb.calls, sb.empty
}

func TestScheduledDelivery(t *testing.T) {
	stores(t, func(t *testing.T, s store, clock *storetest.FixedClock) {
		ctx := context.Background()
		ent := &tracegate.Enterprise{USCC: storetest.USCC(72), Name: "定时订阅方", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
		if err := s.CreateEnterprise(ctx, ent); err != nil {
			t.Fatal(err)
		}
		q := &epcis.NamedQuery{EnterpriseID: ent.ID, Name: "hourly", Params: url.Values{"EQ_bizStep": {"shipping"}}}
		if err := s.CreateNamedQuery(ctx, q); err != nil {
			t.Fatal(err)
		}
		// The clock starts at 08:00:00.123456 UTC. Both subscriptions run at
		// the top of each hour; only the first reports empty results.
		hourly := &epcis.Schedule{Second: "0", Minute: "0"}
		sb := &subscriber{token: "s3cret-token-hourly"}
		quiet := &subscriber{token: "s3cret-token-quiet"}
		for i, sub := range []struct {
			sb    *subscriber
			empty bool
		}{{sb, true}, {quiet, false}} {
			srv := httptest.NewServer(sub.sb)
			defer srv.Close()
			pos, _ := s.LastSeq(ctx, time.Time{})
			es := &epcis.Subscription{ID: []string{"sched-1", "sched-2"}[i], QueryID: q.ID, Dest: srv.URL, Token: sub.sb.token, Position: pos,
				Schedule: hourly, ReportIfEmpty: sub.empty}
			if err := s.CreateSubscription(ctx, es); err != nil {
				t.Fatal(err)
			}
			if want := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC); !es.NextAttempt.Equal(want) || es.Stream {
				t.Fatalf("CreateSubscription set NextAttempt %v, Stream %v; want the first query time %v, not a stream", es.NextAttempt, es.Stream, want)
			}
		}
		d := &webhook.Deliverer{Store: s, Clock: clock, Allow: loopback}
		run := func() {
			t.Helper()
			if _, err := d.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		check := func(sb *subscriber, when, serials string, calls, empty int) {
			t.Helper()
			if got, c, e := sb.state(); got != serials || c != calls || e != empty {
				t.Fatalf("%s: %s received %q in %d calls (%d empty); want %q in %d (%d empty)", when, sb.token, got, c, e, serials, calls, empty)
			}
		}

		capture(t, s, ent.ID, "shipping:A1", "receiving:A2", "shipping:A3")
		run()
		clock.Advance(59*time.Minute + 59*time.Second) // 08:59:59
		run()
		check(sb, "before the first query time", "", 0, 0)
		clock.Advance(time.Second) // 09:00:00
		run()
		check(sb, "at 09:00", "A1 A3", 1, 0)
		check(quiet, "at 09:00", "A1 A3", 1, 0)

		// 10:00: the subscriber fails twice; the retries (with backoff, not
		// at the next query time) send what is still undelivered.
		capture(t, s, ent.ID, "shipping:B1")
		clock.Advance(30 * time.Minute)
		run()
		check(sb, "between query times", "A1 A3", 1, 0)
		sb.mu.Lock()
		sb.failNext = 2
		sb.mu.Unlock()
		clock.Advance(30 * time.Minute) // 10:00
		run()
		capture(t, s, ent.ID, "shipping:B2") // after the failed attempt
		for range 2 {
			clock.Advance(5 * time.Second)
			run()
		}
		check(sb, "after two failures and a retry", "A1 A3 B1 B2", 4, 0)
		check(quiet, "at 10:00", "A1 A3 B1", 2, 0)

		// 11:00: nothing new; only the reportIfEmpty subscription is told.
		clock.Advance(time.Hour - 10*time.Second)
		run()
		check(sb, "at 11:00", "A1 A3 B1 B2", 5, 1)
		check(quiet, "at 11:00", "A1 A3 B1 B2", 3, 0)

		// Down from 11:00 to 14:30: the missed query times make one delivery
		// by a new deliverer, in batches, of everything since the last one.
		capture(t, s, ent.ID, "shipping:C1", "shipping:C2", "shipping:C3")
		clock.Advance(3*time.Hour + 30*time.Minute)
		d = &webhook.Deliverer{Store: s, Clock: clock, Allow: loopback, Batch: 2}
		run()
		check(sb, "after a restart", "A1 A3 B1 B2 C1 C2 C3", 7, 1)
		check(quiet, "after a restart", "A1 A3 B1 B2 C1 C2 C3", 5, 0)
		clock.Advance(time.Second)
		run()
		check(sb, "just after", "A1 A3 B1 B2 C1 C2 C3", 7, 1)
		subs, err := s.ListSubscriptions(ctx, q.ID)
		if err != nil || len(subs) != 2 {
			t.Fatalf("ListSubscriptions() = %v, %v", subs, err)
		}
		for _, sub := range subs {
			if want := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC); !sub.NextAttempt.Equal(want) || sub.Schedule == nil ||
				*sub.Schedule != *hourly || sub.Attempts != 0 || sub.ReportIfEmpty != (sub.ID == "sched-1") {
				t.Fatalf("subscription %s after the restart = %+v (schedule %+v); want the next query time %v", sub.ID, sub, sub.Schedule, want)
			}
		}
	})
}
