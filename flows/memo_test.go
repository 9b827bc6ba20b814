package flows_test

import (
	"context"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

// handClock is a clock the test moves by hand; handling runs on one goroutine at a time.
type handClock struct{ t time.Time }

func (c *handClock) Now() time.Time { return c.t }

func TestEngineRemembersUsers(t *testing.T) {
	h := newHarness(t)
	rdb, prefix := redistest.New(t)
	clock := &handClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	h.cfg.Clock, h.cfg.UserChanges = clock, redis.NewUserChanges(rdb, prefix)
	h.engine = flows.New(h.cfg)
	other := flows.New(h.cfg) // another instance
	h.text("104", "/start")
	onOther := func(text string) []bot.Outbound {
		t.Helper()
		out, err := other.Handle(context.Background(), withChat(bot.Inbound{Text: text}, "104", int(clock.t.Unix())))
		if err != nil {
			t.Fatal(err)
		}
		clock.t = clock.t.Add(time.Second)
		return out
	}

	t.Run("ChangesMadeInChatShowOnEveryInstance", func(t *testing.T) {
		mustSay(t, onOther("/menu"), "Daftar reseller")
		mustSay(t, h.text("104", "/bahasa en"), "Language set to English")
		mustSay(t, h.text("104", "/menu"), "Register as reseller")
		mustSay(t, onOther("/menu"), "Register as reseller")
		mustSay(t, onOther("/bahasa id"), "Bahasa Indonesia")
		mustSay(t, h.text("104", "/menu"), "Daftar reseller")
	})
	t.Run("ChangesMadeAroundTheEnginesShowWithinUserTTL", func(t *testing.T) {
		if err := h.store.EnsureOwners(context.Background(), lapak.Telegram, []string{"104"}, lapak.Indonesian); err != nil {
			t.Fatal(err)
		}
		mustSay(t, h.text("104", "/menu"), "Daftar reseller") // remembered: the trade-off
		clock.t = clock.t.Add(30 * time.Second)
		mustSay(t, h.text("104", "/menu"), "Menu pemilik")
	})
}

func TestEngineSavesOnlyChangedConversations(t *testing.T) {
	h := newHarness(t)
	clock := &handClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	h.cfg.Clock = clock
	h.engine = flows.New(h.cfg)
	version := func() int64 {
		t.Helper()
		s, err := h.cfg.Sessions.Load(context.Background(), "telegram:106")
		if err != nil {
			t.Fatal(err)
		}
		return s.Version
	}

	h.text("106", "/start")
	h.text("106", "/menu") // leaves the registration
	saved := version()
	mustSay(t, h.text("106", "/menu"), "Daftar reseller")
	mustSay(t, h.text("106", "/help"), "Daftar reseller")
	if v := version(); v != saved {
		t.Errorf("messages that changed nothing saved the conversation: version %d, then %d", saved, v)
	}
	clock.t = clock.t.Add(time.Minute)
	h.text("106", "/menu")
	if v := version(); v != saved+1 {
		t.Errorf("a conversation unchanged for a minute was not saved again to keep it: version %d, then %d", saved, v)
	}
}
