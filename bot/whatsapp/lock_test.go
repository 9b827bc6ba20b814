package whatsapp

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak/storage/storagetest"
)

// testLock returns the test server's connection config and a fresh lock key, or skips the test
// without Postgres.
func testLock(t *testing.T) (*pgx.ConnConfig, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(storagetest.DSN())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		storagetest.Unavailable(t, "Postgres", err)
	}
	conn.Close(ctx)
	var b [8]byte
	rand.Read(b[:])
	return cfg, int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

func TestLockLetsOneInstanceConnect(t *testing.T) {
	ctx := context.Background()
	cfg, key := testLock(t)
	first, second := NewLock(cfg, key), NewLock(cfg, key)
	t.Cleanup(func() { first.Release(ctx); second.Release(ctx) })

	if ok, err := first.TryAcquire(ctx); !ok || err != nil {
		t.Fatalf("first instance: %v, %v", ok, err)
	}
	if ok, err := first.TryAcquire(ctx); !ok || err != nil {
		t.Errorf("taking a held lock again: %v, %v", ok, err)
	}
	if ok, err := second.TryAcquire(ctx); ok || err != nil {
		t.Fatalf("second instance took a held lock: %v, %v", ok, err)
	}
	if err := first.Check(ctx); err != nil {
		t.Errorf("held lock: %v", err)
	}
	if err := first.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := second.TryAcquire(ctx); !ok || err != nil {
		t.Errorf("second instance after release: %v, %v", ok, err)
	}
	if err := first.Check(ctx); err == nil {
		t.Error("a released lock checks as held")
	}
}

func TestLockLostWithItsConnection(t *testing.T) {
	ctx := context.Background()
	cfg, key := testLock(t)
	holder, standby := NewLock(cfg, key), NewLock(cfg, key)
	t.Cleanup(func() { holder.Release(ctx); standby.Release(ctx) })
	if ok, err := holder.TryAcquire(ctx); !ok || err != nil {
		t.Fatalf("take: %v, %v", ok, err)
	}
	pid := holder.conn.PgConn().PID()

	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}

	if err := holder.Check(ctx); err == nil {
		t.Fatal("a lock whose connection was killed checks as held")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, err := standby.TryAcquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the standby never took the lock over")
		}
	}
	if ok, err := holder.TryAcquire(ctx); ok || err != nil {
		t.Errorf("the old holder took the lock back while the standby holds it: %v, %v", ok, err)
	}
}
