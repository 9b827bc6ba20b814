package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/storage/storagetest"
)

func TestStoreNotPaired(t *testing.T) {
	ctx := context.Background()
	_, dsn := storagetest.Schema(t)
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()

	s, err := OpenStore(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var tables int
	pool.QueryRow(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'whatsmeow_%'").Scan(&tables)
	if tables < 10 {
		t.Errorf("%d whatsmeow tables in the test schema", tables)
	}
	if _, err := OpenStore(ctx, db, nil); err != nil {
		t.Errorf("opening the store again: %v", err)
	}
	if _, err := s.Device(ctx); !errors.Is(err, ErrNotPaired) {
		t.Errorf("Device = %v, want ErrNotPaired", err)
	}

	cfg, key := testLock(t)
	a := New(Config{Store: s, Lock: NewLock(cfg, key)})
	if err := a.Start(ctx, &fakeDispatcher{}); !errors.Is(err, ErrNotPaired) {
		t.Errorf("Start = %v, want ErrNotPaired", err)
	}
	defer a.Stop()
	if err := a.Send(ctx, customer, bot.Reply{Text: "Halo"}); !errors.Is(err, ErrNotPaired) {
		t.Errorf("Send = %v, want ErrNotPaired", err)
	}
}

// fakeConn records connects and disconnects.
type fakeConn struct {
	mu         sync.Mutex
	connects   int
	disconnect int
}

func (c *fakeConn) ConnectContext(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.connects++
	return nil
}

func (c *fakeConn) Disconnect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.disconnect++
}

func (c *fakeConn) counts() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connects, c.disconnect
}

// syncBuffer is a log both the adapter and the test use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// eventually polls cond until it holds, or fails the test after a few seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// leading runs the adapter's connection loop over c, as Start does, until the returned stop.
func leading(a *Adapter, c conn) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	a.done = make(chan struct{})
	go a.lead(ctx, c)
	return func() { cancel(); <-a.done }
}

func TestOneInstanceOwnsTheConnection(t *testing.T) {
	cfg, key := testLock(t)
	var log1, log2 syncBuffer
	first := New(Config{Lock: NewLock(cfg, key), LockRetry: 10 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&log1, nil))})
	second := New(Config{Lock: NewLock(cfg, key), LockRetry: 10 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&log2, nil))})
	c1, c2 := &fakeConn{}, &fakeConn{}

	stop1 := leading(first, c1)
	eventually(t, "the first instance connects", func() bool { n, _ := c1.counts(); return n == 1 })
	stop2 := leading(second, c2)
	defer stop2()
	eventually(t, "the second instance sees the lock taken", func() bool {
		return strings.Contains(log2.String(), "another Lapak instance owns the WhatsApp connection")
	})
	if n, _ := c2.counts(); n != 0 {
		t.Fatal("the second instance connected while the first held the lock")
	}

	stop1()
	if n, d := c1.counts(); n != 1 || d != 1 {
		t.Errorf("first instance connected %d and disconnected %d times, want once each", n, d)
	}
	eventually(t, "the second instance takes over", func() bool { n, _ := c2.counts(); return n == 1 })
}
