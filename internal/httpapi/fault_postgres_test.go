package httpapi_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"meet/internal/storage"
)

// unanswered is the body of a request that met a silent or absent database.
var unanswered = map[string]any{"detail": storage.UnansweredMessage}

// TestPostgresFaults freezes (SIGSTOP) then kills a PostgreSQL server of the
// test's own while rooms are being created: requests are answered 503 with
// a clear body within 2 s, the server recovers by itself once PostgreSQL is
// back, and every room acknowledged with 201 exists afterwards.
func TestPostgresFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test skipped in -short mode")
	}
	pg := startThrowawayPostgres(t)
	env := newFaultEnv(t, pg.dsn())
	owner := env.signIn(t, env.newUser(t, "olive"))
	load := startRoomLoad(t, owner, 4)

	probe := func(phase string) {
		t.Helper()
		start := time.Now()
		r := owner.do(t, "POST", "/rooms/", map[string]any{"name": "probe"})
		took := time.Since(start)
		expect(t, r, 503, unanswered)
		if took > 2*time.Second {
			t.Errorf("%s: answered after %v, want within 2 s", phase, took)
		}
		t.Logf("%s: 503 after %v", phase, took)
	}
	recovered := func(phase string) {
		t.Helper()
		start := time.Now()
		deadline := start.Add(15 * time.Second)
		for {
			r := owner.do(t, "POST", "/rooms/", map[string]any{"name": "after " + phase})
			if r.status == 201 {
				t.Logf("%s: recovered %v after the database came back", phase, time.Since(start))
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: still %d %s 15 s after the database came back", phase, r.status, r.body)
			}
			time.Sleep(50 * time.Millisecond) // polling interval, bounded by the deadline above
		}
	}

	pg.signal(syscall.SIGSTOP)
	probe("frozen")
	probe("still frozen")
	pg.signal(syscall.SIGCONT)
	recovered("thawed")

	pg.kill()
	probe("killed")
	pg.start()
	recovered("restarted")

	acked, statuses := load.finish()
	t.Logf("load answers by status: %v", statuses)
	for status := range statuses {
		if status != 201 && status != 503 {
			t.Errorf("the load got %d answers %d, want only 201 and 503", statuses[status], status)
		}
	}
	if statuses[201] == 0 || statuses[503] == 0 {
		t.Errorf("load answers %v: the faults did not happen under load", statuses)
	}
	for _, id := range acked {
		if _, err := env.db.RoomByID(context.Background(), id); err != nil {
			t.Errorf("room %s was acknowledged with 201 but is lost: %v", id, err)
		}
	}
}
