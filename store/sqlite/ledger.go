package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
	"tracegate/epcis"
	"tracegate/ledger"
)

var _ ledger.Store = (*Store)(nil)

// queryer is what reading hashes needs: the read pool or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readHashes returns the stored hashes at indexes, in that order.
func readHashes(ctx context.Context, q queryer, indexes []int64) ([]tlog.Hash, error) {
	found := make(map[int64]tlog.Hash, len(indexes))
	for start := 0; start < len(indexes); start += 500 {
		chunk := indexes[start:min(start+500, len(indexes))]
		args := make([]any, len(chunk))
		for i, x := range chunk {
			args[i] = x
		}
		rows, err := q.QueryContext(ctx, "SELECT idx, hash FROM ledger_hashes WHERE idx IN (?"+strings.Repeat(",?", len(chunk)-1)+")", args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: read ledger hashes: %w", err)
		}
		for rows.Next() {
			var idx int64
			var b []byte
			if err := rows.Scan(&idx, &b); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: read ledger hashes: %w", err)
			}
			var h tlog.Hash
			copy(h[:], b)
			found[idx] = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: read ledger hashes: %w", err)
		}
	}
	return ledger.OrderHashes(indexes, found)
}

// ReadHashes returns committed stored hashes, in the order asked.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, s.reader, indexes)
}

// ReadEntries returns the leaves with indexes in [start, end).
func (s *Store) ReadEntries(ctx context.Context, start, end int64) ([][]byte, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT idx, leaf FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx", start, end)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read ledger entries: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var idx int64
		var leaf []byte
		if err := rows.Scan(&idx, &leaf); err != nil {
			return nil, fmt.Errorf("sqlite: read ledger entries: %w", err)
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

func ledgerSize(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) (int64, error) {
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries").Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: ledger size: %w", err)
	}
	return n, nil
}

// LedgerSize returns the number of committed leaves.
func (s *Store) LedgerSize(ctx context.Context) (int64, error) { return ledgerSize(ctx, s.reader) }

// SaveCheckpoint stores a signed checkpoint unless one of that size exists.
func (s *Store) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO ledger_checkpoints (size, note, created_at) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING",
			size, string(signed), micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: save checkpoint: %w", err)
		}
		return nil
	})
}

// LatestCheckpoint returns the checkpoint of the largest size, or ENOTFOUND.
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var n string
	err := s.readRow(ctx, "SELECT note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1").Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no checkpoint has been published yet")
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: latest checkpoint: %w", err)
	}
	return []byte(n), nil
}

// Checkpoints returns every stored checkpoint by size.
func (s *Store) Checkpoints(ctx context.Context) ([][]byte, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT note FROM ledger_checkpoints ORDER BY size")
	if err != nil {
		return nil, fmt.Errorf("sqlite: checkpoints: %w", err)
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
// that have no ledger index (LedgerIndex -1), with Body, RecordTime and
// EnterpriseID set: what an audit re-derives the leaves from.
func (s *Store) LedgerRecords(ctx context.Context, fn func(r *epcis.Record) error) error {
	rows, err := s.reader.QueryContext(ctx, `SELECT seq, COALESCE(ledger_idx, -1), enterprise_id, record_time, body FROM epcis_events
		ORDER BY ledger_idx IS NULL, ledger_idx, seq`)
	if err != nil {
		return fmt.Errorf("sqlite: ledger records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r epcis.Record
		var recorded int64
		var body string
		if err := rows.Scan(&r.Seq, &r.LedgerIndex, &r.EnterpriseID, &recorded, &body); err != nil {
			return fmt.Errorf("sqlite: ledger records: %w", err)
		}
		r.RecordTime, r.Body = fromMicro(recorded), []byte(body)
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
		return fmt.Errorf("sqlite: ledger append: %w", err)
	}
	return nil
}

// txHashes is the HashWriter of one write transaction.
type txHashes struct{ tx *Tx }

func (h txHashes) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, h.tx, indexes)
}

func (h txHashes) WriteHashes(ctx context.Context, indexes []int64, hashes []tlog.Hash) error {
	st, err := h.tx.PrepareContext(ctx, "INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("sqlite: write ledger hashes: %w", err)
	}
	defer st.Close()
	for i, x := range indexes {
		if _, err := st.ExecContext(ctx, x, hashes[i][:]); err != nil {
			return fmt.Errorf("sqlite: write ledger hash %d: %w", x, err)
		}
	}
	return nil
}
