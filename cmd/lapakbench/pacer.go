package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// pacer keeps the load inside Lapak's per-chat pacing (one message a second, bursts of three), so
// that the benchmark measures handling rather than waiting. It mirrors the server's limiter for
// each chat, pessimistically, and holds an update back until its chat has room for all its
// replies. Every hold is counted: many mean -users is too low for the rate reached.
type pacer struct {
	every time.Duration
	burst int

	mu    sync.Mutex
	chats map[int]*chatPace

	held    atomic.Int64 // updates held back
	heldFor atomic.Int64 // their waits added up, in nanoseconds
}

// chatPace is one chat's limiter as the pacer sees it.
type chatPace struct {
	tat  time.Time     // the theoretical arrival time of the chat's next message (GCRA)
	busy chan struct{} // closed when the chat's update in flight was answered; nil when none is
}

// lapakPacing is Lapak's per-chat rate.
func lapakPacing() *pacer {
	return &pacer{every: time.Second, burst: 3, chats: map[int]*chatPace{}}
}

// acquire waits until the user's chat has no update in flight and room for n replies. A nil pacer
// never waits.
func (p *pacer) acquire(ctx context.Context, user, n int) error {
	if p == nil {
		return nil
	}
	for {
		p.mu.Lock()
		c := p.chat(user)
		if busy := c.busy; busy != nil {
			p.mu.Unlock()
			select {
			case <-busy:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		c.busy = make(chan struct{})
		ready := c.tat.Add(-time.Duration(p.burst-n) * p.every)
		p.mu.Unlock()
		return p.hold(ctx, time.Until(ready))
	}
}

// release records that the chat's update was answered with n replies, all sent by now.
func (p *pacer) release(user, n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chat(user)
	c.tat = later(c.tat, time.Now()).Add(time.Duration(n) * p.every)
	close(c.busy)
	c.busy = nil
}

func (p *pacer) chat(user int) *chatPace {
	c, ok := p.chats[user]
	if !ok {
		c = &chatPace{}
		p.chats[user] = c
	}
	return c
}

func (p *pacer) hold(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	p.held.Add(1)
	p.heldFor.Add(int64(d))
	return waitFor(ctx, d)
}

// holds returns how many updates were held back and for how long in all, and starts counting again.
func (p *pacer) holds() (int64, time.Duration) {
	if p == nil {
		return 0, 0
	}
	return p.held.Swap(0), time.Duration(p.heldFor.Swap(0))
}

// waitFor waits for d or until ctx ends.
func waitFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
