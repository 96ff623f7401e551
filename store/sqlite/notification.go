package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tracegate"
	"tracegate/webhook"
)

var _ webhook.NotificationStore = (*Store)(nil)

// CreateNotificationWebhook stores w, positioned at the newest notification.
func (s *Store) CreateNotificationWebhook(ctx context.Context, w *webhook.NotificationWebhook) error {
	return s.update(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM notifications").Scan(&w.Position); err != nil {
			return fmt.Errorf("sqlite: create notification webhook: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_webhooks (id, enterprise_id, url, secret, position, next_attempt, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, w.ID, w.EnterpriseID, w.URL, w.Secret, w.Position, micro(tx.now), micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: create notification webhook: %w", err)
		}
		w.CreatedAt, w.NextAttempt, w.Attempts, w.LastError, w.LastNotified = tx.now, tx.now, 0, "", nil
		return nil
	})
}

const notificationWebhookColumns = "id, enterprise_id, url, secret, position, attempts, next_attempt, last_error, last_notified, created_at"

func scanNotificationWebhook(row rowScanner) (*webhook.NotificationWebhook, error) {
	var w webhook.NotificationWebhook
	var next, created int64
	var notified sql.NullInt64
	if err := row.Scan(&w.ID, &w.EnterpriseID, &w.URL, &w.Secret, &w.Position, &w.Attempts, &next, &w.LastError, &notified, &created); err != nil {
		return nil, err
	}
	w.NextAttempt, w.CreatedAt = fromMicro(next), fromMicro(created)
	if notified.Valid {
		t := fromMicro(notified.Int64)
		w.LastNotified = &t
	}
	return &w, nil
}

// ListNotificationWebhooks returns an enterprise's webhooks, oldest first.
func (s *Store) ListNotificationWebhooks(ctx context.Context, enterpriseID int64) ([]*webhook.NotificationWebhook, error) {
	rows, err := s.readRows(ctx, "SELECT "+notificationWebhookColumns+" FROM notification_webhooks WHERE enterprise_id = ? ORDER BY created_at, id", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list notification webhooks: %w", err)
	}
	defer rows.Close()
	out := []*webhook.NotificationWebhook{}
	for rows.Next() {
		w, err := scanNotificationWebhook(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list notification webhooks: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// DeleteNotificationWebhook removes an enterprise's webhook, or ENOTFOUND.
func (s *Store) DeleteNotificationWebhook(ctx context.Context, enterpriseID int64, id string) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM notification_webhooks WHERE enterprise_id = ? AND id = ?", enterpriseID, id)
		if err != nil {
			return fmt.Errorf("sqlite: delete notification webhook: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no notification webhook %q", id)
		}
		return nil
	})
}

// AddNotification addresses n to each enterprise once.
func (s *Store) AddNotification(ctx context.Context, n *webhook.Notification, enterpriseIDs []int64) error {
	return s.update(ctx, func(tx *Tx) error {
		for _, id := range enterpriseIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (enterprise_id, msg_id, subject, payload, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (enterprise_id, msg_id) DO NOTHING`, id, n.MsgID, n.Subject, []byte(n.Payload), micro(n.CreatedAt)); err != nil {
				return fmt.Errorf("sqlite: add notification: %w", err)
			}
		}
		return nil
	})
}

// notificationDue is when a webhook is due: at its next attempt, or at once
// when it is not backing off and a notification waits past its position
// (decided when read, so a notification added while a delivery was under
// way is never left for the next poll).
const notificationDue = `(next_attempt <= ?1 OR attempts = 0 AND EXISTS (SELECT 1 FROM notifications n WHERE n.enterprise_id = w.enterprise_id AND n.seq > w.position))`

// DueNotificationWebhooks leases the webhooks due at now.
func (s *Store) DueNotificationWebhooks(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]*webhook.NotificationWebhook, error) {
	var out []*webhook.NotificationWebhook
	err := s.update(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+notificationWebhookColumns+" FROM notification_webhooks w WHERE lease_until <= ?1 AND "+
			notificationDue+" ORDER BY next_attempt LIMIT ?2", micro(now), limit)
		if err != nil {
			return fmt.Errorf("sqlite: due notification webhooks: %w", err)
		}
		for rows.Next() {
			w, err := scanNotificationWebhook(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("sqlite: due notification webhooks: %w", err)
			}
			out = append(out, w)
		}
		rows.Close()
		for _, w := range out {
			if _, err := tx.ExecContext(ctx, "UPDATE notification_webhooks SET lease_until = ? WHERE id = ?", micro(now.Add(leaseFor)), w.ID); err != nil {
				return fmt.Errorf("sqlite: lease notification webhook: %w", err)
			}
		}
		return nil
	})
	return out, err
}

// NotificationsAfter returns an enterprise's notifications after seq.
func (s *Store) NotificationsAfter(ctx context.Context, enterpriseID, after int64, limit int) ([]*webhook.Notification, error) {
	rows, err := s.readRows(ctx, `SELECT seq, enterprise_id, msg_id, subject, payload, created_at FROM notifications
		WHERE enterprise_id = ? AND seq > ? ORDER BY seq LIMIT ?`, enterpriseID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: notifications: %w", err)
	}
	defer rows.Close()
	var out []*webhook.Notification
	for rows.Next() {
		var n webhook.Notification
		var payload []byte
		var created int64
		if err := rows.Scan(&n.Seq, &n.EnterpriseID, &n.MsgID, &n.Subject, &payload, &created); err != nil {
			return nil, fmt.Errorf("sqlite: notifications: %w", err)
		}
		n.Payload, n.CreatedAt = payload, fromMicro(created)
		out = append(out, &n)
	}
	return out, rows.Err()
}

// NotificationWebhookDelivered records a delivery (or an idle check).
func (s *Store) NotificationWebhookDelivered(ctx context.Context, id string, position int64, at, next time.Time) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notification_webhooks SET last_notified = CASE WHEN position < ?1 THEN ?2 ELSE last_notified END,
			position = MAX(position, ?1), attempts = 0, last_error = '', next_attempt = ?3, lease_until = 0 WHERE id = ?4`,
			position, micro(at), micro(next), id)
		if err != nil {
			return fmt.Errorf("sqlite: notification webhook delivered: %w", err)
		}
		return nil
	})
}

// NotificationWebhookFailed records a failed delivery and when to retry.
func (s *Store) NotificationWebhookFailed(ctx context.Context, id string, next time.Time, reason string) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE notification_webhooks SET attempts = attempts + 1, last_error = ?, next_attempt = ?, lease_until = 0 WHERE id = ?",
			reason, micro(next), id)
		if err != nil {
			return fmt.Errorf("sqlite: notification webhook failed: %w", err)
		}
		return nil
	})
}

// PruneNotifications deletes the notifications added before t that every
// webhook of their enterprise has delivered.
func (s *Store) PruneNotifications(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, pruneNotifications, micro(before))
		if err != nil {
			return fmt.Errorf("sqlite: prune notifications: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

const pruneNotifications = `DELETE FROM notifications WHERE created_at < ?1
	AND seq <= COALESCE((SELECT MIN(w.position) FROM notification_webhooks w WHERE w.enterprise_id = notifications.enterprise_id), seq)`
