// Package auth holds who is making a request (the Principal), how it travels
// in a context, and the server-side session model. Identity providers live in
// sub-packages (auth/oidc, auth/local); session storage lives in the storage
// and cache adapters.
//
// Domain packages import auth for Principal only. auth imports nothing of meet
// but apperr.
package auth

import "context"

// Principal is the caller of a request. The zero value is an anonymous caller.
type Principal struct {
	UserID   string // users.User.ID; empty for anonymous callers
	Sub      string // the identity provider's subject, or a local identity; LiveKit identity
	Email    string
	FullName string
	// SessionID is the server-side session that authenticated the request.
	SessionID string
}

// Authenticated reports whether the principal is a signed-in user.
func (p Principal) Authenticated() bool { return p.UserID != "" }

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal in ctx, or the anonymous principal.
func FromContext(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}
