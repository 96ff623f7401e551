package postgres

import (
	"context"
	"fmt"

	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

// WriteMasterData stores vocabulary elements in the capture's transaction;
// an element stored before takes the new attributes and children.
func (w *eventWriter) WriteMasterData(ctx context.Context, els []epcis.VocabularyElement) error {
	if err := writeMasterData(ctx, w.tx, els); err != nil {
		return err
	}
	return w.ledgerMasterData(ctx, els)
}

func writeMasterData(ctx context.Context, tx *Tx, els []epcis.VocabularyElement) error {
	for _, e := range els {
		if _, err := tx.Exec(ctx, eventsql.Rebind(pgDialect, eventsql.UpsertVocabElement), e.Type, e.ID, tx.now); err != nil {
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
