package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
)

// GenerateCreditBench writes straight into the store n enterprises, each
// with one approved product whose GTIN carries holdsPer recalls and
// rejectedPer rejected product filings: n × (holdsPer + rejectedPer)
// record entries, dated over the last two years (the rows of the SQLite
// benchmark's generator).
func (s *Store) GenerateCreditBench(ctx context.Context, n, holdsPer, rejectedPer int, now time.Time) error {
	return s.update(ctx, func(tx *Tx) error {
		rows := make([][]any, 0, n)
		for i := 1; i <= n; i++ {
			body := fmt.Sprintf("91310000MB%07d", i)
			c, err := tracegate.USCCCheckChar(body)
			if err != nil {
				return err
			}
			rows = append(rows, []any{int64(i), body + string(c), "企业", "active", now, now})
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"enterprises"}, []string{"id", "uscc", "name", "status", "created_at", "updated_at"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		const prod = `INSERT INTO products (gtin, owner_id, name, name_zh, brand, specification, hs_code, origin_country,
			manufacturer, created_at, updated_at, status, reviewed_at) `
		if _, err := tx.Exec(ctx, prod+`SELECT lpad(i::text, 14, '0'), i, 'Formula', '奶粉', 'B', '800g', '1901101000', 'NZ', 'M',
			$2, $2, 'approved', $2 FROM generate_series(1, $1::int) i`, n, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, prod+`SELECT '9' || lpad(j::text, 6, '0') || lpad(i::text, 7, '0'), i, 'Formula', '奶粉', 'B', '800g',
			'1901101000', 'NZ', 'M', $3::timestamptz, $3, 'rejected', $3::timestamptz - ((i * 7 + j * 13) % 730) * interval '1 day'
			FROM generate_series(1, $1::int) i, generate_series(0, $2::int - 1) j`, n, rejectedPer, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO label_holds (kind, gtin, text, text_en, since, created_at)
			SELECT 'recall', lpad(i::text, 14, '0'), '召回', 'Recall', $3::timestamptz - ((i * 11 + j * 17) % 730) * interval '1 day', $3::timestamptz
			FROM generate_series(1, $1::int) i, generate_series(0, $2::int - 1) j`, n, holdsPer, now)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "ANALYZE")
		return err
	})
}

// BareCreditAggregate is the reference of the credit benchmark: the same
// rows read and summed per enterprise by SQL alone, with no decay, rules
// or writes.
func (s *Store) BareCreditAggregate(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT owner_id, SUM(c) FROM (
		SELECT p.owner_id, COUNT(*) AS c FROM label_holds h JOIN products p ON p.gtin = h.gtin WHERE h.kind IN ('recall', 'stop_sale') GROUP BY p.owner_id
		UNION ALL SELECT owner_id, COUNT(*) FROM products WHERE status = 'rejected' GROUP BY owner_id) x GROUP BY owner_id) y`).Scan(&n)
	return n, err
}
