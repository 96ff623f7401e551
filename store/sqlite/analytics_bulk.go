package sqlite

import (
	"context"
	"fmt"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/internal/analyticssql"
)

var _ risk.BulkLoader = (*Store)(nil)

// bulkBatch is how many rows one transaction of a bulk load writes.
const bulkBatch = 200_000

// LoadGeneratedLines implements risk.BulkLoader: the declaration index of
// the lines is dropped during the load and built once at the end (random
// inserts into it would dominate), each batch a transaction with prepared
// statements.
func (s *Store) LoadGeneratedLines(ctx context.Context, fill func(w risk.BulkWriter) error) error {
	w := &sqliteBulk{s: s, ctx: ctx}
	if err := s.writer.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM customs_declarations").Scan(&w.first); err != nil {
		return fmt.Errorf("sqlite: bulk load: %w", err)
	}
	if _, err := s.writer.ExecContext(ctx, "DROP INDEX IF EXISTS risk_lines_declaration"); err != nil {
		return fmt.Errorf("sqlite: bulk load: %w", err)
	}
	err := fill(w)
	if err == nil {
		err = w.flush()
	}
	if _, e := s.writer.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS risk_lines_declaration ON risk_lines (declaration_id)"); e != nil && err == nil {
		err = fmt.Errorf("sqlite: bulk load: %w", e)
	}
	return err
}

type sqliteBulk struct {
	s     *Store
	ctx   context.Context
	first int64
	decls []risk.GeneratedDeclaration
	lines []risk.Line
	gnums []int
	specs [][2]any
	prods []*tracegate.Product
}

func (w *sqliteBulk) Filing(p *tracegate.Product) error {
	w.prods = append(w.prods, p)
	return w.maybeFlush()
}

func (w *sqliteBulk) FirstDeclarationID() int64 { return w.first }

func (w *sqliteBulk) Declaration(d risk.GeneratedDeclaration) error {
	w.decls = append(w.decls, d)
	return w.maybeFlush()
}

func (w *sqliteBulk) Line(l risk.Line, gnum int) error {
	w.lines, w.gnums = append(w.lines, l), append(w.gnums, gnum)
	return w.maybeFlush()
}

func (w *sqliteBulk) Spec(hash int64, gmodel string) error {
	w.specs = append(w.specs, [2]any{hash, gmodel})
	return w.maybeFlush()
}

func (w *sqliteBulk) maybeFlush() error {
	if len(w.decls)+len(w.lines)+len(w.specs)+len(w.prods) < bulkBatch {
		return nil
	}
	return w.flush()
}

func (w *sqliteBulk) flush() error {
	err := w.s.update(w.ctx, func(tx *Tx) error {
		d, err := tx.PrepareContext(w.ctx, `INSERT INTO customs_declarations (id, ebp_code, order_no, state, first_at, uscc, updated_at)
			VALUES (?, ?, ?, '{}', ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer d.Close()
		for _, x := range w.decls {
			at := micro(x.DeclaredAt)
			if _, err := d.ExecContext(w.ctx, x.ID, x.EbpCode, x.OrderNo, at, x.USCC, at); err != nil {
				return err
			}
		}
		l, err := tx.PrepareContext(w.ctx, analyticssql.InsertLineSQL)
		if err != nil {
			return err
		}
		defer l.Close()
		for i, x := range w.lines {
			if _, err := l.ExecContext(w.ctx, analyticssql.LineArgs(0, w.gnums[i], &x)...); err != nil {
				return err
			}
		}
		sp, err := tx.PrepareContext(w.ctx, analyticssql.InsertSpecSQL)
		if err != nil {
			return err
		}
		defer sp.Close()
		for _, x := range w.specs {
			if _, err := sp.ExecContext(w.ctx, x[0], x[1]); err != nil {
				return err
			}
		}
		pr, err := tx.PrepareContext(w.ctx, `INSERT INTO products (gtin, owner_id, name, name_zh, brand, specification, hs_code,
			origin_country, manufacturer, filing_number, status, created_at, updated_at, reviewed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer pr.Close()
		now := micro(tx.now)
		for _, p := range w.prods {
			if _, err := pr.ExecContext(w.ctx, p.GTIN, p.OwnerID, p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode,
				p.OriginCountry, p.Manufacturer, p.FilingNumber, now, now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: bulk load: %w", err)
	}
	w.decls, w.lines, w.gnums, w.specs, w.prods = w.decls[:0], w.lines[:0], w.gnums[:0], w.specs[:0], nil
	return nil
}
