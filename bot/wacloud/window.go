package wacloud

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
)

// serviceWindow is how long after a user's last message Lapak may send them free-form messages
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages#customer-service-windows).
const serviceWindow = 24 * time.Hour

// windowMargin closes the window a little early, so a message sent at its very end does not
// reach Meta after it closed.
const windowMargin = time.Minute

// Window remembers when each chat's user last wrote, which opens or refreshes the 24-hour
// customer-service window. Touch never moves the time back; Last returns the zero time for a
// chat never seen (or not seen for 24 hours).
type Window interface {
	Touch(ctx context.Context, chat string, at time.Time) error
	Last(ctx context.Context, chat string) (time.Time, error)
}

// windowOpen reports whether a free-form message to chat is allowed now.
func (a *Adapter) windowOpen(ctx context.Context, chat string) (bool, error) {
	last, err := a.cfg.Window.Last(ctx, chat)
	if err != nil {
		return false, fmt.Errorf("customer service window of %s: %w", masked(chat), err)
	}
	return !last.IsZero() && a.cfg.Clock.Now().Sub(last) < serviceWindow-windowMargin, nil
}

// MemoryWindow keeps the times in memory, for tests and a single instance.
type MemoryWindow struct {
	mu   sync.Mutex
	last map[string]time.Time
}

var _ Window = (*MemoryWindow)(nil)

// NewMemoryWindow returns an empty MemoryWindow.
func NewMemoryWindow() *MemoryWindow { return &MemoryWindow{last: map[string]time.Time{}} }

// Touch records that chat's user wrote at at, unless they wrote later already.
func (w *MemoryWindow) Touch(_ context.Context, chat string, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if at.After(w.last[chat]) {
		w.last[chat] = at
	}
	return nil
}

// Last returns when chat's user last wrote, or the zero time.
func (w *MemoryWindow) Last(_ context.Context, chat string) (time.Time, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last[chat], nil
}

// RedisWindow keeps the times in Redis, shared by every instance, each for 24 hours after the
// message that set it.
type RedisWindow struct {
	rdb    goredis.UniversalClient
	prefix string
	clock  lapak.Clock
}

var _ Window = (*RedisWindow)(nil)

// NewRedisWindow returns times kept under prefix; clock tells the time their 24 hours count from.
func NewRedisWindow(rdb goredis.UniversalClient, prefix string, clock lapak.Clock) *RedisWindow {
	return &RedisWindow{rdb: rdb, prefix: prefix + "wacloud:window:", clock: clock}
}

// touchScript sets the time in milliseconds (ARGV[1]) unless a later one is stored, to expire
// after ARGV[2] milliseconds.
var touchScript = goredis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0`)

// Touch records that chat's user wrote at at, unless they wrote later already. A time more than
// 24 hours ago changes nothing.
func (w *RedisWindow) Touch(ctx context.Context, chat string, at time.Time) error {
	keep := at.Add(serviceWindow).Sub(w.clock.Now())
	if keep < time.Millisecond {
		return nil
	}
	err := touchScript.Run(ctx, w.rdb, []string{w.prefix + chat}, at.UnixMilli(), keep.Milliseconds()).Err()
	if err != nil && !errors.Is(err, goredis.Nil) {
		return fmt.Errorf("touch window: %w", err)
	}
	return nil
}

// Last returns when chat's user last wrote, or the zero time.
func (w *RedisWindow) Last(ctx context.Context, chat string) (time.Time, error) {
	raw, err := w.rdb.Get(ctx, w.prefix+chat).Result()
	if errors.Is(err, goredis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("load window: %w", err)
	}
	ms, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("decode window %q: %w", raw, err)
	}
	return time.UnixMilli(ms), nil
}
