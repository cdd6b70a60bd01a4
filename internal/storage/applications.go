package storage

import (
	"context"
	"strings"

	"meet/internal/apperr"
	"meet/internal/applications"
)

// ucApplicationClientID is the unique constraint on client ids.
const ucApplicationClientID = "applications_client_id_key"

const applicationColumns = "id, name, client_id, secret_hash, scopes, is_active, created_at, updated_at"

// CreateApplication stores a new application and its domains. Empty ID and
// timestamps are filled in. A taken client id is apperr.Conflict.
func (db *DB) CreateApplication(ctx context.Context, a *applications.Application) error {
	if a.ID == "" {
		a.ID = newID()
	}
	now := db.timestamp()
	return db.write(ctx, "create application", func(t *txn) error {
		_, err := t.exec(ctx, "INSERT INTO applications ("+applicationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Name, a.ClientID, a.SecretHash, scopeText(a.Scopes), a.IsActive, now, now)
		if c, ok := db.d.uniqueViolation(err); ok && c == ucApplicationClientID {
			return apperr.Wrap(apperr.Conflict, "An application with this client id already exists.", err)
		}
		if err != nil {
			return err
		}
		if err := insertDomains(ctx, t, a); err != nil {
			return err
		}
		a.CreatedAt, a.UpdatedAt = now, now
		return nil
	})
}

// UpdateApplication saves an application's name, secret hash, scopes, active
// flag and domains, and stamps updated_at. It returns apperr.NotFound for an
// unknown application.
func (db *DB) UpdateApplication(ctx context.Context, a *applications.Application) error {
	now := db.timestamp()
	return db.write(ctx, "update application", func(t *txn) error {
		res, err := t.exec(ctx, `UPDATE applications SET name = ?, secret_hash = ?, scopes = ?, is_active = ?, updated_at = ?
			WHERE id = ?`, a.Name, a.SecretHash, scopeText(a.Scopes), a.IsActive, now, a.ID)
		if err != nil {
			return err
		}
		if err := mustAffect(res, "No application matches the given query."); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM application_domains WHERE application_id = ?", a.ID); err != nil {
			return err
		}
		if err := insertDomains(ctx, t, a); err != nil {
			return err
		}
		a.UpdatedAt = now
		return nil
	})
}

func insertDomains(ctx context.Context, t *txn, a *applications.Application) error {
	for _, d := range a.Domains {
		if _, err := t.exec(ctx, "INSERT INTO application_domains (application_id, domain) VALUES (?, ?)", a.ID, d); err != nil {
			return err
		}
	}
	return nil
}

// ApplicationByClientID returns the application with that client id, with
// its domains, or apperr.NotFound.
func (db *DB) ApplicationByClientID(ctx context.Context, clientID string) (*applications.Application, error) {
	var list []applications.Application
	err := db.read(ctx, "application by client id", func(t *txn) error {
		var err error
		list, err = queryApplications(ctx, t, "WHERE client_id = ?", clientID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, "No application matches the given query.")
	}
	return &list[0], nil
}

// ListApplications returns every application with its domains, newest first.
func (db *DB) ListApplications(ctx context.Context) ([]applications.Application, error) {
	var list []applications.Application
	err := db.read(ctx, "list applications", func(t *txn) error {
		var err error
		list, err = queryApplications(ctx, t, "ORDER BY created_at DESC, id")
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// queryApplications selects applications and then their domains (sorted);
// tail is the WHERE/ORDER BY part of the first query.
func queryApplications(ctx context.Context, t *txn, tail string, args ...any) ([]applications.Application, error) {
	rows, err := t.query(ctx, "SELECT "+applicationColumns+" FROM applications "+tail, args...)
	if err != nil {
		return nil, err
	}
	list := []applications.Application{}
	for rows.Next() {
		var (
			a      applications.Application
			scopes string
		)
		if err := rows.Scan(&a.ID, &a.Name, &a.ClientID, &a.SecretHash, &scopes, &a.IsActive,
			timeValue{&a.CreatedAt}, timeValue{&a.UpdatedAt}); err != nil {
			rows.Close()
			return nil, err
		}
		for _, s := range strings.Fields(scopes) {
			a.Scopes = append(a.Scopes, applications.Scope(s))
		}
		list = append(list, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range list {
		drows, err := t.query(ctx, "SELECT domain FROM application_domains WHERE application_id = ? ORDER BY domain"+t.d.binaryCollation(), list[i].ID)
		if err != nil {
			return nil, err
		}
		for drows.Next() {
			var d string
			if err := drows.Scan(&d); err != nil {
				drows.Close()
				return nil, err
			}
			list[i].Domains = append(list[i].Domains, d)
		}
		drows.Close()
		if err := drows.Err(); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// scopeText is the stored form of scopes: space-separated.
func scopeText(scopes []applications.Scope) string {
	parts := make([]string, len(scopes))
	for i, s := range scopes {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}
