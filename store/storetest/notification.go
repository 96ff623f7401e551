package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tracegate"
	"tracegate/webhook"
)

// testNotifications checks the notification webhooks' store: positions,
// one notification per enterprise and message, leases, retries.
func testNotifications(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := NewClock()
	st := open(t, clock)
	s, ok := st.(webhook.NotificationStore)
	if !ok {
		t.Fatalf("%T does not implement webhook.NotificationStore", st)
	}
	var ents [2]*tracegate.Enterprise
	for i := range ents {
		ents[i] = &tracegate.Enterprise{USCC: USCC(800 + i), Name: fmt.Sprintf("通知企业%d", i), Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		if err := st.CreateEnterprise(ctx, ents[i]); err != nil {
			t.Fatal(err)
		}
	}
	a, b := ents[0].ID, ents[1].ID
	note := func(id string) *webhook.Notification {
		return &webhook.Notification{MsgID: id, Subject: "tracegate.measure.recall.ordered", Payload: []byte(`{"id":"` + id + `"}`), CreatedAt: clock.Now()}
	}
	if err := s.AddNotification(ctx, note("before"), []int64{a}); err != nil {
		t.Fatal(err)
	}
	w := &webhook.NotificationWebhook{ID: "wh-a", EnterpriseID: a, URL: "https://erp.example/hook", Secret: "0123456789abcdef"}
	if err := s.CreateNotificationWebhook(ctx, w); err != nil {
		t.Fatal(err)
	}
	if w.Position == 0 || !w.CreatedAt.Equal(clock.Now()) {
		t.Fatalf("CreateNotificationWebhook set position %d, created %v; want the newest notification's seq and the write's time", w.Position, w.CreatedAt)
	}
	if err := s.CreateNotificationWebhook(ctx, &webhook.NotificationWebhook{ID: "wh-b", EnterpriseID: b, URL: "https://b.example/", Secret: "fedcba9876543210"}); err != nil {
		t.Fatal(err)
	}

	// One notification per enterprise and message, however often added.
	for range 2 {
		if err := s.AddNotification(ctx, note("m1"), []int64{a, b}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddNotification(ctx, note("m2"), []int64{a}); err != nil {
		t.Fatal(err)
	}
	got, err := s.NotificationsAfter(ctx, a, w.Position, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].MsgID != "m1" || got[1].MsgID != "m2" || got[0].Seq >= got[1].Seq {
		t.Fatalf("NotificationsAfter(a) = %d notifications, want m1 then m2", len(got))
	}
	if got[0].Subject != "tracegate.measure.recall.ordered" || string(got[0].Payload) != `{"id":"m1"}` || !got[0].CreatedAt.Equal(clock.Now()) || got[0].EnterpriseID != a {
		t.Errorf("notification = %+v, want the subject, payload, time and enterprise as added", got[0])
	}
	if gb, _ := s.NotificationsAfter(ctx, b, 0, 10); len(gb) != 1 {
		t.Errorf("enterprise b has %d notifications, want 1", len(gb))
	}
	if one, _ := s.NotificationsAfter(ctx, a, w.Position, 1); len(one) != 1 {
		t.Errorf("NotificationsAfter with limit 1 returned %d", len(one))
	}

	// Leases: a due webhook is handed to one caller until released.
	due, err := s.DueNotificationWebhooks(ctx, clock.Now(), time.Minute, 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("DueNotificationWebhooks = %d, %v; want both webhooks", len(due), err)
	}
	if again, _ := s.DueNotificationWebhooks(ctx, clock.Now(), time.Minute, 10); len(again) != 0 {
		t.Fatalf("a leased webhook was handed out again: %d", len(again))
	}
	if err := s.NotificationWebhookFailed(ctx, "wh-a", clock.Now().Add(10*time.Second), "the subscriber answered 500"); err != nil {
		t.Fatal(err)
	}
	if err := s.NotificationWebhookDelivered(ctx, "wh-b", gotSeq(t, s, b), clock.Now(), clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListNotificationWebhooks(ctx, a)
	if err != nil || len(list) != 1 {
		t.Fatalf("ListNotificationWebhooks(a) = %d, %v", len(list), err)
	}
	if l := list[0]; l.Attempts != 1 || l.LastError != "the subscriber answered 500" || !l.NextAttempt.Equal(clock.Now().Add(10*time.Second)) || l.Secret != w.Secret || l.URL != w.URL {
		t.Errorf("after a failure: %+v, want 1 attempt, the reason, the retry time", l)
	}
	// A webhook backing off is not hurried by a new notification; an idle
	// one is due at once.
	clock.Advance(time.Second)
	if err := s.AddNotification(ctx, note("m3"), []int64{a, b}); err != nil {
		t.Fatal(err)
	}
	due, _ = s.DueNotificationWebhooks(ctx, clock.Now(), time.Minute, 10)
	if len(due) != 1 || due[0].ID != "wh-b" {
		t.Fatalf("after a new notification, due = %v, want only the idle wh-b", due)
	}
	// Recording a position behind the newest notification (one added while
	// the batch was out) leaves the webhook due at once.
	if err := s.NotificationWebhookDelivered(ctx, "wh-b", due[0].Position, clock.Now(), clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if due, _ = s.DueNotificationWebhooks(ctx, clock.Now(), time.Minute, 10); len(due) != 1 || due[0].ID != "wh-b" {
		t.Fatalf("with a notification undelivered, due = %v, want wh-b again", due)
	}
	if err := s.NotificationWebhookDelivered(ctx, "wh-b", gotSeq(t, s, b), clock.Now(), clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)
	due, _ = s.DueNotificationWebhooks(ctx, clock.Now(), time.Minute, 10)
	if len(due) != 1 || due[0].ID != "wh-a" {
		t.Fatalf("after the backoff, due = %v, want wh-a", due)
	}
	if err := s.NotificationWebhookDelivered(ctx, "wh-a", got[1].Seq, clock.Now(), clock.Now()); err != nil {
		t.Fatal(err)
	}
	list, _ = s.ListNotificationWebhooks(ctx, a)
	if l := list[0]; l.Position != got[1].Seq || l.Attempts != 0 || l.LastError != "" || l.LastNotified == nil || !l.LastNotified.Equal(clock.Now()) {
		t.Errorf("after a delivery: %+v, want the position, no attempts or error, last notified now", l)
	}
	// A position never goes back.
	if err := s.NotificationWebhookDelivered(ctx, "wh-a", 1, clock.Now(), clock.Now()); err != nil {
		t.Fatal(err)
	}
	if list, _ = s.ListNotificationWebhooks(ctx, a); list[0].Position != got[1].Seq {
		t.Errorf("the position went back to %d", list[0].Position)
	}

	// Pruning keeps what a webhook has still to deliver.
	clock.Advance(time.Hour)
	if err := s.AddNotification(ctx, note("m4"), []int64{a}); err != nil { // wh-a has not delivered m3 and m4
		t.Fatal(err)
	}
	pruned, err := s.PruneNotifications(ctx, clock.Now().Add(-30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// a: before, m1, m2 delivered (m3 not, m4 too new); b: m1, m3 delivered.
	if pruned != 5 {
		t.Errorf("PruneNotifications = %d, want 5 (the delivered ones older than the cut)", pruned)
	}
	if left, _ := s.NotificationsAfter(ctx, a, 0, 10); len(left) != 2 || left[0].MsgID != "m3" || left[1].MsgID != "m4" {
		t.Errorf("after pruning, enterprise a keeps %d notifications, want m3 and m4", len(left))
	}

	// Deletion is the owner's.
	if err := s.DeleteNotificationWebhook(ctx, b, "wh-a"); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Errorf("deleting another enterprise's webhook = %v, want ENOTFOUND", err)
	}
	if err := s.DeleteNotificationWebhook(ctx, a, "wh-a"); err != nil {
		t.Fatal(err)
	}
	if list, _ = s.ListNotificationWebhooks(ctx, a); len(list) != 0 {
		t.Errorf("after deletion, %d webhooks", len(list))
	}
}

// gotSeq returns the newest notification's seq of an enterprise.
func gotSeq(t *testing.T, s webhook.NotificationStore, enterpriseID int64) int64 {
	t.Helper()
	list, err := s.NotificationsAfter(context.Background(), enterpriseID, 0, 1000)
	if err != nil || len(list) == 0 {
		t.Fatalf("NotificationsAfter = %d, %v", len(list), err)
	}
	return list[len(list)-1].Seq
}
