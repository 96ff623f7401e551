package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tracegate"
	"tracegate/customs"
)

var _ customs.Store = (*Store)(nil)

// customsTx is the customs part of a write transaction: the statements it
// uses and the ledger leaves it appends before the commit.
type customsTx struct {
	store  *Store
	tx     *Tx
	stmts  map[string]*sql.Stmt
	learn  []string // statements prepared here that the writer does not cache yet
	size   int64    // ledger size at the first leaf, -1 before
	leaves [][]byte
}

// CustomsUpdate runs fn in one write transaction; SQLite's single writer is
// the ledger's sequencer, so leaves appended here take the next indexes.
func (s *Store) CustomsUpdate(ctx context.Context, fn func(tx customs.StoreTx) error) error {
	var learn []string
	defer func() { s.prepareWrites(ctx, learn) }() // the writer connection is free again
	return s.update(ctx, func(tx *Tx) error {
		c := &customsTx{store: s, tx: tx, stmts: map[string]*sql.Stmt{}, size: -1}
		defer func() {
			for _, st := range c.stmts {
				st.Close()
			}
			learn = c.learn
		}()
		if err := fn(c); err != nil {
			return err
		}
		return appendTree(ctx, tx, c.size, c.leaves)
	})
}

// stmt returns q for the transaction: the writer's prepared statement when
// it caches one, else q prepared in the transaction (and learnt, so that
// the writer prepares it after the commit).
func (c *customsTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if ws, ok := c.store.wstmts.Load(q); ok {
		st = c.tx.StmtContext(ctx, ws.(*sql.Stmt))
	} else {
		var err error
		if st, err = c.tx.PrepareContext(ctx, q); err != nil {
			return nil, fmt.Errorf("sqlite: prepare: %w", err)
		}
		c.learn = append(c.learn, q)
	}
	c.stmts[q] = st
	return st, nil
}

// prepareWrites prepares qs on the writer connection for later write
// transactions; it must not run inside one (the writer has one
// connection). A statement that fails to prepare is prepared again by the
// next transaction that uses it.
func (s *Store) prepareWrites(ctx context.Context, qs []string) {
	for _, q := range qs {
		if _, ok := s.wstmts.Load(q); ok {
			continue
		}
		st, err := s.writer.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		if _, loaded := s.wstmts.LoadOrStore(q, st); loaded {
			st.Close()
		}
	}
}

func (c *customsTx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *customsTx) queryRow(ctx context.Context, q string, args ...any) rowScanner {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *customsTx) Now() time.Time { return c.tx.now }

func (c *customsTx) SaveMessage(ctx context.Context, m *customs.StoredMessage) error {
	var sender any
	if m.SenderID != 0 {
		sender = m.SenderID
	}
	_, err := c.exec(ctx, "INSERT INTO customs_messages (guid, type, sender_id, received_at, body) VALUES (?, ?, ?, ?, ?)",
		m.GUID, m.Type, sender, micro(m.ReceivedAt), m.Body)
	if isUnique(err) {
		return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/" + m.Type + "/@guid", Message: fmt.Sprintf("message %s was received already", m.GUID)}
	} else if err != nil {
		return fmt.Errorf("sqlite: save customs message: %w", err)
	}
	return c.ledgerMessage(ctx, m)
}

const declarationColumns = `id, state, order_guid, payment_guid, waybill_guid, inventory_guid, order_doc, payment_doc,
	waybill_doc, inventory_doc, buyer_key, quota_year, decision, COALESCE(decided_at, 0), content_hash, COALESCE(ledger_idx, -1),
	review, senders, uscc, updated_at`

func scanDeclaration(row rowScanner) (*customs.DeclarationRecord, error) {
	var d customs.DeclarationRecord
	var senders string
	var state string
	var decision sql.NullString
	var decided, updated int64
	err := row.Scan(&d.ID, &state, &d.OrderGUID, &d.PaymentGUID, &d.WaybillGUID, &d.InventoryGUID, &d.Order, &d.Payment,
		&d.Waybill, &d.Inventory, &d.BuyerKey, &d.QuotaYear, &decision, &decided, &d.ContentHash, &d.LedgerIndex, &d.Review, &senders, &d.USCC, &updated)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(senders), &d.Senders); err != nil {
		return nil, fmt.Errorf("sqlite: decode senders: %w", err)
	}
	if err := json.Unmarshal([]byte(state), &d.State); err != nil {
		return nil, fmt.Errorf("sqlite: decode match state: %w", err)
	}
	if decision.Valid {
		d.Decision = new(customs.Decision)
		if err := json.Unmarshal([]byte(decision.String), d.Decision); err != nil {
			return nil, fmt.Errorf("sqlite: decode decision: %w", err)
		}
		d.DecidedAt = fromMicro(decided)
	}
	d.UpdatedAt = fromMicro(updated)
	return &d, nil
}

func (c *customsTx) FindDeclaration(ctx context.Context, k customs.MatchKey) (*customs.DeclarationRecord, error) {
	var row rowScanner
	if k.EbpCode == "" {
		row = c.queryRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations WHERE order_no = ?
			AND (logistics_no = ? OR logistics_no = '') ORDER BY logistics_no DESC, id LIMIT 1`, k.OrderNo, k.LogisticsNo)
	} else {
		row = c.queryRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations WHERE order_no = ?
			AND (ebp_code = ? OR ebp_code = '') ORDER BY ebp_code DESC, id LIMIT 1`, k.OrderNo, k.EbpCode)
	}
	d, err := scanDeclaration(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of order %q", k.OrderNo)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find declaration: %w", err)
	}
	return d, nil
}

func (c *customsTx) DeclarationByID(ctx context.Context, id int64) (*customs.DeclarationRecord, error) {
	d, err := scanDeclaration(c.queryRow(ctx, "SELECT "+declarationColumns+" FROM customs_declarations WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: declaration by id: %w", err)
	}
	return d, nil
}

func (c *customsTx) SaveDeclaration(ctx context.Context, d *customs.DeclarationRecord) error {
	state, err := json.Marshal(&d.State)
	if err != nil {
		return fmt.Errorf("sqlite: encode match state: %w", err)
	}
	var decision, decided, idx, status any
	status = ""
	if d.Decision != nil {
		b, err := json.Marshal(d.Decision)
		if err != nil {
			return fmt.Errorf("sqlite: encode decision: %w", err)
		}
		decision, decided, status = string(b), micro(d.DecidedAt), string(d.Decision.Status)
	}
	if d.LedgerIndex >= 0 {
		idx = d.LedgerIndex
	}
	senders, err := json.Marshal(d.Senders)
	if err != nil || d.Senders == nil {
		senders = []byte("[]")
	}
	st := d.State
	args := []any{st.EbpCode, st.OrderNo, st.LogisticsCode, st.LogisticsNo, string(state), micro(st.FirstArrival()),
		d.OrderGUID, d.PaymentGUID, d.WaybillGUID, d.InventoryGUID, d.Order, d.Payment, d.Waybill, d.Inventory,
		d.BuyerKey, d.QuotaYear, status, decision, decided, d.ContentHash, idx, d.Review, string(senders), d.USCC, micro(c.tx.now)}
	if d.ID == 0 {
		res, err := c.exec(ctx, `INSERT INTO customs_declarations (ebp_code, order_no, logistics_code, logistics_no, state, first_at,
			order_guid, payment_guid, waybill_guid, inventory_guid, order_doc, payment_doc, waybill_doc, inventory_doc,
			buyer_key, quota_year, status, decision, decided_at, content_hash, ledger_idx, review, senders, uscc, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			return fmt.Errorf("sqlite: insert declaration: %w", err)
		}
		d.ID, _ = res.LastInsertId()
	} else {
		_, err := c.exec(ctx, `UPDATE customs_declarations SET ebp_code = ?, order_no = ?, logistics_code = ?, logistics_no = ?,
			state = ?, first_at = ?, order_guid = ?, payment_guid = ?, waybill_guid = ?, inventory_guid = ?, order_doc = ?,
			payment_doc = ?, waybill_doc = ?, inventory_doc = ?, buyer_key = ?, quota_year = ?, status = ?, decision = ?,
			decided_at = ?, content_hash = ?, ledger_idx = ?, review = ?, senders = ?, uscc = ?, updated_at = ? WHERE id = ?`, append(args, d.ID)...)
		if err != nil {
			return fmt.Errorf("sqlite: update declaration: %w", err)
		}
	}
	d.UpdatedAt = c.tx.now
	return nil
}

func (c *customsTx) SaveDecision(ctx context.Context, d *customs.DecisionRecord) error {
	b, err := json.Marshal(d.Decision)
	if err != nil {
		return fmt.Errorf("sqlite: encode decision: %w", err)
	}
	guids, err := json.Marshal(d.GUIDs)
	if err != nil {
		return fmt.Errorf("sqlite: encode decision: %w", err)
	}
	_, err = c.exec(ctx, `INSERT INTO customs_decisions (declaration_id, line, status, decision, content_hash, guids, uscc, ledger_idx, decided_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.DeclarationID, d.Line.String(), string(d.Decision.Status), string(b), d.ContentHash, string(guids), d.USCC, d.LedgerIndex, micro(d.DecidedAt))
	if err != nil {
		return fmt.Errorf("sqlite: save decision: %w", err)
	}
	return nil
}

func (c *customsTx) FindByWaybill(ctx context.Context, logisticsCode, logisticsNo string) (*customs.DeclarationRecord, error) {
	d, err := scanDeclaration(c.queryRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations
		WHERE logistics_no = ? AND (? = '' OR logistics_code = ?) ORDER BY id LIMIT 1`, logisticsNo, logisticsCode, logisticsCode))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of waybill %q", logisticsNo)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find declaration by waybill: %w", err)
	}
	return d, nil
}

func (c *customsTx) QuotaUsed(ctx context.Context, buyerKey string, year int, exceptID int64) (customs.Money, error) {
	var v int64
	err := c.queryRow(ctx, "SELECT COALESCE(SUM(value), 0) FROM customs_quota WHERE buyer_key = ? AND year = ? AND declaration_id <> ?",
		buyerKey, year, exceptID).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sqlite: quota used: %w", err)
	}
	return customs.Money(max(v, 0)), nil
}

func (c *customsTx) QuotaUses(ctx context.Context, declarationID int64) ([]customs.QuotaRecord, error) {
	st, err := c.stmt(ctx, "SELECT buyer_key, year, value, at FROM customs_quota WHERE declaration_id = ? ORDER BY at")
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, declarationID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: quota uses: %w", err)
	}
	defer rows.Close()
	var out []customs.QuotaRecord
	for rows.Next() {
		u := customs.QuotaRecord{DeclarationID: declarationID}
		var at int64
		if err := rows.Scan(&u.BuyerKey, &u.Year, &u.Value, &at); err != nil {
			return nil, fmt.Errorf("sqlite: quota uses: %w", err)
		}
		u.At = fromMicro(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

func (c *customsTx) SetQuotaUse(ctx context.Context, u customs.QuotaRecord) error {
	if _, err := c.exec(ctx, "DELETE FROM customs_quota WHERE declaration_id = ? AND kind = 'use'", u.DeclarationID); err != nil {
		return fmt.Errorf("sqlite: set quota use: %w", err)
	}
	// The use is at least what the refunds gave back: never a negative net.
	_, err := c.exec(ctx, `INSERT INTO customs_quota (buyer_key, year, declaration_id, kind, value, at)
		SELECT ?, ?, ?, 'use', v, ? FROM (SELECT MAX(?, COALESCE(-SUM(value), 0)) AS v FROM customs_quota
		WHERE declaration_id = ? AND kind = 'refund') WHERE v > 0`,
		u.BuyerKey, u.Year, u.DeclarationID, micro(u.At), int64(u.Value), u.DeclarationID)
	if err != nil {
		return fmt.Errorf("sqlite: set quota use: %w", err)
	}
	return nil
}

func (c *customsTx) AddQuotaRefund(ctx context.Context, u customs.QuotaRecord) error {
	_, err := c.exec(ctx, "INSERT INTO customs_quota (buyer_key, year, declaration_id, kind, value, at) VALUES (?, ?, ?, 'refund', ?, ?)",
		u.BuyerKey, u.Year, u.DeclarationID, int64(u.Value), micro(u.At))
	if err != nil {
		return fmt.Errorf("sqlite: add quota refund: %w", err)
	}
	return nil
}

func (c *customsTx) Filed(ctx context.Context, items []customs.FilingKey) ([]bool, error) {
	out := make([]bool, len(items))
	for i, k := range items {
		var n int
		err := c.queryRow(ctx, `SELECT (EXISTS (SELECT 1 FROM products WHERE ? <> '' AND gtin = ? AND status = 'approved'))
			OR (EXISTS (SELECT 1 FROM products WHERE ? <> '' AND item_record_no = ? AND status = 'approved'))`, k.GTIN, k.GTIN, k.ItemRecordNo, k.ItemRecordNo).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("sqlite: filing lookup: %w", err)
		}
		out[i] = n != 0
	}
	return out, nil
}

func (c *customsTx) TableIDs(ctx context.Context) (map[string]int64, error) {
	st, err := c.stmt(ctx, "SELECT kind, MAX(id) FROM customs_tables GROUP BY kind")
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: table ids: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, fmt.Errorf("sqlite: table ids: %w", err)
		}
		out[k] = id
	}
	return out, rows.Err()
}

func (c *customsTx) AppendLeaf(ctx context.Context, leaf []byte) (int64, error) {
	if c.size < 0 {
		n, err := ledgerSize(ctx, c.tx)
		if err != nil {
			return 0, err
		}
		c.size = n
	}
	idx := c.size + int64(len(c.leaves))
	if _, err := c.exec(ctx, "INSERT INTO ledger_entries (idx, leaf) VALUES (?, ?)", idx, leaf); err != nil {
		return 0, fmt.Errorf("sqlite: insert ledger entry: %w", err)
	}
	c.leaves = append(c.leaves, leaf)
	return idx, nil
}
