package flows

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// UserChanges counts the changes engines make to users (a language, a role, a reseller
// registration) in one count that every instance reads, so that each engine knows when what it
// remembers of users may be out of date.
type UserChanges interface {
	// Changed counts one more change, made just before, and returns the count.
	Changed(ctx context.Context) (int64, error)
	// Count returns the changes counted so far.
	Count(ctx context.Context) (int64, error)
}

// localChanges counts the changes of one engine, for an engine that shares no count.
type localChanges struct{ n atomic.Int64 }

func (c *localChanges) Changed(context.Context) (int64, error) { return c.n.Add(1), nil }
func (c *localChanges) Count(context.Context) (int64, error)   { return c.n.Load(), nil }

// changeCount is the count of user changes an engine last read, and when it read it.
type changeCount struct {
	n  atomic.Int64
	at atomic.Int64 // on the engine's clock, in Unix nanoseconds
}

// recount is how often an engine reads the count of user changes that instances share, at most.
const recount = 50 * time.Millisecond

// countUserChanges reads the count of user changes, unless it was read less than recount ago or
// another message is reading it.
func (e *Engine) countUserChanges(ctx context.Context) error {
	now, last := e.cfg.Clock.Now().UnixNano(), e.userChanges.at.Load()
	if (now >= last && now-last < int64(recount)) || !e.userChanges.at.CompareAndSwap(last, now) {
		return nil
	}
	n, err := e.cfg.UserChanges.Count(ctx)
	if err != nil {
		e.userChanges.at.Store(0)
		return fmt.Errorf("count user changes: %w", err)
	}
	e.userChanges.n.Store(n)
	return nil
}

// recent remembers values read lately, each for the TTL from its read and only while the count of
// user changes is the one it was read at. forget drops them all, and a read that began before a
// forget is not kept, so a change the engine made never hides behind an older read. A nil *recent
// remembers nothing.
type recent[K comparable, V any] struct {
	ttl      time.Duration
	mu       sync.Mutex
	forgets  uint64
	cur, old map[K]recentValue[V]
	rotated  time.Time // when cur began; old, older than a TTL, is dropped a TTL later
}

type recentValue[V any] struct {
	v       V
	changes int64 // the count of user changes it was read at
	expires time.Time
}

// stamp is when a read began: the count of user changes and the cache's forgets then.
type stamp struct {
	changes int64
	forgets uint64
}

// newRecent returns a cache keeping values for ttl, or nil when ttl is not positive.
func newRecent[K comparable, V any](ttl time.Duration) *recent[K, V] {
	if ttl <= 0 {
		return nil
	}
	return &recent[K, V]{ttl: ttl, cur: map[K]recentValue[V]{}}
}

// get returns the value at k if it was read at the current count of user changes and has not
// expired, and the stamp to put a fresh read with.
func (c *recent[K, V]) get(k K, changes int64, now time.Time) (V, stamp, bool) {
	if c == nil {
		var zero V
		return zero, stamp{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cur[k]
	if !ok {
		e, ok = c.old[k]
	}
	return e.v, stamp{changes, c.forgets}, ok && e.changes == changes && now.Before(e.expires)
}

// put keeps v, read at now, unless the cache forgot since get returned s.
func (c *recent[K, V]) put(k K, v V, s stamp, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.forgets != c.forgets {
		return
	}
	if now.Sub(c.rotated) >= c.ttl {
		c.old, c.cur, c.rotated = c.cur, map[K]recentValue[V]{}, now
	}
	c.cur[k] = recentValue[V]{v, s.changes, now.Add(c.ttl)}
}

// forget drops every value.
func (c *recent[K, V]) forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgets++
	c.cur, c.old = map[K]recentValue[V]{}, nil
}

// changedUser forgets all the engine remembers of users and counts the change for every
// instance, after the engine changed a user. When the count cannot be told, the other instances
// notice the change only within UserTTL.
func (e *Engine) changedUser(ctx context.Context) {
	e.users.forget()
	e.nonResellers.forget()
	n, err := e.cfg.UserChanges.Changed(ctx)
	if err != nil {
		e.cfg.Logger.Warn("count a change to users", "err", err)
		return
	}
	e.userChanges.n.Store(n)
}

// langSetter, resellerMemo and inviteUser tell the engine whenever it changes a user: a language,
// a reseller registration, a role given by a reseller decision or an owner invite. resellerMemo
// also remembers who is no reseller, which every menu of a newcomer asks.
type langSetter struct {
	Users
	e *Engine
}

func (u langSetter) SetLang(ctx context.Context, userID int64, lang lapak.Lang) error {
	defer u.e.changedUser(ctx)
	return u.Users.SetLang(ctx, userID, lang)
}

type resellerMemo struct {
	Resellers
	e *Engine
}

func (r resellerMemo) ResellerByUser(ctx context.Context, userID int64) (lapak.Reseller, error) {
	now := r.e.cfg.Clock.Now()
	_, read, no := r.e.nonResellers.get(userID, r.e.userChanges.n.Load(), now)
	if no {
		return lapak.Reseller{}, lapak.ErrNotFound
	}
	res, err := r.Resellers.ResellerByUser(ctx, userID)
	if errors.Is(err, lapak.ErrNotFound) {
		r.e.nonResellers.put(userID, struct{}{}, read, now)
	}
	return res, err
}

func (r resellerMemo) SubmitReseller(ctx context.Context, res lapak.Reseller, notify []bot.Outbound) (lapak.Reseller, error) {
	defer r.e.changedUser(ctx)
	return r.Resellers.SubmitReseller(ctx, res, notify)
}

func (r resellerMemo) DecideReseller(ctx context.Context, resellerUserID, ownerID int64, approved bool, notify func(lapak.Reseller) []bot.Outbound) (lapak.Reseller, error) {
	defer r.e.changedUser(ctx)
	return r.Resellers.DecideReseller(ctx, resellerUserID, ownerID, approved, notify)
}

type inviteUser struct {
	Invites
	e *Engine
}

func (i inviteUser) UseInvite(ctx context.Context, token string, userID int64, notify []bot.Outbound) error {
	defer i.e.changedUser(ctx)
	return i.Invites.UseInvite(ctx, token, userID, notify)
}
