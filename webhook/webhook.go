// Package webhook delivers EPCIS query subscriptions: every event captured
// after a subscription was made that matches its named query is POSTed to
// the subscriber as an EPCISQueryDocument — as soon as it is stored for a
// stream subscription, at each query time of its schedule (EPCIS 1.2
// §8.2.5.3, evaluated in UTC) for a scheduled one — signed in the GS1-Signature
// header (hex HMAC-SHA256 of the body keyed with the subscription's
// signatureToken), at least once and in capture order. A subscription's
// position advances only after a 2xx answer; failures are retried with
// exponential backoff; positions are stored, so delivery resumes where it
// stopped after a restart, on whichever node leases the subscription.
//
// Capture order is commit order because captures append to the ledger under
// its sequencer (SQLite's single writer, PostgreSQL's advisory lock), so a
// position never passes an event that commits later.
//
// The same machinery (guarded client, signature, backoff, leases, stored
// positions) delivers notifications of measures to the notification webhooks
// enterprises register (notify.go): each measure message from the event bus
// is addressed to its recipients, then POSTed to each of their webhooks.
//
// SPEC: https://ref.gs1.org/standards/epcis/ (REST binding: query subscriptions)
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"time"

	"tracegate"
	"tracegate/epcis"
)

// Store is what delivery needs.
type Store interface {
	QueryEvents(ctx context.Context, q *epcis.Query) ([]*epcis.Record, string, error)
	epcis.SubscriptionStore
}

// Deliverer sends subscriptions' new events.
type Deliverer struct {
	Store Store
	// Client sends the deliveries; nil means a client that connects only
	// to addresses Guard allows (loopback, private, link-local, metadata
	// and other internal addresses are refused at connect time, see
	// guard.go).
	Client *http.Client
	// Allow lists the otherwise forbidden prefixes the default Client may
	// reach (the operator's --webhook-allow).
	Allow []netip.Prefix
	Clock tracegate.Clock
	Log   *slog.Logger
	// Batch is the most events per delivery (default 500).
	Batch int
	// Poll is how soon an idle subscription is checked again (default 1 s).
	Poll time.Duration
	// Lease is how long one node holds a subscription (default 1 min).
	Lease time.Duration
	// MaxBackoff caps the retry delay (default 10 min).
	MaxBackoff time.Duration
}

func (d *Deliverer) defaults() {
	if d.Batch <= 0 {
		d.Batch = 500
	}
	if d.Poll <= 0 {
		d.Poll = time.Second
	}
	if d.Lease <= 0 {
		d.Lease = time.Minute
	}
	if d.MaxBackoff <= 0 {
		d.MaxBackoff = 10 * time.Minute
	}
	if d.Clock == nil {
		d.Clock = tracegate.SystemClock{}
	}
	if d.Client == nil {
		d.Client = (&Guard{Allow: d.Allow}).Client(30 * time.Second)
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
}

// Sign returns the GS1-Signature of body for token.
func Sign(token string, body []byte) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// RunOnce delivers once to every due subscription and reports how many
// events were delivered. It fails only when the store cannot be read.
func (d *Deliverer) RunOnce(ctx context.Context) (int, error) {
	d.defaults()
	subs, err := d.Store.DueSubscriptions(ctx, d.Clock.Now(), d.Lease, 50)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, sub := range subs {
		n, err := d.deliver(ctx, sub)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// Run delivers every interval until ctx is done.
func (d *Deliverer) Run(ctx context.Context, interval time.Duration) {
	d.defaults()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("subscription delivery", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// deliver sends one subscription what is due: the next batch of a stream;
// for a scheduled subscription at (or after) a query time, every event
// recorded since its last delivery, batch after batch.
func (d *Deliverer) deliver(ctx context.Context, sub *epcis.Subscription) (int, error) {
	now := d.Clock.Now()
	q, err := sub.Query.Query()
	if err != nil {
		return 0, d.Store.SubscriptionFailed(ctx, sub.ID, now.Add(d.MaxBackoff), "the query no longer parses: "+tracegate.ErrorMessage(err))
	}
	if sub.Schedule != nil {
		return d.deliverScheduled(ctx, sub, q, now)
	}
	recs, err := d.batch(ctx, q, sub.Position)
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		return 0, d.Store.SubscriptionDelivered(ctx, sub.ID, sub.Position, now, now.Add(d.Poll))
	}
	body, err := document(sub, recs, now)
	if err != nil {
		return 0, err
	}
	if err := d.post(ctx, sub, body); err != nil {
		return 0, d.failed(ctx, sub, now, err)
	}
	next := now.Add(d.Poll)
	if len(recs) == d.Batch {
		next = now // more are waiting
	}
	return len(recs), d.Store.SubscriptionDelivered(ctx, sub.ID, recs[len(recs)-1].Seq, now, next)
}

// deliverScheduled sends the events recorded since the last delivery in
// batches, storing the position after each 2xx, then waits for the next
// query time. An empty report goes out only with ReportIfEmpty. A failure
// is retried with backoff, not at the next query time, and the retry sends
// everything still undelivered; a restart finds the subscription due and
// does the same.
func (d *Deliverer) deliverScheduled(ctx context.Context, sub *epcis.Subscription, q *epcis.Query, now time.Time) (int, error) {
	next := sub.Schedule.Next(now)
	if next.IsZero() { // the schedule never matches again
		next = now.Add(d.MaxBackoff)
	}
	pos, total := sub.Position, 0
	for {
		recs, err := d.batch(ctx, q, pos)
		if err != nil {
			return total, err
		}
		if len(recs) == 0 && (total > 0 || !sub.ReportIfEmpty) {
			return total, d.Store.SubscriptionDelivered(ctx, sub.ID, pos, now, next)
		}
		body, err := document(sub, recs, now) // no events: an empty report
		if err != nil {
			return total, err
		}
		if err := d.post(ctx, sub, body); err != nil {
			return total, d.failed(ctx, sub, now, err)
		}
		if len(recs) > 0 {
			pos = recs[len(recs)-1].Seq
		}
		total += len(recs)
		// Recording each batch keeps the position exact if the process
		// stops mid-way. The next attempt is already the next query time,
		// so no other node takes the subscription up meanwhile.
		if err := d.Store.SubscriptionDelivered(ctx, sub.ID, pos, now, next); err != nil {
			return total, err
		}
		if len(recs) < d.Batch {
			return total, nil
		}
	}
}

// batch reads the next events after position.
func (d *Deliverer) batch(ctx context.Context, q *epcis.Query, position int64) ([]*epcis.Record, error) {
	q.AfterSeq, q.PerPage, q.PageToken = position, d.Batch, ""
	recs, _, err := d.Store.QueryEvents(ctx, q)
	return recs, err
}

// failed schedules a retry with exponential backoff and jitter.
func (d *Deliverer) failed(ctx context.Context, sub *epcis.Subscription, now time.Time, err error) error {
	wait := d.retryIn(sub.Attempts)
	d.Log.WarnContext(ctx, "subscription delivery failed", slog.String("subscription", sub.ID), slog.Any("err", err), slog.Duration("retry_in", wait))
	return d.Store.SubscriptionFailed(ctx, sub.ID, now.Add(wait), err.Error())
}

// retryIn is the wait before the next attempt after attempts failures
// before this one: 1 s doubling, capped at MaxBackoff, plus up to 20 %
// jitter.
func (d *Deliverer) retryIn(attempts int) time.Duration {
	wait := min(time.Second<<min(attempts, 20), d.MaxBackoff)
	return wait + time.Duration(rand.Int64N(int64(wait)/5+1)) // jitter
}

// document encodes the records as an EPCISQueryDocument for sub.
func document(sub *epcis.Subscription, recs []*epcis.Record, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	doc := &epcis.Document{Kind: epcis.KindQueryDocument, SchemaVersion: "2.0", CreationDate: now,
		SubscriptionID: sub.ID, QueryName: sub.Query.Name}
	enc, err := epcis.NewJSONEncoder(&buf, doc, epcis.EncodeOptions{})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		e, err := epcis.DecodeEvent(r.Body)
		if err != nil {
			return nil, fmt.Errorf("webhook: stored event %d: %w", r.Seq, err)
		}
		e.RecordTime = r.RecordTime
		if err := enc.Encode(e); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (d *Deliverer) post(ctx context.Context, sub *epcis.Subscription, body []byte) error {
	return d.postSigned(ctx, sub.Dest, sub.Token, body, http.Header{
		"Content-Type": {"application/ld+json"}, "Gs1-Epcis-Version": {"2.0.0"}})
}

// postSigned POSTs body to dest with header and its GS1-Signature under
// token, through the guarded client. It fails unless the answer is 2xx.
func (d *Deliverer) postSigned(ctx context.Context, dest, token string, body []byte, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, "POST", dest, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("GS1-Signature", Sign(token, body))
	resp, err := d.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("the subscriber answered %s", resp.Status)
	}
	return nil
}
