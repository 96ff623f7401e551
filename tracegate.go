// Package tracegate holds the basics every other package shares: the coded
// Error type, the principal carried in a request's context, and the Clock.
//
// Domain packages (gs1, epcis, ledger, label, customs, risk, credit) import
// this package and nothing from the adapters (store/..., web/); cmd/tracegate
// wires adapters to domain services.
package tracegate

import (
	"context"
	"time"
)

// Version is the release of this build; cmd/tracegate may override it at link
// time with -ldflags "-X tracegate.Version=...".
var Version = "0.1.0-dev"

// Clock tells the time. Services take a Clock so tests can fix time.
type Clock interface {
	Now() time.Time
}

// SystemClock is the Clock of the wall clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// Principal is who is calling: the enterprise an API key belongs to and the
// single role the key was issued for.
type Principal struct {
	EnterpriseID int64  `json:"enterpriseId"`
	USCC         string `json:"uscc"`
	Role         Role   `json:"role"`
	KeyID        int64  `json:"keyId"`
	// UserID is the console user of a session; 0 for an API key.
	UserID int64 `json:"userId,omitempty"`
	// Enterprise is the caller's enterprise as it was when the key was
	// authenticated (at most the key cache's TTL ago).
	Enterprise *Enterprise `json:"-"`
}

type principalKey struct{}

// WithPrincipal returns a copy of ctx that carries p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, or nil when the caller is
// anonymous.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

type requestIDKey struct{}

// WithRequestID returns a copy of ctx that carries the request ID id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request ID in ctx, or "" when there is none.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
