package telegram

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

// userChat is the private chat of the user in the fixtures.
var userChat = telegramChat("1111111")

// startAdapter starts an adapter on a fresh fake Bot API, with cfg's other fields.
func startAdapter(t *testing.T, cfg Config) (*Adapter, *telegramtest.Server) {
	t.Helper()
	fake := telegramtest.New(t)
	cfg.Token, cfg.Endpoint = telegramtest.Token, fake.Endpoint()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	a := New(cfg)
	if err := a.Start(testContext(t)); err != nil {
		t.Fatalf("start: %v", err)
	}
	return a, fake
}

// testContext ends with the test, or after 10s.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// dispatchFunc is a dispatcher made of a function, run on its own goroutine like a worker.
type dispatchFunc func(ctx context.Context, in bot.Inbound) error

func (f dispatchFunc) Dispatch(ctx context.Context, in bot.Inbound) <-chan error {
	done := make(chan error, 1)
	go func() { done <- f(ctx, in) }()
	return done
}

// recorder is a dispatcher that handles every update with handle, then hands it to a channel.
type recorder struct {
	got    chan bot.Inbound
	handle func(bot.Inbound) error
}

func newRecorder(handle func(bot.Inbound) error) *recorder {
	if handle == nil {
		handle = func(bot.Inbound) error { return nil }
	}
	return &recorder{got: make(chan bot.Inbound, 100), handle: handle}
}

func (r *recorder) Dispatch(ctx context.Context, in bot.Inbound) <-chan error {
	return dispatchFunc(func(ctx context.Context, in bot.Inbound) error {
		err := r.handle(in)
		r.got <- in
		return err
	}).Dispatch(ctx, in)
}

// next waits for the next dispatched update.
func (r *recorder) next(t *testing.T) bot.Inbound {
	t.Helper()
	select {
	case in := <-r.got:
		return in
	case <-time.After(5 * time.Second):
		t.Fatal("no update dispatched within 5s")
		return bot.Inbound{}
	}
}

// none checks that nothing was dispatched.
func (r *recorder) none(t *testing.T) {
	t.Helper()
	select {
	case in := <-r.got:
		t.Errorf("dispatched %+v, want nothing", in)
	default:
	}
}
