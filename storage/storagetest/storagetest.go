// Package storagetest gives each test its own Postgres schema with Lapak's and River's migrations
// applied, so test packages run in parallel against one real server. With CI=true a missing
// Postgres fails the test instead of skipping it.
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lapak-id/lapak/storage"
)

// DSN is the test server: TEST_DATABASE_URL, by default the local server's "test" database.
func DSN() string {
	if dsn := os.Getenv("TEST_DATABASE_URL"); dsn != "" {
		return dsn
	}
	return "postgres://root@127.0.0.1:5432/test?sslmode=disable"
}

// Unavailable fails the test under CI and skips it elsewhere.
func Unavailable(t testing.TB, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required in CI: %v", what, err)
	}
	t.Skipf("%s unavailable: %v", what, err)
}

// Schema creates a fresh schema, migrated, and returns its name and a DSN whose connections use it.
// The schema is dropped when the test ends.
func Schema(t testing.TB) (name, dsn string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, DSN())
	if err != nil {
		Unavailable(t, "Postgres", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name = "t_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, DSN())
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP SCHEMA "+name+" CASCADE") //nolint:errcheck // best effort
	})
	sep := "?"
	if strings.Contains(DSN(), "?") {
		sep = "&"
	}
	// public stays on the path: extensions such as pg_trgm live there, shared by every schema.
	return name, DSN() + sep + "search_path=" + name + ",public"
}

// Pool returns a pool on a fresh migrated schema, closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	_, dsn := Schema(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	if _, err := storage.Migrate(ctx, pool); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return pool
}
