package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The optional suites and where they are looked for when their variable is
// unset.
const (
	envDatabase     = "MEET_TEST_DATABASE_URL"
	envRedis        = "MEET_TEST_REDIS_URL"
	defaultDatabase = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedis    = "redis://127.0.0.1:6379/0"
	redisAddr       = "127.0.0.1:6379"
)

// optionalSuites says, for PostgreSQL and Redis, whether their suites run,
// and returns the variables to add to the tests' environment: the default
// address of each that answers and whose variable is unset.
func optionalSuites(ctx context.Context, getenv func(string) string, w io.Writer) []string {
	var env []string
	suite := func(name, key, def string, ping func(context.Context) error) {
		if v := getenv(key); v != "" {
			fmt.Fprintf(w, "%s suites: on (%s from the environment)\n", name, key)
			return
		}
		if err := ping(ctx); err != nil {
			fmt.Fprintf(w, "%s suites: SKIPPED, nothing answers at %s (%v); set %s to use another server\n", name, def, err, key)
			return
		}
		fmt.Fprintf(w, "%s suites: on (%s)\n", name, def)
		env = append(env, key+"="+def)
	}
	suite("PostgreSQL", envDatabase, defaultDatabase, pingPostgres)
	suite("Redis", envRedis, defaultRedis, pingRedis)
	return env
}

// pingPostgres connects to the default database as user postgres.
func pingPostgres(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, defaultDatabase)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

// pingRedis sends PING in Redis's protocol and expects +PONG.
func pingRedis(ctx context.Context) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", redisAddr)
	if err != nil {
		return err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	} else {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	}
	if _, err := io.WriteString(c, "PING\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", strings.TrimSpace(line))
	}
	return nil
}
