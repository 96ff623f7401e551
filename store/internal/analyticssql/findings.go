package analyticssql

import (
	"context"
	"encoding/json"
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
		for i := range u.Findings {
			if err := s.saveFinding(ctx, tx, &u.Findings[i], run); err != nil {
				return err
			}
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

func (s *Store) saveFinding(ctx context.Context, tx sqldb.Tx, f *risk.Finding, run int64) error {
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
	err = tx.QueryRow(ctx, `INSERT INTO risk_findings (key, kind, gtin, detail, weak, lines, declarations, shortfall, at, run, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET detail = excluded.detail, weak = excluded.weak, lines = excluded.lines,
			declarations = excluded.declarations, shortfall = excluded.shortfall, at = excluded.at, run = excluded.run,
			updated_at = excluded.updated_at
		RETURNING id`, f.Key, string(f.Kind), f.GTIN, f.Detail, f.Weak, f.Lines, string(b), short, f.At.Unix(), run,
		f.UpdatedAt.UnixNano()).Scan(&f.ID)
	if err != nil {
		return s.errf("save finding", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM risk_finding_parties WHERE finding_id = ?", f.ID); err != nil {
		return s.errf("finding parties", err)
	}
	culprit := map[int64]bool{}
	for _, c := range f.Culprits {
		culprit[c] = true
	}
	for _, p := range f.Parties {
		if _, err := tx.Exec(ctx, "INSERT INTO risk_finding_parties (enterprise_id, finding_id, culprit) VALUES (?, ?, ?)",
			p, f.ID, culprit[p]); err != nil {
			return s.errf("finding parties", err)
		}
	}
	return nil
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
	InsertLineSQL  = `INSERT INTO risk_lines (gtin, declaration_id, gnum, seq, hs, price, total, spec, unit, origin, declarant, declared_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	InsertSpecSQL = "INSERT INTO risk_specs (hash, gmodel) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING"
	DeclarantSQL  = "SELECT id FROM enterprises WHERE uscc = ?"
)

// LineArgs are the arguments of InsertLineSQL for l.
func LineArgs(declarationID, seq, declarant int64, l customs.DeclaredLine) []any {
	return []any{risk.CodeNumber(l.GTIN, 0), declarationID, l.Gnum, seq, risk.CodeNumber(l.HS, 0), int64(l.Price), int64(l.Total),
		risk.SpecHash(l.Gmodel), risk.CodeNumber(l.Unit, -1), risk.CodeNumber(l.Country, -1), declarant, l.DeclaredAt.Unix()}
}
