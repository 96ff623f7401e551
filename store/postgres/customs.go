package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/customs"
)

var _ customs.Store = (*Store)(nil)

// customsTx is the customs part of a write transaction and the ledger
// leaves it appends before the commit. Writes whose result nothing waits
// for are queued and sent in one round trip with the next read (or before
// the commit), in order, in the same transaction: a failed one fails the
// read that sent it, and so the transaction.
type customsTx struct {
	tx     *Tx
	size   int64
	leaves [][]byte
	queued pgx.Batch
	whats  []string // what each queued statement does, for its error
}

// later queues a write. Its arguments must not change afterwards: they are
// encoded when the queue is sent.
func (c *customsTx) later(what, sql string, args ...any) {
	c.queued.Queue(sql, args...)
	c.whats = append(c.whats, what)
}

// flush sends the queued writes in one round trip and reports the first
// that failed.
func (c *customsTx) flush(ctx context.Context) error {
	if len(c.whats) == 0 {
		return nil
	}
	br := c.tx.SendBatch(ctx, &c.queued)
	var err error
	for _, what := range c.whats {
		if _, e := br.Exec(); e != nil && err == nil {
			err = fmt.Errorf("postgres: %s: %w", what, e)
		}
	}
	if e := br.Close(); e != nil && err == nil {
		err = fmt.Errorf("postgres: customs writes: %w", e)
	}
	c.queued, c.whats = pgx.Batch{}, nil
	return err
}

// CustomsUpdate runs fn in one transaction holding the ledger's sequencer
// lock from the start: customs writes are serialised with each other and
// with every ledger append, so a declaration is never screened twice at
// once and leaves are appended in commit order.
func (s *Store) CustomsUpdate(ctx context.Context, fn func(tx customs.StoreTx) error) error {
	return s.update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
			return fmt.Errorf("postgres: ledger lock: %w", err)
		}
		size, err := ledgerSize(ctx, tx)
		if err != nil {
			return err
		}
		c := &customsTx{tx: tx, size: size}
		if err := fn(c); err != nil {
			return err
		}
		if err := c.flush(ctx); err != nil {
			return err
		}
		return appendTree(ctx, tx, c.size, c.leaves)
	})
}

func (c *customsTx) Now() time.Time { return c.tx.now }

func (c *customsTx) SaveMessage(ctx context.Context, m *customs.StoredMessage) error {
	if err := c.flush(ctx); err != nil {
		return err
	}
	var sender *int64
	if m.SenderID != 0 {
		sender = &m.SenderID
	}
	_, err := c.tx.Exec(ctx, "INSERT INTO customs_messages (guid, type, sender_id, received_at, body) VALUES ($1, $2, $3, $4, $5)",
		m.GUID, m.Type, sender, m.ReceivedAt, m.Body)
	if isUnique(err) {
		return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/" + m.Type + "/@guid", Message: fmt.Sprintf("message %s was received already", m.GUID)}
	} else if err != nil {
		return fmt.Errorf("postgres: save customs message: %w", err)
	}
	return c.ledgerMessage(ctx, m)
}

const declarationColumns = `id, state, order_guid, payment_guid, waybill_guid, inventory_guid, order_doc, payment_doc,
	waybill_doc, inventory_doc, buyer_key, quota_year, decision, decided_at, content_hash, COALESCE(ledger_idx, -1),
	review, senders, uscc, updated_at`

func scanDeclaration(row pgx.Row) (*customs.DeclarationRecord, error) {
	var d customs.DeclarationRecord
	var senders string
	var state []byte
	var decision *string
	var decided *time.Time
	err := row.Scan(&d.ID, &state, &d.OrderGUID, &d.PaymentGUID, &d.WaybillGUID, &d.InventoryGUID, &d.Order, &d.Payment,
		&d.Waybill, &d.Inventory, &d.BuyerKey, &d.QuotaYear, &decision, &decided, &d.ContentHash, &d.LedgerIndex, &d.Review, &senders, &d.USCC, &d.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(senders), &d.Senders); err != nil {
		return nil, fmt.Errorf("postgres: decode senders: %w", err)
	}
	if err := json.Unmarshal(state, &d.State); err != nil {
		return nil, fmt.Errorf("postgres: decode match state: %w", err)
	}
	if decision != nil {
		d.Decision = new(customs.Decision)
		if err := json.Unmarshal([]byte(*decision), d.Decision); err != nil {
			return nil, fmt.Errorf("postgres: decode decision: %w", err)
		}
	}
	if decided != nil {
		d.DecidedAt = decided.UTC()
	}
	d.UpdatedAt = d.UpdatedAt.UTC()
	return &d, nil
}

func (c *customsTx) FindDeclaration(ctx context.Context, k customs.MatchKey) (*customs.DeclarationRecord, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	var row pgx.Row
	if k.EbpCode == "" {
		row = c.tx.QueryRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations WHERE order_no = $1
			AND (logistics_no = $2 OR logistics_no = '') ORDER BY logistics_no DESC, id LIMIT 1`, k.OrderNo, k.LogisticsNo)
	} else {
		row = c.tx.QueryRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations WHERE order_no = $1
			AND (ebp_code = $2 OR ebp_code = '') ORDER BY ebp_code DESC, id LIMIT 1`, k.OrderNo, k.EbpCode)
	}
	d, err := scanDeclaration(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of order %q", k.OrderNo)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find declaration: %w", err)
	}
	return d, nil
}

func (c *customsTx) DeclarationByID(ctx context.Context, id int64) (*customs.DeclarationRecord, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	d, err := scanDeclaration(c.tx.QueryRow(ctx, "SELECT "+declarationColumns+" FROM customs_declarations WHERE id = $1 FOR UPDATE", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: declaration by id: %w", err)
	}
	return d, nil
}

func (c *customsTx) SaveDeclaration(ctx context.Context, d *customs.DeclarationRecord) error {
	state, err := json.Marshal(&d.State)
	if err != nil {
		return fmt.Errorf("postgres: encode match state: %w", err)
	}
	var decision *string
	var decided *time.Time
	var idx *int64
	status := ""
	if d.Decision != nil {
		b, err := json.Marshal(d.Decision)
		if err != nil {
			return fmt.Errorf("postgres: encode decision: %w", err)
		}
		str, at := string(b), d.DecidedAt
		decision, decided, status = &str, &at, string(d.Decision.Status)
	}
	if d.LedgerIndex >= 0 {
		li := d.LedgerIndex // a copy: an update is queued
		idx = &li
	}
	senders, err := json.Marshal(d.Senders)
	if err != nil || d.Senders == nil {
		senders = []byte("[]")
	}
	st := d.State
	args := []any{st.EbpCode, st.OrderNo, st.LogisticsCode, st.LogisticsNo, string(state), st.FirstArrival(),
		d.OrderGUID, d.PaymentGUID, d.WaybillGUID, d.InventoryGUID, d.Order, d.Payment, d.Waybill, d.Inventory,
		d.BuyerKey, d.QuotaYear, status, decision, decided, d.ContentHash, idx, d.Review, string(senders), d.USCC, c.tx.now}
	if d.ID == 0 {
		if err := c.flush(ctx); err != nil {
			return err
		}
		err := c.tx.QueryRow(ctx, `INSERT INTO customs_declarations (ebp_code, order_no, logistics_code, logistics_no, state, first_at,
			order_guid, payment_guid, waybill_guid, inventory_guid, order_doc, payment_doc, waybill_doc, inventory_doc,
			buyer_key, quota_year, status, decision, decided_at, content_hash, ledger_idx, review, senders, uscc, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
			RETURNING id`, args...).Scan(&d.ID)
		if err != nil {
			return fmt.Errorf("postgres: insert declaration: %w", err)
		}
	} else {
		c.later("update declaration", `UPDATE customs_declarations SET ebp_code = $1, order_no = $2, logistics_code = $3, logistics_no = $4,
			state = $5, first_at = $6, order_guid = $7, payment_guid = $8, waybill_guid = $9, inventory_guid = $10, order_doc = $11,
			payment_doc = $12, waybill_doc = $13, inventory_doc = $14, buyer_key = $15, quota_year = $16, status = $17, decision = $18,
			decided_at = $19, content_hash = $20, ledger_idx = $21, review = $22, senders = $23, uscc = $24, updated_at = $25 WHERE id = $26`, append(args, d.ID)...)
	}
	d.UpdatedAt = c.tx.now
	return nil
}

func (c *customsTx) SaveDecision(ctx context.Context, d *customs.DecisionRecord) error {
	b, err := json.Marshal(d.Decision)
	if err != nil {
		return fmt.Errorf("postgres: encode decision: %w", err)
	}
	guids, err := json.Marshal(d.GUIDs)
	if err != nil {
		return fmt.Errorf("postgres: encode decision: %w", err)
	}
	c.later("save decision", `INSERT INTO customs_decisions (declaration_id, line, status, decision, content_hash, guids, uscc, ledger_idx, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, d.DeclarationID, d.Line.String(), string(d.Decision.Status), string(b), d.ContentHash, string(guids), d.USCC, d.LedgerIndex, d.DecidedAt)
	return nil
}

func (c *customsTx) FindByWaybill(ctx context.Context, logisticsCode, logisticsNo string) (*customs.DeclarationRecord, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	d, err := scanDeclaration(c.tx.QueryRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations
		WHERE logistics_no = $1 AND ($2 = '' OR logistics_code = $2) ORDER BY id LIMIT 1`, logisticsNo, logisticsCode))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of waybill %q", logisticsNo)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find declaration by waybill: %w", err)
	}
	return d, nil
}

func (c *customsTx) QuotaUsed(ctx context.Context, buyerKey string, year int, exceptID int64) (customs.Money, error) {
	if err := c.flush(ctx); err != nil {
		return 0, err
	}
	var v int64
	err := c.tx.QueryRow(ctx, "SELECT COALESCE(SUM(value), 0)::bigint FROM customs_quota WHERE buyer_key = $1 AND year = $2 AND declaration_id <> $3",
		buyerKey, year, exceptID).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("postgres: quota used: %w", err)
	}
	return customs.Money(max(v, 0)), nil
}

func (c *customsTx) QuotaUses(ctx context.Context, declarationID int64) ([]customs.QuotaRecord, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	rows, err := c.tx.Query(ctx, "SELECT buyer_key, year, value, at FROM customs_quota WHERE declaration_id = $1 ORDER BY id", declarationID)
	if err != nil {
		return nil, fmt.Errorf("postgres: quota uses: %w", err)
	}
	defer rows.Close()
	var out []customs.QuotaRecord
	for rows.Next() {
		u := customs.QuotaRecord{DeclarationID: declarationID}
		var v int64
		if err := rows.Scan(&u.BuyerKey, &u.Year, &v, &u.At); err != nil {
			return nil, fmt.Errorf("postgres: quota uses: %w", err)
		}
		u.Value, u.At = customs.Money(v), u.At.UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}

func (c *customsTx) SetQuotaUse(ctx context.Context, u customs.QuotaRecord) error {
	c.later("set quota use", "DELETE FROM customs_quota WHERE declaration_id = $1 AND kind = 'use'", u.DeclarationID)
	// The use is at least what the refunds gave back: never a negative net.
	c.later("set quota use", `INSERT INTO customs_quota (buyer_key, year, declaration_id, kind, value, at)
		SELECT $1, $2, $3, 'use', v, $4 FROM (SELECT GREATEST($5::bigint, COALESCE(-SUM(value), 0)::bigint) AS v FROM customs_quota
		WHERE declaration_id = $3 AND kind = 'refund') r WHERE v > 0`,
		u.BuyerKey, u.Year, u.DeclarationID, u.At, int64(u.Value))
	return nil
}

func (c *customsTx) AddQuotaRefund(ctx context.Context, u customs.QuotaRecord) error {
	c.later("add quota refund", "INSERT INTO customs_quota (buyer_key, year, declaration_id, kind, value, at) VALUES ($1, $2, $3, 'refund', $4, $5)",
		u.BuyerKey, u.Year, u.DeclarationID, int64(u.Value), u.At)
	return nil
}

// Filed looks up every item in one query (one round trip).
func (c *customsTx) Filed(ctx context.Context, items []customs.FilingKey) ([]bool, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	gtins, irns := make([]string, len(items)), make([]string, len(items))
	for i, k := range items {
		gtins[i], irns[i] = k.GTIN, k.ItemRecordNo
	}
	rows, err := c.tx.Query(ctx, `SELECT (EXISTS (SELECT 1 FROM products WHERE k.g <> '' AND gtin = k.g AND status = 'approved'))
		OR (EXISTS (SELECT 1 FROM products WHERE k.i <> '' AND item_record_no = k.i AND status = 'approved'))
		FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(g, i, n) ORDER BY k.n`, gtins, irns)
	if err != nil {
		return nil, fmt.Errorf("postgres: filing lookup: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[bool])
	if err != nil || len(out) != len(items) {
		return nil, fmt.Errorf("postgres: filing lookup: %d of %d answers: %v", len(out), len(items), err)
	}
	return out, nil
}

func (c *customsTx) TableIDs(ctx context.Context) (map[string]int64, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	rows, err := c.tx.Query(ctx, "SELECT kind, MAX(id) FROM customs_tables GROUP BY kind")
	if err != nil {
		return nil, fmt.Errorf("postgres: table ids: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, fmt.Errorf("postgres: table ids: %w", err)
		}
		out[k] = id
	}
	return out, rows.Err()
}

func (c *customsTx) AppendLeaf(ctx context.Context, leaf []byte) (int64, error) {
	idx := c.size + int64(len(c.leaves))
	c.later("insert ledger entry", "INSERT INTO ledger_entries (idx, leaf) VALUES ($1, $2)", idx, leaf)
	c.leaves = append(c.leaves, leaf)
	return idx, nil
}
