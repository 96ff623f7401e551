package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"tracegate"
	"tracegate/bus"
)

// MeasureSubjects is the subject pattern of measure events
// (tracegate.measure.<kind>.<event>), which notification webhooks receive.
const MeasureSubjects = "tracegate.measure.>"

// notifyDurable is the name of the nodes' shared subscription to measure
// events: each message is taken by one node.
const notifyDurable = "tracegate-notify"

// NotificationWebhook is an enterprise's endpoint for notifications of
// measures: every notification addressed to the enterprise is POSTed to URL,
// signed with Secret as subscription deliveries are.
type NotificationWebhook struct {
	ID           string `json:"id"`
	EnterpriseID int64  `json:"-"`
	URL          string `json:"url"`
	Secret       string `json:"-"`
	// Position is the last notification delivered with a 2xx answer.
	Position     int64      `json:"position"`
	Attempts     int        `json:"attempts"`
	NextAttempt  time.Time  `json:"nextAttempt"`
	LastError    string     `json:"lastError,omitempty"`
	LastNotified *time.Time `json:"lastNotified,omitempty"`
	CreatedAt    time.Time  `json:"createdAt"`
}

// Notification is one bus message addressed to one enterprise.
type Notification struct {
	Seq          int64
	EnterpriseID int64
	MsgID        string
	Subject      string
	Payload      json.RawMessage
	CreatedAt    time.Time
}

// NotificationStore keeps notification webhooks, the notifications addressed
// to enterprises, and each webhook's position in them.
type NotificationStore interface {
	// CreateNotificationWebhook stores w with its position at the newest
	// notification (it receives the ones addressed after it was made).
	CreateNotificationWebhook(ctx context.Context, w *NotificationWebhook) error
	// ListNotificationWebhooks returns an enterprise's webhooks, oldest first.
	ListNotificationWebhooks(ctx context.Context, enterpriseID int64) ([]*NotificationWebhook, error)
	// DeleteNotificationWebhook removes an enterprise's webhook, or fails
	// with ENOTFOUND.
	DeleteNotificationWebhook(ctx context.Context, enterpriseID int64, id string) error
	// AddNotification addresses n to each of enterpriseIDs in one
	// transaction, once per enterprise and message ID (adding it again
	// changes nothing).
	AddNotification(ctx context.Context, n *Notification, enterpriseIDs []int64) error
	// DueNotificationWebhooks leases up to limit webhooks that no other
	// node holds, for leaseFor: those whose next attempt is at or before
	// now, and those not backing off with a notification past their
	// position.
	DueNotificationWebhooks(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]*NotificationWebhook, error)
	// NotificationsAfter returns an enterprise's notifications after seq,
	// oldest first, at most limit.
	NotificationsAfter(ctx context.Context, enterpriseID, after int64, limit int) ([]*Notification, error)
	// NotificationWebhookDelivered records the position delivered and the
	// next check, and releases the lease.
	NotificationWebhookDelivered(ctx context.Context, id string, position int64, at, next time.Time) error
	// NotificationWebhookFailed records a failed delivery and when to retry,
	// and releases the lease.
	NotificationWebhookFailed(ctx context.Context, id string, next time.Time, reason string) error
	// PruneNotifications deletes the notifications added before t that
	// every webhook of their enterprise has delivered, and returns how many.
	PruneNotifications(ctx context.Context, before time.Time) (int64, error)
}

// Recipients decides which enterprises a measure message is for.
type Recipients interface {
	// Recipients returns the enterprises to notify of m; it fails when it
	// cannot tell now (the message is redelivered).
	Recipients(ctx context.Context, m bus.Message) ([]int64, error)
}

// OwnerRecipients notifies a measure's owner: the enterprise whose USCC is
// the payload's "owner". The scope engine's implementation adds every
// enterprise holding affected goods.
type OwnerRecipients struct {
	Enterprises interface {
		FindEnterpriseByUSCC(ctx context.Context, code string) (*tracegate.Enterprise, error)
	}
}

// Recipients returns the owner's enterprise. A payload without an owner, or
// an owner not registered, has no recipient (nil, nil); a store failure is an
// error.
func (o OwnerRecipients) Recipients(ctx context.Context, m bus.Message) ([]int64, error) {
	var p struct {
		Owner string `json:"owner"`
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || p.Owner == "" {
		return nil, nil
	}
	e, err := o.Enterprises.FindEnterpriseByUSCC(ctx, p.Owner)
	if tracegate.ErrorCode(err) == tracegate.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return []int64{e.ID}, nil
}

// PayloadRecipients notifies the enterprises a measure's message names:
// the USCCs of its payload's "recipients" (package measure writes there the
// owner and the holders of affected goods, found in the transaction of the
// change), and its "owner". USCCs not registered are skipped.
type PayloadRecipients struct {
	Enterprises interface {
		FindEnterpriseByUSCC(ctx context.Context, code string) (*tracegate.Enterprise, error)
	}
}

// Recipients returns the enterprises named by m's payload; a store failure
// is an error (m is delivered again).
func (o PayloadRecipients) Recipients(ctx context.Context, m bus.Message) ([]int64, error) {
	var p struct {
		Owner      string   `json:"owner"`
		Recipients []string `json:"recipients"`
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return nil, nil
	}
	var ids []int64
	seen := map[string]bool{}
	for _, u := range append([]string{p.Owner}, p.Recipients...) {
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		e, err := o.Enterprises.FindEnterpriseByUSCC(ctx, u)
		if tracegate.ErrorCode(err) == tracegate.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		ids = append(ids, e.ID)
	}
	return ids, nil
}

// Notifier notifies enterprises of measures by webhook. It takes each
// measure message from the bus (a durable subscription shared by the nodes,
// in stream order), addresses it to the Recipients in the store,
// acknowledges it, and then
// delivers each webhook's notifications in order, at least once, with the
// subscription deliverer's client (SSRF guard), signature, backoff and
// leases; the position is stored after each 2xx, so delivery resumes where
// it stopped, on whichever node leases the webhook.
type Notifier struct {
	Store      NotificationStore
	Bus        bus.Bus
	Recipients Recipients
	// Delivery holds the settings notifications share with subscription
	// deliveries (client, allow-list, clock, log, batch, poll, lease,
	// backoff); nil means the defaults.
	Delivery *Deliverer
	// Retention is how long delivered notifications are kept (default 30
	// days, longer than the bus keeps a message, so a late redelivery is
	// still recognised); they are pruned every hour.
	Retention time.Duration

	wake chan struct{}
}

func (n *Notifier) defaults() {
	if n.Delivery == nil {
		n.Delivery = &Deliverer{}
	}
	n.Delivery.defaults()
	if n.Retention <= 0 {
		n.Retention = 30 * 24 * time.Hour
	}
	if n.wake == nil {
		n.wake = make(chan struct{}, 1)
	}
}

// Subscribe starts taking measure messages from the bus; unsubscribe stops.
// It fails like bus.Bus.Subscribe.
func (n *Notifier) Subscribe(ctx context.Context) (unsubscribe func(), err error) {
	n.defaults()
	return n.Bus.Subscribe(ctx, bus.Subscription{Pattern: MeasureSubjects, Durable: notifyDurable, InOrder: true}, n.Handle)
}

// Handle addresses m to its recipients and wakes the delivery; an error
// (recipients unknown now, store down) has the bus deliver m again.
func (n *Notifier) Handle(ctx context.Context, m bus.Message) error {
	n.defaults()
	ids, err := n.Recipients.Recipients(ctx, m)
	if err != nil {
		return fmt.Errorf("webhook: recipients of %s: %w", m.ID, err)
	}
	if len(ids) == 0 {
		return nil
	}
	at := m.At
	if at.IsZero() {
		at = n.Delivery.Clock.Now()
	}
	if err := n.Store.AddNotification(ctx, &Notification{MsgID: m.ID, Subject: m.Subject, Payload: m.Payload, CreatedAt: at}, ids); err != nil {
		return err
	}
	select {
	case n.wake <- struct{}{}:
	default:
	}
	return nil
}

// RunOnce delivers once to every due webhook and reports how many
// notifications were delivered. It fails only when the store cannot be
// read.
func (n *Notifier) RunOnce(ctx context.Context) (int, error) {
	n.defaults()
	d := n.Delivery
	hooks, err := n.Store.DueNotificationWebhooks(ctx, d.Clock.Now(), d.Lease, 50)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, w := range hooks {
		k, err := n.deliver(ctx, w)
		total += k
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Run delivers at every poll and whenever a notification was added on this
// node, and prunes delivered notifications past Retention every hour, until
// ctx is done.
func (n *Notifier) Run(ctx context.Context) {
	n.defaults()
	t := time.NewTicker(n.Delivery.Poll)
	defer t.Stop()
	var pruned time.Time
	for {
		if _, err := n.RunOnce(ctx); err != nil && ctx.Err() == nil {
			n.Delivery.Log.ErrorContext(ctx, "notification delivery", slog.Any("err", err))
		}
		if now := n.Delivery.Clock.Now(); now.Sub(pruned) > time.Hour {
			if _, err := n.Store.PruneNotifications(ctx, now.Add(-n.Retention)); err != nil && ctx.Err() == nil {
				n.Delivery.Log.WarnContext(ctx, "notification prune", slog.Any("err", err))
			}
			pruned = now
		}
		select {
		case <-ctx.Done():
			return
		case <-n.wake:
		case <-t.C:
		}
	}
}

// notificationBody is what a webhook receives: the bus message.
type notificationBody struct {
	ID      string          `json:"id"`
	Subject string          `json:"subject"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
}

// deliver POSTs w's next notifications one by one, storing the position
// after each 2xx; a failure stores what was delivered and retries with
// backoff.
func (n *Notifier) deliver(ctx context.Context, w *NotificationWebhook) (int, error) {
	d := n.Delivery
	now := d.Clock.Now()
	list, err := n.Store.NotificationsAfter(ctx, w.EnterpriseID, w.Position, d.Batch)
	if err != nil {
		return 0, err
	}
	pos := w.Position
	for i, nt := range list {
		body, err := json.Marshal(notificationBody{ID: nt.MsgID, Subject: nt.Subject, At: nt.CreatedAt, Payload: nt.Payload})
		if err != nil {
			return i, err
		}
		err = d.postSigned(ctx, w.URL, w.Secret, body, http.Header{"Content-Type": {"application/json"},
			"Tracegate-Message-Id": {nt.MsgID}, "Tracegate-Subject": {nt.Subject}})
		if err != nil {
			if pos > w.Position { // keep what was delivered
				if err := n.Store.NotificationWebhookDelivered(ctx, w.ID, pos, now, now); err != nil {
					return i, err
				}
			}
			wait := d.retryIn(w.Attempts)
			d.Log.WarnContext(ctx, "notification delivery failed", slog.String("webhook", w.ID), slog.Any("err", err), slog.Duration("retry_in", wait))
			return i, n.Store.NotificationWebhookFailed(ctx, w.ID, now.Add(wait), err.Error())
		}
		pos = nt.Seq
	}
	next := now.Add(d.Poll)
	if len(list) == d.Batch {
		next = now // more are waiting
	}
	return len(list), n.Store.NotificationWebhookDelivered(ctx, w.ID, pos, now, next)
}
