package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
	"tracegate/webhook"
)

type store interface {
	webhook.Store
	epcis.Store
	CreateEnterprise(ctx context.Context, e *tracegate.Enterprise) error
}

func stores(t *testing.T, fn func(t *testing.T, s store, clock *storetest.FixedClock)) {
	t.Run("sqlite", func(t *testing.T) {
		clock := storetest.NewClock()
		s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "w.db"), Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fn(t, s, clock)
	})
	t.Run("postgres", func(t *testing.T) {
		clock := storetest.NewClock()
		fn(t, storetest.OpenPostgres(t, clock), clock)
	})
}

// subscriber is a webhook endpoint that fails its first failFirst calls.
type subscriber struct {
	mu        sync.Mutex
	failFirst int
	failNext  int // fail this many more calls
	calls     int
	token     string
	serials   []string
	badSig    int
	empty     int // 2xx answers to reports without events
}

func (sb *subscriber) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.calls++
	if sb.calls <= sb.failFirst || sb.failNext > 0 {
		sb.failNext = max(sb.failNext-1, 0)
		http.Error(w, "not now", http.StatusServiceUnavailable)
		return
	}
	if r.Header.Get("GS1-Signature") != webhook.Sign(sb.token, body) {
		sb.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var doc struct {
		EpcisBody struct {
			QueryResults struct {
				SubscriptionID string
				ResultsBody    struct{ EventList []struct{ EpcList []string } }
			}
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.EpcisBody.QueryResults.SubscriptionID == "" {
		http.Error(w, "not a query document", http.StatusBadRequest)
		return
	}
	if len(doc.EpcisBody.QueryResults.ResultsBody.EventList) == 0 {
		sb.empty++
	}
	for _, e := range doc.EpcisBody.QueryResults.ResultsBody.EventList {
		sb.serials = append(sb.serials, e.EpcList[0][strings.LastIndex(e.EpcList[0], "/")+1:])
	}
	w.WriteHeader(http.StatusNoContent)
}

func capture(t *testing.T, s store, ent int64, steps ...string) {
	t.Helper()
	var evs []string
	for _, st := range steps {
		step, serial, _ := strings.Cut(st, ":")
		evs = append(evs, fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"2026-11-20T10:00:00+08:00","eventTimeZoneOffset":"+08:00","epcList":["https://id.gs1.org/01/09506000134352/21/%s"],"action":"OBSERVE","bizStep":"%s"}`, serial, step))
	}
	doc := []byte(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[` + strings.Join(evs, ",") + `]}}`)
	if _, err := epcis.Capture(context.Background(), s, epcis.CaptureRequest{EnterpriseID: ent, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true}); err != nil {
		t.Fatal(err)
	}
}

func TestDeliveryRetriesResumesAndNeverSkips(t *testing.T) {
	stores(t, func(t *testing.T, s store, clock *storetest.FixedClock) {
		ctx := context.Background()
		ent := &tracegate.Enterprise{USCC: storetest.USCC(71), Name: "订阅方", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
		if err := s.CreateEnterprise(ctx, ent); err != nil {
			t.Fatal(err)
		}
		capture(t, s, ent.ID, "shipping:OLD1") // before the subscription: not delivered
		q := &epcis.NamedQuery{EnterpriseID: ent.ID, Name: "shipments", Params: url.Values{"EQ_bizStep": {"shipping"}}}
		if err := s.CreateNamedQuery(ctx, q); err != nil {
			t.Fatal(err)
		}
		sb := &subscriber{failFirst: 2, token: "s3cret-token"}
		srv := httptest.NewServer(sb)
		defer srv.Close()
		pos, _ := s.LastSeq(ctx, time.Time{})
		sub := &epcis.Subscription{ID: "sub-1", QueryID: q.ID, Dest: srv.URL, Token: sb.token, Position: pos}
		if err := s.CreateSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
		capture(t, s, ent.ID, "shipping:A1", "receiving:A2", "shipping:A3", "shipping:A4")

		run := func(d *webhook.Deliverer, rounds int) {
			for range rounds {
				if _, err := d.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
				clock.Advance(time.Minute) // past any backoff
			}
		}
		d := &webhook.Deliverer{Store: s, Clock: clock, Allow: loopback, Batch: 2}
		run(d, 6)
		sb.mu.Lock()
		got := strings.Join(sb.serials, " ")
		calls, bad := sb.calls, sb.badSig
		sb.mu.Unlock()
		if got != "A1 A3 A4" || bad != 0 || calls < 4 {
			t.Fatalf("delivered %q in %d calls (%d bad signatures); want A1 A3 A4 after two failures", got, calls, bad)
		}
		subs, _ := s.ListSubscriptions(ctx, q.ID)
		if len(subs) != 1 || subs[0].Attempts != 0 || subs[0].LastNotified == nil {
			t.Fatalf("subscription after delivery = %+v", subs[0])
		}

		// A restart: a new deliverer continues from the stored position.
		capture(t, s, ent.ID, "shipping:B1", "shipping:B2")
		d2 := &webhook.Deliverer{Store: s, Clock: clock, Allow: loopback}
		run(d2, 2)
		sb.mu.Lock()
		got = strings.Join(sb.serials, " ")
		sb.mu.Unlock()
		if got != "A1 A3 A4 B1 B2" {
			t.Fatalf("after a restart delivered %q; want each event once, in order", got)
		}
		if err := s.DeleteSubscription(ctx, q.ID, "sub-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteNamedQuery(ctx, ent.ID, "shipments"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindNamedQuery(ctx, ent.ID, "shipments"); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
			t.Fatalf("deleted query still found: %v", err)
		}
	})
}
