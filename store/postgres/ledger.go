package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
	"tracegate/epcis"
	"tracegate/ledger"
)

var _ ledger.Store = (*Store)(nil)

// querier is the read side of the pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func readHashes(ctx context.Context, q querier, indexes []int64) ([]tlog.Hash, error) {
	rows, err := q.Query(ctx, "SELECT idx, hash FROM ledger_hashes WHERE idx = ANY($1)", indexes)
	if err != nil {
		return nil, fmt.Errorf("postgres: read ledger hashes: %w", err)
	}
	defer rows.Close()
	found := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var idx int64
		var b []byte
		if err := rows.Scan(&idx, &b); err != nil {
			return nil, fmt.Errorf("postgres: read ledger hashes: %w", err)
		}
		var h tlog.Hash
		copy(h[:], b)
		found[idx] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: read ledger hashes: %w", err)
	}
	return ledger.OrderHashes(indexes, found)
}

// ReadHashes returns committed stored hashes, in the order asked.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, s.pool, indexes)
}

// ReadEntries returns the leaves with indexes in [start, end).
func (s *Store) ReadEntries(ctx context.Context, start, end int64) ([][]byte, error) {
	rows, err := s.pool.Query(ctx, "SELECT idx, leaf FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx", start, end)
	if err != nil {
		return nil, fmt.Errorf("postgres: read ledger entries: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var idx int64
		var leaf []byte
		if err := rows.Scan(&idx, &leaf); err != nil {
			return nil, fmt.Errorf("postgres: read ledger entries: %w", err)
		}
		if idx != start+int64(len(out)) {
			return nil, tracegate.Errorf(tracegate.EINTERNAL, "ledger: entry %d is missing", start+int64(len(out)))
		}
		out = append(out, leaf)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if int64(len(out)) != end-start {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "ledger: entries %d..%d are not all committed", start, end)
	}
	return out, nil
}

func ledgerSize(ctx context.Context, q querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries").Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: ledger size: %w", err)
	}
	return n, nil
}

// LedgerSize returns the number of committed leaves.
func (s *Store) LedgerSize(ctx context.Context) (int64, error) { return ledgerSize(ctx, s.pool) }

// SaveCheckpoint stores a signed checkpoint unless one of that size exists.
// Under a lease (the publisher's; ctx carries its fence) it fails with
// lease.ErrStale when the lease has passed to another node.
func (s *Store) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO ledger_checkpoints (size, note, created_at) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING",
			size, string(signed), tx.now)
		if err != nil {
			return fmt.Errorf("postgres: save checkpoint: %w", err)
		}
		return nil
	})
}

// LatestCheckpoint returns the checkpoint of the largest size, or ENOTFOUND.
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var n string
	err := s.pool.QueryRow(ctx, "SELECT note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1").Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no checkpoint has been published yet")
	} else if err != nil {
		return nil, fmt.Errorf("postgres: latest checkpoint: %w", err)
	}
	return []byte(n), nil
}

// Checkpoints returns every stored checkpoint by size.
func (s *Store) Checkpoints(ctx context.Context) ([][]byte, error) {
	rows, err := s.pool.Query(ctx, "SELECT note FROM ledger_checkpoints ORDER BY size")
	if err != nil {
		return nil, fmt.Errorf("postgres: checkpoints: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, []byte(n))
	}
	return out, rows.Err()
}

// LedgerRecords calls fn with every event in ledger order, then the events
// without a ledger index (LedgerIndex -1).
func (s *Store) LedgerRecords(ctx context.Context, fn func(r *epcis.Record) error) error {
	rows, err := s.pool.Query(ctx, `SELECT seq, COALESCE(ledger_idx, -1), enterprise_id, record_time, body FROM epcis_events
		ORDER BY ledger_idx IS NULL, ledger_idx, seq`)
	if err != nil {
		return fmt.Errorf("postgres: ledger records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r epcis.Record
		var body string
		if err := rows.Scan(&r.Seq, &r.LedgerIndex, &r.EnterpriseID, &r.RecordTime, &body); err != nil {
			return fmt.Errorf("postgres: ledger records: %w", err)
		}
		r.RecordTime, r.Body = r.RecordTime.UTC(), []byte(body)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// appendTree adds leaves, whose entries tx has stored from index size on,
// to the tree's stored hashes in tx; nothing when there are none.
func appendTree(ctx context.Context, tx *Tx, size int64, leaves [][]byte) error {
	if len(leaves) == 0 {
		return nil
	}
	if _, _, err := ledger.Append(ctx, txHashes{tx}, size, leaves); err != nil {
		return fmt.Errorf("postgres: ledger append: %w", err)
	}
	return nil
}

// txHashes is the HashWriter of one transaction.
type txHashes struct{ tx *Tx }

func (h txHashes) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, h.tx, indexes)
}

func (h txHashes) WriteHashes(ctx context.Context, indexes []int64, hashes []tlog.Hash) error {
	bs := make([][]byte, len(hashes))
	for i := range hashes {
		bs[i] = hashes[i][:]
	}
	if _, err := h.tx.Exec(ctx, "INSERT INTO ledger_hashes (idx, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])", indexes, bs); err != nil {
		return fmt.Errorf("postgres: write ledger hashes: %w", err)
	}
	return nil
}
