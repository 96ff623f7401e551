package analyticssql

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"tracegate/customs"
	"tracegate/risk"
	"tracegate/store/internal/sqldb"
)

// storedRef is a risk.DeclarationRef as stored: with the declaration and
// its declarant, which the API does not show.
type storedRef struct {
	ID         int64     `json:"id"`
	Declarant  int64     `json:"e"`
	EbpCode    string    `json:"ebpCode"`
	OrderNo    string    `json:"orderNo"`
	HSCode     string    `json:"hsCode"`
	Price      string    `json:"price"`
	DeclaredAt time.Time `json:"declaredAt"`
}

// SaveFindings implements risk.AnalyticsStore: each finding is upserted by
// its key with the run's number, its parties written again, and the
// findings of the run's scope not found again deleted.
func (s *Store) SaveFindings(ctx context.Context, u risk.FindingsUpdate) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		var run int64
		err := tx.QueryRow(ctx, "SELECT run FROM risk_analytics_state WHERE id = 1").Scan(&run)
		if err != nil && !s.d.NoRows(err) {
			return s.errf("analytics state", err)
		}
		run++
		if err := s.saveFindings(ctx, tx, u.Findings, run); err != nil {
			return err
		}
		if u.Full {
			if _, err := tx.Exec(ctx, "DELETE FROM risk_findings WHERE run < ?", run); err != nil {
				return s.errf("delete findings", err)
			}
		} else {
			for i := 0; i < len(u.GTINs); i += chunk {
				part := u.GTINs[i:min(i+chunk, len(u.GTINs))]
				gs := make([]any, len(part))
				for j, g := range part {
					gs[j] = risk.GTINString(g)
				}
				if _, err := tx.Exec(ctx, "DELETE FROM risk_findings WHERE run < ? AND gtin IN "+in(len(gs)), append([]any{run}, gs...)...); err != nil {
					return s.errf("delete findings", err)
				}
			}
		}
		// Parties of deleted findings go with them (ON DELETE CASCADE);
		// SQLite enforces it with foreign_keys on, as the stores open it.
		pos := u.Position
		if _, err := tx.Exec(ctx, `INSERT INTO risk_analytics_state (id, position, run, ran_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET position = CASE WHEN excluded.position > risk_analytics_state.position
			THEN excluded.position ELSE risk_analytics_state.position END, run = excluded.run, ran_at = excluded.ran_at`,
			pos, run, u.At.UnixNano()); err != nil {
			return s.errf("analytics state", err)
		}
		return nil
	})
}

// findingBatch is how many findings one statement upserts.
const findingBatch = 200

// saveFindings upserts fs (their IDs set) and rewrites their parties, a
// batch of rows per statement.
func (s *Store) saveFindings(ctx context.Context, tx sqldb.Tx, fs []risk.Finding, run int64) error {
	for len(fs) > 0 {
		part := fs[:min(findingBatch, len(fs))]
		fs = fs[len(part):]
		a := make([]any, 0, 11*len(part))
		for _, f := range part {
			refs := make([]storedRef, len(f.Declarations))
			for i, d := range f.Declarations {
				refs[i] = storedRef{d.DeclarationID, d.Declarant, d.EbpCode, d.OrderNo, d.HSCode, d.Price, d.DeclaredAt}
			}
			b, err := json.Marshal(refs)
			if err != nil {
				return s.errf("encode finding", err)
			}
			var short any
			if f.TaxShortfall != nil {
				short = int64(*f.TaxShortfall)
			}
			a = append(a, f.Key, string(f.Kind), f.GTIN, f.Detail, f.Weak, f.Lines, string(b), short, f.At.Unix(), run, f.UpdatedAt.UnixNano())
		}
		rows, err := tx.Query(ctx, `INSERT INTO risk_findings (key, kind, gtin, detail, weak, lines, declarations, shortfall, at, run, updated_at)
			VALUES `+values(len(part), 11)+`
			ON CONFLICT (key) DO UPDATE SET detail = excluded.detail, weak = excluded.weak, lines = excluded.lines,
				declarations = excluded.declarations, shortfall = excluded.shortfall, at = excluded.at, run = excluded.run,
				updated_at = excluded.updated_at
			RETURNING id, key`, a...)
		if err != nil {
			return s.errf("save findings", err)
		}
		ids := map[string]int64{}
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return s.errf("save findings", err)
			}
			ids[key] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.errf("save findings", err)
		}
		idArgs := make([]any, 0, len(part))
		var parties []any
		for i := range part {
			f := &part[i]
			f.ID = ids[f.Key]
			idArgs = append(idArgs, f.ID)
			for _, p := range f.Parties {
				parties = append(parties, p, f.ID, slices.Contains(f.Culprits, p))
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM risk_finding_parties WHERE finding_id IN "+in(len(idArgs)), idArgs...); err != nil {
			return s.errf("finding parties", err)
		}
		for len(parties) > 0 {
			n := min(len(parties), 3*500)
			if _, err := tx.Exec(ctx, "INSERT INTO risk_finding_parties (enterprise_id, finding_id, culprit) VALUES "+values(n/3, 3), parties[:n]...); err != nil {
				return s.errf("finding parties", err)
			}
			parties = parties[n:]
		}
	}
	return nil
}

// values is n rows of k "?" markers.
func values(n, k int) string {
	row := in(k)
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// Findings implements risk.AnalyticsStore.
func (s *Store) Findings(ctx context.Context, f risk.FindingFilter) ([]risk.Finding, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q := `SELECT f.id, f.key, f.kind, f.gtin, f.detail, f.weak, f.lines, f.declarations, f.shortfall, f.at, f.updated_at
		FROM risk_findings f WHERE f.id > ?`
	a := []any{f.After}
	if f.Kind != "" {
		q += " AND f.kind = ?"
		a = append(a, string(f.Kind))
	}
	if f.GTIN != "" {
		q += " AND f.gtin = ?"
		a = append(a, f.GTIN)
	}
	if f.Party > 0 {
		q += " AND f.id IN (SELECT finding_id FROM risk_finding_parties WHERE enterprise_id = ?)"
		a = append(a, f.Party)
	}
	rows, err := s.db.Query(ctx, q+" ORDER BY f.id LIMIT ?", append(a, f.Limit)...)
	if err != nil {
		return nil, s.errf("findings", err)
	}
	defer rows.Close()
	out := []risk.Finding{}
	for rows.Next() {
		var x risk.Finding
		var decls string
		var short *int64
		var at, upd int64
		if err := rows.Scan(&x.ID, &x.Key, &x.Kind, &x.GTIN, &x.Detail, &x.Weak, &x.Lines, &decls, &short, &at, &upd); err != nil {
			return nil, s.errf("findings", err)
		}
		var refs []storedRef
		if err := json.Unmarshal([]byte(decls), &refs); err != nil {
			return nil, s.errf("finding declarations", err)
		}
		x.Declarations = make([]risk.DeclarationRef, len(refs))
		for i, r := range refs {
			x.Declarations[i] = risk.DeclarationRef{DeclarationID: r.ID, Declarant: r.Declarant, EbpCode: r.EbpCode, OrderNo: r.OrderNo,
				HSCode: r.HSCode, Price: r.Price, DeclaredAt: r.DeclaredAt}
		}
		if short != nil {
			m := customs.Money(*short)
			x.TaxShortfall = &m
		}
		x.At, x.UpdatedAt = time.Unix(at, 0).UTC(), time.Unix(0, upd).UTC()
		out = append(out, x)
	}
	return out, rows.Err()
}

// SaveLinesSQL are the statements of StoreTx.SaveDeclaredLines: delete a
// declaration's lines, insert one line (declarant: the enterprise of the
// USCC, 0 when unknown), and keep a specification's text.
const (
	DeleteLinesSQL = "DELETE FROM risk_lines WHERE declaration_id = ?"
	InsertLineSQL  = "INSERT INTO risk_lines (gtin, declaration_id, gnum, seq, r) VALUES (?, ?, ?, ?, ?)"
	InsertSpecSQL  = "INSERT INTO risk_specs (hash, gmodel) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING"
	DeclarantSQL   = "SELECT id FROM enterprises WHERE uscc = ?"
)

// ProjectLine is the risk.Line of a declared line.
func ProjectLine(declarationID, declarant int64, l customs.DeclaredLine) risk.Line {
	return risk.Line{GTIN: risk.CodeNumber(l.GTIN, 0), DeclarationID: declarationID, HS: risk.CodeNumber(l.HS, 0), Price: int64(l.Price),
		Total: int64(l.Total), Spec: risk.SpecHash(l.Gmodel), Unit: risk.CodeNumber(l.Unit, -1), Origin: risk.CodeNumber(l.Country, -1),
		Declarant: declarant, DeclaredAt: l.DeclaredAt.Unix()}
}

// LineArgs are the arguments of InsertLineSQL for l.
func LineArgs(seq int64, gnum int, l *risk.Line) []any {
	return []any{l.GTIN, l.DeclarationID, int64(gnum), seq, risk.EncodeLine(nil, l)}
}
