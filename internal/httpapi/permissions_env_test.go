package httpapi_test

// The environment of the permission matrix (permissions_test.go): one server
// with every optional route switched on (lobby, OIDC, local accounts,
// recordings, participant control, LiveKit signalling and webhooks), on
// SQLite with in-memory lobby state, or on PostgreSQL with Redis for
// sessions and the lobby when MEET_TEST_REDIS_URL is set. Each cell of the
// matrix gets a fresh room with its own people, recording and waiting guest,
// so no request depends on another.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/applications"
	"meet/internal/auth"
	"meet/internal/auth/local"
	"meet/internal/auth/oidc"
	"meet/internal/cache"
	"meet/internal/files"
	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/lobby"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

// The callers of the matrix besides the apitest personas: people holding a
// LiveKit join token, sent as a bearer token, and nothing else.
const (
	lkThisRoom  = "LiveKit token of this room"
	lkOtherRoom = "LiveKit token of another room"
)

// matrixCallers are the matrix's columns, in order.
var matrixCallers = []string{anonymous, outsider, asMember, asAdmin, asOwner, lkThisRoom, lkOtherRoom}

// matrixLocalEmail and matrixLocalPassword are the local account local-login/ signs in.
const (
	matrixLocalEmail    = "local-account@example.com"
	matrixLocalPassword = "correct horse battery staple"
	// matrixSetupToken is the first-run setup's token; setup/ is closed
	// anyway, since the matrix has accounts.
	matrixSetupToken = "matrix-setup-token"
)

// matrixEnv is the server under test and what builds each cell's fixture.
type matrixEnv struct {
	*recEnv
	lobby  *lobby.Service
	tokens *livekit.TokenIssuer
	// otherRoom is a room of other people, made once, for lkOtherRoom.
	otherRoom string
	// extClientID and extSecret are the credentials of an application with
	// every scope, for the external API's rows.
	extClientID, extSecret string
	// fileSvc keeps the cells' uploaded backgrounds.
	fileSvc *files.Service
}

// okParticipants accepts every removal: the matrix checks who may ask, not
// whether the SFU knows the participant.
type okParticipants struct{}

func (okParticipants) RemoveParticipant(context.Context, string, string) error { return nil }

// signalStub stands in for the embedded SFU's /rtc: meet forwards without
// looking at the caller, and the SFU checks the join token itself.
var signalStub = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
})

// newMatrixEnv builds the server on engine e.
func newMatrixEnv(t testing.TB, e storagetest.Engine) *matrixEnv {
	t.Helper()
	me := &matrixEnv{tokens: livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: lkKey, APISecret: lkSecret, PublicURL: lkURL})}
	issuer := fakeDiscovery(t)
	var rdb *redis.Client
	prefix := ""
	if e.Name == storagetest.Postgres.Name && os.Getenv("MEET_TEST_REDIS_URL") != "" {
		rdb, prefix = matrixRedis(t)
	}
	me.recEnv = &recEnv{files: recordings.NewLocalStore(t.TempDir())}
	me.apiEnv = newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) {
		db := d.Users.(*storage.DB)
		d.Recordings = recordings.NewService(db, d.Rooms, me.recEnv.files, recordingsConfig(), d.Log, nil)
		me.recEnv.svc = d.Recordings
		rules := fileRules
		rules.MaxCountByUser = 10 // the owner holds three files per cell and may create a fourth
		me.fileSvc = filesService(d, files.NewLocalBlobs(t.TempDir()), rules, nil)
		ld := lobby.Deps{Rooms: d.Rooms, Store: cache.NewLobbyMemory(nil), Broker: cache.NewLobbyBrokerMemory(),
			Limiter: cache.NewLimiterMemory(nil), Log: d.Log}
		if rdb != nil {
			d.Sessions = cache.NewSessionsRedis(rdb, prefix+"session:", nil)
			broker := cache.NewLobbyBrokerRedis(rdb, prefix+"lobby-events:", d.Log)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); _ = broker.Run(ctx) }()
			t.Cleanup(func() { cancel(); <-done })
			ld.Store, ld.Broker = cache.NewLobbyRedis(rdb, prefix+"lobby:", 6*time.Hour), broker
			ld.Limiter = cache.NewLimiterRedis(rdb, prefix+"limit:")
		}
		me.lobby = lobby.NewService(ld, lobby.Options{ThrottleLimit: -1, WaitingTTL: time.Hour})
		d.Lobby = me.lobby
		d.Participants = okParticipants{}
		d.LiveKitSignal = signalStub
		d.LiveKitWebhook = livekit.NewWebhookReceiver(livekit.WebhookOptions{APIKey: lkKey, APISecret: lkSecret}, d.Log)
		rp, err := oidc.New(oidc.Config{Issuer: issuer, ClientID: "meet", ClientSecret: "meet-secret",
			RedirectURL: testPublic + apiV1 + "/callback/"}, nil, d.Log)
		if err != nil {
			t.Fatal(err)
		}
		d.OIDC, d.OIDCUsers = rp, oidc.NewUsers(db, oidc.UserPolicy{CreateUser: true}, nil)
		hasher := local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
		accounts := local.NewAccounts(db, hasher, nil, nil)
		if _, err := accounts.Add(context.Background(), matrixLocalEmail, "Local Account", matrixLocalPassword); err != nil {
			t.Fatal(err)
		}
		d.FirstRun = local.NewFirstRun(accounts, db, matrixSetupToken)
		// Limits far above the matrix's attempts: throttling is tested elsewhere.
		a, err := local.NewAuthenticator(db, hasher, local.Limits{HashSlots: 4, HashWait: 10 * time.Second}, d.Log)
		if err != nil {
			t.Fatal(err)
		}
		d.LocalLogin = a
		d.External = applications.NewService(applications.Deps{Store: db, Users: db, Rooms: d.Rooms, RoomStore: db},
			applications.Options{SigningKey: []byte(extKey)})
		app, secret, err := d.External.Add(context.Background(), "Matrix", allScopes, nil)
		if err != nil {
			t.Fatal(err)
		}
		me.extClientID, me.extSecret = app.ClientID, secret
	}))
	return me
}

// recordingsConfig turns recordings on with known hook tokens.
func recordingsConfig() recordings.Config {
	return recordings.Config{
		Enabled: true, StorageEventEnabled: true, StorageEventToken: recStorageToken, StorageBucket: recBucket,
		SummaryWebhookToken: recSummaryHookToken,
		Notify:              recordings.NotifyConfig{DownloadBaseURL: "http://meet.test/recordings", APIBaseURL: "http://meet.test/api/v1.0", SigningKey: []byte("k")},
	}
}

// fakeDiscovery serves an OpenID provider's discovery document on loopback
// and returns its issuer URL: enough for authenticate/ to build its redirect.
func fakeDiscovery(t testing.TB) string {
	t.Helper()
	var issuer string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": issuer, "authorization_endpoint": issuer + "/auth", "token_endpoint": issuer + "/token",
			"jwks_uri": issuer + "/jwks", "end_session_endpoint": issuer + "/logout",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	}))
	t.Cleanup(srv.Close)
	issuer = srv.URL
	return issuer
}

// matrixRedis connects to MEET_TEST_REDIS_URL with a key prefix unique to
// the test, whose keys are deleted at cleanup.
func matrixRedis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	opts, err := redis.ParseURL(os.Getenv("MEET_TEST_REDIS_URL"))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	prefix := "meettest:matrix:" + rooms.NewID() + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		// Test cleanup only: production code never scans the keyspace.
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		_ = rdb.Close()
	})
	return rdb, prefix
}

// fixture is one cell's world: a restricted room with its cast, a saved
// recording of it (file stored), an active one when the row asks, a guest
// waiting in its lobby, and join tokens for this room and another.
type fixture struct {
	*cast
	recording *recordings.Recording
	guestID   string
	lkThis    string // join token for this room
	lkOther   string // join token for a room of someone else
	// extClientID and extSecret are an application's credentials.
	extClientID, extSecret string
	// file is a ready background of the room owner's, upload an owner's
	// pending one awaiting its bytes (policy: its upload path and query),
	// and uploaded an owner's pending one whose bytes are stored.
	file, upload, uploaded *files.File
	policy                 string
}

// newFixture builds a cell's world.
func (me *matrixEnv) newFixture(t testing.TB, activeRecording bool) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{cast: me.newCast(t, rooms.Restricted, nil), extClientID: me.extClientID, extSecret: me.extSecret}
	if me.otherRoom == "" {
		me.otherRoom = me.newCast(t, rooms.Restricted, nil).room.ID
	}
	rec := me.startedBy(t, f.cast, recordings.Transcript)
	me.setStatus(t, rec.ID, recordings.Saved)
	src := filepath.Join(t.TempDir(), "file.ogg")
	if err := os.WriteFile(src, []byte("OggS-matrix"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := me.files.Put(ctx, rec.Key(), src); err != nil {
		t.Fatal(err)
	}
	f.recording = me.recording(t, rec.ID)
	if activeRecording {
		// A second recording, still running (saved ones do not block start).
		live := me.startedBy(t, f.cast, recordings.ScreenRecording)
		me.setStatus(t, live.ID, recordings.Active)
	}
	res, err := me.lobby.RequestEntry(ctx, auth.Principal{}, lobby.Knock{Room: f.room.ID, Username: "Waiting Guest"})
	if err != nil {
		t.Fatalf("guest knock: %v", err)
	}
	f.guestID = res.ID
	owner := f.users[asOwner].ID
	f.file = storedFile(t, me.fileSvc, owner, "matrix.png", pngImage(t, 8, 8), "ready")
	f.uploaded = storedFile(t, me.fileSvc, owner, "uploaded.png", pngImage(t, 8, 8), "uploaded")
	up, g, err := me.fileSvc.Create(ctx, auth.Principal{UserID: owner}, files.CreateInput{Type: files.BackgroundImage, Filename: "up.png"})
	if err != nil {
		t.Fatal(err)
	}
	f.upload = up
	f.policy = "/files/" + up.ID + "/upload/?expires=" + strconv.FormatInt(g.Expires, 10) + "&signature=" + g.Signature
	f.lkThis = me.joinToken(t, f.room.ID)
	f.lkOther = me.joinToken(t, me.otherRoom)
	return f
}

// joinToken signs a guest's join token for room, as meet hands out.
func (me *matrixEnv) joinToken(t testing.TB, room string) string {
	t.Helper()
	info, err := me.tokens.Issue(rooms.JoinGrant{Room: room, Identity: rooms.NewID(), Name: "Token Holder",
		Attributes: map[string]string{"is_authenticated": "false"}, CanSubscribe: true, CanPublish: true,
		CanPublishSources: []string{"camera", "microphone"}, CanPublishData: true})
	if err != nil {
		t.Fatal(err)
	}
	return info.Token
}

// client returns the apiClient of who; LiveKit token holders are anonymous
// clients that add their token (bearer) to each request.
func (f *fixture) client(who string) (*apiClient, string) {
	switch who {
	case lkThisRoom:
		return f.clients[anonymous], f.lkThis
	case lkOtherRoom:
		return f.clients[anonymous], f.lkOther
	}
	return f.clients[who], ""
}

// serveCell sends req and returns the status. A push stream (text/event-stream)
// is cut as soon as its status is written, so the matrix never waits on one.
func serveCell(srv http.Handler, req *http.Request) (int, string) {
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	w := &cutRecorder{ResponseRecorder: httptest.NewRecorder(), cancel: cancel}
	srv.ServeHTTP(w, req.WithContext(ctx))
	return w.Code, w.Body.String()
}

// cutRecorder records a response and cancels the request once the status of
// a push stream is written.
type cutRecorder struct {
	*httptest.ResponseRecorder
	cancel context.CancelFunc
	once   sync.Once
}

func (c *cutRecorder) WriteHeader(code int) {
	c.ResponseRecorder.WriteHeader(code)
	if c.Header().Get("Content-Type") == "text/event-stream" {
		c.once.Do(c.cancel)
	}
}

func (c *cutRecorder) Flush() {
	c.once.Do(c.cancel)
	c.ResponseRecorder.Flush()
}
