package wacloud

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/wacloud/wacloudtest"
)

// customer is the WhatsApp number of the user in the outbound fixtures.
const customer = "6281234567890"

var customerChat = bot.Address{Channel: lapak.WhatsApp, ChatID: customer}

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *testClock { return &testClock{now: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// start is the time tests begin at: shortly after the fixtures' messages were sent.
var start = time.Unix(1700000000, 0).Add(time.Minute)

// newAdapter returns an adapter on a fresh fake Graph API, with cfg's other fields and a clock at
// start unless cfg has one.
func newAdapter(t *testing.T, cfg Config) (*Adapter, *wacloudtest.Server) {
	t.Helper()
	fake := wacloudtest.New(t)
	cfg.APIURL, cfg.Token = fake.URL(), wacloudtest.Token
	if cfg.PhoneNumberID == "" {
		cfg.PhoneNumberID = wacloudtest.PhoneNumberID
	}
	cfg.AppSecret, cfg.VerifyToken = wacloudtest.AppSecret, wacloudtest.VerifyToken
	if cfg.Clock == nil {
		cfg.Clock = newClock(start)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("new adapter: %v", err)
	}
	return a, fake
}

// openWindow records that chat's user just wrote, so free-form messages may go to them.
func openWindow(t *testing.T, a *Adapter, chat string) {
	t.Helper()
	if err := a.cfg.Window.Touch(t.Context(), chat, a.cfg.Clock.Now()); err != nil {
		t.Fatal(err)
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameJSON fails unless got and want are the same JSON value, whatever their key order.
func sameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want is not JSON: %v\n%s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("sent\n%s\nwant\n%s", indent(got), indent(want))
	}
}

func indent(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return string(b)
	}
	return out.String()
}

// recorder is a dispatcher that handles every message with handle, then hands it to a channel.
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

func (r *recorder) Dispatch(_ context.Context, in bot.Inbound) <-chan error {
	done := make(chan error, 1)
	go func() {
		err := r.handle(in)
		r.got <- in
		done <- err
	}()
	return done
}

// next waits for the next dispatched message.
func (r *recorder) next(t *testing.T) bot.Inbound {
	t.Helper()
	select {
	case in := <-r.got:
		return in
	case <-time.After(5 * time.Second):
		t.Fatal("nothing dispatched within 5s")
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

// postWebhook posts body to the webhook handler with the signature header sig, unless it is empty.
func postWebhook(h http.Handler, sig string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/whatsapp", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set(SignatureHeader, sig)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// slogTo logs text to w.
func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
