package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	t.Run("FreshChatGoesAtOnce", func(t *testing.T) {
		p := lapakPacing()
		if err := p.acquire(cancelled(t), 1, 3); err != nil {
			t.Fatalf("a chat with a full burst was held back: %v", err)
		}
		if held, _ := p.holds(); held != 0 {
			t.Errorf("held %d updates, want 0", held)
		}
	})
	t.Run("SpentChatIsHeldBack", func(t *testing.T) {
		p := lapakPacing()
		if err := p.acquire(t.Context(), 1, 3); err != nil {
			t.Fatal(err)
		}
		p.release(1, 3) // three replies spent the burst: the next one is due in about a second
		if err := p.acquire(cancelled(t), 1, 1); !errors.Is(err, context.Canceled) {
			t.Fatalf("acquire on a spent chat = %v, want it held back until ctx ended", err)
		}
		if held, d := p.holds(); held != 1 || d < 900*time.Millisecond || d > time.Second {
			t.Errorf("held %d updates for %s, want 1 for about 1s", held, d)
		}
	})
	t.Run("OtherChatsAreNotHeldBack", func(t *testing.T) {
		p := lapakPacing()
		_ = p.acquire(t.Context(), 1, 3)
		p.release(1, 3)
		if err := p.acquire(cancelled(t), 2, 2); err != nil {
			t.Errorf("chat 2 was held back by chat 1's replies: %v", err)
		}
	})
	t.Run("OneUpdateInFlightPerChat", func(t *testing.T) {
		p := lapakPacing()
		_ = p.acquire(t.Context(), 1, 1)
		second := make(chan error, 1)
		go func() { second <- p.acquire(t.Context(), 1, 1) }()
		select {
		case err := <-second:
			t.Fatalf("a second update of the chat went while the first was in flight (%v)", err)
		case <-time.After(20 * time.Millisecond):
		}
		p.release(1, 1)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		select {
		case err := <-second:
			if err != nil {
				t.Errorf("second update: %v", err)
			}
		case <-ctx.Done():
			t.Error("the second update was not let go once the first was answered")
		}
	})
	t.Run("NilPacerNeverWaits", func(t *testing.T) {
		var p *pacer
		if err := p.acquire(cancelled(t), 1, 10); err != nil {
			t.Errorf("nil pacer: %v", err)
		}
		p.release(1, 10)
	})
}

func cancelled(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}
