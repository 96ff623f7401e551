package lease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"tracegate"
)

// Store keeps the leases. Every method uses the database's clock for
// expiry, never the caller's.
type Store interface {
	// AcquireLease takes the lease name for holder for ttl when it is free
	// (absent, expired or released) and returns its new token, larger than
	// every earlier one of name. It fails with ErrHeld when another holder
	// has it (or holder itself under another token: a holder renews, it does
	// not acquire twice).
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (token int64, err error)
	// RenewLease extends holder's lease of name under token by ttl from
	// now. It fails with ErrStale when the lease has expired or another
	// token holds it.
	RenewLease(ctx context.Context, name, holder string, token int64, ttl time.Duration) error
	// ReleaseLease ends holder's lease under token at once, so another node
	// may take it without waiting for the expiry; releasing a lease no
	// longer held is a no-op.
	ReleaseLease(ctx context.Context, name, holder string, token int64) error
	// Leases lists the leases as stored (for /readyz and the tests).
	Leases(ctx context.Context) ([]Lease, error)
}

// Lease is one lease as stored.
type Lease struct {
	Name    string    `json:"name"`
	Holder  string    `json:"holder"`
	Token   int64     `json:"token"`
	Expires time.Time `json:"expires"`
	// Held: not expired by the database's clock when read.
	Held bool `json:"held"`
}

// ErrHeld is the cause of AcquireLease's failure when another node holds the
// lease.
var ErrHeld = errors.New("lease: held by another node")

// ErrStale is the cause of a refused write or renewal under a token that is
// no longer the lease's (expired, or taken over by another node).
var ErrStale = errors.New("lease: stale token")

// Held returns the error of AcquireLease when name is held by someone else.
func Held(name string) error {
	return &tracegate.Error{Code: tracegate.ECONFLICT, Message: fmt.Sprintf("lease %s is held by another node", name), Err: ErrHeld}
}

// Stale returns the error a store gives for a write or renewal under a stale
// token: ECONFLICT whose cause is ErrStale.
func Stale(name string, token int64) error {
	return &tracegate.Error{Code: tracegate.ECONFLICT,
		Message: fmt.Sprintf("lease %s: token %d is no longer the lease's (expired or taken over by another node); the write is refused", name, token),
		Err:     ErrStale}
}

// Fence is the lease a write is made under.
type Fence struct {
	Name  string
	Token int64
}

type fenceKey struct{}

// WithFence returns ctx carrying f: the stores check it in every write
// transaction begun with the returned context.
func WithFence(ctx context.Context, f Fence) context.Context {
	return context.WithValue(ctx, fenceKey{}, f)
}

// FenceFrom returns the fence ctx carries, if any.
func FenceFrom(ctx context.Context) (Fence, bool) {
	f, ok := ctx.Value(fenceKey{}).(Fence)
	return f, ok
}

// NewHolder returns a holder name unique to this process: host, pid and
// random bits, so a restarted node is a new holder that waits for its old
// lease to expire.
func NewHolder() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}
