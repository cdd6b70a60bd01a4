package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"meet/internal/apperr"
	"meet/internal/config"
	"meet/internal/livekit"
	"meet/internal/livekit/recorderadapter"
	"meet/internal/mail"
	"meet/internal/objectstore"
	"meet/internal/recordings"
	"meet/internal/storage"
)

// recordingSettings are the recording settings the wiring needs, read from
// config.Recording with the data directory's default applied.
type recordingSettings struct {
	Enabled        bool
	Dir            string // MEET_RECORDING_DIR, default <data dir>/recordings
	ExpirationDays int
	MaxDuration    time.Duration
	// DownloadBaseURL is the link base sent to owners (default <public URL>/recordings).
	DownloadBaseURL string
	// Summary service (MEET_SUMMARY_SERVICE_ENDPOINT, _API_TOKEN, _WEBHOOK_API_TOKEN).
	SummaryEndpoint     string
	SummaryToken        string
	SummaryWebhookToken string
	// SMTP (MEET_SMTP_ADDR, MEET_SMTP_FROM, MEET_SMTP_USERNAME, MEET_SMTP_PASSWORD).
	SMTP recordings.SMTPConfig
	// Storage events (MEET_RECORDING_STORAGE_EVENT_ENABLED, _TOKEN, MEET_RECORDING_BUCKET).
	StorageEventEnabled bool
	StorageEventToken   string
	StorageBucket       string
	// S3 is the object storage finished files are uploaded to (MEET_S3_*);
	// files stay in Dir when its Endpoint is empty.
	S3 config.S3
}

// recordingSettingsFrom reads the recording settings of cfg.
func recordingSettingsFrom(cfg *config.Config) recordingSettings {
	dir := cfg.Recorder.OutputDir
	if dir == "" {
		dir = filepath.Join(cfg.DataDir, "recordings")
	}
	r := cfg.Recorder
	return recordingSettings{
		Enabled: r.Enabled, Dir: dir, ExpirationDays: r.ExpirationDays, MaxDuration: r.MaxDuration,
		DownloadBaseURL: r.DownloadBaseURL,
		SummaryEndpoint: r.SummaryEndpoint, SummaryToken: r.SummaryToken, SummaryWebhookToken: r.SummaryWebhookToken,
		SMTP: recordings.SMTPConfig{
			Config: mail.Config{Addr: r.SMTPAddr, From: r.SMTPFrom, Username: r.SMTPUsername, Password: r.SMTPPassword},
			Brand:  r.BrandName, SupportEmail: r.SupportEmail},
		StorageEventEnabled: r.StorageEventEnabled, StorageEventToken: r.StorageEventToken, StorageBucket: r.Bucket,
		S3: r.S3,
	}
}

// newFileStore is where recording files are kept: the S3 bucket when
// MEET_S3_ENDPOINT is set (the recorder still writes to Dir, and each
// finished file is uploaded, then removed locally), else Dir itself.
// config.Validate refuses endpoints the client would; should one slip
// through, every file operation fails with the reason, which is logged
// here once.
func newFileStore(rs recordingSettings, log *slog.Logger) recordings.FileStore {
	local := recordings.NewLocalStore(rs.Dir)
	if rs.S3.Endpoint == "" {
		return local
	}
	s := rs.S3
	store, err := objectstore.New(objectstore.Config{
		Endpoint: s.Endpoint, Bucket: s.Bucket, Region: s.Region, AccessKeyID: s.AccessKeyID,
		SecretAccessKey: s.SecretAccessKey, Prefix: s.Prefix, PathStyle: s.PathStyle,
	}, local, log.With("component", "objectstore"))
	if err != nil {
		log.Error("recording object storage unusable", "err", err)
		return unusableStore{err: apperr.Wrap(apperr.Unavailable, "The recording storage is unavailable.", err)}
	}
	return store
}

// unusableStore is a FileStore whose configuration was refused: every
// operation fails, so recordings keep their local files.
type unusableStore struct{ err error }

func (u unusableStore) Put(context.Context, string, string) error { return u.err }
func (u unusableStore) Open(context.Context, string) (recordings.File, error) {
	return nil, u.err
}
func (u unusableStore) Delete(context.Context, string) error { return u.err }

// newRecordingService builds the recordings service the HTTP API and the
// workers share. secretKey signs the media URLs handed to the summary service.
func newRecordingService(rs recordingSettings, db *storage.DB, rms recordings.Rooms, secretKey string, publicURL *url.URL, log *slog.Logger) *recordings.Service {
	base := strings.TrimSuffix(publicURL.String(), "/")
	download := rs.DownloadBaseURL
	if download == "" {
		download = base + "/recordings"
	}
	return recordings.NewService(db, rms, newFileStore(rs, log), recordings.Config{
		Enabled: rs.Enabled, ExpirationDays: rs.ExpirationDays,
		StorageEventEnabled: rs.StorageEventEnabled, StorageEventToken: rs.StorageEventToken, StorageBucket: rs.StorageBucket,
		SummaryWebhookToken: rs.SummaryWebhookToken,
		Notify: recordings.NotifyConfig{
			MailEnabled: rs.SMTP.Addr != "", SummaryEnabled: rs.SummaryEndpoint != "" && rs.SummaryToken != "",
			DownloadBaseURL: download, APIBaseURL: base + "/api/v1.0", SigningKey: []byte(secretKey),
		},
	}, log, nil)
}

// recorderLiveKit is where recorder sessions join.
type recorderLiveKit struct {
	WSURL, APIKey, APISecret string
}

// startRecordingWorker runs a recording worker and the notification
// outbox in the background until ctx ends; the returned function waits
// for them. serve calls it to record in-process (one binary); "meet
// recorder" runs the same loops in a process of its own.
func startRecordingWorker(ctx context.Context, rs recordingSettings, db *storage.DB, svc *recordings.Service, lk recorderLiveKit, log *slog.Logger) (wait func() error) {
	adapter := recorderadapter.New(recorderadapter.Options{
		WSURL: lk.WSURL, APIKey: lk.APIKey, APISecret: lk.APISecret, Dir: rs.Dir, Log: log.With("component", "recorder"),
	})
	worker := recordings.NewWorker(svc, db, adapter, recordings.WorkerConfig{
		MaxDuration:  rs.MaxDuration,
		RoomMetadata: livekit.NewClient(livekit.ClientOptions{URL: lk.WSURL, APIKey: lk.APIKey, APISecret: lk.APISecret}),
	}, log.With("component", "recording_worker"))
	var mailer recordings.Mailer
	if rs.SMTP.Addr != "" {
		mailer = recordings.NewSMTPMailer(rs.SMTP)
	}
	var sum recordings.Summarizer
	if rs.SummaryEndpoint != "" && rs.SummaryToken != "" {
		sum = recordings.NewSummaryClient(rs.SummaryEndpoint, rs.SummaryToken, 0)
	}
	notifier := recordings.NewNotifier(db, mailer, sum, recordings.NotifierConfig{}, log.With("component", "recording_notifier"), nil)

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, run := range []func(context.Context) error{worker.Run, notifier.Run} {
		wg.Go(func() { errs[i] = run(ctx) })
	}
	return func() error {
		wg.Wait()
		return errors.Join(errs...)
	}
}

// recorderLiveKitOf says where a recorder process joins: the external
// LiveKit when MEET_LIVEKIT_URL is set, else the in-process SFU of a
// "meet serve" sharing the data directory, which needs a fixed
// MEET_LIVEKIT_PORT.
func recorderLiveKitOf(cfg *config.Config) (recorderLiveKit, error) {
	if cfg.LiveKit.URL != "" {
		return recorderLiveKit{WSURL: wsScheme(cfg.LiveKit.URL), APIKey: cfg.LiveKit.APIKey, APISecret: cfg.LiveKit.APISecret}, nil
	}
	if cfg.LiveKit.Embedded.Port == 0 {
		return recorderLiveKit{}, errors.New("meet recorder: set MEET_LIVEKIT_URL, or a fixed embedded LiveKit port shared with meet serve")
	}
	key, secret, err := livekit.LoadOrCreateSecret(cfg.DataDir)
	if err != nil {
		return recorderLiveKit{}, err
	}
	return recorderLiveKit{WSURL: "ws://127.0.0.1:" + strconv.Itoa(cfg.LiveKit.Embedded.Port), APIKey: key, APISecret: secret}, nil
}

// recorderCommand runs "meet recorder": a recording worker (and the
// notification outbox) in a process of its own, until ctx ends. Several
// may run against one database; jobs are leased, so each recording is
// recorded by exactly one of them.
func recorderCommand(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	rs := recordingSettingsFrom(cfg)
	if !rs.Enabled {
		return errors.New("meet recorder: recordings are disabled (MEET_RECORDING_ENABLED=false)")
	}
	lk, err := recorderLiveKitOf(cfg)
	if err != nil {
		return err
	}
	secretKey, err := loadOrCreateSecretKey(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	publicURL, err := url.Parse(cfg.PublicURL)
	if err != nil {
		return fmt.Errorf("MEET_PUBLIC_URL: %w", err)
	}
	svc := newRecordingService(rs, db, nil, secretKey, publicURL, log)
	where := rs.Dir
	if rs.S3.Endpoint != "" {
		where += ", uploaded to " + rs.S3.Endpoint + "/" + rs.S3.Bucket
	}
	fmt.Fprintf(stdout, "meet recorder is running (recordings in %s, LiveKit %s)\n", where, lk.WSURL)
	return startRecordingWorker(ctx, rs, db, svc, lk, log)()
}

// recordingsPurgeCommand runs "meet recordings purge": it deletes the
// recordings older than MEET_RECORDING_EXPIRATION_DAYS, files first.
func recordingsPurgeCommand(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	rs := recordingSettingsFrom(cfg)
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	rs.Enabled = true // purging works whether or not new recordings are allowed
	svc := newRecordingService(rs, db, nil, "", &url.URL{}, log)
	n, err := svc.Purge(ctx)
	if err != nil {
		return err
	}
	if rs.ExpirationDays <= 0 {
		fmt.Fprintln(stdout, "recordings never expire (MEET_RECORDING_EXPIRATION_DAYS=0): nothing purged")
		return nil
	}
	fmt.Fprintf(stdout, "purged %d expired recording(s)\n", n)
	return nil
}
