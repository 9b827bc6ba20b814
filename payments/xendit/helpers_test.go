package xendit_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

// t0 is the fake clock's start: 10:00 WIB on 1 March 2026.
var t0 = time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)

// clock is a settable clock for the fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleeper records the waits the client asks for and returns at once.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// env is a fake Xendit with a client pointed at it.
type env struct {
	fake   *xendittest.Server
	client *xendit.Client
	clock  *clock
	sleep  *sleeper
}

// newEnv starts a fake on a fixed clock and a client that sleeps through the recorder.
func newEnv(t *testing.T, tweak ...func(*xendit.Config)) *env {
	t.Helper()
	e := &env{clock: &clock{t: t0}, sleep: &sleeper{}}
	e.fake = xendittest.New(xendittest.Config{Now: e.clock.Now})
	t.Cleanup(e.fake.Close)
	cfg := xendit.Config{BaseURL: e.fake.URL(), SecretKey: e.fake.SecretKey(), Sleep: e.sleep.Sleep}
	for _, f := range tweak {
		f(&cfg)
	}
	e.client = xendit.New(cfg)
	return e
}

// fixture reads a file from testdata.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replay serves body with status for every request, to feed a recorded Xendit answer to the
// real client over loopback.
func replay(t *testing.T, status int, body []byte) *xendit.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return xendit.New(xendit.Config{BaseURL: srv.URL, SecretKey: "xnd_development_replay", Retries: -1})
}

// mustTime parses an RFC 3339 time.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// replayFunc serves h on loopback and returns its URL.
func replayFunc(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// newTextLogger logs as text into w.
func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}
