package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/epcis"
)

var _ epcis.SubscriptionStore = (*Store)(nil)

// CreateNamedQuery stores q; ECONFLICT when its owner has the name.
func (s *Store) CreateNamedQuery(ctx context.Context, q *epcis.NamedQuery) error {
	err := s.pool.QueryRow(ctx, "INSERT INTO epcis_queries (enterprise_id, regulator, name, params, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at",
		q.EnterpriseID, q.Regulator, q.Name, q.Params.Encode(), s.clock.Now()).Scan(&q.ID, &q.CreatedAt)
	if isUnique(err) {
		return tracegate.Errorf(tracegate.ECONFLICT, "a query named %q exists already", q.Name)
	} else if err != nil {
		return fmt.Errorf("postgres: create query: %w", err)
	}
	q.CreatedAt = q.CreatedAt.UTC()
	return nil
}

const namedQueryColumns = "q.id, q.enterprise_id, q.regulator, q.name, q.params, q.created_at"

func scanNamedQuery(row pgx.Row) (*epcis.NamedQuery, error) {
	var q epcis.NamedQuery
	var params string
	if err := row.Scan(&q.ID, &q.EnterpriseID, &q.Regulator, &q.Name, &params, &q.CreatedAt); err != nil {
		return nil, err
	}
	q.CreatedAt = q.CreatedAt.UTC()
	var err error
	q.Params, err = url.ParseQuery(params)
	return &q, err
}

// FindNamedQuery returns an enterprise's query by name, or ENOTFOUND.
func (s *Store) FindNamedQuery(ctx context.Context, enterpriseID int64, name string) (*epcis.NamedQuery, error) {
	q, err := scanNamedQuery(s.pool.QueryRow(ctx, "SELECT "+namedQueryColumns+" FROM epcis_queries q WHERE q.enterprise_id = $1 AND q.name = $2", enterpriseID, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no query named %q", name)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find query: %w", err)
	}
	return q, nil
}

// ListNamedQueries returns an enterprise's queries by name.
func (s *Store) ListNamedQueries(ctx context.Context, enterpriseID int64) ([]*epcis.NamedQuery, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+namedQueryColumns+" FROM epcis_queries q WHERE q.enterprise_id = $1 ORDER BY q.name", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list queries: %w", err)
	}
	defer rows.Close()
	out := []*epcis.NamedQuery{}
	for rows.Next() {
		q, err := scanNamedQuery(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list queries: %w", err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// DeleteNamedQuery removes a query and (by cascade) its subscriptions.
func (s *Store) DeleteNamedQuery(ctx context.Context, enterpriseID int64, name string) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM epcis_queries WHERE enterprise_id = $1 AND name = $2", enterpriseID, name)
	if err != nil {
		return fmt.Errorf("postgres: delete query: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no query named %q", name)
	}
	return nil
}

// CreateSubscription stores s.
func (s *Store) CreateSubscription(ctx context.Context, sub *epcis.Subscription) error {
	now := s.clock.Now().UTC().Truncate(time.Microsecond)
	first := sub.FirstAttempt(now)
	_, err := s.pool.Exec(ctx, `INSERT INTO epcis_subscriptions (id, query_id, dest, token, position, next_attempt, created_at,
		schedule, report_if_empty) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, sub.ID, sub.QueryID, sub.Dest, sub.Token, sub.Position,
		first, now, epcis.EncodeSchedule(sub.Schedule), sub.ReportIfEmpty)
	if err != nil {
		return fmt.Errorf("postgres: create subscription: %w", err)
	}
	sub.CreatedAt, sub.NextAttempt, sub.Stream = now, first, sub.Schedule == nil
	return nil
}

const subscriptionColumns = "s.id, s.query_id, s.dest, s.token, s.position, s.attempts, s.next_attempt, s.last_error, s.last_notified, s.created_at, s.schedule, s.report_if_empty"

func scanSubscription(row pgx.Row, extra ...any) (*epcis.Subscription, error) {
	var sub epcis.Subscription
	var schedule string
	dest := append([]any{&sub.ID, &sub.QueryID, &sub.Dest, &sub.Token, &sub.Position, &sub.Attempts, &sub.NextAttempt, &sub.LastError, &sub.LastNotified, &sub.CreatedAt,
		&schedule, &sub.ReportIfEmpty}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	sub.NextAttempt, sub.CreatedAt = sub.NextAttempt.UTC(), sub.CreatedAt.UTC()
	if err := sub.SetSchedule(schedule); err != nil {
		return nil, err
	}
	if sub.LastNotified != nil {
		t := sub.LastNotified.UTC()
		sub.LastNotified = &t
	}
	return &sub, nil
}

// ListSubscriptions returns a query's subscriptions.
func (s *Store) ListSubscriptions(ctx context.Context, queryID int64) ([]*epcis.Subscription, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+subscriptionColumns+" FROM epcis_subscriptions s WHERE s.query_id = $1 ORDER BY s.created_at, s.id", queryID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list subscriptions: %w", err)
	}
	defer rows.Close()
	out := []*epcis.Subscription{}
	for rows.Next() {
		sub, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// DeleteSubscription removes one subscription of a query.
func (s *Store) DeleteSubscription(ctx context.Context, queryID int64, id string) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM epcis_subscriptions WHERE query_id = $1 AND id = $2", queryID, id)
	if err != nil {
		return fmt.Errorf("postgres: delete subscription: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no subscription %s", id)
	}
	return nil
}

// DueSubscriptions leases the subscriptions due at now (skipping rows other
// nodes hold), with their queries.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]*epcis.Subscription, error) {
	var out []*epcis.Subscription
	err := s.update(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, "SELECT "+subscriptionColumns+", "+namedQueryColumns+
			` FROM epcis_subscriptions s JOIN epcis_queries q ON q.id = s.query_id
			WHERE s.next_attempt <= $1 AND s.lease_until <= $1 ORDER BY s.next_attempt LIMIT $2 FOR UPDATE OF s SKIP LOCKED`, now, limit)
		if err != nil {
			return fmt.Errorf("postgres: due subscriptions: %w", err)
		}
		for rows.Next() {
			var q epcis.NamedQuery
			var params string
			sub, err := scanSubscription(rows, &q.ID, &q.EnterpriseID, &q.Regulator, &q.Name, &params, &q.CreatedAt)
			if err != nil {
				rows.Close()
				return fmt.Errorf("postgres: due subscriptions: %w", err)
			}
			q.Params, _ = url.ParseQuery(params)
			sub.Query = &q
			out = append(out, sub)
		}
		rows.Close()
		for _, sub := range out {
			if _, err := tx.Exec(ctx, "UPDATE epcis_subscriptions SET lease_until = $1 WHERE id = $2", now.Add(leaseFor), sub.ID); err != nil {
				return fmt.Errorf("postgres: lease subscription: %w", err)
			}
		}
		return nil
	})
	return out, err
}

// SubscriptionDelivered records a delivery (or an idle check) and the next check.
func (s *Store) SubscriptionDelivered(ctx context.Context, id string, position int64, at, next time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE epcis_subscriptions SET last_notified = CASE WHEN position < $1 THEN $2 ELSE last_notified END,
		position = GREATEST(position, $1), attempts = 0, last_error = '', next_attempt = $3, lease_until = 'epoch' WHERE id = $4`,
		position, at, next, id)
	if err != nil {
		return fmt.Errorf("postgres: subscription delivered: %w", err)
	}
	return nil
}

// SubscriptionFailed records a failed delivery and when to retry.
func (s *Store) SubscriptionFailed(ctx context.Context, id string, next time.Time, reason string) error {
	_, err := s.pool.Exec(ctx, "UPDATE epcis_subscriptions SET attempts = attempts + 1, last_error = $1, next_attempt = $2, lease_until = 'epoch' WHERE id = $3",
		reason, next, id)
	if err != nil {
		return fmt.Errorf("postgres: subscription failed: %w", err)
	}
	return nil
}

// LastSeq returns the newest event's sequence, or the newest recorded before t.
func (s *Store) LastSeq(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	var err error
	if before.IsZero() {
		err = s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM epcis_events").Scan(&n)
	} else {
		err = s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM epcis_events WHERE record_time < $1", before).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: last sequence: %w", err)
	}
	return n, nil
}
