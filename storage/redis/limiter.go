package redis

import (
	"context"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

var (
	_ bot.Limiter      = (*Limiter)(nil)
	_ bot.MultiLimiter = (*Limiter)(nil)
)

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

// reserveScript takes a slot in each rate: KEYS holds a rate's key then its block key, for each
// rate; ARGV holds now, then every and burst for each rate. It returns the longest wait.
var reserveScript = goredis.NewScript(`
local now, longest = tonumber(ARGV[1]), 0
for i = 1, #KEYS / 2 do
  local every, burst = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  if tat < now then tat = now end
  local wait = tat - now - (burst - 1) * every
  local blocked = tonumber(redis.call('GET', KEYS[2 * i]) or '0') - now
  if blocked > wait then wait = blocked end
  if wait < 0 then wait = 0 end
  local next = tat + every
  if now + wait + every > next then next = now + wait + every end
  redis.call('SET', KEYS[2 * i - 1], next, 'PX', next - now + 1000)
  if wait > longest then longest = wait end
end
return longest`)

// Reserve takes the next slot of key's rate and returns how long to wait for it.
func (l *Limiter) Reserve(ctx context.Context, key string, every time.Duration, burst int) (time.Duration, error) {
	return l.ReserveAll(ctx, []bot.Limit{{Key: key, Rate: bot.Rate{Every: every, Burst: burst}}})
}

// ReserveAll takes the next slot of every limit's rate in one round trip, and returns the longest
// wait among them. On a Redis Cluster the keys must hash to one slot.
func (l *Limiter) ReserveAll(ctx context.Context, limits []bot.Limit) (time.Duration, error) {
	names := make([]string, 0, len(limits))
	keys := make([]string, 0, 2*len(limits))
	args := make([]any, 1, 1+2*len(limits))
	args[0] = l.clock.Now().UnixMilli()
	for _, lim := range limits {
		names = append(names, lim.Key)
		keys = append(keys, l.prefix+lim.Key, l.prefix+lim.Key+":until")
		args = append(args, lim.Rate.Every.Milliseconds(), max(lim.Rate.Burst, 1))
	}
	wait, err := reserveScript.Run(ctx, l.rdb, keys, args...).Int64()
	if err != nil {
		return 0, fmt.Errorf("reserve %s: %w", strings.Join(names, " and "), err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

var blockScript = goredis.NewScript(`
local now, d = tonumber(ARGV[1]), tonumber(ARGV[2])
local blocked = tonumber(redis.call('GET', KEYS[1]) or '0')
if blocked < now + d then blocked = now + d end
redis.call('SET', KEYS[1], blocked, 'PX', blocked - now + 1000)
return blocked`)

// Block makes everyone sharing key wait at least d from now. Reservations made later wait behind it.
func (l *Limiter) Block(ctx context.Context, key string, d time.Duration) error {
	now := l.clock.Now().UnixMilli()
	if err := blockScript.Run(ctx, l.rdb, []string{l.prefix + key + ":until"}, now, d.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("block %s: %w", key, err)
	}
	return nil
}
