package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/internal/analyticssql"
)

var _ risk.BulkLoader = (*Store)(nil)

// bulkBatch is how many rows one COPY of a bulk load sends.
const bulkBatch = 200_000

// LoadGeneratedLines implements risk.BulkLoader with COPY: the
// declaration index of the lines is dropped during the load and built once
// at the end, and the table analysed.
func (s *Store) LoadGeneratedLines(ctx context.Context, fill func(w risk.BulkWriter) error) error {
	w := &pgBulk{s: s, ctx: ctx}
	if err := s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM customs_declarations").Scan(&w.first); err != nil {
		return fmt.Errorf("postgres: bulk load: %w", err)
	}
	if _, err := s.pool.Exec(ctx, "DROP INDEX IF EXISTS risk_lines_declaration"); err != nil {
		return fmt.Errorf("postgres: bulk load: %w", err)
	}
	err := fill(w)
	if err == nil {
		err = w.flush()
	}
	for _, q := range []string{"CREATE INDEX IF NOT EXISTS risk_lines_declaration ON risk_lines (declaration_id)",
		"SELECT setval(pg_get_serial_sequence('customs_declarations', 'id'), (SELECT COALESCE(MAX(id), 1) FROM customs_declarations))",
		"VACUUM ANALYZE risk_lines", "ANALYZE customs_declarations", "ANALYZE products"} {
		if _, e := s.pool.Exec(ctx, q); e != nil && err == nil {
			err = fmt.Errorf("postgres: bulk load: %w", e)
		}
	}
	return err
}

type pgBulk struct {
	s     *Store
	ctx   context.Context
	first int64
	decls [][]any
	lines [][]any
	specs map[int64]string
	prods [][]any
}

func (w *pgBulk) Filing(p *tracegate.Product) error {
	now := time.Now().UTC()
	w.prods = append(w.prods, []any{p.GTIN, p.OwnerID, p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode,
		p.OriginCountry, p.Manufacturer, p.FilingNumber, "approved", now, now, now})
	return w.maybeFlush()
}

func (w *pgBulk) FirstDeclarationID() int64 { return w.first }

func (w *pgBulk) Declaration(d risk.GeneratedDeclaration) error {
	w.decls = append(w.decls, []any{d.ID, d.EbpCode, d.OrderNo, "{}", d.DeclaredAt, d.USCC, d.DeclaredAt})
	return w.maybeFlush()
}

func (w *pgBulk) Line(l risk.Line, gnum int) error {
	w.lines = append(w.lines, analyticssql.LineArgs(0, gnum, &l))
	return w.maybeFlush()
}

func (w *pgBulk) Spec(hash int64, gmodel string) error {
	if w.specs == nil {
		w.specs = map[int64]string{}
	}
	w.specs[hash] = gmodel
	return w.maybeFlush()
}

func (w *pgBulk) maybeFlush() error {
	if len(w.decls)+len(w.lines)+len(w.specs)+len(w.prods) < bulkBatch {
		return nil
	}
	return w.flush()
}

func (w *pgBulk) flush() error {
	if len(w.decls) > 0 {
		if _, err := w.s.pool.CopyFrom(w.ctx, pgx.Identifier{"customs_declarations"},
			[]string{"id", "ebp_code", "order_no", "state", "first_at", "uscc", "updated_at"}, pgx.CopyFromRows(w.decls)); err != nil {
			return fmt.Errorf("postgres: bulk load declarations: %w", err)
		}
	}
	if len(w.lines) > 0 {
		if _, err := w.s.pool.CopyFrom(w.ctx, pgx.Identifier{"risk_lines"},
			[]string{"gtin", "declaration_id", "gnum", "seq", "r"},
			pgx.CopyFromRows(w.lines)); err != nil {
			return fmt.Errorf("postgres: bulk load lines: %w", err)
		}
	}
	for h, g := range w.specs {
		if _, err := w.s.pool.Exec(w.ctx, "INSERT INTO risk_specs (hash, gmodel) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING", h, g); err != nil {
			return fmt.Errorf("postgres: bulk load specs: %w", err)
		}
	}
	if len(w.prods) > 0 {
		if _, err := w.s.pool.CopyFrom(w.ctx, pgx.Identifier{"products"},
			[]string{"gtin", "owner_id", "name", "name_zh", "brand", "specification", "hs_code", "origin_country", "manufacturer",
				"filing_number", "status", "created_at", "updated_at", "reviewed_at"}, pgx.CopyFromRows(w.prods)); err != nil {
			return fmt.Errorf("postgres: bulk load filings: %w", err)
		}
	}
	w.decls, w.lines, w.specs, w.prods = w.decls[:0], w.lines[:0], nil, nil
	return nil
}
