package whatsapp

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// LockKey is the advisory lock Lapak's instances take before connecting to WhatsApp: "LAPAKWA"
// in ASCII. Advisory locks belong to a database, so Lapaks on different databases don't meet.
const LockKey int64 = 0x4C4150414B5741

// Lock is a Postgres advisory lock that lets one Lapak instance own the WhatsApp connection: two
// connections with the same keys replace each other, and WhatsApp notices. It is taken at session
// level on a connection of its own, so it lasts exactly as long as that connection: when the
// process dies, Postgres closes the connection and releases the lock.
type Lock struct {
	cfg *pgx.ConnConfig
	key int64

	mu   sync.Mutex
	conn *pgx.Conn // holds the lock while not nil
}

// NewLock returns the lock key over connections made with cfg (pgx.ParseConfig of DATABASE_URL).
// It does no I/O.
func NewLock(cfg *pgx.ConnConfig, key int64) *Lock {
	return &Lock{cfg: cfg, key: key}
}

// TryAcquire takes the lock, and reports false when another session holds it. Taking a lock
// already held is a no-op.
func (l *Lock) TryAcquire(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn != nil {
		return true, nil
	}
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return false, fmt.Errorf("connect to take the whatsapp lock: %w", err)
	}
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", l.key).Scan(&ok); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return false, fmt.Errorf("take the whatsapp lock: %w", err)
	}
	if !ok {
		return false, conn.Close(ctx)
	}
	l.conn = conn
	return true, nil
}

// Check returns an error when the lock was lost: its connection no longer answers, so Postgres
// may have given the lock to another instance.
func (l *Lock) Check(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return fmt.Errorf("whatsapp lock not held")
	}
	if _, err := l.conn.Exec(ctx, "SELECT 1"); err != nil {
		l.conn.Close(context.WithoutCancel(ctx))
		l.conn = nil
		return fmt.Errorf("whatsapp lock lost: %w", err)
	}
	return nil
}

// Release gives the lock up by closing its connection. Releasing a lock not held is a no-op.
func (l *Lock) Release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return nil
	}
	err := l.conn.Close(ctx)
	l.conn = nil
	if err != nil {
		return fmt.Errorf("release the whatsapp lock: %w", err)
	}
	return nil
}
