package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/webhook"
)

var _ webhook.NotificationStore = (*Store)(nil)

// notificationLock is the advisory-lock key taken by every transaction that
// adds notifications, so their seq order is their commit order and a
// webhook's position never passes a notification that commits later.
const notificationLock = 0x6e6f7469 // "noti"

// CreateNotificationWebhook stores w, positioned at the newest notification.
func (s *Store) CreateNotificationWebhook(ctx context.Context, w *webhook.NotificationWebhook) error {
	return s.update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", notificationLock); err != nil {
			return fmt.Errorf("postgres: notification lock: %w", err)
		}
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM notifications").Scan(&w.Position); err != nil {
			return fmt.Errorf("postgres: create notification webhook: %w", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO notification_webhooks (id, enterprise_id, url, secret, position, next_attempt, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6)`, w.ID, w.EnterpriseID, w.URL, w.Secret, w.Position, tx.now)
		if err != nil {
			return fmt.Errorf("postgres: create notification webhook: %w", err)
		}
		w.CreatedAt, w.NextAttempt, w.Attempts, w.LastError, w.LastNotified = tx.now, tx.now, 0, "", nil
		return nil
	})
}

const notificationWebhookColumns = "id, enterprise_id, url, secret, position, attempts, next_attempt, last_error, last_notified, created_at"

func scanNotificationWebhook(row pgx.Row) (*webhook.NotificationWebhook, error) {
	var w webhook.NotificationWebhook
	if err := row.Scan(&w.ID, &w.EnterpriseID, &w.URL, &w.Secret, &w.Position, &w.Attempts, &w.NextAttempt, &w.LastError, &w.LastNotified, &w.CreatedAt); err != nil {
		return nil, err
	}
	w.NextAttempt, w.CreatedAt = w.NextAttempt.UTC(), w.CreatedAt.UTC()
	if w.LastNotified != nil {
		t := w.LastNotified.UTC()
		w.LastNotified = &t
	}
	return &w, nil
}

func (s *Store) notificationWebhooks(ctx context.Context, q pgx.Tx, sql string, args ...any) ([]*webhook.NotificationWebhook, error) {
	var rows pgx.Rows
	var err error
	if q != nil {
		rows, err = q.Query(ctx, sql, args...)
	} else {
		rows, err = s.pool.Query(ctx, sql, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*webhook.NotificationWebhook{}
	for rows.Next() {
		w, err := scanNotificationWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// ListNotificationWebhooks returns an enterprise's webhooks, oldest first.
func (s *Store) ListNotificationWebhooks(ctx context.Context, enterpriseID int64) ([]*webhook.NotificationWebhook, error) {
	out, err := s.notificationWebhooks(ctx, nil, "SELECT "+notificationWebhookColumns+" FROM notification_webhooks WHERE enterprise_id = $1 ORDER BY created_at, id", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list notification webhooks: %w", err)
	}
	return out, nil
}

// DeleteNotificationWebhook removes an enterprise's webhook, or ENOTFOUND.
func (s *Store) DeleteNotificationWebhook(ctx context.Context, enterpriseID int64, id string) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM notification_webhooks WHERE enterprise_id = $1 AND id = $2", enterpriseID, id)
	if err != nil {
		return fmt.Errorf("postgres: delete notification webhook: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no notification webhook %q", id)
	}
	return nil
}

// AddNotification addresses n to each enterprise once, under the
// notification lock.
func (s *Store) AddNotification(ctx context.Context, n *webhook.Notification, enterpriseIDs []int64) error {
	return s.update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", notificationLock); err != nil {
			return fmt.Errorf("postgres: notification lock: %w", err)
		}
		for _, id := range enterpriseIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO notifications (enterprise_id, msg_id, subject, payload, created_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (enterprise_id, msg_id) DO NOTHING`, id, n.MsgID, n.Subject, []byte(n.Payload), n.CreatedAt); err != nil {
				return fmt.Errorf("postgres: add notification: %w", err)
			}
		}
		return nil
	})
}

// notificationDue is when a webhook is due: at its next attempt, or at once
// when it is not backing off and a notification waits past its position
// (decided when read, so a notification added while a delivery was under
// way is never left for the next poll).
const notificationDue = `(next_attempt <= $1 OR attempts = 0 AND EXISTS (SELECT 1 FROM notifications n WHERE n.enterprise_id = w.enterprise_id AND n.seq > w.position))`

// DueNotificationWebhooks leases the webhooks due at now, skipping those
// other nodes hold.
func (s *Store) DueNotificationWebhooks(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]*webhook.NotificationWebhook, error) {
	var out []*webhook.NotificationWebhook
	err := s.update(ctx, func(tx *Tx) error {
		var err error
		out, err = s.notificationWebhooks(ctx, tx.Tx, "SELECT "+notificationWebhookColumns+" FROM notification_webhooks w WHERE lease_until <= $1 AND "+
			notificationDue+" ORDER BY next_attempt LIMIT $2 FOR UPDATE SKIP LOCKED", now, limit)
		if err != nil {
			return fmt.Errorf("postgres: due notification webhooks: %w", err)
		}
		for _, w := range out {
			if _, err := tx.Exec(ctx, "UPDATE notification_webhooks SET lease_until = $1 WHERE id = $2", now.Add(leaseFor), w.ID); err != nil {
				return fmt.Errorf("postgres: lease notification webhook: %w", err)
			}
		}
		return nil
	})
	return out, err
}

// NotificationsAfter returns an enterprise's notifications after seq.
func (s *Store) NotificationsAfter(ctx context.Context, enterpriseID, after int64, limit int) ([]*webhook.Notification, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, enterprise_id, msg_id, subject, payload, created_at FROM notifications
		WHERE enterprise_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, enterpriseID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: notifications: %w", err)
	}
	defer rows.Close()
	var out []*webhook.Notification
	for rows.Next() {
		var n webhook.Notification
		var payload []byte
		if err := rows.Scan(&n.Seq, &n.EnterpriseID, &n.MsgID, &n.Subject, &payload, &n.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: notifications: %w", err)
		}
		n.Payload, n.CreatedAt = payload, n.CreatedAt.UTC()
		out = append(out, &n)
	}
	return out, rows.Err()
}

// NotificationWebhookDelivered records a delivery (or an idle check).
func (s *Store) NotificationWebhookDelivered(ctx context.Context, id string, position int64, at, next time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE notification_webhooks SET last_notified = CASE WHEN position < $1 THEN $2 ELSE last_notified END,
		position = GREATEST(position, $1), attempts = 0, last_error = '', next_attempt = $3, lease_until = 'epoch' WHERE id = $4`,
		position, at, next, id)
	if err != nil {
		return fmt.Errorf("postgres: notification webhook delivered: %w", err)
	}
	return nil
}

// NotificationWebhookFailed records a failed delivery and when to retry.
func (s *Store) NotificationWebhookFailed(ctx context.Context, id string, next time.Time, reason string) error {
	_, err := s.pool.Exec(ctx, "UPDATE notification_webhooks SET attempts = attempts + 1, last_error = $1, next_attempt = $2, lease_until = 'epoch' WHERE id = $3",
		reason, next, id)
	if err != nil {
		return fmt.Errorf("postgres: notification webhook failed: %w", err)
	}
	return nil
}

// PruneNotifications deletes the notifications added before t that every
// webhook of their enterprise has delivered.
func (s *Store) PruneNotifications(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM notifications WHERE created_at < $1
		AND seq <= COALESCE((SELECT MIN(w.position) FROM notification_webhooks w WHERE w.enterprise_id = notifications.enterprise_id), seq)`, before)
	if err != nil {
		return 0, fmt.Errorf("postgres: prune notifications: %w", err)
	}
	return tag.RowsAffected(), nil
}
