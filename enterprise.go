package tracegate

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// EnterpriseStatus is whether an enterprise may act.
type EnterpriseStatus string

// Enterprise statuses. A suspended enterprise's keys are refused.
const (
	EnterpriseActive    EnterpriseStatus = "active"
	EnterpriseSuspended EnterpriseStatus = "suspended"
)

// Enterprise is a tenant: a company or an agency identified by its unified
// social credit code, acting in one or more roles.
type Enterprise struct {
	ID        int64            `json:"id"`
	USCC      string           `json:"uscc"`
	Name      string           `json:"name"`
	NameEN    string           `json:"nameEn,omitempty"`
	Roles     []Role           `json:"roles"`
	Status    EnterpriseStatus `json:"status"`
	CreatedAt time.Time        `json:"createdAt"`
	UpdatedAt time.Time        `json:"updatedAt"`
}

// HasRole reports whether e acts in role r.
func (e *Enterprise) HasRole(r Role) bool {
	for _, have := range e.Roles {
		if have == r {
			return true
		}
	}
	return false
}

// Validate normalises e's fields and checks them: a valid USCC, a name, at
// least one known role, a known status. It fails with EINVALID whose pointer
// names the field.
func (e *Enterprise) Validate() error {
	code, err := ValidateUSCC(e.USCC)
	if err != nil {
		return err
	}
	e.USCC = code
	e.Name = strings.TrimSpace(e.Name)
	e.NameEN = strings.TrimSpace(e.NameEN)
	if e.Name == "" {
		return Invalidf("/name", "name is required")
	}
	if len([]rune(e.Name)) > 200 || len([]rune(e.NameEN)) > 200 {
		return Invalidf("/name", "names are limited to 200 characters")
	}
	if len(e.Roles) == 0 {
		return Invalidf("/roles", "at least one role is required")
	}
	seen := map[Role]bool{}
	for i, r := range e.Roles {
		if _, err := ParseRole(string(r)); err != nil || string(r) != strings.ToLower(string(r)) {
			return Invalidf("/roles/"+strconv.Itoa(i), "unknown role %q (want one of %s)", r, roleNames())
		}
		if seen[r] {
			return Invalidf("/roles/"+strconv.Itoa(i), "role %q given twice", r)
		}
		seen[r] = true
	}
	switch e.Status {
	case "":
		e.Status = EnterpriseActive
	case EnterpriseActive, EnterpriseSuspended:
	default:
		return Invalidf("/status", "unknown status %q (want active or suspended)", e.Status)
	}
	return nil
}

// EnterpriseFilter selects enterprises in a listing. Zero fields match all.
type EnterpriseFilter struct {
	Role   Role
	Limit  int // at most this many; 0 means 1000
	Offset int
}

// EnterpriseStore keeps enterprises and their API keys. Every store backend
// implements it; store/storetest holds the conformance suite.
type EnterpriseStore interface {
	// CreateEnterprise stores e and sets its ID and timestamps. It fails with
	// ECONFLICT when the USCC is taken.
	CreateEnterprise(ctx context.Context, e *Enterprise) error
	// FindEnterprise returns the enterprise with id, or ENOTFOUND.
	FindEnterprise(ctx context.Context, id int64) (*Enterprise, error)
	// FindEnterpriseByUSCC returns the enterprise with code, or ENOTFOUND.
	FindEnterpriseByUSCC(ctx context.Context, code string) (*Enterprise, error)
	// ListEnterprises returns enterprises in ID order.
	ListEnterprises(ctx context.Context, f EnterpriseFilter) ([]*Enterprise, error)
	// SetEnterpriseStatus changes an enterprise's status; ENOTFOUND if absent.
	SetEnterpriseStatus(ctx context.Context, id int64, s EnterpriseStatus) error

	// CreateAPIKey stores k (whose Hash is set) and sets its ID and
	// CreatedAt. It fails with ENOTFOUND when the enterprise does not exist.
	CreateAPIKey(ctx context.Context, k *APIKey) error
	// FindAPIKeyByHash returns the key with hash, revoked or not, with its
	// enterprise; ENOTFOUND when no key has that hash.
	FindAPIKeyByHash(ctx context.Context, hash []byte) (*APIKey, *Enterprise, error)
	// FindAPIKey returns the key with id (without its hash), or ENOTFOUND.
	FindAPIKey(ctx context.Context, id int64) (*APIKey, error)
	// ListAPIKeys returns an enterprise's keys (never their secrets).
	ListAPIKeys(ctx context.Context, enterpriseID int64) ([]*APIKey, error)
	// RevokeAPIKey marks key id revoked now. It fails with ENOTFOUND for an
	// unknown key and ECONFLICT for one already revoked.
	RevokeAPIKey(ctx context.Context, id int64) error
}
