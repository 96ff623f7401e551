package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"tracegate"
	"tracegate/bus"
	"tracegate/store/storetest"
	"tracegate/webhook"
)

type notifyStore interface {
	webhook.NotificationStore
	CreateEnterprise(ctx context.Context, e *tracegate.Enterprise) error
	FindEnterpriseByUSCC(ctx context.Context, code string) (*tracegate.Enterprise, error)
}

// endpoint is an enterprise's notification receiver that checks each
// signature and can be told to fail.
type endpoint struct {
	mu       sync.Mutex
	secret   string
	fail     int // answer 503 to this many more calls
	calls    int
	badSig   int
	received []map[string]any
	ids      []string
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls++
	if r.Header.Get("GS1-Signature") != webhook.Sign(e.secret, body) {
		e.badSig++
	}
	if e.fail > 0 {
		e.fail--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var m map[string]any
	json.Unmarshal(body, &m)
	e.received = append(e.received, m)
	e.ids = append(e.ids, r.Header.Get("Tracegate-Message-Id"))
	w.WriteHeader(http.StatusNoContent)
}

func (e *endpoint) got() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.ids...)
}

// fixedRecipients notifies a fixed list, or fails.
type fixedRecipients struct {
	ids []int64
	err error
}

func (f fixedRecipients) Recipients(ctx context.Context, m bus.Message) ([]int64, error) {
	return f.ids, f.err
}

func TestNotifier(t *testing.T) {
	stores(t, func(t *testing.T, st store, clock *storetest.FixedClock) {
		s := st.(notifyStore)
		ctx := context.Background()
		owner := &tracegate.Enterprise{USCC: storetest.USCC(901), Name: "召回企业", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		holder := &tracegate.Enterprise{USCC: storetest.USCC(902), Name: "持货企业", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
		for _, e := range []*tracegate.Enterprise{owner, holder} {
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		ep := &endpoint{secret: "owner-secret-0123456789"}
		srv := httptest.NewServer(ep)
		defer srv.Close()
		if err := s.CreateNotificationWebhook(ctx, &webhook.NotificationWebhook{ID: "wh1", EnterpriseID: owner.ID, URL: srv.URL + "/hook", Secret: ep.secret}); err != nil {
			t.Fatal(err)
		}
		b := bus.NewMemory()
		defer b.Close()
		n := &webhook.Notifier{Store: s, Bus: b, Recipients: webhook.OwnerRecipients{Enterprises: s},
			Delivery: &webhook.Deliverer{Clock: clock, Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}}
		measure := func(id string, owner string) bus.Message {
			return bus.Message{ID: id, Subject: "tracegate.measure.recall.ordered", At: clock.Now(),
				Payload: json.RawMessage(`{"id":"M1","kind":"recall","owner":"` + owner + `","selector":{"gtin":"06901234567892"}}`)}
		}

		// Through the bus: the durable subscriber addresses it to the owner.
		unsub, err := n.Subscribe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Publish(ctx, measure("msg-1", owner.USCC)); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for len(ep.got()) == 0 && time.Now().Before(deadline) {
			if _, err := n.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		unsub()
		if got := ep.got(); len(got) != 1 || got[0] != "msg-1" {
			t.Fatalf("the owner's webhook received %v, want [msg-1]", got)
		}
		ep.mu.Lock()
		body := ep.received[0]
		ep.mu.Unlock()
		if body["id"] != "msg-1" || body["subject"] != "tracegate.measure.recall.ordered" || body["payload"].(map[string]any)["owner"] != owner.USCC {
			t.Errorf("delivered %v, want the message's id, subject and the measure as payload", body)
		}

		// The bus delivering the message again changes nothing.
		if err := n.Handle(ctx, measure("msg-1", owner.USCC)); err != nil {
			t.Fatal(err)
		}
		if _, err := n.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if got := ep.got(); len(got) != 1 {
			t.Errorf("a redelivered message was sent again: %v", got)
		}

		// A failing endpoint is retried with backoff, in order, at least once.
		ep.mu.Lock()
		ep.fail = 1
		ep.mu.Unlock()
		for _, id := range []string{"msg-2", "msg-3"} {
			if err := n.Handle(ctx, measure(id, owner.USCC)); err != nil {
				t.Fatal(err)
			}
		}
		if k, err := n.RunOnce(ctx); k != 0 || err != nil {
			t.Fatalf("RunOnce against a failing endpoint = %d, %v; want 0, nil", k, err)
		}
		list, _ := s.ListNotificationWebhooks(ctx, owner.ID)
		if list[0].Attempts != 1 || list[0].LastError == "" {
			t.Errorf("after a failure the webhook is %+v, want 1 attempt and the error", list[0])
		}
		if k, _ := n.RunOnce(ctx); k != 0 {
			t.Errorf("delivered %d before the backoff elapsed", k)
		}
		clock.Advance(3 * time.Second)
		if k, err := n.RunOnce(ctx); k != 2 || err != nil {
			t.Fatalf("RunOnce after the backoff = %d, %v; want 2, nil", k, err)
		}
		if got := ep.got(); len(got) != 3 || got[1] != "msg-2" || got[2] != "msg-3" {
			t.Errorf("received %v, want msg-1, msg-2, msg-3", got)
		}
		ep.mu.Lock()
		if ep.badSig != 0 {
			t.Errorf("%d deliveries had a wrong GS1-Signature", ep.badSig)
		}
		ep.mu.Unlock()

		// An owner that is not registered has no recipient; an unknown
		// recipient set is an error, so the bus redelivers.
		if err := n.Handle(ctx, measure("msg-4", storetest.USCC(999))); err != nil {
			t.Errorf("Handle for an unregistered owner = %v, want nil", err)
		}
		n.Recipients = fixedRecipients{err: errors.New("scope engine down")}
		if err := n.Handle(ctx, measure("msg-5", owner.USCC)); err == nil {
			t.Error("Handle with failing recipients = nil, want an error")
		}
		// The scope engine's recipients: the owner and a holder.
		n.Recipients = fixedRecipients{ids: []int64{owner.ID, holder.ID}}
		if err := n.Handle(ctx, measure("msg-6", owner.USCC)); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.NotificationsAfter(ctx, holder.ID, 0, 10); len(hs) != 1 || hs[0].MsgID != "msg-6" {
			t.Errorf("the holder's notifications = %v, want msg-6", hs)
		}
		if _, err := n.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if got := ep.got(); len(got) != 4 || got[3] != "msg-6" {
			t.Errorf("received %v, want msg-6 last", got)
		}
	})
}

func TestNotifierRefusesInternalAddresses(t *testing.T) {
	stores(t, func(t *testing.T, st store, clock *storetest.FixedClock) {
		s := st.(notifyStore)
		ctx := context.Background()
		owner := &tracegate.Enterprise{USCC: storetest.USCC(903), Name: "企业", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		if err := s.CreateEnterprise(ctx, owner); err != nil {
			t.Fatal(err)
		}
		ep := &endpoint{secret: "0123456789abcdef"}
		srv := httptest.NewServer(ep)
		defer srv.Close()
		if err := s.CreateNotificationWebhook(ctx, &webhook.NotificationWebhook{ID: "wh", EnterpriseID: owner.ID, URL: srv.URL, Secret: ep.secret}); err != nil {
			t.Fatal(err)
		}
		n := &webhook.Notifier{Store: s, Bus: bus.NewMemory(), Recipients: webhook.OwnerRecipients{Enterprises: s}, Delivery: &webhook.Deliverer{Clock: clock}}
		if err := n.Handle(ctx, bus.Message{ID: "m", Subject: "tracegate.measure.stop_sale.ordered", Payload: []byte(`{"owner":"` + owner.USCC + `"}`)}); err != nil {
			t.Fatal(err)
		}
		if k, err := n.RunOnce(ctx); k != 0 || err != nil {
			t.Fatalf("RunOnce to a loopback endpoint without --webhook-allow = %d, %v; want 0, nil", k, err)
		}
		ep.mu.Lock()
		if ep.calls != 0 {
			t.Errorf("the guard let %d calls through to loopback", ep.calls)
		}
		ep.mu.Unlock()
		list, _ := s.ListNotificationWebhooks(ctx, owner.ID)
		if list[0].LastError == "" {
			t.Error("the refused delivery left no error on the webhook")
		}
	})
}
