package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"tracegate"
	"tracegate/epcis"
)

var _ epcis.SubscriptionStore = (*Store)(nil)

// CreateNamedQuery stores q; ECONFLICT when its owner has the name.
func (s *Store) CreateNamedQuery(ctx context.Context, q *epcis.NamedQuery) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO epcis_queries (enterprise_id, regulator, name, params, created_at) VALUES (?, ?, ?, ?, ?)",
			q.EnterpriseID, q.Regulator, q.Name, q.Params.Encode(), micro(tx.now))
		if isUnique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "a query named %q exists already", q.Name)
		} else if err != nil {
			return fmt.Errorf("sqlite: create query: %w", err)
		}
		q.ID, _ = res.LastInsertId()
		q.CreatedAt = tx.now
		return nil
	})
}

const namedQueryColumns = "id, enterprise_id, regulator, name, params, created_at"

func scanNamedQuery(row rowScanner) (*epcis.NamedQuery, error) {
	var q epcis.NamedQuery
	var params string
	var created int64
	if err := row.Scan(&q.ID, &q.EnterpriseID, &q.Regulator, &q.Name, &params, &created); err != nil {
		return nil, err
	}
	q.CreatedAt = fromMicro(created)
	var err error
	q.Params, err = url.ParseQuery(params)
	return &q, err
}

// FindNamedQuery returns an enterprise's query by name, or ENOTFOUND.
func (s *Store) FindNamedQuery(ctx context.Context, enterpriseID int64, name string) (*epcis.NamedQuery, error) {
	q, err := scanNamedQuery(s.readRow(ctx, "SELECT "+namedQueryColumns+" FROM epcis_queries WHERE enterprise_id = ? AND name = ?", enterpriseID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no query named %q", name)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find query: %w", err)
	}
	return q, nil
}

// ListNamedQueries returns an enterprise's queries by name.
func (s *Store) ListNamedQueries(ctx context.Context, enterpriseID int64) ([]*epcis.NamedQuery, error) {
	rows, err := s.readRows(ctx, "SELECT "+namedQueryColumns+" FROM epcis_queries WHERE enterprise_id = ? ORDER BY name", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list queries: %w", err)
	}
	defer rows.Close()
	out := []*epcis.NamedQuery{}
	for rows.Next() {
		q, err := scanNamedQuery(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list queries: %w", err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// DeleteNamedQuery removes a query and its subscriptions.
func (s *Store) DeleteNamedQuery(ctx context.Context, enterpriseID int64, name string) error {
	return s.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM epcis_subscriptions WHERE query_id IN (SELECT id FROM epcis_queries WHERE enterprise_id = ? AND name = ?)", enterpriseID, name); err != nil {
			return fmt.Errorf("sqlite: delete query: %w", err)
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM epcis_queries WHERE enterprise_id = ? AND name = ?", enterpriseID, name)
		if err != nil {
			return fmt.Errorf("sqlite: delete query: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no query named %q", name)
		}
		return nil
	})
}

// CreateSubscription stores s.
func (s *Store) CreateSubscription(ctx context.Context, sub *epcis.Subscription) error {
	return s.update(ctx, func(tx *Tx) error {
		first := sub.FirstAttempt(tx.now)
		_, err := tx.ExecContext(ctx, `INSERT INTO epcis_subscriptions (id, query_id, dest, token, position, next_attempt, created_at,
			schedule, report_if_empty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sub.ID, sub.QueryID, sub.Dest, sub.Token, sub.Position,
			micro(first), micro(tx.now), epcis.EncodeSchedule(sub.Schedule), sub.ReportIfEmpty)
		if err != nil {
			return fmt.Errorf("sqlite: create subscription: %w", err)
		}
		sub.CreatedAt, sub.NextAttempt, sub.Stream = tx.now, first, sub.Schedule == nil
		return nil
	})
}

const subscriptionColumns = "s.id, s.query_id, s.dest, s.token, s.position, s.attempts, s.next_attempt, s.last_error, s.last_notified, s.created_at, s.schedule, s.report_if_empty"

func scanSubscription(row rowScanner, extra ...any) (*epcis.Subscription, error) {
	var sub epcis.Subscription
	var next, created int64
	var notified sql.NullInt64
	var schedule string
	dest := append([]any{&sub.ID, &sub.QueryID, &sub.Dest, &sub.Token, &sub.Position, &sub.Attempts, &next, &sub.LastError, &notified, &created,
		&schedule, &sub.ReportIfEmpty}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	sub.NextAttempt, sub.CreatedAt = fromMicro(next), fromMicro(created)
	if err := sub.SetSchedule(schedule); err != nil {
		return nil, err
	}
	if notified.Valid {
		t := fromMicro(notified.Int64)
		sub.LastNotified = &t
	}
	return &sub, nil
}

// ListSubscriptions returns a query's subscriptions.
func (s *Store) ListSubscriptions(ctx context.Context, queryID int64) ([]*epcis.Subscription, error) {
	rows, err := s.readRows(ctx, "SELECT "+subscriptionColumns+" FROM epcis_subscriptions s WHERE s.query_id = ? ORDER BY s.created_at, s.id", queryID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list subscriptions: %w", err)
	}
	defer rows.Close()
	out := []*epcis.Subscription{}
	for rows.Next() {
		sub, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// DeleteSubscription removes one subscription of a query.
func (s *Store) DeleteSubscription(ctx context.Context, queryID int64, id string) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM epcis_subscriptions WHERE query_id = ? AND id = ?", queryID, id)
		if err != nil {
			return fmt.Errorf("sqlite: delete subscription: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no subscription %s", id)
		}
		return nil
	})
}

// DueSubscriptions leases the subscriptions due at now, with their queries.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]*epcis.Subscription, error) {
	var out []*epcis.Subscription
	err := s.update(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+subscriptionColumns+", q."+namedQueryCols("q")+
			` FROM epcis_subscriptions s JOIN epcis_queries q ON q.id = s.query_id
			WHERE s.next_attempt <= ? AND s.lease_until <= ? ORDER BY s.next_attempt LIMIT ?`, micro(now), micro(now), limit)
		if err != nil {
			return fmt.Errorf("sqlite: due subscriptions: %w", err)
		}
		for rows.Next() {
			var q epcis.NamedQuery
			var params string
			var created int64
			sub, err := scanSubscription(rows, &q.ID, &q.EnterpriseID, &q.Regulator, &q.Name, &params, &created)
			if err != nil {
				rows.Close()
				return fmt.Errorf("sqlite: due subscriptions: %w", err)
			}
			q.CreatedAt = fromMicro(created)
			q.Params, _ = url.ParseQuery(params)
			sub.Query = &q
			out = append(out, sub)
		}
		rows.Close()
		for _, sub := range out {
			if _, err := tx.ExecContext(ctx, "UPDATE epcis_subscriptions SET lease_until = ? WHERE id = ?", micro(now.Add(leaseFor)), sub.ID); err != nil {
				return fmt.Errorf("sqlite: lease subscription: %w", err)
			}
		}
		return nil
	})
	return out, err
}

func namedQueryCols(alias string) string {
	return "id, " + alias + ".enterprise_id, " + alias + ".regulator, " + alias + ".name, " + alias + ".params, " + alias + ".created_at"
}

// SubscriptionDelivered records a delivery (or an idle check) and the next check.
func (s *Store) SubscriptionDelivered(ctx context.Context, id string, position int64, at, next time.Time) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE epcis_subscriptions SET last_notified = CASE WHEN position < ?1 THEN ?2 ELSE last_notified END,
			position = MAX(position, ?1), attempts = 0, last_error = '', next_attempt = ?3, lease_until = 0 WHERE id = ?4`,
			position, micro(at), micro(next), id)
		if err != nil {
			return fmt.Errorf("sqlite: subscription delivered: %w", err)
		}
		return nil
	})
}

// SubscriptionFailed records a failed delivery and when to retry.
func (s *Store) SubscriptionFailed(ctx context.Context, id string, next time.Time, reason string) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE epcis_subscriptions SET attempts = attempts + 1, last_error = ?, next_attempt = ?, lease_until = 0 WHERE id = ?",
			reason, micro(next), id)
		if err != nil {
			return fmt.Errorf("sqlite: subscription failed: %w", err)
		}
		return nil
	})
}

// LastSeq returns the newest event's sequence, or the newest recorded before t.
func (s *Store) LastSeq(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	var err error
	if before.IsZero() {
		err = s.readRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM epcis_events").Scan(&n)
	} else {
		err = s.readRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM epcis_events WHERE record_time < ?", micro(before)).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: last sequence: %w", err)
	}
	return n, nil
}
