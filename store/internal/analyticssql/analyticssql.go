// Package analyticssql is the barcode-analytics store both stores share
// (risk.AnalyticsStore but the scan, which each store writes for its
// driver): the state of the runs, the touched GTINs, the filings, the
// references and specification texts of what findings list, and the
// findings with their parties. It is written against store/internal/sqldb.
package analyticssql

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tracegate/risk"
	"tracegate/store/internal/sqldb"
)

// Store implements the shared part of risk.AnalyticsStore; a store embeds
// it (New).
type Store struct {
	d      sqldb.Dialect
	db     sqldb.Q
	update func(ctx context.Context, fn func(tx sqldb.Tx) error) error
}

// New is the analytics store over db (the read pool) and the write
// transactions update runs.
func New(d sqldb.Dialect, db sqldb.Q, update func(ctx context.Context, fn func(tx sqldb.Tx) error) error) *Store {
	return &Store{d: d, db: db, update: update}
}

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, what, err)
}

// LineColumns is what a scan of risk_lines reads: each line's record
// (risk.EncodeLine).
const LineColumns = "r"

// chunk is how many values one IN list holds.
const chunk = 500

// in is "(?, ?, …)" for n values.
func in(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

func args[T any](v []T) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// ScanSome calls fn with the lines of gtins (in GTIN order), a chunk of
// GTINs per query.
func (s *Store) ScanSome(ctx context.Context, gtins []int64, fn func(*risk.Line) error) error {
	var l risk.Line
	var r []byte
	for i := 0; i < len(gtins); i += chunk {
		part := gtins[i:min(i+chunk, len(gtins))]
		rows, err := s.db.Query(ctx, "SELECT "+LineColumns+" FROM risk_lines WHERE gtin IN "+in(len(part))+" ORDER BY gtin", args(part)...)
		if err != nil {
			return s.errf("scan declared lines", err)
		}
		for rows.Next() {
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return s.errf("scan declared lines", err)
			}
			if err := risk.DecodeLine(r, &l); err != nil {
				rows.Close()
				return s.errf("scan declared lines", err)
			}
			if err := fn(&l); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.errf("scan declared lines", err)
		}
	}
	return nil
}

// DeclaredLineStats implements risk.AnalyticsStore.
func (s *Store) DeclaredLineStats(ctx context.Context) (int64, int64, error) {
	var n, seq int64
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*), COALESCE(MAX(seq), -1) FROM risk_lines").Scan(&n, &seq); err != nil {
		return 0, 0, s.errf("declared lines", err)
	}
	return n, seq, nil
}

// TouchedGTINs implements risk.AnalyticsStore.
func (s *Store) TouchedGTINs(ctx context.Context, position int64, since time.Time) ([]int64, int64, error) {
	max := position
	rows, err := s.db.Query(ctx, "SELECT gtin, MAX(seq) FROM risk_lines WHERE seq > ? GROUP BY gtin", position)
	if err != nil {
		return nil, 0, s.errf("touched gtins", err)
	}
	seen := map[int64]bool{}
	out := []int64{}
	for rows.Next() {
		var g, seq int64
		if err := rows.Scan(&g, &seq); err != nil {
			rows.Close()
			return nil, 0, s.errf("touched gtins", err)
		}
		seen[g] = true
		out = append(out, g)
		max = maxInt(max, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, s.errf("touched gtins", err)
	}
	rows, err = s.db.Query(ctx, "SELECT DISTINCT gtin FROM products WHERE updated_at > ? OR reviewed_at > ?", s.d.Time(since), s.d.Time(since))
	if err != nil {
		return nil, 0, s.errf("touched filings", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return nil, 0, s.errf("touched filings", err)
		}
		if n := risk.CodeNumber(g, -1); n > 0 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, max, rows.Err()
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// ApprovedFilings implements risk.AnalyticsStore.
func (s *Store) ApprovedFilings(ctx context.Context, gtins []int64) (map[string][]risk.Filing, error) {
	out := map[string][]risk.Filing{}
	read := func(where string, a ...any) error {
		rows, err := s.db.Query(ctx, "SELECT gtin, owner_id, hs_code, origin_country FROM products WHERE status = 'approved'"+where+" ORDER BY gtin, owner_id", a...)
		if err != nil {
			return s.errf("approved filings", err)
		}
		defer rows.Close()
		for rows.Next() {
			var g string
			var f risk.Filing
			if err := rows.Scan(&g, &f.OwnerID, &f.HS, &f.Origin); err != nil {
				return s.errf("approved filings", err)
			}
			out[g] = append(out[g], f)
		}
		return rows.Err()
	}
	if gtins == nil {
		return out, read("")
	}
	for i := 0; i < len(gtins); i += chunk {
		part := gtins[i:min(i+chunk, len(gtins))]
		gs := make([]string, len(part))
		for j, g := range part {
			gs[j] = risk.GTINString(g)
		}
		if err := read(" AND gtin IN "+in(len(gs)), args(gs)...); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DeclarationHeads implements risk.AnalyticsStore.
func (s *Store) DeclarationHeads(ctx context.Context, ids []int64) (map[int64][2]string, error) {
	out := map[int64][2]string{}
	for i := 0; i < len(ids); i += chunk {
		part := ids[i:min(i+chunk, len(ids))]
		rows, err := s.db.Query(ctx, "SELECT id, ebp_code, order_no FROM customs_declarations WHERE id IN "+in(len(part)), args(part)...)
		if err != nil {
			return nil, s.errf("declaration heads", err)
		}
		for rows.Next() {
			var id int64
			var h [2]string
			if err := rows.Scan(&id, &h[0], &h[1]); err != nil {
				rows.Close()
				return nil, s.errf("declaration heads", err)
			}
			out[id] = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.errf("declaration heads", err)
		}
	}
	return out, nil
}

// SpecTexts implements risk.AnalyticsStore.
func (s *Store) SpecTexts(ctx context.Context, hashes []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for i := 0; i < len(hashes); i += chunk {
		part := hashes[i:min(i+chunk, len(hashes))]
		rows, err := s.db.Query(ctx, "SELECT hash, gmodel FROM risk_specs WHERE hash IN "+in(len(part)), args(part)...)
		if err != nil {
			return nil, s.errf("spec texts", err)
		}
		for rows.Next() {
			var h int64
			var t string
			if err := rows.Scan(&h, &t); err != nil {
				rows.Close()
				return nil, s.errf("spec texts", err)
			}
			out[h] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.errf("spec texts", err)
		}
	}
	return out, nil
}

// AnalyticsState implements risk.AnalyticsStore.
func (s *Store) AnalyticsState(ctx context.Context) (int64, time.Time, error) {
	var pos, at int64
	err := s.db.QueryRow(ctx, "SELECT position, ran_at FROM risk_analytics_state WHERE id = 1").Scan(&pos, &at)
	if s.d.NoRows(err) {
		return -1, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, s.errf("analytics state", err)
	}
	return pos, time.Unix(0, at).UTC(), nil
}

// AnalyticsReference is the benchmarks' reference for a full run: a bare
// GROUP BY over the same rows (lines and bytes per GTIN), read to the end.
// It returns how many groups it read.
func (s *Store) AnalyticsReference(ctx context.Context) (int64, error) {
	rows, err := s.db.Query(ctx, "SELECT gtin, COUNT(*), SUM(LENGTH(r)) FROM risk_lines GROUP BY gtin")
	if err != nil {
		return 0, s.errf("analytics reference", err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var g, c, b int64
		if err := rows.Scan(&g, &c, &b); err != nil {
			return 0, s.errf("analytics reference", err)
		}
		n++
	}
	return n, rows.Err()
}
