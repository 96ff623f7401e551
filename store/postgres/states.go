package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
	"tracegate/store/internal/eventsql"
	"tracegate/store/internal/statesql"
)

// currentStates calls fn with each current row of kind (only the row of
// key when key is not ""), by key in byte order, encoded as the ledger
// commits it.
func currentStates(ctx context.Context, q querier, kind ledger.Kind, key string, fn func(key string, body []byte) error) error {
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
	return fmt.Errorf("postgres: no current state of kind %q", kind)
}

func parseKeyID(key string) int64 {
	id, _ := strconv.ParseInt(key, 10, 64)
	return id
}

func currentHolds(ctx context.Context, q querier, key string, fn func(key string, body []byte) error) error {
	id := int64(-1)
	if key != "" {
		id = parseKeyID(key)
	}
	rows, err := q.Query(ctx, `SELECT id, kind, gtin, COALESCE(batch, ''), text, text_en, since, until, COALESCE(created_by, 0), created_at
		FROM label_holds WHERE $1::bigint = -1 OR id = $1 ORDER BY id`, id)
	if err != nil {
		return fmt.Errorf("postgres: current holds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h label.Hold
		var kind string
		if err := rows.Scan(&h.ID, &kind, &h.GTIN, &h.Batch, &h.Text, &h.TextEN, &h.Since, &h.Until, &h.CreatedBy, &h.CreatedAt); err != nil {
			return fmt.Errorf("postgres: current holds: %w", err)
		}
		h.Kind = label.NoticeKind(kind)
		if err := fn(statesql.HoldKey(h.ID), statesql.HoldBody(h)); err != nil {
			return err
		}
	}
	return rows.Err()
}

func currentProducts(ctx context.Context, q querier, key string, fn func(key string, body []byte) error) error {
	owner, gtin := int64(-1), ""
	if k, g, ok := strings.Cut(key, "/"); ok {
		owner, gtin = parseKeyID(k), g
	}
	rows, err := q.Query(ctx, "SELECT "+productColumns+` FROM products p JOIN enterprises e ON e.id = p.owner_id
		WHERE $1::bigint = -1 OR (p.owner_id = $1 AND p.gtin = $2) ORDER BY p.owner_id, p.gtin COLLATE "C"`, owner, gtin)
	if err != nil {
		return fmt.Errorf("postgres: current products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return fmt.Errorf("postgres: current products: %w", err)
		}
		if err := fn(statesql.ProductKey(p.OwnerID, p.GTIN), statesql.ProductBody(*p)); err != nil {
			return err
		}
	}
	return rows.Err()
}

func currentVocab(ctx context.Context, q querier, key string, fn func(key string, body []byte) error) error {
	rows, err := q.Query(ctx, `SELECT vtype, id FROM epcis_vocab_elements WHERE $1 = '' OR vtype || ' ' || id = $1
		ORDER BY (vtype || ' ' || id) COLLATE "C"`, key)
	if err != nil {
		return fmt.Errorf("postgres: current master data: %w", err)
	}
	els, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var el [2]string
		return el, r.Scan(&el[0], &el[1])
	})
	if err != nil {
		return fmt.Errorf("postgres: current master data: %w", err)
	}
	for _, el := range els {
		rows, err := q.Query(ctx, "SELECT attr, value FROM epcis_vocab_attrs WHERE vtype = $1 AND id = $2 ORDER BY ord", el[0], el[1])
		if err != nil {
			return fmt.Errorf("postgres: master data: %w", err)
		}
		attrs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
			var a [2]string
			return a, r.Scan(&a[0], &a[1])
		})
		if err != nil {
			return fmt.Errorf("postgres: master data: %w", err)
		}
		rows, err = q.Query(ctx, "SELECT child FROM epcis_vocab_children WHERE vtype = $1 AND parent = $2", el[0], el[1])
		if err != nil {
			return fmt.Errorf("postgres: master data: %w", err)
		}
		kids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("postgres: master data: %w", err)
		}
		if err := fn(statesql.VocabKey(el[0], el[1]), statesql.VocabBody(el[0], el[1], attrs, kids)); err != nil {
			return err
		}
	}
	return nil
}

// oneUSCC returns the first USCC q selects, or "" when none.
func oneUSCC(ctx context.Context, tx *Tx, q string, args ...any) (string, error) {
	var u string
	err := tx.QueryRow(ctx, q, args...).Scan(&u)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("postgres: enterprise of a state: %w", err)
	}
	return u, nil
}

// ledgerProducts ledgers the filings ps that tx has just saved.
func ledgerProducts(ctx context.Context, tx *Tx, ps []*tracegate.Product) error {
	if !tx.ledgerStates {
		return nil
	}
	keys, usccs := make([]string, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		u, err := oneUSCC(ctx, tx, "SELECT uscc FROM enterprises WHERE id = $1", p.OwnerID)
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
	u, err := oneUSCC(ctx, tx, eventsql.Rebind(pgDialect, statesql.USCCOfHold), h.CreatedBy, h.GTIN)
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
		if _, err := w.tx.Exec(ctx, "INSERT INTO ledger_entries (idx, leaf) VALUES ($1, $2)", idx, leaf); err != nil {
			return fmt.Errorf("postgres: insert ledger entry: %w", err)
		}
		w.leaves = append(w.leaves, leaf)
	}
	return nil
}

func currentMessages(ctx context.Context, q querier, key string, fn func(key string, body []byte) error) error {
	rows, err := q.Query(ctx, `SELECT type, guid, COALESCE(sender_id, 0), received_at, body FROM customs_messages
		WHERE $1 = '' OR type || ' ' || guid = $1 ORDER BY (type || ' ' || guid) COLLATE "C"`, key)
	if err != nil {
		return fmt.Errorf("postgres: current customs messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ, guid string
		var sender int64
		var at time.Time
		var body []byte
		if err := rows.Scan(&typ, &guid, &sender, &at, &body); err != nil {
			return fmt.Errorf("postgres: current customs messages: %w", err)
		}
		if err := fn(statesql.MessageKey(typ, guid), statesql.MessageBody(typ, guid, sender, at, body)); err != nil {
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
		if uscc, err = oneUSCC(ctx, c.tx, "SELECT uscc FROM enterprises WHERE id = $1", m.SenderID); err != nil {
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
