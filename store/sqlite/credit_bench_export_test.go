package sqlite

import (
	"context"
	"fmt"
	"time"

	"tracegate"
)

// GenerateCreditBench writes straight into the store n enterprises, each
// with one approved product whose GTIN carries holdsPer recalls and
// rejectedPer rejected product filings: n × (holdsPer + rejectedPer)
// record entries, dated over the last two years.
func (s *Store) GenerateCreditBench(ctx context.Context, n, holdsPer, rejectedPer int, now time.Time) error {
	return s.update(ctx, func(tx *Tx) error {
		ent, err := tx.PrepareContext(ctx, "INSERT INTO enterprises (id, uscc, name, status, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?)")
		if err != nil {
			return err
		}
		prod, err := tx.PrepareContext(ctx, `INSERT INTO products (gtin, owner_id, name, name_zh, brand, specification, hs_code, origin_country,
			manufacturer, created_at, updated_at, status, reviewed_at) VALUES (?, ?, 'Formula', '奶粉', 'B', '800g', '1901101000', 'NZ', 'M', ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		hold, err := tx.PrepareContext(ctx, "INSERT INTO label_holds (kind, gtin, text, text_en, since, created_at) VALUES ('recall', ?, '召回', 'Recall', ?, ?)")
		if err != nil {
			return err
		}
		t := micro(now)
		day := int64(24 * time.Hour / time.Microsecond)
		for i := 1; i <= n; i++ {
			body := fmt.Sprintf("91310000MB%07d", i)
			c, err := tracegate.USCCCheckChar(body)
			if err != nil {
				return err
			}
			if _, err := ent.ExecContext(ctx, i, body+string(c), "企业", t, t); err != nil {
				return err
			}
			gtin := fmt.Sprintf("%014d", i)
			if _, err := prod.ExecContext(ctx, gtin, i, t, t, "approved", t); err != nil {
				return err
			}
			for j := range rejectedPer {
				if _, err := prod.ExecContext(ctx, fmt.Sprintf("9%06d%07d", j, i), i, t, t, "rejected", t-int64((i*7+j*13)%730)*day); err != nil {
					return err
				}
			}
			for j := range holdsPer {
				if _, err := hold.ExecContext(ctx, gtin, t-int64((i*11+j*17)%730)*day, t); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// BareCreditAggregate is the reference of the credit benchmark: the same
// rows read and summed per enterprise by SQL alone, with no decay, rules
// or writes.
func (s *Store) BareCreditAggregate(ctx context.Context) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT owner_id, SUM(c) FROM (
		SELECT p.owner_id, COUNT(*) AS c FROM label_holds h JOIN products p ON p.gtin = h.gtin WHERE h.kind IN ('recall', 'stop_sale') GROUP BY p.owner_id
		UNION ALL SELECT owner_id, COUNT(*) FROM products WHERE status = 'rejected' GROUP BY owner_id) GROUP BY owner_id)`).Scan(&n)
	return n, err
}
