package applications

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
	"meet/internal/users"
)

// GrantType is the only grant the token endpoint knows: OAuth 2.0 client
// credentials.
const GrantType = "client_credentials"

// TokenType is the token_type of issued tokens.
const TokenType = "Bearer"

// The reference's refusals of the token endpoint.
var (
	errInvalidCredentials = apperr.New(apperr.Unauthenticated, "Invalid credentials")
	errInactive           = apperr.New(apperr.Unauthenticated, "Application is inactive")
	errScopeNotEmail      = apperr.Keyed(apperr.Invalid, "error", "Scope should be a valid email address.")
	errDomain             = apperr.Keyed(apperr.Forbidden, "error", "This application is not authorized for this email domain.")
	errUserNotFound       = apperr.New(apperr.NotFound, "User not found.")
	errSharedEmail        = apperr.New(apperr.Invalid, "Multiple user accounts share a common email.")
	errProvisional        = apperr.Keyed(apperr.Conflict, "error", "Failed to create or retrieve provisional user.")
)

// TokenRequest is a client-credentials request; Scope is the e-mail address
// of the user the application acts for. The HTTP adapter checks that every
// field is present and that GrantType is GrantType.
type TokenRequest struct {
	ClientID     string
	ClientSecret string
	Scope        string
}

// Token is an issued delegated token.
type Token struct {
	AccessToken string
	TokenType   string
	// ExpiresIn is the token's lifetime in seconds.
	ExpiresIn int
	// Scope is the application's scopes, space-separated ("" when it has none).
	Scope string
}

// IssueToken checks an application's credentials and returns a token that
// acts for the user with the e-mail address req.Scope, in the reference's
// order: credentials (401), active (401), address (400), allowed domain
// (403), then the user (404, or created without identity when allowed).
func (s *Service) IssueToken(ctx context.Context, req TokenRequest) (Token, error) {
	app, err := s.d.Store.ApplicationByClientID(ctx, req.ClientID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		SecretMatches(req.ClientSecret, unknownClientHash) // same work as a known client
		return Token{}, errInvalidCredentials
	case err != nil:
		return Token{}, err
	}
	if !SecretMatches(req.ClientSecret, app.SecretHash) {
		return Token{}, errInvalidCredentials
	}
	if !app.IsActive {
		return Token{}, errInactive
	}
	email := strings.TrimSpace(req.Scope)
	if !rooms.ValidEmail(email) {
		return Token{}, errScopeNotEmail
	}
	if !app.CanDelegate(email) {
		return Token{}, errDomain
	}
	u, err := s.delegatedUser(ctx, email)
	if err != nil {
		return Token{}, err
	}
	now := s.d.Now()
	claims := jwt.MapClaims{
		"iat":       now.Unix(),
		"exp":       now.Add(s.opts.TokenTTL).Unix(),
		"user_id":   u.ID,
		"iss":       s.opts.Issuer,
		"client_id": app.ClientID,
		"delegated": true,
	}
	if s.opts.Audience != "" {
		claims["aud"] = s.opts.Audience
	}
	scope := app.ScopeString()
	if scope != "" {
		claims["scope"] = scope
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.opts.SigningKey)
	if err != nil {
		return Token{}, fmt.Errorf("applications: sign token: %w", err)
	}
	return Token{AccessToken: signed, TokenType: TokenType, ExpiresIn: int(s.opts.TokenTTL / time.Second), Scope: scope}, nil
}

// delegatedUser finds the user with the address, or creates one without
// identity when allowed (bound to its identity at its first sign-in). Two
// requests racing to create the same user both end with it.
func (s *Service) delegatedUser(ctx context.Context, email string) (*users.User, error) {
	u, err := s.d.Users.UserByEmail(ctx, email)
	switch {
	case err == nil:
		return u, nil
	case apperr.Is(err, apperr.Conflict):
		return nil, apperr.Wrap(apperr.Invalid, errSharedEmail.Msg, err)
	case !apperr.Is(err, apperr.NotFound):
		return nil, err
	case !s.opts.AllowUserCreation:
		return nil, errUserNotFound
	}
	now := s.d.Now().UTC()
	u = &users.User{
		ID: rooms.NewID(), Email: email, Language: "en-us", Timezone: "UTC", IsActive: true,
		CreatedAt: now, UpdatedAt: now,
	}
	err = s.d.Users.CreateUser(ctx, u)
	if apperr.Is(err, apperr.Conflict) {
		if again, err2 := s.d.Users.UserByEmail(ctx, email); err2 == nil {
			return again, nil
		}
		return nil, errProvisional
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Delegation is a verified delegated token: the application that holds it
// and the user it acts for.
type Delegation struct {
	ClientID string
	User     *users.User
	// Scopes are the token's scopes, lower-cased, without duplicates.
	Scopes []string
}

// Principal is the user the application acts for, as the rooms rules know it.
func (d Delegation) Principal() auth.Principal {
	return auth.Principal{UserID: d.User.ID, Sub: d.User.Sub, Email: d.User.Email, FullName: d.User.FullName}
}

// Require returns apperr.Forbidden unless the token carries scope.
func (d Delegation) Require(scope Scope) error {
	if len(d.Scopes) == 0 {
		return apperr.New(apperr.Forbidden, "Insufficient permissions.")
	}
	if slices.Contains(d.Scopes, string(scope)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "Insufficient permissions. Required scope: "+string(scope))
}

// ErrNoCredentials is the refusal of a request without a delegated token,
// or with a bearer token this service did not sign.
var ErrNoCredentials = apperr.New(apperr.Unauthenticated, "Authentication credentials were not provided.")

// refused is a token refusal with the reference's message.
func refused(msg string) error { return apperr.New(apperr.Unauthenticated, msg) }

// Authenticate verifies the Authorization header of an external API request
// and returns the delegation its token carries. Every refusal is
// apperr.Unauthenticated with the reference's message: ErrNoCredentials
// without a bearer token or with one not signed here; "Invalid token
// header.", "Token expired.", "Invalid token." (issuer or audience),
// "Invalid token claims.", "Application not found.", "Application is
// disabled.", "Invalid token type." (not delegated), "User not found." and
// "User account is disabled." otherwise.
func (s *Service) Authenticate(ctx context.Context, authorization string) (Delegation, error) {
	parts := strings.Fields(authorization)
	if len(parts) == 0 || !strings.EqualFold(parts[0], "bearer") {
		return Delegation{}, ErrNoCredentials
	}
	if len(parts) != 2 {
		return Delegation{}, refused("Invalid token header.")
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(s.opts.Issuer),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.d.Now),
	}
	if s.opts.Audience != "" {
		opts = append(opts, jwt.WithAudience(s.opts.Audience))
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(parts[1], claims, func(*jwt.Token) (any, error) { return s.opts.SigningKey, nil }, opts...)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return Delegation{}, refused("Token expired.")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), errors.Is(err, jwt.ErrTokenInvalidAudience):
		return Delegation{}, refused("Invalid token.")
	case err != nil:
		// Not one of ours (malformed, other key): as if there were none.
		return Delegation{}, ErrNoCredentials
	}
	clientID, _ := claims["client_id"].(string)
	if clientID == "" {
		return Delegation{}, refused("Invalid token claims.")
	}
	app, err := s.d.Store.ApplicationByClientID(ctx, clientID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return Delegation{}, refused("Application not found.")
	case err != nil:
		return Delegation{}, err
	case !app.IsActive:
		return Delegation{}, refused("Application is disabled.")
	}
	if delegated, _ := claims["delegated"].(bool); !delegated {
		return Delegation{}, refused("Invalid token type.")
	}
	userID, _ := claims["user_id"].(string)
	if userID == "" {
		return Delegation{}, refused("Invalid token claims.")
	}
	u, err := s.d.Users.UserByID(ctx, userID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return Delegation{}, refused("User not found.")
	case err != nil:
		return Delegation{}, err
	case !u.IsActive:
		return Delegation{}, refused("User account is disabled.")
	}
	return Delegation{ClientID: clientID, User: u, Scopes: tokenScopes(claims["scope"])}, nil
}

// tokenScopes reads a scope claim, a space-separated string or a list of
// strings, lower-cased and without duplicates.
func tokenScopes(v any) []string {
	var raw []string
	switch x := v.(type) {
	case string:
		raw = strings.Fields(x)
	case []any:
		for _, item := range x {
			if s, ok := item.(string); ok {
				raw = append(raw, s)
			}
		}
	}
	var out []string
	for _, s := range raw {
		s = strings.ToLower(s)
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
