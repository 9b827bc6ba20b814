package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lapak-id/lapak/metrics"
)

// Limiter reserves a slot in a rate shared by every instance: it returns how long the caller must
// wait before its send, given one send per every with bursts of up to burst. Block pushes the rate
// back by d for everyone, after the channel said "too many requests".
type Limiter interface {
	Reserve(ctx context.Context, key string, every time.Duration, burst int) (time.Duration, error)
	Block(ctx context.Context, key string, d time.Duration) error
}

// MultiLimiter is a Limiter that reserves a slot in several rates at once, in one round trip to
// the shared store. It returns the longest of the waits.
type MultiLimiter interface {
	ReserveAll(ctx context.Context, limits []Limit) (time.Duration, error)
}

// Limit is a rate under its key.
type Limit struct {
	Key  string
	Rate Rate
}

// RetryAfterError is returned by a Sender when the channel asked to wait before sending again.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.After, e.Err)
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// Rate is one send per Every, with bursts of up to Burst.
type Rate struct {
	Every time.Duration
	Burst int
}

// PacedSender wraps a channel's Sender with its rate limits: one per chat and one for the whole bot,
// both kept in the shared Limiter so several instances pace together. A RetryAfterError from the
// channel blocks the chat for the time asked and the send is tried again, up to Retries times.
type PacedSender struct {
	Sender  Sender
	Limiter Limiter
	Channel string // the channel's name, the prefix of the rate keys
	PerChat Rate
	Global  Rate
	Retries int                                              // default 3
	Sleep   func(ctx context.Context, d time.Duration) error // default: a timer that ctx can cancel
	Metrics *metrics.Metrics
}

// Send waits for both rates, sends, and retries after a 429.
func (p *PacedSender) Send(ctx context.Context, to Address, r Reply) error {
	retries := p.Retries
	if retries == 0 {
		retries = 3
	}
	chatKey := "rate:" + p.Channel + ":chat:" + to.ChatID
	for attempt := 0; ; attempt++ {
		if err := p.wait(ctx, chatKey); err != nil {
			return err
		}
		err := p.Sender.Send(ctx, to, r)
		p.Metrics.Sent(p.Channel, err)
		var ra *RetryAfterError
		if !errors.As(err, &ra) || attempt >= retries {
			return err
		}
		p.Metrics.Limited(p.Channel)
		if berr := p.Limiter.Block(ctx, chatKey, ra.After); berr != nil {
			return fmt.Errorf("block %s after 429: %w", chatKey, berr)
		}
	}
}

func (p *PacedSender) wait(ctx context.Context, chatKey string) error {
	longest, err := p.reserve(ctx, chatKey)
	if err != nil || longest <= 0 {
		return err
	}
	sleep := p.Sleep
	if sleep == nil {
		sleep = SleepContext
	}
	return sleep(ctx, longest)
}

// reserve takes a slot in the chat's rate and in the bot's, in one call when the limiter can.
func (p *PacedSender) reserve(ctx context.Context, chatKey string) (time.Duration, error) {
	limits := make([]Limit, 0, 2)
	for _, lim := range []Limit{{chatKey, p.PerChat}, {"rate:" + p.Channel + ":global", p.Global}} {
		if lim.Rate.Every > 0 {
			limits = append(limits, lim)
		}
	}
	if m, ok := p.Limiter.(MultiLimiter); ok && len(limits) > 1 {
		d, err := m.ReserveAll(ctx, limits)
		if err != nil {
			return 0, fmt.Errorf("reserve %s and %s: %w", limits[0].Key, limits[1].Key, err)
		}
		return d, nil
	}
	var longest time.Duration
	for _, lim := range limits {
		d, err := p.Limiter.Reserve(ctx, lim.Key, lim.Rate.Every, lim.Rate.Burst)
		if err != nil {
			return 0, fmt.Errorf("reserve %s: %w", lim.Key, err)
		}
		longest = max(longest, d)
	}
	return longest, nil
}

// SleepContext waits for d or until ctx ends.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
