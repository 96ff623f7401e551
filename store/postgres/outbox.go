package postgres

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
		if _, err := tx.Exec(ctx, "INSERT INTO outbox (msg_id, subject, payload, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (msg_id) DO NOTHING",
			m.ID, m.Subject, []byte(m.Payload), m.At); err != nil {
			return fmt.Errorf("postgres: append outbox: %w", err)
		}
	}
	tx.outbox = tx.outbox || len(msgs) > 0
	return nil
}

// outboxLock is the advisory-lock key relays take turns under, so the bus
// receives the outbox in seq order even with a relay on every node.
const outboxLock = 0x6f757462 // "outb"

// RelayOutbox, when no other node's relay is publishing (a try-lock, so it
// never waits), locks the oldest unpublished messages (FOR UPDATE SKIP
// LOCKED: a message is never taken twice), hands them to publish, and marks
// those it sent in the same transaction. A relay that dies before its
// commit releases its rows unmarked, and they are taken again.
func (s *Store) RelayOutbox(ctx context.Context, limit int, publish func(ctx context.Context, msgs []bus.Message) (int, error)) (int, error) {
	var sent int
	var perr error
	err := s.update(ctx, func(tx *Tx) error {
		var mine bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", outboxLock).Scan(&mine); err != nil {
			return fmt.Errorf("postgres: outbox lock: %w", err)
		}
		if !mine { // another node's relay is publishing: it will take these too
			return nil
		}
		rows, err := tx.Query(ctx, "SELECT seq, msg_id, subject, payload, created_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED", limit)
		if err != nil {
			return fmt.Errorf("postgres: read outbox: %w", err)
		}
		var seqs []int64
		var msgs []bus.Message
		for rows.Next() {
			var m bus.Message
			var seq int64
			var payload []byte
			if err := rows.Scan(&seq, &m.ID, &m.Subject, &payload, &m.At); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: read outbox: %w", err)
			}
			m.Payload, m.At = payload, m.At.UTC()
			seqs, msgs = append(seqs, seq), append(msgs, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: read outbox: %w", err)
		}
		if len(msgs) == 0 {
			return nil
		}
		sent, perr = publish(ctx, msgs)
		sent = max(0, min(sent, len(msgs)))
		if sent == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, "UPDATE outbox SET published_at = $1 WHERE seq = ANY($2)", tx.now, seqs[:sent]); err != nil {
			return fmt.Errorf("postgres: mark outbox published: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return sent, perr
}

// PruneOutbox deletes the messages published before t.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.update(ctx, func(tx *Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1", before)
		if err != nil {
			return fmt.Errorf("postgres: prune outbox: %w", err)
		}
		n = tag.RowsAffected()
		return nil
	})
	return n, err
}
