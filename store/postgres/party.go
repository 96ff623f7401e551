package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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
		var confirmed *time.Time
		if c.Status == tracegate.CodeConfirmed {
			confirmed = &tx.now
		}
		_, err := tx.Exec(ctx, `INSERT INTO customs_codes (code, enterprise_id, kind, status, created_at, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind,
				status = CASE WHEN customs_codes.status = 'confirmed' THEN 'confirmed' ELSE EXCLUDED.status END,
				confirmed_at = COALESCE(customs_codes.confirmed_at, EXCLUDED.confirmed_at)
			WHERE customs_codes.enterprise_id = EXCLUDED.enterprise_id`,
			c.Code, c.EnterpriseID, c.Kind, c.Status, tx.now, confirmed)
		if isForeignKey(err) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", c.EnterpriseID)
		} else if err != nil {
			return fmt.Errorf("postgres: save customs code: %w", err)
		}
		got, err := scanCustomsCode(tx.QueryRow(ctx, "SELECT "+customsCodeColumns+" FROM customs_codes WHERE code = $1", c.Code))
		if err != nil {
			return fmt.Errorf("postgres: save customs code: %w", err)
		}
		if got.EnterpriseID != c.EnterpriseID {
			return tracegate.Errorf(tracegate.ECONFLICT, "customs code %s is registered to another enterprise", c.Code)
		}
		*c = *got
		return nil
	})
}

// ConfirmCustomsCode confirms code, or fails with ENOTFOUND.
func (s *Store) ConfirmCustomsCode(ctx context.Context, code string) (*tracegate.CustomsCode, error) {
	code = strings.TrimSpace(code)
	var out *tracegate.CustomsCode
	err := s.update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE customs_codes SET status = 'confirmed', confirmed_at = $1 WHERE code = $2 AND status = 'claimed'",
			tx.now, code); err != nil {
			return fmt.Errorf("postgres: confirm customs code: %w", err)
		}
		c, err := scanCustomsCode(tx.QueryRow(ctx, "SELECT "+customsCodeColumns+" FROM customs_codes WHERE code = $1", code))
		if errors.Is(err, pgx.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise claimed customs code %s", code)
		} else if err != nil {
			return fmt.Errorf("postgres: confirm customs code: %w", err)
		}
		out = c
		return nil
	})
	return out, err
}

// DeleteCustomsCode removes code of enterprise id, or fails with ENOTFOUND.
func (s *Store) DeleteCustomsCode(ctx context.Context, id int64, code string) error {
	return s.update(ctx, func(tx *Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM customs_codes WHERE code = $1 AND enterprise_id = $2", strings.TrimSpace(code), id)
		if err != nil {
			return fmt.Errorf("postgres: delete customs code: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "enterprise %d holds no customs code %s", id, code)
		}
		return nil
	})
}

const customsCodeColumns = "code, kind, enterprise_id, status, created_at, confirmed_at"

func scanCustomsCode(row pgx.Row) (*tracegate.CustomsCode, error) {
	var c tracegate.CustomsCode
	var confirmed *time.Time
	if err := row.Scan(&c.Code, &c.Kind, &c.EnterpriseID, &c.Status, &c.CreatedAt, &confirmed); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	if confirmed != nil {
		t := confirmed.UTC()
		c.ConfirmedAt = &t
	}
	return &c, nil
}

// CustomsCodes returns the codes of enterprise id, by code.
func (s *Store) CustomsCodes(ctx context.Context, id int64) ([]tracegate.CustomsCode, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+customsCodeColumns+" FROM customs_codes WHERE enterprise_id = $1 ORDER BY code", id)
	if err != nil {
		return nil, fmt.Errorf("postgres: customs codes: %w", err)
	}
	defer rows.Close()
	out := []tracegate.CustomsCode{}
	for rows.Next() {
		c, err := scanCustomsCode(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: customs codes: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// CodeOwners returns the holders of the confirmed codes among codes.
func (s *Store) CodeOwners(ctx context.Context, codes []string) (map[string]int64, error) {
	out := map[string]int64{}
	clean := make([]string, 0, len(codes))
	for _, c := range codes {
		if c = strings.TrimSpace(c); c != "" {
			clean = append(clean, c)
		}
	}
	if len(clean) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, "SELECT code, enterprise_id FROM customs_codes WHERE code = ANY($1) AND status = 'confirmed'", clean)
	if err != nil {
		return nil, fmt.Errorf("postgres: code owners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		var id int64
		if err := rows.Scan(&c, &id); err != nil {
			return nil, fmt.Errorf("postgres: code owners: %w", err)
		}
		out[c] = id
	}
	return out, rows.Err()
}

// GrantHandling stores h, as tracegate.PartyStore describes.
func (s *Store) GrantHandling(ctx context.Context, h *tracegate.Handling) error {
	if h.ClientID == h.HandlerID {
		return tracegate.Invalidf("/handlerId", "an enterprise handles its own goods without a relation")
	}
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO handlings (client_id, handler_id, created_by, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (client_id, handler_id) DO NOTHING`, h.ClientID, h.HandlerID, h.CreatedBy, tx.now)
		if isForeignKey(err) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d or %d", h.ClientID, h.HandlerID)
		} else if err != nil {
			return fmt.Errorf("postgres: grant handling: %w", err)
		}
		if err := tx.QueryRow(ctx, "SELECT created_by, created_at FROM handlings WHERE client_id = $1 AND handler_id = $2",
			h.ClientID, h.HandlerID).Scan(&h.CreatedBy, &h.CreatedAt); err != nil {
			return fmt.Errorf("postgres: grant handling: %w", err)
		}
		h.CreatedAt = h.CreatedAt.UTC()
		return nil
	})
}

// RevokeHandling removes a relation, or fails with ENOTFOUND.
func (s *Store) RevokeHandling(ctx context.Context, clientID, handlerID int64) error {
	return s.update(ctx, func(tx *Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM handlings WHERE client_id = $1 AND handler_id = $2", clientID, handlerID)
		if err != nil {
			return fmt.Errorf("postgres: revoke handling: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "enterprise %d has not authorised enterprise %d", clientID, handlerID)
		}
		return nil
	})
}

// Handlings returns the relations id is client or handler of.
func (s *Store) Handlings(ctx context.Context, id int64) ([]tracegate.Handling, error) {
	rows, err := s.pool.Query(ctx, `SELECT client_id, handler_id, created_by, created_at FROM handlings
		WHERE client_id = $1 OR handler_id = $1 ORDER BY client_id, handler_id`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: handlings: %w", err)
	}
	defer rows.Close()
	out := []tracegate.Handling{}
	for rows.Next() {
		var h tracegate.Handling
		if err := rows.Scan(&h.ClientID, &h.HandlerID, &h.CreatedBy, &h.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: handlings: %w", err)
		}
		h.CreatedAt = h.CreatedAt.UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}
