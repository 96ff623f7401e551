package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
	"tracegate/store/internal/statesql"
)

// currentStates calls fn with each current row of kind (only the row of
// key when key is not ""), by key, encoded as the ledger commits it.
func currentStates(ctx context.Context, q queryer, kind ledger.Kind, key string, fn func(key string, body []byte) error) error {
	switch kind {
	case ledger.KindLabelHold:
		return currentHolds(ctx, q, key, fn)
	case ledger.KindProductFiling:
		return currentProducts(ctx, q, key, fn)
	case ledger.KindMasterData:
		return currentVocab(ctx, q, key, fn)
	case ledger.KindCustomsMessage:
		return currentMessages(ctx, q, key, fn)
	}
	return fmt.Errorf("sqlite: no current state of kind %q", kind)
}

func currentHolds(ctx context.Context, q queryer, key string, fn func(key string, body []byte) error) error {
	id := int64(-1)
	if key != "" {
		id = parseKeyID(key)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, kind, gtin, COALESCE(batch, ''), text, text_en, since, until, COALESCE(created_by, 0), created_at
		FROM label_holds WHERE ? = -1 OR id = ? ORDER BY id`, id, id)
	if err != nil {
		return fmt.Errorf("sqlite: current holds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h label.Hold
		var kind string
		var since, created int64
		var until sql.NullInt64
		if err := rows.Scan(&h.ID, &kind, &h.GTIN, &h.Batch, &h.Text, &h.TextEN, &since, &until, &h.CreatedBy, &created); err != nil {
			return fmt.Errorf("sqlite: current holds: %w", err)
		}
		h.Kind, h.Since, h.CreatedAt = label.NoticeKind(kind), fromMicro(since), fromMicro(created)
		if until.Valid {
			t := fromMicro(until.Int64)
			h.Until = &t
		}
		if err := fn(statesql.HoldKey(h.ID), statesql.HoldBody(h)); err != nil {
			return err
		}
	}
	return rows.Err()
}

func currentProducts(ctx context.Context, q queryer, key string, fn func(key string, body []byte) error) error {
	owner, gtin := int64(-1), ""
	if k, g, ok := strings.Cut(key, "/"); ok {
		owner, gtin = parseKeyID(k), g
	}
	rows, err := q.QueryContext(ctx, "SELECT "+productColumns+` FROM products p JOIN enterprises e ON e.id = p.owner_id
		WHERE ? = -1 OR (p.owner_id = ? AND p.gtin = ?) ORDER BY p.owner_id, p.gtin`, owner, owner, gtin)
	if err != nil {
		return fmt.Errorf("sqlite: current products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return fmt.Errorf("sqlite: current products: %w", err)
		}
		if err := fn(statesql.ProductKey(p.OwnerID, p.GTIN), statesql.ProductBody(*p)); err != nil {
			return err
		}
	}
	return rows.Err()
}

func currentVocab(ctx context.Context, q queryer, key string, fn func(key string, body []byte) error) error {
	rows, err := q.QueryContext(ctx, `SELECT vtype, id FROM epcis_vocab_elements WHERE ? = '' OR vtype || ' ' || id = ?
		ORDER BY vtype || ' ' || id`, key, key)
	if err != nil {
		return fmt.Errorf("sqlite: current master data: %w", err)
	}
	var els [][2]string
	for rows.Next() {
		var vtype, id string
		if err := rows.Scan(&vtype, &id); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: current master data: %w", err)
		}
		els = append(els, [2]string{vtype, id})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: current master data: %w", err)
	}
	for _, el := range els {
		attrs, err := stringRows(ctx, q, 2, "SELECT attr, value FROM epcis_vocab_attrs WHERE vtype = ? AND id = ? ORDER BY ord", el[0], el[1])
		if err != nil {
			return err
		}
		kids, err := stringRows(ctx, q, 1, "SELECT child FROM epcis_vocab_children WHERE vtype = ? AND parent = ?", el[0], el[1])
		if err != nil {
			return err
		}
		var as [][2]string
		for _, a := range attrs {
			as = append(as, [2]string{a[0], a[1]})
		}
		var cs []string
		for _, c := range kids {
			cs = append(cs, c[0])
		}
		if err := fn(statesql.VocabKey(el[0], el[1]), statesql.VocabBody(el[0], el[1], as, cs)); err != nil {
			return err
		}
	}
	return nil
}

// stringRows returns the rows of n text columns q selects.
func stringRows(ctx context.Context, q queryer, n int, query string, args ...any) ([][]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: master data: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals := make([]string, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("sqlite: master data: %w", err)
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// appendStates ledgers the current rows of kind and keys (which tx has
// just written), the i-th under usccs[i], as the next leaves.
func appendStates(ctx context.Context, tx *Tx, kind ledger.Kind, keys, usccs []string) error {
	size, err := ledgerSize(ctx, tx)
	if err != nil {
		return err
	}
	leaves := make([][]byte, len(keys))
	for i, key := range keys {
		if leaves[i], err = recordState(ctx, tx, kind, key, usccs[i], size+int64(i)); err != nil {
			return err
		}
	}
	return appendLeaves(ctx, tx, size, leaves)
}

// ledgerProducts ledgers the filings ps that tx has just saved.
func ledgerProducts(ctx context.Context, tx *Tx, ps []*tracegate.Product) error {
	if !tx.ledgerStates {
		return nil
	}
	keys, usccs := make([]string, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		u, err := oneUSCC(ctx, tx, "SELECT uscc FROM enterprises WHERE id = ?", p.OwnerID)
		if err != nil {
			return err
		}
		keys[i], usccs[i] = statesql.ProductKey(p.OwnerID, p.GTIN), u
	}
	return appendStates(ctx, tx, ledger.KindProductFiling, keys, usccs)
}

// ledgerHold ledgers the hold h that tx has just stored, under its
// creator (else the filer of its GTIN).
func ledgerHold(ctx context.Context, tx *Tx, h *label.Hold) error {
	if !tx.ledgerStates {
		return nil
	}
	u, err := oneUSCC(ctx, tx, statesql.USCCOfHold, h.CreatedBy, h.GTIN)
	if err != nil {
		return err
	}
	return appendStates(ctx, tx, ledger.KindLabelHold, []string{statesql.HoldKey(h.ID)}, []string{u})
}

// ledgerMasterData ledgers the elements els that w has just stored, under
// the capturing enterprise, as the next leaves of the capture; nothing
// when the capture is not ledgered.
func (w *eventWriter) ledgerMasterData(ctx context.Context, els []epcis.VocabularyElement) error {
	if w.leaf == nil || !w.tx.ledgerStates {
		return nil
	}
	uscc, err := statesql.LeafUSCC(w.leaf, w.tx.now)
	if err != nil {
		return err
	}
	for _, e := range els {
		idx := w.size + int64(len(w.leaves))
		leaf, err := recordState(ctx, w.tx, ledger.KindMasterData, statesql.VocabKey(e.Type, e.ID), uscc, idx)
		if err != nil {
			return err
		}
		if _, err := w.entry.ExecContext(ctx, idx, leaf); err != nil {
			return fmt.Errorf("sqlite: insert ledger entry: %w", err)
		}
		w.leaves = append(w.leaves, leaf)
	}
	return nil
}

func currentMessages(ctx context.Context, q queryer, key string, fn func(key string, body []byte) error) error {
	rows, err := q.QueryContext(ctx, `SELECT type, guid, COALESCE(sender_id, 0), received_at, body FROM customs_messages
		WHERE ? = '' OR type || ' ' || guid = ? ORDER BY type || ' ' || guid`, key, key)
	if err != nil {
		return fmt.Errorf("sqlite: current customs messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ, guid string
		var sender, at int64
		var body []byte
		if err := rows.Scan(&typ, &guid, &sender, &at, &body); err != nil {
			return fmt.Errorf("sqlite: current customs messages: %w", err)
		}
		if err := fn(statesql.MessageKey(typ, guid), statesql.MessageBody(typ, guid, sender, fromMicro(at), body)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ledgerMessage ledgers the message m that c has just stored as the next
// leaf of the customs transaction, under its sender.
func (c *customsTx) ledgerMessage(ctx context.Context, m *customs.StoredMessage) error {
	if !c.tx.ledgerStates {
		return nil
	}
	uscc := m.SenderUSCC
	if uscc == "" {
		var err error
		if uscc, err = oneUSCC(ctx, c.tx, "SELECT uscc FROM enterprises WHERE id = ?", m.SenderID); err != nil {
			return err
		}
	}
	if uscc == "" {
		return tracegate.Invalidf("--uscc", "customs message %s: its ledger leaf needs the sender's USCC (customs import --uscc)", m.GUID)
	}
	st, leaf, err := stateOf(ctx, c.tx, ledger.KindCustomsMessage, statesql.MessageKey(m.Type, m.GUID), uscc)
	if err != nil {
		return err
	}
	if st.Index, err = c.AppendLeaf(ctx, leaf); err != nil {
		return err
	}
	return insertState(ctx, c.tx, st)
}
