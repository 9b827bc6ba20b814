package bot

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
)

// recordingLimiter answers every reservation with the wait set for its key and records the calls.
type recordingLimiter struct {
	waits   map[string]time.Duration
	calls   [][]string // the keys of each call
	blocked map[string]time.Duration
}

func (l *recordingLimiter) Reserve(_ context.Context, key string, _ time.Duration, _ int) (time.Duration, error) {
	l.calls = append(l.calls, []string{key})
	return l.waits[key], nil
}

func (l *recordingLimiter) Block(_ context.Context, key string, d time.Duration) error {
	l.blocked[key] = d
	return nil
}

// multiLimiter is a recordingLimiter that reserves several rates in one call.
type multiLimiter struct{ *recordingLimiter }

func (l multiLimiter) ReserveAll(_ context.Context, limits []Limit) (time.Duration, error) {
	var keys []string
	var longest time.Duration
	for _, lim := range limits {
		keys = append(keys, lim.Key)
		longest = max(longest, l.waits[lim.Key])
	}
	l.calls = append(l.calls, keys)
	return longest, nil
}

// flakySender fails its first sends with the given errors, then succeeds.
type flakySender struct {
	errs []error
	sent int
}

func (s *flakySender) Send(context.Context, Address, Reply) error {
	s.sent++
	if len(s.errs) > 0 {
		err := s.errs[0]
		s.errs = s.errs[1:]
		return err
	}
	return nil
}

func TestPacedSender(t *testing.T) {
	to := Address{Channel: lapak.Telegram, ChatID: "42"}
	newLimiter := func() *recordingLimiter {
		return &recordingLimiter{
			waits:   map[string]time.Duration{"rate:telegram:chat:42": time.Second, "rate:telegram:global": 50 * time.Millisecond},
			blocked: map[string]time.Duration{},
		}
	}
	paced := func(lim Limiter, s Sender, slept *[]time.Duration) *PacedSender {
		return &PacedSender{
			Sender: s, Limiter: lim, Channel: "telegram",
			PerChat: Rate{Every: time.Second, Burst: 3}, Global: Rate{Every: time.Second / 30, Burst: 30},
			Sleep: func(_ context.Context, d time.Duration) error { *slept = append(*slept, d); return nil },
		}
	}

	t.Run("ReservesBothRatesInOneCallAndWaitsForTheLonger", func(t *testing.T) {
		lim := newLimiter()
		var slept []time.Duration
		if err := paced(multiLimiter{lim}, &flakySender{}, &slept).Send(context.Background(), to, Reply{Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"rate:telegram:chat:42", "rate:telegram:global"}}
		if !slices.EqualFunc(lim.calls, want, slices.Equal) {
			t.Errorf("reservations = %v, want %v", lim.calls, want)
		}
		if !slices.Equal(slept, []time.Duration{time.Second}) {
			t.Errorf("slept %v, want the chat's 1s", slept)
		}
	})

	t.Run("ReservesEachRateWithAPlainLimiter", func(t *testing.T) {
		lim := newLimiter()
		var slept []time.Duration
		if err := paced(lim, &flakySender{}, &slept).Send(context.Background(), to, Reply{Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"rate:telegram:chat:42"}, {"rate:telegram:global"}}
		if !slices.EqualFunc(lim.calls, want, slices.Equal) {
			t.Errorf("reservations = %v, want %v", lim.calls, want)
		}
		if !slices.Equal(slept, []time.Duration{time.Second}) {
			t.Errorf("slept %v, want the chat's 1s", slept)
		}
	})

	t.Run("BlocksTheChatForTheRetryAfterAndSendsAgain", func(t *testing.T) {
		lim := newLimiter()
		s := &flakySender{errs: []error{&RetryAfterError{After: 7 * time.Second, Err: errors.New("429")}}}
		var slept []time.Duration
		if err := paced(multiLimiter{lim}, s, &slept).Send(context.Background(), to, Reply{Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		if s.sent != 2 || lim.blocked["rate:telegram:chat:42"] != 7*time.Second {
			t.Errorf("sent %d times, blocks %v; want 2 sends and the chat blocked 7s", s.sent, lim.blocked)
		}
		if len(lim.calls) != 2 {
			t.Errorf("reserved %d times, want once per attempt", len(lim.calls))
		}
	})
}
