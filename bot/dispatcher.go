package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
	"github.com/lapak-id/lapak/metrics"
)

// Deduper remembers which updates were handled, so an update delivered twice is handled once.
// Claim takes a short lease on key; Done makes it permanent; Release gives it up after a failure so
// a redelivery can try again.
type Deduper interface {
	Claim(ctx context.Context, key string) (bool, error)
	Done(ctx context.Context, key string) error
	Release(ctx context.Context, key string) error
}

// LangOf tells which language a chat's user reads, for error replies. It may return "".
type LangOf func(ctx context.Context, chat Address) lapak.Lang

// DispatcherConfig configures a Dispatcher.
type DispatcherConfig struct {
	// Handler handles each update. Required.
	Handler Handler
	// Senders deliver replies, one per channel. Required.
	Senders map[lapak.Channel]Sender
	// Dedupe drops updates already handled. Required.
	Dedupe Deduper
	// Lang tells the language of a chat for error replies. Default: Indonesian.
	Lang LangOf
	// Workers is how many chats are served at once. Default 64.
	Workers int
	// Queue is how many updates wait per worker before Dispatch blocks. Default 64.
	Queue int
	// Logger logs errors, once each, where they are handled. Default slog.Default().
	Logger *slog.Logger
	// Metrics records updates and latency. Default none.
	Metrics *metrics.Metrics
}

// Dispatcher keeps each chat's updates in order while serving many chats at once: updates of one
// chat always go to the same worker. It recovers from panics with an apology and turns errors into
// replies through one table.
type Dispatcher struct {
	cfg    DispatcherConfig
	queues []chan job
	wg     sync.WaitGroup
	mu     sync.RWMutex
	closed bool
}

type job struct {
	ctx  context.Context
	in   Inbound
	done chan error
}

// NewDispatcher starts the workers. Close stops them after the queued updates are handled.
func NewDispatcher(cfg DispatcherConfig) *Dispatcher {
	if cfg.Workers <= 0 {
		cfg.Workers = 64
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 64
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Lang == nil {
		cfg.Lang = func(context.Context, Address) lapak.Lang { return lapak.Indonesian }
	}
	d := &Dispatcher{cfg: cfg, queues: make([]chan job, cfg.Workers)}
	for i := range d.queues {
		d.queues[i] = make(chan job, cfg.Queue)
		d.wg.Add(1)
		go d.work(d.queues[i])
	}
	return d
}

// ErrClosed is returned by Dispatch after Close.
var ErrClosed = errors.New("dispatcher closed")

// Dispatch queues in behind the earlier updates of its chat. The returned channel yields nil once
// the update was handled (or skipped as a duplicate) and its replies sent, or the error that kept
// it from being handled, in which case the channel should deliver it again.
func (d *Dispatcher) Dispatch(ctx context.Context, in Inbound) <-chan error {
	done := make(chan error, 1)
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		done <- ErrClosed
		return done
	}
	h := fnv.New32a()
	h.Write([]byte(in.Chat.String()))
	q := d.queues[h.Sum32()%uint32(len(d.queues))]
	select {
	case q <- job{ctx: context.WithoutCancel(ctx), in: in, done: done}:
	case <-ctx.Done():
		done <- ctx.Err()
	}
	return done
}

// Handle dispatches in and waits until it is handled.
func (d *Dispatcher) Handle(ctx context.Context, in Inbound) error {
	return <-d.Dispatch(ctx, in)
}

// Close stops taking updates and waits until the queued ones are handled.
func (d *Dispatcher) Close() {
	d.mu.Lock()
	if !d.closed {
		d.closed = true
		for _, q := range d.queues {
			close(q)
		}
	}
	d.mu.Unlock()
	d.wg.Wait()
}

func (d *Dispatcher) work(q chan job) {
	defer d.wg.Done()
	for j := range q {
		j.done <- d.handle(j.ctx, j.in)
	}
}

// handle runs one update: dedupe, handler, replies. It returns an error only when the update should
// be delivered again; errors the user can be told about are answered and count as handled.
func (d *Dispatcher) handle(ctx context.Context, in Inbound) (err error) {
	start := time.Now()
	channel := string(in.Chat.Channel)
	key := "update:" + channel + ":" + in.UpdateID
	if in.UpdateID != "" {
		fresh, err := d.cfg.Dedupe.Claim(ctx, key)
		if err != nil {
			d.cfg.Metrics.Update(channel, "error", time.Since(start))
			return fmt.Errorf("claim update %s: %w", in.UpdateID, err)
		}
		if !fresh {
			d.cfg.Metrics.Update(channel, "duplicate", time.Since(start))
			return nil
		}
	}
	outcome := "ok"
	defer func() {
		if in.UpdateID != "" {
			if err != nil {
				_ = d.cfg.Dedupe.Release(ctx, key)
			} else if derr := d.cfg.Dedupe.Done(ctx, key); derr != nil {
				d.cfg.Logger.Warn("mark update handled", "chat", in.Chat.Masked(), "update_id", in.UpdateID, "err", derr)
			}
		}
		d.cfg.Metrics.Update(channel, outcome, time.Since(start))
	}()

	out, herr := d.run(ctx, in)
	if herr != nil {
		outcome = "error"
		if errors.Is(herr, errPanic) {
			outcome = "panic"
		}
		kind := lapak.KindOf(herr)
		if kind == lapak.KindUnavailable && !errors.Is(herr, errPanic) {
			d.cfg.Logger.Warn("update not handled, will be retried", "chat", in.Chat.Masked(), "update_id", in.UpdateID, "err", herr)
		} else {
			d.cfg.Logger.Error("update failed", "chat", in.Chat.Masked(), "update_id", in.UpdateID, "kind", kind, "err", herr)
		}
		out = []Outbound{{To: in.Chat, Reply: Reply{Text: d.errorText(ctx, in.Chat, herr)}}}
	}
	for _, o := range Coalesce(out) {
		if serr := d.send(ctx, o); serr != nil {
			outcome = "error"
			d.cfg.Logger.Error("send reply", "chat", o.To.Masked(), "update_id", in.UpdateID, "err", serr)
			if o.To == in.Chat {
				return fmt.Errorf("reply to %s: %w", o.To, serr)
			}
		}
	}
	return nil
}

var errPanic = errors.New("panic")

func (d *Dispatcher) run(ctx context.Context, in Inbound) (out []Outbound, err error) {
	defer func() {
		if r := recover(); r != nil {
			d.cfg.Logger.Error("panic handling update", "chat", in.Chat.Masked(), "update_id", in.UpdateID, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return d.cfg.Handler.Handle(ctx, in)
}

func (d *Dispatcher) send(ctx context.Context, o Outbound) error {
	s, ok := d.cfg.Senders[o.To.Channel]
	if !ok {
		return fmt.Errorf("no sender for channel %q", o.To.Channel)
	}
	return s.Send(ctx, o.To, o.Reply)
}

// errorText is the one table from error kind to what the user is told.
func (d *Dispatcher) errorText(ctx context.Context, chat Address, err error) string {
	lang := d.cfg.Lang(ctx, chat)
	var e *lapak.Error
	if errors.As(err, &e) && e.Key != "" && i18n.Has(e.Key) {
		return i18n.T(lang, e.Key, e.Args...)
	}
	return i18n.T(lang, ErrorKey(lapak.KindOf(err)))
}

// ErrorKey returns the message key that answers an error of kind.
func ErrorKey(kind lapak.Kind) string {
	switch kind {
	case lapak.KindInvalid:
		return "error.invalid"
	case lapak.KindNotFound:
		return "error.not_found"
	case lapak.KindConflict:
		return "error.conflict"
	case lapak.KindForbidden:
		return "error.forbidden"
	case lapak.KindUnavailable:
		return "error.unavailable"
	}
	return "error.internal"
}
