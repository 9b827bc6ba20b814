package redis_test

import (
	"context"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

// stepClock is a clock the test moves by hand.
type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

func TestLimiter(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	clock := &stepClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	l := redis.NewLimiter(rdb, prefix, clock)
	perChat := bot.Rate{Every: time.Second, Burst: 3}
	global := bot.Rate{Every: 100 * time.Millisecond, Burst: 1}
	reserve := func(limits ...bot.Limit) time.Duration {
		t.Helper()
		d, err := l.ReserveAll(ctx, limits)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	t.Run("ABurstGoesAtOnceThenOnePerInterval", func(t *testing.T) {
		var waits []time.Duration
		for range 5 {
			d, err := l.Reserve(ctx, "chat:1", perChat.Every, perChat.Burst)
			if err != nil {
				t.Fatal(err)
			}
			waits = append(waits, d)
		}
		want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second}
		for i := range want {
			if waits[i] != want[i] {
				t.Fatalf("waits = %v, want %v", waits, want)
			}
		}
	})

	t.Run("BothRatesInOneCallWaitForTheSlowerOne", func(t *testing.T) {
		chat := bot.Limit{Key: "chat:2", Rate: perChat}
		all := bot.Limit{Key: "global", Rate: global}
		if d := reserve(chat, all); d != 0 {
			t.Fatalf("first send waits %s", d)
		}
		if d := reserve(bot.Limit{Key: "chat:3", Rate: perChat}, all); d != 100*time.Millisecond {
			t.Errorf("another chat right after waits %s for the bot-wide rate, want 100ms", d)
		}
		reserve(chat, all)
		reserve(chat, all)
		if d := reserve(chat, all); d != time.Second {
			t.Errorf("the fourth send to a chat waits %s, want the chat's 1s", d)
		}
	})

	t.Run("ABlockHoldsEveryoneSharingTheKey", func(t *testing.T) {
		if err := l.Block(ctx, "chat:4", 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if d := reserve(bot.Limit{Key: "chat:4", Rate: perChat}, bot.Limit{Key: "global:4", Rate: global}); d != 5*time.Second {
			t.Errorf("a blocked chat waits %s, want the 5s asked", d)
		}
		clock.now = clock.now.Add(5 * time.Second)
		if d := reserve(bot.Limit{Key: "chat:4", Rate: perChat}); d != 0 {
			t.Errorf("after the block a send waits %s", d)
		}
	})
}
