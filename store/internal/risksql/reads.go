package risksql

import (
	"context"
	"encoding/json"
	"math"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/internal/sqldb"
)

const signalCols = `s.id, s.kind, s.source, s.observed_at, s.selector, s.hazard, s.severity, s.title, s.detail, s.ref, s.author_uscc,
	COALESCE(s.complaint_id, 0), s.recorded_at`

func (s *Store) scanSignal(r interface{ Scan(...any) error }) (*risk.Signal, error) {
	var sig risk.Signal
	var kind, hazard, sev, sel string
	if err := r.Scan(&sig.ID, &kind, &sig.Source, s.d.TimeDest(&sig.ObservedAt), &sel, &hazard, &sev, &sig.Title, &sig.Detail, &sig.Ref,
		&sig.Author, &sig.Complaint, s.d.TimeDest(&sig.RecordedAt)); err != nil {
		return nil, err
	}
	sig.Kind, sig.Hazard, sig.Severity = risk.Kind(kind), risk.Hazard(hazard), risk.Severity(sev)
	if err := json.Unmarshal([]byte(sel), &sig.Selector); err != nil {
		return nil, err
	}
	return &sig, nil
}

// fill adds the subjects and attachments' metadata of sigs.
func (s *Store) fill(ctx context.Context, sigs []*risk.Signal) error {
	for _, sig := range sigs {
		rows, err := s.db.Query(ctx, "SELECT subject_kind, subject_value FROM risk_subject_signals WHERE signal_id = ?", sig.ID)
		if err != nil {
			return s.errf("signal subjects", err)
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return s.errf("signal subjects", err)
			}
			sig.Subjects = append(sig.Subjects, risk.Subject{Kind: risk.SubjectKind(k), Value: v})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.errf("signal subjects", err)
		}
		rows, err = s.db.Query(ctx, "SELECT id, name, type, size, sha256 FROM risk_attachments WHERE signal_id = ? ORDER BY id", sig.ID)
		if err != nil {
			return s.errf("signal attachments", err)
		}
		for rows.Next() {
			var a risk.Attachment
			if err := rows.Scan(&a.ID, &a.Name, &a.Type, &a.Size, &a.SHA256); err != nil {
				rows.Close()
				return s.errf("signal attachments", err)
			}
			sig.Attachments = append(sig.Attachments, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.errf("signal attachments", err)
		}
	}
	return nil
}

// RiskSignal returns signal id.
func (s *Store) RiskSignal(ctx context.Context, id int64) (*risk.Signal, error) {
	sig, err := s.scanSignal(s.db.QueryRow(ctx, "SELECT "+signalCols+" FROM risk_signals s WHERE s.id = ?", id))
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no risk signal %d", id)
	}
	if err != nil {
		return nil, s.errf("signal", err)
	}
	return sig, s.fill(ctx, []*risk.Signal{sig})
}

// RiskSignals lists signals by f, newest first.
func (s *Store) RiskSignals(ctx context.Context, f risk.SignalFilter) ([]risk.Signal, error) {
	q := "SELECT " + signalCols + " FROM risk_signals s"
	var args []any
	if f.Subject.Kind != "" {
		q += " JOIN risk_subject_signals ss ON ss.signal_id = s.id AND ss.subject_kind = ? AND ss.subject_value = ?"
		args = append(args, subjectArgs(f.Subject)...)
	}
	q += " WHERE 1 = 1"
	if f.Kind != "" {
		q += " AND s.kind = ?"
		args = append(args, string(f.Kind))
	}
	if f.AuthorID != 0 {
		q += " AND s.author_id = ?"
		args = append(args, f.AuthorID)
	}
	if f.BeforeID > 0 {
		q += " AND s.id < ?"
		args = append(args, f.BeforeID)
	}
	q += " ORDER BY s.id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, s.errf("signals", err)
	}
	var ptrs []*risk.Signal
	for rows.Next() {
		sig, err := s.scanSignal(rows)
		if err != nil {
			rows.Close()
			return nil, s.errf("signals", err)
		}
		ptrs = append(ptrs, sig)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.errf("signals", err)
	}
	if err := s.fill(ctx, ptrs); err != nil {
		return nil, err
	}
	out := make([]risk.Signal, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	return out, nil
}

// RiskAttachment returns attachment id with its data.
func (s *Store) RiskAttachment(ctx context.Context, id int64) (*risk.Attachment, int64, error) {
	var a risk.Attachment
	var sig int64
	err := s.db.QueryRow(ctx, "SELECT id, COALESCE(signal_id, 0), name, type, size, sha256, data FROM risk_attachments WHERE id = ?", id).
		Scan(&a.ID, &sig, &a.Name, &a.Type, &a.Size, &a.SHA256, &a.Data)
	if s.d.NoRows(err) {
		return nil, 0, tracegate.Errorf(tracegate.ENOTFOUND, "no risk attachment %d", id)
	}
	if err != nil {
		return nil, 0, s.errf("attachment", err)
	}
	return &a, sig, nil
}

// contributions reads the limit heaviest contributions of subj.
func (s *Store) contributions(ctx context.Context, q sqldb.Q, subj risk.Subject, limit int) ([]risk.StoredContribution, error) {
	rows, err := q.Query(ctx, `SELECT signal_id, kind, severity, source, ord, lw FROM risk_subject_signals
		WHERE subject_kind = ? AND subject_value = ? ORDER BY lw DESC, signal_id LIMIT ?`, string(subj.Kind), subj.Value, limit)
	if err != nil {
		return nil, s.errf("contributions", err)
	}
	defer rows.Close()
	var out []risk.StoredContribution
	for rows.Next() {
		var c risk.StoredContribution
		var kind, sev string
		if err := rows.Scan(&c.Signal, &kind, &sev, &c.Source, &c.Rank, &c.LogWeight); err != nil {
			return nil, s.errf("contributions", err)
		}
		c.Kind, c.Severity, c.LogWeight = risk.Kind(kind), risk.Severity(sev), risk.Unfinite(c.LogWeight)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RiskAggregate returns the aggregate of subj.
func (s *Store) RiskAggregate(ctx context.Context, subj risk.Subject, limit int) (*risk.Aggregate, error) {
	a := &risk.Aggregate{Subject: subj}
	err := s.db.QueryRow(ctx, "SELECT lsum, signals FROM risk_subjects WHERE kind = ? AND value = ?", subjectArgs(subj)...).Scan(&a.LogSum, &a.Signals)
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no signal scores %s", subj)
	}
	if err != nil {
		return nil, s.errf("aggregate", err)
	}
	a.LogSum = risk.Unfinite(a.LogSum)
	a.Contributions, err = s.contributions(ctx, s.db, subj, limit)
	return a, err
}

// RiskAggregates returns the heaviest subjects of kind.
func (s *Store) RiskAggregates(ctx context.Context, kind risk.SubjectKind, limit, perSubject int) ([]risk.Aggregate, error) {
	q, args := "SELECT kind, value, lsum, signals FROM risk_subjects ORDER BY lsum DESC, kind, value LIMIT ?", []any{limit}
	if kind != "" {
		q, args = "SELECT kind, value, lsum, signals FROM risk_subjects WHERE kind = ? ORDER BY lsum DESC, value LIMIT ?", []any{string(kind), limit}
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, s.errf("aggregates", err)
	}
	var out []risk.Aggregate
	for rows.Next() {
		var a risk.Aggregate
		var k string
		if err := rows.Scan(&k, &a.Subject.Value, &a.LogSum, &a.Signals); err != nil {
			rows.Close()
			return nil, s.errf("aggregates", err)
		}
		a.Subject.Kind, a.LogSum = risk.SubjectKind(k), risk.Unfinite(a.LogSum)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.errf("aggregates", err)
	}
	for i := range out {
		if out[i].Contributions, err = s.contributions(ctx, s.db, out[i].Subject, perSubject); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RiskHeavy returns the log sums of kind at least min.
func (s *Store) RiskHeavy(ctx context.Context, kind risk.SubjectKind, min float64) (map[string]float64, error) {
	if math.IsInf(min, -1) || math.IsNaN(min) {
		min = risk.NoWeight
	}
	rows, err := s.db.Query(ctx, "SELECT value, lsum FROM risk_subjects WHERE kind = ? AND lsum >= ?", string(kind), min)
	if err != nil {
		return nil, s.errf("heavy subjects", err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var v string
		var l float64
		if err := rows.Scan(&v, &l); err != nil {
			return nil, s.errf("heavy subjects", err)
		}
		out[v] = l
	}
	return out, rows.Err()
}

// RiskConfig returns the stored configuration, nil for none.
func (s *Store) RiskConfig(ctx context.Context) ([]byte, error) {
	var b string
	err := s.db.QueryRow(ctx, "SELECT body FROM risk_config WHERE id = 1").Scan(&b)
	if s.d.NoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, s.errf("config", err)
	}
	return []byte(b), nil
}
