package oidc

import (
	"context"
	"fmt"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"

	"meet/internal/apperr"
)

// LogoutToken is a verified back-channel logout request.
type LogoutToken struct {
	Issuer    string
	Subject   string // may be empty when SessionID is set
	SessionID string // the provider's session ("sid"), when it sends one
	JTI       string
	IssuedAt  time.Time
}

// Logout tokens are accepted for MaxLogoutTokenAge after they were issued (plus
// clockSkew), and their ids are remembered that long, so a replay is always
// caught.
const (
	MaxLogoutTokenAge = 5 * time.Minute
	clockSkew         = time.Minute
)

// errLogoutToken is the public message of a refused logout token.
const errLogoutToken = "The logout token is invalid."

// VerifyLogoutToken checks a back-channel logout token: signature against the
// provider's keys, issuer, audience, expiry, the back-channel logout event,
// no nonce, a jti, and an iat no older than MaxLogoutTokenAge. It then records
// the jti: a token seen before is refused.
//
// Errors: apperr.Invalid for a bad or replayed token; those of Discover; and
// the JTICache's.
func (rp *RelyingParty) VerifyLogoutToken(ctx context.Context, raw string) (*LogoutToken, error) {
	p, err := rp.discover(ctx)
	if err != nil {
		return nil, err
	}
	vctx, cancel := rp.outbound(ctx)
	defer cancel()
	lt, err := p.Verifier(&gooidc.Config{ClientID: rp.cfg.ClientID, Now: rp.cfg.Now}).VerifyLogout(vctx, raw)
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, errLogoutToken, fmt.Errorf("oidc: logout token: %w", err))
	}
	now := rp.cfg.Now()
	switch {
	case lt.IssuedAt.IsZero():
		return nil, apperr.Wrap(apperr.Invalid, errLogoutToken, fmt.Errorf("oidc: logout token: no iat"))
	case lt.IssuedAt.After(now.Add(clockSkew)):
		return nil, apperr.Wrap(apperr.Invalid, errLogoutToken, fmt.Errorf("oidc: logout token: issued in the future (%s)", lt.IssuedAt))
	case now.Sub(lt.IssuedAt) > MaxLogoutTokenAge:
		return nil, apperr.Wrap(apperr.Invalid, errLogoutToken, fmt.Errorf("oidc: logout token: issued %s ago", now.Sub(lt.IssuedAt).Round(time.Second)))
	}
	fresh, err := rp.jtis.Add(ctx, lt.Issuer+"\x00"+lt.TokenID, lt.IssuedAt.Add(MaxLogoutTokenAge+clockSkew))
	if err != nil {
		return nil, err
	}
	if !fresh {
		return nil, apperr.Wrap(apperr.Invalid, errLogoutToken, fmt.Errorf("oidc: logout token: jti %q replayed", lt.TokenID))
	}
	return &LogoutToken{Issuer: lt.Issuer, Subject: lt.Subject, SessionID: lt.SessionID, JTI: lt.TokenID, IssuedAt: lt.IssuedAt}, nil
}

// JTICache remembers token ids to refuse replays. A Redis implementation
// shares them between instances.
//
// Add records key until the given time and reports whether it was new.
// Errors are apperr.Unavailable when the store is unreachable.
type JTICache interface {
	Add(ctx context.Context, key string, until time.Time) (added bool, err error)
}

// MemoryJTICache is a JTICache inside the process.
type MemoryJTICache struct {
	now func() time.Time

	mu   sync.Mutex
	keys map[string]time.Time
}

// NewMemoryJTICache returns an empty cache; now is the clock (time.Now when nil).
func NewMemoryJTICache(now func() time.Time) *MemoryJTICache {
	if now == nil {
		now = time.Now
	}
	return &MemoryJTICache{now: now, keys: map[string]time.Time{}}
}

var _ JTICache = (*MemoryJTICache)(nil)

// Add records key until until; expired keys are dropped on the way.
func (c *MemoryJTICache) Add(_ context.Context, key string, until time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, t := range c.keys {
		if !t.After(now) {
			delete(c.keys, k)
		}
	}
	if _, seen := c.keys[key]; seen {
		return false, nil
	}
	c.keys[key] = until
	return true, nil
}
