package consolesql

import (
	"context"
	"time"

	"tracegate"
	"tracegate/store/internal/sqldb"
)

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss *tracegate.Session) error {
	_, err := s.exec(ctx, "create session", `INSERT INTO console_sessions (hash, user_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)`,
		ss.Hash, ss.UserID, ss.CSRF, s.d.Time(ss.CreatedAt), s.d.Time(ss.SeenAt))
	return err
}

// FindSession returns the session of a cookie id's hash, or ENOTFOUND.
func (s *Store) FindSession(ctx context.Context, hash []byte) (*tracegate.Session, error) {
	ss := &tracegate.Session{}
	err := s.db.QueryRow(ctx, `SELECT hash, user_id, csrf, created_at, seen_at FROM console_sessions WHERE hash = ?`, hash).
		Scan(&ss.Hash, &ss.UserID, &ss.CSRF, s.d.TimeDest(&ss.CreatedAt), s.d.TimeDest(&ss.SeenAt))
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such session")
	}
	if err != nil {
		return nil, s.errf("find session", err)
	}
	return ss, nil
}

// TouchSession sets a session's last use.
func (s *Store) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	_, err := s.exec(ctx, "touch session", `UPDATE console_sessions SET seen_at = ? WHERE hash = ?`, s.d.Time(at), hash)
	return err
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	_, err := s.exec(ctx, "delete session", `DELETE FROM console_sessions WHERE hash = ?`, hash)
	return err
}

// DeleteUserSessions ends every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	return s.exec(ctx, "delete sessions", `DELETE FROM console_sessions WHERE user_id = ?`, userID)
}

// DeleteStaleSessions ends the sessions idle since idle or older than
// absolute.
func (s *Store) DeleteStaleSessions(ctx context.Context, idle, absolute time.Time) (int64, error) {
	return s.exec(ctx, "delete stale sessions", `DELETE FROM console_sessions WHERE seen_at < ? OR created_at < ?`,
		s.d.Time(idle), s.d.Time(absolute))
}

// AddConsoleEvent appends e to the audit trail.
func (s *Store) AddConsoleEvent(ctx context.Context, e *tracegate.ConsoleEvent) error {
	err := s.update(ctx, func(tx sqldb.Tx) error {
		e.At = tx.Now()
		return tx.QueryRow(ctx, `INSERT INTO console_audit (user_id, login, enterprise_id, page, action, object, at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.UserID, e.Login, e.EnterpriseID, e.Page, e.Action, e.Object, s.d.Time(e.At)).Scan(&e.ID)
	})
	if err != nil {
		return s.errf("add console event", err)
	}
	return nil
}

// ConsoleEvents returns the trail newest first, below before (0: all).
func (s *Store) ConsoleEvents(ctx context.Context, before int64, limit int) ([]*tracegate.ConsoleEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.db.Query(ctx, `SELECT id, user_id, login, enterprise_id, page, action, object, at FROM console_audit
		WHERE ? = 0 OR id < ? ORDER BY id DESC LIMIT ?`, before, before, limit)
	if err != nil {
		return nil, s.errf("console events", err)
	}
	defer rows.Close()
	var out []*tracegate.ConsoleEvent
	for rows.Next() {
		e := &tracegate.ConsoleEvent{}
		if err := rows.Scan(&e.ID, &e.UserID, &e.Login, &e.EnterpriseID, &e.Page, &e.Action, &e.Object, s.d.TimeDest(&e.At)); err != nil {
			return nil, s.errf("console events", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
