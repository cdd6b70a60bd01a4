package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"meet/internal/analytics"
	"meet/internal/auth"
	"meet/internal/auth/local"
	"meet/internal/auth/oidc"
	"meet/internal/cache"
	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/livekit/recorderadapter"
	"meet/internal/lobby"
	"meet/internal/mail"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/web"
)

// serve runs the server until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	// Only the settings this instance changed, secrets redacted: the full
	// list is `meet help serve`.
	log.LogAttrs(ctx, slog.LevelInfo, "starting meet", slog.String("version", buildVersion()),
		slog.String("data_dir", absPath(cfg.DataDir)), slog.Attr{Key: "settings", Value: slog.GroupValue(cfg.Changed()...)})
	secretKey, err := loadOrCreateSecretKey(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		return err
	}
	if cfg.SecretKey == "" && cfg.DatabaseURL != "" {
		log.Warn("MEET_SECRET_KEY is not set: each replica generates its own; set it when running several")
	}

	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}

	var rdb *redis.Client
	if cfg.RedisURL != "" {
		rdb, err = cache.NewRedisClient(cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("MEET_REDIS_URL: %w", err)
		}
		defer rdb.Close()
		if err := rdb.Ping(ctx).Err(); err != nil {
			return fmt.Errorf("redis: %w", err)
		}
	}

	ln, err := listenHTTP(cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	served := limitConns(ln, cfg, log)
	publicURL, err := publicURLOf(cfg, ln.Addr())
	if err != nil {
		return err
	}

	md, err := startMedia(ctx, cfg, publicURL, ln.Addr(), log)
	if err != nil {
		return err
	}
	defer md.stop()
	lkClient := livekit.NewClient(livekit.ClientOptions{URL: md.apiURL, APIKey: md.apiKey, APISecret: md.apiSecret})
	tokens := livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: md.apiKey, APISecret: md.apiSecret, PublicURL: md.publicURL, TTL: cfg.LiveKit.TokenTTL})
	webhooks := livekit.NewWebhookReceiver(livekit.WebhookOptions{
		APIKey: md.apiKey, APISecret: md.apiSecret, RoomFilter: cfg.LiveKit.WebhookFilterRegex,
		IgnoreIdentities: []string{recorderadapter.Identity},
	}, log)

	denyList := newDenyList(rdb)
	roomSvc := rooms.NewService(db, db, tokens, lkClient, rooms.Options{
		DefaultAccessLevel:       rooms.AccessLevel(cfg.Rooms.DefaultAccessLevel),
		AllowUnregistered:        cfg.Rooms.AllowUnregistered,
		AuthenticatedCanEditName: cfg.Rooms.AuthenticatedCanEditName,
		Call:                     lkClient, Accounts: db, DenyList: denyList,
		DenyTTL: rooms.DenyTTLFor(cfg.LiveKit.TokenTTL), MoveOutOnDemotion: md.adminAPIExposed(cfg),
	}, log)
	if md.proxy != nil {
		md.proxy = livekit.GuardSignal(md.proxy, md.apiKey, md.apiSecret, denyList, log)
	}

	lobbySvc, loops := newLobby(cfg, rdb, roomSvc, lkClient, []byte(secretKey), log)
	var sessions auth.SessionStore = db
	if rdb != nil {
		sessions = cache.NewSessionsRedis(rdb, redisSessionPrefix, nil)
	} else {
		loops = append(loops, func(ctx context.Context) error { return purgeSessions(ctx, db, log) })
	}
	webhooks.Subscribe(livekit.EventRoomFinished, func(ctx context.Context, e livekit.Event) error {
		return lobbySvc.ClearRoom(ctx, e.Room)
	})
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	deps := httpapi.Deps{
		Log: log, PublicURL: publicURL, FrameAncestors: cfg.HTTP.FrameAncestors, Rooms: roomSvc, Users: db, Sessions: sessions, AnalyticsKey: []byte(secretKey),
		Registry: registry, SessionTTL: cfg.Session.TTL, LiveKitWebhook: webhooks, BodyTimeout: cfg.HTTP.BodyTimeout,
		LiveKitSignal: md.proxy, Lobby: lobbySvc, Participants: lkClient,
		Ready: readiness(db, rdb, lkClient),
		Web:   web.Handler(cfg.WebDir, log, cfg.HTTP.FrameAncestors, md.publicURL),
	}
	deps.LobbyStreamsPerClient = offIfZero(cfg.Lobby.StreamsPerClient)
	deps.InCall, deps.LiveKitTokens = livekit.NewCallControl(lkClient), livekit.NewTokenVerifier(md.apiKey, md.apiSecret)
	rs := recordingSettingsFrom(cfg)
	recSvc := newRecordingService(rs, db, roomSvc, secretKey, publicURL, log)
	deps.Recordings = recSvc
	if rs.SMTP.Addr != "" {
		deps.Inviter = mail.NewInvitations(mail.NewSMTP(rs.SMTP.Config), rs.SMTP.Brand)
	}
	if len(cfg.TrustedProxies) > 0 {
		deps.ClientAddr = httpapi.ClientAddrBehind(cfg.TrustedProxies)
	}
	limiter, sweep := newLimiter(rdb)
	if sweep != nil {
		loops = append(loops, sweep)
	}
	deps.Limiter, deps.RoomCreationPerMinute = limiter, cfg.Rooms.CreationPerMinute
	if err := wireSignIn(ctx, cfg, &deps, db, rdb, publicURL, log); err != nil {
		return err
	}
	loops = append(loops, wireClientAPI(cfg, &deps, rdb, tokens)...)
	if cfg.Analytics.Enabled() {
		ph, err := analytics.NewPostHog(analytics.Options{
			APIKey: cfg.Analytics.PostHogKey, Host: cfg.Analytics.PostHogHost, Registerer: registry, Log: log,
		})
		if err != nil {
			return err
		}
		// Run sends in the background and, once the loops are stopped at
		// shutdown (after the last request), flushes within its FlushTimeout.
		deps.Analytics, loops = ph, append(loops, ph.Run)
	}
	wireExternalAPI(cfg, &deps, db, roomSvc, secretKey)
	wireFiles(cfg, &deps, db, rs, secretKey, log)
	deps.PublicConfig = publicConfig(cfg, md, deps)
	api, err := httpapi.New(deps)
	if err != nil {
		return err
	}

	bgCtx, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, loop := range loops {
		wg.Go(func() {
			if err := loop(bgCtx); err != nil {
				log.Error("background worker stopped", "err", err)
			}
		})
	}
	defer func() { stopLoops(); wg.Wait() }()
	if rs.Enabled && cfg.Recorder.Worker {
		wait := startRecordingWorker(bgCtx, rs, db, recSvc, recorderLiveKit{WSURL: wsScheme(md.apiURL), APIKey: md.apiKey, APISecret: md.apiSecret}, log)
		defer func() {
			stopLoops()
			if err := wait(); err != nil {
				log.Error("recording worker stopped", "err", err)
			}
		}()
	}

	// No ReadTimeout: it would cut the lobby streams and /rtc WebSockets
	// (see httpapi.DefaultBodyTimeout); bodies are bounded per request.
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: cfg.HTTP.IdleTimeout,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	srv.RegisterOnShutdown(api.Shutdown) // ends the event streams first
	defer serveAdmin(cfg.DataDir, adminDeps{Rooms: roomSvc, SFU: lkClient, Lobby: lobbySvc, Log: log})()
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(served) }()
	if cfg.TLS.On() {
		f, err := openFront(cfg, publicURL, md.turnTLSAddr, log)
		if err != nil {
			_ = srv.Close()
			return err
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			defer cancel()
			f.shutdown(ctx)
		}()
		go func() { errc <- srv.Serve(f.ln) }()
		f.warm(ctx, log)
		if ip := addrIP(ln.Addr()); ip != nil && !ip.IsLoopback() {
			log.Warn("MEET_ADDR serves plain HTTP beside HTTPS; bind it to 127.0.0.1 (the in-process SFU's webhooks and local probes use it)", "listen", ln.Addr().String())
		}
	}
	log.Info("meet is ready", "url", publicURL.String(), "listen", ln.Addr().String(), "engine", db.Engine(), "redis", rdb != nil)
	fmt.Fprintf(stdout, "meet is ready on %s\n", publicURL)

	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		log.Warn("shutdown deadline reached: closing the requests still running", "deadline", shutdownTimeout)
		_ = srv.Close() // the listener is closed already; only the connections remain
		return nil
	}
	return err
}

// addrIP is the IP address of a TCP listener's address.
func addrIP(a net.Addr) net.IP {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP
	}
	return nil
}

// shutdownTimeout is how long ordinary requests get to finish at shutdown.
const shutdownTimeout = 10 * time.Second

// publicURLOf is MEET_PUBLIC_URL, or http://localhost:<port> of the listener.
func publicURLOf(cfg *config.Config, addr net.Addr) (*url.URL, error) {
	if cfg.PublicURL != "" {
		return url.Parse(cfg.PublicURL)
	}
	return &url.URL{Scheme: "http", Host: fmt.Sprintf("localhost:%d", addr.(*net.TCPAddr).Port)}, nil
}

// readiness lists what /readyz checks.
func readiness(db *storage.DB, rdb *redis.Client, lk *livekit.Client) []httpapi.Check {
	checks := []httpapi.Check{{Name: "database", Check: db.Ping}, {Name: "livekit", Check: lk.Ping}}
	if rdb != nil {
		checks = append(checks, httpapi.Check{Name: "redis", Check: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }})
	}
	return checks
}

// wireSignIn sets up OIDC and local accounts as configured. Local sign-in
// counts attempts in deps.Limiter; with Redis, it and used logout tokens are
// shared by every replica.
func wireSignIn(ctx context.Context, cfg *config.Config, deps *httpapi.Deps, db *storage.DB, rdb *redis.Client, publicURL *url.URL, log *slog.Logger) error {
	if cfg.OIDC.Issuer != "" {
		var jtis oidc.JTICache
		if rdb != nil {
			jtis = cache.NewJTICacheRedis(rdb, "meet:logout-jti:")
		}
		rp, err := oidc.New(oidc.Config{
			Issuer: cfg.OIDC.Issuer, ClientID: cfg.OIDC.ClientID, ClientSecret: cfg.OIDC.ClientSecret,
			Scopes: cfg.OIDC.Scopes, ExtraAuthParams: cfg.OIDC.ExtraAuthParams,
			RedirectURL: publicURL.JoinPath("/api/v1.0/callback/").String(),
		}, jtis, log)
		if err != nil {
			return err
		}
		// Discovery also happens on first use; trying now makes a wrong issuer visible at start.
		if err := rp.Discover(ctx); err != nil {
			log.Warn("OIDC provider not reachable yet; sign-in will retry", "issuer", cfg.OIDC.Issuer, "err", err)
		}
		deps.OIDC = rp
		deps.OIDCUsers = oidc.NewUsers(db, oidc.UserPolicy{
			FallbackToEmail: cfg.OIDC.FallbackToEmail, CreateUser: cfg.OIDC.CreateUser,
			FullNameClaims: cfg.OIDC.FullNameClaims, ShortNameClaim: cfg.OIDC.ShortNameClaim,
		}, nil)
		deps.ReturnToAllowedHosts = cfg.OIDC.RedirectAllowedHosts
	}
	if cfg.Local.Enabled(cfg.OIDC) {
		h := local.DefaultArgon2id()
		a, err := local.NewAuthenticator(db, h, loginLimits(cfg.Local, deps.Limiter, h, log), log)
		if err != nil {
			return err
		}
		deps.LocalLogin = a
		return offerFirstRun(ctx, deps, db, h, publicURL, log)
	}
	return nil
}

// offerFirstRun opens the first-run setup when no user exists yet, and says
// once, in the log, how to create the first account: in the browser with a
// one-time link, or with `meet user add`.
func offerFirstRun(ctx context.Context, deps *httpapi.Deps, db *storage.DB, h local.Hasher, publicURL *url.URL, log *slog.Logger) error {
	setup := local.NewFirstRun(local.NewAccounts(db, h, deps.Sessions, nil), db, local.NewSetupToken())
	open, err := setup.Open(ctx)
	if err != nil || !open {
		return err
	}
	deps.FirstRun = setup
	link := publicURL.JoinPath("/setup")
	link.Fragment = setup.Token() // a fragment never reaches server logs or Referer headers
	log.Warn("no account exists yet: open the setup link to create the first one (it works once), or run `meet user add`",
		"setup_link", link.String(),
		"command", "bin/meet user add --email you@example.org --name \"Your Name\"")
	return nil
}

// absPath is path made absolute, for messages that must not depend on
// where the reader stands.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// newLobby builds the waiting room on Redis when configured (shared by every
// replica, with push across them through pub/sub), else in memory. It returns
// the background loops to run. key (the instance secret key, the same on
// every replica) signs the lobby cookies.
func newLobby(cfg *config.Config, rdb *redis.Client, roomSvc *rooms.Service, lk *livekit.Client, key []byte, log *slog.Logger) (*lobby.Service, []func(context.Context) error) {
	d := lobby.Deps{Rooms: roomSvc, Notifier: lk, Log: log, Key: key}
	var loops []func(context.Context) error
	if rdb != nil {
		broker := cache.NewLobbyBrokerRedis(rdb, "meet:lobby-events:", log)
		d.Store = cache.NewLobbyRedis(rdb, "meet:lobby:", cfg.Lobby.AcceptedTimeout)
		d.Broker, d.Limiter = broker, cache.NewLimiterRedis(rdb, "meet:limit:")
		loops = append(loops, broker.Run)
	} else {
		store, limiter := cache.NewLobbyMemory(nil), cache.NewLimiterMemory(nil)
		d.Store, d.Broker, d.Limiter = store, cache.NewLobbyBrokerMemory(), limiter
		loops = append(loops, store.Run, limiter.Run)
	}
	return lobby.NewService(d, lobby.Options{
		WaitingTTL: cfg.Lobby.WaitingTimeout, AcceptedTTL: cfg.Lobby.AcceptedTimeout,
		DeniedTTL: cfg.Lobby.DeniedTimeout, ThrottleLimit: cfg.Lobby.RequestEntryPerMin,
		ClientThrottleLimit: offIfZero(cfg.Lobby.RequestEntryPerMinPerClient),
	}), loops
}

// offIfZero maps a setting where 0 means "no limit" to an option where 0
// means "the default" and a negative value "no limit".
func offIfZero(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// newDenyList keeps removals from calls in Redis when configured, so that
// every replica (and the SFU's signalling behind each) refuses them, else in
// memory.
func newDenyList(rdb *redis.Client) rooms.DenyList {
	if rdb != nil {
		return cache.NewDenyListRedis(rdb, "meet:deny:")
	}
	return cache.NewDenyListMemory(nil)
}

// purgeSessions deletes expired database sessions every ten minutes until ctx ends.
func purgeSessions(ctx context.Context, db *storage.DB, log *slog.Logger) error {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if n, err := db.DeleteExpiredSessions(ctx); err != nil {
				log.Warn("purging expired sessions failed", "err", err)
			} else if n > 0 {
				log.Debug("purged expired sessions", "count", n)
			}
		}
	}
}
