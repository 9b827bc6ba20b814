package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

var _ bot.Limiter = (*Limiter)(nil)

// Limiter paces sends across every instance with the generic cell rate algorithm: each key holds
// the theoretical arrival time of the next send, and a reservation returns how long to wait.
type Limiter struct {
	rdb    goredis.UniversalClient
	prefix string
	clock  lapak.Clock
}

// NewLimiter returns a Limiter under prefix.
func NewLimiter(rdb goredis.UniversalClient, prefix string, clock lapak.Clock) *Limiter {
	if clock == nil {
		clock = lapak.SystemClock{}
	}
	return &Limiter{rdb: rdb, prefix: prefix, clock: clock}
}

var reserveScript = goredis.NewScript(`
local now, every, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - (burst - 1) * every
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0') - now
if blocked > wait then wait = blocked end
if wait < 0 then wait = 0 end
local next = tat + every
if now + wait + every > next then next = now + wait + every end
redis.call('SET', KEYS[1], next, 'PX', next - now + 1000)
return wait`)

// Reserve takes the next slot of key's rate and returns how long to wait for it.
func (l *Limiter) Reserve(ctx context.Context, key string, every time.Duration, burst int) (time.Duration, error) {
	if burst < 1 {
		burst = 1
	}
	now := l.clock.Now().UnixMilli()
	wait, err := reserveScript.Run(ctx, l.rdb, []string{l.prefix + key, l.prefix + key + ":until"}, now, every.Milliseconds(), burst).Int64()
	if err != nil {
		return 0, fmt.Errorf("reserve %s: %w", key, err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

var blockScript = goredis.NewScript(`
local now, d = tonumber(ARGV[1]), tonumber(ARGV[2])
local until = tonumber(redis.call('GET', KEYS[1]) or '0')
if until < now + d then until = now + d end
redis.call('SET', KEYS[1], until, 'PX', until - now + 1000)
return until`)

// Block makes everyone sharing key wait at least d from now. Reservations made later wait behind it.
func (l *Limiter) Block(ctx context.Context, key string, d time.Duration) error {
	now := l.clock.Now().UnixMilli()
	if err := blockScript.Run(ctx, l.rdb, []string{l.prefix + key + ":until"}, now, d.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("block %s: %w", key, err)
	}
	return nil
}
