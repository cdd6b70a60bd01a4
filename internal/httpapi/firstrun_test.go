package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/auth/local"
	"meet/internal/httpapi"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

// firstRunEnv serves setup/ (and users/me/) over a database without users.
type firstRunEnv struct {
	srv      *httptest.Server
	db       *storage.DB
	accounts *local.Accounts
}

const firstRunToken = "the-token-printed-in-the-log"

func newFirstRunEnv(t *testing.T, e storagetest.Engine) *firstRunEnv {
	t.Helper()
	db := e.Open(t)
	accounts := local.NewAccounts(db, local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, db, nil)
	srv := newServer(t, db, func(d *httpapi.Deps) { d.FirstRun = local.NewFirstRun(accounts, db, firstRunToken) }, "http://meet.test")
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &firstRunEnv{srv: ts, db: db, accounts: accounts}
}

// post sends body to setup/ and returns the status, the decoded body and the
// session cookie set, if any.
func (e *firstRunEnv) post(t *testing.T, body string) (int, map[string]any, string) {
	t.Helper()
	res, err := http.Post(e.srv.URL+api+"/setup/", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("setup/ answered %d with %q: %v", res.StatusCode, raw, err)
	}
	var cookie string
	for _, c := range res.Cookies() {
		if c.Name == httpapi.SessionCookie {
			cookie = c.Value
		}
	}
	return res.StatusCode, m, cookie
}

func (e *firstRunEnv) userCount(t *testing.T) int {
	t.Helper()
	list, err := e.db.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestFirstRunSetup(t *testing.T) {
	for _, eng := range storagetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			env := newFirstRunEnv(t, eng)
			valid := `{"token":"` + firstRunToken + `","email":"admin@example.org","full_name":"Ada Admin","password":"first-password"}`

			refused := []struct {
				name   string
				body   string
				status int
				want   map[string]any
			}{
				{"wrong token", `{"token":"guess","email":"admin@example.org","password":"first-password"}`, 403,
					map[string]any{"detail": "This setup link is not valid: use the link printed in the server's log."}},
				{"no token", `{"email":"admin@example.org","password":"first-password"}`, 403,
					map[string]any{"detail": "This setup link is not valid: use the link printed in the server's log."}},
				{"bad fields", `{"token":"` + firstRunToken + `","email":"not-an-address","full_name":"` + strings.Repeat("n", 101) + `","password":"short"}`, 400,
					map[string]any{
						"email":     []any{"Enter a valid email address."},
						"full_name": []any{"Ensure this field has no more than 100 characters."},
						"password":  []any{"This password is too short. It must contain at least 8 characters."},
					}},
				{"missing fields", `{"token":"` + firstRunToken + `"}`, 400,
					map[string]any{"email": []any{"This field is required."}, "password": []any{"This field is required."}}},
				{"wrong type", `{"token":"` + firstRunToken + `","email":7,"password":"first-password"}`, 400,
					map[string]any{"email": []any{"Not a valid string."}}},
			}
			for _, tc := range refused {
				status, body, cookie := env.post(t, tc.body)
				if status != tc.status || cookie != "" {
					t.Errorf("%s: status %d (cookie %q), want %d and no session", tc.name, status, cookie, tc.status)
				}
				if diff := cmp.Diff(tc.want, body); diff != "" {
					t.Errorf("%s: body (-want +got):\n%s", tc.name, diff)
				}
			}
			if n := env.userCount(t); n != 0 {
				t.Fatalf("%d users stored after refused requests, want 0", n)
			}

			status, body, cookie := env.post(t, valid)
			if status != http.StatusCreated || body["email"] != "admin@example.org" || body["full_name"] != "Ada Admin" || cookie == "" {
				t.Fatalf("setup/ = %d %v (cookie %q), want 201 with the account and a session", status, body, cookie)
			}
			u, err := local.FindAccount(context.Background(), env.db, "admin@example.org")
			if err != nil || !u.IsActive {
				t.Fatalf("stored account %+v, %v", u, err)
			}
			req, _ := http.NewRequest("GET", env.srv.URL+api+"/users/me/", nil)
			req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: cookie})
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("users/me/ with the setup's session = %d, want 200", res.StatusCode)
			}

			// Used: every later request is 404, right token or not.
			for _, b := range []string{valid, strings.Replace(valid, "admin@", "second@", 1), `{"token":"guess","email":"x@example.org","password":"first-password"}`} {
				if status, body, _ := env.post(t, b); status != http.StatusNotFound || body["detail"] != "This instance is already set up." {
					t.Errorf("after use: %d %v, want 404", status, body)
				}
			}
			if n := env.userCount(t); n != 1 {
				t.Errorf("%d users stored, want 1", n)
			}
		})
	}
}

// TestFirstRunClosedByExistingAccount: an account made with `meet user add`
// (or by another replica) closes the setup, even with the right token.
func TestFirstRunClosedByExistingAccount(t *testing.T) {
	for _, eng := range storagetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			env := newFirstRunEnv(t, eng)
			if _, err := env.accounts.Add(context.Background(), "cli@example.org", "CLI", "cli-password"); err != nil {
				t.Fatal(err)
			}
			status, body, cookie := env.post(t, `{"token":"`+firstRunToken+`","email":"admin@example.org","password":"first-password"}`)
			if status != http.StatusNotFound || cookie != "" || body["detail"] != "This instance is already set up." {
				t.Fatalf("setup/ = %d %v (cookie %q), want 404", status, body, cookie)
			}
			if n := env.userCount(t); n != 1 {
				t.Errorf("%d users stored, want 1", n)
			}
		})
	}
}
