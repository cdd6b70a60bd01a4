package recordings_test

import (
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/recordings"
	"meet/internal/rooms"
)

func TestStatusPredicates(t *testing.T) {
	for _, tc := range []struct {
		s                                 recordings.Status
		final, savable, saved, inProgress bool
	}{
		{recordings.Initiated, false, false, false, true},
		{recordings.Active, false, true, false, true},
		{recordings.Stopped, true, true, false, false},
		{recordings.Saved, true, false, true, false},
		{recordings.Aborted, true, false, false, false},
		{recordings.FailedToStart, true, false, false, false},
		{recordings.FailedToStop, true, false, false, false},
		{recordings.NotificationSucceeded, false, false, true, false},
		{recordings.ExternalProcessSuccessful, true, false, true, false},
		{recordings.ExternalProcessFailed, true, false, true, false},
	} {
		t.Run(string(tc.s), func(t *testing.T) {
			if tc.s.IsFinal() != tc.final || tc.s.IsSavable() != tc.savable || tc.s.IsSaved() != tc.saved || tc.s.InProgress() != tc.inProgress {
				t.Fatalf("final %v savable %v saved %v in progress %v", tc.s.IsFinal(), tc.s.IsSavable(), tc.s.IsSaved(), tc.s.InProgress())
			}
		})
	}
}

func TestAbilities(t *testing.T) {
	for _, role := range []rooms.Role{rooms.NoRole, rooms.Member, rooms.Administrator, rooms.Owner} {
		for _, st := range []recordings.Status{recordings.Active, recordings.Saved, recordings.NotificationSucceeded} {
			t.Run(string(role)+" "+string(st), func(t *testing.T) {
				a := recordings.AbilitiesOf(role, st)
				manage := role == rooms.Administrator || role == rooms.Owner
				want := recordings.Abilities{Retrieve: manage, Destroy: manage && st.IsFinal(), Stop: manage && !st.IsFinal()}
				if a != want {
					t.Fatalf("abilities %+v, want %+v", a, want)
				}
			})
		}
	}
}

func TestParseStart(t *testing.T) {
	ok := map[string]recordings.Mode{
		`{"mode":"transcript"}`:                             recordings.Transcript,
		`{"mode":"screen_recording","options":null}`:        recordings.ScreenRecording,
		`{"mode":"transcript","options":{"language":null}}`: recordings.Transcript,
		`{"mode":"transcript","options":{"language":"fr","transcribe":true,"collect_metadata":false,"original_mode":"screen_recording"}}`: recordings.Transcript,
	}
	for body, mode := range ok {
		in, err := recordings.ParseStart([]byte(body))
		if err != nil || in.Mode != mode {
			t.Errorf("%s: %+v, %v", body, in, err)
		}
	}
	for _, body := range []string{``, `null`, `[]`, `{}`, `{"mode":"x"}`, `{"mode":"transcript","options":{"x":1}}`, `{"mode":"transcript","options":"x"}`} {
		if _, err := recordings.ParseStart([]byte(body)); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v, want invalid", body, err)
		}
	}
}

func TestMeetingTitleAndExpiry(t *testing.T) {
	at := time.Date(2026, 1, 2, 10, 30, 0, 0, time.UTC)
	if got := recordings.MeetingTitle("fr-fr", "Engineering Sync", at, "Europe/Paris"); got != `Réunion "Engineering Sync" du 2026-01-02 à 11:30` {
		t.Errorf("fr title %q", got)
	}
	if got := recordings.MeetingTitle("en-us", "Sync", at, ""); got != `Meeting "Sync" on 2026-01-02 at 10:30` {
		t.Errorf("en title %q", got)
	}
	r := &recordings.Recording{ID: "x", Mode: recordings.Transcript, CreatedAt: at}
	if r.Key() != "recordings/x.ogg" || r.ExpiredAt(0) != nil || r.IsExpired(0, at.AddDate(10, 0, 0)) {
		t.Fatal("key or expiry without expiration days")
	}
	if !r.IsExpired(2, at.AddDate(0, 0, 2)) || r.IsExpired(2, at.AddDate(0, 0, 1)) {
		t.Fatal("expiry after 2 days")
	}
}
