// Package risksql is the risk store both stores share: signals and their
// attachments, the per-subject aggregates of the incremental scoring,
// warnings and their ledgered steps, the stock search, lab orders and
// results, the platforms' pre-listing setting, expert cases. It is written
// against store/internal/sqldb; each store gives it its dialect, read pool,
// write transactions and the SQL expression of a label's EPC.
package risksql

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/internal/sqldb"
)

// Store implements risk.Store; a store embeds it (New).
type Store struct {
	d        sqldb.Dialect
	db       sqldb.Q
	update   func(ctx context.Context, fn func(tx sqldb.Tx) error) error
	labelEPC string
}

var _ risk.Store = (*Store)(nil)

// New is the risk store over db (the read pool) and the write
// transactions update runs. labelEPC is the SQL expression of the EPC of
// the label row aliased l (urn:tracegate:label: and the lower-case hex of
// l.hash).
func New(d sqldb.Dialect, db sqldb.Q, update func(ctx context.Context, fn func(tx sqldb.Tx) error) error, labelEPC string) *Store {
	return &Store{d: d, db: db, update: update, labelEPC: labelEPC}
}

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: risk %s: %w", s.d.Name, what, err)
}

// aggregate is a subject's aggregate as a transaction changes it.
type aggregate struct {
	lsum    float64
	signals int
	exists  bool
	before  float64
	sigs    []int64
}

// AddRiskSignals stores sigs, scores them on their subjects and opens or
// raises the warnings of the subjects that rise into notice or above.
func (s *Store) AddRiskSignals(ctx context.Context, sigs []*risk.Signal, cfg *risk.Config, monitor string) ([]risk.Change, error) {
	var out []risk.Change
	err := s.update(ctx, func(tx sqldb.Tx) error {
		// The ledger's sequencer also serialises the aggregates' updates.
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		var err error
		out, err = s.addSignals(ctx, tx, sigs, cfg, monitor)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// addSignals is AddRiskSignals inside tx, which holds the ledger's lock.
func (s *Store) addSignals(ctx context.Context, tx sqldb.Tx, sigs []*risk.Signal, cfg *risk.Config, monitor string) ([]risk.Change, error) {
	var out []risk.Change
	err := func() error {
		now := tx.Now()
		aggs := map[risk.Subject]*aggregate{}
		var order []risk.Subject
		for _, sig := range sigs {
			if err := s.insertSignal(ctx, tx, sig, now); err != nil {
				return err
			}
			for _, subj := range sig.Subjects {
				a, ok := aggs[subj]
				if !ok {
					var err error
					if a, err = s.loadAggregate(ctx, tx, subj); err != nil {
						return err
					}
					a.before = cfg.Value(a.lsum, now)
					aggs[subj] = a
					order = append(order, subj)
				}
				if err := s.score(ctx, tx, cfg, sig, subj, a); err != nil {
					return err
				}
			}
		}
		for _, subj := range order {
			a := aggs[subj]
			if _, err := tx.Exec(ctx, `INSERT INTO risk_subjects (kind, value, lsum, signals, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (kind, value) DO UPDATE SET lsum = excluded.lsum, signals = excluded.signals, updated_at = excluded.updated_at`,
				string(subj.Kind), subj.Value, risk.Finite(a.lsum), a.signals, s.d.Time(now)); err != nil {
				return s.errf("subject", err)
			}
			after := cfg.Value(a.lsum, now)
			out = append(out, risk.Change{Subject: subj, Before: after0(a.before), After: after, From: cfg.LevelOf(a.before),
				To: cfg.LevelOf(after), LogSum: a.lsum, SignalIDs: a.sigs})
		}
		return s.openWarnings(ctx, tx, out, monitor)
	}()
	if err != nil {
		return nil, err
	}
	return out, nil
}

func after0(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

func (s *Store) insertSignal(ctx context.Context, tx sqldb.Tx, sig *risk.Signal, now time.Time) error {
	if sig.Selector.GTIN != "" {
		fs, err := filings(ctx, s, tx, sig.Selector.GTIN)
		if err != nil {
			return err
		}
		sig.Subjects = risk.Subjects(sig.Selector, fs)
	} else {
		sig.Subjects = risk.Subjects(sig.Selector, nil)
	}
	sel, err := json.Marshal(sig.Selector)
	if err != nil {
		return s.errf("selector", err)
	}
	if sig.Source == "" {
		sig.Source = sig.Author
	}
	var author, complaint any
	if sig.AuthorID != 0 {
		author = sig.AuthorID
	}
	if sig.Complaint != 0 {
		complaint = sig.Complaint
	}
	sig.RecordedAt = now
	err = tx.QueryRow(ctx, `INSERT INTO risk_signals (kind, source, observed_at, selector, gtin, hazard, severity, title, detail, ref,
		author_id, author_uscc, complaint_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(sig.Kind), sig.Source, s.d.Time(sig.ObservedAt), string(sel), sig.Selector.GTIN, string(sig.Hazard), string(sig.Severity),
		sig.Title, sig.Detail, sig.Ref, author, sig.Author, complaint, s.d.Time(now)).Scan(&sig.ID)
	if s.d.Unique(err) {
		return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/ref", Message: fmt.Sprintf("a signal with ref %q was stated before", sig.Ref)}
	}
	if err != nil {
		return s.errf("insert signal", err)
	}
	for i := range sig.Attachments {
		a := &sig.Attachments[i]
		if err := tx.QueryRow(ctx, `INSERT INTO risk_attachments (signal_id, name, type, size, sha256, data) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			sig.ID, a.Name, a.Type, a.Size, a.SHA256, a.Data).Scan(&a.ID); err != nil {
			return s.errf("insert attachment", err)
		}
		a.Data = nil
	}
	return nil
}

// filings returns the filings of a GTIN with their owners' USCCs.
func filings(ctx context.Context, s *Store, q sqldb.Q, gtin string) ([]risk.GoodsFiling, error) {
	rows, err := q.Query(ctx, `SELECT p.gtin, p.hs_code, p.origin_country, p.manufacturer, e.uscc FROM products p
		JOIN enterprises e ON e.id = p.owner_id WHERE p.gtin = ? ORDER BY p.id`, gtin)
	if err != nil {
		return nil, s.errf("filings", err)
	}
	defer rows.Close()
	var out []risk.GoodsFiling
	for rows.Next() {
		var f risk.GoodsFiling
		if err := rows.Scan(&f.GTIN, &f.HSCode, &f.Origin, &f.Manufacturer, &f.OwnerUSCC); err != nil {
			return nil, s.errf("filings", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// RiskFilings returns the filings of gtin.
func (s *Store) RiskFilings(ctx context.Context, gtin string) ([]risk.GoodsFiling, error) {
	return filings(ctx, s, s.db, gtin)
}

func (s *Store) loadAggregate(ctx context.Context, tx sqldb.Tx, subj risk.Subject) (*aggregate, error) {
	a := &aggregate{lsum: math.Inf(-1)}
	var lsum float64
	err := tx.QueryRow(ctx, "SELECT lsum, signals FROM risk_subjects WHERE kind = ? AND value = ?", string(subj.Kind), subj.Value).Scan(&lsum, &a.signals)
	if s.d.NoRows(err) {
		return a, nil
	}
	if err != nil {
		return nil, s.errf("subject", err)
	}
	a.lsum, a.exists = risk.Unfinite(lsum), true
	return a, nil
}

// score adds sig's weight on subj: its rank within its source, its stored
// log weight, the subject's log sum.
func (s *Store) score(ctx context.Context, tx sqldb.Tx, cfg *risk.Config, sig *risk.Signal, subj risk.Subject, a *aggregate) error {
	src := sig.SourceKey()
	var n int
	if err := tx.QueryRow(ctx, `INSERT INTO risk_subject_sources (subject_kind, subject_value, source, n) VALUES (?, ?, ?, 1)
		ON CONFLICT (subject_kind, subject_value, source) DO UPDATE SET n = risk_subject_sources.n + 1 RETURNING n`,
		string(subj.Kind), subj.Value, src).Scan(&n); err != nil {
		return s.errf("source", err)
	}
	lw := cfg.LogWeight(sig.Kind, sig.Severity, sig.ObservedAt, n)
	if _, err := tx.Exec(ctx, `INSERT INTO risk_subject_signals (subject_kind, subject_value, signal_id, source, ord, kind, severity, lw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, string(subj.Kind), subj.Value, sig.ID, src, n, string(sig.Kind), string(sig.Severity), risk.Finite(lw)); err != nil {
		return s.errf("subject signal", err)
	}
	a.lsum = risk.LogAdd(a.lsum, lw)
	a.signals++
	a.sigs = append(a.sigs, sig.ID)
	return nil
}

// subjectArgs splits a subject for a query.
func subjectArgs(subj risk.Subject) []any { return []any{string(subj.Kind), subj.Value} }

func joinIDs(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

func splitIDs(s string) []int64 {
	var ids []int64
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &ids); err != nil || ids == nil {
		return []int64{}
	}
	return ids
}
