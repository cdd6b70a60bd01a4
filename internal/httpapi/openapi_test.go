package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"meet/internal/applications"
	"meet/internal/auth/local"
	"meet/internal/auth/oidc"
	"meet/internal/cache"
	"meet/internal/files"
	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/lobby"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

// documentedAPIs are the path prefixes the OpenAPI document must cover.
var documentedAPIs = []string{"/api/v1.0/", "/external-api/v1.0/"}

// everyRouteServer is a server with every optional route registered: the
// handlers are not called, so the dependencies only need to exist.
func everyRouteServer(t *testing.T) *apiEnv {
	t.Helper()
	return newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) {
		d.Lobby = lobby.NewService(lobby.Deps{Rooms: d.Rooms, Store: cache.NewLobbyMemory(nil), Broker: cache.NewLobbyBrokerMemory(),
			Limiter: cache.NewLimiterMemory(nil), Log: d.Log}, lobby.Options{})
		d.Participants = okParticipants{}
		d.InCall = newFakeCall()
		d.LiveKitSignal = signalStub
		d.LiveKitWebhook = livekit.NewWebhookReceiver(livekit.WebhookOptions{APIKey: lkKey, APISecret: lkSecret}, d.Log)
		d.OIDC, d.LocalLogin = &oidc.RelyingParty{}, &local.Authenticator{}
		db := d.Users.(*storage.DB)
		d.External = applications.NewService(applications.Deps{Store: db, Users: db, Rooms: d.Rooms, RoomStore: db},
			applications.Options{SigningKey: []byte(extKey)})
		filesService(d, files.NewLocalBlobs(t.TempDir()), fileRules, nil)
	}))
}

// TestOpenAPICoversEveryRoute checks the served document against the
// routes the server registers under the documented APIs: every route is
// documented with exactly its methods, and nothing else is documented.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	env := everyRouteServer(t)
	r := env.anonymous().do(t, http.MethodGet, "/openapi.json", nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" ||
		r.header.Get("Cache-Control") != "public, max-age=3600" {
		t.Fatalf("openapi.json = %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Info    struct{ Title, Version string }       `json:"info"`
		Servers []struct{ URL string }                `json:"servers"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title != "meet" || doc.Info.Version == "" || len(doc.Servers) != 1 || doc.Servers[0].URL != testPublic {
		t.Errorf("header of the document: openapi %q info %+v servers %+v", doc.OpenAPI, doc.Info, doc.Servers)
	}

	registered := map[string][]string{} // path → methods
	for _, p := range httpapi.Patterns(env.srv) {
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			continue // no method: not an API route (/rtc)
		}
		path = strings.TrimSuffix(path, "{$}")
		if !slices.ContainsFunc(documentedAPIs, func(prefix string) bool { return strings.HasPrefix(path, prefix) }) {
			continue
		}
		registered[path] = append(registered[path], strings.ToLower(method))
	}
	for _, optional := range []string{"/api/v1.0/files/{id}/upload/", "/api/v1.0/rooms/{id}/toggle-hand/", "/api/v1.0/rooms/{id}/remove-participant/",
		"/api/v1.0/rooms/{id}/enter/", "/api/v1.0/rooms/webhooks-livekit/", "/api/v1.0/callback/", "/api/v1.0/local-login/",
		"/external-api/v1.0/rooms/"} {
		if registered[optional] == nil {
			t.Fatalf("the test server lacks the optional route %s", optional)
		}
	}
	for path, methods := range registered {
		var documented []string
		for k := range doc.Paths[path] {
			if k != "parameters" && k != "summary" && k != "description" {
				documented = append(documented, k)
			}
		}
		slices.Sort(methods)
		slices.Sort(documented)
		if !slices.Equal(methods, documented) {
			t.Errorf("%s: routes.go serves %v, openapi documents %v", path, methods, documented)
		}
		if strings.Contains(path, "{id}") {
			// The {id} parameter is declared on the path or on each operation.
			for _, m := range documented {
				var op struct{ Parameters []struct{ Name, In string } }
				_ = json.Unmarshal(doc.Paths[path][m], &op)
				onOp := slices.ContainsFunc(op.Parameters, func(p struct{ Name, In string }) bool { return p.Name == "id" && p.In == "path" })
				if !onOp && !strings.Contains(string(doc.Paths[path]["parameters"]), `"name":"id"`) {
					t.Errorf("%s %s: the {id} path parameter is not documented", m, path)
				}
			}
		}
	}
	for path := range doc.Paths {
		if _, ok := registered[path]; !ok {
			t.Errorf("openapi documents %s, which no route serves", path)
		}
	}
}

// TestOpenAPIFragmentsMustNotCollide checks that two fragments claiming the
// same path or schema stop the server from being built, and that any set
// of fragments (here one) is merged.
func TestOpenAPIFragmentsMustNotCollide(t *testing.T) {
	pub, _ := url.Parse("https://meet.example.org/")
	a := `{"paths": {"/x/": {"get": {"responses": {}}}}, "components": {"schemas": {"A": {"type": "string"}}}}`
	doc, err := httpapi.OpenAPIDocument(fstest.MapFS{"openapi/a.json": {Data: []byte(a)}}, pub)
	if err != nil {
		t.Fatalf("one fragment: %v", err)
	}
	want := `{"components":{"schemas":{"A":{"type":"string"}}},"info":{"description":"La Suite Meet compatible API of meet. docs/api.md describes each route's behaviour.","title":"meet","version":"1.0"},"openapi":"3.1.0","paths":{"/x/":{"get":{"responses":{}}}},"servers":[{"url":"https://meet.example.org"}]}`
	if string(doc) != want {
		t.Errorf("document = %s\nwant %s", doc, want)
	}
	for name, b := range map[string]string{
		"same path":   `{"paths": {"/x/": {"post": {"responses": {}}}}}`,
		"same schema": `{"paths": {"/y/": {}}, "components": {"schemas": {"A": {"type": "integer"}}}}`,
	} {
		_, err := httpapi.OpenAPIDocument(fstest.MapFS{"openapi/a.json": {Data: []byte(a)}, "openapi/b.json": {Data: []byte(b)}}, pub)
		if err == nil || !strings.Contains(err.Error(), "openapi/a.json and openapi/b.json both define") {
			t.Errorf("%s: err = %v, want a collision naming both files", name, err)
		}
	}
	_, err = httpapi.OpenAPIDocument(fstest.MapFS{"openapi/a.json": {Data: []byte(`{"path": {}}`)}}, pub)
	if err == nil || !strings.Contains(err.Error(), "openapi/a.json") {
		t.Errorf("unknown key: err = %v, want the fragment refused", err)
	}
}
