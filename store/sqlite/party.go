package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tracegate"
)

var _ tracegate.PartyStore = (*Store)(nil)

// SaveCustomsCode stores c for its enterprise, as tracegate.PartyStore
// describes.
func (s *Store) SaveCustomsCode(ctx context.Context, c *tracegate.CustomsCode) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *Tx) error {
		var owner int64
		var status string
		var created int64
		var confirmed sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT enterprise_id, status, created_at, confirmed_at FROM customs_codes WHERE code = ?", c.Code).
			Scan(&owner, &status, &created, &confirmed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			var conf *int64
			if c.Status == tracegate.CodeConfirmed {
				v := micro(tx.now)
				conf = &v
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO customs_codes (code, enterprise_id, kind, status, created_at, confirmed_at)
				VALUES (?, ?, ?, ?, ?, ?)`, c.Code, c.EnterpriseID, c.Kind, c.Status, micro(tx.now), conf)
			if isForeignKey(err) {
				return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", c.EnterpriseID)
			} else if err != nil {
				return fmt.Errorf("sqlite: insert customs code: %w", err)
			}
			c.CreatedAt = tx.now
			if conf != nil {
				t := tx.now
				c.ConfirmedAt = &t
			}
			return nil
		case err != nil:
			return fmt.Errorf("sqlite: find customs code: %w", err)
		case owner != c.EnterpriseID:
			return tracegate.Errorf(tracegate.ECONFLICT, "customs code %s is registered to another enterprise", c.Code)
		}
		if status == string(tracegate.CodeConfirmed) {
			c.Status = tracegate.CodeConfirmed
		} else if c.Status == tracegate.CodeConfirmed {
			confirmed = sql.NullInt64{Int64: micro(tx.now), Valid: true}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE customs_codes SET kind = ?, status = ?, confirmed_at = ? WHERE code = ?",
			c.Kind, c.Status, confirmed, c.Code); err != nil {
			return fmt.Errorf("sqlite: update customs code: %w", err)
		}
		c.CreatedAt = fromMicro(created)
		if confirmed.Valid {
			t := fromMicro(confirmed.Int64)
			c.ConfirmedAt = &t
		}
		return nil
	})
}

// ConfirmCustomsCode confirms code, or fails with ENOTFOUND.
func (s *Store) ConfirmCustomsCode(ctx context.Context, code string) (*tracegate.CustomsCode, error) {
	code = strings.TrimSpace(code)
	var out *tracegate.CustomsCode
	err := s.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE customs_codes SET status = 'confirmed', confirmed_at = ? WHERE code = ? AND status = 'claimed'",
			micro(tx.now), code); err != nil {
			return fmt.Errorf("sqlite: confirm customs code: %w", err)
		}
		c, err := scanCustomsCode(tx.QueryRowContext(ctx, "SELECT "+customsCodeColumns+" FROM customs_codes WHERE code = ?", code))
		if errors.Is(err, sql.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise claimed customs code %s", code)
		} else if err != nil {
			return fmt.Errorf("sqlite: confirm customs code: %w", err)
		}
		out = c
		return nil
	})
	return out, err
}

// DeleteCustomsCode removes code of enterprise id, or fails with ENOTFOUND.
func (s *Store) DeleteCustomsCode(ctx context.Context, id int64, code string) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM customs_codes WHERE code = ? AND enterprise_id = ?", strings.TrimSpace(code), id)
		if err != nil {
			return fmt.Errorf("sqlite: delete customs code: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "enterprise %d holds no customs code %s", id, code)
		}
		return nil
	})
}

const customsCodeColumns = "code, kind, enterprise_id, status, created_at, confirmed_at"

func scanCustomsCode(row rowScanner) (*tracegate.CustomsCode, error) {
	var c tracegate.CustomsCode
	var created int64
	var confirmed sql.NullInt64
	if err := row.Scan(&c.Code, &c.Kind, &c.EnterpriseID, &c.Status, &created, &confirmed); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMicro(created)
	if confirmed.Valid {
		t := fromMicro(confirmed.Int64)
		c.ConfirmedAt = &t
	}
	return &c, nil
}

// CustomsCodes returns the codes of enterprise id, by code.
func (s *Store) CustomsCodes(ctx context.Context, id int64) ([]tracegate.CustomsCode, error) {
	rows, err := s.readRows(ctx, "SELECT "+customsCodeColumns+" FROM customs_codes WHERE enterprise_id = ? ORDER BY code", id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: customs codes: %w", err)
	}
	defer rows.Close()
	out := []tracegate.CustomsCode{}
	for rows.Next() {
		c, err := scanCustomsCode(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: customs codes: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// CodeOwners returns the holders of the confirmed codes among codes.
func (s *Store) CodeOwners(ctx context.Context, codes []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if _, seen := out[c]; seen || c == "" {
			continue
		}
		var id int64
		err := s.readRow(ctx, "SELECT enterprise_id FROM customs_codes WHERE code = ? AND status = 'confirmed'", c).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("sqlite: code owners: %w", err)
		}
		out[c] = id
	}
	return out, nil
}

// GrantHandling stores h, as tracegate.PartyStore describes.
func (s *Store) GrantHandling(ctx context.Context, h *tracegate.Handling) error {
	if h.ClientID == h.HandlerID {
		return tracegate.Invalidf("/handlerId", "an enterprise handles its own goods without a relation")
	}
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO handlings (client_id, handler_id, created_by, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (client_id, handler_id) DO NOTHING`, h.ClientID, h.HandlerID, h.CreatedBy, micro(tx.now))
		if isForeignKey(err) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d or %d", h.ClientID, h.HandlerID)
		} else if err != nil {
			return fmt.Errorf("sqlite: grant handling: %w", err)
		}
		var created int64
		if err := tx.QueryRowContext(ctx, "SELECT created_by, created_at FROM handlings WHERE client_id = ? AND handler_id = ?",
			h.ClientID, h.HandlerID).Scan(&h.CreatedBy, &created); err != nil {
			return fmt.Errorf("sqlite: grant handling: %w", err)
		}
		h.CreatedAt = fromMicro(created)
		return nil
	})
}

// RevokeHandling removes a relation, or fails with ENOTFOUND.
func (s *Store) RevokeHandling(ctx context.Context, clientID, handlerID int64) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM handlings WHERE client_id = ? AND handler_id = ?", clientID, handlerID)
		if err != nil {
			return fmt.Errorf("sqlite: revoke handling: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "enterprise %d has not authorised enterprise %d", clientID, handlerID)
		}
		return nil
	})
}

// Handlings returns the relations id is client or handler of.
func (s *Store) Handlings(ctx context.Context, id int64) ([]tracegate.Handling, error) {
	rows, err := s.readRows(ctx, `SELECT client_id, handler_id, created_by, created_at FROM handlings
		WHERE client_id = ? OR handler_id = ? ORDER BY client_id, handler_id`, id, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: handlings: %w", err)
	}
	defer rows.Close()
	out := []tracegate.Handling{}
	for rows.Next() {
		var h tracegate.Handling
		var created int64
		if err := rows.Scan(&h.ClientID, &h.HandlerID, &h.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("sqlite: handlings: %w", err)
		}
		h.CreatedAt = fromMicro(created)
		out = append(out, h)
	}
	return out, rows.Err()
}
