package tracegate

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// APIKeyPrefix starts every API key, so that a leaked key is recognisable by
// secret scanners.
const APIKeyPrefix = "tgk_"

// apiKeyBytes is the key's randomness: 160 bits from crypto/rand.
const apiKeyBytes = 20

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// APIKey is a credential bound to one enterprise and one role. Only the
// SHA-256 hash of the secret is stored: the secret is shown once.
type APIKey struct {
	ID           int64      `json:"id"`
	EnterpriseID int64      `json:"enterpriseId"`
	Role         Role       `json:"role"`
	Hash         []byte     `json:"-"`
	Hint         string     `json:"hint"` // the first characters, to tell keys apart
	Label        string     `json:"label,omitempty"`
	CreatedAt    time.Time  `json:"createdAt"`
	RevokedAt    *time.Time `json:"revokedAt,omitempty"`
}

// Revoked reports whether k has been revoked.
func (k *APIKey) Revoked() bool { return k.RevokedAt != nil }

// NewAPIKeySecret returns a fresh random key and its hash. It fails only when
// the system's random source does.
func NewAPIKeySecret() (secret string, hash []byte, err error) {
	var b [apiKeyBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, Errorf(EINTERNAL, "read random: %v", err)
	}
	secret = APIKeyPrefix + strings.ToLower(keyEncoding.EncodeToString(b[:]))
	return secret, HashAPIKey(secret), nil
}

// HashAPIKey returns the stored form of a key's secret. Keys carry 160 random
// bits, so a fast hash is enough: there is nothing to brute-force.
func HashAPIKey(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// LooksLikeAPIKey reports whether s has the shape of a key, so malformed
// credentials are refused without a database lookup.
func LooksLikeAPIKey(s string) bool {
	if len(s) != len(APIKeyPrefix)+32 || !strings.HasPrefix(s, APIKeyPrefix) {
		return false
	}
	for _, c := range s[len(APIKeyPrefix):] {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// IssueAPIKey creates a key for enterprise (an ID or a USCC) acting as role,
// stores its hash and returns the secret, which is never retrievable again.
// It fails with EINVALID when the enterprise does not act in that role,
// ENOTFOUND when it does not exist, and EFORBIDDEN when it is suspended.
func IssueAPIKey(ctx context.Context, s EnterpriseStore, e *Enterprise, role Role, label string) (*APIKey, string, error) {
	if !e.HasRole(role) {
		return nil, "", Invalidf("/role", "enterprise %s does not act as %q (its roles: %v)", e.USCC, role, e.Roles)
	}
	if e.Status != EnterpriseActive {
		return nil, "", Errorf(EFORBIDDEN, "enterprise %s is %s", e.USCC, e.Status)
	}
	secret, hash, err := NewAPIKeySecret()
	if err != nil {
		return nil, "", err
	}
	k := &APIKey{EnterpriseID: e.ID, Role: role, Hash: hash, Hint: secret[:len(APIKeyPrefix)+4], Label: label}
	if err := s.CreateAPIKey(ctx, k); err != nil {
		return nil, "", err
	}
	return k, secret, nil
}
