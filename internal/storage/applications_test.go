package storage_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/applications"
	"meet/internal/storage"
)

func TestApplicationCRUD(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		list, err := db.ListApplications(ctx)
		must(t, err)
		if list == nil || len(list) != 0 {
			t.Fatalf("empty ListApplications = %v, want an empty list", list)
		}
		a := &applications.Application{
			Name: "Calendar", ClientID: "client-a", SecretHash: applications.HashSecret("s3cret"),
			Scopes:  []applications.Scope{applications.ScopeRoomsList, applications.ScopeRoomsCreate},
			Domains: []string{"example.org", "example.com"}, IsActive: true,
		}
		must(t, db.CreateApplication(ctx, a))
		if a.ID == "" || a.CreatedAt.IsZero() || !a.CreatedAt.Equal(a.UpdatedAt) {
			t.Fatalf("created application = %+v, want an id and timestamps", a)
		}
		b := &applications.Application{Name: "Chat", ClientID: "client-b", SecretHash: applications.HashSecret("x"), IsActive: true}
		must(t, db.CreateApplication(ctx, b))

		got, err := db.ApplicationByClientID(ctx, "client-a")
		must(t, err)
		want := *a
		want.Domains = []string{"example.com", "example.org"} // read back sorted
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Fatalf("by client id (-want +got):\n%s", diff)
		}

		a.Name, a.IsActive, a.SecretHash = "Calendar 2", false, applications.HashSecret("new")
		a.Scopes, a.Domains = []applications.Scope{applications.ScopeRoomsRetrieve}, []string{"example.net"}
		must(t, db.UpdateApplication(ctx, a))
		got, err = db.ApplicationByClientID(ctx, "client-a")
		must(t, err)
		if diff := cmp.Diff(a, got); diff != "" {
			t.Fatalf("after update (-want +got):\n%s", diff)
		}
		if !got.UpdatedAt.After(got.CreatedAt) {
			t.Fatalf("updated_at %v not after created_at %v", got.UpdatedAt, got.CreatedAt)
		}
		if applications.SecretMatches("s3cret", got.SecretHash) || !applications.SecretMatches("new", got.SecretHash) {
			t.Fatal("stored secret hash does not follow the rotation")
		}

		list, err = db.ListApplications(ctx)
		must(t, err)
		var ids []string
		for _, x := range list {
			ids = append(ids, x.ClientID)
		}
		if diff := cmp.Diff([]string{"client-b", "client-a"}, ids); diff != "" {
			t.Fatalf("ListApplications order (-want +got):\n%s", diff)
		}
	})
}

func TestApplicationErrors(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		must(t, db.CreateApplication(ctx, &applications.Application{Name: "A", ClientID: "dup", SecretHash: "h", IsActive: true}))
		err := db.CreateApplication(ctx, &applications.Application{Name: "B", ClientID: "dup", SecretHash: "h"})
		wantErr(t, err, apperr.Conflict, "An application with this client id already exists.")
		_, err = db.ApplicationByClientID(ctx, "nobody")
		wantErr(t, err, apperr.NotFound, "")
		wantErr(t, db.UpdateApplication(ctx, &applications.Application{ID: unknownID}), apperr.NotFound, "")
		// A duplicate domain is refused and nothing of the update is kept.
		a, err := db.ApplicationByClientID(ctx, "dup")
		must(t, err)
		a.Name, a.Domains = "Renamed", []string{"example.org", "example.org"}
		if err := db.UpdateApplication(ctx, a); err == nil {
			t.Fatal("duplicate domains were stored")
		}
		got, err := db.ApplicationByClientID(ctx, "dup")
		must(t, err)
		if got.Name != "A" || len(got.Domains) != 0 {
			t.Fatalf("failed update left %+v", got)
		}
	})
}
