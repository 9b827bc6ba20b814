package whatsapp

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
)

// Refusals of the ban-risk rules. Sending the same message again will not help.
var (
	// ErrUnsolicited refuses to write to a chat that never wrote to the store: Lapak never starts
	// a conversation on WhatsApp.
	ErrUnsolicited = errors.New("whatsapp: refused to write first to a chat that never wrote to the store")
	// ErrBulk refuses to send the same text to more chats within Rules.BulkWindow than
	// Rules.BulkLimit, other than as an answer to what they just wrote.
	ErrBulk = errors.New("whatsapp: refused to send the same text to more chats")
)

// Rules are the ban-risk rules Send enforces on top of the pacing of bot.PacedSender.
type Rules struct {
	// ReplyWindow is how long after a chat last wrote a message to it counts as an answer, which
	// the bulk rule lets through. Default 10 minutes.
	ReplyWindow time.Duration
	// BulkLimit is how many chats may get the same text within BulkWindow other than as an
	// answer. Default 5.
	BulkLimit int
	// BulkWindow is the window of BulkLimit. Default 10 minutes.
	BulkWindow time.Duration
}

func (r Rules) withDefaults() Rules {
	if r.ReplyWindow <= 0 {
		r.ReplyWindow = 10 * time.Minute
	}
	if r.BulkLimit <= 0 {
		r.BulkLimit = 5
	}
	if r.BulkWindow <= 0 {
		r.BulkWindow = 10 * time.Minute
	}
	return r
}

// Seen remembers when each chat last wrote to the store, by chat ID.
type Seen interface {
	Saw(ctx context.Context, chat string, at time.Time) error
	LastSeen(ctx context.Context, chat string) (at time.Time, ok bool, err error)
}

// guard enforces Rules: only chats that wrote first, and no identical text to many chats.
type guard struct {
	rules Rules
	seen  Seen
	clock lapak.Clock

	mu   sync.Mutex
	sent map[[sha256.Size]byte][]bulkSend // identical texts sent other than as answers, in the window
}

type bulkSend struct {
	chat string
	at   time.Time
}

func newGuard(rules Rules, seen Seen, clock lapak.Clock) *guard {
	return &guard{rules: rules.withDefaults(), seen: seen, clock: clock, sent: make(map[[sha256.Size]byte][]bulkSend)}
}

// allow reports whether body may be sent to chat now, and counts it when it is not an answer.
func (g *guard) allow(ctx context.Context, chat, body string) error {
	last, ok, err := g.seen.LastSeen(ctx, chat)
	if err != nil {
		return fmt.Errorf("check that the chat wrote first: %w", err)
	}
	if !ok {
		return ErrUnsolicited
	}
	now := g.clock.Now()
	if now.Sub(last) <= g.rules.ReplyWindow {
		return nil
	}
	return g.count(sha256.Sum256([]byte(body)), chat, now)
}

// count records body going to chat, refusing it when BulkLimit other chats got it in the window.
// The same text to the same chat again is not bulk.
func (g *guard) count(body [sha256.Size]byte, chat string, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for k, sends := range g.sent {
		fresh := sends[:0]
		for _, s := range sends {
			if now.Sub(s.at) < g.rules.BulkWindow {
				fresh = append(fresh, s)
			}
		}
		if len(fresh) == 0 {
			delete(g.sent, k)
		} else {
			g.sent[k] = fresh
		}
	}
	sends := g.sent[body]
	for i := range sends {
		if sends[i].chat == chat {
			sends[i].at = now
			return nil
		}
	}
	if len(sends) >= g.rules.BulkLimit {
		return fmt.Errorf("%w: %d chats got it in the last %s", ErrBulk, len(sends), g.rules.BulkWindow)
	}
	g.sent[body] = append(sends, bulkSend{chat: chat, at: now})
	return nil
}

// MemorySeen keeps Seen in this process: chats that wrote before a restart must write again.
type MemorySeen struct {
	ttl   time.Duration
	clock lapak.Clock
	mu    sync.Mutex
	last  map[string]time.Time
}

// NewMemorySeen returns a Seen that forgets a chat ttl after it last wrote. A nil clock is the
// wall clock.
func NewMemorySeen(ttl time.Duration, clock lapak.Clock) *MemorySeen {
	if clock == nil {
		clock = lapak.SystemClock{}
	}
	return &MemorySeen{ttl: ttl, clock: clock, last: make(map[string]time.Time)}
}

// sweepAt is how many chats MemorySeen holds before a write drops the forgotten ones.
const sweepAt = 1024

// Saw records that chat wrote at at.
func (m *MemorySeen) Saw(_ context.Context, chat string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.last) >= sweepAt {
		now := m.clock.Now()
		for c, t := range m.last {
			if now.Sub(t) >= m.ttl {
				delete(m.last, c)
			}
		}
	}
	if at.After(m.last[chat]) {
		m.last[chat] = at
	}
	return nil
}

// LastSeen returns when chat last wrote, if it did within the ttl.
func (m *MemorySeen) LastSeen(_ context.Context, chat string) (time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.last[chat]
	if !ok || m.clock.Now().Sub(t) >= m.ttl {
		return time.Time{}, false, nil
	}
	return t, true, nil
}

// RedisSeen keeps Seen in Redis under prefix + "whatsapp:seen:" + chat, so it outlives restarts.
type RedisSeen struct {
	rdb    goredis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewRedisSeen returns a Seen in rdb under prefix that forgets a chat ttl after it last wrote.
func NewRedisSeen(rdb goredis.UniversalClient, prefix string, ttl time.Duration) *RedisSeen {
	return &RedisSeen{rdb: rdb, prefix: prefix + "whatsapp:seen:", ttl: ttl}
}

// Saw records that chat wrote at at.
func (r *RedisSeen) Saw(ctx context.Context, chat string, at time.Time) error {
	if err := r.rdb.Set(ctx, r.prefix+chat, at.UnixMilli(), r.ttl).Err(); err != nil {
		return fmt.Errorf("remember whatsapp chat: %w", err)
	}
	return nil
}

// LastSeen returns when chat last wrote, if it did within the ttl.
func (r *RedisSeen) LastSeen(ctx context.Context, chat string) (time.Time, bool, error) {
	v, err := r.rdb.Get(ctx, r.prefix+chat).Result()
	if errors.Is(err, goredis.Nil) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("look up whatsapp chat: %w", err)
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(ms), true, nil
}
