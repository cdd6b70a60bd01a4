package httpapi_test

// Helpers of the external API tests (external_test.go): a server with the
// external API on, applications registered through the service, and
// requests to /external-api/v1.0/ with a bearer token.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"meet/internal/applications"
	"meet/internal/httpapi"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

const (
	extV1      = "/external-api/v1.0"
	extKey     = "external-api-test-signing-key-0123456789"
	extBaseURL = "https://meet.example.org"
)

// extClock is the external API's clock, moved by tests to expire tokens.
type extClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *extClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *extClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// extEnv is a server with the external API on.
type extEnv struct {
	*apiEnv
	svc   *applications.Service
	clock *extClock
}

// newExtEnv builds the server on engine e; edit changes the external API's
// options and the server's dependencies.
func newExtEnv(t testing.TB, e storagetest.Engine, opts applications.Options, edit func(d *httpapi.Deps)) *extEnv {
	t.Helper()
	ee := &extEnv{clock: &extClock{t: time.Now().Truncate(time.Second)}}
	if opts.SigningKey == nil {
		opts.SigningKey = []byte(extKey)
	}
	ee.apiEnv = newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) {
		db := d.Users.(*storage.DB)
		ee.svc = applications.NewService(applications.Deps{Store: db, Users: db, Rooms: d.Rooms, RoomStore: db, Now: ee.clock.Now}, opts)
		d.External = ee.svc
		if edit != nil {
			edit(d)
		}
	}))
	return ee
}

// addApp registers an application and returns its client id and secret.
func (ee *extEnv) addApp(t testing.TB, scopes []string, domains ...string) (string, string) {
	t.Helper()
	a, secret, err := ee.svc.Add(context.Background(), "App", scopes, domains)
	if err != nil {
		t.Fatalf("add application: %v", err)
	}
	return a.ClientID, secret
}

// token asks application/token/ for a token acting for email and returns it.
func (ee *extEnv) token(t testing.TB, clientID, secret, email string) string {
	t.Helper()
	r := ee.ext(t, http.MethodPost, "/application/token/", "", tokenReq(clientID, secret, email))
	if r.status != http.StatusOK {
		t.Fatalf("token for %s: %d %s", email, r.status, r.body)
	}
	var b struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(r.body, &b); err != nil || b.AccessToken == "" {
		t.Fatalf("token reply %s: %v", r.body, err)
	}
	return b.AccessToken
}

func tokenReq(clientID, secret, email string) map[string]any {
	return map[string]any{"client_id": clientID, "client_secret": secret, "grant_type": "client_credentials", "scope": email}
}

// ext sends a request to extV1+path with the bearer token (none when
// empty). body is nil, a string sent as is, or a value sent as JSON.
func (ee *extEnv) ext(t testing.TB, method, path, token string, body any) reply {
	t.Helper()
	return ee.serve(extRequest(t, method, path, token, body))
}

func extRequest(t testing.TB, method, path, token string, body any) *http.Request {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, "http://meet.test"+extV1+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// signClaims signs claims with key, for tokens the server did not issue.
func signClaims(t testing.TB, key string, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// decodeClaims verifies a token with the test key and returns its claims.
func decodeClaims(t testing.TB, tok string) map[string]any {
	t.Helper()
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return []byte(extKey), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation()); err != nil {
		t.Fatalf("token does not verify with the signing key: %v", err)
	}
	return claims
}
