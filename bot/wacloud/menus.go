package wacloud

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

// Menus remembers the options Lapak last offered in each chat, so that a number or a label typed
// back chooses one. Save with no options forgets the chat's menu.
type Menus interface {
	Save(ctx context.Context, chat string, opts []bot.Option) error
	Load(ctx context.Context, chat string) ([]bot.Option, error)
}

// menuTTL is how long a menu is remembered: as long as the customer-service window lasts.
const menuTTL = 24 * time.Hour

// chooseOption finds the option a typed text names among a menu: a label, compared without case
// and surrounding spaces, or else the option's number as the menu showed it. Labels win, so a
// menu of quantities (5, 10, 20) takes "10" as the label.
func chooseOption(menu []bot.Option, text string) (bot.Option, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return bot.Option{}, false
	}
	for _, o := range menu {
		if strings.EqualFold(strings.TrimSpace(o.Label), text) {
			return o, true
		}
	}
	n, err := strconv.Atoi(strings.TrimSuffix(text, "."))
	if err == nil && n >= 1 && n <= len(menu) {
		return menu[n-1], true
	}
	return bot.Option{}, false
}

// MemoryMenus keeps menus in memory, for tests and a single instance.
type MemoryMenus struct {
	clock lapak.Clock
	mu    sync.Mutex
	menus map[string]savedMenu
}

type savedMenu struct {
	opts  []bot.Option
	saved time.Time
}

var _ Menus = (*MemoryMenus)(nil)

// NewMemoryMenus returns an empty MemoryMenus whose menus expire after 24 hours by clock.
func NewMemoryMenus(clock lapak.Clock) *MemoryMenus {
	return &MemoryMenus{clock: clock, menus: map[string]savedMenu{}}
}

// Save remembers opts as chat's menu; no options forget it.
func (m *MemoryMenus) Save(_ context.Context, chat string, opts []bot.Option) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(opts) == 0 {
		delete(m.menus, chat)
		return nil
	}
	m.menus[chat] = savedMenu{opts: append([]bot.Option(nil), opts...), saved: m.clock.Now()}
	return nil
}

// Load returns chat's menu, or nil.
func (m *MemoryMenus) Load(_ context.Context, chat string) ([]bot.Option, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.menus[chat]
	if !ok || m.clock.Now().Sub(s.saved) >= menuTTL {
		return nil, nil
	}
	return append([]bot.Option(nil), s.opts...), nil
}

// RedisMenus keeps menus in Redis as JSON for 24 hours, shared by every instance.
type RedisMenus struct {
	rdb    goredis.UniversalClient
	prefix string
}

var _ Menus = (*RedisMenus)(nil)

// NewRedisMenus returns menus kept under prefix.
func NewRedisMenus(rdb goredis.UniversalClient, prefix string) *RedisMenus {
	return &RedisMenus{rdb: rdb, prefix: prefix + "wacloud:menu:"}
}

// Save remembers opts as chat's menu; no options forget it.
func (m *RedisMenus) Save(ctx context.Context, chat string, opts []bot.Option) error {
	if len(opts) == 0 {
		if err := m.rdb.Del(ctx, m.prefix+chat).Err(); err != nil {
			return fmt.Errorf("forget menu: %w", err)
		}
		return nil
	}
	raw, err := json.Marshal(opts)
	if err != nil {
		return fmt.Errorf("encode menu: %w", err)
	}
	if err := m.rdb.Set(ctx, m.prefix+chat, raw, menuTTL).Err(); err != nil {
		return fmt.Errorf("save menu: %w", err)
	}
	return nil
}

// Load returns chat's menu, or nil.
func (m *RedisMenus) Load(ctx context.Context, chat string) ([]bot.Option, error) {
	raw, err := m.rdb.Get(ctx, m.prefix+chat).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load menu: %w", err)
	}
	var opts []bot.Option
	if err := json.Unmarshal(raw, &opts); err != nil {
		return nil, fmt.Errorf("decode menu: %w", err)
	}
	return opts, nil
}
