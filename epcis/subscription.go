package epcis

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// NamedQuery is a stored SimpleEventQuery (POST /queries): its parameters
// and whose view it runs with.
type NamedQuery struct {
	ID           int64      `json:"-"`
	EnterpriseID int64      `json:"-"`
	Regulator    bool       `json:"-"` // runs with a regulator's view of every event
	Name         string     `json:"name"`
	Params       url.Values `json:"query"`
	CreatedAt    time.Time  `json:"createdAt"`
}

// Query returns the named query as a Query in its owner's view. It fails
// like ParseQuery when a stored parameter no longer parses.
func (n *NamedQuery) Query() (*Query, error) {
	q, err := ParseQuery(n.Params)
	if err != nil {
		return nil, err
	}
	if !n.Regulator {
		q.EnterpriseID = n.EnterpriseID
	}
	return q, nil
}

// Subscription is a webhook subscription to a named query: every event
// captured after it was made (or after its initialRecordTime) that matches
// the query is sent to Dest, signed with Token, at least once and in capture
// order — as soon as it is stored (Stream), or at each query time of
// Schedule, all the events recorded since the last delivery (and an empty
// report with ReportIfEmpty when there are none). Position is the sequence
// of the last event delivered with a 2xx answer; it never advances
// otherwise.
type Subscription struct {
	ID           string     `json:"subscriptionID"`
	QueryID      int64      `json:"-"`
	Dest         string     `json:"dest"`
	Token        string     `json:"-"`
	Position     int64      `json:"-"`
	Attempts     int        `json:"-"`
	NextAttempt  time.Time  `json:"-"`
	LastError    string     `json:"-"`
	LastNotified *time.Time `json:"lastNotifiedAt,omitempty"`
	CreatedAt    time.Time  `json:"createdAt"`
	Stream       bool       `json:"stream"`
	// Schedule is nil for a stream subscription.
	Schedule      *Schedule   `json:"schedule,omitempty"`
	ReportIfEmpty bool        `json:"reportIfEmpty,omitempty"`
	Query         *NamedQuery `json:"-"` // filled by DueSubscriptions
}

// SubscriptionStore keeps named queries and subscriptions.
type SubscriptionStore interface {
	// CreateNamedQuery stores q; ECONFLICT when its owner has the name.
	CreateNamedQuery(ctx context.Context, q *NamedQuery) error
	// FindNamedQuery returns an enterprise's query by name, or ENOTFOUND.
	FindNamedQuery(ctx context.Context, enterpriseID int64, name string) (*NamedQuery, error)
	// ListNamedQueries returns an enterprise's queries by name.
	ListNamedQueries(ctx context.Context, enterpriseID int64) ([]*NamedQuery, error)
	// DeleteNamedQuery removes a query and its subscriptions, or ENOTFOUND.
	DeleteNamedQuery(ctx context.Context, enterpriseID int64, name string) error
	// CreateSubscription stores s (ID, QueryID, Dest, Token, Position set;
	// Schedule and ReportIfEmpty for a scheduled one, whose first delivery
	// is due at its first query time).
	CreateSubscription(ctx context.Context, s *Subscription) error
	// ListSubscriptions returns a query's subscriptions.
	ListSubscriptions(ctx context.Context, queryID int64) ([]*Subscription, error)
	// DeleteSubscription removes one subscription of a query, or ENOTFOUND.
	DeleteSubscription(ctx context.Context, queryID int64, id string) error
	// DueSubscriptions leases up to limit subscriptions whose next attempt
	// is due at now for leaseFor (so that one node at a time delivers each),
	// with their queries.
	DueSubscriptions(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]*Subscription, error)
	// SubscriptionDelivered records a 2xx delivery up to position, or an
	// idle check when position is unchanged, and schedules the next check.
	SubscriptionDelivered(ctx context.Context, id string, position int64, at, next time.Time) error
	// SubscriptionFailed records a failed delivery and when to retry.
	SubscriptionFailed(ctx context.Context, id string, next time.Time, reason string) error
	// LastSeq returns the sequence of the newest stored event (0 if none),
	// or of the newest recorded before t when t is not zero.
	LastSeq(ctx context.Context, before time.Time) (int64, error)
}

// FirstAttempt is when a subscription made at now is first due: at once for
// a stream, at the first query time of a schedule.
func (s *Subscription) FirstAttempt(now time.Time) time.Time {
	if s.Schedule == nil {
		return now
	}
	return s.Schedule.Next(now)
}

// EncodeSchedule is the stored form of a subscription's schedule: "" for a
// stream subscription, else JSON.
func EncodeSchedule(s *Schedule) string {
	if s == nil {
		return ""
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// SetSchedule reads a stored schedule (EncodeSchedule) into s, setting
// Stream when there is none. It fails when raw is not a schedule's JSON.
func (s *Subscription) SetSchedule(raw string) error {
	s.Schedule, s.Stream = nil, raw == ""
	if raw == "" {
		return nil
	}
	var sch Schedule
	if err := json.Unmarshal([]byte(raw), &sch); err != nil {
		return fmt.Errorf("epcis: stored schedule %q: %w", raw, err)
	}
	s.Schedule = &sch
	return nil
}
