package tracegate

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// User is a person who signs in to the console: a member of one
// enterprise, acting in one of its roles. API keys stay for machines.
type User struct {
	ID           int64  `json:"id"`
	EnterpriseID int64  `json:"enterpriseId"`
	Login        string `json:"login"` // unique, lower case
	Name         string `json:"name"`
	Role         Role   `json:"role"`
	// Admin users of an enterprise add and disable its users; a regulator
	// admin also adds regulator users and other enterprises' admins.
	Admin bool `json:"admin"`
	// Lang is the console language the user chose ("zh" or "en").
	Lang     string `json:"lang"`
	Disabled bool   `json:"disabled"`
	// PasswordHash is the PHC string of the argon2id hash; never shown.
	PasswordHash string `json:"-"`
	// Failures counts the failed sign-ins since the last success;
	// LockedUntil, when set and later than now, refuses every sign-in.
	Failures    int        `json:"-"`
	LockedUntil *time.Time `json:"-"`
	CreatedBy   int64      `json:"createdBy,omitempty"` // the user who added it; 0 from the command line
	CreatedAt   time.Time  `json:"createdAt"`
}

// NormalizeLogin is the stored form of a login: trimmed and lower case.
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// ValidateLogin checks a normalized login: 3 to 64 characters of letters,
// digits, '.', '-', '_' and '@'; EINVALID otherwise.
func ValidateLogin(login string) error {
	if n := utf8.RuneCountInString(login); n < 3 || n > 64 {
		return Invalidf("/login", "a login has 3 to 64 characters")
	}
	for _, r := range login {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_@", r)) {
			return Invalidf("/login", "a login has only letters, digits and . - _ @")
		}
	}
	return nil
}

// Session is a signed-in browser: the SHA-256 of its cookie's random id
// (the id itself is never stored), its user, its CSRF token and its times.
type Session struct {
	Hash      []byte
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	SeenAt    time.Time
}

// ConsoleEvent is one entry of the console's audit trail: who did what to
// which object, on which page, when.
type ConsoleEvent struct {
	ID           int64     `json:"id"`
	UserID       int64     `json:"userId"`
	Login        string    `json:"login"`
	EnterpriseID int64     `json:"enterpriseId"`
	Page         string    `json:"page"`
	Action       string    `json:"action"`
	Object       string    `json:"object"`
	At           time.Time `json:"at"`
}

// UserStore keeps the console's users, sessions and audit trail.
type UserStore interface {
	// CreateUser stores u (ID and CreatedAt set on return); ECONFLICT when
	// its login is taken.
	CreateUser(ctx context.Context, u *User) error
	// FindUser returns the user with id, or ENOTFOUND.
	FindUser(ctx context.Context, id int64) (*User, error)
	// FindUserByLogin returns the user of a normalized login, or ENOTFOUND.
	FindUserByLogin(ctx context.Context, login string) (*User, error)
	// ListUsers returns the users of an enterprise (0: every enterprise's),
	// by login.
	ListUsers(ctx context.Context, enterpriseID int64) ([]*User, error)
	// SetUserPassword replaces a user's password hash, clears its lock-out
	// and ends all its sessions; ENOTFOUND for an unknown user.
	SetUserPassword(ctx context.Context, id int64, hash string) error
	// SetUserDisabled disables or enables a user; disabling ends all its
	// sessions. ENOTFOUND for an unknown user.
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	// SetUserLang records the language a user chose.
	SetUserLang(ctx context.Context, id int64, lang string) error
	// RecordSignIn records a sign-in attempt of a user: a success clears
	// its failures, a failure adds one and, past maxFailures, locks it
	// until lockUntil. It returns the user's failures after the attempt.
	RecordSignIn(ctx context.Context, id int64, ok bool, maxFailures int, lockUntil time.Time) (int, error)

	// CreateSession stores a session.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session of a cookie id's hash, or ENOTFOUND.
	FindSession(ctx context.Context, hash []byte) (*Session, error)
	// TouchSession sets a session's last use.
	TouchSession(ctx context.Context, hash []byte, at time.Time) error
	// DeleteSession ends one session (no error when there is none).
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteUserSessions ends every session of a user and returns how many.
	DeleteUserSessions(ctx context.Context, userID int64) (int64, error)
	// DeleteStaleSessions ends the sessions last used before idle or
	// created before absolute, and returns how many.
	DeleteStaleSessions(ctx context.Context, idle, absolute time.Time) (int64, error)

	// AddConsoleEvent appends e to the audit trail (ID and At set).
	AddConsoleEvent(ctx context.Context, e *ConsoleEvent) error
	// ConsoleEvents returns the trail newest first: at most limit entries
	// with IDs below before (0: from the newest).
	ConsoleEvents(ctx context.Context, before int64, limit int) ([]*ConsoleEvent, error)
}
