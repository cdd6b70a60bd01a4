package httpapi_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"meet/internal/applications"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

var allScopes = []string{"rooms:list", "rooms:create", "rooms:retrieve"}

// TestExternalToken covers application/token/: every refusal with the
// reference's body, in the reference's order, and the token issued.
func TestExternalToken(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ee := newExtEnv(t, e, applications.Options{}, nil)
		ada := ee.newUser(t, "ada")
		clientID, secret := ee.addApp(t, allScopes, "Example.com")
		inactiveID, inactiveSecret := ee.addApp(t, allScopes)
		if _, err := ee.svc.SetActive(context.Background(), inactiveID, false); err != nil {
			t.Fatal(err)
		}
		errBody := func(msg string) map[string]any { return map[string]any{"error": msg} }
		for _, tc := range []struct {
			name   string
			body   any
			ctype  string
			status int
			want   any
		}{
			{"missing fields", map[string]any{}, "", 400, map[string]any{
				"client_id": []any{"This field is required."}, "client_secret": []any{"This field is required."},
				"grant_type": []any{"This field is required."}, "scope": []any{"This field is required."}}},
			{"blank and null fields", map[string]any{"client_id": "", "client_secret": nil, "grant_type": "client_credentials", "scope": 3}, "", 400,
				map[string]any{"client_id": []any{"This field may not be blank."}, "client_secret": []any{"This field may not be null."},
					"scope": []any{"Not a valid string."}}},
			{"wrong grant type", map[string]any{"client_id": clientID, "client_secret": secret, "grant_type": "password", "scope": ada.Email}, "", 400,
				fields("grant_type", `"password" is not a valid choice.`)},
			{"unknown client", tokenReq("nobody", secret, ada.Email), "", 401, detail("Invalid credentials")},
			{"wrong secret", tokenReq(clientID, secret+"x", ada.Email), "", 401, detail("Invalid credentials")},
			{"inactive, wrong secret", tokenReq(inactiveID, "x", ada.Email), "", 401, detail("Invalid credentials")},
			{"inactive", tokenReq(inactiveID, inactiveSecret, ada.Email), "", 401, detail("Application is inactive")},
			{"scope is no e-mail address", tokenReq(clientID, secret, "ada"), "", 400, errBody("Scope should be a valid email address.")},
			{"domain not allowed", tokenReq(clientID, secret, "ada@example.org"), "", 403, errBody("This application is not authorized for this email domain.")},
			{"subdomain not allowed", tokenReq(clientID, secret, "ada@sub.example.com"), "", 403, errBody("This application is not authorized for this email domain.")},
			{"unknown user", tokenReq(clientID, secret, "nobody@example.com"), "", 404, detail("User not found.")},
			{"unsupported media type", "client_id=x", "text/plain", 415, detail(`Unsupported media type "text/plain" in request.`)},
			{"not JSON", "{", "", 400, detail("JSON parse error - the body must be a JSON object.")},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := extRequest(t, http.MethodPost, "/application/token/", "", tc.body)
				if tc.ctype != "" {
					req.Header.Set("Content-Type", tc.ctype)
				}
				expect(t, ee.serve(req), tc.status, tc.want)
			})
		}

		t.Run("issued as JSON", func(t *testing.T) {
			r := ee.ext(t, http.MethodPost, "/application/token/", "", tokenReq(clientID, secret, "ADA@EXAMPLE.COM"))
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			b := r.decoded(t).(map[string]any)
			tok, _ := b["access_token"].(string)
			b["access_token"] = "<token>"
			if diff := cmp.Diff(map[string]any{"access_token": "<token>", "token_type": "Bearer", "expires_in": float64(3600),
				"scope": "rooms:list rooms:create rooms:retrieve"}, b); diff != "" {
				t.Fatalf("body (-want +got):\n%s", diff)
			}
			now := ee.clock.Now().Unix()
			want := map[string]any{"iat": float64(now), "exp": float64(now + 3600), "user_id": ada.ID, "iss": "lasuite-meet",
				"client_id": clientID, "delegated": true, "scope": "rooms:list rooms:create rooms:retrieve"}
			if diff := cmp.Diff(want, decodeClaims(t, tok)); diff != "" {
				t.Fatalf("claims (-want +got):\n%s", diff)
			}
		})
		t.Run("issued as a form", func(t *testing.T) {
			req := extRequest(t, http.MethodPost, "/application/token/", "",
				"client_id="+clientID+"&client_secret="+secret+"&grant_type=client_credentials&scope=ada%40example.com")
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r := ee.serve(req)
			if r.status != 200 || !strings.Contains(string(r.body), `"token_type":"Bearer"`) {
				t.Fatalf("form token request: %d %s", r.status, r.body)
			}
		})
		t.Run("no user is created by default", func(t *testing.T) {
			if _, err := ee.db.UserByEmail(context.Background(), "nobody@example.com"); err == nil {
				t.Fatal("a user was created for an unknown address")
			}
		})
	})
}

// TestExternalTokenCreatesUser covers APPLICATION_ALLOW_USER_CREATION: an
// unknown address gets a user without identity, found again next time.
func TestExternalTokenCreatesUser(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ee := newExtEnv(t, e, applications.Options{AllowUserCreation: true, Audience: "meet-api"}, nil)
		clientID, secret := ee.addApp(t, []string{"rooms:list"})
		first := decodeClaims(t, ee.token(t, clientID, secret, "New.Person@Example.com"))
		u, err := ee.db.UserByEmail(context.Background(), "new.person@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if u.Sub != "" || u.Email != "New.Person@Example.com" || !u.IsActive || first["user_id"] != u.ID || first["aud"] != "meet-api" {
			t.Fatalf("created user %+v, claims %v", u, first)
		}
		second := decodeClaims(t, ee.token(t, clientID, secret, "new.person@example.com"))
		if second["user_id"] != u.ID {
			t.Fatalf("second token acts for %v, want the same user %s", second["user_id"], u.ID)
		}
		r := ee.ext(t, http.MethodGet, "/rooms/", ee.token(t, clientID, secret, "new.person@example.com"), nil)
		expect(t, r, 200, map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
	})
}

// TestExternalTokenCreatesUserOnce: concurrent first requests for the same
// new address all act for one user (the loser of the insert race finds the
// winner's user).
func TestExternalTokenCreatesUserOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ee := newExtEnv(t, e, applications.Options{AllowUserCreation: true}, nil)
		clientID, secret := ee.addApp(t, []string{"rooms:list"})
		const n = 8
		ids := make(chan any, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				r := ee.ext(t, http.MethodPost, "/application/token/", "", tokenReq(clientID, secret, "racer@example.com"))
				if r.status != http.StatusOK {
					t.Errorf("token: %d %s", r.status, r.body)
					ids <- nil
					return
				}
				tok, _ := r.decoded(t).(map[string]any)["access_token"].(string)
				ids <- decodeClaims(t, tok)["user_id"]
			})
		}
		wg.Wait()
		close(ids)
		u, err := ee.db.UserByEmail(context.Background(), "racer@example.com")
		if err != nil {
			t.Fatal(err)
		}
		for id := range ids {
			if id != u.ID {
				t.Errorf("a token acts for %v, want the one user %s", id, u.ID)
			}
		}
	})
}

// TestExternalTokenThrottle: past the limit, application/token/ answers 429.
func TestExternalTokenThrottle(t *testing.T) {
	ee := newExtEnv(t, storagetest.SQLite, applications.Options{}, func(d *httpapi.Deps) {
		d.Limiter, d.ExternalTokenPerMinute = cache.NewLimiterMemory(nil), 2
	})
	for range 2 {
		expect(t, ee.ext(t, http.MethodPost, "/application/token/", "", tokenReq("nobody", "x", "a@example.com")), 401, detail("Invalid credentials"))
	}
	r := ee.ext(t, http.MethodPost, "/application/token/", "", tokenReq("nobody", "x", "a@example.com"))
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" ||
		!strings.HasPrefix(string(r.body), `{"detail":"Request was throttled. Expected available in `) {
		t.Fatalf("third request: %d %v %s", r.status, r.header, r.body)
	}
}

var roomNamePattern = regexp.MustCompile(`^[a-z]{3}-[a-z]{4}-[a-z]{3}$`)

// TestExternalRooms is the external rooms API's matrix: every way a token
// is refused, every scope, and every role of the delegated user.
func TestExternalRooms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ee := newExtEnv(t, e, applications.Options{BaseURL: extBaseURL + "/"}, nil)
		ctx := context.Background()
		c := ee.newCast(t, rooms.Restricted, rooms.Configuration{"everyone_can_mute": false})
		other := ee.newCast(t, rooms.Trusted, nil)
		clientID, secret := ee.addApp(t, allScopes)
		tokens := map[string]string{}
		for _, p := range []string{asOwner, asAdmin, asMember, outsider} {
			tokens[p] = ee.token(t, clientID, secret, c.users[p].Email)
		}
		owner := tokens[asOwner]
		listID, listSecret := ee.addApp(t, []string{"rooms:list"})
		listOnly := ee.token(t, listID, listSecret, c.users[asOwner].Email)
		roomJSON := func(r *rooms.Room) map[string]any {
			cfg := map[string]any(r.Configuration)
			if cfg == nil {
				cfg = map[string]any{}
			}
			return map[string]any{"id": r.ID, "name": r.Name, "slug": r.Slug, "access_level": string(r.AccessLevel),
				"configuration": cfg, "url": extBaseURL + "/" + r.Slug}
		}
		roomPath := "/rooms/" + c.room.ID + "/"

		t.Run("refused tokens", func(t *testing.T) {
			disabledID, disabledSecret := ee.addApp(t, allScopes)
			disabledTok := ee.token(t, disabledID, disabledSecret, c.users[asOwner].Email)
			if _, err := ee.svc.SetActive(ctx, disabledID, false); err != nil {
				t.Fatal(err)
			}
			gone := ee.newUser(t, "gone")
			goneTok := ee.token(t, clientID, secret, gone.Email)
			gone.IsActive = false
			if err := ee.db.UpdateUser(ctx, gone); err != nil {
				t.Fatal(err)
			}
			now := ee.clock.Now()
			claims := func(edit func(jwt.MapClaims)) string {
				c := jwt.MapClaims{"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "iss": "lasuite-meet",
					"user_id": c.users[asOwner].ID, "client_id": clientID, "delegated": true, "scope": "rooms:list"}
				edit(c)
				return signClaims(t, extKey, c)
			}
			for _, tc := range []struct {
				name, header, msg string
			}{
				{"no token", "", noCredentials},
				{"other scheme", "Basic " + owner, noCredentials},
				{"garbage", "Bearer not-a-jwt", noCredentials},
				{"other key", "Bearer " + signClaims(t, "another-key-0123456789", jwt.MapClaims{"client_id": clientID}), noCredentials},
				{"LiveKit token", "Bearer " + signClaims(t, lkSecret, jwt.MapClaims{"iss": lkKey, "exp": now.Add(time.Hour).Unix()}), noCredentials},
				{"header without token", "Bearer", "Invalid token header."},
				{"header with spaces", "Bearer " + owner + " extra", "Invalid token header."},
				{"wrong issuer", "Bearer " + claims(func(c jwt.MapClaims) { c["iss"] = "someone-else" }), "Invalid token."},
				{"expired", "Bearer " + claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Second).Unix() }), "Token expired."},
				{"no client id", "Bearer " + claims(func(c jwt.MapClaims) { delete(c, "client_id") }), "Invalid token claims."},
				{"unknown client", "Bearer " + claims(func(c jwt.MapClaims) { c["client_id"] = "nobody" }), "Application not found."},
				{"inactive application", "Bearer " + disabledTok, "Application is disabled."},
				{"not delegated", "Bearer " + claims(func(c jwt.MapClaims) { delete(c, "delegated") }), "Invalid token type."},
				{"no user id", "Bearer " + claims(func(c jwt.MapClaims) { delete(c, "user_id") }), "Invalid token claims."},
				{"unknown user", "Bearer " + claims(func(c jwt.MapClaims) { c["user_id"] = rooms.NewID() }), "User not found."},
				{"disabled user", "Bearer " + goneTok, "User account is disabled."},
			} {
				for _, route := range []struct{ method, path string }{
					{http.MethodGet, "/rooms/"}, {http.MethodPost, "/rooms/"}, {http.MethodGet, roomPath},
				} {
					t.Run(tc.name+" "+route.method+" "+route.path, func(t *testing.T) {
						req := extRequest(t, route.method, route.path, "", map[string]any{"access_level": "trusted"})
						if tc.header != "" {
							req.Header.Set("Authorization", tc.header)
						}
						r := ee.serve(req)
						expect(t, r, 401, detail(tc.msg))
						if got := r.header.Get("WWW-Authenticate"); got != "Bearer" {
							t.Errorf("WWW-Authenticate %q, want Bearer", got)
						}
					})
				}
			}
			t.Run("expired by the clock", func(t *testing.T) {
				tok := ee.token(t, clientID, secret, c.users[asOwner].Email)
				ee.clock.Advance(time.Hour + time.Second)
				defer ee.clock.Advance(-time.Hour - time.Second)
				expect(t, ee.ext(t, http.MethodGet, "/rooms/", tok, nil), 401, detail("Token expired."))
			})
			t.Run("a session is not a token", func(t *testing.T) {
				req := c.clients[asOwner].request(t, http.MethodPost, "/rooms/", map[string]any{})
				req.URL.Path, req.RequestURI = extV1+"/rooms/", extV1+"/rooms/"
				expect(t, ee.serve(req), 401, detail(noCredentials))
			})
		})

		t.Run("scopes", func(t *testing.T) {
			emptyTok := signClaims(t, extKey, jwt.MapClaims{"exp": ee.clock.Now().Add(time.Hour).Unix(), "iss": "lasuite-meet",
				"user_id": c.users[asOwner].ID, "client_id": clientID, "delegated": true})
			listTok := signClaims(t, extKey, jwt.MapClaims{"exp": ee.clock.Now().Add(time.Hour).Unix(), "iss": "lasuite-meet",
				"user_id": c.users[asOwner].ID, "client_id": clientID, "delegated": true, "scope": []any{"ROOMS:LIST", "rooms:list"}})
			for _, tc := range []struct {
				name, method, path, token string
				status                    int
				want                      any
			}{
				{"list without scopes", http.MethodGet, "/rooms/", emptyTok, 403, detail("Insufficient permissions.")},
				{"create with rooms:list only", http.MethodPost, "/rooms/", listOnly, 403, detail("Insufficient permissions. Required scope: rooms:create")},
				{"retrieve with rooms:list only", http.MethodGet, roomPath, listOnly, 403, detail("Insufficient permissions. Required scope: rooms:retrieve")},
				{"list with rooms:list only", http.MethodGet, "/rooms/", listOnly, 200, map[string]any{
					"count": 1, "next": nil, "previous": nil, "results": []any{roomJSON(c.room)}}},
				{"scope list claim, any case", http.MethodGet, "/rooms/", listTok, 200, map[string]any{
					"count": 1, "next": nil, "previous": nil, "results": []any{roomJSON(c.room)}}},
				{"create checks the scope before the body", http.MethodPost, "/rooms/", listOnly, 403, detail("Insufficient permissions. Required scope: rooms:create")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					expect(t, ee.ext(t, tc.method, tc.path, tc.token, "{"), tc.status, tc.want)
				})
			}
		})

		t.Run("list and retrieve per role", func(t *testing.T) {
			page := func(rs ...*rooms.Room) map[string]any {
				results := []any{}
				for _, r := range rs {
					results = append(results, roomJSON(r))
				}
				return map[string]any{"count": len(rs), "next": nil, "previous": nil, "results": results}
			}
			for _, p := range []string{asOwner, asAdmin, asMember} {
				t.Run(p, func(t *testing.T) {
					expect(t, ee.ext(t, http.MethodGet, "/rooms/", tokens[p], nil), 200, page(c.room))
					expect(t, ee.ext(t, http.MethodGet, roomPath, tokens[p], nil), 200, roomJSON(c.room))
					// The id without dashes finds the room too, as a UUID field does.
					expect(t, ee.ext(t, http.MethodGet, "/rooms/"+strings.ReplaceAll(c.room.ID, "-", "")+"/", tokens[p], nil), 200, roomJSON(c.room))
				})
			}
			t.Run(outsider, func(t *testing.T) {
				expect(t, ee.ext(t, http.MethodGet, "/rooms/", tokens[outsider], nil), 200, page())
				expect(t, ee.ext(t, http.MethodGet, roomPath, tokens[outsider], nil), 403, detail(genericForbidden))
			})
			expect(t, ee.ext(t, http.MethodGet, "/rooms/"+other.room.ID+"/", owner, nil), 403, detail(genericForbidden))
			expect(t, ee.ext(t, http.MethodGet, "/rooms/"+rooms.NewID()+"/", owner, nil), 404, detail("No Room matches the given query."))
			expect(t, ee.ext(t, http.MethodGet, "/rooms/"+c.room.Slug+"/", owner, nil), 404, detail("Not found."))
			expect(t, ee.ext(t, http.MethodGet, "/rooms/?page=2", owner, nil), 404, detail("Invalid page."))
		})

		t.Run("create", func(t *testing.T) {
			creator := ee.newUser(t, "creator")
			tok := ee.token(t, clientID, secret, creator.Email)
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			// The creator's own defaults do not apply through the external API.
			creator.DefaultRoomAccessLevel, creator.DefaultRoomConfiguration = rooms.Restricted, rooms.Configuration{"everyone_can_mute": true}
			must(ee.db.UpdateUser(ctx, creator))
			for _, tc := range []struct {
				name  string
				body  any
				level string
				cfg   map[string]any
			}{
				{"no body", nil, "trusted", map[string]any{}},
				{"empty object, name ignored", map[string]any{"name": "Chosen Name"}, "trusted", map[string]any{}},
				{"restricted with configuration", map[string]any{"access_level": "restricted", "configuration": map[string]any{"can_publish_sources": []any{"camera"}}},
					"restricted", map[string]any{"can_publish_sources": []any{"camera"}}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					r := ee.ext(t, http.MethodPost, "/rooms/", tok, tc.body)
					got, _ := r.decoded(t).(map[string]any)
					id, _ := got["id"].(string)
					stored := ee.roomByID(t, id)
					if stored == nil {
						t.Fatalf("no room stored: %d %s", r.status, r.body)
					}
					if !roomNamePattern.MatchString(stored.Name) || stored.Slug != stored.Name {
						t.Errorf("room name %q slug %q, want a random abc-defg-hij name", stored.Name, stored.Slug)
					}
					expect(t, r, 201, map[string]any{"id": id, "name": stored.Name, "slug": stored.Slug, "access_level": tc.level,
						"configuration": tc.cfg, "url": extBaseURL + "/" + stored.Slug})
					if role := ee.roleOf(t, id, creator.ID); role != rooms.Owner {
						t.Errorf("creator's role %q, want owner", role)
					}
				})
			}
			before := ee.roomCount(t, creator.ID)
			for _, tc := range []struct {
				name string
				body any
				want any
			}{
				{"public refused", map[string]any{"access_level": "public"}, fields("access_level", applications.PublicRefusedMessage)},
				{"unknown level", map[string]any{"access_level": "secret"}, fields("access_level", `"secret" is not a valid choice.`)},
				{"unknown configuration key", map[string]any{"configuration": map[string]any{"nope": true}},
					map[string]any{"configuration": []any{"nope: Extra inputs are not permitted."}}},
				{"not JSON", "{", detail("JSON parse error - the body must be a JSON object.")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					expect(t, ee.ext(t, http.MethodPost, "/rooms/", tok, tc.body), 400, tc.want)
				})
			}
			if after := ee.roomCount(t, creator.ID); after != before {
				t.Fatalf("refused requests created rooms: %d → %d", before, after)
			}
		})

		t.Run("Django habits", func(t *testing.T) {
			r := ee.ext(t, http.MethodGet, "/rooms?page_size=5", owner, nil)
			if r.status != http.StatusMovedPermanently || r.header.Get("Location") != extV1+"/rooms/?page_size=5" {
				t.Fatalf("GET without slash: %d %v", r.status, r.header)
			}
			expect(t, ee.ext(t, http.MethodPost, "/rooms", owner, map[string]any{}), 404, detail("Not found."))
			r = ee.ext(t, http.MethodDelete, roomPath, owner, nil)
			expect(t, r, 405, detail(`Method "DELETE" not allowed.`))
			if r.header.Get("Allow") != "GET" {
				t.Errorf("Allow %q, want GET", r.header.Get("Allow"))
			}
			expect(t, ee.ext(t, http.MethodGet, "/application/token/", "", nil), 405, detail(`Method "GET" not allowed.`))
		})
	})
}

// TestExternalPublicRooms: public rooms through the external API when the
// instance allows them, or when they are its default.
func TestExternalPublicRooms(t *testing.T) {
	for name, opts := range map[string]applications.Options{
		"allowed":        {AllowPublic: true},
		"public default": {DefaultAccessLevel: rooms.Public},
	} {
		t.Run(name, func(t *testing.T) {
			ee := newExtEnv(t, storagetest.SQLite, opts, nil)
			u := ee.newUser(t, "pub")
			id, secret := ee.addApp(t, []string{"rooms:create"})
			tok := ee.token(t, id, secret, u.Email)
			r := ee.ext(t, http.MethodPost, "/rooms/", tok, map[string]any{"access_level": "public"})
			if r.status != 201 || !strings.Contains(string(r.body), `"access_level":"public"`) || strings.Contains(string(r.body), `"url"`) {
				t.Fatalf("public room: %d %s", r.status, r.body)
			}
			if name == "public default" {
				r = ee.ext(t, http.MethodPost, "/rooms/", tok, nil)
				if r.status != 201 || !strings.Contains(string(r.body), `"access_level":"public"`) {
					t.Fatalf("default room: %d %s", r.status, r.body)
				}
			}
		})
	}
}

// TestExternalAPIOff: without the external API, its paths are unknown.
func TestExternalAPIOff(t *testing.T) {
	env := newAPIEnv(t, storagetest.SQLite)
	for _, p := range []string{"/application/token/", "/rooms/"} {
		expect(t, env.serve(extRequest(t, http.MethodPost, p, "", map[string]any{})), 404, detail("Not found."))
	}
}
