package web

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"
	"time"

	"tracegate"
)

// authenticate returns the principal of r's bearer key, nil when r carries
// no credentials, or EUNAUTHORIZED / EFORBIDDEN for a bad, revoked or
// suspended one.
func (s *Server) authenticate(r *http.Request) (*tracegate.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, tracegate.Errorf(tracegate.EUNAUTHORIZED, "unsupported Authorization scheme; send Authorization: Bearer <key>")
	}
	secret = strings.TrimSpace(secret)
	if !tracegate.LooksLikeAPIKey(secret) {
		return nil, tracegate.Errorf(tracegate.EUNAUTHORIZED, "invalid API key")
	}
	hash := sha256.Sum256([]byte(secret))
	now := s.clock.Now()
	if p, ok := s.keys.get(hash, now); ok {
		return p, nil
	}
	p, err := s.lookupKey(r.Context(), hash[:])
	if err != nil {
		return nil, err
	}
	s.keys.put(hash, p, now)
	return p, nil
}

func (s *Server) lookupKey(ctx context.Context, hash []byte) (*tracegate.Principal, error) {
	k, e, err := s.enterprises.FindAPIKeyByHash(ctx, hash)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return nil, tracegate.Errorf(tracegate.EUNAUTHORIZED, "invalid API key")
	} else if err != nil {
		return nil, err
	}
	if k.Revoked() {
		return nil, tracegate.Errorf(tracegate.EUNAUTHORIZED, "this API key was revoked at %s", k.RevokedAt.Format(time.RFC3339))
	}
	if e.Status != tracegate.EnterpriseActive {
		return nil, tracegate.Errorf(tracegate.EFORBIDDEN, "enterprise %s is %s", e.USCC, e.Status)
	}
	if !e.HasRole(k.Role) {
		return nil, tracegate.Errorf(tracegate.EFORBIDDEN, "enterprise %s no longer acts as %s", e.USCC, k.Role)
	}
	return &tracegate.Principal{EnterpriseID: e.ID, USCC: e.USCC, Role: k.Role, KeyID: k.ID, Enterprise: e}, nil
}

// keyCache remembers recently authenticated keys for a short time, so a busy
// client costs one hash and one map lookup per request, not a query.
type keyCache struct {
	ttl time.Duration
	mu  sync.RWMutex
	m   map[[32]byte]cachedKey
}

type cachedKey struct {
	p       *tracegate.Principal
	expires time.Time
}

// keyCacheMax bounds the cache; past it the cache starts again empty.
const keyCacheMax = 10_000

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{ttl: ttl, m: map[[32]byte]cachedKey{}}
}

func (c *keyCache) get(h [32]byte, now time.Time) (*tracegate.Principal, bool) {
	if c.ttl < 0 {
		return nil, false
	}
	c.mu.RLock()
	e, ok := c.m[h]
	c.mu.RUnlock()
	if !ok || now.After(e.expires) {
		return nil, false
	}
	return e.p, true
}

func (c *keyCache) put(h [32]byte, p *tracegate.Principal, now time.Time) {
	if c.ttl < 0 {
		return
	}
	c.mu.Lock()
	if len(c.m) >= keyCacheMax {
		clear(c.m)
	}
	c.m[h] = cachedKey{p: p, expires: now.Add(c.ttl)}
	c.mu.Unlock()
}

// forgetKey drops a revoked key at once on this node.
func (c *keyCache) forgetKey(keyID int64) {
	c.mu.Lock()
	for h, e := range c.m {
		if e.p.KeyID == keyID {
			delete(c.m, h)
		}
	}
	c.mu.Unlock()
}

// requestInfo is shared by the middleware layers of one request: the
// authenticating layer fills it, the logging and metrics layers read it.
type requestInfo struct {
	principal *tracegate.Principal
}

type infoKey struct{}

func infoOf(r *http.Request) *requestInfo {
	info, _ := r.Context().Value(infoKey{}).(*requestInfo)
	return info
}
