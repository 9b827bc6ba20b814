package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Dispatcher takes an update and reports on the returned channel when it was handled: nil, or the
// error that means it must be delivered again. *bot.Dispatcher is one.
type Dispatcher interface {
	Dispatch(ctx context.Context, in bot.Inbound) <-chan error
}

var _ Dispatcher = (*bot.Dispatcher)(nil)

// maxBackoff is the longest pause between getUpdates attempts after errors.
const maxBackoff = 30 * time.Second

// Poll fetches updates with getUpdates until ctx ends, and then returns nil.
//
// Every update of a batch is dispatched at once (the dispatcher keeps each chat in order); inline
// queries are not dispatched but answered at once. Only when all of them were handled, and their
// callback and inline queries answered, does the next call confirm them by its offset
// (https://core.telegram.org/bots/api#getupdates). An update whose handling failed is not
// confirmed: it is fetched again with those after it, and the dispatcher skips the ones already
// handled. A stop or crash mid-batch leaves the batch unconfirmed, to be fetched again. Errors
// pause polling for a growing time, or as long as a 429 asks; Poll gives up only when Telegram
// rejects the token, or when Start has not succeeded.
func (a *Adapter) Poll(ctx context.Context, d Dispatcher) error {
	offset, failures := 0, 0
	for ctx.Err() == nil {
		updates, err := a.getUpdates(ctx, offset)
		if ctx.Err() != nil {
			return nil
		}
		if code := apiCode(err); code == 401 || code == 404 || errors.Is(err, ErrNotStarted) {
			return fmt.Errorf("poll telegram: %w", err)
		}
		if err == nil {
			var failed bool
			if offset, failed = a.handleBatch(ctx, d, updates, offset); !failed {
				failures = 0
				continue
			}
		}
		failures++
		a.backoff(ctx, failures, err)
	}
	return nil
}

// getUpdates fetches the next batch. Updates are decoded one by one, so one that no longer fits
// the library's types is dropped with a warning instead of blocking all that follow it.
func (a *Adapter) getUpdates(ctx context.Context, offset int) ([]tgbotapi.Update, error) {
	api, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := api.Request(tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: a.pollSeconds(), AllowedUpdates: allowedUpdates})
	if err = a.apiError("get updates", err); err != nil {
		if retryAfter(err) > 0 {
			a.cfg.Metrics.Limited(string(lapak.Telegram))
		}
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, fmt.Errorf("decode updates: %w", err)
	}
	updates := make([]tgbotapi.Update, len(raws))
	for i, raw := range raws {
		if updates[i], err = decodeUpdate(raw); err != nil {
			a.cfg.Logger.Warn("drop update", "update_id", updates[i].UpdateID, "err", err)
		}
	}
	return updates, nil
}

func (a *Adapter) pollSeconds() int {
	return max(1, int(a.cfg.PollTimeout/time.Second))
}

// decodeUpdate decodes one update. When it is JSON that does not fit the library's types (a field
// Telegram changed since v5.5.1), it returns the update with only its ID, which ToInbound drops,
// and the error.
func decodeUpdate(raw []byte) (tgbotapi.Update, error) {
	var u tgbotapi.Update
	err := json.Unmarshal(raw, &u)
	if err == nil {
		return u, nil
	}
	var id struct {
		UpdateID int `json:"update_id"`
	}
	_ = json.Unmarshal(raw, &id)
	return tgbotapi.Update{UpdateID: id.UpdateID}, fmt.Errorf("decode update %d: %w", id.UpdateID, err)
}

// handleBatch dispatches every update in order, waits for all of them, and returns the next
// offset, with failed set when an update must be fetched again.
func (a *Adapter) handleBatch(ctx context.Context, d Dispatcher, updates []tgbotapi.Update, offset int) (next int, failed bool) {
	errs := make([]error, len(updates))
	var wg sync.WaitGroup
	for i, u := range updates {
		var done <-chan error
		if in, ok := ToInbound(u); ok {
			done = d.Dispatch(ctx, in)
		}
		wg.Go(func() { errs[i] = a.settle(ctx, u, done) })
	}
	wg.Wait()
	for i, u := range updates {
		if errs[i] != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("update not confirmed, fetching it again", "update_id", u.UpdateID, "err", errs[i])
		}
	}
	return nextOffset(updates, errs, offset)
}

// nextOffset is the ID of the first update that failed, or one past the last update.
func nextOffset(updates []tgbotapi.Update, errs []error, offset int) (next int, failed bool) {
	next = offset
	for i, u := range updates {
		if errs[i] == nil {
			next = max(next, u.UpdateID+1)
		}
	}
	for i, u := range updates {
		if errs[i] != nil && (!failed || u.UpdateID < next) {
			next, failed = u.UpdateID, true
		}
	}
	return next, failed
}

// settle waits until u was handled (done is nil for an update that was dropped) and answers its
// callback query or its inline query.
func (a *Adapter) settle(ctx context.Context, u tgbotapi.Update, done <-chan error) error {
	if done != nil {
		select {
		case err := <-done:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	a.answerUpdate(ctx, u)
	return nil
}

// backoff pauses polling after the n-th failure in a row: as long as a 429 asked, else 1s, 2s, 4s…
// up to maxBackoff.
func (a *Adapter) backoff(ctx context.Context, n int, err error) {
	wait := retryAfter(err)
	if wait <= 0 {
		wait = maxBackoff
		if n <= 5 {
			wait = min(maxBackoff, time.Second<<(n-1))
		}
	}
	if err != nil {
		a.cfg.Logger.Warn("get updates", "attempt", n, "retry_in", wait, "err", err)
	}
	_ = a.cfg.Sleep(ctx, wait)
}
