package postgres

import (
	"context"
	"fmt"

	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

// WriteMasterData stores vocabulary elements in the capture's transaction;
// an element stored before takes the new attributes and children.
// Nobody may replace another enterprise's element (EFORBIDDEN naming it).
func (w *eventWriter) WriteMasterData(ctx context.Context, enterpriseID int64, els []epcis.VocabularyElement) error {
	if err := writeMasterData(ctx, w.tx, enterpriseID, els); err != nil {
		return err
	}
	return w.ledgerMasterData(ctx, els)
}

func writeMasterData(ctx context.Context, tx *Tx, enterpriseID int64, els []epcis.VocabularyElement) error {
	for _, e := range els {
		var owner int64
		if err := tx.QueryRow(ctx, eventsql.Rebind(pgDialect, eventsql.VocabOwner), epcis.LocationGLN(e.ID), e.Type, e.ID).Scan(&owner); err != nil {
			return fmt.Errorf("postgres: owner of vocabulary element %s: %w", e.ID, err)
		}
		ownerID, err := eventsql.MasterDataOwner(e, owner, enterpriseID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, eventsql.Rebind(pgDialect, eventsql.UpsertVocabElement), e.Type, e.ID, tx.now, ownerID); err != nil {
			return fmt.Errorf("postgres: store vocabulary element %s: %w", e.ID, err)
		}
		if _, err := tx.Exec(ctx, eventsql.Rebind(pgDialect, eventsql.DeleteVocabAttrs), e.Type, e.ID); err != nil {
			return fmt.Errorf("postgres: store vocabulary element %s: %w", e.ID, err)
		}
		if _, err := tx.Exec(ctx, eventsql.Rebind(pgDialect, eventsql.DeleteVocabChildren), e.Type, e.ID); err != nil {
			return fmt.Errorf("postgres: store vocabulary element %s: %w", e.ID, err)
		}
		for i, a := range e.Attributes {
			if _, err := tx.Exec(ctx, eventsql.Rebind(pgDialect, eventsql.InsertVocabAttr), e.Type, e.ID, i, a.ID, a.Value); err != nil {
				return fmt.Errorf("postgres: store vocabulary attribute %s: %w", e.ID, err)
			}
		}
		for _, c := range e.Children {
			if _, err := tx.Exec(ctx, eventsql.Rebind(pgDialect, eventsql.InsertVocabChild), e.Type, e.ID, c); err != nil {
				return fmt.Errorf("postgres: store vocabulary child of %s: %w", e.ID, err)
			}
		}
	}
	return nil
}

// LocationNames returns the master-data names of the locations ids, keyed
// as given; ids without a name are absent.
func (s *Store) LocationNames(ctx context.Context, ids []string) (map[string]string, error) {
	if len(ids) == 0 {
		return map[string]string{}, nil
	}
	canon := make([]string, len(ids))
	for i, id := range ids {
		canon[i] = epcis.CanonicalEPC(id)
	}
	q, args := eventsql.LocationNames(pgDialect, canon)
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: location names: %w", err)
	}
	defer rows.Close()
	var found []eventsql.NameRow
	for rows.Next() {
		var r eventsql.NameRow
		if err := rows.Scan(&r.VType, &r.ID, &r.Attr, &r.Value); err != nil {
			return nil, fmt.Errorf("postgres: location names: %w", err)
		}
		found = append(found, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: location names: %w", err)
	}
	return eventsql.PickNames(found, ids, canon), nil
}

// ForeignEventIDs returns which of ids another enterprise's events carry.
func (w *eventWriter) ForeignEventIDs(ctx context.Context, enterpriseID int64, ids []string) (map[string]bool, error) {
	rows, err := w.tx.Query(ctx, "SELECT DISTINCT event_id FROM epcis_events WHERE enterprise_id <> $1 AND event_id = ANY($2)", enterpriseID, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: foreign event ids: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("postgres: foreign event ids: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}
