package sqlite

import (
	"context"
	"fmt"
	"time"

	"tracegate/bus"
)

var _ bus.Outbox = (*Store)(nil)

// OnOutboxCommit sets fn to be called after every commit that wrote to the
// outbox.
func (s *Store) OnOutboxCommit(fn func()) { s.onOutbox.Store(&fn) }

// committed runs the after-commit hooks of tx.
func (s *Store) committed(tx *Tx) {
	if fn := s.onOutbox.Load(); tx.outbox && fn != nil && *fn != nil {
		(*fn)()
	}
}

// AppendOutbox writes msgs to the outbox in one transaction.
func (s *Store) AppendOutbox(ctx context.Context, msgs ...bus.Message) error {
	return s.update(ctx, func(tx *Tx) error { return appendOutbox(ctx, tx, msgs...) })
}

// appendOutbox writes msgs to the outbox in tx, so they are published
// after, and only if, tx commits. A write that must notify calls it inside
// its own transaction. It fails with EINVALID on an unpublishable subject.
func appendOutbox(ctx context.Context, tx *Tx, msgs ...bus.Message) error {
	msgs, err := bus.ForOutbox(msgs, tx.now)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO outbox (msg_id, subject, payload, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (msg_id) DO NOTHING",
			m.ID, m.Subject, []byte(m.Payload), micro(m.At)); err != nil {
			return fmt.Errorf("sqlite: append outbox: %w", err)
		}
	}
	tx.outbox = tx.outbox || len(msgs) > 0
	return nil
}

// RelayOutbox hands the oldest unpublished messages to publish and marks
// those it sent. The store's relay lock makes relays of one store take turns
// (the file has one writer, hence one node); the messages are read from the
// committed state and marked in a write transaction after publish returns,
// so publishing never holds the writer.
func (s *Store) RelayOutbox(ctx context.Context, limit int, publish func(ctx context.Context, msgs []bus.Message) (int, error)) (int, error) {
	s.relayMu.Lock()
	defer s.relayMu.Unlock()
	rows, err := s.readRows(ctx, "SELECT seq, msg_id, subject, payload, created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?", limit)
	if err != nil {
		return 0, fmt.Errorf("sqlite: read outbox: %w", err)
	}
	var seqs []int64
	var msgs []bus.Message
	for rows.Next() {
		var m bus.Message
		var seq, at int64
		var payload []byte
		if err := rows.Scan(&seq, &m.ID, &m.Subject, &payload, &at); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqlite: read outbox: %w", err)
		}
		m.Payload, m.At = payload, fromMicro(at)
		seqs, msgs = append(seqs, seq), append(msgs, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("sqlite: read outbox: %w", err)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	sent, perr := publish(ctx, msgs)
	sent = max(0, min(sent, len(msgs)))
	if sent == 0 {
		return 0, perr
	}
	err = s.update(context.WithoutCancel(ctx), func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE outbox SET published_at = ? WHERE seq >= ? AND seq <= ? AND published_at IS NULL",
			micro(tx.now), seqs[0], seqs[sent-1])
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: mark outbox published: %w", err)
	}
	return sent, perr
}

// PruneOutbox deletes the messages published before t.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?", micro(before))
		if err != nil {
			return fmt.Errorf("sqlite: prune outbox: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
