package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"meet/internal/apperr"
)

// Config says which provider to use and how meet is registered with it.
type Config struct {
	// Issuer is the provider's issuer URL; discovery reads
	// Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret string
	// Scopes requested; "openid email profile" when empty ("openid" is added
	// when missing).
	Scopes []string
	// ExtraAuthParams are added to every authorization request (for example
	// acr_values); they cannot override the protocol's own parameters.
	ExtraAuthParams map[string]string
	// RedirectURL is the absolute URL of GET /api/v1.0/callback/.
	RedirectURL string
	// Timeout bounds each outbound call (discovery, token, userinfo, keys);
	// 5 s when zero, as La Suite Meet's OIDC_TIMEOUT.
	Timeout time.Duration
	// HTTPClient makes the outbound calls (a client with no timeout of its own
	// when nil; Timeout applies through the context).
	HTTPClient *http.Client
	// Now is the clock for logout-token age checks (time.Now when nil).
	Now func() time.Time
}

// DefaultScopes are requested when Config.Scopes is empty.
var DefaultScopes = []string{"openid", "email", "profile"}

// RelyingParty talks to one OpenID provider. It discovers the provider on
// first use (or when Discover is called) and keeps the result, so meet starts
// even while the provider is down.
type RelyingParty struct {
	cfg    Config
	client *http.Client
	log    *slog.Logger
	jtis   JTICache

	mu         sync.Mutex
	provider   *gooidc.Provider
	endSession string
}

// New returns a relying party for cfg. jtis remembers back-channel logout
// token ids (a MemoryJTICache when nil). It makes no network call.
func New(cfg Config, jtis JTICache, log *slog.Logger) (*RelyingParty, error) {
	var problems []string
	if u, err := url.Parse(cfg.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		problems = append(problems, "issuer must be an http(s) URL")
	}
	if cfg.ClientID == "" {
		problems = append(problems, "client id is required")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || !u.IsAbs() {
		problems = append(problems, "redirect URL must be absolute")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("oidc: config: %s", strings.Join(problems, "; "))
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	if !slices.Contains(cfg.Scopes, "openid") {
		cfg.Scopes = append([]string{"openid"}, cfg.Scopes...)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{}
	}
	if jtis == nil {
		jtis = NewMemoryJTICache(cfg.Now)
	}
	return &RelyingParty{cfg: cfg, client: client, log: log, jtis: jtis}, nil
}

// Issuer returns the configured issuer URL.
func (rp *RelyingParty) Issuer() string { return rp.cfg.Issuer }

// Discover fetches the provider's metadata if it has not been fetched yet.
// Calling it at startup surfaces a misconfigured issuer early; it is not
// required. Errors are apperr.Unavailable.
func (rp *RelyingParty) Discover(ctx context.Context) error {
	_, err := rp.discover(ctx)
	return err
}

func (rp *RelyingParty) discover(ctx context.Context) (*gooidc.Provider, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.provider != nil {
		return rp.provider, nil
	}
	ctx, cancel := rp.outbound(ctx)
	defer cancel()
	p, err := gooidc.NewProvider(ctx, rp.cfg.Issuer)
	if err != nil {
		return nil, apperr.Wrap(apperr.Unavailable, "The identity provider is unreachable.", fmt.Errorf("oidc: discover: %w", err))
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, apperr.Wrap(apperr.BadGateway, "The identity provider's configuration is unreadable.", fmt.Errorf("oidc: discover: %w", err))
	}
	rp.provider, rp.endSession = p, meta.EndSession
	return p, nil
}

// outbound bounds one outbound call and makes go-oidc and oauth2 use our client.
func (rp *RelyingParty) outbound(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, rp.cfg.Timeout)
	return gooidc.ClientContext(ctx, rp.client), cancel
}

func (rp *RelyingParty) oauth2Config(p *gooidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: rp.cfg.ClientID, ClientSecret: rp.cfg.ClientSecret,
		Endpoint: p.Endpoint(), RedirectURL: rp.cfg.RedirectURL, Scopes: rp.cfg.Scopes,
	}
}

// AuthRequest is one authorization request's secrets, kept server-side until
// the callback.
type AuthRequest struct {
	State    string
	Nonce    string
	Verifier string // PKCE code verifier; the provider sees its S256 challenge
}

// NewAuthRequest returns fresh random state, nonce and PKCE verifier.
func NewAuthRequest() AuthRequest {
	return AuthRequest{State: oauth2.GenerateVerifier(), Nonce: oauth2.GenerateVerifier(), Verifier: oauth2.GenerateVerifier()}
}

// reserved are the parameters ExtraAuthParams may not set.
var reserved = map[string]bool{
	"client_id": true, "redirect_uri": true, "response_type": true, "scope": true, "state": true,
	"nonce": true, "code_challenge": true, "code_challenge_method": true, "prompt": true,
}

// AuthCodeURL returns the provider URL that starts sign-in for req. silent
// adds prompt=none: the provider answers at once, signed in or with
// error=login_required, without showing anything. Errors are those of
// Discover.
func (rp *RelyingParty) AuthCodeURL(ctx context.Context, req AuthRequest, silent bool) (string, error) {
	p, err := rp.discover(ctx)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{gooidc.Nonce(req.Nonce), oauth2.S256ChallengeOption(req.Verifier)}
	for k, v := range rp.cfg.ExtraAuthParams {
		if !reserved[k] {
			opts = append(opts, oauth2.SetAuthURLParam(k, v))
		}
	}
	if silent {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "none"))
	}
	return rp.oauth2Config(p).AuthCodeURL(req.State, opts...), nil
}

// Identity is a verified sign-in.
type Identity struct {
	Issuer  string
	Subject string
	Email   string
	// Claims are the ID token's claims overlaid with userinfo's.
	Claims map[string]any
	// IDToken is the raw ID token, kept for the logout's id_token_hint.
	IDToken string
}

// errRefused is the public message of a sign-in the provider or the checks refused.
const errRefused = "The sign-in could not be completed."

// Exchange redeems code with req's PKCE verifier, verifies the ID token
// (signature, issuer, audience, expiry and req's nonce) and reads userinfo.
//
// Errors: apperr.Invalid when the provider refuses the code (already used,
// expired, wrong verifier) or a token check fails; apperr.Unavailable when the
// provider cannot be reached; apperr.BadGateway for a malformed answer.
func (rp *RelyingParty) Exchange(ctx context.Context, code string, req AuthRequest) (*Identity, error) {
	p, err := rp.discover(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := rp.outbound(ctx)
	defer cancel()
	tok, err := rp.oauth2Config(p).Exchange(ctx, code, oauth2.VerifierOption(req.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return nil, apperr.Wrap(apperr.Invalid, errRefused, fmt.Errorf("oidc: exchange: %w", err))
		}
		return nil, apperr.Wrap(apperr.Unavailable, "The identity provider is unreachable.", fmt.Errorf("oidc: exchange: %w", err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, apperr.Wrap(apperr.BadGateway, errRefused, errors.New("oidc: exchange: no id_token in the token response"))
	}
	idt, err := p.Verifier(&gooidc.Config{ClientID: rp.cfg.ClientID, Now: rp.cfg.Now}).Verify(ctx, raw)
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, errRefused, fmt.Errorf("oidc: id token: %w", err))
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(req.Nonce)) != 1 {
		return nil, apperr.Wrap(apperr.Invalid, errRefused, errors.New("oidc: id token: nonce mismatch"))
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return nil, apperr.Wrap(apperr.Invalid, errRefused, fmt.Errorf("oidc: id token: %w", err))
		}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, apperr.Wrap(apperr.BadGateway, errRefused, fmt.Errorf("oidc: id token claims: %w", err))
	}
	if p.UserInfoEndpoint() != "" {
		ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return nil, apperr.Wrap(apperr.BadGateway, errRefused, fmt.Errorf("oidc: userinfo: %w", err))
		}
		if ui.Subject != idt.Subject {
			return nil, apperr.Wrap(apperr.Invalid, errRefused, errors.New("oidc: userinfo: subject differs from the id token's"))
		}
		extra := map[string]any{}
		if err := ui.Claims(&extra); err != nil {
			return nil, apperr.Wrap(apperr.BadGateway, errRefused, fmt.Errorf("oidc: userinfo claims: %w", err))
		}
		for _, k := range []string{"iss", "aud", "exp", "iat", "nonce", "sub"} {
			delete(extra, k) // the verified ID token's values stand
		}
		maps.Copy(claims, extra)
	}
	email, _ := claims["email"].(string)
	return &Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: email, Claims: claims, IDToken: raw}, nil
}

// EndSessionURL returns the provider's end-session URL carrying idTokenHint,
// state and postLogoutRedirect, or "" when the provider has no end-session
// endpoint. Errors are those of Discover.
func (rp *RelyingParty) EndSessionURL(ctx context.Context, idTokenHint, state, postLogoutRedirect string) (string, error) {
	if _, err := rp.discover(ctx); err != nil {
		return "", err
	}
	if rp.endSession == "" {
		return "", nil
	}
	u, err := url.Parse(rp.endSession)
	if err != nil {
		return "", apperr.Wrap(apperr.BadGateway, "The identity provider's configuration is unreadable.", fmt.Errorf("oidc: end_session_endpoint: %w", err))
	}
	q := u.Query()
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	q.Set("client_id", rp.cfg.ClientID)
	q.Set("state", state)
	q.Set("post_logout_redirect_uri", postLogoutRedirect)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
