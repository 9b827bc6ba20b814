// Package menus remembers the options Lapak last offered in each chat, by chat ID, for channels
// that show options as a numbered text menu (WhatsApp linked devices, and WhatsApp Cloud menus too
// long for a list), so that a typed number or label maps back to its option. Menus live in memory or in
// Redis; losing them only means a typed "2" is read as text and the question is asked again.
package menus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Match finds the option text chooses from opts: its label, ignoring case and extra spaces, or
// else its number in the menu, counted from 1 ("2", "2.", "2)"). Labels win, so in a menu of
// quantities (5, 10, 20) "10" is the label, not the tenth line.
func Match(opts []bot.Option, text string) (bot.Option, bool) {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return bot.Option{}, false
	}
	for _, o := range opts {
		if strings.EqualFold(strings.Join(strings.Fields(o.Label), " "), text) {
			return o, true
		}
	}
	num := strings.TrimRight(text, ".)")
	if n, err := strconv.Atoi(num); err == nil && n >= 1 && n <= len(opts) && num == strconv.Itoa(n) {
		return opts[n-1], true
	}
	return bot.Option{}, false
}

// Memory keeps menus in this process. It suits tests and a single instance; menus are lost on
// restart.
type Memory struct {
	ttl   time.Duration
	clock lapak.Clock
	mu    sync.Mutex
	menus map[string]memoryMenu
}

type memoryMenu struct {
	opts    []bot.Option
	expires time.Time
}

// NewMemory returns menus that are forgotten ttl after they were saved. A nil clock is the wall
// clock.
func NewMemory(ttl time.Duration, clock lapak.Clock) *Memory {
	if clock == nil {
		clock = lapak.SystemClock{}
	}
	return &Memory{ttl: ttl, clock: clock, menus: make(map[string]memoryMenu)}
}

// sweepAt is how many menus Memory holds before a save drops the expired ones.
const sweepAt = 1024

// Save remembers opts as chat's menu; no options forget it.
func (m *Memory) Save(_ context.Context, chat string, opts []bot.Option) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	if len(m.menus) >= sweepAt {
		for k, v := range m.menus {
			if !now.Before(v.expires) {
				delete(m.menus, k)
			}
		}
	}
	if len(opts) == 0 {
		delete(m.menus, chat)
		return nil
	}
	m.menus[chat] = memoryMenu{opts: append([]bot.Option(nil), opts...), expires: now.Add(m.ttl)}
	return nil
}

// Load returns chat's menu, or nil when there is none.
func (m *Memory) Load(_ context.Context, chat string) ([]bot.Option, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.menus[chat]
	if !ok || !m.clock.Now().Before(v.expires) {
		return nil, nil
	}
	return append([]bot.Option(nil), v.opts...), nil
}

// Redis keeps menus in Redis as JSON under prefix + "menu:" + chat, so every instance sees them.
// Give each channel its own prefix when their chat IDs could meet.
type Redis struct {
	rdb    goredis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewRedis returns menus kept in rdb under prefix, expiring ttl after they were saved.
func NewRedis(rdb goredis.UniversalClient, prefix string, ttl time.Duration) *Redis {
	return &Redis{rdb: rdb, prefix: prefix + "menu:", ttl: ttl}
}

// Save remembers opts as chat's menu; no options forget it.
func (r *Redis) Save(ctx context.Context, chat string, opts []bot.Option) error {
	key := r.prefix + chat
	if len(opts) == 0 {
		if err := r.rdb.Del(ctx, key).Err(); err != nil {
			return fmt.Errorf("forget menu: %w", err)
		}
		return nil
	}
	raw, err := json.Marshal(opts)
	if err != nil {
		return fmt.Errorf("encode menu: %w", err)
	}
	if err := r.rdb.Set(ctx, key, raw, r.ttl).Err(); err != nil {
		return fmt.Errorf("save menu: %w", err)
	}
	return nil
}

// Load returns chat's menu, or nil when there is none. A menu that no longer decodes is none.
func (r *Redis) Load(ctx context.Context, chat string) ([]bot.Option, error) {
	raw, err := r.rdb.Get(ctx, r.prefix+chat).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load menu: %w", err)
	}
	var opts []bot.Option
	if json.Unmarshal(raw, &opts) != nil {
		return nil, nil
	}
	return opts, nil
}
