package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lapak-id/lapak/storage/redis/redistest"
)

// stepClock is a clock tests move by hand.
type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time                { return c.now }
func (c *stepClock) advance(d time.Duration)       { c.now = c.now.Add(d) }
func newClock() *stepClock                         { return &stepClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }
func chatN(i int) string                           { return fmt.Sprintf("62812000000%02d@s.whatsapp.net", i) }
func (c *stepClock) ago(d time.Duration) time.Time { return c.now.Add(-d) }

func TestRules(t *testing.T) {
	const promo = "PROMO! Kaos Hitam cuma Rp50.000 hari ini"
	type step struct {
		advance time.Duration // move the clock first
		wrote   []int         // these chats write to the store now
		to      int
		text    string
		want    error
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"NeverWroteIsRefused", []step{
			{to: 1, text: "Halo", want: ErrUnsolicited},
		}},
		{"AnswersGoToWhoWrote", []step{
			{wrote: []int{1}, to: 1, text: "Halo kak"},
			{to: 2, text: "Halo kak", want: ErrUnsolicited},
		}},
		{"TheSameAnswerToManyChatsIsFine", []step{
			{wrote: []int{1, 2, 3, 4, 5, 6, 7}, to: 1, text: "Menu"},
			{to: 2, text: "Menu"}, {to: 3, text: "Menu"}, {to: 4, text: "Menu"},
			{to: 5, text: "Menu"}, {to: 6, text: "Menu"}, {to: 7, text: "Menu"},
		}},
		{"TheSameTextToManyQuietChatsIsRefused", []step{
			{wrote: []int{1, 2, 3, 4, 5, 6, 7}},
			{advance: time.Hour, to: 1, text: promo},
			{to: 2, text: promo}, {to: 3, text: promo}, {to: 4, text: promo}, {to: 5, text: promo},
			{to: 6, text: promo, want: ErrBulk},
			{to: 7, text: promo, want: ErrBulk},
			{to: 1, text: promo},                       // again to a chat that got it: not bulk
			{to: 6, text: "Pesanan #12 sudah dikirim"}, // a different text
		}},
		{"TheBulkWindowPasses", []step{
			{wrote: []int{1, 2, 3, 4, 5, 6}},
			{advance: time.Hour, to: 1, text: promo},
			{to: 2, text: promo}, {to: 3, text: promo}, {to: 4, text: promo}, {to: 5, text: promo},
			{advance: 9 * time.Minute, to: 6, text: promo, want: ErrBulk},
			{advance: time.Minute, to: 6, text: promo},
		}},
		{"ReplyWindowEnds", []step{
			{wrote: []int{1, 2, 3, 4, 5, 6}},
			{advance: 10 * time.Minute, to: 1, text: promo}, // still an answer: not counted
			{advance: time.Second, to: 2, text: promo},
			{to: 3, text: promo}, {to: 4, text: promo}, {to: 5, text: promo}, {to: 6, text: promo},
			{to: 1, text: promo, want: ErrBulk},
		}},
		{"WritingAgainMakesItAnAnswer", []step{
			{wrote: []int{1, 2, 3, 4, 5, 6}},
			{advance: time.Hour, to: 1, text: promo},
			{to: 2, text: promo}, {to: 3, text: promo}, {to: 4, text: promo}, {to: 5, text: promo},
			{wrote: []int{6}, to: 6, text: promo},
		}},
		{"SeenChatsAreForgotten", []step{
			{wrote: []int{1}},
			{advance: 30*24*time.Hour - time.Second, to: 1, text: "Pesanan #12 sudah dikirim"},
			{advance: time.Second, to: 1, text: "Pesanan #12 sudah sampai", want: ErrUnsolicited},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			clock := newClock()
			seen := NewMemorySeen(30*24*time.Hour, clock)
			g := newGuard(Rules{}, seen, clock)
			for i, s := range tc.steps {
				clock.advance(s.advance)
				for _, c := range s.wrote {
					seen.Saw(ctx, chatN(c), clock.Now())
				}
				if s.text == "" {
					continue
				}
				err := g.allow(ctx, chatN(s.to), s.text)
				if s.want == nil && err != nil || s.want != nil && !errors.Is(err, s.want) {
					t.Errorf("step %d, to chat %d: %v, want %v", i, s.to, err, s.want)
				}
			}
		})
	}
}

func TestRulesTuned(t *testing.T) {
	ctx := context.Background()
	clock := newClock()
	seen := NewMemorySeen(time.Hour, clock)
	g := newGuard(Rules{ReplyWindow: time.Minute, BulkLimit: 2, BulkWindow: time.Hour}, seen, clock)
	for i := 1; i <= 3; i++ {
		seen.Saw(ctx, chatN(i), clock.ago(2*time.Minute))
	}
	for i, want := range []error{nil, nil, ErrBulk} {
		if err := g.allow(ctx, chatN(i+1), "sama"); !errors.Is(err, want) || want == nil && err != nil {
			t.Errorf("chat %d: %v, want %v", i+1, err, want)
		}
	}
}

func TestRedisSeen(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ctx := context.Background()
	s := NewRedisSeen(rdb, prefix, time.Hour)
	chat := chatN(1)
	if _, ok, err := s.LastSeen(ctx, chat); ok || err != nil {
		t.Fatalf("unseen chat: %v, %v", ok, err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.Saw(ctx, chat, at); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.LastSeen(ctx, chat)
	if !ok || err != nil || !got.Equal(at) {
		t.Errorf("LastSeen = %v, %v, %v; want %v", got, ok, err, at)
	}
	if ttl := rdb.TTL(ctx, prefix+"whatsapp:seen:"+chat).Val(); ttl <= 59*time.Minute {
		t.Errorf("ttl = %s, want an hour", ttl)
	}
}
